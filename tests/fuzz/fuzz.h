/*
** fuzz.h: what the fuzz targets share.  Each tests/fuzz/fuzz_<target>.c
** defines LLVMFuzzerTestOneInput over the library's real entry points; it
** is linked with libFuzzer (make fuzz) or with replay.c, a plain main that
** feeds it the corpus and regression files (make check).  A target keeps
** one gpcov context for the whole process (so GDAL's errors land in it,
** never on the terminal) and frees everything else it makes per input.
*/
#ifndef GPCOV_FUZZ_H
#define GPCOV_FUZZ_H

#include "gpcov.h"

#include <cpl_vsi.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The process's context, made on first use (never freed: it stays
** reachable, so leak checking does not count it). */
static inline gpcov_ctx *fuzz_ctx(void)
{
    static gpcov_ctx *ctx;
    if (!ctx && !(ctx = gpcov_ctx_new()))
        abort();
    return ctx;
}

/* With FUZZ_VERBOSE set, says on stderr what a step of the target
** returned, so a new seed can be checked to reach as far as meant. */
static inline void fuzz_say(gpcov_ctx *ctx, const char *step, gpcov_status st)
{
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz: %s: %s%s%s\n", step, gpcov_status_name(st), st ? ": " : "",
                st ? gpcov_ctx_message(ctx) : "");
}

/* Writes bytes to a /vsimem/ file (replacing it). */
static inline void fuzz_vsimem(const char *path, const void *data, size_t size)
{
    VSILFILE *f = VSIFOpenL(path, "wb");
    if (!f)
        abort();
    if (size && VSIFWriteL(data, 1, size, f) != size)
        abort();
    VSIFCloseL(f);
}

/* The input as a NUL-terminated string (cut at the first NUL). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

#endif
