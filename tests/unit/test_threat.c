/* test_threat.c: the rule engine by hand: statistics resolved to numbers,
** all/any/score combinations, unknown values, optional rules, the
** agreement with a designation list, and the errors. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <stdlib.h>

#include <gdal.h>
#include <ogr_api.h>

static const char *field_of(const char *path, const char *key, const char *f, char *buf, size_t n)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    snprintf(buf, n, "(missing)");
    OGRLayerH l = ds ? GDALDatasetGetLayer(ds, 0) : NULL;
    OGRFeatureH ft;
    while (l && (ft = OGR_L_GetNextFeature(l))) {
        if (!strcmp(OGR_F_GetFieldAsString(ft, OGR_F_GetFieldIndex(ft, "komkode")), key)) {
            int i = OGR_F_GetFieldIndex(ft, f);
            snprintf(buf, n, "%s", i < 0 ? "(no field)" : OGR_F_IsFieldSetAndNotNull(ft, i)
                                                             ? OGR_F_GetFieldAsString(ft, i) : "(null)");
        }
        OGR_F_Destroy(ft);
    }
    if (ds)
        GDALClose(ds);
    return buf;
}

/* what the cases share: the context, the output and agreement paths, the
** three rules and the options, run after run */
static gpcov_ctx *ctx;
static char out[512], agr[512], buf[128], *sum;
static struct gpcov_rule rules[3] = {
    {"crowded", "ppc > 1600", 2, 0},
    /* wmean(old, pop) = (900 + 1200 + 6000) / 900 = 9: "above the national value" */
    {"old", "old > wmean(old, pop)", 1, 0},
    {"median", "ppc >= median(ppc)", 1, 0}, /* median of 1500,1700,1700,1800 = 1700 */
};
static struct gpcov_threat_opts o;
static gpcov_status st;

static void setup(void)
{
    fx_make();
    GDALAllRegister();
    /* four units: a (ppc 1700, old 9), b (1500, 4), c (1700, null), d (1800, 12) */
    fx_write("units.csv", "komkode,name,ppc,old,pop\n0101,a,1700,9,100\n0147,b,1500,4,300\n"
                          "0825,c,1700,,100\n0860,d,1800,12,500\n");
    fx_write("plo.csv", "kommune_code\n101\n147\n");
    ctx = gpcov_ctx_new();
    snprintf(out, sizeof out, "%s", fx_path("t.geojson")); /* nulls stay null */
    snprintf(agr, sizeof agr, "%s", fx_path("agree.csv"));
    o = (struct gpcov_threat_opts){.units = fx_path("units.csv"), .rules = rules, .nrules = 3,
                                   .combine = GPCOV_COMBINE_ALL, .output = out,
                                   .designation = fx_path("plo.csv"), .agreement = agr};
}

/* every rule must fire: verdicts, scores, the agreement with the designation */
static void case_all(void)
{
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_OK, "rules run: %s", gpcov_ctx_message(ctx));
    OK(sum && strstr(sum, "old > 9") && strstr(sum, "ppc >= 1700"),
       "statistics resolved to numbers in the report");
    STREQ(field_of(out, "0860", "threatened", buf, sizeof buf), "1", "d: every rule fires (all)");
    STREQ(field_of(out, "0101", "threatened", buf, sizeof buf), "0", "a: old 9 is not > 9, so not all");
    STREQ(field_of(out, "0101", "rules_fired", buf, sizeof buf), "crowded,median", "a: which rules fired");
    STREQ(field_of(out, "0825", "threatened", buf, sizeof buf), "(null)",
          "c: 'old' unknown, the others fire: undecided under all");
    STREQ(field_of(out, "0147", "threatened", buf, sizeof buf), "0", "b: nothing fires");
    NEAR(atof(field_of(out, "0101", "threat_score", buf, sizeof buf)), 3.0 / 4, 1e-9,
         "a: score = (2 + 1) / (2 + 1 + 1) of the weight fired");
    STREQ(field_of(out, "0825", "threat_score", buf, sizeof buf), "(null)",
          "c: no score while a rule is unknown");
    NEAR(atof(field_of(out, "0825", "score_min", buf, sizeof buf)), 3.0 / 4, 1e-9,
         "c: the score is at least (2 + 1) / 4 ('old' false)");
    NEAR(atof(field_of(out, "0825", "score_max", buf, sizeof buf)), 1, 1e-9,
         "c: and at most 4 / 4 ('old' true)");
    STREQ(field_of(out, "0825", "verdict", buf, sizeof buf), "undecided", "c: its verdict is 'undecided'");
    STREQ(field_of(out, "0825", "threat_reason", buf, sizeof buf), "uafklaret: mangler old",
          "c: the reason names the missing indicator");
    STREQ(field_of(out, "0147", "verdict", buf, sizeof buf), "false", "b: verdict false");
    OK(sum && strstr(sum, "designated  not designated") && strstr(sum, "both (0)") &&
           strstr(sum, "designation only (2): 0101 a, 0147 b") && strstr(sum, "rules only (1): 0860 d"),
       "agreement: the confusion table and the units on each side");
    FILE *f = fopen(agr, "r");
    char line[256] = "", all[2048] = "";
    int rows = 0;
    while (f && fgets(line, sizeof line, f) && strlen(all) + strlen(line) < sizeof all) {
        strcat(all, line);
        rows++;
    }
    if (f)
        fclose(f);
    OK(rows == 5 && strstr(all, "\nundecided,0825,c,,0\n"),
       "agreement CSV: a header, the 3 decided units and c as undecided (%d lines)", rows);
    OK(sum && strstr(sum, "undecided (1): 0825 c") && strstr(sum, "of 3 decided units"),
       "agreement: the undecided unit counted apart");
    free(sum);
}

