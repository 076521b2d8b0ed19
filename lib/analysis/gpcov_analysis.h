/*
** gpcov_analysis.h: the public API of lib/analysis/, the analyses: overlay
** of tables on municipalities, dissolve, population, threatened areas by
** rules, the differentiated fee and accessibility (2SFCA family).
** Included through gpcov.h, the umbrella header; conventions there.
*/
#ifndef GPCOV_ANALYSIS_API_H
#define GPCOV_ANALYSIS_API_H

#include "travel/gpcov_travel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ overlay */

enum gpcov_src_kind { GPCOV_SRC_TABLE, GPCOV_SRC_POINTS };
enum gpcov_out_kind { GPCOV_OUT_FIELD, GPCOV_OUT_AGG, GPCOV_OUT_PRESENT };
enum gpcov_agg_fn { GPCOV_SUM, GPCOV_COUNT, GPCOV_MEAN, GPCOV_MIN, GPCOV_MAX,
                    GPCOV_FIRST };

/* One output field taken from a source. */
struct gpcov_out_spec {
    char *name;
    enum gpcov_out_kind kind;
    enum gpcov_agg_fn fn;  /* for AGG                                      */
    gpcov_expr *value;     /* per row; NULL for COUNT and PRESENT          */
    gpcov_expr *where;     /* row filter for this field; may be NULL       */
    char *text;            /* the declaration as written, for messages     */
    int type;              /* enum gpcov_ftype declared as NAME:text=...,
                              NAME:int=, :real=, :bool=; -1: inferred   */
};

/* One joined source: a table (joined by key) or points (joined by location). */
struct gpcov_src_spec {
    enum gpcov_src_kind kind;
    char *path;
    struct gpcov_table_opts topts;
    char *poly_field;      /* --key POLYFIELD=TABLEFIELD                    */
    char *table_field;
    gpcov_expr *where;     /* rows kept before anything else; may be NULL   */
    int optional;          /* polygons without rows are allowed             */
    char *x_field, *y_field, *srs; /* points from a table with coordinates  */
    double snap;           /* points: a point outside every polygon joins
                              the nearest one within this many metres     */
    char **samples;        /* points: "NAME=RASTER": the raster's value at
                              each point becomes field NAME (CSL)         */
    size_t nout;
    struct gpcov_out_spec *out;
};

struct gpcov_derive_spec {
    char *name;
    gpcov_expr *expr;
    char *text;
    int type;              /* as in gpcov_out_spec; -1: real              */
};

struct gpcov_overlay_spec {
    char *polygons;
    char *poly_layer;
    char *poly_key;        /* default: the first source's POLYFIELD        */
    char *name_field;      /* copied to "name"; NULL: none                 */
    char *key_out;         /* output name of the key field; "komkode"      */
    char **keep;           /* polygon fields copied as they are (CSL)      */
    char **exempt;         /* keys that may lack rows in every table (CSL) */
    int allow_missing;
    size_t nsrc;
    struct gpcov_src_spec *src;
    size_t nderive;
    struct gpcov_derive_spec *derive;
    char *regions;         /* region polygons: regionkode and regionnavn of
                              each polygon's interior point; NULL: none   */
    char *regions_key;     /* their code field; NULL: "code"               */
    char *regions_name;    /* their name field; NULL: "name"               */
};

struct gpcov_overlay_spec *gpcov_overlay_spec_new(void);
void gpcov_overlay_spec_free(struct gpcov_overlay_spec *s);
/* Builders that parse declarations, so the CLI and report files share them.
** Each applies to the most recently added source. */
gpcov_status gpcov_overlay_add_source(gpcov_ctx *ctx,
                                      struct gpcov_overlay_spec *s,
                                      enum gpcov_src_kind kind,
                                      const char *path);
/* "POLYFIELD=TABLEFIELD" */
gpcov_status gpcov_overlay_set_key(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                   const char *decl);
gpcov_status gpcov_overlay_set_where(gpcov_ctx *ctx,
                                     struct gpcov_overlay_spec *s,
                                     const char *cond);
/* Declarations are "NAME=..." or "NAME:TYPE=..." with TYPE one of text,
** int, real, bool; without a type, numbers are kept as numbers (integers
** when every value is whole) and anything else as text. */
/* "NAME=EXPR": a value from the single row of each key. */
gpcov_status gpcov_overlay_add_field(gpcov_ctx *ctx,
                                     struct gpcov_overlay_spec *s,
                                     const char *decl);
/* "NAME=FN(EXPR) [WHERE COND]", FN one of sum count mean min max first. */
gpcov_status gpcov_overlay_add_agg(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                   const char *decl);
/* "NAME": true where the key has a row in the source, false elsewhere. */
gpcov_status gpcov_overlay_set_optional(gpcov_ctx *ctx,
                                        struct gpcov_overlay_spec *s);
/* Points: coordinate columns and the CRS they are in (default EPSG:4326). */
gpcov_status gpcov_overlay_set_xy(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                  const char *x, const char *y,
                                  const char *srs);
gpcov_status gpcov_overlay_add_present(gpcov_ctx *ctx,
                                       struct gpcov_overlay_spec *s,
                                       const char *name);
/* "NAME=RASTER": for points, the raster's value (EPSG:25832) at each
** point as field NAME, usable in --where and --agg (e.g. travel minutes). */
gpcov_status gpcov_overlay_add_sample(gpcov_ctx *ctx, struct gpcov_overlay_spec *s,
                                      const char *decl);
/* "NAME=EXPR" over the joined fields, evaluated in declaration order. */
gpcov_status gpcov_overlay_add_derive(gpcov_ctx *ctx,
                                      struct gpcov_overlay_spec *s,
                                      const char *decl);

/* Runs the overlay.  *out (keyed, sorted by key) is freed with
** gpcov_layer_free. */
gpcov_status gpcov_overlay_run(gpcov_ctx *ctx,
                               const struct gpcov_overlay_spec *s,
                               struct gpcov_layer **out);

/* ------------------------------------------------------------------ dissolve */

