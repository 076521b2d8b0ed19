/*
** site_value.c: the objective of site choice for one open set.  COVER
** and MEDIAN work on the per-unit state cur[] (the best minutes over the
** open sites): a candidate's gain reads only its own row of pairs, so the
** work of a gain is the number of units it reaches.  CAPACITY runs the
** nearest-first sweep of gpcov_coverage_assign over the pairs of the open
** sites only: the existing sites' pairs, already in the processing order,
** merged with the rows of the open candidates (minutes, then site, then
** unit, as coverage.c sorts them), with the same arithmetic, so the
** served total is the one gpcov_coverage_assign gives for the same sites.
*/
#include "gpcov.h"
#include "site_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void site_state_init(const struct site_ix *ix, float *cur)
{
    memcpy(cur, ix->base, ix->nunit * sizeof *cur);
}

double site_gain(const struct site_ix *ix, uint32_t c, const float *cur)
{
    const double *d = ix->p->demand;
    double g = 0;
    if (ix->obj == GPCOV_SITE_COVER) {
        for (size_t k = ix->off[c]; k < ix->off[c + 1]; k++)
            if (isinf(cur[ix->unit[k]]))
                g += d[ix->unit[k]];
        return g;
    }
    for (size_t k = ix->off[c]; k < ix->off[c + 1]; k++) {
        uint32_t i = ix->unit[k];
        double now = isinf(cur[i]) ? ix->pen : cur[i];
        if (ix->min[k] < now)
            g += d[i] * (now - ix->min[k]);
    }
    return g;
}

void site_apply(const struct site_ix *ix, uint32_t c, float *cur)
{
    for (size_t k = ix->off[c]; k < ix->off[c + 1]; k++)
        if (ix->min[k] < cur[ix->unit[k]])
            cur[ix->unit[k]] = ix->min[k];
}

double site_state_score(const struct site_ix *ix, const float *cur)
{
    const double *d = ix->p->demand;
    double s = 0;
    for (size_t i = 0; i < ix->nunit; i++)
        if (ix->obj == GPCOV_SITE_COVER)
            s += isinf(cur[i]) ? 0 : d[i];
        else
            s += d[i] * (isinf(cur[i]) ? ix->pen : cur[i]);
    return ix->obj == GPCOV_SITE_COVER ? s : -s;
}

double site_value_of(const struct site_ix *ix, double score)
{
    return ix->obj == GPCOV_SITE_MEDIAN ? -score : score;
}

static int key_less(float m, uint32_t s, uint32_t u, const struct gpcov_cover_pair *q)
{
    if (m != q->minutes)
        return m < q->minutes;
    if (s != q->practice)
        return s < q->practice;
    return u < q->unit;
}

static void take(struct site_ix *ix, uint32_t i, uint32_t j)
{
    double a = fmin(ix->rem_unit[i], ix->rem_site[j]);
    if (!(a > 0))
        return;
    ix->rem_unit[i] -= a;
    ix->rem_site[j] -= a;
}

/* the open candidate whose next pair comes first (on a tie of minutes
** the lowest index, open_c being sorted), or n when all are done */
static size_t next_row(const struct site_ix *ix, size_t n)
{
    size_t b = n;
    for (size_t s = 0; s < n; s++) {
        uint32_t c = ix->open_c[s];
        if (ix->head[s] >= ix->off[c + 1])
            continue;
        if (b == n)
            b = s;
        else {
            size_t h = ix->head[s], hb = ix->head[b];
            if (ix->min[h] < ix->min[hb])
                b = s;
        }
    }
    return b;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

double site_cap_score(struct site_ix *ix, const uint32_t *open, size_t n)
{
    if (n) {
        memcpy(ix->open_c, open, n * sizeof *open);
        qsort(ix->open_c, n, sizeof *open, cmp_u32);
    }
    memcpy(ix->rem_unit, ix->p->demand, ix->nunit * sizeof *ix->rem_unit);
    memcpy(ix->rem_site, ix->cap, ix->nsite * sizeof *ix->rem_site);
    for (size_t s = 0; s < n; s++)
        ix->head[s] = ix->off[ix->open_c[s]];
    size_t e = 0, b = next_row(ix, n);
    while (b < n) {
        uint32_t c = ix->open_c[b];
        size_t h = ix->head[b];
        while (e < ix->nexist && !key_less(ix->min[h], c, ix->unit[h], &ix->exist[e]))
            take(ix, ix->exist[e].unit, ix->exist[e].practice), e++;
        take(ix, ix->unit[h], c);
        ix->head[b]++;
        b = next_row(ix, n);
    }
    for (; e < ix->nexist; e++)
        take(ix, ix->exist[e].unit, ix->exist[e].practice);
    double served = 0;
    for (size_t i = 0; i < ix->nunit; i++)
        served += ix->p->demand[i] - ix->rem_unit[i];
    return served;
}

double site_set_score(struct site_ix *ix, const uint32_t *set, size_t n, float *cur)
{
    if (ix->obj == GPCOV_SITE_CAPACITY)
        return site_cap_score(ix, set, n);
    site_state_init(ix, cur);
    for (size_t s = 0; s < n; s++)
        site_apply(ix, set[s], cur);
    return site_state_score(ix, cur);
}

gpcov_status gpcov_site_value(gpcov_ctx *ctx, const struct gpcov_site_problem *p,
                              enum gpcov_site_objective obj, const uint32_t *open,
                              size_t nopen, double *value)
{
    struct site_ix ix;
    gpcov_status st = site_ix_build(ctx, p, obj, &ix);
    if (st)
        return st;
    uint32_t *set = malloc((nopen ? nopen : 1) * sizeof *set);
    unsigned char *seen = calloc(p->ncand ? p->ncand : 1, 1);
    float *cur = malloc((p->nunit ? p->nunit : 1) * sizeof *cur);
    if (!set || !seen || !cur)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t s = 0; !st && s < nopen; s++) {
        if (open[s] >= p->ncand)
            st = gpcov_err(ctx, GPCOV_EUSAGE, "site choice: open site %u is not one of the "
                           "%zu candidates", (unsigned)open[s], p->ncand);
        else if (!seen[open[s]])
            seen[open[s]] = 1, set[n++] = open[s];
    }
    if (!st)
        *value = site_value_of(&ix, site_set_score(&ix, set, n, cur));
    free(set), free(seen), free(cur);
    site_ix_free(&ix);
    return st;
}
