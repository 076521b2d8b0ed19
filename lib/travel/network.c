/*
** network.c: a road graph from OpenStreetMap (.osm/.osm.pbf through GDAL's
** OSM driver) or any OGR line layer (the national network's GeoPackage:
** fields class, oneway, brunnel).  This file reads: each line part, in
** EPSG:25832, with its speed (a speed field, else a tagged maxspeed, else
** the class speed, speed.c), direction (oneway=yes/-1, motorways,
** roundabouts), level (bridge, tunnel) and kind (road, motorway where cars
** cannot stop, ferry: route=ferry or class ferry, timed by its duration
** tag spread over its length, else by the ferry speed).  Then
** network_node.c merges vertices within the snapping tolerance into nodes,
** network_ferry.c joins the ferries to the roads, and the CSR is built.
*/
#include "network_internal.h"

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- raw lines */

void gpcov_rawnet_free(struct rawnet *r)
{
    free(r->x), free(r->y), free(r->l);
    memset(r, 0, sizeof *r);
}

static int raw_grow(struct rawnet *r)
{
    size_t c = r->capv ? r->capv * 2 : 1 << 16;
    double *nx = realloc(r->x, c * sizeof *nx);
    if (nx)
        r->x = nx;
    double *ny = realloc(r->y, c * sizeof *ny);
    if (ny)
        r->y = ny;
    if (!nx || !ny)
        return -1;
    r->capv = c;
    return 0;
}

/* -------------------------------------------------------------- tags */

/* Minutes in an OSM duration: "HH:MM", "HH:MM:SS", "MM", "PT1H30M". */
static double duration_minutes(const char *v)
{
    if (!v)
        return -1;
    if (v[0] == 'P' && v[1] == 'T') {
        double total = 0, x;
        const char *p = v + 2;
        char *end;
        while (*p) {
            x = strtod(p, &end);
            if (end == p)
                return -1;
            if (*end == 'H') total += 60 * x;
            else if (*end == 'M') total += x;
            else if (*end == 'S') total += x / 60;
            else return -1;
            p = end + 1;
        }
        return total;
    }
    int h = 0, m = 0, s = 0;
    int k = sscanf(v, "%d:%d:%d", &h, &m, &s);
    if (k == 3)
        return h * 60 + m + s / 60.0;
    if (k == 2)
        return h * 60 + m;
    if (k == 1 && !strchr(v, ':'))
        return h; /* a bare number is minutes */
    return -1;
}

/* 1 forward only, -1 backward only, 0 both ways. */
static int oneway_of(const char *v, const char *cls, const char *junction)
{
    if (v) {
        if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
            return 1;
        if (!strcmp(v, "-1") || !strcmp(v, "reverse"))
            return -1;
        if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
            return 0;
    }
    if (cls && !strcmp(cls, "motorway"))
        return 1;
    if (junction && !strcmp(junction, "roundabout"))
        return 1;
    return 0;
}

/* -------------------------------------------------------------- speeds */

struct speeds {
    char **cls;
    double *kmh;
    size_t n;
};

static double class_kmh(const struct speeds *sp, const char *cls)
{
    for (size_t i = 0; cls && i < sp->n; i++)
        if (!strcmp(sp->cls[i], cls))
            return sp->kmh[i];
    return gpcov_network_class_kmh(cls);
}

static gpcov_status read_speeds(gpcov_ctx *ctx, const char *path, struct speeds *sp)
{
    struct gpcov_table *t = NULL;
    gpcov_status st = gpcov_table_read(ctx, path, NULL, &t);
    if (st)
        return st;
    int c = gpcov_table_col(t, "class"), k = gpcov_table_col(t, "kmh");
    if (c < 0 || k < 0) {
        gpcov_table_free(t);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: a speed table needs columns 'class' and 'kmh'",
                         path);
    }
    sp->cls = calloc(t->nrows, sizeof *sp->cls);
    sp->kmh = calloc(t->nrows, sizeof *sp->kmh);
    if (!sp->cls || !sp->kmh) {
        gpcov_table_free(t);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < t->nrows; r++) {
        const char *cls = t->cells[r * t->ncols + (size_t)c];
        const char *v = t->cells[r * t->ncols + (size_t)k];
        double d;
        if (!cls || !v || gpcov_parse_number(v, &d) != 0 || d < 0 || d > 300) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: expected a class and a speed 0-300 km/h, "
                           "got '%s', '%s'", path, t->row_line[r], cls ? cls : "",
                           v ? v : "");
            break;
        }
        sp->cls[sp->n] = gpcov_strdup(cls);
        sp->kmh[sp->n++] = d;
    }
    gpcov_table_free(t);
    return st;
}

