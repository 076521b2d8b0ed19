/* test_number.c: numbers as analysts' files write them (number.c): the
** decimal point and comma, thousands separators of every kind, blanks,
** signs and exponents, and what is not a number. */
#include "gpcov.h"
#include "tap.h"

/* the number s reads as, or -999 when it is refused */
static double num(const char *s)
{
    double d = 0;
    return gpcov_parse_number(s, &d) == 0 ? d : -999;
}

static void test_decimal_marks(void)
{
    NEAR(num("1234.5"), 1234.5, 0, "1234.5: a point");
    NEAR(num("1234,5"), 1234.5, 0, "1234,5: a lone comma is a decimal comma");
    NEAR(num("1.234,5"), 1234.5, 0, "1.234,5: the last mark is the decimal one (Danish)");
    NEAR(num("1,234.5"), 1234.5, 0, "1,234.5: the last mark is the decimal one (English)");
    NEAR(num("1,234,567"), 1234567, 0, "1,234,567: repeated commas are thousands");
    NEAR(num("1.234.567"), 1234567, 0, "1.234.567: repeated points are thousands");
    NEAR(num("0,25"), 0.25, 0, "0,25");
    NEAR(num(".5"), 0.5, 0, ".5");
}

static void test_blanks_signs(void)
{
    NEAR(num("  42  "), 42, 0, "blanks around are trimmed");
    NEAR(num("\t42\n"), 42, 0, "tabs and a newline too");
    NEAR(num("1 234 567"), 1234567, 0, "spaces as thousands");
    NEAR(num("1\xC2\xA0" "234,5"), 1234.5, 0, "a no-break space as thousands, decimal comma");
    NEAR(num("-12,5"), -12.5, 0, "-12,5");
    NEAR(num("+7"), 7, 0, "+7");
    NEAR(num("1e3"), 1000, 0, "1e3");
    NEAR(num("2.5E-2"), 0.025, 1e-15, "2.5E-2");
}

static void test_refused(void)
{
    double d = 77;
    OK(gpcov_parse_number(NULL, &d) == -1 && d == 77, "NULL is refused, *out untouched");
    OK(gpcov_parse_number("x", &d) == -1 && d == 77, "text is refused, *out untouched");
    NEAR(num(""), -999, 0, "empty");
    NEAR(num("   "), -999, 0, "blank");
    NEAR(num("."), -999, 0, "a lone point");
    NEAR(num("12 kr"), -999, 0, "a number followed by text");
    NEAR(num("inf"), -999, 0, "inf");
    NEAR(num("-nan"), -999, 0, "-nan");
    NEAR(num("0x1A"), -999, 0, "hex");
    NEAR(num("1e999"), -999, 0, "out of range (1e999)");
    char longer[200];
    memset(longer, '1', sizeof longer - 1);
    longer[sizeof longer - 1] = 0;
    NEAR(num(longer), -999, 0, "199 digits: longer than a number written by hand");
}

int main(void)
{
    RUN(test_decimal_marks);
    RUN(test_blanks_signs);
    RUN(test_refused);
    return tap_done();
}
