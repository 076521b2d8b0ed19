/*

** access.c: accessibility by the two-step floating catchment area family
** (2SFCA, E2SFCA, Gaussian, user step decay) on travel times from the
** travel models behind gpcov_ttmodel.  Supply points with a capacity are
** the model's sources; demand is people put into the model's grid
** (gpcov_population_grid).  Step 1 gives each supply its ratio of capacity
** to the demand it reaches, step 2 sums the ratios a cell reaches, and the
** results go to rasters (the score and its reciprocal), a table per supply
** and a population-weighted mean per unit (municipality).
**
** Memory: a national grid and thousands of supply points cannot keep one
** travel-time raster per supply.  Each supply is run once in step 1, and
** the cells it reaches with a positive weight are kept as a sparse list of
** (cell, minutes) while the lists fit a budget (256 MiB by default); step 2
** reads a kept list, or runs the model for that supply again.  Memory is
** then a few grids plus the budget, whatever the number of supplies, and
** time at most twice the model runs (on a 490,000-node road graph with
** 200 supplies the cache halves the time; the straight-line model is
** faster run again than remembered, so it keeps no lists by default).  Both paths visit the same cells in
** the same order with the same float minutes, so the results do not depend
** on the budget (the tests check that).
** Each run is a search bounded by the catchment (gpcov_ttreach): it stops
** at the decay's cut-off (the last time with a weight above 0) and gives
** the cells within reach as a list in ascending order, which both steps
** walk instead of the grid, so a run costs what the catchment holds; the
** sums add the same terms in the same order as a pass over the grid.
** Without a cut-off (a last step to inf) a run covers the whole grid.
** On two cores two supplies run at once (access_runs.c), their lists
** still taken in the order of the supplies.
**
** This file holds the driver and its two steps; the decay functions are
** in access_decay.c, the supply in access_supply.c, the demand and the
** units in access_demand.c and the outputs in access_out.c.
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

/* ---------------------------------------------------------- helpers */

void gpcov_access_result_clear(struct gpcov_access_result *r)
{
    if (!r)
        return;
    CSLDestroy(r->notes);
    memset(r, 0, sizeof *r);
}

void gpcov_acc_note(struct gpcov_access_result *r, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r->notes = CSLAddString(r->notes, buf);
}

