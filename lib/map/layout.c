/*
** layout.c: the figure 3.8 page laid out.  One page, a main title at the
** top, one panel per indicator side by side, lettered (a), (b), ... with a
** title each, and the sources' attribution lines in small type at the
** bottom.  To the right of each main map a column holds the legend (the
** symbology's rows, symbology.c), a zoomed inset of the capital area and
** Bornholm and Christiansø in a box at the main scale, so that the main map
** ends at the Sound instead of showing mostly Baltic sea.  The legend may
** reach left over empty sea (the Kattegat) when no municipality lies under
** it; otherwise the column widens.  Point markers get labels placed clear
** of each other, the legend and the frames.
** Text is wrapped and measured with cairo's toy text API in DejaVu Sans,
** unhinted, so that the layout is the same on every backend; render.c then
** draws the prepared figure.  Every GEOS call goes through the context's
** reentrant handle.
*/
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ text */

static void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int lines_push(struct lines *l, const char *s, size_t len)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    if (!(v[l->n] = gpcov_strndup(s, len)))
        return -1;
    l->n++;
    return 0;
}

/* Breaks text into lines no wider than maxw (the first line first_w) at
** spaces, and at every newline.  A word wider than a line stays whole.
** Returns 0 or -1 (ENOMEM). */
static int wrap(cairo_t *cr, const char *text, double first_w, double maxw,
                struct lines *out)
{
    if (!text)
        return 0;
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    if (!buf)
        return -1;
    const char *p = text;
    while (*p) {
        double w = out->n ? maxw : first_w;
        size_t best = 0; /* bytes of p that fit on this line */
        for (;;) {
            size_t wend = best;
            while (p[wend] == ' ')
                wend++;
            while (p[wend] && p[wend] != ' ' && p[wend] != '\n')
                wend++;
            if (wend == best)
                break;
            memcpy(buf, p, wend);
            buf[wend] = 0;
            if (best > 0 && text_w(cr, buf) > w)
                break;
            best = wend;
            if (!p[best] || p[best] == '\n')
                break;
        }
        if (lines_push(out, p, best) != 0) {
            free(buf);
            return -1;
        }
        p += best;
        while (*p == ' ')
            p++;
        if (*p == '\n')
            p++;
    }
    free(buf);
    return 0;
}

/* ------------------------------------------------------------- geometry */

