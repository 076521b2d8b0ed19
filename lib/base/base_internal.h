/*
** base_internal.h: what the files of lib/base/ share and the public API
** does not show: the context's layout, error and string helpers, the steps
** of an atomic commit, the run's inputs, CSV cells, paths, large grids and
** the string map.  Files of the stages above include it through their own.
*/
#ifndef GPCOV_BASE_INTERNAL_H
#define GPCOV_BASE_INTERNAL_H

#include "gpcov.h"
#include <math.h>
#include <proj.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define GPCOV_MSG_MAX 1024


struct gpcov_ctx {
    GEOSContextHandle_t geos;
    PJ_CONTEXT *proj;
    char msg[GPCOV_MSG_MAX];
    char dep_msg[GPCOV_MSG_MAX]; /* last GDAL/GEOS/PROJ error, "" if none */
    gpcov_progress_fn progress;
    void *progress_user;
    gpcov_notice_fn notice;
    void *notice_user;
    struct gpcov_input { /* the files read, which no output may replace */
        unsigned long long dev, ino;
        char *path;
    } *inputs;
    size_t ninputs;
    char summary[GPCOV_MSG_MAX]; /* what the last run did, one line, or "" */
    enum gpcov_csv_style csv_style; /* how CSV outputs are written */
};

/* Formats the context message and returns st, so callers can write
** `return gpcov_err(ctx, GPCOV_EINPUT, "%s: row %ld: ...", ...)`. */
gpcov_status gpcov_err(gpcov_ctx *ctx, gpcov_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The last error reported by GDAL, GEOS or PROJ (cleared by this call), or
** "unknown error".  The pointer is valid until the next dependency call. */
const char *gpcov_dep_error(gpcov_ctx *ctx);
void gpcov_dep_clear(gpcov_ctx *ctx);
/* Whether GDAL, GEOS or PROJ reported an error since gpcov_dep_clear.  OGR
** ends a layer at a read error as if it were the end of the file (a CSV
** line over its limit, an OSM way cut short), so every read loop asks this
** after each feature and after the last. */
int gpcov_dep_failed(const gpcov_ctx *ctx);
/* Passes one line to the notice callback, if any. */
void gpcov_notice(gpcov_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the one-line summary of a run (gpcov_ctx_summary). */
void gpcov_summary(gpcov_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* With GPCOV_TIMING set: a notice of the time since the last phase. */
void gpcov_phase(gpcov_ctx *ctx, const char *label);
/* Calls the progress callback; returns GPCOV_ECANCEL when asked to stop. */
gpcov_status gpcov_progress(gpcov_ctx *ctx, double fraction, const char *label);

char *gpcov_strdup(const char *s);
char *gpcov_strndup(const char *s, size_t n);
/* Trims ASCII white space in place and returns s. */
char *gpcov_trim(char *s);
/* A path's extension, lower case, without the dot, in out ("" if none). */
void gpcov_path_ext(const char *path, char *out, size_t outsz);
/* Remembers path as an input of the run (its device and inode), so that
** no output replaces it; gpcov_input_check does this for every input it
** passes.  gpcov_input_of gives the input dst is, as it was named, or
** NULL when it is none. */
void gpcov_input_add(gpcov_ctx *ctx, const char *path);
const char *gpcov_input_of(gpcov_ctx *ctx, const char *dst);
/* Remembers a PostGIS input ("PG:... tables=NAME") by its name; pg.c
** refuses an output to the same table. */
void gpcov_input_add_pg(gpcov_ctx *ctx, const char *conn);

/* A text cell a spreadsheet would take for a formula (csvcell.c): it
** begins with =, +, -, @, tab or CR and is not a number. */
int gpcov_csv_is_formula(const char *s);
/* Writes s to f as one quoted CSV field, guarded by a leading ' when it
** would be a formula. */
void gpcov_csv_cell(FILE *f, const char *s);

/* Exists as a file or directory. */
int gpcov_path_exists(const char *path);
/* Is a directory. */
int gpcov_path_is_dir(const char *path);
/* An input must exist and be a file or a directory: a pipe would block
** GDAL (and is read more than once), a device never ends or is empty.
** /vsi... and PG:... names pass.  Says what the path is when refused. */
gpcov_status gpcov_input_check(gpcov_ctx *ctx, const char *path);


/* A large grid's memory (bigmem.c): 2 MB-aligned and, on Linux, marked
** for transparent huge pages before it is touched, so the scattered reads
** of a Dijkstra search miss the TLB less.  Freed with free(). */
void *gpcov_grid_alloc(size_t bytes);

/* A string -> index map (strmap.c), open addressing, keys copied. */
struct gpcov_strmap {
    size_t cap, n;
    char **keys;
    size_t *vals;
};
/* Returns 0 and sets *val when found, -1 otherwise. */
int gpcov_strmap_get(const struct gpcov_strmap *m, const char *key, size_t *val);
/* Inserts or replaces; returns 0, or -1 on ENOMEM. */
int gpcov_strmap_put(struct gpcov_strmap *m, const char *key, size_t val);
void gpcov_strmap_clear(struct gpcov_strmap *m);

#endif
