/*
** test_costdist.c: the friction travel-time engine (costdist.c), raster
** I/O (raster.c) and the files-to-files run (traveltime_friction.c).
** Costs on 5 x 5 grids are worked out by hand: with friction 0.01 minutes
** per metre and 100 m cells an orthogonal step costs 1 minute and a
** diagonal one sqrt(2).  A random grid is checked against a brute-force
** relaxation.  Fixture rasters are written with GDAL into a mkdtemp dir.
*/
#include "gpcov.h"
#include "tap.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <dirent.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 5
#define F 0.01f
#define S2 1.4142135623730951
#define S5 2.23606797749979

static char dir[64];

static const char *path(const char *name)
{
    static char buf[32][256];
    static int k;
    k = (k + 1) % 32;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static struct gpcov_grid grid(int nx, int ny, double dx, double dy)
{
    struct gpcov_grid g = {nx, ny, {500000, dx, 0, 6200000, 0, -dy}, NULL};
    return g;
}

static void fill(float *f, size_t n, float v)
{
    for (size_t i = 0; i < n; i++)
        f[i] = v;
}

#define AT(a, r, c) ((a)[(r) * N + (c)])
#define CELL(r, c) ((int64_t)(r) * N + (c))

/* Runs gpcov_costdist on the 5 x 5 grid g; returns the status. */
static gpcov_status run(gpcov_ctx *ctx, const struct gpcov_grid *g, const float *f,
                        const int64_t *src, size_t nsrc, int knight, double max,
                        float *cost, int32_t *near)
{
    return gpcov_costdist(ctx, g, f, src, nsrc, knight, max, cost, near);
}

/* Writes a GeoTIFF fixture: epsg 0 = no CRS; nodata NULL = none. */
static void make_tif(const char *p, int nx, int ny, const double gt[6], int epsg,
                     const double *v, const double *nodata, int type)
{
    GDALDriverH d = GDALGetDriverByName("GTiff");
    GDALDatasetH ds = GDALCreate(d, p, nx, ny, 1, type, NULL);
    double t[6];
    memcpy(t, gt, sizeof t);
    GDALSetGeoTransform(ds, t);
    if (epsg) {
        OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(s, epsg);
        GDALSetSpatialRef(ds, s);
        OSRDestroySpatialReference(s);
    }
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    if (nodata)
        GDALSetRasterNoDataValue(b, *nodata);
    if (GDALRasterIO(b, GF_Write, 0, 0, nx, ny, (void *)v, nx, ny, GDT_Float64, 0, 0) !=
        CE_None) {
        fprintf(stderr, "cannot write fixture %s\n", p);
        exit(2);
    }
    GDALClose(ds);
}

static int contains(const char *hay, const char *needle)
{
    int ok = hay && strstr(hay, needle) != NULL;
    if (!ok)
        printf("#   message: %s\n#   wanted:  %s\n", hay ? hay : "(null)", needle);
    return ok;
}

/* Files in dir whose name contains part (temporary files of atomic writes
** start with a dot). */
static int count_files(const char *part)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, part))
            n++;
    if (d)
        closedir(d);
    return n;
}

static int files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int eq = fa && fb;
    while (eq) {
        int ca = fgetc(fa), cb = fgetc(fb);
        if (ca != cb)
            eq = 0;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return eq;
}

static int cancel_cb(double f, const char *label, void *user)
{
    (void)f;
    (void)label;
    (void)user;
    return 1;
}

