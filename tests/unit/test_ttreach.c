/* test_ttreach.c: the cells one source reaches within a limit
** (gpcov_ttreach) are exactly the cells a whole-grid run of that source
** (gpcov_ttmodel_run) gives a time, with the same float minutes, bit for
** bit: the straight line (sources inside the grid, on its edge and outside
** it), a lattice of roads (a one-way street, sources off the roads) and a
** friction raster of 160 x 120 cells with barriers (8 moves and
** knight's moves), for limits from less than a cell to more than the grid
** and none, sources run again in another order and with the limit
** changing between runs (the friction search resets only the cells it
** settled). */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <math.h>

#define NX 160
#define NY 120
#define NSRC 12

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static double urand(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* Sources: cells' x, y (100 m cells from x 600 km, y 6100 km), all on
** passable cells of the friction raster. */
static double sx[NSRC], sy[NSRC];

static void write_inputs(void)
{
    char *buf = malloc(200000);
    size_t n = (size_t)snprintf(buf, 200000, "id,x,y\n");
    for (int k = 0; k < NSRC; k++) {
        sx[k] = 600000 + 100 * floor(urand() * NX) + 37;
        sy[k] = 6100000 + 100 * floor(urand() * NY) + 61;
        if (k == 0) /* on the grid's edge */
            sx[k] = 600000 + 20, sy[k] = 6100000 + 100 * NY - 10;
        n += (size_t)snprintf(buf + n, 200000 - n, "%d,%.0f,%.0f\n", k + 1, sx[k], sy[k]);
    }
    fx_write("src.csv", buf);
    /* the straight line's extent: the grid, and sources around it */
    fx_write("out.csv", "id,x,y\n1,599000,6099000\n2,616500,6106000\n3,608000,6112100\n");
    fx_write("area.geojson", "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
             "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[{\"type\":\"Feature\","
             "\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[600000,"
             "6100000],[616000,6100000],[616000,6112000],[600000,6112000],[600000,6100000]]]}}]}\n");
    n = (size_t)snprintf(buf, 200000, "ncols %d\nnrows %d\nxllcorner 600000\nyllcorner 6100000\n"
                         "cellsize 100\nNODATA_value -1\n", NX, NY);
    for (int r = 0; r < NY; r++)
        for (int c = 0; c < NX; c++) {
            double x = 600000 + 100 * c + 50, y = 6100000 + 100 * (NY - 1 - r) + 50;
            int src = -1;
            for (int k = 0; k < NSRC; k++)
                if (fabs(x - sx[k]) < 50 && fabs(y - sy[k]) < 50)
                    src = k;
            double f = 0.0005 + 0.004 * urand(); /* 15-120 km/h */
            if ((urand() < 0.12 || (c == 80 && r > 10)) && src < 0)
                f = -1; /* a barrier: scattered, and a wall with a gap */
            n += (size_t)snprintf(buf + n, 200000 - n, "%.6g%s", f, c == NX - 1 ? "\n" : " ");
        }
    fx_write("fric.asc", buf);
    free(buf);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gdal_translate -q -a_srs EPSG:25832 '%s' '%s'",
             fx_path("fric.asc"), fx_path("fric.tif"));
    if (system(cmd) != 0)
        printf("# gdal_translate failed\n");
}

/* Per source k of order, the reach against the whole grid: the number of
** sources whose cells or minutes differ; *most gets the most cells a run
** listed. */
static int compare(gpcov_ctx *ctx, gpcov_ttmodel *m, const int *order, int norder, double max,
                   size_t *most)
{
    const struct gpcov_grid *g = gpcov_ttmodel_grid(m);
    size_t n = (size_t)g->nx * (size_t)g->ny;
    float *whole = malloc(n * sizeof *whole);
    gpcov_ttreach *r = NULL;
    int bad = gpcov_ttreach_new(ctx, m, 0, &r) != GPCOV_OK ? norder : 0;
    *most = 0;
    for (int q = 0; q < norder && r; q++) {
        const uint32_t *cells;
        const float *t;
        size_t nr, had = 0, same = 0;
        if (gpcov_ttmodel_run(ctx, m, order[q], max, whole, NULL) ||
            gpcov_ttreach_run(ctx, r, (size_t)order[q], max, &cells, &t, &nr)) {
            bad++;
            continue;
        }
        for (size_t i = 0; i < n; i++)
            had += !isnan(whole[i]);
        for (size_t a = 0; a < nr; a++)
            same += cells[a] < n && (a == 0 || cells[a] > cells[a - 1]) &&
                    memcmp(&t[a], &whole[cells[a]], sizeof *t) == 0;
        bad += same != nr || nr != had;
        *most = nr > *most ? nr : *most;
    }
    gpcov_ttreach_free(r);
    free(whole);
    return bad;
}

