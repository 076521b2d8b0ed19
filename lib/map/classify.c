/*
** classify.c: class breaks for choropleth maps.  Given the values of one
** indicator over the municipalities, it finds the k+1 ascending edges of k
** classes by quantiles, by equal intervals, or by Jenks natural breaks
** (Fisher's exact optimum: the partition of the sorted values into k runs
** with the least within-class sum of squared deviations); or it checks
** edges the user fixed.  gpcov_breaks_class tells which class a value is in.
**
** A class c holds breaks[c] < v <= breaks[c+1]; the first class also holds
** its lower edge.  Edges are strictly ascending, so no class is empty by
** construction of its edges (an equal-interval class may still hold no
** value: that is what equal intervals mean).
**
** Asking for more classes than the data can fill is an error, not a quiet
** change to fewer classes: quantile and Jenks breaks need at least k distinct
** values (the edges are data values or lie between them, and equal values
** cannot be split between classes), and every method but FIXED needs the
** values to differ when k > 1.  The message says how many distinct values
** there are, so the caller can ask again for that many classes.  Quantile
** edges that coincide because many values are equal are reported the same
** way.  A map drawn with silently fewer classes than asked would have a
** legend that does not match its caption.
*/
#include "map_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *method_name(enum gpcov_breaks_method m)
{
    switch (m) {
    case GPCOV_BREAKS_QUANTILE: return "quantile";
    case GPCOV_BREAKS_EQUAL: return "equal interval";
    case GPCOV_BREAKS_JENKS: return "jenks";
    case GPCOV_BREAKS_FIXED: return "fixed";
    }
    return "unknown";
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Fixed edges: k+1 numbers, strictly ascending.  The outer edges may be
** -INFINITY and +INFINITY (open classes "<= b1" and "> b(k-1)"). */
static gpcov_status check_fixed(gpcov_ctx *ctx, const double *b, int k)
{
    for (int i = 0; i <= k; i++)
        if (isnan(b[i]))
            return gpcov_err(ctx, GPCOV_EUSAGE,
                             "fixed breaks: edge %d is not a number", i + 1);
    for (int i = 1; i <= k; i++)
        if (!(b[i] > b[i - 1]))
            return gpcov_err(ctx, GPCOV_EUSAGE,
                             "fixed breaks must be ascending: edge %d (%g) is "
                             "not above edge %d (%g)",
                             i + 1, b[i], i, b[i - 1]);
    return GPCOV_OK;
}

/* Quantile edges by linear interpolation between order statistics (the
** "type 7" definition of R and NumPy): the edge at fraction p lies at
** position p*(n-1) of the sorted values. */
static void quantile_edges(const double *x, size_t n, int k, double *breaks)
{
    breaks[0] = x[0];
    breaks[k] = x[n - 1];
    for (int c = 1; c < k; c++) {
        double h = (double)(n - 1) * c / k;
        size_t lo = (size_t)floor(h);
        double f = h - (double)lo;
        breaks[c] = lo + 1 < n ? x[lo] + f * (x[lo + 1] - x[lo]) : x[lo];
    }
}

/* Jenks natural breaks by Fisher's exact dynamic programme, over the d
** distinct values u[] with multiplicities w[] (equal values always share a
** class, so this is exact).  cost[c][i] is the least sum of squared
** deviations of u[0..i] in c+1 classes.  The best start of the last class
** never moves left as i grows (the cost of a run is a Monge array), so each
** row is filled by divide and conquer in O(d log d): O(k d log d) in all. */
struct jenks {
    size_t d;
    const double *W, *S, *Q; /* prefix sums of w, w*u, w*u*u (shifted u)  */
    double *prev, *cur;      /* cost rows c-1 and c                        */
    size_t *arg;             /* start of the last class, row c: arg[i]     */
};

/* Sum of squared deviations of the run u[a..b] (inclusive). */
static double run_ssd(const struct jenks *J, size_t a, size_t b)
{
    double w = J->W[b + 1] - J->W[a];
    double s = J->S[b + 1] - J->S[a];
    double q = J->Q[b + 1] - J->Q[a];
    double v = q - s * s / w;
    return v > 0 ? v : 0;
}

static void jenks_row(struct jenks *J, size_t ilo, size_t ihi, size_t jlo,
                      size_t jhi)
{
    while (ilo <= ihi) {
        size_t mid = ilo + (ihi - ilo) / 2;
        size_t best_j = jlo;
        double best = INFINITY;
        size_t jmax = jhi < mid ? jhi : mid;
        for (size_t j = jlo; j <= jmax; j++) {
            /* classes 0..c-1 hold u[0..j-1], class c holds u[j..mid] */
            double v = J->prev[j - 1] + run_ssd(J, j, mid);
            if (v < best) {
                best = v;
                best_j = j;
            }
        }
        J->cur[mid] = best;
        J->arg[mid] = best_j;
        /* left half recursively, right half by looping (bounded depth) */
        if (mid > ilo)
            jenks_row(J, ilo, mid - 1, jlo, best_j);
        ilo = mid + 1;
        jlo = best_j;
    }
}

static gpcov_status jenks_edges(gpcov_ctx *ctx, const double *u,
                                const double *w, size_t d, int k,
                                double *breaks)
{
    size_t K = (size_t)k;
    double *W = calloc(d + 1, sizeof *W), *S = calloc(d + 1, sizeof *S);
    double *Q = calloc(d + 1, sizeof *Q);
    double *prev = malloc(d * sizeof *prev), *cur = malloc(d * sizeof *cur);
    size_t *arg = malloc(K * d * sizeof *arg);
    gpcov_status st = GPCOV_OK;
    if (!W || !S || !Q || !prev || !cur || !arg) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory (jenks breaks)");
        goto done;
    }
    /* shift by the weighted mean so the sums of squares do not cancel */
    double tw = 0, tm = 0;
    for (size_t i = 0; i < d; i++) {
        tw += w[i];
        tm += w[i] * u[i];
    }
    tm /= tw;
    for (size_t i = 0; i < d; i++) {
        double x = u[i] - tm;
        W[i + 1] = W[i] + w[i];
        S[i + 1] = S[i] + w[i] * x;
        Q[i + 1] = Q[i] + w[i] * x * x;
    }
    struct jenks J = {d, W, S, Q, prev, cur, NULL};
    for (size_t i = 0; i < d; i++) {
        prev[i] = run_ssd(&J, 0, i);
        arg[i] = 0;
    }
    for (int c = 1; c < k; c++) {
        J.arg = arg + (size_t)c * d;
        /* row c needs at least c+1 values: i >= c, and the start j >= c */
        jenks_row(&J, (size_t)c, d - 1, (size_t)c, d - 1);
        for (size_t i = 0; i < (size_t)c; i++)
            cur[i] = INFINITY;
        double *t = J.prev;
        J.prev = J.cur;
        J.cur = t;
    }
    /* walk back from the last value: class c ends where class c+1 starts */
    breaks[0] = u[0];
    breaks[k] = u[d - 1];
    size_t end = d - 1;
    for (int c = k - 1; c >= 1; c--) {
        size_t start = arg[(size_t)c * d + end];
        breaks[c] = u[start - 1];
        end = start - 1;
    }
done:
    free(W);
    free(S);
    free(Q);
    free(prev);
    free(cur);
    free(arg);
    return st;
}

