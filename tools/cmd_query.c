/*
** cmd_query.c: `gpcov query`, a planner's question in one step
** (gpcov_query): the units of a layer, joined to other layers of the same
** units by key, where a condition holds, printed as a table with a count
** line and the undecided units apart, and optionally written as a layer.
** Its options are one table (opt.h).
*/
#include "cmd.h"
#include "opt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_JOIN 16

/* What the command line fills in. */
struct query_args {
    struct gpcov_query_opts o;
    const char *joins[MAX_JOIN];
    int quiet;
};

/* --join SRC, at most MAX_JOIN. */
static int set_join(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct query_args *a = target;
    (void)op;
    if (a->o.njoins == MAX_JOIN)
        return tool_usage_error(cmd, "more than %d --join layers", MAX_JOIN);
    a->joins[a->o.njoins++] = v;
    return 0;
}

/* --limit N: a whole number of rows, 1 or more. */
static int set_limit(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct query_args *a = target;
    char *end;
    (void)op;
    a->o.limit = strtol(v, &end, 10);
    if (end == v || *end || a->o.limit < 1)
        return tool_usage_error(cmd, "--limit '%s': give a whole number of rows, 1 or more", v);
    return 0;
}

#define F(m) offsetof(struct query_args, m)
static const struct opt options[] = {
    {OPT_INPUT, "--input", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "the units with their indicators, any OGR source, e.g. reports/out/municipalities.gpkg",
     F(o.input), NULL},
    {OPT_STRING, "--layer", NULL, "NAME", NULL, "the first", 0, "layer of SRC", F(o.layer),
     NULL},
    {OPT_STRING, "--key", NULL, "FIELD", NULL, GPCOV_KEY_FIELD, 0,
     "the code field of SRC and of every --join", F(o.key), NULL},
    {OPT_STRING, "--name-field", NULL, "FIELD", NULL, "name", 0, "the name field of SRC",
     F(o.name_field), NULL},
    {OPT_LIST, "--join", NULL, "SRC", NULL, "none", OPT_SAID | OPT_IN,
     "another layer of the same units (e.g. threat.gpkg, fee.gpkg): a field SRC lacks is "
     "taken from the first --join that has it (repeatable; default: none)", 0, set_join},
    {OPT_STRING, "--where", NULL, "EXPR", NULL, NULL, OPT_REQUIRED,
     "the condition, in the expression language of overlay --where and threat rules, e.g. "
     "\"regionkode = '1081' and share80_2035 > 10\"", F(o.where), NULL},
    {OPT_STRING, "--fields", NULL, "A,B,C", NULL, "those in EXPR", 0,
     "the fields shown after the key and the name", F(o.fields), NULL},
    {OPT_STRING, "--sort", NULL, "FIELD[:desc]", NULL, "by key", 0,
     "the order of the rows, missing values last", F(o.sort), NULL},
    {OPT_NUMBER, "--limit", NULL, "N", NULL, "all", 0, "show (and write) the first N rows only",
     0, set_limit},
    {OPT_OUTPUT, "--output", NULL, "DST", NULL, "none", OPT_OUT,
     "the rows as a layer with their geometry: .gpkg, .geojson, .shp, .csv, or PostGIS "
     "'PG:<conninfo> tables=NAME'", F(o.output), NULL},
    {OPT_FLAG, "--keep-undecided", NULL, NULL, NULL, "left out", 0,
     "write the undecided units too, with the reason in query_undecided", F(o.keep_undecided),
     NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace an existing output",
     F(o.overwrite), NULL},
    TOOL_OPT_CSV,
    {OPT_FLAG, "-q", "--quiet", NULL, NULL, "the table", 0, "print nothing", F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, options, 23}};
const struct opt_cmd opts_query = {
    "query",
    "usage: gpcov query --input SRC [--join SRC ...] --where EXPR [options]\n"
    "\n"
    "Answers a question over the units of a layer: prints the units where the\n"
    "condition holds as a table (key, name, the fields of the condition or\n"
    "--fields) with a count line.  A unit for which the condition cannot be\n"
    "decided, because a field it needs is missing, is neither selected nor\n"
    "dropped silently: it is listed apart as undecided.\n",
    groups, 1,
    "\n"
    "example:\n"
    "  gpcov query --input reports/out/municipalities.gpkg \\\n"
    "    --where \"regionkode = '1081' and share80_2035 > 10 and share_far60 > 20\"\n"
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n",
    NULL,
};

/* Runs the query and prints its answer unless quiet. */
static int run(struct query_args *a)
{
    gpcov_ctx *ctx = tool_ctx(1);
    if (!ctx)
        return EXIT_INTERNAL;
    char *text = NULL;
    int rc = EXIT_OK;
    a->o.joins = a->joins;
    gpcov_status st = gpcov_query(ctx, &a->o, &text);
    if (st)
        rc = tool_fail(ctx, st);
    else if (!a->quiet)
        fputs(text, stdout);
    if (!st)
        tool_done(ctx, a->quiet, "query");
    free(text);
    gpcov_ctx_free(ctx);
    return rc;
}

int cmd_query(int argc, char **argv)
{
    struct query_args a;
    memset(&a, 0, sizeof a);
    int rc = opt_parse(&opts_query, argc, argv, (void *const[]){&a});
    if (rc == OPT_HELP)
        return EXIT_OK;
    if (rc)
        return rc;
    if (!a.o.input || !a.o.where)
        return tool_usage_error("query", "--input and --where are required");
    return run(&a);
}
