/*
** cmd_dissolve.c: `gpcov dissolve`, one (multi)polygon per code
** (gpcov_dissolve).  `make shapefiles` runs it on the DAGI files.  Its
** options are one table (opt.h).
*/
#include "cmd.h"
#include "opt.h"

#include <cpl_string.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct dissolve_args {
    const char *in, *key, *name, *dst;
    char **flags;
    int overwrite, quiet;
};

#define F(m) offsetof(struct dissolve_args, m)
static const struct opt options[] = {
    {OPT_INPUT, "--input", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "polygons, any OGR source, e.g. DAGI kommuner.geojson", F(in), NULL},
    {OPT_STRING, "--key", NULL, "FIELD", NULL, NULL, OPT_REQUIRED,
     "the code field, e.g. KOMKODE", F(key), NULL},
    {OPT_STRING, "--name", NULL, "FIELD", NULL, "none", 0, "the name field", F(name), NULL},
    {OPT_LIST, "--flag", NULL, "CODE=TEXT", NULL, NULL, 0, "keep CODE but flag it with TEXT",
     F(flags), NULL},
    {OPT_OUTPUT, "--output", NULL, "DST", NULL, NULL, OPT_REQUIRED | OPT_OUT,
     ".shp (UTF-8, with .cpg), .gpkg, .geojson (RFC 7946), or PostGIS: "
     "'PG:<conninfo> tables=NAME' (README)", F(dst), NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace DST if it exists",
     F(overwrite), NULL},
    TOOL_OPT_CSV,
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "no progress, no closing summary line",
     F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, options, 21}};
const struct opt_cmd opts_dissolve = {
    "dissolve",
    "usage: gpcov dissolve --input SRC --key FIELD --output DST [options]\n"
    "\n"
    "Dissolves the features of SRC that share a code into one multipolygon per\n"
    "code, reprojected to EPSG:25832, with fields code (4-digit), name and flag.\n",
    groups, 1, NULL,
    NULL,
};

int cmd_dissolve(int argc, char **argv)
{
    struct dissolve_args a = {0};
    struct gpcov_write_opts wo = {0};
    int rc = opt_parse(&opts_dissolve, argc, argv, (void *const[]){&a});
    if (rc) {
        CSLDestroy(a.flags);
        return rc == OPT_HELP ? EXIT_OK : rc;
    }
    if (!a.in || !a.key || !a.dst) {
        CSLDestroy(a.flags);
        return tool_usage_error("dissolve", "--input, --key and --output are required");
    }
    wo.overwrite = a.overwrite;
    gpcov_ctx *ctx = tool_ctx(a.quiet);
    if (!ctx) {
        CSLDestroy(a.flags);
        return EXIT_INTERNAL;
    }
    gpcov_status st = gpcov_dissolve(ctx, a.in, a.key, a.name, a.flags, a.dst, &wo);
    rc = st ? tool_fail(ctx, st) : EXIT_OK;
    if (!st)
        tool_done(ctx, a.quiet, "dissolve");
    gpcov_ctx_free(ctx);
    CSLDestroy(a.flags);
    return rc;
}
