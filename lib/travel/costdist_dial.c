/*
** costdist_dial.c: the friction search of costdist.c as a bucket queue
** (Dial's algorithm), on one thread or as competing wavefronts on several.
** Same cost model and arithmetic (gpcov_move_cost, costs rounded by
** gpcov_cost_round), same results: the costs bit for bit, and on one
** thread the nearest sources too.
**
** Every move costs at least W, the least friction times the shortest
** move.  Buckets of width B a little below W (B = W (1 - 2^-8), margin for
** the rounding of costs and of the bucket index) hold the cells by
** floor(cost / B): a move from a cell in bucket k always lands in bucket
** k+1 or later, so once the buckets below k are done, every cell in bucket
** k has its least cost whatever the order they are taken in.  No heap, no
** compares: a bucket is a plain array of 4-byte cell indices, taken from
** its end; the buckets are a ring as long as the costliest move in
** buckets (plus slack), so a push never wraps onto an unfinished bucket.
** The cost and source of a cell live in its label (as in costdist_par.c:
** the bits of the double cost ORed with the source index in the low
** GPCOV_COST_SRC_BITS bits, which gpcov_cost_round keeps zero), so the
** label orders by (cost, source) and only falls: equal costs keep the
** lower source, as in the radix-heap search.  The top bit of a label
** marks it expanded (its moves relaxed with this value); a cell pushed
** twice is expanded once.  The grid is copied with a border of R barrier
** cells (R = 2 with knight's moves), so no move needs a bounds check.
**
** Exact however the rounding falls: should a push ever land at or below
** the bucket being emptied (costs above 2^25 B, which the margin leaves to
** rounding), it goes into that bucket, which is emptied to the end, and the
** cell is expanded again if its label falls after it was expanded: a label
** is only ever set to the cost of a real path, and every fall is
** propagated, so the search ends at the least costs (the argument of
** costdist_par.c).  A push beyond the ring (impossible by the ring's
** length) abandons the search and costdist.c reruns it on the radix heap,
** as it does where the bucket width does not apply: zero friction (W = 0),
** or frictions so far apart that the ring would exceed 2^21 buckets.
**
** Several threads: the sources are dealt out as in costdist_par.c, each
** thread has its own ring and empties its own buckets in order; labels
** change only by atomic compare-and-swap that lowers them (or sets the
** expanded bit of the value read).  Every label fall is pushed by the
** thread that made it and expanded by the first thread to pop it with
** that value, so the costs end the same, bit for bit; the nearest source
** can differ only as costdist_par.c says.
** Memory besides the outputs: 12 bytes a cell (label and padded friction)
** and the rings (proportional to the front).  The outputs are written only
** at the end (the caller's pages are not touched before), after the padded
** friction is freed, and the labels already written out are handed back to
** the system 2 MB at a time: so the peak is the labels, the two frictions
** and the rings, not the labels and the outputs together.
*/
#define _DEFAULT_SOURCE /* madvise */
#include "travel_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define EXPANDED ((uint64_t)1 << 63)
#define BARRIER (EXPANDED - 1)        /* above every cost, never lowered */
#define UNREACHED 0x7ff0000000000000u /* +inf: above every finite cost */
#define SRCMASK (((uint64_t)1 << GPCOV_COST_SRC_BITS) - 1)
#define MAX_RING ((size_t)1 << 21)

struct bucket {
    uint32_t *a;
    uint32_t n, cap;
};

/* What the threads share. */
struct dgrid {
    _Atomic uint64_t *lab; /* padded, nxp x nyp */
    float *fr;             /* padded, NaN border */
    struct gpcov_move mv[16];
    int nmv, nx, ny, nxp, R, par, has_max;
    double invb, max_cost;
    size_t ring;
    atomic_int stop;
};

/* One thread's wavefront. */
struct wave {
    struct dgrid *G;
    gpcov_ctx *ctx; /* the calling thread's, for progress; NULL on others */
    size_t passable, nsrc, size;
    const uint32_t *src_cell; /* padded cells of all sources */
    const int32_t *mine;      /* this thread's source indices */
    struct bucket *b;
    uint64_t cur;
    gpcov_status st;
    pthread_t th;
};

