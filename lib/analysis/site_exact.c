/*
** site_exact.c: the best k-set among all C(ncand, k), exactly.
** COVER and MEDIAN: a depth-first search over the sets, the candidates
** taken in descending order of their gain with the existing sites alone
** (ties by index), each level adding one candidate to the per-unit state
** and undoing it on the way back (an undo log of the units it improved),
** so a set costs the pairs of its last candidate.  A branch is cut when
** its score plus the gains with the existing sites alone of the next
** candidates in that order (the largest that remain) is below the best
** found: by submodularity no gain grows as sites open, so no set below
** the branch can do better; as the order is descending, the rest of that
** level is cut too, and when those gains are all 0 every completion
** scores the same and only the one of the lowest indices is looked at
** (a tie goes to the lowest indices).  The search starts from the heuristic's set.  Among
** sets of the same score (within rounding) the one whose sorted
** candidate indices come first lexicographically wins.
** CAPACITY evaluates every set in lexicographic order, each by the sweep.
*/
#include "gpcov.h"
#include "site_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct undo {
    uint32_t unit;
    float old;
};

struct bb {
    struct site_ix *ix;
    size_t k, n;
    uint32_t *order;   /* positions -> candidates, by gain descending   */
    double *g0;        /* gain with the existing sites, by position      */
    float *cur;
    struct undo *log;
    size_t nlog;
    uint32_t *path, *best, *tmp;
    double best_score;
    size_t evaluated;
};

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* 1 when the sorted a[0..k) comes before the sorted b[0..k) */
static int lex_less(uint32_t *a, uint32_t *b, size_t k)
{
    for (size_t s = 0; s < k; s++)
        if (a[s] != b[s])
            return a[s] < b[s];
    return 0;
}

/* a complete set: its candidates in b->tmp[0..k) */
static void leaf(struct bb *b, double score)
{
    b->evaluated++;
    if (score < b->best_score - b->ix->eps)
        return;
    qsort(b->tmp, b->k, sizeof *b->tmp, cmp_u32);
    if (score > b->best_score + b->ix->eps || lex_less(b->tmp, b->best, b->k)) {
        memcpy(b->best, b->tmp, b->k * sizeof *b->best);
        b->best_score = score;
    }
}

/* the path's candidates into b->tmp[0..d) */
static void path_set(struct bb *b, size_t d)
{
    for (size_t s = 0; s < d; s++)
        b->tmp[s] = b->order[b->path[s]];
}

/* when no candidate from position `from` on gains anything, every
** completion scores the same: only the one of the lowest indices counts */
static void zero_completion(struct bb *b, size_t d, size_t from, double score)
{
    path_set(b, d);
    for (size_t s = d; s < b->k; s++) {
        uint32_t low = UINT32_MAX;
        for (size_t pos = from; pos < b->n; pos++) {
            uint32_t c = b->order[pos];
            int taken = 0;
            for (size_t q = d; q < s && !taken; q++)
                taken = b->tmp[q] == c;
            if (!taken && c < low)
                low = c;
        }
        b->tmp[s] = low;
    }
    leaf(b, score);
}

static void apply_logged(struct bb *b, uint32_t c)
{
    const struct site_ix *ix = b->ix;
    for (size_t q = ix->off[c]; q < ix->off[c + 1]; q++)
        if (ix->min[q] < b->cur[ix->unit[q]]) {
            b->log[b->nlog++] = (struct undo){ix->unit[q], b->cur[ix->unit[q]]};
            b->cur[ix->unit[q]] = ix->min[q];
        }
}

/* prefix[i]: the sum of g0 over positions [0, i) */
static void search(struct bb *b, const double *prefix, size_t d, size_t from, double score)
{
    size_t left = b->k - d;
    if (!(prefix[from + left] - prefix[from] > 0)) {
        zero_completion(b, d, from, score);
        return;
    }
    for (size_t pos = from; pos + left <= b->n; pos++) {
        double cap = score + prefix[pos + left] - prefix[pos];
        if (cap < b->best_score - b->ix->eps)
            break;
        uint32_t c = b->order[pos];
        double g = site_gain(b->ix, c, b->cur);
        b->path[d] = (uint32_t)pos;
        if (left == 1) {
            path_set(b, b->k);
            leaf(b, score + g);
            continue;
        }
        size_t mark = b->nlog;
        apply_logged(b, c);
        search(b, prefix, d + 1, pos + 1, score + g);
        while (b->nlog > mark) {
            b->nlog--;
            b->cur[b->log[b->nlog].unit] = b->log[b->nlog].old;
        }
    }
}

