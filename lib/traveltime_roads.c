/*
** traveltime_roads.c: the road-network model of travel time.  The graph
** comes from network.c; this file joins the world to it.  Every source and
** every cell centre is joined to the nearest road node where a car can
** stop (not a motorway, not a ferry) by a straight connector timed at the
** off-road speed (default 5 km/h, walking to the car), up to a longest
** connector (default 5 km; farther cells stay unreachable).  A run is one
** multi-source Dijkstra over the graph, then each cell takes its node's
** time plus its connector.  The joins are made once per model, with a
** bucket grid over the nodes, so catchments (one run per source) cost a
** Dijkstra and a pass over the cells each.
*/
#include "traveltime_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A bucket grid over the stop nodes, for nearest-node queries. */
struct buckets {
    double x0, y0, size;
    long nx, ny;
    size_t *first; /* nx*ny+1 */
    uint32_t *node;
};

static void buckets_free(struct buckets *b)
{
    free(b->first);
    free(b->node);
}

static int buckets_make(const struct gpcov_network *net, const double box[4], double size,
                        struct buckets *b)
{
    memset(b, 0, sizeof *b);
    b->x0 = box[0], b->y0 = box[1], b->size = size;
    b->nx = (long)ceil((box[2] - box[0]) / size) + 1;
    b->ny = (long)ceil((box[3] - box[1]) / size) + 1;
    size_t nb = (size_t)b->nx * (size_t)b->ny;
    b->first = calloc(nb + 1, sizeof *b->first);
    if (!b->first)
        return -1;
    size_t count = 0;
    for (size_t i = 0; i < net->nnodes; i++) {
        if (!net->stop[i])
            continue;
        long bx = (long)floor((net->x[i] - b->x0) / size), by = (long)floor((net->y[i] - b->y0) / size);
        if (bx < 0 || by < 0 || bx >= b->nx || by >= b->ny)
            continue;
        b->first[(size_t)by * (size_t)b->nx + (size_t)bx + 1]++;
        count++;
    }
    for (size_t k = 0; k < nb; k++)
        b->first[k + 1] += b->first[k];
    b->node = malloc((count ? count : 1) * sizeof *b->node);
    size_t *fill = malloc((nb ? nb : 1) * sizeof *fill);
    if (!b->node || !fill) {
        free(fill);
        return -1;
    }
    memcpy(fill, b->first, nb * sizeof *fill);
    for (size_t i = 0; i < net->nnodes; i++) {
        if (!net->stop[i])
            continue;
        long bx = (long)floor((net->x[i] - b->x0) / size), by = (long)floor((net->y[i] - b->y0) / size);
        if (bx < 0 || by < 0 || bx >= b->nx || by >= b->ny)
            continue;
        b->node[fill[(size_t)by * (size_t)b->nx + (size_t)bx]++] = (uint32_t)i;
    }
    free(fill);
    return 0;
}

/* Nearest stop node to (x, y) within maxd; UINT32_MAX when none.  Rings of
** buckets are searched outward until no closer node can lie beyond. */
static uint32_t nearest_stop(const struct gpcov_network *net, const struct buckets *b, double x,
                             double y, double maxd, double *dist)
{
    long bx = (long)floor((x - b->x0) / b->size), by = (long)floor((y - b->y0) / b->size);
    double best = maxd * maxd;
    uint32_t bn = UINT32_MAX;
    long rmax = (long)ceil(maxd / b->size) + 1;
    for (long r = 0; r <= rmax; r++) {
        /* every node in ring r is at least (r - 1) * size away */
        double ring_min = (r - 1) * b->size;
        if (r > 1 && ring_min * ring_min > best)
            break;
        for (long dy = -r; dy <= r; dy++)
            for (long dx = -r; dx <= r; dx++) {
                if (labs(dx) != r && labs(dy) != r)
                    continue;
                long cx = bx + dx, cy = by + dy;
                if (cx < 0 || cy < 0 || cx >= b->nx || cy >= b->ny)
                    continue;
                size_t k = (size_t)cy * (size_t)b->nx + (size_t)cx;
                for (size_t j = b->first[k]; j < b->first[k + 1]; j++) {
                    uint32_t u = b->node[j];
                    double d = (net->x[u] - x) * (net->x[u] - x) + (net->y[u] - y) * (net->y[u] - y);
                    if (d < best || (d == best && u < bn))
                        best = d, bn = u;
                }
            }
    }
    *dist = sqrt(best);
    return bn;
}

void gpcov_tt_roads_free(struct gpcov_ttmodel *m)
{
    gpcov_network_free(m->net);
    free(m->src_node), free(m->src_start), free(m->cell_node), free(m->cell_conn);
    free(m->node_t), free(m->node_near);
}

