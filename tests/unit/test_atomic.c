/* test_atomic.c: atomic outputs (atomic.c): begin, write, commit or abort;
** an existing output kept without overwrite (also one that appears while
** the run computes); an input never replaced; nothing left behind. */
#include "io/io_internal.h"
#include "fixture.h"
#include "tap.h"
#include "testfile.h"

#include <signal.h>
#include <sys/stat.h>

static gpcov_ctx *ctx;

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The text of path, or "" when it cannot be read (static buffer). */
static const char *text_of(const char *path)
{
    static char buf[256];
    long n;
    char *b = tf_slurp(path, &n);
    snprintf(buf, sizeof buf, "%s", b ? b : "");
    free(b);
    return buf;
}

static void begin_commit(void)
{
    int before = tf_entries(fx_dir);
    char *tmp = NULL;
    OK(gpcov_atomic_begin(ctx, fx_path("a.txt"), 0, &tmp) == GPCOV_OK && tmp, "begin");
    char want[600];
    snprintf(want, sizeof want, "%s/.a.txt.tmp%ld-", fx_dir, (long)getpid());
    OK(!strncmp(tmp, want, strlen(want)), "a private directory .a.txt.tmp<pid>-<n> (%s)", tmp);
    OK(strlen(tmp) > 8 && !strcmp(tmp + strlen(tmp) - 8, "/new.txt"), "new.txt inside: the "
       "extension kept");
    char dir[600];
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(tmp, '/') - tmp), tmp);
    struct stat st;
    OK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700,
       "the private directory has mode 0700");
    OK(tf_entries(fx_dir) == before + 1, "one entry more while writing");
    put(tmp, "new\n");
    OK(!gpcov_path_exists(fx_path("a.txt")), "nothing at dst before the commit");
    OK(gpcov_atomic_commit(ctx, tmp, fx_path("a.txt")) == GPCOV_OK, "commit");
    STREQ(text_of(fx_path("a.txt")), "new\n", "dst holds what was written");
    OK(!gpcov_path_exists(dir), "the private directory is gone");
    OK(tf_entries(fx_dir) == before + 1, "only dst is new in the directory");
    free(tmp);
    /* replacing with overwrite */
    OK(gpcov_atomic_begin(ctx, fx_path("a.txt"), 1, &tmp) == GPCOV_OK, "begin with overwrite");
    put(tmp, "newer\n");
    STREQ(text_of(fx_path("a.txt")), "new\n", "the old output stays until the commit");
    OK(gpcov_atomic_commit(ctx, tmp, fx_path("a.txt")) == GPCOV_OK, "commit over it");
    STREQ(text_of(fx_path("a.txt")), "newer\n", "replaced");
    OK(tf_entries(fx_dir) == before + 1, "no old copy left behind");
    free(tmp);
}

static void no_replace(void)
{
    put(fx_path("b.txt"), "old\n");
    char *tmp = (char *)1;
    OK(gpcov_atomic_begin(ctx, fx_path("b.txt"), 0, &tmp) == GPCOV_EOUTPUT && tmp == NULL,
       "an existing output is refused without overwrite, no temporary");
    char want[600];
    snprintf(want, sizeof want, "%s: exists already (use --overwrite to replace it)",
             fx_path("b.txt"));
    STREQ(gpcov_ctx_message(ctx), want, "the message");
    OK(gpcov_atomic_check(ctx, fx_path("b.txt"), 0) == GPCOV_EOUTPUT, "check says the same");
    OK(gpcov_atomic_check(ctx, fx_path("b.txt"), 1) == GPCOV_OK, "check with overwrite: ok");
    STREQ(text_of(fx_path("b.txt")), "old\n", "the old output untouched");
    /* an output that appears while the run computes */
    int before = tf_entries(fx_dir);
    OK(gpcov_atomic_begin(ctx, fx_path("c.txt"), 0, &tmp) == GPCOV_OK, "begin a new output");
    put(tmp, "mine\n");
    put(fx_path("c.txt"), "theirs\n");
    OK(gpcov_atomic_commit(ctx, tmp, fx_path("c.txt")) == GPCOV_EOUTPUT,
       "an output that appeared meanwhile is not replaced");
    snprintf(want, sizeof want,
             "%s: appeared while gpcov was computing; not replaced (use --overwrite to "
             "replace it)",
             fx_path("c.txt"));
    STREQ(gpcov_ctx_message(ctx), want, "the message");
    STREQ(text_of(fx_path("c.txt")), "theirs\n", "the other file is kept");
    OK(tf_entries(fx_dir) == before + 1, "and no temporary is left");
    free(tmp);
    /* nothing written: the old output is not removed for nothing */
    OK(gpcov_atomic_begin(ctx, fx_path("b.txt"), 1, &tmp) == GPCOV_OK, "begin over b.txt");
    OK(gpcov_atomic_commit(ctx, tmp, fx_path("b.txt")) == GPCOV_EINTERNAL,
       "a commit with nothing written fails");
    snprintf(want, sizeof want, "%s: nothing was written", fx_path("b.txt"));
    STREQ(gpcov_ctx_message(ctx), want, "the message");
    STREQ(text_of(fx_path("b.txt")), "old\n", "the old output stays");
    free(tmp);
}

