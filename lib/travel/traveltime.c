/*
** traveltime.c: the travel-time models behind one handle.  Opening a model
** reads its inputs once — the friction raster, or the road graph and the
** connectors that join every cell to the road (traveltime_roads.c), or
** just the grid for the straight-line model — and the source points; a run
** then gives minutes from all sources, or from one (a catchment).  The
** file driver writes the minutes, the nearest source and per-source
** rasters, and for the road model the graph and its node times as CSV
** (network_write.c), all of them or none, each raster labelled with the
** model that made it.
*/
#include "travel_internal.h"
#include "traveltime_internal.h"

#include <cpl_string.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Source i's point (a one-point multipoint will do) into *x, *y. */
static gpcov_status source_point(gpcov_ctx *ctx, const GEOSGeometry *g, const char *name,
                                 double *x, double *y)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    if (g && GEOSGeomTypeId_r(h, g) == GEOS_MULTIPOINT && GEOSGetNumGeometries_r(h, g) == 1)
        g = GEOSGetGeometryN_r(h, g, 0);
    if (!g || GEOSGeomTypeId_r(h, g) != GEOS_POINT || GEOSisEmpty_r(h, g) != 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s", name,
                         g ? "not a point (sources must be points)" : "no geometry");
    if (GEOSGeomGetX_r(h, g, x) != 1 || GEOSGeomGetY_r(h, g, y) != 1)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: cannot read the point", name);
    return GPCOV_OK;
}

/* A source's id from --source-id as the number of the nearest raster
** (*idnum) and a file name for --per-source, checked for what is asked. */
static gpcov_status source_idnum(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                 const char *name, const char *id, size_t nsources,
                                 int32_t *idnum)
{
    char *end;
    errno = 0;
    long long v = strtoll(id, &end, 10);
    if (o->nearest && (!id[0] || *end || errno || v < 0 || v > INT32_MAX))
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: the nearest raster needs whole-number ids from 0 to "
                         "%d in --source-id %s (leave out --source-id to number "
                         "the sources 1..%zu in file order)",
                         name, INT32_MAX, o->source_id, nsources);
    if (o->per_source && (!id[0] || strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, "..")))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: id '%s' cannot name a file in --per-source",
                         name, id);
    *idnum = (int32_t)v;
    return GPCOV_OK;
}

/* Feature i of l as source i of m: its label, id, point and number. */
static gpcov_status read_source(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                const struct gpcov_layer *l, int f, size_t i,
                                struct gpcov_ttmodel *m)
{
    char id[200] = "", name[600];
    if (f >= 0) {
        gpcov_value_text(l, i, f, id, sizeof id);
        snprintf(name, sizeof name, "%s: feature %zu (%s '%s')", o->sources, i + 1,
                 o->source_id, id);
    } else {
        snprintf(id, sizeof id, "%zu", i + 1);
        snprintf(name, sizeof name, "%s: feature %zu", o->sources, i + 1);
    }
    if (!(m->labels[i] = gpcov_strdup(name)) || !(m->ids[i] = gpcov_strdup(id)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = source_point(ctx, l->geoms[i], name, &m->x[i], &m->y[i]);
    if (st)
        return st;
    m->idnum[i] = (int32_t)(i + 1);
    if (f >= 0 && (o->nearest || o->per_source))
        return source_idnum(ctx, o, name, id, l->n, &m->idnum[i]);
    return GPCOV_OK;
}

static gpcov_status read_sources(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                 struct gpcov_ttmodel *m)
{
    struct gpcov_read_opts ro = {.layer = o->source_layer,
                                 .x_field = o->x_field,
                                 .y_field = o->y_field,
                                 .srs = o->srs};
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_layer_read(ctx, o->sources, &ro, &l);
    if (st)
        return st;
    int f = -1;
    if (o->source_id && (f = gpcov_layer_field(l, o->source_id)) < 0) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (--source-id)", o->sources,
                       o->source_id);
        goto done;
    }
    m->n = l->n;
    m->x = malloc(l->n * sizeof *m->x);
    m->y = malloc(l->n * sizeof *m->y);
    m->labels = calloc(l->n, sizeof *m->labels);
    m->ids = calloc(l->n, sizeof *m->ids);
    m->idnum = malloc(l->n * sizeof *m->idnum);
    if (!m->x || !m->y || !m->labels || !m->ids || !m->idnum) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < l->n && !st; i++)
        st = read_source(ctx, o, l, f, i, m);
    if (!st && !l->n)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no sources", o->sources);
