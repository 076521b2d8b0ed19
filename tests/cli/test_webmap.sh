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
# patients per capacity for two municipalities only, as an eSundhed extract
# might have it: the rule on it is undecided for the others
printf 'kommune,ppc\n0825,1700\n0851,1500\n' >"$TMP/ppc.csv"
run overlay -q --polygons shapefiles/kommuner.shp --name-field name --keep flag --exempt 0411 \
  --table "$DATA/dst/folk1a_2020q1_area_age_sex.csv" --key code=area_code \
    --where "level in ('kommune', 'other')" --agg 'region_code:text=first(region_code)' \
  --table "$TMP/ppc.csv" --key code=kommune --optional --field ppc=ppc \
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
for o in --input --layer --key --name-field --where --join --regions --points --point-xy --point-srs \
         --point-label --point-legend --panel --title --attribution --no-data-label \
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

# ------------------------------------------------- one region: --where
# the threat rules on the layer: crowded is undecided where ppc is missing
T="$TMP/threat.gpkg"
run threat -q --units "$L" --rule 'ageing: share80_2035 > 10' --rule 'small: pop_2035 < 20000' \
  --rule 'crowded: ppc > 1600' --combine score --threshold 0.5 --exclude 0411 --output "$T"
[ "$rc" = 0 ]; ok $? "a threat layer with an undecided rule ($err)"
SITES="$DATA/training/hoveduddannelse_almen_medicin_2021.csv"
R="$TMP/region.html"
WHERE="region_code = '1081'"
run webmap --input "$L" --join "$T" --where "$WHERE" --regions shapefiles/regioner.shp \
  --points "$SITES" --point-label town --point-legend 'Hoveduddannelse i almen medicin (2021)' \
  --decimal-comma --panel "$P1" --panel 'field=verdict,categorical,true=Truet,false=Ikke truet,undecided=Uafklaret,reason=threat_reason' \
  --title 'Region Nordjylland' --attribution "$A1" --output "$R"
[ "$rc" = 0 ]; ok $? "webmap --where exits 0 ($err)"
# the selection as ogr2ogr makes it from the layer, independently of gpcov
ogr2ogr -f CSV "$TMP/sel.csv" "$L" -sql "SELECT komkode FROM m WHERE region_code = '1081' ORDER BY komkode" 2>/dev/null
want=$(tail -n +2 "$TMP/sel.csv" | tr -d '"' | tr '\n' ' ')
nsel=$(echo $want | wc -w)
printf '%s' "$err" | grep -q "wrote .*region.html (.* MB: $nsel of 99 municipalities where $WHERE, 2 indicators;"
ok $? "it says how many of how many it shows, and where ($nsel: $err)"
awk 'index($0, "id=\"gpcov-data\">") { on = 1; sub(/.*id="gpcov-data">/, "") }
     on { if (index($0, "</script>")) { sub(/<\/script>.*/, ""); print; exit } print }' "$R" >"$TMP/region.geojson"
got=$(ogr2ogr -f CSV /vsistdout/ "$TMP/region.geojson" -select code 2>/dev/null |
  tail -n +2 | tr -d '"' | sort | tr '\n' ' ')
[ "$nsel" -ge 10 ] && [ "$got" = "$want" ]; ok $? "the page holds exactly the municipalities of region 1081 ($got)"
grep -q "\"selection\":{\"where\":\"region_code = '1081'\",\"shown\":$nsel,\"of\":99," "$R"
ok $? "the page's config carries the selection"
grep -q 'id="gpcov-regions">' "$R" && grep -q 'id="gpcov-points">' "$R"
ok $? "the page carries the region borders and the markers"
awk 'index($0, "id=\"gpcov-points\">") { sub(/.*id="gpcov-points">/, ""); on = 1 }
     on { if (index($0, "</script>")) { sub(/<\/script>.*/, ""); print; exit } print }' "$R" >"$TMP/points.geojson"
npts=$(ogrinfo -ro -so -al "$TMP/points.geojson" 2>/dev/null | sed -n 's/^Feature Count: //p')
nsites=$(($(wc -l <"$SITES") - 1))
[ "$npts" = "$nsites" ]; ok $? "every training site is a marker ($npts of $nsites)"
size_r=$(wc -c <"$R")
[ "$size_r" -lt 600000 ]; ok $? "the region's page is smaller than the national one ($size_r bytes)"
echo "# region page: $size_r bytes"
expect_fail 2 "unknown field 'regioncode'; did you mean 'region_code'?" "$TMP/w1.html" \
  "an unknown field in --where, with the nearest" -- \
  webmap --input "$L" --panel "$P1" --where "regioncode = '1081'" --output "$TMP/w1.html"
