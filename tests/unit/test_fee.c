/* test_fee.c: the differentiated base fee against answers worked out by
** hand.
**
** The example: four municipalities, budget 100,000.05 DKK = 10,000,005 øre,
** 40 % designated / 60 % weight, cap 25,000 DKK per capacity.  Weights:
** everyone 1, aged 80+ 3.  The national rows (0000) have 10 % aged 80+,
** so the national mean weight is 1.2.
**
**   key   80+ share  mean  factor  patients  weighted  difference  capac.  designated
**   0101    25 %     1.50   1.25     2000      2500       +500      1        no
**   0147    13 %     1.26   1.05     3000      3150       +150      2        yes
**   0825     0 %     1.00   5/6      6000      5000      -1000      4        yes
**   0860    16 %     1.32   1.10     3000      3300       +300      2        yes
**
** Parts: designated = round(0.4 x 10,000,005) = 4,000,002 øre; weight =
** 6,000,003 øre.
**
** Designated, per patient of 0147, 0825, 0860 (12,000 patients): exact
** 1,000,000.5 / 2,000,001 / 1,000,000.5; floors sum to 4,000,001, one øre
** left; 0147 and 0860 tie at .5 and the lower key, 0147, gets it:
** 1,000,001 / 2,000,001 / 1,000,000.
**
** Weight: positive differences 500 + 150 + 300 = 950; the uncapped rate
** 6,000,003 / 950 = 6,315.79 øre would give 0101 3,157,896 øre, above its
** cap 2,500,000 (1 capacity x 25,000 DKK): 0101 is capped, and the rest,
** 3,500,003 øre, goes to 450 differences at 7,777.78 øre (the rate rises):
** 0147 gets 150 x that = 1,166,667.67, 0860 2,333,335.33 (both below their
** caps of 5,000,000); floors 1,166,667 + 2,333,335 + 2,500,000 leave one
** øre, which goes to the larger remainder, 0147 (.67 > .33).  0825's
** negative difference is paid nothing and takes nothing from anyone.
**
** Totals: 0101 25,000.00; 0147 21,666.69; 0825 20,000.01; 0860 33,333.35;
** sum 100,000.05 exactly.
**
** Practices (same municipalities): p1 (1,200 patients, 1 capacity) and p2
** (800, 0.5) in 0101, p3 (6,000, 4) in 0825, p4 (3,000, 2) in 0860; none
** in 0147.  Designated: p3 and p4 (9,000 patients): 2,666,668 and
** 1,333,334 øre exactly.  Weight: differences p1 300, p2 200, p4 300;
** 6,000,003 / 800 = 7,500.00 would pass p2's cap 1,250,000 (6,250 per
** difference); capped, the rest 4,750,003 / 600 = 7,916.67 per difference
** gives p1 and p4 2,375,001.5 each: a tie, the extra øre to p1 (lower
** key).  p1 23,750.02; p2 12,500.00; p3 26,666.68; p4 37,083.35 = 100,000.05.
*/
#include "fixture.h"
#include "gpcov.h"
#include "gpcov.h"
#include "tap.h"

#include <math.h>

static const struct gpcov_fee_unit *find_unit(const struct gpcov_fee_unit *u, size_t n,
                                              const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(u[i].key, key))
            return &u[i];
    return NULL;
}

static const char *text(const struct gpcov_layer *l, const char *key, const char *field)
{
    int f = gpcov_layer_field(l, field);
    for (size_t i = 0; f >= 0 && i < l->n; i++)
        if (l->keys[i] && !strcmp(l->keys[i], key)) {
            const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
            return v->null ? "(null)" : v->str;
        }
    return "(no unit or field)";
}

static double num(const struct gpcov_layer *l, const char *key, const char *field)
{
    int f = gpcov_layer_field(l, field);
    for (size_t i = 0; f >= 0 && i < l->n; i++)
        if (l->keys[i] && !strcmp(l->keys[i], key)) {
            const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
            return v->null ? -1 : v->num;
        }
    return -2;
}

static const char *str(const struct gpcov_layer *l, const char *key, const char *field)
{
    int f = gpcov_layer_field(l, field);
    for (size_t i = 0; f >= 0 && i < l->n; i++)
        if (l->keys[i] && !strcmp(l->keys[i], key)) {
            const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
            return v->null ? "(null)" : v->str;
        }
    return "(missing)";
}

static long long ore_of(double dkk)
{
    return llround(dkk * 100);
}

static long long sum_ore(const struct gpcov_layer *l, const char *field)
{
    int f = gpcov_layer_field(l, field);
    long long s = 0;
    for (size_t i = 0; f >= 0 && i < l->n; i++) {
        const struct gpcov_value *v = gpcov_layer_value(l, i, (size_t)f);
        if (!v->null)
            s += ore_of(v->num);
    }
    return s;
}

static void example_units(struct gpcov_fee_unit *u)
{
    memset(u, 0, 4 * sizeof *u);
    u[0] = (struct gpcov_fee_unit){.key = "0101", .designated = 0, .patients = 2000,
                                   .capacities = 1, .factor = 1.5 / 1.2};
    u[1] = (struct gpcov_fee_unit){.key = "0147", .designated = 1, .patients = 3000,
                                   .capacities = 2, .factor = 1.26 / 1.2};
    u[2] = (struct gpcov_fee_unit){.key = "0825", .designated = 1, .patients = 6000,
                                   .capacities = 4, .factor = 1.0 / 1.2};
    u[3] = (struct gpcov_fee_unit){.key = "0860", .designated = 1, .patients = 3000,
                                   .capacities = 2, .factor = 1.32 / 1.2};
}