done:
    gpcov_layer_free(ctx, l);
    return st;
}

/* The grid of the ROADS and STRAIGHT models: the bounding box of the
** extent source (or of the given box) snapped outward to the resolution. */
gpcov_status gpcov_tt_grid(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                           const double *box, struct gpcov_grid *g)
{
    double res = o->resolution > 0 ? o->resolution : 100;
    double b[4];
    if (o->extent) {
        struct gpcov_layer *l = NULL;
        gpcov_status st = gpcov_layer_read(ctx, o->extent, NULL, &l);
        if (st)
            return st;
        b[0] = b[1] = INFINITY;
        b[2] = b[3] = -INFINITY;
        for (size_t i = 0; i < l->n; i++) {
            double v;
            if (!l->geoms[i] || GEOSisEmpty_r(ctx->geos, l->geoms[i]))
                continue;
            if (GEOSGeom_getXMin_r(ctx->geos, l->geoms[i], &v) == 1) b[0] = fmin(b[0], v);
            if (GEOSGeom_getYMin_r(ctx->geos, l->geoms[i], &v) == 1) b[1] = fmin(b[1], v);
            if (GEOSGeom_getXMax_r(ctx->geos, l->geoms[i], &v) == 1) b[2] = fmax(b[2], v);
            if (GEOSGeom_getYMax_r(ctx->geos, l->geoms[i], &v) == 1) b[3] = fmax(b[3], v);
        }
        gpcov_layer_free(ctx, l);
        if (!(b[2] > b[0]) || !(b[3] > b[1]))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: no extent (no geometries)", o->extent);
    } else if (box) {
        memcpy(b, box, sizeof b);
    } else {
        return gpcov_err(ctx, GPCOV_EUSAGE, "--extent is required with this model");
    }
    double x0 = floor(b[0] / res) * res, y0 = floor(b[1] / res) * res;
    double x1 = ceil(b[2] / res) * res, y1 = ceil(b[3] / res) * res;
    if (!o->extent) {
        /* the box of points (road vertices, sources): cells are half open
        ** (a cell holds its west and north edges), so a point on the box's
        ** east or south edge needs a cell beyond it */
        x1 = (floor(b[2] / res) + 1) * res;
        y0 = (ceil(b[1] / res) - 1) * res;
    }
    double nx = (x1 - x0) / res, ny = (y1 - y0) / res;
    if (nx < 1)
        nx = 1, x1 = x0 + res;
    if (ny < 1)
        ny = 1, y1 = y0 + res;
    if (nx * ny > 4e9 || nx > 2e9 || ny > 2e9)
        return gpcov_err(ctx, GPCOV_EUSAGE, "a grid of %.0f x %.0f cells at %g m is too large",
                         nx, ny, res);
    memset(g, 0, sizeof *g);
    g->nx = (int)llround(nx);
    g->ny = (int)llround(ny);
    double gt[6] = {x0, res, 0, y1, 0, -res};
    memcpy(g->gt, gt, sizeof gt);
    return GPCOV_OK;
}

void gpcov_ttmodel_free(gpcov_ttmodel *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->labels ? m->labels[i] : NULL);
        free(m->ids ? m->ids[i] : NULL);
    }
    free(m->labels), free(m->ids), free(m->idnum), free(m->x), free(m->y);
    free(m->friction), free(m->cells);
    gpcov_tt_roads_free(m);
    gpcov_grid_clear(&m->g);
    free(m);
}

