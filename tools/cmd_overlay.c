/*
** cmd_overlay.c: `gpcov overlay`, tables and points joined to polygons
** with declared aggregates and derived fields (gpcov_overlay_run).
** Options after a --table or --points apply to that source.
*/
#include "cmd.h"

#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: gpcov overlay --polygons SRC (--table SRC --key P=T ... | --points SRC ...)...\n"
    "                     [--derive NAME=EXPR]... --output DST [--output DST]...\n"
    "\n"
    "Joins attribute tables (by key) and points (by location) to polygons and\n"
    "derives indicators.  Municipality codes are normalised: 101, 0101, \"0101\",\n"
    "the number 101 and \"101 København\" are one key.\n"
    "\n"
    "Polygons:\n"
    "  --polygons SRC        polygons, any OGR source; parts sharing a key are dissolved\n"
    "  --polygon-layer NAME  layer of SRC (default: the first)\n"
    "  --polygon-key FIELD   key field (default: POLYFIELD of the first --key)\n"
    "  --name-field FIELD    copied to the output field 'name' (default: none)\n"
    "  --keep FIELD          copy a polygon field as it is (repeatable)\n"
    "  --key-out NAME        output name of the key field (default: komkode)\n"
    "  --exempt KEY[,KEY]    polygons that may lack rows in every table (e.g. 0411)\n"
    "  --allow-missing       polygons without rows get empty values, no error\n"
    "\n"
    "Sources (the options after a source apply to it):\n"
    "  --table SRC           CSV (comma/semicolon/tab), XLSX, ODS or any OGR layer\n"
    "  --points SRC          points, joined to the polygon containing them; a CSV\n"
    "                        takes its coordinates from lon/lat (or --x/--y) columns\n"
    "  --key POLYFIELD=TABLEFIELD   join key of a table (one per table)\n"
    "  --where COND          keep only rows where COND holds, e.g. \"level = 'kommune'\"\n"
    "  --field NAME=EXPR     a value from the one row of each key\n"
    "  --agg NAME=FN(EXPR) [WHERE COND]   aggregate the rows of each key; FN is sum,\n"
    "                        count, mean, min, max or first; e.g.\n"
    "                        \"pop80=sum(total) where age >= 80\"\n"
    "  --present NAME        true where the key has a row, false elsewhere\n"
    "  --optional            polygons without rows in this source are allowed\n"
    "  --sheet NAME          sheet or layer of the source (default: the first)\n"
    "  --skip-rows N         rows above the header in a raw spreadsheet (default 0)\n"
    "  --columns A,B,...     names for the columns (the file then has no header row)\n"
    "  --fill-down A,B       blank cells take the value above (merged cells)\n"
    "  --x FIELD --y FIELD   coordinate columns of --points (default lon/lat)\n"
    "  --srs CRS             CRS of coordinates without one (default EPSG:4326)\n"
    "  --snap METRES         a point outside every polygon joins the nearest one\n"
    "                        within this distance (default 1000)\n"
    "\n"
    "Derived fields:\n"
    "  --derive NAME=EXPR    over the joined fields, in order, e.g.\n"
    "                        \"share80=pct(pop80, pop)\", \"g=growth(a_2026, a_2035)\"\n"
    "  NAME:TYPE=...         declares a type: text, int, real or bool (default: inferred)\n"
    "\n"
    "Expressions: numbers, 'text', names (\"quoted\" with spaces), + - * /,\n"
    "  = != < <= > >=, AND OR NOT, IN (...), BETWEEN, IS [NOT] NULL, and pct(a,b),\n"
    "  growth(a,b), min, max, abs, round(x,n), coalesce, if(c,a,b).\n"
    "\n"
    "Output:\n"
    "  --output DST          .geojson (RFC 7946), .gpkg, .shp, .csv; repeatable\n"
    "  --overwrite           replace existing outputs (default: refuse)\n"
    "  --precision N         GeoJSON coordinate decimals (default 7)\n"
    "  -q                    no progress\n"
    "\n"
    "Exit codes: 0 ok, 1 bad input or output not writable, 2 usage, 3 internal.\n";

#define MAX_OUT 8

