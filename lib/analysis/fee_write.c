/*
** fee_write.c: the outputs of `gpcov fee`: the fee layer with one feature
** per municipality (the allocation summed over its practices, or a reason
** where it is left out) and, with practices, the practice layer; both with
** the parameters and what each number was based on in their metadata.
*/
#include "fee_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    F_KEY, F_NAME, F_RKEY, F_RNAME, F_MUNI, F_DES, F_PAT, F_CAP, F_FACTOR, F_WEIGHTED,
    F_DIFF, F_CAPDKK, F_DESDKK, F_WDKK, F_CAPPED, F_TOTAL, F_PERPAT, F_PERINH, F_NPRACT,
    F_REASON, F_N
};

/* The layer's fields; the region's code and name (after the name) only
** with_region, when the units have them. */
static gpcov_status add_fields(gpcov_ctx *ctx, struct gpcov_layer *l, const char *keyname,
                               const char *muniname, int with_npract, int with_region, int *fx)
{
    static const struct {
        const char *name;
        enum gpcov_ftype type;
    } def[F_N] = {
        [F_KEY] = {NULL, GPCOV_STR},
        [F_NAME] = {"name", GPCOV_STR},
        [F_RKEY] = {GPCOV_REGION_KEY_FIELD, GPCOV_STR},
        [F_RNAME] = {GPCOV_REGION_NAME_FIELD, GPCOV_STR},
        [F_MUNI] = {NULL, GPCOV_STR},
        [F_DES] = {"designated", GPCOV_BOOL},
        [F_PAT] = {"patients", GPCOV_REAL},
        [F_CAP] = {"capacities", GPCOV_REAL},
        [F_FACTOR] = {"weight_factor", GPCOV_REAL},
        [F_WEIGHTED] = {"weighted_patients", GPCOV_REAL},
        [F_DIFF] = {"weight_difference", GPCOV_REAL},
        [F_CAPDKK] = {"cap_dkk", GPCOV_REAL},
        [F_DESDKK] = {"designated_dkk", GPCOV_REAL},
        [F_WDKK] = {"weight_dkk", GPCOV_REAL},
        [F_CAPPED] = {"capped", GPCOV_BOOL},
        [F_TOTAL] = {"total_dkk", GPCOV_REAL},
        [F_PERPAT] = {"dkk_per_patient", GPCOV_REAL},
        [F_PERINH] = {"dkk_per_inhabitant", GPCOV_REAL},
        [F_NPRACT] = {"practices", GPCOV_INT},
        [F_REASON] = {"fee_reason", GPCOV_STR},
    };
    for (int k = 0; k < F_N; k++) {
        fx[k] = -1;
        const char *name = k == F_KEY ? keyname : k == F_MUNI ? muniname : def[k].name;
        /* a practice has patients but no inhabitants of its own */
        if (!name || (k == F_NPRACT && !with_npract) || (k == F_REASON && muniname) ||
            (k == F_PERINH && muniname) || ((k == F_RKEY || k == F_RNAME) && !with_region))
            continue;
        if (k == F_NAME && (!strcmp(name, keyname) || (muniname && !strcmp(name, muniname))))
            continue;
        if ((fx[k] = gpcov_layer_add_field(ctx, l, name, def[k].type)) < 0)
            return GPCOV_ENOMEM;
    }
    return GPCOV_OK;
}

static void set_num(gpcov_ctx *ctx, struct gpcov_layer *l, size_t i, int f, double v)
{
    if (f >= 0)
        gpcov_layer_set_num(ctx, l, i, (size_t)f, v);
}

static double r6(double x)
{
    return nearbyint(x * 1e6) / 1e6;
}

/* The amount per person, in DKK to the øre: left empty (not 0) where the
** people are missing or none. */
static void set_per(gpcov_ctx *ctx, struct gpcov_layer *l, size_t i, int f, int64_t ore,
                    double people)
{
    if (f >= 0 && isfinite(people) && people > 0)
        gpcov_layer_set_num(ctx, l, i, (size_t)f, round((double)ore / people) / 100);
}

/* The computed values of one unit into feature i. */
static void set_unit(gpcov_ctx *ctx, struct gpcov_layer *l, size_t i, const int *fx,
                     const struct gpcov_fee_unit *u)
{
    set_num(ctx, l, i, fx[F_DES], u->designated ? 1 : 0);
    set_num(ctx, l, i, fx[F_PAT], u->patients);
    set_num(ctx, l, i, fx[F_CAP], r6(u->capacities));
    set_num(ctx, l, i, fx[F_FACTOR], r6(u->factor));
    set_num(ctx, l, i, fx[F_WEIGHTED], u->weighted);
    set_num(ctx, l, i, fx[F_DIFF], u->difference);
    set_num(ctx, l, i, fx[F_CAPDKK], (double)u->cap_ore / 100);
    set_num(ctx, l, i, fx[F_DESDKK], (double)u->designated_ore / 100);
    set_num(ctx, l, i, fx[F_WDKK], (double)u->weight_ore / 100);
    set_num(ctx, l, i, fx[F_CAPPED], u->capped ? 1 : 0);
    set_num(ctx, l, i, fx[F_TOTAL], (double)u->total_ore / 100);
    set_per(ctx, l, i, fx[F_PERPAT], u->total_ore, u->patients);
}

