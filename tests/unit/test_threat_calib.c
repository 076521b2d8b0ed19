/* test_threat_calib.c: `threat --calibrate` on a tiny fixture whose best
** cuts are known by hand and checked by brute force over a fine grid of
** cuts: the cut found and its class, the agreement before and after
** (Cohen's kappa and the counts), ties going to the original cut, the
** undecided and excluded units counted apart, the units that flip at
** -10 % and +10 %, and the errors. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>

#include <gdal.h>

static gpcov_ctx *ctx;
static char out[512], cal[512], *sum;
static struct gpcov_threat_opts o;
static gpcov_status st;

/* the fixture: v and u of ten units; i has no v, x is excluded */
#define NU 10
static const double v[NU] = {1, 2, 3.3, 4, 6, 7, 8, 9, NAN, 100};
static const double u[NU] = {10, 60, 10, 10, 10, 60, 10, 60, 10, 10};

static void setup(void)
{
    fx_make();
    GDALAllRegister();
    fx_write("units.csv", "komkode,name,v,u\n0101,a,1,10\n0147,b,2,60\n0151,c,3.3,10\n"
                          "0153,d,4,10\n0155,e,6,10\n0157,f,7,60\n0159,g,8,10\n0161,h,9,60\n"
                          "0163,i,,10\n0411,x,100,10\n");
    /* d (4), e, f, g, h designated: v > c agrees exactly for c in [3.3, 4);
    ** i (no v) and x (excluded) too, and count for neither side */
    fx_write("plo.csv", "kommune_code\n153\n155\n157\n159\n161\n163\n411\n");
    /* d, f, g, h: v > c for c in [3.3, 4) and in [6, 7) agree as well */
    fx_write("plo2.csv", "kommune_code\n153\n157\n159\n161\n");
    ctx = gpcov_ctx_new();
    snprintf(out, sizeof out, "%s", fx_path("t.csv"));
    snprintf(cal, sizeof cal, "%s", fx_path("cal.csv"));
}

/* The cell of column col in the row of item in the calibration CSV, or
** "(missing)"; quoted cells with commas are not needed here. */
static const char *cell(const char *item, const char *col, char *buf, size_t n)
{
    FILE *f = fopen(cal, "r");
    char line[4096], head[4096] = "";
    int c = -1;
    snprintf(buf, n, "(missing)");
    if (f && fgets(head, sizeof head, f)) {
        int k = 0;
        for (char *t = strtok(head, ",\n"); t; t = strtok(NULL, ",\n"), k++)
            if (!strcmp(t, col))
                c = k;
    }
    while (f && c >= 0 && fgets(line, sizeof line, f)) {
        char *p = line;
        if (strncmp(p, item, strlen(item)) || p[strlen(item)] != ',')
            continue;
        for (int k = 0; k < c && p; k++) {
            if (*p == '"')
                p = strchr(p + 1, '"');
            p = p ? strchr(p, ',') : NULL;
            p = p ? p + 1 : NULL;
        }
        if (p)
            snprintf(buf, n, "%.*s", (int)strcspn(p, ",\n"), p);
    }
    if (f)
        fclose(f);
    return buf;
}

static double num(const char *item, const char *col)
{
    char b[256];
    const char *s = cell(item, col, b, sizeof b);
    return *s && strcmp(s, "(missing)") ? atof(s) : NAN;
}

/* Brute force: the kappa of the rules 'v > c' (weight 1) and, with
** score, 'u > 50' (weight wu), score >= t, against designated des[]; the
** decided units only, x excluded. */
static double kappa_of(double c, int score, double wu, double t, const int *des)
{
    double tp = 0, fp = 0, fn = 0, tn = 0;
    for (int i = 0; i < NU - 1; i++) {
        int th;
        if (!score) {
            if (isnan(v[i]))
                continue;
            th = v[i] > c;
        } else {
            double base = wu * (u[i] > 50), W = 1 + wu;
            double lo = (base + (!isnan(v[i]) && v[i] > c)) / W;
            double hi = (base + (isnan(v[i]) || v[i] > c)) / W;
            if ((lo >= t) != (hi >= t))
                continue;
            th = lo >= t;
        }
        tp += th && des[i], fp += th && !des[i], fn += !th && des[i], tn += !th && !des[i];
    }
    double N = tp + fp + fn + tn, po = (tp + tn) / N;
    double pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (N * N);
    return (po - pe) / (1 - pe);
}

