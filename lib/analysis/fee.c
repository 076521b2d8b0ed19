/*
** fee.c: the arithmetic of the differentiated base fee (differentieret
** basishonorar, OK18).  A budget is split in a designated part, paid per
** registered patient to units in designated (threatened) areas, and a
** weight part, paid per weighted patient above the unit's ordinary count
** (negative differences reduce nothing), capped per GP capacity.  The
** weight rate is the water level at which the capped payments spend the
** part exactly.  Amounts are whole øre summing to the budget exactly (the
** rounding is described in gpcov_fee.h).  Also here: the age-sex weight
** table and the mean weight of each area from a long age table.  Reading
** the municipality and practice layers is fee_run.c's.
*/
#include "gpcov.h"
#include "analysis_internal.h"

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ defaults */

/* The parameters of the differentiated base fee as agreed in OK18 (the
** 2018 collective agreement on general practice between the regions and
** PLO; README "The differentiated fee"): a budget of 60 mio. DKK a year, 40 % of it per registered patient in designated areas and 60 %
** by patient weight, capped at 100,000 DKK per GP capacity.
** reports/denmark.ini sets each of them explicitly. */
static const double fee_budget = 60000000.0;         /* DKK a year           */
static const double fee_designated_share = 40.0;     /* percent of the budget */
static const double fee_weight_share = 60.0;         /* percent of the budget */
static const double fee_cap_per_capacity = 100000.0; /* DKK per GP capacity  */

/* Bounds on a unit's inputs: beyond them the øre arithmetic leaves
** int64_t, so they are input errors, not counts. */
static const double fee_max_count = 1e9;  /* patients or capacities of a unit */
static const double fee_max_factor = 1e3; /* a unit's weight factor           */

/* The default weights, an ASSUMPTION (see README "The differentiated
** fee"): everyone 1.0, people aged 80 and over 2.7.  After normalisation
** to a national mean of 1 (4.68 % aged 80+ in 2020) that is 2.50 for the
** 80+ and 0.93 for everyone else: the 80+ see their GP about 2.5 times as
** often as the average citizen, the one grounded figure.  No sex
** difference is assumed.  Same format as a --weights file. */
static const char fee_default_weights[] =
    "sex,age_from,age_to,weight\nall,0,79,1.0\nall,80,,2.7\n";

/* ---------------------------------------------------------- parameters */

void gpcov_fee_params_init(struct gpcov_fee_params *p)
{
    p->budget = fee_budget;
    p->designated_share = fee_designated_share;
    p->weight_share = fee_weight_share;
    p->cap_per_capacity = fee_cap_per_capacity;
}

/* Parameters that are numbers but make no fee (a negative budget, shares
** not summing to 100 %) are bad input, exit code 1, like any other value
** that makes no sense; text that is not a number is a usage error. */
gpcov_status gpcov_fee_params_check(gpcov_ctx *ctx, const struct gpcov_fee_params *p)
{
    if (!isfinite(p->budget) || p->budget < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "the budget must be a number of DKK >= 0 (got %g)",
                         p->budget);
    if (p->budget > 1e13)
        return gpcov_err(ctx, GPCOV_EINPUT, "the budget %g DKK is too large", p->budget);
    double ore = p->budget * 100;
    if (fabs(ore - nearbyint(ore)) > 1e-6 * (1 + fabs(ore) * 1e-9))
        return gpcov_err(ctx, GPCOV_EINPUT, "the budget must be whole øre (at most 2 decimals; got %.6f)",
                         p->budget);
    if (!isfinite(p->designated_share) || p->designated_share < 0 || p->designated_share > 100)
        return gpcov_err(ctx, GPCOV_EINPUT, "the designated share must be a percentage 0-100 (got %g)",
                         p->designated_share);
    if (!isfinite(p->weight_share) || p->weight_share < 0 || p->weight_share > 100)
        return gpcov_err(ctx, GPCOV_EINPUT, "the weight share must be a percentage 0-100 (got %g)",
                         p->weight_share);
    if (fabs(p->designated_share + p->weight_share - 100) > 1e-9)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "the designated share (%g %%) and the weight share (%g %%) must sum to "
                         "100 %% (they sum to %g %%)",
                         p->designated_share, p->weight_share,
                         p->designated_share + p->weight_share);
    if (!isfinite(p->cap_per_capacity) || p->cap_per_capacity < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "the cap per capacity must be a number of DKK >= 0 (got %g)",
                         p->cap_per_capacity);
    return GPCOV_OK;
}

