/* test_coverage.c: capacity-constrained coverage by hand-computed
** assignments.  The core on small explicit matrices: the processing order
** (nearest first, ties by practice, then by cell), a closed and an
** excluded practice, capacity exhausted, demand beyond the limit; the
** exact totals (served + unserved = demand per cell, no practice over its
** capacity) on random instances with fractional demand; and the whole run
** on a straight-line model over a row of four 1 km cells: the practices'
** capacities and open flags as read, the cells, the practices, the units
** and the rasters as written. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <math.h>

#define NANF ((float)NAN)

/* 4 cells, demand 100, 50, 80, 30; practices P0 (120 patients), P1
** (closed: 0), P2 (60); limit 30 min.
**   t(P0) =  5, 10, 20, 40   (cell 3 beyond the limit)
**   t(P1) =  1,  1,  1,  1   (closed: the nearest, takes no one)
**   t(P2) = 10, 10,  5, 25
** In order: (1, P1, *) nothing; (5, P0, c0) 100, P0 has 20 left;
** (5, P2, c2) 60, P2 full, c2 keeps 20; (10, P0, c1) 20, P0 full, c1 keeps
** 30; (10, P2, c0), (10, P2, c1), (20, P0, c2), (25, P2, c3) nothing.
** Served 100, 20, 60, 0; unserved 0, 30, 20, 30; assigned 120, 0, 60. */
static void hand_example(gpcov_ctx *ctx)
{
    const double dem[4] = {100, 50, 80, 30}, cap[3] = {120, 0, 60};
    const float t[12] = {5, 10, 20, 40, 1, 1, 1, 1, 10, 10, 5, 25};
    struct gpcov_cover_result r;
    OK(gpcov_coverage_result_alloc(ctx, 4, 3, &r) == GPCOV_OK, "allocated");
    OK(gpcov_coverage_matrix(ctx, 4, dem, 3, cap, t, 30, &r) == GPCOV_OK, "runs: %s",
       gpcov_ctx_message(ctx));
    const double sv[4] = {100, 20, 60, 0}, un[4] = {0, 30, 20, 30};
    for (int i = 0; i < 4; i++) {
        NEAR(r.served[i], sv[i], 0, "cell %d: served %g", i, sv[i]);
        NEAR(r.unserved[i], un[i], 0, "cell %d: unserved %g", i, un[i]);
    }
    NEAR(r.assigned[0], 120, 0, "P0 takes its 120");
    NEAR(r.assigned[1], 0, 0, "the closed P1, nearest to every cell, takes no one");
    NEAR(r.assigned[2], 60, 0, "P2 takes its 60 (all from cell 2, the nearest to it)");
    OK(r.first[0] == 0 && r.first[1] == 0 && r.first[2] == 2 && r.first[3] == -1,
       "served by P0, P0, P2, none");
    OK(r.first_minutes[2] == 5 && isnan(r.first_minutes[3]), "at 5 min; cell 3 none");
    OK(r.reached[3] == 1, "cell 3: P2 lies within 25 min but is full (unserved for capacity)");
    NEAR(r.demand_total, 260, 0, "demand 260");
    NEAR(r.served_total + 80, 260, 0, "served 180 + unserved 80 = 260");
    gpcov_coverage_result_clear(&r);
}

