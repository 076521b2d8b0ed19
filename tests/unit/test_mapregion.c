/* test_mapregion.c: maps of one region and the threat rules in words.
** gpcov_layer_select keeps the units a condition selects (and counts those
** it cannot decide), and the figure of the selection zooms to it: a kept
** unit lands in the main map, a dropped one in no view, and no Bornholm
** box is drawn for a selection without Bornholm, and one with it draws
** the box at its own scale.  Unit names are written
** where they fit (a large square) and left out where they do not (a unit
** too small for its name), none overlapping.  gpcov_map_rules_note turns
** the GPCOV_RULES text of `gpcov threat` into a sentence, in English and
** in Danish, for the three ways rules combine. */
#include "gpcov.h"
#include "map/layout.h"
#include "tap.h"
#include "testfile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static gpcov_ctx *ctx;

static void add_unit(struct gpcov_layer *l, const char *key, const char *name, const char *region,
                     double x0, double y0, double side)
{
    char wkt[300];
    snprintf(wkt, sizeof wkt, "POLYGON((%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f))", x0,
             y0, x0 + side, y0, x0 + side, y0 + side, x0, y0 + side, x0, y0);
    long j = gpcov_layer_append(ctx, l, key, tf_wkt(ctx, wkt));
    gpcov_layer_set_str(ctx, l, (size_t)j, 0, name);
    if (region)
        gpcov_layer_set_str(ctx, l, (size_t)j, 1, region);
    gpcov_layer_set_num(ctx, l, (size_t)j, 2, (double)j);
}

/* Region 1081: two 40 km squares and a 1 km one with a long name; region
** 1084 far south-east, with a Bornholm; one unit without a region. */
static struct gpcov_layer *units(void)
{
    struct gpcov_layer *l = gpcov_layer_new("dk");
    gpcov_layer_add_field(ctx, l, "name", GPCOV_STR);
    gpcov_layer_add_field(ctx, l, "region_code", GPCOV_STR);
    gpcov_layer_add_field(ctx, l, "v", GPCOV_REAL);
    add_unit(l, "0851", "Aalborg", "1081", 540000, 6300000, 40000);
    add_unit(l, "0849", "Jammerbugt", "1081", 500000, 6300000, 40000);
    add_unit(l, "0825", "Et meget langt kommunenavn", "1081", 560000, 6290000, 1000);
    add_unit(l, "0101", "København", "1084", 700000, 6150000, 30000);
    add_unit(l, "0400", "Bornholm", "1084", 870000, 6120000, 30000);
    add_unit(l, "0999", "Uden region", NULL, 600000, 6200000, 30000);
    return l;
}

static void case_select(void)
{
    struct gpcov_layer *l = units();
    size_t und = 9;
    gpcov_status st = gpcov_layer_select(ctx, l, "region_code = '1081'", "dk", &und);
    OK(st == GPCOV_OK && l->n == 3 && und == 1, "3 of 6 kept, 1 undecided (no region) (%s)",
       st ? gpcov_ctx_message(ctx) : "");
    OK(l->n == 3 && !strcmp(l->keys[0], "0851") && !strcmp(l->keys[2], "0825"),
       "the kept units in their order");
    st = gpcov_layer_select(ctx, l, "region_code = '1084'", "dk", NULL);
    OK(st == GPCOV_EINPUT && l->n == 3, "selecting none is an error; the layer is unchanged");
    STREQ(gpcov_ctx_message(ctx), "dk: --where 'region_code = '1084'' selects none of the 3 features",
          "naming the expression");
    st = gpcov_layer_select(ctx, l, "regoin_code = '1081'", "dk", NULL);
    OK(st == GPCOV_EUSAGE && strstr(gpcov_ctx_message(ctx), "did you mean 'region_code'?"),
       "an unknown field: %s", gpcov_ctx_message(ctx));

    struct gpcov_map_panel p;
    gpcov_map_panel_init(&p);
    p.field = "v";
    p.classes = 2;
    struct gpcov_map_spec ms;
    gpcov_map_spec_init(&ms);
    ms.units = l;
    ms.panels = &p;
    ms.npanels = 1;
    ms.selected = 1;
    ms.unit_label_field = "name";
    struct gpcov_figure *fig = NULL;
    st = gpcov_figure_prepare(ctx, &ms, &fig);
    OK(st == GPCOV_OK && fig, "the selection's figure: %s", st ? gpcov_ctx_message(ctx) : "");
    if (!fig) {
        gpcov_layer_free(ctx, l);
        return;
    }
    double px, py;
    OK(gpcov_figure_locate(fig, 0, 560000, 6320000, &px, &py) == 0 &&
           gpcov_figure_locate(fig, 0, 715000, 6165000, &px, &py) != 0,
       "zoomed: Aalborg is on the map, København (not selected) is not");
    OK(!fig->views[V_EAST].on && !fig->views[V_CPH].on, "no Bornholm box, no capital inset");
    OK(fig->scale_km > 0, "a scale bar (%d km)", fig->scale_km);
    int aal = 0, jam = 0, tiny = 0, apart = 1;
    for (size_t i = 0; i < fig->nulabels; i++) {
        aal |= !strcmp(fig->ulabels[i].text, "Aalborg");
        jam |= !strcmp(fig->ulabels[i].text, "Jammerbugt");
        tiny |= !strcmp(fig->ulabels[i].text, "Et meget langt kommunenavn");
        for (size_t j = 0; j < i; j++)
            apart &= fabs(fig->ulabels[i].y - fig->ulabels[j].y) > LABEL_SIZE ||
                     fabs(fig->ulabels[i].x - fig->ulabels[j].x) > 40;
    }
    OK(aal && jam, "the names of the two large units are written (%zu labels)", fig->nulabels);
    OK(!tiny, "the name too long for its unit is left out");
    OK(apart, "no two names on top of each other");
    gpcov_figure_free(fig);
    gpcov_layer_free(ctx, l);
}

