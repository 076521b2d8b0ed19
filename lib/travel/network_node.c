/*
** network_node.c: nodes from the vertices of the road lines, segments
** between them, and the finished graph.  Road data cut into tiles, or
** converted through a coarse grid, repeats a junction's coordinates only
** to its precision: vertices closer than the snapping tolerance (default
** 0.5 m) are one node, found in a hash of grid cells twice the tolerance
** wide (the vertex's cell and the 3 neighbours on its near side).  Bridges
** and tunnels keep their level (network_internal.h), so a road passing
** under a bridge is not joined to it by a vertex that happens to lie
** within the tolerance.  The nearest compatible node wins; ties go to the
** older node, so the graph does not depend on hash order.
*/
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------- cell hash of nodes */

struct cellmap {
    size_t cap, n;
    int64_t *kx, *ky;
    uint32_t *head; /* UINT32_MAX: empty slot */
    uint32_t *next; /* per node: the next node in its cell */
    size_t capnext;
};

static uint64_t mix(int64_t a, int64_t b)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)b + 0x632BE59BD9B4E019ULL);
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 29);
}

static void cellmap_free(struct cellmap *m)
{
    free(m->kx), free(m->ky), free(m->head), free(m->next);
}

static int cellmap_grow(struct cellmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1 << 16;
    int64_t *kx = malloc(cap * sizeof *kx), *ky = malloc(cap * sizeof *ky);
    uint32_t *head = malloc(cap * sizeof *head);
    if (!kx || !ky || !head) {
        free(kx), free(ky), free(head);
        return -1;
    }
    memset(head, 0xFF, cap * sizeof *head);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->head[i] == UINT32_MAX)
            continue;
        size_t j = mix(m->kx[i], m->ky[i]) & (cap - 1);
        while (head[j] != UINT32_MAX)
            j = (j + 1) & (cap - 1);
        kx[j] = m->kx[i], ky[j] = m->ky[i], head[j] = m->head[i];
    }
    free(m->kx), free(m->ky), free(m->head);
    m->kx = kx, m->ky = ky, m->head = head, m->cap = cap;
    return 0;
}

/* The slot of cell (a, b): its head, or the empty slot where it goes. */
static size_t cellmap_slot(const struct cellmap *m, int64_t a, int64_t b)
{
    size_t j = mix(a, b) & (m->cap - 1);
    while (m->head[j] != UINT32_MAX && (m->kx[j] != a || m->ky[j] != b))
        j = (j + 1) & (m->cap - 1);
    return j;
}

/* ------------------------------------------------------------- nodes */

static int node_new(struct netbuild *b, double x, double y, int level, int end)
{
    if (b->nnodes == b->capn) {
        size_t c = b->capn ? b->capn * 2 : 1 << 15;
        double *nx = realloc(b->x, c * sizeof *nx);
        if (nx)
            b->x = nx;
        double *ny = realloc(b->y, c * sizeof *ny);
        if (ny)
            b->y = ny;
        int8_t *nl = realloc(b->level, c * sizeof *nl);
        if (nl)
            b->level = nl;
        uint8_t *ne = realloc(b->end, c * sizeof *ne);
        if (ne)
            b->end = ne;
        uint8_t *ns = realloc(b->stop, c * sizeof *ns);
        if (ns)
            b->stop = ns;
        if (!nx || !ny || !nl || !ne || !ns)
            return -1;
        b->capn = c;
    }
    size_t i = b->nnodes++;
    b->x[i] = x, b->y[i] = y, b->level[i] = (int8_t)level, b->end[i] = (uint8_t)end;
    b->stop[i] = 0;
    return 0;
}

static int compatible(const struct netbuild *b, uint32_t n, int level, int end)
{
    if (level == LEVEL_FERRY || b->level[n] == LEVEL_FERRY)
        return level == b->level[n];
    return b->level[n] == level || end || b->end[n];
}

