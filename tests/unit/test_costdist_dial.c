/*
** test_costdist_dial.c: the bucket-queue friction search (costdist_dial.c)
** against the radix heap (GPCOV_COST_QUEUE=radix, costdist.c).  On random
** grids with barriers, knight's moves, cells that are not square and a
** maximum cost, the costs must be equal bit for bit and the nearest
** sources equal, on one thread and on two; exact ties must go to the lower
** source index with the costs worked out by hand; zero friction and
** frictions too far apart for buckets must fall back to the radix heap
** and still give the right costs.
*/
#include "gpcov.h"
#include "tap.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct gpcov_grid grid(int nx, int ny, double dx, double dy)
{
    struct gpcov_grid g = {nx, ny, {500000, dx, 0, 6200000, 0, -dy}, NULL};
    return g;
}

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* Random friction lo..hi with about 1 cell in nodata_every a barrier, and
** nsrc random sources off the barriers (some may share a cell). */
static void random_grid(unsigned seed, int nx, int ny, int nodata_every, double lo, double hi,
                        float *f, int64_t *src, size_t nsrc)
{
    unsigned s = seed;
    for (int i = 0; i < nx * ny; i++) {
        f[i] = (float)(lo + (hi - lo) * (double)(rnd(&s) % 10000) / 9999.0);
        if (nodata_every && rnd(&s) % (unsigned)nodata_every == 0)
            f[i] = NAN;
    }
    for (size_t k = 0; k < nsrc; k++) {
        src[k] = (int64_t)(rnd(&s) % (unsigned)(nx * ny));
        f[src[k]] = (float)lo;
    }
}

/* gpcov_costdist with the queue ("radix" or NULL: the default) and the
** threads chosen. */
static gpcov_status run(gpcov_ctx *ctx, const char *queue, const char *threads,
                        const struct gpcov_grid *g, const float *f, const int64_t *src,
                        size_t nsrc, int knight, double max, float *cost, int32_t *near)
{
    if (queue)
        setenv("GPCOV_COST_QUEUE", queue, 1);
    setenv("GPCOV_THREADS", threads, 1);
    gpcov_status st = gpcov_costdist(ctx, g, f, src, nsrc, knight, max, cost, near);
    unsetenv("GPCOV_COST_QUEUE");
    unsetenv("GPCOV_THREADS");
    return st;
}

/* Cells whose cost bits differ, whose nearest differs, and reached cells. */
static void diff(const float *a, const float *b, const int32_t *na, const int32_t *nb, size_t n,
                 int *bits, int *nearest, int *reached)
{
    *bits = *nearest = *reached = 0;
    for (size_t i = 0; i < n; i++) {
        *bits += memcmp(&a[i], &b[i], sizeof a[i]) != 0;
        *nearest += na[i] != nb[i];
        *reached += !isnan(a[i]);
    }
}

struct pair {
    float *f, *c1, *c2;
    int32_t *n1, *n2;
    size_t n;
};

static struct pair pair_new(size_t n)
{
    struct pair p = {malloc(n * sizeof(float)), malloc(n * sizeof(float)),
                     malloc(n * sizeof(float)), malloc(n * sizeof(int32_t)),
                     malloc(n * sizeof(int32_t)), n};
    return p;
}

static void pair_free(struct pair *p)
{
    free(p->f), free(p->c1), free(p->c2), free(p->n1), free(p->n2);
}

/* The radix heap on one thread, then the default queue on `threads`:
** equal bit for bit, the same nearest sources. */
static void compare(gpcov_ctx *ctx, const char *what, struct pair *p, const struct gpcov_grid *g,
                    const int64_t *src, size_t nsrc, int knight, double max, const char *threads,
                    int min_reached)
{
    gpcov_status s1 = run(ctx, "radix", "1", g, p->f, src, nsrc, knight, max, p->c1, p->n1);
    gpcov_status s2 = run(ctx, NULL, threads, g, p->f, src, nsrc, knight, max, p->c2, p->n2);
    OK(s1 == GPCOV_OK && s2 == GPCOV_OK, "%s, %s thread(s): both searches run", what, threads);
    int bits, nearest, reached;
    diff(p->c1, p->c2, p->n1, p->n2, p->n, &bits, &nearest, &reached);
    OK(reached >= min_reached, "%s: %d cells reached (at least %d)", what, reached,
       min_reached);
    OK(bits == 0, "%s, %s thread(s): costs equal to the radix heap's bit for bit (%d differ)",
       what, threads, bits);
    OK(nearest == 0, "%s, %s thread(s): nearest sources equal (%d differ)", what, threads,
       nearest);
}