static struct gpcov_fee_params example_params(void)
{
    struct gpcov_fee_params p;
    gpcov_fee_params_init(&p);
    p.budget = 100000.05;
    p.cap_per_capacity = 25000;
    return p;
}

/* the hand example, given in a scrambled order */
static void test_allocate(gpcov_ctx *ctx)
{
    struct gpcov_fee_unit u[4];
    struct gpcov_fee_params p = example_params();
    struct gpcov_fee_result r;
    example_units(u);
    /* the result must not depend on the order */
    struct gpcov_fee_unit s[4] = {u[2], u[0], u[3], u[1]};
    gpcov_status st = gpcov_fee_allocate(ctx, &p, s, 4, &r);
    OK(st == GPCOV_OK, "allocate the hand example: %s", gpcov_ctx_message(ctx));
    const struct gpcov_fee_unit *a = find_unit(s, 4, "0101"), *b = find_unit(s, 4, "0147"),
                                *c = find_unit(s, 4, "0825"), *d = find_unit(s, 4, "0860");
    OK(r.budget_ore == 10000005 && r.designated_ore == 4000002 && r.weight_ore == 6000003,
       "parts 4,000,002 + 6,000,003 øre (got %lld + %lld)", (long long)r.designated_ore,
       (long long)r.weight_ore);
    NEAR(a->weighted, 2500, 1e-9, "0101: 2000 patients x 1.25 = 2500 weighted");
    NEAR(c->difference, -1000, 1e-9, "0825: difference -1000");
    OK(a->cap_ore == 2500000 && b->cap_ore == 5000000, "caps 25,000 and 50,000 DKK");
    OK(b->designated_ore == 1000001, "designated tie at .5: 0147 (lower key) gets the øre (%lld)",
       (long long)b->designated_ore);
    OK(d->designated_ore == 1000000, "designated tie: 0860 does not (%lld)",
       (long long)d->designated_ore);
    OK(c->designated_ore == 2000001, "0825 designated 2,000,001 øre (%lld)",
       (long long)c->designated_ore);
    OK(a->designated_ore == 0, "0101 is not designated: 0");
    OK(a->capped && a->weight_ore == 2500000, "0101 capped at 2,500,000 øre (%lld)",
       (long long)a->weight_ore);
    OK(!b->capped && b->weight_ore == 1166668,
       "0147 weight 1,166,668 øre: the rate rose and the remainder øre came here (%lld)",
       (long long)b->weight_ore);
    OK(!d->capped && d->weight_ore == 2333335, "0860 weight 2,333,335 øre (%lld)",
       (long long)d->weight_ore);
    OK(c->weight_ore == 0 && !c->capped, "0825: a negative difference is paid nothing");
    OK(a->total_ore == 2500000 && b->total_ore == 2166669 && c->total_ore == 2000001 &&
           d->total_ore == 3333335,
       "totals 25,000.00 / 21,666.69 / 20,000.01 / 33,333.35");
    OK(a->total_ore + b->total_ore + c->total_ore + d->total_ore == 10000005,
       "the totals sum to the budget exactly");
    NEAR(r.rate_designated, 4000002.0 / 12000 / 100, 1e-12, "3.333335 DKK per designated patient");
    NEAR(r.rate_weight, 3500003.0 / 450 / 100, 1e-9, "77.7778 DKK per weighted patient (capped)");
    NEAR(r.rate_weight_uncapped, 6000003.0 / 950 / 100, 1e-9, "63.1579 DKK without caps");
    OK(r.ncapped == 1 && r.npaid == 4 && r.npositive == 3 && r.ndesignated == 3,
       "1 capped, 4 paid, 3 positive, 3 designated");
}

/* caps too tight, and caps that just suffice */
static void test_allocate_caps(gpcov_ctx *ctx)
{
    struct gpcov_fee_unit u[4];
    struct gpcov_fee_params p = example_params();
    struct gpcov_fee_result r;
    gpcov_status st;
    /* caps too tight: 5,000 DKK per capacity allows 5,000 + 10,000 + 10,000 */
    example_units(u);
    p.cap_per_capacity = 5000;
    st = gpcov_fee_allocate(ctx, &p, u, 4, &r);
    OK(st == GPCOV_EINPUT, "caps too tight: an input error");
    OK(strstr(gpcov_ctx_message(ctx), "short by 35,000.03 DKK") &&
           strstr(gpcov_ctx_message(ctx), "at most 25,000.00 DKK"),
       "caps too tight: says by how much: %s", gpcov_ctx_message(ctx));
    /* caps that just suffice: every positive unit ends at its cap */
    example_units(u);
    p.budget = 41666.67; /* parts 16,666.67 + 25,000.00 = the caps at 5,000 */
    st = gpcov_fee_allocate(ctx, &p, u, 4, &r);
    OK(st == GPCOV_OK && r.weight_ore == 2500000 && r.ncapped == 3,
       "caps that spend the weight part exactly: all 3 at their caps (%s)",
       gpcov_ctx_message(ctx));
}

