/*
** table.c: attribute tables read through OGR: CSV (comma, semicolon or
** tab), XLSX, ODS, or the attributes of any vector layer.  Every cell is
** kept as the text the file holds, so a code "0101" is not turned into the
** number 101 and the joins and filters decide what a cell means.  Raw
** spreadsheet exports, like StatBank's, have title rows above the header
** and leave repeated labels blank (merged cells): skip_rows, columns and
** fill_down read them as they are.
*/
#include "io_internal.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gpcov_table_free(struct gpcov_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->cols && i < t->ncols; i++)
        free(t->cols[i]);
    for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cols);
    free(t->cells);
    free(t->row_line);
    free(t->path);
    free(t);
}

int gpcov_table_col(const struct gpcov_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (!strcmp(t->cols[i], name))
            return (int)i;
    return -1;
}

/* ---------------------------------------------------------------- XLSX
** Some writers (StatBank among them) prefix every SpreadsheetML element
** with a namespace ("<x:row>"), which GDAL 3.6's XLSX driver reads as an
** empty sheet.  Such a file is copied into /vsimem/ with the prefix
** removed, and that copy is what OGR reads.  Nothing is written to disk. */

static char *read_vsi(const char *path, size_t *len)
{
    VSILFILE *f = VSIFOpenL(path, "rb");
    if (!f)
        return NULL;
    VSIFSeekL(f, 0, SEEK_END);
    vsi_l_offset n = VSIFTellL(f);
    VSIFSeekL(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && VSIFReadL(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    VSIFCloseL(f);
    if (buf) {
        buf[n] = 0;
        *len = (size_t)n;
    }
    return buf;
}

/* Removes "x:" after "<" or "</" and turns "xmlns:x=" into "xmlns=". */
static size_t strip_prefix(char *s, size_t n, const char *pfx)
{
    size_t pl = strlen(pfx), w = 0;
    for (size_t r = 0; r < n;) {
        if (s[r] == '<' && r + 1 < n) {
            size_t q = r + 1 + (s[r + 1] == '/');
            if (q + pl <= n && !memcmp(s + q, pfx, pl)) {
                memmove(s + w, s + r, q - r);
                w += q - r;
                r = q + pl;
                continue;
            }
        }
        if (r + 6 + pl <= n && !memcmp(s + r, "xmlns:", 6) &&
            !memcmp(s + r + 6, pfx, pl - 1) && s[r + 6 + pl - 1] == '=') {
            memcpy(s + w, "xmlns=", 6);
            w += 6;
            r += 6 + pl;
            continue;
        }
        s[w++] = s[r++];
    }
    return w;
}

static int add_tree(void *zip, const char *root, const char *rel)
{
    char dir[2048];
    snprintf(dir, sizeof dir, "%s%s%s", root, rel[0] ? "/" : "", rel);
    char **entries = VSIReadDir(dir);
    int rc = 0;
    for (int i = 0; entries && entries[i] && rc == 0; i++) {
        char relp[1024], full[2048];
        snprintf(relp, sizeof relp, "%s%s%s", rel, rel[0] ? "/" : "", entries[i]);
        snprintf(full, sizeof full, "%s/%s", root, relp);
        char **sub = VSIReadDir(full); /* NULL for a file */
        if (sub) {
            CSLDestroy(sub);
            rc = add_tree(zip, root, relp);
            continue;
        }
        size_t len = 0;
        char *buf = read_vsi(full, &len);
        if (!buf) {
            rc = -1;
            break;
        }
        if (strstr(relp, ".xml") || strstr(relp, ".rels"))
            len = strip_prefix(buf, len, "x:");
        if (CPLCreateFileInZip(zip, relp, NULL) != CE_None ||
            CPLWriteFileInZip(zip, buf, (int)len) != CE_None ||
            CPLCloseFileInZip(zip) != CE_None)
            rc = -1;
        free(buf);
    }
    CSLDestroy(entries);
    return rc;
}

/* When src is an XLSX whose sheets use a namespace prefix, writes a fixed
** copy to /vsimem/ and returns its name (caller VSIUnlinks and frees). */
static char *xlsx_unprefixed(const char *src)
{
    char root[2048], sheetdir[2100];
    snprintf(root, sizeof root, "/vsizip/{%s}", src);
    snprintf(sheetdir, sizeof sheetdir, "%s/xl/workbook.xml", root);
    size_t len = 0;
    char *wb = read_vsi(sheetdir, &len);
    int prefixed = wb && strstr(wb, "<x:workbook") != NULL;
    free(wb);
    if (!prefixed)
        return NULL;
    static int seq;
    char *mem = malloc(128);
    if (!mem)
        return NULL;
    snprintf(mem, 128, "/vsimem/gpcov_xlsx_%d_%p.xlsx", seq++, (void *)mem);
    void *zip = CPLCreateZip(mem, NULL);
    if (!zip) {
        free(mem);
        return NULL;
    }
    int rc = add_tree(zip, root, "");
    CPLCloseZip(zip);
    if (rc) {
        VSIUnlink(mem);
        free(mem);
        return NULL;
    }
    return mem;
}

/* ---------------------------------------------------------- Danish CSV
** A CSV saved by a Danish Excel separates fields with ';' and writes
** numbers as 16.500 and 2,5.  A lone "16.500" would otherwise read as
** sixteen and a half, so in such a file cells shaped like Danish numbers
** are rewritten to the neutral form (16500, 2.5) as they are read. */

static int semicolon_csv(const char *src)
{
    VSILFILE *f = VSIFOpenL(src, "rb"); /* VSI: a /vsimem/ or /vsizip/ file too */
    if (!f)
        return 0;
    const char *line = CPLReadLine2L(f, -1, NULL);
    int semi = 0, comma = 0, q = 0;
    for (const char *p = line; p && *p; p++) {
        if (*p == '"')
            q = !q;
        else if (!q && *p == ';')
            semi++;
        else if (!q && *p == ',')
            comma++;
    }
    CPLReadLineL(NULL); /* frees the line buffer */
    VSIFCloseL(f);
    return semi > comma;
}

/* ="0101" (a code kept as text for Danish Excel, csv_danish.c; OGR may
** have dropped its quotes) -> 0101 in place. */
static void excel_text(char *s)
{
    if (s[0] != '=')
        return;
    size_t q = s[1] == '"', n = strlen(s), d = 1 + q;
    size_t end = q ? n - 1 : n;
    if (end <= d || (q && s[n - 1] != '"'))
        return;
    for (size_t i = d; i < end; i++)
        if (s[i] < '0' || s[i] > '9')
            return;
    memmove(s, s + d, end - d);
    s[end - d] = 0;
}

/* "-1.234.567,89" -> "-1234567.89" in place when s is a Danish number. */
static void danish_number(char *s)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    size_t run = 0, groups = 0;
    int seen_dot = 0, ok = 1;
    const char *q = p;
    for (; *q && *q != ','; q++) {
        if (*q >= '0' && *q <= '9') {
            run++;
        } else if (*q == '.') {
            if (run == 0 || (seen_dot ? run != 3 : run > 3))
                ok = 0;
            seen_dot = 1;
            run = 0;
            groups++;
        } else {
            ok = 0;
        }
    }
    if (!ok || run == 0 || (seen_dot && run != 3))
        return;
    if (*q == ',') {
        const char *d = q + 1;
        if (!*d)
            return;
        for (; *d; d++)
            if (*d < '0' || *d > '9')
                return;
    }
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '.')
            continue;
        *w++ = *r == ',' ? '.' : *r;
    }
    *w = 0;
    (void)groups;
}

