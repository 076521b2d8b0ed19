/*
** dijkstra.c: shortest travel times on the road graph from many sources at
** once: one pass of Dijkstra's algorithm whose queue starts with every
** source at its start time, so each node gets the time from its nearest
** source and which source that is.  The queue is the radix heap shared
** with the friction engine (radixheap.c), with lazy deletion; ties go to
** the lower source index, so results do not depend on the order of
** equal-time events.
*/
#include "travel_internal.h"

#include <math.h>
#include <stdlib.h>

/* A node's state in one place: the search touches one cache line per node
** instead of two (the caller's arrays are filled at the end). */
struct node_state {
    double t;
    int32_t near;
};

gpcov_status gpcov_network_times(gpcov_ctx *ctx, const struct gpcov_network *net,
                                 const uint32_t *src, const double *start, size_t nsrc,
                                 double max_minutes, double *minutes, int32_t *nearest)
{
    int32_t *k = malloc((nsrc ? nsrc : 1) * sizeof *k);
    if (!k)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < nsrc; i++)
        k[i] = (int32_t)i;
    gpcov_status st = gpcov_network_times_seeds(ctx, net, src, start, k, nsrc, max_minutes,
                                                minutes, nearest);
    free(k);
    return st;
}

/* The sources into the queue at their start times (each node keeps the
** earliest, ties to the lower id). */
static gpcov_status seed(gpcov_ctx *ctx, const struct gpcov_network *net, const uint32_t *src,
                         const double *start, const int32_t *srcid, size_t nsrc,
                         struct node_state *ns, struct gpcov_rheap *h)
{
    for (size_t k = 0; k < nsrc; k++) {
        if (src[k] >= net->nnodes)
            return gpcov_err(ctx, GPCOV_EUSAGE, "source %zu: node %u is not in the graph", k + 1,
                             (unsigned)src[k]);
        double t = start ? start[k] : 0;
        if (!(t >= 0))
            return gpcov_err(ctx, GPCOV_EUSAGE, "source %zu: start time %g", k + 1, t);
        struct node_state *s0 = &ns[src[k]];
        int32_t id = srcid[k];
        if (t < s0->t || (t == s0->t && (s0->near < 0 || id < s0->near))) {
            s0->t = t;
            s0->near = id;
        }
        if (gpcov_rheap_push(h, t, src[k], id))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    return GPCOV_OK;
}

/* Dijkstra's search from the queue, up to max_minutes when positive. */
static gpcov_status settle(gpcov_ctx *ctx, const struct gpcov_network *net, double max_minutes,
                           struct node_state *ns, struct gpcov_rheap *h)
{
    gpcov_status st;
    size_t settled = 0;
    const size_t *first = net->first;
    const uint32_t *to = net->to;
    const double *w = net->minutes;
    while (h->size) {
        struct gpcov_rent it;
        if (gpcov_rheap_pop(h, &it))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        uint32_t u = it.cell;
        double tu = gpcov_rheap_cost(it.key);
        if (tu != ns[u].t || it.src != ns[u].near)
            continue; /* a stale entry */
        if (max_minutes > 0 && tu > max_minutes)
            break; /* everything left is later still */
        if ((++settled & 0xFFFFF) == 0 &&
            (st = gpcov_progress(ctx, (double)settled / (double)net->nnodes, "road travel times")))
            return st;
        for (size_t e = first[u]; e < first[u + 1]; e++) {
            struct node_state *sv = &ns[to[e]];
            double t = tu + w[e];
            if (t < sv->t || (t == sv->t && (sv->near < 0 || it.src < sv->near))) {
                sv->t = t;
                sv->near = it.src;
                if (gpcov_rheap_push(h, t, to[e], it.src))
                    return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            }
        }
    }
    return GPCOV_OK;
}

gpcov_status gpcov_network_times_seeds(gpcov_ctx *ctx, const struct gpcov_network *net,
                                       const uint32_t *src, const double *start,
                                       const int32_t *srcid, size_t nsrc, double max_minutes,
                                       double *minutes, int32_t *nearest)
{
    struct gpcov_rheap h = {0};
    struct node_state *ns = gpcov_grid_alloc((net->nnodes ? net->nnodes : 1) * sizeof *ns);
    if (!ns)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < net->nnodes; i++) {
        ns[i].t = INFINITY;
        ns[i].near = -1;
    }
    gpcov_status st = seed(ctx, net, src, start, srcid, nsrc, ns, &h);
    if (!st) {
        gpcov_rheap_start(&h);
        st = settle(ctx, net, max_minutes, ns, &h);
    }
    /* nodes queued but beyond the limit were never settled: they stay out */
    for (size_t i = 0; !st && i < net->nnodes; i++) {
        int out = max_minutes > 0 && ns[i].t > max_minutes;
        minutes[i] = out ? INFINITY : ns[i].t;
        if (nearest)
            nearest[i] = out ? -1 : ns[i].near;
    }
    gpcov_rheap_free(&h);
    free(ns);
    return st;
}
