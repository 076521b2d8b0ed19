/*
** io.c: layers in and out of files through OGR.  Reading opens any vector
** source GDAL knows, reprojects to the working CRS EPSG:25832 with PROJ,
** drops Z, repairs invalid polygons with GEOSMakeValid and, when asked,
** dissolves the features that share a key (the DAGI municipalities come as
** one feature per island part).  Writing picks the driver by extension,
** writes GeoJSON as RFC 7946, and goes through atomic.c (files) or pg.c
** (PostGIS tables, one transaction) so an output appears whole or not at
** all.
*/
#include "gpcov_internal.h"

#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ read */

static OGRSpatialReferenceH working_srs(void)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(s, GPCOV_WORKING_EPSG);
    OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

static enum gpcov_ftype map_type(OGRFieldDefnH fd)
{
    switch (OGR_Fld_GetType(fd)) {
    case OFTInteger:
        return OGR_Fld_GetSubType(fd) == OFSTBoolean ? GPCOV_BOOL : GPCOV_INT;
    case OFTInteger64: return GPCOV_INT;
    case OFTReal: return GPCOV_REAL;
    default: return GPCOV_STR;
    }
}

/* The polygonal part of g as a valid MultiPolygon (takes g). */
static GEOSGeometry *as_multipolygon(gpcov_ctx *ctx, GEOSGeometry *g)
{
    GEOSContextHandle_t h = ctx->geos;
    if (GEOSisValid_r(h, g) != 1) {
        GEOSGeometry *v = GEOSMakeValid_r(h, g);
        GEOSGeom_destroy_r(h, g);
        if (!v)
            return NULL;
        g = v;
    }
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_MULTIPOLYGON)
        return g;
    if (t == GEOS_POLYGON) {
        GEOSGeometry *parts[1] = {g};
        return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, 1);
    }
    /* a repaired polygon may come back as a collection: keep its polygons */
    int n = GEOSGetNumGeometries_r(h, g);
    GEOSGeometry **parts = malloc((size_t)(n > 0 ? n : 1) * sizeof *parts);
    int k = 0;
    for (int i = 0; parts && i < n; i++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
        int pt = GEOSGeomTypeId_r(h, p);
        if (pt == GEOS_POLYGON)
            parts[k++] = GEOSGeom_clone_r(h, p);
        else if (pt == GEOS_MULTIPOLYGON)
            for (int j = 0; j < GEOSGetNumGeometries_r(h, p); j++)
                parts[k++] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, p, j));
    }
    GEOSGeom_destroy_r(h, g);
    GEOSGeometry *m = parts ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON,
                                                          parts, (unsigned)k)
                            : NULL;
    free(parts);
    return m;
}

/* Unions the features gathered under one key into one MultiPolygon. */
static GEOSGeometry *dissolve_parts(gpcov_ctx *ctx, GEOSGeometry **parts,
                                    size_t n)
{
    GEOSContextHandle_t h = ctx->geos;
    if (n == 1)
        return parts[0];
    GEOSGeometry *coll =
        GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
                                    (unsigned)n);
    if (!coll)
        return NULL;
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    GEOSGeom_destroy_r(h, coll);
    return u ? as_multipolygon(ctx, u) : NULL;
}

struct reader {
    gpcov_ctx *ctx;
    const char *src;
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRCoordinateTransformationH ct;
    OGRSpatialReferenceH from, to;
    char *utf8; /* a UTF-8 copy of a Windows-1252 CSV (textcheck.c) */
};

static void reader_close(struct reader *r)
{
    if (r->ct)
        OCTDestroyCoordinateTransformation(r->ct);
    if (r->from)
        OSRDestroySpatialReference(r->from);
    if (r->to)
        OSRDestroySpatialReference(r->to);
    if (r->ds)
        GDALClose(r->ds);
    if (r->utf8) {
        VSIUnlink(r->utf8);
        free(r->utf8);
    }
}

