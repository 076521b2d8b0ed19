/*
** cmd_coverage.c: `gpcov coverage`, capacity-constrained coverage
** (gpcov_coverage): demand assigned to practices nearest first until each
** is full, within a time limit, on the same models as `gpcov traveltime`.
** Its options and the model's (ttopts.c) are tables (opt.h).
*/
#include "cmd.h"
#include "gpcov.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct coverage_args {
    struct tt_args t;
    struct gpcov_coverage_opts o;
    int quiet;
};

#define F(m) offsetof(struct coverage_args, m)
static const struct opt options[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Practices:", 0, NULL},
    {OPT_INPUT, "--practices", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "the practices, read as gpcov matrix reads them: the SOR export as published "
     "(semicolon CSV, A_X/A_Y in UTM32, SorId, 'Antal kapaciteter', 'Tilgang'), a table with "
     "coordinate columns (--x/--y/--srs), or any point layer; the travel model's sources, in "
     "an order that breaks ties", F(t.o.sources), NULL},
    {OPT_STRING, "--practices-layer", NULL, "NAME", NULL, "the first", 0, "layer of SRC",
     F(t.o.source_layer), NULL},
    {OPT_STRING, "--practice-id", NULL, "F", NULL, "SorId, Ydernummer or id; else row numbers", 0,
     "names each practice in messages and tables", F(t.o.source_id), NULL},
    {OPT_STRING, "--capacity-field", NULL, "F", NULL, "'Antal kapaciteter', 'Kapacitet', "
     "'capacity', ...", 0,
     "GP capacities per practice, a number >= 0 (decimal comma too); an empty one excludes "
     "the practice, with its reason", F(o.capacity_field),
     NULL},
    {OPT_NUMBER, "--capacity", NULL, "N", NULL, "none", 0,
     "N GP capacities for every practice, whatever the file says",
     F(o.capacity), NULL},
    {OPT_NUMBER, "--norm", NULL, "N", NULL, "1600", 0, "patients per GP capacity",
     F(o.norm), NULL},
    {OPT_STRING, "--open-field", NULL, "F", NULL, "'Tilgang', 'Åben for tilgang', 'Lukket "
     "for tilgang', 'open'; none: every practice open", 0,
     "open to new patients: Åben/Lukket, ja/nej, yes/no, true/false, 1/0 (a column 'Lukket "
     "...' says the reverse); a closed practice takes no one, an empty value excludes the "
     "practice, with its reason", F(o.open_field), NULL},
    {OPT_STRING, "--practices-note", NULL, "TEXT", NULL, "none", 0,
     "what the practices are, written into every output (e.g. 'stand-in: hospitals, not GP "
     "practices')", F(o.supply_note), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Demand:", 0, NULL},
    {OPT_INPUT, "--demand", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "points with a count (e.g. population.gpkg of gpcov population), each in the cell of "
     "the model's grid it falls in, or a raster of people per cell (EPSG:25832)",
     F(o.demand), NULL},
    {OPT_STRING, "--demand-field", NULL, "F", NULL, "population", 0,
     "the count field (people, or weighted people such as 'demand')", F(o.demand_field), NULL},
    {OPT_NUMBER, "--max-minutes", NULL, "MIN", NULL, NULL, OPT_REQUIRED,
     "the longest travel time at which a practice serves a cell", F(o.max_minutes), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Outputs (at least one; all are written, or none):", 0, NULL},
    {OPT_OUTPUT, "--cells-output", NULL, "DST", NULL, "none", OPT_OUT,
     "every cell with demand, as a point at its centre: cell, demand, served, unserved, "
     "practice (the nearest that served it), minutes, unserved_reason, and the unit's key "
     "with --units", F(o.cells_output), NULL},
    {OPT_OUTPUT, "--unserved-output", NULL, "DST", NULL, "none", OPT_OUT,
     "the same for the cells with unserved demand only", F(o.unserved_output), NULL},
    {OPT_OUTPUT, "--unserved", NULL, "DST.tif", NULL, "none", OPT_OUT,
     "unserved demand per cell (float32; nodata where there is no demand)",
     F(o.unserved_raster), NULL},
    {OPT_OUTPUT, "--served", NULL, "DST.tif", NULL, "none", OPT_OUT,
     "served demand per cell (float32; nodata where there is no demand)",
     F(o.served_raster), NULL},
    {OPT_OUTPUT, "--practices-output", NULL, "DST", NULL, "none", OPT_OUT,
     "per practice: id, capacities, capacity (patients), open, assigned, remaining, used_pct, "
     "reason (why it takes no one), practices_note", F(o.practices_output), NULL},
    {OPT_INPUT, "--units", NULL, "SRC", NULL, "none", OPT_IN,
     "polygons, e.g. shapefiles/kommuner.shp: a cell belongs to the unit holding its centre "
     "(a coastal cell, to a unit it touches)", F(o.units), NULL},
    {OPT_STRING, "--units-key", NULL, "F", NULL, NULL, 0,
     "the units' key field (required with --units)", F(o.units_key), NULL},
    {OPT_STRING, "--units-name", NULL, "F", NULL, "none", 0, "copied to 'name'",
     F(o.units_name), NULL},
    {OPT_OUTPUT, "--units-output", NULL, "DST", NULL, "none", OPT_OUT,
     "per unit: demand, served, unserved, unserved_pct, unserved_far (no practice with "
     "capacity within the limit), model, practices_note", F(o.units_output), NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace existing outputs",
     F(o.overwrite), NULL},
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "no progress", F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {
    {NULL, options, 24},
    {"The travel model (--sources is --practices here; --source-id is --practice-id):",
     tt_options, TT_COL},
};
const struct opt_cmd opts_coverage = {
    "coverage",
    "usage: gpcov coverage MODEL OPTIONS --practices SRC [--capacity-field F | --capacity N]\n"
    "                      --demand SRC --max-minutes MIN OUTPUTS [options]\n"
    "\n"
    "Capacity-constrained coverage.  Each open practice can take its GP capacities x\n"
    "--norm patients.  All (cell, practice) pairs within --max-minutes are taken in\n"
    "ascending travel time, ties by the practice's order in its input, then by cell\n"
    "(row by row from the north-west); each pair serves min(the cell's demand not\n"
    "yet served, the practice's capacity not yet taken).  So served + unserved =\n"
    "demand in every cell, and no practice takes more than its capacity.\n",
    groups, 2, NULL,
    NULL,
};

static int check_args(const struct coverage_args *a)
{
    const struct gpcov_coverage_opts *o = &a->o;
    if (!a->t.o.sources)
        return tool_usage_error("coverage", "--practices is required");
    if (o->capacity_field && o->capacity > 0)
        return tool_usage_error("coverage", "give one of --capacity-field and --capacity");
    if (!o->demand)
        return tool_usage_error("coverage", "--demand is required");
    if (!(o->max_minutes > 0))
        return tool_usage_error("coverage", "--max-minutes is required");
    if (!o->cells_output && !o->unserved_output && !o->unserved_raster && !o->served_raster &&
        !o->practices_output && !o->units_output)
        return tool_usage_error("coverage", "give at least one output: --cells-output, "
                                "--unserved-output, --unserved, --served, --practices-output "
                                "or --units-output");
    if (o->units_output && !o->units)
        return tool_usage_error("coverage", "--units-output needs --units");
    if (o->units && !o->units_key)
        return tool_usage_error("coverage", "--units needs --units-key");
    return tt_check("coverage", &a->t.o, a->t.models);
}

static void print_summary(const struct gpcov_coverage_opts *o,
                          const struct gpcov_coverage_summary *s)
{
    for (char **p = s->notes; p && *p; p++)
        fprintf(stderr, "gpcov coverage: note: %s\n", *p);
    if (o->supply_note)
        printf("coverage: practices: %s\n", o->supply_note);
    printf("coverage: %zu practices: %zu open, %zu closed, %zu excluded (no capacity or open "
           "flag)\n", s->npractices, s->nopen, s->nclosed, s->nexcluded);
    printf("coverage: %zu cells with demand, %zu (cell, practice) pairs within %g min\n",
           s->ncells, s->npairs, o->max_minutes);
    printf("coverage: demand %.15g = served %.15g + unserved %.15g (%.15g with no practice "
           "with capacity within %g min)\n", s->demand, s->served, s->unserved, s->unserved_far,
           o->max_minutes);
    printf("coverage: capacity %.15g, assigned %.15g\n", s->capacity, s->assigned);
}

int cmd_coverage(int argc, char **argv)
{
    struct coverage_args a;
    memset(&a, 0, sizeof a);
    int rc = opt_parse(&opts_coverage, argc, argv, (void *const[]){&a, &a.t});
    if (rc)
        return rc == OPT_HELP ? EXIT_OK : rc;
    if ((rc = check_args(&a)))
        return rc;
    a.o.tt = &a.t.o;
    gpcov_ctx *ctx = tool_ctx(a.quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    struct gpcov_coverage_summary s;
    gpcov_status st = gpcov_coverage(ctx, &a.o, &s);
    if (st) {
        rc = tool_fail(ctx, st);
    } else {
        print_summary(&a.o, &s);
        rc = EXIT_OK;
    }
    gpcov_coverage_summary_clear(&s);
    gpcov_ctx_free(ctx);
    return rc;
}