/* The node for vertex (x, y) of the given level, made when none is within
** snap; UINT32_MAX on ENOMEM. */
static uint32_t node_for(struct netbuild *b, struct cellmap *m, double snap, double x, double y,
                         int level, int end, size_t *snapped)
{
    /* cells of twice the tolerance: a node within snap lies in this cell or
    ** the neighbours on the near side, a 2 x 2 block */
    double w = 2 * snap, fx = floor(x / w), fy = floor(y / w);
    int64_t a = (int64_t)fx, c = (int64_t)fy;
    int sx = x / w - fx < 0.5 ? -1 : 1, sy = y / w - fy < 0.5 ? -1 : 1;
    uint32_t best = UINT32_MAX;
    double bd = snap * snap;
    for (int dy = 0; dy <= 1; dy++)
        for (int dx = 0; dx <= 1; dx++) {
            if (!m->cap)
                continue;
            size_t j = cellmap_slot(m, a + dx * sx, c + dy * sy);
            for (uint32_t n = m->head[j]; n != UINT32_MAX; n = m->next[n]) {
                double d = (b->x[n] - x) * (b->x[n] - x) + (b->y[n] - y) * (b->y[n] - y);
                if (d <= bd && compatible(b, n, level, end) &&
                    (d < bd || best == UINT32_MAX || n < best))
                    bd = d, best = n;
            }
        }
    if (best != UINT32_MAX) {
        if (b->x[best] != x || b->y[best] != y)
            ++*snapped;
        return best;
    }
    if ((m->n + 1) * 2 > m->cap && cellmap_grow(m))
        return UINT32_MAX;
    if (b->nnodes >= UINT32_MAX - 1 || node_new(b, x, y, level, end))
        return UINT32_MAX;
    uint32_t id = (uint32_t)(b->nnodes - 1);
    if (b->nnodes > m->capnext) {
        size_t cn = m->capnext ? m->capnext * 2 : 1 << 15;
        uint32_t *nn = realloc(m->next, cn * sizeof *nn);
        if (!nn)
            return UINT32_MAX;
        m->next = nn, m->capnext = cn;
    }
    size_t j = cellmap_slot(m, a, c);
    if (m->head[j] == UINT32_MAX) {
        m->kx[j] = a, m->ky[j] = c, m->n++;
        m->next[id] = UINT32_MAX;
    } else {
        m->next[id] = m->head[j];
    }
    m->head[j] = id;
    return id;
}

/* ---------------------------------------------------------- segments */

int gpcov_net_add_seg(struct netbuild *b, uint32_t u, uint32_t v, double fw, double bw,
                      uint8_t kind, long feature)
{
    if (b->nseg == b->caps) {
        size_t c = b->caps ? b->caps * 2 : 1 << 16;
        uint32_t *nu = realloc(b->u, c * sizeof *nu);
        if (nu)
            b->u = nu;
        uint32_t *nv = realloc(b->v, c * sizeof *nv);
        if (nv)
            b->v = nv;
        double *nf = realloc(b->fw, c * sizeof *nf);
        if (nf)
            b->fw = nf;
        double *nb = realloc(b->bw, c * sizeof *nb);
        if (nb)
            b->bw = nb;
        uint8_t *nk = realloc(b->kind, c * sizeof *nk);
        if (nk)
            b->kind = nk;
        long *nfe = realloc(b->feature, c * sizeof *nfe);
        if (nfe)
            b->feature = nfe;
        if (!nu || !nv || !nf || !nb || !nk || !nfe)
            return -1;
        b->caps = c;
    }
    size_t s = b->nseg++;
    b->u[s] = u, b->v[s] = v, b->fw[s] = fw, b->bw[s] = bw, b->kind[s] = kind;
    b->feature[s] = feature;
    return 0;
}

/* The level of vertex i of line l: inner vertices of a bridge or tunnel
** keep the line's level, ends are on the ground (they meet the approach). */
static int vertex_level(const struct rawline *l, uint32_t i)
{
    if (l->level == LEVEL_FERRY)
        return LEVEL_FERRY;
    return (i == 0 || i + 1 == l->nv) ? LEVEL_GROUND : l->level;
}

