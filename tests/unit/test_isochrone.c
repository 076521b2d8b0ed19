/* test_isochrone.c: travel-time grids into nested, valid polygons with
** areas matching the cells they came from, and population inside. */
#include "gpcov.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>
#include <gdal.h>
#include <ogr_srs_api.h>

/* 5 x 5 cells of 100 m; time = Chebyshev rings around the centre */
static float t[25];
static const double gt[6] = {700000, 100, 0, 6200000, 0, -100};

static void make_rings(void)
{
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 5; c++) {
            int d = abs(r - 2) > abs(c - 2) ? abs(r - 2) : abs(c - 2);
            t[r * 5 + c] = (float)(10 * d);
        }
    t[0] = NAN; /* unreachable corner */
}

/* three levels over the rings: areas, validity, population, nesting */
static void case_rings(gpcov_ctx *ctx)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    double levels[3] = {5, 15, 25};
    struct gpcov_layer *l = gpcov_isochrone_layer(ctx, 1);
    /* 100 people in the centre cell, 10 in ring 1, 1000 in the unreachable
    ** corner */
    double cell_pop[25] = {0};
    cell_pop[2 * 5 + 2] = 100;
    cell_pop[1 * 5 + 1] = 10;
    cell_pop[0] = 1000;
    gpcov_status st = gpcov_isochrones(ctx, t, 5, 5, gt, levels, 3, "A", cell_pop, l);
    OK(st == GPCOV_OK && l->n == 3, "three levels, three features: %s", gpcov_ctx_message(ctx));
    int fa = gpcov_layer_field(l, "area_km2"), fp = gpcov_layer_field(l, "population");
    double want[3] = {1, 9, 24}; /* cells within 0, 10, 20 minutes (corner unreachable) */
    double wpop[3] = {100, 110, 110};
    for (size_t k = 0; k < 3 && st == GPCOV_OK; k++) {
        NEAR(gpcov_layer_value(l, k, (size_t)fa)->num, want[k] * 0.01, 1e-9,
             "level %g: area = %g cells of 0.01 km2", levels[k], want[k]);
        OK(GEOSisValid_r(h, l->geoms[k]) == 1, "level %g: valid polygon", levels[k]);
        NEAR(gpcov_layer_value(l, k, (size_t)fp)->num, wpop[k], 0, "level %g: population %g",
             levels[k], wpop[k]);
    }
    if (st == GPCOV_OK) {
        OK(GEOSCovers_r(h, l->geoms[1], l->geoms[0]) == 1 && GEOSCovers_r(h, l->geoms[2], l->geoms[1]) == 1,
           "nested: 15 covers 5, 25 covers 15");
        GEOSGeometry *d = GEOSDifference_r(h, l->geoms[0], l->geoms[1]);
        double a = 1;
        GEOSArea_r(h, d, &a);
        OK(a == 0, "no sliver: (5 min) minus (15 min) has area 0 (%g)", a);
        GEOSGeom_destroy_r(h, d);
        /* the 25-min polygon has a notch where the corner is unreachable */
        double x0, y0, x1, y1;
        GEOSGeom_getXMin_r(h, l->geoms[2], &x0);
        GEOSGeom_getYMax_r(h, l->geoms[2], &y1);
        GEOSGeom_getXMax_r(h, l->geoms[2], &x1);
        GEOSGeom_getYMin_r(h, l->geoms[2], &y0);
        OK(x0 == 700000 && x1 == 700500 && y0 == 6199500 && y1 == 6200000, "extent of the grid");
    }
    gpcov_layer_free(ctx, l);
}

