/* test_access.c: the 2SFCA family by hand-computed answers.  The core on a
** small explicit travel-time matrix for every method (2SFCA, E2SFCA,
** Gaussian, step), the weight functions at their band edges, the parsing
** of --steps, and the whole run on a straight-line model over a row of four
** 1 km cells: rasters, the supply table, the units, the group shares of
** capacity, unreachable supply, and the identity sum_i P_i A_i = sum_j S_j. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <math.h>

/* The matrix example: 3 demand cells, 2 supplies.
**   P = 100, 200, 300;  S = 10, 6
**   t(supply 1) =  5, 15, 25 min
**   t(supply 2) = 28, 12, 40 min */
static const double P[3] = {100, 200, 300}, S[2] = {10, 6};
static const float T[6] = {5, 15, 25, 28, 12, 40};

static double sum_pa(const double *a)
{
    return P[0] * a[0] + P[1] * a[1] + P[2] * a[2];
}

static void matrix_tests(gpcov_ctx *ctx)
{
    struct gpcov_access_decay d;
    double r[3], dem[3], a[3];

    /* 2SFCA, d0 = 30: supply 1 reaches all three cells, D1 = 600, R1 = 10/600;
    ** supply 2 reaches cells 1 and 2 (28 and 12 min; 40 > 30), D2 = 300,
    ** R2 = 6/300.  A = R1 + R2, R1 + R2, R1 = 11/300, 11/300, 1/60. */
    gpcov_access_decay_init(&d, GPCOV_ACCESS_2SFCA);
    OK(gpcov_access_matrix(ctx, &d, 3, P, 2, S, T, 0, r, dem, a) == GPCOV_OK, "2SFCA runs: %s",
       gpcov_ctx_message(ctx));
    NEAR(dem[0], 600, 1e-9, "2SFCA: supply 1 reaches 100 + 200 + 300 = 600 people");
    NEAR(dem[1], 300, 1e-9, "2SFCA: supply 2 reaches 100 + 200 = 300 (the cell at 40 min is out)");
    NEAR(r[0], 10.0 / 600, 1e-12, "2SFCA: R1 = 10 / 600");
    NEAR(r[1], 6.0 / 300, 1e-12, "2SFCA: R2 = 6 / 300");
    NEAR(a[0], 11.0 / 300, 1e-12, "2SFCA: A1 = 1/60 + 1/50 = 11/300");
    NEAR(a[1], 11.0 / 300, 1e-12, "2SFCA: A2 = 11/300");
    NEAR(a[2], 1.0 / 60, 1e-12, "2SFCA: A3 = 1/60 (supply 2 is 40 min away)");
    NEAR(sum_pa(a), 16, 1e-9, "2SFCA: sum P*A = 10 + 6 = 16 (all capacity is shared out)");

    /* E2SFCA, bands 0-10 1.00, 10-20 0.68, 20-30 0.22:
    **   supply 1: weights 1, 0.68, 0.22: D1 = 100 + 136 + 66 = 302
    **   supply 2: weights 0.22, 0.68, 0:  D2 = 22 + 136 = 158
    **   A1 = 10/302 + 0.22*6/158, A2 = 0.68*(10/302 + 6/158), A3 = 0.22*10/302 */
    gpcov_access_decay_init(&d, GPCOV_ACCESS_E2SFCA);
    OK(gpcov_access_matrix(ctx, &d, 3, P, 2, S, T, 0, r, dem, a) == GPCOV_OK, "E2SFCA runs");
    NEAR(dem[0], 302, 1e-9, "E2SFCA: D1 = 100*1 + 200*0.68 + 300*0.22 = 302");
    NEAR(dem[1], 158, 1e-9, "E2SFCA: D2 = 100*0.22 + 200*0.68 = 158");
    NEAR(a[0], 10.0 / 302 + 0.22 * 6.0 / 158, 1e-12, "E2SFCA: A1 = 0.041467");
    NEAR(a[1], 0.68 * (10.0 / 302 + 6.0 / 158), 1e-12, "E2SFCA: A2 = 0.048339");
    NEAR(a[2], 0.22 * 10.0 / 302, 1e-12, "E2SFCA: A3 = 0.007285");
    NEAR(sum_pa(a), 16, 1e-9, "E2SFCA: sum P*A = 16");

    /* Gaussian, d0 = 30: g(t) = (exp(-t^2/1800) - exp(-1/2)) / (1 - exp(-1/2)),
    ** exp(-1/2) = 0.6065307, 1 - exp(-1/2) = 0.3934693:
    **   g(5)  = (0.9862071 - 0.6065307) / 0.3934693 = 0.9649455
    **   g(15) = (0.8824969 - 0.6065307) / 0.3934693 = 0.7013666
    **   g(25) = (0.7066483 - 0.6065307) / 0.3934693 = 0.2544483
    **   g(28) = (0.6469055 - 0.6065307) / 0.3934693 = 0.1026116
    **   g(12) = (0.9231163 - 0.6065307) / 0.3934693 = 0.8046006
    **   g(40) = 0 (beyond d0)
    **   D1 = 100*0.9649455 + 200*0.7013666 + 300*0.2544483 = 313.10236
    **   D2 = 100*0.1026116 + 200*0.8046006 = 171.18129
    **   R1 = 10/313.10236 = 0.03193844,  R2 = 6/171.18129 = 0.03505056
    **   A1 = 0.9649455*R1 + 0.1026116*R2 = 0.03441544
    **   A2 = 0.7013666*R1 + 0.8046006*R2 = 0.05060226
    **   A3 = 0.2544483*R1 = 0.00812668 */
    gpcov_access_decay_init(&d, GPCOV_ACCESS_GAUSSIAN);
    NEAR(gpcov_access_weight(&d, 5), 0.9649455, 1e-7, "Gaussian: g(5) = 0.9649455");
    NEAR(gpcov_access_weight(&d, 15), 0.7013666, 1e-7, "Gaussian: g(15) = 0.7013666");
    NEAR(gpcov_access_weight(&d, 28), 0.1026116, 1e-7, "Gaussian: g(28) = 0.1026116");
    OK(gpcov_access_matrix(ctx, &d, 3, P, 2, S, T, 0, r, dem, a) == GPCOV_OK, "Gaussian runs");
    NEAR(dem[0], 313.10236, 1e-4, "Gaussian: D1 = 313.10236");
    NEAR(dem[1], 171.18129, 1e-4, "Gaussian: D2 = 171.18129");
    NEAR(a[0], 0.03441544, 1e-8, "Gaussian: A1 = 0.03441544");
    NEAR(a[1], 0.05060226, 1e-8, "Gaussian: A2 = 0.05060226");
    NEAR(a[2], 0.00812668, 1e-8, "Gaussian: A3 = 0.00812668");
    NEAR(sum_pa(a), 16, 1e-9, "Gaussian: sum P*A = 16");
}

