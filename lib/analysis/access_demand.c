/*
** access_demand.c: the demand of an accessibility run in the travel
** model's grid, kept for the cells that hold people only (from a
** population source, or from points filtered by an expression), and the
** units (municipalities) each cell belongs to.
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

/* Points with a count, filtered by an expression, into the cells of g
** (the rules of gpcov_population_grid). */
static gpcov_status demand_where(gpcov_ctx *ctx, const struct gpcov_access_opts *o,
                                 const struct gpcov_grid *g, double *cp, double *outside)
{
    const char *fname = o->demand_field ? o->demand_field : "population";
    struct gpcov_layer *l = NULL;
    gpcov_expr *e = NULL;
    gpcov_status st = gpcov_expr_parse(ctx, o->demand_where, &e);
    if (st) {
        char m[GPCOV_MSG_MAX];
        snprintf(m, sizeof m, "%s", gpcov_ctx_message(ctx));
        return gpcov_err(ctx, GPCOV_EUSAGE, "--demand-where: %s", m);
    }
    if ((st = gpcov_layer_read(ctx, o->demand, NULL, &l)))
        goto done;
    char list[600];
    gpcov_acc_field_list(l, list, sizeof list);
    int f = gpcov_layer_field(l, fname);
    if (f < 0) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' with the population (fields: %s)",
                       o->demand, fname, list);
        goto done;
    }
    for (size_t k = 0; k < gpcov_expr_nnames(e); k++)
        if (gpcov_layer_field(l, gpcov_expr_name(e, k)) < 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (used in --demand-where \"%s\"; "
                           "fields: %s)", o->demand, gpcov_expr_name(e, k), o->demand_where, list);
            goto done;
        }
    *outside = 0;
    for (size_t k = 0; k < l->n; k++) {
        struct gpcov_feature fr = {l, k};
        struct gpcov_value v;
        if ((st = gpcov_expr_eval(ctx, e, gpcov_layer_lookup, &fr, &v)))
            goto done;
        int keep = !v.null && (v.str ? v.str[0] != 0 : v.num != 0);
        free(v.str);
        if (!keep)
            continue;
        double p, x, y;
        char raw[200];
        int r = gpcov_acc_value_number(l, k, f, &p);
        if (r == 1)
            continue;
        if (r < 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: population '%s' is not a number",
                           o->demand, k + 1, gpcov_value_text(l, k, f, raw, sizeof raw));
            goto done;
        }
        if (p < 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: population %g is negative",
                           o->demand, k + 1, p);
            goto done;
        }
        if (!l->geoms[k] || GEOSGeomGetX_r(ctx->geos, l->geoms[k], &x) != 1 ||
            GEOSGeomGetY_r(ctx->geos, l->geoms[k], &y) != 1) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: not a point", o->demand, k + 1);
            goto done;
        }
        size_t i;
        if (gpcov_grid_cell(g, x, y, &i) == 0)
            cp[i] += p;
        else
            *outside += p;
    }
done:
    gpcov_expr_free(e);
    gpcov_layer_free(ctx, l);
    return st;
}

/* ------------------------------------------------------------- units */

/* uidx[i] = 1 + the unit whose polygon holds the centre of cell i, else
** 1 + a unit the cell touches (coastal cells whose centre lies at sea),
** else 0 (gpcov_grid_burn). */
static gpcov_status units_cells(gpcov_ctx *ctx, const struct gpcov_layer *u,
                                const struct gpcov_grid *g, int32_t *uidx)
{
    return gpcov_grid_burn(ctx, u->geoms, u->n, g, 1, uidx);
}

/* The demand in the model's grid, kept for the cells that hold people
** only (a national 100 m grid has 16 million cells, few of them lived in). */
gpcov_status gpcov_acc_load_demand(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_access_opts *o = R->o;
    double *pop = NULL;
    gpcov_status st;
    if (o->demand_where) {
        if (!(pop = calloc(R->n ? R->n : 1, sizeof *pop)))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        st = demand_where(ctx, o, R->g, pop, &R->res->people_outside);
    } else {
        st = gpcov_population_grid(ctx, o->demand, o->demand_field, R->g, &pop,
                                   &R->res->people_outside);
    }
    if (st) {
        free(pop);
        return st;
    }
    for (size_t i = 0; i < R->n; i++)
        if (pop[i] > 0)
            R->npop++, R->res->people += pop[i];
    if (!R->npop) {
        free(pop);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no people within the grid of the travel model "
                         "(%d x %d cells)", o->demand, R->g->nx, R->g->ny);
    }
    if (R->res->people_outside > 0)
        gpcov_acc_note(R->res, "%s: %.15g people lie outside the grid and are left out", o->demand,
             R->res->people_outside);
    R->popcells = malloc(R->npop * sizeof *R->popcells);
    R->popv = malloc(R->npop * sizeof *R->popv);
    R->popbit = calloc(R->n / 8 + 1, 1);
    if (!R->popcells || !R->popv || !R->popbit) {
        free(pop);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t i = 0, k = 0; i < R->n; i++)
        if (pop[i] > 0) {
            R->popcells[k] = (uint32_t)i;
            R->popv[k++] = pop[i];
            R->popbit[i >> 3] |= (uint8_t)(1u << (i & 7));
        }
    free(pop);
    return GPCOV_OK;
}

gpcov_status gpcov_acc_load_units(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_access_opts *o = R->o;
    struct gpcov_read_opts ro = {.key_field = o->units_key};
    gpcov_status st = gpcov_layer_read(ctx, o->units, &ro, &R->units);
    if (st)
        return st;
    if (o->units_name && gpcov_layer_field(R->units, o->units_name) < 0) {
        char list[600];
        gpcov_acc_field_list(R->units, list, sizeof list);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (--units-name; fields: %s)",
                         o->units, o->units_name, list);
    }
    gpcov_layer_sort(R->units);
    if (!(R->uidx = calloc(R->n, sizeof *R->uidx)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return units_cells(ctx, R->units, R->g, R->uidx);
}
