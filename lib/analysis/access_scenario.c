/*
** access_scenario.c: a scenario of the accessibility command read from a
** small data file (reports/scenarios/NAME.ini, its [scenario] section):
** defaults for the supply, its capacity fields and id, the decay, and the
** note every output carries.  The library holds no scenario of its own;
** the file's keys are the options they stand for, and the command hands
** them to gpcov_access as ordinary options.
*/
#include "analysis_internal.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The names of the *.ini files in dir, sorted, as "a, b" into out. */
static void known_names(const char *dir, char *out, size_t n)
{
    char **l = VSIReadDir(dir);
    char **names = NULL;
    for (char **p = l; p && *p; p++) {
        size_t len = strlen(*p);
        if (len > 4 && !strcasecmp(*p + len - 4, ".ini")) {
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(len - 4), *p);
            names = CSLAddString(names, name);
        }
    }
    CSLDestroy(l);
    size_t cnt = (size_t)CSLCount(names);
    for (size_t a = 1; a < cnt; a++) /* a handful of names: insertion sort */
        for (size_t b = a; b > 0 && strcmp(names[b - 1], names[b]) > 0; b--) {
            char *x = names[b];
            names[b] = names[b - 1];
            names[b - 1] = x;
        }
    out[0] = 0;
    for (size_t k = 0; k < cnt; k++)
        snprintf(out + strlen(out), n - strlen(out), "%s%s", k ? ", " : "", names[k]);
    if (!cnt)
        snprintf(out, n, "none in %s", dir);
    CSLDestroy(names);
}

/* One key of the [scenario] section into its field of sc. */
static gpcov_status scenario_key(gpcov_ctx *ctx, const char *path,
                                 const struct gpcov_ini_entry *e,
                                 struct gpcov_access_scenario *sc)
{
    struct {
        const char *key;
        char *dst;
        size_t size;
    } keys[] = {
        {"supply", sc->supply, sizeof sc->supply},
        {"capacity-field", sc->capacity_field, sizeof sc->capacity_field},
        {"capacity-total", sc->capacity_total, sizeof sc->capacity_total},
        {"capacity-group", sc->capacity_group, sizeof sc->capacity_group},
        {"supply-id", sc->supply_id, sizeof sc->supply_id},
        {"steps", sc->steps, sizeof sc->steps},
        {"note", sc->note, sizeof sc->note},
    };
    if (!strcmp(e->key, "method")) {
        if (gpcov_access_method_parse(e->value, &sc->method))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s:%d: method '%s': use 2sfca, e2sfca, "
                             "gaussian or step", path, e->line, e->value);
        return GPCOV_OK;
    }
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        if (strcmp(e->key, keys[k].key))
            continue;
        if (strlen(e->value) >= keys[k].size)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s:%d: %s: longer than %zu bytes", path,
                             e->line, e->key, keys[k].size - 1);
        snprintf(keys[k].dst, keys[k].size, "%s", e->value);
        return GPCOV_OK;
    }
    return gpcov_err(ctx, GPCOV_EINPUT, "%s:%d: unknown key '%s' (known: supply, "
                     "capacity-field, capacity-total, capacity-group, supply-id, method, "
                     "steps, note)", path, e->line, e->key);
}

gpcov_status gpcov_access_scenario_read(gpcov_ctx *ctx, const char *dir, const char *name,
                                        struct gpcov_access_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->method = GPCOV_ACCESS_2SFCA;
    char path[4096];
    if (strchr(name, '/'))
        snprintf(path, sizeof path, "%s", name); /* a file named as such */
    else
        snprintf(path, sizeof path, "%s/%s.ini", dir, name);
    if (!gpcov_path_exists(path)) {
        char known[600];
        known_names(dir, known, sizeof known);
        return gpcov_err(ctx, GPCOV_EUSAGE, "unknown scenario '%s' (known: %s)", name, known);
    }
    struct gpcov_ini *ini = NULL;
    gpcov_status st = gpcov_ini_read(ctx, path, &ini);
    if (st)
        return st;
    const struct gpcov_ini_section *s = NULL;
    for (size_t k = 0; k < ini->n; k++)
        if (!strcmp(ini->s[k].name, "scenario"))
            s = &ini->s[k];
    if (!s)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no [scenario] section", path);
    for (size_t k = 0; s && k < s->n && !st; k++)
        st = scenario_key(ctx, path, &s->e[k], sc);
    gpcov_ini_free(ini);
    snprintf(sc->name, sizeof sc->name, "%s", name);
    return st;
}
