/*
** csvcell.c: text cells that a spreadsheet would run.  Excel, LibreOffice
** and Google Sheets take a cell that begins with =, +, -, @, a tab or a
** carriage return as a formula, so a municipality name or a code from an
** analyst's file could run as one when a CSV output is opened (CSV
** injection).  As OWASP recommends, such a cell is written with a leading
** single quote, which the spreadsheet shows as text; numbers written as
** text ("-5", "+3.5") are left as they are.  io_write.c applies this to every
** CSV (and spreadsheet) output of OGR; the few CSV files gpcov writes by
** hand write their text cells with gpcov_csv_cell.
*/
#include "base_internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

int gpcov_csv_is_formula(const char *s)
{
    if (!s || !strchr("=+-@\t\r", s[0]) || !s[0])
        return 0;
    assert(s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
           s[0] == '\r');
    double d;
    return s[0] == '=' || s[0] == '@' || s[0] == '\t' || s[0] == '\r' ||
           gpcov_parse_number(s, &d) != 0;
}

void gpcov_csv_cell(FILE *f, const char *s)
{
    assert(f);
    fputc('"', f);
    if (gpcov_csv_is_formula(s))
        fputc('\'', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
