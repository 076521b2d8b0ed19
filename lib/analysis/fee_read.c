/*
** fee_read.c: the reading side of `gpcov fee`: the municipality indicator
** layer (its designation, joined from another layer when asked, patients
** and capacities, and which municipalities are left out) and the
** practices, each placed in the municipality it lies in (point in
** polygon).  Values are checked as read, with messages naming the file,
** feature and field.
*/
#include "fee_internal.h"

#include <cpl_string.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "no field 'x' (fields: a, b, c)" */
static gpcov_status no_field(gpcov_ctx *ctx, const char *src, const struct gpcov_layer *l,
                             const char *name, const char *what)
{
    char list[600] = "";
    for (size_t i = 0; i < l->nfields && strlen(list) < 500; i++) {
        if (i)
            strcat(list, ", ");
        strncat(list, l->fields[i].name, 60);
    }
    return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' (%s; fields: %s)", src, name, what,
                     l->nfields ? list : "none");
}

/* A field given by option (must exist), else the first default present;
** -1 when none is. */
static gpcov_status pick_field(gpcov_ctx *ctx, const char *src, const struct gpcov_layer *l,
                               const char *given, const char *dflt1, const char *dflt2,
                               const char *what, int *out, const char **name)
{
    *out = -1;
    *name = NULL;
    if (given) {
        if ((*out = gpcov_layer_field(l, given)) < 0)
            return no_field(ctx, src, l, given, what);
        *name = given;
        return GPCOV_OK;
    }
    if (dflt1 && (*out = gpcov_layer_field(l, dflt1)) >= 0)
        *name = dflt1;
    else if (dflt2 && (*out = gpcov_layer_field(l, dflt2)) >= 0)
        *name = dflt2;
    return GPCOV_OK;
}

/* Null, or text of nothing but spaces (an empty CSV cell). */
static int is_blank(const struct gpcov_layer *l, size_t i, int f)
{
    const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
    if (v->null)
        return 1;
    if (l->fields[f].type != GPCOV_STR)
        return 0;
    for (const char *p = v->str ? v->str : ""; *p; p++)
        if (!isspace((unsigned char)*p))
            return 0;
    return 1;
}

static gpcov_status num_value(gpcov_ctx *ctx, const struct gpcov_layer *l, size_t i, int f,
                              const char *where, double *out)
{
    const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
    const char *name = l->fields[f].name;
    if (is_blank(l, i, f))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s has no value", where, name);
    if (l->fields[f].type == GPCOV_STR) {
        if (!v->str || gpcov_parse_number(v->str, out))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s '%s' is not a number", where, name,
                             v->str ? v->str : "");
    } else {
        *out = v->num;
    }
    if (!isfinite(*out) || *out < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s %g is not a number >= 0", where, name, *out);
    return GPCOV_OK;
}

static gpcov_status bool_value(gpcov_ctx *ctx, const struct gpcov_layer *l, size_t i, int f,
                               const char *where, int *out)
{
    static const char *yes[] = {"1", "true", "t", "yes", "y", "ja", "j", "x"};
    static const char *no[] = {"0", "false", "f", "no", "n", "nej"};
    const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
    const char *name = l->fields[f].name;
    if (is_blank(l, i, f))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s has no value (expected true or false)",
                         where, name);
    if (l->fields[f].type != GPCOV_STR) {
        *out = v->num != 0;
        return GPCOV_OK;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%s", v->str ? v->str : "");
    for (char *p = buf; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    gpcov_trim(buf);
    for (size_t k = 0; k < sizeof yes / sizeof *yes; k++)
        if (!strcmp(buf, yes[k]))
            return *out = 1, GPCOV_OK;
    for (size_t k = 0; k < sizeof no / sizeof *no; k++)
        if (!strcmp(buf, no[k]))
            return *out = 0, GPCOV_OK;
    return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s '%s' is not true or false (1/0, yes/no)",
                     where, name, v->str ? v->str : "");
}

