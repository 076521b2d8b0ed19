/*
** render.c: the figure 3.8 layout.  One page, a main title at the top, one
** panel per indicator side by side, lettered (a), (b), ... with a title
** each, and the sources' attribution lines in small type at the bottom.
** A panel is a choropleth of the municipalities: each class filled with its
** colour from a sequential ramp (palette.c), "no data" in a hatched light
** grey, thin light-grey municipality borders under thicker dark region
** borders, and optional point markers with labels placed clear of each
** other, the legend and the frames.
** To its right a column holds the legend (class ranges with the unit and
** the number of municipalities in each), a zoomed inset of the capital area
** (framed, with the same frame drawn on the main map and leader lines
** between them) and Bornholm and Christiansø in a box at the main scale,
** so that the main map ends at the Sound instead of showing mostly Baltic
** sea.  The legend may reach left over empty sea (the Kattegat) when no
** municipality lies under it; otherwise the column widens.
**
** The work is split in two: gpcov_figure_prepare classes the values, wraps
** the text and fixes every position (measured with cairo's toy text API in
** DejaVu Sans, unhinted, so that the layout is the same on every backend);
** gpcov_figure_draw then paints onto any cairo surface.  render_out.c makes
** the surfaces and the files.  Every GEOS call goes through the context's
** reentrant handle.
*/
#include "render_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
#define SWATCH_W 15.0
#define SWATCH_H 9.5
#define ROW_H 12.5
#define MARKER_R 2.3
#define TAU 6.283185307179586
#define MIN_STEP 0.25 /* points */

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

/* The part of u drawn in the Bornholm box (east) or in the main map, with
** its envelope; NULL when u has no such part. */
static const GEOSGeometry *unit_part(const struct unit *u, int east, double env[4])
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

struct lines {
    char **v;
    size_t n;
};

enum { ROW_CLASS, ROW_NODATA, ROW_POINTS };

struct row {
    int kind;
    int cls;  /* the class it stands for; -1 no data                  */
    double rgb[3];
    char *label;
    char count[32];
};

struct panel {
    const struct gpcov_map_panel *p;
    int k;
    double breaks[GPCOV_PALETTE_MAX + 1];
    double rgb[GPCOV_PALETTE_MAX][3];
    int *cls; /* per unit: class, -1 no data, -2 not drawn */
    size_t nreason;     /* distinct reasons for no data, as legend rows */
    char *reason[GPCOV_MAX_REASONS];
    size_t nrows;
    struct row rows[GPCOV_LEGEND_ROWS];
    char *header;       /* a long unit, heading the legend */
    struct lines note;  /* under the legend                */
    struct lines title; /* the first line follows "(a) "   */
    char letter[8];
};

enum { V_MAIN, V_CPH, V_EAST, NVIEWS };

struct point {
    double x, y;
    char *label;
    int placed[NVIEWS];
    double lx[NVIEWS], ly[NVIEWS]; /* label baseline origin, panel points */
};

struct gpcov_figure {
    const struct gpcov_map_spec *spec;
    GEOSContextHandle_t geos;
    double W, H, dpi;
    double pw;          /* panel width                                     */
    double map_top;     /* page y of the top of the maps                   */
    double hm;          /* height of the main map                          */
    double ptitle_y;    /* page y of the first panel-title baseline        */
    size_t nunits;
    struct unit *units;
    size_t np;
    struct panel panels[GPCOV_MAP_MAX_PANELS];
    struct view views[NVIEWS];
    struct rect legend;   /* panel points                                  */
    double inset_label_y; /* baseline of the inset label, panel points     */
    size_t npoints;
    struct point *points;
    struct lines title, attr;
    const char *nodata_label, *inset_label;
    int scale_km;         /* scale bar length; 0: none                     */
    double scale_x, scale_y;
};

/* ------------------------------------------------------------------ text */

static void set_font(cairo_t *cr, int bold, int italic, double size)
{
    cairo_select_font_face(cr, FONT,
                           italic ? CAIRO_FONT_SLANT_OBLIQUE
                                  : CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD
                                : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double text_w(cairo_t *cr, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

static void text_at(cairo_t *cr, double x, double y, const char *s)
{
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
}

/* Text with a white halo, for labels over the map. */
static void text_halo(cairo_t *cr, double x, double y, const char *s)
{
    cairo_save(cr);
    cairo_move_to(cr, x, y);
    cairo_text_path(cr, s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 1.6);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_restore(cr);
    text_at(cr, x, y, s);
}

static void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int lines_push(struct lines *l, const char *s, size_t len)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    if (!(v[l->n] = gpcov_strndup(s, len)))
        return -1;
    l->n++;
    return 0;
}

/* Breaks text into lines no wider than maxw (the first line first_w) at
** spaces, and at every newline.  A word wider than a line stays whole.
** Returns 0 or -1 (ENOMEM). */
static int wrap(cairo_t *cr, const char *text, double first_w, double maxw,
                struct lines *out)
{
    if (!text)
        return 0;
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    if (!buf)
        return -1;
    const char *p = text;
    while (*p) {
        double w = out->n ? maxw : first_w;
        size_t best = 0; /* bytes of p that fit on this line */
        for (;;) {
            size_t wend = best;
            while (p[wend] == ' ')
                wend++;
            while (p[wend] && p[wend] != ' ' && p[wend] != '\n')
                wend++;
            if (wend == best)
                break;
            memcpy(buf, p, wend);
            buf[wend] = 0;
            if (best > 0 && text_w(cr, buf) > w)
                break;
            best = wend;
            if (!p[best] || p[best] == '\n')
                break;
        }
        if (lines_push(out, p, best) != 0) {
            free(buf);
            return -1;
        }
        p += best;
        while (*p == ' ')
            p++;
        if (*p == '\n')
            p++;
    }
    free(buf);
    return 0;
}

/* ---------------------------------------------------------------- numbers */

/* v with dec decimals, grouped thousands, a true minus sign; Danish style
** (1.617,5) when comma is set, else 1,617.5. */
static void fmt_num(char *out, size_t sz, double v, int dec, int comma)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
    int neg = v < 0 && strspn(raw, "0.") != strlen(raw);
    const char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    char buf[96];
    size_t o = 0;
    if (neg) {
        memcpy(buf, "\xe2\x88\x92", 3); /* U+2212 MINUS SIGN */
        o = 3;
    }
    for (size_t i = 0; i < ilen; i++) {
        if (i > 0 && ilen >= 4 && (ilen - i) % 3 == 0)
            buf[o++] = comma ? '.' : ',';
        buf[o++] = raw[i];
    }
    if (dot) {
        buf[o++] = comma ? ',' : '.';
        for (const char *q = dot + 1; *q; q++)
            buf[o++] = *q;
    }
    buf[o] = 0;
    snprintf(out, sz, "%s", buf);
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A short unit ("%", "km", "år") follows every label; a longer one heads
** the legend. */
static int unit_is_short(const char *unit)
{
    return unit && *unit && utf8_chars(unit) <= 3;
}

static int auto_decimals(const double *b, int k, int comma)
{
    double step = INFINITY;
    for (int c = 0; c < k; c++)
        if (isfinite(b[c]) && isfinite(b[c + 1]) && b[c + 1] - b[c] < step)
            step = b[c + 1] - b[c];
    int d = 0;
    if (isfinite(step) && step > 0)
        d = (int)ceil(-log10(step));
    if (d < 0)
        d = 0;
    if (d > 4)
        d = 4;
    /* more decimals while two neighbouring edges would read the same */
    for (; d < 6; d++) {
        int same = 0;
        for (int c = 0; c < k && !same; c++) {
            if (!isfinite(b[c]) || !isfinite(b[c + 1]))
                continue;
            char x[64], y[64];
            fmt_num(x, sizeof x, b[c], d, comma);
            fmt_num(y, sizeof y, b[c + 1], d, comma);
            same = strcmp(x, y) == 0;
        }
        if (!same)
            break;
    }
    return d;
}

/* --------------------------------------------------------------- values */

static const char *units_src(const struct gpcov_map_spec *spec)
{
    if (spec->units_src)
        return spec->units_src;
    return spec->units->name ? spec->units->name : "units";
}

static const char *feat_name(const struct gpcov_layer *l, size_t i, char *buf,
                             size_t sz)
{
    if (l->keys && l->keys[i])
        snprintf(buf, sz, "%s", l->keys[i]);
    else
        snprintf(buf, sz, "feature %zu", i + 1);
    return buf;
}

/* "field 'x' not in FILE (fields: a, b, ...)" */
static gpcov_status no_field(gpcov_ctx *ctx, const struct gpcov_layer *l,
                             const char *src, const char *what,
                             const char *field)
{
    char list[600];
    size_t o = 0;
    list[0] = 0;
    for (size_t f = 0; f < l->nfields && o + 40 < sizeof list; f++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", f ? ", " : "",
                              l->fields[f].name);
    if (o + 40 >= sizeof list)
        snprintf(list + o, sizeof list - o, ", ...");
    return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' for %s (fields: %s)",
                     src, field, what, l->nfields ? list : "none");
}

static int parse_bool(const char *s, double *v)
{
    static const char *yes[] = {"1", "true", "t", "yes", "y", "ja", NULL};
    static const char *no[] = {"0", "false", "f", "no", "n", "nej", NULL};
    char b[16];
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' '))
        n--;
    while (*s == ' ' && n) {
        s++;
        n--;
    }
    if (n == 0 || n >= sizeof b)
        return -1;
    for (size_t i = 0; i < n; i++)
        b[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    b[n] = 0;
    for (int i = 0; yes[i]; i++)
        if (!strcmp(b, yes[i]))
            return *v = 1, 0;
    for (int i = 0; no[i]; i++)
        if (!strcmp(b, no[i]))
            return *v = 0, 0;
    return -1;
}

