/*
** symbology.h: a map's classes, labels and colours without the page.
** symbology.c reads each panel's values, breaks them into classes, colours
** them from the palette and writes the legend rows (the classes, then
** "undecided" and the no-data rows with their reasons, each with its
** count); the printed figure (layout.c, render.c), the web map (webmap.c)
** and the QGIS styles (legend.c, qgisstyle.c) all take their classes from
** here, so that none can drift from another.  No cairo in it.
*/
#ifndef GPCOV_SYMBOLOGY_H
#define GPCOV_SYMBOLOGY_H

#include "map_internal.h"
#include "gpcov.h"

/* The most rows a panel's legend has: its classes, "undecided", and up to
** MAX_REASONS rows of units without a value, one per reason, and one for
** the rest. */
#define GPCOV_MAX_REASONS 4
#define GPCOV_LEGEND_ROWS (GPCOV_PALETTE_MAX + 2 + GPCOV_MAX_REASONS)

enum { ROW_CLASS, ROW_NODATA, ROW_POINTS };

/* One legend row as the figure draws it. */
struct sym_row {
    int kind;
    int cls;  /* the class it stands for; -1 no data                  */
    double rgb[3];
    char *label;
    char count[32];
};

/* One panel's classes: the breaks, the colours, each unit's class and the
** legend rows. */
struct sym_panel {
    const struct gpcov_map_panel *p;
    int k;
    double breaks[GPCOV_PALETTE_MAX + 1];
    double rgb[GPCOV_PALETTE_MAX][3];
    int *cls; /* per unit: class, -1 no data, -2 not drawn */
    size_t nreason;     /* distinct reasons for no data, as legend rows */
    char *reason[GPCOV_MAX_REASONS];
    size_t nrows;
    struct sym_row rows[GPCOV_LEGEND_ROWS];
    char *header;       /* a long unit, heading the legend */
    char letter[8];     /* "(a)"                           */
};

struct gpcov_symbology {
    const struct gpcov_map_spec *spec;
    GEOSContextHandle_t geos;
    size_t nunits;
    unsigned char *drawn; /* per unit: has a geometry with an extent */
    const char *nodata_label;
    size_t np;
    struct sym_panel panels[GPCOV_MAP_MAX_PANELS];
};

/* Checks the spec (the units, the panels, the resolution) and classes
** every panel.  *out is freed with gpcov_symbology_free. */
gpcov_status gpcov_symbology_prepare(gpcov_ctx *ctx,
                                     const struct gpcov_map_spec *spec,
                                     struct gpcov_symbology **out);
void gpcov_symbology_free(struct gpcov_symbology *sym);

/* The legend of panel p as the figure draws it, for other outputs of the
** same classes (the web map, webmap.c): row r has the label, the count text
** "(12)", the colour, and the class it stands for (cls: the class index; -1
** for "no data", whose colour is GPCOV_COLOUR_NODATA).  header is the long
** unit heading the legend, or NULL.  Returns the number of rows.  Strings
** are owned by sym. */
struct gpcov_legend_row {
    int cls;
    double rgb[3];
    const char *label;
    const char *count;
};
size_t gpcov_symbology_legend_rows(const struct gpcov_symbology *sym, size_t p,
                                   struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS],
                                   const char **header);
/* The class of each unit in panel p (in the order of spec->units): 0..k-1
** (a categorical panel: 0 false, 1 true, 2 undecided), -1 for no data, -2
** for a unit without geometry.  Owned by sym. */
const int *gpcov_symbology_classes(const struct gpcov_symbology *sym, size_t p);
/* Panel p's legend as the figure draws it (strings copied; the caller
** clears it with gpcov_map_legends_free).  EINPUT/ENOMEM. */
gpcov_status gpcov_symbology_legend(gpcov_ctx *ctx,
                                    const struct gpcov_symbology *sym, size_t p,
                                    struct gpcov_map_legend *out);
/* The grey and width (points) of the unit borders: thin and light under
** region borders, darker without them (then they draw the coast). */
void gpcov_symbology_border(const struct gpcov_map_spec *spec, double *grey,
                            double *width);

/* Shared with the layout: v with dec decimals, grouped thousands, a true
** minus sign, Danish style (1.617,5) when comma is set; the units' name for
** messages; feature i's name for messages; the "no field" error. */
void gpcov_sym_fmt_num(char *out, size_t sz, double v, int dec, int comma);
const char *gpcov_sym_units_src(const struct gpcov_map_spec *spec);
const char *gpcov_sym_feat_name(const struct gpcov_layer *l, size_t i,
                                char *buf, size_t sz);
gpcov_status gpcov_sym_no_field(gpcov_ctx *ctx, const struct gpcov_layer *l,
                                const char *src, const char *what,
                                const char *field);

#endif