/* a share with nothing to pay it to: no designated unit, no positive
** difference */
static void test_allocate_shares(gpcov_ctx *ctx)
{
    struct gpcov_fee_unit u[4];
    struct gpcov_fee_params p = example_params();
    struct gpcov_fee_result r;
    gpcov_status st;
    /* no designated unit */
    example_units(u);
    for (int i = 0; i < 4; i++)
        u[i].designated = 0;
    st = gpcov_fee_allocate(ctx, &p, u, 4, &r);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "no unit is designated"),
       "no designated unit with a designated share: %s", gpcov_ctx_message(ctx));
    p.designated_share = 0;
    p.weight_share = 100;
    st = gpcov_fee_allocate(ctx, &p, u, 4, &r);
    OK(st == GPCOV_OK && r.designated_ore == 0 && r.weight_ore == 10000005,
       "designated share 0: everything by weight");
    long long tot = 0;
    for (int i = 0; i < 4; i++)
        tot += u[i].total_ore;
    OK(tot == 10000005, "and it still sums to the budget");

    /* everyone like the nation: no positive difference */
    p = example_params();
    example_units(u);
    for (int i = 0; i < 4; i++)
        u[i].factor = 1;
    st = gpcov_fee_allocate(ctx, &p, u, 4, &r);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "more weighted patients"),
       "no positive difference with a weight share: %s", gpcov_ctx_message(ctx));
    p.designated_share = 100;
    p.weight_share = 0;
    st = gpcov_fee_allocate(ctx, &p, u, 4, &r);
    OK(st == GPCOV_OK && u[1].total_ore + u[2].total_ore + u[3].total_ore == 10000005 &&
           u[0].total_ore == 0,
       "weight share 0: everything per designated patient");
}

/* parameters and units refused */
static void test_allocate_params(gpcov_ctx *ctx)
{
    struct gpcov_fee_unit u[4];
    struct gpcov_fee_params p = example_params();
    struct gpcov_fee_result r;
    example_units(u);
    p.budget = -1;
    OK(gpcov_fee_allocate(ctx, &p, u, 4, &r) == GPCOV_EINPUT &&
           strstr(gpcov_ctx_message(ctx), "budget"),
       "a negative budget: bad input: %s", gpcov_ctx_message(ctx));
    p = example_params();
    p.budget = 10.001;
    OK(gpcov_fee_allocate(ctx, &p, u, 4, &r) == GPCOV_EINPUT &&
           strstr(gpcov_ctx_message(ctx), "whole øre"),
       "a budget in fractions of an øre: %s", gpcov_ctx_message(ctx));
    p = example_params();
    p.weight_share = 50;
    OK(gpcov_fee_allocate(ctx, &p, u, 4, &r) == GPCOV_EINPUT &&
           strstr(gpcov_ctx_message(ctx), "sum to 90 %"),
       "shares summing to 90 %%: %s", gpcov_ctx_message(ctx));
    p = example_params();
    example_units(u);
    u[3].key = "0101";
    OK(gpcov_fee_allocate(ctx, &p, u, 4, &r) == GPCOV_EINPUT &&
           strstr(gpcov_ctx_message(ctx), "'0101' appears twice"),
       "a duplicated key: %s", gpcov_ctx_message(ctx));
    example_units(u);
    u[2].patients = NAN;
    OK(gpcov_fee_allocate(ctx, &p, u, 4, &r) == GPCOV_EINPUT, "NaN patients are refused");
}

/* the default budget: exact sum over many units with awkward numbers */
static void test_allocate_many(gpcov_ctx *ctx)
{
    struct gpcov_fee_params p;
    struct gpcov_fee_result r;
    gpcov_fee_params_init(&p);
    struct gpcov_fee_unit many[97];
    char keys[97][8];
    for (int i = 0; i < 97; i++) {
        snprintf(keys[i], sizeof keys[i], "%04d", 101 + i * 7);
        double pat = 50000 + 370 * i + (i * i) % 101;
        /* every eleventh unit has few capacities for its patients */
        many[i] = (struct gpcov_fee_unit){.key = keys[i], .designated = i % 3 == 0,
                                          .patients = pat,
                                          .capacities = pat / 1600 / (i % 11 ? 1 : 30),
                                          .factor = 0.9 + 0.2 * ((i * 13) % 17) / 17.0};
    }
    gpcov_status st = gpcov_fee_allocate(ctx, &p, many, 97, &r);
    long long sd = 0, sw = 0;
    int over = 0;
    for (int i = 0; i < 97; i++) {
        sd += many[i].designated_ore;
        sw += many[i].weight_ore;
        over |= many[i].weight_ore > many[i].cap_ore;
        over |= many[i].difference <= 0 && many[i].weight_ore != 0;
    }
    OK(st == GPCOV_OK && sd == 2400000000LL && sw == 3600000000LL,
       "97 awkward units: 24,000,000.00 + 36,000,000.00 DKK exactly (%s)",
       gpcov_ctx_message(ctx));
    OK(!over, "no unit above its cap, none paid for a negative difference");
    OK(r.ncapped > 0 && r.rate_weight > r.rate_weight_uncapped,
       "some are capped and the rate rose (%zu capped)", r.ncapped);
}