/* The value of unit i in field f: 1 and *v, 0 for null, or -1 with the
** message set in ctx. */
static int unit_value(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                      const struct gpcov_map_panel *p, size_t i, int f,
                      double *v)
{
    const struct gpcov_layer *l = spec->units;
    const struct gpcov_value *val = gpcov_layer_value(l, i, (size_t)f);
    char name[64];
    if (!val || val->null)
        return 0;
    if (l->fields[f].type == GPCOV_STR) {
        const char *s = val->str ? val->str : "";
        if (strspn(s, " ") == strlen(s))
            return 0;
        if (p->categorical) {
            if (parse_bool(s, v) == 0)
                return 1;
            if (!strcasecmp(s, "undecided"))
                return *v = 2, 1;
        } else {
            char *end;
            *v = strtod(s, &end);
            while (*end == ' ')
                end++;
            if (end != s && !*end && isfinite(*v))
                return 1;
        }
        gpcov_err(ctx, GPCOV_EINPUT,
                  "%s: %s: field '%s' holds '%s', not %s", units_src(spec),
                  feat_name(l, i, name, sizeof name), p->field, s,
                  p->categorical ? "true/false, 1/0 or undecided" : "a number");
        return -1;
    }
    *v = val->num;
    if (isnan(*v))
        return 0;
    if (p->categorical && *v != 0 && *v != 1) {
        gpcov_err(ctx, GPCOV_EINPUT,
                  "%s: %s: categorical field '%s' holds %g; a categorical "
                  "panel needs true/false or 1/0",
                  units_src(spec), feat_name(l, i, name, sizeof name),
                  p->field, *v);
        return -1;
    }
    if (!isfinite(*v)) {
        gpcov_err(ctx, GPCOV_EINPUT, "%s: %s: field '%s' is not finite",
                  units_src(spec), feat_name(l, i, name, sizeof name),
                  p->field);
        return -1;
    }
    return 1;
}

/* --------------------------------------------------------------- classes */

/* The reason unit i has no value in panel P (its reason field), or NULL. */
static const char *reason_of(const struct gpcov_figure *fig, const struct panel *P, size_t i)
{
    const struct gpcov_layer *l = fig->spec->units;
    int f = P->p->reason_field ? gpcov_layer_field(l, P->p->reason_field) : -1;
    const struct gpcov_value *v = f >= 0 ? gpcov_layer_value(l, i, (size_t)f) : NULL;
    if (!v || v->null || l->fields[f].type != GPCOV_STR || !v->str || !*v->str)
        return NULL;
    return v->str;
}

/* The no-data row of unit i: the row of its reason, else the generic one
** (the last no-data row). */
static int nodata_row(const struct gpcov_figure *fig, const struct panel *P, size_t i)
{
    const char *why = reason_of(fig, P, i);
    size_t first = P->nrows;
    while (first > 0 && P->rows[first - 1].kind == ROW_NODATA)
        first--;
    for (size_t k = 0; why && k < P->nreason; k++)
        if (!strcmp(P->reason[k], why))
            return (int)(first + k);
    return (int)P->nrows - 1;
}

/* The legend rows of the units without a value: one per reason the reason
** field gives (first seen first, up to GPCOV_MAX_REASONS), then the
** no-data label for the others. */
static gpcov_status nodata_rows(gpcov_ctx *ctx, struct gpcov_figure *fig, struct panel *P)
{
    const struct gpcov_map_panel *p = P->p;
    if (p->reason_field && gpcov_layer_field(fig->spec->units, p->reason_field) < 0)
        return no_field(ctx, fig->spec->units, units_src(fig->spec), "reason", p->reason_field);
    int generic = 0;
    for (size_t i = 0; i < fig->nunits; i++) {
        if (P->cls[i] != -1)
            continue;
        const char *why = reason_of(fig, P, i);
        size_t k = 0;
        while (why && k < P->nreason && strcmp(P->reason[k], why))
            k++;
        if (why && k == P->nreason && k < GPCOV_MAX_REASONS) {
            if (!(P->reason[P->nreason++] = gpcov_strdup(why)))
                return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        } else if (!why || k == GPCOV_MAX_REASONS) {
            generic = 1;
        }
    }
    for (size_t k = 0; k < P->nreason + (size_t)generic; k++) {
        struct row *r = &P->rows[P->nrows++];
        r->kind = ROW_NODATA;
        r->cls = -1;
        r->label = gpcov_strdup(k < P->nreason ? P->reason[k] : fig->nodata_label);
    }
    return GPCOV_OK;
}

/* The count beside each legend row: units, or the sum of the count field
** (people, say), or none. */
static gpcov_status row_counts(gpcov_ctx *ctx, struct gpcov_figure *fig, struct panel *P)
{
    const struct gpcov_map_panel *p = P->p;
    const struct gpcov_layer *l = fig->spec->units;
    if (p->count_field && !strcmp(p->count_field, "none"))
        return GPCOV_OK;
    int cf = -1;
    if (p->count_field && (cf = gpcov_layer_field(l, p->count_field)) < 0)
        return no_field(ctx, l, units_src(fig->spec), "count", p->count_field);
    double sum[GPCOV_LEGEND_ROWS] = {0};
    for (size_t i = 0; i < fig->nunits; i++) {
        int c = P->cls[i], row = -1;
        if (c == -2)
            continue;
        for (size_t r = 0; c >= 0 && r < P->nrows; r++)
            if (P->rows[r].kind == ROW_CLASS && P->rows[r].cls == c)
                row = (int)r;
        if (c == -1)
            row = nodata_row(fig, P, i);
        if (row < 0)
            continue;
        const struct gpcov_value *v = cf >= 0 ? gpcov_layer_value(l, i, (size_t)cf) : NULL;
        sum[row] += cf < 0 ? 1 : v->null || l->fields[cf].type == GPCOV_STR ? 0 : v->num;
    }
    for (size_t r = 0; r < P->nrows; r++) {
        char num[28];
        fmt_num(num, sizeof num, sum[r], 0, fig->spec->decimal_comma);
        snprintf(P->rows[r].count, sizeof P->rows[r].count, "(%.28s)", num);
    }
    return GPCOV_OK;
}

