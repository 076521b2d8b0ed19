/* test_layout.c: the page of a prepared figure (layout.c).  A mock Denmark
** of squares: a grid for the mainland, one square in the capital area and
** one east of easting 800 km (Bornholm).  For one, two and four panels the
** page holds every panel inside its margins, the panels side by side with
** their gap and not overlapping; in each panel the main map, the capital
** inset and the Bornholm box lie inside it and apart; the legend lies
** inside the panel, clear of the insets and of every unit, as tall as its
** rows and as wide as its widest row measured afresh; wrapped titles fit
** the page.  Edge cases: no Bornholm box when every unit lies east, no
** capital inset for a small map or when asked; the error of a layer
** without polygons. */
#include "gpcov.h"
#include "map/layout.h"
#include "tap.h"
#include "testfile.h"

#include <math.h>
#include <stdlib.h>

static gpcov_ctx *ctx;

#define EPS 1e-6

static void add_square(struct gpcov_layer *l, int fv, double x0, double y0, double x1, double y1)
{
    char key[16], wkt[300];
    snprintf(key, sizeof key, "%04zu", l->n + 101);
    snprintf(wkt, sizeof wkt, "POLYGON((%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f))", x0,
             y0, x1, y0, x1, y1, x0, y1, x0, y0);
    long j = gpcov_layer_append(ctx, l, key, tf_wkt(ctx, wkt));
    gpcov_layer_set_num(ctx, l, (size_t)j, (size_t)fv, (double)j);
}

/* The mainland as a grid of 20 km squares from easting 450 to 690 km and
** northing 6050 to 6350 km, a square in the capital area, and, when east,
** one on Bornholm. */
static struct gpcov_layer *denmark(int east)
{
    struct gpcov_layer *l = gpcov_layer_new("dk");
    int fv = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    for (double x = 450000; x < 690000; x += 40000)
        for (double y = 6050000; y < 6350000; y += 60000)
            add_square(l, fv, x, y, x + 20000, y + 20000);
    add_square(l, fv, 715000, 6170000, 725000, 6180000);
    if (east)
        add_square(l, fv, 870000, 6100000, 890000, 6130000);
    return l;
}

static void panels(struct gpcov_map_panel *p, size_t n)
{
    static const char *titles[4] = {"Patients per GP", NULL,
                                    "A rather long panel title that must wrap onto a second "
                                    "line in a narrow panel",
                                    "Share of people over 80"};
    for (size_t i = 0; i < n; i++) {
        gpcov_map_panel_init(&p[i]);
        p[i].field = "v";
        p[i].classes = (int)(3 + i);
        p[i].title = titles[i];
    }
    if (n > 1)
        p[1].unit = "patients per capacity"; /* a header row */
}

static struct gpcov_figure *prepare(struct gpcov_map_spec *ms, const struct gpcov_layer *l,
                                    struct gpcov_map_panel *p, size_t n)
{
    gpcov_map_spec_init(ms);
    ms->units = l;
    ms->panels = p;
    ms->npanels = n;
    ms->title = "Coverage of general practice in a mock Denmark of squares, with a title long "
                "enough to wrap";
    struct gpcov_figure *fig = NULL;
    gpcov_status st = gpcov_figure_prepare(ctx, ms, &fig);
    OK(st == GPCOV_OK && fig, "%zu panel(s): the figure is prepared: %s", n,
       st ? gpcov_ctx_message(ctx) : "");
    return fig;
}

static int inside(struct rect a, struct rect o)
{
    return a.x0 >= o.x0 - EPS && a.x1 <= o.x1 + EPS && a.y0 >= o.y0 - EPS && a.y1 <= o.y1 + EPS;
}

static int overlap(struct rect a, struct rect b)
{
    return a.x0 < b.x1 - EPS && b.x0 < a.x1 - EPS && a.y0 < b.y1 - EPS && b.y0 < a.y1 - EPS;
}

/* Does a unit's envelope, in the main view, meet r (panel points)? */
static int unit_under(const struct gpcov_figure *fig, const struct gpcov_layer *l, struct rect r)
{
    const struct view *v = &fig->views[V_MAIN];
    for (size_t i = 0; i < l->n; i++) {
        double x0, y0, x1, y1;
        GEOSGeom_getExtent_r(gpcov_ctx_geos(ctx), l->geoms[i], &x0, &y0, &x1, &y1);
        if (fig->views[V_EAST].on && x0 >= EAST_X)
            continue; /* drawn in the box */
        struct rect u = {vx(v, x0), vy(v, y1), vx(v, x1), vy(v, y0)};
        if (overlap(u, r))
            return 1;
    }
    return 0;
}

