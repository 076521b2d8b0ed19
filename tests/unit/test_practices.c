/*
** test_practices.c: GP practices as registered (practices.c): a file in
** the shape of the SOR export (semicolon, Windows-1252, ="..." ids, A_X/A_Y
** in UTM32 with a decimal comma, capacity and open columns as a region's
** list adds them), a GeoJSON point layer with named fields, and the bad
** values that must be errors naming file, line and column.
*/
#include "gpcov.h"
#include "fixture.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Windows-1252: æ \xe6, ø \xf8, Å \xc5, Æ \xc6. */
static const char *SOR =
    "SorId;Enhedsnavn;Ydernummer;A_KK;A_X;A_Y;Antal kapaciteter;Tilgang\r\n"
    "=\"486451000016009\";L\xe6gerne N\xf8rrebrogade;012345;0101;723134,1;6177681,7;3;\xc5""ben\r\n"
    "=\"486461000016006\";L\xe6gehuset;012346;0101;724909,6;6179278,4;2;Lukket\r\n"
    "=\"486471000016004\";L\xe6geklinikken \xc6r\xf8sk\xf8""bing;023456;0492;590315,3;"
    "6083236,1;;\xc5""ben\r\n"
    "=\"486481000016002\";L\xe6s\xf8 L\xe6gepraksis;034567;0825;620050,2;6347525,7;1;\r\n";

static void case_sor(gpcov_ctx *ctx)
{
    fx_write("sor.csv", SOR);
    struct gpcov_practices *ps = NULL;
    gpcov_status st = gpcov_practices_read(ctx, fx_path("sor.csv"), NULL, &ps);
    OK(st == GPCOV_OK, "the SOR-shaped file reads (%s)", gpcov_ctx_message(ctx));
    if (st)
        return;
    OK(ps->n == 4, "four practices");
    OK(ps->sor == 1, "recognised as the SOR export shape");
    STREQ(ps->p[0].id, "486451000016009", "the SOR id without Excel's =\"...\"");
    STREQ(ps->p[0].name, "L\xc3\xa6gerne N\xc3\xb8rrebrogade", "the name in UTF-8");
    NEAR(ps->p[0].x, 723134.1, 1e-6, "x from A_X with a decimal comma");
    NEAR(ps->p[0].y, 6177681.7, 1e-6, "y from A_Y, EPSG:25832 as it is");
    NEAR(ps->p[0].capacity, 3, 0, "three capacities");
    OK(ps->p[0].open == 1 && !ps->p[0].open_reason, "Åben is open");
    OK(ps->p[1].open == 0, "Lukket is closed");
    OK(isnan(ps->p[2].capacity) && ps->p[2].capacity_reason &&
           strstr(ps->p[2].capacity_reason, "line 4") &&
           strstr(ps->p[2].capacity_reason, "Antal kapaciteter"),
       "an empty capacity is missing, with the line and column: %s",
       ps->p[2].capacity_reason ? ps->p[2].capacity_reason : "(none)");
    OK(ps->p[3].open == -1 && ps->p[3].open_reason && strstr(ps->p[3].open_reason, "Tilgang"),
       "an empty Tilgang is unknown (-1), with the reason");
    gpcov_practices_free(ps);
}

static void case_layer(gpcov_ctx *ctx)
{
    fx_write("gp.geojson",
             "{\"type\":\"FeatureCollection\",\"features\":["
             "{\"type\":\"Feature\",\"properties\":{\"ref\":\"A\",\"label\":\"One\",\"gps\":2,"
             "\"closed\":\"ja\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[12.5505,55.6935]}},"
             "{\"type\":\"Feature\",\"properties\":{\"ref\":\"B\",\"label\":\"Two\",\"gps\":null,"
             "\"closed\":\"nej\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[10.408,54.888]}}]}");
    struct gpcov_practices_opts po = {.id_field = "ref", .name_field = "label",
                                      .capacity_field = "gps", .open_field = "closed"};
    struct gpcov_practices *ps = NULL;
    gpcov_status st = gpcov_practices_read(ctx, fx_path("gp.geojson"), &po, &ps);
    OK(st == GPCOV_OK, "a point layer with named fields reads (%s)", gpcov_ctx_message(ctx));
    if (st)
        return;
    OK(ps->n == 2 && !ps->sor, "two practices, not the SOR shape");
    STREQ(ps->p[1].id, "B", "id from --id-field");
    NEAR(ps->p[0].x, 723134.1, 0.5, "lon/lat reprojected to EPSG:25832 (x)");
    NEAR(ps->p[0].y, 6177681.7, 0.5, "lon/lat reprojected to EPSG:25832 (y)");
    OK(ps->p[0].open == 0 && ps->p[1].open == 1,
       "a 'closed' column says the reverse: ja is closed, nej open");
    OK(isnan(ps->p[1].capacity) && ps->p[1].capacity_reason, "a null capacity is missing");
    gpcov_practices_free(ps);
}

static void case_errors(gpcov_ctx *ctx)
{
    struct gpcov_practices *ps = NULL;
    fx_write("badcap.csv", "SorId;Enhedsnavn;A_X;A_Y;Antal kapaciteter;Tilgang\n"
                           "1;A;723134;6177681;2;Åben\n2;B;724909;6179278;tre;Åben\n");
    gpcov_status st = gpcov_practices_read(ctx, fx_path("badcap.csv"), NULL, &ps);
    const char *msg = gpcov_ctx_message(ctx);
    OK(st == GPCOV_EINPUT && strstr(msg, "badcap.csv") && strstr(msg, "line 3") &&
           strstr(msg, "'tre'") && !ps,
       "a capacity that is no number is an error naming file, line and value: %s", msg);
    fx_write("badopen.csv", "SorId;A_X;A_Y;Tilgang\n1;723134;6177681;måske\n");
    st = gpcov_practices_read(ctx, fx_path("badopen.csv"), NULL, &ps);
    msg = gpcov_ctx_message(ctx);
    OK(st == GPCOV_EINPUT && strstr(msg, "line 2") && strstr(msg, "måske"),
       "an open value that is no yes/no is an error: %s", msg);
    fx_write("nocoord.csv", "SorId;A_X;A_Y\n1;;6177681\n");
    st = gpcov_practices_read(ctx, fx_path("nocoord.csv"), NULL, &ps);
    msg = gpcov_ctx_message(ctx);
    OK(st == GPCOV_EINPUT && strstr(msg, "line 2") && strstr(msg, "no coordinates"),
       "a practice without coordinates is an error: %s", msg);
    struct gpcov_practices_opts po = {.capacity_field = "Kapacitet"};
    fx_write("nocol.csv", "SorId;A_X;A_Y\n1;723134;6177681\n");
    st = gpcov_practices_read(ctx, fx_path("nocol.csv"), &po, &ps);
    msg = gpcov_ctx_message(ctx);
    OK(st == GPCOV_EINPUT && strstr(msg, "'Kapacitet'"), "a named column missing: %s", msg);
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    fx_make();
    RUN_ON(case_sor, ctx);
    RUN_ON(case_layer, ctx);
    RUN_ON(case_errors, ctx);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_failed ? 1 : 0;
}
