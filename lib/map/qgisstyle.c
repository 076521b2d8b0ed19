/*
** qgisstyle.c: QGIS styles inside a GeoPackage, so that an analyst who
** opens a layer in QGIS sees the classes and colours of the report's map.
** QGIS keeps styles in a table called layer_styles in the GeoPackage
** itself (id, f_table_catalog, f_table_schema, f_table_name,
** f_geometry_column, styleName, styleQML, styleSLD, useAsDefault,
** description, owner, ui, update_time) and applies the row marked
** useAsDefault when the layer is loaded.  This file makes that table the
** way QGIS's OGR provider does (an attributes table created through OGR,
** FID column "id", registered in gpkg_contents; QGIS declares no
** gpkg_extensions row for it, and neither do we) and writes one row per
** map legend: a QML document with a graduated renderer over the legend's
** classes (a categorized one for true/false panels and for classes that
** each hold one value, such as isochrone bands), and an SLD with the same
** rules.  Class edges are written with enough digits to read back the
** same doubles; open outer edges (-inf, inf) become -DBL_MAX and DBL_MAX,
** which QGIS reads as numbers.  Units without a value are a hatched grey
** category in a categorized style and an IS NULL rule in the SLD; QGIS's
** graduated renderer has no class for them and leaves them unfilled.
**
** The XML is built with GDAL's CPL XML tree (escaping included), the table
** written through OGR in one transaction, on a copy of the GeoPackage that
** replaces it only when everything was written (atomic.c).  update_time is
** a fixed date, so the same inputs give the same bytes.
*/
#include "map_internal.h"

#include <cpl_conv.h>
#include <cpl_minixml.h>
#include <cpl_string.h>
#include <float.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STYLES_TABLE "layer_styles"
#define STYLE_NAME_MAX 30 /* styleName's width in QGIS's schema */
#define QGIS_VERSION "3.22.0"
#define MM_PER_PT (25.4 / 72.0)
#define MM_PER_PX 0.28 /* the OGC standardized rendering pixel (SE 1.1) */

/* ---------------------------------------------------------------- numbers */

