/*
** compare_manifest.c: what differs between the inputs of two report runs,
** from their manifest.json: the software versions, the definition, the
** variables (out aside), every input file read by path and SHA-256 (the
** run's own outputs aside), and each step's arguments (with the run's
** out folder written ${out}).  One row each into R->inputs (what, name,
** a, b) and a few lines of the summary.
*/
#include "compare.h"

#include <cpl_string.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

static const char *str_at(json_object *o, const char *key)
{
    json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v) : NULL;
}

/* Adds one row: what, name, its value in A and in B ("" when none). */
static gpcov_status row(struct cmp_run *R, const char *what, const char *name, const char *a,
                        const char *b)
{
    long i = gpcov_layer_append(R->ctx, R->inputs, NULL, NULL);
    const char *v[4] = {what, name, a ? a : "(none)", b ? b : "(none)"};
    gpcov_status st = i < 0 ? gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory") : GPCOV_OK;
    for (size_t f = 0; !st && f < 4; f++)
        st = gpcov_layer_set_str(R->ctx, R->inputs, (size_t)i, f, v[f]);
    return st;
}

/* "path=sha256" of every file a run read that it did not make itself. */
static char **inputs_of(json_object *m, const char *out)
{
    char **l = NULL;
    json_object *steps = NULL;
    if (!json_object_object_get_ex(m, "steps", &steps))
        return NULL;
    size_t no = out ? strlen(out) : 0;
    for (size_t s = 0; s < json_object_array_length(steps); s++) {
        json_object *in = NULL;
        if (!json_object_object_get_ex(json_object_array_get_idx(steps, s), "inputs", &in))
            continue;
        for (size_t k = 0; k < json_object_array_length(in); k++) {
            json_object *f = json_object_array_get_idx(in, k);
            const char *p = str_at(f, "path"), *h = str_at(f, "sha256");
            if (p && h && !(no && !strncmp(p, out, no) && p[no] == '/'))
                l = CSLSetNameValue(l, p, h);
        }
    }
    return l;
}

/* A step's arguments as one line, its out folder written ${out}. */
static char *args_of(json_object *step, const char *out)
{
    json_object *args = NULL;
    if (!json_object_object_get_ex(step, "args", &args))
        return NULL;
    char *line = CPLStrdup("");
    for (size_t k = 0; k < json_object_array_length(args); k++) {
        const char *a = json_object_get_string(json_object_array_get_idx(args, k));
        char *t = CPLStrdup(a ? a : "");
        for (char *p; out && *out && (p = strstr(t, out));) {
            char *n = CPLStrdup(CPLSPrintf("%.*s${out}%s", (int)(p - t), t, p + strlen(out)));
            CPLFree(t);
            t = n;
        }
        char *n = CPLStrdup(CPLSPrintf("%s%s%s", line, k ? " " : "", t));
        CPLFree(line);
        CPLFree(t);
        line = n;
    }
    return line;
}

/* The pairs of two "name=value" lists that differ (skip names in skip). */
static gpcov_status diff_lists(struct cmp_run *R, const char *what, char **a, char **b,
                               const char *const *skip, size_t *n)
{
    gpcov_status st = GPCOV_OK;
    char **both[2] = {a, b};
    for (int s = 0; s < 2 && !st; s++)
        for (char **p = both[s]; p && *p && !st; p++) {
            char *name = NULL;
            const char *v = CPLParseNameValue(*p, &name);
            int skipped = !name || (skip && CSLFindString((char **)skip, name) >= 0);
            const char *va = s ? CSLFetchNameValue(a, name) : v;
            const char *vb = s ? v : CSLFetchNameValue(b, name);
            if (!skipped && (s == 0 ? !vb || strcmp(va, vb) : !va)) {
                st = row(R, what, name, va, vb);
                (*n)++;
            }
            CPLFree(name);
        }
    return st;
}

static char **vars_of(json_object *m)
{
    char **l = NULL;
    json_object *vars = NULL;
    if (!json_object_object_get_ex(m, "variables", &vars))
        return NULL;
    json_object_object_foreach(vars, k, v) {
        l = CSLSetNameValue(l, k, json_object_get_string(v));
    }
    return l;
}

static char **steps_of(json_object *m, const char *out)
{
    char **l = NULL;
    json_object *steps = NULL;
    if (!json_object_object_get_ex(m, "steps", &steps))
        return NULL;
    for (size_t s = 0; s < json_object_array_length(steps); s++) {
        json_object *step = json_object_array_get_idx(steps, s);
        char *args = args_of(step, out);
        if (str_at(step, "step") && args)
            l = CSLSetNameValue(l, str_at(step, "step"), args);
        CPLFree(args);
    }
    return l;
}

/* Prints the rows from `from` on: each name, with A -> B unless
** names_only or too long for a line. */
static void say_names(struct cmp_run *R, size_t from, const char *label, int names_only)
{
    const char *sep = ": ";
    fprintf(R->say, "%s", label);
    for (size_t i = from; i < R->inputs->n; i++) {
        const struct gpcov_value *n = gpcov_layer_value(R->inputs, i, 1);
        const struct gpcov_value *a = gpcov_layer_value(R->inputs, i, 2);
        const struct gpcov_value *b = gpcov_layer_value(R->inputs, i, 3);
        if (!names_only && strlen(a->str) + strlen(b->str) < 120)
            fprintf(R->say, "%s%s %s -> %s", sep, n->str, a->str, b->str);
        else
            fprintf(R->say, "%s%s", sep, n->str);
        sep = ", ";
    }
    fprintf(R->say, "\n");
}

