/*
** fee_run.c: the library side of `gpcov fee`.  Reads the municipality
** indicator layer (designation, patients, capacities), the long age table
** (the age-sex composition of each municipality) and, optionally, the
** practices, which take the composition and designation of the
** municipality they lie in (point in polygon, GEOS prepared geometries);
** runs the allocation of fee.c on the municipalities or on the practices;
** and returns the result as layers for gpcov_layer_write, with the
** parameters and what each number was based on in their metadata.
*/
#include "gpcov.h"
#include "gpcov_internal.h"

#include <cpl_string.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gpcov_fee_opts_init(struct gpcov_fee_opts *o)
{
    memset(o, 0, sizeof *o);
    gpcov_fee_params_init(&o->params);
    o->norm = GPCOV_FEE_NORM;
    o->snap = 1000;
}

void gpcov_fee_report_clear(struct gpcov_fee_report *r)
{
    if (!r)
        return;
    free(r->patients_basis);
    free(r->capacities_basis);
    free(r->weights_basis);
    free(r->national_basis);
    free(r->note);
    memset(r, 0, sizeof *r);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s)
        return NULL;
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

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

/* The text of a field as an id ("12" for the number 12). */
static void id_text(const struct gpcov_layer *l, size_t i, int f, char *out, size_t sz)
{
    const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
    if (v->null)
        out[0] = 0;
    else if (l->fields[f].type == GPCOV_STR)
        snprintf(out, sz, "%s", v->str ? v->str : "");
    else if (v->num == floor(v->num) && fabs(v->num) < 1e15)
        snprintf(out, sz, "%.0f", v->num);
    else
        snprintf(out, sz, "%.15g", v->num);
    gpcov_trim(out);
}

/* --------------------------------------------------------------- state */

struct muni {
    int excluded;
    char reason[160]; /* why it is left out: its amounts stay empty */
    int designated;
    double patients, capacities;
    double people, mean, factor;
    size_t npractices;
};

struct practice {
    char *id;
    char *name;
    size_t muni;
    int designated;
    double patients, capacities;
};

struct run {
    gpcov_ctx *ctx;
    const struct gpcov_fee_opts *o;
    struct gpcov_layer *units;   /* the municipalities, sorted by key      */
    struct gpcov_layer *pts;     /* the practices as read                  */
    struct muni *m;
    struct practice *p;
    size_t np;
    int name_f;
    const char *key;
};

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

