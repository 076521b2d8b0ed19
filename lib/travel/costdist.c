/*
** costdist.c: accumulated cost over a friction raster from many sources at
** once, the engine of the raster travel-time model.  One Dijkstra search
** seeded with every source (a multi-source search gives each cell the cost
** to its cheapest source and which source that is, in one pass), with the
** cost model of GRASS r.cost, so that our travel times can be checked
** against it cell by cell (tests/cli/test_rcost.sh):
**
**   - friction f is cost per metre; NaN (nodata) is a barrier: no move
**     starts or ends there.  A source cell costs 0 whatever its friction.
**   - a move between the 8 neighbours costs (f_a + f_b) / 2 * d, with d the
**     distance between the two cell centres: dx east-west, dy north-south,
**     sqrt(dx^2 + dy^2) on a diagonal.  A diagonal move is allowed even
**     when both cells beside it are barriers (r.cost does not forbid
**     cutting corners).
**   - with knight's moves (r.cost -k), 8 more moves of 2 rows and 1 column
**     or 1 row and 2 columns.  The straight line between the two centres
**     crosses four cells for a quarter of its length each: the two end
**     cells and the two cells it passes between halfway, e.g. for
**     (row-2, col-1) the cells (row-1, col) and (row-1, col-1).  r.cost,
**     and so we, charge the mean of those four frictions times the length:
**     (f_a + f_m1 + f_m2 + f_b) / 4 * d, d = sqrt(dx^2 + 4 dy^2) for 2 rows,
**     sqrt(4 dx^2 + dy^2) for 2 columns.  The move is not allowed when any
**     of the four cells is a barrier.  (Checked against r.cost 8.2: with
**     frictions 13, 8, 7, 2 along such a move on 100 m cells the step is
**     750 * sqrt(5); with a barrier at one middle cell the knight's move
**     is not taken.)
**   - r.cost's input is cost per cell width: it multiplies its input by
**     the distance in units of the east-west resolution.  Giving it
**     f * dx gives our costs.
**
** Where we differ from r.cost, on purpose:
**   - equal costs from two sources go to the lower source index; r.cost
**     takes whichever its heap reaches first (on a symmetric test grid, the
**     start point listed last).  Only exact ties differ.
**   - max_cost: cells above it are unreachable.  r.cost stops when it pops
**     a cell above max_cost but leaves in its output the tentative costs of
**     the cells still queued, which are above max_cost and can be higher
**     than their true costs.  Cells at or below max_cost agree.
**   - r.cost's -n flag only matters with null_cost=; without it nodata
**     cells are barriers and stay nodata in its output, as here.
**
** Speed and memory (this radix-heap search; the bucket queue of
** costdist_dial.c keeps 12 bytes a cell instead, and hands them back as it
** writes the outputs).  The national grid is 4,500 x 3,700 cells and should
** scale to four times that, so nothing per cell is kept beyond the friction
** and the outputs the caller owns.  cost_out doubles as the search state:
** a settled cell holds its cost (sign bit clear), a barrier NaN (sign bit
** clear), and a cell not yet settled its tentative cost negated (sign bit
** set; -inf when not reached, -0 for a source), so one load tells whether
** a neighbour still matters.  The exact cost is in double in the queue; a
** candidate is pushed when its cost rounded to float is <= the tentative
** float.  Rounding is monotone, so every candidate that improves on the
** best so far in double is pushed (and some that tie in float), and the
** first time a cell is popped it has its least double cost; later pops of
** the same cell are skipped (lazy deletion, no position index per cell).
** The queue pops by (cost, source index), so equal costs go to the lower
** source index whatever the order of pushes.
** The queue is a radix heap: on the national benchmark grid the search
** took 2.8 s against 4.8 s with a 4-ary heap.  Where every move costs more
** than zero the search runs as a bucket queue instead (costdist_dial.c,
** same costs, faster); this search, and costdist_par.c, are the fallback
** for zero friction or frictions too far apart for buckets, and what
** GPCOV_COST_QUEUE=radix (environment) asks for.
** Each accumulated cost is rounded to 33 significant bits (to nearest,
** gpcov_cost_round), here as in the parallel search (costdist_par.c, run
** when GPCOV_THREADS asks for more than one thread), whose labels hold the
** source index in the low 20 bits of the mantissa: so both do the same
** arithmetic and give the same costs bit for bit.  That is 2^-33 relative
** per step, unbiased, far below the float the costs are written in (2^-24):
** against r.cost the largest difference on the benchmark grid went from
** 6.0e-8 to 7.5e-8 relative (1.2e-7 when rounding down, which is biased).
*/
#include "travel_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NaN with the sign bit clear: a barrier or an unreachable cell. */
#define PNAN (copysignf(NAN, 1.0f))

