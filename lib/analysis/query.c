/*
** query.c: gpcov_query, a planner's question in one step.  Reads a layer
** of units (and other layers of the same units, joined by key: a field the
** units lack is taken from the first joined layer that has it), keeps the
** rows where a condition in the expression language holds, and says which
** rows it could not decide because a field the condition needs is missing
** (three-valued truth, as overlay --where).  The answer is an aligned
** table with a count line; the rows (with their geometry) can also be
** written as a layer through an output set.
*/
#include "analysis_internal.h"

#include <cpl_string.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The state of one query, phase by phase. */
struct run {
    gpcov_ctx *ctx;
    const struct gpcov_query_opts *o;
    struct gpcov_layer *u;   /* the units, with the joined fields added  */
    gpcov_expr *where;
    int *cols;               /* fields shown: key and name first         */
    size_t ncols;
    int sort_f, sort_desc;   /* -1: key order                            */
    size_t *sel, nsel;       /* selected rows, in order                  */
    size_t *und, nund;       /* undecided rows                           */
    char **missing;          /* the fields missing among undecided rows  */
    struct gpcov_layer *out;
};

/* Index of field name, or an error naming it, the fields there are and
** the nearest one.  what: "--where", "--fields", "--sort". */
static gpcov_status need_field(struct run *R, const char *name, const char *what, int *f)
{
    if ((*f = gpcov_layer_field(R->u, name)) >= 0)
        return GPCOV_OK;
    const struct gpcov_layer *u = R->u;
    size_t best = (size_t)-1, bi = 0, len = 0;
    char list[700] = "";
    for (size_t k = 0; k < u->nfields; k++) {
        size_t d = gpcov_edit_distance(name, u->fields[k].name);
        if (d < best)
            best = d, bi = k;
        if (len < sizeof list - 1)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "",
                                    u->fields[k].name);
    }
    if (len >= sizeof list - 1)
        strcpy(list + sizeof list - 5, "...");
    size_t near = strlen(name) / 3 + 1;
    char hint[200] = "";
    if (u->nfields && best <= near)
        snprintf(hint, sizeof hint, "; did you mean '%s'?", u->fields[bi].name);
    return gpcov_err(R->ctx, GPCOV_EUSAGE, "%s: unknown field '%s'%s (the fields are: %s)",
                     what, name, hint, list);
}

/* Copies the value of field g of row j of l into field f of row i of u. */
static gpcov_status copy_value(gpcov_ctx *ctx, struct gpcov_layer *u, size_t i, size_t f,
                               const struct gpcov_layer *l, size_t j, size_t g)
{
    const struct gpcov_value *v = gpcov_layer_value(l, j, g);
    if (v->null) {
        gpcov_layer_set_null(u, i, f);
        return GPCOV_OK;
    }
    if (l->fields[g].type == GPCOV_STR)
        return gpcov_layer_set_str(ctx, u, i, f, v->str);
    return gpcov_layer_set_num(ctx, u, i, f, v->num);
}

/* Adds to the units the fields of joined layer l they lack, by key. */
static gpcov_status join_one(struct run *R, const struct gpcov_layer *l, const char *src)
{
    gpcov_status st = GPCOV_OK;
    if (!l->keys)
        return gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no key to join by", src);
    struct gpcov_strmap map = {0};
    for (size_t j = 0; j < l->n; j++)
        if (l->keys[j] && gpcov_strmap_put(&map, l->keys[j], j) != 0)
            st = gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t g = 0; !st && g < l->nfields; g++) {
        if (gpcov_layer_field(R->u, l->fields[g].name) >= 0)
            continue;
        int f = gpcov_layer_add_field(R->ctx, R->u, l->fields[g].name, l->fields[g].type);
        if (f < 0) {
            st = GPCOV_ENOMEM;
            break;
        }
        for (size_t i = 0; !st && i < R->u->n; i++) {
            size_t j;
            if (R->u->keys && R->u->keys[i] && gpcov_strmap_get(&map, R->u->keys[i], &j) == 0)
                st = copy_value(R->ctx, R->u, i, (size_t)f, l, j, g);
        }
    }
    gpcov_strmap_clear(&map);
    return st;
}

