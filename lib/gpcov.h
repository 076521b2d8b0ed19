/*
** gpcov.h: the public API of libgpcov, a geospatial coverage analysis
** library for general practice in Denmark.  Everything a command in tools/
** needs is declared here; internals live in gpcov_internal.h.
**
** Conventions (see DESIGN.md):
**   - every function returns a gpcov_status; GPCOV_OK is 0.  On failure a
**     message naming the file, the row or feature and the problem is left
**     in the context (gpcov_ctx_message).  The library never prints and
**     never exits.
**   - every prototype says who frees what it returns; every _free accepts
**     NULL.
**   - geometries are GEOS geometries made with the context's GEOS handle,
**     always in the working CRS EPSG:25832.
*/
#ifndef GPCOV_H
#define GPCOV_H

#include <stddef.h>
#include <stdint.h>
#include <geos_c.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GPCOV_VERSION "0.1.0"
#define GPCOV_WORKING_EPSG 25832

/* Status codes.  tools/ maps them to exit codes (see README, "Exit codes"). */
typedef enum {
    GPCOV_OK = 0,
    GPCOV_EUSAGE,    /* a caller's mistake: bad option, bad expression     */
    GPCOV_EINPUT,    /* an input file is unreadable, empty or inconsistent */
    GPCOV_EOUTPUT,   /* an output cannot be written, or exists already     */
    GPCOV_ENOMEM,    /* out of memory                                      */
    GPCOV_ECANCEL,   /* the progress callback asked to stop                */
    GPCOV_EINTERNAL  /* a dependency failed in a way we did not expect     */
} gpcov_status;

/* ------------------------------------------------------------------ context */

/* Owns the GEOS handle, the PROJ context, the error message and progress.
** Made by gpcov_ctx_new (NULL when out of memory), freed by gpcov_ctx_free.
** One context per thread. */
typedef struct gpcov_ctx gpcov_ctx;

gpcov_ctx *gpcov_ctx_new(void);
void gpcov_ctx_free(gpcov_ctx *ctx);
/* The message of the last failure ("" when none).  Owned by the context. */
const char *gpcov_ctx_message(const gpcov_ctx *ctx);
GEOSContextHandle_t gpcov_ctx_geos(gpcov_ctx *ctx);
/* Progress: fraction in [0,1] and a short label; return non-zero to cancel. */
typedef int (*gpcov_progress_fn)(double fraction, const char *label, void *user);
void gpcov_ctx_set_progress(gpcov_ctx *ctx, gpcov_progress_fn fn, void *user);
/* Notices: an input was accepted but changed on the way in (a Windows-1252
** file read as such, an invalid polygon repaired).  One line, without the
** "gpcov:" prefix.  Without a callback they are dropped. */
typedef void (*gpcov_notice_fn)(const char *line, void *user);
void gpcov_ctx_set_notice(gpcov_ctx *ctx, gpcov_notice_fn fn, void *user);
/* The context remembers every file read as an input (its device and
** inode), and no output may replace one, not even with overwrite.  A
** caller that runs several analyses on one context forgets the inputs of
** one before the next. */
void gpcov_ctx_forget_inputs(gpcov_ctx *ctx);
/* Short human name of a status ("bad input", ...).  Static string. */
const char *gpcov_status_name(gpcov_status st);

/* ------------------------------------------------------------------- values */

enum gpcov_ftype { GPCOV_REAL, GPCOV_INT, GPCOV_STR, GPCOV_BOOL };

/* A cell: null, or a number (REAL/INT/BOOL use num), or a string. */
struct gpcov_value {
    int null;
    double num;
    char *str; /* owned by the layer or expression that holds the value */
};

struct gpcov_field {
    char *name;
    enum gpcov_ftype type;
};

/* ------------------------------------------------------------------- layers */

/* A vector layer in memory: n features, each with an optional key (a
** normalised municipality code, say), a geometry in EPSG:25832 (may be NULL)
** and nfields attribute values stored row-major in vals[i*nfields + f].
** Made by gpcov_layer_new or gpcov_layer_read, freed by gpcov_layer_free. */
struct gpcov_layer {
    char *name;
    size_t n, cap;
    char **keys;
    GEOSGeometry **geoms;
    size_t nfields;
    struct gpcov_field *fields;
    struct gpcov_value *vals;
    /* Layer metadata written with the data (GDAL metadata items): "KEY=VALUE"
    ** strings, a NULL-terminated CSL owned by the layer.  Used, for instance,
    ** to label outputs of the straight-line travel model. */
    char **metadata;
};

struct gpcov_layer *gpcov_layer_new(const char *name);
void gpcov_layer_free(gpcov_ctx *ctx, struct gpcov_layer *layer);
/* Index of a field by name (case-sensitive), or -1. */
int gpcov_layer_field(const struct gpcov_layer *layer, const char *name);
/* Adds a field (all values null) and returns its index, or -1 on ENOMEM or
** when the name exists already (message in ctx). */
int gpcov_layer_add_field(gpcov_ctx *ctx, struct gpcov_layer *layer,
                          const char *name, enum gpcov_ftype type);
/* Appends a feature; takes ownership of geom (may be NULL); key is copied
** (may be NULL).  Returns the feature index or -1 on ENOMEM. */
long gpcov_layer_append(gpcov_ctx *ctx, struct gpcov_layer *layer,
                        const char *key, GEOSGeometry *geom);
struct gpcov_value *gpcov_layer_value(const struct gpcov_layer *layer,
                                      size_t i, size_t f);
gpcov_status gpcov_layer_set_num(gpcov_ctx *ctx, struct gpcov_layer *layer,
                                 size_t i, size_t f, double v);
gpcov_status gpcov_layer_set_str(gpcov_ctx *ctx, struct gpcov_layer *layer,
                                 size_t i, size_t f, const char *s);
void gpcov_layer_set_null(struct gpcov_layer *layer, size_t i, size_t f);
/* The value of field f of feature i as text into buf[n], and buf: "" when
** null, a text as it is, a number as %.15g (so 12 is "12", 0.5 "0.5").
** For ids, names and values quoted in messages. */
const char *gpcov_value_text(const struct gpcov_layer *layer, size_t i, int f, char *buf,
                             size_t n);
/* Sorts features by key (features without a key last), for determinism. */
void gpcov_layer_sort(struct gpcov_layer *layer);
/* A feature of a layer, for expressions over its fields: pass a
** struct gpcov_feature as `user` to gpcov_expr_eval with gpcov_layer_lookup. */
struct gpcov_feature {
    const struct gpcov_layer *l;
    size_t i;
};
int gpcov_layer_lookup(void *user, const char *name, struct gpcov_value *out);
/* Sets a metadata item (copied). */
gpcov_status gpcov_layer_set_meta(gpcov_ctx *ctx, struct gpcov_layer *layer,
                                  const char *key, const char *value);

struct gpcov_read_opts {
    const char *layer;     /* layer name; NULL: the first layer            */
    const char *key_field; /* NULL: features are kept as they are; else
                              features are keyed by the normalised value of
                              this field and features sharing a key are
                              dissolved into one (multi)polygon            */
    const char *x_field;   /* points from coordinate columns of a table    */
    const char *y_field;   /* (CSV): both or neither                       */
    const char *srs;       /* CRS assumed when the source has none, e.g.
                              "EPSG:4326" for lon/lat columns; NULL: a
                              source without CRS is an error               */
};

/* Reads any OGR vector source, reprojects geometries to EPSG:25832 (a
** source without CRS is an error unless it has no geometry), drops Z,
** repairs invalid polygons with GEOSMakeValid and keeps every attribute.
** *out is freed by the caller with gpcov_layer_free. */
gpcov_status gpcov_layer_read(gpcov_ctx *ctx, const char *src,
                              const struct gpcov_read_opts *opts,
                              struct gpcov_layer **out);

struct gpcov_write_opts {
    int overwrite;          /* replace an existing output                  */
    const char *layer_name; /* NULL: the layer's own name                  */
    int precision;          /* GeoJSON coordinate decimals; 0: default 7   */
    const char *into;       /* write straight to this temporary of dst, given
                               by an output set (gpcov_outset_add), or NULL */
};

/* Writes the layer to dst, the format chosen by extension: .geojson/.json
** (RFC 7946, lon/lat), .gpkg, .shp (UTF-8, with .cpg), .csv (no geometry),
** or PostGIS, "PG:<conninfo> tables=[schema.]name" (EPSG:25832, GiST
** index; opts->layer_name is not used there).  Written to a temporary name
** in the target directory (a temporary table, in one transaction) and
** renamed on success: on failure nothing is left, and an existing output
** is not touched unless opts->overwrite. */
gpcov_status gpcov_layer_write(gpcov_ctx *ctx, const struct gpcov_layer *layer,
                               const char *dst,
                               const struct gpcov_write_opts *opts);

/* ------------------------------------------------------------- atomic writes */

/* Atomic outputs (atomic.c).  gpcov_atomic_begin checks that dst may be
** written (refuses an existing dst unless overwrite, an input of the run,
** a name too long, an unwritable directory) and makes a fresh temporary
** path, with the same extension, in a private directory beside it, in *tmp
** (caller frees).  Write to *tmp, then commit (rename over dst; without
** overwrite, never over a dst that appeared meanwhile) or abort (remove
** *tmp and anything the writer left beside it).  Several outputs: see
** gpcov_outset below. */
gpcov_status gpcov_atomic_begin(gpcov_ctx *ctx, const char *dst, int overwrite,
                                char **tmp);
gpcov_status gpcov_atomic_commit(gpcov_ctx *ctx, const char *tmp,
                                 const char *dst);
void gpcov_atomic_abort(const char *tmp);
/* Refuses dst when it exists and !overwrite, before any work is done: a
** file, or for "PG:... tables=name" the table (this connects, and also
** refuses a database without PostGIS or a malformed destination). */
gpcov_status gpcov_atomic_check(gpcov_ctx *ctx, const char *dst, int overwrite);
/* Removes every temporary of this process that is neither committed nor
** aborted, with its side files.  Async-signal-safe: for a SIGINT or
** SIGTERM handler that then ends the process (tools/main.c).  Temporaries
** live in private directories .<name>.tmp<pid>-<n>/ (.gpcov.tmp<pid>-<n>/
** when the name is near the file system's limit); one left by a process
** that no longer runs (killed with SIGKILL, a power cut) is removed by the
** next gpcov_atomic_begin into the same directory. */
void gpcov_atomic_remove_all(void);

