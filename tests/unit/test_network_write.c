/* test_network_write.c: the graph and node-time CSVs (network_write.c) on a
** three-node graph built by hand: the exact bytes, minutes that read back
** as the same doubles, an unreachable node left empty, a source id with a
** comma quoted, and an existing file refused. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"
#include "testfile.h"

#include <math.h>

int main(void)
{
    fx_make();
    int base = tf_entries(fx_dir);
    gpcov_ctx *ctx = gpcov_ctx_new();
    /* 0 (0,0) <-> 1 (300,400), 1 -> 2 (300,400.25); 0.1 is not exact in binary */
    double x[3] = {0, 300, 300}, y[3] = {0, 400, 400.25};
    size_t first[4] = {0, 1, 3, 3};
    uint32_t to[3] = {1, 0, 2};
    double minutes[3] = {0.1, 0.1, 1.0 / 3};
    struct gpcov_network net = {.nnodes = 3, .nedges = 3, .x = x, .y = y, .first = first,
                                .to = to, .minutes = minutes};
    gpcov_status st = gpcov_network_write_edges(ctx, &net, fx_path("edges.csv"), 0);
    OK(st == GPCOV_OK, "the edges are written: %s", gpcov_ctx_message(ctx));
    long n;
    char *s = tf_slurp(fx_path("edges.csv"), &n);
    STREQ(s, "edge,source,target,minutes,metres,x1,y1,x2,y2\n"
             "0,0,1,0.10000000000000001,500.000,0.00,0.00,300.00,400.00\n"
             "1,1,0,0.10000000000000001,500.000,300.00,400.00,0.00,0.00\n"
             "2,1,2,0.33333333333333331,0.250,300.00,400.00,300.00,400.25\n",
          "one row per directed edge, in CSR order, minutes to 17 digits");
    free(s);
    OK(strtod("0.33333333333333331", NULL) == 1.0 / 3, "17 digits read back as the same double");

    double t[3] = {2.5, INFINITY, 7};
    int32_t near[3] = {0, -1, 1};
    const char *ids[2] = {"7", "Ærø, west"};
    st = gpcov_network_write_nodes(ctx, &net, t, near, ids, fx_path("nodes.csv"), 0);
    OK(st == GPCOV_OK, "the node times are written: %s", gpcov_ctx_message(ctx));
    s = tf_slurp(fx_path("nodes.csv"), &n);
    STREQ(s, "node,x,y,minutes,nearest\n"
             "0,0.00,0.00,2.5,7\n"
             "1,300.00,400.00,,\n"
             "2,300.00,400.25,7,\"Ærø, west\"\n",
          "unreachable left empty, an id with a comma quoted");
    free(s);
    st = gpcov_network_write_nodes(ctx, &net, t, near, NULL, fx_path("nodes2.csv"), 0);
    s = tf_slurp(fx_path("nodes2.csv"), &n);
    OK(st == GPCOV_OK && s && strstr(s, "\n0,0.00,0.00,2.5,1\n"),
       "without ids, sources are numbered from 1");
    free(s);

    st = gpcov_network_write_edges(ctx, &net, fx_path("edges.csv"), 0);
    OK(st == GPCOV_EOUTPUT && strstr(gpcov_ctx_message(ctx), "exists already"),
       "an existing file is refused without overwrite (%s)", gpcov_ctx_message(ctx));
    OK(gpcov_network_write_edges(ctx, &net, fx_path("edges.csv"), 1) == GPCOV_OK,
       "and replaced with it");
    st = gpcov_network_write_edges(ctx, &net, "PG:dbname=x tables=edges", 1);
    OK(st == GPCOV_EUSAGE, "PostGIS is refused: CSV only (%s)", gpcov_ctx_message(ctx));
    st = gpcov_network_write_edges(ctx, &net, fx_path("no/such/dir/e.csv"), 0);
    OK(st == GPCOV_EOUTPUT, "an unwritable directory is an output error");
    OK(tf_entries(fx_dir) == base + 3, "no temporary left behind (%d new files)",
       tf_entries(fx_dir) - base);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
