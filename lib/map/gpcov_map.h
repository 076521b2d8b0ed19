/*
** gpcov_map.h: the public API of lib/map/, maps: class breaks, palettes,
** the figure 3.8 maps, the web map, legends and QGIS styles.
** Included through gpcov.h, the umbrella header; conventions there.
*/
#ifndef GPCOV_MAP_API_H
#define GPCOV_MAP_API_H

#include "analysis/gpcov_analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ class breaks */

enum gpcov_breaks_method { GPCOV_BREAKS_QUANTILE, GPCOV_BREAKS_EQUAL,
                           GPCOV_BREAKS_JENKS, GPCOV_BREAKS_FIXED };

/* Computes k classes over the n finite values (nulls/NaN skipped by the
** caller).  breaks receives k+1 ascending edges: breaks[0] = min,
** breaks[k] = max; class c holds breaks[c] < v <= breaks[c+1] (the first
** class includes its lower edge).  For FIXED, breaks is input (k+1 edges)
** and is checked for order.  Jenks uses Fisher's exact optimal method. */
gpcov_status gpcov_breaks(gpcov_ctx *ctx, enum gpcov_breaks_method m,
                          const double *values, size_t n, int k,
                          double *breaks);
/* Class of v for k classes and edges breaks[0..k]; -1 when v is outside. */
int gpcov_breaks_class(const double *breaks, int k, double v);

/* ----------------------------------------------------------------- palette */

/* Sequential ramps, light to dark, with lightness falling steadily from
** class to class, so that classes stay in order in greyscale print and for
** readers with a colour-vision deficiency (see palette.c). */
enum gpcov_palette {
    GPCOV_PALETTE_BLUE = 0, /* yellow - green - blue (the default)       */
    GPCOV_PALETTE_RED,      /* yellow - orange - red-brown               */
    GPCOV_PALETTE_PURPLE,   /* pale grey - lilac - deep purple           */
    GPCOV_PALETTE_DIVERGING /* not sequential: blue - pale - red, for a
                               difference around 0 (an odd k centres the
                               middle class on the pale colour)          */
};

/* The most classes a ramp is made for (more would not be told apart). */
#define GPCOV_PALETTE_MAX 9

/* Colour of class c (0 = lowest) of k classes, as sRGB in [0,1] in rgb[3].
** Returns 0, or -1 when k or c is out of range (1 <= k <= 9, 0 <= c < k). */
int gpcov_palette_colour(enum gpcov_palette p, int k, int c, double rgb[3]);

/* Colours of the categorical (boolean) classes and of "no data" (drawn
** with a darker grey hatching over it). */
enum gpcov_palette_fixed { GPCOV_COLOUR_TRUE, GPCOV_COLOUR_FALSE,
                           GPCOV_COLOUR_NODATA, GPCOV_COLOUR_NODATA_HATCH,
                           GPCOV_COLOUR_UNDECIDED };
void gpcov_palette_fixed(enum gpcov_palette_fixed which, double rgb[3]);

/* Parses a palette name ("blue", "red", "purple"); returns 0 or -1. */
int gpcov_palette_parse(const char *name, enum gpcov_palette *out);

/* -------------------------------------------------------------------- maps */

#define GPCOV_MAP_AUTO (-1)       /* decimals chosen from the class edges  */
#define GPCOV_MAP_MAX_PANELS 4

/* One panel: one field of the units layer, classed and coloured. */
struct gpcov_map_panel {
    const char *field;   /* numeric field of the units layer (or boolean /
                            0-1 / "true"-"false" text when categorical)    */
    const char *title;   /* panel title; NULL: the field name              */
    const char *unit;    /* unit, e.g. "%" or "patients per capacity".  A
                            short unit (up to 3 characters) follows every
                            class label ("2.1 – 4.5 %"); a longer one heads
                            the legend.  May be NULL.                       */
    enum gpcov_breaks_method method;
    int classes;         /* number of classes (1-9); 0: 5.  For FIXED,
                            fixed holds classes+1 edges, ascending; the
                            outer edges may be -INFINITY / INFINITY, shown
                            as "≤ 3" and "> 10".                           */
    const double *fixed;
    int categorical;     /* two classes, true and false, labelled below     */
    const char *label_true, *label_false; /* NULL: "yes", "no"              */
    const char *label_undecided; /* a categorical unit whose value is the
                            text "undecided" (a threat verdict) is a class
                            of its own, in its own colour; NULL:
                            "undecided"                                    */
    const char *reason_field; /* text field saying why a unit has no value:
                            the legend has one no-data row per reason (the
                            units without one under the no-data label),
                            and the web map's popup shows it; may be NULL  */
    const char *count_field; /* legend counts: NULL counts units; a field
                            name sums it (people); "none" shows no counts  */
    const char *note;    /* small text under the legend, e.g. the travel
                            model a value comes from; may be NULL          */
    int decimals;        /* decimals in class labels, or GPCOV_MAP_AUTO     */
    enum gpcov_palette palette;
};

