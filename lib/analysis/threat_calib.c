/*
** threat_calib.c: `gpcov threat --calibrate`: the cuts of the rules (and
** the score's threshold), each within a stated range, that agree best with
** a designation list.  A cut matters only where it passes a unit's value,
** so each range is cut into classes at the distinct values of the units
** (the score's at the distinct sums of the rules' weights) and each class
** is tried once.  Agreement is Cohen's kappa over the decided units (an
** undecided unit counts for neither side); ties go to the cuts nearest
** the original ones.  Every combination of classes is tried when there
** are at most CALIB_EXHAUSTIVE of them times units, else a coordinate
** search (one cut at a time, over all its classes, until no cut moves).
** Then the stability: the units whose verdict changes when one found cut
** moves by -10 % or +10 %.
*/
#include "threat_calib.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Unit evaluations of the exhaustive search, at most; then coordinates. */
#define CALIB_EXHAUSTIVE 50000000.0
#define CALIB_SWEEPS 100
/* the score's threshold: rules whose weights' sums are enumerated */
#define CALIB_MAX_RULES 20

/* One --calibrate range against the rules: a rule of that name, or the
** threshold; -1 the threshold, -2 none. */
static int range_rule(const struct gpcov_threat_opts *o, const char *name)
{
    for (size_t k = 0; k < o->nrules; k++)
        if (!strcmp(o->rules[k].name, name))
            return (int)k;
    return strcmp(name, "threshold") ? -2 : -1;
}

gpcov_status gpcov_threat_calibrate_check(gpcov_ctx *ctx, const struct gpcov_threat_opts *o)
{
    if (o->calibration && !o->ncalibrate)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--calibration %s: without --calibrate there is "
                         "nothing to write", o->calibration);
    if (!o->ncalibrate)
        return GPCOV_OK;
    if (!o->designation || !o->units)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--calibrate needs --units and a --designation "
                         "list to agree with");
    for (size_t j = 0; j < o->ncalibrate; j++) {
        const struct gpcov_calib_range *c = &o->calibrate[j];
        int k = range_rule(o, c->name);
        if (!(isfinite(c->lo) && isfinite(c->hi) && c->lo < c->hi))
            return gpcov_err(ctx, GPCOV_EUSAGE, "--calibrate %s=%g:%g: expected LO:HI with "
                             "LO < HI", c->name, c->lo, c->hi);
        if (k == -2)
            return gpcov_err(ctx, GPCOV_EUSAGE, "--calibrate %s: no rule of that name (nor "
                             "'threshold', the score's)", c->name);
        if (k == -1 && (o->combine != GPCOV_COMBINE_SCORE || c->lo < 0 || c->hi > 1))
            return gpcov_err(ctx, GPCOV_EUSAGE, "--calibrate threshold=%g:%g: the score's "
                             "threshold, with --combine score, within 0:1", c->lo, c->hi);
        for (size_t i = 0; i < j; i++)
            if (!strcmp(o->calibrate[i].name, c->name))
                return gpcov_err(ctx, GPCOV_EUSAGE, "--calibrate %s: given twice", c->name);
    }
    if (o->calibration && !o->overwrite && gpcov_path_exists(o->calibration))
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: exists already (use --overwrite to replace "
                         "it)", o->calibration);
    return GPCOV_OK;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v[n] and keeps each value once (within tol, for sums of weights
** added in different orders); the new count. */
static size_t distinct(double *v, size_t n, double tol)
{
    qsort(v, n, sizeof *v, cmp_dbl);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || v[i] > v[m - 1] + tol)
            v[m++] = v[i];
    return m;
}

/* Whether cut c is in class j: classes are closed on the side where the
** verdicts change after the value (> and <= change after it: [from, to);
** >= and < at it: (from, to]); the range's ends are closed. */
static int in_class(const struct param *P, size_t j, double c)
{
    int left = P->op == CUT_GT || P->op == CUT_LE;
    if (left)
        return c >= P->from[j] && (c < P->to[j] || (j + 1 == P->ncls && c <= P->to[j]));
    return c <= P->to[j] && (c > P->from[j] || (j == 0 && c >= P->from[j]));
}

