/* test_ttcells.c: travel times from one source at listed cells
** (gpcov_ttcells) are those of a whole-grid run of the same source
** (gpcov_ttmodel_run), bit for bit, on the road model (a lattice of
** roads of two classes with a one-way street and sources off the
** network), the straight line and a friction raster; with and without a
** time limit, and with sources run again in another order (the road
** search resets only the nodes it touched). */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <math.h>

#define CRS "{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}}"

/* A 7 x 7 lattice of roads 1 km apart (rows residential, columns primary,
** the middle column one-way northwards), over x 700-706 km, y 6170-6176 km. */
static void write_lattice(void)
{
    char *buf = malloc(20000);
    size_t n = 0;
    n += (size_t)snprintf(buf + n, 20000 - n, "{\"type\":\"FeatureCollection\",\"crs\":" CRS
                          ",\"features\":[\n");
    for (int k = 0; k < 7; k++) {
        int x = 700000 + 1000 * k, y = 6170000 + 1000 * k;
        n += (size_t)snprintf(buf + n, 20000 - n, "%s{\"type\":\"Feature\",\"properties\":{"
                              "\"highway\":\"residential\",\"oneway\":\"no\"},\"geometry\":{"
                              "\"type\":\"LineString\",\"coordinates\":[[700000,%d],[703000,%d],"
                              "[706000,%d]]}},\n", k ? "" : "", y, y, y);
        n += (size_t)snprintf(buf + n, 20000 - n, "{\"type\":\"Feature\",\"properties\":{"
                              "\"highway\":\"primary\",\"oneway\":\"%s\"},\"geometry\":{"
                              "\"type\":\"LineString\",\"coordinates\":[[%d,6170000],[%d,6173000],"
                              "[%d,6176000]]}}%s\n", k == 3 ? "yes" : "no", x, x, x,
                              k < 6 ? "," : "");
    }
    snprintf(buf + n, 20000 - n, "]}\n");
    fx_write("lattice.geojson", buf);
    free(buf);
    fx_write("area.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":" CRS ",\"features\":[{\"type\":\"Feature\","
        "\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[699500,6169500],"
        "[706500,6169500],[706500,6176500],[699500,6176500],[699500,6169500]]]}}]}\n");
    fx_write("src.csv", "id,x,y\n1,700300,6170200\n2,703000,6173400\n3,706400,6176100\n"
                        "4,702500,6171000\n");
}

/* Every cell listed; per source k in order, ttcells against the whole
** grid; the number of cells that differ. */
static size_t compare(gpcov_ctx *ctx, gpcov_ttmodel *m, const int *order, int norder,
                      double max)
{
    const struct gpcov_grid *g = gpcov_ttmodel_grid(m);
    size_t n = (size_t)g->nx * (size_t)g->ny, bad = 0;
    uint32_t *cells = malloc(n * sizeof *cells);
    float *whole = malloc(n * sizeof *whole), *some = malloc(n * sizeof *some);
    for (size_t i = 0; i < n; i++)
        cells[i] = (uint32_t)(n - 1 - i); /* any order */
    gpcov_ttcells *c = NULL;
    if (gpcov_ttcells_new(ctx, m, cells, n, &c) != GPCOV_OK)
        bad = n;
    for (int q = 0; q < norder && !bad; q++) {
        gpcov_ttmodel_run(ctx, m, order[q], max, whole, NULL);
        gpcov_ttcells_run(ctx, c, (size_t)order[q], max, some);
        for (size_t i = 0; i < n; i++) {
            float a = whole[cells[i]], b = some[i];
            bad += !(a == b || (isnan(a) && isnan(b)));
        }
    }
    gpcov_ttcells_free(c);
    free(cells), free(whole), free(some);
    return bad;
}

