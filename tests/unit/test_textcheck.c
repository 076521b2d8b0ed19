/*
** test_textcheck.c: the pass over a CSV's bytes before OGR reads it
** (textcheck.c): what it refuses and on which line, what it recodes, and
** that it does neither to good files, also where a UTF-8 character or a
** quoted field crosses the 64 KiB blocks it reads in.
*/
#include "map/map_internal.h"
#include "tap.h"

#include <cpl_vsi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/gpcov-textcheck-XXXXXX";
static char notice[GPCOV_MSG_MAX];

static void on_notice(const char *line, void *user)
{
    (void)user;
    snprintf(notice, sizeof notice, "%s", line);
}

static const char *put(const char *name, const char *bytes, size_t n)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(bytes, 1, n, f);
        fclose(f);
    }
    return path;
}

/* Runs the check on bytes; returns the status, *mem as it set it. */
static gpcov_status check(gpcov_ctx *ctx, const char *name, const char *bytes, size_t n,
                          int fields, char **mem)
{
    notice[0] = 0;
    return gpcov_text_prepare(ctx, put(name, bytes, n), fields, mem);
}

static int has(const char *s, const char *part)
{
    return s && strstr(s, part) != NULL;
}

/* a character across the 65536-byte read block, as UTF-8 and as Latin-1 */
static void case_block_boundary(gpcov_ctx *ctx)
{
    char *mem = NULL;
    gpcov_status st;
    /* a good UTF-8 file whose 'ø' (C3 B8) straddles the 65536-byte block */
    size_t big = 70000;
    char *b = malloc(big + 1);
    memset(b, 'a', big);
    memcpy(b, "code,navn\n", 10);
    for (size_t i = 10; i < big; i += 20)
        b[i] = '\n';
    b[65535] = (char)0xC3;
    b[65536] = (char)0xB8;
    b[65537] = 'x';
    st = check(ctx, "straddle.csv", b, big, 0, &mem);
    OK(st == GPCOV_OK && mem == NULL && !notice[0],
       "UTF-8 across a block boundary is UTF-8 (no recoding, no notice)");
    /* the same place with a Latin-1 'ø' (F8): recoded, and the line named */
    b[65535] = (char)0xF8;
    b[65536] = 'x';
    st = check(ctx, "latin1big.csv", b, big, 0, &mem);
    long line = 1;
    for (size_t i = 0; i < 65535; i++)
        line += b[i] == '\n';
    char want[64];
    snprintf(want, sizeof want, "latin1big.csv:%ld: not UTF-8", line);
    OK(st == GPCOV_OK && mem != NULL && has(notice, want), "Latin-1 at byte 65535: notice '%s'",
       want);
    if (mem) {
        VSIUnlink(mem);
        free(mem);
        mem = NULL;
    }
    free(b);
}

/* Latin-1 and Windows-1252 files recoded into a UTF-8 copy, a cut UTF-8 sequence */
static void case_recoding(gpcov_ctx *ctx)
{
    char *mem = NULL;
    gpcov_status st;
    /* a small Latin-1 file: the copy holds UTF-8 */
    const char lat[] = "code,navn\n101,K\xF8" "benhavn\n147,\xC6r\xF8\n";
    st = check(ctx, "latin1.csv", lat, sizeof lat - 1, 1, &mem);
    OK(st == GPCOV_OK && mem && has(notice, "latin1.csv:2: not UTF-8; read as Windows-1252"),
       "a Latin-1 CSV is read as Windows-1252 with a notice naming line 2");
    if (mem) {
        VSILFILE *f = VSIFOpenL(mem, "rb");
        char buf[128] = "";
        size_t n = f ? VSIFReadL(buf, 1, sizeof buf - 1, f) : 0;
        buf[n] = 0;
        if (f)
            VSIFCloseL(f);
        STREQ(buf, "code,navn\n101,K\xC3\xB8" "benhavn\n147,\xC3\x86r\xC3\xB8\n",
              "the copy is UTF-8: København, Ærø");
        VSIUnlink(mem);
        free(mem);
        mem = NULL;
    }
    /* Windows-1252's own letters (0x80-0x9F): the euro sign */
    const char euro[] = "code,v\n101,\x80 5\n";
    st = check(ctx, "euro.csv", euro, sizeof euro - 1, 1, &mem);
    OK(st == GPCOV_OK && mem, "0x80 is Windows-1252's euro sign, recoded");
    if (mem) {
        VSILFILE *f = VSIFOpenL(mem, "rb");
        char buf[64] = "";
        size_t n = f ? VSIFReadL(buf, 1, sizeof buf - 1, f) : 0;
        buf[n] = 0;
        if (f)
            VSIFCloseL(f);
        OK(has(buf, "101,\xE2\x82\xAC 5"), "the copy holds U+20AC");
        VSIUnlink(mem);
        free(mem);
        mem = NULL;
    }
    /* a lone UTF-8 lead byte at the very end (a cut multibyte character) */
    const char cut[] = "code,v\n101,\xC3";
    st = check(ctx, "cut.csv", cut, sizeof cut - 1, 1, &mem);
    OK(st == GPCOV_OK && mem && has(notice, "cut.csv:2: not UTF-8"),
       "a cut UTF-8 sequence at the end is not UTF-8 (line 2)");
    if (mem) {
        VSIUnlink(mem);
        free(mem);
        mem = NULL;
    }
}

