/* test_overlay_spec.c: the declarations of an overlay (overlay_spec.c):
** sources, keys, conditions, fields, aggregates with their WHERE, presence,
** samples and derived fields, as accepted (what they were parsed into,
** evaluated on a row) and as refused (the status and the message). */
#include "gpcov.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* the row the parsed expressions are evaluated on */
static int lookup(void *u, const char *name, struct gpcov_value *v)
{
    (void)u;
    memset(v, 0, sizeof *v);
    if (!strcmp(name, "age"))
        v->num = 85;
    else if (!strcmp(name, "total"))
        v->num = 120;
    else if (!strcmp(name, "level"))
        v->str = "kommune";
    else
        return -1;
    return 0;
}

static double eval_num(gpcov_ctx *ctx, const gpcov_expr *e)
{
    struct gpcov_value v = {0};
    if (!e || gpcov_expr_eval(ctx, e, lookup, NULL, &v) || v.null)
        return -999;
    free(v.str);
    return v.num;
}

/* the call's status is EUSAGE and the message is msg */
#define REFUSED(call, msg, ...)                                                 \
    do {                                                                       \
        gpcov_status st_ = (call);                                             \
        OK(st_ == GPCOV_EUSAGE, __VA_ARGS__);                                  \
        STREQ(gpcov_ctx_message(ctx), msg, "  with its message");              \
    } while (0)

static void case_before_source(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    OK(s && s->nsrc == 0 && s->nderive == 0, "a new spec is empty");
    REFUSED(gpcov_overlay_set_key(ctx, s, "KOMKODE=area_code"),
            "--key must follow a --table or --points", "--key before any source");
    REFUSED(gpcov_overlay_set_where(ctx, s, "age >= 80"),
            "--where must follow a --table or --points", "--where before any source");
    REFUSED(gpcov_overlay_set_optional(ctx, s), "--optional must follow a --table or --points",
            "--optional before any source");
    REFUSED(gpcov_overlay_set_xy(ctx, s, "x", "y", NULL),
            "coordinates must follow a --table or --points", "coordinates before any source");
    REFUSED(gpcov_overlay_add_field(ctx, s, "a=total"),
            "--field must follow a --table or --points", "--field before any source");
    REFUSED(gpcov_overlay_add_agg(ctx, s, "a=sum(total)"),
            "--agg must follow a --table or --points", "--agg before any source");
    REFUSED(gpcov_overlay_add_present(ctx, s, "listed"),
            "--present must follow a --table or --points", "--present before any source");
    REFUSED(gpcov_overlay_add_sample(ctx, s, "t=times.tif"),
            "--sample must follow a --table or --points", "--sample before any source");
    OK(gpcov_overlay_add_derive(ctx, s, "d=1+1") == GPCOV_OK && s->nderive == 1,
       "--derive needs no source: it works on the joined fields");
    NEAR(eval_num(ctx, s->derive[0].expr), 2, 0, "  and evaluates 1+1 to 2");
    gpcov_overlay_spec_free(s);
    gpcov_overlay_spec_free(NULL); /* harmless: a crash here fails the test */
}

static void case_table(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    OK(gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, "long.csv") == GPCOV_OK, "a table");
    struct gpcov_src_spec *src = &s->src[0];
    OK(s->nsrc == 1 && src->kind == GPCOV_SRC_TABLE && !strcmp(src->path, "long.csv") &&
           src->snap == 1000 && !src->optional && !src->where && src->nout == 0,
       "its path, kind, 1000 m snapping and nothing else yet");
    OK(gpcov_overlay_set_key(ctx, s, " KOMKODE = area_code ") == GPCOV_OK, "a key with spaces");
    STREQ(src->poly_field, "KOMKODE", "  the polygon field, trimmed");
    STREQ(src->table_field, "area_code", "  the table field, trimmed");
    OK(gpcov_overlay_set_key(ctx, s, "KODE=code") == GPCOV_OK && !strcmp(src->poly_field, "KODE") &&
           !strcmp(src->table_field, "code"),
       "a second --key replaces the first");
    REFUSED(gpcov_overlay_set_key(ctx, s, "KOMKODE"),
            "--key 'KOMKODE': expected POLYFIELD=TABLEFIELD", "a key without '='");
    REFUSED(gpcov_overlay_set_key(ctx, s, "=code"), "--key '=code': expected POLYFIELD=TABLEFIELD",
            "a key without the polygon field");
    REFUSED(gpcov_overlay_set_key(ctx, s, "KOMKODE="),
            "--key 'KOMKODE=': expected POLYFIELD=TABLEFIELD", "a key without the table field");
    OK(gpcov_overlay_set_where(ctx, s, "age >= 80") == GPCOV_OK && src->where,
       "a --where condition");
    NEAR(eval_num(ctx, src->where), 1, 0, "  true for age 85");
    OK(gpcov_overlay_set_where(ctx, s, "age >= 90") == GPCOV_OK, "a second --where");
    NEAR(eval_num(ctx, src->where), 0, 0, "  replaces the first (false for age 85)");
    OK(gpcov_overlay_set_where(ctx, s, "age >= ") != GPCOV_OK && src->where,
       "a --where that does not parse is refused, the last good one kept");
    NEAR(eval_num(ctx, src->where), 0, 0, "  (still age >= 90)");
    OK(gpcov_overlay_set_optional(ctx, s) == GPCOV_OK && src->optional, "--optional");
    OK(gpcov_overlay_set_xy(ctx, s, "east", NULL, "EPSG:4326") == GPCOV_OK &&
           !strcmp(src->x_field, "east") && !src->y_field && !strcmp(src->srs, "EPSG:4326"),
       "coordinates: the fields and SRS given, the rest left unset");
    REFUSED(gpcov_overlay_add_sample(ctx, s, "t=times.tif"),
            "--sample 't=times.tif': only points sample rasters", "a table cannot sample");
    gpcov_overlay_spec_free(s);
}

