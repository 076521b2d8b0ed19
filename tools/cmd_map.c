/*
** cmd_map.c: `gpcov map`, choropleth maps of municipality indicators in the
** figure 3.8 layout (gpcov_map_render_all).  Reads the indicator layer, the
** optional region outlines and point markers, turns each --panel SPEC into
** a panel, and writes every --output in one go.
*/
#include "cmd.h"
#include "gpcov.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: gpcov map --input SRC --panel SPEC [--panel SPEC ...] --output DST\n"
    "                 [options]\n"
    "\n"
    "Draws choropleth maps of municipality indicators, one panel per SPEC side\n"
    "by side, lettered (a), (b), ..., with a legend, a zoomed inset of the\n"
    "capital area and Bornholm in a box, to PNG, SVG or PDF (by extension).\n"
    "\n"
    "  --input SRC          municipality polygons with the indicators, any OGR\n"
    "                       source, e.g. reports/out/municipalities.gpkg (required)\n"
    "  --layer NAME         layer of SRC (default: the first)\n"
    "  --key FIELD          municipality code field of SRC (default: komkode);\n"
    "                       '' for a layer without one, e.g. isochrone bands (then\n"
    "                       no line is drawn round each polygon)\n"
    "  --regions SRC        region polygons drawn over the municipalities with a\n"
    "                       darker line (default: none)\n"
    "  --points SRC         point markers, e.g. training sites (default: none)\n"
    "  --point-xy X,Y       coordinate columns when SRC is a table such as CSV\n"
    "                       (default: none: SRC has geometries)\n"
    "  --point-srs CRS      CRS of those columns (default: EPSG:4326)\n"
    "  --point-label FIELD  label beside each marker (default: none)\n"
    "  --point-legend TEXT  legend line for the markers (default: none)\n"
    "  --panel SPEC         one panel (repeatable, 1 to 4), comma-separated items:\n"
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
    "    so titles may hold commas: field=a,title=Hej, du,breaks=fixed:0,5,10\n"
    "  --title TEXT         main title (default: none)\n"
    "  --attribution TEXT   a line of small print at the bottom (repeatable;\n"
    "                       default: none)\n"
    "  --no-data-label TEXT\n"
    "                       legend label of missing values (default: no data)\n"
    "  --inset-label TEXT   label of the capital inset (default:\n"
    "                       Hovedstadsområdet)\n"
    "  --decimal-comma      Danish numbers, 1.617,5 (default: 1,617.5)\n"
    "  --dpi N              PNG resolution (default: 200)\n"
    "  --no-inset           no capital inset and no Bornholm box (default: both)\n"
    "  --output DST         .png, .svg or .pdf (repeatable: all are written, or\n"
    "                       none)\n"
    "  --style-into GPKG    also write each panel's classes and colours as a QGIS\n"
    "                       style (QML and SLD) into the layer_styles table of\n"
    "                       GPKG, for its layer --layer (default: the first);\n"
    "                       the first panel's style is the layer's default. The\n"
    "                       GeoPackage is replaced together with the maps, or\n"
    "                       not at all (default: no styles)\n"
    "  --overwrite          replace existing outputs and styles of the same name\n"
    "                       (default: refuse)\n"
    "  -q, --quiet          no progress (default: progress on a terminal)\n"
    "  --help               this text\n"
    "\n"
    "example:\n"
    "  gpcov map --input reports/out/municipalities.gpkg \\\n"
    "    --regions shapefiles/regioner.shp \\\n"
    "    --panel 'field=share80_2035,title=Andel 80+ år 2035,unit=%' \\\n"
    "    --panel 'field=designated_2019,categorical,true=Lægedækningstruet' \\\n"
    "    --output fig38.png --output fig38.pdf\n";

#define MAX_LIST 16

/* Does s start a new item: "NAME=" (NAME made of letters, digits and _,
** starting with a letter), or "categorical" alone?  Any other comma belongs
** to the value before it: a title's "Andel, 80+" or fixed:0,3,5. */
static int item_start(const char *s)
{
    while (*s == ' ')
        s++;
    if (!isalpha((unsigned char)*s))
        return 0;
    const char *e = s;
    while (isalnum((unsigned char)*e) || *e == '_')
        e++;
    size_t n = (size_t)(e - s);
    while (*e == ' ')
        e++;
    if (*e == '=')
        return 1;
    return n == strlen("categorical") && !strncmp(s, "categorical", n) &&
           (*e == ',' || !*e);
}

static int parse_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < -1000 || v > 1000)
        return -1;
    *out = (int)v;
    return 0;
}

