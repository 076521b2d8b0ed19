/*
** network_core.c: the roads a car can both reach and leave.  One-way
** streets make parts of a connected network into traps or dead ends (a
** one-way exit from a car park whose entrance the data lacks): a cell
** joined there would find no time though a road beside it has one.  The
** core is the strongly connected component of the largest component,
** found by a forward and a backward search from one of its nodes; a root
** is tried until its component holds most of the largest one.  Times from
** sources to cells need less: a cell may join a road the core reaches
** (even a one-way trap a car cannot leave), a source one that reaches the
** core.
*/
#include "travel_internal.h"

#include <stdlib.h>
#include <string.h>

/* Marks (bit) the nodes reached from root along the edges (fwd) or against
** them; stack is scratch of nnodes entries. */
static void search(const struct gpcov_network *net, const size_t *rfirst, const uint32_t *rto,
                   uint32_t root, uint8_t *mark, uint8_t bit, uint32_t *stack)
{
    size_t top = 0;
    stack[top++] = root;
    mark[root] |= bit;
    while (top) {
        uint32_t u = stack[--top];
        const size_t *first = rfirst ? rfirst : net->first;
        const uint32_t *to = rto ? rto : net->to;
        for (size_t e = first[u]; e < first[u + 1]; e++)
            if (!(mark[to[e]] & bit)) {
                mark[to[e]] |= bit;
                stack[top++] = to[e];
            }
    }
}

/* The reversed graph in CSR form. */
static int reverse(const struct gpcov_network *net, size_t **rfirst, uint32_t **rto)
{
    size_t n = net->nnodes;
    *rfirst = calloc(n + 1, sizeof **rfirst);
    *rto = malloc((net->nedges ? net->nedges : 1) * sizeof **rto);
    size_t *fill = malloc((n ? n : 1) * sizeof *fill);
    if (!*rfirst || !*rto || !fill) {
        free(fill);
        return -1;
    }
    for (size_t e = 0; e < net->nedges; e++)
        (*rfirst)[net->to[e] + 1]++;
    for (size_t i = 0; i < n; i++)
        (*rfirst)[i + 1] += (*rfirst)[i];
    memcpy(fill, *rfirst, n * sizeof *fill);
    for (size_t u = 0; u < n; u++)
        for (size_t e = net->first[u]; e < net->first[u + 1]; e++)
            (*rto)[fill[net->to[e]]++] = (uint32_t)u;
    free(fill);
    return 0;
}

uint8_t *gpcov_network_core(const struct gpcov_network *net)
{
    size_t n = net->nnodes ? net->nnodes : 1, *rfirst = NULL;
    uint32_t *rto = NULL, *stack = malloc(n * sizeof *stack);
    uint8_t *mark = calloc(n, 1);
    if (!stack || !mark || reverse(net, &rfirst, &rto)) {
        free(stack), free(mark), free(rfirst), free(rto);
        return NULL;
    }
    size_t tries = 0;
    for (size_t r = 0; r < net->nnodes && tries < 64; r++) {
        if (net->comp[r] != net->main_comp || net->first[r + 1] - net->first[r] < 2)
            continue;
        tries++;
        memset(mark, 0, n);
        search(net, NULL, NULL, (uint32_t)r, mark, 1, stack);
        search(net, rfirst, rto, (uint32_t)r, mark, 2, stack);
        size_t core = 0;
        for (size_t i = 0; i < net->nnodes; i++)
            core += mark[i] == 3;
        if (core * 2 > net->main_nodes)
            break;
    }
    free(stack), free(rfirst), free(rto);
    return mark;
}
