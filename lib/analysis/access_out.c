/*
** access_out.c: the outputs of an accessibility run: the metadata every
** output carries, the table per unit (population-weighted mean access,
** its reciprocal, the share within reach) and per supply point, the score
** and reciprocal rasters, all written through one output set (all of
** them or none).
*/
#include "gpcov.h"
#include "analysis_internal.h"
#include "access_internal.h"

#include <cpl_string.h>
#include <ctype.h>
#include <errno.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *join_csl(char **l, const char *sep)
{
    size_t n = 1;
    for (char **p = l; p && *p; p++)
        n += strlen(*p) + strlen(sep);
    char *s = malloc(n);
    if (!s)
        return NULL;
    s[0] = 0;
    for (char **p = l; p && *p; p++) {
        if (p != l)
            strcat(s, sep);
        strcat(s, *p);
    }
    return s;
}

/* The metadata every output carries: model, method, inputs, shares. */
void gpcov_acc_metadata(struct run *R)
{
    const struct gpcov_access_opts *o = R->o;
    char **l = NULL, num[64];
    for (size_t j = 0; j < R->ns; j++)
        if (R->S.cap_note[j] && CSLFindString(l, R->S.cap_note[j]) < 0)
            l = CSLAddString(l, R->S.cap_note[j]);
    char *capnotes = l ? join_csl(l, "; ") : NULL;
    CSLDestroy(l);
    l = NULL;
    for (size_t j = 0; j < R->ns; j++)
        if (isnan(R->ratio[j]))
            l = CSLAddString(l, gpcov_ttmodel_source_id(R->m, j));
    char *dropped = l ? join_csl(l, ", ") : NULL;
    CSLDestroy(l);
    char **md = NULL;
    md = CSLSetNameValue(md, "GPCOV_MODEL", R->model);
    md = CSLSetNameValue(md, "GPCOV_MODEL_DA", R->model_da);
    md = CSLSetNameValue(md, "GPCOV_METHOD", R->desc);
    md = CSLSetNameValue(md, "GPCOV_SUPPLY", o->tt->sources);
    md = CSLSetNameValue(md, "GPCOV_CAPACITY_FIELD", o->capacity_field);
    snprintf(num, sizeof num, "%.15g", R->res->capacity_total);
    md = CSLSetNameValue(md, "GPCOV_CAPACITY_TOTAL", num);
    if (capnotes)
        md = CSLSetNameValue(md, "GPCOV_CAPACITY_NOTE", capnotes);
    if (dropped)
        md = CSLSetNameValue(md, "GPCOV_DROPPED", dropped);
    md = CSLSetNameValue(md, "GPCOV_DEMAND", o->demand);
    if (o->demand_where)
        md = CSLSetNameValue(md, "GPCOV_DEMAND_WHERE", o->demand_where);
    if (o->scenario_note)
        md = CSLSetNameValue(md, "GPCOV_SCENARIO", o->scenario_note);
    md = CSLSetNameValue(md, "GPCOV_VERSION", GPCOV_VERSION);
    free(capnotes);
    free(dropped);
    R->md = md;
}