static gpcov_status set_meta(gpcov_ctx *ctx, struct gpcov_layer *l,
                             const struct gpcov_fee_params *p, const struct gpcov_fee_report *rep)
{
    char v[64], b[48];
    const struct gpcov_fee_result *r = &rep->result;
    struct {
        const char *k;
        const char *v;
    } items[16];
    int n = 0;
    char budget[48], dpart[48], wpart[48], cap[48], rd[64], rw[64], nat[64];
    snprintf(budget, sizeof budget, "%s", gpcov_fee_format_dkk(r->budget_ore, b, sizeof b));
    snprintf(dpart, sizeof dpart, "%s", gpcov_fee_format_dkk(r->designated_ore, b, sizeof b));
    snprintf(wpart, sizeof wpart, "%s", gpcov_fee_format_dkk(r->weight_ore, b, sizeof b));
    snprintf(cap, sizeof cap, "%.2f", p->cap_per_capacity);
    snprintf(rd, sizeof rd, "%.6f", r->rate_designated);
    snprintf(rw, sizeof rw, "%.6f", r->rate_weight);
    snprintf(nat, sizeof nat, "%.6f", rep->national_mean);
    snprintf(v, sizeof v, "%g / %g", p->designated_share, p->weight_share);
    items[n].k = "GPCOV_FEE_BUDGET_DKK", items[n++].v = budget;
    items[n].k = "GPCOV_FEE_SHARES_PCT_DESIGNATED_WEIGHT", items[n++].v = v;
    items[n].k = "GPCOV_FEE_DESIGNATED_PART_DKK", items[n++].v = dpart;
    items[n].k = "GPCOV_FEE_WEIGHT_PART_DKK", items[n++].v = wpart;
    items[n].k = "GPCOV_FEE_CAP_PER_CAPACITY_DKK", items[n++].v = cap;
    items[n].k = "GPCOV_FEE_RATE_DKK_PER_DESIGNATED_PATIENT", items[n++].v = rd;
    items[n].k = "GPCOV_FEE_RATE_DKK_PER_WEIGHTED_PATIENT", items[n++].v = rw;
    items[n].k = "GPCOV_FEE_NATIONAL_MEAN_WEIGHT", items[n++].v = nat;
    items[n].k = "GPCOV_FEE_PATIENTS", items[n++].v = rep->patients_basis;
    items[n].k = "GPCOV_FEE_CAPACITIES", items[n++].v = rep->capacities_basis;
    items[n].k = "GPCOV_FEE_WEIGHTS", items[n++].v = rep->weights_basis;
    items[n].k = "GPCOV_FEE_NATIONAL", items[n++].v = rep->national_basis;
    items[n].k = "GPCOV_FEE_ROUNDING",
    items[n++].v = "whole øre: each part floored per unit, the øre left handed out one by one "
                   "by largest remainder, ties by key ascending";
    items[n].k = "GPCOV_FEE_NOTE", items[n++].v = rep->note;
    for (int k = 0; k < n; k++) {
        gpcov_status st = gpcov_layer_set_meta(ctx, l, items[k].k, items[k].v ? items[k].v : "");
        if (st)
            return st;
    }
    return GPCOV_OK;
}

/* The allocation summed per municipality. */
static gpcov_status aggregate(struct run *R)
{
    R->agg = calloc(R->units->n ? R->units->n : 1, sizeof *R->agg);
    if (!R->agg)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t j = 0; j < R->nu; j++) {
        const struct gpcov_fee_unit *u = &R->fu[j];
        struct gpcov_fee_unit *a = &R->agg[R->umuni[j]];
        a->patients += u->patients;
        a->capacities += u->capacities;
        a->weighted += u->weighted;
        a->difference += u->difference;
        a->cap_ore += u->cap_ore;
        a->designated_ore += u->designated_ore;
        a->weight_ore += u->weight_ore;
        a->total_ore += u->total_ore;
        a->capped |= u->capped;
    }
    return GPCOV_OK;
}

