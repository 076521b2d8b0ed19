/*
** cmd_fee.c: `gpcov fee`, the allocation of the differentiated base fee
** (differentieret basishonorar, OK18) over municipalities or practices
** (gpcov_fee_run), written as CSV, GeoJSON or GeoPackage, with a short
** summary on stdout.  Its options are one table (opt.h).
*/
#include "cmd.h"
#include "gpcov.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_OUT 8

/* What the command line fills in. */
struct fee_args {
    struct gpcov_fee_opts o;
    const char *outs[MAX_OUT], *pouts[MAX_OUT];
    int nouts, npouts, quiet, dshare, wshare;
    struct gpcov_write_opts wo;
};

/* The numbers: --budget, the shares (noting which was given), the cap,
** --norm (> 0), --age-skip-rows (whole, >= 0) and --snap (>= 0). */
static int set_number(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct fee_args *a = target;
    const char *n = op->name;
    double d;
    if (gpcov_parse_number(v, &d) != 0)
        return tool_usage_error(cmd, "%s '%s': expected a number", n, v);
    if (!strcmp(n, "--norm") && !(d > 0))
        return tool_usage_error(cmd, "--norm '%s': expected patients per capacity > 0", v);
    if (!strcmp(n, "--snap") && d < 0)
        return tool_usage_error(cmd, "--snap '%s': expected metres >= 0", v);
    if (!strcmp(n, "--age-skip-rows")) {
        if (d < 0 || d > 1e6 || d != (int)d)
            return tool_usage_error(cmd, "%s '%s': expected a whole number >= 0", n, v);
        a->o.age.topts.skip_rows = (int)d;
        return 0;
    }
    *(double *)((char *)target + op->off) = d;
    a->dshare |= !strcmp(n, "--designated-share");
    a->wshare |= !strcmp(n, "--weight-share");
    return 0;
}

/* --output and --practice-output, at most MAX_OUT each. */
static int set_output(const char *cmd, const struct opt *op, void *target, const char *v)
{
    struct fee_args *a = target;
    int p = !strcmp(op->name, "--practice-output");
    if ((p ? a->npouts : a->nouts) == MAX_OUT)
        return tool_usage_error(cmd, "at most %d %s", MAX_OUT, op->name);
    if (p)
        a->pouts[a->npouts++] = v;
    else
        a->outs[a->nouts++] = v;
    return 0;
}