gpcov_status gpcov_ttmodel_open(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                gpcov_ttmodel **out)
{
    *out = NULL;
    if (!o->sources)
        return gpcov_err(ctx, GPCOV_EUSAGE, "travel time: no sources given");
    /* the bound of a --speeds row: no car goes faster, and a speed of 1e308
    ** would make every time 0 */
    if (o->model == GPCOV_TT_STRAIGHT && !(o->kmh >= 0 && o->kmh <= GPCOV_MAX_KMH))
        return gpcov_err(ctx, GPCOV_EUSAGE, "--speed %g: expected a speed of 0-%d km/h", o->kmh,
                         GPCOV_MAX_KMH);
    gpcov_ttmodel *m = calloc(1, sizeof *m);
    if (!m)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    m->model = o->model;
    gpcov_status st = read_sources(ctx, o, m);
    if (st)
        goto fail;
    switch (o->model) {
    case GPCOV_TT_FRICTION:
        if (!o->friction) {
            st = gpcov_err(ctx, GPCOV_EUSAGE, "travel time: no friction raster given");
            goto fail;
        }
        if ((st = gpcov_friction_read(ctx, o->friction, &m->g, &m->friction)))
            goto fail;
        m->knight = o->knight;
        if (!(m->cells = malloc(m->n * sizeof *m->cells))) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            goto fail;
        }
        if ((st = gpcov_grid_locate(ctx, &m->g, m->friction, m->n, m->x, m->y,
                                    (const char *const *)m->labels, m->cells)))
            goto fail;
        snprintf(m->desc, sizeof m->desc,
                 "friction model: %s, accumulated as GRASS r.cost (%s)", o->friction,
                 o->knight ? "16 moves with knight's moves" : "8 neighbours");
        snprintf(m->desc_da, sizeof m->desc_da,
                 "Rejsetid efter friktionsflade: %s, summeret som GRASS r.cost.", o->friction);
        break;
    case GPCOV_TT_ROADS:
        if ((st = gpcov_tt_roads_open(ctx, o, m)))
            goto fail;
        break;
    case GPCOV_TT_STRAIGHT:
        m->kmh = o->kmh > 0 ? o->kmh : 60;
        m->detour = o->detour > 0 ? o->detour : 1.3;
        if ((st = gpcov_tt_grid(ctx, o, NULL, &m->g)))
            goto fail;
        snprintf(m->desc, sizeof m->desc,
                 "straight-line model (no road network): crow-fly distance x %.2f detour "
                 "at %.0f km/h",
                 m->detour, m->kmh);
        snprintf(m->desc_da, sizeof m->desc_da,
                 "Rejsetid i fugleflugt (intet vejnet): afstand x %.2f for omveje ved %.0f km/t.",
                 m->detour, m->kmh);
        for (char *c = strchr(m->desc_da, '.'); c && c[1] >= '0' && c[1] <= '9'; c = NULL)
            *c = ','; /* the detour factor with a decimal comma */
        break;
    }
    *out = m;
    return GPCOV_OK;
fail:
    gpcov_ttmodel_free(m);
    return st;
}

const struct gpcov_grid *gpcov_ttmodel_grid(const gpcov_ttmodel *m) { return &m->g; }
size_t gpcov_ttmodel_nsources(const gpcov_ttmodel *m) { return m->n; }
const char *gpcov_ttmodel_source_id(const gpcov_ttmodel *m, size_t k) { return m->ids[k]; }
const char *gpcov_ttmodel_source_label(const gpcov_ttmodel *m, size_t k) { return m->labels[k]; }
const char *gpcov_ttmodel_description(const gpcov_ttmodel *m) { return m->desc; }
const char *gpcov_ttmodel_description_da(const gpcov_ttmodel *m) { return m->desc_da; }

