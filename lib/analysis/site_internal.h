/*
** site_internal.h: what the files of site choice share (site_index.c,
** site_value.c, site_greedy.c, site_swap.c, site_exact.c, site_solve.c):
** the instance indexed once, the per-unit state of an open set, and the
** phases of the solver.
**
** The solver maximises a score: COVER the demand covered, MEDIAN minus
** the cost (so a gain is demand x minutes saved), CAPACITY the demand
** served.  cur[i] is the best minutes of unit i over the open sites
** (INFINITY: none reaches it); the existing sites are folded into
** base[i] once, so only the candidates' pairs are read again.
*/
#ifndef GPCOV_SITE_INTERNAL_H
#define GPCOV_SITE_INTERNAL_H

#include "analysis_internal.h"

struct site_ix {
    const struct gpcov_site_problem *p;
    enum gpcov_site_objective obj;
    size_t nunit, ncand, nsite;
    size_t *off;       /* ncand + 1: candidate c's pairs [off[c], off[c+1]) */
    uint32_t *unit;    /* by candidate; CAPACITY: (minutes, unit) order,
                          else unit order                                   */
    float *min;
    float *base;       /* per unit: best minutes over the existing sites    */
    double pen;        /* MEDIAN: minutes of a unit no open site reaches    */
    double eps;        /* what counts as an improvement (rounding)          */
    /* CAPACITY: the existing sites' pairs in the processing order of
    ** gpcov_coverage_assign, the capacities (NaN as 0) and work space */
    struct gpcov_cover_pair *exist;
    size_t nexist;
    double *cap, *rem_unit, *rem_site;
    size_t *head;      /* per open candidate: next pair                     */
    uint32_t *open_c;  /* the open candidates, sorted                       */
    double swap_skipped; /* CAPACITY: the pair visits of a swap pass, when
                            too many to try it; else 0                      */
};

gpcov_status site_ix_build(gpcov_ctx *ctx, const struct gpcov_site_problem *p,
                           enum gpcov_site_objective obj, struct site_ix *ix);
void site_ix_free(struct site_ix *ix);

/* COVER and MEDIAN on the per-unit state (site_value.c) */
void site_state_init(const struct site_ix *ix, float *cur);
double site_gain(const struct site_ix *ix, uint32_t c, const float *cur);
void site_apply(const struct site_ix *ix, uint32_t c, float *cur);
double site_state_score(const struct site_ix *ix, const float *cur);
/* CAPACITY: the demand served with the candidates open[0..n) (any order,
** no repeats), by the nearest-first sweep */
double site_cap_score(struct site_ix *ix, const uint32_t *open, size_t n);
/* the score of a set, either objective; cur: nunit floats of work space */
double site_set_score(struct site_ix *ix, const uint32_t *set, size_t n, float *cur);
/* score to the objective's value (MEDIAN: cost) */
double site_value_of(const struct site_ix *ix, double score);

/* the phases (site_greedy.c, site_swap.c, site_exact.c): each fills
** set[0..k) and *score; evaluated counts objective evaluations */
gpcov_status site_greedy(gpcov_ctx *ctx, struct site_ix *ix, size_t k, uint32_t *set,
                         double *score, double *bound, size_t *evaluated);
gpcov_status site_swap(gpcov_ctx *ctx, struct site_ix *ix, size_t k, uint32_t *set,
                       double *score, double *bound, size_t *swaps, size_t *evaluated);
gpcov_status site_exact(gpcov_ctx *ctx, struct site_ix *ix, size_t k, uint32_t *set,
                        double *score, size_t *evaluated);
/* orders set[0..k) greedily (the largest gain first, ties by the lower
** index) and gives each its gain */
gpcov_status site_order(gpcov_ctx *ctx, struct site_ix *ix, size_t k, uint32_t *set,
                        double *gain);
/* the bound of a submodular score from the state of a set S of score f:
** f + the sum of the k largest gains of candidates (cur: S's state) */
double site_topk_bound(const struct site_ix *ix, const float *cur, double f, size_t k,
                       double *work);
/* C(n, k) as a double (inf when huge) */
double site_choose(size_t n, size_t k);

#endif
