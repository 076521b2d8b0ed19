/*
** costdist_par.c: the friction search of costdist.c on several cores at
** once: competing wavefronts.  The sources are split into groups, one per
** thread; each thread runs its own Dijkstra search (its own radix heap)
** from its group, and all of them relax into one shared label per cell.
** Same cost model, same results as the one-thread search (costdist.c).
**
** The label is one 64-bit word per cell, changed only by an atomic
** compare-and-swap that lowers it, so it only ever decreases: the bits of
** the cost (non-negative doubles order like their bits) ORed with the
** source index in the low GPCOV_COST_SRC_BITS bits of the mantissa, which
** both searches keep zero (gpcov_cost_round).  So the word orders by
** (cost, source), and a cost and the source that gave it always agree.
** A thread
**   - pops (c, cell, s) from its own heap and skips it unless the cell's
**     label is still (c, s): another wavefront got there for less (or for
**     as much, from a lower source) and propagates that;
**   - else relaxes every move: a neighbour whose label costs less than c
**     needs nothing (moves cost >= 0); else with the candidate cost nc it
**     lowers the neighbour's label to (nc, s) when that is less, and then,
**     only then, pushes (nc, neighbour, s) onto its own heap.
** Why the costs are exact, the same as the one-thread search's bit for
** bit.  Let D(v) be v's cost in the one-thread search: the least over all
** paths of the cost accumulated step by step, each step's sum rounded
** (adding a step is monotone in the cost it is added to, which is why
** Dijkstra settles this minimum).  Every label and every heap entry is the
** cost of a real path, so cost(label(v)) >= D(v) at all times.  Take a
** least path from a source s0 through u0 = s0, u1, ..., un = v.  Induction
** on i: at the end, label(ui) costs D(ui), and the entry that set it was
** pushed and popped unskipped (labels only fall, and no label costs less
** than D(ui)) and so relaxed ui's moves.  For u0 the seeding sets the
** label and pushes it.  For ui+1: when ui's final label was relaxed, the
** candidate D(ui+1) either lowered label(ui+1) (and was pushed) or found
** it already at most (D(ui+1), s), so costing D(ui+1), set by an entry
** that was pushed.  A label costing D(ui+1) is never replaced but by
** another costing D(ui+1) with a lower source, which is pushed in turn;
** the last of them is never skipped.  Every thread runs until its heap is
** empty, so the search ends with every label at its least cost, whatever
** the interleaving: the costs are deterministic and equal the one-thread
** search's.  This is the argument of parallel label-correcting searches:
** a label only falls, each fall is propagated by the thread that made it,
** and the search ends when no thread has anything left to propagate.  (A
** thread's own pushes are never below its last pop, as the radix heap
** needs: a step costs >= 0.)
** The source of a cell is the one in its least label: the least
** (cost, source) among the candidates, so the source of the least cost,
** and on equal costs the lower index, as in the one-thread search.  Both
** searches can differ in one case: when two sources reach a cell at costs
** so close that a later step's rounding makes them equal, the one-thread
** search keeps the source of the lower one, while here the first to get
** there may win (the nearest source, not the cost, can then differ
** between runs).  On the benchmark grids this never happened.
** Work: a cell is mostly expanded once, by the wavefront that reaches it
** for less; cells that a wavefront reaches before the better one does are
** expanded twice.  The cores hide each other's memory stalls, which are
** most of the time of a search (the popped cells are scattered over the
** grid).
** Only the calling thread reports progress (and so calls the callback); a
** cancel stops the others through a shared flag.  Memory besides the
** outputs: the labels, 8 bytes a cell, and one heap per thread.
*/
#include "travel_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Labels above every finite cost: a barrier (never relaxed into), and a
** cell not reached yet. */
#define BARRIER UINT64_MAX
#define UNREACHED (UINT64_MAX - 1)

struct shared {
    _Atomic uint64_t *lab;
    const float *fr;
    const struct gpcov_move *mv;
    int nmv, nx, ny, R, has_max;
    double max_cost;
    uint64_t mask; /* the source bits */
    atomic_int stop;
};

