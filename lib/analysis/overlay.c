/*
** overlay.c: joins tables and points to polygons and derives indicators.
** Tables join by key (normalised municipality codes), long tables are
** aggregated per key by declared functions and filters, points join by
** location (point in polygon, with a small snap for coastal points that a
** generalised coastline leaves at sea), and derived fields are evaluated
** last, in declaration order.  Every inconsistency — a key without a
** polygon, a polygon without a row, a key twice where one row is expected,
** a missing column, text where a number is needed — stops the run with a
** message naming the file, the line and the value.
*/
#include "analysis_internal.h"

#include <cpl_string.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per output field and polygon: an aggregate in progress, or the value. */
struct acc {
    double sum, min, max;
    long n;          /* rows that contributed */
    long nv;         /* of which with a number */
    int null_seen;   /* a contributing row had no value: the sum is unknown */
    int unknown_where; /* a row's filter could not be told: the result is unknown */
    struct gpcov_value first;
    long first_line; /* FIELD: the row it came from (duplicate messages) */
};

struct run {
    gpcov_ctx *ctx;
    const struct gpcov_overlay_spec *s;
    struct gpcov_layer *poly; /* as read, keyed */
    struct gpcov_layer *out;
};

/* ------------------------------------------------------------ lookups */

struct row_ref {
    const struct gpcov_table *t;
    size_t r;
};

static int table_lookup(void *user, const char *name, struct gpcov_value *v)
{
    struct row_ref *rr = user;
    int c = gpcov_table_col(rr->t, name);
    if (c < 0)
        return -1;
    const char *cell = rr->t->cells[rr->r * rr->t->ncols + (size_t)c];
    v->null = cell == NULL;
    v->num = 0;
    v->str = (char *)cell;
    return 0;
}

/* Every name an expression uses must be a column of the table. */
static gpcov_status check_names(gpcov_ctx *ctx, const gpcov_expr *e,
                                const char *path, char **cols, size_t ncols,
                                const char *decl)
{
    if (!e)
        return GPCOV_OK;
    for (size_t i = 0; i < gpcov_expr_nnames(e); i++) {
        const char *nm = gpcov_expr_name(e, i);
        size_t c = 0;
        while (c < ncols && strcmp(cols[c], nm))
            c++;
        if (c < ncols)
            continue;
        char list[512] = "";
        for (size_t k = 0; k < ncols && strlen(list) < 400; k++) {
            if (k)
                strcat(list, ", ");
            strncat(list, cols[k], 60);
        }
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no column '%s' (used in \"%s\"; columns: %s)",
                         path, nm, decl, list);
    }
    return GPCOV_OK;
}

/* ----------------------------------------------------- accumulation */

static int is_true(const struct gpcov_value *v)
{
    if (v->null)
        return 0;
    if (v->str)
        return v->str[0] != 0;
    return v->num != 0;
}

static void val_clear(struct gpcov_value *v)
{
    free(v->str);
    memset(v, 0, sizeof *v);
    v->null = 1;
}

/* Adds a row's value v (taken) to an aggregate of key. */
static gpcov_status acc_add(gpcov_ctx *ctx, struct acc *a, enum gpcov_agg_fn fn,
                            struct gpcov_value *v, const char *where, const char *key)
{
    a->n++;
    if (fn == GPCOV_COUNT) {
        val_clear(v);
        return GPCOV_OK;
    }
    if (fn == GPCOV_FIRST) {
        if (a->n == 1)
            a->first = *v;
        else
            val_clear(v);
        return GPCOV_OK;
    }
    if (v->null) {
        a->null_seen = 1;
        return GPCOV_OK;
    }
    double d = v->num;
    if (v->str && gpcov_parse_number(v->str, &d) != 0) {
        gpcov_status st = gpcov_err(ctx, GPCOV_EINPUT, "%s: '%s' is not a number", where, v->str);
        val_clear(v);
        return st;
    }
    val_clear(v);
    if (a->nv++ == 0)
        a->min = a->max = d;
    a->sum += d;
    if (!isfinite(a->sum)) /* not inf in one format and null in another */
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: the %s for key '%s' overflows (beyond %g) at this row",
                         where, fn == GPCOV_MEAN ? "sum behind the mean" : "sum", key, DBL_MAX);
    if (d < a->min)
        a->min = d;
    if (d > a->max)
        a->max = d;
    return GPCOV_OK;
}

