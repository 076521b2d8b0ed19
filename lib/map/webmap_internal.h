/*
** webmap_internal.h: what the files of the web map share.  webmap_layer.c
** makes the layers the page shows (the units, selected and joined, and
** the regions' borders, simplified); webmap.c writes the page around them.
*/
#ifndef GPCOV_WEBMAP_INTERNAL_H
#define GPCOV_WEBMAP_INTERNAL_H

#include "map_internal.h"
#include "gpcov.h"

/* The name a layer is known by in messages: src, else the layer's name. */
const char *gpcov_webmap_src(const struct gpcov_layer *l, const char *src);

/* The units layer of the page (*out, freed by the caller): "code", "name",
** the panels' fields and their reasons and, when the units or a joined
** layer carry the threat rules (a field rules_fired), each rule_NAME
** field, rules_fired, verdict and threat_reason of that layer; only the
** units where spec->where holds, the others it cannot decide counted and
** named in info; geometries simplified. */
gpcov_status gpcov_webmap_units(gpcov_ctx *ctx, const struct gpcov_webmap_spec *spec,
                                struct gpcov_layer **out, struct gpcov_webmap_info *info);

/* The regions of spec->outline with their fields, simplified as the units
** are (*out freed by the caller). */
gpcov_status gpcov_webmap_outline(gpcov_ctx *ctx, const struct gpcov_webmap_spec *spec,
                                  struct gpcov_layer **out);

#endif