/* The shortest of %.15g .. %.17g that reads back as v; open edges as
** -DBL_MAX / DBL_MAX. */
static void fmt_edge(char *out, size_t sz, double v)
{
    if (isinf(v))
        v = v < 0 ? -DBL_MAX : DBL_MAX;
    for (int p = 15; p <= 17; p++) {
        snprintf(out, sz, "%.*g", p, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

static int byte_of(double c)
{
    long v = lround(c * 255.0);
    return v < 0 ? 0 : v > 255 ? 255 : (int)v;
}

static void qml_colour(char *out, size_t sz, const double rgb[3])
{
    snprintf(out, sz, "%d,%d,%d,255", byte_of(rgb[0]), byte_of(rgb[1]),
             byte_of(rgb[2]));
}

static void hex_colour(char *out, size_t sz, const double rgb[3])
{
    snprintf(out, sz, "#%02x%02x%02x", byte_of(rgb[0]), byte_of(rgb[1]),
             byte_of(rgb[2]));
}

/* ------------------------------------------------------------------- QML */

static CPLXMLNode *elem(CPLXMLNode *parent, const char *name)
{
    return CPLCreateXMLNode(parent, CXT_Element, name);
}

static void attr(CPLXMLNode *n, const char *name, const char *value)
{
    CPLAddXMLAttributeAndValue(n, name, value);
}

/* One property of a symbol layer, in both the current form (an Option in
** a map) and the older <prop k= v=> that QGIS before 3.18 reads. */
static void prop(CPLXMLNode *map, CPLXMLNode *layer, const char *k,
                 const char *v)
{
    CPLXMLNode *o = elem(map, "Option");
    attr(o, "name", k);
    attr(o, "type", "QString");
    attr(o, "value", v);
    CPLXMLNode *p = elem(layer, "prop");
    attr(p, "k", k);
    attr(p, "v", v);
}

/* A SimpleFill symbol layer: fill colour and brush style, border. */
static void simple_fill(CPLXMLNode *symbol, const double rgb[3],
                        const char *style, const double border[3],
                        double border_pt)
{
    CPLXMLNode *l = elem(symbol, "layer");
    attr(l, "class", "SimpleFill");
    attr(l, "enabled", "1");
    attr(l, "locked", "0");
    attr(l, "pass", "0");
    CPLXMLNode *map = elem(l, "Option");
    attr(map, "type", "Map");
    char c[64];
    qml_colour(c, sizeof c, rgb);
    prop(map, l, "border_width_map_unit_scale", "3x:0,0,0,0,0,0");
    prop(map, l, "color", c);
    prop(map, l, "joinstyle", "round");
    prop(map, l, "offset", "0,0");
    prop(map, l, "offset_map_unit_scale", "3x:0,0,0,0,0,0");
    prop(map, l, "offset_unit", "MM");
    if (border) {
        qml_colour(c, sizeof c, border);
        prop(map, l, "outline_color", c);
        prop(map, l, "outline_style", "solid");
        snprintf(c, sizeof c, "%g", border_pt);
        prop(map, l, "outline_width", c);
        prop(map, l, "outline_width_unit", "Point");
    } else {
        prop(map, l, "outline_color", "0,0,0,0");
        prop(map, l, "outline_style", "no");
        prop(map, l, "outline_width", "0");
        prop(map, l, "outline_width_unit", "Point");
    }
    prop(map, l, "style", style);
}

static CPLXMLNode *fill_symbol(CPLXMLNode *symbols, int index)
{
    char name[16];
    snprintf(name, sizeof name, "%d", index);
    CPLXMLNode *s = elem(symbols, "symbol");
    attr(s, "type", "fill");
    attr(s, "name", name);
    attr(s, "alpha", "1");
    attr(s, "clip_to_extent", "1");
    attr(s, "force_rhr", "0");
    return s;
}

/* Categories are the values of the legend's classes: true and false (1
** and 0, and QGIS's "true"/"false" for a boolean field), or the one value
** each class holds. */
static void category_values(CPLXMLNode *cat, const struct gpcov_map_legend *lg,
                            const struct gpcov_legend_class *c)
{
    char v[64];
    if (lg->categorical && c->value == 2) {
        attr(elem(cat, "val"), "value", "undecided"); /* a text verdict */
    } else if (lg->categorical) {
        CPLXMLNode *a = elem(cat, "val");
        attr(a, "value", c->value ? "1" : "0");
        CPLXMLNode *b = elem(cat, "val");
        attr(b, "value", c->value ? "true" : "false");
    } else {
        fmt_edge(v, sizeof v, c->value);
        attr(cat, "value", v);
    }
}

/* One class of the renderer: a category or a range, and its symbol. */
static void qml_class(CPLXMLNode *list, CPLXMLNode *symbols,
                      const struct gpcov_map_legend *lg, size_t i,
                      int categorized)
{
    const struct gpcov_legend_class *c = &lg->cls[i];
    char idx[32];
    snprintf(idx, sizeof idx, "%zu", i);
    CPLXMLNode *e;
    if (categorized) {
        e = elem(list, "category");
        category_values(e, lg, c);
    } else {
        char lo[64], hi[64];
        fmt_edge(lo, sizeof lo, c->lo);
        fmt_edge(hi, sizeof hi, c->hi);
        e = elem(list, "range");
        attr(e, "lower", lo);
        attr(e, "upper", hi);
    }
    attr(e, "symbol", idx);
    attr(e, "label", c->label ? c->label : "");
    attr(e, "render", "true");
    simple_fill(fill_symbol(symbols, (int)i), c->rgb, "solid", lg->border_rgb,
                lg->border_pt);
}

/* The category of the units without a value: the empty value matches
** features without one, as on the map: a light grey hatched with a darker
** grey. */
static void qml_nodata(CPLXMLNode *list, CPLXMLNode *symbols,
                       const struct gpcov_map_legend *lg)
{
    char idx[32];
    snprintf(idx, sizeof idx, "%zu", lg->nclasses);
    CPLXMLNode *e = elem(list, "category");
    attr(e, "value", "");
    attr(e, "symbol", idx);
    attr(e, "label", lg->nodata_label ? lg->nodata_label : "");
    attr(e, "render", "true");
    CPLXMLNode *s = fill_symbol(symbols, (int)lg->nclasses);
    simple_fill(s, lg->nodata_rgb, "solid", lg->border_rgb, lg->border_pt);
    simple_fill(s, lg->hatch_rgb, "b_diagonal", NULL, 0);
}

/* The renderer's classification method, which QGIS knows by its id. */
static void qml_method(CPLXMLNode *r, const struct gpcov_map_legend *lg)
{
    CPLXMLNode *m = elem(r, "classificationMethod");
    const char *id = !strcmp(lg->method, "quantile") ? "Quantile"
                     : !strcmp(lg->method, "jenks") ? "Jenks"
                     : !strcmp(lg->method, "equal interval") ? "EqualInterval"
                                                              : NULL;
    if (id)
        attr(m, "id", id);
    else
        CPLRemoveXMLChild(r, m), CPLDestroyXMLNode(m);
}

gpcov_status gpcov_qgisstyle_qml(gpcov_ctx *ctx, const struct gpcov_map_legend *lg,
                                 char **out)
{
    *out = NULL;
    if (!lg || !lg->field || lg->nclasses < 1 || lg->nclasses > GPCOV_PALETTE_MAX)
        return gpcov_err(ctx, GPCOV_EUSAGE, "QGIS style: a legend without classes");
    int categorized = lg->categorical || lg->single_valued;
    CPLXMLNode *doctype = CPLCreateXMLNode(
        NULL, CXT_Literal, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>");
    CPLXMLNode *root = CPLCreateXMLNode(NULL, CXT_Element, "qgis");
    doctype->psNext = root;
    attr(root, "version", QGIS_VERSION);
    attr(root, "styleCategories", "Symbology");
    CPLXMLNode *r = elem(root, "renderer-v2");
    attr(r, "type", categorized ? "categorizedSymbol" : "graduatedSymbol");
    attr(r, "attr", lg->field);
    if (!categorized)
        attr(r, "graduatedMethod", "GraduatedColor");
    attr(r, "symbollevels", "0");
    attr(r, "forceraster", "0");
    attr(r, "enableorderby", "0");
    attr(r, "referencescale", "-1");
    CPLXMLNode *list = elem(r, categorized ? "categories" : "ranges");
    CPLXMLNode *symbols = elem(r, "symbols");
    for (size_t i = 0; i < lg->nclasses; i++)
        qml_class(list, symbols, lg, i, categorized);
    if (categorized && lg->nodata)
        qml_nodata(list, symbols, lg);
    if (!categorized)
        qml_method(r, lg);
    CPLCreateXMLElementAndValue(root, "layerGeometryType", "2"); /* polygons */
    char *xml = CPLSerializeXMLTree(doctype);
    CPLDestroyXMLNode(doctype);
    if (!xml || !(*out = gpcov_strdup(xml))) {
        CPLFree(xml);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory (QML)");
    }
    CPLFree(xml);
    return GPCOV_OK;
}

/* ------------------------------------------------------------------- SLD */

static CPLXMLNode *sld_compare(CPLXMLNode *parent, const char *op,
                               const char *field, const char *value)
{
    CPLXMLNode *c = elem(parent, op);
    CPLCreateXMLElementAndValue(c, "ogc:PropertyName", field);
    if (value)
        CPLCreateXMLElementAndValue(c, "ogc:Literal", value);
    return c;
}

static void svg_param(CPLXMLNode *parent, const char *name, const char *value)
{
    CPLXMLNode *p = CPLCreateXMLElementAndValue(parent, "se:SvgParameter", value);
    /* the attribute goes before the text */
    CPLXMLNode *text = p->psChild;
    p->psChild = NULL;
    attr(p, "name", name);
    CPLAddXMLChild(p, text);
}

static void sld_polygon(CPLXMLNode *rule, const double fill[3],
                        const struct gpcov_map_legend *lg)
{
    CPLXMLNode *ps = elem(rule, "se:PolygonSymbolizer");
    char c[32];
    hex_colour(c, sizeof c, fill);
    CPLXMLNode *f = elem(ps, "se:Fill");
    svg_param(f, "fill", c);
    CPLXMLNode *s = elem(ps, "se:Stroke");
    hex_colour(c, sizeof c, lg->border_rgb);
    svg_param(s, "stroke", c);
    snprintf(c, sizeof c, "%.3f", lg->border_pt * MM_PER_PT / MM_PER_PX);
    svg_param(s, "stroke-width", c);
    svg_param(s, "stroke-linejoin", "round");
}

static CPLXMLNode *sld_rule(CPLXMLNode *fts, const char *label)
{
    CPLXMLNode *rule = elem(fts, "se:Rule");
    CPLCreateXMLElementAndValue(rule, "se:Name", label);
    CPLXMLNode *d = elem(rule, "se:Description");
    CPLCreateXMLElementAndValue(d, "se:Title", label);
    return rule;
}

/* The rule of class i: its filter (a value, or lo < v <= hi as
** gpcov_breaks_class, the first class also lo) and its fill. */
static void sld_class(CPLXMLNode *fts, const struct gpcov_map_legend *lg,
                      size_t i, int categorized)
{
    const struct gpcov_legend_class *c = &lg->cls[i];
    CPLXMLNode *rule = sld_rule(fts, c->label ? c->label : "");
    CPLXMLNode *filter = elem(rule, "ogc:Filter");
    char lo[64], hi[64];
    if (categorized) {
        if (lg->categorical)
            snprintf(hi, sizeof hi, "%s", c->value == 2 ? "undecided" : c->value ? "1" : "0");
        else
            fmt_edge(hi, sizeof hi, c->value);
        sld_compare(filter, "ogc:PropertyIsEqualTo", lg->field, hi);
    } else {
        int has_lo = isfinite(c->lo), has_hi = isfinite(c->hi);
        CPLXMLNode *and = has_lo && has_hi ? elem(filter, "ogc:And") : filter;
        fmt_edge(lo, sizeof lo, c->lo);
        fmt_edge(hi, sizeof hi, c->hi);
        if (has_lo)
            sld_compare(and, i == 0 ? "ogc:PropertyIsGreaterThanOrEqualTo"
                                    : "ogc:PropertyIsGreaterThan",
                        lg->field, lo);
        if (has_hi)
            sld_compare(and, "ogc:PropertyIsLessThanOrEqualTo", lg->field, hi);
        if (!has_lo && !has_hi) { /* one class over everything */
            CPLRemoveXMLChild(rule, filter);
            CPLDestroyXMLNode(filter);
        }
    }
    sld_polygon(rule, c->rgb, lg);
}

/* The rule of the units without a value: the no-data fill, hatched. */
static void sld_nodata(CPLXMLNode *fts, const struct gpcov_map_legend *lg)
{
    CPLXMLNode *rule = sld_rule(fts, lg->nodata_label ? lg->nodata_label : "");
    CPLXMLNode *filter = elem(rule, "ogc:Filter");
    sld_compare(filter, "ogc:PropertyIsNull", lg->field, NULL);
    sld_polygon(rule, lg->nodata_rgb, lg);
    /* the hatching over it */
    CPLXMLNode *ps = elem(rule, "se:PolygonSymbolizer");
    CPLXMLNode *f = elem(ps, "se:Fill");
    CPLXMLNode *g = elem(elem(f, "se:GraphicFill"), "se:Graphic");
    CPLXMLNode *mark = elem(g, "se:Mark");
    CPLCreateXMLElementAndValue(mark, "se:WellKnownName", "slash");
    CPLXMLNode *st = elem(mark, "se:Stroke");
    char c[32];
    hex_colour(c, sizeof c, lg->hatch_rgb);
    svg_param(st, "stroke", c);
    svg_param(st, "stroke-width", "1");
    CPLCreateXMLElementAndValue(g, "se:Size", "9");
}

gpcov_status gpcov_qgisstyle_sld(gpcov_ctx *ctx, const struct gpcov_map_legend *lg,
                                 const char *layer, char **out)
{
    *out = NULL;
    if (!lg || !lg->field || lg->nclasses < 1 || lg->nclasses > GPCOV_PALETTE_MAX)
        return gpcov_err(ctx, GPCOV_EUSAGE, "QGIS style: a legend without classes");
    int categorized = lg->categorical || lg->single_valued;
    CPLXMLNode *decl = CPLCreateXMLNode(NULL, CXT_Element, "?xml");
    attr(decl, "version", "1.0");
    attr(decl, "encoding", "UTF-8");
    CPLXMLNode *root = CPLCreateXMLNode(NULL, CXT_Element, "StyledLayerDescriptor");
    decl->psNext = root;
    attr(root, "xmlns", "http://www.opengis.net/sld");
    attr(root, "xmlns:ogc", "http://www.opengis.net/ogc");
    attr(root, "xmlns:se", "http://www.opengis.net/se");
    attr(root, "xmlns:xlink", "http://www.w3.org/1999/xlink");
    attr(root, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    attr(root, "version", "1.1.0");
    attr(root, "xsi:schemaLocation",
         "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd");
    CPLXMLNode *nl = elem(root, "NamedLayer");
    CPLCreateXMLElementAndValue(nl, "se:Name", layer ? layer : "");
    CPLXMLNode *us = elem(nl, "UserStyle");
    CPLCreateXMLElementAndValue(us, "se:Name", lg->field);
    CPLXMLNode *fts = elem(us, "se:FeatureTypeStyle");
    for (size_t i = 0; i < lg->nclasses; i++)
        sld_class(fts, lg, i, categorized);
    if (lg->nodata)
        sld_nodata(fts, lg);
    char *xml = CPLSerializeXMLTree(decl);
    CPLDestroyXMLNode(decl);
    if (!xml || !(*out = gpcov_strdup(xml))) {
        CPLFree(xml);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory (SLD)");
    }
    CPLFree(xml);
    return GPCOV_OK;
}

/* ------------------------------------------------------------ the table */

/* QGIS's schema for layer_styles, as its OGR provider creates it. */
static gpcov_status create_styles_table(gpcov_ctx *ctx, GDALDatasetH ds,
                                        const char *gpkg, OGRLayerH *out)
{
    static const struct {
        const char *name;
        OGRFieldType type;
        int width;
    } cols[] = {{"f_table_catalog", OFTString, 256},
                {"f_table_schema", OFTString, 256},
                {"f_table_name", OFTString, 256},
                {"f_geometry_column", OFTString, 256},
                {"styleName", OFTString, STYLE_NAME_MAX},
                {"styleQML", OFTString, 0},
                {"styleSLD", OFTString, 0},
                {"useAsDefault", OFTInteger, 0},
                {"description", OFTString, 0},
                {"owner", OFTString, 30},
                {"ui", OFTString, 30},
                {"update_time", OFTDateTime, 0}};
    char **lco = CSLSetNameValue(NULL, "FID", "id");
    OGRLayerH l = GDALDatasetCreateLayer(ds, STYLES_TABLE, NULL, wkbNone, lco);
    CSLDestroy(lco);
    if (!l)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot create table %s: %s", gpkg,
                         STYLES_TABLE, gpcov_dep_error(ctx));
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(cols[i].name, cols[i].type);
        if (cols[i].width)
            OGR_Fld_SetWidth(fd, cols[i].width);
        if (!strcmp(cols[i].name, "useAsDefault"))
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        if (!strcmp(cols[i].name, "update_time"))
            OGR_Fld_SetDefault(fd, "CURRENT_TIMESTAMP");
        OGRErr e = OGR_L_CreateField(l, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot create column %s.%s: %s",
                             gpkg, STYLES_TABLE, cols[i].name, gpcov_dep_error(ctx));
    }
    *out = l;
    return GPCOV_OK;
}

/* 'text' as an SQL string literal, quotes doubled (caller frees). */
static char *sql_quote(const char *s)
{
    size_t n = 3;
    for (const char *p = s; *p; p++)
        n += *p == '\'' ? 2 : 1;
    char *q = malloc(n), *o = q;
    if (!q)
        return NULL;
    *o++ = '\'';
    for (; *s; s++) {
        if (*s == '\'')
            *o++ = '\'';
        *o++ = *s;
    }
    *o++ = '\'';
    *o = 0;
    return q;
}

/* The style rows of table (and name, when not NULL), as an attribute
** filter on layer_styles. */
static gpcov_status filter_styles(gpcov_ctx *ctx, OGRLayerH st, const char *table,
                                  const char *geomcol, const char *name)
{
    char *t = sql_quote(table), *g = sql_quote(geomcol), *n = name ? sql_quote(name) : NULL;
    char *f = NULL;
    if (t && g && (n || !name)) {
        size_t len = strlen(t) + strlen(g) + (n ? strlen(n) : 0) + 96;
        if ((f = malloc(len)))
            snprintf(f, len, "f_table_name = %s AND f_geometry_column = %s%s%s", t, g,
                     n ? " AND styleName = " : "", n ? n : "");
    }
    free(t);
    free(g);
    free(n);
    if (!f)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    OGRErr e = OGR_L_SetAttributeFilter(st, f);
    free(f);
    if (e != OGRERR_NONE)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: cannot query: %s", STYLES_TABLE,
                         gpcov_dep_error(ctx));
    OGR_L_ResetReading(st);
    gpcov_dep_clear(ctx);
    return GPCOV_OK;
}

/* The style's name: the field, cut to 30 bytes on a character boundary;
** a second legend of the same field in one call gets " (b)", ... */
static void style_name(const struct gpcov_map_legend *lg, size_t i, char *out, size_t sz)
{
    int dup = 0;
    for (size_t j = 0; j < i; j++)
        dup |= !strcmp(lg[j].field, lg[i].field);
    char suffix[8] = "";
    if (dup)
        snprintf(suffix, sizeof suffix, " (%c)", (char)('a' + i % 26));
    size_t max = STYLE_NAME_MAX - strlen(suffix);
    if (max >= sz)
        max = sz - 1;
    size_t n = strlen(lg[i].field);
    if (n > max) {
        n = max;
        while (n && ((unsigned char)lg[i].field[n] & 0xC0) == 0x80)
            n--;
    }
    snprintf(out, sz, "%.*s%s", (int)n, lg[i].field, suffix);
}

static gpcov_status put_style(gpcov_ctx *ctx, OGRLayerH st, const char *gpkg,
                              const char *table, const char *geomcol,
                              const struct gpcov_map_legend *lg, size_t i,
                              int is_default, int overwrite)
{
    char name[64];
    style_name(lg, i, name, sizeof name);
    gpcov_status s = filter_styles(ctx, st, table, geomcol, name);
    if (s)
        return s;
    OGRFeatureH f = OGR_L_GetNextFeature(st);
    OGR_L_SetAttributeFilter(st, NULL);
    if (f && !overwrite) {
        OGR_F_Destroy(f);
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: layer '%s' has a style '%s' already (use --overwrite to "
                         "replace it)",
                         gpkg, table, name);
    }
    int isnew = !f;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(st);
    if (!f)
        f = OGR_F_Create(defn);
    char *qml = NULL, *sld = NULL;
    if ((s = gpcov_qgisstyle_qml(ctx, &lg[i], &qml)) ||
        (s = gpcov_qgisstyle_sld(ctx, &lg[i], table, &sld))) {
        OGR_F_Destroy(f);
        free(qml);
        return s;
    }
    char desc[1024];
    snprintf(desc, sizeof desc, "gpcov %s map: %s (%s, %zu classes of %s)",
             GPCOV_VERSION, lg[i].title, lg[i].method, lg[i].nclasses, lg[i].field);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "f_table_catalog"), "");
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "f_table_schema"), "");
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "f_table_name"), table);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "f_geometry_column"), geomcol);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "styleName"), name);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "styleQML"), qml);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "styleSLD"), sld);
    OGR_F_SetFieldInteger(f, OGR_FD_GetFieldIndex(defn, "useAsDefault"), is_default);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "description"), desc);
    OGR_F_SetFieldString(f, OGR_FD_GetFieldIndex(defn, "owner"), "");
    /* a fixed time, not now: the same inputs give the same bytes */
    OGR_F_SetFieldDateTimeEx(f, OGR_FD_GetFieldIndex(defn, "update_time"), 2000, 1, 1,
                             0, 0, 0.0f, 100);
    free(qml);
    free(sld);
    OGRErr e = isnew ? OGR_L_CreateFeature(st, f) : OGR_L_SetFeature(st, f);
    OGR_F_Destroy(f);
    if (e != OGRERR_NONE)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write style '%s': %s", gpkg,
                         name, gpcov_dep_error(ctx));
    return GPCOV_OK;
}

