/*
** cmd_fee.c: `gpcov fee`, the allocation of the differentiated base fee
** (differentieret basishonorar, OK18) over municipalities or practices
** (gpcov_fee_run), written as CSV, GeoJSON or GeoPackage, with a short
** summary on stdout.
*/
#include "cmd.h"
#include "gpcov.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: gpcov fee --units SRC --age-table SRC --output DST [--output DST]... [options]\n"
    "\n"
    "Allocates the differentiated base fee (differentieret basishonorar, OK18, PLO /\n"
    "Danske Regioner): a designated part paid per registered patient to units in\n"
    "designated (threatened) areas, and a weight part paid per weighted patient\n"
    "above a unit's ordinary patient count (negative differences reduce nothing),\n"
    "capped per GP capacity; the rate is the one at which the capped payments spend\n"
    "the weight part exactly.  Amounts are whole øre and sum to the budget exactly.\n"
    "\n"
    "Fee:\n"
    "  --budget DKK                a year (default 60000000)\n"
    "  --designated-share PCT      per-patient part for designated units (default 40)\n"
    "  --weight-share PCT          part by patient weight (default 60); the two must sum\n"
    "                              to 100 (give one and the other is 100 minus it)\n"
    "  --cap-per-capacity DKK      cap of a unit's weight part per GP capacity\n"
    "                              (default 100000)\n"
    "\n"
    "Municipalities (the indicator layer of `make report`, e.g.\n"
    "reports/out/municipalities.gpkg):\n"
    "  --units SRC                 any OGR source (required); without --practices the\n"
    "                              allocation is per municipality\n"
    "  --units-layer NAME          layer of SRC (default: the first)\n"
    "  --key FIELD                 municipality code (default komkode)\n"
    "  --name-field FIELD          name (default name, when present)\n"
    "  --designated-field FIELD    true where designated (default designated_2019)\n"
    "  --designation SRC           take --designated-field from this keyed layer by\n"
    "                              --key, e.g. the threat layer with 'threatened'\n"
    "                              (default: from --units); a unit it lacks or\n"
    "                              leaves empty (undecided) is left out, with a reason\n"
    "  --patients-field FIELD      registered patients (default patients when present,\n"
    "                              else pop_2020: the population as a PROXY; the summary\n"
    "                              and the output metadata say which was used)\n"
    "  --capacities-field FIELD    GP capacities (default capacities when present, else\n"
    "                              ESTIMATED as patients / --norm)\n"
    "  --norm N                    patients per capacity for that estimate (default 1600)\n"
    "  --exclude KEY[,KEY]         leave units out (e.g. 0411 Christiansø); they are\n"
    "                              written with empty amounts, not 0 DKK, and a\n"
    "                              reason (default: none).  A unit whose designation,\n"
    "                              patients or capacities are empty is left out the\n"
    "                              same way, its reason naming what is missing\n"
    "\n"
    "Age-sex composition (each unit's patients are weighted like its population):\n"
    "  --age-table SRC             long table, one row per area and age, e.g.\n"
    "                              folk1a_2020q1_area_age_sex.csv (required); rows of\n"
    "                              areas that are not units are skipped\n"
    "  --age-sheet NAME            sheet or layer of the age table (default: the first)\n"
    "  --age-skip-rows N           rows above the header in a raw spreadsheet (default 0)\n"
    "  --age-columns A,B,...       names for the columns, the file then has no header\n"
    "                              (default: the header row)\n"
    "  --age-fill-down A,B         blank cells take the value above, for merged cells\n"
    "                              (default: none).\n"
    "                              StatBank's XLSX of FOLK1A reads with\n"
    "      --age-skip-rows 3 --age-fill-down period,period_label,area_code,area_name\n"
    "      --age-columns period,period_label,area_code,area_name,age,age_label,men,women\n"
    "  --age-key FIELD             area code column (default area_code)\n"
    "  --age-field FIELD           age column, whole years (default age)\n"
    "  --men-field FIELD           men per age (default men)\n"
    "  --women-field FIELD         women per age (default women)\n"
    "  --total-field FIELD         both sexes per age instead of --men/--women-field\n"
    "                              (then only weights for sex 'all' apply; default:\n"
    "                              none)\n"
    "  --national-key KEY          rows of the whole country, giving the national mean\n"
    "                              (default 0000; when absent, the mean over the units'\n"
    "                              patients)\n"
    "  --weights CSV               rows sex,age_from,age_to,weight; sex men, women or\n"
    "                              all; age_to empty = and over.  Weights are normalised\n"
    "                              so that the national mean weight per person is 1.\n"
    "                              Default (an ASSUMPTION, see the README): all ages 1.0,\n"
    "                              80 and over 2.7, which against the national mean\n"
    "                              (4.68 % aged 80+) is 2.50 and 0.93: the 80+ see their\n"
    "                              GP about 2.5 times as often as the average citizen.\n"
    "                              No sex difference is assumed.\n"
    "\n"
    "Practices (optional; the allocation is then per practice):\n"
    "  --practices SRC             points, any OGR source; a CSV takes lon/lat columns.\n"
    "                              Each practice takes the age composition and the\n"
    "                              designation of the municipality it lies in\n"
    "                              (default: none, per municipality).\n"
    "  --practice-layer NAME       layer of SRC (default: the first)\n"
    "  --practice-id FIELD         unique id (default id, else feature numbers)\n"
    "  --practice-name-field FIELD name (default name, when present)\n"
    "  --practice-patients-field F registered patients (default patients)\n"
    "  --practice-capacities-field F  GP capacities (default capacities, else\n"
    "                              patients / --norm)\n"
    "  --practice-designated-field F  designation of the practice itself (default:\n"
    "                              its municipality's)\n"
    "  --x FIELD --y FIELD         coordinate columns (default lon/lat)\n"
    "  --srs CRS                   CRS of the coordinates (default EPSG:4326)\n"
    "  --snap METRES               a practice outside every polygon joins the nearest\n"
    "                              within this distance (default 1000)\n"
    "  --practice-output DST       the per-practice result (repeatable)\n"
    "\n"
    "Output:\n"
    "  --output DST                per municipality: .csv, .geojson (RFC 7946), .gpkg,\n"
    "                              .shp (repeatable).  Fields: the key, name,\n"
    "                              designated, patients, capacities, weight_factor,\n"
    "                              weighted_patients, weight_difference, cap_dkk,\n"
    "                              designated_dkk, weight_dkk, capped, total_dkk (and\n"
    "                              practices); DKK with 2 decimals, exact from øre.\n"
    "                              Parameters in the layer metadata (GPCOV_FEE_*).\n"
    "                              or PostGIS: 'PG:<conninfo> tables=NAME' (README)\n"
    "  --overwrite                 replace existing outputs (default: refuse)\n"
    "  -q                          no progress, no summary\n"
    "\n"
    "Rounding: each part is floored to whole øre per unit; the øre left over go one\n"
    "by one to the units with the largest fractional remainders, ties to the lower\n"
    "key.  The designated part is the share of the budget rounded to the øre.\n"
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n";