/* The data sources of a run, as its maps credit them: the variables dagi,
** dst and plo on one line, census, and osm when the run used roads. */
static char **credits_of(json_object *m)
{
    char **v = vars_of(m), **l = NULL;
    const char *d = CSLFetchNameValue(v, "dagi"), *s = CSLFetchNameValue(v, "dst"),
               *p = CSLFetchNameValue(v, "plo"), *roads = CSLFetchNameValue(v, "roads");
    if (d || s || p)
        l = CSLAddString(l, CPLSPrintf("%s%s%s%s%s", d ? d : "", d && (s || p) ? " " : "",
                                       s ? s : "", s && p ? " " : "", p ? p : ""));
    if (CSLFetchNameValue(v, "census"))
        l = CSLAddString(l, CSLFetchNameValue(v, "census"));
    if (roads && *roads && CSLFetchNameValue(v, "osm"))
        l = CSLAddString(l, CSLFetchNameValue(v, "osm"));
    CSLDestroy(v);
    return l;
}

/* Both manifests read, their differences as rows and summary lines. */
static gpcov_status compare(struct cmp_run *R, json_object *ma, json_object *mb)
{
    static const char *const skip_vars[] = {"out", NULL};
    char **va = vars_of(ma), **vb = vars_of(mb);
    const char *oa = CSLFetchNameValue(va, "out"), *ob = CSLFetchNameValue(vb, "out");
    char **ia = inputs_of(ma, oa), **ib = inputs_of(mb, ob);
    char **sa = steps_of(ma, oa), **sb = steps_of(mb, ob);
    char **soft_a = NULL, **soft_b = NULL;
    static const char *const soft[] = {"gpcov", "gdal", "geos", "proj"};
    for (size_t k = 0; k < 4; k++) {
        soft_a = CSLSetNameValue(soft_a, soft[k], str_at(ma, soft[k]) ? str_at(ma, soft[k]) : "");
        soft_b = CSLSetNameValue(soft_b, soft[k], str_at(mb, soft[k]) ? str_at(mb, soft[k]) : "");
    }
    size_t n[4] = {0}, from[4];
    gpcov_status st = GPCOV_OK;
    from[0] = R->inputs->n;
    st = diff_lists(R, "software", soft_a, soft_b, NULL, &n[0]);
    from[1] = R->inputs->n;
    if (!st)
        st = diff_lists(R, "variable", va, vb, skip_vars, &n[1]);
    from[2] = R->inputs->n;
    if (!st)
        st = diff_lists(R, "input", ia, ib, NULL, &n[2]);
    from[3] = R->inputs->n;
    if (!st)
        st = diff_lists(R, "step", sa, sb, NULL, &n[3]);
    static const char *const label[] = {"software", "variables", "input files (SHA-256)",
                                        "steps with other arguments"};
    if (!st && !n[0] && !n[1] && !n[2] && !n[3])
        fprintf(R->say, "the inputs are the same: the two manifests differ only in out\n");
    for (int k = 0; !st && k < 4; k++) {
        size_t to = k < 3 ? from[k + 1] : R->inputs->n, keep = R->inputs->n;
        if (!n[k])
            continue;
        R->inputs->n = to; /* say only this part */
        say_names(R, from[k], label[k], k == 3);
        R->inputs->n = keep;
    }
    CSLDestroy(va), CSLDestroy(vb), CSLDestroy(ia), CSLDestroy(ib);
    CSLDestroy(sa), CSLDestroy(sb), CSLDestroy(soft_a), CSLDestroy(soft_b);
    return st;
}

gpcov_status cmp_manifests(struct cmp_run *R)
{
    if (!R->a.manifest || !R->b.manifest) {
        if (R->a.manifest || R->b.manifest)
            fprintf(R->say, "no manifest.json in %s: the inputs are not compared\n",
                    R->a.manifest ? R->b.src : R->a.src);
        return GPCOV_OK;
    }
    json_object *ma = json_object_from_file(R->a.manifest);
    json_object *mb = json_object_from_file(R->b.manifest);
    gpcov_status st = GPCOV_OK;
    if (!ma || !mb)
        st = gpcov_err(R->ctx, GPCOV_EINPUT, "%s: not a manifest (JSON): %s",
                       !ma ? R->a.manifest : R->b.manifest, json_util_get_last_err());
    static const char *const cols[] = {"what", "name", "a", "b"};
    if (!st && !(R->inputs = gpcov_layer_new("inputs")))
        st = gpcov_err(R->ctx, GPCOV_ENOMEM, "out of memory");
    for (size_t f = 0; !st && f < 4; f++)
        if (gpcov_layer_add_field(R->ctx, R->inputs, cols[f], GPCOV_STR) < 0)
            st = GPCOV_ENOMEM;
    if (!st)
        st = compare(R, ma, mb);
    if (!st)
        R->credits = credits_of(ma);
    json_object_put(ma);
    json_object_put(mb);
    return st;
}