int gpcov_costdist_moves(struct gpcov_move *mv, int knight, int nx, double dx, double dy)
{
    static const int adj[8][2] = {{-1, 0}, {1, 0},  {0, -1}, {0, 1},
                                  {-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
    static const int kn[8][2] = {{-2, -1}, {-2, 1}, {2, -1}, {2, 1},
                                 {-1, -2}, {1, -2}, {-1, 2}, {1, 2}};
    int n = 0;
    for (int k = 0; k < 8; k++) {
        struct gpcov_move *m = &mv[n++];
        memset(m, 0, sizeof *m);
        m->dr = adj[k][0];
        m->dc = adj[k][1];
        m->off = (ptrdiff_t)m->dr * nx + m->dc;
        double d = m->dr && m->dc ? sqrt(dx * dx + dy * dy) : m->dr ? dy : dx;
        m->w = d / 2;
    }
    for (int k = 0; knight && k < 8; k++) {
        struct gpcov_move *m = &mv[n++];
        m->dr = kn[k][0];
        m->dc = kn[k][1];
        m->knight = 1;
        m->off = (ptrdiff_t)m->dr * nx + m->dc;
        int r1, c1, r2, c2;
        double d;
        if (abs(m->dr) == 2) { /* crosses row+dr/2 in columns col and col+dc */
            r1 = r2 = m->dr / 2;
            c1 = 0;
            c2 = m->dc;
            d = sqrt(dx * dx + 4 * dy * dy);
        } else { /* crosses column col+dc/2 in rows row and row+dr */
            c1 = c2 = m->dc / 2;
            r1 = 0;
            r2 = m->dr;
            d = sqrt(4 * dx * dx + dy * dy);
        }
        m->mid1 = (ptrdiff_t)r1 * nx + c1;
        m->mid2 = (ptrdiff_t)r2 * nx + c2;
        m->w = d / 4;
    }
    return n;
}

int gpcov_costdist_threads(size_t nsrc, size_t ncell)
{
    /* default: two threads on a national grid when two cores are online
    ** (5.3x r.cost instead of 4.3x on an idle machine, README); one on
    ** smaller grids, where starting a thread gains nothing */
    long t = ncell >= GPCOV_COST_PAR_CELLS && sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
    const char *e = getenv("GPCOV_THREADS");
    if (e && *e) {
        char *end;
        t = strtol(e, &end, 10);
        if (*end || t < 1)
            t = 1;
    }
    if (t > GPCOV_COST_MAX_THREADS)
        t = GPCOV_COST_MAX_THREADS;
    if ((size_t)t > nsrc)
        t = (long)nsrc;
    return (int)t;
}

/* The grid and the number of sources, checked. */
static gpcov_status check_grid(gpcov_ctx *ctx, const struct gpcov_grid *g, size_t nsrc)
{
    if (g->nx <= 0 || g->ny <= 0)
        return gpcov_err(ctx, GPCOV_EUSAGE, "travel time: empty grid (%d x %d cells)",
                         g->nx, g->ny);
    double dx = g->gt[1], dy = -g->gt[5];
    if (!(dx > 0) || !(dy > 0) || !isfinite(dx) || !isfinite(dy) || g->gt[2] != 0 ||
        g->gt[4] != 0)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "travel time: the grid is not north-up with positive cell size");
    uint64_t ncell = (uint64_t)g->nx * (uint64_t)g->ny;
    if (ncell > UINT32_MAX)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "travel time: %d x %d cells is more than 2^32 cells", g->nx,
                         g->ny);
    if (nsrc == 0)
        return gpcov_err(ctx, GPCOV_EUSAGE, "travel time: no sources");
    if (nsrc > ((size_t)1 << GPCOV_COST_SRC_BITS))
        return gpcov_err(ctx, GPCOV_EUSAGE, "travel time: %zu sources, more than %lu", nsrc,
                         1UL << GPCOV_COST_SRC_BITS);
    return GPCOV_OK;
}

