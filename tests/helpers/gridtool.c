/*
** gridtool.c: a test helper for the GRASS r.cost comparison and the
** travel-time benchmark (tests/cli/test_rcost.sh, tests/bench/).  The
** scripts compile it on the fly with cc and GDAL, so that they need neither
** Python nor GDAL's Python bindings:
**
**   gridtool random OUT.tif SRC.csv NX NY DX DY SEED NSRC NNODATA
**       uniform random friction in 0.001..0.05 minutes per metre, NNODATA
**       nodata cells (-9999), NSRC sources at distinct passable cell
**       centres written as "id,x,y" (ids 1..NSRC), EPSG:25832.
**   gridtool denmark OUT.tif SRC.csv NX NY CELL SEED NSRC
**       a land-and-sea friction grid shaped like a national one: smooth
**       noise for the coast (sea and lakes nodata), fields and forest off
**       road (4-5 km/h), a wobbly grid of minor roads (50 km/h), main roads
**       between towns (80 km/h), two motorways with bridges (110 km/h).
**   gridtool gamma OUT.tif SRC.csv NX NY CELL SEED NSRC
**       random friction, gamma-distributed (shape 2, mean 0.02 minutes per
**       metre: a few cells nearly free, a long tail of slow ones), with
**       barriers: 6 % of the cells alone and 60 walls 100-800 cells long,
**       each with a gap.
**   gridtool roadlake OUT.tif SRC.csv NX NY CELL SEED NSRC
**       a road-like grid with lakes: off road 3-5 km/h (smooth noise), a
**       straight grid of roads every 20 cells (50 km/h), every fifth one
**       faster (90 km/h), lakes (nodata discs of radius 3-40 cells, about
**       a sixth of the area) that roads go around, not across.
**   gridtool compare A.tif B.tif [--near A_NEAR.tif B_NEAR.tif]
**                    [--max-cost M] [--rtol R]
**       A is gpcov's travel time, B r.cost's.  Cells of B above M count as
**       unreachable (r.cost leaves its tentative costs in the cells it had
**       queued when it stopped at max_cost).  Prints the counts and the
**       largest relative difference; exits 1 when reachability differs, a
**       cell differs by more than R (default 1e-4) relatively, or the
**       nearest sources differ.
*/
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;

static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static void die(const char *m, const char *p)
{
    fprintf(stderr, "gridtool: %s%s%s\n", m, p ? ": " : "", p ? p : "");
    exit(2);
}

static void write_tif(const char *p, int nx, int ny, double dx, double dy, const float *v)
{
    char **co = NULL;
    co = CSLSetNameValue(co, "TILED", "YES");
    co = CSLSetNameValue(co, "COMPRESS", "DEFLATE");
    co = CSLSetNameValue(co, "BIGTIFF", "IF_SAFER");
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), p, nx, ny, 1, GDT_Float32, co);
    CSLDestroy(co);
    if (!ds)
        die("cannot create", p);
    double gt[6] = {450000, dx, 0, 6410000, 0, -dy};
    GDALSetGeoTransform(ds, gt);
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(s, 25832);
    GDALSetSpatialRef(ds, s);
    OSRDestroySpatialReference(s);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    GDALSetRasterNoDataValue(b, -9999);
    if (GDALRasterIO(b, GF_Write, 0, 0, nx, ny, (void *)v, nx, ny, GDT_Float32, 0, 0) != CE_None)
        die("cannot write", p);
    GDALClose(ds);
}

static void write_sources(const char *p, int nx, int ny, double dx, double dy,
                          const float *v, int nsrc)
{
    FILE *f = fopen(p, "w");
    if (!f)
        die("cannot write", p);
    fprintf(f, "id,x,y\n");
    char *used = calloc((size_t)nx * ny, 1);
    for (int k = 1; k <= nsrc;) {
        int c = (int)(urand() * nx), r = (int)(urand() * ny);
        size_t i = (size_t)r * nx + c;
        if (v[i] == -9999 || used[i])
            continue;
        used[i] = 1;
        fprintf(f, "%d,%.3f,%.3f\n", k++, 450000 + (c + 0.5) * dx, 6410000 - (r + 0.5) * dy);
    }
    free(used);
    fclose(f);
}

static int cmd_random(int argc, char **argv)
{
    if (argc != 11)
        die("usage: random OUT.tif SRC.csv NX NY DX DY SEED NSRC NNODATA", NULL);
    int nx = atoi(argv[4]), ny = atoi(argv[5]);
    double dx = atof(argv[6]), dy = atof(argv[7]);
    rng += (uint64_t)atoll(argv[8]) * 2654435761u;
    int nsrc = atoi(argv[9]), nnd = atoi(argv[10]);
    size_t n = (size_t)nx * ny;
    float *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (float)(0.001 + 0.049 * urand());
    for (int k = 0; k < nnd; k++)
        v[(size_t)(urand() * (double)n)] = -9999;
    write_tif(argv[2], nx, ny, dx, dy, v);
    write_sources(argv[3], nx, ny, dx, dy, v, nsrc);
    free(v);
    return 0;
}

