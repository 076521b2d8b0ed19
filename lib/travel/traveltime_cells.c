/*
** traveltime_cells.c: travel times from one source at a few listed cells
** (the cells where people live), for analyses that run thousands of
** sources one at a time (capacity-constrained coverage).  A whole-grid
** run per source costs a pass over every cell and, on the road model, a
** clearing of every node; here the road search keeps its node times
** between runs and resets only the nodes it touched, stops at the time
** limit, and evaluates the listed cells alone.  The times are those of
** gpcov_ttmodel_run for the same source (the same seeds, the same float
** rounding at the cell); the friction model runs the whole grid and reads
** the listed cells, the straight line computes them directly.
*/
#include "traveltime_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct gpcov_ttcells {
    gpcov_ttmodel *m;
    const uint32_t *cells;
    size_t ncells;
    double *t;        /* ROADS: minutes per node, INFINITY untouched     */
    uint32_t *touched; /* ROADS: the nodes t holds a time for            */
    size_t ntouched, captouched;
    uint32_t *nc_first, *nc_cell; /* ROADS: per node, the listed cells on a
                                     segment it ends (CSR, list positions) */
    uint32_t *stamp;  /* ROADS: per listed cell, the run that last set it */
    uint32_t run;
    float *grid;      /* FRICTION: a whole grid of minutes               */
    uint32_t *lpos;   /* ROADS: the run's listed cells reached (positions) */
    float *lt;        /* and their minutes                               */
    size_t nlist, caplist;
    struct gpcov_rheap h;
};

void gpcov_ttcells_free(gpcov_ttcells *c)
{
    if (!c)
        return;
    free(c->t), free(c->touched), free(c->grid);
    free(c->nc_first), free(c->nc_cell), free(c->stamp);
    free(c->lpos), free(c->lt);
    gpcov_rheap_free(&c->h);
    free(c);
}

/* Per road node, the listed cells whose segment it ends: a run evaluates
** only the cells next to the nodes it reached. */
static int node_cells(gpcov_ttcells *c)
{
    const struct gpcov_ttmodel *m = c->m;
    const struct gpcov_network *net = m->net;
    size_t nn = net->nnodes, k = 0;
    c->nc_first = calloc(nn + 2, sizeof *c->nc_first);
    c->stamp = calloc(c->ncells ? c->ncells : 1, sizeof *c->stamp);
    if (!c->nc_first || !c->stamp)
        return -1;
    for (size_t q = 0; q < c->ncells; q++) {
        uint32_t s = m->cell_seg[c->cells[q]];
        if (s != UINT32_MAX)
            c->nc_first[net->seg_u[s] + 2]++, c->nc_first[net->seg_v[s] + 2]++, k += 2;
    }
    for (size_t i = 2; i < nn + 2; i++)
        c->nc_first[i] += c->nc_first[i - 1];
    if (!(c->nc_cell = malloc((k ? k : 1) * sizeof *c->nc_cell)))
        return -1;
    for (size_t q = 0; q < c->ncells; q++) {
        uint32_t s = m->cell_seg[c->cells[q]];
        if (s != UINT32_MAX) {
            c->nc_cell[c->nc_first[net->seg_u[s] + 1]++] = (uint32_t)q;
            c->nc_cell[c->nc_first[net->seg_v[s] + 1]++] = (uint32_t)q;
        }
    }
    return 0;
}

