/*
** test_ttpoints.c: times from one source to points (ttpoints.c) on a road
** of 2 km at 60 km/h (a minute a kilometre) with connectors at 5 km/h
** (0.012 min/m), by hand: the source on the road's west end; a point at a
** cell centre 50 m off the road and 1,050 m along it takes 1.05 + 0.6 =
** 1.65 min and 1,100 m, and equals the model's raster at that cell; a
** point 250 m off the road 1,550 m along takes 1.55 + 3.0 = 4.55 min and
** 1,800 m; --max-minutes 2 leaves it beyond (INFINITY); a point 6 km
** from the road has no time (NaN, not joined).  Segment and connector
** times are floats in the model, as the raster uses them: 1e-6 min.
*/
#include "gpcov.h"
#include "fixture.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void case_road(gpcov_ctx *ctx)
{
    fx_write("road.geojson",
             "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
             "{\"name\":\"EPSG:25832\"}},\"features\":[{\"type\":\"Feature\",\"properties\":"
             "{\"highway\":\"primary\",\"kmh\":60},\"geometry\":{\"type\":\"LineString\","
             "\"coordinates\":[[600000,6100000],[601000,6100000],[602000,6100000]]}}]}");
    fx_write("src.csv", "id,x,y\nS,600000,6100000\n");
    struct gpcov_traveltime_opts o = {.model = GPCOV_TT_ROADS, .roads = fx_path("road.geojson"),
                                      .sources = fx_path("src.csv"), .x_field = "x",
                                      .y_field = "y", .srs = "EPSG:25832", .resolution = 100};
    o.net.speed_field = "kmh";
    gpcov_ttmodel *m = NULL;
    gpcov_status st = gpcov_ttmodel_open(ctx, &o, &m);
    OK(st == GPCOV_OK, "the road model opens (%s)", gpcov_ctx_message(ctx));
    if (st)
        return;
    double x[3] = {601050, 601550, 601000}, y[3] = {6099950, 6099750, 6094000};
    double min[3], met[3];
    gpcov_ttpoints *p = NULL;
    st = gpcov_ttpoints_open(ctx, m, &o, 3, x, y, &p);
    if (!st)
        st = gpcov_ttpoints_times(ctx, m, p, 0, 0, 0, min, met);
    OK(st == GPCOV_OK, "times at three points (%s)", gpcov_ctx_message(ctx));
    NEAR(min[0], 1.65, 1e-6,  "1,050 m of road at 1 min/km and 50 m on foot: 1.65 min");
    NEAR(met[0], 1100, 1e-3, "1,100 m with the connector");
    NEAR(min[1], 4.55, 1e-6,  "1,550 m of road and 250 m on foot: 4.55 min");
    NEAR(met[1], 1800, 1e-3, "1,800 m");
    OK(isnan(min[2]) && isnan(met[2]) && !gpcov_ttpoints_joined(p, 2),
       "6 km from the road: no time, not joined");
    const struct gpcov_grid *g = gpcov_ttmodel_grid(m);
    float *grid = malloc((size_t)g->nx * (size_t)g->ny * sizeof *grid);
    size_t cell;
    if (grid && !gpcov_ttmodel_run(ctx, m, 0, 0, grid, NULL) && !gpcov_grid_cell(g, x[0], y[0], &cell))
        NEAR(min[0], grid[cell], 1e-5, "equal to the model's raster at the point's cell");
    else
        OK(0, "the raster from the source");
    free(grid);
    st = gpcov_ttpoints_times(ctx, m, p, 0, 2, 0, min, met);
    OK(st == GPCOV_OK && min[0] == min[0] && isinf(min[1]) && isnan(met[1]) && isnan(min[2]),
       "max_minutes 2: the first kept, the second beyond (INFINITY), the third still no time");
    st = gpcov_ttpoints_times(ctx, m, p, 0, 0, 1, min, met);
    OK(st == GPCOV_OK && fabs(min[0] - 1.65) < 1e-6 && (isinf(min[1]) || fabs(min[1] - 4.55) < 1e-6),
       "nearest 1: the nearest point's time as in the full search, the other farther or beyond "
       "(%g, %g)", min[0], min[1]);
    gpcov_ttpoints_free(p);
    gpcov_ttmodel_free(m);
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    fx_make();
    RUN_ON(case_road, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_failed ? 1 : 0;
}
