/* test_report.c: the report engine (lib/report/) through gpcov_report_run
** with a runner of the test's own: steps run in the order written with
** their variables expanded, --set wins over [report], the manifest (valid
** JSON, read back with json-c) names every step's inputs and outputs with
** their SHA-256 (checked against a known digest and sha256sum), a failed
** step puts back the files as they were and removes the new ones, and the
** errors name the file and line. */
#include "fixture.h"
#include "gpcov.h"
#include "tap.h"
#include "testfile.h"

#include <cpl_string.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <sys/stat.h>

static gpcov_ctx *ctx;

/* The fake commands: "write" writes --text into --output; "fail" writes
** into --output, then fails with exit code 3.  --input names a file read. */
struct fake {
    char **calls; /* each call's argv joined by '|' */
    char **said;  /* the lines said                 */
};

static int fk_known(void *user, const char *command)
{
    (void)user;
    return !strcmp(command, "write") || !strcmp(command, "fail");
}

static int fk_makes(void *user, const char *key)
{
    (void)user;
    return !strncmp(key, "output", 6) && (!key[6] || key[6] == ' ');
}

static const char *fk_opt(int argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

static void fk_declare(void *user, int argc, char **argv, char ***ins, char ***outs)
{
    (void)user;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--input"))
            *ins = CSLAddString(*ins, argv[i + 1]);
        else if (!strcmp(argv[i], "--output") || !strcmp(argv[i], "--dir"))
            *outs = CSLAddString(*outs, argv[i + 1]);
    }
}

