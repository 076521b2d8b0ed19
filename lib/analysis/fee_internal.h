/*
** fee_internal.h: the state of one `gpcov fee` run, shared by its phases:
** fee_read.c reads the municipalities and the practices into it,
** fee_run.c allocates and fee_write.c makes the output layers.  Private to
** the library.
*/
#ifndef GPCOV_FEE_INTERNAL_H
#define GPCOV_FEE_INTERNAL_H

#include "gpcov.h"
#include "analysis_internal.h"

struct muni {
    int excluded;
    char reason[160]; /* why it is left out: its amounts stay empty */
    int designated;
    double patients, capacities;
    double people, mean, factor;
    size_t npractices;
};

struct practice {
    char *id;
    char *name;
    size_t muni;
    int designated;
    double patients, capacities;
};

struct run {
    gpcov_ctx *ctx;
    const struct gpcov_fee_opts *o;
    struct gpcov_fee_weights *w;
    struct gpcov_layer *units;   /* the municipalities, sorted by key      */
    struct gpcov_layer *pts;     /* the practices as read                  */
    struct muni *m;
    struct practice *p;
    size_t np;
    int name_f;
    const char *key;
    /* the fields of the units: designation, patients, capacities */
    int fdes, fpat, fcap;
    const char *ndes, *npat, *ncap;
    char **excl;                 /* the keys given to --exclude            */
    /* the municipalities kept, with their people and mean weight */
    const char **keys;
    double *people, *mean;
    size_t nk;
    /* the allocation units (municipalities or practices) */
    struct gpcov_fee_unit *fu;
    size_t *umuni;               /* the municipality of each allocation unit */
    size_t nu;
    struct gpcov_fee_unit *agg;  /* the allocation summed per municipality  */
    struct gpcov_layer *ul, *pl; /* the outputs                             */
    struct gpcov_fee_report rp;
};

/* fee_read.c */
/* The text of a field as an id ("12" for the number 12). */
void gpcov_fee_id_text(const struct gpcov_layer *l, size_t i, int f, char *out, size_t sz);
/* The municipalities (R->units) and the fields of their values. */
gpcov_status gpcov_fee_read_units(struct run *R);
/* Marks the municipalities of --exclude in R->m. */
gpcov_status gpcov_fee_exclude(struct run *R);
/* Each municipality's designation, patients and capacities, or why it is
** left out; R->keys the municipalities kept. */
gpcov_status gpcov_fee_read_unit_values(struct run *R);
/* The practices (R->pts, R->p) and the municipality each lies in. */
gpcov_status gpcov_fee_read_practices(struct run *R);

/* fee_write.c */
/* The fee layer (R->ul), one feature per municipality. */
gpcov_status gpcov_fee_unit_layer(struct run *R);
/* The practice layer (R->pl), one feature per practice. */
gpcov_status gpcov_fee_practice_layer(struct run *R);

#endif
