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
*/
#include "gpcov.h"
#include "gpcov_internal.h"

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

/* ------------------------------------------------------------ decay */

void gpcov_access_decay_init(struct gpcov_access_decay *d, enum gpcov_access_method m)
{
    memset(d, 0, sizeof *d);
    d->method = m;
    d->d0 = 30;
    if (m == GPCOV_ACCESS_E2SFCA) {
        static const double up[3] = {10, 20, 30}, w[3] = {1.00, 0.68, 0.22};
        d->nsteps = 3;
        memcpy(d->upper, up, sizeof up);
        memcpy(d->weight, w, sizeof w);
    }
}

static const char *const method_names[] = {"2sfca", "e2sfca", "gaussian", "step"};

int gpcov_access_method_parse(const char *name, enum gpcov_access_method *out)
{
    for (int k = 0; k < 4; k++)
        if (name && !strcasecmp(name, method_names[k])) {
            *out = (enum gpcov_access_method)k;
            return 0;
        }
    return -1;
}

const char *gpcov_access_method_name(enum gpcov_access_method m)
{
    return (unsigned)m < 4 ? method_names[m] : "?";
}

static int uses_steps(enum gpcov_access_method m)
{
    return m == GPCOV_ACCESS_E2SFCA || m == GPCOV_ACCESS_STEP;
}

gpcov_status gpcov_access_decay_check(gpcov_ctx *ctx, const struct gpcov_access_decay *d)
{
    if (!uses_steps(d->method)) {
        if (!(d->d0 > 0) || !isfinite(d->d0))
            return gpcov_err(ctx, GPCOV_EUSAGE, "--d0: the catchment must be a positive "
                             "number of minutes (got %g)", d->d0);
        return GPCOV_OK;
    }
    if (d->nsteps < 1 || d->nsteps > GPCOV_ACCESS_MAX_STEPS)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--steps: give 1 to %d steps UPPER:WEIGHT, e.g. "
                         "60:0.95,120:0.36,inf:0.11", GPCOV_ACCESS_MAX_STEPS);
    for (size_t k = 0; k < d->nsteps; k++) {
        if (!(d->upper[k] > 0) || (isinf(d->upper[k]) && k + 1 < d->nsteps))
            return gpcov_err(ctx, GPCOV_EUSAGE, "--steps: step %zu: the upper bound must be a "
                             "positive number of minutes (only the last may be inf)", k + 1);
        if (k && !(d->upper[k] > d->upper[k - 1]))
            return gpcov_err(ctx, GPCOV_EUSAGE, "--steps: step %zu: upper bound %g is not above "
                             "the one before (%g): steps must ascend", k + 1, d->upper[k],
                             d->upper[k - 1]);
        if (!(d->weight[k] >= 0 && d->weight[k] <= 1))
            return gpcov_err(ctx, GPCOV_EUSAGE, "--steps: step %zu: weight %g lies outside 0..1",
                             k + 1, d->weight[k]);
    }
    return GPCOV_OK;
}

