/*
** population.c: municipal totals from Statistics Denmark spread over where
** people live.  The totals per municipality and group come from an overlay
** (overlay.c), the places from any point source (OpenStreetMap place nodes
** with a population tag, by default) or a weight raster.  Points share a
** total as whole people by the largest-remainder method, so every
** municipality sums exactly to its published total, and two runs give the
** same people in the same places.
*/
#include "analysis_internal.h"

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The group fields: every output of the overlay's sources. */
static char **group_names(const struct gpcov_overlay_spec *s)
{
    char **g = NULL;
    for (size_t i = 0; i < s->nsrc; i++)
        for (size_t k = 0; k < s->src[i].nout; k++)
            g = CSLAddString(g, s->src[i].out[k].name);
    return g;
}

struct shares {
    size_t j;      /* place index */
    double frac;   /* fractional remainder */
};

static int by_frac(const void *a, const void *b)
{
    const struct shares *x = a, *y = b;
    if (x->frac != y->frac)
        return x->frac > y->frac ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/* Shares `total` whole people among n places with weights w (sum W > 0)
** into out[n]: floor of the exact share, then one more each to the largest
** remainders, ties to the lower index. */
static int largest_remainder(long long total, const double *w, double W, size_t n, long long *out,
                             struct shares *tmp)
{
    long long given = 0;
    for (size_t k = 0; k < n; k++) {
        double exact = (double)total * w[k] / W;
        out[k] = (long long)floor(exact);
        tmp[k].j = k;
        tmp[k].frac = exact - floor(exact);
        given += out[k];
    }
    long long left = total - given;
    if (left < 0 || (size_t)left > n)
        return -1;
    qsort(tmp, n, sizeof *tmp, by_frac);
    for (long long k = 0; k < left; k++)
        out[tmp[k].j]++;
    return 0;
}

/* Whole-number total of group field f for municipality m, or -1 (null). */
static gpcov_status total_of(gpcov_ctx *ctx, const struct gpcov_layer *T, size_t m, int f,
                             long long *out)
{
    const struct gpcov_value *v = gpcov_layer_value(T, m, (size_t)f);
    *out = -1;
    if (v->null)
        return GPCOV_OK;
    if (v->str || v->num < 0 || v->num != floor(v->num) || v->num > 1e15)
        return gpcov_err(ctx, GPCOV_EINPUT, "group %s: total %s%g for %s is not a whole number of "
                         "people", T->fields[f].name, v->str ? "'" : "", v->str ? 0.0 : v->num,
                         T->keys[m]);
    *out = (long long)v->num;
    return GPCOV_OK;
}

/* The state of spreading totals over places: the totals T and their group
** fields, the places P with their municipality, filter and weight, the
** places of each municipality (CSR), and the output being built. */
struct run {
    gpcov_ctx *ctx;
    const struct gpcov_population_opts *o;
    struct gpcov_layer *T, *P, *out;
    char **groups;
    int ng, *gf, *of;             /* group fields in T and in out */
    gpcov_expr *where, *demand;
    char *dname;                  /* the demand field's name */
    long *poly_of;                /* each place's municipality, <0 none */
    unsigned char *filtered;      /* places --places-where set aside */
    double *w, *wk;               /* weights; those of one municipality */
    long long *share;
    struct shares *tmp;
    size_t *members, *first;      /* places of municipality m: members[first[m]..first[m+1]) */
    size_t dropped, fallback, synthetic;
    int fk, fnm, fw, fs, fd, name_in; /* output fields; the places' name */
};

static gpcov_status oom(gpcov_ctx *ctx)
{
    return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
}

/* The group fields, the place filter and the demand expression. */
static gpcov_status points_parse(struct run *r)
{
    gpcov_ctx *ctx = r->ctx;
    const struct gpcov_population_opts *o = r->o;
    gpcov_status st;
    r->ng = CSLCount(r->groups);
    r->gf = calloc((size_t)(r->ng ? r->ng : 1), sizeof *r->gf);
    r->of = calloc((size_t)(r->ng ? r->ng : 1), sizeof *r->of);
    if (!r->gf || !r->of)
        return oom(ctx);
    for (int g = 0; g < r->ng; g++)
        r->gf[g] = gpcov_layer_field(r->T, r->groups[g]);
    if (o->places_where && (st = gpcov_expr_parse(ctx, o->places_where, &r->where)))
        return st;
    /* by default, with totals pop and pop80: citizens over 80 weigh 2.5, as
    ** they see their GP about 2.5 times as often; "none" or "" turns it off */
    const char *dem = o->demand;
    if (!dem && CSLFindString(r->groups, "pop") >= 0 && CSLFindString(r->groups, "pop80") >= 0)
        dem = GPCOV_DEFAULT_DEMAND;
    if (dem && (!*dem || !strcmp(dem, "none")))
        dem = NULL;
    if (!dem)
        return GPCOV_OK;
    const char *eq = strchr(dem, '=');
    if (!eq || eq == dem)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--demand '%s': expected NAME=EXPRESSION", dem);
    r->dname = gpcov_strndup(dem, (size_t)(eq - dem));
    gpcov_trim(r->dname);
    if ((st = gpcov_expr_parse(ctx, eq + 1, &r->demand)))
        return st;
    for (size_t k = 0; k < gpcov_expr_nnames(r->demand); k++)
        if (CSLFindString(r->groups, gpcov_expr_name(r->demand, k)) < 0)
            return gpcov_err(ctx, GPCOV_EUSAGE, "--demand: '%s' is not a group (groups: %s)",
                             gpcov_expr_name(r->demand, k),
                             CSLCount(r->groups) ? r->groups[0] : "none");
    return GPCOV_OK;
}

/* Place j through the --places-where filter: filtered[j] set when it fails. */
static gpcov_status points_filter(struct run *r, size_t j)
{
    struct gpcov_value v;
    struct gpcov_feature pl = {r->P, j};
    gpcov_status st = gpcov_expr_eval(r->ctx, r->where, gpcov_layer_lookup, &pl, &v);
    if (st) {
        char m[GPCOV_MSG_MAX];
        snprintf(m, sizeof m, "%s", gpcov_ctx_message(r->ctx));
        return gpcov_err(r->ctx, st, "%s: feature %zu: %s", r->o->places, j + 1, m);
    }
    int keep = !v.null && (v.str ? v.str[0] != 0 : v.num != 0);
    free(v.str);
    r->filtered[j] = !keep; /* kept aside, for municipalities with no other place */
    return GPCOV_OK;
}

/* The weight of place j from field wfi into w[j]. */
static gpcov_status points_weight(struct run *r, size_t j, int wfi)
{
    const struct gpcov_value *v = gpcov_layer_value(r->P, j, (size_t)wfi);
    double d = v->num;
    if (v->null)
        d = 0;
    else if (v->str && gpcov_parse_number(v->str, &d) != 0)
        return gpcov_err(r->ctx, GPCOV_EINPUT, "%s: feature %zu: weight '%s' is not a number",
                         r->o->places, j + 1, v->str);
    if (d < 0)
        return gpcov_err(r->ctx, GPCOV_EINPUT, "%s: feature %zu: weight %g is negative",
                         r->o->places, j + 1, d);
    r->w[j] = d;
    return GPCOV_OK;
}

/* The places: read, each in its municipality, filtered and weighed. */
static gpcov_status points_read(struct run *r)
{
    gpcov_ctx *ctx = r->ctx;
    const struct gpcov_population_opts *o = r->o;
    gpcov_status st;
    if ((st = gpcov_layer_read(ctx, o->places, NULL, &r->P)))
        return st;
    const char *wf = o->places_weight ? o->places_weight : "population";
    int wfi = *wf ? gpcov_layer_field(r->P, wf) : -1;
    if (*wf && wfi < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no weight field '%s'", o->places, wf);
    size_t np = r->P->n;
    r->poly_of = malloc((np ? np : 1) * sizeof *r->poly_of);
    r->filtered = calloc(np ? np : 1, 1);
    r->w = calloc(np ? np : 1, sizeof *r->w);
    if (!r->poly_of || !r->filtered || !r->w)
        return oom(ctx);
    if ((st = gpcov_points_in_polygons(ctx, r->T, r->P, o->snap > 0 ? o->snap : 1000,
                                       r->poly_of)))
        return st;
    for (size_t j = 0; j < np; j++) {
        if (r->where && (st = points_filter(r, j)))
            return st;
        if (r->poly_of[j] < 0) {
            r->dropped++;
            continue;
        }
        r->w[j] = 1;
        if (wfi >= 0 && (st = points_weight(r, j, wfi)))
            return st;
    }
    return GPCOV_OK;
}

/* The places of each municipality, in file order (CSR). */
static gpcov_status points_members(struct run *r)
{
    size_t np = r->P->n, nm = r->T->n;
    long *poly_of = r->poly_of;
    r->first = calloc(nm + 1, sizeof *r->first);
    r->members = malloc((np ? np : 1) * sizeof *r->members);
    if (!r->first || !r->members)
        return oom(r->ctx);
    /* a municipality whose places were all filtered out (the capital's
    ** suburbs, with OSM places) uses those rather than nothing */
    unsigned char *has = calloc(nm ? nm : 1, 1);
    if (!has)
        return oom(r->ctx);
    for (size_t j = 0; j < np; j++)
        if (poly_of[j] >= 0 && r->w[j] > 0 && !r->filtered[j])
            has[poly_of[j]] = 1;
    for (size_t j = 0; j < np; j++) {
        if (poly_of[j] < 0 || r->w[j] <= 0)
            continue;
        if (r->filtered[j] && has[poly_of[j]]) {
            poly_of[j] = -2; /* filtered out */
            continue;
        }
        if (r->filtered[j] && has[poly_of[j]] != 2) {
            has[poly_of[j]] = 2;
            r->fallback++;
        }
        r->first[poly_of[j] + 1]++;
    }
    free(has);
    for (size_t m = 0; m < nm; m++)
        r->first[m + 1] += r->first[m];
    size_t *fill = malloc((nm ? nm : 1) * sizeof *fill);
    if (!fill)
        return oom(r->ctx);
    memcpy(fill, r->first, nm * sizeof *fill);
    for (size_t j = 0; j < np; j++)
        if (poly_of[j] >= 0 && r->w[j] > 0)
            r->members[fill[poly_of[j]]++] = j;
    free(fill);
    return GPCOV_OK;
}

/* The output: one point per place used, plus one per empty municipality. */
static gpcov_status points_output(struct run *r)
{
    gpcov_ctx *ctx = r->ctx;
    struct gpcov_layer *out = r->out = gpcov_layer_new("population");
    r->fk = out ? gpcov_layer_add_field(ctx, out, GPCOV_KEY_FIELD, GPCOV_STR) : -1;
    r->fnm = out ? gpcov_layer_add_field(ctx, out, "place", GPCOV_STR) : -1;
    r->fw = out ? gpcov_layer_add_field(ctx, out, "weight", GPCOV_REAL) : -1;
    r->fs = out ? gpcov_layer_add_field(ctx, out, "synthetic", GPCOV_BOOL) : -1;
    if (r->fk < 0 || r->fnm < 0 || r->fw < 0 || r->fs < 0)
        return GPCOV_ENOMEM;
    for (int g = 0; g < r->ng; g++)
        if ((r->of[g] = gpcov_layer_add_field(ctx, out, r->groups[g], GPCOV_INT)) < 0)
            return GPCOV_EUSAGE;
    r->fd = r->dname ? gpcov_layer_add_field(ctx, out, r->dname, GPCOV_REAL) : -1;
    if (r->dname && r->fd < 0)
        return GPCOV_EUSAGE;
    r->name_in = gpcov_layer_field(r->P, "name");
    size_t np = r->P->n;
    r->wk = malloc((np ? np : 1) * sizeof *r->wk);
    r->share = malloc((np ? np : 1) * sizeof *r->share);
    r->tmp = malloc((np ? np : 1) * sizeof *r->tmp);
    if (!r->wk || !r->share || !r->tmp)
        return oom(ctx);
    return GPCOV_OK;
}

/* The points of municipality m appended to the output, their weights in
** wk; *n and *W their count and total weight (one synthetic point on the
** surface, weight 1, when it has no place). */
static gpcov_status points_place(struct run *r, size_t m, size_t *n, double *W)
{
    gpcov_ctx *ctx = r->ctx;
    GEOSContextHandle_t h = ctx->geos;
    struct gpcov_layer *T = r->T, *P = r->P, *out = r->out;
    const size_t *members = r->members + r->first[m];
    *n = r->first[m + 1] - r->first[m];
    *W = 0;
    for (size_t k = 0; k < *n; k++)
        *W += (r->wk[k] = r->w[members[k]]);
    if (*n == 0 || *W <= 0) {
        /* nowhere to put them: the municipality's point on surface */
        GEOSGeometry *c = T->geoms[m] ? GEOSPointOnSurface_r(h, T->geoms[m]) : NULL;
        long i = gpcov_layer_append(ctx, out, T->keys[m], c);
        if (i < 0)
            return GPCOV_ENOMEM;
        gpcov_layer_set_str(ctx, out, (size_t)i, (size_t)r->fnm, "(no place: point on surface)");
        gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)r->fw, 0);
        gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)r->fs, 1);
        r->synthetic++;
        *n = 1;
        r->wk[0] = *W = 1;
        return GPCOV_OK;
    }
    for (size_t k = 0; k < *n; k++) {
        size_t j = members[k];
        GEOSGeometry *c = GEOSGeom_clone_r(h, P->geoms[j]);
        long i = gpcov_layer_append(ctx, out, T->keys[m], c);
        if (i < 0)
            return GPCOV_ENOMEM;
        const struct gpcov_value *nv =
            r->name_in >= 0 ? gpcov_layer_value(P, j, (size_t)r->name_in) : NULL;
        gpcov_layer_set_str(ctx, out, (size_t)i, (size_t)r->fnm,
                            nv && !nv->null && nv->str ? nv->str : "");
        gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)r->fw, r->w[j]);
        gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)r->fs, 0);
    }
    return GPCOV_OK;
}

