/*
** io_internal.h: what the files of lib/io/ share and the public API does
** not show: PostGIS outputs, geometries between OGR and GEOS, cells and
** points in polygons, OSM tags, delimited text made fit for OGR and the
** metadata of sources.  Files of the stages above include it through their
** own.
*/
#ifndef GPCOV_IO_INTERNAL_H
#define GPCOV_IO_INTERNAL_H

#include "base/base_internal.h"

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

/* OSM tags (osmtags.c). */
int gpcov_hstore_get(const char *hs, const char *key, char *out, size_t outsz);

/* A delimited text file (CSV, TSV) made fit for OGR (textcheck.c).  Refuses,
** naming the file and line: an empty file, UTF-16/32, a NUL byte, a quoted
** field still open at the end of the file (truncated), and when `fields`
** is set a row with more fields than its header (an unquoted decimal comma
** in a comma-separated file).  A file that is not UTF-8 is read as
** Windows-1252, the encoding of a Danish Excel's "CSV (semikolonsepareret)",
** with a notice: *mem is then the name of a UTF-8 copy in /vsimem/ (caller
** VSIUnlinks and frees), else NULL. */
gpcov_status gpcov_text_prepare(gpcov_ctx *ctx, const char *src, int fields, char **mem);

/* Title rows above a table's header (table_header.c): the lines of CSV
** path, the rows of spreadsheet path's sheet layer (NULL: the first);
** the first row holding column hint (when not NULL) is the header, else
** 0 when the first row is the header (*sep: the CSV's separator).  A /vsimem/ copy of path from line
** h + 1 on (its header's cells with a comma quoted when sep is not one),
** malloc'ed, NULL when out of memory. */
int gpcov_table_title_lines(const char *path, const char *hint, char *sep);
int gpcov_table_title_rows(const char *path, const char *layer, const char *hint);
char *gpcov_table_strip_lines(const char *path, int h, char sep);
/* The separator of CSV path judged from its non-blank lines after the
** first skip (',' when there are none). */
char gpcov_table_sep_after(const char *path, int skip);

/* The dataset metadata item key of raster src (GPCOV_MODEL, say), malloc'ed,
** or NULL when the raster or the item is not there (provenance.c). */
char *gpcov_raster_meta(const char *src, const char *key);
/* The same of a vector source: of its layer (NULL: the first), else of
** the dataset. */
char *gpcov_vector_meta(const char *src, const char *layer, const char *key);

/* Writes layer l to path as a CSV for Danish Excel (csv_danish.c):
** BOM, semicolons, decimal comma, CRLF, codes of digits as ="0101"; dst
** names the output in messages. */
gpcov_status gpcov_csv_danish_write(gpcov_ctx *ctx, const struct gpcov_layer *l,
                                    const char *path, const char *dst);

#endif