static int rects_overlap(struct rect a, struct rect b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static int rect_inside(struct rect a, struct rect outer)
{
    return a.x0 >= outer.x0 && a.x1 <= outer.x1 && a.y0 >= outer.y0 &&
           a.y1 <= outer.y1;
}

/* Does any unit drawn in view vi meet the panel rectangle r?  2 on a GEOS
** failure (treated as "not free"). */
static int units_under(const struct gpcov_figure *fig, int vi, struct rect r)
{
    const struct view *v = &fig->views[vi];
    double x0 = v->sx0 + (r.x0 - v->px) / v->s;
    double x1 = v->sx0 + (r.x1 - v->px) / v->s;
    double y1 = v->sy1 - (r.y0 - v->py) / v->s;
    double y0 = v->sy1 - (r.y1 - v->py) / v->s;
    GEOSGeometry *box = GEOSGeom_createRectangle_r(fig->geos, x0, y0, x1, y1);
    if (!box)
        return 2;
    const GEOSPreparedGeometry *pb = GEOSPrepare_r(fig->geos, box);
    int hit = pb ? 0 : 2;
    for (size_t i = 0; pb && i < fig->nunits && !hit; i++) {
        double e[4];
        const GEOSGeometry *ug = unit_part(&fig->units[i], vi == V_EAST, e);
        if (!ug || e[0] > x1 || e[2] < x0 || e[1] > y1 || e[3] < y0)
            continue;
        int r2 = GEOSPreparedIntersects_r(fig->geos, pb, ug);
        hit = r2 == 1 ? 1 : r2 == 0 ? 0 : 2;
    }
    if (pb)
        GEOSPreparedGeom_destroy_r(fig->geos, pb);
    GEOSGeom_destroy_r(fig->geos, box);
    return hit;
}

/* ---------------------------------------------------------------- legend */

static void legend_size(cairo_t *cr, const struct gpcov_figure *fig,
                        const struct sym_panel *P, double *w, double *h)
{
    double lw = 0, lh = 0;
    if (P->header) {
        set_font(cr, 1, 0, LEGEND_SIZE);
        lw = text_w(cr, P->header);
        lh += ROW_H + 1;
    }
    size_t nrows = P->nrows + (fig->spec->point_legend && fig->npoints ? 1 : 0);
    for (size_t r = 0; r < nrows; r++) {
        const char *lab = r < P->nrows ? P->rows[r].label
                                       : fig->spec->point_legend;
        set_font(cr, 0, 0, LEGEND_SIZE);
        double rw = SWATCH_W + 5 + text_w(cr, lab);
        if (r < P->nrows) {
            set_font(cr, 0, 0, LEGEND_SIZE * 0.9);
            rw += 4 + text_w(cr, P->rows[r].count);
        }
        if (rw > lw)
            lw = rw;
        lh += ROW_H;
    }
    *w = lw;
    *h = lh;
}

/* Wraps each panel's note to the legend width, which it may widen up to
** 170 points; *extra: the height the notes add (the tallest). */
static int legend_notes(cairo_t *cr, struct gpcov_figure *fig, double *lw,
                        double *extra)
{
    double w = fmax(*lw, 170);
    *extra = 0;
    set_font(cr, 0, 1, NOTE_SIZE);
    for (size_t i = 0; i < fig->np; i++) {
        const struct sym_panel *P = &fig->sym->panels[i];
        struct lines *note = &fig->text[i].note;
        if (!P->p->note || !*P->p->note)
            continue;
        if (wrap(cr, P->p->note, w, w, note) != 0)
            return -1;
        double nw = 0;
        for (size_t j = 0; j < note->n; j++) {
            double tw = text_w(cr, note->v[j]);
            if (tw > nw)
                nw = tw;
        }
        if (nw > *lw)
            *lw = nw;
        double e = 4 + note->n * (NOTE_SIZE + 2);
        if (e > *extra)
            *extra = e;
    }
    return 0;
}

/* ---------------------------------------------------------------- points */

/* The units' extent plus 50 km: a marker beyond it falls outside every
** view and most likely has swapped or misread coordinates, so the user is
** told (it is kept: the views decide what is drawn). */
static void units_reach(const struct gpcov_figure *fig, double r[4])
{
    const struct gpcov_map_spec *spec = fig->spec;
    r[0] = r[1] = HUGE_VAL;
    r[2] = r[3] = -HUGE_VAL;
    for (size_t k = 0; spec->units && k < spec->units->n; k++) {
        const GEOSGeometry *pg = spec->units->geoms[k];
        double a, b, c, d;
        if (pg && GEOSGeom_getXMin_r(fig->geos, pg, &a) && GEOSGeom_getYMin_r(fig->geos, pg, &b) &&
            GEOSGeom_getXMax_r(fig->geos, pg, &c) && GEOSGeom_getYMax_r(fig->geos, pg, &d)) {
            r[0] = fmin(r[0], a - 50e3), r[1] = fmin(r[1], b - 50e3);
            r[2] = fmax(r[2], c + 50e3), r[3] = fmax(r[3], d + 50e3);
        }
    }
}

/* The label of point feature i from field f (a number is written as the
** legend writes it); none when empty.  0, or -1 (ENOMEM). */
static int point_label(const struct gpcov_figure *fig, size_t i, int f,
                       struct point *pt)
{
    const struct gpcov_layer *l = fig->spec->points;
    const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
    char num[64] = "";
    const char *s = num;
    if (v && !v->null) {
        if (l->fields[f].type == GPCOV_STR)
            s = v->str ? v->str : "";
        else
            gpcov_sym_fmt_num(num, sizeof num, v->num,
                              v->num == floor(v->num) ? 0 : 1,
                              fig->spec->decimal_comma);
    }
    if (*s && !(pt->label = gpcov_strdup(s)))
        return -1;
    return 0;
}

/* The point markers and their labels. */
static gpcov_status read_points(gpcov_ctx *ctx, struct gpcov_figure *fig)
{
    const struct gpcov_map_spec *spec = fig->spec;
    const struct gpcov_layer *l = spec->points;
    if (!l)
        return GPCOV_OK;
    const char *src = spec->points_src ? spec->points_src
                      : l->name        ? l->name
                                       : "points";
    char name[64];
    int f = -1;
    if (spec->point_label_field) {
        f = gpcov_layer_field(l, spec->point_label_field);
        if (f < 0)
            return gpcov_sym_no_field(ctx, l, src, "point labels",
                                      spec->point_label_field);
    }
    fig->points = calloc(l->n ? l->n : 1, sizeof *fig->points);
    if (!fig->points)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    double u[4];
    units_reach(fig, u);
    size_t outside = 0, first_out = 0;
    for (size_t i = 0; i < l->n; i++) {
        const GEOSGeometry *g = l->geoms[i];
        if (!g || GEOSisEmpty_r(fig->geos, g) != 0)
            continue;
        int t = GEOSGeomTypeId_r(fig->geos, g);
        if (t == GEOS_MULTIPOINT && GEOSGetNumGeometries_r(fig->geos, g) >= 1)
            g = GEOSGetGeometryN_r(fig->geos, g, 0);
        else if (t != GEOS_POINT)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s: not a point",
                             src, gpcov_sym_feat_name(l, i, name, sizeof name));
        struct point *pt = &fig->points[fig->npoints];
        if (!GEOSGeomGetX_r(fig->geos, g, &pt->x) ||
            !GEOSGeomGetY_r(fig->geos, g, &pt->y))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: %s", src,
                             i + 1, gpcov_dep_error(ctx));
        if (f >= 0 && point_label(fig, i, f, pt) != 0)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        if (u[2] >= u[0] && (pt->x < u[0] || pt->x > u[2] || pt->y < u[1] || pt->y > u[3]) &&
            !outside++)
            first_out = i;
        fig->npoints++;
    }
    if (outside && !spec->selected)
        gpcov_notice(ctx,
                     "%s: %zu of %zu points lie over 50 km beyond the map's units, off the "
                     "map, the first %s (longitude and latitude swapped? a wrong CRS?)",
                     src, outside, l->n, gpcov_sym_feat_name(l, first_out, name, sizeof name));
    if (l->n && !fig->npoints)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: none of the %zu features has a point (a table "
                         "needs its coordinate columns: --point-xy lon,lat)",
                         src, l->n);
    return GPCOV_OK;
}

