/*
** access_decay.c: the distance decay of the 2SFCA family (2SFCA, E2SFCA,
** Gaussian, user steps): parsing, checking and describing a decay, the
** weight of a travel time and the reach beyond which it is zero, and the
** two steps on a full supply-by-demand matrix of minutes (the reference
** the tests hold the driver in access.c to).
*/
#include "gpcov.h"
#include "analysis_internal.h"

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
