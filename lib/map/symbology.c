/*
** symbology.c: a map's classes, labels and colours, computed without the
** page.  Each panel's values are read from the units layer (numbers, or
** true/false/undecided for a categorical panel), broken into classes
** (classify.c) and coloured from a sequential ramp (palette.c); the legend
** rows follow: one per class with its range in the unit, "undecided" when
** a unit is, and the units without a value, one row per reason the reason
** field gives and one for the rest, each with its count.  The figure
** (layout.c, render.c), the web map (webmap.c) and the QGIS styles
** (legend.c, qgisstyle.c) all class through here.
*/
#include "symbology.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- numbers */

/* v with dec decimals, grouped thousands, a true minus sign; Danish style
** (1.617,5) when comma is set, else 1,617.5. */
void gpcov_sym_fmt_num(char *out, size_t sz, double v, int dec, int comma)
{
    char raw[64], buf[96];
    snprintf(raw + 1, sizeof raw - 1, "%.*f", dec, fabs(v));
    int neg = v < 0 && strspn(raw + 1, "0.") != strlen(raw + 1);
    raw[0] = '-';
    if (gpcov_group_digits(raw + !neg, comma ? '.' : ',', comma ? ',' : '.',
                           "\xe2\x88\x92" /* U+2212 MINUS SIGN */, buf, sizeof buf))
        snprintf(buf, sizeof buf, "%s", raw + !neg);
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
    /* more decimals while two neighbouring edges would read the same (or
    ** an edge equal to its neighbour would not read as its value) */
    for (; d < 6; d++) {
        int same = 0;
        for (int c = 0; c < k && !same; c++) {
            if (!isfinite(b[c]) || !isfinite(b[c + 1]))
                continue;
            if (b[c] == b[c + 1]) { /* one value: shown as it is, up to the cap */
                double p10 = pow(10, d);
                same = fabs(round(b[c] * p10) / p10 - b[c]) > 1e-9 * fmax(1, fabs(b[c]));
                continue;
            }
            char x[64], y[64];
            gpcov_sym_fmt_num(x, sizeof x, b[c], d, comma);
            gpcov_sym_fmt_num(y, sizeof y, b[c + 1], d, comma);
            same = strcmp(x, y) == 0;
        }
        if (!same)
            break;
    }
    return d;
}

/* --------------------------------------------------------------- values */

const char *gpcov_sym_units_src(const struct gpcov_map_spec *spec)
{
    if (spec->units_src)
        return spec->units_src;
    return spec->units->name ? spec->units->name : "units";
}

const char *gpcov_sym_feat_name(const struct gpcov_layer *l, size_t i, char *buf,
                             size_t sz)
{
    if (l->keys && l->keys[i])
        snprintf(buf, sz, "%s", l->keys[i]);
    else
        snprintf(buf, sz, "feature %zu", i + 1);
    return buf;
}

/* "field 'x' not in FILE (fields: a, b, ...)" */
gpcov_status gpcov_sym_no_field(gpcov_ctx *ctx, const struct gpcov_layer *l,
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
                  "%s: %s: field '%s' holds '%s', not %s", gpcov_sym_units_src(spec),
                  gpcov_sym_feat_name(l, i, name, sizeof name), p->field, s,
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
                  gpcov_sym_units_src(spec), gpcov_sym_feat_name(l, i, name, sizeof name),
                  p->field, *v);
        return -1;
    }
    if (!isfinite(*v)) {
        gpcov_err(ctx, GPCOV_EINPUT, "%s: %s: field '%s' is not finite",
                  gpcov_sym_units_src(spec), gpcov_sym_feat_name(l, i, name, sizeof name),
                  p->field);
        return -1;
    }
    return 1;
}

/* --------------------------------------------------------------- classes */