/* The field list of a layer, for messages. */
void gpcov_acc_field_list(const struct gpcov_layer *l, char *out, size_t n)
{
    size_t used = 0;
    out[0] = 0;
    for (size_t k = 0; k < l->nfields && used + 70 < n; k++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", k ? ", " : "", l->fields[k].name);
    if (!l->nfields)
        snprintf(out, n, "none");
}

/* A number from a field: 0 and *out; 1 when empty; -1 when not a number. */
int gpcov_acc_value_number(const struct gpcov_layer *l, size_t i, int f, double *out)
{
    const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
    if (v->null)
        return 1;
    if (l->fields[f].type != GPCOV_STR) {
        *out = v->num;
        return 0;
    }
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%s", v->str ? v->str : "");
    if (!*gpcov_trim(tmp))
        return 1;
    return gpcov_parse_number(tmp, out) == 0 && isfinite(*out) ? 0 : -1;
}

/* ------------------------------------------------------------- cache */

static int cache_reserve(struct cache *c, size_t need)
{
    if (need <= c->cap)
        return 0;
    if (need > c->max)
        return -1;
    size_t cap = c->cap ? c->cap * 2 : 1 << 16;
    if (cap < need)
        cap = need;
    if (cap > c->max)
        cap = c->max;
    struct centry *e = realloc(c->e, cap * sizeof *e);
    if (!e)
        return -1;
    c->e = e;
    c->cap = cap;
    return 0;
}

/* ----------------------------------------------------------- options */

static int raster_ext(const char *p)
{
    char ext[16];
    gpcov_path_ext(p, ext, sizeof ext);
    return !strcmp(ext, "tif") || !strcmp(ext, "tiff");
}

static int vector_ext(const char *p)
{
    char ext[16];
    gpcov_path_ext(p, ext, sizeof ext);
    return gpcov_pg_is(p) || !strcmp(ext, "geojson") || !strcmp(ext, "json") ||
           !strcmp(ext, "gpkg") || !strcmp(ext, "csv") || !strcmp(ext, "shp") ||
           !strcmp(ext, "xlsx");
}

static gpcov_status check_opts(gpcov_ctx *ctx, const struct gpcov_access_opts *o)
{
    if (!o->tt || !o->tt->sources)
        return gpcov_err(ctx, GPCOV_EUSAGE, "access: no supply points given (--supply)");
    if (!o->capacity_field)
        return gpcov_err(ctx, GPCOV_EUSAGE, "access: --capacity-field is required");
    if (!o->demand)
        return gpcov_err(ctx, GPCOV_EUSAGE, "access: --demand is required");
    if (!o->output && !o->reciprocal && !o->supply_output && !o->units_output)
        return gpcov_err(ctx, GPCOV_EUSAGE, "access: give at least one output: --output, "
                         "--reciprocal, --supply-output or --units-output");
    if ((o->capacity_total != NULL) != (o->capacity_group != NULL))
        return gpcov_err(ctx, GPCOV_EUSAGE, "--capacity-total and --capacity-group go together");
    if (o->units_output && !o->units)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--units-output needs --units");
    if (o->units && !o->units_key)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--units needs --units-key");
    gpcov_status st = gpcov_access_decay_check(ctx, &o->decay);
    if (st)
        return st;
    const char *r[2] = {o->output, o->reciprocal}, *v[2] = {o->supply_output, o->units_output};
    const char *rn[2] = {"--output", "--reciprocal"}, *vn[2] = {"--supply-output",
                                                                "--units-output"};
    for (int k = 0; k < 2; k++) {
        if (r[k] && !raster_ext(r[k]))
            return gpcov_err(ctx, GPCOV_EUSAGE, "%s %s: a GeoTIFF (.tif) is written", rn[k], r[k]);
        if (v[k] && !vector_ext(v[k]))
            return gpcov_err(ctx, GPCOV_EUSAGE, "%s %s: unknown output format (use .geojson, "
                             ".gpkg, .csv, .xlsx, .shp or PG:... tables=NAME)", vn[k], v[k]);
    }
    const char *all[4] = {o->output, o->reciprocal, o->supply_output, o->units_output};
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            if (all[a] && all[b] && !strcmp(all[a], all[b]))
                return gpcov_err(ctx, GPCOV_EUSAGE, "%s: given for two outputs", all[a]);
    return GPCOV_OK;
}

/* ------------------------------------------------------------- driver */

static void run_free(struct run *R)
{
    gpcov_acc_supply_free(R->ctx, &R->S);
    gpcov_acc_runs_close(R);
    gpcov_ttmodel_free(R->m);
    free(R->popcells), free(R->popv), free(R->popbit), free(R->t), free(R->acc);
    free(R->demand), free(R->reached), free(R->ratio);
    free(R->c.e), free(R->c.first), free(R->c.len);
    gpcov_layer_free(R->ctx, R->units);
    free(R->uidx);
    free(R->popidx);
    CSLDestroy(R->md);
    gpcov_outset_free(R->set); /* what was not committed */
}

static double run_limit(const struct run *R)
{
    double reach = gpcov_access_reach(&R->o->decay);
    return isinf(reach) ? 0 : reach;
}

/* Step 1 for supply j from its cells within reach: the demand it reaches
** (D_j, weighted, and the people within reach); the cells with a weight go
** to the cache while it has room.  The cells come ascending, so the sums
** add in the order of the cells. */
static void step1_one(struct run *R, size_t j, const struct acc_list *L)
{
    const struct gpcov_access_decay *d = &R->o->decay;
    double dj = 0, pj = 0;
    for (size_t q = 0; q < L->n; q++) {
        uint32_t k = R->popidx[L->cells[q]];
        double w = k == NOPOP ? 0 : gpcov_access_weight(d, L->t[q]);
        if (w > 0) {
            dj += R->popv[k] * w;
            pj += R->popv[k];
        }
    }
    R->demand[j] = dj;
    R->reached[j] = pj;
    R->c.len[j] = SIZE_MAX;
    if (!R->c.max)
        return;
    size_t start = R->c.n, cnt = 0;
    for (size_t q = 0; q < L->n; q++) {
        if ((!R->need_all && R->popidx[L->cells[q]] == NOPOP) ||
            !(gpcov_access_weight(d, L->t[q]) > 0))
            continue;
        if (cache_reserve(&R->c, start + cnt + 1))
            return; /* no room: run again in step 2 */
        R->c.e[start + cnt].cell = L->cells[q];
        R->c.e[start + cnt].t = L->t[q];
        cnt++;
    }
    R->c.first[j] = start;
    R->c.len[j] = cnt;
    R->c.n = start + cnt;
}

/* Step 1: every supply, run in pairs (access_runs.c), taken in order. */
static gpcov_status step1(struct run *R)
{
    size_t step = R->reach2 ? 2 : 1;
    for (size_t j = 0; j < R->ns; j += step) {
        struct acc_list L[2];
        size_t j2 = step == 2 && j + 1 < R->ns ? j + 1 : SIZE_MAX;
        gpcov_status st = gpcov_progress(R->ctx, (double)j / (2.0 * (double)R->ns),
                                         "access: demand reached");
        if (st || (st = gpcov_acc_run_pair(R, j, j2, run_limit(R), L)))
            return st;
        step1_one(R, j, &L[0]);
        if (j2 != SIZE_MAX)
            step1_one(R, j2, &L[1]);
    }
    return GPCOV_OK;
}

/* Whether step 2 runs supply j again (not cached, with a ratio). */
static int rerun(const struct run *R, size_t j)
{
    return R->c.len[j] == SIZE_MAX && !isnan(R->ratio[j]) && R->ratio[j] != 0;
}

/* Step 2: A_i = sum_j R_j f(t_ij) in the order of the supplies, from the
** cache or from runs made again, in pairs: the second run of a pair is
** the next supply to run again, its list kept until its turn. */
static gpcov_status step2(struct run *R)
{
    const struct gpcov_access_decay *d = &R->o->decay;
    struct acc_list L[2], pend = {0};
    size_t pend_j = SIZE_MAX;
    for (size_t j = 0; j < R->ns; j++) {
        gpcov_status st = gpcov_progress(R->ctx, 0.5 + (double)j / (2.0 * (double)R->ns),
                                         "access: scores");
        if (st)
            return st;
        double rj = R->ratio[j];
        if (isnan(rj) || rj == 0)
            continue;
        if (R->c.len[j] != SIZE_MAX) {
            const struct centry *e = R->c.e + R->c.first[j];
            for (size_t k = 0; k < R->c.len[j]; k++)
                R->acc[e[k].cell] += rj * gpcov_access_weight(d, e[k].t);
            R->res->cached++;
            continue;
        }
        const struct acc_list *l = &pend;
        if (pend_j != j) {
            size_t j2 = j + 1;
            while (R->reach2 && j2 < R->ns && !rerun(R, j2))
                j2++;
            j2 = R->reach2 && j2 < R->ns ? j2 : SIZE_MAX;
            if ((st = gpcov_acc_run_pair(R, j, j2, run_limit(R), L)))
                return st;
            l = &L[0], pend = L[1], pend_j = j2;
        }
        for (size_t q = 0; q < l->n; q++) {
            if (!R->need_all && R->popidx[l->cells[q]] == NOPOP)
                continue;
            double w = gpcov_access_weight(d, l->t[q]);
            if (w > 0)
                R->acc[l->cells[q]] += rj * w;
        }
    }
    return gpcov_progress(R->ctx, 1, "access: scores");
}

/* The outputs' set: the rasters get their temporaries now, the tables when
** written; all are refused now when they exist (or are inputs). */
static gpcov_status run_outputs(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    gpcov_status st = GPCOV_OK;
    if (!(R->set = gpcov_outset_new(ctx, R->o->overwrite)))
        st = GPCOV_ENOMEM;
    for (int k = 0; k < 4 && !st; k++)
        if (R->outs[k].dst)
            st = k < 2 ? gpcov_outset_add(ctx, R->set, R->outs[k].dst, &R->outs[k].tmp)
                       : gpcov_atomic_check(ctx, R->outs[k].dst, R->o->overwrite);
    return st;
}

/* The travel model with the supply points as its sources, its grid, and
** the descriptions of the model and of the method. */
static gpcov_status run_model(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_access_opts *o = R->o;
    gpcov_status st;
    R->tt = *o->tt;
    R->tt.output = R->tt.nearest = R->tt.per_source = NULL;
    if ((st = gpcov_ttmodel_open(ctx, &R->tt, &R->m)))
        return st;
    R->g = gpcov_ttmodel_grid(R->m);
    R->n = (size_t)R->g->nx * (size_t)R->g->ny;
    R->ns = gpcov_ttmodel_nsources(R->m);
    R->res->nsupply = R->ns;
    R->res->ncells = R->n;
    R->res->reach_minutes = gpcov_access_reach(&o->decay);
    if (R->ns != R->S.l->n)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "%s: %zu supply points read, but the travel "
                         "model has %zu sources", R->tt.sources, R->S.l->n, R->ns);
    if (R->n > UINT32_MAX)
        return gpcov_err(ctx, GPCOV_EUSAGE, "a grid of %zu cells is too large", R->n);
    snprintf(R->model, sizeof R->model, "%s", gpcov_ttmodel_description(R->m));
    snprintf(R->model_da, sizeof R->model_da, "%s", gpcov_ttmodel_description_da(R->m));
    gpcov_access_decay_describe(&o->decay, R->desc, sizeof R->desc);
    return GPCOV_OK;
}