/* Brute force: relax every move of every cell until nothing changes. */
static void reference(const struct gpcov_grid *g, const float *f, const int64_t *src,
                      size_t nsrc, int knight, double *cost, int32_t *near)
{
    int nx = g->nx, ny = g->ny;
    double dx = g->gt[1], dy = -g->gt[5];
    static const int mv[16][2] = {{-1, 0}, {1, 0},  {0, -1}, {0, 1},  {-1, -1}, {-1, 1},
                                  {1, -1}, {1, 1},  {-2, -1}, {-2, 1}, {2, -1},  {2, 1},
                                  {-1, -2}, {1, -2}, {-1, 2}, {1, 2}};
    for (int i = 0; i < nx * ny; i++) {
        cost[i] = INFINITY;
        near[i] = -1;
    }
    for (size_t s = 0; s < nsrc; s++)
        if (near[src[s]] < 0) {
            cost[src[s]] = 0;
            near[src[s]] = (int32_t)s;
        }
    for (int changed = 1; changed;) {
        changed = 0;
        for (int r = 0; r < ny; r++)
            for (int c = 0; c < nx; c++) {
                int a = r * nx + c;
                if (isnan(f[a]) || isinf(cost[a]))
                    continue;
                for (int k = 0; k < (knight ? 16 : 8); k++) {
                    int r2 = r + mv[k][0], c2 = c + mv[k][1];
                    if (r2 < 0 || r2 >= ny || c2 < 0 || c2 >= nx)
                        continue;
                    int b = r2 * nx + c2;
                    if (isnan(f[b]))
                        continue;
                    double d, sum = (double)f[a] + f[b];
                    int adr = abs(mv[k][0]), adc = abs(mv[k][1]);
                    if (adr + adc <= 2 && adr < 2 && adc < 2) {
                        d = adr && adc ? sqrt(dx * dx + dy * dy) : adr ? dy : dx;
                        d /= 2;
                    } else {
                        int m1, m2;
                        if (adr == 2) {
                            m1 = (r + mv[k][0] / 2) * nx + c;
                            m2 = (r + mv[k][0] / 2) * nx + c2;
                            d = sqrt(dx * dx + 4 * dy * dy) / 4;
                        } else {
                            m1 = r * nx + c + mv[k][1] / 2;
                            m2 = r2 * nx + c + mv[k][1] / 2;
                            d = sqrt(4 * dx * dx + dy * dy) / 4;
                        }
                        if (isnan(f[m1]) || isnan(f[m2]))
                            continue;
                        sum += (double)f[m1] + f[m2];
                    }
                    double nc = cost[a] + sum * d;
                    if (nc < cost[b] - 1e-12 * nc ||
                        (fabs(nc - cost[b]) <= 1e-12 * nc && near[a] < near[b])) {
                        if (nc < cost[b])
                            cost[b] = nc;
                        near[b] = near[a];
                        changed = 1;
                    }
                }
            }
    }
}

