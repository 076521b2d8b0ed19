/*
** select.c: gpcov_layer_select, a layer cut down to the features where a
** condition in the expression language holds (`gpcov map --where`, the
** same language and three-valued truth as `query` and `overlay --where`).
** A feature whose condition cannot be decided because a field it needs is
** missing is not selected and is counted apart, so that the caller can say
** so; a field the layer lacks is an error naming the nearest one; a
** selection of nothing is an error naming the expression.
*/
#include "analysis_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every name of e is a field of l, or an error with the nearest one. */
static gpcov_status check_names(gpcov_ctx *ctx, const struct gpcov_layer *l,
                                const gpcov_expr *e, const char *src)
{
    for (size_t k = 0; k < gpcov_expr_nnames(e); k++) {
        const char *nm = gpcov_expr_name(e, k);
        if (gpcov_layer_field(l, nm) >= 0)
            continue;
        size_t best = (size_t)-1, bi = 0;
        for (size_t f = 0; f < l->nfields; f++) {
            size_t d = gpcov_edit_distance(nm, l->fields[f].name);
            if (d < best)
                best = d, bi = f;
        }
        char hint[200] = "";
        if (l->nfields && best <= strlen(nm) / 3 + 1)
            snprintf(hint, sizeof hint, "; did you mean '%s'?", l->fields[bi].name);
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: --where '%s': unknown field '%s'%s", src,
                         gpcov_expr_text(e), nm, hint);
    }
    return GPCOV_OK;
}

/* Drops feature i of l (frees its key, geometry and strings). */
static void drop(gpcov_ctx *ctx, struct gpcov_layer *l, size_t i)
{
    free(l->keys ? l->keys[i] : NULL);
    if (l->geoms && l->geoms[i])
        GEOSGeom_destroy_r(gpcov_ctx_geos(ctx), l->geoms[i]);
    for (size_t f = 0; f < l->nfields; f++)
        free(l->vals[i * l->nfields + f].str);
}

/* Moves feature i of l to place j (j <= i). */
static void move(struct gpcov_layer *l, size_t j, size_t i)
{
    if (j == i)
        return;
    if (l->keys)
        l->keys[j] = l->keys[i];
    if (l->geoms)
        l->geoms[j] = l->geoms[i];
    memcpy(&l->vals[j * l->nfields], &l->vals[i * l->nfields],
           l->nfields * sizeof *l->vals);
}

gpcov_status gpcov_layer_select(gpcov_ctx *ctx, struct gpcov_layer *l, const char *where,
                                const char *src, size_t *undecided)
{
    gpcov_expr *e = NULL;
    size_t n = l->n, kept = 0, und = 0;
    if (undecided)
        *undecided = 0;
    gpcov_status st = gpcov_expr_parse(ctx, where, &e);
    if (!st)
        st = check_names(ctx, l, e, src);
    int *keep = st ? NULL : calloc(n ? n : 1, sizeof *keep);
    if (!st && !keep)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; !st && i < n; i++) {
        struct gpcov_feature fr = {l, i};
        int t;
        if ((st = gpcov_where_truth(ctx, e, gpcov_layer_lookup, &fr, NULL, &t)))
            break;
        keep[i] = t > 0;
        kept += t > 0;
        und += t < 0;
    }
    if (!st && !kept)
        st = gpcov_err(ctx, GPCOV_EINPUT,
                       "%s: --where '%s' selects none of the %zu features%s", src, where, n,
                       und ? " (some could not be decided: a field it needs is missing)" : "");
    for (size_t i = 0, j = 0; !st && i < n; i++) {
        if (!keep[i])
            drop(ctx, l, i);
        else
            move(l, j++, i);
    }
    if (!st) {
        l->n = kept;
        if (undecided)
            *undecided = und;
    }
    free(keep);
    gpcov_expr_free(e);
    return st;
}
