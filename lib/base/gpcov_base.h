/*
** gpcov_base.h: the public API of lib/base/, the ground every stage stands
** on: status codes, the context, values and in-memory layers, atomic
** outputs, municipality keys and the expression language.
** Included through gpcov.h, the umbrella header; conventions there.
*/
#ifndef GPCOV_BASE_API_H
#define GPCOV_BASE_API_H

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
/* How CSV outputs are written (README "Tables for Excel"): plain (comma,
** decimal point, UTF-8, OGR's CSV driver) or Danish (semicolon, decimal
** comma, UTF-8 with a BOM, CRLF, codes of digits as ="0101"), for Excel
** set to Danish.  Plain unless set; every CSV the context writes follows it. */
enum gpcov_csv_style { GPCOV_CSV_PLAIN = 0, GPCOV_CSV_DANISH = 1 };
void gpcov_ctx_set_csv_style(gpcov_ctx *ctx, enum gpcov_csv_style style);
enum gpcov_csv_style gpcov_ctx_csv_style(const gpcov_ctx *ctx);
/* The context remembers every file read as an input (its device and
** inode), and no output may replace one, not even with overwrite.  A
** caller that runs several analyses on one context forgets the inputs of
** one before the next. */
void gpcov_ctx_forget_inputs(gpcov_ctx *ctx);
/* One line saying what the last run did ("98.7 % of cells reached, ..."),
** for a command to end with; "" when it said none.  Owned by the context. */
const char *gpcov_ctx_summary(const gpcov_ctx *ctx);
/* Short human name of a status ("bad input", ...).  Static string. */
const char *gpcov_status_name(gpcov_status st);

/* The Levenshtein distance of a and b: the fewest single-byte insertions,
** deletions and substitutions between them, for "did you mean"
** (distance.c); (size_t)-1 when out of memory. */
size_t gpcov_edit_distance(const char *a, const char *b);

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
/* A number, or null where v is NaN (missing stays missing, never 0). */
gpcov_status gpcov_layer_set_num_or_null(gpcov_ctx *ctx, struct gpcov_layer *layer,
                                         size_t i, size_t f, double v);
/* A new layer with the fields names[0..n-1] of types[], their indices in
** f[]; NULL on ENOMEM or a repeated name (message in ctx). */
struct gpcov_layer *gpcov_layer_new_fields(gpcov_ctx *ctx, const char *name, size_t n,
                                           const char *const *names,
                                           const enum gpcov_ftype *types, int *f);
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
/* Sets every KEY=VALUE item of md (a GDAL string list) as metadata. */
gpcov_status gpcov_layer_set_meta_list(gpcov_ctx *ctx, struct gpcov_layer *layer, char **md);

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
** (RFC 7946, lon/lat), .gpkg, .shp (UTF-8, with .cpg), .csv (no geometry;
** in the context's CSV style), .xlsx (no geometry; one sheet), or PostGIS, "PG:<conninfo> tables=[schema.]name" (EPSG:25832, GiST
** index; opts->layer_name is not used there).  Written to a temporary name
** in the target directory (a temporary table, in one transaction) and
** renamed on success: on failure nothing is left, and an existing output
** is not touched unless opts->overwrite. */
gpcov_status gpcov_layer_write(gpcov_ctx *ctx, const struct gpcov_layer *layer,
                               const char *dst,
                               const struct gpcov_write_opts *opts);

/* --------------------------------------------------------------------- keys */

/* The names of the key fields of every per-municipality layer gpcov writes
** (README "The key field"): the municipality's code (four digits, text),
** and beside it the region's code and name.  One place for the names:
** readers and joins that default to the key use GPCOV_KEY_FIELD. */
#define GPCOV_KEY_FIELD "komkode"
#define GPCOV_REGION_KEY_FIELD "regionkode"
#define GPCOV_REGION_NAME_FIELD "regionnavn"

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

/* The plain decimal number `plain` ("1600", "-0.25": an optional '-',
** digits, optionally a point and digits) written again with its integer
** digits grouped in threes by `thousands` (from 1.000 on), its point as
** `point` and its minus as `minus` (numfmt.c): Danish 1.617,5 with '.' and
** ',', English 1,617.5 with ',' and '.'.  Returns 0, or -1 when plain is
** not such a number or out[n] is too small. */
int gpcov_group_digits(const char *plain, char thousands, char point, const char *minus,
                       char *out, size_t n);

#ifdef __cplusplus
}
#endif
#endif
