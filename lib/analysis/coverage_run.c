/*
** coverage_run.c: `gpcov coverage`, capacity-constrained coverage on the
** travel models.  The practices are the model's sources; the demand is
** put into the model's grid (gpcov_population_grid) and kept for the
** cells with people only.  Each practice that can take anyone is
** searched once, alone, up to the time limit, and only at those cells
** (gpcov_cover_pairs: on the road network a bounded search that resets
** only what it touched), giving the (cell, practice) pairs within the limit;
** coverage.c sorts them into the processing order and assigns.  Time
** grows with practices x the road nodes within the limit of each, memory
** with the pairs (12 bytes each).  The outputs are in coverage_out.c.
*/
#include "gpcov.h"
#include "coverage_internal.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gpcov_coverage_summary_clear(struct gpcov_coverage_summary *s)
{
    if (!s)
        return;
    CSLDestroy(s->notes);
    memset(s, 0, sizeof *s);
}

static int ext_is(const char *p, const char *const *exts)
{
    char ext[16];
    gpcov_path_ext(p, ext, sizeof ext);
    for (int k = 0; exts[k]; k++)
        if (!strcmp(ext, exts[k]))
            return 1;
    return 0;
}

static gpcov_status check_opts(gpcov_ctx *ctx, const struct gpcov_coverage_opts *o)
{
    static const char *const tif[] = {"tif", "tiff", NULL};
    static const char *const vec[] = {"geojson", "json", "gpkg", "csv", "shp", NULL};
    if (!o->tt || !o->tt->sources)
        return gpcov_err(ctx, GPCOV_EUSAGE, "coverage: no practices given (--practices)");
    if (o->capacity_field && o->capacity > 0)
        return gpcov_err(ctx, GPCOV_EUSAGE, "coverage: give one of --capacity-field and "
                         "--capacity");
    if (!o->demand)
        return gpcov_err(ctx, GPCOV_EUSAGE, "coverage: --demand is required");
    if (!(o->max_minutes > 0))
        return gpcov_err(ctx, GPCOV_EUSAGE, "coverage: --max-minutes is required");
    if (o->units_output && !o->units)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--units-output needs --units");
    if (o->units && !o->units_key)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--units needs --units-key");
    const char *r[2] = {o->unserved_raster, o->served_raster};
    const char *v[4] = {o->cells_output, o->unserved_output, o->practices_output,
                        o->units_output};
    for (int k = 0; k < 2; k++)
        if (r[k] && !ext_is(r[k], tif))
            return gpcov_err(ctx, GPCOV_EUSAGE, "%s: a GeoTIFF (.tif) is written", r[k]);
    for (int k = 0; k < 4; k++)
        if (v[k] && !gpcov_pg_is(v[k]) && !ext_is(v[k], vec))
            return gpcov_err(ctx, GPCOV_EUSAGE, "%s: unknown output format (use .geojson, "
                             ".gpkg, .csv, .shp or PG:... tables=NAME)", v[k]);
    const char *all[6] = {r[0], r[1], v[0], v[1], v[2], v[3]};
    int any = 0;
    for (int a = 0; a < 6; a++) {
        any |= all[a] != NULL;
        for (int b = a + 1; b < 6; b++)
            if (all[a] && all[b] && !strcmp(all[a], all[b]))
                return gpcov_err(ctx, GPCOV_EUSAGE, "%s: given for two outputs", all[a]);
    }
    if (!any)
        return gpcov_err(ctx, GPCOV_EUSAGE, "coverage: give at least one output");
    return GPCOV_OK;
}

