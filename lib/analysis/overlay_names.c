/*
** overlay_names.c: the overlay's join as analysts' tables name things.
** A declared column matches a table column by gpcov_table_col_match (case,
** spaces and a trailing unit aside), and the table's column takes the
** declared name.  A municipality given by name ("Læsø", "Københavns
** Kommune", "Århus") joins by the polygons' names (--name-field, else a
** field KOMNAVN, name or navn): names compare folded (lower case, æ ø å as
** ae oe aa, other accents off, '-' as a space, a trailing " Kommune" off,
** and "Københavns" as "København").  National, regional and total rows
** ("Hele landet", "Region Nordjylland", "I alt", "Total") are set aside
** with one notice; an unknown name is an error naming the nearest one.
*/
#include "analysis_internal.h"

#include <cpl_string.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- columns */

/* A declared name that is no column but matches one: that column takes
** the declared name.  Two matches: an error naming both. */
static gpcov_status match_name(gpcov_ctx *ctx, const char *path, struct gpcov_table *t,
                               const char *nm)
{
    int second, c = gpcov_table_col_match(t, nm, &second);
    if (c >= 0 && second >= 0)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "%s: '%s' matches two columns, '%s' and '%s' (name one exactly)",
                         path, nm, t->cols[c], t->cols[second]);
    if (c < 0 || !strcmp(t->cols[c], nm))
        return GPCOV_OK;
    char *dup = gpcov_strdup(nm);
    if (!dup)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    free(t->cols[c]);
    t->cols[c] = dup;
    return GPCOV_OK;
}

static gpcov_status match_expr(gpcov_ctx *ctx, const char *path, struct gpcov_table *t,
                               const gpcov_expr *e)
{
    gpcov_status st = GPCOV_OK;
    for (size_t i = 0; e && !st && i < gpcov_expr_nnames(e); i++)
        st = match_name(ctx, path, t, gpcov_expr_name(e, i));
    return st;
}

gpcov_status gpcov_overlay_match_columns(gpcov_ctx *ctx, const struct gpcov_src_spec *src,
                                         struct gpcov_table *t)
{
    gpcov_status st = match_name(ctx, src->path, t, src->table_field);
    if (!st)
        st = match_expr(ctx, src->path, t, src->where);
    for (size_t k = 0; !st && k < src->nout; k++)
        if (!(st = match_expr(ctx, src->path, t, src->out[k].value)))
            st = match_expr(ctx, src->path, t, src->out[k].where);
    return st;
}

/* ------------------------------------------------------------ names */

/* s folded into out (cap bytes): ASCII lower case, æ ø å as ae oe aa,
** other Latin-1 letters without their accent, '-' and runs of blanks as
** one space, a trailing " kommune" off. */
static void fold(const char *s, char *out, size_t cap)
{
    static const char latin[] = "aaaaaaaceeeeiiiidnooooox0uuuuyts"; /* U+00C0.. */
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 3 < cap; p++) {
        const char *rep = NULL;
        char one[2] = {0, 0};
        if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            unsigned c = (p[1] - 0x80) & 0x1F; /* capitals and small alike */
            rep = c == 0x06 ? "ae" : c == 0x18 ? "oe" : c == 0x05 ? "aa" : (one[0] = latin[c], one);
            p++;
        } else if (*p == '-' || isspace(*p)) {
            rep = o && out[o - 1] != ' ' ? " " : "";
        } else {
            one[0] = (char)tolower(*p);
            rep = one;
        }
        for (; *rep && o + 1 < cap; rep++)
            out[o++] = *rep;
    }
    while (o && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    if (o > 8 && !strcmp(out + o - 8, " kommune"))
        out[o - 8] = '\0';
}

/* National, regional and total rows: no municipality. */
static int is_aside(const char *f)
{
    static const char *const all[] = {"hele landet", "i alt", "total", "danmark", "alle kommuner",
                                      "hele danmark", "landet i alt", NULL};
    for (size_t i = 0; all[i]; i++)
        if (!strcmp(f, all[i]))
            return 1;
    return !strncmp(f, "region ", 7) || !strcmp(f, "region");
}

/* The field with the polygons' names: --name-field, else a usual one. */
static int name_field(const struct gpcov_layer *poly, const char *given)
{
    static const char *const usual[] = {"KOMNAVN", "name", "navn", "NAVN", "Name", NULL};
    if (given)
        return gpcov_layer_field(poly, given);
    int f = -1;
    for (size_t i = 0; f < 0 && usual[i]; i++)
        f = gpcov_layer_field(poly, usual[i]);
    return f;
}

static const char *poly_name(const struct gpcov_layer *poly, int f, size_t i)
{
    const struct gpcov_value *v = gpcov_layer_value(poly, i, (size_t)f);
    return v->null || !v->str ? "" : v->str;
}

/* The polygon named want (folded), else *near the nearest; -1 when none. */
static long find_name(const struct gpcov_layer *poly, int f, const char *want, size_t *near)
{
    size_t best = (size_t)-1;
    *near = (size_t)-1;
    for (size_t i = 0; i < poly->n; i++) {
        char have[256];
        fold(poly_name(poly, f, i), have, sizeof have);
        size_t n = strlen(have);
        if (!strcmp(have, want))
            return (long)i;
        /* "Københavns Kommune": the genitive s of the name */
        if (!strncmp(have, want, n) && want[n] == 's' && !want[n + 1])
            return (long)i;
        size_t d = gpcov_edit_distance(have, want);
        if (d < best) {
            best = d;
            *near = i;
        }
    }
    return -1;
}

int gpcov_overlay_by_name(gpcov_ctx *ctx, struct gpcov_namejoin *nj, const char *raw,
                          const char *where, size_t *p)
{
    char want[256];
    fold(raw, want, sizeof want);
    if (is_aside(want)) {
        nj->aside = CSLAddString(nj->aside, raw);
        return GPCOV_NAME_ASIDE;
    }
    int f = name_field(nj->poly, nj->field);
    if (f < 0 || !*want || isdigit((unsigned char)*want))
        return GPCOV_NAME_NONE;
    size_t near;
    long i = find_name(nj->poly, f, want, &near);
    if (i >= 0) {
        *p = (size_t)i;
        return GPCOV_NAME_FOUND;
    }
    if (near == (size_t)-1)
        return GPCOV_NAME_NONE;
    gpcov_err(ctx, GPCOV_EINPUT, "%s: no municipality named '%s' in %s (did you mean %s %s?)",
              where, raw, nj->polygons, nj->poly->keys[near], poly_name(nj->poly, f, near));
    return GPCOV_NAME_ERROR;
}

void gpcov_overlay_aside_notice(gpcov_ctx *ctx, struct gpcov_namejoin *nj, const char *path)
{
    int n = CSLCount(nj->aside);
    if (n == 0)
        return;
    char list[600] = "";
    for (int i = 0; i < n && strlen(list) < 500; i++) {
        if (i)
            strcat(list, ", ");
        strncat(list, nj->aside[i], 80);
    }
    gpcov_notice(ctx, "%s: %d national, regional or total row%s set aside, not joined: %s", path,
                 n, n == 1 ? "" : "s", list);
    CSLDestroy(nj->aside);
    nj->aside = NULL;
}