/* Parses "E0,E1,...": returns the number of edges, or -1. */
static int parse_edges(const char *s, double **out)
{
    int n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    double *e = malloc((size_t)n * sizeof *e);
    if (!e)
        return -1;
    const char *p = s;
    for (int i = 0; i < n; i++) {
        char *end;
        while (*p == ' ')
            p++;
        e[i] = strtod(p, &end);
        if (end == p) {
            free(e);
            return -1;
        }
        while (*end == ' ')
            end++;
        if (*end != (i + 1 < n ? ',' : '\0')) {
            free(e);
            return -1;
        }
        p = end + 1;
    }
    *out = e;
    return n;
}

/* Fills p from SPEC; returns 0, or EXIT_USAGE after printing why.  Shared
** with `gpcov webmap` (cmd.h), whose indicators take the same SPEC. */
int tool_parse_panel(const char *cmd, const char *spec,
                     struct gpcov_map_panel *p, struct panel_buf *b)
{
    gpcov_map_panel_init(p);
    if (!(b->text = malloc(strlen(spec) + 1)))
        return tool_usage_error(cmd, "out of memory");
    strcpy(b->text, spec);
    char *item = b->text;
    while (item) {
        /* the end of this item: the next comma that starts an item */
        char *next = NULL;
        for (char *c = strchr(item, ','); c; c = strchr(c + 1, ','))
            if (item_start(c + 1)) {
                *c = 0;
                next = c + 1;
                break;
            }
        char *eq = strchr(item, '=');
        char *key = item, *val = NULL;
        if (eq) {
            *eq = 0;
            val = eq + 1;
            while (*val == ' ')
                val++;
            size_t n = strlen(val);
            while (n && val[n - 1] == ' ')
                val[--n] = 0;
        }
        while (*key == ' ')
            key++;
        size_t kn = strlen(key);
        while (kn && key[kn - 1] == ' ')
            key[--kn] = 0;
        if (!*key && !val) {
            item = next;
            continue;
        }
        if (!strcmp(key, "categorical") && !val)
            p->categorical = 1;
        else if (!val)
            return tool_usage_error(cmd, "--panel '%s': '%s' is not KEY=VALUE",
                                    spec, key);
        else if (!strcmp(key, "field"))
            p->field = val;
        else if (!strcmp(key, "title"))
            p->title = val;
        else if (!strcmp(key, "unit"))
            p->unit = val;
        else if (!strcmp(key, "true"))
            p->label_true = val;
        else if (!strcmp(key, "false"))
            p->label_false = val;
        else if (!strcmp(key, "undecided"))
            p->label_undecided = val;
        else if (!strcmp(key, "reason"))
            p->reason_field = val;
        else if (!strcmp(key, "count"))
            p->count_field = val;
        else if (!strcmp(key, "note")) {
            if (!strncmp(val, "meta:", 5))
                b->note_meta = val + 5;
            else
                p->note = val;
        } else if (!strcmp(key, "classes")) {
            if (parse_int(val, &p->classes) != 0 || p->classes < 1 ||
                p->classes > GPCOV_PALETTE_MAX)
                return tool_usage_error(
                    cmd, "--panel '%s': classes=%s: give 1 to %d", spec, val,
                    GPCOV_PALETTE_MAX);
            b->classes_set = 1;
        } else if (!strcmp(key, "decimals")) {
            if (!strcmp(val, "auto"))
                p->decimals = GPCOV_MAP_AUTO;
            else if (parse_int(val, &p->decimals) != 0 || p->decimals < 0 ||
                     p->decimals > 10)
                return tool_usage_error(
                    cmd, "--panel '%s': decimals=%s: give 0 to 10 or auto",
                    spec, val);
        } else if (!strcmp(key, "palette")) {
            if (gpcov_palette_parse(val, &p->palette) != 0)
                return tool_usage_error(
                    cmd, "--panel '%s': palette=%s: use blue, red or purple",
                    spec, val);
        } else if (!strcmp(key, "breaks")) {
            if (!strcmp(val, "quantile"))
                p->method = GPCOV_BREAKS_QUANTILE;
            else if (!strcmp(val, "equal"))
                p->method = GPCOV_BREAKS_EQUAL;
            else if (!strcmp(val, "jenks"))
                p->method = GPCOV_BREAKS_JENKS;
            else if (!strncmp(val, "fixed:", 6)) {
                free(b->fixed);
                b->fixed = NULL;
                int n = parse_edges(val + 6, &b->fixed);
                if (n < 2)
                    return tool_usage_error(
                        cmd,
                        "--panel '%s': breaks=%s: give fixed:E0,E1,... with at "
                        "least two numbers",
                        spec, val);
                p->method = GPCOV_BREAKS_FIXED;
                p->fixed = b->fixed;
                b->nfixed = n;
            } else
                return tool_usage_error(
                    cmd,
                    "--panel '%s': breaks=%s: use quantile, equal, jenks or "
                    "fixed:E0,E1,...",
                    spec, val);
        } else
            return tool_usage_error(cmd, "--panel '%s': unknown item '%s'",
                                    spec, key);
        item = next;
    }
    if (p->method == GPCOV_BREAKS_FIXED) {
        if (b->classes_set && p->classes != b->nfixed - 1)
            return tool_usage_error(cmd,
                                    "--panel '%s': classes=%d but %d fixed "
                                    "edges make %d classes",
                                    spec, p->classes, b->nfixed,
                                    b->nfixed - 1);
        p->classes = b->nfixed - 1;
        if (p->classes > GPCOV_PALETTE_MAX)
            return tool_usage_error(cmd,
                                    "--panel '%s': %d fixed classes; at most %d",
                                    spec, p->classes, GPCOV_PALETTE_MAX);
    }
    if (!p->field || !*p->field)
        return tool_usage_error(cmd, "--panel '%s': no field=NAME", spec);
    return 0;
}

