/*
** siterun_internal.h: the layout of one `gpcov site` run (site_run.c, the
** driver), shared with the files of its phases: the sites, candidates and
** existing (site_cand.c), the per-cell figures before and after
** (site_cells.c) and the outputs (site_out.c; the map is lib/map's).
*/
#ifndef GPCOV_SITERUN_INTERNAL_H
#define GPCOV_SITERUN_INTERNAL_H

#include "analysis_internal.h"

#define GPCOV_SITE_NORM 1600.0 /* people per GP capacity (the norm)      */

/* The sites, candidates [0, ncand) then existing [ncand, n), each with an
** id, a name ("" when none), a point in EPSG:25832 and, for the capacity
** objective, the people it can take (NaN: excluded, reason says why). */
struct site_pts {
    size_t n, ncand;
    char **id, **name;
    double *x, *y;
    double *people;
    char **reason;
    char vsi[96];   /* the points as the model's sources (id, x, y)  */
    char what[700]; /* where the candidates come from, for notes     */
};

struct srun {
    gpcov_ctx *ctx;
    const struct gpcov_site_run_opts *o;
    struct gpcov_site_run_summary *sum;
    struct site_pts S;
    struct gpcov_traveltime_opts tt; /* the model's options: no outputs   */
    gpcov_ttmodel *m;
    const struct gpcov_grid *g;
    struct gpcov_demand_cells D;
    struct gpcov_cover_pair *pairs;
    size_t npairs;
    double *before, *after;  /* per demand cell: people reached (COVER),
                                served (CAPACITY) or minutes (MEDIAN, NaN
                                where no open site is within reach)       */
    double *reach_before, *reach_after; /* per cell: people within reach  */
    struct gpcov_layer *units; /* keyed, sorted; or NULL                   */
    int32_t *uidx;           /* 1 + unit of each grid cell, 0: none        */
    double norm;
    char model[1200], model_da[1200];
    char **md;               /* metadata of every output                   */
    gpcov_outset *set;
    const char *tmp_summary;
};

/* site_cand.c: the existing sites and the candidates, and the model's
** sources pointing at them. */
gpcov_status gpcov_site_read_sites(struct srun *R);
void gpcov_site_sites_model(const struct site_pts *S, struct gpcov_traveltime_opts *tt);
void gpcov_site_sites_free(struct site_pts *S);

/* site_cells.c: the per-cell figures with the existing sites alone and
** with the chosen ones. */
gpcov_status gpcov_site_cells(struct srun *R);

/* site_out.c: the metadata and the layers, into the output set. */
void gpcov_site_metadata(struct srun *R);
gpcov_status gpcov_site_write(struct srun *R);

#endif
