/*
** cmd_threat.c: `gpcov threat`, threatened areas by transparent rules
** (gpcov_threat), per municipality or per grid cell, with the agreement
** with a designation list printed.
*/
#include "cmd.h"

#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: gpcov threat (--units SRC | --grid NAME=SRC.tif ...) --rule 'NAME: EXPR'...\n"
    "                    --output DST [options]\n"
    "\n"
    "Judges every municipality (or grid cell) by rules on its indicators and says\n"
    "which fired, its score and its class.  Statistics over all units can stand in\n"
    "a rule and are resolved to numbers first (the output shows the resolved rule):\n"
    "total(f), mean(f), median(f), percentile(f, p), wmean(f, w).  Examples:\n"
    "  --rule 'crowded: patients_per_capacity > 1600'\n"
    "  --rule 'old: share80_2035 > 100 * total(pop80_2035) / total(pop_2035) + 2'\n"
    "  --rule 'far: share_far60 > 25'\n"
    "  --rule 'low_access: access < percentile(access, 25)'\n"
    "\n"
    "  --units SRC          municipalities with indicators, e.g. municipalities.gpkg\n"
    "                       (required unless --grid)\n"
    "  --key FIELD          their key (default: komkode)\n"
    "  --grid NAME=SRC.tif  instead of units: a raster indicator (repeatable, one grid)\n"
    "  --rule 'NAME: EXPR'  a rule (repeatable); NAME is letters, digits and _\n"
    "  --optional NAME      skip rule NAME, saying so, when an indicator is missing\n"
    "                       (default: a missing indicator is an error)\n"
    "  --weight NAME=W      the rule's weight in the score (default: 1)\n"
    "  --combine HOW        all (every rule fires), any (one suffices) or score\n"
    "                       (weighted share of the rules that fired; default: all)\n"
    "  --threshold S        with score: threatened when score >= S (default: 0.5)\n"
    "  --exclude KEY[,KEY]  units not judged (kept, undecided), e.g. 0411 (default:\n"
    "                       none)\n"
    "  --designation SRC    a table of designated municipalities, e.g. the PLO list\n"
    "                       (default: none, no agreement)\n"
    "  --designation-key F  its code column (default: kommune_code)\n"
    "  --agreement DST.csv  the units on each side of the confusion table\n"
    "  --output DST         units: .gpkg, .geojson, .csv with rule_<NAME>,\n"
    "                       threat_score, threatened and rules_fired; grid: .tif of\n"
    "                       the score; or PostGIS: 'PG:<conninfo> tables=NAME'\n"
    "                       (README) (required)\n"
    "  --overwrite          replace existing outputs (default: refuse)\n"
    "  -q                   do not print the rules and the agreement\n"
    "\n"
    "Exit codes: the table in gpcov --help (and man gpcov, the README).\n";

#define MAX_RULES 32