gpcov_status gpcov_access_steps_parse(gpcov_ctx *ctx, const char *text,
                                      struct gpcov_access_decay *d)
{
    const char *p = text ? text : "";
    size_t n = 0;
    while (*p) {
        char item[128];
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (n == GPCOV_ACCESS_MAX_STEPS)
            return gpcov_err(ctx, GPCOV_EUSAGE, "--steps '%s': at most %d steps", text,
                             GPCOV_ACCESS_MAX_STEPS);
        snprintf(item, sizeof item, "%.*s", (int)(len < 127 ? len : 127), p);
        char *colon = strchr(item, ':');
        if (!colon)
            return gpcov_err(ctx, GPCOV_EUSAGE, "--steps '%s': step %zu '%s' is not "
                             "UPPER:WEIGHT (e.g. 60:0.95)", text, n + 1, item);
        *colon = 0;
        char *ub = gpcov_trim(item), *wt = gpcov_trim(colon + 1), *end = NULL;
        double u, w;
        if (!strcasecmp(ub, "inf"))
            u = INFINITY;
        else {
            errno = 0;
            u = strtod(ub, &end);
            if (!*ub || *end || errno || !isfinite(u))
                return gpcov_err(ctx, GPCOV_EUSAGE, "--steps '%s': step %zu: upper bound '%s' "
                                 "is not a number of minutes or inf", text, n + 1, ub);
        }
        errno = 0;
        w = strtod(wt, &end);
        if (!*wt || *end || errno)
            return gpcov_err(ctx, GPCOV_EUSAGE, "--steps '%s': step %zu: weight '%s' is not a "
                             "number", text, n + 1, wt);
        d->upper[n] = u;
        d->weight[n] = w;
        n++;
        p = comma ? comma + 1 : p + len;
        if (comma && !*p)
            return gpcov_err(ctx, GPCOV_EUSAGE, "--steps '%s': a step is missing after the "
                             "last comma", text);
    }
    d->nsteps = n;
    struct gpcov_access_decay c = *d;
    c.method = GPCOV_ACCESS_STEP;
    gpcov_status st = gpcov_access_decay_check(ctx, &c);
    if (st) {
        /* name the text as written */
        char m[GPCOV_MSG_MAX];
        snprintf(m, sizeof m, "%s", gpcov_ctx_message(ctx));
        const char *rest = strncmp(m, "--steps: ", 9) ? m : m + 9;
        return gpcov_err(ctx, st, "--steps '%s': %s", text, rest);
    }
    return GPCOV_OK;
}

double gpcov_access_weight(const struct gpcov_access_decay *d, double t)
{
    if (!(t >= 0) || isinf(t))
        return 0;
    switch (d->method) {
    case GPCOV_ACCESS_2SFCA: return t <= d->d0 ? 1 : 0;
    case GPCOV_ACCESS_GAUSSIAN: {
        if (t > d->d0)
            return 0;
        double q = t / d->d0, e = exp(-0.5);
        return (exp(-0.5 * q * q) - e) / (1 - e);
    }
    case GPCOV_ACCESS_E2SFCA:
    case GPCOV_ACCESS_STEP:
        for (size_t k = 0; k < d->nsteps; k++)
            if (t <= d->upper[k])
                return d->weight[k];
        return 0;
    }
    return 0;
}

double gpcov_access_reach(const struct gpcov_access_decay *d)
{
    if (!uses_steps(d->method))
        return d->d0;
    /* the last band with a positive weight */
    for (size_t k = d->nsteps; k-- > 0;)
        if (d->weight[k] > 0)
            return d->upper[k];
    return 0;
}

void gpcov_access_decay_describe(const struct gpcov_access_decay *d, char *out, size_t outsz)
{
    switch (d->method) {
    case GPCOV_ACCESS_2SFCA:
        snprintf(out, outsz, "2SFCA: weight 1 up to %g min, 0 beyond", d->d0);
        return;
    case GPCOV_ACCESS_GAUSSIAN:
        snprintf(out, outsz, "Gaussian 2SFCA: weight (exp(-(t/%g)^2/2) - exp(-1/2)) / "
                 "(1 - exp(-1/2)) up to %g min, 0 beyond", d->d0, d->d0);
        return;
    case GPCOV_ACCESS_E2SFCA:
    case GPCOV_ACCESS_STEP: break;
    }
    size_t used = (size_t)snprintf(out, outsz, "%s: weight",
                                   d->method == GPCOV_ACCESS_E2SFCA ? "E2SFCA" : "step decay");
    for (size_t k = 0; k < d->nsteps && used < outsz; k++) {
        if (isinf(d->upper[k]))
            used += (size_t)snprintf(out + used, outsz - used, "%s %g beyond %g min",
                                     k ? "," : "", d->weight[k], k ? d->upper[k - 1] : 0);
        else
            used += (size_t)snprintf(out + used, outsz - used, "%s %g up to %g min",
                                     k ? "," : "", d->weight[k], d->upper[k]);
    }
    if (used < outsz && d->nsteps && !isinf(d->upper[d->nsteps - 1]))
        snprintf(out + used, outsz - used, ", 0 beyond");
}

/* ---------------------------------------------------- matrix core */

