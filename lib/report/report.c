/*
** report.c: gpcov_report_run, a whole analysis from one definition an
** analyst can read and edit.  [report] holds variables (${data}, ${out},
** ...); each [step NAME] is one command whose keys are its options, in
** order.  The phases: read the definition and check its sections, set the
** variables (--set wins over [report], whose values may use the ones
** above them), check the order of the steps and that every input is
** there (inputs.c), begin the manifest, run the
** steps in order through the caller's runner, commit the manifest; or,
** when anything fails once steps have run, put their outputs back as they
** were (rollback.c).
*/
#include "report.h"

#include <cpl_string.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void report_say(struct report_run *run, const char *fmt, ...)
{
    char *line = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&line, &n);
    if (!f)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    if (fclose(f) == 0)
        run->r->say(run->r->user, line);
    free(line);
}

/* Reads the definition; ${definition_dir} is its directory unless set. */
static gpcov_status read_definition(struct report_run *run)
{
    gpcov_status st = gpcov_ini_read(run->ctx, run->def, &run->ini);
    if (st)
        return st;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", run->def);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    if (!CSLFetchNameValue(run->vars, "definition_dir"))
        run->vars = CSLSetNameValue(run->vars, "definition_dir", dir);
    return report_check_sections(run);
}

/* The variables of [report], each expanded from those before it, unless
** set by the caller; ${out} is required. */
static gpcov_status set_variables(struct report_run *run)
{
    gpcov_status st = report_check_forward_refs(run);
    if (!st)
        st = report_check_set_names(run, run->o->vars);
    const struct gpcov_ini_section *rep = run->rep;
    char **setvars = CSLDuplicate(run->vars);
    for (size_t k = 0; !st && rep && k < rep->n; k++) {
        if (CSLFetchNameValue(setvars, rep->e[k].key))
            continue;
        char where[4200], *v = NULL;
        snprintf(where, sizeof where, "%s:%d", run->def, rep->e[k].line);
        if (!(st = gpcov_ini_expand(run->ctx, rep->e[k].value, run->vars, where, &v)))
            run->vars = CSLSetNameValue(run->vars, rep->e[k].key, v);
        free(v);
    }
    CSLDestroy(setvars);
    if (st)
        return st;
    run->out = CSLFetchNameValue(run->vars, "out");
    if (!run->out || !*run->out)
        return gpcov_err(run->ctx, GPCOV_EINPUT,
                         "%s: [report] must set out (the output directory)", run->def);
    return report_check_step_order(run);
}

/* Every step in the order written, then the manifest. */
static gpcov_status run_steps(struct report_run *run, const char *started)
{
    gpcov_status st = run->o->dry_run ? GPCOV_OK : report_check_inputs(run);
    if (!st && !run->o->dry_run)
        st = report_manifest_begin(run, started);
    for (size_t s = 0; !st && s < run->ini->n; s++)
        if (&run->ini->s[s] != run->rep)
            st = report_step(run, &run->ini->s[s]);
    if (st || run->o->dry_run)
        return st;
    if (!(st = report_manifest_commit(run)) && !run->o->quiet)
        report_say(run, "wrote %s", run->path);
    return st;
}

gpcov_status gpcov_report_run(gpcov_ctx *ctx, const struct gpcov_report_opts *o,
                              const struct gpcov_report_runner *r, int *step_rc)
{
    struct report_run run = {.ctx = ctx, .o = o, .r = r, .def = o->definition};
    char started[32];
    *step_rc = 0;
    report_iso_now(started, sizeof started);
    run.vars = CSLDuplicate(o->vars);
    gpcov_status st = read_definition(&run);
    if (!st)
        st = set_variables(&run);
    if (!st)
        st = run_steps(&run, started);
    *step_rc = run.step_rc;
    if (st && run.tmp)
        report_rollback(&run); /* outputs all or none */
    report_keep_free(&run);
    report_manifest_abort(&run);
    CSLDestroy(run.vars);
    gpcov_ini_free(run.ini);
    return st;
}
