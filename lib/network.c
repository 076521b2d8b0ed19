/*
** network.c: a road graph from OpenStreetMap (.osm/.osm.pbf through GDAL's
** OSM driver) or any OGR line layer.  Topology comes from shared vertices:
** OSM ways that share a node share its exact coordinates, so vertices are
** merged when their EPSG:25832 coordinates agree to the centimetre, and
** never because unrelated ways pass close to each other (a bridge over a
** road shares no node with it and stays unconnected).  Every segment
** between consecutive vertices becomes an edge timed by its length and the
** way's speed: a speed field, else a tagged maxspeed, else the class speed
** (speed.c).  One-way ways (oneway=yes/-1, motorways, roundabouts) get one
** direction only; ferries (route=ferry) are timed by their duration tag
** spread over their length, else by a ferry speed.
*/
#include "gpcov_internal.h"

#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------- vertex merging (hash) */

struct vmap {
    size_t cap, n;
    int64_t *kx, *ky;
    uint32_t *id;
    double *x, *y; /* node coordinates, by id */
    uint8_t *stop; /* 1: on a way a car can stop at */
    size_t xcap;
};

static uint64_t mix(int64_t a, int64_t b)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)b + 0x632BE59BD9B4E019ULL);
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 29);
}

static int vmap_grow(struct vmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1 << 16;
    int64_t *kx = malloc(cap * sizeof *kx), *ky = malloc(cap * sizeof *ky);
    uint32_t *id = malloc(cap * sizeof *id);
    if (!kx || !ky || !id) {
        free(kx), free(ky), free(id);
        return -1;
    }
    memset(id, 0xFF, cap * sizeof *id);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->id[i] == UINT32_MAX)
            continue;
        size_t j = mix(m->kx[i], m->ky[i]) & (cap - 1);
        while (id[j] != UINT32_MAX)
            j = (j + 1) & (cap - 1);
        kx[j] = m->kx[i], ky[j] = m->ky[i], id[j] = m->id[i];
    }
    free(m->kx), free(m->ky), free(m->id);
    m->kx = kx, m->ky = ky, m->id = id, m->cap = cap;
    return 0;
}

/* The node at (x, y), made when new; UINT32_MAX on ENOMEM. */
static uint32_t vmap_node(struct vmap *m, double x, double y)
{
    if ((m->n + 1) * 2 > m->cap && vmap_grow(m))
        return UINT32_MAX;
    int64_t a = llround(x * 100), b = llround(y * 100);
    size_t j = mix(a, b) & (m->cap - 1);
    while (m->id[j] != UINT32_MAX) {
        if (m->kx[j] == a && m->ky[j] == b)
            return m->id[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (m->n == m->xcap) {
        size_t xc = m->xcap ? m->xcap * 2 : 1 << 15;
        double *nx = realloc(m->x, xc * sizeof *nx);
        if (nx)
            m->x = nx;
        double *ny = realloc(m->y, xc * sizeof *ny);
        if (ny)
            m->y = ny;
        uint8_t *ns = realloc(m->stop, xc * sizeof *ns);
        if (ns)
            m->stop = ns;
        if (!nx || !ny || !ns)
            return UINT32_MAX;
        m->xcap = xc;
    }
    uint32_t id = (uint32_t)m->n++;
    m->kx[j] = a, m->ky[j] = b, m->id[j] = id;
    m->x[id] = x, m->y[id] = y, m->stop[id] = 0;
    return id;
}

/* ------------------------------------------------------------ edge list */

struct elist {
    size_t n, cap;
    uint32_t *from, *to;
    double *min;
};

static int edge_add(struct elist *e, uint32_t a, uint32_t b, double minutes)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 1 << 16;
        uint32_t *f = realloc(e->from, cap * sizeof *f);
        if (f)
            e->from = f;
        uint32_t *t = realloc(e->to, cap * sizeof *t);
        if (t)
            e->to = t;
        double *m = realloc(e->min, cap * sizeof *m);
        if (m)
            e->min = m;
        if (!f || !t || !m)
            return -1;
        e->cap = cap;
    }
    e->from[e->n] = a, e->to[e->n] = b, e->min[e->n] = minutes;
    e->n++;
    return 0;
}

