/*
** cmd_map.c: `gpcov map`, choropleth maps of municipality indicators in the
** figure 3.8 layout (gpcov_map_render_all).  Reads the indicator layer, the
** optional region outlines and point markers, turns each --panel SPEC into
** a panel (panelspec.c), and writes every --output in one go.  Its options
** are one table (opt.h).
*/
#include "cmd.h"
#include "gpcov.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 16

/* What the command line fills in; fo first (figopts.c). */
struct map_args {
    struct fig_opts fo;
    struct gpcov_map_spec spec;
    const char *outs[MAX_LIST];
    size_t nout;
    const char *regions, *points, *point_xy, *point_srs, *style_into;
    const char *where;
    char selnote[700]; /* the attribution line saying what --where kept */
    const char *labels[MAX_LIST + 1]; /* --rule-label, NULL-terminated  */
    size_t nlabels;
    int no_rules;
    int names, no_names;   /* --labels, --no-labels                      */
    const char *name_field;
    char *rules_note;  /* the threat rules in words (rulesnote.c)       */
    size_t nall, nsel; /* units read, and kept by --where               */
    int overwrite, quiet;
};

/* --output DST, at most MAX_LIST. */
static int set_output(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct map_args *a = target;
    (void)op;
    if (a->nout == MAX_LIST)
        return tool_usage_error(cmd, "more than %d --output files", MAX_LIST);
    a->outs[a->nout++] = v;
    return 0;
}

/* --dpi N, 36 to 1200. */
static int set_dpi(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct map_args *a = target;
    char *end;
    (void)op;
    a->spec.dpi = strtod(v, &end);
    if (end == v || *end || !(a->spec.dpi >= 36 && a->spec.dpi <= 1200))
        return tool_usage_error(cmd, "--dpi %s: give 36 to 1200", v);
    return 0;
}

/* --rule-label NAME=TEXT[|UNIT], at most MAX_LIST. */
static int set_label(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct map_args *a = target;
    (void)op;
    if (!strchr(v, '=') || *v == '=')
        return tool_usage_error(cmd, "--rule-label %s: give NAME=TEXT or NAME=TEXT|UNIT", v);
    if (a->nlabels == MAX_LIST)
        return tool_usage_error(cmd, "more than %d --rule-label options", MAX_LIST);
    a->labels[a->nlabels++] = v;
    return 0;
}

/* --no-inset: neither the capital inset nor the Bornholm box. */
static int set_no_inset(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct map_args *a = target;
    (void)cmd, (void)op, (void)v;
    a->spec.inset_copenhagen = a->spec.inset_bornholm = 0;
    return 0;
}

