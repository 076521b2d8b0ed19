/*
** bench_site.c: the time of gpcov_site_solve on a seeded random instance
** of national size.  Demand units are the cells of a 1 km grid over a
** 300 x 150 km box (45,000 cells, about Denmark's land area), their
** people drawn from a skewed distribution with a few dense towns; sites
** (existing practices, then candidates) fall at random, towns more often;
** a pair's minutes are the straight distance at 60 km/h times a random
** detour of 1.1 to 1.5, kept when within the limit.
**   usage: bench_site NCAND K MAX_MINUTES OBJECTIVE [NEXIST [SEED [PER_KM]]]
**   OBJECTIVE: cover, median or capacity; NEXIST default 1,600; PER_KM
**   cells per km (4: a 250 m grid of 720,000 cells), default 1
** Prints the pairs, the indexing-and-solving wall time and the method.
*/
#include "gpcov.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NX (300 * sc)
#define NY (150 * sc)

static int sc = 1; /* cells per km */

static uint64_t rs;
static double urand(void)
{
    rs = rs * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(rs >> 11) / 9007199254740992.0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static const double town[6][2] = {{250, 60}, {120, 90}, {60, 40}, {180, 20}, {40, 120},
                                  {210, 130}};

static void place(double *x, double *y)
{
    if (urand() < 0.4) {
        int t = (int)(urand() * 6);
        *x = town[t][0] + (urand() - 0.5) * 20, *y = town[t][1] + (urand() - 0.5) * 20;
    } else
        *x = urand() * 300, *y = urand() * 150; /* km */
}

static double *make_demand(void)
{
    double *d = malloc((size_t)NX * NY * sizeof *d);
    for (int i = 0; i < NX * NY; i++) {
        double x = (i % NX + 0.5) / sc, y = (i / NX + 0.5) / sc, boost = 0;
        for (int t = 0; t < 6; t++)
            boost += 4000 * exp(-(pow(x - town[t][0], 2) + pow(y - town[t][1], 2)) / 50);
        d[i] = floor((20 * -log(1 - urand()) + boost) / (sc * sc));
    }
    return d;
}

static struct gpcov_cover_pair *make_pairs(size_t nsite, double maxm, size_t *np)
{
    size_t cap = 1 << 20, n = 0;
    struct gpcov_cover_pair *p = malloc(cap * sizeof *p);
    double r = maxm * sc; /* cells at 60 km/h, before the detour */
    for (size_t j = 0; j < nsite; j++) {
        double sx, sy;
        place(&sx, &sy);
        sx *= sc, sy *= sc;
        for (int y = (int)fmax(0, sy - r); y < (int)fmin(NY, sy + r + 1); y++)
            for (int x = (int)fmax(0, sx - r); x < (int)fmin(NX, sx + r + 1); x++) {
                double m = hypot(x + 0.5 - sx, y + 0.5 - sy) / sc * (1.1 + 0.4 * urand());
                if (m > maxm)
                    continue;
                if (n == cap)
                    p = realloc(p, (cap *= 2) * sizeof *p);
                p[n++] = (struct gpcov_cover_pair){(float)m, (uint32_t)j,
                                                   (uint32_t)(y * NX + x)};
            }
    }
    *np = n;
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench_site NCAND K MAX_MINUTES cover|median|capacity "
                        "[NEXIST [SEED]]\n");
        return 2;
    }
    size_t ncand = strtoul(argv[1], NULL, 10), k = strtoul(argv[2], NULL, 10);
    double maxm = atof(argv[3]);
    enum gpcov_site_objective obj = !strcmp(argv[4], "median")     ? GPCOV_SITE_MEDIAN
                                    : !strcmp(argv[4], "capacity") ? GPCOV_SITE_CAPACITY
                                                                   : GPCOV_SITE_COVER;
    size_t nexist = argc > 5 ? strtoul(argv[5], NULL, 10) : 1600;
    rs = argc > 6 ? strtoull(argv[6], NULL, 10) : 42;
    sc = argc > 7 ? atoi(argv[7]) : 1;
    size_t nsite = ncand + nexist, np;
    double *dem = make_demand(), *cap = malloc(nsite * sizeof *cap);
    for (size_t j = 0; j < nsite; j++)
        cap[j] = j < ncand ? 1600 : 1600 * (1 + floor(urand() * 4));
    struct gpcov_cover_pair *pairs = make_pairs(nsite, maxm, &np);
    struct gpcov_site_problem p = {(size_t)NX * NY, dem, nsite, ncand, cap, pairs, np, maxm, 0};
    struct gpcov_site_opts o = {obj, GPCOV_SITE_AUTO, k, 0};
    struct gpcov_site_result r;
    gpcov_ctx *ctx = gpcov_ctx_new();
    double t0 = now();
    gpcov_status st = gpcov_site_solve(ctx, &p, &o, &r);
    double t1 = now();
    if (st) {
        fprintf(stderr, "bench_site: %s\n", gpcov_ctx_message(ctx));
        return 1;
    }
    printf("%s %zu cells ncand %zu k %zu exist %zu max %g: %zu pairs (%.1f M), %.2f s, before %.15g "
           "after %.15g; %zu evaluations; %s\n", argv[4], p.nunit, ncand, k, nexist, maxm, np,
           np / 1e6, t1 - t0, r.before, r.after, r.evaluated, r.method);
    gpcov_site_result_clear(&r);
    gpcov_ctx_free(ctx);
    free(dem), free(cap), free(pairs);
    return 0;
}