/* The widest legend row of panel p measured here: swatch, gap, label,
** gap, count; and the header. */
static double widest_row(cairo_t *cr, const struct gpcov_figure *fig, size_t p)
{
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    const char *header = NULL;
    size_t n = gpcov_figure_legend_rows(fig, p, rows, &header);
    double w = 0;
    cairo_text_extents_t e;
    if (header) {
        set_font(cr, 1, 0, LEGEND_SIZE);
        cairo_text_extents(cr, header, &e);
        w = e.x_advance;
    }
    for (size_t r = 0; r < n; r++) {
        set_font(cr, 0, 0, LEGEND_SIZE);
        cairo_text_extents(cr, rows[r].label, &e);
        double rw = SWATCH_W + 5 + e.x_advance;
        set_font(cr, 0, 0, LEGEND_SIZE * 0.9);
        cairo_text_extents(cr, rows[r].count, &e);
        rw += 4 + e.x_advance;
        w = fmax(w, rw);
    }
    return w;
}

static void check_page(const struct gpcov_figure *fig, size_t n)
{
    double want_w = n == 1 ? 576 : 432.0 * (double)n;
    OK(fig->W == want_w, "%zu panel(s): the page is %g points wide (%g)", n, want_w, fig->W);
    double content = fmax(fig->hm, fig->legend.y1);
    struct rect page = {MARGIN, MARGIN, fig->W - MARGIN, fig->H - MARGIN * 0.75};
    int in = 1, apart = 1;
    for (size_t p = 0; p < n; p++) {
        struct rect P = {panel_x(fig, p), fig->map_top, panel_x(fig, p) + fig->pw,
                         fig->map_top + content};
        in &= inside(P, page);
        if (p + 1 < n)
            apart &= panel_x(fig, p + 1) - P.x1 >= PANEL_GAP - EPS;
    }
    OK(in, "%zu panel(s): every panel inside the page's margins", n);
    OK(apart, "%zu panel(s): the panels side by side, %g points apart", n, PANEL_GAP);
    OK(fabs(panel_x(fig, n - 1) + fig->pw - (fig->W - MARGIN)) < EPS,
       "%zu panel(s): the last panel ends at the right margin", n);
    OK(fig->ptitle_y > MARGIN && fig->ptitle_y < fig->map_top,
       "%zu panel(s): the panel titles between the page title and the maps", n);
}

static void check_panel(const struct gpcov_figure *fig, const struct gpcov_layer *l, size_t n,
                        cairo_t *cr)
{
    double content = fmax(fig->hm, fig->legend.y1);
    struct rect panel = {0, 0, fig->pw, content};
    struct rect vr[NVIEWS];
    int in = 1, apart = 1;
    for (int a = 0; a < NVIEWS; a++) {
        vr[a] = view_rect(&fig->views[a]);
        if (fig->views[a].on)
            in &= inside(vr[a], panel);
        for (int b = 0; b < a; b++)
            if (fig->views[a].on && fig->views[b].on)
                apart &= !overlap(vr[a], vr[b]);
    }
    OK(in, "%zu panel(s): the main map and the insets lie inside the panel", n);
    OK(apart, "%zu panel(s): the main map, capital inset and Bornholm box do not overlap", n);
    OK(inside(fig->legend, panel), "%zu panel(s): the legend lies inside the panel", n);
    OK((!fig->views[V_CPH].on || !overlap(fig->legend, vr[V_CPH])) &&
           (!fig->views[V_EAST].on || !overlap(fig->legend, vr[V_EAST])),
       "%zu panel(s): the legend clear of the insets", n);
    OK(!unit_under(fig, l, fig->legend), "%zu panel(s): the legend covers no unit", n);
    OK(!fig->views[V_CPH].on || fig->inset_label_y >= fig->legend.y1,
       "%zu panel(s): the inset's label below the legend", n);
    double lw = 0, lh = 0;
    for (size_t p = 0; p < n; p++) {
        struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
        const char *header = NULL;
        size_t nr = gpcov_figure_legend_rows(fig, p, rows, &header);
        lh = fmax(lh, (double)nr * ROW_H + (header ? ROW_H + 1 : 0));
        lw = fmax(lw, widest_row(cr, fig, p));
    }
    NEAR(fig->legend.y1 - fig->legend.y0, lh, EPS,
         "%zu panel(s): the legend as tall as its rows (%g)", n, lh);
    OK(fig->legend.x1 - fig->legend.x0 >= lw - EPS,
       "%zu panel(s): the legend as wide as its widest row (%g >= %g)", n,
       fig->legend.x1 - fig->legend.x0, lw);
    int fits = 1;
    set_font(cr, 1, 0, TITLE_SIZE);
    for (size_t i = 0; i < fig->title.n; i++)
        fits &= text_w(cr, fig->title.v[i]) <= fig->W - 2 * MARGIN + EPS;
    size_t want = text_w(cr, fig->spec->title) > fig->W - 2 * MARGIN ? 2 : 1;
    OK(fig->title.n == want && fits, "%zu panel(s): the title in %zu line(s) within the page", n,
       fig->title.n);
    OK(!fig->scale_km || (fig->scale_x >= 0 && fig->scale_y <= fig->hm),
       "%zu panel(s): the scale bar in the main map", n);
}