/* The arrays of the two steps and the cache's budget. */
static gpcov_status run_alloc(struct run *R)
{
    const struct gpcov_access_opts *o = R->o;
    R->t = malloc(R->n * sizeof *R->t);
    R->acc = calloc(R->n, sizeof *R->acc);
    R->demand = calloc(R->ns, sizeof *R->demand);
    R->reached = calloc(R->ns, sizeof *R->reached);
    R->ratio = calloc(R->ns, sizeof *R->ratio);
    R->c.first = calloc(R->ns, sizeof *R->c.first);
    R->c.len = calloc(R->ns, sizeof *R->c.len);
    R->popidx = malloc(R->n * sizeof *R->popidx);
    if (!R->t || !R->acc || !R->demand || !R->reached || !R->ratio || !R->c.first ||
        !R->c.len || !R->popidx)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory for %d x %d cells", R->g->nx,
                         R->g->ny);
    for (size_t i = 0; i < R->n; i++)
        R->popidx[i] = NOPOP;
    for (size_t k = 0; k < R->npop; k++)
        R->popidx[R->popcells[k]] = (uint32_t)k;
    gpcov_status st = gpcov_acc_runs_open(R);
    if (st)
        return st;
    /* the straight-line model computes a supply's times faster than they
    ** are read back from memory: no cache unless asked for */
    double mb = o->cache_mb != 0 ? o->cache_mb : o->tt->model == GPCOV_TT_STRAIGHT ? -1 : 256;
    R->c.max = mb > 0 ? (size_t)(mb * 1048576.0 / sizeof(struct centry)) : 0;
    R->need_all = o->output || o->reciprocal;
    return GPCOV_OK;
}