static gpcov_status classify_panel(gpcov_ctx *ctx, struct gpcov_figure *fig,
                                   size_t pi)
{
    const struct gpcov_map_spec *spec = fig->spec;
    struct panel *P = &fig->panels[pi];
    const struct gpcov_map_panel *p = P->p;
    const struct gpcov_layer *l = spec->units;
    const char *src = units_src(spec);
    char name[64];

    if (!p->field || !*p->field)
        return gpcov_err(ctx, GPCOV_EUSAGE, "panel %s: no field given",
                         P->letter);
    int f = gpcov_layer_field(l, p->field);
    if (f < 0) {
        char what[32];
        snprintf(what, sizeof what, "panel %s", P->letter);
        return no_field(ctx, l, src, what, p->field);
    }
    P->cls = malloc((fig->nunits ? fig->nunits : 1) * sizeof *P->cls);
    double *vals = malloc((fig->nunits ? fig->nunits : 1) * sizeof *vals);
    if (!P->cls || !vals) {
        free(vals);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    size_t nv = 0, nnull = 0;
    for (size_t i = 0; i < fig->nunits; i++) {
        P->cls[i] = -2;
        if (!fig->units[i].g)
            continue;
        double v;
        int r = unit_value(ctx, spec, p, i, f, &v);
        if (r < 0) {
            free(vals);
            return GPCOV_EINPUT;
        }
        if (r == 0) {
            P->cls[i] = -1;
            nnull++;
        } else {
            P->cls[i] = 0;
            vals[nv++] = v;
        }
    }

    gpcov_status st = GPCOV_OK;
    if (p->categorical) {
        P->k = 2;
        P->breaks[0] = 0;
        P->breaks[1] = 0.5;
        P->breaks[2] = 1;
        gpcov_palette_fixed(GPCOV_COLOUR_FALSE, P->rgb[0]);
        gpcov_palette_fixed(GPCOV_COLOUR_TRUE, P->rgb[1]);
        gpcov_palette_fixed(GPCOV_COLOUR_UNDECIDED, P->rgb[2]);
    } else {
        int k = p->classes ? p->classes : 5;
        if (k < 1 || k > GPCOV_PALETTE_MAX) {
            free(vals);
            return gpcov_err(ctx, GPCOV_EUSAGE,
                             "panel %s (%s): %d classes; a map takes 1 to %d",
                             P->letter, p->field, k, GPCOV_PALETTE_MAX);
        }
        P->k = k;
        if (p->method == GPCOV_BREAKS_FIXED) {
            if (!p->fixed) {
                free(vals);
                return gpcov_err(ctx, GPCOV_EUSAGE,
                                 "panel %s (%s): fixed breaks without edges",
                                 P->letter, p->field);
            }
            memcpy(P->breaks, p->fixed, (size_t)(k + 1) * sizeof *P->breaks);
        }
        if (nv == 0 && p->method != GPCOV_BREAKS_FIXED) {
            free(vals);
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: field '%s' has no values to map (all null)",
                             src, p->field);
        }
        st = gpcov_breaks(ctx, p->method, vals, nv, k, P->breaks);
        if (st != GPCOV_OK) {
            char why[GPCOV_MSG_MAX];
            snprintf(why, sizeof why, "%s", gpcov_ctx_message(ctx));
            free(vals);
            return gpcov_err(ctx, st, "%s: field '%s' (panel %s): %s", src,
                             p->field, P->letter, why);
        }
        for (int c = 0; c < k; c++)
            if (gpcov_palette_colour(p->palette, k, c, P->rgb[c]) != 0) {
                free(vals);
                return gpcov_err(ctx, GPCOV_EUSAGE,
                                 "panel %s: unknown palette %d", P->letter,
                                 (int)p->palette);
            }
    }
    free(vals);

    /* each unit's class, and the count per class */
    size_t count[GPCOV_PALETTE_MAX] = {0};
    for (size_t i = 0; i < fig->nunits; i++) {
        if (P->cls[i] != 0)
            continue;
        double v;
        unit_value(ctx, spec, p, i, f, &v);
        int c = p->categorical ? (int)v : gpcov_breaks_class(P->breaks, P->k, v);
        if (c < 0)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: %s: field '%s' = %g lies outside the fixed "
                             "breaks %g to %g (make the first edge -inf or the "
                             "last inf to open the end classes)",
                             src, feat_name(l, i, name, sizeof name), p->field,
                             v, P->breaks[0], P->breaks[P->k]);
        P->cls[i] = c;
        count[c]++;
    }

    /* legend rows */
    int comma = spec->decimal_comma;
    const char *sep = " \xe2\x80\x93 "; /* EN DASH */
    char su[64] = "";
    if (!p->categorical && unit_is_short(p->unit))
        snprintf(su, sizeof su, " %s", p->unit);
    else if (!p->categorical && p->unit && *p->unit)
        if (!(P->header = gpcov_strdup(p->unit)))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    int dec = p->decimals >= 0 ? p->decimals
                               : auto_decimals(P->breaks, P->k, comma);
    if (dec > 10)
        dec = 10;
    if (p->categorical) {
        /* true, false, and undecided when a unit is */
        const char *lab[3] = {p->label_false ? p->label_false : "no",
                              p->label_true ? p->label_true : "yes",
                              p->label_undecided ? p->label_undecided : "undecided"};
        static const int order[3] = {1, 0, 2};
        for (int r = 0; r < 3; r++) {
            int c = order[r];
            if (c == 2 && !count[2])
                continue;
            struct row *w = &P->rows[P->nrows++];
            w->kind = ROW_CLASS;
            w->cls = c;
            memcpy(w->rgb, P->rgb[c], sizeof P->rgb[c]);
            w->label = gpcov_strdup(lab[c]);
        }
    } else {
        for (int c = 0; c < P->k; c++) {
            char a[64], b[64], lab[200];
            double lo = P->breaks[c], hi = P->breaks[c + 1];
            fmt_num(a, sizeof a, lo, dec, comma);
            fmt_num(b, sizeof b, hi, dec, comma);
            if (isinf(lo))
                snprintf(lab, sizeof lab, "\xe2\x89\xa4 %s%s", b, su); /* ≤ */
            else if (isinf(hi))
                snprintf(lab, sizeof lab, "> %s%s", a, su);
            else if (!strcmp(a, b))
                snprintf(lab, sizeof lab, "%s%s", a, su);
            else
                snprintf(lab, sizeof lab, "%s%s%s%s", a, sep, b, su);
            struct row *r = &P->rows[P->nrows++];
            r->kind = ROW_CLASS;
            r->cls = c;
            memcpy(r->rgb, P->rgb[c], sizeof P->rgb[c]);
            r->label = gpcov_strdup(lab);
        }
    }
    if (nnull) {
        gpcov_status rs = nodata_rows(ctx, fig, P);
        if (rs)
            return rs;
    }
    for (size_t r = 0; r < P->nrows; r++)
        if (!P->rows[r].label)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return row_counts(ctx, fig, P);
}

/* ------------------------------------------------------------- geometry */

static double vx(const struct view *v, double x)
{
    return v->px + (x - v->sx0) * v->s;
}

static double vy(const struct view *v, double y)
{
    return v->py + (v->sy1 - y) * v->s;
}

static struct rect view_rect(const struct view *v)
{
    struct rect r = {v->px, v->py, v->px + (v->sx1 - v->sx0) * v->s,
                     v->py + (v->sy1 - v->sy0) * v->s};
    return r;
}

static int rects_overlap(struct rect a, struct rect b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static int rect_inside(struct rect a, struct rect outer)
{
    return a.x0 >= outer.x0 && a.x1 <= outer.x1 && a.y0 >= outer.y0 &&
           a.y1 <= outer.y1;
}

static int env_in_view(const double e[4], const struct view *v)
{
    return e[0] <= v->sx1 && e[2] >= v->sx0 && e[1] <= v->sy1 && e[3] >= v->sy0;
}

/* Adds one ring or line to the path, dropping vertices closer than
** MIN_STEP points to the last one kept: they change nothing a reader sees
** (a quarter of a pixel at 200 dpi) and would only swell SVG and PDF. */
static void path_coords(cairo_t *cr, GEOSContextHandle_t h,
                        const GEOSGeometry *line, const struct view *v,
                        int close)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, line);
    unsigned int n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n < 2)
        return;
    double lx = 0, ly = 0;
    for (unsigned int i = 0; i < n; i++) {
        double x, y;
        if (!GEOSCoordSeq_getXY_r(h, cs, i, &x, &y))
            return;
        double px = vx(v, x), py = vy(v, y);
        if (i == 0) {
            cairo_move_to(cr, px, py);
        } else if (i + 1 == n || fabs(px - lx) >= MIN_STEP ||
                   fabs(py - ly) >= MIN_STEP) {
            cairo_line_to(cr, px, py);
        } else {
            continue;
        }
        lx = px;
        ly = py;
    }
    if (close)
        cairo_close_path(cr);
}

/* Adds the rings (or lines) of g to the current path. */
static void path_geom(cairo_t *cr, GEOSContextHandle_t h,
                      const GEOSGeometry *g, const struct view *v)
{
    switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POLYGON: {
        const GEOSGeometry *ext = GEOSGetExteriorRing_r(h, g);
        if (ext)
            path_coords(cr, h, ext, v, 1);
        int ni = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < ni; i++) {
            const GEOSGeometry *in = GEOSGetInteriorRingN_r(h, g, i);
            if (in)
                path_coords(cr, h, in, v, 1);
        }
        break;
    }
    case GEOS_LINESTRING:
        path_coords(cr, h, g, v, 0);
        break;
    case GEOS_LINEARRING:
        path_coords(cr, h, g, v, 1);
        break;
    case GEOS_MULTIPOLYGON:
    case GEOS_MULTILINESTRING:
    case GEOS_GEOMETRYCOLLECTION: {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++) {
            const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
            if (part)
                path_geom(cr, h, part, v);
        }
        break;
    }
    default:
        break;
    }
}

static int envelope(GEOSContextHandle_t h, const GEOSGeometry *g, double *x0,
                    double *y0, double *x1, double *y1)
{
    if (!g || GEOSisEmpty_r(h, g) != 0)
        return -1;
    return GEOSGeom_getExtent_r(h, g, x0, y0, x1, y1) ? 0 : -1;
}

/* Does any unit drawn in view vi meet the panel rectangle r?  2 on a GEOS
** failure (treated as "not free"). */
static int units_under(const struct gpcov_figure *fig, int vi, struct rect r)
{
    const struct view *v = &fig->views[vi];
    double x0 = v->sx0 + (r.x0 - v->px) / v->s;
    double x1 = v->sx0 + (r.x1 - v->px) / v->s;
    double y1 = v->sy1 - (r.y0 - v->py) / v->s;
    double y0 = v->sy1 - (r.y1 - v->py) / v->s;
    GEOSGeometry *box = GEOSGeom_createRectangle_r(fig->geos, x0, y0, x1, y1);
    if (!box)
        return 2;
    const GEOSPreparedGeometry *pb = GEOSPrepare_r(fig->geos, box);
    int hit = pb ? 0 : 2;
    for (size_t i = 0; pb && i < fig->nunits && !hit; i++) {
        double e[4];
        const GEOSGeometry *ug = unit_part(&fig->units[i], vi == V_EAST, e);
        if (!ug || e[0] > x1 || e[2] < x0 || e[1] > y1 || e[3] < y0)
            continue;
        int r2 = GEOSPreparedIntersects_r(fig->geos, pb, ug);
        hit = r2 == 1 ? 1 : r2 == 0 ? 0 : 2;
    }
    if (pb)
        GEOSPreparedGeom_destroy_r(fig->geos, pb);
    GEOSGeom_destroy_r(fig->geos, box);
    return hit;
}

