/* test_overlay.c: joins, aggregation, derived fields and every error case
** of the overlay, on fixtures the test writes itself. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

static double num(const struct gpcov_layer *l, const char *key, const char *field)
{
    int f = gpcov_layer_field(l, field);
    for (size_t i = 0; f >= 0 && i < l->n; i++)
        if (!strcmp(l->keys[i], key)) {
            const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
            return v->null ? -1 : v->num;
        }
    return -2;
}

static const char *str(const struct gpcov_layer *l, const char *key, const char *field)
{
    int f = gpcov_layer_field(l, field);
    for (size_t i = 0; f >= 0 && i < l->n; i++)
        if (!strcmp(l->keys[i], key)) {
            const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
            return v->null ? "(null)" : v->str;
        }
    return "(missing)";
}

/* A spec over the squares with the long table joined. */
static struct gpcov_overlay_spec *base(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    s->polygons = strdup(fx_path("squares.geojson"));
    s->name_field = strdup("KOMNAVN");
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, fx_path("long.csv"));
    gpcov_overlay_set_key(ctx, s, "KOMKODE=area_code");
    gpcov_overlay_set_where(ctx, s, "level = 'kommune'");
    gpcov_overlay_add_agg(ctx, s, "pop=sum(total)");
    gpcov_overlay_add_agg(ctx, s, "pop80=sum(total) where age >= 80");
    return s;
}

static gpcov_status run_expect(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                               const char *needle, const char *what)
{
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_overlay_run(ctx, s, &l);
    OK(st != GPCOV_OK && l == NULL, "%s: fails (status %d)", what, st);
    OK(strstr(gpcov_ctx_message(ctx), needle) != NULL, "%s: message has '%s': %s", what, needle,
       gpcov_ctx_message(ctx));
    gpcov_layer_free(ctx, l);
    gpcov_overlay_spec_free(s);
    return st;
}

/* the happy path: long table, semicolon table, points, derived fields */
static void case_happy_path(gpcov_ctx *ctx)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    struct gpcov_overlay_spec *s = base(ctx);
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, fx_path("esundhed.csv"));
    gpcov_overlay_set_key(ctx, s, "KOMKODE=kommune");
    gpcov_overlay_add_field(ctx, s, "patients=\"tilmeldte patienter\"");
    gpcov_overlay_add_field(ctx, s, "capacities=lægekapaciteter");
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_POINTS, fx_path("points.csv"));
    gpcov_overlay_set_xy(ctx, s, "x", "y", "EPSG:25832");
    gpcov_overlay_add_agg(ctx, s, "posts=sum(posts)");
    gpcov_overlay_add_agg(ctx, s, "sites=count()");
    OK(gpcov_overlay_add_derive(ctx, s, "share80=pct(pop80, pop)") == GPCOV_OK, "derive parses");
    gpcov_overlay_add_derive(ctx, s, "ppc=patients / capacities");
    gpcov_overlay_add_derive(ctx, s, "big:bool=pop > 20");
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_overlay_run(ctx, s, &l);
    OK(st == GPCOV_OK, "overlay runs: %s", gpcov_ctx_message(ctx));
    if (!l) {
        gpcov_overlay_spec_free(s);
        return;
    }
    OK(l->n == 3, "three polygons (the two parts of 0825 dissolved), got %zu", l->n);
    STREQ(l->keys[0], "0101", "sorted by key, 0101 first");
    STREQ(l->keys[2], "0825", "'825' and '0825' are one key");
    double area = 0;
    GEOSArea_r(h, l->geoms[2], &area);
    NEAR(area, 1e8, 1, "dissolved 0825 covers both parts (100 km2)");
    OK(GEOSGeomTypeId_r(h, l->geoms[2]) == GEOS_MULTIPOLYGON, "geometries are multipolygons");
    STREQ(str(l, "0825", "name"), "Læsø", "name copied, Danish letters intact");
    NEAR(num(l, "0101", "pop"), 65, 0, "sum over the rows of 101");
    NEAR(num(l, "0101", "pop80"), 15, 0, "sum with a filter: ages 80+");
    NEAR(num(l, "0147", "pop80"), 3, 0, "0147 pop80");
    NEAR(num(l, "0101", "share80"), 100.0 * 15 / 65, 1e-9, "derived share in percent");
    NEAR(num(l, "0101", "patients"), 16500, 0, "'16.500' read as 16500 (Danish thousands)");
    NEAR(num(l, "0147", "capacities"), 2.5, 0, "'2,5' read as 2.5 (decimal comma)");
    NEAR(num(l, "0101", "ppc"), 1650, 1e-9, "patients per capacity");
    NEAR(num(l, "0101", "posts"), 10, 0, "points summed in their polygon");
    NEAR(num(l, "0101", "sites"), 2, 0, "points counted");
    NEAR(num(l, "0147", "posts"), -1, 0, "a point with an empty value makes the sum unknown (null)");
    NEAR(num(l, "0825", "posts"), 0, 0, "a polygon with no points sums to 0");
    NEAR(num(l, "0825", "sites"), 0, 0, "and counts 0");
    OK(l->fields[gpcov_layer_field(l, "pop")].type == GPCOV_INT, "whole sums are integers");
    OK(l->fields[gpcov_layer_field(l, "big")].type == GPCOV_BOOL, "declared bool type");
    NEAR(num(l, "0101", "big"), 1, 0, "bool value");
    gpcov_layer_free(ctx, l);
    gpcov_overlay_spec_free(s);
}

