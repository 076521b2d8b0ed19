/*
** traveltime_roads.c: the road-network model of travel time.  The graph
** comes from network.c; this file joins the world to it.  Every source and
** every cell centre is joined to the nearest point on a road segment where
** a car can stop (not a motorway, not a ferry) by a straight connector
** timed at the off-road speed (default 5 km/h, walking to the car), up to
** a longest connector (default 5 km; farther cells stay unreachable).
** Only roads the largest component's core reaches (network_core.c), or
** of a component with at least GPCOV_ROAD_ISLAND_M of road (an island
** whose ferry is missing), are joined: a fragment cut off from everything
** (a private road's stub, a piece the data lost) would otherwise capture
** the cells around it.  With polygons as the extent, a cell on land joins
** only roads of its own kind of land (land_parts): no connector crosses
** the water.  A cell then takes the time of its point on the segment,
** reached from
** either end as the segment's directions allow, plus its connector; a
** source on the same segment reaches the cell along it.  The joins are
** made once per model, so catchments (one run per source) cost a Dijkstra
** and a pass over the cells each.
*/
#include "segindex.h"
#include "traveltime_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gpcov_tt_roads_free(struct gpcov_ttmodel *m)
{
    gpcov_network_free(m->net);
    free(m->extent), free(m->place_names);
    free(m->src_seg), free(m->src_f), free(m->src_start), free(m->src_next), free(m->seg_src);
    free(m->cell_seg), free(m->cell_f), free(m->cell_conn);
    free(m->node_t), free(m->node_near);
}

/* Segments a cell or a source may join: roads where a car can stop, in the
** largest component (bit 1: the core reaches it, for cells; bit 2: it
** reaches the core, for sources) or in one with GPCOV_ROAD_ISLAND_M of road
** or more (bit 4 for cells, 2 for sources). */
uint8_t *gpcov_tt_roads_joinable(const struct gpcov_network *net)
{
    double *len = calloc(net->nnodes ? net->nnodes : 1, sizeof *len);
    uint8_t *ok = calloc(net->nseg ? net->nseg : 1, 1), *core = gpcov_network_core(net);
    if (!len || !ok || !core) {
        free(len), free(ok), free(core);
        return NULL;
    }
    for (size_t s = 0; s < net->nseg; s++) {
        uint32_t u = net->seg_u[s], v = net->seg_v[s];
        len[net->comp[u]] += hypot(net->x[v] - net->x[u], net->y[v] - net->y[u]);
    }
    for (size_t s = 0; s < net->nseg; s++) {
        uint32_t c = net->comp[net->seg_u[s]];
        if (net->seg_kind[s] != GPCOV_SEG_ROAD)
            continue;
        ok[s] = c == net->main_comp ? core[net->seg_u[s]] & core[net->seg_v[s]]
                : len[c] >= GPCOV_ROAD_ISLAND_M ? 6 : 0;
    }
    free(len), free(core);
    return ok;
}

static gpcov_status roads_grid(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                               struct gpcov_ttmodel *m)
{
    gpcov_status st;
    struct gpcov_network_opts no = o->net;
    double ext[4];
    if (o->extent) {
        /* the grid first, then only the roads near it (25 km around, so
        ** detours just outside the area still count) */
        if ((st = gpcov_tt_grid(ctx, o, NULL, &m->g)))
            return st;
        ext[0] = m->g.gt[0] - 25000;
        ext[3] = m->g.gt[3] + 25000;
        ext[2] = m->g.gt[0] + m->g.nx * m->g.gt[1] + 25000;
        ext[1] = m->g.gt[3] + m->g.ny * m->g.gt[5] - 25000;
        no.extent = ext;
    }
    if ((st = gpcov_network_read(ctx, o->roads, &no, &m->net)))
        return st;
    if (o->extent)
        return GPCOV_OK;
    /* the roads' extent and the sources, every vertex inside the grid */
    const struct gpcov_network *net = m->net;
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < net->nnodes; i++) {
        box[0] = fmin(box[0], net->x[i]), box[1] = fmin(box[1], net->y[i]);
        box[2] = fmax(box[2], net->x[i]), box[3] = fmax(box[3], net->y[i]);
    }
    for (size_t k = 0; k < m->n; k++) {
        box[0] = fmin(box[0], m->x[k]), box[1] = fmin(box[1], m->y[k]);
        box[2] = fmax(box[2], m->x[k]), box[3] = fmax(box[3], m->y[k]);
    }
    return gpcov_tt_grid(ctx, o, box, &m->g);
}