static gpcov_status read_practices(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_fee_opts *o = R->o;
    GEOSContextHandle_t h = ctx->geos;
    struct gpcov_read_opts ro = {.layer = o->practice_layer, .x_field = o->x_field,
                                 .y_field = o->y_field, .srs = o->srs};
    gpcov_status st = gpcov_layer_read(ctx, o->practices, &ro, &R->pts);
    if (st)
        return st;
    struct gpcov_layer *pl = R->pts;
    int fid, fname, fpat, fcap, fdes;
    const char *nid, *nname, *npat, *ncap, *ndes;
    if ((st = pick_field(ctx, o->practices, pl, o->practice_id, "id", NULL,
                         "the practice id, --practice-id", &fid, &nid)) ||
        (st = pick_field(ctx, o->practices, pl, o->practice_name, "name", NULL,
                         "the practice name, --practice-name-field", &fname, &nname)) ||
        (st = pick_field(ctx, o->practices, pl, o->practice_patients, "patients", NULL,
                         "registered patients, --practice-patients-field", &fpat, &npat)) ||
        (st = pick_field(ctx, o->practices, pl, o->practice_capacities, "capacities", NULL,
                         "GP capacities, --practice-capacities-field", &fcap, &ncap)) ||
        (st = pick_field(ctx, o->practices, pl, o->practice_designated, NULL, NULL,
                         "designation, --practice-designated-field", &fdes, &ndes)))
        return st;
    if (fpat < 0)
        return no_field(ctx, o->practices, pl, "patients",
                        "registered patients per practice, --practice-patients-field");
    (void)nid, (void)nname, (void)ndes;
    R->np = pl->n;
    R->p = calloc(pl->n ? pl->n : 1, sizeof *R->p);
    size_t n = R->units->n;
    struct gpcov_strmap seen = {0};
    long *poly_of = malloc((pl->n ? pl->n : 1) * sizeof *poly_of);
    if (!R->p || !poly_of) {
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
    if ((st = gpcov_points_in_polygons(ctx, R->units, pl, o->snap > 0 ? o->snap : 0, poly_of)))
        goto done;
    int width = 1;
    for (size_t k = pl->n; k >= 10 && width < 20; k /= 10)
        width++;
    for (size_t j = 0; j < pl->n; j++) {
        struct practice *P = &R->p[j];
        char id[256], where[700];
        if (fid >= 0) {
            id_text(pl, j, fid, id, sizeof id);
            if (!id[0]) {
                practice_where(R, j, NULL, where, sizeof where);
                st = gpcov_err(ctx, GPCOV_EINPUT, "%s: %s has no value", where, nid);
                goto done;
            }
        } else {
            snprintf(id, sizeof id, "%0*lu", width & 31, (unsigned long)(j + 1));
        }
        practice_where(R, j, fid >= 0 ? id : NULL, where, sizeof where);
        size_t first;
        if (gpcov_strmap_get(&seen, id, &first) == 0) {
            char w2[700];
            practice_where(R, first, NULL, w2, sizeof w2);
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: the id '%s' is used by %s already", where, id,
                           w2);
            goto done;
        }
        if (gpcov_strmap_put(&seen, id, j) || !(P->id = gpcov_strdup(id))) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            goto done;
        }
        if (fname >= 0) {
            char nm[512];
            id_text(pl, j, fname, nm, sizeof nm);
            P->name = gpcov_strdup(nm);
        }
        if ((st = num_value(ctx, pl, j, fpat, where, &P->patients)))
            goto done;
        if (fcap >= 0) {
            if ((st = num_value(ctx, pl, j, fcap, where, &P->capacities)))
                goto done;
        } else {
            P->capacities = P->patients / o->norm;
        }
        /* the municipality it lies in */
        const GEOSGeometry *g = pl->geoms[j];
        if (!g || GEOSGeomTypeId_r(h, g) != GEOS_POINT) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: %s", where,
                           g ? "not a point" : "the practice has no coordinates");
            goto done;
        }
        long at = poly_of[j];
        if (at < 0) {
            double x = 0, y = 0;
            GEOSGeomGetX_r(h, g, &x);
            GEOSGeomGetY_r(h, g, &y);
            st = gpcov_err(ctx, GPCOV_EINPUT,
                           "%s: the practice (%.0f, %.0f in EPSG:%d) lies in no municipality of "
                           "%s (nor within %.0f m of one)",
                           where, x, y, GPCOV_WORKING_EPSG, o->units, o->snap > 0 ? o->snap : 0);
            goto done;
        }
        P->muni = (size_t)at;
        if (R->m[at].excluded) {
            st = gpcov_err(ctx, GPCOV_EINPUT,
                           "%s: the practice lies in %s %s, which is excluded (--exclude)", where,
                           R->key, R->units->keys[at]);
            goto done;
        }
        if (fdes >= 0) {
            if ((st = bool_value(ctx, pl, j, fdes, where, &P->designated)))
                goto done;
        } else {
            P->designated = R->m[at].designated;
        }
        R->m[at].npractices++;
    }
done:
    free(poly_of);
    gpcov_strmap_clear(&seen);
    return st;
}

/* ------------------------------------------------------------- outputs */

enum {
    F_KEY, F_NAME, F_MUNI, F_DES, F_PAT, F_CAP, F_FACTOR, F_WEIGHTED, F_DIFF, F_CAPDKK,
    F_DESDKK, F_WDKK, F_CAPPED, F_TOTAL, F_NPRACT, F_REASON, F_N
};

