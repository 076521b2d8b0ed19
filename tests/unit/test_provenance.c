/* test_provenance.c: which model made a derived value (provenance.c): the
** GPCOV_MODEL item read back from a raster, from a vector layer and, when
** the layer has none, from its dataset; NULL when it is not there. */
#include "io/io_internal.h"
#include "fixture.h"
#include "tap.h"
#include "testfile.h"

#include <gdal.h>

static gpcov_ctx *ctx;

static void raster(void)
{
    struct gpcov_grid g = {.nx = 2, .ny = 1, .gt = {500000, 100, 0, 6200000, 0, -100}};
    float v[2] = {1, 2};
    char *meta[] = {"GPCOV_MODEL=network (OSM 2024-05)", "OTHER=x", NULL};
    struct gpcov_raster_write_opts o = {.metadata = meta};
    OK(gpcov_raster_write(ctx, fx_path("t.tif"), &g, GPCOV_RASTER_FLOAT32, v, &o) == GPCOV_OK,
       "a raster with a model written");
    char *m = gpcov_raster_meta(fx_path("t.tif"), "GPCOV_MODEL");
    STREQ(m, "network (OSM 2024-05)", "its model read back");
    free(m);
    m = gpcov_raster_meta(fx_path("t.tif"), "OTHER");
    STREQ(m, "x", "another item");
    free(m);
    OK(gpcov_raster_meta(fx_path("t.tif"), "MISSING") == NULL, "an item not there: NULL");
    OK(gpcov_raster_write(ctx, fx_path("u.tif"), &g, GPCOV_RASTER_FLOAT32, v, NULL) == GPCOV_OK,
       "a raster without metadata");
    OK(gpcov_raster_meta(fx_path("u.tif"), "GPCOV_MODEL") == NULL, "no model: NULL");
    OK(gpcov_raster_meta(fx_path("none.tif"), "GPCOV_MODEL") == NULL, "no file: NULL");
    gpcov_dep_clear(ctx);
}

static void vector_layer(void)
{
    struct gpcov_layer *l = gpcov_layer_new("iso");
    gpcov_layer_append(ctx, l, "a", tf_wkt(ctx, "POINT(700000 6170000)"));
    gpcov_layer_set_meta(ctx, l, "GPCOV_MODEL", "straight line, 60 km/h");
    OK(gpcov_layer_write(ctx, l, fx_path("v.gpkg"), NULL) == GPCOV_OK, "a layer with a model");
    char *m = gpcov_vector_meta(fx_path("v.gpkg"), NULL, "GPCOV_MODEL");
    STREQ(m, "straight line, 60 km/h", "the first layer's model");
    free(m);
    m = gpcov_vector_meta(fx_path("v.gpkg"), "v", "GPCOV_MODEL"); /* named after the file */
    STREQ(m, "straight line, 60 km/h", "the layer's model by name");
    free(m);
    OK(gpcov_vector_meta(fx_path("v.gpkg"), "nope", "GPCOV_MODEL") == NULL,
       "a layer not there: NULL");
    OK(gpcov_vector_meta(fx_path("v.gpkg"), NULL, "MISSING") == NULL, "an item not there: NULL");
    OK(gpcov_vector_meta(fx_path("none.gpkg"), NULL, "GPCOV_MODEL") == NULL, "no file: NULL");
    gpcov_layer_free(ctx, l);
    gpcov_dep_clear(ctx);
}

static void vector_dataset(void)
{
    /* a GeoPackage whose model is on the dataset, not the layer (made with
    ** GDAL itself) */
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    GDALDatasetH ds = GDALCreate(drv, fx_path("d.gpkg"), 0, 0, 0, GDT_Unknown, NULL);
    OGRLayerH ol = ds ? GDALDatasetCreateLayer(ds, "pts", NULL, wkbPoint, NULL) : NULL;
    OK(ol != NULL, "a GeoPackage made with GDAL");
    if (ds) {
        GDALSetMetadataItem(ds, "GPCOV_MODEL", "network", NULL);
        GDALClose(ds);
    }
    char *m = gpcov_vector_meta(fx_path("d.gpkg"), NULL, "GPCOV_MODEL");
    STREQ(m, "network", "the dataset's model when the layer has none");
    free(m);
    m = gpcov_vector_meta(fx_path("d.gpkg"), "pts", "GPCOV_MODEL");
    STREQ(m, "network", "the same by layer name");
    free(m);
    /* a layer not there: the dataset's item, as for a layer without one */
    m = gpcov_vector_meta(fx_path("d.gpkg"), "nope", "GPCOV_MODEL");
    STREQ(m, "network", "a layer not there: the dataset's model");
    free(m);
}

int main(void)
{
    fx_make();
    ctx = gpcov_ctx_new();
    RUN(raster);
    RUN(vector_layer);
    RUN(vector_dataset);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