/* The classes of P from its distinct values v[m] (sorted). */
static gpcov_status classes(gpcov_ctx *ctx, struct param *P, const double *v, size_t m)
{
    int left = P->op == CUT_GT || P->op == CUT_LE;
    double *pt = malloc((m + 2) * sizeof *pt);
    size_t np = 0;
    if (!pt)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (left)
        pt[np++] = P->lo;
    for (size_t j = 0; j < m; j++)
        if (left ? v[j] > P->lo && v[j] <= P->hi : v[j] >= P->lo && v[j] < P->hi)
            pt[np++] = v[j];
    if (!left)
        pt[np++] = P->hi;
    P->ncls = np;
    P->from = malloc(np * sizeof *P->from);
    P->to = malloc(np * sizeof *P->to);
    P->rep = malloc(np * sizeof *P->rep);
    if (!P->from || !P->to || !P->rep) {
        free(pt);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < np; j++) {
        P->from[j] = left ? pt[j] : j ? pt[j - 1] : P->lo;
        P->to[j] = left ? (j + 1 < np ? pt[j + 1] : P->hi) : pt[j];
    }
    for (size_t j = 0; j < np; j++)
        P->rep[j] = in_class(P, j, P->c0) ? P->c0 : (P->from[j] + P->to[j]) / 2;
    free(pt);
    return GPCOV_OK;
}

/* A rule's cut: the rule read, its values' classes. */
static gpcov_status rule_param(struct calib *C, struct param *P)
{
    struct run *R = C->R;
    if (!R->ex[P->rule])
        return gpcov_err(R->ctx, GPCOV_EINPUT, "--calibrate %s: the rule was skipped (its "
                         "indicators are missing), so it has no cut", P->name);
    gpcov_status st = gpcov_threat_cut_read(R, (size_t)P->rule, P);
    double *v = st ? NULL : malloc((C->n ? C->n : 1) * sizeof *v);
    size_t m = 0;
    if (!st && !v)
        st = gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; v && i < C->n; i++)
        if (!C->skip[i] && isfinite(P->x[i]))
            v[m++] = P->x[i];
    if (v)
        st = classes(R->ctx, P, v, distinct(v, m, 0));
    free(v);
    return st;
}

/* The weight of rule k in the score. */
static double weight(const struct run *R, size_t k)
{
    return R->o->rules[k].weight > 0 ? R->o->rules[k].weight : 1;
}

/* The score's threshold: classes between the scores a unit can have, the
** sums of the used rules' weights over their total. */
static gpcov_status threshold_param(struct calib *C, struct param *P)
{
    struct run *R = C->R;
    size_t used = 0, m = 1;
    double W = 0;
    for (size_t k = 0; k < R->nr; k++)
        if (R->ex[k])
            used++, W += weight(R, k);
    if (used > CALIB_MAX_RULES)
        return gpcov_err(R->ctx, GPCOV_EUSAGE, "--calibrate threshold: at most %d rules",
                         CALIB_MAX_RULES);
    double *v = malloc(((size_t)1 << used) * sizeof *v);
    if (!v)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    v[0] = 0;
    for (size_t k = 0; k < R->nr; k++)
        for (size_t j = 0, was = m; R->ex[k] && j < was; j++)
            v[m++] = v[j] + weight(R, k);
    for (size_t j = 0; j < m; j++)
        v[j] /= W;
    P->op = CUT_GE;
    P->c0 = R->thr;
    gpcov_status st = classes(R->ctx, P, v, distinct(v, m, 1e-12));
    free(v);
    return st;
}

/* The agreement of verdicts cls with the designation. */
static void confusion(const struct calib *C, const double *cls, struct conf *cf)
{
    memset(cf, 0, sizeof *cf);
    for (size_t i = 0; i < C->n; i++) {
        if (C->skip[i])
            continue;
        if (isnan(cls[i])) {
            cf->und++;
            continue;
        }
        int t = cls[i] == 1, d = C->des[i];
        cf->tp += t && d, cf->fp += t && !d, cf->fn += !t && d, cf->tn += !t && !d;
    }
    double N = (double)(cf->tp + cf->fp + cf->fn + cf->tn);
    double po = (double)(cf->tp + cf->tn) / N;
    double pe = ((double)(cf->tp + cf->fp) * (double)(cf->tp + cf->fn) +
                 (double)(cf->fn + cf->tn) * (double)(cf->fp + cf->tn)) / (N * N);
    cf->acc = N > 0 ? po : NAN;
    cf->kappa = N > 0 && pe < 1 ? (po - pe) / (1 - pe) : NAN;
    cf->bacc = cf->tp + cf->fn && cf->tn + cf->fp
                   ? ((double)cf->tp / (double)(cf->tp + cf->fn) +
                      (double)cf->tn / (double)(cf->tn + cf->fp)) / 2
                   : NAN;
}