/* One output set (outset.c): the outputs of a run, committed together or
** not at all (NULL, with the context's message, when out of memory).
** gpcov_outset_add checks dst (as gpcov_atomic_begin) and
** gives the temporary to write it to (owned by the set);
** gpcov_outset_layer adds dst and writes l there (a PostGIS table is
** written at commit, in its own transaction; l must live until then).
** gpcov_outset_commit puts every output in place, or, when one fails,
** puts back those already placed as they were; gpcov_outset_free removes
** what was not committed.  A failure anywhere leaves every existing output
** byte for byte as it was and no temporary. */
typedef struct gpcov_outset gpcov_outset;
gpcov_outset *gpcov_outset_new(gpcov_ctx *ctx, int overwrite);
gpcov_status gpcov_outset_add(gpcov_ctx *ctx, gpcov_outset *s, const char *dst,
                              const char **tmp);
gpcov_status gpcov_outset_layer(gpcov_ctx *ctx, gpcov_outset *s,
                                const struct gpcov_layer *l, const char *dst,
                                const struct gpcov_write_opts *opts);
/* Takes over tmp, a temporary begun for dst (gpcov_qgisstyle_begin's),
** as one output of the set; freed by the set, also on failure. */
gpcov_status gpcov_outset_adopt(gpcov_ctx *ctx, gpcov_outset *s, const char *dst, char *tmp);
gpcov_status gpcov_outset_commit(gpcov_ctx *ctx, gpcov_outset *s);
void gpcov_outset_free(gpcov_outset *s);

/* --------------------------------------------------------------------- keys */

/* Normalises a municipality (or region) code so that 101, "0101", " 0101 ",
** 101.0 and "101 København" are one key: digits are zero-padded to four.  A
** value without leading digits is trimmed and case-folded (names join too).
** Writes into out (size outsz).  Returns 0, or -1 when the value is empty or
** does not fit. */
int gpcov_key_normalise(const char *in, char *out, size_t outsz);

/* -------------------------------------------------------------- expressions */

/* A small SQL-like expression language shared by aggregation filters,
** derived fields and threat rules:  numbers, 'strings', names (bare, or
** "quoted" when they hold spaces), + - * /, comparisons = != <> < <= > >=,
** AND OR NOT, IN (...), BETWEEN a AND b, IS [NOT] NULL, and functions
** pct(a,b) = 100*a/b, growth(a,b) = 100*(b-a)/a, min, max, abs, round(x[,n]),
** coalesce(a,b,...).  Null propagates; division by zero gives null. */
typedef struct gpcov_expr gpcov_expr;

gpcov_status gpcov_expr_parse(gpcov_ctx *ctx, const char *text,
                              gpcov_expr **out);
void gpcov_expr_free(gpcov_expr *e);
/* Names the expression refers to, in order of first use.  Owned by e. */
size_t gpcov_expr_nnames(const gpcov_expr *e);
const char *gpcov_expr_name(const gpcov_expr *e, size_t i);
const char *gpcov_expr_text(const gpcov_expr *e);
/* Looks a name up: fills *out (a string stays owned by the caller) and
** returns 0, or -1 when the name is unknown. */
typedef int (*gpcov_lookup_fn)(void *user, const char *name,
                               struct gpcov_value *out);
/* Evaluates; a string result is copied into out->str, which the caller frees
** with free().  Unknown names are an EUSAGE error. */
gpcov_status gpcov_expr_eval(gpcov_ctx *ctx, const gpcov_expr *e,
                             gpcov_lookup_fn lookup, void *user,
                             struct gpcov_value *out);

/* ------------------------------------------------------------------- tables */

/* A table read through OGR (CSV, XLSX, ODS, any vector source), every cell
** kept as text exactly as written.  Rows count from 1 after the header, as a
** spreadsheet user counts data lines; row_line[r] is the line or row number
** in the file, for messages. */
struct gpcov_table {
    char *path;
    size_t ncols, nrows;
    char **cols;
    char **cells; /* nrows * ncols; NULL for an empty cell */
    long *row_line;
};

struct gpcov_table_opts {
    const char *layer;    /* sheet or layer; NULL: the first               */
    int skip_rows;        /* raw spreadsheets: rows above the header       */
    const char *columns;  /* comma-separated names replacing the header    */
    const char *fill_down;/* comma-separated columns whose blank cells take
                             the value above (merged cells in StatBank)    */
};

gpcov_status gpcov_table_read(gpcov_ctx *ctx, const char *src,
                              const struct gpcov_table_opts *opts,
                              struct gpcov_table **out);
void gpcov_table_free(struct gpcov_table *t);
int gpcov_table_col(const struct gpcov_table *t, const char *name);
/* Parses a number as analysts write them: "1234", "1234.5", "1 234",
** "1.234,5" (Danish), "12,5" (decimal comma).  Returns 0 or -1. */
int gpcov_parse_number(const char *s, double *out);

/* ------------------------------------------------------------------ overlay */

enum gpcov_src_kind { GPCOV_SRC_TABLE, GPCOV_SRC_POINTS };
enum gpcov_out_kind { GPCOV_OUT_FIELD, GPCOV_OUT_AGG, GPCOV_OUT_PRESENT };
enum gpcov_agg_fn { GPCOV_SUM, GPCOV_COUNT, GPCOV_MEAN, GPCOV_MIN, GPCOV_MAX,
                    GPCOV_FIRST };

/* One output field taken from a source. */
struct gpcov_out_spec {
    char *name;
    enum gpcov_out_kind kind;
    enum gpcov_agg_fn fn;  /* for AGG                                      */
    gpcov_expr *value;     /* per row; NULL for COUNT and PRESENT          */
    gpcov_expr *where;     /* row filter for this field; may be NULL       */
    char *text;            /* the declaration as written, for messages     */
    int type;              /* enum gpcov_ftype declared as NAME:text=...,
                              NAME:int=, :real=, :bool=; -1: inferred   */
};

/* One joined source: a table (joined by key) or points (joined by location). */
struct gpcov_src_spec {
    enum gpcov_src_kind kind;
    char *path;
    struct gpcov_table_opts topts;
    char *poly_field;      /* --key POLYFIELD=TABLEFIELD                    */
    char *table_field;
    gpcov_expr *where;     /* rows kept before anything else; may be NULL   */
    int optional;          /* polygons without rows are allowed             */
    char *x_field, *y_field, *srs; /* points from a table with coordinates  */
    double snap;           /* points: a point outside every polygon joins
                              the nearest one within this many metres     */
    char **samples;        /* points: "NAME=RASTER": the raster's value at
                              each point becomes field NAME (CSL)         */
    size_t nout;
    struct gpcov_out_spec *out;
};

struct gpcov_derive_spec {
    char *name;
    gpcov_expr *expr;
    char *text;
    int type;              /* as in gpcov_out_spec; -1: real              */
};

struct gpcov_overlay_spec {
    char *polygons;
    char *poly_layer;
    char *poly_key;        /* default: the first source's POLYFIELD        */
    char *name_field;      /* copied to "name"; NULL: none                 */
    char *key_out;         /* output name of the key field; "komkode"      */
    char **keep;           /* polygon fields copied as they are (CSL)      */
    char **exempt;         /* keys that may lack rows in every table (CSL) */
    int allow_missing;
    size_t nsrc;
    struct gpcov_src_spec *src;
    size_t nderive;
    struct gpcov_derive_spec *derive;
};

struct gpcov_overlay_spec *gpcov_overlay_spec_new(void);
void gpcov_overlay_spec_free(struct gpcov_overlay_spec *s);
/* Builders that parse declarations, so the CLI and report files share them.
** Each applies to the most recently added source. */
gpcov_status gpcov_overlay_add_source(gpcov_ctx *ctx,
                                      struct gpcov_overlay_spec *s,
                                      enum gpcov_src_kind kind,
                                      const char *path);
/* "POLYFIELD=TABLEFIELD" */
gpcov_status gpcov_overlay_set_key(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                   const char *decl);
gpcov_status gpcov_overlay_set_where(gpcov_ctx *ctx,
                                     struct gpcov_overlay_spec *s,
                                     const char *cond);
/* Declarations are "NAME=..." or "NAME:TYPE=..." with TYPE one of text,
** int, real, bool; without a type, numbers are kept as numbers (integers
** when every value is whole) and anything else as text. */
/* "NAME=EXPR": a value from the single row of each key. */
gpcov_status gpcov_overlay_add_field(gpcov_ctx *ctx,
                                     struct gpcov_overlay_spec *s,
                                     const char *decl);
/* "NAME=FN(EXPR) [WHERE COND]", FN one of sum count mean min max first. */
gpcov_status gpcov_overlay_add_agg(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                   const char *decl);
/* "NAME": true where the key has a row in the source, false elsewhere. */
gpcov_status gpcov_overlay_set_optional(gpcov_ctx *ctx,
                                        struct gpcov_overlay_spec *s);
/* Points: coordinate columns and the CRS they are in (default EPSG:4326). */
gpcov_status gpcov_overlay_set_xy(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                  const char *x, const char *y,
                                  const char *srs);
gpcov_status gpcov_overlay_add_present(gpcov_ctx *ctx,
                                       struct gpcov_overlay_spec *s,
                                       const char *name);
/* "NAME=RASTER": for points, the raster's value (EPSG:25832) at each
** point as field NAME, usable in --where and --agg (e.g. travel minutes). */
gpcov_status gpcov_overlay_add_sample(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                      const char *decl);
/* "NAME=EXPR" over the joined fields, evaluated in declaration order. */
gpcov_status gpcov_overlay_add_derive(gpcov_ctx *ctx,
                                      struct gpcov_overlay_spec *s,
                                      const char *decl);

/* Runs the overlay.  *out (keyed, sorted by key) is freed with
** gpcov_layer_free. */
gpcov_status gpcov_overlay_run(gpcov_ctx *ctx,
                               const struct gpcov_overlay_spec *s,
                               struct gpcov_layer **out);

/* ------------------------------------------------------------------ dissolve */

/* Reads src keyed by key_field (dissolving parts), renames the key to "code"
** and name_field to "name", adds "flag" (text, empty unless the key is in
** flags, a CSL of "KEY=reason"), and writes dst. */
gpcov_status gpcov_dissolve(gpcov_ctx *ctx, const char *src,
                            const char *key_field, const char *name_field,
                            char **flags, const char *dst,
                            const struct gpcov_write_opts *wopts);