/* Phase 1: the units and the joined layers, one layer. */
static gpcov_status read_units(struct run *R)
{
    const struct gpcov_query_opts *o = R->o;
    struct gpcov_read_opts ro = {0};
    ro.layer = o->layer;
    ro.key_field = o->key ? o->key : GPCOV_KEY_FIELD;
    gpcov_status st = gpcov_layer_read(R->ctx, o->input, &ro, &R->u);
    for (size_t k = 0; !st && k < o->njoins; k++) {
        struct gpcov_read_opts jo = {0};
        jo.key_field = ro.key_field;
        struct gpcov_layer *l = NULL;
        if (!(st = gpcov_layer_read(R->ctx, o->joins[k], &jo, &l)))
            st = join_one(R, l, o->joins[k]);
        gpcov_layer_free(R->ctx, l);
    }
    return st;
}

/* Adds field f to the columns shown unless there. */
static void add_col(struct run *R, int f)
{
    for (size_t k = 0; k < R->ncols; k++)
        if (R->cols[k] == f)
            return;
    R->cols[R->ncols++] = f;
}

/* Phase 2: the condition, the columns and the sort field, every name
** checked against the fields there are. */
static gpcov_status prepare(struct run *R)
{
    const struct gpcov_query_opts *o = R->o;
    gpcov_status st = gpcov_expr_parse(R->ctx, o->where, &R->where);
    if (st)
        return st;
    int f;
    if (!(R->cols = calloc(R->u->nfields + 1, sizeof *R->cols)))
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    const char *key = o->key ? o->key : GPCOV_KEY_FIELD;
    const char *name = o->name_field ? o->name_field : "name";
    if ((f = gpcov_layer_field(R->u, key)) >= 0)
        add_col(R, f);
    if ((f = gpcov_layer_field(R->u, name)) >= 0)
        add_col(R, f);
    for (size_t k = 0; k < gpcov_expr_nnames(R->where); k++) {
        if ((st = need_field(R, gpcov_expr_name(R->where, k), "--where", &f)))
            return st;
        if (!o->fields)
            add_col(R, f);
    }
    char **parts = o->fields ? CSLTokenizeString2(o->fields, ",", CSLT_STRIPLEADSPACES |
                                                  CSLT_STRIPENDSPACES) : NULL;
    for (char **p = parts; !st && p && *p; p++)
        if (!(st = need_field(R, *p, "--fields", &f)))
            add_col(R, f);
    CSLDestroy(parts);
    R->sort_f = -1;
    if (!st && o->sort) {
        char fld[128];
        const char *colon = strchr(o->sort, ':');
        snprintf(fld, sizeof fld, "%.*s", colon ? (int)(colon - o->sort) : (int)strlen(o->sort),
                 o->sort);
        if (colon && strcmp(colon, ":desc") && strcmp(colon, ":asc"))
            return gpcov_err(R->ctx, GPCOV_EUSAGE, "--sort '%s': FIELD, FIELD:asc or FIELD:desc",
                             o->sort);
        R->sort_desc = colon && !strcmp(colon, ":desc");
        st = need_field(R, fld, "--sort", &R->sort_f);
    }
    return st;
}

/* Notes the fields the condition needs that row i lacks. */
static void note_missing(struct run *R, size_t i)
{
    for (size_t k = 0; k < gpcov_expr_nnames(R->where); k++) {
        const char *nm = gpcov_expr_name(R->where, k);
        int f = gpcov_layer_field(R->u, nm);
        if (f >= 0 && gpcov_layer_value(R->u, i, (size_t)f)->null &&
            CSLFindString(R->missing, nm) < 0)
            R->missing = CSLAddString(R->missing, nm);
    }
}

