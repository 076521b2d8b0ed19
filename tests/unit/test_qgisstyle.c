/*
** test_qgisstyle.c: QGIS styles in a GeoPackage (qgisstyle.c, legend.c).
** Twelve square units with four indicators are written to a GeoPackage,
** a four-panel map's legends are written into it as styles, and the
** layer_styles table is read back through OGR: its rows, and the QML and
** SLD parsed with CPLParseXMLString, checked against class breaks and
** colours computed here with gpcov_breaks and gpcov_palette_colour, and
** against labels written out by hand.  Then the refusals: an existing
** style without overwrite, a missing field, a missing GeoPackage.
*/
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"
#include "testfile.h"

#include <cpl_conv.h>
#include <cpl_minixml.h>
#include <dirent.h>
#include <float.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdlib.h>
#include <sys/stat.h>

#define NU 12

static gpcov_ctx *ctx;

/* 12 squares: v = 1..11 and one null; flag alternating, one null; band
** 30/60/120 (an isochrone band's upper limit) and one null; w = 1..12. */
static struct gpcov_layer *make_units(void)
{
    struct gpcov_layer *l = gpcov_layer_new("units");
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    int fv = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    int ff = gpcov_layer_add_field(ctx, l, "flag", GPCOV_BOOL);
    int fb = gpcov_layer_add_field(ctx, l, "band", GPCOV_REAL);
    int fw = gpcov_layer_add_field(ctx, l, "w", GPCOV_REAL);
    static const double bands[NU] = {30, 30, 60, 60, 60, 120, 120, 30, 60, 120, 30, -1};
    for (int i = 0; i < NU; i++) {
        char wkt[256], key[16];
        double x = 500000 + 10000.0 * (i % 6), y = 6100000 + 10000.0 * (i / 6);
        snprintf(wkt, sizeof wkt, "MULTIPOLYGON(((%g %g,%g %g,%g %g,%g %g,%g %g)))", x, y,
                 x + 10000, y, x + 10000, y + 10000, x, y + 10000, x, y);
        snprintf(key, sizeof key, "%04d", 101 + i);
        long k = gpcov_layer_append(ctx, l, key, GEOSWKTReader_read_r(h, rd, wkt));
        if (i < 11)
            gpcov_layer_set_num(ctx, l, (size_t)k, (size_t)fv, i + 1);
        if (i != 5)
            gpcov_layer_set_num(ctx, l, (size_t)k, (size_t)ff, i % 2);
        if (bands[i] > 0)
            gpcov_layer_set_num(ctx, l, (size_t)k, (size_t)fb, bands[i]);
        gpcov_layer_set_num(ctx, l, (size_t)k, (size_t)fw, i + 1);
    }
    GEOSWKTReader_destroy_r(h, rd);
    return l;
}

static void colour_bytes(const double rgb[3], char *qml, size_t qsz, char *hex, size_t hsz)
{
    int r = (int)lround(rgb[0] * 255), g = (int)lround(rgb[1] * 255),
        b = (int)lround(rgb[2] * 255);
    snprintf(qml, qsz, "%d,%d,%d,255", r, g, b);
    snprintf(hex, hsz, "#%02x%02x%02x", r, g, b);
}

/* The value of Option name=NAME in a symbol's first layer, and its <prop>. */
static const char *sym_opt(CPLXMLNode *symbol, const char *name, const char **prop)
{
    CPLXMLNode *layer = CPLGetXMLNode(symbol, "layer");
    const char *v = NULL;
    *prop = NULL;
    for (CPLXMLNode *c = layer ? layer->psChild : NULL; c; c = c->psNext) {
        if (c->eType != CXT_Element)
            continue;
        if (!strcmp(c->pszValue, "Option"))
            for (CPLXMLNode *o = c->psChild; o; o = o->psNext)
                if (o->eType == CXT_Element && !strcmp(CPLGetXMLValue(o, "name", ""), name))
                    v = CPLGetXMLValue(o, "value", NULL);
        if (!strcmp(c->pszValue, "prop") && !strcmp(CPLGetXMLValue(c, "k", ""), name))
            *prop = CPLGetXMLValue(c, "v", NULL);
    }
    return v;
}

