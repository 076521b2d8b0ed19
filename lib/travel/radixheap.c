/*
** radixheap.c: the monotone priority queue of both Dijkstra searches, a
** radix heap (Ahuja, Mehlhorn, Orlin and Tarjan), which serves Dijkstra's
** monotone pops in amortised O(log C) cheap steps instead of a binary
** heap's O(log n) compares and cache misses.  Keys are the bits of the
** non-negative double costs, which order like the doubles.  Bucket b > 0
** holds the entries whose key first differs from the last popped key in
** bit b-1; bucket 0 those equal to it.  A pop empties bucket 0 first; when
** it is empty, the lowest non-empty bucket is scanned for its least key,
** which becomes the last key, and its entries spread into lower buckets.
** Ties: bucket 0 is kept sorted by source index, highest first, and popped
** from the end.  It is sorted when it is refilled; afterwards only the
** entry just popped pushes into it (a step that adds nothing to the cost),
** with that entry's source, the least, so appending keeps the order.
*/
#include "travel_internal.h"

#include <assert.h>
#include <stdlib.h>

int gpcov_rbucket_grow(struct gpcov_rbucket *b)
{
    size_t cap = b->cap ? 2 * b->cap : 256;
    assert(b->n <= b->cap && cap > b->cap);
    struct gpcov_rent *a = realloc(b->a, cap * sizeof *a);
    if (!a)
        return -1;
    b->a = a;
    b->cap = cap;
    return 0;
}

static int by_src_desc(const void *a, const void *b)
{
    int32_t x = ((const struct gpcov_rent *)a)->src, y = ((const struct gpcov_rent *)b)->src;
    return (x < y) - (x > y);
}

int gpcov_rheap_pop(struct gpcov_rheap *h, struct gpcov_rent *out)
{
    struct gpcov_rbucket *b0 = &h->b[0];
    assert(h->size > 0);
    if (b0->n == 0) {
        int i = 1;
        while (h->b[i].n == 0) {
            i++;
            assert(i < 65);
        }
        struct gpcov_rbucket *bi = &h->b[i];
        uint64_t mn = bi->a[0].key;
        for (size_t j = 1; j < bi->n; j++)
            if (bi->a[j].key < mn)
                mn = bi->a[j].key;
        assert(mn >= h->last); /* Dijkstra's monotony */
        h->last = mn;
        for (size_t j = 0; j < bi->n; j++) {
            /* every entry moves to a lower bucket, the least to bucket 0 */
            int to = gpcov_rheap_bucket(bi->a[j].key, mn);
            assert(to < i);
            struct gpcov_rbucket *t = &h->b[to];
            if (t->n == t->cap && gpcov_rbucket_grow(t))
                return -1;
            t->a[t->n++] = bi->a[j];
        }
        bi->n = 0;
        assert(b0->n > 0);
        if (b0->n > 1)
            qsort(b0->a, b0->n, sizeof *b0->a, by_src_desc);
    }
    *out = b0->a[--b0->n];
    h->size--;
    return 0;
}

void gpcov_rheap_start(struct gpcov_rheap *h)
{
    if (h->b[0].n > 1)
        qsort(h->b[0].a, h->b[0].n, sizeof *h->b[0].a, by_src_desc);
}

void gpcov_rheap_free(struct gpcov_rheap *h)
{
    for (int i = 0; i < 65; i++)
        free(h->b[i].a);
}
