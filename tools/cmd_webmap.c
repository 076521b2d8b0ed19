/*
** cmd_webmap.c: `gpcov webmap`, one self-contained interactive HTML map of
** municipality indicators (gpcov_webmap_write): reads the indicator layer
** and any layers to join, turns each --panel SPEC (the same SPEC as `gpcov
** map`) into a switchable indicator, and writes the page.
*/
#include "cmd.h"
#include "gpcov.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: gpcov webmap --input SRC --panel SPEC [--panel SPEC ...] --output DST.html\n"
    "                    [options]\n"
    "\n"
    "Writes one HTML file that shows the municipalities on an interactive map\n"
    "(Leaflet, compiled into gpcov): one indicator at a time, switchable, with\n"
    "a legend of the same classes, labels and colours as `gpcov map` draws for\n"
    "the same SPEC, and a popup with every indicator of a clicked municipality.\n"
    "Everything is inside the file (no tiles, no fonts, no scripts from the\n"
    "network); the GeoJSON is RFC 7946 lon/lat, simplified with GEOS.\n"
    "\n"
    "  --input SRC          municipality polygons with the indicators, any OGR\n"
    "                       source, e.g. reports/out/municipalities.gpkg (required)\n"
    "  --layer NAME         layer of SRC (default: the first)\n"
    "  --key FIELD          municipality code field of SRC and of every --join\n"
    "                       (default: komkode)\n"
    "  --name-field FIELD   municipality name field of SRC (default: name)\n"
    "  --join SRC           another keyed layer (e.g. threat.gpkg, fee.gpkg):\n"
    "                       a panel field SRC lacks is taken from the first\n"
    "                       --join that has it (repeatable; default: none)\n"
    "  --panel SPEC         one indicator (repeatable, 1 to 16), the SPEC of\n"
    "                       `gpcov map --panel`: field=, title=, unit=, breaks=,\n"
    "                       classes=, decimals= (also the popup's decimals;\n"
    "                       auto: 1), palette=, categorical, true=, false=,\n"
    "                       undecided=, reason= (the popup says why a value is\n"
    "                       missing), count=, note= (default: none)\n"
    "  --title TEXT         page and map title (default: none)\n"
    "  --attribution TEXT   a line of sources on the map (repeatable; default:\n"
    "                       none)\n"
    "  --no-data-label TEXT legend and popup text of missing values (default:\n"
    "                       no data)\n"
    "  --decimal-comma      Danish numbers, 1.617,5, and the page in Danish\n"
    "                       (default: 1,617.5, English)\n"
    "  --simplify METRES    GEOS topology-preserving simplification tolerance,\n"
    "                       0 for none (default: 30)\n"
    "  --precision N        decimals of longitude and latitude (default: 5)\n"
    "  --output DST         the .html file (required)\n"
    "  --overwrite          replace an existing output (default: refuse)\n"
    "  -q, --quiet          no progress or summary (default: a summary line)\n"
    "  --help               this text\n"
    "\n"
    "example:\n"
    "  gpcov webmap --input reports/out/municipalities.gpkg \\\n"
    "    --join reports/out/threat.gpkg --decimal-comma \\\n"
    "    --panel 'field=share80_2035,title=Andel 80+ år 2035,unit=%,decimals=1' \\\n"
    "    --panel 'field=threatened,categorical,true=Truet,false=Ikke truet' \\\n"
    "    --title 'Ældre borgere og lægedækning' --output kort.html\n";

#define MAX_LIST 16

