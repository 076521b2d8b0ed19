/*
** threat.c: a transparent rule engine for areas threatened by GP shortage.
** Rules are expressions over a unit's indicators (expr.c); statistics over
** all units (total, mean, median, percentile, wmean) are resolved to
** numbers first, and the resolved rule is what is reported, so a reader
** sees the exact threshold each unit was judged by.  Rules combine by all,
** any, or a weighted score; every unit gets its class, its score and the
** rules that fired; a designation list (PLO's) gets a confusion table with
** the units on each side (threat_agree.c).  Units are municipalities (a layer) or the cells
** of rasters on one grid.
*/
#include "threat_internal.h"

#include <cpl_string.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int unit_value(const struct units *u, size_t i, const char *name, struct gpcov_value *v)
{
    memset(v, 0, sizeof *v);
    if (u->l) {
        int f = gpcov_layer_field(u->l, name);
        if (f < 0)
            return -1;
        *v = *gpcov_layer_value(u->l, i, (size_t)f);
        return 0;
    }
    for (size_t k = 0; k < u->nvar; k++)
        if (!strcmp(u->var[k], name)) {
            float x = u->val[k][i];
            v->null = isnan(x);
            v->num = x;
            return 0;
        }
    return -1;
}

static int has_var(const struct units *u, const char *name)
{
    struct gpcov_value v = {0};
    return u->n ? unit_value(u, 0, name, &v) == 0
                : (u->l ? gpcov_layer_field(u->l, name) >= 0 : 0);
}

struct unit_ref {
    const struct units *u;
    size_t i;
};

static int lookup(void *user, const char *name, struct gpcov_value *v)
{
    struct unit_ref *r = user;
    return unit_value(r->u, r->i, name, v);
}

static double num_of(const struct gpcov_value *v, int *ok)
{
    double d = v->num;
    *ok = !v->null && (!v->str || gpcov_parse_number(v->str, &d) == 0);
    return d;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Why a statistic has no finite value, said as such (not as the unknown
** indicator 'nan' the rule would otherwise hold). */
static gpcov_status not_finite(gpcov_ctx *ctx, const char *rule, const char *fn, const char *f,
                               const char *arg, double sw)
{
    if (arg && !strcasecmp(fn, "wmean") && !(sw > 0))
        return gpcov_err(ctx, GPCOV_EINPUT, "rule %s: weights sum to %g in wmean(%s, %s)", rule,
                         sw, f, arg);
    return gpcov_err(ctx, GPCOV_EINPUT,
                     "rule %s: %s(%s%s%s) is not a finite number (a NaN or an overflow among "
                     "the values)",
                     rule, fn, f, arg ? ", " : "", arg ? arg : "");
}

/* A statistic over all units: fn(field[, arg]) where arg is a number
** (percentile) or a field (wmean). */
static gpcov_status statistic(gpcov_ctx *ctx, const struct units *u, const char *rule,
                              const char *fn, const char *f, const char *arg, double *out)
{
    if (!has_var(u, f))
        return gpcov_err(ctx, GPCOV_EINPUT, "rule %s: unknown indicator '%s' in %s()", rule, f, fn);
    int wmean = !strcasecmp(fn, "wmean"), pct = !strcasecmp(fn, "percentile");
    if ((wmean || pct) != (arg != NULL))
        return gpcov_err(ctx, GPCOV_EUSAGE, "rule %s: %s() takes %s", rule, fn,
                         wmean ? "a field and a weight field" : pct ? "a field and a percent"
                                                               : "one field");
    if (wmean && !has_var(u, arg))
        return gpcov_err(ctx, GPCOV_EINPUT, "rule %s: unknown indicator '%s' in wmean()", rule, arg);
    double p = 0;
    if (pct && (gpcov_parse_number(arg, &p) != 0 || p < 0 || p > 100))
        return gpcov_err(ctx, GPCOV_EUSAGE, "rule %s: percentile '%s' must be 0-100", rule, arg);
    double *vals = malloc((u->n ? u->n : 1) * sizeof *vals), s = 0, sw = 0;
    size_t n = 0;
    if (!vals)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < u->n; i++) {
        struct gpcov_value v, w;
        int ok, okw = 1;
        unit_value(u, i, f, &v);
        double x = num_of(&v, &ok), wt = 1;
        if (wmean) {
            unit_value(u, i, arg, &w);
            wt = num_of(&w, &okw);
        }
        if (!ok || !okw)
            continue;
        vals[n++] = x;
        s += x * wt;
        sw += wt;
    }
    gpcov_status st = GPCOV_OK;
    if (!n)
        st = gpcov_err(ctx, GPCOV_EINPUT, "rule %s: %s(%s) has no values", rule, fn, f);
    else if (!strcasecmp(fn, "total"))
        *out = s;
    else if (!strcasecmp(fn, "mean") || wmean)
        *out = sw > 0 ? s / sw : NAN;
    else {
        /* median = percentile 50; percentiles interpolate between ranks */
        qsort(vals, n, sizeof *vals, cmp_double);
        double q = (pct ? p : 50) / 100 * (double)(n - 1);
        size_t lo = (size_t)floor(q);
        *out = lo + 1 < n ? vals[lo] + (q - lo) * (vals[lo + 1] - vals[lo]) : vals[n - 1];
    }
    free(vals);
    if (!st && !isfinite(*out))
        st = not_finite(ctx, rule, fn, f, arg, sw);
    return st;
}