static inline double lab_cost(uint64_t l)
{
    double d;
    l &= ~(EXPANDED | SRCMASK);
    memcpy(&d, &l, sizeof d);
    return d;
}

/* The hot path, inlined with par a constant, so that the one-thread
** search has no compare-and-swap and no branch on it. */
#define HOT static inline __attribute__((always_inline))

static int grow(struct bucket *b)
{
    uint32_t cap = b->cap ? 2 * b->cap : 64;
    uint32_t *a = cap > b->cap ? realloc(b->a, (size_t)cap * sizeof *a) : NULL;
    if (!a)
        return -1;
    b->a = a;
    b->cap = cap;
    return 0;
}

/* Puts cell in bucket k; 0, -1 (out of memory) or -2 (beyond the ring). */
HOT int push(struct wave *w, uint64_t k, uint32_t cell)
{
    if (k < w->cur)
        k = w->cur; /* rounding: see above */
    if (k - w->cur >= w->G->ring)
        return -2;
    struct bucket *b = &w->b[k % w->G->ring];
    if (b->n == b->cap && grow(b))
        return -1;
    b->a[b->n++] = cell;
    w->size++;
    return 0;
}

/* Lowers the label at nb to key (cur read before); 1 when it did. */
HOT int lower(const struct dgrid *G, size_t nb, uint64_t cur, uint64_t key, int par)
{
    if (!par) {
        atomic_store_explicit(&G->lab[nb], key, memory_order_relaxed);
        return 1;
    }
    for (;;) {
        if (key >= (cur & ~EXPANDED))
            return 0;
        if (atomic_compare_exchange_weak_explicit(&G->lab[nb], &cur, key, memory_order_relaxed,
                                                  memory_order_relaxed))
            return 1;
    }
}

/* Relaxes the moves of cell, whose label is l; 0, -1 (memory) or -2. */
HOT int relax(struct wave *w, uint32_t cell, uint64_t l, int par)
{
    const struct dgrid *G = w->G;
    const uint64_t et = l & ~(EXPANDED | SRCMASK), src = l & SRCMASK;
    const double ecost = lab_cost(l), fa = G->fr[cell];
    for (int k = 0; k < G->nmv; k++) {
        const struct gpcov_move *m = &G->mv[k];
        const size_t nb = (size_t)((ptrdiff_t)cell + m->off);
        const uint64_t cur = atomic_load_explicit(&G->lab[nb], memory_order_relaxed);
        const uint64_t cv = cur & ~EXPANDED;
        if (cv == BARRIER || (cv & ~SRCMASK) < et)
            continue; /* a barrier, or reached for less than this cell */
        const double nc = gpcov_move_cost(m, G->fr, cell, nb, fa, ecost);
        if (nc < 0 || (G->has_max && nc > G->max_cost))
            continue;
        uint64_t key;
        memcpy(&key, &nc, sizeof key);
        key |= src;
        if (key >= cv || !lower(G, nb, cur, key, par))
            continue;
        int e = push(w, (uint64_t)(nc * G->invb), (uint32_t)nb);
        if (e)
            return e;
    }
    return 0;
}

/* Takes the label of a popped cell for expansion into *out (the
** expanded bit set); 0 when it was expanded with its value already. */
HOT int take(const struct dgrid *G, uint32_t cell, uint64_t *out, int par)
{
    uint64_t l = atomic_load_explicit(&G->lab[cell], memory_order_relaxed);
    for (;;) {
        if (l & EXPANDED)
            return 0;
        if (!par) {
            atomic_store_explicit(&G->lab[cell], l | EXPANDED, memory_order_relaxed);
            break;
        }
        if (atomic_compare_exchange_weak_explicit(&G->lab[cell], &l, l | EXPANDED,
                                                  memory_order_relaxed, memory_order_relaxed))
            break;
    }
    *out = l;
    return 1;
}