static void case_straight(gpcov_ctx *ctx)
{
    static const char *const srcs[2] = {"src.csv", "out.csv"};
    for (int s = 0; s < 2; s++) {
        struct gpcov_traveltime_opts o = {.model = GPCOV_TT_STRAIGHT, .kmh = 50, .detour = 1.3,
                                          .extent = fx_path("area.geojson"), .resolution = 100,
                                          .sources = fx_path(srcs[s]), .x_field = "x",
                                          .y_field = "y", .srs = "EPSG:25832"};
        gpcov_ttmodel *m = NULL;
        OK(gpcov_ttmodel_open(ctx, &o, &m) == GPCOV_OK, "straight line opens (%s): %s", srcs[s],
           gpcov_ctx_message(ctx));
        if (!m)
            continue;
        const int order[6] = {2, 0, 1, 2, 1, 0};
        static const double lim[7] = {0, 0.05, 0.3, 1.7, 4.0, 1e6, INFINITY};
        for (int l = 0; l < 7; l++) {
            size_t most;
            int bad = compare(ctx, m, order, 6, lim[l], &most);
            OK(bad == 0, "straight line, %s, limit %g min: the cells and minutes of the whole "
               "grid (%d sources differ; at most %zu cells)", srcs[s], lim[l], bad, most);
            if (s == 0 && l == 3)
                OK(most > 10 && most < NX * NY / 20, "and 1.7 min lists %zu cells, not the "
                   "grid's %d", most, NX * NY);
        }
        gpcov_ttmodel_free(m);
    }
}

static void case_friction(gpcov_ctx *ctx)
{
    for (int knight = 0; knight < 2; knight++) {
        struct gpcov_traveltime_opts o = {.model = GPCOV_TT_FRICTION,
                                          .friction = fx_path("fric.tif"), .knight = knight,
                                          .sources = fx_path("src.csv"), .x_field = "x",
                                          .y_field = "y", .srs = "EPSG:25832"};
        gpcov_ttmodel *m = NULL;
        OK(gpcov_ttmodel_open(ctx, &o, &m) == GPCOV_OK, "the friction raster opens: %s",
           gpcov_ctx_message(ctx));
        if (!m)
            continue;
        int order[2 * (NSRC - 1)];
        for (int k = 0; k < NSRC - 1; k++)
            order[k] = k, order[2 * (NSRC - 1) - 1 - k] = k;
        static const double lim[6] = {0, 0.01, 0.5, 2.5, 1e6, INFINITY};
        for (int l = 0; l < 6; l++) {
            size_t most;
            int bad = compare(ctx, m, order, 2 * (NSRC - 1), lim[l], &most);
            OK(bad == 0, "friction%s, limit %g min: the cells and minutes of the whole grid, "
               "sources run again in reverse (%d differ; at most %zu cells)",
               knight ? " (knight's moves)" : "", lim[l], bad, most);
            if (l == 2)
                OK(most > 10 && most < NX * NY / 10, "and 0.5 min lists %zu cells, not the "
                   "grid's %d", most, NX * NY);
        }
        /* one handle, the limit changing from run to run */
        gpcov_ttreach *r = NULL;
        float *whole = malloc(NX * NY * sizeof *whole);
        size_t bad = 0;
        gpcov_ttreach_new(ctx, m, 0, &r);
        for (int q = 0; q < 40 && r; q++) {
            const uint32_t *cells;
            const float *t;
            size_t nr, had = 0;
            int k = q % (NSRC - 1);
            double max = q % 3 == 0 ? 0 : 0.2 * (q % 7);
            gpcov_ttmodel_run(ctx, m, k, max, whole, NULL);
            if (gpcov_ttreach_run(ctx, r, (size_t)k, max, &cells, &t, &nr)) {
                bad++;
                continue;
            }
            for (size_t i = 0; i < NX * NY; i++)
                had += !isnan(whole[i]);
            for (size_t a = 0; a < nr; a++)
                bad += memcmp(&t[a], &whole[cells[a]], sizeof *t) != 0;
            bad += nr != had;
        }
        OK(r && bad == 0, "friction%s, 40 runs on one handle, the limit changing from run to "
           "run (none, 0.2-1.2 min): as the whole grid (%zu differences)",
           knight ? " (knight's moves)" : "", bad);
        gpcov_ttreach_free(r);
        free(whole);
        gpcov_ttmodel_free(m);
    }
}