static gpcov_status add_fields(gpcov_ctx *ctx, struct gpcov_layer *l, const char *keyname,
                               const char *muniname, int with_npract, int *fx)
{
    static const struct {
        const char *name;
        enum gpcov_ftype type;
    } def[F_N] = {
        [F_KEY] = {NULL, GPCOV_STR},
        [F_NAME] = {"name", GPCOV_STR},
        [F_MUNI] = {NULL, GPCOV_STR},
        [F_DES] = {"designated", GPCOV_BOOL},
        [F_PAT] = {"patients", GPCOV_REAL},
        [F_CAP] = {"capacities", GPCOV_REAL},
        [F_FACTOR] = {"weight_factor", GPCOV_REAL},
        [F_WEIGHTED] = {"weighted_patients", GPCOV_REAL},
        [F_DIFF] = {"weight_difference", GPCOV_REAL},
        [F_CAPDKK] = {"cap_dkk", GPCOV_REAL},
        [F_DESDKK] = {"designated_dkk", GPCOV_REAL},
        [F_WDKK] = {"weight_dkk", GPCOV_REAL},
        [F_CAPPED] = {"capped", GPCOV_BOOL},
        [F_TOTAL] = {"total_dkk", GPCOV_REAL},
        [F_NPRACT] = {"practices", GPCOV_INT},
        [F_REASON] = {"fee_reason", GPCOV_STR},
    };
    for (int k = 0; k < F_N; k++) {
        fx[k] = -1;
        const char *name = k == F_KEY ? keyname : k == F_MUNI ? muniname : def[k].name;
        if (!name || (k == F_NPRACT && !with_npract) || (k == F_REASON && muniname))
            continue;
        if (k == F_NAME && (!strcmp(name, keyname) || (muniname && !strcmp(name, muniname))))
            continue;
        if ((fx[k] = gpcov_layer_add_field(ctx, l, name, def[k].type)) < 0)
            return GPCOV_ENOMEM;
    }
    return GPCOV_OK;
}

static void set_num(gpcov_ctx *ctx, struct gpcov_layer *l, size_t i, int f, double v)
{
    if (f >= 0)
        gpcov_layer_set_num(ctx, l, i, (size_t)f, v);
}

static double r6(double x)
{
    return nearbyint(x * 1e6) / 1e6;
}

/* The computed values of one unit into feature i. */
static void set_unit(gpcov_ctx *ctx, struct gpcov_layer *l, size_t i, const int *fx,
                     const struct gpcov_fee_unit *u)
{
    set_num(ctx, l, i, fx[F_DES], u->designated ? 1 : 0);
    set_num(ctx, l, i, fx[F_PAT], u->patients);
    set_num(ctx, l, i, fx[F_CAP], r6(u->capacities));
    set_num(ctx, l, i, fx[F_FACTOR], r6(u->factor));
    set_num(ctx, l, i, fx[F_WEIGHTED], u->weighted);
    set_num(ctx, l, i, fx[F_DIFF], u->difference);
    set_num(ctx, l, i, fx[F_CAPDKK], (double)u->cap_ore / 100);
    set_num(ctx, l, i, fx[F_DESDKK], (double)u->designated_ore / 100);
    set_num(ctx, l, i, fx[F_WDKK], (double)u->weight_ore / 100);
    set_num(ctx, l, i, fx[F_CAPPED], u->capped ? 1 : 0);
    set_num(ctx, l, i, fx[F_TOTAL], (double)u->total_ore / 100);
}

