/*
** cmd_threat.c: `gpcov threat`, threatened areas by transparent rules
** (gpcov_threat), per municipality or per grid cell, with the agreement
** with a designation list printed.  Its options are one table (opt.h),
** with setters for the rules and what refers to them.
*/
#include "cmd.h"
#include "opt.h"

#include <cpl_string.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RULES 32

/* What the command line fills in. */
struct threat_args {
    struct gpcov_threat_opts o;
    struct gpcov_rule rules[MAX_RULES];
    char *names[MAX_RULES];
    struct gpcov_calib_range cal[MAX_RULES + 1];
    char *calnames[MAX_RULES + 1];
    int quiet;
};

_Static_assert(sizeof(enum gpcov_combine) == sizeof(int), "--combine is stored as an int");

/* --exclude KEY[,KEY]: the keys, normalised, added to the list. */
static int set_exclude(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct threat_args *t = target;
    (void)cmd, (void)op;
    char **parts = CSLTokenizeString2(v, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES);
    for (char **p = parts; p && *p; p++) {
        char key[64];
        if (gpcov_key_normalise(*p, key, sizeof key) == 0)
            t->o.exclude = CSLAddString(t->o.exclude, key);
    }
    CSLDestroy(parts);
    return 0;
}

/* --grid NAME=SRC.tif, at most 16. */
static int set_grid(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct threat_args *t = target;
    (void)op;
    if (t->o.ngrid == sizeof t->o.grid / sizeof *t->o.grid)
        return tool_usage_error(cmd, "at most 16 --grid rasters");
    t->o.grid[t->o.ngrid++] = v;
    return 0;
}

/* --rule 'NAME: EXPR': the name cut off at the colon, blanks trimmed. */
static int set_rule(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct threat_args *t = target;
    (void)op;
    const char *colon = strchr(v, ':');
    if (!colon || colon == v || t->o.nrules == MAX_RULES)
        return tool_usage_error(cmd, "--rule '%s': expected 'NAME: EXPRESSION' (at most %d "
                                     "rules)", v, MAX_RULES);
    char *name = strndup(v, (size_t)(colon - v));
    t->names[t->o.nrules] = name;
    char *e = name + strlen(name);
    while (e > name && e[-1] == ' ')
        *--e = 0;
    t->rules[t->o.nrules].name = name;
    const char *text = colon + 1;
    while (*text == ' ')
        text++;
    t->rules[t->o.nrules].text = text;
    t->o.nrules++;
    return 0;
}

/* --optional NAME and --weight NAME=W: of a rule declared before. */
static int set_of_rule(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct threat_args *t = target;
    char nm[128];
    const char *eq = strchr(v, '=');
    snprintf(nm, sizeof nm, "%.*s", eq ? (int)(eq - v) : (int)strlen(v), v);
    size_t k = 0;
    while (k < t->o.nrules && strcmp(t->rules[k].name, nm))
        k++;
    if (k == t->o.nrules)
        return tool_usage_error(cmd, "%s %s: no rule '%s' declared before it", op->name, v, nm);
    if (!strcmp(op->name, "--optional")) {
        t->rules[k].optional = 1;
        return 0;
    }
    char *end;
    double w = eq ? strtod(eq + 1, &end) : -1;
    if (!eq || *end || !(w > 0))
        return tool_usage_error(cmd, "--weight '%s': expected NAME=W with W > 0", v);
    t->rules[k].weight = w;
    return 0;
}

/* --threshold S: a share in (0, 1]. */
static int set_threshold(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct threat_args *t = target;
    char *end;
    (void)op;
    t->o.threshold = strtod(v, &end);
    if (*end || !(t->o.threshold > 0) || t->o.threshold > 1)
        return tool_usage_error(cmd, "--threshold '%s': a share in (0, 1]", v);
    return 0;
}

/* --calibrate NAME=LO:HI: a rule's cut (or the score's threshold) and its
** range. */
static int set_calibrate(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct threat_args *t = target;
    (void)op;
    const char *eq = strchr(v, '=');
    char *end = NULL, *end2 = NULL;
    double lo = eq ? strtod(eq + 1, &end) : 0, hi = end && *end == ':' ? strtod(end + 1, &end2) : 0;
    if (!eq || eq == v || !end2 || *end2 || end2 == end + 1 || !(lo < hi))
        return tool_usage_error(cmd, "--calibrate '%s': expected NAME=LO:HI with LO < HI, e.g. "
                                     "remote=10:40 or threshold=0.25:0.75", v);
    if (t->o.ncalibrate == MAX_RULES + 1)
        return tool_usage_error(cmd, "at most %d --calibrate ranges", MAX_RULES + 1);
    char *name = strndup(v, (size_t)(eq - v));
    t->calnames[t->o.ncalibrate] = name;
    t->cal[t->o.ncalibrate++] = (struct gpcov_calib_range){name, lo, hi};
    return 0;
}

