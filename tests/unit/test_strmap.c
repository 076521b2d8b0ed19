/* test_strmap.c: the string -> index map (strmap.c): found and not found,
** replacement, growth past many doublings with every key still found,
** keys copied, and a cleared map that is empty and usable again. */
#include "map/map_internal.h"
#include "tap.h"

static void test_basic(void)
{
    struct gpcov_strmap m = {0};
    size_t v = 99;
    OK(gpcov_strmap_get(&m, "0101", &v) == -1 && v == 99, "an empty map finds nothing");
    OK(gpcov_strmap_put(&m, "0101", 1) == 0 && gpcov_strmap_put(&m, "0147", 2) == 0, "two puts");
    OK(gpcov_strmap_get(&m, "0101", &v) == 0 && v == 1, "0101 -> 1");
    OK(gpcov_strmap_get(&m, "0147", &v) == 0 && v == 2, "0147 -> 2");
    OK(gpcov_strmap_get(&m, "101", &v) == -1, "101 is another key than 0101");
    OK(gpcov_strmap_get(&m, "", &v) == -1, "the empty key is not there");
    OK(gpcov_strmap_put(&m, "0101", 7) == 0 && gpcov_strmap_get(&m, "0101", &v) == 0 && v == 7,
       "a second put replaces the value");
    OK(m.n == 2, "and does not add a key (n %zu)", m.n);
    char key[8] = "0825";
    gpcov_strmap_put(&m, key, 3);
    key[0] = '9';
    OK(gpcov_strmap_get(&m, "0825", &v) == 0 && v == 3 && gpcov_strmap_get(&m, "9825", &v) == -1,
       "the key is copied: changing the caller's string changes nothing");
    gpcov_strmap_clear(&m);
    OK(m.n == 0 && m.cap == 0 && gpcov_strmap_get(&m, "0147", &v) == -1, "cleared: empty");
    OK(gpcov_strmap_put(&m, "0147", 5) == 0 && gpcov_strmap_get(&m, "0147", &v) == 0 && v == 5,
       "and usable again");
    gpcov_strmap_clear(&m);
}

static void test_growth(void)
{
    struct gpcov_strmap m = {0};
    char key[32];
    int bad = 0;
    for (size_t i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "unit-%zu", i);
        if (gpcov_strmap_put(&m, key, i * 3) != 0)
            bad++;
    }
    OK(bad == 0 && m.n == 20000, "20000 distinct keys put (n %zu)", m.n);
    OK(m.cap >= 2 * m.n && (m.cap & (m.cap - 1)) == 0,
       "the table stays at most half full, a power of two (cap %zu)", m.cap);
    size_t v;
    for (size_t i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "unit-%zu", i);
        if (gpcov_strmap_get(&m, key, &v) != 0 || v != i * 3)
            bad++;
    }
    OK(bad == 0, "every key found with its value after growing (%d wrong)", bad);
    OK(gpcov_strmap_get(&m, "unit-20000", &v) == -1, "a key never put is not found");
    gpcov_strmap_clear(&m);
}

int main(void)
{
    RUN(test_basic);
    RUN(test_growth);
    return tap_done();
}
