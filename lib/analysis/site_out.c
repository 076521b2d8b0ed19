/*
** site_out.c: the outputs of a `gpcov site` run: the metadata every
** output carries (objective, limit, model, demand, sites, method), the
** chosen sites in the order of their gains, one row of the run's figures
** (before, after, bound, gap, method), and per unit the demand and what
** it gets before and after (for the p-median the mean minutes, those
** beyond the limit counted at it, as the objective counts them), empty
** with a reason where a unit has no demand; then the map
** (drawn by lib/map's sitemap.c), all written through one output set, and the line the
** command ends with.
*/
#include "gpcov.h"
#include "siterun_internal.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *obj_name(enum gpcov_site_objective o)
{
    return o == GPCOV_SITE_COVER ? "cover" : o == GPCOV_SITE_MEDIAN ? "median" : "capacity";
}

void gpcov_site_metadata(struct srun *R)
{
    const struct gpcov_site_run_opts *o = R->o;
    char **md = NULL, num[64];
    md = CSLSetNameValue(md, "GPCOV_OBJECTIVE", obj_name(o->objective));
    snprintf(num, sizeof num, "%zu", o->k);
    md = CSLSetNameValue(md, "GPCOV_K", num);
    snprintf(num, sizeof num, "%g", o->max_minutes);
    md = CSLSetNameValue(md, "GPCOV_MAX_MINUTES", num);
    md = CSLSetNameValue(md, "GPCOV_MODEL", R->model);
    md = CSLSetNameValue(md, "GPCOV_MODEL_DA", R->model_da);
    md = CSLSetNameValue(md, "GPCOV_METHOD", R->sum->res.method);
    md = CSLSetNameValue(md, "GPCOV_CANDIDATES", R->S.what);
    if (o->existing)
        md = CSLSetNameValue(md, "GPCOV_EXISTING", o->existing);
    if (o->note)
        md = CSLSetNameValue(md, "GPCOV_SITES_NOTE", o->note);
    md = CSLSetNameValue(md, "GPCOV_DEMAND", o->demand);
    md = CSLSetNameValue(md, "GPCOV_DEMAND_FIELD", o->demand_field ? o->demand_field
                                                                   : "population");
    if (o->objective == GPCOV_SITE_CAPACITY) {
        snprintf(num, sizeof num, "%g", R->norm);
        md = CSLSetNameValue(md, "GPCOV_NORM", num);
    }
    md = CSLSetNameValue(md, "GPCOV_VERSION", GPCOV_VERSION);
    R->md = md;
}


/* The unit (0-based) holding point (x, y) of the model's grid, or -1. */
static long unit_at(const struct srun *R, double x, double y)
{
    const struct gpcov_grid *g = R->g;
    double c = floor((x - g->gt[0]) / g->gt[1]), r = floor((y - g->gt[3]) / g->gt[5]);
    if (!R->uidx || c < 0 || r < 0 || c >= g->nx || r >= g->ny)
        return -1;
    return (long)R->uidx[(size_t)r * (size_t)g->nx + (size_t)c] - 1;
}

enum { CORD, CID, CNAME, CX, CY, CGAIN, CCUM, CKEY, CUNAME, CNF };