/* Replaces every statistic in text by its value; *out is malloc'ed. */
static gpcov_status resolve(gpcov_ctx *ctx, const struct units *u, const struct gpcov_rule *r,
                            char **out)
{
    static const char *fns[] = {"total", "mean", "median", "percentile", "wmean"};
    size_t cap = strlen(r->text) * 2 + 64, n = 0;
    char *o = malloc(cap);
    const char *p = r->text;
    char q = 0;
    if (!o)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    while (*p) {
        if (q) {
            if (*p == q)
                q = 0;
        } else if (*p == '\'' || *p == '"') {
            q = *p;
        } else if (isalpha((unsigned char)*p) && (p == r->text || !(isalnum((unsigned char)p[-1]) ||
                                                                    p[-1] == '_'))) {
            size_t k = 0, len = 0;
            for (; k < sizeof fns / sizeof *fns; k++) {
                len = strlen(fns[k]);
                /* compare first: p may be shorter than the name */
                if (strncasecmp(p, fns[k], len) || isalnum((unsigned char)p[len]) || p[len] == '_')
                    continue;
                const char *after = p + len;
                while (*after == ' ')
                    after++;
                if (*after == '(')
                    break;
            }
            if (k < sizeof fns / sizeof *fns) {
                const char *b = strchr(p, '(') + 1, *e = strchr(b, ')');
                if (!e) {
                    free(o);
                    return gpcov_err(ctx, GPCOV_EUSAGE, "rule %s: missing ')' after %s(", r->name,
                                     fns[k]);
                }
                char args[256];
                snprintf(args, sizeof args, "%.*s", (int)(e - b), b);
                char *comma = strchr(args, ',');
                if (comma)
                    *comma = 0;
                char *a1 = gpcov_trim(args), *a2 = comma ? gpcov_trim(comma + 1) : NULL;
                /* a "quoted" field name */
                size_t l1 = strlen(a1);
                if (l1 >= 2 && a1[0] == '"' && a1[l1 - 1] == '"') {
                    a1[l1 - 1] = 0;
                    a1++;
                }
                double v = NAN;
                gpcov_status st = statistic(ctx, u, r->name, fns[k], a1, a2, &v);
                char *no = st ? NULL : realloc(o, cap += 32);
                if (!no) {
                    free(o);
                    return st ? st : gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
                }
                o = no;
                n += (size_t)snprintf(o + n, cap - n, "%.10g", v);
                p = e + 1;
                continue;
            }
        }
        if (n + 2 >= cap) {
            char *no = realloc(o, cap *= 2);
            if (!no) {
                free(o);
                return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            }
            o = no;
        }
        o[n++] = *p++;
    }
    o[n] = 0;
    *out = o;
    return GPCOV_OK;
}

static gpcov_status load_grid(gpcov_ctx *ctx, const struct gpcov_threat_opts *o, struct units *u)
{
    for (size_t k = 0; k < o->ngrid; k++) {
        const char *eq = strchr(o->grid[k], '=');
        if (!eq || eq == o->grid[k])
            return gpcov_err(ctx, GPCOV_EUSAGE, "--grid '%s': expected NAME=RASTER", o->grid[k]);
        u->var[k] = gpcov_strndup(o->grid[k], (size_t)(eq - o->grid[k]));
        u->nvar = k + 1;
        struct gpcov_grid g = {0};
        gpcov_status st = gpcov_raster_read(ctx, eq + 1, &g, &u->val[k]);
        if (st)
            return st;
        if (k == 0) {
            u->g = g;
            u->n = (size_t)g.nx * (size_t)g.ny;
            continue;
        }
        int same = g.nx == u->g.nx && g.ny == u->g.ny;
        for (int j = 0; j < 6; j++)
            same &= fabs(g.gt[j] - u->g.gt[j]) < 1e-6;
        gpcov_grid_clear(&g);
        if (!same)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: not on the grid of %s", eq + 1,
                             strchr(o->grid[0], '=') + 1);
    }
    return GPCOV_OK;
}

