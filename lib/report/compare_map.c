/*
** compare_map.c: the map of gpcov compare, two panels through the map
** library: (a) the difference B - A of the fee (or --field) as a
** diverging choropleth with a pale class around 0, symmetric edges; (b)
** the changed verdicts, categorical (changed, unchanged, undecided or
** missing on one side), with compare_reason for the units without a value.
** Attribution: the two runs, the variables that differ, and the data
** sources as A's manifest names them (DAGI and Statistics Denmark else).
*/
#include "compare.h"

#include <cpl_string.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Symmetric edges around 0: the pale middle class is "no change" (within
** eps), the outer ones split at a round half of the largest change. */
static void edges(const struct gpcov_layer *l, int f, int fee, double e[6])
{
    double m = 0, v;
    for (size_t i = 0; i < l->n; i++)
        if (cmp_num(l, f, i, &v) && fabs(v) > m)
            m = fabs(v);
    double eps = fee ? 0.5 : m > 0 ? m * 1e-3 : 0.001;
    double h = m / 2 > eps ? m / 2 : 2 * eps;
    double p = pow(10, floor(log10(h)));
    h = floor(h / p) * p > eps ? floor(h / p) * p : h;
    double x[6] = {-INFINITY, -h, -eps, eps, h, INFINITY};
    memcpy(e, x, sizeof x);
}

/* The attribution: the runs compared, what differs, the data. */
static char **attribution(struct cmp_run *R)
{
    char **l = CSLAddString(NULL, CPLSPrintf("A = %s, B = %s (gpcov compare)", R->a.src,
                                             R->b.src));
    char *vars = CPLStrdup("");
    for (size_t i = 0; R->inputs && i < R->inputs->n; i++) {
        const struct gpcov_value *w = gpcov_layer_value(R->inputs, i, 0);
        if (strcmp(w->str, "variable") && strcmp(w->str, "input"))
            continue;
        char *n = CPLStrdup(CPLSPrintf("%s%s%s: %s -> %s", vars, *vars ? "; " : "",
                                       gpcov_layer_value(R->inputs, i, 1)->str,
                                       gpcov_layer_value(R->inputs, i, 2)->str,
                                       gpcov_layer_value(R->inputs, i, 3)->str));
        CPLFree(vars);
        vars = n;
    }
    if (*vars && strlen(vars) < 300)
        l = CSLAddString(l, CPLSPrintf("Forskelle i input: %s", vars));
    CPLFree(vars);
    for (char **c = R->credits; c && *c; c++)
        l = CSLAddString(l, *c);
    if (R->credits)
        return l;
    return CSLAddString(l, "Indeholder data fra Geodatastyrelsen, DAGI, 2014. Kilde: Danmarks "
                           "Statistik (FOLK1A 2020K1, FRKM126 2026), CC BY 4.0.");
}

gpcov_status cmp_map(struct cmp_run *R, gpcov_outset *set)
{
    if (!R->diff_field)
        return gpcov_err(R->ctx, GPCOV_EINPUT, "--map: no numeric field of both %s and %s to "
                         "map", R->a.src, R->b.src);
    gpcov_status st;
    struct gpcov_map_panel p[2];
    gpcov_map_panel_init(&p[0]);
    gpcov_map_panel_init(&p[1]);
    int fee = !strcmp(R->diff_field, "total_dkk_diff") || !strcmp(R->diff_field, "rules_total_dkk_diff");
    double e[6];
    edges(R->out, gpcov_layer_field(R->out, R->diff_field), fee, e);
    char title[300];
    snprintf(title, sizeof title, fee ? "Ændring i basishonorar, B − A" : "Ændring i %.*s, B − A",
             (int)strlen(R->diff_field) - 5, R->diff_field);
    p[0] = (struct gpcov_map_panel){.field = R->diff_field, .title = title,
        .unit = fee ? "DKK om året" : NULL, .method = GPCOV_BREAKS_FIXED, .classes = 5,
        .fixed = e, .reason_field = "diff_reason", .decimals = fee ? 0 : GPCOV_MAP_AUTO,
        .palette = GPCOV_PALETTE_DIVERGING};
    p[1].field = "verdict_changed";
    p[1].title = "Ændret afgørelse efter reglerne (retningen står i tabellen)";
    p[1].categorical = 1;
    p[1].label_true = "Ændret: bliver truet eller ophører med at være det";
    p[1].label_false = "Uændret";
    p[1].label_undecided = "Uafklaret i A eller B";
    p[1].reason_field = "verdict_reason";
    struct gpcov_map_spec spec;
    gpcov_map_spec_init(&spec);
    char **attr = attribution(R);
    struct gpcov_layer *regions = NULL;
    if (R->o->regions &&
        (st = gpcov_layer_read(R->ctx, R->o->regions, &(struct gpcov_read_opts){0}, &regions)))
        return st;
    spec.outline = regions;
    spec.units = R->out;
    spec.units_src = R->o->output;
    spec.panels = p;
    spec.npanels = gpcov_layer_field(R->out, "verdict_changed") >= 0 ? 2 : 1;
    spec.title = "Sammenligning af to kørsler";
    spec.attribution = (const char *const *)attr;
    spec.nodata_label = "ingen værdi på begge sider";
    spec.decimal_comma = 1;
    const char *dst[1] = {R->o->map};
    st = gpcov_map_render_into(R->ctx, &spec, dst, 1, set);
    CSLDestroy(attr);
    gpcov_layer_free(R->ctx, regions);
    return st;
}
