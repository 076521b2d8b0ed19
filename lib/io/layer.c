/*
** layer.c: the in-memory vector layer every command works on: features
** with an optional key and a GEOS geometry in EPSG:25832, and a table of
** typed, nullable attribute values (any one as text: gpcov_value_text).
** Reading files is io.c's, writing them io_write.c's.
*/
#include "io_internal.h"

#include <cpl_string.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct gpcov_layer *gpcov_layer_new(const char *name)
{
    struct gpcov_layer *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->name = gpcov_strdup(name ? name : "layer");
    if (!l->name) {
        free(l);
        return NULL;
    }
    return l;
}

void gpcov_layer_free(gpcov_ctx *ctx, struct gpcov_layer *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->keys[i]);
        if (l->geoms[i])
            GEOSGeom_destroy_r(ctx->geos, l->geoms[i]);
        for (size_t f = 0; f < l->nfields; f++)
            free(l->vals[i * l->nfields + f].str);
    }
    for (size_t f = 0; f < l->nfields; f++)
        free(l->fields[f].name);
    free(l->keys);
    free(l->geoms);
    free(l->vals);
    free(l->fields);
    free(l->name);
    CSLDestroy(l->metadata);
    free(l);
}

int gpcov_layer_field(const struct gpcov_layer *l, const char *name)
{
    for (size_t f = 0; f < l->nfields; f++)
        if (!strcmp(l->fields[f].name, name))
            return (int)f;
    return -1;
}

int gpcov_layer_add_field(gpcov_ctx *ctx, struct gpcov_layer *l,
                          const char *name, enum gpcov_ftype type)
{
    if (gpcov_layer_field(l, name) >= 0) {
        gpcov_err(ctx, GPCOV_EUSAGE, "field '%s' is declared twice", name);
        return -1;
    }
    size_t nf = l->nfields + 1;
    struct gpcov_field *fields = realloc(l->fields, nf * sizeof *fields);
    if (!fields)
        goto nomem;
    l->fields = fields;
    struct gpcov_value *vals = NULL;
    if (l->cap) {
        vals = calloc(l->cap * nf, sizeof *vals);
        if (!vals)
            goto nomem;
        for (size_t i = 0; i < l->n; i++) {
            if (l->nfields) /* no old values (and no array) before the first field */
                memcpy(&vals[i * nf], &l->vals[i * l->nfields],
                       l->nfields * sizeof *vals);
            vals[i * nf + l->nfields].null = 1;
        }
        free(l->vals);
        l->vals = vals;
    }
    fields[l->nfields].name = gpcov_strdup(name);
    fields[l->nfields].type = type;
    if (!fields[l->nfields].name)
        goto nomem;
    l->nfields = nf;
    return (int)(nf - 1);
nomem:
    gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return -1;
}

long gpcov_layer_append(gpcov_ctx *ctx, struct gpcov_layer *l, const char *key,
                        GEOSGeometry *geom)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **keys = realloc(l->keys, cap * sizeof *keys);
        if (keys)
            l->keys = keys;
        GEOSGeometry **geoms = realloc(l->geoms, cap * sizeof *geoms);
        if (geoms)
            l->geoms = geoms;
        struct gpcov_value *vals =
            l->nfields ? realloc(l->vals, cap * l->nfields * sizeof *vals)
                       : l->vals;
        if (vals)
            l->vals = vals;
        if (!keys || !geoms || (l->nfields && !vals)) {
            gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            return -1;
        }
        l->cap = cap;
    }
    char *k = NULL;
    if (key && !(k = gpcov_strdup(key))) {
        gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        return -1;
    }
    size_t i = l->n++;
    l->keys[i] = k;
    l->geoms[i] = geom;
    for (size_t f = 0; f < l->nfields; f++) {
        struct gpcov_value *v = &l->vals[i * l->nfields + f];
        memset(v, 0, sizeof *v);
        v->null = 1;
    }
    return (long)i;
}

struct gpcov_value *gpcov_layer_value(const struct gpcov_layer *l, size_t i,
                                      size_t f)
{
    return &l->vals[i * l->nfields + f];
}

gpcov_status gpcov_layer_set_num(gpcov_ctx *ctx, struct gpcov_layer *l,
                                 size_t i, size_t f, double v)
{
    (void)ctx;
    struct gpcov_value *c = gpcov_layer_value(l, i, f);
    free(c->str);
    c->str = NULL;
    c->null = 0;
    c->num = v;
    return GPCOV_OK;
}