static gpcov_status join_sources(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                 struct gpcov_ttmodel *m, const struct gpcov_segindex *ix,
                                 const uint8_t *ok, double maxc, double min_per_m)
{
    const struct gpcov_network *net = m->net;
    for (size_t s = 0; s < net->nseg; s++)
        m->seg_src[s] = -1;
    for (size_t k = m->n; k-- > 0;) {
        double d, f;
        uint32_t s = gpcov_segindex_nearest(ix, net, ok, 2, m->x[k], m->y[k], maxc, &d, &f);
        if (s == UINT32_MAX && o->keep_unjoined) {
            m->src_seg[k] = s, m->src_f[k] = 0, m->src_start[k] = INFINITY, m->src_next[k] = -1;
            continue;
        }
        if (s == UINT32_MAX)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: no road within %.0f m of the source (x %.0f, "
                             "y %.0f) in %s", m->labels[k], maxc, m->x[k], m->y[k], o->roads);
        m->src_seg[k] = s, m->src_f[k] = (float)f;
        m->src_start[k] = d * min_per_m;
        m->src_next[k] = m->seg_src[s];
        m->seg_src[s] = (int32_t)k;
    }
    return GPCOV_OK;
}

/* The land each cell is on: 1 + the part (island) of the extent's
** polygons holding its centre, 0 at sea or without polygons; and per part
** which roads it has (bit 1: of the main network, bit 4: of a road
** island).  A cell on land joins only the roads of its own kind of land:
** the main network where the main network has a road, else the roads of a
** road island (so no connector crosses the water to a shore the island
** has no ferry to, and a cut-off fragment on the mainland does not capture
** the cells beside it); a cell at sea, or on land with no road at all (a
** sandbank of the generalised coast, an islet), joins the nearest road. */
struct land {
    int32_t *part;
    uint8_t *main;
    size_t nparts;
};

static void land_free(struct land *l)
{
    free(l->part), free(l->main);
}

static gpcov_status land_parts(gpcov_ctx *ctx, const char *extent, struct gpcov_ttmodel *m,
                               const uint8_t *ok, struct land *land)
{
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_layer_read(ctx, extent, NULL, &l);
    if (st)
        return st;
    size_t np = 0;
    for (size_t i = 0; i < l->n; i++)
        np += l->geoms[i] ? (size_t)GEOSGetNumGeometries_r(ctx->geos, l->geoms[i]) : 0;
    GEOSGeometry **parts = malloc((np ? np : 1) * sizeof *parts);
    size_t ncell = (size_t)m->g.nx * (size_t)m->g.ny;
    land->part = malloc(ncell * sizeof *land->part);
    land->main = calloc(np + 1, 1);
    land->nparts = np;
    if (!parts || !land->part || !land->main) {
        free(parts);
        gpcov_layer_free(ctx, l);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for the land parts");
    }
    np = 0;
    for (size_t i = 0; i < l->n; i++)
        for (int k = 0; l->geoms[i] && k < GEOSGetNumGeometries_r(ctx->geos, l->geoms[i]); k++)
            parts[np++] = (GEOSGeometry *)GEOSGetGeometryN_r(ctx->geos, l->geoms[i], k);
    st = gpcov_grid_burn(ctx, parts, np, &m->g, 0, land->part);
    free(parts);
    gpcov_layer_free(ctx, l);
    const struct gpcov_network *net = m->net;
    for (size_t s = 0; !st && s < net->nseg; s++) {
        if (!(ok[s] & (1 | 4)))
            continue;
        double x = (net->x[net->seg_u[s]] + net->x[net->seg_v[s]]) / 2;
        double y = (net->y[net->seg_u[s]] + net->y[net->seg_v[s]]) / 2;
        long c = (long)floor((x - m->g.gt[0]) / m->g.gt[1]), r = (long)floor((y - m->g.gt[3]) / m->g.gt[5]);
        if (c >= 0 && r >= 0 && c < m->g.nx && r < m->g.ny)
            land->main[land->part[(size_t)r * (size_t)m->g.nx + (size_t)c]] |= ok[s] & (1 | 4);
    }
    return st;
}

/* One band of rows of the join, for a thread. */
struct band {
    struct gpcov_ttmodel *m;
    const struct gpcov_segindex *ix;
    const uint8_t *ok;
    const struct land *land;
    double maxc, min_per_m;
    int r0, r1;
    size_t joined;
};

static void *join_band(void *arg)
{
    struct band *b = arg;
    struct gpcov_ttmodel *m = b->m;
    for (int r = b->r0; r < b->r1; r++) {
        double cy = m->g.gt[3] + (r + 0.5) * m->g.gt[5];
        for (int c = 0; c < m->g.nx; c++) {
            double d = 0, f = 0, cx = m->g.gt[0] + (c + 0.5) * m->g.gt[1];
            size_t i = (size_t)r * (size_t)m->g.nx + (size_t)c;
            int32_t p = b->land->part ? b->land->part[i] : 0;
            uint8_t roads = p > 0 ? b->land->main[p] : 0;
            uint8_t mask = roads & 1 ? 1 : roads & 4 ? 4 : 1 | 4;
            m->cell_seg[i] = gpcov_segindex_nearest(b->ix, m->net, b->ok, mask, cx, cy, b->maxc,
                                                    &d, &f);
            m->cell_f[i] = (float)f;
            m->cell_conn[i] = (float)(d * b->min_per_m);
            b->joined += m->cell_seg[i] != UINT32_MAX;
        }
    }
    return NULL;
}