#define F(m) offsetof(struct fee_args, m)
#define STR(name, meta, def, flags, help, m) {OPT_STRING, name, NULL, meta, NULL, def, flags, help, F(m), NULL}
#define NUM(name, meta, def, help, m) {OPT_NUMBER, name, NULL, meta, NULL, def, 0, help, F(m), set_number}
static const struct opt options[] = {
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Fee:", 0, NULL},
    NUM("--budget", "DKK", "60000000", "a year", o.params.budget),
    NUM("--designated-share", "PCT", "40", "per-patient part for designated units",
        o.params.designated_share),
    NUM("--weight-share", "PCT", "60",
        "part by patient weight; the two must sum to 100 (give one and the other is 100 minus "
        "it)", o.params.weight_share),
    {OPT_NUMBER, "--cap-per-capacity", NULL, "DKK", NULL, "100000", OPT_SAID,
     "cap of a unit's weight part per GP capacity (default 100000)",
     F(o.params.cap_per_capacity), set_number},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Municipalities (the indicator layer of `make report`, e.g.\n"
     "reports/out/municipalities.gpkg):", 0, NULL},
    {OPT_INPUT, "--units", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "any OGR source; without --practices the allocation is per municipality", F(o.units),
     NULL},
    STR("--units-layer", "NAME", "the first", 0, "layer of SRC", o.units_layer),
    STR("--key", "FIELD", GPCOV_KEY_FIELD, 0, "municipality code", o.key),
    STR("--name-field", "FIELD", "name, when present", 0, "name", o.name_field),
    STR("--designated-field", "FIELD", "designated_2019", 0, "true where designated",
        o.designated_field),
    {OPT_INPUT, "--designation", NULL, "SRC", NULL, NULL, OPT_IN,
     "take --designated-field from this keyed layer by --key, e.g. the threat layer with "
     "'threatened' (default: from --units); a unit it lacks or leaves empty (undecided) is "
     "left out, with a reason", F(o.designation), NULL},
    STR("--patients-field", "FIELD", NULL, 0,
        "registered patients (default patients when present, else pop_2020: the population "
        "as a PROXY; the summary and the output metadata say which was used)",
        o.patients_field),
    STR("--capacities-field", "FIELD", NULL, 0,
        "GP capacities (default capacities when present, else ESTIMATED as patients / --norm)",
        o.capacities_field),
    NUM("--norm", "N", "1600", "patients per capacity for that estimate", o.norm),
    STR("--exclude", "KEY[,KEY]", NULL, 0,
        "leave units out (e.g. 0411 Christiansø); they are written with empty amounts, not 0 "
        "DKK, and a reason (default: none).  A unit whose designation, patients or capacities "
        "are empty is left out the same way, its reason naming what is missing", o.exclude),
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Age-sex composition (each unit's patients are weighted like its population):", 0, NULL},
    {OPT_INPUT, "--age-table", NULL, "SRC", NULL, NULL, OPT_REQUIRED | OPT_IN,
     "long table, one row per area and age, e.g. folk1a_2020q1_area_age_sex.csv; rows of "
     "areas that are not units are skipped", F(o.age.src), NULL},
    STR("--age-sheet", "NAME", "the first", 0, "sheet or layer of the age table",
        o.age.topts.layer),
    NUM("--age-skip-rows", "N", "0", "rows above the header in a raw spreadsheet", o),
    STR("--age-columns", "A,B,...", "the header row", 0,
        "names for the columns, the file then has no header", o.age.topts.columns),
    STR("--age-fill-down", "A,B", "none", 0, "blank cells take the value above, for merged "
        "cells", o.age.topts.fill_down),
    {OPT_TEXT, NULL, NULL, NULL, NULL, NULL, 0,
     "                              StatBank's XLSX of FOLK1A reads with\n"
     "      --age-skip-rows 3 --age-fill-down period,period_label,area_code,area_name\n"
     "      --age-columns period,period_label,area_code,area_name,age,age_label,men,women\n",
     0, NULL},
    STR("--age-key", "FIELD", "area_code", 0, "area code column", o.age.key_field),
    STR("--age-field", "FIELD", "age", 0, "age column, whole years", o.age.age_field),
    STR("--men-field", "FIELD", "men", 0, "men per age", o.age.men_field),
    STR("--women-field", "FIELD", "women", 0, "women per age", o.age.women_field),
    STR("--total-field", "FIELD", NULL, 0,
        "both sexes per age instead of --men/--women-field (then only weights for sex 'all' "
        "apply; default: none)", o.age.total_field),
    STR("--national-key", "KEY", NULL, 0,
        "rows of the whole country, giving the national mean (default 0000; when absent, the "
        "mean over the units' patients)", o.age.national_key),
    {OPT_INPUT, "--weights", NULL, "CSV", NULL, NULL, OPT_IN,
     "rows sex,age_from,age_to,weight; sex men, women or all; age_to empty = and over.  "
     "Weights are normalised so that the national mean weight per person is 1.  Default (an "
     "ASSUMPTION, see the README): all ages 1.0, 80 and over 2.7, which against the national "
     "mean (4.68 % aged 80+) is 2.50 and 0.93: the 80+ see their GP about 2.5 times as often "
     "as the average citizen.  No sex difference is assumed.", F(o.weights), NULL},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0,
     "Practices (optional; the allocation is then per practice):", 0, NULL},
    {OPT_INPUT, "--practices", NULL, "SRC", NULL, "none, per municipality", OPT_IN,
     "points, any OGR source; a CSV takes lon/lat columns.  Each practice takes the age "
     "composition and the designation of the municipality it lies in", F(o.practices), NULL},
    STR("--practice-layer", "NAME", "the first", 0, "layer of SRC", o.practice_layer),
    STR("--practice-id", "FIELD", "id, else feature numbers", 0, "unique id", o.practice_id),
    STR("--practice-name-field", "FIELD", "name, when present", 0, "name", o.practice_name),
    STR("--practice-patients-field", "F", "patients", 0, "registered patients",
        o.practice_patients),
    STR("--practice-capacities-field", "F", "capacities, else patients / --norm", 0,
        "GP capacities", o.practice_capacities),
    STR("--practice-designated-field", "F", "its municipality's", 0,
        "designation of the practice itself", o.practice_designated),
    STR("--x", "FIELD", "lon", 0, "x coordinate column", o.x_field),
    STR("--y", "FIELD", "lat", 0, "y coordinate column", o.y_field),
    STR("--srs", "CRS", "EPSG:4326", 0, "CRS of the coordinates", o.srs),
    NUM("--snap", "METRES", "1000",
        "a practice outside every polygon joins the nearest within this distance", o.snap),
    {OPT_LIST, "--practice-output", NULL, "DST", NULL, NULL, OPT_OUT, "the per-practice result", 0,
     set_output},
    {OPT_SECTION, NULL, NULL, NULL, NULL, NULL, 0, "Output:", 0, NULL},
    {OPT_LIST, "--output", NULL, "DST", NULL, NULL, OPT_REQUIRED | OPT_OUT,
     "per municipality: .csv, .geojson (RFC 7946), .gpkg, .shp, or PostGIS: "
     "'PG:<conninfo> tables=NAME' (README).  Fields: the key, name, designated, patients, "
     "capacities, weight_factor, weighted_patients, weight_difference, cap_dkk, "
     "designated_dkk, weight_dkk, capped, total_dkk, dkk_per_patient, dkk_per_inhabitant "
     "(empty where there are no patients or inhabitants; the inhabitants are the age "
     "table's) (and practices); DKK with 2 decimals, exact from øre.  Parameters in the layer metadata (GPCOV_FEE_*).", 0, set_output},
    {OPT_FLAG, "--overwrite", NULL, NULL, NULL, "refuse", 0, "replace existing outputs",
     F(wo.overwrite), NULL},
    TOOL_OPT_CSV,
    {OPT_FLAG, "-q", NULL, NULL, NULL, NULL, 0, "no progress, no summary", F(quiet), NULL},
    {0},
};
#undef NUM
#undef STR
#undef F