/* refusals, with their lines */
static void case_refusals(gpcov_ctx *ctx)
{
    char *mem = NULL;
    gpcov_status st;
    const char open_q[] = "code,name\n101,\"K\xC3\xB8" "ben\n147,x\n";
    st = check(ctx, "openq.csv", open_q, sizeof open_q - 1, 1, &mem);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "openq.csv:2: a quoted field is not closed"),
       "a quote opened on line 2 and never closed: %s", gpcov_ctx_message(ctx));
    const char quoted[] = "code,name,v\n101,\"a, \"\"b\"\"\nc\",1\n147,\"x\",2\n";
    st = check(ctx, "quoted.csv", quoted, sizeof quoted - 1, 1, &mem);
    OK(st == GPCOV_OK && !mem,
       "quoted commas, doubled quotes and a newline inside quotes are one field");
    const char stray[] = "code,what\n101,a 5\" screen\n147,b\n";
    st = check(ctx, "stray.csv", stray, sizeof stray - 1, 1, &mem);
    OK(st == GPCOV_OK, "a quote inside an unquoted field opens nothing");
    const char extra[] = "code,v\r\n101,1\r\n147,2,5\r\n";
    st = check(ctx, "extra.csv", extra, sizeof extra - 1, 1, &mem);
    OK(st == GPCOV_EINPUT &&
           has(gpcov_ctx_message(ctx), "extra.csv:3: 3 fields where the header has 2"),
       "147,2,5 on line 3: %s", gpcov_ctx_message(ctx));
    st = check(ctx, "extra_raw.csv", extra, sizeof extra - 1, 0, &mem);
    OK(st == GPCOV_OK, "not counted for a raw export (no header row)");
    const char extra_last[] = "code,v\n101,1\n147,2,5";
    st = check(ctx, "extralast.csv", extra_last, sizeof extra_last - 1, 1, &mem);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "extralast.csv:3: 3 fields"),
       "also on a last line without a newline");
    const char semi[] = "kommune;v\n101;2,5\n147;1.234,5\n";
    st = check(ctx, "semi.csv", semi, sizeof semi - 1, 1, &mem);
    OK(st == GPCOV_OK, "decimal commas in a semicolon CSV are not fields");
    st = check(ctx, "empty.csv", "", 0, 1, &mem);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "empty.csv: the file is empty"),
       "an empty file");
    const char u16[] = "\xFF\xFE" "c\0o\0d\0e\0";
    st = check(ctx, "u16.csv", u16, sizeof u16 - 1, 1, &mem);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "u16.csv: UTF-16"), "UTF-16 text");
    const char nul[] = "code,v\n101,1\n147,\0" "2\n";
    st = check(ctx, "nul.csv", nul, sizeof nul - 1, 1, &mem);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "nul.csv:3: a NUL byte"),
       "a NUL byte on line 3");
    st = gpcov_text_prepare(ctx, "/nonexistent/x.csv", 1, &mem);
    OK(st == GPCOV_EINPUT && has(gpcov_ctx_message(ctx), "/nonexistent/x.csv: cannot open"),
       "a missing file");
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    gpcov_ctx *ctx = gpcov_ctx_new();
    gpcov_ctx_set_notice(ctx, on_notice, NULL);
    RUN_ON(case_block_boundary, ctx);
    RUN_ON(case_recoding, ctx);
    RUN_ON(case_refusals, ctx);

    gpcov_ctx_free(ctx);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return tap_done();
}