/* The sources must lie inside the grid, on passable cells. */
static gpcov_status check_sources(gpcov_ctx *ctx, const struct gpcov_grid *g,
                                  const float *friction, const int64_t *src_cells, size_t nsrc)
{
    const int nx = g->nx;
    const size_t n = (size_t)g->nx * (size_t)g->ny;
    for (size_t s = 0; s < nsrc; s++) {
        int64_t c = src_cells[s];
        if (c < 0 || (uint64_t)c >= (uint64_t)n)
            return gpcov_err(ctx, GPCOV_EUSAGE,
                             "travel time: source %zu: cell %lld is outside the grid",
                             s + 1, (long long)c);
        if (isnan(friction[c]))
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "travel time: source %zu: row %lld, column %lld is a barrier "
                             "(no friction value)",
                             s + 1, (long long)(c / nx), (long long)(c % nx));
    }
    return GPCOV_OK;
}

/* Friction checks; the sources must lie on passable cells.  *passable
** counts the cells not a barrier. */
static gpcov_status check_cells(gpcov_ctx *ctx, const struct gpcov_grid *g,
                                const float *friction, const int64_t *src_cells, size_t nsrc,
                                size_t *passable)
{
    const int nx = g->nx;
    const size_t n = (size_t)g->nx * (size_t)g->ny;
    *passable = 0;
    for (size_t i = 0; i < n; i++) {
        float f = friction[i];
        if (isnan(f))
            continue;
        if (!(f >= 0) || isinf(f))
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "travel time: friction %g at row %zu, column %zu: "
                             "must be >= 0 and finite (nodata for a barrier)",
                             (double)f, i / (size_t)nx, i % (size_t)nx);
        (*passable)++;
    }
    return check_sources(ctx, g, friction, src_cells, nsrc);
}

/* The outputs start as "not reached" (the radix-heap searches). */
static void start_outputs(size_t n, const float *friction, float *cost_out,
                          int32_t *nearest_out)
{
    for (size_t i = 0; i < n; i++) {
        cost_out[i] = isnan(friction[i]) ? PNAN : -INFINITY; /* tentative: negated */
        if (nearest_out)
            nearest_out[i] = -1;
    }
}

/* The one-thread search: its grid, moves, limit and heap. */
struct search {
    gpcov_ctx *ctx;
    const float *friction;
    float *cost_out;
    int32_t *nearest_out;
    const struct gpcov_move *mv;
    int nmv, nx, ny, R, has_max;
    double max_cost;
    size_t passable;
    struct gpcov_rheap h;
    struct gpcov_costreach *rec; /* a bounded run: the cells settled go here */
};

/* Pushes the neighbours of the settled cell (at ecost, from source src)
** that it reaches sooner than known; nonzero when out of memory. */
static int relax(struct search *S, uint32_t cell, double ecost, int32_t src)
{
    const int nx = S->nx, ny = S->ny;
    const int r = (int)(cell / (uint32_t)nx), c = (int)(cell % (uint32_t)nx);
    const int inner = r >= S->R && r < ny - S->R && c >= S->R && c < nx - S->R;
    const double fa = S->friction[cell];
    float *cost_out = S->cost_out;
    for (int k = 0; k < S->nmv; k++) {
        const struct gpcov_move *m = &S->mv[k];
        if (!gpcov_move_inside(m, inner, r, c, nx, ny))
            continue;
        const size_t nb = (size_t)((ptrdiff_t)cell + m->off);
        const float cb = cost_out[nb];
        if (!signbit(cb))
            continue; /* settled, or a barrier */
        const double nc = gpcov_move_cost(m, S->friction, cell, nb, fa, ecost);
        if (nc < 0 || (S->has_max && nc > S->max_cost))
            continue;
        const float fc = (float)nc;
        if (!(-fc >= cb))
            continue;
        cost_out[nb] = -fc;
        if (gpcov_rheap_push(&S->h, nc, (uint32_t)nb, src))
            return -1;
    }
    return 0;
}