/* The figure.  Everything not set is 0 / NULL; gpcov_map_spec_init and
** gpcov_map_panel_init fill in the defaults noted here. */
struct gpcov_map_spec {
    const struct gpcov_layer *units; /* polygons in EPSG:25832, in the order
                                        to draw (keyed and sorted by io)    */
    const char *units_src;  /* the file units came from, for messages;
                               NULL: the layer's name                      */
    const struct gpcov_layer *outline; /* regions, drawn over the units with
                                          a thicker dark line; may be NULL  */
    const struct gpcov_layer *points;  /* markers (e.g. training sites);
                                          may be NULL                      */
    const char *points_src;            /* for messages, as units_src        */
    const char *point_label_field;     /* label beside each marker; NULL:
                                          no labels                        */
    const char *point_legend;          /* legend line for the markers;
                                          NULL: none                       */
    size_t npanels;                    /* 1 to GPCOV_MAP_MAX_PANELS        */
    const struct gpcov_map_panel *panels;
    const char *title;                 /* main title; may be NULL          */
    const char *const *attribution;    /* NULL-terminated lines; may be NULL */
    double dpi;                        /* PNG resolution; 0: 200           */
    int inset_copenhagen;   /* a zoomed inset of the capital area, with a
                               matching frame on the main map (only when
                               the units reach into that area and the map
                               is at national scale); init: 1              */
    int inset_bornholm;     /* units lying wholly east of easting 800,000 m
                               (Bornholm 0400, Christiansø 0411) are drawn
                               at the same scale in a box beside the main
                               map, which then ends at the Sound; init: 1  */
    const char *inset_label;  /* NULL: "Hovedstadsområdet"                 */
    const char *nodata_label; /* NULL: "no data"                           */
    int decimal_comma;      /* Danish number format: 1.617 and 2,5         */
    int no_unit_borders;    /* draw no line around each unit (isochrone
                               bands: their polygons are runs of cells,
                               whose lines would speckle the map)          */
    int selected;           /* the units are a selection (map --where):
                               points beyond them are expected, not a sign
                               of swapped coordinates                      */
    const char *unit_label_field; /* text field (municipality names)
                               written on the main map where a name fits
                               inside its unit (unitlabels.c); NULL: none  */
    const char *footnote;   /* a paragraph under the maps, above the
                               attribution, in type a reader can read (the
                               threat rules, gpcov_map_rules_note); may be
                               NULL                                        */
};

void gpcov_map_spec_init(struct gpcov_map_spec *spec);
void gpcov_map_panel_init(struct gpcov_map_panel *panel);

/* Renders the figure to dst, the format chosen by the extension: .png (at
** spec->dpi, with the resolution recorded in the file), .svg or .pdf (in
** points).  The same inputs give the same bytes.  Written to a temporary
** file beside dst and renamed on success: on failure nothing is left, and
** an existing dst is refused (GPCOV_EOUTPUT) unless overwrite.
** Errors: EUSAGE for a bad spec or an unknown extension, EINPUT for a
** missing or non-numeric field or values the breaks cannot class. */
gpcov_status gpcov_map_render(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                              const char *dst, int overwrite);

/* The same figure to several files at once (say PNG, SVG and PDF), all or
** nothing: every dst is checked before anything is drawn, and the files are
** renamed into place only when all of them were written. */
gpcov_status gpcov_map_render_all(gpcov_ctx *ctx,
                                  const struct gpcov_map_spec *spec,
                                  const char *const *dst, size_t ndst,
                                  int overwrite);
/* The same, into an output set the caller commits (with other outputs). */
gpcov_status gpcov_map_render_into(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                                   const char *const *dst, size_t ndst, gpcov_outset *set);

/* The page the figure takes, in points (a PNG is width*dpi/72 pixels wide,
** rounded up), and where map point (x, y) in EPSG:25832 lands in panel
** `panel` (0-based), in points from the page's top-left corner: in the main
** map, else in an inset.  *px and *py are NaN when the point lies in no
** view of that panel.  For image maps, captions and tests. */
gpcov_status gpcov_map_locate(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                              size_t panel, double x, double y, double *width,
                              double *height, double *px, double *py);

