/*
** matrix_internal.h: what the files of gpcov matrix share: the origins
** and destinations as points (matrix_points.c) for the run (matrix.c).
*/
#ifndef GPCOV_MATRIX_INTERNAL_H
#define GPCOV_MATRIX_INTERNAL_H

#include "gpcov.h"

/* n points: id, name ("" when none), x, y in EPSG:25832. */
struct mx_points {
    size_t n;
    char **id, **name;
    double *x, *y;
};
void gpcov_mx_points_clear(struct mx_points *p);
/* The origins (dest 0) or destinations (dest 1) of o. */
gpcov_status gpcov_mx_points_read(gpcov_ctx *ctx, const struct gpcov_matrix_opts *o, int dest,
                                  struct mx_points *p);

#endif
