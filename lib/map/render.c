/*
** render.c: the prepared figure drawn.  A panel is a choropleth of the
** units (municipalities): each class filled with its colour (symbology.c),
** "no data" in a hatched light grey, thin light-grey unit borders under
** thicker dark region borders, and optional point markers with their
** labels where layout.c placed them; beside it the legend, the capital
** inset with its frame and leader lines, the Bornholm box and a scale bar.
** gpcov_figure_draw paints the whole page onto any cairo surface;
** render_out.c makes the surfaces and the files.  Every GEOS call goes
** through the context's reentrant handle.
*/
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MIN_STEP 0.25 /* points */

/* ------------------------------------------------------------------ text */

static void text_at(cairo_t *cr, double x, double y, const char *s)
{
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
}

/* Text with a white halo, for labels over the map. */
static void text_halo(cairo_t *cr, double x, double y, const char *s)
{
    cairo_save(cr);
    cairo_move_to(cr, x, y);
    cairo_text_path(cr, s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.6);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_restore(cr);
    text_at(cr, x, y, s);
}

/* ------------------------------------------------------------- geometry */

static int env_in_view(const double e[4], const struct view *v)
{
    return e[0] <= v->sx1 && e[2] >= v->sx0 && e[1] <= v->sy1 && e[3] >= v->sy0;
}

/* Adds one ring or line to the path, dropping vertices closer than
** MIN_STEP points to the last one kept: they change nothing a reader sees
** (a quarter of a pixel at 200 dpi) and would only swell SVG and PDF. */
static void path_coords(cairo_t *cr, GEOSContextHandle_t h,
                        const GEOSGeometry *line, const struct view *v,
                        int close)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, line);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n < 2)
        return;
    double lx = 0, ly = 0;
    for (unsigned int i = 0; i < n; i++) {
        double x, y;
        if (!GEOSCoordSeq_getXY_r(h, cs, i, &x, &y))
            return;
        double px = vx(v, x), py = vy(v, y);
        if (i == 0) {
            cairo_move_to(cr, px, py);
        } else if (i + 1 == n || fabs(px - lx) >= MIN_STEP ||
                   fabs(py - ly) >= MIN_STEP) {
            cairo_line_to(cr, px, py);
        } else {
            continue;
        }
        lx = px;
        ly = py;
    }
    if (close)
        cairo_close_path(cr);
}

/* Adds the rings (or lines) of g to the current path. */
static void path_geom(cairo_t *cr, GEOSContextHandle_t h,
                      const GEOSGeometry *g, const struct view *v)
{
    switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POLYGON: {
        const GEOSGeometry *ext = GEOSGetExteriorRing_r(h, g);
        if (ext)
            path_coords(cr, h, ext, v, 1);
        int ni = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < ni; i++) {
            const GEOSGeometry *in = GEOSGetInteriorRingN_r(h, g, i);
            if (in)
                path_coords(cr, h, in, v, 1);
        }
        break;
    }
    case GEOS_LINESTRING:
        path_coords(cr, h, g, v, 0);
        break;
    case GEOS_LINEARRING:
        path_coords(cr, h, g, v, 1);
        break;
    case GEOS_MULTIPOLYGON:
    case GEOS_MULTILINESTRING:
    case GEOS_GEOMETRYCOLLECTION: {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
            if (part)
                path_geom(cr, h, part, v);
        }
        break;
    }
    default:
        break;
    }
}

/* ------------------------------------------------------------------ draw */

static void set_rgb(cairo_t *cr, const double *rgb)
{
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

static void set_grey(cairo_t *cr, double g)
{
    cairo_set_source_rgb(cr, g, g, g);
}

/* Diagonal hatching over the rectangle, clipped by the current clip. */
static void hatch(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    double rgb[3];
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA_HATCH, rgb);
    set_rgb(cr, rgb);
    cairo_set_line_width(cr, 0.4);
    double h = y1 - y0, step = 2.6;
    /* lines x - y = const, on a grid fixed to the page so that neighbours
    ** join up */
    double start = floor((x0 - h) / step) * step;
    for (double t = start; t <= x1; t += step) {
        cairo_move_to(cr, t, y1);
        cairo_line_to(cr, t + h, y0);
    }
    cairo_stroke(cr);
}

static void marker(cairo_t *cr, double x, double y)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, MARKER_R, 0, TAU);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    set_grey(cr, 0.1);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, 0.7, 0, TAU);
    cairo_fill(cr);
}