static CPLXMLNode *nth_child(CPLXMLNode *parent, const char *name, int n)
{
    for (CPLXMLNode *c = parent ? parent->psChild : NULL; c; c = c->psNext)
        if (c->eType == CXT_Element && !strcmp(c->pszValue, name) && n-- == 0)
            return c;
    return NULL;
}

static int count_children(CPLXMLNode *parent, const char *name)
{
    int n = 0;
    while (nth_child(parent, name, n))
        n++;
    return n;
}

struct row {
    char table[64], geomcol[64], name[64], update[64];
    int dflt;
    char *qml, *sld;
};

/* Reads layer_styles in fid order; returns the number of rows. */
static int read_styles(const char *gpkg, struct row *rows, int max)
{
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (!ds)
        return -1;
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "layer_styles");
    int n = 0;
    OGRFeatureH f;
    while (l && n < max && (f = OGR_L_GetNextFeature(l))) {
        struct row *r = &rows[n++];
        snprintf(r->table, sizeof r->table, "%s", OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "f_table_name")));
        snprintf(r->geomcol, sizeof r->geomcol, "%s", OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "f_geometry_column")));
        snprintf(r->name, sizeof r->name, "%s", OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "styleName")));
        snprintf(r->update, sizeof r->update, "%s", OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "update_time")));
        r->dflt = OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "useAsDefault"));
        r->qml = strdup(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "styleQML")));
        r->sld = strdup(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "styleSLD")));
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return n;
}

static void free_rows(struct row *rows, int n)
{
    for (int i = 0; i < n; i++) {
        free(rows[i].qml);
        free(rows[i].sld);
    }
}

