/* test_site.c: site choice (gpcov_site_solve, gpcov_site_value) on
** hand-made instances with known optima for each objective (greedy
** suboptimal and the optimum found by the exact search and by swaps,
** capacity where the nearest-first assignment decides, the MEDIAN
** penalty, existing sites fixed, k = 0 and k = ncand, ties to the lowest
** index), random small instances against a brute force written here on a
** dense matrix (CAPACITY through gpcov_coverage_matrix), and bad input. */
#include "gpcov.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>

#define NANF ((float)NAN)
#define MAXP 4096

/* an instance from a dense matrix t[j * nu + i] (NaN: beyond reach) */
struct inst {
    struct gpcov_site_problem p;
    struct gpcov_cover_pair pairs[MAXP];
};

static void make(struct inst *in, size_t nu, const double *dem, size_t ns, size_t nc,
                 const double *cap, const float *t, double maxm, double pen)
{
    size_t n = 0;
    for (size_t j = 0; j < ns; j++)
        for (size_t i = 0; i < nu; i++)
            if (t[j * nu + i] <= maxm && n < MAXP)
                in->pairs[n++] = (struct gpcov_cover_pair){t[j * nu + i], (uint32_t)j,
                                                           (uint32_t)i};
    in->p = (struct gpcov_site_problem){nu, dem, ns, nc, cap, in->pairs, n, maxm, pen};
}

static gpcov_status solve(gpcov_ctx *ctx, const struct inst *in, enum gpcov_site_objective obj,
                          enum gpcov_site_method m, size_t k, struct gpcov_site_result *r)
{
    struct gpcov_site_opts o = {obj, m, k, 0};
    return gpcov_site_solve(ctx, &in->p, &o, r);
}

/* COVER, 4 units of 2, 3, 3, 2 people; c0 reaches u1, u2 (6), c1 u0, u1
** (5), c2 u2, u3 (5); no existing site.  Greedy takes c0 then c1: 8; the
** optimum {c1, c2} reaches all 10. */
static const double cov_dem[4] = {2, 3, 3, 2};
static const float cov_t[12] = {NANF, 5, 5, NANF, 5, 5, NANF, NANF, NANF, NANF, 5, 5};

static void cover_greedy_trap(gpcov_ctx *ctx)
{
    struct inst in;
    struct gpcov_site_result r;
    make(&in, 4, cov_dem, 3, 3, NULL, cov_t, 30, 0);
    OK(solve(ctx, &in, GPCOV_SITE_COVER, GPCOV_SITE_EXACT, 2, &r) == GPCOV_OK, "exact runs: %s",
       gpcov_ctx_message(ctx));
    NEAR(r.before, 0, 0, "no existing site: none covered before");
    NEAR(r.after, 10, 0, "exact: all 10 covered");
    OK(r.exact && r.chosen[0] == 1 && r.chosen[1] == 2, "exact: c1 then c2 (tie 5/5: lower "
       "index first), got %u %u", r.chosen[0], r.chosen[1]);
    NEAR(r.gain[0], 5, 0, "gain of c1: 5");
    NEAR(r.gain[1], 5, 0, "gain of c2 with c1: 5");
    NEAR(r.bound, 10, 0, "exact: bound = after");
    gpcov_site_result_clear(&r);
    OK(solve(ctx, &in, GPCOV_SITE_COVER, GPCOV_SITE_HEURISTIC, 2, &r) == GPCOV_OK, "heuristic");
    NEAR(r.after, 10, 0, "greedy 8, one swap makes it 10");
    OK(r.swaps == 1 && !r.exact, "one swap, not exact (%zu)", r.swaps);
    NEAR(r.bound, 10, 0, "bound: the least of 0 + 6 + 5 (before), 6 + 5 + 5 (with c0) and "
         "10 + 0 + 0 (after the swap)");
    printf("# %s\n", r.method);
    gpcov_site_result_clear(&r);
}