static void test_weights(gpcov_ctx *ctx)
{
    struct gpcov_fee_weights *w = NULL;
    double v = 0;
    OK(gpcov_fee_weights_read(ctx, NULL, &w) == GPCOV_OK && w && w->n == 2,
       "the default weights read: %s", gpcov_ctx_message(ctx));
    OK(w && gpcov_fee_weight_of(w, GPCOV_FEE_MEN, 79, &v) == 0 && v == 1.0, "default: 79 -> 1");
    OK(w && gpcov_fee_weight_of(w, GPCOV_FEE_WOMEN, 104, &v) == 0 && v == 2.7,
       "default: 104 -> 2.7");
    /* 4.68 % aged 80+: mean 0.9532 + 0.0468 x 2.7 = 1.07956; 2.7 / that = 2.501 */
    NEAR(2.7 / (0.9532 + 0.0468 * 2.7), 2.5, 0.002, "default 80+ is 2.5 x the national mean");
    gpcov_fee_weights_free(w);

    fx_write("w_overlap.csv", "sex,age_from,age_to,weight\nall,0,79,1\nmen,70,,2\n");
    OK(gpcov_fee_weights_read(ctx, fx_path("w_overlap.csv"), &w) == GPCOV_EINPUT &&
           strstr(gpcov_ctx_message(ctx), "w_overlap.csv:3: the row covers men aged 70, which "
                                          "line 2 covers already"),
       "overlapping weights name both lines: %s", gpcov_ctx_message(ctx));
    fx_write("w_sex.csv", "sex,age_from,age_to,weight\nboth,0,,1\nother,0,,1\n");
    OK(gpcov_fee_weights_read(ctx, fx_path("w_sex.csv"), &w) == GPCOV_EINPUT &&
           strstr(gpcov_ctx_message(ctx), "w_sex.csv:3: sex 'other'"),
       "an unknown sex: %s", gpcov_ctx_message(ctx));
    fx_write("w_num.csv", "sex,age_from,age_to,weight\nall,0,,heavy\n");
    OK(gpcov_fee_weights_read(ctx, fx_path("w_num.csv"), &w) == GPCOV_EINPUT &&
           strstr(gpcov_ctx_message(ctx), "w_num.csv:2: weight 'heavy' is not a number"),
       "a non-numeric weight: %s", gpcov_ctx_message(ctx));
    fx_write("w_col.csv", "sex,from,to,weight\nall,0,,1\n");
    OK(gpcov_fee_weights_read(ctx, fx_path("w_col.csv"), &w) == GPCOV_EINPUT &&
           strstr(gpcov_ctx_message(ctx), "no column 'age_from'"),
       "a missing column: %s", gpcov_ctx_message(ctx));
    fx_write("w_split.csv", "sex;age_from;age_to;weight\nmænd;0;79;1\nkvinder;0;79;1,2\nall;80;;3\n");
    OK(gpcov_fee_weights_read(ctx, fx_path("w_split.csv"), &w) == GPCOV_OK &&
           gpcov_fee_weight_of(w, GPCOV_FEE_WOMEN, 30, &v) == 0 && v == 1.2 &&
           gpcov_fee_weight_of(w, GPCOV_FEE_ALL, 30, &v) == -1,
       "Danish weights by sex; no 'all' weight under 80: %s", gpcov_ctx_message(ctx));
    gpcov_fee_weights_free(w);
}

/* units, age table and weights of the hand example, as files */
static void write_example(void)
{
    fx_write("units.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"komkode\":\"0101\",\"name\":\"A\","
        "\"designated_2019\":false,\"patients\":2000,\"capacities\":1},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[700000,6170000],[710000,6170000],"
        "[710000,6180000],[700000,6180000],[700000,6170000]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"komkode\":\"0860\",\"name\":\"D\","
        "\"designated_2019\":true,\"patients\":3000,\"capacities\":2},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[730000,6170000],[740000,6170000],"
        "[740000,6180000],[730000,6180000],[730000,6170000]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"komkode\":\"0147\",\"name\":\"B\","
        "\"designated_2019\":true,\"patients\":3000,\"capacities\":2},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[710000,6170000],[720000,6170000],"
        "[720000,6180000],[710000,6180000],[710000,6170000]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"komkode\":\"0825\",\"name\":\"C\","
        "\"designated_2019\":true,\"patients\":6000,\"capacities\":4},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[720000,6170000],[730000,6170000],"
        "[730000,6180000],[720000,6180000],[720000,6170000]]]}}\n]}\n");
    fx_write("age.csv",
        "area_code,age,men,women\n"
        "0000,79,450,450\n0000,80,50,50\n"
        "1081,79,5,5\n1081,80,5,5\n"
        "101,79,40,35\n101,80,10,15\n"
        "147,79,50,37\n147,80,6,7\n"
        "825,79,50,50\n825,80,0,0\n"
        "860,79,42,42\n860,80,8,8\n");
    fx_write("weights.csv", "sex,age_from,age_to,weight\nmen,0,79,1\nwomen,0,79,1\nall,80,,3\n");
    fx_write("practices.csv",
        "id,name,x,y,patients,capacities\n"
        "p4,D1,735000,6175000,3000,2\n"
        "p1,A1,705000,6175000,1200,1\n"
        "p3,C1,725000,6175000,6000,4\n"
        "p2,A2,706000,6172000,800,0.5\n");
}

