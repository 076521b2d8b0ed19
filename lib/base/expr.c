/*
** expr.c: the small SQL-like expression language in which analysts declare
** row filters ("age >= 80", "level = 'kommune'"), derived fields
** ("pct(pop80_2035, pop_2035)") and threat rules.  A recursive-descent
** parser builds a tree (expr_internal.h); evaluation (expr_eval.c) asks a
** caller's lookup function for the value of each name, so the same
** expression runs over table rows, joined layers or raster cells.  Null
** propagates through arithmetic and comparisons, division by zero gives
** null, and a text that is not a number where a number is needed is an
** error that names the column.
*/
#include "expr_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ lexer */

enum tok { T_END, T_NUM, T_STR, T_NAME, T_QNAME, T_OP, T_LP, T_RP, T_COMMA, T_ERR };

struct parser {
    gpcov_ctx *ctx;
    const char *text, *p;
    enum tok tok;
    const char *tstart;
    char *tval;     /* NAME, QNAME, STR text; OP spelling */
    double tnum;
    gpcov_expr *e;
    gpcov_status st;
    int depth;      /* nesting of p_unary/p_not calls now */
};

/* Parsing, evaluating and freeing recurse once per level of the tree: a
** bound on nesting and on the tree's height keeps a pathological input
** ("((((...", "- - - ...", "1+1+...+1") from overflowing the stack. */
#define EXPR_MAX_DEPTH 256

static void perr(struct parser *ps, const char *what)
{
    if (ps->st)
        return;
    /* a long expression is shortened, so the reason still fits the message */
    size_t len = strlen(ps->text);
    ps->st = gpcov_err(ps->ctx, GPCOV_EUSAGE,
                       "expression \"%.*s%s\": %s at character %ld", len > 200 ? 160 : (int)len,
                       ps->text, len > 200 ? "..." : "", what, (long)(ps->tstart - ps->text) + 1);
}

static int name_char(unsigned char c, int first)
{
    return isalpha(c) || c == '_' || c >= 0x80 || (!first && isdigit(c));
}

/* A number; one that runs into a name ("12abc") is an error. */
static void lex_number(struct parser *ps)
{
    char *end;
    ps->tnum = strtod(ps->p, &end);
    ps->p = end;
    ps->tok = T_NUM;
    if (name_char((unsigned char)*ps->p, 1)) {
        ps->tok = T_ERR;
        perr(ps, "a number runs into a name");
    }
}

/* 'string' or "quoted name"; a doubled quote stands for itself. */
static void lex_quoted(struct parser *ps, char q)
{
    size_t cap = strlen(ps->p) + 1, n = 0;
    char *s = malloc(cap);
    if (!s) {
        ps->tok = T_ERR;
        perr(ps, "out of memory");
        return;
    }
    const char *p = ps->p + 1;
    for (;;) {
        if (!*p) {
            free(s);
            ps->tok = T_ERR;
            perr(ps, q == '\'' ? "unterminated string" : "unterminated quoted name");
            return;
        }
        if (*p == q) {
            if (p[1] == q) {
                s[n++] = q;
                p += 2;
                continue;
            }
            p++;
            break;
        }
        s[n++] = *p++;
    }
    s[n] = 0;
    ps->p = p;
    ps->tval = s;
    ps->tok = q == '\'' ? T_STR : T_QNAME;
}

/* Punctuation and operators, c consumed already. */
static void lex_op(struct parser *ps, unsigned char c)
{
    switch (c) {
    case '(': ps->tok = T_LP; return;
    case ')': ps->tok = T_RP; return;
    case ',': ps->tok = T_COMMA; return;
    case '+': case '-': case '*': case '/': case '=':
        ps->tval = gpcov_strndup((const char *)&c, 1);
        ps->tok = T_OP;
        return;
    case '<': case '>': case '!': {
        char buf[3] = {(char)c, 0, 0};
        if (*ps->p == '=' || (c == '<' && *ps->p == '>'))
            buf[1] = *ps->p++;
        if (c == '!' && !buf[1]) {
            ps->tok = T_ERR;
            perr(ps, "'!' must be followed by '='");
            return;
        }
        ps->tval = gpcov_strdup(buf);
        ps->tok = T_OP;
        return;
    }
    }
    ps->tok = T_ERR;
    perr(ps, "unexpected character");
}

static void next(struct parser *ps)
{
    free(ps->tval);
    ps->tval = NULL;
    while (isspace((unsigned char)*ps->p))
        ps->p++;
    ps->tstart = ps->p;
    unsigned char c = (unsigned char)*ps->p;
    if (!c) {
        ps->tok = T_END;
        return;
    }
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)ps->p[1]))) {
        lex_number(ps);
        return;
    }
    if (c == '\'' || c == '"') {
        lex_quoted(ps, (char)c);
        return;
    }
    if (name_char(c, 1)) {
        const char *b = ps->p;
        while (name_char((unsigned char)*ps->p, 0))
            ps->p++;
        ps->tval = gpcov_strndup(b, (size_t)(ps->p - b));
        ps->tok = T_NAME;
        return;
    }
    ps->p++;
    lex_op(ps, c);
}