/* Every cell's join; the upper half of the rows on a second thread where
** two cores and a national grid make it pay (the joins are the same). */
static gpcov_status join_cells(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                               struct gpcov_ttmodel *m, const struct gpcov_segindex *ix,
                               const uint8_t *ok, const struct land *land, double maxc,
                               double min_per_m)
{
    size_t n = (size_t)m->g.nx * (size_t)m->g.ny;
    int two = gpcov_costdist_threads(2, n) > 1 && m->g.ny > 1;
    struct band lo = {m, ix, ok, land, maxc, min_per_m, 0, two ? m->g.ny / 2 : m->g.ny, 0};
    struct band hi = {m, ix, ok, land, maxc, min_per_m, lo.r1, m->g.ny, 0};
    pthread_t th;
    if (two && pthread_create(&th, NULL, join_band, &hi) != 0)
        two = 0, lo.r1 = m->g.ny;
    join_band(&lo);
    if (two)
        pthread_join(th, NULL);
    gpcov_status st = gpcov_progress(ctx, 1, "joining cells to roads");
    if (st)
        return st;
    if (!lo.joined && !hi.joined)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no road within %.0f m of any cell of the grid",
                         o->roads, maxc);
    return GPCOV_OK;
}

static gpcov_status roads_alloc(gpcov_ctx *ctx, struct gpcov_ttmodel *m)
{
    size_t ncell = (size_t)m->g.nx * (size_t)m->g.ny, nn = m->net->nnodes, n = m->n ? m->n : 1;
    m->src_seg = malloc(n * sizeof *m->src_seg);
    m->src_f = malloc(n * sizeof *m->src_f);
    m->src_start = malloc(n * sizeof *m->src_start);
    m->src_next = malloc(n * sizeof *m->src_next);
    m->seg_src = malloc((m->net->nseg ? m->net->nseg : 1) * sizeof *m->seg_src);
    m->cell_seg = malloc(ncell * sizeof *m->cell_seg);
    m->cell_f = malloc(ncell * sizeof *m->cell_f);
    m->cell_conn = malloc(ncell * sizeof *m->cell_conn);
    m->node_t = malloc(nn * sizeof *m->node_t);
    m->node_near = malloc(nn * sizeof *m->node_near);
    if (!m->src_seg || !m->src_f || !m->src_start || !m->src_next || !m->seg_src ||
        !m->cell_seg || !m->cell_f || !m->cell_conn || !m->node_t || !m->node_near)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for %d x %d cells", m->g.nx, m->g.ny);
    return GPCOV_OK;
}

/* The joins: a segment index over the grid and the sources, widened by the
** longest connector. */
static gpcov_status roads_join(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                               struct gpcov_ttmodel *m, double maxc, double min_per_m)
{
    double box[4] = {m->g.gt[0], m->g.gt[3] + m->g.ny * m->g.gt[5],
                     m->g.gt[0] + m->g.nx * m->g.gt[1], m->g.gt[3]};
    for (size_t k = 0; k < m->n; k++) {
        box[0] = fmin(box[0], m->x[k]), box[1] = fmin(box[1], m->y[k]);
        box[2] = fmax(box[2], m->x[k]), box[3] = fmax(box[3], m->y[k]);
    }
    box[0] -= maxc, box[1] -= maxc, box[2] += maxc, box[3] += maxc;
    struct gpcov_segindex ix;
    uint8_t *ok = gpcov_tt_roads_joinable(m->net);
    gpcov_status st = GPCOV_OK;
    if (!ok || gpcov_segindex_make(&ix, m->net, ok, box, fmax(m->g.gt[1], 200)))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory indexing the roads");
    struct land land = {0};
    if (!st && o->extent)
        st = land_parts(ctx, o->extent, m, ok, &land);
    gpcov_phase(ctx, "road core, index and land");
    if (!st)
        st = join_sources(ctx, o, m, &ix, ok, maxc, min_per_m);
    if (!st)
        st = join_cells(ctx, o, m, &ix, ok, &land, maxc, min_per_m);
    land_free(&land);
    free(ok);
    gpcov_phase(ctx, "joining cells");
    gpcov_segindex_free(&ix);
    return st;
}

