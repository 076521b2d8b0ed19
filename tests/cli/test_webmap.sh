#!/bin/sh
# gpcov webmap on the real data: the municipality layer built here with
# gpcov overlay (DST projection 2035, PLO 2019 designations), one HTML page
# that needs nothing from outside, its inline GeoJSON read back by OGR,
# exit codes and messages of bad input with nothing left behind, and then
# the page in Debian's headless chromium (tests/web/check_map.mjs): no
# request but the file, no console error, a drawn map with the legend's
# colours, popups with the values ogr2ogr reads from the layer, and a
# switch of indicator.  Screenshots: tests/tmp/webmap-0.png, -1.png.
. "$(dirname "$0")/lib.sh"
top=$(pwd)

L="$TMP/m.gpkg"
run overlay -q --polygons shapefiles/kommuner.shp --name-field name --keep flag --exempt 0411 \
  --table "$DATA/dst/frkm126_kommune_2026_2035_agegroups.csv" --key code=kommune_code \
  --agg 'pop_2035=sum(total) where year = 2035' --agg 'pop80_2035=sum(a80p) where year = 2035' \
  --table "$DATA/plo/laegedaekningstruede_kommuner_2019.csv" --key code=kommune_code \
  --present designated_2019 --derive 'share80_2035=pct(pop80_2035, pop_2035)' --output "$L"
[ "$rc" = 0 ]; ok $? "the indicator layer from the real data ($err)"

TITLE='Ældre borgere i 2035 og lægedækning, kommuner'
A1='Indeholder data fra Geodatastyrelsen, DAGI, 2014.'
A2='Kilde: Danmarks Statistik (FRKM126 2026), CC BY 4.0. Praktiserende Lægers Organisation 2019.'
P1='field=share80_2035,title=Andel borgere 80+ år i 2035,unit=%,breaks=quantile,classes=5,decimals=1'
P2='field=designated_2019,categorical,title=Kommuner med lægedækningstruede områder (PLO 2019),true=Har lægedækningstruede områder,false=Ikke udpeget'
P3='field=pop_2035,title=Borgere i 2035,unit=borgere,breaks=jenks,classes=5,decimals=0,palette=purple'
webmap() {
  run webmap --input "$L" --decimal-comma --panel "$P1" --panel "$P2" --panel "$P3" \
    --title "$TITLE" --attribution "$A1" --attribution "$A2" \
    --no-data-label 'ingen data (Christiansø)' "$@"
}

run webmap --help
[ "$rc" = 0 ]; ok $? "--help exits 0"
missing=""
for o in --input --layer --key --name-field --join --panel --title --attribution --no-data-label \
         --decimal-comma --simplify --precision --output --overwrite -q,; do
  grep -q -- "^ *$o " "$TMP/stdout" || missing="$missing $o"
done
[ -z "$missing" ]; ok $? "--help lists every option ($missing)"

H="$TMP/map.html"
webmap --output "$H"
[ "$rc" = 0 ]; ok $? "webmap exits 0 ($err)"
printf '%s' "$err" | grep -q "wrote .*map.html (.* MB: 99 municipalities, 3 indicators; GeoJSON"
ok $? "it says what it wrote ($err)"
size=$(wc -c <"$H")
[ "$size" -gt 200000 ] && [ "$size" -lt 3000000 ]; ok $? "the page is between 0.2 and 3 MB ($size bytes)"
echo "# page: $size bytes; $err"
! grep -Eq '<(script|link|img)[^>]* (src|href)=' "$H"; ok $? "no script, stylesheet or image is loaded from a file or a server"
! grep -Eq 'url\((https?:|//|images/)' "$H"; ok $? "no CSS url() outside the page"
! grep -q 'sourceMappingURL' "$H"; ok $? "no source map is asked for"
grep -q "default-src 'none'" "$H"; ok $? "a Content-Security-Policy forbids every fetch"

