/*
** site_run.c: `gpcov site`, where k new sites do the most good with the
** existing sites kept open.  The candidates and the existing sites
** (site_cand.c) are the travel model's sources; the demand goes into the
** model's grid, kept for the cells with people; each site is searched
** once, alone, up to the limit (gpcov_cover_pairs), giving the (cell,
** site) pairs the solver (gpcov_site_solve, site_solve*.c) chooses over.
** Then the cells before and after (site_cells.c) and the outputs
** (site_out.c; the map drawn by lib/map), all of them or none.  Time
** grows with the sites x the road nodes within the limit of each (the
** searches), and with k x candidates x the pairs of a site (the solver);
** memory with the pairs (12 bytes each).
*/
#include "gpcov.h"
#include "siterun_internal.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gpcov_site_run_summary_clear(struct gpcov_site_run_summary *s)
{
    if (!s)
        return;
    gpcov_site_result_clear(&s->res);
    CSLDestroy(s->notes);
    memset(s, 0, sizeof *s);
}

static gpcov_status check_opts(gpcov_ctx *ctx, const struct gpcov_site_run_opts *o)
{
    if (!o->tt)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site: no travel model");
    if (!o->candidates == !(o->candidate_grid > 0))
        return gpcov_err(ctx, GPCOV_EUSAGE, "site: give one of --candidates and "
                         "--candidate-grid");
    if (o->candidate_where && !o->candidate_mask)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site: --candidate-where needs --candidate-mask");
    if (!o->demand)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site: --demand is required");
    if (!(o->max_minutes > 0))
        return gpcov_err(ctx, GPCOV_EUSAGE, "site: --max-minutes is required");
    if (o->k < 1)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site: --k must be 1 or more");
    if (o->capacity_field && o->capacity > 0)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site: give one of --capacity-field and "
                         "--capacity");
    if (o->units_output && !o->units)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--units-output needs --units");
    if (o->map && !o->units)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--map needs --units (the map is drawn over them)");
    if (o->units && !o->units_key)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--units needs --units-key");
    const char *all[4] = {o->output, o->summary, o->units_output, o->map};
    int any = 0;
    for (int a = 0; a < 4; a++) {
        any |= all[a] != NULL;
        for (int b = a + 1; b < 4; b++)
            if (all[a] && all[b] && !strcmp(all[a], all[b]))
                return gpcov_err(ctx, GPCOV_EUSAGE, "%s: given for two outputs", all[a]);
    }
    if (!any)
        return gpcov_err(ctx, GPCOV_EUSAGE, "site: give at least one output");
    return GPCOV_OK;
}

/* Every output refused now when it exists (or is an input). */
static gpcov_status run_outputs(struct srun *R)
{
    const struct gpcov_site_run_opts *o = R->o;
    if (!(R->set = gpcov_outset_new(R->ctx, o->overwrite)))
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    const char *all[4] = {o->output, o->summary, o->units_output, o->map};
    gpcov_status st = GPCOV_OK;
    for (int k = 0; k < 4 && !st; k++)
        if (all[k])
            st = gpcov_atomic_check(R->ctx, all[k], o->overwrite);
    return st;
}

/* The model with the sites as its sources. */
static gpcov_status run_model(struct srun *R)
{
    gpcov_ctx *ctx = R->ctx;
    R->tt = *R->o->tt;
    R->tt.output = R->tt.nearest = R->tt.per_source = NULL;
    R->tt.max_minutes = 0;
    R->tt.keep_unjoined = 1; /* a site with no road within reach reaches no one */
    gpcov_site_sites_model(&R->S, &R->tt);
    gpcov_status st = gpcov_ttmodel_open(ctx, &R->tt, &R->m);
    if (st)
        return st;
    R->g = gpcov_ttmodel_grid(R->m);
    if (gpcov_ttmodel_nsources(R->m) != R->S.n)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%zu sites read, but the travel model has %zu "
                         "sources", R->S.n, gpcov_ttmodel_nsources(R->m));
    if ((size_t)R->g->nx * (size_t)R->g->ny > UINT32_MAX || R->S.n > UINT32_MAX)
        return gpcov_err(ctx, GPCOV_EUSAGE, "a grid of %d x %d cells is too large", R->g->nx,
                         R->g->ny);
    snprintf(R->model, sizeof R->model, "%s", gpcov_ttmodel_description(R->m));
    snprintf(R->model_da, sizeof R->model_da, "%s", gpcov_ttmodel_description_da(R->m));
    return GPCOV_OK;
}