static void example_opts(struct gpcov_fee_opts *o)
{
    gpcov_fee_opts_init(o);
    o->params.budget = 100000.05;
    o->params.cap_per_capacity = 25000;
    static char units[512], age[512], weights[512];
    snprintf(units, sizeof units, "%s", fx_path("units.geojson"));
    snprintf(age, sizeof age, "%s", fx_path("age.csv"));
    snprintf(weights, sizeof weights, "%s", fx_path("weights.csv"));
    o->units = units;
    o->age.src = age;
    o->weights = weights;
}

static void expect_fail(gpcov_ctx *ctx, const struct gpcov_fee_opts *o, gpcov_status want,
                        const char *needle, const char *what)
{
    struct gpcov_layer *ul = NULL, *pl = NULL;
    gpcov_status st = gpcov_fee_run(ctx, o, &ul, &pl, NULL);
    OK(st == want && !ul && !pl, "%s: fails with status %d (got %d)", what, want, st);
    OK(strstr(gpcov_ctx_message(ctx), needle) != NULL, "%s: message has '%s': %s", what, needle,
       gpcov_ctx_message(ctx));
    gpcov_layer_free(ctx, ul);
    gpcov_layer_free(ctx, pl);
}

/* the example's municipalities written as CSV and read back */
static void check_csv(gpcov_ctx *ctx, const struct gpcov_layer *ul)
{
    /* written as CSV and read back: amounts exact from øre */
    struct gpcov_write_opts wo = {0};
    OK(gpcov_layer_write(ctx, ul, fx_path("fee.csv"), &wo) == GPCOV_OK, "writes CSV");
    FILE *f = fopen(fx_path("fee.csv"), "r");
    char buf[4096] = "";
    size_t nr = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[nr] = 0;
    if (f)
        fclose(f);
    int row_ok = strstr(buf, "0147,B,1,3000,2,1.05,3150,150,50000,10000.01,11666.68,0,21666.69,7.22,216.67") !=
                 NULL;
    OK(row_ok, "the CSV row of 0147 reads as computed");
    if (!row_ok)
        printf("# %s\n", buf);
}

static void test_run(gpcov_ctx *ctx)
{
    struct gpcov_fee_opts o;
    struct gpcov_fee_report rep;
    struct gpcov_layer *ul = NULL, *pl = NULL;
    write_example();
    example_opts(&o);
    gpcov_status st = gpcov_fee_run(ctx, &o, &ul, &pl, &rep);
    OK(st == GPCOV_OK && ul && !pl, "run on files: %s", gpcov_ctx_message(ctx));
    if (!ul)
        return;
    OK(ul->n == 4 && !strcmp(ul->keys[0], "0101") && !strcmp(ul->keys[3], "0860"),
       "4 municipalities sorted by key");
    NEAR(rep.national_mean, 1.2, 1e-12, "national mean weight 1.2 from the 0000 rows");
    NEAR(num(ul, "0101", "weight_factor"), 1.25, 1e-9, "0101 factor 1.25 from the age table");
    NEAR(num(ul, "0147", "weighted_patients"), 3150, 1e-9, "0147 weighted 3150");
    NEAR(num(ul, "0825", "weight_difference"), -1000, 1e-9, "0825 difference -1000");
    OK(ore_of(num(ul, "0101", "total_dkk")) == 2500000 && num(ul, "0101", "capped") == 1,
       "0101 25,000.00, capped");
    OK(ore_of(num(ul, "0147", "designated_dkk")) == 1000001 &&
           ore_of(num(ul, "0147", "weight_dkk")) == 1166668 &&
           ore_of(num(ul, "0147", "total_dkk")) == 2166669,
       "0147 10,000.01 + 11,666.68 = 21,666.69");
    /* per person: 21,666.69 / 3000 patients = 7.2222; / 100 inhabitants
    ** (50 + 37 + 6 + 7 in the age table) = 216.6669 */
    OK(num(ul, "0147", "dkk_per_patient") == 7.22 &&
           num(ul, "0147", "dkk_per_inhabitant") == 216.67,
       "0147 7.22 DKK per patient, 216.67 per inhabitant (got %g, %g)",
       num(ul, "0147", "dkk_per_patient"), num(ul, "0147", "dkk_per_inhabitant"));
    /* 25,000.00 / 2000 patients; / (40 + 35 + 10 + 15) inhabitants */
    OK(num(ul, "0101", "dkk_per_patient") == 12.5 &&
           num(ul, "0101", "dkk_per_inhabitant") == 250,
       "0101 12.50 DKK per patient, 250.00 per inhabitant");
    OK(ore_of(num(ul, "0825", "total_dkk")) == 2000001 && num(ul, "0825", "weight_dkk") == 0,
       "0825 20,000.01, nothing by weight");
    OK(ore_of(num(ul, "0860", "total_dkk")) == 3333335, "0860 33,333.35");
    OK(sum_ore(ul, "total_dkk") == 10000005 && sum_ore(ul, "designated_dkk") == 4000002,
       "the outputs sum to 100,000.05 DKK exactly");
    STREQ(str(ul, "0147", "name"), "B", "names are carried");
    OK(num(ul, "0101", "designated") == 0 && num(ul, "0860", "designated") == 1,
       "designation is carried");
    OK(strstr(rep.patients_basis, "patients of") && !strstr(rep.patients_basis, "proxy"),
       "patients from the patients field: %s", rep.patients_basis);
    OK(strstr(rep.capacities_basis, "capacities of") != NULL, "capacities counted: %s",
       rep.capacities_basis);
    char **md = ul->metadata;
    int has_note = 0, has_rate = 0;
    for (; md && *md; md++) {
        has_note |= !strncmp(*md, "GPCOV_FEE_NOTE=", 15);
        has_rate |= !strncmp(*md, "GPCOV_FEE_RATE_DKK_PER_WEIGHTED_PATIENT=77.777", 46);
    }
    OK(has_note && has_rate, "metadata carries the note and the rate");
    check_csv(ctx, ul);
    gpcov_layer_free(ctx, ul);
    gpcov_fee_report_clear(&rep);
}

