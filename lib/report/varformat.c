/*
** varformat.c: ${name:format} in a report definition, a variable's
** number written for a Danish reader in a map title or attribution, so
** that a scenario's --set changes the text with the value it prints:
** ${threat_threshold:da} is "0,5" for 0.5, ${cap:da} "100.000" for
** 100000 (decimal comma, thousands with a dot), ${fee_budget:mio} "60"
** for 60000000 (millions, then as :da).
*/
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A plain decimal number as written ("1600", "-0.25"), with its digits
** regrouped: thousands by '.', the decimal point a comma. */
static int danish(const char *v, char *out, size_t n)
{
    const char *p = v + (*v == '-'), *dot = strchr(p, '.');
    size_t ni = dot ? (size_t)(dot - p) : strlen(p), k = 0;
    if (!ni || strspn(p, "0123456789") != ni ||
        (dot && (!dot[1] || strspn(dot + 1, "0123456789") != strlen(dot + 1))))
        return -1;
    if (*v == '-' && k + 1 < n)
        out[k++] = '-';
    for (size_t i = 0; i < ni && k + 2 < n; i++) {
        out[k++] = p[i];
        if ((ni - i - 1) % 3 == 0 && i + 1 < ni)
            out[k++] = '.';
    }
    if (dot && k + 1 < n)
        out[k++] = ',';
    for (const char *d = dot ? dot + 1 : ""; *d && k + 1 < n; d++)
        out[k++] = *d;
    out[k] = 0;
    return k + 1 < n ? 0 : -1;
}

gpcov_status report_var_format(gpcov_ctx *ctx, const char *name, const char *value,
                               const char *format, const char *where, char *out, size_t n)
{
    char num[64];
    snprintf(num, sizeof num, "%s", value);
    if (!strcmp(format, "mio")) {
        char *end;
        double d = strtod(value, &end);
        if (end == value || *end)
            num[0] = 'x'; /* refused below, as for :da */
        else
            snprintf(num, sizeof num, "%.6f", d / 1e6);
        char *z = strchr(num, '.');
        for (char *e = num + strlen(num) - 1; z && e >= z && (*e == '0' || *e == '.'); e--)
            *e = 0;
    } else if (strcmp(format, "da"))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: ${%s:%s}: unknown format '%s' (use :da for "
                         "a Danish number, :mio for millions)", where, name, format, format);
    if (danish(num, out, n))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: ${%s:%s}: '%s' is not a plain number "
                         "(digits, a point for decimals)", where, name, format, value);
    return GPCOV_OK;
}