/* ---------------------------------------------------------------- legend */

static void legend_size(cairo_t *cr, const struct gpcov_figure *fig,
                        const struct panel *P, double *w, double *h)
{
    double lw = 0, lh = 0;
    if (P->header) {
        set_font(cr, 1, 0, LEGEND_SIZE);
        lw = text_w(cr, P->header);
        lh += ROW_H + 1;
    }
    size_t nrows = P->nrows + (fig->spec->point_legend && fig->npoints ? 1 : 0);
    for (size_t r = 0; r < nrows; r++) {
        const char *lab = r < P->nrows ? P->rows[r].label
                                       : fig->spec->point_legend;
        set_font(cr, 0, 0, LEGEND_SIZE);
        double rw = SWATCH_W + 5 + text_w(cr, lab);
        if (r < P->nrows) {
            set_font(cr, 0, 0, LEGEND_SIZE * 0.9);
            rw += 4 + text_w(cr, P->rows[r].count);
        }
        if (rw > lw)
            lw = rw;
        lh += ROW_H;
    }
    *w = lw;
    *h = lh;
}

/* Wraps each panel's note to the legend width, which it may widen up to
** 170 points; *extra: the height the notes add (the tallest). */
static int legend_notes(cairo_t *cr, struct gpcov_figure *fig, double *lw,
                        double *extra)
{
    double w = fmax(*lw, 170);
    *extra = 0;
    set_font(cr, 0, 1, NOTE_SIZE);
    for (size_t i = 0; i < fig->np; i++) {
        struct panel *P = &fig->panels[i];
        if (!P->p->note || !*P->p->note)
            continue;
        if (wrap(cr, P->p->note, w, w, &P->note) != 0)
            return -1;
        double nw = 0;
        for (size_t j = 0; j < P->note.n; j++) {
            double tw = text_w(cr, P->note.v[j]);
            if (tw > nw)
                nw = tw;
        }
        if (nw > *lw)
            *lw = nw;
        double e = 4 + P->note.n * (NOTE_SIZE + 2);
        if (e > *extra)
            *extra = e;
    }
    return 0;
}

/* ---------------------------------------------------------------- points */

static gpcov_status read_points(gpcov_ctx *ctx, struct gpcov_figure *fig)
{
    const struct gpcov_map_spec *spec = fig->spec;
    const struct gpcov_layer *l = spec->points;
    if (!l)
        return GPCOV_OK;
    const char *src = spec->points_src ? spec->points_src
                      : l->name        ? l->name
                                       : "points";
    int f = -1;
    if (spec->point_label_field) {
        f = gpcov_layer_field(l, spec->point_label_field);
        if (f < 0)
            return no_field(ctx, l, src, "point labels",
                            spec->point_label_field);
    }
    fig->points = calloc(l->n ? l->n : 1, sizeof *fig->points);
    if (!fig->points)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    /* the units' extent plus 50 km: a marker beyond it falls outside every
    ** view and most likely has swapped or misread coordinates, so the user
    ** is told (it is kept: the views decide what is drawn) */
    double ux0 = HUGE_VAL, uy0 = HUGE_VAL, ux1 = -HUGE_VAL, uy1 = -HUGE_VAL;
    for (size_t k = 0; spec->units && k < spec->units->n; k++) {
        const GEOSGeometry *pg = spec->units->geoms[k];
        double a, b, c, d;
        if (pg && GEOSGeom_getXMin_r(fig->geos, pg, &a) && GEOSGeom_getYMin_r(fig->geos, pg, &b) &&
            GEOSGeom_getXMax_r(fig->geos, pg, &c) && GEOSGeom_getYMax_r(fig->geos, pg, &d)) {
            ux0 = fmin(ux0, a - 50e3), uy0 = fmin(uy0, b - 50e3);
            ux1 = fmax(ux1, c + 50e3), uy1 = fmax(uy1, d + 50e3);
        }
    }
    size_t outside = 0, first_out = 0;
    for (size_t i = 0; i < l->n; i++) {
        const GEOSGeometry *g = l->geoms[i];
        if (!g || GEOSisEmpty_r(fig->geos, g) != 0)
            continue;
        int t = GEOSGeomTypeId_r(fig->geos, g);
        if (t == GEOS_MULTIPOINT && GEOSGetNumGeometries_r(fig->geos, g) >= 1)
            g = GEOSGetGeometryN_r(fig->geos, g, 0);
        else if (t != GEOS_POINT) {
            char name[64];
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s: not a point",
                             src, feat_name(l, i, name, sizeof name));
        }
        struct point *pt = &fig->points[fig->npoints];
        if (!GEOSGeomGetX_r(fig->geos, g, &pt->x) ||
            !GEOSGeomGetY_r(fig->geos, g, &pt->y))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: %s", src,
                             i + 1, gpcov_dep_error(ctx));
        if (f >= 0) {
            const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
            char num[64] = "";
            const char *s = num;
            if (v && !v->null) {
                if (l->fields[f].type == GPCOV_STR)
                    s = v->str ? v->str : "";
                else
                    fmt_num(num, sizeof num, v->num,
                            v->num == floor(v->num) ? 0 : 1,
                            spec->decimal_comma);
            }
            if (*s && !(pt->label = gpcov_strdup(s)))
                return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        }
        if (ux1 >= ux0 && (pt->x < ux0 || pt->x > ux1 || pt->y < uy0 || pt->y > uy1) &&
            !outside++)
            first_out = i;
        fig->npoints++;
    }
    if (outside) {
        char name[64];
        gpcov_notice(ctx,
                     "%s: %zu of %zu points lie over 50 km beyond the map's units, off the "
                     "map, the first %s (longitude and latitude swapped? a wrong CRS?)",
                     src, outside, l->n, feat_name(l, first_out, name, sizeof name));
    }
    if (l->n && !fig->npoints)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: none of the %zu features has a point (a table "
                         "needs its coordinate columns: --point-xy lon,lat)",
                         src, l->n);
    return GPCOV_OK;
}

static int point_in_view(const struct view *v, double x, double y)
{
    return v->on && x >= v->sx0 && x <= v->sx1 && y >= v->sy0 && y <= v->sy1;
}

static int in_cph_rect(double x, double y)
{
    return x >= CPH[0] && x <= CPH[2] && y >= CPH[1] && y <= CPH[3];
}

/* Is the marker of point (x, y) drawn in view vi?  Points in the capital
** area are shown in the inset only, not as a cluster on the main map. */
static int marker_shown(const struct gpcov_figure *fig, int vi, double x,
                        double y)
{
    if (!point_in_view(&fig->views[vi], x, y))
        return 0;
    return !(vi == V_MAIN && fig->views[V_CPH].on && in_cph_rect(x, y));
}

struct obstacle {
    struct rect r;
    unsigned views; /* bit vi: the labels of view vi must keep clear */
    long point;     /* the point whose marker this is, or -1          */
};

