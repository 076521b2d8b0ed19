/*
** webmap.c: the interactive web map, one self-contained HTML file.  The
** units (municipalities) are simplified with GEOS's topology-preserving
** simplifier, so that neighbours keep sharing their borders, and written by
** OGR as RFC 7946 GeoJSON (lon/lat) at a fixed precision; each indicator is
** classed by the same code that classes the printed figure (symbology.c,
** without the page's layout), so the page's legend has the printed legend's
** classes, labels, counts and colours.  The page carries Leaflet and its
** own script and style compiled in (webmap_assets.h, made at build time by
** web/embed.sh), the GeoJSON and a JSON description of the indicators in
** <script type="application/json"> blocks, and a Content-Security-Policy
** that forbids every fetch: opened from disk, it asks the network for
** nothing.
*/
#include "symbology.h"
#include "webmap_assets.h"

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

static const char *src_of(const struct gpcov_layer *l, const char *src)
{
    return src ? src : l->name ? l->name : "units";
}

/* Where panel field `field` comes from: the units (*j = -1) or join *j,
** with its field index in *f.  Returns -1 when no layer has it. */
static int find_field(const struct gpcov_webmap_spec *spec, const char *field,
                      long *j, int *f)
{
    if ((*f = gpcov_layer_field(spec->units, field)) >= 0) {
        *j = -1;
        return 0;
    }
    for (size_t k = 0; k < spec->njoins; k++)
        if (spec->joins[k] &&
            (*f = gpcov_layer_field(spec->joins[k], field)) >= 0) {
            *j = (long)k;
            return 0;
        }
    return -1;
}

/* Copies a value between layers of the same field type. */
static gpcov_status copy_value(gpcov_ctx *ctx, struct gpcov_layer *dst,
                               size_t i, size_t f,
                               const struct gpcov_value *v,
                               enum gpcov_ftype t)
{
    if (!v || v->null) {
        gpcov_layer_set_null(dst, i, f);
        return GPCOV_OK;
    }
    if (t == GPCOV_STR)
        return gpcov_layer_set_str(ctx, dst, i, f, v->str ? v->str : "");
    return gpcov_layer_set_num(ctx, dst, i, f, v->num);
}

/* The state of building the page's layer. */
struct building {
    const struct gpcov_webmap_spec *spec;
    const struct gpcov_layer *u;  /* the units                          */
    GEOSContextHandle_t h;
    const char *src;
    int fname;                    /* the units' name field, or -1       */
    struct gpcov_strmap *maps;    /* per join: key -> row               */
    struct gpcov_layer *l;        /* the layer built                    */
    struct gpcov_webmap_info *info;
};

/* The units need a key and the name field, every joined layer a key. */
static gpcov_status check_keys(gpcov_ctx *ctx, struct building *bl)
{
    const struct gpcov_webmap_spec *spec = bl->spec;
    bl->fname = -1;
    if (!bl->u->keys)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: the units have no key (a code field) to join "
                         "and name them by",
                         bl->src);
    if (spec->name_field && *spec->name_field &&
        (bl->fname = gpcov_layer_field(bl->u, spec->name_field)) < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no name field '%s'", bl->src,
                         spec->name_field);
    for (size_t k = 0; k < spec->njoins; k++)
        if (!spec->joins[k] || !spec->joins[k]->keys)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: the layer has no key (a code field) to "
                             "join by",
                             spec->joins_src && spec->joins_src[k]
                                 ? spec->joins_src[k]
                                 : "join");
    return GPCOV_OK;
}

/* The new layer and each joined layer's key index. */
static gpcov_status join_maps(gpcov_ctx *ctx, struct building *bl)
{
    const struct gpcov_webmap_spec *spec = bl->spec;
    bl->l = gpcov_layer_new(bl->u->name ? bl->u->name : "units");
    bl->maps = calloc(spec->njoins + 1, sizeof *bl->maps);
    if (!bl->l || !bl->maps)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t k = 0; k < spec->njoins; k++)
        for (size_t i = 0; i < spec->joins[k]->n; i++)
            if (spec->joins[k]->keys[i] &&
                gpcov_strmap_put(&bl->maps[k], spec->joins[k]->keys[i], i) != 0)
                return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* code, name, the panels' fields, each once, in panel order, and the