/* The reason unit i has no value in panel P (its reason field), or NULL. */
static const char *reason_of(const struct gpcov_symbology *sym, const struct sym_panel *P, size_t i)
{
    const struct gpcov_layer *l = sym->spec->units;
    int f = P->p->reason_field ? gpcov_layer_field(l, P->p->reason_field) : -1;
    const struct gpcov_value *v = f >= 0 ? gpcov_layer_value(l, i, (size_t)f) : NULL;
    if (!v || v->null || l->fields[f].type != GPCOV_STR || !v->str || !*v->str)
        return NULL;
    return v->str;
}

/* The no-data row of unit i: the row of its reason, else the generic one
** (the last no-data row). */
static int nodata_row(const struct gpcov_symbology *sym, const struct sym_panel *P, size_t i)
{
    const char *why = reason_of(sym, P, i);
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
static gpcov_status nodata_rows(gpcov_ctx *ctx, struct gpcov_symbology *sym, struct sym_panel *P)
{
    const struct gpcov_map_panel *p = P->p;
    if (p->reason_field && gpcov_layer_field(sym->spec->units, p->reason_field) < 0)
        return gpcov_sym_no_field(ctx, sym->spec->units,
                                  gpcov_sym_units_src(sym->spec), "reason",
                                  p->reason_field);
    int generic = 0;
    for (size_t i = 0; i < sym->nunits; i++) {
        if (P->cls[i] != -1)
            continue;
        const char *why = reason_of(sym, P, i);
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
        struct sym_row *r = &P->rows[P->nrows++];
        r->kind = ROW_NODATA;
        r->cls = -1;
        r->label = gpcov_strdup(k < P->nreason ? P->reason[k] : sym->nodata_label);
    }
    return GPCOV_OK;
}

/* The count beside each legend row: units, or the sum of the count field
** (people, say), or none. */
static gpcov_status row_counts(gpcov_ctx *ctx, struct gpcov_symbology *sym, struct sym_panel *P)
{
    const struct gpcov_map_panel *p = P->p;
    const struct gpcov_layer *l = sym->spec->units;
    if (p->count_field && !strcmp(p->count_field, "none"))
        return GPCOV_OK;
    int cf = -1;
    if (p->count_field && (cf = gpcov_layer_field(l, p->count_field)) < 0)
        return gpcov_sym_no_field(ctx, l, gpcov_sym_units_src(sym->spec),
                                  "count", p->count_field);
    double sum[GPCOV_LEGEND_ROWS] = {0};
    for (size_t i = 0; i < sym->nunits; i++) {
        int c = P->cls[i], row = -1;
        if (c == -2)
            continue;
        for (size_t r = 0; c >= 0 && r < P->nrows; r++)
            if (P->rows[r].kind == ROW_CLASS && P->rows[r].cls == c)
                row = (int)r;
        if (c == -1)
            row = nodata_row(sym, P, i);
        if (row < 0)
            continue;
        const struct gpcov_value *v = cf >= 0 ? gpcov_layer_value(l, i, (size_t)cf) : NULL;
        sum[row] += cf < 0 ? 1 : v->null || l->fields[cf].type == GPCOV_STR ? 0 : v->num;
    }
    for (size_t r = 0; r < P->nrows; r++) {
        char num[28];
        gpcov_sym_fmt_num(num, sizeof num, sum[r], 0, sym->spec->decimal_comma);
        snprintf(P->rows[r].count, sizeof P->rows[r].count, "(%.28s)", num);
    }
    return GPCOV_OK;
}

/* The state of classing one panel, phase by phase. */
struct classing {
    struct gpcov_symbology *sym;
    struct sym_panel *P;
    int f;          /* the panel's field                  */
    double *vals;   /* the units' values, nv of them       */
    size_t nv, nnull;
    size_t count[GPCOV_PALETTE_MAX]; /* units per class     */
};

/* The panel's field, and room for the classes and the values. */
static gpcov_status panel_field(gpcov_ctx *ctx, struct classing *c)
{
    struct sym_panel *P = c->P;
    const struct gpcov_map_panel *p = P->p;
    const struct gpcov_layer *l = c->sym->spec->units;
    if (!p->field || !*p->field)
        return gpcov_err(ctx, GPCOV_EUSAGE, "panel %s: no field given",
                         P->letter);
    c->f = gpcov_layer_field(l, p->field);
    if (c->f < 0) {
        char what[32];
        snprintf(what, sizeof what, "panel %s", P->letter);
        return gpcov_sym_no_field(ctx, l, gpcov_sym_units_src(c->sym->spec),
                                  what, p->field);
    }
    size_t n = c->sym->nunits ? c->sym->nunits : 1;
    P->cls = malloc(n * sizeof *P->cls);
    c->vals = malloc(n * sizeof *c->vals);
    if (!P->cls || !c->vals)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* Every unit's value: a unit without geometry is not drawn (-2), one
** without a value has no data (-1), the others' values go to c->vals. */
static gpcov_status panel_values(gpcov_ctx *ctx, struct classing *c)
{
    struct gpcov_symbology *sym = c->sym;
    struct sym_panel *P = c->P;
    for (size_t i = 0; i < sym->nunits; i++) {
        P->cls[i] = -2;
        if (!sym->drawn[i])
            continue;
        double v;
        int r = unit_value(ctx, sym->spec, P->p, i, c->f, &v);
        if (r < 0)
            return GPCOV_EINPUT;
        if (r == 0) {
            P->cls[i] = -1;
            c->nnull++;
        } else {
            P->cls[i] = 0;
            c->vals[c->nv++] = v;
        }
    }
    return GPCOV_OK;
}

/* The breaks and the colours: fixed ones for a categorical panel, else k
** classes by the panel's method, coloured from its palette. */
static gpcov_status panel_breaks(gpcov_ctx *ctx, struct classing *c)
{
    struct sym_panel *P = c->P;
    const struct gpcov_map_panel *p = P->p;
    const char *src = gpcov_sym_units_src(c->sym->spec);
    if (p->categorical) {
        P->k = 2;
        P->breaks[0] = 0;
        P->breaks[1] = 0.5;
        P->breaks[2] = 1;
        gpcov_palette_fixed(GPCOV_COLOUR_FALSE, P->rgb[0]);
        gpcov_palette_fixed(GPCOV_COLOUR_TRUE, P->rgb[1]);
        gpcov_palette_fixed(GPCOV_COLOUR_UNDECIDED, P->rgb[2]);
        return GPCOV_OK;
    }
    int k = p->classes ? p->classes : 5;
    if (k < 1 || k > GPCOV_PALETTE_MAX)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "panel %s (%s): %d classes; a map takes 1 to %d",
                         P->letter, p->field, k, GPCOV_PALETTE_MAX);
    P->k = k;
    if (p->method == GPCOV_BREAKS_FIXED) {
        if (!p->fixed)
            return gpcov_err(ctx, GPCOV_EUSAGE,
                             "panel %s (%s): fixed breaks without edges",
                             P->letter, p->field);
        memcpy(P->breaks, p->fixed, (size_t)(k + 1) * sizeof *P->breaks);
    }
    if (c->nv == 0 && p->method != GPCOV_BREAKS_FIXED)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: field '%s' has no values to map (all null)",
                         src, p->field);
    gpcov_status st = gpcov_breaks(ctx, p->method, c->vals, c->nv, k, P->breaks);
    if (st != GPCOV_OK) {
        char why[GPCOV_MSG_MAX];
        snprintf(why, sizeof why, "%s", gpcov_ctx_message(ctx));
        return gpcov_err(ctx, st, "%s: field '%s' (panel %s): %s", src,
                         p->field, P->letter, why);
    }
    for (int cl = 0; cl < k; cl++)
        if (gpcov_palette_colour(p->palette, k, cl, P->rgb[cl]) != 0)
            return gpcov_err(ctx, GPCOV_EUSAGE, "panel %s: unknown palette %d",
                             P->letter, (int)p->palette);
    return GPCOV_OK;
}