/* The rules of a threat layer, its GPCOV_RULES metadata item as `gpcov
** threat` writes it, as one paragraph for under a map (rulesnote.c):
** "Regler: aldring: andel 80+ i 2035 > 8,57 % (vægtet gennemsnit + 1); ...
** Truet når ...", the resolved thresholds rounded to to two decimals, in
** Danish (1.600; 8,57) when danish, else English.  labels: NULL, or a
** NULL-terminated list of "NAME=TEXT" or "NAME=TEXT|UNIT" giving rule and
** field names their words (a field's unit follows its threshold).  *out is
** malloc'ed, the caller frees it.  EINPUT when rules is not in that form. */
gpcov_status gpcov_map_rules_note(gpcov_ctx *ctx, const char *rules, const char *const *labels,
                                  int danish, char **out);

/* ----------------------------------------------------------------- web map */

#define GPCOV_WEBMAP_MAX_PANELS 16

/* A web map: one self-contained HTML file (Leaflet and the page's script
** compiled in, the data inline, nothing fetched when it is opened) with the
** units as polygons, one indicator shown at a time and switchable, a
** legend with the same classes, labels and colours as `gpcov map` draws
** for the same panel, and a popup with every indicator of a clicked unit
** (and what each threat rule said of it, when the units or a joined layer
** carry rules_fired), a search by name or code, a metric scale bar, and the
** region borders and markers when given.
** Everything not set is 0 / NULL; gpcov_webmap_spec_init fills in the
** defaults noted here. */
struct gpcov_webmap_spec {
    const struct gpcov_layer *units; /* keyed polygons in EPSG:25832        */
    const char *units_src;           /* for messages; NULL: layer name     */
    const char *name_field;          /* unit names; init: "name"           */
    const struct gpcov_layer *const *joins; /* more keyed layers, e.g. the
                                        threat or fee layer: a panel field
                                        the units lack is taken from the
                                        first of these that has it, by key */
    const char *const *joins_src;    /* for messages, as units_src         */
    size_t njoins;
    size_t npanels;                  /* 1 to GPCOV_WEBMAP_MAX_PANELS       */
    const struct gpcov_map_panel *panels; /* as for gpcov_map_render       */
    const char *title;               /* page and map title; may be NULL    */
    const char *const *attribution;  /* NULL-terminated lines; may be NULL */
    const char *nodata_label;        /* NULL: "no data"                    */
    int decimal_comma;               /* Danish numbers (1.617,5) and the
                                        page's own words in Danish         */
    double simplify;                 /* GEOS topology-preserving
                                        simplification tolerance, metres;
                                        0: none; init: 30                  */
    int precision;                   /* decimals of longitude and latitude
                                        in the GeoJSON; init: 5 (~1 m)     */
    const char *where;               /* only the units where this condition
                                        (the expression language, over the
                                        units' and the joined fields) holds;
                                        classes and counts are over them and
                                        the view fits them; NULL: all      */
    const struct gpcov_layer *outline; /* regions, drawn as borders over the
                                        units (simplified as they are); may
                                        be NULL                            */
    const char *outline_src;         /* for messages, as units_src         */
    const struct gpcov_layer *points; /* markers (e.g. training sites) with
                                        a popup of their fields; may be NULL */
    const char *points_src;          /* for messages, as units_src         */
    const char *point_label_field;   /* the markers' label; NULL: none     */
    const char *point_legend;        /* legend line for them; NULL: none   */
};

/* What a web map holds, for the caller to report. */
struct gpcov_webmap_info {
    size_t bytes;                /* size of the HTML file                 */
    size_t geojson_bytes;        /* of which the inline GeoJSON           */
    size_t features;
    size_t vertices_in, vertices_out; /* before and after simplification  */
    size_t units_in;             /* units before the --where selection    */
    size_t undecided;            /* units the condition could not decide
                                    (a field it needs is missing): left
                                    out, and said so on the page          */
    char undecided_list[256];    /* "0411 Christiansø, ..." (cut with ...) */
    char missing[128];           /* the fields they lack: "region_code"   */
};

void gpcov_webmap_spec_init(struct gpcov_webmap_spec *spec);

/* Writes the web map to dst (.html or .htm) atomically: to a temporary
** name beside dst, renamed on success; nothing is left on failure and an
** existing dst is refused (GPCOV_EOUTPUT) unless overwrite.  The GeoJSON
** inside is RFC 7946 (lon/lat), written by OGR.  The same inputs give the
** same bytes.  info may be NULL.
** Errors: EUSAGE for a bad spec, EINPUT for a missing field, a units
** layer without keys, or values the classes cannot take (as for maps). */
gpcov_status gpcov_webmap_write(gpcov_ctx *ctx,
                                const struct gpcov_webmap_spec *spec,
                                const char *dst, int overwrite,
                                struct gpcov_webmap_info *info);

/* ------------------------------------------------------------ map legends */