/* Smooth value noise: random values on a lattice of spacing L cells,
** interpolated with smoothstep. */
struct lattice {
    int w, h, L;
    float *v;
};

static struct lattice lattice_new(int nx, int ny, int L)
{
    struct lattice t = {nx / L + 2, ny / L + 2, L, NULL};
    t.v = malloc((size_t)t.w * t.h * sizeof *t.v);
    for (int i = 0; i < t.w * t.h; i++)
        t.v[i] = (float)urand();
    return t;
}

static double lattice_at(const struct lattice *t, int r, int c)
{
    int i = c / t->L, j = r / t->L;
    double fx = (double)(c % t->L) / t->L, fy = (double)(r % t->L) / t->L;
    fx = fx * fx * (3 - 2 * fx);
    fy = fy * fy * (3 - 2 * fy);
    const float *a = t->v + (size_t)j * t->w + i;
    double top = a[0] + (a[1] - a[0]) * fx;
    double bot = a[t->w] + (a[t->w + 1] - a[t->w]) * fx;
    return top + (bot - top) * fy;
}

static void draw_line(float *v, int nx, int ny, double x0, double y0, double x1, double y1,
                      float f, int over_sea, int wobble)
{
    double len = hypot(x1 - x0, y1 - y0);
    int steps = (int)(len * 2) + 1;
    double phase = urand() * 6.28;
    for (int s = 0; s <= steps; s++) {
        double t = (double)s / steps;
        double x = x0 + (x1 - x0) * t, y = y0 + (y1 - y0) * t;
        if (wobble) { /* roads bend */
            x += wobble * sin(t * 9 + phase) * (y1 - y0) / (len + 1);
            y -= wobble * sin(t * 9 + phase) * (x1 - x0) / (len + 1);
        }
        int c = (int)x, r = (int)y;
        if (c < 0 || c >= nx || r < 0 || r >= ny)
            continue;
        float *p = &v[(size_t)r * nx + c];
        if (*p == -9999 && !over_sea)
            continue;
        if (*p == -9999 || f < *p)
            *p = f;
    }
}

static int cmd_denmark(int argc, char **argv)
{
    if (argc != 9)
        die("usage: denmark OUT.tif SRC.csv NX NY CELL SEED NSRC", NULL);
    int nx = atoi(argv[4]), ny = atoi(argv[5]);
    double cell = atof(argv[6]);
    rng += (uint64_t)atoll(argv[7]) * 2654435761u;
    int nsrc = atoi(argv[8]);
    size_t n = (size_t)nx * ny;
    float *v = malloc(n * sizeof *v);
    /* scales in cells, chosen for 100 m cells and kept in proportion */
    double k = 100.0 / cell;
    struct lattice coast1 = lattice_new(nx, ny, (int)(600 * k) + 1);
    struct lattice coast2 = lattice_new(nx, ny, (int)(150 * k) + 1);
    struct lattice coast3 = lattice_new(nx, ny, (int)(40 * k) + 1);
    struct lattice cover = lattice_new(nx, ny, (int)(20 * k) + 1);
    for (int r = 0; r < ny; r++)
        for (int c = 0; c < nx; c++) {
            double land = 0.55 * lattice_at(&coast1, r, c) + 0.3 * lattice_at(&coast2, r, c) +
                          0.15 * lattice_at(&coast3, r, c);
            land += 0.12 * (0.5 - (double)c / nx); /* more land in the west */
            double cv = lattice_at(&cover, r, c);
            float f;
            if (land < 0.47)
                f = -9999; /* sea */
            else if (cv > 0.93 && land > 0.55)
                f = -9999; /* lake */
            else if (cv > 0.6)
                f = (float)(60.0 / 4000); /* forest, 4 km/h */
            else
                f = (float)(60.0 / (5000 - 1500 * cv)); /* fields, 4-5 km/h */
            v[(size_t)r * nx + c] = f;
        }
    /* minor roads: a wobbly grid every 3 km */
    int sp = (int)(30 * k) + 1;
    for (int c = sp / 2; c < nx; c += sp)
        draw_line(v, nx, ny, c, 0, c + (urand() - 0.5) * sp, ny - 1, (float)(60.0 / 50000),
                  0, sp / 3);
    for (int r = sp / 2; r < ny; r += sp)
        draw_line(v, nx, ny, 0, r, nx - 1, r + (urand() - 0.5) * sp, (float)(60.0 / 50000),
                  0, sp / 3);
    /* main roads between towns */
    enum { NT = 40 };
    double tx[NT], ty[NT];
    for (int t = 0; t < NT;) {
        int c = (int)(urand() * nx), r = (int)(urand() * ny);
        if (v[(size_t)r * nx + c] == -9999)
            continue;
        tx[t] = c;
        ty[t++] = r;
    }
    for (int t = 0; t < NT; t++) {
        int best = -1;
        double bd = 1e300;
        for (int u = 0; u < NT; u++) {
            double d = hypot(tx[u] - tx[t], ty[u] - ty[t]);
            if (u != t && d < bd && d > 1) {
                bd = d;
                best = u;
            }
        }
        if (best >= 0)
            draw_line(v, nx, ny, tx[t], ty[t], tx[best], ty[best], (float)(60.0 / 80000), 0,
                      (int)(50 * k));
    }
    /* two motorways crossing the country, bridges included */
    draw_line(v, nx, ny, nx * 0.25, 0, nx * 0.3, ny - 1, (float)(60.0 / 110000), 1, 0);
    draw_line(v, nx, ny, nx * 0.2, ny * 0.6, nx - 1, ny * 0.55, (float)(60.0 / 110000), 1, 0);
    write_tif(argv[2], nx, ny, cell, cell, v);
    write_sources(argv[3], nx, ny, cell, cell, v, nsrc);
    size_t land = 0;
    for (size_t i = 0; i < n; i++)
        land += v[i] != -9999;
    printf("%d x %d cells, %.0f%% passable, %d sources\n", nx, ny, 100.0 * land / n, nsrc);
    free(v);
    free(coast1.v);
    free(coast2.v);
    free(coast3.v);
    free(cover.v);
    return 0;
}

