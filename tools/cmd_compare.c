/*
** cmd_compare.c: `gpcov compare A B`, two report folders (or two layers
** of the same units) side by side (gpcov_compare): per municipality the
** verdicts and their change, the rules that start or stop firing, every
** indicator that differs and the fee in DKK and percent, as a table and
** a two-panel map, with a summary on the terminal and the inputs that
** differ between the two manifests.  Its options are one table (opt.h).
*/
#include "cmd.h"
#include "opt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct compare_args {
    struct gpcov_compare_opts o;
    int quiet;
};

#define F(m) offsetof(struct compare_args, m)
static const struct opt options[] = {
    {OPT_ARG, NULL, NULL, "A", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "the first run: a report folder or a layer", F(o.a), NULL},
    {OPT_ARG, NULL, NULL, "B", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "the second run, compared with A", F(o.b), NULL},
    {OPT_OUTPUT, "--output", NULL, "DST", NULL, NULL, OPT_REQUIRED | OPT_OUT,
     "the table, one row per municipality: .csv, .xlsx or .gpkg (with the geometry); the "
     "inputs that differ go to DST's name with _inputs.csv", F(o.output), NULL},
    {OPT_OUTPUT, "--map", NULL, "DST", NULL, "none", OPT_OUT,
     "a two-panel map of the differences: .png, .svg or .pdf", F(o.map), NULL},
    {OPT_INPUT, "--regions", NULL, "SRC", NULL, "none", OPT_IN,
     "region outlines drawn over the map, e.g. shapefiles/regioner.shp", F(o.regions), NULL},
    {OPT_STRING, "--field", NULL, "FIELD", NULL, "total_dkk", 0,
     "the difference the map shows, a numeric field of both sides (e.g. threat_score)",
     F(o.field), NULL},
    {OPT_STRING, "--key", NULL, "FIELD", NULL, "komkode", 0, "the municipality code of both sides",
     F(o.key), NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace existing outputs",
     F(o.overwrite), NULL},
    {OPT_FLAG, "-q", "--quiet", NULL, NULL, "the summary", 0, "print nothing", F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, options, 20}};
const struct opt_cmd opts_compare = {
    "compare",
    "usage: gpcov compare A B --output DST [--map DST] [options]\n"
    "\n"
    "Compares two runs: report folders (municipalities.gpkg, threat.gpkg, fee.gpkg,\n"
    "fee_rules.gpkg and manifest.json, as `gpcov report` writes them) or two layers\n"
    "of the same units, joined by key.  Per municipality: the verdict in A and B and\n"
    "its change, the rules that start or stop firing, each indicator that differs\n"
    "(A, B, B - A), the fee in DKK and percent.  A municipality absent, undecided or\n"
    "without a fee on one side says so in compare_reason, never 0.  Prints which\n"
    "municipalities change verdict, where the fee moves, and the inputs that differ.\n",
    groups, 1,
    "\n"
    "example (a scenario against the main job):\n"
    "  make report SET=\"remote_share=15\" OUT=reports/scenario_a\n"
    "  gpcov compare reports/out reports/scenario_a --output changes.csv --map changes.png\n"
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n",
    NULL,
};

int cmd_compare(int argc, char **argv)
{
    struct compare_args a;
    memset(&a, 0, sizeof a);
    int rc = opt_parse(&opts_compare, argc, argv, (void *const[]){&a});
    if (rc == OPT_HELP)
        return EXIT_OK;
    if (rc)
        return rc;
    if (!a.o.a || !a.o.b || !a.o.output)
        return tool_usage_error("compare", "two runs A and B and --output are required");
    gpcov_ctx *ctx = tool_ctx(1);
    if (!ctx)
        return EXIT_INTERNAL;
    char *summary = NULL;
    gpcov_status st = gpcov_compare(ctx, &a.o, &summary);
    rc = st ? tool_fail(ctx, st) : EXIT_OK;
    if (!st && !a.quiet)
        fputs(summary, stdout);
    free(summary);
    gpcov_ctx_free(ctx);
    return rc;
}
