/*
** overlay_spec.c: the declarations of an overlay, as an analyst writes
** them on the command line or in a report file: which sources to join, on
** which key, which rows to keep, and which fields to make
** ("pop80_2020=sum(total) where age >= 80", "share80_2020=pct(pop80_2020,
** pop_2020)").  Parsing happens here, once, so a mistake is reported
** before any file is read.
*/
#include "analysis_internal.h"

#include <cpl_string.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct gpcov_overlay_spec *gpcov_overlay_spec_new(void)
{
    return calloc(1, sizeof(struct gpcov_overlay_spec));
}

static void out_free(struct gpcov_out_spec *o)
{
    free(o->name);
    free(o->text);
    gpcov_expr_free(o->value);
    gpcov_expr_free(o->where);
}

void gpcov_overlay_spec_free(struct gpcov_overlay_spec *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nsrc; i++) {
        struct gpcov_src_spec *src = &s->src[i];
        free(src->path);
        free((char *)src->topts.layer);
        free((char *)src->topts.columns);
        free((char *)src->topts.fill_down);
        free(src->poly_field);
        free(src->table_field);
        gpcov_expr_free(src->where);
        free(src->x_field);
        free(src->y_field);
        free(src->srs);
        CSLDestroy(src->samples);
        for (size_t k = 0; k < src->nout; k++)
            out_free(&src->out[k]);
        free(src->out);
    }
    free(s->src);
    for (size_t i = 0; i < s->nderive; i++) {
        free(s->derive[i].name);
        free(s->derive[i].text);
        gpcov_expr_free(s->derive[i].expr);
    }
    free(s->derive);
    free(s->polygons);
    free(s->poly_layer);
    free(s->poly_key);
    free(s->name_field);
    free(s->regions);
    free(s->regions_key);
    free(s->regions_name);
    free(s->key_out);
    CSLDestroy(s->keep);
    CSLDestroy(s->exempt);
    free(s);
}