static void test_random(gpcov_ctx *ctx)
{
    enum { NX = 300, NY = 220, NS = 40 };
    struct pair p = pair_new((size_t)NX * NY);
    int64_t src[NS];
    struct {
        const char *what;
        unsigned seed;
        int nodata, knight;
        double dy, lo, hi, max;
    } cases[] = {
        {"8 moves", 1, 0, 0, 100, 0.001, 0.05, 0},
        {"8 moves, barriers", 2, 7, 0, 100, 0.001, 0.05, 0},
        {"knight's moves, barriers", 3, 9, 1, 100, 0.001, 0.05, 0},
        {"knight's moves, 100 x 50 m cells, barriers", 4, 9, 1, 50, 0.001, 0.05, 0},
        {"8 moves, 100 x 30 m cells", 5, 0, 0, 30, 0.001, 0.05, 0},
        {"8 moves, barriers, max cost 60", 6, 7, 0, 100, 0.001, 0.05, 60},
        {"knight's moves, max cost 45", 7, 0, 1, 100, 0.001, 0.05, 45},
        {"8 moves, frictions 1,000 times apart (1,430 buckets)", 8, 7, 0, 100, 0.001, 1, 0},
        {"8 moves, frictions all equal (exact ties)", 9, 0, 0, 100, 0.02, 0.02, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct gpcov_grid g = grid(NX, NY, 100, cases[k].dy);
        random_grid(cases[k].seed, NX, NY, cases[k].nodata, cases[k].lo, cases[k].hi, p.f, src,
                    NS);
        int least = cases[k].max > 0 ? NX * NY / 4 : NX * NY * 3 / 4;
        compare(ctx, cases[k].what, &p, &g, src, NS, cases[k].knight, cases[k].max, "1", least);
        compare(ctx, cases[k].what, &p, &g, src, NS, cases[k].knight, cases[k].max, "2", least);
    }
    pair_free(&p);
}

/* A row of 11 cells 100 m wide, friction 0.01 (a step costs 1): source 0
** at the east end, source 1 at the west end.  Each cell costs its distance
** in cells to the nearer end; the middle one, 5 from both, goes to source
** 0, the lower index, though source 1 is listed later and its wave is
** dealt to another thread. */
static void test_ties(gpcov_ctx *ctx)
{
    struct gpcov_grid g = grid(11, 1, 100, 100);
    float f[11], c[11];
    int32_t near[11];
    int64_t src[2] = {10, 0};
    for (int i = 0; i < 11; i++)
        f[i] = 0.01f;
    const char *threads[] = {"1", "2"};
    for (int t = 0; t < 2; t++) {
        gpcov_status st = run(ctx, NULL, threads[t], &g, f, src, 2, 0, 0, c, near);
        int bad = 0, badnear = 0;
        for (int i = 0; i < 11; i++) {
            bad += c[i] != (float)(i < 5 ? i : 10 - i);
            badnear += near[i] != (i < 5 ? 1 : 0);
        }
        OK(st == GPCOV_OK && bad == 0, "%s thread(s): a row of equal friction: cost = cells to "
           "the nearer end (%d wrong)", threads[t], bad);
        OK(badnear == 0 && near[5] == 0,
           "%s thread(s): the middle cell, tied, goes to the lower index 0 (got %d; %d wrong)",
           threads[t], (int)near[5], badnear);
    }
    /* 21 x 21 equal friction, a source in each corner: the centre is tied
    ** four ways, bit for bit by symmetry, and goes to the lowest index, 0,
    ** the south-east corner */
    enum { N = 21 };
    struct gpcov_grid g2 = grid(N, N, 100, 100);
    float f2[N * N], c2[N * N];
    int32_t n2[N * N];
    int64_t corners[4] = {N * N - 1, 0, N - 1, N * (N - 1)};
    for (int i = 0; i < N * N; i++)
        f2[i] = 0.01f;
    for (int t = 0; t < 2; t++) {
        gpcov_status st = run(ctx, NULL, threads[t], &g2, f2, corners, 4, 0, 0, c2, n2);
        const int mid = N * N / 2;
        /* 10 diagonal steps of 0.01 * 100 sqrt(2) */
        OK(st == GPCOV_OK && fabs(c2[mid] - 10 * sqrt(2.0)) < 1e-5 && n2[mid] == 0,
           "%s thread(s): the centre of four corners costs 10 sqrt(2) = %.6f (got %.6f) and goes "
           "to source 0 (got %d)", threads[t], 10 * sqrt(2.0), (double)c2[mid], (int)n2[mid]);
        OK(n2[0] == 1 && n2[N - 1] == 2 && n2[N * (N - 1)] == 3 && n2[N * N - 1] == 0,
           "%s thread(s): each corner is its own source's", threads[t]);
    }
}

/* Where the buckets do not apply the radix heap runs, with the right
** costs: zero friction (a move can cost nothing), and frictions a million
** times apart (a ring of more than 2^21 buckets). */
static void test_fallback(gpcov_ctx *ctx)
{
    /* 1 x 11, 100 m cells, friction 0.01 but 0 in columns 3..7, source
    ** at column 0: steps of 1, 1, then 0.5 onto the zero cells, 0 along
    ** them, 0.5 off them, then 1 each */
    struct gpcov_grid g = grid(11, 1, 100, 100);
    float f[11], c[11];
    int32_t near[11];
    const float want[11] = {0, 1, 2, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 3, 4, 5};
    for (int i = 0; i < 11; i++)
        f[i] = i >= 3 && i <= 7 ? 0.0f : 0.01f;
    int64_t src[2] = {0, 10};
    const char *threads[] = {"1", "2"};
    for (int t = 0; t < 2; t++) {
        gpcov_status st = run(ctx, NULL, threads[t], &g, f, src, 1, 0, 0, c, near);
        int bad = 0;
        for (int i = 0; i < 11; i++)
            bad += c[i] != want[i];
        OK(st == GPCOV_OK && bad == 0,
           "%s thread(s): zero friction in columns 3..7: 0 1 2 2.5 2.5 2.5 2.5 2.5 3 4 5 "
           "(%d wrong; column 5 %g)", threads[t], bad, (double)c[5]);
        /* two sources, one at each end: the zero cells tie at 2.5 */
        st = run(ctx, NULL, threads[t], &g, f, src, 2, 0, 0, c, near);
        int tied = 0;
        for (int i = 3; i <= 7; i++)
            tied += c[i] == 2.5f && near[i] == 0;
        OK(st == GPCOV_OK && tied == 5 && near[8] == 1 && c[8] == 2,
           "%s thread(s): two ends, the zero cells tie at 2.5 and go to source 0 (%d of 5)",
           threads[t], tied);
    }
    /* 1 x 4, frictions 1e-6, 1e-6, 1, 1 per metre, 100 m cells */
    float f2[4] = {1e-6f, 1e-6f, 1, 1}, c2[4];
    int32_t n2[4];
    struct gpcov_grid g2 = grid(4, 1, 100, 100);
    int64_t s0 = 0;
    double w1 = 100 * 1e-6f, w2 = w1 + 50 * (1e-6f + 1.0), w3 = w2 + 100;
    for (int t = 0; t < 2; t++) {
        gpcov_status st = run(ctx, NULL, threads[t], &g2, f2, &s0, 1, 0, 0, c2, n2);
        OK(st == GPCOV_OK && c2[0] == 0 && fabs(c2[1] - w1) < 1e-12 &&
               fabs(c2[2] - w2) < 1e-5 && fabs(c2[3] - w3) < 1e-5,
           "%s thread(s): frictions 1e6 times apart: %g %g %g (want %g %g %g)", threads[t],
           (double)c2[1], (double)c2[2], (double)c2[3], w1, w2, w3);
    }
    /* a random grid with zero friction in about 1 cell in 8: the same
    ** costs as the radix heap asked for directly */
    enum { NX = 200, NY = 150, NS = 12 };
    struct pair p = pair_new((size_t)NX * NY);
    int64_t rs[NS];
    random_grid(31, NX, NY, 9, 0.001, 0.05, p.f, rs, NS);
    unsigned s = 5;
    for (int i = 0; i < NX * NY; i++)
        if (!isnan(p.f[i]) && rnd(&s) % 8 == 0)
            p.f[i] = 0;
    struct gpcov_grid g3 = grid(NX, NY, 100, 100);
    compare(ctx, "zero friction in 1 cell in 8", &p, &g3, rs, NS, 1, 0, "1", NX * NY / 2);
    compare(ctx, "zero friction in 1 cell in 8", &p, &g3, rs, NS, 1, 0, "2", NX * NY / 2);
    pair_free(&p);
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(test_random, ctx);
    RUN_ON(test_ties, ctx);
    RUN_ON(test_fallback, ctx);
    gpcov_ctx_free(ctx);
    return tap_done();
}
