/* test_speed.c: road speeds (speed.c): the Danish general limits times
** the driving factor for each class, the classes cars do not use, and
** OSM maxspeed values in their spellings. */
#include "map/map_internal.h"
#include "tap.h"

static void test_classes(void)
{
    NEAR(gpcov_network_class_kmh("motorway"), 130 * GPCOV_DRIVING_FACTOR, 1e-9,
         "motorway: 130 km/h times the driving factor");
    NEAR(GPCOV_DRIVING_FACTOR, 0.85, 1e-12, "the driving factor is 0.85");
    NEAR(gpcov_network_class_kmh("trunk"), 90 * 0.85, 1e-9, "trunk (motortrafikvej): 90");
    NEAR(gpcov_network_class_kmh("primary"), 80 * 0.85, 1e-9, "primary: 80 outside towns");
    NEAR(gpcov_network_class_kmh("minor"), 50 * 0.85, 1e-9, "minor (national network): 50");
    NEAR(gpcov_network_class_kmh("residential"), 40 * 0.85, 1e-9, "residential: 40");
    NEAR(gpcov_network_class_kmh("footway"), 0, 0, "footway: cars do not use it");
    NEAR(gpcov_network_class_kmh("Motorway"), 0, 0, "classes are matched exactly");
    NEAR(gpcov_network_class_kmh(NULL), 0, 0, "no class: 0");
}

static void test_maxspeed(void)
{
    NEAR(gpcov_maxspeed_kmh("50"), 50, 0, "\"50\"");
    NEAR(gpcov_maxspeed_kmh("80 km/h"), 80, 0, "\"80 km/h\"");
    NEAR(gpcov_maxspeed_kmh("60kmh"), 60, 0, "\"60kmh\"");
    NEAR(gpcov_maxspeed_kmh("30 mph"), 30 * 1.609344, 1e-9, "\"30 mph\" in km/h");
    NEAR(gpcov_maxspeed_kmh("50;30"), 50, 0, "\"50;30\": the first");
    NEAR(gpcov_maxspeed_kmh("DK:urban"), 50, 0, "DK:urban 50");
    NEAR(gpcov_maxspeed_kmh("DK:rural"), 80, 0, "DK:rural 80");
    NEAR(gpcov_maxspeed_kmh("DK:motorway"), 130, 0, "DK:motorway 130");
    NEAR(gpcov_maxspeed_kmh("none"), 0, 0, "\"none\": not understood");
    NEAR(gpcov_maxspeed_kmh("walk"), 0, 0, "\"walk\"");
    NEAR(gpcov_maxspeed_kmh("50 knots"), 0, 0, "an unknown unit");
    NEAR(gpcov_maxspeed_kmh("0"), 0, 0, "0");
    NEAR(gpcov_maxspeed_kmh("250"), 0, 0, "over 200: a typo");
    NEAR(gpcov_maxspeed_kmh(""), 0, 0, "empty");
    NEAR(gpcov_maxspeed_kmh(NULL), 0, 0, "NULL");
}

int main(void)
{
    RUN(test_classes);
    RUN(test_maxspeed);
    return tap_done();
}