int cmd_webmap(int argc, char **argv)
{
    struct gpcov_webmap_spec spec;
    gpcov_webmap_spec_init(&spec);
    struct fig_opts fo;
    fig_opts_init(&fo, GPCOV_WEBMAP_MAX_PANELS);
    const char *join_src[MAX_LIST];
    struct gpcov_layer *joins[MAX_LIST];
    size_t njoin = 0, nread = 0;
    const char *out = NULL;
    int overwrite = 0, quiet = 0, rc = EXIT_OK;
    struct gpcov_layer *units = NULL;
    gpcov_ctx *ctx = NULL;
    memset(joins, 0, sizeof joins);

    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1, r = fig_option("webmap", &fo, argc, argv, &i);
        if (r < 0) {
            rc = EXIT_USAGE;
            break;
        }
        if (r > 0)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            goto done;
        } else if (!strcmp(a, "--overwrite"))
            overwrite = 1, takes = 0;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            quiet = 1, takes = 0;
        else if (!v) {
            rc = tool_usage_error("webmap",
                                  "unknown option or missing value: '%s'", a);
            break;
        } else if (!strcmp(a, "--name-field"))
            spec.name_field = v;
        else if (!strcmp(a, "--output")) {
            if (out)
                rc = tool_usage_error("webmap", "one --output only");
            out = v;
        } else if (!strcmp(a, "--join")) {
            if (njoin == MAX_LIST)
                rc = tool_usage_error("webmap", "more than %d --join layers",
                                      MAX_LIST);
            else
                join_src[njoin++] = v;
        } else if (!strcmp(a, "--simplify")) {
            char *end;
            spec.simplify = strtod(v, &end);
            if (end == v || *end || !(spec.simplify >= 0 && spec.simplify <= 10000))
                rc = tool_usage_error("webmap",
                                      "--simplify %s: give 0 to 10000 metres", v);
        } else if (!strcmp(a, "--precision")) {
            char *end;
            long p = strtol(v, &end, 10);
            if (end == v || *end || p < 1 || p > 15)
                rc = tool_usage_error("webmap", "--precision %s: give 1 to 15",
                                      v);
            spec.precision = (int)p;
        } else {
            rc = tool_usage_error("webmap", "unknown option: '%s'", a);
            break;
        }
        i += takes;
    }
    if (rc != EXIT_OK)
        goto done;
    const char *in = fo.in, *key = fo.key;
    size_t np = fo.np;
    if (!in) {
        rc = tool_usage_error("webmap", "--input is required");
        goto done;
    }
    if (!np) {
        rc = tool_usage_error("webmap", "at least one --panel is required");
        goto done;
    }
    if (!out) {
        rc = tool_usage_error("webmap", "--output is required");
        goto done;
    }
    if (!key || !*key) {
        rc = tool_usage_error("webmap", "--key: give the code field");
        goto done;
    }

    if (!(ctx = tool_ctx(quiet))) {
        rc = EXIT_INTERNAL;
        goto done;
    }
    gpcov_status st;
    struct gpcov_read_opts uopts = {0};
    uopts.layer = fo.layer;
    uopts.key_field = key;
    if ((st = gpcov_layer_read(ctx, in, &uopts, &units)) != GPCOV_OK) {
        rc = tool_fail(ctx, st);
        goto done;
    }
    for (nread = 0; nread < njoin; nread++) {
        struct gpcov_read_opts jo = {0};
        jo.key_field = key;
        if ((st = gpcov_layer_read(ctx, join_src[nread], &jo, &joins[nread])) !=
            GPCOV_OK) {
            rc = tool_fail(ctx, st);
            goto done;
        }
    }
    if ((rc = tool_panel_notes(in, units->metadata, fo.panels, fo.bufs, np, 0)) != EXIT_OK)
        goto done;
    spec.units = units;
    spec.units_src = in;
    spec.joins = (const struct gpcov_layer *const *)joins;
    spec.joins_src = join_src;
    spec.njoins = njoin;
    spec.npanels = np;
    spec.panels = fo.panels;
    spec.attribution = fo.nattr ? fo.attr : NULL;
    spec.title = fo.title;
    spec.nodata_label = fo.nodata_label;
    spec.decimal_comma = fo.decimal_comma;
    struct gpcov_webmap_info info;
    st = gpcov_webmap_write(ctx, &spec, out, overwrite, &info);
    if (st != GPCOV_OK)
        rc = tool_fail(ctx, st);
    else if (!quiet)
        fprintf(stderr,
                "wrote %s (%.1f MB: %zu municipalities, %zu indicator%s; "
                "GeoJSON %.1f MB, %zu of %zu vertices kept)\n",
                out, info.bytes / 1e6, info.features, np, np == 1 ? "" : "s",
                info.geojson_bytes / 1e6, info.vertices_out, info.vertices_in);
done:
    if (ctx) {
        gpcov_layer_free(ctx, units);
        for (size_t i = 0; i < njoin; i++)
            gpcov_layer_free(ctx, joins[i]);
        gpcov_ctx_free(ctx);
    }
    fig_opts_clear(&fo);
    return rc;
}