static gpcov_status reader_open(struct reader *r,
                                const struct gpcov_read_opts *o)
{
    gpcov_ctx *ctx = r->ctx;
    char **oo = NULL;
    char ext[16];
    gpcov_path_ext(r->src, ext, sizeof ext);
    const char *srs = o->srs;
    if (o->x_field && o->y_field) {
        oo = CSLSetNameValue(oo, "X_POSSIBLE_NAMES", o->x_field);
        oo = CSLSetNameValue(oo, "Y_POSSIBLE_NAMES", o->y_field);
    } else if (!strcmp(ext, "csv")) {
        /* a table of places: lon/lat columns are points in WGS84 */
        oo = CSLSetNameValue(oo, "X_POSSIBLE_NAMES", "lon,longitude");
        oo = CSLSetNameValue(oo, "Y_POSSIBLE_NAMES", "lat,latitude");
        if (!srs)
            srs = "EPSG:4326";
    }
    if (!strcmp(ext, "csv")) /* keep "0101" a string, not the number 101 */
        oo = CSLSetNameValue(oo, "AUTODETECT_TYPE", "NO");
    int local = strncmp(r->src, "/vsi", 4) && !strchr(r->src, ':');
    gpcov_status cs = local || gpcov_pg_is(r->src) ? gpcov_input_check(ctx, r->src) : GPCOV_OK;
    if (cs) {
        CSLDestroy(oo);
        return cs;
    }
    if (local && !strcmp(ext, "shp")) {
        /* OGR opens a shapefile without its .dbf as one with no fields */
        char dbf[4096];
        snprintf(dbf, sizeof dbf, "%.*s", (int)(strlen(r->src) - 4), r->src);
        size_t n = strlen(dbf);
        snprintf(dbf + n, sizeof dbf - n, ".dbf");
        int have = gpcov_path_exists(dbf);
        snprintf(dbf + n, sizeof dbf - n, ".DBF");
        if (!have && !gpcov_path_exists(dbf)) {
            CSLDestroy(oo);
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: the .dbf beside it (the attributes) is missing: a shapefile "
                             "is the .shp, .shx and .dbf together",
                             r->src);
        }
    }
    if (local && !strcmp(ext, "csv")) {
        gpcov_status ts = gpcov_text_prepare(ctx, r->src, 1, &r->utf8);
        if (ts) {
            CSLDestroy(oo);
            return ts;
        }
    }
    gpcov_dep_clear(ctx);
    r->ds = GDALOpenEx(r->utf8 ? r->utf8 : r->src, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                       (const char *const *)oo, NULL);
    CSLDestroy(oo);
    if (!r->ds)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot open as a vector source: %s",
                         r->src, local && gpcov_path_is_dir(r->src)
                                     ? "a directory GDAL reads no layers from"
                                     : gpcov_dep_error(ctx));
    r->lyr = o->layer ? GDALDatasetGetLayerByName(r->ds, o->layer)
                      : GDALDatasetGetLayer(r->ds, 0);
    if (!r->lyr)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no layer %s%s%s", r->src,
                         o->layer ? "'" : "", o->layer ? o->layer : "",
                         o->layer ? "'" : "(the source has no layers)");
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->lyr);
    if (OGR_FD_GetGeomFieldCount(defn) > 0) {
        OGRSpatialReferenceH s = OGR_L_GetSpatialRef(r->lyr);
        if (s)
            r->from = OSRClone(s);
        else if (srs) {
            r->from = OSRNewSpatialReference(NULL);
            if (OSRSetFromUserInput(r->from, srs) != OGRERR_NONE)
                return gpcov_err(ctx, GPCOV_EUSAGE, "%s: unknown CRS '%s'",
                                 r->src, srs);
        } else
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: the layer has no CRS (give one, e.g. --srs EPSG:4326)",
                             r->src);
        OSRSetAxisMappingStrategy(r->from, OAMS_TRADITIONAL_GIS_ORDER);
        r->to = working_srs();
        r->ct = OCTNewCoordinateTransformation(r->from, r->to);
        if (!r->ct)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: cannot transform its CRS to EPSG:%d: %s",
                             r->src, GPCOV_WORKING_EPSG, gpcov_dep_error(ctx));
    }
    return GPCOV_OK;
}