static char *excl[] = {"0411", NULL};
static const int des1[NU] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1};
static const int des2[NU] = {0, 0, 0, 1, 0, 1, 1, 1, 0, 0};

/* one rule, all: the exact cut is found, its class, before and after */
static void case_one_rule(void)
{
    struct gpcov_rule r[1] = {{"hi", "v > 5", 0, 0}};
    struct gpcov_calib_range cr[1] = {{"hi", 0, 10}};
    o = (struct gpcov_threat_opts){.units = fx_path("units.csv"), .rules = r, .nrules = 1,
                                   .combine = GPCOV_COMBINE_ALL, .output = out,
                                   .designation = fx_path("plo.csv"), .calibrate = cr,
                                   .ncalibrate = 1, .calibration = cal,
                                   .exclude = excl};
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_OK, "calibration runs: %s", gpcov_ctx_message(ctx));
    NEAR(num("hi", "found"), 3.65, 1e-12, "found: the middle of [3.3, 4), the cuts that agree exactly");
    NEAR(num("hi", "same_from"), 3.3, 1e-12, "its class starts at c's 3.3");
    NEAR(num("hi", "same_to"), 4, 1e-12, "and ends at d's 4");
    NEAR(num("hi", "original"), 5, 1e-12, "the original cut 5");
    NEAR(num("hi", "classes"), 9, 0, "classes: [0,1) [1,2) [2,3.3) [3.3,4) [4,6) .. [9,10] = 9");
    /* before: e f g h threatened and designated, d designated only, a b c neither */
    NEAR(num("agreement before", "tp"), 4, 0, "before: TP 4");
    NEAR(num("agreement before", "fn"), 1, 0, "before: FN 1 (d)");
    NEAR(num("agreement before", "tn"), 3, 0, "before: TN 3");
    NEAR(num("agreement before", "kappa"), 0.75, 1e-12, "before: kappa (7/8 - 1/2) / (1/2)");
    NEAR(num("agreement before", "undecided"), 1, 0, "i (no v) undecided, not counted");
    NEAR(num("agreement before", "decided"), 8, 0, "8 decided: x excluded though designated");
    NEAR(num("agreement before", "excluded"), 1, 0, "1 excluded");
    NEAR(num("agreement after", "kappa"), 1, 1e-12, "after: kappa 1");
    NEAR(num("agreement after", "tp"), 5, 0, "after: TP 5");
    NEAR(num("agreement after", "fp") + num("agreement after", "fn"), 0, 0, "after: no FP, no FN");
    double best = -2;
    for (double c = 0; c <= 10 + 1e-9; c += 0.01)
        best = fmax(best, kappa_of(c, 0, 0, 0, des1));
    NEAR(num("agreement after", "kappa"), best, 1e-12, "brute force over cuts 0..10 by 0.01: the same best kappa");
    char b[512];
    STREQ(cell("hi", "units_minus10", b, sizeof b), "0151 c: false -> true",
          "x 0.9 = 3.285: c (3.3) flips to threatened");
    STREQ(cell("hi", "units_plus10", b, sizeof b), "0153 d: true -> false",
          "x 1.1 = 4.015: d (4) flips to not threatened");
    OK(sum && strstr(sum, "hi: v > 5  ->  v > 3.65") && strstr(sum, "exhaustive"),
       "the summary says the rule before and after, and the search");
    free(sum);
}

