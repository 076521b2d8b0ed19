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
    struct gpcov_layer *calout;  /* the calibration table (threat_calib.c)  */
};

/* A unit's rules so far: which fired, which did not, which could not be
** told (an indicator missing), and their weights. */
struct tally {
    int anytrue, anyfalse, anyunk;
    double wtrue, wknown, wunk;
};

/* threat.c: adds what rule of weight w said (f: 1 fired, 0 not, -1
** unknown, -2 skipped), and the verdict (1, 0, NaN undecided), the score
** and its bounds from a unit's tally. */
void gpcov_threat_tally_add(struct tally *t, signed char f, double w);
void gpcov_threat_verdict(const struct tally *t, enum gpcov_combine combine, double thr,
                          double *cls, double *score, double *lo, double *hi);

/* Appends text to a growing string (*s of *n characters in *cap bytes). */
void gpcov_threat_add(char **s, size_t *n, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* threat_agree.c: the agreement of the verdicts (R->out, R->cls) with the
** designation list o->designation: a table in the summary and, with
** o->agreement, each unit's side as CSV in R->set. */
gpcov_status gpcov_threat_agreement(struct run *R);

/* threat_agree.c: d[i] = 1 when unit i (of R->out) is on the designation
** list o->designation, else 0; every listed code must be a unit. */
gpcov_status gpcov_threat_designated(struct run *R, unsigned char *d);

/* threat_calib.c: --calibrate checked before any work (ranges, names, a
** designation list, layer mode, the calibration output not in the way),
** and the search itself: the thresholds within their ranges that agree
** best with the designation list, before and after, and how stable the
** verdicts are; a table in the summary and, with o->calibration, in R->set. */
gpcov_status gpcov_threat_calibrate_check(gpcov_ctx *ctx, const struct gpcov_threat_opts *o);
gpcov_status gpcov_threat_calibrate(struct run *R);

#endif