/* the step decay on the matrix example, then its edges: an unreachable
** supply, a cell without people, a negative capacity */
static void matrix_step_edges(gpcov_ctx *ctx)
{
    struct gpcov_access_decay d;
    double r[3], dem[3], a[3];

    /* step "10:1,20:0.5,inf:0.1":
    **   supply 1: weights 1, 0.5, 0.1:   D1 = 100 + 100 + 30 = 230
    **   supply 2: weights 0.1, 0.5, 0.1: D2 = 10 + 100 + 30 = 140
    **   A1 = 10/230 + 0.1*6/140, A2 = 0.5*(10/230 + 6/140), A3 = 0.1*(10/230 + 6/140) */
    gpcov_access_decay_init(&d, GPCOV_ACCESS_STEP);
    OK(gpcov_access_steps_parse(ctx, "10:1,20:0.5,inf:0.1", &d) == GPCOV_OK, "steps parse: %s",
       gpcov_ctx_message(ctx));
    OK(gpcov_access_matrix(ctx, &d, 3, P, 2, S, T, 0, r, dem, a) == GPCOV_OK, "step runs");
    NEAR(dem[0], 230, 1e-9, "step: D1 = 230");
    NEAR(dem[1], 140, 1e-9, "step: D2 = 140 (the unbounded last step reaches 40 min)");
    NEAR(a[0], 10.0 / 230 + 0.1 * 6.0 / 140, 1e-12, "step: A1 = 0.047764");
    NEAR(a[1], 0.5 * (10.0 / 230 + 6.0 / 140), 1e-12, "step: A2 = 0.043168");
    NEAR(a[2], 0.1 * (10.0 / 230 + 6.0 / 140), 1e-12, "step: A3 = 0.008634");
    NEAR(sum_pa(a), 16, 1e-9, "step: sum P*A = 16");
    OK(isinf(gpcov_access_reach(&d)), "step: an unbounded last step has no catchment limit");

    /* a third supply 45 min from everyone: no demand within reach under 2SFCA */
    static const float T3[9] = {5, 15, 25, 28, 12, 40, 45, 45, 45};
    static const double S3[3] = {10, 6, 4};
    gpcov_access_decay_init(&d, GPCOV_ACCESS_2SFCA);
    gpcov_status st = gpcov_access_matrix(ctx, &d, 3, P, 3, S3, T3, 0, r, dem, a);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "supply 3: no demand within reach"),
       "unreachable supply is an error naming it (%s)", gpcov_ctx_message(ctx));
    st = gpcov_access_matrix(ctx, &d, 3, P, 3, S3, T3, 1, r, dem, a);
    OK(st == GPCOV_OK && isnan(r[2]), "with drop_unreachable it is left out (ratio NaN)");
    NEAR(a[2], 1.0 / 60, 1e-12, "and the others' scores are as before");
    NEAR(sum_pa(a), 16, 1e-9, "sum P*A = 16: the capacity of the supply that reaches demand");

    /* a cell without people still gets a score (what a person there would
    ** have) and adds nothing to any demand */
    static const double P0[3] = {100, 0, 300};
    OK(gpcov_access_matrix(ctx, &d, 3, P0, 2, S, T, 0, r, dem, a) == GPCOV_OK, "empty cell runs");
    NEAR(dem[0], 400, 1e-9, "D1 = 100 + 300 without the empty cell");
    NEAR(a[1], 10.0 / 400 + 6.0 / 100, 1e-12, "the empty cell's score is R1 + R2");
    NEAR(P0[0] * a[0] + P0[2] * a[2], 16, 1e-9, "sum P*A = 16 still");

    static const double Sneg[2] = {10, -1};
    OK(gpcov_access_matrix(ctx, &d, 3, P, 2, Sneg, T, 0, r, dem, a) == GPCOV_EINPUT,
       "a negative capacity is refused");
}