/* Ties: one cell of 100 at 10 min from P0 and P1 (70 each): the lower
** practice index goes first, so P0 takes 70 and P1 30.  One practice of 50
** at the same time from two cells of 40: the lower cell goes first (40,
** then 10).  An excluded practice (NaN) takes no one and has no
** remaining capacity. */
static void ties_and_excluded(gpcov_ctx *ctx)
{
    struct gpcov_cover_result r;
    const double d1[1] = {100}, c1[2] = {70, 70};
    const float t1[2] = {10, 10};
    gpcov_coverage_result_alloc(ctx, 1, 2, &r);
    OK(gpcov_coverage_matrix(ctx, 1, d1, 2, c1, t1, 30, &r) == GPCOV_OK, "tie of practices runs");
    OK(r.assigned[0] == 70 && r.assigned[1] == 30, "equal times: P0 (first in the input) 70, "
       "P1 30 (got %g, %g)", r.assigned[0], r.assigned[1]);
    OK(r.first[0] == 0, "the cell's practice is P0");
    gpcov_coverage_result_clear(&r);

    const double d2[2] = {40, 40}, c2[1] = {50};
    const float t2[2] = {7, 7};
    gpcov_coverage_result_alloc(ctx, 2, 1, &r);
    OK(gpcov_coverage_matrix(ctx, 2, d2, 1, c2, t2, 30, &r) == GPCOV_OK, "tie of cells runs");
    OK(r.served[0] == 40 && r.served[1] == 10, "equal times: cell 0 40, cell 1 10 (got %g, %g)",
       r.served[0], r.served[1]);
    OK(r.remaining[0] == 0, "the practice is full");
    gpcov_coverage_result_clear(&r);

    const double d3[1] = {10}, c3[2] = {NAN, 4};
    const float t3[2] = {1, 2};
    gpcov_coverage_result_alloc(ctx, 1, 2, &r);
    OK(gpcov_coverage_matrix(ctx, 1, d3, 2, c3, t3, 30, &r) == GPCOV_OK, "excluded runs");
    OK(r.assigned[0] == 0 && isnan(r.remaining[0]), "excluded P0: nothing, remaining unknown");
    OK(r.served[0] == 4 && r.unserved[0] == 6, "the cell gets 4 from P1, 6 unserved");
    gpcov_coverage_result_clear(&r);

    /* demand beyond the limit only: unserved, and not for want of capacity */
    const float t4[2] = {31, NANF};
    gpcov_coverage_result_alloc(ctx, 1, 2, &r);
    gpcov_coverage_matrix(ctx, 1, d3, 2, (const double[2]){50, 50}, t4, 30, &r);
    OK(r.served[0] == 0 && r.unserved[0] == 10 && r.reached[0] == 0,
       "31 min and unreachable: all 10 unserved, no practice within reach");
    gpcov_coverage_result_clear(&r);
}

static unsigned lcg(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xFFFFFF;
}

/* Random instances, fractional demand (people weighted by 1 or 2.5) and
** capacities x 1600: totals exact, no practice over its capacity, and no
** pair within the limit left with both unserved demand and free capacity. */
static void random_totals(gpcov_ctx *ctx)
{
    enum { NU = 300, NP = 25 };
    static double dem[NU], cap[NP];
    static float t[NU * NP];
    unsigned seed = 13;
    int bad_total = 0, over = 0, slack = 0;
    for (int rep = 0; rep < 20; rep++) {
        for (int i = 0; i < NU; i++)
            dem[i] = (lcg(&seed) % 400) + 1.5 * (lcg(&seed) % 30) + (lcg(&seed) % 1000) / 997.0;
        for (int j = 0; j < NP; j++)
            cap[j] = j % 7 == 3 ? 0 : (lcg(&seed) % 50) / 10.0 * 1600;
        for (int k = 0; k < NU * NP; k++)
            t[k] = (float)(lcg(&seed) % 600) / 10.0f;
        struct gpcov_cover_result r;
        gpcov_coverage_result_alloc(ctx, NU, NP, &r);
        gpcov_coverage_matrix(ctx, NU, dem, NP, cap, t, 30, &r);
        double sa = 0;
        for (int i = 0; i < NU; i++)
            bad_total += fabs(r.served[i] + r.unserved[i] - dem[i]) > 1e-9 * dem[i] ||
                         r.served[i] < 0 || r.unserved[i] < 0;
        for (int j = 0; j < NP; j++) {
            over += r.assigned[j] > cap[j] || r.remaining[j] < 0;
            sa += r.assigned[j];
        }
        bad_total += fabs(sa - r.served_total) > 1e-9 * r.demand_total;
        for (int j = 0; j < NP; j++)
            for (int i = 0; i < NU; i++)
                slack += t[j * NU + i] <= 30 && r.unserved[i] > 0 && r.remaining[j] > 0;
        gpcov_coverage_result_clear(&r);
    }
    OK(bad_total == 0, "20 random instances: served + unserved = demand in every cell, "
       "sum served = sum assigned (%d off)", bad_total);
    OK(over == 0, "no practice over its capacity (%d)", over);
    OK(slack == 0, "no pair within the limit with unserved demand and free capacity (%d)", slack);
}

static const char *keep_path(const char *name)
{
    static char pool[32][512];
    static int k;
    if (k == 32)
        abort();
    snprintf(pool[k], sizeof pool[k], "%s", fx_path(name));
    return pool[k++];
}

static double px(gpcov_ctx *ctx, const char *path, int c)
{
    struct gpcov_grid g = {0};
    float *v = NULL;
    double r = -999;
    if (gpcov_raster_read(ctx, path, &g, &v) == GPCOV_OK && c < g.nx)
        r = v[c];
    free(v);
    gpcov_grid_clear(&g);
    return r;
}