static void test_engine(gpcov_ctx *ctx)
{
    struct gpcov_grid g = grid(N, N, 100, 100);
    float f[N * N], cost[N * N];
    int32_t near[N * N];
    int64_t src[2];

    /* uniform friction, one source in the middle */
    fill(f, N * N, F);
    src[0] = CELL(2, 2);
    OK(run(ctx, &g, f, src, 1, 0, 0, cost, near) == GPCOV_OK, "uniform: runs");
    NEAR(AT(cost, 2, 2), 0, 0, "uniform: the source cell costs 0");
    NEAR(AT(cost, 2, 3), 1.0, 1e-6, "uniform: east neighbour 100 m x 0.01 = 1 min");
    NEAR(AT(cost, 1, 2), 1.0, 1e-6, "uniform: north neighbour 1 min");
    NEAR(AT(cost, 1, 1), S2, 1e-6, "uniform: diagonal neighbour sqrt(2) min");
    NEAR(AT(cost, 0, 0), 2 * S2, 1e-6, "uniform: two diagonals 2 sqrt(2)");
    NEAR(AT(cost, 0, 2), 2.0, 1e-6, "uniform: two cells north 2 min");
    NEAR(AT(cost, 0, 1), 1 + S2, 1e-6, "uniform: (2 rows, 1 col) is 1 + sqrt(2) in 8 moves");
    int all0 = 1;
    for (int i = 0; i < N * N; i++)
        all0 &= near[i] == 0;
    OK(all0, "uniform: every cell's nearest source is 0");

    /* knight's moves */
    OK(run(ctx, &g, f, src, 1, 1, 0, cost, near) == GPCOV_OK, "knight: runs");
    NEAR(AT(cost, 0, 1), S5, 1e-6, "knight: (2 rows, 1 col) costs sqrt(5) < 1 + sqrt(2)");
    NEAR(AT(cost, 1, 0), S5, 1e-6, "knight: (1 row, 2 cols) costs sqrt(5)");
    NEAR(AT(cost, 0, 0), 2 * S2, 1e-6, "knight: (2, 2) stays 2 sqrt(2)");
    NEAR(AT(cost, 2, 3), 1.0, 1e-6, "knight: neighbours unchanged");

    /* a knight's move pays for the two cells it crosses halfway */
    AT(f, 1, 1) = 0.05f;
    OK(run(ctx, &g, f, src, 1, 1, 0, cost, near) == GPCOV_OK, "knight, slow middle: runs");
    NEAR(AT(cost, 0, 1), 1 + S2, 1e-6,
         "knight: through a slow middle cell costs (0.01*3+0.05)/4*sqrt(5)*100 = 4.47, "
         "so 1 + sqrt(2) wins (counting only the two ends would give sqrt(5))");
    NEAR(AT(cost, 0, 3), S5, 1e-6, "knight: the mirror move, fast middle cells, sqrt(5)");
    AT(f, 1, 1) = NAN;
    OK(run(ctx, &g, f, src, 1, 1, 0, cost, near) == GPCOV_OK, "knight, barrier middle: runs");
    NEAR(AT(cost, 0, 1), 1 + S2, 1e-6, "knight: no knight's move past a barrier");
    OK(isnan(AT(cost, 1, 1)) && AT(near, 1, 1) == -1, "knight: the barrier is nodata, -1");

    /* a wall in column 2, rows 0-3: from (0,0) to (0,4) round its foot */
    fill(f, N * N, F);
    for (int r = 0; r < 4; r++)
        AT(f, r, 2) = NAN;
    src[0] = CELL(0, 0);
    OK(run(ctx, &g, f, src, 1, 0, 0, cost, near) == GPCOV_OK, "wall: runs");
    NEAR(AT(cost, 4, 2), 2 + 2 * S2, 1e-6, "wall: the gap (4,2) at 2 + 2 sqrt(2)");
    NEAR(AT(cost, 0, 4), 4 + 4 * S2, 1e-5, "wall: (0,4) by the detour, 4 + 4 sqrt(2)");
    NEAR(AT(cost, 0, 3), 5 + 3 * S2, 1e-5, "wall: (0,3) at 5 + 3 sqrt(2)");
    OK(isnan(AT(cost, 1, 2)) && AT(near, 1, 2) == -1, "wall: wall cells are nodata and -1");

    /* diagonal moves between two barrier corners are allowed, as in r.cost */
    fill(f, N * N, F);
    AT(f, 1, 2) = NAN;
    AT(f, 2, 1) = NAN;
    src[0] = CELL(2, 2);
    OK(run(ctx, &g, f, src, 1, 0, 0, cost, near) == GPCOV_OK, "corner: runs");
    NEAR(AT(cost, 1, 1), S2, 1e-6, "corner: a diagonal between two barriers costs sqrt(2)");
}

