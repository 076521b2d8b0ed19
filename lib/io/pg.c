/*
** pg.c: layers into PostGIS, whole or not at all.  A destination is
** "PG:<libpq conninfo> tables=[schema.]name", the same string OGR reads
** back.  io_write.c's writer asks gpcov_pg_begin for a connection in an open
** transaction and a fresh temporary table name; it writes the layer there
** through OGR's PostgreSQL driver, and gpcov_pg_finish, still in the same
** transaction, drops the table it replaces (only when overwriting),
** renames the temporary table and its indexes and sequence to the final
** names and commits.  Any failure rolls the whole transaction back: no
** half table, the previous table untouched, and a crashed run leaves
** nothing since PostgreSQL discards an uncommitted transaction.
** atomic.c's begin/commit/abort for PG destinations (callers that write
** several outputs and commit them together) are here too.
*/
#include "io_internal.h"

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int gpcov_pg_is(const char *dst)
{
    return dst && !strncmp(dst, "PG:", 3);
}

/* A lower-case SQL identifier that needs no quoting in psql: [a-z_][a-z0-9_]*. */
static int plain_ident(const char *s, size_t n)
{
    if (n == 0 || n > GPCOV_PG_NAME_MAX || !((*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

/* The next key=value token of a conninfo from *s (blanks skipped; a value
** may be 'quoted' with \' escapes), its length in *n; *s moves past it.
** NULL at the end. */
static const char *conn_token(const char **s, size_t *n)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return NULL;
    const char *tok = p;
    int q = 0;
    while (*p && (q || (*p != ' ' && *p != '\t'))) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '\'')
            q = !q;
        p++;
    }
    *n = (size_t)(p - tok);
    *s = p;
    return tok;
}

/* Splits "PG:conninfo tables=x" into the conninfo without tables= (for
** opening in update mode), the schema (or "") and the table. */
static gpcov_status parse(gpcov_ctx *ctx, const char *dst, struct gpcov_pg_out *w)
{
    const char *s = dst + 3;
    size_t len = strlen(s);
    char *conn = malloc(len + 4);
    if (!conn)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    strcpy(conn, "PG:");
    size_t cn = 3;
    const char *tables = NULL;
    size_t tlen = 0;
    const char *tok;
    size_t n;
    while ((tok = conn_token(&s, &n))) {
        if (n > 7 && !strncmp(tok, "tables=", 7)) {
            if (tables) {
                free(conn);
                return gpcov_err(ctx, GPCOV_EUSAGE, "%s: tables= given twice", dst);
            }
            tables = tok + 7;
            tlen = n - 7;
            continue;
        }
        if (cn > 3)
            conn[cn++] = ' ';
        memcpy(conn + cn, tok, n);
        cn += n;
    }
    conn[cn] = 0;
    w->conninfo = conn;
    if (!tables)
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "%s: a PostGIS output names its table: PG:<connection> tables=NAME", dst);
    const char *dot = memchr(tables, '.', tlen);
    const char *t = dot ? dot + 1 : tables;
    size_t sn = dot ? (size_t)(dot - tables) : 0, tn = tlen - (size_t)(t - tables);
    if ((dot && !plain_ident(tables, sn)) || !plain_ident(t, tn))
        return gpcov_err(ctx, GPCOV_EUSAGE,
                         "%s: table '%.*s': use [schema.]name in lower-case letters, digits "
                         "and _, at most %d characters each", dst, (int)tlen, tables,
                         GPCOV_PG_NAME_MAX);
    snprintf(w->schema, sizeof w->schema, "%.*s", (int)sn, tables);
    snprintf(w->table, sizeof w->table, "%.*s", (int)tn, t);
    return GPCOV_OK;
}

