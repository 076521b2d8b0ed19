/* test_key.c: municipality code normalisation and number parsing. */
#include "gpcov.h"
#include "tap.h"

static const char *norm(const char *in)
{
    static char buf[64];
    if (gpcov_key_normalise(in, buf, sizeof buf) != 0)
        return "(error)";
    return buf;
}

int main(void)
{
    STREQ(norm("101"), "0101", "101 -> 0101");
    STREQ(norm("0101"), "0101", "0101 stays");
    STREQ(norm("\"0101\""), "0101", "quoted \"0101\"");
    STREQ(norm("=\"0101\""), "0101", "=\"0101\" of a Danish CSV for Excel");
    STREQ(norm("=0101"), "0101", "=0101, its quotes dropped by a CSV reader");
    STREQ(norm(" 101 "), "0101", "spaces trimmed");
    STREQ(norm("101.0"), "0101", "spreadsheet number 101.0");
    STREQ(norm("101 København"), "0101", "eSundhed style '101 København'");
    STREQ(norm("860"), "0860", "Hjørring 860");
    STREQ(norm("1084"), "1084", "region code keeps 4 digits");
    STREQ(norm("Læsø"), "læsø", "a name is case-folded");
    STREQ(norm("ÆRØ"), "ærø", "Danish capitals are folded");
    STREQ(norm("101b"), "101b", "digits followed by letters are not a code");
    STREQ(norm(""), "(error)", "empty is an error");
    STREQ(norm("   "), "(error)", "blank is an error");
    char tiny[3];
    OK(gpcov_key_normalise("101", tiny, sizeof tiny) == -1, "too small a buffer is an error");

    double d = 0;
    OK(gpcov_parse_number("1234", &d) == 0 && d == 1234, "1234");
    OK(gpcov_parse_number("1234.5", &d) == 0 && d == 1234.5, "1234.5");
    OK(gpcov_parse_number("1.234,5", &d) == 0 && d == 1234.5, "Danish 1.234,5");
    OK(gpcov_parse_number("12,5", &d) == 0 && d == 12.5, "decimal comma 12,5");
    OK(gpcov_parse_number("1 234", &d) == 0 && d == 1234, "space thousands 1 234");
    OK(gpcov_parse_number("1\xC2\xA0" "234", &d) == 0 && d == 1234, "no-break space thousands");
    OK(gpcov_parse_number("1.234.567", &d) == 0 && d == 1234567, "1.234.567");
    OK(gpcov_parse_number("-3", &d) == 0 && d == -3, "-3");
    OK(gpcov_parse_number("abc", &d) == -1, "text is not a number");
    OK(gpcov_parse_number("12abc", &d) == -1, "12abc is not a number");
    OK(gpcov_parse_number("", &d) == -1, "empty is not a number");
    OK(gpcov_parse_number("nan", &d) == -1, "nan is refused");
    OK(gpcov_parse_number("0x10", &d) == -1, "hex is refused");
    return tap_done();
}
