/*
** travel_internal.h: what the files of lib/travel/ share and the public
** API does not show: the speed bound, the maxspeed tag, the radix heap and
** the friction search's moves, threads and rounding.  Files of the stages
** above include it through their own.
*/
#ifndef GPCOV_TRAVEL_INTERNAL_H
#define GPCOV_TRAVEL_INTERNAL_H

#include "io/io_internal.h"

/* the fastest speed a road or a straight line may be given (km/h) */
#define GPCOV_MAX_KMH 300

/* A tagged maxspeed in km/h (speed.c). */
double gpcov_maxspeed_kmh(const char *v);

/* The road model's documented defaults (README, "Travel times"): noding
** snap (m), how far a ferry end reaches for a road (m), the boarding wait
** (min) and the crossing speed (km/h); and the share of the general speed
** limit a car keeps on average (speed.c). */
#define GPCOV_SNAP_DEFAULT 0.5
#define GPCOV_FERRY_SNAP_DEFAULT 300.0
#define GPCOV_FERRY_WAIT_DEFAULT 30.0
#define GPCOV_FERRY_KMH_DEFAULT 25.0
#define GPCOV_DRIVING_FACTOR 0.85

/* A radix heap (radixheap.c): the monotone priority queue of both
** Dijkstra searches (costdist.c over cells, dijkstra.c over road nodes).
** Keys are the bits of non-negative double costs, which order like the
** doubles; equal costs pop in order of source index, lowest first.
** Pushes must not be below the last popped cost (Dijkstra's monotony). */
struct gpcov_rent {
    uint64_t key;
    uint32_t cell;
    int32_t src;
};
struct gpcov_rbucket {
    struct gpcov_rent *a;
    size_t n, cap;
};
struct gpcov_rheap {
    struct gpcov_rbucket b[65];
    uint64_t last;
    size_t size;
};

static inline uint64_t gpcov_rheap_key(double cost)
{
    uint64_t k;
    cost += 0.0; /* -0.0 to +0.0 */
    memcpy(&k, &cost, sizeof k);
    return k;
}

static inline double gpcov_rheap_cost(uint64_t k)
{
    double d;
    memcpy(&d, &k, sizeof d);
    return d;
}

static inline int gpcov_rheap_bucket(uint64_t k, uint64_t last)
{
    return k == last ? 0 : 64 - __builtin_clzll(k ^ last);
}

int gpcov_rbucket_grow(struct gpcov_rbucket *b);

/* Returns 0, or -1 on ENOMEM. */
static inline int gpcov_rheap_push(struct gpcov_rheap *h, double cost, uint32_t cell,
                                   int32_t src)
{
    struct gpcov_rent e = {gpcov_rheap_key(cost), cell, src};
    struct gpcov_rbucket *b = &h->b[gpcov_rheap_bucket(e.key, h->last)];
    if (b->n == b->cap && gpcov_rbucket_grow(b))
        return -1;
    b->a[b->n++] = e;
    h->size++;
    return 0;
}

/* After the first pushes (the sources, in any order) and before the first
** pop: puts equal-cost entries in source order. */
void gpcov_rheap_start(struct gpcov_rheap *h);
/* Pops the entry with the least (cost, src) into *out; the heap must not
** be empty.  Returns 0, or -1 on ENOMEM. */
int gpcov_rheap_pop(struct gpcov_rheap *h, struct gpcov_rent *out);
void gpcov_rheap_free(struct gpcov_rheap *h);