static void weight_tests(gpcov_ctx *ctx)
{
    struct gpcov_access_decay d;
    gpcov_access_decay_init(&d, GPCOV_ACCESS_E2SFCA);
    NEAR(gpcov_access_weight(&d, 0), 1.00, 0, "E2SFCA: 0 min weighs 1.00");
    NEAR(gpcov_access_weight(&d, 10), 1.00, 0, "E2SFCA: 10 min is in the first band (upper bound included)");
    NEAR(gpcov_access_weight(&d, 10.001), 0.68, 0, "E2SFCA: just over 10 min weighs 0.68");
    NEAR(gpcov_access_weight(&d, 30), 0.22, 0, "E2SFCA: 30 min weighs 0.22");
    NEAR(gpcov_access_weight(&d, 30.001), 0, 0, "E2SFCA: beyond 30 min weighs 0");
    NEAR(gpcov_access_weight(&d, NAN), 0, 0, "unreachable (NaN) weighs 0");
    NEAR(gpcov_access_reach(&d), 30, 0, "E2SFCA: the catchment is 30 min");
    gpcov_access_decay_init(&d, GPCOV_ACCESS_2SFCA);
    NEAR(gpcov_access_weight(&d, 30), 1, 0, "2SFCA: 30 min is inside the catchment");
    NEAR(gpcov_access_weight(&d, 30.5), 0, 0, "2SFCA: 30.5 min is outside");
    gpcov_access_decay_init(&d, GPCOV_ACCESS_GAUSSIAN);
    d.d0 = 60;
    NEAR(gpcov_access_weight(&d, 0), 1, 1e-15, "Gaussian: 1 at 0 min");
    NEAR(gpcov_access_weight(&d, 60), 0, 1e-15, "Gaussian: 0 at d0");
    /* t = d0/2: (exp(-1/8) - exp(-1/2)) / (1 - exp(-1/2)) = (0.8824969 - 0.6065307) / 0.3934693 */
    NEAR(gpcov_access_weight(&d, 30), 0.7013666, 1e-7, "Gaussian: 0.7013666 at d0/2");

    /* the training scenario's decay */
    struct gpcov_access_scenario scbuf;
    const struct gpcov_access_scenario *sc =
        gpcov_access_scenario_read(ctx, "reports/scenarios", "training", &scbuf) ? NULL : &scbuf;
    OK(sc != NULL, "the training scenario exists");
    if (!sc)
        return;
    gpcov_access_decay_init(&d, sc->method);
    OK(gpcov_access_steps_parse(ctx, sc->steps, &d) == GPCOV_OK, "its steps parse");
    NEAR(gpcov_access_weight(&d, 60), 0.59 + 0.25 + 0.11, 1e-12,
         "training: up to 60 min 0.95 = 59 %% + 25 %% + 11 %% still willing");
    NEAR(gpcov_access_weight(&d, 90), 0.25 + 0.11, 1e-12, "training: 60-120 min 0.36 = 25 %% + 11 %%");
    NEAR(gpcov_access_weight(&d, 500), 0.11, 1e-12, "training: beyond 120 min 0.11 (would move)");
    OK(strstr(sc->note, "59 + 25 + 11") != NULL, "the scenario note says where 0.95 comes from");

    struct {
        const char *text, *msg;
    } bad[] = {
        {"120:0.5,60:0.3", "step 2: upper bound 60 is not above the one before (120)"},
        {"60:1.2", "step 1: weight 1.2 lies outside 0..1"},
        {"60:-0.1", "weight -0.1 lies outside 0..1"},
        {"inf:0.1,200:0.2", "only the last may be inf"},
        {"60", "is not UPPER:WEIGHT"},
        {"abc:0.5", "upper bound 'abc' is not a number"},
        {"60:x", "weight 'x' is not a number"},
        {"60:0.5,", "missing after the last comma"},
        {"", "give 1 to"},
        {"-5:0.5", "must be a positive number"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        gpcov_access_decay_init(&d, GPCOV_ACCESS_STEP);
        gpcov_status st = gpcov_access_steps_parse(ctx, bad[k].text, &d);
        OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), bad[k].msg),
           "--steps '%s' is refused: %s", bad[k].text, gpcov_ctx_message(ctx));
    }
    enum gpcov_access_method m;
    OK(gpcov_access_method_parse("E2SFCA", &m) == 0 && m == GPCOV_ACCESS_E2SFCA,
       "method names are case-insensitive");
    OK(gpcov_access_method_parse("3sfca", &m) == -1, "an unknown method is refused");
}

