/*
** threat_agree.c: how the verdicts of the threat rules agree with a
** designation list (PLO's): every listed code must be a unit; each unit
** falls on one side (both, rules only, designation only, neither,
** undecided), counted in a table in the summary with the units of each
** side, and written when asked as a table (side, key, name, threatened,
** designated) through the layer writer: CSV, Danish CSV or XLSX.
*/
#include "threat_internal.h"

#include <cpl_string.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The designation list's codes (dm, code -> row), each of which must be
** one of the units: a code that is not (a typo, another year's merger)
** would silently count as neither side of the table. */
static gpcov_status designation_codes(struct run *R, struct gpcov_strmap *dm)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_threat_opts *o = R->o;
    const struct gpcov_layer *out = R->out;
    gpcov_status st = gpcov_table_read(ctx, o->designation, NULL, &R->des);
    if (st)
        return st;
    const struct gpcov_table *des = R->des;
    const char *dk = o->designation_key ? o->designation_key : "kommune_code";
    int c = gpcov_table_col(des, dk);
    if (c < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no column '%s'", o->designation, dk);
    struct gpcov_strmap um = {0};
    for (size_t i = 0; out->keys && i < out->n && !st; i++)
        if (out->keys[i] && gpcov_strmap_put(&um, out->keys[i], i))
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t r = 0; r < des->nrows && !st; r++) {
        char key[64];
        size_t at;
        const char *raw = des->cells[r * des->ncols + (size_t)c];
        if (!raw || gpcov_key_normalise(raw, key, sizeof key) != 0)
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: %s '%s' is not a municipality code",
                           o->designation, des->row_line[r], dk, raw ? raw : "");
        else if (gpcov_strmap_get(&um, key, &at) != 0)
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: %s '%s' is none of the units of %s",
                           o->designation, des->row_line[r], dk, raw,
                           o->units ? o->units : "the grid");
        else if (gpcov_strmap_put(dm, key, r))
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    gpcov_strmap_clear(&um);
    return st;
}

/* The sides of the agreement table.  An undecided unit is counted apart,
** on neither side: a missing indicator is not agreement, nor
** disagreement. */
static const char *const side_name[5] = {"both", "rules only", "designation only", "neither",
                                         "undecided"};

struct agree {
    size_t cnt[5], undes;        /* units per side; undecided but designated */
    char *lists[5];              /* the units of each side but neither       */
    size_t ln[5], lc[5];
    struct gpcov_layer *al;      /* the agreement table, when asked          */
};