/* ------------------------------------------------------------ class breaks */

enum gpcov_breaks_method { GPCOV_BREAKS_QUANTILE, GPCOV_BREAKS_EQUAL,
                           GPCOV_BREAKS_JENKS, GPCOV_BREAKS_FIXED };

/* Computes k classes over the n finite values (nulls/NaN skipped by the
** caller).  breaks receives k+1 ascending edges: breaks[0] = min,
** breaks[k] = max; class c holds breaks[c] < v <= breaks[c+1] (the first
** class includes its lower edge).  For FIXED, breaks is input (k+1 edges)
** and is checked for order.  Jenks uses Fisher's exact optimal method. */
gpcov_status gpcov_breaks(gpcov_ctx *ctx, enum gpcov_breaks_method m,
                          const double *values, size_t n, int k,
                          double *breaks);
/* Class of v for k classes and edges breaks[0..k]; -1 when v is outside. */
int gpcov_breaks_class(const double *breaks, int k, double v);

/* ------------------------------------------------------------ road network */

/* A road graph in EPSG:25832 in compressed sparse row form: the edges
** leaving node i are first[i] .. first[i+1]-1, each to node to[e] taking
** minutes[e].  The same graph as undirected segments (one per pair of
** consecutive vertices of a line, and one per ferry-end link): seg_u --
** seg_v, seg_fw minutes from u to v and seg_bw from v to u (INFINITY where
** a one-way street forbids it); seg_kind says what a segment is.  comp[i]
** is node i's weakly connected component, main_comp the largest.  Made by
** gpcov_network_read, freed by gpcov_network_free. */
enum gpcov_seg_kind {
    GPCOV_SEG_ROAD = 0,     /* a road where a car can stop                 */
    GPCOV_SEG_NOSTOP = 1,   /* a motorway: cars cannot stop or join there  */
    GPCOV_SEG_FERRY = 2,    /* a ferry line                                */
    GPCOV_SEG_LINK = 3      /* a ferry end joined to the nearest road      */
};

/* One end of a ferry line that ended on no road vertex, and what became of
** it: joined to the nearest road vertex within the ferry snap distance, or
** not (a harbour abroad, or a road missing from the data). */
struct gpcov_ferry_end {
    long feature;        /* the ferry's feature number in the source (1..) */
    double x, y;         /* the end, EPSG:25832                            */
    double dist;         /* metres to the road vertex it joined; or -1     */
};

struct gpcov_network {
    size_t nnodes, nedges;
    double *x, *y;
    size_t *first;
    uint32_t *to;
    double *minutes;
    uint8_t *stop;  /* 1 where a car can stop: joined by connectors (not
                       on motorways or ferries only)                     */
    size_t nseg;
    uint32_t *seg_u, *seg_v;
    float *seg_fw, *seg_bw;
    uint8_t *seg_kind;
    uint32_t *comp;          /* component of each node                    */
    size_t ncomp_noded;      /* components after noding, before ferries   */
    size_t ncomp;            /* components after joining the ferry ends   */
    uint32_t main_comp;      /* the largest component                     */
    size_t main_nodes;       /* its nodes                                 */
    struct gpcov_ferry_end *fends; /* dangling ferry ends, in file order */
    size_t nfends;
    /* what reading saw, for the run's report */
    size_t ways_used, ways_skipped, ways_maxspeed, ways_ferry;
    size_t vertices_snapped; /* vertices merged with a node within the
                                snapping tolerance but not at it          */
    char speeds[512];        /* the speeds used per class, for metadata   */
    double snap, ferry_snap, ferry_wait, ferry_kmh; /* as resolved       */
};

struct gpcov_network_opts {
    const char *layer;        /* NULL: "lines" for OSM files, else the first */
    const char *class_field;  /* road class field; NULL: "highway"           */
    const char *speed_field;  /* km/h per line, overriding class speeds      */
    const char *oneway_field; /* NULL: "oneway" (a field or an OSM tag)      */
    const char *brunnel_field;/* bridge/tunnel field; NULL: "brunnel", else
                                 the OSM tags bridge= and tunnel=            */
    const char *speeds;       /* CSV "class,kmh" overriding the defaults     */
    double ferry_kmh;         /* ferries without a duration tag; 0: 25       */
    double ferry_wait;        /* boarding and waiting, minutes, added once a
                                 crossing; 0: 30; < 0: none                  */
    double ferry_snap;        /* longest join of a ferry end to a road, m;
                                 0: 300                                      */
    double snap;              /* vertices closer than this are one node, m;
                                 0: 0.5                                      */
    double maxspeed_factor;   /* travel speed = maxspeed x this; 0: 1.0      */
    const double *extent;     /* xmin ymin xmax ymax (EPSG:25832): read only
                                 lines touching it; NULL: everything         */
};

#define GPCOV_SNAP_DEFAULT 0.5
#define GPCOV_FERRY_SNAP_DEFAULT 300.0
#define GPCOV_FERRY_WAIT_DEFAULT 30.0
#define GPCOV_FERRY_KMH_DEFAULT 25.0

/* Default speed (km/h) of a road class, or 0 when cars do not use it: the
** general limit of most of its roads x GPCOV_DRIVING_FACTOR (speed.c). */
#define GPCOV_DRIVING_FACTOR 0.85
double gpcov_network_class_kmh(const char *cls);

gpcov_status gpcov_network_read(gpcov_ctx *ctx, const char *src,
                                const struct gpcov_network_opts *opts,
                                struct gpcov_network **out);
void gpcov_network_free(struct gpcov_network *net);

/* Per node of the largest component: bit 1 when its strongly connected
** core reaches it, bit 2 when it reaches the core (3: in the core), 0
** elsewhere; NULL on ENOMEM. */
uint8_t *gpcov_network_core(const struct gpcov_network *net);

/* Nearest node to (x, y); returns its index and the distance in metres, or
** -1 for an empty network. */
long gpcov_network_nearest(const struct gpcov_network *net, double x, double y,
                           double *dist);

/* Multi-source shortest travel times.  Source k starts at node src[k] at
** time start[k] (minutes, e.g. an off-road connector; NULL: 0).  Fills
** minutes[i] (INFINITY when unreachable or beyond max_minutes > 0) and, if
** not NULL, nearest[i] = the index of the source reaching node i first
** (ties: the lower index), -1 when unreachable. */
gpcov_status gpcov_network_times(gpcov_ctx *ctx, const struct gpcov_network *net,
                                 const uint32_t *src, const double *start,
                                 size_t nsrc, double max_minutes,
                                 double *minutes, int32_t *nearest);
/* The same from seeds: seed j starts at node node[j] at time start[j] on
** behalf of source src[j] (a source reaching the graph at two ends of a
** road segment has two seeds). */
gpcov_status gpcov_network_times_seeds(gpcov_ctx *ctx, const struct gpcov_network *net,
                                       const uint32_t *node, const double *start,
                                       const int32_t *src, size_t nseed,
                                       double max_minutes, double *minutes,
                                       int32_t *nearest);

/* The graph as CSV (network_write.c), one row per directed edge:
**   edge,source,target,minutes,metres,x1,y1,x2,y2
** edge is the edge's index (0..nedges-1), source and target node indices
** (0..nnodes-1, as in the node file below), minutes the edge's time (17
** significant digits: the double gpcov searched with), metres the straight
** length between its end nodes, x1,y1 (source) and x2,y2 (target) in
** EPSG:25832 to the centimetre.  Written atomically; an existing dst is
** refused unless overwrite.  For running a peer router on the same graph. */
gpcov_status gpcov_network_write_edges(gpcov_ctx *ctx, const struct gpcov_network *net,
                                       const char *dst, int overwrite);
/* Per-node travel times as CSV, one row per node:
**   node,x,y,minutes,nearest
** minutes from gpcov_network_times (17 significant digits; empty where not
** finite: unreachable or beyond a time limit), nearest the id of the
** source reaching the node first: source_ids[nearest[i]], or nearest[i]+1
** when source_ids is NULL; empty where unreachable or nearest is NULL. */
gpcov_status gpcov_network_write_nodes(gpcov_ctx *ctx, const struct gpcov_network *net,
                                       const double *minutes, const int32_t *nearest,
                                       const char *const *source_ids, const char *dst,
                                       int overwrite);

/* ------------------------------------------------------------------ rasters */

/* A north-up grid: nx columns, ny rows, a GDAL geotransform with no rotation
** (gt[2] = gt[4] = 0, gt[1] > 0, gt[5] < 0: cell (row, col) has its upper
** left corner at x = gt[0] + col*gt[1], y = gt[3] + row*gt[5]) and its CRS
** as WKT.  Cells are stored row by row from the north: index row*nx + col.
** srs_wkt is malloc'd (or NULL: EPSG:25832 is assumed) and freed by
** gpcov_grid_clear, which also zeroes the struct. */
struct gpcov_grid {
    int nx, ny;
    double gt[6];
    char *srs_wkt;
};

void gpcov_grid_clear(struct gpcov_grid *g);

/* Reads band 1 of a single-band raster (any GDAL format) as float32 values,
** cells that are nodata (declared nodata value or mask) set to NaN.  Errors
** name the file: unreadable, more than one band, no CRS, no geotransform or
** a rotated or south-up one, a NaN value when NaN is not the declared nodata
** value.  On success *values (nx*ny floats, free with free()) and *g (clear
** with gpcov_grid_clear) are the caller's; on failure both are left empty. */
gpcov_status gpcov_raster_read(gpcov_ctx *ctx, const char *src,
                               struct gpcov_grid *g, float **values);

/* Reads a friction raster: gpcov_raster_read, and in addition the CRS must
** be EPSG:25832 (the working CRS, in which the sources are read) and every
** value that is not nodata must be finite and >= 0 (minutes per metre); a
** negative value is an error naming the row, the column and the value.
** Nodata cells are barriers. */
gpcov_status gpcov_friction_read(gpcov_ctx *ctx, const char *src,
                                 struct gpcov_grid *g, float **friction);

enum gpcov_raster_type { GPCOV_RASTER_FLOAT32, GPCOV_RASTER_INT32 };

struct gpcov_raster_write_opts {
    int overwrite;           /* replace an existing dst                   */
    const char *description; /* band description, or NULL                */
    const char *units;       /* band unit type ("min"), or NULL           */
    char **metadata;         /* dataset metadata "KEY=VALUE" (CSL), or NULL */
    const char *into;        /* write straight to this temporary of dst, given
                                by an output set (gpcov_outset_add), or NULL */
};

