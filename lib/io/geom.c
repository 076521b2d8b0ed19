/*
** geom.c: geometries cross between OGR (what files hold) and GEOS (what we
** compute with) as WKB, the one representation both speak exactly.
*/
#include "io_internal.h"

#include <ogr_api.h>
#include <stdlib.h>

GEOSGeometry *gpcov_ogr_to_geos(gpcov_ctx *ctx, void *ogr_geom)
{
    OGRGeometryH g = ogr_geom;
    int n = OGR_G_WkbSize(g);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf)
        return NULL;
    if (OGR_G_ExportToIsoWkb(g, wkbNDR, buf) != OGRERR_NONE) {
        free(buf);
        return NULL;
    }
    GEOSWKBReader *r = GEOSWKBReader_create_r(ctx->geos);
    GEOSGeometry *out = r ? GEOSWKBReader_read_r(ctx->geos, r, buf, (size_t)n)
                          : NULL;
    if (r)
        GEOSWKBReader_destroy_r(ctx->geos, r);
    free(buf);
    return out;
}

void *gpcov_geos_to_ogr(gpcov_ctx *ctx, const GEOSGeometry *g)
{
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(ctx->geos);
    if (!w)
        return NULL;
    GEOSWKBWriter_setOutputDimension_r(ctx->geos, w, 2);
    size_t n = 0;
    unsigned char *buf = GEOSWKBWriter_write_r(ctx->geos, w, g, &n);
    GEOSWKBWriter_destroy_r(ctx->geos, w);
    if (!buf)
        return NULL;
    OGRGeometryH out = NULL;
    if (OGR_G_CreateFromWkbEx(buf, NULL, &out, n) != OGRERR_NONE)
        out = NULL;
    GEOSFree_r(ctx->geos, buf);
    return out;
}