/* MEDIAN with an existing site (site 2) and the penalty: 3 units of 10;
** existing E reaches u0 at 10; c0 reaches u1 at 20, c1 reaches u1 at 5
** and u2 at 25; penalty 60.  Before: 100 + 600 + 600 = 1300.  k = 1: c1
** saves 550 + 350 = 900 -> 400; c0 saves 400. */
static void median_penalty(gpcov_ctx *ctx)
{
    const double dem[3] = {10, 10, 10};
    const float t[9] = {NANF, 20, NANF, NANF, 5, 25, 10, NANF, NANF};
    struct inst in;
    struct gpcov_site_result r;
    make(&in, 3, dem, 3, 2, NULL, t, 30, 60);
    OK(solve(ctx, &in, GPCOV_SITE_MEDIAN, GPCOV_SITE_AUTO, 1, &r) == GPCOV_OK, "median runs");
    NEAR(r.before, 1300, 1e-9, "before: 10 x 10 + 2 x 10 x 60 (penalty) = 1300");
    NEAR(r.after, 400, 1e-9, "after c1: 100 + 50 + 250 = 400");
    OK(r.chosen[0] == 1 && r.exact, "c1 chosen, exactly");
    NEAR(r.gain[0], 900, 1e-9, "gain: 900 demand x minutes saved");
    gpcov_site_result_clear(&r);
    in.p.penalty_minutes = 0; /* the penalty is the limit, 30 */
    OK(solve(ctx, &in, GPCOV_SITE_MEDIAN, GPCOV_SITE_HEURISTIC, 2, &r) == GPCOV_OK, "k = 2");
    NEAR(r.before, 100 + 300 + 300, 1e-9, "penalty 0: the limit, 30 minutes");
    NEAR(r.after, 100 + 50 + 250, 1e-9, "both open: c0 adds nothing to c1");
    OK(r.chosen[0] == 1 && r.chosen[1] == 0, "c1 first, then c0");
    NEAR(r.gain[1], 0, 0, "c0's gain with c1: 0");
    NEAR(r.bound, r.after, 1e-9, "k = ncand: the bound meets the value");
    gpcov_site_result_clear(&r);
    OK(solve(ctx, &in, GPCOV_SITE_MEDIAN, GPCOV_SITE_AUTO, 0, &r) == GPCOV_OK && r.k == 0 &&
       r.after == r.before && r.bound == r.after, "k = 0: nothing chosen, after = before");
    gpcov_site_result_clear(&r);
    in.p.penalty_minutes = 20;
    OK(solve(ctx, &in, GPCOV_SITE_MEDIAN, GPCOV_SITE_AUTO, 1, &r) == GPCOV_EUSAGE &&
       strstr(gpcov_ctx_message(ctx), "penalty minutes 20"), "a penalty below the limit is "
       "refused: %s", gpcov_ctx_message(ctx));
}