/* Places the labels greedily: right, left, above, below the marker, the
** first spot inside the view that covers no other label, marker, the
** legend or a frame; a label with no such spot is left out. */
static void place_labels(cairo_t *cr, struct gpcov_figure *fig)
{
    const unsigned all = (1u << NVIEWS) - 1, main_only = 1u << V_MAIN;
    size_t nobs = 0, cap = 8 + 2 * fig->npoints * NVIEWS;
    struct obstacle *obs = malloc(cap * sizeof *obs);
    if (!obs)
        return; /* labels are an ornament: none rather than a failure */
    obs[nobs++] = (struct obstacle){fig->legend, all, -1};
    for (int vi = V_CPH; vi < NVIEWS; vi++)
        if (fig->views[vi].on) {
            struct rect r = view_rect(&fig->views[vi]);
            r.x0 -= 3;
            r.y0 -= vi == V_CPH ? SMALL_SIZE + 6 : 3; /* and its label */
            r.x1 += 3;
            r.y1 += 3;
            obs[nobs++] = (struct obstacle){r, all & ~(1u << vi), -1};
        }
    if (fig->views[V_CPH].on) {
        /* the inset's frame on the main map: what it frames is labelled in
        ** the inset */
        const struct view *m = &fig->views[V_MAIN];
        struct rect r = {vx(m, CPH[0]) - 1, vy(m, CPH[3]) - 1,
                         vx(m, CPH[2]) + 1, vy(m, CPH[1]) + 1};
        obs[nobs++] = (struct obstacle){r, main_only, -1};
    }
    for (size_t i = 0; i < fig->npoints; i++)
        for (int vi = 0; vi < NVIEWS; vi++) {
            const struct view *v = &fig->views[vi];
            if (!marker_shown(fig, vi, fig->points[i].x, fig->points[i].y))
                continue;
            double x = vx(v, fig->points[i].x), y = vy(v, fig->points[i].y);
            struct rect m = {x - MARKER_R, y - MARKER_R, x + MARKER_R,
                             y + MARKER_R};
            obs[nobs++] = (struct obstacle){m, 1u << vi, (long)i};
        }
    set_font(cr, 0, 0, LABEL_SIZE);
    for (int vi = 0; vi < NVIEWS; vi++) {
        const struct view *v = &fig->views[vi];
        struct rect vr = view_rect(v);
        if (vi == V_MAIN) {
            vr.x0 = 0;
            vr.x1 = fig->pw;
        }
        for (size_t i = 0; i < fig->npoints; i++) {
            struct point *pt = &fig->points[i];
            if (!pt->label || !marker_shown(fig, vi, pt->x, pt->y))
                continue;
            double x = vx(v, pt->x), y = vy(v, pt->y);
            double w = text_w(cr, pt->label), asc = LABEL_SIZE * 0.74,
                   dsc = LABEL_SIZE * 0.24, gap = MARKER_R + 1.5;
            double cand[4][2] = {{x + gap, y + asc / 2},
                                 {x - gap - w, y + asc / 2},
                                 {x - w / 2, y - gap - dsc},
                                 {x - w / 2, y + gap + asc}};
            /* in the Bornholm box, a spot over the sea first: the island
            ** is small and its colour is the point of the map */
            for (int pass = vi == V_EAST ? 0 : 1; pass < 2; pass++) {
                int done = 0;
                for (int c = 0; c < 4 && !done; c++) {
                    struct rect r = {cand[c][0] - 1, cand[c][1] - asc - 1,
                                     cand[c][0] + w + 1, cand[c][1] + dsc + 1};
                    if (!rect_inside(r, vr))
                        continue;
                    int clash = 0;
                    for (size_t o = 0; o < nobs && !clash; o++)
                        clash = (obs[o].views & (1u << vi)) &&
                                obs[o].point != (long)i &&
                                rects_overlap(r, obs[o].r);
                    if (clash || (pass == 0 && units_under(fig, vi, r) != 0))
                        continue;
                    pt->placed[vi] = 1;
                    pt->lx[vi] = cand[c][0];
                    pt->ly[vi] = cand[c][1];
                    if (nobs < cap)
                        obs[nobs++] = (struct obstacle){r, all, -1};
                    done = 1;
                }
                if (done)
                    break;
            }
        }
    }
    free(obs);
}

/* ----------------------------------------------------------------- layout */

/* Lays out the views and the legend for column width wc.  Returns 1 when
** the legend fits (in the column, or over empty map). */
static int try_layout(struct gpcov_figure *fig, double wc, double lw,
                      double lh, double ex0, double ey0, double ex1,
                      double ey1)
{
    struct view *m = &fig->views[V_MAIN];
    m->on = 1;
    m->sx0 = ex0;
    m->sy0 = ey0;
    m->sx1 = ex1;
    m->sy1 = ey1;
    m->px = 0;
    m->py = 0;
    m->s = (fig->pw - wc) / (ex1 - ex0);
    fig->hm = (ey1 - ey0) * m->s;
    fig->legend.x0 = fig->pw - lw;
    fig->legend.x1 = fig->pw;
    fig->legend.y0 = 0;
    fig->legend.y1 = lh;
    if (lw + 6 <= wc)
        return 1;
    double map_right = fig->pw - wc;
    struct rect over = {fig->legend.x0 - 6, -2, map_right, lh + 6};
    return units_under(fig, V_MAIN, over) == 0;
}

static gpcov_status layout(gpcov_ctx *ctx, struct gpcov_figure *fig,
                           cairo_t *cr)
{
    const struct gpcov_map_spec *spec = fig->spec;
    size_t n = fig->np;
    fig->W = n == 1 ? PAGE_W_ONE : PAGE_W_PANEL * (double)n;
    fig->pw = (fig->W - 2 * MARGIN - (double)(n - 1) * PANEL_GAP) / (double)n;

    /* extents: the mainland, and the units moved to the Bornholm box */
    double mx0 = INFINITY, my0 = INFINITY, mx1 = -INFINITY, my1 = -INFINITY;
    double bx0 = INFINITY, by0 = INFINITY, bx1 = -INFINITY, by1 = -INFINITY;
    int neast = 0, nmain = 0;
    for (size_t i = 0; i < fig->nunits; i++) {
        struct unit *u = &fig->units[i];
        if (!u->g)
            continue;
        if (u->ge) {
            neast++;
            bx0 = fmin(bx0, u->ex0);
            by0 = fmin(by0, u->ey0);
            bx1 = fmax(bx1, u->ex1);
            by1 = fmax(by1, u->ey1);
        }
        if (u->east) {
            neast++;
            bx0 = fmin(bx0, u->x0);
            by0 = fmin(by0, u->y0);
            bx1 = fmax(bx1, u->x1);
            by1 = fmax(by1, u->y1);
        } else {
            nmain++;
            mx0 = fmin(mx0, u->x0);
            my0 = fmin(my0, u->y0);
            mx1 = fmax(mx1, u->x1);
            my1 = fmax(my1, u->y1);
        }
    }
    if (!nmain)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no polygons to draw",
                         units_src(spec));
    double ew = mx1 - mx0, eh = my1 - my0;
    if (ew <= 0 && eh <= 0)
        ew = eh = 1000;
    if (ew < eh * 0.25)
        ew = eh * 0.25;
    if (eh < ew * 0.25)
        eh = ew * 0.25;
    double cx = (mx0 + mx1) / 2, cy = (my0 + my1) / 2, pad = 0.02 * fmax(ew, eh);
    double ex0 = cx - ew / 2 - pad, ex1 = cx + ew / 2 + pad;
    double ey0 = cy - eh / 2 - pad, ey1 = cy + eh / 2 + pad;

    /* the capital inset, when it magnifies and there is something in it */
    int cph = 0;
    if (spec->inset_copenhagen && ex1 - ex0 >= 3 * (CPH[2] - CPH[0]))
        for (size_t i = 0; i < fig->nunits && !cph; i++) {
            const struct unit *u = &fig->units[i];
            cph = u->g && !u->east && u->x0 < CPH[2] && u->x1 > CPH[0] &&
                  u->y0 < CPH[3] && u->y1 > CPH[1];
        }

    /* the legend: as wide and tall as the largest panel's */
    double lw = 0, lh = 0, note_h = 0;
    for (size_t i = 0; i < n; i++) {
        double w, h;
        legend_size(cr, fig, &fig->panels[i], &w, &h);
        lw = fmax(lw, w);
        lh = fmax(lh, h);
    }
    if (legend_notes(cr, fig, &lw, &note_h) != 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    lh += note_h;

    /* the column: a third of the panel with insets; wider when the legend
    ** would cover a municipality */
    double base = (cph || neast) ? 0.32 * fig->pw : 0;
    double wc = base, cap = 0.6 * fig->pw;
    while (!try_layout(fig, wc, lw, lh, ex0, ey0, ex1, ey1) && wc < cap)
        wc = fmin(wc + 4, cap);
    double s = fig->views[V_MAIN].s;
    double hm = fig->hm;

    /* the Bornholm box, at the main scale, bottom right */
    struct view *bv = &fig->views[V_EAST];
    double box_top = hm;
    if (neast) {
        /* 5 points of sea around, and room beside the island for the
        ** widest label of a point on it */
        double bpad = 5 / s, lpad = 0;
        set_font(cr, 0, 0, LABEL_SIZE);
        for (size_t i = 0; i < fig->npoints; i++) {
            const struct point *pt = &fig->points[i];
            if (pt->label && pt->x >= bx0 && pt->x <= bx1 && pt->y >= by0 &&
                pt->y <= by1)
                lpad = fmax(lpad, text_w(cr, pt->label) + MARKER_R + 4);
        }
        double xpad = fmax(bpad, lpad / s);
        bv->on = 1;
        bv->s = s;
        bv->sx0 = bx0 - xpad;
        bv->sx1 = bx1 + xpad;
        bv->sy0 = by0 - bpad;
        bv->sy1 = by1 + bpad;
        double bw = (bv->sx1 - bv->sx0) * s, bh = (bv->sy1 - bv->sy0) * s;
        bv->px = fig->pw - bw;
        bv->py = hm - bh;
        box_top = bv->py;
    }

    /* the capital inset: between the legend and the box, as wide as the
    ** column, level with its frame on the main map where there is room */
    struct view *cv = &fig->views[V_CPH];
    if (cph) {
        double label_h = SMALL_SIZE + 4;
        double top = fig->legend.y1 + 8 + label_h;
        double bottom = box_top - 8;
        double iw = wc - 10, aspect = (CPH[3] - CPH[1]) / (CPH[2] - CPH[0]);
        double ih = iw * aspect;
        if (ih > bottom - top) {
            ih = bottom - top;
            iw = ih / aspect;
        }
        if (ih >= 50) {
            cv->on = 1;
            cv->sx0 = CPH[0];
            cv->sy0 = CPH[1];
            cv->sx1 = CPH[2];
            cv->sy1 = CPH[3];
            cv->s = iw / (CPH[2] - CPH[0]);
            cv->px = fig->pw - iw;
            double want = vy(&fig->views[V_MAIN], (CPH[1] + CPH[3]) / 2) - ih / 2;
            cv->py = fmin(fmax(want, top), bottom - ih);
            fig->inset_label_y = cv->py - 4;
        }
    }

    /* a scale bar in the bottom left corner of the first panel, if free */
    double want_pt = 0.2 * (fig->pw - wc);
    static const int nice[] = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000};
    int km = 0;
    for (size_t i = 0; i < sizeof nice / sizeof *nice; i++)
        if (nice[i] * 1000.0 * s <= want_pt)
            km = nice[i];
    if (km) {
        fig->scale_x = 4;
        fig->scale_y = hm - 6;
        struct rect r = {0, hm - 22, 12 + km * 1000.0 * s + 20, hm};
        if (units_under(fig, V_MAIN, r) == 0)
            fig->scale_km = km;
    }

    /* the page, top to bottom */
    double y = MARGIN;
    set_font(cr, 1, 0, TITLE_SIZE);
    if (spec->title && *spec->title &&
        wrap(cr, spec->title, fig->W - 2 * MARGIN, fig->W - 2 * MARGIN,
             &fig->title) != 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    y += (double)fig->title.n * (TITLE_SIZE + 3);
    if (fig->title.n)
        y += 8;
    size_t ptl = 0;
    for (size_t i = 0; i < n; i++) {
        struct panel *P = &fig->panels[i];
        const char *t = P->p->title ? P->p->title : P->p->field;
        set_font(cr, 1, 0, PTITLE_SIZE);
        double lwid = n > 1 ? text_w(cr, P->letter) + text_w(cr, " ") : 0;
        set_font(cr, 0, 0, PTITLE_SIZE);
        if (wrap(cr, t, fig->pw - lwid, fig->pw, &P->title) != 0)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        if (P->title.n > ptl)
            ptl = P->title.n;
    }
    fig->ptitle_y = y + PTITLE_SIZE * 0.8;
    y += (double)ptl * (PTITLE_SIZE + 3) + 6;
    fig->map_top = y;
    double content = fmax(hm, fig->legend.y1);
    y += content + 10;
    set_font(cr, 0, 0, SMALL_SIZE);
    for (size_t i = 0; spec->attribution && spec->attribution[i]; i++)
        if (wrap(cr, spec->attribution[i], fig->W - 2 * MARGIN,
                 fig->W - 2 * MARGIN, &fig->attr) != 0)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    y += (double)fig->attr.n * (SMALL_SIZE + 2.5);
    fig->H = ceil(y + MARGIN * 0.75);
    return GPCOV_OK;
}