/* Every 65,536 pops: hear a stop; on the calling thread, report progress
** (a share of its own pops, scaled by the threads). */
static gpcov_status poll(struct wave *w, size_t pops, int nthreads)
{
    if (atomic_load_explicit(&w->G->stop, memory_order_relaxed))
        return GPCOV_ECANCEL;
    if (!w->ctx)
        return GPCOV_OK;
    double f = (double)pops * nthreads / (double)(w->passable ? w->passable : 1);
    return gpcov_progress(w->ctx, f < 0.99 ? f : 0.99, "travel time") ? GPCOV_ECANCEL
                                                                        : GPCOV_OK;
}

/* One wavefront: seeds its sources, empties its buckets in order. */
HOT gpcov_status drain(struct wave *w, int nthreads, int par)
{
    const struct dgrid *G = w->G;
    size_t pops = 0;
    int e = 0;
    for (size_t i = 0; i < w->nsrc && !e; i++)
        e = push(w, 0, w->src_cell[w->mine[i]]);
    while (!e && w->size) {
        struct bucket *b = &w->b[w->cur % G->ring];
        while (b->n && !e) {
            const uint32_t cell = b->a[--b->n];
            w->size--;
            if ((++pops & 0xffff) == 0 && poll(w, pops, nthreads))
                return GPCOV_ECANCEL;
            uint64_t l;
            if (take(G, cell, &l, par))
                e = relax(w, cell, l, par);
        }
        w->cur++;
    }
    return e == -1 ? GPCOV_ENOMEM : e == -2 ? GPCOV_EUSAGE : GPCOV_OK;
}

static gpcov_status run_wave(struct wave *w, int nthreads)
{
    return w->G->par ? drain(w, nthreads, 1) : drain(w, nthreads, 0);
}

static void *thread_main(void *p)
{
    struct wave *w = p;
    w->st = run_wave(w, 2);
    if (w->st)
        atomic_store_explicit(&w->G->stop, 1, memory_order_relaxed);
    return NULL;
}

/* A source's place, for the wavefronts' split: by column, cell, index. */
struct place {
    int64_t col, cell;
    int32_t i;
};

