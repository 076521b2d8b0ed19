/*
** webmap.c: the interactive web map, one self-contained HTML file.  The
** units (municipalities) are simplified with GEOS's topology-preserving
** simplifier, so that neighbours keep sharing their borders, and written by
** OGR as RFC 7946 GeoJSON (lon/lat) at a fixed precision; each indicator is
** classed by the same code that classes the printed figure (symbology.c,
** without the page's layout), so the page's legend has the printed legend's
** classes, labels, counts and colours.  The page carries Leaflet and its
** own script and style compiled in (webmap_assets.h, made at build time by
** web/embed.sh), the GeoJSON (the units, made by webmap_layer.c, and the
** regions and markers when given) and a JSON description of the
** indicators, the selection and the rules in
** <script type="application/json"> blocks, and a Content-Security-Policy
** that forbids every fetch: opened from disk, it asks the network for
** nothing.
*/
#include "symbology.h"
#include "webmap_assets.h"
#include "webmap_internal.h"

#include <cpl_string.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ a buffer */

struct buf {
    char *s;
    size_t n, cap;
    int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->oom = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void putf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void putf(struct buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        b->oom = 1; /* never for the short formats used here */
        return;
    }
    put(b, tmp, (size_t)n);
}

/* A JSON string; '<' is written \u003c so that no "</script>" can end the
** block the JSON sits in, whatever a name or title holds. */
static void put_json_str(struct buf *b, const char *s)
{
    if (!s) {
        puts_(b, "null");
        return;
    }
    puts_(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            put(b, e, 2);
        } else if (*p == '\n')
            puts_(b, "\\n");
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
            putf(b, "\\u%04x", *p);
        else
            put(b, (const char *)p, 1);
    }
    puts_(b, "\"");
}

/* Text for HTML element content and attribute values. */
static void put_html(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': puts_(b, "&amp;"); break;
        case '<': puts_(b, "&lt;"); break;
        case '>': puts_(b, "&gt;"); break;
        case '"': puts_(b, "&quot;"); break;
        default: put(b, s, 1);
        }
    }
}

static void put_colour(struct buf *b, const double rgb[3])
{
    int c[3];
    for (int i = 0; i < 3; i++) {
        double v = rgb[i] < 0 ? 0 : rgb[i] > 1 ? 1 : rgb[i];
        c[i] = (int)lround(v * 255);
    }
    putf(b, "\"#%02x%02x%02x\"", c[0], c[1], c[2]);
}

/* ---------------------------------------------------------------- spec */

void gpcov_webmap_spec_init(struct gpcov_webmap_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->name_field = "name";
    spec->simplify = 30;
    spec->precision = 5;
}

/* -------------------------------------------------------- the indicators */