/* Reads src keyed by key_field (dissolving parts), renames the key to "code"
** and name_field to "name", adds "flag" (text, empty unless the key is in
** flags, a CSL of "KEY=reason"), and writes dst. */
gpcov_status gpcov_dissolve(gpcov_ctx *ctx, const char *src,
                            const char *key_field, const char *name_field,
                            char **flags, const char *dst,
                            const struct gpcov_write_opts *wopts);

/* ---------------------------------------------------------------- population */

/* Municipal totals spread over where people live.  The totals come from an
** overlay (the groups are its --agg/--field outputs, e.g. pop and pop80
** from FOLK1A), and are whole numbers of people.  Each municipality's total
** of each group is shared among its places (points) in proportion to a
** weight field, as whole people by largest remainder (ties to the place
** first in the file), so that every municipality sums exactly to its
** total; or, with a weight raster, among its cells (by cell centre) as
** real numbers.  A municipality with no place or no weight gets one point
** (the cell) at its point on surface, marked. */
struct gpcov_population_opts {
    const struct gpcov_overlay_spec *totals; /* polygons and tables        */
    const char *places;        /* points with a weight (CSV: lon/lat)      */
    const char *places_weight; /* weight field; NULL: "population"; "": 1  */
    const char *places_where;  /* keep places where this holds, e.g.
                                  "place <> 'suburb'"; NULL: all          */
    double snap;               /* places off the coast; 0: 1000 m         */
    const char *weights_raster;/* instead of places: weights per cell     */
    const char *group;         /* raster mode: the one group to spread     */
    const char *demand;        /* points: "NAME=EXPR" over the groups;
                                  NULL: pop + 1.5 x pop80 (population.c) when the
                                  groups include pop and pop80, else none;
                                  "none": none                            */
    const char *output;        /* points: .gpkg/.geojson/...; raster: .tif */
    int overwrite;
};

gpcov_status gpcov_population(gpcov_ctx *ctx, const struct gpcov_population_opts *o);

/* -------------------------------------------------------------------- threat */

/* Rules for threatened areas: an expression over the indicators of a unit
** (a municipality, or a grid cell), e.g. "patients_per_capacity > 1600".
** Statistics over all units may stand in a rule and are resolved to
** numbers before any unit is judged: total(f), mean(f), median(f),
** percentile(f, p), wmean(f, w) (the w-weighted mean; with f = a share and
** w = its population, the national value).  The resolved rule is kept,
** so an output says "share80_2035 > 6.21 + 2", not only the formula. */
struct gpcov_rule {
    const char *name;   /* letters, digits and _; output field rule_<name> */
    const char *text;   /* the expression                                  */
    double weight;      /* for the score; 0: 1                             */
    int optional;       /* skipped (and said so) when an indicator is
                           missing, instead of an error                    */
};

enum gpcov_combine { GPCOV_COMBINE_ALL, GPCOV_COMBINE_ANY, GPCOV_COMBINE_SCORE };

/* A cut to calibrate: rule `name`'s number, or "threshold", in [lo, hi]. */
struct gpcov_calib_range {
    const char *name;
    double lo, hi;
};

struct gpcov_threat_opts {
    const char *units;        /* a layer of units with indicators          */
    const char *key;          /* NULL: "komkode"                           */
    const char *grid[16];     /* grid mode: "NAME=raster.tif" indicators on
                                 one grid; then units is not used          */
    size_t ngrid;
    size_t nrules;
    const struct gpcov_rule *rules;
    enum gpcov_combine combine;
    double threshold;         /* SCORE: threatened when score >= this;
                                 0: 0.5                                    */
    const char *designation;  /* a table of designated units (e.g. PLO)    */
    const char *designation_key; /* its key column; NULL: kommune_code     */
    const char *output;       /* units: .gpkg/.geojson/.csv; grid: .tif of
                                 the score (class: score >= threshold)    */
    const char *agreement;    /* CSV of the confusion table and the units
                                 on each side; or NULL                     */
    char **exclude;           /* keys not judged (kept, undecided), e.g.
                                 0411 Christiansø, which is no municipality */
    int overwrite;
    /* --calibrate: the cuts searched, each a rule's (of the form
    ** INDICATOR op NUMBER) or "threshold" (the score's), in [lo, hi] */
    const struct gpcov_calib_range *calibrate;
    size_t ncalibrate;
    const char *calibration;  /* the table of the calibration, or NULL    */
};

/* Judges every unit; writes the output (and the agreement); the report of
** resolved rules and agreement is left as text in *summary (caller frees). */
gpcov_status gpcov_threat(gpcov_ctx *ctx, const struct gpcov_threat_opts *o, char **summary);

/* -------------------------------------------------------------------- query */

/* A question over a layer of units (query.c): the rows where a condition
** (the expression language) holds, printed as a table, and those it cannot
** decide because a field it needs is missing, listed apart. */
struct gpcov_query_opts {
    const char *input;            /* any OGR layer of units                */
    const char *layer;            /* its layer; NULL: the first            */
    const char *key;              /* NULL: "komkode", also of the joins    */
    const char *name_field;       /* NULL: "name"                          */
    const char *const *joins;     /* more layers of the same units: a field
                                     the units lack comes from the first
                                     that has it                          */
    size_t njoins;
    const char *where;            /* the condition                         */
    const char *fields;           /* "a,b,c" shown; NULL: the condition's  */
    const char *sort;             /* "FIELD[:desc]"; NULL: key order       */
    long limit;                   /* rows shown and written; 0: all        */
    const char *output;           /* the rows as a layer, or NULL          */
    int overwrite;
    int keep_undecided;           /* write the undecided rows too, with a
                                     query_undecided reason               */
};

/* Runs the query; *text (caller frees) is the table, the count line and
** the undecided rows.  An unknown field is an EUSAGE error naming the
** fields there are. */
gpcov_status gpcov_query(gpcov_ctx *ctx, const struct gpcov_query_opts *o, char **text);

/* ------------------------------------------------------------- selection */

