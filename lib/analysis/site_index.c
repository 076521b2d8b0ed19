/*
** site_index.c: an instance of site choice checked and indexed once.
** The candidates' pairs go into a compressed row per candidate (unit and
** minutes, 8 bytes a pair; for CAPACITY in (minutes, unit) order, the
** candidate's part of the nearest-first processing order, else in unit
** order, whatever the input's order, so that a gain reads the per-unit
** state in memory order and sums in the same order every time); the existing
** sites, always open, are folded into one best time per unit, and for
** CAPACITY their pairs are kept sorted in the processing order of
** gpcov_coverage_assign (minutes, site, unit).
*/
#include "gpcov.h"
#include "site_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static gpcov_status check_sizes(gpcov_ctx *ctx, const struct gpcov_site_problem *p,
                                enum gpcov_site_objective obj)
{
    if (p->ncand > p->nsite)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: %zu candidates among only %zu sites",
                         p->ncand, p->nsite);
    if (p->nunit > UINT32_MAX || p->nsite > UINT32_MAX)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: %zu units and %zu sites: too many",
                         p->nunit, p->nsite);
    if (!(p->max_minutes > 0) || !isfinite(p->max_minutes))
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: max minutes %g is not a number > 0",
                         p->max_minutes);
    if (p->penalty_minutes != 0 &&
        (!(p->penalty_minutes >= p->max_minutes) || !isfinite(p->penalty_minutes)))
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: penalty minutes %g is not 0 or a "
                         "number >= the max minutes %g (a unit no site reaches must not cost "
                         "less than one reached)", p->penalty_minutes, p->max_minutes);
    if (obj == GPCOV_SITE_CAPACITY && !p->capacity)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: capacity-aware coverage needs the "
                         "sites' capacities");
    if (obj != GPCOV_SITE_COVER && obj != GPCOV_SITE_MEDIAN && obj != GPCOV_SITE_CAPACITY)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: unknown objective %d", (int)obj);
    return GPCOV_OK;
}

static gpcov_status check_values(gpcov_ctx *ctx, const struct gpcov_site_problem *p,
                                 enum gpcov_site_objective obj)
{
    for (size_t i = 0; i < p->nunit; i++)
        if (!(p->demand[i] >= 0) || !isfinite(p->demand[i]))
            return gpcov_err(ctx, GPCOV_EINPUT, "site choice: demand unit %zu: demand %g is "
                             "not a number >= 0", i + 1, p->demand[i]);
    for (size_t j = 0; obj == GPCOV_SITE_CAPACITY && j < p->nsite; j++)
        if (!isnan(p->capacity[j]) && (!(p->capacity[j] >= 0) || !isfinite(p->capacity[j])))
            return gpcov_err(ctx, GPCOV_EINPUT, "site choice: site %zu: capacity %g is not a "
                             "number >= 0", j + 1, p->capacity[j]);
    for (size_t k = 0; k < p->npairs; k++) {
        const struct gpcov_cover_pair *q = &p->pairs[k];
        if (q->unit >= p->nunit || q->practice >= p->nsite || !(q->minutes >= 0) ||
            !(q->minutes <= p->max_minutes))
            return gpcov_err(ctx, GPCOV_EUSAGE, "site choice: pair %zu: unit %u of %zu, site "
                             "%u of %zu, %g minutes (limit %g): out of range", k + 1,
                             (unsigned)q->unit, p->nunit, (unsigned)q->practice, p->nsite,
                             (double)q->minutes, p->max_minutes);
    }
    return GPCOV_OK;
}

struct mu {
    float m;
    uint32_t u;
};

static int mu_cmp(const void *a, const void *b)
{
    const struct mu *x = a, *y = b;
    if (x->m != y->m)
        return x->m < y->m ? -1 : 1;
    return (x->u > y->u) - (x->u < y->u);
}

static int u_cmp(const void *a, const void *b)
{
    const struct mu *x = a, *y = b;
    if (x->u != y->u)
        return (x->u > y->u) - (x->u < y->u);
    return (x->m > y->m) - (x->m < y->m);
}

/* each candidate's row sorted: by (minutes, unit) for CAPACITY's sweep,
** else by unit, so that a gain reads the units' state in memory order */
static gpcov_status sort_rows(gpcov_ctx *ctx, struct site_ix *ix)
{
    size_t longest = 0;
    for (size_t c = 0; c < ix->ncand; c++)
        if (ix->off[c + 1] - ix->off[c] > longest)
            longest = ix->off[c + 1] - ix->off[c];
    struct mu *t = malloc((longest ? longest : 1) * sizeof *t);
    if (!t)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t c = 0; c < ix->ncand; c++) {
        size_t a = ix->off[c], n = ix->off[c + 1] - a;
        for (size_t k = 0; k < n; k++)
            t[k] = (struct mu){ix->min[a + k], ix->unit[a + k]};
        qsort(t, n, sizeof *t, ix->obj == GPCOV_SITE_CAPACITY ? mu_cmp : u_cmp);
        for (size_t k = 0; k < n; k++)
            ix->min[a + k] = t[k].m, ix->unit[a + k] = t[k].u;
    }
    free(t);
    return GPCOV_OK;
}

