/* test_dijkstra.c: road travel times from many sources at once
** (dijkstra.c) on a six-node graph built by hand, with one-way edges of
** different times each way, several sources with start times, seeds of one
** source at two nodes, a time limit, ties to the lower source, and the
** refused sources with their messages; then a random graph against a
** Bellman-Ford search written here, with and without a limit. */
#include "gpcov.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>

/*      0 --2--> 1     1 --5--> 0 (the way back is slower)
**      0 --10-> 2     1 --3--> 2     2 --1--> 3
**      3 --4--> 4     4 --1--> 3     5 --1--> 0 (nothing leads into 5) */
static size_t hand_first[7] = {0, 2, 4, 5, 6, 7, 8};
static uint32_t hand_to[8] = {1, 2, 0, 2, 3, 4, 3, 0};
static double hand_min[8] = {2, 10, 5, 3, 1, 4, 1, 1};
static double hx[6], hy[6];
static const struct gpcov_network hand = {.nnodes = 6, .nedges = 8, .x = hx, .y = hy,
                                          .first = hand_first, .to = hand_to,
                                          .minutes = hand_min};

/* t and near against the expected values, one check for the lot */
static int same(const double *t, const int32_t *near, const double *et, const int32_t *en,
                size_t n)
{
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        if (!(t[i] == et[i]) || (near && near[i] != en[i])) {
            printf("#   node %zu: %g from %d, expected %g from %d\n", i, t[i],
                   near ? near[i] : -9, et[i], en[i]);
            ok = 0;
        }
    return ok;
}

static void case_one_way(gpcov_ctx *ctx)
{
    double t[6];
    int32_t near[6];
    const double I = INFINITY;
    uint32_t s = 0;
    OK(gpcov_network_times(ctx, &hand, &s, NULL, 1, 0, t, near) == GPCOV_OK, "from node 0");
    OK(same(t, near, (double[]){0, 2, 5, 6, 10, I}, (int32_t[]){0, 0, 0, 0, 0, -1}, 6),
       "from 0: 2 to 1, 5 to 2 by 1 (not 10 direct), 6 to 3, 10 to 4, 5 unreachable");
    s = 1;
    gpcov_network_times(ctx, &hand, &s, NULL, 1, 0, t, near);
    OK(same(t, near, (double[]){5, 0, 3, 4, 8, I}, (int32_t[]){0, 0, 0, 0, 0, -1}, 6),
       "from 1: back to 0 takes 5 (the one-way 1->0), not the 2 of 0->1");
    s = 2;
    gpcov_network_times(ctx, &hand, &s, NULL, 1, 0, t, near);
    OK(same(t, near, (double[]){I, I, 0, 1, 5, I}, (int32_t[]){-1, -1, 0, 0, 0, -1}, 6),
       "from 2: only 3 and 4 downstream; 0 and 1 unreachable against the one-way edges");
    s = 5;
    gpcov_network_times(ctx, &hand, &s, NULL, 1, 0, t, NULL);
    OK(same(t, NULL, (double[]){1, 3, 6, 7, 11, 0}, NULL, 6),
       "from 5, the node nothing leads into: everything, one more minute than from 0; "
       "nearest may be NULL");
}

