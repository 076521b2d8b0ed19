/*
** cmd_dissolve.c: `gpcov dissolve`, one (multi)polygon per code
** (gpcov_dissolve).  `make shapefiles` runs it on the DAGI files.
*/
#include "cmd.h"

#include <cpl_string.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: gpcov dissolve --input SRC --key FIELD --output DST [options]\n"
    "\n"
    "Dissolves the features of SRC that share a code into one multipolygon per\n"
    "code, reprojected to EPSG:25832, with fields code (4-digit), name and flag.\n"
    "\n"
    "  --input SRC        polygons, any OGR source, e.g. DAGI kommuner.geojson\n"
    "                     (required)\n"
    "  --key FIELD        the code field, e.g. KOMKODE (required)\n"
    "  --name FIELD       the name field (default: none)\n"
    "  --flag CODE=TEXT   keep CODE but flag it with TEXT (repeatable)\n"
    "  --output DST       .shp (UTF-8, with .cpg), .gpkg, .geojson (RFC 7946), or\n"
    "                     PostGIS: 'PG:<conninfo> tables=NAME' (README) (required)\n"
    "  --overwrite        replace DST if it exists (default: refuse)\n"
    "  -q                 no progress\n";

int cmd_dissolve(int argc, char **argv)
{
    const char *in = NULL, *key = NULL, *name = NULL, *dst = NULL;
    char **flags = NULL;
    struct gpcov_write_opts wo = {0};
    int quiet = 0, rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            CSLDestroy(flags);
            return EXIT_OK;
        } else if (!strcmp(a, "--input") && more) in = argv[++i];
        else if (!strcmp(a, "--key") && more) key = argv[++i];
        else if (!strcmp(a, "--name") && more) name = argv[++i];
        else if (!strcmp(a, "--flag") && more) flags = CSLAddString(flags, argv[++i]);
        else if (!strcmp(a, "--output") && more) dst = argv[++i];
        else if (!strcmp(a, "--overwrite")) wo.overwrite = 1;
        else if (!strcmp(a, "-q")) quiet = 1;
        else {
            CSLDestroy(flags);
            return tool_usage_error("dissolve", "unknown option or missing value: '%s'", a);
        }
    }
    if (!in || !key || !dst) {
        CSLDestroy(flags);
        return tool_usage_error("dissolve", "--input, --key and --output are required");
    }
    gpcov_ctx *ctx = tool_ctx(quiet);
    if (!ctx) {
        CSLDestroy(flags);
        return EXIT_INTERNAL;
    }
    gpcov_status st = gpcov_dissolve(ctx, in, key, name, flags, dst, &wo);
    rc = st ? tool_fail(ctx, st) : EXIT_OK;
    gpcov_ctx_free(ctx);
    CSLDestroy(flags);
    return rc;
}
