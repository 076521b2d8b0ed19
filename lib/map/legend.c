/*
** legend.c: a map's legends as data.  gpcov_map_legends classes every
** panel exactly as gpcov_map_render does (through the same symbology,
** symbology.c, without laying out the page) and hands back each panel's
** classes, labels, fills and borders, so that a style written for other
** software (qgisstyle.c) cannot drift from the legend printed on the map.
*/
#include "symbology.h"

#include <stdlib.h>

gpcov_status gpcov_map_legends(gpcov_ctx *ctx, const struct gpcov_map_spec *spec,
                               struct gpcov_map_legend **out)
{
    *out = NULL;
    struct gpcov_symbology *sym = NULL;
    gpcov_status st = gpcov_symbology_prepare(ctx, spec, &sym);
    if (st != GPCOV_OK)
        return st;
    struct gpcov_map_legend *lg = calloc(spec->npanels, sizeof *lg);
    if (!lg) {
        gpcov_symbology_free(sym);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t p = 0; p < spec->npanels && st == GPCOV_OK; p++)
        st = gpcov_symbology_legend(ctx, sym, p, &lg[p]);
    gpcov_symbology_free(sym);
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