void gpcov_threat_add(char **s, size_t *n, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = *s ? vsnprintf(*s + *n, *cap - *n, fmt, ap) : -1;
        va_end(ap);
        if (k >= 0 && *n + (size_t)k < *cap) {
            *n += (size_t)k;
            return;
        }
        size_t nc = *cap ? *cap * 2 + (size_t)(k > 0 ? k : 0) : 1024;
        char *ns = realloc(*s, nc);
        if (!ns)
            return;
        *s = ns;
        *cap = nc;
    }
}

void gpcov_threat_tally_add(struct tally *t, signed char f, double w)
{
    if (f == -2)
        return;
    if (f < 0) {
        t->anyunk = 1;
        t->wunk += w;
        return;
    }
    t->anytrue |= f == 1;
    t->anyfalse |= f == 0;
    t->wknown += w;
    t->wtrue += f * w;
}

/* The verdict (1, 0, or NaN: undecided) and the score.  A verdict is given
** only when no value of the missing indicators could change it: under all,
** one rule that failed; under any, one that fired; under score, when the
** score with every unknown rule failing and with every one firing fall on
** the same side of the threshold.  The score itself is known only when
** every rule could be told; *lo and *hi bound it (NaN when nothing was
** judged). */
void gpcov_threat_verdict(const struct tally *t, enum gpcov_combine combine, double thr,
                          double *cls, double *score, double *lo, double *hi)
{
    double all = t->wknown + t->wunk;
    *lo = all > 0 ? t->wtrue / all : NAN;
    *hi = all > 0 ? (t->wtrue + t->wunk) / all : NAN;
    *score = all > 0 && !t->anyunk ? *lo : NAN;
    switch (combine) {
    case GPCOV_COMBINE_ALL: *cls = t->anyfalse ? 0 : t->anyunk || !all ? NAN : 1; break;
    case GPCOV_COMBINE_ANY: *cls = t->anytrue ? 1 : t->anyunk || !all ? NAN : 0; break;
    default: *cls = !(all > 0) || (*lo >= thr) != (*hi >= thr) ? NAN : *lo >= thr; break;
    }
}

/* The indicators of rule e that unit i lacks, appended to list (comma
** separated, each once). */
static void missing_of(const struct units *u, size_t i, const gpcov_expr *e, char *list,
                       size_t sz)
{
    for (size_t j = 0; e && j < gpcov_expr_nnames(e); j++) {
        const char *nm = gpcov_expr_name(e, j);
        struct gpcov_value v;
        int ok = 0;
        if (unit_value(u, i, nm, &v) != 0)
            continue;
        num_of(&v, &ok);
        if (ok || (v.str && *v.str && !v.null))
            continue;
        size_t ln = strlen(nm), have = strlen(list);
        const char *at = strstr(list, nm);
        if (at && (at == list || at[-1] == ',') && (at[ln] == 0 || at[ln] == ','))
            continue;
        if (have + ln + 2 < sz)
            snprintf(list + have, sz - have, "%s%s", have ? "," : "", nm);
    }
}

/* The verdict fields of unit j: fx = score, threatened, verdict, score_min,
** score_max, reason.  An unknown is left empty and the reason says why. */
static gpcov_status put_verdict(gpcov_ctx *ctx, struct gpcov_layer *out, size_t j,
                                const int *fx, double cls, double score, double lo, double hi,
                                int excluded, const char *missing)
{
    char reason[400] = "";
    if (excluded)
        snprintf(reason, sizeof reason, "udeladt (--exclude)");
    else if (isnan(cls))
        snprintf(reason, sizeof reason, "uafklaret: mangler %s", *missing ? missing : "alt");
    else if (isnan(score))
        snprintf(reason, sizeof reason, "score ukendt: mangler %s", missing);
    if (!isnan(score))
        gpcov_layer_set_num(ctx, out, j, (size_t)fx[0], score);
    if (!isnan(cls))
        gpcov_layer_set_num(ctx, out, j, (size_t)fx[1], cls);
    if (!isnan(lo))
        gpcov_layer_set_num(ctx, out, j, (size_t)fx[3], lo);
    if (!isnan(hi))
        gpcov_layer_set_num(ctx, out, j, (size_t)fx[4], hi);
    gpcov_status st = excluded ? GPCOV_OK
                      : gpcov_layer_set_str(ctx, out, j, (size_t)fx[2],
                                            isnan(cls) ? "undecided" : cls ? "true" : "false");
    if (!st && *reason)
        st = gpcov_layer_set_str(ctx, out, j, (size_t)fx[5], reason);
    return st;
}

