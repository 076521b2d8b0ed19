/*
** threat_cut.c: a threat rule read as a cut, for the calibration: a rule
** "INDICATOR op NUMBER" (op < <= > >=, the number on either side, after
** its statistics were resolved) is split at its one comparison; the number
** is evaluated once and the indicator side for every unit.  A rule of any
** other form (AND, OR, NOT, BETWEEN, IN, IS, two comparisons, = or !=,
** indicators on both sides or on none) cannot be calibrated and says so.
*/
#include "threat_calib.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

signed char gpcov_threat_cut_fires(enum cut_op op, double x, double c)
{
    if (isnan(x))
        return -1;
    switch (op) {
    case CUT_GT: return x > c;
    case CUT_GE: return x >= c;
    case CUT_LT: return x < c;
    default: return x <= c;
    }
}

const char *gpcov_threat_cut_opname(enum cut_op op)
{
    static const char *const nm[] = {">", ">=", "<", "<="};
    return nm[op];
}

/* A keyword of the expressions that makes a rule more than one cut. */
static int keyword_at(const char *t, const char *p)
{
    static const char *const kw[] = {"and", "or", "not", "between", "in", "is"};
    if (p > t && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.'))
        return 0;
    for (size_t k = 0; k < sizeof kw / sizeof *kw; k++) {
        size_t l = strlen(kw[k]);
        if (!strncasecmp(p, kw[k], l) && !isalnum((unsigned char)p[l]) && p[l] != '_')
            return 1;
    }
    return 0;
}

/* The one comparison of t: its offset *at, length *len and operator; 0,
** or -1 when t has none, several, a keyword, or = != <>. */
static int split(const char *t, size_t *at, size_t *len, enum cut_op *op)
{
    int n = 0, bad = 0;
    char q = 0;
    for (const char *p = t; *p; p++) {
        if (q) {
            q = *p == q ? 0 : q;
            continue;
        }
        if (*p == '\'' || *p == '"') {
            q = *p;
        } else if (isalpha((unsigned char)*p)) {
            bad |= keyword_at(t, p);
        } else if (strchr("<>=!", *p)) {
            size_t l = p[1] == '=' || (p[0] == '<' && p[1] == '>') ? 2 : 1;
            n++;
            bad |= *p == '=' || *p == '!' || (l == 2 && p[1] == '>');
            *at = (size_t)(p - t);
            *len = l;
            *op = *p == '>' ? (l == 2 ? CUT_GE : CUT_GT) : (l == 2 ? CUT_LE : CUT_LT);
            p += l - 1;
        }
    }
    return n == 1 && !bad ? 0 : -1;
}

static int no_names(void *user, const char *name, struct gpcov_value *v)
{
    (void)user, (void)name, (void)v;
    return -1;
}

/* The number side: a constant expression's value. */
static gpcov_status constant(gpcov_ctx *ctx, const char *rule, const gpcov_expr *e, double *c)
{
    struct gpcov_value v = {0};
    gpcov_status st = gpcov_expr_eval(ctx, e, no_names, NULL, &v);
    int ok = !st && !v.null && !v.str && isfinite(v.num);
    free(v.str);
    if (!ok)
        return gpcov_err(ctx, GPCOV_EUSAGE, "rule %s: its number side '%s' is not a finite "
                         "number", rule, gpcov_expr_text(e));
    *c = v.num;
    return GPCOV_OK;
}

/* The indicator side of every unit (NaN: unknown). */
static gpcov_status unit_values(struct run *R, const char *rule, const gpcov_expr *e, double *x)
{
    for (size_t i = 0; i < R->L->n; i++) {
        struct gpcov_feature f = {R->L, i};
        struct gpcov_value v = {0};
        gpcov_status st = gpcov_expr_eval(R->ctx, e, gpcov_layer_lookup, &f, &v);
        if (st)
            return gpcov_err(R->ctx, st, "rule %s, unit %s: %s", rule, R->L->keys[i],
                             gpcov_ctx_message(R->ctx));
        double d = v.num;
        if (v.str && gpcov_parse_number(v.str, &d) != 0)
            d = NAN;
        x[i] = v.null ? NAN : d;
        free(v.str);
    }
    return GPCOV_OK;
}

/* The other side of a comparison read from right to left. */
static enum cut_op flip(enum cut_op op)
{
    return op == CUT_GT ? CUT_LT : op == CUT_GE ? CUT_LE : op == CUT_LT ? CUT_GT : CUT_GE;
}

gpcov_status gpcov_threat_cut_read(struct run *R, size_t k, struct param *P)
{
    gpcov_ctx *ctx = R->ctx;
    const char *name = R->o->rules[k].name, *t = R->resolved[k];
    size_t at = 0, len = 0;
    gpcov_expr *a = NULL, *b = NULL;
    if (split(t, &at, &len, &P->op) != 0)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--calibrate %s: the rule '%s' is not of the form "
                         "INDICATOR > NUMBER (or <, <=, >=), so it has no one cut", name, t);
    char *left = gpcov_strndup(t, at);
    gpcov_status st = left ? gpcov_expr_parse(ctx, left, &a) : GPCOV_ENOMEM;
    if (!st)
        st = gpcov_expr_parse(ctx, t + at + len, &b);
    int la = !st && gpcov_expr_nnames(a) > 0, lb = !st && gpcov_expr_nnames(b) > 0;
    if (!st && la == lb)
        st = gpcov_err(ctx, GPCOV_EUSAGE, "--calibrate %s: the rule '%s' compares %s; a cut "
                       "compares indicators with a number", name, t,
                       la ? "indicators with indicators" : "numbers only");
    if (!st && !la) {
        gpcov_expr *s = a;
        a = b, b = s;
        P->op = flip(P->op);
    }
    if (!st)
        st = constant(ctx, name, b, &P->c0);
    if (!st && !(P->x = malloc((R->L->n ? R->L->n : 1) * sizeof *P->x)))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (!st)
        st = unit_values(R, name, a, P->x);
    char *cp = st ? NULL : gpcov_strdup(gpcov_expr_text(a));
    if (!st && !(P->lhs = cp ? gpcov_strdup(gpcov_trim(cp)) : NULL))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    free(cp);
    free(left);
    gpcov_expr_free(a);
    gpcov_expr_free(b);
    return st;
}