struct worker {
    struct shared *sh;
    size_t nsrc;
    const int64_t *cells; /* all sources' cells */
    const int32_t *mine;  /* nsrc indices into cells */
    _Atomic size_t pops;
    atomic_int done;
    pthread_t th;
};

static inline uint64_t dbits(double d)
{
    uint64_t k;
    memcpy(&k, &d, sizeof k);
    return k;
}

/* Every 65,536 pops: publish the count, hear a stop, and (the main thread)
** report progress over all threads' counts. */
static gpcov_status poll_others(struct worker *w, gpcov_ctx *ctx, struct worker *all, int nall,
                                size_t passable, size_t pops)
{
    atomic_store_explicit(&w->pops, pops, memory_order_relaxed);
    if (atomic_load_explicit(&w->sh->stop, memory_order_relaxed))
        return GPCOV_ECANCEL;
    if (ctx) {
        size_t sum = 0;
        for (int t = 0; t < nall; t++)
            sum += atomic_load_explicit(&all[t].pops, memory_order_relaxed);
        double f = (double)sum / (double)(passable ? passable : 1);
        if (gpcov_progress(ctx, f < 0.99 ? f : 0.99, "travel time"))
            return GPCOV_ECANCEL;
    }
    return GPCOV_OK;
}

/* Lowers the labels of the neighbours of cell (at ecost, key et, from
** source src) that it reaches for less, and pushes them onto h; nonzero
** when out of memory. */
static int relax(const struct shared *sh, struct gpcov_rheap *h, uint32_t cell, double ecost,
                 uint64_t et, int32_t src)
{
    _Atomic uint64_t *lab = sh->lab;
    const float *fr = sh->fr;
    const uint64_t keep = ~sh->mask, esrc = (uint64_t)(uint32_t)src;
    const int nx = sh->nx, ny = sh->ny, R = sh->R;
    const int r = (int)(cell / (uint32_t)nx), c = (int)(cell % (uint32_t)nx);
    const int inner = r >= R && r < ny - R && c >= R && c < nx - R;
    const double fa = fr[cell];
    for (int k = 0; k < sh->nmv; k++) {
        const struct gpcov_move *m = &sh->mv[k];
        if (!gpcov_move_inside(m, inner, r, c, nx, ny))
            continue;
        const size_t nb = (size_t)((ptrdiff_t)cell + m->off);
        uint64_t cur = atomic_load_explicit(&lab[nb], memory_order_relaxed);
        if (cur == BARRIER || (cur & keep) < et)
            continue; /* a barrier, or reached for less than this cell */
        const double nc = gpcov_move_cost(m, fr, cell, nb, fa, ecost);
        if (nc < 0 || (sh->has_max && nc > sh->max_cost))
            continue;
        const uint64_t key = dbits(nc) | esrc;
        for (;;) {
            if (key >= cur)
                goto next; /* someone has it for as little */
            if (atomic_compare_exchange_weak_explicit(&lab[nb], &cur, key,
                                                      memory_order_relaxed,
                                                      memory_order_relaxed))
                break;
        }
        if (gpcov_rheap_push(h, nc, (uint32_t)nb, src))
            return -1;
    next:;
    }
    return 0;
}

/* One wavefront: the search from w's sources until its heap is empty, or
** until stop is set.  Called by the main thread with ctx (it reports
** progress, polling the others' counts) and by the others with NULL.
** Returns GPCOV_OK, GPCOV_ENOMEM or GPCOV_ECANCEL. */
static gpcov_status search(struct worker *w, gpcov_ctx *ctx, struct worker *all, int nall,
                           size_t passable)
{
    struct shared *sh = w->sh;
    struct gpcov_rheap h = {0};
    gpcov_status st = GPCOV_OK;
    size_t pops = 0;
    for (size_t i = 0; i < w->nsrc && !st; i++) {
        int32_t s = w->mine[i];
        if (gpcov_rheap_push(&h, 0.0, (uint32_t)w->cells[s], s))
            st = GPCOV_ENOMEM;
    }
    if (!st)
        gpcov_rheap_start(&h);
    while (!st && h.size) {
        struct gpcov_rent e;
        if (gpcov_rheap_pop(&h, &e)) {
            st = GPCOV_ENOMEM;
            break;
        }
        if ((++pops & 0xffff) == 0 && (st = poll_others(w, ctx, all, nall, passable, pops)))
            break;
        const uint32_t cell = e.cell;
        const uint64_t esrc = (uint64_t)(uint32_t)e.src, et = e.key;
        if ((et | esrc) != atomic_load_explicit(&sh->lab[cell], memory_order_relaxed))
            continue; /* another wavefront got here for less */
        if (relax(sh, &h, cell, gpcov_rheap_cost(e.key), et, e.src))
            st = GPCOV_ENOMEM;
    }
    atomic_store_explicit(&w->pops, pops, memory_order_relaxed);
    if (st)
        atomic_store_explicit(&sh->stop, 1, memory_order_relaxed);
    gpcov_rheap_free(&h);
    return st;
}

