/*
** cmd_isochrone.c: `gpcov isochrone`, travel times into polygons
** (gpcov_isochrone), from a travel-time raster or from the same inputs as
** `gpcov traveltime`.
*/
#include "cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: gpcov isochrone (--traveltime SRC.tif | MODEL OPTIONS) --minutes 30,60,120\n"
    "                       --output DST [options]\n"
    "\n"
    "Polygons of the area within each travel time, valid and nested by\n"
    "construction (the 60-minute polygon contains the 30-minute one): the cells\n"
    "within a limit are polygonized along their edges.\n"
    "\n"
    "  --traveltime SRC.tif  minutes, e.g. from gpcov traveltime (its GPCOV_MODEL\n"
    "                        metadata is carried over)\n"
    "  --nearest SRC.tif     with --per-source: split the area by nearest source\n"
    "  --minutes LIST        ascending limits, e.g. 30,60,120 (required)\n"
    "  --per-source          one set per source: with model options each source's own\n"
    "                        reach (may overlap); with --traveltime, by --nearest\n"
    "                        (default: dissolved, from the nearest source)\n"
    "  --bands               non-overlapping bands (0-30, 30-60, 60-120 and the rest\n"
    "                        of --clip) instead of nested polygons, for maps\n"
    "  --clip SRC            clip to these polygons, e.g. land = the municipalities\n"
    "                        (default: none)\n"
    "  --population SRC      points with a count (CSV with lon/lat, or any OGR source),\n"
    "                        or a raster of people per cell (EPSG:25832) (default:\n"
    "                        none, no population field)\n"
    "  --population-field F  the count field (default: population)\n"
    "  --output DST          .geojson (RFC 7946), .gpkg, .shp; fields source, minutes,\n"
    "                        from_minutes (bands), area_km2, population, model; or\n"
    "                        PostGIS: 'PG:<conninfo> tables=NAME' (README) (required)\n"
    "  --overwrite           replace DST (default: refuse)\n"
    "  -q                    no progress\n"
    "\n"
    "Or, instead of --traveltime, the inputs of gpcov traveltime:\n"
    "\n";

int cmd_isochrone(int argc, char **argv)
{
    struct gpcov_traveltime_opts tt = {0};
    struct gpcov_isochrone_opts o = {0};
    double levels[32];
    int quiet = 0, models = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int r = tt_option("isochrone", &tt, &models, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("%s%s", usage, tt_model_help);
            return EXIT_OK;
        } else if (!strcmp(a, "--overwrite")) o.overwrite = 1;
        else if (!strcmp(a, "--per-source")) o.per_source = 1;
        else if (!strcmp(a, "--bands")) o.bands = 1;
        else if (!strcmp(a, "-q")) quiet = 1;
        else if (!v)
            return tool_usage_error("isochrone", "unknown option or missing value: '%s'", a);
        else if (!strcmp(a, "--traveltime")) o.traveltime = v, i++;
        else if (!strcmp(a, "--nearest")) o.nearest = v, i++;
        else if (!strcmp(a, "--clip")) o.clip = v, i++;
        else if (!strcmp(a, "--population")) o.population = v, i++;
        else if (!strcmp(a, "--population-field")) o.population_field = v, i++;
        else if (!strcmp(a, "--output")) o.output = v, i++;
        else if (!strcmp(a, "--minutes")) {
            const char *p = v;
            o.nlevels = 0;
            while (*p) {
                char *end;
                double d = strtod(p, &end);
                if (end == p || !(d > 0) || !isfinite(d) || (*end && *end != ',') ||
                    o.nlevels == sizeof levels / sizeof *levels ||
                    (o.nlevels && d <= levels[o.nlevels - 1]))
                    return tool_usage_error("isochrone", "--minutes '%s': expected ascending "
                                            "positive numbers, e.g. 30,60,120 (at most 32)", v);
                levels[o.nlevels++] = d;
                p = *end ? end + 1 : end;
            }
            i++;
        } else
            return tool_usage_error("isochrone", "unknown option '%s'", a);
    }
    if (!o.nlevels || !o.output)
        return tool_usage_error("isochrone", "--minutes and --output are required");
    if (o.traveltime && models)
        return tool_usage_error("isochrone", "give --traveltime or a model, not both");
    if (!o.traveltime) {
        int rc = tt_check("isochrone", &tt, models);
        if (rc)
            return rc;
        o.tt = &tt;
    }
    o.minutes = levels;
    gpcov_ctx *ctx = tool_ctx(quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    gpcov_status st = gpcov_isochrone(ctx, &o);
    int rc = st ? tool_fail(ctx, st) : EXIT_OK;
    gpcov_ctx_free(ctx);
    return rc;
}