/* The value of key in a libpq conninfo ("PG:" prefix allowed), quotes
** and escapes removed, into out ("" when absent). */
static void conn_value(const char *s, const char *key, char *out, size_t outsz)
{
    size_t kl = strlen(key), n, k = 0;
    const char *tok;
    out[0] = 0;
    if (!strncmp(s, "PG:", 3))
        s += 3;
    while ((tok = conn_token(&s, &n)))
        if (n > kl && !strncmp(tok, key, kl) && tok[kl] == '=')
            break;
    if (!tok)
        return;
    for (const char *p = tok + kl + 1; p < tok + n; p++) {
        if (*p == '\\' && p + 1 < tok + n)
            p++;
        else if (*p == '\'')
            continue; /* quotes go, what they hold stays */
        if (k + 1 < outsz)
            out[k++] = *p;
    }
    out[k] = 0;
}

/* The same table of the same database: dbname, host and port equal (the
** user may differ), and tables= naming the same [schema.]table, where a
** name without a schema is in `schema` (the output's, resolved). */
static int same_table(const char *in, const char *dst, const char *schema, const char *table)
{
    static const char *keys[] = {"dbname", "host", "port", "service"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        char a[512], b[512];
        conn_value(in, keys[i], a, sizeof a);
        conn_value(dst, keys[i], b, sizeof b);
        if (strcmp(a, b))
            return 0;
    }
    char t[512], want[600];
    conn_value(in, "tables", t, sizeof t);
    if (!t[0])
        return 0;
    snprintf(want, sizeof want, "%s.%s", schema, table);
    return strchr(t, '.') ? !strcmp(t, want) : !strcmp(t, table);
}

/* The PostGIS input of this run (ctx.c keeps them with device and inode
** 0) that is the table dst writes, or NULL. */
static const char *input_of(gpcov_ctx *ctx, const char *dst, const char *schema,
                            const char *table)
{
    for (size_t i = 0; i < ctx->ninputs; i++)
        if (!ctx->inputs[i].dev && !ctx->inputs[i].ino &&
            same_table(ctx->inputs[i].path, dst, schema, table))
            return ctx->inputs[i].path;
    return NULL;
}

/* An identifier in double quotes, embedded quotes doubled. */
static void quote_ident(const char *s, char *out, size_t outsz)
{
    size_t k = 0;
    if (outsz < 3)
        return;
    out[k++] = '"';
    for (; *s && k + 3 < outsz; s++) {
        if (*s == '"')
            out[k++] = '"';
        out[k++] = *s;
    }
    out[k++] = '"';
    out[k] = 0;
}

/* A string literal in single quotes, embedded quotes doubled. */
static void quote_lit(const char *s, char *out, size_t outsz)
{
    size_t k = 0;
    if (outsz < 3)
        return;
    out[k++] = '\'';
    for (; *s && k + 3 < outsz; s++) {
        if (*s == '\'')
            out[k++] = '\'';
        out[k++] = *s;
    }
    out[k++] = '\'';
    out[k] = 0;
}

/* Runs a statement; 0 on success, else the message is in ctx->dep_msg. */
static int exec_sql(gpcov_ctx *ctx, GDALDatasetH ds, const char *sql)
{
    gpcov_dep_clear(ctx);
    OGRLayerH r = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (r)
        GDALDatasetReleaseResultSet(ds, r);
    return CPLGetLastErrorType() >= CE_Failure ? -1 : 0;
}

/* The first column of the first row of a query as text in out: 1 if there
** was a non-null value, 0 if none, -1 on error. */
static int query_value(gpcov_ctx *ctx, GDALDatasetH ds, const char *sql, char *out,
                       size_t outsz)
{
    gpcov_dep_clear(ctx);
    out[0] = 0;
    OGRLayerH r = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (!r)
        return CPLGetLastErrorType() >= CE_Failure ? -1 : 0;
    int found = 0;
    OGRFeatureH f = OGR_L_GetNextFeature(r);
    if (f && OGR_F_GetFieldCount(f) > 0 && OGR_F_IsFieldSetAndNotNull(f, 0)) {
        snprintf(out, outsz, "%s", OGR_F_GetFieldAsString(f, 0));
        found = 1;
    }
    if (f)
        OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, r);
    return CPLGetLastErrorType() >= CE_Failure ? -1 : found;
}

