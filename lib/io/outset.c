/*
** outset.c: the outputs of one run, committed all together or not at all.
** A command adds each output (which checks it and makes its temporary,
** atomic.c), writes it to the temporary, and at the end commits the set:
** every file is put in place with signals held, and when any fails, those
** already placed are put back as they were, byte for byte (atomic.c keeps
** a hard link to every file it replaces until the set is finished).  On
** any failure before that, freeing the set removes every temporary.  So a
** failure anywhere leaves every previous output as it was and no
** temporary.  PostGIS tables are swapped in last, after every file is in
** place; a failed swap puts the files back (a second table whose swap
** fails after a first succeeded cannot be undone: give one per run).
*/
#include "io_internal.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct out {
    char *dst, *tmp;
    unsigned placed;
    const struct gpcov_layer *pg_layer; /* a PostGIS table, written at commit */
    struct gpcov_write_opts pg_opts;
};

struct gpcov_outset {
    int overwrite;
    struct out *o;
    size_t n;
};

gpcov_outset *gpcov_outset_new(gpcov_ctx *ctx, int overwrite)
{
    gpcov_outset *s = calloc(1, sizeof *s);
    if (s)
        s->overwrite = overwrite;
    else
        gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    return s;
}

static const char *pg_tmp; /* marks gpcov_outset_layer's call for a table */

gpcov_status gpcov_outset_add(gpcov_ctx *ctx, gpcov_outset *s, const char *dst,
                              const char **tmp)
{
    *tmp = NULL;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->o[i].dst, dst))
            return gpcov_err(ctx, GPCOV_EUSAGE, "%s: given twice as an output", dst);
    if (gpcov_pg_is(dst) && tmp != &pg_tmp)
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: a PostGIS table takes a layer", dst);
    struct out *o = realloc(s->o, (s->n + 1) * sizeof *o);
    if (!o)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    s->o = o;
    o = &s->o[s->n];
    memset(o, 0, sizeof *o);
    if (!(o->dst = gpcov_strdup(dst)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = gpcov_pg_is(dst) ? gpcov_atomic_check(ctx, dst, s->overwrite)
                                       : gpcov_atomic_begin(ctx, dst, s->overwrite, &o->tmp);
    if (st) {
        free(o->dst);
        return st;
    }
    s->n++;
    *tmp = o->tmp;
    return GPCOV_OK;
}

gpcov_status gpcov_outset_adopt(gpcov_ctx *ctx, gpcov_outset *s, const char *dst, char *tmp)
{
    struct out *o = realloc(s->o, (s->n + 1) * sizeof *o);
    char *d = gpcov_strdup(dst);
    if (o)
        s->o = o;
    if (!o || !d || gpcov_pg_is(dst)) {
        gpcov_atomic_abort(tmp);
        free(tmp);
        free(d);
        return d && o ? gpcov_err(ctx, GPCOV_EUSAGE, "%s: a PostGIS table takes a layer", dst)
                      : gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    o = &s->o[s->n++];
    memset(o, 0, sizeof *o);
    o->dst = d;
    o->tmp = tmp;
    return GPCOV_OK;
}

gpcov_status gpcov_outset_layer(gpcov_ctx *ctx, gpcov_outset *s, const struct gpcov_layer *l,
                                const char *dst, const struct gpcov_write_opts *opts)
{
    int pg = gpcov_pg_is(dst);
    const char *tmp;
    gpcov_status st = gpcov_outset_add(ctx, s, dst, pg ? &pg_tmp : &tmp);
    if (st)
        return st;
    struct gpcov_write_opts wo = {0};
    if (opts)
        wo = *opts;
    wo.overwrite = s->overwrite;
    if (pg) { /* one transaction of its own, at commit */
        s->o[s->n - 1].pg_layer = l;
        s->o[s->n - 1].pg_opts = wo;
        return GPCOV_OK;
    }
    wo.into = tmp; /* the set's temporary, committed by the set */
    return gpcov_layer_write(ctx, l, dst, &wo);
}

static int is_pg(const struct out *o)
{
    return gpcov_pg_is(o->dst);
}

/* Puts back every file output placed so far. */
static void unplace_all(gpcov_outset *s)
{
    for (size_t i = s->n; i-- > 0;)
        if (!is_pg(&s->o[i]) && s->o[i].placed) {
            gpcov_atomic_unplace(s->o[i].tmp, s->o[i].dst, s->o[i].placed);
            s->o[i].placed = 0;
        }
}

gpcov_status gpcov_outset_commit(gpcov_ctx *ctx, gpcov_outset *s)
{
    sigset_t old;
    gpcov_atomic_hold(&old);
    gpcov_status st = GPCOV_OK;
    for (size_t i = 0; i < s->n && !st; i++)
        if (!is_pg(&s->o[i]))
            st = gpcov_atomic_place(ctx, s->o[i].tmp, s->o[i].dst, &s->o[i].placed);
    for (size_t i = 0; i < s->n && !st; i++)
        if (is_pg(&s->o[i]))
            st = gpcov_layer_write(ctx, s->o[i].pg_layer, s->o[i].dst, &s->o[i].pg_opts);
    if (st)
        unplace_all(s);
    for (size_t i = 0; i < s->n; i++) {
        if (s->o[i].tmp)
            gpcov_atomic_finish(s->o[i].tmp);
        free(s->o[i].tmp);
        s->o[i].tmp = NULL;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return st;
}

void gpcov_outset_free(gpcov_outset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        if (s->o[i].tmp)
            gpcov_atomic_abort(s->o[i].tmp);
        free(s->o[i].tmp);
        free(s->o[i].dst);
    }
    free(s->o);
    free(s);
}