/* CAPACITY where the nearest-first order decides: u0, u1 of 100; the
** existing E (100) reaches u0 at 10 and u1 at 20; c0 (60) reaches u0 at
** 5, c1 (100) u1 at 30.  Before: E takes u0, 100.  With c0: c0 takes 60
** of u0 first, E the other 40 then 60 of u1: 160.  With c1: E u0, c1 u1:
** 200.  An estimate by capacity within reach would also say c1; make c0
** bigger (150) and it reaches u0 only: c0 100 + E 100 of u1 = 200, a tie
** broken by the lower index, c0. */
static void capacity_order(gpcov_ctx *ctx)
{
    const double dem[2] = {100, 100};
    double cap[3] = {60, 100, 100};
    const float t[6] = {5, NANF, NANF, 30, 10, 20};
    struct inst in;
    struct gpcov_site_result r;
    double v = 0;
    make(&in, 2, dem, 3, 2, cap, t, 30, 0);
    uint32_t open0 = 0;
    OK(gpcov_site_value(ctx, &in.p, GPCOV_SITE_CAPACITY, &open0, 1, &v) == GPCOV_OK &&
       v == 160, "value with c0: 160 (c0 60, E 40 + 60), got %g", v);
    OK(solve(ctx, &in, GPCOV_SITE_CAPACITY, GPCOV_SITE_HEURISTIC, 1, &r) == GPCOV_OK, "runs");
    NEAR(r.before, 100, 0, "before: E takes u0");
    NEAR(r.after, 200, 0, "c1: 200");
    OK(r.chosen[0] == 1, "c1 chosen (%u)", r.chosen[0]);
    NEAR(r.bound, 200, 0, "bound: min(reach 200, capacity 100 + 100)");
    gpcov_site_result_clear(&r);
    cap[0] = 150;
    OK(solve(ctx, &in, GPCOV_SITE_CAPACITY, GPCOV_SITE_EXACT, 1, &r) == GPCOV_OK &&
       r.chosen[0] == 0 && r.after == 200, "a tie of 200: the lower index, c0 (%u)",
       r.chosen[0]);
    gpcov_site_result_clear(&r);
    OK(solve(ctx, &in, GPCOV_SITE_CAPACITY, GPCOV_SITE_HEURISTIC, 1, &r) == GPCOV_OK &&
       r.chosen[0] == 0 && r.after == 200, "and by the heuristic (%u)", r.chosen[0]);
    gpcov_site_result_clear(&r);
    /* a unit u2 of 50 that only E reaches (at 25), c1 of 120: the bound is
    ** min(reach 250, capacity 100 + 150) = 250 with c0 of 150 and k = 1,
    ** above the optimum 200, and with k = 2 min(250, 100 + 150 + 120) */
    const double dem3[3] = {100, 100, 50};
    double cap3[3] = {150, 120, 100};
    const float t3[9] = {5, NANF, NANF, NANF, 30, NANF, 10, 20, 25};
    make(&in, 3, dem3, 3, 2, cap3, t3, 30, 0);
    OK(solve(ctx, &in, GPCOV_SITE_CAPACITY, GPCOV_SITE_HEURISTIC, 1, &r) == GPCOV_OK &&
       r.after == 200, "u2 left out: 200 (%g)", r.after);
    NEAR(r.bound, 250, 0, "bound 250, the demand within reach");
    gpcov_site_result_clear(&r);
    cap3[2] = 10;
    OK(solve(ctx, &in, GPCOV_SITE_CAPACITY, GPCOV_SITE_HEURISTIC, 1, &r) == GPCOV_OK, "E of 10");
    NEAR(r.bound, 160, 0, "bound 160, the capacity 10 + 150");
    gpcov_site_result_clear(&r);
    make(&in, 2, dem, 3, 2, cap, t, 30, 0);
    cap[2] = NAN; /* E excluded: takes no one */
    OK(gpcov_site_value(ctx, &in.p, GPCOV_SITE_CAPACITY, NULL, 0, &v) == GPCOV_OK && v == 0,
       "an excluded existing site serves no one: %g", v);
}

/* ------------------------------------------------- against brute force */

static uint32_t rng = 12345;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) % n;
}

#define RU 10 /* units */
#define RS 9  /* sites */

/* the objective of the open candidates (mask) by plain loops on the
** matrix; CAPACITY by gpcov_coverage_matrix with the others closed */
static double brute_value(gpcov_ctx *ctx, const struct inst *in, const float *t,
                          enum gpcov_site_objective obj, unsigned mask)
{
    const struct gpcov_site_problem *p = &in->p;
    double pen = p->penalty_minutes > 0 ? p->penalty_minutes : p->max_minutes, v = 0;
    if (obj == GPCOV_SITE_CAPACITY) {
        double cap[RS];
        struct gpcov_cover_result r;
        for (size_t j = 0; j < p->nsite; j++)
            cap[j] = j < p->ncand && !(mask >> j & 1) ? 0 : p->capacity[j];
        gpcov_coverage_result_alloc(ctx, p->nunit, p->nsite, &r);
        gpcov_coverage_matrix(ctx, p->nunit, p->demand, p->nsite, cap, t, p->max_minutes, &r);
        v = r.served_total;
        gpcov_coverage_result_clear(&r);
        return v;
    }
    for (size_t i = 0; i < p->nunit; i++) {
        double best = INFINITY;
        for (size_t j = 0; j < p->nsite; j++)
            if ((j >= p->ncand || mask >> j & 1) && t[j * p->nunit + i] <= p->max_minutes)
                best = fmin(best, t[j * p->nunit + i]);
        if (obj == GPCOV_SITE_COVER)
            v += isinf(best) ? 0 : p->demand[i];
        else
            v += p->demand[i] * (isinf(best) ? pen : best);
    }
    return v;
}

static int better(enum gpcov_site_objective obj, double a, double b)
{
    return obj == GPCOV_SITE_MEDIAN ? a < b - 1e-9 : a > b + 1e-9;
}

