/*
** practices.c: GP practices as they are registered.  One reader for the
** Sundhedsvæsenets Organisationsregister (SOR) CSV export as published
** (semicolon-separated, Windows-1252 or UTF-8, its own column names,
** UTM32 coordinates in A_X/A_Y, the SOR id written ="..." for Excel) and
** for any point layer or table: each practice gets an id, a name, a point
** in EPSG:25832, its number of GP capacities (NaN with a reason where the
** file gives none) and whether it is open to new patients (1, 0, or -1
** unknown with a reason).  Columns are found by the names below (case,
** spaces and '_' aside) or named by the options; the table reader
** (table.c) finds the header, the separator and the encoding.
*/
#include "gpcov.h"
#include "analysis_internal.h"

#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The names each column goes by, first match wins: the SOR export's
** (SOR CSV documentation: A_X, A_Y are the activity address's UTM zone 32
** easting and northing), the names analysts give them, and plain ones. */
static const char *const ID_NAMES[] = {"SOR-ID", "SorId", "SOR-kode", "SOR kode", "Ydernummer",
                                       "id", NULL};
static const char *const NAME_NAMES[] = {"Enhedsnavn", "EntityName", "Navn", "name", NULL};
static const char *const X_NAMES[] = {"A_X", "x-koordinat", "CoordETRS89z32EMeasure",
                                      "Easting", "x", NULL};
static const char *const Y_NAMES[] = {"A_Y", "y-koordinat", "CoordETRS89z32NMeasure",
                                      "Northing", "y", NULL};
static const char *const CAP_NAMES[] = {"Antal kapaciteter", "Kapaciteter", "Kapacitet",
                                        "Lægekapaciteter", "capacity", NULL};
static const char *const OPEN_NAMES[] = {"Tilgang", "Åben for tilgang", "Lukket for tilgang",
                                         "open", NULL};

/* The rows to read: a table's cells, with the points of a layer's
** features when the source is a layer (xy NULL for a table). */
struct rows {
    struct gpcov_table *t;
    double *xy;
};

static void rows_free(struct rows *r)
{
    gpcov_table_free(r->t);
    free(r->xy);
}

static const char *cell(const struct rows *r, size_t i, int c)
{
    const char *v = c < 0 ? NULL : r->t->cells[i * r->t->ncols + (size_t)c];
    return v && *v ? v : NULL;
}

/* The column given by the option (an error when missing), else the first
** of names the table has; -1 when none. */
static gpcov_status find_col(gpcov_ctx *ctx, const struct gpcov_table *t, const char *given,
                             const char *opt, const char *const *names, int *out)
{
    int second;
    *out = -1;
    if (given) {
        if ((*out = gpcov_table_col_match(t, given, &second)) >= 0)
            return GPCOV_OK;
        char list[600] = "";
        for (size_t k = 0; k < t->ncols && strlen(list) + 40 < sizeof list; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                     t->cols[k]);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no column '%s' (%s; columns: %s)", t->path,
                         given, opt, list);
    }
    for (size_t k = 0; names[k] && *out < 0; k++)
        *out = gpcov_table_col_match(t, names[k], &second);
    return GPCOV_OK;
}

/* Feature i has no point: none at all (a CSV's coordinate columns empty
** or no numbers: named), or another kind of geometry. */
static gpcov_status not_a_point(gpcov_ctx *ctx, const char *src, const struct gpcov_read_opts *ro,
                                size_t i, const GEOSGeometry *g)
{
    if (g)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: not a point", src, i + 1);
    if (ro->x_field)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: feature %zu: no coordinates (%s and %s must both hold a number)",
                         src, i + 1, ro->x_field, ro->y_field);
    return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: no geometry", src, i + 1);
}