/* a noisy field: many islands and holes must still give valid, nested polygons */
static void case_noisy(gpcov_ctx *ctx)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    int n = 120;
    float *big = malloc((size_t)n * n * sizeof *big);
    unsigned s = 12345;
    for (int i = 0; i < n * n; i++) {
        s = s * 1103515245u + 12345u;
        int r = i / n, c = i % n;
        big[i] = (float)(hypot(r - 60, c - 60) + (s >> 16) % 25);
        if ((s >> 8) % 37 == 0)
            big[i] = INFINITY;
    }
    double lv[2] = {30, 60};
    struct gpcov_layer *l = gpcov_isochrone_layer(ctx, 0);
    gpcov_status st = gpcov_isochrones(ctx, big, n, n, gt, lv, 2, "noisy", NULL, l);
    OK(st == GPCOV_OK && l->n == 2, "noisy field polygonized");
    if (st == GPCOV_OK) {
        size_t cells30 = 0, cells60 = 0;
        for (int i = 0; i < n * n; i++) {
            cells30 += big[i] <= 30;
            cells60 += big[i] <= 60;
        }
        double a30, a60;
        GEOSArea_r(h, l->geoms[0], &a30);
        GEOSArea_r(h, l->geoms[1], &a60);
        OK(GEOSisValid_r(h, l->geoms[0]) == 1 && GEOSisValid_r(h, l->geoms[1]) == 1,
           "noisy: both polygons valid");
        NEAR(a30, cells30 * 1e4, 1e-3, "noisy: 30-min area = %zu cells", cells30);
        NEAR(a60, cells60 * 1e4, 1e-3, "noisy: 60-min area = %zu cells", cells60);
        OK(GEOSCovers_r(h, l->geoms[1], l->geoms[0]) == 1, "noisy: nested");
    }
    gpcov_layer_free(ctx, l);
    free(big);
}

/* levels out of order */
static void case_bad_levels(gpcov_ctx *ctx)
{
    double badlv[2] = {60, 30};
    struct gpcov_layer *l = gpcov_isochrone_layer(ctx, 0);
    gpcov_status st = gpcov_isochrones(ctx, t, 5, 5, gt, badlv, 2, "A", NULL, l);
    OK(st == GPCOV_EUSAGE, "limits out of order are refused: %s", gpcov_ctx_message(ctx));
    gpcov_layer_free(ctx, l);
}

/* people into cells from points and from a raster */
static void case_population_grid(gpcov_ctx *ctx)
{
    char dir[] = "/tmp/gpcov-pop-XXXXXX", path[256];
    if (mkdtemp(dir)) {
        snprintf(path, sizeof path, "%s/p.geojson", dir);
        FILE *f = fopen(path, "w");
        fprintf(f, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
                   "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":["
                   "{\"type\":\"Feature\",\"properties\":{\"n\":7},\"geometry\":{\"type\":\"Point\","
                   "\"coordinates\":[700250,6199750]}},"
                   "{\"type\":\"Feature\",\"properties\":{\"n\":5},\"geometry\":{\"type\":\"Point\","
                   "\"coordinates\":[700260,6199760]}},"
                   "{\"type\":\"Feature\",\"properties\":{\"n\":3},\"geometry\":{\"type\":\"Point\","
                   "\"coordinates\":[900000,6199760]}}]}");
        fclose(f);
        struct gpcov_grid g = {5, 5, {700000, 100, 0, 6200000, 0, -100}, NULL};
        double *cp = NULL, outside = -1;
        gpcov_status st = gpcov_population_grid(ctx, path, "n", &g, &cp, &outside);
        OK(st == GPCOV_OK && cp && cp[12] == 12 && outside == 3,
           "points: 7 + 5 people in the centre cell, 3 outside the grid");
        free(cp);
        /* a 10 x 10 raster of 50 m cells, 1 person each, over the same area */
        snprintf(path, sizeof path, "%s/p.tif", dir);
        GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path, 10, 10, 1, GDT_Float32, NULL);
        double pgt[6] = {700000, 50, 0, 6200000, 0, -50};
        GDALSetGeoTransform(ds, pgt);
        OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(srs, 25832);
        GDALSetSpatialRef(ds, srs);
        OSRDestroySpatialReference(srs);
        float ones[100];
        for (int i = 0; i < 100; i++)
            ones[i] = 1;
        if (GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, 0, 10, 10, ones, 10, 10, GDT_Float32,
                         0, 0) != CE_None)
            printf("# raster write failed\n");
        GDALClose(ds);
        st = gpcov_population_grid(ctx, path, NULL, &g, &cp, &outside);
        OK(st == GPCOV_OK && cp && cp[0] == 4 && cp[24] == 4 && outside == 0,
           "raster: four 50 m cells into each 100 m cell");
        free(cp);
        snprintf(path, sizeof path, "rm -rf '%s'", dir);
        if (system(path) != 0)
            printf("# cannot clean up\n");
    }
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    make_rings();
    RUN_ON(case_rings, ctx);
    RUN_ON(case_noisy, ctx);
    RUN_ON(case_bad_levels, ctx);
    RUN_ON(case_population_grid, ctx);
    gpcov_ctx_free(ctx);
    return tap_done();
}
