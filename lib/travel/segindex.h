/*
** segindex.h: nearest road segment queries (segindex.c).
*/
#ifndef GPCOV_SEGINDEX_H
#define GPCOV_SEGINDEX_H

#include "travel_internal.h"

struct gpcov_segindex {
    double x0, y0, size;
    long nx, ny;
    size_t *first;  /* nx*ny+1: the segments of bucket b are seg[first[b]..] */
    uint32_t *seg;
    uint16_t *ring; /* rings to the nearest bucket with a segment           */
};

/* Indexes the segments s of net with chosen[s] over box (xmin ymin xmax
** ymax, EPSG:25832) in buckets of size metres; -1 on ENOMEM (free it all
** the same). */
int gpcov_segindex_make(struct gpcov_segindex *ix, const struct gpcov_network *net,
                        const uint8_t *chosen, const double box[4], double size);
void gpcov_segindex_free(struct gpcov_segindex *ix);
/* The indexed segment s with flag[s] & mask nearest to (x, y) within maxd
** metres, its distance and where on it (0 at seg_u, 1 at seg_v);
** UINT32_MAX when none. */
uint32_t gpcov_segindex_nearest(const struct gpcov_segindex *ix, const struct gpcov_network *net,
                                const uint8_t *flag, uint8_t mask, double x, double y,
                                double maxd, double *dist, double *f);

#endif
