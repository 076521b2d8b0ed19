/*
** gpcov_internal.h: what the library's files share and the public API does
** not show: the context's layout, error helpers, string helpers.
*/
#ifndef GPCOV_INTERNAL_H
#define GPCOV_INTERNAL_H

#include "gpcov.h"
#include <math.h>
#include <proj.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define GPCOV_MSG_MAX 1024
/* the fastest speed a road or a straight line may be given (km/h) */
#define GPCOV_MAX_KMH 300

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
/* The steps of a commit (atomic.c), for committing several outputs as one
** (outset.c).  place puts tmp's file(s) at dst, keeping hard links to the
** files it replaces, and sets in *placed the parts it changed; unplace
** puts those back; finish removes tmp's private directory with the kept
** files.  Between hold and sigprocmask(SIG_SETMASK, old) no SIGINT,
** SIGTERM or SIGHUP arrives. */
gpcov_status gpcov_atomic_place(gpcov_ctx *ctx, const char *tmp, const char *dst,
                                unsigned *placed);
void gpcov_atomic_unplace(const char *tmp, const char *dst, unsigned placed);
void gpcov_atomic_finish(const char *tmp);
void gpcov_atomic_hold(sigset_t *old);
/* gpcov_atomic_begin for a file updated in place on purpose (the styles
** stored in a GeoPackage that is also read): always overwrites, and may
** replace an input. */
gpcov_status gpcov_atomic_begin_in_place(gpcov_ctx *ctx, const char *dst, char **tmp);

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

/* PostGIS outputs (pg.c).  A destination is "PG:<conninfo> tables=
** [schema.]name"; names are lower-case letters, digits and _. */
#define GPCOV_PG_NAME_MAX 48
struct gpcov_pg_out {
    void *ds;           /* GDALDatasetH, update mode, in a transaction     */
    char *conninfo;     /* "PG:..." without tables=                         */
    char schema[128];   /* given, or the connection's current_schema()     */
    char table[64];     /* the final name                                  */
    char tmp[64];       /* where the layer is written first                */
    int overwrite, in_tx;
};
/* Starts with "PG:". */
int gpcov_pg_is(const char *dst);
/* Refuses the destination's table when it exists and !overwrite (and a
** malformed destination, an unreachable database, one without PostGIS). */
gpcov_status gpcov_pg_check(gpcov_ctx *ctx, const char *dst, int overwrite);
/* Connects, checks PostGIS, starts a transaction, refuses an existing table
** unless overwrite, picks w->tmp.  The caller creates the OGR layer named
** w->tmp (layer creation option SCHEMA=w->schema) in w->ds and writes it,
** then calls gpcov_pg_finish with the writer's status: on GPCOV_OK the
** table replaces (or becomes) w->table and the transaction commits, else
** everything is rolled back.  Finish closes the connection and frees w and
** returns the final status. */
gpcov_status gpcov_pg_begin(gpcov_ctx *ctx, const char *dst, int overwrite,
                            struct gpcov_pg_out **w);
gpcov_status gpcov_pg_finish(gpcov_ctx *ctx, const char *dst, struct gpcov_pg_out *w,
                             void *ogr_layer, gpcov_status st);
/* atomic.c's begin/commit/abort for a PG destination: *tmp is a PG:
** destination naming a fresh temporary table in the same schema; commit
** renames it over dst in one transaction; abort drops it. */
gpcov_status gpcov_pg_atomic_begin(gpcov_ctx *ctx, const char *dst, int overwrite, char **tmp);
gpcov_status gpcov_pg_atomic_commit(gpcov_ctx *ctx, const char *tmp, const char *dst);
void gpcov_pg_atomic_abort(const char *tmp);

/* Transforms an OGR geometry (handle) to a GEOS geometry; NULL on error. */
GEOSGeometry *gpcov_ogr_to_geos(gpcov_ctx *ctx, void *ogr_geom);
/* A new GEOS geometry as an OGR geometry handle (caller destroys). */
void *gpcov_geos_to_ogr(gpcov_ctx *ctx, const GEOSGeometry *g);
/* A new spatial reference of the working CRS, EPSG:25832, in GIS axis order
** (an OGRSpatialReferenceH the caller destroys; io.c). */
void *gpcov_working_srs(void);
/* out[i] = 1 + the polygon k of geoms[0..n) holding the centre of cell i,
** else (with touched) 1 + one the cell touches (coastal cells whose centre
** is at sea), else 0: burnt by GDAL's rasterizer, touched cells first,
** centres over them. */
gpcov_status gpcov_grid_burn(gpcov_ctx *ctx, GEOSGeometry *const *geoms, size_t n,
                             const struct gpcov_grid *g, int touched, int32_t *out);