/* Municipality m's points, its totals shared among them and their demand. */
static gpcov_status points_spread(struct run *r, size_t m)
{
    gpcov_ctx *ctx = r->ctx;
    struct gpcov_layer *T = r->T, *out = r->out;
    size_t n, base = out->n;
    double W;
    gpcov_status st = points_place(r, m, &n, &W);
    if (st)
        return st;
    for (size_t k = 0; k < n; k++)
        gpcov_layer_set_str(ctx, out, base + k, (size_t)r->fk, T->keys[m]);
    for (int g = 0; g < r->ng; g++) {
        long long total;
        if ((st = total_of(ctx, T, m, r->gf[g], &total)))
            return st;
        if (total < 0)
            continue; /* no total: the points stay empty for this group */
        if (largest_remainder(total, r->wk, W, n, r->share, r->tmp))
            return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot share %lld people in %s", total,
                             T->keys[m]);
        for (size_t k = 0; k < n; k++)
            gpcov_layer_set_num(ctx, out, base + k, (size_t)r->of[g], (double)r->share[k]);
    }
    for (size_t k = 0; r->demand && k < n; k++) {
        struct gpcov_feature pl = {out, base + k};
        struct gpcov_value v;
        if ((st = gpcov_expr_eval(ctx, r->demand, gpcov_layer_lookup, &pl, &v)))
            return st;
        if (v.null || v.str)
            gpcov_layer_set_null(out, base + k, (size_t)r->fd);
        else
            gpcov_layer_set_num(ctx, out, base + k, (size_t)r->fd, v.num);
        free(v.str);
    }
    return GPCOV_OK;
}