static gpcov_status run_demand(struct srun *R)
{
    gpcov_status st = gpcov_demand_cells(R->ctx, R->o->demand, R->o->demand_field, R->g, &R->D);
    if (st)
        return st;
    if (R->D.outside > 0)
        R->sum->notes = CSLAddString(R->sum->notes, CPLSPrintf("%s: %.15g of the demand lies "
                                     "outside the grid and is left out", R->o->demand,
                                     R->D.outside));
    R->sum->ncells = R->D.nc;
    for (size_t q = 0; q < R->D.nc; q++)
        R->sum->demand += R->D.dem[q];
    return GPCOV_OK;
}

static gpcov_status run_units(struct srun *R)
{
    const struct gpcov_site_run_opts *o = R->o;
    struct gpcov_read_opts ro = {.key_field = o->units_key};
    gpcov_status st = gpcov_layer_read(R->ctx, o->units, &ro, &R->units);
    if (st)
        return st;
    if (o->units_name && gpcov_layer_field(R->units, o->units_name) < 0)
        return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no field '%s' (--units-name)", o->units,
                         o->units_name);
    gpcov_layer_sort(R->units);
    size_t n = (size_t)R->g->nx * (size_t)R->g->ny;
    if (!(R->uidx = calloc(n ? n : 1, sizeof *R->uidx)))
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    return gpcov_grid_burn(R->ctx, R->units->geoms, R->units->n, R->g, 1, R->uidx);
}

/* The searches, then the solver over the pairs. */
static gpcov_status run_solve(struct srun *R)
{
    const struct gpcov_site_run_opts *o = R->o;
    gpcov_status st = gpcov_cover_pairs(R->ctx, R->m, R->D.cells, R->D.nc, R->S.n, NULL,
                                        o->max_minutes, "site: searches", &R->pairs,
                                        &R->npairs);
    gpcov_phase(R->ctx, "search");
    if (st)
        return st;
    R->sum->npairs = R->npairs;
    gpcov_coverage_sort(R->pairs, R->npairs); /* the same pairs in the same order, always */
    unsigned char *hit = calloc(R->D.nc ? R->D.nc : 1, 1);
    if (!hit)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t p = 0; p < R->npairs; p++)
        hit[R->pairs[p].unit] = 1;
    for (size_t q = 0; q < R->D.nc; q++)
        R->sum->reachable += hit[q] ? R->D.dem[q] : 0;
    free(hit);
    struct gpcov_site_problem P = {
        .nunit = R->D.nc, .demand = R->D.dem, .nsite = R->S.n, .ncand = R->S.ncand,
        .capacity = o->objective == GPCOV_SITE_CAPACITY ? R->S.people : NULL,
        .pairs = R->pairs, .npairs = R->npairs, .max_minutes = o->max_minutes};
    struct gpcov_site_opts so = {.objective = o->objective, .method = o->method, .k = o->k,
                                 .exact_limit = o->exact_limit};
    st = gpcov_site_solve(R->ctx, &P, &so, &R->sum->res);
    gpcov_phase(R->ctx, "solve");
    return st;
}

static void run_free(struct srun *R)
{
    gpcov_site_sites_free(&R->S);
    gpcov_ttmodel_free(R->m);
    gpcov_demand_cells_clear(&R->D);
    free(R->pairs), free(R->uidx);
    free(R->before), free(R->after), free(R->reach_before), free(R->reach_after);
    gpcov_layer_free(R->ctx, R->units);
    CSLDestroy(R->md);
    gpcov_outset_free(R->set);
}

gpcov_status gpcov_site_run(gpcov_ctx *ctx, const struct gpcov_site_run_opts *o,
                            struct gpcov_site_run_summary *sum_in)
{
    struct gpcov_site_run_summary local;
    struct gpcov_site_run_summary *sum = sum_in ? sum_in : &local;
    memset(sum, 0, sizeof *sum);
    gpcov_status st = check_opts(ctx, o);
    if (st)
        return st;
    struct srun R = {.ctx = ctx, .o = o, .sum = sum,
                     .norm = o->norm > 0 ? o->norm : GPCOV_SITE_NORM};
    if (!(st = run_outputs(&R)) && !(st = gpcov_site_read_sites(&R))) {
        sum->ncand = R.S.ncand, sum->nexisting = R.S.n - R.S.ncand;
        if (!(st = run_model(&R)) && !(st = run_demand(&R)) &&
            (!o->units || !(st = run_units(&R))) && !(st = run_solve(&R)) &&
            !(st = gpcov_site_cells(&R))) {
            gpcov_site_metadata(&R);
            st = gpcov_site_write(&R);
        }
    }
    run_free(&R);
    if (!sum_in)
        gpcov_site_run_summary_clear(&local);
    return st;
}
