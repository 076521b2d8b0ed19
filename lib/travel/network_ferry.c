/*
** network_ferry.c: ferries meet the roads, and the graph's components.
** Ferry lines often end at a harbour point that is no road vertex (the
** national network's ferries do), and a ferry keeps its own level, so a
** ferry meets the roads only here: every end of a ferry route (a ferry
** node on one ferry segment, or where three or more meet) is joined by a
** link to the nearest road node where a car can stop, within the ferry
** snap distance (default 300 m), timed at the ferry speed.  An end with no
** road that near is kept in net->fends with distance -1 and said in a
** notice (a harbour abroad, or a road missing from the data).  Boarding
** and waiting (default 30 minutes) are added once a crossing: to every
** ferry segment leaving a joined end.  Components are counted by
** union-find before and after the joins.
*/
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- union-find */

static uint32_t find(uint32_t *p, uint32_t i)
{
    while (p[i] != i) {
        p[i] = p[p[i]];
        i = p[i];
    }
    return i;
}

size_t gpcov_net_components(const struct netbuild *b, uint32_t *comp)
{
    for (size_t i = 0; i < b->nnodes; i++)
        comp[i] = (uint32_t)i;
    for (size_t s = 0; s < b->nseg; s++) {
        uint32_t a = find(comp, b->u[s]), c = find(comp, b->v[s]);
        if (a != c)
            comp[a > c ? a : c] = a < c ? a : c;
    }
    size_t n = 0;
    for (size_t i = 0; i < b->nnodes; i++) {
        comp[i] = find(comp, (uint32_t)i);
        n += comp[i] == i;
    }
    return n;
}

/* Numbers the components 0..n-1 by their smallest node and finds the
** largest (ties: the lower number). */
static void label_main(struct gpcov_network *net, uint32_t *comp, size_t nnodes)
{
    uint32_t *label = malloc((nnodes ? nnodes : 1) * sizeof *label);
    size_t *size = calloc(nnodes ? nnodes : 1, sizeof *size);
    if (!label || !size) {
        free(label), free(size);
        return; /* the caller checks net->comp */
    }
    uint32_t next = 0;
    for (size_t i = 0; i < nnodes; i++)
        if (comp[i] == i)
            label[i] = next++;
    for (size_t i = 0; i < nnodes; i++) {
        comp[i] = label[comp[i]];
        size[comp[i]]++;
    }
    net->main_comp = 0;
    for (uint32_t c = 0; c < next; c++)
        if (size[c] > size[net->main_comp])
            net->main_comp = c;
    net->main_nodes = nnodes ? size[net->main_comp] : 0;
    free(label), free(size);
}

/* ------------------------------------------------------ ferry ends */

/* Ferry segments at each node. */
static uint32_t *ferry_degree(const struct netbuild *b)
{
    uint32_t *deg = calloc(b->nnodes ? b->nnodes : 1, sizeof *deg);
    if (!deg)
        return NULL;
    for (size_t s = 0; s < b->nseg; s++)
        if (b->kind[s] == GPCOV_SEG_FERRY)
            deg[b->u[s]]++, deg[b->v[s]]++;
    return deg;
}

/* A bucket grid over the ferry ends; road nodes look up their 3 x 3
** neighbourhood, so a pass over the nodes finds each end's nearest. */
struct endgrid {
    double x0, y0, size;
    long nx, ny;
    size_t *first;
    size_t *end; /* indexes into ends[] */
};

