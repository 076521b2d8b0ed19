/*
** dijkstra.c: shortest travel times on the road graph from many sources at
** once: one pass of Dijkstra's algorithm whose queue starts with every
** source at its start time, so each node gets the time from its nearest
** source and which source that is.  The queue is the radix heap shared
** with the friction engine (radixheap.c), with lazy deletion; ties go to
** the lower source index, so results do not depend on the order of
** equal-time events.
*/
#include "gpcov_internal.h"

#include <math.h>
#include <stdlib.h>

gpcov_status gpcov_network_times(gpcov_ctx *ctx, const struct gpcov_network *net,
                                 const uint32_t *src, const double *start, size_t nsrc,
                                 double max_minutes, double *minutes, int32_t *nearest)
{
    struct gpcov_rheap h = {0};
    int32_t *near = nearest ? nearest : malloc(net->nnodes * sizeof *near);
    if (!near)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < net->nnodes; i++) {
        minutes[i] = INFINITY;
        near[i] = -1;
    }
    gpcov_status st = GPCOV_OK;
    for (size_t k = 0; k < nsrc; k++) {
        if (src[k] >= net->nnodes) {
            st = gpcov_err(ctx, GPCOV_EUSAGE, "source %zu: node %u is not in the graph", k + 1,
                           (unsigned)src[k]);
            goto done;
        }
        double t = start ? start[k] : 0;
        if (!(t >= 0)) {
            st = gpcov_err(ctx, GPCOV_EUSAGE, "source %zu: start time %g", k + 1, t);
            goto done;
        }
        if (t < minutes[src[k]] || (t == minutes[src[k]] && (int32_t)k < near[src[k]])) {
            minutes[src[k]] = t;
            near[src[k]] = (int32_t)k;
        }
        if (gpcov_rheap_push(&h, t, src[k], (int32_t)k)) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            goto done;
        }
    }
    gpcov_rheap_start(&h);
    size_t settled = 0;
    const size_t *first = net->first;
    const uint32_t *to = net->to;
    const double *w = net->minutes;
    while (h.size) {
        struct gpcov_rent it;
        if (gpcov_rheap_pop(&h, &it)) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            goto done;
        }
        uint32_t u = it.cell;
        double tu = gpcov_rheap_cost(it.key);
        if (tu != minutes[u] || it.src != near[u])
            continue; /* a stale entry */
        if (max_minutes > 0 && tu > max_minutes)
            break; /* everything left is later still */
        if ((++settled & 0xFFFFF) == 0 &&
            (st = gpcov_progress(ctx, (double)settled / (double)net->nnodes, "road travel times")))
            goto done;
        for (size_t e = first[u]; e < first[u + 1]; e++) {
            uint32_t v = to[e];
            double t = tu + w[e];
            if (t < minutes[v] || (t == minutes[v] && it.src < near[v])) {
                minutes[v] = t;
                near[v] = it.src;
                if (gpcov_rheap_push(&h, t, v, it.src)) {
                    st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
                    goto done;
                }
            }
        }
    }
    /* nodes queued but beyond the limit were never settled: clear them */
    if (max_minutes > 0)
        for (size_t i = 0; i < net->nnodes; i++)
            if (minutes[i] > max_minutes) {
                minutes[i] = INFINITY;
                near[i] = -1;
            }
done:
    gpcov_rheap_free(&h);
    if (!nearest)
        free(near);
    return st;
}