/* Writes nx*ny values (float for FLOAT32, int32_t for INT32) as a tiled,
** DEFLATE-compressed GeoTIFF in the grid's CRS (EPSG:25832 when srs_wkt is
** NULL).  Nodata is NaN for FLOAT32 and -1 for INT32.  Written to a
** temporary name beside dst and renamed on success (atomic.c); an existing
** dst is refused unless opts->overwrite.  The same data give the same bytes
** (no timestamps). */
gpcov_status gpcov_raster_write(gpcov_ctx *ctx, const char *dst,
                                const struct gpcov_grid *g,
                                enum gpcov_raster_type type, const void *data,
                                const struct gpcov_raster_write_opts *opts);

/* Maps n points (x[i], y[i] in the grid's CRS) to cell indices row*nx+col
** in cells[i].  A point on a cell edge belongs to the cell east or south of
** it (GDAL's convention).  names[i] labels point i in messages ("clinics.gpkg:
** feature 3"); names or names[i] may be NULL ("source 4", counting from 1).
** When values is not NULL, a point on a NaN cell (a barrier) is an error;
** so is a point outside the grid. */
gpcov_status gpcov_grid_locate(gpcov_ctx *ctx, const struct gpcov_grid *g,
                               const float *values, size_t n, const double *x,
                               const double *y, const char *const *names,
                               int64_t *cells);

/* The cell (row*nx + col) of g holding point (x, y); returns 0, or -1 when
** the point lies outside the grid. */
int gpcov_grid_cell(const struct gpcov_grid *g, double x, double y, size_t *cell);
/* True when src opens as a raster with at least one band. */
int gpcov_is_raster(const char *src);

/* ------------------------------------------------------- accumulated cost */

/* Accumulated cost from the nearest of nsrc sources over a friction grid,
** multi-source Dijkstra, with the semantics of GRASS r.cost (8 neighbours,
** or 16 with knight): friction[i] is cost per metre (minutes per metre for
** travel time), NaN is a barrier.  A move between neighbouring cells costs
** the mean friction of the two cells times the distance between their
** centres (dx, dy, or sqrt(dx^2+dy^2) on a diagonal, dx = gt[1],
** dy = -gt[5]); a knight's move (2 rows and 1 column, or 1 row and 2
** columns) costs the mean of the four cells the straight line crosses,
** times its length; see costdist.c.  A source cell costs 0.
**
**   src_cells   nsrc cell indices row*nx+col (gpcov_grid_locate); each must
**               be inside the grid and not a barrier.  Several sources may
**               share a cell.
**   max_cost    > 0: cells whose cost exceeds it stay unreachable; <= 0:
**               no limit.
**   cost_out    nx*ny floats: the least cost, NaN where unreachable or a
**               barrier.
**   nearest_out nx*ny int32 (may be NULL): the index (0..nsrc-1) of the
**               source with the least cost, -1 where unreachable; equal
**               costs go to the lower source index.
**
** The computation is in double precision, each accumulated cost rounded
** to 33 significant bits (so that a cost and its source fit one
** 64-bit word in the parallel search); cost_out is rounded to float once.
** At most 2^20 sources.  GPCOV_THREADS=N (environment) runs N competing
** searches on N threads (costdist_par.c): the same costs, bit for bit.  Memory besides the outputs: one bit per cell plus the heap
** (proportional to the front, not the grid).  Reports progress as
** "travel time" and stops with GPCOV_ECANCEL when the callback asks;
** on failure the outputs hold nothing useful. */
gpcov_status gpcov_costdist(gpcov_ctx *ctx, const struct gpcov_grid *g,
                            const float *friction, const int64_t *src_cells,
                            size_t nsrc, int knight, double max_cost,
                            float *cost_out, int32_t *nearest_out);

/* ------------------------------------------------------------- travel time */

/* Travel time in minutes from every cell of a grid to the nearest source,
** by one of three models:
**   FRICTION  a friction raster (minutes per metre), accumulated as GRASS
**             r.cost does (costdist.c); the grid is the raster's.
**   ROADS     a road network (network.c): sources and cells are joined to
**             their nearest road node that cars can stop at (not a
**             motorway) by a straight connector at offroad_kmh; the grid
**             covers the extent at the resolution.
**   STRAIGHT  crow-fly distance x detour / kmh, for when no network
**             exists; every output says so in its metadata.
** A model is opened once (inputs read, graph built, cells joined) and run
** for all sources together or for one at a time (catchments). */
enum gpcov_tt_model { GPCOV_TT_FRICTION, GPCOV_TT_ROADS, GPCOV_TT_STRAIGHT };

struct gpcov_traveltime_opts {
    enum gpcov_tt_model model;
    const char *friction;     /* FRICTION: raster, minutes per metre        */
    int knight;               /* FRICTION: 16 moves instead of 8           */
    const char *roads;        /* ROADS: .osm/.osm.pbf or any OGR lines      */
    const char *roads_label;  /* ROADS: what the network is and its date, for
                                 metadata and map notes; NULL: the file name */
    const char *place_names;  /* ROADS: points with a 'name' field naming the
                                 unreachable road islands; or NULL          */
    struct gpcov_network_opts net; /* ROADS: fields, speed table, ferries  */
    double offroad_kmh;       /* ROADS: connector speed; 0: 5 km/h          */
    double max_connector;     /* ROADS: longest connector, m; 0: 5,000      */
    double kmh, detour;       /* STRAIGHT: speed (0: 60) and factor (0: 1.3) */
    const char *extent;       /* ROADS/STRAIGHT: a vector source whose
                                 bounding box is the grid (e.g. the
                                 municipalities); NULL: the roads' extent  */
    double resolution;        /* ROADS/STRAIGHT: cell size, m; 0: 100       */
    const char *sources;      /* points, any OGR source                     */
    const char *source_layer; /* layer of sources; NULL: the first          */
    const char *x_field, *y_field, *srs; /* points from table columns (CSV) */
    const char *source_id;    /* field naming each source in messages and
                                 giving the values of the nearest raster
                                 (then whole numbers >= 0); NULL: feature
                                 numbers 1..n in file order                 */
    const char *output;       /* minutes to the nearest source (float32)    */
    const char *nearest;      /* id of the nearest source (int32); or NULL  */
    const char *per_source;   /* directory: one raster of minutes per
                                 source, named by its id; or NULL           */
    double max_minutes;       /* > 0: cells beyond stay nodata              */
    const char *network_output; /* ROADS: the graph as CSV, one row per
                                 directed edge (gpcov_network_write_edges) */
    const char *node_output;  /* ROADS: minutes and nearest source per road
                                 node from all sources, CSV
                                 (gpcov_network_write_nodes)                */
    int overwrite;
};

typedef struct gpcov_ttmodel gpcov_ttmodel;

/* Reads the inputs and prepares the model; *out is freed with
** gpcov_ttmodel_free. */
gpcov_status gpcov_ttmodel_open(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o,
                                gpcov_ttmodel **out);
void gpcov_ttmodel_free(gpcov_ttmodel *m);
const struct gpcov_grid *gpcov_ttmodel_grid(const gpcov_ttmodel *m);
size_t gpcov_ttmodel_nsources(const gpcov_ttmodel *m);
/* The id of source k (its --source-id value, or k+1) and its label for
** messages ("file: feature 3 (id '7')").  Owned by the model. */
const char *gpcov_ttmodel_source_id(const gpcov_ttmodel *m, size_t k);
const char *gpcov_ttmodel_source_label(const gpcov_ttmodel *m, size_t k);
/* One line saying which model made the times, for metadata and legends;
** the same in Danish for Danish maps. */
const char *gpcov_ttmodel_description(const gpcov_ttmodel *m);
const char *gpcov_ttmodel_description_da(const gpcov_ttmodel *m);
/* Minutes (nx*ny, NaN unreachable) from all sources (only < 0) or from
** source `only` alone; nearest (may be NULL) gets the source index
** (0-based), -1 where unreachable. */
gpcov_status gpcov_ttmodel_run(gpcov_ctx *ctx, gpcov_ttmodel *m, long only, double max_minutes,
                               float *minutes, int32_t *nearest);

/* The command's library side: opens the model, runs it, and writes
** output, nearest and per-source rasters and, for the road model, the
** network and node CSVs (all of them, or none: existing outputs are
** refused before any work unless overwrite).  The node times are those of
** the run from all sources. */
gpcov_status gpcov_traveltime(gpcov_ctx *ctx, const struct gpcov_traveltime_opts *o);

/* --------------------------------------------------------------- isochrones */

/* Polygons of the cells reachable within each of nlevels limits (minutes,
** ascending) on a travel-time grid (nx*ny float minutes, NaN/INFINITY =
** unreachable; GDAL geotransform gt, north-up, EPSG:25832).  Cells are
** polygonized along their edges (GDALPolygonize, 4-connected), so the
** polygon of a smaller limit lies inside that of a larger one exactly,
** and no slivers arise.  One feature per level is appended to out (made
** by the caller with gpcov_isochrone_layer), with source, minutes,
** area_km2 and, when cell_pop is given (people per cell of the same
** grid), population: the sum over the cells within the limit.  Levels no
** cell reaches get an empty feature (area 0). */
struct gpcov_layer *gpcov_isochrone_layer(gpcov_ctx *ctx, int with_population);
gpcov_status gpcov_isochrones(gpcov_ctx *ctx, const float *minutes, int nx, int ny,
                              const double gt[6], const double *levels,
                              size_t nlevels, const char *source,
                              const double *cell_pop, struct gpcov_layer *out);

/* People per cell of grid g (nx*ny, caller frees) from src: points with a
** count field (any OGR source; CSV with lon/lat), each counted in the cell
** it falls in, or a raster of counts in EPSG:25832, each cell counted in the
** cell its centre falls in.  People outside the grid are left out and
** *outside (may be NULL) says how many. */
gpcov_status gpcov_population_grid(gpcov_ctx *ctx, const char *src, const char *field,
                                   const struct gpcov_grid *g, double **cell_pop,
                                   double *outside);

