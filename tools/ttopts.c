/*
** ttopts.c: the travel-model options shared by `gpcov traveltime` and
** `gpcov isochrone` (which accepts the same inputs), parsed in one place.
*/
#include "cmd.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char tt_model_help[] =
    "Road network model:\n"
    "  --roads SRC         OpenStreetMap .osm/.osm.pbf (GDAL's OSM driver), or any OGR\n"
    "                      line layer, e.g. the national network's GeoPackage (with\n"
    "                      --class-field class); vertices closer than --snap are one\n"
    "                      node (one model is required: --roads, --friction or\n"
    "                      --straight-line)\n"
    "  --roads-layer NAME  layer of SRC (default: 'lines' for OSM, else the first)\n"
    "  --roads-label TEXT  what the network is and its date, for metadata and map\n"
    "                      notes (default: the file name)\n"
    "  --place-names SRC   points with a 'name' field (e.g. the OpenStreetMap places)\n"
    "                      naming the road islands a run cannot reach (default:\n"
    "                      none; the municipality and coordinates are said anyway)\n"
    "  --class-field F     road class field (default: highway, or class in a layer\n"
    "                      without highway)\n"
    "  --brunnel-field F   bridge/tunnel field; inner vertices of bridges and tunnels\n"
    "                      join only their own level (default: brunnel, else the OSM\n"
    "                      tags bridge= and tunnel=)\n"
    "  --snap M            vertices closer than M metres are one node (default: 0.5)\n"
    "  --speed-field F     km/h per line, overriding class speeds (default: none)\n"
    "  --oneway-field F    one-way field or tag: yes/true/1, -1/reverse, no (default:\n"
    "                      oneway; motorways and roundabouts are one-way anyway)\n"
    "  --speeds CSV        'class,kmh' rows overriding the default class speeds\n"
    "                      (README, 'Road speeds')\n"
    "  --maxspeed-factor F travel speed = tagged maxspeed x F (default: 1.0)\n"
    "  --ferry-kmh N       ferries without a duration tag (default: 25, or the\n"
    "                      'ferry' row of --speeds)\n"
    "  --ferry-wait MIN    boarding and waiting, once a crossing; 0: none (default:\n"
    "                      30)\n"
    "  --ferry-snap M      each end of a ferry joins the nearest road node within M\n"
    "                      metres (default: 300)\n"
    "  --offroad-kmh N     speed of the straight connector from a cell or source to\n"
    "                      the nearest point of a road where cars stop (default: 5)\n"
    "  --max-connector M   longest connector in metres; cells farther from any road\n"
    "                      are unreachable (default: 5000)\n"
    "\n"
    "Friction model (AccessMod style, the rules of GRASS r.cost):\n"
    "  --friction SRC.tif  single-band raster in EPSG:25832, minutes per metre\n"
    "                      (e.g. 0.012 = 5 km/h); nodata cells are barriers; a move\n"
    "                      to one of the 8 neighbours costs the mean friction of the\n"
    "                      two cells times the distance between their centres\n"
    "  --knight            also the 8 knight's moves (r.cost -k)\n"
    "\n"
    "Straight-line model (where no network exists; outputs say so):\n"
    "  --straight-line     crow-fly distance x detour / speed\n"
    "  --speed KMH         (default: 60)\n"
    "  --detour F          (default: 1.3)\n"
    "\n"
    "Grid (road and straight-line models; the friction raster is its own grid):\n"
    "  --extent SRC        a vector source whose bounding box the grid covers, e.g.\n"
    "                      shapefiles/kommuner.shp (default: the roads' extent;\n"
    "                      required for --straight-line)\n"
    "  --resolution M      cell size in metres (default: 100)\n"
    "\n"
    "Sources:\n"
    "  --sources SRC       points, any OGR source (GeoPackage, GeoJSON, shapefile, CSV\n"
    "                      with lon/lat or --x/--y columns), reprojected to EPSG:25832\n"
    "                      (required)\n"
    "  --source-layer NAME layer of SRC (default: the first)\n"
    "  --x FIELD --y FIELD coordinate columns of a CSV source (default: lon/lat)\n"
    "  --srs CRS           CRS of coordinates without one (default: EPSG:4326)\n"
    "  --source-id FIELD   names each source in messages, file names and outputs\n"
    "                      (default: feature numbers 1..n in file order)\n";