/* The output written, with a note of what was used. */
static gpcov_status points_write(struct run *r)
{
    gpcov_ctx *ctx = r->ctx;
    struct gpcov_layer *out = r->out;
    char note[300];
    snprintf(note, sizeof note, "%zu places used, %zu outside every polygon; %zu municipalities "
             "with only filtered-out places used those; %zu without a place (one point on surface "
             "each)", out->n - r->synthetic, r->dropped, r->fallback, r->synthetic);
    gpcov_layer_set_meta(ctx, out, "GPCOV_POPULATION", note);
    gpcov_layer_set_meta(ctx, out, "GPCOV_PLACES", r->o->places);
    struct gpcov_write_opts wo = {.overwrite = r->o->overwrite};
    gpcov_status st = gpcov_layer_write(ctx, out, r->o->output, &wo);
    double people = 0;
    for (size_t k = 0; !st && k < out->n; k++) {
        const struct gpcov_value *v = gpcov_layer_value(out, k, (size_t)r->of[0]);
        people += v && !v->null ? v->num : 0;
    }
    if (!st)
        gpcov_summary(ctx, "%.0f people (%s) of %zu municipalities spread over %zu places "
                      "(%zu outside every polygon left out; %zu municipalities without a place, "
                      "at one point each)", people, r->groups[0], r->T->n, out->n - r->synthetic,
                      r->dropped, r->synthetic);
    return st;
}

