/*
** map_internal.h: what the files of lib/map/ include for the library's
** private helpers it uses (its own figure state is in layout.h,
** symbology.h and render_internal.h).
*/
#ifndef GPCOV_MAP_INTERNAL_H
#define GPCOV_MAP_INTERNAL_H

#include "analysis/analysis_internal.h"

#endif