/* any rule, and a score over a threshold */
static void case_any_score(void)
{
    o.combine = GPCOV_COMBINE_ANY;
    o.overwrite = 1;
    st = gpcov_threat(ctx, &o, &sum);
    STREQ(field_of(out, "0101", "threatened", buf, sizeof buf), "1", "any: a is threatened");
    STREQ(field_of(out, "0825", "threatened", buf, sizeof buf), "1", "any: c too (one known rule fired)");
    free(sum);
    o.combine = GPCOV_COMBINE_SCORE;
    o.threshold = 0.8;
    st = gpcov_threat(ctx, &o, &sum);
    STREQ(field_of(out, "0101", "threatened", buf, sizeof buf), "0", "score 0.75 < 0.8: a is not");
    STREQ(field_of(out, "0825", "threatened", buf, sizeof buf), "(null)",
          "score 0.75 to 1 around 0.8: c is undecided, not judged on its known rules only");
    STREQ(field_of(out, "0825", "verdict", buf, sizeof buf), "undecided", "score: c's verdict");
    free(sum);
    o.threshold = 0.5;
    st = gpcov_threat(ctx, &o, &sum);
    STREQ(field_of(out, "0825", "threatened", buf, sizeof buf), "1",
          "score 0.75 to 1, threshold 0.5: c is threatened whatever 'old' is");
    free(sum);
}

/* the case of the issue: a weight-2 rule missing, 1 of 3 known fired */
static void case_unknown_weighty(void)
{
    rules[0].text = "ppc > 1750";
    rules[1].text = "old > 5";
    rules[2].text = "pop > 200";
    rules[0].optional = 0;
    fx_write("units2.csv", "komkode,name,ppc,old,pop\n0101,a,,9,100\n0147,b,1500,4,300\n"
                           "0825,c,1700,5,100\n0860,d,1800,12,500\n");
    o.units = fx_path("units2.csv");
    o.designation = NULL;
    st = gpcov_threat(ctx, &o, &sum);
    STREQ(field_of(out, "0101", "threatened", buf, sizeof buf), "(null)",
          "a: the weight-2 rule unknown, 1 of the other 2 fired (1/2 known, 1/4 to 3/4 in "
          "truth): not judged on its known rules");
    STREQ(field_of(out, "0101", "verdict", buf, sizeof buf), "undecided", "its verdict is undecided");
    o.units = fx_path("units.csv");
    o.designation = fx_path("plo.csv");
    rules[0].text = "ppc > 1600";
    rules[1].text = "old > wmean(old, pop)";
    rules[2].text = "ppc >= median(ppc)";
    free(sum);
}

