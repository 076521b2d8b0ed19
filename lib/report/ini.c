/*
** ini.c: report definitions, in the INI form a regional analyst can read
** and edit in any text editor: [sections], key = value lines, comments
** with # or ;.  Order is kept (the options of a step are order-dependent,
** and a key may repeat), every entry remembers its line for messages, and
** ${name} references are expanded with cycle detection.
*/
#include "report_internal.h"

#include <cpl_string.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gpcov_ini_free(struct gpcov_ini *ini)
{
    if (!ini)
        return;
    for (size_t i = 0; i < ini->n; i++) {
        for (size_t k = 0; k < ini->s[i].n; k++) {
            free(ini->s[i].e[k].key);
            free(ini->s[i].e[k].value);
        }
        free(ini->s[i].e);
        free(ini->s[i].name);
    }
    free(ini->s);
    free(ini->path);
    free(ini);
}

/* A "[name]" line (brackets kept, trimmed): a new section, refused when
** malformed or when a section of that name came before. */
static gpcov_status add_section(gpcov_ctx *ctx, struct gpcov_ini *ini, char *l, int line)
{
    const char *path = ini->path;
    size_t n = strlen(l);
    if (l[n - 1] != ']' || n < 3)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s:%d: a section header must look like [name]",
                         path, line);
    l[n - 1] = 0;
    struct gpcov_ini_section *s = realloc(ini->s, (ini->n + 1) * sizeof *s);
    if (!s)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    ini->s = s;
    memset(&s[ini->n], 0, sizeof *s);
    s[ini->n].name = gpcov_strdup(l + 1);
    gpcov_trim(s[ini->n].name);
    s[ini->n].line = line;
    ini->n++;
    gpcov_status st = GPCOV_OK;
    for (size_t k = 0; k + 1 < ini->n; k++)
        if (!strcmp(ini->s[k].name, s[ini->n - 1].name))
            st = gpcov_err(ctx, GPCOV_EINPUT, "%s:%d: section [%s] again (first at line %d)",
                           path, line, ini->s[k].name, ini->s[k].line);
    return st;
}

/* A "key = value" line (trimmed): an entry of the last section. */
static gpcov_status add_entry(gpcov_ctx *ctx, struct gpcov_ini *ini, char *l, int line)
{
    const char *path = ini->path;
    char *eq = strchr(l, '=');
    if (!eq || eq == l)
        return gpcov_err(ctx, GPCOV_EINPUT,
                         "%s:%d: expected 'key = value' or [section], found '%.60s'", path, line, l);
    if (!ini->n)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s:%d: '%.40s' comes before any [section]", path,
                         line, l);
    *eq = 0;
    struct gpcov_ini_section *s = &ini->s[ini->n - 1];
    struct gpcov_ini_entry *en = realloc(s->e, (s->n + 1) * sizeof *en);
    if (!en)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    s->e = en;
    en[s->n].key = gpcov_strdup(gpcov_trim(l));
    en[s->n].value = gpcov_strdup(gpcov_trim(eq + 1));
    en[s->n].line = line;
    s->n++;
    return GPCOV_OK;
}

/* One line of the text (without its newline): a comment, a blank, a
** section header or an entry. */
static gpcov_status parse_line(gpcov_ctx *ctx, struct gpcov_ini *ini, const char *p, size_t len,
                               int line)
{
    char *l = gpcov_strndup(p, len);
    if (!l)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = GPCOV_OK;
    if (memchr(l, 0, len) != NULL && strlen(l) != len)
        st = gpcov_err(ctx, GPCOV_EINPUT, "%s:%d: a NUL byte: not a text file", ini->path, line);
    else {
        gpcov_trim(l);
        if (!*l || *l == '#' || *l == ';')
            st = GPCOV_OK;
        else if (*l == '[')
            st = add_section(ctx, ini, l, line);
        else
            st = add_entry(ctx, ini, l, line);
    }
    free(l);
    return st;
}

gpcov_status gpcov_ini_parse(gpcov_ctx *ctx, const char *path, const char *text,
                             struct gpcov_ini **out)
{
    struct gpcov_ini *ini = calloc(1, sizeof *ini);
    *out = NULL;
    if (!ini || !(ini->path = gpcov_strdup(path))) {
        free(ini);
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    gpcov_status st = GPCOV_OK;
    int line = 0;
    const char *p = text;
    if (!strncmp(p, "\xEF\xBB\xBF", 3)) /* a BOM from a Windows editor */
        p += 3;
    while (*p && !st) {
        line++;
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        st = parse_line(ctx, ini, p, len, line);
        p = e ? e + 1 : p + len;
    }
    if (st) {
        gpcov_ini_free(ini);
        return st;
    }
    *out = ini;
    return GPCOV_OK;
}

gpcov_status gpcov_ini_read(gpcov_ctx *ctx, const char *path, struct gpcov_ini **out)
{
    *out = NULL;
    gpcov_status cs = gpcov_path_exists(path) ? gpcov_input_check(ctx, path) : GPCOV_OK;
    if (cs)
        return cs;
    if (gpcov_path_is_dir(path))
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: a directory, not a report definition", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot open the report definition", path);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > (64u << 20)) {
                free(buf);
                fclose(f);
                return gpcov_err(ctx, GPCOV_EINPUT, "%s: over 64 MB: not a report definition", path);
            }
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
            }
            buf = nb;
        }
        size_t k = fread(buf + n, 1, 4096, f);
        n += k;
        if (k < 4096)
            break;
    }
    if (ferror(f)) { /* a read error is not the end of the definition */
        free(buf);
        fclose(f);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot read it: %s", path, strerror(errno));
    }
    fclose(f);
    buf[n] = 0;
    if (strlen(buf) != n) {
        free(buf);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: holds NUL bytes: not a text file", path);
    }
    gpcov_status st = gpcov_ini_parse(ctx, path, buf, out);
    free(buf);
    return st;
}

