/*
** compare.c: gpcov_compare, two runs of a report (or two layers of the
** same units) side by side: what changed per municipality (compare_rows.c)
** and which inputs differ (compare_manifest.c), written as one output set:
** the table (.csv, .xlsx or .gpkg), <stem>_inputs.csv beside it, and the
** map (compare_map.c); every output is checked before anything is read,
** and on any failure none is written.
*/
#include "compare.h"

#include <cpl_string.h>
#include <stdlib.h>
#include <string.h>

/* The table's extension, else a usage error. */
static gpcov_status check_output(struct cmp_run *R)
{
    char ext[16];
    gpcov_path_ext(R->o->output, ext, sizeof ext);
    if (strcmp(ext, "csv") && strcmp(ext, "xlsx") && strcmp(ext, "gpkg"))
        return gpcov_err(R->ctx, GPCOV_EUSAGE, "--output %s: write the table as .csv, .xlsx "
                         "or .gpkg", R->o->output);
    return GPCOV_OK;
}

/* <stem>_inputs.csv beside the table, into buf[n]. */
static void inputs_path(const char *output, char *buf, size_t n)
{
    const char *dot = strrchr(output, '.'), *slash = strrchr(output, '/');
    int stem = dot && (!slash || dot > slash) ? (int)(dot - output) : (int)strlen(output);
    snprintf(buf, n, "%.*s_inputs.csv", stem, output);
}

/* Refuses an existing output (without overwrite) before any work. */
static gpcov_status check_dsts(struct cmp_run *R, const char *inputs)
{
    gpcov_status st = check_output(R);
    if (!st)
        st = gpcov_atomic_check(R->ctx, R->o->output, R->o->overwrite);
    if (!st)
        st = gpcov_atomic_check(R->ctx, inputs, R->o->overwrite);
    if (!st && R->o->map)
        st = gpcov_atomic_check(R->ctx, R->o->map, R->o->overwrite);
    return st;
}

/* The table, the inputs that differ and the map, all or none. */
static gpcov_status write_all(struct cmp_run *R, const char *inputs)
{
    gpcov_outset *set = gpcov_outset_new(R->ctx, R->o->overwrite);
    if (!set)
        return GPCOV_ENOMEM;
    struct gpcov_write_opts wo = {0};
    wo.overwrite = R->o->overwrite;
    gpcov_layer_set_meta(R->ctx, R->out, "GPCOV_COMPARE_A", R->a.src);
    gpcov_layer_set_meta(R->ctx, R->out, "GPCOV_COMPARE_B", R->b.src);
    gpcov_status st = gpcov_outset_layer(R->ctx, set, R->out, R->o->output, &wo);
    if (!st && R->inputs)
        st = gpcov_outset_layer(R->ctx, set, R->inputs, inputs, &wo);
    if (!st && R->o->map)
        st = cmp_map(R, set);
    if (!st)
        st = gpcov_outset_commit(R->ctx, set);
    gpcov_outset_free(set);
    return st;
}

gpcov_status gpcov_compare(gpcov_ctx *ctx, const struct gpcov_compare_opts *o, char **summary)
{
    struct cmp_run R = {.ctx = ctx, .o = o, .a = {.src = o->a}, .b = {.src = o->b}};
    char *text = NULL, inputs[4200];
    size_t n = 0;
    *summary = NULL;
    inputs_path(o->output, inputs, sizeof inputs);
    if (!(R.say = open_memstream(&text, &n)))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = check_dsts(&R, inputs);
    if (!st)
        st = cmp_read(&R);
    if (!st)
        st = cmp_rows(&R);
    if (!st)
        st = cmp_manifests(&R);
    if (!st)
        st = write_all(&R, inputs);
    if (!st && R.inputs)
        fprintf(R.say, "wrote %s and %s%s%s\n", o->output, inputs, o->map ? " and " : "",
                o->map ? o->map : "");
    else if (!st)
        fprintf(R.say, "wrote %s%s%s\n", o->output, o->map ? " and " : "", o->map ? o->map : "");
    fclose(R.say);
    if (!st)
        *summary = text;
    else
        free(text);
    cmp_side_free(ctx, &R.a);
    cmp_side_free(ctx, &R.b);
    for (size_t k = 0; k < R.nkeys; k++)
        free(R.keys[k]);
    free(R.keys);
    free(R.diff_field);
    CSLDestroy(R.credits);
    gpcov_layer_free(ctx, R.out);
    gpcov_layer_free(ctx, R.inputs);
    return st;
}
