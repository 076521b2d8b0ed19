/* test_osmconf.c: an OSM file read with gpcov's cut configuration of the
** OSM driver (network_osmconf.c) keeps every tag the road reader needs: a
** one-way street, a roundabout, a bridge, maxspeed, a ferry with its
** duration, a key with a colon (--oneway-field oneway:motor_vehicle); and
** gives the same graph, edge for edge, as the driver's own configuration.
** Fails when a key is dropped from the lines layer or the interest in it
** loses a way. */
#include "fixture.h"
#include "travel/network_internal.h"
#include "tap.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>

/* A(12.000) -res, oneway:motor_vehicle- B(12.016) -res, oneway- C(12.032),
** all at 55.5 N; C -primary, maxspeed 60- D(12.032, 55.509); D -ferry
** 00:30- E(12.032, 55.599); D -roundabout- H(12.040, 55.509); a footway
** A-E and a stream (skipped), a building (an area), a bridge F-G across
** A-B with no shared node. */
static const char *osm =
    "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n"
    " <node id='1' lat='55.500' lon='12.000'/><node id='2' lat='55.500' lon='12.016'/>\n"
    " <node id='3' lat='55.500' lon='12.024'/><node id='4' lat='55.500' lon='12.032'/>\n"
    " <node id='5' lat='55.509' lon='12.032'/><node id='6' lat='55.554' lon='12.032'/>\n"
    " <node id='7' lat='55.599' lon='12.032'/><node id='8' lat='55.4955' lon='12.008'/>\n"
    " <node id='9' lat='55.5045' lon='12.008'/><node id='10' lat='55.509' lon='12.040'/>\n"
    " <node id='11' lat='55.52' lon='12.10'/><node id='12' lat='55.52' lon='12.101'/>\n"
    " <node id='13' lat='55.521' lon='12.101'/>\n"
    " <way id='1'><nd ref='1'/><nd ref='2'/><tag k='highway' v='residential'/>"
    "<tag k='oneway:motor_vehicle' v='yes'/></way>\n"
    " <way id='2'><nd ref='2'/><nd ref='3'/><nd ref='4'/><tag k='highway' v='residential'/>"
    "<tag k='oneway' v='yes'/><tag k='name' v='Ensrettet'/></way>\n"
    " <way id='3'><nd ref='4'/><nd ref='5'/><tag k='highway' v='primary'/>"
    "<tag k='maxspeed' v='60'/></way>\n"
    " <way id='4'><nd ref='5'/><nd ref='6'/><nd ref='7'/><tag k='route' v='ferry'/>"
    "<tag k='duration' v='00:30'/></way>\n"
    " <way id='5'><nd ref='1'/><nd ref='7'/><tag k='highway' v='footway'/></way>\n"
    " <way id='6'><nd ref='8'/><nd ref='9'/><tag k='highway' v='residential'/>"
    "<tag k='bridge' v='yes'/><tag k='layer' v='1'/></way>\n"
    " <way id='7'><nd ref='5'/><nd ref='10'/><tag k='highway' v='residential'/>"
    "<tag k='junction' v='roundabout'/></way>\n"
    " <way id='8'><nd ref='11'/><nd ref='12'/><tag k='waterway' v='stream'/></way>\n"
    " <way id='9'><nd ref='11'/><nd ref='12'/><nd ref='13'/><nd ref='11'/>"
    "<tag k='building' v='yes'/></way>\n"
    "</osm>\n";

/* The node nearest (x, y) in EPSG:25832. */
static long node_at(const struct gpcov_network *n, double x, double y)
{
    double d;
    return gpcov_network_nearest(n, x, y, &d);
}

/* A: the westernmost node (12.000 E). */
static long west(const struct gpcov_network *n)
{
    long k = 0;
    for (size_t i = 1; i < n->nnodes; i++)
        if (n->x[i] < n->x[k])
            k = (long)i;
    return k;
}

