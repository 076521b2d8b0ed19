/*
** compare_rows.c: one row per unit of gpcov compare, and the summary of
** verdicts and fee.  A field is compared when it is numeric on both sides
** and differs for some unit (A, B and B - A; the fee's total_dkk, and
** rules_total_dkk of fee_rules, always, with the percent); the verdicts
** (threat's verdict: true, false, undecided) give the change; the rule_*
** fields the rules that start or stop firing.  A value missing on either
** side leaves its difference empty, and compare_reason says why.
*/
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAXCOL = 256 };

/* One compared field: its index on each side and its output fields. */
struct col {
    const char *name;
    int fa, fb, fee;
    int out[4]; /* _a, _b, _diff, _pct */
};

struct rows {
    struct cmp_run *R;
    struct col cols[MAXCOL];
    size_t ncols;
    int f_key, f_name, f_va, f_vb, f_change, f_changed, f_start, f_stop, f_reason;
    int f_vreason, f_dreason; /* short reasons for the map's no data */
    size_t diff_col;          /* the map's column, or ncols           */
    int va, vb; /* the verdict field of each side, or -1 */
    struct { char *names; size_t n; } became, nolonger, undecided, decided, both;
    struct fee {             /* [0] total_dkk (fee), [1] rules_total_dkk */
        double moved, sum_a, sum_b, max_up, max_down;
        const char *up, *down;
        size_t nofee;
        char *nofee_names;
    } fee[2];
};

int cmp_num(const struct gpcov_layer *l, int f, size_t i, double *v)
{
    if (f < 0 || l->fields[f].type == GPCOV_STR)
        return 0;
    const struct gpcov_value *x = gpcov_layer_value(l, i, (size_t)f);
    if (x->null || !isfinite(x->num))
        return 0;
    *v = x->num;
    return 1;
}

static const char *text_of(const struct gpcov_layer *l, int f, long i)
{
    if (f < 0 || i < 0)
        return NULL;
    const struct gpcov_value *x = gpcov_layer_value(l, (size_t)i, (size_t)f);
    return x->null ? NULL : l->fields[f].type == GPCOV_STR ? x->str : x->num ? "true" : "false";
}

static long row_of(const struct cmp_side *s, const char *key)
{
    size_t i;
    return gpcov_strmap_get(&s->at, key, &i) == 0 ? (long)i : -1;
}

/* 1 when field fa of A and fb of B differ for some unit in both. */
static int differs(struct cmp_run *R, int fa, int fb)
{
    for (size_t k = 0; k < R->nkeys; k++) {
        long ia = row_of(&R->a, R->keys[k]), ib = row_of(&R->b, R->keys[k]);
        double x = 0, y = 0;
        if (ia < 0 || ib < 0)
            continue;
        int ka = cmp_num(R->a.u, fa, (size_t)ia, &x), kb = cmp_num(R->b.u, fb, (size_t)ib, &y);
        if (ka != kb || (ka && x != y))
            return 1;
    }
    return 0;
}

static int numeric(const struct gpcov_layer *l, int f)
{
    return f >= 0 && (l->fields[f].type == GPCOV_REAL || l->fields[f].type == GPCOV_INT);
}

