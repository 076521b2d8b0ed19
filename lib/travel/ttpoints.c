/*
** ttpoints.c: travel times from one source of a model to given points,
** equal to what the model's raster holds at those points: for the road
** model a point is joined to the road as a cell centre there would be (the
** segments a cell joins, the same connector), and one Dijkstra from the
** source, which also carries the metres driven, stops as soon as every
** point's road nodes are settled (or at max_minutes); the friction model
** takes the point's cell of the accumulated-cost search; the straight line
** the distance from the source.  What gpcov matrix is made of.
*/
#include "segindex.h"
#include "traveltime_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct gpcov_ttpoints {
    enum gpcov_tt_model model;
    size_t n;
    double *x, *y;
    size_t *cell;        /* the point's cell, SIZE_MAX outside the grid  */
    uint32_t *seg;       /* ROADS: the segment joined, UINT32_MAX: none  */
    float *f, *conn;     /* where on it, and the connector in minutes    */
    double *conn_m;      /* the connector in metres                      */
    float *grid;         /* FRICTION: scratch minutes                    */
};

void gpcov_ttpoints_free(struct gpcov_ttpoints *p)
{
    if (!p)
        return;
    free(p->x), free(p->y), free(p->cell), free(p->seg), free(p->f), free(p->conn);
    free(p->conn_m), free(p->grid);
    free(p);
}

/* The mask a cell centre at the point would have joined with: the kind of
** road its cell joined (main network or road island), else any. */
static uint8_t point_mask(const struct gpcov_ttmodel *m, const uint8_t *ok, size_t cell)
{
    uint32_t s = cell == SIZE_MAX ? UINT32_MAX : m->cell_seg[cell];
    if (s == UINT32_MAX)
        return 1 | 4;
    return ok[s] & 1 ? 1 : ok[s] & 4 ? 4 : 1 | 4;
}

static gpcov_status join_points(gpcov_ctx *ctx, const struct gpcov_ttmodel *m,
                                const struct gpcov_traveltime_opts *o, struct gpcov_ttpoints *p)
{
    const struct gpcov_network *net = m->net;
    double off = o->offroad_kmh > 0 ? o->offroad_kmh : 5;
    double maxc = o->max_connector > 0 ? o->max_connector : 5000;
    double min_per_m = 1.0 / (off * 1000.0 / 60.0);
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t j = 0; j < p->n; j++) {
        box[0] = fmin(box[0], p->x[j]), box[1] = fmin(box[1], p->y[j]);
        box[2] = fmax(box[2], p->x[j]), box[3] = fmax(box[3], p->y[j]);
    }
    box[0] -= maxc, box[1] -= maxc, box[2] += maxc, box[3] += maxc;
    struct gpcov_segindex ix = {0};
    uint8_t *ok = gpcov_tt_roads_joinable(net);
    if (!ok || gpcov_segindex_make(&ix, net, ok, box, 1000)) {
        free(ok);
        gpcov_segindex_free(&ix);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory indexing the roads");
    }
    for (size_t j = 0; j < p->n; j++) {
        double d = 0, f = 0;
        p->seg[j] = gpcov_segindex_nearest(&ix, net, ok, point_mask(m, ok, p->cell[j]), p->x[j],
                                           p->y[j], maxc, &d, &f);
        p->f[j] = (float)f;
        p->conn[j] = (float)(d * min_per_m);
        p->conn_m[j] = d;
    }
    gpcov_segindex_free(&ix);
    free(ok);
    return GPCOV_OK;
}

