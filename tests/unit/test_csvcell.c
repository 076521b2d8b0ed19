/* test_csvcell.c: text cells a spreadsheet would run as formulas
** (csvcell.c): which cells are formulas, and how a cell is written. */
#include "map/map_internal.h"
#include "tap.h"

#include <stdlib.h>

/* the bytes gpcov_csv_cell writes for s */
static const char *cell(const char *s)
{
    static char out[256];
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return "(error)";
    gpcov_csv_cell(f, s);
    fclose(f);
    snprintf(out, sizeof out, "%s", buf);
    free(buf);
    return out;
}

static void test_is_formula(void)
{
    OK(gpcov_csv_is_formula("=SUM(A1:A2)"), "=SUM(A1:A2) is a formula");
    OK(gpcov_csv_is_formula("@cmd"), "@ starts one");
    OK(gpcov_csv_is_formula("+cmd|' /C calc'!A0"), "+ followed by text starts one");
    OK(gpcov_csv_is_formula("-2+3+cmd"), "- followed by more than a number starts one");
    OK(gpcov_csv_is_formula("\tx") && gpcov_csv_is_formula("\rx"), "a tab or carriage return first");
    OK(!gpcov_csv_is_formula("-5") && !gpcov_csv_is_formula("+3.5") && !gpcov_csv_is_formula("-1.234,5"),
       "signed numbers as text are not");
    OK(!gpcov_csv_is_formula("København") && !gpcov_csv_is_formula("a=b"),
       "text with = inside is not");
    OK(!gpcov_csv_is_formula("") && !gpcov_csv_is_formula(NULL), "empty and NULL are not");
}

static void test_cell(void)
{
    STREQ(cell("Læsø"), "\"Læsø\"", "a plain cell is quoted");
    STREQ(cell("say \"hi\""), "\"say \"\"hi\"\"\"", "quotes inside are doubled");
    STREQ(cell("=1+1"), "\"'=1+1\"", "a formula gets a leading single quote");
    STREQ(cell("-5"), "\"-5\"", "a negative number does not");
    STREQ(cell(""), "\"\"", "empty: two quotes");
    STREQ(cell(NULL), "\"\"", "NULL: two quotes");
}

int main(void)
{
    RUN(test_is_formula);
    RUN(test_cell);
    return tap_done();
}
