/*
** rulesnote.c: the rules of a threat layer as one readable paragraph for
** under a map.  `gpcov threat` writes its rules, with every statistic
** resolved to the number it took on these data, into the GPCOV_RULES
** metadata item of its output ("  ageing: share80_2035 > 7.568 + 1   (written
** as: share80_2035 > wmean(share80_2035, pop_2035) + 1)   weight 1"); this
** turns that into "aldring: andel 80+ i 2035 > 8,57 % (vægtet gennemsnit +
** 1)", in Danish (number format included) or English, with the words for
** rule and field names the caller gives, and ends with when a unit is
** threatened.  A rule the run skipped is said to be left out, and why.
*/
#include "render_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A growing string; on ENOMEM s is freed and stays NULL. */
struct sb {
    char *s;
    size_t n, cap;
    int failed;
};

static void add(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->failed || len < 0)
        return;
    if (b->n + (size_t)len + 1 > b->cap) {
        size_t cap = (b->n + (size_t)len + 1) * 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->failed = 1;
            return;
        }
        b->s = s, b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)len + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}

/* The words for name (a rule or a field) from labels "NAME=TEXT[|UNIT]":
** the text (len *tl) and the unit (NULL when none); name itself without. */
static const char *label(const char *const *labels, const char *name, size_t nl, int *tl,
                         const char **unit)
{
    *unit = NULL;
    for (size_t i = 0; labels && labels[i]; i++)
        if (!strncmp(labels[i], name, nl) && labels[i][nl] == '=') {
            const char *t = labels[i] + nl + 1, *bar = strchr(t, '|');
            *tl = bar ? (int)(bar - t) : (int)strlen(t);
            *unit = bar && bar[1] ? bar + 1 : NULL;
            return t;
        }
    *tl = (int)nl;
    return name;
}

/* A threshold as a reader takes it: two decimals below 100, one below
** 1000, none above, thousands grouped, no trailing zeros (8,57; 12,75;
** 4.013; 25), so that a value the rule tells apart from it is seldom
** printed the same. */
static void threshold(char *out, size_t sz, double v, int danish)
{
    double a = fabs(v);
    int dec = a >= 1000 ? 0 : a >= 100 ? 1 : 2;
    gpcov_sym_fmt_num(out, sz, v, dec, danish);
    char *sep = strchr(out, danish ? ',' : '.');
    if (dec && sep) {
        char *e = out + strlen(out);
        while (e > sep + 1 && e[-1] == '0')
            *--e = 0;
        if (e == sep + 1)
            *sep = 0;
    }
}

/* The first comparison operator of text outside quotes: its offset and
** length, or -1. */
static long find_op(const char *t, size_t *len)
{
    char q = 0;
    for (const char *p = t; *p; p++) {
        if (q) {
            q = *p == q ? 0 : q;
        } else if (*p == '\'' || *p == '"') {
            q = *p;
        } else if (strchr("<>=!", *p)) {
            *len = (p[1] == '=' || (p[0] == '<' && p[1] == '>')) ? 2 : 1;
            return p - t;
        }
    }
    return -1;
}

static int no_names(void *user, const char *name, struct gpcov_value *out)
{
    (void)user, (void)name, (void)out;
    return -1;
}

/* The value of text when it is a constant expression (7.568 + 1). */
static int constant(gpcov_ctx *ctx, const char *text, double *v)
{
    gpcov_expr *e = NULL;
    struct gpcov_value val = {0};
    int ok = gpcov_expr_parse(ctx, text, &e) == GPCOV_OK && gpcov_expr_nnames(e) == 0 &&
             gpcov_expr_eval(ctx, e, no_names, NULL, &val) == GPCOV_OK && !val.null &&
             !val.str && isfinite(val.num);
    *v = val.num;
    free(val.str);
    gpcov_expr_free(e);
    return ok;
}

static const char *op_words(const char *op, size_t n)
{
    if (n == 2 && !strncmp(op, ">=", 2))
        return "\xe2\x89\xa5"; /* ≥ */
    if (n == 2 && !strncmp(op, "<=", 2))
        return "\xe2\x89\xa4"; /* ≤ */
    if (n == 2)
        return "\xe2\x89\xa0"; /* ≠ */
    return *op == '>' ? ">" : *op == '<' ? "<" : "=";
}

