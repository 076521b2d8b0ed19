/*
** overlayopts.c: the overlay's options (polygons, tables, points and their
** declarations), parsed in one place for `gpcov overlay` and for the
** commands built on an overlay (`gpcov population`): one table (opt.h)
** whose setters hand each declaration to the library as it comes.
*/
#include "cmd.h"

#include <cpl_string.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string of the spec (off: its offset in struct gpcov_overlay_spec),
** replacing an earlier one. */
static int set_spec_str(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct overlay_args *a = target;
    char **field = (char **)((char *)a->s + op->off);
    (void)cmd;
    free(*field);
    *field = strdup(v);
    return 0;
}

/* --keep FIELD and --exempt KEY[,KEY] (keys normalised). */
static int set_spec_list(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct gpcov_overlay_spec *s = ((struct overlay_args *)target)->s;
    (void)cmd;
    if (!strcmp(op->name, "--keep")) {
        s->keep = CSLAddString(s->keep, v);
        return 0;
    }
    char **parts = CSLTokenizeString2(v, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES);
    for (char **p = parts; p && *p; p++) {
        char key[64];
        if (gpcov_key_normalise(*p, key, sizeof key) == 0)
            s->exempt = CSLAddString(s->exempt, key);
    }
    CSLDestroy(parts);
    return 0;
}

/* The declarations the library checks: a source, or what applies to the
** last one; a refused declaration ends the command with the library's word. */
static int set_decl(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct overlay_args *a = target;
    gpcov_ctx *ctx = a->ctx;
    struct gpcov_overlay_spec *s = a->s;
    const char *n = op->name;
    gpcov_status st;
    if (!strcmp(n, "--allow-missing")) s->allow_missing = 1, st = GPCOV_OK;
    else if (!strcmp(n, "--optional")) st = gpcov_overlay_set_optional(ctx, s);
    else if (!strcmp(n, "--table")) st = gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, v);
    else if (!strcmp(n, "--points")) st = gpcov_overlay_add_source(ctx, s, GPCOV_SRC_POINTS, v);
    else if (!strcmp(n, "--key")) st = gpcov_overlay_set_key(ctx, s, v);
    else if (!strcmp(n, "--where")) st = gpcov_overlay_set_where(ctx, s, v);
    else if (!strcmp(n, "--field")) st = gpcov_overlay_add_field(ctx, s, v);
    else if (!strcmp(n, "--agg")) st = gpcov_overlay_add_agg(ctx, s, v);
    else if (!strcmp(n, "--present")) st = gpcov_overlay_add_present(ctx, s, v);
    else if (!strcmp(n, "--derive")) st = gpcov_overlay_add_derive(ctx, s, v);
    else if (!strcmp(n, "--sample")) st = gpcov_overlay_add_sample(ctx, s, v);
    else if (!strcmp(n, "--x")) st = gpcov_overlay_set_xy(ctx, s, v, NULL, NULL);
    else if (!strcmp(n, "--y")) st = gpcov_overlay_set_xy(ctx, s, NULL, v, NULL);
    else st = gpcov_overlay_set_xy(ctx, s, NULL, NULL, v); /* --srs */
    return st ? tool_option_fail(cmd, ctx, st) : 0;
}

/* The options of the last source: --sheet, --columns, --fill-down (text),
** --snap and --skip-rows (numbers >= 0). */
static int set_src(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct gpcov_overlay_spec *s = ((struct overlay_args *)target)->s;
    const char *n = op->name;
    if (!s->nsrc)
        return tool_usage_error(cmd, "%s must follow a --table or --points", n);
    struct gpcov_src_spec *src = &s->src[s->nsrc - 1];
    const char **text = !strcmp(n, "--sheet")       ? &src->topts.layer
                        : !strcmp(n, "--columns")   ? &src->topts.columns
                        : !strcmp(n, "--fill-down") ? &src->topts.fill_down
                                                    : NULL;
    if (text) {
        free((char *)*text);
        *text = strdup(v);
        return 0;
    }
    char *end;
    double d = strtod(v, &end);
    if (*end || end == v || d < 0 || (!strcmp(n, "--skip-rows") && d > 1e6))
        return tool_usage_error(cmd, "%s '%s': expected a number >= 0", n, v);
    if (!strcmp(n, "--snap"))
        src->snap = d;
    else
        src->topts.skip_rows = (int)d;
    return 0;
}