/* ---------------------------------------------------------- rounding */

const char *gpcov_fee_format_dkk(int64_t ore, char *buf, size_t sz)
{
    char plain[48], out[64];
    int neg = ore < 0;
    uint64_t a = neg ? (uint64_t)(-(ore + 1)) + 1 : (uint64_t)ore;
    snprintf(plain, sizeof plain, "%s%llu.%02u", neg ? "-" : "", (unsigned long long)(a / 100),
             (unsigned)(a % 100));
    if (gpcov_group_digits(plain, ',', '.', "-", out, sizeof out))
        snprintf(out, sizeof out, "%s", plain);
    snprintf(buf, sz, "%s", out);
    return buf;
}

static const char *dkk(int64_t ore, char *buf, size_t sz)
{
    return gpcov_fee_format_dkk(ore, buf, sz);
}

static double round6(double x)
{
    return nearbyint(x * 1e6) / 1e6;
}

struct share {
    size_t i;
    int64_t remq; /* the fractional remainder in millionths of an øre */
    const char *key;
};

static int by_remainder(const void *a, const void *b)
{
    const struct share *x = a, *y = b;
    if (x->remq != y->remq)
        return x->remq > y->remq ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Floors the exact amounts a[i] (øre) of the eligible units, capped at
** cap[i] when cap is given, and hands the øre left of total out by largest
** remainder, ties by key.  out[i] is 0 for units not eligible. */
static gpcov_status hand_out(gpcov_ctx *ctx, const struct gpcov_fee_unit *u, size_t n,
                             const double *a, const char *eligible, const int64_t *cap,
                             int64_t total, int64_t *out, const char *part)
{
    struct share *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    int64_t sum = 0;
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = 0;
        if (!eligible[i])
            continue;
        double fl = floor(a[i]);
        out[i] = (int64_t)fl;
        if (cap && out[i] >= cap[i]) {
            out[i] = cap[i];
        } else {
            s[ns].i = i;
            s[ns].remq = (int64_t)llround((a[i] - fl) * 1e6);
            s[ns].key = u[i].key;
            ns++;
        }
        sum += out[i];
    }
    int64_t left = total - sum;
    if (left < 0 || (uint64_t)left > ns) {
        free(s);
        return gpcov_err(ctx, GPCOV_EINTERNAL,
                         "the %s part: %lld øre left to hand out to %zu units (a rounding fault)",
                         part, (long long)left, ns);
    }
    qsort(s, ns, sizeof *s, by_remainder);
    for (int64_t k = 0; k < left; k++)
        out[s[k].i]++;
    free(s);
    return GPCOV_OK;
}

/* ---------------------------------------------------------- allocation */

static const struct gpcov_fee_unit *sort_units;

static int by_key_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return strcmp(sort_units[x].key, sort_units[y].key);
}

struct level {
    size_t i;
    double t; /* the rate at which the unit reaches its cap */
    const char *key;
};

static int by_level(const void *a, const void *b)
{
    const struct level *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* The checks of the units' inputs. */
static gpcov_status check_units(gpcov_ctx *ctx, const struct gpcov_fee_unit *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!u[i].key)
            return gpcov_err(ctx, GPCOV_EUSAGE, "unit %zu has no key", i + 1);
        if (!isfinite(u[i].patients) || u[i].patients < 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "unit '%s': patients must be >= 0 (got %g)",
                             u[i].key, u[i].patients);
        if (!isfinite(u[i].capacities) || u[i].capacities < 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "unit '%s': capacities must be >= 0 (got %g)",
                             u[i].key, u[i].capacities);
        if (!isfinite(u[i].factor) || u[i].factor < 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "unit '%s': the weight factor must be >= 0 (got %g)",
                             u[i].key, u[i].factor);
        /* beyond these the øre arithmetic leaves int64_t: input errors */
        if (u[i].patients > fee_max_count || u[i].capacities > fee_max_count)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "unit '%s': %g %s is beyond any real count (at most %g)", u[i].key,
                             u[i].patients > fee_max_count ? u[i].patients : u[i].capacities,
                             u[i].patients > fee_max_count ? "patients" : "GP capacities",
                             fee_max_count);
        if (u[i].factor > fee_max_factor)
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "unit '%s': the weight factor %g is beyond any age weight (at most %g)",
                             u[i].key, u[i].factor, fee_max_factor);
    }
    return GPCOV_OK;
}

