/* test_classify.c: class breaks (classify.c) against answers worked out by
** hand, Jenks against an exhaustive search and a plain O(k n^2) dynamic
** programme, and every error case with its message. */
#include "gpcov.h"
#include "tap.h"

#include <stdlib.h>

#define N(a) (sizeof(a) / sizeof *(a))

static int has(const char *msg, const char *part)
{
    int ok = strstr(msg, part) != NULL;
    if (!ok)
        printf("#   message: %s\n#   lacks: %s\n", msg, part);
    return ok;
}

static void edges_are(const double *got, const double *want, int k,
                      const char *what)
{
    int ok = 1;
    for (int i = 0; i <= k; i++)
        ok &= fabs(got[i] - want[i]) < 1e-9;
    OK(ok, "%s", what);
    if (!ok) {
        printf("#   got:");
        for (int i = 0; i <= k; i++)
            printf(" %g", got[i]);
        printf("\n#   want:");
        for (int i = 0; i <= k; i++)
            printf(" %g", want[i]);
        printf("\n");
    }
}

/* Within-class sum of squared deviations of values classed by breaks. */
static double class_ssd(const double *v, size_t n, const double *b, int k)
{
    double total = 0;
    for (int c = 0; c < k; c++) {
        double s = 0, m = 0;
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++)
            if (gpcov_breaks_class(b, k, v[i]) == c) {
                s += v[i];
                cnt++;
            }
        if (!cnt)
            continue;
        m = s / (double)cnt;
        for (size_t i = 0; i < n; i++)
            if (gpcov_breaks_class(b, k, v[i]) == c)
                total += (v[i] - m) * (v[i] - m);
    }
    return total;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double ssd_run(const double *x, size_t a, size_t b) /* x[a..b) */
{
    double m = 0, s = 0;
    for (size_t i = a; i < b; i++)
        m += x[i];
    m /= (double)(b - a);
    for (size_t i = a; i < b; i++)
        s += (x[i] - m) * (x[i] - m);
    return s;
}

/* The least SSD over every way of cutting sorted x[0..n) into k runs that
** do not split equal values: exhaustive, for small n. */
static double brute(const double *x, size_t n, size_t from, int k)
{
    if (k == 1)
        return ssd_run(x, from, n);
    double best = INFINITY;
    for (size_t cut = from + 1; cut + (size_t)k - 1 <= n; cut++) {
        if (x[cut] == x[cut - 1])
            continue; /* equal values share a class */
        double v = ssd_run(x, from, cut) + brute(x, n, cut, k - 1);
        if (v < best)
            best = v;
    }
    return best;
}

/* Fisher's programme in its plain O(k n^2) form on all n sorted values,
** ties allowed to split (which can only do as well or better). */
static double plain_dp(const double *x, size_t n, int k)
{
    double *prev = malloc(n * sizeof *prev), *cur = malloc(n * sizeof *cur);
    double *S = calloc(n + 1, sizeof *S), *Q = calloc(n + 1, sizeof *Q);
    for (size_t i = 0; i < n; i++) {
        S[i + 1] = S[i] + x[i];
        Q[i + 1] = Q[i] + x[i] * x[i];
    }
#define SUM(a, b) (S[(b) + 1] - S[a])
#define SSD(a, b)                                                              \
    (Q[(b) + 1] - Q[a] - SUM(a, b) * SUM(a, b) / (double)((b) + 1 - (a)))
    for (size_t i = 0; i < n; i++)
        prev[i] = SSD(0, i);
    for (int c = 1; c < k; c++) {
        for (size_t i = 0; i < n; i++) {
            cur[i] = INFINITY;
            for (size_t j = (size_t)c; j <= i; j++) {
                double v = prev[j - 1] + SSD(j, i);
                if (v < cur[i])
                    cur[i] = v;
            }
        }
        double *t = prev;
        prev = cur;
        cur = t;
    }
#undef SSD
#undef SUM
    double r = prev[n - 1];
    free(prev);
    free(cur);
    free(S);
    free(Q);
    return r;
}