/* ------------------------------------------------- one-column CSV
** GDAL before 3.7 does not open a CSV with a single column (its header has
** no separator to detect; fixed by GDAL pull request 7597).  A list of
** designated municipality codes is just such a file.  It is read from a
** /vsimem/ copy with a comma after every line; the empty column that adds
** is dropped after reading. */
static char *csv_one_column(const char *src)
{
    VSILFILE *f = VSIFOpenL(src, "rb");
    if (!f)
        return NULL;
    const char *line = CPLReadLine2L(f, -1, NULL);
    if (!line || strpbrk(line, ",;\t|")) {
        CPLReadLineL(NULL);
        VSIFCloseL(f);
        return NULL;
    }
    VSIRewindL(f);
    static int seq;
    char *mem = malloc(128);
    VSILFILE *o = mem ? (snprintf(mem, 128, "/vsimem/gpcov_csv1_%d.csv", seq++),
                         VSIFOpenL(mem, "wb"))
                      : NULL;
    if (!o) {
        free(mem);
        CPLReadLineL(NULL);
        VSIFCloseL(f);
        return NULL;
    }
    while ((line = CPLReadLine2L(f, -1, NULL))) {
        VSIFWriteL(line, 1, strlen(line), o);
        VSIFWriteL(",\n", 1, 2, o);
    }
    CPLReadLineL(NULL);
    VSIFCloseL(f);
    VSIFCloseL(o);
    return mem;
}