struct gpcov_isochrone_opts {
    const char *traveltime;   /* a travel-time raster (minutes), or NULL to
                                 compute one from tt (same inputs as
                                 gpcov traveltime)                          */
    const char *nearest;      /* with traveltime and per_source: the nearest
                                 source raster; per-source polygons then
                                 split the area by nearest source           */
    const struct gpcov_traveltime_opts *tt; /* the model, when no raster    */
    const double *minutes;    /* limits, ascending                         */
    size_t nlevels;
    int per_source;           /* one set of polygons per source            */
    int bands;                /* non-overlapping bands (0-30, 30-60, ...)
                                 plus the rest of the clip area, for maps,
                                 instead of nested polygons                */
    const char *clip;         /* polygons to clip to (e.g. land: the
                                 municipalities); NULL: none                */
    const char *population;   /* points with a count field; or NULL        */
    const char *population_field; /* NULL: "population"                    */
    const char *output;       /* .geojson (RFC 7946), .gpkg, ...           */
    int overwrite;
};

/* The command's library side: travel times (read or computed), then
** polygons, clipped, with area and population, written to o->output. */
gpcov_status gpcov_isochrone(gpcov_ctx *ctx, const struct gpcov_isochrone_opts *o);

/* ---------------------------------------------------------------- population */

/* Municipal totals spread over where people live.  The totals come from an
** overlay (the groups are its --agg/--field outputs, e.g. pop and pop80
** from FOLK1A), and are whole numbers of people.  Each municipality's total
** of each group is shared among its places (points) in proportion to a
** weight field, as whole people by largest remainder (ties to the place
** first in the file), so that every municipality sums exactly to its
** total; or, with a weight raster, among its cells (by cell centre) as
** real numbers.  A municipality with no place or no weight gets one point
** (the cell) at its point on surface, marked. */
struct gpcov_population_opts {
    const struct gpcov_overlay_spec *totals; /* polygons and tables        */
    const char *places;        /* points with a weight (CSV: lon/lat)      */
    const char *places_weight; /* weight field; NULL: "population"; "": 1  */
    const char *places_where;  /* keep places where this holds, e.g.
                                  "place <> 'suburb'"; NULL: all          */
    double snap;               /* places off the coast; 0: 1000 m         */
    const char *weights_raster;/* instead of places: weights per cell     */
    const char *group;         /* raster mode: the one group to spread     */
    const char *demand;        /* points: "NAME=EXPR" over the groups;
                                  NULL: GPCOV_DEFAULT_DEMAND when the
                                  groups include pop and pop80, else none;
                                  "none": none                            */
    const char *output;        /* points: .gpkg/.geojson/...; raster: .tif */
    int overwrite;
};

/* Citizens aged 80+ see their GP about 2.5 times as often as the average
** citizen: demand = pop + (2.5 - 1) x pop80. */
#define GPCOV_DEFAULT_DEMAND "demand=pop + 1.5 * pop80"

gpcov_status gpcov_population(gpcov_ctx *ctx, const struct gpcov_population_opts *o);

/* -------------------------------------------------------------------- threat */

/* Rules for threatened areas: an expression over the indicators of a unit
** (a municipality, or a grid cell), e.g. "patients_per_capacity > 1600".
** Statistics over all units may stand in a rule and are resolved to
** numbers before any unit is judged: total(f), mean(f), median(f),
** percentile(f, p), wmean(f, w) (the w-weighted mean; with f = a share and
** w = its population, the national value).  The resolved rule is kept,
** so an output says "share80_2035 > 6.21 + 2", not only the formula. */
struct gpcov_rule {
    const char *name;   /* letters, digits and _; output field rule_<name> */
    const char *text;   /* the expression                                  */
    double weight;      /* for the score; 0: 1                             */
    int optional;       /* skipped (and said so) when an indicator is
                           missing, instead of an error                    */
};

enum gpcov_combine { GPCOV_COMBINE_ALL, GPCOV_COMBINE_ANY, GPCOV_COMBINE_SCORE };

struct gpcov_threat_opts {
    const char *units;        /* a layer of units with indicators          */
    const char *key;          /* NULL: "komkode"                           */
    const char *grid[16];     /* grid mode: "NAME=raster.tif" indicators on
                                 one grid; then units is not used          */
    size_t ngrid;
    size_t nrules;
    const struct gpcov_rule *rules;
    enum gpcov_combine combine;
    double threshold;         /* SCORE: threatened when score >= this;
                                 0: 0.5                                    */
    const char *designation;  /* a table of designated units (e.g. PLO)    */
    const char *designation_key; /* its key column; NULL: kommune_code     */
    const char *output;       /* units: .gpkg/.geojson/.csv; grid: .tif of
                                 the score (class: score >= threshold)    */
    const char *agreement;    /* CSV of the confusion table and the units
                                 on each side; or NULL                     */
    char **exclude;           /* keys not judged (kept, undecided), e.g.
                                 0411 Christiansø, which is no municipality */
    int overwrite;
};

/* Judges every unit; writes the output (and the agreement); the report of
** resolved rules and agreement is left as text in *summary (caller frees). */
gpcov_status gpcov_threat(gpcov_ctx *ctx, const struct gpcov_threat_opts *o, char **summary);

/* ------------------------------------------------------- report definition */

/* An INI file as written: sections in order, and in each the key = value
** lines in order (a key may repeat), with their line numbers.  Comments
** start with # or ; at the start of a line.  Made by gpcov_ini_read,
** freed by gpcov_ini_free. */
struct gpcov_ini_entry {
    char *key, *value;
    int line;
};
struct gpcov_ini_section {
    char *name;
    int line;
    size_t n;
    struct gpcov_ini_entry *e;
};
struct gpcov_ini {
    char *path;
    size_t n;
    struct gpcov_ini_section *s;
};

gpcov_status gpcov_ini_read(gpcov_ctx *ctx, const char *path, struct gpcov_ini **out);
/* Parses text held in memory (what gpcov_ini_read does after reading);
** path names it in messages. */
gpcov_status gpcov_ini_parse(gpcov_ctx *ctx, const char *path, const char *text,
                             struct gpcov_ini **out);
void gpcov_ini_free(struct gpcov_ini *ini);

/* Expands ${name} in text from vars (a CSL of "name=value"), values being
** expanded in turn; a name not in vars, or one that refers back to itself,
** is an error naming `where` (e.g. "denmark.ini:12").  *out is malloc'ed. */
gpcov_status gpcov_ini_expand(gpcov_ctx *ctx, const char *text, char **vars, const char *where,
                              char **out);

/* SHA-256 of a file as 64 hex digits (OpenSSL's libcrypto). */
gpcov_status gpcov_sha256_file(gpcov_ctx *ctx, const char *path, char hex[65]);

/* Running a report definition (lib/report/): the variables of [report],
** then every [step NAME] in order, each through the caller's runner (the
** library does not know the commands), and at the end manifest.json in
** ${out} with the versions, the variables, every step's arguments and the
** SHA-256 of every file it read and wrote. */
struct gpcov_report_runner {
    void *user;
    /* 1 when command may be a step: a known command, not the report itself */
    int (*known)(void *user, const char *command);
    /* 1 when a step's key (an option name, perhaps followed by " if VAR")
    ** names a file the step makes: the steps that read it must come after */
    int (*makes)(void *user, const char *key);
    /* The paths the step's command line argv[0..argc) (argv[0] the command)
    ** reads and writes, added to *inputs and *outputs (CSL lists) */
    void (*declare)(void *user, int argc, char **argv, char ***inputs, char ***outputs);
    /* Runs the step's command line; answers with its exit code (0: done) */
    int (*run)(void *user, int argc, char **argv);
    /* Prints one line of the run (a step's command line, a skipped step,
    ** the manifest written) */
    void (*say)(void *user, const char *line);
    /* the commands that print their own report unless -q, NULL-terminated */
    const char *const *talkers;
};
struct gpcov_report_opts {
    const char *definition; /* the INI file                               */
    char **vars;            /* NAME=VALUE (CSL) overriding [report]        */
    int overwrite;          /* the steps may replace their outputs         */
    int dry_run;            /* say every step's command line, run nothing  */
    int quiet;              /* say nothing                                 */
};
/* Runs the report.  EINPUT for a bad definition (with the file and line)
** or a failed step (*step_rc then holds its exit code, else 0); any other
** status from reading, expanding or writing; a failed run writes no
** manifest. */
gpcov_status gpcov_report_run(gpcov_ctx *ctx, const struct gpcov_report_opts *o,
                              const struct gpcov_report_runner *r, int *step_rc);

/* ----------------------------------------------------------- differentiated fee */

/* ---------------------------------------------------------- the parameters */

/* The defaults (gpcov_fee_params_init, gpcov_fee_opts_init) and the
** default weights are documented where they are used: fee.c (the OK18
** budget, shares and cap, the bounds on a unit's inputs, the default
** weights) and fee_run.c (the norm of patients per capacity). */

struct gpcov_fee_params {
    double budget;            /* DKK a year, >= 0, whole øre               */
    double designated_share;  /* percent, 0-100                            */
    double weight_share;      /* percent, 0-100; the two sum to 100        */
    double cap_per_capacity;  /* DKK per GP capacity, >= 0                 */
};

/* Fills in the OK18 defaults (fee.c): 60 mio. DKK, 40 % / 60 %, 100,000
** DKK per GP capacity. */
void gpcov_fee_params_init(struct gpcov_fee_params *p);
/* EUSAGE with a message for a negative or non-finite budget, a budget in
** fractions of an øre, a share outside 0-100, shares not summing to 100
** (within 1e-9), a negative cap. */
gpcov_status gpcov_fee_params_check(gpcov_ctx *ctx, const struct gpcov_fee_params *p);

/* An amount of øre as DKK with thousands separators and two decimals
** ("24,000,000.00"), written into buf (size sz, 32 is enough); returns buf. */
const char *gpcov_fee_format_dkk(int64_t ore, char *buf, size_t sz);

/* ------------------------------------------------------------ allocation */

/* One allocation unit (a municipality or a practice).  The caller fills
** the inputs; gpcov_fee_allocate fills the outputs. */
struct gpcov_fee_unit {
    /* in */
    const char *key;       /* unique; breaks ties in the rounding          */
    int designated;        /* in a designated (threatened) area            */
    double patients;       /* registered patients, >= 0                    */
    double capacities;     /* GP capacities, >= 0                          */
    double factor;         /* weighted patients per patient: the unit's
                              mean weight over the national mean (1 =
                              the national mean), >= 0                     */
    /* out */
    double weighted;       /* patients x factor, to a millionth            */
    double difference;     /* weighted - patients (may be negative)        */
    int64_t cap_ore;       /* cap_per_capacity x capacities, whole øre     */
    int64_t designated_ore, weight_ore, total_ore;
    int capped;            /* the weight part is at its cap                */
};

