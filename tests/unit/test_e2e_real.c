/*
** test_e2e_real.c: the main job on the real data in ../shared/data, checked
** against the figures Statistics Denmark publishes and against the source
** files read independently (plain stdio here, OGR for the output), not
** through gpcov's own readers.
*/
#include "tap.h"

#include <cairo.h>
#include <sys/stat.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <math.h>

static const char *data_dir(void)
{
    const char *d = getenv("DATA");
    return d ? d : "../shared/data";
}

/* the output feature with komkode = code, or NULL */
static OGRFeatureH find(OGRLayerH l, const char *code)
{
    OGR_L_ResetReading(l);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l))) {
        if (!strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "komkode")), code))
            return f;
        OGR_F_Destroy(f);
    }
    return NULL;
}

static double field(OGRLayerH l, const char *code, const char *name)
{
    OGRFeatureH f = find(l, code);
    if (!f)
        return -1;
    int i = OGR_F_GetFieldIndex(f, name);
    double v = i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsDouble(f, i) : -1;
    OGR_F_Destroy(f);
    return v;
}

/* what the cases share: the command, the output directory of the main job,
** and its municipalities.geojson while open */
struct e2e {
    const char *gpcov;
    char out[32];
    GDALDatasetH ds;
    OGRLayerH l;
};

/* municipalities.geojson: the features, the population and the published
** shares; leaves the file open in job for the projection */
static void case_municipalities(struct e2e *job)
{
    const char *out = job->out;
    char path[1024];
    snprintf(path, sizeof path, "%s/municipalities.geojson", out);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    OK(ds != NULL, "municipalities.geojson opens");
    job->ds = ds;
    if (!ds)
        return;
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGR_L_ResetReading(l);
    long n = 0, flagged = 0, designated = 0, ring_ok = 1;
    double pop = 0, pop80 = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l))) {
        n++;
        const char *flag = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "flag"));
        if (flag && *flag)
            flagged++;
        designated += OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "designated_2019"));
        pop += OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "pop_2020"));
        pop80 += OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "pop80_2020"));
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGREnvelope e;
        OGR_G_GetEnvelope(g, &e);
        /* RFC 7946: lon/lat, Denmark is at about 8-15.2 E, 54.5-57.8 N */
        if (e.MinX < 7.9 || e.MaxX > 15.3 || e.MinY < 54.5 || e.MaxY > 57.8)
            ring_ok = 0;
        OGR_F_Destroy(f);
    }
    OK(n == 99, "98 municipalities plus Christiansø: %ld features", n);
    OK(flagged == 1 && field(l, "0411", "pop_2020") == 84, "Christiansø (0411) is kept and flagged");
    OK(designated == 42, "42 designated municipalities (PLO 2019): %ld", designated);
    OK(ring_ok, "GeoJSON coordinates are lon/lat within Denmark (RFC 7946)");
    NEAR(pop, 5822763, 0, "Denmark's population 1 January 2020");
    NEAR(100 * pop80 / pop, 4.68, 0.005, "80+ share nationally 4.68 %%");
    NEAR(field(l, "0101", "share80_2020"), 2.07, 0.005, "København 80+ share 2020: 2.07 %%");
    NEAR(field(l, "0825", "share80_2020"), 9.57, 0.005, "Læsø 80+ share 2020: 9.57 %%");
    NEAR(field(l, "0492", "share80_2020"), 9.59, 0.005, "Ærø 80+ share 2020: 9.6 %% as published");
    NEAR(field(l, "0787", "training_posts"), 5, 0, "Thisted has 5 training posts");
    NEAR(field(l, "0851", "training_posts"), 22, 0, "Aalborg has 22");
    NEAR(field(l, "0265", "training_posts"), -1, 0, "Roskilde: posts unknown (regional total only), empty");
    NEAR(field(l, "0360", "training_posts"), 0, 0, "Lolland: no training area, 0");
    job->l = l;
}

