/* test_traveltime.c: the travel models behind one handle, by hand-computed
** answers: a source off the road network (its connector), cells joined to
** the nearest road point where a car can stop (never a motorway), per-source
** runs, and the straight-line model. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <math.h>

static float at(const gpcov_ttmodel *m, const float *t, double x, double y)
{
    const struct gpcov_grid *g = gpcov_ttmodel_grid(m);
    int c = (int)floor((x - g->gt[0]) / g->gt[1]), r = (int)floor((y - g->gt[3]) / g->gt[5]);
    if (c < 0 || r < 0 || c >= g->nx || r >= g->ny)
        return -999;
    return t[(size_t)r * (size_t)g->nx + (size_t)c];
}

/* the options both models share: the roads, the extent, the sources */
static struct gpcov_traveltime_opts o;

static void setup(void)
{
    /* A(700000,6170000) -res 1 km- B -res 1 km- C, 30 km/h: 2 min per km.
    ** A motorway 500 m south, not joined to them. */
    fx_write("roads.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"residential\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[700000,6170000],[701000,6170000],[702000,6170000]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"motorway\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[700000,6169500],[702000,6169500]]}}\n]}\n");
    fx_write("area.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[{\"type\":\"Feature\","
        "\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[700000,6169400],"
        "[702000,6169400],[702000,6170100],[700000,6170100],[700000,6169400]]]}}]}\n");
    /* source 1 km north of A, off the network; source 2 at C */
    fx_write("src.csv", "id,x,y\n1,700000,6171000\n2,702000,6170000\n");
    o = (struct gpcov_traveltime_opts){.model = GPCOV_TT_ROADS, .roads = fx_path("roads.geojson"),
                                       .extent = fx_path("area.geojson"), .resolution = 100,
                                       .sources = fx_path("src.csv"), .x_field = "x", .y_field = "y",
                                       .srs = "EPSG:25832", .source_id = "id"};
}

/* the road model: connectors, segments, several sources, a limit */
static void case_roads(gpcov_ctx *ctx)
{
    gpcov_ttmodel *m = NULL;
    gpcov_status st = gpcov_ttmodel_open(ctx, &o, &m);
    OK(st == GPCOV_OK, "the road model opens: %s", gpcov_ctx_message(ctx));
    if (!m)
        return;
    const struct gpcov_grid *g = gpcov_ttmodel_grid(m);
    OK(g->nx == 20 && g->ny == 7, "a 20 x 7 grid of 100 m over the extent (%d x %d)", g->nx, g->ny);
    size_t n = (size_t)g->nx * (size_t)g->ny;
    float *t = malloc(n * sizeof *t);
    int32_t *near = malloc(n * sizeof *near);
    gpcov_ttmodel_run(ctx, m, 0, 0, t, near);
    /* from source 1 alone: 1000 m at 5 km/h = 12 min to A, then along the
    ** road (res minutes per km); each cell joins the nearest point of the
    ** road, 50 m (0.6 min) from the cell centres on the row at the road */
    double res = 60.0 / gpcov_network_class_kmh("residential"), walk = 50 / (5000.0 / 60);
    NEAR(at(m, t, 700050, 6170050), 12 + 0.05 * res + walk, 1e-4,
         "cell at A: 12 min connector for the source, 50 m of road, 0.6 min for the cell");
    NEAR(at(m, t, 701950, 6170050), 12 + 1.95 * res + walk, 1e-4,
         "cell at C: 12 min + 1.95 km of road + 0.6 min");
    /* a cell 50 m from the motorway joins the residential road 550 m away */
    NEAR(at(m, t, 701050, 6169450), 12 + 1.05 * res + 550 / (5000.0 / 60), 1e-4,
         "cell by the motorway joins the residential road: 12 + 1.05 km + 6.6 min");
    gpcov_ttmodel_run(ctx, m, -1, 0, t, near);
    NEAR(at(m, t, 701950, 6170050), 0.05 * res + walk, 1e-4,
         "both sources: the cell at C is reached from source 2 along its own segment");
    OK(near[(size_t)0 * 20 + 19] == 1, "and its nearest source is source 2 (index 1)");
    NEAR(at(m, t, 700050, 6170050), fmin(12 + 0.05 * res, 1.95 * res) + walk, 1e-4,
         "the cell at A: from C beats the off-road source (12 min)");
    gpcov_ttmodel_run(ctx, m, -1, 2, t, near);
    OK(isnan(at(m, t, 700050, 6170050)) && near[(size_t)6 * 20] == -1,
       "--max-minutes 2: the far end is unreachable");
    STREQ(gpcov_ttmodel_source_id(m, 1), "2", "source ids from --source-id");
    OK(strstr(gpcov_ttmodel_description(m), "road network model") != NULL, "described as the road model");
    gpcov_ttmodel_free(m);
    free(t);
    free(near);
}

/* the straight-line model: 1.3 x crow-fly at 60 km/h */
static void case_straight(gpcov_ctx *ctx)
{
    o.model = GPCOV_TT_STRAIGHT;
    o.kmh = 60;
    o.detour = 1.3;
    gpcov_ttmodel *m = NULL;
    gpcov_status st = gpcov_ttmodel_open(ctx, &o, &m);
    OK(st == GPCOV_OK, "straight-line model opens");
    if (m) {
        const struct gpcov_grid *g = gpcov_ttmodel_grid(m);
        size_t n = (size_t)g->nx * (size_t)g->ny;
        float *t = malloc(n * sizeof *t);
        int32_t *near = malloc(n * sizeof *near);
        gpcov_ttmodel_run(ctx, m, 0, 0, t, near);
        NEAR(at(m, t, 700050, 6170050), hypot(50, 950) * 1.3 / 1000, 1e-4,
             "straight line: 950 m north-west x 1.3 at 1 km/min");
        OK(strstr(gpcov_ttmodel_description(m), "straight-line model (no road network)") != NULL,
           "described as the straight-line model");
        free(t);
        free(near);
        gpcov_ttmodel_free(m);
    }
    o.extent = NULL;
    st = gpcov_ttmodel_open(ctx, &o, &m);
    OK(st == GPCOV_EUSAGE && m == NULL, "straight line without an extent is refused");
}

int main(void)
{
    fx_make();
    setup();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_roads, ctx);
    RUN_ON(case_straight, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
