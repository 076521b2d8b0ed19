/*
** threat_internal.h: the state of one `gpcov threat` run, shared by its
** phases: threat.c reads the units, judges them by the rules and writes
** the verdicts; threat_agree.c compares them with a designation list.
** Private to the library.
*/
#ifndef GPCOV_THREAT_INTERNAL_H
#define GPCOV_THREAT_INTERNAL_H

#include "analysis_internal.h"

#include <stddef.h>

/* The units being judged: a layer, or cells of rasters. */
struct units {
    const struct gpcov_layer *l; /* layer mode */
    size_t n;
    /* grid mode */
    struct gpcov_grid g;
    size_t nvar;
    char *var[16];
    float *val[16];
};

/* One run of the rules: the units, the rules as parsed, what each rule
** said of each unit, the verdicts and the summary text. */
struct run {
    gpcov_ctx *ctx;
    const struct gpcov_threat_opts *o;
    struct units u;
    struct gpcov_layer *L;       /* the units as read (layer mode)          */
    struct gpcov_layer *out;     /* the output layer (layer mode)           */
    size_t nr;                   /* rules                                   */
    gpcov_expr **ex;             /* per rule; NULL: skipped                 */
    char **resolved;             /* per rule, its statistics as numbers     */
    signed char *fired;          /* unit i, rule k at i * nr + k            */
    double *score, *cls, *smin, *smax;
    double thr;
    size_t nthreat, nunknown, nexcluded;
    int fon;                     /* the name field of out, or -1            */
    char *sum;                   /* the summary                             */
    size_t sn, scap;
    struct gpcov_table *des;
    gpcov_outset *set;           /* the layer and the agreement             */
};

/* Appends text to a growing string (*s of *n characters in *cap bytes). */
void gpcov_threat_add(char **s, size_t *n, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* threat_agree.c: the agreement of the verdicts (R->out, R->cls) with the
** designation list o->designation: a table in the summary and, with
** o->agreement, each unit's side as CSV in R->set. */
gpcov_status gpcov_threat_agreement(struct run *R);

#endif