/* The classes of one indicator, as `gpcov map` would class the same
** panel; an error names the indicator. */
static gpcov_status indicator_classes(gpcov_ctx *ctx,
                                      const struct gpcov_webmap_spec *spec,
                                      const struct gpcov_layer *l,
                                      const struct gpcov_map_panel *panel,
                                      size_t number,
                                      struct gpcov_symbology **sym)
{
    struct gpcov_map_spec ms;
    gpcov_map_spec_init(&ms);
    ms.units = l;
    ms.units_src = gpcov_webmap_src(spec->units, spec->units_src);
    ms.npanels = 1;
    ms.panels = panel;
    ms.nodata_label = spec->nodata_label;
    ms.decimal_comma = spec->decimal_comma;
    ms.inset_copenhagen = ms.inset_bornholm = 0;
    gpcov_status st = gpcov_symbology_prepare(ctx, &ms, sym);
    if (st != GPCOV_OK) {
        /* the figure has one panel, (a): name the indicator instead */
        char msg[GPCOV_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", gpcov_ctx_message(ctx));
        char *at = strstr(msg, "panel (a)");
        if (at) {
            *at = 0;
            gpcov_err(ctx, st, "%sindicator %zu%s", msg, number,
                      at + strlen("panel (a)"));
        }
    }
    return st;
}

/* The panel's description: field, title, unit, labels and note. */
static void put_description(struct buf *b, const struct gpcov_map_panel *panel,
                            const char *header)
{
    const char *unit = panel->unit && *panel->unit ? panel->unit : NULL;
    puts_(b, "{\"field\":");
    put_json_str(b, panel->field);
    puts_(b, ",\"title\":");
    put_json_str(b, panel->title ? panel->title : panel->field);
    puts_(b, ",\"unit\":");
    put_json_str(b, panel->categorical ? NULL : unit);
    putf(b, ",\"unitShort\":%s", header ? "false" : "true");
    puts_(b, ",\"header\":");
    put_json_str(b, header);
    putf(b, ",\"categorical\":%s", panel->categorical ? "true" : "false");
    puts_(b, ",\"trueLabel\":");
    put_json_str(b, panel->label_true ? panel->label_true : "yes");
    puts_(b, ",\"falseLabel\":");
    put_json_str(b, panel->label_false ? panel->label_false : "no");
    puts_(b, ",\"undecidedLabel\":");
    put_json_str(b, panel->label_undecided ? panel->label_undecided : "undecided");
    puts_(b, ",\"reasonField\":");
    put_json_str(b, panel->reason_field);
    putf(b, ",\"decimals\":%d", panel->decimals);
    puts_(b, ",\"note\":");
    put_json_str(b, panel->note);
}

/* One indicator's description and classes, classed as `gpcov map` would
** class the same panel. */
static gpcov_status put_indicator(gpcov_ctx *ctx, struct buf *b,
                                  const struct gpcov_webmap_spec *spec,
                                  const struct gpcov_layer *l,
                                  const struct gpcov_map_panel *panel,
                                  size_t number)
{
    struct gpcov_symbology *sym = NULL;
    gpcov_status st = indicator_classes(ctx, spec, l, panel, number, &sym);
    if (st != GPCOV_OK)
        return st;
    struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS];
    const char *header = NULL;
    size_t nrows = gpcov_symbology_legend_rows(sym, 0, rows, &header);
    const int *cls = gpcov_symbology_classes(sym, 0);
    put_description(b, panel, header);
    puts_(b, ",\"legend\":[");
    for (size_t r = 0; r < nrows; r++) {
        putf(b, "%s{\"cls\":%d,\"colour\":", r ? "," : "", rows[r].cls);
        put_colour(b, rows[r].rgb);
        puts_(b, ",\"label\":");
        put_json_str(b, rows[r].label);
        puts_(b, ",\"count\":");
        put_json_str(b, rows[r].count);
        puts_(b, "}");
    }
    puts_(b, "],\"classes\":[");
    for (size_t i = 0; i < l->n; i++)
        putf(b, "%s%d", i ? "," : "", cls[i]);
    puts_(b, "]}");
    gpcov_symbology_free(sym);
    return GPCOV_OK;
}

/* The threat rules as `gpcov threat` resolved them (its GPCOV_RULES
** metadata), of the units or the joined layer that has rules_fired. */
static const char *rules_meta(const struct gpcov_webmap_spec *spec)
{
    for (long k = -1; k < (long)spec->njoins; k++) {
        const struct gpcov_layer *l = k < 0 ? spec->units : spec->joins[k];
        if (l && gpcov_layer_field(l, "rules_fired") >= 0)
            return CSLFetchNameValue(l->metadata, "GPCOV_RULES");
    }
    return NULL;
}

/* Rule `name` as resolved, from its line "  NAME: CONDITION   (written
** as: ...)   weight W" of the rules' summary, into buf; NULL when the
** summary has no such line. */
static const char *rule_text(const char *defs, const char *name, char *buf, size_t n)
{
    size_t len = strlen(name);
    for (const char *p = defs; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        const char *q = p;
        while (*q == ' ')
            q++;
        if (strncmp(q, name, len) || strncmp(q + len, ": ", 2))
            continue;
        q += len + 2;
        size_t m = strcspn(q, "\n");
        const char *cut = strstr(q, "   ");
        if (cut && (size_t)(cut - q) < m)
            m = (size_t)(cut - q);
        snprintf(buf, n, "%.*s", (int)m, q);
        return buf;
    }
    return NULL;
}

