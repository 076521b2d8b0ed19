/* test_symbology.c: a map's classes, colours and legend rows without the
** page (symbology.c).  Ten 10 km squares: six with the values 0, 2, 4, 6,
** 8 and 10, three without a value (two for a stated reason, one for none)
** and one with an empty geometry.  Equal-interval breaks of 0-10 in five
** classes are 0, 2, 4, 6, 8, 10 by hand, so each class, label and count is
** known; then fixed breaks with open ends, a long unit, counts of people,
** Danish numbers, the categorical verdict with "undecided", and the errors
** with their messages. */
#include "gpcov.h"
#include "map/symbology.h"
#include "tap.h"
#include "testfile.h"

#include <math.h>
#include <stdlib.h>

static gpcov_ctx *ctx;
static struct gpcov_layer *layer;

#define NU 10

static void make_layer(void)
{
    static const double v[NU] = {0, 2, 4, 6, 8, 10, NAN, NAN, NAN, 5};
    static const char *why[NU] = {NULL, NULL, NULL, NULL, NULL, NULL, "excluded", "excluded",
                                  NULL, NULL};
    static const char *cat[NU] = {"true", "false", "ja", "undecided", "0", "1", NULL, " ", NULL,
                                  "true"};
    layer = gpcov_layer_new("squares");
    int fv = gpcov_layer_add_field(ctx, layer, "v", GPCOV_REAL);
    int fw = gpcov_layer_add_field(ctx, layer, "why", GPCOV_STR);
    int fc = gpcov_layer_add_field(ctx, layer, "cat", GPCOV_STR);
    int fp = gpcov_layer_add_field(ctx, layer, "pop", GPCOV_REAL);
    int ft = gpcov_layer_add_field(ctx, layer, "text", GPCOV_STR);
    for (int i = 0; i < NU; i++) {
        char key[16], wkt[200];
        snprintf(key, sizeof key, "%04d", 101 + i);
        double x = 500000 + 10000 * i;
        if (i == NU - 1)
            snprintf(wkt, sizeof wkt, "POLYGON EMPTY");
        else
            snprintf(wkt, sizeof wkt,
                     "POLYGON((%.0f 6100000,%.0f 6100000,%.0f 6110000,%.0f 6110000,%.0f 6100000))",
                     x, x + 10000, x + 10000, x, x);
        long j = gpcov_layer_append(ctx, layer, key, tf_wkt(ctx, wkt));
        if (!isnan(v[i]))
            gpcov_layer_set_num(ctx, layer, (size_t)j, (size_t)fv, v[i]);
        if (why[i])
            gpcov_layer_set_str(ctx, layer, (size_t)j, (size_t)fw, why[i]);
        if (cat[i])
            gpcov_layer_set_str(ctx, layer, (size_t)j, (size_t)fc, cat[i]);
        gpcov_layer_set_num(ctx, layer, (size_t)j, (size_t)fp, 1000.0 * (i + 1));
        gpcov_layer_set_str(ctx, layer, (size_t)j, (size_t)ft, i == 3 ? "many" : "7");
    }
}

static void spec_of(struct gpcov_map_spec *ms, struct gpcov_map_panel *p, size_t np)
{
    gpcov_map_spec_init(ms);
    ms->units = layer;
    ms->panels = p;
    ms->npanels = np;
}

static void v_panel(struct gpcov_map_panel *p)
{
    gpcov_map_panel_init(p);
    p->field = "v";
    p->method = GPCOV_BREAKS_EQUAL;
    p->reason_field = "why";
}

/* The legend as "label count; ...". */
static const char *legend_text(const struct gpcov_symbology *sym, size_t p)
{
    static char all[1024];
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    size_t n = gpcov_symbology_legend_rows(sym, p, rows, NULL);
    all[0] = 0;
    for (size_t r = 0; r < n; r++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s %s", r ? "; " : "",
                 rows[r].label, rows[r].count);
    return all;
}

