/* test_webmap.c: the web map writer (webmap.c) on layers the test builds
** itself: three 10 km squares coded 0101, 0147, 0151 (the last without
** values, one named with a "</script>" in it) and a disc of many vertices.
** Checks that the page carries the printed figure's legend (labels and
** colours from gpcov_figure_prepare, palette.c) and each unit's class,
** that the inline GeoJSON is lon/lat at the asked precision, that nothing
** in the data can close a script block, that nothing is fetched from
** outside, that simplification drops vertices, that joined layers fill
** fields by key, byte-identical reruns, that refusals leave nothing, that
** --where keeps the units where it holds and names those it cannot decide,
** that a joined threat layer brings its rules, and that regions become the
** borders where two meet and markers keep their fields. */
#include "gpcov.h"
#include "map/render_internal.h"
#include "tap.h"
#include "testfile.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

static const char *tmp(const char *name)
{
    static char buf[4][400];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static struct gpcov_layer *squares(gpcov_ctx *ctx)
{
    struct gpcov_layer *l = gpcov_layer_new("squares");
    int v = gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    int flag = gpcov_layer_add_field(ctx, l, "flag", GPCOV_BOOL);
    int name = gpcov_layer_add_field(ctx, l, "name", GPCOV_STR);
    gpcov_layer_append(ctx, l, "0101",
                       tf_wkt(ctx, "POLYGON((500000 6100000,510000 6100000,"
                                "510000 6110000,500000 6110000,500000 6100000))"));
    gpcov_layer_append(ctx, l, "0147",
                       tf_wkt(ctx, "POLYGON((510000 6100000,520000 6100000,"
                                "520000 6110000,510000 6110000,510000 6100000))"));
    /* a disc of 1 km radius, 256 vertices: simplification thins it */
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    GEOSGeometry *c = tf_wkt(ctx, "POINT(525000 6105000)");
    GEOSGeometry *disc = GEOSBuffer_r(h, c, 1000, 64);
    GEOSGeom_destroy_r(h, c);
    gpcov_layer_append(ctx, l, "0151", disc);
    gpcov_layer_set_num(ctx, l, 0, (size_t)v, 1234.5);
    gpcov_layer_set_num(ctx, l, 1, (size_t)v, 2);
    gpcov_layer_set_num(ctx, l, 0, (size_t)flag, 1);
    gpcov_layer_set_num(ctx, l, 1, (size_t)flag, 0);
    gpcov_layer_set_str(ctx, l, 0, (size_t)name, "København");
    gpcov_layer_set_str(ctx, l, 1, (size_t)name, "Æ</script><b>x");
    gpcov_layer_set_str(ctx, l, 2, (size_t)name, "Ø");
    return l;
}

/* The text between <script type="application/json" id="ID"> and the next
** </script> (caller frees). */
static char *block(const char *page, const char *id)
{
    char open[128];
    snprintf(open, sizeof open, "<script type=\"application/json\" id=\"%s\">", id);
    const char *a = strstr(page, open);
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = strstr(a, "</script>");
    if (!b)
        return NULL;
    char *s = malloc((size_t)(b - a) + 1);
    memcpy(s, a, (size_t)(b - a));
    s[b - a] = 0;
    return s;
}

/* what the cases share: the context, the squares, the two panels and the
** page's spec, and the page written (and its size) */
static gpcov_ctx *ctx;
static struct gpcov_layer *units;
static struct gpcov_map_panel panels[2];
static const char *attr[] = {"Kilde: test", NULL};
static struct gpcov_webmap_spec spec;
static char *page;
static long page_n;

/* two panels, v in two classes and flag; the spec's defaults */
static void case_spec(void)
{
    gpcov_map_panel_init(&panels[0]);
    panels[0].field = "v";
    panels[0].title = "Værdi";
    panels[0].unit = "%";
    panels[0].method = GPCOV_BREAKS_EQUAL;
    panels[0].classes = 2;
    panels[0].decimals = 1;
    panels[0].palette = GPCOV_PALETTE_RED;
    gpcov_map_panel_init(&panels[1]);
    panels[1].field = "flag";
    panels[1].categorical = 1;
    panels[1].label_true = "Ja";
    panels[1].label_false = "Nej";
    gpcov_webmap_spec_init(&spec);
    OK(spec.simplify == 30 && spec.precision == 5 && !strcmp(spec.name_field, "name"),
       "defaults: 30 m simplification, 5 decimals, names from 'name'");
    spec.units = units;
    spec.npanels = 2;
    spec.panels = panels;
    spec.title = "Prøve <1>";
    spec.attribution = attr;
    spec.nodata_label = "ingen data";
    spec.decimal_comma = 1;
}

/* the page: one self-contained HTML file */
static void case_write(void)
{
    struct gpcov_webmap_info info;
    gpcov_status st = gpcov_webmap_write(ctx, &spec, tmp("m.html"), 0, &info);
    OK(st == GPCOV_OK, "writes the page (%s)", gpcov_ctx_message(ctx));
    OK(tf_entries(dir) == 1, "one file in the directory, no scratch left (%d)", tf_entries(dir));
    OK(info.features == 3, "3 features (%zu)", info.features);
    OK(info.vertices_out < info.vertices_in && info.vertices_out >= 3 * 5,
       "simplification drops vertices of the disc (%zu of %zu kept)",
       info.vertices_out, info.vertices_in);
    page = tf_slurp(tmp("m.html"), &page_n);
    OK(page && (size_t)page_n == info.bytes, "the page's size is reported (%ld)", page_n);
    if (!page)
        return;
    OK(!strncmp(page, "<!DOCTYPE html>", 15), "an HTML5 document");
    OK(count(page, "</script>") == 4,
       "four script blocks, nothing in the data closes one (%d)", count(page, "</script>"));
    OK(strstr(page, "\\u003c/script>\\u003cb>x") != NULL,
       "a name with </script> is escaped in the data");
    OK(strstr(page, "<title>Prøve &lt;1&gt;</title>") != NULL, "the title is HTML-escaped");
    OK(!strstr(page, "src=\"http") && !strstr(page, "<link") && !strstr(page, "url(http") &&
           !strstr(page, "url(images/") && !strstr(page, "sourceMappingURL"),
       "nothing refers to a file or a server outside the page");
    OK(strstr(page, "default-src 'none'") != NULL, "a Content-Security-Policy forbids fetching");
    OK(strstr(page, "L.geoJSON") != NULL && strstr(page, "Leaflet") != NULL,
       "Leaflet and the page script are inside");
}

/* the legend is the printed figure's */
static void case_legend(void)
{
    struct gpcov_map_spec ms;
    gpcov_map_spec_init(&ms);
    ms.units = units;
    ms.npanels = 1;
    ms.decimal_comma = 1;
    ms.nodata_label = "ingen data";
    char *cfg = block(page, "gpcov-config");
    OK(cfg != NULL, "the config block is there");
    for (size_t p = 0; p < 2 && cfg; p++) {
        struct gpcov_figure *fig = NULL;
        ms.panels = &panels[p];
        OK(gpcov_figure_prepare(ctx, &ms, &fig) == GPCOV_OK, "the figure of panel %zu", p);
        if (!fig)
            continue;
        struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
        size_t nr = gpcov_figure_legend_rows(fig, 0, rows, NULL);
        OK(nr == 3, "panel %zu: 2 classes and no data in the printed legend (%zu)", p, nr);
        for (size_t r = 0; r < nr; r++) {
            char want[256];
            snprintf(want, sizeof want,
                     "{\"cls\":%d,\"colour\":\"#%02x%02x%02x\",\"label\":\"%s\",\"count\":\"%s\"}",
                     rows[r].cls, (int)lround(rows[r].rgb[0] * 255),
                     (int)lround(rows[r].rgb[1] * 255), (int)lround(rows[r].rgb[2] * 255),
                     rows[r].label, rows[r].count);
            OK(strstr(cfg, want) != NULL, "panel %zu legend row %zu: %s", p, r, want);
        }
        gpcov_figure_free(fig);
    }
    /* the labels themselves, in Danish */
    OK(cfg && strstr(cfg, "\"label\":\"2,0 \xe2\x80\x93 618,2 %\"") != NULL,
       "equal classes labelled as printed: 2,0 – 618,2 %%");
    OK(cfg && strstr(cfg, "\"label\":\"618,2 \xe2\x80\x93 1.234,5 %\"") != NULL,
       "thousands grouped with '.': 618,2 – 1.234,5 %%");
    OK(cfg && strstr(cfg, "\"classes\":[1,0,-1]") != NULL, "v: 0101 high, 0147 low, 0151 no data");
    OK(cfg && count(cfg, "\"classes\":[1,0,-1]") == 2,
       "flag: 0101 true (class 1), 0147 false, 0151 no data");
    OK(cfg && strstr(cfg, "\"trueLabel\":\"Ja\"") && strstr(cfg, "\"decimals\":1"),
       "labels and decimals for the popup");
    OK(cfg && strstr(cfg, "30 m tolerance") != NULL, "the page states the tolerance");
    free(cfg);
}

/* the GeoJSON: lon/lat, 5 decimals at most */
static void case_geojson(void)
{
    char *geo = block(page, "gpcov-data");
    OK(geo && strstr(geo, "\"FeatureCollection\"") && !strstr(geo, "\"crs\""),
       "RFC 7946 GeoJSON, no crs member");
    const char *c = geo ? strstr(geo, "\"coordinates\"") : NULL;
    double lon = NAN, lat = NAN;
    if (c && (c = strpbrk(c, "0123456789-")))
        sscanf(c, "%lf , %lf", &lon, &lat);
    OK(lon > 8.9 && lon < 9.1 && lat > 55.0 && lat < 55.2,
       "first coordinate in lon/lat (%g, %g)", lon, lat);
    int maxdec = 0;
    for (const char *p = geo ? strstr(geo, "\"coordinates\"") : NULL; p && *p; p++)
        if (*p == '.' && p[-1] >= '0' && p[-1] <= '9') {
            int d = 0;
            while (p[d + 1] >= '0' && p[d + 1] <= '9')
                d++;
            if (d > maxdec)
                maxdec = d;
        }
    OK(maxdec <= 5, "coordinates have at most 5 decimals (%d)", maxdec);
    OK(geo && strstr(geo, "\"code\": \"0147\"") && strstr(geo, "\"name\": \"Ø\""),
       "code and name in the properties");
    free(geo);
}

/* the same inputs, the same bytes */
static void case_rerun(void)
{
    OK(gpcov_webmap_write(ctx, &spec, tmp("m2.html"), 0, NULL) == GPCOV_OK, "a second page");
    long n2;
    char *page2 = tf_slurp(tmp("m2.html"), &n2);
    OK(page2 && n2 == page_n && !memcmp(page, page2, (size_t)page_n), "byte-identical rerun");
    free(page2);
    remove(tmp("m2.html"));
}

/* refusals */
static void case_refusals(void)
{
    gpcov_status st = gpcov_webmap_write(ctx, &spec, tmp("m.html"), 0, NULL);
    OK(st == GPCOV_EOUTPUT && strstr(gpcov_ctx_message(ctx), "exists already"),
       "an existing page is refused (%s)", gpcov_ctx_message(ctx));
    long n3;
    char *page3 = tf_slurp(tmp("m.html"), &n3);
    OK(page3 && n3 == page_n && !memcmp(page, page3, (size_t)page_n), "and left untouched");
    free(page3);
    st = gpcov_webmap_write(ctx, &spec, tmp("m.png"), 0, NULL);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "as .html"),
       "not .html: usage error (%s)", gpcov_ctx_message(ctx));
    panels[1].field = "nosuch";
    st = gpcov_webmap_write(ctx, &spec, tmp("bad.html"), 0, NULL);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "no field 'nosuch' for indicator 2"),
       "a missing field names the indicator (%s)", gpcov_ctx_message(ctx));
    OK(tf_entries(dir) == 1, "refusals leave nothing behind (%d entries)", tf_entries(dir));
}

