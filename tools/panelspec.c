/*
** panelspec.c: the --panel SPEC of `gpcov map` and `gpcov webmap`: a
** comma-separated list of items (field=, title=, breaks=, classes=, ...)
** cut where a new item starts, so that titles may hold commas, and the
** notes that a SPEC takes from the layer's metadata (note=meta:KEY).
*/
#include "cmd.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does s start a new item: "NAME=" (NAME made of letters, digits and _,
** starting with a letter), or "categorical" alone?  Any other comma belongs
** to the value before it: a title's "Andel, 80+" or fixed:0,3,5. */
static int item_start(const char *s)
{
    while (*s == ' ')
        s++;
    if (!isalpha((unsigned char)*s))
        return 0;
    const char *e = s;
    while (isalnum((unsigned char)*e) || *e == '_')
        e++;
    size_t n = (size_t)(e - s);
    while (*e == ' ')
        e++;
    if (*e == '=')
        return 1;
    return n == strlen("categorical") && !strncmp(s, "categorical", n) &&
           (*e == ',' || !*e);
}

static int parse_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < -1000 || v > 1000)
        return -1;
    *out = (int)v;
    return 0;
}

/* Parses "E0,E1,...": returns the number of edges, or -1. */
static int parse_edges(const char *s, double **out)
{
    int n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    double *e = malloc((size_t)n * sizeof *e);
    if (!e)
        return -1;
    const char *p = s;
    for (int i = 0; i < n; i++) {
        char *end;
        while (*p == ' ')
            p++;
        e[i] = strtod(p, &end);
        if (end == p) {
            free(e);
            return -1;
        }
        while (*end == ' ')
            end++;
        if (*end != (i + 1 < n ? ',' : '\0')) {
            free(e);
            return -1;
        }
        p = end + 1;
    }
    *out = e;
    return n;
}

/* breaks=METHOD: quantile, equal, jenks or fixed:E0,E1,... */
static int set_breaks(const char *cmd, const char *spec, const char *val,
                      struct gpcov_map_panel *p, struct panel_buf *b)
{
    if (!strcmp(val, "quantile"))
        p->method = GPCOV_BREAKS_QUANTILE;
    else if (!strcmp(val, "equal"))
        p->method = GPCOV_BREAKS_EQUAL;
    else if (!strcmp(val, "jenks"))
        p->method = GPCOV_BREAKS_JENKS;
    else if (!strncmp(val, "fixed:", 6)) {
        free(b->fixed);
        b->fixed = NULL;
        int n = parse_edges(val + 6, &b->fixed);
        if (n < 2)
            return tool_usage_error(
                cmd, "--panel '%s': breaks=%s: give fixed:E0,E1,... with at least two numbers",
                spec, val);
        p->method = GPCOV_BREAKS_FIXED;
        p->fixed = b->fixed;
        b->nfixed = n;
    } else
        return tool_usage_error(
            cmd, "--panel '%s': breaks=%s: use quantile, equal, jenks or fixed:E0,E1,...", spec,
            val);
    return 0;
}

/* The items with a number or a name to check: classes, decimals, palette. */
static int set_checked(const char *cmd, const char *spec, const char *key, const char *val,
                       struct gpcov_map_panel *p, struct panel_buf *b)
{
    if (!strcmp(key, "classes")) {
        if (parse_int(val, &p->classes) != 0 || p->classes < 1 || p->classes > GPCOV_PALETTE_MAX)
            return tool_usage_error(cmd, "--panel '%s': classes=%s: give 1 to %d", spec, val,
                                    GPCOV_PALETTE_MAX);
        b->classes_set = 1;
    } else if (!strcmp(key, "decimals")) {
        if (!strcmp(val, "auto"))
            p->decimals = GPCOV_MAP_AUTO;
        else if (parse_int(val, &p->decimals) != 0 || p->decimals < 0 || p->decimals > 10)
            return tool_usage_error(cmd, "--panel '%s': decimals=%s: give 0 to 10 or auto",
                                    spec, val);
    } else if (gpcov_palette_parse(val, &p->palette) != 0) { /* palette */
        return tool_usage_error(cmd, "--panel '%s': palette=%s: use blue, red or purple", spec,
                                val);
    }
    return 0;
}

