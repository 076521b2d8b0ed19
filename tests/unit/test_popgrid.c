/* test_popgrid.c: people into the cells of a travel-time grid (popgrid.c),
** from points with a count and from a population raster, on a 3 x 2 grid
** of 1 km cells: each point in the cell it falls in (on an edge: the cell
** east or south), each raster cell in the cell its centre falls in, nodata
** and empty counts skipped, the people outside counted, the total kept;
** and the refused inputs with their messages. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>

/* x 700-703 km, y 6170-6172 km; cell 0 is the north-west one */
static const struct gpcov_grid grid = {.nx = 3, .ny = 2,
                                       .gt = {700000, 1000, 0, 6172000, 0, -1000}};

#define FC_HEAD                                                                \
    "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"  \
    "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n"
#define PT(x, y, props)                                                        \
    "{\"type\":\"Feature\",\"properties\":{" props "},\"geometry\":"           \
    "{\"type\":\"Point\",\"coordinates\":[" #x "," #y "]}}"

static double sum(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

static void case_points(gpcov_ctx *ctx)
{
    fx_write("people.geojson", FC_HEAD
             PT(700500, 6171500, "\"population\":10") ",\n"  /* cell 0 */
             PT(702999, 6170001, "\"population\":2.5") ",\n" /* cell 5 */
             PT(701000, 6171000, "\"population\":4") ",\n"   /* corner: cell 4 */
             PT(705000, 6171000, "\"population\":7") ",\n"   /* outside */
             PT(703000, 6171500, "\"population\":1") ",\n"   /* east edge: outside */
             PT(701500, 6171500, "\"population\":null") ",\n"
             PT(701500, 6171500, "\"population\":0") ",\n"
             PT(701500, 6171999, "\"population\":12.5") "\n]}\n"); /* cell 1 */
    double *cp = NULL, out = -1;
    OK(gpcov_population_grid(ctx, fx_path("people.geojson"), NULL, &grid, &cp, &out) == GPCOV_OK &&
           cp,
       "points with a 'population' field");
    if (!cp)
        return;
    double want[6] = {10, 12.5, 0, 0, 4, 2.5};
    for (int i = 0; i < 6; i++)
        NEAR(cp[i], want[i], 0, "cell %d (row %d, column %d): %g people", i, i / 3, i % 3, want[i]);
    NEAR(out, 8, 0, "8 outside: 7 east of the grid and 1 on its east edge");
    NEAR(sum(cp, 6) + out, 10 + 2.5 + 4 + 7 + 1 + 12.5, 0, "the total is kept: 37");
    free(cp);
    cp = NULL;
    OK(gpcov_population_grid(ctx, fx_path("people.geojson"), "population", &grid, &cp, NULL) ==
               GPCOV_OK && cp && cp[0] == 10,
       "the field named, and outside may be NULL");
    free(cp);
}

static void case_text_counts(gpcov_ctx *ctx)
{
    fx_write("text.geojson", FC_HEAD
             PT(700500, 6170500, "\"antal\":\"1.234,5\"") ",\n"
             PT(700600, 6170600, "\"antal\":\"66\"") "\n]}\n");
    double *cp = NULL, out = -1;
    OK(gpcov_population_grid(ctx, fx_path("text.geojson"), "antal", &grid, &cp, &out) == GPCOV_OK,
       "counts written as text in field 'antal'");
    NEAR(cp ? cp[3] : -1, 1300.5, 0, "1.234,5 and 66 in cell 3: 1300.5");
    NEAR(out, 0, 0, "nobody outside");
    free(cp);
}

static void refused(gpcov_ctx *ctx, const char *name, const char *field, const char *body,
                    const char *msg)
{
    char want[700];
    fx_write(name, body);
    double *cp = (double *)1;
    gpcov_status st = gpcov_population_grid(ctx, fx_path(name), field, &grid, &cp, NULL);
    OK(st == GPCOV_EINPUT && !cp, "%s is refused", name);
    snprintf(want, sizeof want, "%s: %s", fx_path(name), msg);
    STREQ(gpcov_ctx_message(ctx), want, "  with its message");
}

static void case_refused(gpcov_ctx *ctx)
{
    const char *one = FC_HEAD PT(700500, 6170500, "\"population\":-3") "\n]}\n";
    refused(ctx, "negative.geojson", NULL, one, "feature 1: population -3 is negative");
    refused(ctx, "nofield.geojson", "people", one, "no field 'people' with the population");
    refused(ctx, "word.geojson", NULL,
            FC_HEAD PT(700500, 6170500, "\"population\":\"5\"") ",\n"
                    PT(700500, 6170500, "\"population\":\"many\"") "\n]}\n",
            "feature 2: population 'many' is not a number");
    refused(ctx, "area.geojson", NULL,
            FC_HEAD "{\"type\":\"Feature\",\"properties\":{\"population\":5},\"geometry\":"
                    "{\"type\":\"Polygon\",\"coordinates\":[[[700000,6170000],[701000,6170000],"
                    "[701000,6171000],[700000,6170000]]]}}\n]}\n",
            "feature 1: not a point");
}

/* A raster of 500 m cells, 8 wide and 4 high, over x 700-704 km: its
** columns 6 and 7 lie east of the grid.  Value row*8 + col + 1, the
** north-west cell nodata. */
static void case_raster(gpcov_ctx *ctx)
{
    struct gpcov_grid pg = {.nx = 8, .ny = 4, .gt = {700000, 500, 0, 6172000, 0, -500}};
    float v[32];
    for (int i = 0; i < 32; i++)
        v[i] = (float)(i + 1);
    v[0] = NAN;
    OK(gpcov_raster_write(ctx, fx_path("pop.tif"), &pg, GPCOV_RASTER_FLOAT32, v, NULL) ==
           GPCOV_OK,
       "a population raster");
    double *cp = NULL, out = -1;
    OK(gpcov_population_grid(ctx, fx_path("pop.tif"), NULL, &grid, &cp, &out) == GPCOV_OK && cp,
       "people from the raster");
    if (!cp)
        return;
    /* grid cell (R, C) takes raster rows 2R, 2R+1 and columns 2C, 2C+1:
    ** cell 0 = 2 + 9 + 10 (1 is nodata), cell 1 = 3 + 4 + 11 + 12, ... */
    double want[6] = {2 + 9 + 10, 3 + 4 + 11 + 12, 5 + 6 + 13 + 14,
                      17 + 18 + 25 + 26, 19 + 20 + 27 + 28, 21 + 22 + 29 + 30};
    for (int i = 0; i < 6; i++)
        NEAR(cp[i], want[i], 0, "cell %d: %g people", i, want[i]);
    NEAR(out, 7 + 8 + 15 + 16 + 23 + 24 + 31 + 32, 0, "columns 6 and 7 outside: 156");
    NEAR(sum(cp, 6) + out, 32 * 33 / 2 - 1, 0, "the total is kept: 1 + ... + 32 less the nodata 1");
    free(cp);

    v[0] = 1;
    v[10] = -2; /* row 2, column 3 */
    gpcov_raster_write(ctx, fx_path("neg.tif"), &pg, GPCOV_RASTER_FLOAT32, v, NULL);
    cp = (double *)1;
    OK(gpcov_population_grid(ctx, fx_path("neg.tif"), NULL, &grid, &cp, &out) == GPCOV_EINPUT &&
           !cp,
       "a negative raster cell is refused");
    char want_msg[600];
    snprintf(want_msg, sizeof want_msg, "%s: row 2, column 3: population -2 is negative",
             fx_path("neg.tif"));
    STREQ(gpcov_ctx_message(ctx), want_msg, "  with its message");
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_points, ctx);
    RUN_ON(case_text_counts, ctx);
    RUN_ON(case_refused, ctx);
    RUN_ON(case_raster, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