struct thread_arg {
    struct worker *w;
    gpcov_status st;
};

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    a->st = search(a->w, NULL, NULL, 0, 0);
    atomic_store_explicit(&a->w->done, 1, memory_order_release);
    return NULL;
}

/* A source's place, for the wavefronts' split: by column, row, index. */
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

/* One parallel run: the shared labels, the workers and their threads. */
struct par {
    gpcov_ctx *ctx;
    struct shared sh;
    struct worker w[GPCOV_COST_MAX_THREADS];
    struct thread_arg arg[GPCOV_COST_MAX_THREADS];
    int nthreads, started;
    size_t passable;
    struct place *order;
    int32_t *groups;
};

/* The labels: barriers, not reached, and the sources at cost 0 (the
** lowest index where sources share a cell), and the sources' places. */
static void start_labels(struct par *P, const struct gpcov_grid *g, const float *friction,
                         const int64_t *src_cells, size_t nsrc, size_t n)
{
    _Atomic uint64_t *lab = P->sh.lab;
    for (size_t i = 0; i < n; i++)
        atomic_init(&lab[i], isnan(friction[i]) ? BARRIER : UNREACHED);
    for (size_t s = 0; s < nsrc; s++) {
        uint64_t key = (uint64_t)s; /* cost 0, source s */
        if (key < atomic_load_explicit(&lab[src_cells[s]], memory_order_relaxed))
            atomic_store_explicit(&lab[src_cells[s]], key, memory_order_relaxed);
        P->order[s] = (struct place){src_cells[s] % g->nx, src_cells[s], (int32_t)s};
    }
}

/* Wavefronts: the sources sorted west to east and dealt out in turn.
** On the benchmark grid (25 sources) this gave the threads 10.8 and
** 11.3 million pops; halves west and east of the median gave 8.5 and
** 13.2 million. */
static void deal_sources(struct par *P, const int64_t *src_cells, size_t nsrc)
{
    qsort(P->order, nsrc, sizeof *P->order, by_place);
    size_t at = 0;
    for (int t = 0; t < P->nthreads; t++) {
        size_t k0 = at;
        for (size_t i = (size_t)t; i < nsrc; i += (size_t)P->nthreads)
            P->groups[at++] = P->order[i].i;
        P->w[t] = (struct worker){.sh = &P->sh, .nsrc = at - k0, .cells = src_cells,
                                  .mine = P->groups + k0};
        atomic_init(&P->w[t].pops, 0);
        atomic_init(&P->w[t].done, 0);
    }
}

/* Waits for thread t, reporting progress (and hearing a cancel) while it
** runs; *own becomes GPCOV_ECANCEL on a cancel when it was OK. */
static void wait_thread(struct par *P, int t, gpcov_status *own)
{
    struct worker *w = P->w;
    while (!atomic_load_explicit(&w[t].done, memory_order_acquire)) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
        size_t sum = 0;
        for (int u = 0; u < P->nthreads; u++)
            sum += atomic_load_explicit(&w[u].pops, memory_order_relaxed);
        double f = (double)sum / (double)(P->passable ? P->passable : 1);
        if (!atomic_load(&P->sh.stop) &&
            gpcov_progress(P->ctx, f < 0.99 ? f : 0.99, "travel time"))
            atomic_store(&P->sh.stop, 1), *own = *own ? *own : GPCOV_ECANCEL;
    }
    pthread_join(w[t].th, NULL);
}