/* Region 1084, a capital square and a Bornholm as large: the box is drawn,
** at a smaller scale than the zoomed main map, not as large as it. */
static void case_bornholm(void)
{
    struct gpcov_layer *l = units();
    gpcov_status st = gpcov_layer_select(ctx, l, "region_code = '1084'", "dk", NULL);
    struct gpcov_map_panel p;
    gpcov_map_panel_init(&p);
    p.field = "v";
    p.classes = 2;
    struct gpcov_map_spec ms;
    gpcov_map_spec_init(&ms);
    ms.units = l;
    ms.panels = &p;
    ms.npanels = 1;
    struct gpcov_figure *fig = NULL;
    if (st == GPCOV_OK)
        st = gpcov_figure_prepare(ctx, &ms, &fig);
    OK(st == GPCOV_OK && fig && fig->views[V_EAST].on, "a Bornholm box with the mainland");
    OK(fig && fig->views[V_EAST].s < fig->views[V_MAIN].s &&
           (fig->views[V_EAST].sy1 - fig->views[V_EAST].sy0) * fig->views[V_EAST].s <
               0.5 * fig->hm,
       "at its own scale, under half the map's height");
    gpcov_figure_free(fig);
    gpcov_layer_free(ctx, l);
}

static const char RULES[] =
    "rules (weighted score):\n"
    "  threatened where the score >= 0.5\n"
    "  crowded: skipped, unknown indicator 'patients_per_capacity'\n"
    "  ageing: share80_2035 > 7.56802426 + 1   (written as: share80_2035 > wmean(share80_2035, "
    "pop_2035) + 1)   weight 1\n"
    "  remote: share_far60 > 25   weight 2\n"
    "  recruit: young_per_post > 4013.160575   (written as: young_per_post > "
    "percentile(young_per_post, 75))   weight 1\n"
    "24 of 98 units threatened, 2 undecided (an indicator is missing)\n";

static void case_rules(void)
{
    char *s = NULL;
    const char *labels[] = {"ageing=aldring", "share80_2035=andel 80+ i 2035|%",
                            "remote=fjern", "crowded=overfyldt", NULL};
    gpcov_status st = gpcov_map_rules_note(ctx, RULES, labels, 1, &s);
    STREQ(st ? gpcov_ctx_message(ctx) : s,
          "Regler: overfyldt: ikke brugt, patients_per_capacity mangler; aldring: andel 80+ i "
          "2035 > 8,57\xc2\xa0% (vægtet gennemsnit + 1); fjern (vægt 2): share_far60 > 25; recruit: "
          "young_per_post > 4.013 (75. percentil). Truet når de regler, der slår til, bærer "
          "mindst halvdelen af vægten.",
          "in Danish, with the words given");
    free(s);
    s = NULL;
    st = gpcov_map_rules_note(ctx, RULES, NULL, 0, &s);
    STREQ(st ? gpcov_ctx_message(ctx) : s,
          "Rules: crowded: not used, patients_per_capacity is missing; ageing: share80_2035 > "
          "8.57 (weighted mean + 1); remote (weight 2): share_far60 > 25; recruit: "
          "young_per_post > 4,013 (percentile 75). Threatened when the rules that hold carry "
          "at least half the weight.",
          "in English, with the names");
    free(s);
    s = NULL;
    st = gpcov_map_rules_note(ctx, "rules (any one suffices):\n  far: d >= 30.5\n", NULL, 1, &s);
    STREQ(st ? gpcov_ctx_message(ctx) : s,
          "Regler: far: d \xe2\x89\xa5 30,5. Truet når mindst én regel slår til.", "any, ≥");
    free(s);
    s = NULL;
    st = gpcov_map_rules_note(ctx, "rules (all must hold):\n  a: x > 1\n  b: y < 2\n", NULL, 0, &s);
    STREQ(st ? gpcov_ctx_message(ctx) : s,
          "Rules: a: x > 1; b: y < 2. Threatened when every rule holds.", "all");
    free(s);
    s = NULL;
    st = gpcov_map_rules_note(ctx, "see threat.gpkg", NULL, 0, &s);
    OK(st == GPCOV_EINPUT && !s, "text not from gpcov threat is an error");
}

int main(void)
{
    ctx = gpcov_ctx_new();
    RUN(case_select);
    RUN(case_bornholm);
    RUN(case_rules);
    gpcov_ctx_free(ctx);
    return tap_done();
}
