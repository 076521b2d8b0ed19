/*
** network_osmconf.c: the configuration GDAL's OSM driver reads a road file
** with.  The driver's own osmconf.ini makes fields of a few keys (name,
** highway, waterway, ...), gathers every other tag of a line into one
** other_tags text and computes a z_order for every line with an SQL
** expression; gpcov reads about ten keys and no z_order.  This copies the
** driver's file into GDAL's in-memory file system with one change, in the
** lines layer: the fields are exactly the keys the road reader asks for
** (names as in the file: no laundering of "oneway:conditional"), with no
** osm_id, no other_tags and no computed attributes.  Which ways are lines,
** areas or ignored stays as the driver's file says, so the same lines come
** out in the same order, each cheaper to build and to read.
**
** Used only for the lines layer and when the driver's file is found and
** the user has not named one (the OSM_CONFIG_FILE option); otherwise the
** driver reads as it always does.  Together with the interest in the lines
** layer alone (network.c) this is the OSM read of issue 14: the driver
** pass on a national-size file 15-25 % shorter again (README,
** "OpenStreetMap roads").
*/
#include "network_internal.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <stdio.h>
#include <string.h>

/* A key the config can hold: no separators, quotes or line breaks. */
static int plain_key(const char *k)
{
    return k && *k && !strpbrk(k, ",=\"\r\n[]#");
}

static int starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* The lines section's attributes: the keys once each, comma-separated;
** 0, or -1 when a key cannot be written. */
static int attr_list(const char *const *keys, int nkeys, char *out, size_t n)
{
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < nkeys; i++) {
        if (!keys[i])
            continue;
        if (!plain_key(keys[i]))
            return -1;
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= keys[j] && !strcmp(keys[j], keys[i]);
        if (dup)
            continue;
        int w = snprintf(out + used, n - used, "%s%s", used ? "," : "", keys[i]);
        if (w < 0 || (size_t)w >= n - used)
            return -1;
        used += (size_t)w;
    }
    return used ? 0 : -1;
}

/* A computed attribute's NAME_type= or NAME_sql= line (the driver warns
** about those of an attribute no longer declared). */
static int computed_line(const char *s)
{
    const char *eq = strchr(s, '=');
    size_t n = eq ? (size_t)(eq - s) : 0;
    return (n > 5 && !strncmp(eq - 5, "_type", 5)) || (n > 4 && !strncmp(eq - 4, "_sql", 4));
}

/* Writes the driver's file with the lines section changed to fp. */
static void write_conf(VSILFILE *fp, char **lines, const char *attrs)
{
    int in_lines = 0;
    VSIFPrintfL(fp, "attribute_name_laundering=no\n");
    for (char **l = lines; *l; l++) {
        const char *s = *l;
        if (s[0] == '[') {
            in_lines = starts(s, "[lines]");
            VSIFPrintfL(fp, "%s\n", s);
            if (in_lines)
                VSIFPrintfL(fp, "attributes=%s\nosm_id=no\nother_tags=no\nall_tags=no\n", attrs);
            continue;
        }
        if (starts(s, "attribute_name_laundering"))
            continue;
        if (in_lines && (starts(s, "attributes") || starts(s, "osm_id") || starts(s, "other_tags") ||
                         starts(s, "all_tags") || starts(s, "computed_attributes") ||
                         computed_line(s)))
            continue;
        VSIFPrintfL(fp, "%s\n", s);
    }
}

char *gpcov_osmconf_make(const char *const *keys, int nkeys)
{
    char attrs[1024];
    if (CPLGetConfigOption("OSM_CONFIG_FILE", NULL) || attr_list(keys, nkeys, attrs, sizeof attrs))
        return NULL;
    const char *def = CPLFindFile("gdal", "osmconf.ini");
    char **lines = def ? CSLLoad2(def, -1, -1, NULL) : NULL;
    int has_lines = 0;
    for (char **l = lines; l && *l; l++)
        has_lines |= starts(*l, "[lines]");
    if (!has_lines) {
        CSLDestroy(lines);
        return NULL;
    }
    char path[96];
    snprintf(path, sizeof path, "/vsimem/gpcov_osmconf_%p.ini", (void *)keys);
    VSILFILE *fp = VSIFOpenL(path, "wb");
    if (fp) {
        write_conf(fp, lines, attrs);
        VSIFCloseL(fp);
    }
    CSLDestroy(lines);
    return fp ? CPLStrdup(path) : NULL;
}

void gpcov_osmconf_free(char *path)
{
    if (!path)
        return;
    VSIUnlink(path);
    CPLFree(path);
}
