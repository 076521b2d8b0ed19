/* test_isochrone.c: travel-time grids into nested, valid polygons with
** areas matching the cells they came from, and population inside. */
#include "gpcov.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    /* 5 x 5 cells of 100 m; time = Chebyshev rings around the centre */
    float t[25];
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 5; c++) {
            int d = abs(r - 2) > abs(c - 2) ? abs(r - 2) : abs(c - 2);
            t[r * 5 + c] = (float)(10 * d);
        }
    t[0] = NAN; /* unreachable corner */
    double gt[6] = {700000, 100, 0, 6200000, 0, -100};
    double levels[3] = {5, 15, 25};
    struct gpcov_layer *l = gpcov_isochrone_layer(ctx, 1);
    struct gpcov_layer *pop = gpcov_layer_new("pop");
    int pf = gpcov_layer_add_field(ctx, pop, "count", GPCOV_REAL);
    /* a point in the centre cell (100 people), one in ring 1 (10), one in
    ** the unreachable corner (1000) */
    double px[3] = {700250, 700150, 700050}, py[3] = {6199750, 6199850, 6199950},
           pn[3] = {100, 10, 1000};
    for (int i = 0; i < 3; i++) {
        GEOSGeometry *g = GEOSGeom_createPointFromXY_r(h, px[i], py[i]);
        long k = gpcov_layer_append(ctx, pop, NULL, g);
        gpcov_layer_set_num(ctx, pop, (size_t)k, (size_t)pf, pn[i]);
    }
    gpcov_status st = gpcov_isochrones(ctx, t, 5, 5, gt, levels, 3, "A", pop, "count", l);
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

    /* a noisy field: many islands and holes must still give valid, nested polygons */
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
    l = gpcov_isochrone_layer(ctx, 0);
    st = gpcov_isochrones(ctx, big, n, n, gt, lv, 2, "noisy", NULL, NULL, l);
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
    double badlv[2] = {60, 30};
    l = gpcov_isochrone_layer(ctx, 0);
    st = gpcov_isochrones(ctx, t, 5, 5, gt, badlv, 2, "A", NULL, NULL, l);
    OK(st == GPCOV_EUSAGE, "limits out of order are refused: %s", gpcov_ctx_message(ctx));
    gpcov_layer_free(ctx, l);
    gpcov_layer_free(ctx, pop);
    gpcov_ctx_free(ctx);
    return tap_done();
}
