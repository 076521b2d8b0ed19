/*
** expr_eval.c: the evaluation of a parsed expression (expr.c) for one row:
** the caller's lookup function gives the value of each name.  Null
** propagates through arithmetic and comparisons, division by zero gives
** null, and a text that is not a number where a number is needed is an
** error that names the column.
*/
#include "expr_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* -------------------------------------------------------------- evaluate */

/* During evaluation a value's str is borrowed (a literal or a lookup's). */
struct ev {
    gpcov_ctx *ctx;
    gpcov_lookup_fn lookup;
    void *user;
    const gpcov_expr *e;
    gpcov_status st;
};

static struct gpcov_value vnull(void)
{
    struct gpcov_value v = {1, 0, NULL};
    return v;
}

static struct gpcov_value vnum(double d)
{
    struct gpcov_value v = {0, d, NULL};
    if (!isfinite(d))
        v.null = 1;
    return v;
}

static struct gpcov_value eval(struct ev *ev, const struct node *n);

/* The number in v; strings are parsed (table cells are text). */
static int num_of(struct ev *ev, const struct node *n, struct gpcov_value v,
                  double *d)
{
    if (!v.str) {
        *d = v.num;
        return 0;
    }
    if (gpcov_parse_number(v.str, d) == 0)
        return 0;
    if (!ev->st) {
        if (n->kind == N_VAR)
            ev->st = gpcov_err(ev->ctx, GPCOV_EINPUT,
                               "column '%s': '%s' is not a number", n->str, v.str);
        else
            ev->st = gpcov_err(ev->ctx, GPCOV_EINPUT,
                               "'%s' is not a number (in \"%s\")", v.str, ev->e->text);
    }
    return -1;
}

static int truth(struct gpcov_value v)
{
    if (v.null)
        return -1;
    if (v.str)
        return v.str[0] != 0;
    return v.num != 0;
}

/* -1, 0, 1, or 2 when either side is null; strings compare as numbers when
** both look like numbers ("80" = 80), else as text. */
static int compare(struct ev *ev, const struct node *na, struct gpcov_value a,
                   const struct node *nb, struct gpcov_value b)
{
    if (a.null || b.null)
        return 2;
    if (a.str && b.str) {
        double x, y;
        if (gpcov_parse_number(a.str, &x) == 0 && gpcov_parse_number(b.str, &y) == 0)
            return (x > y) - (x < y);
        int c = strcmp(a.str, b.str);
        return (c > 0) - (c < 0);
    }
    double x, y;
    if (num_of(ev, na, a, &x) || num_of(ev, nb, b, &y))
        return 2;
    return (x > y) - (x < y);
}

static struct gpcov_value eval_bin(struct ev *ev, const struct node *n)
{
    if (n->op == B_AND || n->op == B_OR) {
        int a = truth(eval(ev, n->kid[0]));
        if (n->op == B_AND && a == 0)
            return vnum(0);
        if (n->op == B_OR && a == 1)
            return vnum(1);
        int b = truth(eval(ev, n->kid[1]));
        if (n->op == B_AND)
            return b == 0 ? vnum(0) : (a == 1 && b == 1) ? vnum(1) : vnull();
        return b == 1 ? vnum(1) : (a == 0 && b == 0) ? vnum(0) : vnull();
    }
    struct gpcov_value a = eval(ev, n->kid[0]);
    struct gpcov_value b = eval(ev, n->kid[1]);
    if (ev->st)
        return vnull();
    if (n->op >= B_EQ) {
        int c = compare(ev, n->kid[0], a, n->kid[1], b);
        if (c == 2)
            return vnull();
        switch (n->op) {
        case B_EQ: return vnum(c == 0);
        case B_NE: return vnum(c != 0);
        case B_LT: return vnum(c < 0);
        case B_LE: return vnum(c <= 0);
        case B_GT: return vnum(c > 0);
        default: return vnum(c >= 0);
        }
    }
    if (a.null || b.null)
        return vnull();
    double x, y;
    if (num_of(ev, n->kid[0], a, &x) || num_of(ev, n->kid[1], b, &y))
        return vnull();
    switch (n->op) {
    case B_ADD: return vnum(x + y);
    case B_SUB: return vnum(x - y);
    case B_MUL: return vnum(x * y);
    default: return y == 0 ? vnull() : vnum(x / y);
    }
}