/* value of a raster at cell (row 0, col c) */
static double px(gpcov_ctx *ctx, const char *path, int c)
{
    struct gpcov_grid g = {0};
    float *v = NULL;
    double r = -999;
    if (gpcov_raster_read(ctx, path, &g, &v) == GPCOV_OK && c < g.nx)
        r = v[c];
    free(v);
    gpcov_grid_clear(&g);
    return r;
}

/* fx_path's buffers are reused after eight calls; options keep paths for
** the whole test, so they get their own */
static const char *keep_path(const char *name)
{
    static char pool[48][512];
    static int k;
    if (k == 48)
        abort();
    snprintf(pool[k], sizeof pool[k], "%s", fx_path(name));
    return pool[k++];
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* a cell of a CSV by row (1-based after the header) and column name, or
** NULL; valid until the fourth call after */
static const char *csv_cell(gpcov_ctx *ctx, const char *path, size_t row, const char *col)
{
    static char buf[4][600];
    static int k;
    struct gpcov_table *t = NULL;
    const char *r = NULL;
    if (gpcov_table_read(ctx, path, NULL, &t) == GPCOV_OK) {
        int c = gpcov_table_col(t, col);
        if (c >= 0 && row >= 1 && row <= t->nrows && t->cells[(row - 1) * t->ncols + (size_t)c]) {
            k = (k + 1) % 4;
            snprintf(buf[k], sizeof buf[k], "%s", t->cells[(row - 1) * t->ncols + (size_t)c]);
            r = buf[k];
        }
        gpcov_table_free(t);
    }
    return r;
}

static double csv_num(gpcov_ctx *ctx, const char *path, size_t row, const char *col)
{
    const char *s = csv_cell(ctx, path, row, col);
    return s && *s ? atof(s) : NAN;
}

#define CRS "{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}}"

/* what the model cases share: the straight-line model over a row of four
** cells and the access options on it, which each case copies and varies */
static struct gpcov_traveltime_opts tt;
static struct gpcov_access_opts o;

static void model_setup(void)
{
    /* a row of four 1 km cells, centres at x = 700.5, 701.5, 702.5, 703.5 km;
    ** straight line at 60 km/h, detour 1: 1 minute per km */
    fx_write("row.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":" CRS ",\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"0101\",\"navn\":\"Vest\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[700000,6170000],[702000,6170000],[702000,6171000],"
        "[700000,6171000],[700000,6170000]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"147\",\"navn\":\"Øst\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[702000,6170000],[704000,6170000],[704000,6171000],"
        "[702000,6171000],[702000,6170000]]]}}\n]}\n");
    /* supply A in cell 0, B in cell 3 */
    fx_write("supply.csv", "id,x,y,cap\nA,700500,6170500,10\nB,703500,6170500,6\n");
    /* demand: 100 in cell 0, 200 in cell 1, 300 in cell 3, and a suburb of
    ** 1000 in cell 2 that overlaps its city */
    fx_write("people.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":" CRS ",\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"population\":100,\"place\":\"town\"},\"geometry\":"
        "{\"type\":\"Point\",\"coordinates\":[700400,6170400]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"population\":200,\"place\":\"town\"},\"geometry\":"
        "{\"type\":\"Point\",\"coordinates\":[701500,6170500]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"population\":1000,\"place\":\"suburb\"},\"geometry\":"
        "{\"type\":\"Point\",\"coordinates\":[702500,6170500]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"population\":300,\"place\":\"village\"},\"geometry\":"
        "{\"type\":\"Point\",\"coordinates\":[703600,6170600]}}\n]}\n");
    tt = (struct gpcov_traveltime_opts){.model = GPCOV_TT_STRAIGHT, .kmh = 60, .detour = 1,
                                        .extent = keep_path("row.geojson"), .resolution = 1000,
                                        .sources = keep_path("supply.csv"), .x_field = "x",
                                        .y_field = "y", .srs = "EPSG:25832", .source_id = "id"};
    o = (struct gpcov_access_opts){.tt = &tt, .capacity_field = "cap",
                                   .demand = keep_path("people.geojson"),
                                   .demand_where = "place != 'suburb'",
                                   .output = keep_path("a.tif"), .reciprocal = keep_path("r.tif"),
                                   .supply_output = keep_path("supply_out.csv"),
                                   .units = keep_path("row.geojson"), .units_key = "code",
                                   .units_name = "navn", .units_output = keep_path("units.csv"),
                                   .cache_mb = 64};
    gpcov_access_decay_init(&o.decay, GPCOV_ACCESS_2SFCA);
    o.decay.d0 = 1.5;
}

/* 2SFCA with d0 = 1.5 min: A reaches cells 0 and 1 (0 and 1 min), B
** reaches cells 2 and 3.  D_A = 100 + 200 = 300, R_A = 10/300;
** D_B = 300 (cell 2 is empty without the suburb), R_B = 6/300.
** Scores: 1/30, 1/30, 1/50, 1/50; reciprocals 30, 30, 50, 50. */
static void model_2sfca(gpcov_ctx *ctx)
{
    struct gpcov_access_result res;
    gpcov_status st = gpcov_access(ctx, &o, &res);
    OK(st == GPCOV_OK, "access on the straight-line model runs: %s", st ? gpcov_ctx_message(ctx) : "ok");
    NEAR(px(ctx, o.output, 0), 1.0 / 30, 1e-8, "cell 0: A = 10/300");
    NEAR(px(ctx, o.output, 1), 1.0 / 30, 1e-8, "cell 1: A = 10/300");
    NEAR(px(ctx, o.output, 2), 1.0 / 50, 1e-8, "cell 2 (no people): A = 6/300, what a person there would have");
    NEAR(px(ctx, o.output, 3), 1.0 / 50, 1e-8, "cell 3: A = 6/300");
    NEAR(px(ctx, o.reciprocal, 0), 30, 1e-4, "reciprocal in cell 0: 30 people per unit");
    NEAR(px(ctx, o.reciprocal, 3), 50, 1e-4, "reciprocal in cell 3: 50 people per unit");
    NEAR(res.weighted_access, 16, 1e-9, "sum P*A = 16 = 10 + 6");
    NEAR(res.capacity_total, 16, 1e-12, "the capacity of the supply kept is 16");
    NEAR(res.people, 600, 1e-9, "600 people after the suburb is filtered out");
    OK(res.runs == 2 && res.cached == 2, "two model runs; step 2 came from the cache (%zu runs, "
       "%zu cached)", res.runs, res.cached);
    gpcov_access_result_clear(&res);
    STREQ(csv_cell(ctx, o.supply_output, 1, "id"), "A", "supply table: row 1 is A");
    NEAR(csv_num(ctx, o.supply_output, 1, "demand"), 300, 1e-9, "supply A reaches 300 people");
    NEAR(csv_num(ctx, o.supply_output, 1, "ratio"), 10.0 / 300, 1e-12, "R_A = 10/300");
    NEAR(csv_num(ctx, o.supply_output, 2, "pop_per_capacity"), 50, 1e-9, "B: 300 people / 6 = 50");
    STREQ(csv_cell(ctx, o.units_output, 1, GPCOV_KEY_FIELD), "0101", "units: keys are normalised, sorted, named komkode");
    STREQ(csv_cell(ctx, o.units_output, 2, "name"), "Øst", "units: the name field");
    NEAR(csv_num(ctx, o.units_output, 1, "population"), 300, 1e-9, "unit 0101: 300 people");
    NEAR(csv_num(ctx, o.units_output, 1, "access"), 1.0 / 30, 1e-12, "unit 0101: mean A = 1/30");
    NEAR(csv_num(ctx, o.units_output, 1, "pop_per_capacity"), 30, 1e-9, "unit 0101: 30 people per unit of capacity");
    NEAR(csv_num(ctx, o.units_output, 2, "access"), 1.0 / 50, 1e-12, "unit 0147: mean A = 1/50");
    NEAR(csv_num(ctx, o.units_output, 2, "reach_pct"), 100, 1e-9, "unit 0147: everyone within reach");
}

/* the same model without the cache, with demand only, and units that
** miss a cell */
static void model_variants(gpcov_ctx *ctx)
{
    struct gpcov_access_result res;
    gpcov_status st;
    /* the same without the cache: every supply run twice, the same bytes */
    struct gpcov_access_opts o2 = o;
    o2.output = keep_path("a2.tif");
    o2.reciprocal = o2.supply_output = o2.units_output = NULL;
    o2.cache_mb = -1;
    st = gpcov_access(ctx, &o2, &res);
    OK(st == GPCOV_OK && res.runs == 4 && res.cached == 0, "no cache: four runs (%zu)", res.runs);
    gpcov_access_result_clear(&res);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", o.output, o2.output);
    OK(system(cmd) == 0, "the cache does not change a byte of the output");

    /* --demand-only: nodata in the cell without people */
    o2.output = keep_path("a_do.tif");
    o2.cache_mb = 0; /* the default: none for the straight-line model */
    o2.demand_only = 1;
    st = gpcov_access(ctx, &o2, &res);
    OK(st == GPCOV_OK && isnan(px(ctx, o2.output, 2)) && fabs(px(ctx, o2.output, 3) - 0.02) < 1e-8,
       "demand only: the empty cell 2 is nodata, cell 3 keeps 1/50");
    OK(res.cached == 0, "the straight-line model keeps no lists by default");
    gpcov_access_result_clear(&res);
    o2.demand_only = 0;
    /* units covering cells 0 and 1 only: cell 3 lies in no unit (nodata), and
    ** its 300 people are left out of the units' figures, with a note */
    fx_write("west.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":" CRS ",\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"0101\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[700000,6170000],[702000,6170000],[702000,6171000],"
        "[700000,6171000],[700000,6170000]]]}}]}\n");
    o2.output = keep_path("a_west.tif");
    o2.units = keep_path("west.geojson");
    o2.units_name = NULL;
    st = gpcov_access(ctx, &o2, &res);
    OK(st == GPCOV_OK && isnan(px(ctx, o2.output, 3)) && fabs(px(ctx, o2.output, 0) - 1.0 / 30) < 1e-8,
       "units mask the rasters: cell 3 (in no unit) is nodata, cell 0 keeps 1/30");
    NEAR(res.people_no_unit, 300, 1e-9, "the 300 people of cell 3 are in no unit");
    OK(res.notes && strstr(res.notes[0], "300 people lie in cells that touch no unit"),
       "and a note says so: %s", res.notes ? res.notes[0] : "(none)");
    gpcov_access_result_clear(&res);
}

/* the model again without the demand filter, then with E2SFCA and
** Gaussian decay */
static void model_variants_decay(gpcov_ctx *ctx)
{
    struct gpcov_access_result res;
    gpcov_status st;
    struct gpcov_access_opts o2 = o;
    o2.reciprocal = o2.supply_output = o2.units_output = NULL;
    o2.demand_only = 0;

    /* without the filter the suburb's 1000 people count: D_B = 1300 */
    o2.demand_where = NULL;
    o2.output = keep_path("a3.tif");
    o2.cache_mb = 0;
    st = gpcov_access(ctx, &o2, &res);
    OK(st == GPCOV_OK, "all places as demand: %s", st ? gpcov_ctx_message(ctx) : "ok");
    NEAR(px(ctx, o2.output, 3), 6.0 / 1300, 1e-9, "cell 3: A = 6/1300 when the suburb counts");
    NEAR(res.weighted_access, 16, 1e-9, "sum P*A = 16 still");
    gpcov_access_result_clear(&res);

    /* E2SFCA with bands of 1 min (step "1:1,2:0.68,3:0.22"):
    **   A: t = 0, 1, 2, 3 -> 1, 1, 0.68, 0.22: D_A = 100 + 200 + 0 + 300*0.22 = 366
    **   B: t = 3, 2, 1, 0 -> 0.22, 0.68, 1, 1:  D_B = 22 + 136 + 0 + 300 = 458
    **   cell 0: 10/366 + 0.22*6/458 */
    o2.output = keep_path("a4.tif");
    gpcov_access_decay_init(&o2.decay, GPCOV_ACCESS_E2SFCA);
    gpcov_access_steps_parse(ctx, "1:1,2:0.68,3:0.22", &o2.decay);
    o2.demand_where = "place <> 'suburb'";
    st = gpcov_access(ctx, &o2, &res);
    OK(st == GPCOV_OK, "E2SFCA on the model: %s", st ? gpcov_ctx_message(ctx) : "ok");
    NEAR(px(ctx, o2.output, 0), 10.0 / 366 + 0.22 * 6.0 / 458, 1e-8, "E2SFCA cell 0: 10/366 + 0.22*6/458");
    NEAR(res.weighted_access, 16, 1e-9, "E2SFCA on the model: sum P*A = 16");
    gpcov_access_result_clear(&res);
    /* Gaussian, d0 = 2: weights g(0) = 1, g(1) = (e^-1/8 - e^-1/2)/(1 - e^-1/2) = 0.7013666,
    ** g(2) = 0: D_A = 100 + 200*0.7013666 = 240.27332 */
    o2.output = NULL;
    o2.supply_output = keep_path("sg.csv");
    gpcov_access_decay_init(&o2.decay, GPCOV_ACCESS_GAUSSIAN);
    o2.decay.d0 = 2;
    st = gpcov_access(ctx, &o2, &res);
    OK(st == GPCOV_OK, "Gaussian on the model: %s", st ? gpcov_ctx_message(ctx) : "ok");
    NEAR(csv_num(ctx, o2.supply_output, 1, "demand"), 240.27332, 1e-4, "Gaussian: D_A = 240.27332");
    NEAR(res.weighted_access, 16, 1e-9, "Gaussian on the model: sum P*A = 16");
    gpcov_access_result_clear(&res);
}

/* a third supply 40 km east: nobody within 1.5 min */
static void model_unreachable_supply(gpcov_ctx *ctx)
{
    struct gpcov_access_result res;
    gpcov_status st;
    struct gpcov_access_opts o2;
    fx_write("supply3.csv", "id,x,y,cap\nA,700500,6170500,10\nB,703500,6170500,6\nC,740000,6170500,4\n");
    o2 = o;
    tt.sources = keep_path("supply3.csv");
    o2.output = keep_path("e1.tif");
    o2.reciprocal = o2.units_output = NULL;
    o2.supply_output = keep_path("e1.csv");
    st = gpcov_access(ctx, &o2, &res);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "supply3.csv: feature 3 (id 'C'): no demand within reach"),
       "a supply with no demand within reach is an error naming it: %s", gpcov_ctx_message(ctx));
    OK(!exists(o2.output) && !exists(o2.supply_output), "and nothing is written");
    gpcov_access_result_clear(&res);
    o2.drop_unreachable = 1;
    st = gpcov_access(ctx, &o2, &res);
    OK(st == GPCOV_OK && res.ndropped == 1, "--drop-unreachable drops it");
    OK(res.notes && strstr(res.notes[0], "id 'C'): no demand within reach; dropped"),
       "with a note naming it: %s", res.notes ? res.notes[0] : "(none)");
    NEAR(res.weighted_access, 16, 1e-9, "sum P*A = 16: C's 4 is not shared out");
    STREQ(csv_cell(ctx, o2.supply_output, 3, "dropped"), "1", "the table marks C dropped");
    gpcov_access_result_clear(&res);
}