/* One row of a panel's legend: a class, as the map fills it. */
struct gpcov_legend_class {
    double lo, hi;     /* the class holds lo < v <= hi (the first also lo);
                          the outer edges may be -INFINITY / INFINITY.  A
                          categorical class holds the one value lo == hi
                          (1 for true, 0 for false)                       */
    double value;      /* when the legend is single_valued: the one value
                          of the class (its upper edge)                   */
    double rgb[3];     /* fill, sRGB in [0,1]                              */
    char *label;       /* the legend's label, e.g. "5,1 – 7,2 %"           */
    size_t count;      /* units in the class                               */
};

/* A panel's classes and colours exactly as its map draws them, for styles
** that other software applies to the same data (qgisstyle.c). */
struct gpcov_map_legend {
    char *field;            /* the field the panel classes                 */
    char *title;            /* the panel title (the field when none given) */
    char *method;           /* "quantile", "equal interval", "jenks",
                               "fixed" or "categorical"                    */
    int categorical;        /* rows are values: true first, then false,
                               then undecided (value 2, the text
                               "undecided") when a unit is               */
    int single_valued;      /* every unit of each class holds the class's
                               upper edge (isochrone bands: 30, 60, 120),
                               so the classes are categories               */
    size_t nclasses;        /* rows, in legend order (ascending classes;
                               categorical: true, false)                   */
    struct gpcov_legend_class cls[GPCOV_PALETTE_MAX];
    size_t nodata;          /* units without a value, drawn hatched         */
    char *nodata_label;
    double nodata_rgb[3], hatch_rgb[3];
    double border_rgb[3];   /* the unit borders the map draws              */
    double border_pt;       /* their width in points (1/72 in)             */
};

/* Classes every panel of spec as gpcov_map_render would draw it, into
** *out, an array of spec->npanels legends freed with
** gpcov_map_legends_free(*out, spec->npanels).  Errors as gpcov_map_render. */
gpcov_status gpcov_map_legends(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                               struct gpcov_map_legend **out);
void gpcov_map_legends_free(struct gpcov_map_legend *legends, size_t n);

/* ----------------------------------------------------------- QGIS styles */

/* QGIS styles in a GeoPackage (qgisstyle.c): one row per legend in the
** layer_styles table QGIS itself reads and writes (made through OGR with
** QGIS's schema, registered in gpkg_contents as an attributes table), with
** a QML (a graduated renderer; a categorized one for categorical and
** single-valued legends) and an SLD of the same classes, labels, fills and
** borders.  Styles are named after their field (styleName, at most 30
** characters); the legend at index default_style is the layer's default
** (useAsDefault = 1, and 0 for every other style of the layer).  A style
** of the same name on the layer is refused (GPCOV_EOUTPUT) unless
** overwrite, then replaced.  update_time is fixed (2000-01-01T00:00:00Z),
** so the same inputs give the same bytes. */
struct gpcov_qgis_style_opts {
    const char *layer;     /* the styled layer; NULL: the GeoPackage's first
                              layer other than layer_styles                */
    size_t default_style;  /* index into legends                           */
    int overwrite;         /* replace styles of the same name              */
};

/* Writes the styles into a copy of gpkg beside it (the copy's path in
** *tmp, caller frees): the caller renames it over gpkg with
** gpcov_atomic_commit, or drops it with gpcov_atomic_abort, so the styles
** and other outputs (the maps) appear together.  Errors: EINPUT when gpkg
** is not a GeoPackage, lacks the layer or a legend's field; EOUTPUT when
** a style exists already (without overwrite) or the copy cannot be made. */
gpcov_status gpcov_qgisstyle_begin(gpcov_ctx *ctx, const char *gpkg,
                                   const struct gpcov_map_legend *legends,
                                   size_t n,
                                   const struct gpcov_qgis_style_opts *opts,
                                   char **tmp);
/* The same, committed at once (gpkg replaced by the styled copy). */
gpcov_status gpcov_qgisstyle_write(gpcov_ctx *ctx, const char *gpkg,
                                   const struct gpcov_map_legend *legends,
                                   size_t n,
                                   const struct gpcov_qgis_style_opts *opts);
/* The QML and the SLD of one legend for a polygon layer (named layer in
** the SLD), as UTF-8 XML documents the caller frees with free(). */
gpcov_status gpcov_qgisstyle_qml(gpcov_ctx *ctx, const struct gpcov_map_legend *lg,
                                 char **out);
gpcov_status gpcov_qgisstyle_sld(gpcov_ctx *ctx, const struct gpcov_map_legend *lg,
                                 const char *layer, char **out);

/* ------------------------------------------------------------ site choice */

/* `gpcov site` with its map (sitemap.c): gpcov_site_run with the map of
** the chosen sites over the units' gain drawn into the same output set. */
gpcov_status gpcov_site(gpcov_ctx *ctx, const struct gpcov_site_run_opts *o,
                        struct gpcov_site_run_summary *sum);

#ifdef __cplusplus
}
#endif
#endif