** fields that say why a value is missing. */
static gpcov_status layer_fields(gpcov_ctx *ctx, struct building *bl)
{
    const struct gpcov_webmap_spec *spec = bl->spec;
    struct gpcov_layer *l = bl->l;
    if (gpcov_layer_add_field(ctx, l, "code", GPCOV_STR) < 0 ||
        gpcov_layer_add_field(ctx, l, "name", GPCOV_STR) < 0)
        return GPCOV_ENOMEM;
    for (size_t p = 0; p < 2 * spec->npanels; p++) {
        const char *field = p < spec->npanels ? spec->panels[p].field
                                              : spec->panels[p - spec->npanels].reason_field;
        long j;
        int f;
        if (p >= spec->npanels && !field)
            continue;
        if (!field || !*field)
            return gpcov_err(ctx, GPCOV_EUSAGE, "indicator %zu: no field given",
                             p + 1);
        if (gpcov_layer_field(l, field) >= 0)
            continue;
        if (find_field(spec, field, &j, &f) != 0)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: no field '%s' for indicator %zu%s", bl->src,
                             field, p % spec->npanels + 1,
                             spec->njoins ? " (nor in the joined layers)" : "");
        const struct gpcov_layer *from = j < 0 ? bl->u : spec->joins[j];
        if (gpcov_layer_add_field(ctx, l, field, from->fields[f].type) < 0)
            return GPCOV_EUSAGE;
    }
    return GPCOV_OK;
}

/* Unit i's geometry simplified (as it is when simplifying empties it),
** its vertices counted before and after; NULL without one. */
static gpcov_status simplified(gpcov_ctx *ctx, struct building *bl, size_t i,
                               GEOSGeometry **out)
{
    GEOSContextHandle_t h = bl->h;
    GEOSGeometry *g = NULL;
    const GEOSGeometry *g0 = bl->u->geoms ? bl->u->geoms[i] : NULL;
    *out = NULL;
    if (!g0)
        return GPCOV_OK;
    int n0 = GEOSGetNumCoordinates_r(h, g0);
    if (bl->spec->simplify > 0) {
        g = GEOSTopologyPreserveSimplify_r(h, g0, bl->spec->simplify);
        if (g && GEOSisEmpty_r(h, g) == 1) {
            GEOSGeom_destroy_r(h, g);
            g = NULL;
        }
    }
    if (!g)
        g = GEOSGeom_clone_r(h, g0);
    if (!g)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: %s: cannot simplify: %s",
                         bl->src, bl->u->keys[i], gpcov_dep_error(ctx));
    if (bl->info) {
        bl->info->vertices_in += n0 > 0 ? (size_t)n0 : 0;
        int n1 = GEOSGetNumCoordinates_r(h, g);
        bl->info->vertices_out += n1 > 0 ? (size_t)n1 : 0;
    }
    *out = g;
    return GPCOV_OK;
}

/* Unit i's name and its values of the page's fields (from the units or
** the joined layer that has each). */
static gpcov_status unit_values(gpcov_ctx *ctx, struct building *bl, size_t i)
{
    const struct gpcov_layer *u = bl->u;
    struct gpcov_layer *l = bl->l;
    gpcov_status st = GPCOV_OK;
    if (bl->fname >= 0) {
        const struct gpcov_value *nv = gpcov_layer_value(u, i, (size_t)bl->fname);
        char num[64];
        if (nv->null)
            gpcov_layer_set_null(l, i, 1);
        else if (u->fields[bl->fname].type == GPCOV_STR)
            st = gpcov_layer_set_str(ctx, l, i, 1, nv->str ? nv->str : "");
        else {
            snprintf(num, sizeof num, "%.15g", nv->num);
            st = gpcov_layer_set_str(ctx, l, i, 1, num);
        }
        if (st)
            return st;
    }
    for (size_t f = 2; f < l->nfields; f++) {
        long j;
        int sf;
        find_field(bl->spec, l->fields[f].name, &j, &sf);
        const struct gpcov_layer *from = j < 0 ? u : bl->spec->joins[j];
        size_t row = i;
        if (j >= 0 && (!u->keys[i] || gpcov_strmap_get(&bl->maps[j], u->keys[i], &row) != 0)) {
            gpcov_layer_set_null(l, i, f); /* not in that layer: no data */
            continue;
        }
        if ((st = copy_value(ctx, l, i, f, gpcov_layer_value(from, row, (size_t)sf),
                             l->fields[f].type)))
            return st;
    }
    return GPCOV_OK;
}