/* two sources and their ties, then max_cost */
static void test_engine_sources(gpcov_ctx *ctx)
{
    struct gpcov_grid g = grid(N, N, 100, 100);
    float f[N * N], cost[N * N];
    int32_t near[N * N];
    int64_t src[2];

    /* two sources; the middle column is a tie */
    fill(f, N * N, F);
    src[0] = CELL(2, 0);
    src[1] = CELL(2, 4);
    OK(run(ctx, &g, f, src, 2, 0, 0, cost, near) == GPCOV_OK, "two sources: runs");
    NEAR(AT(cost, 2, 2), 2.0, 1e-6, "two sources: the middle is 2 min from both");
    NEAR(AT(cost, 0, 2), 2 * S2, 1e-6, "two sources: (0,2) at 2 sqrt(2)");
    NEAR(AT(cost, 4, 4), 2.0, 1e-6, "two sources: (4,4) 2 min from source 1");
    int west = 1, east = 1, mid = 1;
    for (int r = 0; r < N; r++) {
        west &= AT(near, r, 0) == 0 && AT(near, r, 1) == 0;
        east &= AT(near, r, 3) == 1 && AT(near, r, 4) == 1;
        mid &= AT(near, r, 2) == 0;
    }
    OK(west && east, "two sources: each half goes to its own source");
    OK(mid, "two sources: the tied middle column goes to the lower index, 0");
    src[0] = CELL(2, 4);
    src[1] = CELL(2, 0);
    OK(run(ctx, &g, f, src, 2, 0, 0, cost, near) == GPCOV_OK, "two sources swapped: runs");
    mid = 1;
    for (int r = 0; r < N; r++)
        mid &= AT(near, r, 2) == 0 && AT(near, r, 0) == 1;
    OK(mid, "two sources swapped: the tie still goes to index 0 (now the east one)");
    src[1] = CELL(2, 4);
    OK(run(ctx, &g, f, src, 2, 0, 0, cost, near) == GPCOV_OK && AT(near, 2, 4) == 0 &&
           AT(near, 0, 0) == 0,
       "two sources on one cell: the lower index takes everything");

    /* max_cost */
    src[0] = CELL(2, 2);
    OK(run(ctx, &g, f, src, 1, 0, 1.5, cost, near) == GPCOV_OK, "max 1.5: runs");
    OK(AT(cost, 2, 3) == 1.0f && fabs(AT(cost, 1, 1) - S2) < 1e-6,
       "max 1.5: 1 and sqrt(2) are reached");
    OK(isnan(AT(cost, 0, 2)) && AT(near, 0, 2) == -1 && isnan(AT(cost, 0, 0)),
       "max 1.5: 2 and beyond are nodata, nearest -1");
    OK(run(ctx, &g, f, src, 1, 0, 2.0, cost, near) == GPCOV_OK, "max 2: runs");
    OK(AT(cost, 0, 2) == 2.0f && AT(near, 0, 2) == 0, "max 2: a cost of exactly 2 is kept");
    OK(isnan(AT(cost, 0, 1)), "max 2: 1 + sqrt(2) is cut");
    OK(run(ctx, &g, f, src, 1, 0, 0, cost, NULL) == GPCOV_OK && AT(cost, 0, 0) > 2.8f,
       "nearest_out may be NULL");
}

/* non-square cells, zero friction, errors and cancel, from one source in
** the middle of a uniform grid */
static void test_engine_limits(gpcov_ctx *ctx)
{
    struct gpcov_grid g = grid(N, N, 100, 100);
    float f[N * N], cost[N * N];
    int32_t near[N * N];
    int64_t src[2];
    fill(f, N * N, F);
    src[0] = CELL(2, 2);

    /* cells 100 m wide, 50 m tall */
    struct gpcov_grid gr = grid(N, N, 100, 50);
    OK(run(ctx, &gr, f, src, 1, 1, 0, cost, near) == GPCOV_OK, "non-square: runs");
    NEAR(AT(cost, 1, 2), 0.5, 1e-6, "non-square: north 50 m = 0.5 min");
    NEAR(AT(cost, 2, 3), 1.0, 1e-6, "non-square: east 100 m = 1 min");
    NEAR(AT(cost, 1, 1), 0.01 * sqrt(100 * 100 + 50 * 50), 1e-6,
         "non-square: diagonal sqrt(100^2+50^2) m");
    NEAR(AT(cost, 0, 1), 0.01 * sqrt(100 * 100 + 100 * 100), 1e-6,
         "non-square: knight 2 rows 1 col sqrt(100^2+(2*50)^2) m");
    NEAR(AT(cost, 1, 0), 0.01 * sqrt(200 * 200 + 50 * 50), 1e-6,
         "non-square: knight 1 row 2 cols sqrt((2*100)^2+50^2) m");

    /* zero friction is allowed */
    fill(f, N * N, 0);
    OK(run(ctx, &g, f, src, 1, 0, 0, cost, near) == GPCOV_OK && AT(cost, 0, 0) == 0,
       "zero friction: everything at 0");

    /* errors */
    fill(f, N * N, F);
    AT(f, 3, 1) = -0.5f;
    OK(run(ctx, &g, f, src, 1, 0, 0, cost, near) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "row 3, column 1"),
       "negative friction in memory: EINPUT naming the cell");
    AT(f, 3, 1) = NAN;
    src[0] = CELL(3, 1);
    OK(run(ctx, &g, f, src, 1, 0, 0, cost, near) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "barrier"),
       "a source cell on a barrier: EINPUT");
    src[0] = N * N;
    OK(run(ctx, &g, f, src, 1, 0, 0, cost, near) == GPCOV_EUSAGE &&
           contains(gpcov_ctx_message(ctx), "outside"),
       "a source cell outside the grid: EUSAGE");
    OK(run(ctx, &g, f, src, 0, 0, 0, cost, near) == GPCOV_EUSAGE, "no sources: EUSAGE");

    /* cancel */
    src[0] = CELL(2, 2);
    gpcov_ctx_set_progress(ctx, cancel_cb, NULL);
    OK(run(ctx, &g, f, src, 1, 0, 0, cost, near) == GPCOV_ECANCEL, "a progress callback cancels");
    gpcov_ctx_set_progress(ctx, NULL, NULL);
}

