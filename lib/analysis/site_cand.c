/*
** site_cand.c: the sites of a `gpcov site` run.  The candidates are
** points read by the one practice reader (practices.c: ids, names, any
** point layer or table with coordinates), or the centres of the cells of
** a grid of --candidate-grid metres over the extent that hold demand;
** either kept only inside the polygons of a mask (optionally those where
** a condition holds).  The existing sites, always open, come after them.
** For the capacity objective each site takes its GP capacities x the
** norm (a site with no capacity is excluded with its reason, never taken
** as 0).  The points go to the travel model as its sources through a CSV
** in GDAL's memory, so the model and the outputs see the same sites in
** the same order.
*/
#include "gpcov.h"
#include "siterun_internal.h"
#include "travel/traveltime_internal.h"

#include <cpl_vsi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void gpcov_site_sites_free(struct site_pts *S)
{
    for (size_t j = 0; j < S->n; j++) {
        free(S->id ? S->id[j] : NULL), free(S->name ? S->name[j] : NULL);
        free(S->reason ? S->reason[j] : NULL);
    }
    free(S->id), free(S->name), free(S->x), free(S->y), free(S->people), free(S->reason);
    if (S->vsi[0])
        VSIUnlink(S->vsi);
    memset(S, 0, sizeof *S);
}

