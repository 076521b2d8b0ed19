/*
** cost_search.c: for the friction benchmark (bench_costdist.sh): times
** gpcov's friction search alone, gpcov_costdist on a friction raster
** already in memory, from the same inputs as the yardstick
** (dial_yardstick.c) reads, so that the two are timed over the same span.
** GPCOV_THREADS and GPCOV_COST_QUEUE choose the search as for the command.
**   usage: cost_search [-k] FRICTION.tif SOURCES.csv REPEAT
** Prints "search_s SECONDS cpu_s SECONDS" per run (wall, and CPU).
*/
#include "travel/travel_internal.h"

#include <gdal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    fprintf(stderr, "cost_search: %s%s%s\n", m, p ? ": " : "", p ? p : "");
    exit(2);
}

int main(int argc, char **argv)
{
    int a = 1, knight = 0;
    if (argc > 1 && !strcmp(argv[1], "-k"))
        knight = 1, a++;
    if (argc - a != 3)
        die("usage: cost_search [-k] FRICTION.tif SOURCES.csv REPEAT", NULL);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpen(argv[a], GA_ReadOnly);
    if (!ds)
        die("cannot open", argv[a]);
    struct gpcov_grid g = {GDALGetRasterXSize(ds), GDALGetRasterYSize(ds), {0}, NULL};
    GDALGetGeoTransform(ds, g.gt);
    size_t n = (size_t)g.nx * (size_t)g.ny;
    /* as the command allocates them (on huge pages where Linux allows) */
    float *f = gpcov_grid_alloc(n * sizeof *f), *cost = gpcov_grid_alloc(n * sizeof *cost);
    int32_t *near = gpcov_grid_alloc(n * sizeof *near);
    unsigned char *m = malloc(n);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    if (!f || !cost || !near || !m ||
        GDALRasterIO(b, GF_Read, 0, 0, g.nx, g.ny, f, g.nx, g.ny, GDT_Float32, 0, 0) ||
        GDALRasterIO(GDALGetMaskBand(b), GF_Read, 0, 0, g.nx, g.ny, m, g.nx, g.ny, GDT_Byte, 0,
                     0))
        die("cannot read", argv[a]);
    for (size_t i = 0; i < n; i++)
        if (!m[i])
            f[i] = NAN;
    GDALClose(ds);
    FILE *fp = fopen(argv[a + 1], "r");
    char line[256];
    size_t ns = 0, cap = 64;
    int64_t *src = malloc(cap * sizeof *src);
    if (!fp || !src || !fgets(line, sizeof line, fp))
        die("cannot read", argv[a + 1]);
    while (fgets(line, sizeof line, fp)) {
        double x, y;
        const char *c = strchr(line, ',');
        if (!c || sscanf(c + 1, "%lf,%lf", &x, &y) != 2)
            die("not id,x,y", line);
        size_t cell;
        if (gpcov_grid_cell(&g, x, y, &cell))
            die("a source outside the grid", line);
        if (ns == cap && !(src = realloc(src, (cap *= 2) * sizeof *src)))
            die("out of memory", NULL);
        src[ns++] = (int64_t)cell;
    }
    fclose(fp);
    gpcov_ctx *ctx = gpcov_ctx_new();
    for (int r = 0; r < atoi(argv[a + 2]); r++) {
        double t0 = now(), c0 = cpu();
        if (gpcov_costdist(ctx, &g, f, src, ns, knight, 0, cost, near))
            die(gpcov_ctx_message(ctx), NULL);
        printf("search_s %.4f cpu_s %.4f\n", now() - t0, cpu() - c0);
        fflush(stdout);
    }
    gpcov_ctx_free(ctx);
    return 0;
}
