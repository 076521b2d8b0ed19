/*
** cmd_report.c: `gpcov report DEFINITION.ini`, a whole analysis from one
** file an analyst can read and edit.  [report] holds variables (${data},
** ${out}, ...); each [step NAME] is one gpcov command whose keys are its
** options, in order, so the definition reads like the command lines it
** runs.  A key may carry a condition ("table if esundhed = ..."), for
** inputs a user may or may not have.  The steps run in order, in this
** process; afterwards manifest.json in ${out} records the versions, the
** variables, every step's arguments, and the SHA-256 of every input and
** output.
*/
#include "cmd.h"
#include "report_io.h"

#include <cpl_string.h>
#include <dirent.h>
#include <gdal.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
    "usage: gpcov report DEFINITION.ini [--set NAME=VALUE]... [--overwrite] [--dry-run] [-q]\n"
    "\n"
    "Runs the steps of a report definition in order and writes manifest.json into\n"
    "${out}: the versions of gpcov, GDAL, GEOS and PROJ, every variable, every\n"
    "step's arguments, and the SHA-256 of every input and output.\n"
    "\n"
    "  --set NAME=VALUE  define or override a variable of [report] (repeatable)\n"
    "  --overwrite       let the steps replace their existing outputs\n"
    "  --dry-run         print the command of every step, run nothing\n"
    "  -q                print nothing but errors\n"
    "\n"
    "The definition (comments are whole lines starting with # or ;):\n"
    "  [report]\n"
    "  # required: where the outputs and the manifest go\n"
    "  out = reports/out\n"
    "  # any variable, used as ${data}\n"
    "  data = ../shared/data\n"
    "  [step municipalities]\n"
    "  # a gpcov command, then its options in order (keys may repeat)\n"
    "  command = overlay\n"
    "  polygons = shapefiles/kommuner.shp\n"
    "  table = ${data}/dst/folk1a.csv\n"
    "  # only when ${esundhed} is set and not empty; 'unless' for the opposite\n"
    "  table if esundhed = ${esundhed}\n"
    "  # the whole step only when ${roads} is set\n"
    "  when = roads\n"
    "  # an empty value is a flag (--knight); \"\" an empty argument\n"
    "  knight =\n";

static int truthy(char **vars, const char *name)
{
    const char *v = CSLFetchNameValue(vars, name);
    return v && *v && strcmp(v, "no") && strcmp(v, "0") && strcmp(v, "false");
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files a path stands for: itself, a shapefile's parts, a directory's files. */
static void expand_files(const char *p, char ***files)
{
    struct stat sb;
    if (stat(p, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(p);
        struct dirent *e;
        char **names = NULL;
        while (d && (e = readdir(d)))
            if (e->d_name[0] != '.')
                names = CSLAddString(names, e->d_name);
        if (d)
            closedir(d);
        /* the manifest lists a directory's files in a fixed order */
        if (names)
            qsort(names, (size_t)CSLCount(names), sizeof *names, by_name);
        for (char **n = names; n && *n; n++) {
            char full[4096];
            snprintf(full, sizeof full, "%s/%s", p, *n);
            if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode))
                *files = CSLAddString(*files, full);
        }
        CSLDestroy(names);
        return;
    }
    *files = CSLAddString(*files, p);
    size_t n = strlen(p);
    if (n > 4 && !strcasecmp(p + n - 4, ".shp")) {
        static const char *side[] = {"shx", "dbf", "prj", "cpg"};
        for (size_t k = 0; k < 4; k++) {
            char s[4096];
            snprintf(s, sizeof s, "%.*s.%s", (int)(n - 4), p, side[k]);
            if (stat(s, &sb) == 0)
                *files = CSLAddString(*files, s);
        }
    }
}

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Writes the files paths stand for with their sizes and SHA-256; a
** directory an input names is not hashed (the step reads what it needs). */
static int write_files(FILE *f, gpcov_ctx *ctx, char **paths, int inputs, const char *indent)
{
    char **files = NULL;
    for (char **p = paths; p && *p; p++)
        if (!inputs || !is_dir(*p))
            expand_files(*p, &files);
    fputs("[", f);
    int k = 0;
    for (char **p = files; p && *p; p++) {
        char hex[65];
        struct stat sb;
        if (gpcov_sha256_file(ctx, *p, hex) || stat(*p, &sb) != 0) {
            CSLDestroy(files);
            return -1;
        }
        fprintf(f, "%s\n%s  {\"path\": ", k++ ? "," : "", indent);
        json_str(f, *p);
        fprintf(f, ", \"bytes\": %lld, \"sha256\": \"%s\"}", (long long)sb.st_size, hex);
    }
    fprintf(f, "%s]", k ? "\n" : "");
    if (k)
        fprintf(f, "%s", "");
    CSLDestroy(files);
    return 0;
}