/* A random 40 x 30 grid, some barriers, three sources, against the brute
** force, 8 and 16 moves. */
static void test_random(gpcov_ctx *ctx)
{
    enum { NX = 40, NY = 30 };
    struct gpcov_grid g = grid(NX, NY, 100, 80);
    static float f[NX * NY], cost[NX * NY];
    static int32_t near[NX * NY], rnear[NX * NY];
    static double ref[NX * NY];
    unsigned s = 12345;
    for (int i = 0; i < NX * NY; i++) {
        s = s * 1103515245u + 12345u;
        f[i] = 0.001f + (float)((s >> 8) % 10000) * 0.0000049f;
        if ((s >> 4) % 11 == 0)
            f[i] = NAN;
    }
    int64_t src[3] = {5 * NX + 5, 20 * NX + 30, 25 * NX + 3};
    for (int k = 0; k < 3; k++)
        f[src[k]] = 0.01f;
    for (int knight = 0; knight < 2; knight++) {
        OK(gpcov_costdist(ctx, &g, f, src, 3, knight, 0, cost, near) == GPCOV_OK,
           "random %s: runs", knight ? "16 moves" : "8 moves");
        reference(&g, f, src, 3, knight, ref, rnear);
        double worst = 0;
        int reach = 0, nearest = 0;
        for (int i = 0; i < NX * NY; i++) {
            int r1 = !isnan(cost[i]), r2 = !isinf(ref[i]) && !isnan(f[i]);
            if (r1 != r2) {
                reach++;
                continue;
            }
            if (!r1)
                continue;
            double d = fabs(cost[i] - ref[i]) / (ref[i] > 0 ? ref[i] : 1);
            if (d > worst)
                worst = d;
            nearest += near[i] != rnear[i];
        }
        OK(reach == 0, "random %s: same cells reached as brute force (%d differ)",
           knight ? "16" : "8", reach);
        OK(worst < 1e-6, "random %s: costs equal brute force (max rel diff %.2g)",
           knight ? "16" : "8", worst);
        OK(nearest == 0, "random %s: nearest sources equal brute force (%d differ)",
           knight ? "16" : "8", nearest);
    }
}

/* the state the raster cases share: the friction raster as written and as
** read */
struct io_state {
    gpcov_ctx *ctx;
    double gt[6];
    double v[N * N], nd;
    struct gpcov_grid g;
    float *f;
};