static gpcov_status run_straight(gpcov_ctx *ctx, gpcov_ttmodel *m, long only, double max,
                                 float *minutes, int32_t *nearest)
{
    const struct gpcov_grid *g = &m->g;
    double per_m = m->detour / (m->kmh * 1000.0 / 60.0); /* minutes per metre */
    size_t k0 = only >= 0 ? (size_t)only : 0, k1 = only >= 0 ? (size_t)only + 1 : m->n;
    for (int r = 0; r < g->ny; r++) {
        double cy = g->gt[3] + (r + 0.5) * g->gt[5];
        for (int c = 0; c < g->nx; c++) {
            double cx = g->gt[0] + (c + 0.5) * g->gt[1], best = INFINITY;
            int32_t bk = -1;
            for (size_t k = k0; k < k1; k++) {
                double d = (cx - m->x[k]) * (cx - m->x[k]) + (cy - m->y[k]) * (cy - m->y[k]);
                if (d < best)
                    best = d, bk = (int32_t)k;
            }
            double t = sqrt(best) * per_m;
            size_t i = (size_t)r * (size_t)g->nx + (size_t)c;
            int out = max > 0 && t > max;
            minutes[i] = out ? NAN : (float)t;
            if (nearest)
                nearest[i] = out ? -1 : bk;
        }
        if ((r & 255) == 0) {
            gpcov_status st = gpcov_progress(ctx, (double)r / g->ny, "travel time");
            if (st)
                return st;
        }
    }
    return GPCOV_OK;
}

gpcov_status gpcov_ttmodel_run(gpcov_ctx *ctx, gpcov_ttmodel *m, long only, double max_minutes,
                               float *minutes, int32_t *nearest)
{
    if (only >= (long)m->n)
        return gpcov_err(ctx, GPCOV_EUSAGE, "there is no source %ld", only + 1);
    switch (m->model) {
    case GPCOV_TT_FRICTION: {
        const int64_t *cells = only >= 0 ? &m->cells[only] : m->cells;
        gpcov_status st = gpcov_costdist(ctx, &m->g, m->friction, cells, only >= 0 ? 1 : m->n,
                                         m->knight, max_minutes, minutes, nearest);
        if (!st && nearest && only >= 0) {
            size_t n = (size_t)m->g.nx * (size_t)m->g.ny;
            for (size_t i = 0; i < n; i++)
                if (nearest[i] >= 0)
                    nearest[i] = (int32_t)only;
        }
        return st;
    }
    case GPCOV_TT_ROADS: {
        gpcov_status st = gpcov_tt_roads_run(ctx, m, only, max_minutes, minutes, nearest);
        if (!st && only < 0 && !(max_minutes > 0))
            gpcov_tt_roads_unreached(ctx, m, minutes, m->extent, m->place_names);
        return st;
    }
    case GPCOV_TT_STRAIGHT: return run_straight(ctx, m, only, max_minutes, minutes, nearest);
    }
    return gpcov_err(ctx, GPCOV_EINTERNAL, "unknown travel model");
}

/* ----------------------------------------------------------- files out */

static char *per_source_path(const char *dir, const char *id)
{
    size_t n = strlen(dir) + strlen(id) + 8;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s.tif", dir, id);
    return p;
}

/* Writes a raster as one output of the run's set (outset.c). */
static gpcov_status write_out(gpcov_ctx *ctx, gpcov_outset *set, const char *dst,
                              const struct gpcov_grid *g, enum gpcov_raster_type t,
                              const void *v, const struct gpcov_raster_write_opts *wo)
{
    const char *tmp;
    gpcov_status st = gpcov_outset_add(ctx, set, dst, &tmp);
    if (st)
        return st;
    struct gpcov_raster_write_opts w = *wo;
    w.into = tmp; /* the set's temporary, committed by the set */
    return gpcov_raster_write(ctx, dst, g, t, v, &w);
}

/* Writes source k's minutes to the per-source directory. */
static gpcov_status write_source(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                 const gpcov_ttmodel *m, size_t k, const float *cost,
                                 struct gpcov_raster_write_opts *wo, gpcov_outset *set)
{
    char *p = per_source_path(o->per_source, m->ids[k]);
    if (!p)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    wo->description = m->labels[k];
    wo->units = "min";
    gpcov_status st = write_out(ctx, set, p, &m->g, GPCOV_RASTER_FLOAT32, cost, wo);
    free(p);
    return st;
}

