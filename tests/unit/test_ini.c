/* test_ini.c: report definitions (ini.c): sections and keys in order with
** their line numbers, comments, a BOM and CRLF, the errors with file and
** line, reading a file, and ${name} expansion with its cycle message. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"

#include <stdlib.h>

static gpcov_ctx *ctx;

static void test_parse(void)
{
    struct gpcov_ini *ini = NULL;
    const char *text = "\xEF\xBB\xBF# a comment\r\n[report]\r\n data = ../data \r\n; another\n"
                       "\n[step fee]\ncommand = fee\nexclude = 0411\nexclude = 0825\nempty =\n";
    gpcov_status st = gpcov_ini_parse(ctx, "t.ini", text, &ini);
    OK(st == GPCOV_OK && ini, "a definition with a BOM, CRLF and comments parses: %s",
       gpcov_ctx_message(ctx));
    if (!ini)
        return;
    STREQ(ini->path, "t.ini", "it keeps its path");
    OK(ini->n == 2, "two sections (%zu)", ini->n);
    STREQ(ini->s[0].name, "report", "the first is [report]");
    OK(ini->s[0].line == 2 && ini->s[0].n == 1, "on line 2, with one key");
    STREQ(ini->s[0].e[0].key, "data", "its key, trimmed");
    STREQ(ini->s[0].e[0].value, "../data", "its value, trimmed, no CR");
    OK(ini->s[0].e[0].line == 3, "on line 3 (%d)", ini->s[0].e[0].line);
    STREQ(ini->s[1].name, "step fee", "the second is [step fee]");
    OK(ini->s[1].n == 4 && !strcmp(ini->s[1].e[1].value, "0411") && !strcmp(ini->s[1].e[2].value, "0825"),
       "a key may repeat, in order");
    STREQ(ini->s[1].e[3].value, "", "an empty value");
    OK(ini->s[1].e[3].line == 10, "the last key on line 10 (%d)", ini->s[1].e[3].line);
    gpcov_ini_free(ini);
    gpcov_ini_free(NULL);
}

/* the message a definition's text gives, or "(ok)" */
static const char *error_of(const char *text)
{
    struct gpcov_ini *ini = NULL;
    gpcov_status st = gpcov_ini_parse(ctx, "bad.ini", text, &ini);
    gpcov_ini_free(ini);
    return st == GPCOV_OK ? "(ok)" : st == GPCOV_EINPUT ? gpcov_ctx_message(ctx) : "(other status)";
}

static void test_errors(void)
{
    STREQ(error_of("key = 1\n"), "bad.ini:1: 'key = 1' comes before any [section]",
          "a key before any section");
    STREQ(error_of("[a]\n[b\n"), "bad.ini:2: a section header must look like [name]",
          "an unclosed section header");
    STREQ(error_of("[]\n"), "bad.ini:1: a section header must look like [name]", "an empty one");
    STREQ(error_of("[a]\njust words\n"),
          "bad.ini:2: expected 'key = value' or [section], found 'just words'", "a line without =");
    STREQ(error_of("[a]\n= 3\n"), "bad.ini:2: expected 'key = value' or [section], found '= 3'",
          "a line without a key");
    STREQ(error_of("[a]\nx = 1\n[a]\n"), "bad.ini:3: section [a] again (first at line 1)",
          "a section twice");
    STREQ(error_of(""), "(ok)", "an empty text is no error here");
}

static void test_read(void)
{
    struct gpcov_ini *ini = NULL;
    fx_write("r.ini", "[report]\nout = x\n");
    OK(gpcov_ini_read(ctx, fx_path("r.ini"), &ini) == GPCOV_OK && ini && ini->n == 1 &&
           !strcmp(ini->s[0].e[0].value, "x"),
       "a definition read from a file");
    gpcov_ini_free(ini);
    gpcov_status st = gpcov_ini_read(ctx, fx_path("none.ini"), &ini);
    OK(st == GPCOV_EINPUT && !ini && strstr(gpcov_ctx_message(ctx), "none.ini: cannot open"),
       "a missing file: %s", gpcov_ctx_message(ctx));
    st = gpcov_ini_read(ctx, fx_dir, &ini);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "a directory"), "a directory: %s",
       gpcov_ctx_message(ctx));
    FILE *f = fopen(fx_path("nul.ini"), "wb");
    if (f) {
        fwrite("[a]\nx = 1\0\n", 1, 11, f);
        fclose(f);
    }
    st = gpcov_ini_read(ctx, fx_path("nul.ini"), &ini);
    OK(st == GPCOV_EINPUT && strstr(gpcov_ctx_message(ctx), "NUL bytes"), "NUL bytes: %s",
       gpcov_ctx_message(ctx));
}

static void test_expand(void)
{
    char *vars[] = {"data=/d", "out=${data}/out", "a=${b}", "b=${a}", "me=${me}", NULL};
    char *o = NULL;
    OK(gpcov_ini_expand(ctx, "${out}/fee.csv and ${ data }", vars, "x.ini:4", &o) == GPCOV_OK,
       "expansion runs");
    STREQ(o, "/d/out/fee.csv and /d", "values are expanded in turn, names trimmed");
    free(o);
    o = NULL;
    OK(gpcov_ini_expand(ctx, "no names", vars, "x.ini:4", &o) == GPCOV_OK && o &&
           !strcmp(o, "no names"),
       "text without names is copied");
    free(o);
    o = NULL;
    STREQ(gpcov_ini_expand(ctx, "${nosuch}", vars, "x.ini:5", &o) == GPCOV_EINPUT
              ? gpcov_ctx_message(ctx) : "(ok)",
          "x.ini:5: ${nosuch} is not defined (define it in [report] or with --set nosuch=...)",
          "an undefined name");
    STREQ(gpcov_ini_expand(ctx, "${a}", vars, "x.ini:6", &o) == GPCOV_EINPUT
              ? gpcov_ctx_message(ctx) : "(ok)",
          "x.ini:6: ${a} refers to itself (a -> b -> a)", "a cycle names its chain");
    STREQ(gpcov_ini_expand(ctx, "${me}", vars, "x.ini:7", &o) == GPCOV_EINPUT
              ? gpcov_ctx_message(ctx) : "(ok)",
          "x.ini:7: ${me} refers to itself (me -> me)", "a name that is its own value");
    STREQ(gpcov_ini_expand(ctx, "${open", vars, "x.ini:8", &o) == GPCOV_EINPUT
              ? gpcov_ctx_message(ctx) : "(ok)",
          "x.ini:8: '${' without a closing '}'", "an unclosed ${");
    OK(o == NULL, "nothing is left in *out after an error");
}

int main(void)
{
    fx_make();
    ctx = gpcov_ctx_new();
    RUN(test_parse);
    RUN(test_errors);
    RUN(test_read);
    RUN(test_expand);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