int tool_panel_notes(const char *src, char **meta, struct gpcov_map_panel *panels,
                     const struct panel_buf *bufs, size_t np, int letters)
{
    for (size_t i = 0; i < np; i++) {
        const char *key = bufs[i].note_meta;
        if (!key)
            continue;
        size_t n = strlen(key);
        panels[i].note = NULL;
        for (size_t j = 0; meta && meta[j] && !panels[i].note; j++)
            if (!strncmp(meta[j], key, n) && meta[j][n] == '=')
                panels[i].note = meta[j] + n + 1;
        if (!panels[i].note) {
            if (letters)
                fprintf(stderr, "gpcov: %s: no metadata item '%s' for the note of panel (%c)\n",
                        src, key, (char)('a' + i));
            else
                fprintf(stderr, "gpcov: %s: no metadata item '%s' for the note of indicator "
                        "%zu\n", src, key, i + 1);
            return EXIT_DATA;
        }
    }
    return EXIT_OK;
}

int cmd_map(int argc, char **argv)
{
    struct gpcov_map_spec spec;
    gpcov_map_spec_init(&spec);
    struct fig_opts fo;
    fig_opts_init(&fo, GPCOV_MAP_MAX_PANELS);
    const char *outs[MAX_LIST];
    size_t nout = 0;
    const char *regions = NULL, *points = NULL, *point_xy = NULL, *point_srs = "EPSG:4326",
               *style_into = NULL;
    char *style_tmp = NULL;
    struct gpcov_map_legend *legends = NULL;
    int overwrite = 0, quiet = 0, rc = EXIT_OK;
    char *xy = NULL;
    struct gpcov_layer *units = NULL, *outline = NULL, *pts = NULL;
    gpcov_ctx *ctx = NULL;

    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1, r = fig_option("map", &fo, argc, argv, &i);
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
        else if (!strcmp(a, "--no-inset"))
            spec.inset_copenhagen = spec.inset_bornholm = 0, takes = 0;
        else if (!v) {
            rc = tool_usage_error("map", "unknown option or missing value: '%s'",
                                  a);
            break;
        } else if (!strcmp(a, "--regions"))
            regions = v;
        else if (!strcmp(a, "--style-into"))
            style_into = v;
        else if (!strcmp(a, "--points"))
            points = v;
        else if (!strcmp(a, "--point-xy"))
            point_xy = v;
        else if (!strcmp(a, "--point-srs"))
            point_srs = v;
        else if (!strcmp(a, "--point-label"))
            spec.point_label_field = v;
        else if (!strcmp(a, "--point-legend"))
            spec.point_legend = v;
        else if (!strcmp(a, "--inset-label"))
            spec.inset_label = v;
        else if (!strcmp(a, "--output")) {
            if (nout == MAX_LIST)
                rc = tool_usage_error("map", "more than %d --output files",
                                      MAX_LIST);
            else
                outs[nout++] = v;
        } else if (!strcmp(a, "--dpi")) {
            char *end;
            spec.dpi = strtod(v, &end);
            if (end == v || *end || !(spec.dpi >= 36 && spec.dpi <= 1200))
                rc = tool_usage_error("map", "--dpi %s: give 36 to 1200", v);
        } else {
            rc = tool_usage_error("map", "unknown option: '%s'", a);
            break;
        }
        i += takes;
    }
    if (rc != EXIT_OK)
        goto done;
    const char *in = fo.in, *layer = fo.layer, *key = fo.key;
    size_t np = fo.np;
    struct gpcov_map_panel *panels = fo.panels;
    if (!in) {
        rc = tool_usage_error("map", "--input is required");
        goto done;
    }
    if (!np) {
        rc = tool_usage_error("map", "at least one --panel is required");
        goto done;
    }
    if (!nout) {
        rc = tool_usage_error("map", "at least one --output is required");
        goto done;
    }
    if (spec.point_label_field && !points) {
        rc = tool_usage_error("map", "--point-label needs --points");
        goto done;
    }
    struct gpcov_read_opts popts = {0};
    if (point_xy) {
        char *comma;
        if (!(xy = malloc(strlen(point_xy) + 1))) {
            rc = EXIT_INTERNAL;
            goto done;
        }
        strcpy(xy, point_xy);
        if (!(comma = strchr(xy, ',')) || comma == xy || !comma[1]) {
            rc = tool_usage_error("map", "--point-xy %s: give X,Y column names",
                                  point_xy);
            goto done;
        }
        *comma = 0;
        popts.x_field = xy;
        popts.y_field = comma + 1;
        popts.srs = point_srs;
    }

    if (!(ctx = tool_ctx(quiet))) {
        rc = EXIT_INTERNAL;
        goto done;
    }
    gpcov_status st;
    struct gpcov_read_opts uopts = {0};
    uopts.layer = layer;
    uopts.key_field = key && *key ? key : NULL; /* --key '': features as they are */
    spec.no_unit_borders = !(key && *key); /* bands: no line round each run of cells */
    if ((st = gpcov_layer_read(ctx, in, &uopts, &units)) != GPCOV_OK) {
        rc = tool_fail(ctx, st);
        goto done;
    }
    if (regions) {
        struct gpcov_read_opts ro = {0};
        if ((st = gpcov_layer_read(ctx, regions, &ro, &outline)) != GPCOV_OK) {
            rc = tool_fail(ctx, st);
            goto done;
        }
    }
    if (points && (st = gpcov_layer_read(ctx, points, &popts, &pts)) != GPCOV_OK) {
        rc = tool_fail(ctx, st);
        goto done;
    }
    if ((rc = tool_panel_notes(in, units->metadata, panels, fo.bufs, np, 1)) != EXIT_OK)
        goto done;
    spec.units = units;
    spec.units_src = in;
    spec.outline = outline;
    spec.points = pts;
    spec.points_src = points;
    spec.npanels = np;
    spec.panels = panels;
    spec.attribution = fo.nattr ? fo.attr : NULL;
    spec.title = fo.title;
    spec.nodata_label = fo.nodata_label;
    spec.decimal_comma = fo.decimal_comma;
    /* the styles go into a copy of the GeoPackage that replaces it only
    ** when the maps were written too */
    if (style_into) {
        struct gpcov_qgis_style_opts so = {layer, 0, overwrite};
        if ((st = gpcov_map_legends(ctx, &spec, &legends)) != GPCOV_OK ||
            (st = gpcov_qgisstyle_begin(ctx, style_into, legends, np, &so,
                                        &style_tmp)) != GPCOV_OK) {
            rc = tool_fail(ctx, st);
            goto done;
        }
    }
    /* the maps and the styled GeoPackage: all, or none (outset.c) */
    gpcov_outset *set = gpcov_outset_new(ctx, overwrite);
    if (!set) {
        st = GPCOV_ENOMEM;
        gpcov_atomic_abort(style_tmp);
        free(style_tmp);
    } else if (style_tmp) {
        st = gpcov_outset_adopt(ctx, set, style_into, style_tmp);
    }
    style_tmp = NULL; /* the set's now */
    if (st == GPCOV_OK)
        st = gpcov_map_render_into(ctx, &spec, outs, nout, set);
    if (st == GPCOV_OK)
        st = gpcov_outset_commit(ctx, set);
    gpcov_outset_free(set);
    if (st != GPCOV_OK)
        rc = tool_fail(ctx, st);
    else if (!quiet) {
        for (size_t i = 0; i < nout; i++)
            fprintf(stderr, "wrote %s\n", outs[i]);
        if (style_into)
            fprintf(stderr, "wrote %zu QGIS style%s into %s\n", np,
                    np == 1 ? "" : "s", style_into);
    }
done:
    free(style_tmp);
    gpcov_map_legends_free(legends, fo.np);
    if (ctx) {
        gpcov_layer_free(ctx, units);
        gpcov_layer_free(ctx, outline);
        gpcov_layer_free(ctx, pts);
        gpcov_ctx_free(ctx);
    }
    fig_opts_clear(&fo);
    free(xy);
    return rc;
}