gpcov_status gpcov_access_matrix(gpcov_ctx *ctx, const struct gpcov_access_decay *d,
                                 size_t ndemand, const double *pop, size_t nsupply,
                                 const double *capacity, const float *minutes,
                                 int drop_unreachable, double *ratio, double *demand,
                                 double *access)
{
    gpcov_status st = gpcov_access_decay_check(ctx, d);
    if (st)
        return st;
    for (size_t i = 0; i < ndemand; i++) {
        if (!(pop[i] >= 0) || isinf(pop[i]))
            return gpcov_err(ctx, GPCOV_EINPUT, "demand %zu: population %g is not a number "
                             ">= 0", i + 1, pop[i]);
        access[i] = 0;
    }
    for (size_t j = 0; j < nsupply; j++) {
        if (!(capacity[j] >= 0) || isinf(capacity[j]))
            return gpcov_err(ctx, GPCOV_EINPUT, "supply %zu: capacity %g is not a number >= 0",
                             j + 1, capacity[j]);
        double dj = 0;
        for (size_t i = 0; i < ndemand; i++)
            if (pop[i] > 0)
                dj += pop[i] * gpcov_access_weight(d, minutes[j * ndemand + i]);
        if (demand)
            demand[j] = dj;
        if (!(dj > 0)) {
            if (!drop_unreachable)
                return gpcov_err(ctx, GPCOV_EINPUT, "supply %zu: no demand within reach",
                                 j + 1);
            ratio[j] = NAN;
            continue;
        }
        ratio[j] = capacity[j] / dj;
    }
    for (size_t j = 0; j < nsupply; j++) {
        if (isnan(ratio[j]) || ratio[j] == 0)
            continue;
        for (size_t i = 0; i < ndemand; i++)
            access[i] += ratio[j] * gpcov_access_weight(d, minutes[j * ndemand + i]);
    }
    return GPCOV_OK;
}

/* -------------------------------------------------------- scenarios */

static const struct gpcov_access_scenario scenarios[] = {
    {"training", "training/hoveduddannelse_almen_medicin_2021.csv", "posts_dimensioned",
     "region_posts_dimensioned", "region_code", "town", GPCOV_ACCESS_STEP,
     "60:0.95,120:0.36,inf:0.11",
     "scenario training: supply = training posts in general medicine (hoveduddannelse i "
     "almen medicin) dimensioned for 2021, one point per training area's anchor town (VIVE "
     "2023, section 3.2.3); where a region publishes only its total (Region Sjælland 70, "
     "Region Hovedstaden 84) the total is shared equally among its listed towns. Decay = "
     "commute tolerance of young doctors for the right training post (Lægeforeningen "
     "survey 2025, n = 1,854: 59 % accept up to one hour each way, 25 % up to two hours, "
     "11 % would move temporarily), as the share who would still take a post that far: "
     "0.95 up to 60 min (59 + 25 + 11 %: all three groups), 0.36 from 60 to 120 min "
     "(25 + 11 %: those accepting two hours, and those who would move), 0.11 beyond "
     "(11 %: only those who would move)."},
};

const struct gpcov_access_scenario *gpcov_access_scenario_find(const char *name)
{
    for (size_t k = 0; name && k < sizeof scenarios / sizeof *scenarios; k++)
        if (!strcasecmp(name, scenarios[k].name))
            return &scenarios[k];
    return NULL;
}

/* ---------------------------------------------------------- helpers */

void gpcov_access_result_clear(struct gpcov_access_result *r)
{
    if (!r)
        return;
    CSLDestroy(r->notes);
    memset(r, 0, sizeof *r);
}