/* For each of the points of pts, the index of the polygon of polys it lies
** in (the first in the layer on a shared border), else of the nearest
** polygon within snap metres, else -1, in poly_of[pts->n] (pip.c). */
gpcov_status gpcov_points_in_polygons(gpcov_ctx *ctx, const struct gpcov_layer *polys,
                                      const struct gpcov_layer *pts, double snap, long *poly_of);

/* A large grid's memory (bigmem.c): 2 MB-aligned and, on Linux, marked
** for transparent huge pages before it is touched, so the scattered reads
** of a Dijkstra search miss the TLB less.  Freed with free(). */
void *gpcov_grid_alloc(size_t bytes);

/* OSM helpers (osmtags.c, speed.c). */
int gpcov_hstore_get(const char *hs, const char *key, char *out, size_t outsz);
double gpcov_maxspeed_kmh(const char *v);

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

/* A radix heap (radixheap.c): the monotone priority queue of both
** Dijkstra searches (costdist.c over cells, dijkstra.c over road nodes).
** Keys are the bits of non-negative double costs, which order like the
** doubles; equal costs pop in order of source index, lowest first.
** Pushes must not be below the last popped cost (Dijkstra's monotony). */
struct gpcov_rent {
    uint64_t key;
    uint32_t cell;
    int32_t src;
};
struct gpcov_rbucket {
    struct gpcov_rent *a;
    size_t n, cap;
};
struct gpcov_rheap {
    struct gpcov_rbucket b[65];
    uint64_t last;
    size_t size;
};

static inline uint64_t gpcov_rheap_key(double cost)
{
    uint64_t k;
    cost += 0.0; /* -0.0 to +0.0 */
    memcpy(&k, &cost, sizeof k);
    return k;
}

static inline double gpcov_rheap_cost(uint64_t k)
{
    double d;
    memcpy(&d, &k, sizeof d);
    return d;
}

static inline int gpcov_rheap_bucket(uint64_t k, uint64_t last)
{
    return k == last ? 0 : 64 - __builtin_clzll(k ^ last);
}

int gpcov_rbucket_grow(struct gpcov_rbucket *b);

/* Returns 0, or -1 on ENOMEM. */
static inline int gpcov_rheap_push(struct gpcov_rheap *h, double cost, uint32_t cell,
                                   int32_t src)
{
    struct gpcov_rent e = {gpcov_rheap_key(cost), cell, src};
    struct gpcov_rbucket *b = &h->b[gpcov_rheap_bucket(e.key, h->last)];
    if (b->n == b->cap && gpcov_rbucket_grow(b))
        return -1;
    b->a[b->n++] = e;
    h->size++;
    return 0;
}

/* After the first pushes (the sources, in any order) and before the first
** pop: puts equal-cost entries in source order. */
void gpcov_rheap_start(struct gpcov_rheap *h);
/* Pops the entry with the least (cost, src) into *out; the heap must not
** be empty.  Returns 0, or -1 on ENOMEM. */
int gpcov_rheap_pop(struct gpcov_rheap *h, struct gpcov_rent *out);
void gpcov_rheap_free(struct gpcov_rheap *h);

