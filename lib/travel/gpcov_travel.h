/*
** gpcov_travel.h: the public API of lib/travel/, travel times: the road
** graph, the friction search, the travel-time models and isochrones.
** Included through gpcov.h, the umbrella header; conventions there.
*/
#ifndef GPCOV_TRAVEL_API_H
#define GPCOV_TRAVEL_API_H

#include "io/gpcov_io.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/* Default speed (km/h) of a road class, or 0 when cars do not use it: the
** general limit of most of its roads x GPCOV_DRIVING_FACTOR (speed.c). */
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
** searches on N threads (costdist_par.c): the same costs, bit for bit.
** The search is a bucket queue (costdist_dial.c) where every move costs
** more than zero, else a radix heap (GPCOV_COST_QUEUE=radix asks for it
** always): the same costs, bit for bit.  Memory besides the outputs: 12
** bytes a cell and the queue (proportional to the front, not the grid);
** 8 bytes a cell on the radix heap with more than one thread, none with
** one.  Reports progress as
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
    int keep_unjoined;        /* ROADS: a source with no road it may join
                                 within reach is kept without a time (runs
                                 skip it) instead of an error: gpcov matrix */
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

/* Travel times from one source at a list of cells (traveltime_cells.c),
** for runs over thousands of sources one at a time: the road search
** resets only the nodes it touched and stops at the limit.  cells (grid
** indices row*nx+col of the model's grid, kept by the caller) are read
** at every run; out[q] gets the minutes from source k at cells[q], as
** gpcov_ttmodel_run(k) gives them there, NaN where unreachable or beyond
** max_minutes (> 0).  Freed with gpcov_ttcells_free (NULL is fine). */
typedef struct gpcov_ttcells gpcov_ttcells;
gpcov_status gpcov_ttcells_new(gpcov_ctx *ctx, gpcov_ttmodel *m, const uint32_t *cells,
                               size_t ncells, gpcov_ttcells **out);
gpcov_status gpcov_ttcells_run(gpcov_ctx *ctx, gpcov_ttcells *c, size_t k, double max_minutes,
                               float *out);
void gpcov_ttcells_free(gpcov_ttcells *c);
/* The road model only: the listed cells source k reaches within
** max_minutes, each once, in no order: *n positions in the list (*pos)
** and their minutes (*t), those gpcov_ttcells_run gives a time; the
** handle's arrays, valid until its next run. */
gpcov_status gpcov_ttcells_reached(gpcov_ctx *ctx, gpcov_ttcells *c, size_t k,
                                   double max_minutes, const uint32_t **pos, const float **t,
                                   size_t *n);

/* The cells one source reaches within a time limit (traveltime_reach.c),
** for runs over thousands of sources one at a time over the whole grid:
** the straight line computes only the square around the source that holds
** the limit's circle, the friction search stops at the limit and resets
** only the cells it settled; the road model runs the whole grid.  A run
** gives *n cells (grid indices, ascending) and their minutes, exactly the
** cells gpcov_ttmodel_run(k, max_minutes) gives a time and those times;
** max_minutes <= 0 or infinite: no limit, the whole grid.  The lists are
** the handle's, valid until its next run.  whole = 1: every run is a
** whole-grid run (the reference for tests and benchmarks).  Freed with
** gpcov_ttreach_free (NULL is fine); the model must outlive it. */
typedef struct gpcov_ttreach gpcov_ttreach;
gpcov_status gpcov_ttreach_new(gpcov_ctx *ctx, gpcov_ttmodel *m, int whole,
                               gpcov_ttreach **out);
gpcov_status gpcov_ttreach_run(gpcov_ctx *ctx, gpcov_ttreach *r, size_t k, double max_minutes,
                               const uint32_t **cells, const float **minutes, size_t *n);
void gpcov_ttreach_free(gpcov_ttreach *r);

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

/* ------------------------------------------------------ times at points */

/* Minutes from one source of an opened model to n points (ttpoints.c),
** equal to the model's raster from that source alone at the points' cells
** when the points are cell centres: the road model joins a point as it
** joins a cell centre there (the same kind of road, the same connector)
** and searches from the source until every point's road is settled or
** max_minutes is passed; the friction model takes the point's cell; the
** straight line the distance from the source.  metres: the length of the
** road path with both connectors (road model), the distance x detour
** (straight line), NaN for the friction model (it keeps no distance).
** minutes is NaN where there is no time (outside the grid, no road within
** the longest connector, no route) and INFINITY where max_minutes > 0 and
** the point is not reached within it; metres is NaN wherever minutes is
** not finite.  nearest > 0 (road model): the search stops once that many
** points have their time and are the nearest; the points whose time is
** then not final are INFINITY too (they are farther).
** gpcov_ttpoints_times may run on several threads over one model for the
** road and straight-line models (not the friction model). */
typedef struct gpcov_ttpoints gpcov_ttpoints;
gpcov_status gpcov_ttpoints_open(gpcov_ctx *ctx, const gpcov_ttmodel *m,
                                 const struct gpcov_traveltime_opts *o, size_t n,
                                 const double *x, const double *y, gpcov_ttpoints **out);
gpcov_status gpcov_ttpoints_times(gpcov_ctx *ctx, gpcov_ttmodel *m, const gpcov_ttpoints *p,
                                  size_t k, double max_minutes, int nearest, double *minutes,
                                  double *metres);
void gpcov_ttpoints_free(gpcov_ttpoints *p);
/* Whether point j is on the grid (friction, straight line) or joined to a
** road (road model): where not, it has no time from any source. */
int gpcov_ttpoints_joined(const gpcov_ttpoints *p, size_t j);
/* Whether source k joined a road (road model opened with keep_unjoined). */
int gpcov_ttpoints_source_joined(const gpcov_ttmodel *m, size_t k);

#ifdef __cplusplus
}
#endif
#endif