/* The final value of an aggregate; has_rows: the polygon had rows at all. */
static struct gpcov_value acc_result(struct acc *a, enum gpcov_agg_fn fn, int has_rows)
{
    struct gpcov_value v = {1, 0, NULL};
    if (!has_rows)
        return v;
    switch (fn) {
    case GPCOV_COUNT:
        v.null = 0;
        v.num = (double)a->n;
        break;
    case GPCOV_FIRST:
        v = a->first;
        memset(&a->first, 0, sizeof a->first);
        a->first.null = 1;
        break;
    case GPCOV_SUM:
        /* one unknown term makes the sum unknown; no rows sum to 0 */
        if (!a->null_seen) {
            v.null = 0;
            v.num = a->sum;
        }
        break;
    case GPCOV_MEAN:
        if (!a->null_seen && a->nv) {
            v.null = 0;
            v.num = a->sum / (double)a->nv;
        }
        break;
    case GPCOV_MIN:
    case GPCOV_MAX:
        if (!a->null_seen && a->nv) {
            v.null = 0;
            v.num = fn == GPCOV_MIN ? a->min : a->max;
        }
        break;
    }
    return v;
}

/* ------------------------------------------------------- output fields */

/* Sets field f of the output from n values (taken), typing them as
** declared, or inferring: text if any value is text that is not a plain
** number (a leading zero keeps "0101" text), else integer if all whole. */
static gpcov_status set_column(struct run *R, const char *name, int declared,
                               struct gpcov_value *vals)
{
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_layer *out = R->out;
    size_t n = out->n;
    int type = declared;
    if (type < 0) {
        int text = 0, whole = 1, any = 0;
        for (size_t i = 0; i < n; i++) {
            struct gpcov_value *v = &vals[i];
            if (v->null)
                continue;
            any = 1;
            double d = v->num;
            if (v->str) {
                const char *s = v->str;
                int lead0 = s[0] == '0' && s[1] && s[1] != '.' && s[1] != ',';
                if (lead0 || gpcov_parse_number(s, &d) != 0) {
                    text = 1;
                    break;
                }
            }
            if (d != floor(d) || fabs(d) > 9e15)
                whole = 0;
        }
        type = text ? GPCOV_STR : (whole && any) ? GPCOV_INT : GPCOV_REAL;
    }
    int f = gpcov_layer_add_field(ctx, out, name, (enum gpcov_ftype)type);
    if (f < 0)
        return GPCOV_EUSAGE;
    for (size_t i = 0; i < n; i++) {
        struct gpcov_value *v = &vals[i];
        gpcov_status st = GPCOV_OK;
        if (v->null) {
            /* stays null */
        } else if (type == GPCOV_STR) {
            char buf[64];
            if (!v->str)
                snprintf(buf, sizeof buf, "%.15g", v->num);
            st = gpcov_layer_set_str(ctx, out, i, (size_t)f, v->str ? v->str : buf);
        } else {
            double d = v->num;
            if (v->str && gpcov_parse_number(v->str, &d) != 0)
                st = gpcov_err(ctx, GPCOV_EINPUT, "field %s: '%s' for %s is not a number", name,
                               v->str, out->keys[i]);
            else
                st = gpcov_layer_set_num(ctx, out, i, (size_t)f,
                                         type == GPCOV_BOOL ? (d != 0) : d);
        }
        if (st)
            return st;
    }
    return GPCOV_OK;
}

static const char *poly_name(struct run *R, size_t i)
{
    int nf = gpcov_layer_field(R->out, "name");
    if (nf < 0)
        return "";
    const struct gpcov_value *v = gpcov_layer_value(R->out, i, (size_t)nf);
    return v->null || !v->str ? "" : v->str;
}

/* Map from the normalised value of the polygons' field to polygon index. */
static gpcov_status poly_index(struct run *R, const char *field, struct gpcov_strmap *m)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_layer *p = R->poly;
    int f = strcmp(field, R->s->poly_key) ? gpcov_layer_field(p, field) : -1;
    if (f < 0 && strcmp(field, R->s->poly_key))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s' for --key", R->s->polygons, field);
    for (size_t i = 0; i < p->n; i++) {
        char key[256];
        const char *raw = p->keys[i];
        if (f >= 0) {
            const struct gpcov_value *v = gpcov_layer_value(p, i, (size_t)f);
            char num[64];
            if (!v->str)
                snprintf(num, sizeof num, "%.15g", v->num);
            raw = v->null ? "" : v->str ? v->str : num;
        }
        if (gpcov_key_normalise(raw, key, sizeof key) != 0)
            continue;
        size_t other;
        if (f >= 0 && gpcov_strmap_get(m, key, &other) == 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: polygons %s and %s share %s '%s'",
                             R->s->polygons, p->keys[other], p->keys[i], field, raw);
        if (gpcov_strmap_put(m, key, i))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    return GPCOV_OK;
}

