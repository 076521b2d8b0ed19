/*
** access_internal.h: the layout of one accessibility run (access.c, the
** driver and its two steps), shared with the files of its phases: the
** supply and its capacities (access_supply.c), the demand and the units
** (access_demand.c), the per-supply runs (access_runs.c) and the outputs
** (access_out.c).
*/
#ifndef GPCOV_ACCESS_INTERNAL_H
#define GPCOV_ACCESS_INTERNAL_H

#include "analysis_internal.h"

struct supply {
    struct gpcov_layer *l;
    double *cap;
    char **cap_note; /* per supply: how its capacity was set, or NULL */
};

struct centry {
    uint32_t cell;
    float t;
};

struct cache {
    struct centry *e;
    size_t n, cap, max;  /* entries held, allocated, allowed             */
    size_t *first, *len; /* per supply; len = SIZE_MAX: not kept         */
};

struct out {
    const char *dst;
    const char *tmp; /* a raster's temporary in the run's output set */
};

struct run {
    gpcov_ctx *ctx;
    const struct gpcov_access_opts *o;
    struct gpcov_access_result *res;
    struct supply S;
    gpcov_ttmodel *m;
    const struct gpcov_grid *g;
    size_t n, ns;
    uint32_t *popcells; /* cells with people, ascending                 */
    double *popv;       /* and their people                             */
    uint8_t *popbit;    /* one bit per cell: has people                 */
    size_t npop;
    float *t;           /* one supply's minutes                         */
    double *acc;        /* A_i                                          */
    double *demand, *reached, *ratio; /* D_j, people within reach, R_j  */
    int need_all;       /* A is wanted in every cell (rasters)          */
    struct cache c;
    struct gpcov_layer *units; /* keyed, sorted; or NULL                */
    int32_t *uidx;      /* 1 + unit of each cell, 0: none               */
    char desc[700], model[1200], model_da[1200];
    char **md;          /* metadata of every output                     */
    struct out outs[4]; /* output, reciprocal, supply, units            */
    gpcov_outset *set;  /* all four, or none (outset.c)                 */
    struct gpcov_traveltime_opts tt; /* the model's options: no outputs */
    gpcov_ttreach *reach; /* one supply's cells within reach (a list)   */
    gpcov_ttreach *reach2; /* the second of a pair of runs, or NULL     */
    gpcov_ctx *ctx2;    /* and its thread's context                     */
    uint32_t *popidx;   /* per cell: its index in popcells, or NOPOP    */
};
#define NOPOP UINT32_MAX

/* One run's cells within reach, ascending, and their minutes. */
struct acc_list {
    const uint32_t *cells;
    const float *t;
    size_t n;
};

/* access_runs.c: the per-supply runs, two at a time on two cores.  A pair
** runs supplies j and j2 (SIZE_MAX: j alone) up to max minutes; both lists
** stay valid until the next pair. */
gpcov_status gpcov_acc_runs_open(struct run *R);
gpcov_status gpcov_acc_run_pair(struct run *R, size_t j, size_t j2, double max,
                                struct acc_list out[2]);
void gpcov_acc_runs_close(struct run *R);

/* access.c: the run's notes, and field values for messages and outputs. */
void gpcov_acc_note(struct gpcov_access_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The field list of a layer, for messages. */
void gpcov_acc_field_list(const struct gpcov_layer *l, char *out, size_t n);
/* A number from a field: 0 and *out; 1 when empty; -1 when not a number. */
int gpcov_acc_value_number(const struct gpcov_layer *l, size_t i, int f, double *out);

/* access_supply.c: the supply points and their capacities. */
void gpcov_acc_supply_free(gpcov_ctx *ctx, struct supply *s);
gpcov_status gpcov_acc_read_supply(gpcov_ctx *ctx, const struct gpcov_access_opts *o,
                                   struct supply *s, struct gpcov_access_result *res);

/* access_demand.c: the people in the model's grid, and the units. */
gpcov_status gpcov_acc_load_demand(struct run *R);
gpcov_status gpcov_acc_load_units(struct run *R);

/* access_out.c: the metadata, the tables and every output written. */
void gpcov_acc_metadata(struct run *R);
gpcov_status gpcov_acc_units_layer(struct run *R, struct gpcov_layer **out);
gpcov_status gpcov_acc_supply_layer(struct run *R, struct gpcov_layer **out);
gpcov_status gpcov_acc_write_outputs(struct run *R, struct gpcov_layer *sl,
                                     struct gpcov_layer *ul);

#endif
