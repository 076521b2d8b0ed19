/*
** io.c: layers in from files through OGR.  Reading opens any vector
** source GDAL knows, reprojects to the working CRS EPSG:25832 with PROJ,
** drops Z, repairs invalid polygons with GEOSMakeValid and, when asked,
** dissolves the features that share a key (the DAGI municipalities come as
** one feature per island part).  Writing is io_write.c.
*/
#include "io_internal.h"

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

/* The working CRS, EPSG:25832 in GIS axis order (the caller destroys it). */
void *gpcov_working_srs(void)
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

/* The open options for a source of extension ext; *srs the CRS to assume
** when it declares none (a CSV of lon/lat columns: WGS84). */
static char **reader_options(const char *ext, const struct gpcov_read_opts *o, const char **srs)
{
    char **oo = NULL;
    *srs = o->srs;
    if (o->x_field && o->y_field) {
        oo = CSLSetNameValue(oo, "X_POSSIBLE_NAMES", o->x_field);
        oo = CSLSetNameValue(oo, "Y_POSSIBLE_NAMES", o->y_field);
    } else if (!strcmp(ext, "csv")) {
        /* a table of places: lon/lat columns are points in WGS84 */
        oo = CSLSetNameValue(oo, "X_POSSIBLE_NAMES", "lon,longitude");
        oo = CSLSetNameValue(oo, "Y_POSSIBLE_NAMES", "lat,latitude");
        if (!*srs)
            *srs = "EPSG:4326";
    }
    if (!strcmp(ext, "csv")) /* keep "0101" a string, not the number 101 */
        oo = CSLSetNameValue(oo, "AUTODETECT_TYPE", "NO");
    return oo;
}

/* A local shapefile needs its .dbf: OGR opens one without it as a layer
** with no fields. */
static gpcov_status shapefile_dbf(gpcov_ctx *ctx, const char *src)
{
    char dbf[4096];
    snprintf(dbf, sizeof dbf, "%.*s", (int)(strlen(src) - 4), src);
    size_t n = strlen(dbf);
    snprintf(dbf + n, sizeof dbf - n, ".dbf");
    int have = gpcov_path_exists(dbf);
    snprintf(dbf + n, sizeof dbf - n, ".DBF");
    if (!have && !gpcov_path_exists(dbf))
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: the .dbf beside it (the attributes) is missing: a shapefile "
                         "is the .shp, .shx and .dbf together",
                         src);
    return GPCOV_OK;
}

/* The layer's CRS (or srs when it declares none) and its transformation to
** the working CRS, for a layer with geometry. */
static gpcov_status reader_crs(struct reader *r, const char *srs)
{
    gpcov_ctx *ctx = r->ctx;
    if (OGR_FD_GetGeomFieldCount(OGR_L_GetLayerDefn(r->lyr)) <= 0)
        return GPCOV_OK;
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
    r->to = gpcov_working_srs();
    r->ct = OCTNewCoordinateTransformation(r->from, r->to);
    if (!r->ct)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: cannot transform its CRS to EPSG:%d: %s",
                         r->src, GPCOV_WORKING_EPSG, gpcov_dep_error(ctx));
    return GPCOV_OK;
}

