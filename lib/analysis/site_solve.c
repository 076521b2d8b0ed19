/*
** site_solve.c: gpcov_site_solve, which k new sites among candidates do
** the most good with the existing sites kept open.
**
** Exact (site_exact.c) when C(ncand, k) <= exact_limit (or asked for;
** for CAPACITY, whose every set is a sweep of the pairs, AUTO also needs
** C(ncand, k) x pairs <= 2e9): COVER and MEDIAN by a branch and bound
** whose bound is the submodular one below, so a set is only skipped when
** it is proven no better; CAPACITY by evaluating every set.  Ties go to
** the set of the lowest candidate indices.
** Heuristic otherwise: lazy greedy (site_greedy.c; ties to the lower
** index), then best-improvement swaps (site_swap.c: the best exchange of
** a chosen site for a candidate, repeated while it improves, at most 100
** times; for CAPACITY only while a pass stays within 4e9 pair visits).
** Bound: COVER and MEDIAN's saving over the existing sites are monotone
** submodular in the set, so for any set S and the optimum O,
** f(O) <= f(S u O) <= f(S) + sum over o in O of gain(o | S) <= f(S) +
** the k largest gains w.r.t. S; the solver takes the least such value
** over the sets it meets (an old gain bounds the current one, so the lazy
** heap's keys serve too; COVER's is also at most the demand any site
** reaches).  For MEDIAN that is a lower bound on the cost.
** CAPACITY is not submodular; its bound is min(the demand within reach
** of an existing or candidate site, the capacity of the existing sites
** plus the k largest candidate capacities), both valid for any k-set.
** The gains: the chosen sites re-ordered greedily (each the largest gain
** given those before it), except CAPACITY with no swap made, which keeps
** the greedy's own order.
** Growth: a gain reads its candidate's pairs, so the greedy costs about
** (ncand + k x re-evaluations) x pairs per candidate and a swap pass
** k x all candidate pairs: linear in candidates and pairs, about linear
** in k.  The exact search is at most C(ncand, k) x pairs per candidate,
** in practice far less after the bound.  Each CAPACITY evaluation sweeps
** the pairs of the open sites (existing included), tens of them for a
** greedy.  Measured (tests/bench/bench_site.sh, 2 shared cores): k = 10
** of 1,000 candidates, 1,600 existing, 1 km cells: 0.4 s at 30 min (4 M
** pairs), 1.4 s at 60 min (15 M); 250 m cells 5 s (66 M); CAPACITY 3 s
** at 1 km and 30 min, but over 5 minutes on 250 m cells (66 M pairs: up
** to every candidate's sweep in a round).
*/
#include "gpcov.h"
#include "site_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* AUTO and CAPACITY: exact only when all sets' sweeps stay within this
** many pair visits (about half a minute) */
#define CAPACITY_EXACT_WORK 2e9

void gpcov_site_result_clear(struct gpcov_site_result *r)
{
    if (!r)
        return;
    free(r->chosen), free(r->gain);
    memset(r, 0, sizeof *r);
}

gpcov_status site_order(gpcov_ctx *ctx, struct site_ix *ix, size_t k, uint32_t *set,
                        double *gain)
{
    float *cur = malloc((ix->nunit ? ix->nunit : 1) * sizeof *cur);
    if (!cur)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    site_state_init(ix, cur);
    double score = ix->obj == GPCOV_SITE_CAPACITY ? site_cap_score(ix, NULL, 0)
                                                  : site_state_score(ix, cur);
    for (size_t r = 0; r < k; r++) {
        size_t best = r;
        double bg = -INFINITY;
        for (size_t s = r; s < k; s++) {
            uint32_t t = set[r];
            set[r] = set[s], set[s] = t;
            double g = ix->obj == GPCOV_SITE_CAPACITY ? site_cap_score(ix, set, r + 1) - score
                                                      : site_gain(ix, set[r], cur);
            set[s] = set[r], set[r] = t;
            if (g > bg || (g == bg && set[s] < set[best]))
                bg = g, best = s;
        }
        uint32_t t = set[r];
        set[r] = set[best], set[best] = t;
        gain[r] = bg;
        if (ix->obj == GPCOV_SITE_CAPACITY)
            score += bg;
        else
            site_apply(ix, set[r], cur);
    }
    free(cur);
    return GPCOV_OK;
}