/* Municipality i as a feature of the fee layer: its sums, or, left out,
** no amount (empty, not 0 DKK) and why. */
static gpcov_status unit_feature(struct run *R, const int *fx, size_t i)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_layer *U = R->units;
    struct gpcov_layer *ul = R->ul;
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *g = U->geoms[i] ? GEOSGeom_clone_r(h, U->geoms[i]) : NULL;
    long k = gpcov_layer_append(ctx, ul, U->keys[i], g);
    if (k < 0) {
        if (g)
            GEOSGeom_destroy_r(h, g);
        return GPCOV_ENOMEM;
    }
    gpcov_layer_set_str(ctx, ul, (size_t)k, (size_t)fx[F_KEY], U->keys[i]);
    if (fx[F_NAME] >= 0 && R->name_f >= 0) {
        char nm[512];
        gpcov_fee_id_text(U, i, R->name_f, nm, sizeof nm);
        gpcov_layer_set_str(ctx, ul, (size_t)k, (size_t)fx[F_NAME], nm);
    }
    for (int r = F_RKEY; r <= F_RNAME; r++) {
        int src = fx[r] < 0 ? -1 : gpcov_layer_field(U, R->ul->fields[fx[r]].name);
        const struct gpcov_value *v = src < 0 ? NULL : gpcov_layer_value(U, i, (size_t)src);
        if (v && !v->null && v->str)
            gpcov_layer_set_str(ctx, ul, (size_t)k, (size_t)fx[r], v->str);
    }
    struct gpcov_fee_unit *a = &R->agg[i];
    a->designated = R->m[i].designated;
    a->factor = R->m[i].factor;
    a->weighted = r6(a->weighted);
    a->difference = r6(a->difference);
    if (R->m[i].excluded)
        return gpcov_layer_set_str(ctx, ul, (size_t)k, (size_t)fx[F_REASON], R->m[i].reason)
                   ? GPCOV_ENOMEM
                   : GPCOV_OK;
    set_unit(ctx, ul, (size_t)k, fx, a);
    set_per(ctx, ul, (size_t)k, fx[F_PERINH], a->total_ore, R->m[i].people);
    if (fx[F_NPRACT] >= 0)
        set_num(ctx, ul, (size_t)k, fx[F_NPRACT], (double)R->m[i].npractices);
    return GPCOV_OK;
}

/* The fee layer: one feature per municipality, with the metadata. */
gpcov_status gpcov_fee_unit_layer(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    int fx[F_N];
    int region = gpcov_layer_field(R->units, GPCOV_REGION_KEY_FIELD) >= 0 &&
                 gpcov_layer_field(R->units, GPCOV_REGION_NAME_FIELD) >= 0;
    if (!(R->ul = gpcov_layer_new("fee")) ||
        add_fields(ctx, R->ul, R->key, NULL, R->o->practices != NULL, region, fx))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = aggregate(R);
    if (st)
        return st;
    for (size_t i = 0; i < R->units->n && !st; i++)
        st = unit_feature(R, fx, i);
    if (!st)
        st = set_meta(ctx, R->ul, &R->o->params, &R->rp);
    if (st == GPCOV_ENOMEM)
        gpcov_err(ctx, st, "out of memory");
    return st;
}

/* Practice j as a feature of the practice layer. */
static gpcov_status practice_feature(struct run *R, const int *fx, size_t j)
{
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_layer *pl = R->pl;
    GEOSContextHandle_t h = ctx->geos;
    GEOSGeometry *g = R->pts->geoms[j] ? GEOSGeom_clone_r(h, R->pts->geoms[j]) : NULL;
    long k = gpcov_layer_append(ctx, pl, R->p[j].id, g);
    if (k < 0) {
        if (g)
            GEOSGeom_destroy_r(h, g);
        return GPCOV_ENOMEM;
    }
    gpcov_status st = GPCOV_OK;
    if (gpcov_layer_set_str(ctx, pl, (size_t)k, (size_t)fx[F_KEY], R->p[j].id) ||
        (fx[F_NAME] >= 0 && R->p[j].name &&
         gpcov_layer_set_str(ctx, pl, (size_t)k, (size_t)fx[F_NAME], R->p[j].name)) ||
        gpcov_layer_set_str(ctx, pl, (size_t)k, (size_t)fx[F_MUNI],
                            R->units->keys[R->p[j].muni]))
        st = GPCOV_ENOMEM;
    set_unit(ctx, pl, (size_t)k, fx, &R->fu[j]);
    return st;
}

/* The practice layer: one feature per practice, sorted by id, with the
** metadata. */
gpcov_status gpcov_fee_practice_layer(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const char *idname = R->o->practice_id ? R->o->practice_id : "id";
    const char *muniname = strcmp(idname, R->key) ? R->key : "municipality";
    int fx[F_N];
    if (!(R->pl = gpcov_layer_new("fee_practices")) ||
        add_fields(ctx, R->pl, idname, muniname, 0, 0, fx))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = GPCOV_OK;
    for (size_t j = 0; j < R->np && !st; j++)
        st = practice_feature(R, fx, j);
    if (!st) {
        gpcov_layer_sort(R->pl);
        st = set_meta(ctx, R->pl, &R->o->params, &R->rp);
    }
    if (st == GPCOV_ENOMEM)
        gpcov_err(ctx, st, "out of memory");
    return st;
}