/* ---------------------------------------------------------------- read */

/* OGR stopped at a row it could not read (a line over the CSV driver's
** limit, a damaged sheet): the rows after it are not the end of the table. */
static gpcov_status read_error(gpcov_ctx *ctx, const char *src, long line)
{
    return gpcov_err(ctx, GPCOV_EINPUT, "%s:%ld: cannot read this row (nor any after it): %s",
                     src, line, gpcov_dep_error(ctx));
}

static int split_names(const char *csl, char ***out)
{
    *out = CSLTokenizeString2(csl, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES);
    return CSLCount(*out);
}

/* The state of reading one table: where from, how, and what is read. */
struct table_read {
    gpcov_ctx *ctx;
    const char *src;
    const struct gpcov_table_opts *o;
    char ext[16];
    int raw;              /* rows skipped or columns named: no header row */
    int danish;           /* a semicolon CSV: Danish numbers */
    int one_column;       /* opened through csv_one_column() */
    char *utf8;           /* a UTF-8 copy of a Windows-1252 text file */
    char *mem;            /* a /vsimem/ copy (xlsx unprefixed, one-column CSV) */
    int titles;           /* title rows found above the header */
    int skipped;          /* lines cut off the top of the CSV read (strip) */
    long *lines;          /* a CSV's line number of each record OGR reads */
    size_t nlines;
    char sep;             /* then a CSV's separator */
    char *strip;          /* a /vsimem/ copy of a CSV without its title lines */
    GDALDatasetH ds;
    OGRLayerH lyr;
    struct gpcov_table *t;
    char **names;         /* the column names given */
    int nnames;
    long rowno;           /* rows read, skipped ones included */
};

static gpcov_status table_nomem(gpcov_ctx *ctx)
{
    return gpcov_err(ctx, GPCOV_ENOMEM, "out of memory");
}

/* A CSV with title lines above its header is read from a copy without
** them; its lines keep their numbers in messages. */
static gpcov_status table_titles_off(struct table_read *r)
{
    if (!(r->strip = gpcov_table_strip_lines(r->utf8 ? r->utf8 : r->src, r->titles, r->sep)))
        return table_nomem(r->ctx);
    r->skipped = r->titles;
    gpcov_notice(r->ctx, "%s: header on line %d (%d title line%s skipped)", r->src,
                 r->titles + 1, r->titles, r->titles == 1 ? "" : "s");
    return GPCOV_OK;
}

/* A CSV read with --skip-rows is read from a copy without the rows
** skipped, so that GDAL judges its separator from the rows below them (a
** title line with spaces only made it split at spaces). */
static gpcov_status table_skip_off(struct table_read *r)
{
    const char *path = r->utf8 ? r->utf8 : r->src;
    char sep = gpcov_table_sep_after(path, r->o->skip_rows);
    if (!(r->strip = gpcov_table_strip_lines(path, r->o->skip_rows, sep)))
        return table_nomem(r->ctx);
    r->skipped = r->o->skip_rows;
    return GPCOV_OK;
}

/* The line number of each record of CSV path, in the order OGR reads
** them: a record starts on a line that is not inside quotes; an empty
** line is none (OGR skips it). */
static void csv_record_lines(struct table_read *r, const char *path)
{
    VSILFILE *f = VSIFOpenL(path, "rb");
    if (!f)
        return;
    size_t cap = 0;
    long line = 0;
    int inq = 0;
    const char *l;
    while ((l = CPLReadLine2L(f, -1, NULL))) {
        line++;
        if (!inq && *l) {
            if (r->nlines == cap) {
                long *g = realloc(r->lines, (cap = cap ? 2 * cap : 1024) * sizeof *g);
                if (!g)
                    break;
                r->lines = g;
            }
            r->lines[r->nlines++] = line;
        }
        for (const char *p = l; *p; p++)
            inq ^= *p == '"';
    }
    CPLReadLineL(NULL);
    VSIFCloseL(f);
}

