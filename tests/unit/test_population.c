/* test_population.c: municipal totals spread over places as whole people
** (hand-computed largest remainders, ties, the filtered-place fallback, a
** municipality with no place, demand) and over a weight raster; then the
** real data: every municipality sums exactly to Statistics Denmark. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <math.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

/* sum of field f over the output points of komkode key */
static double sum_of(const char *path, const char *key, const char *f, int *count)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    double s = 0;
    *count = 0;
    if (!ds)
        return -1;
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH ft;
    while ((ft = OGR_L_GetNextFeature(l))) {
        if (!key || !strcmp(OGR_F_GetFieldAsString(ft, OGR_F_GetFieldIndex(ft, "komkode")), key)) {
            s += OGR_F_GetFieldAsDouble(ft, OGR_F_GetFieldIndex(ft, f));
            ++*count;
        }
        OGR_F_Destroy(ft);
    }
    GDALClose(ds);
    return s;
}

/* the value of field f at the place named name */
static double at_place(const char *path, const char *name, const char *f)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    double v = -1;
    OGRLayerH l = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    OGRFeatureH ft;
    while (l && (ft = OGR_L_GetNextFeature(l))) {
        if (!strcmp(OGR_F_GetFieldAsString(ft, OGR_F_GetFieldIndex(ft, "place")), name))
            v = OGR_F_GetFieldAsDouble(ft, OGR_F_GetFieldIndex(ft, f));
        OGR_F_Destroy(ft);
    }
    if (ds)
        GDALClose(ds);
    return v;
}

static struct gpcov_overlay_spec *totals(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s = gpcov_overlay_spec_new();
    s->polygons = strdup(fx_path("squares.geojson"));
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, fx_path("tot.csv"));
    gpcov_overlay_set_key(ctx, s, "KOMKODE=code");
    gpcov_overlay_add_agg(ctx, s, "pop=sum(n)");
    gpcov_overlay_add_agg(ctx, s, "pop80=sum(n) where age >= 80");
    return s;
}

/* places, in EPSG:25832 via x/y... the reader wants lon/lat in a CSV, so
** GeoJSON: 0101 gets A (weight 1), B (1), C (1): 10 people -> 3.33 each,
** remainder 1 to A (tie, first in the file); 0147 gets only a suburb S
** (filtered, but the fallback); 0825 has no place at all. */
static void case_places(gpcov_ctx *ctx)
{
    fx_write("places.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"A\",\"place\":\"town\",\"population\":100},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[701000,6171000]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"B\",\"place\":\"town\",\"population\":100},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[702000,6171000]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"C\",\"place\":\"village\",\"population\":100},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[703000,6171000]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"X\",\"place\":\"suburb\",\"population\":999},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[704000,6171000]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"S\",\"place\":\"suburb\",\"population\":50},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[711000,6171000]}}\n]}\n");
    struct gpcov_overlay_spec *s = totals(ctx);
    char out[512];
    snprintf(out, sizeof out, "%s", fx_path("pop.geojson"));
    struct gpcov_population_opts o = {.totals = s, .places = fx_path("places.geojson"),
                                      .places_where = "place <> 'suburb'",
                                      .demand = "demand=pop + 1.5 * pop80", .output = out};
    gpcov_status st = gpcov_population(ctx, &o);
    OK(st == GPCOV_OK, "population runs: %s", gpcov_ctx_message(ctx));
    int n;
    NEAR(at_place(out, "A", "pop"), 4, 0, "10 over three equal places: A gets the extra one (tie, first)");
    NEAR(at_place(out, "B", "pop"), 3, 0, "B 3");
    NEAR(at_place(out, "C", "pop"), 3, 0, "C 3");
    NEAR(at_place(out, "A", "pop80"), 1, 0, "2 aged 80+: A 1 (tie)");
    NEAR(at_place(out, "B", "pop80"), 1, 0, "B 1 (tie, before C)");
    NEAR(at_place(out, "C", "pop80"), 0, 0, "C 0");
    NEAR(at_place(out, "X", "pop"), -1, 0, "the suburb in 0101 is filtered out (0101 has towns)");
    NEAR(at_place(out, "S", "pop"), 7, 0, "0147 has only a suburb: it takes all 7 (fallback)");
    NEAR(sum_of(out, "0825", "pop", &n), 5, 0, "0825 has no place: its 5 at one point");
    OK(n == 1 && at_place(out, "(no place: point on surface)", "synthetic") == 1,
       "that point is marked synthetic");
    NEAR(at_place(out, "A", "demand"), 4 + 1.5 * 1, 1e-12, "demand = pop + 1.5 x pop80 (80+ weighted 2.5)");
    NEAR(sum_of(out, NULL, "pop", &n), 22, 0, "all 22 people placed");
    gpcov_overlay_spec_free(s);
}