/* What the page shows besides the indicators: the selection (the
** condition, how many units it keeps of how many, those it could not
** decide and why), the threat rules the popup reports (the rule_NAME
** fields of a layer with rules_fired), the markers and the regions. */
static void put_extras(struct buf *b, const struct gpcov_webmap_spec *spec,
                       const struct gpcov_layer *l, const struct gpcov_webmap_info *info)
{
    puts_(b, ",\"selection\":");
    if (spec->where) {
        puts_(b, "{\"where\":");
        put_json_str(b, spec->where);
        putf(b, ",\"shown\":%zu,\"of\":%zu,\"undecided\":%zu,\"undecidedList\":", l->n,
             info->units_in, info->undecided);
        put_json_str(b, info->undecided_list);
        puts_(b, ",\"missing\":");
        put_json_str(b, info->missing);
        puts_(b, "}");
    } else
        puts_(b, "null");
    puts_(b, ",\"rules\":[");
    const char *defs = rules_meta(spec);
    int any = 0;
    for (size_t f = 0; gpcov_layer_field(l, "rules_fired") >= 0 && f < l->nfields; f++)
        if (!strncmp(l->fields[f].name, "rule_", 5)) {
            char def[400];
            puts_(b, any++ ? ",{\"name\":" : "{\"name\":");
            put_json_str(b, l->fields[f].name + 5);
            puts_(b, ",\"text\":");
            put_json_str(b, rule_text(defs, l->fields[f].name + 5, def, sizeof def));
            puts_(b, "}");
        }
    puts_(b, "],\"points\":");
    if (spec->points) {
        puts_(b, "{\"label\":");
        put_json_str(b, spec->point_label_field);
        puts_(b, ",\"legend\":");
        put_json_str(b, spec->point_legend);
        puts_(b, "}");
    } else
        puts_(b, "null");
    putf(b, ",\"regions\":%s", spec->outline ? "true" : "false");
}

static gpcov_status put_config(gpcov_ctx *ctx, struct buf *b,
                               const struct gpcov_webmap_spec *spec,
                               const struct gpcov_layer *l,
                               const struct gpcov_webmap_info *info)
{
    int da = spec->decimal_comma;
    double nodata[3];
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA, nodata);
    puts_(b, "{\"title\":");
    put_json_str(b, spec->title);
    putf(b, ",\"decimalComma\":%s,\"lang\":\"%s\"", da ? "true" : "false",
         da ? "da" : "en");
    puts_(b, ",\"nodataLabel\":");
    put_json_str(b, spec->nodata_label ? spec->nodata_label : "no data");
    puts_(b, ",\"nodataColour\":");
    put_colour(b, nodata);
    puts_(b, ",\"attribution\":[");
    for (size_t i = 0; spec->attribution && spec->attribution[i]; i++) {
        if (i)
            puts_(b, ",");
        put_json_str(b, spec->attribution[i]);
    }
    puts_(b, "]");
    /* how the borders were drawn, said on the page */
    char note[256];
    if (spec->simplify > 0)
        snprintf(note, sizeof note,
                 da ? "Grænser forenklet med %g m tolerance (GEOS, "
                      "topologibevarende); koordinater med %d decimaler."
                    : "Borders simplified with a %g m tolerance (GEOS, "
                      "topology-preserving); coordinates to %d decimals.",
                 spec->simplify, spec->precision);
    else
        snprintf(note, sizeof note,
                 da ? "Grænser uforenklede; koordinater med %d decimaler."
                    : "Borders not simplified; coordinates to %d decimals.",
                 spec->precision);
    puts_(b, ",\"geometryNote\":");
    put_json_str(b, note);
    put_extras(b, spec, l, info);
    puts_(b, ",\"indicators\":[");
    for (size_t p = 0; p < spec->npanels; p++) {
        if (p)
            puts_(b, ",");
        gpcov_status st = put_indicator(ctx, b, spec, l, &spec->panels[p], p + 1);
        if (st != GPCOV_OK)
            return st;
    }
    puts_(b, "]}");
    return b->oom ? gpcov_err(ctx, GPCOV_ENOMEM, "out of memory") : GPCOV_OK;
}

/* ------------------------------------------------------------- GeoJSON */