/* The line (CSV) or row (spreadsheet, as Excel shows it) of the rowno-th
** feature read; past the end, the next one's. */
static long record_line(const struct table_read *r, long rowno)
{
    long k = rowno - (r->raw ? 1 : 0); /* the header is record 0 unless raw */
    if (r->lines && k >= 0 && (size_t)k < r->nlines)
        return r->lines[k] + r->skipped;
    if (r->lines && (size_t)k == r->nlines)
        return (r->nlines ? r->lines[r->nlines - 1] : 0) + 1 + r->skipped;
    return rowno + (r->raw ? 0 : 1) + r->skipped;
}

/* A spreadsheet with title rows above its header is read as a raw one,
** the title rows skipped. */
static void table_title_rows(struct table_read *r)
{
    if (r->raw || (strcmp(r->ext, "xlsx") && strcmp(r->ext, "ods")))
        return;
    char *mem = !strcmp(r->ext, "xlsx") ? xlsx_unprefixed(r->src) : NULL;
    r->titles = gpcov_table_title_rows(mem ? mem : r->src, r->o->layer, r->o->header_has);
    if (mem) {
        VSIUnlink(mem);
        free(mem);
    }
    if (!r->titles)
        return;
    r->raw = 1;
    gpcov_notice(r->ctx, "%s: header on row %d (%d title row%s skipped)", r->src,
                 r->titles + 1, r->titles, r->titles == 1 ? "" : "s");
}

/* The source opened as a dataset, with the open options of its kind. */
static gpcov_status table_open(struct table_read *r)
{
    gpcov_ctx *ctx = r->ctx;
    const char *src = r->src, *ext = r->ext;
    char **oo = NULL;
    if (!strcmp(ext, "csv") || !strcmp(ext, "txt") || !strcmp(ext, "tsv")) {
        oo = CSLSetNameValue(oo, "AUTODETECT_TYPE", "NO");
        oo = CSLSetNameValue(oo, "HEADERS", r->raw ? "NO" : "YES");
        oo = CSLSetNameValue(oo, "EMPTY_STRING_AS_NULL", "YES");
    } else if (!strcmp(ext, "xlsx") || !strcmp(ext, "ods")) {
        oo = CSLSetNameValue(oo, "FIELD_TYPES", "STRING");
        oo = CSLSetNameValue(oo, "HEADERS", r->raw ? "DISABLE" : "FORCE");
    }
    gpcov_status cs = gpcov_input_check(ctx, src);
    if (cs) {
        CSLDestroy(oo);
        return cs;
    }
    int text = !strcmp(ext, "csv") || !strcmp(ext, "txt") || !strcmp(ext, "tsv");
    if (text && strncmp(src, "/vsi", 4)) {
        r->titles = r->raw ? 0 : gpcov_table_title_lines(src, r->o->header_has, &r->sep);
        gpcov_status ts = gpcov_text_prepare(ctx, src, !r->raw && !r->titles, &r->utf8);
        if (!ts && r->titles)
            ts = table_titles_off(r);
        else if (!ts && r->o->skip_rows > 0)
            ts = table_skip_off(r);
        if (ts) {
            CSLDestroy(oo);
            return ts;
        }
    }
    const char *path = r->strip ? r->strip : r->utf8 ? r->utf8 : src;
    r->mem = !strcmp(ext, "xlsx") ? xlsx_unprefixed(src) : NULL;
    r->danish = (!strcmp(ext, "csv") || !strcmp(ext, "txt")) && semicolon_csv(path);
    gpcov_dep_clear(ctx);
    r->ds = GDALOpenEx(r->mem ? r->mem : path, GDAL_OF_VECTOR | GDAL_OF_READONLY,
                       NULL, (const char *const *)oo, NULL);
    if (!r->ds && !r->mem && !strcmp(ext, "csv") && (r->mem = csv_one_column(path))) {
        r->one_column = 1;
        r->ds = GDALOpenEx(r->mem, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                           (const char *const *)oo, NULL);
    }
    CSLDestroy(oo);
    if (r->ds && text)
        csv_record_lines(r, r->one_column ? r->mem : path);
    if (!r->ds)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: cannot read as a table: %s", src,
                         gpcov_path_is_dir(src) ? "a directory, not a file"
                         : !strcmp(ext, "xlsx") || !strcmp(ext, "ods")
                             ? "not a spreadsheet (or a damaged or truncated one)"
                             : gpcov_dep_error(ctx));
    return GPCOV_OK;
}

