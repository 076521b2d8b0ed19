/*
** render_internal.h: what render.c (the figure: classes, layout, drawing)
** and render_out.c (the files: PNG, SVG, PDF, atomic writes) share.  A
** figure is prepared once, with every class, label and position fixed, and
** then drawn onto as many cairo surfaces as there are outputs.
*/
#ifndef GPCOV_RENDER_INTERNAL_H
#define GPCOV_RENDER_INTERNAL_H

#include "gpcov_internal.h"
#include "gpcov.h"

#include <cairo.h>

struct gpcov_figure;

/* The most rows a panel's legend has: its classes, "undecided", and up to
** MAX_REASONS rows of units without a value, one per reason, and one for
** the rest. */
#define GPCOV_MAX_REASONS 4
#define GPCOV_LEGEND_ROWS (GPCOV_PALETTE_MAX + 2 + GPCOV_MAX_REASONS)

/* Checks the spec, classes every panel and lays the page out.  *out is
** freed with gpcov_figure_free. */
gpcov_status gpcov_figure_prepare(gpcov_ctx *ctx,
                                  const struct gpcov_map_spec *spec,
                                  struct gpcov_figure **out);
void gpcov_figure_free(struct gpcov_figure *fig);
/* Page size in points. */
void gpcov_figure_size(const struct gpcov_figure *fig, double *w, double *h);
/* The PNG resolution the spec asked for. */
double gpcov_figure_dpi(const struct gpcov_figure *fig);
/* Where map point (x, y) lands in panel p, in points; -1 when outside
** every view of the panel. */
int gpcov_figure_locate(const struct gpcov_figure *fig, size_t p, double x,
                        double y, double *px, double *py);
/* Draws the whole page onto cr (user units: points).  Returns GPCOV_OK or
** EINTERNAL with the cairo error. */
gpcov_status gpcov_figure_draw(gpcov_ctx *ctx, const struct gpcov_figure *fig,
                               cairo_t *cr);
/* The legend of panel p exactly as the figure draws it, for other outputs
** of the same classes (the web map, webmap.c): row r has the label, the
** count text "(12)", the colour, and the class it stands for (cls: the
** class index; -1 for "no data", whose colour is GPCOV_COLOUR_NODATA).
** header is the long unit heading the legend, or NULL.  Returns the number
** of rows.  Strings are owned by the figure. */
struct gpcov_legend_row {
    int cls;
    double rgb[3];
    const char *label;
    const char *count;
};
size_t gpcov_figure_legend_rows(const struct gpcov_figure *fig, size_t p,
                           struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS],
                           const char **header);
/* The class of each unit in panel p (in the order of spec->units): 0..k-1
** (a categorical panel: 0 false, 1 true, 2 undecided), -1 for no data, -2
** for a unit without geometry.  Owned by the figure. */
const int *gpcov_figure_classes(const struct gpcov_figure *fig, size_t p);

/* Panel p's legend as the figure draws it (strings copied; the caller
** clears it with gpcov_map_legends_free).  EINPUT/ENOMEM. */
gpcov_status gpcov_figure_legend(gpcov_ctx *ctx, const struct gpcov_figure *fig,
                                 size_t p, struct gpcov_map_legend *out);
/* Font options that make text metrics the same on every backend and the
** bytes the same on every run: no hinting, grey antialiasing. */
void gpcov_figure_font_options(cairo_t *cr);

#endif