gpcov_status gpcov_ttpoints_open(gpcov_ctx *ctx, const gpcov_ttmodel *m,
                                 const struct gpcov_traveltime_opts *o, size_t n,
                                 const double *x, const double *y, struct gpcov_ttpoints **out)
{
    struct gpcov_ttpoints *p = calloc(1, sizeof *p);
    size_t nn = n ? n : 1, ncell = (size_t)m->g.nx * (size_t)m->g.ny;
    *out = NULL;
    if (p) {
        p->n = n, p->model = m->model;
        p->x = malloc(nn * sizeof *p->x), p->y = malloc(nn * sizeof *p->y);
        p->cell = malloc(nn * sizeof *p->cell), p->seg = malloc(nn * sizeof *p->seg);
        p->f = malloc(nn * sizeof *p->f), p->conn = malloc(nn * sizeof *p->conn);
        p->conn_m = malloc(nn * sizeof *p->conn_m);
        if (m->model == GPCOV_TT_FRICTION)
            p->grid = malloc(ncell * sizeof *p->grid);
    }
    if (!p || !p->x || !p->y || !p->cell || !p->seg || !p->f || !p->conn || !p->conn_m ||
        (m->model == GPCOV_TT_FRICTION && !p->grid)) {
        gpcov_ttpoints_free(p);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < n; j++) {
        p->x[j] = x[j], p->y[j] = y[j];
        if (gpcov_grid_cell(&m->g, x[j], y[j], &p->cell[j]))
            p->cell[j] = SIZE_MAX;
    }
    gpcov_status st = m->model == GPCOV_TT_ROADS ? join_points(ctx, m, o, p) : GPCOV_OK;
    if (st) {
        gpcov_ttpoints_free(p);
        return st;
    }
    *out = p;
    return GPCOV_OK;
}

/* ------------------------------------------------------------ roads */

/* One search's state: per node the least minutes and the metres of that
** path; which nodes the points wait for. */
struct node {
    double t;        /* least minutes so far                            */
    float m;         /* metres of that path                             */
    uint32_t want;   /* 1: a point's road node not yet settled          */
};
struct search {
    const struct gpcov_network *net;
    struct node *ns;
    size_t nwant;
    struct gpcov_rheap h;
    /* nearest: stop when that many points are final and nearest */
    const struct gpcov_ttmodel *m;
    const struct gpcov_ttpoints *p;
    size_t k;
    int nearest;
    double stop_t;   /* where the search stopped for them, or INFINITY  */
};

static void point_result(const struct search *S, const struct gpcov_ttmodel *m, size_t k,
                         const struct gpcov_ttpoints *p, size_t j, double *tj, double *mj);

/* Whether nearest points have a time, from settled nodes, of at most t:
** every other point is at least t away (its road part is), so they are
** the nearest and final. */
static int enough(const struct search *S, double t)
{
    int n = 0;
    for (size_t j = 0; j < S->p->n && n < S->nearest; j++) {
        double tj, mj;
        if (S->p->seg[j] == UINT32_MAX)
            continue;
        point_result(S, S->m, S->k, S->p, j, &tj, &mj);
        n += tj <= t;
    }
    return n >= S->nearest;
}

static double seg_len(const struct gpcov_network *net, uint32_t s)
{
    uint32_t u = net->seg_u[s], v = net->seg_v[s];
    return hypot(net->x[v] - net->x[u], net->y[v] - net->y[u]);
}

/* Source k into the queue at the ends of its segment, as run_search in
** traveltime_roads.c seeds it. */
static int seed(struct search *S, const struct gpcov_ttmodel *m, size_t k)
{
    const struct gpcov_network *net = S->net;
    uint32_t s = m->src_seg[k], u = net->seg_u[s], v = net->seg_v[s];
    double f = m->src_f[k], fw = net->seg_fw[s], bw = net->seg_bw[s], len = seg_len(net, s);
    double px = net->x[u] + f * (net->x[v] - net->x[u]), py = net->y[u] + f * (net->y[v] - net->y[u]);
    double cm = hypot(m->x[k] - px, m->y[k] - py);
    if (isfinite(fw)) {
        S->ns[v].t = m->src_start[k] + (1 - f) * fw, S->ns[v].m = (float)(cm + (1 - f) * len);
        if (gpcov_rheap_push(&S->h, S->ns[v].t, v, 0))
            return -1;
    }
    if (isfinite(bw)) {
        double t = m->src_start[k] + f * bw;
        if (t < S->ns[u].t)
            S->ns[u].t = t, S->ns[u].m = (float)(cm + f * len);
        if (gpcov_rheap_push(&S->h, t, u, 0))
            return -1;
    }
    return 0;
}

