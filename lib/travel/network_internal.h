/*
** network_internal.h: the road reader's stages and what passes between
** them.  network.c reads line features into a struct rawnet (vertices in
** EPSG:25832 and, per line part, its speed, direction, level and kind);
** network_node.c merges vertices into nodes and makes the segments;
** network_ferry.c joins dangling ferry ends to roads, adds the boarding
** allowance and finds the components; network_node.c then builds the CSR.
*/
#ifndef GPCOV_NETWORK_INTERNAL_H
#define GPCOV_NETWORK_INTERNAL_H

#include "travel_internal.h"

/* Levels keep bridges and tunnels apart from what they cross: an inner
** vertex of a bridge (or tunnel) merges only with vertices of its own
** level, or with the end of a line; ends of lines (where a bridge meets its
** approach road) merge with any road level.  Ferries have a level of their
** own and meet roads through their end links (network_ferry.c). */
/* The longest gap bridged between two pieces of a ferry line. */
#define GPCOV_FERRY_GAP_M 3000.0

enum { LEVEL_TUNNEL = -1, LEVEL_GROUND = 0, LEVEL_BRIDGE = 1, LEVEL_FERRY = 2 };

struct rawline {
    size_t v0;          /* first vertex in rawnet.x/y                      */
    uint32_t nv;        /* vertices                                         */
    float kmh;          /* road speed (0 for a ferry with a duration)       */
    float ferry_total;  /* a ferry's tagged duration over the whole way, or
                           -1                                               */
    float way_len;      /* the whole way's length (for ferry_total)        */
    int8_t oneway;      /* 1 forward, -1 backward, 0 both                   */
    int8_t level;       /* LEVEL_*                                          */
    uint8_t kind;       /* enum gpcov_seg_kind                              */
    long feature;       /* feature number in the source, 1..               */
};

struct rawnet {
    double *x, *y;
    size_t nv, capv;
    struct rawline *l;
    size_t nl, capl;
};

/* The noded graph before the CSR: nodes and segments, grown as built. */
struct netbuild {
    size_t nnodes, capn;
    double *x, *y;
    int8_t *level;
    uint8_t *end;   /* made by the end of a line                           */
    uint8_t *stop;
    size_t nseg, caps;
    uint32_t *u, *v;
    double *fw, *bw;
    uint8_t *kind;
    long *feature;  /* the segment's feature number (for ferry reports)    */
};

void gpcov_rawnet_free(struct rawnet *r);
void gpcov_netbuild_free(struct netbuild *b);
/* Merges the raw vertices into nodes (within snap metres, levels kept
** apart) and makes one segment per consecutive pair.  counts snapped. */
gpcov_status gpcov_net_node(gpcov_ctx *ctx, const struct rawnet *r, double snap,
                            struct netbuild *b, size_t *snapped);
/* Adds one segment; -1 on ENOMEM. */
int gpcov_net_add_seg(struct netbuild *b, uint32_t u, uint32_t v, double fw, double bw, uint8_t kind,
                      long feature);
/* Joins dangling ferry ends to the nearest road node within opts'
** distance, adds the boarding allowance to every ferry segment leaving a
** harbour, and fills the components of net (before and after). */
gpcov_status gpcov_net_ferries(gpcov_ctx *ctx, struct netbuild *b, double ferry_snap,
                               double ferry_kmh, double wait, struct gpcov_network *net);
/* Per node of b, 1 where it lies in the largest strongly connected part of
** its road component (comp[] from gpcov_net_components); NULL on ENOMEM. */
uint8_t *gpcov_net_strong(const struct netbuild *b, const uint32_t *comp);
/* Components of the graph in b: comp[i] per node, returns their number. */
size_t gpcov_net_components(const struct netbuild *b, uint32_t *comp);
/* The CSR graph and segments of net from b (b's arrays move into net). */
gpcov_status gpcov_net_finish(gpcov_ctx *ctx, struct netbuild *b, struct gpcov_network *net);

/* GDAL's OSM driver configuration with the lines layer cut to these keys
** as fields (network_osmconf.c): the path of a /vsimem/ file to pass as
** the CONFIG_FILE open option, freed with gpcov_osmconf_free; NULL to read
** with the driver's own (no file found, OSM_CONFIG_FILE set, a key that
** cannot be written).  NULL keys are left out. */
char *gpcov_osmconf_make(const char *const *keys, int nkeys);
void gpcov_osmconf_free(char *path);

#endif
