/*
** cmd_report.c: `gpcov report DEFINITION.ini`, a whole analysis from one
** file an analyst can read and edit.  [report] holds variables (${data},
** ${out}, ...); each [step NAME] is one gpcov command whose keys are its
** options, in order, so the definition reads like the command lines it
** runs.  A key may carry a condition ("table if esundhed = ..."), for
** inputs a user may or may not have.  The steps run in order, in this
** process; afterwards manifest.json in ${out} records the versions, the
** variables, every step's arguments, and the SHA-256 of every input and
** output.  The run is gpcov_report_run (lib/report/); this file declares
** the command's options, one table (opt.h), and gives the library the
** runner: the command table, and what each step reads and writes
** (report_io.c).
*/
#include "cmd.h"
#include "opt.h"
#include "report_io.h"

#include <cpl_string.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* --set NAME=VALUE: defines or overrides variable NAME in o->vars. */
static int set_var(const char *cmd, const struct opt *o, void *target, const char *v)
{
    struct gpcov_report_opts *r = target;
    const char *eq = strchr(v, '=');
    if (!eq || eq == v)
        return tool_usage_error(cmd, "%s '%s': expected NAME=VALUE", o->name, v);
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
    r->vars = CSLSetNameValue(r->vars, name, eq + 1);
    return 0;
}

#define F(m) offsetof(struct gpcov_report_opts, m)
static const struct opt options[] = {
    {OPT_ARG, NULL, NULL, "DEFINITION.ini", NULL, NULL, OPT_REQUIRED, "the report definition",
     F(definition), NULL},
    {OPT_LIST, "--set", NULL, "NAME=VALUE", NULL, NULL, 0,
     "define or override a variable of [report]", F(vars), set_var},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, NULL, 0,
     "let the steps replace their existing outputs", F(overwrite), NULL},
    {OPT_FLAG, "--dry-run", NULL, NULL, NULL, NULL, 0, "print the command of every step, run nothing",
     F(dry_run), NULL},
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "print nothing but errors", F(quiet), NULL},
    {OPT_FLAG, "--verbose", "-v", NULL, NULL, NULL, 0,
     "print every step's command line before it runs, the steps' own reports, and a failed "
     "step's error where it happens", F(verbose), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, options, 20}};
const struct opt_cmd opts_report = {
    "report",
    "usage: gpcov report DEFINITION.ini [--set NAME=VALUE]... [--overwrite] [--dry-run] [-q]\n"
    "                                   [--verbose]\n"
    "\n"
    "Runs the steps of a report definition in order and writes manifest.json into\n"
    "${out}: the versions of gpcov, GDAL, GEOS and PROJ, every variable, every\n"
    "step's arguments, and the SHA-256 of every input and output.  Before the first\n"
    "step runs, every input of every step must exist (or be made by an earlier\n"
    "step); else all missing ones are listed and nothing runs.  Each step ends with\n"
    "one line, \"step NAME: <its summary>\"; a step that fails ends the run with one\n"
    "line, \"step NAME (COMMAND) failed: <why>\", and every output is put back as it\n"
    "was (--verbose for the command lines).\n",
    groups, 1,
    "\n"
    "The definition (comments are whole lines starting with # or ;):\n"
    "  [report]\n"
    "  # required: where the outputs and the manifest go\n"
    "  out = reports/out\n"
    "  # any variable, used as ${data}\n"
    "  data = ../shared/data\n"
    "  [step municipalities]\n"
    "  # a gpcov command, then its options in order (keys may repeat)\n"
    "  command = overlay\n"
    "  polygons = shapefiles/kommuner.shp\n"
    "  table = ${data}/dst/folk1a.csv\n"
    "  # only when ${esundhed} is set and not empty; 'unless' for the opposite\n"
    "  table if esundhed = ${esundhed}\n"
    "  # the whole step only when ${roads} is set\n"
    "  when = roads\n"
    "  # an empty value is a flag (--knight); \"\" an empty argument\n"
    "  knight =\n",
    "unknown option or extra argument '%s'",
};

/* The runner: the commands of this binary. */
static int step_known(void *user, const char *command)
{
    (void)user;
    return command_find(command) && strcmp(command, "report");
}

static int step_makes(void *user, const char *key)
{
    (void)user;
    return report_io_makes(key);
}

static void step_declare(void *user, int argc, char **argv, char ***inputs, char ***outputs)
{
    (void)user;
    report_io_declare(argc, argv, inputs, outputs);
}

static int step_run(void *user, int argc, char **argv)
{
    (void)user;
    tool_csv_reset(); /* a step's --csv is its own */
    return command_find(argv[0])->fn(argc, argv);
}

static void step_begin(void *user, const char *name)
{
    const struct gpcov_report_opts *o = user;
    tool_step_begin(name, o->quiet, o->verbose);
}

static const char *step_why(void *user)
{
    (void)user;
    return tool_step_error();
}

static void step_say(void *user, const char *line)
{
    (void)user;
    printf("%s\n", line);
    fflush(stdout);
}

/* threat prints its report of rules and agreement unless -q */
static const char *const talkers[] = {"threat", NULL};

/* Fills o from the command line; returns -1 to go on, else the exit code
** (after --help, or a usage error it has printed). */
static int parse_args(int argc, char **argv, struct gpcov_report_opts *o)
{
    int rc = opt_parse(&opts_report, argc, argv, (void *const[]){o});
    if (rc)
        return rc == OPT_HELP ? EXIT_OK : rc;
    if (!o->definition)
        return tool_usage_error("report", "a report definition is required");
    return -1;
}

/* The run's error, "gpcov report: <message>"; after a failed step, that
** every output is as it was. */
static int report_fail(gpcov_ctx *ctx, gpcov_status st, int step_rc)
{
    fprintf(stderr, "gpcov report: %s\n", gpcov_ctx_message(ctx));
    if (step_rc)
        fprintf(stderr, "gpcov report: nothing written: every output is as it was before the "
                        "run, no manifest\n");
    return tool_exit_code(st);
}

int cmd_report(int argc, char **argv)
{
    struct gpcov_report_opts o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) {
        CSLDestroy(o.vars);
        return rc;
    }
    const struct gpcov_report_runner runner = {
        .user = &o, .known = step_known, .makes = step_makes, .declare = step_declare,
        .run = step_run, .say = step_say, .talkers = o.verbose ? talkers : NULL,
        .begin = step_begin, .why = step_why};
    gpcov_ctx *ctx = tool_ctx(1);
    int step_rc = 0;
    gpcov_status st = ctx ? gpcov_report_run(ctx, &o, &runner, &step_rc) : GPCOV_ENOMEM;
    tool_step_begin(NULL, 0, 0);
    rc = !ctx ? EXIT_INTERNAL : st ? report_fail(ctx, st, step_rc) : EXIT_OK;
    if (step_rc)
        rc = step_rc; /* a failed step's own exit code */
    CSLDestroy(o.vars);
    gpcov_ctx_free(ctx);
    return rc;
}
