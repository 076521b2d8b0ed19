/*
** traveltime_reach.c: the cells one source reaches within a time limit,
** as a list (cell ascending, minutes), for analyses that run thousands of
** sources one at a time over the whole grid (the catchments of gpcov
** access).  A whole-grid run per source costs a pass over every cell
** however small the catchment; here the straight line computes only the
** cells of the square around the source that holds the limit's circle,
** and the friction search stops at the limit and resets only the cells it
** settled (costdist.c, gpcov_costreach).  The minutes are those of
** gpcov_ttmodel_run for the same source and limit, bit for bit, and the
** cells those it gives a time (not NaN).  Without a limit (max <= 0 or
** infinite) a run is the whole grid, as gpcov_ttmodel_run.  The road model
** runs the whole grid and lists what it reached (its search already stops
** at the limit).  whole = 1 makes every model do that: the reference the
** tests and the benchmark hold the bounded runs to.
*/
#include "traveltime_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct gpcov_ttreach {
    gpcov_ttmodel *m;
    int whole;
    uint32_t *cells;          /* the last run's cells, ascending  */
    float *min;               /* and their minutes                */
    size_t n, cap;
    float *grid;              /* whole-grid runs: every cell      */
    struct gpcov_costreach cr; /* the friction model's search     */
};

void gpcov_ttreach_free(gpcov_ttreach *r)
{
    if (!r)
        return;
    free(r->cells), free(r->min), free(r->grid);
    gpcov_costreach_free(&r->cr);
    free(r);
}

gpcov_status gpcov_ttreach_new(gpcov_ctx *ctx, gpcov_ttmodel *m, int whole, gpcov_ttreach **out)
{
    *out = NULL;
    gpcov_ttreach *r = calloc(1, sizeof *r);
    if (!r)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    r->m = m;
    r->whole = whole || m->model == GPCOV_TT_ROADS;
    r->cr.g = &m->g;
    r->cr.friction = m->friction;
    r->cr.knight = m->knight;
    *out = r;
    return GPCOV_OK;
}

/* Room for n cells in the list. */
static int reserve(gpcov_ttreach *r, size_t n)
{
    if (n <= r->cap)
        return 0;
    size_t cap = r->cap ? r->cap : 4096;
    while (cap < n)
        cap *= 2;
    uint32_t *c = realloc(r->cells, cap * sizeof *c);
    if (c)
        r->cells = c;
    float *t = realloc(r->min, cap * sizeof *t);
    if (t)
        r->min = t;
    if (!c || !t)
        return -1;
    r->cap = cap;
    return 0;
}

/* The cells of a whole-grid run of source k with a time. */
static gpcov_status run_whole(gpcov_ctx *ctx, gpcov_ttreach *r, size_t k, double max)
{
    const struct gpcov_grid *g = &r->m->g;
    size_t n = (size_t)g->nx * (size_t)g->ny, cnt = 0;
    if (!r->grid && !(r->grid = gpcov_grid_alloc(n * sizeof *r->grid)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for %d x %d cells", g->nx, g->ny);
    gpcov_status st = gpcov_ttmodel_run(ctx, r->m, (long)k, max, r->grid, NULL);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++)
        cnt += !isnan(r->grid[i]);
    if (reserve(r, cnt))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!isnan(r->grid[i]))
            r->cells[r->n] = (uint32_t)i, r->min[r->n++] = r->grid[i];
    return GPCOV_OK;
}

/* The range [*lo, *hi] of indices i (0..n-1) whose centre a + (i + 0.5) * d
** lies within [c - rad, c + rad], one more each side for rounding; *lo >
** *hi when none. */
static void window(double a, double d, int n, double c, double rad, int *lo, int *hi)
{
    double i0 = (c - rad - a) / d - 0.5, i1 = (c + rad - a) / d - 0.5;
    if (i0 > i1) {
        double t = i0;
        i0 = i1, i1 = t;
    }
    i0 = floor(i0) - 1, i1 = ceil(i1) + 1;
    *lo = i0 < 0 ? 0 : i0 > n ? n : (int)i0;
    *hi = i1 > n - 1 ? n - 1 : i1 < -1 ? -1 : (int)i1;
}

