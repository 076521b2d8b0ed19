/* test_ctx.c: the context (ctx.c): its messages and status names, notices,
** progress and cancel, the dependencies' errors gathered in one place, the
** record of the run's inputs, and the small string and path helpers. */
#include "base/base_internal.h"
#include "fixture.h"
#include "tap.h"
#include "testfile.h"

#include <cpl_error.h>
#include <sys/stat.h>

static gpcov_ctx *ctx;

static void messages(void)
{
    OK(gpcov_err(ctx, GPCOV_EINPUT, "%s: row %d: %s", "a.csv", 7, "bad") == GPCOV_EINPUT,
       "gpcov_err returns its status");
    STREQ(gpcov_ctx_message(ctx), "a.csv: row 7: bad", "the message formatted");
    STREQ(gpcov_ctx_message(NULL), "out of memory", "no context: out of memory");
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    gpcov_err(ctx, GPCOV_EINTERNAL, "%s", big);
    OK(strlen(gpcov_ctx_message(ctx)) == GPCOV_MSG_MAX - 1, "a long message is cut at %d bytes",
       GPCOV_MSG_MAX - 1);
    STREQ(gpcov_status_name(GPCOV_OK), "ok", "status ok");
    STREQ(gpcov_status_name(GPCOV_EUSAGE), "usage error", "status usage");
    STREQ(gpcov_status_name(GPCOV_EINPUT), "bad input", "status input");
    STREQ(gpcov_status_name(GPCOV_EOUTPUT), "cannot write output", "status output");
    STREQ(gpcov_status_name(GPCOV_ENOMEM), "out of memory", "status memory");
    STREQ(gpcov_status_name(GPCOV_ECANCEL), "cancelled", "status cancel");
    STREQ(gpcov_status_name(GPCOV_EINTERNAL), "internal error", "status internal");
    STREQ(gpcov_status_name((gpcov_status)99), "unknown status", "an unknown status");
}

static char heard[256];
static int nheard;

static void on_notice(const char *line, void *user)
{
    snprintf(heard, sizeof heard, "%s%s", (const char *)user, line);
    nheard++;
}

static void notices(void)
{
    nheard = 0;
    gpcov_notice(ctx, "dropped %d", 1);
    OK(nheard == 0, "without a callback a notice is dropped");
    gpcov_ctx_set_notice(ctx, on_notice, "> ");
    gpcov_notice(ctx, "%s read as Windows-1252", "b.csv");
    OK(nheard == 1, "the callback is called once");
    STREQ(heard, "> b.csv read as Windows-1252", "formatted, with the user pointer passed");
    gpcov_ctx_set_notice(ctx, NULL, NULL);
    gpcov_notice(ctx, "again");
    OK(nheard == 1, "a callback unset is not called");
}

struct prog {
    double last;
    char label[64];
    int calls, stop_at;
};

static int on_progress(double f, const char *label, void *user)
{
    struct prog *p = user;
    p->last = f;
    snprintf(p->label, sizeof p->label, "%s", label);
    return ++p->calls >= p->stop_at;
}

static void progress_and_cancel(void)
{
    OK(gpcov_progress(ctx, 0.5, "nothing") == GPCOV_OK, "no callback: go on");
    struct prog p = {.stop_at = 3};
    gpcov_ctx_set_progress(ctx, on_progress, &p);
    gpcov_err(ctx, GPCOV_OK, "before");
    OK(gpcov_progress(ctx, 0.25, "reading") == GPCOV_OK, "the callback says go on");
    NEAR(p.last, 0.25, 0, "the fraction passed");
    STREQ(p.label, "reading", "the label passed");
    STREQ(gpcov_ctx_message(ctx), "before", "going on leaves the message");
    OK(gpcov_progress(ctx, 0.4, "reading") == GPCOV_OK, "second call goes on");
    OK(gpcov_progress(ctx, 0.125, "routing") == GPCOV_ECANCEL, "the callback stops: cancelled");
    STREQ(gpcov_ctx_message(ctx), "cancelled at 12% of routing", "the cancel message");
    gpcov_ctx_set_progress(ctx, NULL, NULL);
}

static void dep_errors(void)
{
    gpcov_dep_clear(ctx);
    OK(!gpcov_dep_failed(ctx), "cleared: nothing failed");
    STREQ(gpcov_dep_error(ctx), "unknown error", "no dependency error: unknown error");
    CPLError(CE_Warning, CPLE_AppDefined, "only a warning");
    OK(!gpcov_dep_failed(ctx), "a GDAL warning is not a failure");
    CPLError(CE_Failure, CPLE_AppDefined, "cannot open foo.tif \n\n");
    OK(gpcov_dep_failed(ctx), "a GDAL failure is seen");
    STREQ(gpcov_dep_error(ctx), "cannot open foo.tif", "GDAL's message, trailing blanks cut");
    STREQ(gpcov_dep_error(ctx), "unknown error", "reading the message clears it");
    gpcov_dep_clear(ctx);
    OK(!gpcov_dep_failed(ctx), "cleared again: GDAL's last error reset too");
    GEOSGeometry *g = tf_wkt(ctx, "POLYGON((0 0, 1 1");
    OK(g == NULL, "bad WKT does not parse");
    OK(gpcov_dep_failed(ctx), "GEOS's error is seen");
    const char *m = gpcov_dep_error(ctx);
    OK(strstr(m, "ParseException") != NULL || strstr(m, "Expected") != NULL,
       "GEOS's message is kept (%s)", m);
    PJ *pj = proj_create(ctx->proj, "EPSG:999999");
    OK(pj == NULL, "an unknown EPSG code is refused by PROJ");
    OK(gpcov_dep_failed(ctx), "PROJ's error is seen");
    OK(strcmp(gpcov_dep_error(ctx), "unknown error") != 0, "PROJ's message is kept");
    gpcov_dep_clear(ctx);
}