/* The friction search (costdist.c, costdist_par.c).  One move: row and
** column offsets, the index offsets of the target and (knight's moves) of
** the two middle cells, and the factor w that turns the sum of the
** frictions into the step cost: d/2, or d/4 for four cells. */
struct gpcov_move {
    int dr, dc;
    ptrdiff_t off, mid1, mid2;
    double w;
    int knight;
};
/* Fills mv[16] with the 8 (16 with knight) moves; returns their number. */
int gpcov_costdist_moves(struct gpcov_move *mv, int knight, int nx, double dx, double dy);
#define GPCOV_COST_MAX_THREADS 8
/* Threads for a search from nsrc sources over ncell cells: GPCOV_THREADS
** when set; else 2 when the grid has GPCOV_COST_PAR_CELLS cells or more and
** two cores are online (on an idle 2-core machine 3.2 s instead of 3.9 s on
** the national grid; under load from other jobs it can be slower: README,
** Benchmarks), 1 otherwise; at most GPCOV_COST_MAX_THREADS and one per
** source. */
#define GPCOV_COST_PAR_CELLS 4000000
int gpcov_costdist_threads(size_t nsrc, size_t ncell);
/* Accumulated costs are doubles rounded to 33 significant bits (to
** nearest, halves up: unbiased, and monotone, so Dijkstra still holds), in
** both searches: the low GPCOV_COST_SRC_BITS bits of the mantissa are
** zero, so the parallel search packs a cost and its source in one 64-bit
** word, and the two searches do the same arithmetic.  At most
** 2^GPCOV_COST_SRC_BITS sources.  c must be finite and >= 0. */
#define GPCOV_COST_SRC_BITS 20
static inline double gpcov_cost_round(double c)
{
    uint64_t k;
    memcpy(&k, &c, sizeof k);
    k += (uint64_t)1 << (GPCOV_COST_SRC_BITS - 1);
    k &= ~(((uint64_t)1 << GPCOV_COST_SRC_BITS) - 1);
    memcpy(&c, &k, sizeof c);
    return c;
}
/* Whether move m from row r, column c stays on the nx x ny grid (inner:
** the cell is at least two cells from every edge, so every move does). */
static inline int gpcov_move_inside(const struct gpcov_move *m, int inner, int r, int c,
                                    int nx, int ny)
{
    if (inner)
        return 1;
    int r2 = r + m->dr, c2 = c + m->dc;
    return r2 >= 0 && r2 < ny && c2 >= 0 && c2 < nx;
}
/* r.cost's rule, the one both searches use: the accumulated cost at target
** nb of move m from cell, whose cost is ecost and friction fa (frictions
** fr): the mean friction of the cells the move crosses times its length,
** rounded (gpcov_cost_round).  -1 when a knight's move crosses a barrier. */
static inline double gpcov_move_cost(const struct gpcov_move *m, const float *fr, size_t cell,
                                     size_t nb, double fa, double ecost)
{
    double sum = fa + (double)fr[nb];
    if (m->knight) {
        const float f1 = fr[(ptrdiff_t)cell + m->mid1];
        const float f2 = fr[(ptrdiff_t)cell + m->mid2];
        if (isnan(f1) || isnan(f2))
            return -1;
        sum += (double)f1 + (double)f2;
    }
    return gpcov_cost_round(ecost + sum * m->w);
}
/* gpcov_costdist with nthreads (2..GPCOV_COST_MAX_THREADS) competing
** searches, after gpcov_costdist has checked the arguments and filled
** cost_out with NaN at barriers; passable counts the other cells. */
gpcov_status gpcov_costdist_par(gpcov_ctx *ctx, const struct gpcov_grid *g,
                                const float *friction, const int64_t *src_cells, size_t nsrc,
                                const struct gpcov_move *mv, int nmv, double max_cost,
                                size_t passable, int nthreads, float *cost_out,
                                int32_t *nearest_out);
/* gpcov_costdist as a bucket queue (costdist_dial.c) on nthreads threads
** (1..GPCOV_COST_MAX_THREADS), after gpcov_costdist has checked the
** arguments: the same costs bit for bit.  *applies is 0, with the outputs
** untouched, where it does not apply (a cell of zero friction, frictions
** too far apart, a grid too large to pad): then run the radix heap. */
gpcov_status gpcov_costdist_dial(gpcov_ctx *ctx, const struct gpcov_grid *g,
                                 const float *friction, const int64_t *src_cells, size_t nsrc,
                                 int knight, double max_cost, size_t passable, int nthreads,
                                 float *cost_out, int32_t *nearest_out, int *applies);

/* One source's friction search bounded by a cost (costdist.c), for runs
** over thousands of sources one at a time (gpcov access): the search state
** (one float per cell, as gpcov_costdist's cost_out) is kept between runs
** and only the cells a run settled are reset, so a run costs what it
** reaches, not the grid.  After a run, cells[0..n) are the cells settled
** (in the order settled) and state[cell] their cost, the float
** gpcov_costdist gives there for the same source and limit; every other
** cell's state has its sign bit set (or is NaN: a barrier).  Zeroed
** before the first run; freed with gpcov_costreach_free. */
struct gpcov_costreach {
    const struct gpcov_grid *g;
    const float *friction;
    int knight;
    float *state;     /* nx*ny; NULL until the first run             */
    size_t passable;  /* cells not a barrier                         */
    int dirty;        /* a run failed: the state is made again       */
    uint32_t *cells;  /* the cells the last run settled              */
    size_t n, cap;
    struct gpcov_rheap h;
};
gpcov_status gpcov_costreach_run(gpcov_ctx *ctx, struct gpcov_costreach *r, int64_t src_cell,
                                 double max_cost);
/* Appends a settled cell; -1 on ENOMEM. */
int gpcov_costreach_add(struct gpcov_costreach *r, uint32_t cell);
void gpcov_costreach_free(struct gpcov_costreach *r);

#endif