/* The compared fields: the fee first, then those that differ. */
static void plan(struct rows *W)
{
    struct cmp_run *R = W->R;
    static const char *const fees[] = {"total_dkk", "rules_total_dkk"};
    for (size_t k = 0; k < 2; k++) {
        int fa = gpcov_layer_field(R->a.u, fees[k]), fb = gpcov_layer_field(R->b.u, fees[k]);
        if (numeric(R->a.u, fa) && numeric(R->b.u, fb))
            W->cols[W->ncols++] = (struct col){fees[k], fa, fb, 1, {0}};
    }
    for (size_t g = 0; g < R->a.u->nfields && W->ncols < MAXCOL; g++) {
        const char *n = R->a.u->fields[g].name;
        int fb = gpcov_layer_field(R->b.u, n);
        int chosen = R->o->field && !strcmp(R->o->field, n);
        if (!strcmp(n, "total_dkk") || !strcmp(n, "rules_total_dkk") ||
            !numeric(R->a.u, (int)g) || !numeric(R->b.u, fb) || (!chosen && !differs(R, (int)g, fb)))
            continue;
        W->cols[W->ncols++] = (struct col){n, (int)g, fb, 0, {0}};
    }
    W->va = gpcov_layer_field(R->a.u, "verdict");
    W->vb = gpcov_layer_field(R->b.u, "verdict");
    if (W->va < 0 || W->vb < 0)
        W->va = W->vb = -1;
}

static int add(struct rows *W, const char *name, enum gpcov_ftype t)
{
    return gpcov_layer_add_field(W->R->ctx, W->R->out, name, t);
}

/* The output layer's fields, in the order a reader scans them. */
static gpcov_status make_layer(struct rows *W)
{
    struct cmp_run *R = W->R;
    if (!(R->out = gpcov_layer_new("compare")))
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    W->f_key = add(W, R->o->key ? R->o->key : "komkode", GPCOV_STR);
    W->f_name = add(W, "name", GPCOV_STR);
    W->f_va = W->va >= 0 ? add(W, "verdict_a", GPCOV_STR) : -1;
    W->f_vb = W->va >= 0 ? add(W, "verdict_b", GPCOV_STR) : -1;
    W->f_change = W->va >= 0 ? add(W, "verdict_change", GPCOV_STR) : -1;
    W->f_changed = W->va >= 0 ? add(W, "verdict_changed", GPCOV_STR) : -1;
    W->f_vreason = W->va >= 0 ? add(W, "verdict_reason", GPCOV_STR) : -1;
    W->f_start = add(W, "rules_start", GPCOV_STR);
    W->f_stop = add(W, "rules_stop", GPCOV_STR);
    static const char *const sfx[] = {"_a", "_b", "_diff", "_pct"};
    for (size_t c = 0; c < W->ncols; c++)
        for (int s = 0; s < (W->cols[c].fee ? 4 : 3); s++) {
            char n[300];
            snprintf(n, sizeof n, "%s%s", W->cols[c].name, sfx[s]);
            if ((W->cols[c].out[s] = add(W, n, GPCOV_REAL)) < 0)
                return GPCOV_ENOMEM;
        }
    W->f_dreason = add(W, "diff_reason", GPCOV_STR);
    W->f_reason = add(W, "compare_reason", GPCOV_STR);
    return W->f_reason < 0 ? GPCOV_ENOMEM : GPCOV_OK;
}

/* Appends ", name" to a list of names. */
static void list_add(char **list, size_t *n, const char *name)
{
    size_t len = *list ? strlen(*list) : 0;
    char *l = realloc(*list, len + strlen(name) + 3);
    if (!l)
        return;
    snprintf(l + len, strlen(name) + 3, "%s%s", len ? ", " : "", name);
    *list = l;
    if (n)
        (*n)++;
}

/* The verdict change of one unit; NULL when a side has no verdict. */
static const char *change(struct rows *W, const char *a, const char *b, const char *name)
{
    if (!a || !b)
        return NULL;
    int ua = !strcmp(a, "undecided"), ub = !strcmp(b, "undecided");
    if (!strcmp(a, b) && ua)
        list_add(&W->both.names, &W->both.n, name);
    if (!strcmp(a, b))
        return ua ? "undecided in both" : "unchanged";
    if (ub) {
        list_add(&W->undecided.names, &W->undecided.n, name);
        return "became undecided";
    }
    if (ua) {
        list_add(&W->decided.names, &W->decided.n, name);
        return !strcmp(b, "true") ? "decided: threatened" : "decided: not threatened";
    }
    if (!strcmp(b, "true")) {
        list_add(&W->became.names, &W->became.n, name);
        return "became threatened";
    }
    list_add(&W->nolonger.names, &W->nolonger.n, name);
    return "no longer threatened";
}