/* Every unit judged with the cuts C->cut into cls, and the agreement. */
static void evaluate(struct calib *C, double *cls, struct conf *cf)
{
    const struct run *R = C->R;
    size_t nr = R->nr;
    double thr = C->thr >= 0 ? C->cut[C->thr] : R->thr;
    for (size_t i = 0; i < C->n; i++) {
        cls[i] = NAN;
        if (C->skip[i])
            continue;
        struct tally t = {0};
        for (size_t k = 0; k < nr; k++) {
            signed char f = R->fired[i * nr + k];
            int p = C->pof[k];
            if (p >= 0)
                f = gpcov_threat_cut_fires(C->p[p].op, C->p[p].x[i], C->cut[p]);
            gpcov_threat_tally_add(&t, f, weight(R, k));
        }
        double s, lo, hi;
        gpcov_threat_verdict(&t, R->o->combine, thr, &cls[i], &s, &lo, &hi);
    }
    C->evals++;
    if (cf)
        confusion(C, cls, cf);
}

/* How far the classes at[] are from the original cuts: the sum of each
** representative's distance over its range. */
static double distance(const struct calib *C, const size_t *at)
{
    double d = 0;
    for (size_t p = 0; p < C->np; p++)
        d += fabs(C->p[p].rep[at[p]] - C->p[p].c0) / (C->p[p].hi - C->p[p].lo);
    return d;
}

/* The classes at C->at tried: kept as the best when they agree better, or
** as well and nearer the original cuts.  1 when kept. */
static int try_at(struct calib *C)
{
    struct conf cf;
    for (size_t p = 0; p < C->np; p++)
        C->cut[p] = C->p[p].rep[C->at[p]];
    evaluate(C, C->cls, &cf);
    double k = isnan(cf.kappa) ? -INFINITY : cf.kappa, d = distance(C, C->at);
    int better = k > C->best_kappa + 1e-12 ||
                 (k >= C->best_kappa - 1e-12 && d < C->best_dist - 1e-12);
    if (better) {
        C->best_kappa = k, C->best_dist = d;
        memcpy(C->best, C->at, C->np * sizeof *C->at);
    }
    return better;
}

/* Every combination of classes, the first cut changing fastest. */
static void search_all(struct calib *C)
{
    memset(C->at, 0, C->np * sizeof *C->at);
    for (;;) {
        try_at(C);
        size_t p = 0;
        while (p < C->np && ++C->at[p] == C->p[p].ncls)
            C->at[p++] = 0;
        if (p == C->np)
            break;
    }
}

/* From the original cuts (or the classes nearest them), one cut at a time
** over all its classes, the others held, until a sweep moves none. */
static void search_coordinates(struct calib *C)
{
    for (size_t p = 0; p < C->np; p++) {
        size_t b = 0;
        for (size_t j = 1; j < C->p[p].ncls; j++)
            if (fabs(C->p[p].rep[j] - C->p[p].c0) < fabs(C->p[p].rep[b] - C->p[p].c0))
                b = j;
        C->at[p] = b;
    }
    try_at(C);
    int moved = 1;
    for (C->sweeps = 0; moved && C->sweeps < CALIB_SWEEPS; C->sweeps++) {
        moved = 0;
        for (size_t p = 0; p < C->np; p++) {
            memcpy(C->at, C->best, C->np * sizeof *C->at);
            for (size_t j = 0; j < C->p[p].ncls; j++) {
                C->at[p] = j;
                moved |= try_at(C);
            }
        }
    }
}

/* Units whose verdict at the cuts C->cut differs from the found one, as
** "KEY NAME: from -> to" into P->flips[s]. */
static void flips(struct calib *C, struct param *P, int s)
{
    const struct run *R = C->R;
    static const char *const vd[] = {"false", "true", "undecided"};
    evaluate(C, C->cls, NULL);
    for (size_t i = 0; i < C->n; i++) {
        double a = C->found_cls[i], b = C->cls[i];
        if (C->skip[i] || (isnan(a) && isnan(b)) || a == b)
            continue;
        const struct gpcov_value *nm = R->fon >= 0 ? gpcov_layer_value(R->out, i, (size_t)R->fon)
                                                   : NULL;
        gpcov_threat_add(&P->flips[s], &P->fn[s], &P->fc[s], "%s%s%s%s: %s -> %s",
                         P->nflips[s] ? "; " : "", R->out->keys[i], nm && !nm->null ? " " : "",
                         nm && !nm->null ? nm->str : "", vd[isnan(a) ? 2 : (int)a],
                         vd[isnan(b) ? 2 : (int)b]);
        P->nflips[s]++;
    }
}