static int is_kw(struct parser *ps, const char *kw)
{
    return ps->tok == T_NAME && !strcasecmp(ps->tval, kw);
}

static int is_op(struct parser *ps, const char *op)
{
    return ps->tok == T_OP && !strcmp(ps->tval, op);
}

/* ------------------------------------------------------------------ nodes */

static void node_free(struct node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkid; i++)
        node_free(n->kid[i]);
    free(n->kid);
    free(n->str);
    free(n);
}

static struct node *mk(struct parser *ps, enum node_kind k, int op)
{
    struct node *n = calloc(1, sizeof *n);
    if (!n)
        perr(ps, "out of memory");
    else {
        n->kind = k;
        n->op = op;
    }
    return n;
}

static int add_kid(struct parser *ps, struct node *n, struct node *kid)
{
    if (kid && kid->height + 1 > EXPR_MAX_DEPTH) {
        perr(ps, "expression nested too deeply");
        node_free(kid);
        return -1;
    }
    struct node **k = kid ? realloc(n->kid, (n->nkid + 1) * sizeof *k) : NULL;
    if (!k) {
        node_free(kid);
        if (kid)
            perr(ps, "out of memory");
        return -1;
    }
    n->kid = k;
    n->kid[n->nkid++] = kid;
    if (kid->height + 1 > n->height)
        n->height = kid->height + 1;
    return 0;
}

static struct node *bin(struct parser *ps, int op, struct node *a, struct node *b)
{
    struct node *n = (a && b) ? mk(ps, N_BIN, op) : NULL;
    if (!n) {
        node_free(a);
        node_free(b);
        return NULL;
    }
    if (add_kid(ps, n, a)) {
        node_free(b); /* not n's yet */
        node_free(n);
        return NULL;
    }
    if (add_kid(ps, n, b)) {
        node_free(n);
        return NULL;
    }
    return n;
}

static int remember_name(struct parser *ps, const char *name)
{
    gpcov_expr *e = ps->e;
    for (size_t i = 0; i < e->nnames; i++)
        if (!strcmp(e->names[i], name))
            return 0;
    char **nn = realloc(e->names, (e->nnames + 1) * sizeof *nn);
    if (!nn || !(nn[e->nnames] = gpcov_strdup(name))) {
        if (nn)
            e->names = nn;
        perr(ps, "out of memory");
        return -1;
    }
    e->names = nn;
    e->nnames++;
    return 0;
}

/* ----------------------------------------------------------------- parser */

static struct node *p_or(struct parser *ps);
static struct node *p_add(struct parser *ps);

/* Items parsed by `item`, separated by commas, up to and including ')'
** (the '(' is consumed already): function arguments (may be none) and IN
** lists.  Returns 0, or -1 with the error set (the caller frees n). */
static int p_list(struct parser *ps, struct node *n, struct node *(*item)(struct parser *),
                  int may_be_empty, const char *missing)
{
    if (!(may_be_empty && ps->tok == T_RP)) {
        for (;;) {
            if (add_kid(ps, n, item(ps)))
                return -1;
            if (ps->tok != T_COMMA)
                break;
            next(ps);
        }
    }
    if (ps->tok != T_RP) {
        perr(ps, missing);
        return -1;
    }
    next(ps);
    return 0;
}

static const struct { const char *name; enum fn fn; int min, max; } fns[] = {
    {"pct", F_PCT, 2, 2},       {"growth", F_GROWTH, 2, 2},
    {"min", F_MIN, 1, 64},      {"max", F_MAX, 1, 64},
    {"abs", F_ABS, 1, 1},       {"round", F_ROUND, 1, 2},
    {"coalesce", F_COALESCE, 1, 64}, {"if", F_IF, 3, 3},
};