/* The other threads started, the first wavefront searched on this one,
** the others waited for; the status of them all. */
static gpcov_status run_threads(struct par *P)
{
    gpcov_ctx *ctx = P->ctx;
    gpcov_status st = GPCOV_OK;
    for (int t = 1; t < P->nthreads; t++) {
        P->arg[t].w = &P->w[t];
        P->arg[t].st = GPCOV_OK;
        if (pthread_create(&P->w[t].th, NULL, thread_main, &P->arg[t]) != 0) {
            atomic_store(&P->sh.stop, 1);
            st = gpcov_err(ctx, GPCOV_ENOMEM, "travel time: cannot start a thread");
            break;
        }
        P->started++;
    }
    gpcov_status own = st ? GPCOV_OK : search(&P->w[0], ctx, P->w, P->nthreads, P->passable);
    /* the others may still run: keep reporting (and hearing a cancel) */
    for (int t = 1; t <= P->started; t++)
        wait_thread(P, t, &own);
    if (st)
        return st;
    /* out of memory anywhere comes first: a cancel it caused is no cancel */
    for (int t = 1; t <= P->started; t++)
        if (P->arg[t].st == GPCOV_ENOMEM)
            own = GPCOV_ENOMEM;
    for (int t = 1; t <= P->started && own == GPCOV_OK; t++)
        own = P->arg[t].st;
    if (own == GPCOV_ENOMEM)
        return gpcov_err(ctx, GPCOV_ENOMEM, "travel time: out of memory");
    return own; /* a cancel: gpcov_progress left the message */
}

/* The labels into the outputs: the cost, and the source in the low bits. */
static void write_costs(const struct shared *sh, size_t n, float *cost_out, int32_t *nearest_out)
{
    const uint64_t mask = sh->mask;
    for (size_t i = 0; i < n; i++) {
        uint64_t l = atomic_load_explicit(&sh->lab[i], memory_order_relaxed);
        int reached = l < UNREACHED;
        cost_out[i] = reached ? (float)gpcov_rheap_cost(l & ~mask) : copysignf(NAN, 1.0f);
        if (nearest_out)
            nearest_out[i] = reached ? (int32_t)(l & mask) : -1;
    }
}

gpcov_status gpcov_costdist_par(gpcov_ctx *ctx, const struct gpcov_grid *g,
                                const float *friction, const int64_t *src_cells, size_t nsrc,
                                const struct gpcov_move *mv, int nmv, double max_cost,
                                size_t passable, int nthreads, float *cost_out,
                                int32_t *nearest_out)
{
    const size_t n = (size_t)g->nx * (size_t)g->ny;
    int knight = nmv > 8;
    struct par P = {.ctx = ctx,
                    .sh = {.fr = friction,
                           .mv = mv,
                           .nmv = nmv,
                           .nx = g->nx,
                           .ny = g->ny,
                           .R = knight ? 2 : 1,
                           .has_max = max_cost > 0 && isfinite(max_cost),
                           .max_cost = max_cost},
                    .nthreads = nthreads,
                    .passable = passable};
    atomic_init(&P.sh.stop, 0);
    P.sh.mask = ((uint64_t)1 << GPCOV_COST_SRC_BITS) - 1;
    P.sh.lab = gpcov_grid_alloc(n * sizeof *P.sh.lab);
    P.order = malloc(nsrc * sizeof *P.order);
    gpcov_status st = GPCOV_OK;
    if (!P.sh.lab || !P.order)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "travel time: out of memory");
    else {
        start_labels(&P, g, friction, src_cells, nsrc, n);
        if (!(P.groups = malloc(nsrc * sizeof *P.groups)))
            st = gpcov_err(ctx, GPCOV_ENOMEM, "travel time: out of memory");
    }
    if (!st) {
        deal_sources(&P, src_cells, nsrc);
        if (!(st = gpcov_progress(ctx, 0, "travel time")) && !(st = run_threads(&P))) {
            write_costs(&P.sh, n, cost_out, nearest_out);
            st = gpcov_progress(ctx, 1, "travel time");
        }
    }
    free(P.groups);
    free(P.order);
    free(P.sh.lab);
    return st;
}