/* The resolved condition: "LABEL > 8,57 %" when it compares a field with a
** constant, else as it is. */
static void condition(gpcov_ctx *ctx, struct sb *b, const char *res, size_t rlen,
                      const char *const *labels, int danish)
{
    char *t = gpcov_strndup(res, rlen);
    size_t ol = 0;
    long at = t ? find_op(t, &ol) : -1;
    double v;
    if (at > 0) {
        const char *l = t, *r = t + at + ol;
        size_t ll = (size_t)at;
        while (ll && isspace((unsigned char)l[ll - 1]))
            ll--;
        int ident = ll > 0 && (isalpha((unsigned char)*l) || *l == '_');
        for (size_t k = 0; ident && k < ll; k++)
            ident = isalnum((unsigned char)l[k]) || l[k] == '_';
        if (ident && constant(ctx, r, &v)) {
            int tl;
            const char *unit, *w = label(labels, l, ll, &tl, &unit);
            char num[64];
            threshold(num, sizeof num, v, danish);
            /* a no-break space keeps the unit on the number's line */
            add(b, "%.*s %s %s%s%s", tl, w, op_words(t + at, ol), num, unit ? "\xc2\xa0" : "",
                unit ? unit : "");
            free(t);
            return;
        }
    }
    add(b, "%.*s", (int)rlen, res);
    free(t);
}

/* The words for statistic fn of args ("75" for a percentile). */
static void stat_words(struct sb *b, const char *fn, size_t fl, const char *args, size_t al,
                       int danish)
{
    const char *comma = memchr(args, ',', al);
    int pl = comma ? (int)(al - (size_t)(comma + 1 - args)) : 0;
    const char *pa = comma ? comma + 1 : "";
    while (pl && isspace((unsigned char)*pa))
        pa++, pl--;
    if (fl == 5 && !strncasecmp(fn, "wmean", 5))
        add(b, danish ? "vægtet gennemsnit" : "weighted mean");
    else if (fl == 4 && !strncasecmp(fn, "mean", 4))
        add(b, danish ? "gennemsnit" : "mean");
    else if (fl == 6 && !strncasecmp(fn, "median", 6))
        add(b, "median");
    else if (fl == 5 && !strncasecmp(fn, "total", 5))
        add(b, danish ? "summen over alle" : "total over all");
    else
        add(b, danish ? "%.*s. percentil" : "percentile %.*s", pl, pa);
}

/* The right side of the rule as written, when it holds a statistic, with
** the statistics in words: " (vægtet gennemsnit + 1)". */
static void written_words(struct sb *b, const char *w, size_t wl, int danish)
{
    static const char *fns[] = {"total", "mean", "median", "percentile", "wmean"};
    char *t = gpcov_strndup(w, wl);
    size_t ol;
    long at = t ? find_op(t, &ol) : -1;
    const char *r = at >= 0 ? t + at + ol : NULL;
    int any = 0;
    for (size_t k = 0; r && k < sizeof fns / sizeof *fns; k++)
        any |= strstr(r, fns[k]) != NULL;
    if (!any) {
        free(t);
        return;
    }
    while (isspace((unsigned char)*r))
        r++;
    add(b, " (");
    for (const char *p = r; *p;) {
        size_t fl = 0;
        while (isalpha((unsigned char)p[fl]))
            fl++;
        const char *close = fl && p[fl] == '(' ? strchr(p + fl, ')') : NULL;
        if (close) {
            stat_words(b, p, fl, p + fl + 1, (size_t)(close - p - fl - 1), danish);
            p = close + 1;
        } else if (fl) {
            add(b, "%.*s", (int)fl, p);
            p += fl;
        } else {
            int dec = danish && *p == '.' && p > r && isdigit((unsigned char)p[-1]);
            add(b, "%c", dec ? ',' : *p);
            p++;
        }
    }
    add(b, ")");
    free(t);
}