static void speeds_free(struct speeds *sp)
{
    for (size_t i = 0; i < sp->n; i++)
        free(sp->cls[i]);
    free(sp->cls);
    free(sp->kmh);
}

/* ------------------------------------------------------------- reading */

void gpcov_network_free(struct gpcov_network *net)
{
    if (!net)
        return;
    free(net->x), free(net->y), free(net->first), free(net->to), free(net->minutes);
    free(net->stop);
    free(net->seg_u), free(net->seg_v), free(net->seg_fw), free(net->seg_bw);
    free(net->seg_kind), free(net->comp), free(net->fends);
    free(net);
}

enum { T_CLASS, T_ROUTE, T_ACCESS, T_DURATION, T_MAXSPEED, T_ONEWAY, T_JUNCTION, T_BRUNNEL,
       T_BRIDGE, T_TUNNEL, T_N };

/* What a read needs: the options resolved, the layer, its fields, the
** transformation to EPSG:25832. */
struct reader {
    const char *src;
    const struct gpcov_network_opts *o;
    const char *class_field, *oneway_key, *brunnel_field;
    double ferry_kmh, factor;
    struct speeds sp;
    GDALDatasetH ds;
    OGRLayerH lyr;
    int is_osm, other, speed_idx;
    OGRSpatialReferenceH from, to;
    OGRCoordinateTransformationH ct;
    struct { char cls[32]; double kmh; } seen[24]; /* class speeds used */
    int nseen;
    const char *key[T_N]; /* the tags read, and their fields (-1: none) */
    int idx[T_N];
};

/* A tag of the feature: its field, else the other_tags hstore. */
static const char *rtag(const struct reader *r, OGRFeatureH f, int k, char *buf, size_t n)
{
    int i = r->idx[k];
    if (i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i)) {
        snprintf(buf, n, "%s", OGR_F_GetFieldAsString(f, i));
        return buf;
    }
    if (r->other >= 0 && OGR_F_IsFieldSetAndNotNull(f, r->other) &&
        gpcov_hstore_get(OGR_F_GetFieldAsString(f, r->other), r->key[k], buf, n) == 0)
        return buf;
    return NULL;
}

static void saw_class(struct reader *r, const char *c, double kmh)
{
    for (int i = 0; i < r->nseen; i++)
        if (!strcmp(r->seen[i].cls, c))
            return;
    if (r->nseen == (int)(sizeof r->seen / sizeof *r->seen))
        return;
    snprintf(r->seen[r->nseen].cls, sizeof r->seen[0].cls, "%s", c);
    r->seen[r->nseen++].kmh = kmh;
}

/* "motorway 110, trunk 77, ..." (km/h) from the fastest class down. */
static void speeds_text(struct reader *r, struct gpcov_network *net)
{
    char *p = net->speeds, *end = net->speeds + sizeof net->speeds;
    int used[24] = {0};
    for (int k = 0; k < r->nseen; k++) {
        int b = -1;
        for (int i = 0; i < r->nseen; i++)
            if (!used[i] && (b < 0 || r->seen[i].kmh > r->seen[b].kmh ||
                             (r->seen[i].kmh == r->seen[b].kmh &&
                              strcmp(r->seen[i].cls, r->seen[b].cls) < 0)))
                b = i;
        used[b] = 1;
        int w = snprintf(p, (size_t)(end - p), "%s%s %.0f", k ? ", " : "", r->seen[b].cls,
                         r->seen[b].kmh);
        if (w < 0 || w >= end - p)
            break;
        p += w;
    }
}

static void reader_close(struct reader *r)
{
    if (r->ds)
        GDALClose(r->ds);
    if (r->ct)
        OCTDestroyCoordinateTransformation(r->ct);
    if (r->from)
        OSRDestroySpatialReference(r->from);
    if (r->to)
        OSRDestroySpatialReference(r->to);
    speeds_free(&r->sp);
}