/* One allocation: the units, the result so far and the work arrays. */
struct alloc {
    gpcov_ctx *ctx;
    const struct gpcov_fee_params *p;
    struct gpcov_fee_unit *u;
    size_t n;
    struct gpcov_fee_result r;
    size_t *idx;                 /* the units by key                        */
    double *a;                   /* exact amounts in øre                    */
    char *elig;                  /* eligible for the part at hand           */
    int64_t *caps, *part;
    struct level *lv;            /* the units with a positive difference    */
    size_t np;
    double *suffix;              /* their differences summed from k on      */
};

static gpcov_status alloc_arrays(struct alloc *A)
{
    size_t n = A->n, m = n ? n : 1;
    A->idx = malloc(m * sizeof *A->idx);
    A->a = malloc(m * sizeof *A->a);
    A->elig = malloc(m);
    A->caps = malloc(m * sizeof *A->caps);
    A->part = malloc(m * sizeof *A->part);
    A->lv = malloc(m * sizeof *A->lv);
    A->suffix = malloc((n + 1) * sizeof *A->suffix);
    if (!A->idx || !A->a || !A->elig || !A->caps || !A->part || !A->lv || !A->suffix)
        return gpcov_err(A->ctx, GPCOV_ENOMEM, "out of memory");
    return GPCOV_OK;
}

/* Every key once. */
static gpcov_status unique_keys(struct alloc *A)
{
    const struct gpcov_fee_unit *u = A->u;
    for (size_t i = 0; i < A->n; i++)
        A->idx[i] = i;
    sort_units = u;
    qsort(A->idx, A->n, sizeof *A->idx, by_key_index);
    for (size_t k = 1; k < A->n; k++)
        if (!strcmp(u[A->idx[k]].key, u[A->idx[k - 1]].key))
            return gpcov_err(A->ctx, GPCOV_EINPUT, "the key '%s' appears twice among the units",
                             u[A->idx[k]].key);
    return GPCOV_OK;
}

/* The budget in its two parts, and each unit's weighted patients,
** difference and cap. */
static void split_budget(struct alloc *A)
{
    const struct gpcov_fee_params *p = A->p;
    struct gpcov_fee_result *r = &A->r;
    struct gpcov_fee_unit *u = A->u;
    r->budget_ore = (int64_t)llround(p->budget * 100);
    r->designated_ore = (int64_t)floor((double)r->budget_ore * p->designated_share / 100 + 0.5);
    if (r->designated_ore > r->budget_ore)
        r->designated_ore = r->budget_ore;
    r->weight_ore = r->budget_ore - r->designated_ore;
    for (size_t i = 0; i < A->n; i++) {
        u[i].weighted = round6(u[i].patients * u[i].factor);
        u[i].difference = round6(u[i].weighted - u[i].patients);
        double c = floor(p->cap_per_capacity * 100 * u[i].capacities + 1e-6);
        u[i].cap_ore = c > 9e15 ? (int64_t)9e15 : (int64_t)c;
        u[i].designated_ore = u[i].weight_ore = u[i].total_ore = 0;
        u[i].capped = 0;
    }
}

