/*
** webmap_assets.h: the web map's scripts and styles, compiled into the
** library from $(BUILD)/gen/webmap_assets.c (made by web/embed.sh from the
** Leaflet that npm installs at build time, and from web/webmap.{js,css}).
** Each array is NUL-terminated; _len excludes the NUL.
*/
#ifndef GPCOV_WEBMAP_ASSETS_H
#define GPCOV_WEBMAP_ASSETS_H

#include <stddef.h>

extern const unsigned char gpcov_asset_leaflet_js[];
extern const size_t gpcov_asset_leaflet_js_len;
extern const unsigned char gpcov_asset_leaflet_css[];
extern const size_t gpcov_asset_leaflet_css_len;
extern const unsigned char gpcov_asset_webmap_js[];
extern const size_t gpcov_asset_webmap_js_len;
extern const unsigned char gpcov_asset_webmap_css[];
extern const size_t gpcov_asset_webmap_css_len;
extern const char gpcov_asset_leaflet_version[];

#endif
