/*
** bigmem.c: memory for large grids.  A national grid of floats is 66 MB,
** and a Dijkstra search reads it in cost order, all over the place: with
** 4 KB pages nearly every read misses the TLB.  Grids are therefore
** allocated 2 MB-aligned and marked MADV_HUGEPAGE before first use, which
** Linux honours where transparent huge pages are in "madvise" mode (the
** Debian default).  Elsewhere this is plain aligned memory.
*/
#define _DEFAULT_SOURCE
#include "base_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *gpcov_grid_alloc(size_t bytes)
{
    if (bytes < 4 * HUGE_PAGE)
        return malloc(bytes ? bytes : 1);
    size_t rounded = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    /* aligned_alloc wants a multiple of the alignment */
    assert(rounded >= bytes && rounded % HUGE_PAGE == 0);
    void *p = aligned_alloc(HUGE_PAGE, rounded);
#ifdef MADV_HUGEPAGE
    if (p)
        madvise(p, rounded, MADV_HUGEPAGE); /* advice: failure changes nothing */
#endif
    return p;
}