/* -------------------------------------------------------------- tags */

/* A tag of the feature: a field of that name, else the other_tags hstore. */
static const char *tag(OGRFeatureH f, int other, const char *key, char *buf, size_t n)
{
    int i = OGR_F_GetFieldIndex(f, key);
    if (i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i)) {
        snprintf(buf, n, "%s", OGR_F_GetFieldAsString(f, i));
        return buf;
    }
    if (other >= 0 && OGR_F_IsFieldSetAndNotNull(f, other) &&
        gpcov_hstore_get(OGR_F_GetFieldAsString(f, other), key, buf, n) == 0)
        return buf;
    return NULL;
}

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
    free(net);
}

/* Adds the edges of one line (transformed to EPSG:25832). */
static int add_line(struct vmap *vm, struct elist *el, OGRGeometryH g, double kmh,
                    double ferry_total, double way_len, int oneway, int stop)
{
    int n = OGR_G_GetPointCount(g);
    uint32_t prev = UINT32_MAX;
    double px = 0, py = 0;
    for (int i = 0; i < n; i++) {
        double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
        uint32_t id = vmap_node(vm, x, y);
        if (id == UINT32_MAX)
            return -1;
        vm->stop[id] |= (uint8_t)stop;
        if (prev != UINT32_MAX && id != prev) {
            double len = hypot(x - px, y - py);
            double min = ferry_total >= 0 ? (way_len > 0 ? ferry_total * len / way_len : 0)
                                          : len / (kmh * 1000.0 / 60.0);
            if ((oneway >= 0 && edge_add(el, prev, id, min)) ||
                (oneway <= 0 && edge_add(el, id, prev, min)))
                return -1;
        }
        prev = id, px = x, py = y;
    }
    return 0;
}

static gpcov_status build_csr(gpcov_ctx *ctx, struct vmap *vm, struct elist *el,
                              struct gpcov_network *net)
{
    net->nnodes = vm->n;
    net->nedges = el->n;
    net->first = gpcov_grid_alloc((vm->n + 1) * sizeof *net->first);
    net->to = gpcov_grid_alloc((el->n ? el->n : 1) * sizeof *net->to);
    net->minutes = gpcov_grid_alloc((el->n ? el->n : 1) * sizeof *net->minutes);
    if (!net->first || !net->to || !net->minutes)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory building the road graph");
    memset(net->first, 0, (vm->n + 1) * sizeof *net->first);
    for (size_t e = 0; e < el->n; e++)
        net->first[el->from[e] + 1]++;
    for (size_t i = 0; i < vm->n; i++)
        net->first[i + 1] += net->first[i];
    size_t *fill = malloc((vm->n ? vm->n : 1) * sizeof *fill);
    if (!fill)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory building the road graph");
    memcpy(fill, net->first, vm->n * sizeof *fill);
    for (size_t e = 0; e < el->n; e++) {
        size_t at = fill[el->from[e]]++;
        net->to[at] = el->to[e];
        net->minutes[at] = el->min[e];
    }
    free(fill);
    net->x = vm->x, net->y = vm->y, net->stop = vm->stop;
    vm->x = vm->y = NULL;
    vm->stop = NULL;
    return GPCOV_OK;
}