/* A layer as rows: its fields as text, its points apart. */
static gpcov_status layer_rows(gpcov_ctx *ctx, const char *src,
                               const struct gpcov_practices_opts *o, struct rows *r)
{
    struct gpcov_read_opts ro = {.layer = o->layer, .srs = o->srs};
    char ext[16];
    gpcov_path_ext(src, ext, sizeof ext);
    if (!strcmp(ext, "csv") || !strcmp(ext, "txt"))
        ro.x_field = "lon", ro.y_field = "lat", ro.srs = o->srs ? o->srs : "EPSG:4326";
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_layer_read(ctx, src, &ro, &l);
    if (st)
        return st;
    struct gpcov_table *t = calloc(1, sizeof *t);
    size_t n = l->n, nf = l->nfields;
    if (t) {
        t->path = gpcov_strdup(src), t->ncols = nf, t->nrows = n;
        t->cols = calloc(nf ? nf : 1, sizeof *t->cols);
        t->cells = calloc(n * nf > 0 ? n * nf : 1, sizeof *t->cells);
        t->row_line = calloc(n ? n : 1, sizeof *t->row_line);
    }
    r->t = t;
    r->xy = malloc((n ? n : 1) * 2 * sizeof *r->xy);
    if (!t || !t->path || !t->cols || !t->cells || !t->row_line || !r->xy) {
        gpcov_layer_free(ctx, l);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    char buf[512];
    for (size_t f = 0; f < nf; f++)
        t->cols[f] = gpcov_strdup(l->fields[f].name);
    for (size_t i = 0; i < n; i++) {
        t->row_line[i] = (long)i + 1;
        for (size_t f = 0; f < nf; f++)
            t->cells[i * nf + f] = gpcov_strdup(gpcov_value_text(l, i, (int)f, buf, sizeof buf));
        const GEOSGeometry *g = l->geoms[i];
        GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
        if (g && GEOSGeomTypeId_r(h, g) == GEOS_MULTIPOINT && GEOSGetNumGeometries_r(h, g) == 1)
            g = GEOSGetGeometryN_r(h, g, 0);
        if (!g || GEOSGeomTypeId_r(h, g) != GEOS_POINT || GEOSisEmpty_r(h, g) != 0 ||
            GEOSGeomGetX_r(h, g, &r->xy[2 * i]) != 1 || GEOSGeomGetY_r(h, g, &r->xy[2 * i + 1]) != 1)
            st = st ? st : not_a_point(ctx, src, &ro, i, g);
    }
    gpcov_layer_free(ctx, l);
    return st;
}

/* The SOR id as Excel is made to keep it: ="123" is 123 (a CSV reader
** may have taken the quotes already, leaving =123). */
static char *clean_id(const char *v)
{
    size_t n = strlen(v);
    if (n >= 3 && v[0] == '=' && v[1] == '"' && v[n - 1] == '"')
        return gpcov_strndup(v + 2, n - 3);
    if (n >= 2 && v[0] == '=')
        return gpcov_strdup(v + 1);
    return gpcov_strdup(v);
}

/* Open to new patients: the words of the regions' lists and of any
** yes/no column; a column "Lukket for tilgang" (closed) says the reverse. */
static int open_value(const char *v, int closed_col)
{
    static const char *const yes[] = {"åben", "aaben", "ja", "j", "yes", "y", "1", "true", "t",
                                      "open", NULL};
    static const char *const no[] = {"lukket", "nej", "n", "no", "0", "false", "f", "closed",
                                     NULL};
    char w[64];
    snprintf(w, sizeof w, "%s", v);
    gpcov_trim(w);
    for (char *c = w; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    if (!strncmp(w, "\xc3\x85", 2)) /* Å */
        w[0] = '\xc3', w[1] = '\xa5';
    for (size_t k = 0; yes[k]; k++)
        if (!strcmp(w, yes[k]))
            return closed_col ? 0 : 1;
    for (size_t k = 0; no[k]; k++)
        if (!strcmp(w, no[k]))
            return closed_col ? 1 : 0;
    return -2;
}

/* Whether name holds word (ASCII case aside). */
static int has_word(const char *name, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = name; *p; p++)
        if (!strncasecmp(p, word, n))
            return 1;
    return 0;
}

struct cols {
    int id, name, x, y, cap, open, closed;
};

static gpcov_status find_cols(gpcov_ctx *ctx, const struct gpcov_practices_opts *o,
                              const struct rows *r, struct cols *c)
{
    const struct gpcov_table *t = r->t;
    gpcov_status st;
    if ((st = find_col(ctx, t, o->id_field, o->id_option ? o->id_option : "--id-field",
                       ID_NAMES, &c->id)) ||
        (st = find_col(ctx, t, o->name_field, "--name-field", NAME_NAMES, &c->name)) ||
        (st = find_col(ctx, t, o->capacity_field, "--capacity-field", CAP_NAMES, &c->cap)) ||
        (st = find_col(ctx, t, o->open_field, "--open-field", OPEN_NAMES, &c->open)))
        return st;
    c->closed = c->open >= 0 && (has_word(t->cols[c->open], "lukket") ||
                                 has_word(t->cols[c->open], "closed"));
    c->x = c->y = -1;
    if (r->xy)
        return GPCOV_OK;
    if ((st = find_col(ctx, t, o->x_field, "--x", X_NAMES, &c->x)) ||
        (st = find_col(ctx, t, o->y_field, "--y", Y_NAMES, &c->y)))
        return st;
    return GPCOV_OK;
}

/* Coordinates of a table in crs (NULL: EPSG:25832) to EPSG:25832. */
static gpcov_status to_working(gpcov_ctx *ctx, const char *src, const char *crs, double *x,
                               double *y, size_t n)
{
    if (!crs || !n)
        return GPCOV_OK;
    OGRSpatialReferenceH a = OSRNewSpatialReference(NULL), b = OSRNewSpatialReference(NULL);
    gpcov_status st = GPCOV_OK;
    OSRSetAxisMappingStrategy(a, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(b, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = NULL;
    if (OSRSetFromUserInput(a, crs) != OGRERR_NONE || OSRImportFromEPSG(b, GPCOV_WORKING_EPSG) ||
        !(ct = OCTNewCoordinateTransformation(a, b)))
        st = gpcov_err(ctx, GPCOV_EUSAGE, "%s: cannot use the CRS '%s' (--srs)", src, crs);
    else if (!OCTTransform(ct, (int)n, x, y, NULL))
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: coordinates outside the CRS '%s'", src, crs);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(a), OSRDestroySpatialReference(b);
    return st;
}

/* Row i into practice p. */
static gpcov_status read_row(gpcov_ctx *ctx, const struct rows *r, const struct cols *c,
                             size_t i, double *x, double *y, struct gpcov_practice *p)
{
    const struct gpcov_table *t = r->t;
    const char *what = r->xy ? "feature" : "line";
    long line = t->row_line[i];
    const char *id = cell(r, i, c->id), *name = cell(r, i, c->name);
    char num[32];
    snprintf(num, sizeof num, "%zu", i + 1);
    p->id = clean_id(id ? id : num);
    p->name = gpcov_strdup(name ? name : "");
    p->capacity = NAN, p->open = -1;
    if (!p->id || !p->name)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (!r->xy) {
        const char *vx = cell(r, i, c->x), *vy = cell(r, i, c->y);
        if (!vx || !vy || gpcov_parse_number(vx, x) || gpcov_parse_number(vy, y))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s %ld (practice '%s'): %s", t->path, what,
                             line, p->id, !vx || !vy ? "no coordinates" : "coordinates are not numbers");
    }
    const char *vc = cell(r, i, c->cap), *vo = cell(r, i, c->open);
    char why[300];
    if (c->cap < 0)
        snprintf(why, sizeof why, "no capacity column in %s", t->path);
    else if (!vc)
        snprintf(why, sizeof why, "%s: %s %ld: '%s' is empty", t->path, what, line,
                 t->cols[c->cap]);
    else if (gpcov_parse_number(vc, &p->capacity) || !(p->capacity >= 0) || !isfinite(p->capacity))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s %ld (practice '%s'): '%s' is '%s', not a "
                         "number of GP capacities", t->path, what, line, p->id, t->cols[c->cap], vc);
    if (isnan(p->capacity) && !(p->capacity_reason = gpcov_strdup(why)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (c->open < 0)
        snprintf(why, sizeof why, "no column on new patients in %s", t->path);
    else if (!vo)
        snprintf(why, sizeof why, "%s: %s %ld: '%s' is empty", t->path, what, line,
                 t->cols[c->open]);
    else if ((p->open = open_value(vo, c->closed)) < -1)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s %ld (practice '%s'): '%s' is '%s'; expected "
                         "Åben or Lukket (ja/nej, yes/no, 1/0)", t->path, what, line, p->id,
                         t->cols[c->open], vo);
    if (p->open < 0 && !(p->open_reason = gpcov_strdup(why)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* The rows of src: a table with coordinate columns, else any layer. */
static gpcov_status read_rows(gpcov_ctx *ctx, const char *src,
                              const struct gpcov_practices_opts *o, struct rows *r,
                              struct cols *c)
{
    char ext[16];
    gpcov_path_ext(src, ext, sizeof ext);
    gpcov_status st;
    memset(r, 0, sizeof *r);
    if (!strcmp(ext, "csv") || !strcmp(ext, "txt") || !strcmp(ext, "xlsx") || !strcmp(ext, "ods")) {
        struct gpcov_table_opts to = {.layer = o->layer};
        if ((st = gpcov_table_read(ctx, src, &to, &r->t)) || (st = find_cols(ctx, o, r, c)))
            return st;
        if (c->x >= 0 && c->y >= 0)
            return GPCOV_OK;
        if (o->x_field || o->y_field)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: no column '%s' (--%s)", src,
                             c->x < 0 ? o->x_field : o->y_field, c->x < 0 ? "x" : "y");
        gpcov_table_free(r->t);
        r->t = NULL;
    }
    if ((st = layer_rows(ctx, src, o, r)))
        return st;
    return find_cols(ctx, o, r, c);
}

void gpcov_practices_free(struct gpcov_practices *ps)
{
    if (!ps)
        return;
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->p[i].id), free(ps->p[i].name);
        free(ps->p[i].capacity_reason), free(ps->p[i].open_reason);
    }
    free(ps->p);
    free(ps);
}

static void describe(struct gpcov_practices *ps, const struct rows *r, const struct cols *c)
{
    const struct gpcov_table *t = r->t;
    ps->sor = c->x >= 0 && !strcasecmp(t->cols[c->x], "A_X");
    snprintf(ps->what, sizeof ps->what, "%s%s: id %s, name %s, capacity %s, open %s",
             t->path, ps->sor ? " (SOR export)" : "", c->id >= 0 ? t->cols[c->id] : "(row number)",
             c->name >= 0 ? t->cols[c->name] : "(none)", c->cap >= 0 ? t->cols[c->cap] : "(none)",
             c->open >= 0 ? t->cols[c->open] : "(none)");
    snprintf(ps->cap_col, sizeof ps->cap_col, "%s", c->cap >= 0 ? t->cols[c->cap] : "");
    snprintf(ps->open_col, sizeof ps->open_col, "%s", c->open >= 0 ? t->cols[c->open] : "");
    ps->open_closed = c->closed;
}

gpcov_status gpcov_practices_read(gpcov_ctx *ctx, const char *src,
                                  const struct gpcov_practices_opts *opts,
                                  struct gpcov_practices **out)
{
    static const struct gpcov_practices_opts none;
    const struct gpcov_practices_opts *o = opts ? opts : &none;
    struct rows r;
    struct cols c;
    *out = NULL;
    gpcov_status st = read_rows(ctx, src, o, &r, &c);
    size_t n = r.t ? r.t->nrows : 0;
    struct gpcov_practices *ps = st ? NULL : calloc(1, sizeof *ps);
    double *x = st ? NULL : malloc((n ? n : 1) * sizeof *x), *y = st ? NULL : malloc((n ? n : 1) * sizeof *y);
    if (!st && (!ps || !x || !y || !(ps->p = calloc(n ? n : 1, sizeof *ps->p))))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (!st && !n)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no practices", src);
    for (size_t i = 0; !st && i < n; i++, ps->n++) {
        if (r.xy)
            x[i] = r.xy[2 * i], y[i] = r.xy[2 * i + 1];
        st = read_row(ctx, &r, &c, i, &x[i], &y[i], &ps->p[i]);
    }
    if (!st && !r.xy)
        st = to_working(ctx, src, o->srs, x, y, n);
    for (size_t i = 0; !st && i < n; i++)
        ps->p[i].x = x[i], ps->p[i].y = y[i];
    if (!st)
        describe(ps, &r, &c);
    free(x), free(y);
    rows_free(&r);
    if (st) {
        gpcov_practices_free(ps);
        return st;
    }
    *out = ps;
    return GPCOV_OK;
}