/* Files in the fixture directory whose name starts with a dot: the
** temporaries of atomic writes. */
static int temporaries(void)
{
    DIR *d = opendir(fx_dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        n += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static int same_file(const char *a, const char *b, size_t bl)
{
    long al;
    char *x = tf_slurp(a, &al);
    int same = x && (size_t)al == bl && memcmp(x, b, bl) == 0;
    free(x);
    return same;
}

/* A graduated QML: attribute, ranges = breaks (exactly), labels, colours. */
static void check_graduated(const char *what, const char *qml, const char *field,
                            const double *breaks, int k, enum gpcov_palette pal,
                            const char *const *labels)
{
    CPLXMLNode *doc = CPLParseXMLString(qml);
    CPLXMLNode *r = CPLGetXMLNode(doc, "=qgis.renderer-v2");
    OK(r != NULL, "%s: the QML parses and has a renderer", what);
    STREQ(CPLGetXMLValue(r, "type", ""), "graduatedSymbol", "%s: graduated renderer", what);
    STREQ(CPLGetXMLValue(r, "attr", ""), field, "%s: on field %s", what, field);
    CPLXMLNode *ranges = CPLGetXMLNode(r, "ranges"), *symbols = CPLGetXMLNode(r, "symbols");
    OK(count_children(ranges, "range") == k, "%s: %d ranges (got %d)", what, k,
       count_children(ranges, "range"));
    int bad_edge = 0, bad_label = 0, bad_colour = 0, bad_border = 0;
    for (int c = 0; c < k; c++) {
        CPLXMLNode *rg = nth_child(ranges, "range", c);
        double lo = strtod(CPLGetXMLValue(rg, "lower", "nan"), NULL);
        double hi = strtod(CPLGetXMLValue(rg, "upper", "nan"), NULL);
        double elo = isinf(breaks[c]) ? -DBL_MAX : breaks[c];
        double ehi = isinf(breaks[c + 1]) ? DBL_MAX : breaks[c + 1];
        if (lo != elo || hi != ehi) {
            bad_edge++;
            printf("#   range %d: %.17g..%.17g, expected %.17g..%.17g\n", c, lo, hi, elo, ehi);
        }
        if (strcmp(CPLGetXMLValue(rg, "label", ""), labels[c])) {
            bad_label++;
            printf("#   label %d: '%s', expected '%s'\n", c, CPLGetXMLValue(rg, "label", ""), labels[c]);
        }
        /* the range's symbol, by name */
        const char *sname = CPLGetXMLValue(rg, "symbol", "");
        CPLXMLNode *sym = NULL;
        for (int s = 0; (sym = nth_child(symbols, "symbol", s)); s++)
            if (!strcmp(CPLGetXMLValue(sym, "name", ""), sname))
                break;
        double rgb[3];
        char want[32], hex[16];
        gpcov_palette_colour(pal, k, c, rgb);
        colour_bytes(rgb, want, sizeof want, hex, sizeof hex);
        const char *prop = NULL, *col = sym ? sym_opt(sym, "color", &prop) : NULL;
        if (!col || strcmp(col, want) || !prop || strcmp(prop, want)) {
            bad_colour++;
            printf("#   colour %d: %s / %s, expected %s\n", c, col ? col : "-", prop ? prop : "-", want);
        }
        const char *ow = sym ? sym_opt(sym, "outline_width", &prop) : NULL;
        const char *oc = sym ? sym_opt(sym, "outline_color", &prop) : NULL;
        const char *ou = sym ? sym_opt(sym, "outline_width_unit", &prop) : NULL;
        /* no region outline: the map strokes units in 35 % grey, 0.3 pt */
        if (!ow || strcmp(ow, "0.3") || !oc || strcmp(oc, "89,89,89,255") || !ou ||
            strcmp(ou, "Point"))
            bad_border++;
    }
    OK(!bad_edge, "%s: every range edge equals the class break", what);
    OK(!bad_label, "%s: every range label equals the legend's", what);
    OK(!bad_colour, "%s: every fill equals the palette's class colour", what);
    OK(!bad_border, "%s: every border is the map's (0.3 pt, 35 %% grey)", what);
    CPLDestroyXMLNode(doc);
}

/* The SLD: one rule per class (and one for no data), fills, filters. */
static void check_sld(const char *what, const char *sld, int rules, const double (*rgb)[3],
                      int nrgb, const char *first_op, const char *first_literal)
{
    CPLXMLNode *doc = CPLParseXMLString(sld);
    CPLStripXMLNamespace(doc, NULL, TRUE);
    CPLXMLNode *fts = CPLGetXMLNode(doc, "=StyledLayerDescriptor.NamedLayer.UserStyle.FeatureTypeStyle");
    OK(fts && count_children(fts, "Rule") == rules, "%s: SLD has %d rules (got %d)", what,
       rules, fts ? count_children(fts, "Rule") : -1);
    int bad = 0;
    for (int c = 0; c < nrgb; c++) {
        CPLXMLNode *rule = nth_child(fts, "Rule", c);
        CPLXMLNode *fill = CPLGetXMLNode(rule, "PolygonSymbolizer.Fill.SvgParameter");
        char q[32], hex[16];
        colour_bytes(rgb[c], q, sizeof q, hex, sizeof hex);
        if (!fill || strcmp(CPLGetXMLValue(fill, NULL, ""), hex))
            bad++;
    }
    OK(!bad, "%s: SLD fills equal the class colours", what);
    CPLXMLNode *f0 = CPLGetXMLNode(nth_child(fts, "Rule", 0), "Filter");
    CPLXMLNode *op = f0 ? f0->psChild : NULL;
    if (op && !strcmp(op->pszValue, "And"))
        op = op->psChild;
    STREQ(op ? op->pszValue : NULL, first_op, "%s: first rule's filter is %s", what, first_op);
    STREQ(op ? CPLGetXMLValue(op, "Literal", NULL) : NULL, first_literal,
          "%s: first rule's literal is %s", what, first_literal);
    CPLDestroyXMLNode(doc);
}

/* what the cases share: the units and their GeoPackage, the four panels
** and their legends, the style options, the layer_styles rows read back */
static struct gpcov_layer *units;
static char gpkg[512];
static const double band_edges[] = {0, 30, 60, 120};
static const double w_edges[] = {-INFINITY, 3, 6, INFINITY};
static struct gpcov_map_panel p[4];
static struct gpcov_map_spec spec;
static struct gpcov_map_legend *lg;
static struct gpcov_qgis_style_opts so = {NULL, 0, 0};
static struct row rows[8];
static int nr;

/* the map: (a) v by quantiles, (b) flag true/false, (c) isochrone
** bands, (d) w in open fixed classes */
static void case_legends(void)
{
    for (int i = 0; i < 4; i++)
        gpcov_map_panel_init(&p[i]);
    p[0].field = "v", p[0].title = "Værdi", p[0].unit = "%", p[0].classes = 4, p[0].decimals = 1;
    p[1].field = "flag", p[1].categorical = 1, p[1].label_true = "Ja", p[1].label_false = "Nej";
    p[2].field = "band", p[2].method = GPCOV_BREAKS_FIXED, p[2].fixed = band_edges,
    p[2].classes = 3, p[2].unit = "min", p[2].decimals = 0, p[2].palette = GPCOV_PALETTE_PURPLE;
    p[3].field = "w", p[3].method = GPCOV_BREAKS_FIXED, p[3].fixed = w_edges, p[3].classes = 3,
    p[3].decimals = 0, p[3].palette = GPCOV_PALETTE_RED;
    gpcov_map_spec_init(&spec);
    spec.units = units;
    spec.npanels = 4;
    spec.panels = p;
    spec.nodata_label = "ingen data";
    OK(gpcov_map_legends(ctx, &spec, &lg) == GPCOV_OK, "legends of the four panels (%s)",
       gpcov_ctx_message(ctx));
    if (!lg)
        return;
    OK(!lg[0].single_valued && !lg[0].categorical, "(a) is neither categorical nor single-valued");
    OK(lg[2].single_valued, "(c) isochrone bands: every class holds its upper edge only");
    OK(!lg[3].single_valued, "(d) is not single-valued");
    OK(lg[0].nodata == 1 && lg[1].nodata == 1 && lg[2].nodata == 1 && lg[3].nodata == 0,
       "no-data counts 1, 1, 1, 0 (got %zu %zu %zu %zu)", lg[0].nodata, lg[1].nodata,
       lg[2].nodata, lg[3].nodata);
}

/* the styles written into the GeoPackage's layer_styles, one row a panel */
static void case_write(void)
{
    OK(gpcov_qgisstyle_write(ctx, gpkg, lg, 4, &so) == GPCOV_OK, "styles written (%s)",
       gpcov_ctx_message(ctx));
    OK(temporaries() == 0, "no temporary file left beside the GeoPackage");

    nr = read_styles(gpkg, rows, 8);
    OK(nr == 4, "layer_styles holds 4 rows (got %d)", nr);
    if (nr != 4)
        return;
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR, NULL, NULL, NULL);
    OGRLayerH ul = GDALDatasetGetLayerByName(ds, "units");
    char geomcol[64];
    snprintf(geomcol, sizeof geomcol, "%s", ul ? OGR_L_GetGeometryColumn(ul) : "?");
    GDALClose(ds);
    int ndefault = 0, bad_row = 0;
    static const char *names[] = {"v", "flag", "band", "w"};
    for (int i = 0; i < nr; i++) {
        ndefault += rows[i].dflt;
        bad_row += strcmp(rows[i].table, "units") || strcmp(rows[i].geomcol, geomcol) ||
                   strcmp(rows[i].name, names[i]) || strncmp(rows[i].update, "2000/01/01 00:00:00", 19);
        if (bad_row)
            printf("#   row %d: %s %s %s %s\n", i, rows[i].table, rows[i].geomcol, rows[i].name,
                   rows[i].update);
    }
    OK(ndefault == 1 && rows[0].dflt == 1, "exactly one default, the first panel's");
    OK(!bad_row, "f_table_name 'units', f_geometry_column '%s', styleName the field, fixed update_time",
       geomcol);
}

/* (a) and (d): graduated renderers and their SLD */
static void case_graduated(void)
{
    /* (a): breaks computed here from the same values */
    double vals[11], br[5];
    for (int i = 0; i < 11; i++)
        vals[i] = i + 1;
    gpcov_breaks(ctx, GPCOV_BREAKS_QUANTILE, vals, 11, 4, br);
    NEAR(br[1], 3.5, 0, "quantile breaks of 1..11 at 3.5 (type 7)");
    static const char *la[] = {"1.0 \xe2\x80\x93 3.5 %", "3.5 \xe2\x80\x93 6.0 %",
                               "6.0 \xe2\x80\x93 8.5 %", "8.5 \xe2\x80\x93 11.0 %"};
    check_graduated("(a) quantiles", rows[0].qml, "v", br, 4, GPCOV_PALETTE_BLUE, la);
    double rgb_a[5][3];
    for (int c = 0; c < 4; c++)
        gpcov_palette_colour(GPCOV_PALETTE_BLUE, 4, c, rgb_a[c]);
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA, rgb_a[4]);
    check_sld("(a)", rows[0].sld, 5, (const double(*)[3])rgb_a, 5,
              "PropertyIsGreaterThanOrEqualTo", "1");
    /* QGIS takes the first range with lower <= v <= upper: the same class
    ** as gpcov_breaks_class for every value */
    int disagree = 0;
    for (int i = 0; i < 11; i++) {
        int c = gpcov_breaks_class(br, 4, vals[i]), q = -1;
        for (int r = 0; r < 4 && q < 0; r++)
            if (br[r] <= vals[i] && vals[i] <= br[r + 1])
                q = r;
        disagree += c != q;
    }
    OK(!disagree, "QGIS's range rule puts every value in gpcov's class");

    /* (d): open classes as -DBL_MAX / DBL_MAX */
    static const char *ld[] = {"\xe2\x89\xa4 3", "3 \xe2\x80\x93 6", "> 6"};
    check_graduated("(d) open fixed", rows[3].qml, "w", w_edges, 3, GPCOV_PALETTE_RED, ld);
    double rgb_d[3][3];
    for (int c = 0; c < 3; c++)
        gpcov_palette_colour(GPCOV_PALETTE_RED, 3, c, rgb_d[c]);
    check_sld("(d)", rows[3].sld, 3, (const double(*)[3])rgb_d, 3,
              "PropertyIsLessThanOrEqualTo", "3");
}