/* a field from a joined layer, by key; a unit missing there: no data */
static void case_join(void)
{
    struct gpcov_layer *j = gpcov_layer_new("extra");
    int fe = gpcov_layer_add_field(ctx, j, "nosuch", GPCOV_REAL);
    gpcov_layer_append(ctx, j, "0147", NULL);
    gpcov_layer_append(ctx, j, "0151", NULL);
    gpcov_layer_set_num(ctx, j, 0, (size_t)fe, 7);
    gpcov_layer_set_num(ctx, j, 1, (size_t)fe, 9);
    const struct gpcov_layer *joins[] = {j};
    spec.joins = joins;
    spec.njoins = 1;
    panels[1].categorical = 0;
    panels[1].method = GPCOV_BREAKS_EQUAL;
    panels[1].classes = 2;
    gpcov_status st = gpcov_webmap_write(ctx, &spec, tmp("j.html"), 0, NULL);
    OK(st == GPCOV_OK, "a panel field from a joined layer (%s)", gpcov_ctx_message(ctx));
    long n3;
    char *pj = tf_slurp(tmp("j.html"), &n3);
    char *cj = pj ? block(pj, "gpcov-config") : NULL;
    OK(cj && strstr(cj, "\"field\":\"nosuch\"") && strstr(cj, "\"classes\":[-1,0,1]"),
       "joined by key: 0101 not there (no data), 0147 low, 0151 high");
    free(cj);
    free(pj);
    remove(tmp("j.html"));
    gpcov_layer_free(ctx, j);
}

