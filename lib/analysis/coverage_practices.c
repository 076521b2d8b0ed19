/*
** coverage_practices.c: the practices of a coverage run, read as any
** point layer (the travel model's sources), with their GP capacities (a
** field, or one number for all) and whether each is open to new
** patients.  A practice whose capacity or open flag is empty is excluded
** with its reason, never taken as 0; a closed one takes no one.  All of
** it sits behind gpcov_cov_read_practices, so that the reader of the
** register's own export can take its place.
*/
#include "gpcov.h"
#include "access_internal.h" /* field values for messages */
#include "coverage_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void gpcov_cov_practices_free(gpcov_ctx *ctx, struct cov_practices *p)
{
    if (p->l && p->reason)
        for (size_t j = 0; j < p->l->n; j++)
            free(p->reason[j]);
    free(p->reason), free(p->cap), free(p->people), free(p->open);
    gpcov_layer_free(ctx, p->l);
    memset(p, 0, sizeof *p);
}

/* "feature 3 (id 'x')" into buf. */
static const char *label(const struct gpcov_coverage_opts *o, const struct gpcov_layer *l,
                         size_t j, char *buf, size_t n)
{
    int f = o->tt->source_id ? gpcov_layer_field(l, o->tt->source_id) : -1;
    char idb[200];
    if (f >= 0)
        snprintf(buf, n, "%s: feature %zu (%s '%s')", o->tt->sources, j + 1, o->tt->source_id,
                 gpcov_value_text(l, j, f, idb, sizeof idb));
    else
        snprintf(buf, n, "%s: feature %zu", o->tt->sources, j + 1);
    return buf;
}

/* An open flag: 1, 0, -1 when empty, -2 when not understood. */
static int parse_open(const struct gpcov_layer *l, size_t j, int f)
{
    const struct gpcov_value *v = gpcov_layer_value(l, j, (size_t)f);
    if (v->null)
        return -1;
    if (l->fields[f].type != GPCOV_STR)
        return v->num == 1 ? 1 : v->num == 0 ? 0 : -2;
    char t[64];
    snprintf(t, sizeof t, "%s", v->str ? v->str : "");
    char *s = gpcov_trim(t);
    for (char *c = s; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    static const char *yes[] = {"1", "true", "t", "yes", "y", "ja", "j", "open", "åben", NULL};
    static const char *no[] = {"0", "false", "f", "no", "n", "nej", "closed", "lukket", NULL};
    if (!*s)
        return -1;
    for (int k = 0; yes[k]; k++)
        if (!strcmp(s, yes[k]))
            return 1;
    for (int k = 0; no[k]; k++)
        if (!strcmp(s, no[k]))
            return 0;
    return -2;
}

/* Practice j's capacities, open flag, people and reason. */
static gpcov_status one_practice(gpcov_ctx *ctx, const struct gpcov_coverage_opts *o,
                                 double norm, struct cov_practices *p, size_t j, int fc, int fo)
{
    const struct gpcov_layer *l = p->l;
    char lab[600], raw[200], why[300] = "";
    p->cap[j] = o->capacity;
    if (fc >= 0) {
        int r = gpcov_acc_value_number(l, j, fc, &p->cap[j]);
        if (r < 0 || (r == 0 && p->cap[j] < 0))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: capacity %s '%s' is not a number >= 0",
                             label(o, l, j, lab, sizeof lab), o->capacity_field,
                             gpcov_value_text(l, j, fc, raw, sizeof raw));
        if (r == 1) {
            p->cap[j] = NAN;
            snprintf(why, sizeof why, "udeladt: ingen kapacitet (%s tom)", o->capacity_field);
        }
    }
    p->open[j] = fo >= 0 ? (int8_t)parse_open(l, j, fo) : 1;
    if (p->open[j] == -2)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s '%s' is neither open nor closed (use "
                         "true/false, 1/0, yes/no or ja/nej)", label(o, l, j, lab, sizeof lab),
                         o->open_field, gpcov_value_text(l, j, fo, raw, sizeof raw));
    if (p->open[j] == 0) {
        snprintf(why, sizeof why, "lukket for tilgang (%s)", o->open_field);
        p->people[j] = 0; /* closed: takes no one, whatever its capacity */
    } else if (isnan(p->cap[j]) || p->open[j] == -1) {
        if (!why[0])
            snprintf(why, sizeof why, "udeladt: ukendt om åben for tilgang (%s tom)",
                     o->open_field);
        p->people[j] = NAN;
    } else {
        p->people[j] = p->cap[j] * norm;
    }
    if (why[0] && !(p->reason[j] = gpcov_strdup(why)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

gpcov_status gpcov_cov_read_practices(gpcov_ctx *ctx, const struct gpcov_coverage_opts *o,
                                      double norm, struct cov_practices *p)
{
    const struct gpcov_traveltime_opts *tt = o->tt;
    struct gpcov_read_opts ro = {.layer = tt->source_layer, .x_field = tt->x_field,
                                 .y_field = tt->y_field, .srs = tt->srs};
    gpcov_status st = gpcov_layer_read(ctx, tt->sources, &ro, &p->l);
    if (st)
        return st;
    const struct gpcov_layer *l = p->l;
    char list[600];
    gpcov_acc_field_list(l, list, sizeof list);
    const char *need[3][2] = {{o->capacity_field, "--capacity-field"},
                              {o->open_field, "--open-field"}, {tt->source_id, "--practice-id"}};
    for (int k = 0; k < 3; k++)
        if (need[k][0] && gpcov_layer_field(l, need[k][0]) < 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (%s; fields: %s)",
                             tt->sources, need[k][0], need[k][1], list);
    if (!l->n)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no practices (the layer is empty)", tt->sources);
    size_t n = l->n;
    p->cap = malloc(n * sizeof *p->cap);
    p->people = malloc(n * sizeof *p->people);
    p->open = malloc(n);
    p->reason = calloc(n, sizeof *p->reason);
    if (!p->cap || !p->people || !p->open || !p->reason)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    int fc = o->capacity_field ? gpcov_layer_field(l, o->capacity_field) : -1;
    int fo = o->open_field ? gpcov_layer_field(l, o->open_field) : -1;
    for (size_t j = 0; j < n && !st; j++)
        st = one_practice(ctx, o, norm, p, j, fc, fo);
    return st;
}
