/*
** atomic.c: outputs appear whole or not at all, and never replace what is
** not theirs.  A writer gets a temporary name inside a private directory
** (mode 0700, made with mkdir, which never follows a planted symlink)
** beside the target, so the final rename stays on one file system and
** nothing can be slipped in between; the name inside is short, so an
** output whose name is near the file system's limit still gets one, and a
** path too long is refused before anything is created.  An existing output
** is refused unless the caller says overwrite, and so is an output that is
** one of the run's inputs (the same device and inode), overwrite or not.
** Without overwrite the commit renames with RENAME_NOREPLACE (or link and
** unlink), so an output that appeared while gpcov computed is not replaced.
** Formats made of several files (a shapefile's .shp/.shx/.dbf/.prj/.cpg)
** are committed part by part, the .shp last, so a reader never sees a .shp
** without its attributes.  Placing keeps a hard link to each replaced file
** in the private directory until the commit is finished, so a commit that
** fails half-way (or an output set, outset.c, that fails at its third
** output) puts every previous output back byte for byte.  A PostGIS
** destination (PG:... tables=name) gets a temporary table instead, renamed
** over the final one in one transaction (pg.c).
**
** Interruptions: the temporaries of a process are listed in a fixed table
** that a signal handler can walk (gpcov_atomic_remove_all), and signals
** are held off while a commit renames, so SIGINT or SIGTERM leaves either
** the old output or the new one, never a mix of a shapefile's parts.  A
** process killed outright (SIGKILL) leaves its private directory behind,
** hidden by its leading dot and marked with its PID; the next run writing
** into the same directory removes those whose process is gone.
*/
#define _GNU_SOURCE /* renameat2 */
#include "io_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* ------------------------------------------------ the table of temporaries
** Written only outside signal handlers; a slot's path is complete before
** its flag is set, so a handler sees whole paths or empty slots. */
enum { SLOTS = 512, SLOT_PATH = 4096 }; /* outputs open at once; a path */
static char slot_path[SLOTS][SLOT_PATH];
static volatile sig_atomic_t slot_used[SLOTS];
static int slot_over[SLOTS];     /* the caller said overwrite          */
static int slot_in_place[SLOTS]; /* replacing an input is the point    */

static int slot_add(const char *tmp, int overwrite, int in_place)
{
    size_t n = strlen(tmp);
    if (n + 16 >= SLOT_PATH)
        return -1;
    for (int i = 0; i < SLOTS; i++)
        if (!slot_used[i]) {
            memcpy(slot_path[i], tmp, n + 1);
            slot_over[i] = overwrite;
            slot_in_place[i] = in_place;
            slot_used[i] = 1;
            return 0;
        }
    return -1;
}

static int slot_find(const char *tmp)
{
    for (int i = 0; i < SLOTS; i++)
        if (slot_used[i] && !strcmp(slot_path[i], tmp))
            return i;
    return -1;
}

static void slot_drop(const char *tmp)
{
    int i = slot_find(tmp);
    if (i >= 0)
        slot_used[i] = 0;
}

/* The parts a writer may leave in the private directory: the file, the
** SQLite side files of a GeoPackage, GDAL's .aux.xml, a shapefile's parts. */
static const char *const side[] = {"", "-journal", "-wal", "-shm", ".aux.xml"};
static const char *const shp_parts[] = {"shx", "dbf", "prj", "cpg", "qix", "shp"};
enum { NSIDE = sizeof side / sizeof *side, NSHP = sizeof shp_parts / sizeof *shp_parts };

/* unlink(base + suffix), async-signal-safe */
static void unlink_with(const char *base, size_t baselen, const char *suffix)
{
    char p[SLOT_PATH + 32];
    size_t n = 0;
    while (n < baselen && n < SLOT_PATH)
        p[n] = base[n], n++;
    for (size_t k = 0; suffix[k] && n < sizeof p - 1; k++)
        p[n++] = suffix[k];
    p[n] = 0;
    unlink(p);
}

