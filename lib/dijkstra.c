/*
** dijkstra.c: shortest travel times on the road graph from many sources at
** once: one pass of Dijkstra's algorithm whose heap starts with every
** source at its start time, so each node gets the time from its nearest
** source and which source that is.  A binary heap of (time, source, node)
** with lazy deletion; ties go to the lower source index, so results do not
** depend on the order of equal-time events.
*/
#include "gpcov_internal.h"

#include <math.h>
#include <stdlib.h>

struct item {
    double t;
    int32_t src;
    uint32_t node;
};

struct heap {
    struct item *a;
    size_t n, cap;
};

static int less(const struct item *x, const struct item *y)
{
    return x->t < y->t || (x->t == y->t && x->src < y->src);
}

static int push(struct heap *h, struct item it)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 1024;
        struct item *a = realloc(h->a, cap * sizeof *a);
        if (!a)
            return -1;
        h->a = a, h->cap = cap;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!less(&it, &h->a[p]))
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = it;
    return 0;
}

static struct item pop(struct heap *h)
{
    struct item top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && less(&h->a[c + 1], &h->a[c]))
            c++;
        if (!less(&h->a[c], &last))
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n)
        h->a[i] = last;
    return top;
}

gpcov_status gpcov_network_times(gpcov_ctx *ctx, const struct gpcov_network *net,
                                 const uint32_t *src, const double *start, size_t nsrc,
                                 double max_minutes, double *minutes, int32_t *nearest)
{
    struct heap h = {0};
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
        struct item it = {t, (int32_t)k, src[k]};
        if (t < minutes[src[k]] || (t == minutes[src[k]] && (int32_t)k < near[src[k]])) {
            minutes[src[k]] = t;
            near[src[k]] = (int32_t)k;
        }
        if (push(&h, it)) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            goto done;
        }
    }
    size_t settled = 0;
    while (h.n) {
        struct item it = pop(&h);
        uint32_t u = it.node;
        if (it.t != minutes[u] || it.src != near[u])
            continue; /* a stale entry */
        if (max_minutes > 0 && it.t > max_minutes) {
            minutes[u] = INFINITY;
            near[u] = -1;
            continue;
        }
        if ((++settled & 0xFFFFF) == 0 &&
            (st = gpcov_progress(ctx, (double)settled / (double)net->nnodes, "road travel times")))
            goto done;
        for (size_t e = net->first[u]; e < net->first[u + 1]; e++) {
            uint32_t v = net->to[e];
            double t = it.t + net->minutes[e];
            if (t < minutes[v] || (t == minutes[v] && it.src < near[v])) {
                minutes[v] = t;
                near[v] = it.src;
                if (push(&h, (struct item){t, it.src, v})) {
                    st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
                    goto done;
                }
            }
        }
    }
    /* nodes queued but beyond the limit were never popped: clear them */
    if (max_minutes > 0)
        for (size_t i = 0; i < net->nnodes; i++)
            if (minutes[i] > max_minutes) {
                minutes[i] = INFINITY;
                near[i] = -1;
            }
done:
    free(h.a);
    if (!nearest)
        free(near);
    return st;
}
