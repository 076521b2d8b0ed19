/*
** layout.h: the prepared figure, as layout.c fixes it and render.c draws
** it: the page's measures, the views (main map, capital inset, Bornholm
** box) with their scales, the units cut for the box, the point markers
** with their labels' places, the wrapped titles and notes, and the fonts
** and view transforms both sides use.  The classes, labels and colours are
** the symbology's (symbology.c).
*/
#ifndef GPCOV_LAYOUT_H
#define GPCOV_LAYOUT_H

#include "render_internal.h"

#define FONT "DejaVu Sans"
#define MARGIN 22.0       /* page margin, points                            */
#define PANEL_GAP 24.0    /* between panels                                 */
#define PAGE_W_PANEL 432.0 /* page width per panel (6 in) with 2+ panels    */
#define PAGE_W_ONE 576.0  /* page width with one panel (8 in)               */
#define TITLE_SIZE 14.0
#define PTITLE_SIZE 10.0
#define LEGEND_SIZE 7.6
#define NOTE_SIZE 6.6
#define SMALL_SIZE 6.4
#define LABEL_SIZE 6.4
#define FOOT_SIZE 7.2
#define SWATCH_W 15.0
#define SWATCH_H 9.5
#define ROW_H 12.5
#define MARKER_R 2.3
#define TAU 6.283185307179586

/* The capital-area inset: København, Frederiksberg and the municipalities
** around them (Københavns omegn, Furesø, Rudersdal, Egedal, Greve and
** Hørsholm in part), in EPSG:25832 metres: x0, y0, x1, y1. */
static const double CPH[4] = {694000, 6159000, 741000, 6201000};
/* Units lying wholly east of this easting go to the Bornholm box. */
#define EAST_X 800000.0

/* ------------------------------------------------------------ structures */

struct rect {
    double x0, y0, x1, y1; /* page or panel points, y downwards */
};

struct view {
    int on;
    double sx0, sy0, sx1, sy1; /* map extent, metres                       */
    double px, py;             /* panel position of the north-west corner  */
    double s;                  /* points per metre                         */
};

struct unit {
    const GEOSGeometry *g;
    double x0, y0, x1, y1;
    int east;
    /* a unit reaching across EAST_X (an isochrone band, say) is cut in two:
    ** g is then its western part (owned, as is ge) and ge, with its own
    ** envelope, the part drawn in the Bornholm box */
    GEOSGeometry *own, *ge;
    double ex0, ey0, ex1, ey1;
};

struct lines {
    char **v;
    size_t n;
};

/* A panel's text: its classes and legend rows are the symbology's. */
struct panel_text {
    struct lines note;  /* under the legend                */
    struct lines title; /* the first line follows "(a) "   */
};

enum { V_MAIN, V_CPH, V_EAST, NVIEWS };

struct point {
    double x, y;
    char *label;
    int placed[NVIEWS];
    double lx[NVIEWS], ly[NVIEWS]; /* label baseline origin, panel points */
};

/* A unit's name on the main map (unitlabels.c). */
struct unit_label {
    double x, y;      /* baseline origin, panel points                     */
    const char *text; /* owned by the units layer                          */
};

struct gpcov_figure {
    const struct gpcov_map_spec *spec;
    struct gpcov_symbology *sym; /* the classes, owned                     */
    GEOSContextHandle_t geos;
    double W, H, dpi;
    double pw;          /* panel width                                     */
    double map_top;     /* page y of the top of the maps                   */
    double hm;          /* height of the main map                          */
    double ptitle_y;    /* page y of the first panel-title baseline        */
    size_t nunits;
    struct unit *units;
    size_t np;
    struct panel_text text[GPCOV_MAP_MAX_PANELS];
    struct view views[NVIEWS];
    struct rect legend;   /* panel points                                  */
    double inset_label_y; /* baseline of the inset label, panel points     */
    size_t npoints;
    struct point *points;
    struct lines title, attr;
    struct lines foot;    /* spec->footnote, wrapped                       */
    struct unit_label *ulabels;
    size_t nulabels;
    double foot_y;        /* page y of its first baseline                  */
    const char *inset_label;
    int scale_km;         /* scale bar length; 0: none                     */
    double scale_x, scale_y;
};

/* Places the units' names that fit (unitlabels.c), after the layout and
** the point labels; none on ENOMEM. */
void gpcov_unit_labels_place(cairo_t *cr, struct gpcov_figure *fig);

/* ------------------------------------------------ shared by both sides */

/* The part of u drawn in the Bornholm box (east) or in the main map, with
** its envelope; NULL when u has no such part. */
static inline const GEOSGeometry *unit_part(const struct unit *u, int east,
                                            double env[4])
{
    if (east && !u->east) {
        env[0] = u->ex0, env[1] = u->ey0, env[2] = u->ex1, env[3] = u->ey1;
        return u->ge;
    }
    if (!east && u->east)
        return NULL;
    env[0] = u->x0, env[1] = u->y0, env[2] = u->x1, env[3] = u->y1;
    return u->g;
}

static inline void set_font(cairo_t *cr, int bold, int italic, double size)
{
    cairo_select_font_face(cr, FONT,
                           italic ? CAIRO_FONT_SLANT_OBLIQUE
                                  : CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD
                                : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static inline double text_w(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

static inline double vx(const struct view *v, double x)
{
    return v->px + (x - v->sx0) * v->s;
}

static inline double vy(const struct view *v, double y)
{
    return v->py + (v->sy1 - y) * v->s;
}

static inline struct rect view_rect(const struct view *v)
{
    return (struct rect){v->px, v->py, v->px + (v->sx1 - v->sx0) * v->s,
                         v->py + (v->sy1 - v->sy0) * v->s};
}

static inline int envelope(GEOSContextHandle_t h, const GEOSGeometry *g,
                           double *x0, double *y0, double *x1, double *y1)
{
    if (!g || GEOSisEmpty_r(h, g) != 0)
        return -1;
    return GEOSGeom_getExtent_r(h, g, x0, y0, x1, y1) ? 0 : -1;
}

static inline int point_in_view(const struct view *v, double x, double y)
{
    return v->on && x >= v->sx0 && x <= v->sx1 && y >= v->sy0 && y <= v->sy1;
}

static inline int in_cph_rect(double x, double y)
{
    return x >= CPH[0] && x <= CPH[2] && y >= CPH[1] && y <= CPH[3];
}

/* Is the marker of point (x, y) drawn in view vi?  Points in the capital
** area are shown in the inset only, not as a cluster on the main map. */
static inline int marker_shown(const struct gpcov_figure *fig, int vi,
                               double x, double y)
{
    if (!point_in_view(&fig->views[vi], x, y))
        return 0;
    return !(vi == V_MAIN && fig->views[V_CPH].on && in_cph_rect(x, y));
}

static inline double panel_x(const struct gpcov_figure *fig, size_t p)
{
    return MARGIN + (double)p * (fig->pw + PANEL_GAP);
}

#endif