static int node_line(struct netbuild *b, struct cellmap *m, double snap, const struct rawnet *r,
                     const struct rawline *l, size_t *snapped)
{
    uint32_t prev = UINT32_MAX;
    for (uint32_t i = 0; i < l->nv; i++) {
        double x = r->x[l->v0 + i], y = r->y[l->v0 + i];
        int end = i == 0 || i + 1 == l->nv;
        uint32_t id = node_for(b, m, snap, x, y, vertex_level(l, i), end, snapped);
        if (id == UINT32_MAX)
            return -1;
        if (l->kind == GPCOV_SEG_ROAD)
            b->stop[id] = 1;
        if (prev != UINT32_MAX && id != prev) {
            double px = r->x[l->v0 + i - 1], py = r->y[l->v0 + i - 1];
            double len = hypot(x - px, y - py);
            double min = l->ferry_total >= 0
                             ? (l->way_len > 0 ? l->ferry_total * len / l->way_len : 0)
                             : len / (l->kmh * 1000.0 / 60.0);
            double fw = l->oneway >= 0 ? min : INFINITY, bw = l->oneway <= 0 ? min : INFINITY;
            if (gpcov_net_add_seg(b, prev, id, fw, bw, l->kind, l->feature))
                return -1;
        }
        prev = id;
    }
    return 0;
}

gpcov_status gpcov_net_node(gpcov_ctx *ctx, const struct rawnet *r, double snap,
                            struct netbuild *b, size_t *snapped)
{
    struct cellmap m = {0};
    gpcov_status st = GPCOV_OK;
    *snapped = 0;
    for (size_t k = 0; k < r->nl; k++) {
        if (node_line(b, &m, snap, r, &r->l[k], snapped)) {
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory noding the road network");
            break;
        }
        if ((k & 0xFFFF) == 0 && (st = gpcov_progress(ctx, (double)k / r->nl, "noding roads")))
            break;
    }
    cellmap_free(&m);
    return st;
}

void gpcov_netbuild_free(struct netbuild *b)
{
    free(b->x), free(b->y), free(b->level), free(b->end), free(b->stop);
    free(b->u), free(b->v), free(b->fw), free(b->bw), free(b->kind), free(b->feature);
    memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------ the CSR */

static gpcov_status csr(gpcov_ctx *ctx, const struct netbuild *b, struct gpcov_network *net)
{
    size_t ne = 0;
    for (size_t s = 0; s < b->nseg; s++)
        ne += isfinite(b->fw[s]) + isfinite(b->bw[s]);
    net->nnodes = b->nnodes;
    net->nedges = ne;
    net->first = calloc(b->nnodes + 1, sizeof *net->first);
    net->to = malloc((ne ? ne : 1) * sizeof *net->to);
    net->minutes = malloc((ne ? ne : 1) * sizeof *net->minutes);
    size_t *fill = malloc((b->nnodes ? b->nnodes : 1) * sizeof *fill);
    if (!net->first || !net->to || !net->minutes || !fill) {
        free(fill);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory building the road graph");
    }
    for (size_t s = 0; s < b->nseg; s++) {
        net->first[b->u[s] + 1] += isfinite(b->fw[s]);
        net->first[b->v[s] + 1] += isfinite(b->bw[s]);
    }
    for (size_t i = 0; i < b->nnodes; i++)
        net->first[i + 1] += net->first[i];
    memcpy(fill, net->first, b->nnodes * sizeof *fill);
    for (size_t s = 0; s < b->nseg; s++) {
        if (isfinite(b->fw[s])) {
            size_t at = fill[b->u[s]]++;
            net->to[at] = b->v[s], net->minutes[at] = b->fw[s];
        }
        if (isfinite(b->bw[s])) {
            size_t at = fill[b->v[s]]++;
            net->to[at] = b->u[s], net->minutes[at] = b->bw[s];
        }
    }
    free(fill);
    return GPCOV_OK;
}

gpcov_status gpcov_net_finish(gpcov_ctx *ctx, struct netbuild *b, struct gpcov_network *net)
{
    gpcov_status st = csr(ctx, b, net);
    if (st)
        return st;
    size_t n = b->nseg ? b->nseg : 1;
    net->nseg = b->nseg;
    net->seg_fw = malloc(n * sizeof *net->seg_fw);
    net->seg_bw = malloc(n * sizeof *net->seg_bw);
    if (!net->seg_fw || !net->seg_bw)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory building the road graph");
    for (size_t s = 0; s < b->nseg; s++)
        net->seg_fw[s] = (float)b->fw[s], net->seg_bw[s] = (float)b->bw[s];
    net->seg_u = b->u, net->seg_v = b->v, net->seg_kind = b->kind;
    net->x = b->x, net->y = b->y, net->stop = b->stop;
    b->u = b->v = NULL;
    b->kind = b->stop = NULL;
    b->x = b->y = NULL;
    return GPCOV_OK;
}