/* Dijkstra's search (as dijkstra.c's settle) until every wanted node is
** settled, the queue is empty, the time passes max_minutes, or (nearest)
** the nearest points are final. */
static gpcov_status settle(gpcov_ctx *ctx, struct search *S, double max_minutes)
{
    const struct gpcov_network *net = S->net;
    gpcov_rheap_start(&S->h);
    while (S->h.size && S->nwant) {
        struct gpcov_rent it;
        if (gpcov_rheap_pop(&S->h, &it))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        uint32_t u = it.cell;
        double tu = gpcov_rheap_cost(it.key);
        struct node *nu = &S->ns[u];
        if (tu != nu->t)
            continue; /* a stale entry */
        if (max_minutes > 0 && tu > max_minutes)
            break;
        if (nu->want) {
            nu->want = 0, S->nwant--;
            if (S->nearest > 0 && enough(S, tu)) {
                S->stop_t = tu;
                break;
            }
        }
        double xu = net->x[u], yu = net->y[u];
        for (size_t e = net->first[u]; e < net->first[u + 1]; e++) {
            uint32_t v = net->to[e];
            struct node *nv = &S->ns[v];
            double t = tu + net->minutes[e];
            if (t < nv->t) {
                double dx = net->x[v] - xu, dy = net->y[v] - yu;
                nv->t = t, nv->m = (float)(nu->m + sqrt(dx * dx + dy * dy));
                if (gpcov_rheap_push(&S->h, t, v, 0))
                    return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            }
        }
    }
    return GPCOV_OK;
}

/* Point j's time and metres, as point_time in traveltime_roads.c gives a
** cell: from either end of its segment, or along it from the source. */
static void point_result(const struct search *S, const struct gpcov_ttmodel *m, size_t k,
                         const struct gpcov_ttpoints *p, size_t j, double *tj, double *mj)
{
    const struct gpcov_network *net = S->net;
    uint32_t s = p->seg[j], u = net->seg_u[s], v = net->seg_v[s];
    double f = p->f[j], fw = net->seg_fw[s], bw = net->seg_bw[s], len = seg_len(net, s);
    double best = INFINITY, bm = NAN;
    const struct node *nu = &S->ns[u], *nv = &S->ns[v];
    if (isfinite(fw) && isfinite(nu->t) && !nu->want)
        best = nu->t + f * fw, bm = nu->m + f * len;
    if (isfinite(bw) && isfinite(nv->t) && !nv->want && nv->t + (1 - f) * bw < best)
        best = nv->t + (1 - f) * bw, bm = nv->m + (1 - f) * len;
    if (m->src_seg[k] == s && s != UINT32_MAX) {
        double fk = m->src_f[k], t = INFINITY;
        if (f >= fk && isfinite(fw))
            t = m->src_start[k] + (f - fk) * fw;
        else if (f <= fk && isfinite(bw))
            t = m->src_start[k] + (fk - f) * bw;
        if (t < best) {
            uint32_t a = net->seg_u[s], b = net->seg_v[s];
            double px = net->x[a] + fk * (net->x[b] - net->x[a]);
            double py = net->y[a] + fk * (net->y[b] - net->y[a]);
            best = t, bm = hypot(m->x[k] - px, m->y[k] - py) + fabs(f - fk) * len;
        }
    }
    *tj = best + p->conn[j];
    *mj = bm + p->conn_m[j];
}

