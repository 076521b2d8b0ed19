/*
** fuzz_expr.c: fuzz target for expressions and threat rules.  The whole
** input is parsed by gpcov_expr_parse (the language of --where, --agg
** filters, --derive and rules) and, when it parses, evaluated over a row
** with numbers, Danish number text, a null and a string.  Then each line
** of the input (up to eight) becomes a rule of gpcov_threat over four
** small municipalities, so the rule resolver (total, mean, median,
** percentile, wmean), the combination and the designation agreement run
** too; the output goes to a directory that does not exist, so the run
** ends at the write and leaves nothing.
*/
#include "fuzz.h"

#include <stdio.h>

#define UNITS "/vsimem/fuzz_expr/units.geojson"
#define DESIG "/vsimem/fuzz_expr/plo.csv"

static const char units[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"komkode\":\"0101\",\"name\":\"A\",\"a\":1.5,"
    "\"b\":1600,\"pop\":1000,\"s\":\"x\",\"c\":null,\"x y\":1,\"big\":1e308},\"geometry\":null},"
    "{\"type\":\"Feature\",\"properties\":{\"komkode\":\"0147\",\"name\":\"B\",\"a\":-2,"
    "\"b\":null,\"pop\":500,\"s\":\"y\"},\"geometry\":null},"
    "{\"type\":\"Feature\",\"properties\":{\"komkode\":\"0851\",\"name\":\"C\",\"a\":0,"
    "\"b\":2100,\"pop\":0,\"s\":null},\"geometry\":null},"
    "{\"type\":\"Feature\",\"properties\":{\"komkode\":\"0411\",\"name\":\"D\",\"a\":1e300,"
    "\"b\":3,\"pop\":7,\"s\":\"\"},\"geometry\":null}]}";
static const char desig[] = "kommune_code,name\n101,A\n851 Aalborg,C\n";

static int lookup(void *user, const char *name, struct gpcov_value *v)
{
    (void)user;
    memset(v, 0, sizeof *v);
    if (!strcmp(name, "a"))
        v->num = 3;
    else if (!strcmp(name, "b"))
        v->str = "1.234,5";
    else if (!strcmp(name, "c"))
        v->null = 1;
    else if (!strcmp(name, "s"))
        v->str = "abc";
    else if (!strcmp(name, "x y"))
        v->num = -0.0;
    else if (!strcmp(name, "big"))
        v->num = 1e308;
    else
        return -1;
    return 0;
}

static void expression(gpcov_ctx *ctx, const char *text)
{
    gpcov_expr *e = NULL;
    gpcov_status st = gpcov_expr_parse(ctx, text, &e);
    fuzz_say(ctx, "expression", st);
    if (st != GPCOV_OK) {
        gpcov_expr_free(e);
        return;
    }
    for (size_t i = 0; i < gpcov_expr_nnames(e); i++)
        if (!gpcov_expr_name(e, i))
            abort();
    if (!gpcov_expr_text(e))
        abort();
    struct gpcov_value v = {0};
    if (gpcov_expr_eval(ctx, e, lookup, NULL, &v) == GPCOV_OK)
        free(v.str);
    gpcov_expr_free(e);
}

static void threat(gpcov_ctx *ctx, char *text, size_t size)
{
    struct gpcov_rule rules[8];
    char names[8][8];
    size_t nr = 0;
    for (char *line = text, *next; line && nr < 8; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        if (!*line)
            continue;
        snprintf(names[nr], sizeof names[nr], "r%zu", nr);
        rules[nr].name = names[nr];
        rules[nr].text = line;
        rules[nr].weight = (double)nr * 0.5;
        rules[nr].optional = (int)(nr & 1);
        nr++;
    }
    if (!nr)
        return;
    char *exclude[] = {"0411", NULL};
    struct gpcov_threat_opts o = {
        .units = UNITS,
        .nrules = nr,
        .rules = rules,
        .combine = (enum gpcov_combine)(size % 3),
        .threshold = size % 5 ? 0.5 : 0,
        .designation = size % 2 ? DESIG : NULL,
        .output = "/nonexistent-gpcov-fuzz/threat.csv",
        .exclude = exclude,
    };
    char *summary = NULL;
    gpcov_status st = gpcov_threat(ctx, &o, &summary);
    fuzz_say(ctx, "threat", st);
    if (st == GPCOV_OK)
        abort(); /* the output cannot be written */
    free(summary);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gpcov_ctx *ctx = fuzz_ctx();
    static int once;
    if (!once++) {
        fuzz_vsimem(UNITS, units, sizeof units - 1);
        fuzz_vsimem(DESIG, desig, sizeof desig - 1);
    }
    char *text = fuzz_str(data, size);
    expression(ctx, text);
    threat(ctx, text, size);
    free(text);
    return 0;
}