static void case_fields(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, "t.csv");
    struct gpcov_src_spec *src = &s->src[0];
    OK(gpcov_overlay_add_field(ctx, s, " double_total = total * 2") == GPCOV_OK, "a --field");
    struct gpcov_out_spec *o = &src->out[0];
    OK(src->nout == 1 && o->kind == GPCOV_OUT_FIELD && o->type == -1 && !o->where,
       "  a field with its type inferred");
    STREQ(o->name, "double_total", "  its name, trimmed");
    STREQ(o->text, " double_total = total * 2", "  the declaration kept as written");
    NEAR(eval_num(ctx, o->value), 240, 0, "  its value: 2 x 120");
    const char *types[4] = {"a:text=level", "b:int=age", "c: REAL =age", "d:bool=age>80"};
    int want[4] = {GPCOV_STR, GPCOV_INT, GPCOV_REAL, GPCOV_BOOL};
    for (int k = 0; k < 4; k++) {
        OK(gpcov_overlay_add_field(ctx, s, types[k]) == GPCOV_OK &&
               src->out[src->nout - 1].type == want[k],
           "'%s': the declared type", types[k]);
    }
    STREQ(src->out[3].name, "c", "  the name stops at the ':'");
    OK(gpcov_overlay_add_field(ctx, s, "æble_2=total") == GPCOV_OK, "a name with Danish letters");
    REFUSED(gpcov_overlay_add_field(ctx, s, "total"), "--field 'total': expected NAME=EXPRESSION",
            "a field without '='");
    REFUSED(gpcov_overlay_add_field(ctx, s, "my field=total"),
            "--field 'my field=total': the field name must be letters, digits and _",
            "a name with a space");
    REFUSED(gpcov_overlay_add_field(ctx, s, " =total"),
            "--field ' =total': the field name must be letters, digits and _", "an empty name");
    REFUSED(gpcov_overlay_add_field(ctx, s, "a:date=total"),
            "--field 'a:date=total': unknown type 'date' (text, int, real, bool)",
            "an unknown type");
    OK(gpcov_overlay_add_field(ctx, s, "a=total +") != GPCOV_OK, "an expression that does not parse");
    OK(src->nout == 6, "the refused declarations added nothing (%zu fields)", src->nout);
    REFUSED(gpcov_overlay_add_derive(ctx, s, "x y=1"),
            "--derive 'x y=1': the field name must be letters, digits and _",
            "a derived name with a space");
    OK(gpcov_overlay_add_derive(ctx, s, "share:real=pop80 / pop * 100") == GPCOV_OK &&
           s->nderive == 1 && s->derive[0].type == GPCOV_REAL &&
           !strcmp(s->derive[0].name, "share"),
       "a typed --derive");
    OK(gpcov_overlay_add_derive(ctx, s, "bad=(1") != GPCOV_OK && s->nderive == 1,
       "a --derive that does not parse adds nothing");
    gpcov_overlay_spec_free(s);
}