/* --where: only the units where the condition holds; one it cannot
** decide (0151 has no v) is left out and named; classes are over those
** shown; an unknown field and an empty selection are refused */
static void case_where(void)
{
    struct gpcov_map_panel flag;
    gpcov_map_panel_init(&flag);
    flag.field = "flag";
    flag.categorical = 1;
    struct gpcov_webmap_spec w = spec;
    struct gpcov_webmap_info info;
    w.panels = &flag;
    w.npanels = 1;
    w.where = "v < 100";
    gpcov_status st = gpcov_webmap_write(ctx, &w, tmp("w.html"), 0, &info);
    OK(st == GPCOV_OK, "a page of the units where v < 100 (%s)", gpcov_ctx_message(ctx));
    OK(info.features == 1 && info.units_in == 3 && info.undecided == 1,
       "1 of 3 shown, 1 undecided (%zu of %zu, %zu)", info.features, info.units_in, info.undecided);
    OK(!strcmp(info.undecided_list, "0151 Ø") && !strcmp(info.missing, "v"),
       "the undecided unit is named with what it lacks (%s; %s)", info.undecided_list, info.missing);
    long n;
    char *pw = tf_slurp(tmp("w.html"), &n);
    char *geo = pw ? block(pw, "gpcov-data") : NULL, *cfg = pw ? block(pw, "gpcov-config") : NULL;
    OK(geo && strstr(geo, "\"code\": \"0147\"") && !strstr(geo, "\"0101\"") && !strstr(geo, "\"0151\""),
       "the GeoJSON holds 0147 only");
    OK(cfg && strstr(cfg, "\"selection\":{\"where\":\"v \\u003c 100\",\"shown\":1,\"of\":3,"
                          "\"undecided\":1,\"undecidedList\":\"0151 Ø\",\"missing\":\"v\"}"),
       "the config says what is shown of what, and what was undecided");
    OK(cfg && strstr(cfg, "\"classes\":[0]") && strstr(cfg, "\"count\":\"(1)\""),
       "classes and counts over the unit shown");
    free(geo), free(cfg), free(pw);
    remove(tmp("w.html"));
    w.where = "vv > 1";
    st = gpcov_webmap_write(ctx, &w, tmp("w.html"), 0, NULL);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "unknown field 'vv'; did you mean 'v'?"),
       "an unknown field, with the nearest (%s)", gpcov_ctx_message(ctx));
    w.where = "v > 1e9";
    st = gpcov_webmap_write(ctx, &w, tmp("w.html"), 0, NULL);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "no municipality selected (undecided: 0151 Ø)"),
       "an empty selection is refused (%s)", gpcov_ctx_message(ctx));
    OK(tf_entries(dir) == 1, "refusals leave nothing behind (%d entries)", tf_entries(dir));
}

