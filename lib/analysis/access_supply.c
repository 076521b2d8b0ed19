/*
** access_supply.c: the supply points of an accessibility run and their
** capacities.  A capacity is read from its field; where it is empty, the
** supply takes an equal share of its group's total (one number repeated
** on every row of the group) less what the group's other rows give, and
** the share is noted in the run's notes and outputs.
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

void gpcov_acc_supply_free(gpcov_ctx *ctx, struct supply *s)
{
    if (s->l && s->cap_note)
        for (size_t j = 0; j < s->l->n; j++)
            free(s->cap_note[j]);
    free(s->cap_note);
    free(s->cap);
    gpcov_layer_free(ctx, s->l);
    memset(s, 0, sizeof *s);
}

/* The supply layer, with every field the options name. */
static gpcov_status supply_layer_read(gpcov_ctx *ctx, const struct gpcov_access_opts *o,
                                      struct supply *s)
{
    const struct gpcov_traveltime_opts *tt = o->tt;
    struct gpcov_read_opts ro = {.layer = tt->source_layer, .x_field = tt->x_field,
                                 .y_field = tt->y_field, .srs = tt->srs};
    gpcov_status st = gpcov_layer_read(ctx, tt->sources, &ro, &s->l);
    if (st) {
        if (st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "the layer is empty"))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: no supply points (the layer is empty)",
                             tt->sources);
        return st;
    }
    struct gpcov_layer *l = s->l;
    char list[600];
    gpcov_acc_field_list(l, list, sizeof list);
    const char *need[4][2] = {{o->capacity_field, "--capacity-field"},
                              {tt->source_id, "--supply-id"},
                              {o->capacity_total, "--capacity-total"},
                              {o->capacity_group, "--capacity-group"}};
    for (int k = 0; k < 4; k++)
        if (need[k][0] && gpcov_layer_field(l, need[k][0]) < 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (%s; fields: %s)",
                             tt->sources, need[k][0], need[k][1], list);
    if (!l->n)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no supply points", tt->sources);
    return GPCOV_OK;
}

/* Reading the capacities: the supply, its options and the field indices. */
struct capread {
    gpcov_ctx *ctx;
    const struct gpcov_access_opts *o;
    struct supply *s;
    struct gpcov_access_result *res;
    int fc, fid, ft, fg;
    int *empty; /* per supply: its capacity is empty, to be shared      */
};

/* Supply j's capacity, or empty[j] when it is empty and can be shared. */
static gpcov_status capacity_of(struct capread *C, size_t j)
{
    const struct gpcov_access_opts *o = C->o;
    const struct gpcov_traveltime_opts *tt = o->tt;
    const struct gpcov_layer *l = C->s->l;
    char label[400], idb[200], raw[200];
    if (C->fid >= 0)
        snprintf(label, sizeof label, "%s: feature %zu (%s '%s')", tt->sources, j + 1,
                 tt->source_id, gpcov_value_text(l, j, C->fid, idb, sizeof idb));
    else
        snprintf(label, sizeof label, "%s: feature %zu", tt->sources, j + 1);
    double *cap = &C->s->cap[j];
    int r = gpcov_acc_value_number(l, j, C->fc, cap);
    if (r < 0)
        return gpcov_err(C->ctx, GPCOV_EINPUT, "%s: capacity %s '%s' is not a number", label,
                         o->capacity_field, gpcov_value_text(l, j, C->fc, raw, sizeof raw));
    if (r == 0 && *cap < 0)
        return gpcov_err(C->ctx, GPCOV_EINPUT, "%s: capacity %s %g is negative", label,
                         o->capacity_field, *cap);
    if (r == 1 && (C->ft < 0 || C->fg < 0))
        return gpcov_err(C->ctx, GPCOV_EINPUT, "%s: capacity %s is empty%s", label,
                         o->capacity_field,
                         C->ft < 0 && C->fg < 0 ? " (--capacity-total and --capacity-group share "
                                                  "a group total among empty rows)" : "");
    if (r == 1)
        C->empty[j] = 1;
    return GPCOV_OK;
}

