/*
** testfile.h: what several unit tests do with the files and geometries
** they make: read a file whole, count a directory's entries, parse WKT.
** Include after gpcov.h.  static inline: a test that uses only some of
** them compiles without unused-function warnings.
*/
#ifndef GPCOV_TESTFILE_H
#define GPCOV_TESTFILE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes of path, NUL-terminated, in *n bytes (free() it); NULL when
** it cannot be read whole. */
static inline void *tf_slurp(const char *path, long *n)
{
    *n = -1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (*n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)*n + 1)) && fread(b, 1, (size_t)*n, f) != (size_t)*n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[*n] = 0;
    fclose(f);
    return b;
}

/* Entries of directory dir, not counting . and .. */
static inline int tf_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

/* A geometry from WKT, in ctx's GEOS context (NULL when it does not parse). */
static inline GEOSGeometry *tf_wkt(gpcov_ctx *ctx, const char *text)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, r, text);
    GEOSWKTReader_destroy_r(h, r);
    return g;
}

#endif
