/*
** matrix.c: `gpcov matrix`, a travel-time matrix in long format.  The
** origins become the sources of one travel model (handed to it as a CSV
** in GDAL's memory, in EPSG:25832), the destinations its points
** (ttpoints.c), and one search per origin gives the minutes and metres to
** every destination, on two threads where two cores are online (the road
** and straight-line models).  Rows per origin in order of minutes;
** beyond --max-minutes left out and counted, --nearest K keeps the K
** nearest; a pair without a time stays, with the reason.  The table goes
** out through an output set (CSV, XLSX, GeoPackage, PostGIS).
*/
#include "gpcov.h"
#include "analysis_internal.h"
#include "matrix_internal.h"

#include <cpl_vsi.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct run {
    gpcov_ctx *ctx;
    const struct gpcov_matrix_opts *o;
    struct gpcov_traveltime_opts tt;
    struct mx_points org, dst;
    char vsi[96];
    gpcov_ttmodel *m;
    gpcov_ttpoints *pts;
    double *min, *met;      /* norg x ndst                              */
    struct gpcov_layer *out;
    struct gpcov_matrix_result res;
};

/* The origins as a CSV in memory, the model's sources. */
static gpcov_status origins_csv(struct run *R)
{
    snprintf(R->vsi, sizeof R->vsi, "/vsimem/gpcov_matrix_%ld/origins.csv", (long)getpid());
    VSILFILE *f = VSIFOpenL(R->vsi, "wb");
    if (!f)
        return gpcov_err(R->ctx, GPCOV_EINTERNAL, "cannot make the origins in memory");
    VSIFPrintfL(f, "id,x,y\n");
    for (size_t i = 0; i < R->org.n; i++) {
        VSIFPrintfL(f, "\"");
        for (const char *c = R->org.id[i]; *c; c++)
            VSIFPrintfL(f, *c == '"' ? "\"\"" : "%c", *c);
        VSIFPrintfL(f, "\",%.17g,%.17g\n", R->org.x[i], R->org.y[i]);
    }
    VSIFCloseL(f);
    R->tt = *R->o->tt;
    R->tt.sources = R->vsi, R->tt.source_layer = NULL, R->tt.source_id = "id";
    R->tt.x_field = "x", R->tt.y_field = "y", R->tt.srs = "EPSG:25832";
    R->tt.keep_unjoined = 1;
    R->tt.output = R->tt.nearest = R->tt.per_source = NULL;
    R->tt.network_output = R->tt.node_output = NULL;
    if (!(R->tt.resolution > 0) && R->tt.model != GPCOV_TT_FRICTION)
        R->tt.resolution = 1000; /* the cells only say which land a point is on */
    return GPCOV_OK;
}

/* Origins k0, k0+step, ... on one thread, with its own context. */
struct worker {
    struct run *R;
    size_t k0, step;
    gpcov_ctx *ctx;
    gpcov_status st;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct run *R = w->R;
    size_t nd = R->dst.n;
    for (size_t k = w->k0; k < R->org.n && !w->st; k += w->step) {
        w->st = gpcov_ttpoints_times(w->ctx, R->m, R->pts, k, R->o->max_minutes,
                                     R->o->nearest, &R->min[k * nd], &R->met[k * nd]);
        if (!w->st && w->k0 == 0 && w->ctx == R->ctx)
            w->st = gpcov_progress(R->ctx, (double)(k + 1) / (double)R->org.n, "matrix");
    }
    return NULL;
}