/* Appends "; text" to a unit's reason. */
static void because(char *r, size_t n, const char *fmt, const char *a, const char *b)
{
    size_t len = strlen(r);
    if (len + 3 >= n)
        return;
    if (len)
        len += (size_t)snprintf(r + len, n - len, "; ");
    snprintf(r + len, n - len, fmt, a ? a : "", b ? b : "");
}

/* Why a unit has no value on the map: "ingen værdi i A", "findes ikke i
** B", ..., with the sides' own reason when they give the same one. */
static void short_reason(char *buf, size_t n, const char *what, long ia, long ib, int ka, int kb,
                         const char *ra, const char *rb)
{
    const char *side = ia < 0 || (!ka && kb) ? "A" : ib < 0 || (ka && !kb) ? "B" : "A og B";
    const char *own = ra && rb && !strcmp(ra, rb) ? ra : !ka && kb ? ra : ka && !kb ? rb : NULL;
    if (ia < 0 || ib < 0)
        snprintf(buf, n, "findes ikke i %s", side);
    else
        snprintf(buf, n, "ingen %s i %s%s%s", what, side, own ? ": " : "", own ? own : "");
}

static gpcov_status set_text(struct rows *W, long row, int f, const char *s)
{
    if (f < 0 || !s)
        return GPCOV_OK;
    return gpcov_layer_set_str(W->R->ctx, W->R->out, (size_t)row, (size_t)f, s);
}

/* The verdicts of a unit, their change, and the rules that start or
** stop firing. */
static gpcov_status fill_verdict(struct rows *W, long row, long ia, long ib, const char *name,
                                 char *why, size_t nwhy)
{
    struct cmp_run *R = W->R;
    const char *a = text_of(R->a.u, W->va, ia), *b = text_of(R->b.u, W->vb, ib);
    const char *c = W->va >= 0 ? change(W, a, b, name) : NULL;
    int ra = gpcov_layer_field(R->a.u, "threat_reason"), rb = gpcov_layer_field(R->b.u, "threat_reason");
    if (W->va >= 0 && ia >= 0 && !a)
        because(why, nwhy, "no verdict in A%s%s", ra >= 0 ? ": " : "", text_of(R->a.u, ra, ia));
    if (W->va >= 0 && ib >= 0 && !b)
        because(why, nwhy, "no verdict in B%s%s", rb >= 0 ? ": " : "", text_of(R->b.u, rb, ib));
    int und_a = a && !strcmp(a, "undecided"), und_b = b && !strcmp(b, "undecided");
    if (und_a)
        because(why, nwhy, "undecided in A: %s%s", text_of(R->a.u, ra, ia), "");
    if (und_b)
        because(why, nwhy, "undecided in B: %s%s", text_of(R->b.u, rb, ib), "");
    /* the map's class: changed, unchanged, or undecided on a side */
    const char *flag = !c ? NULL : und_a || und_b ? "undecided"
                       : !strcmp(c, "unchanged") ? "false" : "true";
    gpcov_status st = set_text(W, row, W->f_va, a);
    if (!st)
        st = set_text(W, row, W->f_vb, b);
    if (!st)
        st = set_text(W, row, W->f_change, c);
    if (!st && W->va >= 0)
        st = set_text(W, row, W->f_changed, flag);
    char sr[300];
    short_reason(sr, sizeof sr, "afgørelse", ia, ib, a != NULL, b != NULL,
                 text_of(R->a.u, ra, ia), text_of(R->b.u, rb, ib));
    if (!st && W->va >= 0 && !c)
        st = set_text(W, row, W->f_vreason, sr);
    char *start = NULL, *stop = NULL;
    for (size_t g = 0; !st && ia >= 0 && ib >= 0 && g < R->a.u->nfields; g++) {
        const char *n = R->a.u->fields[g].name;
        if (strncmp(n, "rule_", 5) || gpcov_layer_field(R->b.u, n) < 0)
            continue;
        const char *x = text_of(R->a.u, (int)g, ia), *y = text_of(R->b.u, gpcov_layer_field(R->b.u, n), ib);
        char item[200];
        if (y && !strcmp(y, "true") && !(x && !strcmp(x, "true"))) {
            snprintf(item, sizeof item, "%s%s", n + 5, x ? "" : " (was unknown)");
            list_add(&start, NULL, item);
        } else if (x && !strcmp(x, "true") && !(y && !strcmp(y, "true"))) {
            snprintf(item, sizeof item, "%s%s", n + 5, y ? "" : " (now unknown)");
            list_add(&stop, NULL, item);
        }
    }
    if (!st)
        st = set_text(W, row, W->f_start, start);
    if (!st)
        st = set_text(W, row, W->f_stop, stop);
    free(start);
    free(stop);
    return st;
}