/* present flags and optional sources */
static void case_present(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s;
    struct gpcov_layer *l = NULL;
    gpcov_status st;
    fx_write("plo.csv", "kommune_code,name\n0825,Læsø\n");
    s = base(ctx);
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, fx_path("plo.csv"));
    gpcov_overlay_set_key(ctx, s, "KOMKODE=kommune_code");
    gpcov_overlay_add_present(ctx, s, "designated");
    st = gpcov_overlay_run(ctx, s, &l);
    OK(st == GPCOV_OK && num(l, "0825", "designated") == 1 && num(l, "0101", "designated") == 0,
       "--present: true where listed, false elsewhere");
    gpcov_layer_free(ctx, l);
    gpcov_overlay_spec_free(s);
}

/* errors, each naming file, row and value: keys without a polygon, polygons without a row */
static void case_missing_rows(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s;
    struct gpcov_layer *l = NULL;
    gpcov_status st;
    fx_write("extra.csv", "area_code,level,age,total\n101,kommune,80,1\n999,kommune,80,1\n");
    s = base(ctx);
    free(s->src[0].path);
    s->src[0].path = strdup(fx_path("extra.csv"));
    run_expect(ctx, s, "extra.csv:3: key '0999'", "a table key with no polygon");

    fx_write("short.csv", "area_code,level,age,total\n101,kommune,80,1\n147,kommune,80,1\n");
    s = base(ctx);
    free(s->src[0].path);
    s->src[0].path = strdup(fx_path("short.csv"));
    run_expect(ctx, s, "no row for 1 polygon", "a polygon with no row");
    s = base(ctx);
    free(s->src[0].path);
    s->src[0].path = strdup(fx_path("short.csv"));
    s->allow_missing = 1;
    st = gpcov_overlay_run(ctx, s, &l);
    OK(st == GPCOV_OK && num(l, "0825", "pop") == -1, "--allow-missing: the polygon gets null");
    gpcov_layer_free(ctx, l);
    gpcov_overlay_spec_free(s);
}

/* errors, each naming file, row and value: the tables and points themselves */
static void case_bad_tables(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s;
    fx_write("dup.csv", "code,v\n101,1\n147,2\n825,3\n0101,4\n");
    s = gpcov_overlay_spec_new();
    s->polygons = strdup(fx_path("squares.geojson"));
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, fx_path("dup.csv"));
    gpcov_overlay_set_key(ctx, s, "KOMKODE=code");
    gpcov_overlay_add_field(ctx, s, "v=v");
    run_expect(ctx, s, "dup.csv:5: key '0101' appears again (first at line 2)", "a duplicated key");

    s = base(ctx);
    gpcov_overlay_add_agg(ctx, s, "x=sum(nosuch)");
    run_expect(ctx, s, "no column 'nosuch'", "a missing column");

    s = base(ctx);
    gpcov_overlay_set_key(ctx, s, "KOMKODE=kode");
    run_expect(ctx, s, "no column 'kode'", "a missing key column");

    fx_write("text.csv", "area_code,level,age,total\n101,kommune,80,many\n147,kommune,80,1\n825,kommune,80,1\n");
    s = base(ctx);
    free(s->src[0].path);
    s->src[0].path = strdup(fx_path("text.csv"));
    run_expect(ctx, s, "text.csv:2: pop: 'many' is not a number", "a non-numeric value");

    fx_write("empty.csv", "area_code,level,age,total\n");
    s = base(ctx);
    free(s->src[0].path);
    s->src[0].path = strdup(fx_path("empty.csv"));
    run_expect(ctx, s, "has no data rows", "an empty table");

    s = base(ctx);
    free(s->src[0].path);
    s->src[0].path = strdup(fx_path("nonexistent.csv"));
    run_expect(ctx, s, "nonexistent.csv: no such file", "an unreadable file");

    s = base(ctx);
    gpcov_overlay_add_derive(ctx, s, "r=pop / unknown_field");
    run_expect(ctx, s, "no field 'unknown_field'", "a derived field on an unknown field");

    fx_write("far.csv", "name,x,y,posts\nZ,100000,6000000,1\n");
    s = base(ctx);
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_POINTS, fx_path("far.csv"));
    gpcov_overlay_set_xy(ctx, s, "x", "y", "EPSG:25832");
    gpcov_overlay_add_agg(ctx, s, "p=sum(posts)");
    run_expect(ctx, s, "far.csv:line 2: the point", "a point in no polygon");
}

/* declarations refused before any file is read */
static void case_declarations(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    OK(gpcov_overlay_add_agg(ctx, s, "x=sum(a)") == GPCOV_EUSAGE, "--agg before a source is a usage error");
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, "t.csv");
    OK(gpcov_overlay_add_agg(ctx, s, "x=median(a)") == GPCOV_EUSAGE &&
           strstr(gpcov_ctx_message(ctx), "sum, count"),
       "unknown aggregate function: %s", gpcov_ctx_message(ctx));
    OK(gpcov_overlay_add_agg(ctx, s, "x=sum(a) having b") == GPCOV_EUSAGE, "junk after ')'");
    OK(gpcov_overlay_add_agg(ctx, s, "x:float=sum(a)") == GPCOV_EUSAGE, "unknown type");
    OK(gpcov_overlay_add_agg(ctx, s, "a b=sum(a)") == GPCOV_EUSAGE, "bad field name");
    OK(gpcov_overlay_set_key(ctx, s, "KOMKODE") == GPCOV_EUSAGE, "--key without '='");
    OK(gpcov_overlay_add_agg(ctx, s, "n=count(*) where a > 1") == GPCOV_OK, "count(*) with where");
    gpcov_overlay_spec_free(s);
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_happy_path, ctx);
    RUN_ON(case_present, ctx);
    RUN_ON(case_missing_rows, ctx);
    RUN_ON(case_bad_tables, ctx);
    RUN_ON(case_declarations, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
