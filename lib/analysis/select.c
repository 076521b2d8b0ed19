/*
** select.c: the selection of units by a condition in the expression
** language (`gpcov map --where` and `gpcov webmap --where`, the same
** language and three-valued truth as `query` and `overlay --where`).
** gpcov_units_select decides each unit over its own fields and, by key,
** those of joined layers; a unit whose condition cannot be decided
** because a field it needs is missing is not selected but counted and
** named apart, with the fields it lacks, so that the caller can say so;
** a field no layer has is an error naming the nearest one.
** gpcov_layer_select cuts a layer down to its selection.
*/
#include "analysis_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The state of one selection. */
struct selecting {
    const struct gpcov_layer *u;
    const struct gpcov_select_spec *spec;
    struct gpcov_strmap *maps; /* per join: key -> row */
    gpcov_expr *e;
    struct gpcov_selection *out;
};

/* Which layer has field `name`: the units (*j = -1) or join *j, with its
** field index in *f; -1 when none has it. */
static int find_field(const struct selecting *s, const char *name, long *j, int *f)
{
    if ((*f = gpcov_layer_field(s->u, name)) >= 0) {
        *j = -1;
        return 0;
    }
    for (size_t k = 0; k < s->spec->njoins; k++)
        if ((*f = gpcov_layer_field(s->spec->joins[k], name)) >= 0) {
            *j = (long)k;
            return 0;
        }
    return -1;
}

/* The nearest of the fields of all layers to `name`, for a hint. */
static const char *nearest_field(const struct selecting *s, const char *name)
{
    const char *best = NULL;
    size_t bd = strlen(name) / 3 + 2;
    for (long k = -1; k < (long)s->spec->njoins; k++) {
        const struct gpcov_layer *l = k < 0 ? s->u : s->spec->joins[k];
        for (size_t f = 0; f < l->nfields; f++) {
            size_t d = gpcov_edit_distance(name, l->fields[f].name);
            if (d < bd)
                bd = d, best = l->fields[f].name;
        }
    }
    return best;
}

/* Each joined layer's key index. */
static gpcov_status join_maps(gpcov_ctx *ctx, struct selecting *s)
{
    const struct gpcov_select_spec *spec = s->spec;
    s->maps = calloc(spec->njoins + 1, sizeof *s->maps);
    if (!s->maps)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t k = 0; k < spec->njoins; k++)
        for (size_t i = 0; spec->joins[k]->keys && i < spec->joins[k]->n; i++)
            if (spec->joins[k]->keys[i] &&
                gpcov_strmap_put(&s->maps[k], spec->joins[k]->keys[i], i) != 0)
                return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* A unit's value of a field of any layer, for the condition. */
struct unit_ref {
    const struct selecting *s;
    size_t i;
};

static int lookup(void *user, const char *name, struct gpcov_value *out)
{
    const struct unit_ref *r = user;
    const struct selecting *s = r->s;
    long j;
    int f;
    size_t row = r->i;
    if (find_field(s, name, &j, &f) != 0)
        return -1;
    if (j >= 0 && (!s->u->keys || !s->u->keys[r->i] ||
                   gpcov_strmap_get(&s->maps[j], s->u->keys[r->i], &row) != 0)) {
        memset(out, 0, sizeof *out);
        out->null = 1; /* not in that layer: missing */
        return 0;
    }
    *out = *gpcov_layer_value(j < 0 ? s->u : s->spec->joins[j], row, (size_t)f);
    return 0;
}

/* Appends t to the text b[n], ending in "..." when it does not fit. */
static void append(char *b, size_t n, const char *t)
{
    size_t len = strlen(b);
    if (len + strlen(t) + 1 >= n) {
        if (len + 4 < n && strcmp(b + (len > 3 ? len - 3 : 0), "..."))
            strcat(b, "...");
        return;
    }
    strcat(b, t);
}

/* Notes unit i as undecided: its key and name, and the fields it lacks. */
static void note_undecided(const struct selecting *s, size_t i)
{
    struct gpcov_selection *o = s->out;
    int fn = s->spec->name_field;
    char one[160];
    const struct gpcov_value *nv = fn >= 0 ? gpcov_layer_value(s->u, i, (size_t)fn) : NULL;
    const char *key = s->u->keys && s->u->keys[i] ? s->u->keys[i] : "?";
    snprintf(one, sizeof one, "%s%s%s%s", o->undecided ? ", " : "", key,
             nv && !nv->null && nv->str ? " " : "", nv && !nv->null && nv->str ? nv->str : "");
    append(o->undecided_list, sizeof o->undecided_list, one);
    o->undecided++;
    for (size_t k = 0; k < gpcov_expr_nnames(s->e); k++) {
        const char *name = gpcov_expr_name(s->e, k);
        struct gpcov_value v;
        struct unit_ref r = {s, i};
        if (lookup(&r, name, &v) == 0 && v.null && !strstr(o->missing, name)) {
            snprintf(one, sizeof one, "%s%s", *o->missing ? ", " : "", name);
            append(o->missing, sizeof o->missing, one);
        }
    }
}