/* The designated part: per patient in designated units. */
static gpcov_status designated_part(struct alloc *A)
{
    struct gpcov_fee_result *r = &A->r;
    struct gpcov_fee_unit *u = A->u;
    size_t n = A->n;
    char b1[48];
    for (size_t i = 0; i < n; i++)
        if (u[i].designated && u[i].patients > 0) {
            r->ndesignated++;
            r->designated_patients += u[i].patients;
        }
    if (r->designated_ore <= 0)
        return GPCOV_OK;
    if (r->designated_patients <= 0)
        return gpcov_err(A->ctx, GPCOV_EINPUT,
                         "no unit is designated (or the designated units have no patients), "
                         "but the designated share is %g %% (%s DKK): mark designated units "
                         "or set the designated share to 0",
                         A->p->designated_share, dkk(r->designated_ore, b1, sizeof b1));
    for (size_t i = 0; i < n; i++) {
        A->elig[i] = u[i].designated && u[i].patients > 0;
        A->a[i] = A->elig[i] ? (double)r->designated_ore * u[i].patients / r->designated_patients
                             : 0;
    }
    gpcov_status st =
        hand_out(A->ctx, u, n, A->a, A->elig, NULL, r->designated_ore, A->part, "designated");
    if (st)
        return st;
    for (size_t i = 0; i < n; i++)
        u[i].designated_ore = A->part[i];
    r->rate_designated = (double)r->designated_ore / r->designated_patients / 100;
    return GPCOV_OK;
}

/* The units with a positive weight difference, each with the rate at
** which it reaches its cap; the sum of their caps. */
static int64_t weight_levels(struct alloc *A)
{
    struct gpcov_fee_unit *u = A->u;
    int64_t capsum = 0;
    A->np = 0;
    for (size_t i = 0; i < A->n; i++) {
        A->caps[i] = u[i].cap_ore;
        A->elig[i] = u[i].difference > 0;
        if (!A->elig[i])
            continue;
        A->r.positive_difference += u[i].difference;
        capsum += u[i].cap_ore;
        A->lv[A->np].i = i;
        A->lv[A->np].t = (double)u[i].cap_ore / u[i].difference;
        A->lv[A->np].key = u[i].key;
        A->np++;
    }
    A->r.npositive = A->np;
    A->r.cap_total_ore = (double)capsum;
    return capsum;
}

/* The water level: units reach their caps in order of t; the first k
** are capped when the level of the rest, (part - their caps) / the rest's
** differences, is above t of each of them.  The exact amounts into a. */
static double water_level(struct alloc *A)
{
    struct gpcov_fee_unit *u = A->u;
    const struct level *lv = A->lv;
    size_t np = A->np;
    qsort(A->lv, np, sizeof *A->lv, by_level);
    A->suffix[np] = 0;
    for (size_t k = np; k-- > 0;)
        A->suffix[k] = A->suffix[k + 1] + u[lv[k].i].difference;
    int64_t capped_sum = 0;
    size_t k = 0;
    double rho = 0;
    for (; k < np; k++) {
        rho = (double)(A->r.weight_ore - capped_sum) / A->suffix[k];
        if (rho < lv[k].t)
            break;
        capped_sum += u[lv[k].i].cap_ore;
    }
    if (k == np) /* every unit at its cap: the caps spend the part exactly */
        rho = np ? lv[np - 1].t : 0;
    for (size_t j = 0; j < A->n; j++)
        A->a[j] = 0;
    for (size_t j = 0; j < np; j++) {
        size_t i = lv[j].i;
        if (j < k) {
            u[i].capped = 1;
            A->a[i] = (double)u[i].cap_ore;
        } else {
            A->a[i] = rho * u[i].difference;
            if (A->a[i] > (double)u[i].cap_ore) /* not reached; guards rounding */
                A->a[i] = (double)u[i].cap_ore;
        }
    }
    return rho;
}

/* The weight part: water-filling under the caps. */
static gpcov_status weight_part(struct alloc *A)
{
    struct gpcov_fee_result *r = &A->r;
    char b1[48], b2[48], b3[48];
    int64_t capsum = weight_levels(A);
    if (r->weight_ore <= 0)
        return GPCOV_OK;
    if (A->np == 0)
        return gpcov_err(A->ctx, GPCOV_EINPUT,
                         "no unit has more weighted patients than patients, so the weight "
                         "part (%s DKK) cannot be paid: check the weights and the age table, "
                         "or set the weight share to 0",
                         dkk(r->weight_ore, b1, sizeof b1));
    if (capsum < r->weight_ore)
        return gpcov_err(A->ctx, GPCOV_EINPUT,
                         "the caps are too tight: at %.2f DKK per capacity the %zu units with a "
                         "positive weight difference may receive at most %s DKK, but the weight "
                         "part is %s DKK (short by %s DKK); raise the cap per capacity or lower "
                         "the weight share",
                         A->p->cap_per_capacity, A->np, dkk(capsum, b1, sizeof b1),
                         dkk(r->weight_ore, b2, sizeof b2),
                         dkk(r->weight_ore - capsum, b3, sizeof b3));
    r->rate_weight_uncapped = (double)r->weight_ore / r->positive_difference / 100;
    r->rate_weight = water_level(A) / 100;
    gpcov_status st = hand_out(A->ctx, A->u, A->n, A->a, A->elig, A->caps, r->weight_ore,
                               A->part, "weight");
    if (st)
        return st;
    for (size_t i = 0; i < A->n; i++)
        A->u[i].weight_ore = A->part[i];
    return GPCOV_OK;
}