/* Reads only lines near the extent: the box is transformed to the layer's
** CRS for the spatial filter. */
static void reader_filter(struct reader *r)
{
    const double *e = r->o->extent;
    OGRCoordinateTransformationH back = OCTNewCoordinateTransformation(r->to, r->from);
    double bx[4] = {e[0], e[2], e[2], e[0]}, by[4] = {e[1], e[1], e[3], e[3]};
    if (back && OCTTransform(back, 4, bx, by, NULL)) {
        double x0 = fmin(fmin(bx[0], bx[1]), fmin(bx[2], bx[3]));
        double x1 = fmax(fmax(bx[0], bx[1]), fmax(bx[2], bx[3]));
        double y0 = fmin(fmin(by[0], by[1]), fmin(by[2], by[3]));
        double y1 = fmax(fmax(by[0], by[1]), fmax(by[2], by[3]));
        OGR_L_SetSpatialFilterRect(r->lyr, x0, y0, x1, y1);
    }
    if (back)
        OCTDestroyCoordinateTransformation(back);
}

/* The tags (fields) a line is read by, in T_* order. */
static void reader_keys(const struct reader *r, const char *keys[T_N])
{
    const char *k[T_N] = {r->class_field, "route",    "access",      "duration",
                          "maxspeed",     r->oneway_key, "junction", r->brunnel_field,
                          "bridge",       "tunnel"};
    memcpy(keys, k, sizeof k);
}

/* Opens the roads; an OSM file's lines layer with the driver's
** configuration cut to the tags read (network_osmconf.c). */
static void open_dataset(struct reader *r)
{
    GDALDriverH drv = GDALIdentifyDriverEx(r->src, GDAL_OF_VECTOR, NULL, NULL);
    char *conf = NULL, opt[128];
    if (drv && !strcmp(GDALGetDriverShortName(drv), "OSM") &&
        (!r->o->layer || !strcmp(r->o->layer, "lines"))) {
        const char *keys[T_N + 1];
        reader_keys(r, keys);
        keys[T_N] = r->o->speed_field;
        conf = gpcov_osmconf_make(keys, T_N + 1);
    }
    snprintf(opt, sizeof opt, "CONFIG_FILE=%s", conf ? conf : "");
    const char *const oo[] = {conf ? opt : NULL, NULL};
    r->ds = GDALOpenEx(r->src, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, oo, NULL);
    gpcov_osmconf_free(conf);
}

static gpcov_status reader_fields(gpcov_ctx *ctx, struct reader *r)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->lyr);
    /* the national network's GeoPackage calls its classes 'class' */
    if (!r->is_osm && !r->o->class_field && OGR_FD_GetFieldIndex(defn, "highway") < 0 &&
        OGR_FD_GetFieldIndex(defn, "class") >= 0)
        r->class_field = "class";
    r->other = OGR_FD_GetFieldIndex(defn, "other_tags");
    r->speed_idx = -1;
    if (r->o->speed_field && (r->speed_idx = OGR_FD_GetFieldIndex(defn, r->o->speed_field)) < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (--speed-field)", r->src,
                         r->o->speed_field);
    if (!r->is_osm && !r->o->speed_field && OGR_FD_GetFieldIndex(defn, r->class_field) < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (or 'class') for road classes "
                         "(give --class-field or --speed-field)", r->src, r->class_field);
    if (r->o->brunnel_field && OGR_FD_GetFieldIndex(defn, r->o->brunnel_field) < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (--brunnel-field)", r->src,
                         r->o->brunnel_field);
    const char *keys[T_N];
    reader_keys(r, keys);
    for (int k = 0; k < T_N; k++) {
        r->key[k] = keys[k];
        r->idx[k] = OGR_FD_GetFieldIndex(defn, keys[k]);
    }
    return GPCOV_OK;
}