/* a tie: the class of the original cut wins over an equally good one */
static void case_tie(void)
{
    struct gpcov_rule r[1] = {{"hi", "7 <= v", 0, 0}};
    struct gpcov_calib_range cr[1] = {{"hi", 0, 10}};
    o.rules = r;
    o.calibrate = cr;
    o.designation = fx_path("plo2.csv");
    o.overwrite = 1;
    /* v >= 7 (written 7 <= v), d f g h designated: {f g h} (c in (6, 7])
    ** has kappa 0.75, and so has {d e f g h} (c in (3.3, 4]), tried first */
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_OK, "runs: %s", gpcov_ctx_message(ctx));
    NEAR(kappa_of(3.65, 0, 0, 0, des2), 0.75, 1e-12, "hand: {d..h} gives 0.75");
    NEAR(kappa_of(6.5, 0, 0, 0, des2), 0.75, 1e-12, "hand: {f g h} gives 0.75");
    double best = -2;
    for (double c = 0; c <= 10 + 1e-9; c += 0.01)
        best = fmax(best, kappa_of(c, 0, 0, 0, des2));
    NEAR(best, 0.75, 1e-12, "brute force: no cut does better");
    NEAR(num("agreement before", "kappa"), 0.75, 1e-12, "before: 0.75 already");
    NEAR(num("hi", "found"), 7, 1e-12, "a tie: the original cut 7 kept, not 3.65");
    NEAR(num("agreement after", "kappa"), 0.75, 1e-12, "after: 0.75");
    char b[256];
    STREQ(cell("hi", "rule", b, sizeof b), "v >= 7", "the number side on the left read as v >= 7");
    free(sum);
}

/* two cuts, a score: the best pair is the brute force's */
static void case_score(void)
{
    struct gpcov_rule r[2] = {{"hi", "v > 5", 1, 0}, {"many", "u > 50", 2, 0}};
    struct gpcov_calib_range cr[2] = {{"hi", 0, 10}, {"threshold", 0.1, 1}};
    o.rules = r;
    o.nrules = 2;
    o.combine = GPCOV_COMBINE_SCORE;
    o.threshold = 0.5;
    o.calibrate = cr;
    o.ncalibrate = 2;
    o.designation = fx_path("plo.csv");
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_OK, "runs: %s", gpcov_ctx_message(ctx));
    double best = -2;
    for (double c = 0; c <= 10 + 1e-9; c += 0.05)
        for (double t = 0.1; t <= 1 + 1e-9; t += 0.01)
            best = fmax(best, kappa_of(c, 1, 2, t, des1));
    NEAR(num("agreement after", "kappa"), best, 1e-12, "the best kappa is the brute force's (%g)", best);
    NEAR(kappa_of(num("hi", "found"), 1, 2, num("threshold", "found"), des1), best, 1e-12,
         "and the cuts found give it");
    NEAR(num("agreement before", "kappa"), kappa_of(5, 1, 2, 0.5, des1), 1e-12,
         "before: the kappa of the original cuts");
    NEAR(num("threshold", "classes"), 3, 0, "threshold classes in 0.1:1: scores 1/3, 2/3 and 1 cut it in 3");
    free(sum);
}

/* many units and three cuts: too many combinations for the exhaustive
** search, so the coordinate search, whose result no single cut can
** better (checked over every value of each cut's indicator) */
#define NB 300
static double ba[NB], bb[NB], bc[NB];
static int bdes[NB];

static double kappa_any(double ca, double cb, double cc)
{
    double tp = 0, fp = 0, fn = 0, tn = 0;
    for (int i = 0; i < NB; i++) {
        int th = ba[i] > ca || bb[i] > cb || bc[i] > cc, d = bdes[i];
        tp += th && d, fp += th && !d, fn += !th && d, tn += !th && !d;
    }
    double N = tp + fp + fn + tn, po = (tp + tn) / N;
    double pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (N * N);
    return (po - pe) / (1 - pe);
}