/* ------------------------------------------------------------------ run */

/* The units: a layer, or the cells of the grids. */
static gpcov_status read_units(struct run *R)
{
    const struct gpcov_threat_opts *o = R->o;
    if (!o->units)
        return load_grid(R->ctx, o, &R->u);
    struct gpcov_read_opts ro = {.key_field = o->key ? o->key : GPCOV_KEY_FIELD};
    gpcov_status st = gpcov_layer_read(R->ctx, o->units, &ro, &R->L);
    if (st)
        return st;
    R->u.l = R->L;
    R->u.n = R->L->n;
    return GPCOV_OK;
}

static gpcov_status alloc_run(struct run *R)
{
    size_t n = R->u.n ? R->u.n : 1, nr = R->nr;
    R->ex = calloc(nr, sizeof *R->ex);
    R->resolved = calloc(nr, sizeof *R->resolved);
    R->fired = malloc(n * nr);
    R->score = malloc(n * sizeof *R->score);
    R->cls = malloc(n * sizeof *R->cls);
    R->smin = malloc(n * sizeof *R->smin);
    R->smax = malloc(n * sizeof *R->smax);
    if (!R->ex || !R->resolved || !R->fired || !R->score || !R->cls || !R->smin || !R->smax)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* Rule k: its name checked, its statistics resolved, parsed, and its
** indicators found.  An optional rule whose indicators are missing is
** skipped (ex[k] NULL) with a line in the summary. */
static gpcov_status compile_rule(struct run *R, size_t k, size_t *used)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_threat_opts *o = R->o;
    const struct gpcov_rule *r = &o->rules[k];
    for (const char *c = r->name; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_'))
            return gpcov_err(ctx, GPCOV_EUSAGE, "rule '%s': a name is letters, digits and _",
                             r->name);
    gpcov_status st = resolve(ctx, &R->u, r, &R->resolved[k]);
    if (!st && (st = gpcov_expr_parse(ctx, R->resolved[k], &R->ex[k])) != GPCOV_OK) {
        char m[GPCOV_MSG_MAX];
        snprintf(m, sizeof m, "%s", gpcov_ctx_message(ctx));
        st = gpcov_err(ctx, GPCOV_EUSAGE, "rule %s: %s", r->name, m);
    }
    for (size_t j = 0; !st && j < gpcov_expr_nnames(R->ex[k]); j++)
        if (!has_var(&R->u, gpcov_expr_name(R->ex[k], j)))
            st = gpcov_err(ctx, GPCOV_EINPUT, "rule %s: unknown indicator '%s' (in %s)", r->name,
                           gpcov_expr_name(R->ex[k], j), o->units ? o->units : "the grid");
    if (st && r->optional && st == GPCOV_EINPUT) {
        const char *why = gpcov_ctx_message(ctx);
        size_t pl = strlen(r->name) + 7; /* "rule NAME: " */
        if (!strncmp(why, "rule ", 5) && strlen(why) > pl)
            why += pl;
        /* the reason without the file, so the note does not depend on
        ** where the units were written */
        const char *in = strstr(why, " (in ");
        gpcov_threat_add(&R->sum, &R->sn, &R->scap, "  %s: skipped, %.*s\n", r->name,
            in ? (int)(in - why) : (int)strlen(why), why);
        gpcov_expr_free(R->ex[k]);
        R->ex[k] = NULL;
        return GPCOV_OK;
    }
    if (st)
        return st;
    (*used)++;
    gpcov_threat_add(&R->sum, &R->sn, &R->scap, "  %s%s: %s", r->name, "", R->resolved[k]);
    if (strcmp(R->resolved[k], r->text))
        gpcov_threat_add(&R->sum, &R->sn, &R->scap, "   (written as: %s)", r->text);
    if (o->combine == GPCOV_COMBINE_SCORE)
        gpcov_threat_add(&R->sum, &R->sn, &R->scap, "   weight %g", r->weight > 0 ? r->weight : 1);
    gpcov_threat_add(&R->sum, &R->sn, &R->scap, "\n");
    return GPCOV_OK;
}

/* Every rule, with the summary's head; at least one must be used. */
static gpcov_status compile_rules(struct run *R)
{
    const struct gpcov_threat_opts *o = R->o;
    gpcov_threat_add(&R->sum, &R->sn, &R->scap, "rules (%s%s):\n",
        o->combine == GPCOV_COMBINE_ALL ? "all must hold" : o->combine == GPCOV_COMBINE_ANY
                                                                ? "any one suffices"
                                                                : "weighted score",
        "");
    if (o->combine == GPCOV_COMBINE_SCORE)
        gpcov_threat_add(&R->sum, &R->sn, &R->scap, "  threatened where the score >= %g\n", R->thr);
    size_t used = 0;
    for (size_t k = 0; k < R->nr; k++) {
        gpcov_status st = compile_rule(R, k, &used);
        if (st)
            return st;
    }
    if (!used)
        return gpcov_err(R->ctx, GPCOV_EINPUT, "threat: every rule was skipped (its indicators "
                         "are missing)");
    return GPCOV_OK;
}

/* Unit i: what each rule says of it, and its verdict. */
static gpcov_status judge_unit(struct run *R, size_t i)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_threat_opts *o = R->o;
    const struct gpcov_layer *L = R->L;
    size_t nr = R->nr;
    struct tally t = {0};
    int excluded = L && CSLFindString(o->exclude, L->keys[i]) >= 0;
    R->nexcluded += excluded;
    for (size_t k = 0; k < nr; k++) {
        signed char *f = &R->fired[i * nr + k];
        *f = -2; /* skipped rule */
        if (!R->ex[k] || excluded)
            continue;
        struct unit_ref ref = {&R->u, i};
        struct gpcov_value v;
        gpcov_status st = gpcov_expr_eval(ctx, R->ex[k], lookup, &ref, &v);
        if (st) {
            char m[GPCOV_MSG_MAX];
            snprintf(m, sizeof m, "%s", gpcov_ctx_message(ctx));
            return gpcov_err(ctx, st, "rule %s, %s %s: %s", o->rules[k].name,
                             L ? "unit" : "cell", L ? L->keys[i] : "", m);
        }
        *f = v.null ? -1 : (v.str ? v.str[0] != 0 : v.num != 0);
        free(v.str);
        gpcov_threat_tally_add(&t, *f, o->rules[k].weight > 0 ? o->rules[k].weight : 1);
    }
    gpcov_threat_verdict(&t, o->combine, R->thr, &R->cls[i], &R->score[i], &R->smin[i],
                         &R->smax[i]);
    if (excluded)
        R->cls[i] = R->score[i] = R->smin[i] = R->smax[i] = NAN;
    else if (isnan(R->cls[i]))
        R->nunknown++;
    else
        R->nthreat += R->cls[i] == 1;
    return GPCOV_OK;
}

