/* test_bigmem.c: memory for large grids (bigmem.c): small grids are
** plain memory, large ones 2 MB-aligned, all of it usable and freed with
** free(). */
#include "map/map_internal.h"
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>

static void test_alloc(void)
{
    void *z = gpcov_grid_alloc(0);
    OK(z != NULL, "0 bytes: still a pointer to free");
    free(z);
    float *s = gpcov_grid_alloc(1000 * sizeof *s);
    OK(s != NULL, "a small grid");
    if (s) {
        s[0] = 1, s[999] = 2;
        OK(s[0] + s[999] == 3, "its cells hold values");
    }
    free(s);
    size_t n = (size_t)9 << 20; /* 36 MB of floats */
    float *g = gpcov_grid_alloc(n * sizeof *g);
    OK(g != NULL, "a 36 MB grid");
    if (g) {
        OK((uintptr_t)g % ((uintptr_t)2 << 20) == 0, "2 MB-aligned");
        for (size_t i = 0; i < n; i += 4096)
            g[i] = (float)i;
        g[n - 1] = 7;
        OK(g[4096 * 5] == 4096 * 5 && g[n - 1] == 7, "its first and last cells hold values");
    }
    free(g);
    void *odd = gpcov_grid_alloc(((size_t)8 << 20) + 3);
    OK(odd && (uintptr_t)odd % ((uintptr_t)2 << 20) == 0,
       "a size not a multiple of 2 MB: rounded up, aligned");
    free(odd);
}

int main(void)
{
    RUN(test_alloc);
    return tap_done();
}
