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

/* The overlay's join by names (overlay_names.c).  Declared column names
** that match a table's columns loosely rename those columns; a key cell
** that is a municipality's name finds its polygon, a national, regional or
** total row is set aside (one notice for all), an unknown name is an error
** with the nearest name. */
gpcov_status gpcov_overlay_match_columns(gpcov_ctx *ctx, const struct gpcov_src_spec *src,
                                         struct gpcov_table *t);
struct gpcov_namejoin {
    const struct gpcov_layer *poly;
    const char *field;    /* the names' field; NULL: KOMNAVN, name or navn */
    const char *polygons; /* for messages */
    char **aside;         /* the rows set aside (CSL) */
};
enum { GPCOV_NAME_FOUND, GPCOV_NAME_ASIDE, GPCOV_NAME_NONE, GPCOV_NAME_ERROR };
int gpcov_overlay_by_name(gpcov_ctx *ctx, struct gpcov_namejoin *nj, const char *raw,
                          const char *where, size_t *p);
void gpcov_overlay_aside_notice(gpcov_ctx *ctx, struct gpcov_namejoin *nj, const char *path);

/* The region of each feature of out beside its key (overlay_regions.c):
** regionkode and regionnavn from s->regions, the region holding the
** feature's interior point; empty (with a notice) for one in no region. */
gpcov_status gpcov_overlay_regions(gpcov_ctx *ctx, const struct gpcov_overlay_spec *s,
                                   struct gpcov_layer *out);

/* The cells of grid g with demand (cover_pairs.c): cells[q] (grid index,
** ascending) with dem[q] > 0; outside the demand off the grid.  Cleared
** with gpcov_demand_cells_clear; no demand in the grid is an error. */
struct gpcov_demand_cells {
    uint32_t *cells;
    double *dem;
    size_t nc;
    double outside;
};
gpcov_status gpcov_demand_cells(gpcov_ctx *ctx, const char *src, const char *field,
                                const struct gpcov_grid *g, struct gpcov_demand_cells *d);
void gpcov_demand_cells_clear(struct gpcov_demand_cells *d);
/* Every (cell, site) pair within max_minutes: one bounded search per site
** j of the model's nsite sources (those with active[j] > 0 when active is
** given) at the cells; two at a time where two cores are online.  *pairs
** is malloc'ed, in no particular order; what names the progress. */
gpcov_status gpcov_cover_pairs(gpcov_ctx *ctx, gpcov_ttmodel *m, const uint32_t *cells,
                               size_t nc, size_t nsite, const double *active,
                               double max_minutes, const char *what,
                               struct gpcov_cover_pair **pairs, size_t *npairs);

#endif