/* One source's run on a second thread. */
struct side_run {
    gpcov_ttmodel *m;
    long k;
    double max;
    float *cost;
    gpcov_ctx *ctx;
    gpcov_status st;
};

static void *side_main(void *p)
{
    struct side_run *s = p;
    s->st = gpcov_ttmodel_run(s->ctx, s->m, s->k, s->max, s->cost, NULL);
    return NULL;
}

/* The outputs asked for: some, none twice, none there already. */
static gpcov_status check_outputs(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o)
{
    if (!o->output && !o->per_source && !o->network_output && !o->node_output)
        return gpcov_err(ctx, GPCOV_EUSAGE, "travel time: give --output or --per-source");
    if ((o->network_output || o->node_output) && o->model != GPCOV_TT_ROADS)
        return gpcov_err(ctx, GPCOV_EUSAGE, "travel time: --network-output and --node-output "
                         "need the road network model (--roads)");
    const char *outs[4] = {o->output, o->nearest, o->network_output, o->node_output};
    static const char *const what[4] = {"the output", "the nearest source raster",
                                        "the network output", "the node output"};
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < k; j++)
            if (outs[k] && outs[j] && !strcmp(outs[k], outs[j]))
                return gpcov_err(ctx, GPCOV_EUSAGE, "%s: given both as %s and as %s", outs[k],
                                 what[j], what[k]);
    for (int k = 0; k < 4; k++)
        if (outs[k] && !o->overwrite && gpcov_path_exists(outs[k]))
            return gpcov_err(ctx, GPCOV_EOUTPUT,
                             "%s: exists already (use --overwrite to replace it)", outs[k]);
    return GPCOV_OK;
}

/* The state of one gpcov_traveltime run, shared by its phases. */
struct run {
    gpcov_ctx *ctx;
    const struct gpcov_traveltime_opts *o;
    gpcov_ttmodel *m;
    gpcov_outset *set;            /* all outputs, or none                   */
    size_t n;                     /* cells                                  */
    float *cost, *cost2;
    struct gpcov_ctx *ctx2;
    int32_t *near;
    char **md;
    int made_dir;
    struct gpcov_raster_write_opts wo;
};

/* The per-source directory, made when missing, and none of its files
** there already (without --overwrite). */
static gpcov_status per_source_dir(struct run *R)
{
    const struct gpcov_traveltime_opts *o = R->o;
    struct stat sb;
    if (stat(o->per_source, &sb) != 0) {
        if (mkdir(o->per_source, 0777) != 0)
            return gpcov_err(R->ctx, GPCOV_EOUTPUT, "%s: cannot make the directory: %s",
                             o->per_source, strerror(errno));
        R->made_dir = 1;
    } else if (!S_ISDIR(sb.st_mode))
        return gpcov_err(R->ctx, GPCOV_EOUTPUT, "%s: not a directory (--per-source)",
                         o->per_source);
    for (size_t k = 0; k < R->m->n && !o->overwrite; k++) {
        char *p = per_source_path(o->per_source, R->m->ids[k]);
        int exists = p && gpcov_path_exists(p);
        gpcov_status st = exists ? gpcov_err(R->ctx, GPCOV_EOUTPUT, "%s: exists already (use "
                                             "--overwrite to replace it)", p)
                                 : GPCOV_OK;
        free(p);
        if (exists)
            return st;
    }
    return GPCOV_OK;
}