/* (b) and (c): categorized renderers */
static void case_categorized(void)
{
    /* (b): categorized, true first, then false, then no data */
    CPLXMLNode *doc = CPLParseXMLString(rows[1].qml);
    CPLXMLNode *r = CPLGetXMLNode(doc, "=qgis.renderer-v2");
    STREQ(CPLGetXMLValue(r, "type", ""), "categorizedSymbol", "(b) categorized renderer");
    STREQ(CPLGetXMLValue(r, "attr", ""), "flag", "(b) on field flag");
    CPLXMLNode *cats = CPLGetXMLNode(r, "categories"), *syms = CPLGetXMLNode(r, "symbols");
    OK(count_children(cats, "category") == 3, "(b) three categories: true, false, no data");
    double t[3], f[3], nd[3];
    gpcov_palette_fixed(GPCOV_COLOUR_TRUE, t);
    gpcov_palette_fixed(GPCOV_COLOUR_FALSE, f);
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA, nd);
    const double *want[3] = {t, f, nd};
    static const char *lb[] = {"Ja", "Nej", "ingen data"};
    static const char *v1[] = {"1", "0", NULL};
    int bad = 0;
    for (int c = 0; c < 3; c++) {
        CPLXMLNode *cat = nth_child(cats, "category", c);
        CPLXMLNode *sym = nth_child(syms, "symbol", atoi(CPLGetXMLValue(cat, "symbol", "9")));
        char q[32], hex[16];
        colour_bytes(want[c], q, sizeof q, hex, sizeof hex);
        const char *prop, *col = sym_opt(sym, "color", &prop);
        bad += !col || strcmp(col, q) || strcmp(CPLGetXMLValue(cat, "label", ""), lb[c]);
        if (v1[c])
            bad += strcmp(CPLGetXMLValue(nth_child(cat, "val", 0), "value", ""), v1[c]) != 0;
        else
            bad += strcmp(CPLGetXMLValue(cat, "value", "x"), "") != 0;
    }
    OK(!bad, "(b) category values 1/0/empty, labels Ja/Nej/ingen data, colours true/false/no data");
    CPLXMLNode *ndsym = nth_child(syms, "symbol", 2);
    CPLXMLNode *hatch = nth_child(ndsym, "layer", 1);
    const char *hprop = NULL;
    for (CPLXMLNode *c = hatch ? hatch->psChild : NULL; c; c = c->psNext)
        if (c->eType == CXT_Element && !strcmp(c->pszValue, "prop") &&
            !strcmp(CPLGetXMLValue(c, "k", ""), "style"))
            hprop = CPLGetXMLValue(c, "v", NULL);
    STREQ(hprop, "b_diagonal", "(b) no data is hatched, as on the map");
    CPLDestroyXMLNode(doc);

    /* (c): isochrone bands as categories 30, 60, 120 */
    doc = CPLParseXMLString(rows[2].qml);
    r = CPLGetXMLNode(doc, "=qgis.renderer-v2");
    STREQ(CPLGetXMLValue(r, "type", ""), "categorizedSymbol", "(c) bands: categorized renderer");
    cats = CPLGetXMLNode(r, "categories");
    syms = CPLGetXMLNode(r, "symbols");
    static const char *vc[] = {"30", "60", "120", ""};
    static const char *lc[] = {"0 \xe2\x80\x93 30 min", "30 \xe2\x80\x93 60 min",
                               "60 \xe2\x80\x93 120 min", "ingen data"};
    bad = count_children(cats, "category") != 4;
    for (int c = 0; c < 4 && !bad; c++) {
        CPLXMLNode *cat = nth_child(cats, "category", c);
        CPLXMLNode *sym = nth_child(syms, "symbol", c);
        double rgb[3];
        if (c < 3)
            gpcov_palette_colour(GPCOV_PALETTE_PURPLE, 3, c, rgb);
        else
            gpcov_palette_fixed(GPCOV_COLOUR_NODATA, rgb);
        char q[32], hex[16];
        colour_bytes(rgb, q, sizeof q, hex, sizeof hex);
        const char *prop, *col = sym_opt(sym, "color", &prop);
        if (strcmp(CPLGetXMLValue(cat, "value", "x"), vc[c]) ||
            strcmp(CPLGetXMLValue(cat, "label", ""), lc[c]) || !col || strcmp(col, q)) {
            bad++;
            printf("#   category %d: %s '%s' %s\n", c, CPLGetXMLValue(cat, "value", "x"),
                   CPLGetXMLValue(cat, "label", ""), col ? col : "-");
        }
    }
    OK(!bad, "(c) categories 30/60/120 and no data, with the legend's labels and colours");
    CPLDestroyXMLNode(doc);
    free_rows(rows, nr);
}

