/*
** fee_run.c: the library side of `gpcov fee`, as phases over one struct
** run (fee_internal.h): the municipality indicator layer (designation,
** patients, capacities) and, optionally, the practices are read by
** fee_read.c; here the age table gives each municipality its age-sex
** composition and mean weight against the national mean, and the
** allocation of fee.c runs on the municipalities or on the practices;
** fee_write.c returns the result as layers for gpcov_layer_write, with
** the parameters and what each number was based on in their metadata.
*/
#include "fee_internal.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The norm of patients per GP capacity (--norm), by which capacities are
** estimated when none are counted: 1,600, the norm the README's
** indicators and the report's maps hold patients per capacity against
** (README "The differentiated fee": capacities are then an estimate). */
static const double fee_norm = 1600.0;

void gpcov_fee_opts_init(struct gpcov_fee_opts *o)
{
    memset(o, 0, sizeof *o);
    gpcov_fee_params_init(&o->params);
    o->norm = fee_norm;
    o->snap = 1000;
}

void gpcov_fee_report_clear(struct gpcov_fee_report *r)
{
    if (!r)
        return;
    free(r->patients_basis);
    free(r->capacities_basis);
    free(r->weights_basis);
    free(r->national_basis);
    free(r->note);
    memset(r, 0, sizeof *r);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s)
        return NULL;
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* The checks before anything is read. */
static gpcov_status check_opts(gpcov_ctx *ctx, const struct gpcov_fee_opts *o,
                               int with_practices_out)
{
    gpcov_status st = gpcov_fee_params_check(ctx, &o->params);
    if (st)
        return st;
    if (!o->units || !o->age.src)
        return gpcov_err(ctx, GPCOV_EUSAGE, "the units layer and the age table are required");
    if (!(o->norm > 0) || !isfinite(o->norm))
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "the norm must be > 0 patients per capacity (got %g)", o->norm);
    if (o->practices && !with_practices_out)
        return gpcov_err(ctx, GPCOV_EUSAGE, "practices given but no place for their layer");
    return GPCOV_OK;
}

