/*
** cmd_webmap.c: `gpcov webmap`, one self-contained interactive HTML map of
** municipality indicators (gpcov_webmap_write): reads the indicator layer,
** any layers to join, the regions and the markers, turns each --panel SPEC
** (the same SPEC as `gpcov map`) into a switchable indicator, keeps the
** municipalities --where selects, and writes the page.  Its options are
** one table (opt.h).
*/
#include "cmd.h"
#include "gpcov.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 16

/* What the command line fills in; fo first (figopts.c). */
struct webmap_args {
    struct fig_opts fo;
    struct gpcov_webmap_spec spec;
    const char *join_src[MAX_LIST];
    size_t njoin;
    const char *out;
    const char *regions, *points, *point_xy, *point_srs;
    int overwrite, quiet;
};

/* --output DST, once; --join SRC, at most MAX_LIST. */
static int set_file(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct webmap_args *a = target;
    if (!strcmp(op->name, "--output")) {
        int twice = a->out != NULL;
        a->out = v;
        return twice ? tool_usage_error(cmd, "one --output only") : 0;
    }
    if (a->njoin == MAX_LIST)
        return tool_usage_error(cmd, "more than %d --join layers", MAX_LIST);
    a->join_src[a->njoin++] = v;
    return 0;
}

/* --simplify METRES (0 to 10000) and --precision N (1 to 15). */
static int set_number(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct webmap_args *a = target;
    char *end;
    if (!strcmp(op->name, "--simplify")) {
        a->spec.simplify = strtod(v, &end);
        if (end == v || *end || !(a->spec.simplify >= 0 && a->spec.simplify <= 10000))
            return tool_usage_error(cmd, "--simplify %s: give 0 to 10000 metres", v);
        return 0;
    }
    long p = strtol(v, &end, 10);
    if (end == v || *end || p < 1 || p > 15)
        return tool_usage_error(cmd, "--precision %s: give 1 to 15", v);
    a->spec.precision = (int)p;
    return 0;
}

#define F(m) offsetof(struct webmap_args, m)
static const struct opt options[] = {
    {OPT_INPUT, "--input", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "municipality polygons with the indicators, any OGR source, e.g. "
     "reports/out/municipalities.gpkg", F(fo.in), NULL},
    {OPT_STRING, "--layer", NULL, "NAME", NULL, "the first", 0, "layer of SRC", F(fo.layer),
     NULL},
    {OPT_STRING, "--key", NULL, "FIELD", NULL, GPCOV_KEY_FIELD, 0,
     "municipality code field of SRC and of every --join", F(fo.key), NULL},
    {OPT_STRING, "--name-field", NULL, "FIELD", NULL, "name", 0,
     "municipality name field of SRC", F(spec.name_field), NULL},
    {OPT_STRING, "--where", NULL, "EXPR", NULL, "all", 0,
     "only the municipalities where EXPR holds (the expression language of `gpcov query`, "
     "over the fields of SRC and the --join layers), e.g. \"regionkode = '1081'\": the view "
     "fits them and the classes and counts are theirs; one it cannot decide (a field it "
     "needs is empty) is left out and named", F(spec.where), NULL},
    {OPT_LIST, "--join", NULL, "SRC", NULL, "none", OPT_SAID | OPT_IN,
     "another keyed layer (e.g. threat.gpkg, fee.gpkg): a panel field SRC lacks is taken "
     "from the first --join that has it (repeatable; default: none)", 0, set_file},
    {OPT_LIST, "--panel", NULL, "SPEC", NULL, "none", OPT_SAID,
     "one indicator (repeatable, 1 to 16), the SPEC of `gpcov map --panel`: field=, title=, "
     "unit=, breaks=, classes=, decimals= (also the popup's decimals; auto: 1), palette=, "
     "categorical, true=, false=, undecided=, reason= (the popup says why a value is "
     "missing), count=, note= (default: none)", 0, fig_set_panel},
    {OPT_INPUT, "--regions", NULL, "SRC", NULL, "none", OPT_IN,
     "region polygons drawn as borders over the municipalities", F(regions), NULL},
    {OPT_INPUT, "--points", NULL, "SRC", NULL, "none", OPT_IN,
     "point markers, e.g. training sites, each with a popup of its fields", F(points), NULL},
    {OPT_STRING, "--point-xy", NULL, "X,Y", NULL, "none: SRC has geometries", 0,
     "coordinate columns when SRC is a table such as CSV", F(point_xy), NULL},
    {OPT_STRING, "--point-srs", NULL, "CRS", NULL, "EPSG:4326", 0, "CRS of those columns",
     F(point_srs), NULL},
    {OPT_STRING, "--point-label", NULL, "FIELD", NULL, "none", 0,
     "label beside each marker and title of its popup", F(spec.point_label_field), NULL},
    {OPT_STRING, "--point-legend", NULL, "TEXT", NULL, "none", 0,
     "legend line for the markers", F(spec.point_legend), NULL},
    {OPT_STRING, "--title", NULL, "TEXT", NULL, "none", 0, "page and map title", F(fo.title),
     NULL},
    {OPT_LIST, "--attribution", NULL, "TEXT", NULL, "none", OPT_SAID,
     "a line of sources on the map (repeatable; default: none)", 0, fig_set_attribution},
    {OPT_STRING, "--no-data-label", NULL, "TEXT", NULL, "no data", 0,
     "legend and popup text of missing values", F(fo.nodata_label), NULL},
    {OPT_FLAG, "--decimal-comma", NULL, NULL, NULL, "1,617.5, English", 0,
     "Danish numbers, 1.617,5, and the page in Danish", F(fo.decimal_comma), NULL},
    {OPT_NUMBER, "--simplify", NULL, "METRES", NULL, "30", 0,
     "GEOS topology-preserving simplification tolerance, 0 for none", 0, set_number},
    {OPT_NUMBER, "--precision", NULL, "N", NULL, "5", 0, "decimals of longitude and latitude",
     0, set_number},
    {OPT_OUTPUT, "--output", NULL, "DST", NULL, NULL, OPT_REQUIRED | OPT_OUT, "the .html file", 0,
     set_file},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace an existing output",
     F(overwrite), NULL},
    {OPT_FLAG, "-q", "--quiet", NULL, NULL, "a summary line", 0, "no progress or summary",
     F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, options, 23}};