/* Reads the fixture with gpcov's configuration, or the driver's own. */
static struct gpcov_network *read_net(gpcov_ctx *ctx, const char *oneway, int drivers_own)
{
    struct gpcov_network_opts o = {.oneway_field = oneway};
    struct gpcov_network *net = NULL;
    const char *def = CPLFindFile("gdal", "osmconf.ini");
    if (drivers_own)
        CPLSetConfigOption("OSM_CONFIG_FILE", def);
    gpcov_status st = gpcov_network_read(ctx, fx_path("roads.osm"), &o, &net);
    CPLSetConfigOption("OSM_CONFIG_FILE", NULL);
    OK(st == GPCOV_OK && (def || !drivers_own), "the fixture reads (%s, %s): %s",
       oneway ? oneway : "oneway", drivers_own ? "the driver's osmconf.ini" : "gpcov's",
       gpcov_ctx_message(ctx));
    return net;
}

static double *times_from(gpcov_ctx *ctx, const struct gpcov_network *net, long from)
{
    double *t = malloc(net->nnodes * sizeof *t);
    uint32_t s = (uint32_t)from;
    if (t)
        gpcov_network_times(ctx, net, &s, NULL, 1, 0, t, NULL);
    return t;
}

static int same_graph(const struct gpcov_network *a, const struct gpcov_network *b)
{
    return a->nnodes == b->nnodes && a->nedges == b->nedges && a->ways_used == b->ways_used &&
           a->ways_skipped == b->ways_skipped && a->ways_ferry == b->ways_ferry &&
           a->ways_maxspeed == b->ways_maxspeed &&
           !memcmp(a->x, b->x, a->nnodes * sizeof *a->x) &&
           !memcmp(a->y, b->y, a->nnodes * sizeof *a->y) &&
           !memcmp(a->first, b->first, (a->nnodes + 1) * sizeof *a->first) &&
           !memcmp(a->to, b->to, a->nedges * sizeof *a->to) &&
           !memcmp(a->minutes, b->minutes, a->nedges * sizeof *a->minutes);
}

static void case_tags_kept(gpcov_ctx *ctx)
{
    struct gpcov_network *net = read_net(ctx, NULL, 0), *own = read_net(ctx, NULL, 1);
    if (!net || !own)
        goto out;
    OK(net->ways_used == 6 && net->ways_skipped == 2,
       "6 ways for cars (the ferry too), the footway and the stream skipped, the building an area "
       "(%zu used, %zu skipped)", net->ways_used, net->ways_skipped);
    OK(net->ways_ferry == 1 && net->ways_maxspeed == 1, "route=ferry and maxspeed read (%zu, %zu)",
       net->ways_ferry, net->ways_maxspeed);
    long A = west(net);
    double ax = net->x[A], ay = net->y[A];
    long B = node_at(net, ax + 1008, ay), C = node_at(net, ax + 2016, ay),
         D = node_at(net, ax + 2016, ay + 1001), E = node_at(net, ax + 2016, ay + 11013),
         F = node_at(net, ax + 504, ay - 500), H = node_at(net, ax + 2520, ay + 1001);
    double *ta = times_from(ctx, net, A), *tc = times_from(ctx, net, C),
           *th = times_from(ctx, net, H);
    if (ta && tc && th) {
        NEAR(ta[E] - ta[D], GPCOV_FERRY_WAIT_DEFAULT + 30, 1e-3,
             "D->E: boarding and the ferry's duration=00:30");
        NEAR(ta[D] - ta[C], 60 * 1.001 / 60, 0.01, "C->D: about 1 km at maxspeed 60");
        OK(isinf(tc[B]) && isinf(tc[A]), "oneway=yes: from C, B and A are unreachable");
        OK(isinf(th[D]), "junction=roundabout: from H, D is unreachable");
        OK(isinf(ta[F]), "bridge=yes: the bridge shares no node with A-B below it");
        OK(isfinite(tc[E]) && isfinite(ta[B]), "but C reaches E, and A reaches B");
    }
    free(ta), free(tc), free(th);
    OK(same_graph(net, own), "the same graph as with the driver's own osmconf.ini, edge for edge");
out:
    gpcov_network_free(net);
    gpcov_network_free(own);
}