/* Removes a temporary, everything a writer may have left beside it and
** its private directory.  Async-signal-safe (no allocation, no stdio). */
static void remove_tmp(const char *t)
{
    size_t n = 0, dot = 0, slash = 0;
    while (t[n])
        n++;
    for (size_t k = 0; k < n; k++) {
        if (t[k] == '.')
            dot = k;
        if (t[k] == '/')
            slash = k;
    }
    for (size_t k = 0; k < NSIDE; k++)
        unlink_with(t, n, side[k]);
    if (dot > slash && n - dot == 4 && t[dot + 1] == 's' && t[dot + 2] == 'h' && t[dot + 3] == 'p')
        for (size_t k = 0; k < NSHP; k++)
            unlink_with(t, dot + 1, shp_parts[k]);
    char dir[SLOT_PATH];
    for (size_t k = 0; k < slash && k < SLOT_PATH - 1; k++)
        dir[k] = t[k];
    dir[slash < SLOT_PATH - 1 ? slash : SLOT_PATH - 1] = 0;
    rmdir(dir);
}

void gpcov_atomic_remove_all(void)
{
    for (int i = 0; i < SLOTS; i++) {
        if (!slot_used[i])
            continue;
        remove_tmp(slot_path[i]);
        slot_used[i] = 0;
    }
}

/* ------------------------------------------------------------ names */

/* The name of dst's private directory: .<base>.tmp<pid>-<n>, or when that
** would be over the file system's limit, .gpcov.tmp<pid>-<n>.  (GDAL 3.6's
** XLSX writer fails to save under a directory whose name holds ".xlsx":
** io_write.c writes a spreadsheet in /vsimem/ and copies it here, which
** also serves an output folder so named.) */
static void private_name(const char *base, long name_max, unsigned n, char *out, size_t sz)
{
    snprintf(out, sz, ".%s.tmp%ld-%u", base, (long)getpid(), n);
    if ((long)strlen(out) > name_max)
        snprintf(out, sz, ".gpcov.tmp%ld-%u", (long)getpid(), n);
}

/* The pid in a private directory's name, when it is one (else 0). */
static long private_pid(const char *name, const char *base)
{
    char prefix[600];
    const char *rest = NULL;
    snprintf(prefix, sizeof prefix, ".%s.tmp", base);
    if (!strncmp(name, prefix, strlen(prefix)))
        rest = name + strlen(prefix);
    else if (!strncmp(name, ".gpcov.tmp", 10))
        rest = name + 10;
    if (!rest)
        return 0;
    char *end;
    long pid = strtol(rest, &end, 10);
    return end != rest && *end == '-' && pid > 0 ? pid : 0;
}

/* Removes path: a file, or a private directory and the files in it. */
static void remove_entry(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                char f[SLOT_PATH + 300];
                snprintf(f, sizeof f, "%s/%s", path, e->d_name);
                unlink(f);
            }
        closedir(d);
    }
    remove(path);
}

/* Removes the temporaries in dir left by processes that no longer run. */
static void remove_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = private_pid(e->d_name, base);
        if (pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its process still runs (or is not ours to judge) */
        char full[SLOT_PATH + 300];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        remove_entry(full);
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

static int is_shp(const char *path)
{
    char ext[16];
    gpcov_path_ext(path, ext, sizeof ext);
    return strcmp(ext, "shp") == 0;
}

/* path with its extension replaced by ext, in out. */
static void with_ext(const char *path, const char *ext, char *out, size_t sz)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    size_t base = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    snprintf(out, sz, "%.*s.%s", (int)base, path, ext);
}

/* The directory of path, in out ("." or "/" when it has none). */
static void dir_of(const char *path, char *out, size_t sz)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, sz, ".");
    else if (slash == path)
        snprintf(out, sz, "/");
    else
        snprintf(out, sz, "%.*s", (int)(slash - path), path);
}

/* ------------------------------------------------------------ checks */

/* dst must not be one of the run's inputs (ctx.c keeps their inodes). */
static gpcov_status not_an_input(gpcov_ctx *ctx, const char *dst)
{
    const char *what = gpcov_input_of(ctx, dst);
    if (what)
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: is also an input of this run (%s): an input is never "
                         "replaced, not even with --overwrite",
                         dst, what);
    return GPCOV_OK;
}

gpcov_status gpcov_atomic_check(gpcov_ctx *ctx, const char *dst, int overwrite)
{
    if (gpcov_pg_is(dst))
        return gpcov_pg_check(ctx, dst, overwrite);
    if (gpcov_path_exists(dst) && !overwrite)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: exists already (use --overwrite to replace it)",
                         dst);
    return not_an_input(ctx, dst);
}