static int endgrid_make(struct endgrid *g, const struct netbuild *b, const uint32_t *ends,
                        size_t n, double size)
{
    double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t k = 0; k < n; k++) {
        box[0] = fmin(box[0], b->x[ends[k]]), box[1] = fmin(box[1], b->y[ends[k]]);
        box[2] = fmax(box[2], b->x[ends[k]]), box[3] = fmax(box[3], b->y[ends[k]]);
    }
    g->x0 = box[0] - size, g->y0 = box[1] - size, g->size = size;
    g->nx = (long)((box[2] - g->x0) / size) + 2;
    g->ny = (long)((box[3] - g->y0) / size) + 2;
    size_t nb = (size_t)g->nx * (size_t)g->ny;
    g->first = calloc(nb + 1, sizeof *g->first);
    g->end = malloc((n ? n : 1) * sizeof *g->end);
    size_t *fill = malloc((nb ? nb : 1) * sizeof *fill);
    if (!g->first || !g->end || !fill) {
        free(fill);
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        long cx = (long)((b->x[ends[k]] - g->x0) / size), cy = (long)((b->y[ends[k]] - g->y0) / size);
        g->first[(size_t)cy * (size_t)g->nx + (size_t)cx + 1]++;
    }
    for (size_t i = 0; i < nb; i++)
        g->first[i + 1] += g->first[i];
    memcpy(fill, g->first, nb * sizeof *fill);
    for (size_t k = 0; k < n; k++) {
        long cx = (long)((b->x[ends[k]] - g->x0) / size), cy = (long)((b->y[ends[k]] - g->y0) / size);
        g->end[fill[(size_t)cy * (size_t)g->nx + (size_t)cx]++] = k;
    }
    free(fill);
    return 0;
}

/* For every end and each of up to FERRY_COMPS road components with a node
** within snap, the nearest such node (UINT32_MAX: none): a harbour's quay
** road may be a piece of its own beside the island's network. */
#define FERRY_COMPS 4

static void offer(uint32_t *best, double *bd, const uint32_t *comp, uint32_t i, double d)
{
    int worst = 0;
    for (int j = 0; j < FERRY_COMPS; j++) {
        if (best[j] != UINT32_MAX && comp[best[j]] == comp[i]) {
            if (d < bd[j] || (d == bd[j] && i < best[j]))
                bd[j] = d, best[j] = i;
            return;
        }
        if (best[j] == UINT32_MAX || bd[j] > bd[worst])
            worst = best[worst] == UINT32_MAX ? worst : j;
    }
    if (best[worst] == UINT32_MAX || d < bd[worst])
        bd[worst] = d, best[worst] = i;
}

/* Calls fn for every road node where a car can stop and every ferry end in
** the 3 x 3 buckets of g around it, with their squared distance; stops
** when fn returns non-zero, and returns that. */
typedef int (*end_fn)(void *arg, uint32_t node, size_t end, double d2);

static int scan_ends(const struct netbuild *b, const struct endgrid *g, const uint32_t *ends,
                     end_fn fn, void *arg)
{
    for (size_t i = 0; i < b->nnodes; i++) {
        if (!b->stop[i] || b->level[i] == LEVEL_FERRY)
            continue;
        long cx = (long)floor((b->x[i] - g->x0) / g->size);
        long cy = (long)floor((b->y[i] - g->y0) / g->size);
        for (long dy = -1; dy <= 1; dy++)
            for (long dx = -1; dx <= 1; dx++) {
                long ax = cx + dx, ay = cy + dy;
                if (ax < 0 || ay < 0 || ax >= g->nx || ay >= g->ny)
                    continue;
                size_t c = (size_t)ay * (size_t)g->nx + (size_t)ax;
                for (size_t j = g->first[c]; j < g->first[c + 1]; j++) {
                    size_t k = g->end[j];
                    double ex = b->x[ends[k]], ey = b->y[ends[k]];
                    double d = (b->x[i] - ex) * (b->x[i] - ex) + (b->y[i] - ey) * (b->y[i] - ey);
                    int rc = fn(arg, (uint32_t)i, k, d);
                    if (rc)
                        return rc;
                }
            }
    }
    return 0;
}

struct nearest_arg {
    const uint32_t *comp;
    double snap2;
    uint32_t *best;
    double *bd;
};

static int nearest_one(void *arg, uint32_t i, size_t k, double d)
{
    struct nearest_arg *a = arg;
    if (d <= a->snap2)
        offer(a->best + k * FERRY_COMPS, a->bd + k * FERRY_COMPS, a->comp, i, d);
    return 0;
}

