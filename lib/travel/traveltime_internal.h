/*
** traveltime_internal.h: the travel-model handle's layout, shared by
** traveltime.c (the handle, the straight-line and friction runs, the file
** driver) and traveltime_roads.c (the road-network model).
*/
#ifndef GPCOV_TRAVELTIME_INTERNAL_H
#define GPCOV_TRAVELTIME_INTERNAL_H

#include "travel_internal.h"

struct gpcov_ttmodel {
    enum gpcov_tt_model model;
    struct gpcov_grid g;
    char desc[1200];
    char desc_da[1200]; /* the description in Danish, for Danish maps */
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
    char *extent;        /* the extent source, to name unreachable places */
    char *place_names;   /* points with a name, to name them better       */
    uint32_t *src_seg;   /* each source's road segment                    */
    float *src_f;        /* where on it (0 at seg_u, 1 at seg_v)          */
    double *src_start;   /* and its connector, minutes                    */
    int32_t *src_next;   /* the next source on the same segment, or -1    */
    int32_t *seg_src;    /* the first source on each segment, or -1       */
    uint32_t *cell_seg;  /* each cell's road segment, UINT32_MAX: none    */
    float *cell_f;       /* where on it                                   */
    float *cell_conn;    /* and its connector, minutes                    */
    double *node_t;      /* scratch: minutes per node                     */
    int32_t *node_near;  /* scratch: nearest source per node              */
};

gpcov_status gpcov_tt_grid(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                           const double *box, struct gpcov_grid *g);
gpcov_status gpcov_tt_roads_open(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                 struct gpcov_ttmodel *m);
gpcov_status gpcov_tt_roads_run(gpcov_ctx *ctx, struct gpcov_ttmodel *m, long only,
                                double max_minutes, float *minutes, int32_t *nearest);
void gpcov_tt_roads_free(struct gpcov_ttmodel *m);
/* The joinable flags of each segment (cells: bit 1 main network, bit 4 a
** road island; sources: bit 2), malloc'd; NULL on ENOMEM. */
uint8_t *gpcov_tt_roads_joinable(const struct gpcov_network *net);

/* traveltime_roads_report.c: what the road model says of itself. */
#define GPCOV_ROAD_ISLAND_M 2000.0 /* road of a component that cells join
                                      even when it is not the largest      */
void gpcov_tt_roads_describe(const struct gpcov_traveltime_opts *o, struct gpcov_ttmodel *m,
                             double offroad_kmh, double max_connector);
void gpcov_tt_roads_report(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                           const struct gpcov_ttmodel *m);
/* Notices on the cells an all-source run left without a time. */
void gpcov_tt_roads_unreached(gpcov_ctx *ctx, const struct gpcov_ttmodel *m, const float *minutes,
                              const char *extent, const char *places);
/* The ferry ends, joined or not, as metadata text (malloc'd; NULL). */
char *gpcov_tt_roads_ferry_meta(const struct gpcov_ttmodel *m);

#endif