/* Phase 3: each row selected, not, or undecided. */
static gpcov_status judge(struct run *R)
{
    size_t n = R->u->n;
    R->sel = malloc((n + 1) * sizeof *R->sel);
    R->und = malloc((n + 1) * sizeof *R->und);
    if (!R->sel || !R->und)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        struct gpcov_feature fr = {R->u, i};
        int t;
        gpcov_status st = gpcov_where_truth(R->ctx, R->where, gpcov_layer_lookup, &fr, NULL, &t);
        if (st)
            return st;
        if (t > 0)
            R->sel[R->nsel++] = i;
        else if (t < 0) {
            R->und[R->nund++] = i;
            note_missing(R, i);
        }
    }
    return GPCOV_OK;
}

/* For qsort: the selected rows by the sort field, missing values last. */
static const struct run *sort_run;
static int by_field(const void *pa, const void *pb)
{
    const struct run *R = sort_run;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    const struct gpcov_value *va = gpcov_layer_value(R->u, a, (size_t)R->sort_f);
    const struct gpcov_value *vb = gpcov_layer_value(R->u, b, (size_t)R->sort_f);
    int c;
    if (va->null || vb->null)
        c = va->null - vb->null;
    else {
        if (va->str || vb->str)
            c = strcmp(va->str ? va->str : "", vb->str ? vb->str : "");
        else
            c = (va->num > vb->num) - (va->num < vb->num);
        if (R->sort_desc)
            c = -c;
    }
    return c ? c : (a > b) - (a < b);
}

/* Phase 4: the order asked for, and the limit. */
static void order(struct run *R)
{
    if (R->sort_f >= 0 && R->nsel > 1) {
        sort_run = R;
        qsort(R->sel, R->nsel, sizeof *R->sel, by_field);
        sort_run = NULL;
    }
}

/* Cell text of row i, column f: numbers with at most 2 decimals. */
static const char *cell(const struct run *R, size_t i, int f, char *buf, size_t n)
{
    const struct gpcov_value *v = gpcov_layer_value(R->u, i, (size_t)f);
    enum gpcov_ftype t = R->u->fields[f].type;
    if (!v->null && t == GPCOV_REAL && v->num != (double)(long long)v->num) {
        snprintf(buf, n, "%.2f", v->num);
        return buf;
    }
    return gpcov_value_text(R->u, i, f, buf, n);
}