/* unequal weights: 10 people over weights 100/100/100 changed to 1,2,7 */
static void case_weights(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s;
    char out[512];
    gpcov_status st;
    fx_write("places2.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"P\",\"w\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[701000,6171000]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"Q\",\"w\":2},\"geometry\":{\"type\":\"Point\",\"coordinates\":[702000,6171000]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"R\",\"w\":4},\"geometry\":{\"type\":\"Point\",\"coordinates\":[703000,6171000]}}\n]}\n");
    s = totals(ctx);
    snprintf(out, sizeof out, "%s", fx_path("pop2.geojson"));
    struct gpcov_population_opts o2 = {.totals = s, .places = fx_path("places2.geojson"),
                                       .places_weight = "w", .output = out};
    st = gpcov_population(ctx, &o2);
    /* 10 x 1/7 = 1.43, x 2/7 = 2.86, x 4/7 = 5.71: floors 1+2+5 = 8, the
    ** two left go to the largest remainders .86 (Q) and .71 (R) */
    OK(st == GPCOV_OK && at_place(out, "P", "pop") == 1 && at_place(out, "Q", "pop") == 3 &&
           at_place(out, "R", "pop") == 6,
       "weights 1:2:4 share 10 as 1, 3, 6 (largest remainders)");
    /* no --demand, groups pop and pop80: Q has 3 people, 1 of them 80+ */
    NEAR(at_place(out, "Q", "demand"), 3 + 1.5 * 1, 1e-12,
         "demand by default: pop + 1.5 x pop80 (80+ weighted 2.5)");
    st = gpcov_population(ctx, &o2);
    OK(st == GPCOV_EOUTPUT && strstr(gpcov_ctx_message(ctx), "--overwrite"), "an existing output is refused");
    o2.demand = "none";
    o2.overwrite = 1;
    st = gpcov_population(ctx, &o2);
    GDALDatasetH dd = GDALOpenEx(out, GDAL_OF_VECTOR, NULL, NULL, NULL);
    OK(st == GPCOV_OK && dd &&
           OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(GDALDatasetGetLayer(dd, 0)), "demand") < 0,
       "--demand none: no demand field");
    if (dd)
        GDALClose(dd);
    o2.demand = NULL;
    o2.overwrite = 0;
    o2.places_weight = "nosuch";
    o2.overwrite = 1;
    st = gpcov_population(ctx, &o2);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "no weight field 'nosuch'"),
       "an unknown weight field: %s", gpcov_ctx_message(ctx));
    gpcov_overlay_spec_free(s);
}

/* raster mode: a 30 x 10 raster of 1 km over the three squares */
static void case_raster(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s;
    char out[512];
    gpcov_status st;
    snprintf(out, sizeof out, "%s", fx_path("w.tif"));
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), out, 30, 10, 1, GDT_Float32, NULL);
    double gt[6] = {700000, 1000, 0, 6180000, 0, -1000};
    GDALSetGeoTransform(ds, gt);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 25832);
    GDALSetSpatialRef(ds, srs);
    OSRDestroySpatialReference(srs);
    float wv[300];
    for (int i = 0; i < 300; i++)
        wv[i] = (i % 30) < 10 ? 1 : (i % 30) < 20 ? 3 : 0; /* 0825's cells weigh 0 */
    if (GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, 0, 30, 10, wv, 30, 10, GDT_Float32, 0, 0))
        printf("# write failed\n");
    GDALClose(ds);
    s = totals(ctx);
    char rout[512];
    snprintf(rout, sizeof rout, "%s", fx_path("pop.tif"));
    struct gpcov_population_opts o3 = {.totals = s, .weights_raster = out, .group = "pop", .output = rout};
    st = gpcov_population(ctx, &o3);
    OK(st == GPCOV_OK, "raster mode runs: %s", gpcov_ctx_message(ctx));
    struct gpcov_grid g = {0};
    float *v = NULL;
    if (st == GPCOV_OK && gpcov_raster_read(ctx, rout, &g, &v) == GPCOV_OK) {
        double s1 = 0, s2 = 0, s3 = 0;
        for (int r = 0; r < 10; r++)
            for (int c = 0; c < 30; c++) {
                float x = v[r * 30 + c];
                if (isnan(x))
                    continue;
                if (c < 10) s1 += x; else if (c < 20) s2 += x; else s3 += x;
            }
        NEAR(s1, 10, 1e-4, "raster: 0101's cells sum to 10");
        NEAR(s2, 7, 1e-4, "raster: 0147's cells sum to 7");
        NEAR(s3, 5, 1e-4, "raster: 0825 (all weights 0) keeps its 5 in one cell");
        NEAR(v[0], 0.1, 1e-6, "raster: 10 people over 100 equal cells, 0.1 each");
        free(v);
        gpcov_grid_clear(&g);
    }
    gpcov_overlay_spec_free(s);
}

