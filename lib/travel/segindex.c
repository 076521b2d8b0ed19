/*
** segindex.c: the nearest point on a road segment, for many queries.  The
** chosen segments go into square buckets (every bucket their bounding box
** touches); a query searches rings of buckets outward from its own until
** no nearer point can lie beyond.  A distance transform over the buckets
** (rings to the nearest bucket with a segment) lets a query start at the
** first ring that holds anything, and answers "nothing within reach" at
** once for cells at sea or in roadless land.  Ties go to the lower
** segment number, so answers do not depend on bucket order.
*/
#include "segindex.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void gpcov_segindex_free(struct gpcov_segindex *ix)
{
    free(ix->first), free(ix->seg), free(ix->ring);
    memset(ix, 0, sizeof *ix);
}

static void seg_box(const struct gpcov_network *net, uint32_t s, const struct gpcov_segindex *ix,
                    long *c0, long *r0, long *c1, long *r1)
{
    double ax = net->x[net->seg_u[s]], ay = net->y[net->seg_u[s]];
    double bx = net->x[net->seg_v[s]], by = net->y[net->seg_v[s]];
    *c0 = (long)floor((fmin(ax, bx) - ix->x0) / ix->size);
    *c1 = (long)floor((fmax(ax, bx) - ix->x0) / ix->size);
    *r0 = (long)floor((fmin(ay, by) - ix->y0) / ix->size);
    *r1 = (long)floor((fmax(ay, by) - ix->y0) / ix->size);
    if (*c0 < 0) *c0 = 0;
    if (*r0 < 0) *r0 = 0;
    if (*c1 >= ix->nx) *c1 = ix->nx - 1;
    if (*r1 >= ix->ny) *r1 = ix->ny - 1;
}

/* Counts (fill == NULL) or places the chosen segments in their buckets. */
static void place(struct gpcov_segindex *ix, const struct gpcov_network *net,
                  const uint8_t *chosen, size_t *fill)
{
    for (size_t s = 0; s < net->nseg; s++) {
        if (!chosen[s])
            continue;
        long c0, r0, c1, r1;
        seg_box(net, (uint32_t)s, ix, &c0, &r0, &c1, &r1);
        for (long r = r0; r <= r1; r++)
            for (long c = c0; c <= c1; c++) {
                size_t b = (size_t)r * (size_t)ix->nx + (size_t)c;
                if (fill)
                    ix->seg[fill[b]++] = (uint32_t)s;
                else
                    ix->first[b + 1]++;
            }
    }
}

/* Rings (Chebyshev distance in buckets) to the nearest non-empty bucket,
** by two passes of a chamfer transform; capped at 65535. */
static void ring_transform(struct gpcov_segindex *ix)
{
    long nx = ix->nx, ny = ix->ny;
    uint16_t *d = ix->ring;
    for (long r = 0; r < ny; r++)
        for (long c = 0; c < nx; c++) {
            size_t b = (size_t)r * (size_t)nx + (size_t)c;
            d[b] = ix->first[b + 1] > ix->first[b] ? 0 : UINT16_MAX;
        }
    for (long r = 0; r < ny; r++)
        for (long c = 0; c < nx; c++) {
            uint16_t *p = &d[(size_t)r * (size_t)nx + (size_t)c];
            for (long dr = -1; dr <= 0; dr++)
                for (long dc = -1; dc <= 1; dc++) {
                    if ((dr == 0 && dc >= 0) || r + dr < 0 || c + dc < 0 || c + dc >= nx)
                        continue;
                    uint16_t q = d[(size_t)(r + dr) * (size_t)nx + (size_t)(c + dc)];
                    if (q != UINT16_MAX && q + 1 < *p)
                        *p = (uint16_t)(q + 1);
                }
        }
    for (long r = ny - 1; r >= 0; r--)
        for (long c = nx - 1; c >= 0; c--) {
            uint16_t *p = &d[(size_t)r * (size_t)nx + (size_t)c];
            for (long dr = 0; dr <= 1; dr++)
                for (long dc = -1; dc <= 1; dc++) {
                    if ((dr == 0 && dc <= 0) || r + dr >= ny || c + dc < 0 || c + dc >= nx)
                        continue;
                    uint16_t q = d[(size_t)(r + dr) * (size_t)nx + (size_t)(c + dc)];
                    if (q != UINT16_MAX && q + 1 < *p)
                        *p = (uint16_t)(q + 1);
                }
        }
}

