/*
** tt_sources.c: for the pgRouting comparison on the real road network
** (bench_roads_pgrouting.sh), where each source joins the graph: opens the
** road model with the same inputs as the `gpcov traveltime` run and prints
** per source its id, the road nodes it seeds (as numbered in
** --network-output: the ends of the road segment it joins, as the
** segment's directions allow) and its time at each (connector plus the
** part of the segment, in minutes, 17 digits), as CSV
** "source,node,start".
** The peer starts its search from those nodes at those times; the node
** times it gets are then compared with gpcov's --node-output.  With
** REPEAT, it also times REPEAT runs of gpcov's search alone
** (gpcov_network_times from all sources, the work of pgRouting's query)
** and prints each to stderr as "search_s SECONDS".
**   usage: tt_sources ROADS CLASS_FIELD EXTENT RESOLUTION SOURCES SOURCE_ID [REPEAT]
*/
#include "traveltime_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: tt_sources ROADS CLASS_FIELD EXTENT RESOLUTION SOURCES "
                        "SOURCE_ID [REPEAT]\n");
        return 2;
    }
    struct gpcov_traveltime_opts o = {.model = GPCOV_TT_ROADS,
                                      .roads = argv[1],
                                      .net = {.class_field = argv[2]},
                                      .extent = argv[3],
                                      .resolution = atof(argv[4]),
                                      .sources = argv[5],
                                      .source_id = argv[6]};
    gpcov_ctx *ctx = gpcov_ctx_new();
    gpcov_ttmodel *m = NULL;
    if (!ctx || gpcov_ttmodel_open(ctx, &o, &m)) {
        fprintf(stderr, "tt_sources: %s\n", ctx ? gpcov_ctx_message(ctx) : "out of memory");
        return 1;
    }
    /* the seeds, as the road model's search makes them */
    const struct gpcov_network *net = m->net;
    uint32_t *node = malloc(2 * m->n * sizeof *node);
    double *start = malloc(2 * m->n * sizeof *start);
    int32_t *src = malloc(2 * m->n * sizeof *src);
    size_t ns = 0;
    if (!node || !start || !src)
        return 1;
    printf("source,node,start\n");
    for (size_t k = 0; k < m->n; k++) {
        uint32_t s = m->src_seg[k];
        double f = m->src_f[k], fw = net->seg_fw[s], bw = net->seg_bw[s];
        if (isfinite(fw))
            node[ns] = net->seg_v[s], start[ns] = m->src_start[k] + (1 - f) * fw,
            src[ns++] = (int32_t)k;
        if (isfinite(bw))
            node[ns] = net->seg_u[s], start[ns] = m->src_start[k] + f * bw, src[ns++] = (int32_t)k;
    }
    for (size_t j = 0; j < ns; j++)
        printf("%s,%u,%.17g\n", m->ids[src[j]], node[j], start[j]);
    int repeat = argc == 8 ? atoi(argv[7]) : 0;
    for (int r = 0; r < repeat; r++) {
        double t0 = now();
        if (gpcov_network_times_seeds(ctx, m->net, node, start, src, ns, 0, m->node_t,
                                      m->node_near)) {
            fprintf(stderr, "tt_sources: %s\n", gpcov_ctx_message(ctx));
            return 1;
        }
        fprintf(stderr, "search_s %.4f\n", now() - t0);
    }
    free(node), free(start), free(src);
    gpcov_ttmodel_free(m);
    gpcov_ctx_free(ctx);
    return 0;
}
