/*
** cmd_access.c: `gpcov access`, accessibility by the two-step floating
** catchment area family (gpcov_access) on travel times from the same
** models as `gpcov traveltime`, with the supply points as the sources.  Its options
** and the model's (ttopts.c) are tables (opt.h).
*/
#include "cmd.h"
#include "gpcov.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the command line fills in: the travel model (ttopts.c), whose
** sources are the supply points, and the accessibility. */
struct access_args {
    struct tt_args t;
    struct gpcov_access_opts o;
    const char *method, *steps, *scenario, *data;
    double d0, cache_mb;
    int quiet;
};

/* --method and --scenario: kept as given, checked once the scenario has
** filled in what was not given. */
static int set_text(const char *cmd, const struct opt *op, void *target, const char *v)
{
    (void)cmd;
    *(const char **)((char *)target + op->off) = v;
    return 0;
}

/* --cache-mb N: a number >= 0. */
static int set_cache(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct access_args *a = target;
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !isfinite(d) || d < 0)
        return tool_usage_error(cmd, "%s: '%s' is not a non-negative number", op->name, v);
    a->cache_mb = d;
    return 0;
}

#define F(m) offsetof(struct access_args, m)
static const struct opt options[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Supply:", 0, NULL},
    {OPT_INPUT, "--supply", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "points with a capacity, any OGR source (CSV with lon/lat, or --x/--y/--srs); the "
     "travel model's sources", F(t.o.sources), NULL},
    {OPT_STRING, "--supply-layer", NULL, "NAME", NULL, "the first", 0, "layer of SRC",
     F(t.o.source_layer), NULL},
    {OPT_STRING, "--supply-id", NULL, "F", NULL, "feature numbers 1..n", 0,
     "names each supply point in messages and tables", F(t.o.source_id), NULL},
    {OPT_STRING, "--capacity-field", NULL, "F", NULL, NULL, OPT_REQUIRED,
     "capacity S_j, a number >= 0", F(o.capacity_field), NULL},
    {OPT_STRING, "--capacity-total", NULL, "F", NULL, "none", 0,
     "with --capacity-group: a row whose capacity is empty", F(o.capacity_total), NULL},
    {OPT_STRING, "--capacity-group", NULL, "F", NULL, "none", 0,
     "takes an equal share of its group's total (F, repeated on the group's rows) less what "
     "the group's other rows give; every share is reported", F(o.capacity_group), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Demand:", 0, NULL},
    {OPT_INPUT, "--demand", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "points with a count (CSV with lon/lat, any OGR source; e.g. from gpcov population), "
     "each in the cell it falls in, or a raster of people per cell (EPSG:25832)",
     F(o.demand), NULL},
    {OPT_STRING, "--demand-field", NULL, "F", NULL, "population", 0, "the count field",
     F(o.demand_field), NULL},
    {OPT_STRING, "--demand-where", NULL, "EXPR", NULL, "every point", 0,
     "points: keep those where EXPR holds, e.g. \"place <> 'suburb'\" (the overlay's "
     "expressions)", F(o.demand_where), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Weights (f = 0 beyond the catchment and where a supply cannot reach a cell):", 0, NULL},
    {OPT_CHOICE, "--method", NULL, NULL, "2sfca|e2sfca|gaussian|step", "2sfca", 0,
     "the weight f", F(method), set_text},
    {OPT_TEXT, NULL, NULL, NULL, NULL, NULL, 0,
     "                        2sfca: f = 1 up to --d0 minutes (d0 = 30)\n"
     "                        e2sfca: steps by band, default 10:1.00,20:0.68,30:0.22\n"
     "                          (0-10 min 1.00, 10-20 min 0.68, 20-30 min 0.22)\n"
     "                        gaussian: up to d0, f = (exp(-(t/d0)^2/2) - exp(-1/2))\n"
     "                          / (1 - exp(-1/2)): 1 at t = 0, 0.70 at d0/2, 0 at d0\n"
     "                        step: a step function given by --steps\n", 0, NULL},
    {OPT_NUMBER, "--d0", NULL, "MIN", NULL, "30", 0, "catchment of 2sfca and gaussian",
     F(d0), NULL},
    {OPT_STRING, "--steps", NULL, "LIST", NULL, NULL, 0,
     "UPPER:WEIGHT,... with upper bounds in minutes, ascending (the last may be inf) and "
     "weights in 0..1; a band covers (previous upper, upper], e.g. 60:0.95,120:0.36,inf:0.11 "
     "(required with --method step)", F(steps), NULL},
    {OPT_FLAG, "--drop-unreachable", NULL, NULL, NULL, "an error naming it", 0,
     "leave out (with a note) a supply point no people lie within reach of",
     F(o.drop_unreachable), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Outputs (at least one; all are written, or none):", 0, NULL},
    {OPT_OUTPUT, "--output", NULL, "DST.tif", NULL, NULL, OPT_OUT,
     "A_i per cell (float32; capacity per person); every cell gets what a person there would "
     "have", F(o.output), NULL},
    {OPT_OUTPUT, "--reciprocal", NULL, "DST.tif", NULL, NULL, OPT_OUT,
     "1 / A_i: people per unit of capacity (nodata where A = 0)", F(o.reciprocal), NULL},
    {OPT_FLAG, "--demand-only", NULL, NULL, NULL, NULL, 0,
     "rasters: nodata in cells without people", F(o.demand_only), NULL},
    {OPT_OUTPUT, "--supply-output", NULL, "DST", NULL, "none", OPT_OUT,
     "per supply point (.csv/.geojson/.gpkg): id, capacity, capacity_note, demand (sum_i P_i "
     "f), population_reached (people with f > 0), ratio (R_j), pop_per_capacity, dropped, "
     "model", F(o.supply_output), NULL},
    {OPT_INPUT, "--units", NULL, "SRC", NULL, "none", OPT_IN,
     "polygons, e.g. shapefiles/kommuner.shp: a cell belongs to the unit holding its centre "
     "(a coastal cell whose centre is at sea, to a unit it touches); rasters are nodata in "
     "cells of no unit", F(o.units), NULL},
    {OPT_STRING, "--units-key", NULL, "F", NULL, NULL, 0,
     "the units' key field (required with --units)", F(o.units_key), NULL},
    {OPT_STRING, "--units-name", NULL, "F", NULL, "none", 0, "copied to 'name'",
     F(o.units_name), NULL},
    {OPT_STRING, "--units-key-out", NULL, "NAME", NULL, GPCOV_KEY_FIELD, 0,
     "the key's name in --units-output", F(o.units_key_out), NULL},
    {OPT_OUTPUT, "--units-output", NULL, "DST", NULL, "none", OPT_OUT,
     "per unit (.geojson/.gpkg/.csv): population, access (the population-weighted mean of "
     "A_i), pop_per_capacity (1 / access), reach_pct (people with a supply point within "
     "reach, %), method, model; or PostGIS: 'PG:<conninfo> tables=NAME' (README)",
     F(o.units_output), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Scenario:", 0, NULL},
    {OPT_CHOICE, "--scenario", NULL, "training", "training", NULL, 0,
     "supply = the training posts in general medicine 2021 "
     "(DATA/training/hoveduddannelse_almen_medicin_2021.csv, capacity posts_dimensioned; "
     "Region Sjælland's 70 and Region Hovedstaden's 84 posts shared equally among their "
     "listed towns, and said so), id = town, weights = the commute tolerance of young "
     "doctors (Lægeforeningen 2025: 59 % up to 1 h, 25 % up to 2 h, 11 % would move): "
     "--method step --steps 60:0.95,120:0.36,inf:0.11, i.e. 0.95 = 59+25+11 %, 0.36 = "
     "25+11 %, 0.11 = moving.  Options given override the scenario's.", F(scenario),
     set_text},
    {OPT_INPUT, "--data", NULL, "DIR", NULL, "../shared/data", 0, "the embedded data", F(data),
     NULL},
    {OPT_TEXT, NULL, NULL, NULL, NULL, NULL, 0, "\n", 0, NULL},
    {OPT_NUMBER, "--cache-mb", NULL, "N", NULL, NULL, 0,
     "memory for the cells each supply point reaches, kept between the two steps; supply "
     "points beyond it are run again in step 2 (default: 256, and 0 with --straight-line, "
     "which runs faster than it is read back; 0: run all twice)", 0, set_cache},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace existing outputs",
     F(o.overwrite), NULL},
    TOOL_OPT_CSV,
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "no progress, no closing summary line",
     F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {
    {NULL, options, 24},
    {"The travel model (--sources is --supply here; --source-id is --supply-id):", tt_options,
     TT_COL},
};
const struct opt_cmd opts_access = {
    "access",
    "usage: gpcov access MODEL OPTIONS --supply SRC --capacity-field F --demand SRC\n"
    "                    [--method 2sfca|e2sfca|gaussian|step] OUTPUTS [options]\n"
    "       gpcov access --scenario training MODEL OPTIONS --demand SRC OUTPUTS\n"
    "\n"
    "Two-step floating catchment area (2SFCA) accessibility.  With supply points j\n"
    "(capacity S_j), people P_i in the cells i of the travel model's grid, travel\n"
    "times t_ij and a weight f(t) in 0..1:\n"
    "  step 1  R_j = S_j / sum_i P_i f(t_ij)    (capacity per person reached)\n"
    "  step 2  A_i = sum_j R_j f(t_ij)          (access score: capacity per person)\n"
    "so that sum_i P_i A_i = sum_j S_j: the people share out all the capacity.\n",
    groups, 2, NULL,
    NULL,
};

/* The scenario (reports/scenarios/NAME.ini, read into *sc) fills in what
** was not given. */
static int apply_scenario(struct access_args *a, char *supply_path, size_t size,
                          struct gpcov_access_scenario *sc)
{
    gpcov_ctx *ctx = tool_ctx(1);
    if (!ctx)
        return EXIT_INTERNAL;
    gpcov_status st = gpcov_access_scenario_read(ctx, "reports/scenarios", a->scenario, sc);
    int rc = st ? tool_usage_error("access", "%s", gpcov_ctx_message(ctx)) : EXIT_OK;
    gpcov_ctx_free(ctx);
    if (rc)
        return rc;
    if (!a->t.o.sources && sc->supply[0]) {
        snprintf(supply_path, size, "%s/%s", a->data, sc->supply);
        a->t.o.sources = supply_path;
    }
    if (!a->o.capacity_field && sc->capacity_field[0]) {
        a->o.capacity_field = sc->capacity_field;
        if (!a->o.capacity_total && !a->o.capacity_group && sc->capacity_total[0]) {
            a->o.capacity_total = sc->capacity_total;
            a->o.capacity_group = sc->capacity_group[0] ? sc->capacity_group : NULL;
        }
    }
    if (!a->t.o.source_id && sc->supply_id[0])
        a->t.o.source_id = sc->supply_id;
    if (!a->method) {
        a->method = gpcov_access_method_name(sc->method);
        if (!a->steps && sc->steps[0])
            a->steps = sc->steps;
    }
    a->o.scenario_note = sc->note[0] ? sc->note : NULL;
    return EXIT_OK;
}

/* The method, and what goes with what; EXIT_OK or EXIT_USAGE after saying
** what is wrong. */
static int check_args(const struct access_args *a, enum gpcov_access_method *m)
{
    const struct gpcov_access_opts *o = &a->o;
    *m = GPCOV_ACCESS_2SFCA;
    if (a->method && gpcov_access_method_parse(a->method, m))
        return tool_usage_error("access", "--method '%s': use 2sfca, e2sfca, gaussian or step",
                                a->method);
    int stepped = *m == GPCOV_ACCESS_E2SFCA || *m == GPCOV_ACCESS_STEP;
    if (a->steps && !stepped)
        return tool_usage_error("access", "--steps goes with --method e2sfca or step");
    if (a->d0 > 0 && stepped)
        return tool_usage_error("access", "--d0 goes with --method 2sfca or gaussian (the steps "
                                "give the bands)");
    if (*m == GPCOV_ACCESS_STEP && !a->steps)
        return tool_usage_error("access", "--method step needs --steps, e.g. "
                                "60:0.95,120:0.36,inf:0.11");
    if (!a->t.o.sources)
        return tool_usage_error("access", "--supply is required (or --scenario training)");
    if (!o->capacity_field)
        return tool_usage_error("access", "--capacity-field is required");
    if (!o->demand)
        return tool_usage_error("access", "--demand is required");
    if (!o->output && !o->reciprocal && !o->supply_output && !o->units_output)
        return tool_usage_error("access", "give at least one output: --output, --reciprocal, "
                                "--supply-output or --units-output");
    if ((o->capacity_total != NULL) != (o->capacity_group != NULL))
        return tool_usage_error("access", "--capacity-total and --capacity-group go together");
    if (o->units_output && !o->units)
        return tool_usage_error("access", "--units-output needs --units");
    if (o->units && !o->units_key)
        return tool_usage_error("access", "--units needs --units-key");
    return tt_check("access", &a->t.o, a->t.models);
}

/* The scenario's note and the report of a run (not inside a report's
** step unless verbose). */
static void print_report(const struct gpcov_access_opts *o,
                         const struct gpcov_access_scenario *sc,
                         const struct gpcov_access_result *res)
{
    if (sc && sc->note[0])
        fprintf(stderr, "gpcov access: note: %s\n", sc->note);
    char desc[700];
    gpcov_access_decay_describe(&o->decay, desc, sizeof desc);
    printf("access: %s\n", desc);
    printf("access: %zu supply points, capacity %.6g shared out%s", res->nsupply,
           res->capacity_total, res->ndropped ? "" : "\n");
    if (res->ndropped)
        printf(" (%zu dropped: no demand within reach)\n", res->ndropped);
    printf("access: %.15g people in the grid; sum of people x score = %.6f\n", res->people,
           res->weighted_access);
    printf("access: %zu travel-model runs, %zu supply points from the cache in step 2\n",
           res->runs, res->cached);
    if (isinf(res->reach_minutes) || !(res->reach_minutes > 0))
        printf("access: no cut-off (the weight stays above 0 at any time): every run covers "
               "the grid's %zu cells\n", res->ncells);
    else
        printf("access: runs stop at the cut-off, %g min: %.0f cells within reach a run on "
               "average, of %zu in the grid\n", res->reach_minutes,
               res->runs ? (double)res->cells_reached / (double)res->runs : 0.0, res->ncells);
    fflush(stdout);
}

/* The report, then the summary line. */
static void print_result(const struct gpcov_access_opts *o,
                         const struct gpcov_access_scenario *sc,
                         const struct gpcov_access_result *res, int quiet)
{
    if (!tool_step_quiet())
        print_report(o, sc, res);
    /* what the data made of the inputs, as notices: always */
    for (char **p = res->notes; p && *p; p++)
        fprintf(stderr, "gpcov access: note: %s\n", *p);
    char dropped[40] = "";
    if (res->ndropped)
        snprintf(dropped, sizeof dropped, " (%zu dropped)", res->ndropped);
    tool_summary(quiet, "access", "%zu supply points%s, capacity %.6g shared out over %.15g "
                 "people; sum of people x score = %.6f", res->nsupply, dropped,
                 res->capacity_total, res->people, res->weighted_access);
}

/* The weights, then the run. */
static int run(struct access_args *a, enum gpcov_access_method m,
               const struct gpcov_access_scenario *sc)
{
    struct gpcov_access_opts *o = &a->o;
    o->tt = &a->t.o;
    o->cache_mb = a->cache_mb < 0 ? 0 : a->cache_mb == 0 ? -1 : a->cache_mb;
    gpcov_ctx *ctx = tool_ctx(a->quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    gpcov_access_decay_init(&o->decay, m);
    if (a->d0 > 0)
        o->decay.d0 = a->d0;
    int rc;
    gpcov_status st = a->steps ? gpcov_access_steps_parse(ctx, a->steps, &o->decay) : GPCOV_OK;
    if (st) {
        rc = tool_usage_error("access", "%s", gpcov_ctx_message(ctx));
        gpcov_ctx_free(ctx);
        return rc;
    }
    struct gpcov_access_result res;
    st = gpcov_access(ctx, o, &res);
    if (st) {
        rc = tool_fail(ctx, st);
    } else {
        print_result(o, sc, &res, a->quiet);
        rc = EXIT_OK;
    }
    gpcov_access_result_clear(&res);
    gpcov_ctx_free(ctx);
    return rc;
}

int cmd_access(int argc, char **argv)
{
    struct access_args a;
    memset(&a, 0, sizeof a);
    a.data = "../shared/data";
    a.cache_mb = -1;
    int rc = opt_parse(&opts_access, argc, argv, (void *const[]){&a, &a.t});
    if (rc)
        return rc == OPT_HELP ? EXIT_OK : rc;
    char supply_path[8192];
    struct gpcov_access_scenario scbuf;
    const struct gpcov_access_scenario *sc = NULL;
    if (a.scenario && (rc = apply_scenario(&a, supply_path, sizeof supply_path, &scbuf)))
        return rc;
    if (a.scenario)
        sc = &scbuf;
    enum gpcov_access_method m;
    if ((rc = check_args(&a, &m)))
        return rc;
    return run(&a, m, sc);
}