/* The names (else keys) of the units of class cls (NAN: undecided), ", "
** between them, into buf; at most 10, else nothing. */
static void class_names(const struct run *R, double cls, char *buf, size_t cap)
{
    const struct gpcov_layer *L = R->L;
    int fn = L ? gpcov_layer_field(L, "name") : -1;
    size_t len = 0, count = 0;
    buf[0] = 0;
    for (size_t i = 0; L && i < R->u.n; i++) {
        int excluded = CSLFindString(R->o->exclude, L->keys[i]) >= 0;
        if (excluded || (isnan(cls) ? !isnan(R->cls[i]) : R->cls[i] != cls))
            continue;
        if (++count > 10) {
            buf[0] = 0;
            return;
        }
        const struct gpcov_value *v = fn >= 0 ? gpcov_layer_value(L, i, (size_t)fn) : NULL;
        const char *nm = v && !v->null && v->str && *v->str ? v->str : L->keys[i];
        if (len < cap)
            len += (size_t)snprintf(buf + len, cap - len, "%s%s", count > 1 ? ", " : "", nm);
    }
}

/* The run in one line: how many threatened, by name when few, the
** undecided and excluded apart. */
static void one_line(struct run *R)
{
    char th[600], un[300], ex[40] = "";
    class_names(R, 1, th, sizeof th);
    class_names(R, NAN, un, sizeof un);
    if (R->nexcluded)
        snprintf(ex, sizeof ex, ", %zu excluded", R->nexcluded);
    gpcov_summary(R->ctx, "%zu of %zu %s threatened%s%s (%zu undecided%s%s%s)", R->nthreat,
                  R->u.n - R->nexcluded, R->L ? "units" : "cells", *th ? ": " : "", th,
                  R->nunknown, *un ? ": " : "", un, ex);
}

