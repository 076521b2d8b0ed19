/*
** strmap.c: a string-to-index hash map (open addressing, FNV-1a), used to
** join tables to polygons by key and to dissolve features sharing a key,
** in time linear in the number of rows.
*/
#include "base_internal.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

int gpcov_strmap_get(const struct gpcov_strmap *m, const char *key, size_t *val)
{
    if (!m->cap)
        return -1;
    /* a power of two at most half full: the probe meets an empty slot */
    assert((m->cap & (m->cap - 1)) == 0 && m->n * 2 <= m->cap);
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return -1;
        if (!strcmp(m->keys[i], key)) {
            *val = m->vals[i];
            return 0;
        }
    }
}

static int grow(struct gpcov_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64, moved = 0;
    assert(cap > m->cap);
    char **keys = calloc(cap, sizeof *keys);
    size_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = hash(m->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
        moved++;
    }
    assert(moved == m->n);
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int gpcov_strmap_put(struct gpcov_strmap *m, const char *key, size_t val)
{
    if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
        return -1;
    assert(m->n < m->cap && (m->n + 1) * 2 <= m->cap);
    size_t i = hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key))
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        if (!(m->keys[i] = gpcov_strdup(key)))
            return -1;
        m->n++;
    }
    m->vals[i] = val;
    return 0;
}

void gpcov_strmap_clear(struct gpcov_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}
