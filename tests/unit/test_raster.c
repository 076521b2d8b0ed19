/* test_raster.c: single-band rasters (raster.c): a small grid written and
** read back with its nodata, CRS and georeferencing, checked also through
** GDAL directly; rasters refused on reading (rotated, without CRS, south
** up, two bands, an undeclared NaN) and friction's own checks; points
** mapped to cells. */
#include "io/io_internal.h"
#include "fixture.h"
#include "tap.h"
#include "testfile.h"

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_srs_api.h>

static gpcov_ctx *ctx;
static const double GT[6] = {500000, 100, 0, 6200000, 0, -100};

/* A GeoTIFF made with GDAL alone: nb bands of nx x ny values v (float64),
** geotransform gt, CRS EPSG:epsg (0: none), nodata nd when has_nd. */
static void make_tif(const char *name, int nb, int nx, int ny, const double *gt, int epsg,
                     const double *v, int has_nd, double nd)
{
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), fx_path(name), nx, ny, nb,
                                 GDT_Float64, NULL);
    double t[6];
    memcpy(t, gt, sizeof t);
    GDALSetGeoTransform(ds, t);
    if (epsg) {
        OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(s, epsg);
        GDALSetSpatialRef(ds, s);
        OSRDestroySpatialReference(s);
    }
    for (int b = 1; b <= nb; b++) {
        GDALRasterBandH band = GDALGetRasterBand(ds, b);
        if (has_nd)
            GDALSetRasterNoDataValue(band, nd);
        if (GDALRasterIO(band, GF_Write, 0, 0, nx, ny, (void *)v, nx, ny, GDT_Float64, 0, 0))
            fprintf(stderr, "cannot write %s\n", name);
    }
    GDALClose(ds);
}

/* The EPSG code of a WKT, or 0. */
static int epsg_of(const char *wkt)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(wkt);
    int code = 0;
    if (s && OSRAutoIdentifyEPSG(s) == OGRERR_NONE && OSRGetAuthorityCode(s, NULL))
        code = atoi(OSRGetAuthorityCode(s, NULL));
    if (s)
        OSRDestroySpatialReference(s);
    return code;
}

static void write_then_read(void)
{
    struct gpcov_grid g = {.nx = 3, .ny = 2};
    memcpy(g.gt, GT, sizeof g.gt);
    float v[6] = {1.5f, NAN, 3, -4, 0, 1e6f};
    struct gpcov_raster_write_opts o = {.description = "minutes", .units = "min"};
    OK(gpcov_raster_write(ctx, fx_path("f.tif"), &g, GPCOV_RASTER_FLOAT32, v, &o) == GPCOV_OK,
       "a 3 x 2 float grid written");
    /* through GDAL, independently */
    GDALDatasetH ds = GDALOpen(fx_path("f.tif"), GA_ReadOnly);
    OK(ds != NULL, "GDAL opens it");
    if (ds) {
        GDALRasterBandH b = GDALGetRasterBand(ds, 1);
        int has = 0;
        double nd = GDALGetRasterNoDataValue(b, &has);
        OK(has && isnan(nd), "nodata is NaN");
        OK(GDALGetRasterDataType(b) == GDT_Float32, "float32");
        STREQ(GDALGetDescription(b), "minutes", "the band's description");
        STREQ(GDALGetRasterUnitType(b), "min", "the band's unit");
        STREQ(GDALGetMetadataItem(ds, "COMPRESSION", "IMAGE_STRUCTURE"), "DEFLATE", "DEFLATE");
        int bx = 0, by = 0;
        GDALGetBlockSize(b, &bx, &by);
        OK(bx == 256 && by == 256, "tiled 256 x 256");
        double t[6];
        GDALGetGeoTransform(ds, t);
        OK(!memcmp(t, GT, sizeof t), "the geotransform as given");
        GDALClose(ds);
    }
    struct gpcov_grid r;
    float *w = NULL;
    OK(gpcov_raster_read(ctx, fx_path("f.tif"), &r, &w) == GPCOV_OK, "read back");
    OK(r.nx == 3 && r.ny == 2, "3 x 2");
    OK(!memcmp(r.gt, GT, sizeof r.gt), "the same geotransform");
    OK(epsg_of(r.srs_wkt) == 25832, "no CRS given: EPSG:25832");
    int same = 1;
    for (int i = 0; i < 6; i++)
        same &= i == 1 ? isnan(w[i]) : w[i] == v[i];
    OK(same, "the same values, the NaN as nodata");
    /* the same data give the same bytes */
    OK(gpcov_raster_write(ctx, fx_path("f2.tif"), &g, GPCOV_RASTER_FLOAT32, v, &o) == GPCOV_OK,
       "written again");
    long n1, n2;
    char *b1 = tf_slurp(fx_path("f.tif"), &n1), *b2 = tf_slurp(fx_path("f2.tif"), &n2);
    OK(b1 && b2 && n1 == n2 && !memcmp(b1, b2, (size_t)n1), "byte for byte the same");
    free(b1);
    free(b2);
    free(w);
    /* a CRS of its own kept */
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(s, 3035);
    char *wkt = NULL;
    OSRExportToWkt(s, &wkt);
    g.srs_wkt = gpcov_strdup(wkt);
    CPLFree(wkt);
    OSRDestroySpatialReference(s);
    int32_t iv[6] = {7, -1, 0, 2147483647, -5, 1};
    OK(gpcov_raster_write(ctx, fx_path("i.tif"), &g, GPCOV_RASTER_INT32, iv, NULL) == GPCOV_OK,
       "an int32 grid in EPSG:3035 written");
    gpcov_grid_clear(&r);
    OK(gpcov_raster_read(ctx, fx_path("i.tif"), &r, &w) == GPCOV_OK, "read back");
    OK(epsg_of(r.srs_wkt) == 3035, "its CRS kept");
    OK(w[0] == 7 && isnan(w[1]) && w[2] == 0 && w[3] == 2147483648.0f && w[4] == -5,
       "values as float, -1 as nodata");
    free(w);
    gpcov_grid_clear(&r);
    gpcov_grid_clear(&g);
    OK(g.srs_wkt == NULL && g.nx == 0, "clear zeroes the grid");
    gpcov_ctx_forget_inputs(ctx);
}