/* Relative luminance, for "darker with each class". */
static double luma(const double rgb[3])
{
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

static void case_equal_classes(void)
{
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    struct gpcov_symbology *sym = NULL;
    v_panel(&p);
    p.unit = "%";
    spec_of(&ms, &p, 1);
    gpcov_status st = gpcov_symbology_prepare(ctx, &ms, &sym);
    OK(st == GPCOV_OK && sym, "five equal classes of 0-10: %s", st ? gpcov_ctx_message(ctx) : "");
    if (!sym)
        return;
    const struct sym_panel *P = &sym->panels[0];
    static const double want_b[6] = {0, 2, 4, 6, 8, 10};
    int same = P->k == 5;
    for (int c = 0; same && c <= 5; c++)
        same = fabs(P->breaks[c] - want_b[c]) < 1e-9;
    OK(same, "breaks 0, 2, 4, 6, 8, 10");
    const int *cls = gpcov_symbology_classes(sym, 0);
    static const int want_c[NU] = {0, 0, 1, 2, 3, 4, -1, -1, -1, -2};
    OK(!memcmp(cls, want_c, sizeof want_c),
       "classes: 0 and 2 in the first (it holds its lower edge), 4 in the second, ...; "
       "no value -1, an empty geometry -2");
    STREQ(legend_text(sym, 0),
          "0 \xe2\x80\x93 2 % (2); 2 \xe2\x80\x93 4 % (1); 4 \xe2\x80\x93 6 % (1); "
          "6 \xe2\x80\x93 8 % (1); 8 \xe2\x80\x93 10 % (1); excluded (2); no data (1)",
          "rows: the ranges with the short unit, then the reason, then no data, each counted");
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    const char *header = "x";
    size_t n = gpcov_symbology_legend_rows(sym, 0, rows, &header);
    OK(n == 7 && header == NULL, "seven rows, no header for a short unit");
    int pal = 1, darker = 1;
    for (int c = 0; c < 5; c++) {
        double want[3];
        gpcov_palette_colour(GPCOV_PALETTE_BLUE, 5, c, want);
        pal &= rows[c].cls == c && !memcmp(rows[c].rgb, want, sizeof want);
        if (c > 0)
            darker &= luma(rows[c].rgb) < luma(rows[c - 1].rgb);
    }
    OK(pal, "class rows take the blue ramp's five colours in order");
    OK(darker, "each class darker than the one before");
    double nod[3];
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA, nod);
    OK(rows[5].cls == -1 && rows[6].cls == -1 && !memcmp(rows[5].rgb, nod, sizeof nod) &&
           !memcmp(rows[6].rgb, nod, sizeof nod),
       "the no-data rows: class -1 in the no-data grey");
    struct gpcov_map_legend lg;
    st = gpcov_symbology_legend(ctx, sym, 0, &lg);
    OK(st == GPCOV_OK && lg.nclasses == 5 && lg.nodata == 3 && lg.cls[0].count == 2 &&
           lg.cls[4].count == 1 && lg.cls[1].lo == 2 && lg.cls[1].hi == 4 && !lg.single_valued,
       "the legend for styles: 5 classes, 2 in the first, 3 without data, edges 2-4");
    STREQ(lg.method, "equal interval", "its method by name");
    STREQ(lg.nodata_label, "no data", "the default no-data label");
    for (size_t c = 0; c < lg.nclasses; c++)
        free(lg.cls[c].label);
    free(lg.field);
    free(lg.title);
    free(lg.method);
    free(lg.nodata_label);
    st = gpcov_symbology_legend(ctx, sym, 1, &lg);
    STREQ(st ? gpcov_ctx_message(ctx) : "", "map: no panel 2", "a panel beyond the spec");
    gpcov_symbology_free(sym);
}

static void case_fixed_open_ends(void)
{
    static const double edges[4] = {-INFINITY, 3, 7, INFINITY};
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    struct gpcov_symbology *sym = NULL;
    v_panel(&p);
    p.method = GPCOV_BREAKS_FIXED;
    p.classes = 3;
    p.fixed = edges;
    p.unit = "patients per capacity";
    p.reason_field = NULL;
    p.palette = GPCOV_PALETTE_RED;
    spec_of(&ms, &p, 1);
    ms.nodata_label = "ingen data";
    OK(gpcov_symbology_prepare(ctx, &ms, &sym) == GPCOV_OK, "fixed breaks with open ends");
    if (!sym)
        return;
    STREQ(legend_text(sym, 0), "\xe2\x89\xa4 3 (2); 3 \xe2\x80\x93 7 (2); > 7 (2); ingen data (3)",
          "'<= 3', '3 - 7', '> 7'; a long unit not in the labels; no reason field: one no-data row");
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    const char *header = NULL;
    gpcov_symbology_legend_rows(sym, 0, rows, &header);
    STREQ(header, "patients per capacity", "the long unit heads the legend");
    double red[3];
    gpcov_palette_colour(GPCOV_PALETTE_RED, 3, 2, red);
    OK(!memcmp(rows[2].rgb, red, sizeof red), "the red ramp when asked");
    gpcov_symbology_free(sym);
}

