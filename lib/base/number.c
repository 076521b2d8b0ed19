/*
** number.c: numbers as analysts' files write them.  Statistics Denmark's
** CSV writes 1234.5, a Danish Excel writes 1.234,5 or 1234,5, a StatBank
** export may write 1 234 (with a space or a no-break space).  Anything
** else — text, a number followed by text, an empty cell — is not a number,
** so the caller can say so with the file and the row.
*/
#include "base_internal.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int gpcov_parse_number(const char *s, double *out)
{
    char buf[128];
    size_t n = 0;
    if (!s)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0 || len >= sizeof buf)
        return -1;
    /* the last of '.' and ',' is the decimal mark when both occur; a lone
    ** ',' is a decimal comma; repeated '.' (1.234.567) are thousands */
    const char *lastdot = NULL, *lastcomma = NULL;
    int ndots = 0, ncommas = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            lastdot = s + i;
            ndots++;
        } else if (s[i] == ',') {
            lastcomma = s + i;
            ncommas++;
        }
    }
    char dec = '.';
    if (lastdot && lastcomma)
        dec = lastdot > lastcomma ? '.' : ',';
    else if (lastcomma)
        dec = ncommas == 1 ? ',' : 0;
    else if (ndots > 1)
        dec = 0;
    for (size_t i = 0; i < len; i++) {
        /* at most one byte out for each byte in: buf holds len + 1 */
        assert(n <= i && i < sizeof buf - 1);
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)dec) {
            buf[n++] = '.';
        } else if (c == '.' || c == ',') {
            continue; /* a thousands separator */
        } else if (c == ' ') {
            continue;
        } else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
            i++; /* UTF-8 no-break space */
        } else {
            buf[n++] = (char)c;
        }
    }
    assert(n < sizeof buf);
    buf[n] = 0;
    if (!n)
        return -1;
    char *end;
    errno = 0;
    double d = strtod(buf, &end);
    if (*end || errno == ERANGE || !isfinite(d) || end == buf)
        return -1;
    /* refuse hex and inf/nan spellings strtod would take */
    for (const char *p = buf; *p; p++)
        if (!(isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+' ||
              *p == 'e' || *p == 'E'))
            return -1;
    *out = d;
    return 0;
}