static void nearest_roads(const struct netbuild *b, const uint32_t *comp, const uint32_t *ends,
                          size_t n, const struct endgrid *g, double snap, uint32_t *best,
                          double *bd)
{
    for (size_t k = 0; k < n * FERRY_COMPS; k++)
        best[k] = UINT32_MAX, bd[k] = snap * snap;
    struct nearest_arg a = {comp, snap * snap, best, bd};
    scan_ends(b, g, ends, nearest_one, &a);
}

/* The feature of a ferry segment at each end: endno[node] is the end's
** number + 1, 0 for other nodes. */
static void ferry_features(const struct netbuild *b, const uint32_t *endno, long *feature)
{
    for (size_t s = b->nseg; s-- > 0;) {
        if (b->kind[s] != GPCOV_SEG_FERRY)
            continue;
        if (endno[b->u[s]])
            feature[endno[b->u[s]] - 1] = b->feature[s];
        if (endno[b->v[s]])
            feature[endno[b->v[s]] - 1] = b->feature[s];
    }
}

/* Ends with no road near are gaps in a ferry line (the tiles it was cut
** from lost a piece): each is bridged to the nearest end of another piece
** without a road near, within GPCOV_FERRY_GAP_M, at the ferry speed. */
static gpcov_status bridge_gaps(gpcov_ctx *ctx, struct netbuild *b, const uint32_t *ends,
                                size_t n, const long *feature, const uint32_t *road, double kmh)
{
    uint32_t *comp = malloc((b->nnodes ? b->nnodes : 1) * sizeof *comp);
    size_t *open = malloc((n ? n : 1) * sizeof *open), no = 0;
    struct endgrid g = {0};
    gpcov_status st = GPCOV_OK;
    if (!comp || !open) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
        goto done;
    }
    gpcov_net_components(b, comp);
    uint32_t *sub = malloc((n ? n : 1) * sizeof *sub);
    if (!sub) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
        goto done;
    }
    for (size_t k = 0; k < n; k++)
        if (road[k] == UINT32_MAX)
            sub[no] = ends[k], open[no++] = k;
    if (no && endgrid_make(&g, b, sub, no, GPCOV_FERRY_GAP_M)) {
        free(sub);
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
        goto done;
    }
    for (size_t a = 0; a < no && !st; a++) {
        uint32_t e = sub[a];
        long cx = (long)floor((b->x[e] - g.x0) / g.size), cy = (long)floor((b->y[e] - g.y0) / g.size);
        double bd = GPCOV_FERRY_GAP_M * GPCOV_FERRY_GAP_M;
        size_t bj = SIZE_MAX;
        for (long dy = -1; dy <= 1; dy++)
            for (long dx = -1; dx <= 1; dx++) {
                long ax = cx + dx, ay = cy + dy;
                if (ax < 0 || ay < 0 || ax >= g.nx || ay >= g.ny)
                    continue;
                size_t c = (size_t)ay * (size_t)g.nx + (size_t)ax;
                for (size_t j = g.first[c]; j < g.first[c + 1]; j++) {
                    uint32_t o = sub[g.end[j]];
                    double d = (b->x[o] - b->x[e]) * (b->x[o] - b->x[e]) +
                               (b->y[o] - b->y[e]) * (b->y[o] - b->y[e]);
                    if (comp[o] != comp[e] && (d < bd || (d == bd && g.end[j] < bj)))
                        bd = d, bj = g.end[j];
                }
            }
        if (bj == SIZE_MAX)
            continue;
        double min = sqrt(bd) / (kmh * 1000.0 / 60.0);
        if (gpcov_net_add_seg(b, e, sub[bj], min, min, GPCOV_SEG_FERRY, feature[open[a]]))
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
    }
    free(sub);
done:
    free(comp), free(open), free(g.first), free(g.end);
    return st;
}

/* Harbours have one-way lanes (a queue in, an exit out): an end links to
** every road node of a component it joins that lies within GPCOV_HARBOUR_M
** of that component's nearest node, so a car can both board and leave. */
#define GPCOV_HARBOUR_M 150.0

