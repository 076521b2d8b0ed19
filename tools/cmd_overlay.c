/*
** cmd_overlay.c: `gpcov overlay`, tables and points joined to polygons
** with declared aggregates and derived fields (gpcov_overlay_run).
** Options after a --table or --points apply to that source.
*/
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: gpcov overlay --polygons SRC (--table SRC --key P=T ... | --points SRC ...)...\n"
    "                     [--derive NAME=EXPR]... --output DST [--output DST]...\n"
    "\n"
    "Joins attribute tables (by key) and points (by location) to polygons and\n"
    "derives indicators.  Municipality codes are normalised: 101, 0101, \"0101\",\n"
    "the number 101 and \"101 København\" are one key.\n"
    "\n";

static const char outputs[] =
    "\n"
    "Output:\n"
    "  --output DST          .geojson (RFC 7946), .gpkg, .shp, .csv; repeatable\n"
    "                        or PostGIS: 'PG:<conninfo> tables=NAME' (README)\n"
    "  --overwrite           replace existing outputs (default: refuse)\n"
    "  --precision N         GeoJSON coordinate decimals (default 7)\n"
    "  -q                    no progress\n"
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n";

#define MAX_OUT 8

int cmd_overlay(int argc, char **argv)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    const char *outs[MAX_OUT];
    int nouts = 0, quiet = 0, rc = EXIT_OK;
    struct gpcov_write_opts wo = {0};
    struct gpcov_layer *layer = NULL;
    gpcov_outset *set = NULL;
    gpcov_ctx *ctx = tool_ctx(1);
    if (!s || !ctx) {
        gpcov_overlay_spec_free(s);
        gpcov_ctx_free(ctx);
        fprintf(stderr, "gpcov: out of memory\n");
        return EXIT_INTERNAL;
    }
    gpcov_status st = GPCOV_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int r = overlay_option("overlay", ctx, s, argc, argv, &i, &st);
        if (r < 0) {
            rc = EXIT_USAGE;
            goto out;
        }
        if (st) {
            rc = tool_option_fail("overlay", ctx, st);
            goto out;
        }
        if (r > 0)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("%s%s%s", usage, overlay_options_help, outputs);
            goto out;
        } else if (!strcmp(a, "--overwrite")) {
            wo.overwrite = 1;
        } else if (!strcmp(a, "-q")) {
            quiet = 1;
        } else if (!v) {
            rc = tool_usage_error("overlay", "unknown option or missing value: '%s'", a);
            goto out;
        } else if (!strcmp(a, "--output")) {
            if (nouts == MAX_OUT) {
                rc = tool_usage_error("overlay", "at most %d --output", MAX_OUT);
                goto out;
            }
            outs[nouts++] = v;
            i++;
        } else if (!strcmp(a, "--precision")) {
            wo.precision = atoi(v);
            i++;
        } else {
            rc = tool_usage_error("overlay", "unknown option '%s'", a);
            goto out;
        }
    }
    if (!s->polygons || !s->nsrc || !nouts) {
        rc = tool_usage_error("overlay", "--polygons, at least one --table or --points, and "
                                         "--output are required");
        goto out;
    }
    /* refuse existing outputs before any work is done */
    for (int k = 0; k < nouts; k++) {
        if ((st = gpcov_atomic_check(ctx, outs[k], wo.overwrite))) {
            rc = tool_fail(ctx, st);
            goto out;
        }
    }
    if (!quiet) {
        gpcov_ctx_free(ctx);
        if (!(ctx = tool_ctx(0))) {
            rc = EXIT_INTERNAL;
            goto out;
        }
    }
    if ((st = gpcov_overlay_run(ctx, s, &layer))) {
        rc = tool_fail(ctx, st);
        goto out;
    }
    /* every output, or none (outset.c) */
    if (!(set = gpcov_outset_new(ctx, wo.overwrite))) {
        rc = tool_fail(ctx, GPCOV_ENOMEM);
        goto out;
    }
    for (int k = 0; k < nouts && !st; k++)
        st = gpcov_outset_layer(ctx, set, layer, outs[k], &wo);
    if (st || (st = gpcov_outset_commit(ctx, set))) {
        rc = tool_fail(ctx, st);
        goto out;
    }
out:
    gpcov_outset_free(set);
    gpcov_layer_free(ctx, layer);
    gpcov_overlay_spec_free(s);
    gpcov_ctx_free(ctx);
    return rc;
}
