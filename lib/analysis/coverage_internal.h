/*
** coverage_internal.h: the layout of one coverage run (coverage_run.c, the
** driver), shared with the files of its phases: the practices and their
** capacities (coverage_practices.c) and the outputs (coverage_out.c).
*/
#ifndef GPCOV_COVERAGE_INTERNAL_H
#define GPCOV_COVERAGE_INTERNAL_H

#include "analysis_internal.h"

#define GPCOV_COVER_NORM 1600.0 /* patients per GP capacity (the norm)   */

/* The practices as read (gpcov_practices_read): one per row or feature
** of the source, in its order (the order that breaks ties).  people[j] =
** capacities x norm, 0 for a closed practice, NaN for one excluded
** (reason[j] says why). */
struct cov_practices {
    struct gpcov_practices *ps;
    char vsi[96];    /* the points as the model's sources (id, x, y)   */
    double *cap;     /* GP capacities; NaN: unknown                     */
    double *people;  /* patients it can take                            */
    int8_t *open;    /* 1 open, 0 closed, -1 unknown                    */
    char **reason;   /* why it takes no one, or NULL                    */
};

struct crun {
    gpcov_ctx *ctx;
    const struct gpcov_coverage_opts *o;
    struct gpcov_coverage_summary *sum;
    struct cov_practices P;
    gpcov_ttmodel *m;
    const struct gpcov_grid *g;
    size_t n, np;            /* cells of the grid, practices              */
    uint32_t *cells;         /* cells with demand, ascending              */
    double *dem;             /* and their demand                          */
    size_t nc;
    struct gpcov_cover_pair *pairs;
    size_t npairs;
    struct gpcov_cover_result r;
    struct gpcov_layer *units; /* keyed, sorted; or NULL                  */
    int32_t *uidx;           /* 1 + unit of each grid cell, 0: none        */
    double norm;
    char model[1200], order[1200];
    char **md;               /* metadata of every output                   */
    gpcov_outset *set;
    const char *tmp_unserved, *tmp_served;
    struct gpcov_traveltime_opts tt; /* the model's options: no outputs   */
};

/* coverage_practices.c: the practices, their capacities and open flags,
** read through gpcov_practices_read; ..._model points the model's
** sources at them. */
gpcov_status gpcov_cov_read_practices(gpcov_ctx *ctx, const struct gpcov_coverage_opts *o,
                                      double norm, struct cov_practices *p);
void gpcov_cov_practices_model(const struct cov_practices *p, struct gpcov_traveltime_opts *tt);
void gpcov_cov_practices_free(gpcov_ctx *ctx, struct cov_practices *p);

/* coverage_out.c: the metadata, the layers and rasters, written as one set. */
void gpcov_cov_metadata(struct crun *R);
gpcov_status gpcov_cov_write(struct crun *R);

#endif