#define S(m) offsetof(struct gpcov_overlay_spec, m)
const struct opt overlay_options[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Polygons:", 0, NULL},
    {OPT_INPUT, "--polygons", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "polygons, any OGR source; parts sharing a key are dissolved", S(polygons), set_spec_str},
    {OPT_STRING, "--polygon-layer", NULL, "NAME", NULL, "the first", 0, "layer of SRC",
     S(poly_layer), set_spec_str},
    {OPT_STRING, "--polygon-key", NULL, "FIELD", NULL, "POLYFIELD of the first --key", 0,
     "key field", S(poly_key), set_spec_str},
    {OPT_STRING, "--name-field", NULL, "FIELD", NULL, "none", 0,
     "copied to the output field 'name'", S(name_field), set_spec_str},
    {OPT_LIST, "--keep", NULL, "FIELD", NULL, NULL, 0, "copy a polygon field as it is", 0,
     set_spec_list},
    {OPT_STRING, "--key-out", NULL, "NAME", NULL, GPCOV_KEY_FIELD, 0,
     "output name of the key field", S(key_out), set_spec_str},
    {OPT_INPUT, "--regions", NULL, "SRC", NULL, "none", OPT_IN,
     "region polygons, e.g. shapefiles/regioner.shp: each polygon's region code and name "
     "beside its key (regionkode, regionnavn), from the region holding its interior point",
     S(regions), set_spec_str},
    {OPT_STRING, "--regions-key", NULL, "FIELD", NULL, "code", 0, "the regions' code field",
     S(regions_key), set_spec_str},
    {OPT_STRING, "--regions-name", NULL, "FIELD", NULL, "name", 0, "the regions' name field",
     S(regions_name), set_spec_str},
    {OPT_LIST, "--exempt", NULL, "KEY[,KEY]", NULL, "none", 0,
     "polygons that may lack rows in every table, e.g. 0411", 0, set_spec_list},
    {OPT_FLAG, "--allow-missing", NULL, NULL, NULL, NULL, 0,
     "polygons without rows get empty values, no error", 0, set_decl},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Sources (the options after a source apply to it):", 0, NULL},
    {OPT_LIST, "--table", NULL, "SRC", NULL, NULL, OPT_IN,
     "CSV (comma/semicolon/tab), XLSX, ODS or any OGR layer; title rows above the header "
     "are skipped (the header is the first row naming the --key column, else the first "
     "with two or more cells)", 0, set_decl},
    {OPT_LIST, "--points", NULL, "SRC", NULL, NULL, OPT_IN,
     "points, joined to the polygon containing them; a CSV takes its coordinates from "
     "lon/lat (or --x/--y) columns", 0, set_decl},
    {OPT_STRING, "--key", NULL, "POLYFIELD=TABLEFIELD", NULL, NULL, 0,
     "join key of a table (required for each --table): codes (\"101\", \"0101\", "
     "\"751 Aarhus\") or municipality names, matched to the --name-field (else "
     "KOMNAVN, name or navn); national, regional and total rows are set aside. A column "
     "name matches regardless of case, surrounding spaces, '_' for a space and a trailing "
     "unit: \"Tilmeldte patienter (antal)\" is tilmeldte_patienter", 0, set_decl},
    {OPT_STRING, "--where", NULL, "COND", NULL, "every row", 0,
     "keep only rows where COND holds, e.g. \"level = 'kommune'\"", 0, set_decl},
    {OPT_LIST, "--field", NULL, "NAME=EXPR", NULL, NULL, 0,
     "a value from the one row of each key", 0, set_decl},
    {OPT_LIST, "--agg", NULL, "NAME=FN(EXPR) [WHERE COND]", NULL, NULL, 0,
     "aggregate the rows of each key; FN is sum, count, mean, min, max or first; e.g. "
     "\"pop80=sum(total) where age >= 80\"", 0, set_decl},
    {OPT_STRING, "--present", NULL, "NAME", NULL, "none", 0,
     "true where the key has a row, false elsewhere", 0, set_decl},
    {OPT_FLAG, "--optional", NULL, NULL, NULL, NULL, 0,
     "polygons without rows in this source are allowed", 0, set_decl},
    {OPT_STRING, "--sheet", NULL, "NAME", NULL, "the first", 0,
     "sheet or layer of the source", 0, set_src},
    {OPT_NUMBER, "--skip-rows", NULL, "N", NULL, "0", 0,
     "rows above the header in a raw spreadsheet", 0, set_src},
    {OPT_STRING, "--columns", NULL, "A,B,...", NULL, "the header row", 0,
     "names for the columns, the file then has no header row", 0, set_src},
    {OPT_STRING, "--fill-down", NULL, "A,B", NULL, "none", 0,
     "blank cells take the value above, for merged cells", 0, set_src},
    {OPT_STRING, "--x", NULL, "FIELD", NULL, "lon", 0, "x coordinate column of --points", 0,
     set_decl},
    {OPT_STRING, "--y", NULL, "FIELD", NULL, "lat", 0, "y coordinate column of --points", 0,
     set_decl},
    {OPT_STRING, "--srs", NULL, "CRS", NULL, "EPSG:4326", 0, "CRS of coordinates without one",
     0, set_decl},
    {OPT_NUMBER, "--snap", NULL, "METRES", NULL, "1000", 0,
     "a point outside every polygon joins the nearest one within this distance", 0, set_src},
    {OPT_LIST, "--sample", NULL, "NAME=SRC.tif", NULL, NULL, OPT_NAMED,
     "the raster's value at each point of --points becomes field NAME, e.g. "
     "minutes=commute_minutes.tif, then \"far=sum(pop) where minutes > 60\"", 0, set_decl},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Derived fields:", 0, NULL},
    {OPT_LIST, "--derive", NULL, "NAME=EXPR", NULL, NULL, 0,
     "over the joined fields, in order, e.g. \"share80=pct(pop80, pop)\", "
     "\"g=growth(a_2026, a_2035)\"", 0, set_decl},
    {OPT_TEXT, NULL, NULL, NULL, NULL, NULL, 0,
     "  NAME:TYPE=...         declares a type: text, int, real or bool (default: inferred)\n"
     "\n"
     "Expressions: numbers, 'text', names (\"quoted\" with spaces), + - * /,\n"
     "  = != < <= > >=, AND OR NOT, IN (...), BETWEEN, IS [NOT] NULL, and pct(a,b),\n"
     "  growth(a,b), min, max, abs, round(x,n), coalesce, if(c,a,b).\n", 0, NULL},
    {0},
};
#undef S
