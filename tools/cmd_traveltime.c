/*
** cmd_traveltime.c: `gpcov traveltime`, minutes from every cell to the
** nearest source by a road network, a friction raster or a labelled
** straight-line model (gpcov_traveltime).  Its options: the model's
** (ttopts.c) and its outputs, tables (opt.h).
*/
#include "cmd.h"
#include "opt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the command line fills in: the model (ttopts.c) and the outputs. */
struct traveltime_args {
    struct tt_args t;
    int quiet;
};

#define F(m) offsetof(struct traveltime_args, m)
static const struct opt outputs[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Outputs:", 0, NULL},
    {OPT_OUTPUT, "--output", NULL, "DST.tif", NULL, NULL, OPT_OUT,
     "minutes to the nearest source (float32 GeoTIFF, nodata where unreachable; metadata "
     "GPCOV_MODEL names the model)", F(t.o.output), NULL},
    {OPT_OUTPUT, "--nearest", NULL, "DST.tif", NULL, NULL, OPT_OUT,
     "which source is nearest (int32 GeoTIFF, nodata -1; the --source-id values, then whole "
     "numbers >= 0); equal times go to the source first in the file", F(t.o.nearest), NULL},
    {OPT_OUTPUT, "--per-source", NULL, "DIR", NULL, "none", OPT_OUT,
     "one raster of minutes per source, DIR/<id>.tif, for catchments", F(t.o.per_source),
     NULL},
    {OPT_NUMBER, "--max-minutes", NULL, "N", NULL, "no limit", 0,
     "stop at N minutes: cells beyond stay nodata", F(t.o.max_minutes), NULL},
    {OPT_OUTPUT, "--network-output", NULL, "EDGES.csv", NULL, "none", OPT_OUT,
     "road model: the graph as searched, as CSV, one row per directed edge: edge,source,"
     "target,minutes,metres,x1,y1,x2,y2 (numbers from 0, EPSG:25832)", F(t.o.network_output),
     NULL},
    {OPT_OUTPUT, "--node-output", NULL, "NODES.csv", NULL, "none", OPT_OUT,
     "road model: one CSV row per road node: node,x,y,minutes,nearest; minutes from the "
     "nearest source, its connector included (empty where unreachable), and that source's id",
     F(t.o.node_output), NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace existing outputs",
     F(t.o.overwrite), NULL},
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "no progress, no closing summary line",
     F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, tt_options, TT_COL}, {NULL, outputs, TT_COL}};
const struct opt_cmd opts_traveltime = {
    "traveltime",
    "usage: gpcov traveltime (--roads SRC | --friction SRC.tif | --straight-line)\n"
    "                        --sources SRC (--output DST.tif | --per-source DIR) [options]\n"
    "\n"
    "Travel time in minutes from every cell of a grid to the nearest source.\n",
    groups, 2,
    "\n"
    "Environment: GPCOV_THREADS=N, threads of the friction search (default: 2 on\n"
    "grids of 4 M cells or more when two cores are online, else 1; equal minutes).\n"
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n",
    NULL,
};

int cmd_traveltime(int argc, char **argv)
{
    struct traveltime_args a;
    memset(&a, 0, sizeof a);
    struct gpcov_traveltime_opts *o = &a.t.o;
    int rc = opt_parse(&opts_traveltime, argc, argv, (void *const[]){&a.t, &a});
    if (rc)
        return rc == OPT_HELP ? EXIT_OK : rc;
    rc = tt_check("traveltime", o, a.t.models);
    if (rc)
        return rc;
    if (!o->output && !o->per_source && !o->network_output && !o->node_output)
        return tool_usage_error("traveltime", "--output (or --per-source) is required");
    if ((o->network_output || o->node_output) && o->model != GPCOV_TT_ROADS)
        return tool_usage_error("traveltime", "--network-output and --node-output need "
                                              "--roads");
    gpcov_ctx *ctx = tool_ctx(a.quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    gpcov_status st = gpcov_traveltime(ctx, o);
    rc = st ? tool_fail(ctx, st) : EXIT_OK;
    if (!st)
        tool_done(ctx, a.quiet, "traveltime");
    gpcov_ctx_free(ctx);
    return rc;
}
