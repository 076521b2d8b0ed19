/* test_radixheap.c: the monotone priority queue of the Dijkstra searches
** (radixheap.c): keys order like the costs, pops come out in (cost,
** source) order, also with pushes between pops as Dijkstra makes them,
** and many entries of one cost keep their source order. */
#include "map/map_internal.h"
#include "tap.h"

#include <stdlib.h>

static void test_keys(void)
{
    OK(gpcov_rheap_key(-0.0) == gpcov_rheap_key(0.0), "-0 and +0 are one key");
    OK(gpcov_rheap_key(1.5) < gpcov_rheap_key(2.0) && gpcov_rheap_key(2.0) < gpcov_rheap_key(1e300),
       "keys order like non-negative costs");
    OK(gpcov_rheap_key(1e-300) > gpcov_rheap_key(0.0), "a tiny cost is above 0");
    NEAR(gpcov_rheap_cost(gpcov_rheap_key(123.25)), 123.25, 0, "a key turns back into its cost");
    OK(gpcov_rheap_bucket(gpcov_rheap_key(3.0), gpcov_rheap_key(3.0)) == 0, "an equal key: bucket 0");
    OK(gpcov_rheap_bucket(1, 0) == 1 && gpcov_rheap_bucket(0x80, 0x00) == 8 &&
           gpcov_rheap_bucket(UINT64_C(1) << 63, 0) == 64,
       "bucket b: the key first differs from the last in bit b-1");
}

/* pushes costs and sources, pops them all; 0 when they came out in
** (cost, source) order */
static int pops_sorted(struct gpcov_rheap *h, size_t n, double *prev_cost, size_t *count)
{
    int32_t prev_src = -1;
    struct gpcov_rent e;
    for (size_t i = 0; i < n; i++) {
        if (gpcov_rheap_pop(h, &e) != 0)
            return -1;
        double c = gpcov_rheap_cost(e.key);
        if (c < *prev_cost || (c == *prev_cost && e.src < prev_src))
            return -1;
        prev_src = e.src;
        *prev_cost = c;
        (*count)++;
    }
    return 0;
}

static void test_order(void)
{
    struct gpcov_rheap h = {0};
    srand(11);
    int bad = 0;
    for (uint32_t i = 0; i < 5000; i++)
        bad |= gpcov_rheap_push(&h, (double)(rand() % 400) / 8, i, (int32_t)(rand() % 7));
    OK(bad == 0 && h.size == 5000, "5000 pushes (size %zu)", h.size);
    gpcov_rheap_start(&h);
    double prev = 0;
    size_t count = 0;
    OK(pops_sorted(&h, 5000, &prev, &count) == 0 && count == 5000,
       "5000 pops in order of cost, then of source (%zu)", count);
    OK(h.size == 0, "the heap is empty");
    gpcov_rheap_free(&h);
}

/* Dijkstra's pattern: each pop pushes its neighbours, never below it */
static void test_monotone(void)
{
    struct gpcov_rheap h = {0};
    gpcov_rheap_push(&h, 0, 0, 0);
    gpcov_rheap_start(&h);
    double prev = 0;
    size_t pops = 0, pushes = 1;
    int bad = 0;
    srand(5);
    struct gpcov_rent e;
    while (h.size > 0) {
        if (gpcov_rheap_pop(&h, &e) != 0)
            break;
        double c = gpcov_rheap_cost(e.key);
        if (c < prev)
            bad++;
        prev = c;
        pops++;
        for (int k = 0; k < 3 && pushes < 20000; k++, pushes++)
            gpcov_rheap_push(&h, c + (double)(rand() % 1000) / 100, (uint32_t)pushes, e.src);
    }
    OK(bad == 0 && pops == pushes, "20000 entries pushed while popping come out never decreasing "
                                   "(%zu pops, %zu pushes, %d out of order)", pops, pushes, bad);
    gpcov_rheap_free(&h);
}

/* sources pushed at one cost in any order pop lowest source first */
static void test_ties(void)
{
    struct gpcov_rheap h = {0};
    int32_t srcs[6] = {4, 0, 5, 2, 1, 3};
    for (int i = 0; i < 6; i++)
        gpcov_rheap_push(&h, 0, (uint32_t)(10 + i), srcs[i]);
    gpcov_rheap_start(&h);
    char got[16] = "";
    struct gpcov_rent e;
    for (int i = 0; i < 6 && gpcov_rheap_pop(&h, &e) == 0; i++)
        got[i] = (char)('0' + e.src);
    STREQ(got, "012345", "six sources at cost 0: source order");
    gpcov_rheap_push(&h, 2.5, 1, 3);
    gpcov_rheap_push(&h, 2.5, 2, 1);
    gpcov_rheap_push(&h, 1.0, 3, 9);
    int ok = gpcov_rheap_pop(&h, &e) == 0 && e.cell == 3 && gpcov_rheap_pop(&h, &e) == 0 &&
             e.src == 1 && gpcov_rheap_pop(&h, &e) == 0 && e.src == 3;
    OK(ok, "after a refill: 1.0 first, then the two at 2.5 by source");
    gpcov_rheap_free(&h);
}

int main(void)
{
    RUN(test_keys);
    RUN(test_order);
    RUN(test_monotone);
    RUN(test_ties);
    return tap_done();
}
