/* test_pip.c: which polygon each point lies in (pip.c): inside, on a
** shared edge (the first polygon in the layer), in a hole (none), at sea
** within the snap distance (the nearest), and a cancel. */
#include "io/io_internal.h"
#include "tap.h"
#include "testfile.h"

static gpcov_ctx *ctx;

/* A: 0-10 x 0-10 with a hole 4-6 x 4-6; B: 10-20 x 0-10 (shares A's east
** edge); C: 30-40 x 0-10. */
static const char *const poly_wkt[] = {
    "POLYGON((0 0,10 0,10 10,0 10,0 0),(4 4,6 4,6 6,4 6,4 4))",
    "POLYGON((10 0,20 0,20 10,10 10,10 0))",
    "POLYGON((30 0,40 0,40 10,30 10,30 0))",
};

static struct gpcov_layer *polys(int reversed)
{
    struct gpcov_layer *l = gpcov_layer_new("p");
    for (int i = 0; i < 3; i++)
        gpcov_layer_append(ctx, l, NULL, tf_wkt(ctx, poly_wkt[reversed ? 2 - i : i]));
    return l;
}

static struct gpcov_layer *points(const double *xy, size_t n)
{
    struct gpcov_layer *l = gpcov_layer_new("q");
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    for (size_t i = 0; i < n; i++)
        gpcov_layer_append(ctx, l, NULL,
                           isnan(xy[2 * i]) ? NULL : GEOSGeom_createPointFromXY_r(h, xy[2 * i],
                                                                                  xy[2 * i + 1]));
    return l;
}

static void inside_edge_hole(void)
{
    static const double xy[] = {5, 2, 15, 5, 35, 9.5, 10, 5, 5, 5, 4, 5, 25, 5, NAN, 0, 0, 0};
    struct gpcov_layer *p = polys(0), *q = points(xy, 9);
    long of[9];
    OK(gpcov_points_in_polygons(ctx, p, q, 0, of) == GPCOV_OK, "no snap: ok");
    OK(of[0] == 0, "(5 2) in A");
    OK(of[1] == 1, "(15 5) in B");
    OK(of[2] == 2, "(35 9.5) in C");
    OK(of[3] == 0, "(10 5) on the A/B edge: A, first in the layer");
    OK(of[4] == -1, "(5 5) in A's hole: none");
    OK(of[5] == 0, "(4 5) on the hole's edge: A");
    OK(of[6] == -1, "(25 5) between B and C: none");
    OK(of[7] == -1, "no geometry: none");
    OK(of[8] == 0, "(0 0) on A's corner: A");
    gpcov_layer_free(ctx, p);
    p = polys(1); /* C, B, A */
    OK(gpcov_points_in_polygons(ctx, p, q, 0, of) == GPCOV_OK, "reversed layer: ok");
    OK(of[3] == 1, "(10 5) on the edge: B, now first in the layer");
    OK(of[0] == 2 && of[1] == 1 && of[2] == 0, "the others follow the order");
    gpcov_layer_free(ctx, p);
    gpcov_layer_free(ctx, q);
}

static void snapping(void)
{
    static const double xy[] = {5, 5, 22, 5, 21, 5, -0.5, 5, 25, 5, 5, 12.5};
    struct gpcov_layer *p = polys(0), *q = points(xy, 6);
    long of[6];
    OK(gpcov_points_in_polygons(ctx, p, q, 1.5, of) == GPCOV_OK, "snap 1.5: ok");
    OK(of[0] == 0, "(5 5) in the hole, 1 from A: A");
    OK(of[1] == -1, "(22 5), 2 from B: beyond the snap, none");
    OK(of[2] == 1, "(21 5), 1 from B: B");
    OK(of[3] == 0, "(-0.5 5) at sea 0.5 from A: A");
    OK(of[4] == -1, "(25 5), 5 from B and C: none");
    OK(of[5] == -1, "(5 12.5), 2.5 north of A: none");
    OK(gpcov_points_in_polygons(ctx, p, q, 2, of) == GPCOV_OK, "snap 2: ok");
    OK(of[1] == 1, "(22 5) exactly 2 from B: B (the distance counts)");
    OK(gpcov_points_in_polygons(ctx, p, q, 3, of) == GPCOV_OK, "snap 3: ok");
    OK(of[5] == 0, "(5 12.5) now A");
    gpcov_layer_free(ctx, p);
    gpcov_layer_free(ctx, q);
}