/* The found cuts, the agreement there, and each cut moved by -10 % and
** +10 % (the others held): verdicts change monotonically with a cut, so
** a unit that flips anywhere within the 10 % flips at one of the ends. */
static void found_and_stability(struct calib *C)
{
    for (size_t p = 0; p < C->np; p++) {
        C->p[p].found = C->best[p];
        C->cut[p] = C->p[p].rep[C->best[p]];
    }
    evaluate(C, C->found_cls, &C->after);
    for (size_t p = 0; p < C->np; p++) {
        double c = C->cut[p];
        for (int s = 0; s < 2; s++) {
            C->cut[p] = c * (s ? 1.1 : 0.9);
            flips(C, &C->p[p], s);
        }
        C->cut[p] = c;
    }
}

/* The units, the designation, and the params with their classes. */
static gpcov_status setup(struct calib *C)
{
    struct run *R = C->R;
    const struct gpcov_threat_opts *o = R->o;
    size_t n = C->n ? C->n : 1, np = o->ncalibrate;
    C->des = calloc(n, 1), C->skip = calloc(n, 1);
    C->p = calloc(np, sizeof *C->p), C->pof = malloc(R->nr * sizeof *C->pof);
    C->cut = calloc(np, sizeof *C->cut), C->at = calloc(np, sizeof *C->at);
    C->best = calloc(np, sizeof *C->best);
    C->cls = malloc(n * sizeof *C->cls), C->found_cls = malloc(n * sizeof *C->found_cls);
    if (!C->des || !C->skip || !C->p || !C->pof || !C->cut || !C->at || !C->best || !C->cls ||
        !C->found_cls)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < C->n; i++)
        C->skip[i] = CSLFindString(o->exclude, R->L->keys[i]) >= 0;
    gpcov_status st = gpcov_threat_designated(R, C->des);
    for (size_t k = 0; k < R->nr; k++)
        C->pof[k] = -1;
    C->thr = -1;
    for (size_t p = 0; !st && p < np; p++) {
        struct param *P = &C->p[p];
        P->name = o->calibrate[p].name;
        P->lo = o->calibrate[p].lo, P->hi = o->calibrate[p].hi;
        P->rule = range_rule(o, P->name);
        C->np = p + 1;
        if (P->rule >= 0)
            C->pof[P->rule] = (int)p;
        else
            C->thr = (int)p;
        st = P->rule >= 0 ? rule_param(C, P) : threshold_param(C, P);
    }
    return st;
}

/* The original cuts: the verdicts must be the run's own (a check that the
** cuts were read right), and the agreement before. */
static gpcov_status before(struct calib *C)
{
    for (size_t p = 0; p < C->np; p++)
        C->cut[p] = C->p[p].c0;
    evaluate(C, C->cls, &C->before);
    for (size_t i = 0; i < C->n; i++) {
        double a = C->cls[i], b = C->R->cls[i];
        if (!C->skip[i] && !(isnan(a) && isnan(b)) && a != b)
            return gpcov_err(C->R->ctx, GPCOV_EINTERNAL, "calibration: unit %s is judged %g "
                             "by the cuts but %g by the rules", C->R->L->keys[i], a, b);
    }
    return GPCOV_OK;
}

static void calib_free(struct calib *C)
{
    for (size_t p = 0; C->p && p < C->np; p++) {
        struct param *P = &C->p[p];
        free(P->lhs), free(P->x), free(P->from), free(P->to), free(P->rep);
        free(P->flips[0]), free(P->flips[1]);
    }
    free(C->des), free(C->skip), free(C->p), free(C->pof), free(C->cut), free(C->at);
    free(C->best), free(C->cls), free(C->found_cls);
}

gpcov_status gpcov_threat_calibrate(struct run *R)
{
    struct calib C = {.R = R, .n = R->L->n, .best_kappa = -INFINITY, .best_dist = INFINITY};
    gpcov_status st = setup(&C);
    if (!st)
        st = before(&C);
    if (!st) {
        double combos = 1;
        for (size_t p = 0; p < C.np; p++)
            combos *= (double)C.p[p].ncls;
        C.exhaustive = combos * (double)(C.n ? C.n : 1) <= CALIB_EXHAUSTIVE;
        C.evals = 0;
        if (C.exhaustive)
            search_all(&C);
        else
            search_coordinates(&C);
        size_t searched = C.evals;
        found_and_stability(&C);
        C.evals = searched;
        st = gpcov_threat_calib_report(&C);
    }
    calib_free(&C);
    return st;
}