struct gpcov_fee_result {
    int64_t budget_ore, designated_ore, weight_ore; /* the parts           */
    size_t ndesignated;         /* designated units with patients          */
    double designated_patients; /* their patients                          */
    double rate_designated;     /* DKK per patient in designated units     */
    size_t npositive;           /* units with a positive weight difference */
    double positive_difference; /* the sum of the positive differences     */
    double rate_weight;         /* DKK per weighted patient above the
                                   ordinary count (the water level)        */
    double rate_weight_uncapped;/* the same were there no caps             */
    double cap_total_ore;       /* the caps of the units with a positive
                                   difference, summed                      */
    size_t ncapped, npaid;      /* units at their cap; units paid > 0      */
};

/* Allocates p->budget over the n units (see the top of this file for the
** rounding).  The designated part is paid per patient to designated
** units; the weight part pays rate x max(0, difference), capped at
** cap_ore, with the rate chosen so that the part is spent exactly.
** Errors (EINPUT, message in ctx): no designated unit with patients while
** the designated share is > 0; caps too tight to spend the weight part
** (the message says by how much); no unit with a positive difference
** while the weight share is > 0; a duplicated key; a negative or
** non-finite input.  EUSAGE: bad parameters (gpcov_fee_params_check).
** res may be NULL. */
gpcov_status gpcov_fee_allocate(gpcov_ctx *ctx, const struct gpcov_fee_params *p,
                                struct gpcov_fee_unit *u, size_t n,
                                struct gpcov_fee_result *res);

/* --------------------------------------------------------------- weights */

enum gpcov_fee_sex { GPCOV_FEE_ALL = 0, GPCOV_FEE_MEN, GPCOV_FEE_WOMEN };

struct gpcov_fee_weight {
    enum gpcov_fee_sex sex;
    int age_from, age_to;  /* inclusive; age_to < 0: and over            */
    double weight;         /* >= 0                                       */
    long line;             /* line in the file, for messages             */
};

struct gpcov_fee_weights {
    char *src;             /* the file, or "default weights"             */
    size_t n;
    struct gpcov_fee_weight *w;
};

/* Reads a weight table (CSV, XLSX, any table gpcov_table_read reads) with
** columns sex, age_from, age_to, weight: sex is men, women or all (also
** m/f/male/female/mænd/kvinder/alle), ages whole years, age_to empty for
** "and over".  Two rows covering one sex and age are an error naming both
** lines.  src NULL: the default weights (fee.c).  *out is freed with
** gpcov_fee_weights_free. */
gpcov_status gpcov_fee_weights_read(gpcov_ctx *ctx, const char *src,
                                    struct gpcov_fee_weights **out);
void gpcov_fee_weights_free(struct gpcov_fee_weights *w);
/* The weight of sex (MEN, WOMEN; or ALL for tables of totals, which only
** rows for all match) at age; returns 0, or -1 when no row covers it. */
int gpcov_fee_weight_of(const struct gpcov_fee_weights *w, enum gpcov_fee_sex sex,
                        int age, double *out);

/* ------------------------------------------------ age-sex composition */

struct gpcov_fee_age_opts {
    const char *src;            /* long table: one row per area and age    */
    struct gpcov_table_opts topts;
    const char *key_field;      /* NULL: "area_code"                       */
    const char *age_field;      /* NULL: "age" (a whole number; text after
                                   it, "85 years", "100+", is ignored)     */
    const char *men_field;      /* NULL: "men"                             */
    const char *women_field;    /* NULL: "women"                           */
    const char *total_field;    /* instead of men and women: people of both
                                   sexes (weights for "all" only); NULL    */
    const char *national_key;   /* rows of the whole country; NULL: "0000";
                                   "" : none                               */
};

/* Reads the age table and, for each of the nkeys normalised keys, the
** number of people (people[i]) and their mean weight (mean[i]; NaN when
** the area has nobody).  Rows whose normalised key is neither one of keys
** nor the national key are skipped (regions, the country).  *national is
** the mean weight of the national rows, or NaN when the table has none.
** Errors (EINPUT) name the file and line: a key with no rows, a missing
** column, an age or count that is not a number, a negative count, an age
** no weight covers. */
gpcov_status gpcov_fee_mean_weights(gpcov_ctx *ctx, const struct gpcov_fee_age_opts *o,
                                    const struct gpcov_fee_weights *w,
                                    const char *const *keys, size_t nkeys,
                                    double *people, double *mean, double *national);

/* ------------------------------------------------------------ the command */

struct gpcov_fee_opts {
    struct gpcov_fee_params params;
    /* the municipality indicator layer (e.g. reports/out/municipalities.gpkg) */
    const char *units;
    const char *units_layer;      /* NULL: the first                      */
    const char *key;              /* NULL: "komkode"                      */
    const char *name_field;       /* NULL: "name" when present            */
    const char *designated_field; /* NULL: "designated_2019"; may be absent
                                     when the designated share is 0       */
    const char *designation;      /* a keyed layer the designated field is
                                     taken from by key (the threat layer,
                                     with "threatened"); NULL: the units.
                                     A unit it lacks, or leaves empty
                                     (undecided), is left out with a
                                     reason                               */
    const char *patients_field;   /* NULL: "patients" when present, else
                                     "pop_2020" (a proxy)                 */
    const char *capacities_field; /* NULL: "capacities" when present, else
                                     patients / norm (an estimate)        */
    double norm;                  /* gpcov_fee_opts_init: 1600 (fee_run.c) */
    const char *exclude;          /* comma-separated keys left out of the
                                     allocation (e.g. "0411"); or NULL    */
    struct gpcov_fee_age_opts age;
    const char *weights;          /* NULL: the default weights (fee.c)     */
    /* practices: when given, the allocation is per practice */
    const char *practices;
    const char *practice_layer;
    const char *practice_id;      /* NULL: "id" when present, else feature
                                     numbers                              */
    const char *practice_name;    /* NULL: "name" when present            */
    const char *practice_patients;   /* NULL: "patients"                  */
    const char *practice_capacities; /* NULL: "capacities" when present,
                                        else patients / norm              */
    const char *practice_designated; /* NULL: the municipality's          */
    const char *x_field, *y_field, *srs; /* points from table columns     */
    double snap;                  /* a practice outside every polygon joins
                                     the nearest within this many metres;
                                     < 0: 0                               */
};

void gpcov_fee_opts_init(struct gpcov_fee_opts *o);

/* What a run used and found, for the summary and the metadata.  Strings
** are malloc'd; gpcov_fee_report_clear frees them. */
struct gpcov_fee_report {
    struct gpcov_fee_result result;
    size_t nunits;         /* municipalities in the allocation            */
    size_t nexcluded;
    size_t npractices;     /* 0 without practices                         */
    double national_mean;  /* unnormalised mean weight per person         */
    char *patients_basis;  /* e.g. "pop_2020 (population as a proxy ...)" */
    char *capacities_basis;
    char *weights_basis;
    char *national_basis;
    char *note;            /* one line: parameters and bases              */
};

void gpcov_fee_report_clear(struct gpcov_fee_report *r);

/* Runs the allocation.  *units_out: one feature per municipality (the
** polygons, sorted by key) with the key field, name, designated,
** patients, capacities, weight_factor, weighted_patients,
** weight_difference, cap_dkk, designated_dkk, weight_dkk, capped,
** total_dkk (and practices, with practices), amounts in DKK exact from
** øre; with practices, *practices_out likewise per practice (id, name,
** the municipality key), else NULL, and a municipality's values are the
** sums over its practices (capped: any of them capped; weight_factor its
** own).  An excluded municipality has empty values and 0 DKK.  Parameters and bases are in the
** layers' metadata (GPCOV_FEE_*).  Both layers are freed with
** gpcov_layer_free; rep (may be NULL) is cleared with
** gpcov_fee_report_clear. */
gpcov_status gpcov_fee_run(gpcov_ctx *ctx, const struct gpcov_fee_opts *o,
                           struct gpcov_layer **units_out,
                           struct gpcov_layer **practices_out,
                           struct gpcov_fee_report *rep);

/* ----------------------------------------------------------- accessibility */

/* The weight functions f(t), t in minutes (see gpcov_access_weight):
**   2SFCA     f = 1 for t <= d0, else 0 (hard cutoff; d0 default 30).
**   E2SFCA    step weights by time band; default (Luo & Qi 2009) 0-10 min
**             1.00, 10-20 min 0.68, 20-30 min 0.22, beyond 0.
**   GAUSSIAN  f = (exp(-t^2 / (2 d0^2)) - exp(-1/2)) / (1 - exp(-1/2)) for
**             t <= d0, else 0: a Gaussian rescaled to fall from 1 at t = 0
**             to 0 at t = d0 (d0 default 30).
**   STEP      a user's step function, bands as for E2SFCA.
** Steps: band k covers upper[k-1] < t <= upper[k] (the first band
** 0 <= t <= upper[0]) and weighs weight[k]; beyond the last upper bound
** f = 0; the last upper bound may be INFINITY. */
enum gpcov_access_method {
    GPCOV_ACCESS_2SFCA,
    GPCOV_ACCESS_E2SFCA,
    GPCOV_ACCESS_GAUSSIAN,
    GPCOV_ACCESS_STEP
};

#define GPCOV_ACCESS_MAX_STEPS 16

struct gpcov_access_decay {
    enum gpcov_access_method method;
    double d0;                              /* 2SFCA, GAUSSIAN: minutes > 0 */
    size_t nsteps;                          /* E2SFCA, STEP: 1..MAX_STEPS   */
    double upper[GPCOV_ACCESS_MAX_STEPS];   /* ascending, > 0; last may be
                                               INFINITY                    */
    double weight[GPCOV_ACCESS_MAX_STEPS];  /* each in [0, 1]              */
};