gpcov_status gpcov_fee_allocate(gpcov_ctx *ctx, const struct gpcov_fee_params *p,
                                struct gpcov_fee_unit *u, size_t n,
                                struct gpcov_fee_result *res)
{
    struct alloc A = {.ctx = ctx, .p = p, .u = u, .n = n};
    gpcov_status st = gpcov_fee_params_check(ctx, p);
    if (st || (st = check_units(ctx, u, n)))
        return st;
    if (!(st = alloc_arrays(&A)) && !(st = unique_keys(&A))) {
        split_budget(&A);
        if (!(st = designated_part(&A)))
            st = weight_part(&A);
    }
    for (size_t i = 0; !st && i < n; i++) {
        u[i].total_ore = u[i].designated_ore + u[i].weight_ore;
        A.r.ncapped += (size_t)u[i].capped;
        A.r.npaid += u[i].total_ore > 0;
    }
    free(A.idx);
    free(A.a);
    free(A.elig);
    free(A.caps);
    free(A.part);
    free(A.lv);
    free(A.suffix);
    if (!st && res)
        *res = A.r;
    return st;
}

/* ---------------------------------------------------------- weights */

void gpcov_fee_weights_free(struct gpcov_fee_weights *w)
{
    if (!w)
        return;
    free(w->src);
    free(w->w);
    free(w);
}

static int parse_sex(const char *s, enum gpcov_fee_sex *out)
{
    static const struct {
        const char *name;
        enum gpcov_fee_sex sex;
    } names[] = {
        {"all", GPCOV_FEE_ALL},    {"both", GPCOV_FEE_ALL},   {"total", GPCOV_FEE_ALL},
        {"alle", GPCOV_FEE_ALL},   {"i alt", GPCOV_FEE_ALL},  {"men", GPCOV_FEE_MEN},
        {"man", GPCOV_FEE_MEN},    {"male", GPCOV_FEE_MEN},   {"m", GPCOV_FEE_MEN},
        {"mænd", GPCOV_FEE_MEN},   {"mand", GPCOV_FEE_MEN},   {"women", GPCOV_FEE_WOMEN},
        {"woman", GPCOV_FEE_WOMEN}, {"female", GPCOV_FEE_WOMEN}, {"f", GPCOV_FEE_WOMEN},
        {"w", GPCOV_FEE_WOMEN},    {"k", GPCOV_FEE_WOMEN},    {"kvinder", GPCOV_FEE_WOMEN},
        {"kvinde", GPCOV_FEE_WOMEN},
    };
    char buf[32];
    size_t n = strlen(s);
    if (n >= sizeof buf)
        return -1;
    for (size_t i = 0; i <= n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    gpcov_trim(buf);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(buf, names[i].name)) {
            *out = names[i].sex;
            return 0;
        }
    return -1;
}

/* A whole number >= 0 that is the whole cell. */
static int parse_age_strict(const char *s, int *out)
{
    double d;
    if (gpcov_parse_number(s, &d) || d < 0 || d > 1000 || d != floor(d))
        return -1;
    *out = (int)d;
    return 0;
}

static const char *sex_name(enum gpcov_fee_sex s)
{
    return s == GPCOV_FEE_MEN ? "men" : s == GPCOV_FEE_WOMEN ? "women" : "all";
}

static int covers(const struct gpcov_fee_weight *w, enum gpcov_fee_sex sex, int age)
{
    if (sex == GPCOV_FEE_ALL ? w->sex != GPCOV_FEE_ALL : (w->sex != GPCOV_FEE_ALL && w->sex != sex))
        return 0;
    return age >= w->age_from && (w->age_to < 0 || age <= w->age_to);
}