#define F(m) offsetof(struct map_args, m)
static const struct opt options[] = {
    {OPT_INPUT, "--input", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "municipality polygons with the indicators, any OGR source, e.g. "
     "reports/out/municipalities.gpkg", F(fo.in), NULL},
    {OPT_STRING, "--layer", NULL, "NAME", NULL, "the first", 0, "layer of SRC", F(fo.layer),
     NULL},
    {OPT_STRING, "--key", NULL, "FIELD", NULL, GPCOV_KEY_FIELD, OPT_SAID,
     "municipality code field of SRC (default: komkode); '' for a layer without one, e.g. "
     "isochrone bands (then no line is drawn round each polygon)", F(fo.key), NULL},
    {OPT_STRING, "--where", NULL, "EXPR", NULL, "all units", 0,
     "draw only the units where EXPR holds (the expression language of `gpcov query`, e.g. "
     "\"regionkode = '1081'\") and zoom to them: classes are computed over them, and a line "
     "under the map says so; selecting nothing is an error", F(where), NULL},
    {OPT_FLAG, "--labels", NULL, NULL, NULL, "with --where", 0,
     "write each unit's name (--label-field) on the main map where it fits inside the unit and "
     "clear of the other labels (on a national map only the larger units have room)",
     F(names), NULL},
    {OPT_FLAG, "--no-labels", NULL, NULL, NULL, NULL, 0, "no unit names, also with --where",
     F(no_names), NULL},
    {OPT_STRING, "--label-field", NULL, "FIELD", NULL, "name", 0,
     "text field of SRC with the units' names", F(name_field), NULL},
    {OPT_INPUT, "--regions", NULL, "SRC", NULL, "none", OPT_IN,
     "region polygons drawn over the municipalities with a darker line", F(regions), NULL},
    {OPT_INPUT, "--points", NULL, "SRC", NULL, "none", OPT_IN,
     "point markers, e.g. training sites", F(points), NULL},
    {OPT_STRING, "--point-xy", NULL, "X,Y", NULL, "none: SRC has geometries", 0,
     "coordinate columns when SRC is a table such as CSV", F(point_xy), NULL},
    {OPT_STRING, "--point-srs", NULL, "CRS", NULL, "EPSG:4326", 0, "CRS of those columns",
     F(point_srs), NULL},
    {OPT_STRING, "--point-label", NULL, "FIELD", NULL, "none", 0,
     "label beside each marker", F(spec.point_label_field), NULL},
    {OPT_STRING, "--point-legend", NULL, "TEXT", NULL, "none", 0,
     "legend line for the markers", F(spec.point_legend), NULL},
    {OPT_LIST, "--panel", NULL, "SPEC", NULL, NULL, OPT_SAID,
     "one panel (repeatable, 1 to 4), comma-separated items:", 0, fig_set_panel},
    {OPT_TEXT, NULL, NULL, NULL, NULL, NULL, 0,
     "      field=NAME         the field to map (required)\n"
     "      title=TEXT         panel title (default: the field name)\n"
     "      unit=TEXT          unit: up to 3 characters follows each class label\n"
     "                         (\"2.1 - 4.5 %\"), longer heads the legend (default:\n"
     "                         none)\n"
     "      breaks=METHOD      quantile, equal, jenks, or fixed:E0,E1,...,Ek; the\n"
     "                         outer edges may be -inf and inf (default: quantile)\n"
     "      classes=N          1 to 9 (default: 5; fixed: one less than the edges)\n"
     "      decimals=N         decimals in the legend (default: auto)\n"
     "      palette=NAME       blue, red or purple (default: blue)\n"
     "      categorical        a true/false (or 1/0) field: two classes, and a\n"
     "                         third for the text 'undecided' when a unit holds it\n"
     "      true=TEXT          legend label of true (default: yes)\n"
     "      false=TEXT         legend label of false (default: no)\n"
     "      undecided=TEXT     legend label of undecided (default: undecided)\n"
     "      reason=FIELD       text field saying why a unit has no value: one\n"
     "                         legend row per reason (default: none, all under\n"
     "                         --no-data-label)\n"
     "      count=FIELD        legend counts sum FIELD (people), or count=none\n"
     "                         shows none (default: the number of units)\n"
     "      note=TEXT          small text under the legend (default: none);\n"
     "                         note=meta:KEY takes the metadata item KEY of SRC\n"
     "    A comma starts a new item only where NAME= or 'categorical' follows it,\n"
     "    so titles may hold commas: field=a,title=Hej, du,breaks=fixed:0,5,10\n", 0, NULL},
    {OPT_STRING, "--title", NULL, "TEXT", NULL, "none", 0, "main title", F(fo.title), NULL},
    {OPT_LIST, "--attribution", NULL, "TEXT", NULL, "none", OPT_SAID,
     "a line of small print at the bottom (repeatable; default: none)", 0,
     fig_set_attribution},
    {OPT_STRING, "--no-data-label", NULL, "TEXT", NULL, "no data", 0,
     "legend label of missing values", F(fo.nodata_label), NULL},
    {OPT_STRING, "--inset-label", NULL, "TEXT", NULL, "Hovedstadsområdet", 0,
     "label of the capital inset", F(spec.inset_label), NULL},
    {OPT_LIST, "--rule-label", NULL, "NAME=TEXT", NULL, "the names", 0,
     "words for a rule or field name in the rules under the map, e.g. 'ageing=aldring' or "
     "'share80_2035=andel 80+ i 2035|%' (after |: the unit that follows its threshold; "
     "repeatable)", 0, set_label},
    {OPT_FLAG, "--no-rules-note", NULL, NULL, NULL, "printed", 0,
     "when SRC is a threat layer (it has the GPCOV_RULES metadata `gpcov threat` writes), "
     "its rules and their resolved thresholds are printed under the map, in Danish with "
     "--decimal-comma; this leaves them out", F(no_rules), NULL},
    {OPT_FLAG, "--decimal-comma", NULL, NULL, NULL, "1,617.5", 0, "Danish numbers, 1.617,5",
     F(fo.decimal_comma), NULL},
    {OPT_NUMBER, "--dpi", NULL, "N", NULL, "200", 0, "PNG resolution", 0, set_dpi},
    {OPT_FLAG, "--no-inset", NULL, NULL, NULL, "both", 0,
     "no capital inset and no Bornholm box", 0, set_no_inset},
    {OPT_LIST, "--output", NULL, "DST", NULL, NULL, OPT_SAID | OPT_OUT,
     ".png, .svg or .pdf (repeatable: all are written, or none)", 0, set_output},
    {OPT_OUTPUT, "--style-into", NULL, "GPKG", NULL, "no styles", OPT_UPDATE,
     "also write each panel's classes and colours as a QGIS style (QML and SLD) into the "
     "layer_styles table of GPKG, for its layer --layer (default: the first); the first "
     "panel's style is the layer's default. The GeoPackage is replaced together with the "
     "maps, or not at all", F(style_into), NULL},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0,
     "replace existing outputs and styles of the same name", F(overwrite), NULL},
    {OPT_FLAG, "-q", "--quiet", NULL, NULL, "progress on a terminal", 0,
     "no progress, no closing summary line", F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, options, 23}};