static void case_roads(gpcov_ctx *ctx)
{
    struct gpcov_traveltime_opts o = {.model = GPCOV_TT_ROADS,
                                      .roads = fx_path("lattice.geojson"),
                                      .extent = fx_path("area.geojson"), .resolution = 250,
                                      .sources = fx_path("src.csv"), .x_field = "x",
                                      .y_field = "y", .srs = "EPSG:25832", .source_id = "id"};
    gpcov_ttmodel *m = NULL;
    OK(gpcov_ttmodel_open(ctx, &o, &m) == GPCOV_OK, "the lattice opens: %s",
       gpcov_ctx_message(ctx));
    if (!m)
        return;
    const int order[8] = {0, 1, 2, 3, 2, 0, 3, 1};
    OK(compare(ctx, m, order, 8, 0) == 0, "roads, no limit: every cell as the whole-grid run, "
       "sources run twice in another order");
    OK(compare(ctx, m, order, 8, 6.5) == 0, "roads, 6.5 min limit: the same cells reached, "
       "the same minutes");
    float t;
    uint32_t one = 0;
    gpcov_ttcells *c = NULL;
    gpcov_ttcells_new(ctx, m, &one, 1, &c);
    OK(gpcov_ttcells_run(ctx, c, 4, 0, &t) == GPCOV_EUSAGE, "a source that is not there: %s",
       gpcov_ctx_message(ctx));
    gpcov_ttcells_free(c);
    OK(gpcov_ttcells_new(ctx, m, (const uint32_t[]){999999}, 1, &c) == GPCOV_EUSAGE && !c,
       "a cell outside the grid is refused");
    gpcov_ttmodel_free(m);
}

static void case_other_models(gpcov_ctx *ctx)
{
    struct gpcov_traveltime_opts o = {.model = GPCOV_TT_STRAIGHT, .kmh = 50, .detour = 1.3,
                                      .extent = fx_path("area.geojson"), .resolution = 250,
                                      .sources = fx_path("src.csv"), .x_field = "x",
                                      .y_field = "y", .srs = "EPSG:25832", .source_id = "id"};
    gpcov_ttmodel *m = NULL;
    const int order[4] = {3, 0, 2, 1};
    OK(gpcov_ttmodel_open(ctx, &o, &m) == GPCOV_OK, "the straight line opens");
    OK(m && compare(ctx, m, order, 4, 0) == 0 && compare(ctx, m, order, 4, 5) == 0,
       "straight line, with and without a limit: as the whole-grid run");
    gpcov_ttmodel_free(m);
    /* a friction raster of 28 x 28 cells of 250 m, 1 to 5 min per km, with a
    ** barrier (nodata) wall of 20 cells */
    char *asc = malloc(20000);
    size_t n = (size_t)snprintf(asc, 20000, "ncols 28\nnrows 28\nxllcorner 699500\n"
                                "yllcorner 6169500\ncellsize 250\nNODATA_value -1\n");
    for (int r = 0; r < 28; r++)
        for (int c = 0; c < 28; c++)
            n += (size_t)snprintf(asc + n, 20000 - n, "%g%s",
                                  c == 9 && r < 20 ? -1.0 : 0.001 * (1 + (r * 7 + c) % 5),
                                  c == 27 ? "\n" : " ");
    fx_write("fric.asc", asc);
    free(asc);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gdal_translate -q -a_srs EPSG:25832 '%s' '%s'",
             fx_path("fric.asc"), fx_path("fric.tif"));
    if (system(cmd) != 0)
        printf("# gdal_translate failed\n");
    m = NULL;
    o = (struct gpcov_traveltime_opts){.model = GPCOV_TT_FRICTION,
                                       .friction = fx_path("fric.tif"),
                                       .sources = fx_path("src.csv"), .x_field = "x",
                                       .y_field = "y", .srs = "EPSG:25832"};
    OK(gpcov_ttmodel_open(ctx, &o, &m) == GPCOV_OK, "the friction raster opens");
    OK(m && compare(ctx, m, order, 4, 0) == 0 && compare(ctx, m, order, 4, 3) == 0,
       "friction, with and without a limit: as the whole-grid run");
    gpcov_ttmodel_free(m);
}

int main(void)
{
    fx_make();
    write_lattice();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_roads, ctx);
    RUN_ON(case_other_models, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