static gpcov_status search(struct run *R)
{
    enum gpcov_tt_model model = R->tt.model;
    int two = model != GPCOV_TT_FRICTION && R->org.n > 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1;
    struct worker w[2] = {{R, 0, two ? 2 : 1, R->ctx, GPCOV_OK}, {R, 1, 2, NULL, GPCOV_OK}};
    pthread_t th;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (two && (!(w[1].ctx = gpcov_ctx_new()) || pthread_create(&th, NULL, work, &w[1]))) {
        gpcov_ctx_free(w[1].ctx);
        two = 0, w[0].step = 1;
    }
    work(&w[0]);
    gpcov_status st = w[0].st;
    if (two) {
        pthread_join(th, NULL);
        if (!st && w[1].st)
            st = gpcov_err(R->ctx, w[1].st, "%s", gpcov_ctx_message(w[1].ctx));
        gpcov_ctx_free(w[1].ctx);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    R->res.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    gpcov_phase(R->ctx, "matrix searches");
    return st;
}

static const double *sorting_min; /* the row by_minutes compares */

static int by_minutes(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    double x = sorting_min[i], y = sorting_min[j];
    int xi = !isfinite(x), yi = !isfinite(y);
    if (xi != yi)
        return xi - yi;
    if (!xi && x != y)
        return x < y ? -1 : 1;
    return (i > j) - (i < j);
}

/* Why pair (k, j) has no time, or what it lacks. */
static const char *note_of(const struct run *R, size_t k, size_t j, double min)
{
    int roads = R->tt.model == GPCOV_TT_ROADS;
    if (isnan(min) && !gpcov_ttpoints_source_joined(R->m, k))
        return "no time: the origin has no road within the longest connector that leads to "
               "the rest of the network";
    if (isnan(min) && !gpcov_ttpoints_joined(R->pts, j))
        return roads ? "no time: no road within the longest connector of the destination"
                     : "no time: the destination is outside the friction raster";
    if (isnan(min))
        return roads ? "no time: the road network does not link origin and destination "
                       "(an island whose ferry the data lacks?)"
                     : "no time: barriers (nodata) between origin and destination";
    if (R->tt.model == GPCOV_TT_FRICTION)
        return "no metres: the friction model keeps no distance";
    return NULL;
}

enum { F_OID, F_ONAME, F_DID, F_DNAME, F_MIN, F_MET, F_NOTE };

static gpcov_status add_row(struct run *R, size_t k, size_t j)
{
    gpcov_ctx *ctx = R->ctx;
    GEOSContextHandle_t h = gpcov_ctx_geos(ctx);
    size_t nd = R->dst.n;
    double min = R->min[k * nd + j], met = R->met[k * nd + j];
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 2, 2);
    GEOSGeometry *line = NULL;
    if (cs) {
        GEOSCoordSeq_setXY_r(h, cs, 0, R->org.x[k], R->org.y[k]);
        GEOSCoordSeq_setXY_r(h, cs, 1, R->dst.x[j], R->dst.y[j]);
        line = GEOSGeom_createLineString_r(h, cs);
    }
    long i = line ? gpcov_layer_append(ctx, R->out, NULL, line) : -1;
    if (i < 0)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    const char *note = note_of(R, k, j, min);
    gpcov_status st;
    if ((st = gpcov_layer_set_str(ctx, R->out, (size_t)i, F_OID, R->org.id[k])) ||
        (st = gpcov_layer_set_str(ctx, R->out, (size_t)i, F_ONAME, R->org.name[k])) ||
        (st = gpcov_layer_set_str(ctx, R->out, (size_t)i, F_DID, R->dst.id[j])) ||
        (st = gpcov_layer_set_str(ctx, R->out, (size_t)i, F_DNAME, R->dst.name[j])) ||
        (isfinite(min) && (st = gpcov_layer_set_num(ctx, R->out, (size_t)i, F_MIN, min))) ||
        (isfinite(met) && (st = gpcov_layer_set_num(ctx, R->out, (size_t)i, F_MET, met))) ||
        (note && (st = gpcov_layer_set_str(ctx, R->out, (size_t)i, F_NOTE, note))))
        return st;
    R->res.rows++;
    return GPCOV_OK;
}

/* One origin's rows: by minutes, those without a time last. */
static gpcov_status origin_rows(struct run *R, size_t k, size_t *ix)
{
    size_t nd = R->dst.n, kept = 0, timed = 0;
    const double *row = &R->min[k * nd];
    for (size_t j = 0; j < nd; j++)
        timed += isfinite(row[j]) != 0;
    for (size_t j = 0; j < nd; j++)
        ix[j] = j;
    sorting_min = row;
    qsort(ix, nd, sizeof *ix, by_minutes);
    for (size_t q = 0; q < nd; q++) {
        size_t j = ix[q];
        double t = row[j];
        if (isinf(t)) {
            /* beyond max_minutes, or beyond the nearest where the search
            ** stopped for them */
            if (R->o->nearest > 0 && timed >= (size_t)R->o->nearest)
                R->res.not_nearest++;
            else
                R->res.beyond++;
            continue;
        }
        if (isnan(t)) {
            R->res.unreachable++;
            if (R->o->nearest > 0 || R->o->max_minutes > 0)
                continue; /* only pairs with a time are kept then */
        } else if (R->o->nearest > 0 && kept >= (size_t)R->o->nearest) {
            R->res.not_nearest++;
            continue;
        }
        kept++;
        gpcov_status st = add_row(R, k, j);
        if (st)
            return st;
    }
    return GPCOV_OK;
}

