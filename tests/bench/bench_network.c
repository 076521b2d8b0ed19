/*
** bench_network.c: gpcov's side of the network benchmark.  Reads the
** generated roads.gpkg through gpcov_network_read (timed), then computes
** travel times from each source node alone (timed per source, as
** pgr_drivingDistance does), and prints per source the number of reached
** nodes and the sum of their times, for comparison with pgRouting; and for
** the first source every node's time (by generator id) to DIR/gpcov_s1.csv.
**   usage: bench_network DIR SOURCE_ID...
*/
#include "gpcov.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const char *dir = argv[1];
    char path[1024];
    gpcov_ctx *ctx = gpcov_ctx_new();
    struct gpcov_network *net;
    struct gpcov_network_opts o = {.speed_field = "kmh"};
    snprintf(path, sizeof path, "%s/roads.gpkg", dir);
    double t0 = now();
    if (gpcov_network_read(ctx, path, &o, &net)) {
        fprintf(stderr, "%s\n", gpcov_ctx_message(ctx));
        return 1;
    }
    double t_load = now() - t0;
    /* generator ids by node: nodes.csv lists id,x,y in id order; match by
    ** coordinates through the nearest-node lookup of a grid hash */
    snprintf(path, sizeof path, "%s/nodes.csv", dir);
    FILE *f = fopen(path, "r");
    size_t cap = 1 << 20, n = 0;
    double *gx = malloc(cap * sizeof *gx), *gy = malloc(cap * sizeof *gy);
    char line[256];
    if (!f || !fgets(line, sizeof line, f))
        return 1;
    long id;
    double x, y;
    while (fscanf(f, "%ld,%lf,%lf", &id, &x, &y) == 3) {
        if (n == cap) {
            cap *= 2;
            gx = realloc(gx, cap * sizeof *gx);
            gy = realloc(gy, cap * sizeof *gy);
        }
        gx[n] = x, gy[n] = y, n++;
    }
    fclose(f);
    /* our node -> generator id: sort both by (x, y) */
    long *ours_to_gen = malloc(net->nnodes * sizeof *ours_to_gen);
    /* a coarse bucket grid over generator nodes */
    double minx = 1e18, miny = 1e18;
    for (size_t i = 0; i < n; i++)
        minx = fmin(minx, gx[i]), miny = fmin(miny, gy[i]);
    long bw = 4000, bh = 4000;
    long *head = malloc((size_t)(bw * bh) * sizeof *head), *next = malloc(n * sizeof *next);
    for (long i = 0; i < bw * bh; i++)
        head[i] = -1;
    for (size_t i = 0; i < n; i++) {
        long b = (long)((gy[i] - miny) / 150) * bw + (long)((gx[i] - minx) / 150);
        next[i] = head[b], head[b] = (long)i;
    }
    for (size_t u = 0; u < net->nnodes; u++) {
        long bx = (long)((net->x[u] - minx) / 150), by = (long)((net->y[u] - miny) / 150);
        ours_to_gen[u] = -1;
        for (long dy = -1; dy <= 1 && ours_to_gen[u] < 0; dy++)
            for (long dx = -1; dx <= 1 && ours_to_gen[u] < 0; dx++) {
                long cx = bx + dx, cy = by + dy;
                if (cx < 0 || cy < 0 || cx >= bw || cy >= bh)
                    continue;
                for (long i = head[cy * bw + cx]; i >= 0; i = next[i])
                    if (fabs(gx[i] - net->x[u]) < 0.006 && fabs(gy[i] - net->y[u]) < 0.006) {
                        ours_to_gen[u] = i + 1;
                        break;
                    }
            }
    }
    long *gen_to_ours = malloc((n + 1) * sizeof *gen_to_ours);
    for (size_t i = 0; i <= n; i++)
        gen_to_ours[i] = -1;
    for (size_t u = 0; u < net->nnodes; u++)
        if (ours_to_gen[u] > 0)
            gen_to_ours[ours_to_gen[u]] = (long)u;
    printf("gpcov load_s %.3f nodes %zu edges %zu\n", t_load, net->nnodes, net->nedges);
    double *t = malloc(net->nnodes * sizeof *t);
    for (int a = 2; a < argc; a++) {
        long gid = atol(argv[a]);
        uint32_t s = (uint32_t)gen_to_ours[gid];
        double t1 = now();
        gpcov_network_times(ctx, net, &s, NULL, 1, 0, t, NULL);
        double dt = now() - t1;
        long reached = 0;
        double sum = 0;
        for (size_t i = 0; i < net->nnodes; i++)
            if (isfinite(t[i]))
                reached++, sum += t[i];
        printf("gpcov source %ld seconds %.4f reached %ld sum %.9f\n", gid, dt, reached, sum);
        if (a == 2) {
            snprintf(path, sizeof path, "%s/gpcov_s1.csv", dir);
            FILE *o1 = fopen(path, "w");
            for (size_t i = 0; i < net->nnodes; i++)
                if (isfinite(t[i]))
                    fprintf(o1, "%ld,%.9f\n", ours_to_gen[i], t[i]);
            fclose(o1);
        }
    }
    return 0;
}
