/* test_numfmt.c: gpcov_group_digits, the one grouping of a number's
** thousands and its decimal point, Danish (1.617,5) and English
** (1,617.5), behind the maps' labels, ${x:da} and the fee's amounts;
** what is not a plain number, or does not fit, is refused. */
#include "gpcov.h"
#include "map/symbology.h"
#include "tap.h"

#include <string.h>

static void da(const char *in, const char *want)
{
    char out[64] = "";
    int r = gpcov_group_digits(in, '.', ',', "-", out, sizeof out);
    OK(r == 0 && !strcmp(out, want), "da %s -> %s (%d, %s)", in, want, r, out);
}

static void case_danish(void)
{
    da("0", "0");
    da("999", "999");
    da("1600", "1.600");
    da("100000", "100.000");
    da("1234567.25", "1.234.567,25");
    da("-0.25", "-0,25");
    da("-1617.5", "-1.617,5");
    da("0.50", "0,50"); /* the decimals as written */
}

static void case_english_and_minus(void)
{
    char out[64];
    OK(!gpcov_group_digits("-1234567.05", ',', '.', "-", out, sizeof out) &&
           !strcmp(out, "-1,234,567.05"),
       "English: %s", out);
    OK(!gpcov_group_digits("-12000", '.', ',', "\xe2\x88\x92", out, sizeof out) &&
           !strcmp(out, "\xe2\x88\x92" "12.000"),
       "a true minus sign: %s", out);
    char sym[32];
    gpcov_sym_fmt_num(sym, sizeof sym, -1617.46, 1, 1);
    OK(!strcmp(sym, "\xe2\x88\x92" "1.617,5"), "the maps' labels use it: %s", sym);
    gpcov_sym_fmt_num(sym, sizeof sym, -0.01, 1, 0);
    OK(!strcmp(sym, "0.0"), "no minus on a number that rounds to 0: %s", sym);
}

static void case_refused(void)
{
    static const char *const bad[] = {"", "-", "1.", ".5", "1,5", "1e5", "12a", " 1", "1.2.3"};
    char out[64];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        OK(gpcov_group_digits(bad[i], '.', ',', "-", out, sizeof out) == -1,
           "not a plain number: '%s'", bad[i]);
    char small[6];
    OK(gpcov_group_digits("12345", '.', ',', "-", small, sizeof small) == -1,
       "12.345 does not fit in 6 bytes");
    OK(gpcov_group_digits("1234", '.', ',', "-", small, sizeof small) == 0 &&
           !strcmp(small, "1.234"),
       "1.234 fits in 6 bytes");
}

int main(void)
{
    RUN(case_danish);
    RUN(case_english_and_minus);
    RUN(case_refused);
    return tap_done();
}