/* a key with a colon keeps its name (no laundering to oneway_motor_vehicle) */
static void case_colon_key(gpcov_ctx *ctx)
{
    const char *k = "oneway:motor_vehicle";
    struct gpcov_network *net = read_net(ctx, k, 0), *own = read_net(ctx, k, 1);
    if (net && own) {
        long A = west(net);
        long B = node_at(net, net->x[A] + 1008, net->y[A]);
        double *tb = times_from(ctx, net, B);
        OK(tb && isinf(tb[A]), "--oneway-field %s: from B, A is unreachable", k);
        free(tb);
        OK(same_graph(net, own), "the same graph as with the driver's own osmconf.ini");
    }
    gpcov_network_free(net);
    gpcov_network_free(own);
}

/* The lines layer's fields, comma-separated, opened with conf (NULL: the
** driver's own), and its number of lines. */
static long lines_of(const char *conf, char *fields, size_t n)
{
    char **oo = conf ? CSLSetNameValue(NULL, "CONFIG_FILE", conf) : NULL;
    GDALDatasetH ds = GDALOpenEx(fx_path("roads.osm"), GDAL_OF_VECTOR, NULL,
                                 (const char *const *)oo, NULL);
    CSLDestroy(oo);
    fields[0] = 0;
    if (!ds)
        return -1;
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "lines"), from;
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    for (int i = 0; i < OGR_FD_GetFieldCount(d); i++)
        snprintf(fields + strlen(fields), n - strlen(fields), "%s%s", i ? "," : "",
                 OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)));
    long count = 0;
    OGRFeatureH f;
    while ((f = GDALDatasetGetNextFeature(ds, &from, NULL, NULL, NULL))) {
        count += from == l;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return count;
}

/* the configuration itself: the keys as fields, nothing else, same lines */
static void case_config(gpcov_ctx *ctx)
{
    (void)ctx;
    const char *keys[] = {"highway", "route", NULL, "oneway:motor_vehicle", "route"};
    char *conf = gpcov_osmconf_make(keys, 5);
    OK(conf != NULL, "a configuration is made (%s)", conf ? conf : "none");
    char cut[512], own[512];
    long n = lines_of(conf, cut, sizeof cut), m = lines_of(NULL, own, sizeof own);
    STREQ(cut, "highway,route,oneway:motor_vehicle",
          "its lines have the keys as fields, once each, unlaundered, and no other_tags or z_order");
    OK(strstr(own, "other_tags") && strstr(own, "z_order"),
       "the driver's own has other_tags and z_order (%s)", own);
    OK(n == 8 && n == m, "the same 8 lines either way (%ld, %ld)", n, m);
    gpcov_osmconf_free(conf);
    const char *bad[] = {"highway", "a,b"};
    conf = gpcov_osmconf_make(bad, 2);
    OK(!conf, "a key with a comma: no configuration (the driver's own is used)");
    gpcov_osmconf_free(conf);
    CPLSetConfigOption("OSM_CONFIG_FILE", "/nonexistent/osmconf.ini");
    conf = gpcov_osmconf_make(keys, 5);
    CPLSetConfigOption("OSM_CONFIG_FILE", NULL);
    OK(!conf, "OSM_CONFIG_FILE set: the user's configuration is left alone");
    gpcov_osmconf_free(conf);
}

int main(void)
{
    fx_make();
    fx_write("roads.osm", osm);
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(case_tags_kept, ctx);
    RUN_ON(case_colon_key, ctx);
    RUN_ON(case_config, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