/* The text of a field as an id ("12" for the number 12), trimmed. */
void gpcov_fee_id_text(const struct gpcov_layer *l, size_t i, int f, char *out, size_t sz)
{
    gpcov_trim((char *)gpcov_value_text(l, i, f, out, sz));
}

/* Where feature j of the practices is, for messages. */
static void practice_where(const struct run *R, size_t j, const char *id, char *out, size_t sz)
{
    char ext[16];
    gpcov_path_ext(R->o->practices, ext, sizeof ext);
    int csv = !strcmp(ext, "csv");
    snprintf(out, sz, "%s:%s%zu%s%s%s", R->o->practices, csv ? "" : " feature ",
             j + (csv ? 2 : 1), id && *id ? " (id '" : "", id && *id ? id : "",
             id && *id ? "')" : "");
}

/* The fields of the practices and what the reading of each needs. */
struct pfields {
    int id, name, pat, cap, des;
    const char *nid;
    int width;                   /* of the ids made from feature numbers   */
    long *poly_of;               /* the municipality each practice lies in */
    struct gpcov_strmap seen;    /* the ids so far                         */
};

/* The practice fields: given by option, else by their usual names. */
static gpcov_status practice_fields(struct run *R, struct pfields *F)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_fee_opts *o = R->o;
    struct gpcov_layer *pl = R->pts;
    const char *nname, *npat, *ncap, *ndes;
    gpcov_status st;
    if ((st = pick_field(ctx, o->practices, pl, o->practice_id, "id", NULL,
                         "the practice id, --practice-id", &F->id, &F->nid)) ||
        (st = pick_field(ctx, o->practices, pl, o->practice_name, "name", NULL,
                         "the practice name, --practice-name-field", &F->name, &nname)) ||
        (st = pick_field(ctx, o->practices, pl, o->practice_patients, "patients", NULL,
                         "registered patients, --practice-patients-field", &F->pat, &npat)) ||
        (st = pick_field(ctx, o->practices, pl, o->practice_capacities, "capacities", NULL,
                         "GP capacities, --practice-capacities-field", &F->cap, &ncap)) ||
        (st = pick_field(ctx, o->practices, pl, o->practice_designated, NULL, NULL,
                         "designation, --practice-designated-field", &F->des, &ndes)))
        return st;
    if (F->pat < 0)
        return no_field(ctx, o->practices, pl, "patients",
                        "registered patients per practice, --practice-patients-field");
    (void)nname, (void)ndes;
    return GPCOV_OK;
}

/* The id of practice j: its id field, else its number zero-padded. */
static gpcov_status practice_id(struct run *R, const struct pfields *F, size_t j, char *id,
                                size_t sz)
{
    if (F->id < 0) {
        snprintf(id, sz, "%0*lu", F->width & 31, (unsigned long)(j + 1));
        return GPCOV_OK;
    }
    gpcov_fee_id_text(R->pts, j, F->id, id, sz);
    if (!id[0]) {
        char where[700];
        practice_where(R, j, NULL, where, sizeof where);
        return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: %s has no value", where, F->nid);
    }
    return GPCOV_OK;
}

/* The municipality practice j lies in, which must not be excluded. */
static gpcov_status practice_muni(struct run *R, const struct pfields *F, size_t j,
                                  const char *where)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_fee_opts *o = R->o;
    GEOSContextHandle_t h = ctx->geos;
    const GEOSGeometry *g = R->pts->geoms[j];
    if (!g || GEOSGeomTypeId_r(h, g) != GEOS_POINT)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s", where,
                         g ? "not a point" : "the practice has no coordinates");
    long at = F->poly_of[j];
    if (at < 0) {
        double x = 0, y = 0;
        GEOSGeomGetX_r(h, g, &x);
        GEOSGeomGetY_r(h, g, &y);
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: the practice (%.0f, %.0f in EPSG:%d) lies in no municipality of "
                         "%s (nor within %.0f m of one)",
                         where, x, y, GPCOV_WORKING_EPSG, o->units, o->snap > 0 ? o->snap : 0);
    }
    R->p[j].muni = (size_t)at;
    if (R->m[at].excluded)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: the practice lies in %s %s, which is excluded (--exclude)", where,
                         R->key, R->units->keys[at]);
    return GPCOV_OK;
}