/* Sets the method's defaults (d0 = 30; E2SFCA's three bands; STEP with no
** bands, to be given by gpcov_access_steps_parse). */
void gpcov_access_decay_init(struct gpcov_access_decay *d, enum gpcov_access_method m);
/* "2sfca", "e2sfca", "gaussian", "step" (case-insensitive): 0, or -1. */
int gpcov_access_method_parse(const char *name, enum gpcov_access_method *out);
const char *gpcov_access_method_name(enum gpcov_access_method m);
/* Parses "UPPER:WEIGHT,..." ("60:0.95,120:0.36,inf:0.11") into d's steps
** (d->method is left as it is).  EUSAGE, naming the step, when a bound is
** not a positive number or "inf", bounds do not ascend, a weight lies
** outside 0..1, or there are more than GPCOV_ACCESS_MAX_STEPS. */
gpcov_status gpcov_access_steps_parse(gpcov_ctx *ctx, const char *text,
                                      struct gpcov_access_decay *d);
/* Checks a decay as gpcov_access_steps_parse does, and d0 > 0. */
gpcov_status gpcov_access_decay_check(gpcov_ctx *ctx, const struct gpcov_access_decay *d);
/* f(t); 0 for NaN (unreachable), INFINITY or t < 0. */
double gpcov_access_weight(const struct gpcov_access_decay *d, double minutes);
/* The largest time with f > 0 possible (the catchment: travel models run
** with it as their limit); INFINITY when the last step is unbounded. */
double gpcov_access_reach(const struct gpcov_access_decay *d);
/* One line for metadata and legends, e.g. "2SFCA, hard cutoff at 30 min"
** or "step: <=60 min 0.95, <=120 min 0.36, beyond 0.11". */
void gpcov_access_decay_describe(const struct gpcov_access_decay *d, char *out, size_t outsz);

/* The core on an explicit travel-time matrix, for small problems and tests:
** minutes[j*ndemand + i] = t_ij (NaN: unreachable); pop[i] >= 0;
** capacity[j] >= 0.  Fills ratio[j] = R_j (NaN for a dropped supply),
** demand[j] = D_j (may be NULL) and access[i] = A_i.  A supply with D_j = 0
** is an EINPUT error naming it ("supply 3: no demand within reach"), or,
** with drop_unreachable, left out (ratio NaN). */
gpcov_status gpcov_access_matrix(gpcov_ctx *ctx, const struct gpcov_access_decay *d,
                                 size_t ndemand, const double *pop, size_t nsupply,
                                 const double *capacity, const float *minutes,
                                 int drop_unreachable, double *ratio, double *demand,
                                 double *access);

/* A scenario: defaults for the supply, its fields and the decay, with a
** note saying where they come from (recorded in every output).  Read from
** a data file (access_scenario.c); an empty field was not given. */
struct gpcov_access_scenario {
    char name[256];             /* "training"                               */
    char supply[1024];          /* path below the data directory            */
    char capacity_field[256], capacity_total[256], capacity_group[256], supply_id[256];
    enum gpcov_access_method method;
    char steps[512];            /* for STEP                                 */
    char note[4096];
};
/* The scenario name from dir/NAME.ini (or from the file name itself when
** it holds a '/'), its [scenario] section of keys named as the options:
** supply, capacity-field, capacity-total, capacity-group, supply-id,
** method, steps, note.  An unknown name is EUSAGE ("unknown scenario
** 'x' (known: a, b)"). */
gpcov_status gpcov_access_scenario_read(gpcov_ctx *ctx, const char *dir, const char *name,
                                        struct gpcov_access_scenario *sc);

struct gpcov_access_opts {
    /* the travel model; its sources are the supply points (tt->sources,
    ** tt->source_layer, x/y/srs) named by tt->source_id.  Its output,
    ** nearest and per_source are ignored. */
    const struct gpcov_traveltime_opts *tt;
    const char *capacity_field;  /* S_j, numbers >= 0 (required)             */
    /* Optional: a supply whose capacity is empty takes an equal share of
    ** its group's total (capacity_total, one number repeated on every row
    ** of the group named by capacity_group) less the capacities the group
    ** gives; every such share is reported in the notes and outputs. */
    const char *capacity_total, *capacity_group;
    const char *demand;          /* points with a count (any OGR source; CSV
                                    with lon/lat), or a raster of people   */
    const char *demand_field;    /* NULL: "population"                      */
    const char *demand_where;    /* points: keep those where this expression
                                    is true (e.g. "place != 'suburb'")      */
    struct gpcov_access_decay decay;
    int drop_unreachable;        /* drop (with a note) a supply no demand
                                    lies within reach of; default: error   */
    const char *output;          /* A_i, float32 GeoTIFF                    */
    const char *reciprocal;      /* 1 / A_i, nodata where A_i = 0           */
    int demand_only;             /* rasters: nodata where P_i = 0           */
    const char *supply_output;   /* one row per supply (.csv/.geojson/.gpkg) */
    const char *units;           /* polygons (e.g. municipalities); cells
                                    whose centre lies in none are nodata in
                                    the rasters                             */
    const char *units_key;       /* key field of units (required with them) */
    const char *units_name;      /* copied to "name"; or NULL               */
    const char *units_output;    /* population-weighted mean per unit       */
    const char *scenario_note;   /* recorded in the outputs; or NULL        */
    double cache_mb;             /* budget for per-supply sparse lists kept
                                    between the two steps; 0: 256 MiB, but
                                    none with the straight-line model (it
                                    runs faster than it is read back);
                                    < 0: none (every supply is run twice)   */
    int overwrite;
};

/* What a run saw.  notes: NULL-terminated lines (capacity shares, dropped
** supplies, people outside the grid or the units) for the caller to show;
** freed by gpcov_access_result_clear. */
struct gpcov_access_result {
    size_t nsupply, ndropped;
    double capacity_total;   /* sum of S_j over the supplies kept           */
    double people;           /* people in the grid                          */
    double people_outside;   /* demand outside the grid, left out           */
    double people_no_unit;   /* with units: people in cells in no unit      */
    double weighted_access;  /* sum_i P_i A_i (= capacity_total)            */
    size_t runs;             /* travel-model runs made                      */
    size_t cached;           /* supplies whose step 2 came from the cache   */
    char **notes;
};
void gpcov_access_result_clear(struct gpcov_access_result *r);

/* The command's library side: reads the supply (capacities), opens the
** travel model with the supply as its sources, puts the demand into the
** model's grid (gpcov_population_grid), runs the two steps, and writes
** every output asked for, all of them or none (existing outputs are
** refused before any work unless overwrite).  res may be NULL. */
gpcov_status gpcov_access(gpcov_ctx *ctx, const struct gpcov_access_opts *o,
                          struct gpcov_access_result *res);

/* ----------------------------------------------------------------- palette */

/* Sequential ramps, light to dark, with lightness falling steadily from
** class to class, so that classes stay in order in greyscale print and for
** readers with a colour-vision deficiency (see palette.c). */
enum gpcov_palette {
    GPCOV_PALETTE_BLUE = 0, /* yellow - green - blue (the default)       */
    GPCOV_PALETTE_RED,      /* yellow - orange - red-brown               */
    GPCOV_PALETTE_PURPLE    /* pale grey - lilac - deep purple           */
};

/* The most classes a ramp is made for (more would not be told apart). */
#define GPCOV_PALETTE_MAX 9

/* Colour of class c (0 = lowest) of k classes, as sRGB in [0,1] in rgb[3].
** Returns 0, or -1 when k or c is out of range (1 <= k <= 9, 0 <= c < k). */
int gpcov_palette_colour(enum gpcov_palette p, int k, int c, double rgb[3]);

/* Colours of the categorical (boolean) classes and of "no data" (drawn
** with a darker grey hatching over it). */
enum gpcov_palette_fixed { GPCOV_COLOUR_TRUE, GPCOV_COLOUR_FALSE,
                           GPCOV_COLOUR_NODATA, GPCOV_COLOUR_NODATA_HATCH,
                           GPCOV_COLOUR_UNDECIDED };
void gpcov_palette_fixed(enum gpcov_palette_fixed which, double rgb[3]);

/* Parses a palette name ("blue", "red", "purple"); returns 0 or -1. */
int gpcov_palette_parse(const char *name, enum gpcov_palette *out);

/* -------------------------------------------------------------------- maps */

#define GPCOV_MAP_AUTO (-1)       /* decimals chosen from the class edges  */
#define GPCOV_MAP_MAX_PANELS 4

/* One panel: one field of the units layer, classed and coloured. */
struct gpcov_map_panel {
    const char *field;   /* numeric field of the units layer (or boolean /
                            0-1 / "true"-"false" text when categorical)    */
    const char *title;   /* panel title; NULL: the field name              */
    const char *unit;    /* unit, e.g. "%" or "patients per capacity".  A
                            short unit (up to 3 characters) follows every
                            class label ("2.1 – 4.5 %"); a longer one heads
                            the legend.  May be NULL.                       */
    enum gpcov_breaks_method method;
    int classes;         /* number of classes (1-9); 0: 5.  For FIXED,
                            fixed holds classes+1 edges, ascending; the
                            outer edges may be -INFINITY / INFINITY, shown
                            as "≤ 3" and "> 10".                           */
    const double *fixed;
    int categorical;     /* two classes, true and false, labelled below     */
    const char *label_true, *label_false; /* NULL: "yes", "no"              */
    const char *label_undecided; /* a categorical unit whose value is the
                            text "undecided" (a threat verdict) is a class
                            of its own, in its own colour; NULL:
                            "undecided"                                    */
    const char *reason_field; /* text field saying why a unit has no value:
                            the legend has one no-data row per reason (the
                            units without one under the no-data label),
                            and the web map's popup shows it; may be NULL  */
    const char *count_field; /* legend counts: NULL counts units; a field
                            name sums it (people); "none" shows no counts  */
    const char *note;    /* small text under the legend, e.g. the travel
                            model a value comes from; may be NULL          */
    int decimals;        /* decimals in class labels, or GPCOV_MAP_AUTO     */
    enum gpcov_palette palette;
};