/* Between the steps: R_j = S_j / D_j, or a supply no demand lies within
** reach of dropped (with drop_unreachable) or an error. */
static gpcov_status ratios(struct run *R)
{
    struct gpcov_access_result *res = R->res;
    for (size_t j = 0; j < R->ns; j++) {
        if (R->demand[j] > 0) {
            R->ratio[j] = R->S.cap[j] / R->demand[j];
            res->capacity_total += R->S.cap[j];
            continue;
        }
        const char *lab = gpcov_ttmodel_source_label(R->m, j);
        if (!R->o->drop_unreachable)
            return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no demand within reach (%s; %s), so its "
                             "ratio of capacity to demand is undefined (--drop-unreachable "
                             "leaves it out)", lab, R->desc, R->model);
        R->ratio[j] = NAN;
        res->ndropped++;
        gpcov_acc_note(res, "%s: no demand within reach; dropped (its capacity %g is left out)", lab,
             R->S.cap[j]);
    }
    if (res->ndropped == R->ns)
        return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no supply point has demand within reach",
                         R->tt.sources);
    return GPCOV_OK;
}

/* After step 2: the weighted total, the metadata, the tables, and every
** output written. */
static gpcov_status run_finish(struct run *R)
{
    gpcov_status st = GPCOV_OK;
    struct gpcov_layer *sl = NULL, *ul = NULL;
    for (size_t k = 0; k < R->npop; k++)
        R->res->weighted_access += R->popv[k] * R->acc[R->popcells[k]];
    gpcov_acc_metadata(R);
    if ((!R->units || !(st = gpcov_acc_units_layer(R, &ul))) &&
        (!R->o->supply_output || !(st = gpcov_acc_supply_layer(R, &sl))))
        st = gpcov_acc_write_outputs(R, sl, ul);
    gpcov_layer_free(R->ctx, sl);
    gpcov_layer_free(R->ctx, ul);
    return st;
}

/* The run's phases in order. */
static gpcov_status run(struct run *R)
{
    const struct gpcov_access_opts *o = R->o;
    gpcov_status st;
    if ((st = run_outputs(R)) || (st = gpcov_acc_read_supply(R->ctx, o, &R->S, R->res)) ||
        (st = run_model(R)) || (st = gpcov_acc_load_demand(R)) || (o->units && (st = gpcov_acc_load_units(R))) ||
        (st = run_alloc(R)) || (st = step1(R)) || (st = ratios(R)))
        return st;
    /* the cache is not needed beyond step 2 */
    if ((st = step2(R)))
        return st;
    free(R->c.e);
    R->c.e = NULL;
    return run_finish(R);
}

gpcov_status gpcov_access(gpcov_ctx *ctx, const struct gpcov_access_opts *o,
                          struct gpcov_access_result *res_in)
{
    struct gpcov_access_result res_local;
    struct gpcov_access_result *res = res_in ? res_in : &res_local;
    memset(res, 0, sizeof *res);
    gpcov_status st = check_opts(ctx, o);
    if (st)
        return st;
    if (o->demand_where && gpcov_is_raster(o->demand))
        return gpcov_err(ctx, GPCOV_EUSAGE, "--demand-where: %s is a raster; a filter applies "
                         "to points", o->demand);
    struct run R = {.ctx = ctx, .o = o, .res = res,
                    .outs = {{o->output, NULL}, {o->reciprocal, NULL}, {o->supply_output, NULL},
                             {o->units_output, NULL}}};
    st = run(&R);
    run_free(&R);
    if (!res_in)
        gpcov_access_result_clear(&res_local);
    return st;
}
