/* test_network.c: the road graph and its travel times, by hand-computed
** answers on a small network with a one-way street, a ferry, a footway and
** a bridge; then the real OSM extract of Copenhagen loads and routes. */
#include "fixture.h"
#include "travel/travel_internal.h"
#include "tap.h"

#include <math.h>

static long node_at(const struct gpcov_network *n, double x, double y)
{
    double d;
    long i = gpcov_network_nearest(n, x, y, &d);
    return d < 0.01 ? i : -1;
}

/* a small network by hand: nodes, components, ferry ends, times */
static void case_small_network(gpcov_ctx *ctx)
{
    /* A(0,0) -res- B(1000,0) -res,oneway- C(2000,0) -primary 60- D(2000,1000)
    ** -ferry 00:30- E(2000,11000); a footway A-E (not for cars); a bridge
    ** F(500,-500)-G(500,500) crossing A-B without a shared node. */
    fx_write("roads.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"residential\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1000,0]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"residential\",\"oneway\":\"yes\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1000,0],[1500,0],[2000,0]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"primary\",\"maxspeed\":\"60\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[2000,0],[2000,1000]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"route\":\"ferry\",\"duration\":\"00:30\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[2000,1000],[2000,6000],[2000,11000]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"footway\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[0,0],[2000,11000]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"residential\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[500,-500],[500,500]]}}\n]}\n");
    struct gpcov_network *net = NULL;
    gpcov_status st = gpcov_network_read(ctx, fx_path("roads.geojson"), NULL, &net);
    OK(st == GPCOV_OK, "the small network reads: %s", gpcov_ctx_message(ctx));
    if (!net)
        return;
    OK(net->ways_used == 5 && net->ways_skipped == 1, "5 ways for cars, the footway skipped (%zu, %zu)",
       net->ways_used, net->ways_skipped);
    OK(net->ways_ferry == 1 && net->ways_maxspeed == 1, "one ferry, one maxspeed");
    long A = node_at(net, 0, 0), B = node_at(net, 1000, 0), C = node_at(net, 2000, 0),
         D = node_at(net, 2000, 1000), E = node_at(net, 2000, 11000), F = node_at(net, 500, -500);
    OK(A >= 0 && B >= 0 && C >= 0 && D >= 0 && E >= 0 && F >= 0, "nodes where the vertices are");
    OK(net->nnodes == 10, "10 nodes: shared vertices merged, the bridge not joined, the ferry's "
       "end at D a node of its own joined to D (%zu)", net->nnodes);
    OK(net->nfends == 2 && net->fends[0].dist == 0 && net->fends[1].dist < 0,
       "the ferry end at D joins the road at 0 m, the one at E (no road) joins nothing");
    OK(net->ncomp_noded == 3 && net->ncomp == 2,
       "3 components before the ferry is joined (roads, ferry, bridge), 2 after (%zu, %zu)",
       net->ncomp_noded, net->ncomp);
    /* residential at its default speed; the wait is added leaving D */
    double res = 60.0 / gpcov_network_class_kmh("residential"), wait = GPCOV_FERRY_WAIT_DEFAULT;
    double *t = malloc(net->nnodes * sizeof *t);
    int32_t *near = malloc(net->nnodes * sizeof *near);
    uint32_t s = (uint32_t)A;
    gpcov_network_times(ctx, net, &s, NULL, 1, 0, t, near);
    NEAR(t[B], res, 1e-5, "A->B: 1 km at the residential speed");
    NEAR(t[C], 2 * res, 1e-5, "A->C: along the one-way street, 2 km");
    NEAR(t[D], 2 * res + 1, 1e-5, "A->D: plus 1 km at maxspeed 60");
    NEAR(t[E], 2 * res + 1 + wait + 30, 1e-4,
         "A->E: plus boarding and the ferry's 30 min duration");
    OK(isinf(t[F]), "the bridge end is not reachable (no shared node)");
    s = (uint32_t)C;
    gpcov_network_times(ctx, net, &s, NULL, 1, 0, t, near);
    OK(isinf(t[A]) && isinf(t[B]), "from C, A and B are unreachable against the one-way street");
    NEAR(t[E], 1 + wait + 30, 1e-4, "C->E: 1 min to D, boarding, 30 min at sea");
    /* two sources, start times, nearest, cut-off */
    uint32_t two[2] = {(uint32_t)A, (uint32_t)E};
    double start[2] = {0, 1};
    gpcov_network_times(ctx, net, two, start, 2, 0, t, near);
    long M = node_at(net, 2000, 6000); /* halfway across the ferry */
    OK(near[D] == 0 && fabs(t[D] - (2 * res + 1)) < 1e-5,
       "D is reached from A before E (1 + 30, no boarding at E: no harbour there)");
    OK(M >= 0 && near[M] == 1 && fabs(t[M] - 16) < 1e-4,
       "mid-ferry: from E 1 + 15 = 16 min beats A's road, boarding and 15 (src %d, %.2f)",
       M >= 0 ? near[M] : -9,
       M >= 0 ? t[M] : -1);
    gpcov_network_times(ctx, net, two, NULL, 2, 3, t, near);
    OK(fabs(t[B] - res) < 1e-5 && isinf(t[C]) && near[C] == -1, "max 3 minutes: B in, C out");
    free(t);
    free(near);
    gpcov_network_free(net);
}