static int cmd_gamma(int argc, char **argv)
{
    if (argc != 9)
        die("usage: gamma OUT.tif SRC.csv NX NY CELL SEED NSRC", NULL);
    int nx = atoi(argv[4]), ny = atoi(argv[5]);
    double cell = atof(argv[6]);
    rng += (uint64_t)atoll(argv[7]) * 2654435761u;
    size_t n = (size_t)nx * ny;
    float *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++) /* shape 2: the sum of two exponentials */
        v[i] = (float)(-0.01 * (log(1 - urand()) + log(1 - urand())) + 1e-6);
    for (size_t i = 0; i < n; i++)
        if (urand() < 0.06)
            v[i] = -9999;
    for (int k = 0; k < 60; k++) {
        double x = urand() * nx, y = urand() * ny, len = 100 + 700 * urand();
        double gap = 0.2 + 0.6 * urand();
        int vertical = urand() < 0.5;
        for (int s = 0; s < (int)len; s++) {
            if (fabs((double)s / len - gap) < 0.01)
                continue; /* the way through */
            int c = (int)(vertical ? x : x + s), r = (int)(vertical ? y + s : y);
            if (c >= 0 && c < nx && r >= 0 && r < ny)
                v[(size_t)r * nx + c] = -9999;
        }
    }
    write_tif(argv[2], nx, ny, cell, cell, v);
    write_sources(argv[3], nx, ny, cell, cell, v, atoi(argv[8]));
    printf("gamma friction, %d x %d cells, %s sources\n", nx, ny, argv[8]);
    free(v);
    return 0;
}

static int cmd_roadlake(int argc, char **argv)
{
    if (argc != 9)
        die("usage: roadlake OUT.tif SRC.csv NX NY CELL SEED NSRC", NULL);
    int nx = atoi(argv[4]), ny = atoi(argv[5]);
    double cell = atof(argv[6]);
    rng += (uint64_t)atoll(argv[7]) * 2654435761u;
    size_t n = (size_t)nx * ny;
    float *v = malloc(n * sizeof *v);
    struct lattice cover = lattice_new(nx, ny, 25);
    for (int r = 0; r < ny; r++)
        for (int c = 0; c < nx; c++)
            v[(size_t)r * nx + c] = (float)(60.0 / (3000 + 2000 * lattice_at(&cover, r, c)));
    for (size_t k = 0; k < n / 9000; k++) { /* lakes */
        double x = urand() * nx, y = urand() * ny, rad = 3 + 37 * urand() * urand();
        for (int r = (int)(y - rad); r <= (int)(y + rad); r++)
            for (int c = (int)(x - rad); c <= (int)(x + rad); c++)
                if (r >= 0 && r < ny && c >= 0 && c < nx && hypot(c - x, r - y) <= rad)
                    v[(size_t)r * nx + c] = -9999;
    }
    for (int k = 10, i = 0; k < nx || k < ny; k += 20, i++) {
        float f = (float)(60.0 / (i % 5 == 0 ? 90000 : 50000));
        if (k < nx)
            draw_line(v, nx, ny, k, 0, k, ny - 1, f, 0, 0);
        if (k < ny)
            draw_line(v, nx, ny, 0, k, nx - 1, k, f, 0, 0);
    }
    write_tif(argv[2], nx, ny, cell, cell, v);
    write_sources(argv[3], nx, ny, cell, cell, v, atoi(argv[8]));
    printf("road-like grid with lakes, %d x %d cells, %s sources\n", nx, ny, argv[8]);
    free(v);
    free(cover.v);
    return 0;
}