static void input_record(void)
{
    fx_write("in.csv", "a\n1\n");
    fx_write("other.csv", "a\n2\n");
    gpcov_ctx_forget_inputs(ctx);
    OK(gpcov_input_of(ctx, fx_path("in.csv")) == NULL, "nothing read: no input");
    OK(gpcov_input_check(ctx, fx_path("in.csv")) == GPCOV_OK, "a file is accepted");
    OK(ctx->ninputs == 1, "and recorded");
    OK(gpcov_input_check(ctx, fx_path("in.csv")) == GPCOV_OK && ctx->ninputs == 1,
       "read twice: recorded once");
    STREQ(gpcov_input_of(ctx, fx_path("in.csv")), fx_path("in.csv"), "the input found by name");
    OK(link(fx_path("in.csv"), fx_path("alias.csv")) == 0, "a hard link made");
    STREQ(gpcov_input_of(ctx, fx_path("alias.csv")), fx_path("in.csv"),
          "a hard link to an input is the input (same inode)");
    OK(gpcov_input_of(ctx, fx_path("other.csv")) == NULL, "another file is not an input");
    OK(gpcov_input_of(ctx, fx_path("none.csv")) == NULL, "a missing file is not an input");
    OK(gpcov_atomic_check(ctx, fx_path("alias.csv"), 1) == GPCOV_EOUTPUT,
       "an output that is an input is refused even with overwrite");
    char want[1024];
    snprintf(want, sizeof want,
             "%s: is also an input of this run (%s): an input is never replaced, not even "
             "with --overwrite",
             fx_path("alias.csv"), fx_path("in.csv"));
    STREQ(gpcov_ctx_message(ctx), want, "the refusal names the output and the input");
    OK(gpcov_input_check(ctx, fx_path("none.csv")) == GPCOV_EINPUT, "a missing input");
    snprintf(want, sizeof want, "%s: no such file", fx_path("none.csv"));
    STREQ(gpcov_ctx_message(ctx), want, "missing: no such file");
    OK(mkfifo(fx_path("pipe"), 0600) == 0, "a FIFO made");
    OK(gpcov_input_check(ctx, fx_path("pipe")) == GPCOV_EINPUT, "a FIFO is refused");
    snprintf(want, sizeof want,
             "%s: a pipe (FIFO), not a file (gpcov reads its inputs from files: save the "
             "data to one first)",
             fx_path("pipe"));
    STREQ(gpcov_ctx_message(ctx), want, "the FIFO message");
    OK(gpcov_input_check(ctx, "/dev/null") == GPCOV_EINPUT, "a character device is refused");
    OK(strstr(gpcov_ctx_message(ctx), "a character device, not a file") != NULL,
       "named as a character device");
    OK(gpcov_input_check(ctx, "/vsimem/x.csv") == GPCOV_OK && ctx->ninputs == 1,
       "a /vsi name passes and is not recorded");
    OK(gpcov_input_check(ctx, "PG:dbname=x tables=t") == GPCOV_OK && ctx->ninputs == 2,
       "a PostGIS input is recorded by name");
    OK(ctx->inputs[1].dev == 0 && ctx->inputs[1].ino == 0, "with device and inode 0");
    gpcov_ctx_forget_inputs(ctx);
    OK(ctx->ninputs == 0 && gpcov_input_of(ctx, fx_path("in.csv")) == NULL,
       "forgotten: no longer an input");
    OK(gpcov_atomic_check(ctx, fx_path("in.csv"), 1) == GPCOV_OK,
       "forgotten: may be replaced with overwrite");
}

static void helpers(void)
{
    char s[32] = " \t ab c \n";
    STREQ(gpcov_trim(s), "ab c", "trim both ends, keep inner blanks");
    char e[] = "   ";
    STREQ(gpcov_trim(e), "", "trim all blanks: empty");
    char *d = gpcov_strndup("abcdef", 3);
    STREQ(d, "abc", "strndup takes n bytes");
    free(d);
    OK(gpcov_strdup(NULL) == NULL, "strdup(NULL) is NULL");
    char ext[8];
    gpcov_path_ext("dir.v2/Out.GPKG", ext, sizeof ext);
    STREQ(ext, "gpkg", "extension lower-cased");
    gpcov_path_ext("dir.v2/README", ext, sizeof ext);
    STREQ(ext, "", "a dot in the directory is no extension");
    gpcov_path_ext("a.verylongext", ext, 4);
    STREQ(ext, "ver", "an extension cut to the buffer");
    OK(gpcov_path_is_dir(fx_dir) && !gpcov_path_is_dir(fx_path("in.csv")), "is_dir");
    OK(gpcov_path_exists(fx_path("in.csv")) && !gpcov_path_exists(fx_path("nope")), "exists");
}

int main(void)
{
    fx_make();
    ctx = gpcov_ctx_new();
    OK(ctx && gpcov_ctx_geos(ctx) == ctx->geos, "a context with its GEOS handle");
    RUN(messages);
    RUN(notices);
    RUN(progress_and_cancel);
    RUN(dep_errors);
    RUN(input_record);
    RUN(helpers);
    gpcov_ctx_free(ctx);
    gpcov_ctx_free(NULL);
    fx_clean();
    return tap_done();
}