struct harbour_arg {
    struct netbuild *b;
    const uint32_t *comp, *ends, *best;
    const double *bd;
    const long *feature;
    double kmh, snap;
};

static int harbour_one(void *arg, uint32_t i, size_t k, double d2)
{
    struct harbour_arg *a = arg;
    double d = sqrt(d2);
    for (int q = 0; q < FERRY_COMPS; q++) {
        uint32_t r = a->best[k * FERRY_COMPS + q];
        if (r == UINT32_MAX || r == i || a->comp[r] != a->comp[i] || d > a->snap ||
            d > sqrt(a->bd[k * FERRY_COMPS + q]) + GPCOV_HARBOUR_M)
            continue;
        double min = d / (a->kmh * 1000.0 / 60.0);
        if (gpcov_net_add_seg(a->b, i, a->ends[k], min, min, GPCOV_SEG_LINK, a->feature[k]))
            return -1;
    }
    return 0;
}

static int link_harbour(struct netbuild *b, const uint32_t *comp, const uint32_t *ends,
                        const struct endgrid *g, const uint32_t *best,
                        const double *bd, const long *feature, double kmh, double snap)
{
    struct harbour_arg a = {b, comp, ends, best, bd, feature, kmh, snap};
    return scan_ends(b, g, ends, harbour_one, &a);
}

/* A harbour whose nearest road is a one-way lane off the strongly
** connected part of its component (network_scc.c: the exit lane of a
** harbour whose queue in the data lacks) is also joined to the nearest
** node of that part within snap, so the ferry can be boarded there too. */
struct strong_arg {
    const uint32_t *comp, *best;
    const uint8_t *strong;
    uint32_t *sbest;
    double *sbd;
};

static int strong_one(void *arg, uint32_t i, size_t k, double d2)
{
    struct strong_arg *a = arg;
    if (!a->strong[i])
        return 0;
    for (int q = 0; q < FERRY_COMPS; q++) {
        size_t j = k * FERRY_COMPS + q;
        uint32_t r = a->best[j];
        if (r == UINT32_MAX || a->strong[r] || a->comp[r] != a->comp[i] || d2 > a->sbd[j] ||
            (d2 == a->sbd[j] && i > a->sbest[j]))
            continue;
        a->sbd[j] = d2, a->sbest[j] = i;
    }
    return 0;
}

static int link_strong(struct netbuild *b, const uint32_t *comp, const uint32_t *ends, size_t n,
                       const struct endgrid *g, const uint32_t *best, const long *feature,
                       double kmh, double snap)
{
    size_t m = (n ? n : 1) * FERRY_COMPS;
    uint32_t *sbest = malloc(m * sizeof *sbest);
    double *sbd = malloc(m * sizeof *sbd);
    uint8_t *strong = gpcov_net_strong(b, comp);
    int rc = !sbest || !sbd || !strong ? -1 : 0;
    for (size_t j = 0; !rc && j < n * FERRY_COMPS; j++)
        sbest[j] = UINT32_MAX, sbd[j] = snap * snap;
    struct strong_arg a = {comp, best, strong, sbest, sbd};
    if (!rc)
        scan_ends(b, g, ends, strong_one, &a);
    for (size_t j = 0; !rc && j < n * FERRY_COMPS; j++) {
        if (sbest[j] == UINT32_MAX)
            continue;
        double min = sqrt(sbd[j]) / (kmh * 1000.0 / 60.0);
        rc = gpcov_net_add_seg(b, sbest[j], ends[j / FERRY_COMPS], min, min, GPCOV_SEG_LINK,
                               feature[j / FERRY_COMPS]);
    }
    free(sbest), free(sbd), free(strong);
    return rc;
}

