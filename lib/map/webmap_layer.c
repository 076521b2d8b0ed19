/*
** webmap_layer.c: the layers a web map shows (webmap.c writes the page
** around them).  The units get their code, name, the panels' fields and,
** when a layer carries the threat rules, what each rule said, each field
** taken from the units or, by key, from the first joined layer that has
** it.  With a condition (--where, the expression language of query and
** overlay) only the units where it holds are kept; a unit it cannot decide
** because a field it needs is missing is neither kept nor dropped
** silently, but counted and named.  Borders are simplified with GEOS's
** topology-preserving simplifier, so that neighbours keep sharing them;
** the regions' borders are simplified the same way.
*/
#include "webmap_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gpcov_webmap_src(const struct gpcov_layer *l, const char *src)
{
    return src ? src : l && l->name ? l->name : "units";
}

/* Where field `field` comes from: the units (*j = -1) or join *j, with
** its field index in *f.  Returns -1 when no layer has it. */
static int find_field(const struct gpcov_webmap_spec *spec, const char *field, long *j, int *f)
{
    if ((*f = gpcov_layer_field(spec->units, field)) >= 0) {
        *j = -1;
        return 0;
    }
    for (size_t k = 0; k < spec->njoins; k++)
        if (spec->joins[k] && (*f = gpcov_layer_field(spec->joins[k], field)) >= 0) {
            *j = (long)k;
            return 0;
        }
    return -1;
}

/* Copies a value between layers of the same field type. */
static gpcov_status copy_value(gpcov_ctx *ctx, struct gpcov_layer *dst, size_t i, size_t f,
                               const struct gpcov_value *v, enum gpcov_ftype t)
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
    const char *src;
    int fname;                    /* the units' name field, or -1       */
    struct gpcov_strmap *maps;    /* per join: key -> row               */
    struct gpcov_selection sel;   /* the units --where keeps            */
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
                         "%s: the units have no key (a code field) to join and name them by",
                         bl->src);
    if (spec->name_field && *spec->name_field &&
        (bl->fname = gpcov_layer_field(bl->u, spec->name_field)) < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no name field '%s'", bl->src, spec->name_field);
    for (size_t k = 0; k < spec->njoins; k++)
        if (!spec->joins[k] || !spec->joins[k]->keys)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: the layer has no key (a code field) to join by",
                             spec->joins_src && spec->joins_src[k] ? spec->joins_src[k]
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

/* Adds field `field` of whichever layer has it, unless the page has it. */
static gpcov_status add_from(gpcov_ctx *ctx, struct building *bl, const char *field)
{
    long j;
    int f;
    if (gpcov_layer_field(bl->l, field) >= 0 || find_field(bl->spec, field, &j, &f) != 0)
        return GPCOV_OK;
    const struct gpcov_layer *from = j < 0 ? bl->u : bl->spec->joins[j];
    if (gpcov_layer_add_field(ctx, bl->l, field, from->fields[f].type) < 0)
        return GPCOV_ENOMEM;
    return GPCOV_OK;
}

/* The threat rules, when the units or a joined layer carry them (the
** layer of `gpcov threat`: rules_fired): each rule_NAME field, then
** rules_fired, verdict and threat_reason, for the popup. */
static gpcov_status rule_fields(gpcov_ctx *ctx, struct building *bl)
{
    static const char *const after[] = {"rules_fired", "verdict", "threat_reason"};
    long j;
    int f;
    if (find_field(bl->spec, "rules_fired", &j, &f) != 0)
        return GPCOV_OK;
    const struct gpcov_layer *from = j < 0 ? bl->u : bl->spec->joins[j];
    gpcov_status st = GPCOV_OK;
    for (size_t k = 0; !st && k < from->nfields; k++)
        if (!strncmp(from->fields[k].name, "rule_", 5) && from->fields[k].name[5])
            st = add_from(ctx, bl, from->fields[k].name);
    for (size_t k = 0; !st && k < sizeof after / sizeof *after; k++)
        st = add_from(ctx, bl, after[k]);
    return st;
}

/* code, name, the panels' fields, each once, in panel order, the fields
** that say why a value is missing, and the rules' fields. */
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
            return gpcov_err(ctx, GPCOV_EUSAGE, "indicator %zu: no field given", p + 1);
        if (gpcov_layer_field(l, field) >= 0)
            continue;
        if (find_field(spec, field, &j, &f) != 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' for indicator %zu%s", bl->src,
                             field, p % spec->npanels + 1,
                             spec->njoins ? " (nor in the joined layers)" : "");
        const struct gpcov_layer *from = j < 0 ? bl->u : spec->joins[j];
        if (gpcov_layer_add_field(ctx, l, field, from->fields[f].type) < 0)
            return GPCOV_EUSAGE;
    }
    return rule_fields(ctx, bl);
}