static const struct opt_group groups[] = {{NULL, options, 30}};
const struct opt_cmd opts_fee = {
    "fee",
    "usage: gpcov fee --units SRC --age-table SRC --output DST [--output DST]... [options]\n"
    "\n"
    "Allocates the differentiated base fee (differentieret basishonorar, OK18, PLO /\n"
    "Danske Regioner): a designated part paid per registered patient to units in\n"
    "designated (threatened) areas, and a weight part paid per weighted patient\n"
    "above a unit's ordinary patient count (negative differences reduce nothing),\n"
    "capped per GP capacity; the rate is the one at which the capped payments spend\n"
    "the weight part exactly.  Amounts are whole øre and sum to the budget exactly.\n",
    groups, 1,
    "\n"
    "Rounding: each part is floored to whole øre per unit; the øre left over go one\n"
    "by one to the units with the largest fractional remainders, ties to the lower\n"
    "key.  The designated part is the share of the budget rounded to the øre.\n"
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n",
    NULL,
};

/* Writes every output, or none: one output set (outset.c), so a failure
** at any of them leaves every existing output as it was. */
static gpcov_status write_all(gpcov_ctx *ctx, const struct gpcov_layer *ul,
                              const char *const *outs, int nouts,
                              const struct gpcov_layer *pl, const char *const *pouts,
                              int npouts, const struct gpcov_write_opts *wo)
{
    gpcov_outset *set = gpcov_outset_new(ctx, wo->overwrite);
    if (!set)
        return GPCOV_ENOMEM;
    gpcov_status st = GPCOV_OK;
    for (int k = 0; k < nouts + npouts && !st; k++)
        st = gpcov_outset_layer(ctx, set, k < nouts ? ul : pl, k < nouts ? outs[k] : pouts[k - nouts],
                                wo);
    if (!st)
        st = gpcov_outset_commit(ctx, set);
    gpcov_outset_free(set);
    return st;
}

/* The summary on stdout: the budget, each part and its rate, the bases. */
static void print_summary(const struct fee_args *a, const struct gpcov_fee_report *rep)
{
    const struct gpcov_fee_opts *o = &a->o;
    const struct gpcov_fee_result *r = &rep->result;
    char b1[48], b2[48], b3[48];
    printf("differentiated base fee: budget %s DKK, %zu %s", gpcov_fee_format_dkk(r->budget_ore, b1, sizeof b1),
           o->practices ? rep->npractices : rep->nunits,
           o->practices ? "practices" : "municipalities");
    if (rep->nexcluded)
        printf(" (%zu left out: empty amounts, see 'fee_reason')", rep->nexcluded);
    printf("\n  designated part %g %%: %s DKK to %zu units with %.0f patients: %.4f DKK per "
           "patient\n",
           o->params.designated_share, gpcov_fee_format_dkk(r->designated_ore, b1, sizeof b1),
           r->ndesignated, r->designated_patients, r->rate_designated);
    printf("  weight part %g %%: %s DKK to %zu units with %.1f weighted patients above their "
           "count: %.4f DKK per weighted patient",
           o->params.weight_share, gpcov_fee_format_dkk(r->weight_ore, b2, sizeof b2),
           r->npositive, r->positive_difference, r->rate_weight);
    if (r->ncapped)
        printf(" (%.4f without caps; %zu units at the cap of %s DKK per capacity)",
               r->rate_weight_uncapped, r->ncapped,
               gpcov_fee_format_dkk((int64_t)llround(o->params.cap_per_capacity * 100), b3,
                                    sizeof b3));
    printf("\n  units paid: %zu\n", r->npaid);
    printf("  patients: %s\n  capacities: %s\n  weights: %s\n  national mean: %s (%.6f)\n",
           rep->patients_basis, rep->capacities_basis, rep->weights_basis, rep->national_basis,
           rep->national_mean);
    for (int k = 0; k < a->nouts + a->npouts; k++)
        printf("  wrote %s\n", k < a->nouts ? a->outs[k] : a->pouts[k - a->nouts]);
}