gpcov_status gpcov_overlay_add_source(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                      enum gpcov_src_kind kind, const char *path)
{
    struct gpcov_src_spec *src = realloc(s->src, (s->nsrc + 1) * sizeof *src);
    if (!src)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    s->src = src;
    src = &s->src[s->nsrc];
    memset(src, 0, sizeof *src);
    src->kind = kind;
    src->snap = 1000;
    if (!(src->path = gpcov_strdup(path)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    s->nsrc++;
    return GPCOV_OK;
}

static struct gpcov_src_spec *last(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                   const char *what, gpcov_status *st)
{
    if (!s->nsrc) {
        *st = gpcov_err(ctx, GPCOV_EUSAGE, "%s must follow a --table or --points", what);
        return NULL;
    }
    *st = GPCOV_OK;
    return &s->src[s->nsrc - 1];
}

gpcov_status gpcov_overlay_set_key(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                   const char *decl)
{
    gpcov_status st;
    struct gpcov_src_spec *src = last(ctx, s, "--key", &st);
    if (!src)
        return st;
    const char *eq = strchr(decl, '=');
    if (!eq || eq == decl || !eq[1])
        return gpcov_err(ctx, GPCOV_EUSAGE, "--key '%s': expected POLYFIELD=TABLEFIELD", decl);
    free(src->poly_field);
    free(src->table_field);
    src->poly_field = gpcov_strndup(decl, (size_t)(eq - decl));
    src->table_field = gpcov_strdup(eq + 1);
    if (!src->poly_field || !src->table_field)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_trim(src->poly_field);
    gpcov_trim(src->table_field);
    return GPCOV_OK;
}

gpcov_status gpcov_overlay_set_where(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                     const char *cond)
{
    gpcov_status st;
    struct gpcov_src_spec *src = last(ctx, s, "--where", &st);
    if (!src)
        return st;
    gpcov_expr *e;
    if ((st = gpcov_expr_parse(ctx, cond, &e)))
        return st;
    gpcov_expr_free(src->where);
    src->where = e;
    return GPCOV_OK;
}

gpcov_status gpcov_overlay_set_optional(gpcov_ctx *ctx, struct gpcov_overlay_spec *s)
{
    gpcov_status st;
    struct gpcov_src_spec *src = last(ctx, s, "--optional", &st);
    if (src)
        src->optional = 1;
    return st;
}

gpcov_status gpcov_overlay_set_xy(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                  const char *x, const char *y, const char *srs)
{
    gpcov_status st;
    struct gpcov_src_spec *src = last(ctx, s, "coordinates", &st);
    if (!src)
        return st;
    if (x) {
        free(src->x_field);
        src->x_field = gpcov_strdup(x);
    }
    if (y) {
        free(src->y_field);
        src->y_field = gpcov_strdup(y);
    }
    if (srs) {
        free(src->srs);
        src->srs = gpcov_strdup(srs);
    }
    return GPCOV_OK;
}

/* "NAME[:TYPE]=REST": splits a declaration; *name is malloc'ed. */
static gpcov_status split_decl(gpcov_ctx *ctx, const char *decl, const char *what,
                               char **name, int *type, const char **rest)
{
    const char *eq = strchr(decl, '=');
    *name = NULL;
    if (!eq)
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s '%s': expected NAME=%s", what, decl,
                         !strcmp(what, "--agg") ? "FUNCTION(EXPRESSION) [WHERE CONDITION]"
                                                : "EXPRESSION");
    const char *colon = memchr(decl, ':', (size_t)(eq - decl));
    const char *nend = colon ? colon : eq;
    char *n = gpcov_strndup(decl, (size_t)(nend - decl));
    if (!n)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_trim(n);
    int ok = n[0] != 0;
    for (char *p = n; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' || (unsigned char)*p >= 0x80))
            ok = 0;
    if (!ok) {
        gpcov_status st = gpcov_err(ctx, GPCOV_EUSAGE,
                                    "%s '%s': the field name must be letters, digits and _",
                                    what, decl);
        free(n);
        return st;
    }
    *type = -1;
    if (colon) {
        char t[16] = "";
        size_t tl = (size_t)(eq - colon - 1);
        if (tl < sizeof t)
            memcpy(t, colon + 1, tl), t[tl] = 0;
        gpcov_trim(t);
        if (!strcasecmp(t, "text")) *type = GPCOV_STR;
        else if (!strcasecmp(t, "int")) *type = GPCOV_INT;
        else if (!strcasecmp(t, "real")) *type = GPCOV_REAL;
        else if (!strcasecmp(t, "bool")) *type = GPCOV_BOOL;
        else {
            free(n);
            return gpcov_err(ctx, GPCOV_EUSAGE, "%s '%s': unknown type '%s' (text, int, real, bool)",
                             what, decl, t);
        }
    }
    *name = n;
    *rest = eq + 1;
    return GPCOV_OK;
}

static gpcov_status push_out(gpcov_ctx *ctx, struct gpcov_src_spec *src,
                             struct gpcov_out_spec *o)
{
    struct gpcov_out_spec *v = realloc(src->out, (src->nout + 1) * sizeof *v);
    if (!v) {
        out_free(o);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    src->out = v;
    src->out[src->nout++] = *o;
    return GPCOV_OK;
}

gpcov_status gpcov_overlay_add_field(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                     const char *decl)
{
    gpcov_status st;
    struct gpcov_src_spec *src = last(ctx, s, "--field", &st);
    if (!src)
        return st;
    struct gpcov_out_spec o = {.kind = GPCOV_OUT_FIELD};
    const char *rest;
    if ((st = split_decl(ctx, decl, "--field", &o.name, &o.type, &rest)))
        return st;
    if (!(o.text = gpcov_strdup(decl))) {
        out_free(&o);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    if ((st = gpcov_expr_parse(ctx, rest, &o.value))) {
        out_free(&o);
        return st;
    }
    return push_out(ctx, src, &o);
}

static const struct { const char *name; enum gpcov_agg_fn fn; } aggs[] = {
    {"sum", GPCOV_SUM}, {"count", GPCOV_COUNT}, {"mean", GPCOV_MEAN},
    {"avg", GPCOV_MEAN}, {"min", GPCOV_MIN}, {"max", GPCOV_MAX}, {"first", GPCOV_FIRST}};

/* The aggregate function named at the start of rest: its index in aggs[]
** (the count of aggs when none), *after the text after it and spaces. */
static size_t agg_function(const char *rest, const char **after)
{
    size_t fl = 0;
    while (isalpha((unsigned char)rest[fl]))
        fl++;
    size_t k = 0;
    while (k < sizeof aggs / sizeof *aggs &&
           (strlen(aggs[k].name) != fl || strncasecmp(aggs[k].name, rest, fl)))
        k++;
    const char *p = rest + fl;
    while (isspace((unsigned char)*p))
        p++;
    *after = p;
    return k;
}

/* The ')' matching the '(' at p, outside quotes; NULL when missing. */
static const char *closing_paren(const char *p)
{
    int depth = 0;
    char q = 0;
    for (const char *c = p; *c; c++) {
        if (q) {
            if (*c == q)
                q = 0;
        } else if (*c == '\'' || *c == '"')
            q = *c;
        else if (*c == '(')
            depth++;
        else if (*c == ')' && --depth == 0)
            return c;
    }
    return NULL;
}

/* The text p after the ')': nothing, or WHERE and a condition into o->where. */
static gpcov_status agg_where(gpcov_ctx *ctx, const char *decl, const char *p,
                              struct gpcov_out_spec *o)
{
    while (isspace((unsigned char)*p))
        p++;
    if (!*p)
        return GPCOV_OK;
    if (strncasecmp(p, "where", 5) || !(isspace((unsigned char)p[5]) || p[5] == '('))
        return gpcov_err(ctx, GPCOV_EUSAGE, "--agg '%s': expected WHERE after ')', found '%s'",
                         decl, p);
    char *cond = gpcov_strdup(p + 5);
    if (!cond)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = gpcov_expr_parse(ctx, gpcov_trim(cond), &o->where);
    free(cond);
    return st;
}

gpcov_status gpcov_overlay_add_agg(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                   const char *decl)
{
    gpcov_status st;
    struct gpcov_src_spec *src = last(ctx, s, "--agg", &st);
    if (!src)
        return st;
    struct gpcov_out_spec o = {.kind = GPCOV_OUT_AGG};
    const char *rest, *p;
    char *inner = NULL;
    if ((st = split_decl(ctx, decl, "--agg", &o.name, &o.type, &rest)))
        return st;
    if (!(o.text = gpcov_strdup(decl)))
        goto nomem;
    while (isspace((unsigned char)*rest))
        rest++;
    size_t k = agg_function(rest, &p);
    if (k == sizeof aggs / sizeof *aggs || *p != '(') {
        st = gpcov_err(ctx, GPCOV_EUSAGE,
                       "--agg '%s': expected FUNCTION(EXPRESSION) with FUNCTION one of "
                       "sum, count, mean, min, max, first", decl);
        goto fail;
    }
    o.fn = aggs[k].fn;
    const char *b = p + 1, *e = closing_paren(p);
    if (!e) {
        st = gpcov_err(ctx, GPCOV_EUSAGE, "--agg '%s': missing ')'", decl);
        goto fail;
    }
    if (!(inner = gpcov_strndup(b, (size_t)(e - b))))
        goto nomem;
    gpcov_trim(inner);
    if (o.fn == GPCOV_COUNT && (!*inner || !strcmp(inner, "*"))) {
        o.value = NULL;
    } else if (!*inner) {
        st = gpcov_err(ctx, GPCOV_EUSAGE, "--agg '%s': %s() needs an expression", decl,
                       aggs[k].name);
        goto fail;
    } else if ((st = gpcov_expr_parse(ctx, inner, &o.value)))
        goto fail;
    if ((st = agg_where(ctx, decl, e + 1, &o)))
        goto fail;
    free(inner);
    return push_out(ctx, src, &o);
nomem:
    st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
fail:
    free(inner);
    out_free(&o);
    return st;
}

gpcov_status gpcov_overlay_add_present(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                       const char *name)
{
    gpcov_status st;
    struct gpcov_src_spec *src = last(ctx, s, "--present", &st);
    if (!src)
        return st;
    struct gpcov_out_spec o = {.kind = GPCOV_OUT_PRESENT, .type = GPCOV_BOOL};
    o.name = gpcov_strdup(name);
    o.text = gpcov_strdup(name);
    if (!o.name || !o.text) {
        out_free(&o);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    gpcov_trim(o.name);
    src->optional = 1; /* absence is the answer, not an error */
    return push_out(ctx, src, &o);
}

gpcov_status gpcov_overlay_add_sample(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                      const char *decl)
{
    gpcov_status st;
    struct gpcov_src_spec *src = last(ctx, s, "--sample", &st);
    if (!src)
        return st;
    const char *eq = strchr(decl, '=');
    if (src->kind != GPCOV_SRC_POINTS)
        return gpcov_err(ctx, GPCOV_EUSAGE, "--sample '%s': only points sample rasters", decl);
    if (!eq || eq == decl || !eq[1])
        return gpcov_err(ctx, GPCOV_EUSAGE, "--sample '%s': expected NAME=RASTER", decl);
    src->samples = CSLAddString(src->samples, decl);
    return GPCOV_OK;
}

gpcov_status gpcov_overlay_add_derive(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                      const char *decl)
{
    struct gpcov_derive_spec d = {0};
    const char *rest;
    gpcov_status st = split_decl(ctx, decl, "--derive", &d.name, &d.type, &rest);
    if (st)
        return st;
    if (!(d.text = gpcov_strdup(decl)))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    else
        st = gpcov_expr_parse(ctx, rest, &d.expr);
    struct gpcov_derive_spec *v = st ? NULL : realloc(s->derive, (s->nderive + 1) * sizeof *v);
    if (!v) {
        free(d.name);
        free(d.text);
        gpcov_expr_free(d.expr);
        return st ? st : gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    s->derive = v;
    s->derive[s->nderive++] = d;
    return GPCOV_OK;
}