/* Keeps the features of l where the condition `where` (the expression
** language) holds, in their order, and frees the others (select.c).  A
** feature it cannot decide (a field it needs is null) is dropped and
** counted in *undecided (may be NULL).  src names l in messages.  Errors:
** EUSAGE for a bad expression or a field l lacks, EINPUT when nothing is
** selected (l is then unchanged). */
gpcov_status gpcov_layer_select(gpcov_ctx *ctx, struct gpcov_layer *l, const char *where,
                                const char *src, size_t *undecided);

/* What gpcov_units_select decides over: the condition, and layers joined
** to the units by key whose fields it may also use (a unit a joined
** layer lacks has those fields missing). */
struct gpcov_select_spec {
    const char *where;
    const struct gpcov_layer *const *joins; /* each with keys             */
    size_t njoins;
    int name_field;          /* the units' name field for the list, or -1 */
};

/* What it decided. */
struct gpcov_selection {
    unsigned char *keep;     /* per unit: 1 where the condition holds      */
    size_t kept;
    size_t undecided;        /* units it could not decide (a field missing) */
    char undecided_list[256]; /* "0411 Christiansø, ..." (cut with ...)    */
    char missing[128];       /* the fields they lack: "region_code"        */
    const char *unknown;     /* on EUSAGE: the field no layer has, or NULL */
    const char *nearest;     /* the field nearest to it, or NULL           */
    size_t failed;           /* the unit whose evaluation failed, or -1    */
    char unknown_buf[128];
};

/* Decides the condition spec->where for each unit of `units`, over its
** fields and, by key, those of spec->joins (select.c; shared by map and
** webmap --where).  out->keep is freed by gpcov_selection_free, also on
** error.  Errors (the message bare, for the caller to place): the
** expression's own, EUSAGE "unknown field" with out->unknown and
** out->nearest set, an evaluation's with out->failed.  Selecting nothing
** is not an error here. */
gpcov_status gpcov_units_select(gpcov_ctx *ctx, const struct gpcov_layer *units,
                                const struct gpcov_select_spec *spec,
                                struct gpcov_selection *out);
void gpcov_selection_free(struct gpcov_selection *sel);

/* ----------------------------------------------------------- differentiated fee */

/* ---------------------------------------------------------- the parameters */

/* The defaults (gpcov_fee_params_init, gpcov_fee_opts_init) and the
** default weights are documented where they are used: fee.c (the OK18
** budget, shares and cap, the bounds on a unit's inputs, the default
** weights) and fee_run.c (the norm of patients per capacity). */

struct gpcov_fee_params {
    double budget;            /* DKK a year, >= 0, whole øre               */
    double designated_share;  /* percent, 0-100                            */
    double weight_share;      /* percent, 0-100; the two sum to 100        */
    double cap_per_capacity;  /* DKK per GP capacity, >= 0                 */
};

/* Fills in the OK18 defaults (fee.c): 60 mio. DKK, 40 % / 60 %, 100,000
** DKK per GP capacity. */
void gpcov_fee_params_init(struct gpcov_fee_params *p);
/* EUSAGE with a message for a negative or non-finite budget, a budget in
** fractions of an øre, a share outside 0-100, shares not summing to 100
** (within 1e-9), a negative cap. */
gpcov_status gpcov_fee_params_check(gpcov_ctx *ctx, const struct gpcov_fee_params *p);

/* An amount of øre as DKK with thousands separators and two decimals
** ("24,000,000.00"), written into buf (size sz, 32 is enough); returns buf. */
const char *gpcov_fee_format_dkk(int64_t ore, char *buf, size_t sz);

/* ------------------------------------------------------------ allocation */

/* One allocation unit (a municipality or a practice).  The caller fills
** the inputs; gpcov_fee_allocate fills the outputs. */
struct gpcov_fee_unit {
    /* in */
    const char *key;       /* unique; breaks ties in the rounding          */
    int designated;        /* in a designated (threatened) area            */
    double patients;       /* registered patients, >= 0                    */
    double capacities;     /* GP capacities, >= 0                          */
    double factor;         /* weighted patients per patient: the unit's
                              mean weight over the national mean (1 =
                              the national mean), >= 0                     */
    /* out */
    double weighted;       /* patients x factor, to a millionth            */
    double difference;     /* weighted - patients (may be negative)        */
    int64_t cap_ore;       /* cap_per_capacity x capacities, whole øre     */
    int64_t designated_ore, weight_ore, total_ore;
    int capped;            /* the weight part is at its cap                */
};

struct gpcov_fee_result {
    int64_t budget_ore, designated_ore, weight_ore; /* the parts           */
    size_t ndesignated;         /* designated units with patients          */
    double designated_patients; /* their patients                          */
    double rate_designated;     /* DKK per patient in designated units     */
    size_t npositive;           /* units with a positive weight difference */
    double positive_difference; /* the sum of the positive differences     */
    double rate_weight;         /* DKK per weighted patient above the
                                   ordinary count (the water level)        */
    double rate_weight_uncapped;/* the same were there no caps             */
    double cap_total_ore;       /* the caps of the units with a positive
                                   difference, summed                      */
    size_t ncapped, npaid;      /* units at their cap; units paid > 0      */
};

/* Allocates p->budget over the n units (see the top of this file for the
** rounding).  The designated part is paid per patient to designated
** units; the weight part pays rate x max(0, difference), capped at
** cap_ore, with the rate chosen so that the part is spent exactly.
** Errors (EINPUT, message in ctx): no designated unit with patients while
** the designated share is > 0; caps too tight to spend the weight part
** (the message says by how much); no unit with a positive difference
** while the weight share is > 0; a duplicated key; a negative or
** non-finite input.  EUSAGE: bad parameters (gpcov_fee_params_check).
** res may be NULL. */
gpcov_status gpcov_fee_allocate(gpcov_ctx *ctx, const struct gpcov_fee_params *p,
                                struct gpcov_fee_unit *u, size_t n,
                                struct gpcov_fee_result *res);

/* --------------------------------------------------------------- weights */

enum gpcov_fee_sex { GPCOV_FEE_ALL = 0, GPCOV_FEE_MEN, GPCOV_FEE_WOMEN };

struct gpcov_fee_weight {
    enum gpcov_fee_sex sex;
    int age_from, age_to;  /* inclusive; age_to < 0: and over            */
    double weight;         /* >= 0                                       */
    long line;             /* line in the file, for messages             */
};