int gpcov_fee_weight_of(const struct gpcov_fee_weights *w, enum gpcov_fee_sex sex, int age,
                        double *out)
{
    for (size_t k = 0; k < w->n; k++)
        if (covers(&w->w[k], sex, age)) {
            *out = w->w[k].weight;
            return 0;
        }
    return -1;
}

/* The row x covers people that an earlier row y covers: an error naming
** both, else GPCOV_OK. */
static gpcov_status overlap(gpcov_ctx *ctx, const char *name, const struct gpcov_fee_weights *w,
                            const struct gpcov_fee_weight *x)
{
    for (size_t k = 0; k < w->n; k++) {
        const struct gpcov_fee_weight *y = &w->w[k];
        int sexes = x->sex == GPCOV_FEE_ALL || y->sex == GPCOV_FEE_ALL || x->sex == y->sex;
        int lo = x->age_from > y->age_from ? x->age_from : y->age_from;
        int ages = (x->age_to < 0 || lo <= x->age_to) && (y->age_to < 0 || lo <= y->age_to);
        if (sexes && ages) {
            enum gpcov_fee_sex s = x->sex != GPCOV_FEE_ALL ? x->sex : y->sex;
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s:%ld: the row covers %s aged %d, which line %ld covers already",
                             name, x->line, s == GPCOV_FEE_ALL ? "people" : sex_name(s), lo,
                             y->line);
        }
    }
    return GPCOV_OK;
}

/* Row r of the weight table (columns c: sex, age_from, age_to, weight)
** as the next weight of w. */
static gpcov_status weight_row(gpcov_ctx *ctx, const char *name, const struct gpcov_table *t,
                               const int *c, size_t r, struct gpcov_fee_weights *w)
{
    const char *sx = t->cells[r * t->ncols + (size_t)c[0]];
    const char *af = t->cells[r * t->ncols + (size_t)c[1]];
    const char *at = t->cells[r * t->ncols + (size_t)c[2]];
    const char *wt = t->cells[r * t->ncols + (size_t)c[3]];
    struct gpcov_fee_weight *x = &w->w[w->n];
    long line = t->row_line[r];
    x->line = line;
    if (!sx || parse_sex(sx, &x->sex))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: sex '%s' is not men, women or all", name,
                         line, sx ? sx : "");
    if (!af || parse_age_strict(af, &x->age_from))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: age_from '%s' is not a whole number of years",
                         name, line, af ? af : "");
    x->age_to = -1;
    if (at && (parse_age_strict(at, &x->age_to) || x->age_to < x->age_from))
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s:%ld: age_to '%s' is not a whole number of years >= age_from %d "
                         "(leave it empty for \"and over\")",
                         name, line, at, x->age_from);
    if (!wt || gpcov_parse_number(wt, &x->weight) || x->weight < 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: weight '%s' is not a number >= 0", name,
                         line, wt ? wt : "");
    gpcov_status st = overlap(ctx, name, w, x);
    if (!st)
        w->n++;
    return st;
}

/* The default weight table as an in-memory file named mem. */
static gpcov_status default_weights_file(gpcov_ctx *ctx, char *mem, size_t sz)
{
    snprintf(mem, sz, "/vsimem/gpcov_fee_weights_%p.csv", (void *)ctx);
    VSILFILE *f = VSIFileFromMemBuffer(mem, (GByte *)fee_default_weights,
                                       (vsi_l_offset)strlen(fee_default_weights), FALSE);
    if (!f)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "cannot make the default weight table");
    VSIFCloseL(f);
    return GPCOV_OK;
}