/* The figure.  Everything not set is 0 / NULL; gpcov_map_spec_init and
** gpcov_map_panel_init fill in the defaults noted here. */
struct gpcov_map_spec {
    const struct gpcov_layer *units; /* polygons in EPSG:25832, in the order
                                        to draw (keyed and sorted by io)    */
    const char *units_src;  /* the file units came from, for messages;
                               NULL: the layer's name                      */
    const struct gpcov_layer *outline; /* regions, drawn over the units with
                                          a thicker dark line; may be NULL  */
    const struct gpcov_layer *points;  /* markers (e.g. training sites);
                                          may be NULL                      */
    const char *points_src;            /* for messages, as units_src        */
    const char *point_label_field;     /* label beside each marker; NULL:
                                          no labels                        */
    const char *point_legend;          /* legend line for the markers;
                                          NULL: none                       */
    size_t npanels;                    /* 1 to GPCOV_MAP_MAX_PANELS        */
    const struct gpcov_map_panel *panels;
    const char *title;                 /* main title; may be NULL          */
    const char *const *attribution;    /* NULL-terminated lines; may be NULL */
    double dpi;                        /* PNG resolution; 0: 200           */
    int inset_copenhagen;   /* a zoomed inset of the capital area, with a
                               matching frame on the main map (only when
                               the units reach into that area and the map
                               is at national scale); init: 1              */
    int inset_bornholm;     /* units lying wholly east of easting 800,000 m
                               (Bornholm 0400, Christiansø 0411) are drawn
                               at the same scale in a box beside the main
                               map, which then ends at the Sound; init: 1  */
    const char *inset_label;  /* NULL: "Hovedstadsområdet"                 */
    const char *nodata_label; /* NULL: "no data"                           */
    int decimal_comma;      /* Danish number format: 1.617 and 2,5         */
    int no_unit_borders;    /* draw no line around each unit (isochrone
                               bands: their polygons are runs of cells,
                               whose lines would speckle the map)          */
};

void gpcov_map_spec_init(struct gpcov_map_spec *spec);
void gpcov_map_panel_init(struct gpcov_map_panel *panel);

/* Renders the figure to dst, the format chosen by the extension: .png (at
** spec->dpi, with the resolution recorded in the file), .svg or .pdf (in
** points).  The same inputs give the same bytes.  Written to a temporary
** file beside dst and renamed on success: on failure nothing is left, and
** an existing dst is refused (GPCOV_EOUTPUT) unless overwrite.
** Errors: EUSAGE for a bad spec or an unknown extension, EINPUT for a
** missing or non-numeric field or values the breaks cannot class. */
gpcov_status gpcov_map_render(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                              const char *dst, int overwrite);

/* The same figure to several files at once (say PNG, SVG and PDF), all or
** nothing: every dst is checked before anything is drawn, and the files are
** renamed into place only when all of them were written. */
gpcov_status gpcov_map_render_all(gpcov_ctx *ctx,
                                  const struct gpcov_map_spec *spec,
                                  const char *const *dst, size_t ndst,
                                  int overwrite);
/* The same, into an output set the caller commits (with other outputs). */
gpcov_status gpcov_map_render_into(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                                   const char *const *dst, size_t ndst, gpcov_outset *set);

/* The page the figure takes, in points (a PNG is width*dpi/72 pixels wide,
** rounded up), and where map point (x, y) in EPSG:25832 lands in panel
** `panel` (0-based), in points from the page's top-left corner: in the main
** map, else in an inset.  *px and *py are NaN when the point lies in no
** view of that panel.  For image maps, captions and tests. */
gpcov_status gpcov_map_locate(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                              size_t panel, double x, double y, double *width,
                              double *height, double *px, double *py);

/* ----------------------------------------------------------------- web map */

#define GPCOV_WEBMAP_MAX_PANELS 16

/* A web map: one self-contained HTML file (Leaflet and the page's script
** compiled in, the data inline, nothing fetched when it is opened) with the
** units as polygons, one indicator shown at a time and switchable, a
** legend with the same classes, labels and colours as `gpcov map` draws
** for the same panel, and a popup with every indicator of a clicked unit.
** Everything not set is 0 / NULL; gpcov_webmap_spec_init fills in the
** defaults noted here. */
struct gpcov_webmap_spec {
    const struct gpcov_layer *units; /* keyed polygons in EPSG:25832        */
    const char *units_src;           /* for messages; NULL: layer name     */
    const char *name_field;          /* unit names; init: "name"           */
    const struct gpcov_layer *const *joins; /* more keyed layers, e.g. the
                                        threat or fee layer: a panel field
                                        the units lack is taken from the
                                        first of these that has it, by key */
    const char *const *joins_src;    /* for messages, as units_src         */
    size_t njoins;
    size_t npanels;                  /* 1 to GPCOV_WEBMAP_MAX_PANELS       */
    const struct gpcov_map_panel *panels; /* as for gpcov_map_render       */
    const char *title;               /* page and map title; may be NULL    */
    const char *const *attribution;  /* NULL-terminated lines; may be NULL */
    const char *nodata_label;        /* NULL: "no data"                    */
    int decimal_comma;               /* Danish numbers (1.617,5) and the
                                        page's own words in Danish         */
    double simplify;                 /* GEOS topology-preserving
                                        simplification tolerance, metres;
                                        0: none; init: 30                  */
    int precision;                   /* decimals of longitude and latitude
                                        in the GeoJSON; init: 5 (~1 m)     */
};

/* What a web map holds, for the caller to report. */
struct gpcov_webmap_info {
    size_t bytes;                /* size of the HTML file                 */
    size_t geojson_bytes;        /* of which the inline GeoJSON           */
    size_t features;
    size_t vertices_in, vertices_out; /* before and after simplification  */
};

void gpcov_webmap_spec_init(struct gpcov_webmap_spec *spec);

/* Writes the web map to dst (.html or .htm) atomically: to a temporary
** name beside dst, renamed on success; nothing is left on failure and an
** existing dst is refused (GPCOV_EOUTPUT) unless overwrite.  The GeoJSON
** inside is RFC 7946 (lon/lat), written by OGR.  The same inputs give the
** same bytes.  info may be NULL.
** Errors: EUSAGE for a bad spec, EINPUT for a missing field, a units
** layer without keys, or values the classes cannot take (as for maps). */
gpcov_status gpcov_webmap_write(gpcov_ctx *ctx,
                                const struct gpcov_webmap_spec *spec,
                                const char *dst, int overwrite,
                                struct gpcov_webmap_info *info);

/* ------------------------------------------------------------ map legends */

/* One row of a panel's legend: a class, as the map fills it. */
struct gpcov_legend_class {
    double lo, hi;     /* the class holds lo < v <= hi (the first also lo);
                          the outer edges may be -INFINITY / INFINITY.  A
                          categorical class holds the one value lo == hi
                          (1 for true, 0 for false)                       */
    double value;      /* when the legend is single_valued: the one value
                          of the class (its upper edge)                   */
    double rgb[3];     /* fill, sRGB in [0,1]                              */
    char *label;       /* the legend's label, e.g. "5,1 – 7,2 %"           */
    size_t count;      /* units in the class                               */
};

/* A panel's classes and colours exactly as its map draws them, for styles
** that other software applies to the same data (qgisstyle.c). */
struct gpcov_map_legend {
    char *field;            /* the field the panel classes                 */
    char *title;            /* the panel title (the field when none given) */
    char *method;           /* "quantile", "equal interval", "jenks",
                               "fixed" or "categorical"                    */
    int categorical;        /* rows are values: true first, then false,
                               then undecided (value 2, the text
                               "undecided") when a unit is               */
    int single_valued;      /* every unit of each class holds the class's
                               upper edge (isochrone bands: 30, 60, 120),
                               so the classes are categories               */
    size_t nclasses;        /* rows, in legend order (ascending classes;
                               categorical: true, false)                   */
    struct gpcov_legend_class cls[GPCOV_PALETTE_MAX];
    size_t nodata;          /* units without a value, drawn hatched         */
    char *nodata_label;
    double nodata_rgb[3], hatch_rgb[3];
    double border_rgb[3];   /* the unit borders the map draws              */
    double border_pt;       /* their width in points (1/72 in)             */
};

/* Classes every panel of spec as gpcov_map_render would draw it, into
** *out, an array of spec->npanels legends freed with
** gpcov_map_legends_free(*out, spec->npanels).  Errors as gpcov_map_render. */
gpcov_status gpcov_map_legends(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                               struct gpcov_map_legend **out);
void gpcov_map_legends_free(struct gpcov_map_legend *legends, size_t n);

/* ----------------------------------------------------------- QGIS styles */

/* QGIS styles in a GeoPackage (qgisstyle.c): one row per legend in the
** layer_styles table QGIS itself reads and writes (made through OGR with
** QGIS's schema, registered in gpkg_contents as an attributes table), with
** a QML (a graduated renderer; a categorized one for categorical and
** single-valued legends) and an SLD of the same classes, labels, fills and
** borders.  Styles are named after their field (styleName, at most 30
** characters); the legend at index default_style is the layer's default
** (useAsDefault = 1, and 0 for every other style of the layer).  A style
** of the same name on the layer is refused (GPCOV_EOUTPUT) unless
** overwrite, then replaced.  update_time is fixed (2000-01-01T00:00:00Z),
** so the same inputs give the same bytes. */
struct gpcov_qgis_style_opts {
    const char *layer;     /* the styled layer; NULL: the GeoPackage's first
                              layer other than layer_styles                */
    size_t default_style;  /* index into legends                           */
    int overwrite;         /* replace styles of the same name              */
};

/* Writes the styles into a copy of gpkg beside it (the copy's path in
** *tmp, caller frees): the caller renames it over gpkg with
** gpcov_atomic_commit, or drops it with gpcov_atomic_abort, so the styles
** and other outputs (the maps) appear together.  Errors: EINPUT when gpkg
** is not a GeoPackage, lacks the layer or a legend's field; EOUTPUT when
** a style exists already (without overwrite) or the copy cannot be made. */
gpcov_status gpcov_qgisstyle_begin(gpcov_ctx *ctx, const char *gpkg,
                                   const struct gpcov_map_legend *legends,
                                   size_t n,
                                   const struct gpcov_qgis_style_opts *opts,
                                   char **tmp);
/* The same, committed at once (gpkg replaced by the styled copy). */
gpcov_status gpcov_qgisstyle_write(gpcov_ctx *ctx, const char *gpkg,
                                   const struct gpcov_map_legend *legends,
                                   size_t n,
                                   const struct gpcov_qgis_style_opts *opts);
/* The QML and the SLD of one legend for a polygon layer (named layer in
** the SLD), as UTF-8 XML documents the caller frees with free(). */
gpcov_status gpcov_qgisstyle_qml(gpcov_ctx *ctx, const struct gpcov_map_legend *lg,
                                 char **out);
gpcov_status gpcov_qgisstyle_sld(gpcov_ctx *ctx, const struct gpcov_map_legend *lg,
                                 const char *layer, char **out);

#ifdef __cplusplus
}
#endif
#endif
