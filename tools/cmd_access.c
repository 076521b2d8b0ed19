/*
** cmd_access.c: `gpcov access`, accessibility by the two-step floating
** catchment area family (gpcov_access) on travel times from the same
** models as `gpcov traveltime`, with the supply points as the sources.
*/
#include "cmd.h"
#include "gpcov.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char usage[] =
    "usage: gpcov access MODEL OPTIONS --supply SRC --capacity-field F --demand SRC\n"
    "                    [--method 2sfca|e2sfca|gaussian|step] OUTPUTS [options]\n"
    "       gpcov access --scenario training MODEL OPTIONS --demand SRC OUTPUTS\n"
    "\n"
    "Two-step floating catchment area (2SFCA) accessibility.  With supply points j\n"
    "(capacity S_j), people P_i in the cells i of the travel model's grid, travel\n"
    "times t_ij and a weight f(t) in 0..1:\n"
    "  step 1  R_j = S_j / sum_i P_i f(t_ij)    (capacity per person reached)\n"
    "  step 2  A_i = sum_j R_j f(t_ij)          (access score: capacity per person)\n"
    "so that sum_i P_i A_i = sum_j S_j: the people share out all the capacity.\n"
    "\n"
    "Supply:\n"
    "  --supply SRC          points with a capacity, any OGR source (CSV with lon/lat,\n"
    "                        or --x/--y/--srs); the travel model's sources (required)\n"
    "  --supply-layer NAME   layer of SRC (default: the first)\n"
    "  --supply-id F         names each supply point in messages and tables\n"
    "                        (default: feature numbers 1..n)\n"
    "  --capacity-field F    capacity S_j, a number >= 0 (required)\n"
    "  --capacity-total F    with --capacity-group (default: none): a row whose\n"
    "                        capacity is empty\n"
    "  --capacity-group F    takes an equal share of its group's total (F, repeated\n"
    "                        on the group's rows) less what the group's other rows\n"
    "                        give; every share is reported (default: none)\n"
    "\n"
    "Demand:\n"
    "  --demand SRC          points with a count (CSV with lon/lat, any OGR source;\n"
    "                        e.g. from gpcov population), each in the cell it falls\n"
    "                        in, or a raster of people per cell (EPSG:25832)\n"
    "                        (required)\n"
    "  --demand-field F      the count field (default: population)\n"
    "  --demand-where EXPR   points: keep those where EXPR holds, e.g.\n"
    "                        \"place <> 'suburb'\" (the overlay's expressions;\n"
    "                        default: every point)\n"
    "\n"
    "Weights (f = 0 beyond the catchment and where a supply cannot reach a cell):\n"
    "  --method 2sfca        f = 1 up to --d0 minutes (default; d0 = 30)\n"
    "  --method e2sfca       steps by band, default 10:1.00,20:0.68,30:0.22 (0-10\n"
    "                        min 1.00, 10-20 min 0.68, 20-30 min 0.22)\n"
    "  --method gaussian     f = (exp(-(t/d0)^2/2) - exp(-1/2)) / (1 - exp(-1/2))\n"
    "                        up to d0: 1 at t = 0, 0.70 at d0/2, 0 at d0\n"
    "  --method step         a step function given by --steps\n"
    "  --d0 MIN              catchment of 2sfca and gaussian (default: 30)\n"
    "  --steps LIST          UPPER:WEIGHT,... with upper bounds in minutes, ascending\n"
    "                        (the last may be inf) and weights in 0..1; a band covers\n"
    "                        (previous upper, upper], e.g. 60:0.95,120:0.36,inf:0.11\n"
    "                        (required with --method step)\n"
    "  --drop-unreachable    leave out (with a note) a supply point no people lie\n"
    "                        within reach of (default: an error naming it)\n"
    "\n"
    "Outputs (at least one; all are written, or none):\n"
    "  --output DST.tif      A_i per cell (float32; capacity per person); every cell\n"
    "                        gets what a person there would have\n"
    "  --reciprocal DST.tif  1 / A_i: people per unit of capacity (nodata where A = 0)\n"
    "  --demand-only         rasters: nodata in cells without people\n"
    "  --supply-output DST   per supply point (.csv/.geojson/.gpkg): id, capacity,\n"
    "                        capacity_note, demand (sum_i P_i f), population_reached\n"
    "                        (people with f > 0), ratio (R_j), pop_per_capacity,\n"
    "                        dropped, model (default: none)\n"
    "  --units SRC           polygons, e.g. shapefiles/kommuner.shp: a cell belongs to\n"
    "                        the unit holding its centre (a coastal cell whose centre\n"
    "                        is at sea, to a unit it touches); rasters are nodata in\n"
    "                        cells of no unit (default: none)\n"
    "  --units-key F         the units' key field (required with --units)\n"
    "  --units-name F        copied to 'name' (default: none)\n"
    "  --units-output DST    per unit (.geojson/.gpkg/.csv): population, access (the\n"
    "                        population-weighted mean of A_i), pop_per_capacity\n"
    "                        (1 / access), reach_pct (people with a supply point\n"
    "                        within reach, %), method, model; or PostGIS:\n"
    "                        'PG:<conninfo> tables=NAME' (README) (default: none)\n"
    "\n"
    "Scenario:\n"
    "  --scenario training   supply = the training posts in general medicine 2021\n"
    "                        (DATA/training/hoveduddannelse_almen_medicin_2021.csv,\n"
    "                        capacity posts_dimensioned; Region Sjælland's 70 and\n"
    "                        Region Hovedstaden's 84 posts shared equally among their\n"
    "                        listed towns, and said so), id = town, weights = the\n"
    "                        commute tolerance of young doctors (Lægeforeningen 2025:\n"
    "                        59 % up to 1 h, 25 % up to 2 h, 11 % would move):\n"
    "                        --method step --steps 60:0.95,120:0.36,inf:0.11, i.e.\n"
    "                        0.95 = 59+25+11 %, 0.36 = 25+11 %, 0.11 = moving.\n"
    "                        Options given override the scenario's.\n"
    "  --data DIR            the embedded data (default: ../shared/data)\n"
    "\n"
    "  --cache-mb N          memory for the cells each supply point reaches, kept\n"
    "                        between the two steps; supply points beyond it are run\n"
    "                        again in step 2 (default: 256, and 0 with\n"
    "                        --straight-line, which runs faster than it is read\n"
    "                        back; 0: run all twice)\n"
    "  --overwrite           replace existing outputs (default: refuse)\n"
    "  -q                    no progress\n"
    "\n"
    "The travel model (--sources is --supply here; --source-id is --supply-id):\n";