/* Where a fee moves, from one unit's difference. */
static void tally_fee(struct fee *F, double a, double b, const char *name)
{
    double d = b - a;
    F->sum_a += a;
    F->sum_b += b;
    F->moved += d > 0 ? d : 0;
    if (d > F->max_up)
        F->max_up = d, F->up = name;
    if (d < F->max_down)
        F->max_down = d, F->down = name;
}

/* The compared fields of a unit: A, B, B - A (and the percent). */
static gpcov_status fill_cols(struct rows *W, long row, long ia, long ib, const char *name,
                              char *why, size_t nwhy)
{
    struct cmp_run *R = W->R;
    gpcov_status st = GPCOV_OK;
    for (size_t c = 0; !st && c < W->ncols; c++) {
        const struct col *C = &W->cols[c];
        double a = 0, b = 0;
        int ka = ia >= 0 && cmp_num(R->a.u, C->fa, (size_t)ia, &a);
        int kb = ib >= 0 && cmp_num(R->b.u, C->fb, (size_t)ib, &b);
        if (ka)
            st = gpcov_layer_set_num(R->ctx, R->out, (size_t)row, (size_t)C->out[0], a);
        if (!st && kb)
            st = gpcov_layer_set_num(R->ctx, R->out, (size_t)row, (size_t)C->out[1], b);
        size_t len = strlen(C->name);
        double d = len > 4 && !strcmp(C->name + len - 4, "_dkk") ? round((b - a) * 100) / 100
                                                                 : b - a; /* DKK to the øre */
        if (!st && ka && kb)
            st = gpcov_layer_set_num(R->ctx, R->out, (size_t)row, (size_t)C->out[2], d);
        if (!st && ka && kb && C->fee && a != 0)
            st = gpcov_layer_set_num(R->ctx, R->out, (size_t)row, (size_t)C->out[3],
                                     100 * (b - a) / a);
        int rules = !strncmp(C->name, "rules_", 6);
        const char *rf = !C->fee ? "-" : rules ? "rules_fee_reason" : "fee_reason";
        int fa = gpcov_layer_field(R->a.u, rf), fb = gpcov_layer_field(R->b.u, rf);
        char sr[300];
        short_reason(sr, sizeof sr, "værdi", ia, ib, ka, kb, text_of(R->a.u, fa, ia),
                     text_of(R->b.u, fb, ib));
        if (!st && c == W->diff_col && !(ka && kb))
            st = set_text(W, row, W->f_dreason, sr);
        if (C->fee && ia >= 0 && !ka)
            because(why, nwhy, rules ? "no fee_rules fee in A: %s%s" : "no fee in A: %s%s",
                    text_of(R->a.u, fa, ia), "");
        if (C->fee && ib >= 0 && !kb)
            because(why, nwhy, rules ? "no fee_rules fee in B: %s%s" : "no fee in B: %s%s",
                    text_of(R->b.u, fb, ib), "");
        if (C->fee && ka && kb)
            tally_fee(&W->fee[rules], a, b, name);
        if (C->fee && (ia >= 0 && !ka) != (ib >= 0 && !kb))
            list_add(&W->fee[rules].nofee_names, &W->fee[rules].nofee, name);
    }
    return st;
}