/* Every unit judged, and the count in the summary. */
static gpcov_status judge(struct run *R)
{
    for (size_t i = 0; i < R->u.n; i++) {
        gpcov_status st = judge_unit(R, i);
        if (st)
            return st;
    }
    gpcov_threat_add(&R->sum, &R->sn, &R->scap, "%zu of %zu %s threatened%s", R->nthreat,
        R->u.n - R->nexcluded, R->L ? "units" : "cells", R->nunknown ? "" : "\n");
    if (R->nunknown)
        gpcov_threat_add(&R->sum, &R->sn, &R->scap, ", %zu undecided (an indicator is missing)\n",
            R->nunknown);
    if (R->nexcluded)
        gpcov_threat_add(&R->sum, &R->sn, &R->scap, "%zu excluded, not judged\n", R->nexcluded);
    one_line(R);
    return GPCOV_OK;
}

/* The fields of the output layer: key, name, the indicators the rules
** use, one field per rule, the score, the class and the rules that fired. */
/* The units' labels copied beside the key, when the units have them. */
#define NLABEL 3
static const char *const labels[NLABEL] = {"name", GPCOV_REGION_KEY_FIELD,
                                           GPCOV_REGION_NAME_FIELD};

struct ofields {
    int fk, lsrc[NLABEL], ldst[NLABEL]; /* the key; the labels in L and out */
    char **inds;                 /* the indicators, each once               */
    int nind;
    int *fi;                     /* the indicators', then the rules' fields */
    const char *clash;           /* a rule whose field is taken             */
    int fsc, fcl, ffr, fvd, flo, fhi, frs;
};

/* The indicator and rule fields.  A field that cannot be added is named
** like one before it: an indicator that is the key or the name (already
** there, -1: not copied again), or one named like an output field (an
** error). */
static void rule_fields(struct run *R, struct ofields *F)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_layer *L = R->L;
    gpcov_expr **ex = R->ex;
    size_t nr = R->nr;
    for (size_t k = 0; k < nr; k++)
        for (size_t j = 0; ex[k] && j < gpcov_expr_nnames(ex[k]); j++)
            if (CSLFindString(F->inds, gpcov_expr_name(ex[k], j)) < 0)
                F->inds = CSLAddString(F->inds, gpcov_expr_name(ex[k], j));
    F->nind = CSLCount(F->inds);
    F->fi = calloc((size_t)F->nind + nr + 1, sizeof *F->fi);
    for (int j = 0; F->fi && j < F->nind; j++) {
        int src = gpcov_layer_field(L, F->inds[j]);
        F->fi[j] = gpcov_layer_field(R->out, F->inds[j]) >= 0
                       ? -1
                       : gpcov_layer_add_field(ctx, R->out, F->inds[j], L->fields[src].type);
    }
    for (size_t k = 0; F->fi && k < nr && !F->clash; k++) {
        char fn[128];
        snprintf(fn, sizeof fn, "rule_%s", R->o->rules[k].name);
        F->fi[F->nind + (int)k] = ex[k] ? gpcov_layer_add_field(ctx, R->out, fn, GPCOV_BOOL) : -1;
        if (ex[k] && F->fi[F->nind + (int)k] < 0)
            F->clash = R->o->rules[k].name;
    }
}

