/*
** overlay_regions.c: the region of each municipality beside its code.
** With --regions (e.g. shapefiles/regioner.shp), the overlay's output gets
** regionkode and regionnavn (GPCOV_REGION_KEY_FIELD, _NAME_FIELD) after
** the key, name and kept fields: the region whose polygon holds the
** municipality's interior point (GEOSPointOnSurface), so the region is the
** one drawn on the maps.  A municipality in no region (Christiansø, which
** the state administers) keeps both empty, and a notice names it.
*/
#include "analysis_internal.h"

#include <stdlib.h>
#include <string.h>

/* The regions, keyed by their code field, with their name field's index. */
static gpcov_status read_regions(gpcov_ctx *ctx, const struct gpcov_overlay_spec *s,
                                 struct gpcov_layer **rl, int *fname)
{
    const char *kf = s->regions_key ? s->regions_key : "code";
    const char *nf = s->regions_name ? s->regions_name : "name";
    struct gpcov_read_opts ro = {.key_field = kf};
    gpcov_status st = gpcov_layer_read(ctx, s->regions, &ro, rl);
    if (st)
        return st;
    if ((*fname = gpcov_layer_field(*rl, nf)) < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' with the regions' names "
                         "(--regions-name)", s->regions, nf);
    return GPCOV_OK;
}

/* The interior point of each feature of out (NULL where it has no
** geometry), as a layer of points. */
static gpcov_status interior_points(gpcov_ctx *ctx, const struct gpcov_layer *out,
                                    struct gpcov_layer **pts)
{
    if (!(*pts = gpcov_layer_new("interior")))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < out->n; i++) {
        GEOSGeometry *p = out->geoms[i] ? GEOSPointOnSurface_r(ctx->geos, out->geoms[i]) : NULL;
        if (out->geoms[i] && !p)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: no interior point: %s", out->keys[i],
                             gpcov_dep_error(ctx));
        if (gpcov_layer_append(ctx, *pts, NULL, p) < 0)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    return GPCOV_OK;
}

/* Sets feature i's region fields (rk, rn) from region r of rl, or says it
** has none. */
static gpcov_status set_region(gpcov_ctx *ctx, const struct gpcov_overlay_spec *s,
                               struct gpcov_layer *out, size_t i, const int f[2],
                               const struct gpcov_layer *rl, long r, int fname)
{
    if (r < 0) {
        gpcov_notice(ctx, "%s: %s lies in no region of %s; %s and %s left empty",
                     s->polygons, out->keys[i] ? out->keys[i] : "a unit", s->regions,
                     GPCOV_REGION_KEY_FIELD, GPCOV_REGION_NAME_FIELD);
        return GPCOV_OK;
    }
    const struct gpcov_value *nm = gpcov_layer_value(rl, (size_t)r, (size_t)fname);
    gpcov_status st = gpcov_layer_set_str(ctx, out, i, (size_t)f[0], rl->keys[r]);
    if (!st && !nm->null)
        st = gpcov_layer_set_str(ctx, out, i, (size_t)f[1], nm->str);
    return st;
}

gpcov_status gpcov_overlay_regions(gpcov_ctx *ctx, const struct gpcov_overlay_spec *s,
                                   struct gpcov_layer *out)
{
    struct gpcov_layer *rl = NULL, *pts = NULL;
    long *in = NULL;
    int fname = -1, f[2];
    gpcov_status st = read_regions(ctx, s, &rl, &fname);
    if (!st)
        st = interior_points(ctx, out, &pts);
    if (!st && !(in = calloc(out->n ? out->n : 1, sizeof *in)))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (!st)
        st = gpcov_points_in_polygons(ctx, rl, pts, 0, in);
    if (!st && ((f[0] = gpcov_layer_add_field(ctx, out, GPCOV_REGION_KEY_FIELD, GPCOV_STR)) < 0 ||
                (f[1] = gpcov_layer_add_field(ctx, out, GPCOV_REGION_NAME_FIELD, GPCOV_STR)) < 0))
        st = GPCOV_EUSAGE; /* the message says the field exists or memory ran out */
    for (size_t i = 0; i < out->n && !st; i++)
        if (out->geoms[i])
            st = set_region(ctx, s, out, i, f, rl, in[i], fname);
    free(in);
    gpcov_layer_free(ctx, pts);
    gpcov_layer_free(ctx, rl);
    return st;
}