static void value_from_feature(OGRFeatureH f, int i, enum gpcov_ftype t,
                               struct gpcov_value *v)
{
    memset(v, 0, sizeof *v);
    if (!OGR_F_IsFieldSetAndNotNull(f, i)) {
        v->null = 1;
        return;
    }
    switch (t) {
    case GPCOV_INT:
    case GPCOV_BOOL: v->num = (double)OGR_F_GetFieldAsInteger64(f, i); break;
    case GPCOV_REAL: v->num = OGR_F_GetFieldAsDouble(f, i); break;
    case GPCOV_STR: v->str = gpcov_strdup(OGR_F_GetFieldAsString(f, i)); break;
    }
}

/* Geometry of a feature in the working CRS, 2D, polygons repaired. *g is
** NULL for a feature without geometry.  With polygons (a keyed layer: units
** to dissolve and join), a feature must be a polygon with an area. */
static gpcov_status feature_geom(struct reader *r, OGRFeatureH f, long fid, int polygons,
                                 GEOSGeometry **g)
{
    gpcov_ctx *ctx = r->ctx;
    *g = NULL;
    OGRGeometryH og = OGR_F_GetGeometryRef(f);
    if (!og && ctx->dep_msg[0]) /* a record the driver could not read */
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: feature %ld: cannot read its geometry (damaged or truncated?): %s",
                         r->src, fid, gpcov_dep_error(ctx));
    if (!og || OGR_G_IsEmpty(og)) {
        if (polygons && OGR_FD_GetGeomFieldCount(OGR_L_GetLayerDefn(r->lyr)) > 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %ld: no geometry (a polygon is needed)",
                             r->src, fid);
        return GPCOV_OK;
    }
    if (polygons) {
        OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(og));
        if (t != wkbPolygon && t != wkbMultiPolygon && t != wkbCurvePolygon &&
            t != wkbMultiSurface)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: feature %ld: a %s where polygons are needed", r->src, fid,
                             OGRGeometryTypeToName(t));
    }
    OGRGeometryH c = OGR_G_Clone(og);
    OGR_G_FlattenTo2D(c);
    if (r->ct && OGR_G_Transform(c, r->ct) != OGRERR_NONE) {
        OGREnvelope e;
        OGR_G_GetEnvelope(og, &e);
        OGR_G_DestroyGeometry(c);
        if (r->from && OSRIsGeographic(r->from) &&
            (e.MinX < -180 || e.MaxX > 180 || e.MinY < -90 || e.MaxY > 90))
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: feature %ld: coordinates (%.0f, %.0f) are not longitude and "
                             "latitude, yet the file declares no CRS or a geographic one (a "
                             "GeoJSON without \"crs\" means WGS84): give the file its CRS",
                             r->src, fid, e.MinX, e.MinY);
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: feature %ld: cannot reproject to EPSG:%d: %s",
                         r->src, fid, GPCOV_WORKING_EPSG, gpcov_dep_error(ctx));
    }
    *g = gpcov_ogr_to_geos(ctx, c);
    OGR_G_DestroyGeometry(c);
    if (!*g)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %ld: unreadable geometry: %s",
                         r->src, fid, gpcov_dep_error(ctx));
    int t = GEOSGeomTypeId_r(ctx->geos, *g);
    if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON) {
        /* why it is invalid, said once the repair is known to have kept an area */
        char *why = GEOSisValid_r(ctx->geos, *g) == 1 ? NULL : GEOSisValidReason_r(ctx->geos, *g);
        *g = as_multipolygon(ctx, *g);
        if (!*g && why)
            GEOSFree_r(ctx->geos, why);
        if (!*g)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: feature %ld: invalid polygon that cannot be repaired: %s",
                             r->src, fid, gpcov_dep_error(ctx));
        double area = 0;
        if (GEOSArea_r(ctx->geos, *g, &area) != 1 || !(area > 0)) {
            GEOSGeom_destroy_r(ctx->geos, *g);
            *g = NULL;
            if (why)
                GEOSFree_r(ctx->geos, why);
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s: feature %ld: the polygon has no area (its rings are "
                             "degenerate: collinear or repeated points)",
                             r->src, fid);
        }
        if (why) {
            gpcov_notice(ctx, "%s: feature %ld: invalid polygon repaired (%s)", r->src, fid, why);
            GEOSFree_r(ctx->geos, why);
        }
    }
    return GPCOV_OK;
}