static gpcov_status out_fields(struct run *R, struct ofields *F)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_threat_opts *o = R->o;
    R->out = gpcov_layer_new("threat");
    F->fk = R->out ? gpcov_layer_add_field(ctx, R->out, o->key ? o->key : GPCOV_KEY_FIELD, GPCOV_STR)
                   : -1;
    if (F->fk < 0)
        return GPCOV_ENOMEM;
    for (int k = 0; k < NLABEL; k++) {
        F->lsrc[k] = gpcov_layer_field(R->L, labels[k]);
        F->ldst[k] = F->lsrc[k] < 0 ? -1 : gpcov_layer_add_field(ctx, R->out, labels[k], GPCOV_STR);
        if (F->lsrc[k] >= 0 && F->ldst[k] < 0)
            return GPCOV_ENOMEM;
    }
    R->fon = F->ldst[0];
    rule_fields(R, F);
    struct gpcov_layer *out = R->out;
    const char *clash = F->clash;
    F->fsc = clash ? -1 : gpcov_layer_add_field(ctx, out, "threat_score", GPCOV_REAL);
    F->fcl = clash ? -1 : gpcov_layer_add_field(ctx, out, "threatened", GPCOV_BOOL);
    F->ffr = clash ? -1 : gpcov_layer_add_field(ctx, out, "rules_fired", GPCOV_STR);
    /* missing is its own value: the verdict as text (true, false,
    ** undecided), the bounds of an unknown score, and why */
    F->fvd = clash ? -1 : gpcov_layer_add_field(ctx, out, "verdict", GPCOV_STR);
    F->flo = clash ? -1 : gpcov_layer_add_field(ctx, out, "score_min", GPCOV_REAL);
    F->fhi = clash ? -1 : gpcov_layer_add_field(ctx, out, "score_max", GPCOV_REAL);
    F->frs = clash ? -1 : gpcov_layer_add_field(ctx, out, "threat_reason", GPCOV_STR);
    if (F->fi && F->fsc >= 0 && F->fcl >= 0 && F->ffr >= 0 && F->fvd >= 0 && F->flo >= 0 &&
        F->fhi >= 0 && F->frs >= 0)
        return GPCOV_OK;
    return !F->fi  ? gpcov_err(ctx, GPCOV_ENOMEM, "out of memory")
           : clash ? gpcov_err(ctx, GPCOV_EUSAGE,
                               "rule %s: its output field rule_%s is taken (two rules "
                               "of that name, or an indicator called so)", clash, clash)
                   : gpcov_err(ctx, GPCOV_EINPUT,
                               "%s: a rule uses an indicator named like an output field "
                               "(threat_score, threatened, rules_fired, verdict, "
                               "score_min, score_max or threat_reason)", o->units);
}

/* Unit i of the units as feature j of the output: its key, name, region
** and indicators. */
static void copy_unit(struct run *R, const struct ofields *F, size_t i, size_t j)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_layer *L = R->L;
    struct gpcov_layer *out = R->out;
    gpcov_layer_set_str(ctx, out, j, (size_t)F->fk, L->keys[i]);
    for (int k = 0; k < NLABEL; k++)
        if (F->ldst[k] >= 0) {
            const struct gpcov_value *nv = gpcov_layer_value(L, i, (size_t)F->lsrc[k]);
            gpcov_layer_set_str(ctx, out, j, (size_t)F->ldst[k], nv->null ? NULL : nv->str);
        }
    for (int k = 0; k < F->nind; k++) {
        const struct gpcov_value *v =
            gpcov_layer_value(L, i, (size_t)gpcov_layer_field(L, F->inds[k]));
        if (v->null || F->fi[k] < 0)
            continue;
        if (v->str)
            gpcov_layer_set_str(ctx, out, j, (size_t)F->fi[k], v->str);
        else
            gpcov_layer_set_num(ctx, out, j, (size_t)F->fi[k], v->num);
    }
}

/* Unit i as a feature of the output: its values, what each rule said,
** the verdict and the rules that fired. */
static gpcov_status unit_feature(struct run *R, const struct ofields *F, size_t i)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_layer *L = R->L;
    const struct gpcov_threat_opts *o = R->o;
    struct gpcov_layer *out = R->out;
    size_t nr = R->nr;
    long j = gpcov_layer_append(ctx, out, L->keys[i],
                                L->geoms[i] ? GEOSGeom_clone_r(ctx->geos, L->geoms[i]) : NULL);
    if (j < 0)
        return GPCOV_ENOMEM;
    copy_unit(R, F, i, (size_t)j);
    char list[512] = "", miss[256] = "";
    for (size_t k = 0; k < nr; k++) {
        signed char f = R->fired[i * nr + k];
        if (f == -2)
            continue;
        if (f >= 0)
            gpcov_layer_set_num(ctx, out, (size_t)j, (size_t)F->fi[F->nind + (int)k], f);
        else
            missing_of(&R->u, i, R->ex[k], miss, sizeof miss);
        if (f == 1 && strlen(list) + strlen(o->rules[k].name) + 2 < sizeof list) {
            if (*list)
                strcat(list, ",");
            strcat(list, o->rules[k].name);
        }
    }
    gpcov_status st = put_verdict(ctx, out, (size_t)j,
                                  (int[]){F->fsc, F->fcl, F->fvd, F->flo, F->fhi, F->frs},
                                  R->cls[i], R->score[i], R->smin[i], R->smax[i],
                                  CSLFindString(o->exclude, L->keys[i]) >= 0, miss);
    if (st)
        return st;
    gpcov_layer_set_str(ctx, out, (size_t)j, (size_t)F->ffr, list);
    return GPCOV_OK;
}