gpcov_status gpcov_ttcells_new(gpcov_ctx *ctx, gpcov_ttmodel *m, const uint32_t *cells,
                               size_t ncells, gpcov_ttcells **out)
{
    *out = NULL;
    gpcov_ttcells *c = calloc(1, sizeof *c);
    size_t n = (size_t)m->g.nx * (size_t)m->g.ny;
    if (!c)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    c->m = m, c->cells = cells, c->ncells = ncells;
    for (size_t k = 0; k < ncells; k++)
        if (cells[k] >= n) {
            gpcov_ttcells_free(c);
            return gpcov_err(ctx, GPCOV_EUSAGE, "cell %u is not in the %d x %d grid",
                             (unsigned)cells[k], m->g.nx, m->g.ny);
        }
    int ok = 1;
    if (m->model == GPCOV_TT_ROADS) {
        size_t nn = m->net->nnodes ? m->net->nnodes : 1;
        ok = (c->t = malloc(nn * sizeof *c->t)) != NULL;
        for (size_t i = 0; ok && i < nn; i++)
            c->t[i] = INFINITY;
        ok = ok && ncells <= UINT32_MAX && node_cells(c) == 0;
    } else if (m->model == GPCOV_TT_FRICTION) {
        ok = (c->grid = malloc(n * sizeof *c->grid)) != NULL;
    }
    if (!ok) {
        gpcov_ttcells_free(c);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    *out = c;
    return GPCOV_OK;
}

/* t[v] = time, remembering v the first time it is touched. */
static int touch(gpcov_ttcells *c, uint32_t v, double time)
{
    if (isinf(c->t[v])) {
        if (c->ntouched == c->captouched) {
            size_t cap = c->captouched ? 2 * c->captouched : 4096;
            uint32_t *p = realloc(c->touched, cap * sizeof *p);
            if (!p)
                return -1;
            c->touched = p, c->captouched = cap;
        }
        c->touched[c->ntouched++] = v;
    }
    c->t[v] = time;
    return 0;
}

/* Dijkstra from source k's seeds (the far end of its segment in each
** direction the segment allows), up to max minutes (> 0: a limit). */
static gpcov_status roads_search(gpcov_ctx *ctx, gpcov_ttcells *c, size_t k, double max)
{
    const struct gpcov_ttmodel *m = c->m;
    const struct gpcov_network *net = m->net;
    uint32_t s = m->src_seg[k];
    double f = m->src_f[k], fw = net->seg_fw[s], bw = net->seg_bw[s];
    uint32_t node[2];
    double start[2];
    int n = 0;
    if (isfinite(fw))
        node[n] = net->seg_v[s], start[n++] = m->src_start[k] + (1 - f) * fw;
    if (isfinite(bw))
        node[n] = net->seg_u[s], start[n++] = m->src_start[k] + f * bw;
    for (int q = 0; q < n; q++)
        if (start[q] < c->t[node[q]] &&
            (touch(c, node[q], start[q]) || gpcov_rheap_push(&c->h, start[q], node[q], 0)))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_rheap_start(&c->h);
    const size_t *first = net->first;
    const uint32_t *to = net->to;
    const double *w = net->minutes;
    double *t = c->t;
    while (c->h.size) {
        struct gpcov_rent it;
        if (gpcov_rheap_pop(&c->h, &it))
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        double tu = gpcov_rheap_cost(it.key);
        uint32_t u = it.cell;
        if (tu != t[u])
            continue; /* a stale entry */
        if (max > 0 && tu > max)
            break;
        for (size_t e = first[u], e1 = first[u + 1]; e < e1; e++) {
            double tv = tu + w[e];
            uint32_t v = to[e];
            if (tv < t[v] && (!(max > 0) || tv <= max) &&
                (touch(c, v, tv) || gpcov_rheap_push(&c->h, tv, v, 0)))
                return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        }
    }
    /* what was left queued is beyond the limit */
    gpcov_rheap_free(&c->h);
    memset(&c->h, 0, sizeof c->h);
    return GPCOV_OK;
}

/* A cell's time from source k alone: its point on its segment reached
** from either end, or along the segment from the source (as point_time
** in traveltime_roads.c), plus its connector. */
static double roads_cell(const gpcov_ttcells *c, size_t k, size_t i)
{
    const struct gpcov_ttmodel *m = c->m;
    const struct gpcov_network *net = m->net;
    uint32_t s = m->cell_seg[i];
    if (s == UINT32_MAX)
        return INFINITY;
    double f = m->cell_f[i], fw = net->seg_fw[s], bw = net->seg_bw[s], best = INFINITY;
    uint32_t u = net->seg_u[s], v = net->seg_v[s];
    if (isfinite(fw) && isfinite(c->t[u]))
        best = c->t[u] + f * fw;
    if (isfinite(bw) && isfinite(c->t[v]))
        best = fmin(best, c->t[v] + (1 - f) * bw);
    if (m->src_seg[k] == s) {
        double fk = m->src_f[k], t = INFINITY;
        if (f >= fk && isfinite(fw))
            t = m->src_start[k] + (f - fk) * fw;
        else if (f <= fk && isfinite(bw))
            t = m->src_start[k] + (fk - f) * bw;
        best = fmin(best, t);
    }
    return best + m->cell_conn[i];
}

/* Room for one more listed cell in the run's list. */
static int list_grow(gpcov_ttcells *c)
{
    if (c->nlist < c->caplist)
        return 0;
    size_t cap = c->caplist ? 2 * c->caplist : 4096;
    uint32_t *p = realloc(c->lpos, cap * sizeof *p);
    if (p)
        c->lpos = p;
    float *t = realloc(c->lt, cap * sizeof *t);
    if (t)
        c->lt = t;
    if (!p || !t)
        return -1;
    c->caplist = cap;
    return 0;
}

/* The listed cells next to the nodes the search reached (each once) with
** a time within max, into lpos/lt in the order found; then the nodes'
** times reset. */
static gpcov_status roads_list(gpcov_ctx *ctx, gpcov_ttcells *c, size_t k, double max)
{
    gpcov_status st = roads_search(ctx, c, k, max);
    c->nlist = 0;
    if (++c->run == 0) { /* the stamps wrapped: start again */
        memset(c->stamp, 0, c->ncells * sizeof *c->stamp);
        c->run = 1;
    }
    for (size_t a = 0; !st && a < c->ntouched; a++) {
        uint32_t v = c->touched[a];
        for (uint32_t e = c->nc_first[v]; !st && e < c->nc_first[v + 1]; e++) {
            uint32_t q = c->nc_cell[e];
            if (c->stamp[q] == c->run)
                continue;
            c->stamp[q] = c->run;
            double t = roads_cell(c, k, c->cells[q]);
            if (!isfinite(t) || (max > 0 && t > max))
                continue;
            if (list_grow(c))
                st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            else
                c->lpos[c->nlist] = q, c->lt[c->nlist++] = (float)t;
        }
    }
    for (size_t q = 0; q < c->ntouched; q++)
        c->t[c->touched[q]] = INFINITY;
    c->ntouched = 0;
    return st;
}

/* The listed cells reached, the others unreachable. */
static gpcov_status run_roads(gpcov_ctx *ctx, gpcov_ttcells *c, size_t k, double max,
                              float *out)
{
    gpcov_status st = roads_list(ctx, c, k, max);
    for (size_t q = 0; q < c->ncells; q++)
        out[q] = NAN;
    for (size_t a = 0; !st && a < c->nlist; a++)
        out[c->lpos[a]] = c->lt[a];
    return st;
}

gpcov_status gpcov_ttcells_reached(gpcov_ctx *ctx, gpcov_ttcells *c, size_t k,
                                   double max_minutes, const uint32_t **pos, const float **t,
                                   size_t *n)
{
    *pos = NULL, *t = NULL, *n = 0;
    if (k >= c->m->n)
        return gpcov_err(ctx, GPCOV_EUSAGE, "there is no source %zu", k + 1);
    if (c->m->model != GPCOV_TT_ROADS)
        return gpcov_err(ctx, GPCOV_EINTERNAL, "gpcov_ttcells_reached: the road model only");
    if (c->m->src_seg[k] == UINT32_MAX)
        return GPCOV_OK; /* kept without a road: reaches nothing */
    gpcov_status st = roads_list(ctx, c, k, max_minutes);
    if (!st)
        *pos = c->lpos, *t = c->lt, *n = c->nlist;
    return st;
}

static void run_straight(gpcov_ttcells *c, size_t k, double max, float *out)
{
    const struct gpcov_ttmodel *m = c->m;
    const struct gpcov_grid *g = &m->g;
    double per_m = m->detour / (m->kmh * 1000.0 / 60.0);
    for (size_t q = 0; q < c->ncells; q++) {
        size_t i = c->cells[q];
        double cx = g->gt[0] + ((double)(i % (size_t)g->nx) + 0.5) * g->gt[1];
        double cy = g->gt[3] + ((double)(i / (size_t)g->nx) + 0.5) * g->gt[5];
        double d = (cx - m->x[k]) * (cx - m->x[k]) + (cy - m->y[k]) * (cy - m->y[k]);
        double t = sqrt(d) * per_m;
        out[q] = max > 0 && t > max ? NAN : (float)t;
    }
}

gpcov_status gpcov_ttcells_run(gpcov_ctx *ctx, gpcov_ttcells *c, size_t k, double max_minutes,
                               float *out)
{
    if (k >= c->m->n)
        return gpcov_err(ctx, GPCOV_EUSAGE, "there is no source %zu", k + 1);
    switch (c->m->model) {
    case GPCOV_TT_ROADS: return run_roads(ctx, c, k, max_minutes, out);
    case GPCOV_TT_STRAIGHT: run_straight(c, k, max_minutes, out); return GPCOV_OK;
    case GPCOV_TT_FRICTION: {
        gpcov_status st = gpcov_ttmodel_run(ctx, c->m, (long)k, max_minutes, c->grid, NULL);
        for (size_t q = 0; !st && q < c->ncells; q++)
            out[q] = c->grid[c->cells[q]];
        return st;
    }
    }
    return gpcov_err(ctx, GPCOV_EINTERNAL, "unknown travel model");
}
