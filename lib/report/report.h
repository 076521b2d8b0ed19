/*
** report.h: what the parts of gpcov_report_run share (lib/report/): the
** state of one run, handed from phase to phase.
*/
#ifndef GPCOV_REPORT_H
#define GPCOV_REPORT_H

#include "report_internal.h"

#include <stdio.h>

struct json_object;
struct report_keep;

struct report_run {
    gpcov_ctx *ctx;
    const struct gpcov_report_opts *o;
    const struct gpcov_report_runner *r;
    const char *def;                     /* the definition's path          */
    struct gpcov_ini *ini;
    const struct gpcov_ini_section *rep; /* [report], or NULL             */
    char **vars;                         /* NAME=VALUE, --set first        */
    const char *out;                     /* ${out}                         */
    int step_rc;                         /* a failed step's exit code      */
    /* the manifest (manifest.c) */
    char path[4200];                     /* ${out}/manifest.json           */
    char *tmp;                           /* its temporary                  */
    FILE *f;                             /* open on tmp                    */
    struct json_object *root, *steps;
    /* what to put back if the run fails (rollback.c) */
    struct report_keep *keep;
    size_t nkeep;
};

/* definition.c: the checks of the definition before any step runs, each
** GPCOV_OK or EINPUT naming the file and line. */
gpcov_status report_check_sections(struct report_run *run);
gpcov_status report_check_forward_refs(struct report_run *run);
/* Each name set by the caller (setvars, "name=value") is used by the
** definition, else an error naming the nearest variable. */
gpcov_status report_check_set_names(struct report_run *run, char **setvars);
gpcov_status report_check_step_order(struct report_run *run);

/* steps.c: the step of section sec, run (or said, in a dry run). */
gpcov_status report_step(struct report_run *run, const struct gpcov_ini_section *sec);
/* The command line of the step of section sec (the command first) into
** *args, or *args untouched when its conditions do not hold. */
gpcov_status report_step_line(struct report_run *run, const struct gpcov_ini_section *sec,
                              char ***args);
/* inputs.c: every input some step names exists (or an earlier step makes
** it); else EINPUT listing each missing one by step, option and path. */
gpcov_status report_check_inputs(struct report_run *run);

/* manifest.c: begun before the first step (the temporary, the versions,
** the variables), one entry per step run, committed after the last. */
gpcov_status report_manifest_begin(struct report_run *run, const char *started);
gpcov_status report_manifest_step(struct report_run *run, const char *name, char **args,
                                  char **inputs, char **outputs);
gpcov_status report_manifest_commit(struct report_run *run);
void report_manifest_abort(struct report_run *run);
/* report.c: says a line through the runner (nothing when out of memory). */
void report_say(struct report_run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The files a path stands for: itself, a shapefile's parts, a
** directory's files; nothing for what is not a file. */
void report_expand_files(const char *p, char ***files);

/* rollback.c: before a step, copies aside the files its outputs stand for
** that exist; after it, notes the ones it made; report_rollback puts back
** the copies and removes the new ones (the copies live beside the
** manifest's temporary, which must be open). */
gpcov_status report_keep_before(struct report_run *run, char **outputs);
void report_keep_after(struct report_run *run, char **outputs);
void report_rollback(struct report_run *run);
void report_keep_free(struct report_run *run);
/* The time now as 2026-01-31T12:00:00Z. */
void report_iso_now(char *buf, size_t n);

#endif