/* One rule line, "NAME: RESOLVED   (written as: TEXT)   weight W" or
** "NAME: skipped, WHY". */
static void rule_line(gpcov_ctx *ctx, struct sb *b, const char *s, size_t len,
                      const char *const *labels, int danish, int score)
{
    const char *colon = memchr(s, ':', len), *end = s + len, *unit;
    if (!colon || colon + 2 > end) {
        add(b, "%.*s", (int)len, s);
        return;
    }
    int tl;
    const char *name = label(labels, s, (size_t)(colon - s), &tl, &unit), *rest = colon + 2;
    if (!strncmp(rest, "skipped, ", 9)) {
        const char *q = strstr(rest, "indicator '"), *q2 = q ? strchr(q + 11, '\'') : NULL;
        int xl = 0;
        const char *x = q2 && q2 < end ? label(labels, q + 11, (size_t)(q2 - q - 11), &xl, &unit)
                                       : NULL;
        if (x)
            add(b, danish ? "%.*s: ikke brugt, %.*s mangler" : "%.*s: not used, %.*s is missing",
                tl, name, xl, x);
        else
            add(b, danish ? "%.*s: ikke brugt (%.*s)" : "%.*s: not used (%.*s)", tl, name,
                (int)(end - rest - 9), rest + 9);
        return;
    }
    const char *wa = strstr(rest, "   (written as: "), *wt = strstr(rest, "   weight ");
    if (wa && wa > end)
        wa = NULL;
    if (wt && wt > end)
        wt = NULL;
    const char *rend = wa ? wa : wt ? wt : end;
    double weight = wt ? strtod(wt + 10, NULL) : 1;
    add(b, "%.*s", tl, name);
    if (score && weight != 1) {
        char num[64];
        threshold(num, sizeof num, weight, danish);
        add(b, danish ? " (vægt %s)" : " (weight %s)", num);
    }
    add(b, ": ");
    condition(ctx, b, rest, (size_t)(rend - rest), labels, danish);
    const char *wend = wa ? (wt && wt > wa ? wt : end) : NULL;
    while (wend && wend > wa && wend[-1] != ')')
        wend--;
    if (wa && wend > wa + 16)
        written_words(b, wa + 16, (size_t)(wend - 1 - (wa + 16)), danish);
}

/* When a unit is threatened, as the rules combine. */
static void verdict_words(struct sb *b, int combine, double thr, int danish)
{
    char num[64];
    threshold(num, sizeof num, thr * 100, danish);
    if (combine == 'a')
        add(b, danish ? ". Truet når alle reglerne slår til." : ". Threatened when every rule holds.");
    else if (combine == 'o')
        add(b, danish ? ". Truet når mindst én regel slår til."
                      : ". Threatened when at least one rule holds.");
    else if (thr == 0.5)
        add(b, danish ? ". Truet når de regler, der slår til, bærer mindst halvdelen af vægten."
                      : ". Threatened when the rules that hold carry at least half the weight.");
    else
        add(b, danish ? ". Truet når de regler, der slår til, bærer mindst %s %% af vægten."
                      : ". Threatened when the rules that hold carry at least %s %% of the weight.",
            num);
}

gpcov_status gpcov_map_rules_note(gpcov_ctx *ctx, const char *rules, const char *const *labels,
                                  int danish, char **out)
{
    *out = NULL;
    if (!rules || strncmp(rules, "rules (", 7))
        return gpcov_err(ctx, GPCOV_EINPUT, "GPCOV_RULES: not the rules `gpcov threat` writes "
                         "(they begin with 'rules (')");
    int combine = strstr(rules, "rules (all") == rules   ? 'a'
                  : strstr(rules, "rules (any") == rules ? 'o'
                                                         : 's';
    double thr = 0.5;
    size_t nrules = 0;
    struct sb b = {0};
    add(&b, danish ? "Regler: " : "Rules: ");
    const char *p = strchr(rules, '\n');
    while (p && p[1] == ' ' && p[2] == ' ') {
        const char *s = p + 3, *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        static const char head[] = "threatened where the score >= ";
        if (!strncmp(s, head, sizeof head - 1)) {
            thr = strtod(s + sizeof head - 1, NULL);
        } else {
            add(&b, nrules++ ? "; " : "");
            rule_line(ctx, &b, s, len, labels, danish, combine == 's');
        }
        p = e;
    }
    verdict_words(&b, combine, thr, danish);
    if (b.failed || !nrules) {
        free(b.s);
        return b.failed ? gpcov_err(ctx, GPCOV_ENOMEM, "out of memory")
                        : gpcov_err(ctx, GPCOV_EINPUT, "GPCOV_RULES: no rule in it");
    }
    *out = b.s;
    return GPCOV_OK;
}