/* OGR ended the layer at an error after nread whole features (a damaged
** file, a CSV line over the driver's limit): where, and GDAL's words. */
static gpcov_status read_error(struct reader *r, long nread)
{
    char ext[16];
    gpcov_path_ext(r->src, ext, sizeof ext);
    if (!strcmp(ext, "csv")) /* line 1 is the header */
        return gpcov_err(r->ctx, GPCOV_EINPUT,
                         "%s:%ld: cannot read this line nor any after it: %s", r->src,
                         nread + 2, gpcov_dep_error(r->ctx));
    return gpcov_err(r->ctx, GPCOV_EINPUT,
                     "%s: feature %ld (counting from 1): cannot read it nor any after it "
                     "(damaged, truncated or over a limit of the driver?): %s",
                     r->src, nread + 1, gpcov_dep_error(r->ctx));
}

gpcov_status gpcov_layer_read(gpcov_ctx *ctx, const char *src,
                              const struct gpcov_read_opts *opts,
                              struct gpcov_layer **out)
{
    static const struct gpcov_read_opts none;
    const struct gpcov_read_opts *o = opts ? opts : &none;
    struct reader r = {.ctx = ctx, .src = src};
    struct gpcov_layer *l = NULL;
    struct gpcov_strmap keymap = {0};
    GEOSGeometry ***parts = NULL; /* per feature, the parts to dissolve */
    size_t *nparts = NULL;
    *out = NULL;
    gpcov_status st = reader_open(&r, o);
    if (st)
        goto done;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r.lyr);
    int nf = OGR_FD_GetFieldCount(defn);
    int keyidx = -1;
    if (o->key_field && (keyidx = OGR_FD_GetFieldIndex(defn, o->key_field)) < 0) {
        if (OGR_L_GetFeatureCount(r.lyr, 1) == 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: the layer is empty", src);
            goto done;
        }
        char list[600] = "";
        for (int i = 0; i < nf && strlen(list) < 500; i++) {
            if (i)
                strcat(list, ", ");
            strncat(list, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), 60);
        }
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (fields: %s)", src,
                       o->key_field, nf ? list : "none");
        goto done;
    }
    l = gpcov_layer_new(OGR_L_GetName(r.lyr));
    if (!l) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    /* the layer's metadata travels with it (e.g. the travel model a
    ** layer was made with, for map legends) */
    l->metadata = CSLDuplicate(GDALGetMetadata(r.lyr, NULL));
    for (int i = 0; i < nf; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        if (gpcov_layer_add_field(ctx, l, OGR_Fld_GetNameRef(fd), map_type(fd)) < 0) {
            st = GPCOV_ENOMEM;
            goto done;
        }
    }
    /* counted first: a count that meets the error reports it in the loop */
    GIntBig total = OGR_L_GetFeatureCount(r.lyr, 0);
    OGR_L_ResetReading(r.lyr);
    gpcov_dep_clear(ctx);
    OGRFeatureH f;
    long fno = 0;
    while ((f = OGR_L_GetNextFeature(r.lyr))) {
        fno++;
        long fid = (long)OGR_F_GetFID(f);
        if (fid < 0)
            fid = fno;
        GEOSGeometry *g = NULL;
        char key[256] = "";
        if ((st = feature_geom(&r, f, fid, keyidx >= 0, &g))) {
            OGR_F_Destroy(f);
            goto done;
        }
        if (gpcov_dep_failed(ctx)) { /* read with an error: not a whole feature */
            if (g)
                GEOSGeom_destroy_r(ctx->geos, g);
            OGR_F_Destroy(f);
            fno--;
            break;
        }
        if (keyidx >= 0) {
            const char *raw = OGR_F_IsFieldSetAndNotNull(f, keyidx)
                                  ? OGR_F_GetFieldAsString(f, keyidx) : "";
            if (gpcov_key_normalise(raw, key, sizeof key) != 0) {
                st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %ld: empty or unusable %s '%s'",
                               src, fid, o->key_field, raw);
                OGR_F_Destroy(f);
                if (g)
                    GEOSGeom_destroy_r(ctx->geos, g);
                goto done;
            }
            size_t at;
            if (gpcov_strmap_get(&keymap, key, &at) == 0) {
                /* another part of a feature seen before: keep for dissolve */
                if (g) {
                    GEOSGeometry **p = realloc(parts[at], (nparts[at] + 1) * sizeof *p);
                    if (!p) {
                        GEOSGeom_destroy_r(ctx->geos, g);
                        OGR_F_Destroy(f);
                        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
                        goto done;
                    }
                    parts[at] = p;
                    p[nparts[at]++] = g;
                }
                OGR_F_Destroy(f);
                continue;
            }
        }
        long i = gpcov_layer_append(ctx, l, keyidx >= 0 ? key : NULL, NULL);
        if (i < 0 || (keyidx >= 0 && gpcov_strmap_put(&keymap, key, (size_t)i))) {
            if (g)
                GEOSGeom_destroy_r(ctx->geos, g);
            OGR_F_Destroy(f);
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            goto done;
        }
        if (keyidx >= 0) {
            GEOSGeometry ***pp = realloc(parts, l->cap * sizeof *pp);
            size_t *np = realloc(nparts, l->cap * sizeof *np);
            if (pp)
                parts = pp;
            if (np)
                nparts = np;
            if (!pp || !np) {
                if (g)
                    GEOSGeom_destroy_r(ctx->geos, g);
                OGR_F_Destroy(f);
                st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
                goto done;
            }
            parts[i] = NULL;
            nparts[i] = 0;
            if (g) {
                parts[i] = malloc(sizeof *parts[i]);
                parts[i][0] = g;
                nparts[i] = 1;
            }
        } else {
            l->geoms[i] = g;
        }
        for (int k = 0; k < nf; k++)
            value_from_feature(f, k, l->fields[k].type,
                               gpcov_layer_value(l, (size_t)i, (size_t)k));
        OGR_F_Destroy(f);
        if ((fno & 1023) == 0 && total > 0 &&
            (st = gpcov_progress(ctx, (double)fno / (double)total, "reading")))
            goto done;
    }
    /* a damaged file (a shapefile cut short, a database page missing) ends
    ** the feature loop early with an error, not a short layer */
    if (gpcov_dep_failed(ctx)) {
        st = read_error(&r, fno);
        goto done;
    }
    if (keyidx >= 0) {
        for (size_t i = 0; i < l->n; i++) {
            if (!nparts[i])
                continue;
            l->geoms[i] = dissolve_parts(ctx, parts[i], nparts[i]);
            free(parts[i]);
            parts[i] = NULL;
            if (!l->geoms[i]) {
                nparts[i] = 0;
                st = gpcov_err(ctx, GPCOV_EINPUT, "%s: %s '%s': cannot dissolve its parts: %s",
                               src, o->key_field, l->keys[i], gpcov_dep_error(ctx));
                goto done;
            }
            nparts[i] = 0;
        }
    }
    if (fno == 0) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: the layer is empty", src);
        goto done;
    }
    *out = l;
    l = NULL;