/* Room for n more sites. */
static gpcov_status grow(gpcov_ctx *ctx, struct site_pts *S, size_t n)
{
    size_t m = S->n + n ? S->n + n : 1;
    char **id = realloc(S->id, m * sizeof *id), **name = id ? realloc(S->name, m * sizeof *name)
                                                             : NULL;
    if (id)
        S->id = id;
    if (name)
        S->name = name;
    double *x = realloc(S->x, m * sizeof *x), *y = x ? realloc(S->y, m * sizeof *y) : NULL;
    if (x)
        S->x = x;
    if (y)
        S->y = y;
    double *p = realloc(S->people, m * sizeof *p);
    if (p)
        S->people = p;
    char **r = realloc(S->reason, m * sizeof *r);
    if (r)
        S->reason = r;
    if (!id || !name || !x || !y || !p || !r)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* Appends one site; cap its GP capacities (NaN: none, reason says why). */
static gpcov_status add_site(struct srun *R, const char *id, const char *name, double x,
                             double y, double cap, const char *why)
{
    struct site_pts *S = &R->S;
    size_t j = S->n;
    S->id[j] = gpcov_strdup(id), S->name[j] = gpcov_strdup(name ? name : "");
    S->x[j] = x, S->y[j] = y;
    S->people[j] = isnan(cap) ? NAN : cap * R->norm;
    S->reason[j] = why ? gpcov_strdup(why) : NULL;
    S->n++;
    if (!S->id[j] || !S->name[j] || (why && !S->reason[j]))
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* The points of src (candidates or existing) with their capacities. */
static gpcov_status read_points(struct srun *R, const char *src, const char *id_field,
                                const char *name_field, const char *id_option,
                                struct gpcov_practices **out)
{
    const struct gpcov_site_run_opts *o = R->o;
    struct gpcov_practices_opts po = {.id_field = id_field, .name_field = name_field,
                                      .x_field = o->tt->x_field, .y_field = o->tt->y_field,
                                      .srs = o->tt->srs, .capacity_field = o->capacity_field,
                                      .open_field = NULL, .id_option = id_option};
    gpcov_status st = gpcov_practices_read(R->ctx, src, &po, out);
    if (st)
        return st;
    if ((*out)->n == 0)
        return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no points", src);
    if (o->objective == GPCOV_SITE_CAPACITY && !(o->capacity > 0) && !(*out)->cap_col[0])
        return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no column of GP capacities found (looked "
                         "for 'Antal kapaciteter', 'Kapaciteter', 'Kapacitet', 'capacity'; "
                         "give --capacity-field F or --capacity N)", src);
    return GPCOV_OK;
}

static gpcov_status add_points(struct srun *R, const struct gpcov_practices *ps,
                               const unsigned char *keep)
{
    gpcov_status st = grow(R->ctx, &R->S, ps->n);
    for (size_t j = 0; j < ps->n && !st; j++) {
        const struct gpcov_practice *p = &ps->p[j];
        if (keep && !keep[j])
            continue;
        double cap = R->o->capacity > 0 ? R->o->capacity : p->capacity;
        char why[300] = "";
        if (R->o->objective == GPCOV_SITE_CAPACITY && isnan(cap))
            snprintf(why, sizeof why, "udeladt: ingen kapacitet (%s tom)", ps->cap_col);
        st = add_site(R, p->id, p->name, p->x, p->y, cap, why[0] ? why : NULL);
    }
    return st;
}

/* The mask's polygons (those where the condition holds), prepared. */
struct mask {
    struct gpcov_layer *l;
    const GEOSPreparedGeometry **pg;
};

static void mask_free(gpcov_ctx *ctx, struct mask *M)
{
    for (size_t i = 0; M->pg && M->l && i < M->l->n; i++)
        if (M->pg[i])
            GEOSPreparedGeom_destroy_r(ctx->geos, M->pg[i]);
    free(M->pg);
    gpcov_layer_free(ctx, M->l);
}

static gpcov_status mask_read(struct srun *R, struct mask *M)
{
    const struct gpcov_site_run_opts *o = R->o;
    gpcov_status st = gpcov_layer_read(R->ctx, o->candidate_mask, NULL, &M->l);
    if (!st && o->candidate_where)
        st = gpcov_layer_select(R->ctx, M->l, o->candidate_where, o->candidate_mask, NULL);
    if (st)
        return st;
    if (!(M->pg = calloc(M->l->n ? M->l->n : 1, sizeof *M->pg)))
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < M->l->n; i++)
        if (M->l->geoms[i] && !(M->pg[i] = GEOSPrepare_r(R->ctx->geos, M->l->geoms[i])))
            return gpcov_err(R->ctx, GPCOV_EINTERNAL, "%s: feature %zu: %s",
                             o->candidate_mask, i + 1, gpcov_ctx_message(R->ctx));
    return GPCOV_OK;
}

static int mask_holds(gpcov_ctx *ctx, const struct mask *M, double x, double y)
{
    if (!M->l)
        return 1;
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(ctx->geos, x, y);
    int in = 0;
    for (size_t i = 0; pt && i < M->l->n && !in; i++)
        in = M->pg[i] && GEOSPreparedIntersects_r(ctx->geos, M->pg[i], pt) == 1;
    GEOSGeom_destroy_r(ctx->geos, pt);
    return in;
}

/* The candidate points, those inside the mask. */
static gpcov_status cand_points(struct srun *R, const struct mask *M)
{
    const struct gpcov_site_run_opts *o = R->o;
    struct gpcov_practices *ps = NULL;
    gpcov_status st = read_points(R, o->candidates, o->candidate_id, o->candidate_name,
                                  "--candidate-id", &ps);
    unsigned char *keep = st ? NULL : malloc(ps->n);
    if (!st && !keep)
        st = gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t j = 0; !st && j < ps->n; j++)
        keep[j] = (unsigned char)mask_holds(R->ctx, M, ps->p[j].x, ps->p[j].y);
    if (!st)
        st = add_points(R, ps, keep);
    if (!st && M->l)
        snprintf(R->S.what, sizeof R->S.what, "%s (%zu points, %zu inside the mask)",
                 o->candidates, ps->n, R->S.n);
    else if (!st)
        snprintf(R->S.what, sizeof R->S.what, "%s (%zu points)", o->candidates, ps->n);
    free(keep);
    gpcov_practices_free(ps);
    return st;
}

