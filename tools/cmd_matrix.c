/*
** cmd_matrix.c: `gpcov matrix`, travel times from every origin to every
** destination in long format (gpcov_matrix), by any of the three travel
** models: the model's options are traveltime's (ttopts.c), its --sources
** the origins; the destinations, centroids and outputs are this table.
*/
#include "cmd.h"
#include "opt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct matrix_args {
    struct gpcov_matrix_opts o;
    int quiet;
};

/* --nearest K: a whole number, 1 or more. */
static int set_nearest(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct matrix_args *a = target;
    char *end;
    long k = strtol(v, &end, 10);
    (void)op;
    if (end == v || *end || k < 1 || k > 1000000)
        return tool_usage_error(cmd, "--nearest '%s': give a whole number of destinations, "
                                     "1 or more", v);
    a->o.nearest = (int)k;
    return 0;
}

#define F(m) offsetof(struct matrix_args, m)
static const struct opt options[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Origins and destinations:", 0, NULL},
    {OPT_INPUT, "--origins-centroids", NULL, "SRC", NULL, "none", OPT_IN,
     "one origin per unit instead of --sources: the population-weighted centre of points "
     "with a weight (population.gpkg, --centroid-weight), or a point on the surface of each "
     "unit's polygons (kommuner.shp)", F(o.origins_centroids), NULL},
    {OPT_STRING, "--origin-name", NULL, "FIELD", NULL, "Enhedsnavn, name, ...", 0,
     "origin name field (origin id: --source-id, else SOR-ID, id, ...)", F(o.origin_name),
     NULL},
    {OPT_INPUT, "--destinations", NULL, "SRC", NULL, NULL, OPT_IN,
     "destination points: the SOR export, any OGR point layer, a CSV with lon/lat or --x/--y "
     "(one of --destinations and --destinations-centroids is required)", F(o.destinations),
     NULL},
    {OPT_INPUT, "--destinations-centroids", NULL, "SRC", NULL, "none", OPT_IN,
     "one destination per unit, as --origins-centroids", F(o.destinations_centroids), NULL},
    {OPT_STRING, "--destination-id", NULL, "FIELD", NULL, "SOR-ID, SorId, Ydernummer, id", 0,
     "destination id field", F(o.destination_id), NULL},
    {OPT_STRING, "--destination-name", NULL, "FIELD", NULL, "Enhedsnavn, name, ...", 0,
     "destination name field", F(o.destination_name), NULL},
    {OPT_STRING, "--centroid-key", NULL, "FIELD", NULL, "komkode", 0,
     "the unit of each point or polygon of a centroids source", F(o.centroid_key), NULL},
    {OPT_STRING, "--centroid-weight", NULL, "FIELD", NULL, "pop", 0,
     "the weight of each point of a centroids source", F(o.centroid_weight), NULL},
    {OPT_STRING, "--centroid-name", NULL, "FIELD", NULL, "navn, name", 0,
     "the unit name of polygons", F(o.centroid_name), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Matrix:", 0, NULL},
    {OPT_NUMBER, "--max-minutes", NULL, "N", NULL, "no limit", 0,
     "leave out pairs over N minutes (the search stops there; the summary counts them)",
     F(o.max_minutes), NULL},
    {OPT_NUMBER, "--nearest", NULL, "K", NULL, "all", 0,
     "per origin only the K nearest destinations", 0, set_nearest},
    {OPT_OUTPUT, "--output", NULL, "DST", NULL, NULL, OPT_REQUIRED | OPT_OUT,
     "long format, one row per pair: origin_id, origin_name, destination_id, "
     "destination_name, minutes, metres, note; .csv, .xlsx, .gpkg (with a line per pair) or "
     "PG:<conninfo> tables=NAME", F(o.output), NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace an existing output",
     F(o.overwrite), NULL},
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "no progress or summary", F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, tt_options, TT_COL}, {NULL, options, TT_COL}};
const struct opt_cmd opts_matrix = {
    "matrix",
    "usage: gpcov matrix (--roads SRC | --friction SRC.tif | --straight-line)\n"
    "                    (--sources SRC | --origins-centroids SRC)\n"
    "                    (--destinations SRC | --destinations-centroids SRC)\n"
    "                    --output DST [options]\n"
    "\n"
    "Travel times from every origin to every destination, in long format: the minutes\n"
    "the travel model's raster from that origin alone holds at the destination.\n",
    groups, 2,
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n",
    NULL,
};

static void summary(const struct gpcov_matrix_opts *o, const struct gpcov_matrix_result *r)
{
    fprintf(stderr, "gpcov: matrix: %zu origins x %zu destinations: %zu rows in %s (%.1f s)\n",
            r->norigins, r->ndestinations, r->rows, o->output, r->seconds);
    if (o->max_minutes > 0)
        fprintf(stderr, "gpcov: matrix: %zu pairs over %g minutes (or not reached within them) "
                "left out\n", r->beyond, o->max_minutes);
    if (r->unreachable)
        fprintf(stderr, "gpcov: matrix: %zu pairs without a time (%s; see note)\n",
                r->unreachable, o->nearest > 0 || o->max_minutes > 0 ? "left out" : "kept");
    if (o->nearest > 0)
        fprintf(stderr, "gpcov: matrix: %zu pairs beyond the %d nearest left out\n",
                r->not_nearest, o->nearest);
}

int cmd_matrix(int argc, char **argv)
{
    struct matrix_args a;
    struct tt_args t;
    memset(&a, 0, sizeof a), memset(&t, 0, sizeof t);
    int rc = opt_parse(&opts_matrix, argc, argv, (void *const[]){&t, &a});
    if (rc)
        return rc == OPT_HELP ? EXIT_OK : rc;
    struct gpcov_traveltime_opts check = t.o;
    if (t.o.sources && a.o.origins_centroids)
        return tool_usage_error("matrix", "give the origins as --sources or "
                                          "--origins-centroids, not both");
    if (!check.sources)
        check.sources = a.o.origins_centroids;
    if (!check.sources)
        return tool_usage_error("matrix", "--sources (or --origins-centroids) is required");
    if ((rc = tt_check("matrix", &check, t.models)))
        return rc;
    if (!a.o.destinations == !a.o.destinations_centroids)
        return tool_usage_error("matrix", "give one of --destinations and "
                                          "--destinations-centroids");
    a.o.tt = &t.o;
    a.o.origins = t.o.sources, a.o.origin_id = t.o.source_id;
    a.o.x_field = t.o.x_field, a.o.y_field = t.o.y_field, a.o.srs = t.o.srs;
    gpcov_ctx *ctx = tool_ctx(a.quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    struct gpcov_matrix_result r;
    memset(&r, 0, sizeof r);
    gpcov_status st = gpcov_matrix(ctx, &a.o, &r);
    if (!st && !a.quiet)
        summary(&a.o, &r);
    rc = st ? tool_fail(ctx, st) : EXIT_OK;
    gpcov_ctx_free(ctx);
    return rc;
}
