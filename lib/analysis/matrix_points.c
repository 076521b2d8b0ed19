/*
** matrix_points.c: the origins and destinations of a travel-time matrix:
** points read as practices are (practices.c: the SOR export, any point
** layer, a CSV with coordinates), or one point per municipality: the
** population-weighted centre of points with a weight (population.gpkg),
** or a point on the surface of each unit's polygons.
*/
#include "gpcov.h"
#include "analysis_internal.h"
#include "matrix_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gpcov_mx_points_clear(struct mx_points *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->id[i]), free(p->name[i]);
    free(p->id), free(p->name), free(p->x), free(p->y);
    memset(p, 0, sizeof *p);
}

static gpcov_status points_alloc(gpcov_ctx *ctx, struct mx_points *p, size_t n)
{
    size_t nn = n ? n : 1;
    p->id = calloc(nn, sizeof *p->id), p->name = calloc(nn, sizeof *p->name);
    p->x = malloc(nn * sizeof *p->x), p->y = malloc(nn * sizeof *p->y);
    if (!p->id || !p->name || !p->x || !p->y)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

static gpcov_status from_practices(gpcov_ctx *ctx, const char *src, const char *id,
                                   const char *name, const struct gpcov_matrix_opts *o,
                                   struct mx_points *p)
{
    struct gpcov_practices_opts po = {.id_field = id, .name_field = name,
                                      .x_field = o->x_field, .y_field = o->y_field,
                                      .srs = o->srs};
    struct gpcov_practices *ps = NULL;
    gpcov_status st = gpcov_practices_read(ctx, src, &po, &ps);
    if (!st)
        st = points_alloc(ctx, p, ps->n);
    for (size_t i = 0; !st && i < ps->n; i++, p->n++) {
        p->id[i] = gpcov_strdup(ps->p[i].id), p->name[i] = gpcov_strdup(ps->p[i].name);
        p->x[i] = ps->p[i].x, p->y[i] = ps->p[i].y;
        if (!p->id[i] || !p->name[i])
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    gpcov_practices_free(ps);
    return st;
}

static int field_of(const struct gpcov_layer *l, const char *given, const char *const *names)
{
    if (given)
        return gpcov_layer_field(l, given);
    for (size_t k = 0; names[k]; k++) {
        int f = gpcov_layer_field(l, names[k]);
        if (f >= 0)
            return f;
    }
    return -1;
}

static const char *const KEY_NAMES[] = {"komkode", "KOMKODE", "kommunekode", "code", NULL};
static const char *const NAME_NAMES[] = {"navn", "name", "KOMNAVN", "komnavn", NULL};
static const char *const WEIGHT_NAMES[] = {"pop", "population", "weight", NULL};

/* Polygons: one point on the surface per unit (features sharing a key
** dissolved into one). */
static gpcov_status on_surface(gpcov_ctx *ctx, const char *src, const char *key,
                               const char *namef, struct mx_points *p)
{
    struct gpcov_read_opts ro = {.key_field = key};
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_layer_read(ctx, src, &ro, &l);
    if (st)
        return st;
    gpcov_layer_sort(l);
    int fn = field_of(l, namef, NAME_NAMES);
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    st = points_alloc(ctx, p, l->n);
    char buf[256];
    for (size_t i = 0; !st && i < l->n; i++, p->n++) {
        GEOSGeometry *pt = l->geoms[i] ? GEOSPointOnSurface_r(h, l->geoms[i]) : NULL;
        if (!pt || GEOSGeomGetX_r(h, pt, &p->x[i]) != 1 || GEOSGeomGetY_r(h, pt, &p->y[i]) != 1)
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: unit '%s': no polygon to take a point on",
                           src, l->keys[i] ? l->keys[i] : "?");
        if (pt)
            GEOSGeom_destroy_r(h, pt);
        p->id[i] = gpcov_strdup(l->keys[i] ? l->keys[i] : "");
        p->name[i] = gpcov_strdup(fn >= 0 ? gpcov_value_text(l, i, fn, buf, sizeof buf) : "");
        if (!st && (!p->id[i] || !p->name[i]))
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    gpcov_layer_free(ctx, l);
    return st;
}

/* Points with a weight: the weighted mean per unit, in the order of the
** units' keys. */
static gpcov_status weighted(gpcov_ctx *ctx, const char *src, struct gpcov_layer *l, int fk,
                             int fw, struct mx_points *p)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    struct gpcov_layer *u = gpcov_layer_new("units");
    gpcov_status st = u ? GPCOV_OK : gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    double *sx = calloc(l->n + 1, sizeof *sx), *sy = calloc(l->n + 1, sizeof *sy);
    double *sw = calloc(l->n + 1, sizeof *sw);
    long *of = malloc((l->n + 1) * sizeof *of);
    if (!st && (!sx || !sy || !sw || !of))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    char key[64], buf[64];
    for (size_t i = 0; !st && i < l->n; i++) {
        double x, y, w = gpcov_layer_value(l, i, (size_t)fw)->num;
        if (gpcov_key_normalise(gpcov_value_text(l, i, fk, buf, sizeof buf), key, sizeof key))
            snprintf(key, sizeof key, "%s", buf);
        if (gpcov_layer_value(l, i, (size_t)fw)->null || !(w >= 0) || !l->geoms[i] ||
            GEOSGeomGetX_r(h, l->geoms[i], &x) != 1 || GEOSGeomGetY_r(h, l->geoms[i], &y) != 1) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: %s", src, i + 1,
                           l->geoms[i] ? "no weight of 0 or more" : "no point");
            break;
        }
        long k = 0;
        while ((size_t)k < u->n && strcmp(u->keys[k], key))
            k++;
        if ((size_t)k == u->n && gpcov_layer_append(ctx, u, key, NULL) < 0)
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        sx[k] += w * x, sy[k] += w * y, sw[k] += w;
    }
    for (size_t k = 0; u && k < u->n; k++)
        of[k] = (long)k;
    if (!st)
        st = points_alloc(ctx, p, u->n);
    for (size_t k = 0; !st && k < u->n; k++, p->n++) {
        if (!(sw[of[k]] > 0))
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: unit '%s': no people to weight by", src,
                           u->keys[k]);
        p->id[k] = gpcov_strdup(u->keys[k]), p->name[k] = gpcov_strdup("");
        p->x[k] = sx[of[k]] / sw[of[k]], p->y[k] = sy[of[k]] / sw[of[k]];
    }
    free(sx), free(sy), free(sw), free(of);
    gpcov_layer_free(ctx, u);
    return st;
}

