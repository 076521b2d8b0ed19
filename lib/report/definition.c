/*
** definition.c: the checks of a report definition before any step runs:
** only [report] and [step NAME] sections, [report] values that use only
** the variables above them, and steps that do not read what a later step
** makes.  Each names the file and line of what is wrong.
*/
#include "report.h"

#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

gpcov_status report_check_sections(struct report_run *run)
{
    const struct gpcov_ini *ini = run->ini;
    for (size_t s = 0; s < ini->n; s++) {
        if (!strcmp(ini->s[s].name, "report")) {
            run->rep = &ini->s[s];
            continue;
        }
        if (strncmp(ini->s[s].name, "step ", 5) || !ini->s[s].name[5])
            return gpcov_err(run->ctx, GPCOV_EINPUT,
                             "%s:%d: unknown section [%s] (expected [report] or [step NAME])",
                             run->def, ini->s[s].line, ini->s[s].name);
    }
    return GPCOV_OK;
}

/* [report] values may use only the variables above them: a reference to
** one defined below (two that refer to each other, say) is named as such
** rather than as undefined.  The variables set by the caller (run->vars
** before [report] is read) count as defined everywhere. */
gpcov_status report_check_forward_refs(struct report_run *run)
{
    const struct gpcov_ini_section *rep = run->rep;
    char **setvars = run->vars;
    for (size_t k = 0; rep && k < rep->n; k++) {
        if (CSLFetchNameValue(setvars, rep->e[k].key))
            continue;
        for (const char *p = strstr(rep->e[k].value, "${"); p; p = strstr(p + 2, "${")) {
            const char *end = strchr(p + 2, '}');
            if (!end)
                break;
            int n = (int)(end - p - 2);
            for (size_t j = k; j < rep->n; j++) {
                if ((int)strlen(rep->e[j].key) != n || strncmp(rep->e[j].key, p + 2, (size_t)n) ||
                    CSLFetchNameValue(setvars, rep->e[j].key))
                    continue;
                return gpcov_err(run->ctx, GPCOV_EINPUT,
                                 "%s:%d: ${%.*s} is defined %s at line %d: a value may use only "
                                 "the variables above it, so two cannot refer to each other",
                                 run->def, rep->e[k].line, n, p + 2,
                                 j == k ? "by this very line" : "below", rep->e[j].line);
            }
        }
    }
    return GPCOV_OK;
}

/* The first key of a step after section s whose expanded value, a file
** the step makes, is v; its section in *later. */
static const struct gpcov_ini_entry *made_later(struct report_run *run, size_t s, const char *v,
                                                const struct gpcov_ini_section **later)
{
    for (size_t t = s + 1; t < run->ini->n; t++) {
        const struct gpcov_ini_section *sec = &run->ini->s[t];
        if (sec == run->rep)
            continue;
        for (size_t m = 0; m < sec->n; m++) {
            char *w = NULL;
            if (!run->r->makes(run->r->user, sec->e[m].key) ||
                gpcov_ini_expand(run->ctx, sec->e[m].value, run->vars, run->def, &w))
                continue;
            int same = *w && !strcmp(v, w);
            free(w);
            if (same) {
                *later = sec;
                return &sec->e[m];
            }
        }
    }
    return NULL;
}

/* Steps run in the order written: a step that reads what a later step
** makes would read a stale file or none. */
gpcov_status report_check_step_order(struct report_run *run)
{
    const struct gpcov_ini *ini = run->ini;
    for (size_t s = 0; s < ini->n; s++) {
        const struct gpcov_ini_section *sec = &ini->s[s];
        if (sec == run->rep)
            continue;
        for (size_t k = 0; k < sec->n; k++) {
            if (run->r->makes(run->r->user, sec->e[k].key) || !strcmp(sec->e[k].key, "command"))
                continue;
            char *v = NULL;
            if (gpcov_ini_expand(run->ctx, sec->e[k].value, run->vars, run->def, &v))
                continue; /* said when the step runs */
            const struct gpcov_ini_section *later = NULL;
            const struct gpcov_ini_entry *e = made_later(run, s, v, &later);
            gpcov_status st = GPCOV_OK;
            if (e)
                st = gpcov_err(run->ctx, GPCOV_EINPUT,
                               "%s:%d: [%s] reads %s, which [%s] writes at line %d, "
                               "after it: steps run in the order written (move [%s] up)",
                               run->def, sec->e[k].line, sec->name, v, later->name, e->line,
                               later->name);
            free(v);
            if (st)
                return st;
        }
    }
    return GPCOV_OK;
}

/* 1 when text refers to ${name} or ${name:format}. */
static int refers_to(const char *text, const char *name, size_t len)
{
    for (const char *p = strstr(text, "${"); p; p = strstr(p + 2, "${"))
        if (!strncmp(p + 2, name, len) && (p[2 + len] == '}' || p[2 + len] == ':'))
            return 1;
    return 0;
}

/* 1 when the definition uses variable name: a key of [report], a
** ${name} or ${name:format} in any value (or in the value of another
** --set), the VAR of "KEY if VAR" or "KEY unless VAR", or the value of a
** when or unless line. */
static int uses_variable(const struct gpcov_ini *ini, char **setvars, const char *name)
{
    size_t len = strlen(name);
    for (char **v = setvars; v && *v; v++)
        if (refers_to(*v, name, len))
            return 1;
    for (size_t s = 0; s < ini->n; s++)
        for (size_t k = 0; k < ini->s[s].n; k++) {
            const struct gpcov_ini_entry *e = &ini->s[s].e[k];
            const char *sp = strchr(e->key, ' ');
            if ((!strcmp(ini->s[s].name, "report") && !strcmp(e->key, name)) ||
                (sp && (sp = strrchr(e->key, ' ')) && !strcmp(sp + 1, name)) ||
                ((!strcmp(e->key, "when") || !strcmp(e->key, "unless")) &&
                 !strcmp(e->value, name)))
                return 1;
            if (refers_to(e->value, name, len))
                return 1;
        }
    return 0;
}

/* A --set of a variable the definition never uses is a typo that would
** change nothing: an error naming the nearest variable of [report]. */
gpcov_status report_check_set_names(struct report_run *run, char **setvars)
{
    for (char **v = setvars; v && *v; v++) {
        char name[128];
        const char *eq = strchr(*v, '=');
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - *v) : (int)strlen(*v), *v);
        if (!strcmp(name, "out") || !strcmp(name, "definition_dir") ||
            uses_variable(run->ini, setvars, name))
            continue;
        size_t best = (size_t)-1;
        const char *near = NULL;
        for (size_t k = 0; run->rep && k < run->rep->n; k++) {
            size_t d = gpcov_edit_distance(name, run->rep->e[k].key);
            if (d < best)
                best = d, near = run->rep->e[k].key;
        }
        char hint[200] = "";
        if (near && best <= strlen(name) / 3 + 1)
            snprintf(hint, sizeof hint, "; did you mean %s?", near);
        return gpcov_err(run->ctx, GPCOV_EUSAGE,
                         "--set %s: %s has no variable %s%s (the variables are the keys of "
                         "[report])", name, run->def, name, hint);
    }
    return GPCOV_OK;
}