/* a friction raster read, and source points located on it */
static void test_io(struct io_state *s)
{
    gpcov_ctx *ctx = s->ctx;
    double *gt = s->gt, *v = s->v, nd = s->nd;
    for (int i = 0; i < N * N; i++)
        v[i] = 0.01;
    v[7] = nd;
    make_tif(path("fric.tif"), N, N, gt, 25832, v, &nd, GDT_Float32);
    struct gpcov_grid g;
    float *f = NULL;
    OK(gpcov_friction_read(ctx, path("fric.tif"), &g, &f) == GPCOV_OK,
       "friction: a good file reads (%s)", gpcov_ctx_message(ctx));
    OK(f && g.nx == N && g.ny == N && g.gt[0] == 600000 && g.gt[5] == -100 && g.srs_wkt,
       "friction: size, geotransform and CRS");
    OK(f && isnan(f[7]) && fabs(f[8] - 0.01) < 1e-9, "friction: nodata becomes NaN");

    /* source points to cells */
    double x[2] = {600250, 600250}, y[2] = {6099750, 6099850};
    const char *names[2] = {"clinics.gpkg: feature 1", NULL};
    int64_t cells[2];
    OK(gpcov_grid_locate(ctx, &g, f, 1, x, y, names, cells) == GPCOV_OK && cells[0] == 12,
       "locate: the middle cell");
    x[0] = 600250.5;
    y[0] = 6099700;
    OK(gpcov_grid_locate(ctx, &g, f, 1, x, y, names, cells) == GPCOV_OK && cells[0] == 17,
       "locate: a point on a cell edge goes to the cell south of it");
    x[0] = 599999;
    OK(gpcov_grid_locate(ctx, &g, f, 2, x, y, names, cells) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "clinics.gpkg: feature 1: (599999.00, "
                                            "6099700.00) lies outside the raster"),
       "locate: a source outside the grid, named");
    x[0] = 600250;
    OK(gpcov_grid_locate(ctx, &g, f, 2, x, y, names, cells) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "source 2: (600250.00, 6099850.00) lies on a "
                                            "barrier (no friction at row 1, column 2)"),
       "locate: a source on a barrier, named by its number");
    s->g = g;
    s->f = f;
}

/* cost rasters written, refused, overwritten and read back */
static void test_io_write(struct io_state *s)
{
    gpcov_ctx *ctx = s->ctx;
    struct gpcov_grid g = s->g;
    float *f = s->f;

    /* writing */
    float *cost = malloc(N * N * sizeof *cost);
    int32_t *near = malloc(N * N * sizeof *near);
    int64_t src = 12;
    OK(gpcov_costdist(ctx, &g, f, &src, 1, 0, 0, cost, near) == GPCOV_OK, "io: cost runs");
    struct gpcov_raster_write_opts wo = {0, "minutes", "min", NULL, NULL};
    OK(gpcov_raster_write(ctx, path("cost.tif"), &g, GPCOV_RASTER_FLOAT32, cost, &wo) ==
           GPCOV_OK,
       "write: float32 (%s)", gpcov_ctx_message(ctx));
    OK(gpcov_raster_write(ctx, path("near.tif"), &g, GPCOV_RASTER_INT32, near, &wo) ==
           GPCOV_OK,
       "write: int32");
    OK(gpcov_raster_write(ctx, path("cost.tif"), &g, GPCOV_RASTER_FLOAT32, cost, &wo) ==
               GPCOV_EOUTPUT &&
           contains(gpcov_ctx_message(ctx), "exists already"),
       "write: an existing output is refused");
    wo.overwrite = 1;
    OK(gpcov_raster_write(ctx, path("cost.tif"), &g, GPCOV_RASTER_FLOAT32, cost, &wo) ==
           GPCOV_OK,
       "write: --overwrite replaces it");
    OK(gpcov_raster_write(ctx, path("cost2.tif"), &g, GPCOV_RASTER_FLOAT32, cost, &wo) ==
               GPCOV_OK &&
           files_equal(path("cost.tif"), path("cost2.tif")),
       "write: the same data give the same bytes");
    OK(count_files(".tmp") == 0 && count_files(".aux.xml") == 0,
       "write: no temporary or side files left");
    struct gpcov_grid g2;
    float *back = NULL;
    OK(gpcov_raster_read(ctx, path("cost.tif"), &g2, &back) == GPCOV_OK && back &&
           isnan(back[7]) && back[12] == 0 && back[13] == cost[13],
       "write: float32 reads back, nodata NaN");
    gpcov_grid_clear(&g2);
    free(back);
    OK(gpcov_raster_read(ctx, path("near.tif"), &g2, &back) == GPCOV_OK && back &&
           isnan(back[7]) && back[13] == 0,
       "write: int32 reads back, nodata -1");
    gpcov_grid_clear(&g2);
    free(back);
    GDALDatasetH ds = GDALOpen(path("cost.tif"), GA_ReadOnly);
    const char *comp = ds ? GDALGetMetadataItem(ds, "COMPRESSION", "IMAGE_STRUCTURE") : NULL;
    int bx = 0, by = 0;
    if (ds)
        GDALGetBlockSize(GDALGetRasterBand(ds, 1), &bx, &by);
    OGRSpatialReferenceH srs = ds ? GDALGetSpatialRef(ds) : NULL;
    const char *code = srs ? OSRGetAuthorityCode(srs, NULL) : NULL;
    OK(comp && !strcmp(comp, "DEFLATE") && bx == 256 && by == 256 && code &&
           !strcmp(code, "25832"),
       "write: DEFLATE, 256 x 256 tiles, EPSG:25832");
    if (ds)
        GDALClose(ds);
    wo.overwrite = 0;
    OK(gpcov_raster_write(ctx, path("nodir/x.tif"), &g, GPCOV_RASTER_FLOAT32, cost, &wo) ==
           GPCOV_EOUTPUT,
       "write: a missing directory is EOUTPUT");
    free(cost);
    free(near);
    free(f);
    gpcov_grid_clear(&g);
}