/* The per-municipality state and the arrays of the municipalities kept. */
static gpcov_status alloc_munis(struct run *R)
{
    size_t n = R->units->n ? R->units->n : 1;
    R->m = calloc(n, sizeof *R->m);
    R->keys = calloc(n, sizeof *R->keys);
    R->people = calloc(n, sizeof *R->people);
    R->mean = calloc(n, sizeof *R->mean);
    if (!R->m || !R->keys || !R->people || !R->mean)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* The age-sex composition of each municipality: its people and mean
** weight. */
static gpcov_status compositions(struct run *R)
{
    double national;
    gpcov_status st = gpcov_fee_mean_weights(R->ctx, &R->o->age, R->w, R->keys, R->nk,
                                             R->people, R->mean, &national);
    if (st)
        return st;
    for (size_t i = 0, k = 0; i < R->units->n; i++)
        if (!R->m[i].excluded) {
            R->m[i].people = R->people[k];
            R->m[i].mean = R->mean[k];
            k++;
        }
    R->rp.national_mean = national;
    return GPCOV_OK;
}

/* The allocation units: the practices when given, else the
** municipalities kept. */
static gpcov_status allocation_units(struct run *R)
{
    R->nu = R->o->practices ? R->np : R->nk;
    R->fu = calloc(R->nu ? R->nu : 1, sizeof *R->fu);
    R->umuni = R->fu ? calloc(R->nu ? R->nu : 1, sizeof *R->umuni) : NULL;
    if (!R->fu || !R->umuni)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    struct gpcov_fee_unit *fu = R->fu;
    if (R->o->practices) {
        for (size_t j = 0; j < R->np; j++) {
            fu[j].key = R->p[j].id;
            fu[j].designated = R->p[j].designated;
            fu[j].patients = R->p[j].patients;
            fu[j].capacities = R->p[j].capacities;
            R->umuni[j] = R->p[j].muni;
        }
        return GPCOV_OK;
    }
    for (size_t i = 0, k = 0; i < R->units->n; i++)
        if (!R->m[i].excluded) {
            fu[k].key = R->units->keys[i];
            fu[k].designated = R->m[i].designated;
            fu[k].patients = R->m[i].patients;
            fu[k].capacities = R->m[i].capacities;
            R->umuni[k++] = i;
        }
    return GPCOV_OK;
}

/* The national mean weight: from the national rows, else over the units'
** patients; each municipality's factor is its mean against it. */
static gpcov_status national_mean(struct run *R)
{
    const struct gpcov_fee_opts *o = R->o;
    double W = R->rp.national_mean;
    const char *natkey = o->age.national_key ? o->age.national_key : "0000";
    if (isfinite(W)) {
        R->rp.national_basis = fmt("the national rows ('%s') of %s", natkey, o->age.src);
    } else {
        double sp = 0, swp = 0;
        for (size_t j = 0; j < R->nu; j++) {
            const struct muni *M = &R->m[R->umuni[j]];
            if (R->fu[j].patients > 0 && isfinite(M->mean)) {
                sp += R->fu[j].patients;
                swp += R->fu[j].patients * M->mean;
            }
        }
        W = sp > 0 ? swp / sp : NAN;
        R->rp.national_mean = W;
        R->rp.national_basis =
            fmt("the mean over the units' patients (%s has no national rows%s%s%s)", o->age.src,
                *natkey ? " '" : "", natkey, *natkey ? "'" : "");
    }
    if (!(W > 0))
        return gpcov_err(R->ctx, GPCOV_EINPUT,
                         "%s: the national mean weight is %g (no people, or every weight 0 in %s)",
                         o->age.src, W, R->w->src);
    for (size_t i = 0; i < R->units->n; i++)
        R->m[i].factor = isfinite(R->m[i].mean) ? R->m[i].mean / W : 1;
    for (size_t j = 0; j < R->nu; j++) {
        const struct muni *M = &R->m[R->umuni[j]];
        struct gpcov_fee_unit *u = &R->fu[j];
        if (!isfinite(M->mean) && u->patients > 0)
            return gpcov_err(R->ctx, GPCOV_EINPUT,
                             "%s: area '%s' has nobody in the age table, but %s '%s' has %g "
                             "patients",
                             o->age.src, R->units->keys[R->umuni[j]],
                             o->practices ? "practice" : R->key, u->key, u->patients);
        u->factor = M->factor;
    }
    return GPCOV_OK;
}

/* What the patients, capacities and weights were based on. */
static void bases(struct run *R)
{
    const struct gpcov_fee_opts *o = R->o;
    struct gpcov_fee_report *rp = &R->rp;
    const char *npat = R->npat, *ncap = R->ncap;
    int proxy = npat && !strncmp(npat, "pop", 3);
    if (o->practices)
        rp->patients_basis = fmt("%s of %s",
                                 o->practice_patients ? o->practice_patients : "patients",
                                 o->practices);
    else if (proxy)
        rp->patients_basis = fmt("%s of %s: the population, as a proxy for registered patients "
                                 "(no per-municipality patient count was given)",
                                 npat, o->units);
    else
        rp->patients_basis = fmt("%s of %s", npat, o->units);
    const char *capsrc = o->practices ? (o->practice_capacities ? o->practice_capacities
                                         : gpcov_layer_field(R->pts, "capacities") >= 0 ? "capacities"
                                                                                     : NULL)
                                      : ncap;
    if (capsrc)
        rp->capacities_basis = fmt("%s of %s", capsrc, o->practices ? o->practices : o->units);
    else
        rp->capacities_basis = fmt("ESTIMATED as patients / %g (the norm), not counted", o->norm);
    if (o->weights) {
        rp->weights_basis = fmt("%s", o->weights);
    } else {
        double w80 = 0, w0 = 0, W = rp->national_mean;
        gpcov_fee_weight_of(R->w, GPCOV_FEE_ALL, 80, &w80);
        gpcov_fee_weight_of(R->w, GPCOV_FEE_ALL, 0, &w0);
        rp->weights_basis = fmt("the default weights, an ASSUMPTION: ages 0-79 %g, 80+ %g; against "
                                "the national mean %.4f that is %.2f and %.2f times the average",
                                w0, w80, W, w0 / W, w80 / W);
    }
    rp->npractices = o->practices ? R->np : 0;
}

/* The note of the run: the parameters and the bases in one sentence. */
static gpcov_status note(struct run *R)
{
    const struct gpcov_fee_params *p = &R->o->params;
    struct gpcov_fee_report *rp = &R->rp;
    const struct gpcov_fee_result *r = &rp->result;
    char b1[48], b2[48], b3[48];
    rp->note = fmt("Differentiated base fee (OK18): budget %s DKK; %g %% (%s DKK) per patient "
                   "in designated units; %g %% (%s DKK) per weighted patient above the "
                   "ordinary count, capped at %.2f DKK per capacity. Patients: %s. "
                   "Capacities: %s. Weights: %s, normalised to a national mean of 1 (%s). "
                   "Amounts in whole øre summing to the budget.",
                   gpcov_fee_format_dkk(r->budget_ore, b1, sizeof b1), p->designated_share,
                   gpcov_fee_format_dkk(r->designated_ore, b2, sizeof b2), p->weight_share,
                   gpcov_fee_format_dkk(r->weight_ore, b3, sizeof b3), p->cap_per_capacity,
                   rp->patients_basis ? rp->patients_basis : "",
                   rp->capacities_basis ? rp->capacities_basis : "",
                   rp->weights_basis ? rp->weights_basis : "",
                   rp->national_basis ? rp->national_basis : "");
    if (!rp->patients_basis || !rp->capacities_basis || !rp->weights_basis ||
        !rp->national_basis || !rp->note)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

static void run_free(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    gpcov_fee_report_clear(&R->rp);
    gpcov_layer_free(ctx, R->ul);
    gpcov_layer_free(ctx, R->pl);
    gpcov_layer_free(ctx, R->units);
    gpcov_layer_free(ctx, R->pts);
    for (size_t j = 0; R->p && j < R->np; j++) {
        free(R->p[j].id);
        free(R->p[j].name);
    }
    free(R->p);
    free(R->m);
    free(R->fu);
    free(R->umuni);
    free(R->agg);
    free(R->keys);
    free(R->people);
    free(R->mean);
    CSLDestroy(R->excl);
    gpcov_fee_weights_free(R->w);
}

gpcov_status gpcov_fee_run(gpcov_ctx *ctx, const struct gpcov_fee_opts *o,
                           struct gpcov_layer **units_out,
                           struct gpcov_layer **practices_out,
                           struct gpcov_fee_report *rep)
{
    struct run R = {.ctx = ctx, .o = o};
    *units_out = NULL;
    if (practices_out)
        *practices_out = NULL;
    gpcov_status st;
    if ((st = check_opts(ctx, o, practices_out != NULL)) ||
        (st = gpcov_fee_weights_read(ctx, o->weights, &R.w)) ||
        (st = gpcov_fee_read_units(&R)) || (st = alloc_munis(&R)) ||
        (st = gpcov_fee_exclude(&R)) || (st = gpcov_fee_read_unit_values(&R)) ||
        (st = compositions(&R)) || (o->practices && (st = gpcov_fee_read_practices(&R))) ||
        (st = allocation_units(&R)) || (st = national_mean(&R)) ||
        (st = gpcov_fee_allocate(ctx, &o->params, R.fu, R.nu, &R.rp.result)) ||
        (bases(&R), (st = note(&R))) || (st = gpcov_fee_unit_layer(&R)) ||
        (o->practices && (st = gpcov_fee_practice_layer(&R)))) {
        run_free(&R);
        return st;
    }
    *units_out = R.ul;
    R.ul = NULL;
    if (practices_out) {
        *practices_out = R.pl;
        R.pl = NULL;
    }
    if (rep) {
        *rep = R.rp;
        memset(&R.rp, 0, sizeof R.rp);
    }
    run_free(&R);
    return GPCOV_OK;
}