/* CAPACITY when no swap was made: the greedy's own order kept (k sweeps
** instead of site_order's k(k+1)/2), each site's gain what it adds to
** those before it */
static void gains_along(struct site_ix *ix, size_t k, const uint32_t *set, double *gain,
                        float *cur)
{
    double prev = site_set_score(ix, NULL, 0, cur);
    for (size_t r = 0; r < k; r++) {
        double now = site_set_score(ix, set, r + 1, cur);
        gain[r] = now - prev, prev = now;
    }
}

/* COVER: no set covers more than the demand any site reaches */
static double cover_reach(const struct site_ix *ix)
{
    float *cur = malloc((ix->nunit ? ix->nunit : 1) * sizeof *cur);
    if (!cur)
        return INFINITY;
    site_state_init(ix, cur);
    for (uint32_t c = 0; c < ix->ncand; c++)
        site_apply(ix, c, cur);
    double v = site_state_score(ix, cur);
    free(cur);
    return v;
}

/* CAPACITY: min(demand within reach of any site, existing capacity + the
** k largest candidate capacities) */
static double capacity_bound(const struct site_ix *ix, size_t k)
{
    const struct gpcov_site_problem *p = ix->p;
    unsigned char *in = calloc(ix->nunit ? ix->nunit : 1, 1);
    double *cc = malloc((ix->ncand ? ix->ncand : 1) * sizeof *cc);
    if (!in || !cc) {
        free(in), free(cc);
        return NAN;
    }
    double reach = 0, cap = 0;
    for (size_t q = 0; q < p->npairs; q++)
        if (ix->cap[p->pairs[q].practice] > 0 && !in[p->pairs[q].unit])
            in[p->pairs[q].unit] = 1, reach += p->demand[p->pairs[q].unit];
    for (size_t j = ix->ncand; j < ix->nsite; j++)
        cap += ix->cap[j];
    memcpy(cc, ix->cap, ix->ncand * sizeof *cc);
    for (size_t a = 0; a < k; a++) {
        size_t m = a;
        for (size_t b = a + 1; b < ix->ncand; b++)
            if (cc[b] > cc[m])
                m = b;
        cap += cc[m], cc[m] = cc[a];
    }
    free(in), free(cc);
    return fmin(reach, cap);
}

static gpcov_status check_opts(gpcov_ctx *ctx, const struct gpcov_site_problem *p,
                               const struct gpcov_site_opts *o, double limit, int *exact)
{
    if (o->k > p->ncand)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: %zu new sites asked for among only "
                         "%zu candidates", o->k, p->ncand);
    if (!(o->exact_limit >= 0))
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: exact limit %g is not a number >= 0",
                         o->exact_limit);
    double sets = site_choose(p->ncand, o->k);
    int cheap = o->objective != GPCOV_SITE_CAPACITY ||
                sets * (double)(p->npairs + 1) <= CAPACITY_EXACT_WORK;
    *exact = o->method == GPCOV_SITE_EXACT ||
             (o->method == GPCOV_SITE_AUTO && sets <= limit && cheap);
    if (o->method == GPCOV_SITE_EXACT && sets > limit * 100)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: %.4g sets of %zu among %zu "
                         "candidates: too many to compare them all (limit %g)", sets, o->k,
                         p->ncand, limit * 100);
    if (o->method != GPCOV_SITE_AUTO && o->method != GPCOV_SITE_EXACT &&
        o->method != GPCOV_SITE_HEURISTIC)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: unknown method %d", (int)o->method);
    return GPCOV_OK;
}