/* The friction search (costdist.c, costdist_par.c).  One move: row and
** column offsets, the index offsets of the target and (knight's moves) of
** the two middle cells, and the factor w that turns the sum of the
** frictions into the step cost: d/2, or d/4 for four cells. */
struct gpcov_move {
    int dr, dc;
    ptrdiff_t off, mid1, mid2;
    double w;
    int knight;
};
/* Fills mv[16] with the 8 (16 with knight) moves; returns their number. */
int gpcov_costdist_moves(struct gpcov_move *mv, int knight, int nx, double dx, double dy);
#define GPCOV_COST_MAX_THREADS 8
/* Threads for a search from nsrc sources over ncell cells: GPCOV_THREADS
** when set; else 2 when the grid has GPCOV_COST_PAR_CELLS cells or more and
** two cores are online (on an idle 2-core machine 3.2 s instead of 3.9 s on
** the national grid; under load from other jobs it can be slower: README,
** Benchmarks), 1 otherwise; at most GPCOV_COST_MAX_THREADS and one per
** source. */
#define GPCOV_COST_PAR_CELLS 4000000
int gpcov_costdist_threads(size_t nsrc, size_t ncell);
/* Accumulated costs are doubles rounded to 33 significant bits (to
** nearest, halves up: unbiased, and monotone, so Dijkstra still holds), in
** both searches: the low GPCOV_COST_SRC_BITS bits of the mantissa are
** zero, so the parallel search packs a cost and its source in one 64-bit
** word, and the two searches do the same arithmetic.  At most
** 2^GPCOV_COST_SRC_BITS sources.  c must be finite and >= 0. */
#define GPCOV_COST_SRC_BITS 20
static inline double gpcov_cost_round(double c)
{
    uint64_t k;
    memcpy(&k, &c, sizeof k);
    k += (uint64_t)1 << (GPCOV_COST_SRC_BITS - 1);
    k &= ~(((uint64_t)1 << GPCOV_COST_SRC_BITS) - 1);
    memcpy(&c, &k, sizeof c);
    return c;
}
/* Whether move m from row r, column c stays on the nx x ny grid (inner:
** the cell is at least two cells from every edge, so every move does). */
static inline int gpcov_move_inside(const struct gpcov_move *m, int inner, int r, int c,
                                    int nx, int ny)
{
    if (inner)
        return 1;
    int r2 = r + m->dr, c2 = c + m->dc;
    return r2 >= 0 && r2 < ny && c2 >= 0 && c2 < nx;
}
/* r.cost's rule, the one both searches use: the accumulated cost at target
** nb of move m from cell, whose cost is ecost and friction fa (frictions
** fr): the mean friction of the cells the move crosses times its length,
** rounded (gpcov_cost_round).  -1 when a knight's move crosses a barrier. */
static inline double gpcov_move_cost(const struct gpcov_move *m, const float *fr, size_t cell,
                                     size_t nb, double fa, double ecost)
{
    double sum = fa + (double)fr[nb];
    if (m->knight) {
        const float f1 = fr[(ptrdiff_t)cell + m->mid1];
        const float f2 = fr[(ptrdiff_t)cell + m->mid2];
        if (isnan(f1) || isnan(f2))
            return -1;
        sum += (double)f1 + (double)f2;
    }
    return gpcov_cost_round(ecost + sum * m->w);
}
/* gpcov_costdist with nthreads (2..GPCOV_COST_MAX_THREADS) competing
** searches, after gpcov_costdist has checked the arguments and filled
** cost_out with NaN at barriers; passable counts the other cells. */
gpcov_status gpcov_costdist_par(gpcov_ctx *ctx, const struct gpcov_grid *g,
                                const float *friction, const int64_t *src_cells, size_t nsrc,
                                const struct gpcov_move *mv, int nmv, double max_cost,
                                size_t passable, int nthreads, float *cost_out,
                                int32_t *nearest_out);


/* A delimited text file (CSV, TSV) made fit for OGR (textcheck.c).  Refuses,
** naming the file and line: an empty file, UTF-16/32, a NUL byte, a quoted
** field still open at the end of the file (truncated), and when `fields`
** is set a row with more fields than its header (an unquoted decimal comma
** in a comma-separated file).  A file that is not UTF-8 is read as
** Windows-1252, the encoding of a Danish Excel's "CSV (semikolonsepareret)",
** with a notice: *mem is then the name of a UTF-8 copy in /vsimem/ (caller
** VSIUnlinks and frees), else NULL. */
gpcov_status gpcov_text_prepare(gpcov_ctx *ctx, const char *src, int fields, char **mem);

/* The dataset metadata item key of raster src (GPCOV_MODEL, say), malloc'ed,
** or NULL when the raster or the item is not there (provenance.c). */
char *gpcov_raster_meta(const char *src, const char *key);
/* The same of a vector source: of its layer (NULL: the first), else of
** the dataset. */
char *gpcov_vector_meta(const char *src, const char *layer, const char *key);

/* Rasters sampled at points (sample.c, overlay --sample): per sample its
** name, the --max-minutes cut of the raster (NaN: none), its GPCOV_MODEL
** (or NULL), and per point whether its cell is nodata beyond the cut. */
struct gpcov_samples {
    size_t n;
    char **name;
    double *cut;
    char **model;
    unsigned char **beyond;
};
gpcov_status gpcov_samples_read(gpcov_ctx *ctx, char **specs, struct gpcov_layer *pts,
                                struct gpcov_samples *s);
void gpcov_samples_clear(struct gpcov_samples *s);
/* A lookup over point fr that, with mode 1 or 2, gives a point beyond the
** cut the time just above the cut or infinity (mode 0: empty). */
struct gpcov_sample_ref {
    struct gpcov_feature fr;
    const struct gpcov_samples *s;
    int mode;
};
int gpcov_sample_lookup(void *user, const char *name, struct gpcov_value *v);
/* The truth of condition e: 1, 0, or -1 unknown.  With mode (the mode of
** a gpcov_sample_ref given as user) an empty result is tried again at both
** ends of "beyond the cut", and decided when they agree. */
gpcov_status gpcov_where_truth(gpcov_ctx *ctx, const gpcov_expr *e, gpcov_lookup_fn lookup,
                               void *user, int *mode, int *out);

#endif
