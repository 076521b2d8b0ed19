/*
** coverage_out.c: the outputs of a coverage run: the metadata every
** output carries (the model, the processing order, the norm, what the
** practices are), the layer of demand cells (all, or those left
** unserved), the served and unserved rasters, the table per practice and
** per unit, all written through one output set (all of them or none).
*/
#include "gpcov.h"
#include "coverage_internal.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gpcov_cov_metadata(struct crun *R)
{
    const struct gpcov_coverage_opts *o = R->o;
    char num[64];
    snprintf(R->order, sizeof R->order,
             "nearest first over all (cell, practice) pairs within %g min: ascending travel "
             "time (float32 minutes), ties by the practice's order in %s (feature 1 first), "
             "then by cell (row by row from the north-west); each pair serves min(the cell's "
             "demand not yet served, the practice's capacity not yet taken); capacity = GP "
             "capacities x %g patients; closed practices take no one",
             o->max_minutes, o->tt->sources, R->norm);
    char **md = NULL;
    md = CSLSetNameValue(md, "GPCOV_MODEL", R->model);
    md = CSLSetNameValue(md, "GPCOV_ORDER", R->order);
    snprintf(num, sizeof num, "%g", o->max_minutes);
    md = CSLSetNameValue(md, "GPCOV_MAX_MINUTES", num);
    snprintf(num, sizeof num, "%g", R->norm);
    md = CSLSetNameValue(md, "GPCOV_NORM", num);
    md = CSLSetNameValue(md, "GPCOV_PRACTICES", o->tt->sources);
    if (o->supply_note)
        md = CSLSetNameValue(md, "GPCOV_PRACTICES_NOTE", o->supply_note);
    md = CSLSetNameValue(md, "GPCOV_DEMAND", o->demand);
    md = CSLSetNameValue(md, "GPCOV_DEMAND_FIELD", o->demand_field ? o->demand_field
                                                                   : "population");
    md = CSLSetNameValue(md, "GPCOV_VERSION", GPCOV_VERSION);
    R->md = md;
}


enum { CCELL, CDEM, CSERV, CUNS, CPRAC, CMIN, CREASON, CUNIT, CNF };

/* Cell q as a point at its centre. */
static gpcov_status cell_feature(struct crun *R, struct gpcov_layer *l, const int *f, size_t q)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_grid *g = R->g;
    size_t i = R->cells[q];
    double x = g->gt[0] + ((double)(i % (size_t)g->nx) + 0.5) * g->gt[1];
    double y = g->gt[3] + ((double)(i / (size_t)g->nx) + 0.5) * g->gt[5];
    long li = gpcov_layer_append(ctx, l, NULL, GEOSGeom_createPointFromXY_r(ctx->geos, x, y));
    if (li < 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    size_t k = (size_t)li;
    const struct gpcov_cover_result *r = &R->r;
    char why[200] = "";
    if (r->unserved[q] > 0)
        snprintf(why, sizeof why, r->reached[q] ? "praksis inden for %g min er fuldt belagt"
                                                : "ingen praksis med kapacitet inden for %g min",
                 R->o->max_minutes);
    gpcov_status st = gpcov_layer_set_num(ctx, l, k, (size_t)f[CCELL], (double)i);
    if (!st)
        st = gpcov_layer_set_num(ctx, l, k, (size_t)f[CDEM], R->dem[q]);
    if (!st)
        st = gpcov_layer_set_num(ctx, l, k, (size_t)f[CSERV], r->served[q]);
    if (!st)
        st = gpcov_layer_set_num(ctx, l, k, (size_t)f[CUNS], r->unserved[q]);
    if (!st && r->first[q] >= 0)
        st = gpcov_layer_set_str(ctx, l, k, (size_t)f[CPRAC],
                                 gpcov_ttmodel_source_id(R->m, (size_t)r->first[q]));
    if (!st)
        st = gpcov_layer_set_num_or_null(ctx, l, k, (size_t)f[CMIN], r->first_minutes[q]);
    if (!st && why[0])
        st = gpcov_layer_set_str(ctx, l, k, (size_t)f[CREASON], why);
    if (!st && R->uidx && R->uidx[i] > 0)
        st = gpcov_layer_set_str(ctx, l, k, (size_t)f[CUNIT], R->units->keys[R->uidx[i] - 1]);
    return st;
}

