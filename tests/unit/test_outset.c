/* test_outset.c: an output set (outset.c): several outputs committed
** together, or, when one fails, none, every earlier output put back byte
** for byte; a bad destination refused before anything is written. */
#include "io/io_internal.h"
#include "fixture.h"
#include "tap.h"
#include "testfile.h"

static gpcov_ctx *ctx;

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static const char *text_of(const char *path)
{
    static char buf[8][256];
    static int k;
    k = (k + 1) % 8;
    long n;
    char *b = tf_slurp(path, &n);
    snprintf(buf[k], sizeof buf[k], "%s", b ? b : "(none)");
    free(b);
    return buf[k];
}

static void all_together(void)
{
    int before = tf_entries(fx_dir);
    gpcov_outset *s = gpcov_outset_new(ctx, 0);
    const char *t1, *t2, *t3;
    OK(s && gpcov_outset_add(ctx, s, fx_path("a.txt"), &t1) == GPCOV_OK, "first output");
    OK(gpcov_outset_add(ctx, s, fx_path("b.csv"), &t2) == GPCOV_OK, "second output");
    OK(gpcov_outset_add(ctx, s, fx_path("c.tif"), &t3) == GPCOV_OK, "third output");
    OK(t1 && t2 && t3 && strcmp(t1, t2) && strcmp(t2, t3), "three distinct temporaries");
    put(t1, "A");
    put(t2, "B");
    put(t3, "C");
    OK(tf_entries(fx_dir) == before + 3, "three private directories, no output yet");
    OK(gpcov_outset_commit(ctx, s) == GPCOV_OK, "the set commits");
    STREQ(text_of(fx_path("a.txt")), "A", "a.txt");
    STREQ(text_of(fx_path("b.csv")), "B", "b.csv");
    STREQ(text_of(fx_path("c.tif")), "C", "c.tif");
    gpcov_outset_free(s);
    OK(tf_entries(fx_dir) == before + 3, "the three outputs and nothing else");
}

static void none_on_failure(void)
{
    /* a.txt and b.csv exist (all_together); replace them, and make the
    ** third output fail at the commit: nothing written for it */
    int before = tf_entries(fx_dir);
    gpcov_outset *s = gpcov_outset_new(ctx, 1);
    const char *t1, *t2, *t3;
    gpcov_outset_add(ctx, s, fx_path("a.txt"), &t1);
    gpcov_outset_add(ctx, s, fx_path("b.csv"), &t2);
    OK(gpcov_outset_add(ctx, s, fx_path("d.txt"), &t3) == GPCOV_OK, "three outputs added");
    put(t1, "A2");
    put(t2, "B2");
    OK(gpcov_outset_commit(ctx, s) == GPCOV_EINTERNAL, "the third fails: the set fails");
    char want[600];
    snprintf(want, sizeof want, "%s: nothing was written", fx_path("d.txt"));
    STREQ(gpcov_ctx_message(ctx), want, "the message names the failing output");
    STREQ(text_of(fx_path("a.txt")), "A", "the first output put back as it was");
    STREQ(text_of(fx_path("b.csv")), "B", "the second output put back as it was");
    OK(!gpcov_path_exists(fx_path("d.txt")), "the third not made");
    gpcov_outset_free(s);
    OK(tf_entries(fx_dir) == before, "no temporary left");
    /* a new output placed first, then the set fails: it is removed again */
    s = gpcov_outset_new(ctx, 0);
    gpcov_outset_add(ctx, s, fx_path("e.txt"), &t1);
    gpcov_outset_add(ctx, s, fx_path("f.txt"), &t2);
    put(t1, "E");
    put(t2, "F");
    put(fx_path("f.txt"), "theirs"); /* appears while computing */
    OK(gpcov_outset_commit(ctx, s) == GPCOV_EOUTPUT, "the second appeared meanwhile: fails");
    OK(!gpcov_path_exists(fx_path("e.txt")), "the first, new, is removed again");
    STREQ(text_of(fx_path("f.txt")), "theirs", "the other file kept");
    gpcov_outset_free(s);
    OK(tf_entries(fx_dir) == before + 1, "only their f.txt is new");
    remove(fx_path("f.txt"));
}