/* A field of the row whose field kf is kv, as text ("" when none). */
static const char *row_text(gpcov_ctx *ctx, const char *path, const char *kf, const char *kv,
                            const char *f, char *buf, size_t n)
{
    struct gpcov_layer *l = NULL;
    snprintf(buf, n, "(no row)");
    if (gpcov_layer_read(ctx, path, NULL, &l) != GPCOV_OK)
        return buf;
    int fk = gpcov_layer_field(l, kf), ff = gpcov_layer_field(l, f);
    char kb[200];
    for (size_t i = 0; fk >= 0 && ff >= 0 && i < l->n; i++)
        if (!strcmp(gpcov_value_text(l, i, fk, kb, sizeof kb), kv))
            gpcov_value_text(l, i, ff, buf, n);
    gpcov_layer_free(ctx, l);
    return buf;
}

#define CRS "{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::25832\"}}"

static struct gpcov_traveltime_opts tt;
static struct gpcov_coverage_opts o;

/* A row of four 1 km cells (0101: cells 0-1, 0147: cells 2-3), straight
** line at 1 min per km.  Practices: A in cell 0 (0.1 capacities x norm
** 1000 = 100), D in cell 1 (0.05 = 50), and in cell 3 B (capacity empty:
** excluded) and C (closed).  Demand 100, 200, 0, 300; limit 1.5 min.
** Pairs: (0, A, c0) 100, A full; (0, D, c1) 50, D full; (1, A, c1) and
** (1, D, c0) nothing; cell 3 is 2 and 3 min from D and A.
** Cells: 100/0, 50/150 (full), -, 0/300 (none within reach). */
static void model_setup(void)
{
    fx_write("row.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":" CRS ",\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"0101\",\"navn\":\"Vest\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[700000,6170000],[702000,6170000],[702000,6171000],"
        "[700000,6171000],[700000,6170000]]]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"147\",\"navn\":\"Øst\"},\"geometry\":"
        "{\"type\":\"Polygon\",\"coordinates\":[[[702000,6170000],[704000,6170000],[704000,6171000],"
        "[702000,6171000],[702000,6170000]]]}}\n]}\n");
    fx_write("prac.csv", "id,x,y,caps,open\nA,700500,6170500,0.1,ja\nB,703500,6170500,,ja\n"
                         "C,703500,6170500,0.2,nej\nD,701500,6170500,0.05,1\n");
    fx_write("people.csv", "x,y,population\n700400,6170400,100\n701500,6170500,200\n"
                           "703600,6170600,300\n");
    tt = (struct gpcov_traveltime_opts){.model = GPCOV_TT_STRAIGHT, .kmh = 60, .detour = 1,
                                        .extent = keep_path("row.geojson"), .resolution = 1000,
                                        .sources = keep_path("prac.csv"), .x_field = "x",
                                        .y_field = "y", .srs = "EPSG:25832", .source_id = "id"};
    o = (struct gpcov_coverage_opts){
        .tt = &tt, .capacity_field = "caps", .norm = 1000, .open_field = "open",
        .demand = keep_path("people.gpkg"), .max_minutes = 1.5, .supply_note = "test practices",
        .cells_output = keep_path("cells.csv"), .unserved_output = keep_path("unserved.csv"),
        .unserved_raster = keep_path("unserved.tif"), .served_raster = keep_path("served.tif"),
        .practices_output = keep_path("practices.csv"), .units = keep_path("row.geojson"),
        .units_key = "code", .units_name = "navn", .units_output = keep_path("units.csv")};
    /* the demand as points in EPSG:25832 */
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "ogr2ogr -q -f GPKG '%s' '%s' -oo X_POSSIBLE_NAMES=x "
             "-oo Y_POSSIBLE_NAMES=y -oo AUTODETECT_TYPE=YES -a_srs EPSG:25832",
             o.demand, fx_path("people.csv"));
    if (system(cmd) != 0)
        printf("# ogr2ogr failed\n");
}

