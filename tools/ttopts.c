/*
** ttopts.c: the travel-model options shared by `gpcov traveltime`,
** `gpcov isochrone` (which accepts the same inputs) and `gpcov access`:
** one table (opt.h), with setters for the options that choose the model.
*/
#include "cmd.h"
#include "opt.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --roads SRC and --friction SRC.tif: the source, and the model. */
static int set_model_src(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct tt_args *t = target;
    (void)cmd;
    *(const char **)((char *)target + op->off) = v;
    t->o.model = !strcmp(op->name, "--roads") ? GPCOV_TT_ROADS : GPCOV_TT_FRICTION;
    t->models++;
    return 0;
}

/* --straight-line: the model. */
static int set_straight(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct tt_args *t = target;
    (void)cmd, (void)op, (void)v;
    t->o.model = GPCOV_TT_STRAIGHT;
    t->models++;
    return 0;
}

/* --ferry-wait MIN: 0 is none, else a positive number. */
static int set_ferry_wait(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct tt_args *t = target;
    if (!strcmp(v, "0")) {
        t->o.net.ferry_wait = -1; /* none */
        return 0;
    }
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !(d > 0) || !isfinite(d))
        return tool_usage_error(cmd, "%s: '%s' is not a positive number", op->name, v);
    t->o.net.ferry_wait = d;
    return 0;
}