/* Polygons without rows: an error unless the source is optional, the
** polygon exempt, or missing rows are allowed altogether. */
static gpcov_status check_missing(struct run *R, const struct gpcov_src_spec *src,
                                  const long *nrows)
{
    const struct gpcov_overlay_spec *s = R->s;
    /* a polygon with no points in it is an answer (zero), not a gap */
    if (src->optional || s->allow_missing || src->kind == GPCOV_SRC_POINTS)
        return GPCOV_OK;
    char list[600] = "";
    size_t miss = 0;
    for (size_t i = 0; i < R->out->n; i++) {
        if (nrows[i] || CSLFindString(s->exempt, R->out->keys[i]) >= 0)
            continue;
        if (miss++ < 6 && strlen(list) < 450) {
            char item[120];
            snprintf(item, sizeof item, "%s%s %s", miss > 1 ? ", " : "", R->out->keys[i],
                     poly_name(R, i));
            strcat(list, item);
        }
    }
    if (!miss)
        return GPCOV_OK;
    return gpcov_err(R->ctx, GPCOV_EINPUT,
                     "%s: no row for %zu polygon%s of %s: %s%s (use --optional for this "
                     "table, --exempt KEY, or --allow-missing)",
                     src->path, miss, miss > 1 ? "s" : "", s->polygons, list,
                     miss > 6 ? ", ..." : "");
}

/* Evaluates the outputs of one source for one row (table) or feature
** (points) joined to polygon p.  where: "file:line" for messages. */
static gpcov_status take_row(struct run *R, const struct gpcov_src_spec *src,
                             struct acc **accs, size_t p, gpcov_lookup_fn lookup,
                             void *user, int *mode, const char *where, long line)
{
    gpcov_ctx *ctx = R->ctx;
    for (size_t k = 0; k < src->nout; k++) {
        const struct gpcov_out_spec *o = &src->out[k];
        struct acc *a = &accs[k][p];
        struct gpcov_value v = {1, 0, NULL};
        gpcov_status st;
        if (o->where) {
            /* a row the filter cannot place (an empty value it compares)
            ** might belong: the aggregate is unknown, not smaller */
            int t;
            if ((st = gpcov_where_truth(ctx, o->where, lookup, user, mode, &t)))
                goto fail;
            a->unknown_where |= t < 0;
            if (t <= 0)
                continue;
        }
        if (o->kind == GPCOV_OUT_PRESENT) {
            a->n++;
            continue;
        }
        if (o->value && (st = gpcov_expr_eval(ctx, o->value, lookup, user, &v)))
            goto fail;
        if (o->kind == GPCOV_OUT_FIELD) {
            if (a->n) {
                val_clear(&v);
                return gpcov_err(ctx, GPCOV_EINPUT,
                                 "%s: key '%s' appears again (first at line %ld): one row per key "
                                 "is expected for '%s' (aggregate with --agg, or filter with --where)",
                                 where, R->out->keys[p], a->first_line, o->name);
            }
            a->n = 1;
            a->first = v;
            a->first_line = line;
            continue;
        }
        char w[700];
        snprintf(w, sizeof w, "%s: %s", where, o->name);
        if ((st = acc_add(ctx, a, o->fn, &v, w, R->out->keys[p])))
            return st;
        continue;
    fail:
        if (st == GPCOV_EINPUT || st == GPCOV_EUSAGE) {
            char m[GPCOV_MSG_MAX];
            snprintf(m, sizeof m, "%s", gpcov_ctx_message(ctx));
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s", where, m);
        }
        return st;
    }
    return GPCOV_OK;
}

