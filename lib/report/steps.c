/*
** steps.c: one [step NAME] of a report: its command and conditions
** ("when", "unless", "KEY if VAR"), its command line built from its keys
** in order, said as a shell would read it back (in a dry or verbose run),
** and run through the caller's runner, its existing outputs kept aside
** (rollback.c); what it read and wrote goes into the manifest; a failure
** is one line naming the step and why.
*/
#include "report.h"

#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct step {
    const struct gpcov_ini_section *sec;
    const char *name;    /* NAME of [step NAME]           */
    const char *command; /* its command = ...             */
    int skip;            /* a when/unless does not hold   */
    char **args;         /* the command line, the command first */
};

/* A variable that is set and not empty, "no", "0" or "false". */
static int truthy(char **vars, const char *name)
{
    const char *v = CSLFetchNameValue(vars, name);
    return v && *v && strcmp(v, "no") && strcmp(v, "0") && strcmp(v, "false");
}

/* Prints a word as a shell would read it back, so a step can be pasted. */
static void shell_word(FILE *f, const char *w)
{
    if (*w && !strpbrk(w, " '\"()<>*$;&|\\`!?[]{}#~"))
        fprintf(f, " %s", w);
    else if (!strchr(w, '\''))
        fprintf(f, " '%s'", w);
    else {
        fputs(" '", f);
        for (; *w; w++)
            fputs(*w == '\'' ? "'\\''" : (char[]){*w, 0}, f);
        fputc('\'', f);
    }
}

/* The step's command, and whether its conditions hold. */
static gpcov_status step_head(struct report_run *run, struct step *s)
{
    const struct gpcov_ini_section *sec = s->sec;
    for (size_t k = 0; k < sec->n; k++) {
        const char *key = sec->e[k].key;
        if (!strcmp(key, "command"))
            s->command = sec->e[k].value;
        else if (!strcmp(key, "when"))
            s->skip |= !truthy(run->vars, sec->e[k].value);
        else if (!strcmp(key, "unless"))
            s->skip |= truthy(run->vars, sec->e[k].value);
    }
    if (!s->command || !run->r->known(run->r->user, s->command))
        return gpcov_err(run->ctx, GPCOV_EINPUT, "%s:%d: step %s: %s", run->def, sec->line,
                         s->name,
                         !s->command ? "no 'command = ...'" : "unknown command (see gpcov --help)");
    return GPCOV_OK;
}

/* Adds the option of entry e ("KEY = VALUE", "KEY if VAR = VALUE", "KEY
** unless VAR = VALUE") to the command line, when its condition holds. */
static gpcov_status add_option(struct report_run *run, struct step *s,
                               const struct gpcov_ini_entry *e)
{
    const char *key = e->key, *sp = strchr(key, ' ');
    char opt[256], cond[128] = "";
    snprintf(opt, sizeof opt, "%.*s", sp ? (int)(sp - key) : (int)strlen(key), key);
    if (sp) {
        char w1[32] = "";
        if (sscanf(sp, " %31s %127s", w1, cond) != 2 || (strcmp(w1, "if") && strcmp(w1, "unless")))
            return gpcov_err(run->ctx, GPCOV_EINPUT,
                             "%s:%d: '%s': expected 'KEY', 'KEY if VAR' or 'KEY unless VAR'",
                             run->def, e->line, key);
        if (truthy(run->vars, cond) == !strcmp(w1, "unless"))
            return GPCOV_OK;
    }
    char where[4200], *v = NULL, dash[260];
    snprintf(where, sizeof where, "%s:%d", run->def, e->line);
    gpcov_status st = gpcov_ini_expand(run->ctx, e->value, run->vars, where, &v);
    if (st)
        return st;
    snprintf(dash, sizeof dash, "--%s", opt);
    s->args = CSLAddString(s->args, dash);
    if (!strcmp(v, "\"\"") || !strcmp(v, "''"))
        s->args = CSLAddString(s->args, ""); /* an empty argument, not a flag */
    else if (*v)
        s->args = CSLAddString(s->args, v);
    free(v);
    return GPCOV_OK;
}