/* The fills; polygons made of runs of cells (bands) are filled without
** antialiasing, which would let the paper show through every shared edge
** as a hairline. */
static void draw_fills(const struct gpcov_figure *fig, const struct sym_panel *P,
                       const struct view *v, cairo_t *cr)
{
    int east_view = v == &fig->views[V_EAST];
    if (fig->spec->no_unit_borders)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (size_t i = 0; i < fig->nunits; i++) {
        const struct unit *u = &fig->units[i];
        double e[4];
        const GEOSGeometry *ug = unit_part(u, east_view, e);
        if (!ug || !env_in_view(e, v) || P->cls[i] == -2)
            continue;
        cairo_new_path(cr);
        path_geom(cr, fig->geos, ug, v);
        if (P->cls[i] >= 0) {
            set_rgb(cr, P->rgb[P->cls[i]]);
            cairo_fill(cr);
        } else {
            double rgb[3];
            gpcov_palette_fixed(GPCOV_COLOUR_NODATA, rgb);
            set_rgb(cr, rgb);
            cairo_save(cr);
            cairo_fill_preserve(cr);
            cairo_clip(cr);
            hatch(cr, vx(v, e[0]), vy(v, e[3]), vx(v, e[2]), vy(v, e[1]));
            cairo_restore(cr);
        }
    }
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
}

/* The municipality borders: thin and light under the region borders (so
** that two pale neighbours still part), darker when there are no region
** borders, for then they also draw the coast; then the regions. */
static void draw_borders(const struct gpcov_figure *fig, const struct sym_panel *P,
                         const struct view *v, cairo_t *cr)
{
    const struct gpcov_map_spec *spec = fig->spec;
    GEOSContextHandle_t h = fig->geos;
    int east_view = v == &fig->views[V_EAST];
    cairo_new_path(cr);
    for (size_t i = 0; i < fig->nunits; i++) {
        double e[4];
        const GEOSGeometry *ug = unit_part(&fig->units[i], east_view, e);
        if (ug && env_in_view(e, v) && P->cls[i] != -2)
            path_geom(cr, h, ug, v);
    }
    double bgrey, bwidth;
    gpcov_symbology_border(spec, &bgrey, &bwidth);
    set_grey(cr, bgrey);
    cairo_set_line_width(cr, bwidth);
    if (spec->no_unit_borders)
        cairo_new_path(cr);
    else
        cairo_stroke(cr);
    if (!spec->outline)
        return;
    const struct gpcov_layer *o = spec->outline;
    cairo_new_path(cr);
    for (size_t i = 0; i < o->n; i++) {
        double x0, y0, x1, y1;
        if (!o->geoms || envelope(h, o->geoms[i], &x0, &y0, &x1, &y1) != 0)
            continue;
        if (x0 > v->sx1 || x1 < v->sx0 || y0 > v->sy1 || y1 < v->sy0)
            continue;
        path_geom(cr, h, o->geoms[i], v);
    }
    set_grey(cr, 0.15);
    cairo_set_line_width(cr, 0.7);
    cairo_stroke(cr);
}