/* Reads band 1 as double, nodata and masked cells NaN. */
static double *read_band(const char *p, int *nx, int *ny)
{
    GDALDatasetH ds = GDALOpen(p, GA_ReadOnly);
    if (!ds)
        die("cannot open", p);
    *nx = GDALGetRasterXSize(ds);
    *ny = GDALGetRasterYSize(ds);
    size_t n = (size_t)*nx * *ny;
    double *v = malloc(n * sizeof *v);
    unsigned char *m = malloc(n);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    if (GDALRasterIO(b, GF_Read, 0, 0, *nx, *ny, v, *nx, *ny, GDT_Float64, 0, 0) != CE_None ||
        GDALRasterIO(GDALGetMaskBand(b), GF_Read, 0, 0, *nx, *ny, m, *nx, *ny, GDT_Byte, 0,
                     0) != CE_None)
        die("cannot read", p);
    for (size_t i = 0; i < n; i++)
        if (!m[i])
            v[i] = NAN;
    free(m);
    GDALClose(ds);
    return v;
}

static int cmd_compare(int argc, char **argv)
{
    if (argc < 4)
        die("usage: compare A.tif B.tif [--near A B] [--max-cost M] [--rtol R]", NULL);
    const char *an = NULL, *bn = NULL;
    double maxc = 0, rtol = 1e-4;
    for (int i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--near") && i + 2 < argc) {
            an = argv[++i];
            bn = argv[++i];
        } else if (!strcmp(argv[i], "--max-cost") && i + 1 < argc)
            maxc = atof(argv[++i]);
        else if (!strcmp(argv[i], "--rtol") && i + 1 < argc)
            rtol = atof(argv[++i]);
        else
            die("unknown option", argv[i]);
    }
    int nx, ny, nx2, ny2;
    double *a = read_band(argv[2], &nx, &ny), *b = read_band(argv[3], &nx2, &ny2);
    if (nx != nx2 || ny != ny2)
        die("the two rasters differ in size", NULL);
    double *na = an ? read_band(an, &nx2, &ny2) : NULL, *nb = bn ? read_band(bn, &nx2, &ny2) : NULL;
    size_t n = (size_t)nx * ny, reach = 0, both = 0, over = 0, nmis = 0, worst_i = 0;
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        if (maxc > 0 && b[i] > maxc)
            b[i] = NAN;
        int ra = !isnan(a[i]), rb = !isnan(b[i]);
        if (ra != rb) {
            if (reach++ < 5)
                printf("# reach differs at row %zu col %zu: gpcov %g, r.cost %g\n",
                       i / nx, i % nx, a[i], b[i]);
            continue;
        }
        if (!ra)
            continue;
        both++;
        double d = fabs(a[i] - b[i]);
        double rel = b[i] != 0 ? d / fabs(b[i]) : d == 0 ? 0 : INFINITY;
        if (rel > worst) {
            worst = rel;
            worst_i = i;
        }
        over += rel > rtol;
        if (na && nb && na[i] != nb[i] && nmis++ < 5)
            printf("# nearest differs at row %zu col %zu: gpcov %g, r.cost %g (cost %g / %g)\n",
                   i / nx, i % nx, na[i], nb[i], a[i], b[i]);
    }
    printf("cells %zu, reachable in both %zu, reachability differs %zu, "
           "max relative difference %.3g (row %zu col %zu), over %.0e %zu, nearest differs %zu\n",
           n, both, reach, worst, worst_i / nx, worst_i % nx, rtol, over, nmis);
    free(a);
    free(b);
    free(na);
    free(nb);
    return reach || over || nmis ? 1 : 0;
}

int main(int argc, char **argv)
{
    GDALAllRegister();
    if (argc >= 2 && !strcmp(argv[1], "random"))
        return cmd_random(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "denmark"))
        return cmd_denmark(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "gamma"))
        return cmd_gamma(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "roadlake"))
        return cmd_roadlake(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "compare"))
        return cmd_compare(argc, argv);
    die("usage: gridtool random|denmark|gamma|roadlake|compare ...", NULL);
    return 2;
}