/* The units, one row each. */
static gpcov_status unit_rows(gpcov_ctx *ctx, struct building *bl)
{
    const struct gpcov_layer *u = bl->u;
    gpcov_status st = GPCOV_OK;
    for (size_t i = 0; i < u->n; i++) {
        GEOSGeometry *g;
        if ((st = simplified(ctx, bl, i, &g)))
            return st;
        long r = gpcov_layer_append(ctx, bl->l, u->keys[i], g);
        if (r < 0)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        if ((st = gpcov_layer_set_str(ctx, bl->l, i, 0, u->keys[i] ? u->keys[i] : "")))
            return st;
        if ((st = unit_values(ctx, bl, i)))
            return st;
    }
    return GPCOV_OK;
}

/* The layer the page shows: code, name and the panels' fields, geometries
** simplified; vertices counted before and after. */
static gpcov_status build_layer(gpcov_ctx *ctx,
                                const struct gpcov_webmap_spec *spec,
                                struct gpcov_layer **out,
                                struct gpcov_webmap_info *info)
{
    struct building bl = {.spec = spec, .u = spec->units,
                          .h = gpcov_ctx_geos(ctx),
                          .src = src_of(spec->units, spec->units_src),
                          .info = info};
    *out = NULL;
    gpcov_status st = check_keys(ctx, &bl);
    if (st)
        return st;
    if (!(st = join_maps(ctx, &bl)) && !(st = layer_fields(ctx, &bl)) &&
        !(st = unit_rows(ctx, &bl))) {
        *out = bl.l;
        bl.l = NULL;
    }
    if (bl.maps)
        for (size_t k = 0; k < spec->njoins; k++)
            gpcov_strmap_clear(&bl.maps[k]);
    free(bl.maps);
    gpcov_layer_free(ctx, bl.l);
    return st;
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
    ms.units_src = src_of(spec->units, spec->units_src);
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

static gpcov_status put_config(gpcov_ctx *ctx, struct buf *b,
                               const struct gpcov_webmap_spec *spec,
                               const struct gpcov_layer *l)
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

/* The layer as RFC 7946 GeoJSON, written by OGR to a scratch file beside
** dst (gone again before this returns), with every '<' escaped as for
** put_json_str.  *json is freed by the caller. */
static gpcov_status geojson_text(gpcov_ctx *ctx, const struct gpcov_layer *l,
                                 const char *tmp_html, int precision,
                                 struct buf *out)
{
    size_t n = strlen(tmp_html) + 16;
    char *path = malloc(n);
    if (!path)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    snprintf(path, n, "%s.geojson", tmp_html);
    struct gpcov_write_opts wo = {0};
    wo.overwrite = 1;
    wo.layer_name = "units";
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
    return GPCOV_OK;
}

/* The page: the assets, the description of the indicators (cfg) and the
** GeoJSON (geo). */
static void put_page(struct buf *page, const struct gpcov_webmap_spec *spec,
                     const struct buf *cfg, const struct buf *geo)
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
    puts_(page, "\"></div>\n<script type=\"application/json\" id=\"gpcov-config\">");
    put(page, cfg->s, cfg->n);
    puts_(page, "</script>\n<script type=\"application/json\" id=\"gpcov-data\">");
    put(page, geo->s, geo->n);
    puts_(page, "</script>\n<script>\n");
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
    struct gpcov_layer *l = NULL;
    struct buf cfg = {0}, geo = {0}, page = {0};
    if ((st = build_layer(ctx, spec, &l, info)) != GPCOV_OK)
        goto done;
    info->features = l->n;
    if ((st = put_config(ctx, &cfg, spec, l)) != GPCOV_OK)
        goto done;
    if ((st = geojson_text(ctx, l, tmp, spec->precision, &geo)) != GPCOV_OK)
        goto done;
    info->geojson_bytes = geo.n;
    put_page(&page, spec, &cfg, &geo);
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
    free(cfg.s);
    free(geo.s);
    free(page.s);
    gpcov_layer_free(ctx, l);
    return st;
}
