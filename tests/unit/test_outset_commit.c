/*
** test_outset_commit.c: an output set whose commit fails between two
** placements.  The first output is already in place when the second
** cannot be (its destination became a directory after the set was
** checked); the set must put the first back byte for byte, leave the
** second's destination alone and leave no temporary behind.
*/
#include "map/map_internal.h"
#include "tap.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/gpcov-outset-XXXXXX";

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int same(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return !strcmp(buf, text);
}

/* The names in dir, sorted, joined by spaces. */
static void names(char *out, size_t n)
{
    struct dirent **e;
    int k = scandir(dir, &e, NULL, alphasort);
    out[0] = 0;
    for (int i = 0; i < k; i++) {
        if (e[i]->d_name[0] != '.' || (strcmp(e[i]->d_name, ".") && strcmp(e[i]->d_name, "..")))
            snprintf(out + strlen(out), n - strlen(out), "%s%s", *out ? " " : "", e[i]->d_name);
        free(e[i]);
    }
    free(e);
}

static void fails_between_placements(void)
{
    char a[256], b[256], inner[300], got[512];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    put(a, "old a\n");
    put(b, "old b\n");
    gpcov_ctx *ctx = gpcov_ctx_new();
    gpcov_outset *s = gpcov_outset_new(ctx, 1);
    const char *ta = NULL, *tb = NULL;
    OK(s && !gpcov_outset_add(ctx, s, a, &ta) && !gpcov_outset_add(ctx, s, b, &tb),
       "two outputs over existing files join the set (overwrite)");
    put(ta, "new a\n");
    put(tb, "new b\n");
    /* b.csv becomes a directory with a file in it: no file can replace it */
    unlink(b);
    mkdir(b, 0755);
    snprintf(inner, sizeof inner, "%s/keep", b);
    put(inner, "kept\n");
    gpcov_status st = gpcov_outset_commit(ctx, s);
    OK(st != GPCOV_OK, "the commit fails at the second output (%s)", gpcov_ctx_message(ctx));
    OK(same(a, "old a\n"), "the first output, already placed, is put back as it was");
    struct stat sb;
    OK(stat(b, &sb) == 0 && S_ISDIR(sb.st_mode) && same(inner, "kept\n"),
       "the second destination is left alone");
    gpcov_outset_free(s);
    names(got, sizeof got);
    STREQ(got, "a.csv b.csv", "nothing else is left in the directory");
    gpcov_ctx_free(ctx);
    unlink(inner);
    rmdir(b);
    unlink(a);
}

static void commits_both(void)
{
    char a[256], b[256], got[512];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    put(a, "old a\n");
    gpcov_ctx *ctx = gpcov_ctx_new();
    gpcov_outset *s = gpcov_outset_new(ctx, 1);
    const char *ta = NULL, *tb = NULL;
    OK(s && !gpcov_outset_add(ctx, s, a, &ta) && !gpcov_outset_add(ctx, s, b, &tb),
       "the same two outputs, nothing in the way");
    put(ta, "new a\n");
    put(tb, "new b\n");
    OK(gpcov_outset_commit(ctx, s) == GPCOV_OK, "the commit succeeds");
    OK(same(a, "new a\n") && same(b, "new b\n"), "both outputs are the new ones");
    gpcov_outset_free(s);
    names(got, sizeof got);
    STREQ(got, "a.csv b.csv", "and no temporary is left");
    gpcov_ctx_free(ctx);
    unlink(a);
    unlink(b);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    RUN(fails_between_placements);
    RUN(commits_both);
    rmdir(dir);
    return tap_done();
}