static gpcov_status reader_open(gpcov_ctx *ctx, struct reader *r)
{
    gpcov_dep_clear(ctx);
    open_dataset(r);
    if (!r->ds)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot open as roads: %s", r->src,
                         gpcov_dep_error(ctx));
    r->is_osm = !strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(r->ds)), "OSM");
    const char *lname = r->o->layer ? r->o->layer : r->is_osm ? "lines" : NULL;
    if (r->is_osm && lname) {
        /* the driver then builds no other layer (points, polygons with the
        ** buildings, relations): the pass over the file is much shorter */
        char sql[128];
        snprintf(sql, sizeof sql, "SET interest_layers = %s", lname);
        OGRLayerH res = GDALDatasetExecuteSQL(r->ds, sql, NULL, NULL);
        if (res)
            GDALDatasetReleaseResultSet(r->ds, res);
    }
    r->lyr = lname ? GDALDatasetGetLayerByName(r->ds, lname) : GDALDatasetGetLayer(r->ds, 0);
    if (!r->lyr)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no layer %s", r->src, lname ? lname : "");
    gpcov_status st = reader_fields(ctx, r);
    if (st)
        return st;
    OGRSpatialReferenceH s = OGR_L_GetSpatialRef(r->lyr);
    if (!s)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: the road layer has no CRS", r->src);
    r->from = OSRClone(s);
    OSRSetAxisMappingStrategy(r->from, OAMS_TRADITIONAL_GIS_ORDER);
    r->to = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(r->to, GPCOV_WORKING_EPSG);
    OSRSetAxisMappingStrategy(r->to, OAMS_TRADITIONAL_GIS_ORDER);
    r->ct = OCTNewCoordinateTransformation(r->from, r->to);
    if (!r->ct)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot transform to EPSG:%d", r->src,
                         GPCOV_WORKING_EPSG);
    if (r->o->extent)
        reader_filter(r);
    return GPCOV_OK;
}

/* The next feature of the road layer (OSM files are read interleaved, as
** the driver wants); NULL at the end. */
static OGRFeatureH next_feature(struct reader *r)
{
    if (!r->is_osm)
        return OGR_L_GetNextFeature(r->lyr);
    for (;;) {
        OGRLayerH from = NULL;
        OGRFeatureH f = GDALDatasetGetNextFeature(r->ds, &from, NULL, NULL, NULL);
        if (!f || from == r->lyr)
            return f;
        OGR_F_Destroy(f);
    }
}

/* Bridge or tunnel: a brunnel field (bridge/tunnel/ford), else the OSM
** tags bridge= and tunnel= (anything but "no"). */
static int level_of(const struct reader *r, OGRFeatureH f)
{
    char b[64];
    const char *v = rtag(r, f, T_BRUNNEL, b, sizeof b);
    if (v && !strcmp(v, "bridge"))
        return LEVEL_BRIDGE;
    if (v && !strcmp(v, "tunnel"))
        return LEVEL_TUNNEL;
    if ((v = rtag(r, f, T_BRIDGE, b, sizeof b)) && strcmp(v, "no"))
        return LEVEL_BRIDGE;
    if ((v = rtag(r, f, T_TUNNEL, b, sizeof b)) && strcmp(v, "no"))
        return LEVEL_TUNNEL;
    return LEVEL_GROUND;
}

/* A class of a GIS layer that has no speed and is no path for feet or
** bicycles: a road the speed table forgot (an error, not a skipped line). */
static int unknown_class(const struct reader *r, const char *c)
{
    static const char *const feet[] = {"footway", "cycleway", "path", "steps", "pedestrian",
                                       "bridleway", "corridor", "platform", "construction",
                                       "proposed", "abandoned", "rail", NULL};
    if (!c || !*c)
        return 1;
    for (int i = 0; feet[i]; i++)
        if (!strcmp(c, feet[i]))
            return 0;
    return !(class_kmh(&r->sp, c) > 0);
}

/* Speed, direction, kind and level of feature f into *l; 1 when cars use
** it, 0 when they do not, -1 for a class with no speed. */
static int line_attrs(struct reader *r, OGRFeatureH f, struct gpcov_network *net,
                      struct rawline *l)
{
    char cls[64] = "", b1[64], b2[64], b3[64], b4[64], b5[64], b6[64];
    const char *c = rtag(r, f, T_CLASS, cls, sizeof cls);
    const char *route = rtag(r, f, T_ROUTE, b1, sizeof b1);
    int ferry = (route && !strcmp(route, "ferry")) || (c && !strcmp(c, "ferry"));
    const char *access = rtag(r, f, T_ACCESS, b2, sizeof b2);
    double kmh = 0;
    l->ferry_total = -1;
    if (r->speed_idx >= 0 && OGR_F_IsFieldSetAndNotNull(f, r->speed_idx)) {
        kmh = OGR_F_GetFieldAsDouble(f, r->speed_idx);
    } else if (ferry) {
        l->ferry_total = (float)duration_minutes(rtag(r, f, T_DURATION, b3, sizeof b3));
        kmh = r->ferry_kmh;
    } else if (c && class_kmh(&r->sp, c) > 0) {
        double ms = gpcov_maxspeed_kmh(rtag(r, f, T_MAXSPEED, b4, sizeof b4));
        kmh = ms > 0 ? ms * r->factor : class_kmh(&r->sp, c);
        net->ways_maxspeed += ms > 0;
        if (!(ms > 0))
            saw_class(r, c, kmh);
    }
    if (!(kmh > 0) || (access && !strcmp(access, "no") && !ferry))
        return kmh > 0 || r->is_osm || r->speed_idx >= 0 || ferry || !unknown_class(r, c) ? 0 : -1;
    net->ways_ferry += ferry;
    l->kmh = (float)kmh;
    l->oneway = (int8_t)(ferry ? 0 : oneway_of(rtag(r, f, T_ONEWAY, b5, sizeof b5), c,
                                              rtag(r, f, T_JUNCTION, b6, sizeof b6)));
    l->level = (int8_t)(ferry ? LEVEL_FERRY : level_of(r, f));
    /* connectors join a cell to the road only where a car can stop */
    l->kind = ferry ? GPCOV_SEG_FERRY
              : (c && (!strcmp(c, "motorway") || !strcmp(c, "motorway_link"))) ? GPCOV_SEG_NOSTOP
                                                                               : GPCOV_SEG_ROAD;
    return 1;
}

