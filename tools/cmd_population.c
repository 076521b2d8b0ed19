/*
** cmd_population.c: `gpcov population`, municipal totals spread over where
** people live (gpcov_population).  The totals are declared with the
** overlay's options; the places or the weight raster say where.  Its
** options and the overlay's (overlayopts.c) are tables (opt.h).
*/
#include "cmd.h"
#include "opt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the command line fills in besides the totals' declarations. */
struct population_args {
    struct gpcov_population_opts o;
    int quiet;
};

/* --places-snap M: metres > 0. */
static int set_snap(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct population_args *a = target;
    char *end;
    (void)op;
    a->o.snap = strtod(v, &end);
    if (*end || !(a->o.snap > 0))
        return tool_usage_error(cmd, "--places-snap '%s': expected metres > 0", v);
    return 0;
}

#define F(m) offsetof(struct population_args, m)
static const struct opt options[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Where people live:", 0, NULL},
    {OPT_INPUT, "--places", NULL, "SRC", NULL, NULL, OPT_IN,
     "points (CSV with lon/lat, or any OGR source); each municipality's total is shared "
     "among its places as whole people by largest remainder (ties: first in the file); "
     "required unless --weights-raster", F(o.places), NULL},
    {OPT_STRING, "--places-weight", NULL, "F", NULL, "population; '' for equal weights", 0,
     "weight field", F(o.places_weight), NULL},
    {OPT_STRING, "--places-where", NULL, "COND", NULL, "all", 0,
     "keep places where COND holds; drop place=suburb with OSM places, since suburbs "
     "overlap cities", F(o.places_where), NULL},
    {OPT_NUMBER, "--places-snap", NULL, "M", NULL, "1000", 0,
     "places off a generalised coast join the nearest municipality within M metres", 0,
     set_snap},
    {OPT_INPUT, "--weights-raster", NULL, "SRC", NULL, "none, --places is used", OPT_IN,
     "instead: a raster of weights (EPSG:25832); cells take their municipality by cell "
     "centre; real-valued output", F(o.weights_raster), NULL},
    {OPT_STRING, "--group", NULL, "NAME", NULL, "the only one", 0,
     "with --weights-raster: the total to spread", F(o.group), NULL},
    {OPT_STRING, "--demand", NULL, "NAME=EXPR", NULL, NULL, 0,
     "a demand field per point from the groups (default, when the groups include pop and "
     "pop80: \"demand=pop + 1.5 * pop80\": citizens over 80 see their GP about 2.5 times as "
     "often; 'none': no demand field)", F(o.demand), NULL},
    {OPT_TEXT, NULL, NULL, NULL, NULL, NULL, 0,
     "\n"
     "A municipality with no place gets one point at its point on surface\n"
     "(synthetic = true), so its people are not lost.\n", 0, NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Output:", 0, NULL},
    {OPT_OUTPUT, "--output", NULL, "DST", NULL, NULL, OPT_REQUIRED | OPT_OUT,
     "points: .gpkg, .geojson, .csv (fields komkode, place, weight, synthetic, one per "
     "group, demand) or PostGIS: 'PG:<conninfo> tables=NAME' (README); raster: .tif",
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
    {NULL, options, OVERLAY_COL},
    {"Totals (the options of gpcov overlay):", overlay_options, OVERLAY_COL},
};
const struct opt_cmd opts_population = {
    "population",
    "usage: gpcov population --polygons SRC --table SRC --key P=T --agg NAME=... [...]\n"
    "                        (--places SRC | --weights-raster SRC.tif) --output DST\n"
    "\n"
    "Spreads municipal totals (declared with --agg on Statistics Denmark tables,\n"
    "whole numbers of people) over places in proportion to a weight, so that\n"
    "every municipality sums exactly to its total.  Example, the 2020 population\n"
    "and its 80+ part over OpenStreetMap places, with demand weighting 80+ by 2.5:\n"
    "\n"
    "  gpcov population --polygons shapefiles/kommuner.shp \\\n"
    "    --table ../shared/data/dst/folk1a_2020q1_area_age_sex.csv --key code=area_code \\\n"
    "      --where \"level in ('kommune','other')\" \\\n"
    "      --agg \"pop=sum(total)\" --agg \"pop80=sum(total) where age >= 80\" \\\n"
    "    --places ../shared/data/osm/places_with_population_2019.csv \\\n"
    "      --places-where \"place <> 'suburb'\" --demand \"demand=pop + 1.5 * pop80\" \\\n"
    "    --output population.gpkg\n",
    groups, 2, NULL,
    NULL,
};

/* Spreads the totals; says how many points when not quiet. */
static int run(gpcov_ctx **ctxp, struct population_args *a)
{
    tool_csv_apply(*ctxp); /* made before the options were read */
    if (!a->quiet) {
        gpcov_ctx_free(*ctxp);
        if (!(*ctxp = tool_ctx(0)))
            return EXIT_INTERNAL;
    }
    gpcov_status st = gpcov_population(*ctxp, &a->o);
    if (st)
        return tool_fail(*ctxp, st);
    tool_done(*ctxp, a->quiet, "population");
    return EXIT_OK;
}

int cmd_population(int argc, char **argv)
{
    struct population_args a;
    memset(&a, 0, sizeof a);
    struct overlay_args oa = {tool_ctx(1), gpcov_overlay_spec_new()};
    if (!oa.s || !oa.ctx) {
        gpcov_overlay_spec_free(oa.s);
        gpcov_ctx_free(oa.ctx);
        return EXIT_INTERNAL;
    }
    a.o.totals = oa.s;
    int rc = opt_parse(&opts_population, argc, argv, (void *const[]){&a, &oa});
    if (rc == OPT_HELP)
        rc = EXIT_OK;
    else if (!rc && (!oa.s->polygons || !oa.s->nsrc || !a.o.output ||
                     (!a.o.places == !a.o.weights_raster)))
        rc = tool_usage_error("population", "--polygons, a --table with --agg totals, "
                                            "--output, and --places or --weights-raster are "
                                            "required");
    else if (!rc)
        rc = run(&oa.ctx, &a);
    gpcov_overlay_spec_free(oa.s);
    gpcov_ctx_free(oa.ctx);
    return rc;
}
