/* test_sample.c: rasters sampled at points (sample.c): a travel-time
** raster cut at 60 minutes and one without a cut, each read at four points
** (on a value, on nodata, outside the raster, on a cell edge); a nodata
** cell under a cut is "beyond", not unknown, and a condition on it is
** decided only when it holds, or fails, for every time above the cut; the
** model name kept; and the refusals with their messages. */
#include "fixture.h"
#include "gpcov.h"
#include "analysis/analysis_internal.h"
#include "tap.h"
#include "testfile.h"

#include <math.h>
#include <stdlib.h>

/* 3 x 2 cells of 100 m from (0, 200) south-east; the middle north cell
** and the south-east one are nodata.  Minutes:  12.5  nodata  45
**                                               70    30      nodata */
static void write_rasters(gpcov_ctx *ctx)
{
    struct gpcov_grid g = {.nx = 3, .ny = 2, .gt = {0, 100, 0, 200, 0, -100}};
    float v[6] = {12.5f, NAN, 45, 70, 30, NAN};
    char *meta[] = {"GPCOV_MAX_MINUTES=60", "GPCOV_MODEL=roads 2026", NULL};
    struct gpcov_raster_write_opts cut = {.metadata = meta};
    gpcov_raster_write(ctx, fx_path("car.tif"), &g, GPCOV_RASTER_FLOAT32, v, &cut);
    gpcov_raster_write(ctx, fx_path("walk.tif"), &g, GPCOV_RASTER_FLOAT32, v, NULL);
}

/* points: 0 in the 12.5 cell, 1 in the north nodata cell, 2 outside the
** raster, 3 on the edge between 30 and the south-east nodata cell (the
** cell east of an edge: nodata) */
static struct gpcov_layer *points(gpcov_ctx *ctx)
{
    const char *wkt[4] = {"POINT (50 150)", "POINT (150 199)", "POINT (350 150)",
                          "POINT (200 50)"};
    struct gpcov_layer *l = gpcov_layer_new("points");
    int f = gpcov_layer_add_field(ctx, l, "id", GPCOV_INT);
    for (int i = 0; i < 4; i++) {
        long j = gpcov_layer_append(ctx, l, NULL, tf_wkt(ctx, wkt[i]));
        if (f >= 0 && j >= 0)
            gpcov_layer_set_num(ctx, l, (size_t)j, (size_t)f, i + 1);
    }
    return l;
}

static const struct gpcov_value *val(const struct gpcov_layer *l, size_t i, const char *f)
{
    int k = gpcov_layer_field(l, f);
    return k < 0 ? NULL : gpcov_layer_value(l, i, (size_t)k);
}

static void case_read(gpcov_ctx *ctx)
{
    struct gpcov_layer *l = points(ctx);
    char spec1[600], spec2[600];
    snprintf(spec1, sizeof spec1, "car=%s", fx_path("car.tif"));
    snprintf(spec2, sizeof spec2, "walk=%s", fx_path("walk.tif"));
    char *specs[] = {spec1, spec2, NULL};
    struct gpcov_samples s;
    OK(gpcov_samples_read(ctx, specs, l, &s) == GPCOV_OK && s.n == 2, "two rasters sampled");
    STREQ(s.name[0], "car", "the first sample's name");
    NEAR(s.cut[0], 60, 0, "its cut from GPCOV_MAX_MINUTES: 60");
    STREQ(s.model[0], "roads 2026", "its model from GPCOV_MODEL");
    OK(isnan(s.cut[1]) && !s.model[1], "the second has no cut and no model");
    const struct gpcov_value *v = val(l, 0, "car");
    OK(v && !v->null && v->num == 12.5, "point 0: 12.5 minutes");
    OK(val(l, 1, "car")->null && s.beyond[0][1], "point 1: nodata under a cut is beyond 60");
    OK(val(l, 2, "car")->null && !s.beyond[0][2], "point 2, outside the raster: unknown");
    OK(val(l, 3, "car")->null && s.beyond[0][3],
       "point 3 on an edge takes the cell east of it: nodata, beyond");
    OK(!s.beyond[0][0], "point 0 is not beyond");
    OK(val(l, 0, "walk")->num == 12.5 && val(l, 1, "walk")->null && !s.beyond[1][1] &&
           !s.beyond[1][3],
       "without a cut nodata is unknown, never beyond");
    gpcov_samples_clear(&s);
    OK(s.n == 0 && !s.name, "cleared");

    char *again[] = {spec1, NULL};
    OK(gpcov_samples_read(ctx, again, l, &s) == GPCOV_EUSAGE, "a name the points have already");
    char want[700];
    snprintf(want, sizeof want, "--sample %s: the points have a field 'car' already", spec1);
    STREQ(gpcov_ctx_message(ctx), want, "  with its message");
    gpcov_samples_clear(&s);
    char missing[600];
    snprintf(missing, sizeof missing, "gone=%s", fx_path("gone.tif"));
    char *gone[] = {missing, NULL};
    OK(gpcov_samples_read(ctx, gone, l, &s) != GPCOV_OK, "a raster that is not there: %s",
       gpcov_ctx_message(ctx));
    OK(strstr(gpcov_ctx_message(ctx), "gone.tif") != NULL, "  the message names it");
    gpcov_samples_clear(&s);
    OK(gpcov_samples_read(ctx, NULL, l, &s) == GPCOV_OK && s.n == 0, "no samples: nothing");
    gpcov_layer_free(ctx, l);
}