static int parse_num(const char *opt, const char *v, double *out, int allow_zero)
{
    char *end = NULL;
    double d = v ? strtod(v, &end) : 0;
    if (!v || end == v || *end || !isfinite(d) || d < 0 || (!allow_zero && d == 0)) {
        tool_usage_error("access", "%s: '%s' is not a %s number", opt, v ? v : "",
                         allow_zero ? "non-negative" : "positive");
        return -1;
    }
    *out = d;
    return 0;
}

int cmd_access(int argc, char **argv)
{
    struct gpcov_traveltime_opts tt = {0};
    struct gpcov_access_opts o = {0};
    const char *method = NULL, *steps = NULL, *scenario = NULL, *data = "../shared/data";
    double d0 = 0, cache_mb = -1;
    int quiet = 0, models = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int r = tt_option("access", &tt, &models, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            tt_help();
            return EXIT_OK;
        } else if (!strcmp(a, "--overwrite")) o.overwrite = 1;
        else if (!strcmp(a, "--drop-unreachable")) o.drop_unreachable = 1;
        else if (!strcmp(a, "--demand-only")) o.demand_only = 1;
        else if (!strcmp(a, "-q")) quiet = 1;
        else if (!v)
            return tool_usage_error("access", "unknown option or missing value: '%s'", a);
        else if (!strcmp(a, "--supply")) tt.sources = v, i++;
        else if (!strcmp(a, "--supply-layer")) tt.source_layer = v, i++;
        else if (!strcmp(a, "--supply-id")) tt.source_id = v, i++;
        else if (!strcmp(a, "--capacity-field")) o.capacity_field = v, i++;
        else if (!strcmp(a, "--capacity-total")) o.capacity_total = v, i++;
        else if (!strcmp(a, "--capacity-group")) o.capacity_group = v, i++;
        else if (!strcmp(a, "--demand")) o.demand = v, i++;
        else if (!strcmp(a, "--demand-field")) o.demand_field = v, i++;
        else if (!strcmp(a, "--demand-where")) o.demand_where = v, i++;
        else if (!strcmp(a, "--method")) method = v, i++;
        else if (!strcmp(a, "--steps")) steps = v, i++;
        else if (!strcmp(a, "--scenario")) scenario = v, i++;
        else if (!strcmp(a, "--data")) data = v, i++;
        else if (!strcmp(a, "--output")) o.output = v, i++;
        else if (!strcmp(a, "--reciprocal")) o.reciprocal = v, i++;
        else if (!strcmp(a, "--supply-output")) o.supply_output = v, i++;
        else if (!strcmp(a, "--units")) o.units = v, i++;
        else if (!strcmp(a, "--units-key")) o.units_key = v, i++;
        else if (!strcmp(a, "--units-name")) o.units_name = v, i++;
        else if (!strcmp(a, "--units-output")) o.units_output = v, i++;
        else if (!strcmp(a, "--d0")) {
            if (parse_num(a, v, &d0, 0))
                return EXIT_USAGE;
            i++;
        } else if (!strcmp(a, "--cache-mb")) {
            if (parse_num(a, v, &cache_mb, 1))
                return EXIT_USAGE;
            i++;
        } else
            return tool_usage_error("access", "unknown option '%s'", a);
    }
    /* the scenario fills in what was not given */
    char supply_path[4096];
    const struct gpcov_access_scenario *sc = NULL;
    if (scenario) {
        if (!(sc = gpcov_access_scenario_find(scenario)))
            return tool_usage_error("access", "unknown scenario '%s' (known: training)", scenario);
        if (!tt.sources) {
            snprintf(supply_path, sizeof supply_path, "%s/%s", data, sc->supply);
            tt.sources = supply_path;
        }
        if (!o.capacity_field) {
            o.capacity_field = sc->capacity_field;
            if (!o.capacity_total && !o.capacity_group) {
                o.capacity_total = sc->capacity_total;
                o.capacity_group = sc->capacity_group;
            }
        }
        if (!tt.source_id)
            tt.source_id = sc->supply_id;
        if (!method) {
            method = gpcov_access_method_name(sc->method);
            if (!steps)
                steps = sc->steps;
        }
        o.scenario_note = sc->note;
    }
    enum gpcov_access_method m = GPCOV_ACCESS_2SFCA;
    if (method && gpcov_access_method_parse(method, &m))
        return tool_usage_error("access", "--method '%s': use 2sfca, e2sfca, gaussian or step",
                                method);
    int stepped = m == GPCOV_ACCESS_E2SFCA || m == GPCOV_ACCESS_STEP;
    if (steps && !stepped)
        return tool_usage_error("access", "--steps goes with --method e2sfca or step");
    if (d0 > 0 && stepped)
        return tool_usage_error("access", "--d0 goes with --method 2sfca or gaussian (the steps "
                                "give the bands)");
    if (m == GPCOV_ACCESS_STEP && !steps)
        return tool_usage_error("access", "--method step needs --steps, e.g. "
                                "60:0.95,120:0.36,inf:0.11");
    if (!tt.sources)
        return tool_usage_error("access", "--supply is required (or --scenario training)");
    if (!o.capacity_field)
        return tool_usage_error("access", "--capacity-field is required");
    if (!o.demand)
        return tool_usage_error("access", "--demand is required");
    if (!o.output && !o.reciprocal && !o.supply_output && !o.units_output)
        return tool_usage_error("access", "give at least one output: --output, --reciprocal, "
                                "--supply-output or --units-output");
    if ((o.capacity_total != NULL) != (o.capacity_group != NULL))
        return tool_usage_error("access", "--capacity-total and --capacity-group go together");
    if (o.units_output && !o.units)
        return tool_usage_error("access", "--units-output needs --units");
    if (o.units && !o.units_key)
        return tool_usage_error("access", "--units needs --units-key");
    int rc = tt_check("access", &tt, models);
    if (rc)
        return rc;
    o.tt = &tt;
    o.cache_mb = cache_mb < 0 ? 0 : cache_mb == 0 ? -1 : cache_mb;
    gpcov_ctx *ctx = tool_ctx(quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    gpcov_access_decay_init(&o.decay, m);
    if (d0 > 0)
        o.decay.d0 = d0;
    gpcov_status st = steps ? gpcov_access_steps_parse(ctx, steps, &o.decay) : GPCOV_OK;
    if (st) {
        rc = tool_usage_error("access", "%s", gpcov_ctx_message(ctx));
        gpcov_ctx_free(ctx);
        return rc;
    }
    struct gpcov_access_result res;
    st = gpcov_access(ctx, &o, &res);
    if (st) {
        rc = tool_fail(ctx, st);
    } else {
        if (sc)
            fprintf(stderr, "gpcov access: note: %s\n", sc->note);
        for (char **p = res.notes; p && *p; p++)
            fprintf(stderr, "gpcov access: note: %s\n", *p);
        char desc[700];
        gpcov_access_decay_describe(&o.decay, desc, sizeof desc);
        printf("access: %s\n", desc);
        printf("access: %zu supply points, capacity %.6g shared out%s", res.nsupply,
               res.capacity_total, res.ndropped ? "" : "\n");
        if (res.ndropped)
            printf(" (%zu dropped: no demand within reach)\n", res.ndropped);
        printf("access: %.15g people in the grid; sum of people x score = %.6f\n", res.people,
               res.weighted_access);
        printf("access: %zu travel-model runs, %zu supply points from the cache in step 2\n",
               res.runs, res.cached);
        rc = EXIT_OK;
    }
    gpcov_access_result_clear(&res);
    gpcov_ctx_free(ctx);
    return rc;
}
