/*
** test_costdist_par.c: the parallel friction search (costdist_par.c)
** against the one-thread search (costdist.c).  GPCOV_THREADS chooses the
** search; on random grids with many sources, barriers, knight's moves and
** a maximum cost the costs must be equal bit for bit and the nearest
** sources equal, and equal again over repeated runs; on a grid of exact
** ties every nearest source must be one of the nearest; progress must come
** from the calling thread only, and a cancel must stop every thread;
** per-source rasters, two sources at a time, must be the same files.
*/
#include "gpcov.h"
#include "tap.h"

#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct gpcov_grid grid(int nx, int ny, double dx, double dy)
{
    struct gpcov_grid g = {nx, ny, {500000, dx, 0, 6200000, 0, -dy}, NULL};
    return g;
}

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* Random friction 0.001..0.05 with about 1 cell in nodata_every a barrier,
** and nsrc distinct-or-not random sources off the barriers. */
static void random_grid(unsigned seed, int nx, int ny, int nodata_every, float *f,
                        int64_t *src, size_t nsrc)
{
    unsigned s = seed;
    for (int i = 0; i < nx * ny; i++) {
        f[i] = 0.001f + (float)(rnd(&s) % 10000) * 0.0000049f;
        if (nodata_every && rnd(&s) % (unsigned)nodata_every == 0)
            f[i] = NAN;
    }
    for (size_t k = 0; k < nsrc; k++) {
        src[k] = (int64_t)(rnd(&s) % (unsigned)(nx * ny));
        f[src[k]] = 0.01f;
    }
}

static gpcov_status run_threads(gpcov_ctx *ctx, const char *threads, const struct gpcov_grid *g,
                                const float *f, const int64_t *src, size_t nsrc, int knight,
                                double max, float *cost, int32_t *near)
{
    setenv("GPCOV_THREADS", threads, 1);
    gpcov_status st = gpcov_costdist(ctx, g, f, src, nsrc, knight, max, cost, near);
    unsetenv("GPCOV_THREADS");
    return st;
}

/* Cells whose cost bits differ, whose nearest differs, and reached cells. */
static void diff(const float *a, const float *b, const int32_t *na, const int32_t *nb, size_t n,
                 int *bits, int *nearest, int *reached)
{
    *bits = *nearest = *reached = 0;
    for (size_t i = 0; i < n; i++) {
        *bits += memcmp(&a[i], &b[i], sizeof a[i]) != 0;
        *nearest += na[i] != nb[i];
        *reached += !isnan(a[i]);
    }
}