/* Practice j: its unique id, name, patients, capacities (else estimated
** by the norm), municipality and designation (else its municipality's). */
static gpcov_status read_practice(struct run *R, struct pfields *F, size_t j)
{
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_layer *pl = R->pts;
    struct practice *P = &R->p[j];
    char id[256], where[700];
    gpcov_status st = practice_id(R, F, j, id, sizeof id);
    if (st)
        return st;
    practice_where(R, j, F->id >= 0 ? id : NULL, where, sizeof where);
    size_t first;
    if (gpcov_strmap_get(&F->seen, id, &first) == 0) {
        char w2[700];
        practice_where(R, first, NULL, w2, sizeof w2);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: the id '%s' is used by %s already", where, id,
                         w2);
    }
    if (gpcov_strmap_put(&F->seen, id, j) || !(P->id = gpcov_strdup(id)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (F->name >= 0) {
        char nm[512];
        gpcov_fee_id_text(pl, j, F->name, nm, sizeof nm);
        P->name = gpcov_strdup(nm);
    }
    if ((st = num_value(ctx, pl, j, F->pat, where, &P->patients)))
        return st;
    if (F->cap >= 0) {
        if ((st = num_value(ctx, pl, j, F->cap, where, &P->capacities)))
            return st;
    } else {
        P->capacities = P->patients / R->o->norm;
    }
    if ((st = practice_muni(R, F, j, where)))
        return st;
    if (F->des >= 0) {
        if ((st = bool_value(ctx, pl, j, F->des, where, &P->designated)))
            return st;
    } else {
        P->designated = R->m[P->muni].designated;
    }
    R->m[P->muni].npractices++;
    return GPCOV_OK;
}

gpcov_status gpcov_fee_read_practices(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_fee_opts *o = R->o;
    struct gpcov_read_opts ro = {.layer = o->practice_layer, .x_field = o->x_field,
                                 .y_field = o->y_field, .srs = o->srs};
    struct pfields F = {0};
    gpcov_status st = gpcov_layer_read(ctx, o->practices, &ro, &R->pts);
    if (st || (st = practice_fields(R, &F)))
        return st;
    struct gpcov_layer *pl = R->pts;
    R->np = pl->n;
    R->p = calloc(pl->n ? pl->n : 1, sizeof *R->p);
    size_t n = R->units->n;
    F.poly_of = malloc((pl->n ? pl->n : 1) * sizeof *F.poly_of);
    if (!R->p || !F.poly_of) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    size_t ngeom = 0;
    for (size_t i = 0; i < n; i++)
        ngeom += R->units->geoms[i] != NULL;
    if (!ngeom) {
        st = gpcov_err(ctx, GPCOV_EINPUT,
                       "%s: the units have no polygons to place the practices of %s in "
                       "(give a layer with geometry, e.g. the .gpkg)",
                       o->units, o->practices);
        goto done;
    }
    /* the municipality each practice lies in: the first in the layer on a
    ** border, the nearest within the snap distance off a coast */
    if ((st = gpcov_points_in_polygons(ctx, R->units, pl, o->snap > 0 ? o->snap : 0,
                                       F.poly_of)))
        goto done;
    F.width = 1;
    for (size_t k = pl->n; k >= 10 && F.width < 20; k /= 10)
        F.width++;
    for (size_t j = 0; j < pl->n && !st; j++)
        st = read_practice(R, &F, j);
done:
    free(F.poly_of);
    gpcov_strmap_clear(&F.seen);
    return st;
}

/* A unit whose designation, patients or capacities are empty cannot be
** paid a known amount: it is left out of the allocation (its amounts stay
** empty, not 0 DKK) with the reason, and the others share the budget. */
static int left_out(const struct gpcov_layer *U, size_t i, const int *f, const char *const *what,
                    size_t n, char *reason, size_t sz)
{
    char miss[120] = "";
    for (size_t k = 0; k < n; k++)
        if (f[k] >= 0 && is_blank(U, i, f[k]) && strlen(miss) + strlen(what[k]) + 3 < sizeof miss)
            snprintf(miss + strlen(miss), sizeof miss - strlen(miss), "%s%s", *miss ? ", " : "",
                     what[k]);
    if (!*miss)
        return 0;
    snprintf(reason, sz, "udeladt: ingen værdi for %s", miss);
    return 1;
}

/* The designated field taken from another keyed layer (o->designation),
** copied into the units by key; a unit it lacks stays empty. */
static gpcov_status join_designation(gpcov_ctx *ctx, const struct gpcov_fee_opts *o,
                                     struct gpcov_layer *U, const char *key)
{
    const char *name = o->designated_field ? o->designated_field : "designated_2019";
    struct gpcov_read_opts ro = {.key_field = key};
    struct gpcov_layer *D = NULL;
    struct gpcov_strmap m = {0};
    gpcov_status st = gpcov_layer_read(ctx, o->designation, &ro, &D);
    if (st)
        return st;
    int df = gpcov_layer_field(D, name), uf = -1;
    if (df < 0)
        st = no_field(ctx, o->designation, D, name, "the designation, --designated-field");
    else if (gpcov_layer_field(U, name) >= 0)
        st = gpcov_err(ctx, GPCOV_EUSAGE, "%s and %s both have a field '%s': take it from one",
                       o->units, o->designation, name);
    else if ((uf = gpcov_layer_add_field(ctx, U, name, D->fields[df].type)) < 0)
        st = GPCOV_ENOMEM;
    for (size_t i = 0; !st && i < D->n; i++)
        if (D->keys[i] && gpcov_strmap_put(&m, D->keys[i], i))
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; !st && i < U->n; i++) {
        size_t at;
        const struct gpcov_value *v;
        if (!U->keys[i] || gpcov_strmap_get(&m, U->keys[i], &at) ||
            (v = gpcov_layer_value(D, at, (size_t)df))->null)
            continue;
        st = D->fields[df].type == GPCOV_STR
                 ? gpcov_layer_set_str(ctx, U, i, (size_t)uf, v->str ? v->str : "")
                 : gpcov_layer_set_num(ctx, U, i, (size_t)uf, v->num);
    }
    gpcov_strmap_clear(&m);
    gpcov_layer_free(ctx, D);
    return st;
}

