/* test_select.c: gpcov_units_select, the one selection of units that
** `map --where` and `webmap --where` share.  The condition may use the
** fields of layers joined by key; a unit a joined layer lacks, or whose
** value there is null, is undecided and named, with its name and the
** fields it lacks; a field no layer has is refused with the nearest one of
** any layer; selecting nothing is left to the caller. */
#include "gpcov.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static gpcov_ctx *ctx;

/* Four units with a name and a region; a joined table with ppc for three
** of them, null for one. */
static struct gpcov_layer *units(void)
{
    static const char *const keys[] = {"0101", "0147", "0400", "0411"};
    static const char *const names[] = {"København", "Frederiksberg", "Bornholm",
                                        "Christiansø"};
    struct gpcov_layer *l = gpcov_layer_new("dk");
    gpcov_layer_add_field(ctx, l, "name", GPCOV_STR);
    gpcov_layer_add_field(ctx, l, "region_code", GPCOV_STR);
    for (size_t i = 0; i < 4; i++) {
        long j = gpcov_layer_append(ctx, l, keys[i], NULL);
        gpcov_layer_set_str(ctx, l, (size_t)j, 0, names[i]);
        gpcov_layer_set_str(ctx, l, (size_t)j, 1, "1084");
    }
    return l;
}

static struct gpcov_layer *table(void)
{
    struct gpcov_layer *t = gpcov_layer_new("t");
    gpcov_layer_add_field(ctx, t, "ppc", GPCOV_REAL);
    gpcov_layer_set_num(ctx, t, (size_t)gpcov_layer_append(ctx, t, "0101", NULL), 0, 1500);
    gpcov_layer_set_num(ctx, t, (size_t)gpcov_layer_append(ctx, t, "0147", NULL), 0, 1700);
    gpcov_layer_set_null(t, (size_t)gpcov_layer_append(ctx, t, "0400", NULL), 0);
    return t;
}

static void case_join(void)
{
    struct gpcov_layer *u = units(), *t = table();
    const struct gpcov_layer *joins[] = {t};
    struct gpcov_select_spec spec = {.where = "region_code = '1084' and ppc < 1600",
                                     .joins = joins, .njoins = 1, .name_field = 0};
    struct gpcov_selection sel;
    gpcov_status st = gpcov_units_select(ctx, u, &spec, &sel);
    OK(st == GPCOV_OK && sel.kept == 1 && sel.keep[0] == 1 && !sel.keep[1] && !sel.keep[2] &&
           !sel.keep[3],
       "a field of the joined layer decides: 0101 only (%s)", st ? gpcov_ctx_message(ctx) : "");
    OK(sel.undecided == 2, "0400 (null) and 0411 (not joined) undecided (%zu)", sel.undecided);
    STREQ(sel.undecided_list, "0400 Bornholm, 0411 Christiansø", "named with their names");
    STREQ(sel.missing, "ppc", "with the field they lack");
    gpcov_selection_free(&sel);

    spec.name_field = -1;
    spec.where = "pcc < 1600";
    st = gpcov_units_select(ctx, u, &spec, &sel);
    OK(st == GPCOV_EUSAGE && sel.unknown && !strcmp(sel.unknown, "pcc") && sel.nearest &&
           !strcmp(sel.nearest, "ppc"),
       "an unknown field, the nearest from the joined layer (%s, %s)",
       sel.unknown ? sel.unknown : "-", sel.nearest ? sel.nearest : "-");
    gpcov_selection_free(&sel);

    spec.njoins = 0;
    spec.where = "ppc < 1600";
    st = gpcov_units_select(ctx, u, &spec, &sel);
    OK(st == GPCOV_EUSAGE && sel.unknown && !strcmp(sel.unknown, "ppc"),
       "without the join, ppc is unknown");
    gpcov_selection_free(&sel);

    spec.where = "region_code = '1081'";
    st = gpcov_units_select(ctx, u, &spec, &sel);
    OK(st == GPCOV_OK && sel.kept == 0 && sel.undecided == 0 && !*sel.undecided_list,
       "selecting nothing is no error here (%s)", st ? gpcov_ctx_message(ctx) : "");
    gpcov_selection_free(&sel);
    gpcov_layer_free(ctx, u);
    gpcov_layer_free(ctx, t);
}

int main(void)
{
    ctx = gpcov_ctx_new();
    RUN(case_join);
    gpcov_ctx_free(ctx);
    return tap_done();
}
