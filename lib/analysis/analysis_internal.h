/*
** analysis_internal.h: what the files of lib/analysis/ share and the
** public API does not show: rasters sampled at points and the truth of a
** condition over them.  Files of the stages above include it through their
** own.
*/
#ifndef GPCOV_ANALYSIS_INTERNAL_H
#define GPCOV_ANALYSIS_INTERNAL_H

#include "travel/travel_internal.h"

/* Citizens aged 80+ see their GP about 2.5 times as often as the average
** citizen: demand = pop + (2.5 - 1) x pop80. */
#define GPCOV_DEFAULT_DEMAND "demand=pop + 1.5 * pop80"

/* Rasters sampled at points (sample.c, overlay --sample): per sample its
** name, the --max-minutes cut of the raster (NaN: none), its GPCOV_MODEL
** (or NULL), and per point whether its cell is nodata beyond the cut. */
struct gpcov_samples {
    size_t n;
    char **name;
    double *cut;
    char **model;
    unsigned char **beyond;
};
gpcov_status gpcov_samples_read(gpcov_ctx *ctx, char **specs, struct gpcov_layer *pts,
                                struct gpcov_samples *s);
void gpcov_samples_clear(struct gpcov_samples *s);
/* A lookup over point fr that, with mode 1 or 2, gives a point beyond the
** cut the time just above the cut or infinity (mode 0: empty). */
struct gpcov_sample_ref {
    struct gpcov_feature fr;
    const struct gpcov_samples *s;
    int mode;
};
int gpcov_sample_lookup(void *user, const char *name, struct gpcov_value *v);
/* The truth of condition e: 1, 0, or -1 unknown.  With mode (the mode of
** a gpcov_sample_ref given as user) an empty result is tried again at both
** ends of "beyond the cut", and decided when they agree. */
gpcov_status gpcov_where_truth(gpcov_ctx *ctx, const gpcov_expr *e, gpcov_lookup_fn lookup,
                               void *user, int *mode, int *out);

#endif