/* A row of the agreement table: an undecided unit has no verdict. */
static gpcov_status agree_row(gpcov_ctx *ctx, struct gpcov_layer *al, const char *side,
                              const char *key, const char *name, int t, int d, int undecided)
{
    long r = gpcov_layer_append(ctx, al, key, NULL);
    if (r < 0 || gpcov_layer_set_str(ctx, al, (size_t)r, 0, side) ||
        gpcov_layer_set_str(ctx, al, (size_t)r, 1, key) ||
        gpcov_layer_set_str(ctx, al, (size_t)r, 2, name) ||
        gpcov_layer_set_num(ctx, al, (size_t)r, 4, d))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (!undecided && gpcov_layer_set_num(ctx, al, (size_t)r, 3, t))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* Each unit on its side, listed, and a row of the agreement table. */
static gpcov_status agree_units(struct run *R, const struct gpcov_strmap *dm, struct agree *A)
{
    const struct gpcov_threat_opts *o = R->o;
    const struct gpcov_layer *out = R->out;
    int fon = R->fon;
    for (size_t i = 0; i < out->n; i++) {
        if (CSLFindString(o->exclude, out->keys[i]) >= 0)
            continue;
        size_t dummy;
        int d = gpcov_strmap_get(dm, out->keys[i], &dummy) == 0, t = R->cls[i] == 1;
        int side = isnan(R->cls[i]) ? 4 : t && d ? 0 : t ? 1 : d ? 2 : 3;
        A->cnt[side]++;
        A->undes += side == 4 && d;
        const char *nm = fon >= 0 && !gpcov_layer_value(out, i, (size_t)fon)->null
                             ? gpcov_layer_value(out, i, (size_t)fon)->str : "";
        if (side != 3)
            gpcov_threat_add(&A->lists[side], &A->ln[side], &A->lc[side], "%s%s %s", A->ln[side] ? ", " : "",
                out->keys[i], nm);
        if (A->al && agree_row(R->ctx, A->al, side_name[side], out->keys[i], nm, t, d, side == 4))
            return GPCOV_ENOMEM;
    }
    return GPCOV_OK;
}

/* The agreement table and the units of each side in the summary. */
static void agree_summary(struct run *R, struct agree *A)
{
    const size_t *cnt = A->cnt;
    size_t decided = cnt[0] + cnt[1] + cnt[2] + cnt[3];
    gpcov_threat_add(&R->sum, &R->sn, &R->scap,
        "agreement with %s:\n"
        "                    designated  not designated\n"
        "  threatened        %10zu  %14zu\n"
        "  not threatened    %10zu  %14zu\n"
        "  undecided         %10zu  %14zu\n"
        "  agreement %.1f %% of %zu decided units\n",
        R->o->designation, cnt[0], cnt[1], cnt[2], cnt[3], A->undes, cnt[4] - A->undes,
        100.0 * (double)(cnt[0] + cnt[3]) / (double)(decided ? decided : 1), decided);
    for (int s = 0; s < 5; s++)
        if (s != 3)
            gpcov_threat_add(&R->sum, &R->sn, &R->scap, "  %s (%zu): %s\n", side_name[s], cnt[s],
                A->lists[s] ? A->lists[s] : "");
}

/* The agreement table's layer, named after o->agreement's file. */
static struct gpcov_layer *agree_layer(gpcov_ctx *ctx, const struct gpcov_threat_opts *o)
{
    struct gpcov_layer *al = gpcov_layer_new("agreement");
    if (!al || gpcov_layer_add_field(ctx, al, "side", GPCOV_STR) < 0 ||
        gpcov_layer_add_field(ctx, al, o->key ? o->key : GPCOV_KEY_FIELD, GPCOV_STR) < 0 ||
        gpcov_layer_add_field(ctx, al, "name", GPCOV_STR) < 0 ||
        gpcov_layer_add_field(ctx, al, "threatened", GPCOV_BOOL) < 0 ||
        gpcov_layer_add_field(ctx, al, "designated", GPCOV_BOOL) < 0) {
        gpcov_layer_free(ctx, al);
        return NULL;
    }
    return al;
}

/* Agreement with a designation list: the table in the summary and,
** when asked, each unit's side as a table (o->agreement, in the outset). */
gpcov_status gpcov_threat_agreement(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    const struct gpcov_threat_opts *o = R->o;
    struct gpcov_strmap dm = {0};
    struct agree A = {0};
    gpcov_status st = designation_codes(R, &dm);
    if (!st && o->agreement && !(A.al = agree_layer(ctx, o)))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (!st && agree_units(R, &dm, &A))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_strmap_clear(&dm);
    if (!st)
        agree_summary(R, &A);
    for (int s = 0; s < 5; s++)
        free(A.lists[s]);
    struct gpcov_write_opts wo = {.overwrite = o->overwrite};
    if (!st && A.al)
        st = gpcov_outset_layer(ctx, R->set, A.al, o->agreement, &wo);
    gpcov_layer_free(ctx, A.al);
    return st;
}

/* Which units are on the designation list (for the calibration): the
** list read again, checked as for the agreement. */
gpcov_status gpcov_threat_designated(struct run *R, unsigned char *d)
{
    struct gpcov_strmap dm = {0};
    gpcov_table_free(R->des);
    R->des = NULL;
    gpcov_status st = designation_codes(R, &dm);
    for (size_t i = 0; !st && i < R->out->n; i++) {
        size_t at;
        d[i] = R->out->keys[i] && gpcov_strmap_get(&dm, R->out->keys[i], &at) == 0;
    }
    gpcov_strmap_clear(&dm);
    return st;
}