static gpcov_status set_meta(gpcov_ctx *ctx, struct gpcov_layer *l,
                             const struct gpcov_fee_params *p, const struct gpcov_fee_report *rep)
{
    char v[64], b[48];
    const struct gpcov_fee_result *r = &rep->result;
    struct {
        const char *k;
        const char *v;
    } items[16];
    int n = 0;
    char budget[48], dpart[48], wpart[48], cap[48], rd[64], rw[64], nat[64];
    snprintf(budget, sizeof budget, "%s", gpcov_fee_format_dkk(r->budget_ore, b, sizeof b));
    snprintf(dpart, sizeof dpart, "%s", gpcov_fee_format_dkk(r->designated_ore, b, sizeof b));
    snprintf(wpart, sizeof wpart, "%s", gpcov_fee_format_dkk(r->weight_ore, b, sizeof b));
    snprintf(cap, sizeof cap, "%.2f", p->cap_per_capacity);
    snprintf(rd, sizeof rd, "%.6f", r->rate_designated);
    snprintf(rw, sizeof rw, "%.6f", r->rate_weight);
    snprintf(nat, sizeof nat, "%.6f", rep->national_mean);
    snprintf(v, sizeof v, "%g / %g", p->designated_share, p->weight_share);
    items[n].k = "GPCOV_FEE_BUDGET_DKK", items[n++].v = budget;
    items[n].k = "GPCOV_FEE_SHARES_PCT_DESIGNATED_WEIGHT", items[n++].v = v;
    items[n].k = "GPCOV_FEE_DESIGNATED_PART_DKK", items[n++].v = dpart;
    items[n].k = "GPCOV_FEE_WEIGHT_PART_DKK", items[n++].v = wpart;
    items[n].k = "GPCOV_FEE_CAP_PER_CAPACITY_DKK", items[n++].v = cap;
    items[n].k = "GPCOV_FEE_RATE_DKK_PER_DESIGNATED_PATIENT", items[n++].v = rd;
    items[n].k = "GPCOV_FEE_RATE_DKK_PER_WEIGHTED_PATIENT", items[n++].v = rw;
    items[n].k = "GPCOV_FEE_NATIONAL_MEAN_WEIGHT", items[n++].v = nat;
    items[n].k = "GPCOV_FEE_PATIENTS", items[n++].v = rep->patients_basis;
    items[n].k = "GPCOV_FEE_CAPACITIES", items[n++].v = rep->capacities_basis;
    items[n].k = "GPCOV_FEE_WEIGHTS", items[n++].v = rep->weights_basis;
    items[n].k = "GPCOV_FEE_NATIONAL", items[n++].v = rep->national_basis;
    items[n].k = "GPCOV_FEE_ROUNDING",
    items[n++].v = "whole øre: each part floored per unit, the øre left handed out one by one "
                   "by largest remainder, ties by key ascending";
    items[n].k = "GPCOV_FEE_NOTE", items[n++].v = rep->note;
    for (int k = 0; k < n; k++) {
        gpcov_status st = gpcov_layer_set_meta(ctx, l, items[k].k, items[k].v ? items[k].v : "");
        if (st)
            return st;
    }
    return GPCOV_OK;
}

/* ---------------------------------------------------------------- run */

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

gpcov_status gpcov_fee_run(gpcov_ctx *ctx, const struct gpcov_fee_opts *o,
                           struct gpcov_layer **units_out,
                           struct gpcov_layer **practices_out,
                           struct gpcov_fee_report *rep)
{
    struct run R = {.ctx = ctx, .o = o};
    struct gpcov_fee_weights *w = NULL;
    struct gpcov_fee_unit *fu = NULL;
    struct gpcov_layer *ul = NULL, *pl = NULL;
    const char **keys = NULL;
    double *people = NULL, *mean = NULL;
    char **excl = NULL;
    size_t *umuni = NULL; /* the municipality of each allocation unit */
    struct gpcov_fee_unit *agg = NULL;
    struct gpcov_fee_report rp;
    memset(&rp, 0, sizeof rp);
    *units_out = NULL;
    if (practices_out)
        *practices_out = NULL;
    GEOSContextHandle_t h = ctx->geos;
    gpcov_status st = gpcov_fee_params_check(ctx, &o->params);
    if (st)
        goto done;
    if (!o->units || !o->age.src) {
        st = gpcov_err(ctx, GPCOV_EUSAGE, "the units layer and the age table are required");
        goto done;
    }
    if (!(o->norm > 0) || !isfinite(o->norm)) {
        st = gpcov_err(ctx, GPCOV_EUSAGE, "the norm must be > 0 patients per capacity (got %g)",
                       o->norm);
        goto done;
    }
    if (o->practices && !practices_out) {
        st = gpcov_err(ctx, GPCOV_EUSAGE, "practices given but no place for their layer");
        goto done;
    }
    if ((st = gpcov_fee_weights_read(ctx, o->weights, &w)))
        goto done;

