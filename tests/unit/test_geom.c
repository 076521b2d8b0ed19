/* test_geom.c: geometries between OGR and GEOS (geom.c): polygons with
** holes and multipolygons cross both ways unchanged, checked against an
** independent parse of the same WKT and against areas worked by hand. */
#include "io/io_internal.h"
#include "tap.h"
#include "testfile.h"

#include <cpl_conv.h>
#include <ogr_api.h>

static gpcov_ctx *ctx;

static OGRGeometryH ogr_wkt(const char *wkt)
{
    OGRGeometryH g = NULL;
    char *p = (char *)wkt;
    if (OGR_G_CreateFromWkt(&p, NULL, &g) != OGRERR_NONE)
        return NULL;
    return g;
}

/* OGR -> GEOS is exactly GEOS's own reading of the WKT, and back again is
** exactly OGR's own reading; area in both. */
static void round_trip(const char *what, const char *wkt, double area, int type)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    OGRGeometryH o = ogr_wkt(wkt);
    GEOSGeometry *want = tf_wkt(ctx, wkt);
    GEOSGeometry *g = o ? gpcov_ogr_to_geos(ctx, o) : NULL;
    OK(g != NULL, "%s: OGR to GEOS", what);
    if (!g || !want) {
        OGR_G_DestroyGeometry(o);
        return;
    }
    OK(GEOSEqualsExact_r(h, g, want, 0) == 1, "%s: the same vertices as GEOS's parse", what);
    OK(GEOSGeomTypeId_r(h, g) == type, "%s: GEOS type %d", what, type);
    double a = -1;
    GEOSArea_r(h, g, &a);
    NEAR(a, area, 1e-9, "%s: GEOS area %g", what, area);
    OGRGeometryH back = gpcov_geos_to_ogr(ctx, g);
    OK(back != NULL, "%s: GEOS to OGR", what);
    if (back) {
        OK(OGR_G_Equals(back, o), "%s: OGR equal to the original", what);
        NEAR(OGR_G_Area(back), area, 1e-9, "%s: OGR area %g", what, area);
        char *w = NULL;
        OGR_G_ExportToIsoWkt(back, &w);
        STREQ(w, wkt, "%s: the same WKT back", what);
        CPLFree(w);
        OGR_G_DestroyGeometry(back);
    }
    GEOSGeom_destroy_r(h, g);
    GEOSGeom_destroy_r(h, want);
    OGR_G_DestroyGeometry(o);
}

static void polygons(void)
{
    round_trip("square", "POLYGON ((0 0,10 0,10 10,0 10,0 0))", 100, GEOS_POLYGON);
    /* 10 x 10 less two holes of 2 x 2 and 1 x 3 */
    round_trip("polygon with two holes",
               "POLYGON ((0 0,10 0,10 10,0 10,0 0),(2 2,2 4,4 4,4 2,2 2),"
               "(6 6,6 9,7 9,7 6,6 6))",
               100 - 4 - 3, GEOS_POLYGON);
    round_trip("real coordinates",
               "POLYGON ((700000.25 6170000.5,710000.75 6170000.5,710000.75 6180000.5,"
               "700000.25 6170000.5))",
               0.5 * 10000.5 * 10000, GEOS_POLYGON);
}

static void multipolygons(void)
{
    /* 1 x 1, and 4 x 4 with a 2 x 2 hole: 1 + 16 - 4 */
    round_trip("multipolygon, one part with a hole",
               "MULTIPOLYGON (((0 0,1 0,1 1,0 1,0 0)),((5 5,9 5,9 9,5 9,5 5),"
               "(6 6,6 8,8 8,8 6,6 6)))",
               13, GEOS_MULTIPOLYGON);
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    OGRGeometryH o = ogr_wkt("MULTIPOLYGON (((0 0,1 0,1 1,0 1,0 0)),((5 5,9 5,9 9,5 9,5 5),"
                             "(6 6,6 8,8 8,8 6,6 6)))");
    GEOSGeometry *g = gpcov_ogr_to_geos(ctx, o);
    OK(g && GEOSGetNumGeometries_r(h, g) == 2, "two parts");
    OK(g && GEOSGetNumInteriorRings_r(h, GEOSGetGeometryN_r(h, g, 1)) == 1,
       "the second has one hole");
    OK(g && GEOSGetNumInteriorRings_r(h, GEOSGetGeometryN_r(h, g, 0)) == 0,
       "the first has none");
    GEOSGeom_destroy_r(h, g);
    OGR_G_DestroyGeometry(o);
}

static void z_and_empty(void)
{
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    OGRGeometryH o = ogr_wkt("POLYGON Z ((0 0 5,2 0 5,2 2 7,0 0 5))");
    GEOSGeometry *g = gpcov_ogr_to_geos(ctx, o);
    OK(g && GEOSHasZ_r(h, g) == 1, "OGR's Z reaches GEOS");
    OGRGeometryH back = g ? gpcov_geos_to_ogr(ctx, g) : NULL;
    OK(back && OGR_G_CoordinateDimension(back) == 2, "GEOS to OGR is 2D: Z dropped");
    NEAR(back ? OGR_G_Area(back) : -1, 2, 1e-12, "the triangle's area 2");
    OGR_G_DestroyGeometry(back);
    GEOSGeom_destroy_r(h, g);
    OGR_G_DestroyGeometry(o);
    o = ogr_wkt("POLYGON EMPTY");
    g = gpcov_ogr_to_geos(ctx, o);
    OK(g && GEOSisEmpty_r(h, g) == 1, "an empty polygon stays empty");
    GEOSGeom_destroy_r(h, g);
    OGR_G_DestroyGeometry(o);
    o = ogr_wkt("POINT (3 4)");
    g = gpcov_ogr_to_geos(ctx, o);
    double x = 0, y = 0;
    OK(g && GEOSGeomGetX_r(h, g, &x) == 1 && GEOSGeomGetY_r(h, g, &y) == 1 && x == 3 && y == 4,
       "a point crosses too");
    GEOSGeom_destroy_r(h, g);
    OGR_G_DestroyGeometry(o);
}

int main(void)
{
    ctx = gpcov_ctx_new();
    RUN(polygons);
    RUN(multipolygons);
    RUN(z_and_empty);
    gpcov_ctx_free(ctx);
    return tap_done();
}