static gpcov_status spread_points(gpcov_ctx *ctx, const struct gpcov_population_opts *o,
                                  struct gpcov_layer *T, char **groups)
{
    struct run r = {.ctx = ctx, .o = o, .T = T, .groups = groups};
    gpcov_status st = points_parse(&r);
    if (!st)
        st = points_read(&r);
    if (!st)
        st = points_members(&r);
    if (!st)
        st = points_output(&r);
    for (size_t m = 0; !st && m < T->n; m++)
        st = points_spread(&r, m);
    if (!st)
        st = points_write(&r);
    gpcov_expr_free(r.where);
    gpcov_expr_free(r.demand);
    free(r.dname);
    free(r.gf), free(r.of), free(r.poly_of), free(r.filtered), free(r.w), free(r.wk);
    free(r.share), free(r.tmp), free(r.first), free(r.members);
    gpcov_layer_free(ctx, r.P);
    gpcov_layer_free(ctx, r.out);
    return st;
}

/* The municipality index + 1 of every cell of grid g into owner[], by cell
** centre: the municipalities burnt into an int raster on the weight grid. */
static gpcov_status burn_owners(gpcov_ctx *ctx, const struct gpcov_layer *T,
                                const struct gpcov_grid *g, int32_t *owner)
{
    gpcov_status st = GPCOV_OK;
    GDALDatasetH mem = GDALCreate(GDALGetDriverByName("MEM"), "", g->nx, g->ny, 1, GDT_Int32, NULL);
    GDALDatasetH vds = GDALCreate(GDALGetDriverByName("Memory"), "", 0, 0, 0, GDT_Unknown, NULL);
    if (!mem || !vds) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    GDALSetGeoTransform(mem, (double *)g->gt);
    OGRLayerH lyr = GDALDatasetCreateLayer(vds, "m", NULL, wkbMultiPolygon, NULL);
    OGRFieldDefnH fdn = OGR_Fld_Create("id", OFTInteger);
    if (OGR_L_CreateField(lyr, fdn, 0) != OGRERR_NONE) {
        OGR_Fld_Destroy(fdn);
        st = gpcov_err(ctx, GPCOV_EINTERNAL, "cannot make a memory layer");
        goto done;
    }
    OGR_Fld_Destroy(fdn);
    for (size_t m = 0; m < T->n; m++) {
        if (!T->geoms[m])
            continue;
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldInteger(f, 0, (int)m + 1);
        OGR_F_SetGeometryDirectly(f, gpcov_geos_to_ogr(ctx, T->geoms[m]));
        if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
            OGR_F_Destroy(f);
            st = gpcov_err(ctx, GPCOV_EINTERNAL, "cannot fill a memory layer");
            goto done;
        }
        OGR_F_Destroy(f);
    }
    int band = 1;
    OGRLayerH layers[1] = {lyr};
    char **ro = CSLSetNameValue(NULL, "ATTRIBUTE", "id");
    if (GDALRasterizeLayers(mem, 1, &band, 1, layers, NULL, NULL, NULL, ro, NULL, NULL) != CE_None) {
        CSLDestroy(ro);
        st = gpcov_err(ctx, GPCOV_EINTERNAL, "cannot rasterize the municipalities: %s",
                       gpcov_dep_error(ctx));
        goto done;
    }
    CSLDestroy(ro);
    if (GDALRasterIO(GDALGetRasterBand(mem, 1), GF_Read, 0, 0, g->nx, g->ny, owner, g->nx, g->ny,
                     GDT_Int32, 0, 0) != CE_None)
        st = gpcov_err(ctx, GPCOV_EINTERNAL, "cannot read the rasterized municipalities");
