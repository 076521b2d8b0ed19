/*
** cover_pairs.c: the (demand cell, site) pairs within a time limit, for
** the analyses that put people in reach of points (coverage, site
** choice).  The demand goes into the travel model's grid and is kept for
** the cells with people only; each site is searched once, alone, up to
** the limit, and only at those cells (gpcov_ttcells: on the road network
** a bounded search that resets only what it touched).  Two searches run
** at a time where two cores are online (GPCOV_THREADS=N sets it); the
** pairs do not depend on it, since their users sort them.
*/
#include "gpcov.h"
#include "analysis_internal.h"

#include <cpl_string.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void gpcov_demand_cells_clear(struct gpcov_demand_cells *d)
{
    free(d->cells), free(d->dem);
    memset(d, 0, sizeof *d);
}

gpcov_status gpcov_demand_cells(gpcov_ctx *ctx, const char *src, const char *field,
                                const struct gpcov_grid *g, struct gpcov_demand_cells *d)
{
    double *pop = NULL;
    size_t n = (size_t)g->nx * (size_t)g->ny;
    memset(d, 0, sizeof *d);
    gpcov_status st = gpcov_population_grid(ctx, src, field, g, &pop, &d->outside);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++)
        d->nc += pop[i] > 0;
    d->cells = malloc((d->nc ? d->nc : 1) * sizeof *d->cells);
    d->dem = malloc((d->nc ? d->nc : 1) * sizeof *d->dem);
    if (!d->cells || !d->dem) {
        free(pop);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t i = 0, k = 0; i < n; i++)
        if (pop[i] > 0)
            d->cells[k] = (uint32_t)i, d->dem[k++] = pop[i];
    free(pop);
    if (!d->nc)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no demand within the grid of the travel "
                         "model (%d x %d cells)", src, g->nx, g->ny);
    return GPCOV_OK;
}

/* One search's job and one thread's share of them: sites j0, j0 + step,
** ...; its own search state, context and pairs (merged afterwards). */
struct pjob {
    gpcov_ttmodel *m;
    const uint32_t *cells;
    size_t nc, nsite;
    const double *active;
    double max_minutes;
    const char *what;
};
struct worker {
    const struct pjob *J;
    gpcov_ctx *ctx;
    size_t j0, step;
    int main;                 /* reports progress                          */
    int *stop;                /* set by the one that fails or is cancelled */
    struct gpcov_cover_pair *pairs;
    size_t n, cap;
    gpcov_status st;
};

static int add_pair(struct worker *w, float t, size_t j, size_t q)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 1 << 16;
        struct gpcov_cover_pair *p = realloc(w->pairs, cap * sizeof *p);
        if (!p)
            return -1;
        w->pairs = p, w->cap = cap;
    }
    w->pairs[w->n++] = (struct gpcov_cover_pair){t, (uint32_t)j, (uint32_t)q};
    return 0;
}

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    const struct pjob *J = w->J;
    gpcov_ttcells *tc = NULL;
    float *t = malloc((J->nc ? J->nc : 1) * sizeof *t);
    w->st = t ? gpcov_ttcells_new(w->ctx, J->m, J->cells, J->nc, &tc)
              : gpcov_err(w->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t j = w->j0; j < J->nsite && !w->st; j += w->step) {
        if (__atomic_load_n(w->stop, __ATOMIC_RELAXED))
            break;
        if (J->active && !(J->active[j] > 0))
            continue;
        if ((w->main &&
             (w->st = gpcov_progress(w->ctx, (double)j / (double)J->nsite, J->what))) ||
            (w->st = gpcov_ttcells_run(w->ctx, tc, j, J->max_minutes, t)))
            break;
        for (size_t q = 0; q < J->nc && !w->st; q++)
            if (t[q] <= J->max_minutes && add_pair(w, t[q], j, q))
                w->st = gpcov_err(w->ctx, GPCOV_ENOMEM, "out of memory for %zu pairs", w->n);
    }
    if (w->st)
        __atomic_store_n(w->stop, 1, __ATOMIC_RELAXED);
    gpcov_ttcells_free(tc);
    free(t);
    return NULL;
}

static int search_threads(size_t nsearch)
{
    const char *e = getenv("GPCOV_THREADS");
    if (e && *e)
        return atoi(e) > 1 ? 2 : 1;
    return nsearch >= 16 && sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
}

/* The second thread's pairs after the first's. */
static gpcov_status merge(gpcov_ctx *ctx, struct worker *w, struct gpcov_cover_pair **pairs,
                          size_t *npairs)
{
    *pairs = w[0].pairs, *npairs = w[0].n;
    w[0].pairs = NULL;
    if (!w[1].n)
        return GPCOV_OK;
    struct gpcov_cover_pair *p = realloc(*pairs, (*npairs + w[1].n) * sizeof *p);
    if (!p)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for %zu pairs", *npairs + w[1].n);
    memcpy(p + *npairs, w[1].pairs, w[1].n * sizeof *p);
    *pairs = p;
    *npairs += w[1].n;
    return GPCOV_OK;
}

gpcov_status gpcov_cover_pairs(gpcov_ctx *ctx, gpcov_ttmodel *m, const uint32_t *cells,
                               size_t nc, size_t nsite, const double *active,
                               double max_minutes, const char *what,
                               struct gpcov_cover_pair **pairs, size_t *npairs)
{
    struct pjob J = {m, cells, nc, nsite, active, max_minutes, what};
    size_t nsearch = 0;
    for (size_t j = 0; j < nsite; j++)
        nsearch += !active || active[j] > 0;
    int nt = search_threads(nsearch), stop = 0;
    struct worker w[2] = {{&J, ctx, 0, (size_t)nt, 1, &stop, NULL, 0, 0, GPCOV_OK},
                          {&J, NULL, 1, 2, 0, &stop, NULL, 0, 0, GPCOV_OK}};
    pthread_t th;
    *pairs = NULL, *npairs = 0;
    if (nt == 2 && (!(w[1].ctx = gpcov_ctx_new()) || pthread_create(&th, NULL, worker_run, &w[1])))
        nt = 1, w[0].step = 1, gpcov_ctx_free(w[1].ctx), w[1].ctx = NULL;
    worker_run(&w[0]);
    if (nt == 2)
        pthread_join(th, NULL);
    gpcov_status st = w[0].st;
    if (!st && nt == 2 && w[1].st)
        st = gpcov_err(ctx, w[1].st, "%s", gpcov_ctx_message(w[1].ctx));
    gpcov_ctx_free(w[1].ctx);
    if (!st)
        st = merge(ctx, w, pairs, npairs);
    free(w[0].pairs), free(w[1].pairs);
    if (!st)
        st = gpcov_progress(ctx, 1, what);
    if (st)
        free(*pairs), *pairs = NULL, *npairs = 0;
    return st;
}