/* Every output refused now when it exists (or is an input); the rasters
** get their temporaries. */
static gpcov_status run_outputs(struct crun *R)
{
    const struct gpcov_coverage_opts *o = R->o;
    gpcov_ctx *ctx = R->ctx;
    if (!(R->set = gpcov_outset_new(ctx, o->overwrite)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = GPCOV_OK;
    if (o->unserved_raster)
        st = gpcov_outset_add(ctx, R->set, o->unserved_raster, &R->tmp_unserved);
    if (!st && o->served_raster)
        st = gpcov_outset_add(ctx, R->set, o->served_raster, &R->tmp_served);
    const char *v[4] = {o->cells_output, o->unserved_output, o->practices_output,
                        o->units_output};
    for (int k = 0; k < 4 && !st; k++)
        if (v[k])
            st = gpcov_atomic_check(ctx, v[k], o->overwrite);
    return st;
}

/* The model with the practices as its sources. */
static gpcov_status run_model(struct crun *R)
{
    gpcov_ctx *ctx = R->ctx;
    R->tt = *R->o->tt;
    R->tt.output = R->tt.nearest = R->tt.per_source = NULL;
    R->tt.max_minutes = 0;
    gpcov_cov_practices_model(&R->P, &R->tt);
    gpcov_status st = gpcov_ttmodel_open(ctx, &R->tt, &R->m);
    if (st)
        return st;
    R->g = gpcov_ttmodel_grid(R->m);
    R->n = (size_t)R->g->nx * (size_t)R->g->ny;
    R->np = gpcov_ttmodel_nsources(R->m);
    if (R->np != R->P.ps->n)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: %zu practices read, but the travel model "
                         "has %zu sources", R->o->tt->sources, R->P.ps->n, R->np);
    if (R->n > UINT32_MAX || R->np > UINT32_MAX)
        return gpcov_err(ctx, GPCOV_EUSAGE, "a grid of %zu cells is too large", R->n);
    snprintf(R->model, sizeof R->model, "%s", gpcov_ttmodel_description(R->m));
    return GPCOV_OK;
}

/* The demand in the model's grid, kept for the cells with people. */
static gpcov_status run_demand(struct crun *R)
{
    struct gpcov_demand_cells d;
    gpcov_status st = gpcov_demand_cells(R->ctx, R->o->demand, R->o->demand_field, R->g, &d);
    R->cells = d.cells, R->dem = d.dem, R->nc = d.nc, R->sum->outside = d.outside;
    if (st)
        return st;
    if (R->sum->outside > 0)
        R->sum->notes = CSLAddString(R->sum->notes, CPLSPrintf("%s: %.15g of the demand lies "
                                     "outside the grid and is left out", R->o->demand,
                                     R->sum->outside));
    R->sum->ncells = R->nc;
    return GPCOV_OK;
}

/* One bounded search per practice that can take anyone: its pairs
** (cover_pairs.c). */
static gpcov_status run_search(struct crun *R)
{
    gpcov_status st = gpcov_cover_pairs(R->ctx, R->m, R->cells, R->nc, R->np, R->P.people,
                                        R->o->max_minutes, "coverage: practices", &R->pairs,
                                        &R->npairs);
    gpcov_phase(R->ctx, "search");
    R->sum->npairs = R->npairs;
    return st;
}

/* The assignment and its totals, checked. */
static gpcov_status run_assign(struct crun *R)
{
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_coverage_summary *s = R->sum;
    gpcov_status st = gpcov_coverage_result_alloc(ctx, R->nc, R->np, &R->r);
    if (!st)
        st = gpcov_coverage_assign(ctx, R->nc, R->dem, R->np, R->P.people, R->pairs,
                                   R->npairs, &R->r);
    free(R->pairs);
    R->pairs = NULL;
    gpcov_phase(ctx, "assignment");
    if (st)
        return st;
    for (size_t q = 0; q < R->nc; q++) {
        s->demand += R->dem[q], s->served += R->r.served[q], s->unserved += R->r.unserved[q];
        if (!R->r.reached[q])
            s->unserved_far += R->r.unserved[q];
    }
    for (size_t j = 0; j < R->np; j++) {
        s->npractices++;
        s->nopen += R->P.open[j] == 1 && !R->P.reason[j];
        s->nclosed += R->P.open[j] == 0;
        s->nexcluded += isnan(R->P.people[j]);
        s->capacity += R->P.people[j] > 0 ? R->P.people[j] : 0;
        s->assigned += R->r.assigned[j];
        if (R->r.assigned[j] > R->P.people[j])
            return gpcov_err(ctx, GPCOV_EINTERNAL, "practice %zu: %.17g assigned, over its "
                             "capacity %.17g", j + 1, R->r.assigned[j], R->P.people[j]);
    }
    double tol = 1e-9 * fmax(1, s->demand);
    if (fabs(s->served + s->unserved - s->demand) > tol || fabs(s->served - s->assigned) > tol)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "coverage totals disagree: served %.17g + "
                         "unserved %.17g, demand %.17g, assigned %.17g", s->served, s->unserved,
                         s->demand, s->assigned);
    return GPCOV_OK;
}

static gpcov_status run_units(struct crun *R)
{
    const struct gpcov_coverage_opts *o = R->o;
    struct gpcov_read_opts ro = {.key_field = o->units_key};
    gpcov_status st = gpcov_layer_read(R->ctx, o->units, &ro, &R->units);
    if (st)
        return st;
    if (o->units_name && gpcov_layer_field(R->units, o->units_name) < 0)
        return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no field '%s' (--units-name)", o->units,
                         o->units_name);
    gpcov_layer_sort(R->units);
    if (!(R->uidx = calloc(R->n ? R->n : 1, sizeof *R->uidx)))
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    return gpcov_grid_burn(R->ctx, R->units->geoms, R->units->n, R->g, 1, R->uidx);
}

static void run_free(struct crun *R)
{
    gpcov_cov_practices_free(R->ctx, &R->P);
    gpcov_ttmodel_free(R->m);
    free(R->cells), free(R->dem), free(R->pairs), free(R->uidx);
    gpcov_coverage_result_clear(&R->r);
    gpcov_layer_free(R->ctx, R->units);
    CSLDestroy(R->md);
    gpcov_outset_free(R->set);
}

gpcov_status gpcov_coverage(gpcov_ctx *ctx, const struct gpcov_coverage_opts *o,
                            struct gpcov_coverage_summary *sum_in)
{
    struct gpcov_coverage_summary local;
    struct gpcov_coverage_summary *sum = sum_in ? sum_in : &local;
    memset(sum, 0, sizeof *sum);
    gpcov_status st = check_opts(ctx, o);
    if (st)
        return st;
    struct crun R = {.ctx = ctx, .o = o, .sum = sum,
                     .norm = o->norm > 0 ? o->norm : GPCOV_COVER_NORM};
    if (!(st = run_outputs(&R)) && !(st = gpcov_cov_read_practices(ctx, o, R.norm, &R.P)) &&
        !(st = run_model(&R)) && !(st = run_demand(&R)) && (!o->units || !(st = run_units(&R))) &&
        !(st = run_search(&R)) && !(st = run_assign(&R))) {
        gpcov_cov_metadata(&R);
        st = gpcov_cov_write(&R);
    }
    run_free(&R);
    if (!sum_in)
        gpcov_coverage_summary_clear(&local);
    return st;
}