/* Prints a word as a shell would read it back, so a step can be pasted. */
static void shell_word(FILE *f, const char *w)
{
    if (*w && !strpbrk(w, " '\"()<>*$;&|\\`!?[]{}#~"))
        fprintf(f, " %s", w);
    else if (!strchr(w, '\'') )
        fprintf(f, " '%s'", w);
    else {
        fputs(" '", f);
        for (; *w; w++)
            fputs(*w == '\'' ? "'\\''" : (char[]){*w, 0}, f);
        fputc('\'', f);
    }
}

/* Steps run in the order written: a step that reads what a later step
** writes would read a stale file or none.  Returns EXIT_OK, or EXIT_DATA
** after naming the line that reads and the step that writes. */
static int check_step_order(gpcov_ctx *ctx, const char *def, const struct gpcov_ini *ini,
                            const struct gpcov_ini_section *rep, char **vars)
{
    for (size_t s = 0; s < ini->n; s++) {
        const struct gpcov_ini_section *sec = &ini->s[s];
        if (sec == rep)
            continue;
        for (size_t k = 0; k < sec->n; k++) {
            if (report_io_makes(sec->e[k].key) || !strcmp(sec->e[k].key, "command"))
                continue;
            char *v = NULL;
            if (gpcov_ini_expand(ctx, sec->e[k].value, vars, def, &v))
                continue; /* said when the step runs */
            for (size_t t = s + 1; t < ini->n; t++) {
                const struct gpcov_ini_section *later = &ini->s[t];
                if (later == rep)
                    continue;
                for (size_t m = 0; m < later->n; m++) {
                    char *w = NULL;
                    if (!report_io_makes(later->e[m].key) ||
                        gpcov_ini_expand(ctx, later->e[m].value, vars, def, &w))
                        continue;
                    int same = *w && !strcmp(v, w);
                    free(w);
                    if (same) {
                        fprintf(stderr,
                                "gpcov: %s:%d: [%s] reads %s, which [%s] writes at line %d, "
                                "after it: steps run in the order written (move [%s] up)\n",
                                def, sec->e[k].line, sec->name, v, later->name,
                                later->e[m].line, later->name);
                        free(v);
                        return EXIT_DATA;
                    }
                }
            }
            free(v);
        }
    }
    return EXIT_OK;
}

/* [report] values may use only the variables above them: a reference to
** one defined below (two that refer to each other, say) is named as such
** rather than as undefined.  Returns EXIT_OK or EXIT_DATA. */
static int check_forward_refs(const char *def, const struct gpcov_ini_section *rep,
                              char **setvars)
{
    for (size_t k = 0; rep && k < rep->n; k++) {
        if (CSLFetchNameValue(setvars, rep->e[k].key))
            continue;
        for (const char *p = strstr(rep->e[k].value, "${"); p; p = strstr(p + 2, "${")) {
            const char *end = strchr(p + 2, '}');
            if (!end)
                break;
            int n = (int)(end - p - 2);
            for (size_t j = k; j < rep->n; j++) {
                if ((int)strlen(rep->e[j].key) != n || strncmp(rep->e[j].key, p + 2, (size_t)n) ||
                    CSLFetchNameValue(setvars, rep->e[j].key))
                    continue;
                fprintf(stderr,
                        "gpcov: %s:%d: ${%.*s} is defined %s at line %d: a value may use only "
                        "the variables above it, so two cannot refer to each other\n",
                        def, rep->e[k].line, n, p + 2, j == k ? "by this very line" : "below",
                        rep->e[j].line);
                return EXIT_DATA;
            }
        }
    }
    return EXIT_OK;
}

