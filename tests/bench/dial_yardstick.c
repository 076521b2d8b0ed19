/*
** dial_yardstick.c: the yardstick of the friction benchmark
** (bench_costdist.sh): a plain exact one-thread Dial bucket-queue search,
** written apart from gpcov (GDAL only, no libgpcov), against which gpcov's
** own one-thread search is timed.  Same moves (8, or 16 with -k), same
** cost rule as r.cost and gpcov (mean friction of the cells a move crosses
** times its length, each accumulated cost rounded to 33 significant bits),
** same ties (equal costs go to the lower source index).  Buckets of width
** the least move cost (a little less, for rounding) in a ring, 4-byte cell
** entries, one 64-bit label per cell (the cost's bits and the source
** index), a grid padded with barriers so that no move needs a bounds
** check.  No progress, no threads, no fallback: zero friction is refused.
**
**   dial_yardstick [-k] FRICTION.tif SOURCES.csv REPEAT [COST.tif NEAREST.tif]
**
** SOURCES.csv is "id,x,y" with a header (gridtool's).  Prints per run
** "search_s SECONDS cpu_s SECONDS" (wall and CPU time): from the friction in memory and the source cells to
** the float costs and int32 nearest sources (the same span as gpcov's
** search is timed over: gpcov_costdist).  With COST.tif and NEAREST.tif,
** writes them (float32 minutes, NaN unreachable; int32 source position
** in the file from 1, which is the id in gridtool's files, -1 unreachable) for comparison with gpcov's output.
*/
#define _DEFAULT_SOURCE
#include <gdal.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define DONE ((uint64_t)1 << 63)
#define WALL (DONE - 1)
#define FAR 0x7ff0000000000000u
#define SRCBITS 20
#define SRCMASK (((uint64_t)1 << SRCBITS) - 1)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the process: under load from other jobs the steadier
** measure of a one-thread search */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *m, const char *p)
{
    fprintf(stderr, "dial_yardstick: %s%s%s\n", m, p ? ": " : "", p ? p : "");
    exit(2);
}

/* 2 MB-aligned and marked for transparent huge pages, as gpcov's grids
** are: a search reads the grid all over, and with 4 KB pages nearly every
** read misses the TLB. */
static void *big(size_t bytes)
{
    size_t h = (size_t)2 << 20, r = (bytes + h - 1) / h * h;
    void *p = aligned_alloc(h, r);
    if (!p)
        die("out of memory", NULL);
    madvise(p, r, MADV_HUGEPAGE);
    return p;
}

static inline uint64_t bits(double d)
{
    uint64_t k;
    memcpy(&k, &d, sizeof k);
    return k;
}

static inline double unbits(uint64_t k)
{
    double d;
    memcpy(&d, &k, sizeof d);
    return d;
}

/* to 33 significant bits, to nearest */
static inline double round33(double c)
{
    uint64_t k = bits(c) + ((uint64_t)1 << (SRCBITS - 1));
    return unbits(k & ~SRCMASK);
}

struct vec {
    uint32_t *a;
    uint32_t n, cap;
};

static int nx, ny, R, nxp, nmv, knight;
static double gt[6], w[16];
static ptrdiff_t off[16], mid1[16], mid2[16];
static float *fr;      /* padded */
static uint64_t *lab;  /* padded */
static struct vec *ring;
static size_t nring;
static double inv;

static void moves(void)
{
    static const int adj[8][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1},
                                  {-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
    static const int kn[8][2] = {{-2, -1}, {-2, 1}, {2, -1}, {2, 1},
                                 {-1, -2}, {1, -2}, {-1, 2}, {1, 2}};
    double dx = gt[1], dy = -gt[5];
    nmv = 0;
    for (int k = 0; k < 8; k++, nmv++) {
        int dr = adj[k][0], dc = adj[k][1];
        off[nmv] = (ptrdiff_t)dr * nxp + dc;
        w[nmv] = (dr && dc ? sqrt(dx * dx + dy * dy) : dr ? dy : dx) / 2;
    }
    for (int k = 0; knight && k < 8; k++, nmv++) {
        int dr = kn[k][0], dc = kn[k][1];
        off[nmv] = (ptrdiff_t)dr * nxp + dc;
        if (abs(dr) == 2) {
            mid1[nmv] = (ptrdiff_t)(dr / 2) * nxp;
            mid2[nmv] = (ptrdiff_t)(dr / 2) * nxp + dc;
            w[nmv] = sqrt(dx * dx + 4 * dy * dy) / 4;
        } else {
            mid1[nmv] = dc / 2;
            mid2[nmv] = (ptrdiff_t)dr * nxp + dc / 2;
            w[nmv] = sqrt(4 * dx * dx + dy * dy) / 4;
        }
    }
}

static void put(uint64_t b, uint64_t cur, uint32_t cell)
{
    if (b < cur)
        b = cur;
    if (b - cur >= nring)
        die("a move beyond the ring", NULL);
    struct vec *v = &ring[b % nring];
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 64;
        if (!(v->a = realloc(v->a, (size_t)v->cap * sizeof *v->a)))
            die("out of memory", NULL);
    }
    v->a[v->n++] = cell;
}