struct obstacle {
    struct rect r;
    unsigned views; /* bit vi: the labels of view vi must keep clear */
    long point;     /* the point whose marker this is, or -1          */
};

/* What labels must keep clear of: the legend, the insets' frames, and the
** markers. */
struct obstacles {
    struct obstacle *v;
    size_t n, cap;
};

#define ALL_VIEWS ((1u << NVIEWS) - 1)

/* The legend, the frames and the markers as obstacles (room is left for
** the labels to come).  0, or -1 (ENOMEM). */
static int obstacles_init(const struct gpcov_figure *fig, struct obstacles *ob)
{
    ob->n = 0;
    ob->cap = 8 + 2 * fig->npoints * NVIEWS;
    struct obstacle *obs = ob->v = malloc(ob->cap * sizeof *obs);
    if (!obs)
        return -1;
    obs[ob->n++] = (struct obstacle){fig->legend, ALL_VIEWS, -1};
    for (int vi = V_CPH; vi < NVIEWS; vi++)
        if (fig->views[vi].on) {
            struct rect r = view_rect(&fig->views[vi]);
            r.x0 -= 3;
            r.y0 -= vi == V_CPH ? SMALL_SIZE + 6 : 3; /* and its label */
            r.x1 += 3;
            r.y1 += 3;
            obs[ob->n++] = (struct obstacle){r, ALL_VIEWS & ~(1u << vi), -1};
        }
    if (fig->views[V_CPH].on) {
        /* the inset's frame on the main map: what it frames is labelled in
        ** the inset */
        const struct view *m = &fig->views[V_MAIN];
        struct rect r = {vx(m, CPH[0]) - 1, vy(m, CPH[3]) - 1,
                         vx(m, CPH[2]) + 1, vy(m, CPH[1]) + 1};
        obs[ob->n++] = (struct obstacle){r, 1u << V_MAIN, -1};
    }
    for (size_t i = 0; i < fig->npoints; i++)
        for (int vi = 0; vi < NVIEWS; vi++) {
            const struct view *v = &fig->views[vi];
            if (!marker_shown(fig, vi, fig->points[i].x, fig->points[i].y))
                continue;
            double x = vx(v, fig->points[i].x), y = vy(v, fig->points[i].y);
            struct rect m = {x - MARKER_R, y - MARKER_R, x + MARKER_R,
                             y + MARKER_R};
            obs[ob->n++] = (struct obstacle){m, 1u << vi, (long)i};
        }
    return 0;
}

/* Does r, a spot for the label of point i in view vi, cover an obstacle? */
static int clashes(const struct obstacles *ob, struct rect r, int vi, size_t i)
{
    for (size_t o = 0; o < ob->n; o++)
        if ((ob->v[o].views & (1u << vi)) && ob->v[o].point != (long)i &&
            rects_overlap(r, ob->v[o].r))
            return 1;
    return 0;
}