/* without the national rows: the mean over the units' patients */
static void test_run_no_national(gpcov_ctx *ctx)
{
    struct gpcov_fee_opts o;
    struct gpcov_fee_report rep;
    struct gpcov_layer *ul = NULL, *pl = NULL;
    gpcov_status st;
    example_opts(&o);
    fx_write("age_nonat.csv",
        "area_code,age,men,women\n101,79,40,35\n101,80,10,15\n147,79,50,37\n147,80,6,7\n"
        "825,79,50,50\n825,80,0,0\n860,79,42,42\n860,80,8,8\n");
    o.age.src = fx_path("age_nonat.csv");
    st = gpcov_fee_run(ctx, &o, &ul, &pl, &rep);
    double sp = 0, swp = 0;
    for (size_t i = 0; ul && i < ul->n; i++) {
        sp += num(ul, ul->keys[i], "patients");
        swp += num(ul, ul->keys[i], "weighted_patients");
    }
    OK(st == GPCOV_OK && fabs(sp - swp) < 1e-4,
       "no national rows: weighted patients sum to the patients (%g vs %g)", swp, sp);
    NEAR(rep.national_mean, 16740.0 / 14000, 1e-12, "mean over the units' patients 1.19571");
    OK(rep.national_basis && strstr(rep.national_basis, "mean over the units"),
       "and says so: %s", rep.national_basis ? rep.national_basis : "");
    gpcov_layer_free(ctx, ul);
    gpcov_fee_report_clear(&rep);
}

/* the population proxy and estimated capacities */
static void test_run_proxy(gpcov_ctx *ctx)
{
    struct gpcov_fee_opts o;
    struct gpcov_fee_report rep;
    struct gpcov_layer *ul = NULL, *pl = NULL;
    gpcov_status st;
    fx_write("units_pop.csv",
        "komkode,name,designated_2019,pop_2020\n101,A,0,2000\n147,B,1,3000\n825,C,1,6000\n"
        "860,D,1,3000\n");
    example_opts(&o);
    o.units = fx_path("units_pop.csv");
    o.params.cap_per_capacity = 100000;
    st = gpcov_fee_run(ctx, &o, &ul, &pl, &rep);
    OK(st == GPCOV_OK, "a CSV of municipalities with pop_2020 only: %s", gpcov_ctx_message(ctx));
    OK(rep.patients_basis && strstr(rep.patients_basis, "pop_2020") &&
           strstr(rep.patients_basis, "proxy"),
       "says it used the population as a proxy: %s", rep.patients_basis ? rep.patients_basis : "");
    OK(rep.capacities_basis && strstr(rep.capacities_basis, "ESTIMATED as patients / 1600"),
       "says capacities are estimated: %s", rep.capacities_basis ? rep.capacities_basis : "");
    NEAR(num(ul, "0825", "capacities"), 3.75, 1e-12, "0825: 6000 / 1600 = 3.75 capacities");
    OK(ul && ul->geoms[0] == NULL, "no geometry from a CSV");
    gpcov_layer_free(ctx, ul);
    gpcov_fee_report_clear(&rep);
}

/* --exclude */
static void test_run_exclude(gpcov_ctx *ctx)
{
    struct gpcov_fee_opts o;
    struct gpcov_fee_report rep;
    struct gpcov_layer *ul = NULL, *pl = NULL;
    gpcov_status st;
    example_opts(&o);
    o.exclude = "825";
    st = gpcov_fee_run(ctx, &o, &ul, &pl, &rep);
    OK(st == GPCOV_OK && ul && ul->n == 4 && num(ul, "0825", "patients") == -1 &&
           num(ul, "0825", "total_dkk") == -1 && num(ul, "0825", "designated_dkk") == -1 &&
           num(ul, "0825", "dkk_per_patient") == -1 &&
           num(ul, "0825", "dkk_per_inhabitant") == -1 &&
           sum_ore(ul, "total_dkk") == 10000005 && rep.nexcluded == 1,
       "an excluded unit is written with empty amounts, not 0 DKK; the rest sums to the "
       "budget (%s)", gpcov_ctx_message(ctx));
    STREQ(ul ? text(ul, "0825", "fee_reason") : NULL, "udeladt (--exclude)", "and says why");
    gpcov_layer_free(ctx, ul);
    gpcov_fee_report_clear(&rep);
}

