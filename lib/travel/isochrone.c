/*
** isochrone.c: travel-time grids into polygons.  For each limit the cells
** within it form a mask that GDALPolygonize turns into polygons along the
** cell edges.  Because the mask of 30 minutes is a subset of the mask of 60
** minutes and both follow the same cell edges, the 30-minute polygon lies
** inside the 60-minute one by construction, with no slivers between them
** and no smoothing to undo that.  Population inside a limit is the sum over
** the cells the polygon is made of (people are put into cells by
** population.c), the same test the polygon makes.
*/
#include "travel_internal.h"

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <math.h>
#include <ogr_api.h>
#include <stdlib.h>
#include <string.h>

struct gpcov_layer *gpcov_isochrone_layer(gpcov_ctx *ctx, int with_population)
{
    struct gpcov_layer *l = gpcov_layer_new("isochrones");
    if (!l || gpcov_layer_add_field(ctx, l, "source", GPCOV_STR) < 0 ||
        gpcov_layer_add_field(ctx, l, "minutes", GPCOV_REAL) < 0 ||
        gpcov_layer_add_field(ctx, l, "area_km2", GPCOV_REAL) < 0 ||
        (with_population && gpcov_layer_add_field(ctx, l, "population", GPCOV_REAL) < 0)) {
        gpcov_layer_free(ctx, l);
        gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        return NULL;
    }
    return l;
}

/* mask into the MEM raster ds, its polygons of 1 into a new layer of the
** memory dataset vds (*lyr). */
static gpcov_status mask_to_layer(gpcov_ctx *ctx, GDALDatasetH ds, GDALDatasetH vds,
                                  const unsigned char *mask, int nx, int ny, const double gt[6],
                                  OGRLayerH *lyr)
{
    GDALSetGeoTransform(ds, (double *)gt);
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    if (GDALRasterIO(band, GF_Write, 0, 0, nx, ny, (void *)mask, nx, ny, GDT_Byte, 0, 0) !=
        CE_None)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot fill the mask: %s", gpcov_dep_error(ctx));
    *lyr = GDALDatasetCreateLayer(vds, "mask", NULL, wkbPolygon, NULL);
    OGRFieldDefnH fd = OGR_Fld_Create("v", OFTInteger);
    if (!*lyr || OGR_L_CreateField(*lyr, fd, 0) != OGRERR_NONE) {
        OGR_Fld_Destroy(fd);
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot make a memory layer");
    }
    OGR_Fld_Destroy(fd);
    /* the band is its own mask: only cells with 1 become polygons */
    if (GDALPolygonize(band, band, *lyr, 0, NULL, NULL, NULL) != CE_None)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "polygonize failed: %s", gpcov_dep_error(ctx));
    return GPCOV_OK;
}

/* The layer's polygons as GEOS geometries appended to *parts (the caller
** frees them, also on error). */
static gpcov_status read_parts(gpcov_ctx *ctx, OGRLayerH lyr, GEOSGeometry ***parts,
                               size_t *nparts)
{
    size_t cap = 0;
    OGRFeatureH f;
    OGR_L_ResetReading(lyr);
    while ((f = OGR_L_GetNextFeature(lyr))) {
        GEOSGeometry *g = gpcov_ogr_to_geos(ctx, OGR_F_GetGeometryRef(f));
        OGR_F_Destroy(f);
        if (!g)
            return gpcov_err(ctx, GPCOV_EINTERNAL, "polygon conversion failed");
        if (*nparts == cap) {
            cap = cap ? cap * 2 : 64;
            GEOSGeometry **p = realloc(*parts, cap * sizeof *p);
            if (!p) {
                GEOSGeom_destroy_r(ctx->geos, g);
                return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            }
            *parts = p;
        }
        (*parts)[(*nparts)++] = g;
    }
    return GPCOV_OK;
}

/* The parts (taken over) as one valid MultiPolygon in *out. */
static gpcov_status collect_parts(gpcov_ctx *ctx, GEOSGeometry **parts, size_t nparts,
                                  GEOSGeometry **out)
{
    GEOSContextHandle_t h = ctx->geos;
    /* polygonized regions share edges but never overlap: a collection of
    ** them is a valid MultiPolygon (regions meeting at a corner are
    ** separate polygons under 4-connectivity) */
    *out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)nparts);
    if (!*out)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot collect polygons: %s", gpcov_dep_error(ctx));
    if (GEOSisValid_r(h, *out) != 1) {
        GEOSGeometry *v = GEOSMakeValid_r(h, *out);
        GEOSGeom_destroy_r(h, *out);
        *out = v;
        if (!v)
            return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot repair isochrone polygon");
    }
    return GPCOV_OK;
}

