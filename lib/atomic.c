/*
** atomic.c: outputs appear whole or not at all.  A writer gets a temporary
** name in the target directory (so the final rename stays on one file
** system), writes there, and renames on success.  An existing output is
** refused unless the caller says overwrite.  Formats made of several files
** (a shapefile's .shp/.shx/.dbf/.prj/.cpg) are committed part by part, the
** .shp last, so a reader never sees a .shp without its attributes.  A
** PostGIS destination (PG:... tables=name) gets a temporary table instead,
** renamed over the final one in one transaction (pg.c).
**
**
** Interruptions: the temporaries of a process are listed in a fixed table
** that a signal handler can walk (gpcov_atomic_remove_all), and signals
** are held off while a commit renames, so SIGINT or SIGTERM leaves either
** the old output or the new one, never a mix of a shapefile's parts.  A
** process killed outright (SIGKILL) leaves its temporary behind, hidden by
** its leading dot and marked with its PID; the next run writing the same
** output removes temporaries whose process is gone.
*/
#include "gpcov_internal.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* ------------------------------------------------ the table of temporaries
** Written only outside signal handlers; a slot's path is complete before
** its flag is set, so a handler sees whole paths or empty slots. */
enum { SLOTS = 32, SLOT_PATH = 4096 };
static char slot_path[SLOTS][SLOT_PATH];
static volatile sig_atomic_t slot_used[SLOTS];

static void slot_add(const char *tmp)
{
    size_t n = strlen(tmp);
    if (n + 16 >= SLOT_PATH)
        return; /* too long to list: removed by abort or the next run */
    for (int i = 0; i < SLOTS; i++)
        if (!slot_used[i]) {
            memcpy(slot_path[i], tmp, n + 1);
            slot_used[i] = 1;
            return;
        }
}

static void slot_drop(const char *tmp)
{
    for (int i = 0; i < SLOTS; i++)
        if (slot_used[i] && !strcmp(slot_path[i], tmp))
            slot_used[i] = 0;
}

/* unlink(base + suffix), async-signal-safe */
static void unlink_with(const char *base, const char *suffix)
{
    char p[SLOT_PATH + 16];
    size_t n = 0;
    while (base[n] && n < SLOT_PATH)
        p[n] = base[n], n++;
    for (size_t k = 0; suffix[k] && n < sizeof p - 1; k++)
        p[n++] = suffix[k];
    p[n] = 0;
    unlink(p);
}

void gpcov_atomic_remove_all(void)
{
    static const char *const side[] = {"", "-journal", "-wal", "-shm", ".aux.xml"};
    static const char *const shp[] = {"shx", "dbf", "prj", "cpg", "qix", "shp"};
    for (int i = 0; i < SLOTS; i++) {
        if (!slot_used[i])
            continue;
        const char *t = slot_path[i];
        for (size_t k = 0; k < sizeof side / sizeof *side; k++)
            unlink_with(t, side[k]);
        size_t n = 0, dot = 0;
        while (t[n])
            n++;
        for (size_t k = 0; k < n; k++)
            if (t[k] == '.')
                dot = k;
        if (n >= 4 && !strcmp(t + n - 4, ".shp")) {
            char base[SLOT_PATH];
            memcpy(base, t, dot + 1);
            base[dot + 1] = 0;
            for (size_t k = 0; k < sizeof shp / sizeof *shp; k++)
                unlink_with(base, shp[k]);
        }
        slot_used[i] = 0;
    }
}

/* Removes the temporaries of dst (".<base>.tmp<pid>-...") left by
** processes that no longer run. */
static void remove_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char prefix[600];
    snprintf(prefix, sizeof prefix, ".%s.tmp", base);
    size_t pl = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, pl))
            continue;
        char *end;
        long pid = strtol(e->d_name + pl, &end, 10);
        if (end == e->d_name + pl || *end != '-' || pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its process still runs (or is not ours to judge) */
        char full[4800];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        remove(full);
    }
    closedir(d);
}

/* Holds off the signals that end a run, while a commit renames. */
static void hold_signals(sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    sigprocmask(SIG_BLOCK, &s, old);
}

static const char *shp_parts[] = {"shx", "dbf", "prj", "cpg", "qix", "shp"};

static int is_shp(const char *path)
{
    char ext[16];
    gpcov_path_ext(path, ext, sizeof ext);
    return strcmp(ext, "shp") == 0;
}

/* path with its extension replaced by ext (caller frees). */
static char *with_ext(const char *path, const char *ext)
{
    const char *dot = strrchr(path, '.');
    size_t base = dot ? (size_t)(dot - path) : strlen(path);
    char *r = malloc(base + strlen(ext) + 2);
    if (r)
        sprintf(r, "%.*s.%s", (int)base, path, ext);
    return r;
}