/* capacities shared within a group: A and B have none; their group
** total is 16, shared equally: 8 each */
static void model_group_shares(gpcov_ctx *ctx)
{
    struct gpcov_access_result res;
    gpcov_status st;
    struct gpcov_access_opts o2;
    fx_write("shared.csv", "id,x,y,cap,total,grp\nA,700500,6170500,,16,r1\nB,703500,6170500,,16,r1\n");
    tt.sources = keep_path("shared.csv");
    o2 = o;
    o2.capacity_total = "total";
    o2.capacity_group = "grp";
    o2.output = o2.reciprocal = o2.units_output = NULL;
    o2.supply_output = keep_path("shared_out.csv");
    st = gpcov_access(ctx, &o2, &res);
    OK(st == GPCOV_OK, "group shares run: %s", st ? gpcov_ctx_message(ctx) : "ok");
    NEAR(csv_num(ctx, o2.supply_output, 2, "capacity"), 8, 1e-12, "B gets 16 / 2 = 8");
    const char *cn = csv_cell(ctx, o2.supply_output, 2, "capacity_note");
    OK(cn && strstr(cn, "cap empty: 8 = total 16 for grp 'r1', shared equally among the 2 rows without cap"), "and says so: %s", cn ? cn : "(none)");
    OK(res.notes && strstr(res.notes[0], "(A, B)"), "the note lists the rows sharing: %s",
       res.notes ? res.notes[0] : "(none)");
    gpcov_access_result_clear(&res);
}

