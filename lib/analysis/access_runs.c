/*
** access_runs.c: the per-supply runs of an accessibility run (access.c),
** two at a time on two cores.  Each run is a search bounded by the
** catchment (gpcov_ttreach) on a handle of its own, so two supplies' runs
** share nothing but the model, which they only read; the second runs on a
** thread with a context of its own.  The steps still take the lists in the
** order of the supplies, so the sums add the same terms in the same order
** and the results are those of one run at a time, bit for bit.  Two
** threads when two cores are online (GPCOV_THREADS=1 asks for one); one
** for whole-grid runs of the road model (GPCOV_ACCESS_SEARCH=grid, or a
** decay without a cut-off), which keep their node times in the model.
*/
#include "gpcov.h"
#include "analysis_internal.h"
#include "access_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The second run of a pair, on its own thread. */
struct side {
    gpcov_ctx *ctx;
    gpcov_ttreach *r;
    size_t k;
    double max;
    struct acc_list out;
    gpcov_status st;
};

static void *side_main(void *p)
{
    struct side *s = p;
    s->st = gpcov_ttreach_run(s->ctx, s->r, s->k, s->max, &s->out.cells, &s->out.t, &s->out.n);
    return NULL;
}

/* Two threads unless asked for one, or the runs are whole-grid runs of
** the road model, which keep their node times in the model itself. */
static int want_two(const struct run *R, int whole)
{
    const char *e = getenv("GPCOV_THREADS");
    long t = sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
    if (e && *e)
        t = strtol(e, NULL, 10);
    double lim = gpcov_access_reach(&R->o->decay);
    int bounded = lim > 0 && isfinite(lim);
    if (whole || (R->o->tt->model == GPCOV_TT_ROADS && !bounded))
        return 0;
    return R->ns > 1 && t >= 2;
}

gpcov_status gpcov_acc_runs_open(struct run *R)
{
    /* GPCOV_ACCESS_SEARCH=grid: every run over the whole grid, as before
    ** the searches were bounded (for benchmarks and tests) */
    const char *e = getenv("GPCOV_ACCESS_SEARCH");
    int whole = e && !strcmp(e, "grid");
    gpcov_status st = gpcov_ttreach_new(R->ctx, R->m, whole, &R->reach);
    if (st || !want_two(R, whole))
        return st;
    static const struct gpcov_ctx blank; /* the message only: no handlers */
    if (!(R->ctx2 = malloc(sizeof *R->ctx2)))
        return GPCOV_OK; /* one at a time */
    *R->ctx2 = blank;
    if (gpcov_ttreach_new(R->ctx2, R->m, 0, &R->reach2) != GPCOV_OK) {
        free(R->ctx2);
        R->ctx2 = NULL;
    }
    return GPCOV_OK;
}

void gpcov_acc_runs_close(struct run *R)
{
    gpcov_ttreach_free(R->reach);
    gpcov_ttreach_free(R->reach2);
    free(R->ctx2);
    R->reach = R->reach2 = NULL;
    R->ctx2 = NULL;
}

gpcov_status gpcov_acc_run_pair(struct run *R, size_t j, size_t j2, double max,
                                struct acc_list out[2])
{
    memset(out, 0, 2 * sizeof *out);
    struct side s = {R->ctx2, R->reach2, j2, max, {0}, GPCOV_OK};
    pthread_t th;
    int two = j2 != SIZE_MAX && R->reach2 && pthread_create(&th, NULL, side_main, &s) == 0;
    gpcov_status st = gpcov_ttreach_run(R->ctx, R->reach, j, max, &out[0].cells, &out[0].t,
                                        &out[0].n);
    if (two) {
        pthread_join(th, NULL);
        if (!st && s.st)
            st = gpcov_err(R->ctx, s.st, "%s", gpcov_ctx_message(R->ctx2));
        out[1] = s.out;
    } else if (!st && j2 != SIZE_MAX) {
        st = gpcov_ttreach_run(R->ctx, R->reach2 ? R->reach2 : R->reach, j2, max,
                               &out[1].cells, &out[1].t, &out[1].n);
        if (!st && !R->reach2) /* one handle: the first list is gone */
            return gpcov_err(R->ctx, GPCOV_EINTERNAL, "access: two runs on one handle");
    }
    if (st)
        return st;
    R->res->runs += 1 + (j2 != SIZE_MAX);
    R->res->cells_reached += out[0].n + out[1].n;
    return GPCOV_OK;
}
