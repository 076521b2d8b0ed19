/*
** speed.c: how fast a car moves on a road of a given class, and how a
** tagged maxspeed is read.  The defaults are free-flow car speeds for
** Danish roads, below the legal limits (130 motorway, 80 rural, 50 urban)
** to allow for junctions and traffic; every one can be overridden by a
** "class,kmh" CSV (--speeds).  Classes cars do not use (footway, cycleway,
** path, steps, ...) have speed 0 and their ways are skipped.
*/
#include "gpcov_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *cls; double kmh; } defaults[] = {
    {"motorway", 110},     {"motorway_link", 60}, {"trunk", 80},
    {"trunk_link", 50},    {"primary", 70},       {"primary_link", 50},
    {"secondary", 60},     {"secondary_link", 45}, {"tertiary", 50},
    {"tertiary_link", 40}, {"unclassified", 40},  {"road", 30},
    {"residential", 30},   {"living_street", 10}, {"service", 15},
    {"track", 10},
};

double gpcov_network_class_kmh(const char *cls)
{
    if (!cls)
        return 0;
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
        if (!strcmp(defaults[i].cls, cls))
            return defaults[i].kmh;
    return 0;
}

/* Reads an OSM maxspeed value in km/h: "50", "50 km/h", "30 mph",
** "DK:urban" (50), "DK:rural" (80), "DK:motorway" (130).  0 when absent or
** not understood ("none", "signals", "walk"). */
double gpcov_maxspeed_kmh(const char *v)
{
    if (!v || !*v)
        return 0;
    if (!strcmp(v, "DK:urban"))
        return 50;
    if (!strcmp(v, "DK:rural"))
        return 80;
    if (!strcmp(v, "DK:motorway"))
        return 130;
    char *end;
    double d = strtod(v, &end);
    if (end == v || d <= 0 || d > 200)
        return 0;
    while (isspace((unsigned char)*end))
        end++;
    if (!strncmp(end, "mph", 3))
        return d * 1.609344;
    if (*end && *end != ';' && strncmp(end, "km/h", 4) && strncmp(end, "kmh", 3))
        return 0;
    return d;
}
