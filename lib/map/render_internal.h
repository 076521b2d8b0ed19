/*
** render_internal.h: what the figure (symbology.c: classes; layout.c:
** positions; render.c: drawing) and render_out.c (the files: PNG, SVG,
** PDF, atomic writes) share.  A figure is prepared once, with every class,
** label and position fixed, and then drawn onto as many cairo surfaces as
** there are outputs.
*/
#ifndef GPCOV_RENDER_INTERNAL_H
#define GPCOV_RENDER_INTERNAL_H

#include "map_internal.h"
#include "gpcov.h"
#include "symbology.h"

#include <cairo.h>

struct gpcov_figure;

/* Checks the spec, classes every panel (symbology.c) and lays the page
** out.  *out is freed with gpcov_figure_free. */
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
/* The legend rows and the unit classes of panel p, as the symbology's
** (symbology.h); owned by the figure. */
size_t gpcov_figure_legend_rows(const struct gpcov_figure *fig, size_t p,
                                struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS],
                                const char **header);
const int *gpcov_figure_classes(const struct gpcov_figure *fig, size_t p);

/* Font options that make text metrics the same on every backend and the
** bytes the same on every run: no hinting, grey antialiasing. */
void gpcov_figure_font_options(cairo_t *cr);

#endif
