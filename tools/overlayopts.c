/*
** overlayopts.c: the overlay's options (polygons, tables, points and their
** declarations), parsed in one place for `gpcov overlay` and for the
** commands built on an overlay (`gpcov population`).
*/
#include "cmd.h"

#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char overlay_options_help[] =
    "Polygons:\n"
    "  --polygons SRC        polygons, any OGR source (required); parts sharing a key\n"
    "                        are dissolved\n"
    "  --polygon-layer NAME  layer of SRC (default: the first)\n"
    "  --polygon-key FIELD   key field (default: POLYFIELD of the first --key)\n"
    "  --name-field FIELD    copied to the output field 'name' (default: none)\n"
    "  --keep FIELD          copy a polygon field as it is (repeatable)\n"
    "  --key-out NAME        output name of the key field (default: komkode)\n"
    "  --exempt KEY[,KEY]    polygons that may lack rows in every table, e.g. 0411\n"
    "                        (default: none)\n"
    "  --allow-missing       polygons without rows get empty values, no error\n"
    "\n"
    "Sources (the options after a source apply to it):\n"
    "  --table SRC           CSV (comma/semicolon/tab), XLSX, ODS or any OGR layer\n"
    "                        (repeatable)\n"
    "  --points SRC          points, joined to the polygon containing them; a CSV\n"
    "                        takes its coordinates from lon/lat (or --x/--y) columns\n"
    "                        (repeatable)\n"
    "  --key POLYFIELD=TABLEFIELD   join key of a table (required for each --table)\n"
    "  --where COND          keep only rows where COND holds, e.g. \"level = 'kommune'\"\n"
    "                        (default: every row)\n"
    "  --field NAME=EXPR     a value from the one row of each key (repeatable)\n"
    "  --agg NAME=FN(EXPR) [WHERE COND]   aggregate the rows of each key; FN is sum,\n"
    "                        count, mean, min, max or first; e.g.\n"
    "                        \"pop80=sum(total) where age >= 80\" (repeatable)\n"
    "  --present NAME        true where the key has a row, false elsewhere\n"
    "                        (default: none)\n"
    "  --optional            polygons without rows in this source are allowed\n"
    "  --sheet NAME          sheet or layer of the source (default: the first)\n"
    "  --skip-rows N         rows above the header in a raw spreadsheet (default 0)\n"
    "  --columns A,B,...     names for the columns, the file then has no header row\n"
    "                        (default: the header row)\n"
    "  --fill-down A,B       blank cells take the value above, for merged cells\n"
    "                        (default: none)\n"
    "  --x FIELD --y FIELD   coordinate columns of --points (default lon/lat)\n"
    "  --srs CRS             CRS of coordinates without one (default EPSG:4326)\n"
    "  --snap METRES         a point outside every polygon joins the nearest one\n"
    "                        within this distance (default 1000)\n"
    "  --sample NAME=SRC.tif the raster's value at each point of --points becomes\n"
    "                        field NAME, e.g. minutes=commute_minutes.tif, then\n"
    "                        \"far=sum(pop) where minutes > 60\" (repeatable)\n"
    "\n"
    "Derived fields:\n"
    "  --derive NAME=EXPR    over the joined fields, in order, e.g.\n"
    "                        \"share80=pct(pop80, pop)\", \"g=growth(a_2026, a_2035)\"\n"
    "                        (repeatable)\n"
    "  NAME:TYPE=...         declares a type: text, int, real or bool (default: inferred)\n"
    "\n"
    "Expressions: numbers, 'text', names (\"quoted\" with spaces), + - * /,\n"
    "  = != < <= > >=, AND OR NOT, IN (...), BETWEEN, IS [NOT] NULL, and pct(a,b),\n"
    "  growth(a,b), min, max, abs, round(x,n), coalesce, if(c,a,b).\n";

static int take(char **field, const char *v, int *i)
{
    free(*field);
    *field = strdup(v);
    ++*i;
    return 1;
}