/* Settles the cells in order of cost from the sources in the heap. */
static gpcov_status settle(struct search *S)
{
    gpcov_ctx *ctx = S->ctx;
    gpcov_status st;
    size_t settled = 0;
    while (S->h.size) {
        struct gpcov_rent e;
        if (gpcov_rheap_pop(&S->h, &e))
            return gpcov_err(ctx, GPCOV_ENOMEM, "travel time: out of memory");
        const uint32_t cell = e.cell;
        const double ecost = gpcov_rheap_cost(e.key);
        if (!signbit(S->cost_out[cell]))
            continue; /* settled already */
        S->cost_out[cell] = (float)ecost;
        if (S->nearest_out)
            S->nearest_out[cell] = e.src;
        if (S->rec && gpcov_costreach_add(S->rec, cell))
            return gpcov_err(ctx, GPCOV_ENOMEM, "travel time: out of memory");
        if ((++settled & 0xffff) == 0 &&
            (st = gpcov_progress(ctx, (double)settled / (double)S->passable, "travel time")))
            return st;
        if (relax(S, cell, ecost, e.src))
            return gpcov_err(ctx, GPCOV_ENOMEM, "travel time: out of memory");
    }
    return GPCOV_OK;
}

/* The one-thread search from the sources, then the cells never settled
** marked unreached. */
static gpcov_status search_one(struct search *S, const int64_t *src_cells, size_t nsrc, size_t n)
{
    gpcov_status st;
    for (size_t s = 0; s < nsrc; s++) {
        if (gpcov_rheap_push(&S->h, 0.0, (uint32_t)src_cells[s], (int32_t)s))
            return gpcov_err(S->ctx, GPCOV_ENOMEM, "travel time: out of memory");
        S->cost_out[src_cells[s]] = -0.0f;
    }
    /* the sources went into bucket 0 in index order; it pops from the end */
    gpcov_rheap_start(&S->h);
    if ((st = gpcov_progress(S->ctx, 0, "travel time")) || (st = settle(S)))
        return st;
    /* Cells never settled were never reached (a pushed cell is always
    ** settled: nothing over max_cost is pushed). */
    for (size_t i = 0; i < n; i++)
        if (signbit(S->cost_out[i]))
            S->cost_out[i] = PNAN;
    return gpcov_progress(S->ctx, 1, "travel time");
}

gpcov_status gpcov_costdist(gpcov_ctx *ctx, const struct gpcov_grid *g,
                            const float *friction, const int64_t *src_cells,
                            size_t nsrc, int knight, double max_cost,
                            float *cost_out, int32_t *nearest_out)
{
    gpcov_status st = check_grid(ctx, g, nsrc);
    if (st)
        return st;
    const size_t n = (size_t)g->nx * (size_t)g->ny;
    size_t passable;
    if ((st = check_cells(ctx, g, friction, src_cells, nsrc, &passable)))
        return st;
    struct gpcov_move mv[16];
    int nmv = gpcov_costdist_moves(mv, knight, g->nx, g->gt[1], -g->gt[5]);
    int nthreads = gpcov_costdist_threads(nsrc, n);
    const char *q = getenv("GPCOV_COST_QUEUE");
    if (!q || strcmp(q, "radix") != 0) { /* the bucket queue, where it applies */
        int applies;
        st = gpcov_costdist_dial(ctx, g, friction, src_cells, nsrc, knight, max_cost, passable,
                                 nthreads, cost_out, nearest_out, &applies);
        if (st || applies)
            return st;
    }
    start_outputs(n, friction, cost_out, nearest_out);
    if (nthreads > 1)
        return gpcov_costdist_par(ctx, g, friction, src_cells, nsrc, mv, nmv, max_cost,
                                  passable, nthreads, cost_out, nearest_out);
    struct search S = {.ctx = ctx,
                       .friction = friction,
                       .cost_out = cost_out,
                       .nearest_out = nearest_out,
                       .mv = mv,
                       .nmv = nmv,
                       .nx = g->nx,
                       .ny = g->ny,
                       .R = knight ? 2 : 1, /* cells this far from the edge need no checks */
                       .has_max = max_cost > 0 && isfinite(max_cost),
                       .max_cost = max_cost,
                       .passable = passable};
    st = search_one(&S, src_cells, nsrc, n);
    gpcov_rheap_free(&S.h);
    return st;
}