/* Appends to the text *s of *len bytes; 0, or -1 when out of memory. */
static int append(char **s, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int append(char **s, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *t = realloc(*s, *len + (size_t)k + 1);
    if (!t)
        return -1;
    *s = t;
    va_start(ap, fmt);
    vsnprintf(t + *len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    *len += (size_t)k;
    return 0;
}

/* The rows shown: the selected, up to the limit. */
static size_t shown(const struct run *R)
{
    return R->o->limit > 0 && (size_t)R->o->limit < R->nsel ? (size_t)R->o->limit : R->nsel;
}

/* One line of the table: the header (i == SIZE_MAX) or row i. */
static int table_line(const struct run *R, size_t i, const size_t *w, char **s, size_t *len)
{
    char buf[256];
    for (size_t k = 0; k < R->ncols; k++) {
        int f = R->cols[k];
        const char *t = i == (size_t)-1 ? R->u->fields[f].name : cell(R, i, f, buf, sizeof buf);
        int num = R->u->fields[f].type != GPCOV_STR;
        /* widths count characters, not bytes (Danish names) */
        size_t bytes = strlen(t), chars = 0;
        for (const char *c = t; *c; c++)
            chars += ((unsigned char)*c & 0xC0) != 0x80;
        int pad = (int)(w[k] - chars + bytes);
        if (append(s, len, "%s%*s", k ? "  " : "", num ? pad : -pad, t))
            return -1;
    }
    while (*len && (*s)[*len - 1] == ' ')
        (*s)[--*len] = 0;
    return append(s, len, "\n");
}

/* The widths of the columns, in characters. */
static void widths(const struct run *R, size_t *w)
{
    char buf[256];
    for (size_t k = 0; k < R->ncols; k++) {
        int f = R->cols[k];
        w[k] = strlen(R->u->fields[f].name);
        for (size_t r = 0; r < shown(R); r++) {
            const char *t = cell(R, R->sel[r], f, buf, sizeof buf);
            size_t chars = 0;
            for (const char *c = t; *c; c++)
                chars += ((unsigned char)*c & 0xC0) != 0x80;
            if (chars > w[k])
                w[k] = chars;
        }
    }
}

/* "0411 Christiansø" of row i: its key and name. */
static const char *label(const struct run *R, size_t i, char *buf, size_t n)
{
    int f = gpcov_layer_field(R->u, R->o->name_field ? R->o->name_field : "name");
    const char *key = R->u->keys && R->u->keys[i] ? R->u->keys[i] : "?";
    if (f < 0 || gpcov_layer_value(R->u, i, (size_t)f)->null)
        snprintf(buf, n, "%s", key);
    else
        snprintf(buf, n, "%s %s", key, gpcov_layer_value(R->u, i, (size_t)f)->str
                                           ? gpcov_layer_value(R->u, i, (size_t)f)->str
                                           : "");
    return buf;
}

/* Phase 5: the table, the count line and the undecided rows, as text. */
static gpcov_status report(struct run *R, char **text)
{
    size_t len = 0, *w = calloc(R->ncols + 1, sizeof *w), n = shown(R);
    char *s = NULL, buf[256];
    int bad = !w;
    if (!bad && n) {
        widths(R, w);
        bad |= table_line(R, (size_t)-1, w, &s, &len);
        for (size_t r = 0; !bad && r < n; r++)
            bad |= table_line(R, R->sel[r], w, &s, &len);
    }
    free(w);
    bad = bad || append(&s, &len, "%zu of %zu municipalities: %s", R->nsel, R->u->n,
                        gpcov_expr_text(R->where));
    if (!bad && n < R->nsel)
        bad = append(&s, &len, " (the first %zu shown)", n);
    bad = bad || append(&s, &len, "\n");
    if (!bad && R->nund) {
        char *miss = CSLCount(R->missing) ? CPLStrdup("") : NULL;
        for (char **m = R->missing; m && *m; m++) {
            char *t = CPLStrdup(CPLSPrintf("%s%s%s", miss, m == R->missing ? "" : ", ", *m));
            CPLFree(miss);
            miss = t;
        }
        bad = append(&s, &len, "%zu municipalit%s undecided (%s missing): ", R->nund,
                     R->nund == 1 ? "y" : "ies", miss ? miss : "a value");
        CPLFree(miss);
        for (size_t r = 0; !bad && r < R->nund; r++)
            bad = append(&s, &len, "%s%s", r ? ", " : "", label(R, R->und[r], buf, sizeof buf));
        bad = bad || append(&s, &len, "\n");
    }
    if (bad) {
        free(s);
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    }
    *text = s;
    gpcov_summary(R->ctx, "%zu of %zu municipalities where %s, %zu undecided", R->nsel, R->u->n,
                  gpcov_expr_text(R->where), R->nund);
    return GPCOV_OK;
}

/* The fields row i lacks that the condition needs: "a, b missing". */
static char *reason(const struct run *R, size_t i)
{
    char *r = CPLStrdup("");
    for (size_t k = 0; k < gpcov_expr_nnames(R->where); k++) {
        const char *nm = gpcov_expr_name(R->where, k);
        int f = gpcov_layer_field(R->u, nm);
        if (f >= 0 && gpcov_layer_value(R->u, i, (size_t)f)->null) {
            char *t = CPLStrdup(CPLSPrintf("%s%s%s", r, *r ? ", " : "", nm));
            CPLFree(r);
            r = t;
        }
    }
    char *t = CPLStrdup(CPLSPrintf("%s missing", *r ? r : "a value"));
    CPLFree(r);
    return t;
}

/* Appends row i of the units to the output layer, with its geometry and,
** when undecided, why. */
static gpcov_status out_row(struct run *R, size_t i, int why)
{
    gpcov_ctx *ctx = R->ctx;
    GEOSGeometry *g = R->u->geoms && R->u->geoms[i] ? GEOSGeom_clone_r(ctx->geos, R->u->geoms[i])
                                                     : NULL;
    long j = gpcov_layer_append(ctx, R->out, R->u->keys ? R->u->keys[i] : NULL, g);
    if (j < 0)
        return GPCOV_ENOMEM;
    gpcov_status st = GPCOV_OK;
    for (size_t f = 0; !st && f < R->u->nfields; f++)
        st = copy_value(ctx, R->out, (size_t)j, f, R->u, i, f);
    if (!st && why >= 0) {
        char *r = reason(R, i);
        st = gpcov_layer_set_str(ctx, R->out, (size_t)j, (size_t)why, r);
        CPLFree(r);
    }
    return st;
}

/* Phase 6: the rows shown (and the undecided, when kept) as a layer. */
static gpcov_status write_out(struct run *R)
{
    const struct gpcov_query_opts *o = R->o;
    gpcov_ctx *ctx = R->ctx;
    if (!(R->out = gpcov_layer_new(R->u->name ? R->u->name : "query")))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = GPCOV_OK;
    for (size_t f = 0; f < R->u->nfields; f++)
        if (gpcov_layer_add_field(ctx, R->out, R->u->fields[f].name, R->u->fields[f].type) < 0)
            return GPCOV_ENOMEM;
    int why = -1;
    if (o->keep_undecided &&
        (why = gpcov_layer_add_field(ctx, R->out, "query_undecided", GPCOV_STR)) < 0)
        return GPCOV_ENOMEM;
    for (size_t r = 0; !st && r < shown(R); r++)
        st = out_row(R, R->sel[r], -1);
    for (size_t r = 0; !st && why >= 0 && r < R->nund; r++)
        st = out_row(R, R->und[r], why);
    if (!st)
        st = gpcov_layer_set_meta(ctx, R->out, "GPCOV_QUERY", gpcov_expr_text(R->where));
    gpcov_outset *set = st ? NULL : gpcov_outset_new(ctx, o->overwrite);
    if (!st && !set)
        st = GPCOV_ENOMEM;
    struct gpcov_write_opts wo = {0};
    wo.overwrite = o->overwrite;
    if (!st && !(st = gpcov_outset_layer(ctx, set, R->out, o->output, &wo)))
        st = gpcov_outset_commit(ctx, set);
    gpcov_outset_free(set);
    return st;
}

gpcov_status gpcov_query(gpcov_ctx *ctx, const struct gpcov_query_opts *o, char **text)
{
    struct run R = {0};
    R.ctx = ctx;
    R.o = o;
    *text = NULL;
    gpcov_status st = GPCOV_OK;
    if (!o->input || !o->where)
        return gpcov_err(ctx, GPCOV_EUSAGE, "a query needs an input and a condition");
    if (o->output)
        st = gpcov_atomic_check(ctx, o->output, o->overwrite);
    if (!st && !(st = read_units(&R)) && !(st = prepare(&R)) && !(st = judge(&R))) {
        order(&R);
        if (!(st = report(&R, text)) && o->output)
            st = write_out(&R);
    }
    if (st) {
        free(*text);
        *text = NULL;
    }
    gpcov_layer_free(ctx, R.out);
    gpcov_layer_free(ctx, R.u);
    gpcov_expr_free(R.where);
    free(R.cols);
    free(R.sel);
    free(R.und);
    CSLDestroy(R.missing);
    return st;
}