static void case_panels(cairo_t *cr)
{
    struct gpcov_layer *l = denmark(1);
    for (size_t n = 1; n <= GPCOV_MAP_MAX_PANELS; n *= 2) {
        struct gpcov_map_spec ms;
        struct gpcov_map_panel p[GPCOV_MAP_MAX_PANELS];
        panels(p, n);
        struct gpcov_figure *fig = prepare(&ms, l, p, n);
        if (!fig)
            continue;
        OK(fig->views[V_MAIN].on && fig->views[V_CPH].on && fig->views[V_EAST].on,
           "%zu panel(s): main map, capital inset and Bornholm box", n);
        check_page(fig, n);
        check_panel(fig, l, n, cr);
        double w, h, px, py;
        gpcov_figure_size(fig, &w, &h);
        OK(w == fig->W && h == fig->H && h > fig->map_top, "%zu panel(s): the page size", n);
        int loc = gpcov_figure_locate(fig, n - 1, 880000, 6115000, &px, &py);
        struct rect b = view_rect(&fig->views[V_EAST]);
        double x0 = panel_x(fig, n - 1);
        OK(loc == 0 && px > x0 + b.x0 && px < x0 + b.x1 && py > fig->map_top + b.y0 &&
               py < fig->map_top + b.y1,
           "%zu panel(s): a point on Bornholm lands in the box of the last panel", n);
        OK(gpcov_figure_locate(fig, n, 880000, 6115000, &px, &py) == -1,
           "%zu panel(s): no panel beyond the last", n);
        gpcov_figure_free(fig);
    }
    gpcov_layer_free(ctx, l);
}

/* The views of a one-panel figure of l, with the insets as asked. */
static void views_of(const struct gpcov_layer *l, int cph, int east, int on[NVIEWS])
{
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    panels(&p, 1);
    gpcov_map_spec_init(&ms);
    ms.units = l;
    ms.panels = &p;
    ms.npanels = 1;
    ms.inset_copenhagen = cph;
    ms.inset_bornholm = east;
    p.classes = 1;
    struct gpcov_figure *fig = NULL;
    on[0] = on[1] = on[2] = -1;
    if (gpcov_figure_prepare(ctx, &ms, &fig) != GPCOV_OK)
        printf("# %s\n", gpcov_ctx_message(ctx));
    else
        for (int v = 0; v < NVIEWS; v++)
            on[v] = fig->views[v].on;
    gpcov_figure_free(fig);
}

static void case_insets(void)
{
    int on[NVIEWS];
    struct gpcov_layer *l = denmark(0);
    views_of(l, 1, 1, on);
    OK(on[V_MAIN] == 1 && on[V_CPH] == 1 && on[V_EAST] == 0,
       "nothing east of 800 km: no Bornholm box");
    views_of(l, 0, 1, on);
    OK(on[V_MAIN] == 1 && on[V_CPH] == 0, "no capital inset when not asked");
    gpcov_layer_free(ctx, l);
    l = denmark(1);
    views_of(l, 1, 0, on);
    OK(on[V_MAIN] == 1 && on[V_EAST] == 0, "no Bornholm box when not asked");
    gpcov_layer_free(ctx, l);
    /* 60 km wide: less than three times the 47 km of the capital area */
    l = gpcov_layer_new("small");
    int fv = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    add_square(l, fv, 680000, 6160000, 710000, 6190000);
    add_square(l, fv, 710000, 6160000, 740000, 6190000);
    views_of(l, 1, 1, on);
    OK(on[V_MAIN] == 1 && on[V_CPH] == 0 && on[V_EAST] == 0,
       "a map of the capital area itself: no inset");
    gpcov_layer_free(ctx, l);
    l = gpcov_layer_new("east");
    fv = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    add_square(l, fv, 860000, 6100000, 880000, 6120000);
    add_square(l, fv, 880000, 6100000, 900000, 6120000);
    views_of(l, 1, 1, on);
    OK(on[V_MAIN] == 1 && on[V_EAST] == 0, "every unit east: a plain map, no box");
    gpcov_layer_free(ctx, l);
}

static void case_errors(void)
{
    struct gpcov_layer *l = gpcov_layer_new("dk");
    int fv = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    long j = gpcov_layer_append(ctx, l, "0101", tf_wkt(ctx, "POLYGON EMPTY"));
    gpcov_layer_set_num(ctx, l, (size_t)j, (size_t)fv, 1);
    struct gpcov_map_spec ms;
    struct gpcov_map_panel p;
    panels(&p, 1);
    p.categorical = 1; /* classes without values: the polygons are missed first */
    gpcov_map_spec_init(&ms);
    ms.units = l;
    ms.panels = &p;
    ms.npanels = 1;
    struct gpcov_figure *fig = NULL;
    gpcov_status st = gpcov_figure_prepare(ctx, &ms, &fig);
    OK(st == GPCOV_EINPUT && !fig, "a layer without polygons is refused");
    STREQ(gpcov_ctx_message(ctx), "dk: no polygons to draw", "with its message");
    gpcov_layer_free(ctx, l);
}

int main(void)
{
    ctx = gpcov_ctx_new();
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    gpcov_figure_font_options(cr);
    RUN_ON(case_panels, cr);
    RUN(case_insets);
    RUN(case_errors);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    gpcov_ctx_free(ctx);
    return tap_done();
}