/* A unit's value of a field of any layer. */
struct unit_ref {
    const struct building *bl;
    size_t i;
};

static int lookup(void *user, const char *name, struct gpcov_value *out)
{
    const struct unit_ref *r = user;
    const struct building *bl = r->bl;
    long j;
    int f;
    size_t row = r->i;
    if (find_field(bl->spec, name, &j, &f) != 0)
        return -1;
    if (j >= 0 && (!bl->u->keys[r->i] ||
                   gpcov_strmap_get(&bl->maps[j], bl->u->keys[r->i], &row) != 0)) {
        memset(out, 0, sizeof *out);
        out->null = 1; /* not in that layer: missing */
        return 0;
    }
    *out = *gpcov_layer_value(j < 0 ? bl->u : bl->spec->joins[j], row, (size_t)f);
    return 0;
}

/* --where: the units it keeps in bl->sel, those it cannot decide named
** in bl->info, its errors placed as the page's messages place them. */
static gpcov_status select_units(gpcov_ctx *ctx, struct building *bl)
{
    const struct gpcov_webmap_spec *spec = bl->spec;
    const char *text = spec->where;
    if (!text)
        return GPCOV_OK;
    struct gpcov_select_spec ss = {.where = text, .joins = spec->joins,
                                   .njoins = spec->njoins, .name_field = bl->fname};
    struct gpcov_selection *sel = &bl->sel;
    gpcov_status st = gpcov_units_select(ctx, bl->u, &ss, sel);
    struct gpcov_webmap_info *info = bl->info;
    info->undecided = sel->undecided;
    memcpy(info->undecided_list, sel->undecided_list, sizeof info->undecided_list);
    memcpy(info->missing, sel->missing, sizeof info->missing);
    if (!st)
        return GPCOV_OK;
    if (st == GPCOV_EUSAGE && sel->unknown) {
        const char *near = sel->nearest;
        return gpcov_err(ctx, GPCOV_EUSAGE, "--where: %s: unknown field '%s'%s%s%s%s", bl->src,
                         sel->unknown, spec->njoins ? " (nor in the joined layers)" : "",
                         near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    }
    char m[GPCOV_MSG_MAX];
    snprintf(m, sizeof m, "%s", gpcov_ctx_message(ctx));
    if (sel->failed != (size_t)-1)
        return gpcov_err(ctx, st, "--where %s: unit %s: %s", text,
                         bl->u->keys[sel->failed], m);
    return gpcov_err(ctx, st, "--where %s: %s", text, m);
}

/* Geometry g0 simplified by the spec's tolerance (as it is when
** simplifying empties it), its vertices counted before and after; *out
** NULL without one. */
static gpcov_status simplified(gpcov_ctx *ctx, const struct gpcov_webmap_spec *spec,
                               const GEOSGeometry *g0, const char *what,
                               struct gpcov_webmap_info *info, GEOSGeometry **out)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    GEOSGeometry *g = NULL;
    *out = NULL;
    if (!g0)
        return GPCOV_OK;
    int n0 = GEOSGetNumCoordinates_r(h, g0);
    if (spec->simplify > 0) {
        g = GEOSTopologyPreserveSimplify_r(h, g0, spec->simplify);
        if (g && GEOSisEmpty_r(h, g) == 1) {
            GEOSGeom_destroy_r(h, g);
            g = NULL;
        }
    }
    if (!g)
        g = GEOSGeom_clone_r(h, g0);
    if (!g)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: cannot simplify: %s", what,
                         gpcov_dep_error(ctx));
    if (info) {
        info->vertices_in += n0 > 0 ? (size_t)n0 : 0;
        int n1 = GEOSGetNumCoordinates_r(h, g);
        info->vertices_out += n1 > 0 ? (size_t)n1 : 0;
    }
    *out = g;
    return GPCOV_OK;
}

