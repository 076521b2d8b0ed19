/*
** site_cells.c: what each demand cell gets with the existing sites alone
** (before) and with the chosen candidates open too (after), for the
** per-unit table and the map: the people within the limit of an open
** site (maximal covering), the minutes to the nearest open site within
** the limit (p-median; NaN, never 0, where none is), or the people
** served by the nearest-first assignment of coverage.c with the open
** sites' capacities (capacity-aware).  The totals over the cells (for
** the p-median demand x minutes, a cell beyond the limit at the limit)
** are checked against the solver's before and after.
*/
#include "gpcov.h"
#include "siterun_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Per cell the people within the limit of an open site and, for MEDIAN,
** the minutes to the nearest one (NaN: none). */
static void reach(struct srun *R, const unsigned char *open, double *people, double *minutes)
{
    for (size_t q = 0; q < R->D.nc; q++)
        people[q] = 0, minutes[q] = NAN;
    for (size_t p = 0; p < R->npairs; p++) {
        const struct gpcov_cover_pair *c = &R->pairs[p];
        if (!open[c->practice])
            continue;
        people[c->unit] = R->D.dem[c->unit];
        if (isnan(minutes[c->unit]) || c->minutes < minutes[c->unit])
            minutes[c->unit] = c->minutes;
    }
}

/* Per cell the people served with the open sites' capacities. */
static gpcov_status served(struct srun *R, const unsigned char *open, double *out)
{
    size_t ns = R->S.n;
    double *cap = malloc(ns * sizeof *cap);
    struct gpcov_cover_pair *pairs = malloc((R->npairs ? R->npairs : 1) * sizeof *pairs);
    struct gpcov_cover_result r;
    memset(&r, 0, sizeof r);
    gpcov_status st = cap && pairs ? gpcov_coverage_result_alloc(R->ctx, R->D.nc, ns, &r)
                                   : gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    if (!st) {
        for (size_t j = 0; j < ns; j++)
            cap[j] = open[j] ? R->S.people[j] : 0;
        memcpy(pairs, R->pairs, R->npairs * sizeof *pairs);
        st = gpcov_coverage_assign(R->ctx, R->D.nc, R->D.dem, ns, cap, pairs, R->npairs, &r);
    }
    if (!st)
        memcpy(out, r.served, R->D.nc * sizeof *out);
    gpcov_coverage_result_clear(&r);
    free(cap), free(pairs);
    return st;
}

/* One state (open sites): value and people within reach per cell. */
static gpcov_status state(struct srun *R, const unsigned char *open, double *value,
                          double *reached)
{
    enum gpcov_site_objective obj = R->o->objective;
    double *minutes = malloc((R->D.nc ? R->D.nc : 1) * sizeof *minutes);
    if (!minutes)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    reach(R, open, reached, minutes);
    gpcov_status st = GPCOV_OK;
    if (obj == GPCOV_SITE_COVER)
        memcpy(value, reached, R->D.nc * sizeof *value);
    else if (obj == GPCOV_SITE_MEDIAN)
        memcpy(value, minutes, R->D.nc * sizeof *value);
    else
        st = served(R, open, value);
    free(minutes);
    return st;
}

gpcov_status gpcov_site_cells(struct srun *R)
{
    size_t nc = R->D.nc ? R->D.nc : 1, ns = R->S.n;
    unsigned char *open = calloc(ns ? ns : 1, 1);
    R->before = malloc(nc * sizeof *R->before), R->after = malloc(nc * sizeof *R->after);
    R->reach_before = malloc(nc * sizeof *R->reach_before);
    R->reach_after = malloc(nc * sizeof *R->reach_after);
    if (!open || !R->before || !R->after || !R->reach_before || !R->reach_after) {
        free(open);
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t j = R->S.ncand; j < ns; j++)
        open[j] = 1;
    gpcov_status st = state(R, open, R->before, R->reach_before);
    const struct gpcov_site_result *res = &R->sum->res;
    for (size_t i = 0; i < res->k; i++)
        open[res->chosen[i]] = 1;
    if (!st)
        st = state(R, open, R->after, R->reach_after);
    free(open);
    if (st)
        return st;
    double b = 0, a = 0, T = R->o->max_minutes;
    int med = R->o->objective == GPCOV_SITE_MEDIAN;
    for (size_t q = 0; q < R->D.nc; q++) {
        double d = med ? R->D.dem[q] : 1;
        b += d * (med && isnan(R->before[q]) ? T : R->before[q]);
        a += d * (med && isnan(R->after[q]) ? T : R->after[q]);
    }
    double tol = 1e-6 * fmax(1, a);
    if (fabs(b - res->before) > tol || fabs(a - res->after) > tol)
        return gpcov_err(R->ctx, GPCOV_EINTERNAL, "site choice: the cells give %.17g before "
                         "and %.17g after, the solver %.17g and %.17g", b, a, res->before,
                         res->after);
    return GPCOV_OK;
}