static void write_refused(void)
{
    struct gpcov_grid g = {.nx = 1, .ny = 1};
    memcpy(g.gt, GT, sizeof g.gt);
    float v[1] = {1};
    OK(gpcov_raster_write(ctx, fx_path("x.gpkg"), &g, GPCOV_RASTER_FLOAT32, v, NULL) ==
           GPCOV_EUSAGE,
       "a .gpkg name refused");
    char want[600];
    snprintf(want, sizeof want, "%s: rasters are written as GeoTIFF; name the output .tif",
             fx_path("x.gpkg"));
    STREQ(gpcov_ctx_message(ctx), want, "the message");
    OK(!gpcov_path_exists(fx_path("x.gpkg")), "nothing written");
    int before = tf_entries(fx_dir);
    OK(gpcov_raster_write(ctx, fx_path("f.tif"), &g, GPCOV_RASTER_FLOAT32, v, NULL) ==
           GPCOV_EOUTPUT,
       "an existing raster refused without overwrite");
    OK(tf_entries(fx_dir) == before, "no temporary left");
    struct gpcov_raster_write_opts o = {.overwrite = 1};
    OK(gpcov_raster_write(ctx, fx_path("f.tif"), &g, GPCOV_RASTER_FLOAT32, v, &o) == GPCOV_OK,
       "replaced with overwrite");
    OK(tf_entries(fx_dir) == before, "no temporary left");
}

static void expect_read_error(const char *name, const char *tail, const char *what)
{
    struct gpcov_grid r;
    float *w = (float *)1;
    char want[700];
    snprintf(want, sizeof want, "%s: %s", fx_path(name), tail);
    OK(gpcov_raster_read(ctx, fx_path(name), &r, &w) == GPCOV_EINPUT, "%s: refused", what);
    STREQ(gpcov_ctx_message(ctx), want, "%s: the message", what);
    OK(w == NULL && r.srs_wkt == NULL && r.nx == 0, "%s: nothing returned", what);
}

static void read_refused(void)
{
    const double v[4] = {1, NAN, 3, 4}, ok4[4] = {1, 2, 3, 4};
    const double rot[6] = {500000, 100, 10, 6200000, 0, -100};
    const double south[6] = {500000, 100, 0, 6200000, 0, 100};
    make_tif("rot.tif", 1, 2, 2, rot, 25832, ok4, 0, 0);
    expect_read_error("rot.tif",
                      "the raster is rotated or sheared (geotransform terms 10, 0); make it "
                      "north-up with gdalwarp",
                      "rotated");
    make_tif("nocrs.tif", 1, 2, 2, GT, 0, ok4, 0, 0);
    expect_read_error("nocrs.tif",
                      "the raster has no CRS (assign one, e.g. gdal_edit.py -a_srs EPSG:25832)",
                      "without CRS");
    make_tif("south.tif", 1, 2, 2, south, 25832, ok4, 0, 0);
    expect_read_error("south.tif",
                      "the raster is not north-up (cell size 100 x 100); make it north-up "
                      "with gdalwarp",
                      "south up");
    make_tif("two.tif", 2, 2, 2, GT, 25832, ok4, 0, 0);
    expect_read_error("two.tif", "has 2 bands; expected a single band", "two bands");
    make_tif("nan.tif", 1, 2, 2, GT, 25832, v, 0, 0);
    expect_read_error("nan.tif",
                      "row 0, column 1 is NaN, but NaN is not declared as nodata (no nodata "
                      "value is declared)",
                      "an undeclared NaN");
    make_tif("nan9.tif", 1, 2, 2, GT, 25832, v, 1, -9999);
    expect_read_error("nan9.tif",
                      "row 0, column 1 is NaN, but NaN is not declared as nodata (the nodata "
                      "value is -9999)",
                      "a NaN with another nodata");
    expect_read_error("none.tif", "no such file", "a missing file");
    fx_write("text.tif", "not a raster\n");
    struct gpcov_grid r;
    float *w;
    OK(gpcov_raster_read(ctx, fx_path("text.tif"), &r, &w) == GPCOV_EINPUT, "not a raster");
    char want[600];
    snprintf(want, sizeof want, "%s: cannot open as a raster: ", fx_path("text.tif"));
    OK(!strncmp(gpcov_ctx_message(ctx), want, strlen(want)), "cannot open: %s",
       gpcov_ctx_message(ctx));
    /* a declared nodata value read as NaN */
    const double nd[4] = {-9999, 2, 3, -9999};
    make_tif("nd.tif", 1, 2, 2, GT, 25832, nd, 1, -9999);
    OK(gpcov_raster_read(ctx, fx_path("nd.tif"), &r, &w) == GPCOV_OK, "nodata -9999 read");
    OK(isnan(w[0]) && w[1] == 2 && w[2] == 3 && isnan(w[3]), "nodata cells as NaN");
    free(w);
    gpcov_grid_clear(&r);
    gpcov_ctx_forget_inputs(ctx);
}

