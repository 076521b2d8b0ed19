/*
** common.c: what every command shares: the mapping from library status to
** exit code, the one format of error messages ("gpcov: <file>:<where>:
** <what>"), a progress line on the terminal, and the one-line summary a
** command ends with.  Inside a step of `gpcov report` the summary is
** prefixed with the step's name and an error line is kept for the report
** to say in its own one line (printed as well with --verbose).
*/
#include "cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const struct exit_code tool_exit_codes[] = {
    {EXIT_OK, "success"},
    {EXIT_DATA, "bad input (unreadable, empty or inconsistent), or an output that cannot "
                "be written or exists already"},
    {EXIT_USAGE, "usage error: unknown option, missing value, bad expression or declaration"},
    {EXIT_INTERNAL, "out of memory, or a dependency failed unexpectedly"},
    {EXIT_CANCEL, "cancelled (interrupted)"},
    {-1, NULL},
};

int tool_exit_code(gpcov_status st)
{
    switch (st) {
    case GPCOV_OK: return EXIT_OK;
    case GPCOV_EUSAGE: return EXIT_USAGE;
    case GPCOV_EINPUT:
    case GPCOV_EOUTPUT: return EXIT_DATA;
    case GPCOV_ECANCEL: return EXIT_CANCEL;
    case GPCOV_ENOMEM:
    case GPCOV_EINTERNAL: return EXIT_INTERNAL;
    }
    return EXIT_INTERNAL;
}

/* The report step running in this process (tool_step_begin), if any. */
static struct {
    const char *name; /* NULL: no step                        */
    int quiet;        /* the report's -q                      */
    int verbose;      /* the report's --verbose               */
    char error[1024]; /* the step's error line, "" if none    */
} step;

void tool_step_begin(const char *name, int quiet, int verbose)
{
    step.name = name;
    step.quiet = quiet;
    step.verbose = verbose;
    step.error[0] = 0;
}

int tool_step_quiet(void)
{
    return step.name && !step.verbose;
}

const char *tool_step_error(void)
{
    return step.error[0] ? step.error : NULL;
}

/* Prints an error line "PREFIX: MSG" (and the hint to --help when cmd is
** not NULL), or inside a report step keeps MSG for the report's one line
** and prints it only with --verbose. */
static void error_line(const char *prefix, const char *cmd, const char *msg)
{
    if (step.name) {
        snprintf(step.error, sizeof step.error, "%s", msg);
        if (!step.verbose)
            return;
    }
    fprintf(stderr, "%s: %s\n", prefix, msg);
    if (cmd && !step.name)
        fprintf(stderr, "(see 'gpcov %s --help')\n", cmd);
}

int tool_fail(gpcov_ctx *ctx, gpcov_status st)
{
    error_line("gpcov", NULL, gpcov_ctx_message(ctx));
    return tool_exit_code(st);
}

int tool_usage_error(const char *cmd, const char *fmt, ...)
{
    char msg[1024], prefix[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(prefix, sizeof prefix, "gpcov %s", cmd);
    error_line(prefix, cmd, msg);
    return EXIT_USAGE;
}

int tool_option_fail(const char *cmd, gpcov_ctx *ctx, gpcov_status st)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "gpcov %s", cmd);
    error_line(prefix, cmd, gpcov_ctx_message(ctx));
    return tool_exit_code(st);
}

void tool_summary(int quiet, const char *cmd, const char *fmt, ...)
{
    if (step.name ? step.quiet : quiet)
        return;
    if (step.name)
        fprintf(stderr, "step %s: ", step.name);
    else
        fprintf(stderr, "gpcov %s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int term_progress(double f, const char *label, void *user)
{
    (void)user;
    fprintf(stderr, "\r%-40.40s %3.0f%%%s", label, 100 * f, f >= 1 ? "\n" : "");
    fflush(stderr);
    return 0;
}

/* Notices are printed even when quiet: they say an input was changed on
** the way in, which the user must know whatever the run's verbosity. */
static void term_notice(const char *line, void *user)
{
    (void)user;
    fprintf(stderr, "gpcov: %s\n", line);
}

static enum gpcov_csv_style csv_style; /* --csv: the contexts made after it */

int tool_set_csv(const char *cmd, const struct opt *o, void *target, const char *v)
{
    (void)target;
    if (!strcmp(v, "plain"))
        csv_style = GPCOV_CSV_PLAIN;
    else if (!strcmp(v, "danish"))
        csv_style = GPCOV_CSV_DANISH;
    else
        return tool_usage_error(cmd, "%s '%s': plain or danish", o->name, v);
    return 0;
}

void tool_csv_apply(gpcov_ctx *ctx)
{
    gpcov_ctx_set_csv_style(ctx, csv_style);
}

void tool_csv_reset(void)
{
    csv_style = GPCOV_CSV_PLAIN;
}

gpcov_ctx *tool_ctx(int quiet)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    if (!ctx) {
        fprintf(stderr, "gpcov: out of memory\n");
        return NULL;
    }
    if (!quiet && isatty(2))
        gpcov_ctx_set_progress(ctx, term_progress, NULL);
    gpcov_ctx_set_notice(ctx, term_notice, NULL);
    tool_csv_apply(ctx);
    return ctx;
}

void tool_done(gpcov_ctx *ctx, int quiet, const char *cmd)
{
    const char *line = gpcov_ctx_summary(ctx);
    if (line && *line)
        tool_summary(quiet, cmd, "%s", line);
}