struct gc {
    double g;
    uint32_t c;
};

static int by_gain(const void *x, const void *y)
{
    const struct gc *a = x, *b = y;
    if (a->g != b->g)
        return a->g > b->g ? -1 : 1;
    return (a->c > b->c) - (a->c < b->c);
}

/* the candidates by descending gain with the existing sites, the prefix
** sums of those gains */
static gpcov_status order_candidates(gpcov_ctx *ctx, struct bb *b, double **prefix)
{
    struct gc *t = malloc((b->n ? b->n : 1) * sizeof *t);
    *prefix = malloc((b->n + 1) * sizeof **prefix);
    if (!t || !*prefix) {
        free(t);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (uint32_t c = 0; c < b->n; c++)
        t[c] = (struct gc){site_gain(b->ix, c, b->cur), c};
    qsort(t, b->n, sizeof *t, by_gain);
    (*prefix)[0] = 0;
    for (size_t p = 0; p < b->n; p++) {
        b->order[p] = t[p].c;
        (*prefix)[p + 1] = (*prefix)[p] + t[p].g;
    }
    free(t);
    return GPCOV_OK;
}

static gpcov_status exact_submodular(gpcov_ctx *ctx, struct bb *b)
{
    struct site_ix *ix = b->ix;
    size_t k = b->k;
    b->cur = malloc((ix->nunit ? ix->nunit : 1) * sizeof *b->cur);
    b->order = malloc((b->n ? b->n : 1) * sizeof *b->order);
    b->log = malloc((ix->off[b->n] ? ix->off[b->n] : 1) * sizeof *b->log);
    b->path = malloc((k ? k : 1) * sizeof *b->path);
    b->tmp = malloc((k ? k : 1) * sizeof *b->tmp);
    double *prefix = NULL;
    gpcov_status st = GPCOV_OK;
    if (!b->cur || !b->order || !b->log || !b->path || !b->tmp)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (!st) {
        site_state_init(ix, b->cur);
        st = order_candidates(ctx, b, &prefix);
    }
    if (!st)
        search(b, prefix, 0, 0, site_state_score(ix, b->cur));
    free(b->cur), free(b->order), free(b->log), free(b->path), free(b->tmp), free(prefix);
    return st;
}

/* CAPACITY: every set in lexicographic order, the first of the best kept */
static gpcov_status exact_capacity(gpcov_ctx *ctx, struct bb *b)
{
    size_t k = b->k, n = b->n;
    uint32_t *s = malloc((k ? k : 1) * sizeof *s);
    if (!s)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < k; i++)
        s[i] = (uint32_t)i;
    for (;;) {
        double v = site_cap_score(b->ix, s, k);
        b->evaluated++;
        if (v > b->best_score + b->ix->eps ||
            (v >= b->best_score - b->ix->eps && lex_less(s, b->best, k))) {
            memcpy(b->best, s, k * sizeof *s);
            b->best_score = v;
        }
        size_t i = k;
        while (i > 0 && s[i - 1] == n - k + i - 1)
            i--;
        if (i == 0)
            break;
        s[i - 1]++;
        for (size_t j = i; j < k; j++)
            s[j] = s[j - 1] + 1;
    }
    free(s);
    return GPCOV_OK;
}

gpcov_status site_exact(gpcov_ctx *ctx, struct site_ix *ix, size_t k, uint32_t *set,
                        double *score, size_t *evaluated)
{
    struct bb b = {.ix = ix, .k = k, .n = ix->ncand, .best = set, .best_score = *score};
    qsort(set, k, sizeof *set, cmp_u32);
    gpcov_status st = GPCOV_OK;
    if (k == 0)
        b.evaluated = 1;
    else if (ix->obj == GPCOV_SITE_CAPACITY)
        st = exact_capacity(ctx, &b);
    else
        st = exact_submodular(ctx, &b);
    *score = b.best_score;
    *evaluated += b.evaluated;
    return st;
}