static void test_random(gpcov_ctx *ctx)
{
    enum { NX = 300, NY = 220, NS = 40 };
    const size_t n = (size_t)NX * NY;
    float *f = malloc(n * sizeof *f), *c1 = malloc(n * sizeof *c1), *c2 = malloc(n * sizeof *c2);
    int32_t *n1 = malloc(n * sizeof *n1), *n2 = malloc(n * sizeof *n2);
    int64_t src[NS];
    struct {
        const char *what;
        unsigned seed;
        int nodata, knight;
        double dy, max;
        const char *threads;
    } cases[] = {
        {"8 moves", 1, 0, 0, 100, 0, "2"},
        {"8 moves, barriers", 2, 7, 0, 100, 0, "2"},
        {"knight's moves, barriers", 3, 9, 1, 100, 0, "2"},
        {"knight's moves, 100 x 50 m cells, barriers", 4, 9, 1, 50, 0, "2"},
        {"8 moves, barriers, max cost 60", 5, 7, 0, 100, 60, "2"},
        {"knight's moves, max cost 45", 6, 0, 1, 100, 45, "2"},
        {"8 moves, barriers, 3 threads", 7, 5, 0, 100, 0, "3"},
        {"knight's moves, barriers, 8 threads", 8, 5, 1, 100, 0, "8"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct gpcov_grid g = grid(NX, NY, 100, cases[k].dy);
        random_grid(cases[k].seed, NX, NY, cases[k].nodata, f, src, NS);
        gpcov_status s1 = run_threads(ctx, "1", &g, f, src, NS, cases[k].knight, cases[k].max,
                                      c1, n1);
        gpcov_status s2 = run_threads(ctx, cases[k].threads, &g, f, src, NS, cases[k].knight,
                                      cases[k].max, c2, n2);
        OK(s1 == GPCOV_OK && s2 == GPCOV_OK, "%s: both searches run", cases[k].what);
        int bits, nearest, reached;
        diff(c1, c2, n1, n2, n, &bits, &nearest, &reached);
        OK(reached > (int)n / 4, "%s: %d cells reached", cases[k].what, reached);
        OK(bits == 0, "%s: costs equal bit for bit, 1 and %s threads (%d differ)",
           cases[k].what, cases[k].threads, bits);
        OK(nearest == 0, "%s: nearest sources equal (%d differ)", cases[k].what, nearest);
        if (cases[k].max > 0) {
            int over = 0;
            for (size_t i = 0; i < n; i++)
                over += c2[i] > cases[k].max;
            OK(over == 0 && reached < (int)(n - n / 20),
               "%s: nothing above the maximum (%d), some cells cut off", cases[k].what, over);
        }
    }
    /* the same run again and again: the same bits */
    struct gpcov_grid g = grid(NX, NY, 100, 100);
    random_grid(11, NX, NY, 6, f, src, NS);
    run_threads(ctx, "2", &g, f, src, NS, 1, 0, c1, n1);
    int same = 1;
    for (int r = 0; r < 5; r++) {
        run_threads(ctx, "2", &g, f, src, NS, 1, 0, c2, n2);
        int bits, nearest, reached;
        diff(c1, c2, n1, n2, n, &bits, &nearest, &reached);
        same &= bits == 0 && nearest == 0;
    }
    OK(same, "5 more runs with 2 threads give the same costs and sources, bit for bit");
    free(f);
    free(c1);
    free(c2);
    free(n1);
    free(n2);
}

/* Uniform friction, sources placed symmetrically: many exact ties.  The
** costs must be equal bit for bit; each cell's nearest source must be one
** whose own cost (a run from it alone) equals the cell's cost. */
static void test_ties(gpcov_ctx *ctx)
{
    enum { NX = 121, NY = 101, NS = 6 };
    const size_t n = (size_t)NX * NY;
    struct gpcov_grid g = grid(NX, NY, 100, 100);
    float *f = malloc(n * sizeof *f), *c1 = malloc(n * sizeof *c1),
          *c2 = malloc(n * sizeof *c2), *one = malloc(NS * n * sizeof *one);
    int32_t *n1 = malloc(n * sizeof *n1), *n2 = malloc(n * sizeof *n2);
    for (size_t i = 0; i < n; i++)
        f[i] = 0.01f;
    int64_t src[NS] = {10 * NX + 10, 10 * NX + 110, 90 * NX + 10, 90 * NX + 110, 50 * NX + 60,
                       50 * NX + 60}; /* the last two share a cell */
    for (int knight = 0; knight < 2; knight++) {
        gpcov_status s1 = run_threads(ctx, "1", &g, f, src, NS, knight, 0, c1, n1);
        gpcov_status s2 = run_threads(ctx, "2", &g, f, src, NS, knight, 0, c2, n2);
        OK(s1 == GPCOV_OK && s2 == GPCOV_OK, "ties, %s: both run", knight ? "16" : "8");
        int bits, nearest, reached;
        diff(c1, c2, n1, n2, n, &bits, &nearest, &reached);
        OK(bits == 0 && reached == (int)n, "ties, %s moves: costs equal bit for bit (%d differ)",
           knight ? "16" : "8", bits);
        for (int s = 0; s < NS; s++)
            run_threads(ctx, "1", &g, f, &src[s], 1, knight, 0, one + (size_t)s * n, NULL);
        int wrong = 0, lower = 1;
        for (size_t i = 0; i < n; i++) {
            int32_t k = n2[i];
            wrong += k < 0 || k >= NS || memcmp(&one[(size_t)k * n + i], &c2[i], sizeof c2[i]);
        }
        for (int32_t k = 0; k < NS; k++) /* a source's own cell: the lowest index there */
            lower &= n2[src[k]] == (k == 5 ? 4 : k);
        OK(wrong == 0, "ties, %s moves: every nearest source is one of the nearest (%d not)",
           knight ? "16" : "8", wrong);
        OK(lower, "ties, %s moves: two sources in one cell: the lower index",
           knight ? "16" : "8");
    }
    free(f);
    free(c1);
    free(c2);
    free(one);
    free(n1);
    free(n2);
}

static pthread_t main_thread;
static int calls, foreign, cancel_at;

static int count_cb(double frac, const char *label, void *user)
{
    (void)frac;
    (void)label;
    (void)user;
    calls++;
    foreign += !pthread_equal(pthread_self(), main_thread);
    return cancel_at && calls >= cancel_at;
}

static void test_progress(gpcov_ctx *ctx)
{
    enum { NX = 700, NY = 500, NS = 10 };
    const size_t n = (size_t)NX * NY;
    struct gpcov_grid g = grid(NX, NY, 100, 100);
    float *f = malloc(n * sizeof *f), *c = malloc(n * sizeof *c);
    int32_t *near = malloc(n * sizeof *near);
    int64_t src[NS];
    random_grid(21, NX, NY, 0, f, src, NS);
    main_thread = pthread_self();
    gpcov_ctx_set_progress(ctx, count_cb, NULL);
    calls = foreign = cancel_at = 0;
    gpcov_status st = run_threads(ctx, "2", &g, f, src, NS, 0, 0, c, near);
    OK(st == GPCOV_OK && calls >= 3 && foreign == 0,
       "2 threads: progress reported %d times, all from the calling thread (%d not)", calls,
       foreign);
    calls = foreign = 0;
    cancel_at = 2; /* the first call after the start: mid-search */
    st = run_threads(ctx, "2", &g, f, src, NS, 0, 0, c, near);
    OK(st == GPCOV_ECANCEL, "2 threads: a cancel in mid-search stops the search (status %d)",
       (int)st);
    OK(strstr(gpcov_ctx_message(ctx), "cancelled") != NULL, "the cancel says so: %s",
       gpcov_ctx_message(ctx));
    OK(calls == 2, "no progress after the cancel (%d calls)", calls);
    cancel_at = 1; /* at the start */
    calls = 0;
    st = run_threads(ctx, "2", &g, f, src, NS, 0, 0, c, near);
    OK(st == GPCOV_ECANCEL && calls == 1, "2 threads: a cancel at the start stops it");
    gpcov_ctx_set_progress(ctx, NULL, NULL);
    cancel_at = 0;
    /* GPCOV_THREADS that is not a number means one thread, and works */
    st = run_threads(ctx, "lots", &g, f, src, NS, 0, 0, c, near);
    OK(st == GPCOV_OK, "GPCOV_THREADS=lots: runs (one thread)");
    free(f);
    free(c);
    free(near);
}

static void test_limits(gpcov_ctx *ctx)
{
    struct gpcov_grid g = grid(10, 10, 100, 100);
    float f[100], c[100];
    for (int i = 0; i < 100; i++)
        f[i] = 0.01f;
    size_t ns = ((size_t)1 << 20) + 1;
    int64_t *src = calloc(ns, sizeof *src);
    gpcov_status st = run_threads(ctx, "2", &g, f, src, ns, 0, 0, c, NULL);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "more than 1048576"),
       "more than 2^20 sources: refused (%s)", gpcov_ctx_message(ctx));
    st = run_threads(ctx, "2", &g, f, src, ns - 1, 0, 0, c, NULL);
    OK(st == GPCOV_OK && c[0] == 0 && fabsf(c[99] - 9 * 1.41421356f) < 1e-5f,
       "2^20 sources in one cell: runs, cost %g in the far corner", (double)c[99]);
    free(src);
}