static void case_aggregates(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, "t.csv");
    struct gpcov_src_spec *src = &s->src[0];
    OK(gpcov_overlay_add_agg(ctx, s, "pop80=sum(total) where age >= 80") == GPCOV_OK,
       "sum with a WHERE");
    struct gpcov_out_spec *o = &src->out[0];
    OK(o->kind == GPCOV_OUT_AGG && o->fn == GPCOV_SUM, "  an aggregate, sum");
    NEAR(eval_num(ctx, o->value), 120, 0, "  of total");
    NEAR(eval_num(ctx, o->where), 1, 0, "  where age >= 80 (true at 85)");
    const char *fns[7] = {"a=SUM (total)", "b=count()", "c=count( * )", "d=mean(total)",
                          "e=avg(total)", "f=min(age) WHERE(age > 90)", "g=first(level)"};
    int want[7] = {GPCOV_SUM, GPCOV_COUNT, GPCOV_COUNT, GPCOV_MEAN, GPCOV_MEAN, GPCOV_MIN,
                   GPCOV_FIRST};
    for (int k = 0; k < 7; k++)
        OK(gpcov_overlay_add_agg(ctx, s, fns[k]) == GPCOV_OK && (int)src->out[k + 1].fn == want[k],
           "'%s': function %d", fns[k], want[k]);
    OK(!src->out[2].value && !src->out[3].value, "count() and count(*) count rows: no value");
    NEAR(eval_num(ctx, src->out[6].where), 0, 0, "WHERE( ...) without a space: age > 90 is false");
    OK(gpcov_overlay_add_agg(ctx, s, "h=max(total) where level = ')'") == GPCOV_OK,
       "a ')' inside quotes in the condition");
    OK(gpcov_overlay_add_agg(ctx, s, "i=max((total + 1) * 2)") == GPCOV_OK, "nested brackets");
    NEAR(eval_num(ctx, src->out[src->nout - 1].value), 242, 0, "  (120+1) x 2");
    size_t n = src->nout;
    REFUSED(gpcov_overlay_add_agg(ctx, s, "sum(total)"),
            "--agg 'sum(total)': expected NAME=FUNCTION(EXPRESSION) [WHERE CONDITION]",
            "an aggregate without a name");
    REFUSED(gpcov_overlay_add_agg(ctx, s, "m=median(total)"),
            "--agg 'm=median(total)': expected FUNCTION(EXPRESSION) with FUNCTION one of "
            "sum, count, mean, min, max, first",
            "an unknown function");
    REFUSED(gpcov_overlay_add_agg(ctx, s, "m=total"),
            "--agg 'm=total': expected FUNCTION(EXPRESSION) with FUNCTION one of "
            "sum, count, mean, min, max, first",
            "an expression without a function");
    REFUSED(gpcov_overlay_add_agg(ctx, s, "m=sum(total"), "--agg 'm=sum(total': missing ')'",
            "a missing ')'");
    REFUSED(gpcov_overlay_add_agg(ctx, s, "m=sum()"), "--agg 'm=sum()': sum() needs an expression",
            "sum() without an expression");
    REFUSED(gpcov_overlay_add_agg(ctx, s, "m=sum(total) if age > 1"),
            "--agg 'm=sum(total) if age > 1': expected WHERE after ')', found 'if age > 1'",
            "something other than WHERE after ')'");
    REFUSED(gpcov_overlay_add_agg(ctx, s, "m=sum(total) whereabouts"),
            "--agg 'm=sum(total) whereabouts': expected WHERE after ')', found 'whereabouts'",
            "a word that only starts with 'where'");
    OK(gpcov_overlay_add_agg(ctx, s, "m=sum(total) where age >") != GPCOV_OK,
       "a WHERE that does not parse");
    OK(src->nout == n, "the refused aggregates added nothing");
    gpcov_overlay_spec_free(s);
}

static void case_points(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, "t.csv");
    OK(gpcov_overlay_add_source(ctx, s, GPCOV_SRC_POINTS, "clinics.csv") == GPCOV_OK &&
           s->nsrc == 2,
       "points after a table");
    OK(gpcov_overlay_add_present(ctx, s, " has_clinic ") == GPCOV_OK, "--present");
    struct gpcov_src_spec *p = &s->src[1];
    OK(p->nout == 1 && p->out[0].kind == GPCOV_OUT_PRESENT && p->out[0].type == GPCOV_BOOL &&
           !p->out[0].value && p->optional && s->src[0].nout == 0,
       "  a bool on the last source (the points), which becomes optional");
    STREQ(p->out[0].name, "has_clinic", "  its name, trimmed");
    OK(gpcov_overlay_add_sample(ctx, s, "minutes=car.tif") == GPCOV_OK &&
           gpcov_overlay_add_sample(ctx, s, "walk=walk.tif") == GPCOV_OK,
       "two samples");
    OK(p->samples && !strcmp(p->samples[0], "minutes=car.tif") &&
           !strcmp(p->samples[1], "walk=walk.tif") && !p->samples[2],
       "  kept in order as written");
    REFUSED(gpcov_overlay_add_sample(ctx, s, "car.tif"), "--sample 'car.tif': expected NAME=RASTER",
            "a sample without a name");
    REFUSED(gpcov_overlay_add_sample(ctx, s, "=car.tif"), "--sample '=car.tif': expected NAME=RASTER",
            "an empty name");
    REFUSED(gpcov_overlay_add_sample(ctx, s, "t="), "--sample 't=': expected NAME=RASTER",
            "an empty raster");
    gpcov_overlay_spec_free(s);
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_before_source, ctx);
    RUN_ON(case_table, ctx);
    RUN_ON(case_fields, ctx);
    RUN_ON(case_aggregates, ctx);
    RUN_ON(case_points, ctx);
    gpcov_ctx_free(ctx);
    return tap_done();
}