int overlay_option(const char *cmd, gpcov_ctx *ctx, struct gpcov_overlay_spec *s, int argc,
                   char **argv, int *i, gpcov_status *st)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    struct gpcov_src_spec *src = s->nsrc ? &s->src[s->nsrc - 1] : NULL;
    *st = GPCOV_OK;
    if (!strcmp(a, "--allow-missing")) {
        s->allow_missing = 1;
        return 1;
    }
    if (!strcmp(a, "--optional")) {
        *st = gpcov_overlay_set_optional(ctx, s);
        return 1;
    }
    static const char *const with_value[] = {
        "--polygons", "--polygon-layer", "--polygon-key", "--name-field", "--key-out", "--keep",
        "--exempt", "--table", "--points", "--key", "--where", "--field", "--agg", "--present",
        "--derive", "--x", "--y", "--srs", "--sheet", "--columns", "--fill-down", "--skip-rows",
        "--snap", "--sample"};
    size_t k = 0;
    while (k < sizeof with_value / sizeof *with_value && strcmp(a, with_value[k]))
        k++;
    if (k == sizeof with_value / sizeof *with_value)
        return 0;
    if (!v) {
        tool_usage_error(cmd, "%s needs a value", a);
        return -1;
    }
    if (!strcmp(a, "--polygons")) return take(&s->polygons, v, i);
    if (!strcmp(a, "--polygon-layer")) return take(&s->poly_layer, v, i);
    if (!strcmp(a, "--polygon-key")) return take(&s->poly_key, v, i);
    if (!strcmp(a, "--name-field")) return take(&s->name_field, v, i);
    if (!strcmp(a, "--key-out")) return take(&s->key_out, v, i);
    ++*i;
    if (!strcmp(a, "--keep")) {
        s->keep = CSLAddString(s->keep, v);
    } else if (!strcmp(a, "--exempt")) {
        char **parts = CSLTokenizeString2(v, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES);
        for (char **p = parts; p && *p; p++) {
            char key[64];
            if (gpcov_key_normalise(*p, key, sizeof key) == 0)
                s->exempt = CSLAddString(s->exempt, key);
        }
        CSLDestroy(parts);
    } else if (!strcmp(a, "--table")) *st = gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, v);
    else if (!strcmp(a, "--points")) *st = gpcov_overlay_add_source(ctx, s, GPCOV_SRC_POINTS, v);
    else if (!strcmp(a, "--key")) *st = gpcov_overlay_set_key(ctx, s, v);
    else if (!strcmp(a, "--where")) *st = gpcov_overlay_set_where(ctx, s, v);
    else if (!strcmp(a, "--field")) *st = gpcov_overlay_add_field(ctx, s, v);
    else if (!strcmp(a, "--agg")) *st = gpcov_overlay_add_agg(ctx, s, v);
    else if (!strcmp(a, "--present")) *st = gpcov_overlay_add_present(ctx, s, v);
    else if (!strcmp(a, "--derive")) *st = gpcov_overlay_add_derive(ctx, s, v);
    else if (!strcmp(a, "--sample")) *st = gpcov_overlay_add_sample(ctx, s, v);
    else if (!strcmp(a, "--x")) *st = gpcov_overlay_set_xy(ctx, s, v, NULL, NULL);
    else if (!strcmp(a, "--y")) *st = gpcov_overlay_set_xy(ctx, s, NULL, v, NULL);
    else if (!strcmp(a, "--srs")) *st = gpcov_overlay_set_xy(ctx, s, NULL, NULL, v);
    else if (!src) {
        tool_usage_error(cmd, "%s must follow a --table or --points", a);
        return -1;
    } else if (!strcmp(a, "--sheet")) {
        free((char *)src->topts.layer);
        src->topts.layer = strdup(v);
    } else if (!strcmp(a, "--columns")) {
        free((char *)src->topts.columns);
        src->topts.columns = strdup(v);
    } else if (!strcmp(a, "--fill-down")) {
        free((char *)src->topts.fill_down);
        src->topts.fill_down = strdup(v);
    } else {
        char *end;
        double d = strtod(v, &end);
        if (*end || end == v || d < 0 || (!strcmp(a, "--skip-rows") && d > 1e6)) {
            tool_usage_error(cmd, "%s '%s': expected a number >= 0", a, v);
            return -1;
        }
        if (!strcmp(a, "--snap"))
            src->snap = d;
        else
            src->topts.skip_rows = (int)d;
    }
    return 1;
}
