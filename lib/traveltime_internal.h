/*
** traveltime_internal.h: the travel-model handle's layout, shared by
** traveltime.c (the handle, the straight-line and friction runs, the file
** driver) and traveltime_roads.c (the road-network model).
*/
#ifndef GPCOV_TRAVELTIME_INTERNAL_H
#define GPCOV_TRAVELTIME_INTERNAL_H

#include "gpcov_internal.h"

struct gpcov_ttmodel {
    enum gpcov_tt_model model;
    struct gpcov_grid g;
    char desc[600];
    /* sources */
    size_t n;
    double *x, *y;
    char **labels, **ids;
    int32_t *idnum;
    /* FRICTION */
    float *friction;
    int64_t *cells;
    int knight;
    /* STRAIGHT */
    double kmh, detour;
    /* ROADS */
    struct gpcov_network *net;
    uint32_t *src_node;  /* each source's road node                   */
    double *src_start;   /* and its connector, minutes                */
    uint32_t *cell_node; /* each cell's road node, UINT32_MAX: none   */
    float *cell_conn;    /* and its connector, minutes                */
    double *node_t;      /* scratch: minutes per node                 */
    int32_t *node_near;  /* scratch: nearest source per node          */
};

gpcov_status gpcov_tt_grid(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                           const double *box, struct gpcov_grid *g);
gpcov_status gpcov_tt_roads_open(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                 struct gpcov_ttmodel *m);
gpcov_status gpcov_tt_roads_run(gpcov_ctx *ctx, struct gpcov_ttmodel *m, long only,
                                double max_minutes, float *minutes, int32_t *nearest);
void gpcov_tt_roads_free(struct gpcov_ttmodel *m);

#endif