/* The line under the map saying what --where kept, in Danish with
** --decimal-comma; whether classes were computed over it. */
static void selection_note(struct map_args *a, size_t kept, size_t all, size_t und)
{
    int computed = 0, da = a->fo.decimal_comma;
    for (size_t i = 0; i < a->fo.np; i++)
        computed |= !a->fo.panels[i].categorical && a->fo.panels[i].method != GPCOV_BREAKS_FIXED;
    const char *what = a->fo.key && *a->fo.key ? (da ? "kommuner" : "municipalities")
                                               : (da ? "enheder" : "units");
    size_t n = (size_t)snprintf(a->selnote, sizeof a->selnote, da ? "Udvalg: %s (%zu af %zu %s)"
                                : "Selection: %s (%zu of %zu %s)", a->where, kept, all, what);
    if (und && n < sizeof a->selnote)
        n += (size_t)snprintf(a->selnote + n, sizeof a->selnote - n,
                              da ? "; %zu kunne ikke afgøres (et felt mangler)"
                                 : "; %zu could not be decided (a field is missing)", und);
    if (computed && n < sizeof a->selnote)
        snprintf(a->selnote + n, sizeof a->selnote - n, "%s",
                 da ? "; klassegrænserne er beregnet over de udvalgte."
                    : "; the class breaks are computed over the selection.");
    if (a->fo.nattr < FIG_MAX_LIST)
        a->fo.attr[a->fo.nattr++] = a->selnote;
}