#define F(m) offsetof(struct threat_args, m)
static const struct opt options[] = {
    {OPT_INPUT, "--units", NULL, "SRC", NULL, NULL, OPT_IN,
     "municipalities with indicators, e.g. municipalities.gpkg (required unless --grid)",
     F(o.units), NULL},
    {OPT_STRING, "--key", NULL, "FIELD", NULL, GPCOV_KEY_FIELD, 0, "their key", F(o.key), NULL},
    {OPT_LIST, "--grid", NULL, "NAME=SRC.tif", NULL, NULL, OPT_NAMED,
     "instead of units: a raster indicator, all on one grid", 0, set_grid},
    {OPT_LIST, "--rule", NULL, "'NAME: EXPR'", NULL, NULL, OPT_REQUIRED,
     "a rule; NAME is letters, digits and _", 0, set_rule},
    {OPT_STRING, "--optional", NULL, "NAME", NULL, "a missing indicator is an error", 0,
     "skip rule NAME, saying so, when an indicator is missing", 0, set_of_rule},
    {OPT_STRING, "--weight", NULL, "NAME=W", NULL, "1", 0, "the rule's weight in the score", 0,
     set_of_rule},
    {OPT_CHOICE, "--combine", NULL, NULL, "all|any|score", "all", 0,
     "all (every rule fires), any (one suffices) or score (weighted share of the rules "
     "that fired)", F(o.combine), NULL},
    {OPT_NUMBER, "--threshold", NULL, "S", NULL, "0.5", 0,
     "with score: threatened when score >= S", 0, set_threshold},
    {OPT_LIST, "--exclude", NULL, "KEY[,KEY]", NULL, "none", 0,
     "units not judged (kept, undecided), e.g. 0411", 0, set_exclude},
    {OPT_INPUT, "--designation", NULL, "SRC", NULL, "none, no agreement", OPT_IN,
     "a table of designated municipalities, e.g. the PLO list", F(o.designation), NULL},
    {OPT_STRING, "--designation-key", NULL, "F", NULL, "kommune_code", 0, "its code column",
     F(o.designation_key), NULL},
    {OPT_OUTPUT, "--agreement", NULL, "DST.csv", NULL, "none", OPT_OUT,
     "the units on each side of the confusion table", F(o.agreement), NULL},
    {OPT_LIST, "--calibrate", NULL, "NAME=LO:HI", NULL, "none", 0,
     "search rule NAME's number (NAME 'threshold': the score's) within LO:HI for the best "
     "agreement with --designation (README)", 0, set_calibrate},
    {OPT_OUTPUT, "--calibration", NULL, "DST.csv", NULL, "none", OPT_OUT,
     "the calibration as a table: cuts found, agreement before and after, flips",
     F(o.calibration), NULL},
    {OPT_OUTPUT, "--output", NULL, "DST", NULL, NULL, OPT_OUT,
     "(required unless --calibration) units: .gpkg, .geojson, .csv with rule_<NAME>, threat_score, threatened and "
     "rules_fired; grid: .tif of the score; or PostGIS: 'PG:<conninfo> tables=NAME' (README)",
     F(o.output), NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace existing outputs",
     F(o.overwrite), NULL},
    TOOL_OPT_CSV,
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0,
     "do not print the rules, the agreement and the closing summary line", F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, options, 23}};
const struct opt_cmd opts_threat = {
    "threat",
    "usage: gpcov threat (--units SRC | --grid NAME=SRC.tif ...) --rule 'NAME: EXPR'...\n"
    "                    --output DST [options]\n"
    "\n"
    "Judges every municipality (or grid cell) by rules on its indicators and says\n"
    "which fired, its score and its class.  Statistics over all units can stand in\n"
    "a rule and are resolved to numbers first (the output shows the resolved rule):\n"
    "total(f), mean(f), median(f), percentile(f, p), wmean(f, w).  Examples:\n"
    "  --rule 'crowded: patients_per_capacity > 1600'\n"
    "  --rule 'old: share80_2035 > 100 * total(pop80_2035) / total(pop_2035) + 2'\n"
    "  --rule 'far: share_far60 > 25'\n"
    "  --rule 'low_access: access < percentile(access, 25)'\n",
    groups, 1,
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n",
    NULL,
};

/* Judges the units and prints the summary unless quiet. */
static int run(struct threat_args *t)
{
    gpcov_ctx *ctx = tool_ctx(t->quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    char *summary = NULL;
    int rc = EXIT_OK;
    gpcov_status st = gpcov_threat(ctx, &t->o, &summary);
    if (st)
        rc = tool_fail(ctx, st);
    else if (!t->quiet)
        fputs(summary, stdout);
    if (!st)
        tool_done(ctx, t->quiet, "threat");
    free(summary);
    gpcov_ctx_free(ctx);
    return rc;
}

int cmd_threat(int argc, char **argv)
{
    struct threat_args t;
    memset(&t, 0, sizeof t);
    t.o.rules = t.rules;
    t.o.calibrate = t.cal;
    int rc = opt_parse(&opts_threat, argc, argv, (void *const[]){&t});
    if (rc == OPT_HELP)
        rc = EXIT_OK;
    else if (!rc && (!t.o.nrules || !(t.o.output || t.o.calibration) ||
                     (!t.o.units == !t.o.ngrid)))
        rc = tool_usage_error("threat", "--rule, --output (or --calibration), and --units or "
                                        "--grid are required");
    else if (!rc)
        rc = run(&t);
    for (size_t k = 0; k < t.o.nrules; k++)
        free(t.names[k]);
    for (size_t k = 0; k < t.o.ncalibrate; k++)
        free(t.calnames[k]);
    CSLDestroy(t.o.exclude);
    return rc;
}