/* One unit's row. */
static gpcov_status fill(struct rows *W, size_t k)
{
    struct cmp_run *R = W->R;
    const char *key = R->keys[k];
    long ia = row_of(&R->a, key), ib = row_of(&R->b, key);
    const struct gpcov_layer *l = ia >= 0 ? R->a.u : R->b.u;
    size_t i = (size_t)(ia >= 0 ? ia : ib);
    GEOSGeometry *g = l->geoms[i] ? GEOSGeom_clone_r(gpcov_ctx_geos(R->ctx), l->geoms[i]) : NULL;
    long row = gpcov_layer_append(R->ctx, R->out, key, g);
    if (row < 0)
        return GPCOV_ENOMEM;
    const char *name = text_of(l, gpcov_layer_field(l, "name"), (long)i);
    char why[1200] = "";
    if (ia < 0)
        because(why, sizeof why, "absent in A (%s)%s", R->a.src, "");
    if (ib < 0)
        because(why, sizeof why, "absent in B (%s)%s", R->b.src, "");
    gpcov_status st = set_text(W, row, W->f_key, key);
    if (!st)
        st = set_text(W, row, W->f_name, name);
    if (!st)
        st = fill_verdict(W, row, ia, ib, name ? name : key, why, sizeof why);
    if (!st)
        st = fill_cols(W, row, ia, ib, name ? name : key, why, sizeof why);
    if (!st && *why)
        st = set_text(W, row, W->f_reason, why);
    return st;
}

/* An amount as the summary says it: "1.45 mio. kr." from 100,000 DKK,
** else "800 kr."; sign: "+" before a positive one. */
static void mio(char *buf, size_t n, double dkk, int sign)
{
    if (fabs(dkk) >= 1e5)
        snprintf(buf, n, sign ? "%+.2f mio. kr." : "%.2f mio. kr.", dkk / 1e6);
    else
        snprintf(buf, n, sign ? "%+.0f kr." : "%.0f kr.", dkk);
}

/* The verdict line of the summary. */
static void say_verdicts(struct rows *W, FILE *f)
{
    if (W->va < 0)
        return;
    const char *sep = "";
    if (!W->became.n && !W->nolonger.n && !W->undecided.n && !W->decided.n)
        fprintf(f, "no municipality changes its verdict"), sep = "; ";
    if (W->became.n)
        fprintf(f, "%s%zu municipalit%s become%s threatened: %s", sep, W->became.n,
                W->became.n == 1 ? "y" : "ies", W->became.n == 1 ? "s" : "", W->became.names), sep = "; ";
    if (W->nolonger.n)
        fprintf(f, "%s%zu no longer: %s", sep, W->nolonger.n, W->nolonger.names), sep = "; ";
    if (W->undecided.n)
        fprintf(f, "%s%zu become%s undecided: %s", sep, W->undecided.n,
                W->undecided.n == 1 ? "s" : "", W->undecided.names), sep = "; ";
    if (W->decided.n)
        fprintf(f, "%s%zu undecided in A decided in B: %s", sep, W->decided.n, W->decided.names),
            sep = "; ";
    if (W->both.n)
        fprintf(f, "%s%zu undecided in both: %s", sep, W->both.n, W->both.names);
    fprintf(f, "\n");
}