/* The polygons of mask==1 as one GEOS MultiPolygon (empty when none). */
static gpcov_status polygonize(gpcov_ctx *ctx, const unsigned char *mask, int nx, int ny,
                               const double gt[6], GEOSGeometry **out)
{
    *out = NULL;
    GDALDriverH mem = GDALGetDriverByName("MEM");
    GDALDriverH omem = GDALGetDriverByName("Memory");
    if (!mem || !omem)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "GDAL has no MEM or Memory driver");
    GDALDatasetH ds = GDALCreate(mem, "", nx, ny, 1, GDT_Byte, NULL);
    GDALDatasetH vds = GDALCreate(omem, "", 0, 0, 0, GDT_Unknown, NULL);
    gpcov_status st = GPCOV_OK;
    GEOSGeometry **parts = NULL;
    size_t nparts = 0;
    OGRLayerH lyr = NULL;
    if (!ds || !vds)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    else if (!(st = mask_to_layer(ctx, ds, vds, mask, nx, ny, gt, &lyr)) &&
             !(st = read_parts(ctx, lyr, &parts, &nparts))) {
        st = collect_parts(ctx, parts, nparts, out);
        nparts = 0;
    }
    for (size_t i = 0; i < nparts; i++)
        GEOSGeom_destroy_r(ctx->geos, parts[i]);
    free(parts);
    if (ds)
        GDALClose(ds);
    if (vds)
        GDALClose(vds);
    return st;
}

gpcov_status gpcov_isochrones(gpcov_ctx *ctx, const float *minutes, int nx, int ny,
                              const double gt[6], const double *levels, size_t nlevels,
                              const char *source, const double *cell_pop,
                              struct gpcov_layer *out)
{
    if (gt[2] != 0 || gt[4] != 0 || gt[1] <= 0 || gt[5] >= 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "the travel-time grid must be north-up, without rotation");
    for (size_t k = 0; k < nlevels; k++)
        if (!(levels[k] > 0) || (k && levels[k] <= levels[k - 1]))
            return gpcov_err(ctx, GPCOV_EUSAGE, "limits must be positive and ascending (%g)",
                             levels[k]);
    double *popsum = calloc(nlevels ? nlevels : 1, sizeof *popsum);
    unsigned char *mask = malloc((size_t)nx * (size_t)ny);
    if (!popsum || !mask) {
        free(popsum);
        free(mask);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    /* people within each limit: the cells the polygon is made of */
    for (size_t i = 0; cell_pop && i < (size_t)nx * (size_t)ny; i++) {
        float t = minutes[i];
        if (!isfinite(t) || !(cell_pop[i] > 0))
            continue;
        for (size_t k = 0; k < nlevels; k++)
            if (t <= levels[k])
                popsum[k] += cell_pop[i];
    }
    gpcov_status st = GPCOV_OK;
    int fs = gpcov_layer_field(out, "source"), fm = gpcov_layer_field(out, "minutes"),
        fa = gpcov_layer_field(out, "area_km2"), fp = gpcov_layer_field(out, "population");
    for (size_t k = 0; k < nlevels && !st; k++) {
        size_t n = (size_t)nx * (size_t)ny, any = 0;
        for (size_t i = 0; i < n; i++) {
            mask[i] = isfinite(minutes[i]) && minutes[i] <= levels[k];
            any += mask[i];
        }
        GEOSGeometry *g = NULL;
        if (any)
            st = polygonize(ctx, mask, nx, ny, gt, &g);
        else
            g = GEOSGeom_createEmptyCollection_r(ctx->geos, GEOS_MULTIPOLYGON);
        if (st)
            break;
        double area = 0;
        GEOSArea_r(ctx->geos, g, &area);
        long i = gpcov_layer_append(ctx, out, source, g);
        if (i < 0) {
            st = GPCOV_ENOMEM;
            break;
        }
        if ((st = gpcov_layer_set_str(ctx, out, (size_t)i, (size_t)fs, source ? source : "")))
            break;
        gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)fm, levels[k]);
        gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)fa, area / 1e6);
        if (cell_pop && fp >= 0)
            gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)fp, popsum[k]);
        st = gpcov_progress(ctx, (double)(k + 1) / (double)nlevels, "isochrones");
    }
    free(popsum);
    free(mask);
    return st;
}