static void case_counts_and_comma(void)
{
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    struct gpcov_symbology *sym = NULL;
    v_panel(&p);
    p.count_field = "pop";
    p.decimals = 1;
    spec_of(&ms, &p, 1);
    ms.decimal_comma = 1;
    OK(gpcov_symbology_prepare(ctx, &ms, &sym) == GPCOV_OK, "counts of people, Danish numbers");
    if (!sym)
        return;
    /* pop is 1000 * (unit + 1): class 0 holds units 0 and 1 (3,000);
    ** "excluded" units 6 and 7 (7,000 + 8,000); no data unit 8 (9,000);
    ** the empty geometry (10,000) is counted nowhere */
    STREQ(legend_text(sym, 0),
          "0,0 \xe2\x80\x93 2,0 (3.000); 2,0 \xe2\x80\x93 4,0 (3.000); 4,0 \xe2\x80\x93 6,0 (4.000); "
          "6,0 \xe2\x80\x93 8,0 (5.000); 8,0 \xe2\x80\x93 10,0 (6.000); excluded (15.000); "
          "no data (9.000)",
          "the people in each row, one decimal, a decimal comma and a thousands dot");
    gpcov_symbology_free(sym);
    p.count_field = "none";
    sym = NULL;
    OK(gpcov_symbology_prepare(ctx, &ms, &sym) == GPCOV_OK, "count=none");
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    size_t n = sym ? gpcov_symbology_legend_rows(sym, 0, rows, NULL) : 0;
    OK(n == 7 && !rows[0].count[0] && !rows[6].count[0], "no counts at all");
    gpcov_symbology_free(sym);
}

static void case_categorical(void)
{
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    struct gpcov_symbology *sym = NULL;
    gpcov_map_panel_init(&p);
    p.field = "cat";
    p.categorical = 1;
    p.label_true = "Truet";
    p.label_false = "Ikke truet";
    p.reason_field = "why";
    spec_of(&ms, &p, 1);
    OK(gpcov_symbology_prepare(ctx, &ms, &sym) == GPCOV_OK, "a categorical panel");
    if (!sym)
        return;
    const int *cls = gpcov_symbology_classes(sym, 0);
    static const int want_c[NU] = {1, 0, 1, 2, 0, 1, -1, -1, -1, -2};
    OK(!memcmp(cls, want_c, sizeof want_c),
       "true/ja/1 are 1, false/0 are 0, undecided 2; blank and null -1");
    STREQ(legend_text(sym, 0),
          "Truet (3); Ikke truet (2); undecided (1); excluded (2); no data (1)",
          "true first, then false, undecided in its default words, then no data by reason");
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    gpcov_symbology_legend_rows(sym, 0, rows, NULL);
    double t[3], f[3], u[3];
    gpcov_palette_fixed(GPCOV_COLOUR_TRUE, t);
    gpcov_palette_fixed(GPCOV_COLOUR_FALSE, f);
    gpcov_palette_fixed(GPCOV_COLOUR_UNDECIDED, u);
    OK(!memcmp(rows[0].rgb, t, sizeof t) && !memcmp(rows[1].rgb, f, sizeof f) &&
           !memcmp(rows[2].rgb, u, sizeof u),
       "the fixed colours of true, false and undecided");
    struct gpcov_map_legend lg;
    OK(gpcov_symbology_legend(ctx, sym, 0, &lg) == GPCOV_OK && lg.categorical &&
           lg.nclasses == 3 && lg.cls[0].value == 1 && lg.cls[1].value == 0 &&
           lg.cls[2].value == 2 && !strcmp(lg.method, "categorical"),
       "the style legend: values 1, 0, 2");
    for (size_t c = 0; c < lg.nclasses; c++)
        free(lg.cls[c].label);
    free(lg.field);
    free(lg.title);
    free(lg.method);
    free(lg.nodata_label);
    gpcov_symbology_free(sym);
}