done:
    if (mem)
        GDALClose(mem);
    if (vds)
        GDALClose(vds);
    return st;
}

/* Municipalities with no weighted cell: their people at the cell of their
** point on surface (weight 1). */
static gpcov_status place_unweighted(gpcov_ctx *ctx, const struct gpcov_population_opts *o,
                                     const struct gpcov_layer *T, const struct gpcov_grid *g,
                                     int32_t *owner, float *wv, double *sum)
{
    for (size_t m = 0; m < T->n; m++) {
        if (sum[m] > 0 || !T->geoms[m])
            continue;
        GEOSGeometry *c = GEOSPointOnSurface_r(ctx->geos, T->geoms[m]);
        double x = 0, y = 0;
        GEOSGeomGetX_r(ctx->geos, c, &x);
        GEOSGeomGetY_r(ctx->geos, c, &y);
        GEOSGeom_destroy_r(ctx->geos, c);
        size_t i;
        if (gpcov_grid_cell(g, x, y, &i) != 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: municipality %s lies outside the weight "
                             "raster", o->weights_raster, T->keys[m]);
        owner[i] = (int32_t)m + 1;
        wv[i] = 1;
        sum[m] = 1;
    }
    return GPCOV_OK;
}

/* Raster mode: cells of the weight raster get their municipality by cell
** centre (GDALRasterizeLayers), and each municipality's total of the one
** group is shared among its cells in proportion to their weights. */
static gpcov_status spread_raster(gpcov_ctx *ctx, const struct gpcov_population_opts *o,
                                  struct gpcov_layer *T, char **groups)
{
    const char *group = o->group ? o->group : (CSLCount(groups) == 1 ? groups[0] : NULL);
    if (!group)
        return gpcov_err(ctx, GPCOV_EUSAGE, "with a weight raster, name the group to spread "
                         "(--group; groups: %s)", CSLCount(groups) ? groups[0] : "none");
    int gf = gpcov_layer_field(T, group);
    if (gf < 0)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--group '%s' is not one of the totals", group);
    struct gpcov_grid g = {0};
    float *wv = NULL;
    int32_t *owner = NULL;
    double *sum = NULL;
    gpcov_status st = gpcov_raster_read(ctx, o->weights_raster, &g, &wv);
    if (st)
        return st;
    size_t n = (size_t)g.nx * (size_t)g.ny;
    owner = malloc(n * sizeof *owner);
    sum = calloc(T->n ? T->n : 1, sizeof *sum);
    if (!owner || !sum) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = burn_owners(ctx, T, &g, owner)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (isnan(wv[i]) || wv[i] <= 0 || owner[i] <= 0)
            continue;
        sum[owner[i] - 1] += wv[i];
    }
    if ((st = place_unweighted(ctx, o, T, &g, owner, wv, sum)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        long long total = -1;
        if (owner[i] <= 0 || isnan(wv[i]) || wv[i] <= 0) {
            wv[i] = owner[i] > 0 ? 0 : NAN;
            continue;
        }
        size_t m = (size_t)(owner[i] - 1);
        if ((st = total_of(ctx, T, m, gf, &total)))
            goto done;
        wv[i] = total < 0 ? NAN : (float)((double)total * wv[i] / sum[m]);
    }
    struct gpcov_raster_write_opts wo = {.overwrite = o->overwrite, .description = group,
                                         .units = "people"};
    st = gpcov_raster_write(ctx, o->output, &g, GPCOV_RASTER_FLOAT32, wv, &wo);
    double people = 0;
    size_t cells = 0;
    for (size_t i = 0; !st && i < n; i++)
        if (wv[i] > 0) {
            people += wv[i];
            cells++;
        }
    if (!st)
        gpcov_summary(ctx, "%.0f people (%s) of %zu municipalities spread over %zu cells", people,
                      group, T->n, cells);
done:
    free(owner);
    free(sum);
    free(wv);
    gpcov_grid_clear(&g);
    return st;
}