/* the projection columns against the projection file read here; closes
** municipalities.geojson */
static void case_projection(struct e2e *job)
{
    GDALDatasetH ds = job->ds;
    OGRLayerH l = job->l;
    char path[1024];

    /* share80_2035 = a80p / total for every municipality of the projection */
    snprintf(path, sizeof path, "%s/dst/frkm126_kommune_2026_2035_agegroups.csv", data_dir());
    FILE *csv = fopen(path, "r");
    char line[1024];
    int rows = 0, bad = 0, g_bad = 0;
    double a26[10000] = {0};
    if (csv && fgets(line, sizeof line, csv)) {
        while (fgets(line, sizeof line, csv)) {
            char code[8], name[64];
            int region, year;
            double total, g[7];
            if (sscanf(line, "%4[0-9],%63[^,],%d,%d,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", code, name,
                       &region, &year, &total, &g[0], &g[1], &g[2], &g[3], &g[4], &g[5],
                       &g[6]) != 12)
                continue;
            int c = atoi(code);
            if (year == 2026) {
                a26[c] = g[6];
                continue;
            }
            rows++;
            double got = field(l, code, "share80_2035");
            if (got < 0 || got - 100 * g[6] / total > 1e-9 || 100 * g[6] / total - got > 1e-9) {
                bad++;
                printf("#   %s: share80_2035 %.6f, expected %.6f\n", code, got, 100 * g[6] / total);
            }
            double growth = field(l, code, "growth80_2026_2035");
            double want = 100 * (g[6] - a26[c]) / a26[c];
            if (growth - want > 1e-9 || want - growth > 1e-9)
                g_bad++;
        }
        fclose(csv);
    }
    OK(rows == 98 && bad == 0, "share80_2035 = a80p/total for all %d municipalities (%d differ)", rows, bad);
    OK(rows == 98 && g_bad == 0, "growth80_2026_2035 matches the projection for all (%d differ)", g_bad);
    GDALClose(ds);
    job->ds = NULL;
}

/* the GeoPackage and figure 3.8 */
static void case_gpkg_figure(struct e2e *job)
{
    const char *out = job->out;
    char path[1024];
    GDALDatasetH ds;
    OGRLayerH l;

    /* the GeoPackage holds the same, in EPSG:25832 */
    snprintf(path, sizeof path, "%s/municipalities.gpkg", out);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    OK(ds != NULL, "municipalities.gpkg opens");
    if (ds) {
        l = GDALDatasetGetLayerByName(ds, "municipalities");
        OK(l && OGR_L_GetFeatureCount(l, 1) == 99, "GeoPackage layer 'municipalities' with 99 features");
        OGRSpatialReferenceH srs = l ? OGR_L_GetSpatialRef(l) : NULL;
        const char *auth = srs ? OSRGetAuthorityCode(srs, NULL) : NULL;
        STREQ(auth, "25832", "GeoPackage CRS is EPSG:25832");
        GDALClose(ds);
    }
    /* figure 3.8 in three formats, the PNG at least 1,600 px wide */
    snprintf(path, sizeof path, "%s/fig3_8.png", out);
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    OK(cairo_surface_status(png) == CAIRO_STATUS_SUCCESS &&
           cairo_image_surface_get_width(png) >= 1600,
       "fig3_8.png is a PNG at least 1600 px wide (%d)", cairo_image_surface_get_width(png));
    cairo_surface_destroy(png);
    const char *ext[2] = {"svg", "pdf"};
    for (int k = 0; k < 2; k++) {
        struct stat sb;
        snprintf(path, sizeof path, "%s/fig3_8.%s", out, ext[k]);
        OK(stat(path, &sb) == 0 && sb.st_size > 10000, "fig3_8.%s written", ext[k]);
    }
}

/* the commute from the training sites: raster, isochrones and map */
static void case_commute(struct e2e *job)
{
    const char *out = job->out;
    char path[1024];
    GDALDatasetH ds;
    OGRLayerH l;
    OGRFeatureH f;
    cairo_surface_t *png;

    /* the commute from the training sites: the national road network, labelled */
    snprintf(path, sizeof path, "%s/commute_minutes.tif", out);
    GDALDatasetH tt = GDALOpen(path, GA_ReadOnly);
    const char *model = tt ? GDALGetMetadataItem(tt, "GPCOV_MODEL", NULL) : NULL;
    OK(model && strstr(model, "road network model: OpenStreetMap-vejnettet for Danmark"),
       "commute_minutes.tif is labelled as the national road network model");
    if (tt)
        GDALClose(tt);
    snprintf(path, sizeof path, "%s/commute_isochrones.gpkg", out);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (ds) {
        l = GDALDatasetGetLayer(ds, 0);
        double a[3] = {0};
        int k = 0, labelled = 1;
        OGR_L_ResetReading(l);
        while ((f = OGR_L_GetNextFeature(l)) && k < 3) {
            a[k++] = OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "area_km2"));
            labelled &= strstr(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "model")),
                               "road network model") != NULL;
            OGR_F_Destroy(f);
        }
        OK(k == 3 && a[0] < a[1] && a[1] < a[2] && a[2] < 43200 && a[2] > 40000,
           "30/60/120-min isochrones grow and stay on land (%.0f, %.0f, %.0f km2)", a[0], a[1], a[2]);
        OK(labelled, "every isochrone names its model");
        GDALClose(ds);
    } else {
        OK(0, "commute_isochrones.gpkg opens");
    }
    snprintf(path, sizeof path, "%s/commute.png", out);
    png = cairo_image_surface_create_from_png(path);
    OK(cairo_surface_status(png) == CAIRO_STATUS_SUCCESS && cairo_image_surface_get_width(png) >= 1600,
       "the commute map is drawn");
    cairo_surface_destroy(png);
}

