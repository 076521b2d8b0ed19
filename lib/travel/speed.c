/*
** speed.c: how fast a car moves on a road of a given class, and how a
** tagged maxspeed is read.  The defaults start from the Danish general
** speed limits (færdselsloven § 42: 50 km/h in built-up areas, 80 km/h
** outside them, 110 km/h on motorways; § 43 a: up to 130 km/h on
** motorways and 90 km/h on motortrafikveje where signposted, as most are)
** and take a stated share of them for realistic driving (junctions,
** towns on the way, traffic): GPCOV_DRIVING_FACTOR, 0.85.  The national
** network's classes (motorway, trunk, primary, secondary, tertiary, minor)
** and OpenStreetMap's highway= values both have a speed; every one can be
** overridden by a "class,kmh" CSV (--speeds).  Classes cars do not use
** (footway, cycleway, path, steps, ...) have speed 0 and are skipped;
** ferries have their own speed (network.c).
*/
#include "travel_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The general limit that applies to most roads of each class (km/h). */
static const struct { const char *cls; double limit; } defaults[] = {
    {"motorway", 130},     {"motorway_link", 70}, {"trunk", 90},
    {"trunk_link", 60},    {"primary", 80},       {"primary_link", 60},
    {"secondary", 80},     {"secondary_link", 50}, {"tertiary", 70},
    {"tertiary_link", 50}, {"minor", 50},         {"unclassified", 50},
    {"road", 40},          {"residential", 40},   {"living_street", 15},
    {"service", 20},       {"track", 15},
};

double gpcov_network_class_kmh(const char *cls)
{
    if (!cls)
        return 0;
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
        if (!strcmp(defaults[i].cls, cls))
            return defaults[i].limit * GPCOV_DRIVING_FACTOR;
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
