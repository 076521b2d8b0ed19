/*
** cmd_isochrone.c: `gpcov isochrone`, travel times into polygons
** (gpcov_isochrone), from a travel-time raster or from the same inputs as
** `gpcov traveltime`.  Its options and the model's (ttopts.c) are tables
** (opt.h).
*/
#include "cmd.h"
#include "opt.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVELS 32

/* What the command line fills in, besides a travel model (ttopts.c). */
struct isochrone_args {
    struct gpcov_isochrone_opts o;
    double levels[MAX_LEVELS];
    int quiet;
};

/* --minutes LIST: ascending positive numbers. */
static int set_minutes(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct isochrone_args *a = target;
    (void)op;
    a->o.nlevels = 0;
    for (const char *p = v; *p;) {
        char *end;
        double d = strtod(p, &end);
        if (end == p || !(d > 0) || !isfinite(d) || (*end && *end != ',') ||
            a->o.nlevels == MAX_LEVELS || (a->o.nlevels && d <= a->levels[a->o.nlevels - 1]))
            return tool_usage_error(cmd, "--minutes '%s': expected ascending positive numbers, "
                                         "e.g. 30,60,120 (at most 32)", v);
        a->levels[a->o.nlevels++] = d;
        p = *end ? end + 1 : end;
    }
    return 0;
}

#define F(m) offsetof(struct isochrone_args, m)
static const struct opt options[] = {
    {OPT_INPUT, "--traveltime", NULL, "SRC.tif", NULL, NULL, OPT_IN,
     "minutes, e.g. from gpcov traveltime (its GPCOV_MODEL metadata is carried over)",
     F(o.traveltime), NULL},
    {OPT_INPUT, "--nearest", NULL, "SRC.tif", NULL, NULL, OPT_IN,
     "with --per-source: split the area by nearest source", F(o.nearest), NULL},
    {OPT_STRING, "--minutes", NULL, "LIST", NULL, NULL, OPT_REQUIRED,
     "ascending limits, e.g. 30,60,120", 0, set_minutes},
    {OPT_FLAG, "--per-source", NULL, NULL, NULL, "dissolved, from the nearest source", 0,
     "one set per source: with model options each source's own reach (may overlap); with "
     "--traveltime, by --nearest", F(o.per_source), NULL},
    {OPT_FLAG, "--bands", NULL, NULL, NULL, NULL, 0,
     "non-overlapping bands (0-30, 30-60, 60-120 and the rest of --clip) instead of nested "
     "polygons, for maps", F(o.bands), NULL},
    {OPT_INPUT, "--clip", NULL, "SRC", NULL, "none", OPT_IN,
     "clip to these polygons, e.g. land = the municipalities", F(o.clip), NULL},
    {OPT_INPUT, "--population", NULL, "SRC", NULL, "none, no population field", OPT_IN,
     "points with a count (CSV with lon/lat, or any OGR source), or a raster of people per "
     "cell (EPSG:25832)", F(o.population), NULL},
    {OPT_STRING, "--population-field", NULL, "F", NULL, "population", 0, "the count field",
     F(o.population_field), NULL},
    {OPT_OUTPUT, "--output", NULL, "DST", NULL, NULL, OPT_REQUIRED | OPT_OUT,
     ".geojson (RFC 7946), .gpkg, .shp; fields source, minutes, from_minutes (bands), "
     "area_km2, population, model; or PostGIS: 'PG:<conninfo> tables=NAME' (README)",
     F(o.output), NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace DST", F(o.overwrite),
     NULL},
    TOOL_OPT_CSV,
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "no progress, no closing summary line",
     F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {
    {NULL, options, 24},
    {"Or, instead of --traveltime, the inputs of gpcov traveltime:", tt_options, TT_COL},
};
const struct opt_cmd opts_isochrone = {
    "isochrone",
    "usage: gpcov isochrone (--traveltime SRC.tif | MODEL OPTIONS) --minutes 30,60,120\n"
    "                       --output DST [options]\n"
    "\n"
    "Polygons of the area within each travel time, valid and nested by\n"
    "construction (the 60-minute polygon contains the 30-minute one): the cells\n"
    "within a limit are polygonized along their edges.\n",
    groups, 2, NULL,
    NULL,
};

int cmd_isochrone(int argc, char **argv)
{
    struct tt_args tt;
    struct isochrone_args a;
    memset(&tt, 0, sizeof tt);
    memset(&a, 0, sizeof a);
    int rc = opt_parse(&opts_isochrone, argc, argv, (void *const[]){&a, &tt});
    if (rc)
        return rc == OPT_HELP ? EXIT_OK : rc;
    if (!a.o.nlevels || !a.o.output)
        return tool_usage_error("isochrone", "--minutes and --output are required");
    if (a.o.traveltime && tt.models)
        return tool_usage_error("isochrone", "give --traveltime or a model, not both");
    if (!a.o.traveltime) {
        rc = tt_check("isochrone", &tt.o, tt.models);
        if (rc)
            return rc;
        a.o.tt = &tt.o;
    }
    a.o.minutes = a.levels;
    gpcov_ctx *ctx = tool_ctx(a.quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    gpcov_status st = gpcov_isochrone(ctx, &a.o);
    rc = st ? tool_fail(ctx, st) : EXIT_OK;
    if (!st)
        tool_done(ctx, a.quiet, "isochrone");
    gpcov_ctx_free(ctx);
    return rc;
}
