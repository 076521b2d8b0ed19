/*
** site_greedy.c: the greedy choice, lazily.  Each candidate waits in a
** max-heap under the last gain computed for it (ties: the lower index
** first).  A round takes the top; when its gain is from an older round it
** is computed again and sifted down, else it is the round's choice.  For
** COVER and MEDIAN a gain can only fall as sites open (the score is
** submodular), so an old gain is an upper bound and the choice is exactly
** the plain greedy's, at a fraction of the gains; the old gains also give
** a bound on the optimum at every round (site_topk_bound's argument).
** CAPACITY is not submodular: its heap starts from min(capacity, demand
** within reach) and a choice is the best of the gains computed so far,
** which is a heuristic like the rest.  site_order is the plain greedy on
** a given set, to give each chosen site its gain.
*/
#include "gpcov.h"
#include "site_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct hent {
    double g;
    uint32_t c, round;
};

static int before(const struct hent *a, const struct hent *b)
{
    return a->g > b->g || (a->g == b->g && a->c < b->c);
}

static void sift_down(struct hent *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && before(&h[l], &h[m]))
            m = l;
        if (r < n && before(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        struct hent t = h[i];
        h[i] = h[m], h[m] = t, i = m;
    }
}

/* the sum of the k largest of v[0..n) (v is reordered) */
static double top_sum(double *v, size_t n, size_t k)
{
    double s = 0;
    for (size_t a = 0; a < k && a < n; a++) {
        size_t m = a;
        for (size_t b = a + 1; b < n; b++)
            if (v[b] > v[m])
                m = b;
        double t = v[a];
        v[a] = v[m], v[m] = t;
        s += v[a] > 0 ? v[a] : 0;
    }
    return s;
}

double site_topk_bound(const struct site_ix *ix, const float *cur, double f, size_t k,
                       double *work)
{
    for (uint32_t c = 0; c < ix->ncand; c++)
        work[c] = site_gain(ix, c, cur);
    return f + top_sum(work, ix->ncand, k);
}

static double first_key(struct site_ix *ix, uint32_t c, const float *cur)
{
    if (ix->obj != GPCOV_SITE_CAPACITY)
        return site_gain(ix, c, cur);
    double reach = 0;
    for (size_t k = ix->off[c]; k < ix->off[c + 1]; k++)
        reach += ix->p->demand[ix->unit[k]];
    return fmin(reach, ix->cap[c]);
}

static double fresh_gain(struct site_ix *ix, uint32_t c, const float *cur, uint32_t *set,
                         size_t r, double score)
{
    if (ix->obj != GPCOV_SITE_CAPACITY)
        return site_gain(ix, c, cur);
    set[r] = c;
    return site_cap_score(ix, set, r + 1) - score;
}

/* the bound from the heap's (old, so larger) gains at a round */
static double heap_bound(const struct hent *h, size_t n, double score, size_t k, double *work)
{
    for (size_t a = 0; a < n; a++)
        work[a] = h[a].g;
    return score + top_sum(work, n, k);
}

static void greedy_rounds(struct site_ix *ix, size_t k, uint32_t *set, struct hent *h,
                          float *cur, double *score, double *bound, double *work,
                          size_t *evaluated)
{
    size_t n = ix->ncand;
    for (uint32_t r = 1; r <= k; r++) {
        if (ix->obj != GPCOV_SITE_CAPACITY)
            *bound = fmin(*bound, heap_bound(h, n, *score, k, work));
        while (h[0].round != r) {
            h[0].g = fresh_gain(ix, h[0].c, cur, set, r - 1, *score);
            h[0].round = r;
            (*evaluated)++;
            sift_down(h, n, 0);
        }
        set[r - 1] = h[0].c;
        if (ix->obj == GPCOV_SITE_CAPACITY)
            *score += h[0].g;
        else
            site_apply(ix, h[0].c, cur), *score = site_state_score(ix, cur);
        h[0] = h[--n];
        sift_down(h, n, 0);
    }
    if (ix->obj == GPCOV_SITE_CAPACITY)
        *score = site_cap_score(ix, set, k);
}

gpcov_status site_greedy(gpcov_ctx *ctx, struct site_ix *ix, size_t k, uint32_t *set,
                         double *score, double *bound, size_t *evaluated)
{
    size_t n = ix->ncand;
    struct hent *h = malloc((n ? n : 1) * sizeof *h);
    float *cur = malloc((ix->nunit ? ix->nunit : 1) * sizeof *cur);
    double *work = malloc((n ? n : 1) * sizeof *work);
    if (!h || !cur || !work) {
        free(h), free(cur), free(work);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    site_state_init(ix, cur);
    *score = ix->obj == GPCOV_SITE_CAPACITY ? site_cap_score(ix, NULL, 0)
                                            : site_state_score(ix, cur);
    *bound = INFINITY;
    for (uint32_t c = 0; c < n; c++)
        h[c] = (struct hent){first_key(ix, c, cur), c, 0};
    for (size_t i = n / 2; i-- > 0;)
        sift_down(h, n, i);
    greedy_rounds(ix, k, set, h, cur, score, bound, work, evaluated);
    if (ix->obj != GPCOV_SITE_CAPACITY) {
        *bound = fmin(*bound, site_topk_bound(ix, cur, *score, k, work));
        *evaluated += n;
    }
    free(h), free(cur), free(work);
    return GPCOV_OK;
}