/* The metadata every raster carries: the model, its ferries, the sources,
** the cut, the version. */
static void make_metadata(struct run *R)
{
    const struct gpcov_traveltime_opts *o = R->o;
    gpcov_ttmodel *m = R->m;
    char **md = NULL;
    md = CSLSetNameValue(md, "GPCOV_MODEL", m->desc);
    md = CSLSetNameValue(md, "GPCOV_MODEL_DA", m->desc_da);
    if (m->model == GPCOV_TT_ROADS) {
        char *fe = gpcov_tt_roads_ferry_meta(m);
        md = CSLSetNameValue(md, "GPCOV_FERRIES", fe ? fe : "");
        free(fe);
    }
    md = CSLSetNameValue(md, "GPCOV_SOURCES", o->sources);
    if (o->max_minutes > 0) {
        /* nodata then means "beyond this" as well as unreachable: a reader
        ** of the raster (overlay --sample) must know the cut */
        char cut[64];
        snprintf(cut, sizeof cut, "%.17g", o->max_minutes);
        md = CSLSetNameValue(md, "GPCOV_MAX_MINUTES", cut);
    }
    md = CSLSetNameValue(md, "GPCOV_VERSION", GPCOV_VERSION);
    R->md = md;
    R->wo = (struct gpcov_raster_write_opts){.overwrite = o->overwrite,
                                             .description = "travel time to the nearest source",
                                             .units = "min",
                                             .metadata = md};
}

/* The run from all sources: its node times, its minutes and the nearest
** source. */
static gpcov_status all_sources(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_traveltime_opts *o = R->o;
    gpcov_ttmodel *m = R->m;
    gpcov_status st;
    if (o->output || o->node_output) {
        if ((st = gpcov_ttmodel_run(ctx, m, -1, o->max_minutes, R->cost, R->near)))
            return st;
        /* the node times of this all-source run, before a per-source run
        ** reuses the model's scratch */
        if (o->node_output) {
            const char *tmp = NULL;
            if ((st = gpcov_outset_add(ctx, R->set, o->node_output, &tmp)) ||
                (st = gpcov_network_write_nodes(ctx, m->net, m->node_t, m->node_near,
                                                (const char *const *)m->ids, tmp, 1)))
                return st;
        }
    }
    if (!o->output)
        return GPCOV_OK;
    for (size_t i = 0; R->near && i < R->n; i++)
        if (R->near[i] >= 0)
            R->near[i] = m->idnum[R->near[i]];
    gpcov_phase(ctx, "cells");
    if ((st = write_out(ctx, R->set, o->output, &m->g, GPCOV_RASTER_FLOAT32, R->cost, &R->wo)))
        return st;
    gpcov_phase(ctx, "writing");
    if (!R->near)
        return GPCOV_OK;
    R->wo.description = o->source_id ? o->source_id : "nearest source (feature number)";
    R->wo.units = NULL;
    return write_out(ctx, R->set, o->nearest, &m->g, GPCOV_RASTER_INT32, R->near, &R->wo);
}

/* Per source: with the friction model and two cores, two sources at
** once, the second on a thread of its own with its own context and
** output (its search is the one-thread one: a single source). */
static gpcov_status per_source(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_traveltime_opts *o = R->o;
    gpcov_ttmodel *m = R->m;
    int pair = o->per_source && m->model == GPCOV_TT_FRICTION && m->n > 1 &&
               gpcov_costdist_threads(2, R->n) > 1;
    /* the side context only takes the message: no GEOS, PROJ or GDAL
    ** handler (gpcov_ctx_new would push one onto this thread's GDAL stack) */
    static const struct gpcov_ctx blank;
    if (pair) {
        R->cost2 = gpcov_grid_alloc(R->n * sizeof *R->cost2);
        R->ctx2 = malloc(sizeof *R->ctx2);
        if (R->ctx2)
            *R->ctx2 = blank;
        pair = R->cost2 && R->ctx2; /* else one at a time */
    }
    gpcov_status st = GPCOV_OK;
    for (size_t k = 0; o->per_source && k < m->n;) {
        struct side_run sr = {m, (long)k + 1, o->max_minutes, R->cost2, R->ctx2, GPCOV_OK};
        pthread_t th;
        int two = pair && k + 1 < m->n && pthread_create(&th, NULL, side_main, &sr) == 0;
        st = gpcov_ttmodel_run(ctx, m, (long)k, o->max_minutes, R->cost, NULL);
        if (two) {
            pthread_join(th, NULL);
            if (!st && sr.st)
                st = gpcov_err(ctx, sr.st, "%s", gpcov_ctx_message(R->ctx2));
        }
        for (int j = 0; !st && j < 1 + two; j++)
            st = write_source(ctx, o, m, k + (size_t)j, j ? R->cost2 : R->cost, &R->wo, R->set);
        if (st)
            return st;
        k += 1 + (size_t)two;
    }
    return GPCOV_OK;
}