/* Adds one simple line, its points transformed in place in the raw
** arrays; returns its length in metres, or -1 on ENOMEM, -2 when it
** cannot be transformed. */
static double add_part(const struct reader *r, OGRGeometryH g, const struct rawline *tpl,
                       struct rawnet *raw)
{
    int n = OGR_G_GetPointCount(g);
    if (n < 2)
        return 0;
    while (raw->nv + (size_t)n > raw->capv)
        if (raw_grow(raw))
            return -1;
    if (raw->nl == raw->capl) {
        size_t c = raw->capl ? raw->capl * 2 : 1 << 14;
        struct rawline *nl = realloc(raw->l, c * sizeof *nl);
        if (!nl)
            return -1;
        raw->l = nl, raw->capl = c;
    }
    double *x = raw->x + raw->nv, *y = raw->y + raw->nv, len = 0;
    OGR_G_GetPoints(g, x, sizeof *x, y, sizeof *y, NULL, 0);
    if (!OCTTransform(r->ct, n, x, y, NULL))
        return -2;
    for (int i = 1; i < n; i++)
        len += hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
    struct rawline *l = &raw->l[raw->nl++];
    *l = *tpl;
    l->v0 = raw->nv, l->nv = (uint32_t)n;
    raw->nv += (size_t)n;
    return len;
}

/* Adds the parts of one feature's geometry; -1 on ENOMEM, -2 when it
** cannot be transformed.  A ferry's duration is spread over the length of
** all its parts. */
static int add_geometry(const struct reader *r, OGRGeometryH g, struct rawline *l,
                        struct rawnet *raw)
{
    size_t first = raw->nl;
    double total = 0;
    int parts = wkbFlatten(OGR_G_GetGeometryType(g)) == wkbLineString ? 0 : OGR_G_GetGeometryCount(g);
    for (int p = 0; p < (parts ? parts : 1); p++) {
        double len = add_part(r, parts ? OGR_G_GetGeometryRef(g, p) : g, l, raw);
        if (len < 0)
            return (int)len;
        total += len;
    }
    for (size_t k = first; k < raw->nl; k++)
        raw->l[k].way_len = (float)total;
    return 0;
}

static gpcov_status read_lines(gpcov_ctx *ctx, struct reader *r, struct gpcov_network *net,
                               struct rawnet *raw)
{
    long fno = 0;
    gpcov_dep_clear(ctx);
    OGRFeatureH f;
    for (;;) {
        /* GDAL reports a damaged file (or an OSM way it cut) as an error and
        ** may then end the layer early: that is never the end of the roads */
        f = next_feature(r);
        if (gpcov_dep_failed(ctx)) {
            if (f)
                OGR_F_Destroy(f);
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %ld: cannot read it nor any after "
                             "it: %s", r->src, fno + 1, gpcov_dep_error(ctx));
        }
        if (!f)
            break;
        struct rawline l = {.feature = ++fno};
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        int use = g ? line_attrs(r, f, net, &l) : 0;
        if (use < 0) {
            char cls[64] = "";
            rtag(r, f, T_CLASS, cls, sizeof cls);
            OGR_F_Destroy(f);
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %ld: road class '%s' (field %s) has "
                             "no speed: give it one with --speeds (a 'class,kmh' CSV)", r->src,
                             fno, cls, r->class_field);
        }
        if (!use) {
            net->ways_skipped++;
            OGR_F_Destroy(f);
            continue;
        }
        int rc = add_geometry(r, g, &l, raw);
        OGR_F_Destroy(f);
        if (rc == -2)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %ld: cannot reproject", r->src, fno);
        if (rc)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory reading %s", r->src);
        net->ways_used++;
        gpcov_status st;
        if ((fno & 0xFFFF) == 0 && (st = gpcov_progress(ctx, 0, "reading roads")))
            return st;
    }
    if (!raw->nl)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no roads that cars use%s (%zu lines skipped)",
                         r->src, r->o->extent ? " within the extent" : "", net->ways_skipped);
    return GPCOV_OK;
}