static void note(struct gpcov_access_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(struct gpcov_access_result *r, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r->notes = CSLAddString(r->notes, buf);
}

/* The field list of a layer, for messages. */
static void field_list(const struct gpcov_layer *l, char *out, size_t n)
{
    size_t used = 0;
    out[0] = 0;
    for (size_t k = 0; k < l->nfields && used + 70 < n; k++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", k ? ", " : "", l->fields[k].name);
    if (!l->nfields)
        snprintf(out, n, "none");
}

/* A value as text into buf ("" when null). */
static const char *value_text(const struct gpcov_layer *l, size_t i, int f, char *buf, size_t n)
{
    const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
    if (v->null)
        snprintf(buf, n, "%s", "");
    else if (l->fields[f].type == GPCOV_STR)
        snprintf(buf, n, "%s", v->str ? v->str : "");
    else
        snprintf(buf, n, "%.15g", v->num);
    return buf;
}

/* A number from a field: 0 and *out; 1 when empty; -1 when not a number. */
static int value_number(const struct gpcov_layer *l, size_t i, int f, double *out)
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

/* ------------------------------------------------------------ supply */

struct supply {
    struct gpcov_layer *l;
    double *cap;
    char **cap_note; /* per supply: how its capacity was set, or NULL */
};

static void supply_free(gpcov_ctx *ctx, struct supply *s)
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
    field_list(l, list, sizeof list);
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
                 tt->source_id, value_text(l, j, C->fid, idb, sizeof idb));
    else
        snprintf(label, sizeof label, "%s: feature %zu", tt->sources, j + 1);
    double *cap = &C->s->cap[j];
    int r = value_number(l, j, C->fc, cap);
    if (r < 0)
        return gpcov_err(C->ctx, GPCOV_EINPUT, "%s: capacity %s '%s' is not a number", label,
                         o->capacity_field, value_text(l, j, C->fc, raw, sizeof raw));
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
        if (strcmp(value_text(l, k, C->fg, g2, sizeof g2), grp))
            continue;
        if (!C->empty[k]) {
            *given += C->s->cap[k];
        } else {
            (*k_empty)++;
            if (C->fid >= 0 && strlen(ids) < 500) {
                char idb[200];
                snprintf(ids + strlen(ids), idsz - strlen(ids), "%s%s", *k_empty > 1 ? ", " : "",
                         value_text(l, k, C->fid, idb, sizeof idb));
            }
        }
        double t;
        int r = value_number(l, k, C->ft, &t);
        if (r != 0 || t < 0)
            return gpcov_err(C->ctx, GPCOV_EINPUT, "%s: feature %zu: %s '%s' (the total shared "
                             "among empty %s in %s '%s') is not a number >= 0", src, k + 1,
                             o->capacity_total, value_text(l, k, C->ft, tb, sizeof tb),
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
    value_text(l, j, C->fg, grp, sizeof grp);
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
    note(C->res, "%s: %s%s%s%s", src, nb, ids[0] ? " (" : "", ids, ids[0] ? ")" : "");
    for (size_t k = 0; k < l->n; k++) {
        char g2[200];
        if (!C->empty[k] || strcmp(value_text(l, k, C->fg, g2, sizeof g2), grp))
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
static gpcov_status read_supply(gpcov_ctx *ctx, const struct gpcov_access_opts *o,
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

/* ------------------------------------------------------------ demand */


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
    field_list(l, list, sizeof list);
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
        int r = value_number(l, k, f, &p);
        if (r == 1)
            continue;
        if (r < 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: population '%s' is not a number",
                           o->demand, k + 1, value_text(l, k, f, raw, sizeof raw));
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

/* ------------------------------------------------------------- cache */

struct centry {
    uint32_t cell;
    float t;
};

struct cache {
    struct centry *e;
    size_t n, cap, max;  /* entries held, allocated, allowed             */
    size_t *first, *len; /* per supply; len = SIZE_MAX: not kept         */
};

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

/* ----------------------------------------------------------- outputs */

struct out {
    const char *dst;
    const char *tmp; /* a raster's temporary in the run's output set */
};

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
           !strcmp(ext, "gpkg") || !strcmp(ext, "csv") || !strcmp(ext, "shp");
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
                             ".gpkg, .csv, .shp or PG:... tables=NAME)", vn[k], v[k]);
    }
    const char *all[4] = {o->output, o->reciprocal, o->supply_output, o->units_output};
    for (int a = 0; a < 4; a++)
        for (int b = a + 1; b < 4; b++)
            if (all[a] && all[b] && !strcmp(all[a], all[b]))
                return gpcov_err(ctx, GPCOV_EUSAGE, "%s: given for two outputs", all[a]);
    return GPCOV_OK;
}

/* ------------------------------------------------------------- driver */

struct run {
    gpcov_ctx *ctx;
    const struct gpcov_access_opts *o;
    struct gpcov_access_result *res;
    struct supply S;
    gpcov_ttmodel *m;
    const struct gpcov_grid *g;
    size_t n, ns;
    uint32_t *popcells; /* cells with people, ascending                 */
    double *popv;       /* and their people                             */
    uint8_t *popbit;    /* one bit per cell: has people                 */
    size_t npop;
    float *t;           /* one supply's minutes                         */
    double *acc;        /* A_i                                          */
    double *demand, *reached, *ratio; /* D_j, people within reach, R_j  */
    int need_all;       /* A is wanted in every cell (rasters)          */
    struct cache c;
    struct gpcov_layer *units; /* keyed, sorted; or NULL                */
    int32_t *uidx;      /* 1 + unit of each cell, 0: none               */
    char desc[700], model[1200], model_da[1200];
    char **md;          /* metadata of every output                     */
    struct out outs[4]; /* output, reciprocal, supply, units            */
    gpcov_outset *set;  /* all four, or none (outset.c)                 */
    struct gpcov_traveltime_opts tt; /* the model's options: no outputs */
};

static void run_free(struct run *R)
{
    supply_free(R->ctx, &R->S);
    gpcov_ttmodel_free(R->m);
    free(R->popcells), free(R->popv), free(R->popbit), free(R->t), free(R->acc);
    free(R->demand), free(R->reached), free(R->ratio);
    free(R->c.e), free(R->c.first), free(R->c.len);
    gpcov_layer_free(R->ctx, R->units);
    free(R->uidx);
    CSLDestroy(R->md);
    gpcov_outset_free(R->set); /* what was not committed */
}

static double run_limit(const struct run *R)
{
    double reach = gpcov_access_reach(&R->o->decay);
    return isinf(reach) ? 0 : reach;
}

/* Step 1: per supply, the demand it reaches (D_j, weighted, and the people
** within reach); the cells with a weight go to the cache while it has room. */
static gpcov_status step1(struct run *R)
{
    const struct gpcov_access_decay *d = &R->o->decay;
    for (size_t j = 0; j < R->ns; j++) {
        gpcov_status st = gpcov_progress(R->ctx, (double)j / (2.0 * (double)R->ns),
                                         "access: demand reached");
        if (st || (st = gpcov_ttmodel_run(R->ctx, R->m, (long)j, run_limit(R), R->t, NULL)))
            return st;
        R->res->runs++;
        double dj = 0, pj = 0;
        for (size_t k = 0; k < R->npop; k++) {
            double w = gpcov_access_weight(d, R->t[R->popcells[k]]);
            if (w > 0) {
                dj += R->popv[k] * w;
                pj += R->popv[k];
            }
        }
        R->demand[j] = dj;
        R->reached[j] = pj;
        R->c.len[j] = SIZE_MAX;
        if (!R->c.max)
            continue;
        size_t start = R->c.n, cnt = 0;
        int fits = 1;
        size_t ncand = R->need_all ? R->n : R->npop;
        for (size_t k = 0; k < ncand; k++) {
            size_t i = R->need_all ? k : R->popcells[k];
            if (!(gpcov_access_weight(d, R->t[i]) > 0))
                continue;
            if (cache_reserve(&R->c, start + cnt + 1)) {
                fits = 0;
                break;
            }
            R->c.e[start + cnt].cell = (uint32_t)i;
            R->c.e[start + cnt].t = R->t[i];
            cnt++;
        }
        if (fits) {
            R->c.first[j] = start;
            R->c.len[j] = cnt;
            R->c.n = start + cnt;
        }
    }
    return GPCOV_OK;
}

/* Step 2: A_i = sum_j R_j f(t_ij), from the cache or by running again. */
static gpcov_status step2(struct run *R)
{
    const struct gpcov_access_decay *d = &R->o->decay;
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
        if ((st = gpcov_ttmodel_run(R->ctx, R->m, (long)j, run_limit(R), R->t, NULL)))
            return st;
        R->res->runs++;
        size_t cnt = R->need_all ? R->n : R->npop;
        for (size_t k = 0; k < cnt; k++) {
            size_t i = R->need_all ? k : R->popcells[k];
            double w = gpcov_access_weight(d, R->t[i]);
            if (w > 0)
                R->acc[i] += rj * w;
        }
    }
    return gpcov_progress(R->ctx, 1, "access: scores");
}

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
static void make_metadata(struct run *R)
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