/* A call of the function `name` (freed here), at its '('. */
static struct node *p_call(struct parser *ps, char *name)
{
    size_t f = 0;
    while (f < sizeof fns / sizeof *fns && strcasecmp(fns[f].name, name))
        f++;
    if (f == sizeof fns / sizeof *fns) {
        char m[200];
        snprintf(m, sizeof m, "unknown function '%.60s' (known: pct, growth, "
                 "min, max, abs, round, coalesce, if)", name);
        perr(ps, m);
        free(name);
        return NULL;
    }
    free(name);
    struct node *n = mk(ps, N_CALL, (int)fns[f].fn);
    if (!n)
        return NULL;
    next(ps);
    if (p_list(ps, n, p_or, 1, "missing ')' after function arguments")) {
        node_free(n);
        return NULL;
    }
    if ((int)n->nkid < fns[f].min || (int)n->nkid > fns[f].max) {
        char m[120];
        snprintf(m, sizeof m, "%s() takes %d%s%d argument%s, not %zu",
                 fns[f].name, fns[f].min, fns[f].max > fns[f].min ? " to " : "",
                 fns[f].max > fns[f].min ? fns[f].max : 0, "s", n->nkid);
        if (fns[f].max == fns[f].min)
            snprintf(m, sizeof m, "%s() takes %d argument%s, not %zu",
                     fns[f].name, fns[f].min, fns[f].min == 1 ? "" : "s", n->nkid);
        perr(ps, m);
        node_free(n);
        return NULL;
    }
    return n;
}

/* A name: NULL, TRUE or FALSE, a function call, or a variable. */
static struct node *p_name(struct parser *ps)
{
    struct node *n = NULL;
    if (ps->tok == T_NAME && (is_kw(ps, "null") || is_kw(ps, "true") || is_kw(ps, "false"))) {
        if (is_kw(ps, "null"))
            n = mk(ps, N_NULL, 0);
        else if ((n = mk(ps, N_NUM, 0)))
            n->num = is_kw(ps, "true");
        next(ps);
        return n;
    }
    int quoted = ps->tok == T_QNAME;
    char *name = ps->tval;
    ps->tval = NULL;
    next(ps);
    if (!quoted && ps->tok == T_LP)
        return p_call(ps, name);
    if (!(n = mk(ps, N_VAR, 0)) || remember_name(ps, name)) {
        free(name);
        node_free(n);
        return NULL;
    }
    n->str = name;
    return n;
}

static struct node *p_primary(struct parser *ps)
{
    struct node *n = NULL;
    switch (ps->tok) {
    case T_NUM:
        if ((n = mk(ps, N_NUM, 0)))
            n->num = ps->tnum;
        next(ps);
        return n;
    case T_STR:
        if ((n = mk(ps, N_STR, 0))) {
            n->str = ps->tval;
            ps->tval = NULL;
        }
        next(ps);
        return n;
    case T_LP:
        next(ps);
        n = p_or(ps);
        if (ps->tok != T_RP) {
            perr(ps, "missing ')'");
            node_free(n);
            return NULL;
        }
        next(ps);
        return n;
    case T_QNAME:
    case T_NAME: return p_name(ps);
    case T_END:
        perr(ps, "unexpected end of expression");
        return NULL;
    default:
        perr(ps, "expected a value, a name or '('");
        return NULL;
    }
}

static struct node *p_unary_in(struct parser *ps);

/* Every level of parentheses, calls and signs passes here. */
static struct node *p_unary(struct parser *ps)
{
    if (ps->depth >= EXPR_MAX_DEPTH) {
        perr(ps, "expression nested too deeply");
        return NULL;
    }
    ps->depth++;
    struct node *n = p_unary_in(ps);
    ps->depth--;
    return n;
}

static struct node *p_unary_in(struct parser *ps)
{
    if (is_op(ps, "-")) {
        next(ps);
        struct node *n = mk(ps, N_NEG, 0);
        if (n && add_kid(ps, n, p_unary(ps))) {
            node_free(n);
            return NULL;
        }
        return n;
    }
    if (is_op(ps, "+")) {
        next(ps);
        return p_unary(ps);
    }
    return p_primary(ps);
}

static struct node *p_mul(struct parser *ps)
{
    struct node *a = p_unary(ps);
    while (a && (is_op(ps, "*") || is_op(ps, "/"))) {
        int op = is_op(ps, "*") ? B_MUL : B_DIV;
        next(ps);
        a = bin(ps, op, a, p_unary(ps));
    }
    return a;
}

static struct node *p_add(struct parser *ps)
{
    struct node *a = p_mul(ps);
    while (a && (is_op(ps, "+") || is_op(ps, "-"))) {
        int op = is_op(ps, "+") ? B_ADD : B_SUB;
        next(ps);
        a = bin(ps, op, a, p_mul(ps));
    }
    return a;
}

