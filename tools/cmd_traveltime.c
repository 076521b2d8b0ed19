/*
** cmd_traveltime.c: `gpcov traveltime`, minutes to the nearest source over
** a friction raster (gpcov_traveltime_friction), with the cost model of
** GRASS r.cost.
*/
#include "cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char help[] =
    "usage: gpcov traveltime --friction SRC.tif --sources SRC --output DST.tif [options]\n"
    "\n"
    "Travel time in minutes from every cell to the nearest source, over a friction\n"
    "raster, as GRASS r.cost computes it: a move to one of the 8 neighbouring cells\n"
    "costs the mean friction of the two cells times the distance between their\n"
    "centres; --knight adds the 8 knight's moves (mean of the 4 cells crossed).\n"
    "\n"
    "  --friction SRC.tif  single-band raster in EPSG:25832, minutes per metre\n"
    "                      (e.g. 0.012 = 5 km/h); nodata cells are barriers\n"
    "  --sources SRC       points, any OGR source (GeoPackage, GeoJSON, shapefile,\n"
    "                      CSV with --x/--y), reprojected to EPSG:25832\n"
    "  --source-layer NAME layer of SRC (default: the first)\n"
    "  --x FIELD --y FIELD coordinate columns of a CSV source\n"
    "  --srs CRS           CRS of coordinates without one (e.g. EPSG:4326)\n"
    "  --source-id FIELD   names each source in messages and gives the values of\n"
    "                      --nearest (whole numbers >= 0; default: feature numbers\n"
    "                      1..n in file order)\n"
    "  --output DST.tif    minutes to the nearest source (float32 GeoTIFF, nodata\n"
    "                      where unreachable)\n"
    "  --nearest DST.tif   which source is nearest (int32 GeoTIFF, nodata -1);\n"
    "                      equal times go to the source first in the file\n"
    "  --max-minutes N     stop at N minutes: cells beyond stay nodata\n"
    "  --knight            also the 8 knight's moves (closer to straight-line\n"
    "                      distances, slower)\n"
    "  --overwrite         replace existing outputs (default: refuse)\n"
    "  -q                  no progress\n"
    "\n"
    "Exit codes: 0 ok, 1 bad input or output not writable, 2 usage, 3 internal,\n"
    "4 cancelled.\n";

int cmd_traveltime(int argc, char **argv)
{
    struct gpcov_friction_opts o = {0};
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--friction") && more) o.friction = argv[++i];
        else if (!strcmp(a, "--sources") && more) o.sources = argv[++i];
        else if (!strcmp(a, "--source-layer") && more) o.source_layer = argv[++i];
        else if (!strcmp(a, "--x") && more) o.x_field = argv[++i];
        else if (!strcmp(a, "--y") && more) o.y_field = argv[++i];
        else if (!strcmp(a, "--srs") && more) o.srs = argv[++i];
        else if (!strcmp(a, "--source-id") && more) o.source_id = argv[++i];
        else if (!strcmp(a, "--output") && more) o.output = argv[++i];
        else if (!strcmp(a, "--nearest") && more) o.nearest = argv[++i];
        else if (!strcmp(a, "--max-minutes") && more) {
            char *end;
            const char *v = argv[++i];
            o.max_minutes = strtod(v, &end);
            if (end == v || *end || !(o.max_minutes > 0) || !isfinite(o.max_minutes))
                return tool_usage_error("traveltime",
                                        "--max-minutes: '%s' is not a positive number", v);
        } else if (!strcmp(a, "--knight")) o.knight = 1;
        else if (!strcmp(a, "--overwrite")) o.overwrite = 1;
        else if (!strcmp(a, "-q")) quiet = 1;
        else
            return tool_usage_error("traveltime", "unknown option or missing value: '%s'", a);
    }
    if (!o.friction || !o.sources || !o.output)
        return tool_usage_error("traveltime", "--friction, --sources and --output are required");
    if ((o.x_field != NULL) != (o.y_field != NULL))
        return tool_usage_error("traveltime", "--x and --y go together");
    gpcov_ctx *ctx = tool_ctx(quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    gpcov_status st = gpcov_traveltime_friction(ctx, &o);
    int rc = st ? tool_fail(ctx, st) : EXIT_OK;
    gpcov_ctx_free(ctx);
    return rc;
}