struct gpcov_fee_weights {
    char *src;             /* the file, or "default weights"             */
    size_t n;
    struct gpcov_fee_weight *w;
};

/* Reads a weight table (CSV, XLSX, any table gpcov_table_read reads) with
** columns sex, age_from, age_to, weight: sex is men, women or all (also
** m/f/male/female/mænd/kvinder/alle), ages whole years, age_to empty for
** "and over".  Two rows covering one sex and age are an error naming both
** lines.  src NULL: the default weights (fee.c).  *out is freed with
** gpcov_fee_weights_free. */
gpcov_status gpcov_fee_weights_read(gpcov_ctx *ctx, const char *src,
                                    struct gpcov_fee_weights **out);
void gpcov_fee_weights_free(struct gpcov_fee_weights *w);
/* The weight of sex (MEN, WOMEN; or ALL for tables of totals, which only
** rows for all match) at age; returns 0, or -1 when no row covers it. */
int gpcov_fee_weight_of(const struct gpcov_fee_weights *w, enum gpcov_fee_sex sex,
                        int age, double *out);

/* ------------------------------------------------ age-sex composition */

struct gpcov_fee_age_opts {
    const char *src;            /* long table: one row per area and age    */
    struct gpcov_table_opts topts;
    const char *key_field;      /* NULL: "area_code"                       */
    const char *age_field;      /* NULL: "age" (a whole number; text after
                                   it, "85 years", "100+", is ignored)     */
    const char *men_field;      /* NULL: "men"                             */
    const char *women_field;    /* NULL: "women"                           */
    const char *total_field;    /* instead of men and women: people of both
                                   sexes (weights for "all" only); NULL    */
    const char *national_key;   /* rows of the whole country; NULL: "0000";
                                   "" : none                               */
};

/* Reads the age table and, for each of the nkeys normalised keys, the
** number of people (people[i]) and their mean weight (mean[i]; NaN when
** the area has nobody).  Rows whose normalised key is neither one of keys
** nor the national key are skipped (regions, the country).  *national is
** the mean weight of the national rows, or NaN when the table has none.
** Errors (EINPUT) name the file and line: a key with no rows, a missing
** column, an age or count that is not a number, a negative count, an age
** no weight covers. */
gpcov_status gpcov_fee_mean_weights(gpcov_ctx *ctx, const struct gpcov_fee_age_opts *o,
                                    const struct gpcov_fee_weights *w,
                                    const char *const *keys, size_t nkeys,
                                    double *people, double *mean, double *national);

/* ------------------------------------------------------------ the command */

struct gpcov_fee_opts {
    struct gpcov_fee_params params;
    /* the municipality indicator layer (e.g. reports/out/municipalities.gpkg) */
    const char *units;
    const char *units_layer;      /* NULL: the first                      */
    const char *key;              /* NULL: "komkode"                      */
    const char *name_field;       /* NULL: "name" when present            */
    const char *designated_field; /* NULL: "designated_2019"; may be absent
                                     when the designated share is 0       */
    const char *designation;      /* a keyed layer the designated field is
                                     taken from by key (the threat layer,
                                     with "threatened"); NULL: the units.
                                     A unit it lacks, or leaves empty
                                     (undecided), is left out with a
                                     reason                               */
    const char *patients_field;   /* NULL: "patients" when present, else
                                     "pop_2020" (a proxy)                 */
    const char *capacities_field; /* NULL: "capacities" when present, else
                                     patients / norm (an estimate)        */
    double norm;                  /* gpcov_fee_opts_init: 1600 (fee_run.c) */
    const char *exclude;          /* comma-separated keys left out of the
                                     allocation (e.g. "0411"); or NULL    */
    struct gpcov_fee_age_opts age;
    const char *weights;          /* NULL: the default weights (fee.c)     */
    /* practices: when given, the allocation is per practice */
    const char *practices;
    const char *practice_layer;
    const char *practice_id;      /* NULL: "id" when present, else feature
                                     numbers                              */
    const char *practice_name;    /* NULL: "name" when present            */
    const char *practice_patients;   /* NULL: "patients"                  */
    const char *practice_capacities; /* NULL: "capacities" when present,
                                        else patients / norm              */
    const char *practice_designated; /* NULL: the municipality's          */
    const char *x_field, *y_field, *srs; /* points from table columns     */
    double snap;                  /* a practice outside every polygon joins
                                     the nearest within this many metres;
                                     < 0: 0                               */
};

void gpcov_fee_opts_init(struct gpcov_fee_opts *o);

/* What a run used and found, for the summary and the metadata.  Strings
** are malloc'd; gpcov_fee_report_clear frees them. */
struct gpcov_fee_report {
    struct gpcov_fee_result result;
    size_t nunits;         /* municipalities in the allocation            */
    size_t nexcluded;
    size_t npractices;     /* 0 without practices                         */
    double national_mean;  /* unnormalised mean weight per person         */
    char *patients_basis;  /* e.g. "pop_2020 (population as a proxy ...)" */
    char *capacities_basis;
    char *weights_basis;
    char *national_basis;
    char *note;            /* one line: parameters and bases              */
};

void gpcov_fee_report_clear(struct gpcov_fee_report *r);

/* Runs the allocation.  *units_out: one feature per municipality (the
** polygons, sorted by key) with the key field, name, designated,
** patients, capacities, weight_factor, weighted_patients,
** weight_difference, cap_dkk, designated_dkk, weight_dkk, capped,
** total_dkk (and practices, with practices), amounts in DKK exact from
** øre; with practices, *practices_out likewise per practice (id, name,
** the municipality key), else NULL, and a municipality's values are the
** sums over its practices (capped: any of them capped; weight_factor its
** own).  An excluded municipality has empty values and 0 DKK.  Parameters and bases are in the
** layers' metadata (GPCOV_FEE_*).  Both layers are freed with
** gpcov_layer_free; rep (may be NULL) is cleared with
** gpcov_fee_report_clear. */
gpcov_status gpcov_fee_run(gpcov_ctx *ctx, const struct gpcov_fee_opts *o,
                           struct gpcov_layer **units_out,
                           struct gpcov_layer **practices_out,
                           struct gpcov_fee_report *rep);