static void test_practices(gpcov_ctx *ctx)
{
    struct gpcov_fee_opts o;
    struct gpcov_fee_report rep;
    struct gpcov_layer *ul = NULL, *pl = NULL;
    example_opts(&o);
    o.practices = fx_path("practices.csv");
    o.x_field = "x";
    o.y_field = "y";
    o.srs = "EPSG:25832";
    gpcov_status st = gpcov_fee_run(ctx, &o, &ul, &pl, &rep);
    OK(st == GPCOV_OK && ul && pl, "per practice: %s", gpcov_ctx_message(ctx));
    if (!ul || !pl)
        return;
    OK(pl->n == 4 && !strcmp(pl->keys[0], "p1") && !strcmp(pl->keys[3], "p4"),
       "4 practices sorted by id");
    STREQ(str(pl, "p2", "komkode"), "0101", "p2 lies in 0101");
    STREQ(str(pl, "p4", "komkode"), "0860", "p4 lies in 0860");
    OK(num(pl, "p3", "designated") == 1 && num(pl, "p1", "designated") == 0,
       "practices take their municipality's designation");
    NEAR(num(pl, "p2", "weight_factor"), 1.25, 1e-9, "and its composition");
    OK(ore_of(num(pl, "p2", "weight_dkk")) == 1250000 && num(pl, "p2", "capped") == 1,
       "p2 capped at 12,500.00");
    OK(ore_of(num(pl, "p1", "weight_dkk")) == 2375002 &&
           ore_of(num(pl, "p4", "weight_dkk")) == 2375001,
       "p1 and p4 tie at 2,375,001.5 øre: p1 (lower key) gets the øre");
    OK(ore_of(num(pl, "p3", "designated_dkk")) == 2666668 &&
           ore_of(num(pl, "p4", "designated_dkk")) == 1333334,
       "designated 26,666.68 and 13,333.34");
    OK(ore_of(num(pl, "p1", "total_dkk")) == 2375002 &&
           ore_of(num(pl, "p2", "total_dkk")) == 1250000 &&
           ore_of(num(pl, "p3", "total_dkk")) == 2666668 &&
           ore_of(num(pl, "p4", "total_dkk")) == 3708335,
       "p1 23,750.02; p2 12,500.00; p3 26,666.68; p4 37,083.35");
    OK(sum_ore(pl, "total_dkk") == 10000005, "the practices sum to the budget");
    /* 23,750.02 / 1200 and 37,083.35 / 3000 patients; a practice has no
    ** inhabitants; 0147 has no practice, so no patients: no amount each */
    OK(num(pl, "p1", "dkk_per_patient") == 19.79 && num(pl, "p4", "dkk_per_patient") == 12.36 &&
           num(pl, "p1", "dkk_per_inhabitant") == -2 && num(ul, "0147", "dkk_per_patient") == -1,
       "per patient: p1 19.79, p4 12.36 DKK; none for 0147 without patients (got %g)",
       num(ul, "0147", "dkk_per_patient"));
    OK(ore_of(num(ul, "0101", "total_dkk")) == 3625002 && num(ul, "0147", "total_dkk") == 0 &&
           ore_of(num(ul, "0860", "total_dkk")) == 3708335 &&
           sum_ore(ul, "total_dkk") == 10000005,
       "municipalities are the sums of their practices: 36,250.02 / 0 / 26,666.68 / 37,083.35");
    OK(num(ul, "0101", "practices") == 2 && num(ul, "0147", "practices") == 0 &&
           num(ul, "0101", "capped") == 1 && num(ul, "0101", "patients") == 2000,
       "0101: 2 practices, 2000 patients, one of them capped");
    OK(pl->geoms[0] != NULL, "practices keep their points");
    gpcov_layer_free(ctx, ul);
    gpcov_layer_free(ctx, pl);
    gpcov_fee_report_clear(&rep);

    fx_write("pr_out.csv", "id,x,y,patients\nq1,705000,6175000,100\nq2,795000,6175000,100\n");
    o.practices = fx_path("pr_out.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "pr_out.csv:3 (id 'q2'): the practice (795000, 6175000",
                "a practice outside every municipality");
    fx_write("pr_dup.csv", "id,x,y,patients\nq1,705000,6175000,100\nq1,715000,6175000,100\n");
    o.practices = fx_path("pr_dup.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "the id 'q1' is used by", "a duplicated practice id");
    fx_write("pr_num.csv", "id,x,y,patients\nq1,705000,6175000,many\n");
    o.practices = fx_path("pr_num.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "pr_num.csv:2 (id 'q1'): patients 'many' is not a number",
                "a practice with non-numeric patients");
}

static void test_errors(gpcov_ctx *ctx)
{
    struct gpcov_fee_opts o;
    example_opts(&o);
    o.patients_field = "tilmeldte";
    expect_fail(ctx, &o, GPCOV_EINPUT, "units.geojson: no field 'tilmeldte'", "an unknown field");
    example_opts(&o);
    o.designated_field = "udpeget";
    expect_fail(ctx, &o, GPCOV_EINPUT, "no field 'udpeget'", "an unknown designated field");
    fx_write("age_short.csv", "area_code,age,men,women\n0000,79,1,1\n101,79,1,1\n147,79,1,1\n"
                              "860,79,1,1\n");
    example_opts(&o);
    o.age.src = fx_path("age_short.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "age_short.csv: no rows for area '0825'",
                "a municipality missing from the age table");
    fx_write("age_text.csv", "area_code,age,men,women\n0101,79,1,1\n0101,80,lots,1\n");
    o.age.src = fx_path("age_text.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "age_text.csv:3: men 'lots' is not a number",
                "a non-numeric count in the age table");
    fx_write("age_total.csv", "area_code,age,men,women\n0101,Total,1,1\n");
    o.age.src = fx_path("age_total.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "age_total.csv:2: age 'Total' is not a whole number",
                "a total row in the age table");
    example_opts(&o);
    o.age.men_field = "males";
    expect_fail(ctx, &o, GPCOV_EINPUT, "age.csv: no column 'males'", "a missing age column");
    fx_write("w_young.csv", "sex,age_from,age_to,weight\nall,0,79,1\n");
    example_opts(&o);
    o.weights = fx_path("w_young.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "age.csv:3: no weight for men aged 80",
                "weights that leave an age uncovered");
    fx_write("units_text.csv",
        "komkode,designated_2019,patients\n101,0,2000\n147,1,3000\n825,1,six thousand\n860,1,3000\n");
    example_opts(&o);
    o.units = fx_path("units_text.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "units_text.csv: komkode 0825: patients 'six thousand' is "
                                       "not a number",
                "non-numeric patients");
}

/* the units table: empty, undecided and unreadable values */
static void test_errors_units(gpcov_ctx *ctx)
{
    struct gpcov_fee_opts o;
    struct gpcov_layer *ul = NULL, *pl = NULL;
    struct gpcov_fee_report rep;
    gpcov_status st;
    memset(&rep, 0, sizeof rep);
    example_opts(&o);
    fx_write("units_empty.csv",
        "komkode,designated_2019,patients\n101,0,2000\n147,1,\n825,1,6000\n860,1,3000\n");
    o.units = fx_path("units_empty.csv");
    st = gpcov_fee_run(ctx, &o, &ul, &pl, &rep);
    OK(st == GPCOV_OK && ul && num(ul, "0147", "total_dkk") == -1 &&
           num(ul, "0147", "weight_dkk") == -1 && sum_ore(ul, "total_dkk") == 10000005 &&
           rep.nexcluded == 1,
       "empty patients: the unit gets an empty amount, not 0 DKK, and the others the "
       "budget (%s)", gpcov_ctx_message(ctx));
    STREQ(ul ? text(ul, "0147", "fee_reason") : NULL, "udeladt: ingen værdi for patients",
          "empty patients: the reason names what is missing");
    gpcov_layer_free(ctx, ul);
    ul = NULL;
    gpcov_fee_report_clear(&rep);
    fx_write("units_undes.csv",
        "komkode,designated_2019,patients\n101,0,2000\n147,,3000\n825,1,6000\n860,1,3000\n");
    o.units = fx_path("units_undes.csv");
    st = gpcov_fee_run(ctx, &o, &ul, &pl, &rep);
    STREQ(st == GPCOV_OK && ul ? text(ul, "0147", "fee_reason") : NULL,
          "udeladt: ingen værdi for designated_2019",
          "an undecided designation leaves the unit out, with the reason");
    gpcov_layer_free(ctx, ul);
    ul = NULL;
    gpcov_fee_report_clear(&rep);
    fx_write("units_nodes.csv",
        "komkode,designated_2019,patients\n101,0,2000\n147,0,3000\n825,0,6000\n860,nej,3000\n");
    o.units = fx_path("units_nodes.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "no unit is designated", "no designated unit");
    fx_write("units_badbool.csv",
        "komkode,designated_2019,patients\n101,maybe,2000\n147,0,3000\n825,0,6000\n860,1,3000\n");
    o.units = fx_path("units_badbool.csv");
    expect_fail(ctx, &o, GPCOV_EINPUT, "komkode 0101: designated_2019 'maybe' is not true or false",
                "a designation that is neither true nor false");
    example_opts(&o);
    o.params.cap_per_capacity = 5000;
    expect_fail(ctx, &o, GPCOV_EINPUT, "short by 35,000.03 DKK", "caps too tight");
    example_opts(&o);
    o.params.designated_share = 30;
    expect_fail(ctx, &o, GPCOV_EINPUT, "must sum to 100 %", "shares not summing to 100");
    example_opts(&o);
    o.params.budget = -5;
    expect_fail(ctx, &o, GPCOV_EINPUT, "budget", "a negative budget");
    example_opts(&o);
    o.exclude = "999";
    expect_fail(ctx, &o, GPCOV_EINPUT, "no komkode '999' to exclude", "excluding an unknown unit");
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(test_allocate, ctx);
    RUN_ON(test_allocate_caps, ctx);
    RUN_ON(test_allocate_shares, ctx);
    RUN_ON(test_allocate_params, ctx);
    RUN_ON(test_allocate_many, ctx);
    RUN_ON(test_weights, ctx);
    RUN_ON(test_run, ctx);
    RUN_ON(test_run_no_national, ctx);
    RUN_ON(test_run_proxy, ctx);
    RUN_ON(test_run_exclude, ctx);
    RUN_ON(test_practices, ctx);
    RUN_ON(test_errors, ctx);
    RUN_ON(test_errors_units, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