static int fk_run(void *user, int argc, char **argv)
{
    struct fake *fk = user;
    char line[2048] = "";
    for (int i = 0; i < argc; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", i ? "|" : "", argv[i]);
    fk->calls = CSLAddString(fk->calls, line);
    const char *out = fk_opt(argc, argv, "--output");
    const char *text = fk_opt(argc, argv, "--text");
    const char *dir = fk_opt(argc, argv, "--dir");
    if (dir) { /* a directory of outputs, made anew */
        char f[1024];
        snprintf(f, sizeof f, "%s/part.txt", dir);
        FILE *o = mkdir(dir, 0777) == 0 ? fopen(f, "w") : NULL;
        if (!o)
            return 8;
        fputs("part", o);
        fclose(o);
    }
    if (out) {
        FILE *f = fopen(out, "w");
        if (!f)
            return 9;
        fputs(text ? text : "partial", f);
        fclose(f);
    }
    return strcmp(argv[0], "fail") ? 0 : 3;
}

static void fk_say(void *user, const char *line)
{
    struct fake *fk = user;
    fk->said = CSLAddString(fk->said, line);
}

static void fk_clear(struct fake *fk)
{
    CSLDestroy(fk->calls);
    CSLDestroy(fk->said);
    fk->calls = fk->said = NULL;
}

static const char *const talkers[] = {"fail", NULL};

static gpcov_status run_def(struct fake *fk, const char *def, char **vars, int overwrite,
                            int dry_run, int *rc)
{
    struct gpcov_report_runner r = {fk, fk_known, fk_makes, fk_declare, fk_run, fk_say, talkers,
                                    NULL, NULL};
    struct gpcov_report_opts o = {.definition = fx_path(def), .vars = vars,
                                  .overwrite = overwrite, .dry_run = dry_run, .verbose = 1};
    return gpcov_report_run(ctx, &o, &r, rc);
}

/* The fake command's own error line, as the runner's why. */
static const char *fk_why(void *user)
{
    (void)user;
    return "x.csv:3: no such column";
}

/* A run as `gpcov report` without --verbose: the runner says why. */
static gpcov_status run_plain(struct fake *fk, const char *def, int *rc)
{
    struct gpcov_report_runner r = {fk, fk_known, fk_makes, fk_declare, fk_run, fk_say, talkers,
                                    NULL, fk_why};
    struct gpcov_report_opts o = {.definition = fx_path(def), .overwrite = 1};
    return gpcov_report_run(ctx, &o, &r, rc);
}

/* The definition of the normal run: out in the fixture's directory. */
static void write_def(const char *name, const char *steps)
{
    char text[4096];
    snprintf(text, sizeof text,
             "[report]\nout = %s/out\ngreeting = hello\nmsg = ${greeting} world\n\n%s", fx_dir,
             steps);
    fx_write(name, text);
}

static const char two_steps[] = "[step one]\ncommand = write\noutput = ${out}/a.txt\n"
                                "text = ${msg}\n\n"
                                "[step two]\ncommand = write\ninput = ${out}/a.txt\n"
                                "output = ${out}/b.txt\ntext = two\n";

/* SHA-256 of path by sha256sum, an independent program. */
static void sha256sum(const char *path, char hex[65])
{
    char cmd[700];
    hex[0] = 0;
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    if (fscanf(p, "%64s", hex) != 1)
        hex[0] = 0;
    pclose(p);
}

static void test_order_and_vars(void)
{
    struct fake fk = {0};
    int rc = -1;
    write_def("r1.ini", two_steps);
    gpcov_status st = run_def(&fk, "r1.ini", NULL, 0, 0, &rc);
    OK(st == GPCOV_OK && rc == 0, "a two-step report runs: %s", gpcov_ctx_message(ctx));
    OK(CSLCount(fk.calls) == 2, "two commands ran (%d)", CSLCount(fk.calls));
    char want[1024];
    snprintf(want, sizeof want, "write|--output|%s/out/a.txt|--text|hello world|-q", fx_dir);
    STREQ(fk.calls ? fk.calls[0] : NULL, want,
          "the first step first, its keys in order, ${msg} expanded in turn, -q added");
    snprintf(want, sizeof want,
             "write|--input|%s/out/a.txt|--output|%s/out/b.txt|--text|two|-q", fx_dir, fx_dir);
    STREQ(CSLCount(fk.calls) > 1 ? fk.calls[1] : NULL, want, "then the second");
    snprintf(want, sizeof want, "step one: gpcov write --output %s/out/a.txt --text 'hello world' -q",
             fx_dir);
    STREQ(fk.said ? fk.said[0] : NULL, want, "the step is said as a shell reads it back");
    snprintf(want, sizeof want, "wrote %s/out/manifest.json", fx_dir);
    STREQ(CSLCount(fk.said) == 3 ? fk.said[2] : NULL, want, "the last line names the manifest");
    long n;
    char *a = tf_slurp(fx_path("out/a.txt"), &n);
    STREQ(a, "hello world", "the first step wrote its file");
    free(a);
    fk_clear(&fk);
}

static void test_set_overrides(void)
{
    struct fake fk = {0};
    int rc = -1;
    char *vars[] = {"greeting=bye", NULL};
    write_def("r2.ini", "[step one]\ncommand = write\noutput = ${out}/s.txt\ntext = ${msg}\n"
                        "[step loud]\ncommand = fail\nwhen = loud\n"
                        "[step extra]\ncommand = write\noutput if loud = ${out}/x.txt\n"
                        "text unless loud = ${definition_dir}\n");
    gpcov_status st = run_def(&fk, "r2.ini", vars, 1, 0, &rc);
    OK(st == GPCOV_OK, "the run with --set runs: %s", gpcov_ctx_message(ctx));
    char want[1024];
    snprintf(want, sizeof want, "write|--output|%s/out/s.txt|--text|bye world|--overwrite|-q",
             fx_dir);
    STREQ(fk.calls ? fk.calls[0] : NULL, want,
          "--set greeting wins over [report], and values using it follow; --overwrite passed");
    STREQ(CSLCount(fk.said) > 1 ? fk.said[1] : NULL,
          "step loud: skipped (its condition does not hold)", "a step whose 'when' fails is skipped");
    snprintf(want, sizeof want, "write|--text|%s|--overwrite|-q", fx_dir);
    STREQ(CSLCount(fk.calls) > 1 ? fk.calls[1] : NULL, want,
          "'KEY if VAR' drops the option, 'KEY unless VAR' keeps it; ${definition_dir}");
    fk_clear(&fk);
}

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *str(json_object *o, const char *key)
{
    json_object *v = get(o, key);
    return v ? json_object_get_string(v) : NULL;
}

static void test_manifest(void)
{
    struct fake fk = {0};
    int rc = -1;
    write_def("r3.ini", two_steps);
    gpcov_status st = run_def(&fk, "r3.ini", NULL, 1, 0, &rc);
    OK(st == GPCOV_OK, "the report runs again over its outputs: %s", gpcov_ctx_message(ctx));
    fk_clear(&fk);
    json_object *m = json_object_from_file(fx_path("out/manifest.json"));
    OK(m && json_object_is_type(m, json_type_object), "manifest.json is a JSON object");
    char hex[65], path[600];
    sha256sum(fx_path("r3.ini"), hex);
    STREQ(str(get(m, "definition"), "path"), fx_path("r3.ini"), "it names the definition");
    STREQ(str(get(m, "definition"), "sha256"), hex, "with its SHA-256 as sha256sum has it");
    STREQ(str(get(m, "variables"), "msg"), "hello world", "the variables, expanded");
    snprintf(path, sizeof path, "%s/out", fx_dir);
    STREQ(str(get(m, "variables"), "out"), path, "out among them");
    STREQ(str(get(m, "variables"), "definition_dir"), fx_dir, "definition_dir among them");
    OK(str(m, "started") && strlen(str(m, "started")) == 20 && str(m, "finished"),
       "start and end times");
    json_object *steps = get(m, "steps");
    OK(steps && json_object_array_length(steps) == 2, "two steps");
    json_object *s1 = json_object_array_get_idx(steps, 0), *s2 = json_object_array_get_idx(steps, 1);
    STREQ(str(s1, "step"), "one", "the first step by name");
    STREQ(str(s1, "command"), "write", "and its command");
    json_object *args = get(s1, "args");
    OK(args && json_object_array_length(args) == 6 &&
           !strcmp(json_object_get_string(json_object_array_get_idx(args, 3)), "hello world"),
       "its arguments after the command");
    OK(get(s1, "inputs") && json_object_array_length(get(s1, "inputs")) == 0, "it read nothing");
    json_object *out1 = json_object_array_get_idx(get(s1, "outputs"), 0);
    STREQ(str(out1, "path"), fx_path("out/a.txt"), "it wrote a.txt");
    OK(get(out1, "bytes") && json_object_get_int64(get(out1, "bytes")) == 11, "of 11 bytes");
    /* the digest of "hello world", as published for SHA-256 test vectors */
    STREQ(str(out1, "sha256"), "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
          "with the known SHA-256 of \"hello world\"");
    json_object *in2 = json_object_array_get_idx(get(s2, "inputs"), 0);
    STREQ(str(in2, "path"), fx_path("out/a.txt"), "the second step read a.txt");
    STREQ(str(in2, "sha256"), "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
          "with the same SHA-256");
    json_object *out2 = json_object_array_get_idx(get(s2, "outputs"), 0);
    sha256sum(fx_path("out/b.txt"), hex);
    STREQ(str(out2, "sha256"), hex, "b.txt's SHA-256 is sha256sum's");
    STREQ(hex, "3fc4ccfe745870e2c0d99f71f30ff0656c8dedd41cc1d7d3d376b0dbe685e2f3",
          "which is the known SHA-256 of \"two\"");
    json_object_put(m);
    OK(gpcov_sha256_file(ctx, fx_path("nothere"), hex) != GPCOV_OK, "no SHA-256 of a missing file");
}

/* Bytes and modification time of path, for "as it was". */
static void file_state(const char *path, char **bytes, long *n, long *mtime)
{
    struct stat sb;
    *bytes = tf_slurp(path, n);
    *mtime = stat(path, &sb) == 0 ? (long)sb.st_mtime : -1;
}

static void test_rollback(void)
{
    struct fake fk = {0};
    int rc = -1;
    mkdir(fx_path("out"), 0777);
    FILE *f = fopen(fx_path("out/a.txt"), "wb");
    if (f) {
        fwrite("old\0bytes\n", 1, 10, f);
        fclose(f);
    }
    struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
    utimensat(AT_FDCWD, fx_path("out/a.txt"), ts, 0);
    remove(fx_path("out/manifest.json"));
    remove(fx_path("out/b.txt"));
    remove(fx_path("out/s.txt"));
    write_def("r4.ini", "[step one]\ncommand = write\noutput = ${out}/a.txt\ntext = new\n"
                        "[step new]\ncommand = write\noutput = ${out}/new.txt\ntext = n\n"
                        "[step bad]\ncommand = fail\noutput = ${out}/b.txt\n");
    gpcov_status st = run_def(&fk, "r4.ini", NULL, 1, 0, &rc);
    char want[1024];
    snprintf(want, sizeof want, "%s: step bad (fail) failed: exit code 3", fx_path("r4.ini:14"));
    OK(st == GPCOV_EINPUT && rc == 3, "a failing third step fails the run with its code (%d)", rc);
    STREQ(gpcov_ctx_message(ctx), want, "naming the file, line and step");
    OK(CSLCount(fk.calls) == 3, "all three ran before the failure");
    snprintf(want, sizeof want, "fail|--output|%s/out/b.txt|--overwrite", fx_dir);
    STREQ(CSLCount(fk.calls) == 3 ? fk.calls[2] : NULL, want, "a talker keeps its report: no -q");
    OK(CSLCount(fk.said) == 3, "three steps said, no manifest");
    char *b;
    long n, mt;
    file_state(fx_path("out/a.txt"), &b, &n, &mt);
    OK(b && n == 10 && !memcmp(b, "old\0bytes\n", 10), "a.txt is put back byte for byte");
    OK(mt == 1000000000, "with its time (%ld)", mt);
    free(b);
    OK(access(fx_path("out/new.txt"), F_OK) != 0, "the new file of the second step is removed");
    OK(access(fx_path("out/b.txt"), F_OK) != 0, "the failed step's partial output is removed");
    OK(access(fx_path("out/manifest.json"), F_OK) != 0, "no manifest is written");
    OK(tf_entries(fx_path("out")) == 1, "only a.txt is left in out (%d)", tf_entries(fx_path("out")));
    fk_clear(&fk);
}

/* The brief case: the second of two steps fails; the first's output is
** put back as it was, and the directory it made is removed with its file. */
static void test_second_fails(void)
{
    struct fake fk = {0};
    int rc = -1;
    fx_write("out/one.txt", "earlier output\n");
    write_def("r6.ini", "[step one]\ncommand = write\noutput = ${out}/one.txt\ntext = later\n"
                        "dir = ${out}/parts\n"
                        "[step two]\ncommand = fail\ninput = ${out}/one.txt\n"
                        "output = ${out}/two.txt\n");
    gpcov_status st = run_def(&fk, "r6.ini", NULL, 1, 0, &rc);
    OK(st == GPCOV_EINPUT && rc == 3 && CSLCount(fk.calls) == 2, "the second step fails");
    long n;
    char *b = tf_slurp(fx_path("out/one.txt"), &n);
    STREQ(b, "earlier output\n", "the first step's output is as it was before the run");
    free(b);
    OK(access(fx_path("out/parts"), F_OK) != 0, "the directory the first step made is removed");
    OK(access(fx_path("out/two.txt"), F_OK) != 0 && access(fx_path("out/manifest.json"), F_OK) != 0,
       "no output of the second step, no manifest");
    fk_clear(&fk);
}

static void test_dry_run(void)
{
    struct fake fk = {0};
    int rc = -1;
    write_def("r5.ini", "[step one]\ncommand = write\noutput = ${out}/dry.txt\ntext = x\n");
    gpcov_status st = run_def(&fk, "r5.ini", NULL, 0, 1, &rc);
    OK(st == GPCOV_OK && !fk.calls, "a dry run runs nothing");
    OK(CSLCount(fk.said) == 1 && strstr(fk.said[0], "step one: gpcov write --output"),
       "it says the step");
    OK(access(fx_path("out/dry.txt"), F_OK) != 0, "and writes nothing");
    fk_clear(&fk);
}

/* Without --verbose: no command lines said, a failed step in one line in
** the command's own words. */
static void test_plain(void)
{
    struct fake fk = {0};
    int rc = -1;
    write_def("r7.ini", "[step one]\ncommand = write\noutput = ${out}/p.txt\ntext = x\n"
                        "[step two]\ncommand = fail\ninput = ${out}/p.txt\n"
                        "output = ${out}/q.txt\n");
    gpcov_status st = run_plain(&fk, "r7.ini", &rc);
    OK(st == GPCOV_EINPUT && rc == 3 && CSLCount(fk.calls) == 2, "the second step fails (%d)", rc);
    STREQ(gpcov_ctx_message(ctx), "step two (fail) failed: x.csv:3: no such column",
          "one line: the step, its command and the command's own error");
    OK(!fk.said, "no command line is said (%s)", fk.said ? fk.said[0] : "none");
    fk_clear(&fk);
}

/* Every input must be there before the first step: all the missing ones
** are listed (an earlier step's output counts as there), nothing runs. */
static void test_missing_inputs(void)
{
    struct fake fk = {0};
    int rc = -1;
    remove(fx_path("out/m1.txt"));
    write_def("r8.ini", "[step one]\ncommand = write\ninput = ${out}/none1.csv\n"
                        "output = ${out}/m1.txt\n"
                        "[step two]\ncommand = write\ninput = ${out}/m1.txt\n"
                        "input = ${definition_dir}/r8.ini\ninput = /nonexistent/none2.csv\n"
                        "output = ${out}/m2.txt\n");
    gpcov_status st = run_plain(&fk, "r8.ini", &rc);
    char want[2048];
    snprintf(want, sizeof want,
             "2 inputs missing, no step run:\n  step one: --input %s/out/none1.csv\n"
             "  step two: --input /nonexistent/none2.csv", fx_dir);
    OK(st == GPCOV_EINPUT && rc == 0, "a run with missing inputs fails (%d)", (int)st);
    STREQ(gpcov_ctx_message(ctx), want, "listing each by step, option and path");
    OK(!fk.calls, "no step ran");
    OK(access(fx_path("out/m1.txt"), F_OK) != 0 && access(fx_path("out/manifest.json"), F_OK) != 0,
       "nothing is written");
    fk_clear(&fk);
}

/* The message of running text as a definition, "(ok)" when it runs. */
static const char *error_of(const char *name, const char *text)
{
    struct fake fk = {0};
    int rc = -1;
    fx_write(name, text);
    gpcov_status st = run_def(&fk, name, NULL, 1, 0, &rc);
    fk_clear(&fk);
    return st ? gpcov_ctx_message(ctx) : "(ok)";
}

static void test_errors(void)
{
    char want[1024], text[1024];
    snprintf(want, sizeof want, "%s: [report] must set out (the output directory)",
             fx_path("e1.ini"));
    STREQ(error_of("e1.ini", "[report]\ndata = x\n"), want, "a report without out");
    snprintf(text, sizeof text, "[report]\nout = %s/out\n[step x]\ncommand = rm\n", fx_dir);
    snprintf(want, sizeof want, "%s: step x: unknown command (see gpcov --help)",
             fx_path("e2.ini:3"));
    STREQ(error_of("e2.ini", text), want, "an unknown command");
    snprintf(want, sizeof want, "%s: step x: no 'command = ...'", fx_path("e3.ini:3"));
    snprintf(text, sizeof text, "[report]\nout = %s/out\n[step x]\noutput = y\n", fx_dir);
    STREQ(error_of("e3.ini", text), want, "a step without a command");
    snprintf(want, sizeof want, "%s: unknown section [steps] (expected [report] or [step NAME])",
             fx_path("e4.ini:1"));
    STREQ(error_of("e4.ini", "[steps]\n"), want, "an unknown section");
    snprintf(text, sizeof text,
             "[report]\nout = %s/out\n[step a]\ncommand = write\ninput = ${out}/z\n"
             "[step b]\ncommand = write\noutput = ${out}/z\n", fx_dir);
    snprintf(want, sizeof want,
             "%s: [step a] reads %s/out/z, which [step b] writes at line 8, after it: steps run "
             "in the order written (move [step b] up)",
             fx_path("e5.ini:5"), fx_dir);
    STREQ(error_of("e5.ini", text), want, "a step that reads what a later one writes");
    snprintf(want, sizeof want,
             "%s: ${b} is defined below at line 3: a value may use only the variables above "
             "it, so two cannot refer to each other",
             fx_path("e6.ini:2"));
    STREQ(error_of("e6.ini", "[report]\na = ${b}\nb = 1\nout = o\n"), want,
          "a variable used above its definition");
    snprintf(text, sizeof text, "[report]\nout = %s/out\n[step a]\ncommand = write\nx y = 1\n",
             fx_dir);
    snprintf(want, sizeof want, "%s: 'x y': expected 'KEY', 'KEY if VAR' or 'KEY unless VAR'",
             fx_path("e7.ini:5"));
    STREQ(error_of("e7.ini", text), want, "a key of two words without if/unless");
}

int main(void)
{
    ctx = gpcov_ctx_new();
    fx_make();
    RUN(test_order_and_vars);
    RUN(test_set_overrides);
    RUN(test_manifest);
    RUN(test_rollback);
    RUN(test_second_fails);
    RUN(test_dry_run);
    RUN(test_plain);
    RUN(test_missing_inputs);
    RUN(test_errors);
    fx_clean();
    gpcov_ctx_free(ctx);
    return tap_done();
}