/* The straight line within max: the cells of the square around the source
** that holds the circle, each timed as run_straight in traveltime.c does. */
static gpcov_status run_straight(gpcov_ctx *ctx, gpcov_ttreach *r, size_t k, double max)
{
    const gpcov_ttmodel *m = r->m;
    const struct gpcov_grid *g = &m->g;
    double per_m = m->detour / (m->kmh * 1000.0 / 60.0); /* minutes per metre */
    double rad = max / per_m;
    int c0, c1, r0, r1;
    window(g->gt[0], g->gt[1], g->nx, m->x[k], rad, &c0, &c1);
    window(g->gt[3], g->gt[5], g->ny, m->y[k], rad, &r0, &r1);
    if (c0 > c1 || r0 > r1)
        return GPCOV_OK;
    if (reserve(r, (size_t)(c1 - c0 + 1) * (size_t)(r1 - r0 + 1)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (int row = r0; row <= r1; row++) {
        double cy = g->gt[3] + (row + 0.5) * g->gt[5];
        for (int c = c0; c <= c1; c++) {
            double cx = g->gt[0] + (c + 0.5) * g->gt[1];
            double d = (cx - m->x[k]) * (cx - m->x[k]) + (cy - m->y[k]) * (cy - m->y[k]);
            double t = sqrt(d) * per_m;
            if (t > max)
                continue;
            r->cells[r->n] = (uint32_t)((size_t)row * (size_t)g->nx + (size_t)c);
            r->min[r->n++] = (float)t;
        }
    }
    return GPCOV_OK;
}

/* The friction search stopped at max; the cells it settled, ascending (a
** sweep of the box they span, which holds little else). */
static gpcov_status run_friction(gpcov_ctx *ctx, gpcov_ttreach *r, size_t k, double max)
{
    gpcov_status st = gpcov_costreach_run(ctx, &r->cr, r->m->cells[k], max);
    if (st || !r->cr.n)
        return st;
    const int nx = r->m->g.nx;
    uint32_t lo = UINT32_MAX, hi = 0;
    int c0 = nx, c1 = -1;
    for (size_t q = 0; q < r->cr.n; q++) {
        uint32_t i = r->cr.cells[q];
        int c = (int)(i % (uint32_t)nx);
        lo = i < lo ? i : lo, hi = i > hi ? i : hi;
        c0 = c < c0 ? c : c0, c1 = c > c1 ? c : c1;
    }
    if (reserve(r, r->cr.n))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    const float *s = r->cr.state;
    for (uint32_t row = lo / (uint32_t)nx; row <= hi / (uint32_t)nx; row++)
        for (size_t i = (size_t)row * (size_t)nx + (size_t)c0,
                    e = (size_t)row * (size_t)nx + (size_t)c1;
             i <= e; i++)
            if (!signbit(s[i]) && !isnan(s[i])) {
                if (r->n == r->cr.n) /* only the cells settled hold a cost */
                    return gpcov_err(ctx, GPCOV_EINTERNAL, "friction search: stray cost at "
                                     "cell %zu", i);
                r->cells[r->n] = (uint32_t)i, r->min[r->n++] = s[i];
            }
    return GPCOV_OK;
}

gpcov_status gpcov_ttreach_run(gpcov_ctx *ctx, gpcov_ttreach *r, size_t k, double max_minutes,
                               const uint32_t **cells, const float **minutes, size_t *n)
{
    *cells = NULL, *minutes = NULL, *n = 0;
    if (k >= r->m->n)
        return gpcov_err(ctx, GPCOV_EUSAGE, "there is no source %zu", k + 1);
    r->n = 0;
    int bounded = max_minutes > 0 && isfinite(max_minutes);
    gpcov_status st;
    if (r->whole || !bounded)
        st = run_whole(ctx, r, k, max_minutes);
    else if (r->m->model == GPCOV_TT_STRAIGHT)
        st = run_straight(ctx, r, k, max_minutes);
    else
        st = run_friction(ctx, r, k, max_minutes);
    if (st)
        return st;
    *cells = r->cells, *minutes = r->min, *n = r->n;
    return GPCOV_OK;
}