/* a IS [NOT] NULL, at IS. */
static struct node *p_isnull(struct parser *ps, struct node *a)
{
    int neg = 0;
    next(ps);
    if (is_kw(ps, "not")) {
        neg = 1;
        next(ps);
    }
    if (!is_kw(ps, "null")) {
        perr(ps, "expected NULL after IS");
        node_free(a);
        return NULL;
    }
    next(ps);
    struct node *n = mk(ps, N_ISNULL, neg);
    if (!n || add_kid(ps, n, a)) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* a [NOT] IN (list), at IN. */
static struct node *p_in(struct parser *ps, struct node *a, int neg)
{
    next(ps);
    struct node *n = mk(ps, N_IN, neg);
    if (!n || add_kid(ps, n, a)) {
        node_free(n);
        return NULL;
    }
    if (ps->tok != T_LP) {
        perr(ps, "expected '(' after IN");
        node_free(n);
        return NULL;
    }
    next(ps);
    if (p_list(ps, n, p_add, 0, "missing ')' after IN list")) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* a [NOT] BETWEEN lo AND hi, at BETWEEN. */
static struct node *p_between(struct parser *ps, struct node *a, int neg)
{
    next(ps);
    struct node *n = mk(ps, N_BETWEEN, neg);
    if (!n || add_kid(ps, n, a) || add_kid(ps, n, p_add(ps))) {
        node_free(n);
        return NULL;
    }
    if (!is_kw(ps, "and")) {
        perr(ps, "expected AND in BETWEEN");
        node_free(n);
        return NULL;
    }
    next(ps);
    if (add_kid(ps, n, p_add(ps))) {
        node_free(n);
        return NULL;
    }
    return n;
}

static struct node *p_cmp(struct parser *ps)
{
    struct node *a = p_add(ps);
    if (!a)
        return NULL;
    static const struct { const char *s; int op; } cmps[] = {
        {"=", B_EQ}, {"!=", B_NE}, {"<>", B_NE}, {"<", B_LT},
        {"<=", B_LE}, {">", B_GT}, {">=", B_GE}};
    for (size_t i = 0; i < sizeof cmps / sizeof *cmps; i++)
        if (is_op(ps, cmps[i].s)) {
            next(ps);
            return bin(ps, cmps[i].op, a, p_add(ps));
        }
    if (is_kw(ps, "is"))
        return p_isnull(ps, a);
    int neg = 0;
    if (is_kw(ps, "not")) {
        /* a NOT IN / NOT BETWEEN; a bare NOT here is a syntax error */
        neg = 1;
        next(ps);
        if (!is_kw(ps, "in") && !is_kw(ps, "between")) {
            perr(ps, "expected IN or BETWEEN after NOT");
            node_free(a);
            return NULL;
        }
    }
    if (is_kw(ps, "in"))
        return p_in(ps, a, neg);
    if (is_kw(ps, "between"))
        return p_between(ps, a, neg);
    return a;
}

static struct node *p_not(struct parser *ps)
{
    if (is_kw(ps, "not")) {
        if (ps->depth >= EXPR_MAX_DEPTH) {
            perr(ps, "expression nested too deeply");
            return NULL;
        }
        next(ps);
        struct node *n = mk(ps, N_NOT, 0);
        ps->depth++;
        struct node *kid = p_not(ps);
        ps->depth--;
        if (!n) {
            node_free(kid);
            return NULL;
        }
        if (add_kid(ps, n, kid)) {
            node_free(n);
            return NULL;
        }
        return n;
    }
    return p_cmp(ps);
}

static struct node *p_and(struct parser *ps)
{
    struct node *a = p_not(ps);
    while (a && is_kw(ps, "and")) {
        next(ps);
        a = bin(ps, B_AND, a, p_not(ps));
    }
    return a;
}

static struct node *p_or(struct parser *ps)
{
    struct node *a = p_and(ps);
    while (a && is_kw(ps, "or")) {
        next(ps);
        a = bin(ps, B_OR, a, p_and(ps));
    }
    return a;
}

void gpcov_expr_free(gpcov_expr *e)
{
    if (!e)
        return;
    node_free(e->root);
    for (size_t i = 0; i < e->nnames; i++)
        free(e->names[i]);
    free(e->names);
    free(e->text);
    free(e);
}

gpcov_status gpcov_expr_parse(gpcov_ctx *ctx, const char *text, gpcov_expr **out)
{
    *out = NULL;
    gpcov_expr *e = calloc(1, sizeof *e);
    if (!e || !(e->text = gpcov_strdup(text ? text : ""))) {
        free(e);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    struct parser ps = {.ctx = ctx, .text = e->text, .p = e->text, .e = e};
    next(&ps);
    if (ps.tok == T_END && !ps.st)
        perr(&ps, "empty expression");
    struct node *root = ps.st ? NULL : p_or(&ps);
    if (root && ps.tok != T_END)
        perr(&ps, "unexpected text after the expression");
    free(ps.tval);
    if (ps.st) {
        node_free(root);
        gpcov_expr_free(e);
        return ps.st;
    }
    e->root = root;
    *out = e;
    return GPCOV_OK;
}

size_t gpcov_expr_nnames(const gpcov_expr *e) { return e->nnames; }
const char *gpcov_expr_name(const gpcov_expr *e, size_t i) { return e->names[i]; }
const char *gpcov_expr_text(const gpcov_expr *e) { return e->text; }
