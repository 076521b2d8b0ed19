/*
** osm_pass.c: GDAL's OSM driver alone, making the calls gpcov's road
** reader makes (lib/travel/network.c): open the file, declare interest in
** the lines layer, then read every feature in interleaved order, keeping
** the lines.  Three ways: "all" (no interest declared: every layer is
** built, as before issue 14), "lines" (interest in the lines layer, the
** driver's own osmconf.ini) and "gpcov" (interest, and the lines layer cut
** to the road reader's tags by gpcov_osmconf_make, as gpcov reads).
** Prints the number of lines, so that the ways can be checked to give the
** same roads.  Linked with libgpcov.a.
**   usage: osm_pass FILE.osm.pbf all|lines|gpcov
*/
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <string.h>

/* lib/travel/network_internal.h; the keys are those of network.c's
** reader_keys with the default options */
char *gpcov_osmconf_make(const char *const *keys, int nkeys);
void gpcov_osmconf_free(char *path);

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[2], "lines") && strcmp(argv[2], "all") && strcmp(argv[2], "gpcov"))) {
        fprintf(stderr, "usage: osm_pass FILE.osm.pbf all|lines|gpcov\n");
        return 2;
    }
    GDALAllRegister();
    static const char *const keys[] = {"highway", "route",    "access",  "duration", "maxspeed",
                                       "oneway",  "junction", "brunnel", "bridge",   "tunnel"};
    char *conf = strcmp(argv[2], "gpcov") ? NULL : gpcov_osmconf_make(keys, 10);
    if (!strcmp(argv[2], "gpcov") && !conf) {
        fprintf(stderr, "osm_pass: no configuration made (OSM_CONFIG_FILE set, or no osmconf.ini)\n");
        return 1;
    }
    char **oo = conf ? CSLSetNameValue(NULL, "CONFIG_FILE", conf) : NULL;
    GDALDatasetH ds = GDALOpenEx(argv[1], GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                                 (const char *const *)oo, NULL);
    CSLDestroy(oo);
    gpcov_osmconf_free(conf);
    if (!ds) {
        fprintf(stderr, "osm_pass: cannot open %s\n", argv[1]);
        return 1;
    }
    if (strcmp(argv[2], "all")) {
        OGRLayerH res = GDALDatasetExecuteSQL(ds, "SET interest_layers = lines", NULL, NULL);
        if (res)
            GDALDatasetReleaseResultSet(ds, res);
    }
    OGRLayerH lines = GDALDatasetGetLayerByName(ds, "lines"), from = NULL;
    long n = 0, other = 0;
    OGRFeatureH f;
    while ((f = GDALDatasetGetNextFeature(ds, &from, NULL, NULL, NULL))) {
        if (from == lines)
            n++;
        else
            other++;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    printf("%ld lines %ld other\n", n, other);
    return 0;
}
