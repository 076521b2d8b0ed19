/*
** compare_read.c: the two sides of gpcov compare.  A report folder holds
** municipalities.gpkg, threat.gpkg and fee.gpkg (each required, checked
** on both sides before anything is read, the missing file named),
** fee_rules.gpkg (optional, its fields prefixed rules_) and manifest.json;
** its layers are merged into one by key, a field taken from the first
** layer that has it.  A layer is read as it is.  Then the sorted union of
** the two sides' keys.
*/
#include "compare.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const required[] = {"municipalities.gpkg", "threat.gpkg", "fee.gpkg"};

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A folder has the layers a report writes, else an error naming the
** first that is missing. */
static gpcov_status check_side(gpcov_ctx *ctx, const char *src)
{
    if (!is_dir(src))
        return is_file(src) ? GPCOV_OK
                            : gpcov_err(ctx, GPCOV_EINPUT, "%s: no such report folder or layer",
                                        src);
    for (size_t k = 0; k < sizeof required / sizeof *required; k++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", src, required[k]);
        if (!is_file(p))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: missing: a report folder holds "
                             "municipalities.gpkg, threat.gpkg and fee.gpkg (the main job's "
                             "outputs); or give two layers", p);
    }
    return GPCOV_OK;
}

/* Adds to u the fields of l it lacks (named prefix + name), by key. */
static gpcov_status join_fields(gpcov_ctx *ctx, struct gpcov_layer *u, const struct gpcov_layer *l,
                                const char *prefix)
{
    struct gpcov_strmap map = {0};
    gpcov_status st = GPCOV_OK;
    for (size_t j = 0; j < l->n; j++)
        if (l->keys && l->keys[j] && gpcov_strmap_put(&map, l->keys[j], j) != 0)
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t g = 0; !st && g < l->nfields; g++) {
        char name[256];
        snprintf(name, sizeof name, "%s%s", prefix, l->fields[g].name);
        if (gpcov_layer_field(u, name) >= 0)
            continue;
        int f = gpcov_layer_add_field(ctx, u, name, l->fields[g].type);
        if (f < 0)
            st = GPCOV_ENOMEM;
        for (size_t i = 0; !st && i < u->n; i++) {
            size_t j;
            if (!u->keys[i] || gpcov_strmap_get(&map, u->keys[i], &j) != 0)
                continue;
            const struct gpcov_value *v = gpcov_layer_value(l, j, g);
            if (v->null)
                continue;
            st = l->fields[g].type == GPCOV_STR
                     ? gpcov_layer_set_str(ctx, u, i, (size_t)f, v->str)
                     : gpcov_layer_set_num(ctx, u, i, (size_t)f, v->num);
        }
    }
    gpcov_strmap_clear(&map);
    return st;
}

static gpcov_status read_keyed(struct cmp_run *R, const char *src, struct gpcov_layer **l)
{
    struct gpcov_read_opts ro = {0};
    ro.key_field = R->o->key ? R->o->key : "komkode";
    gpcov_status st = gpcov_layer_read(R->ctx, src, &ro, l);
    if (!st && !(*l)->keys)
        st = gpcov_err(R->ctx, GPCOV_EINPUT, "%s: no field %s to join the units by", src,
                       ro.key_field);
    return st;
}

/* One side: the folder's layers merged, or the one layer. */
static gpcov_status read_side(struct cmp_run *R, struct cmp_side *s)
{
    if (!is_dir(s->src))
        return read_keyed(R, s->src, &s->u);
    static const char *const more[] = {"threat.gpkg", "fee.gpkg", "fee_rules.gpkg"};
    char p[4200];
    snprintf(p, sizeof p, "%s/municipalities.gpkg", s->src);
    gpcov_status st = read_keyed(R, p, &s->u);
    for (size_t k = 0; !st && k < sizeof more / sizeof *more; k++) {
        snprintf(p, sizeof p, "%s/%s", s->src, more[k]);
        if (k == 2 && !is_file(p))
            continue;
        struct gpcov_layer *l = NULL;
        if (!(st = read_keyed(R, p, &l)))
            st = join_fields(R->ctx, s->u, l, k == 2 ? "rules_" : "");
        gpcov_layer_free(R->ctx, l);
    }
    snprintf(p, sizeof p, "%s/manifest.json", s->src);
    if (!st && is_file(p) && !(s->manifest = strdup(p)))
        st = gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    return st;
}

static int by_text(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The keys of both sides, each once, sorted; each side's key index. */
static gpcov_status union_keys(struct cmp_run *R)
{
    struct cmp_side *sides[2] = {&R->a, &R->b};
    struct gpcov_strmap seen = {0};
    R->keys = calloc(R->a.u->n + R->b.u->n + 1, sizeof *R->keys);
    gpcov_status st = R->keys ? GPCOV_OK : gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (int s = 0; s < 2 && !st; s++)
        for (size_t i = 0; i < sides[s]->u->n && !st; i++) {
            const char *k = sides[s]->u->keys[i];
            size_t dummy;
            if (!k)
                continue;
            if (gpcov_strmap_put(&sides[s]->at, k, i) != 0)
                st = gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
            else if (gpcov_strmap_get(&seen, k, &dummy) != 0 &&
                     (gpcov_strmap_put(&seen, k, 0) != 0 || !(R->keys[R->nkeys++] = strdup(k))))
                st = gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
        }
    gpcov_strmap_clear(&seen);
    if (!st)
        qsort(R->keys, R->nkeys, sizeof *R->keys, by_text);
    return st;
}

gpcov_status cmp_read(struct cmp_run *R)
{
    gpcov_status st = check_side(R->ctx, R->a.src);
    if (!st)
        st = check_side(R->ctx, R->b.src);
    if (!st && is_dir(R->a.src) != is_dir(R->b.src))
        st = gpcov_err(R->ctx, GPCOV_EUSAGE, "%s and %s: give two report folders or two "
                       "layers, not one of each", R->a.src, R->b.src);
    if (!st)
        st = read_side(R, &R->a);
    if (!st)
        st = read_side(R, &R->b);
    if (!st)
        st = union_keys(R);
    return st;
}

void cmp_side_free(gpcov_ctx *ctx, struct cmp_side *s)
{
    gpcov_layer_free(ctx, s->u);
    gpcov_strmap_clear(&s->at);
    free(s->manifest);
}