/* Unit i's name and its values of the page's fields (from the units or
** the joined layer that has each), into row r of the page's layer. */
static gpcov_status unit_values(gpcov_ctx *ctx, struct building *bl, size_t i, size_t r)
{
    const struct gpcov_layer *u = bl->u;
    struct gpcov_layer *l = bl->l;
    gpcov_status st = GPCOV_OK;
    if (bl->fname >= 0) {
        const struct gpcov_value *nv = gpcov_layer_value(u, i, (size_t)bl->fname);
        char num[64];
        if (nv->null)
            gpcov_layer_set_null(l, r, 1);
        else if (u->fields[bl->fname].type == GPCOV_STR)
            st = gpcov_layer_set_str(ctx, l, r, 1, nv->str ? nv->str : "");
        else {
            snprintf(num, sizeof num, "%.15g", nv->num);
            st = gpcov_layer_set_str(ctx, l, r, 1, num);
        }
        if (st)
            return st;
    }
    for (size_t f = 2; f < l->nfields; f++) {
        struct gpcov_value v = {.null = 1};
        struct unit_ref ref = {bl, i};
        lookup(&ref, l->fields[f].name, &v); /* a joined layer without i: no data */
        if ((st = copy_value(ctx, l, r, f, &v, l->fields[f].type)))
            return st;
    }
    return GPCOV_OK;
}

/* The units where the condition holds, one row each. */
static gpcov_status unit_rows(gpcov_ctx *ctx, struct building *bl)
{
    const struct gpcov_layer *u = bl->u;
    gpcov_status st = GPCOV_OK;
    for (size_t i = 0; i < u->n; i++) {
        GEOSGeometry *g;
        if (bl->spec->where && !bl->sel.keep[i])
            continue;
        char what[300];
        snprintf(what, sizeof what, "%s: %s", bl->src, u->keys[i] ? u->keys[i] : "?");
        if ((st = simplified(ctx, bl->spec, u->geoms ? u->geoms[i] : NULL, what, bl->info, &g)))
            return st;
        long r = gpcov_layer_append(ctx, bl->l, u->keys[i], g);
        if (r < 0)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        if ((st = gpcov_layer_set_str(ctx, bl->l, (size_t)r, 0, u->keys[i] ? u->keys[i] : "")))
            return st;
        if ((st = unit_values(ctx, bl, i, (size_t)r)))
            return st;
    }
    if (bl->spec->where && !bl->l->n)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: --where %s: no municipality selected%s%s%s",
                         bl->src, bl->spec->where, bl->info->undecided ? " (undecided: " : "",
                         bl->info->undecided_list, bl->info->undecided ? ")" : "");
    return GPCOV_OK;
}

gpcov_status gpcov_webmap_units(gpcov_ctx *ctx, const struct gpcov_webmap_spec *spec,
                                struct gpcov_layer **out, struct gpcov_webmap_info *info)
{
    struct building bl = {.spec = spec, .u = spec->units,
                          .src = gpcov_webmap_src(spec->units, spec->units_src),
                          .info = info};
    *out = NULL;
    info->units_in = spec->units->n;
    gpcov_status st = check_keys(ctx, &bl);
    if (st)
        return st;
    if (!(st = join_maps(ctx, &bl)) && !(st = layer_fields(ctx, &bl)) &&
        !(st = select_units(ctx, &bl)) && !(st = unit_rows(ctx, &bl))) {
        *out = bl.l;
        bl.l = NULL;
    }
    if (bl.maps)
        for (size_t k = 0; k < spec->njoins; k++)
            gpcov_strmap_clear(&bl.maps[k]);
    free(bl.maps);
    gpcov_selection_free(&bl.sel);
    gpcov_layer_free(ctx, bl.l);
    return st;
}