/* The municipalities: read, sorted by key, the designation joined in,
** and the fields of the name, designation, patients and capacities. */
gpcov_status gpcov_fee_read_units(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_fee_opts *o = R->o;
    R->key = o->key ? o->key : GPCOV_KEY_FIELD;
    R->fpat = R->fcap = -1;
    struct gpcov_read_opts ro = {.layer = o->units_layer, .key_field = R->key};
    gpcov_status st = gpcov_layer_read(ctx, o->units, &ro, &R->units);
    if (st)
        return st;
    gpcov_layer_sort(R->units);
    if (o->designation && (st = join_designation(ctx, o, R->units, R->key)))
        return st;
    struct gpcov_layer *U = R->units;
    const char *nname = NULL;
    if ((st = pick_field(ctx, o->units, U, o->name_field, "name", NULL,
                         "the name, --name-field", &R->name_f, &nname)) ||
        (st = pick_field(ctx, o->units, U, o->designated_field, "designated_2019", NULL,
                         "designation, --designated-field", &R->fdes, &R->ndes)))
        return st;
    if (R->fdes < 0 && o->params.designated_share > 0)
        return no_field(ctx, o->units, U, "designated_2019",
                        "whether a municipality is designated, --designated-field; needed while "
                        "the designated share is > 0");
    if (!o->practices) {
        if ((st = pick_field(ctx, o->units, U, o->patients_field, "patients", "pop_2020",
                             "registered patients, --patients-field", &R->fpat, &R->npat)) ||
            (st = pick_field(ctx, o->units, U, o->capacities_field, "capacities", NULL,
                             "GP capacities, --capacities-field", &R->fcap, &R->ncap)))
            return st;
        if (R->fpat < 0)
            return no_field(ctx, o->units, U, "patients",
                            "registered patients, --patients-field; nor 'pop_2020' as a proxy");
    }
    return GPCOV_OK;
}