/* Each unit's class, and the count per class. */
static gpcov_status panel_classes(gpcov_ctx *ctx, struct classing *c)
{
    const struct gpcov_map_spec *spec = c->sym->spec;
    struct sym_panel *P = c->P;
    const struct gpcov_map_panel *p = P->p;
    char name[64];
    for (size_t i = 0; i < c->sym->nunits; i++) {
        if (P->cls[i] != 0)
            continue;
        double v;
        unit_value(ctx, spec, p, i, c->f, &v);
        int cl = p->categorical ? (int)v : gpcov_breaks_class(P->breaks, P->k, v);
        if (cl < 0)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: %s: field '%s' = %g lies outside the fixed "
                             "breaks %g to %g (make the first edge -inf or the "
                             "last inf to open the end classes)",
                             gpcov_sym_units_src(spec),
                             gpcov_sym_feat_name(spec->units, i, name, sizeof name),
                             p->field, v, P->breaks[0], P->breaks[P->k]);
        P->cls[i] = cl;
        c->count[cl]++;
    }
    return GPCOV_OK;
}

static struct sym_row *add_class_row(struct sym_panel *P, int cl,
                                     const char *label)
{
    struct sym_row *r = &P->rows[P->nrows++];
    r->kind = ROW_CLASS;
    r->cls = cl;
    memcpy(r->rgb, P->rgb[cl], sizeof P->rgb[cl]);
    r->label = gpcov_strdup(label);
    return r;
}