/* The search: every source's padded cell seeded, buckets emptied in order. */
static void search(const uint32_t *src, size_t nsrc)
{
    uint64_t cur = 0;
    size_t left = 0;
    for (size_t s = 0; s < nsrc; s++, left++)
        put(0, 0, src[s]);
    for (; left; cur++) {
        struct vec *v = &ring[cur % nring];
        while (v->n) {
            uint32_t cell = v->a[--v->n];
            left--;
            uint64_t l = lab[cell];
            if (l & DONE)
                continue;
            lab[cell] = l | DONE;
            const double c = unbits(l & ~SRCMASK), fa = fr[cell];
            const uint64_t s = l & SRCMASK, lc = l & ~SRCMASK;
            for (int k = 0; k < nmv; k++) {
                uint32_t nb = (uint32_t)((ptrdiff_t)cell + off[k]);
                uint64_t o = lab[nb] & ~DONE;
                if (o == WALL || (o & ~SRCMASK) < lc)
                    continue;
                double sum = fa + (double)fr[nb];
                if (k >= 8) {
                    float f1 = fr[(ptrdiff_t)cell + mid1[k]], f2 = fr[(ptrdiff_t)cell + mid2[k]];
                    if (isnan(f1) || isnan(f2))
                        continue;
                    sum += (double)f1 + (double)f2;
                }
                double nc = round33(c + sum * w[k]);
                uint64_t key = bits(nc) | s;
                if (key >= o)
                    continue;
                lab[nb] = key;
                put((uint64_t)(nc * inv), cur, nb);
                left++;
            }
        }
    }
}

static float *read_friction(const char *p)
{
    GDALDatasetH ds = GDALOpen(p, GA_ReadOnly);
    if (!ds)
        die("cannot open", p);
    nx = GDALGetRasterXSize(ds);
    ny = GDALGetRasterYSize(ds);
    GDALGetGeoTransform(ds, gt);
    size_t n = (size_t)nx * (size_t)ny;
    float *f = malloc(n * sizeof *f);
    unsigned char *m = malloc(n);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    if (!f || !m ||
        GDALRasterIO(b, GF_Read, 0, 0, nx, ny, f, nx, ny, GDT_Float32, 0, 0) != CE_None ||
        GDALRasterIO(GDALGetMaskBand(b), GF_Read, 0, 0, nx, ny, m, nx, ny, GDT_Byte, 0, 0) !=
            CE_None)
        die("cannot read", p);
    for (size_t i = 0; i < n; i++)
        if (!m[i])
            f[i] = NAN;
    free(m);
    GDALClose(ds);
    return f;
}

/* The sources' cells (row*nx + col), in file order. */
static int64_t *read_sources(const char *p, size_t *nsrc)
{
    FILE *f = fopen(p, "r");
    char line[256];
    size_t n = 0, cap = 64;
    int64_t *c = malloc(cap * sizeof *c);
    if (!f || !c || !fgets(line, sizeof line, f))
        die("cannot read", p);
    double x, y;
    while (fgets(line, sizeof line, f)) {
        const char *comma = strchr(line, ',');
        if (!comma || sscanf(comma + 1, "%lf,%lf", &x, &y) != 2)
            die("not id,x,y", line);
        long col = (long)floor((x - gt[0]) / gt[1]), row = (long)floor((y - gt[3]) / gt[5]);
        if (col < 0 || col >= nx || row < 0 || row >= ny)
            die("a source outside the grid", line);
        if (n == cap && !(c = realloc(c, (cap *= 2) * sizeof *c)))
            die("out of memory", NULL);
        c[n++] = (int64_t)row * nx + col;
    }
    fclose(f);
    *nsrc = n;
    return c;
}