/* The output layer, with the summary as its GPCOV_RULES metadata. */
static gpcov_status threat_layer(struct run *R)
{
    struct ofields F = {0};
    gpcov_status st = out_fields(R, &F);
    for (size_t i = 0; !st && i < R->L->n; i++)
        st = unit_feature(R, &F, i);
    free(F.fi);
    CSLDestroy(F.inds);
    if (st)
        return st;
    gpcov_layer_set_meta(R->ctx, R->out, "GPCOV_RULES", R->sum);
    return GPCOV_OK;
}

/* Layer mode: the output layer, the agreement, and both written, or
** neither (outset.c). */
static gpcov_status write_layer(struct run *R)
{
    const struct gpcov_threat_opts *o = R->o;
    gpcov_status st = threat_layer(R);
    if (!st && o->designation)
        st = gpcov_threat_agreement(R);
    if (!st && o->ncalibrate)
        st = gpcov_threat_calibrate(R);
    if (st)
        return st;
    struct gpcov_write_opts wo = {.overwrite = o->overwrite};
    /* a calibration may be all that is asked for */
    if (!o->output || !(st = gpcov_outset_layer(R->ctx, R->set, R->out, o->output, &wo)))
        st = gpcov_outset_commit(R->ctx, R->set);
    return st;
}

/* Grid mode: the score raster; the class is score >= threshold (SCORE)
** or score == 1 / > 0 (ALL / ANY). */
static gpcov_status write_grid(struct run *R)
{
    const struct gpcov_threat_opts *o = R->o;
    float *fs = malloc(R->u.n * sizeof *fs);
    if (!fs)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t i = 0; i < R->u.n; i++)
        fs[i] = (float)R->score[i];
    char **md = CSLSetNameValue(NULL, "GPCOV_RULES", R->sum);
    md = CSLSetNameValue(md, "GPCOV_COMBINE", o->combine == GPCOV_COMBINE_ALL ? "all"
                                              : o->combine == GPCOV_COMBINE_ANY ? "any" : "score");
    struct gpcov_raster_write_opts wo = {.overwrite = o->overwrite,
                                         .description = "threat score: share of the rules' "
                                                        "weight that fired",
                                         .metadata = md};
    gpcov_status st = gpcov_raster_write(R->ctx, o->output, &R->u.g, GPCOV_RASTER_FLOAT32, fs,
                                         &wo);
    CSLDestroy(md);
    free(fs);
    return st;
}

static void run_free(struct run *R)
{
    gpcov_outset_free(R->set);
    for (size_t k = 0; R->ex && k < R->nr; k++) {
        gpcov_expr_free(R->ex[k]);
        free(R->resolved[k]);
    }
    free(R->ex), free(R->resolved), free(R->fired), free(R->score), free(R->cls);
    free(R->smin), free(R->smax);
    for (size_t k = 0; k < R->u.nvar; k++) {
        free(R->u.var[k]);
        free(R->u.val[k]);
    }
    gpcov_grid_clear(&R->u.g);
    gpcov_table_free(R->des);
    gpcov_layer_free(R->ctx, R->L);
    gpcov_layer_free(R->ctx, R->out);
    gpcov_layer_free(R->ctx, R->calout);
}

gpcov_status gpcov_threat(gpcov_ctx *ctx, const struct gpcov_threat_opts *o, char **summary)
{
    struct run R = {.ctx = ctx, .o = o, .nr = o->nrules, .fon = -1};
    *summary = NULL;
    if (!R.nr || !(o->output || o->calibration) || (!o->units == !o->ngrid))
        return gpcov_err(ctx, GPCOV_EUSAGE, "threat: rules, an output (or a calibration), and "
                         "units or a grid (one of them) are required");
    gpcov_status st = o->output ? gpcov_atomic_check(ctx, o->output, o->overwrite) : GPCOV_OK;
    if (st)
        return st;
    if (o->agreement && !o->overwrite && gpcov_path_exists(o->agreement))
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: exists already (use --overwrite to replace it)",
                         o->agreement);
    if ((st = gpcov_threat_calibrate_check(ctx, o)) != GPCOV_OK)
        return st;
    if (!(R.set = gpcov_outset_new(ctx, o->overwrite)))
        return GPCOV_ENOMEM;
    R.thr = o->threshold > 0 ? o->threshold : 0.5;
    if (!(st = read_units(&R)) && !(st = alloc_run(&R)) && !(st = compile_rules(&R)) &&
        !(st = judge(&R)))
        st = R.L ? write_layer(&R) : write_grid(&R);
    if (!st) {
        *summary = R.sum;
        R.sum = NULL;
    }
    free(R.sum);
    run_free(&R);
    return st;
}