/* the main job again with an eSundhed table written from the projection */
static void case_esundhed(struct e2e *job)
{
    const char *gpcov = job->gpcov, *out = job->out;
    char cmd[2048], path[1024], line[1024];
    GDALDatasetH ds;
    OGRLayerH l;
    FILE *csv;

    /* with an eSundhed table in the shape users download (a Danish Excel
    ** CSV: semicolons, "101 København", 1.234 and 2,5): capacities are set
    ** so that patients per capacity is 1,500 + code/10, checkable exactly */
    snprintf(path, sizeof path, "%s/dst/frkm126_kommune_2026_2035_agegroups.csv", data_dir());
    csv = fopen(path, "r");
    char es[1100];
    snprintf(es, sizeof es, "%s/esundhed.csv", out);
    FILE *ef = fopen(es, "w");
    int written = 0;
    if (csv && ef && fgets(line, sizeof line, csv)) {
        fprintf(ef, "kommune;tilmeldte patienter;lægekapaciteter\n");
        while (fgets(line, sizeof line, csv)) {
            char code[8], name[64];
            int region, year;
            long total;
            if (sscanf(line, "%4[0-9],%63[^,],%d,%d,%ld", code, name, &region, &year, &total) != 5 ||
                year != 2026)
                continue;
            double ppc = 1500 + atoi(code) / 10.0;
            double cap = total / ppc;
            fprintf(ef, "%d %s;%ld.%03ld;%.0f,%06.0f\n", atoi(code), name, total / 1000, total % 1000,
                    floor(cap), (cap - floor(cap)) * 1e6);
            written++;
        }
    }
    if (csv)
        fclose(csv);
    if (ef)
        fclose(ef);
    snprintf(cmd, sizeof cmd,
             "'%s' report reports/denmark.ini -q --overwrite --set esundhed='%s' --set data='%s' "
             "--set out='%s'", gpcov, es, data_dir(), out);
    OK(written == 98 && system(cmd) == 0, "the main job runs with an eSundhed table");
    snprintf(path, sizeof path, "%s/municipalities.geojson", out);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (ds) {
        l = GDALDatasetGetLayer(ds, 0);
        NEAR(field(l, "0101", "patients_per_capacity"), 1510.1, 1e-4,
             "København: patients per capacity from '671.714' and '444,...' (Danish CSV)");
        NEAR(field(l, "0860", "patients_per_capacity"), 1586, 1e-4, "Hjørring: 1,586");
        NEAR(field(l, "0101", "patients"), 671714, 0, "København: 671,714 registered patients");
        NEAR(field(l, "0411", "patients_per_capacity"), -1, 0, "Christiansø: none (exempt)");
        GDALClose(ds);
    } else {
        OK(0, "municipalities.geojson with eSundhed opens");
    }
}

int main(void)
{
    struct e2e e = {.out = "/tmp/gpcov-e2e-XXXXXX"};
    char cmd[2048];
    if (!mkdtemp(e.out))
        return 1;
    e.gpcov = getenv("GPCOV") ? getenv("GPCOV") : "build/gpcov";
    snprintf(cmd, sizeof cmd, "'%s' report reports/denmark.ini -q --set data='%s' --set out='%s'",
             e.gpcov, data_dir(), e.out);
    OK(system(cmd) == 0, "the main job (reports/denmark.ini) runs on the real data");
    GDALAllRegister();
    RUN_ON(case_municipalities, &e);
    if (!e.ds)
        return tap_done();
    RUN_ON(case_projection, &e);
    RUN_ON(case_gpkg_figure, &e);
    RUN_ON(case_commute, &e);
    RUN_ON(case_esundhed, &e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", e.out);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", e.out);
    return tap_done();
}