/* The municipalities given to --exclude, each of which must exist. */
gpcov_status gpcov_fee_exclude(struct run *R)
{
    const struct gpcov_fee_opts *o = R->o;
    const struct gpcov_layer *U = R->units;
    size_t n = U->n;
    if (!o->exclude)
        return GPCOV_OK;
    R->excl = CSLTokenizeString2(o->exclude, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES);
    for (char **e = R->excl; e && *e; e++) {
        char k[64];
        size_t i = 0;
        if (gpcov_key_normalise(*e, k, sizeof k) == 0)
            for (; i < n && strcmp(U->keys[i], k); i++)
                ;
        if (i >= n || !**e)
            return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no %s '%s' to exclude", o->units, R->key,
                             *e);
        R->m[i].excluded = 1;
    }
    return GPCOV_OK;
}

/* The patients and capacities (else estimated by the norm) of
** municipality i. */
static gpcov_status unit_counts(struct run *R, size_t i, const char *where)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_layer *U = R->units;
    struct muni *M = &R->m[i];
    gpcov_status st;
    if ((st = num_value(ctx, U, i, R->fpat, where, &M->patients))) {
        if (is_blank(U, i, R->fpat)) {
            char msg[GPCOV_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", gpcov_ctx_message(ctx));
            st = gpcov_err(ctx, st, "%s (leave the unit out with --exclude %s)", msg,
                           U->keys[i]);
        }
        return st;
    }
    if (R->fcap >= 0)
        return num_value(ctx, U, i, R->fcap, where, &M->capacities);
    M->capacities = M->patients / R->o->norm;
    return GPCOV_OK;
}

/* Municipality i: left out (by --exclude, or for an empty value, with a
** notice), else kept with its designation, patients and capacities. */
static gpcov_status read_unit(struct run *R, size_t i)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_fee_opts *o = R->o;
    const struct gpcov_layer *U = R->units;
    struct muni *M = &R->m[i];
    char where[600];
    snprintf(where, sizeof where, "%s: %s %s", o->units, R->key, U->keys[i]);
    const int fs[3] = {R->fdes, R->fpat, R->fcap};
    const char *const ws[3] = {R->ndes ? R->ndes : "", R->npat ? R->npat : "",
                               R->ncap ? R->ncap : ""};
    if (M->excluded) {
        snprintf(M->reason, sizeof M->reason, "udeladt (--exclude)");
    } else if (left_out(U, i, fs, ws, 3, M->reason, sizeof M->reason)) {
        char nm[200] = "";
        M->excluded = 1;
        if (R->name_f >= 0)
            gpcov_fee_id_text(U, i, R->name_f, nm, sizeof nm);
        gpcov_notice(ctx, "%s: %s %s %s left out of the fee: %s", o->units, R->key, U->keys[i],
                     nm, M->reason);
    }
    if (M->excluded) {
        R->rp.nexcluded++;
        return GPCOV_OK;
    }
    R->keys[R->nk++] = U->keys[i];
    gpcov_status st;
    if (R->fdes >= 0 && (st = bool_value(ctx, U, i, R->fdes, where, &M->designated)))
        return st;
    if (R->fpat >= 0)
        return unit_counts(R, i, where);
    return GPCOV_OK;
}

/* The values of every municipality. */
gpcov_status gpcov_fee_read_unit_values(struct run *R)
{
    for (size_t i = 0; i < R->units->n; i++) {
        gpcov_status st = read_unit(R, i);
        if (st)
            return st;
    }
    R->rp.nunits = R->nk;
    return GPCOV_OK;
}
