/*
** manifest.c: manifest.json of a report run, through json-c: the versions
** of gpcov, GDAL, GEOS and PROJ, the definition with its SHA-256, the
** start and end times, every variable, and for every step its command,
** arguments, and the files it read and wrote with their sizes and SHA-256.
** Its temporary is opened before the first step and committed atomically
** after the last, so a failed run leaves no manifest.
*/
#include "report.h"

#include <cpl_string.h>
#include <dirent.h>
#include <gdal.h>
#include <json-c/json.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

void report_iso_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of directory p, by name. */
static void expand_dir(const char *p, char ***files)
{
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
        struct stat sb;
        snprintf(full, sizeof full, "%s/%s", p, *n);
        if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode))
            *files = CSLAddString(*files, full);
    }
    CSLDestroy(names);
}

void report_expand_files(const char *p, char ***files)
{
    struct stat sb;
    if (stat(p, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        expand_dir(p, files);
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

static void add_str(json_object *o, const char *key, const char *v)
{
    json_object_object_add(o, key, json_object_new_string(v ? v : ""));
}

/* The files paths stand for, each {path, bytes, sha256}; a directory an
** input names is not hashed (the step reads what it needs of it). */
static gpcov_status files_json(struct report_run *run, char **paths, int inputs,
                               json_object **out)
{
    char **files = NULL;
    for (char **p = paths; p && *p; p++)
        if (!inputs || !gpcov_path_is_dir(*p))
            report_expand_files(*p, &files);
    json_object *a = json_object_new_array();
    for (char **p = files; p && *p; p++) {
        char hex[65];
        struct stat sb;
        if (gpcov_sha256_file(run->ctx, *p, hex) || stat(*p, &sb) != 0) {
            CSLDestroy(files);
            json_object_put(a);
            return GPCOV_EINPUT;
        }
        json_object *f = json_object_new_object();
        add_str(f, "path", *p);
        json_object_object_add(f, "bytes", json_object_new_int64((int64_t)sb.st_size));
        add_str(f, "sha256", hex);
        json_object_array_add(a, f);
    }
    CSLDestroy(files);
    *out = a;
    return GPCOV_OK;
}

gpcov_status report_manifest_step(struct report_run *run, const char *name, char **args,
                                  char **inputs, char **outputs)
{
    json_object *step = json_object_new_object(), *a = json_object_new_array(), *in = NULL,
                *out = NULL;
    add_str(step, "step", name);
    add_str(step, "command", args[0]);
    for (char **p = args + 1; *p; p++)
        json_object_array_add(a, json_object_new_string(*p));
    json_object_object_add(step, "args", a);
    gpcov_status st = files_json(run, inputs, 1, &in);
    if (!st)
        st = files_json(run, outputs, 0, &out);
    json_object_object_add(step, "inputs", in);
    json_object_object_add(step, "outputs", out);
    if (st)
        json_object_put(step);
    else
        json_object_array_add(run->steps, step);
    return st;
}

/* The head of the manifest: versions, the definition, the variables. */
static gpcov_status manifest_head(struct report_run *run, const char *started)
{
    char hex[65];
    gpcov_status st = gpcov_sha256_file(run->ctx, run->def, hex);
    if (st)
        return st;
    PJ_INFO pi = proj_info();
    json_object *m = run->root = json_object_new_object(), *d = json_object_new_object(),
                *v = json_object_new_object();
    add_str(m, "gpcov", GPCOV_VERSION);
    add_str(m, "gdal", GDALVersionInfo("RELEASE_NAME"));
    add_str(m, "geos", GEOSversion());
    add_str(m, "proj", pi.release);
    add_str(d, "path", run->def);
    add_str(d, "sha256", hex);
    json_object_object_add(m, "definition", d);
    add_str(m, "started", started);
    for (char **p = run->vars; p && *p; p++) {
        char *key = NULL;
        const char *val = CPLParseNameValue(*p, &key);
        add_str(v, key ? key : "", val);
        CPLFree(key);
    }
    json_object_object_add(m, "variables", v);
    run->steps = json_object_new_array();
    json_object_object_add(m, "steps", run->steps);
    return GPCOV_OK;
}

gpcov_status report_manifest_begin(struct report_run *run, const char *started)
{
    snprintf(run->path, sizeof run->path, "%s/manifest.json", run->out);
    mkdir(run->out, 0777);
    gpcov_status st = gpcov_atomic_begin(run->ctx, run->path, 1, &run->tmp);
    if (st)
        return st;
    if (!(run->f = fopen(run->tmp, "w")))
        return gpcov_err(run->ctx, GPCOV_EOUTPUT, "%s: cannot write", run->path);
    return manifest_head(run, started);
}

gpcov_status report_manifest_commit(struct report_run *run)
{
    char finished[32];
    report_iso_now(finished, sizeof finished);
    add_str(run->root, "finished", finished);
    const char *text = json_object_to_json_string_ext(
        run->root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    int bad = !text || fputs(text, run->f) < 0 || fputc('\n', run->f) == EOF;
    bad |= ferror(run->f) != 0; /* an earlier write failed */
    bad |= fclose(run->f) != 0;
    run->f = NULL;
    if (bad)
        return gpcov_err(run->ctx, GPCOV_EOUTPUT, "%s: cannot write", run->path);
    gpcov_status st = gpcov_atomic_commit(run->ctx, run->tmp, run->path);
    if (!st) {
        free(run->tmp);
        run->tmp = NULL;
    }
    return st;
}

void report_manifest_abort(struct report_run *run)
{
    if (run->f)
        fclose(run->f);
    run->f = NULL;
    if (run->tmp) {
        gpcov_atomic_abort(run->tmp);
        free(run->tmp);
        run->tmp = NULL;
    }
    json_object_put(run->root);
    run->root = run->steps = NULL;
}