/* Says which units got an empty aggregate because a row's filter could not
** be told (a travel time unknown, say). */
static void note_unknown(struct run *R, const struct gpcov_src_spec *src,
                         const struct gpcov_out_spec *o, const struct acc *a)
{
    char list[600] = "";
    size_t n = 0;
    for (size_t i = 0; i < R->out->n; i++) {
        if (!a[i].unknown_where)
            continue;
        if (n++ < 8 && strlen(list) < 450)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s %s",
                     n > 1 ? ", " : "", R->out->keys[i], poly_name(R, i));
    }
    if (n)
        gpcov_notice(R->ctx, "%s: %s is empty (unknown) for %zu unit%s, where a row's "
                     "condition could not be told (an empty value, e.g. no travel time): %s%s",
                     src->path, o->name, n, n > 1 ? "s" : "", list, n > 8 ? ", ..." : "");
}

static gpcov_status finish_source(struct run *R, const struct gpcov_src_spec *src,
                                  struct acc **accs, const long *nrows)
{
    gpcov_status st = check_missing(R, src, nrows);
    size_t n = R->out->n;
    for (size_t k = 0; !st && k < src->nout; k++) {
        const struct gpcov_out_spec *o = &src->out[k];
        struct gpcov_value *vals = calloc(n ? n : 1, sizeof *vals);
        if (!vals)
            return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++) {
            struct acc *a = &accs[k][i];
            if (a->unknown_where) {
                vals[i].null = 1;
                a->n = 0; /* a FIELD's value stays in first and is freed there */
            } else if (o->kind == GPCOV_OUT_PRESENT) {
                vals[i].num = a->n > 0;
            } else if (o->kind == GPCOV_OUT_FIELD) {
                vals[i] = a->n ? a->first : (struct gpcov_value){1, 0, NULL};
                memset(&a->first, 0, sizeof a->first);
            } else {
                /* points: a polygon with no points has 0 of them */
                int has = nrows[i] > 0 || src->kind == GPCOV_SRC_POINTS;
                vals[i] = acc_result(a, o->fn, has);
            }
        }
        st = set_column(R, o->name, o->type, vals);
        for (size_t i = 0; i < n; i++)
            free(vals[i].str);
        free(vals);
        if (!st)
            note_unknown(R, src, o, accs[k]);
    }
    return st;
}

static struct acc **accs_new(size_t nout, size_t n)
{
    struct acc **a = calloc(nout ? nout : 1, sizeof *a);
    for (size_t k = 0; a && k < nout; k++)
        if (!(a[k] = calloc(n ? n : 1, sizeof **a)))
            return NULL; /* leaked on ENOMEM: the run ends anyway */
    return a;
}

static void accs_free(struct acc **a, size_t nout, size_t n)
{
    if (!a)
        return;
    for (size_t k = 0; k < nout; k++) {
        for (size_t i = 0; a[k] && i < n; i++)
            free(a[k][i].first.str);
        free(a[k]);
    }
    free(a);
}

/* ------------------------------------------------------------- tables */

/* A table made by a travel model (access.gpkg: GPCOV_MODEL in its
** metadata) says so beside the fields taken from it: STEM_model. */
static gpcov_status table_model(struct run *R, const struct gpcov_src_spec *src)
{
    if (!strncmp(src->path, "PG:", 3))
        return GPCOV_OK; /* PostGIS keeps no layer metadata */
    char *m = gpcov_vector_meta(src->path, src->topts.layer, "GPCOV_MODEL");
    if (!m)
        return GPCOV_OK;
    const char *base = strrchr(src->path, '/');
    base = base ? base + 1 : src->path;
    const char *dot = strrchr(base, '.');
    char name[160];
    snprintf(name, sizeof name, "%.*s_model", (int)(dot ? dot - base : (long)strlen(base)), base);
    int f = gpcov_layer_add_field(R->ctx, R->out, name, GPCOV_STR);
    gpcov_status st = f < 0 ? GPCOV_EUSAGE : GPCOV_OK;
    for (size_t i = 0; !st && i < R->out->n; i++)
        st = gpcov_layer_set_str(R->ctx, R->out, i, (size_t)f, m);
    free(m);
    return st;
}