static unsigned long lcg = 12345;
static double rnd(void)
{
    lcg = lcg * 6364136223846793005UL + 1442695040888963407UL;
    return (double)((lcg >> 33) % 100000) / 100000.0;
}

/* values more than one case uses */
static const double one9[] = {9, 1, 8, 2, 7, 3, 6, 4, 5}; /* unsorted on purpose */
static const double few[] = {5, 7, 5, 7, 5};

/* quantiles */
static void case_quantiles(gpcov_ctx *ctx)
{
    double b[16];
    gpcov_status st;
    st = gpcov_breaks(ctx, GPCOV_BREAKS_QUANTILE, one9, N(one9), 4, b);
    OK(st == GPCOV_OK, "quantile breaks of 1..9 in 4 classes");
    edges_are(b, (double[]){1, 3, 5, 7, 9}, 4,
              "quantiles of 1..9: 1 3 5 7 9 (positions 0, 2, 4, 6, 8)");
    double one10[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    st = gpcov_breaks(ctx, GPCOV_BREAKS_QUANTILE, one10, N(one10), 4, b);
    edges_are(b, (double[]){1, 3.25, 5.5, 7.75, 10}, 4,
              "quantiles of 1..10 interpolate: 3.25 5.5 7.75 (at 2.25, 4.5, "
              "6.75)");
    int cnt[4] = {0};
    for (size_t i = 0; i < N(one10); i++)
        cnt[gpcov_breaks_class(b, 4, one10[i])]++;
    OK(cnt[0] == 3 && cnt[1] == 2 && cnt[2] == 2 && cnt[3] == 3,
       "1..10 in quantile classes: 3 2 2 3 (got %d %d %d %d)", cnt[0], cnt[1],
       cnt[2], cnt[3]);
    double ties[] = {1, 1, 1, 1, 1, 1, 2, 3};
    st = gpcov_breaks(ctx, GPCOV_BREAKS_QUANTILE, ties, N(ties), 3, b);
    OK(st == GPCOV_EINPUT, "quantile edges that coincide: EINPUT");
    OK(has(gpcov_ctx_message(ctx), "coincide") &&
           has(gpcov_ctx_message(ctx), "fewer classes"),
       "... and the message says so and what to do");
    st = gpcov_breaks(ctx, GPCOV_BREAKS_QUANTILE, few, N(few), 3, b);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "only 2 distinct"),
       "3 quantile classes of 2 distinct values: EINPUT naming the count");
}

/* equal intervals */
static void case_equal(gpcov_ctx *ctx)
{
    double b[16];
    gpcov_status st;
    double eq[] = {2, 0, 10};
    st = gpcov_breaks(ctx, GPCOV_BREAKS_EQUAL, eq, N(eq), 5, b);
    OK(st == GPCOV_OK, "equal intervals of 0..10 in 5 classes");
    edges_are(b, (double[]){0, 2, 4, 6, 8, 10}, 5,
              "equal intervals: 0 2 4 6 8 10 (classes may be empty)");
    OK(gpcov_breaks_class(b, 5, 2) == 0 && gpcov_breaks_class(b, 5, 0) == 0 &&
           gpcov_breaks_class(b, 5, 10) == 4,
       "2 on an edge is in the lower class; 0 in the first; 10 in the last");
    double same[] = {4, 4, 4};
    st = gpcov_breaks(ctx, GPCOV_BREAKS_EQUAL, same, N(same), 3, b);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "all 3 values are 4"),
       "equal intervals of equal values: EINPUT");
    st = gpcov_breaks(ctx, GPCOV_BREAKS_JENKS, same, N(same), 1, b);
    OK(st == GPCOV_OK && b[0] == 4 && b[1] == 4,
       "one class of equal values is fine: edges 4, 4");
}