/* The graph as searched (for running a peer on the same graph), the
** per-source directory and the grids of the runs. */
static gpcov_status run_prepare(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_traveltime_opts *o = R->o;
    gpcov_ttmodel *m = R->m;
    gpcov_status st;
    if (o->network_output) {
        const char *tmp = NULL;
        if ((st = gpcov_outset_add(ctx, R->set, o->network_output, &tmp)) ||
            (st = gpcov_network_write_edges(ctx, m->net, tmp, 1)))
            return st;
    }
    if (o->per_source && (st = per_source_dir(R)))
        return st;
    R->n = (size_t)m->g.nx * (size_t)m->g.ny;
    R->cost = gpcov_grid_alloc(R->n * sizeof *R->cost);
    R->near = o->nearest ? gpcov_grid_alloc(R->n * sizeof *R->near) : NULL;
    if (!R->cost || (o->nearest && !R->near))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for %d x %d cells", m->g.nx, m->g.ny);
    return GPCOV_OK;
}

/* The run's summary, from the minutes of all sources: the share of the
** cells the model can place (near a road; with friction; every cell for
** the straight line) that a source reaches, the most minutes, the
** sources and the model. */
static void summarize(struct run *R)
{
    const gpcov_ttmodel *m = R->m;
    size_t placed = 0, reached = 0;
    double max = 0;
    for (size_t i = 0; i < R->n; i++) {
        placed += m->model == GPCOV_TT_ROADS      ? m->cell_seg[i] != UINT32_MAX
                  : m->model == GPCOV_TT_FRICTION ? !isnan(m->friction[i])
                                                  : 1;
        if (isfinite(R->cost[i])) {
            reached++;
            max = R->cost[i] > max ? R->cost[i] : max;
        }
    }
    static const char *const name[] = {"friction", "road network", "straight-line"};
    gpcov_summary(R->ctx, "%.1f %% of %zu cells %s reached, max %.0f min, %zu source%s, %s model",
                  placed ? 100.0 * (double)reached / (double)placed : 0.0, placed,
                  m->model == GPCOV_TT_ROADS      ? "near a road"
                  : m->model == GPCOV_TT_FRICTION ? "with friction"
                                                  : "in the grid",
                  max, m->n, m->n == 1 ? "" : "s", name[m->model]);
}

gpcov_status gpcov_traveltime(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o)
{
    gpcov_status st = check_outputs(ctx, o);
    if (st)
        return st;
    struct run R = {.ctx = ctx, .o = o};
    if (!(R.set = gpcov_outset_new(ctx, o->overwrite)))
        return GPCOV_ENOMEM;
    if ((st = gpcov_ttmodel_open(ctx, o, &R.m))) {
        gpcov_outset_free(R.set);
        return st;
    }
    if (!(st = run_prepare(&R))) {
        make_metadata(&R);
        if (!(st = all_sources(&R)) && o->output)
            summarize(&R);
        if (!st && !(st = per_source(&R)))
            st = gpcov_outset_commit(ctx, R.set);
    }
    /* all or nothing: an existing output is left as it was */
    gpcov_outset_free(R.set);
    if (st && R.made_dir)
        rmdir(o->per_source);
    CSLDestroy(R.md);
    free(R.cost);
    free(R.cost2);
    free(R.ctx2);
    free(R.near);
    gpcov_ttmodel_free(R.m);
    return st;
}