/* the real data: every municipality sums exactly to FOLK1A */
static void case_real_data(gpcov_ctx *ctx)
{
    struct gpcov_overlay_spec *s;
    char out[512];
    gpcov_status st;
    int n;
    const char *data = getenv("DATA") ? getenv("DATA") : "../shared/data";
    char path[600];
    s = gpcov_overlay_spec_new();
    s->polygons = strdup("shapefiles/kommuner.shp");
    snprintf(path, sizeof path, "%s/dst/folk1a_2020q1_area_age_sex.csv", data);
    gpcov_overlay_add_source(ctx, s, GPCOV_SRC_TABLE, path);
    gpcov_overlay_set_key(ctx, s, "code=area_code");
    gpcov_overlay_set_where(ctx, s, "level in ('kommune','other')");
    gpcov_overlay_add_agg(ctx, s, "pop=sum(total)");
    snprintf(out, sizeof out, "%s", fx_path("real.gpkg"));
    snprintf(path, sizeof path, "%s/osm/places_with_population_2019.csv", data);
    struct gpcov_population_opts o4 = {.totals = s, .places = path,
                                       .places_where = "place <> 'suburb'", .output = out};
    st = gpcov_population(ctx, &o4);
    OK(st == GPCOV_OK, "real data: OSM places carry the FOLK1A totals: %s", gpcov_ctx_message(ctx));
    /* per municipality from the CSV, read independently */
    snprintf(path, sizeof path, "%s/dst/folk1a_2020q1_area_age_sex.csv", data);
    FILE *f = fopen(path, "r");
    char line[512];
    double want[10000] = {0};
    while (f && fgets(line, sizeof line, f)) {
        char code[8], name[80], level[16];
        int age;
        double men, women, total;
        if (sscanf(line, "%4[0-9],%79[^,],%15[^,],%*[0-9],%d,%lf,%lf,%lf", code, name, level, &age,
                   &men, &women, &total) == 7 &&
            (!strcmp(level, "kommune") || !strcmp(level, "other")))
            want[atoi(code)] += total;
    }
    if (f)
        fclose(f);
    int bad = 0, checked = 0;
    for (int c = 1; c < 10000; c++) {
        if (want[c] == 0 && c != 411)
            continue;
        char key[16];
        snprintf(key, sizeof key, "%04d", c);
        double got = sum_of(out, key, "pop", &n);
        checked++;
        if (got != want[c]) {
            bad++;
            printf("#   %s: %.0f placed, FOLK1A %.0f\n", key, got, want[c]);
        }
    }
    OK(checked == 99 && bad == 0, "all %d municipalities sum exactly to FOLK1A (%d differ)", checked, bad);
    NEAR(sum_of(out, NULL, "pop", &n), 5822763, 0, "Denmark: 5,822,763 people placed");
    gpcov_overlay_spec_free(s);
}

int main(void)
{
    fx_make();
    GDALAllRegister();
    /* totals: 0101 has 10 people (2 of them 80+), 0147 has 7 (1), 0825 5 (0) */
    fx_write("tot.csv", "code,age,n\n101,30,8\n101,85,2\n147,30,6\n147,90,1\n825,40,5\n");
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_places, ctx);
    RUN_ON(case_weights, ctx);
    RUN_ON(case_raster, ctx);
    RUN_ON(case_real_data, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
