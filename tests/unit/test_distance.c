/*
** test_distance.c: gpcov_edit_distance (distance.c) on pairs whose
** distance is known by hand.
*/
#include "gpcov.h"
#include "tap.h"

static void by_hand(void)
{
    OK(gpcov_edit_distance("", "") == 0, "two empty names: 0");
    OK(gpcov_edit_distance("", "abc") == 3, "from nothing: one insertion a byte");
    OK(gpcov_edit_distance("kitten", "sitting") == 3, "kitten -> sitting: 3 (k/s, e/i, +g)");
    OK(gpcov_edit_distance("treat", "threat") == 1, "treat -> threat: one insertion");
    OK(gpcov_edit_distance("--unit", "--units") == 1, "--unit -> --units: 1");
    OK(gpcov_edit_distance("flaw", "lawn") == 2, "flaw -> lawn: 2");
    OK(gpcov_edit_distance("abc", "abc") == 0, "the same name: 0");
    OK(gpcov_edit_distance("ab", "ba") == 2, "a swap costs two substitutions");
}

static void symmetric_and_long(void)
{
    OK(gpcov_edit_distance("Lesø", "Læsø") == gpcov_edit_distance("Læsø", "Lesø"),
       "symmetric on UTF-8 names");
    OK(gpcov_edit_distance("Lesø", "Læsø") == 2, "e -> æ: two bytes differ in UTF-8");
    char a[301], b[301];
    memset(a, 'x', 300);
    memset(b, 'x', 300);
    a[300] = b[300] = 0;
    b[150] = 'y';
    OK(gpcov_edit_distance(a, b) == 1, "300-byte names: no length limit");
}

int main(void)
{
    RUN(by_hand);
    RUN(symmetric_and_long);
    return tap_done();
}