static gpcov_status roads_times(gpcov_ctx *ctx, const struct gpcov_ttmodel *m,
                                const struct gpcov_ttpoints *p, size_t k, double max_minutes,
                                int nearest, double *minutes, double *metres)
{
    const struct gpcov_network *net = m->net;
    struct search S = {.net = net, .m = m, .p = p, .k = k, .nearest = nearest,
                       .stop_t = INFINITY};
    size_t nn = net->nnodes ? net->nnodes : 1;
    S.ns = malloc(nn * sizeof *S.ns);
    gpcov_status st = GPCOV_OK;
    if (!S.ns) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory for the road search");
        goto done;
    }
    for (size_t i = 0; i < net->nnodes; i++)
        S.ns[i] = (struct node){INFINITY, NAN, 0};
    /* the road nodes of the points: a point on another component than the
    ** origin's road is not waited for (it is never reached) */
    uint32_t comp = m->src_seg[k] != UINT32_MAX ? net->comp[net->seg_u[m->src_seg[k]]] : 0;
    for (size_t j = 0; j < p->n; j++) {
        uint32_t s = p->seg[j];
        if (s == UINT32_MAX || net->comp[net->seg_u[s]] != comp)
            continue;
        uint32_t ends[2] = {net->seg_u[s], net->seg_v[s]};
        for (int e = 0; e < 2; e++)
            if (!S.ns[ends[e]].want)
                S.ns[ends[e]].want = 1, S.nwant++;
    }
    if (m->src_seg[k] != UINT32_MAX && seed(&S, m, k))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    if (!st)
        st = settle(ctx, &S, max_minutes);
    for (size_t j = 0; !st && j < p->n; j++) {
        double t = INFINITY, mj = NAN;
        if (p->seg[j] != UINT32_MAX)
            point_result(&S, m, k, p, j, &t, &mj);
        /* not final where the search stopped for the nearest: farther */
        int cut = !(t - p->conn[j] <= S.stop_t);
        int joined = p->seg[j] != UINT32_MAX && m->src_seg[k] != UINT32_MAX;
        minutes[j] = !joined ? NAN : cut || (max_minutes > 0 && !(t <= max_minutes)) ? INFINITY
                     : isfinite(t) ? t : NAN;
        metres[j] = isfinite(minutes[j]) ? mj : NAN;
    }
done:
    gpcov_rheap_free(&S.h);
    free(S.ns);
    return st;
}

/* ------------------------------------------------- the other models */

gpcov_status gpcov_ttpoints_times(gpcov_ctx *ctx, gpcov_ttmodel *m,
                                  const struct gpcov_ttpoints *p, size_t k, double max_minutes,
                                  int nearest, double *minutes, double *metres)
{
    if (k >= m->n)
        return gpcov_err(ctx, GPCOV_EUSAGE, "there is no source %zu", k + 1);
    if (m->model == GPCOV_TT_ROADS)
        return roads_times(ctx, m, p, k, max_minutes, nearest, minutes, metres);
    if (m->model == GPCOV_TT_FRICTION) {
        gpcov_status st = gpcov_ttmodel_run(ctx, m, (long)k, max_minutes, p->grid, NULL);
        for (size_t j = 0; !st && j < p->n; j++) {
            minutes[j] = p->cell[j] == SIZE_MAX ? NAN : p->grid[p->cell[j]];
            if (isnan(minutes[j]) && p->cell[j] != SIZE_MAX && max_minutes > 0)
                minutes[j] = INFINITY; /* not reached within max_minutes */
            metres[j] = NAN; /* the friction search keeps no distance */
        }
        return st;
    }
    double per_m = m->detour / (m->kmh * 1000.0 / 60.0);
    for (size_t j = 0; j < p->n; j++) {
        double dx = p->x[j] - m->x[k], dy = p->y[j] - m->y[k];
        double t = sqrt(dx * dx + dy * dy) * per_m;
        int out = max_minutes > 0 && t > max_minutes;
        minutes[j] = out ? INFINITY : t;
        metres[j] = out ? NAN : sqrt(dx * dx + dy * dy) * m->detour;
    }
    return GPCOV_OK;
}

int gpcov_ttpoints_source_joined(const gpcov_ttmodel *m, size_t k)
{
    return m->model != GPCOV_TT_ROADS || m->src_seg[k] != UINT32_MAX;
}

int gpcov_ttpoints_joined(const struct gpcov_ttpoints *p, size_t j)
{
    return p->model == GPCOV_TT_ROADS      ? p->seg[j] != UINT32_MAX
           : p->model == GPCOV_TT_FRICTION ? p->cell[j] != SIZE_MAX
                                           : 1;
}