/* the best k-set by brute force, ties to the first in sorted index order */
static double brute_best(gpcov_ctx *ctx, const struct inst *in, const float *t,
                         enum gpcov_site_objective obj, size_t k, unsigned *best)
{
    double bv = NAN;
    unsigned nc = (unsigned)in->p.ncand;
    for (unsigned m = 0; m < 1u << nc; m++) {
        if ((size_t)__builtin_popcount(m) != k)
            continue;
        double v = brute_value(ctx, in, t, obj, m);
        /* among equals the lexicographically first sorted index list is
        ** the one with the larger reversed bits: compare lowest bits */
        int tie = !better(obj, v, bv) && !better(obj, bv, v);
        unsigned diff = m ^ *best, low = diff & -diff;
        if (isnan(bv) || better(obj, v, bv) || (tie && (m & low)))
            bv = v, *best = m;
    }
    return bv;
}

static unsigned mask_of(const struct gpcov_site_result *r)
{
    unsigned m = 0;
    for (size_t s = 0; s < r->k; s++)
        m |= 1u << r->chosen[s];
    return m;
}

static void random_instance(struct inst *in, double *dem, double *cap, float *t, size_t *nc)
{
    size_t ns = 4 + rnd(RS - 3);
    *nc = ns - rnd(3);
    if (*nc > 8)
        *nc = 8;
    for (size_t i = 0; i < RU; i++)
        dem[i] = rnd(4) == 0 ? 0 : 1 + rnd(20) + 0.5 * rnd(2);
    for (size_t j = 0; j < ns; j++)
        cap[j] = rnd(6) == 0 ? NAN : rnd(5) == 0 ? 0 : 5 + rnd(40);
    for (size_t q = 0; q < ns * RU; q++)
        t[q] = rnd(3) == 0 ? NANF : (float)(1 + rnd(12) * 3);
    make(in, RU, dem, ns, *nc, cap, t, 30, rnd(2) ? 0 : 45);
}

struct tally {
    int runs, exact_bad, tie_bad, value_bad, heur_bad, bound_bad, gain_bad, heur_short;
};

static void check_one(gpcov_ctx *ctx, const struct inst *in, const float *t,
                      enum gpcov_site_objective obj, size_t k, struct tally *y)
{
    unsigned best = 0;
    double bv = brute_best(ctx, in, t, obj, k, &best), sign = obj == GPCOV_SITE_MEDIAN ? -1 : 1;
    struct gpcov_site_result e, h;
    if (solve(ctx, in, obj, GPCOV_SITE_EXACT, k, &e) || solve(ctx, in, obj, GPCOV_SITE_HEURISTIC,
                                                              k, &h)) {
        y->exact_bad++;
        return;
    }
    y->runs++;
    y->exact_bad += fabs(e.after - bv) > 1e-9 || !e.exact;
    y->tie_bad += mask_of(&e) != best;
    y->value_bad += fabs(brute_value(ctx, in, t, obj, mask_of(&h)) - h.after) > 1e-9;
    y->heur_bad += better(obj, h.after, bv);
    y->heur_short += better(obj, bv, h.after);
    y->bound_bad += !isnan(h.bound) && better(obj, bv, h.bound);
    double sum = 0;
    for (size_t s = 0; s < k; s++)
        sum += e.gain[s];
    y->gain_bad += fabs(e.before + sign * sum - e.after) > 1e-9;
    sum = 0;
    for (size_t s = 0; s < k; s++)
        sum += h.gain[s];
    y->gain_bad += fabs(h.before + sign * sum - h.after) > 1e-9;
    for (size_t s = 1; s < k; s++) /* the order is greedy: gains do not grow for COVER/MEDIAN */
        y->gain_bad += obj != GPCOV_SITE_CAPACITY && e.gain[s] > e.gain[s - 1] + 1e-9;
    gpcov_site_result_clear(&e);
    gpcov_site_result_clear(&h);
}