static void input_refused(void)
{
    put(fx_path("in.csv"), "a\n1\n");
    OK(gpcov_input_check(ctx, fx_path("in.csv")) == GPCOV_OK, "in.csv read as an input");
    char *tmp = NULL;
    OK(gpcov_atomic_begin(ctx, fx_path("in.csv"), 1, &tmp) == GPCOV_EOUTPUT && !tmp,
       "an input is refused as an output even with overwrite");
    OK(strstr(gpcov_ctx_message(ctx), "is also an input of this run") != NULL, "and says so");
    /* an input read after begin is refused at the commit */
    put(fx_path("late.csv"), "a\n2\n");
    int before = tf_entries(fx_dir);
    OK(gpcov_atomic_begin(ctx, fx_path("late.csv"), 1, &tmp) == GPCOV_OK, "begin over late.csv");
    put(tmp, "replaced\n");
    gpcov_input_check(ctx, fx_path("late.csv"));
    OK(gpcov_atomic_commit(ctx, tmp, fx_path("late.csv")) == GPCOV_EOUTPUT,
       "read after begin: refused at the commit");
    char want[900];
    snprintf(want, sizeof want,
             "%s: is also an input of this run (%s): an input is never replaced, not even "
             "with --overwrite",
             fx_path("late.csv"), fx_path("late.csv"));
    STREQ(gpcov_ctx_message(ctx), want, "the message names it");
    STREQ(text_of(fx_path("late.csv")), "a\n2\n", "the input untouched");
    OK(tf_entries(fx_dir) == before, "no temporary left");
    free(tmp);
    /* in place: replacing an input is the point */
    OK(gpcov_atomic_begin_in_place(ctx, fx_path("in.csv"), &tmp) == GPCOV_OK,
       "begin in place over an input");
    put(tmp, "a\n3\n");
    OK(gpcov_atomic_commit(ctx, tmp, fx_path("in.csv")) == GPCOV_OK, "committed in place");
    STREQ(text_of(fx_path("in.csv")), "a\n3\n", "the file updated");
    free(tmp);
    gpcov_ctx_forget_inputs(ctx);
}

static void abort_leaves_nothing(void)
{
    int before = tf_entries(fx_dir);
    char *tmp = NULL;
    OK(gpcov_atomic_begin(ctx, fx_path("d.gpkg"), 0, &tmp) == GPCOV_OK, "begin d.gpkg");
    char side[700];
    put(tmp, "half");
    snprintf(side, sizeof side, "%s-journal", tmp);
    put(side, "j");
    snprintf(side, sizeof side, "%s.aux.xml", tmp);
    put(side, "x");
    gpcov_atomic_abort(tmp);
    OK(tf_entries(fx_dir) == before, "abort: the temporary, its side files and directory gone");
    OK(!gpcov_path_exists(fx_path("d.gpkg")), "and no output");
    free(tmp);
    gpcov_atomic_abort(NULL);
    OK(tf_entries(fx_dir) == before, "abort(NULL) removes nothing");
    /* a shapefile's parts, committed and aborted as one */
    OK(gpcov_atomic_begin(ctx, fx_path("e.shp"), 0, &tmp) == GPCOV_OK, "begin e.shp");
    static const char *const parts[] = {"shp", "shx", "dbf", "prj"};
    char p[700];
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%.*s.%s", (int)(strlen(tmp) - 4), tmp, parts[i]);
        put(p, parts[i]);
    }
    OK(gpcov_atomic_commit(ctx, tmp, fx_path("e.shp")) == GPCOV_OK, "commit a shapefile");
    int all = 1;
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "e.%s", parts[i]);
        all &= !strcmp(text_of(fx_path(name)), parts[i]);
    }
    OK(all, "its four parts in place");
    OK(tf_entries(fx_dir) == before + 4, "and nothing else");
    free(tmp);
    OK(gpcov_atomic_begin(ctx, fx_path("f.shp"), 0, &tmp) == GPCOV_OK, "begin f.shp");
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%.*s.%s", (int)(strlen(tmp) - 4), tmp, parts[i]);
        put(p, parts[i]);
    }
    gpcov_atomic_abort(tmp);
    OK(tf_entries(fx_dir) == before + 4, "an aborted shapefile leaves none of its parts");
    free(tmp);
    /* the signal handler's sweep */
    char *t1 = NULL, *t2 = NULL;
    gpcov_atomic_begin(ctx, fx_path("g1.txt"), 0, &t1);
    gpcov_atomic_begin(ctx, fx_path("g2.tif"), 0, &t2);
    put(t1, "1");
    put(t2, "2");
    OK(tf_entries(fx_dir) == before + 6, "two temporaries open");
    gpcov_atomic_remove_all();
    OK(tf_entries(fx_dir) == before + 4, "remove_all removes both");
    free(t1);
    free(t2);
}

