/*
** rollback.c: a failed report leaves its outputs as they were (issue 10,
** "outputs all or none").  Before each step, the files its outputs stand
** for that exist already are copied, byte for byte, into the manifest's
** private directory under ${out}; after it, the files and directories it
** made anew are noted.  When a later step (or the manifest) fails, the
** copies are put back and the new files removed, last first.  The copies
** go with the manifest's temporary: on success, on failure, and (left by
** a process that was killed) at the next run into ${out}.  PostGIS tables
** are not files and are not rolled back.
*/
#include "report.h"

#include <cpl_string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct report_keep {
    char *path;  /* an output file or directory                      */
    char *copy;  /* the copy of the file as it was, or NULL          */
    int dir;     /* a directory                                      */
    int existed; /* it was there before this run                     */
};

/* Copies the bytes of src to dst (made anew when excl, else truncated),
** with src's permissions and times; 0, or -1 with errno. */
static int copy_file(const char *src, const char *dst, int excl)
{
    int in = open(src, O_RDONLY), out = -1, rc = -1;
    struct stat sb;
    if (in < 0 || fstat(in, &sb) != 0 ||
        (out = open(dst, O_WRONLY | O_CREAT | (excl ? O_EXCL : O_TRUNC), sb.st_mode & 07777)) < 0)
        goto done;
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        for (ssize_t w = 0, k; w < n; w += k)
            if ((k = write(out, buf + w, (size_t)(n - w))) < 0)
                goto done;
    /* the times kept too, so that the file put back is the file as it was */
    rc = n < 0 || futimens(out, (struct timespec[]){sb.st_atim, sb.st_mtim}) != 0 ? -1 : 0;
done:;
    int e = errno;
    if (out >= 0 && close(out) != 0 && rc == 0)
        rc = -1, e = errno;
    if (in >= 0)
        close(in);
    errno = e;
    return rc;
}

static int noted(const struct report_run *run, const char *path)
{
    for (size_t k = 0; k < run->nkeep; k++)
        if (!strcmp(run->keep[k].path, path))
            return 1;
    return 0;
}

/* Notes path (taking copy), unless noted already; -1 when out of memory. */
static int note(struct report_run *run, const char *path, char *copy, int dir, int existed)
{
    struct report_keep *k = realloc(run->keep, (run->nkeep + 1) * sizeof *k);
    char *p = gpcov_strdup(path);
    if (!k || !p) {
        if (k)
            run->keep = k;
        free(p);
        free(copy);
        return -1;
    }
    run->keep = k;
    k[run->nkeep++] = (struct report_keep){p, copy, dir, existed};
    return 0;
}

/* Copies the existing file f aside and notes it. */
static gpcov_status keep_file(struct report_run *run, const char *f)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", run->tmp);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    char *copy = malloc(strlen(dir) + 32);
    if (!copy)
        return gpcov_err(run->ctx, GPCOV_ENOMEM, "out of memory");
    sprintf(copy, "%s/kept-%zu", dir, run->nkeep);
    if (copy_file(f, copy, 1) != 0) {
        gpcov_status st = gpcov_err(run->ctx, GPCOV_EOUTPUT,
                                    "%s: cannot keep a copy to restore if the report fails: %s",
                                    f, strerror(errno));
        unlink(copy);
        free(copy);
        return st;
    }
    return note(run, f, copy, 0, 1) ? gpcov_err(run->ctx, GPCOV_ENOMEM, "out of memory")
                                    : GPCOV_OK;
}

gpcov_status report_keep_before(struct report_run *run, char **outputs)
{
    gpcov_status st = GPCOV_OK;
    for (char **p = outputs; !st && p && *p; p++) {
        if (gpcov_path_is_dir(*p) && !noted(run, *p) && note(run, *p, NULL, 1, 1))
            return gpcov_err(run->ctx, GPCOV_ENOMEM, "out of memory");
        char **files = NULL;
        report_expand_files(*p, &files);
        for (char **f = files; !st && f && *f; f++)
            if (!noted(run, *f))
                st = keep_file(run, *f);
        CSLDestroy(files);
    }
    return st;
}

void report_keep_after(struct report_run *run, char **outputs)
{
    for (char **p = outputs; p && *p; p++) {
        if (gpcov_path_is_dir(*p) && !noted(run, *p))
            note(run, *p, NULL, 1, 0);
        char **files = NULL;
        report_expand_files(*p, &files);
        for (char **f = files; f && *f; f++)
            if (!noted(run, *f))
                note(run, *f, NULL, 0, 0);
        CSLDestroy(files);
    }
}

/* Adds to the context's message that path could not be put back. */
static void not_restored(struct report_run *run, const char *path)
{
    const char *why = strerror(errno);
    char *was = gpcov_strdup(gpcov_ctx_message(run->ctx));
    gpcov_err(run->ctx, GPCOV_EOUTPUT, "%s; and %s could not be restored: %s", was ? was : "",
              path, why);
    free(was);
}

void report_rollback(struct report_run *run)
{
    for (size_t i = run->nkeep; i-- > 0;) {
        const struct report_keep *k = &run->keep[i];
        if (k->copy && rename(k->copy, k->path) != 0 && copy_file(k->copy, k->path, 0) != 0)
            not_restored(run, k->path);
        else if (!k->existed && k->dir)
            rmdir(k->path);
        else if (!k->existed)
            unlink(k->path);
    }
}

void report_keep_free(struct report_run *run)
{
    for (size_t i = 0; i < run->nkeep; i++) {
        free(run->keep[i].path);
        free(run->keep[i].copy);
    }
    free(run->keep);
    run->keep = NULL;
    run->nkeep = 0;
}
