/*
** cmd_traveltime.c: `gpcov traveltime`, minutes from every cell to the
** nearest source by a road network, a friction raster or a labelled
** straight-line model (gpcov_traveltime).
*/
#include "cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: gpcov traveltime (--roads SRC | --friction SRC.tif | --straight-line)\n"
    "                        --sources SRC (--output DST.tif | --per-source DIR) [options]\n"
    "\n"
    "Travel time in minutes from every cell of a grid to the nearest source.\n"
    "\n";

static const char outputs[] =
    "\n"
    "Outputs:\n"
    "  --output DST.tif    minutes to the nearest source (float32 GeoTIFF, nodata\n"
    "                      where unreachable; metadata GPCOV_MODEL names the model)\n"
    "  --nearest DST.tif   which source is nearest (int32 GeoTIFF, nodata -1; the\n"
    "                      --source-id values, then whole numbers >= 0); equal times\n"
    "                      go to the source first in the file\n"
    "  --per-source DIR    one raster of minutes per source, DIR/<id>.tif, for\n"
    "                      catchments (default: none)\n"
    "  --max-minutes N     stop at N minutes: cells beyond stay nodata (default: no\n"
    "                      limit)\n"
    "  --network-output EDGES.csv\n"
    "                      road model: the graph as searched, as CSV, one row per\n"
    "                      directed edge: edge,source,target,minutes,metres,x1,y1,\n"
    "                      x2,y2 (numbers from 0, EPSG:25832; default: none)\n"
    "  --node-output NODES.csv\n"
    "                      road model: one CSV row per road node: node,x,y,minutes,\n"
    "                      nearest; minutes from the nearest source, its connector\n"
    "                      included (empty where unreachable), and that source's id\n"
    "                      (default: none)\n"
    "  --overwrite         replace existing outputs (default: refuse)\n"
    "  -q                  no progress\n"
    "\n"
    "Environment: GPCOV_THREADS=N, threads of the friction search (default: 2 on\n"
    "grids of 4 M cells or more when two cores are online, else 1; equal minutes).\n"
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n";

int cmd_traveltime(int argc, char **argv)
{
    struct gpcov_traveltime_opts o = {0};
    int quiet = 0, models = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int r = tt_option("traveltime", &o, &models, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("%s%s%s", usage, tt_model_help, outputs);
            return EXIT_OK;
        } else if (!strcmp(a, "--overwrite")) o.overwrite = 1;
        else if (!strcmp(a, "-q")) quiet = 1;
        else if (!v)
            return tool_usage_error("traveltime", "unknown option or missing value: '%s'", a);
        else if (!strcmp(a, "--output")) o.output = v, i++;
        else if (!strcmp(a, "--nearest")) o.nearest = v, i++;
        else if (!strcmp(a, "--per-source")) o.per_source = v, i++;
        else if (!strcmp(a, "--network-output")) o.network_output = v, i++;
        else if (!strcmp(a, "--node-output")) o.node_output = v, i++;
        else if (!strcmp(a, "--max-minutes")) {
            char *end;
            o.max_minutes = strtod(v, &end);
            if (end == v || *end || !(o.max_minutes > 0) || !isfinite(o.max_minutes))
                return tool_usage_error("traveltime",
                                        "--max-minutes: '%s' is not a positive number", v);
            i++;
        } else
            return tool_usage_error("traveltime", "unknown option '%s'", a);
    }
    int rc = tt_check("traveltime", &o, models);
    if (rc)
        return rc;
    if (!o.output && !o.per_source && !o.network_output && !o.node_output)
        return tool_usage_error("traveltime", "--output (or --per-source) is required");
    if ((o.network_output || o.node_output) && o.model != GPCOV_TT_ROADS)
        return tool_usage_error("traveltime", "--network-output and --node-output need "
                                              "--roads");
    gpcov_ctx *ctx = tool_ctx(quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    gpcov_status st = gpcov_traveltime(ctx, &o);
    rc = st ? tool_fail(ctx, st) : EXIT_OK;
    gpcov_ctx_free(ctx);
    return rc;
}