/* Places the label of point i in view vi (inside vr) at the first free
** spot, which then becomes an obstacle. */
static void place_label(cairo_t *cr, struct gpcov_figure *fig,
                        struct obstacles *ob, int vi, struct rect vr, size_t i)
{
    const struct view *v = &fig->views[vi];
    struct point *pt = &fig->points[i];
    double x = vx(v, pt->x), y = vy(v, pt->y);
    double w = text_w(cr, pt->label), asc = LABEL_SIZE * 0.74,
           dsc = LABEL_SIZE * 0.24, gap = MARKER_R + 1.5;
    double cand[4][2] = {{x + gap, y + asc / 2},
                         {x - gap - w, y + asc / 2},
                         {x - w / 2, y - gap - dsc},
                         {x - w / 2, y + gap + asc}};
    /* in the Bornholm box, a spot over the sea first: the island is small
    ** and its colour is the point of the map */
    for (int pass = vi == V_EAST ? 0 : 1; pass < 2; pass++)
        for (int c = 0; c < 4; c++) {
            struct rect r = {cand[c][0] - 1, cand[c][1] - asc - 1,
                             cand[c][0] + w + 1, cand[c][1] + dsc + 1};
            if (!rect_inside(r, vr))
                continue;
            if (clashes(ob, r, vi, i) ||
                (pass == 0 && units_under(fig, vi, r) != 0))
                continue;
            pt->placed[vi] = 1;
            pt->lx[vi] = cand[c][0];
            pt->ly[vi] = cand[c][1];
            if (ob->n < ob->cap)
                ob->v[ob->n++] = (struct obstacle){r, ALL_VIEWS, -1};
            return;
        }
}

/* Places the labels greedily: right, left, above, below the marker, the
** first spot inside the view that covers no other label, marker, the
** legend or a frame; a label with no such spot is left out. */
static void place_labels(cairo_t *cr, struct gpcov_figure *fig)
{
    struct obstacles ob;
    if (obstacles_init(fig, &ob) != 0)
        return; /* labels are an ornament: none rather than a failure */
    set_font(cr, 0, 0, LABEL_SIZE);
    for (int vi = 0; vi < NVIEWS; vi++) {
        struct rect vr = view_rect(&fig->views[vi]);
        if (vi == V_MAIN) {
            vr.x0 = 0;
            vr.x1 = fig->pw;
        }
        for (size_t i = 0; i < fig->npoints; i++) {
            const struct point *pt = &fig->points[i];
            if (pt->label && marker_shown(fig, vi, pt->x, pt->y))
                place_label(cr, fig, &ob, vi, vr, i);
        }
    }
    free(ob.v);
}

/* ----------------------------------------------------------------- layout */

/* Lays out the views and the legend for column width wc.  Returns 1 when
** the legend fits (in the column, or over empty map). */
static int try_layout(struct gpcov_figure *fig, double wc, double lw,
                      double lh, double ex0, double ey0, double ex1,
                      double ey1)
{
    struct view *m = &fig->views[V_MAIN];
    m->on = 1;
    m->sx0 = ex0;
    m->sy0 = ey0;
    m->sx1 = ex1;
    m->sy1 = ey1;
    m->px = 0;
    m->py = 0;
    m->s = (fig->pw - wc) / (ex1 - ex0);
    fig->hm = (ey1 - ey0) * m->s;
    fig->legend.x0 = fig->pw - lw;
    fig->legend.x1 = fig->pw;
    fig->legend.y0 = 0;
    fig->legend.y1 = lh;
    if (lw + 6 <= wc)
        return 1;
    double map_right = fig->pw - wc;
    struct rect over = {fig->legend.x0 - 6, -2, map_right, lh + 6};
    return units_under(fig, V_MAIN, over) == 0;
}

/* The layout's measures, phase by phase. */
struct page {
    double mx0, my0, mx1, my1; /* the mainland's units                    */
    double bx0, by0, bx1, by1; /* the units moved to the Bornholm box     */
    int neast, nmain;
    double ex0, ey0, ex1, ey1; /* the main map's extent, padded           */
    int cph;                   /* a capital inset                         */
    double lw, lh;             /* the legend                              */
    double wc;                 /* the column beside the main map          */
};