static void friction(void)
{
    const double neg[4] = {1, 2, -2, 4}, good[4] = {0.5, 0, NAN, 4};
    make_tif("neg.tif", 1, 2, 2, GT, 25832, neg, 0, 0);
    struct gpcov_grid r;
    float *w = (float *)1;
    OK(gpcov_friction_read(ctx, fx_path("neg.tif"), &r, &w) == GPCOV_EINPUT && !w,
       "a negative friction refused");
    char want[700];
    snprintf(want, sizeof want,
             "%s: row 1, column 0: friction -2 is negative (minutes per metre must be >= 0; "
             "use nodata for a barrier)",
             fx_path("neg.tif"));
    STREQ(gpcov_ctx_message(ctx), want, "naming the row and column");
    make_tif("utm33.tif", 1, 2, 2, GT, 25833, neg, 0, 0);
    OK(gpcov_friction_read(ctx, fx_path("utm33.tif"), &r, &w) == GPCOV_EINPUT,
       "EPSG:25833 refused for friction");
    OK(strstr(gpcov_ctx_message(ctx), "the friction raster must be in EPSG:25832") != NULL,
       "the CRS message");
    make_tif("fr.tif", 1, 2, 2, GT, 25832, good, 1, NAN);
    OK(gpcov_friction_read(ctx, fx_path("fr.tif"), &r, &w) == GPCOV_OK, "a good friction raster");
    OK(w[0] == 0.5f && w[1] == 0 && isnan(w[2]) && w[3] == 4, "its values, NaN a barrier");
    /* points to cells: x 500000-500200, y 6199800-6200000 */
    double x[3] = {500100, 500050, 500199.9}, y[3] = {6199950, 6199900, 6199800.1};
    int64_t cells[3];
    OK(gpcov_grid_locate(ctx, &r, NULL, 2, x, y, NULL, cells) == GPCOV_OK, "two points located");
    OK(cells[0] == 1, "(500100, 6199950) on a column edge: the cell east (1)");
    OK(cells[1] == 2, "(500050, 6199900) on a row edge: the row south, cell 2");
    OK(gpcov_grid_locate(ctx, &r, NULL, 3, x, y, NULL, cells) == GPCOV_OK && cells[2] == 3,
       "the south-east corner's inside: cell 3");
    double bx[1] = {500050}, by[1] = {6199850};
    OK(gpcov_grid_locate(ctx, &r, w, 1, bx, by, NULL, cells) == GPCOV_EINPUT, "on a barrier");
    STREQ(gpcov_ctx_message(ctx),
          "source 1: (500050.00, 6199850.00) lies on a barrier (no friction at row 1, column 0)",
          "the barrier message");
    OK(gpcov_grid_locate(ctx, &r, NULL, 1, bx, by, NULL, cells) == GPCOV_OK && cells[0] == 2,
       "without values a barrier is just a cell");
    double ox[1] = {500200}, oy[1] = {6199900};
    const char *names[1] = {"clinics.gpkg: feature 3"};
    OK(gpcov_grid_locate(ctx, &r, w, 1, ox, oy, names, cells) == GPCOV_EINPUT,
       "the east edge is outside");
    STREQ(gpcov_ctx_message(ctx),
          "clinics.gpkg: feature 3: (500200.00, 6199900.00) lies outside the raster (x "
          "500000.00 to 500200.00, y 6199800.00 to 6200000.00)",
          "the outside message names the point");
    size_t c = 99;
    OK(gpcov_grid_cell(&r, 500150, 6199999, &c) == 0 && c == 1, "grid_cell: cell 1");
    OK(gpcov_grid_cell(&r, 500150, 6200000.5, &c) == -1, "grid_cell: north of it, outside");
    OK(gpcov_is_raster(fx_path("fr.tif")) && !gpcov_is_raster(fx_path("text.tif")),
       "is_raster");
    free(w);
    gpcov_grid_clear(&r);
    gpcov_ctx_forget_inputs(ctx);
}

int main(void)
{
    fx_make();
    ctx = gpcov_ctx_new();
    RUN(write_then_read);
    RUN(write_refused);
    RUN(read_refused);
    RUN(friction);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
