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
** infinite) a run is the whole grid, as gpcov_ttmodel_run.  The road
** model's search (traveltime_cells.c, over every cell joined to a road)
** stops at the limit, resets only the nodes it touched and times only the
** cells on the roads of the nodes it reached.  whole = 1 makes every run a
** whole-grid run: the reference the tests and the benchmark hold the
** bounded runs to.
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
    uint32_t *joined;         /* ROADS: the cells joined to a road */
    gpcov_ttcells *tc;        /* ROADS: the search over them       */
    uint32_t *spos;           /* ROADS: sorting scratch            */
    float *st;
    size_t capsort;
    size_t cnt[65537];        /* ROADS: the radix sort's counts    */
};

void gpcov_ttreach_free(gpcov_ttreach *r)
{
    if (!r)
        return;
    free(r->cells), free(r->min), free(r->grid);
    gpcov_costreach_free(&r->cr);
    gpcov_ttcells_free(r->tc);
    free(r->joined), free(r->spos), free(r->st);
    free(r);
}

gpcov_status gpcov_ttreach_new(gpcov_ctx *ctx, gpcov_ttmodel *m, int whole, gpcov_ttreach **out)
{
    *out = NULL;
    gpcov_ttreach *r = calloc(1, sizeof *r);
    if (!r)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    r->m = m;
    r->whole = whole;
    r->cr.g = &m->g;
    r->cr.friction = m->friction;
    r->cr.knight = m->knight;
    gpcov_status st = GPCOV_OK;
    if (m->model == GPCOV_TT_ROADS && !whole) {
        /* every cell joined to a road, ascending, for the bounded road search */
        size_t n = (size_t)m->g.nx * (size_t)m->g.ny, nj = 0;
        for (size_t i = 0; i < n; i++)
            nj += m->cell_seg[i] != UINT32_MAX;
        if (!(r->joined = malloc((nj ? nj : 1) * sizeof *r->joined)))
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        for (size_t i = 0, q = 0; !st && i < n; i++)
            if (m->cell_seg[i] != UINT32_MAX)
                r->joined[q++] = (uint32_t)i;
        if (!st)
            st = gpcov_ttcells_new(ctx, m, r->joined, nj, &r->tc);
    }
    if (st) {
        gpcov_ttreach_free(r);
        return st;
    }
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

/* The road search stopped at max (traveltime_cells.c): the joined cells
** it reached come in the order found and are put in ascending order by
** their place in the joined list (a radix sort, two passes of 16 bits). */
static gpcov_status run_roads(gpcov_ctx *ctx, gpcov_ttreach *r, size_t k, double max)
{
    const uint32_t *pos;
    const float *t;
    size_t n;
    gpcov_status st = gpcov_ttcells_reached(ctx, r->tc, k, max, &pos, &t, &n);
    if (st || !n)
        return st;
    if (reserve(r, n))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (n > r->capsort) {
        free(r->spos), free(r->st);
        r->spos = malloc(n * sizeof *r->spos), r->st = malloc(n * sizeof *r->st);
        r->capsort = r->spos && r->st ? n : 0;
        if (!r->capsort)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    size_t *cnt = r->cnt;
    const uint32_t *src = pos;
    const float *srt = t;
    uint32_t *dst = r->spos;
    float *dt = r->st;
    for (int pass = 0; pass < 2; pass++) {
        int sh = 16 * pass;
        memset(cnt, 0, sizeof r->cnt);
        for (size_t a = 0; a < n; a++)
            cnt[((src[a] >> sh) & 0xffff) + 1]++;
        for (size_t b = 1; b < 65537; b++)
            cnt[b] += cnt[b - 1];
        for (size_t a = 0; a < n; a++) {
            size_t to = cnt[(src[a] >> sh) & 0xffff]++;
            dst[to] = src[a], dt[to] = srt[a];
        }
        /* the second pass reads the scratch and writes the handle's list */
        src = r->spos, srt = r->st, dst = r->cells, dt = r->min;
    }
    for (size_t a = 0; a < n; a++)
        r->cells[a] = r->joined[r->cells[a]];
    r->n = n;
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
    else if (r->m->model == GPCOV_TT_ROADS)
        st = run_roads(ctx, r, k, max_minutes);
    else
        st = run_friction(ctx, r, k, max_minutes);
    if (st)
        return st;
    *cells = r->cells, *minutes = r->min, *n = r->n;
    return GPCOV_OK;
}