static void case_sources(gpcov_ctx *ctx)
{
    double t[6];
    int32_t near[6];
    const double I = INFINITY;
    uint32_t two[2] = {0, 4};
    double start[2] = {0, 1};
    OK(gpcov_network_times(ctx, &hand, two, start, 2, 0, t, near) == GPCOV_OK,
       "two sources, the second starting a minute late");
    OK(same(t, near, (double[]){0, 2, 5, 2, 1, I}, (int32_t[]){0, 0, 0, 1, 1, -1}, 6),
       "3 goes to the late source at 4 (1+1 = 2 < 6), the rest to 0");
    start[1] = 7;
    gpcov_network_times(ctx, &hand, two, start, 2, 0, t, near);
    OK(same(t, near, (double[]){0, 2, 5, 6, 7, I}, (int32_t[]){0, 0, 0, 0, 1, -1}, 6),
       "starting at 7 the second source keeps only its own node (7 < 10)");
    start[1] = 10;
    gpcov_network_times(ctx, &hand, two, start, 2, 0, t, near);
    OK(same(t, near, (double[]){0, 2, 5, 6, 10, I}, (int32_t[]){0, 0, 0, 0, 0, -1}, 6),
       "a tie at node 4 (10 both ways) goes to the lower source");
    /* the same tie with the sources listed the other way round */
    uint32_t rev[2] = {4, 0};
    double rstart[2] = {10, 0};
    gpcov_network_times(ctx, &hand, rev, rstart, 2, 0, t, near);
    OK(same(t, near, (double[]){0, 2, 5, 6, 10, I}, (int32_t[]){1, 1, 1, 1, 0, -1}, 6),
       "listed the other way round, the tie goes to the new lower index 0 (node 4)");
    /* seeds: ids given, source 0 at two nodes; a tie at 3 between 2 and 4 */
    uint32_t node[3] = {2, 4, 1};
    double st3[3] = {0, 0, 0.5};
    int32_t id[3] = {1, 0, 1};
    OK(gpcov_network_times_seeds(ctx, &hand, node, st3, id, 3, 0, t, near) == GPCOV_OK,
       "three seeds of two sources");
    OK(same(t, near, (double[]){5.5, 0.5, 0, 1, 0, I}, (int32_t[]){1, 1, 1, 0, 0, -1}, 6),
       "3 is reached at 1 from node 2 (source 1) and node 4 (source 0): source 0 wins; "
       "source 1's second seed reaches 0 at 0.5+5");
}

static void case_limit(gpcov_ctx *ctx)
{
    double t[6];
    int32_t near[6];
    const double I = INFINITY;
    uint32_t s = 0;
    OK(gpcov_network_times(ctx, &hand, &s, NULL, 1, 5, t, near) == GPCOV_OK, "a 5-minute limit");
    OK(same(t, near, (double[]){0, 2, 5, I, I, I}, (int32_t[]){0, 0, 0, -1, -1, -1}, 6),
       "node 2 at exactly 5 is kept; 3 (6) and 4 (10) are beyond, with no nearest");
    uint32_t two[2] = {0, 4};
    double start[2] = {0, 6};
    gpcov_network_times(ctx, &hand, two, start, 2, 5, t, near);
    OK(same(t, near, (double[]){0, 2, 5, I, I, I}, (int32_t[]){0, 0, 0, -1, -1, -1}, 6),
       "a source starting after the limit reaches nothing, not even its own node");
}

static void case_refused(gpcov_ctx *ctx)
{
    double t[6];
    uint32_t bad[2] = {0, 6};
    OK(gpcov_network_times(ctx, &hand, bad, NULL, 2, 0, t, NULL) == GPCOV_EUSAGE,
       "a source beyond the graph is refused");
    STREQ(gpcov_ctx_message(ctx), "source 2: node 6 is not in the graph", "with its message");
    uint32_t s[1] = {1};
    double neg[1] = {-1};
    OK(gpcov_network_times(ctx, &hand, s, neg, 1, 0, t, NULL) == GPCOV_EUSAGE,
       "a negative start time is refused");
    STREQ(gpcov_ctx_message(ctx), "source 1: start time -1", "with its message");
    double nan_[1] = {NAN};
    OK(gpcov_network_times(ctx, &hand, s, nan_, 1, 0, t, NULL) == GPCOV_EUSAGE,
       "a start time that is not a number is refused");
    t[0] = 42;
    OK(gpcov_network_times(ctx, &hand, NULL, NULL, 0, 0, t, NULL) == GPCOV_OK && isinf(t[0]) &&
           isinf(t[5]),
       "no sources at all: every node unreachable");
}

/* A deterministic generator: the same graph on every run. */
static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

enum { RN = 300, RE = 1200, RS = 4 };

