/* test_dissolve.c: one (multi)polygon per code (dissolve.c) on the three
** fixture squares and on an island municipality of two separate parts:
** codes written as 825 and 0825 become one feature, the area is kept,
** separate parts make a multipolygon, the name and flag fields are filled,
** the output is in code order; and the refusals with their messages.
** The output is read back through OGR directly, not through gpcov. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <gdal.h>
#include <ogr_api.h>
#include <stdlib.h>
#include <string.h>

/* What one feature of the output holds. */
struct got {
    char code[16], name[64], flag[64];
    double area;
    int type, parts;
};

/* The features of the GeoPackage path, up to max; -1 when it cannot be read. */
static int read_back(const char *path, struct got *g, int max)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return -1;
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH f;
    int n = 0;
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l))) {
        if (n < max) {
            struct got *o = &g[n];
            const char *fld[3] = {"code", "name", "flag"};
            char *dst[3] = {o->code, o->name, o->flag};
            for (int k = 0; k < 3; k++) {
                int i = OGR_F_GetFieldIndex(f, fld[k]);
                snprintf(dst[k], k ? 64 : 16, "%s",
                         i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsString(f, i)
                                                                    : "(null)");
            }
            OGRGeometryH geom = OGR_F_GetGeometryRef(f);
            o->type = geom ? (int)wkbFlatten(OGR_G_GetGeometryType(geom)) : -1;
            o->parts = geom && o->type == wkbMultiPolygon ? OGR_G_GetGeometryCount(geom) : 1;
            o->area = geom ? OGR_G_Area(geom) : -1;
        }
        n++;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return n;
}

static void case_squares(gpcov_ctx *ctx)
{
    char *flags[] = {"825=ikke dækket", "0101=hovedstad", NULL};
    gpcov_status st = gpcov_dissolve(ctx, fx_path("squares.geojson"), "KOMKODE", "KOMNAVN", flags,
                                     fx_path("kommuner.gpkg"), NULL);
    OK(st == GPCOV_OK, "the squares dissolve: %s", st ? gpcov_ctx_message(ctx) : "");
    struct got g[4];
    int n = read_back(fx_path("kommuner.gpkg"), g, 4);
    OK(n == 3, "four features, three codes: three features (%d)", n);
    if (n != 3)
        return;
    STREQ(g[0].code, "0101", "first 0101");
    STREQ(g[1].code, "0147", "then 0147");
    STREQ(g[2].code, "0825", "then 0825: its parts coded 0825 and 825 are one");
    STREQ(g[0].name, "København", "the name field copied to 'name'");
    STREQ(g[2].name, "Læsø", "  with its letters");
    NEAR(g[0].area, 1e8, 1e-3, "0101 is 10 x 10 km");
    NEAR(g[2].area, 1e8, 1e-3, "0825: two halves of 10 x 5 km, the area kept");
    OK(g[2].type == wkbPolygon || (g[2].type == wkbMultiPolygon && g[2].parts == 1),
       "two halves that share an edge become one polygon");
    STREQ(g[2].flag, "ikke dækket", "a flag given as 825 marks 0825");
    STREQ(g[0].flag, "hovedstad", "a second flag");
    STREQ(g[1].flag, "", "an unflagged code has an empty flag");
}

static void case_islands(gpcov_ctx *ctx)
{
    /* 0400 in two islands 1 km apart (3 + 2 km^2), 0101 one square of 1 km^2 */
    fx_write("islands.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"kode\":\"400\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[0,0],[3000,0],[3000,1000],[0,1000],[0,0]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"kode\":\"101\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[0,5000],[1000,5000],[1000,6000],[0,6000],[0,5000]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"kode\":\"0400\"},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[4000,0],[5000,0],[5000,2000],[4000,2000],[4000,0]]]}}\n]}\n");
    OK(gpcov_dissolve(ctx, fx_path("islands.geojson"), "kode", NULL, NULL,
                      fx_path("islands.gpkg"), NULL) == GPCOV_OK,
       "without a name field or flags");
    struct got g[3];
    int n = read_back(fx_path("islands.gpkg"), g, 3);
    OK(n == 2, "two codes, two features (%d)", n);
    if (n != 2)
        return;
    STREQ(g[1].code, "0400", "0400 after 0101, codes padded to four digits");
    OK(g[1].type == wkbMultiPolygon && g[1].parts == 2, "islands apart: a multipolygon of 2 parts");
    NEAR(g[1].area, 5e6, 1e-6, "its area: 3 + 2 km^2");
    NEAR(g[0].area, 1e6, 1e-6, "0101: 1 km^2");
    STREQ(g[1].name, "(null)", "no name field: 'name' is empty");
    STREQ(g[1].flag, "", "no flags: 'flag' is empty");
    OK(gpcov_dissolve(ctx, fx_path("islands.geojson"), "kode", NULL, NULL,
                      fx_path("islands.gpkg"), NULL) != GPCOV_OK,
       "an existing output is refused without overwrite");
    struct gpcov_write_opts wo = {.overwrite = 1};
    OK(gpcov_dissolve(ctx, fx_path("islands.geojson"), "kode", NULL, NULL,
                      fx_path("islands.gpkg"), &wo) == GPCOV_OK,
       "and replaced with it");
}

static void case_refused(gpcov_ctx *ctx)
{
    char want[700];
    const char *src = fx_path("squares.geojson");
    char *noeq[] = {"0825", NULL};
    OK(gpcov_dissolve(ctx, src, "KOMKODE", NULL, noeq, fx_path("x1.gpkg"), NULL) == GPCOV_EUSAGE,
       "a flag without '=' is a usage error");
    STREQ(gpcov_ctx_message(ctx), "--flag '0825': expected CODE=REASON", "  with its message");
    char *bad[] = {"08x5=typo", NULL};
    OK(gpcov_dissolve(ctx, src, "KOMKODE", NULL, bad, fx_path("x2.gpkg"), NULL) == GPCOV_EINPUT,
       "a flag on a code with a letter in it: no such feature");
    snprintf(want, sizeof want, "%s: --flag 08x5: no feature has KOMKODE 08x5", src);
    STREQ(gpcov_ctx_message(ctx), want, "  with its message");
    char *typo[] = {"0101=ok", "851=Aalborg", NULL};
    OK(gpcov_dissolve(ctx, src, "KOMKODE", NULL, typo, fx_path("x3.gpkg"), NULL) == GPCOV_EINPUT,
       "a flag on a code no feature has is refused");
    snprintf(want, sizeof want, "%s: --flag 851: no feature has KOMKODE 0851", src);
    STREQ(gpcov_ctx_message(ctx), want, "  with its message");
    OK(gpcov_dissolve(ctx, src, "KOMKODE", "NAVN", NULL, fx_path("x4.gpkg"), NULL) == GPCOV_EINPUT,
       "a name field that is not there");
    snprintf(want, sizeof want, "%s: no field 'NAVN'", src);
    STREQ(gpcov_ctx_message(ctx), want, "  with its message");
    OK(access(fx_path("x1.gpkg"), F_OK) != 0 && access(fx_path("x2.gpkg"), F_OK) != 0 &&
           access(fx_path("x3.gpkg"), F_OK) != 0 &&
           access(fx_path("x4.gpkg"), F_OK) != 0,
       "nothing is written when refused");
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_squares, ctx);
    RUN_ON(case_islands, ctx);
    RUN_ON(case_refused, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
