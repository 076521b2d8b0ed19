/*
** ctx.c: the context that every call takes.  It owns the GEOS handle and
** the PROJ context, and gathers every dependency's error messages in one
** place, so that the library never prints: GDAL's error handler, GEOS's
** message handlers and PROJ's logger all write into ctx->dep_msg, and the
** library's own failures into ctx->msg.  Also the small string and path
** helpers the other files share.
*/
#include "base_internal.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <ctype.h>
#include <errno.h>
#include <gdal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void set_dep(gpcov_ctx *ctx, const char *m)
{
    snprintf(ctx->dep_msg, sizeof ctx->dep_msg, "%s", m ? m : "");
    size_t n = strlen(ctx->dep_msg);
    while (n && (ctx->dep_msg[n - 1] == '\n' || ctx->dep_msg[n - 1] == ' '))
        ctx->dep_msg[--n] = 0;
}

static void geos_msg(const char *m, void *user)
{
    set_dep(user, m);
}

static void geos_notice(const char *m, void *user)
{
    (void)m;
    (void)user; /* notices are not errors */
}

static void gdal_handler(CPLErr cls, CPLErrorNum num, const char *m)
{
    (void)num;
    gpcov_ctx *ctx = CPLGetErrorHandlerUserData();
    if (ctx && cls >= CE_Failure)
        set_dep(ctx, m);
}

static void proj_log(void *user, int level, const char *m)
{
    if (level == PJ_LOG_ERROR)
        set_dep(user, m);
}

gpcov_ctx *gpcov_ctx_new(void)
{
    gpcov_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->geos = GEOS_init_r();
    ctx->proj = proj_context_create();
    if (!ctx->geos || !ctx->proj) {
        if (ctx->geos)
            GEOS_finish_r(ctx->geos);
        if (ctx->proj)
            proj_context_destroy(ctx->proj);
        free(ctx);
        return NULL;
    }
    GEOSContext_setErrorMessageHandler_r(ctx->geos, geos_msg, ctx);
    GEOSContext_setNoticeMessageHandler_r(ctx->geos, geos_notice, ctx);
    proj_log_func(ctx->proj, ctx, proj_log);
    GDALAllRegister();
    /* Sources here are analysts' files: keep OGR from guessing less than we
    ** ask, and keep GPKG files free of wall-clock timestamps (determinism). */
    CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    /* GDAL's CSV driver drops the columns after the 2000th with only a
    ** warning: a wide table is read whole instead */
    if (!CPLGetConfigOption("OGR_CSV_MAX_FIELD_COUNT", NULL))
        CPLSetConfigOption("OGR_CSV_MAX_FIELD_COUNT", "2147483647");
    CPLPushErrorHandlerEx(gdal_handler, ctx);
    return ctx;
}

void gpcov_ctx_free(gpcov_ctx *ctx)
{
    if (!ctx)
        return;
    CPLPopErrorHandler();
    gpcov_ctx_forget_inputs(ctx);
    GEOS_finish_r(ctx->geos);
    proj_context_destroy(ctx->proj);
    free(ctx);
}

const char *gpcov_ctx_message(const gpcov_ctx *ctx)
{
    return ctx ? ctx->msg : "out of memory";
}

GEOSContextHandle_t gpcov_ctx_geos(gpcov_ctx *ctx)
{
    return ctx->geos;
}

void gpcov_ctx_set_progress(gpcov_ctx *ctx, gpcov_progress_fn fn, void *user)
{
    ctx->progress = fn;
    ctx->progress_user = user;
}

void gpcov_ctx_set_notice(gpcov_ctx *ctx, gpcov_notice_fn fn, void *user)
{
    ctx->notice = fn;
    ctx->notice_user = user;
}

void gpcov_ctx_set_csv_style(gpcov_ctx *ctx, enum gpcov_csv_style style)
{
    ctx->csv_style = style;
}

enum gpcov_csv_style gpcov_ctx_csv_style(const gpcov_ctx *ctx)
{
    return ctx->csv_style;
}

void gpcov_notice(gpcov_ctx *ctx, const char *fmt, ...)
{
    if (!ctx->notice)
        return;
    char line[GPCOV_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ctx->notice(line, ctx->notice_user);
}

void gpcov_summary(gpcov_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->summary, sizeof ctx->summary, fmt, ap);
    va_end(ap);
}

const char *gpcov_ctx_summary(const gpcov_ctx *ctx)
{
    return ctx ? ctx->summary : "";
}

/* Phase timings for make bench: with GPCOV_TIMING set in the environment,
** each call says how long since the previous one (wall clock). */
void gpcov_phase(gpcov_ctx *ctx, const char *label)
{
    static double last;
    if (!getenv("GPCOV_TIMING"))
        return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = ts.tv_sec + ts.tv_nsec * 1e-9;
    if (last > 0)
        gpcov_notice(ctx, "timing: %s: %.3f s", label, now - last);
    last = now;
}

