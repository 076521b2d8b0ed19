/*
** cmd_report.c: `gpcov report DEFINITION.ini`, a whole analysis from one
** file an analyst can read and edit.  [report] holds variables (${data},
** ${out}, ...); each [step NAME] is one gpcov command whose keys are its
** options, in order, so the definition reads like the command lines it
** runs.  A key may carry a condition ("table if esundhed = ..."), for
** inputs a user may or may not have.  The steps run in order, in this
** process; afterwards manifest.json in ${out} records the versions, the
** variables, every step's arguments, and the SHA-256 of every input and
** output.  The run is gpcov_report_run (lib/report/); this file parses the
** command line and gives the library the runner: the command table, and
** what each step reads and writes (report_io.c).
*/
#include "cmd.h"
#include "report_io.h"

#include <cpl_string.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: gpcov report DEFINITION.ini [--set NAME=VALUE]... [--overwrite] [--dry-run] [-q]\n"
    "\n"
    "Runs the steps of a report definition in order and writes manifest.json into\n"
    "${out}: the versions of gpcov, GDAL, GEOS and PROJ, every variable, every\n"
    "step's arguments, and the SHA-256 of every input and output.\n"
    "\n"
    "  --set NAME=VALUE  define or override a variable of [report] (repeatable)\n"
    "  --overwrite       let the steps replace their existing outputs\n"
    "  --dry-run         print the command of every step, run nothing\n"
    "  -q                print nothing but errors\n"
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
    "  knight =\n";

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
    return command_find(argv[0])->fn(argc, argv);
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
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--overwrite")) o->overwrite = 1;
        else if (!strcmp(a, "--dry-run")) o->dry_run = 1;
        else if (!strcmp(a, "-q")) o->quiet = 1;
        else if (!strcmp(a, "--set") && i + 1 < argc) {
            const char *v = argv[++i], *eq = strchr(v, '=');
            if (!eq || eq == v)
                return tool_usage_error("report", "--set '%s': expected NAME=VALUE", v);
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
            o->vars = CSLSetNameValue(o->vars, name, eq + 1);
        } else if (a[0] == '-' || o->definition)
            return tool_usage_error("report", "unknown option or extra argument '%s'", a);
        else
            o->definition = a;
    }
    if (!o->definition)
        return tool_usage_error("report", "a report definition is required");
    return -1;
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
        .known = step_known, .makes = step_makes, .declare = step_declare,
        .run = step_run, .say = step_say, .talkers = talkers};
    gpcov_ctx *ctx = tool_ctx(1);
    int step_rc = 0;
    gpcov_status st = ctx ? gpcov_report_run(ctx, &o, &runner, &step_rc) : GPCOV_ENOMEM;
    rc = !ctx ? EXIT_INTERNAL : st ? tool_fail(ctx, st) : EXIT_OK;
    if (step_rc)
        rc = step_rc; /* a failed step's own exit code */
    CSLDestroy(o.vars);
    gpcov_ctx_free(ctx);
    return rc;
}