/* The truth of cond at point i (mode: whether to try beyond the cut). */
static int truth(gpcov_ctx *ctx, struct gpcov_sample_ref *r, size_t i, const char *cond,
                 int with_mode)
{
    gpcov_expr *e;
    int out = 9;
    r->fr.i = i;
    if (gpcov_expr_parse(ctx, cond, &e))
        return 8;
    if (gpcov_where_truth(ctx, e, gpcov_sample_lookup, r, with_mode ? &r->mode : NULL, &out))
        out = 7;
    gpcov_expr_free(e);
    return out;
}

static void case_truth(gpcov_ctx *ctx)
{
    struct gpcov_layer *l = points(ctx);
    char spec1[600], spec2[600];
    snprintf(spec1, sizeof spec1, "car=%s", fx_path("car.tif"));
    snprintf(spec2, sizeof spec2, "walk=%s", fx_path("walk.tif"));
    char *specs[] = {spec1, spec2, NULL};
    struct gpcov_samples s;
    gpcov_samples_read(ctx, specs, l, &s);
    struct gpcov_sample_ref r = {.fr = {l, 0}, .s = &s, .mode = 0};

    struct gpcov_value v;
    r.fr.i = 1;
    OK(gpcov_sample_lookup(&r, "car", &v) == 0 && v.null, "mode 0: a time beyond is empty");
    r.mode = 1;
    OK(gpcov_sample_lookup(&r, "car", &v) == 0 && !v.null && v.num > 60 &&
           v.num == nextafter(60, INFINITY),
       "mode 1: just above 60");
    r.mode = 2;
    OK(gpcov_sample_lookup(&r, "car", &v) == 0 && isinf(v.num), "mode 2: infinity");
    OK(gpcov_sample_lookup(&r, "walk", &v) == 0 && v.null, "a sample without a cut stays empty");
    r.fr.i = 0;
    OK(gpcov_sample_lookup(&r, "car", &v) == 0 && v.num == 12.5,
       "a point with a value keeps it in any mode");
    OK(gpcov_sample_lookup(&r, "nope", &v) != 0, "an unknown name is not found");
    r.mode = 0;

    OK(truth(ctx, &r, 0, "car <= 15", 1) == 1, "12.5 <= 15: true");
    OK(truth(ctx, &r, 0, "car > 15", 1) == 0, "12.5 > 15: false");
    OK(truth(ctx, &r, 1, "car > 60", 1) == 1, "beyond 60, car > 60: true");
    OK(truth(ctx, &r, 1, "car >= 60", 1) == 1, "beyond 60, car >= 60: true");
    OK(truth(ctx, &r, 1, "car <= 60", 1) == 0, "beyond 60, car <= 60: false");
    OK(truth(ctx, &r, 1, "car < 30", 1) == 0, "beyond 60, car < 30: false");
    OK(truth(ctx, &r, 1, "car > 120", 1) == -1, "beyond 60, car > 120: unknown");
    OK(truth(ctx, &r, 1, "car < 90", 1) == -1, "beyond 60, car < 90: unknown");
    OK(truth(ctx, &r, 1, "car > 60", 0) == -1, "without a mode the empty time stays unknown");
    OK(r.mode == 0, "the mode is back to 0 after deciding");
    OK(truth(ctx, &r, 2, "car > 60", 1) == -1, "outside the raster: unknown, even car > 60");
    OK(truth(ctx, &r, 1, "walk > 60", 1) == -1, "no cut: unknown");
    OK(truth(ctx, &r, 3, "car > 45 and walk < 1", 1) == -1,
       "beyond, and an unknown walk: unknown");
    OK(truth(ctx, &r, 3, "car > 45 or walk < 1", 1) == 1, "beyond, or anything: true");
    OK(truth(ctx, &r, 0, "nope > 1", 1) == 7, "an unknown name is an error");
    gpcov_samples_clear(&s);
    gpcov_layer_free(ctx, l);
}

/* known bug: a point layer without fields gets its first field through
** gpcov_layer_add_field, whose memcpy of the old values is passed a NULL
** source (layer.c:75): undefined behaviour, which the sanitizer build
** stops at (run.sh sets UBSAN halt_on_error=1) */
static void case_no_attributes(gpcov_ctx *ctx)
{
    struct gpcov_layer *l = gpcov_layer_new("bare");
    gpcov_layer_append(ctx, l, NULL, tf_wkt(ctx, "POINT (50 150)"));
    char spec[600];
    snprintf(spec, sizeof spec, "car=%s", fx_path("car.tif"));
    char *specs[] = {spec, NULL};
    struct gpcov_samples s;
    OK(gpcov_samples_read(ctx, specs, l, &s) == GPCOV_OK && l->nfields == 1 &&
           gpcov_layer_value(l, 0, 0)->num == 12.5,
       "points without any field: the sample is their first field (12.5)");
    gpcov_samples_clear(&s);
    gpcov_layer_free(ctx, l);
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    write_rasters(ctx);
    RUN_ON(case_read, ctx);
    RUN_ON(case_truth, ctx);
    RUN_ON(case_no_attributes, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