/* Bellman-Ford over the edge list with the same order on (time, source):
** relax every edge until nothing changes; beyond the limit is INFINITY. */
static void bellman_ford(const uint32_t *eu, const uint32_t *ev, const double *ew,
                         const uint32_t *src, const double *start, double lim, double *t,
                         int32_t *near)
{
    for (int i = 0; i < RN; i++) {
        t[i] = INFINITY;
        near[i] = -1;
    }
    for (int k = 0; k < RS; k++)
        if (start[k] < t[src[k]] || (start[k] == t[src[k]] && k < near[src[k]])) {
            t[src[k]] = start[k];
            near[src[k]] = k;
        }
    for (int changed = 1; changed;) {
        changed = 0;
        for (int e = 0; e < RE; e++) {
            double c = t[eu[e]] + ew[e];
            if (near[eu[e]] >= 0 &&
                (c < t[ev[e]] || (c == t[ev[e]] && near[eu[e]] < near[ev[e]]))) {
                t[ev[e]] = c;
                near[ev[e]] = near[eu[e]];
                changed = 1;
            }
        }
    }
    for (int i = 0; lim > 0 && i < RN; i++)
        if (t[i] > lim) {
            t[i] = INFINITY;
            near[i] = -1;
        }
}

static void case_random(gpcov_ctx *ctx)
{
    static uint32_t eu[RE], ev[RE], to[RE];
    static double ew[RE], w[RE], xy[RN];
    static size_t first[RN + 1];
    /* quarter minutes: sums are exact, so ties happen and compare exactly */
    for (int e = 0; e < RE; e++) {
        eu[e] = rnd(RN);
        ev[e] = rnd(RN);
        ew[e] = rnd(40) * 0.25;
    }
    for (int e = 0; e < RE; e++) /* the same edges in CSR form */
        first[eu[e] + 1]++;
    for (int i = 0; i < RN; i++)
        first[i + 1] += first[i];
    size_t fill[RN];
    for (int i = 0; i < RN; i++)
        fill[i] = first[i];
    for (int e = 0; e < RE; e++) {
        to[fill[eu[e]]] = ev[e];
        w[fill[eu[e]]++] = ew[e];
    }
    struct gpcov_network net = {.nnodes = RN, .nedges = RE, .x = xy, .y = xy, .first = first,
                                .to = to, .minutes = w};
    uint32_t src[RS] = {rnd(RN), rnd(RN), rnd(RN), 0};
    src[3] = src[0]; /* one node seeded twice, by two sources */
    double start[RS] = {rnd(8) * 0.25, rnd(8) * 0.25, 0, 0.5};
    double lims[2] = {0, 6};
    for (int l = 0; l < 2; l++) {
        double t[RN], bt[RN];
        int32_t near[RN], bn[RN];
        OK(gpcov_network_times(ctx, &net, src, start, RS, lims[l], t, near) == GPCOV_OK,
           "a random graph of %d nodes and %d one-way edges, limit %g", RN, RE, lims[l]);
        bellman_ford(eu, ev, ew, src, start, lims[l], bt, bn);
        int reached = 0, ties = 0;
        for (int i = 0; i < RN; i++)
            reached += isfinite(bt[i]) != 0;
        for (int e = 0; e < RE; e++)
            ties += bn[eu[e]] >= 0 && bn[ev[e]] >= 0 && bn[eu[e]] != bn[ev[e]] &&
                    bt[eu[e]] + ew[e] == bt[ev[e]];
        OK(same(t, near, bt, bn, RN),
           "the same times and nearest sources as Bellman-Ford (%d nodes reached, %d ties)",
           reached, ties);
        OK(reached > 20 && reached < RN, "the check is not empty");
    }
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_one_way, ctx);
    RUN_ON(case_sources, ctx);
    RUN_ON(case_limit, ctx);
    RUN_ON(case_refused, ctx);
    RUN_ON(case_random, ctx);
    gpcov_ctx_free(ctx);
    return tap_done();
}