/* The command line: the command, the keys' options in order, then
** --overwrite and -q as the run asks (a talker keeps its report unless
** the run is quiet). */
static gpcov_status step_args(struct report_run *run, struct step *s)
{
    s->args = CSLAddString(s->args, s->command);
    for (size_t k = 0; k < s->sec->n; k++) {
        const char *key = s->sec->e[k].key;
        if (!strcmp(key, "command") || !strcmp(key, "when") || !strcmp(key, "unless"))
            continue;
        gpcov_status st = add_option(run, s, &s->sec->e[k]);
        if (st)
            return st;
    }
    if (run->o->overwrite)
        s->args = CSLAddString(s->args, "--overwrite");
    int talker = 0;
    for (const char *const *t = run->r->talkers; t && *t; t++)
        talker |= !strcmp(*t, s->command);
    if (!talker || run->o->quiet)
        s->args = CSLAddString(s->args, "-q");
    return GPCOV_OK;
}

/* Says "step NAME: gpcov ARGS..." through the runner. */
static void say_step(struct report_run *run, const struct step *s)
{
    char *line = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&line, &n);
    if (!f)
        return;
    fprintf(f, "step %s: gpcov", s->name);
    for (char **a = s->args; *a; a++)
        shell_word(f, *a);
    if (fclose(f) == 0)
        run->r->say(run->r->user, line);
    free(line);
}

/* The one line of a failed step: its name and command, and why in the
** command's own words (else its exit code); the definition's file and
** line first when verbose. */
static gpcov_status step_failed(struct report_run *run, const struct step *s, int src)
{
    const char *why = run->r->why ? run->r->why(run->r->user) : NULL;
    char where[4200] = "", code[40];
    if (run->o->verbose)
        snprintf(where, sizeof where, "%s:%d: ", run->def, s->sec->line);
    snprintf(code, sizeof code, "exit code %d", src);
    run->step_rc = src;
    return gpcov_err(run->ctx, GPCOV_EINPUT, "%sstep %s (%s) failed: %s", where, s->name,
                     s->command, why ? why : code);
}

/* Runs the step, its existing outputs kept aside until the run ends; on
** success records what it read and wrote. */
static gpcov_status run_step(struct report_run *run, const struct step *s)
{
    int argc = CSLCount(s->args);
    char **ins = NULL, **outs = NULL;
    run->r->declare(run->r->user, argc, s->args, &ins, &outs);
    gpcov_status st = report_keep_before(run, outs);
    if (!st) {
        if (run->r->begin)
            run->r->begin(run->r->user, s->name);
        int src = run->r->run(run->r->user, argc, s->args);
        report_keep_after(run, outs);
        if (src != 0)
            st = step_failed(run, s, src);
    }
    if (!st)
        st = report_manifest_step(run, s->name, s->args, ins, outs);
    CSLDestroy(ins);
    CSLDestroy(outs);
    return st;
}

gpcov_status report_step_line(struct report_run *run, const struct gpcov_ini_section *sec,
                              char ***args)
{
    struct step s = {.sec = sec, .name = sec->name + 5};
    gpcov_status st = step_head(run, &s);
    if (!st && !s.skip)
        st = step_args(run, &s);
    if (!st && !s.skip)
        *args = s.args;
    else
        CSLDestroy(s.args);
    return st;
}

gpcov_status report_step(struct report_run *run, const struct gpcov_ini_section *sec)
{
    struct step s = {.sec = sec, .name = sec->name + 5};
    gpcov_status st = step_head(run, &s);
    if (st)
        return st;
    if (s.skip) {
        if (!run->o->quiet)
            report_say(run, "step %s: skipped (its condition does not hold)", s.name);
        return GPCOV_OK;
    }
    if (!(st = step_args(run, &s))) {
        if (run->o->dry_run || run->o->verbose)
            say_step(run, &s);
        if (!run->o->dry_run)
            st = run_step(run, &s);
    }
    CSLDestroy(s.args);
    return st;
}