/* The summary's line of a fee: "the fee" (total_dkk) or "the fee by the
** rules' verdict" (fee_rules' rules_total_dkk), when compared. */
static void say_fee(struct rows *W, FILE *f, int rules)
{
    const char *field = rules ? "rules_total_dkk" : "total_dkk";
    const char *what = rules ? "the fee by the rules' verdict (fee_rules)" : "the fee";
    size_t c = 0;
    while (c < W->ncols && !(W->cols[c].fee && !strcmp(W->cols[c].name, field)))
        c++;
    if (c == W->ncols)
        return;
    const struct fee *F = &W->fee[rules];
    char a[40], b[40], m[40], up[40], down[40];
    mio(a, sizeof a, F->sum_a, 0);
    mio(b, sizeof b, F->sum_b, 0);
    mio(m, sizeof m, F->moved, 0);
    mio(up, sizeof up, F->max_up, 1);
    mio(down, sizeof down, F->max_down, 1);
    if (F->moved <= 0 && F->sum_a == F->sum_b)
        fprintf(f, "%s is the same for every municipality with one on both sides (%s)\n", what,
                a);
    else {
        fprintf(f, "%s moves %s: ", what, m);
        if (F->up)
            fprintf(f, "most to %s (%s)%s", F->up, up, F->down ? ", " : "");
        if (F->down)
            fprintf(f, "most from %s (%s)", F->down, down);
        fprintf(f, "; in all %s -> %s\n", a, b);
    }
    if (F->nofee)
        fprintf(f, "%zu municipalit%s with %s on one side only (not counted above): %s\n",
                F->nofee, F->nofee == 1 ? "y" : "ies", rules ? "a fee_rules fee" : "a fee",
                F->nofee_names);
}

/* The map's difference field: --field's, else the fee's, else the first. */
static gpcov_status pick_diff(struct rows *W)
{
    struct cmp_run *R = W->R;
    const char *want = R->o->field ? R->o->field : W->ncols ? W->cols[0].name : NULL;
    W->diff_col = W->ncols;
    for (size_t c = 0; want && c < W->ncols; c++)
        if (!strcmp(W->cols[c].name, want)) {
            W->diff_col = c;
            R->diff_field = malloc(strlen(want) + 6);
            if (!R->diff_field)
                return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
            sprintf(R->diff_field, "%s_diff", want);
            return GPCOV_OK;
        }
    if (R->o->field)
        return gpcov_err(R->ctx, GPCOV_EUSAGE, "--field %s: not a numeric field of both %s "
                         "and %s", R->o->field, R->a.src, R->b.src);
    return GPCOV_OK;
}

gpcov_status cmp_rows(struct cmp_run *R)
{
    struct rows *W = calloc(1, sizeof *W);
    if (!W)
        return gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    W->R = R;
    plan(W);
    gpcov_status st = pick_diff(W);
    if (!st && (st = make_layer(W)) == GPCOV_ENOMEM)
        gpcov_err(R->ctx, st, "out of memory");
    for (size_t k = 0; !st && k < R->nkeys; k++)
        st = fill(W, k);
    if (!st) {
        size_t only_a = 0, only_b = 0;
        for (size_t k = 0; k < R->nkeys; k++) {
            only_a += row_of(&R->b, R->keys[k]) < 0;
            only_b += row_of(&R->a, R->keys[k]) < 0;
        }
        say_verdicts(W, R->say);
        say_fee(W, R->say, 0);
        say_fee(W, R->say, 1);
        if (only_a || only_b)
            fprintf(R->say, "%zu municipalit%s only in A, %zu only in B\n", only_a,
                    only_a == 1 ? "y" : "ies", only_b);
        fprintf(R->say, "%zu indicator%s differ%s (the table has A, B and B - A of each)\n",
                W->ncols, W->ncols == 1 ? "" : "s", W->ncols == 1 ? "s" : "");
    }
    free(W->became.names);
    free(W->nolonger.names);
    free(W->undecided.names);
    free(W->decided.names);
    free(W->both.names);
    free(W->fee[0].nofee_names);
    free(W->fee[1].nofee_names);
    free(W);
    return st;
}
