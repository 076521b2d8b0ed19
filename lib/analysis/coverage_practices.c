/*
** coverage_practices.c: the practices of a coverage run, read by the one
** practice reader (practices.c: the SOR export, or any point layer or
** table), with their GP capacities (one number for all, a column named by
** --capacity-field, or the column found by name) and whether each is open
** to new patients (a column named or found; none: all open).  A practice
** whose capacity or open flag is empty is excluded with its reason, never
** taken as 0; a closed one takes no one.  The points go to the travel
** model as its sources through a CSV in GDAL's memory, in EPSG:25832, so
** the model and the outputs see the same practices in the same order.
*/
#include "gpcov.h"
#include "coverage_internal.h"

#include <cpl_vsi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void gpcov_cov_practices_free(gpcov_ctx *ctx, struct cov_practices *p)
{
    (void)ctx;
    if (p->ps && p->reason)
        for (size_t j = 0; j < p->ps->n; j++)
            free(p->reason[j]);
    free(p->reason), free(p->cap), free(p->people), free(p->open);
    if (p->vsi[0])
        VSIUnlink(p->vsi);
    gpcov_practices_free(p->ps);
    memset(p, 0, sizeof *p);
}

/* Practice j's capacities, open flag, people and reason. */
static gpcov_status one_practice(gpcov_ctx *ctx, const struct gpcov_coverage_opts *o,
                                 double norm, struct cov_practices *p, size_t j)
{
    const struct gpcov_practices *ps = p->ps;
    const struct gpcov_practice *q = &ps->p[j];
    char why[400] = "";
    p->cap[j] = o->capacity > 0 ? o->capacity : q->capacity;
    if (isnan(p->cap[j]))
        snprintf(why, sizeof why, "udeladt: ingen kapacitet (%s tom)", ps->cap_col);
    p->open[j] = ps->open_col[0] ? (int8_t)q->open : 1;
    if (p->open[j] == 0) {
        snprintf(why, sizeof why, "lukket for tilgang (%s)", ps->open_col);
        p->people[j] = 0; /* closed: takes no one, whatever its capacity */
    } else if (isnan(p->cap[j]) || p->open[j] == -1) {
        if (!why[0])
            snprintf(why, sizeof why, "udeladt: ukendt om åben for tilgang (%s tom)",
                     ps->open_col);
        p->people[j] = NAN;
    } else {
        p->people[j] = p->cap[j] * norm;
    }
    if (why[0] && !(p->reason[j] = gpcov_strdup(why)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* The practices as a CSV in memory (id, x, y), the model's sources. */
static gpcov_status sources_csv(gpcov_ctx *ctx, struct cov_practices *p)
{
    static unsigned long runs;
    snprintf(p->vsi, sizeof p->vsi, "/vsimem/gpcov_coverage_%ld_%lu/practices.csv",
             (long)getpid(), ++runs);
    VSILFILE *f = VSIFOpenL(p->vsi, "wb");
    if (!f) {
        p->vsi[0] = '\0';
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot make the practices in memory");
    }
    VSIFPrintfL(f, "id,x,y\n");
    for (size_t j = 0; j < p->ps->n; j++) {
        VSIFPrintfL(f, "\"");
        for (const char *c = p->ps->p[j].id; *c; c++)
            VSIFPrintfL(f, *c == '"' ? "\"\"" : "%c", *c);
        VSIFPrintfL(f, "\",%.17g,%.17g\n", p->ps->p[j].x, p->ps->p[j].y);
    }
    VSIFCloseL(f);
    return GPCOV_OK;
}

void gpcov_cov_practices_model(const struct cov_practices *p, struct gpcov_traveltime_opts *tt)
{
    tt->sources = p->vsi, tt->source_layer = NULL, tt->source_id = "id";
    tt->x_field = "x", tt->y_field = "y", tt->srs = "EPSG:25832";
}

gpcov_status gpcov_cov_read_practices(gpcov_ctx *ctx, const struct gpcov_coverage_opts *o,
                                      double norm, struct cov_practices *p)
{
    const struct gpcov_traveltime_opts *tt = o->tt;
    struct gpcov_practices_opts po = {.layer = tt->source_layer, .id_field = tt->source_id,
                                      .x_field = tt->x_field, .y_field = tt->y_field,
                                      .srs = tt->srs, .capacity_field = o->capacity_field,
                                      .open_field = o->open_field,
                                      .id_option = "--practice-id"};
    gpcov_status st = gpcov_practices_read(ctx, tt->sources, &po, &p->ps);
    if (st)
        return st;
    if (!(o->capacity > 0) && !p->ps->cap_col[0])
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no column of GP capacities found (looked for "
                         "'Antal kapaciteter', 'Kapaciteter', 'Kapacitet', 'capacity'; give "
                         "--capacity-field F or --capacity N)", tt->sources);
    size_t n = p->ps->n;
    p->cap = malloc(n * sizeof *p->cap);
    p->people = malloc(n * sizeof *p->people);
    p->open = malloc(n);
    p->reason = calloc(n, sizeof *p->reason);
    if (!p->cap || !p->people || !p->open || !p->reason)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t j = 0; j < n && !st; j++)
        st = one_practice(ctx, o, norm, p, j);
    return st ? st : sources_csv(ctx, p);
}