static void grow(double *x0, double *y0, double *x1, double *y1, double a0,
                 double b0, double a1, double b1)
{
    *x0 = fmin(*x0, a0);
    *y0 = fmin(*y0, b0);
    *x1 = fmax(*x1, a1);
    *y1 = fmax(*y1, b1);
}

/* The extents: the mainland, and the units moved to the Bornholm box. */
static gpcov_status extents(gpcov_ctx *ctx, struct gpcov_figure *fig,
                            struct page *pg)
{
    pg->mx0 = pg->my0 = pg->bx0 = pg->by0 = INFINITY;
    pg->mx1 = pg->my1 = pg->bx1 = pg->by1 = -INFINITY;
    for (size_t i = 0; i < fig->nunits; i++) {
        struct unit *u = &fig->units[i];
        if (!u->g)
            continue;
        if (u->ge) {
            pg->neast++;
            grow(&pg->bx0, &pg->by0, &pg->bx1, &pg->by1, u->ex0, u->ey0,
                 u->ex1, u->ey1);
        }
        if (u->east) {
            pg->neast++;
            grow(&pg->bx0, &pg->by0, &pg->bx1, &pg->by1, u->x0, u->y0, u->x1,
                 u->y1);
        } else {
            pg->nmain++;
            grow(&pg->mx0, &pg->my0, &pg->mx1, &pg->my1, u->x0, u->y0, u->x1,
                 u->y1);
        }
    }
    if (!pg->nmain)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no polygons to draw",
                         gpcov_sym_units_src(fig->spec));
    double ew = pg->mx1 - pg->mx0, eh = pg->my1 - pg->my0;
    if (ew <= 0 && eh <= 0)
        ew = eh = 1000;
    if (ew < eh * 0.25)
        ew = eh * 0.25;
    if (eh < ew * 0.25)
        eh = ew * 0.25;
    double cx = (pg->mx0 + pg->mx1) / 2, cy = (pg->my0 + pg->my1) / 2,
           pad = 0.02 * fmax(ew, eh);
    pg->ex0 = cx - ew / 2 - pad, pg->ex1 = cx + ew / 2 + pad;
    pg->ey0 = cy - eh / 2 - pad, pg->ey1 = cy + eh / 2 + pad;

    /* the capital inset, when it magnifies and there is something in it */
    if (fig->spec->inset_copenhagen && pg->ex1 - pg->ex0 >= 3 * (CPH[2] - CPH[0]))
        for (size_t i = 0; i < fig->nunits && !pg->cph; i++) {
            const struct unit *u = &fig->units[i];
            pg->cph = u->g && !u->east && u->x0 < CPH[2] && u->x1 > CPH[0] &&
                      u->y0 < CPH[3] && u->y1 > CPH[1];
        }
    return GPCOV_OK;
}