/* A grid of points against the plain (unprepared, unindexed) test. */
static void against_brute_force(void)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    size_t n = 0;
    double xy[2 * 45 * 25];
    for (int i = 0; i < 45; i++)
        for (int j = 0; j < 25; j++) {
            xy[2 * n] = -1 + i;
            xy[2 * n + 1] = -1 + 0.5 * j;
            n++;
        }
    struct gpcov_layer *p = polys(0), *q = points(xy, n);
    long of[45 * 25];
    int bad = 0, inside = 0;
    OK(gpcov_points_in_polygons(ctx, p, q, 0, of) == GPCOV_OK, "a grid of %zu points", n);
    for (size_t k = 0; k < n; k++) {
        long want = -1;
        for (size_t i = 0; i < 3 && want < 0; i++)
            if (GEOSIntersects_r(h, p->geoms[i], q->geoms[k]) == 1)
                want = (long)i;
        bad += of[k] != want;
        inside += want >= 0;
    }
    OK(bad == 0, "every point as the brute-force test says (%d differ)", bad);
    /* 11 x 21 per square (x 0-10, y 0-10 by 0.5), less A's hole interior
    ** (x 5, y 4.5-5.5: 3), B and A share x = 10's 21 */
    OK(inside == 3 * 11 * 21 - 21 - 3, "%d points inside, as counted by hand", inside);
    gpcov_layer_free(ctx, p);
    gpcov_layer_free(ctx, q);
}

static int stop(double f, const char *label, void *user)
{
    (void)f;
    (void)label;
    (void)user;
    return 1;
}

static void cancel_and_empty(void)
{
    struct gpcov_layer *p = polys(0), *q = gpcov_layer_new("q");
    long of[1];
    OK(gpcov_points_in_polygons(ctx, p, q, 0, of) == GPCOV_OK, "no points: ok");
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    size_t n = 0x10000;
    for (size_t i = 0; i < n; i++)
        gpcov_layer_append(ctx, q, NULL, GEOSGeom_createPointFromXY_r(h, 1, 1));
    long *big = malloc(n * sizeof *big);
    gpcov_ctx_set_progress(ctx, stop, NULL);
    OK(gpcov_points_in_polygons(ctx, p, q, 0, big) == GPCOV_ECANCEL, "cancelled");
    STREQ(gpcov_ctx_message(ctx), "cancelled at 100% of points in polygons", "the message");
    gpcov_ctx_set_progress(ctx, NULL, NULL);
    OK(gpcov_points_in_polygons(ctx, p, q, 0, big) == GPCOV_OK && big[0] == 0 &&
           big[n - 1] == 0,
       "not cancelled: all in A");
    free(big);
    gpcov_layer_free(ctx, q);
    struct gpcov_layer *none = gpcov_layer_new("none");
    q = points((const double[]){1, 1}, 1);
    OK(gpcov_points_in_polygons(ctx, none, q, 5, of) == GPCOV_OK && of[0] == -1,
       "no polygons: none");
    gpcov_layer_free(ctx, none);
    gpcov_layer_free(ctx, q);
    gpcov_layer_free(ctx, p);
}

int main(void)
{
    ctx = gpcov_ctx_new();
    RUN(inside_edge_hole);
    RUN(snapping);
    RUN(against_brute_force);
    RUN(cancel_and_empty);
    gpcov_ctx_free(ctx);
    return tap_done();
}
