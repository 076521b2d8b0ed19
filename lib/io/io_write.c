/*
** io_write.c: layers out to files and PostGIS through OGR.  The driver is
** picked by extension (GeoJSON as RFC 7946, GeoPackage, shapefile, CSV,
** XLSX or PG:...), fields get the narrowest OGR type that holds them, CSV
** cells that would run as formulas are quoted (an XLSX holds text as text,
** never as a formula), a CSV in the context's Danish style is written by
** csv_danish.c, and the output goes through
** atomic.c (files, read back whole before the rename) or pg.c (PostGIS
** tables, one transaction) so it appears whole or not at all.
*/
#include "io_internal.h"

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (!strcmp(ext, "xlsx")) {
        *has_geom = 0;
        return "XLSX";
    }
    if (!strcmp(ext, "csv")) {
        /* quotes only where needed: Excel reads "0101" as text either way,
        ** and numbers stay numbers */
        *lco = CSLSetNameValue(*lco, "STRING_QUOTING", "IF_NEEDED");
        *has_geom = 0;
        return "CSV";
    }
    if (!strcmp(ext, "xlsx")) {
        /* text cells stay text ("0101"), numbers are numbers, a missing
        ** value is an empty cell */
        *has_geom = 0;
        return "XLSX";
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
    /* a sheet of text only would take its header for a row (GDAL 3.6's
    ** XLSX driver reads no HEADERS open option) */
    CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
    GDALDatasetH ds = GDALOpenEx(tmp, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH lyr = ds ? (layer ? GDALDatasetGetLayerByName(ds, layer) : NULL) : NULL;
    if (ds && !lyr)
        lyr = GDALDatasetGetLayer(ds, 0);
    GIntBig got = lyr ? OGR_L_GetFeatureCount(lyr, 1) : -1;
    int failed = CPLGetLastErrorType() >= CE_Failure;
    if (ds)
        GDALClose(ds);
    /* the sheet is read lazily: the option holds until here */
    CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", NULL);
    if (got != (GIntBig)n || failed)
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: the written file does not read back whole (%lld of %zu features; "
                         "disk full or a file-size limit?)%s%s",
                         dst, (long long)(got < 0 ? 0 : got), n, failed ? ": " : "",
                         failed ? gpcov_dep_error(ctx) : "");
    return GPCOV_OK;
}

/* The state of writing one layer: the driver and its options, the
** temporary or PostGIS transaction it goes through, what is created. */
struct write_run {
    gpcov_ctx *ctx;
    const struct gpcov_layer *l;
    const char *dst;
    const struct gpcov_write_opts *o;
    char **lco, **dco;
    const char *drvname;
    GDALDriverH drv;
    int has_geom, is_pg;
    char *tmp;                    /* the file's temporary (atomic.c) */
    struct gpcov_pg_out *pg;      /* PostGIS: one transaction (pg.c) */
    const char *path;             /* where the file is written */
    char mem[64];                 /* XLSX: written in /vsimem/ first, as
                                     GDAL 3.6 cannot save a zip whose
                                     folder's name holds ".xlsx" (ours) */
    char base_name[256];          /* the layer's name: the file's */
    GDALDatasetH ds;
    OGRSpatialReferenceH srs;
    OGRLayerH ol;
    OGRwkbGeometryType gt;
};

/* The driver and its options, and the temporary (or PostGIS transaction)
** the output goes through. */
static gpcov_status write_begin(struct write_run *w)
{
    gpcov_ctx *ctx = w->ctx;
    const char *dst = w->dst;
    w->drvname = driver_for(dst, &w->lco, &w->has_geom);
    if (!w->drvname)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "%s: unknown output format (use .geojson, .gpkg, .shp, .csv, .xlsx or "
                         "PG:...)",
                         dst);
    if (!strcmp(w->drvname, "GeoJSON") && w->o->precision > 0) {
        char p[16];
        snprintf(p, sizeof p, "%d", w->o->precision);
        w->lco = CSLSetNameValue(w->lco, "COORDINATE_PRECISION", p);
    }
    w->drv = GDALGetDriverByName(w->drvname);
    if (!w->drv)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: GDAL has no %s driver", dst, w->drvname);
    w->is_pg = !strcmp(w->drvname, "PostgreSQL");
    /* an output set's temporary (o->into) is committed by the set */
    gpcov_status st = w->is_pg     ? gpcov_pg_begin(ctx, dst, w->o->overwrite, &w->pg)
                      : w->o->into ? GPCOV_OK
                                   : gpcov_atomic_begin(ctx, dst, w->o->overwrite, &w->tmp);
    w->path = w->o->into ? w->o->into : w->tmp;
    return st;
}

/* The layer's fields, each of the narrowest OGR type that holds it. */
static gpcov_status write_fields(struct write_run *w)
{
    const struct gpcov_layer *l = w->l;
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
        OGRErr e = OGR_L_CreateField(w->ol, fd, 1);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return gpcov_err(w->ctx, GPCOV_EOUTPUT, "%s: cannot create field '%s': %s", w->dst,
                             l->fields[k].name, gpcov_dep_error(w->ctx));
    }
    return GPCOV_OK;
}

