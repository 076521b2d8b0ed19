/*
** key.c: municipality codes as analysts' files write them.  Statistics
** Denmark writes København as "101", DAGI as "0101", Excel turns it into
** the number 101 (or 101.0), eSundhed writes "101 København", gpcov's
** Danish CSV writes ="0101" (csv_danish.c).  All of them become the key
** "0101".  Values without leading digits (municipality
** names) are trimmed and case-folded, so names can join as well.
*/
#include "base_internal.h"

#include <ctype.h>
#include <string.h>

int gpcov_key_normalise(const char *in, char *out, size_t outsz)
{
    if (!in || outsz < 5)
        return -1;
    while (*in && (isspace((unsigned char)*in) || *in == '"' || *in == '\'' ||
                   (*in == '=' && (in[1] == '"' || isdigit((unsigned char)in[1])))))
        in++;
    size_t len = strlen(in);
    while (len && (isspace((unsigned char)in[len - 1]) || in[len - 1] == '"' ||
                   in[len - 1] == '\''))
        len--;
    if (len == 0)
        return -1;
    if (isdigit((unsigned char)in[0])) {
        size_t d = 0;
        while (d < len && isdigit((unsigned char)in[d]))
            d++;
        size_t rest = d;
        /* 101.0 from a spreadsheet's number cell */
        if (rest < len && in[rest] == '.') {
            size_t z = rest + 1;
            while (z < len && in[z] == '0')
                z++;
            if (z == len || isspace((unsigned char)in[z]))
                rest = z;
        }
        /* digits alone, or digits then a separator and a name */
        if (rest == len || isspace((unsigned char)in[rest]) || in[rest] == '-' ||
            in[rest] == ':') {
            size_t pad = d < 4 ? 4 - d : 0;
            if (pad + d + 1 > outsz)
                return -1;
            memset(out, '0', pad);
            memcpy(out + pad, in, d);
            out[pad + d] = 0;
            return 0;
        }
    }
    if (len + 1 > outsz)
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x80) {
            out[i] = (char)tolower(c);
        } else if (c == 0xC3 && i + 1 < len) {
            /* UTF-8 Latin-1 capitals (À..Þ, not ×) to small letters: Æ Ø Å */
            unsigned char c2 = (unsigned char)in[i + 1];
            out[i] = (char)c;
            out[i + 1] = (char)((c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97) ? c2 + 0x20 : c2);
            i++;
        } else {
            out[i] = (char)c;
        }
    }
    out[len] = 0;
    return 0;
}