/* The condition parsed, every name it uses a field of some layer. */
static gpcov_status parse(gpcov_ctx *ctx, struct selecting *s)
{
    gpcov_status st = gpcov_expr_parse(ctx, s->spec->where, &s->e);
    if (st)
        return st;
    for (size_t k = 0; k < gpcov_expr_nnames(s->e); k++) {
        const char *name = gpcov_expr_name(s->e, k);
        long j;
        int f;
        if (find_field(s, name, &j, &f) == 0)
            continue;
        s->out->unknown = name;
        s->out->nearest = nearest_field(s, name);
        return gpcov_err(ctx, GPCOV_EUSAGE, "unknown field '%s'", name);
    }
    return GPCOV_OK;
}

/* Each unit decided: kept, not, or undecided. */
static gpcov_status decide(gpcov_ctx *ctx, struct selecting *s)
{
    struct gpcov_selection *o = s->out;
    o->keep = calloc(s->u->n ? s->u->n : 1, sizeof *o->keep);
    if (!o->keep)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->u->n; i++) {
        struct unit_ref r = {s, i};
        int t;
        gpcov_status st = gpcov_where_truth(ctx, s->e, lookup, &r, NULL, &t);
        if (st) {
            o->failed = i;
            return st;
        }
        if (t < 0)
            note_undecided(s, i);
        o->keep[i] = t > 0;
        o->kept += t > 0;
    }
    return GPCOV_OK;
}

gpcov_status gpcov_units_select(gpcov_ctx *ctx, const struct gpcov_layer *units,
                                const struct gpcov_select_spec *spec,
                                struct gpcov_selection *out)
{
    struct selecting s = {.u = units, .spec = spec, .out = out};
    memset(out, 0, sizeof *out);
    out->failed = (size_t)-1;
    gpcov_status st = join_maps(ctx, &s);
    if (!st && !(st = parse(ctx, &s)))
        st = decide(ctx, &s);
    if (out->unknown) /* it points into s.e, freed below */
        snprintf(out->unknown_buf, sizeof out->unknown_buf, "%s", out->unknown),
            out->unknown = out->unknown_buf;
    for (size_t k = 0; s.maps && k < spec->njoins; k++)
        gpcov_strmap_clear(&s.maps[k]);
    free(s.maps);
    gpcov_expr_free(s.e);
    return st;
}

void gpcov_selection_free(struct gpcov_selection *sel)
{
    free(sel->keep);
    sel->keep = NULL;
}

/* Drops feature i of l (frees its key, geometry and strings). */
static void drop(gpcov_ctx *ctx, struct gpcov_layer *l, size_t i)
{
    free(l->keys ? l->keys[i] : NULL);
    if (l->geoms && l->geoms[i])
        GEOSGeom_destroy_r(gpcov_ctx_geos(ctx), l->geoms[i]);
    for (size_t f = 0; f < l->nfields; f++)
        free(l->vals[i * l->nfields + f].str);
}

/* Moves feature i of l to place j (j <= i). */
static void move(struct gpcov_layer *l, size_t j, size_t i)
{
    if (j == i)
        return;
    if (l->keys)
        l->keys[j] = l->keys[i];
    if (l->geoms)
        l->geoms[j] = l->geoms[i];
    memcpy(&l->vals[j * l->nfields], &l->vals[i * l->nfields],
           l->nfields * sizeof *l->vals);
}

gpcov_status gpcov_layer_select(gpcov_ctx *ctx, struct gpcov_layer *l, const char *where,
                                const char *src, size_t *undecided)
{
    struct gpcov_select_spec spec = {.where = where, .name_field = -1};
    struct gpcov_selection sel;
    size_t n = l->n;
    if (undecided)
        *undecided = 0;
    gpcov_status st = gpcov_units_select(ctx, l, &spec, &sel);
    if (st == GPCOV_EUSAGE && sel.unknown)
        st = gpcov_err(ctx, st, "%s: --where '%s': unknown field '%s'%s%s%s", src, where,
                       sel.unknown, sel.nearest ? "; did you mean '" : "",
                       sel.nearest ? sel.nearest : "", sel.nearest ? "'?" : "");
    if (!st && !sel.kept)
        st = gpcov_err(ctx, GPCOV_EINPUT,
                       "%s: --where '%s' selects none of the %zu features%s", src, where, n,
                       sel.undecided ? " (some could not be decided: a field it needs is missing)"
                                     : "");
    for (size_t i = 0, j = 0; !st && i < n; i++) {
        if (!sel.keep[i])
            drop(ctx, l, i);
        else
            move(l, j++, i);
    }
    if (!st) {
        l->n = sel.kept;
        if (undecided)
            *undecided = sel.undecided;
    }
    gpcov_selection_free(&sel);
    return st;
}