static void random_brute(gpcov_ctx *ctx)
{
    static const char *name[3] = {"COVER", "MEDIAN", "CAPACITY"};
    static struct inst in;
    double dem[RU], cap[RS];
    float t[RS * RU];
    for (int obj = 0; obj < 3; obj++) {
        struct tally y = {0};
        for (int n = 0; n < 60; n++) {
            size_t nc;
            random_instance(&in, dem, cap, t, &nc);
            for (size_t k = 0; k <= nc; k++)
                check_one(ctx, &in, t, (enum gpcov_site_objective)obj, k, &y);
        }
        OK(y.runs > 300, "%s: %d instances x k solved", name[obj], y.runs);
        OK(y.exact_bad == 0, "%s: exact = brute force optimum (%d differ)", name[obj],
           y.exact_bad);
        OK(y.tie_bad == 0, "%s: exact picks the brute force's set, ties to the lowest indices "
           "(%d differ)", name[obj], y.tie_bad);
        OK(y.value_bad == 0, "%s: the heuristic's value is its set's (%d differ)", name[obj],
           y.value_bad);
        OK(y.heur_bad == 0, "%s: the heuristic never beats the optimum (%d do)", name[obj],
           y.heur_bad);
        OK(y.heur_short * 50 <= y.runs, "%s: the heuristic finds the optimum in %d of %d "
           "(at least 98 %% expected)", name[obj], y.runs - y.heur_short, y.runs);
        OK(y.bound_bad == 0, "%s: the bound holds the optimum (%d do not)", name[obj],
           y.bound_bad);
        OK(y.gain_bad == 0, "%s: gains add up from before to after, in greedy order (%d not)",
           name[obj], y.gain_bad);
    }
}

static void bad_input(gpcov_ctx *ctx)
{
    struct inst in;
    struct gpcov_site_result r;
    make(&in, 4, cov_dem, 3, 3, NULL, cov_t, 30, 0);
    OK(solve(ctx, &in, GPCOV_SITE_COVER, GPCOV_SITE_AUTO, 4, &r) == GPCOV_EUSAGE &&
       strstr(gpcov_ctx_message(ctx), "4 new sites") && !r.chosen, "k > ncand: %s",
       gpcov_ctx_message(ctx));
    in.pairs[2].practice = 7;
    OK(solve(ctx, &in, GPCOV_SITE_COVER, GPCOV_SITE_AUTO, 1, &r) == GPCOV_EUSAGE &&
       strstr(gpcov_ctx_message(ctx), "pair 3: unit"), "a pair's site out of range: %s",
       gpcov_ctx_message(ctx));
    in.pairs[2].practice = 1, in.pairs[2].unit = 4;
    OK(solve(ctx, &in, GPCOV_SITE_COVER, GPCOV_SITE_AUTO, 1, &r) == GPCOV_EUSAGE,
       "a pair's unit out of range: %s", gpcov_ctx_message(ctx));
    in.pairs[2].unit = 1, in.pairs[2].minutes = 31;
    OK(solve(ctx, &in, GPCOV_SITE_COVER, GPCOV_SITE_AUTO, 1, &r) == GPCOV_EUSAGE,
       "a pair beyond the limit: %s", gpcov_ctx_message(ctx));
    in.pairs[2].minutes = 5;
    OK(solve(ctx, &in, GPCOV_SITE_CAPACITY, GPCOV_SITE_AUTO, 1, &r) == GPCOV_EUSAGE,
       "CAPACITY without capacities: %s", gpcov_ctx_message(ctx));
    uint32_t bad = 3;
    double v;
    OK(gpcov_site_value(ctx, &in.p, GPCOV_SITE_COVER, &bad, 1, &v) == GPCOV_EUSAGE,
       "value of a site that is no candidate: %s", gpcov_ctx_message(ctx));
    double dem[4] = {2, -1, 3, 2};
    in.p.demand = dem;
    OK(solve(ctx, &in, GPCOV_SITE_COVER, GPCOV_SITE_AUTO, 1, &r) == GPCOV_EINPUT &&
       strstr(gpcov_ctx_message(ctx), "unit 2"), "negative demand: %s", gpcov_ctx_message(ctx));
    in.p.demand = cov_dem;
    struct gpcov_site_opts o = {GPCOV_SITE_COVER, GPCOV_SITE_EXACT, 2, 1e-3};
    OK(gpcov_site_solve(ctx, &in.p, &o, &r) == GPCOV_EUSAGE, "EXACT above 100 x its limit: %s",
       gpcov_ctx_message(ctx));
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(cover_greedy_trap, ctx);
    RUN_ON(median_penalty, ctx);
    RUN_ON(capacity_order, ctx);
    RUN_ON(random_brute, ctx);
    RUN_ON(bad_input, ctx);
    gpcov_ctx_free(ctx);
    return tap_done();
}