/* The run in one line: the exact sum allocated, to how many
** municipalities, and those left out (empty amounts) by key. */
static void one_line(const struct fee_args *a, const struct gpcov_layer *ul)
{
    int ft = gpcov_layer_field(ul, "total_dkk");
    int64_t sum = 0;
    size_t paid = 0, out = 0;
    char keys[200] = "", b[48];
    for (size_t i = 0; ft >= 0 && i < ul->n; i++) {
        const struct gpcov_value *v = gpcov_layer_value(ul, i, (size_t)ft);
        if (v && !v->null) {
            sum += (int64_t)llround(v->num * 100);
            paid++;
            continue;
        }
        size_t len = strlen(keys);
        if (++out <= 10 && len + 12 < sizeof keys)
            snprintf(keys + len, sizeof keys - len, "%s%s", out > 1 ? ", " : "", ul->keys[i]);
        else if (out == 11)
            snprintf(keys + len, sizeof keys - len, ", ...");
    }
    tool_summary(a->quiet, "fee", "%s DKK allocated to %zu municipalities, %zu left out%s%s%s",
                 gpcov_fee_format_dkk(sum, b, sizeof b), paid, out, out ? " (" : "", keys,
                 out ? ")" : "");
}

/* Checks the parameters and the outputs, allocates, writes. */
static int run(gpcov_ctx *ctx, struct fee_args *a)
{
    struct gpcov_fee_report rep;
    struct gpcov_layer *ul = NULL, *pl = NULL;
    int rc = EXIT_OK;
    memset(&rep, 0, sizeof rep);
    gpcov_status st = gpcov_fee_params_check(ctx, &a->o.params);
    if (st)
        return tool_option_fail("fee", ctx, st);
    /* refuse existing outputs before any work is done */
    for (int k = 0; k < a->nouts + a->npouts; k++) {
        const char *dst = k < a->nouts ? a->outs[k] : a->pouts[k - a->nouts];
        if ((st = gpcov_atomic_check(ctx, dst, a->wo.overwrite)))
            return tool_fail(ctx, st);
    }
    if ((st = gpcov_fee_run(ctx, &a->o, &ul, &pl, &rep)) ||
        (st = write_all(ctx, ul, a->outs, a->nouts, pl, a->pouts, a->npouts, &a->wo)))
        rc = tool_fail(ctx, st);
    else {
        if (!a->quiet)
            print_summary(a, &rep);
        one_line(a, ul);
    }
    gpcov_fee_report_clear(&rep);
    gpcov_layer_free(ctx, ul);
    gpcov_layer_free(ctx, pl);
    return rc;
}

int cmd_fee(int argc, char **argv)
{
    struct fee_args a;
    memset(&a, 0, sizeof a);
    gpcov_fee_opts_init(&a.o);
    int rc = opt_parse(&opts_fee, argc, argv, (void *const[]){&a});
    if (rc)
        return rc == OPT_HELP ? EXIT_OK : rc;
    /* one share given: the other is the rest */
    if (a.dshare && !a.wshare)
        a.o.params.weight_share = 100 - a.o.params.designated_share;
    else if (a.wshare && !a.dshare)
        a.o.params.designated_share = 100 - a.o.params.weight_share;
    if (!a.o.units || !a.o.age.src || !a.nouts)
        return tool_usage_error("fee", "--units, --age-table and --output are required");
    if (a.npouts && !a.o.practices)
        return tool_usage_error("fee", "--practice-output needs --practices");
    gpcov_ctx *ctx = tool_ctx(a.quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    rc = run(ctx, &a);
    gpcov_ctx_free(ctx);
    return rc;
}
