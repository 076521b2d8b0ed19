/*
** commands.c: the table of gpcov's commands, for the dispatcher (main.c)
** and for `gpcov report`, which runs them as the steps of a definition
** and learns from their option tables which files each step reads and
** writes.
*/
#include "cmd.h"

#include <string.h>

static const struct command commands[] = {
    {"overlay", cmd_overlay, "join indicator tables and points to polygons, derive indicators",
     &opts_overlay},
    {"dissolve", cmd_dissolve, "one (multi)polygon per code, e.g. the DAGI municipality parts",
     &opts_dissolve},
    {"population", cmd_population, "spread municipal totals over where people live, exactly",
     &opts_population},
    {"traveltime", cmd_traveltime, "minutes to the nearest source: road network, friction raster or straight line",
     &opts_traveltime},
    {"isochrone", cmd_isochrone, "travel times into nested polygons (30/60/120 min), with population inside",
     &opts_isochrone},
    {"access", cmd_access, "two-step floating catchment accessibility (2SFCA, E2SFCA, Gaussian, step)",
     &opts_access},
    {"threat", cmd_threat, "threatened areas by transparent rules, with agreement to a designation list",
     &opts_threat},
    {"fee", cmd_fee, "allocate the differentiated base fee, exactly to the øre",
     &opts_fee},
    {"map", cmd_map, "render choropleth maps (figure 3.8 layout) to PNG, SVG or PDF",
     &opts_map},
    {"webmap", cmd_webmap, "one self-contained interactive HTML map of the indicators (Leaflet inlined)",
     &opts_webmap},
    {"query", cmd_query, "the units where a condition holds, as a table (and a layer)",
     &opts_query},
    {"coverage", cmd_coverage, "capacity-constrained coverage: people assigned to practices nearest first until full",
     &opts_coverage},
    {"compare", cmd_compare, "what changed between two report runs (or layers), per municipality",
     &opts_compare},
    {"matrix", cmd_matrix, "travel times from origins to destinations, long format (CSV, XLSX, GPKG, PostGIS)",
     &opts_matrix},
    {"site", cmd_site, "where k new sites reach the most people (maximal covering, p-median, capacity)",
     &opts_site},
    {"report", cmd_report, "run a whole analysis from one definition file, with a manifest",
     &opts_report},
    {NULL, NULL, NULL, NULL},
};

const struct command *command_list(void)
{
    return commands;
}

const struct command *command_find(const char *name)
{
    for (const struct command *c = commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}
