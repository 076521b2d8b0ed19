/*
** test_threat_names.c: rules over indicators whose names are already in
** the output.  A rule on "name" or the key once wrote outside the output
** layer's values (found by fuzzing); now those indicators are the fields
** already there, and an indicator or rule that would take an output
** field's name is refused with a message and leaves no output.
*/
#include "gpcov.h"
#include "fixture.h"
#include "tap.h"

#include <stdlib.h>

static gpcov_status judge(gpcov_ctx *ctx, const char *r1, const char *r2, const char *name2,
                          const char *out, struct gpcov_layer **res)
{
    struct gpcov_rule rules[2] = {{.name = "first", .text = r1}, {.name = name2, .text = r2}};
    struct gpcov_threat_opts o = {.units = fx_path("units.csv"), .rules = rules,
                                  .nrules = r2 ? 2 : 1, .output = out,
                                  .combine = GPCOV_COMBINE_ALL};
    char *sum = NULL;
    gpcov_status st = gpcov_threat(ctx, &o, &sum);
    free(sum);
    *res = NULL;
    if (!st) {
        struct gpcov_read_opts ro = {.key_field = "komkode"};
        if (gpcov_layer_read(ctx, out, &ro, res))
            *res = NULL;
    }
    return st;
}

/* A value read back from CSV is text; from other formats a number. */
static double num(const struct gpcov_value *v)
{
    return v->null ? -1 : v->str ? atof(v->str) : v->num;
}

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    fx_make();
    fx_write("units.csv", "komkode,name,ppc,threatened\n0101,a,1700,1\n0147,,1500,0\n");
    struct gpcov_layer *L = NULL;
    char out[512];

    snprintf(out, sizeof out, "%s", fx_path("a.csv"));
    OK(judge(ctx, "name = 'a' OR komkode = '0147'", "ppc > 1600", "second", out, &L) == GPCOV_OK && L,
       "rules on the name and the key run: %s", gpcov_ctx_message(ctx));
    if (L) {
        int fn = gpcov_layer_field(L, "name"), fc = gpcov_layer_field(L, "threatened");
        OK(L->n == 2 && fn >= 0 && fc >= 0, "two units with their name and class");
        OK(L->n == 2 && fn >= 0 && !strcmp(gpcov_layer_value(L, 0, (size_t)fn)->str, "a"),
           "0101 keeps its name 'a'");
        OK(L->n == 2 && fc >= 0 && num(gpcov_layer_value(L, 0, (size_t)fc)) == 1 &&
               num(gpcov_layer_value(L, 1, (size_t)fc)) == 0,
           "0101 threatened (both rules), 0147 not (ppc 1500)");
    }
    gpcov_layer_free(ctx, L);

    snprintf(out, sizeof out, "%s", fx_path("b.csv"));
    gpcov_status st = judge(ctx, "threatened = 1", NULL, NULL, out, &L);
    OK(st == GPCOV_EINPUT, "an indicator called 'threatened' is bad input");
    OK(strstr(gpcov_ctx_message(ctx), "named like an output field") != NULL, "which says so: %s",
       gpcov_ctx_message(ctx));
    OK(access(out, F_OK) != 0, "and leaves no output");

    snprintf(out, sizeof out, "%s", fx_path("c.csv"));
    st = judge(ctx, "ppc > 1", "ppc > 2", "first", out, &L);
    OK(st == GPCOV_EUSAGE, "two rules called 'first' are a usage error");
    OK(strstr(gpcov_ctx_message(ctx), "rule first: its output field rule_first is taken") != NULL,
       "which says so: %s", gpcov_ctx_message(ctx));
    OK(access(out, F_OK) != 0, "and leaves no output");

    fx_clean();
    gpcov_ctx_free(ctx);
    return tap_done();
}