const struct opt_cmd opts_webmap = {
    "webmap",
    "usage: gpcov webmap --input SRC --panel SPEC [--panel SPEC ...] --output DST.html\n"
    "                    [options]\n"
    "\n"
    "Writes one HTML file that shows the municipalities on an interactive map\n"
    "(Leaflet, compiled into gpcov): one indicator at a time, switchable, with\n"
    "a legend of the same classes, labels and colours as `gpcov map` draws for\n"
    "the same SPEC, and a popup with every indicator of a clicked municipality\n"
    "(and the rules that fired, when a --join layer is the threat layer), a\n"
    "municipality search by name or code, markers, region borders and a scale\n"
    "bar; --where keeps one region, say, and fits the view to it.  Everything\n"
    "is inside the file (no tiles, no fonts, no scripts from the network); the\n"
    "GeoJSON is RFC 7946 lon/lat, simplified with GEOS.\n",
    groups, 1,
    "\n"
    "example:\n"
    "  gpcov webmap --input reports/out/municipalities.gpkg \\\n"
    "    --join reports/out/threat.gpkg --decimal-comma \\\n"
    "    --panel 'field=share80_2035,title=Andel 80+ år 2035,unit=%,decimals=1' \\\n"
    "    --panel 'field=threatened,categorical,true=Truet,false=Ikke truet' \\\n"
    "    --title 'Ældre borgere og lægedækning' --output kort.html\n"
    "  gpcov webmap --input reports/out/municipalities.gpkg \\\n"
    "    --join reports/out/threat.gpkg --where \"regionkode = '1081'\" \\\n"
    "    --regions shapefiles/regioner.shp --points training.csv --point-label town \\\n"
    "    --panel 'field=share80_2035,title=Andel 80+ år 2035,unit=%' --output nord.html\n",
    "unknown option: '%s'",
};

/* What goes with what, and --point-xy cut into the point reading options
** (their strings in *xy, for the caller to free). */
static int check_args(struct webmap_args *a, struct gpcov_read_opts *popts, char **xy)
{
    if (!a->fo.in)
        return tool_usage_error("webmap", "--input is required");
    if (!a->fo.np)
        return tool_usage_error("webmap", "at least one --panel is required");
    if (!a->out)
        return tool_usage_error("webmap", "--output is required");
    if (!a->fo.key || !*a->fo.key)
        return tool_usage_error("webmap", "--key: give the code field");
    if (a->spec.point_label_field && !a->points)
        return tool_usage_error("webmap", "--point-label needs --points");
    if (a->spec.point_legend && !a->points)
        return tool_usage_error("webmap", "--point-legend needs --points");
    if (a->spec.where && !*a->spec.where)
        return tool_usage_error("webmap", "--where: give a condition");
    if (!a->point_xy)
        return EXIT_OK;
    return fig_point_xy("webmap", a->point_xy, a->point_srs, popts, xy);
}

/* The layers a web map reads, freed together. */
struct webmap_layers {
    struct gpcov_layer *units, *joins[MAX_LIST], *outline, *pts;
};

