/*
** fuzz_network.c: fuzz target for road-network ingestion.  An input that
** starts with '{' is a GeoJSON line layer (fields highway, speed, oneway);
** anything else is an OSM XML extract.  Either is written to /vsimem/ and
** read by gpcov_network_read (vertex merging, speeds, one-way and ferry
** handling); a graph that reads is then searched from its first node.
*/
#include "fuzz.h"

#include <math.h>

#define OSM "/vsimem/fuzz_network/roads.osm"
#define GEOJSON "/vsimem/fuzz_network/roads.geojson"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gpcov_ctx *ctx = fuzz_ctx();
    int json = size && data[0] == '{';
    const char *path = json ? GEOJSON : OSM;
    fuzz_vsimem(path, data, size);
    struct gpcov_network_opts o = {0};
    if (json) {
        o.speed_field = "speed";
        o.maxspeed_factor = size % 2 ? 0.9 : 0;
    } else {
        o.ferry_kmh = size % 2 ? 15 : 0;
    }
    struct gpcov_network *net = NULL;
    gpcov_status st = gpcov_network_read(ctx, path, &o, &net);
    fuzz_say(ctx, "network", st);
    if (st == GPCOV_OK && net) {
        if (net->nnodes) {
            double d = 0;
            long k = gpcov_network_nearest(net, net->x[0] + 10, net->y[0], &d);
            if (k < 0 || (size_t)k >= net->nnodes)
                abort();
            double *minutes = malloc(net->nnodes * sizeof *minutes);
            int32_t *nearest = malloc(net->nnodes * sizeof *nearest);
            uint32_t src[2] = {0, (uint32_t)(net->nnodes - 1)};
            double start[2] = {0, 1.5};
            if (!minutes || !nearest)
                abort();
            if (gpcov_network_times(ctx, net, src, start, 2, 60, minutes, nearest) == GPCOV_OK &&
                minutes[0] != 0)
                abort(); /* the first source's own node */
            free(minutes);
            free(nearest);
        }
    }
    gpcov_network_free(net);
    VSIUnlink(path);
    return 0;
}