/* Clears useAsDefault on every style of the table. */
static gpcov_status clear_defaults(gpcov_ctx *ctx, OGRLayerH st, const char *gpkg,
                                   const char *table, const char *geomcol)
{
    gpcov_status s = filter_styles(ctx, st, table, geomcol, NULL);
    if (s)
        return s;
    int idx = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(st), "useAsDefault");
    GIntBig *fids = NULL;
    size_t n = 0, cap = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(st))) {
        if (OGR_F_GetFieldAsInteger(f, idx) != 0) {
            if (n == cap) {
                cap = cap ? 2 * cap : 8;
                GIntBig *t = realloc(fids, cap * sizeof *t);
                if (!t) {
                    OGR_F_Destroy(f);
                    free(fids);
                    return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
                }
                fids = t;
            }
            fids[n++] = OGR_F_GetFID(f);
        }
        OGR_F_Destroy(f);
    }
    if (gpcov_dep_failed(ctx)) { /* the styles ended at an error, not their end */
        free(fids);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot read %s: %s", gpkg, STYLES_TABLE,
                         gpcov_dep_error(ctx));
    }
    OGR_L_SetAttributeFilter(st, NULL);
    for (size_t i = 0; i < n && !s; i++) {
        OGRFeatureH g = OGR_L_GetFeature(st, fids[i]);
        if (!g)
            continue;
        OGR_F_SetFieldInteger(g, idx, 0);
        if (OGR_L_SetFeature(st, g) != OGRERR_NONE)
            s = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot update %s: %s", gpkg,
                          STYLES_TABLE, gpcov_dep_error(ctx));
        OGR_F_Destroy(g);
    }
    free(fids);
    return s;
}