/* ---------------------------------------------------------------- prepare */

void gpcov_map_spec_init(struct gpcov_map_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->dpi = 200;
    spec->inset_copenhagen = 1;
    spec->inset_bornholm = 1;
}

void gpcov_map_panel_init(struct gpcov_map_panel *panel)
{
    memset(panel, 0, sizeof *panel);
    panel->method = GPCOV_BREAKS_QUANTILE;
    panel->classes = 5;
    panel->decimals = GPCOV_MAP_AUTO;
    panel->palette = GPCOV_PALETTE_BLUE;
}

void gpcov_figure_font_options(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

void gpcov_figure_free(struct gpcov_figure *fig)
{
    if (!fig)
        return;
    for (size_t i = 0; i < GPCOV_MAP_MAX_PANELS; i++) {
        struct panel *P = &fig->panels[i];
        free(P->cls);
        free(P->header);
        for (size_t k = 0; k < P->nreason; k++)
            free(P->reason[k]);
        for (size_t r = 0; r < P->nrows; r++)
            free(P->rows[r].label);
        lines_free(&P->note);
        lines_free(&P->title);
    }
    for (size_t i = 0; i < fig->npoints; i++)
        free(fig->points[i].label);
    free(fig->points);
    for (size_t i = 0; fig->units && i < fig->nunits; i++) {
        if (fig->units[i].own)
            GEOSGeom_destroy_r(fig->geos, fig->units[i].own);
        if (fig->units[i].ge)
            GEOSGeom_destroy_r(fig->geos, fig->units[i].ge);
    }
    free(fig->units);
    lines_free(&fig->title);
    lines_free(&fig->attr);
    free(fig);
}

gpcov_status gpcov_figure_prepare(gpcov_ctx *ctx,
                                  const struct gpcov_map_spec *spec,
                                  struct gpcov_figure **out)
{
    *out = NULL;
    if (!spec || !spec->units)
        return gpcov_err(ctx, GPCOV_EUSAGE, "map: no units layer to draw");
    if (spec->npanels < 1 || spec->npanels > GPCOV_MAP_MAX_PANELS ||
        !spec->panels)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "map: %zu panels; a figure takes 1 to %d",
                         spec->npanels, GPCOV_MAP_MAX_PANELS);
    double dpi = spec->dpi ? spec->dpi : 200;
    if (!(dpi >= 36 && dpi <= 1200))
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "map: resolution %g dpi; use 36 to 1200", dpi);

    struct gpcov_figure *fig = calloc(1, sizeof *fig);
    if (!fig)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    fig->spec = spec;
    fig->geos = gpcov_ctx_geos(ctx);
    fig->dpi = dpi;
    fig->np = spec->npanels;
    fig->nodata_label = spec->nodata_label ? spec->nodata_label : "no data";
    fig->inset_label = spec->inset_label ? spec->inset_label
                                         : "Hovedstadsområdet";
    gpcov_status st = GPCOV_OK;
    cairo_surface_t *scratch = NULL;
    cairo_t *cr = NULL;

    const struct gpcov_layer *l = spec->units;
    fig->nunits = l->n;
    fig->units = calloc(l->n ? l->n : 1, sizeof *fig->units);
    if (!fig->units) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto fail;
    }
    int all_east = 1;
    for (size_t i = 0; i < l->n; i++) {
        struct unit *u = &fig->units[i];
        if (envelope(fig->geos, l->geoms ? l->geoms[i] : NULL, &u->x0, &u->y0,
                     &u->x1, &u->y1) != 0)
            continue;
        u->g = l->geoms[i];
        u->east = spec->inset_bornholm && u->x0 >= EAST_X;
        if (spec->inset_bornholm && u->x0 < EAST_X && u->x1 > EAST_X) {
            /* reaches across: cut at EAST_X, the eastern part to the box */
            u->own = GEOSClipByRect_r(fig->geos, u->g, u->x0 - 1, u->y0 - 1, EAST_X, u->y1 + 1);
            u->ge = GEOSClipByRect_r(fig->geos, u->g, EAST_X, u->y0 - 1, u->x1 + 1, u->y1 + 1);
            if (!u->own || !u->ge) {
                st = gpcov_err(ctx, GPCOV_EINTERNAL, "cannot cut a unit at the Bornholm box");
                goto fail;
            }
            if (GEOSisEmpty_r(fig->geos, u->ge) == 1) {
                GEOSGeom_destroy_r(fig->geos, u->ge);
                u->ge = NULL;
            } else {
                envelope(fig->geos, u->ge, &u->ex0, &u->ey0, &u->ex1, &u->ey1);
            }
            u->g = u->own;
            envelope(fig->geos, u->g, &u->x0, &u->y0, &u->x1, &u->y1);
        }
        all_east &= u->east;
    }
    if (all_east) /* nothing west of Bornholm: no box, a plain map */
        for (size_t i = 0; i < l->n; i++)
            fig->units[i].east = 0;

    for (size_t i = 0; i < fig->np; i++) {
        fig->panels[i].p = &spec->panels[i];
        snprintf(fig->panels[i].letter, sizeof fig->panels[i].letter, "(%c)",
                 (char)('a' + i));
        if ((st = classify_panel(ctx, fig, i)) != GPCOV_OK)
            goto fail;
    }
    if ((st = read_points(ctx, fig)) != GPCOV_OK)
        goto fail;

    scratch = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cr = cairo_create(scratch);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        st = gpcov_err(ctx, GPCOV_EINTERNAL, "cairo: %s",
                       cairo_status_to_string(cairo_status(cr)));
        goto fail;
    }
    gpcov_figure_font_options(cr);
    if ((st = layout(ctx, fig, cr)) != GPCOV_OK)
        goto fail;
    place_labels(cr, fig);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        st = gpcov_err(ctx, GPCOV_EINTERNAL, "cairo: %s",
                       cairo_status_to_string(cairo_status(cr)));
        goto fail;
    }
    cairo_destroy(cr);
    cairo_surface_destroy(scratch);
    *out = fig;
    return GPCOV_OK;
