/*
** threat_calib_out.c: what the calibration of the threat rules says: in
** the summary, the search, the cuts found within their ranges, the
** agreement before and after (Cohen's kappa, balanced accuracy, accuracy
** and the counts), and the units that flip when a found cut moves by
** 10 %; and the same as a table through the common layer writer (CSV,
** GeoPackage, ...): one row for the agreement before, one after, one per
** cut.
*/
#include "threat_calib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fields[] = {
    "item", "rule", "range_from", "range_to", "classes", "original", "found", "same_from",
    "same_to", "measure", "kappa", "balanced_accuracy", "accuracy", "tp", "fp", "fn", "tn",
    "decided", "undecided", "excluded", "search", "cut_minus10", "flips_minus10",
    "units_minus10", "cut_plus10", "flips_plus10", "units_plus10"};
/* their types: S text, R real, I integer */
static const char types[] = "SSRRIRRRRSRRRIIIIIIISRISRIS";
#define NFIELDS (sizeof fields / sizeof *fields)
_Static_assert(sizeof types - 1 == NFIELDS, "a type for every field");

/* The rule of P with cut c, e.g. "share_far60 > 21.5" or "score >= 0.5". */
static void rule_text(const struct param *P, double c, char *buf, size_t n)
{
    snprintf(buf, n, "%s %s %.6g", P->rule >= 0 ? P->lhs : "score",
             gpcov_threat_cut_opname(P->op), c);
}

static size_t excluded(const struct calib *C)
{
    size_t x = 0;
    for (size_t i = 0; i < C->n; i++)
        x += C->skip[i];
    return x;
}

/* How the cuts were searched, in words. */
static void search_text(const struct calib *C, char *buf, size_t n)
{
    if (C->exhaustive)
        snprintf(buf, n, "exhaustive: all %zu combinations of the cuts' classes", C->evals);
    else
        snprintf(buf, n, "coordinate search: %zu sweeps, %zu combinations tried (a local "
                 "optimum; the exhaustive search would take more than %s)", C->sweeps,
                 C->evals, "50 million unit evaluations");
}

static void summary_cuts(struct calib *C)
{
    struct run *R = C->R;
    gpcov_threat_add(&R->sum, &R->sn, &R->scap,
        "  %-12s %-20s %7s %10s %10s  %s\n", "cut", "range", "classes", "original", "found",
        "same verdicts for (within the range)");
    for (size_t p = 0; p < C->np; p++) {
        const struct param *P = &C->p[p];
        char range[64];
        snprintf(range, sizeof range, "%.6g to %.6g", P->lo, P->hi);
        gpcov_threat_add(&R->sum, &R->sn, &R->scap, "  %-12s %-20s %7zu %10.6g %10.6g  %.6g to %.6g\n",
            P->name, range, P->ncls, P->c0, P->rep[P->found], P->from[P->found], P->to[P->found]);
    }
    for (size_t p = 0; p < C->np; p++) {
        const struct param *P = &C->p[p];
        char a[256], b[256];
        rule_text(P, P->c0, a, sizeof a);
        rule_text(P, P->rep[P->found], b, sizeof b);
        gpcov_threat_add(&R->sum, &R->sn, &R->scap, "  %s: %s  ->  %s\n", P->name, a, b);
    }
}

static void summary_conf(struct run *R, const char *what, const struct conf *c)
{
    gpcov_threat_add(&R->sum, &R->sn, &R->scap,
        "  %-8s %7.3f %10.3f %9.3f %5zu %5zu %5zu %5zu %10zu\n", what, c->kappa, c->bacc, c->acc,
        c->tp, c->fp, c->fn, c->tn, c->und);
}

/* The calibration's part of the summary. */
static void summary(struct calib *C)
{
    struct run *R = C->R;
    char s[256];
    search_text(C, s, sizeof s);
    gpcov_threat_add(&R->sum, &R->sn, &R->scap,
        "calibration against %s: the cuts within their ranges with the best Cohen's kappa "
        "over the decided units (ties: nearest the original cuts)\n  %s\n",
        R->o->designation, s);
    summary_cuts(C);
    gpcov_threat_add(&R->sum, &R->sn, &R->scap,
        "  %-8s %7s %10s %9s %5s %5s %5s %5s %10s\n", "", "kappa", "bal.acc.", "accuracy",
        "TP", "FP", "FN", "TN", "undecided");
    summary_conf(R, "before", &C->before);
    summary_conf(R, "after", &C->after);
    gpcov_threat_add(&R->sum, &R->sn, &R->scap,
        "  (TP: threatened and designated, FP: threatened only, FN: designated only; "
        "undecided units count for neither; %zu excluded)\n"
        "  stability: units whose verdict changes when one found cut is x 0.9 or x 1.1, the "
        "others held:\n", excluded(C));
    for (size_t p = 0; p < C->np; p++)
        for (int k = 0; k < 2; k++) {
            const struct param *P = &C->p[p];
            gpcov_threat_add(&R->sum, &R->sn, &R->scap, "    %s x %s = %.6g: %s\n", P->name,
                k ? "1.1" : "0.9", P->rep[P->found] * (k ? 1.1 : 0.9),
                P->nflips[k] ? P->flips[k] : "none");
        }
    gpcov_summary(R->ctx, "calibrated %zu cut%s against %s: kappa %.3f before, %.3f after",
                  C->np, C->np == 1 ? "" : "s", R->o->designation, C->before.kappa,
                  C->after.kappa);
}