/* friction rasters that are refused, each with its reason */
static void test_io_bad(struct io_state *s)
{
    gpcov_ctx *ctx = s->ctx;
    double *gt = s->gt, *v = s->v, nd = s->nd;
    struct gpcov_grid g; /* each read clears it and the pixels */
    float *f = NULL;

    /* bad rasters */
    v[7] = 0.01;
    v[1 * N + 3] = -0.5;
    make_tif(path("neg.tif"), N, N, gt, 25832, v, NULL, GDT_Float32);
    OK(gpcov_friction_read(ctx, path("neg.tif"), &g, &f) == GPCOV_EINPUT && !f &&
           contains(gpcov_ctx_message(ctx), "neg.tif: row 1, column 3: friction -0.5 is "
                                            "negative"),
       "friction: a negative value, named by file, row, column and value");
    v[1 * N + 3] = 0.01;
    make_tif(path("nocrs.tif"), N, N, gt, 0, v, NULL, GDT_Float32);
    OK(gpcov_friction_read(ctx, path("nocrs.tif"), &g, &f) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "nocrs.tif: the raster has no CRS"),
       "friction: a raster without CRS");
    make_tif(path("wgs.tif"), N, N, gt, 32632, v, NULL, GDT_Float32);
    OK(gpcov_friction_read(ctx, path("wgs.tif"), &g, &f) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "wgs.tif: the friction raster must be in "
                                            "EPSG:25832"),
       "friction: another CRS (WGS 84 / UTM 32N)");
    double rot[6] = {600000, 100, 5, 6100000, 0, -100};
    make_tif(path("rot.tif"), N, N, rot, 25832, v, NULL, GDT_Float32);
    OK(gpcov_friction_read(ctx, path("rot.tif"), &g, &f) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "rot.tif: the raster is rotated"),
       "friction: a rotated geotransform");
    v[4] = NAN;
    make_tif(path("nan.tif"), N, N, gt, 25832, v, &nd, GDT_Float32);
    OK(gpcov_friction_read(ctx, path("nan.tif"), &g, &f) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "nan.tif: row 0, column 4 is NaN, but NaN is "
                                            "not declared as nodata (the nodata value is "
                                            "-9999)"),
       "friction: NaN when nodata is -9999");
    double nan_nd = NAN;
    make_tif(path("nannd.tif"), N, N, gt, 25832, v, &nan_nd, GDT_Float32);
    OK(gpcov_friction_read(ctx, path("nannd.tif"), &g, &f) == GPCOV_OK && f && isnan(f[4]),
       "friction: NaN declared as nodata is a barrier");
    free(f);
    gpcov_grid_clear(&g);
    OK(gpcov_friction_read(ctx, path("nosuch.tif"), &g, &f) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "nosuch.tif: no such file"),
       "friction: a missing file");
}

