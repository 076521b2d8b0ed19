/*
** atomic.c: outputs appear whole or not at all.  A writer gets a temporary
** name in the target directory (so the final rename stays on one file
** system), writes there, and renames on success.  An existing output is
** refused unless the caller says overwrite.  Formats made of several files
** (a shapefile's .shp/.shx/.dbf/.prj/.cpg) are committed part by part, the
** .shp last, so a reader never sees a .shp without its attributes.  A
** PostGIS destination (PG:... tables=name) gets a temporary table instead,
** renamed over the final one in one transaction (pg.c).
*/
#include "gpcov_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    *tmp = t;
    return GPCOV_OK;
}

gpcov_status gpcov_atomic_commit(gpcov_ctx *ctx, const char *tmp,
                                 const char *dst)
{
    if (gpcov_pg_is(dst))
        return gpcov_pg_atomic_commit(ctx, tmp, dst);
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
}