static void describe(struct gpcov_site_result *r, const struct site_ix *ix, double sets)
{
    char how[48];
    if (ix->swap_skipped > 0)
        snprintf(how, sizeof how, "greedy (no swaps: %.2g pair visits a pass)",
                 ix->swap_skipped);
    else
        snprintf(how, sizeof how, "greedy + %zu swaps", r->swaps);
    if (r->exact && (double)r->evaluated >= sets) {
        snprintf(r->method, sizeof r->method, "exact: all %.15g sets of %zu among %zu compared",
                 sets, r->k, ix->ncand);
        return;
    }
    if (r->exact) {
        snprintf(r->method, sizeof r->method, "exact: best of %.15g sets of %zu among %zu "
                 "(%zu evaluated, the rest bounded out)", sets, r->k, ix->ncand, r->evaluated);
        return;
    }
    if (isnan(r->bound)) {
        snprintf(r->method, sizeof r->method, "%s; no bound proven", how);
        return;
    }
    double gap = ix->obj == GPCOV_SITE_MEDIAN ? r->after - r->bound : r->bound - r->after;
    double rel = r->after != 0 ? 100 * gap / fabs(r->after) : 0;
    snprintf(r->method, sizeof r->method, "%s; bound %.0f (gap %.2g %%)", how, r->bound, rel);
}

static gpcov_status solve(gpcov_ctx *ctx, struct site_ix *ix, const struct gpcov_site_opts *o,
                          int exact, struct gpcov_site_result *r)
{
    size_t k = o->k;
    double score, bound;
    float *cur = malloc((ix->nunit ? ix->nunit : 1) * sizeof *cur);
    if (!cur)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    r->before = site_value_of(ix, site_set_score(ix, NULL, 0, cur));
    gpcov_status st = site_greedy(ctx, ix, k, r->chosen, &score, &bound, &r->evaluated);
    if (!st && exact)
        r->evaluated = 0, st = site_exact(ctx, ix, k, r->chosen, &score, &r->evaluated);
    else if (!st)
        st = site_swap(ctx, ix, k, r->chosen, &score, &bound, &r->swaps, &r->evaluated);
    if (!st && (exact || r->swaps > 0 || ix->obj != GPCOV_SITE_CAPACITY))
        st = site_order(ctx, ix, k, r->chosen, r->gain);
    else if (!st)
        gains_along(ix, k, r->chosen, r->gain, cur);
    if (!st)
        r->after = site_value_of(ix, site_set_score(ix, r->chosen, k, cur));
    free(cur);
    if (exact)
        r->bound = r->after, r->exact = 1;
    else if (ix->obj == GPCOV_SITE_CAPACITY)
        r->bound = fmax(capacity_bound(ix, k), r->after);
    else if (ix->obj == GPCOV_SITE_MEDIAN)
        r->bound = fmin(-bound, r->after);
    else
        r->bound = fmax(fmin(bound, cover_reach(ix)), r->after);
    return st;
}

gpcov_status gpcov_site_solve(gpcov_ctx *ctx, const struct gpcov_site_problem *p,
                              const struct gpcov_site_opts *o, struct gpcov_site_result *r)
{
    memset(r, 0, sizeof *r);
    struct site_ix ix;
    double limit = o->exact_limit > 0 ? o->exact_limit : 1e6;
    int exact = 0;
    gpcov_status st = site_ix_build(ctx, p, o->objective, &ix);
    if (st)
        return st;
    st = check_opts(ctx, p, o, limit, &exact);
    if (!st) {
        r->k = o->k;
        r->chosen = malloc((o->k ? o->k : 1) * sizeof *r->chosen);
        r->gain = malloc((o->k ? o->k : 1) * sizeof *r->gain);
        if (!r->chosen || !r->gain)
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    if (!st)
        st = solve(ctx, &ix, o, exact, r);
    if (!st)
        describe(r, &ix, site_choose(p->ncand, o->k));
    site_ix_free(&ix);
    if (st)
        gpcov_site_result_clear(r);
    return st;
}