/* --where: the units cut down to the selection. */
static int select_units(gpcov_ctx *ctx, struct map_args *a, struct gpcov_layer *units)
{
    size_t all = units->n, und = 0;
    gpcov_status st = gpcov_layer_select(ctx, units, a->where, a->fo.in, &und);
    if (st != GPCOV_OK)
        return tool_fail(ctx, st);
    selection_note(a, units->n, all, und);
    a->nall = all, a->nsel = units->n;
    a->spec.selected = 1;
    return EXIT_OK;
}
const struct opt_cmd opts_map = {
    "map",
    "usage: gpcov map --input SRC --panel SPEC [--panel SPEC ...] --output DST\n"
    "                 [options]\n"
    "\n"
    "Draws choropleth maps of municipality indicators, one panel per SPEC side\n"
    "by side, lettered (a), (b), ..., with a legend, a scale bar, a zoomed\n"
    "inset of the capital area and Bornholm in a box where they help, to PNG,\n"
    "SVG or PDF (by extension).  --where draws one region, say, zoomed.\n",
    groups, 1,
    "\n"
    "example:\n"
    "  gpcov map --input reports/out/municipalities.gpkg \\\n"
    "    --regions shapefiles/regioner.shp \\\n"
    "    --panel 'field=share80_2035,title=Andel 80+ år 2035,unit=%' \\\n"
    "    --panel 'field=designated_2019,categorical,true=Lægedækningstruet' \\\n"
    "    --output fig38.png --output fig38.pdf\n"
    "  gpcov map --input reports/out/municipalities.gpkg --where \"regionkode = '1081'\" \\\n"
    "    --panel 'field=share80_2035,title=Andel 80+ år 2035,unit=%' --output nord.png\n",
    "unknown option: '%s'",
};

/* What goes with what, and --point-xy cut into the point reading options
** (their strings in *xy, for the caller to free). */
static int check_args(struct map_args *a, struct gpcov_read_opts *popts, char **xy)
{
    if (!a->fo.in)
        return tool_usage_error("map", "--input is required");
    if (!a->fo.np)
        return tool_usage_error("map", "at least one --panel is required");
    if (!a->nout)
        return tool_usage_error("map", "at least one --output is required");
    if (a->spec.point_label_field && !a->points)
        return tool_usage_error("map", "--point-label needs --points");
    if (!a->point_xy)
        return EXIT_OK;
    return fig_point_xy("map", a->point_xy, a->point_srs, popts, xy);
}

/* The layers a map reads, freed together. */
struct map_layers {
    struct gpcov_layer *units, *outline, *pts;
};