# the inline GeoJSON, read back by OGR: 99 municipalities in lon/lat
awk 'index($0, "id=\"gpcov-data\">") { on = 1; sub(/.*id="gpcov-data">/, "") }
     on { if (index($0, "</script>")) { sub(/<\/script>.*/, ""); print; exit } print }' "$H" >"$TMP/data.geojson"
ogrinfo -ro -so -al "$TMP/data.geojson" >"$TMP/info" 2>&1
grep -q "Feature Count: 99" "$TMP/info"; ok $? "the inline GeoJSON has 99 municipalities"
ext=$(sed -n 's/^Extent: (\(.*\), \(.*\)) - (\(.*\), \(.*\))$/\1 \2 \3 \4/p' "$TMP/info")
echo "$ext" | awk '{ exit !($1 > 7.9 && $1 < 8.2 && $2 > 54.5 && $2 < 54.6 && $3 > 15.1 && $3 < 15.3 && $4 > 57.7 && $4 < 57.8) }'
ok $? "its extent is Denmark in lon/lat, Bornholm and Christiansø included ($ext)"
ogrinfo -ro -q -al -where "code='0825'" "$TMP/data.geojson" >"$TMP/laeso" 2>&1
grep -q "name (String) = Læsø" "$TMP/laeso" && grep -q "share80_2035 (Real) = 17.49" "$TMP/laeso"
ok $? "Læsø's name and share in the GeoJSON"
cp "$H" "$TMP/keep.html"

webmap --output "$TMP/again.html"
cmp -s "$TMP/again.html" "$H"; ok $? "a second run gives the same bytes"

expect_fail 1 "map.html: exists already (use --overwrite" "" "an existing output" -- \
  webmap --input "$L" --panel "$P1" --output "$H"
cmp -s "$H" "$TMP/keep.html"; ok $? "the existing output is untouched"
run webmap --input "$L" --panel "$P1" --output "$H" --overwrite
[ "$rc" = 0 ]; ok $? "--overwrite replaces it"
cp "$TMP/keep.html" "$H"

expect_fail 1 "m.gpkg: no field 'nosuch' for indicator 2" "$TMP/f1.html" "an unknown indicator field" -- \
  webmap --input "$L" --panel "$P1" --panel field=nosuch --output "$TMP/f1.html"
expect_fail 2 "f2.png: a web map is written as .html" "$TMP/f2.png" "an output that is not .html" -- \
  webmap --input "$L" --panel "$P1" --output "$TMP/f2.png"
expect_fail 1 "no metadata item 'NOSUCH' for the note of indicator 2" "$TMP/f9.html" "a note from a missing metadata item" -- \
  webmap --input "$L" --panel "$P1" --panel "$P3,note=meta:NOSUCH" --output "$TMP/f9.html"
expect_fail 2 "gpcov webmap: --panel 'field=share80_2035,classes=12': classes=12: give 1 to 9" "$TMP/f3.html" \
  "a bad --panel SPEC names the command" -- \
  webmap --input "$L" --panel 'field=share80_2035,classes=12' --output "$TMP/f3.html"
expect_fail 2 "gpcov webmap: --simplify -5: give 0 to 10000 metres" "$TMP/f4.html" "a negative tolerance" -- \
  webmap --input "$L" --panel "$P1" --simplify -5 --output "$TMP/f4.html"
expect_fail 2 "at least one --panel is required" "$TMP/f5.html" "no --panel" -- \
  webmap --input "$L" --output "$TMP/f5.html"
expect_fail 1 "nowhere.gpkg" "$TMP/f6.html" "a missing input" -- \
  webmap --input "$TMP/nowhere.gpkg" --panel "$P1" --output "$TMP/f6.html"
expect_fail 1 "field 'designated_2019' (indicator 2): quantile breaks: 9 classes asked but the 99 values hold only 2 distinct" \
  "$TMP/f9.html" "classes the values cannot fill name the indicator" -- \
  webmap --input "$L" --panel "$P1" --panel field=designated_2019,classes=9 --output "$TMP/f9.html"