static void model_run(gpcov_ctx *ctx)
{
    struct gpcov_coverage_summary s;
    gpcov_status st = gpcov_coverage(ctx, &o, &s);
    OK(st == GPCOV_OK, "coverage runs: %s", st ? gpcov_ctx_message(ctx) : "");
    OK(s.npractices == 4 && s.nopen == 2 && s.nclosed == 1 && s.nexcluded == 1,
       "4 practices: 2 open, 1 closed, 1 excluded (%zu %zu %zu %zu)", s.npractices, s.nopen,
       s.nclosed, s.nexcluded);
    OK(s.ncells == 3 && s.npairs == 4, "3 cells with demand, 4 pairs within 1.5 min (%zu, %zu)",
       s.ncells, s.npairs);
    NEAR(s.demand, 600, 0, "demand 600");
    NEAR(s.served, 150, 0, "served 150");
    NEAR(s.unserved, 450, 0, "unserved 450");
    NEAR(s.unserved_far, 300, 0, "300 of it with no practice with capacity within reach");
    NEAR(s.capacity, 150, 0, "capacity 0.1 x 1000 + 0.05 x 1000 = 150");
    gpcov_coverage_summary_clear(&s);
    NEAR(px(ctx, o.served_raster, 0), 100, 0, "served raster: cell 0 100");
    NEAR(px(ctx, o.unserved_raster, 1), 150, 0, "unserved raster: cell 1 150");
    OK(isnan(px(ctx, o.unserved_raster, 2)), "unserved raster: no demand in cell 2, nodata");
    NEAR(px(ctx, o.unserved_raster, 3), 300, 0, "unserved raster: cell 3 300");
    char b[300];
    STREQ(row_text(ctx, o.practices_output, "id", "A", "assigned", b, sizeof b), "100",
          "practice A: assigned 100");
    STREQ(row_text(ctx, o.practices_output, "id", "D", "remaining", b, sizeof b), "0",
          "practice D: nothing remaining");
    STREQ(row_text(ctx, o.practices_output, "id", "B", "reason", b, sizeof b),
          "udeladt: ingen kapacitet (caps tom)", "practice B: excluded, with its reason");
    STREQ(row_text(ctx, o.practices_output, "id", "B", "assigned", b, sizeof b), "",
          "practice B: assigned empty, not 0");
    STREQ(row_text(ctx, o.practices_output, "id", "C", "reason", b, sizeof b),
          "lukket for tilgang (open)", "practice C: closed");
    STREQ(row_text(ctx, o.practices_output, "id", "C", "practices_note", b, sizeof b),
          "test practices", "the practices' note is in the table");
    STREQ(row_text(ctx, o.cells_output, "cell", "1", "unserved_reason", b, sizeof b),
          "praksis inden for 1.5 min er fuldt belagt", "cell 1: unserved for want of capacity");
    STREQ(row_text(ctx, o.cells_output, "cell", "3", "unserved_reason", b, sizeof b),
          "ingen praksis med kapacitet inden for 1.5 min", "cell 3: none within reach");
    STREQ(row_text(ctx, o.cells_output, "cell", "1", "practice", b, sizeof b), "D",
          "cell 1 is served by D");
    STREQ(row_text(ctx, o.unserved_output, "cell", "0", "demand", b, sizeof b), "(no row)",
          "the unserved layer leaves out the fully served cell 0");
    STREQ(row_text(ctx, o.units_output, GPCOV_KEY_FIELD, "0101", "unserved_pct", b, sizeof b), "50",
          "unit 0101: 150 of 300 unserved, 50 %%");
    STREQ(row_text(ctx, o.units_output, GPCOV_KEY_FIELD, "0147", "unserved_far", b, sizeof b), "300",
          "unit 0147: 300 unserved with none within reach");
}