done:
    if (parts && l) {
        for (size_t i = 0; i < l->n; i++) {
            for (size_t k = 0; k < nparts[i]; k++)
                GEOSGeom_destroy_r(ctx->geos, parts[i][k]);
            free(parts[i]);
        }
    }
    free(parts);
    free(nparts);
    gpcov_strmap_clear(&keymap);
    gpcov_layer_free(ctx, l);
    reader_close(&r);
    return st;
}

/* ----------------------------------------------------------------- write */

static const char *driver_for(const char *dst, char ***lco, int *has_geom)
{
    char ext[16];
    gpcov_path_ext(dst, ext, sizeof ext);
    *has_geom = 1;
    if (gpcov_pg_is(dst)) {
        /* PostGIS: geometry column "geom" with a GiST index, "fid" serial */
        *lco = CSLSetNameValue(*lco, "GEOMETRY_NAME", "geom");
        *lco = CSLSetNameValue(*lco, "FID", "fid");
        *lco = CSLSetNameValue(*lco, "SPATIAL_INDEX", "GIST");
        return "PostgreSQL";
    }
    if (!strcmp(ext, "geojson") || !strcmp(ext, "json")) {
        *lco = CSLSetNameValue(*lco, "RFC7946", "YES");
        *lco = CSLSetNameValue(*lco, "WRITE_NAME", "NO");
        return "GeoJSON";
    }
    if (!strcmp(ext, "gpkg"))
        return "GPKG";
    if (!strcmp(ext, "shp")) {
        *lco = CSLSetNameValue(*lco, "ENCODING", "UTF-8");
        return "ESRI Shapefile";
    }
    if (!strcmp(ext, "csv")) {
        /* quotes only where needed: Excel reads "0101" as text either way,
        ** and numbers stay numbers */
        *lco = CSLSetNameValue(*lco, "STRING_QUOTING", "IF_NEEDED");
        *has_geom = 0;
        return "CSV";
    }
    return NULL;
}