expect_fail 1 "m.gpkg: no name field 'navn'" "$TMP/f7.html" "a missing name field" -- \
  webmap --input "$L" --panel "$P1" --name-field navn --output "$TMP/f7.html"
expect_fail 1 "cannot write into $TMP/nodir" "" "an output in a missing directory" -- \
  webmap --input "$L" --panel "$P1" --output "$TMP/nodir/x.html"
printf 'komkode,score\n0101,abc\n' >"$TMP/j.csv"
expect_fail 1 "field 'score' holds 'abc', not a number" "$TMP/f8.html" "a joined text field that is no number" -- \
  webmap --input "$L" --panel field=score --join "$TMP/j.csv" --output "$TMP/f8.html"
printf 'komkode,score\n0101,3\n0825,5\n0400,4\n' >"$TMP/j.csv"
run webmap -q --input "$L" --panel field=score,classes=2,breaks=equal --join "$TMP/j.csv" --output "$TMP/j.html"
[ "$rc" = 0 ] && grep -q '"classes":\[0,-1,' "$TMP/j.html" && grep -q '"count":"(96)"' "$TMP/j.html"
ok $? "--join: a field of another layer by code (0101 in the low class), 96 of 99 units without it ($err)"
# the unsimplified page is larger, the simplified one says its tolerance
run webmap -q --input "$L" --panel "$P1" --decimal-comma --simplify 0 --output "$TMP/raw.html"
raw=$(wc -c <"$TMP/raw.html")
grep -q 'Grænser forenklet med 30 m tolerance' "$H" && grep -q 'Grænser uforenklede' "$TMP/raw.html" && [ "$raw" -gt "$size" ]
ok $? "the page states the tolerance; without simplification it is larger ($raw > $size bytes)"

# ------------------------------------------------------------- the browser
case "$BUILD" in
*asan*)
  # The browser check looks at the page, which the sanitizer build writes
  # byte for byte as the normal one (checked above by the unit test and the
  # rerun); it takes half a minute, so it runs once, for the normal build.
  echo "# skip the browser check for the sanitizer build ($BUILD)"
  exit 0 ;;
esac
WEB_TEST_DIR=${WEB_TEST_DIR:-$top/build/web-test}
if ! [ -x /usr/bin/chromium ] || ! [ -d "$WEB_TEST_DIR/node_modules/playwright-core" ]; then
  ok 1 "chromium and playwright-core are installed (make deps-check web-test-deps)"
  exit 1
fi
ogr2ogr -f CSV "$TMP/expect.csv" "$L" -dialect sqlite -sql \
  "SELECT komkode, name, ST_X(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lon,
          ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lat,
          share80_2035, designated_2019, pop_2035
   FROM m WHERE komkode IN ('0101', '0825', '0400', '0851') ORDER BY komkode"
[ "$(wc -l <"$TMP/expect.csv")" = 5 ]; ok $? "four municipalities to click, read with ogr2ogr (GEOS point on surface)"
cat >"$TMP/expect.json" <<E
{"title": "$TITLE", "attribution": ["$A1", "$A2"], "nodata": "ingen data (Christiansø)",
 "indicators": [
  {"field": "share80_2035", "unit": "%", "decimals": 1},
  {"field": "designated_2019", "categorical": true, "true": "Har lægedækningstruede områder", "false": "Ikke udpeget"},
  {"field": "pop_2035", "unit": "borgere", "decimals": 0}]}
E
mkdir -p "$top/tests/tmp"
WEB_TEST_DIR="$WEB_TEST_DIR" node "$top/tests/web/check_map.mjs" "$H" "$TMP/expect.csv" "$TMP/expect.json" \
  "$top/tests/tmp/webmap" >"$TMP/browser" 2>&1
brc=$?
while IFS='|' read -r verdict what; do
  case "$verdict" in
  ok) ok 0 "browser: $what" ;;
  "not ok") ok 1 "browser: $what" ;;
  *) echo "# $verdict${what:+|$what}" ;;
  esac
done <"$TMP/browser"
[ "$brc" = 0 ]; ok $? "the browser check exits 0 ($brc)"