static void make_big(void)
{
    FILE *uf = fopen(fx_path("big.csv"), "w"), *d = fopen(fx_path("bigplo.csv"), "w");
    unsigned x = 12345;
    fprintf(uf, "komkode,a,b,c\n");
    fprintf(d, "kommune_code\n");
    for (int i = 0; i < NB; i++) {
        double r[4];
        for (int k = 0; k < 4; k++) {
            x = x * 1103515245u + 12345u;
            r[k] = (double)((x >> 8) % 100000) / 1000;
        }
        ba[i] = r[0], bb[i] = r[1], bc[i] = r[2];
        bdes[i] = ba[i] > 80 || bb[i] > 90 || (bc[i] > 70 && r[3] > 30);
        fprintf(uf, "%d,%.3f,%.3f,%.3f\n", 1000 + i, ba[i], bb[i], bc[i]);
        if (bdes[i])
            fprintf(d, "%d\n", 1000 + i);
    }
    fclose(uf);
    fclose(d);
}

static void case_coordinate(void)
{
    make_big();
    struct gpcov_rule r[3] = {{"ra", "a > 50", 0, 0}, {"rb", "b > 50", 0, 0},
                              {"rc", "c > 50", 0, 0}};
    struct gpcov_calib_range cr[3] = {{"ra", 0, 100}, {"rb", 0, 100}, {"rc", 0, 100}};
    o = (struct gpcov_threat_opts){.units = fx_path("big.csv"), .rules = r, .nrules = 3,
                                   .combine = GPCOV_COMBINE_ANY, .output = out, .overwrite = 1,
                                   .designation = fx_path("bigplo.csv"), .calibrate = cr,
                                   .ncalibrate = 3, .calibration = cal};
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_OK, "runs: %s", gpcov_ctx_message(ctx));
    OK(sum && strstr(sum, "coordinate search"), "300^3 combinations x 300 units: the coordinate search, said so");
    double ca = num("ra", "found"), cb = num("rb", "found"), cc = num("rc", "found");
    double k = num("agreement after", "kappa");
    NEAR(kappa_any(ca, cb, cc), k, 1e-12, "the cuts found give the kappa reported (%g)", k);
    OK(k >= num("agreement before", "kappa"), "no worse than before (%g)",
       num("agreement before", "kappa"));
    double better = -2;
    for (int i = 0; i < NB; i++) {
        double c[] = {ba[i], ba[i] - 1e-6, bb[i], bb[i] - 1e-6, bc[i], bc[i] - 1e-6};
        for (int j = 0; j < 2; j++) {
            better = fmax(better, kappa_any(c[j], cb, cc));
            better = fmax(better, kappa_any(ca, c[2 + j], cc));
            better = fmax(better, kappa_any(ca, cb, c[4 + j]));
        }
    }
    OK(better <= k + 1e-12, "a local optimum: no single cut at any unit's value does better (%g)",
       better);
    NEAR(ca, 80, 2, "ra found near the designation's 80 (%g)", ca);
    NEAR(cb, 90, 2, "rb found near the designation's 90 (%g)", cb);
    free(sum);
}

/* errors, before any work */
static void case_errors(void)
{
    struct gpcov_rule r[1] = {{"both", "v > 1 and u > 5", 0, 0}};
    struct gpcov_calib_range cr[1] = {{"both", 0, 10}};
    o.units = fx_path("units.csv");
    o.designation = fx_path("plo.csv");
    o.combine = GPCOV_COMBINE_ALL;
    o.rules = r;
    o.nrules = 1;
    o.calibrate = cr;
    o.ncalibrate = 1;
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "not of the form"),
       "a rule with AND has no one cut: %s", gpcov_ctx_message(ctx));
    cr[0].name = "nosuch";
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "no rule of that name"),
       "an unknown name: %s", gpcov_ctx_message(ctx));
    cr[0] = (struct gpcov_calib_range){"threshold", 0.2, 0.8};
    o.combine = GPCOV_COMBINE_ALL;
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "--combine score"),
       "threshold without a score: %s", gpcov_ctx_message(ctx));
    o.designation = NULL;
    st = gpcov_threat(ctx, &o, &sum);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "--designation"),
       "no designation list: %s", gpcov_ctx_message(ctx));
}

int main(void)
{
    setup();
    RUN(case_one_rule);
    RUN(case_tie);
    RUN(case_score);
    RUN(case_coordinate);
    RUN(case_errors);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