/* The same row of cells with the practices in the shape of the SOR export
** (semicolon CSV, Windows-1252, CRLF, ="..." ids, A_X/A_Y, decimal comma,
** 'Antal kapaciteter' and 'Tilgang' found by name, no field options): 1
** (A) open 0.1, 2 (B) no capacity, 3 (C) closed, 4 (D) open 0.05, 5 (E)
** Tilgang empty; the totals as with the plain layer. */
static void model_sor(gpcov_ctx *ctx)
{
    fx_write("sor.csv", "SorId;Enhedsnavn;A_X;A_Y;Antal kapaciteter;Tilgang\r\n"
                        "=\"11\";A;700500;6170500;0,1;\xc5""ben\r\n"
                        "=\"12\";B;703500;6170500;;\xc5""ben\r\n"
                        "=\"13\";C;703500,0;6170500,0;0,2;Lukket\r\n"
                        "=\"14\";D;701500;6170500;0,05;\xc5""ben\r\n"
                        "=\"15\";E;703400;6170500;3;\r\n");
    struct gpcov_traveltime_opts t2 = {.model = GPCOV_TT_STRAIGHT, .kmh = 60, .detour = 1,
                                       .extent = tt.extent, .resolution = 1000,
                                       .sources = keep_path("sor.csv")};
    struct gpcov_coverage_opts o2 = {.tt = &t2, .norm = 1000, .demand = o.demand,
                                     .max_minutes = 1.5, .cells_output = keep_path("sc.csv"),
                                     .practices_output = keep_path("sp.csv")};
    struct gpcov_coverage_summary s;
    gpcov_status st = gpcov_coverage(ctx, &o2, &s);
    OK(st == GPCOV_OK, "coverage reads the SOR shape: %s", st ? gpcov_ctx_message(ctx) : "");
    OK(s.npractices == 5 && s.nopen == 2 && s.nclosed == 1 && s.nexcluded == 2,
       "5 practices: 2 open, 1 closed, 2 excluded (%zu %zu %zu %zu)", s.npractices, s.nopen,
       s.nclosed, s.nexcluded);
    NEAR(s.demand, 600, 0, "demand 600");
    NEAR(s.served, 150, 0, "served 150");
    NEAR(s.unserved, 450, 0, "unserved 450 (served + unserved = demand)");
    NEAR(s.capacity, 150, 0, "capacity 0,1 x 1000 + 0,05 x 1000 = 150");
    NEAR(s.assigned, 150, 0, "assigned 150");
    gpcov_coverage_summary_clear(&s);
    char b[300];
    STREQ(row_text(ctx, o2.practices_output, "id", "11", "assigned", b, sizeof b), "100",
          "practice 11 (SorId without =\"\"): 100 assigned, its capacity");
    STREQ(row_text(ctx, o2.practices_output, "id", "14", "assigned", b, sizeof b), "50",
          "practice 14: 50 assigned, its capacity 0,05 x 1000");
    STREQ(row_text(ctx, o2.practices_output, "id", "12", "reason", b, sizeof b),
          "udeladt: ingen kapacitet (Antal kapaciteter tom)", "no capacity: excluded, reason");
    STREQ(row_text(ctx, o2.practices_output, "id", "12", "assigned", b, sizeof b), "",
          "no capacity: assigned empty, not 0");
    STREQ(row_text(ctx, o2.practices_output, "id", "13", "assigned", b, sizeof b), "0",
          "Lukket: takes no one");
    STREQ(row_text(ctx, o2.practices_output, "id", "13", "reason", b, sizeof b),
          "lukket for tilgang (Tilgang)", "Lukket: the reason");
    STREQ(row_text(ctx, o2.practices_output, "id", "15", "reason", b, sizeof b),
          "udeladt: ukendt om åben for tilgang (Tilgang tom)", "Tilgang empty: excluded");
    STREQ(row_text(ctx, o2.practices_output, "id", "15", "capacity", b, sizeof b), "",
          "Tilgang empty: capacity empty, not 0");
    STREQ(row_text(ctx, o2.cells_output, "cell", "3", "unserved_reason", b, sizeof b),
          "ingen praksis med kapacitet inden for 1.5 min", "cell 3: closed and excluded "
          "practices only, none with capacity within reach");
}

static void model_refusals(gpcov_ctx *ctx)
{
    struct gpcov_coverage_opts o2 = o;
    o2.cells_output = keep_path("c2.csv");
    o2.unserved_output = o2.unserved_raster = o2.served_raster = NULL;
    o2.practices_output = o2.units_output = NULL;
    fx_write("prac_bad.csv", "id,x,y,caps,open\nA,700500,6170500,0.1,kanske\n");
    struct gpcov_traveltime_opts t2 = tt;
    t2.sources = keep_path("prac_bad.csv");
    o2.tt = &t2;
    gpcov_status st = gpcov_coverage(ctx, &o2, NULL);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "prac_bad.csv: line 2 (practice 'A')") &&
       strstr(gpcov_ctx_message(ctx), "'kanske'"), "an open flag neither open nor closed is "
       "refused naming the practice: %s", gpcov_ctx_message(ctx));
    OK(access(o2.cells_output, F_OK) != 0, "and nothing is written");
    o2.tt = &tt;
    o2.cells_output = o.cells_output;
    st = gpcov_coverage(ctx, &o2, NULL);
    OK(st != GPCOV_OK && strstr(gpcov_ctx_message(ctx), "exists already"),
       "an existing output is refused: %s", gpcov_ctx_message(ctx));
}

int main(void)
{
    fx_make();
    gpcov_ctx *ctx = gpcov_ctx_new();
    RUN_ON(hand_example, ctx);
    RUN_ON(ties_and_excluded, ctx);
    RUN_ON(random_totals, ctx);
    model_setup();
    RUN_ON(model_run, ctx);
    RUN_ON(model_sor, ctx);
    RUN_ON(model_refusals, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