gpcov_status gpcov_tt_roads_open(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                 struct gpcov_ttmodel *m)
{
    if (!o->roads)
        return gpcov_err(ctx, GPCOV_EUSAGE, "travel time: no roads given");
    double off = o->offroad_kmh > 0 ? o->offroad_kmh : 5;
    double maxc = o->max_connector > 0 ? o->max_connector : 5000;
    double min_per_m = 1.0 / (off * 1000.0 / 60.0);
    gpcov_status st;
    if ((st = roads_grid(ctx, o, m)) || (st = roads_alloc(ctx, m)) ||
        (st = roads_join(ctx, o, m, maxc, min_per_m)))
        return st;
    m->extent = o->extent ? gpcov_strdup(o->extent) : NULL;
    m->place_names = o->place_names ? gpcov_strdup(o->place_names) : NULL;
    gpcov_tt_roads_describe(o, m, off, maxc);
    gpcov_tt_roads_report(ctx, o, m);
    return GPCOV_OK;
}

/* Seeds: a source reaches the far end of its segment in each direction the
** segment allows. */
static gpcov_status run_search(gpcov_ctx *ctx, struct gpcov_ttmodel *m, long only,
                               double max_minutes)
{
    const struct gpcov_network *net = m->net;
    size_t k0 = only >= 0 ? (size_t)only : 0, k1 = only >= 0 ? (size_t)only + 1 : m->n, n = 0;
    size_t cap = 2 * (k1 - k0) + 1;
    uint32_t *node = malloc(cap * sizeof *node);
    double *start = malloc(cap * sizeof *start);
    int32_t *src = malloc(cap * sizeof *src);
    gpcov_status st = GPCOV_OK;
    if (!node || !start || !src) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = k0; k < k1; k++) {
        uint32_t s = m->src_seg[k];
        if (s == UINT32_MAX)
            continue; /* kept without a road (keep_unjoined) */
        double f = m->src_f[k], fw = net->seg_fw[s], bw = net->seg_bw[s];
        if (isfinite(fw))
            node[n] = net->seg_v[s], start[n] = m->src_start[k] + (1 - f) * fw, src[n++] = (int32_t)k;
        if (isfinite(bw))
            node[n] = net->seg_u[s], start[n] = m->src_start[k] + f * bw, src[n++] = (int32_t)k;
    }
    st = gpcov_network_times_seeds(ctx, net, node, start, src, n, max_minutes, m->node_t,
                                   m->node_near);
done:
    free(node), free(start), free(src);
    return st;
}

/* The time at point f of segment s from its ends, and from the sources on
** the segment itself; *near gets the source. */
static double point_time(const struct gpcov_ttmodel *m, uint32_t s, double f, long only,
                         int32_t *near)
{
    const struct gpcov_network *net = m->net;
    double fw = net->seg_fw[s], bw = net->seg_bw[s], best = INFINITY;
    uint32_t u = net->seg_u[s], v = net->seg_v[s];
    *near = -1;
    if (isfinite(fw) && isfinite(m->node_t[u]))
        best = m->node_t[u] + f * fw, *near = m->node_near[u];
    if (isfinite(bw) && isfinite(m->node_t[v])) {
        double t = m->node_t[v] + (1 - f) * bw;
        if (t < best || (t == best && m->node_near[v] < *near))
            best = t, *near = m->node_near[v];
    }
    for (int32_t k = m->seg_src[s]; k >= 0; k = m->src_next[k]) {
        if (only >= 0 && k != only)
            continue;
        double fk = m->src_f[k], t = INFINITY;
        if (f >= fk && isfinite(fw))
            t = m->src_start[k] + (f - fk) * fw;
        else if (f <= fk && isfinite(bw))
            t = m->src_start[k] + (fk - f) * bw;
        if (t < best || (t == best && k < *near))
            best = t, *near = k;
    }
    return best;
}

gpcov_status gpcov_tt_roads_run(gpcov_ctx *ctx, struct gpcov_ttmodel *m, long only,
                                double max_minutes, float *minutes, int32_t *nearest)
{
    gpcov_status st = run_search(ctx, m, only, max_minutes);
    if (st)
        return st;
    gpcov_phase(ctx, "search");
    size_t n = (size_t)m->g.nx * (size_t)m->g.ny;
    for (size_t i = 0; i < n; i++) {
        uint32_t s = m->cell_seg[i];
        int32_t near = -1;
        double t = s == UINT32_MAX ? INFINITY
                                   : point_time(m, s, m->cell_f[i], only, &near) + m->cell_conn[i];
        int out = !isfinite(t) || (max_minutes > 0 && t > max_minutes);
        minutes[i] = out ? NAN : (float)t;
        if (nearest)
            nearest[i] = out ? -1 : near;
    }
    return GPCOV_OK;
}
