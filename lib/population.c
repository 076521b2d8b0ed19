/*
** population.c: municipal totals from Statistics Denmark spread over where
** people live.  The totals per municipality and group come from an overlay
** (overlay.c), the places from any point source (OpenStreetMap place nodes
** with a population tag, by default) or a weight raster.  Points share a
** total as whole people by the largest-remainder method, so every
** municipality sums exactly to its published total, and two runs give the
** same people in the same places.
*/
#include "gpcov_internal.h"

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

static gpcov_status spread_points(gpcov_ctx *ctx, const struct gpcov_population_opts *o,
                                  struct gpcov_layer *T, char **groups)
{
    GEOSContextHandle_t h = ctx->geos;
    struct gpcov_layer *P = NULL, *out = NULL;
    long *poly_of = NULL;
    unsigned char *filtered = NULL;
    double *w = NULL, *wk = NULL;
    long long *share = NULL;
    struct shares *tmp = NULL;
    size_t *members = NULL, *first = NULL;
    gpcov_expr *where = NULL, *demand = NULL;
    char *dname = NULL;
    int ng = CSLCount(groups);
    int *gf = calloc((size_t)(ng ? ng : 1), sizeof *gf), *of = calloc((size_t)(ng ? ng : 1), sizeof *of);
    gpcov_status st = GPCOV_OK;
    if (!gf || !of) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    for (int g = 0; g < ng; g++)
        gf[g] = gpcov_layer_field(T, groups[g]);
    if (o->places_where && (st = gpcov_expr_parse(ctx, o->places_where, &where)))
        goto done;
    /* by default, with totals pop and pop80: citizens over 80 weigh 2.5, as
    ** they see their GP about 2.5 times as often; "none" or "" turns it off */
    const char *dem = o->demand;
    if (!dem && CSLFindString(groups, "pop") >= 0 && CSLFindString(groups, "pop80") >= 0)
        dem = GPCOV_DEFAULT_DEMAND;
    if (dem && (!*dem || !strcmp(dem, "none")))
        dem = NULL;
    if (dem) {
        const char *eq = strchr(dem, '=');
        if (!eq || eq == dem) {
            st = gpcov_err(ctx, GPCOV_EUSAGE, "--demand '%s': expected NAME=EXPRESSION", dem);
            goto done;
        }
        dname = gpcov_strndup(dem, (size_t)(eq - dem));
        gpcov_trim(dname);
        if ((st = gpcov_expr_parse(ctx, eq + 1, &demand)))
            goto done;
        for (size_t k = 0; k < gpcov_expr_nnames(demand); k++)
            if (CSLFindString(groups, gpcov_expr_name(demand, k)) < 0) {
                st = gpcov_err(ctx, GPCOV_EUSAGE, "--demand: '%s' is not a group (groups: %s)",
                               gpcov_expr_name(demand, k), CSLCount(groups) ? groups[0] : "none");
                goto done;
            }
    }
    if ((st = gpcov_layer_read(ctx, o->places, NULL, &P)))
        goto done;
    const char *wf = o->places_weight ? o->places_weight : "population";
    int wfi = *wf ? gpcov_layer_field(P, wf) : -1;
    if (*wf && wfi < 0) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no weight field '%s'", o->places, wf);
        goto done;
    }
    size_t np = P->n, nm = T->n;
    poly_of = malloc((np ? np : 1) * sizeof *poly_of);
    filtered = calloc(np ? np : 1, 1);
    w = calloc(np ? np : 1, sizeof *w);
    if (!poly_of || !filtered || !w) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = gpcov_points_in_polygons(ctx, T, P, o->snap > 0 ? o->snap : 1000, poly_of)))
        goto done;
    size_t dropped = 0;
    for (size_t j = 0; j < np; j++) {
        if (where) {
            struct gpcov_value v;
            struct gpcov_feature pl = {P, j};
            if ((st = gpcov_expr_eval(ctx, where, gpcov_layer_lookup, &pl, &v))) {
                char m[GPCOV_MSG_MAX];
                snprintf(m, sizeof m, "%s", gpcov_ctx_message(ctx));
                st = gpcov_err(ctx, st, "%s: feature %zu: %s", o->places, j + 1, m);
                goto done;
            }
            int keep = !v.null && (v.str ? v.str[0] != 0 : v.num != 0);
            free(v.str);
            filtered[j] = !keep; /* kept aside, for municipalities with no other place */
        }
        if (poly_of[j] < 0) {
            dropped++;
            continue;
        }
        w[j] = 1;
        if (wfi >= 0) {
            const struct gpcov_value *v = gpcov_layer_value(P, j, (size_t)wfi);
            double d = v->num;
            if (v->null)
                d = 0;
            else if (v->str && gpcov_parse_number(v->str, &d) != 0) {
                st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: weight '%s' is not a number",
                               o->places, j + 1, v->str);
                goto done;
            }
            if (d < 0) {
                st = gpcov_err(ctx, GPCOV_EINPUT, "%s: feature %zu: weight %g is negative",
                               o->places, j + 1, d);
                goto done;
            }
            w[j] = d;
        }
    }
    /* the places of each municipality, in file order (CSR) */
    first = calloc(nm + 1, sizeof *first);
    members = malloc((np ? np : 1) * sizeof *members);
    if (!first || !members) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    /* a municipality whose places were all filtered out (the capital's
    ** suburbs, with OSM places) uses those rather than nothing */
    size_t fallback = 0;
    unsigned char *has = calloc(nm ? nm : 1, 1);
    if (!has) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < np; j++)
        if (poly_of[j] >= 0 && w[j] > 0 && !filtered[j])
            has[poly_of[j]] = 1;
    for (size_t j = 0; j < np; j++) {
        if (poly_of[j] < 0 || w[j] <= 0)
            continue;
        if (filtered[j] && has[poly_of[j]]) {
            poly_of[j] = -2; /* filtered out */
            continue;
        }
        if (filtered[j] && has[poly_of[j]] != 2) {
            has[poly_of[j]] = 2;
            fallback++;
        }
        first[poly_of[j] + 1]++;
    }
    free(has);
    for (size_t m = 0; m < nm; m++)
        first[m + 1] += first[m];
    size_t *fill = malloc((nm ? nm : 1) * sizeof *fill);
    if (!fill) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(fill, first, nm * sizeof *fill);
    for (size_t j = 0; j < np; j++)
        if (poly_of[j] >= 0 && w[j] > 0)
            members[fill[poly_of[j]]++] = j;
    free(fill);
    /* the output: one point per place used, plus one per empty municipality */
    out = gpcov_layer_new("population");
    int fk = out ? gpcov_layer_add_field(ctx, out, "komkode", GPCOV_STR) : -1;
    int fnm = out ? gpcov_layer_add_field(ctx, out, "place", GPCOV_STR) : -1;
    int fw = out ? gpcov_layer_add_field(ctx, out, "weight", GPCOV_REAL) : -1;
    int fs = out ? gpcov_layer_add_field(ctx, out, "synthetic", GPCOV_BOOL) : -1;
    if (fk < 0 || fnm < 0 || fw < 0 || fs < 0) {
        st = GPCOV_ENOMEM;
        goto done;
    }
    for (int g = 0; g < ng; g++)
        if ((of[g] = gpcov_layer_add_field(ctx, out, groups[g], GPCOV_INT)) < 0) {
            st = GPCOV_EUSAGE;
            goto done;
        }
    int fd = dname ? gpcov_layer_add_field(ctx, out, dname, GPCOV_REAL) : -1;
    if (dname && fd < 0) {
        st = GPCOV_EUSAGE;
        goto done;
    }
    int name_in = gpcov_layer_field(P, "name");
    wk = malloc((np ? np : 1) * sizeof *wk);
    share = malloc((np ? np : 1) * sizeof *share);
    tmp = malloc((np ? np : 1) * sizeof *tmp);
    if (!wk || !share || !tmp) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    size_t synthetic = 0;
    for (size_t m = 0; m < nm; m++) {
        size_t n = first[m + 1] - first[m];
        double W = 0;
        for (size_t k = 0; k < n; k++)
            W += (wk[k] = w[members[first[m] + k]]);
        size_t base = out->n;
        if (n == 0 || W <= 0) {
            /* nowhere to put them: the municipality's point on surface */
            GEOSGeometry *c = T->geoms[m] ? GEOSPointOnSurface_r(h, T->geoms[m]) : NULL;
            long i = gpcov_layer_append(ctx, out, T->keys[m], c);
            if (i < 0) {
                st = GPCOV_ENOMEM;
                goto done;
            }
            gpcov_layer_set_str(ctx, out, (size_t)i, (size_t)fnm, "(no place: point on surface)");
            gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)fw, 0);
            gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)fs, 1);
            synthetic++;
            n = 1;
            wk[0] = W = 1;
        } else {
            for (size_t k = 0; k < n; k++) {
                size_t j = members[first[m] + k];
                GEOSGeometry *c = GEOSGeom_clone_r(h, P->geoms[j]);
                long i = gpcov_layer_append(ctx, out, T->keys[m], c);
                if (i < 0) {
                    st = GPCOV_ENOMEM;
                    goto done;
                }
                const struct gpcov_value *nv =
                    name_in >= 0 ? gpcov_layer_value(P, j, (size_t)name_in) : NULL;
                gpcov_layer_set_str(ctx, out, (size_t)i, (size_t)fnm,
                                    nv && !nv->null && nv->str ? nv->str : "");
                gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)fw, w[j]);
                gpcov_layer_set_num(ctx, out, (size_t)i, (size_t)fs, 0);
            }
        }
        for (size_t k = 0; k < n; k++)
            gpcov_layer_set_str(ctx, out, base + k, (size_t)fk, T->keys[m]);
        for (int g = 0; g < ng; g++) {
            long long total;
            if ((st = total_of(ctx, T, m, gf[g], &total)))
                goto done;
            if (total < 0)
                continue; /* no total: the points stay empty for this group */
            if (largest_remainder(total, wk, W, n, share, tmp)) {
                st = gpcov_err(ctx, GPCOV_EINTERNAL, "cannot share %lld people in %s", total,
                               T->keys[m]);
                goto done;
            }
            for (size_t k = 0; k < n; k++)
                gpcov_layer_set_num(ctx, out, base + k, (size_t)of[g], (double)share[k]);
        }
        for (size_t k = 0; demand && k < n; k++) {
            struct gpcov_feature pl = {out, base + k};
            struct gpcov_value v;
            if ((st = gpcov_expr_eval(ctx, demand, gpcov_layer_lookup, &pl, &v)))
                goto done;
            if (v.null || v.str)
                gpcov_layer_set_null(out, base + k, (size_t)fd);
            else
                gpcov_layer_set_num(ctx, out, base + k, (size_t)fd, v.num);
            free(v.str);
        }
    }
    char note[300];
    snprintf(note, sizeof note, "%zu places used, %zu outside every polygon; %zu municipalities "
             "with only filtered-out places used those; %zu without a place (one point on surface "
             "each)", out->n - synthetic, dropped, fallback, synthetic);
    gpcov_layer_set_meta(ctx, out, "GPCOV_POPULATION", note);
    gpcov_layer_set_meta(ctx, out, "GPCOV_PLACES", o->places);
    struct gpcov_write_opts wo = {.overwrite = o->overwrite};
    st = gpcov_layer_write(ctx, out, o->output, &wo);
    if (!st)
        snprintf(ctx->msg, sizeof ctx->msg, "%s", note);
