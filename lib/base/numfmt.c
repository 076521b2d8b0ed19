/*
** numfmt.c: a number written for a reader, its thousands grouped and its
** decimal point in the reader's style (Danish 1.617,5, English 1,617.5).
** The one grouping behind the maps' labels, the report's ${x:da} and the
** fee's DKK amounts: each caller prints its digits as C does ("%.2f"),
** then groups them here.
*/
#include "base_internal.h"

#include <string.h>

int gpcov_group_digits(const char *plain, char thousands, char point, const char *minus,
                       char *out, size_t n)
{
    const char *p = plain + (*plain == '-'), *dot = strchr(p, '.');
    size_t ni = dot ? (size_t)(dot - p) : strlen(p), k = 0;
    if (!n || !ni || strspn(p, "0123456789") != ni ||
        (dot && (!dot[1] || strspn(dot + 1, "0123456789") != strlen(dot + 1))))
        return -1;
    size_t need = (p > plain ? strlen(minus) : 0) + ni + (ni - 1) / 3 +
                  (dot ? strlen(dot) : 0) + 1;
    if (need > n)
        return -1;
    if (p > plain)
        for (const char *m = minus; *m; m++)
            out[k++] = *m;
    for (size_t i = 0; i < ni; i++) {
        if (i > 0 && (ni - i) % 3 == 0)
            out[k++] = thousands;
        out[k++] = p[i];
    }
    if (dot) {
        out[k++] = point;
        for (const char *d = dot + 1; *d; d++)
            out[k++] = *d;
    }
    out[k] = 0;
    return 0;
}