static gpcov_status layer_meta(gpcov_ctx *ctx, struct gpcov_layer *l, char **md)
{
    gpcov_status st = GPCOV_OK;
    for (char **p = md; p && *p && !st; p++) {
        const char *eq = strchr(*p, '=');
        char key[64];
        if (!eq)
            continue;
        snprintf(key, sizeof key, "%.*s", (int)(eq - *p), *p);
        st = gpcov_layer_set_meta(ctx, l, key, eq + 1);
    }
    return st;
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
                                 value_text(R->units, k, fname, nb, sizeof nb));
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
    const char *names[UNF] = {o->units_key, "name", "population", "access", "pop_per_capacity",
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
        st = layer_meta(ctx, l, R->md);
    return st;
}

/* One feature per unit: population, mean access weighted by population,
** its reciprocal, the share of people with a supply within reach. */
static gpcov_status units_layer(struct run *R, struct gpcov_layer **out)
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
            note(R->res, "%s: %.15g people lie in cells that touch no unit of %s and are left "
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
static gpcov_status supply_layer(struct run *R, struct gpcov_layer **out)
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
        st = layer_meta(ctx, l, R->md);
    if (st)
        gpcov_layer_free(ctx, l);
    else
        *out = l;
    return st;
}

/* Every output to its temporary name (taken before any work, so that an
** output that cannot be written stops the run early), then all renamed
** into place. */
static gpcov_status write_outputs(struct run *R, struct gpcov_layer *sl, struct gpcov_layer *ul)
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