static void stale_and_names(void)
{
    /* a private directory left by a process that is gone */
    long dead = 4194305; /* above Linux's largest pid_max: no such process */
    OK(kill((pid_t)dead, 0) != 0, "pid %ld does not run", dead);
    char stale[600], f[700];
    snprintf(stale, sizeof stale, "%s/.h.txt.tmp%ld-0", fx_dir, dead);
    OK(mkdir(stale, 0700) == 0, "a stale private directory planted");
    snprintf(f, sizeof f, "%s/new.txt", stale);
    put(f, "left");
    char keep[600];
    snprintf(keep, sizeof keep, "%s/.h.txt.tmpX-0", fx_dir); /* not ours: no pid */
    mkdir(keep, 0700);
    char *tmp = NULL;
    OK(gpcov_atomic_begin(ctx, fx_path("h.txt"), 0, &tmp) == GPCOV_OK, "begin h.txt");
    OK(!gpcov_path_exists(stale), "the stale directory is removed");
    OK(gpcov_path_exists(keep), "a name without a pid is left alone");
    gpcov_atomic_abort(tmp);
    free(tmp);
    rmdir(keep);
    /* names */
    char dirname[600];
    snprintf(dirname, sizeof dirname, "%s/", fx_dir);
    OK(gpcov_atomic_begin(ctx, dirname, 0, &tmp) == GPCOV_EOUTPUT, "an existing directory "
       "refused as existing");
    OK(gpcov_atomic_begin(ctx, dirname, 1, &tmp) == GPCOV_EUSAGE,
       "with overwrite: refused as a directory name");
    OK(strstr(gpcov_ctx_message(ctx), ": names a directory, not a file") != NULL,
       "names a directory");
    char longname[700];
    int n = snprintf(longname, sizeof longname, "%s/", fx_dir);
    memset(longname + n, 'n', 300);
    strcpy(longname + n + 300, ".txt");
    OK(gpcov_atomic_begin(ctx, longname, 0, &tmp) == GPCOV_EOUTPUT, "a 304-byte name refused");
    char limit[100];
    snprintf(limit, sizeof limit,
             ": the name is 304 bytes, longer than the file system allows (%ld)",
             pathconf(fx_dir, _PC_NAME_MAX));
    OK(strstr(gpcov_ctx_message(ctx), limit) != NULL, "with its length and the limit: %s",
       gpcov_ctx_message(ctx) + n);
    OK(gpcov_atomic_begin(ctx, "/no/such/dir/x.txt", 0, &tmp) == GPCOV_EOUTPUT,
       "a missing directory refused");
    OK(strstr(gpcov_ctx_message(ctx), "/no/such/dir/x.txt: cannot write into /no/such/dir: ") ==
           gpcov_ctx_message(ctx),
       "cannot write into it");
    /* a name near the limit still gets a private directory */
    n = snprintf(longname, sizeof longname, "%s/", fx_dir);
    memset(longname + n, 'm', 250);
    strcpy(longname + n + 250, ".txt");
    OK(gpcov_atomic_begin(ctx, longname, 0, &tmp) == GPCOV_OK, "a 254-byte name is fine");
    OK(strstr(tmp, "/.gpcov.tmp") != NULL, "its private directory has the short name");
    put(tmp, "long");
    OK(gpcov_atomic_commit(ctx, tmp, longname) == GPCOV_OK, "and it commits");
    STREQ(text_of(longname), "long", "the long name holds it");
    free(tmp);
}

int main(void)
{
    fx_make();
    ctx = gpcov_ctx_new();
    RUN(begin_commit);
    RUN(no_replace);
    RUN(input_refused);
    RUN(abort_leaves_nothing);
    RUN(stale_and_names);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