/* Reads the units, the layers to join, the regions and the markers. */
static int read_sources(gpcov_ctx *ctx, const struct webmap_args *a,
                        const struct gpcov_read_opts *popts, struct webmap_layers *l)
{
    gpcov_status st;
    struct gpcov_read_opts uopts = {0};
    uopts.layer = a->fo.layer;
    uopts.key_field = a->fo.key;
    if ((st = gpcov_layer_read(ctx, a->fo.in, &uopts, &l->units)) != GPCOV_OK)
        return tool_fail(ctx, st);
    for (size_t k = 0; k < a->njoin; k++) {
        struct gpcov_read_opts jo = {0};
        jo.key_field = a->fo.key;
        if ((st = gpcov_layer_read(ctx, a->join_src[k], &jo, &l->joins[k])) != GPCOV_OK)
            return tool_fail(ctx, st);
    }
    struct gpcov_read_opts ro = {0};
    if (a->regions && (st = gpcov_layer_read(ctx, a->regions, &ro, &l->outline)) != GPCOV_OK)
        return tool_fail(ctx, st);
    if (a->points && (st = gpcov_layer_read(ctx, a->points, popts, &l->pts)) != GPCOV_OK)
        return tool_fail(ctx, st);
    return EXIT_OK;
}

/* Reads the layers, takes the indicators' notes from the units' metadata,
** and fills in the spec. */
static int read_layers(gpcov_ctx *ctx, struct webmap_args *a, const struct gpcov_read_opts *popts,
                       struct webmap_layers *l)
{
    int rc = read_sources(ctx, a, popts, l);
    if (rc != EXIT_OK)
        return rc;
    rc = tool_panel_notes(a->fo.in, l->units->metadata, a->fo.panels, a->fo.bufs, a->fo.np, 0);
    if (rc != EXIT_OK)
        return rc;
    struct gpcov_webmap_spec *spec = &a->spec;
    spec->units = l->units;
    spec->units_src = a->fo.in;
    spec->joins = (const struct gpcov_layer *const *)l->joins;
    spec->joins_src = a->join_src;
    spec->njoins = a->njoin;
    spec->outline = l->outline;
    spec->outline_src = a->regions;
    spec->points = l->pts;
    spec->points_src = a->points;
    spec->npanels = a->fo.np;
    spec->panels = a->fo.panels;
    spec->attribution = a->fo.nattr ? a->fo.attr : NULL;
    spec->title = a->fo.title;
    spec->nodata_label = a->fo.nodata_label;
    spec->decimal_comma = a->fo.decimal_comma;
    return EXIT_OK;
}

/* Writes the page and says what it holds: the units shown (of how many,
** and where), and those the condition could not decide. */
static int write_page(gpcov_ctx *ctx, const struct webmap_args *a)
{
    struct gpcov_webmap_info info;
    size_t np = a->fo.np;
    gpcov_status st = gpcov_webmap_write(ctx, &a->spec, a->out, a->overwrite, &info);
    if (st != GPCOV_OK)
        return tool_fail(ctx, st);
    char shown[400];
    if (a->spec.where)
        snprintf(shown, sizeof shown, "%zu of %zu municipalities where %s", info.features,
                 info.units_in, a->spec.where);
    else
        snprintf(shown, sizeof shown, "%zu municipalities", info.features);
    tool_summary(a->quiet, "webmap",
            "wrote %s (%.1f MB: %s, %zu indicator%s; GeoJSON %.1f MB, %zu of %zu vertices "
            "kept)",
            a->out, info.bytes / 1e6, shown, np, np == 1 ? "" : "s", info.geojson_bytes / 1e6,
            info.vertices_out, info.vertices_in);
    if (info.undecided && !a->quiet)
        fprintf(stderr, "%zu municipalit%s undecided (%s missing), not shown: %s\n",
                info.undecided, info.undecided == 1 ? "y" : "ies", info.missing,
                info.undecided_list);
    return EXIT_OK;
}

int cmd_webmap(int argc, char **argv)
{
    struct webmap_args a;
    memset(&a, 0, sizeof a);
    gpcov_webmap_spec_init(&a.spec);
    fig_opts_init(&a.fo, GPCOV_WEBMAP_MAX_PANELS);
    a.point_srs = "EPSG:4326";
    struct gpcov_read_opts popts = {0};
    struct webmap_layers l;
    memset(&l, 0, sizeof l);
    char *xy = NULL;
    gpcov_ctx *ctx = NULL;
    int rc = opt_parse(&opts_webmap, argc, argv, (void *const[]){&a});
    if (rc == OPT_HELP)
        rc = EXIT_OK;
    else if (!rc && !(rc = check_args(&a, &popts, &xy))) {
        if (!(ctx = tool_ctx(a.quiet)))
            rc = EXIT_INTERNAL;
        else if (!(rc = read_layers(ctx, &a, &popts, &l)))
            rc = write_page(ctx, &a);
    }
    if (ctx) {
        gpcov_layer_free(ctx, l.units);
        for (size_t i = 0; i < a.njoin; i++)
            gpcov_layer_free(ctx, l.joins[i]);
        gpcov_layer_free(ctx, l.outline);
        gpcov_layer_free(ctx, l.pts);
        gpcov_ctx_free(ctx);
    }
    fig_opts_clear(&a.fo);
    free(xy);
    return rc;
}
