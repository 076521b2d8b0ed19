/*
** cmd_overlay.c: `gpcov overlay`, tables and points joined to polygons
** with declared aggregates and derived fields (gpcov_overlay_run).
** Options after a --table or --points apply to that source.  Its options:
** the overlay's (overlayopts.c) and the outputs, tables (opt.h).
*/
#include "cmd.h"
#include "opt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OUT 8

/* What the command line fills in besides the overlay's declarations. */
struct overlay_out_args {
    const char *outs[MAX_OUT];
    int nouts, quiet;
    struct gpcov_write_opts wo;
};

/* --output DST, at most MAX_OUT. */
static int set_output(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct overlay_out_args *a = target;
    (void)op;
    if (a->nouts == MAX_OUT)
        return tool_usage_error(cmd, "at most %d --output", MAX_OUT);
    a->outs[a->nouts++] = v;
    return 0;
}

/* --precision N, read as atoi reads it. */
static int set_precision(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct overlay_out_args *a = target;
    (void)cmd, (void)op;
    a->wo.precision = atoi(v);
    return 0;
}

#define F(m) offsetof(struct overlay_out_args, m)
static const struct opt outputs[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Output:", 0, NULL},
    {OPT_OUTPUT, "--output", NULL, "DST", NULL, NULL, OPT_REQUIRED | OPT_OUT,
     ".geojson (RFC 7946), .gpkg, .shp, .csv; repeatable or PostGIS: "
     "'PG:<conninfo> tables=NAME' (README)", 0, set_output},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace existing outputs",
     F(wo.overwrite), NULL},
    TOOL_OPT_CSV,
    {OPT_NUMBER, "--precision", NULL, "N", NULL, "7", 0, "GeoJSON coordinate decimals", 0,
     set_precision},
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "no progress, no closing summary line",
     F(quiet), NULL},
    {0},
};
#undef F

static const struct opt_group groups[] = {{NULL, overlay_options, OVERLAY_COL},
                                          {NULL, outputs, OVERLAY_COL}};
const struct opt_cmd opts_overlay = {
    "overlay",
    "usage: gpcov overlay --polygons SRC (--table SRC --key P=T ... | --points SRC ...)...\n"
    "                     [--derive NAME=EXPR]... --output DST [--output DST]...\n"
    "\n"
    "Joins attribute tables (by key) and points (by location) to polygons and\n"
    "derives indicators.  Municipality codes are normalised: 101, 0101, \"0101\",\n"
    "the number 101 and \"101 København\" are one key.\n",
    groups, 2,
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n",
    NULL,
};

/* The run in one line: units, fields and sources, and the numeric fields
** with empty values (up to three, most empty first). */
static void one_line(const struct gpcov_overlay_spec *s, const struct gpcov_layer *L, int quiet)
{
    size_t nempty = 0, top[3] = {0}, cnt[3] = {0};
    for (size_t f = 1; f < L->nfields; f++) {
        size_t e = 0;
        if (L->fields[f].type == GPCOV_STR)
            continue;
        for (size_t i = 0; i < L->n; i++)
            e += gpcov_layer_value(L, i, f)->null;
        nempty += e > 0;
        for (int k = 0; k < 3 && e; k++)
            if (e > cnt[k]) {
                for (int j = 2; j > k; j--)
                    top[j] = top[j - 1], cnt[j] = cnt[j - 1];
                top[k] = f, cnt[k] = e;
                break;
            }
    }
    char empty[400] = "";
    for (int k = 0; k < 3 && cnt[k]; k++)
        snprintf(empty + strlen(empty), sizeof empty - strlen(empty), "%s%s %zu", k ? ", " : ": ",
                 L->fields[top[k]].name, cnt[k]);
    tool_summary(quiet, "overlay", "%zu units, %zu fields from %zu sources; %zu numeric fields "
                 "with empty values%s%s", L->n, L->nfields - 1, s->nsrc, nempty, empty,
                 nempty > 3 ? ", ..." : "");
}

/* Runs the overlay declared in s and writes every output, or none. */
static int run(gpcov_ctx **ctxp, struct gpcov_overlay_spec *s, struct overlay_out_args *a)
{
    gpcov_status st;
    tool_csv_apply(*ctxp); /* made before the options were read */
    /* refuse existing outputs before any work is done */
    for (int k = 0; k < a->nouts; k++)
        if ((st = gpcov_atomic_check(*ctxp, a->outs[k], a->wo.overwrite)))
            return tool_fail(*ctxp, st);
    if (!a->quiet) {
        gpcov_ctx_free(*ctxp);
        if (!(*ctxp = tool_ctx(0)))
            return EXIT_INTERNAL;
    }
    gpcov_ctx *ctx = *ctxp;
    struct gpcov_layer *layer = NULL;
    gpcov_outset *set = NULL;
    int rc = EXIT_OK;
    if ((st = gpcov_overlay_run(ctx, s, &layer)))
        rc = tool_fail(ctx, st);
    else if (!(set = gpcov_outset_new(ctx, a->wo.overwrite))) /* all outputs, or none */
        rc = tool_fail(ctx, GPCOV_ENOMEM);
    else {
        for (int k = 0; k < a->nouts && !st; k++)
            st = gpcov_outset_layer(ctx, set, layer, a->outs[k], &a->wo);
        if (st || (st = gpcov_outset_commit(ctx, set)))
            rc = tool_fail(ctx, st);
        else
            one_line(s, layer, a->quiet);
    }
    gpcov_outset_free(set);
    gpcov_layer_free(ctx, layer);
    return rc;
}

int cmd_overlay(int argc, char **argv)
{
    struct overlay_out_args a;
    memset(&a, 0, sizeof a);
    struct overlay_args oa = {tool_ctx(1), gpcov_overlay_spec_new()};
    if (!oa.s || !oa.ctx) {
        gpcov_overlay_spec_free(oa.s);
        gpcov_ctx_free(oa.ctx);
        fprintf(stderr, "gpcov: out of memory\n");
        return EXIT_INTERNAL;
    }
    int rc = opt_parse(&opts_overlay, argc, argv, (void *const[]){&oa, &a});
    if (rc == OPT_HELP)
        rc = EXIT_OK;
    else if (!rc && (!oa.s->polygons || !oa.s->nsrc || !a.nouts))
        rc = tool_usage_error("overlay", "--polygons, at least one --table or --points, and "
                                         "--output are required");
    else if (!rc)
        rc = run(&oa.ctx, oa.s, &a);
    gpcov_overlay_spec_free(oa.s);
    gpcov_ctx_free(oa.ctx);
    return rc;
}