/* an excluded unit is kept but not judged, and not in the agreement */
static void case_exclude(void)
{
    char *ex[2] = {"0860", NULL};
    o.exclude = ex;
    o.combine = GPCOV_COMBINE_ALL;
    st = gpcov_threat(ctx, &o, &sum);
    STREQ(field_of(out, "0860", "threatened", buf, sizeof buf), "(null)", "excluded: d is not judged");
    OK(st == GPCOV_OK && sum && strstr(sum, "0 of 3 units threatened") && strstr(sum, "1 excluded") &&
           !strstr(sum, "0860 d"),
       "excluded: counted apart, absent from the agreement");
    free(sum);
    o.exclude = NULL;
}

/* grid mode: rules per cell over rasters on one grid */
static void case_grid(void)
{
    char ta[512], tb[512], tg[512];
    snprintf(ta, sizeof ta, "%s", fx_path("minutes.tif"));
    snprintf(tb, sizeof tb, "%s", fx_path("people.tif"));
    snprintf(tg, sizeof tg, "%s", fx_path("score.tif"));
    struct gpcov_grid g = {2, 2, {700000, 100, 0, 6200000, 0, -100}, NULL};
    float mins[4] = {10, 70, 130, NAN}, ppl[4] = {5, 0, 9, 9};
    struct gpcov_raster_write_opts wo = {0};
    gpcov_raster_write(ctx, ta, &g, GPCOV_RASTER_FLOAT32, mins, &wo);
    gpcov_raster_write(ctx, tb, &g, GPCOV_RASTER_FLOAT32, ppl, &wo);
    struct gpcov_rule gr[2] = {{"far", "minutes > 60", 0, 0}, {"people", "people > 0", 0, 0}};
    char ga[600], gb[600];
    snprintf(ga, sizeof ga, "minutes=%s", ta);
    snprintf(gb, sizeof gb, "people=%s", tb);
    struct gpcov_threat_opts go = {.grid = {ga, gb}, .ngrid = 2, .rules = gr, .nrules = 2,
                                   .combine = GPCOV_COMBINE_SCORE, .output = tg};
    st = gpcov_threat(ctx, &go, &sum);
    OK(st == GPCOV_OK, "grid mode runs: %s", gpcov_ctx_message(ctx));
    free(sum);
    struct gpcov_grid rg = {0};
    float *v = NULL;
    if (st == GPCOV_OK && gpcov_raster_read(ctx, tg, &rg, &v) == GPCOV_OK) {
        OK(v[0] == 0.5f && v[1] == 0.5f && v[2] == 1.0f && isnan(v[3]),
           "cell scores: 10 min & 5 people 0.5; 70 min & nobody 0.5; 130 min & 9 people 1; "
           "unreachable & 9 people unknown, not 1 (%g %g %g %g)", v[0], v[1], v[2], v[3]);
        free(v);
        gpcov_grid_clear(&rg);
    }
    struct gpcov_grid g2 = {3, 2, {700000, 100, 0, 6200000, 0, -100}, NULL};
    float six[6] = {0};
    gpcov_ctx_forget_inputs(ctx); /* people.tif was an input of the run above */
    gpcov_raster_write(ctx, tb, &g2, GPCOV_RASTER_FLOAT32, six, &(struct gpcov_raster_write_opts){.overwrite = 1});
    go.overwrite = 1;
    st = gpcov_threat(ctx, &go, &sum);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "not on the grid"),
       "grid mode: rasters on different grids are refused");
}

/* errors */
static void case_errors(void)
{
    struct gpcov_rule bad[1] = {{"x", "nosuch > 1", 0, 0}};
    o.rules = bad;
    o.nrules = 1;
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "unknown indicator 'nosuch'"),
       "a rule on an unknown indicator: %s", gpcov_ctx_message(ctx));
    bad[0].optional = 1;
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "every rule was skipped"),
       "only optional rules, all skipped: an error");
    struct gpcov_rule bad2[1] = {{"y", "ppc > percentile(ppc, 120)", 0, 0}};
    o.rules = bad2;
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "0-100"), "a percentile outside 0-100");
    struct gpcov_rule bad3[1] = {{"z", "ppc >", 0, 0}};
    o.rules = bad3;
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "rule z"), "a syntax error names the rule");
    o.rules = rules;
    o.nrules = 3;
    o.overwrite = 0;
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_EOUTPUT, "an existing output is refused");
}

int main(void)
{
    setup();
    RUN(case_all);
    RUN(case_any_score);
    RUN(case_unknown_weighty);
    RUN(case_exclude);
    RUN(case_grid);
    RUN(case_errors);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
