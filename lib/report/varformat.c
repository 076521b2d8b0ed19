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
    if (gpcov_group_digits(num, '.', ',', "-", out, n))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: ${%s:%s}: '%s' is not a plain number "
                         "(digits, a point for decimals)", where, name, format, value);
    return GPCOV_OK;
}
