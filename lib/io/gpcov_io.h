/*
** gpcov_io.h: the public API of lib/io/, files in: attribute tables and
** single-band rasters.
** Included through gpcov.h, the umbrella header; conventions there.
*/
#ifndef GPCOV_IO_API_H
#define GPCOV_IO_API_H

#include "base/gpcov_base.h"

#ifdef __cplusplus
extern "C" {
#endif

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
    const char *header_has;/* a column the header names: the first row
                             naming it is the header (title rows above)   */
};

gpcov_status gpcov_table_read(gpcov_ctx *ctx, const char *src,
                              const struct gpcov_table_opts *opts,
                              struct gpcov_table **out);
void gpcov_table_free(struct gpcov_table *t);
int gpcov_table_col(const struct gpcov_table *t, const char *name);
/* The column name names: the exact name, else the one column whose name
** folds to the same (case, surrounding spaces, '_' for ' ', a trailing
** "(unit)" or ", unit" aside); -1 when none.  When two columns fold
** alike, the first is returned and *second is the other, else -1. */
int gpcov_table_col_match(const struct gpcov_table *t, const char *name, int *second);
/* Parses a number as analysts write them: "1234", "1234.5", "1 234",
** "1.234,5" (Danish), "12,5" (decimal comma).  Returns 0 or -1. */
int gpcov_parse_number(const char *s, double *out);

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

#ifdef __cplusplus
}
#endif
#endif
