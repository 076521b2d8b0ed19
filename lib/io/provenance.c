/*
** provenance.c: which model made a derived value.  Travel-time rasters
** (traveltime), isochrones and accessibility layers (access) record their
** model in a GPCOV_MODEL metadata item; whoever derives indicators from
** them reads it here, so the indicators can say so in a column of their
** own (overlay's NAME_model), which survives into CSV where metadata does
** not.
*/
#include "io_internal.h"

#include <gdal.h>
#include <stdlib.h>

char *gpcov_raster_meta(const char *src, const char *key)
{
    GDALDatasetH ds = GDALOpenEx(src, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    const char *m = ds ? GDALGetMetadataItem(ds, key, NULL) : NULL;
    char *out = m ? gpcov_strdup(m) : NULL;
    if (ds)
        GDALClose(ds);
    return out;
}

char *gpcov_vector_meta(const char *src, const char *layer, const char *key)
{
    GDALDatasetH ds = GDALOpenEx(src, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH l = !ds ? NULL : layer ? GDALDatasetGetLayerByName(ds, layer)
                                     : GDALDatasetGetLayer(ds, 0);
    const char *m = l ? GDALGetMetadataItem(l, key, NULL) : NULL;
    if (!m && ds)
        m = GDALGetMetadataItem(ds, key, NULL);
    char *out = m ? gpcov_strdup(m) : NULL;
    if (ds)
        GDALClose(ds);
    return out;
}