/* The table's key column (*kc, -1 when missing: an error unless the name
** check passes) and every name the source's expressions use. */
static gpcov_status table_names(gpcov_ctx *ctx, const struct gpcov_src_spec *src,
                                const struct gpcov_table *t, int *kc)
{
    char decl[200];
    snprintf(decl, sizeof decl, "--key %s=%s", src->poly_field, src->table_field);
    gpcov_status st;
    *kc = gpcov_table_col(t, src->table_field);
    if (*kc < 0) {
        gpcov_expr *ke = NULL;
        char q[300];
        snprintf(q, sizeof q, "\"%s\"", src->table_field);
        if ((st = gpcov_expr_parse(ctx, q, &ke)) == GPCOV_OK)
            st = check_names(ctx, ke, src->path, t->cols, t->ncols, decl);
        gpcov_expr_free(ke);
        return st;
    }
    if ((st = check_names(ctx, src->where, src->path, t->cols, t->ncols, "--where")))
        return st;
    for (size_t k = 0; k < src->nout; k++)
        if ((st = check_names(ctx, src->out[k].value, src->path, t->cols, t->ncols,
                              src->out[k].text)) ||
            (st = check_names(ctx, src->out[k].where, src->path, t->cols, t->ncols,
                              src->out[k].text)))
            return st;
    return GPCOV_OK;
}

/* Row r of table t (key column kc) through --where, to its polygon (by
** pmap) and into the accumulators. */
static gpcov_status table_row(struct run *R, const struct gpcov_src_spec *src,
                              const struct gpcov_table *t, size_t r, int kc,
                              const struct gpcov_strmap *pmap, struct gpcov_namejoin *nj,
                              struct acc **accs, long *nrows)
{
    gpcov_ctx *ctx = R->ctx;
    struct row_ref rr = {t, r};
    char where[600];
    gpcov_status st;
    snprintf(where, sizeof where, "%s:%ld", src->path, t->row_line[r]);
    if (src->where) {
        struct gpcov_value v;
        if ((st = gpcov_expr_eval(ctx, src->where, table_lookup, &rr, &v))) {
            char m[GPCOV_MSG_MAX];
            snprintf(m, sizeof m, "%s", gpcov_ctx_message(ctx));
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: %s", where, m);
        }
        int keep = is_true(&v);
        val_clear(&v);
        if (!keep)
            return GPCOV_OK;
    }
    const char *raw = t->cells[r * t->ncols + (size_t)kc];
    char key[256];
    if (!raw || gpcov_key_normalise(raw, key, sizeof key) != 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: empty key in column '%s'", where,
                         src->table_field);
    size_t p;
    int by_name = gpcov_strmap_get(pmap, key, &p) != 0
                      ? gpcov_overlay_by_name(ctx, nj, raw, where, &p) : GPCOV_NAME_FOUND;
    if (by_name == GPCOV_NAME_ASIDE)
        return GPCOV_OK;
    if (by_name == GPCOV_NAME_ERROR)
        return GPCOV_EINPUT;
    if (by_name == GPCOV_NAME_NONE)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s: key '%s' (%s = '%s') has no polygon in %s (filter such rows "
                         "with --where)",
                         where, key, src->table_field, raw, R->s->polygons);
    nrows[p]++;
    return take_row(R, src, accs, p, table_lookup, &rr, NULL, where, t->row_line[r]);
}

static gpcov_status join_table(struct run *R, const struct gpcov_src_spec *src)
{
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_table *t = NULL;
    struct gpcov_strmap pmap = {0};
    struct acc **accs = NULL;
    long *nrows = NULL;
    size_t n = R->out->n;
    gpcov_status st;
    if (!src->table_field)
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: no --key POLYFIELD=TABLEFIELD for this table",
                         src->path);
    struct gpcov_table_opts topts = src->topts;
    topts.header_has = src->table_field; /* the header is the row naming the key */
    if ((st = gpcov_table_read(ctx, src->path, &topts, &t)))
        return st;
    int kc;
    struct gpcov_namejoin nj = {R->poly, R->s->name_field, R->s->polygons, NULL};
    if ((st = gpcov_overlay_match_columns(ctx, src, t)) ||
        (st = table_names(ctx, src, t, &kc)) || kc < 0)
        goto done;
    if ((st = poly_index(R, src->poly_field, &pmap)))
        goto done;
    accs = accs_new(src->nout, n);
    nrows = calloc(n ? n : 1, sizeof *nrows);
    if (!accs || !nrows) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < t->nrows; r++)
        if ((st = table_row(R, src, t, r, kc, &pmap, &nj, accs, nrows)))
            goto done;
    gpcov_overlay_aside_notice(ctx, &nj, src->path);
    st = finish_source(R, src, accs, nrows);
    if (!st)
        st = table_model(R, src);