/* "schema"."name" */
static void qualified(const char *schema, const char *name, char *out, size_t outsz)
{
    char qs[260], qn[260];
    quote_ident(schema, qs, sizeof qs);
    quote_ident(name, qn, sizeof qn);
    snprintf(out, outsz, "%s.%s", qs, qn);
}

/* 1 if schema.name is a table (or other relation), 0 if not, -1 on error. */
static int relation_exists(gpcov_ctx *ctx, GDALDatasetH ds, const char *schema,
                           const char *name)
{
    char q[600], lit[1300], sql[1500], v[600];
    qualified(schema, name, q, sizeof q);
    quote_lit(q, lit, sizeof lit);
    snprintf(sql, sizeof sql, "SELECT to_regclass(%s)::text", lit);
    return query_value(ctx, ds, sql, v, sizeof v);
}

static void pg_close(struct gpcov_pg_out *w)
{
    if (!w)
        return;
    if (w->ds)
        GDALClose(w->ds);
    free(w->conninfo);
    free(w);
}

/* Connects (update mode), checks PostGIS, fills the schema when the
** destination named none. */
static gpcov_status pg_open(gpcov_ctx *ctx, const char *dst, struct gpcov_pg_out **out)
{
    *out = NULL;
    struct gpcov_pg_out *w = calloc(1, sizeof *w);
    if (!w)
        return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    gpcov_status st = parse(ctx, dst, w);
    if (st) {
        pg_close(w);
        return st;
    }
    gpcov_dep_clear(ctx);
    const char *drivers[] = {"PostgreSQL", NULL};
    w->ds = GDALOpenEx(w->conninfo, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);
    if (!w->ds) {
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot connect: %s", dst, gpcov_dep_error(ctx));
        pg_close(w);
        return st;
    }
    char v[128];
    int r = query_value(ctx, w->ds,
                        "SELECT extversion FROM pg_extension WHERE extname = 'postgis'", v,
                        sizeof v);
    if (r <= 0) {
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: %s", dst,
                       r < 0 ? gpcov_dep_error(ctx)
                             : "the database has no PostGIS (CREATE EXTENSION postgis)");
        pg_close(w);
        return st;
    }
    if (!w->schema[0]) {
        r = query_value(ctx, w->ds, "SELECT current_schema()", v, sizeof v);
        if (r <= 0) {
            st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: no schema to create the table in%s%s", dst,
                           r < 0 ? ": " : " (search_path is empty)",
                           r < 0 ? gpcov_dep_error(ctx) : "");
            pg_close(w);
            return st;
        }
        snprintf(w->schema, sizeof w->schema, "%s", v);
    }
    *out = w;
    return GPCOV_OK;
}

static gpcov_status refuse_existing(gpcov_ctx *ctx, const char *dst, struct gpcov_pg_out *w,
                                    int overwrite)
{
    const char *in = input_of(ctx, dst, w->schema, w->table);
    if (in)
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: table %s.%s is also an input of this run (%s): an input is never "
                         "replaced, not even with --overwrite",
                         dst, w->schema, w->table, in);
    int e = relation_exists(ctx, w->ds, w->schema, w->table);
    if (e < 0)
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: %s", dst, gpcov_dep_error(ctx));
    if (e && !overwrite)
        return gpcov_err(ctx, GPCOV_EOUTPUT,
                         "%s: table %s.%s exists already (use --overwrite to replace it)", dst,
                         w->schema, w->table);
    return GPCOV_OK;
}

/* A temporary table name no other run of this process uses. */
static void temp_name(char *out, size_t outsz)
{
    static unsigned counter;
    snprintf(out, outsz, "gpcov_tmp_%ld_%u", (long)getpid(), counter++);
}

