/*
** sitemap.c: `gpcov site` with its map.  The analysis (site_run.c) runs
** the choice and hands this file's drawing its per-unit layer and the
** sites; the map is drawn as the other maps are: the units coloured by
** what the chosen sites add (the share of their demand newly within reach
** or served; for the p-median the minutes saved per person), a unit
** without demand hatched with its reason, the sites as markers, the
** chosen ones numbered in the order of their gains and the existing ones
** without a number, the model's note under the legend and the
** attribution lines.  It goes into the run's output set, so it is written
** with the other outputs or not at all.
*/
#include "gpcov.h"
#include "map_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Classes: up to 5, no more than the distinct values of field f. */
static int classes(const struct gpcov_layer *u, const char *field)
{
    int f = gpcov_layer_field(u, field), n = 0;
    double seen[5];
    for (size_t i = 0; f >= 0 && i < u->n && n < 5; i++) {
        const struct gpcov_value *v = gpcov_layer_value(u, i, (size_t)f);
        int dup = !v || v->null;
        for (int k = 0; k < n && !dup; k++)
            dup = seen[k] == v->num;
        if (!dup)
            seen[n++] = v->num;
    }
    return n < 1 ? 1 : n;
}

static gpcov_status draw(gpcov_ctx *ctx, const struct gpcov_site_run_opts *o,
                         const struct gpcov_site_run_summary *sum,
                         const struct gpcov_layer *units, const struct gpcov_layer *sites,
                         const char *model_da, gpcov_outset *set)
{
    int med = o->objective == GPCOV_SITE_MEDIAN;
    char title[300], legend[300], dflt[300];
    snprintf(title, sizeof title, med ? "Sparede minutter pr. person (over %g min regnet "
                                        "som grænsen)"
                                      : o->objective == GPCOV_SITE_COVER
                                            ? "Andel af efterspørgslen, som de nye steder "
                                              "bringer inden for %g min"
                                            : "Andel af efterspørgslen, som de nye steder "
                                              "betjener ud over de eksisterende (inden for "
                                              "%g min)",
             o->max_minutes);
    snprintf(legend, sizeof legend, "Nye steder (nummereret i valgt rækkefølge)%s",
             sum->nexisting ? "; eksisterende uden nummer" : "");
    snprintf(dflt, sizeof dflt, "%zu nye steder blandt %zu kandidater", sum->res.k,
             sum->ncand);
    struct gpcov_map_panel p;
    gpcov_map_panel_init(&p);
    p.field = med ? "gain" : "gain_pct";
    p.title = title;
    p.unit = med ? "min" : "%";
    p.method = GPCOV_BREAKS_JENKS;
    p.classes = classes(units, p.field);
    p.reason_field = "reason";
    p.note = model_da;
    p.decimals = 1;
    struct gpcov_map_spec s;
    gpcov_map_spec_init(&s);
    s.units = units;
    s.units_src = o->units;
    s.points = sites;
    s.points_src = "sites";
    s.point_label_field = "label";
    s.point_legend = legend;
    s.npanels = 1;
    s.panels = &p;
    s.title = o->map_title ? o->map_title : dflt;
    s.attribution = o->attribution;
    s.decimal_comma = o->decimal_comma;
    s.nodata_label = "ingen data";
    const char *dst[1] = {o->map};
    return gpcov_map_render_into(ctx, &s, dst, 1, set);
}

gpcov_status gpcov_site(gpcov_ctx *ctx, const struct gpcov_site_run_opts *o,
                        struct gpcov_site_run_summary *sum)
{
    struct gpcov_site_run_opts w = *o;
    w.draw = o->map ? draw : NULL;
    return gpcov_site_run(ctx, &w, sum);
}