expect_fail 1 "--where region_code = '9999': no municipality selected" "$TMP/w2.html" \
  "a selection of nothing" -- \
  webmap --input "$L" --panel "$P1" --where "region_code = '9999'" --output "$TMP/w2.html"
expect_fail 1 "no field 'nosuch' to label the markers by" "$TMP/w3.html" "a missing label field" -- \
  webmap --input "$L" --panel "$P1" --points "$SITES" --point-label nosuch --output "$TMP/w3.html"
expect_fail 2 "--point-label needs --points" "$TMP/w4.html" "a label without markers" -- \
  webmap --input "$L" --panel "$P1" --point-label town --output "$TMP/w4.html"
# a unit the condition cannot decide is left out and named: ppc is known
# for 0825 (1700) and 0851 (1500) only
run webmap --input "$L" --panel field=share80_2035,classes=1 --where "ppc < 1600" --output "$TMP/w5.html"
printf '%s' "$err" | grep -q "1 of 99 municipalities where ppc < 1600" &&
  printf '%s' "$err" | grep -q "^97 municipalities undecided (ppc missing), not shown: 0101 København, 0147 Frederiksberg"
ok $? "units the condition cannot decide are counted and named, not shown (${err%%...*})"
grep -q '"undecided":97,"undecidedList":"0101 København, ' "$TMP/w5.html"; ok $? "and the page says so"
grep -o '"code": "[0-9]*"' "$TMP/w5.html" | tr '\n' ' ' | grep -qx '"code": "0851" '
ok $? "the one selected, 0851 Aalborg (1500), is the only unit on the page"

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

# the region's page: what the threat layer says of 0825 and 0813, read by
# ogr2ogr, is what their popups must say
ogr2ogr -f CSV "$TMP/rules.csv" "$T" -sql "SELECT komkode, rules_fired, threat_reason FROM threat
  WHERE komkode IN ('0813', '0825') ORDER BY komkode" 2>/dev/null
fired() { awk -F, -v k="$1" '{ gsub(/"/, "") } $1 == k { n = split($0, a, ","); s = ""
  for (i = 2; i < n; i++) s = s (i > 2 ? ", " : "") a[i]; print s }' "$TMP/rules.csv"; }
reason() { awk -F, -v k="$1" '{ gsub(/"/, "") } $1 == k { print $NF }' "$TMP/rules.csv"; }
cat >"$TMP/region.json" <<E
{"codes": [$(echo $want | sed 's/\([0-9]*\)/"\1"/g; s/" "/", "/g')],
 "shown": "Viser $nsel af 99 kommuner: $WHERE.", "points": $nsites, "label": "Aalborg",
 "pointLegend": "Hoveduddannelse i almen medicin (2021)",
 "search": [["Læsø", "0825", "Læsø"], ["0825", "0825", "Læsø"], ["825", "0825", "Læsø"],
            ["hjørring kommune", "0860", "Hjørring"]],
 "missing": "København",
 "popups": [{"code": "0825", "lines": ["Regler der slår til: $(fired 0825)"]},
            {"code": "0813", "lines": ["Regler der slår til: $(fired 0813)",
                                       "Uafklarede regler: crowded ($(reason 0813))"]}]}
E
echo "# expect: $(tr -d '\n' <"$TMP/region.json" | cut -c1-400)"
WEB_TEST_DIR="$WEB_TEST_DIR" node "$top/tests/web/check_region.mjs" "$R" "$TMP/region.json" \
  "$top/tests/tmp/webmap-region" >"$TMP/browser2" 2>&1
brc=$?
while IFS='|' read -r verdict what; do
  case "$verdict" in
  ok) ok 0 "browser, region: $what" ;;
  "not ok") ok 1 "browser, region: $what" ;;
  *) echo "# $verdict${what:+|$what}" ;;
  esac
done <"$TMP/browser2"
[ "$brc" = 0 ]; ok $? "the region's browser check exits 0 ($brc)"