static gpcov_status join_ends(gpcov_ctx *ctx, struct netbuild *b, const uint32_t *ends, size_t n,
                              const long *feature, double snap, double kmh,
                              struct gpcov_network *net, uint8_t *harbour)
{
    struct endgrid g = {0};
    size_t m = (n ? n : 1) * FERRY_COMPS;
    uint32_t *best = malloc(m * sizeof *best), *any = malloc((n ? n : 1) * sizeof *any);
    double *bd = malloc(m * sizeof *bd);
    net->fends = calloc(n ? n : 1, sizeof *net->fends);
    gpcov_status st = GPCOV_OK;
    if (!best || !any || !bd || !net->fends || endgrid_make(&g, b, ends, n, snap)) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
        goto done;
    }
    nearest_roads(b, net->comp, ends, n, &g, snap, best, bd);
    for (size_t k = 0; k < n && !st; k++) {
        struct gpcov_ferry_end *fe = &net->fends[net->nfends++];
        fe->feature = feature[k];
        fe->x = b->x[ends[k]], fe->y = b->y[ends[k]];
        fe->dist = -1;
        any[k] = UINT32_MAX;
        for (int j = 0; j < FERRY_COMPS && !st; j++) {
            uint32_t r = best[k * FERRY_COMPS + j];
            if (r == UINT32_MAX)
                continue;
            double d = sqrt(bd[k * FERRY_COMPS + j]), min = d / (kmh * 1000.0 / 60.0);
            if (fe->dist < 0 || d < fe->dist)
                fe->dist = d;
            any[k] = r;
            harbour[ends[k]] = 1;
            if (gpcov_net_add_seg(b, r, ends[k], min, min, GPCOV_SEG_LINK, fe->feature))
                st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
        }
    }
    if (!st && link_harbour(b, net->comp, ends, &g, best, bd, feature, kmh, snap))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
    if (!st && link_strong(b, net->comp, ends, n, &g, best, feature, kmh, snap))
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
    if (!st)
        st = bridge_gaps(ctx, b, ends, n, feature, any, kmh);
done:
    free(g.first), free(g.end), free(best), free(bd), free(any);
    return st;
}

gpcov_status gpcov_net_ferries(gpcov_ctx *ctx, struct netbuild *b, double ferry_snap,
                               double ferry_kmh, double wait, struct gpcov_network *net)
{
    net->comp = malloc((b->nnodes ? b->nnodes : 1) * sizeof *net->comp);
    uint32_t *deg = ferry_degree(b);
    uint8_t *harbour = calloc(b->nnodes ? b->nnodes : 1, 1);
    uint32_t *ends = NULL;
    long *feature = NULL;
    gpcov_status st = GPCOV_OK;
    if (!net->comp || !deg || !harbour) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
        goto done;
    }
    net->ncomp_noded = gpcov_net_components(b, net->comp);
    size_t n = 0;
    for (size_t i = 0; i < b->nnodes; i++)
        n += deg[i] && deg[i] != 2;
    ends = malloc((n ? n : 1) * sizeof *ends);
    feature = calloc(n ? n : 1, sizeof *feature);
    if (!ends || !feature) {
        st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory joining the ferries");
        goto done;
    }
    n = 0;
    for (size_t i = 0; i < b->nnodes; i++) {
        int end = deg[i] && deg[i] != 2;
        if (end)
            ends[n++] = (uint32_t)i;
        deg[i] = end ? (uint32_t)n : 0; /* from here: the end's number + 1 */
    }
    ferry_features(b, deg, feature);
    if (n && (st = join_ends(ctx, b, ends, n, feature, ferry_snap, ferry_kmh, net, harbour)))
        goto done;
    for (size_t s = 0; s < b->nseg && wait > 0; s++) {
        if (b->kind[s] != GPCOV_SEG_FERRY)
            continue;
        if (harbour[b->u[s]])
            b->fw[s] += wait;
        if (harbour[b->v[s]])
            b->bw[s] += wait;
    }
    net->ncomp = gpcov_net_components(b, net->comp);
    label_main(net, net->comp, b->nnodes);
done:
    free(deg), free(harbour), free(ends), free(feature);
    return st;
}