/* A 7 x 7 lattice of roads 1 km apart (rows residential, columns primary,
** the middle column one-way northwards), as test_ttcells.c's, and sources
** on it and off it. */
static void write_lattice(void)
{
    char *buf = malloc(20000);
    size_t n = (size_t)snprintf(buf, 20000, "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":"
                                "\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},"
                                "\"features\":[\n");
    for (int k = 0; k < 7; k++) {
        int x = 700000 + 1000 * k, y = 6170000 + 1000 * k;
        n += (size_t)snprintf(buf + n, 20000 - n, "{\"type\":\"Feature\",\"properties\":{"
                              "\"highway\":\"residential\",\"oneway\":\"no\"},\"geometry\":{"
                              "\"type\":\"LineString\",\"coordinates\":[[700000,%d],[703000,%d],"
                              "[706000,%d]]}},\n", y, y, y);
        n += (size_t)snprintf(buf + n, 20000 - n, "{\"type\":\"Feature\",\"properties\":{"
                              "\"highway\":\"primary\",\"oneway\":\"%s\"},\"geometry\":{"
                              "\"type\":\"LineString\",\"coordinates\":[[%d,6170000],[%d,6173000],"
                              "[%d,6176000]]}}%s\n", k == 3 ? "yes" : "no", x, x, x,
                              k < 6 ? "," : "");
    }
    snprintf(buf + n, 20000 - n, "]}\n");
    fx_write("lattice.geojson", buf);
    free(buf);
    fx_write("lat_area.geojson", "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\","
             "\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[{\"type\":"
             "\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
             "[[[699500,6169500],[706500,6169500],[706500,6176500],[699500,6176500],[699500,"
             "6169500]]]}}]}\n");
    fx_write("lat_src.csv", "id,x,y\n1,700300,6170200\n2,703000,6173400\n3,706400,6176100\n"
                            "4,702500,6171000\n");
}

static void case_roads(gpcov_ctx *ctx)
{
    write_lattice();
    struct gpcov_traveltime_opts o = {.model = GPCOV_TT_ROADS,
                                      .roads = fx_path("lattice.geojson"),
                                      .extent = fx_path("lat_area.geojson"), .resolution = 100,
                                      .sources = fx_path("lat_src.csv"), .x_field = "x",
                                      .y_field = "y", .srs = "EPSG:25832", .source_id = "id"};
    gpcov_ttmodel *m = NULL;
    OK(gpcov_ttmodel_open(ctx, &o, &m) == GPCOV_OK, "the lattice opens: %s",
       gpcov_ctx_message(ctx));
    if (!m)
        return;
    const int order[8] = {0, 1, 2, 3, 2, 0, 3, 1};
    static const double lim[6] = {0, 0.5, 2, 4.5, 1e6, INFINITY};
    for (int l = 0; l < 6; l++) {
        size_t most;
        int bad = compare(ctx, m, order, 8, lim[l], &most);
        OK(bad == 0, "roads, limit %g min: the cells and minutes of the whole grid, sources "
           "run again in another order (%d differ; at most %zu cells)", lim[l], bad, most);
        if (l == 2)
            OK(most > 10 && most < 70 * 70 / 4, "and 2 min lists %zu cells, not the grid's %d",
               most, 70 * 70);
    }
    gpcov_ttmodel_free(m);
}

int main(void)
{
    fx_make();
    write_inputs();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_straight, ctx);
    RUN_ON(case_friction, ctx);
    RUN_ON(case_roads, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
