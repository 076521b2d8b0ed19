/*
** isochrone_run.c: the isochrone command's library side.  Travel times
** come from a raster (with its nearest-source raster for per-source
** polygons that split the area) or are computed with a travel model (per
** source, each source's own reach, which may overlap).  The polygons
** (isochrone.c) are clipped to a land mask when one is given, and may be
** turned into non-overlapping bands for maps; every feature carries the
** model that made its times, and so does the layer's metadata.
*/
#include "travel_internal.h"

#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The GPCOV_MODEL and GPCOV_MODEL_DA metadata items of a raster, or a
** plain note. */
static void raster_model(const char *src, char *out, char *out_da, size_t n)
{
    GDALDatasetH ds = GDALOpen(src, GA_ReadOnly);
    const char *m = ds ? GDALGetMetadataItem(ds, "GPCOV_MODEL", NULL) : NULL;
    const char *da = ds ? GDALGetMetadataItem(ds, "GPCOV_MODEL_DA", NULL) : NULL;
    snprintf(out, n, "%s", m ? m : "travel times from a raster");
    snprintf(out_da, n, "%s", da ? da : m ? m : "Rejsetider fra et raster");
    if (ds)
        GDALClose(ds);
}

static gpcov_status clip_layer(gpcov_ctx *ctx, const char *clip, GEOSGeometry **mask)
{
    struct gpcov_layer *l = NULL;
    gpcov_status st = gpcov_layer_read(ctx, clip, NULL, &l);
    if (st)
        return st;
    size_t k = 0;
    GEOSGeometry **parts = malloc((l->n ? l->n : 1) * sizeof *parts);
    for (size_t i = 0; parts && i < l->n; i++)
        if (l->geoms[i]) {
            parts[k++] = l->geoms[i];
            l->geoms[i] = NULL;
        }
    GEOSGeometry *coll = parts ? GEOSGeom_createCollection_r(ctx->geos, GEOS_GEOMETRYCOLLECTION,
                                                             parts, (unsigned)k)
                               : NULL;
    free(parts);
    gpcov_layer_free(ctx, l);
    *mask = coll ? GEOSUnaryUnion_r(ctx->geos, coll) : NULL;
    if (coll)
        GEOSGeom_destroy_r(ctx->geos, coll);
    if (!*mask)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot union the clip polygons: %s", clip,
                         gpcov_dep_error(ctx));
    return GPCOV_OK;
}

/* Replaces geometry i by its intersection with mask and updates area_km2. */
static gpcov_status clip_feature(gpcov_ctx *ctx, struct gpcov_layer *l, size_t i,
                                 const GEOSPreparedGeometry *pm, const GEOSGeometry *mask)
{
    GEOSGeometry *g = l->geoms[i];
    if (!g || GEOSisEmpty_r(ctx->geos, g) == 1)
        return GPCOV_OK;
    GEOSGeometry *c = GEOSPreparedContains_r(ctx->geos, pm, g) == 1
                          ? GEOSGeom_clone_r(ctx->geos, g)
                          : GEOSIntersection_r(ctx->geos, g, mask);
    if (!c)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot clip an isochrone: %s", gpcov_dep_error(ctx));
    GEOSGeom_destroy_r(ctx->geos, g);
    l->geoms[i] = c;
    double a = 0;
    GEOSArea_r(ctx->geos, c, &a);
    gpcov_layer_set_num(ctx, l, i, (size_t)gpcov_layer_field(l, "area_km2"), a / 1e6);
    return GPCOV_OK;
}