static void case_numbers(void)
{
    char b[64];
    gpcov_sym_fmt_num(b, sizeof b, 1617.5, 1, 1);
    STREQ(b, "1.617,5", "Danish: a thousands dot and a decimal comma");
    gpcov_sym_fmt_num(b, sizeof b, -1617.5, 1, 0);
    STREQ(b, "\xe2\x88\x92" "1,617.5", "a true minus sign, a thousands comma");
    gpcov_sym_fmt_num(b, sizeof b, -0.04, 1, 0);
    STREQ(b, "0.0", "no minus on what rounds to zero");
    gpcov_sym_fmt_num(b, sizeof b, 1234567, 0, 0);
    STREQ(b, "1,234,567", "groups of three");
    gpcov_sym_fmt_num(b, sizeof b, 999, 0, 1);
    STREQ(b, "999", "no separator below a thousand");
    double g, w;
    struct gpcov_map_spec ms;
    gpcov_map_spec_init(&ms);
    gpcov_symbology_border(&ms, &g, &w);
    OK(g == 0.35 && w == 0.3, "borders without regions: darker");
    ms.outline = layer;
    gpcov_symbology_border(&ms, &g, &w);
    OK(g == 0.86 && w == 0.35, "under region borders: lighter");
}

/* The message of preparing spec, or "(ok)". */
static const char *error_of(struct gpcov_map_spec *ms)
{
    struct gpcov_symbology *sym = NULL;
    gpcov_status st = gpcov_symbology_prepare(ctx, ms, &sym);
    gpcov_symbology_free(sym);
    return st ? gpcov_ctx_message(ctx) : "(ok)";
}

static void case_errors(void)
{
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    v_panel(&p);
    spec_of(&ms, &p, 0);
    STREQ(error_of(&ms), "map: 0 panels; a figure takes 1 to 4", "no panels");
    spec_of(&ms, &p, 1);
    ms.units = NULL;
    STREQ(error_of(&ms), "map: no units layer to draw", "no units");
    spec_of(&ms, &p, 1);
    ms.dpi = 10;
    STREQ(error_of(&ms), "map: resolution 10 dpi; use 36 to 1200", "too coarse a resolution");
    spec_of(&ms, &p, 1);
    p.field = "nope";
    STREQ(error_of(&ms), "squares: no field 'nope' for panel (a) (fields: v, why, cat, pop, text)",
          "a missing field, with the fields there are");
    v_panel(&p);
    p.classes = 12;
    STREQ(error_of(&ms), "panel (a) (v): 12 classes; a map takes 1 to 9", "too many classes");
    v_panel(&p);
    p.reason_field = "reason";
    STREQ(error_of(&ms), "squares: no field 'reason' for reason (fields: v, why, cat, pop, text)",
          "a missing reason field");
    v_panel(&p);
    p.method = GPCOV_BREAKS_FIXED;
    p.classes = 2;
    p.fixed = (const double[]){0, 5, 9};
    STREQ(error_of(&ms),
          "squares: 0106: field 'v' = 10 lies outside the fixed breaks 0 to 9 (make the first "
          "edge -inf or the last inf to open the end classes)",
          "a value beyond the fixed breaks, naming the unit");
    v_panel(&p);
    p.field = "text";
    STREQ(error_of(&ms), "squares: 0104: field 'text' holds 'many', not a number",
          "text that is not a number");
    v_panel(&p);
    p.field = "v";
    p.categorical = 1;
    STREQ(error_of(&ms),
          "squares: 0102: categorical field 'v' holds 2; a categorical panel needs true/false "
          "or 1/0",
          "a categorical number other than 0 or 1");
    v_panel(&p);
    p.field = "why";
    p.categorical = 1;
    ms.units_src = "kommuner.gpkg";
    STREQ(error_of(&ms),
          "kommuner.gpkg: 0107: field 'why' holds 'excluded', not true/false, 1/0 or undecided",
          "a categorical text it cannot read, named by the units' file");
}