static gpcov_status reader_open(struct reader *r,
                                const struct gpcov_read_opts *o)
{
    gpcov_ctx *ctx = r->ctx;
    char ext[16];
    gpcov_path_ext(r->src, ext, sizeof ext);
    const char *srs;
    char **oo = reader_options(ext, o, &srs);
    int local = strncmp(r->src, "/vsi", 4) && !strchr(r->src, ':');
    gpcov_status cs = local || gpcov_pg_is(r->src) ? gpcov_input_check(ctx, r->src) : GPCOV_OK;
    if (!cs && local && !strcmp(ext, "shp"))
        cs = shapefile_dbf(ctx, r->src);
    if (!cs && local && !strcmp(ext, "csv"))
        cs = gpcov_text_prepare(ctx, r->src, 1, &r->utf8);
    if (cs) {
        CSLDestroy(oo);
        return cs;
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
    return reader_crs(r, srs);
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

/* Polygon *g of feature fid as a valid MultiPolygon with an area (*g NULL
** on an error); a repair is noticed with the reason it was invalid. */
static gpcov_status polygon_repair(struct reader *r, long fid, GEOSGeometry **g)
{
    gpcov_ctx *ctx = r->ctx;
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
    return GPCOV_OK;
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
    if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)
        return polygon_repair(r, fid, g);
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

/* The state of reading one layer: the reader, the layer being built and,
** for a keyed layer, the parts of each unit to dissolve. */
struct read_run {
    struct reader r;
    const struct gpcov_read_opts *o;
    struct gpcov_layer *l;
    struct gpcov_strmap keymap;   /* key -> row */
    GEOSGeometry ***parts;        /* per row, the parts to dissolve */
    size_t *nparts;
    int nf, keyidx;               /* fields; the key field, -1 none */
    long fno;                     /* whole features read */
};

static gpcov_status read_nomem(gpcov_ctx *ctx)
{
    return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
}

/* The key field found, and the layer made with the source's fields and
** metadata. */
static gpcov_status read_fields(struct read_run *rr)
{
    gpcov_ctx *ctx = rr->r.ctx;
    const char *src = rr->r.src;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(rr->r.lyr);
    int nf = rr->nf = OGR_FD_GetFieldCount(defn);
    rr->keyidx = -1;
    if (rr->o->key_field)
        rr->keyidx = OGR_FD_GetFieldIndex(defn, rr->o->key_field);
    /* a layer of an earlier gpcov (access's units) named the key 'code' */
    if (rr->keyidx < 0 && rr->o->key_field && !strcmp(rr->o->key_field, GPCOV_KEY_FIELD) &&
        (rr->keyidx = OGR_FD_GetFieldIndex(defn, "code")) >= 0)
        gpcov_notice(ctx, "%s: no field '%s'; the key is read from 'code', as an earlier "
                     "gpcov named it", src, GPCOV_KEY_FIELD);
    if (rr->o->key_field && rr->keyidx < 0) {
        if (OGR_L_GetFeatureCount(rr->r.lyr, 1) == 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: the layer is empty", src);
        char list[600] = "";
        for (int i = 0; i < nf && strlen(list) < 500; i++) {
            if (i)
                strcat(list, ", ");
            strncat(list, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), 60);
        }
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (fields: %s)", src,
                         rr->o->key_field, nf ? list : "none");
    }
    struct gpcov_layer *l = rr->l = gpcov_layer_new(OGR_L_GetName(rr->r.lyr));
    if (!l)
        return read_nomem(ctx);
    /* the layer's metadata travels with it (e.g. the travel model a
    ** layer was made with, for map legends) */
    l->metadata = CSLDuplicate(GDALGetMetadata(rr->r.lyr, NULL));
    for (int i = 0; i < nf; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        if (gpcov_layer_add_field(ctx, l, OGR_Fld_GetNameRef(fd), map_type(fd)) < 0)
            return GPCOV_ENOMEM;
    }
    return GPCOV_OK;
}

/* The key of feature f into key[256]; *seen set when a feature with that
** key came before, g (if any) then kept as another part of it. */
static gpcov_status read_key(struct read_run *rr, OGRFeatureH f, long fid, GEOSGeometry *g,
                             char *key, int *seen)
{
    gpcov_ctx *ctx = rr->r.ctx;
    int keyidx = rr->keyidx;
    const char *raw = OGR_F_IsFieldSetAndNotNull(f, keyidx) ? OGR_F_GetFieldAsString(f, keyidx)
                                                             : "";
    *seen = 0;
    if (gpcov_key_normalise(raw, key, 256) != 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %ld: empty or unusable %s '%s'",
                         rr->r.src, fid, rr->o->key_field, raw);
    size_t at;
    if (gpcov_strmap_get(&rr->keymap, key, &at) != 0)
        return GPCOV_OK;
    /* another part of a feature seen before: keep for dissolve */
    *seen = 1;
    if (g) {
        GEOSGeometry **p = realloc(rr->parts[at], (rr->nparts[at] + 1) * sizeof *p);
        if (!p)
            return read_nomem(ctx);
        rr->parts[at] = p;
        p[rr->nparts[at]++] = g;
    }
    return GPCOV_OK;
}

/* Row i's first part g, kept for dissolve (keyed layers). */
static gpcov_status read_first_part(struct read_run *rr, long i, GEOSGeometry *g)
{
    GEOSGeometry ***pp = realloc(rr->parts, rr->l->cap * sizeof *pp);
    size_t *np = realloc(rr->nparts, rr->l->cap * sizeof *np);
    if (pp)
        rr->parts = pp;
    if (np)
        rr->nparts = np;
    if (!pp || !np)
        return read_nomem(rr->r.ctx);
    rr->parts[i] = NULL;
    rr->nparts[i] = 0;
    if (g) {
        rr->parts[i] = malloc(sizeof *rr->parts[i]);
        rr->parts[i][0] = g;
        rr->nparts[i] = 1;
    }
    return GPCOV_OK;
}

/* Feature f, the fno-th: its geometry, key and values into the layer.
** *cut set when it was read with an error (not a whole feature). */
static gpcov_status read_feature(struct read_run *rr, OGRFeatureH f, int *cut)
{
    gpcov_ctx *ctx = rr->r.ctx;
    long fid = (long)OGR_F_GetFID(f);
    if (fid < 0)
        fid = rr->fno;
    GEOSGeometry *g = NULL;
    char key[256] = "";
    gpcov_status st = feature_geom(&rr->r, f, fid, rr->keyidx >= 0, &g);
    if (st)
        return st;
    if (gpcov_dep_failed(ctx)) { /* read with an error: not a whole feature */
        if (g)
            GEOSGeom_destroy_r(ctx->geos, g);
        *cut = 1;
        return GPCOV_OK;
    }
    if (rr->keyidx >= 0) {
        int seen;
        if ((st = read_key(rr, f, fid, g, key, &seen)) && g)
            GEOSGeom_destroy_r(ctx->geos, g);
        if (st || seen)
            return st;
    }
    long i = gpcov_layer_append(ctx, rr->l, rr->keyidx >= 0 ? key : NULL, NULL);
    if (i < 0 || (rr->keyidx >= 0 && gpcov_strmap_put(&rr->keymap, key, (size_t)i)))
        st = read_nomem(ctx);
    else if (rr->keyidx >= 0)
        st = read_first_part(rr, i, g);
    else
        rr->l->geoms[i] = g;
    if (st) {
        if (g)
            GEOSGeom_destroy_r(ctx->geos, g);
        return st;
    }
    for (int k = 0; k < rr->nf; k++)
        value_from_feature(f, k, rr->l->fields[k].type,
                           gpcov_layer_value(rr->l, (size_t)i, (size_t)k));
    return GPCOV_OK;
}

/* Every feature, with progress. */
static gpcov_status read_features(struct read_run *rr)
{
    gpcov_ctx *ctx = rr->r.ctx;
    /* counted first: a count that meets the error reports it in the loop */
    GIntBig total = OGR_L_GetFeatureCount(rr->r.lyr, 0);
    OGR_L_ResetReading(rr->r.lyr);
    gpcov_dep_clear(ctx);
    OGRFeatureH f;
    gpcov_status st;
    while ((f = OGR_L_GetNextFeature(rr->r.lyr))) {
        int cut = 0;
        rr->fno++;
        st = read_feature(rr, f, &cut);
        OGR_F_Destroy(f);
        if (st)
            return st;
        if (cut) {
            rr->fno--;
            break;
        }
        if ((rr->fno & 1023) == 0 && total > 0 &&
            (st = gpcov_progress(ctx, (double)rr->fno / (double)total, "reading")))
            return st;
    }
    /* a damaged file (a shapefile cut short, a database page missing) ends
    ** the feature loop early with an error, not a short layer */
    if (gpcov_dep_failed(ctx))
        return read_error(&rr->r, rr->fno);
    return GPCOV_OK;
}

/* The parts of each unit of a keyed layer dissolved into its geometry. */
static gpcov_status read_dissolve(struct read_run *rr)
{
    gpcov_ctx *ctx = rr->r.ctx;
    struct gpcov_layer *l = rr->l;
    for (size_t i = 0; i < l->n; i++) {
        if (!rr->nparts[i])
            continue;
        l->geoms[i] = dissolve_parts(ctx, rr->parts[i], rr->nparts[i]);
        free(rr->parts[i]);
        rr->parts[i] = NULL;
        rr->nparts[i] = 0;
        if (!l->geoms[i])
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s '%s': cannot dissolve its parts: %s",
                             rr->r.src, rr->o->key_field, l->keys[i], gpcov_dep_error(ctx));
    }
    return GPCOV_OK;
}

gpcov_status gpcov_layer_read(gpcov_ctx *ctx, const char *src,
                              const struct gpcov_read_opts *opts,
                              struct gpcov_layer **out)
{
    static const struct gpcov_read_opts none;
    struct read_run rr = {.r = {.ctx = ctx, .src = src}, .o = opts ? opts : &none};
    *out = NULL;
    gpcov_status st = reader_open(&rr.r, rr.o);
    if (!st)
        st = read_fields(&rr);
    if (!st)
        st = read_features(&rr);
    if (!st && rr.keyidx >= 0)
        st = read_dissolve(&rr);
    if (!st && rr.fno == 0)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: the layer is empty", src);
    if (!st) {
        *out = rr.l;
        rr.l = NULL;
    }
    if (rr.parts && rr.l) {
        for (size_t i = 0; i < rr.l->n; i++) {
            for (size_t k = 0; k < rr.nparts[i]; k++)
                GEOSGeom_destroy_r(ctx->geos, rr.parts[i][k]);
            free(rr.parts[i]);
        }
    }
    free(rr.parts);
    free(rr.nparts);
    gpcov_strmap_clear(&rr.keymap);
    gpcov_layer_free(ctx, rr.l);
    reader_close(&rr.r);
    return st;
}