/* The demand cells (only those with unserved demand when only_unserved). */
static gpcov_status cells_layer(struct crun *R, int only_unserved, struct gpcov_layer **out)
{
    const char *names[CNF] = {"cell", "demand", "served", "unserved", "practice", "minutes",
                              "unserved_reason", R->o->units_key ? GPCOV_KEY_FIELD : "unit"};
    const enum gpcov_ftype types[CNF] = {GPCOV_INT, GPCOV_REAL, GPCOV_REAL, GPCOV_REAL,
                                         GPCOV_STR, GPCOV_REAL, GPCOV_STR, GPCOV_STR};
    int f[CNF];
    struct gpcov_layer *l = gpcov_layer_new_fields(R->ctx, only_unserved ? "unserved" : "cells",
                                      R->units ? CNF : CNF - 1, names, types, f);
    if (!l)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = GPCOV_OK;
    for (size_t q = 0; q < R->nc && !st; q++)
        if (!only_unserved || R->r.unserved[q] > 0)
            st = cell_feature(R, l, f, q);
    if (!st)
        st = gpcov_layer_set_meta_list(R->ctx, l, R->md);
    if (st)
        gpcov_layer_free(R->ctx, l);
    else
        *out = l;
    return st;
}

enum { PID, PCAPS, PCAP, POPEN, PASS, PREM, PUSED, PREASON, PNOTE, PNF };

static gpcov_status practice_feature(struct crun *R, struct gpcov_layer *l, const int *f,
                                     size_t j)
{
    gpcov_ctx *ctx = R->ctx;
    const struct cov_practices *P = &R->P;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx->geos, P->ps->p[j].x, P->ps->p[j].y);
    long li = pt ? gpcov_layer_append(ctx, l, NULL, pt) : -1;
    if (li < 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    size_t k = (size_t)li;
    double people = P->people[j];
    gpcov_status st = gpcov_layer_set_str(ctx, l, k, (size_t)f[PID],
                                          gpcov_ttmodel_source_id(R->m, j));
    if (!st)
        st = gpcov_layer_set_num_or_null(ctx, l, k, (size_t)f[PCAPS], P->cap[j]);
    if (!st)
        st = gpcov_layer_set_num_or_null(ctx, l, k, (size_t)f[PCAP], people);
    if (!st && P->open[j] >= 0)
        st = gpcov_layer_set_num(ctx, l, k, (size_t)f[POPEN], P->open[j]);
    if (!st && !isnan(people))
        st = gpcov_layer_set_num(ctx, l, k, (size_t)f[PASS], R->r.assigned[j]);
    if (!st)
        st = gpcov_layer_set_num_or_null(ctx, l, k, (size_t)f[PREM], R->r.remaining[j]);
    if (!st && people > 0)
        st = gpcov_layer_set_num(ctx, l, k, (size_t)f[PUSED], 100 * R->r.assigned[j] / people);
    if (!st && P->reason[j])
        st = gpcov_layer_set_str(ctx, l, k, (size_t)f[PREASON], P->reason[j]);
    if (!st && R->o->supply_note)
        st = gpcov_layer_set_str(ctx, l, k, (size_t)f[PNOTE], R->o->supply_note);
    return st;
}

static gpcov_status practices_layer(struct crun *R, struct gpcov_layer **out)
{
    const char *names[PNF] = {"id", "capacities", "capacity", "open", "assigned", "remaining",
                              "used_pct", "reason", "practices_note"};
    const enum gpcov_ftype types[PNF] = {GPCOV_STR, GPCOV_REAL, GPCOV_REAL, GPCOV_BOOL,
                                         GPCOV_REAL, GPCOV_REAL, GPCOV_REAL, GPCOV_STR,
                                         GPCOV_STR};
    int f[PNF];
    struct gpcov_layer *l = gpcov_layer_new_fields(R->ctx, "practices", PNF, names, types, f);
    if (!l)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = GPCOV_OK;
    for (size_t j = 0; j < R->np && !st; j++)
        st = practice_feature(R, l, f, j);
    if (!st)
        st = gpcov_layer_set_meta_list(R->ctx, l, R->md);
    if (st)
        gpcov_layer_free(R->ctx, l);
    else
        *out = l;
    return st;
}

/* The rasters: served or unserved per cell, NaN where there is no demand. */
static gpcov_status write_raster(struct crun *R, const char *dst, const char *tmp, int served)
{
    float *v = malloc(R->n * sizeof *v);
    if (!v)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < R->n; i++)
        v[i] = NAN;
    for (size_t q = 0; q < R->nc; q++)
        v[R->cells[q]] = (float)(served ? R->r.served[q] : R->r.unserved[q]);
    struct gpcov_raster_write_opts wo = {
        .into = tmp, .units = "people", .metadata = R->md,
        .description = served ? "demand served within the limit (capacity-constrained "
                                "coverage)"
                              : "demand left unserved (capacity-constrained coverage)"};
    gpcov_status st = gpcov_raster_write(R->ctx, dst, R->g, GPCOV_RASTER_FLOAT32, v, &wo);
    free(v);
    return st;
}

enum { UKEY, UNAME, UDEM, USERV, UUNS, UPCT, UFAR, UMODEL, UNOTE, UNF };