/* the data layer is still the first: readers without a layer name */
static void case_read_back(void)
{
    struct gpcov_layer *back = NULL;
    OK(gpcov_layer_read(ctx, gpkg, NULL, &back) == GPCOV_OK && back && back->n == NU &&
           gpcov_layer_field(back, "v") >= 0,
       "reading the styled GeoPackage without a layer name gives the units");
    gpcov_layer_free(ctx, back);
}

/* refusals leave the GeoPackage as it was */
static void case_refusals(void)
{
    long len;
    char *before = tf_slurp(gpkg, &len);
    gpcov_status st = gpcov_qgisstyle_write(ctx, gpkg, lg, 4, &so);
    OK(st == GPCOV_EOUTPUT && strstr(gpcov_ctx_message(ctx), "has a style 'v' already"),
       "an existing style is refused without overwrite (%s)", gpcov_ctx_message(ctx));
    OK(same_file(gpkg, before, len) && temporaries() == 0,
       "the refused write leaves the GeoPackage untouched and no temporary");
    free(lg[3].field);
    lg[3].field = strdup("nosuch");
    so.overwrite = 1;
    st = gpcov_qgisstyle_write(ctx, gpkg, lg, 4, &so);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "units.gpkg: layer 'units' has no field 'nosuch'"),
       "a legend on a missing field is refused (%s)", gpcov_ctx_message(ctx));
    OK(same_file(gpkg, before, len) && temporaries() == 0, "... and leaves nothing changed");
    st = gpcov_qgisstyle_write(ctx, fx_path("none.gpkg"), lg, 3, &so);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "none.gpkg: no such GeoPackage"),
       "a missing GeoPackage (%s)", gpcov_ctx_message(ctx));
    OK(access(fx_path("none.gpkg"), F_OK) != 0, "... is not created");
    st = gpcov_qgisstyle_write(ctx, fx_path("units.shp"), lg, 3, &so);
    OK(st == GPCOV_EUSAGE, "styles into a shapefile are a usage error (%s)", gpcov_ctx_message(ctx));
    so.layer = "nosuch";
    st = gpcov_qgisstyle_write(ctx, gpkg, lg, 3, &so);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "no layer 'nosuch'"),
       "an unknown layer (%s)", gpcov_ctx_message(ctx));
    OK(same_file(gpkg, before, len) && temporaries() == 0, "... and leaves nothing changed");
    free(before);
}