done:
    CSLDestroy(nj.aside);
    accs_free(accs, src->nout, n);
    free(nrows);
    gpcov_strmap_clear(&pmap);
    gpcov_table_free(t);
    return st;
}

/* ------------------------------------------------------------- points */

/* Beside the indicators made from a sampled raster, which model made it:
** a text field NAME_model on every unit (it survives into a CSV), saying
** too how a cell beyond the raster's --max-minutes cut was counted. */
static gpcov_status model_fields(struct run *R, const struct gpcov_samples *smp)
{
    for (size_t k = 0; k < smp->n; k++) {
        char name[160], text[600];
        snprintf(name, sizeof name, "%s_model", smp->name[k]);
        int n = snprintf(text, sizeof text, "%s", smp->model[k] ? smp->model[k]
                                                                : "unknown (no GPCOV_MODEL)");
        if (isfinite(smp->cut[k]) && n >= 0 && (size_t)n < sizeof text)
            snprintf(text + n, sizeof text - (size_t)n,
                     "; cut at %g min: no time there counts as more than %g min", smp->cut[k],
                     smp->cut[k]);
        int f = gpcov_layer_add_field(R->ctx, R->out, name, GPCOV_STR);
        if (f < 0)
            return GPCOV_EUSAGE;
        for (size_t i = 0; i < R->out->n; i++) {
            gpcov_status st = gpcov_layer_set_str(R->ctx, R->out, i, (size_t)f, text);
            if (st)
                return st;
        }
    }
    return GPCOV_OK;
}

/* Every name the expressions of a point source use is a field of pts. */
static gpcov_status points_names(gpcov_ctx *ctx, const struct gpcov_src_spec *src,
                                 const struct gpcov_layer *pts)
{
    gpcov_status st = GPCOV_OK;
    char **names = NULL;
    for (size_t f = 0; f < pts->nfields; f++)
        names = CSLAddString(names, pts->fields[f].name);
    if (src->where)
        st = check_names(ctx, src->where, src->path, names, pts->nfields, "--where");
    for (size_t k = 0; k < src->nout && !st; k++) {
        st = check_names(ctx, src->out[k].value, src->path, names, pts->nfields, src->out[k].text);
        if (!st)
            st = check_names(ctx, src->out[k].where, src->path, names, pts->nfields, src->out[k].text);
    }
    CSLDestroy(names);
    return st;
}

/* The error for point g (at where) in no polygon, with a hint when it is
** far beyond all of them. */
static gpcov_status point_outside(struct run *R, const struct gpcov_src_spec *src,
                                  const GEOSGeometry *g, const char *where)
{
    GEOSContextHandle_t h = R->ctx->geos;
    double x = 0, y = 0;
    GEOSGeomGetX_r(h, g, &x);
    GEOSGeomGetY_r(h, g, &y);
    /* far beyond all the polygons: the coordinates, not the point,
    ** are likely wrong (lon/lat swapped, metres read as degrees) */
    double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    for (size_t k = 0; k < R->out->n; k++) {
        const GEOSGeometry *pg = R->out->geoms[k];
        double a, b, c, d;
        if (pg && GEOSGeom_getXMin_r(h, pg, &a) && GEOSGeom_getYMin_r(h, pg, &b) &&
            GEOSGeom_getXMax_r(h, pg, &c) && GEOSGeom_getYMax_r(h, pg, &d)) {
            x0 = fmin(x0, a), y0 = fmin(y0, b), x1 = fmax(x1, c), y1 = fmax(y1, d);
        }
    }
    int far = x1 >= x0 && (x < x0 - 100e3 || x > x1 + 100e3 || y < y0 - 100e3 ||
                           y > y1 + 100e3);
    return gpcov_err(R->ctx, GPCOV_EINPUT,
                     "%s: the point (%.0f, %.0f in EPSG:%d) lies in no polygon of %s "
                     "(nor within %.0f m of one)%s",
                     where, x, y, GPCOV_WORKING_EPSG, R->s->polygons, src->snap,
                     far ? "; it is over 100 km beyond all of them: are longitude and "
                           "latitude swapped, or is the CRS wrong?"
                         : "");
}