/* A name the file system can hold: each part within NAME_MAX and the
** whole with the private directory within PATH_MAX, checked before
** anything is created. */
static gpcov_status name_fits(gpcov_ctx *ctx, const char *dst, const char *dir, long *name_max)
{
    const char *slash = strrchr(dst, '/');
    const char *base = slash ? slash + 1 : dst;
    errno = 0;
    long nm = pathconf(dir, _PC_NAME_MAX);
    *name_max = nm > 0 ? nm : 255;
    if (!*base)
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: names a directory, not a file", dst);
    if ((long)strlen(base) > *name_max)
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: the name is %zu bytes, longer than the file system allows (%ld)",
                         dst, strlen(base), *name_max);
    /* dir + "/.gpcov.tmp<pid>-<n>/new.<ext>" and a side file's suffix */
    if (strlen(dst) + 64 >= SLOT_PATH)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: the path is too long (%zu bytes; at most %d)",
                         dst, strlen(dst), SLOT_PATH - 64);
    return GPCOV_OK;
}

/* ------------------------------------------------------------ begin */

static gpcov_status begin(gpcov_ctx *ctx, const char *dst, int overwrite, int in_place,
                          char **tmp)
{
    *tmp = NULL;
    if (gpcov_pg_is(dst))
        return gpcov_pg_atomic_begin(ctx, dst, overwrite, tmp);
    if (gpcov_path_exists(dst) && !overwrite)
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: exists already (use --overwrite to replace it)", dst);
    gpcov_status st = in_place ? GPCOV_OK : not_an_input(ctx, dst);
    if (st)
        return st;
    char dir[SLOT_PATH];
    dir_of(dst, dir, sizeof dir);
    long name_max;
    if ((st = name_fits(ctx, dst, dir, &name_max)))
        return st;
    if (access(dir, W_OK) != 0)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write into %s: %s",
                         dst, dir, strerror(errno));
    const char *slash = strrchr(dst, '/');
    const char *base = slash ? slash + 1 : dst;
    remove_stale(dir, base);
    char ext[16];
    gpcov_path_ext(dst, ext, sizeof ext);
    size_t tsz = SLOT_PATH + 400; /* name_fits keeps it within SLOT_PATH */
    char *t = malloc(tsz);
    if (!t)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    /* the private directory: mkdir is exclusive and never follows a link */
    static unsigned counter;
    char name[300];
    for (;;) {
        private_name(base, name_max, counter++, name, sizeof name);
        snprintf(t, tsz, "%s/%s", dir, name);
        if (mkdir(t, 0700) == 0)
            break;
        if (errno != EEXIST) {
            st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot make a temporary directory in %s: %s",
                           dst, dir, strerror(errno));
            free(t);
            return st;
        }
    }
    /* the extension kept, so that drivers chosen by it still recognise it */
    size_t n = strlen(t);
    snprintf(t + n, tsz - n, "/new%s%s", ext[0] ? "." : "", ext);
    if (slot_add(t, overwrite, in_place) != 0) {
        remove_tmp(t);
        free(t);
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: more than %d outputs open at once", dst,
                         SLOTS);
    }
    *tmp = t;
    return GPCOV_OK;
}

gpcov_status gpcov_atomic_begin(gpcov_ctx *ctx, const char *dst, int overwrite, char **tmp)
{
    return begin(ctx, dst, overwrite, 0, tmp);
}

gpcov_status gpcov_atomic_begin_in_place(gpcov_ctx *ctx, const char *dst, char **tmp)
{
    return begin(ctx, dst, 1, 1, tmp);
}

/* ------------------------------------------------------------ placing */

/* Renames from over to without replacing anything; EEXIST when to is
** taken.  renameat2 where the file system has it, else link and unlink. */
static int rename_noreplace(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (link(from, to) != 0)
        return -1;
    unlink(from);
    return 0;
}

/* The i-th part of an output: the file itself, or a shapefile's part. */
static int nparts(const char *dst)
{
    return is_shp(dst) ? NSHP : 1;
}

static void part_paths(const char *tmp, const char *dst, int i, char *from, char *to,
                       char *old, size_t sz)
{
    char dir[SLOT_PATH];
    dir_of(tmp, dir, sizeof dir);
    if (!is_shp(dst)) {
        char ext[16];
        gpcov_path_ext(dst, ext, sizeof ext);
        snprintf(from, sz, "%s", tmp);
        snprintf(to, sz, "%s", dst);
        snprintf(old, sz, "%s/old%s%s", dir, ext[0] ? "." : "", ext);
        return;
    }
    with_ext(tmp, shp_parts[i], from, sz);
    with_ext(dst, shp_parts[i], to, sz);
    snprintf(old, sz, "%s/old.%s", dir, shp_parts[i]);
}

