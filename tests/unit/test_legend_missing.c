/* test_legend_missing.c: missing values in map legends and the web map.
** Six 10 km squares: a categorical verdict (true, false, "undecided", and
** three without a value: two left out for a stated reason, one with none),
** a number with the same gaps, and people per square.  Checks that
** "undecided" is a class of its own with its own colour, that units
** without a value get one legend row per reason and the no-data label for
** the rest, with counts that add up; that counts can be people or nothing;
** and that the web map carries the reasons for its popup. */
#include "gpcov.h"
#include "map/render_internal.h"
#include "tap.h"
#include "testfile.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static struct gpcov_layer *units(gpcov_ctx *ctx)
{
    static const char *verdict[6] = {"true", "false", "undecided", NULL, NULL, NULL};
    static const char *why[6] = {NULL, NULL, NULL, "udeladt (--exclude)",
                                 "udeladt: ingen værdi for patients", NULL};
    static const double num[6] = {5, 1, NAN, NAN, NAN, NAN};
    static const double pop[6] = {100, 200, 400, 800, 1600, 3200};
    struct gpcov_layer *l = gpcov_layer_new("u");
    int fv = gpcov_layer_add_field(ctx, l, "verdict", GPCOV_STR);
    int fw = gpcov_layer_add_field(ctx, l, "why", GPCOV_STR);
    int fn = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    int fp = gpcov_layer_add_field(ctx, l, "pop", GPCOV_REAL);
    gpcov_layer_add_field(ctx, l, "name", GPCOV_STR);
    for (int i = 0; i < 6; i++) {
        char key[16], wkt[200];
        snprintf(key, sizeof key, "%04d", 101 + i);
        double x = 500000 + 10000 * i;
        snprintf(wkt, sizeof wkt, "POLYGON((%.0f 6100000,%.0f 6100000,%.0f 6110000,%.0f 6110000,%.0f 6100000))",
                 x, x + 10000, x + 10000, x, x);
        long j = gpcov_layer_append(ctx, l, key, tf_wkt(ctx, wkt));
        if (verdict[i])
            gpcov_layer_set_str(ctx, l, (size_t)j, (size_t)fv, verdict[i]);
        if (why[i])
            gpcov_layer_set_str(ctx, l, (size_t)j, (size_t)fw, why[i]);
        if (!isnan(num[i]))
            gpcov_layer_set_num(ctx, l, (size_t)j, (size_t)fn, num[i]);
        gpcov_layer_set_num(ctx, l, (size_t)j, (size_t)fp, pop[i]);
    }
    return l;
}

static size_t rows_of(gpcov_ctx *ctx, const struct gpcov_layer *l, struct gpcov_map_panel *p,
                      struct gpcov_legend_row *rows, struct gpcov_figure **fig)
{
    struct gpcov_map_spec ms;
    gpcov_map_spec_init(&ms);
    ms.units = l;
    ms.npanels = 1;
    ms.panels = p;
    ms.nodata_label = "ingen data";
    ms.inset_copenhagen = ms.inset_bornholm = 0;
    *fig = NULL;
    gpcov_status st = gpcov_figure_prepare(ctx, &ms, fig);
    OK(st == GPCOV_OK, "the figure is prepared: %s", st ? gpcov_ctx_message(ctx) : "");
    return *fig ? gpcov_figure_legend_rows(*fig, 0, rows, NULL) : 0;
}

/* the units every case maps */
static struct gpcov_layer *layer;

/* the verdict panel: true, false, undecided, missing values by reason */
static void verdict_panel(struct gpcov_map_panel *p)
{
    gpcov_map_panel_init(p);
    p->field = "verdict";
    p->categorical = 1;
    p->label_true = "Truet";
    p->label_false = "Ikke truet";
    p->label_undecided = "Uafklaret";
    p->reason_field = "why";
}