/* Jenks */
static void case_jenks(gpcov_ctx *ctx)
{
    double b[16];
    gpcov_status st;
    double three[] = {1, 2, 3, 10, 11, 12, 20, 21, 22};
    st = gpcov_breaks(ctx, GPCOV_BREAKS_JENKS, three, N(three), 3, b);
    OK(st == GPCOV_OK, "jenks of three clusters");
    edges_are(b, (double[]){1, 3, 12, 22}, 3,
              "jenks of 1,2,3,10,11,12,20,21,22 in 3: breaks at 3 and 12");
    /* Worked by hand: the largest gap (10 to 14) is not the best cut.
    ** After 6: {0..6} SSD 28, {7,8,9,10,14} mean 9.6 SSD 29.2, total 57.2;
    ** after 5: 17.5 + 40 = 57.5; after 10: 110.  So the break is at 6. */
    double gap[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14};
    st = gpcov_breaks(ctx, GPCOV_BREAKS_JENKS, gap, N(gap), 2, b);
    edges_are(b, (double[]){0, 6, 14}, 2,
              "jenks of 0..10,14 in 2: break at 6, not at the gap before 14");
    NEAR(class_ssd(gap, N(gap), b, 2), 57.2, 1e-9,
         "... with the hand-computed within-class SSD 57.2");
    /* ties: {2,4,4,6} SSD 8, {50,52} SSD 2, {100} 0 */
    double dup[] = {4, 100, 2, 52, 4, 50, 6};
    st = gpcov_breaks(ctx, GPCOV_BREAKS_JENKS, dup, N(dup), 3, b);
    edges_are(b, (double[]){2, 6, 52, 100}, 3,
              "jenks with a repeated value: breaks at 6 and 52 (SSD 10)");
    st = gpcov_breaks(ctx, GPCOV_BREAKS_JENKS, few, N(few), 3, b);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "at most 2 classes"),
       "3 jenks classes of 2 distinct values: EINPUT, says at most 2");

    /* the optimum, against an exhaustive search on small random sets */
    int all_ok = 1;
    for (int trial = 0; trial < 40; trial++) {
        double v[12], s[12];
        size_t n = 7 + (size_t)(trial % 6);
        for (size_t i = 0; i < n; i++)
            v[i] = floor(rnd() * 30); /* some ties */
        memcpy(s, v, n * sizeof *v);
        qsort(s, n, sizeof *s, cmpd);
        size_t d = 1;
        for (size_t i = 1; i < n; i++)
            d += s[i] != s[i - 1];
        for (int k = 2; k <= 5 && (size_t)k <= d; k++) {
            if (gpcov_breaks(ctx, GPCOV_BREAKS_JENKS, v, n, k, b) != GPCOV_OK) {
                all_ok = 0;
                printf("#   trial %d k %d: %s\n", trial, k,
                       gpcov_ctx_message(ctx));
                continue;
            }
            double got = class_ssd(v, n, b, k), want = brute(s, n, 0, k);
            if (fabs(got - want) > 1e-6) {
                all_ok = 0;
                printf("#   trial %d k %d: SSD %g, best %g\n", trial, k, got,
                       want);
            }
        }
    }
    OK(all_ok, "jenks reaches the exhaustive optimum on 40 small random sets");

    /* a large set: the divide-and-conquer rows equal the plain programme */
    size_t big = 600;
    double *v = malloc(big * sizeof *v), *s = malloc(big * sizeof *s);
    for (size_t i = 0; i < big; i++)
        v[i] = i % 3 ? rnd() * rnd() * 1000 : 200 + rnd() * 50;
    memcpy(s, v, big * sizeof *v);
    qsort(s, big, sizeof *s, cmpd);
    st = gpcov_breaks(ctx, GPCOV_BREAKS_JENKS, v, big, 7, b);
    OK(st == GPCOV_OK && b[0] == s[0] && b[7] == s[big - 1],
       "jenks on 600 values: edges span min to max");
    NEAR(class_ssd(v, big, b, 7), plain_dp(s, big, 7), 1e-6 * plain_dp(s, big, 7),
         "jenks on 600 values in 7 classes: the plain O(k n^2) optimum");
    int asc = 1;
    for (int c = 1; c <= 7; c++)
        asc &= b[c] > b[c - 1];
    OK(asc, "jenks edges strictly ascending");
    free(v);
    free(s);
}