int tt_option(const char *cmd, struct gpcov_traveltime_opts *o, int *models, int argc,
              char **argv, int *i)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (!strcmp(a, "--knight")) {
        o->knight = 1;
        return 1;
    }
    if (!strcmp(a, "--ferry-wait") && v && !strcmp(v, "0")) {
        o->net.ferry_wait = -1; /* none */
        ++*i;
        return 1;
    }
    if (!strcmp(a, "--straight-line")) {
        o->model = GPCOV_TT_STRAIGHT;
        ++*models;
        return 1;
    }
    static const struct { const char *opt; size_t off; } strs[] = {
        {"--roads-layer", offsetof(struct gpcov_traveltime_opts, net.layer)},
        {"--class-field", offsetof(struct gpcov_traveltime_opts, net.class_field)},
        {"--speed-field", offsetof(struct gpcov_traveltime_opts, net.speed_field)},
        {"--oneway-field", offsetof(struct gpcov_traveltime_opts, net.oneway_field)},
        {"--speeds", offsetof(struct gpcov_traveltime_opts, net.speeds)},
        {"--sources", offsetof(struct gpcov_traveltime_opts, sources)},
        {"--source-layer", offsetof(struct gpcov_traveltime_opts, source_layer)},
        {"--x", offsetof(struct gpcov_traveltime_opts, x_field)},
        {"--y", offsetof(struct gpcov_traveltime_opts, y_field)},
        {"--srs", offsetof(struct gpcov_traveltime_opts, srs)},
        {"--source-id", offsetof(struct gpcov_traveltime_opts, source_id)},
        {"--extent", offsetof(struct gpcov_traveltime_opts, extent)},
        {"--friction", offsetof(struct gpcov_traveltime_opts, friction)},
        {"--roads", offsetof(struct gpcov_traveltime_opts, roads)},
        {"--roads-label", offsetof(struct gpcov_traveltime_opts, roads_label)},
        {"--place-names", offsetof(struct gpcov_traveltime_opts, place_names)},
        {"--brunnel-field", offsetof(struct gpcov_traveltime_opts, net.brunnel_field)},
    };
    static const struct { const char *opt; size_t off; } nums[] = {
        {"--resolution", offsetof(struct gpcov_traveltime_opts, resolution)},
        {"--offroad-kmh", offsetof(struct gpcov_traveltime_opts, offroad_kmh)},
        {"--max-connector", offsetof(struct gpcov_traveltime_opts, max_connector)},
        {"--speed", offsetof(struct gpcov_traveltime_opts, kmh)},
        {"--detour", offsetof(struct gpcov_traveltime_opts, detour)},
        {"--ferry-kmh", offsetof(struct gpcov_traveltime_opts, net.ferry_kmh)},
        {"--maxspeed-factor", offsetof(struct gpcov_traveltime_opts, net.maxspeed_factor)},
        {"--snap", offsetof(struct gpcov_traveltime_opts, net.snap)},
        {"--ferry-snap", offsetof(struct gpcov_traveltime_opts, net.ferry_snap)},
        {"--ferry-wait", offsetof(struct gpcov_traveltime_opts, net.ferry_wait)},
    };
    for (size_t k = 0; k < sizeof strs / sizeof *strs; k++) {
        if (strcmp(a, strs[k].opt))
            continue;
        if (!v) {
            tool_usage_error(cmd, "%s needs a value", a);
            return -1;
        }
        *(const char **)((char *)o + strs[k].off) = v;
        if (!strcmp(a, "--friction"))
            o->model = GPCOV_TT_FRICTION, ++*models;
        if (!strcmp(a, "--roads"))
            o->model = GPCOV_TT_ROADS, ++*models;
        ++*i;
        return 1;
    }
    for (size_t k = 0; k < sizeof nums / sizeof *nums; k++) {
        if (strcmp(a, nums[k].opt))
            continue;
        char *end = NULL;
        double d = v ? strtod(v, &end) : 0;
        if (!v || end == v || *end || !(d > 0) || !isfinite(d)) {
            tool_usage_error(cmd, "%s: '%s' is not a positive number", a, v ? v : "");
            return -1;
        }
        *(double *)((char *)o + nums[k].off) = d;
        ++*i;
        return 1;
    }
    return 0;
}

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