/* Adds the fields named in names (types in types) to l, indices in idx. */
static gpcov_status add_fields(gpcov_ctx *ctx, struct gpcov_layer *l, size_t n,
                               const char *const *names, const enum gpcov_ftype *types, int *idx)
{
    for (size_t k = 0; k < n; k++)
        if ((idx[k] = gpcov_layer_add_field(ctx, l, names[k], types[k])) < 0)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* Per unit (index 1 + k): its people, their access summed, and the people
** with a supply within reach. */
struct unit_sums {
    double *pop, *pa, *reach;
};

static void unit_sums(struct run *R, struct unit_sums *U)
{
    for (size_t k = 0; k < R->npop; k++) {
        size_t i = R->popcells[k];
        int32_t u = R->uidx[i];
        if (u <= 0) {
            R->res->people_no_unit += R->popv[k];
            continue;
        }
        U->pop[u] += R->popv[k];
        U->pa[u] += R->popv[k] * R->acc[i];
        if (R->acc[i] > 0)
            U->reach[u] += R->popv[k];
    }
}

enum { UK, UNAME, UPOP, UACC, UPPC, UREACH, UMETHOD, UMODEL, UNF };

/* Unit k as feature of l (fields f). */
static gpcov_status unit_feature(struct run *R, struct gpcov_layer *l, const int *f, int fname,
                                 const struct unit_sums *U, size_t k)
{
    gpcov_ctx *ctx = R->ctx;
    const GEOSGeometry *g0 = R->units->geoms[k];
    GEOSGeometry *g = g0 ? GEOSGeom_clone_r(ctx->geos, g0) : NULL;
    long li = gpcov_layer_append(ctx, l, R->units->keys[k], g);
    if (li < 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    size_t i = (size_t)li, u = k + 1;
    char nb[400];
    gpcov_status st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UK], R->units->keys[k]);
    if (!st && fname >= 0)
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UNAME],
                                 gpcov_value_text(R->units, k, fname, nb, sizeof nb));
    if (!st)
        st = gpcov_layer_set_num(ctx, l, i, (size_t)f[UPOP], U->pop[u]);
    if (!st && U->pop[u] > 0) {
        double mean = U->pa[u] / U->pop[u];
        st = gpcov_layer_set_num(ctx, l, i, (size_t)f[UACC], mean);
        if (!st && mean > 0)
            st = gpcov_layer_set_num(ctx, l, i, (size_t)f[UPPC], 1 / mean);
        if (!st)
            st = gpcov_layer_set_num(ctx, l, i, (size_t)f[UREACH], 100 * U->reach[u] / U->pop[u]);
    }
    if (!st)
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UMETHOD], R->desc);
    if (!st)
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UMODEL], R->model);
    return st;
}

/* The units' features, one per unit, into l. */
static gpcov_status unit_features(struct run *R, struct gpcov_layer *l, const struct unit_sums *U)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_access_opts *o = R->o;
    const char *names[UNF] = {o->units_key_out ? o->units_key_out : GPCOV_KEY_FIELD,
                              "name", "population", "access", "pop_per_capacity",
                              "reach_pct", "method", "model"};
    const enum gpcov_ftype types[UNF] = {GPCOV_STR, GPCOV_STR, GPCOV_REAL, GPCOV_REAL,
                                         GPCOV_REAL, GPCOV_REAL, GPCOV_STR, GPCOV_STR};
    int f[UNF];
    gpcov_status st;
    if ((st = add_fields(ctx, l, 1, names, types, f)) ||
        (o->units_name && (st = add_fields(ctx, l, 1, names + 1, types + 1, f + 1))) ||
        (st = add_fields(ctx, l, UNF - 2, names + 2, types + 2, f + 2)))
        return st;
    int fname = o->units_name ? gpcov_layer_field(R->units, o->units_name) : -1;
    for (size_t k = 0; k < R->units->n && !st; k++)
        st = unit_feature(R, l, f, fname, U, k);
    if (!st)
        st = gpcov_layer_set_meta_list(ctx, l, R->md);
    return st;
}

/* One feature per unit: population, mean access weighted by population,
** its reciprocal, the share of people with a supply within reach. */
gpcov_status gpcov_acc_units_layer(struct run *R, struct gpcov_layer **out)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_access_opts *o = R->o;
    size_t nu = R->units->n;
    struct unit_sums U = {calloc(nu + 1, sizeof *U.pop), calloc(nu + 1, sizeof *U.pa),
                          calloc(nu + 1, sizeof *U.reach)};
    struct gpcov_layer *l = gpcov_layer_new("access");
    gpcov_status st = GPCOV_OK;
    if (!U.pop || !U.pa || !U.reach || !l)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    else {
        unit_sums(R, &U);
        if (R->res->people_no_unit > 0)
            gpcov_acc_note(R->res, "%s: %.15g people lie in cells that touch no unit of %s and are left "
                 "out of the units' figures", o->demand, R->res->people_no_unit, o->units);
        if (o->units_output)
            st = unit_features(R, l, &U);
    }
    free(U.pop), free(U.pa), free(U.reach);
    if (st || !o->units_output)
        gpcov_layer_free(ctx, l);
    else
        *out = l;
    return st;
}