/* The layer's one geometry type.  With promote, polygons mixed with
** multipolygons (isochrone bands) make a MultiPolygon layer, as a PostGIS
** column of one type wants; write_features then promotes each polygon. */
static OGRwkbGeometryType layer_geom_type(gpcov_ctx *ctx,
                                          const struct gpcov_layer *l, int promote)
{
    int seen = -1;
    for (size_t i = 0; i < l->n; i++) {
        if (!l->geoms[i])
            continue;
        int t = GEOSGeomTypeId_r(ctx->geos, l->geoms[i]);
        if (promote && t == GEOS_POLYGON && seen == GEOS_MULTIPOLYGON)
            continue;
        if (promote && t == GEOS_MULTIPOLYGON && seen == GEOS_POLYGON)
            seen = t;
        else if (seen < 0)
            seen = t;
        else if (seen != t)
            return wkbUnknown;
    }
    switch (seen) {
    case -1: return wkbNone;
    case GEOS_POINT: return wkbPoint;
    case GEOS_MULTIPOINT: return wkbMultiPoint;
    case GEOS_LINESTRING: return wkbLineString;
    case GEOS_MULTILINESTRING: return wkbMultiLineString;
    case GEOS_POLYGON: return wkbPolygon;
    case GEOS_MULTIPOLYGON: return wkbMultiPolygon;
    default: return wkbUnknown;
    }
}

static int fits_int32(const struct gpcov_layer *l, size_t k)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct gpcov_value *v = gpcov_layer_value(l, i, k);
        if (!v->null && (v->num > 2147483647.0 || v->num < -2147483648.0))
            return 0;
    }
    return 1;
}

/* Sets a text field; in a spreadsheet's format (sheet) a cell that would
** run as a formula gets a leading ' (csvcell.c). */
static int set_text(OGRFeatureH f, int k, const char *s, int sheet)
{
    if (!sheet || !gpcov_csv_is_formula(s)) {
        OGR_F_SetFieldString(f, k, s);
        return 0;
    }
    size_t n = strlen(s);
    char *g = malloc(n + 2);
    if (!g)
        return -1;
    g[0] = '\'';
    memcpy(g + 1, s, n + 1);
    OGR_F_SetFieldString(f, k, g);
    free(g);
    return 0;
}

/* Sets field k of f from v; an error message when it cannot be written. */
static gpcov_status set_field(gpcov_ctx *ctx, const struct gpcov_layer *l, OGRFeatureH f,
                              size_t i, size_t k, const char *dst, int sheet)
{
    const struct gpcov_value *v = gpcov_layer_value(l, i, k);
    if (v->null) {
        OGR_F_SetFieldNull(f, (int)k);
        return GPCOV_OK;
    }
    switch (l->fields[k].type) {
    case GPCOV_STR:
        if (set_text(f, (int)k, v->str ? v->str : "", sheet))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        break;
    case GPCOV_INT:
    case GPCOV_BOOL: OGR_F_SetFieldInteger64(f, (int)k, (GIntBig)v->num); break;
    case GPCOV_REAL:
        /* inf would be "inf" in CSV and GPKG but null in GeoJSON: never written */
        if (!isfinite(v->num))
            return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: feature %zu: field '%s' is %g, not a "
                             "finite number", dst, i + 1, l->fields[k].name, v->num);
        OGR_F_SetFieldDouble(f, (int)k, v->num);
        break;
    }
    return GPCOV_OK;
}

