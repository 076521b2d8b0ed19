/*
** coverage.c: capacity-constrained coverage, the assignment itself.
** Demand units (cells where people live) are assigned to practices in
** one global nearest-first sweep: every (unit, practice) pair whose
** travel time is within the limit is taken in ascending time, ties by
** the practice's order in its input, then by the unit's (the cell
** index, row by row from the north-west); each pair gives the unit
** min(its demand not yet served, the practice's capacity not yet
** taken).  A practice with no capacity (closed, or excluded) takes no
** one.  This is AccessMod's geographic coverage with the processing
** order "by travel time" made global and its ties stated.
**
** Exact totals by construction: the remainders only ever lose
** min(remainder, remainder), so neither goes below zero; served is the
** demand less what remains and assigned the capacity less what remains,
** so served + unserved = demand and assigned <= capacity hold in every
** unit and practice, whatever the rounding of the subtractions.
**
** The driver that makes the pairs from a travel model and writes the
** outputs is coverage_run.c; the outputs are coverage_out.c.
*/
#include "gpcov.h"
#include "analysis_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int pair_cmp(const void *a, const void *b)
{
    const struct gpcov_cover_pair *p = a, *q = b;
    if (p->minutes != q->minutes)
        return p->minutes < q->minutes ? -1 : 1;
    if (p->practice != q->practice)
        return p->practice < q->practice ? -1 : 1;
    return (p->unit > q->unit) - (p->unit < q->unit);
}

void gpcov_coverage_sort(struct gpcov_cover_pair *pairs, size_t npairs)
{
    qsort(pairs, npairs, sizeof *pairs, pair_cmp);
}

static gpcov_status check_inputs(gpcov_ctx *ctx, size_t nunit, const double *demand,
                                 size_t nprac, const double *capacity,
                                 const struct gpcov_cover_pair *pairs, size_t npairs)
{
    for (size_t i = 0; i < nunit; i++)
        if (!(demand[i] >= 0) || !isfinite(demand[i]))
            return gpcov_err(ctx, GPCOV_EINPUT, "demand unit %zu: demand %g is not a number "
                             ">= 0", i + 1, demand[i]);
    for (size_t j = 0; j < nprac; j++)
        if (!isnan(capacity[j]) && (!(capacity[j] >= 0) || !isfinite(capacity[j])))
            return gpcov_err(ctx, GPCOV_EINPUT, "practice %zu: capacity %g is not a number "
                             ">= 0", j + 1, capacity[j]);
    for (size_t k = 0; k < npairs; k++)
        if (pairs[k].unit >= nunit || pairs[k].practice >= nprac || !(pairs[k].minutes >= 0))
            return gpcov_err(ctx, GPCOV_EUSAGE, "pair %zu: unit %u, practice %u, %g minutes "
                             "out of range", k + 1, (unsigned)pairs[k].unit,
                             (unsigned)pairs[k].practice, (double)pairs[k].minutes);
    return GPCOV_OK;
}

gpcov_status gpcov_coverage_assign(gpcov_ctx *ctx, size_t nunit, const double *demand,
                                   size_t nprac, const double *capacity,
                                   struct gpcov_cover_pair *pairs, size_t npairs,
                                   struct gpcov_cover_result *r)
{
    gpcov_status st = check_inputs(ctx, nunit, demand, nprac, capacity, pairs, npairs);
    if (st)
        return st;
    double *rem = malloc((nprac ? nprac : 1) * sizeof *rem);
    if (!rem)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < nunit; i++) {
        r->unserved[i] = demand[i];
        r->first[i] = -1;
        r->first_minutes[i] = NAN;
        r->reached[i] = 0;
    }
    for (size_t j = 0; j < nprac; j++)
        rem[j] = isnan(capacity[j]) ? 0 : capacity[j];
    gpcov_coverage_sort(pairs, npairs);
    for (size_t k = 0; k < npairs; k++) {
        uint32_t i = pairs[k].unit, j = pairs[k].practice;
        if (capacity[j] > 0)
            r->reached[i] = 1; /* a practice with capacity within reach */
        double a = fmin(r->unserved[i], rem[j]);
        if (!(a > 0))
            continue;
        r->unserved[i] -= a;
        rem[j] -= a;
        if (r->first[i] < 0)
            r->first[i] = (int32_t)j, r->first_minutes[i] = pairs[k].minutes;
    }
    r->served_total = r->demand_total = r->assigned_total = 0;
    for (size_t i = 0; i < nunit; i++) {
        r->served[i] = demand[i] - r->unserved[i];
        r->served_total += r->served[i];
        r->demand_total += demand[i];
    }
    for (size_t j = 0; j < nprac; j++) {
        double cap = isnan(capacity[j]) ? 0 : capacity[j];
        r->assigned[j] = cap - rem[j];
        r->remaining[j] = isnan(capacity[j]) ? NAN : rem[j];
        r->assigned_total += r->assigned[j];
    }
    free(rem);
    return GPCOV_OK;
}

gpcov_status gpcov_coverage_result_alloc(gpcov_ctx *ctx, size_t nunit, size_t nprac,
                                         struct gpcov_cover_result *r)
{
    memset(r, 0, sizeof *r);
    size_t nu = nunit ? nunit : 1, np = nprac ? nprac : 1;
    r->served = malloc(nu * sizeof *r->served);
    r->unserved = malloc(nu * sizeof *r->unserved);
    r->first = malloc(nu * sizeof *r->first);
    r->first_minutes = malloc(nu * sizeof *r->first_minutes);
    r->reached = malloc(nu);
    r->assigned = malloc(np * sizeof *r->assigned);
    r->remaining = malloc(np * sizeof *r->remaining);
    if (!r->served || !r->unserved || !r->first || !r->first_minutes || !r->reached ||
        !r->assigned || !r->remaining) {
        gpcov_coverage_result_clear(r);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    return GPCOV_OK;
}

void gpcov_coverage_result_clear(struct gpcov_cover_result *r)
{
    if (!r)
        return;
    free(r->served), free(r->unserved), free(r->first), free(r->first_minutes);
    free(r->reached), free(r->assigned), free(r->remaining);
    memset(r, 0, sizeof *r);
}

gpcov_status gpcov_coverage_matrix(gpcov_ctx *ctx, size_t nunit, const double *demand,
                                   size_t nprac, const double *capacity, const float *minutes,
                                   double max_minutes, struct gpcov_cover_result *r)
{
    size_t n = 0;
    for (size_t k = 0; k < nunit * nprac; k++)
        n += minutes[k] <= max_minutes;
    struct gpcov_cover_pair *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    n = 0;
    for (size_t j = 0; j < nprac; j++)
        for (size_t i = 0; i < nunit; i++)
            if (minutes[j * nunit + i] <= max_minutes)
                p[n++] = (struct gpcov_cover_pair){minutes[j * nunit + i], (uint32_t)j,
                                                   (uint32_t)i};
    gpcov_status st = gpcov_coverage_assign(ctx, nunit, demand, nprac, capacity, p, n, r);
    free(p);
    return st;
}