static const struct mx_points *sorting; /* the points by_id compares */

static int by_id(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sorting->id[i], sorting->id[j]);
    return c ? c : (i > j) - (i < j);
}

/* The points in the order of their ids (codes: "0101" before "0147"). */
static gpcov_status sort_points(gpcov_ctx *ctx, struct mx_points *p)
{
    size_t *ix = malloc((p->n ? p->n : 1) * sizeof *ix);
    struct mx_points q = {0};
    if (!ix || points_alloc(ctx, &q, p->n)) {
        free(ix), gpcov_mx_points_clear(&q);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < p->n; i++)
        ix[i] = i;
    sorting = p;
    qsort(ix, p->n, sizeof *ix, by_id);
    for (size_t i = 0; i < p->n; i++) {
        q.id[i] = p->id[ix[i]], q.name[i] = p->name[ix[i]];
        q.x[i] = p->x[ix[i]], q.y[i] = p->y[ix[i]];
    }
    q.n = p->n;
    free(p->id), free(p->name), free(p->x), free(p->y), free(ix);
    *p = q;
    return GPCOV_OK;
}

/* One point per unit of src: weighted points or polygons. */
static gpcov_status centroids(gpcov_ctx *ctx, const char *src, const struct gpcov_matrix_opts *o,
                              struct mx_points *p)
{
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_layer_read(ctx, src, NULL, &l);
    if (st)
        return st;
    int fk = field_of(l, o->centroid_key, KEY_NAMES);
    int fw = field_of(l, o->centroid_weight, WEIGHT_NAMES);
    int pts = l->n && l->geoms[0] &&
              GEOSGeomTypeId_r(gpcov_ctx_geos(ctx), l->geoms[0]) == GEOS_POINT;
    if (fk < 0)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no unit field '%s' (--centroid-key)", src,
                       o->centroid_key ? o->centroid_key : "komkode");
    else if (pts && fw < 0)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: points but no weight field '%s' "
                       "(--centroid-weight)", src, o->centroid_weight ? o->centroid_weight : "pop");
    else if (!l->n)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no features", src);
    else if (pts)
        st = weighted(ctx, src, l, fk, fw, p);
    else
        st = on_surface(ctx, src, l->fields[fk].name, o->centroid_name, p);
    gpcov_layer_free(ctx, l);
    return st ? st : sort_points(ctx, p);
}

gpcov_status gpcov_mx_points_read(gpcov_ctx *ctx, const struct gpcov_matrix_opts *o, int dest,
                                  struct mx_points *p)
{
    const char *pts = dest ? o->destinations : o->origins;
    const char *cen = dest ? o->destinations_centroids : o->origins_centroids;
    const char *side = dest ? "destinations" : "origins";
    memset(p, 0, sizeof *p);
    if ((pts != NULL) == (cen != NULL))
        return gpcov_err(ctx, GPCOV_EUSAGE, "give the %s as points or as centroids, one of "
                         "the two", side);
    gpcov_status st = pts ? from_practices(ctx, pts, dest ? o->destination_id : o->origin_id,
                                           dest ? o->destination_name : o->origin_name, o, p)
                          : centroids(ctx, cen, o, p);
    if (!st && !p->n)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no %s", pts ? pts : cen, side);
    if (st)
        gpcov_mx_points_clear(p);
    return st;
}