#define MAX_OUT 8


static int number_opt(const char *opt, const char *v, double *out)
{
    if (gpcov_parse_number(v, out) != 0)
        return tool_usage_error("fee", "%s '%s': expected a number", opt, v);
    return EXIT_OK;
}

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

int cmd_fee(int argc, char **argv)
{
    struct gpcov_fee_opts o;
    struct gpcov_fee_report rep;
    const char *outs[MAX_OUT], *pouts[MAX_OUT];
    int nouts = 0, npouts = 0, quiet = 0, rc = EXIT_OK, dshare = 0, wshare = 0;
    struct gpcov_write_opts wo = {0};
    struct gpcov_layer *ul = NULL, *pl = NULL;
    gpcov_fee_opts_init(&o);
    memset(&rep, 0, sizeof rep);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--overwrite")) {
            wo.overwrite = 1;
            continue;
        } else if (!strcmp(a, "-q")) {
            quiet = 1;
            continue;
        } else if (!v || strncmp(a, "-", 1)) {
            return tool_usage_error("fee", "unknown option or missing value: '%s'", a);
        }
        i++;
        if (!strcmp(a, "--units")) o.units = v;
        else if (!strcmp(a, "--units-layer")) o.units_layer = v;
        else if (!strcmp(a, "--key")) o.key = v;
        else if (!strcmp(a, "--name-field")) o.name_field = v;
        else if (!strcmp(a, "--designated-field")) o.designated_field = v;
        else if (!strcmp(a, "--designation")) o.designation = v;
        else if (!strcmp(a, "--patients-field")) o.patients_field = v;
        else if (!strcmp(a, "--capacities-field")) o.capacities_field = v;
        else if (!strcmp(a, "--exclude")) o.exclude = v;
        else if (!strcmp(a, "--age-table")) o.age.src = v;
        else if (!strcmp(a, "--age-sheet")) o.age.topts.layer = v;
        else if (!strcmp(a, "--age-columns")) o.age.topts.columns = v;
        else if (!strcmp(a, "--age-fill-down")) o.age.topts.fill_down = v;
        else if (!strcmp(a, "--age-key")) o.age.key_field = v;
        else if (!strcmp(a, "--age-field")) o.age.age_field = v;
        else if (!strcmp(a, "--men-field")) o.age.men_field = v;
        else if (!strcmp(a, "--women-field")) o.age.women_field = v;
        else if (!strcmp(a, "--total-field")) o.age.total_field = v;
        else if (!strcmp(a, "--national-key")) o.age.national_key = v;
        else if (!strcmp(a, "--weights")) o.weights = v;
        else if (!strcmp(a, "--practices")) o.practices = v;
        else if (!strcmp(a, "--practice-layer")) o.practice_layer = v;
        else if (!strcmp(a, "--practice-id")) o.practice_id = v;
        else if (!strcmp(a, "--practice-name-field")) o.practice_name = v;
        else if (!strcmp(a, "--practice-patients-field")) o.practice_patients = v;
        else if (!strcmp(a, "--practice-capacities-field")) o.practice_capacities = v;
        else if (!strcmp(a, "--practice-designated-field")) o.practice_designated = v;
        else if (!strcmp(a, "--x")) o.x_field = v;
        else if (!strcmp(a, "--y")) o.y_field = v;
        else if (!strcmp(a, "--srs")) o.srs = v;
        else if (!strcmp(a, "--budget")) {
            if ((rc = number_opt(a, v, &o.params.budget)))
                return rc;
        } else if (!strcmp(a, "--designated-share")) {
            if ((rc = number_opt(a, v, &o.params.designated_share)))
                return rc;
            dshare = 1;
        } else if (!strcmp(a, "--weight-share")) {
            if ((rc = number_opt(a, v, &o.params.weight_share)))
                return rc;
            wshare = 1;
        } else if (!strcmp(a, "--cap-per-capacity")) {
            if ((rc = number_opt(a, v, &o.params.cap_per_capacity)))
                return rc;
        } else if (!strcmp(a, "--norm")) {
            if ((rc = number_opt(a, v, &o.norm)))
                return rc;
            if (!(o.norm > 0))
                return tool_usage_error("fee", "--norm '%s': expected patients per capacity > 0", v);
        } else if (!strcmp(a, "--age-skip-rows")) {
            double d;
            if ((rc = number_opt(a, v, &d)))
                return rc;
            if (d < 0 || d > 1e6 || d != (int)d)
                return tool_usage_error("fee", "%s '%s': expected a whole number >= 0", a, v);
            o.age.topts.skip_rows = (int)d;
        } else if (!strcmp(a, "--snap")) {
            if ((rc = number_opt(a, v, &o.snap)))
                return rc;
            if (o.snap < 0)
                return tool_usage_error("fee", "--snap '%s': expected metres >= 0", v);
        } else if (!strcmp(a, "--output") || !strcmp(a, "--practice-output")) {
            int p = a[2] == 'p';
            if ((p ? npouts : nouts) == MAX_OUT)
                return tool_usage_error("fee", "at most %d %s", MAX_OUT, a);
            if (p)
                pouts[npouts++] = v;
            else
                outs[nouts++] = v;
        } else {
            return tool_usage_error("fee", "unknown option '%s'", a);
        }
    }
    /* one share given: the other is the rest */
    if (dshare && !wshare)
        o.params.weight_share = 100 - o.params.designated_share;
    else if (wshare && !dshare)
        o.params.designated_share = 100 - o.params.weight_share;
    if (!o.units || !o.age.src || !nouts)
        return tool_usage_error("fee", "--units, --age-table and --output are required");
    if (npouts && !o.practices)
        return tool_usage_error("fee", "--practice-output needs --practices");
    gpcov_ctx *ctx = tool_ctx(quiet);
    if (!ctx)
        return EXIT_INTERNAL;
    gpcov_status st = gpcov_fee_params_check(ctx, &o.params);
    if (st) {
        rc = tool_option_fail("fee", ctx, st);
        goto out;
    }
    /* refuse existing outputs before any work is done */
    for (int k = 0; k < nouts + npouts; k++) {
        const char *dst = k < nouts ? outs[k] : pouts[k - nouts];
        if ((st = gpcov_atomic_check(ctx, dst, wo.overwrite))) {
            rc = tool_fail(ctx, st);
            goto out;
        }
    }
    if ((st = gpcov_fee_run(ctx, &o, &ul, &pl, &rep)) ||
        (st = write_all(ctx, ul, outs, nouts, pl, pouts, npouts, &wo))) {
        rc = tool_fail(ctx, st);
        goto out;
    }
    if (!quiet) {
        const struct gpcov_fee_result *r = &rep.result;
        char b1[48], b2[48], b3[48];
        printf("differentiated base fee: budget %s DKK, %zu %s", gpcov_fee_format_dkk(r->budget_ore, b1, sizeof b1),
               o.practices ? rep.npractices : rep.nunits,
               o.practices ? "practices" : "municipalities");
        if (rep.nexcluded)
            printf(" (%zu left out: empty amounts, see 'fee_reason')", rep.nexcluded);
        printf("\n  designated part %g %%: %s DKK to %zu units with %.0f patients: %.4f DKK per "
               "patient\n",
               o.params.designated_share, gpcov_fee_format_dkk(r->designated_ore, b1, sizeof b1),
               r->ndesignated, r->designated_patients, r->rate_designated);
        printf("  weight part %g %%: %s DKK to %zu units with %.1f weighted patients above their "
               "count: %.4f DKK per weighted patient",
               o.params.weight_share, gpcov_fee_format_dkk(r->weight_ore, b2, sizeof b2),
               r->npositive, r->positive_difference, r->rate_weight);
        if (r->ncapped)
            printf(" (%.4f without caps; %zu units at the cap of %s DKK per capacity)",
                   r->rate_weight_uncapped, r->ncapped,
                   gpcov_fee_format_dkk((int64_t)llround(o.params.cap_per_capacity * 100), b3,
                                        sizeof b3));
        printf("\n  units paid: %zu\n", r->npaid);
        printf("  patients: %s\n  capacities: %s\n  weights: %s\n  national mean: %s (%.6f)\n",
               rep.patients_basis, rep.capacities_basis, rep.weights_basis, rep.national_basis,
               rep.national_mean);
        for (int k = 0; k < nouts + npouts; k++)
            printf("  wrote %s\n", k < nouts ? outs[k] : pouts[k - nouts]);
    }
out:
    gpcov_fee_report_clear(&rep);
    gpcov_layer_free(ctx, ul);
    gpcov_layer_free(ctx, pl);
    gpcov_ctx_free(ctx);
    return rc;
}
