/*
** unitlabels.c: municipality names on the main map, where they fit.  Each
** unit's label is centred on a point inside it (GEOSPointOnSurface) and
** kept only when its text box lies within the unit's envelope and mostly
** over the unit itself (four fifths of the box), and clear of the legend,
** the insets and their frame, the scale bar, the point markers and their
** labels, and the labels placed before it.  Larger units go first, so that
** when two names would collide the one with more room wins.  Labels are an
** ornament: one that does not fit, or any GEOS failure, leaves a name out
** rather than failing the map.  Runs after layout.c has placed the views,
** the scale bar and the point labels.
*/
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A rectangle of panel points as a map rectangle in view v. */
static GEOSGeometry *map_box(GEOSContextHandle_t h, const struct view *v, struct rect r)
{
    return GEOSGeom_createRectangle_r(h, v->sx0 + (r.x0 - v->px) / v->s,
                                      v->sy1 - (r.y1 - v->py) / v->s,
                                      v->sx0 + (r.x1 - v->px) / v->s,
                                      v->sy1 - (r.y0 - v->py) / v->s);
}

/* Does the box r lie mostly over unit geometry g (with envelope e)? */
static int fits(GEOSContextHandle_t h, const struct view *v, const GEOSGeometry *g,
                const double e[4], struct rect r)
{
    if (v->sx0 + (r.x0 - v->px) / v->s < e[0] || v->sx0 + (r.x1 - v->px) / v->s > e[2] ||
        v->sy1 - (r.y1 - v->py) / v->s < e[1] || v->sy1 - (r.y0 - v->py) / v->s > e[3])
        return 0;
    GEOSGeometry *box = map_box(h, v, r);
    GEOSGeometry *in = box ? GEOSIntersection_r(h, box, g) : NULL;
    double a = 0, ab = 0;
    int ok = in && GEOSArea_r(h, in, &a) && GEOSArea_r(h, box, &ab) && ab > 0 && a >= 0.8 * ab;
    if (in)
        GEOSGeom_destroy_r(h, in);
    if (box)
        GEOSGeom_destroy_r(h, box);
    return ok;
}

/* What a unit label must keep clear of, in main-view panel points. */
static size_t obstacles(cairo_t *cr, const struct gpcov_figure *fig, struct rect *ob)
{
    size_t n = 0;
    ob[n++] = fig->legend;
    for (int vi = V_CPH; vi < NVIEWS; vi++)
        if (fig->views[vi].on) {
            struct rect r = view_rect(&fig->views[vi]);
            ob[n++] = (struct rect){r.x0 - 3, r.y0 - SMALL_SIZE - 6, r.x1 + 3, r.y1 + 3};
        }
    const struct view *m = &fig->views[V_MAIN];
    if (fig->views[V_CPH].on)
        ob[n++] = (struct rect){vx(m, CPH[0]) - 2, vy(m, CPH[3]) - 2, vx(m, CPH[2]) + 2,
                                vy(m, CPH[1]) + 2};
    if (fig->scale_km)
        ob[n++] = (struct rect){fig->scale_x - 4, fig->scale_y - 16,
                                fig->scale_x + fig->scale_km * 1000.0 * m->s + 20,
                                fig->scale_y + 2};
    set_font(cr, 0, 0, LABEL_SIZE);
    for (size_t i = 0; i < fig->npoints; i++) {
        const struct point *pt = &fig->points[i];
        if (marker_shown(fig, V_MAIN, pt->x, pt->y)) {
            double x = vx(m, pt->x), y = vy(m, pt->y);
            ob[n++] = (struct rect){x - MARKER_R - 1, y - MARKER_R - 1, x + MARKER_R + 1,
                                    y + MARKER_R + 1};
        }
        if (pt->placed[V_MAIN])
            ob[n++] = (struct rect){pt->lx[V_MAIN] - 1, pt->ly[V_MAIN] - LABEL_SIZE - 1,
                                    pt->lx[V_MAIN] + text_w(cr, pt->label) + 1,
                                    pt->ly[V_MAIN] + LABEL_SIZE * 0.3 + 1};
    }
    return n;
}

static int clear(const struct rect *ob, size_t n, struct rect r)
{
    for (size_t k = 0; k < n; k++)
        if (r.x0 < ob[k].x1 && ob[k].x0 < r.x1 && r.y0 < ob[k].y1 && ob[k].y0 < r.y1)
            return 0;
    return 1;
}

/* For qsort: units by the area of their envelope, larger first. */
static const struct unit *sort_units;
static int by_size(const void *pa, const void *pb)
{
    const struct unit *a = &sort_units[*(const size_t *)pa], *b = &sort_units[*(const size_t *)pb];
    double sa = (a->x1 - a->x0) * (a->y1 - a->y0), sb = (b->x1 - b->x0) * (b->y1 - b->y0);
    return (sa < sb) - (sa > sb);
}

/* Unit i's label at its point on surface, when it fits and is clear. */
static void place_one(cairo_t *cr, struct gpcov_figure *fig, size_t i, const char *name,
                      struct rect *ob, size_t *nob)
{
    GEOSContextHandle_t h = fig->geos;
    const struct view *m = &fig->views[V_MAIN];
    double e[4], x, y;
    const GEOSGeometry *g = unit_part(&fig->units[i], 0, e);
    if (!g || e[2] < m->sx0 || e[0] > m->sx1 || e[3] < m->sy0 || e[1] > m->sy1)
        return;
    GEOSGeometry *p = GEOSPointOnSurface_r(h, g);
    int ok = p && GEOSGeomGetX_r(h, p, &x) && GEOSGeomGetY_r(h, p, &y);
    if (p)
        GEOSGeom_destroy_r(h, p);
    if (!ok || (fig->views[V_CPH].on && in_cph_rect(x, y)))
        return;
    double w = text_w(cr, name), px = vx(m, x) - w / 2, py = vy(m, y) + LABEL_SIZE * 0.37;
    struct rect r = {px - 1, py - LABEL_SIZE * 0.74 - 1, px + w + 1, py + LABEL_SIZE * 0.24 + 1};
    if (r.x0 < 0 || r.y0 < 0 || r.x1 > fig->pw || r.y1 > fig->hm || !clear(ob, *nob, r) ||
        !fits(h, m, g, e, r))
        return;
    struct unit_label *ul = &fig->ulabels[fig->nulabels++];
    ul->x = px, ul->y = py, ul->text = name;
    ob[(*nob)++] = r;
}

void gpcov_unit_labels_place(cairo_t *cr, struct gpcov_figure *fig)
{
    const struct gpcov_map_spec *spec = fig->spec;
    int f = spec->unit_label_field ? gpcov_layer_field(spec->units, spec->unit_label_field) : -1;
    if (f < 0 || spec->units->fields[f].type != GPCOV_STR || !fig->nunits)
        return;
    size_t n = fig->nunits, nob = 0;
    size_t *order = malloc(n * sizeof *order);
    struct rect *ob = malloc((n + 8 + 2 * fig->npoints) * sizeof *ob);
    fig->ulabels = calloc(n, sizeof *fig->ulabels);
    if (order && ob && fig->ulabels) {
        nob = obstacles(cr, fig, ob);
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        sort_units = fig->units;
        qsort(order, n, sizeof *order, by_size);
        set_font(cr, 0, 0, LABEL_SIZE);
        for (size_t k = 0; k < n; k++) {
            const struct gpcov_value *v = gpcov_layer_value(spec->units, order[k], (size_t)f);
            if (v && !v->null && v->str && *v->str)
                place_one(cr, fig, order[k], v->str, ob, &nob);
        }
    }
    free(order);
    free(ob);
}