gpcov_status gpcov_pg_check(gpcov_ctx *ctx, const char *dst, int overwrite)
{
    struct gpcov_pg_out *w;
    gpcov_status st = pg_open(ctx, dst, &w);
    if (st)
        return st;
    st = refuse_existing(ctx, dst, w, overwrite);
    pg_close(w);
    return st;
}

gpcov_status gpcov_pg_begin(gpcov_ctx *ctx, const char *dst, int overwrite,
                            struct gpcov_pg_out **out)
{
    struct gpcov_pg_out *w;
    gpcov_status st = pg_open(ctx, dst, &w);
    if (st)
        return st;
    w->overwrite = overwrite;
    gpcov_dep_clear(ctx);
    if (GDALDatasetStartTransaction(w->ds, 0) != OGRERR_NONE) {
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot start a transaction: %s", dst,
                       gpcov_dep_error(ctx));
        pg_close(w);
        return st;
    }
    w->in_tx = 1;
    if ((st = refuse_existing(ctx, dst, w, overwrite))) {
        GDALDatasetRollbackTransaction(w->ds);
        pg_close(w);
        return st;
    }
    do
        temp_name(w->tmp, sizeof w->tmp);
    while (relation_exists(ctx, w->ds, w->schema, w->tmp) > 0);
    *out = w;
    return GPCOV_OK;
}

/* Renames the indexes and the fid sequence of the table now called `to`
** from names starting with `from` to names starting with `to`, so a
** replaced table's index names stay those a user sees for a fresh one. */
static int rename_dependents(gpcov_ctx *ctx, GDALDatasetH ds, const char *schema,
                             const char *from, const char *to)
{
    char ls[300], lt[300], sql[2000];
    quote_lit(schema, ls, sizeof ls);
    quote_lit(to, lt, sizeof lt);
    snprintf(sql, sizeof sql,
             "SELECT c.relname::text, c.relkind::text FROM pg_class c "
             "JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE n.nspname = %s AND c.relkind IN ('i', 'S') AND (c.oid IN "
             "(SELECT indexrelid FROM pg_index WHERE indrelid = "
             "(SELECT t.oid FROM pg_class t WHERE t.relnamespace = n.oid AND t.relname = %s)) "
             "OR c.oid IN (SELECT objid FROM pg_depend WHERE classid = 'pg_class'::regclass "
             "AND refobjid = (SELECT t.oid FROM pg_class t WHERE t.relnamespace = n.oid "
             "AND t.relname = %s) AND deptype IN ('a', 'i'))) ORDER BY 1",
             ls, lt, lt);
    gpcov_dep_clear(ctx);
    OGRLayerH r = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (!r)
        return CPLGetLastErrorType() >= CE_Failure ? -1 : 0;
    char (*names)[2][80] = NULL;
    size_t n = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(r))) {
        const char *name = OGR_F_GetFieldAsString(f, 0);
        if (!strncmp(name, from, strlen(from))) {
            void *p = realloc(names, (n + 1) * sizeof *names);
            if (p) {
                names = p;
                snprintf(names[n][0], sizeof names[n][0], "%s", name);
                snprintf(names[n][1], sizeof names[n][1], "%s",
                         OGR_F_GetFieldAsString(f, 1));
                n++;
            }
        }
        OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(ds, r);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char q[600], nn[200], qn[420];
        qualified(schema, names[i][0], q, sizeof q);
        snprintf(nn, sizeof nn, "%s%s", to, names[i][0] + strlen(from));
        quote_ident(nn, qn, sizeof qn);
        snprintf(sql, sizeof sql, "ALTER %s %s RENAME TO %s",
                 names[i][1][0] == 'S' ? "SEQUENCE" : "INDEX", q, qn);
        rc = exec_sql(ctx, ds, sql);
    }
    free(names);
    return rc;
}

