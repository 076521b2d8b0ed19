/* test_expr.c: the expression language: parsing, evaluation, nulls, errors. */
#include "gpcov.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

struct var { const char *name; const char *str; double num; int null; };
static const struct var vars[] = {
    {"age", "85", 0, 0},  {"level", "kommune", 0, 0}, {"total", NULL, 120, 0},
    {"pop", NULL, 1000, 0}, {"pop80", NULL, 47, 0},    {"empty", NULL, 0, 1},
    {"zero", NULL, 0, 0}, {"word", "abc", 0, 0},       {"tilmeldte patienter", "1650", 0, 0},
};

static int lookup(void *u, const char *name, struct gpcov_value *v)
{
    (void)u;
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        if (!strcmp(vars[i].name, name)) {
            v->null = vars[i].null;
            v->num = vars[i].num;
            v->str = (char *)vars[i].str;
            return 0;
        }
    return -1;
}

/* evaluates text; returns status, value in *out */
static gpcov_status ev(gpcov_ctx *ctx, const char *text, struct gpcov_value *out)
{
    gpcov_expr *e;
    gpcov_status st = gpcov_expr_parse(ctx, text, &e);
    memset(out, 0, sizeof *out);
    if (st)
        return st;
    st = gpcov_expr_eval(ctx, e, lookup, NULL, out);
    gpcov_expr_free(e);
    return st;
}

static double num(gpcov_ctx *ctx, const char *text)
{
    struct gpcov_value v;
    if (ev(ctx, text, &v) || v.null) {
        free(v.str);
        return -999999;
    }
    free(v.str);
    return v.num;
}

static int isnull(gpcov_ctx *ctx, const char *text)
{
    struct gpcov_value v;
    int r = ev(ctx, text, &v) == GPCOV_OK && v.null;
    free(v.str);
    return r;
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    NEAR(num(ctx, "1 + 2 * 3"), 7, 0, "precedence: 1 + 2 * 3 = 7");
    NEAR(num(ctx, "(1 + 2) * 3"), 9, 0, "parentheses");
    NEAR(num(ctx, "-2 * -3"), 6, 0, "unary minus");
    NEAR(num(ctx, "10 / 4"), 2.5, 0, "division");
    NEAR(num(ctx, "pct(pop80, pop)"), 4.7, 1e-12, "pct(47, 1000) = 4.7");
    NEAR(num(ctx, "growth(pop80, total)"), 100.0 * (120 - 47) / 47, 1e-12, "growth(a,b) = 100*(b-a)/a");
    NEAR(num(ctx, "age >= 80"), 1, 0, "a text cell '85' compares as a number");
    NEAR(num(ctx, "age >= 90"), 0, 0, "85 >= 90 is false");
    NEAR(num(ctx, "age + 1"), 86, 0, "text cell in arithmetic");
    NEAR(num(ctx, "level = 'kommune'"), 1, 0, "string equality");
    NEAR(num(ctx, "level in ('kommune', 'other')"), 1, 0, "IN list");
    NEAR(num(ctx, "level not in ('kommune', 'other')"), 0, 0, "NOT IN list");
    NEAR(num(ctx, "age between 80 and 89"), 1, 0, "BETWEEN");
    NEAR(num(ctx, "age >= 80 AND level = 'kommune'"), 1, 0, "AND");
    NEAR(num(ctx, "age < 80 or level = 'x'"), 0, 0, "OR");
    NEAR(num(ctx, "not age < 80"), 1, 0, "NOT");
    NEAR(num(ctx, "\"tilmeldte patienter\" / 1000"), 1.65, 1e-12, "quoted name with a space");
    NEAR(num(ctx, "round(2.345, 2)"), 2.35, 1e-12, "round to 2 decimals");
    NEAR(num(ctx, "max(1, 5, 3)"), 5, 0, "max");
    NEAR(num(ctx, "coalesce(empty, 7)"), 7, 0, "coalesce skips null");
    NEAR(num(ctx, "if(age > 80, 1, 2)"), 1, 0, "if()");
    NEAR(num(ctx, "empty is null"), 1, 0, "IS NULL");
    NEAR(num(ctx, "total is not null"), 1, 0, "IS NOT NULL");
    OK(isnull(ctx, "empty + 1"), "null propagates through +");
    OK(isnull(ctx, "empty > 1"), "comparison with null is null");
    OK(isnull(ctx, "pop / zero"), "division by zero gives null");
    OK(isnull(ctx, "pct(pop, zero)"), "pct by zero gives null");
    NEAR(num(ctx, "empty > 1 or 1 = 1"), 1, 0, "null OR true is true");
    NEAR(num(ctx, "empty > 1 and 1 = 2"), 0, 0, "null AND false is false");

    struct gpcov_value v;
    gpcov_status st = ev(ctx, "word + 1", &v);
    OK(st == GPCOV_EINPUT, "text where a number is needed is bad input");
    OK(strstr(gpcov_ctx_message(ctx), "column 'word'") && strstr(gpcov_ctx_message(ctx), "'abc'"),
       "the message names the column and the value: %s", gpcov_ctx_message(ctx));
    st = ev(ctx, "nosuch > 1", &v);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "unknown name 'nosuch'"),
       "unknown name: %s", gpcov_ctx_message(ctx));

    static const char *bad[] = {"1 +", "(1 + 2", "age >", "'open", "frob(1)", "pct(1)",
                                "age not 3", "1 2", "a ! b", "", "2abc"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        gpcov_expr *e = NULL;
        st = gpcov_expr_parse(ctx, bad[i], &e);
        OK(st == GPCOV_EUSAGE && e == NULL && strstr(gpcov_ctx_message(ctx), "expression"),
           "syntax error for \"%s\": %s", bad[i], gpcov_ctx_message(ctx));
    }

    gpcov_expr *e;
    gpcov_expr_parse(ctx, "pct(pop80, pop) > 3 and pop80 > 1", &e);
    OK(gpcov_expr_nnames(e) == 2 && !strcmp(gpcov_expr_name(e, 0), "pop80") &&
           !strcmp(gpcov_expr_name(e, 1), "pop"),
       "names listed once, in order of first use");
    gpcov_expr_free(e);
    gpcov_expr_parse(ctx, "'it''s'", &e);
    gpcov_expr_eval(ctx, e, lookup, NULL, &v);
    STREQ(v.str, "it's", "a doubled quote in a string");
    free(v.str);
    gpcov_expr_free(e);
    gpcov_ctx_free(ctx);
    return tap_done();
}