gpcov_status gpcov_atomic_check(gpcov_ctx *ctx, const char *dst, int overwrite)
{
    if (gpcov_pg_is(dst))
        return gpcov_pg_check(ctx, dst, overwrite);
    if (gpcov_path_exists(dst) && !overwrite)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: exists already (use --overwrite to replace it)",
                         dst);
    return GPCOV_OK;
}

gpcov_status gpcov_atomic_begin(gpcov_ctx *ctx, const char *dst, int overwrite,
                                char **tmp)
{
    *tmp = NULL;
    if (gpcov_pg_is(dst))
        return gpcov_pg_atomic_begin(ctx, dst, overwrite, tmp);
    if (gpcov_path_exists(dst) && !overwrite)
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: exists already (use --overwrite to replace it)",
                         dst);
    const char *slash = strrchr(dst, '/');
    char dir[4096];
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - dst), dst);
    else
        snprintf(dir, sizeof dir, ".");
    if (!dir[0])
        snprintf(dir, sizeof dir, "/");
    if (access(dir, W_OK) != 0)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write into %s: %s",
                         dst, dir, strerror(errno));
    const char *base = slash ? slash + 1 : dst;
    if (strlen(base) < 500)
        remove_stale(dir, base);
    char ext[16];
    gpcov_path_ext(dst, ext, sizeof ext);
    size_t n = strlen(dir) + strlen(base) + 64;
    char *t = malloc(n);
    if (!t)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    /* a name no other run uses: pid plus a counter, extension kept so that
    ** drivers chosen by extension still recognise it */
    static unsigned counter;
    for (;;) {
        snprintf(t, n, "%s/.%s.tmp%ld-%u%s%s", dir, base, (long)getpid(),
                 counter++, ext[0] ? "." : "", ext);
        if (!gpcov_path_exists(t))
            break;
    }
    slot_add(t);
    *tmp = t;
    return GPCOV_OK;
}

static gpcov_status commit_parts(gpcov_ctx *ctx, const char *tmp, const char *dst);

gpcov_status gpcov_atomic_commit(gpcov_ctx *ctx, const char *tmp,
                                 const char *dst)
{
    if (gpcov_pg_is(dst))
        return gpcov_pg_atomic_commit(ctx, tmp, dst);
    sigset_t old;
    hold_signals(&old);
    gpcov_status st = commit_parts(ctx, tmp, dst);
    slot_drop(tmp);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return st;
}

static gpcov_status commit_parts(gpcov_ctx *ctx, const char *tmp, const char *dst)
{
    if (!is_shp(dst)) {
        if (rename(tmp, dst) != 0) {
            gpcov_status st = gpcov_err(ctx, GPCOV_EOUTPUT,
                                        "%s: cannot rename into place: %s",
                                        dst, strerror(errno));
            gpcov_atomic_abort(tmp);
            return st;
        }
        return GPCOV_OK;
    }
    for (size_t i = 0; i < sizeof shp_parts / sizeof *shp_parts; i++) {
        char *from = with_ext(tmp, shp_parts[i]);
        char *to = with_ext(dst, shp_parts[i]);
        if (!from || !to) {
            free(from);
            free(to);
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        }
        if (gpcov_path_exists(from)) {
            if (rename(from, to) != 0) {
                gpcov_status st = gpcov_err(ctx, GPCOV_EOUTPUT,
                                            "%s: cannot rename into place: %s",
                                            to, strerror(errno));
                free(from);
                free(to);
                gpcov_atomic_abort(tmp);
                return st;
            }
        } else {
            remove(to); /* a stale part of an old output must not linger */
        }
        free(from);
        free(to);
    }
    return GPCOV_OK;
}

void gpcov_atomic_abort(const char *tmp)
{
    if (!tmp)
        return;
    if (gpcov_pg_is(tmp)) {
        gpcov_pg_atomic_abort(tmp);
        return;
    }
    remove(tmp);
    if (is_shp(tmp)) {
        for (size_t i = 0; i < sizeof shp_parts / sizeof *shp_parts; i++) {
            char *p = with_ext(tmp, shp_parts[i]);
            if (p)
                remove(p);
            free(p);
        }
    }
    /* SQLite side files of a GeoPackage */
    char side[4200];
    snprintf(side, sizeof side, "%s-journal", tmp);
    remove(side);
    snprintf(side, sizeof side, "%s-wal", tmp);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", tmp);
    remove(side);
    slot_drop(tmp);
}