/* input errors: each names the problem and writes nothing */
static void model_bad_supply(gpcov_ctx *ctx)
{
    gpcov_status st;
    struct gpcov_access_opts o2;
    struct {
        const char *csv, *cap, *msg;
    } bad[] = {
        {"id,x,y,cap\nA,700500,6170500,ten\n", "cap", "feature 1 (id 'A'): capacity cap 'ten' is not a number"},
        {"id,x,y,cap\nA,700500,6170500,-3\n", "cap", "capacity cap -3 is negative"},
        {"id,x,y,cap\nA,700500,6170500,\n", "cap", "capacity cap is empty"},
        {"id,x,y,cap\nA,700500,6170500,1\n", "posts", "no field 'posts' (--capacity-field"},
        {"id,x,y,cap\n", "cap", "no supply points"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        fx_write("bad.csv", bad[k].csv);
        tt.sources = keep_path("bad.csv");
        o2 = o;
        o2.capacity_field = bad[k].cap;
        o2.output = keep_path("bad.tif");
        o2.reciprocal = o2.supply_output = o2.units_output = NULL;
        st = gpcov_access(ctx, &o2, NULL);
        OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), bad[k].msg),
           "bad supply %zu refused: %s", k + 1, gpcov_ctx_message(ctx));
        OK(!exists(o2.output), "bad supply %zu: nothing written", k + 1);
    }
    tt.sources = keep_path("supply.csv");
    o2 = o;
    o2.output = keep_path("a.tif");
    o2.reciprocal = o2.supply_output = o2.units_output = NULL;
    st = gpcov_access(ctx, &o2, NULL);
    OK(st == GPCOV_EOUTPUT && strstr(gpcov_ctx_message(ctx), "exists already"),
       "an existing output is refused");
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(matrix_tests, ctx);
    RUN_ON(matrix_step_edges, ctx);
    RUN_ON(weight_tests, ctx);
    model_setup();
    RUN_ON(model_2sfca, ctx);
    RUN_ON(model_variants, ctx);
    RUN_ON(model_variants_decay, ctx);
    RUN_ON(model_unreachable_supply, ctx);
    RUN_ON(model_group_shares, ctx);
    RUN_ON(model_bad_supply, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