/* The sheet or layer, and the table's columns: the names given, or those
** of the source. */
static gpcov_status table_columns(struct table_read *r)
{
    gpcov_ctx *ctx = r->ctx;
    const struct gpcov_table_opts *o = r->o;
    r->lyr = o->layer ? GDALDatasetGetLayerByName(r->ds, o->layer) : GDALDatasetGetLayer(r->ds, 0);
    if (!r->lyr)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: no %s%s%s", r->src,
                         o->layer ? "sheet or layer '" : "sheet or layer",
                         o->layer ? o->layer : "", o->layer ? "'" : "");
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->lyr);
    int nf = OGR_FD_GetFieldCount(defn);
    if (r->one_column && nf > 1)
        nf = 1; /* the column the comma added */
    struct gpcov_table *t = r->t = calloc(1, sizeof *t);
    if (!t || !(t->path = gpcov_strdup(r->src)))
        return table_nomem(ctx);
    r->nnames = r->raw && o->columns ? split_names(o->columns, &r->names) : 0;
    if (r->nnames > nf)
        return gpcov_err(ctx, GPCOV_EUSAGE, "%s: %d column names given but the table has %d "
                         "columns", r->src, r->nnames, nf);
    /* ncols only once cols can hold it: gpcov_table_free walks cols[ncols] */
    t->ncols = (size_t)(r->nnames ? r->nnames : nf);
    if (!(t->cols = calloc(t->ncols ? t->ncols : 1, sizeof *t->cols)))
        return table_nomem(ctx);
    for (size_t c = 0; c < t->ncols; c++) {
        const char *nm = r->nnames ? r->names[c]
                                   : OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, (int)c));
        if (!(t->cols[c] = gpcov_strdup(nm)))
            return table_nomem(ctx);
        /* a UTF-8 byte order mark from Excel stays off the first name */
        if (c == 0 && !strncmp(t->cols[0], "\xEF\xBB\xBF", 3)) /* strncmp: a name may be shorter */
            memmove(t->cols[0], t->cols[0] + 3, strlen(t->cols[0]) - 2);
    }
    return GPCOV_OK;
}

/* The header row after the skipped rows: the column names, "columnN" for
** an empty one. */
static gpcov_status table_header(struct table_read *r, OGRFeatureH f)
{
    struct gpcov_table *t = r->t;
    for (size_t c = 0; c < t->ncols; c++) {
        const char *v = OGR_F_IsFieldSetAndNotNull(f, (int)c) ? OGR_F_GetFieldAsString(f, (int)c)
                                                               : "";
        char dflt[32];
        snprintf(dflt, sizeof dflt, "column%zu", c + 1);
        free(t->cols[c]);
        if (!(t->cols[c] = gpcov_strdup(*v ? v : dflt)))
            return table_nomem(r->ctx);
        gpcov_trim(t->cols[c]);
    }
    return GPCOV_OK;
}

/* One data row from feature f, trimmed cells, empty ones null; a blank
** line is no row. */
static gpcov_status table_row(struct table_read *r, OGRFeatureH f, size_t *cap)
{
    struct gpcov_table *t = r->t;
    if (t->nrows == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        char **cells = realloc(t->cells, *cap * t->ncols * sizeof *cells);
        long *lines = realloc(t->row_line, *cap * sizeof *lines);
        if (cells)
            t->cells = cells;
        if (lines)
            t->row_line = lines;
        if (!cells || !lines)
            return table_nomem(r->ctx);
    }
    size_t row = t->nrows;
    int any = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        char *cell = NULL;
        if (OGR_F_IsFieldSetAndNotNull(f, (int)c)) {
            const char *v = OGR_F_GetFieldAsString(f, (int)c);
            if (!(cell = gpcov_strdup(v))) {
                for (size_t k = 0; k < c; k++)
                    free(t->cells[row * t->ncols + k]);
                return table_nomem(r->ctx);
            }
            gpcov_trim(cell);
            if (r->danish) {
                excel_text(cell);
                danish_number(cell);
            }
            if (!*cell) {
                free(cell);
                cell = NULL;
            }
        }
        any |= cell != NULL;
        t->cells[row * t->ncols + c] = cell;
    }
    if (!any) /* blank lines are not rows */
        return GPCOV_OK;
    /* CSV: header is line 1; spreadsheets: row numbers as Excel shows */
    t->row_line[row] = record_line(r, r->rowno);
    t->nrows++;
    return GPCOV_OK;
}