static int files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int eq = fa && fb;
    while (eq) {
        int ca = fgetc(fa), cb = fgetc(fb);
        eq = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return eq;
}

/* the friction grid f as a GeoTIFF in EPSG:25832, barriers as nodata -1;
** 1 when the pixels were written */
static int write_friction(const char *path, const float *f, int nx, int ny, const double *gt)
{
    double *v = malloc((size_t)nx * ny * sizeof *v);
    for (int i = 0; i < nx * ny; i++)
        v[i] = isnan(f[i]) ? -1 : f[i];
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path, nx, ny, 1, GDT_Float32, NULL);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 25832);
    GDALSetSpatialRef(ds, srs);
    OSRDestroySpatialReference(srs);
    GDALSetGeoTransform(ds, (double *)gt);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    GDALSetRasterNoDataValue(b, -1);
    int io = GDALRasterIO(b, GF_Write, 0, 0, nx, ny, v, nx, ny, GDT_Float64, 0, 0) == CE_None;
    GDALClose(ds);
    free(v);
    return io;
}

/* the source cells as a CSV of cell centres, ids from 10 */
static void write_sources(const char *path, const int64_t *src, int ns, int nx, const double *gt)
{
    FILE *fp = fopen(path, "w");
    fprintf(fp, "id,x,y\n");
    for (int k = 0; k < ns; k++)
        fprintf(fp, "%d,%.1f,%.1f\n", 10 + k, gt[0] + (double)(src[k] % nx) * 100 + 50,
                gt[3] - (double)(src[k] / nx) * 100 - 50);
    fclose(fp);
}

