#!/bin/sh
# The main job once under valgrind memcheck: zero errors and zero leaks
# (definitely or indirectly lost; main.c releases cairo's, fontconfig's and
# GDAL's caches at exit), and the same data outputs as a normal run.  Run for
# the plain build only: valgrind and AddressSanitizer do not mix.  The
# straight-line model (--set roads=): the national road network under
# memcheck would take half an hour; the road model runs under the
# sanitizers instead (test_national_roads.sh, test_e2e_real).
. "$(dirname "$0")/../cli/lib.sh"
case "$BUILD" in *asan*) echo "ok 1 # SKIP valgrind does not run sanitizer builds"; exit 0 ;; esac
if ! command -v valgrind >/dev/null; then echo "not ok 1 - valgrind is not installed (make deps-check installs it)"; exit 1; fi
valgrind --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
  --error-exitcode=99 --log-file="$TMP/vg.log" \
  "$GPCOV" report reports/denmark.ini -q --set data="$DATA" --set roads= --set out="$TMP/vg" >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 0 ]; ok $? "the main job under valgrind exits 0 (got $rc; 99 = memcheck found errors or leaks)"
grep -q "ERROR SUMMARY: 0 errors from 0 contexts" "$TMP/vg.log"; ok $? "valgrind: 0 errors"
grep -Eq "definitely lost: [1-9]|indirectly lost: [1-9]" "$TMP/vg.log"; [ $? = 1 ]; ok $? "valgrind: nothing definitely or indirectly lost"
[ $rc = 0 ] || grep -A12 -E "definitely lost in|Invalid|uninitialised" "$TMP/vg.log" | head -60 | sed 's/^/#   /'
run report reports/denmark.ini -q --set data="$DATA" --set roads= --set out="$TMP/plain"
# the tables and figures are the same bytes; not the GeoPackages, whose
# extents come from PROJ's trigonometry: under valgrind glibc's libm picks
# its non-FMA variants (valgrind's CPU has no FMA), which differ in the last
# bit (892786.99961855751462 against ...739822)
for f in municipalities.csv commute_minutes.tif threat_agreement.csv access_posts.csv fee.csv fig3_8.png; do
  cmp -s "$TMP/vg/$f" "$TMP/plain/$f"; ok $? "under valgrind the same bytes as without: $f"
done
