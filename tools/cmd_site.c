/*
** cmd_site.c: `gpcov site`, where k new sites would do the most good
** with the existing sites kept open (gpcov_site): maximal covering,
** p-median or capacity-aware coverage, on the same travel models as
** `gpcov traveltime` (ttopts.c).  Its options are a table (opt.h).
*/
#include "cmd.h"
#include "gpcov.h"

#include <cpl_string.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct site_args {
    struct tt_args t;
    struct gpcov_site_run_opts o;
    int objective, method, quiet;
    double k;
    char **attribution;
};

#define F(m) offsetof(struct site_args, m)
static const struct opt options[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "The choice:", 0, NULL},
    {OPT_CHOICE, "--objective", NULL, NULL, "cover|median|capacity", "cover", 0,
     "cover: the most demand within --max-minutes of an open site; median: the least demand "
     "x minutes to the nearest open site; capacity: the most demand served nearest first "
     "with the sites' capacities (as gpcov coverage assigns)", F(objective), NULL},
    {OPT_NUMBER, "--k", NULL, "N", NULL, NULL, OPT_REQUIRED,
     "new sites to choose (a whole number, at most the candidates)", F(k), NULL},
    {OPT_NUMBER, "--max-minutes", NULL, "MIN", NULL, NULL, OPT_REQUIRED,
     "the longest travel time at which a site reaches a cell", F(o.max_minutes), NULL},
    {OPT_CHOICE, "--method", NULL, NULL, "auto|exact|heuristic", "auto", 0,
     "exact: every k-set compared; heuristic: greedy, then swaps (with a bound and a gap); "
     "auto: exact when there are at most --exact-limit k-sets", F(method), NULL},
    {OPT_NUMBER, "--exact-limit", NULL, "N", NULL, "1000000", 0,
     "the most k-sets auto compares one by one", F(o.exact_limit), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Sites:", 0, NULL},
    {OPT_INPUT, "--candidates", NULL, "SRC", NULL, NULL, OPT_IN,
     "candidate points, read as gpcov coverage reads practices (any point layer, a table with "
     "lon/lat or --x/--y columns, the SOR export); one of --candidates and --candidate-grid "
     "is required", F(o.candidates), NULL},
    {OPT_STRING, "--candidate-id", NULL, "F", NULL, "SorId, Ydernummer or id; else row numbers",
     0, "names each candidate in the outputs", F(o.candidate_id), NULL},
    {OPT_STRING, "--candidate-name", NULL, "F", NULL, "Enhedsnavn, Navn or name", 0,
     "the candidates' names", F(o.candidate_name), NULL},
    {OPT_NUMBER, "--candidate-grid", NULL, "M", NULL, "none", 0,
     "candidates at the centres of the cells of an M-metre grid over --extent that hold "
     "demand (ids rROWcCOL)", F(o.candidate_grid), NULL},
    {OPT_INPUT, "--candidate-mask", NULL, "SRC", NULL, "none", OPT_IN,
     "polygons (e.g. shapefiles/kommuner.shp): only candidates inside them",
     F(o.candidate_mask), NULL},
    {OPT_STRING, "--candidate-where", NULL, "EXPR", NULL, "all", 0,
     "only the mask's polygons where EXPR holds (e.g. \"regionkode = '1081'\")",
     F(o.candidate_where), NULL},
    {OPT_INPUT, "--existing", NULL, "SRC", NULL, "none", OPT_IN,
     "sites kept open (points, read as --candidates)", F(o.existing), NULL},
    {OPT_STRING, "--existing-id", NULL, "F", NULL, "SorId, Ydernummer or id", 0,
     "the existing sites' ids", F(o.existing_id), NULL},
    {OPT_STRING, "--existing-name", NULL, "F", NULL, "Enhedsnavn, Navn or name", 0,
     "the existing sites' names", F(o.existing_name), NULL},
    {OPT_STRING, "--sites-note", NULL, "TEXT", NULL, "none", 0,
     "what the sites are, written into every output", F(o.note), NULL},
    {OPT_NUMBER, "--capacity", NULL, "N", NULL, "none", 0,
     "capacity: N GP capacities for every site", F(o.capacity), NULL},
    {OPT_STRING, "--capacity-field", NULL, "F", NULL, "'Antal kapaciteter', 'Kapacitet', "
     "'capacity', ...", 0, "capacity: GP capacities per site; an empty one excludes the site",
     F(o.capacity_field), NULL},
    {OPT_NUMBER, "--norm", NULL, "N", NULL, "1600", 0, "capacity: people per GP capacity",
     F(o.norm), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Demand:", 0, NULL},
    {OPT_INPUT, "--demand", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "points with a count (e.g. population.gpkg), each in the cell of the model's grid it "
     "falls in, or a raster of people per cell (EPSG:25832)", F(o.demand), NULL},
    {OPT_STRING, "--demand-field", NULL, "F", NULL, "population", 0,
     "the count field (e.g. pop2034 for people aged 20-34)", F(o.demand_field), NULL},
    {OPT_INPUT, "--units", NULL, "SRC", NULL, "none", OPT_IN,
     "polygons, e.g. shapefiles/kommuner.shp, for --units-output, --map and the unit of each "
     "chosen site", F(o.units), NULL},
    {OPT_STRING, "--units-key", NULL, "F", NULL, NULL, 0,
     "the units' key field (required with --units)", F(o.units_key), NULL},
    {OPT_STRING, "--units-name", NULL, "F", NULL, "none", 0, "copied to 'name'",
     F(o.units_name), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Outputs (at least one; all are written, or none):", 0, NULL},
    {OPT_OUTPUT, "--output", "-o", "DST", NULL, "none", OPT_OUT,
     "the chosen sites in order: order, id, name, x, y, gain (what each adds given those "
     "before it), objective_after, and the unit with --units", F(o.output), NULL},
    {OPT_OUTPUT, "--summary", NULL, "DST", NULL, "none", OPT_OUT,
     "one row: objective, k, candidates, existing, demand, reachable, before, after, gain, "
     "bound, gap_pct, method, exact, swaps, model", F(o.summary), NULL},
    {OPT_OUTPUT, "--units-output", NULL, "DST", NULL, "none", OPT_OUT,
     "per unit: demand, before, after, gain, before_pct, after_pct, gain_pct, reason (why a "
     "value is empty)", F(o.units_output), NULL},
    {OPT_OUTPUT, "--map", NULL, "DST", NULL, "none", OPT_OUT,
     "PNG, SVG or PDF: the units by gain_pct (median: minutes saved), the chosen sites "
     "numbered, the existing ones unnumbered", F(o.map), NULL},
    {OPT_STRING, "--map-title", NULL, "TEXT", NULL, "'K nye steder blandt N kandidater'", 0,
     "the map's title", F(o.map_title), NULL},
    {OPT_LIST, "--attribution", NULL, "TEXT", NULL, NULL, 0, "a source line under the map",
     F(attribution), NULL},
    {OPT_FLAG, "--decimal-comma", NULL, NULL, NULL, NULL, 0, "Danish numbers on the map",
     F(o.decimal_comma), NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace existing outputs",
     F(o.overwrite), NULL},
    TOOL_OPT_CSV,
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "no progress or summary", F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {
    {NULL, options, 24},
    {"The travel model (the sites are its sources: no --sources here):", tt_options, TT_COL},
};
const struct opt_cmd opts_site = {
    "site",
    "usage: gpcov site MODEL (--candidates SRC | --candidate-grid M) [--existing SRC]\n"
    "                  --demand SRC --k N --max-minutes MIN OUTPUTS [options]\n"
    "\n"
    "Where k new sites would do the most good, the existing sites kept open: the\n"
    "most demand within --max-minutes (cover), the least demand x minutes (median)\n"
    "or the most demand served with the sites' capacities (capacity).  The chosen\n"
    "sites come in the order of their gains, with the objective before and after,\n"
    "a bound and the gap where the answer is not proven exact.\n",
    groups, 2, NULL, NULL,
};

static int check_args(struct site_args *a)
{
    struct gpcov_site_run_opts *o = &a->o;
    if (a->t.o.sources)
        return tool_usage_error("site", "the sites are --candidates and --existing, not "
                                        "--sources");
    if (!o->candidates == !(o->candidate_grid > 0))
        return tool_usage_error("site", "give one of --candidates and --candidate-grid");
    if (o->candidate_where && !o->candidate_mask)
        return tool_usage_error("site", "--candidate-where needs --candidate-mask");
    if (!(a->k >= 1) || a->k != floor(a->k) || a->k > 1e6)
        return tool_usage_error("site", "--k: give a whole number of new sites, 1 or more");
    if (!o->demand || !(o->max_minutes > 0))
        return tool_usage_error("site", "--demand and --max-minutes are required");
    if (o->capacity_field && o->capacity > 0)
        return tool_usage_error("site", "give one of --capacity-field and --capacity");
    if (!o->output && !o->summary && !o->units_output && !o->map)
        return tool_usage_error("site", "give at least one output: --output, --summary, "
                                "--units-output or --map");
    if ((o->units_output || o->map) && !o->units)
        return tool_usage_error("site", "%s needs --units", o->map ? "--map" : "--units-output");
    if (o->units && !o->units_key)
        return tool_usage_error("site", "--units needs --units-key");
    struct gpcov_traveltime_opts check = a->t.o;
    check.sources = o->candidates ? o->candidates : "grid";
    return tt_check("site", &check, a->t.models);
}

int cmd_site(int argc, char **argv)
{
    struct site_args a;
    memset(&a, 0, sizeof a);
    int rc = opt_parse(&opts_site, argc, argv, (void *const[]){&a, &a.t});
    if (!rc && !(rc = check_args(&a))) {
        a.o.tt = &a.t.o;
        a.o.k = (size_t)a.k;
        a.o.objective = (enum gpcov_site_objective)a.objective;
        a.o.method = (enum gpcov_site_method)a.method;
        a.o.attribution = (const char *const *)a.attribution;
        gpcov_ctx *ctx = tool_ctx(a.quiet);
        if (!ctx) {
            rc = EXIT_INTERNAL;
        } else {
            struct gpcov_site_run_summary s;
            gpcov_status st = gpcov_site(ctx, &a.o, &s);
            for (char **p = s.notes; !st && p && *p && !a.quiet; p++)
                fprintf(stderr, "gpcov site: note: %s\n", *p);
            rc = st ? tool_fail(ctx, st) : EXIT_OK;
            if (!st)
                tool_done(ctx, a.quiet, "site");
            gpcov_site_run_summary_clear(&s);
            gpcov_ctx_free(ctx);
        }
    }
    CSLDestroy(a.attribution);
    return rc == OPT_HELP ? EXIT_OK : rc;
}