/* The demand in the model's grid, kept for the cells that hold people
** only (a national 100 m grid has 16 million cells, few of them lived in). */
static gpcov_status load_demand(struct run *R)
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
        note(R->res, "%s: %.15g people lie outside the grid and are left out", o->demand,
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

static gpcov_status load_units(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_access_opts *o = R->o;
    struct gpcov_read_opts ro = {.key_field = o->units_key};
    gpcov_status st = gpcov_layer_read(ctx, o->units, &ro, &R->units);
    if (st)
        return st;
    if (o->units_name && gpcov_layer_field(R->units, o->units_name) < 0) {
        char list[600];
        field_list(R->units, list, sizeof list);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (--units-name; fields: %s)",
                         o->units, o->units_name, list);
    }
    gpcov_layer_sort(R->units);
    if (!(R->uidx = calloc(R->n, sizeof *R->uidx)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return units_cells(ctx, R->units, R->g, R->uidx);
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
    if (!R->t || !R->acc || !R->demand || !R->reached || !R->ratio || !R->c.first || !R->c.len)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory for %d x %d cells", R->g->nx,
                         R->g->ny);
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
        note(res, "%s: no demand within reach; dropped (its capacity %g is left out)", lab,
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
    make_metadata(R);
    if ((!R->units || !(st = units_layer(R, &ul))) &&
        (!R->o->supply_output || !(st = supply_layer(R, &sl))))
        st = write_outputs(R, sl, ul);
    gpcov_layer_free(R->ctx, sl);
    gpcov_layer_free(R->ctx, ul);
    return st;
}

/* The run's phases in order. */
static gpcov_status run(struct run *R)
{
    const struct gpcov_access_opts *o = R->o;
    gpcov_status st;
    if ((st = run_outputs(R)) || (st = read_supply(R->ctx, o, &R->S, R->res)) ||
        (st = run_model(R)) || (st = load_demand(R)) || (o->units && (st = load_units(R))) ||
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