static gpcov_status make_layer(struct run *R)
{
    gpcov_ctx *ctx = R->ctx;
    static const char *const names[] = {"origin_id", "origin_name", "destination_id",
                                        "destination_name", "minutes", "metres", "note"};
    static const enum gpcov_ftype types[] = {GPCOV_STR, GPCOV_STR, GPCOV_STR, GPCOV_STR,
                                             GPCOV_REAL, GPCOV_REAL, GPCOV_STR};
    if (!(R->out = gpcov_layer_new("matrix")))
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t f = 0; f < 7; f++)
        if (gpcov_layer_add_field(ctx, R->out, names[f], types[f]) < 0)
            return GPCOV_ENOMEM;
    gpcov_status st = gpcov_layer_set_meta(ctx, R->out, "GPCOV_MODEL",
                                           gpcov_ttmodel_description(R->m));
    char buf[64];
    snprintf(buf, sizeof buf, "%g", R->o->max_minutes);
    if (!st && R->o->max_minutes > 0)
        st = gpcov_layer_set_meta(ctx, R->out, "GPCOV_MAX_MINUTES", buf);
    size_t *ix = malloc((R->dst.n ? R->dst.n : 1) * sizeof *ix);
    if (!st && !ix)
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t k = 0; !st && k < R->org.n; k++)
        st = origin_rows(R, k, ix);
    free(ix);
    return st;
}

static void run_free(struct run *R)
{
    gpcov_mx_points_clear(&R->org), gpcov_mx_points_clear(&R->dst);
    gpcov_ttpoints_free(R->pts);
    gpcov_ttmodel_free(R->m);
    if (R->vsi[0])
        VSIUnlink(R->vsi);
    free(R->min), free(R->met);
    gpcov_layer_free(R->ctx, R->out);
}

static gpcov_status write_out(struct run *R)
{
    gpcov_outset *set = gpcov_outset_new(R->ctx, R->o->overwrite);
    struct gpcov_write_opts wo = {.overwrite = R->o->overwrite};
    gpcov_status st = set ? gpcov_outset_layer(R->ctx, set, R->out, R->o->output, &wo)
                          : GPCOV_ENOMEM;
    if (!st)
        st = gpcov_outset_commit(R->ctx, set);
    gpcov_outset_free(set);
    return st;
}

gpcov_status gpcov_matrix(gpcov_ctx *ctx, const struct gpcov_matrix_opts *o,
                          struct gpcov_matrix_result *res)
{
    struct run R = {.ctx = ctx, .o = o};
    if (!o->output)
        return gpcov_err(ctx, GPCOV_EUSAGE, "matrix: no output given");
    gpcov_status st = gpcov_atomic_check(ctx, o->output, o->overwrite);
    if (!st)
        st = gpcov_mx_points_read(ctx, o, 0, &R.org);
    if (!st)
        st = gpcov_mx_points_read(ctx, o, 1, &R.dst);
    if (!st && (st = origins_csv(&R)) == GPCOV_OK)
        st = gpcov_ttmodel_open(ctx, &R.tt, &R.m);
    if (!st)
        st = gpcov_ttpoints_open(ctx, R.m, &R.tt, R.dst.n, R.dst.x, R.dst.y, &R.pts);
    size_t nn = R.org.n * R.dst.n;
    if (!st && (!(R.min = malloc((nn ? nn : 1) * sizeof *R.min)) ||
                !(R.met = malloc((nn ? nn : 1) * sizeof *R.met))))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for %zu pairs", nn);
    if (!st)
        st = search(&R);
    if (!st)
        st = make_layer(&R);
    if (!st)
        st = write_out(&R);
    R.res.norigins = R.org.n, R.res.ndestinations = R.dst.n;
    if (res)
        *res = R.res;
    run_free(&R);
    return st;
}