gpcov_status gpcov_fee_weights_read(gpcov_ctx *ctx, const char *src,
                                    struct gpcov_fee_weights **out)
{
    *out = NULL;
    char mem[64] = "";
    if (!src) {
        gpcov_status st = default_weights_file(ctx, mem, sizeof mem);
        if (st)
            return st;
    }
    const char *path = src ? src : mem;
    struct gpcov_table *t = NULL;
    struct gpcov_fee_weights *w = calloc(1, sizeof *w);
    gpcov_status st = GPCOV_OK;
    const char *name = src ? src : "default weights";
    if (!w || !(w->src = gpcov_strdup(name))) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = gpcov_table_read(ctx, path, NULL, &t)))
        goto done;
    static const char *cols[] = {"sex", "age_from", "age_to", "weight"};
    int c[4];
    for (int k = 0; k < 4; k++)
        if ((c[k] = gpcov_table_col(t, cols[k])) < 0) {
            st = gpcov_err(ctx, GPCOV_EINPUT,
                           "%s: no column '%s' (a weight table has the columns sex, age_from, "
                           "age_to, weight)",
                           name, cols[k]);
            goto done;
        }
    if (!(w->w = calloc(t->nrows, sizeof *w->w))) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < t->nrows && !st; r++)
        st = weight_row(ctx, name, t, c, r, w);
    if (!st) {
        *out = w;
        w = NULL;
    }
done:
    gpcov_table_free(t);
    gpcov_fee_weights_free(w);
    if (mem[0])
        VSIUnlink(mem);
    return st;
}

/* ------------------------------------------------ age-sex composition */

/* The whole number an age cell starts with ("85", "85 years", "100+"). */
static int parse_age_lead(const char *s, int *out)
{
    while (*s == ' ')
        s++;
    if (!isdigit((unsigned char)*s))
        return -1;
    long v = 0;
    while (isdigit((unsigned char)*s) && v < 100000)
        v = v * 10 + (*s++ - '0');
    if (v > 1000)
        return -1;
    *out = (int)v;
    return 0;
}

static gpcov_status need_col(gpcov_ctx *ctx, const struct gpcov_table *t, const char *col,
                             const char *opt, int *out)
{
    if ((*out = gpcov_table_col(t, col)) >= 0)
        return GPCOV_OK;
    char list[600] = "";
    for (size_t i = 0; i < t->ncols && strlen(list) < 500; i++) {
        if (i)
            strcat(list, ", ");
        strncat(list, t->cols[i], 60);
    }
    return gpcov_err(ctx, GPCOV_EINPUT, "%s: no column '%s' (%s; columns: %s)", t->path, col,
                     opt, list);
}

/* One reading of the age table: its columns, and per area (the nation
** last, at nkeys) its people, their summed weights and its rows. */
struct ages {
    gpcov_ctx *ctx;
    const struct gpcov_fee_age_opts *o;
    const struct gpcov_fee_weights *w;
    struct gpcov_table *t;
    struct gpcov_strmap map;     /* area key -> index                       */
    size_t nkeys;
    char natkey[64];
    const char *kf, *af;         /* the key and age columns' names          */
    int ck, ca, cm, cw, ct;
    double *wsum, *pop;
    long *rows;
};

/* The key, age and people columns of the age table. */
static gpcov_status age_columns(struct ages *G)
{
    gpcov_ctx *ctx = G->ctx;
    const struct gpcov_fee_age_opts *o = G->o;
    const struct gpcov_table *t = G->t;
    gpcov_status st;
    G->cm = G->cw = G->ct = -1;
    G->kf = o->key_field ? o->key_field : "area_code";
    G->af = o->age_field ? o->age_field : "age";
    if ((st = need_col(ctx, t, G->kf, "the area key, --age-key", &G->ck)) ||
        (st = need_col(ctx, t, G->af, "the age, --age-field", &G->ca)))
        return st;
    if (o->total_field)
        return need_col(ctx, t, o->total_field, "people of both sexes, --total-field", &G->ct);
    if ((st = need_col(ctx, t, o->men_field ? o->men_field : "men", "men per age, --men-field",
                       &G->cm)))
        return st;
    return need_col(ctx, t, o->women_field ? o->women_field : "women",
                    "women per age, --women-field", &G->cw);
}

