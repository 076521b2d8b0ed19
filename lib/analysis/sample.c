/*
** sample.c: rasters sampled at points (overlay --sample), and what a cell
** without a value means.  A travel-time raster cut at --max-minutes M
** (its GPCOV_MAX_MINUTES metadata) leaves every cell beyond M, and every
** unreachable one, as nodata: such a point's time is "more than M", not
** unknown, and not absent.  A condition on it is decided when it holds, or
** fails, for every time above M (tried at just above M and at infinity:
** `minutes > 60` is true under a 60-minute cut, `minutes > 120` unknown);
** otherwise it is unknown, and so is every aggregate it filters.  Without
** a cut a nodata cell is unknown.  The model that made the raster
** (GPCOV_MODEL) is kept to be written beside the indicators made from it.
*/
#include "analysis_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gpcov_samples_clear(struct gpcov_samples *s)
{
    for (size_t k = 0; k < s->n; k++) {
        free(s->name[k]);
        free(s->model[k]);
        free(s->beyond[k]);
    }
    free(s->name);
    free(s->model);
    free(s->beyond);
    free(s->cut);
    memset(s, 0, sizeof *s);
}

/* Sample k (NAME=RASTER) at every point into field NAME of pts. */
static gpcov_status sample_one(gpcov_ctx *ctx, const char *spec, struct gpcov_layer *pts,
                               struct gpcov_samples *s, size_t k)
{
    const char *eq = strchr(spec, '=');
    struct gpcov_grid g = {0};
    float *v = NULL;
    s->name[k] = gpcov_strndup(spec, (size_t)(eq - spec));
    s->beyond[k] = calloc(pts->n ? pts->n : 1, 1);
    if (!s->name[k] || !s->beyond[k])
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = gpcov_raster_read(ctx, eq + 1, &g, &v);
    if (st)
        return st;
    char *cut = gpcov_raster_meta(eq + 1, "GPCOV_MAX_MINUTES");
    s->cut[k] = cut ? strtod(cut, NULL) : NAN;
    free(cut);
    s->model[k] = gpcov_raster_meta(eq + 1, "GPCOV_MODEL");
    int f = gpcov_layer_add_field(ctx, pts, s->name[k], GPCOV_REAL);
    for (size_t j = 0; f >= 0 && j < pts->n; j++) {
        double x, y;
        size_t cell;
        if (!pts->geoms[j] || GEOSGeomGetX_r(ctx->geos, pts->geoms[j], &x) != 1 ||
            GEOSGeomGetY_r(ctx->geos, pts->geoms[j], &y) != 1 ||
            gpcov_grid_cell(&g, x, y, &cell) != 0)
            continue; /* outside the raster: unknown */
        if (!isnan(v[cell]))
            gpcov_layer_set_num(ctx, pts, j, (size_t)f, v[cell]);
        else
            s->beyond[k][j] = isfinite(s->cut[k]);
    }
    free(v);
    gpcov_grid_clear(&g);
    if (f < 0)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--sample %s: the points have a field '%s' already",
                         spec, s->name[k]);
    return GPCOV_OK;
}

gpcov_status gpcov_samples_read(gpcov_ctx *ctx, char **specs, struct gpcov_layer *pts,
                                struct gpcov_samples *s)
{
    memset(s, 0, sizeof *s);
    size_t n = 0;
    while (specs && specs[n])
        n++;
    if (!n)
        return GPCOV_OK;
    s->name = calloc(n, sizeof *s->name);
    s->model = calloc(n, sizeof *s->model);
    s->beyond = calloc(n, sizeof *s->beyond);
    s->cut = calloc(n, sizeof *s->cut);
    if (!s->name || !s->model || !s->beyond || !s->cut)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    s->n = n;
    for (size_t k = 0; k < n; k++) {
        gpcov_status st = sample_one(ctx, specs[k], pts, s, k);
        if (st)
            return st;
    }
    return GPCOV_OK;
}

int gpcov_sample_lookup(void *user, const char *name, struct gpcov_value *v)
{
    struct gpcov_sample_ref *r = user;
    const struct gpcov_samples *s = r->s;
    for (size_t k = 0; s && r->mode && k < s->n; k++)
        if (!strcmp(s->name[k], name) && s->beyond[k][r->fr.i]) {
            memset(v, 0, sizeof *v);
            v->num = r->mode == 1 ? nextafter(s->cut[k], INFINITY) : INFINITY;
            return 0;
        }
    return gpcov_layer_lookup(&r->fr, name, v);
}

/* The truth of a condition: 1, 0, or -1 when unknown. */
static int truth(const struct gpcov_value *v)
{
    if (v->null)
        return -1;
    if (v->str)
        return v->str[0] != 0;
    return v->num != 0;
}

gpcov_status gpcov_where_truth(gpcov_ctx *ctx, const gpcov_expr *e, gpcov_lookup_fn lookup,
                               void *user, int *mode, int *out)
{
    struct gpcov_value v = {0};
    gpcov_status st = gpcov_expr_eval(ctx, e, lookup, user, &v);
    if (st)
        return st;
    *out = truth(&v);
    free(v.str);
    if (*out >= 0 || !mode)
        return GPCOV_OK;
    /* a time beyond the cut: decided only when both ends agree */
    int t[2];
    for (int m = 1; m <= 2; m++) {
        *mode = m;
        memset(&v, 0, sizeof v);
        st = gpcov_expr_eval(ctx, e, lookup, user, &v);
        *mode = 0;
        if (st)
            return st;
        t[m - 1] = truth(&v);
        free(v.str);
    }
    *out = t[0] >= 0 && t[0] == t[1] ? t[0] : -1;
    return GPCOV_OK;
}