static int by_place(const void *a, const void *b)
{
    const struct place *p = a, *q = b;
    if (p->col != q->col)
        return p->col < q->col ? -1 : 1;
    if (p->cell != q->cell)
        return p->cell < q->cell ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* The sources sorted west to east and dealt out in turn, as in
** costdist_par.c; mine[] holds each wave's indices one after another. */
static int deal(struct wave *w, int nthreads, const int64_t *src_cells, size_t nsrc, int nx,
                int32_t *mine)
{
    struct place *o = malloc(nsrc * sizeof *o);
    if (!o)
        return -1;
    for (size_t s = 0; s < nsrc; s++)
        o[s] = (struct place){src_cells[s] % nx, src_cells[s], (int32_t)s};
    qsort(o, nsrc, sizeof *o, by_place);
    size_t at = 0;
    for (int t = 0; t < nthreads; t++) {
        w[t].mine = mine + at;
        for (size_t i = (size_t)t; i < nsrc; i += (size_t)nthreads)
            mine[at++] = o[i].i;
        w[t].nsrc = (size_t)(mine + at - w[t].mine);
    }
    free(o);
    return 0;
}

/* The padded friction and labels (barriers, not reached, the sources at
** cost 0, the lowest index where sources share a cell), the sources'
** padded cells, and the least and greatest friction of passable cells. */
static void fill(struct dgrid *G, const float *friction, const int64_t *src_cells, size_t nsrc,
                 uint32_t *src_cell, double *fmin, double *fmax)
{
    const int R = G->R, nxp = G->nxp;
    const size_t np = (size_t)nxp * (size_t)(G->ny + 2 * R);
    float lo = INFINITY, hi = 0;
    for (size_t i = 0; i < np; i++) {
        G->fr[i] = NAN;
        atomic_init(&G->lab[i], BARRIER);
    }
    for (int r = 0; r < G->ny; r++) {
        const float *f = friction + (size_t)r * (size_t)G->nx;
        const size_t p0 = (size_t)(r + R) * (size_t)nxp + (size_t)R;
        for (int c = 0; c < G->nx; c++) {
            G->fr[p0 + (size_t)c] = f[c];
            if (isnan(f[c]))
                continue;
            atomic_init(&G->lab[p0 + (size_t)c], UNREACHED);
            lo = f[c] < lo ? f[c] : lo;
            hi = f[c] > hi ? f[c] : hi;
        }
    }
    for (size_t s = 0; s < nsrc; s++) {
        int64_t r = src_cells[s] / G->nx, c = src_cells[s] % G->nx;
        uint32_t p = (uint32_t)((r + R) * nxp + c + R);
        src_cell[s] = p;
        if ((uint64_t)s < atomic_load_explicit(&G->lab[p], memory_order_relaxed))
            atomic_init(&G->lab[p], (uint64_t)s);
    }
    *fmin = lo;
    *fmax = hi;
}

/* The bucket width and the ring for frictions fmin..fmax; 0 when the
** bucket queue does not apply. */
static int size_ring(struct dgrid *G, const struct gpcov_grid *g, int knight, double fmin,
                     double fmax)
{
    double dx = g->gt[1], dy = -g->gt[5];
    double dmin = dx < dy ? dx : dy;
    double dmax = knight ? sqrt(4 * dx * dx + dy * dy) : sqrt(dx * dx + dy * dy);
    if (knight && sqrt(dx * dx + 4 * dy * dy) > dmax)
        dmax = sqrt(dx * dx + 4 * dy * dy);
    double width = fmin * dmin * (1 - 1.0 / 256);
    if (!(width > 0) || !isfinite(fmax))
        return 0;
    double ring = fmax * dmax / width * 1.01 + 4;
    if (!(ring < (double)MAX_RING))
        return 0;
    G->invb = 1 / width;
    G->ring = (size_t)ring;
    return 1;
}

/* Hands back to the system the labels below byte `upto` (from *done),
** in whole 2 MB pages of a large 2 MB-aligned array (gpcov_grid_alloc's). */
static void release(const struct dgrid *G, size_t upto, size_t *done)
{
    const size_t page = (size_t)2 << 20;
    char *base = (char *)G->lab;
    if ((uintptr_t)base % page != 0)
        return;
    upto = upto / page * page;
    if (upto > *done) {
        madvise(base + *done, upto - *done, MADV_DONTNEED); /* advice: may fail harmlessly */
        *done = upto;
    }
}

/* The labels into the outputs: the cost, and the source in the low bits;
** each row's labels handed back once written. */
static void write_out(const struct dgrid *G, float *cost_out, int32_t *nearest_out)
{
    size_t done = 0;
    for (int r = 0; r < G->ny; r++) {
        const size_t p0 = (size_t)(r + G->R) * (size_t)G->nxp + (size_t)G->R;
        const size_t i0 = (size_t)r * (size_t)G->nx;
        for (int c = 0; c < G->nx; c++) {
            uint64_t l = atomic_load_explicit(&G->lab[p0 + (size_t)c], memory_order_relaxed);
            l &= ~EXPANDED;
            int reached = l < UNREACHED;
            cost_out[i0 + (size_t)c] = reached ? (float)lab_cost(l) : copysignf(NAN, 1.0f);
            if (nearest_out)
                nearest_out[i0 + (size_t)c] = reached ? (int32_t)(l & SRCMASK) : -1;
        }
        release(G, (size_t)(r + G->R + 1) * (size_t)G->nxp * sizeof *G->lab, &done);
    }
}

/* The waves run: the others on their threads, the first on this one. */
static gpcov_status run_all(struct wave *w, int nthreads)
{
    int started = 1;
    gpcov_status st = GPCOV_OK;
    for (; started < nthreads; started++)
        if (pthread_create(&w[started].th, NULL, thread_main, &w[started]) != 0) {
            atomic_store(&w->G->stop, 1);
            st = GPCOV_ENOMEM;
            break;
        }
    gpcov_status own = st ? GPCOV_OK : run_wave(&w[0], nthreads);
    if (own)
        atomic_store(&w->G->stop, 1);
    for (int t = 1; t < started; t++)
        pthread_join(w[t].th, NULL);
    /* out of memory, then an overflowing ring, then a cancel */
    gpcov_status order[3] = {GPCOV_ENOMEM, GPCOV_EUSAGE, GPCOV_ECANCEL};
    for (int k = 0; k < 3; k++) {
        if (st == order[k] || own == order[k])
            return order[k];
        for (int t = 1; t < started; t++)
            if (w[t].st == order[k])
                return order[k];
    }
    return GPCOV_OK;
}

gpcov_status gpcov_costdist_dial(gpcov_ctx *ctx, const struct gpcov_grid *g,
                                 const float *friction, const int64_t *src_cells, size_t nsrc,
                                 int knight, double max_cost, size_t passable, int nthreads,
                                 float *cost_out, int32_t *nearest_out, int *applies)
{
    const int R = knight ? 2 : 1;
    const size_t np = (size_t)(g->nx + 2 * R) * (size_t)(g->ny + 2 * R);
    *applies = np <= UINT32_MAX;
    if (!*applies)
        return GPCOV_OK;
    struct dgrid G = {.nx = g->nx, .ny = g->ny, .nxp = g->nx + 2 * R, .R = R,
                      .par = nthreads > 1, .has_max = max_cost > 0 && isfinite(max_cost),
                      .max_cost = max_cost};
    atomic_init(&G.stop, 0);
    G.nmv = gpcov_costdist_moves(G.mv, knight, G.nxp, g->gt[1], -g->gt[5]);
    G.lab = gpcov_grid_alloc(np * sizeof *G.lab);
    G.fr = gpcov_grid_alloc(np * sizeof *G.fr);
    uint32_t *src_cell = malloc(nsrc * sizeof *src_cell);
    int32_t *mine = malloc(nsrc * sizeof *mine);
    struct wave w[GPCOV_COST_MAX_THREADS] = {{0}};
    gpcov_status st = GPCOV_OK;
    double fmin, fmax;
    if (!G.lab || !G.fr || !src_cell || !mine)
        st = GPCOV_ENOMEM;
    else {
        fill(&G, friction, src_cells, nsrc, src_cell, &fmin, &fmax);
        *applies = size_ring(&G, g, knight, fmin, fmax);
    }
    for (int t = 0; t < nthreads && !st && *applies; t++) {
        w[t] = (struct wave){.G = &G, .ctx = t ? NULL : ctx, .passable = passable,
                             .src_cell = src_cell};
        if (!(w[t].b = calloc(G.ring, sizeof *w[t].b)))
            st = GPCOV_ENOMEM;
    }
    if (!st && *applies && deal(w, nthreads, src_cells, nsrc, g->nx, mine))
        st = GPCOV_ENOMEM;
    if (!st && *applies && !(st = gpcov_progress(ctx, 0, "travel time"))) {
        st = run_all(w, nthreads);
        if (st == GPCOV_EUSAGE)
            *applies = 0, st = GPCOV_OK; /* the ring overflowed: the radix heap */
        else if (!st) {
            free(G.fr), G.fr = NULL;
            write_out(&G, cost_out, nearest_out);
            st = gpcov_progress(ctx, 1, "travel time");
        }
    }
    for (int t = 0; t < nthreads; t++) {
        for (size_t k = 0; w[t].b && k < G.ring; k++)
            free(w[t].b[k].a);
        free(w[t].b);
    }
    free(mine), free(src_cell), free(G.fr), free(G.lab);
    if (st == GPCOV_ENOMEM)
        return gpcov_err(ctx, GPCOV_ENOMEM, "travel time: out of memory");
    return st; /* a cancel: gpcov_progress left the message */
}