static void draw_view(const struct gpcov_figure *fig, const struct sym_panel *P,
                      const struct view *v, cairo_t *cr, int frame)
{
    struct rect r = view_rect(v);
    cairo_save(cr);
    if (frame) {
        cairo_rectangle(cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    cairo_clip(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    draw_fills(fig, P, v, cr);
    draw_borders(fig, P, v, cr);
    /* markers */
    for (size_t i = 0; i < fig->npoints; i++)
        if (marker_shown(fig, (int)(v - fig->views), fig->points[i].x,
                         fig->points[i].y))
            marker(cr, vx(v, fig->points[i].x), vy(v, fig->points[i].y));
    cairo_restore(cr);
    if (frame) {
        cairo_rectangle(cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
        set_grey(cr, 0.2);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
}

static void swatch(cairo_t *cr, double x, double y, const struct sym_row *r)
{
    cairo_new_path(cr);
    if (r->kind != ROW_POINTS)
        cairo_rectangle(cr, x, y, SWATCH_W, SWATCH_H);
    if (r->kind == ROW_CLASS) {
        set_rgb(cr, r->rgb);
        cairo_fill(cr);
    } else if (r->kind == ROW_NODATA) {
        double rgb[3];
        gpcov_palette_fixed(GPCOV_COLOUR_NODATA, rgb);
        set_rgb(cr, rgb);
        cairo_save(cr);
        cairo_fill_preserve(cr);
        cairo_clip(cr);
        hatch(cr, x, y, x + SWATCH_W, y + SWATCH_H);
        cairo_restore(cr);
        cairo_new_path(cr);
    }
    if (r->kind != ROW_POINTS) {
        cairo_rectangle(cr, x, y, SWATCH_W, SWATCH_H);
        set_grey(cr, 0.45);
        cairo_set_line_width(cr, 0.35);
        cairo_stroke(cr);
    } else {
        marker(cr, x + SWATCH_W / 2, y + SWATCH_H / 2);
    }
}

static void draw_legend(const struct gpcov_figure *fig, size_t pi,
                        cairo_t *cr)
{
    const struct sym_panel *P = &fig->sym->panels[pi];
    const struct panel_text *T = &fig->text[pi];
    double x = fig->legend.x0, y = fig->legend.y0;
    set_grey(cr, 0.1);
    if (P->header) {
        set_font(cr, 1, 0, LEGEND_SIZE);
        text_at(cr, x, y + LEGEND_SIZE * 0.9, P->header);
        y += ROW_H + 1;
    }
    size_t nrows = P->nrows + (fig->spec->point_legend && fig->npoints ? 1 : 0);
    for (size_t i = 0; i < nrows; i++) {
        struct sym_row pts = {.kind = ROW_POINTS};
        const struct sym_row *r = i < P->nrows ? &P->rows[i] : &pts;
        const char *lab = i < P->nrows ? r->label : fig->spec->point_legend;
        swatch(cr, x, y, r);
        double base = y + SWATCH_H / 2 + LEGEND_SIZE * 0.36;
        set_grey(cr, 0.1);
        set_font(cr, 0, 0, LEGEND_SIZE);
        text_at(cr, x + SWATCH_W + 5, base, lab);
        if (r->count[0]) {
            double tx = x + SWATCH_W + 5 + text_w(cr, lab) + 4;
            set_font(cr, 0, 0, LEGEND_SIZE * 0.9);
            set_grey(cr, 0.45);
            text_at(cr, tx, base, r->count);
        }
        y += ROW_H;
    }
    if (T->note.n) {
        y += 4;
        set_font(cr, 0, 1, NOTE_SIZE);
        set_grey(cr, 0.3);
        for (size_t i = 0; i < T->note.n; i++) {
            y += NOTE_SIZE + 2;
            text_at(cr, x, y - 2, T->note.v[i]);
        }
    }
}

/* A scale bar of km kilometres at points per metre s, from (x, y). */
static void draw_scale(const struct gpcov_figure *fig, cairo_t *cr, double s, int km, double x,
                       double y)
{
    double len = km * 1000.0 * s, hgt = 2.6;
    /* a pale backing, so that coasts beyond the units do not cross it */
    set_font(cr, 0, 0, SMALL_SIZE);
    cairo_rectangle(cr, x - 3, y - hgt - SMALL_SIZE - 4, len + text_w(cr, " km") + 8,
                    hgt + SMALL_SIZE + 6);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_fill(cr);
    for (int i = 0; i < 2; i++) {
        cairo_rectangle(cr, x + i * len / 2, y - hgt, len / 2, hgt);
        if (i == 0)
            set_grey(cr, 0.15);
        else
            cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        set_grey(cr, 0.15);
        cairo_set_line_width(cr, 0.4);
        cairo_stroke(cr);
    }
    set_font(cr, 0, 0, SMALL_SIZE);
    set_grey(cr, 0.15);
    char a[32], b[32];
    snprintf(a, sizeof a, "%d", km / 2);
    if (km % 2)
        snprintf(a, sizeof a, fig->spec->decimal_comma ? "%d,5" : "%d.5", km / 2);
    snprintf(b, sizeof b, "%d km", km);
    double ty = y - hgt - 2.5;
    text_at(cr, x - text_w(cr, "0") / 2, ty, "0");
    text_at(cr, x + len / 2 - text_w(cr, a) / 2, ty, a);
    text_at(cr, x + len - text_w(cr, "0") / 2, ty, b);
}

static void draw_panel(const struct gpcov_figure *fig, size_t pi, cairo_t *cr)
{
    const struct sym_panel *P = &fig->sym->panels[pi];
    const struct panel_text *T = &fig->text[pi];
    double px = panel_x(fig, pi);

    /* title: "(a) " in bold, then the title, wrapped */
    set_grey(cr, 0.05);
    double y = fig->ptitle_y;
    for (size_t i = 0; i < T->title.n; i++) {
        double x = px;
        if (i == 0 && fig->np > 1) {
            set_font(cr, 1, 0, PTITLE_SIZE);
            text_at(cr, x, y, P->letter);
            x += text_w(cr, P->letter) + text_w(cr, " ");
        }
        set_font(cr, 0, 0, PTITLE_SIZE);
        text_at(cr, x, y, T->title.v[i]);
        y += PTITLE_SIZE + 3;
    }

    cairo_save(cr);
    cairo_translate(cr, px, fig->map_top);
    draw_view(fig, P, &fig->views[V_MAIN], cr, 0);
    const struct view *cv = &fig->views[V_CPH];
    if (cv->on) {
        /* the inset's frame on the main map, and leader lines */
        const struct view *m = &fig->views[V_MAIN];
        double fx0 = vx(m, CPH[0]), fx1 = vx(m, CPH[2]);
        double fy0 = vy(m, CPH[3]), fy1 = vy(m, CPH[1]);
        struct rect ir = view_rect(cv);
        set_grey(cr, 0.5);
        cairo_set_line_width(cr, 0.4);
        cairo_move_to(cr, fx1, fy0);
        cairo_line_to(cr, ir.x0, ir.y0);
        cairo_move_to(cr, fx1, fy1);
        cairo_line_to(cr, ir.x0, ir.y1);
        cairo_stroke(cr);
        cairo_rectangle(cr, fx0, fy0, fx1 - fx0, fy1 - fy0);
        set_grey(cr, 0.1);
        cairo_set_line_width(cr, 0.7);
        cairo_stroke(cr);
        draw_view(fig, P, cv, cr, 1);
        set_font(cr, 0, 0, SMALL_SIZE);
        set_grey(cr, 0.15);
        text_at(cr, ir.x0, fig->inset_label_y, fig->inset_label);
    }
    if (fig->views[V_EAST].on)
        draw_view(fig, P, &fig->views[V_EAST], cr, 1);
    draw_legend(fig, pi, cr);

    /* the units' names, then the point labels over everything */
    set_font(cr, 0, 0, LABEL_SIZE);
    set_grey(cr, 0.3);
    for (size_t i = 0; i < fig->nulabels; i++)
        text_halo(cr, fig->ulabels[i].x, fig->ulabels[i].y, fig->ulabels[i].text);
    set_grey(cr, 0.05);
    for (size_t i = 0; i < fig->npoints; i++)
        for (int vi = 0; vi < NVIEWS; vi++)
            if (fig->points[i].placed[vi])
                text_halo(cr, fig->points[i].lx[vi], fig->points[i].ly[vi],
                          fig->points[i].label);
    if (pi == 0 && fig->scale_km)
        draw_scale(fig, cr, fig->views[V_MAIN].s, fig->scale_km, fig->scale_x, fig->scale_y);
    const struct view *ev = &fig->views[V_EAST];
    if (pi == 0 && ev->on && ev->s < fig->views[V_MAIN].s * 0.999) {
        /* the box at its own scale: its own bar, a round length within a
        ** third of its width */
        struct rect r = view_rect(ev);
        static const int nice[] = {1, 2, 5, 10, 20, 25, 50};
        int km = 0;
        for (size_t i = 0; i < sizeof nice / sizeof *nice; i++)
            if (nice[i] * 1000.0 * ev->s <= (r.x1 - r.x0) / 3)
                km = nice[i];
        if (km)
            draw_scale(fig, cr, ev->s, km, r.x0 + 6, r.y1 - 5);
    }
    cairo_restore(cr);
}

gpcov_status gpcov_figure_draw(gpcov_ctx *ctx, const struct gpcov_figure *fig,
                               cairo_t *cr)
{
    gpcov_figure_font_options(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    set_grey(cr, 0.05);
    set_font(cr, 1, 0, TITLE_SIZE);
    double y = MARGIN + TITLE_SIZE * 0.8;
    for (size_t i = 0; i < fig->title.n; i++) {
        text_at(cr, MARGIN, y, fig->title.v[i]);
        y += TITLE_SIZE + 3;
    }
    for (size_t p = 0; p < fig->np; p++)
        draw_panel(fig, p, cr);

    set_font(cr, 0, 0, FOOT_SIZE);
    set_grey(cr, 0.1);
    for (size_t i = 0; i < fig->foot.n; i++)
        text_at(cr, MARGIN, fig->foot_y + (double)i * (FOOT_SIZE + 2.5), fig->foot.v[i]);
    set_font(cr, 0, 0, SMALL_SIZE);
    set_grey(cr, 0.3);
    y = fig->H - MARGIN * 0.75 - (double)fig->attr.n * (SMALL_SIZE + 2.5) +
        SMALL_SIZE;
    for (size_t i = 0; i < fig->attr.n; i++) {
        text_at(cr, MARGIN, y, fig->attr.v[i]);
        y += SMALL_SIZE + 2.5;
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cairo: %s",
                         cairo_status_to_string(cairo_status(cr)));
    return GPCOV_OK;
}