/* Every row: the skipped ones, the header when pending, the data rows. */
static gpcov_status table_rows(struct table_read *r)
{
    gpcov_ctx *ctx = r->ctx;
    size_t cap = 0;
    int header_pending = r->raw && !r->nnames; /* header after the skipped rows */
    gpcov_status st = GPCOV_OK;
    OGRFeatureH f;
    OGR_L_ResetReading(r->lyr);
    gpcov_dep_clear(ctx);
    while ((f = OGR_L_GetNextFeature(r->lyr))) {
        if (gpcov_dep_failed(ctx)) {
            OGR_F_Destroy(f);
            break;
        }
        r->rowno++;
        if (r->rowno <= (r->strip ? 0 : r->o->skip_rows + r->titles)) {
            OGR_F_Destroy(f);
            continue;
        }
        if (header_pending) {
            header_pending = 0;
            st = table_header(r, f);
        } else {
            st = table_row(r, f, &cap);
        }
        OGR_F_Destroy(f);
        if (st)
            return st;
    }
    if (gpcov_dep_failed(ctx))
        return read_error(ctx, r->src, record_line(r, r->rowno + 1));
    if (r->t->nrows == 0)
        return gpcov_err(ctx, GPCOV_EINPUT, "%s: the table has no data rows", r->src);
    return GPCOV_OK;
}

/* --fill-down: an empty cell of the columns named takes the one above. */
static gpcov_status table_fill_down(struct table_read *r)
{
    struct gpcov_table *t = r->t;
    char **fill = NULL;
    gpcov_status st = GPCOV_OK;
    int nfill = split_names(r->o->fill_down, &fill);
    for (int k = 0; k < nfill && !st; k++) {
        int c = gpcov_table_col(t, fill[k]);
        if (c < 0) {
            st = gpcov_err(r->ctx, GPCOV_EUSAGE, "%s: fill-down column '%s' is not in the table",
                           r->src, fill[k]);
            break;
        }
        for (size_t row = 1; row < t->nrows; row++) {
            char **cell = &t->cells[row * t->ncols + (size_t)c];
            const char *above = t->cells[(row - 1) * t->ncols + (size_t)c];
            if (!*cell && above && !(*cell = gpcov_strdup(above))) {
                st = table_nomem(r->ctx);
                break;
            }
        }
    }
    CSLDestroy(fill);
    return st;
}

gpcov_status gpcov_table_read(gpcov_ctx *ctx, const char *src,
                              const struct gpcov_table_opts *opts,
                              struct gpcov_table **out)
{
    static const struct gpcov_table_opts none;
    struct table_read r = {.ctx = ctx, .src = src, .o = opts ? opts : &none};
    gpcov_path_ext(src, r.ext, sizeof r.ext);
    r.raw = r.o->skip_rows > 0 || (r.o->columns && *r.o->columns);
    *out = NULL;
    table_title_rows(&r);
    /* GDAL 3.6's XLSX and ODS drivers take no HEADERS or FIELD_TYPES open
    ** options (a sheet of text only lost its header): the same as thread
    ** config options, set while the sheet is read */
    int sheet = !strcmp(r.ext, "xlsx") || !strcmp(r.ext, "ods");
    const char *drv = !strcmp(r.ext, "ods") ? "ODS" : "XLSX";
    char hk[32], tk[32];
    snprintf(hk, sizeof hk, "OGR_%s_HEADERS", drv);
    snprintf(tk, sizeof tk, "OGR_%s_FIELD_TYPES", drv);
    if (sheet) {
        CPLSetThreadLocalConfigOption(hk, r.raw ? "DISABLE" : "FORCE");
        CPLSetThreadLocalConfigOption(tk, "STRING");
    }
    gpcov_status st = table_open(&r);
    if (!st)
        st = table_columns(&r);
    if (!st)
        st = table_rows(&r);
    if (sheet) {
        CPLSetThreadLocalConfigOption(hk, NULL);
        CPLSetThreadLocalConfigOption(tk, NULL);
    }
    if (!st && r.o->fill_down && *r.o->fill_down)
        st = table_fill_down(&r);
    if (!st) {
        *out = r.t;
        r.t = NULL;
    }
    CSLDestroy(r.names);
    free(r.lines);
    gpcov_table_free(r.t);
    if (r.ds)
        GDALClose(r.ds);
    if (r.mem) {
        VSIUnlink(r.mem);
        free(r.mem);
    }
    if (r.utf8) {
        VSIUnlink(r.utf8);
        free(r.utf8);
    }
    if (r.strip) {
        VSIUnlink(r.strip);
        free(r.strip);
    }
    return st;
}
