/*
** network_scc.c: the part of each road component a car can both reach and
** leave, before the ferries are joined.  A harbour in the data may have
** only its exit lane (the queue in was lost or never drawn, as on Læsø's
** Vesterø Havn in the 2021 tiles): a ferry joined to the nearest road node
** there lands on a one-way lane that leads into the island but never back,
** and the island can be reached but not left.  network_ferry.c uses this
** to join such an end also to the nearest node of the component's largest
** strongly connected part.  Tarjan's algorithm, iterative (a national
** network's components are deeper than any stack), over the road segments
** in the directions they may be driven.
*/
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>

/* The road graph of b in CSR form, edges in the directions driven. */
static int road_csr(const struct netbuild *b, size_t **first, uint32_t **to)
{
    size_t n = b->nnodes, m = 0;
    *first = calloc(n + 2, sizeof **first);
    for (size_t s = 0; *first && s < b->nseg; s++)
        if (b->kind[s] == GPCOV_SEG_ROAD) {
            m += isfinite(b->fw[s]) + isfinite(b->bw[s]);
            (*first)[b->u[s] + 2] += isfinite(b->fw[s]) != 0;
            (*first)[b->v[s] + 2] += isfinite(b->bw[s]) != 0;
        }
    *to = malloc((m ? m : 1) * sizeof **to);
    if (!*first || !*to)
        return -1;
    for (size_t i = 2; i < n + 2; i++)
        (*first)[i] += (*first)[i - 1];
    for (size_t s = 0; s < b->nseg; s++)
        if (b->kind[s] == GPCOV_SEG_ROAD) {
            if (isfinite(b->fw[s]))
                (*to)[(*first)[b->u[s] + 1]++] = b->v[s];
            if (isfinite(b->bw[s]))
                (*to)[(*first)[b->v[s] + 1]++] = b->u[s];
        }
    return 0;
}

struct tarjan {
    const size_t *first;
    const uint32_t *to;
    uint32_t *index, *low, *scc, *stack, *call;
    size_t *edge;
    uint8_t *on;
    uint32_t next, top, nscc;
};

/* One depth-first search from root; call[]/edge[] are its explicit stack. */
static void tarjan_from(struct tarjan *t, uint32_t root)
{
    size_t depth = 0;
    t->call[depth] = root, t->edge[depth] = t->first[root];
    t->index[root] = t->low[root] = ++t->next;
    t->stack[t->top++] = root, t->on[root] = 1;
    for (;;) {
        uint32_t u = t->call[depth];
        if (t->edge[depth] < t->first[u + 1]) {
            uint32_t w = t->to[t->edge[depth]++];
            if (!t->index[w]) {
                t->index[w] = t->low[w] = ++t->next;
                t->stack[t->top++] = w, t->on[w] = 1;
                depth++, t->call[depth] = w, t->edge[depth] = t->first[w];
            } else if (t->on[w] && t->index[w] < t->low[u])
                t->low[u] = t->index[w];
            continue;
        }
        if (t->low[u] == t->index[u]) {
            uint32_t w;
            do {
                w = t->stack[--t->top];
                t->on[w] = 0, t->scc[w] = t->nscc;
            } while (w != u);
            t->nscc++;
        }
        if (!depth)
            return;
        depth--;
        uint32_t p = t->call[depth];
        if (t->low[u] < t->low[p])
            t->low[p] = t->low[u];
    }
}

uint8_t *gpcov_net_strong(const struct netbuild *b, const uint32_t *comp)
{
    size_t n = b->nnodes ? b->nnodes : 1;
    struct tarjan t = {0};
    size_t *first = NULL, *size = NULL, *best = NULL;
    uint32_t *to = NULL;
    uint8_t *strong = calloc(n, 1);
    t.index = calloc(n, sizeof *t.index), t.low = malloc(n * sizeof *t.low);
    t.scc = malloc(n * sizeof *t.scc), t.stack = malloc(n * sizeof *t.stack);
    t.call = malloc(n * sizeof *t.call), t.edge = malloc(n * sizeof *t.edge);
    t.on = calloc(n, 1), size = calloc(n, sizeof *size), best = malloc(n * sizeof *best);
    if (!strong || !t.index || !t.low || !t.scc || !t.stack || !t.call || !t.edge || !t.on ||
        !size || !best || road_csr(b, &first, &to)) {
        free(strong);
        strong = NULL;
        goto done;
    }
    t.first = first, t.to = to;
    for (size_t i = 0; i < b->nnodes; i++)
        if (!t.index[i])
            tarjan_from(&t, (uint32_t)i);
    for (size_t i = 0; i < b->nnodes; i++)
        size[t.scc[i]]++, best[i] = SIZE_MAX;
    /* per component (comp[] holds a node of it), its largest part; ties:
    ** the lower number */
    for (size_t i = 0; i < b->nnodes; i++) {
        size_t c = comp[i], k = t.scc[i];
        if (best[c] == SIZE_MAX || size[k] > size[best[c]] || (size[k] == size[best[c]] && k < best[c]))
            best[c] = k;
    }
    for (size_t i = 0; i < b->nnodes; i++)
        strong[i] = b->level[i] != LEVEL_FERRY && t.scc[i] == best[comp[i]] && size[t.scc[i]] > 1;
done:
    free(first), free(to), free(size), free(best);
    free(t.index), free(t.low), free(t.scc), free(t.stack), free(t.call), free(t.edge), free(t.on);
    return strong;
}