gpcov_status gpcov_population(gpcov_ctx *ctx, const struct gpcov_population_opts *o)
{
    if (!o->totals || !o->output || (!o->places == !o->weights_raster))
        return gpcov_err(ctx, GPCOV_EUSAGE, "population: totals, an output, and places or a "
                         "weight raster (one of them) are required");
    /* found by the scale benchmark: a .gpkg name got a GeoTIFF inside */
    if (o->weights_raster && !EQUAL(CPLGetExtension(o->output), "tif") &&
        !EQUAL(CPLGetExtension(o->output), "tiff"))
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: with a weight raster the output is a raster "
                         "of people per cell; name it .tif", o->output);
    gpcov_status cst = gpcov_atomic_check(ctx, o->output, o->overwrite);
    if (cst)
        return cst;
    struct gpcov_layer *T = NULL;
    char **groups = group_names(o->totals);
    if (!CSLCount(groups)) {
        CSLDestroy(groups);
        return gpcov_err(ctx, GPCOV_EUSAGE, "population: no totals declared (--agg on a table)");
    }
    gpcov_status st = gpcov_overlay_run(ctx, o->totals, &T);
    if (!st)
        st = o->places ? spread_points(ctx, o, T, groups) : spread_raster(ctx, o, T, groups);
    gpcov_layer_free(ctx, T);
    CSLDestroy(groups);
    return st;
}
