/* test_segindex.c: nearest road segment queries (segindex.c) against a
** brute-force search over random segments: the same distance, the point's
** place along the segment, the flag mask, unchosen segments and the
** distance limit. */
#include "travel/segindex.h"
#include "tap.h"

#include <stdlib.h>

#define NSEG 300

static double xs[2 * NSEG], ys[2 * NSEG];
static uint32_t su[NSEG], sv[NSEG];
static uint8_t chosen[NSEG], flag[NSEG];
static struct gpcov_network net;

static double frand(double lo, double hi)
{
    return lo + (hi - lo) * (double)rand() / RAND_MAX;
}

/* segments of up to 800 m in a 20 km square; every third not chosen,
** every other flagged 2 as well as 1 */
static void make_net(void)
{
    srand(42);
    for (int s = 0; s < NSEG; s++) {
        xs[2 * s] = frand(600000, 620000), ys[2 * s] = frand(6100000, 6120000);
        xs[2 * s + 1] = xs[2 * s] + frand(-800, 800), ys[2 * s + 1] = ys[2 * s] + frand(-800, 800);
        su[s] = (uint32_t)(2 * s), sv[s] = (uint32_t)(2 * s + 1);
        chosen[s] = s % 3 != 0;
        flag[s] = s % 2 ? 3 : 1;
    }
    net.nnodes = 2 * NSEG, net.x = xs, net.y = ys;
    net.nseg = NSEG, net.seg_u = su, net.seg_v = sv;
}

/* distance from (x, y) to segment s, and where on it */
static double seg_dist(int s, double x, double y, double *f)
{
    double ax = xs[su[s]], ay = ys[su[s]], dx = xs[sv[s]] - ax, dy = ys[sv[s]] - ay;
    double t = ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    *f = t;
    return hypot(ax + t * dx - x, ay + t * dy - y);
}

/* the brute-force nearest chosen segment with flag & mask, or -1 */
static int brute(uint8_t mask, double x, double y, double maxd, double *d)
{
    int best = -1;
    double f;
    *d = INFINITY;
    for (int s = 0; s < NSEG; s++) {
        double e = seg_dist(s, x, y, &f);
        if (chosen[s] && (flag[s] & mask) && e <= maxd && e < *d)
            *d = e, best = s;
    }
    return best;
}

static void test_against_brute_force(void)
{
    struct gpcov_segindex ix = {0};
    double box[4] = {599000, 6099000, 621000, 6121000};
    OK(gpcov_segindex_make(&ix, &net, chosen, box, 500) == 0, "the index over 300 segments is made");
    int wrong = 0, none = 0, unchosen = 0, unflagged = 0, bad_f = 0;
    for (int q = 0; q < 2000; q++) {
        uint8_t mask = q % 2 ? 2 : 1;
        double x = frand(599000, 621000), y = frand(6099000, 6121000), maxd = q % 5 ? 3000 : 150;
        double want, got = -1, f = -1, bf;
        int b = brute(mask, x, y, maxd, &want);
        uint32_t s = gpcov_segindex_nearest(&ix, &net, flag, mask, x, y, maxd, &got, &f);
        if (b < 0) {
            none += s == UINT32_MAX;
            wrong += s != UINT32_MAX;
            continue;
        }
        if (s == UINT32_MAX || fabs(got - want) > 1e-6) {
            wrong++;
            continue;
        }
        unchosen += !chosen[s];
        unflagged += !(flag[s] & mask);
        seg_dist((int)s, x, y, &bf);
        bad_f += f < 0 || f > 1 || fabs(f - bf) > 1e-9;
    }
    OK(wrong == 0, "2000 queries: the distance of the brute-force nearest segment (%d wrong)", wrong);
    OK(none > 0, "queries with nothing within the limit find nothing (%d of them)", none);
    OK(unchosen == 0, "an unchosen segment is never found");
    OK(unflagged == 0, "nor one without the mask's flag");
    OK(bad_f == 0, "the place along the segment is right, in [0, 1] (%d wrong)", bad_f);
    gpcov_segindex_free(&ix);
}

static void test_exact(void)
{
    struct gpcov_segindex ix = {0};
    static double x2[2] = {0, 1000}, y2[2] = {0, 0};
    static uint32_t u1[1] = {0}, v1[1] = {1};
    static uint8_t on[1] = {1};
    struct gpcov_network one = {.nnodes = 2, .x = x2, .y = y2, .nseg = 1, .seg_u = u1, .seg_v = v1};
    double box[4] = {-500, -500, 1500, 500}, d = -1, f = -1;
    gpcov_segindex_make(&ix, &one, on, box, 100);
    OK(gpcov_segindex_nearest(&ix, &one, on, 1, 250, 30, 100, &d, &f) == 0 && fabs(d - 30) < 1e-9 &&
           fabs(f - 0.25) < 1e-12,
       "30 m off a 1 km segment, a quarter along (d %g, f %g)", d, f);
    OK(gpcov_segindex_nearest(&ix, &one, on, 1, -30, -40, 100, &d, &f) == 0 && fabs(d - 50) < 1e-9 &&
           f == 0,
       "beyond its start: 50 m to the end point, f 0 (d %g, f %g)", d, f);
    OK(gpcov_segindex_nearest(&ix, &one, on, 1, 500, 200, 100, &d, &f) == UINT32_MAX,
       "200 m off with a 100 m limit: none");
    gpcov_segindex_free(&ix);
}

int main(void)
{
    make_net();
    RUN(test_against_brute_force);
    RUN(test_exact);
    return tap_done();
}