int gpcov_segindex_make(struct gpcov_segindex *ix, const struct gpcov_network *net,
                        const uint8_t *chosen, const double box[4], double size)
{
    memset(ix, 0, sizeof *ix);
    ix->x0 = box[0], ix->y0 = box[1], ix->size = size;
    ix->nx = (long)ceil((box[2] - box[0]) / size) + 1;
    ix->ny = (long)ceil((box[3] - box[1]) / size) + 1;
    size_t nb = (size_t)ix->nx * (size_t)ix->ny;
    ix->first = calloc(nb + 1, sizeof *ix->first);
    ix->ring = malloc(nb * sizeof *ix->ring);
    if (!ix->first || !ix->ring)
        return -1;
    place(ix, net, chosen, NULL);
    for (size_t b = 0; b < nb; b++)
        ix->first[b + 1] += ix->first[b];
    ix->seg = malloc((ix->first[nb] ? ix->first[nb] : 1) * sizeof *ix->seg);
    size_t *fill = malloc(nb * sizeof *fill);
    if (!ix->seg || !fill) {
        free(fill);
        return -1;
    }
    memcpy(fill, ix->first, nb * sizeof *fill);
    place(ix, net, chosen, fill);
    free(fill);
    ring_transform(ix);
    return 0;
}

/* Squared distance from (x, y) to segment s, and where on it (0..1). */
static double seg_dist2(const struct gpcov_network *net, uint32_t s, double x, double y,
                        double *f)
{
    double ax = net->x[net->seg_u[s]], ay = net->y[net->seg_u[s]];
    double dx = net->x[net->seg_v[s]] - ax, dy = net->y[net->seg_v[s]] - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double px = ax + t * dx - x, py = ay + t * dy - y;
    *f = t;
    return px * px + py * py;
}

uint32_t gpcov_segindex_nearest(const struct gpcov_segindex *ix, const struct gpcov_network *net,
                                const uint8_t *flag, uint8_t mask, double x, double y,
                                double maxd, double *dist, double *f)
{
    long bx = (long)floor((x - ix->x0) / ix->size), by = (long)floor((y - ix->y0) / ix->size);
    if (bx < 0 || by < 0 || bx >= ix->nx || by >= ix->ny)
        return UINT32_MAX;
    long r0 = ix->ring[(size_t)by * (size_t)ix->nx + (size_t)bx];
    if (r0 == UINT16_MAX || (r0 - 1) * ix->size > maxd)
        return UINT32_MAX;
    double best = maxd * maxd, bf = 0;
    uint32_t bs = UINT32_MAX;
    long rmax = (long)ceil(maxd / ix->size) + 1;
    for (long r = r0; r <= rmax; r++) {
        /* every point in ring r is at least (r - 1) * size away */
        double ring_min = (r - 1) * ix->size;
        if (r > 1 && ring_min * ring_min > best)
            break;
        for (long dy = -r; dy <= r; dy++) {
            long step = (dy == -r || dy == r) ? 1 : 2 * r;
            for (long dx = -r; dx <= r; dx += step ? step : 1) {
                long cx = bx + dx, cy = by + dy;
                if (cx < 0 || cy < 0 || cx >= ix->nx || cy >= ix->ny)
                    continue;
                size_t k = (size_t)cy * (size_t)ix->nx + (size_t)cx;
                for (size_t j = ix->first[k]; j < ix->first[k + 1]; j++) {
                    uint32_t s = ix->seg[j];
                    if (!(flag[s] & mask))
                        continue;
                    double t, d = seg_dist2(net, s, x, y, &t);
                    if (d < best || (d == best && s < bs))
                        best = d, bs = s, bf = t;
                }
                if (r == 0)
                    break;
            }
        }
    }
    if (bs != UINT32_MAX) {
        *dist = sqrt(best);
        *f = bf;
    }
    return bs;
}