/* The legend: as wide and tall as the largest panel's, with the notes; and
** the column: a third of the panel with insets, wider when the legend
** would cover a municipality. */
static gpcov_status legend_column(gpcov_ctx *ctx, struct gpcov_figure *fig,
                                  cairo_t *cr, struct page *pg)
{
    double lw = 0, lh = 0, note_h = 0;
    for (size_t i = 0; i < fig->np; i++) {
        double w, h;
        legend_size(cr, fig, &fig->sym->panels[i], &w, &h);
        lw = fmax(lw, w);
        lh = fmax(lh, h);
    }
    if (legend_notes(cr, fig, &lw, &note_h) != 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    lh += note_h;
    pg->lw = lw;
    pg->lh = lh;
    double base = (pg->cph || pg->neast) ? 0.32 * fig->pw : 0;
    double wc = base, cap = 0.6 * fig->pw;
    while (!try_layout(fig, wc, lw, lh, pg->ex0, pg->ey0, pg->ex1, pg->ey1) &&
           wc < cap)
        wc = fmin(wc + 4, cap);
    pg->wc = wc;
    return GPCOV_OK;
}

/* The Bornholm box, at the main scale, bottom right, with 5 points of sea
** around and room beside the island for the widest label of a point on
** it.  Returns the top of the box (the main map's height without one). */
static double east_box(struct gpcov_figure *fig, cairo_t *cr,
                       const struct page *pg)
{
    double s = fig->views[V_MAIN].s, hm = fig->hm;
    if (!pg->neast)
        return hm;
    /* a zoomed map (one region) would blow the island up: then the box has
    ** its own, smaller scale, with its own scale bar (render.c) */
    s = fmin(s, fmin(0.4 * hm / (pg->by1 - pg->by0), 0.28 * fig->pw / (pg->bx1 - pg->bx0)));
    struct view *bv = &fig->views[V_EAST];
    double bpad = 5 / s, lpad = 0;
    set_font(cr, 0, 0, LABEL_SIZE);
    for (size_t i = 0; i < fig->npoints; i++) {
        const struct point *pt = &fig->points[i];
        if (pt->label && pt->x >= pg->bx0 && pt->x <= pg->bx1 &&
            pt->y >= pg->by0 && pt->y <= pg->by1)
            lpad = fmax(lpad, text_w(cr, pt->label) + MARKER_R + 4);
    }
    double xpad = fmax(bpad, lpad / s);
    bv->on = 1;
    bv->s = s;
    bv->sx0 = pg->bx0 - xpad;
    bv->sx1 = pg->bx1 + xpad;
    bv->sy0 = pg->by0 - bpad;
    bv->sy1 = pg->by1 + bpad;
    double bw = (bv->sx1 - bv->sx0) * s, bh = (bv->sy1 - bv->sy0) * s;
    bv->px = fig->pw - bw;
    bv->py = hm - bh;
    return bv->py;
}

/* The capital inset: between the legend and the box, as wide as the
** column, level with its frame on the main map where there is room. */
static void capital_inset(struct gpcov_figure *fig, const struct page *pg,
                          double box_top)
{
    struct view *cv = &fig->views[V_CPH];
    if (!pg->cph)
        return;
    double label_h = SMALL_SIZE + 4;
    double top = fig->legend.y1 + 8 + label_h;
    double bottom = box_top - 8;
    double iw = pg->wc - 10, aspect = (CPH[3] - CPH[1]) / (CPH[2] - CPH[0]);
    double ih = iw * aspect;
    if (ih > bottom - top) {
        ih = bottom - top;
        iw = ih / aspect;
    }
    if (ih < 50)
        return;
    cv->on = 1;
    cv->sx0 = CPH[0];
    cv->sy0 = CPH[1];
    cv->sx1 = CPH[2];
    cv->sy1 = CPH[3];
    cv->s = iw / (CPH[2] - CPH[0]);
    cv->px = fig->pw - iw;
    double want = vy(&fig->views[V_MAIN], (CPH[1] + CPH[3]) / 2) - ih / 2;
    cv->py = fmin(fmax(want, top), bottom - ih);
    fig->inset_label_y = cv->py - 4;
}

/* A scale bar of a round length on the main map: bottom left, top left or
** bottom right, the first spot clear of units and the legend; bottom left
** over the units when none is. */
static void scale_bar(struct gpcov_figure *fig, const struct page *pg)
{
    double s = fig->views[V_MAIN].s, hm = fig->hm, mw = fig->pw - pg->wc;
    double want_pt = 0.2 * mw;
    static const int nice[] = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000};
    int km = 0;
    for (size_t i = 0; i < sizeof nice / sizeof *nice; i++)
        if (nice[i] * 1000.0 * s <= want_pt)
            km = nice[i];
    if (!km)
        return;
    double w = 12 + km * 1000.0 * s + 20;
    const double spot[3][2] = {{0, hm - 22}, {0, 0}, {mw - w, hm - 22}};
    fig->scale_km = km;
    for (int c = 0; c < 3; c++) {
        struct rect r = {spot[c][0], spot[c][1], spot[c][0] + w, spot[c][1] + 22};
        if (r.x0 < 0 || rects_overlap(r, fig->legend) || units_under(fig, V_MAIN, r) != 0)
            continue;
        fig->scale_x = r.x0 + 4;
        fig->scale_y = r.y1 - 6;
        return;
    }
    fig->scale_x = 4;
    fig->scale_y = hm - 6;
}