done:
    gpcov_expr_free(where);
    gpcov_expr_free(demand);
    free(dname);
    free(gf), free(of), free(poly_of), free(filtered), free(w), free(wk), free(share), free(tmp);
    free(first), free(members);
    gpcov_layer_free(ctx, P);
    gpcov_layer_free(ctx, out);
    return st;
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
    GDALDatasetH mem = NULL, vds = NULL;
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
    /* burn municipality index + 1 into an int raster on the weight grid */
    mem = GDALCreate(GDALGetDriverByName("MEM"), "", g.nx, g.ny, 1, GDT_Int32, NULL);
    vds = GDALCreate(GDALGetDriverByName("Memory"), "", 0, 0, 0, GDT_Unknown, NULL);
    if (!mem || !vds) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    GDALSetGeoTransform(mem, g.gt);
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
    if (GDALRasterIO(GDALGetRasterBand(mem, 1), GF_Read, 0, 0, g.nx, g.ny, owner, g.nx, g.ny,
                     GDT_Int32, 0, 0) != CE_None) {
        st = gpcov_err(ctx, GPCOV_EINTERNAL, "cannot read the rasterized municipalities");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (isnan(wv[i]) || wv[i] <= 0 || owner[i] <= 0)
            continue;
        sum[owner[i] - 1] += wv[i];
    }
    /* municipalities with no weighted cell: their people at the cell of
    ** their point on surface */
    for (size_t m = 0; m < T->n; m++) {
        if (sum[m] > 0 || !T->geoms[m])
            continue;
        GEOSGeometry *c = GEOSPointOnSurface_r(ctx->geos, T->geoms[m]);
        double x = 0, y = 0;
        GEOSGeomGetX_r(ctx->geos, c, &x);
        GEOSGeomGetY_r(ctx->geos, c, &y);
        GEOSGeom_destroy_r(ctx->geos, c);
        size_t i;
        if (gpcov_grid_cell(&g, x, y, &i) != 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: municipality %s lies outside the weight raster",
                           o->weights_raster, T->keys[m]);
            goto done;
        }
        owner[i] = (int32_t)m + 1;
        wv[i] = 1;
        sum[m] = 1;
    }
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
done:
    if (mem)
        GDALClose(mem);
    if (vds)
        GDALClose(vds);
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