/* The layer as RFC 7946 GeoJSON, written by OGR (as layer `name`) to a
** scratch file beside dst (gone again before this returns), with every
** '<' escaped as for put_json_str, into out (freed by the caller). */
static gpcov_status geojson_text(gpcov_ctx *ctx, const struct gpcov_layer *l,
                                 const char *tmp_html, const char *name, int precision,
                                 struct buf *out)
{
    size_t n = strlen(tmp_html) + strlen(name) + 16;
    char *path = malloc(n);
    if (!path)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    snprintf(path, n, "%s.%s.geojson", tmp_html, name);
    struct gpcov_write_opts wo = {0};
    wo.overwrite = 1;
    wo.layer_name = name;
    wo.precision = precision;
    gpcov_status st = gpcov_layer_write(ctx, l, path, &wo);
    if (st != GPCOV_OK) {
        free(path);
        return st;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        remove(path);
        free(path);
        return gpcov_err(ctx, GPCOV_EOUTPUT, "cannot read back the GeoJSON");
    }
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        size_t s = 0;
        for (size_t i = 0; i < got; i++)
            if (chunk[i] == '<') {
                put(out, chunk + s, i - s);
                puts_(out, "\\u003c");
                s = i + 1;
            }
        put(out, chunk + s, got - s);
    }
    int bad = ferror(fp);
    fclose(fp);
    remove(path);
    free(path);
    if (bad)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "cannot read back the GeoJSON");
    /* no trailing newline inside the script block */
    while (out->n && (out->s[out->n - 1] == '\n' || out->s[out->n - 1] == ' '))
        out->s[--out->n] = 0;
    return out->oom ? gpcov_err(ctx, GPCOV_ENOMEM, "out of memory") : GPCOV_OK;
}

/* ---------------------------------------------------------------- page */

static gpcov_status check_spec(gpcov_ctx *ctx,
                               const struct gpcov_webmap_spec *spec,
                               const char *dst)
{
    if (!spec || !spec->units)
        return gpcov_err(ctx, GPCOV_EUSAGE, "webmap: no units layer");
    if (spec->npanels < 1 || spec->npanels > GPCOV_WEBMAP_MAX_PANELS ||
        !spec->panels)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "webmap: %zu indicators; a web map takes 1 to %d",
                         spec->npanels, GPCOV_WEBMAP_MAX_PANELS);
    if (!(spec->simplify >= 0 && spec->simplify <= 10000))
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "webmap: simplification tolerance %g m; use 0 to "
                         "10000",
                         spec->simplify);
    if (spec->precision < 1 || spec->precision > 15)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "webmap: %d coordinate decimals; use 1 to 15",
                         spec->precision);
    char ext[16];
    gpcov_path_ext(dst, ext, sizeof ext);
    if (strcmp(ext, "html") && strcmp(ext, "htm"))
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "%s: a web map is written as .html (or .htm)", dst);
    if (spec->point_label_field && spec->points &&
        gpcov_layer_field(spec->points, spec->point_label_field) < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' to label the markers by",
                         gpcov_webmap_src(spec->points, spec->points_src),
                         spec->point_label_field);
    return GPCOV_OK;
}

/* The parts of the page made from the data: the description of the
** indicators (cfg) and the GeoJSON of the units (geo), of the regions and
** of the markers (empty when not given). */
struct parts {
    struct buf cfg, geo, regions, points;
};

/* A <script type="application/json"> block with id `id`, unless empty. */
static void put_block(struct buf *page, const char *id, const struct buf *json)
{
    if (!json->n)
        return;
    putf(page, "<script type=\"application/json\" id=\"%s\">", id);
    put(page, json->s, json->n);
    puts_(page, "</script>\n");
}