int cmd_threat(int argc, char **argv)
{
    struct gpcov_threat_opts o = {0};
    struct gpcov_rule rules[MAX_RULES];
    char *names[MAX_RULES];
    int quiet = 0, rc = EXIT_OK;
    memset(rules, 0, sizeof rules);
    o.rules = rules;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            goto out;
        } else if (!strcmp(a, "--overwrite")) o.overwrite = 1;
        else if (!strcmp(a, "-q")) quiet = 1;
        else if (!v) {
            rc = tool_usage_error("threat", "unknown option or missing value: '%s'", a);
            goto out;
        } else if (!strcmp(a, "--units")) o.units = v, i++;
        else if (!strcmp(a, "--key")) o.key = v, i++;
        else if (!strcmp(a, "--designation")) o.designation = v, i++;
        else if (!strcmp(a, "--designation-key")) o.designation_key = v, i++;
        else if (!strcmp(a, "--agreement")) o.agreement = v, i++;
        else if (!strcmp(a, "--exclude")) {
            char **parts = CSLTokenizeString2(v, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES);
            for (char **p = parts; p && *p; p++) {
                char key[64];
                if (gpcov_key_normalise(*p, key, sizeof key) == 0)
                    o.exclude = CSLAddString(o.exclude, key);
            }
            CSLDestroy(parts);
            i++;
        }
        else if (!strcmp(a, "--output")) o.output = v, i++;
        else if (!strcmp(a, "--grid")) {
            if (o.ngrid == sizeof o.grid / sizeof *o.grid) {
                rc = tool_usage_error("threat", "at most 16 --grid rasters");
                goto out;
            }
            o.grid[o.ngrid++] = v, i++;
        } else if (!strcmp(a, "--rule")) {
            const char *colon = strchr(v, ':');
            if (!colon || colon == v || o.nrules == MAX_RULES) {
                rc = tool_usage_error("threat", "--rule '%s': expected 'NAME: EXPRESSION' (at "
                                      "most %d rules)", v, MAX_RULES);
                goto out;
            }
            names[o.nrules] = strndup(v, (size_t)(colon - v));
            char *e = names[o.nrules] + strlen(names[o.nrules]);
            while (e > names[o.nrules] && e[-1] == ' ')
                *--e = 0;
            rules[o.nrules].name = names[o.nrules];
            const char *text = colon + 1;
            while (*text == ' ')
                text++;
            rules[o.nrules].text = text;
            o.nrules++;
            i++;
        } else if (!strcmp(a, "--optional") || !strcmp(a, "--weight")) {
            char nm[128];
            const char *eq = strchr(v, '=');
            snprintf(nm, sizeof nm, "%.*s", eq ? (int)(eq - v) : (int)strlen(v), v);
            size_t k = 0;
            while (k < o.nrules && strcmp(rules[k].name, nm))
                k++;
            if (k == o.nrules) {
                rc = tool_usage_error("threat", "%s %s: no rule '%s' declared before it", a, v, nm);
                goto out;
            }
            if (a[2] == 'o') {
                rules[k].optional = 1;
            } else {
                char *end;
                double w = eq ? strtod(eq + 1, &end) : -1;
                if (!eq || *end || !(w > 0)) {
                    rc = tool_usage_error("threat", "--weight '%s': expected NAME=W with W > 0", v);
                    goto out;
                }
                rules[k].weight = w;
            }
            i++;
        } else if (!strcmp(a, "--combine")) {
            if (!strcmp(v, "all")) o.combine = GPCOV_COMBINE_ALL;
            else if (!strcmp(v, "any")) o.combine = GPCOV_COMBINE_ANY;
            else if (!strcmp(v, "score")) o.combine = GPCOV_COMBINE_SCORE;
            else {
                rc = tool_usage_error("threat", "--combine '%s': all, any or score", v);
                goto out;
            }
            i++;
        } else if (!strcmp(a, "--threshold")) {
            char *end;
            o.threshold = strtod(v, &end);
            if (*end || !(o.threshold > 0) || o.threshold > 1) {
                rc = tool_usage_error("threat", "--threshold '%s': a share in (0, 1]", v);
                goto out;
            }
            i++;
        } else {
            rc = tool_usage_error("threat", "unknown option '%s'", a);
            goto out;
        }
    }
    if (!o.nrules || !o.output || (!o.units == !o.ngrid)) {
        rc = tool_usage_error("threat", "--rule, --output, and --units or --grid are required");
        goto out;
    }
    gpcov_ctx *ctx = tool_ctx(quiet);
    if (!ctx) {
        rc = EXIT_INTERNAL;
        goto out;
    }
    char *summary = NULL;
    gpcov_status st = gpcov_threat(ctx, &o, &summary);
    if (st)
        rc = tool_fail(ctx, st);
    else if (!quiet)
        fputs(summary, stdout);
    free(summary);
    gpcov_ctx_free(ctx);
out:
    for (size_t k = 0; k < o.nrules; k++)
        free(names[k]);
    CSLDestroy(o.exclude);
    return rc;
}