/* ----------------------------------------------------------- accessibility */

/* The weight functions f(t), t in minutes (see gpcov_access_weight):
**   2SFCA     f = 1 for t <= d0, else 0 (hard cutoff; d0 default 30).
**   E2SFCA    step weights by time band; default (Luo & Qi 2009) 0-10 min
**             1.00, 10-20 min 0.68, 20-30 min 0.22, beyond 0.
**   GAUSSIAN  f = (exp(-t^2 / (2 d0^2)) - exp(-1/2)) / (1 - exp(-1/2)) for
**             t <= d0, else 0: a Gaussian rescaled to fall from 1 at t = 0
**             to 0 at t = d0 (d0 default 30).
**   STEP      a user's step function, bands as for E2SFCA.
** Steps: band k covers upper[k-1] < t <= upper[k] (the first band
** 0 <= t <= upper[0]) and weighs weight[k]; beyond the last upper bound
** f = 0; the last upper bound may be INFINITY. */
enum gpcov_access_method {
    GPCOV_ACCESS_2SFCA,
    GPCOV_ACCESS_E2SFCA,
    GPCOV_ACCESS_GAUSSIAN,
    GPCOV_ACCESS_STEP
};

#define GPCOV_ACCESS_MAX_STEPS 16

struct gpcov_access_decay {
    enum gpcov_access_method method;
    double d0;                              /* 2SFCA, GAUSSIAN: minutes > 0 */
    size_t nsteps;                          /* E2SFCA, STEP: 1..MAX_STEPS   */
    double upper[GPCOV_ACCESS_MAX_STEPS];   /* ascending, > 0; last may be
                                               INFINITY                    */
    double weight[GPCOV_ACCESS_MAX_STEPS];  /* each in [0, 1]              */
};

/* Sets the method's defaults (d0 = 30; E2SFCA's three bands; STEP with no
** bands, to be given by gpcov_access_steps_parse). */
void gpcov_access_decay_init(struct gpcov_access_decay *d, enum gpcov_access_method m);
/* "2sfca", "e2sfca", "gaussian", "step" (case-insensitive): 0, or -1. */
int gpcov_access_method_parse(const char *name, enum gpcov_access_method *out);
const char *gpcov_access_method_name(enum gpcov_access_method m);
/* Parses "UPPER:WEIGHT,..." ("60:0.95,120:0.36,inf:0.11") into d's steps
** (d->method is left as it is).  EUSAGE, naming the step, when a bound is
** not a positive number or "inf", bounds do not ascend, a weight lies
** outside 0..1, or there are more than GPCOV_ACCESS_MAX_STEPS. */
gpcov_status gpcov_access_steps_parse(gpcov_ctx *ctx, const char *text,
                                      struct gpcov_access_decay *d);
/* Checks a decay as gpcov_access_steps_parse does, and d0 > 0. */
gpcov_status gpcov_access_decay_check(gpcov_ctx *ctx, const struct gpcov_access_decay *d);
/* f(t); 0 for NaN (unreachable), INFINITY or t < 0. */
double gpcov_access_weight(const struct gpcov_access_decay *d, double minutes);
/* The largest time with f > 0 possible (the catchment: travel models run
** with it as their limit); INFINITY when the last step is unbounded. */
double gpcov_access_reach(const struct gpcov_access_decay *d);
/* One line for metadata and legends, e.g. "2SFCA, hard cutoff at 30 min"
** or "step: <=60 min 0.95, <=120 min 0.36, beyond 0.11". */
void gpcov_access_decay_describe(const struct gpcov_access_decay *d, char *out, size_t outsz);

/* The core on an explicit travel-time matrix, for small problems and tests:
** minutes[j*ndemand + i] = t_ij (NaN: unreachable); pop[i] >= 0;
** capacity[j] >= 0.  Fills ratio[j] = R_j (NaN for a dropped supply),
** demand[j] = D_j (may be NULL) and access[i] = A_i.  A supply with D_j = 0
** is an EINPUT error naming it ("supply 3: no demand within reach"), or,
** with drop_unreachable, left out (ratio NaN). */
gpcov_status gpcov_access_matrix(gpcov_ctx *ctx, const struct gpcov_access_decay *d,
                                 size_t ndemand, const double *pop, size_t nsupply,
                                 const double *capacity, const float *minutes,
                                 int drop_unreachable, double *ratio, double *demand,
                                 double *access);

/* A scenario: defaults for the supply, its fields and the decay, with a
** note saying where they come from (recorded in every output).  Read from
** a data file (access_scenario.c); an empty field was not given. */
struct gpcov_access_scenario {
    char name[256];             /* "training"                               */
    char supply[1024];          /* path below the data directory            */
    char capacity_field[256], capacity_total[256], capacity_group[256], supply_id[256];
    enum gpcov_access_method method;
    char steps[512];            /* for STEP                                 */
    char note[4096];
};
/* The scenario name from dir/NAME.ini (or from the file name itself when
** it holds a '/'), its [scenario] section of keys named as the options:
** supply, capacity-field, capacity-total, capacity-group, supply-id,
** method, steps, note.  An unknown name is EUSAGE ("unknown scenario
** 'x' (known: a, b)"). */
gpcov_status gpcov_access_scenario_read(gpcov_ctx *ctx, const char *dir, const char *name,
                                        struct gpcov_access_scenario *sc);