/* The lines of g (lines, or lines among points in a collection) as one
** piece in parts[*n], when it has any; g is consumed. */
static void add_lines(GEOSContextHandle_t h, GEOSGeometry *g, GEOSGeometry **parts, size_t *n)
{
    int k = g ? GEOSGetNumGeometries_r(h, g) : 0, m = 0;
    GEOSGeometry **lines = k > 0 ? calloc((size_t)k, sizeof *lines) : NULL;
    for (int i = 0; lines && i < k; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        if (GEOSGeomTypeId_r(h, p) == GEOS_LINESTRING)
            lines[m++] = GEOSGeom_clone_r(h, p);
    }
    if (m)
        parts[(*n)++] = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, lines, (unsigned)m);
    free(lines);
    if (g)
        GEOSGeom_destroy_r(h, g);
}

/* The lines where two regions meet, one piece per pair in parts[*n]. */
static void shared_borders(GEOSContextHandle_t h, const struct gpcov_layer *o,
                           GEOSGeometry **parts, size_t *n)
{
    for (size_t i = 0; i < o->n; i++) {
        GEOSGeometry *bi = o->geoms[i] ? GEOSBoundary_r(h, o->geoms[i]) : NULL;
        for (size_t j = i + 1; bi && j < o->n; j++)
            if (o->geoms[j] && GEOSIntersects_r(h, o->geoms[i], o->geoms[j]) == 1)
                add_lines(h, GEOSIntersection_r(h, bi, o->geoms[j]), parts, n);
        if (bi)
            GEOSGeom_destroy_r(h, bi);
    }
}

/* The regions' whole outlines, for regions that meet nowhere along a line
** (or do not share their vertices): one piece per region. */
static void whole_outlines(GEOSContextHandle_t h, const struct gpcov_layer *o,
                           GEOSGeometry **parts, size_t *n)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->geoms[i]) {
            GEOSGeometry *b = GEOSBoundary_r(h, o->geoms[i]);
            if (b)
                parts[(*n)++] = b;
        }
}

/* The pieces merged into lines and simplified by the spec's tolerance;
** the pieces are consumed. */
static GEOSGeometry *merged(GEOSContextHandle_t h, const struct gpcov_webmap_spec *spec,
                            GEOSGeometry **parts, size_t n)
{
    GEOSGeometry *all = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
                                                    (unsigned)n);
    if (!all) {
        for (size_t i = 0; i < n; i++)
            GEOSGeom_destroy_r(h, parts[i]);
        return NULL;
    }
    GEOSGeometry *lines = GEOSUnaryUnion_r(h, all); /* nodes and dissolves the pieces */
    GEOSGeom_destroy_r(h, all);
    GEOSGeometry *m = lines ? GEOSLineMerge_r(h, lines) : NULL;
    if (lines)
        GEOSGeom_destroy_r(h, lines);
    if (m && spec->simplify > 0) {
        GEOSGeometry *s = GEOSTopologyPreserveSimplify_r(h, m, spec->simplify);
        GEOSGeom_destroy_r(h, m);
        m = s;
    }
    return m;
}

gpcov_status gpcov_webmap_outline(gpcov_ctx *ctx, const struct gpcov_webmap_spec *spec,
                                  struct gpcov_layer **out)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    const struct gpcov_layer *o = spec->outline;
    size_t n = 0;
    *out = NULL;
    GEOSGeometry **parts = calloc(o->n * o->n + 1, sizeof *parts);
    if (!parts)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (o->geoms) {
        shared_borders(h, o, parts, &n);
        if (!n)
            whole_outlines(h, o, parts, &n);
    }
    GEOSGeometry *g = n ? merged(h, spec, parts, n) : NULL;
    free(parts);
    if (n && !g)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: cannot draw the regions' borders: %s",
                         gpcov_webmap_src(o, spec->outline_src), gpcov_dep_error(ctx));
    struct gpcov_layer *l = gpcov_layer_new("regions");
    if (!l || gpcov_layer_append(ctx, l, NULL, g) < 0) {
        gpcov_layer_free(ctx, l);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    *out = l;
    return GPCOV_OK;
}