/* The group grp's total (one number on all its rows), what its rows give
** (*given), how many are empty (*k_empty) and their ids (ids). */
static gpcov_status group_total(struct capread *C, const char *grp, double *total, double *given,
                                size_t *k_empty, char *ids, size_t idsz)
{
    const struct gpcov_access_opts *o = C->o;
    const char *src = o->tt->sources;
    const struct gpcov_layer *l = C->s->l;
    *total = NAN;
    for (size_t k = 0; k < l->n; k++) {
        char g2[200], tb[200];
        if (strcmp(gpcov_value_text(l, k, C->fg, g2, sizeof g2), grp))
            continue;
        if (!C->empty[k]) {
            *given += C->s->cap[k];
        } else {
            (*k_empty)++;
            if (C->fid >= 0 && strlen(ids) < 500) {
                char idb[200];
                snprintf(ids + strlen(ids), idsz - strlen(ids), "%s%s", *k_empty > 1 ? ", " : "",
                         gpcov_value_text(l, k, C->fid, idb, sizeof idb));
            }
        }
        double t;
        int r = gpcov_acc_value_number(l, k, C->ft, &t);
        if (r != 0 || t < 0)
            return gpcov_err(C->ctx, GPCOV_EINPUT, "%s: feature %zu: %s '%s' (the total shared "
                             "among empty %s in %s '%s') is not a number >= 0", src, k + 1,
                             o->capacity_total, gpcov_value_text(l, k, C->ft, tb, sizeof tb),
                             o->capacity_field, o->capacity_group, grp);
        if (isnan(*total))
            *total = t;
        else if (t != *total)
            return gpcov_err(C->ctx, GPCOV_EINPUT, "%s: feature %zu: %s %g differs from %g on an "
                             "earlier row of %s '%s'", src, k + 1, o->capacity_total, t, *total,
                             o->capacity_group, grp);
    }
    return GPCOV_OK;
}

/* The group of supply j (which has an empty capacity): its total less
** what it gives, shared equally among its empty rows, with a note. */
static gpcov_status share_group(struct capread *C, size_t j)
{
    const struct gpcov_access_opts *o = C->o;
    const char *src = o->tt->sources;
    const struct gpcov_layer *l = C->s->l;
    char grp[200], ids[600] = "";
    gpcov_value_text(l, j, C->fg, grp, sizeof grp);
    double total, given = 0;
    size_t k_empty = 0;
    gpcov_status st = group_total(C, grp, &total, &given, &k_empty, ids, sizeof ids);
    if (st)
        return st;
    if (given > total)
        return gpcov_err(C->ctx, GPCOV_EINPUT, "%s: %s '%s': the given %s add up to %g, more "
                         "than the total %s %g", src, o->capacity_group, grp, o->capacity_field,
                         given, o->capacity_total, total);
    double share = (total - given) / (double)k_empty;
    char nb[700], less[100] = "";
    if (given > 0)
        snprintf(less, sizeof less, " less the %.15g given", given);
    snprintf(nb, sizeof nb, "%s empty: %g = %s %g for %s '%s'%s, shared equally among the "
             "%zu rows without %s", o->capacity_field, share, o->capacity_total, total,
             o->capacity_group, grp, less, k_empty, o->capacity_field);
    gpcov_acc_note(C->res, "%s: %s%s%s%s", src, nb, ids[0] ? " (" : "", ids, ids[0] ? ")" : "");
    for (size_t k = 0; k < l->n; k++) {
        char g2[200];
        if (!C->empty[k] || strcmp(gpcov_value_text(l, k, C->fg, g2, sizeof g2), grp))
            continue;
        C->s->cap[k] = share;
        C->empty[k] = 0;
        if (!(C->s->cap_note[k] = gpcov_strdup(nb)))
            st = gpcov_err(C->ctx, GPCOV_ENOMEM, "out of memory");
    }
    return st;
}

/* Capacities from capacity_field; empty ones take an equal share of their
** group's total less what the group gives. */
gpcov_status gpcov_acc_read_supply(gpcov_ctx *ctx, const struct gpcov_access_opts *o,
                                struct supply *s, struct gpcov_access_result *res)
{
    gpcov_status st = supply_layer_read(ctx, o, s);
    if (st)
        return st;
    const struct gpcov_traveltime_opts *tt = o->tt;
    const struct gpcov_layer *l = s->l;
    struct capread C = {
        .ctx = ctx, .o = o, .s = s, .res = res,
        .fc = gpcov_layer_field(l, o->capacity_field),
        .fid = tt->source_id ? gpcov_layer_field(l, tt->source_id) : -1,
        .ft = o->capacity_total ? gpcov_layer_field(l, o->capacity_total) : -1,
        .fg = o->capacity_group ? gpcov_layer_field(l, o->capacity_group) : -1};
    size_t n = l->n;
    s->cap = malloc(n * sizeof *s->cap);
    s->cap_note = calloc(n, sizeof *s->cap_note);
    C.empty = calloc(n, sizeof *C.empty);
    if (!s->cap || !s->cap_note || !C.empty) {
        free(C.empty);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < n && !st; j++)
        st = capacity_of(&C, j);
    /* groups with empty capacities, in order of first appearance */
    for (size_t j = 0; j < n && !st; j++)
        if (C.empty[j])
            st = share_group(&C, j);
    free(C.empty);
    return st;
}