/* In the open transaction: replace (or create) schema.table by schema.tmp. */
static gpcov_status swap_in(gpcov_ctx *ctx, const char *dst, struct gpcov_pg_out *w,
                            const char *tmp)
{
    char qt[600], qtmp[600], qn[200], sql[1400];
    qualified(w->schema, w->table, qt, sizeof qt);
    qualified(w->schema, tmp, qtmp, sizeof qtmp);
    quote_ident(w->table, qn, sizeof qn);
    gpcov_status st = refuse_existing(ctx, dst, w, w->overwrite);
    if (st)
        return st;
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s", qt);
    if (exec_sql(ctx, w->ds, sql))
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot replace %s.%s: %s", dst, w->schema,
                         w->table, gpcov_dep_error(ctx));
    snprintf(sql, sizeof sql, "ALTER TABLE %s RENAME TO %s", qtmp, qn);
    if (exec_sql(ctx, w->ds, sql) || rename_dependents(ctx, w->ds, w->schema, tmp, w->table))
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot rename %s to %s: %s", dst, tmp,
                         w->table, gpcov_dep_error(ctx));
    return GPCOV_OK;
}

static void first_error(CPLErr cls, CPLErrorNum num, const char *m)
{
    (void)num;
    char *buf = CPLGetErrorHandlerUserData();
    if (cls >= CE_Failure && !buf[0])
        snprintf(buf, GPCOV_MSG_MAX, "%s", m);
}

/* The server's message on one line: its ERROR and DETAIL lines (a DETAIL
** that quotes a row is cut: it holds the geometry in hex), no CONTEXT. */
static void one_line(const char *m, char *out, size_t outsz)
{
    size_t k = 0;
    out[0] = 0;
    while (*m && k + 1 < outsz) {
        size_t n = strcspn(m, "\n");
        if (n && strncmp(m, "CONTEXT:", 8)) {
            size_t take = !strncmp(m, "DETAIL:", 7) && n > 80 ? 80 : n;
            k += (size_t)snprintf(out + k, outsz - k, "%s%.*s%s", k ? " " : "", (int)take, m,
                                  take < n ? "..." : "");
            if (k >= outsz)
                k = outsz - 1;
        }
        m += n;
        if (*m)
            m++;
    }
    /* "ERROR:  x" as the server pads it */
    for (char *p = out; (p = strstr(p, ":  ")); )
        memmove(p + 1, p + 2, strlen(p + 2) + 1);
}

/* Ends OGR's COPY of the rows.  The server reports a rejected row only
** then, and the driver reports it from the next statement, which then
** fails too ("current transaction is aborted"): keep the first message. */
static gpcov_status flush_rows(gpcov_ctx *ctx, const char *dst, struct gpcov_pg_out *w,
                               void *layer)
{
    char first[GPCOV_MSG_MAX] = "";
    CPLErrorReset();
    CPLPushErrorHandlerEx(first_error, first);
    OGRErr e = OGR_L_SyncToDisk(layer);
    OGRLayerH r = GDALDatasetExecuteSQL(w->ds, "SELECT 1", NULL, NULL);
    if (r)
        GDALDatasetReleaseResultSet(w->ds, r);
    CPLPopErrorHandler();
    if (e != OGRERR_NONE || first[0]) {
        char msg[GPCOV_MSG_MAX];
        one_line(first, msg, sizeof msg);
        return gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot write the rows: %s", dst,
                         msg[0] ? msg : "unknown error");
    }
    return GPCOV_OK;
}