/* Opens the copy, finds the layer and writes every style in one
** transaction. */
static gpcov_status style_copy(gpcov_ctx *ctx, const char *gpkg, const char *copy,
                               const struct gpcov_map_legend *lg, size_t n,
                               const struct gpcov_qgis_style_opts *o)
{
    static const char *const gpkg_only[] = {"GPKG", NULL};
    gpcov_dep_clear(ctx);
    GDALDatasetH ds = GDALOpenEx(copy, GDAL_OF_VECTOR | GDAL_OF_UPDATE, gpkg_only, NULL, NULL);
    if (!ds)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot open as a GeoPackage: %s", gpkg,
                         gpcov_dep_error(ctx));
    gpcov_status s = GPCOV_OK;
    OGRLayerH ul = NULL;
    if (o->layer)
        ul = GDALDatasetGetLayerByName(ds, o->layer);
    else
        for (int i = 0; i < GDALDatasetGetLayerCount(ds) && !ul; i++) {
            OGRLayerH l = GDALDatasetGetLayer(ds, i);
            if (strcmp(OGR_L_GetName(l), STYLES_TABLE))
                ul = l;
        }
    if (!ul || !strcmp(OGR_L_GetName(ul), STYLES_TABLE)) {
        s = gpcov_err(ctx, GPCOV_EINPUT, "%s: no layer %s%s%sto style", gpkg,
                      o->layer ? "'" : "", o->layer ? o->layer : "", o->layer ? "' " : "");
        goto done;
    }
    const char *table = OGR_L_GetName(ul);
    const char *geomcol = OGR_L_GetGeometryColumn(ul);
    if (!geomcol || !*geomcol) {
        s = gpcov_err(ctx, GPCOV_EINPUT, "%s: layer '%s' has no geometry to style", gpkg,
                      table);
        goto done;
    }
    OGRFeatureDefnH udefn = OGR_L_GetLayerDefn(ul);
    for (size_t i = 0; i < n; i++)
        if (OGR_FD_GetFieldIndex(udefn, lg[i].field) < 0) {
            s = gpcov_err(ctx, GPCOV_EINPUT, "%s: layer '%s' has no field '%s' to style",
                          gpkg, table, lg[i].field);
            goto done;
        }
    if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE) {
        s = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot start a transaction: %s", gpkg,
                      gpcov_dep_error(ctx));
        goto done;
    }
    OGRLayerH st = GDALDatasetGetLayerByName(ds, STYLES_TABLE);
    if (!st)
        s = create_styles_table(ctx, ds, gpkg, &st);
    if (!s)
        s = clear_defaults(ctx, st, gpkg, table, geomcol);
    for (size_t i = 0; i < n && !s; i++)
        s = put_style(ctx, st, gpkg, table, geomcol, lg, i, i == o->default_style,
                      o->overwrite);
    if (s) {
        GDALDatasetRollbackTransaction(ds);
        goto done;
    }
    if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
        s = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot commit the styles: %s", gpkg,
                      gpcov_dep_error(ctx));