/* The label of class cl: its range, with the short unit su. */
static void class_label(const struct sym_panel *P, int cl, int dec, int comma,
                        const char *su, char *lab, size_t sz)
{
    const char *sep = " \xe2\x80\x93 "; /* EN DASH */
    char a[64], b[64];
    double lo = P->breaks[cl], hi = P->breaks[cl + 1];
    gpcov_sym_fmt_num(a, sizeof a, lo, dec, comma);
    gpcov_sym_fmt_num(b, sizeof b, hi, dec, comma);
    if (isinf(lo))
        snprintf(lab, sz, "\xe2\x89\xa4 %s%s", b, su); /* ≤ */
    else if (isinf(hi))
        snprintf(lab, sz, "> %s%s", a, su);
    else if (!strcmp(a, b))
        snprintf(lab, sz, "%s%s", a, su);
    else
        snprintf(lab, sz, "%s%s%s%s", a, sep, b, su);
}

/* The legend rows of the classes: true, false, and undecided when a unit
** is; or each class's range, in the unit when it is short (a long one heads
** the legend). */
static gpcov_status class_rows(gpcov_ctx *ctx, struct classing *c)
{
    struct sym_panel *P = c->P;
    const struct gpcov_map_panel *p = P->p;
    if (p->categorical) {
        const char *lab[3] = {p->label_false ? p->label_false : "no",
                              p->label_true ? p->label_true : "yes",
                              p->label_undecided ? p->label_undecided : "undecided"};
        static const int order[3] = {1, 0, 2};
        for (int r = 0; r < 3; r++)
            if (order[r] != 2 || c->count[2])
                add_class_row(P, order[r], lab[order[r]]);
        return GPCOV_OK;
    }
    int comma = c->sym->spec->decimal_comma;
    char su[64] = "";
    if (unit_is_short(p->unit))
        snprintf(su, sizeof su, " %s", p->unit);
    else if (p->unit && *p->unit && !(P->header = gpcov_strdup(p->unit)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    int dec = p->decimals >= 0 ? p->decimals
                               : auto_decimals(P->breaks, P->k, comma);
    if (dec > 10)
        dec = 10;
    for (int cl = 0; cl < P->k; cl++) {
        char lab[200];
        class_label(P, cl, dec, comma, su, lab, sizeof lab);
        add_class_row(P, cl, lab);
    }
    return GPCOV_OK;
}

static gpcov_status classify_panel(gpcov_ctx *ctx, struct gpcov_symbology *sym,
                                   size_t pi)
{
    struct classing c = {.sym = sym, .P = &sym->panels[pi]};
    gpcov_status st = panel_field(ctx, &c);
    if (st == GPCOV_OK)
        st = panel_values(ctx, &c);
    if (st == GPCOV_OK)
        st = panel_breaks(ctx, &c);
    free(c.vals);
    if (st == GPCOV_OK)
        st = panel_classes(ctx, &c);
    if (st == GPCOV_OK)
        st = class_rows(ctx, &c);
    if (st == GPCOV_OK && c.nnull)
        st = nodata_rows(ctx, sym, c.P);
    for (size_t r = 0; st == GPCOV_OK && r < c.P->nrows; r++)
        if (!c.P->rows[r].label)
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return st == GPCOV_OK ? row_counts(ctx, sym, c.P) : st;
}

/* ----------------------------------------------------------------- prepare */

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

void gpcov_symbology_free(struct gpcov_symbology *sym)
{
    if (!sym)
        return;
    for (size_t i = 0; i < GPCOV_MAP_MAX_PANELS; i++) {
        struct sym_panel *P = &sym->panels[i];
        free(P->cls);
        free(P->header);
        for (size_t k = 0; k < P->nreason; k++)
            free(P->reason[k]);
        for (size_t r = 0; r < P->nrows; r++)
            free(P->rows[r].label);
    }
    free(sym->drawn);
    free(sym);
}

static gpcov_status check_spec(gpcov_ctx *ctx, const struct gpcov_map_spec *spec)
{
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
    return GPCOV_OK;
}

/* Which units are drawn: those with a geometry that has an extent.  The
** number drawn, or -1 (ENOMEM). */
static long drawn_units(struct gpcov_symbology *sym)
{
    const struct gpcov_layer *l = sym->spec->units;
    sym->drawn = calloc(l->n ? l->n : 1, 1);
    if (!sym->drawn)
        return -1;
    long n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const GEOSGeometry *g = l->geoms ? l->geoms[i] : NULL;
        double x0, y0, x1, y1;
        if (!g || GEOSisEmpty_r(sym->geos, g) != 0 ||
            !GEOSGeom_getExtent_r(sym->geos, g, &x0, &y0, &x1, &y1))
            continue;
        sym->drawn[i] = 1;
        n++;
    }
    return n;
}

gpcov_status gpcov_symbology_prepare(gpcov_ctx *ctx,
                                     const struct gpcov_map_spec *spec,
                                     struct gpcov_symbology **out)
{
    *out = NULL;
    gpcov_status st = check_spec(ctx, spec);
    if (st != GPCOV_OK)
        return st;
    struct gpcov_symbology *sym = calloc(1, sizeof *sym);
    if (!sym)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    sym->spec = spec;
    sym->geos = gpcov_ctx_geos(ctx);
    sym->np = spec->npanels;
    sym->nunits = spec->units->n;
    sym->nodata_label = spec->nodata_label ? spec->nodata_label : "no data";
    long ndrawn = drawn_units(sym);
    if (ndrawn < 0)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < sym->np && st == GPCOV_OK; i++) {
        sym->panels[i].p = &spec->panels[i];
        snprintf(sym->panels[i].letter, sizeof sym->panels[i].letter, "(%c)",
                 (char)('a' + i));
        st = classify_panel(ctx, sym, i);
    }
    if (st == GPCOV_OK && ndrawn == 0)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no polygons to draw",
                       gpcov_sym_units_src(spec));
    if (st != GPCOV_OK) {
        gpcov_symbology_free(sym);
        return st;
    }
    *out = sym;
    return GPCOV_OK;
}

