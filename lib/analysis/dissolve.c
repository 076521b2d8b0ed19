/*
** dissolve.c: one (multi)polygon per code.  DAGI publishes a municipality
** as one feature per island part; analysts, joins and maps want one
** feature per municipality.  The parts are unioned with GEOS (io.c does
** the reading), the code is normalised to four digits, and units that are
** kept but need a word of warning — Christiansø belongs to no municipality
** — carry it in a "flag" field.
*/
#include "analysis_internal.h"

#include <cpl_string.h>
#include <string.h>

gpcov_status gpcov_dissolve(gpcov_ctx *ctx, const char *src, const char *key_field,
                            const char *name_field, char **flags, const char *dst,
                            const struct gpcov_write_opts *wopts)
{
    struct gpcov_layer *in = NULL, *out = NULL;
    struct gpcov_read_opts ro = {.key_field = key_field};
    gpcov_status st = gpcov_layer_read(ctx, src, &ro, &in);
    if (st)
        return st;
    int nf = name_field ? gpcov_layer_field(in, name_field) : -1;
    if (name_field && nf < 0) {
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no field '%s'", src, name_field);
        goto done;
    }
    /* every flagged code must exist: a typo must not pass silently */
    for (char **f = flags; f && *f; f++) {
        char key[64];
        const char *eq = strchr(*f, '=');
        char raw[64];
        snprintf(raw, sizeof raw, "%.*s", eq ? (int)(eq - *f) : (int)strlen(*f), *f);
        if (!eq || gpcov_key_normalise(raw, key, sizeof key) != 0) {
            st = gpcov_err(ctx, GPCOV_EUSAGE, "--flag '%s': expected CODE=REASON", *f);
            goto done;
        }
        size_t i = 0;
        while (i < in->n && strcmp(in->keys[i], key))
            i++;
        if (i == in->n) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: --flag %s: no feature has %s %s", src, raw,
                           key_field, key);
            goto done;
        }
    }
    out = gpcov_layer_new(in->name);
    int fc = out ? gpcov_layer_add_field(ctx, out, "code", GPCOV_STR) : -1;
    int fn = out ? gpcov_layer_add_field(ctx, out, "name", GPCOV_STR) : -1;
    int ff = out ? gpcov_layer_add_field(ctx, out, "flag", GPCOV_STR) : -1;
    if (fc < 0 || fn < 0 || ff < 0) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < in->n; i++) {
        long j = gpcov_layer_append(ctx, out, in->keys[i], in->geoms[i]);
        if (j < 0) {
            st = GPCOV_ENOMEM;
            goto done;
        }
        in->geoms[i] = NULL;
        const char *flag = "";
        for (char **f = flags; f && *f; f++) {
            char key[64], raw[64];
            const char *eq = strchr(*f, '=');
            snprintf(raw, sizeof raw, "%.*s", (int)(eq - *f), *f);
            if (gpcov_key_normalise(raw, key, sizeof key) == 0 && !strcmp(key, in->keys[i]))
                flag = eq + 1;
        }
        const struct gpcov_value *nv = nf >= 0 ? gpcov_layer_value(in, i, (size_t)nf) : NULL;
        if ((st = gpcov_layer_set_str(ctx, out, (size_t)j, (size_t)fc, in->keys[i])) ||
            (nv && !nv->null && (st = gpcov_layer_set_str(ctx, out, (size_t)j, (size_t)fn, nv->str))) ||
            (st = gpcov_layer_set_str(ctx, out, (size_t)j, (size_t)ff, flag)))
            goto done;
    }
    gpcov_layer_sort(out);
    if (!(st = gpcov_layer_write(ctx, out, dst, wopts)))
        gpcov_summary(ctx, "%zu units, one multipolygon per %s, %d flagged", out->n, key_field,
                      CSLCount(flags));
done:
    gpcov_layer_free(ctx, in);
    gpcov_layer_free(ctx, out);
    return st;
}