/* Puts part i in place; *placed says whether anything changed at dst. */
static gpcov_status place_part(gpcov_ctx *ctx, const char *tmp, const char *dst, int i,
                               int overwrite, int *placed)
{
    char from[SLOT_PATH + 32], to[SLOT_PATH + 32], old[SLOT_PATH + 32];
    part_paths(tmp, dst, i, from, to, old, sizeof from);
    *placed = 0;
    int have_new = gpcov_path_exists(from), have_old = gpcov_path_exists(to);
    if (have_old && !overwrite) {
        if (!have_new)
            return GPCOV_OK; /* someone else's side file: not ours to remove */
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: appeared while gpcov was computing; not replaced (use "
                         "--overwrite to replace it)",
                         to);
    }
    if (have_old && link(to, old) != 0) /* kept until the commit is finished */
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot keep the old file: %s", to,
                         strerror(errno));
    int r = 0;
    if (have_new)
        r = overwrite ? rename(from, to) : rename_noreplace(from, to);
    else if (have_old)
        r = unlink(to); /* a stale part of an old output must not linger */
    if (r != 0) {
        int e = errno;
        if (have_old)
            unlink(old);
        if (e == EEXIST)
            return gpcov_err(ctx, GPCOV_EOUTPUT,
                             "%s: appeared while gpcov was computing; not replaced (use "
                             "--overwrite to replace it)",
                             to);
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot rename into place: %s", to,
                         strerror(e));
    }
    *placed = have_new || have_old;
    return GPCOV_OK;
}

/* Undoes place_part: the old file back, or the new one removed. */
static void unplace_part(const char *tmp, const char *dst, int i)
{
    char from[SLOT_PATH + 32], to[SLOT_PATH + 32], old[SLOT_PATH + 32];
    part_paths(tmp, dst, i, from, to, old, sizeof from);
    if (gpcov_path_exists(old))
        rename(old, to);
    else
        unlink(to);
}

gpcov_status gpcov_atomic_place(gpcov_ctx *ctx, const char *tmp, const char *dst,
                                unsigned *placed)
{
    *placed = 0;
    int s = slot_find(tmp);
    int overwrite = s >= 0 && slot_over[s];
    if (s >= 0 && !slot_in_place[s]) {
        /* inputs read since begin count too */
        gpcov_status st = not_an_input(ctx, dst);
        if (st)
            return st;
    }
    if (!gpcov_path_exists(tmp)) /* never an old output removed for nothing */
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: nothing was written", dst);
    int n = nparts(dst);
    for (int i = 0; i < n; i++) {
        int p;
        gpcov_status st = place_part(ctx, tmp, dst, i, overwrite, &p);
        if (st) {
            gpcov_atomic_unplace(tmp, dst, *placed);
            *placed = 0;
            return st;
        }
        if (p)
            *placed |= 1u << i;
    }
    return GPCOV_OK;
}

void gpcov_atomic_unplace(const char *tmp, const char *dst, unsigned placed)
{
    for (int i = nparts(dst); i-- > 0;)
        if (placed & (1u << i))
            unplace_part(tmp, dst, i);
}

void gpcov_atomic_finish(const char *tmp)
{
    char dir[SLOT_PATH];
    dir_of(tmp, dir, sizeof dir);
    remove_entry(dir);
    slot_drop(tmp);
}

/* ------------------------------------------------------------ commit */

gpcov_status gpcov_atomic_commit(gpcov_ctx *ctx, const char *tmp, const char *dst)
{
    if (gpcov_pg_is(dst))
        return gpcov_pg_atomic_commit(ctx, tmp, dst);
    sigset_t old;
    hold_signals(&old);
    unsigned placed;
    gpcov_status st = gpcov_atomic_place(ctx, tmp, dst, &placed);
    gpcov_atomic_finish(tmp);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return st;
}

void gpcov_atomic_hold(sigset_t *old)
{
    hold_signals(old);
}

void gpcov_atomic_abort(const char *tmp)
{
    if (!tmp)
        return;
    if (gpcov_pg_is(tmp)) {
        gpcov_pg_atomic_abort(tmp);
        return;
    }
    gpcov_atomic_finish(tmp);
}