/* A sheet's name as Excel takes it: at most 31 characters (cut at a
** character's start), none of []:*?/\. */
static void sheet_name(char *s)
{
    size_t n = strlen(s), chars = 0, i;
    for (i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > 31)
            break;
        if (strchr("[]:*?/\\", s[i]))
            s[i] = '_';
    }
    s[i] = 0;
}

/* The dataset and its layer created, the fields and features written, in
** one transaction where the driver has them. */
static gpcov_status write_layer(struct write_run *w)
{
    gpcov_ctx *ctx = w->ctx;
    const char *dst = w->dst;
    gpcov_dep_clear(ctx);
    static int seq;
    if (!strcmp(w->drvname, "XLSX"))
        snprintf(w->mem, sizeof w->mem, "/vsimem/gpcov_write_%d.xlsx", seq++);
    w->ds = w->is_pg ? w->pg->ds
                     : GDALCreate(w->drv, *w->mem ? w->mem : w->path, 0, 0, 0, GDT_Unknown, w->dco);
    w->srs = gpcov_working_srs();
    if (!w->ds)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot create: %s", dst, gpcov_dep_error(ctx));
    if (w->is_pg)
        w->lco = CSLSetNameValue(w->lco, "SCHEMA", w->pg->schema);
    w->gt = w->has_geom ? layer_geom_type(ctx, w->l, w->is_pg) : wkbNone;
    /* a file's layer is named after the file, as QGIS users expect */
    char *base = w->base_name;
    const char *slash = strrchr(dst, '/');
    snprintf(base, sizeof w->base_name, "%s", slash ? slash + 1 : dst);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = 0;
    if (!strcmp(w->drvname, "XLSX"))
        sheet_name(base);
    w->ol = GDALDatasetCreateLayer(w->ds, w->is_pg ? w->pg->tmp
                                          : w->o->layer_name ? w->o->layer_name : base,
                                   w->gt == wkbNone ? NULL : w->srs, w->gt, w->lco);
    if (!w->ol)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot create layer: %s", dst,
                         gpcov_dep_error(ctx));
    gpcov_status st = write_fields(w);
    if (st)
        return st;
    if (w->l->metadata && !w->is_pg) /* GDAL 3.6 keeps no layer metadata in PostGIS */
        GDALSetMetadata(w->ol, w->l->metadata, NULL);
    int tx = !w->is_pg && OGR_L_StartTransaction(w->ol) == OGRERR_NONE;
    int sheet = !strcmp(w->drvname, "CSV");
    if ((st = write_features(ctx, w->l, w->ol, dst, w->has_geom, w->gt, sheet))) {
        if (tx && OGR_L_RollbackTransaction(w->ol) != OGRERR_NONE)
            gpcov_dep_clear(ctx); /* the output is discarded anyway */
        return st;
    }
    if (tx && OGR_L_CommitTransaction(w->ol) != OGRERR_NONE)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot commit: %s", dst, gpcov_dep_error(ctx));
    return GPCOV_OK;
}

/* The dataset closed (or the PostGIS transaction finished), the file read
** back and committed over dst, or discarded on an error st. */
static gpcov_status write_finish(struct write_run *w, gpcov_status st)
{
    gpcov_ctx *ctx = w->ctx;
    const char *dst = w->dst;
    if (w->pg) {
        st = gpcov_pg_finish(ctx, dst, w->pg, w->ol, st); /* closes ds */
        w->ds = NULL;
    }
    if (w->ds) {
        gpcov_dep_clear(ctx);
        GDALFlushCache(w->ds);
        GDALClose(w->ds);
        if (!st && CPLGetLastErrorType() >= CE_Failure)
            st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot finish writing: %s", dst,
                           gpcov_dep_error(ctx));
    }
    if (*w->mem) {
        vsi_l_offset n = 0;
        GByte *b = VSIGetMemFileBuffer(w->mem, &n, TRUE);
        FILE *f = !st && b ? fopen(w->path, "wb") : NULL;
        if (!st && (!f || fwrite(b, 1, (size_t)n, f) != (size_t)n))
            st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write", dst);
        if (f && fclose(f) && !st)
            st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write", dst);
        CPLFree(b);
        VSIUnlink(w->mem);
    }
    OSRDestroySpatialReference(w->srs);
    CSLDestroy(w->lco);
    CSLDestroy(w->dco);
    if (w->path && !w->is_pg && !st)
        st = read_back(ctx, w->path, dst, w->o->layer_name ? w->o->layer_name : w->base_name,
                       w->l->n);
    if (w->tmp) {
        if (st)
            gpcov_atomic_abort(w->tmp);
        else
            st = gpcov_atomic_commit(ctx, w->tmp, dst);
    }
    free(w->tmp);
    return st;
}

gpcov_status gpcov_layer_write(gpcov_ctx *ctx, const struct gpcov_layer *l,
                               const char *dst,
                               const struct gpcov_write_opts *opts)
{
    static const struct gpcov_write_opts none;
    struct write_run w = {.ctx = ctx, .l = l, .dst = dst, .o = opts ? opts : &none};
    gpcov_status st = write_begin(&w);
    if (st) {
        CSLDestroy(w.lco);
        return st;
    }
    if (!strcmp(w.drvname, "CSV") && gpcov_ctx_csv_style(ctx) == GPCOV_CSV_DANISH)
        return write_finish(&w, gpcov_csv_danish_write(ctx, l, w.path, dst));
    return write_finish(&w, write_layer(&w));
}