/* an OGR line layer with its own speed field but no CRS, and a layer
** with no roads for cars */
static void case_refused_layers(gpcov_ctx *ctx)
{
    fx_write("speedy.csv", "WKT,kmh\n\"LINESTRING (0 0,6000 0)\",60\n");
    fx_write("speedy.prj", "");
    struct gpcov_network_opts o = {.speed_field = "kmh"};
    struct gpcov_network *net = NULL;
    gpcov_status st = gpcov_network_read(ctx, fx_path("speedy.csv"), &o, &net);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "has no CRS"),
       "a road layer without CRS is refused: %s", gpcov_ctx_message(ctx));
    gpcov_network_free(net);
    net = NULL;
    fx_write("paths.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
        "{\"highway\":\"footway\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
        "[[12,55],[12.01,55]]}}]}");
    st = gpcov_network_read(ctx, fx_path("paths.geojson"), NULL, &net);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "no roads that cars use"),
       "no roads: %s", gpcov_ctx_message(ctx));
}

/* the real extract: OSM XML through GDAL's OSM driver */
static void case_osm_extract(gpcov_ctx *ctx)
{
    char osm[512];
    snprintf(osm, sizeof osm, "%s/osm/copenhagen_universitetsparken_2017-03-10.osm",
             getenv("DATA") ? getenv("DATA") : "../shared/data");
    struct gpcov_network *net = NULL;
    gpcov_status st = gpcov_network_read(ctx, osm, NULL, &net);
    OK(st == GPCOV_OK, "the Copenhagen OSM extract loads: %s", gpcov_ctx_message(ctx));
    if (net) {
        OK(net->ways_used > 100 && net->ways_maxspeed >= 20, "%zu car ways, %zu with maxspeed",
           net->ways_used, net->ways_maxspeed);
        /* route from the node nearest the middle of the extract (12.565 E, 55.7056 N) */
        double d;
        long u = gpcov_network_nearest(net, 723976, 6179074, &d);
        double *t = malloc(net->nnodes * sizeof *t);
        uint32_t s = (uint32_t)u;
        gpcov_network_times(ctx, net, &s, NULL, 1, 0, t, NULL);
        size_t reach = 0;
        double mx = 0;
        for (size_t i = 0; i < net->nnodes; i++)
            if (isfinite(t[i])) {
                reach++;
                mx = fmax(mx, t[i]);
            }
        OK(u >= 0 && d < 300, "a node within 300 m of the extract's middle (%.0f m)", d);
        OK(reach > net->nnodes * 8 / 10 && mx > 1 && mx < 15,
           "most of the extract is reachable (%zu of %zu nodes), farthest %.1f min", reach,
           net->nnodes, mx);
        free(t);
        gpcov_network_free(net);
    }
}

/* an island harbour with only its exit lane: the ferry lands at H1(0,11000)
** on a one-way lane H1->H2(0,11100)->I1(0,11250) into the island's two-way
** road I1-I2(0,12250); the mainland A(0,0)-P(0,1000); the ferry P-H1 takes
** 30 min.  I1 is 250 m from the ferry end, beyond the harbour's 150 m, so
** without a join to the island's strongly connected part the island could
** be reached but never left. */
static void case_exit_lane_only(gpcov_ctx *ctx)
{
    fx_write("lane.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}},\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"residential\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[0,0],[0,1000]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"route\":\"ferry\",\"duration\":\"00:30\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,1000],[0,6000],[0,11000]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"residential\",\"oneway\":\"yes\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,11000],[0,11100],[0,11250]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"residential\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[0,11250],[0,12250]]}}\n]}\n");
    struct gpcov_network *net = NULL;
    gpcov_status st = gpcov_network_read(ctx, fx_path("lane.geojson"), NULL, &net);
    OK(st == GPCOV_OK, "the harbour with an exit lane only reads: %s", gpcov_ctx_message(ctx));
    if (!net)
        return;
    long A = node_at(net, 0, 0), I1 = node_at(net, 0, 11250), I2 = node_at(net, 0, 12250);
    double res = 60.0 / gpcov_network_class_kmh("residential"), wait = GPCOV_FERRY_WAIT_DEFAULT;
    double link = 250 / (GPCOV_FERRY_KMH_DEFAULT * 1000.0 / 60.0);
    double *t = malloc(net->nnodes * sizeof *t), back;
    uint32_t s = (uint32_t)I2;
    gpcov_network_times(ctx, net, &s, NULL, 1, 0, t, NULL);
    NEAR(t[A], res + link + wait + 30 + res, 1e-4,
         "island to mainland: 1 km to I1, 250 m to the ferry end, boarding, 30 min at sea, "
         "1 km (%.3f)", t[A]);
    s = (uint32_t)A;
    gpcov_network_times(ctx, net, &s, NULL, 1, 0, t, NULL);
    back = t[I2];
    NEAR(back, res + wait + 30 + fmin(0.25 * res, link) + res, 1e-4,
         "mainland to island: the same ferry, then the exit lane or the join (%.3f)", back);
    OK(I1 >= 0 && isfinite(t[I1]), "I1 is reached from the mainland");
    free(t);
    gpcov_network_free(net);
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_small_network, ctx);
    RUN_ON(case_exit_lane_only, ctx);
    RUN_ON(case_refused_layers, ctx);
    RUN_ON(case_osm_extract, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