/* overwrite with another default: still 4 rows, one default, moved */
static void case_overwrite_default(void)
{
    so.layer = NULL;
    so.default_style = 1;
    OK(gpcov_qgisstyle_write(ctx, gpkg, lg, 3, &so) == GPCOV_OK, "styles replaced with overwrite (%s)",
       gpcov_ctx_message(ctx));
    nr = read_styles(gpkg, rows, 8);
    int ndefault = 0;
    for (int i = 0; i < nr; i++)
        ndefault += rows[i].dflt;
    OK(nr == 4 && ndefault == 1 && rows[1].dflt == 1 && !rows[0].dflt,
       "still 4 styles; the one default is now flag's (rows %d, defaults %d)", nr, ndefault);
    free_rows(rows, nr);
}

/* the same call on the same file gives the same bytes */
static void case_same_bytes(void)
{
    mkdir(fx_path("a"), 0777);
    mkdir(fx_path("b"), 0777);
    const char *g2 = fx_path("a/units.gpkg"), *g3 = fx_path("b/units.gpkg");
    gpcov_layer_write(ctx, units, g2, NULL);
    gpcov_layer_write(ctx, units, g3, NULL);
    so.default_style = 0;
    so.overwrite = 0;
    OK(gpcov_qgisstyle_write(ctx, g2, lg, 3, &so) == GPCOV_OK &&
           gpcov_qgisstyle_write(ctx, g3, lg, 3, &so) == GPCOV_OK,
       "two fresh copies styled");
    long len;
    char *a = tf_slurp(g2, &len);
    OK(a && same_file(g3, a, len), "two styled copies are byte-identical");
    free(a);
}

int main(void)
{
    GDALAllRegister();
    fx_make();
    ctx = gpcov_ctx_new();
    units = make_units();
    snprintf(gpkg, sizeof gpkg, "%s", fx_path("units.gpkg"));
    OK(gpcov_layer_write(ctx, units, gpkg, NULL) == GPCOV_OK, "the units GeoPackage is written (%s)",
       gpcov_ctx_message(ctx));
    RUN(case_legends);
    if (!lg)
        return tap_done();
    RUN(case_write);
    if (nr != 4)
        return tap_done();
    RUN(case_graduated);
    RUN(case_categorized);
    RUN(case_read_back);
    RUN(case_refusals);
    RUN(case_overwrite_default);
    RUN(case_same_bytes);
    gpcov_map_legends_free(lg, 4);
    gpcov_layer_free(ctx, units);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