static void iso_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cmd_report(int argc, char **argv)
{
    const char *def = NULL;
    char **vars = NULL;
    int overwrite = 0, dry = 0, quiet = 0, rc = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--overwrite")) overwrite = 1;
        else if (!strcmp(a, "--dry-run")) dry = 1;
        else if (!strcmp(a, "-q")) quiet = 1;
        else if (!strcmp(a, "--set") && i + 1 < argc) {
            const char *v = argv[++i], *eq = strchr(v, '=');
            if (!eq || eq == v) {
                CSLDestroy(vars);
                return tool_usage_error("report", "--set '%s': expected NAME=VALUE", v);
            }
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
            vars = CSLSetNameValue(vars, name, eq + 1);
        } else if (a[0] == '-' || def) {
            CSLDestroy(vars);
            return tool_usage_error("report", "unknown option or extra argument '%s'", a);
        } else
            def = a;
    }
    if (!def) {
        CSLDestroy(vars);
        return tool_usage_error("report", "a report definition is required");
    }
    gpcov_ctx *ctx = tool_ctx(1);
    struct gpcov_ini *ini = NULL;
    FILE *mf = NULL;
    char *tmp = NULL, started[32];
    iso_now(started, sizeof started);
    gpcov_status st = ctx ? gpcov_ini_read(ctx, def, &ini) : GPCOV_ENOMEM;
    if (st) {
        rc = ctx ? tool_fail(ctx, st) : EXIT_INTERNAL;
        goto done;
    }
    /* variables: --set wins over [report]; [report] values may use earlier ones */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", def);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    if (!CSLFetchNameValue(vars, "definition_dir"))
        vars = CSLSetNameValue(vars, "definition_dir", dir);
    struct gpcov_ini_section *rep = NULL;
    for (size_t s = 0; s < ini->n; s++) {
        if (!strcmp(ini->s[s].name, "report")) {
            rep = &ini->s[s];
            continue;
        }
        if (strncmp(ini->s[s].name, "step ", 5) || !ini->s[s].name[5]) {
            fprintf(stderr, "gpcov: %s:%d: unknown section [%s] (expected [report] or [step NAME])\n",
                    def, ini->s[s].line, ini->s[s].name);
            rc = EXIT_DATA;
            goto done;
        }
    }
    char **setvars = CSLDuplicate(vars);
    if ((rc = check_forward_refs(def, rep, setvars))) {
        CSLDestroy(setvars);
        goto done;
    }
    for (size_t k = 0; rep && k < rep->n; k++) {
        if (CSLFetchNameValue(setvars, rep->e[k].key))
            continue;
        char where[4200], *v = NULL;
        snprintf(where, sizeof where, "%s:%d", def, rep->e[k].line);
        if ((st = gpcov_ini_expand(ctx, rep->e[k].value, vars, where, &v))) {
            CSLDestroy(setvars);
            rc = tool_fail(ctx, st);
            goto done;
        }
        vars = CSLSetNameValue(vars, rep->e[k].key, v);
        free(v);
    }
    CSLDestroy(setvars);
    const char *out = CSLFetchNameValue(vars, "out");
    if (!out || !*out) {
        fprintf(stderr, "gpcov: %s: [report] must set out (the output directory)\n", def);
        rc = EXIT_DATA;
        goto done;
    }
    if ((rc = check_step_order(ctx, def, ini, rep, vars)))
        goto done;
    char manifest[4200];
    snprintf(manifest, sizeof manifest, "%s/manifest.json", out);
    if (!dry) {
        mkdir(out, 0777);
        if ((st = gpcov_atomic_begin(ctx, manifest, 1, &tmp)) || !(mf = fopen(tmp, "w"))) {
            rc = st ? tool_fail(ctx, st) : (fprintf(stderr, "gpcov: %s: cannot write\n", manifest), EXIT_DATA);
            goto done;
        }
        PJ_INFO pi = proj_info();
        fprintf(mf, "{\n  \"gpcov\": \"%s\",\n  \"gdal\": \"%s\",\n  \"geos\": \"%s\",\n  \"proj\": \"%s\",\n",
                GPCOV_VERSION, GDALVersionInfo("RELEASE_NAME"), GEOSversion(), pi.release);
        char hex[65];
        if ((st = gpcov_sha256_file(ctx, def, hex))) {
            rc = tool_fail(ctx, st);
            goto done;
        }
        fprintf(mf, "  \"definition\": {\"path\": ");
        json_str(mf, def);
        fprintf(mf, ", \"sha256\": \"%s\"},\n  \"started\": \"%s\",\n  \"variables\": {", hex, started);
        for (char **v = vars; v && *v; v++) {
            char *key = NULL;
            const char *val = CPLParseNameValue(*v, &key);
            fprintf(mf, "%s\n    ", v == vars ? "" : ",");
            json_str(mf, key);
            fputs(": ", mf);
            json_str(mf, val);
            CPLFree(key);
        }
        fprintf(mf, "\n  },\n  \"steps\": [");
    }
    int nsteps = 0;
    for (size_t s = 0; s < ini->n; s++) {
        struct gpcov_ini_section *sec = &ini->s[s];
        if (sec == rep)
            continue;
        const char *name = sec->name + 5, *command = NULL;
        int skip = 0;
        char **args = NULL;
        for (size_t k = 0; k < sec->n; k++) {
            const char *key = sec->e[k].key;
            if (!strcmp(key, "command"))
                command = sec->e[k].value;
            else if (!strcmp(key, "when"))
                skip |= !truthy(vars, sec->e[k].value);
            else if (!strcmp(key, "unless"))
                skip |= truthy(vars, sec->e[k].value);
        }
        if (!command || !command_find(command) || !strcmp(command, "report")) {
            fprintf(stderr, "gpcov: %s:%d: step %s: %s\n", def, sec->line, name,
                    !command ? "no 'command = ...'" : "unknown command (see gpcov --help)");
            rc = EXIT_DATA;
            goto done;
        }
        if (skip) {
            if (!quiet)
                printf("step %s: skipped (its condition does not hold)\n", name);
            continue;
        }
        args = CSLAddString(args, command);
        for (size_t k = 0; k < sec->n; k++) {
            const char *key = sec->e[k].key;
            if (!strcmp(key, "command") || !strcmp(key, "when") || !strcmp(key, "unless"))
                continue;
            char opt[256], cond[128] = "";
            int neg = 0;
            const char *sp = strchr(key, ' ');
            snprintf(opt, sizeof opt, "%.*s", sp ? (int)(sp - key) : (int)strlen(key), key);
            if (sp) {
                char w1[32] = "";
                if (sscanf(sp, " %31s %127s", w1, cond) != 2 || (strcmp(w1, "if") && strcmp(w1, "unless"))) {
                    fprintf(stderr, "gpcov: %s:%d: '%s': expected 'KEY', 'KEY if VAR' or 'KEY unless VAR'\n",
                            def, sec->e[k].line, key);
                    CSLDestroy(args);
                    rc = EXIT_DATA;
                    goto done;
                }
                neg = !strcmp(w1, "unless");
                if (truthy(vars, cond) == neg)
                    continue;
            }
            char where[4200], *v = NULL, dash[260];
            snprintf(where, sizeof where, "%s:%d", def, sec->e[k].line);
            if ((st = gpcov_ini_expand(ctx, sec->e[k].value, vars, where, &v))) {
                CSLDestroy(args);
                rc = tool_fail(ctx, st);
                goto done;
            }
            snprintf(dash, sizeof dash, "--%s", opt);
            args = CSLAddString(args, dash);
            if (!strcmp(v, "\"\"") || !strcmp(v, "''")) {
                args = CSLAddString(args, ""); /* an empty argument, not a flag */
            } else if (*v) {
                args = CSLAddString(args, v);
            }
            free(v);
        }
        if (overwrite)
            args = CSLAddString(args, "--overwrite");
        if (strcmp(command, "threat") || quiet)
            args = CSLAddString(args, "-q");
        if (dry || !quiet) {
            printf("step %s: gpcov", name);
            for (char **a = args; *a; a++)
                shell_word(stdout, *a);
            printf("\n");
            fflush(stdout);
        }
        if (dry) {
            CSLDestroy(args);
            continue;
        }
        int src = command_find(command)->fn(CSLCount(args), args);
        if (src != EXIT_OK) {
            fprintf(stderr, "gpcov: %s:%d: step %s failed (exit code %d)\n", def, sec->line, name, src);
            CSLDestroy(args);
            rc = src;
            goto done;
        }
        /* what the step reads and writes, as its options declare */
        char **ins = NULL, **outs = NULL;
        report_io_declare(CSLCount(args), args, &ins, &outs);
        fprintf(mf, "%s\n    {\"step\": ", nsteps++ ? "," : "");
        json_str(mf, name);
        fprintf(mf, ", \"command\": ");
        json_str(mf, command);
        fprintf(mf, ",\n     \"args\": [");
        for (char **a = args + 1; *a; a++) {
            fprintf(mf, "%s", a == args + 1 ? "" : ", ");
            json_str(mf, *a);
        }
        fprintf(mf, "],\n     \"inputs\": ");
        int bad = write_files(mf, ctx, ins, 1, "     ");
        fprintf(mf, ",\n     \"outputs\": ");
        bad |= write_files(mf, ctx, outs, 0, "     ");
        fprintf(mf, "}");
        CSLDestroy(ins);
        CSLDestroy(outs);
        CSLDestroy(args);
        if (bad) {
            rc = tool_fail(ctx, GPCOV_EINPUT);
            goto done;
        }
    }
    if (!dry) {
        char finished[32];
        iso_now(finished, sizeof finished);
        fprintf(mf, "\n  ],\n  \"finished\": \"%s\"\n}\n", finished);
        int bad = ferror(mf) != 0; /* an earlier write failed */
        bad |= fclose(mf) != 0;
        mf = NULL;
        if (bad || (st = gpcov_atomic_commit(ctx, tmp, manifest))) {
            rc = bad ? (fprintf(stderr, "gpcov: %s: cannot write\n", manifest), EXIT_DATA) : tool_fail(ctx, st);
            goto done;
        }
        free(tmp);
        tmp = NULL;
        if (!quiet)
            printf("wrote %s\n", manifest);
    }
done:
    if (mf)
        fclose(mf);
    if (tmp) {
        gpcov_atomic_abort(tmp);
        free(tmp);
    }
    CSLDestroy(vars);
    gpcov_ini_free(ini);
    gpcov_ctx_free(ctx);
    return rc;
}