/* the verdict: true, false, undecided, then no data by reason */
static void case_verdict(gpcov_ctx *ctx)
{
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    struct gpcov_figure *fig;
    char all[1024];
    struct gpcov_map_panel p;
    verdict_panel(&p);
    size_t n = rows_of(ctx, layer, &p, rows, &fig);
    all[0] = 0;
    for (size_t r = 0; r < n; r++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s %s", r ? "; " : "",
                 rows[r].label, rows[r].count);
    STREQ(all, "Truet (1); Ikke truet (1); Uafklaret (1); udeladt (--exclude) (1); "
               "udeladt: ingen værdi for patients (1); ingen data (1)",
          "legend: undecided is its own row; no data by reason, the rest generic (%s)", all);
    double und[3], nod[3];
    gpcov_palette_fixed(GPCOV_COLOUR_UNDECIDED, und);
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA, nod);
    OK(n >= 3 && rows[2].cls == 2 && memcmp(rows[2].rgb, und, sizeof und) == 0 &&
           memcmp(rows[2].rgb, nod, sizeof nod) != 0,
       "undecided: class 2 in its own colour, not the no-data grey");
    const int *cls = fig ? gpcov_figure_classes(fig, 0) : NULL;
    OK(cls && cls[0] == 1 && cls[1] == 0 && cls[2] == 2 && cls[3] == -1 && cls[5] == -1,
       "units: true 1, false 0, undecided 2, missing -1");
    gpcov_figure_free(fig);
}

/* counts of people, and no counts */
static void case_counts(gpcov_ctx *ctx)
{
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    struct gpcov_figure *fig;
    char all[1024];
    struct gpcov_map_panel p;
    verdict_panel(&p);
    p.count_field = "pop";
    size_t n = rows_of(ctx, layer, &p, rows, &fig);
    all[0] = 0;
    for (size_t r = 0; r < n; r++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", r ? " " : "", rows[r].count);
    STREQ(all, "(100) (200) (400) (800) (1,600) (3,200)", "count=pop: the people in each row (%s)", all);
    gpcov_figure_free(fig);
    p.count_field = "none";
    n = rows_of(ctx, layer, &p, rows, &fig);
    OK(n == 6 && !rows[0].count[0] && !rows[5].count[0], "count=none: no counts");
    gpcov_figure_free(fig);
}

/* a number without a reason field: one generic row, counted right */
static void case_no_reason(gpcov_ctx *ctx)
{
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    struct gpcov_figure *fig;
    struct gpcov_map_panel p;
    gpcov_map_panel_init(&p);
    p.field = "v";
    p.method = GPCOV_BREAKS_EQUAL;
    p.classes = 2;
    size_t n = rows_of(ctx, layer, &p, rows, &fig);
    OK(n == 3 && !strcmp(rows[2].label, "ingen data") && !strcmp(rows[2].count, "(4)"),
       "no reason field: 'ingen data (4)' for all four without a value (%s %s)",
       n == 3 ? rows[2].label : "", n == 3 ? rows[2].count : "");
    gpcov_figure_free(fig);
}

/* the web map: the undecided label and the reason field for the popup */
static void case_webmap(gpcov_ctx *ctx)
{
    struct gpcov_map_panel p;
    char dir[] = "/tmp/gpcov-legend-XXXXXX", path[256];
    if (mkdtemp(dir)) {
        snprintf(path, sizeof path, "%s/m.html", dir);
        gpcov_map_panel_init(&p);
        p.field = "v";
        p.method = GPCOV_BREAKS_EQUAL;
        p.classes = 2;
        p.reason_field = "why";
        struct gpcov_webmap_spec ws;
        gpcov_webmap_spec_init(&ws);
        ws.units = layer;
        ws.npanels = 1;
        ws.panels = &p;
        gpcov_status st = gpcov_webmap_write(ctx, &ws, path, 0, NULL);
        long len;
        char *page = st ? NULL : tf_slurp(path, &len);
        OK(page && strstr(page, "\"reasonField\":\"why\"") &&
               strstr(page, "\"why\": \"udeladt: ingen værdi for patients\""),
           "web map: the reason field and its values are in the page (%s)",
           st ? gpcov_ctx_message(ctx) : "");
        OK(page && strstr(page, "cfg.nodataLabel + ': ' + why"),
           "web map: the popup says why a value is missing");
        free(page);
        unlink(path);
        rmdir(dir);
    }
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    layer = units(ctx);
    RUN_ON(case_verdict, ctx);
    RUN_ON(case_counts, ctx);
    RUN_ON(case_no_reason, ctx);
    RUN_ON(case_webmap, ctx);
    gpcov_layer_free(ctx, layer);
    gpcov_ctx_free(ctx);
    return tap_done();
}