fail:
    if (cr)
        cairo_destroy(cr);
    if (scratch)
        cairo_surface_destroy(scratch);
    gpcov_figure_free(fig);
    return st;
}

void gpcov_figure_size(const struct gpcov_figure *fig, double *w, double *h)
{
    *w = fig->W;
    *h = fig->H;
}

double gpcov_figure_dpi(const struct gpcov_figure *fig)
{
    return fig->dpi;
}

static double panel_x(const struct gpcov_figure *fig, size_t p)
{
    return MARGIN + (double)p * (fig->pw + PANEL_GAP);
}

int gpcov_figure_locate(const struct gpcov_figure *fig, size_t p, double x,
                        double y, double *px, double *py)
{
    if (p >= fig->np)
        return -1;
    for (int vi = 0; vi < NVIEWS; vi++) {
        const struct view *v = &fig->views[vi];
        if (!point_in_view(v, x, y))
            continue;
        *px = panel_x(fig, p) + vx(v, x);
        *py = fig->map_top + vy(v, y);
        return 0;
    }
    return -1;
}

/* ------------------------------------------------------------------ draw */

static void set_rgb(cairo_t *cr, const double *rgb)
{
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

static void set_grey(cairo_t *cr, double g)
{
    cairo_set_source_rgb(cr, g, g, g);
}

/* Diagonal hatching over the rectangle, clipped by the current clip. */
static void hatch(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    double rgb[3];
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA_HATCH, rgb);
    set_rgb(cr, rgb);
    cairo_set_line_width(cr, 0.4);
    double h = y1 - y0, step = 2.6;
    /* lines x - y = const, on a grid fixed to the page so that neighbours
    ** join up */
    double start = floor((x0 - h) / step) * step;
    for (double t = start; t <= x1; t += step) {
        cairo_move_to(cr, t, y1);
        cairo_line_to(cr, t + h, y0);
    }
    cairo_stroke(cr);
}

static void marker(cairo_t *cr, double x, double y)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, MARKER_R, 0, TAU);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    set_grey(cr, 0.1);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, 0.7, 0, TAU);
    cairo_fill(cr);
}

/* The grey and width (points) of the municipality borders: thin and light
** under region borders, darker without them (then they draw the coast). */
static void unit_border(const struct gpcov_map_spec *spec, double *grey,
                        double *width)
{
    *grey = spec->outline ? 0.86 : 0.35;
    *width = spec->outline ? 0.35 : 0.3;
}