done:
    gpcov_dep_clear(ctx);
    GDALClose(ds);
    if (!s && CPLGetLastErrorType() >= CE_Failure)
        s = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot finish writing: %s", gpkg,
                      gpcov_dep_error(ctx));
    return s;
}

gpcov_status gpcov_qgisstyle_begin(gpcov_ctx *ctx, const char *gpkg,
                                   const struct gpcov_map_legend *legends, size_t n,
                                   const struct gpcov_qgis_style_opts *opts, char **tmp)
{
    static const struct gpcov_qgis_style_opts none;
    const struct gpcov_qgis_style_opts *o = opts ? opts : &none;
    *tmp = NULL;
    char ext[16];
    gpcov_path_ext(gpkg, ext, sizeof ext);
    if (strcmp(ext, "gpkg"))
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: styles go into a GeoPackage (.gpkg)", gpkg);
    if (!legends || n == 0 || o->default_style >= n)
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: no styles to write", gpkg);
    if (!gpcov_path_exists(gpkg))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no such GeoPackage to style", gpkg);
    char *t = NULL;
    /* the GeoPackage is replaced on purpose: overwrite is about styles */
    gpcov_status s = gpcov_atomic_begin_in_place(ctx, gpkg, &t);
    if (s)
        return s;
    if (CPLCopyFile(t, gpkg) != 0) {
        s = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot copy to %s: %s", gpkg, t,
                      gpcov_dep_error(ctx));
    } else {
        s = style_copy(ctx, gpkg, t, legends, n, o);
    }
    if (s) {
        gpcov_atomic_abort(t);
        free(t);
        return s;
    }
    *tmp = t;
    return GPCOV_OK;
}

gpcov_status gpcov_qgisstyle_write(gpcov_ctx *ctx, const char *gpkg,
                                   const struct gpcov_map_legend *legends, size_t n,
                                   const struct gpcov_qgis_style_opts *opts)
{
    char *tmp = NULL;
    gpcov_status s = gpcov_qgisstyle_begin(ctx, gpkg, legends, n, opts, &tmp);
    if (!s)
        s = gpcov_atomic_commit(ctx, tmp, gpkg);
    free(tmp);
    return s;
}