#define F(m) offsetof(struct tt_args, o.m)
const struct opt tt_options[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Road network model:", 0, NULL},
    {OPT_INPUT, "--roads", NULL, "SRC", NULL, NULL, OPT_IN,
     "OpenStreetMap .osm/.osm.pbf (GDAL's OSM driver), or any OGR line layer, e.g. the "
     "national network's GeoPackage (with --class-field class); vertices closer than --snap "
     "are one node (one model is required: --roads, --friction or --straight-line)",
     F(roads), set_model_src},
    {OPT_STRING, "--roads-layer", NULL, "NAME", NULL, "'lines' for OSM, else the first", 0,
     "layer of SRC", F(net.layer), NULL},
    {OPT_STRING, "--roads-label", NULL, "TEXT", NULL, "the file name", 0,
     "what the network is and its date, for metadata and map notes", F(roads_label), NULL},
    {OPT_INPUT, "--place-names", NULL, "SRC", NULL,
     "none; the municipality and coordinates are said anyway", OPT_IN,
     "points with a 'name' field (e.g. the OpenStreetMap places) naming the road islands a "
     "run cannot reach", F(place_names), NULL},
    {OPT_STRING, "--class-field", NULL, "F", NULL,
     "highway, or class in a layer without highway", 0, "road class field",
     F(net.class_field), NULL},
    {OPT_STRING, "--brunnel-field", NULL, "F", NULL,
     "brunnel, else the OSM tags bridge= and tunnel=", 0,
     "bridge/tunnel field; inner vertices of bridges and tunnels join only their own level",
     F(net.brunnel_field), NULL},
    {OPT_NUMBER, "--snap", NULL, "M", NULL, "0.5", 0,
     "vertices closer than M metres are one node", F(net.snap), NULL},
    {OPT_STRING, "--speed-field", NULL, "F", NULL, "none", 0,
     "km/h per line, overriding class speeds", F(net.speed_field), NULL},
    {OPT_STRING, "--oneway-field", NULL, "F", NULL,
     "oneway; motorways and roundabouts are one-way anyway", 0,
     "one-way field or tag: yes/true/1, -1/reverse, no", F(net.oneway_field), NULL},
    {OPT_INPUT, "--speeds", NULL, "CSV", NULL, NULL, OPT_IN,
     "'class,kmh' rows overriding the default class speeds (README, 'Road speeds')",
     F(net.speeds), NULL},
    {OPT_NUMBER, "--maxspeed-factor", NULL, "F", NULL, "1.0", 0,
     "travel speed = tagged maxspeed x F", F(net.maxspeed_factor), NULL},
    {OPT_NUMBER, "--ferry-kmh", NULL, "N", NULL, "25, or the 'ferry' row of --speeds", 0,
     "ferries without a duration tag", F(net.ferry_kmh), NULL},
    {OPT_NUMBER, "--ferry-wait", NULL, "MIN", NULL, "30", 0,
     "boarding and waiting, once a crossing; 0: none", F(net.ferry_wait), set_ferry_wait},
    {OPT_NUMBER, "--ferry-snap", NULL, "M", NULL, "300", 0,
     "each end of a ferry joins the nearest road node within M metres", F(net.ferry_snap),
     NULL},
    {OPT_NUMBER, "--offroad-kmh", NULL, "N", NULL, "5", 0,
     "speed of the straight connector from a cell or source to the nearest point of a road "
     "where cars stop", F(offroad_kmh), NULL},
    {OPT_NUMBER, "--max-connector", NULL, "M", NULL, "5000", 0,
     "longest connector in metres; cells farther from any road are unreachable",
     F(max_connector), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Friction model (AccessMod style, the rules of GRASS r.cost):", 0, NULL},
    {OPT_INPUT, "--friction", NULL, "SRC.tif", NULL, NULL, OPT_IN,
     "single-band raster in EPSG:25832, minutes per metre (e.g. 0.012 = 5 km/h); nodata "
     "cells are barriers; a move to one of the 8 neighbours costs the mean friction of the "
     "two cells times the distance between their centres", F(friction), set_model_src},
    {OPT_FLAG, "--knight", NULL, NULL, NULL, NULL, 0, "also the 8 knight's moves (r.cost -k)",
     F(knight), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Straight-line model (where no network exists; outputs say so):", 0, NULL},
    {OPT_FLAG, "--straight-line", NULL, NULL, NULL, NULL, 0,
     "crow-fly distance x detour / speed", 0, set_straight},
    {OPT_NUMBER, "--speed", NULL, "KMH", NULL, "60", 0, "", F(kmh), NULL},
    {OPT_NUMBER, "--detour", NULL, "F", NULL, "1.3", 0, "", F(detour), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Grid (road and straight-line models; the friction raster is its own grid):", 0, NULL},
    {OPT_INPUT, "--extent", NULL, "SRC", NULL,
     "the roads' extent; required for --straight-line", OPT_IN,
     "a vector source whose bounding box the grid covers, e.g. shapefiles/kommuner.shp",
     F(extent), NULL},
    {OPT_NUMBER, "--resolution", NULL, "M", NULL, "100", 0, "cell size in metres",
     F(resolution), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Sources:", 0, NULL},
    {OPT_INPUT, "--sources", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "points, any OGR source (GeoPackage, GeoJSON, shapefile, CSV with lon/lat or --x/--y "
     "columns), reprojected to EPSG:25832", F(sources), NULL},
    {OPT_STRING, "--source-layer", NULL, "NAME", NULL, "the first", 0, "layer of SRC",
     F(source_layer), NULL},
    {OPT_STRING, "--x", NULL, "FIELD", NULL, "lon", 0, "x coordinate column of a CSV source",
     F(x_field), NULL},
    {OPT_STRING, "--y", NULL, "FIELD", NULL, "lat", 0, "y coordinate column of a CSV source",
     F(y_field), NULL},
    {OPT_STRING, "--srs", NULL, "CRS", NULL, "EPSG:4326", 0,
     "CRS of coordinates without one", F(srs), NULL},
    {OPT_STRING, "--source-id", NULL, "FIELD", NULL, "feature numbers 1..n in file order", 0,
     "names each source in messages, file names and outputs", F(source_id), NULL},
    {0},
};
#undef F

int tt_check(const char *cmd, const struct gpcov_traveltime_opts *o, int models)
{
    if (models != 1)
        return tool_usage_error(cmd, "give exactly one model: --roads, --friction or "
                                     "--straight-line");
    if (!o->sources)
        return tool_usage_error(cmd, "--sources is required");
    if ((o->x_field != NULL) != (o->y_field != NULL))
        return tool_usage_error(cmd, "--x and --y go together");
    if (o->model == GPCOV_TT_STRAIGHT && !o->extent)
        return tool_usage_error(cmd, "--straight-line needs --extent");
    if (o->model == GPCOV_TT_STRAIGHT && o->detour > 0 && o->detour < 1)
        return tool_usage_error(cmd, "--detour must be at least 1");
    return EXIT_OK;
}