static void draw_view(const struct gpcov_figure *fig, const struct panel *P,
                      const struct view *v, cairo_t *cr, int frame)
{
    const struct gpcov_map_spec *spec = fig->spec;
    GEOSContextHandle_t h = fig->geos;
    struct rect r = view_rect(v);
    cairo_save(cr);
    if (frame) {
        cairo_rectangle(cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    cairo_clip(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);

    /* fills; polygons made of runs of cells (bands) are filled without
    ** antialiasing, which would let the paper show through every shared
    ** edge as a hairline */
    if (spec->no_unit_borders)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    int east_view = v == &fig->views[V_EAST];
    for (size_t i = 0; i < fig->nunits; i++) {
        const struct unit *u = &fig->units[i];
        double e[4];
        const GEOSGeometry *ug = unit_part(u, east_view, e);
        if (!ug || !env_in_view(e, v) || P->cls[i] == -2)
            continue;
        cairo_new_path(cr);
        path_geom(cr, h, ug, v);
        if (P->cls[i] >= 0) {
            set_rgb(cr, P->rgb[P->cls[i]]);
            cairo_fill(cr);
        } else {
            double rgb[3];
            gpcov_palette_fixed(GPCOV_COLOUR_NODATA, rgb);
            set_rgb(cr, rgb);
            cairo_save(cr);
            cairo_fill_preserve(cr);
            cairo_clip(cr);
            hatch(cr, vx(v, e[0]), vy(v, e[3]), vx(v, e[2]), vy(v, e[1]));
            cairo_restore(cr);
        }
    }
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    /* municipality borders: thin and light under the region borders (so
    ** that two pale neighbours still part), darker when there are no
    ** region borders, for then they also draw the coast */
    cairo_new_path(cr);
    for (size_t i = 0; i < fig->nunits; i++) {
        double e[4];
        const GEOSGeometry *ug = unit_part(&fig->units[i], east_view, e);
        if (ug && env_in_view(e, v) && P->cls[i] != -2)
            path_geom(cr, h, ug, v);
    }
    double bgrey, bwidth;
    unit_border(spec, &bgrey, &bwidth);
    set_grey(cr, bgrey);
    cairo_set_line_width(cr, bwidth);
    if (spec->no_unit_borders)
        cairo_new_path(cr);
    else
        cairo_stroke(cr);
    /* regions */
    if (spec->outline) {
        const struct gpcov_layer *o = spec->outline;
        cairo_new_path(cr);
        for (size_t i = 0; i < o->n; i++) {
            double x0, y0, x1, y1;
            if (!o->geoms || envelope(h, o->geoms[i], &x0, &y0, &x1, &y1) != 0)
                continue;
            if (x0 > v->sx1 || x1 < v->sx0 || y0 > v->sy1 || y1 < v->sy0)
                continue;
            path_geom(cr, h, o->geoms[i], v);
        }
        set_grey(cr, 0.15);
        cairo_set_line_width(cr, 0.7);
        cairo_stroke(cr);
    }
    /* markers */
    for (size_t i = 0; i < fig->npoints; i++)
        if (marker_shown(fig, (int)(v - fig->views), fig->points[i].x,
                         fig->points[i].y))
            marker(cr, vx(v, fig->points[i].x), vy(v, fig->points[i].y));
    cairo_restore(cr);
    if (frame) {
        cairo_rectangle(cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
        set_grey(cr, 0.2);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
}

static void swatch(cairo_t *cr, double x, double y, const struct row *r)
{
    cairo_new_path(cr);
    if (r->kind != ROW_POINTS)
        cairo_rectangle(cr, x, y, SWATCH_W, SWATCH_H);
    if (r->kind == ROW_CLASS) {
        set_rgb(cr, r->rgb);
        cairo_fill(cr);
    } else if (r->kind == ROW_NODATA) {
        double rgb[3];
        gpcov_palette_fixed(GPCOV_COLOUR_NODATA, rgb);
        set_rgb(cr, rgb);
        cairo_save(cr);
        cairo_fill_preserve(cr);
        cairo_clip(cr);
        hatch(cr, x, y, x + SWATCH_W, y + SWATCH_H);
        cairo_restore(cr);
        cairo_new_path(cr);
    }
    if (r->kind != ROW_POINTS) {
        cairo_rectangle(cr, x, y, SWATCH_W, SWATCH_H);
        set_grey(cr, 0.45);
        cairo_set_line_width(cr, 0.35);
        cairo_stroke(cr);
    } else {
        marker(cr, x + SWATCH_W / 2, y + SWATCH_H / 2);
    }
}

static void draw_legend(const struct gpcov_figure *fig, const struct panel *P,
                        cairo_t *cr)
{
    double x = fig->legend.x0, y = fig->legend.y0;
    set_grey(cr, 0.1);
    if (P->header) {
        set_font(cr, 1, 0, LEGEND_SIZE);
        text_at(cr, x, y + LEGEND_SIZE * 0.9, P->header);
        y += ROW_H + 1;
    }
    size_t nrows = P->nrows + (fig->spec->point_legend && fig->npoints ? 1 : 0);
    for (size_t i = 0; i < nrows; i++) {
        struct row pts = {.kind = ROW_POINTS};
        const struct row *r = i < P->nrows ? &P->rows[i] : &pts;
        const char *lab = i < P->nrows ? r->label : fig->spec->point_legend;
        swatch(cr, x, y, r);
        double base = y + SWATCH_H / 2 + LEGEND_SIZE * 0.36;
        set_grey(cr, 0.1);
        set_font(cr, 0, 0, LEGEND_SIZE);
        text_at(cr, x + SWATCH_W + 5, base, lab);
        if (r->count[0]) {
            double tx = x + SWATCH_W + 5 + text_w(cr, lab) + 4;
            set_font(cr, 0, 0, LEGEND_SIZE * 0.9);
            set_grey(cr, 0.45);
            text_at(cr, tx, base, r->count);
        }
        y += ROW_H;
    }
    if (P->note.n) {
        y += 4;
        set_font(cr, 0, 1, NOTE_SIZE);
        set_grey(cr, 0.3);
        for (size_t i = 0; i < P->note.n; i++) {
            y += NOTE_SIZE + 2;
            text_at(cr, x, y - 2, P->note.v[i]);
        }
    }
}

static void draw_scale(const struct gpcov_figure *fig, cairo_t *cr)
{
    double s = fig->views[V_MAIN].s, len = fig->scale_km * 1000.0 * s;
    double x = fig->scale_x, y = fig->scale_y, hgt = 2.6;
    for (int i = 0; i < 2; i++) {
        cairo_rectangle(cr, x + i * len / 2, y - hgt, len / 2, hgt);
        if (i == 0)
            set_grey(cr, 0.15);
        else
            cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        set_grey(cr, 0.15);
        cairo_set_line_width(cr, 0.4);
        cairo_stroke(cr);
    }
    set_font(cr, 0, 0, SMALL_SIZE);
    set_grey(cr, 0.15);
    char a[32], b[32];
    snprintf(a, sizeof a, "%d", fig->scale_km / 2);
    if (fig->scale_km % 2)
        snprintf(a, sizeof a, "%g", fig->scale_km / 2.0);
    snprintf(b, sizeof b, "%d km", fig->scale_km);
    double ty = y - hgt - 2.5;
    text_at(cr, x - text_w(cr, "0") / 2, ty, "0");
    text_at(cr, x + len / 2 - text_w(cr, a) / 2, ty, a);
    text_at(cr, x + len - text_w(cr, "0") / 2, ty, b);
}

static void draw_panel(const struct gpcov_figure *fig, size_t pi, cairo_t *cr)
{
    const struct panel *P = &fig->panels[pi];
    double px = panel_x(fig, pi);

    /* title: "(a) " in bold, then the title, wrapped */
    set_grey(cr, 0.05);
    double y = fig->ptitle_y;
    for (size_t i = 0; i < P->title.n; i++) {
        double x = px;
        if (i == 0 && fig->np > 1) {
            set_font(cr, 1, 0, PTITLE_SIZE);
            text_at(cr, x, y, P->letter);
            x += text_w(cr, P->letter) + text_w(cr, " ");
        }
        set_font(cr, 0, 0, PTITLE_SIZE);
        text_at(cr, x, y, P->title.v[i]);
        y += PTITLE_SIZE + 3;
    }

    cairo_save(cr);
    cairo_translate(cr, px, fig->map_top);
    draw_view(fig, P, &fig->views[V_MAIN], cr, 0);
    const struct view *cv = &fig->views[V_CPH];
    if (cv->on) {
        /* the inset's frame on the main map, and leader lines */
        const struct view *m = &fig->views[V_MAIN];
        double fx0 = vx(m, CPH[0]), fx1 = vx(m, CPH[2]);
        double fy0 = vy(m, CPH[3]), fy1 = vy(m, CPH[1]);
        struct rect ir = view_rect(cv);
        set_grey(cr, 0.5);
        cairo_set_line_width(cr, 0.4);
        cairo_move_to(cr, fx1, fy0);
        cairo_line_to(cr, ir.x0, ir.y0);
        cairo_move_to(cr, fx1, fy1);
        cairo_line_to(cr, ir.x0, ir.y1);
        cairo_stroke(cr);
        cairo_rectangle(cr, fx0, fy0, fx1 - fx0, fy1 - fy0);
        set_grey(cr, 0.1);
        cairo_set_line_width(cr, 0.7);
        cairo_stroke(cr);
        draw_view(fig, P, cv, cr, 1);
        set_font(cr, 0, 0, SMALL_SIZE);
        set_grey(cr, 0.15);
        text_at(cr, ir.x0, fig->inset_label_y, fig->inset_label);
    }
    if (fig->views[V_EAST].on)
        draw_view(fig, P, &fig->views[V_EAST], cr, 1);
    draw_legend(fig, P, cr);

    /* point labels over everything */
    set_font(cr, 0, 0, LABEL_SIZE);
    set_grey(cr, 0.05);
    for (size_t i = 0; i < fig->npoints; i++)
        for (int vi = 0; vi < NVIEWS; vi++)
            if (fig->points[i].placed[vi])
                text_halo(cr, fig->points[i].lx[vi], fig->points[i].ly[vi],
                          fig->points[i].label);
    if (pi == 0 && fig->scale_km)
        draw_scale(fig, cr);
    cairo_restore(cr);
}

gpcov_status gpcov_figure_draw(gpcov_ctx *ctx, const struct gpcov_figure *fig,
                               cairo_t *cr)
{
    gpcov_figure_font_options(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    set_grey(cr, 0.05);
    set_font(cr, 1, 0, TITLE_SIZE);
    double y = MARGIN + TITLE_SIZE * 0.8;
    for (size_t i = 0; i < fig->title.n; i++) {
        text_at(cr, MARGIN, y, fig->title.v[i]);
        y += TITLE_SIZE + 3;
    }
    for (size_t p = 0; p < fig->np; p++)
        draw_panel(fig, p, cr);

    set_font(cr, 0, 0, SMALL_SIZE);
    set_grey(cr, 0.3);
    y = fig->H - MARGIN * 0.75 - (double)fig->attr.n * (SMALL_SIZE + 2.5) +
        SMALL_SIZE;
    for (size_t i = 0; i < fig->attr.n; i++) {
        text_at(cr, MARGIN, y, fig->attr.v[i]);
        y += SMALL_SIZE + 2.5;
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cairo: %s",
                         cairo_status_to_string(cairo_status(cr)));
    return GPCOV_OK;
}

/* ----------------------------------------------------- the legend, shared */

size_t gpcov_figure_legend_rows(const struct gpcov_figure *fig, size_t p,
                           struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS],
                           const char **header)
{
    const struct panel *P = &fig->panels[p];
    size_t n = 0;
    for (size_t r = 0; r < P->nrows; r++) {
        const struct row *w = &P->rows[r];
        if (w->kind == ROW_POINTS)
            continue;
        struct gpcov_legend_row *o = &rows[n++];
        o->label = w->label;
        o->count = w->count;
        if (w->kind == ROW_NODATA) {
            o->cls = -1;
            gpcov_palette_fixed(GPCOV_COLOUR_NODATA, o->rgb);
        } else {
            o->cls = w->cls;
            memcpy(o->rgb, w->rgb, sizeof o->rgb);
        }
    }
    if (header)
        *header = P->header;
    return n;
}

const int *gpcov_figure_classes(const struct gpcov_figure *fig, size_t p)
{
    return fig->panels[p].cls;
}

/* ------------------------------------------------------------------ legend */

static const char *breaks_name(const struct gpcov_map_panel *p)
{
    if (p->categorical)
        return "categorical";
    switch (p->method) {
    case GPCOV_BREAKS_QUANTILE: return "quantile";
    case GPCOV_BREAKS_EQUAL: return "equal interval";
    case GPCOV_BREAKS_JENKS: return "jenks";
    case GPCOV_BREAKS_FIXED: return "fixed";
    }
    return "unknown";
}

gpcov_status gpcov_figure_legend(gpcov_ctx *ctx, const struct gpcov_figure *fig,
                                 size_t pi, struct gpcov_map_legend *out)
{
    memset(out, 0, sizeof *out);
    if (pi >= fig->np)
        return gpcov_err(ctx, GPCOV_EUSAGE, "map: no panel %zu", pi + 1);
    const struct gpcov_map_spec *spec = fig->spec;
    const struct panel *P = &fig->panels[pi];
    const struct gpcov_map_panel *p = P->p;
    out->field = gpcov_strdup(p->field);
    out->title = gpcov_strdup(p->title ? p->title : p->field);
    out->method = gpcov_strdup(breaks_name(p));
    out->nodata_label = gpcov_strdup(fig->nodata_label);
    if (!out->field || !out->title || !out->method || !out->nodata_label)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    out->categorical = p->categorical;
    /* rows are in legend order; a categorical legend shows true first */
    size_t nclass = 0;
    for (size_t r = 0; r < P->nrows; r++) {
        const struct row *row = &P->rows[r];
        if (row->kind != ROW_CLASS)
            continue;
        struct gpcov_legend_class *c = &out->cls[nclass];
        int k = row->cls;
        if (p->categorical) {
            c->lo = c->hi = c->value = k;
        } else {
            c->lo = P->breaks[k];
            c->hi = P->breaks[k + 1];
            c->value = c->hi;
        }
        memcpy(c->rgb, row->rgb, sizeof c->rgb);
        if (!(c->label = gpcov_strdup(row->label)))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        nclass++;
    }
    out->nclasses = nclass;
    /* counts, no-data, and whether each class holds its upper edge only */
    int f = gpcov_layer_field(spec->units, p->field);
    int single = !p->categorical && f >= 0;
    for (size_t i = 0; i < fig->nunits; i++) {
        int c = P->cls[i];
        if (c == -1)
            out->nodata++;
        if (c < 0)
            continue;
        size_t row = 0;
        while (row < nclass && P->rows[row].cls != c)
            row++;
        if (row < nclass)
            out->cls[row].count++;
        if (single) {
            double v;
            if (unit_value(ctx, spec, p, i, f, &v) != 1 ||
                !isfinite(P->breaks[c + 1]) || v != P->breaks[c + 1])
                single = 0;
        }
    }
    for (size_t c = 0; single && c < nclass; c++)
        single = isfinite(out->cls[c].hi);
    out->single_valued = single;
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA, out->nodata_rgb);
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA_HATCH, out->hatch_rgb);
    /* as draw_view strokes the unit borders */
    double g;
    unit_border(spec, &g, &out->border_pt);
    out->border_rgb[0] = out->border_rgb[1] = out->border_rgb[2] = g;
    return GPCOV_OK;
}