/* One feature per supply point: capacity (and how it was set), demand
** reached, ratio. */
gpcov_status gpcov_acc_supply_layer(struct run *R, struct gpcov_layer **out)
{
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_layer *l = gpcov_layer_new("supply");
    if (!l)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    enum { ID, CAP, NOTE, DEM, REACHED, RATIO, PPC, DROPPED, MODEL, NF };
    const char *names[NF] = {"id", "capacity", "capacity_note", "demand", "population_reached",
                             "ratio", "pop_per_capacity", "dropped", "model"};
    const enum gpcov_ftype types[NF] = {GPCOV_STR, GPCOV_REAL, GPCOV_STR, GPCOV_REAL, GPCOV_REAL,
                                        GPCOV_REAL, GPCOV_REAL, GPCOV_BOOL, GPCOV_STR};
    int f[NF];
    gpcov_status st = add_fields(ctx, l, NF, names, types, f);
    for (size_t j = 0; j < R->ns && !st; j++) {
        const GEOSGeometry *g0 = R->S.l->geoms[j];
        GEOSGeometry *g = g0 ? GEOSGeom_clone_r(ctx->geos, g0) : NULL;
        long li = gpcov_layer_append(ctx, l, NULL, g);
        if (li < 0) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            break;
        }
        size_t i = (size_t)li;
        int dropped = isnan(R->ratio[j]);
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[ID], gpcov_ttmodel_source_id(R->m, j));
        if (!st)
            st = gpcov_layer_set_num(ctx, l, i, (size_t)f[CAP], R->S.cap[j]);
        if (!st && R->S.cap_note[j])
            st = gpcov_layer_set_str(ctx, l, i, (size_t)f[NOTE], R->S.cap_note[j]);
        if (!st)
            st = gpcov_layer_set_num(ctx, l, i, (size_t)f[DEM], R->demand[j]);
        if (!st)
            st = gpcov_layer_set_num(ctx, l, i, (size_t)f[REACHED], R->reached[j]);
        if (!st && !dropped)
            st = gpcov_layer_set_num(ctx, l, i, (size_t)f[RATIO], R->ratio[j]);
        if (!st && !dropped && R->S.cap[j] > 0)
            st = gpcov_layer_set_num(ctx, l, i, (size_t)f[PPC], R->demand[j] / R->S.cap[j]);
        if (!st)
            st = gpcov_layer_set_num(ctx, l, i, (size_t)f[DROPPED], dropped);
        if (!st)
            st = gpcov_layer_set_str(ctx, l, i, (size_t)f[MODEL], R->model);
    }
    if (!st)
        st = gpcov_layer_set_meta_list(ctx, l, R->md);
    if (st)
        gpcov_layer_free(ctx, l);
    else
        *out = l;
    return st;
}

/* Every output to its temporary name (taken before any work, so that an
** output that cannot be written stops the run early), then all renamed
** into place. */
gpcov_status gpcov_acc_write_outputs(struct run *R, struct gpcov_layer *sl, struct gpcov_layer *ul)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_access_opts *o = R->o;
    struct out *outs = R->outs;
    float *buf = R->t; /* the travel times are done with */
    gpcov_status st = GPCOV_OK;
    char unit_a[200], unit_r[200];
    snprintf(unit_a, sizeof unit_a, "%s per person", o->capacity_field);
    snprintf(unit_r, sizeof unit_r, "people per %s", o->capacity_field);
    for (int k = 0; k < 2 && !st; k++) {
        if (!outs[k].dst)
            continue;
        for (size_t i = 0; i < R->n; i++) {
            int masked = (R->uidx && R->uidx[i] <= 0) || (o->demand_only && !(R->popbit[i >> 3] & (1u << (i & 7))));
            double a = R->acc[i];
            buf[i] = masked ? NAN : k == 0 ? (float)a : a > 0 ? (float)(1 / a) : NAN;
        }
        struct gpcov_raster_write_opts wo = {
            .into = outs[k].tmp,
            .description = k == 0 ? "access score (2SFCA family): capacity per person"
                                  : "reciprocal of the access score: people per unit of capacity",
            .units = k == 0 ? unit_a : unit_r,
            .metadata = R->md};
        st = gpcov_raster_write(ctx, outs[k].dst, R->g, GPCOV_RASTER_FLOAT32, buf, &wo);
    }
    /* the tables (a PostGIS table is written when the set commits) */
    for (int k = 2; k < 4 && !st; k++) {
        struct gpcov_layer *l = k == 2 ? sl : ul;
        if (!l || !outs[k].dst)
            continue;
        struct gpcov_write_opts lw = {0};
        st = gpcov_outset_layer(ctx, R->set, l, outs[k].dst, &lw);
    }
    if (!st)
        st = gpcov_outset_commit(ctx, R->set);
    return st; /* temporaries left by a failure go in run_free */
}