/* Friction into the padded grid, labels, and the ring for fmin..fmax. */
static void setup(const float *f, const int64_t *src, size_t nsrc, uint32_t *psrc)
{
    float lo = INFINITY, hi = 0;
    size_t np = (size_t)nxp * (size_t)(ny + 2 * R);
    for (size_t i = 0; i < np; i++)
        fr[i] = NAN, lab[i] = WALL;
    for (int r = 0; r < ny; r++)
        for (int c = 0; c < nx; c++) {
            float v = f[(size_t)r * nx + c];
            size_t p = (size_t)(r + R) * nxp + (size_t)(c + R);
            fr[p] = v;
            if (isnan(v))
                continue;
            lab[p] = FAR;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    for (size_t s = 0; s < nsrc; s++) {
        size_t p = (size_t)(src[s] / nx + R) * nxp + (size_t)(src[s] % nx + R);
        if (lab[p] == WALL)
            die("a source on a barrier", NULL);
        psrc[s] = (uint32_t)p;
        if (s < lab[p])
            lab[p] = s;
    }
    double dx = gt[1], dy = -gt[5];
    double dmax = knight ? sqrt(dx * dx + 4 * dy * dy) : sqrt(dx * dx + dy * dy);
    if (knight && sqrt(4 * dx * dx + dy * dy) > dmax)
        dmax = sqrt(4 * dx * dx + dy * dy);
    double width = lo * (dx < dy ? dx : dy) * (1 - 1.0 / 256);
    if (!(width > 0))
        die("a cell of zero friction: no bucket width", NULL);
    size_t want = (size_t)(hi * dmax / width * 1.01) + 4;
    if (want != nring) {
        for (size_t k = 0; k < nring; k++)
            free(ring[k].a);
        free(ring);
        nring = want;
        if (!(ring = calloc(nring, sizeof *ring)))
            die("out of memory", NULL);
    }
    inv = 1 / width;
}

static void outputs(float *cost, int32_t *near)
{
    for (int r = 0; r < ny; r++)
        for (int c = 0; c < nx; c++) {
            uint64_t l = lab[(size_t)(r + R) * nxp + (size_t)(c + R)] & ~DONE;
            int reached = l < FAR;
            cost[(size_t)r * nx + c] = reached ? (float)unbits(l & ~SRCMASK) : NAN;
            near[(size_t)r * nx + c] = reached ? (int32_t)(l & SRCMASK) + 1 : -1;
        }
}

static void write_tif(const char *p, GDALDataType t, const void *v)
{
    const char *co[] = {"COMPRESS=DEFLATE", "TILED=YES", "BIGTIFF=IF_SAFER", NULL};
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), p, nx, ny, 1, t, (char **)co);
    if (!ds)
        die("cannot create", p);
    GDALSetGeoTransform(ds, gt);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    if (t == GDT_Int32)
        GDALSetRasterNoDataValue(b, -1);
    if (GDALRasterIO(b, GF_Write, 0, 0, nx, ny, (void *)v, nx, ny, t, 0, 0) != CE_None)
        die("cannot write", p);
    GDALClose(ds);
}

int main(int argc, char **argv)
{
    int a = 1;
    if (argc > 1 && !strcmp(argv[1], "-k"))
        knight = 1, a++;
    if (argc - a != 3 && argc - a != 5)
        die("usage: dial_yardstick [-k] FRICTION.tif SOURCES.csv REPEAT [COST.tif NEAREST.tif]",
            NULL);
    GDALAllRegister();
    float *f = read_friction(argv[a]);
    size_t nsrc;
    int64_t *src = read_sources(argv[a + 1], &nsrc);
    int repeat = atoi(argv[a + 2]);
    R = knight ? 2 : 1;
    nxp = nx + 2 * R;
    size_t np = (size_t)nxp * (size_t)(ny + 2 * R), n = (size_t)nx * ny;
    fr = big(np * sizeof *fr);
    lab = big(np * sizeof *lab);
    uint32_t *psrc = malloc(nsrc * sizeof *psrc);
    float *cost = malloc(n * sizeof *cost);
    int32_t *near = malloc(n * sizeof *near);
    if (!fr || !lab || !psrc || !cost || !near || np > UINT32_MAX)
        die("out of memory, or too large", NULL);
    moves();
    for (int r = 0; r < repeat; r++) {
        double t0 = now(), c0 = cpu();
        setup(f, src, nsrc, psrc);
        search(psrc, nsrc);
        outputs(cost, near);
        printf("search_s %.4f cpu_s %.4f\n", now() - t0, cpu() - c0);
        fflush(stdout);
    }
    if (argc - a == 5) {
        write_tif(argv[a + 3], GDT_Float32, cost);
        write_tif(argv[a + 4], GDT_Int32, near);
    }
    return 0;
}