/* The page, top to bottom: the title, the panel titles, the maps and the
** attribution lines. */
static gpcov_status page_text(gpcov_ctx *ctx, struct gpcov_figure *fig,
                              cairo_t *cr)
{
    const struct gpcov_map_spec *spec = fig->spec;
    size_t n = fig->np;
    double y = MARGIN;
    set_font(cr, 1, 0, TITLE_SIZE);
    if (spec->title && *spec->title &&
        wrap(cr, spec->title, fig->W - 2 * MARGIN, fig->W - 2 * MARGIN,
             &fig->title) != 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    y += (double)fig->title.n * (TITLE_SIZE + 3);
    if (fig->title.n)
        y += 8;
    size_t ptl = 0;
    for (size_t i = 0; i < n; i++) {
        const struct sym_panel *P = &fig->sym->panels[i];
        struct lines *title = &fig->text[i].title;
        const char *t = P->p->title ? P->p->title : P->p->field;
        set_font(cr, 1, 0, PTITLE_SIZE);
        double lwid = n > 1 ? text_w(cr, P->letter) + text_w(cr, " ") : 0;
        set_font(cr, 0, 0, PTITLE_SIZE);
        if (wrap(cr, t, fig->pw - lwid, fig->pw, title) != 0)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        if (title->n > ptl)
            ptl = title->n;
    }
    fig->ptitle_y = y + PTITLE_SIZE * 0.8;
    y += (double)ptl * (PTITLE_SIZE + 3) + 6;
    fig->map_top = y;
    y += fmax(fig->hm, fig->legend.y1) + 10;
    set_font(cr, 0, 0, FOOT_SIZE);
    double tw = fig->W - 2 * MARGIN;
    if (spec->footnote && wrap(cr, spec->footnote, tw, tw, &fig->foot) != 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    fig->foot_y = y + FOOT_SIZE * 0.8;
    y += fig->foot.n ? (double)fig->foot.n * (FOOT_SIZE + 2.5) + 6 : 0;
    set_font(cr, 0, 0, SMALL_SIZE);
    for (size_t i = 0; spec->attribution && spec->attribution[i]; i++)
        if (wrap(cr, spec->attribution[i], fig->W - 2 * MARGIN,
                 fig->W - 2 * MARGIN, &fig->attr) != 0)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    y += (double)fig->attr.n * (SMALL_SIZE + 2.5);
    fig->H = ceil(y + MARGIN * 0.75);
    return GPCOV_OK;
}

static gpcov_status layout(gpcov_ctx *ctx, struct gpcov_figure *fig,
                           cairo_t *cr)
{
    size_t n = fig->np;
    fig->W = n == 1 ? PAGE_W_ONE : PAGE_W_PANEL * (double)n;
    fig->pw = (fig->W - 2 * MARGIN - (double)(n - 1) * PANEL_GAP) / (double)n;
    struct page pg = {0};
    gpcov_status st = extents(ctx, fig, &pg);
    if (st == GPCOV_OK)
        st = legend_column(ctx, fig, cr, &pg);
    if (st != GPCOV_OK)
        return st;
    double box_top = east_box(fig, cr, &pg);
    capital_inset(fig, &pg, box_top);
    scale_bar(fig, &pg);
    return page_text(ctx, fig, cr);
}

/* ---------------------------------------------------------------- prepare */

void gpcov_figure_font_options(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

void gpcov_figure_free(struct gpcov_figure *fig)
{
    if (!fig)
        return;
    for (size_t i = 0; i < GPCOV_MAP_MAX_PANELS; i++) {
        lines_free(&fig->text[i].note);
        lines_free(&fig->text[i].title);
    }
    for (size_t i = 0; i < fig->npoints; i++)
        free(fig->points[i].label);
    free(fig->points);
    for (size_t i = 0; fig->units && i < fig->nunits; i++) {
        if (fig->units[i].own)
            GEOSGeom_destroy_r(fig->geos, fig->units[i].own);
        if (fig->units[i].ge)
            GEOSGeom_destroy_r(fig->geos, fig->units[i].ge);
    }
    free(fig->units);
    lines_free(&fig->title);
    lines_free(&fig->attr);
    lines_free(&fig->foot);
    free(fig->ulabels);
    gpcov_symbology_free(fig->sym);
    free(fig);
}

/* Cuts unit u, reaching across EAST_X, in two: the eastern part goes to
** the Bornholm box. */
static gpcov_status cut_unit(gpcov_ctx *ctx, struct gpcov_figure *fig,
                             struct unit *u)
{
    u->own = GEOSClipByRect_r(fig->geos, u->g, u->x0 - 1, u->y0 - 1, EAST_X, u->y1 + 1);
    u->ge = GEOSClipByRect_r(fig->geos, u->g, EAST_X, u->y0 - 1, u->x1 + 1, u->y1 + 1);
    if (!u->own || !u->ge)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot cut a unit at the Bornholm box");
    if (GEOSisEmpty_r(fig->geos, u->ge) == 1) {
        GEOSGeom_destroy_r(fig->geos, u->ge);
        u->ge = NULL;
    } else {
        envelope(fig->geos, u->ge, &u->ex0, &u->ey0, &u->ex1, &u->ey1);
    }
    u->g = u->own;
    envelope(fig->geos, u->g, &u->x0, &u->y0, &u->x1, &u->y1);
    return GPCOV_OK;
}

/* Each unit's envelope, and whether it goes to the Bornholm box. */
static gpcov_status read_units(gpcov_ctx *ctx, struct gpcov_figure *fig)
{
    const struct gpcov_map_spec *spec = fig->spec;
    const struct gpcov_layer *l = spec->units;
    fig->nunits = l->n;
    fig->units = calloc(l->n ? l->n : 1, sizeof *fig->units);
    if (!fig->units)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    int all_east = 1;
    for (size_t i = 0; i < l->n; i++) {
        struct unit *u = &fig->units[i];
        if (envelope(fig->geos, l->geoms ? l->geoms[i] : NULL, &u->x0, &u->y0,
                     &u->x1, &u->y1) != 0)
            continue;
        u->g = l->geoms[i];
        u->east = spec->inset_bornholm && u->x0 >= EAST_X;
        if (spec->inset_bornholm && u->x0 < EAST_X && u->x1 > EAST_X) {
            gpcov_status st = cut_unit(ctx, fig, u);
            if (st != GPCOV_OK)
                return st;
        }
        all_east &= u->east;
    }
    if (all_east) /* nothing west of Bornholm: no box, a plain map */
        for (size_t i = 0; i < l->n; i++)
            fig->units[i].east = 0;
    return GPCOV_OK;
}

static gpcov_status cairo_fail(gpcov_ctx *ctx, cairo_t *cr)
{
    return gpcov_err(ctx, GPCOV_EINTERNAL, "cairo: %s",
                     cairo_status_to_string(cairo_status(cr)));
}

/* The layout and the labels' places, measured on a scratch surface. */
static gpcov_status measure(gpcov_ctx *ctx, struct gpcov_figure *fig)
{
    cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(scratch);
    gpcov_status st = GPCOV_OK;
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        st = cairo_fail(ctx, cr);
    if (st == GPCOV_OK) {
        gpcov_figure_font_options(cr);
        st = layout(ctx, fig, cr);
    }
    if (st == GPCOV_OK) {
        place_labels(cr, fig);
        gpcov_unit_labels_place(cr, fig);
        if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
            st = cairo_fail(ctx, cr);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(scratch);
    return st;
}

gpcov_status gpcov_figure_prepare(gpcov_ctx *ctx,
                                  const struct gpcov_map_spec *spec,
                                  struct gpcov_figure **out)
{
    *out = NULL;
    struct gpcov_symbology *sym = NULL;
    gpcov_status st = gpcov_symbology_prepare(ctx, spec, &sym);
    if (st != GPCOV_OK)
        return st;
    struct gpcov_figure *fig = calloc(1, sizeof *fig);
    if (!fig) {
        gpcov_symbology_free(sym);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    fig->spec = spec;
    fig->sym = sym;
    fig->geos = gpcov_ctx_geos(ctx);
    fig->dpi = spec->dpi ? spec->dpi : 200;
    fig->np = spec->npanels;
    fig->inset_label = spec->inset_label ? spec->inset_label
                                         : "Hovedstadsområdet";
    if ((st = read_units(ctx, fig)) == GPCOV_OK &&
        (st = read_points(ctx, fig)) == GPCOV_OK)
        st = measure(ctx, fig);
    if (st != GPCOV_OK) {
        gpcov_figure_free(fig);
        return st;
    }
    *out = fig;
    return GPCOV_OK;
}

void gpcov_figure_size(const struct gpcov_figure *fig, double *w, double *h)
{
    *w = fig->W;
    *h = fig->H;
}

double gpcov_figure_dpi(const struct gpcov_figure *fig)
{
    return fig->dpi;
}

int gpcov_figure_locate(const struct gpcov_figure *fig, size_t p, double x,
                        double y, double *px, double *py)
{
    if (p >= fig->np)
        return -1;
    for (int vi = 0; vi < NVIEWS; vi++) {
        const struct view *v = &fig->views[vi];
        if (!point_in_view(v, x, y))
            continue;
        *px = panel_x(fig, p) + vx(v, x);
        *py = fig->map_top + vy(v, y);
        return 0;
    }
    return -1;
}

size_t gpcov_figure_legend_rows(const struct gpcov_figure *fig, size_t p,
                                struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS],
                                const char **header)
{
    return gpcov_symbology_legend_rows(fig->sym, p, rows, header);
}

const int *gpcov_figure_classes(const struct gpcov_figure *fig, size_t p)
{
    return gpcov_symbology_classes(fig->sym, p);
}