const char *gpcov_status_name(gpcov_status st)
{
    switch (st) {
    case GPCOV_OK: return "ok";
    case GPCOV_EUSAGE: return "usage error";
    case GPCOV_EINPUT: return "bad input";
    case GPCOV_EOUTPUT: return "cannot write output";
    case GPCOV_ENOMEM: return "out of memory";
    case GPCOV_ECANCEL: return "cancelled";
    case GPCOV_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

gpcov_status gpcov_err(gpcov_ctx *ctx, gpcov_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
    va_end(ap);
    return st;
}

const char *gpcov_dep_error(gpcov_ctx *ctx)
{
    static _Thread_local char buf[GPCOV_MSG_MAX];
    if (!ctx->dep_msg[0])
        return "unknown error";
    memcpy(buf, ctx->dep_msg, sizeof buf);
    ctx->dep_msg[0] = 0;
    return buf;
}

void gpcov_dep_clear(gpcov_ctx *ctx)
{
    ctx->dep_msg[0] = 0;
    CPLErrorReset();
}

int gpcov_dep_failed(const gpcov_ctx *ctx)
{
    return ctx->dep_msg[0] || CPLGetLastErrorType() >= CE_Failure;
}

gpcov_status gpcov_progress(gpcov_ctx *ctx, double fraction, const char *label)
{
    if (ctx->progress && ctx->progress(fraction, label, ctx->progress_user))
        return gpcov_err(ctx, GPCOV_ECANCEL, "cancelled at %.0f%% of %s",
                         100 * fraction, label);
    return GPCOV_OK;
}

char *gpcov_strdup(const char *s)
{
    return s ? gpcov_strndup(s, strlen(s)) : NULL;
}

char *gpcov_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

char *gpcov_trim(char *s)
{
    char *b = s;
    while (*b && isspace((unsigned char)*b))
        b++;
    size_t n = strlen(b);
    while (n && isspace((unsigned char)b[n - 1]))
        n--;
    memmove(s, b, n);
    s[n] = 0;
    return s;
}

void gpcov_path_ext(const char *path, char *out, size_t outsz)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    out[0] = 0;
    if (!dot || (slash && dot < slash) || outsz == 0)
        return;
    size_t i = 0;
    for (dot++; *dot && i + 1 < outsz; dot++)
        out[i++] = (char)tolower((unsigned char)*dot);
    out[i] = 0;
}

int gpcov_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

gpcov_status gpcov_input_check(gpcov_ctx *ctx, const char *path)
{
    if (!strncmp(path, "PG:", 3)) {
        gpcov_input_add_pg(ctx, path); /* a table no output may replace */
        return GPCOV_OK;
    }
    if (!strncmp(path, "/vsi", 4))
        return GPCOV_OK; /* GDAL's own names */
    struct stat st;
    if (stat(path, &st) != 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s", path,
                         errno == ENOENT ? "no such file" : strerror(errno));
    const char *what = S_ISFIFO(st.st_mode)   ? "a pipe (FIFO)"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : NULL;
    if (what)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: %s, not a file (gpcov reads its inputs from files: save the data "
                         "to one first)",
                         path, what);
    gpcov_input_add(ctx, path);
    return GPCOV_OK;
}

void gpcov_ctx_forget_inputs(gpcov_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ninputs; i++)
        free(ctx->inputs[i].path);
    free(ctx->inputs);
    ctx->inputs = NULL;
    ctx->ninputs = 0;
}

void gpcov_input_add(gpcov_ctx *ctx, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || gpcov_input_of(ctx, path))
        return;
    struct gpcov_input *in = realloc(ctx->inputs, (ctx->ninputs + 1) * sizeof *in);
    if (!in)
        return; /* out of memory: the run ends soon anyway */
    ctx->inputs = in;
    in[ctx->ninputs].dev = (unsigned long long)st.st_dev;
    in[ctx->ninputs].ino = (unsigned long long)st.st_ino;
    if ((in[ctx->ninputs].path = gpcov_strdup(path)))
        ctx->ninputs++;
}

/* A PostGIS input is kept by its name alone (device and inode 0, which no
** file has). */
void gpcov_input_add_pg(gpcov_ctx *ctx, const char *conn)
{
    struct gpcov_input *in = realloc(ctx->inputs, (ctx->ninputs + 1) * sizeof *in);
    if (!in)
        return;
    ctx->inputs = in;
    in[ctx->ninputs].dev = in[ctx->ninputs].ino = 0;
    if ((in[ctx->ninputs].path = gpcov_strdup(conn)))
        ctx->ninputs++;
}

const char *gpcov_input_of(gpcov_ctx *ctx, const char *dst)
{
    struct stat st;
    if (stat(dst, &st) != 0)
        return NULL;
    for (size_t i = 0; i < ctx->ninputs; i++)
        if (ctx->inputs[i].dev == (unsigned long long)st.st_dev &&
            ctx->inputs[i].ino == (unsigned long long)st.st_ino)
            return ctx->inputs[i].path;
    return NULL;
}

int gpcov_path_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