/* Is m a method, and are the n values finite? */
static gpcov_status check_values(gpcov_ctx *ctx, enum gpcov_breaks_method m,
                                 const double *values, size_t n)
{
    if (m != GPCOV_BREAKS_QUANTILE && m != GPCOV_BREAKS_EQUAL &&
        m != GPCOV_BREAKS_JENKS)
        return gpcov_err(ctx, GPCOV_EUSAGE, "unknown breaks method %d",
                         (int)m);
    if (n == 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s breaks: no values to classify",
                         method_name(m));
    for (size_t i = 0; i < n; i++)
        if (!isfinite(values[i]))
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s breaks: value %zu is not a finite number",
                             method_name(m), i + 1);
    return GPCOV_OK;
}

/* Quantile edges of the sorted x, refused where two coincide. */
static gpcov_status quantile_breaks(gpcov_ctx *ctx, const double *x, size_t n,
                                    int k, double *breaks)
{
    quantile_edges(x, n, k, breaks);
    for (int c = 1; c <= k; c++)
        if (!(breaks[c] > breaks[c - 1]))
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "quantile breaks: edges %d and %d coincide at "
                             "%g (many equal values); ask for fewer classes "
                             "or use jenks",
                             c, c + 1, breaks[c]);
    return GPCOV_OK;
}

