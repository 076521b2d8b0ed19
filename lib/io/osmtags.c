/*
** osmtags.c: OSM tags as GDAL's OSM driver delivers them.  The common
** keys are fields of their own (highway, name); the rest sit in one
** "other_tags" text in hstore form: "maxspeed"=>"50","oneway"=>"yes".  A
** tag is looked up in a field of that name first, then in other_tags, so
** a plain OGR line layer with a "oneway" column works the same way.
*/
#include "io_internal.h"

#include <string.h>

/* Copies the value of key from an hstore text into out; 0, or -1 if absent. */
int gpcov_hstore_get(const char *hs, const char *key, char *out, size_t outsz)
{
    if (!hs || !outsz)
        return -1;
    size_t kl = strlen(key);
    const char *p = hs;
    while ((p = strchr(p, '"'))) {
        const char *k = p + 1;
        /* the key ends at the next unescaped quote */
        const char *ke = k;
        while (*ke && *ke != '"') {
            if (*ke == '\\' && ke[1])
                ke++;
            ke++;
        }
        if (!*ke)
            return -1;
        const char *arrow = ke + 1;
        if (strncmp(arrow, "=>\"", 3))
            return -1;
        const char *v = arrow + 3, *ve = v;
        while (*ve && *ve != '"') {
            if (*ve == '\\' && ve[1])
                ve++;
            ve++;
        }
        if ((size_t)(ke - k) == kl && !strncmp(k, key, kl)) {
            size_t n = 0;
            for (const char *c = v; c < ve && n + 1 < outsz; c++) {
                if (*c == '\\' && c + 1 < ve)
                    c++;
                out[n++] = *c;
            }
            out[n] = 0;
            return 0;
        }
        if (!*ve)
            return -1;
        p = ve + 1;
        if (*p == ',')
            p++;
    }
    return -1;
}