/* Nested polygons of one source (features first..first+n-1, ascending
** minutes) into bands, plus the rest of the mask beyond the last limit. */
static gpcov_status make_bands(gpcov_ctx *ctx, struct gpcov_layer *l, size_t first, size_t n,
                               const GEOSGeometry *mask, double total_pop)
{
    GEOSContextHandle_t h = ctx->geos;
    int ffrom = gpcov_layer_field(l, "from_minutes"), fm = gpcov_layer_field(l, "minutes");
    int fa = gpcov_layer_field(l, "area_km2"), fp = gpcov_layer_field(l, "population");
    int fs = gpcov_layer_field(l, "source");
    GEOSGeometry *rest = mask && n ? GEOSDifference_r(h, mask, l->geoms[first + n - 1]) : NULL;
    double rest_area = 0;
    if (rest && (GEOSArea_r(h, rest, &rest_area) != 1 || !(rest_area > 0))) {
        GEOSGeom_destroy_r(h, rest); /* every cell reached: no rest */
        rest = NULL;
    }
    double prev_pop = 0, prev_min = 0;
    for (size_t k = n; k-- > 0;) {
        size_t i = first + k;
        if (k > 0) {
            GEOSGeometry *d = GEOSDifference_r(h, l->geoms[i], l->geoms[i - 1]);
            if (!d)
                return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot make bands: %s", gpcov_dep_error(ctx));
            GEOSGeom_destroy_r(h, l->geoms[i]);
            l->geoms[i] = d;
        }
        double a = 0;
        GEOSArea_r(h, l->geoms[i], &a);
        gpcov_layer_set_num(ctx, l, i, (size_t)fa, a / 1e6);
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = first + k;
        double m = gpcov_layer_value(l, i, (size_t)fm)->num;
        gpcov_layer_set_num(ctx, l, i, (size_t)ffrom, prev_min);
        prev_min = m;
        if (fp >= 0) {
            double p = gpcov_layer_value(l, i, (size_t)fp)->num;
            gpcov_layer_set_num(ctx, l, i, (size_t)fp, p - prev_pop);
            prev_pop = p;
        }
    }
    if (rest) {
        char src[256];
        snprintf(src, sizeof src, "%s", gpcov_layer_value(l, first, (size_t)fs)->str);
        long i = gpcov_layer_append(ctx, l, NULL, rest);
        if (i < 0)
            return GPCOV_ENOMEM;
        gpcov_layer_set_str(ctx, l, (size_t)i, (size_t)fs, src);
        gpcov_layer_set_num(ctx, l, (size_t)i, (size_t)ffrom, prev_min);
        double a = 0;
        GEOSArea_r(h, rest, &a);
        gpcov_layer_set_num(ctx, l, (size_t)i, (size_t)fa, a / 1e6);
        /* minutes stays empty: not reached at all (the band beyond the
        ** last limit, when cells lie there, is a band of its own); its
        ** people are those left over */
        if (fp >= 0 && isfinite(total_pop))
            gpcov_layer_set_num(ctx, l, (size_t)i, (size_t)fp, fmax(0, total_pop - prev_pop));
    }
    return GPCOV_OK;
}

/* The state of one isochrone run, shared by its phases. */
struct run {
    gpcov_ctx *ctx;
    const struct gpcov_isochrone_opts *o;
    struct gpcov_grid g;          /* the raster's grid (times from a raster) */
    float *t, *near_f, *work;
    gpcov_ttmodel *m;
    struct gpcov_layer *out;
    double *cell_pop;
    GEOSGeometry *mask;
    const GEOSPreparedGeometry *pm;
    size_t *gfirst, ngroups;      /* the first feature of each group        */
    char model[1200], model_da[1200];
};

static gpcov_status check_opts(gpcov_ctx *ctx, const struct gpcov_isochrone_opts *o)
{
    if (!o->output || !o->nlevels || (!o->traveltime && !o->tt))
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "isochrone: travel times (a raster or a model), limits and an output "
                         "are required");
    for (size_t k = 0; k < o->nlevels; k++)
        if (!(o->minutes[k] > 0) || (k && o->minutes[k] <= o->minutes[k - 1]))
            return gpcov_err(ctx, GPCOV_EUSAGE, "--minutes: limits must be positive and "
                             "ascending");
    gpcov_status cst = gpcov_atomic_check(ctx, o->output, o->overwrite);
    if (cst)
        return cst;
    if (o->per_source && o->traveltime && !o->nearest)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--per-source with --traveltime needs --nearest "
                         "(or give the travel model's inputs instead)");
    return GPCOV_OK;
}

/* The clip mask (prepared) and the empty output layer. */
static gpcov_status run_setup(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    gpcov_status st;
    if (R->o->clip && (st = clip_layer(ctx, R->o->clip, &R->mask)))
        return st;
    if (R->mask && !(R->pm = GEOSPrepare_r(ctx->geos, R->mask)))
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot prepare the clip polygon");
    if (!(R->out = gpcov_isochrone_layer(ctx, R->o->population != NULL)))
        return GPCOV_ENOMEM;
    if (gpcov_layer_add_field(ctx, R->out, "from_minutes", GPCOV_REAL) < 0 ||
        gpcov_layer_add_field(ctx, R->out, "model", GPCOV_STR) < 0)
        return GPCOV_ENOMEM;
    return GPCOV_OK;
}