    /* the municipalities */
    R.key = o->key ? o->key : "komkode";
    struct gpcov_read_opts ro = {.layer = o->units_layer, .key_field = R.key};
    if ((st = gpcov_layer_read(ctx, o->units, &ro, &R.units)))
        goto done;
    gpcov_layer_sort(R.units);
    if (o->designation && (st = join_designation(ctx, o, R.units, R.key)))
        goto done;
    struct gpcov_layer *U = R.units;
    size_t n = U->n;
    const char *nname = NULL, *ndes = NULL, *npat = NULL, *ncap = NULL;
    int fdes, fpat = -1, fcap = -1;
    if ((st = pick_field(ctx, o->units, U, o->name_field, "name", NULL,
                         "the name, --name-field", &R.name_f, &nname)) ||
        (st = pick_field(ctx, o->units, U, o->designated_field, "designated_2019", NULL,
                         "designation, --designated-field", &fdes, &ndes)))
        goto done;
    if (fdes < 0 && o->params.designated_share > 0) {
        st = no_field(ctx, o->units, U, "designated_2019",
                      "whether a municipality is designated, --designated-field; needed while "
                      "the designated share is > 0");
        goto done;
    }
    if (!o->practices) {
        if ((st = pick_field(ctx, o->units, U, o->patients_field, "patients", "pop_2020",
                             "registered patients, --patients-field", &fpat, &npat)) ||
            (st = pick_field(ctx, o->units, U, o->capacities_field, "capacities", NULL,
                             "GP capacities, --capacities-field", &fcap, &ncap)))
            goto done;
        if (fpat < 0) {
            st = no_field(ctx, o->units, U, "patients",
                          "registered patients, --patients-field; nor 'pop_2020' as a proxy");
            goto done;
        }
    }
    R.m = calloc(n ? n : 1, sizeof *R.m);
    keys = calloc(n ? n : 1, sizeof *keys);
    people = calloc(n ? n : 1, sizeof *people);
    mean = calloc(n ? n : 1, sizeof *mean);
    if (!R.m || !keys || !people || !mean) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    if (o->exclude) {
        excl = CSLTokenizeString2(o->exclude, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES);
        for (char **e = excl; e && *e; e++) {
            char k[64];
            size_t i = 0;
            if (gpcov_key_normalise(*e, k, sizeof k) == 0)
                for (; i < n && strcmp(U->keys[i], k); i++)
                    ;
            if (i >= n || !**e) {
                st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no %s '%s' to exclude", o->units, R.key,
                               *e);
                goto done;
            }
            R.m[i].excluded = 1;
        }
    }
    size_t nk = 0;
    for (size_t i = 0; i < n; i++) {
        struct muni *M = &R.m[i];
        char where[600];
        snprintf(where, sizeof where, "%s: %s %s", o->units, R.key, U->keys[i]);
        const int fs[3] = {fdes, fpat, fcap};
        const char *const ws[3] = {ndes ? ndes : "", npat ? npat : "", ncap ? ncap : ""};
        if (M->excluded) {
            snprintf(M->reason, sizeof M->reason, "udeladt (--exclude)");
        } else if (left_out(U, i, fs, ws, 3, M->reason, sizeof M->reason)) {
            char nm[200] = "";
            M->excluded = 1;
            if (R.name_f >= 0)
                id_text(U, i, R.name_f, nm, sizeof nm);
            gpcov_notice(ctx, "%s: %s %s %s left out of the fee: %s", o->units, R.key, U->keys[i],
                         nm, M->reason);
        }
        if (M->excluded) {
            rp.nexcluded++;
            continue;
        }
        keys[nk++] = U->keys[i];
        if (fdes >= 0 && (st = bool_value(ctx, U, i, fdes, where, &M->designated)))
            goto done;
        if (fpat >= 0) {
            if ((st = num_value(ctx, U, i, fpat, where, &M->patients))) {
                if (is_blank(U, i, fpat)) {
                    char msg[GPCOV_MSG_MAX];
                    snprintf(msg, sizeof msg, "%s", gpcov_ctx_message(ctx));
                    st = gpcov_err(ctx, st, "%s (leave the unit out with --exclude %s)", msg,
                                   U->keys[i]);
                }
                goto done;
            }
            if (fcap >= 0) {
                if ((st = num_value(ctx, U, i, fcap, where, &M->capacities)))
                    goto done;
            } else {
                M->capacities = M->patients / o->norm;
            }
        }
    }
    rp.nunits = nk;

    /* the age-sex composition of each municipality */
    {
        double national;
        if ((st = gpcov_fee_mean_weights(ctx, &o->age, w, keys, nk, people, mean, &national)))
            goto done;
        for (size_t i = 0, k = 0; i < n; i++)
            if (!R.m[i].excluded) {
                R.m[i].people = people[k];
                R.m[i].mean = mean[k];
                k++;
            }
        rp.national_mean = national;
    }

    /* the practices, when given */
    if (o->practices && (st = read_practices(&R)))
        goto done;

    /* the allocation units */
    size_t nu = o->practices ? R.np : nk;
    fu = calloc(nu ? nu : 1, sizeof *fu);
    if (!fu) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    umuni = calloc(nu ? nu : 1, sizeof *umuni);
    if (!umuni) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    if (o->practices) {
        for (size_t j = 0; j < R.np; j++) {
            fu[j].key = R.p[j].id;
            fu[j].designated = R.p[j].designated;
            fu[j].patients = R.p[j].patients;
            fu[j].capacities = R.p[j].capacities;
            umuni[j] = R.p[j].muni;
        }
    } else {
        for (size_t i = 0, k = 0; i < n; i++)
            if (!R.m[i].excluded) {
                fu[k].key = U->keys[i];
                fu[k].designated = R.m[i].designated;
                fu[k].patients = R.m[i].patients;
                fu[k].capacities = R.m[i].capacities;
                umuni[k++] = i;
            }
    }
    /* the national mean: from the national rows, else over the units */
    double W = rp.national_mean;
    const char *natkey = o->age.national_key ? o->age.national_key : "0000";
    if (isfinite(W)) {
        rp.national_basis = fmt("the national rows ('%s') of %s", natkey, o->age.src);
    } else {
        double sp = 0, swp = 0;
        for (size_t j = 0; j < nu; j++) {
            const struct muni *M = &R.m[umuni[j]];
            if (fu[j].patients > 0 && isfinite(M->mean)) {
                sp += fu[j].patients;
                swp += fu[j].patients * M->mean;
            }
        }
        W = sp > 0 ? swp / sp : NAN;
        rp.national_mean = W;
        rp.national_basis = fmt("the mean over the units' patients (%s has no national rows%s%s%s)",
                                o->age.src, *natkey ? " '" : "", natkey, *natkey ? "'" : "");
    }
    if (!(W > 0)) {
        st = gpcov_err(ctx, GPCOV_EINPUT,
                       "%s: the national mean weight is %g (no people, or every weight 0 in %s)",
                       o->age.src, W, w->src);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        R.m[i].factor = isfinite(R.m[i].mean) ? R.m[i].mean / W : 1;
    for (size_t j = 0; j < nu; j++) {
        const struct muni *M = &R.m[umuni[j]];
        if (!isfinite(M->mean) && fu[j].patients > 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT,
                           "%s: area '%s' has nobody in the age table, but %s '%s' has %g patients",
                           o->age.src, U->keys[umuni[j]], o->practices ? "practice" : R.key,
                           fu[j].key, fu[j].patients);
            goto done;
        }
        fu[j].factor = M->factor;
    }
    if ((st = gpcov_fee_allocate(ctx, &o->params, fu, nu, &rp.result))) {
        goto done;
    }

    /* what it was based on */
    int proxy = npat && !strncmp(npat, "pop", 3);
    if (o->practices)
        rp.patients_basis = fmt("%s of %s", o->practice_patients ? o->practice_patients : "patients",
                                o->practices);
    else if (proxy)
        rp.patients_basis = fmt("%s of %s: the population, as a proxy for registered patients "
                                "(no per-municipality patient count was given)",
                                npat, o->units);
    else
        rp.patients_basis = fmt("%s of %s", npat, o->units);
    const char *capsrc = o->practices ? (o->practice_capacities ? o->practice_capacities
                                         : gpcov_layer_field(R.pts, "capacities") >= 0 ? "capacities"
                                                                                     : NULL)
                                      : ncap;
    if (capsrc)
        rp.capacities_basis = fmt("%s of %s", capsrc, o->practices ? o->practices : o->units);
    else
        rp.capacities_basis = fmt("ESTIMATED as patients / %g (the norm), not counted", o->norm);
    if (o->weights) {
        rp.weights_basis = fmt("%s", o->weights);
    } else {
        double w80 = 0, w0 = 0;
        gpcov_fee_weight_of(w, GPCOV_FEE_ALL, 80, &w80);
        gpcov_fee_weight_of(w, GPCOV_FEE_ALL, 0, &w0);
        rp.weights_basis = fmt("the default weights, an ASSUMPTION: ages 0-79 %g, 80+ %g; against "
                               "the national mean %.4f that is %.2f and %.2f times the average",
                               w0, w80, W, w0 / W, w80 / W);
    }
    rp.npractices = o->practices ? R.np : 0;
    {
        char b1[48], b2[48], b3[48];
        const struct gpcov_fee_result *r = &rp.result;
        rp.note = fmt("Differentiated base fee (OK18): budget %s DKK; %g %% (%s DKK) per patient "
                      "in designated units; %g %% (%s DKK) per weighted patient above the "
                      "ordinary count, capped at %.2f DKK per capacity. Patients: %s. "
                      "Capacities: %s. Weights: %s, normalised to a national mean of 1 (%s). "
                      "Amounts in whole øre summing to the budget.",
                      gpcov_fee_format_dkk(r->budget_ore, b1, sizeof b1), o->params.designated_share,
                      gpcov_fee_format_dkk(r->designated_ore, b2, sizeof b2),
                      o->params.weight_share, gpcov_fee_format_dkk(r->weight_ore, b3, sizeof b3),
                      o->params.cap_per_capacity, rp.patients_basis ? rp.patients_basis : "",
                      rp.capacities_basis ? rp.capacities_basis : "",
                      rp.weights_basis ? rp.weights_basis : "",
                      rp.national_basis ? rp.national_basis : "");
    }
    if (!rp.patients_basis || !rp.capacities_basis || !rp.weights_basis || !rp.national_basis ||
        !rp.note) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }

    /* the municipality layer */
    int fx[F_N];
    if (!(ul = gpcov_layer_new("fee")) ||
        add_fields(ctx, ul, R.key, NULL, o->practices != NULL, fx)) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    agg = calloc(n ? n : 1, sizeof *agg);
    if (!agg) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < nu; j++) {
        struct gpcov_fee_unit *a = &agg[umuni[j]];
        a->patients += fu[j].patients;
        a->capacities += fu[j].capacities;
        a->weighted += fu[j].weighted;
        a->difference += fu[j].difference;
        a->cap_ore += fu[j].cap_ore;
        a->designated_ore += fu[j].designated_ore;
        a->weight_ore += fu[j].weight_ore;
        a->total_ore += fu[j].total_ore;
        a->capped |= fu[j].capped;
    }
    for (size_t i = 0; i < n; i++) {
        GEOSGeometry *g = U->geoms[i] ? GEOSGeom_clone_r(h, U->geoms[i]) : NULL;
        long k = gpcov_layer_append(ctx, ul, U->keys[i], g);
        if (k < 0) {
            if (g)
                GEOSGeom_destroy_r(h, g);
            st = GPCOV_ENOMEM;
            break;
        }
        gpcov_layer_set_str(ctx, ul, (size_t)k, (size_t)fx[F_KEY], U->keys[i]);
        if (fx[F_NAME] >= 0 && R.name_f >= 0) {
            char nm[512];
            id_text(U, i, R.name_f, nm, sizeof nm);
            gpcov_layer_set_str(ctx, ul, (size_t)k, (size_t)fx[F_NAME], nm);
        }
        struct gpcov_fee_unit *a = &agg[i];
        a->designated = R.m[i].designated;
        a->factor = R.m[i].factor;
        a->weighted = r6(a->weighted);
        a->difference = r6(a->difference);
        if (R.m[i].excluded) {
            /* left out: no amount (empty, not 0 DKK), and why */
            if (gpcov_layer_set_str(ctx, ul, (size_t)k, (size_t)fx[F_REASON], R.m[i].reason))
                st = GPCOV_ENOMEM;
            continue;
        }
        set_unit(ctx, ul, (size_t)k, fx, a);
        if (fx[F_NPRACT] >= 0)
            set_num(ctx, ul, (size_t)k, fx[F_NPRACT], (double)R.m[i].npractices);
    }
    if (!st)
        st = set_meta(ctx, ul, &o->params, &rp);
    if (st) {
        if (st == GPCOV_ENOMEM)
            gpcov_err(ctx, st, "out of memory");
        goto done;
    }

    /* the practice layer */
    if (o->practices) {
        const char *idname = o->practice_id ? o->practice_id : "id";
        const char *muniname = strcmp(idname, R.key) ? R.key : "municipality";
        if (!(pl = gpcov_layer_new("fee_practices")) ||
            add_fields(ctx, pl, idname, muniname, 0, fx)) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t j = 0; j < R.np && !st; j++) {
            GEOSGeometry *g = R.pts->geoms[j] ? GEOSGeom_clone_r(h, R.pts->geoms[j]) : NULL;
            long k = gpcov_layer_append(ctx, pl, R.p[j].id, g);
            if (k < 0) {
                if (g)
                    GEOSGeom_destroy_r(h, g);
                st = GPCOV_ENOMEM;
                break;
            }
            if (gpcov_layer_set_str(ctx, pl, (size_t)k, (size_t)fx[F_KEY], R.p[j].id) ||
                (fx[F_NAME] >= 0 && R.p[j].name &&
                 gpcov_layer_set_str(ctx, pl, (size_t)k, (size_t)fx[F_NAME], R.p[j].name)) ||
                gpcov_layer_set_str(ctx, pl, (size_t)k, (size_t)fx[F_MUNI],
                                    U->keys[R.p[j].muni]))
                st = GPCOV_ENOMEM;
            set_unit(ctx, pl, (size_t)k, fx, &fu[j]);
        }
        if (!st) {
            gpcov_layer_sort(pl);
            st = set_meta(ctx, pl, &o->params, &rp);
        }
        if (st) {
            if (st == GPCOV_ENOMEM)
                gpcov_err(ctx, st, "out of memory");
            goto done;
        }
    }
    *units_out = ul;
    ul = NULL;
    if (practices_out) {
        *practices_out = pl;
        pl = NULL;
    }
    if (rep) {
        *rep = rp;
        memset(&rp, 0, sizeof rp);
    }
done:
    gpcov_fee_report_clear(&rp);
    gpcov_layer_free(ctx, ul);
    gpcov_layer_free(ctx, pl);
    gpcov_layer_free(ctx, R.units);
    gpcov_layer_free(ctx, R.pts);
    for (size_t j = 0; R.p && j < R.np; j++) {
        free(R.p[j].id);
        free(R.p[j].name);
    }
    free(R.p);
    free(R.m);
    free(fu);
    free(umuni);
    free(agg);
    free(keys);
    free(people);
    free(mean);
    CSLDestroy(excl);
    gpcov_fee_weights_free(w);
    return st;
}
