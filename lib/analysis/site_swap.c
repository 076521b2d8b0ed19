/*
** site_swap.c: swap improvement after the greedy, best improvement: of
** every exchange of a chosen site for a candidate not chosen, the one
** that raises the score most (ties: the earlier chosen slot, then the
** lower candidate) is made, and again, while one raises it by more than
** rounding, at most SWAP_MAX times.
** COVER and MEDIAN keep per unit the best and second best minutes over
** the open sites (the existing ones as one) and which chosen slot gives
** the best; taking slot s out then changes only the units s is best for,
** and each candidate's gain on that state reads its own pairs: one pass
** costs k x all candidate pairs.  The final set's gains give the bound.
** CAPACITY has no such shortcut: every exchange is a sweep, so it swaps
** only while a pass stays within SWAP_WORK pair visits.
*/
#include "gpcov.h"
#include "site_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SWAP_MAX 100
#define SWAP_WORK 4e9

struct sw {
    struct site_ix *ix;
    size_t k;
    uint32_t *set;
    float *b1, *b2;    /* best and second best minutes per unit     */
    int32_t *who;      /* the chosen slot giving b1, -1 existing     */
    unsigned char *in; /* per candidate: chosen                      */
};

static void two_best(struct sw *w)
{
    const struct site_ix *ix = w->ix;
    for (size_t i = 0; i < ix->nunit; i++)
        w->b1[i] = ix->base[i], w->b2[i] = INFINITY, w->who[i] = -1;
    for (size_t s = 0; s < w->k; s++) {
        uint32_t c = w->set[s];
        for (size_t q = ix->off[c]; q < ix->off[c + 1]; q++) {
            uint32_t i = ix->unit[q];
            float t = ix->min[q];
            if (t < w->b1[i])
                w->b2[i] = w->b1[i], w->b1[i] = t, w->who[i] = (int32_t)s;
            else if (t < w->b2[i])
                w->b2[i] = t;
        }
    }
}

/* the score lost when slot s closes; b1 becomes the state without s
** (undone by restore) */
static double take_out(struct sw *w, size_t s)
{
    const struct site_ix *ix = w->ix;
    double loss = 0;
    uint32_t c = w->set[s];
    for (size_t q = ix->off[c]; q < ix->off[c + 1]; q++) {
        uint32_t i = ix->unit[q];
        if (w->who[i] != (int32_t)s || w->b1[i] != ix->min[q])
            continue;
        double d = ix->p->demand[i];
        if (ix->obj == GPCOV_SITE_COVER)
            loss += isinf(w->b2[i]) ? d : 0;
        else
            loss += d * ((isinf(w->b2[i]) ? ix->pen : w->b2[i]) - w->b1[i]);
        w->b1[i] = w->b2[i];
    }
    return loss;
}

static void restore(struct sw *w, size_t s)
{
    const struct site_ix *ix = w->ix;
    uint32_t c = w->set[s];
    for (size_t q = ix->off[c]; q < ix->off[c + 1]; q++)
        if (w->who[ix->unit[q]] == (int32_t)s && ix->min[q] < w->b1[ix->unit[q]])
            w->b1[ix->unit[q]] = ix->min[q];
}

/* one pass: the best exchange and its change of score */
static double best_exchange(struct sw *w, size_t *bs, uint32_t *bc, size_t *evaluated)
{
    double best = -INFINITY;
    for (size_t s = 0; s < w->k; s++) {
        double loss = take_out(w, s);
        for (uint32_t c = 0; c < w->ix->ncand; c++) {
            if (w->in[c])
                continue;
            double delta = site_gain(w->ix, c, w->b1) - loss;
            (*evaluated)++;
            if (delta > best)
                best = delta, *bs = s, *bc = c;
        }
        restore(w, s);
    }
    return best;
}

static gpcov_status swap_submodular(gpcov_ctx *ctx, struct sw *w, double *score,
                                    double *bound, size_t *swaps, size_t *evaluated)
{
    struct site_ix *ix = w->ix;
    size_t n = ix->nunit ? ix->nunit : 1;
    w->b1 = malloc(n * sizeof *w->b1);
    w->b2 = malloc(n * sizeof *w->b2);
    w->who = malloc(n * sizeof *w->who);
    double *work = malloc((ix->ncand ? ix->ncand : 1) * sizeof *work);
    if (!w->b1 || !w->b2 || !w->who || !work) {
        free(w->b1), free(w->b2), free(w->who), free(work);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    two_best(w);
    while (*swaps < SWAP_MAX && w->k > 0 && w->k < ix->ncand) {
        size_t s = 0;
        uint32_t c = 0;
        if (!(best_exchange(w, &s, &c, evaluated) > ix->eps))
            break;
        w->in[w->set[s]] = 0, w->in[c] = 1, w->set[s] = c;
        (*swaps)++;
        two_best(w);
    }
    *score = site_state_score(ix, w->b1);
    *bound = fmin(*bound, site_topk_bound(ix, w->b1, *score, w->k, work));
    *evaluated += ix->ncand;
    free(w->b1), free(w->b2), free(w->who), free(work);
    return GPCOV_OK;
}

static void swap_capacity(struct sw *w, double *score, size_t *swaps, size_t *evaluated)
{
    struct site_ix *ix = w->ix;
    double pass = (double)w->k * (double)ix->ncand *
                  ((double)ix->nexist + (double)ix->off[ix->ncand]);
    if (pass > SWAP_WORK)
        ix->swap_skipped = pass;
    while (*swaps < SWAP_MAX && w->k > 0 && w->k < ix->ncand && pass <= SWAP_WORK) {
        double best = -INFINITY;
        size_t bs = 0;
        uint32_t bc = 0;
        for (size_t s = 0; s < w->k; s++) {
            uint32_t old = w->set[s];
            for (uint32_t c = 0; c < ix->ncand; c++) {
                if (w->in[c])
                    continue;
                w->set[s] = c;
                double delta = site_cap_score(ix, w->set, w->k) - *score;
                (*evaluated)++;
                if (delta > best)
                    best = delta, bs = s, bc = c;
            }
            w->set[s] = old;
        }
        if (!(best > ix->eps))
            break;
        w->in[w->set[bs]] = 0, w->in[bc] = 1, w->set[bs] = bc;
        *score = site_cap_score(ix, w->set, w->k);
        (*swaps)++;
    }
}

gpcov_status site_swap(gpcov_ctx *ctx, struct site_ix *ix, size_t k, uint32_t *set,
                       double *score, double *bound, size_t *swaps, size_t *evaluated)
{
    struct sw w = {.ix = ix, .k = k, .set = set};
    w.in = calloc(ix->ncand ? ix->ncand : 1, 1);
    if (!w.in)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t s = 0; s < k; s++)
        w.in[set[s]] = 1;
    gpcov_status st = GPCOV_OK;
    if (ix->obj == GPCOV_SITE_CAPACITY)
        swap_capacity(&w, score, swaps, evaluated);
    else
        st = swap_submodular(ctx, &w, score, bound, swaps, evaluated);
    free(w.in);
    return st;
}