static gpcov_status chosen_feature(struct srun *R, struct gpcov_layer *l, const int *f,
                                   size_t i, double cum)
{
    gpcov_ctx *ctx = R->ctx;
    size_t j = R->sum->res.chosen[i];
    const struct site_pts *S = &R->S;
    long li = gpcov_layer_append(ctx, l, NULL,
                                 GEOSGeom_createPointFromXY_r(ctx->geos, S->x[j], S->y[j]));
    if (li < 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    size_t k = (size_t)li;
    gpcov_status st = gpcov_layer_set_num(ctx, l, k, (size_t)f[CORD], (double)(i + 1));
    if (!st)
        st = gpcov_layer_set_str(ctx, l, k, (size_t)f[CID], S->id[j]);
    if (!st)
        st = gpcov_layer_set_str(ctx, l, k, (size_t)f[CNAME], S->name[j]);
    if (!st)
        st = gpcov_layer_set_num(ctx, l, k, (size_t)f[CX], round(S->x[j] * 100) / 100);
    if (!st)
        st = gpcov_layer_set_num(ctx, l, k, (size_t)f[CY], round(S->y[j] * 100) / 100);
    if (!st)
        st = gpcov_layer_set_num_or_null(ctx, l, k, (size_t)f[CGAIN], R->sum->res.gain[i]);
    if (!st)
        st = gpcov_layer_set_num_or_null(ctx, l, k, (size_t)f[CCUM], cum);
    long u = unit_at(R, S->x[j], S->y[j]);
    char nb[400];
    int fn = R->o->units_name ? gpcov_layer_field(R->units, R->o->units_name) : -1;
    if (!st && R->units && u >= 0)
        st = gpcov_layer_set_str(ctx, l, k, (size_t)f[CKEY], R->units->keys[u]);
    if (!st && R->units && u >= 0 && fn >= 0)
        st = gpcov_layer_set_str(ctx, l, k, (size_t)f[CUNAME],
                                 gpcov_value_text(R->units, (size_t)u, fn, nb, sizeof nb));
    return st;
}

/* The chosen sites in the order of their gains. */
static gpcov_status chosen_layer(struct srun *R, struct gpcov_layer **out)
{
    const char *names[CNF] = {"order", "id", "name", "x", "y", "gain", "objective_after",
                              R->o->units_key ? GPCOV_KEY_FIELD : "unit", "unit_name"};
    const enum gpcov_ftype types[CNF] = {GPCOV_INT, GPCOV_STR, GPCOV_STR, GPCOV_REAL,
                                         GPCOV_REAL, GPCOV_REAL, GPCOV_REAL, GPCOV_STR,
                                         GPCOV_STR};
    int f[CNF];
    struct gpcov_layer *l = gpcov_layer_new_fields(R->ctx, "sites", R->units ? CNF : CNF - 2, names, types, f);
    if (!l)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    const struct gpcov_site_result *r = &R->sum->res;
    double cum = r->before, sign = R->o->objective == GPCOV_SITE_MEDIAN ? -1 : 1;
    gpcov_status st = GPCOV_OK;
    for (size_t i = 0; i < r->k && !st; i++) {
        cum += sign * r->gain[i];
        st = chosen_feature(R, l, f, i, cum);
    }
    if (!st)
        st = gpcov_layer_set_meta_list(R->ctx, l, R->md);
    if (st)
        gpcov_layer_free(R->ctx, l);
    else
        *out = l;
    return st;
}

/* The gap between after and the bound, percent of the bound; NaN: none. */
static double gap_pct(const struct gpcov_site_result *r)
{
    if (isnan(r->bound) || r->bound == 0)
        return r->exact ? 0 : NAN;
    return 100 * fabs(r->bound - r->after) / fabs(r->bound);
}

enum { SOBJ, SK, SNC, SNE, SCELLS, SPAIRS, SDEM, SREACH, SBEF, SAFT, SGAIN, SBOUND, SGAP,
       SMETH, SEXACT, SEVAL, SSWAP, SMAX, SMODEL, SNOTE, SNF };

static gpcov_status summary_layer(struct srun *R, struct gpcov_layer **out)
{
    gpcov_ctx *ctx = R->ctx;
    const char *names[SNF] = {"objective", "k", "candidates", "existing", "cells", "pairs",
                              "demand", "reachable", "before", "after", "gain", "bound",
                              "gap_pct", "method", "exact", "evaluated", "swaps",
                              "max_minutes", "model", "sites_note"};
    enum gpcov_ftype types[SNF];
    for (int c = 0; c < SNF; c++)
        types[c] = c == SOBJ || c == SMETH || c == SMODEL || c == SNOTE ? GPCOV_STR
                   : c == SEXACT                                       ? GPCOV_BOOL
                                                                       : GPCOV_REAL;
    int f[SNF];
    struct gpcov_layer *l = gpcov_layer_new_fields(ctx, "summary", SNF, names, types, f);
    if (!l || gpcov_layer_append(ctx, l, NULL, NULL) < 0)
        return gpcov_layer_free(ctx, l), gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    const struct gpcov_site_run_summary *s = R->sum;
    const struct gpcov_site_result *r = &s->res;
    double v[SNF] = {0, (double)r->k, (double)s->ncand, (double)s->nexisting,
                     (double)s->ncells, (double)s->npairs, s->demand, s->reachable, r->before,
                     r->after, fabs(r->after - r->before), r->bound, gap_pct(r), 0,
                     r->exact, (double)r->evaluated, (double)r->swaps, R->o->max_minutes};
    gpcov_status st = gpcov_layer_set_str(ctx, l, 0, (size_t)f[SOBJ], obj_name(R->o->objective));
    for (int c = SK; c <= SMAX && !st; c++)
        if (c != SMETH)
            st = gpcov_layer_set_num_or_null(ctx, l, 0, (size_t)f[c], v[c]);
    if (!st)
        st = gpcov_layer_set_str(ctx, l, 0, (size_t)f[SMETH], r->method);
    if (!st)
        st = gpcov_layer_set_str(ctx, l, 0, (size_t)f[SMODEL], R->model);
    if (!st && R->o->note)
        st = gpcov_layer_set_str(ctx, l, 0, (size_t)f[SNOTE], R->o->note);
    if (!st)
        st = gpcov_layer_set_meta_list(ctx, l, R->md);
    if (st)
        gpcov_layer_free(ctx, l);
    else
        *out = l;
    return st;
}

enum { UKEY, UNAME, UDEM, UBEF, UAFT, UGAIN, UBPCT, UAPCT, UGPCT, UREASON, UOBJ, UMODEL,
       UNOTE, UNF };
enum { SD, SB, SA, SRB, SRA, SBW, SAW, NS }; /* per unit sums */

/* Unit k's figures from its sums s[NS]: people (COVER, CAPACITY), or the
** mean minutes per person with those beyond the limit at the limit, as
** the p-median counts them (MEDIAN); the shares of the unit's demand. */
static gpcov_status unit_figures(struct srun *R, struct gpcov_layer *l, const int *f, size_t i,
                                 const double *s)
{
    gpcov_ctx *ctx = R->ctx;
    int med = R->o->objective == GPCOV_SITE_MEDIAN;
    char why[300] = "";
    if (!(s[SD] > 0)) {
        snprintf(why, sizeof why, "ingen efterspørgsel i enheden (%s)",
                 R->o->demand_field ? R->o->demand_field : "population");
        return gpcov_layer_set_str(ctx, l, i, (size_t)f[UREASON], why);
    }
    double b = med ? s[SBW] / s[SD] : s[SB], a = med ? s[SAW] / s[SD] : s[SA];
    double bp = 100 * (med ? s[SRB] : s[SB]) / s[SD], ap = 100 * (med ? s[SRA] : s[SA]) / s[SD];
    double v[UNF] = {0, 0, s[SD], b, a, med ? b - a : a - b, bp, ap, ap - bp};
    gpcov_status st = GPCOV_OK;
    for (int c = UDEM; c <= UGPCT && !st; c++)
        st = gpcov_layer_set_num_or_null(ctx, l, i, (size_t)f[c], v[c]);
    return st;
}

static gpcov_status unit_feature(struct srun *R, struct gpcov_layer *l, const int *f, size_t k,
                                 const double *s)
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
    if (!st)
        st = unit_figures(R, l, f, i, s);
    if (!st)
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UOBJ], obj_name(R->o->objective));
    if (!st)
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UMODEL], R->model);
    if (!st && R->o->note)
        st = gpcov_layer_set_str(ctx, l, i, (size_t)f[UNOTE], R->o->note);
    return st;
}