static gpcov_status join_points(struct run *R, const struct gpcov_src_spec *src)
{
    gpcov_ctx *ctx = R->ctx;
    struct gpcov_layer *pts = NULL;
    struct gpcov_samples smp = {0};
    struct acc **accs = NULL;
    long *nrows = NULL, *poly_of = NULL;
    size_t n = R->out->n;
    gpcov_status st = GPCOV_OK;
    char ext[16];
    gpcov_path_ext(src->path, ext, sizeof ext);
    struct gpcov_read_opts ro = {.x_field = src->x_field, .y_field = src->y_field,
                                 .srs = src->srs};
    if ((st = gpcov_layer_read(ctx, src->path, &ro, &pts)))
        goto done;
    if ((st = gpcov_samples_read(ctx, src->samples, pts, &smp)) || (st = model_fields(R, &smp)))
        goto done;
    if ((st = points_names(ctx, src, pts)))
        goto done;
    poly_of = malloc((pts->n ? pts->n : 1) * sizeof *poly_of);
    accs = accs_new(src->nout, n);
    nrows = calloc(n ? n : 1, sizeof *nrows);
    if (!poly_of || !accs || !nrows) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = gpcov_points_in_polygons(ctx, R->out, pts, src->snap, poly_of)))
        goto done;
    for (size_t j = 0; j < pts->n; j++) {
        struct gpcov_feature fr = {pts, j};
        char where[600];
        /* CSV: the header is line 1 */
        snprintf(where, sizeof where, "%s:%s %zu", src->path,
                 !strcmp(ext, "csv") ? "line" : "feature", j + (!strcmp(ext, "csv") ? 2 : 1));
        if (src->where) {
            struct gpcov_value v;
            if ((st = gpcov_expr_eval(ctx, src->where, gpcov_layer_lookup, &fr, &v)))
                goto done;
            int keep = is_true(&v);
            val_clear(&v);
            if (!keep)
                continue;
        }
        const GEOSGeometry *g = pts->geoms[j];
        if (!g) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: the point has no coordinates", where);
            goto done;
        }
        if (poly_of[j] < 0) {
            st = point_outside(R, src, g, where);
            goto done;
        }
        size_t p = (size_t)poly_of[j];
        nrows[p]++;
        struct gpcov_sample_ref sr = {fr, &smp, 0};
        if ((st = take_row(R, src, accs, p, gpcov_sample_lookup, &sr, &sr.mode, where,
                           (long)j + 1)))
            goto done;
    }
    st = finish_source(R, src, accs, nrows);
done:
    accs_free(accs, src->nout, n);
    free(nrows);
    free(poly_of);
    gpcov_samples_clear(&smp);
    gpcov_layer_free(ctx, pts);
    return st;
}

/* ------------------------------------------------------------ derive */

static gpcov_status derive(struct run *R, const struct gpcov_derive_spec *d)
{
    gpcov_ctx *ctx = R->ctx;
    size_t n = R->out->n;
    for (size_t k = 0; k < gpcov_expr_nnames(d->expr); k++)
        if (gpcov_layer_field(R->out, gpcov_expr_name(d->expr, k)) < 0)
            return gpcov_err(ctx, GPCOV_EUSAGE,
                             "--derive '%s': no field '%s' (declare it before, with --field, "
                             "--agg, --present or --derive)",
                             d->text, gpcov_expr_name(d->expr, k));
    struct gpcov_value *vals = calloc(n ? n : 1, sizeof *vals);
    if (!vals)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = GPCOV_OK;
    for (size_t i = 0; i < n && !st; i++) {
        struct gpcov_feature fr = {R->out, i};
        if ((st = gpcov_expr_eval(ctx, d->expr, gpcov_layer_lookup, &fr, &vals[i]))) {
            char m[GPCOV_MSG_MAX];
            snprintf(m, sizeof m, "%s", gpcov_ctx_message(ctx));
            st = gpcov_err(ctx, GPCOV_EINPUT, "--derive '%s': %s %s: %s", d->text,
                           R->s->key_out ? R->s->key_out : "key", R->out->keys[i], m);
        }
    }
    if (!st)
        st = set_column(R, d->name, d->type < 0 ? GPCOV_REAL : d->type, vals);
    for (size_t i = 0; i < n; i++)
        free(vals[i].str);
    free(vals);
    return st;
}

/* --------------------------------------------------------------- run */

