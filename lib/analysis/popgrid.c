/*
** popgrid.c: people into the cells of a travel-time grid, from points with
** a count (each point in the cell it falls in) or from a population raster
** (each raster cell in the cell its centre falls in), so that isochrones
** and accessibility count people by the same cells their polygons and
** times are made of.
*/
#include "analysis_internal.h"

#include <gdal.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The cells of population raster src, each added to the cell of g its
** centre falls in (cp), or to *out when outside g. */
static gpcov_status from_raster(gpcov_ctx *ctx, const char *src, const struct gpcov_grid *g,
                                double *cp, double *out)
{
    struct gpcov_grid pg = {0};
    float *v = NULL;
    gpcov_status st = gpcov_raster_read(ctx, src, &pg, &v);
    if (st)
        return st;
    for (int r = 0; r < pg.ny && !st; r++)
        for (int c = 0; c < pg.nx; c++) {
            float p = v[(size_t)r * (size_t)pg.nx + (size_t)c];
            if (isnan(p) || p == 0)
                continue;
            if (p < 0) {
                st = gpcov_err(ctx, GPCOV_EINPUT, "%s: row %d, column %d: population %g is "
                               "negative", src, r + 1, c + 1, p);
                break;
            }
            size_t i;
            if (gpcov_grid_cell(g, pg.gt[0] + (c + 0.5) * pg.gt[1], pg.gt[3] + (r + 0.5) * pg.gt[5],
                        &i) == 0)
                cp[i] += p;
            else
                *out += p;
        }
    free(v);
    gpcov_grid_clear(&pg);
    return st;
}

/* The points of src with their count in field (default "population"),
** each added to the cell of g it falls in (cp), or to *out when outside g. */
static gpcov_status from_points(gpcov_ctx *ctx, const char *src, const char *field,
                                const struct gpcov_grid *g, double *cp, double *out)
{
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_layer_read(ctx, src, NULL, &l);
    if (st)
        return st;
    int f = gpcov_layer_field(l, field ? field : "population");
    if (f < 0) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' with the population", src,
                       field ? field : "population");
        gpcov_layer_free(ctx, l);
        return st;
    }
    for (size_t k = 0; k < l->n; k++) {
        const struct gpcov_value *v = gpcov_layer_value(l, k, (size_t)f);
        double p = v->num, x, y;
        if (v->null)
            continue;
        if (v->str && gpcov_parse_number(v->str, &p) != 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: population '%s' is not a "
                           "number", src, k + 1, v->str);
            break;
        }
        if (p < 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: population %g is negative",
                           src, k + 1, p);
            break;
        }
        if (!l->geoms[k] || GEOSGeomGetX_r(ctx->geos, l->geoms[k], &x) != 1 ||
            GEOSGeomGetY_r(ctx->geos, l->geoms[k], &y) != 1) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: not a point", src, k + 1);
            break;
        }
        size_t i;
        if (gpcov_grid_cell(g, x, y, &i) == 0)
            cp[i] += p;
        else
            *out += p;
    }
    gpcov_layer_free(ctx, l);
    return st;
}

gpcov_status gpcov_population_grid(gpcov_ctx *ctx, const char *src, const char *field,
                                   const struct gpcov_grid *g, double **cell_pop, double *outside)
{
    size_t n = (size_t)g->nx * (size_t)g->ny;
    double *cp = calloc(n ? n : 1, sizeof *cp), out = 0;
    *cell_pop = NULL;
    if (!cp)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_dep_clear(ctx);
    gpcov_status st = gpcov_is_raster(src) ? from_raster(ctx, src, g, cp, &out)
                                           : from_points(ctx, src, field, g, cp, &out);
    if (st) {
        free(cp);
        return st;
    }
    *cell_pop = cp;
    if (outside)
        *outside = out;
    return GPCOV_OK;
}