/* Per unit: demand, before, after, the gain and the shares. */
static gpcov_status units_layer(struct srun *R, struct gpcov_layer **out)
{
    gpcov_ctx *ctx = R->ctx;
    size_t nu = R->units->n;
    const char *names[UNF] = {GPCOV_KEY_FIELD, "name", "demand", "before", "after", "gain",
                              "before_pct", "after_pct", "gain_pct", "reason", "objective",
                              "model", "sites_note"};
    enum gpcov_ftype types[UNF];
    for (int c = 0; c < UNF; c++)
        types[c] = c >= UDEM && c <= UGPCT ? GPCOV_REAL : GPCOV_STR;
    int f[UNF];
    double *sums = calloc(NS * (nu + 1), sizeof *sums);
    struct gpcov_layer *l = sums ? gpcov_layer_new_fields(ctx, "units", UNF, names, types, f) : NULL;
    if (!l) {
        free(sums);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t q = 0; q < R->D.nc; q++) {
        int32_t u = R->uidx[R->D.cells[q]];
        double *s = sums + NS * (size_t)(u > 0 ? u : 0), d = R->D.dem[q];
        s[SD] += d, s[SB] += R->before[q], s[SA] += R->after[q];
        s[SRB] += R->reach_before[q], s[SRA] += R->reach_after[q];
        s[SBW] += d * (isnan(R->before[q]) ? R->o->max_minutes : R->before[q]);
        s[SAW] += d * (isnan(R->after[q]) ? R->o->max_minutes : R->after[q]);
    }
    if (sums[SD] > 0)
        R->sum->notes = CSLAddString(R->sum->notes, CPLSPrintf("%s: %.15g of the demand lies "
                                     "in cells of no unit of %s and is left out of the units' "
                                     "figures", R->o->demand, sums[SD], R->o->units));
    gpcov_status st = GPCOV_OK;
    for (size_t k = 0; k < nu && !st; k++)
        st = unit_feature(R, l, f, k, sums + NS * (k + 1));
    free(sums);
    if (!st)
        st = gpcov_layer_set_meta_list(ctx, l, R->md);
    if (st)
        gpcov_layer_free(ctx, l);
    else
        *out = l;
    return st;
}