static struct gpcov_value eval_call(struct ev *ev, const struct node *n)
{
    struct gpcov_value v[64];
    double d[64] = {0};
    size_t k = n->nkid;
    if (n->op == F_IF) {
        int t = truth(eval(ev, n->kid[0]));
        return eval(ev, n->kid[t == 1 ? 1 : 2]);
    }
    if (n->op == F_COALESCE) {
        for (size_t i = 0; i < k; i++) {
            struct gpcov_value x = eval(ev, n->kid[i]);
            if (!x.null || ev->st)
                return x;
        }
        return vnull();
    }
    for (size_t i = 0; i < k; i++) {
        v[i] = eval(ev, n->kid[i]);
        if (ev->st)
            return vnull();
        if (v[i].null)
            return vnull();
        if (num_of(ev, n->kid[i], v[i], &d[i]))
            return vnull();
    }
    switch ((enum fn)n->op) {
    case F_PCT: return d[1] == 0 ? vnull() : vnum(100 * d[0] / d[1]);
    case F_GROWTH: return d[0] == 0 ? vnull() : vnum(100 * (d[1] - d[0]) / d[0]);
    case F_ABS: return vnum(fabs(d[0]));
    case F_ROUND: {
        double s = pow(10, k > 1 ? d[1] : 0);
        return vnum(round(d[0] * s) / s);
    }
    case F_MIN:
    case F_MAX: {
        double m = d[0];
        for (size_t i = 1; i < k; i++)
            m = n->op == F_MIN ? fmin(m, d[i]) : fmax(m, d[i]);
        return vnum(m);
    }
    default: return vnull();
    }
}

static struct gpcov_value eval(struct ev *ev, const struct node *n)
{
    if (ev->st)
        return vnull();
    switch (n->kind) {
    case N_NUM: return vnum(n->num);
    case N_STR: {
        struct gpcov_value v = {0, 0, n->str};
        return v;
    }
    case N_NULL: return vnull();
    case N_VAR: {
        struct gpcov_value v = vnull();
        if (ev->lookup(ev->user, n->str, &v) != 0) {
            ev->st = gpcov_err(ev->ctx, GPCOV_EUSAGE, "unknown name '%s' in \"%s\"",
                               n->str, ev->e->text);
            return vnull();
        }
        if (v.str && !v.str[0]) /* an empty cell is missing, not "" */
            return vnull();
        return v;
    }
    case N_NEG: {
        struct gpcov_value a = eval(ev, n->kid[0]);
        double x;
        if (a.null || num_of(ev, n->kid[0], a, &x))
            return vnull();
        return vnum(-x);
    }
    case N_NOT: {
        int t = truth(eval(ev, n->kid[0]));
        return t < 0 ? vnull() : vnum(!t);
    }
    case N_BIN: return eval_bin(ev, n);
    case N_ISNULL: {
        struct gpcov_value a = eval(ev, n->kid[0]);
        return vnum(a.null != n->op);
    }
    case N_IN: {
        struct gpcov_value a = eval(ev, n->kid[0]);
        if (a.null)
            return vnull();
        for (size_t i = 1; i < n->nkid; i++) {
            int c = compare(ev, n->kid[0], a, n->kid[i], eval(ev, n->kid[i]));
            if (c == 0)
                return vnum(!n->op);
        }
        return ev->st ? vnull() : vnum(n->op);
    }
    case N_BETWEEN: {
        struct gpcov_value a = eval(ev, n->kid[0]);
        int lo = compare(ev, n->kid[0], a, n->kid[1], eval(ev, n->kid[1]));
        int hi = compare(ev, n->kid[0], a, n->kid[2], eval(ev, n->kid[2]));
        if (lo == 2 || hi == 2)
            return vnull();
        int in = lo >= 0 && hi <= 0;
        return vnum(n->op ? !in : in);
    }
    case N_CALL: return eval_call(ev, n);
    }
    return vnull();
}

gpcov_status gpcov_expr_eval(gpcov_ctx *ctx, const gpcov_expr *e,
                             gpcov_lookup_fn lookup, void *user,
                             struct gpcov_value *out)
{
    struct ev ev = {ctx, lookup, user, e, GPCOV_OK};
    struct gpcov_value v = eval(&ev, e->root);
    *out = vnull();
    if (ev.st)
        return ev.st;
    out->null = v.null;
    out->num = v.num;
    if (!v.null && v.str && !(out->str = gpcov_strdup(v.str)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}
