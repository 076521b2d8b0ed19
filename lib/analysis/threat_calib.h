/*
** threat_calib.h: the state of one calibration of the threat rules
** (`gpcov threat --calibrate`), shared by its files: threat_cut.c reads a
** rule as a cut, threat_calib.c searches the cuts and measures the
** stability, threat_calib_out.c writes the summary and the table.
** Private to the library.
*/
#ifndef GPCOV_THREAT_CALIB_H
#define GPCOV_THREAT_CALIB_H

#include "threat_internal.h"

#include <stddef.h>

/* The comparison of a cut, with the indicator on the left. */
enum cut_op { CUT_GT, CUT_GE, CUT_LT, CUT_LE };

/* One cut searched: a rule's number, or the score's threshold.  Its
** classes are the intervals of cuts within [lo, hi] that give the same
** verdicts (between two distinct indicator values), each searched once at
** its representative: the original cut when it lies in it, else the
** interval's middle. */
struct param {
    const char *name;          /* the rule's name, or "threshold"           */
    int rule;                  /* the rule's index; -1: the threshold       */
    enum cut_op op;
    char *lhs;                 /* the indicator side of the resolved rule   */
    double c0, lo, hi;         /* the original cut and the range searched   */
    double *x;                 /* per unit: the indicator side; NaN unknown */
    size_t ncls;
    double *from, *to, *rep;   /* per class                                 */
    size_t found;              /* the class found                           */
    char *flips[2];            /* units that flip at -10 % and +10 %        */
    size_t nflips[2], fn[2], fc[2];
};

/* The agreement of the verdicts with the designation: decided units only. */
struct conf {
    size_t tp, fp, fn, tn, und;
    double kappa, bacc, acc;
};

struct calib {
    struct run *R;
    size_t n;                  /* units                                     */
    unsigned char *des, *skip; /* per unit: designated; excluded            */
    size_t np;
    struct param *p;
    int *pof;                  /* per rule: its param, or -1                */
    int thr;                   /* the threshold's param, or -1              */
    double *cut;               /* per param: the cut evaluated              */
    double *cls, *found_cls;   /* verdicts: scratch; at the found cuts      */
    size_t *at, *best;         /* per param: the class tried; the best      */
    double best_kappa, best_dist;
    struct conf before, after;
    int exhaustive;
    size_t evals, sweeps;
};

/* threat_cut.c: rule k of R as a cut: P->op, P->lhs, P->c0, and P->x for
** every unit; an error naming the rule when it is not INDICATOR op NUMBER. */
gpcov_status gpcov_threat_cut_read(struct run *R, size_t k, struct param *P);
/* 1 when x op c, 0 when not, -1 when x is unknown (NaN). */
signed char gpcov_threat_cut_fires(enum cut_op op, double x, double c);
/* The operator as written. */
const char *gpcov_threat_cut_opname(enum cut_op op);

/* threat_calib_out.c: the summary's calibration part, and the table
** (o->calibration) as a layer in R->calout, added to R->set. */
gpcov_status gpcov_threat_calib_report(struct calib *C);

#endif