/* One group from a travel-time raster: bands, where cells reached beyond
** the last limit are a band of their own, up to the longest time, not
** "no data". */
static gpcov_status raster_all(struct run *R, size_t n)
{
    const struct gpcov_isochrone_opts *o = R->o;
    double lv[64], maxt = -INFINITY;
    size_t nl = o->nlevels < 63 ? o->nlevels : 63;
    memcpy(lv, o->minutes, nl * sizeof *lv);
    for (size_t i = 0; o->bands && i < n; i++)
        if (isfinite(R->t[i]) && R->t[i] > maxt)
            maxt = R->t[i];
    if (o->bands && maxt > lv[nl - 1])
        lv[nl++] = ceil(maxt);
    R->gfirst = malloc(sizeof *R->gfirst);
    R->gfirst[R->ngroups++] = R->out->n;
    return gpcov_isochrones(R->ctx, R->t, R->g.nx, R->g.ny, R->g.gt, lv, nl, "all", R->cell_pop,
                            R->out);
}

/* The distinct ids of the nearest-source raster, ascending, into ids. */
static size_t distinct_ids(const float *near_f, size_t n, double *ids)
{
    size_t nid = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(near_f[i]))
            continue;
        size_t k = 0;
        while (k < nid && ids[k] != near_f[i])
            k++;
        if (k == nid && nid < 100000)
            ids[nid++] = near_f[i];
    }
    for (size_t a = 1; a < nid; a++)
        for (size_t b = a; b > 0 && ids[b - 1] > ids[b]; b--) {
            double x = ids[b];
            ids[b] = ids[b - 1];
            ids[b - 1] = x;
        }
    return nid;
}

/* One group per source of a travel-time raster, split by its nearest-source
** raster. */
static gpcov_status raster_per_source(struct run *R, size_t n)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_isochrone_opts *o = R->o;
    struct gpcov_grid gn = {0};
    gpcov_status st;
    if ((st = gpcov_raster_read(ctx, o->nearest, &gn, &R->near_f)))
        return st;
    int same = gn.nx == R->g.nx && gn.ny == R->g.ny;
    for (int k = 0; k < 6; k++)
        same &= fabs(gn.gt[k] - R->g.gt[k]) < 1e-6;
    gpcov_grid_clear(&gn);
    if (!same)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s and %s are not on the same grid", o->traveltime,
                         o->nearest);
    double *ids = malloc(n * sizeof *ids);
    R->work = malloc(n * sizeof *R->work);
    R->gfirst = malloc(n * sizeof *R->gfirst);
    if (!ids || !R->work || !R->gfirst) {
        free(ids);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    size_t nid = distinct_ids(R->near_f, n, ids);
    for (size_t k = 0; k < nid && !st; k++) {
        for (size_t i = 0; i < n; i++)
            R->work[i] = R->near_f[i] == ids[k] ? R->t[i] : NAN;
        char id[64];
        snprintf(id, sizeof id, "%.0f", ids[k]);
        R->gfirst[R->ngroups++] = R->out->n;
        st = gpcov_isochrones(ctx, R->work, R->g.nx, R->g.ny, R->g.gt, o->minutes, o->nlevels, id,
                              R->cell_pop, R->out);
    }
    free(ids);
    return st;
}

/* The nested polygons from a travel-time raster. */
static gpcov_status from_raster(struct run *R)
{
    const struct gpcov_isochrone_opts *o = R->o;
    gpcov_status st;
    if ((st = gpcov_raster_read(R->ctx, o->traveltime, &R->g, &R->t)))
        return st;
    raster_model(o->traveltime, R->model, R->model_da, sizeof R->model);
    if (o->population && (st = gpcov_population_grid(R->ctx, o->population, o->population_field,
                                                      &R->g, &R->cell_pop, NULL)))
        return st;
    size_t n = (size_t)R->g.nx * (size_t)R->g.ny;
    return o->per_source ? raster_per_source(R, n) : raster_all(R, n);
}

/* The nested polygons from the travel model, run per source (or once). */
static gpcov_status from_model(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_isochrone_opts *o = R->o;
    gpcov_status st;
    if ((st = gpcov_ttmodel_open(ctx, o->tt, &R->m)))
        return st;
    snprintf(R->model, sizeof R->model, "%s", gpcov_ttmodel_description(R->m));
    snprintf(R->model_da, sizeof R->model_da, "%s", gpcov_ttmodel_description_da(R->m));
    const struct gpcov_grid *mg = gpcov_ttmodel_grid(R->m);
    if (o->population && (st = gpcov_population_grid(ctx, o->population, o->population_field, mg,
                                                     &R->cell_pop, NULL)))
        return st;
    size_t n = (size_t)mg->nx * (size_t)mg->ny, ns = gpcov_ttmodel_nsources(R->m);
    R->t = malloc(n * sizeof *R->t);
    R->gfirst = malloc((ns + 1) * sizeof *R->gfirst);
    if (!R->t || !R->gfirst)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    double maxm = o->minutes[o->nlevels - 1];
    for (long k = o->per_source ? 0 : -1; k < (o->per_source ? (long)ns : 0) && !st; k++) {
        if ((st = gpcov_ttmodel_run(ctx, R->m, k, maxm, R->t, NULL)))
            break;
        R->gfirst[R->ngroups++] = R->out->n;
        st = gpcov_isochrones(ctx, R->t, mg->nx, mg->ny, mg->gt, o->minutes, o->nlevels,
                              k < 0 ? "all" : gpcov_ttmodel_source_id(R->m, (size_t)k),
                              R->cell_pop, R->out);
    }
    return st;
}

