/*
** common.c: what every command shares: the mapping from library status to
** exit code, the one format of error messages ("gpcov: <file>:<where>:
** <what>"), and a progress line on the terminal.
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

int tool_fail(gpcov_ctx *ctx, gpcov_status st)
{
    fprintf(stderr, "gpcov: %s\n", gpcov_ctx_message(ctx));
    return tool_exit_code(st);
}

int tool_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "gpcov %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'gpcov %s --help')\n", cmd);
    return EXIT_USAGE;
}

int tool_option_fail(const char *cmd, gpcov_ctx *ctx, gpcov_status st)
{
    fprintf(stderr, "gpcov %s: %s\n(see 'gpcov %s --help')\n", cmd, gpcov_ctx_message(ctx), cmd);
    return tool_exit_code(st);
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