struct gpcov_access_opts {
    /* the travel model; its sources are the supply points (tt->sources,
    ** tt->source_layer, x/y/srs) named by tt->source_id.  Its output,
    ** nearest and per_source are ignored. */
    const struct gpcov_traveltime_opts *tt;
    const char *capacity_field;  /* S_j, numbers >= 0 (required)             */
    /* Optional: a supply whose capacity is empty takes an equal share of
    ** its group's total (capacity_total, one number repeated on every row
    ** of the group named by capacity_group) less the capacities the group
    ** gives; every such share is reported in the notes and outputs. */
    const char *capacity_total, *capacity_group;
    const char *demand;          /* points with a count (any OGR source; CSV
                                    with lon/lat), or a raster of people   */
    const char *demand_field;    /* NULL: "population"                      */
    const char *demand_where;    /* points: keep those where this expression
                                    is true (e.g. "place != 'suburb'")      */
    struct gpcov_access_decay decay;
    int drop_unreachable;        /* drop (with a note) a supply no demand
                                    lies within reach of; default: error   */
    const char *output;          /* A_i, float32 GeoTIFF                    */
    const char *reciprocal;      /* 1 / A_i, nodata where A_i = 0           */
    int demand_only;             /* rasters: nodata where P_i = 0           */
    const char *supply_output;   /* one row per supply (.csv/.geojson/.gpkg) */
    const char *units;           /* polygons (e.g. municipalities); cells
                                    whose centre lies in none are nodata in
                                    the rasters                             */
    const char *units_key;       /* key field of units (required with them) */
    const char *units_name;      /* copied to "name"; or NULL               */
    const char *units_output;    /* population-weighted mean per unit       */
    const char *scenario_note;   /* recorded in the outputs; or NULL        */
    double cache_mb;             /* budget for per-supply sparse lists kept
                                    between the two steps; 0: 256 MiB, but
                                    none with the straight-line model (it
                                    runs faster than it is read back);
                                    < 0: none (every supply is run twice)   */
    int overwrite;
    const char *units_key_out;   /* the key's name in units_output; NULL:
                                    GPCOV_KEY_FIELD                         */
};

/* What a run saw.  notes: NULL-terminated lines (capacity shares, dropped
** supplies, people outside the grid or the units) for the caller to show;
** freed by gpcov_access_result_clear. */
struct gpcov_access_result {
    size_t nsupply, ndropped;
    double capacity_total;   /* sum of S_j over the supplies kept           */
    double people;           /* people in the grid                          */
    double people_outside;   /* demand outside the grid, left out           */
    double people_no_unit;   /* with units: people in cells in no unit      */
    double weighted_access;  /* sum_i P_i A_i (= capacity_total)            */
    size_t runs;             /* travel-model runs made                      */
    size_t cached;           /* supplies whose step 2 came from the cache   */
    char **notes;
    size_t ncells;           /* cells in the model's grid                   */
    size_t cells_reached;    /* summed over the runs: the cells each run
                                searched within reach (the whole grid's
                                reachable cells when the decay has no
                                cut-off)                                   */
    double reach_minutes;    /* the cut-off the runs stopped at; INFINITY:
                                none                                       */
};
void gpcov_access_result_clear(struct gpcov_access_result *r);

/* The command's library side: reads the supply (capacities), opens the
** travel model with the supply as its sources, puts the demand into the
** model's grid (gpcov_population_grid), runs the two steps, and writes
** every output asked for, all of them or none (existing outputs are
** refused before any work unless overwrite).  res may be NULL. */
gpcov_status gpcov_access(gpcov_ctx *ctx, const struct gpcov_access_opts *o,
                          struct gpcov_access_result *res);

/* ------------------------------------------------ capacity-constrained coverage */

/* One (demand unit, practice) pair within the time limit. */
struct gpcov_cover_pair {
    float minutes;
    uint32_t practice; /* index in the practices' input order             */
    uint32_t unit;     /* demand unit (cell) index                         */
};

/* What an assignment gives, per unit (nunit) and per practice (nprac):
** allocated by gpcov_coverage_result_alloc, freed by ..._clear. */
struct gpcov_cover_result {
    double *served, *unserved;  /* served + unserved = demand, exactly    */
    int32_t *first;             /* the nearest practice that served the
                                   unit, -1: none                         */
    float *first_minutes;       /* and its minutes, NaN: none             */
    uint8_t *reached;           /* 1: a practice with capacity lies within
                                   the limit (unserved for want of
                                   capacity, not of distance)             */
    double *assigned;           /* per practice: <= its capacity          */
    double *remaining;          /* capacity - assigned; NaN: excluded     */
    double demand_total, served_total, assigned_total;
};
gpcov_status gpcov_coverage_result_alloc(gpcov_ctx *ctx, size_t nunit, size_t nprac,
                                         struct gpcov_cover_result *r);
void gpcov_coverage_result_clear(struct gpcov_cover_result *r);
/* Sorts pairs into the processing order: ascending minutes, ties by
** practice index, then by unit index. */
void gpcov_coverage_sort(struct gpcov_cover_pair *pairs, size_t npairs);
/* The nearest-first assignment (coverage.c): pairs are sorted into the
** processing order, then each gives its unit min(the unit's demand not yet
** served, the practice's capacity not yet taken).  demand[i] >= 0;
** capacity[j] >= 0 in people (capacities x norm), 0 for a closed practice,
** NaN for an excluded one (no capacity known). */
gpcov_status gpcov_coverage_assign(gpcov_ctx *ctx, size_t nunit, const double *demand,
                                   size_t nprac, const double *capacity,
                                   struct gpcov_cover_pair *pairs, size_t npairs,
                                   struct gpcov_cover_result *r);
/* The same on an explicit matrix, minutes[j*nunit + i] (NaN: unreachable),
** pairs taken where minutes <= max_minutes; for small problems and tests. */
gpcov_status gpcov_coverage_matrix(gpcov_ctx *ctx, size_t nunit, const double *demand,
                                   size_t nprac, const double *capacity, const float *minutes,
                                   double max_minutes, struct gpcov_cover_result *r);

struct gpcov_coverage_opts {
    /* the travel model; its sources are the practices (tt->sources, ...,
    ** named by tt->source_id); its output options are ignored */
    const struct gpcov_traveltime_opts *tt;
    const char *capacity_field;  /* GP capacities per practice; or          */
    double capacity;             /* > 0: this many for every practice       */
    double norm;                 /* patients per capacity; 0: 1600          */
    const char *open_field;      /* open to new patients (true/false, 1/0,
                                    yes/no, ja/nej); NULL: all open         */
    const char *demand;          /* points with a count, or a raster        */
    const char *demand_field;    /* NULL: "population"                      */
    double max_minutes;          /* > 0, required                           */
    const char *supply_note;     /* what the practices are (e.g. a stand-in),
                                    in every output; or NULL               */
    const char *cells_output;    /* layer: every cell with demand           */
    const char *unserved_output; /* layer: the cells with unserved demand   */
    const char *unserved_raster; /* GeoTIFF: unserved per cell              */
    const char *served_raster;   /* GeoTIFF: served per cell                */
    const char *practices_output;/* layer: one row per practice             */
    const char *units, *units_key, *units_name, *units_output;
    int overwrite;
};