gpcov_status gpcov_pg_finish(gpcov_ctx *ctx, const char *dst, struct gpcov_pg_out *w,
                             void *layer, gpcov_status st)
{
    if (!w)
        return st;
    if (!st && layer)
        st = flush_rows(ctx, dst, w, layer);
    if (!st)
        st = swap_in(ctx, dst, w, w->tmp);
    if (!st) {
        gpcov_dep_clear(ctx);
        if (GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE)
            st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot commit: %s", dst,
                           gpcov_dep_error(ctx));
    } else {
        char keep[GPCOV_MSG_MAX];
        memcpy(keep, ctx->msg, sizeof keep);
        GDALDatasetRollbackTransaction(w->ds);
        memcpy(ctx->msg, keep, sizeof keep);
    }
    w->in_tx = 0;
    pg_close(w);
    return st;
}

/* ------------------------------------------------ atomic.c's PG destinations */

gpcov_status gpcov_pg_atomic_begin(gpcov_ctx *ctx, const char *dst, int overwrite, char **tmp)
{
    struct gpcov_pg_out *w;
    *tmp = NULL;
    gpcov_status st = pg_open(ctx, dst, &w);
    if (st)
        return st;
    if (!(st = refuse_existing(ctx, dst, w, overwrite))) {
        char name[64];
        do
            temp_name(name, sizeof name);
        while (relation_exists(ctx, w->ds, w->schema, name) > 0);
        size_t n = strlen(w->conninfo) + strlen(w->schema) + strlen(name) + 16;
        if ((*tmp = malloc(n)))
            snprintf(*tmp, n, "%s tables=%s.%s", w->conninfo, w->schema, name);
        else
            st = gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
    }
    pg_close(w);
    return st;
}

gpcov_status gpcov_pg_atomic_commit(gpcov_ctx *ctx, const char *tmp, const char *dst)
{
    struct gpcov_pg_out *t, *w;
    gpcov_status st = pg_open(ctx, tmp, &t);
    if (st)
        return st;
    char tmpname[64];
    snprintf(tmpname, sizeof tmpname, "%s", t->table);
    pg_close(t);
    if ((st = pg_open(ctx, dst, &w)))
        return st;
    w->overwrite = 1; /* refused at begin unless overwrite, as a file is */
    gpcov_dep_clear(ctx);
    if (GDALDatasetStartTransaction(w->ds, 0) != OGRERR_NONE) {
        st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot start a transaction: %s", dst,
                       gpcov_dep_error(ctx));
        pg_close(w);
        gpcov_pg_atomic_abort(tmp);
        return st;
    }
    st = swap_in(ctx, dst, w, tmpname);
    if (!st) {
        gpcov_dep_clear(ctx);
        if (GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE)
            st = gpcov_err(ctx, GPCOV_EOUTPUT, "%s: cannot commit: %s", dst,
                           gpcov_dep_error(ctx));
    } else {
        GDALDatasetRollbackTransaction(w->ds);
    }
    pg_close(w);
    if (st)
        gpcov_pg_atomic_abort(tmp);
    return st;
}

void gpcov_pg_atomic_abort(const char *tmp)
{
    struct gpcov_pg_out w = {0};
    /* no context here: parse the name by hand; it was made by us */
    const char *t = strstr(tmp, " tables=");
    if (!t)
        return;
    char conn[4096], sql[800], q[600];
    snprintf(conn, sizeof conn, "%.*s", (int)(t - tmp), tmp);
    const char *name = t + 8, *dot = strchr(name, '.');
    snprintf(w.schema, sizeof w.schema, "%.*s", dot ? (int)(dot - name) : 0, name);
    snprintf(w.table, sizeof w.table, "%s", dot ? dot + 1 : name);
    if (strncmp(w.table, "gpcov_tmp_", 10))
        return; /* never drop anything but our own temporaries */
    const char *drivers[] = {"PostgreSQL", NULL};
    GDALDatasetH ds = GDALOpenEx(conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);
    if (!ds)
        return;
    qualified(w.schema, w.table, q, sizeof q);
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s", q);
    OGRLayerH r = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (r)
        GDALDatasetReleaseResultSet(ds, r);
    GDALClose(ds);
}