static gpcov_status fill_rows(gpcov_ctx *ctx, struct site_ix *ix)
{
    const struct gpcov_site_problem *p = ix->p;
    size_t *fill = calloc(ix->ncand + 1, sizeof *fill);
    if (!fill)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t k = 0; k < p->npairs; k++)
        if (p->pairs[k].practice < ix->ncand)
            ix->off[p->pairs[k].practice + 1]++;
    for (size_t c = 0; c < ix->ncand; c++)
        ix->off[c + 1] += ix->off[c];
    size_t n = ix->off[ix->ncand];
    ix->unit = malloc((n ? n : 1) * sizeof *ix->unit);
    ix->min = malloc((n ? n : 1) * sizeof *ix->min);
    if (!ix->unit || !ix->min) {
        free(fill);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < p->npairs; k++) {
        const struct gpcov_cover_pair *q = &p->pairs[k];
        if (q->practice < ix->ncand) {
            size_t at = ix->off[q->practice] + fill[q->practice]++;
            ix->unit[at] = q->unit, ix->min[at] = q->minutes;
        } else if (q->minutes < ix->base[q->unit])
            ix->base[q->unit] = q->minutes;
    }
    free(fill);
    return sort_rows(ctx, ix);
}

/* CAPACITY: the existing sites' pairs sorted, capacities, work space */
static gpcov_status capacity_part(gpcov_ctx *ctx, struct site_ix *ix)
{
    const struct gpcov_site_problem *p = ix->p;
    ix->nexist = p->npairs - ix->off[ix->ncand];
    ix->exist = malloc((ix->nexist ? ix->nexist : 1) * sizeof *ix->exist);
    ix->cap = malloc((ix->nsite ? ix->nsite : 1) * sizeof *ix->cap);
    ix->rem_site = malloc((ix->nsite ? ix->nsite : 1) * sizeof *ix->rem_site);
    ix->rem_unit = malloc((ix->nunit ? ix->nunit : 1) * sizeof *ix->rem_unit);
    ix->head = malloc((ix->ncand ? ix->ncand : 1) * sizeof *ix->head);
    ix->open_c = malloc((ix->ncand ? ix->ncand : 1) * sizeof *ix->open_c);
    if (!ix->exist || !ix->cap || !ix->rem_site || !ix->rem_unit || !ix->head || !ix->open_c)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t k = 0; k < p->npairs; k++)
        if (p->pairs[k].practice >= ix->ncand)
            ix->exist[n++] = p->pairs[k];
    gpcov_coverage_sort(ix->exist, n);
    for (size_t j = 0; j < ix->nsite; j++)
        ix->cap[j] = isnan(p->capacity[j]) ? 0 : p->capacity[j];
    return GPCOV_OK;
}

gpcov_status site_ix_build(gpcov_ctx *ctx, const struct gpcov_site_problem *p,
                           enum gpcov_site_objective obj, struct site_ix *ix)
{
    memset(ix, 0, sizeof *ix);
    gpcov_status st = check_sizes(ctx, p, obj);
    if (!st)
        st = check_values(ctx, p, obj);
    if (st)
        return st;
    ix->p = p, ix->obj = obj;
    ix->nunit = p->nunit, ix->ncand = p->ncand, ix->nsite = p->nsite;
    ix->pen = p->penalty_minutes > 0 ? p->penalty_minutes : p->max_minutes;
    double total = 0;
    for (size_t i = 0; i < p->nunit; i++)
        total += p->demand[i];
    ix->eps = 1e-9 * (total * (obj == GPCOV_SITE_MEDIAN ? ix->pen : 1) + 1);
    ix->off = calloc(ix->ncand + 1, sizeof *ix->off);
    ix->base = malloc((ix->nunit ? ix->nunit : 1) * sizeof *ix->base);
    if (!ix->off || !ix->base)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; !st && i < ix->nunit; i++)
        ix->base[i] = INFINITY;
    if (!st)
        st = fill_rows(ctx, ix);
    if (!st && obj == GPCOV_SITE_CAPACITY)
        st = capacity_part(ctx, ix);
    if (st)
        site_ix_free(ix);
    return st;
}

void site_ix_free(struct site_ix *ix)
{
    free(ix->off), free(ix->unit), free(ix->min), free(ix->base);
    free(ix->exist), free(ix->cap), free(ix->rem_unit), free(ix->rem_site);
    free(ix->head), free(ix->open_c);
    memset(ix, 0, sizeof *ix);
}

double site_choose(size_t n, size_t k)
{
    if (k > n)
        return 0;
    if (k > n - k)
        k = n - k;
    double c = 1;
    for (size_t i = 1; i <= k && isfinite(c); i++)
        c = c * (double)(n - k + i) / (double)i;
    return round(c);
}
