/* test_layer.c: a layer's values as text (gpcov_value_text), the one
** function for ids, names and values quoted in messages. */
#include "gpcov.h"
#include "tap.h"

int main(void)
{
    gpcov_ctx *ctx = gpcov_ctx_new();
    struct gpcov_layer *l = gpcov_layer_new("t");
    int fs = gpcov_layer_add_field(ctx, l, "name", GPCOV_STR);
    int fi = gpcov_layer_add_field(ctx, l, "id", GPCOV_INT);
    int fr = gpcov_layer_add_field(ctx, l, "share", GPCOV_REAL);
    int fb = gpcov_layer_add_field(ctx, l, "open", GPCOV_BOOL);
    OK(fs == 0 && fi == 1 && fr == 2 && fb == 3, "four fields");
    long a = gpcov_layer_append(ctx, l, "a", NULL);
    long b = gpcov_layer_append(ctx, l, "b", NULL);
    OK(a == 0 && b == 1, "two features");
    gpcov_layer_set_str(ctx, l, 0, (size_t)fs, "Lægehuset Ærø");
    gpcov_layer_set_num(ctx, l, 0, (size_t)fi, 101);
    gpcov_layer_set_num(ctx, l, 0, (size_t)fr, 0.1 + 0.2);
    gpcov_layer_set_num(ctx, l, 0, (size_t)fb, 1);
    gpcov_layer_set_str(ctx, l, 1, (size_t)fs, " padded ");
    gpcov_layer_set_num(ctx, l, 1, (size_t)fi, 123456789012345.0);
    gpcov_layer_set_num(ctx, l, 1, (size_t)fr, 1e20);

    char buf[64];
    STREQ(gpcov_value_text(l, 0, fs, buf, sizeof buf), "Lægehuset Ærø", "a text as it is");
    OK(gpcov_value_text(l, 0, fs, buf, sizeof buf) == buf, "returns buf");
    STREQ(gpcov_value_text(l, 0, fi, buf, sizeof buf), "101", "a whole number has no decimals");
    STREQ(gpcov_value_text(l, 0, fr, buf, sizeof buf), "0.3", "a real as %%.15g");
    STREQ(gpcov_value_text(l, 0, fb, buf, sizeof buf), "1", "a boolean as 1");
    STREQ(gpcov_value_text(l, 1, fs, buf, sizeof buf), " padded ", "a text is not trimmed");
    STREQ(gpcov_value_text(l, 1, fi, buf, sizeof buf), "123456789012345",
          "15 digits stay digits");
    STREQ(gpcov_value_text(l, 1, fr, buf, sizeof buf), "1e+20", "a large number as %%.15g");
    STREQ(gpcov_value_text(l, 1, fb, buf, sizeof buf), "", "null is empty");
    gpcov_layer_set_null(l, 0, (size_t)fs);
    STREQ(gpcov_value_text(l, 0, fs, buf, sizeof buf), "", "a null text is empty");
    gpcov_layer_set_num(ctx, l, 1, (size_t)fr, -2.5);
    STREQ(gpcov_value_text(l, 1, fr, buf, sizeof buf), "-2.5", "a negative number");
    char small[4];
    STREQ(gpcov_value_text(l, 0, fi, small, sizeof small), "101", "fits a small buffer");
    gpcov_layer_set_num(ctx, l, 0, (size_t)fi, 123456);
    STREQ(gpcov_value_text(l, 0, fi, small, sizeof small), "123", "cut to the buffer");
    char none[1] = {'x'};
    OK(gpcov_value_text(l, 0, fi, none, 0) == none && none[0] == 'x',
       "a buffer of size 0 is left alone");
    gpcov_layer_free(ctx, l);
    gpcov_ctx_free(ctx);
    return tap_done();
}