static void write_text(const char *p, const char *text)
{
    FILE *fp = fopen(p, "w");
    if (!fp) {
        perror(p);
        exit(2);
    }
    fputs(text, fp);
    fclose(fp);
}

static void test_files(gpcov_ctx *ctx)
{
    double gt[6] = {600000, 100, 0, 6100000, 0, -100};
    double v[N * N];
    for (int i = 0; i < N * N; i++)
        v[i] = 0.01;
    make_tif(path("f.tif"), N, N, gt, 25832, v, NULL, GDT_Float32);
    /* two clinics, ids 40 and 7, at (2,0) and (2,4); the second in lon/lat
    ** would do as well, the points are reprojected */
    write_text(path("src.csv"), "id,x,y\n40,600050,6099750\n7,600450,6099750\n");
    char fric[256];
    snprintf(fric, sizeof fric, "%s", path("f.tif")); /* path() reuses its buffers */
    struct gpcov_traveltime_opts o = {.model = GPCOV_TT_FRICTION,
                                    .friction = fric,
                                    .sources = path("src.csv"),
                                    .x_field = "x",
                                    .y_field = "y",
                                    .srs = "EPSG:25832",
                                    .source_id = "id",
                                    .output = path("tt.tif"),
                                    .nearest = path("tt_near.tif")};
    OK(gpcov_traveltime(ctx, &o) == GPCOV_OK, "files: a run (%s)",
       gpcov_ctx_message(ctx));
    struct gpcov_grid g;
    float *c = NULL, *n = NULL;
    OK(gpcov_raster_read(ctx, path("tt.tif"), &g, &c) == GPCOV_OK && c &&
           fabs(c[2 * N + 2] - 2.0) < 1e-6 && c[2 * N + 4] == 0,
       "files: minutes");
    gpcov_grid_clear(&g);
    OK(gpcov_raster_read(ctx, path("tt_near.tif"), &g, &n) == GPCOV_OK && n &&
           n[0] == 40 && n[2] == 40 && n[3] == 7,
       "files: nearest holds the ids, the tie to the first in the file");
    gpcov_grid_clear(&g);
    free(c);
    free(n);
    OK(gpcov_traveltime(ctx, &o) == GPCOV_EOUTPUT &&
           contains(gpcov_ctx_message(ctx), "tt.tif: exists already"),
       "files: existing outputs are refused");
    o.output = path("tt2.tif");
    o.nearest = path("tt2_near.tif");
    write_text(path("far.csv"), "id,x,y\n40,600050,6099750\n8,700000,6099750\n");
    o.sources = path("far.csv");
    OK(gpcov_traveltime(ctx, &o) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "far.csv: feature 2 (id '8'): (700000.00, "
                                            "6099750.00) lies outside the raster"),
       "files: a source outside, named by file, feature and id");
    OK(count_files("tt2") == 0, "files: nothing written on failure");
    write_text(path("txt.csv"), "id,x,y\nGP40,600050,6099750\n");
    o.sources = path("txt.csv");
    OK(gpcov_traveltime(ctx, &o) == GPCOV_EINPUT &&
           contains(gpcov_ctx_message(ctx), "whole-number ids"),
       "files: text ids cannot fill the nearest raster");
    o.nearest = NULL;
    o.source_id = NULL;
    OK(gpcov_traveltime(ctx, &o) == GPCOV_OK, "files: without --nearest or ids");
    o.output = path("tt3.tif");
    o.nearest = path("tt3.tif");
    OK(gpcov_traveltime(ctx, &o) == GPCOV_EUSAGE, "files: one name for both outputs");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/gpcov-costdist-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(test_engine, ctx);
    RUN_ON(test_engine_sources, ctx);
    RUN_ON(test_engine_limits, ctx);
    RUN_ON(test_random, ctx);
    struct io_state io = {.ctx = ctx, .gt = {600000, 100, 0, 6100000, 0, -100}, .nd = -9999};
    RUN_ON(test_io, &io);
    RUN_ON(test_io_write, &io);
    RUN_ON(test_io_bad, &io);
    RUN_ON(test_files, ctx);
    gpcov_ctx_free(ctx);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return tap_done();
}