/* Unit k with its sums (d, s, u, far: demand, served, unserved, unserved
** with no practice within reach). */
static gpcov_status unit_feature(struct crun *R, struct gpcov_layer *l, const int *f, size_t k,
                                 const double *sums)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_layer *u = R->units;
    long li = gpcov_layer_append(ctx, l, u->keys[k],
                                 u->geoms[k] ? GEOSGeom_clone_r(ctx->geos, u->geoms[k]) : NULL);
    if (li < 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    size_t i = (size_t)li;
    char nb[400];
    int fn = R->o->units_name ? gpcov_layer_field(u, R->o->units_name) : -1;
    gpcov_status st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UKEY], u->keys[k]);
    if (!st && fn >= 0)
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UNAME],
                                 gpcov_value_text(u, k, fn, nb, sizeof nb));
    for (int c = 0; c < 3 && !st; c++)
        st = gpcov_layer_set_num(ctx, l, i, (size_t)f[UDEM + c], sums[c]);
    if (!st && sums[0] > 0)
        st = gpcov_layer_set_num(ctx, l, i, (size_t)f[UPCT], 100 * sums[2] / sums[0]);
    if (!st)
        st = gpcov_layer_set_num(ctx, l, i, (size_t)f[UFAR], sums[3]);
    if (!st)
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UMODEL], R->model);
    if (!st && R->o->supply_note)
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UNOTE], R->o->supply_note);
    return st;
}

/* One feature per unit: demand, served, unserved, the share unserved. */
static gpcov_status units_layer(struct crun *R, struct gpcov_layer **out)
{
    gpcov_ctx *ctx = R->ctx;
    size_t nu = R->units->n;
    const char *names[UNF] = {GPCOV_KEY_FIELD, "name", "demand", "served", "unserved",
                              "unserved_pct", "unserved_far", "model", "practices_note"};
    const enum gpcov_ftype types[UNF] = {GPCOV_STR, GPCOV_STR, GPCOV_REAL, GPCOV_REAL,
                                         GPCOV_REAL, GPCOV_REAL, GPCOV_REAL, GPCOV_STR,
                                         GPCOV_STR};
    int f[UNF];
    double *sums = calloc(4 * (nu + 1), sizeof *sums), nounit = 0;
    struct gpcov_layer *l = sums ? gpcov_layer_new_fields(ctx, "coverage", UNF, names, types, f) : NULL;
    if (!l) {
        free(sums);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t q = 0; q < R->nc; q++) {
        int32_t u = R->uidx[R->cells[q]];
        double *s = sums + 4 * (size_t)(u > 0 ? u : 0);
        s[0] += R->dem[q], s[1] += R->r.served[q], s[2] += R->r.unserved[q];
        s[3] += R->r.reached[q] ? 0 : R->r.unserved[q];
        nounit += u > 0 ? 0 : R->dem[q];
    }
    if (nounit > 0)
        R->sum->notes = CSLAddString(R->sum->notes, CPLSPrintf("%s: %.15g of the demand lies "
                                     "in cells of no unit of %s and is left out of the units' "
                                     "figures", R->o->demand, nounit, R->o->units));
    gpcov_status st = GPCOV_OK;
    for (size_t k = 0; k < nu && !st; k++)
        st = unit_feature(R, l, f, k, sums + 4 * (k + 1));
    free(sums);
    if (!st)
        st = gpcov_layer_set_meta_list(ctx, l, R->md);
    if (st)
        gpcov_layer_free(ctx, l);
    else
        *out = l;
    return st;
}

gpcov_status gpcov_cov_write(struct crun *R)
{
    const struct gpcov_coverage_opts *o = R->o;
    gpcov_ctx *ctx = R->ctx;
    gpcov_status st = GPCOV_OK;
    if (o->unserved_raster)
        st = write_raster(R, o->unserved_raster, R->tmp_unserved, 0);
    if (!st && o->served_raster)
        st = write_raster(R, o->served_raster, R->tmp_served, 1);
    const char *dst[4] = {o->cells_output, o->unserved_output, o->practices_output,
                          o->units_output};
    struct gpcov_layer *ls[4] = {NULL}; /* a PostGIS table is written at commit */
    for (int k = 0; k < 4 && !st; k++) {
        if (!dst[k])
            continue;
        st = k < 2 ? cells_layer(R, k == 1, &ls[k]) : k == 2 ? practices_layer(R, &ls[k])
                                                             : units_layer(R, &ls[k]);
        struct gpcov_write_opts wo = {0};
        if (!st)
            st = gpcov_outset_layer(ctx, R->set, ls[k], dst[k], &wo);
    }
    if (!st)
        st = gpcov_outset_commit(ctx, R->set);
    for (int k = 0; k < 4; k++)
        gpcov_layer_free(ctx, ls[k]);
    return st;
}