int cmd_overlay(int argc, char **argv)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    const char *outs[MAX_OUT];
    int nouts = 0, quiet = 0, rc = EXIT_OK;
    struct gpcov_write_opts wo = {0};
    struct gpcov_layer *layer = NULL;
    gpcov_ctx *ctx = tool_ctx(1);
    if (!s || !ctx) {
        gpcov_overlay_spec_free(s);
        gpcov_ctx_free(ctx);
        fprintf(stderr, "gpcov: out of memory\n");
        return EXIT_INTERNAL;
    }
    gpcov_status st = GPCOV_OK;
    for (int i = 1; i < argc && !st; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        struct gpcov_src_spec *src = s->nsrc ? &s->src[s->nsrc - 1] : NULL;
#define TAKE(field)                                                            \
    do {                                                                       \
        free(field);                                                           \
        field = strdup(v);                                                     \
        i++;                                                                   \
    } while (0)
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            goto out;
        } else if (!strcmp(a, "--allow-missing")) {
            s->allow_missing = 1;
        } else if (!strcmp(a, "--overwrite")) {
            wo.overwrite = 1;
        } else if (!strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--optional")) {
            st = gpcov_overlay_set_optional(ctx, s);
        } else if (!v) {
            rc = tool_usage_error("overlay", "unknown option or missing value: '%s'", a);
            goto out;
        } else if (!strcmp(a, "--polygons")) TAKE(s->polygons);
        else if (!strcmp(a, "--polygon-layer")) TAKE(s->poly_layer);
        else if (!strcmp(a, "--polygon-key")) TAKE(s->poly_key);
        else if (!strcmp(a, "--name-field")) TAKE(s->name_field);
        else if (!strcmp(a, "--key-out")) TAKE(s->key_out);
        else if (!strcmp(a, "--keep")) {
            s->keep = CSLAddString(s->keep, v);
            i++;
        } else if (!strcmp(a, "--exempt")) {
            char **parts = CSLTokenizeString2(v, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES);
            for (char **p = parts; p && *p; p++) {
                char key[64];
                if (gpcov_key_normalise(*p, key, sizeof key) == 0)
                    s->exempt = CSLAddString(s->exempt, key);
            }
            CSLDestroy(parts);
            i++;
        } else if (!strcmp(a, "--table")) {
            st = gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, v);
            i++;
        } else if (!strcmp(a, "--points")) {
            st = gpcov_overlay_add_source(ctx, s, GPCOV_SRC_POINTS, v);
            i++;
        } else if (!strcmp(a, "--key")) {
            st = gpcov_overlay_set_key(ctx, s, v);
            i++;
        } else if (!strcmp(a, "--where")) {
            st = gpcov_overlay_set_where(ctx, s, v);
            i++;
        } else if (!strcmp(a, "--field")) {
            st = gpcov_overlay_add_field(ctx, s, v);
            i++;
        } else if (!strcmp(a, "--agg")) {
            st = gpcov_overlay_add_agg(ctx, s, v);
            i++;
        } else if (!strcmp(a, "--present")) {
            st = gpcov_overlay_add_present(ctx, s, v);
            i++;
        } else if (!strcmp(a, "--derive")) {
            st = gpcov_overlay_add_derive(ctx, s, v);
            i++;
        } else if (!strcmp(a, "--x")) {
            st = gpcov_overlay_set_xy(ctx, s, v, NULL, NULL);
            i++;
        } else if (!strcmp(a, "--y")) {
            st = gpcov_overlay_set_xy(ctx, s, NULL, v, NULL);
            i++;
        } else if (!strcmp(a, "--srs")) {
            st = gpcov_overlay_set_xy(ctx, s, NULL, NULL, v);
            i++;
        } else if (!src && (!strcmp(a, "--sheet") || !strcmp(a, "--skip-rows") ||
                            !strcmp(a, "--columns") || !strcmp(a, "--fill-down") ||
                            !strcmp(a, "--snap"))) {
            rc = tool_usage_error("overlay", "%s must follow a --table or --points", a);
            goto out;
        } else if (!strcmp(a, "--sheet")) TAKE(*(char **)&src->topts.layer);
        else if (!strcmp(a, "--columns")) TAKE(*(char **)&src->topts.columns);
        else if (!strcmp(a, "--fill-down")) TAKE(*(char **)&src->topts.fill_down);
        else if (!strcmp(a, "--skip-rows") || !strcmp(a, "--snap")) {
            char *end;
            double d = strtod(v, &end);
            if (*end || d < 0 || (a[2] == 's' && a[3] == 'k' && d > 1e6)) {
                rc = tool_usage_error("overlay", "%s '%s': expected a number >= 0", a, v);
                goto out;
            }
            if (!strcmp(a, "--snap"))
                src->snap = d;
            else
                src->topts.skip_rows = (int)d;
            i++;
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
#undef TAKE
    }
    if (st) {
        fprintf(stderr, "gpcov overlay: %s\n(see 'gpcov overlay --help')\n", gpcov_ctx_message(ctx));
        rc = tool_exit_code(st);
        goto out;
    }
    if (!s->polygons || !s->nsrc || !nouts) {
        rc = tool_usage_error("overlay", "--polygons, at least one --table or --points, and "
                                         "--output are required");
        goto out;
    }
    /* refuse existing outputs before any work is done */
    for (int k = 0; k < nouts; k++) {
        FILE *f;
        if (!wo.overwrite && strncmp(outs[k], "PG:", 3) && (f = fopen(outs[k], "r"))) {
            fclose(f);
            fprintf(stderr, "gpcov: %s: exists already (use --overwrite to replace it)\n", outs[k]);
            rc = EXIT_DATA;
            goto out;
        }
    }
    if (!quiet) {
        gpcov_ctx_free(ctx);
        ctx = tool_ctx(0);
        if (!ctx) {
            rc = EXIT_INTERNAL;
            goto out;
        }
    }
    if ((st = gpcov_overlay_run(ctx, s, &layer))) {
        rc = tool_fail(ctx, st);
        goto out;
    }
    for (int k = 0; k < nouts; k++)
        if ((st = gpcov_layer_write(ctx, layer, outs[k], &wo))) {
            rc = tool_fail(ctx, st);
            goto out;
        }
out:
    gpcov_layer_free(ctx, layer);
    gpcov_overlay_spec_free(s);
    gpcov_ctx_free(ctx);
    return rc;
}