gpcov_status gpcov_network_read(gpcov_ctx *ctx, const char *src,
                                const struct gpcov_network_opts *opts,
                                struct gpcov_network **out)
{
    static const struct gpcov_network_opts none;
    const struct gpcov_network_opts *o = opts ? opts : &none;
    const char *class_field = o->class_field ? o->class_field : "highway";
    const char *oneway_key = o->oneway_field ? o->oneway_field : "oneway";
    double ferry_kmh = o->ferry_kmh > 0 ? o->ferry_kmh : 20;
    double factor = o->maxspeed_factor > 0 ? o->maxspeed_factor : 1.0;
    struct speeds sp = {0};
    struct vmap vm = {0};
    struct elist el = {0};
    struct gpcov_network *net = NULL;
    OGRSpatialReferenceH to = NULL, from = NULL;
    OGRCoordinateTransformationH ct = NULL;
    gpcov_status st = GPCOV_OK;
    *out = NULL;
    if (o->speeds && (st = read_speeds(ctx, o->speeds, &sp)))
        goto done;
    gpcov_dep_clear(ctx);
    GDALDatasetH ds = GDALOpenEx(src, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot open as roads: %s", src, gpcov_dep_error(ctx));
        goto done;
    }
    int is_osm = !strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(ds)), "OSM");
    const char *lname = o->layer ? o->layer : is_osm ? "lines" : NULL;
    OGRLayerH lyr = lname ? GDALDatasetGetLayerByName(ds, lname) : GDALDatasetGetLayer(ds, 0);
    if (!lyr) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no layer %s", src, lname ? lname : "");
        GDALClose(ds);
        goto done;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int other = OGR_FD_GetFieldIndex(defn, "other_tags");
    int speed_idx = -1;
    if (o->speed_field && (speed_idx = OGR_FD_GetFieldIndex(defn, o->speed_field)) < 0) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (--speed-field)", src, o->speed_field);
        GDALClose(ds);
        goto done;
    }
    if (!is_osm && !o->speed_field && OGR_FD_GetFieldIndex(defn, class_field) < 0) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' for road classes (give "
                       "--class-field or --speed-field)", src, class_field);
        GDALClose(ds);
        goto done;
    }
    OGRSpatialReferenceH s = OGR_L_GetSpatialRef(lyr);
    if (!s) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: the road layer has no CRS", src);
        GDALClose(ds);
        goto done;
    }
    from = OSRClone(s);
    OSRSetAxisMappingStrategy(from, OAMS_TRADITIONAL_GIS_ORDER);
    to = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(to, GPCOV_WORKING_EPSG);
    OSRSetAxisMappingStrategy(to, OAMS_TRADITIONAL_GIS_ORDER);
    ct = OCTNewCoordinateTransformation(from, to);
    if (!ct) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot transform to EPSG:%d", src, GPCOV_WORKING_EPSG);
        GDALClose(ds);
        goto done;
    }
    if (o->extent) {
        /* the spatial filter is in the layer's CRS: transform the box */
        OGRCoordinateTransformationH back = OCTNewCoordinateTransformation(to, from);
        double bx[4] = {o->extent[0], o->extent[2], o->extent[2], o->extent[0]};
        double by[4] = {o->extent[1], o->extent[1], o->extent[3], o->extent[3]};
        if (back && OCTTransform(back, 4, bx, by, NULL)) {
            double x0 = fmin(fmin(bx[0], bx[1]), fmin(bx[2], bx[3]));
            double x1 = fmax(fmax(bx[0], bx[1]), fmax(bx[2], bx[3]));
            double y0 = fmin(fmin(by[0], by[1]), fmin(by[2], by[3]));
            double y1 = fmax(fmax(by[0], by[1]), fmax(by[2], by[3]));
            OGR_L_SetSpatialFilterRect(lyr, x0, y0, x1, y1);
        }
        if (back)
            OCTDestroyCoordinateTransformation(back);
    }
    net = calloc(1, sizeof *net);
    if (!net) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        GDALClose(ds);
        goto done;
    }
    OGRFeatureH f;
    OGRLayerH from_lyr = NULL;
    long fno = 0;
    for (;;) {
        /* OSM files are read interleaved, as the driver wants */
        if (is_osm) {
            f = GDALDatasetGetNextFeature(ds, &from_lyr, NULL, NULL, NULL);
            if (f && from_lyr != lyr) {
                OGR_F_Destroy(f);
                continue;
            }
        } else {
            f = OGR_L_GetNextFeature(lyr);
        }
        if (!f)
            break;
        fno++;
        char cls[64] = "", b1[64], b2[64], b3[64], b4[64], b5[64], b6[64];
        const char *c = tag(f, other, class_field, cls, sizeof cls);
        const char *route = tag(f, other, "route", b1, sizeof b1);
        int ferry = route && !strcmp(route, "ferry");
        const char *access = tag(f, other, "access", b2, sizeof b2);
        double kmh = 0, ferry_total = -1;
        if (speed_idx >= 0 && OGR_F_IsFieldSetAndNotNull(f, speed_idx)) {
            kmh = OGR_F_GetFieldAsDouble(f, speed_idx);
        } else if (ferry) {
            ferry_total = duration_minutes(tag(f, other, "duration", b3, sizeof b3));
            kmh = ferry_kmh;
            net->ways_ferry++;
        } else if (c && class_kmh(&sp, c) > 0) {
            double ms = gpcov_maxspeed_kmh(tag(f, other, "maxspeed", b4, sizeof b4));
            kmh = ms > 0 ? ms * factor : class_kmh(&sp, c);
            if (ms > 0)
                net->ways_maxspeed++;
        }
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (kmh <= 0 || !g || (access && !strcmp(access, "no") && !ferry)) {
            net->ways_skipped++;
            OGR_F_Destroy(f);
            continue;
        }
        int ow = ferry ? 0 : oneway_of(tag(f, other, oneway_key, b5, sizeof b5), c,
                                       tag(f, other, "junction", b6, sizeof b6));
        OGRGeometryH gc = OGR_G_Clone(g);
        OGR_G_FlattenTo2D(gc);
        if (OGR_G_Transform(gc, ct) != OGRERR_NONE) {
            OGR_G_DestroyGeometry(gc);
            OGR_F_Destroy(f);
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %ld: cannot reproject", src, fno);
            GDALClose(ds);
            goto done;
        }
        /* connectors join a cell to the road only where a car can stop */
        int stop = !ferry && !(c && (!strcmp(c, "motorway") || !strcmp(c, "motorway_link")));
        int parts = OGR_G_GetGeometryCount(gc);
        int rc = 0;
        double len = OGR_G_Length(gc);
        if (wkbFlatten(OGR_G_GetGeometryType(gc)) == wkbLineString)
            rc = add_line(&vm, &el, gc, kmh, ferry_total, len, ow, stop);
        else
            for (int p = 0; p < parts && !rc; p++)
                rc = add_line(&vm, &el, OGR_G_GetGeometryRef(gc, p), kmh, ferry_total, len, ow,
                              stop);
        OGR_G_DestroyGeometry(gc);
        OGR_F_Destroy(f);
        if (rc) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory reading %s", src);
            GDALClose(ds);
            goto done;
        }
        net->ways_used++;
        if ((fno & 0xFFFF) == 0 && (st = gpcov_progress(ctx, 0, "reading roads"))) {
            GDALClose(ds);
            goto done;
        }
    }
    GDALClose(ds);
    if (vm.n > UINT32_MAX - 1) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: more than 4 billion road nodes", src);
        goto done;
    }
    if (!el.n) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no roads that cars use%s (%zu lines skipped)", src,
                       o->extent ? " within the extent" : "", net->ways_skipped);
        goto done;
    }
    if ((st = build_csr(ctx, &vm, &el, net)))
        goto done;
    *out = net;
    net = NULL;
done:
    gpcov_network_free(net);
    free(vm.kx), free(vm.ky), free(vm.id), free(vm.x), free(vm.y), free(vm.stop);
    free(el.from), free(el.to), free(el.min);
    speeds_free(&sp);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (from)
        OSRDestroySpatialReference(from);
    if (to)
        OSRDestroySpatialReference(to);
    return st;
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