/* "1,234,567": a number of people for the closing line. */
static const char *people(double v, char *buf, size_t n)
{
    char plain[64];
    snprintf(plain, sizeof plain, "%.0f", v);
    if (gpcov_group_digits(plain, ',', '.', "-", buf, n))
        snprintf(buf, n, "%s", plain);
    return buf;
}

static void closing_line(struct srun *R)
{
    const struct gpcov_site_result *r = &R->sum->res;
    char b[4][64], gap[64] = "no bound proven", how[sizeof r->method];
    snprintf(how, sizeof how, "%.*s", (int)strcspn(r->method, ";"), r->method);
    double g = gap_pct(r);
    if (!isnan(r->bound))
        snprintf(gap, sizeof gap, "bound %s, gap %.2g %%", people(r->bound, b[3], sizeof b[3]),
                 g);
    if (R->o->objective == GPCOV_SITE_MEDIAN)
        gpcov_summary(R->ctx, "%zu sites chosen among %zu candidates: -%s people x minutes "
                      "within %g min (from %s to %s, %s), %s", r->k, R->sum->ncand,
                      people(r->before - r->after, b[0], sizeof b[0]), R->o->max_minutes,
                      people(r->before, b[1], sizeof b[1]), people(r->after, b[2], sizeof b[2]),
                      gap, how);
    else
        gpcov_summary(R->ctx, "%zu sites chosen among %zu candidates: +%s people %s %g min "
                      "(from %s to %s, %s), %s", r->k, R->sum->ncand,
                      people(r->after - r->before, b[0], sizeof b[0]),
                      R->o->objective == GPCOV_SITE_COVER ? "within" : "served within",
                      R->o->max_minutes, people(r->before, b[1], sizeof b[1]),
                      people(r->after, b[2], sizeof b[2]), gap, how);
}

/* The sites as markers for the map: label "1".."k" for the chosen, ""
** for the existing. */
static gpcov_status markers_layer(struct srun *R, struct gpcov_layer **out)
{
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_layer *l = gpcov_layer_new("sites");
    int f = l ? gpcov_layer_add_field(ctx, l, "label", GPCOV_STR) : -1;
    if (f < 0)
        return gpcov_layer_free(ctx, l), gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    const struct gpcov_site_result *r = &R->sum->res;
    gpcov_status st = GPCOV_OK;
    for (size_t i = 0; i < r->k + (R->S.n - R->S.ncand) && !st; i++) {
        size_t j = i < r->k ? r->chosen[i] : R->S.ncand + (i - r->k);
        long li = gpcov_layer_append(ctx, l, NULL, GEOSGeom_createPointFromXY_r(
                                                       ctx->geos, R->S.x[j], R->S.y[j]));
        char lab[32] = "";
        if (i < r->k)
            snprintf(lab, sizeof lab, "%zu", i + 1);
        st = li < 0 ? gpcov_err(ctx, GPCOV_ENOMEM, "out of memory")
                    : gpcov_layer_set_str(ctx, l, (size_t)li, (size_t)f, lab);
    }
    if (st)
        gpcov_layer_free(ctx, l);
    else
        *out = l;
    return st;
}

/* The map, drawn by lib/map (o->draw) into the output set. */
static gpcov_status site_map(struct srun *R, const struct gpcov_layer *units)
{
    struct gpcov_layer *pts = NULL;
    if (!R->o->draw)
        return gpcov_err(R->ctx, GPCOV_EUSAGE, "site: --map is drawn by gpcov_site (lib/map)");
    gpcov_status st = markers_layer(R, &pts);
    if (!st)
        st = R->o->draw(R->ctx, R->o, R->sum, units, pts, R->model_da, R->set);
    gpcov_layer_free(R->ctx, pts);
    return st;
}

gpcov_status gpcov_site_write(struct srun *R)
{
    const struct gpcov_site_run_opts *o = R->o;
    gpcov_ctx *ctx = R->ctx;
    gpcov_status st = GPCOV_OK;
    const char *dst[3] = {o->output, o->summary, o->units_output};
    struct gpcov_layer *ls[3] = {NULL};
    for (int k = 0; k < 3 && !st; k++) {
        if (!dst[k] && !(k == 2 && o->map))
            continue;
        st = k == 0 ? chosen_layer(R, &ls[k]) : k == 1 ? summary_layer(R, &ls[k])
                                                       : units_layer(R, &ls[k]);
        struct gpcov_write_opts wo = {0};
        if (!st && dst[k])
            st = gpcov_outset_layer(ctx, R->set, ls[k], dst[k], &wo);
    }
    if (!st && o->map)
        st = site_map(R, ls[2]);
    if (!st)
        st = gpcov_outset_commit(ctx, R->set);
    for (int k = 0; k < 3; k++)
        gpcov_layer_free(ctx, ls[k]);
    if (!st)
        closing_line(R);
    return st;
}