/* fixed edges */
static void case_fixed(gpcov_ctx *ctx)
{
    double b[16];
    gpcov_status st;
    double fx[] = {0, 3, 5, 7, 10};
    memcpy(b, fx, sizeof fx);
    OK(gpcov_breaks(ctx, GPCOV_BREAKS_FIXED, NULL, 0, 4, b) == GPCOV_OK,
       "fixed 0,3,5,7,10 accepted");
    OK(gpcov_breaks_class(b, 4, 3) == 0 && gpcov_breaks_class(b, 4, 3.001) == 1 &&
           gpcov_breaks_class(b, 4, 0) == 0 && gpcov_breaks_class(b, 4, 10) == 3,
       "class of 3 is 0, of 3.001 is 1, of 0 is 0, of 10 is 3");
    OK(gpcov_breaks_class(b, 4, -0.1) == -1 && gpcov_breaks_class(b, 4, 10.5) == -1 &&
           gpcov_breaks_class(b, 4, NAN) == -1,
       "outside the edges, or NaN: -1");
    double bad[] = {0, 5, 3, 10};
    memcpy(b, bad, sizeof bad);
    st = gpcov_breaks(ctx, GPCOV_BREAKS_FIXED, NULL, 0, 3, b);
    OK(st == GPCOV_EUSAGE, "fixed 0,5,3,10: EUSAGE");
    STREQ(gpcov_ctx_message(ctx),
          "fixed breaks must be ascending: edge 3 (3) is not above edge 2 (5)",
          "... naming the edges out of order");
    double dupe[] = {0, 5, 5, 10};
    memcpy(b, dupe, sizeof dupe);
    OK(gpcov_breaks(ctx, GPCOV_BREAKS_FIXED, NULL, 0, 3, b) == GPCOV_EUSAGE,
       "fixed edges must rise strictly: 5, 5 refused");
    double nan_e[] = {0, NAN, 10};
    memcpy(b, nan_e, sizeof nan_e);
    OK(gpcov_breaks(ctx, GPCOV_BREAKS_FIXED, NULL, 0, 2, b) == GPCOV_EUSAGE &&
           has(gpcov_ctx_message(ctx), "edge 2 is not a number"),
       "a NaN edge is refused");
    double open[] = {-INFINITY, 3, 7, INFINITY};
    memcpy(b, open, sizeof open);
    OK(gpcov_breaks(ctx, GPCOV_BREAKS_FIXED, NULL, 0, 3, b) == GPCOV_OK &&
           gpcov_breaks_class(b, 3, -1e300) == 0 &&
           gpcov_breaks_class(b, 3, 1e300) == 2 && gpcov_breaks_class(b, 3, 7) == 1,
       "open outer edges -inf, inf take any value");
}

/* errors */
static void case_errors(gpcov_ctx *ctx)
{
    double b[16];
    OK(gpcov_breaks(ctx, GPCOV_BREAKS_QUANTILE, one9, 0, 3, b) == GPCOV_EINPUT &&
           has(gpcov_ctx_message(ctx), "no values"),
       "no values: EINPUT");
    OK(gpcov_breaks(ctx, GPCOV_BREAKS_JENKS, one9, N(one9), 0, b) == GPCOV_EUSAGE,
       "0 classes: EUSAGE");
    double withnan[] = {1, NAN, 3};
    OK(gpcov_breaks(ctx, GPCOV_BREAKS_EQUAL, withnan, 3, 2, b) == GPCOV_EINPUT &&
           has(gpcov_ctx_message(ctx), "value 2 is not a finite number"),
       "a NaN value: EINPUT naming its position");
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_quantiles, ctx);
    RUN_ON(case_equal, ctx);
    RUN_ON(case_jenks, ctx);
    RUN_ON(case_fixed, ctx);
    RUN_ON(case_errors, ctx);
    gpcov_ctx_free(ctx);
    return tap_done();
}