/* --------------------------------------------- one source, bounded */

int gpcov_costreach_add(struct gpcov_costreach *r, uint32_t cell)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 4096;
        uint32_t *p = realloc(r->cells, cap * sizeof *p);
        if (!p)
            return -1;
        r->cells = p, r->cap = cap;
    }
    r->cells[r->n++] = cell;
    return 0;
}

void gpcov_costreach_free(struct gpcov_costreach *r)
{
    if (!r)
        return;
    free(r->state), free(r->cells);
    gpcov_rheap_free(&r->h);
    memset(&r->h, 0, sizeof r->h);
    r->state = NULL, r->cells = NULL, r->n = r->cap = 0;
}

/* The state as gpcov_costdist starts it (with its checks of the friction
** and of the source) the first time and after a failed run; else the
** cells of the last run put back to "not reached" and the source checked. */
static gpcov_status reach_state(gpcov_ctx *ctx, struct gpcov_costreach *r, int64_t src)
{
    const struct gpcov_grid *g = r->g;
    if (r->state && !r->dirty) {
        for (size_t q = 0; q < r->n; q++)
            r->state[r->cells[q]] = -INFINITY;
        r->n = 0;
        return check_sources(ctx, g, r->friction, &src, 1);
    }
    gpcov_status st = check_grid(ctx, g, 1);
    if (st)
        return st;
    if (!r->state && !(r->state = gpcov_grid_alloc((size_t)g->nx * (size_t)g->ny *
                                                   sizeof *r->state)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for %d x %d cells", g->nx, g->ny);
    gpcov_rheap_free(&r->h);
    memset(&r->h, 0, sizeof r->h);
    r->n = 0;
    r->dirty = 1; /* until the state is whole */
    if ((st = check_cells(ctx, g, r->friction, &src, 1, &r->passable)))
        return st;
    start_outputs((size_t)g->nx * (size_t)g->ny, r->friction, r->state, NULL);
    r->dirty = 0;
    return GPCOV_OK;
}

gpcov_status gpcov_costreach_run(gpcov_ctx *ctx, struct gpcov_costreach *r, int64_t src_cell,
                                 double max_cost)
{
    gpcov_status st = reach_state(ctx, r, src_cell);
    if (st)
        return st;
    const struct gpcov_grid *g = r->g;
    struct gpcov_move mv[16];
    int nmv = gpcov_costdist_moves(mv, r->knight, g->nx, g->gt[1], -g->gt[5]);
    struct search S = {.ctx = ctx,
                       .friction = r->friction,
                       .cost_out = r->state,
                       .mv = mv,
                       .nmv = nmv,
                       .nx = g->nx,
                       .ny = g->ny,
                       .R = r->knight ? 2 : 1,
                       .has_max = max_cost > 0 && isfinite(max_cost),
                       .max_cost = max_cost,
                       .passable = r->passable,
                       .h = r->h,
                       .rec = r};
    /* the heap is empty after a whole run; its buckets are kept */
    S.h.last = 0;
    r->dirty = 1;
    if (gpcov_rheap_push(&S.h, 0.0, (uint32_t)src_cell, 0))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "travel time: out of memory");
    else
        r->state[src_cell] = -0.0f;
    if (!st)
        st = settle(&S);
    r->h = S.h;
    /* a pushed cell is always settled (nothing over max_cost is pushed), so
    ** the settled cells are all the run touched */
    if (!st)
        r->dirty = 0;
    return st;
}
