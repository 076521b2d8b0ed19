/*
** inputs.c: before the first step of a report runs, every file some step
** reads must exist, or be made by an earlier step (its path, or a path
** under a directory an earlier step makes).  What each step reads and
** writes comes from the runner (the commands' option tables); a source
** that is no local file (PG:..., /vsi..., a URL) is left to the step.  A missing
** input is an error listing all of them, by step, option and path, so
** nothing runs and nothing is written.
*/
#include "report.h"

#include <cpl_string.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Whether path p is made by an earlier step: one of made, or under one. */
static int made_before(char **made, const char *p)
{
    for (char **m = made; m && *m; m++) {
        size_t n = strlen(*m);
        if (!strcmp(*m, p) || (!strncmp(*m, p, n) && p[n] == '/'))
            return 1;
    }
    return 0;
}

/* Whether input p is there: made before, no local file, or existing. */
static int present(char **made, const char *p)
{
    struct stat sb;
    if (made_before(made, p) || !strncmp(p, "PG:", 3) || !strncmp(p, "/vsi", 4) ||
        strstr(p, "://"))
        return 1;
    return stat(p, &sb) == 0;
}

/* The option of args that names path p (its value is p, or NAME=p). */
static const char *option_of(char **args, const char *p)
{
    for (int i = 1; args[i] && args[i + 1]; i++) {
        const char *v = args[i + 1], *eq = strchr(v, '=');
        if (!strcmp(v, p) || (eq && !strcmp(eq + 1, p)))
            return args[i];
    }
    return "?";
}

/* Adds the missing inputs of one step's command line to *missing as
** "step NAME: --OPTION PATH", and its outputs to *made. */
static void check_step(struct report_run *run, const char *name, char **args, char ***made,
                       char ***missing)
{
    char **ins = NULL, **outs = NULL;
    run->r->declare(run->r->user, CSLCount(args), args, &ins, &outs);
    for (char **p = ins; p && *p; p++) {
        if (present(*made, *p))
            continue;
        char line[4600];
        snprintf(line, sizeof line, "step %s: %s %s", name, option_of(args, *p), *p);
        *missing = CSLAddString(*missing, line);
    }
    for (char **p = outs; p && *p; p++)
        *made = CSLAddString(*made, *p);
    CSLDestroy(ins);
    CSLDestroy(outs);
}

/* The error listing the missing inputs, as many as the message holds. */
static gpcov_status say_missing(struct report_run *run, char **missing)
{
    int n = CSLCount(missing);
    char msg[1000];
    int len = snprintf(msg, sizeof msg, "%d input%s missing, no step run:", n, n == 1 ? "" : "s");
    for (int k = 0; k < n; k++) {
        size_t need = strlen(missing[k]) + 4, left = sizeof msg - (size_t)len;
        if (need + 24 > left) {
            snprintf(msg + len, left, "\n  ... and %d more", n - k);
            break;
        }
        len += snprintf(msg + len, left, "\n  %s", missing[k]);
    }
    return gpcov_err(run->ctx, GPCOV_EINPUT, "%s", msg);
}

gpcov_status report_check_inputs(struct report_run *run)
{
    char **made = NULL, **missing = NULL;
    gpcov_status st = GPCOV_OK;
    for (size_t s = 0; !st && s < run->ini->n; s++) {
        const struct gpcov_ini_section *sec = &run->ini->s[s];
        char **args = NULL;
        if (sec == run->rep || (st = report_step_line(run, sec, &args)) || !args)
            continue;
        check_step(run, sec->name + 5, args, &made, &missing);
        CSLDestroy(args);
    }
    if (!st && missing)
        st = say_missing(run, missing);
    CSLDestroy(made);
    CSLDestroy(missing);
    return st;
}