gpcov_status gpcov_tt_roads_open(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                 struct gpcov_ttmodel *m)
{
    if (!o->roads)
        return gpcov_err(ctx, GPCOV_EUSAGE, "travel time: no roads given");
    double off = o->offroad_kmh > 0 ? o->offroad_kmh : 5;
    double maxc = o->max_connector > 0 ? o->max_connector : 5000;
    double min_per_m = 1.0 / (off * 1000.0 / 60.0);
    struct gpcov_network_opts no = o->net;
    gpcov_status st;
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
    struct gpcov_network *net = m->net;
    if (!o->extent) {
        double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
        for (size_t i = 0; i < net->nnodes; i++) {
            box[0] = fmin(box[0], net->x[i]), box[1] = fmin(box[1], net->y[i]);
            box[2] = fmax(box[2], net->x[i]), box[3] = fmax(box[3], net->y[i]);
        }
        if ((st = gpcov_tt_grid(ctx, o, box, &m->g)))
            return st;
    }
    size_t ncell = (size_t)m->g.nx * (size_t)m->g.ny;
    m->src_node = malloc(m->n * sizeof *m->src_node);
    m->src_start = malloc(m->n * sizeof *m->src_start);
    m->cell_node = malloc(ncell * sizeof *m->cell_node);
    m->cell_conn = malloc(ncell * sizeof *m->cell_conn);
    m->node_t = malloc(net->nnodes * sizeof *m->node_t);
    m->node_near = malloc(net->nnodes * sizeof *m->node_near);
    if (!m->src_node || !m->src_start || !m->cell_node || !m->cell_conn || !m->node_t ||
        !m->node_near)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for %d x %d cells", m->g.nx, m->g.ny);
    /* buckets over the grid and the sources, widened by the longest connector */
    double box[4] = {m->g.gt[0], m->g.gt[3] + m->g.ny * m->g.gt[5],
                     m->g.gt[0] + m->g.nx * m->g.gt[1], m->g.gt[3]};
    for (size_t k = 0; k < m->n; k++) {
        box[0] = fmin(box[0], m->x[k]), box[1] = fmin(box[1], m->y[k]);
        box[2] = fmax(box[2], m->x[k]), box[3] = fmax(box[3], m->y[k]);
    }
    box[0] -= maxc, box[1] -= maxc, box[2] += maxc, box[3] += maxc;
    struct buckets b;
    if (buckets_make(net, box, fmax(m->g.gt[1], 250), &b)) {
        buckets_free(&b);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory indexing the road nodes");
    }
    for (size_t k = 0; k < m->n; k++) {
        double d;
        uint32_t u = nearest_stop(net, &b, m->x[k], m->y[k], maxc, &d);
        if (u == UINT32_MAX) {
            buckets_free(&b);
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: no road within %.0f m of the source (x %.0f, "
                             "y %.0f)", m->labels[k], maxc, m->x[k], m->y[k]);
        }
        m->src_node[k] = u;
        m->src_start[k] = d * min_per_m;
    }
    size_t joined = 0;
    for (int r = 0; r < m->g.ny; r++) {
        double cy = m->g.gt[3] + (r + 0.5) * m->g.gt[5];
        for (int c = 0; c < m->g.nx; c++) {
            double d, cx = m->g.gt[0] + (c + 0.5) * m->g.gt[1];
            size_t i = (size_t)r * (size_t)m->g.nx + (size_t)c;
            m->cell_node[i] = nearest_stop(net, &b, cx, cy, maxc, &d);
            m->cell_conn[i] = (float)(d * min_per_m);
            joined += m->cell_node[i] != UINT32_MAX;
        }
        if ((r & 127) == 0 && (st = gpcov_progress(ctx, (double)r / m->g.ny, "joining cells to roads"))) {
            buckets_free(&b);
            return st;
        }
    }
    buckets_free(&b);
    if (!joined)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no road within %.0f m of any cell of the grid",
                         o->roads, maxc);
    snprintf(m->desc, sizeof m->desc,
             "road network model: %s (%zu nodes, %zu ways; class speeds, maxspeed where "
             "tagged, ferries by duration); off-road connector %.0f km/h up to %.0f m",
             o->roads, net->nnodes, net->ways_used, off, maxc);
    return GPCOV_OK;
}

gpcov_status gpcov_tt_roads_run(gpcov_ctx *ctx, struct gpcov_ttmodel *m, long only,
                                double max_minutes, float *minutes, int32_t *nearest)
{
    const uint32_t *src = only >= 0 ? &m->src_node[only] : m->src_node;
    const double *start = only >= 0 ? &m->src_start[only] : m->src_start;
    gpcov_status st = gpcov_network_times(ctx, m->net, src, start, only >= 0 ? 1 : m->n,
                                          max_minutes, m->node_t, m->node_near);
    if (st)
        return st;
    size_t n = (size_t)m->g.nx * (size_t)m->g.ny;
    for (size_t i = 0; i < n; i++) {
        uint32_t u = m->cell_node[i];
        double t = u == UINT32_MAX ? INFINITY : m->node_t[u] + m->cell_conn[i];
        int out = !isfinite(t) || (max_minutes > 0 && t > max_minutes);
        minutes[i] = out ? NAN : (float)t;
        if (nearest)
            nearest[i] = out ? -1 : only >= 0 ? (int32_t)only : m->node_near[u];
    }
    return GPCOV_OK;
}