/* One item KEY=VALUE (or categorical) into the panel. */
static int set_item(const char *cmd, const char *spec, const char *key, const char *val,
                    struct gpcov_map_panel *p, struct panel_buf *b)
{
    static const struct { const char *key; size_t off; } texts[] = {
        {"field", offsetof(struct gpcov_map_panel, field)},
        {"title", offsetof(struct gpcov_map_panel, title)},
        {"unit", offsetof(struct gpcov_map_panel, unit)},
        {"true", offsetof(struct gpcov_map_panel, label_true)},
        {"false", offsetof(struct gpcov_map_panel, label_false)},
        {"undecided", offsetof(struct gpcov_map_panel, label_undecided)},
        {"reason", offsetof(struct gpcov_map_panel, reason_field)},
        {"count", offsetof(struct gpcov_map_panel, count_field)},
    };
    if (!strcmp(key, "categorical") && !val) {
        p->categorical = 1;
        return 0;
    }
    if (!val)
        return tool_usage_error(cmd, "--panel '%s': '%s' is not KEY=VALUE", spec, key);
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
        if (!strcmp(key, texts[k].key)) {
            *(const char **)((char *)p + texts[k].off) = val;
            return 0;
        }
    if (!strcmp(key, "note")) {
        if (!strncmp(val, "meta:", 5))
            b->note_meta = val + 5;
        else
            p->note = val;
        return 0;
    }
    if (!strcmp(key, "classes") || !strcmp(key, "decimals") || !strcmp(key, "palette"))
        return set_checked(cmd, spec, key, val, p, b);
    if (!strcmp(key, "breaks"))
        return set_breaks(cmd, spec, val, p, b);
    return tool_usage_error(cmd, "--panel '%s': unknown item '%s'", spec, key);
}

/* Cuts the item at *item off the rest (at the next comma that starts an
** item), trims its key and value; returns the rest, or NULL at the end. */
static char *cut_item(char *item, char **key, char **val)
{
    char *next = NULL;
    for (char *c = strchr(item, ','); c; c = strchr(c + 1, ','))
        if (item_start(c + 1)) {
            *c = 0;
            next = c + 1;
            break;
        }
    char *eq = strchr(item, '=');
    *key = item;
    *val = NULL;
    if (eq) {
        *eq = 0;
        char *v = eq + 1;
        while (*v == ' ')
            v++;
        size_t n = strlen(v);
        while (n && v[n - 1] == ' ')
            v[--n] = 0;
        *val = v;
    }
    while (**key == ' ')
        ++*key;
    size_t kn = strlen(*key);
    while (kn && (*key)[kn - 1] == ' ')
        (*key)[--kn] = 0;
    return next;
}

/* Fills p from SPEC; returns 0, or EXIT_USAGE after printing why.  Shared
** by `gpcov map` and `gpcov webmap` (cmd.h), whose indicators take the
** same SPEC. */
int tool_parse_panel(const char *cmd, const char *spec,
                     struct gpcov_map_panel *p, struct panel_buf *b)
{
    gpcov_map_panel_init(p);
    if (!(b->text = malloc(strlen(spec) + 1)))
        return tool_usage_error(cmd, "out of memory");
    strcpy(b->text, spec);
    for (char *item = b->text; item;) {
        char *key, *val;
        char *next = cut_item(item, &key, &val);
        int rc = *key || val ? set_item(cmd, spec, key, val, p, b) : 0;
        if (rc)
            return rc;
        item = next;
    }
    if (p->method == GPCOV_BREAKS_FIXED) {
        if (b->classes_set && p->classes != b->nfixed - 1)
            return tool_usage_error(cmd, "--panel '%s': classes=%d but %d fixed edges make %d "
                                         "classes", spec, p->classes, b->nfixed, b->nfixed - 1);
        p->classes = b->nfixed - 1;
        if (p->classes > GPCOV_PALETTE_MAX)
            return tool_usage_error(cmd, "--panel '%s': %d fixed classes; at most %d", spec,
                                    p->classes, GPCOV_PALETTE_MAX);
    }
    if (!p->field || !*p->field)
        return tool_usage_error(cmd, "--panel '%s': no field=NAME", spec);
    return 0;
}

int tool_panel_notes(const char *src, char **meta, struct gpcov_map_panel *panels,
                     const struct panel_buf *bufs, size_t np, int letters)
{
    for (size_t i = 0; i < np; i++) {
        const char *key = bufs[i].note_meta;
        if (!key)
            continue;
        size_t n = strlen(key);
        panels[i].note = NULL;
        for (size_t j = 0; meta && meta[j] && !panels[i].note; j++)
            if (!strncmp(meta[j], key, n) && meta[j][n] == '=')
                panels[i].note = meta[j] + n + 1;
        if (!panels[i].note) {
            if (letters)
                fprintf(stderr, "gpcov: %s: no metadata item '%s' for the note of panel (%c)\n",
                        src, key, (char)('a' + i));
            else
                fprintf(stderr, "gpcov: %s: no metadata item '%s' for the note of indicator "
                        "%zu\n", src, key, i + 1);
            return EXIT_DATA;
        }
    }
    return EXIT_OK;
}