/* The page: the assets and the parts. */
static void put_page(struct buf *page, const struct gpcov_webmap_spec *spec,
                     const struct parts *pt)
{
    const char *lang = spec->decimal_comma ? "da" : "en";
    const char *title = spec->title && *spec->title ? spec->title : "gpcov";
    putf(page, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n", lang);
    puts_(page,
          "<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n"
          /* nothing may be fetched: scripts and styles are inline, the
          ** only images are data: URIs */
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
          "'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
          "img-src data:\">\n");
    putf(page, "<meta name=\"generator\" content=\"gpcov %s, Leaflet %s\">\n",
         GPCOV_VERSION, gpcov_asset_leaflet_version);
    puts_(page, "<title>");
    put_html(page, title);
    puts_(page, "</title>\n<style>\n");
    put(page, (const char *)gpcov_asset_leaflet_css, gpcov_asset_leaflet_css_len);
    puts_(page, "</style>\n<style>\n");
    put(page, (const char *)gpcov_asset_webmap_css, gpcov_asset_webmap_css_len);
    puts_(page, "</style>\n</head>\n<body>\n<div id=\"map\" aria-label=\"");
    put_html(page, title);
    puts_(page, "\"></div>\n");
    put_block(page, "gpcov-config", &pt->cfg);
    put_block(page, "gpcov-data", &pt->geo);
    put_block(page, "gpcov-regions", &pt->regions);
    put_block(page, "gpcov-points", &pt->points);
    puts_(page, "<script>\n");
    put(page, (const char *)gpcov_asset_leaflet_js, gpcov_asset_leaflet_js_len);
    puts_(page, "</script>\n<script>\n");
    put(page, (const char *)gpcov_asset_webmap_js, gpcov_asset_webmap_js_len);
    puts_(page, "</script>\n</body>\n</html>\n");
}

/* The page into the temporary file tmp (dst for messages). */
static gpcov_status write_page(gpcov_ctx *ctx, const struct buf *page,
                               const char *tmp, const char *dst)
{
    FILE *fp = fopen(tmp, "wb");
    if (!fp || fwrite(page->s, 1, page->n, fp) != page->n) {
        gpcov_status st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write: %s",
                                    dst, strerror(errno));
        if (fp)
            fclose(fp);
        return st;
    }
    if (fclose(fp) != 0)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write: %s", dst,
                         strerror(errno));
    return GPCOV_OK;
}

/* The parts of the page (pt), made into the temporary file tmp's
** neighbourhood: the units (selected, joined, simplified), the regions
** and the markers. */
static gpcov_status make_parts(gpcov_ctx *ctx, const struct gpcov_webmap_spec *spec,
                               const char *tmp, struct parts *pt,
                               struct gpcov_webmap_info *info)
{
    struct gpcov_layer *l = NULL, *regions = NULL;
    gpcov_status st = gpcov_webmap_units(ctx, spec, &l, info);
    if (!st) {
        info->features = l->n;
        st = put_config(ctx, &pt->cfg, spec, l, info);
    }
    if (!st)
        st = geojson_text(ctx, l, tmp, "units", spec->precision, &pt->geo);
    if (!st && spec->outline && !(st = gpcov_webmap_outline(ctx, spec, &regions)))
        st = geojson_text(ctx, regions, tmp, "regions", spec->precision, &pt->regions);
    if (!st && spec->points)
        st = geojson_text(ctx, spec->points, tmp, "points", spec->precision, &pt->points);
    info->geojson_bytes = pt->geo.n + pt->regions.n + pt->points.n;
    gpcov_layer_free(ctx, l);
    gpcov_layer_free(ctx, regions);
    return st;
}

gpcov_status gpcov_webmap_write(gpcov_ctx *ctx,
                                const struct gpcov_webmap_spec *spec,
                                const char *dst, int overwrite,
                                struct gpcov_webmap_info *info)
{
    struct gpcov_webmap_info scratch;
    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    gpcov_status st = check_spec(ctx, spec, dst);
    if (st != GPCOV_OK)
        return st;
    char *tmp = NULL;
    if ((st = gpcov_atomic_begin(ctx, dst, overwrite, &tmp)) != GPCOV_OK)
        return st;
    struct parts pt = {0};
    struct buf page = {0};
    if ((st = make_parts(ctx, spec, tmp, &pt, info)) != GPCOV_OK)
        goto done;
    put_page(&page, spec, &pt);
    if (page.oom) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = write_page(ctx, &page, tmp, dst)) != GPCOV_OK)
        goto done;
    info->bytes = page.n;
    st = gpcov_atomic_commit(ctx, tmp, dst);
done:
    if (st != GPCOV_OK)
        gpcov_atomic_abort(tmp);
    free(tmp);
    free(pt.cfg.s);
    free(pt.geo.s);
    free(pt.regions.s);
    free(pt.points.s);
    free(page.s);
    return st;
}