struct gpcov_coverage_summary {
    size_t npractices, nopen, nclosed, nexcluded, ncells;
    size_t npairs;               /* (cell, practice) pairs within the limit */
    double demand, served, unserved, unserved_far; /* far: no practice with
                                                      capacity within reach */
    double capacity, assigned, outside; /* outside: demand off the grid     */
    char **notes;                /* NULL-terminated; freed by ..._clear    */
};
void gpcov_coverage_summary_clear(struct gpcov_coverage_summary *s);

/* The command's library side: reads the practices and their capacities,
** puts the demand into the model's grid, searches from every open
** practice up to max_minutes (gpcov_ttcells), assigns (gpcov_coverage_
** assign) and writes every output asked for, all or none.  sum may be
** NULL. */
gpcov_status gpcov_coverage(gpcov_ctx *ctx, const struct gpcov_coverage_opts *o,
                            struct gpcov_coverage_summary *sum);
/* ------------------------------------------------------------- practices */

/* GP practices as registered (practices.c): the SOR export (semicolon CSV,
** A_X/A_Y in UTM32, SOR id as ="..."), or any point layer or table with
** coordinates.  Per practice: id, name ("" when none), x, y in EPSG:25832,
** capacity (GP capacities; NaN when the file gives none, capacity_reason
** says why), open to new patients (1 yes, 0 no, -1 unknown with
** open_reason).  A bad value (a capacity that is no number, an open flag
** that is no yes/no) is an error naming the file, line and column. */
struct gpcov_practice {
    char *id, *name;
    double x, y;
    double capacity;
    char *capacity_reason;
    int open;
    char *open_reason;
};
struct gpcov_practices {
    size_t n;
    struct gpcov_practice *p;
    int sor;         /* 1: read in the shape of the SOR export            */
    char what[600];  /* the file and the columns used, for notes          */
    char cap_col[128], open_col[128]; /* the columns used; "": none        */
    int open_closed; /* 1: open_col says closed ("Lukket for tilgang")    */
};
struct gpcov_practices_opts {
    const char *layer;          /* sheet or layer; NULL: the first          */
    const char *id_field, *name_field;   /* NULL: found by name (README)    */
    const char *x_field, *y_field;       /* NULL: A_X/A_Y, x-koordinat, ... */
    const char *srs;            /* CRS of coordinate columns; NULL: 25832  */
    const char *capacity_field; /* NULL: "Antal kapaciteter", ...          */
    const char *open_field;     /* NULL: "Tilgang", "Lukket for tilgang"...*/
    const char *id_option;      /* names id_field in messages; NULL:
                                   "--id-field"                            */
};
/* *out freed with gpcov_practices_free (NULL is fine); opts may be NULL. */
gpcov_status gpcov_practices_read(gpcov_ctx *ctx, const char *src,
                                  const struct gpcov_practices_opts *opts,
                                  struct gpcov_practices **out);
void gpcov_practices_free(struct gpcov_practices *ps);

/* ----------------------------------------------------------------- matrix */

/* A travel-time matrix (matrix.c): origins x destinations in long format,
** one row per pair: origin_id, origin_name, destination_id,
** destination_name, minutes, metres, note (why a value is missing), and a
** line from origin to destination where the format keeps geometry.  The
** times are gpcov_ttpoints_times's: what the model's raster from the
** origin alone holds at the destination.  Pairs beyond max_minutes are
** left out and counted; with nearest = K only each origin's K nearest
** destinations are kept.  Unreachable pairs stay, with empty minutes and
** metres and the reason in note (not under nearest or max_minutes, which
** keep only pairs with a time). */
struct gpcov_matrix_opts {
    const struct gpcov_traveltime_opts *tt; /* the model; its sources,
                                   x/y fields and srs are set here         */
    const char *origins, *destinations; /* points (gpcov_practices_read)   */
    const char *origins_centroids, *destinations_centroids; /* or one point
                                   per unit: weighted points (population.gpkg)
                                   or a point on each unit's polygons       */
    const char *centroid_key;     /* unit field; NULL: komkode, ...         */
    const char *centroid_weight;  /* weight of points; NULL: pop, ...       */
    const char *centroid_name;    /* name field of polygons; NULL: navn     */
    const char *origin_id, *origin_name, *destination_id, *destination_name;
    const char *x_field, *y_field, *srs; /* coordinate columns of tables   */
    double max_minutes;           /* > 0: pairs beyond are left out         */
    int nearest;                  /* > 0: each origin's K nearest           */
    const char *output;           /* .csv, .xlsx, .gpkg, PG:...             */
    int overwrite;
};
struct gpcov_matrix_result {
    size_t norigins, ndestinations;
    size_t rows;          /* pairs written                                 */
    size_t beyond;        /* left out: beyond max_minutes (or not reached
                             within it)                                    */
    size_t unreachable;   /* no time: no road within reach, no route       */
    size_t not_nearest;   /* left out by nearest                           */
    double seconds;       /* the searches, wall clock                      */
};
gpcov_status gpcov_matrix(gpcov_ctx *ctx, const struct gpcov_matrix_opts *o,
                          struct gpcov_matrix_result *res);

/* ------------------------------------------------------------ site choice */

