/*
** fixture.h: small files the tests write for themselves: three square
** "municipalities" in EPSG:25832 and tables in the shapes analysts have.
*/
#ifndef GPCOV_FIXTURE_H
#define GPCOV_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fx_dir[256];

static const char *fx_path(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", fx_dir, name);
    return buf[k];
}

static void fx_write(const char *name, const char *text)
{
    FILE *f = fopen(fx_path(name), "w");
    if (!f) {
        perror(name);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

/* Squares 10 km wide side by side: 0101 at x 700-710 km, 0147 at 710-720,
** 0825 at 720-730 (made of two parts, to be dissolved), y 6170-6180 km. */
static void fx_make(void)
{
    snprintf(fx_dir, sizeof fx_dir, "/tmp/gpcov-unit-XXXXXX");
    if (!mkdtemp(fx_dir)) {
        perror("mkdtemp");
        exit(2);
    }
    fx_write("squares.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"KOMKODE\":\"0101\",\"KOMNAVN\":\"København\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[700000,6170000],[710000,6170000],"
        "[710000,6180000],[700000,6180000],[700000,6170000]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"KOMKODE\":\"0147\",\"KOMNAVN\":\"Frederiksberg\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[710000,6170000],[720000,6170000],"
        "[720000,6180000],[710000,6180000],[710000,6170000]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"KOMKODE\":\"0825\",\"KOMNAVN\":\"Læsø\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[720000,6170000],[730000,6170000],"
        "[730000,6175000],[720000,6175000],[720000,6170000]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"KOMKODE\":\"825\",\"KOMNAVN\":\"Læsø\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[720000,6175000],[730000,6175000],"
        "[730000,6180000],[720000,6180000],[720000,6175000]]]}}\n]}\n");
    /* a long table: codes without leading zeros, one row per age */
    fx_write("long.csv",
        "area_code,level,age,total\n"
        "000,country,79,100\n"
        "101,kommune,79,50\n101,kommune,80,10\n101,kommune,81,5\n"
        "147,kommune,79,30\n147,kommune,80,3\n147,kommune,81,0\n"
        "825,kommune,79,8\n825,kommune,80,1\n825,kommune,81,1\n");
    /* eSundhed-like: semicolons, names after codes, Danish numbers */
    fx_write("esundhed.csv",
        "kommune;tilmeldte patienter;lægekapaciteter\n"
        "101 København;16.500;10,0\n147 Frederiksberg;3.300;2,5\n825 Læsø;1.900;1\n");
    fx_write("points.csv",
        "name,x,y,posts\nA,705000,6175000,4\nB,706000,6171000,6\nC,715000,6175000,\n");
}

static void fx_clean(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", fx_dir);
}

#endif
