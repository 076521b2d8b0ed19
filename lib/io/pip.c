/*
** pip.c: which polygon each point lies in.  An STRtree over the polygons'
** envelopes and prepared geometries answer the point-in-polygon test; a
** point on a shared border goes to the polygon first in the layer, and a
** point that a generalised coastline leaves at sea goes to the nearest
** polygon within a snap distance.  Used by the overlay (points joined to
** municipalities) and by population (places spread within municipalities).
*/
#include "io_internal.h"

#include <math.h>
#include <stdlib.h>

struct hits {
    size_t *idx;
    size_t n, cap;
    int oom;
};

static void collect(void *item, void *user)
{
    struct hits *h = user;
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        size_t *v = realloc(h->idx, cap * sizeof *v);
        if (!v) {
            h->oom = 1;
            return;
        }
        h->idx = v;
        h->cap = cap;
    }
    h->idx[h->n++] = *(size_t *)item;
}

gpcov_status gpcov_points_in_polygons(gpcov_ctx *ctx, const struct gpcov_layer *polys,
                                      const struct gpcov_layer *pts, double snap, long *poly_of)
{
    GEOSContextHandle_t h = ctx->geos;
    size_t n = polys->n;
    const GEOSPreparedGeometry **prep = calloc(n ? n : 1, sizeof *prep);
    size_t *ids = calloc(n ? n : 1, sizeof *ids);
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    struct hits hits = {0};
    gpcov_status st = GPCOV_OK;
    if (!prep || !ids || !tree) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        ids[i] = i;
        if (!polys->geoms[i])
            continue;
        prep[i] = GEOSPrepare_r(h, polys->geoms[i]);
        GEOSSTRtree_insert_r(h, tree, polys->geoms[i], &ids[i]);
    }
    for (size_t j = 0; j < pts->n; j++) {
        const GEOSGeometry *g = pts->geoms[j];
        poly_of[j] = -1;
        if (!g)
            continue;
        hits.n = 0;
        GEOSSTRtree_query_r(h, tree, g, collect, &hits);
        if (hits.oom) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            goto done;
        }
        /* the lowest index wins on a border: sort the few candidates */
        for (size_t a = 1; a < hits.n; a++)
            for (size_t b = a; b > 0 && hits.idx[b - 1] > hits.idx[b]; b--) {
                size_t x = hits.idx[b];
                hits.idx[b] = hits.idx[b - 1];
                hits.idx[b - 1] = x;
            }
        for (size_t k = 0; k < hits.n && poly_of[j] < 0; k++)
            if (GEOSPreparedIntersects_r(h, prep[hits.idx[k]], g) == 1)
                poly_of[j] = (long)hits.idx[k];
        if (poly_of[j] < 0 && snap > 0) {
            double best = snap;
            for (size_t i = 0; i < n; i++) {
                double d;
                if (polys->geoms[i] && GEOSDistance_r(h, polys->geoms[i], g, &d) == 1 &&
                    d <= best) {
                    best = d;
                    poly_of[j] = (long)i;
                }
            }
        }
        if ((j & 0xFFFF) == 0xFFFF &&
            (st = gpcov_progress(ctx, (double)j / (double)pts->n, "points in polygons")))
            goto done;
    }
done:
    free(hits.idx);
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    for (size_t i = 0; prep && i < n; i++)
        if (prep[i])
            GEOSPreparedGeom_destroy_r(h, prep[i]);
    free(prep);
    free(ids);
    return st;
}
