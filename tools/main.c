/*
** main.c: the gpcov binary dispatches to one file per command.
*/
#include "cmd.h"

#include <gdal.h>
#include <proj.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *what;
} commands[] = {
    {"overlay", cmd_overlay, "join indicator tables and points to polygons, derive indicators"},
    {"dissolve", cmd_dissolve, "one (multi)polygon per code, e.g. the DAGI municipality parts"},
    {"map", cmd_map, "render choropleth maps (figure 3.8 layout) to PNG, SVG or PDF"},
    {"population", cmd_population, "spread municipal totals over where people live, exactly"},
    {"threat", cmd_threat, "threatened areas by transparent rules, with agreement to a designation list"},
    {"traveltime", cmd_traveltime, "minutes to the nearest source: road network, friction raster or straight line"},
    {"isochrone", cmd_isochrone, "travel times into nested polygons (30/60/120 min), with population inside"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: gpcov <command> [options]   (gpcov <command> --help)\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].what);
    fprintf(f, "\n  --version  versions of gpcov and its libraries\n"
               "\nexit codes: 0 ok, 1 bad input or output not writable, 2 usage error,\n"
               "            3 out of memory or internal error, 4 cancelled\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        PJ_INFO pi = proj_info();
        printf("gpcov %s\nGDAL %s\nGEOS %s\nPROJ %s\n", GPCOV_VERSION,
               GDALVersionInfo("RELEASE_NAME"), GEOSversion(), pi.release);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "gpcov: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