static gpcov_status write_features(gpcov_ctx *ctx, const struct gpcov_layer *l,
                                   OGRLayerH ol, const char *dst, int has_geom,
                                   OGRwkbGeometryType gt, int sheet)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(ol);
    for (size_t i = 0; i < l->n; i++) {
        OGRFeatureH f = OGR_F_Create(defn);
        for (size_t k = 0; k < l->nfields; k++) {
            gpcov_status st = set_field(ctx, l, f, i, k, dst, sheet);
            if (st) {
                OGR_F_Destroy(f);
                return st;
            }
        }
        if (has_geom && l->geoms[i]) {
            OGRGeometryH g = gpcov_geos_to_ogr(ctx, l->geoms[i]);
            if (!g) {
                OGR_F_Destroy(f);
                return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: feature %zu: geometry conversion failed",
                                 dst, i + 1);
            }
            if (gt == wkbMultiPolygon && OGR_G_GetGeometryType(g) == wkbPolygon)
                g = OGR_G_ForceToMultiPolygon(g);
            OGR_F_SetGeometryDirectly(f, g);
        }
        OGRErr e = OGR_L_CreateFeature(ol, f);
        OGR_F_Destroy(f);
        if (e != OGRERR_NONE)
            return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write feature %zu: %s", dst,
                             i + 1, gpcov_dep_error(ctx));
    }
    return GPCOV_OK;
}

