/*
** tt_sources.c: for the pgRouting comparison on the real road network
** (bench_roads_pgrouting.sh), where each source joins the graph: opens the
** road model with the same inputs as the `gpcov traveltime` run and prints
** per source its id, its road node (as numbered in --network-output) and
** its connector time in minutes (17 digits), as CSV "source,node,start".
** The peer starts its search from those nodes at those times; the node
** times it gets are then compared with gpcov's --node-output.  With
** REPEAT, it also times REPEAT runs of gpcov's search alone
** (gpcov_network_times from all sources, the work of pgRouting's query)
** and prints each to stderr as "search_s SECONDS".
**   usage: tt_sources ROADS CLASS_FIELD EXTENT RESOLUTION SOURCES SOURCE_ID [REPEAT]
*/
#include "traveltime_internal.h"

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
    printf("source,node,start\n");
    for (size_t k = 0; k < m->n; k++)
        printf("%s,%u,%.17g\n", m->ids[k], m->src_node[k], m->src_start[k]);
    int repeat = argc == 8 ? atoi(argv[7]) : 0;
    for (int r = 0; r < repeat; r++) {
        double t0 = now();
        if (gpcov_network_times(ctx, m->net, m->src_node, m->src_start, m->n, 0, m->node_t,
                                m->node_near)) {
            fprintf(stderr, "tt_sources: %s\n", gpcov_ctx_message(ctx));
            return 1;
        }
        fprintf(stderr, "search_s %.4f\n", now() - t0);
    }
    gpcov_ttmodel_free(m);
    gpcov_ctx_free(ctx);
    return 0;
}
