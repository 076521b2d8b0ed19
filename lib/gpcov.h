/*
** gpcov.h: the public API of libgpcov, a geospatial coverage analysis
** library for general practice in Denmark.  Everything a command in tools/
** needs is declared here, one header per stage (below); what the
** library's own files share lives in each folder's X_internal.h.
**
** Conventions (see DESIGN.md):
**   - every function returns a gpcov_status; GPCOV_OK is 0.  On failure a
**     message naming the file, the row or feature and the problem is left
**     in the context (gpcov_ctx_message).  The library never prints and
**     never exits.
**   - every prototype says who frees what it returns; every _free accepts
**     NULL.
**   - geometries are GEOS geometries made with the context's GEOS handle,
**     always in the working CRS EPSG:25832.
*/
#ifndef GPCOV_H
#define GPCOV_H

/* One header per stage, each including the stages it builds on: */
#include "base/gpcov_base.h"         /* status, context, layers, outputs, expressions */
#include "io/gpcov_io.h"             /* tables, rasters                               */
#include "travel/gpcov_travel.h"     /* road graph, friction, travel times, isochrones */
#include "analysis/gpcov_analysis.h" /* overlay, population, threat, fee, access      */
#include "map/gpcov_map.h"           /* breaks, palettes, maps, web map, styles       */
#include "report/gpcov_report.h"     /* report definitions and the engine             */

#endif