/* ------------------------------------------------------------ the legend */

void gpcov_symbology_border(const struct gpcov_map_spec *spec, double *grey,
                            double *width)
{
    *grey = spec->outline ? 0.86 : 0.35;
    *width = spec->outline ? 0.35 : 0.3;
}

size_t gpcov_symbology_legend_rows(const struct gpcov_symbology *sym, size_t p,
                                   struct gpcov_legend_row rows[GPCOV_LEGEND_ROWS],
                                   const char **header)
{
    const struct sym_panel *P = &sym->panels[p];
    size_t n = 0;
    for (size_t r = 0; r < P->nrows; r++) {
        const struct sym_row *w = &P->rows[r];
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

const int *gpcov_symbology_classes(const struct gpcov_symbology *sym, size_t p)
{
    return sym->panels[p].cls;
}

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

/* The class rows of the legend, in legend order (a categorical legend
** shows true first).  Returns the number, or -1 (ENOMEM). */
static long legend_classes(const struct sym_panel *P, struct gpcov_map_legend *out)
{
    size_t nclass = 0;
    for (size_t r = 0; r < P->nrows; r++) {
        const struct sym_row *row = &P->rows[r];
        if (row->kind != ROW_CLASS)
            continue;
        struct gpcov_legend_class *c = &out->cls[nclass];
        int k = row->cls;
        if (P->p->categorical) {
            c->lo = c->hi = c->value = k;
        } else {
            c->lo = P->breaks[k];
            c->hi = P->breaks[k + 1];
            c->value = c->hi;
        }
        memcpy(c->rgb, row->rgb, sizeof c->rgb);
        if (!(c->label = gpcov_strdup(row->label)))
            return -1;
        nclass++;
    }
    return (long)nclass;
}

/* The counts, the no-data count, and whether each class holds its upper
** edge only. */
static void legend_counts(gpcov_ctx *ctx, const struct gpcov_symbology *sym,
                          const struct sym_panel *P, struct gpcov_map_legend *out)
{
    const struct gpcov_map_panel *p = P->p;
    size_t nclass = out->nclasses;
    int f = gpcov_layer_field(sym->spec->units, p->field);
    int single = !p->categorical && f >= 0;
    for (size_t i = 0; i < sym->nunits; i++) {
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
            if (unit_value(ctx, sym->spec, p, i, f, &v) != 1 ||
                !isfinite(P->breaks[c + 1]) || v != P->breaks[c + 1])
                single = 0;
        }
    }
    for (size_t c = 0; single && c < nclass; c++)
        single = isfinite(out->cls[c].hi);
    out->single_valued = single;
}

gpcov_status gpcov_symbology_legend(gpcov_ctx *ctx,
                                    const struct gpcov_symbology *sym, size_t pi,
                                    struct gpcov_map_legend *out)
{
    memset(out, 0, sizeof *out);
    if (pi >= sym->np)
        return gpcov_err(ctx, GPCOV_EUSAGE, "map: no panel %zu", pi + 1);
    const struct sym_panel *P = &sym->panels[pi];
    const struct gpcov_map_panel *p = P->p;
    out->field = gpcov_strdup(p->field);
    out->title = gpcov_strdup(p->title ? p->title : p->field);
    out->method = gpcov_strdup(breaks_name(p));
    out->nodata_label = gpcov_strdup(sym->nodata_label);
    if (!out->field || !out->title || !out->method || !out->nodata_label)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    out->categorical = p->categorical;
    long nclass = legend_classes(P, out);
    if (nclass < 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    out->nclasses = (size_t)nclass;
    legend_counts(ctx, sym, P, out);
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA, out->nodata_rgb);
    gpcov_palette_fixed(GPCOV_COLOUR_NODATA_HATCH, out->hatch_rgb);
    /* as render.c strokes the unit borders */
    double g;
    gpcov_symbology_border(sym->spec, &g, &out->border_pt);
    out->border_rgb[0] = out->border_rgb[1] = out->border_rgb[2] = g;
    return GPCOV_OK;
}