/* Noding, ferries and the finished graph. */
static gpcov_status build(gpcov_ctx *ctx, const struct reader *r, struct rawnet *raw,
                          struct gpcov_network *net)
{
    struct netbuild b = {0};
    const struct gpcov_network_opts *o = r->o;
    double snap = o->snap > 0 ? o->snap : GPCOV_SNAP_DEFAULT;
    double fsnap = o->ferry_snap > 0 ? o->ferry_snap : GPCOV_FERRY_SNAP_DEFAULT;
    double wait = o->ferry_wait > 0 ? o->ferry_wait : o->ferry_wait < 0 ? 0
                                                                       : GPCOV_FERRY_WAIT_DEFAULT;
    net->snap = snap, net->ferry_snap = fsnap, net->ferry_wait = wait;
    net->ferry_kmh = r->ferry_kmh;
    gpcov_phase(ctx, "reading roads");
    gpcov_status st = gpcov_net_node(ctx, raw, snap, &b, &net->vertices_snapped);
    gpcov_phase(ctx, "noding");
    gpcov_rawnet_free(raw);
    if (!st && b.nnodes > UINT32_MAX - 2)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: more than 4 billion road nodes", r->src);
    if (!st)
        st = gpcov_net_ferries(ctx, &b, fsnap, r->ferry_kmh, wait, net);
    gpcov_phase(ctx, "ferries and components");
    if (!st)
        st = gpcov_net_finish(ctx, &b, net);
    gpcov_phase(ctx, "graph");
    gpcov_netbuild_free(&b);
    return st;
}

gpcov_status gpcov_network_read(gpcov_ctx *ctx, const char *src,
                                const struct gpcov_network_opts *opts,
                                struct gpcov_network **out)
{
    static const struct gpcov_network_opts none;
    struct reader r = {.src = src, .o = opts ? opts : &none};
    r.class_field = r.o->class_field ? r.o->class_field : "highway";
    r.oneway_key = r.o->oneway_field ? r.o->oneway_field : "oneway";
    r.brunnel_field = r.o->brunnel_field ? r.o->brunnel_field : "brunnel";
    r.factor = r.o->maxspeed_factor > 0 ? r.o->maxspeed_factor : 1.0;
    struct rawnet raw = {0};
    struct gpcov_network *net = calloc(1, sizeof *net);
    gpcov_status st = net ? GPCOV_OK : gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    *out = NULL;
    gpcov_phase(ctx, "start");
    if (!st && r.o->speeds)
        st = read_speeds(ctx, r.o->speeds, &r.sp);
    r.ferry_kmh = r.o->ferry_kmh > 0 ? r.o->ferry_kmh : class_kmh(&r.sp, "ferry");
    if (!(r.ferry_kmh > 0))
        r.ferry_kmh = GPCOV_FERRY_KMH_DEFAULT;
    if (!st)
        st = reader_open(ctx, &r);
    if (!st)
        st = read_lines(ctx, &r, net, &raw);
    if (!st)
        speeds_text(&r, net);
    reader_close(&r);
    if (!st)
        st = build(ctx, &r, &raw, net);
    gpcov_rawnet_free(&raw);
    if (st) {
        gpcov_network_free(net);
        return st;
    }
    *out = net;
    return GPCOV_OK;
}

long gpcov_network_nearest(const struct gpcov_network *net, double x, double y, double *dist)
{
    long best = -1;
    double bd = INFINITY;
    for (size_t i = 0; i < net->nnodes; i++) {
        double d = (net->x[i] - x) * (net->x[i] - x) + (net->y[i] - y) * (net->y[i] - y);
        if (d < bd) {
            bd = d;
            best = (long)i;
        }
    }
    if (dist)
        *dist = sqrt(bd);
    return best;
}