/* The centres of the grid's cells with demand, inside the mask. */
static gpcov_status cand_grid(struct srun *R, const struct mask *M)
{
    const struct gpcov_site_run_opts *o = R->o;
    struct gpcov_traveltime_opts t = *o->tt;
    struct gpcov_grid g;
    double *pop = NULL;
    t.resolution = o->candidate_grid;
    if (!t.extent)
        return gpcov_err(R->ctx, GPCOV_EUSAGE, "--candidate-grid needs --extent");
    gpcov_status st = gpcov_tt_grid(R->ctx, &t, NULL, &g);
    if (!st)
        st = gpcov_population_grid(R->ctx, o->demand, o->demand_field, &g, &pop, NULL);
    size_t n = st ? 0 : (size_t)g.nx * (size_t)g.ny, nd = 0;
    for (size_t i = 0; i < n; i++)
        nd += pop[i] > 0;
    if (!st)
        st = grow(R->ctx, &R->S, nd);
    for (size_t i = 0; i < n && !st; i++) {
        double x = g.gt[0] + ((double)(i % (size_t)g.nx) + 0.5) * g.gt[1];
        double y = g.gt[3] + ((double)(i / (size_t)g.nx) + 0.5) * g.gt[5];
        char id[64];
        snprintf(id, sizeof id, "r%zuc%zu", i / (size_t)g.nx, i % (size_t)g.nx);
        if (pop[i] > 0 && mask_holds(R->ctx, M, x, y))
            st = add_site(R, id, "", x, y, o->capacity > 0 ? o->capacity : NAN,
                          o->objective == GPCOV_SITE_CAPACITY && !(o->capacity > 0)
                              ? "udeladt: ingen kapacitet (--capacity ikke givet)" : NULL);
    }
    if (!st && M->l)
        snprintf(R->S.what, sizeof R->S.what, "the centres of the %g m cells with demand, "
                 "%zu of %zu inside the mask", o->candidate_grid, R->S.n, nd);
    else if (!st)
        snprintf(R->S.what, sizeof R->S.what, "the centres of the %zu %g m cells with demand",
                 nd, o->candidate_grid);
    free(pop);
    gpcov_grid_clear(&g);
    return st;
}

/* The sites as a CSV in memory (id, x, y), the model's sources. */
static gpcov_status sources_csv(gpcov_ctx *ctx, struct site_pts *S)
{
    static unsigned long runs;
    snprintf(S->vsi, sizeof S->vsi, "/vsimem/gpcov_site_%ld_%lu/sites.csv", (long)getpid(),
             ++runs);
    VSILFILE *f = VSIFOpenL(S->vsi, "wb");
    if (!f) {
        S->vsi[0] = '\0';
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot make the sites in memory");
    }
    VSIFPrintfL(f, "id,x,y\n");
    for (size_t j = 0; j < S->n; j++) {
        VSIFPrintfL(f, "\"");
        for (const char *c = S->id[j]; *c; c++)
            VSIFPrintfL(f, *c == '"' ? "\"\"" : "%c", *c);
        VSIFPrintfL(f, "\",%.17g,%.17g\n", S->x[j], S->y[j]);
    }
    VSIFCloseL(f);
    return GPCOV_OK;
}

void gpcov_site_sites_model(const struct site_pts *S, struct gpcov_traveltime_opts *tt)
{
    tt->sources = S->vsi, tt->source_layer = NULL, tt->source_id = "id";
    tt->x_field = "x", tt->y_field = "y", tt->srs = "EPSG:25832";
}

gpcov_status gpcov_site_read_sites(struct srun *R)
{
    const struct gpcov_site_run_opts *o = R->o;
    struct mask M = {NULL, NULL};
    gpcov_status st = o->candidate_mask ? mask_read(R, &M) : GPCOV_OK;
    if (!st)
        st = o->candidates ? cand_points(R, &M) : cand_grid(R, &M);
    mask_free(R->ctx, &M);
    if (st)
        return st;
    R->S.ncand = R->S.n;
    if (!R->S.ncand)
        return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no candidate left%s%s%s",
                         o->candidates ? o->candidates : "--candidate-grid",
                         o->candidate_mask ? " inside " : "",
                         o->candidate_mask ? o->candidate_mask : "",
                         o->candidate_where ? " where the condition holds" : "");
    if (o->k > R->S.ncand)
        return gpcov_err(R->ctx, GPCOV_EUSAGE, "--k %zu: only %zu candidates (%s)", o->k,
                         R->S.ncand, R->S.what);
    if (o->existing) {
        struct gpcov_practices *ps = NULL;
        st = read_points(R, o->existing, o->existing_id, o->existing_name, "--existing-id",
                         &ps);
        if (!st)
            st = add_points(R, ps, NULL);
        gpcov_practices_free(ps);
    }
    return st ? st : sources_csv(R->ctx, &R->S);
}