static void case_all_null(void)
{
    struct gpcov_layer *l = gpcov_layer_new("empty");
    gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    gpcov_layer_append(ctx, l, "0101",
                       tf_wkt(ctx, "POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))"));
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    v_panel(&p);
    p.reason_field = NULL;
    spec_of(&ms, &p, 1);
    ms.units = l;
    STREQ(error_of(&ms), "empty: field 'v' has no values to map (all null)", "all values null");
    gpcov_layer_free(ctx, l);
}

/* Five reasons: the first four get rows of their own, the fifth goes
** under the no-data label with the units that give none. */
static void case_many_reasons(void)
{
    static const char *why[7] = {NULL, "r1", "r2", "r1", "r3", "r4", "r5"};
    struct gpcov_layer *l = gpcov_layer_new("reasons");
    int fv = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    int fw = gpcov_layer_add_field(ctx, l, "why", GPCOV_STR);
    for (int i = 0; i < 8; i++) {
        char key[16], wkt[200];
        snprintf(key, sizeof key, "%04d", 201 + i);
        snprintf(wkt, sizeof wkt, "POLYGON((%d 0,%d 0,%d 1000,%d 1000,%d 0))", 1000 * i,
                 1000 * i + 1000, 1000 * i + 1000, 1000 * i, 1000 * i);
        long j = gpcov_layer_append(ctx, l, key, tf_wkt(ctx, wkt));
        if (i == 0)
            gpcov_layer_set_num(ctx, l, (size_t)j, (size_t)fv, 3);
        else if (i < 7)
            gpcov_layer_set_str(ctx, l, (size_t)j, (size_t)fw, why[i]);
    }
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    v_panel(&p);
    p.classes = 1;
    p.decimals = 0;
    spec_of(&ms, &p, 1);
    ms.units = l;
    struct gpcov_symbology *sym = NULL;
    OK(gpcov_symbology_prepare(ctx, &ms, &sym) == GPCOV_OK, "one value and five reasons");
    if (sym)
        STREQ(legend_text(sym, 0), "3 (1); r1 (2); r2 (1); r3 (1); r4 (1); no data (2)",
              "one class of the single value; four reasons first seen first, r1 twice; "
              "the fifth reason and the unit without one under 'no data'");
    gpcov_symbology_free(sym);
    gpcov_layer_free(ctx, l);
}

/* One class over units that all hold 3: its edges are equal, and its
** label should read "3", as the class_label branch for equal edges means
** (the automatic decimals now add six, "3.000000": a known bug). */
static void case_one_value(void)
{
    struct gpcov_layer *l = gpcov_layer_new("same");
    int fv = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    for (int i = 0; i < 2; i++) {
        char wkt[200];
        snprintf(wkt, sizeof wkt, "POLYGON((%d 0,%d 0,%d 1000,%d 1000,%d 0))", 1000 * i,
                 1000 * i + 1000, 1000 * i + 1000, 1000 * i, 1000 * i);
        long j = gpcov_layer_append(ctx, l, i ? "0302" : "0301", tf_wkt(ctx, wkt));
        gpcov_layer_set_num(ctx, l, (size_t)j, (size_t)fv, 3);
    }
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    v_panel(&p);
    p.classes = 1;
    p.reason_field = NULL;
    spec_of(&ms, &p, 1);
    ms.units = l;
    struct gpcov_symbology *sym = NULL;
    OK(gpcov_symbology_prepare(ctx, &ms, &sym) == GPCOV_OK, "one class of one value");
    if (sym)
        STREQ(legend_text(sym, 0), "3 (2)", "its label is the value, without needless decimals");
    gpcov_symbology_free(sym);
    gpcov_layer_free(ctx, l);
}

int main(void)
{
    ctx = gpcov_ctx_new();
    make_layer();
    RUN(case_equal_classes);
    RUN(case_fixed_open_ends);
    RUN(case_counts_and_comma);
    RUN(case_categorical);
    RUN(case_numbers);
    RUN(case_errors);
    RUN(case_all_null);
    RUN(case_many_reasons);
    RUN(case_one_value);
    gpcov_layer_free(ctx, layer);
    gpcov_ctx_free(ctx);
    return tap_done();
}