/* a joined threat layer: the rules' fields and their resolved conditions
** (GPCOV_RULES) go into the page for the popup */
static void case_rules(void)
{
    struct gpcov_layer *t = gpcov_layer_new("threat");
    int ra = gpcov_layer_add_field(ctx, t, "rule_ageing", GPCOV_BOOL);
    gpcov_layer_add_field(ctx, t, "rule_remote", GPCOV_BOOL); /* null for 0101: undecided */
    int rf = gpcov_layer_add_field(ctx, t, "rules_fired", GPCOV_STR);
    int rr = gpcov_layer_add_field(ctx, t, "threat_reason", GPCOV_STR);
    gpcov_layer_append(ctx, t, "0101", NULL);
    gpcov_layer_set_num(ctx, t, 0, (size_t)ra, 1);
    gpcov_layer_set_str(ctx, t, 0, (size_t)rf, "ageing");
    gpcov_layer_set_str(ctx, t, 0, (size_t)rr, "uafklaret: mangler far");
    gpcov_layer_set_meta(ctx, t, "GPCOV_RULES",
                         "rules (weighted score):\n  ageing: v > 7.5 + 1   (written as: v > "
                         "wmean(v, p) + 1)   weight 1\n  remote: far > 25   weight 1\n");
    const struct gpcov_layer *joins[] = {t};
    struct gpcov_webmap_spec w = spec;
    struct gpcov_map_panel one = panels[0];
    w.panels = &one;
    w.npanels = 1;
    w.joins = joins;
    w.njoins = 1;
    gpcov_status st = gpcov_webmap_write(ctx, &w, tmp("r.html"), 0, NULL);
    OK(st == GPCOV_OK, "a page with a joined threat layer (%s)", gpcov_ctx_message(ctx));
    long n;
    char *pr = tf_slurp(tmp("r.html"), &n);
    char *geo = pr ? block(pr, "gpcov-data") : NULL, *cfg = pr ? block(pr, "gpcov-config") : NULL;
    OK(cfg && strstr(cfg, "\"rules\":[{\"name\":\"ageing\",\"text\":\"v \\u003e 7.5 + 1\"},"
                          "{\"name\":\"remote\",\"text\":\"far \\u003e 25\"}]"),
       "the rules and their resolved conditions in the config");
    OK(geo && strstr(geo, "\"rule_ageing\": true") && strstr(geo, "\"rule_remote\": null") &&
           strstr(geo, "\"threat_reason\": \"uafklaret: mangler far\""),
       "what each rule said of 0101, and why one is undecided, in the GeoJSON");
    free(geo), free(cfg), free(pr);
    remove(tmp("r.html"));
    gpcov_layer_free(ctx, t);
}

