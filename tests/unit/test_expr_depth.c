/*
** test_expr_depth.c: the expression parser's bound on nesting.  Deeply
** nested or chained input once overflowed the stack (parsing, evaluating
** and freeing all recurse per level); now it is refused with a message,
** while nesting a person would write still parses and evaluates.
*/
#include "gpcov.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static int no_names(void *u, const char *name, struct gpcov_value *v)
{
    (void)u, (void)name, (void)v;
    return -1;
}

/* prefix x n, middle, suffix x n */
static char *build(const char *pre, size_t n, const char *mid, const char *suf)
{
    size_t lp = strlen(pre), ls = strlen(suf);
    char *s = malloc(n * (lp + ls) + strlen(mid) + 1), *w = s;
    if (!s)
        abort();
    for (size_t i = 0; i < n; i++, w += lp)
        memcpy(w, pre, lp);
    strcpy(w, mid);
    w += strlen(mid);
    for (size_t i = 0; i < n; i++, w += ls)
        memcpy(w, suf, ls);
    *w = 0;
    return s;
}

/* Parses text: 1 when refused as nested too deeply (and nothing made). */
static int refused(gpcov_ctx *ctx, char *text)
{
    gpcov_expr *e = (gpcov_expr *)1;
    gpcov_status st = gpcov_expr_parse(ctx, text, &e);
    int r = st == GPCOV_EUSAGE && e == NULL &&
            strstr(gpcov_ctx_message(ctx), "nested too deeply") != NULL;
    if (!st)
        gpcov_expr_free(e);
    free(text);
    return r;
}

/* Parses and evaluates text to a number (-999999 on any error). */
static double value(gpcov_ctx *ctx, char *text)
{
    gpcov_expr *e = NULL;
    struct gpcov_value v = {0};
    double r = -999999;
    if (gpcov_expr_parse(ctx, text, &e) == GPCOV_OK &&
        gpcov_expr_eval(ctx, e, no_names, NULL, &v) == GPCOV_OK && !v.null && !v.str)
        r = v.num;
    free(v.str);
    gpcov_expr_free(e);
    free(text);
    return r;
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    OK(refused(ctx, build("(", 200000, "1", ")")), "200,000 nested parentheses are refused");
    OK(refused(ctx, build("-", 300000, "1", "")), "300,000 signs are refused");
    OK(refused(ctx, build("NOT ", 200000, "1", "")), "200,000 NOTs are refused");
    OK(refused(ctx, build("", 300000, "1", "+1")), "a chain of 300,001 terms is refused");
    OK(refused(ctx, build("abs(", 100000, "1", ")")), "100,000 nested calls are refused");
    OK(refused(ctx, build("", 100000, "1", " AND 1")), "a chain of 100,001 ANDs is refused");
    NEAR(value(ctx, build("(", 100, "7", ")")), 7, 0, "100 nested parentheses evaluate");
    NEAR(value(ctx, build("-", 100, "2", "")), 2, 0, "100 signs evaluate (an even count)");
    NEAR(value(ctx, build("", 199, "1", "+1")), 200, 0, "a chain of 200 terms evaluates");
    NEAR(value(ctx, build("NOT ", 101, "0", "")), 1, 0, "101 NOTs evaluate");
    gpcov_ctx_free(ctx);
    return tap_done();
}