/* Which k new sites, among candidates, do the most good with the existing
** sites kept open (site_solve*.c). */
enum gpcov_site_objective {
    GPCOV_SITE_COVER,    /* maximal covering: demand within max_minutes of
                            an open site (more is better)                  */
    GPCOV_SITE_MEDIAN,   /* p-median: demand x minutes to the nearest open
                            site, penalty_minutes for a unit none reaches
                            (less is better)                               */
    GPCOV_SITE_CAPACITY  /* demand served by the nearest-first assignment
                            of gpcov_coverage_assign with the sites'
                            capacities (more is better)                    */
};
enum gpcov_site_method {
    GPCOV_SITE_AUTO,     /* exact when C(ncand, k) <= exact_limit, else
                            the heuristic (CAPACITY: also only when
                            C(ncand, k) x npairs <= 2e9, each set a sweep) */
    GPCOV_SITE_EXACT,    /* every k-set (refused above exact_limit x 100)  */
    GPCOV_SITE_HEURISTIC /* greedy, then swaps until none improves         */
};

/* An instance: nunit demand units (cells) with their demand; nsite sites,
** sites [0, ncand) the candidates and [ncand, nsite) the existing ones,
** always open; pairs[] every (unit, site) pair within max_minutes, the
** site in the pair's practice field (as gpcov_coverage_assign takes them). */
struct gpcov_site_problem {
    size_t nunit;
    const double *demand;          /* >= 0 per unit                         */
    size_t nsite, ncand;
    const double *capacity;        /* CAPACITY: people per site (0 closed,
                                      NaN excluded); NULL otherwise         */
    const struct gpcov_cover_pair *pairs;
    size_t npairs;
    double max_minutes;            /* > 0                                   */
    double penalty_minutes;        /* MEDIAN; 0: max_minutes                */
};

struct gpcov_site_opts {
    enum gpcov_site_objective objective;
    enum gpcov_site_method method;
    size_t k;                      /* new sites to choose, <= ncand          */
    double exact_limit;            /* 0: 1e6 sets                           */
};

/* The choice: chosen[0..k) candidate indices in the order of their gains
** (for an exact answer: the best first, then the best with it, ...);
** gain[i] what chosen[i] adds to the objective given chosen[0..i) (people
** reached or served; for MEDIAN the demand x minutes saved); before and
** after the objective with the existing sites alone and with the chosen;
** bound the best objective any k-set could reach as far as proven (an
** upper bound for COVER and CAPACITY, a lower one for MEDIAN; = after
** when exact; NaN when none is proven), so after vs bound is the gap. */
struct gpcov_site_result {
    size_t k;
    uint32_t *chosen;
    double *gain;
    double before, after, bound;
    int exact;                     /* 1: every k-set was compared            */
    size_t evaluated;              /* k-sets or objective evaluations       */
    size_t swaps;                  /* improving swaps after the greedy      */
    char method[96];               /* how it was found, for the outputs      */
};
void gpcov_site_result_clear(struct gpcov_site_result *r);

/* The objective with the existing sites and the candidates open[0..nopen). */
gpcov_status gpcov_site_value(gpcov_ctx *ctx, const struct gpcov_site_problem *p,
                              enum gpcov_site_objective obj, const uint32_t *open,
                              size_t nopen, double *value);

gpcov_status gpcov_site_solve(gpcov_ctx *ctx, const struct gpcov_site_problem *p,
                              const struct gpcov_site_opts *o, struct gpcov_site_result *r);

struct gpcov_site_run_summary;
/* `gpcov site` (site_run.c): reads the existing sites and the candidates
** (points, or the centres of a grid's cells with demand, optionally
** inside a mask), puts the demand into the model's grid, searches from
** every site up to max_minutes (gpcov_cover_pairs), solves
** (gpcov_site_solve) and writes every output asked for, all or none. */
struct gpcov_site_run_opts {
    const struct gpcov_traveltime_opts *tt; /* the model; its sources are
                                   set here; x/y/srs read both point files */
    enum gpcov_site_objective objective;
    enum gpcov_site_method method;
    size_t k;                      /* >= 1, <= candidates                   */
    double exact_limit;            /* 0: the solver's                       */
    double max_minutes;            /* > 0                                   */
    const char *demand, *demand_field; /* as coverage takes them           */
    const char *existing;          /* points kept open; or NULL            */
    const char *existing_id, *existing_name;
    const char *candidates;        /* points; or                           */
    double candidate_grid;         /* > 0: cell centres of this grid (m)   */
    const char *candidate_mask;    /* polygons the candidates lie in       */
    const char *candidate_where;   /* condition on the mask's features     */
    const char *candidate_id, *candidate_name;
    double capacity;               /* CAPACITY: GP capacities per site; or */
    const char *capacity_field;    /* the column (else found by name)      */
    double norm;                   /* people per capacity; 0: 1600         */
    const char *note;              /* what the sites are, in every output   */
    const char *units, *units_key, *units_name;
    const char *output;            /* layer: the chosen sites in order      */
    const char *summary;           /* table: one row, the run's figures     */
    const char *units_output;      /* layer: per unit before and after      */
    const char *map;               /* PNG/SVG/PDF: chosen over the units     */
    const char *map_title;
    const char *const *attribution; /* NULL-terminated map lines            */
    int decimal_comma;             /* Danish numbers on the map             */
    int overwrite;
    /* draws map into the run's output set: units the per-unit layer, sites
    ** the chosen (label "1".."k") and existing sites (label ""); set by
    ** lib/map's gpcov_site, which the command calls; NULL: no map */
    gpcov_status (*draw)(gpcov_ctx *ctx, const struct gpcov_site_run_opts *o,
                         const struct gpcov_site_run_summary *s,
                         const struct gpcov_layer *units, const struct gpcov_layer *sites,
                         const char *model_da, gpcov_outset *set);
};
struct gpcov_site_run_summary {
    size_t ncand, nexisting, ncells, npairs;
    double demand, reachable;      /* reachable: within max_minutes of any
                                      site, candidate or existing          */
    struct gpcov_site_result res;
    char **notes;                  /* NULL-terminated; freed by ..._clear  */
};
void gpcov_site_run_summary_clear(struct gpcov_site_run_summary *s);
gpcov_status gpcov_site_run(gpcov_ctx *ctx, const struct gpcov_site_run_opts *o,
                            struct gpcov_site_run_summary *sum);

#ifdef __cplusplus
}
#endif
#endif