/* Appends len bytes of s to *o (growing, up to 16 MB). */
static gpcov_status put(gpcov_ctx *ctx, const char *where, const char *s, size_t len, char **o,
                        size_t *n, size_t *cap)
{
    if (*n + len + 1 > *cap) {
        size_t nc = *cap ? *cap : 256;
        while (nc < *n + len + 1)
            nc *= 2;
        if (nc > (16u << 20))
            return gpcov_err(ctx, GPCOV_EINPUT, "%s: the expansion grows beyond 16 MB", where);
        char *no = realloc(*o, nc);
        if (!no)
            return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
        *o = no;
        *cap = nc;
    }
    memcpy(*o + *n, s, len);
    *n += len;
    (*o)[*n] = 0;
    return GPCOV_OK;
}

static gpcov_status expand(gpcov_ctx *ctx, const char *text, char **vars, const char *where,
                           char ***stack, char **o, size_t *n, size_t *cap);

/* ${name} or ${name:format}: the value of name, expanded in turn (and
** formatted), appended to *o. */
static gpcov_status expand_ref(gpcov_ctx *ctx, char *name, char **vars, const char *where,
                               char ***stack, char **o, size_t *n, size_t *cap)
{
    char *format = strchr(name, ':');
    if (format) {
        *format++ = 0;
        gpcov_trim(name);
        gpcov_trim(format);
    }
    if (CSLFindString(*stack, name) >= 0) {
        char chain[600] = "";
        size_t cn = 0;
        for (char **s = *stack; *s && cn < 400; s++)
            cn += (size_t)snprintf(chain + cn, sizeof chain - cn, "%.60s -> ", *s);
        snprintf(chain + cn, sizeof chain - cn, "%.100s", name);
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: ${%s} refers to itself (%s)", where, name,
                         chain);
    }
    const char *v = CSLFetchNameValue(vars, name);
    if (!v)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: ${%s} is not defined (define it in "
                         "[report] or with --set %s=...)", where, name, name);
    *stack = CSLAddString(*stack, name);
    char *sub = NULL;
    size_t sn = 0, scap = 0;
    gpcov_status st = format ? expand(ctx, v, vars, where, stack, &sub, &sn, &scap)
                             : expand(ctx, v, vars, where, stack, o, n, cap);
    int k = CSLCount(*stack);
    *stack = CSLRemoveStrings(*stack, k - 1, 1, NULL);
    char text[128];
    if (!st && format &&
        !(st = report_var_format(ctx, name, sub ? sub : "", format, where, text, sizeof text)))
        st = put(ctx, where, text, strlen(text), o, n, cap);
    free(sub);
    return st;
}

/* Expands text into *o (growing), depth-limited, with the chain of names
** being expanded in `stack` for cycle messages. */
static gpcov_status expand(gpcov_ctx *ctx, const char *text, char **vars, const char *where,
                           char ***stack, char **o, size_t *n, size_t *cap)
{
    for (const char *p = text; *p;) {
        gpcov_status st;
        if (p[0] == '$' && p[1] == '{') {
            const char *e = strchr(p + 2, '}');
            if (!e)
                return gpcov_err(ctx, GPCOV_EINPUT, "%s: '${' without a closing '}'", where);
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(e - p - 2), p + 2);
            gpcov_trim(name);
            if ((st = expand_ref(ctx, name, vars, where, stack, o, n, cap)))
                return st;
            p = e + 1;
            continue;
        }
        if ((st = put(ctx, where, p++, 1, o, n, cap)))
            return st;
    }
    return GPCOV_OK;
}

gpcov_status gpcov_ini_expand(gpcov_ctx *ctx, const char *text, char **vars, const char *where,
                              char **out)
{
    char *o = calloc(1, 1), **stack = NULL;
    size_t n = 0, cap = 1;
    *out = NULL;
    if (!o)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = expand(ctx, text, vars, where, &stack, &o, &n, &cap);
    CSLDestroy(stack);
    if (st) {
        free(o);
        return st;
    }
    *out = o;
    return GPCOV_OK;
}