/* Reads the units, the region outlines and the points, takes the panels'
** notes from the units' metadata, and fills in the spec. */
static int read_layers(gpcov_ctx *ctx, struct map_args *a, const struct gpcov_read_opts *popts,
                       struct map_layers *l)
{
    const char *key = a->fo.key;
    struct gpcov_read_opts uopts = {0};
    uopts.layer = a->fo.layer;
    uopts.key_field = key && *key ? key : NULL; /* --key '': features as they are */
    a->spec.no_unit_borders = !(key && *key); /* bands: no line round each run of cells */
    gpcov_status st;
    if ((st = gpcov_layer_read(ctx, a->fo.in, &uopts, &l->units)) != GPCOV_OK)
        return tool_fail(ctx, st);
    int rc = a->where ? select_units(ctx, a, l->units) : EXIT_OK;
    if (rc != EXIT_OK)
        return rc;
    if (a->regions) {
        struct gpcov_read_opts ro = {0};
        if ((st = gpcov_layer_read(ctx, a->regions, &ro, &l->outline)) != GPCOV_OK)
            return tool_fail(ctx, st);
    }
    if (a->points && (st = gpcov_layer_read(ctx, a->points, popts, &l->pts)) != GPCOV_OK)
        return tool_fail(ctx, st);
    rc = tool_panel_notes(a->fo.in, l->units->metadata, a->fo.panels, a->fo.bufs,
                              a->fo.np, 1);
    if (rc != EXIT_OK)
        return rc;
    struct gpcov_map_spec *spec = &a->spec;
    for (char **m = l->units->metadata; !a->no_rules && m && *m && !a->rules_note; m++)
        if (!strncmp(*m, "GPCOV_RULES=", 12) &&
            (st = gpcov_map_rules_note(ctx, *m + 12, a->labels, a->fo.decimal_comma,
                                       &a->rules_note)) != GPCOV_OK)
            return tool_fail(ctx, st);
    spec->footnote = a->rules_note;
    const char *nf = a->name_field ? a->name_field : "name";
    if (!a->no_names && (a->names || a->where)) {
        int f = gpcov_layer_field(l->units, nf);
        if (f >= 0 && l->units->fields[f].type == GPCOV_STR)
            spec->unit_label_field = nf;
        else if (a->names || a->name_field)
            return tool_usage_error("map", "--labels: %s has no text field '%s' (--label-field)",
                                    a->fo.in, nf);
    }
    spec->units = l->units;
    spec->units_src = a->fo.in;
    spec->outline = l->outline;
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

/* The maps and the styled GeoPackage: all, or none (outset.c).  The styles
** go into a copy of the GeoPackage that replaces it only when the maps were
** written too. */
static int render(gpcov_ctx *ctx, struct map_args *a, struct gpcov_map_legend **legends)
{
    char *style_tmp = NULL;
    size_t np = a->fo.np;
    gpcov_status st;
    if (a->style_into) {
        struct gpcov_qgis_style_opts so = {a->fo.layer, 0, a->overwrite};
        if ((st = gpcov_map_legends(ctx, &a->spec, legends)) != GPCOV_OK ||
            (st = gpcov_qgisstyle_begin(ctx, a->style_into, *legends, np, &so, &style_tmp)) !=
                GPCOV_OK) {
            free(style_tmp);
            return tool_fail(ctx, st);
        }
    }
    gpcov_outset *set = gpcov_outset_new(ctx, a->overwrite);
    if (!set) {
        st = GPCOV_ENOMEM;
        gpcov_atomic_abort(style_tmp);
        free(style_tmp);
    } else if (style_tmp) {
        st = gpcov_outset_adopt(ctx, set, a->style_into, style_tmp); /* the set's now */
    } else {
        st = GPCOV_OK;
    }
    if (st == GPCOV_OK)
        st = gpcov_map_render_into(ctx, &a->spec, a->outs, a->nout, set);
    if (st == GPCOV_OK)
        st = gpcov_outset_commit(ctx, set);
    gpcov_outset_free(set);
    if (st != GPCOV_OK)
        return tool_fail(ctx, st);
    char outs[2000] = "", drew[600] = "";
    for (size_t i = 0; i < a->nout; i++)
        snprintf(outs + strlen(outs), sizeof outs - strlen(outs), "%s%s", i ? ", " : "",
                 a->outs[i]);
    if (a->where)
        snprintf(drew, sizeof drew, "; drew %zu of %zu units, where %s", a->nsel, a->nall,
                 a->where);
    tool_summary(a->quiet, "map", "wrote %s: %zu panel%s%s%s%s", outs, a->spec.npanels,
                 a->spec.npanels == 1 ? "" : "s", a->style_into ? "; QGIS styles into " : "",
                 a->style_into ? a->style_into : "", drew);
    if (!a->quiet && !tool_step_quiet() && a->rules_note)
        fprintf(stderr, "under the map: %s\n", a->rules_note);
    return EXIT_OK;
}

int cmd_map(int argc, char **argv)
{
    struct map_args a;
    memset(&a, 0, sizeof a);
    gpcov_map_spec_init(&a.spec);
    fig_opts_init(&a.fo, GPCOV_MAP_MAX_PANELS);
    a.point_srs = "EPSG:4326";
    struct gpcov_read_opts popts = {0};
    struct map_layers l = {0};
    struct gpcov_map_legend *legends = NULL;
    char *xy = NULL;
    gpcov_ctx *ctx = NULL;
    int rc = opt_parse(&opts_map, argc, argv, (void *const[]){&a});
    if (rc == OPT_HELP)
        rc = EXIT_OK;
    else if (!rc && !(rc = check_args(&a, &popts, &xy))) {
        if (!(ctx = tool_ctx(a.quiet)))
            rc = EXIT_INTERNAL;
        else if (!(rc = read_layers(ctx, &a, &popts, &l)))
            rc = render(ctx, &a, &legends);
    }
    gpcov_map_legends_free(legends, a.fo.np);
    if (ctx) {
        gpcov_layer_free(ctx, l.units);
        gpcov_layer_free(ctx, l.outline);
        gpcov_layer_free(ctx, l.pts);
        gpcov_ctx_free(ctx);
    }
    fig_opts_clear(&a.fo);
    free(a.rules_note);
    free(xy);
    return rc;
}
