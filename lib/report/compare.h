/*
** compare.h: what the files of gpcov compare share (compare.c,
** compare_read.c, compare_rows.c, compare_manifest.c, compare_map.c).
*/
#ifndef GPCOV_COMPARE_H
#define GPCOV_COMPARE_H

#include "gpcov.h"
#include "report_internal.h"

#include <stdio.h>

/* One side: a report folder's layers merged into one, or one layer. */
struct cmp_side {
    const char *src;         /* as given                                  */
    char *manifest;          /* its manifest.json, or NULL                */
    struct gpcov_layer *u;   /* keyed units with every field of the side  */
    struct gpcov_strmap at;  /* key -> feature                            */
};

struct cmp_run {
    gpcov_ctx *ctx;
    const struct gpcov_compare_opts *o;
    struct cmp_side a, b;
    char **keys;             /* the keys of both sides, sorted            */
    size_t nkeys;
    struct gpcov_layer *out; /* one row per key                          */
    struct gpcov_layer *inputs; /* the inputs that differ (no geometry)   */
    char *diff_field;        /* the map's difference field of out         */
    char **credits;          /* the map's attribution lines from A's
                                manifest (its data sources), or NULL      */
    FILE *say;               /* the summary, as it is written             */
};

/* compare_read.c: both sides, then the sorted union of their keys. */
gpcov_status cmp_read(struct cmp_run *R);
void cmp_side_free(gpcov_ctx *ctx, struct cmp_side *s);
/* compare_rows.c: the output rows and the summary of verdicts and fee. */
gpcov_status cmp_rows(struct cmp_run *R);
/* compare_manifest.c: the inputs, variables and step arguments that
** differ between the two manifests, into R->inputs and the summary. */
gpcov_status cmp_manifests(struct cmp_run *R);
/* compare_map.c: the two-panel map into the output set. */
gpcov_status cmp_map(struct cmp_run *R, gpcov_outset *set);

/* A field's value of feature i as a number: 1 and *v, or 0 when null,
** missing or text. */
int cmp_num(const struct gpcov_layer *l, int f, size_t i, double *v);

#endif