static void refused_before_writing(void)
{
    int before = tf_entries(fx_dir);
    gpcov_outset *s = gpcov_outset_new(ctx, 0);
    const char *t1, *t2 = (const char *)1;
    OK(gpcov_outset_add(ctx, s, fx_path("g.txt"), &t1) == GPCOV_OK, "a good output");
    OK(gpcov_outset_add(ctx, s, fx_path("a.txt"), &t2) == GPCOV_EOUTPUT && t2 == NULL,
       "an existing output is refused at once");
    char want[600];
    snprintf(want, sizeof want, "%s: exists already (use --overwrite to replace it)",
             fx_path("a.txt"));
    STREQ(gpcov_ctx_message(ctx), want, "the message");
    OK(gpcov_outset_add(ctx, s, fx_path("g.txt"), &t2) == GPCOV_EUSAGE, "a name given twice");
    snprintf(want, sizeof want, "%s: given twice as an output", fx_path("g.txt"));
    STREQ(gpcov_ctx_message(ctx), want, "given twice");
    OK(gpcov_outset_add(ctx, s, "/no/such/dir/h.txt", &t2) == GPCOV_EOUTPUT,
       "a destination that cannot be written");
    OK(gpcov_outset_add(ctx, s, "PG:dbname=x tables=t", &t2) == GPCOV_EUSAGE,
       "a PostGIS table by add");
    STREQ(gpcov_ctx_message(ctx), "PG:dbname=x tables=t: a PostGIS table takes a layer",
          "takes a layer");
    gpcov_outset_free(s); /* the caller stops: free removes every temporary */
    OK(tf_entries(fx_dir) == before, "nothing written, no temporary left");
    OK(!gpcov_path_exists(fx_path("g.txt")), "not even the good output");
    STREQ(text_of(fx_path("a.txt")), "A", "the existing output untouched");
    /* the input-as-output refusal, in a set */
    gpcov_input_check(ctx, fx_path("b.csv"));
    s = gpcov_outset_new(ctx, 1);
    OK(gpcov_outset_add(ctx, s, fx_path("b.csv"), &t2) == GPCOV_EOUTPUT,
       "an input as an output is refused with overwrite too");
    OK(strstr(gpcov_ctx_message(ctx), "is also an input of this run") != NULL, "says so");
    gpcov_outset_free(s);
    gpcov_ctx_forget_inputs(ctx);
    gpcov_outset_free(NULL);
}

static void adopt_and_layer(void)
{
    int before = tf_entries(fx_dir);
    char *tmp = NULL;
    gpcov_outset *s = gpcov_outset_new(ctx, 0);
    OK(gpcov_atomic_begin(ctx, fx_path("i.txt"), 0, &tmp) == GPCOV_OK, "a temporary begun alone");
    put(tmp, "I");
    OK(gpcov_outset_adopt(ctx, s, fx_path("i.txt"), tmp) == GPCOV_OK, "adopted by the set");
    struct gpcov_layer *l = gpcov_layer_new("t");
    int f = gpcov_layer_add_field(ctx, l, "v", GPCOV_INT);
    gpcov_layer_append(ctx, l, "k", NULL);
    gpcov_layer_set_num(ctx, l, 0, (size_t)f, 42);
    OK(gpcov_outset_layer(ctx, s, l, fx_path("j.csv"), NULL) == GPCOV_OK, "a layer written");
    OK(!gpcov_path_exists(fx_path("j.csv")), "not yet in place");
    OK(gpcov_outset_commit(ctx, s) == GPCOV_OK, "commit");
    STREQ(text_of(fx_path("i.txt")), "I", "the adopted output in place");
    OK(strstr(text_of(fx_path("j.csv")), "42") != NULL, "the layer in place: %s",
       text_of(fx_path("j.csv")));
    gpcov_outset_free(s);
    gpcov_layer_free(ctx, l);
    OK(tf_entries(fx_dir) == before + 2, "two outputs, nothing else");
}

int main(void)
{
    fx_make();
    ctx = gpcov_ctx_new();
    RUN(all_together);
    RUN(none_on_failure);
    RUN(refused_before_writing);
    RUN(adopt_and_layer);
    gpcov_ctx_free(ctx);
    fx_clean();
    return tap_done();
}