gpcov_status gpcov_layer_set_str(gpcov_ctx *ctx, struct gpcov_layer *l,
                                 size_t i, size_t f, const char *s)
{
    struct gpcov_value *c = gpcov_layer_value(l, i, f);
    char *d = NULL;
    if (s && !(d = gpcov_strdup(s)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    free(c->str);
    c->str = d;
    c->null = s == NULL;
    c->num = 0;
    return GPCOV_OK;
}

void gpcov_layer_set_null(struct gpcov_layer *l, size_t i, size_t f)
{
    struct gpcov_value *c = gpcov_layer_value(l, i, f);
    free(c->str);
    c->str = NULL;
    c->null = 1;
    c->num = 0;
}

gpcov_status gpcov_layer_set_num_or_null(gpcov_ctx *ctx, struct gpcov_layer *l, size_t i,
                                         size_t f, double v)
{
    if (isnan(v)) {
        gpcov_layer_set_null(l, i, f);
        return GPCOV_OK;
    }
    return gpcov_layer_set_num(ctx, l, i, f, v);
}

struct gpcov_layer *gpcov_layer_new_fields(gpcov_ctx *ctx, const char *name, size_t n,
                                           const char *const *names,
                                           const enum gpcov_ftype *types, int *f)
{
    struct gpcov_layer *l = gpcov_layer_new(name);
    for (size_t k = 0; l && k < n; k++)
        if ((f[k] = gpcov_layer_add_field(ctx, l, names[k], types[k])) < 0) {
            gpcov_layer_free(ctx, l);
            return NULL;
        }
    return l;
}

const char *gpcov_value_text(const struct gpcov_layer *l, size_t i, int f, char *buf, size_t n)
{
    const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
    if (!n)
        return buf;
    if (v->null)
        buf[0] = 0;
    else if (l->fields[f].type == GPCOV_STR)
        snprintf(buf, n, "%s", v->str ? v->str : "");
    else
        snprintf(buf, n, "%.15g", v->num);
    return buf;
}

/* sort: a permutation by key, then applied to the three arrays */
static const struct gpcov_layer *sort_layer;

static int by_key(const void *a, const void *b)
{
    const char *ka = sort_layer->keys[*(const size_t *)a];
    const char *kb = sort_layer->keys[*(const size_t *)b];
    if (!ka || !kb) {
        if (ka != kb)
            return ka ? -1 : 1;
    } else {
        int c = strcmp(ka, kb);
        if (c)
            return c;
    }
    size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
    return ia < ib ? -1 : ia > ib;
}

void gpcov_layer_sort(struct gpcov_layer *l)
{
    if (l->n < 2)
        return;
    size_t *perm = malloc(l->n * sizeof *perm);
    char **keys = malloc(l->n * sizeof *keys);
    GEOSGeometry **geoms = malloc(l->n * sizeof *geoms);
    struct gpcov_value *vals =
        l->nfields ? malloc(l->n * l->nfields * sizeof *vals) : NULL;
    if (!perm || !keys || !geoms || (l->nfields && !vals)) {
        free(perm), free(keys), free(geoms), free(vals);
        return; /* left unsorted: only order is lost, never data */
    }
    for (size_t i = 0; i < l->n; i++)
        perm[i] = i;
    sort_layer = l;
    qsort(perm, l->n, sizeof *perm, by_key);
    for (size_t i = 0; i < l->n; i++) {
        keys[i] = l->keys[perm[i]];
        geoms[i] = l->geoms[perm[i]];
        if (l->nfields)
            memcpy(&vals[i * l->nfields], &l->vals[perm[i] * l->nfields],
                   l->nfields * sizeof *vals);
    }
    memcpy(l->keys, keys, l->n * sizeof *keys);
    memcpy(l->geoms, geoms, l->n * sizeof *geoms);
    if (l->nfields)
        memcpy(l->vals, vals, l->n * l->nfields * sizeof *vals);
    free(perm), free(keys), free(geoms), free(vals);
}

int gpcov_layer_lookup(void *user, const char *name, struct gpcov_value *out)
{
    const struct gpcov_feature *ft = user;
    int f = gpcov_layer_field(ft->l, name);
    if (f < 0)
        return -1;
    *out = *gpcov_layer_value(ft->l, ft->i, (size_t)f);
    return 0;
}

gpcov_status gpcov_layer_set_meta(gpcov_ctx *ctx, struct gpcov_layer *l,
                                  const char *key, const char *value)
{
    l->metadata = CSLSetNameValue(l->metadata, key, value);
    if (!l->metadata)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

gpcov_status gpcov_layer_set_meta_list(gpcov_ctx *ctx, struct gpcov_layer *l, char **md)
{
    gpcov_status st = GPCOV_OK;
    for (char **p = md; p && *p && !st; p++) {
        const char *eq = strchr(*p, '=');
        char key[64];
        if (!eq)
            continue;
        snprintf(key, sizeof key, "%.*s", (int)(eq - *p), *p);
        st = gpcov_layer_set_meta(ctx, l, key, eq + 1);
    }
    return st;
}