/* Jenks edges of the sorted x (n values, d distinct): the distinct values
** and their counts are made in place. */
static gpcov_status jenks_breaks(gpcov_ctx *ctx, double *x, size_t n, size_t d,
                                 int k, double *breaks)
{
    double *w = malloc(d * sizeof *w);
    if (!w)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory (jenks breaks)");
    size_t j = 0;
    w[0] = 1;
    for (size_t i = 1; i < n; i++) {
        if (x[i] == x[j]) {
            w[j] += 1;
        } else {
            x[++j] = x[i];
            w[j] = 1;
        }
    }
    gpcov_status st = jenks_edges(ctx, x, w, d, k, breaks);
    free(w);
    return st;
}

/* The breaks of the sorted x (n values, d distinct). */
static gpcov_status sorted_breaks(gpcov_ctx *ctx, enum gpcov_breaks_method m,
                                  double *x, size_t n, size_t d, int k,
                                  double *breaks)
{
    if (k == 1) {
        breaks[0] = x[0];
        breaks[1] = x[n - 1];
        return GPCOV_OK;
    }
    if (d == 1)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s breaks: all %zu values are %g; %d classes cannot be "
                         "made (use 1 class)",
                         method_name(m), n, x[0], k);
    if (m == GPCOV_BREAKS_EQUAL) {
        double lo = x[0], hi = x[n - 1];
        breaks[0] = lo;
        breaks[k] = hi;
        for (int c = 1; c < k; c++)
            breaks[c] = lo + (hi - lo) * c / k;
        return GPCOV_OK;
    }
    if (d < (size_t)k)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s breaks: %d classes asked but the %zu values hold "
                         "only %zu distinct values; ask for at most %zu classes",
                         method_name(m), k, n, d, d);
    if (m == GPCOV_BREAKS_QUANTILE)
        return quantile_breaks(ctx, x, n, k, breaks);
    return jenks_breaks(ctx, x, n, d, k, breaks);
}

gpcov_status gpcov_breaks(gpcov_ctx *ctx, enum gpcov_breaks_method m,
                          const double *values, size_t n, int k,
                          double *breaks)
{
    if (k < 1)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "%s breaks: need at least 1 class, not %d",
                         method_name(m), k);
    if (m == GPCOV_BREAKS_FIXED)
        return check_fixed(ctx, breaks, k);
    gpcov_status st = check_values(ctx, m, values, n);
    if (st != GPCOV_OK)
        return st;
    double *x = malloc(n * sizeof *x);
    if (!x)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory (class breaks)");
    memcpy(x, values, n * sizeof *x);
    qsort(x, n, sizeof *x, cmp_double);
    size_t d = 1;
    for (size_t i = 1; i < n; i++)
        d += x[i] != x[i - 1];
    st = sorted_breaks(ctx, m, x, n, d, k, breaks);
    free(x);
    return st;
}

int gpcov_breaks_class(const double *breaks, int k, double v)
{
    if (k < 1 || isnan(v) || v < breaks[0] || v > breaks[k])
        return -1;
    /* the first c with v <= breaks[c+1] */
    int lo = 0, hi = k - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (v <= breaks[mid + 1])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
