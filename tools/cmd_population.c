/*
** cmd_population.c: `gpcov population`, municipal totals spread over where
** people live (gpcov_population).  The totals are declared with the
** overlay's options; the places or the weight raster say where.
*/
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
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
    "    --output population.gpkg\n"
    "\n"
    "Where people live:\n"
    "  --places SRC          points (CSV with lon/lat, or any OGR source); each\n"
    "                        municipality's total is shared among its places as whole\n"
    "                        people by largest remainder (ties: first in the file);\n"
    "                        required unless --weights-raster\n"
    "  --places-weight F     weight field (default: population; '' for equal weights)\n"
    "  --places-where COND   keep places where COND holds (default: all); drop\n"
    "                        place=suburb with OSM places, since suburbs overlap cities\n"
    "  --places-snap M       places off a generalised coast join the nearest\n"
    "                        municipality within M metres (default: 1000)\n"
    "  --weights-raster SRC  instead: a raster of weights (EPSG:25832); cells take\n"
    "                        their municipality by cell centre; real-valued output\n"
    "                        (default: none, --places is used)\n"
    "  --group NAME          with --weights-raster: the total to spread (default: the\n"
    "                        only one)\n"
    "  --demand NAME=EXPR    a demand field per point from the groups (default, when\n"
    "                        the groups include pop and pop80: \"demand=pop + 1.5 *\n"
    "                        pop80\": citizens over 80 see their GP about 2.5 times as\n"
    "                        often; 'none': no demand field)\n"
    "\n"
    "A municipality with no place gets one point at its point on surface\n"
    "(synthetic = true), so its people are not lost.\n"
    "\n"
    "Output:\n"
    "  --output DST          points: .gpkg, .geojson, .csv (fields komkode, place,\n"
    "                        weight, synthetic, one per group, demand) or PostGIS:\n"
    "                        'PG:<conninfo> tables=NAME' (README); raster: .tif\n"
    "                        (required)\n"
    "  --overwrite           replace DST (default: refuse)\n"
    "  -q                    no progress\n"
    "\n"
    "Totals (the options of gpcov overlay):\n"
    "\n";

int cmd_population(int argc, char **argv)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    struct gpcov_population_opts o = {.totals = s};
    int quiet = 0, rc = EXIT_OK;
    gpcov_ctx *ctx = tool_ctx(1);
    if (!s || !ctx) {
        gpcov_overlay_spec_free(s);
        gpcov_ctx_free(ctx);
        return EXIT_INTERNAL;
    }
    gpcov_status st = GPCOV_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int r = overlay_option("population", ctx, s, argc, argv, &i, &st);
        if (r < 0) {
            rc = EXIT_USAGE;
            goto out;
        }
        if (st) {
            rc = tool_option_fail("population", ctx, st);
            goto out;
        }
        if (r > 0)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("%s%s", usage, overlay_options_help);
            goto out;
        } else if (!strcmp(a, "--overwrite")) o.overwrite = 1;
        else if (!strcmp(a, "-q")) quiet = 1;
        else if (!v) {
            rc = tool_usage_error("population", "unknown option or missing value: '%s'", a);
            goto out;
        } else if (!strcmp(a, "--places")) o.places = v, i++;
        else if (!strcmp(a, "--places-weight")) o.places_weight = v, i++;
        else if (!strcmp(a, "--places-where")) o.places_where = v, i++;
        else if (!strcmp(a, "--weights-raster")) o.weights_raster = v, i++;
        else if (!strcmp(a, "--group")) o.group = v, i++;
        else if (!strcmp(a, "--demand")) o.demand = v, i++;
        else if (!strcmp(a, "--output")) o.output = v, i++;
        else if (!strcmp(a, "--places-snap")) {
            char *end;
            o.snap = strtod(v, &end);
            if (*end || !(o.snap > 0)) {
                rc = tool_usage_error("population", "--places-snap '%s': expected metres > 0", v);
                goto out;
            }
            i++;
        } else {
            rc = tool_usage_error("population", "unknown option '%s'", a);
            goto out;
        }
    }
    if (!s->polygons || !s->nsrc || !o.output || (!o.places == !o.weights_raster)) {
        rc = tool_usage_error("population", "--polygons, a --table with --agg totals, --output, "
                                            "and --places or --weights-raster are required");
        goto out;
    }
    if (!quiet) {
        gpcov_ctx_free(ctx);
        if (!(ctx = tool_ctx(0))) {
            rc = EXIT_INTERNAL;
            goto out;
        }
    }
    if ((st = gpcov_population(ctx, &o)))
        rc = tool_fail(ctx, st);
    else if (!quiet && o.places)
        fprintf(stderr, "gpcov population: %s\n", gpcov_ctx_message(ctx));
out:
    gpcov_overlay_spec_free(s);
    gpcov_ctx_free(ctx);
    return rc;
}