/* how many of the n cells of the raster at path differ in their bits from
** least (two NaNs are the same); -1 when it does not read */
static int bits_differ(gpcov_ctx *ctx, const char *path, const float *least, int n)
{
    struct gpcov_grid g;
    float *all = NULL;
    int bits = 0;
    if (gpcov_raster_read(ctx, path, &g, &all) == GPCOV_OK) {
        for (int i = 0; i < n; i++)
            bits += memcmp(&all[i], &least[i], sizeof all[i]) != 0 &&
                    !(isnan(all[i]) && isnan(least[i]));
        gpcov_grid_clear(&g);
    } else {
        bits = -1;
    }
    free(all);
    return bits;
}

/* --per-source with the friction model: two sources at a time on two
** threads.  Each source's raster must be the same file as with one thread,
** and the least of them, cell by cell, the all-sources minutes exactly. */
static void test_per_source(gpcov_ctx *ctx)
{
    enum { NX = 160, NY = 120, NS = 5 };
    char dir[64], p[NS + 4][256];
    snprintf(dir, sizeof dir, "/tmp/gpcov-costpar-XXXXXX");
    if (!mkdtemp(dir)) {
        OK(0, "mkdtemp");
        return;
    }
    float *f = malloc((size_t)NX * NY * sizeof *f);
    int64_t src[NS];
    random_grid(31, NX, NY, 8, f, src, NS);
    double gt[6] = {600000, 100, 0, 6100000, 0, -100};
    snprintf(p[0], sizeof p[0], "%s/f.tif", dir);
    int io = write_friction(p[0], f, NX, NY, gt);
    snprintf(p[1], sizeof p[1], "%s/src.csv", dir);
    write_sources(p[1], src, NS, NX, gt);
    snprintf(p[2], sizeof p[2], "%s/all.tif", dir);
    snprintf(p[3], sizeof p[3], "%s/one", dir);
    snprintf(p[4], sizeof p[4], "%s/two", dir);
    struct gpcov_traveltime_opts o = {.model = GPCOV_TT_FRICTION,
                                      .friction = p[0],
                                      .sources = p[1],
                                      .x_field = "x",
                                      .y_field = "y",
                                      .srs = "EPSG:25832",
                                      .source_id = "id",
                                      .output = p[2],
                                      .per_source = p[3]};
    setenv("GPCOV_THREADS", "1", 1);
    gpcov_status s1 = gpcov_traveltime(ctx, &o);
    o.output = NULL;
    o.per_source = p[4];
    setenv("GPCOV_THREADS", "2", 1);
    gpcov_status s2 = gpcov_traveltime(ctx, &o);
    unsetenv("GPCOV_THREADS");
    OK(io && s1 == GPCOV_OK && s2 == GPCOV_OK, "per source, 1 and 2 threads: run (%s)",
       gpcov_ctx_message(ctx));
    int same = 1, zero = 1, bits = 0;
    struct gpcov_grid g;
    float *least = malloc((size_t)NX * NY * sizeof *least);
    for (int i = 0; i < NX * NY; i++)
        least[i] = NAN;
    for (int k = 0; k < NS; k++) {
        char a[300], c[300];
        snprintf(a, sizeof a, "%s/%d.tif", p[3], 10 + k);
        snprintf(c, sizeof c, "%s/%d.tif", p[4], 10 + k);
        same &= files_equal(a, c);
        float *t = NULL;
        if (gpcov_raster_read(ctx, c, &g, &t) == GPCOV_OK) {
            zero &= t[src[k]] == 0;
            for (int i = 0; i < NX * NY; i++)
                if (!isnan(t[i]) && !(t[i] >= least[i]))
                    least[i] = t[i];
            gpcov_grid_clear(&g);
        } else {
            zero = 0;
        }
        free(t);
    }
    OK(same, "per source: the %d rasters are the same files with 1 and 2 threads", NS);
    OK(zero, "per source: each raster is 0 at its own source");
    bits = bits_differ(ctx, p[2], least, NX * NY);
    OK(bits == 0, "per source: their least is the all-sources minutes, bit for bit (%d differ)",
       bits);
    free(least);
    free(f);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(test_random, ctx);
    RUN_ON(test_ties, ctx);
    RUN_ON(test_progress, ctx);
    RUN_ON(test_limits, ctx);
    RUN_ON(test_per_source, ctx);
    gpcov_ctx_free(ctx);
    return tap_done();
}