/* Clipped to the mask, and (with bands) each group's nested polygons
** into bands. */
static gpcov_status clip_and_band(struct run *R)
{
    gpcov_status st = GPCOV_OK;
    for (size_t i = 0; R->pm && i < R->out->n && !st; i++)
        st = clip_feature(R->ctx, R->out, i, R->pm, R->mask);
    size_t nested = R->out->n;
    double total_pop = NAN;
    if (R->cell_pop) {
        const struct gpcov_grid *pg = R->o->traveltime ? &R->g : gpcov_ttmodel_grid(R->m);
        total_pop = 0;
        for (size_t i = 0; i < (size_t)pg->nx * (size_t)pg->ny; i++)
            total_pop += R->cell_pop[i];
    }
    for (size_t k = 0; R->o->bands && k < R->ngroups && !st; k++) {
        size_t first = R->gfirst[k], end = k + 1 < R->ngroups ? R->gfirst[k + 1] : nested;
        st = make_bands(R->ctx, R->out, first, end - first, R->mask, total_pop);
    }
    return st;
}

/* The model on every feature and in the metadata, then the layer out. */
/* The run in one line: area (and people) within each limit, or how many
** polygons for how many sources. */
static void summarize(struct run *R)
{
    const struct gpcov_layer *out = R->out;
    int fa = gpcov_layer_field(out, "area_km2"), fp = gpcov_layer_field(out, "population");
    char line[900];
    size_t len = 0;
    if (R->ngroups > 1 || fa < 0) {
        gpcov_summary(R->ctx, "%zu polygons for %zu sources, %s", out->n, R->ngroups, R->model);
        return;
    }
    for (size_t i = 0; i < out->n && i < R->o->nlevels && len < sizeof line; i++) {
        const struct gpcov_value *a = gpcov_layer_value(out, i, (size_t)fa);
        const struct gpcov_value *p = fp >= 0 ? gpcov_layer_value(out, i, (size_t)fp) : NULL;
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s%g min %.0f km2", i ? "; " : "",
                                R->o->bands && i ? "to " : "within ", R->o->minutes[i],
                                a && !a->null ? a->num : 0);
        if (p && len < sizeof line)
            len += (size_t)snprintf(line + len, sizeof line - len,
                                    p->null ? " (people unknown)" : " (%.0f people)", p->num);
    }
    gpcov_summary(R->ctx, "%s", line);
}

static gpcov_status write_layer(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_layer *out = R->out;
    int fmodel = gpcov_layer_field(out, "model"), ffrom = gpcov_layer_field(out, "from_minutes");
    for (size_t i = 0; i < out->n; i++) {
        gpcov_layer_set_str(ctx, out, i, (size_t)fmodel, R->model);
        if (!R->o->bands)
            gpcov_layer_set_null(out, i, (size_t)ffrom);
    }
    gpcov_layer_set_meta(ctx, out, "GPCOV_MODEL", R->model);
    gpcov_layer_set_meta(ctx, out, "GPCOV_MODEL_DA", R->model_da);
    struct gpcov_write_opts wo = {.overwrite = R->o->overwrite};
    gpcov_status st = gpcov_layer_write(ctx, out, R->o->output, &wo);
    if (!st)
        summarize(R);
    return st;
}

static void run_free(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    if (R->pm)
        GEOSPreparedGeom_destroy_r(ctx->geos, R->pm);
    if (R->mask)
        GEOSGeom_destroy_r(ctx->geos, R->mask);
    gpcov_layer_free(ctx, R->out);
    free(R->cell_pop);
    gpcov_ttmodel_free(R->m);
    gpcov_grid_clear(&R->g);
    free(R->t);
    free(R->near_f);
    free(R->work);
    free(R->gfirst);
}

gpcov_status gpcov_isochrone(gpcov_ctx *ctx, const struct gpcov_isochrone_opts *o)
{
    gpcov_status st = check_opts(ctx, o);
    if (st)
        return st;
    struct run R = {.ctx = ctx, .o = o};
    /* groups of features, one per source (or one in all) */
    if (!(st = run_setup(&R)) && !(st = o->traveltime ? from_raster(&R) : from_model(&R)) &&
        !(st = clip_and_band(&R)))
        st = write_layer(&R);
    run_free(&R);
    return st;
}