/* The table: its fields, then rows; f(name) finds a field. */
static int f(const struct gpcov_layer *l, const char *name)
{
    return gpcov_layer_field(l, name);
}

static void row_conf(gpcov_ctx *ctx, struct gpcov_layer *l, size_t j, const struct conf *c,
                     size_t nx)
{
    double v[] = {c->kappa, c->bacc, c->acc, (double)c->tp, (double)c->fp, (double)c->fn,
                  (double)c->tn, (double)(c->tp + c->fp + c->fn + c->tn), (double)c->und,
                  (double)nx};
    static const char *const nm[] = {"kappa", "balanced_accuracy", "accuracy", "tp", "fp",
                                     "fn", "tn", "decided", "undecided", "excluded"};
    gpcov_layer_set_str(ctx, l, j, (size_t)f(l, "measure"), "cohen_kappa");
    for (size_t k = 0; k < sizeof v / sizeof *v; k++)
        if (!isnan(v[k]))
            gpcov_layer_set_num(ctx, l, j, (size_t)f(l, nm[k]), v[k]);
}

/* Row j: a found cut, its range and classes, and its flips. */
static void row_param(gpcov_ctx *ctx, struct gpcov_layer *l, size_t j, const struct param *P)
{
    char b[256];
    rule_text(P, P->rep[P->found], b, sizeof b);
    gpcov_layer_set_str(ctx, l, j, (size_t)f(l, "rule"), b);
    double v[] = {P->lo, P->hi, (double)P->ncls, P->c0, P->rep[P->found], P->from[P->found],
                  P->to[P->found], P->rep[P->found] * 0.9, (double)P->nflips[0],
                  P->rep[P->found] * 1.1, (double)P->nflips[1]};
    static const char *const nm[] = {"range_from", "range_to", "classes", "original", "found",
                                     "same_from", "same_to", "cut_minus10", "flips_minus10",
                                     "cut_plus10", "flips_plus10"};
    for (size_t k = 0; k < sizeof v / sizeof *v; k++)
        gpcov_layer_set_num(ctx, l, j, (size_t)f(l, nm[k]), v[k]);
    gpcov_layer_set_str(ctx, l, j, (size_t)f(l, "units_minus10"), P->flips[0] ? P->flips[0] : "");
    gpcov_layer_set_str(ctx, l, j, (size_t)f(l, "units_plus10"), P->flips[1] ? P->flips[1] : "");
}

/* The rules at the cuts of one side, e.g. "remote: share_far60 > 25". */
static void cuts_text(const struct calib *C, int after, char *buf, size_t n)
{
    size_t w = 0;
    buf[0] = 0;
    for (size_t p = 0; p < C->np && w < n; p++) {
        const struct param *P = &C->p[p];
        char r[256];
        rule_text(P, after ? P->rep[P->found] : P->c0, r, sizeof r);
        w += (size_t)snprintf(buf + w, n - w, "%s%s: %s", p ? "; " : "", P->name, r);
    }
}

static gpcov_status table(struct calib *C)
{
    struct run *R = C->R;
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_layer *l = R->calout = gpcov_layer_new("threat_calibration");
    for (size_t k = 0; l && k < NFIELDS; k++) {
        enum gpcov_ftype t = types[k] == 'S' ? GPCOV_STR : types[k] == 'I' ? GPCOV_INT
                                                                            : GPCOV_REAL;
        if (gpcov_layer_add_field(ctx, l, fields[k], t) < 0)
            return GPCOV_ENOMEM;
    }
    char buf[1024];
    for (size_t j = 0; l && j < 2 + C->np; j++) {
        if (gpcov_layer_append(ctx, l, NULL, NULL) < 0)
            return GPCOV_ENOMEM;
        const char *item = j == 0 ? "agreement before" : j == 1 ? "agreement after"
                                                                : C->p[j - 2].name;
        gpcov_layer_set_str(ctx, l, j, (size_t)f(l, "item"), item);
        if (j < 2) {
            cuts_text(C, (int)j, buf, sizeof buf);
            gpcov_layer_set_str(ctx, l, j, (size_t)f(l, "rule"), buf);
            row_conf(ctx, l, j, j ? &C->after : &C->before, excluded(C));
            search_text(C, buf, sizeof buf);
            if (j)
                gpcov_layer_set_str(ctx, l, j, (size_t)f(l, "search"), buf);
        } else {
            row_param(ctx, l, j, &C->p[j - 2]);
        }
    }
    if (!l)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    struct gpcov_write_opts wo = {.overwrite = R->o->overwrite};
    return gpcov_outset_layer(ctx, R->set, l, R->o->calibration, &wo);
}

gpcov_status gpcov_threat_calib_report(struct calib *C)
{
    summary(C);
    return C->R->o->calibration ? table(C) : GPCOV_OK;
}