/* --regions: only the border where two regions meet; --points: markers
** with their fields; a missing label field is refused */
static void case_regions_points(void)
{
    struct gpcov_layer *reg = gpcov_layer_new("regions");
    gpcov_layer_append(ctx, reg, NULL,
                       tf_wkt(ctx, "POLYGON((500000 6100000,510000 6100000,"
                                "510000 6110000,500000 6110000,500000 6100000))"));
    gpcov_layer_append(ctx, reg, NULL,
                       tf_wkt(ctx, "POLYGON((510000 6100000,530000 6100000,"
                                "530000 6110000,510000 6110000,510000 6100000))"));
    struct gpcov_layer *pts = gpcov_layer_new("sites");
    int town = gpcov_layer_add_field(ctx, pts, "town", GPCOV_STR);
    gpcov_layer_append(ctx, pts, NULL, tf_wkt(ctx, "POINT(505000 6105000)"));
    gpcov_layer_set_str(ctx, pts, 0, (size_t)town, "Byen");
    struct gpcov_webmap_spec w = spec;
    struct gpcov_map_panel one = panels[0];
    w.panels = &one;
    w.npanels = 1;
    w.outline = reg;
    w.points = pts;
    w.point_label_field = "town";
    w.point_legend = "Uddannelsessteder";
    gpcov_status st = gpcov_webmap_write(ctx, &w, tmp("p.html"), 0, NULL);
    OK(st == GPCOV_OK, "a page with regions and markers (%s)", gpcov_ctx_message(ctx));
    long n;
    char *pp = tf_slurp(tmp("p.html"), &n);
    char *rg = pp ? block(pp, "gpcov-regions") : NULL, *pt = pp ? block(pp, "gpcov-points") : NULL;
    char *cfg = pp ? block(pp, "gpcov-config") : NULL;
    OK(rg && count(rg, "\"type\": \"Feature\"") == 1 && strstr(rg, "LineString") &&
           !strstr(rg, "Polygon"),
       "the regions: one feature of lines, no polygons");
    /* the shared border is easting 510000 from northing 6100000 to
    ** 6110000: nearly one longitude (UTM's grid is not quite north), 10 km
    ** of latitude */
    double lon0 = NAN, lon1 = NAN, lat0 = NAN, lat1 = NAN;
    const char *c = rg ? strstr(rg, "\"coordinates\"") : NULL;
    if (c && (c = strpbrk(c, "0123456789-")))
        sscanf(c, "%lf , %lf ] , [ %lf , %lf", &lon0, &lat0, &lon1, &lat1);
    OK(fabs(lon0 - lon1) < 1e-3 && fabs(fabs(lat0 - lat1) - 0.0899) < 0.001 &&
           lon0 > 9.15 && lon0 < 9.16,
       "only the shared border, north-south (%g %g - %g %g)", lon0, lat0, lon1, lat1);
    OK(pt && count(pt, "\"type\": \"Feature\"") == 1 && strstr(pt, "\"town\": \"Byen\"") &&
           strstr(pt, "\"Point\""),
       "the marker with its fields");
    OK(cfg && strstr(cfg, "\"points\":{\"label\":\"town\",\"legend\":\"Uddannelsessteder\"}") &&
           strstr(cfg, "\"regions\":true"),
       "the config names the label field, the legend line and the regions");
    OK(count(pp ? pp : "", "</script>") == 6, "six script blocks (%d)", count(pp ? pp : "", "</script>"));
    free(rg), free(pt), free(cfg), free(pp);
    remove(tmp("p.html"));
    w.point_label_field = "navn";
    st = gpcov_webmap_write(ctx, &w, tmp("p.html"), 0, NULL);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "sites: no field 'navn' to label"),
       "a missing label field is refused (%s)", gpcov_ctx_message(ctx));
    OK(tf_entries(dir) == 1, "and leaves nothing behind (%d entries)", tf_entries(dir));
    gpcov_layer_free(ctx, reg);
    gpcov_layer_free(ctx, pts);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/gpcov-webmap-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    ctx = gpcov_ctx_new();
    units = squares(ctx);
    RUN(case_spec);
    RUN(case_write);
    if (!page)
        return tap_done();
    RUN(case_legend);
    RUN(case_geojson);
    RUN(case_rerun);
    RUN(case_refusals);
    RUN(case_where);
    RUN(case_rules);
    RUN(case_regions_points);
    RUN(case_join);

    free(page);
    remove(tmp("m.html"));
    rmdir(dir);
    gpcov_layer_free(ctx, units);
    gpcov_ctx_free(ctx);
    return tap_done();
}