/* Row r of the age table into its area's sums; rows of other areas are
** passed over. */
static gpcov_status age_row(struct ages *G, size_t r)
{
    gpcov_ctx *ctx = G->ctx;
    const struct gpcov_table *t = G->t;
    const char *kc = t->cells[r * t->ncols + (size_t)G->ck];
    char key[64];
    size_t at;
    long line = t->row_line[r];
    if (!kc || gpcov_key_normalise(kc, key, sizeof key))
        return GPCOV_OK;
    if (gpcov_strmap_get(&G->map, key, &at) != 0) {
        if (!G->natkey[0] || strcmp(key, G->natkey))
            return GPCOV_OK;
        at = G->nkeys; /* the nation */
    }
    const char *ac = t->cells[r * t->ncols + (size_t)G->ca];
    int age;
    if (!ac || parse_age_lead(ac, &age))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: %s '%s' is not a whole number of years",
                         t->path, line, G->af, ac ? ac : "");
    int ct = G->ct, cols[2] = {ct >= 0 ? ct : G->cm, G->cw};
    enum gpcov_fee_sex sexes[2] = {ct >= 0 ? GPCOV_FEE_ALL : GPCOV_FEE_MEN, GPCOV_FEE_WOMEN};
    for (int s = 0; s < (ct >= 0 ? 1 : 2); s++) {
        const char *vc = t->cells[r * t->ncols + (size_t)cols[s]];
        double v, wt;
        if (!vc || gpcov_parse_number(vc, &v) || v < 0)
            return gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: %s '%s' is not a number >= 0", t->path,
                             line, t->cols[cols[s]], vc ? vc : "");
        if (gpcov_fee_weight_of(G->w, sexes[s], age, &wt))
            return gpcov_err(ctx, GPCOV_EINPUT,
                             "%s:%ld: no weight for %s aged %d in %s%s", t->path, line,
                             sexes[s] == GPCOV_FEE_ALL ? "people (both sexes)" : sex_name(sexes[s]),
                             age, G->w->src,
                             sexes[s] == GPCOV_FEE_ALL
                                 ? " (a table of totals needs rows for sex 'all')" : "");
        G->pop[at] += v;
        G->wsum[at] += v * wt;
    }
    G->rows[at]++;
    return GPCOV_OK;
}

/* The areas' keys, the national key, and the table read. */
static gpcov_status age_open(struct ages *G, const char *const *keys)
{
    gpcov_ctx *ctx = G->ctx;
    if (!G->wsum || !G->pop || !G->rows)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (!G->o->src)
        return gpcov_err(ctx, GPCOV_EUSAGE, "no age table given");
    for (size_t i = 0; i < G->nkeys; i++)
        if (gpcov_strmap_put(&G->map, keys[i], i))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    const char *nk = G->o->national_key ? G->o->national_key : "0000";
    if (*nk && gpcov_key_normalise(nk, G->natkey, sizeof G->natkey))
        return gpcov_err(ctx, GPCOV_EUSAGE, "unusable national key '%s'", nk);
    return gpcov_table_read(ctx, G->o->src, &G->o->topts, &G->t);
}

gpcov_status gpcov_fee_mean_weights(gpcov_ctx *ctx, const struct gpcov_fee_age_opts *o,
                                    const struct gpcov_fee_weights *w,
                                    const char *const *keys, size_t nkeys,
                                    double *people, double *mean, double *national)
{
    struct ages G = {.ctx = ctx, .o = o, .w = w, .nkeys = nkeys};
    G.wsum = calloc(nkeys + 1, sizeof *G.wsum);
    G.pop = calloc(nkeys + 1, sizeof *G.pop);
    G.rows = calloc(nkeys + 1, sizeof *G.rows);
    *national = NAN;
    gpcov_status st = age_open(&G, keys);
    if (!st)
        st = age_columns(&G);
    for (size_t r = 0; !st && r < G.t->nrows; r++)
        st = age_row(&G, r);
    for (size_t i = 0; !st && i < nkeys; i++) {
        if (!G.rows[i]) {
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s: no rows for area '%s' (column %s)",
                           G.t->path, keys[i], G.kf);
            break;
        }
        people[i] = G.pop[i];
        mean[i] = G.pop[i] > 0 ? G.wsum[i] / G.pop[i] : NAN;
    }
    if (!st && G.rows[nkeys] && G.pop[nkeys] > 0)
        *national = G.wsum[nkeys] / G.pop[nkeys];
    gpcov_table_free(G.t);
    gpcov_strmap_clear(&G.map);
    free(G.wsum);
    free(G.pop);
    free(G.rows);
    return st;
}
