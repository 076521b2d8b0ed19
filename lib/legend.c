/*
** legend.c: a map's legends as data.  gpcov_map_legends classes every
** panel exactly as gpcov_map_render does (it prepares the same figure) and
** hands back each panel's classes, labels, fills and borders, so that a
** style written for other software (qgisstyle.c) cannot drift from the
** legend printed on the map.
*/
#include "render_internal.h"

#include <stdlib.h>

gpcov_status gpcov_map_legends(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                               struct gpcov_map_legend **out)
{
    *out = NULL;
    struct gpcov_figure *fig = NULL;
    gpcov_status st = gpcov_figure_prepare(ctx, spec, &fig);
    if (st != GPCOV_OK)
        return st;
    struct gpcov_map_legend *lg = calloc(spec->npanels, sizeof *lg);
    if (!lg) {
        gpcov_figure_free(fig);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t p = 0; p < spec->npanels && st == GPCOV_OK; p++)
        st = gpcov_figure_legend(ctx, fig, p, &lg[p]);
    gpcov_figure_free(fig);
    if (st != GPCOV_OK) {
        gpcov_map_legends_free(lg, spec->npanels);
        return st;
    }
    *out = lg;
    return GPCOV_OK;
}

void gpcov_map_legends_free(struct gpcov_map_legend *legends, size_t n)
{
    if (!legends)
        return;
    for (size_t i = 0; i < n; i++) {
        struct gpcov_map_legend *l = &legends[i];
        free(l->field);
        free(l->title);
        free(l->method);
        free(l->nodata_label);
        for (size_t c = 0; c < GPCOV_PALETTE_MAX; c++)
            free(l->cls[c].label);
    }
    free(legends);
}