/* Some OGR writers (GeoJSON, CSV in GDAL 3.6) do not check their writes: a
** full disk or a file-size limit leaves a cut file and no error.  So the
** temporary is read back before it is renamed: it must open and hold every
** feature. */
static gpcov_status read_back(gpcov_ctx *ctx, const char *tmp, const char *dst,
                              const char *layer, size_t n)
{
    gpcov_dep_clear(ctx);
    GDALDatasetH ds = GDALOpenEx(tmp, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH lyr = ds ? (layer ? GDALDatasetGetLayerByName(ds, layer) : NULL) : NULL;
    if (ds && !lyr)
        lyr = GDALDatasetGetLayer(ds, 0);
    GIntBig got = lyr ? OGR_L_GetFeatureCount(lyr, 1) : -1;
    int failed = CPLGetLastErrorType() >= CE_Failure;
    if (ds)
        GDALClose(ds);
    if (got != (GIntBig)n || failed)
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: the written file does not read back whole (%lld of %zu features; "
                         "disk full or a file-size limit?)%s%s",
                         dst, (long long)(got < 0 ? 0 : got), n, failed ? ": " : "",
                         failed ? gpcov_dep_error(ctx) : "");
    return GPCOV_OK;
}

gpcov_status gpcov_layer_write(gpcov_ctx *ctx, const struct gpcov_layer *l,
                               const char *dst,
                               const struct gpcov_write_opts *opts)
{
    static const struct gpcov_write_opts none;
    const struct gpcov_write_opts *o = opts ? opts : &none;
    char **lco = NULL, **dco = NULL;
    int has_geom;
    const char *drvname = driver_for(dst, &lco, &has_geom);
    if (!drvname)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "%s: unknown output format (use .geojson, .gpkg, .shp, .csv or PG:...)",
                         dst);
    if (!strcmp(drvname, "GeoJSON") && o->precision > 0) {
        char p[16];
        snprintf(p, sizeof p, "%d", o->precision);
        lco = CSLSetNameValue(lco, "COORDINATE_PRECISION", p);
    }
    GDALDriverH drv = GDALGetDriverByName(drvname);
    if (!drv) {
        CSLDestroy(lco);
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: GDAL has no %s driver", dst, drvname);
    }
    char *tmp = NULL;
    struct gpcov_pg_out *pg = NULL; /* PostGIS: one transaction (pg.c) */
    char base_name[256] = "";
    int is_pg = !strcmp(drvname, "PostgreSQL");
    /* an output set's temporary (o->into) is committed by the set */
    gpcov_status st = is_pg     ? gpcov_pg_begin(ctx, dst, o->overwrite, &pg)
                      : o->into ? GPCOV_OK
                                : gpcov_atomic_begin(ctx, dst, o->overwrite, &tmp);
    if (st) {
        CSLDestroy(lco);
        return st;
    }
    const char *path = o->into ? o->into : tmp;
    gpcov_dep_clear(ctx);
    GDALDatasetH ds = is_pg ? pg->ds : GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, dco);
    OGRSpatialReferenceH srs = working_srs();
    OGRLayerH ol = NULL;
    if (!ds) {
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot create: %s", dst, gpcov_dep_error(ctx));
        goto done;
    }
    if (is_pg)
        lco = CSLSetNameValue(lco, "SCHEMA", pg->schema);
    OGRwkbGeometryType gt = has_geom ? layer_geom_type(ctx, l, is_pg) : wkbNone;
    /* a file's layer is named after the file, as QGIS users expect */
    char *base = base_name;
    const char *slash = strrchr(dst, '/');
    snprintf(base, sizeof base_name, "%s", slash ? slash + 1 : dst);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = 0;
    ol = GDALDatasetCreateLayer(ds, is_pg ? pg->tmp : o->layer_name ? o->layer_name : base,
                                gt == wkbNone ? NULL : srs, gt, lco);
    if (!ol) {
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot create layer: %s", dst,
                       gpcov_dep_error(ctx));
        goto done;
    }
    for (size_t k = 0; k < l->nfields; k++) {
        OGRFieldType t = OFTString;
        OGRFieldSubType sub = OFSTNone;
        switch (l->fields[k].type) {
        case GPCOV_REAL: t = OFTReal; break;
        case GPCOV_INT: t = fits_int32(l, k) ? OFTInteger : OFTInteger64; break;
        case GPCOV_BOOL: t = OFTInteger; sub = OFSTBoolean; break;
        case GPCOV_STR: t = OFTString; break;
        }
        OGRFieldDefnH fd = OGR_Fld_Create(l->fields[k].name, t);
        OGR_Fld_SetSubType(fd, sub);
        OGRErr e = OGR_L_CreateField(ol, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot create field '%s': %s", dst,
                           l->fields[k].name, gpcov_dep_error(ctx));
            goto done;
        }
    }
    if (l->metadata && !is_pg) /* GDAL 3.6 keeps no layer metadata in PostGIS */
        GDALSetMetadata(ol, l->metadata, NULL);
    int tx = !is_pg && OGR_L_StartTransaction(ol) == OGRERR_NONE;
    int sheet = !strcmp(drvname, "CSV") || !strcmp(drvname, "XLSX") || !strcmp(drvname, "ODS");
    if ((st = write_features(ctx, l, ol, dst, has_geom, gt, sheet))) {
        if (tx && OGR_L_RollbackTransaction(ol) != OGRERR_NONE)
            gpcov_dep_clear(ctx); /* the output is discarded anyway */
        goto done;
    }
    if (tx && OGR_L_CommitTransaction(ol) != OGRERR_NONE) {
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot commit: %s", dst, gpcov_dep_error(ctx));
        goto done;
    }
done:
    if (pg) {
        st = gpcov_pg_finish(ctx, dst, pg, ol, st); /* closes ds */
        ds = NULL;
    }
    if (ds) {
        gpcov_dep_clear(ctx);
        GDALFlushCache(ds);
        GDALClose(ds);
        if (!st && CPLGetLastErrorType() >= CE_Failure)
            st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot finish writing: %s", dst,
                           gpcov_dep_error(ctx));
    }
    OSRDestroySpatialReference(srs);
    CSLDestroy(lco);
    CSLDestroy(dco);
    if (path && !is_pg && !st)
        st = read_back(ctx, path, dst, o->layer_name ? o->layer_name : base_name, l->n);
    if (tmp) {
        if (st)
            gpcov_atomic_abort(tmp);
        else
            st = gpcov_atomic_commit(ctx, tmp, dst);
    }
    free(tmp);
    return st;
}