static gpcov_status copy_poly_field(struct run *R, const char *from, const char *to)
{
    int pf = gpcov_layer_field(R->poly, from);
    if (pf < 0)
        return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no field '%s'", R->s->polygons, from);
    enum gpcov_ftype t = R->poly->fields[pf].type;
    int of = gpcov_layer_add_field(R->ctx, R->out, to, t);
    if (of < 0)
        return GPCOV_EUSAGE;
    for (size_t i = 0; i < R->out->n; i++) {
        const struct gpcov_value *v = gpcov_layer_value(R->poly, i, (size_t)pf);
        gpcov_status st = GPCOV_OK;
        if (v->null)
            continue;
        if (t == GPCOV_STR)
            st = gpcov_layer_set_str(R->ctx, R->out, i, (size_t)of, v->str);
        else
            st = gpcov_layer_set_num(R->ctx, R->out, i, (size_t)of, v->num);
        if (st)
            return st;
    }
    return GPCOV_OK;
}

gpcov_status gpcov_overlay_run(gpcov_ctx *ctx, const struct gpcov_overlay_spec *s,
                               struct gpcov_layer **out)
{
    struct run R = {.ctx = ctx, .s = s};
    struct gpcov_overlay_spec sc = *s; /* poly_key defaulted below */
    gpcov_status st = GPCOV_OK;
    *out = NULL;
    if (!s->polygons)
        return gpcov_err(ctx, GPCOV_EUSAGE, "no --polygons given");
    if (!sc.poly_key)
        for (size_t i = 0; i < s->nsrc && !sc.poly_key; i++)
            if (s->src[i].kind == GPCOV_SRC_TABLE)
                sc.poly_key = s->src[i].poly_field;
    if (!sc.poly_key)
        return gpcov_err(ctx, GPCOV_EUSAGE, "no polygon key: give --polygon-key FIELD or a "
                                            "--key POLYFIELD=TABLEFIELD");
    for (size_t i = 0; i < s->nsrc; i++)
        if (!s->src[i].nout)
            return gpcov_err(ctx, GPCOV_EUSAGE,
                             "%s: declare what to take from it (--field, --agg or --present)",
                             s->src[i].path);
    R.s = &sc;
    struct gpcov_read_opts ro = {.layer = s->poly_layer, .key_field = sc.poly_key};
    if ((st = gpcov_layer_read(ctx, s->polygons, &ro, &R.poly)))
        return st;
    R.out = gpcov_layer_new(R.poly->name);
    if (!R.out) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    const char *key_out = s->key_out ? s->key_out : GPCOV_KEY_FIELD;
    int kf = gpcov_layer_add_field(ctx, R.out, key_out, GPCOV_STR);
    if (kf < 0) {
        st = GPCOV_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < R.poly->n; i++) {
        long j = gpcov_layer_append(ctx, R.out, R.poly->keys[i], R.poly->geoms[i]);
        if (j < 0) {
            st = GPCOV_ENOMEM;
            goto done;
        }
        R.poly->geoms[i] = NULL; /* the output owns it now */
        if ((st = gpcov_layer_set_str(ctx, R.out, (size_t)j, (size_t)kf, R.poly->keys[i])))
            goto done;
    }
    if (s->name_field && (st = copy_poly_field(&R, s->name_field, "name")))
        goto done;
    for (char **k = s->keep; k && *k; k++)
        if ((st = copy_poly_field(&R, *k, *k)))
            goto done;
    if (s->regions && (st = gpcov_overlay_regions(ctx, s, R.out)))
        goto done;
    for (size_t i = 0; i < s->nsrc && !st; i++) {
        if (!s->src[i].poly_field && s->src[i].kind == GPCOV_SRC_TABLE)
            st = gpcov_err(ctx, GPCOV_EUSAGE, "%s: no --key POLYFIELD=TABLEFIELD", s->src[i].path);
        else
            st = s->src[i].kind == GPCOV_SRC_TABLE ? join_table(&R, &s->src[i])
                                                   : join_points(&R, &s->src[i]);
        if (!st)
            st = gpcov_progress(ctx, (double)(i + 1) / (double)(s->nsrc + 1), "overlay");
    }
    for (size_t i = 0; i < s->nderive && !st; i++)
        st = derive(&R, &s->derive[i]);
    if (st)
        goto done;
    gpcov_layer_sort(R.out);
    *out = R.out;
    R.out = NULL;
done:
    gpcov_layer_free(ctx, R.out);
    gpcov_layer_free(ctx, R.poly);
    return st;
}
