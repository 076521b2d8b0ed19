#!/bin/sh
# gpcov report: the main job's manifest lists every input with its SHA-256,
# two runs give byte-identical data outputs, and a bad definition (missing
# or circular references, unknown sections and commands, a failing step)
# gives a clear message naming the line; a later step that fails leaves
# the outputs as they were before the run.
. "$(dirname "$0")/lib.sh"
run report reports/denmark.ini -q --set data="$DATA" --set out="$TMP/a"
[ "$rc" = 0 ]; ok $? "the main job runs ($err)"
cp -r "$TMP/a" "$TMP/b"
run report reports/denmark.ini -q --overwrite --set data="$DATA" --set out="$TMP/a"
[ "$rc" = 0 ]; ok $? "and again, over the first run's outputs"
m="$TMP/a/manifest.json"
# the manifest is pretty-printed JSON: the greps below read it on one line
tr '\n' ' ' <"$m" | tr -s ' ' >"$TMP/manifest.flat"
for f in dst/folk1a_2020q1_area_age_sex.csv dst/frkm126_kommune_2026_2035_agegroups.csv \
         plo/laegedaekningstruede_kommuner_2019.csv training/hoveduddannelse_almen_medicin_2021.csv \
         census/census2021_grid1km_dk.csv roads/dk_roads_drivable_osm2021.gpkg; do
  h=$(sha256sum "$DATA/$f" | cut -d' ' -f1)
  grep -q "\"path\": \"$DATA/$f\", \"bytes\": [0-9]*, \"sha256\": \"$h\"" "$TMP/manifest.flat"; ok $? "the manifest lists $f with its SHA-256"
done
h=$(sha256sum shapefiles/kommuner.dbf | cut -d' ' -f1)
grep -q "\"sha256\": \"$h\"" "$m"; ok $? "and the municipality shapefile's parts"
for k in gpcov gdal geos proj; do grep -q "^  \"$k\": \"" "$m"; ok $? "the manifest records the $k version"; done
grep -q '"--places-weight", "T"' "$TMP/manifest.flat" && grep -q '"--roads-label", "OpenStreetMap-vejnettet' "$TMP/manifest.flat"
ok $? "the manifest records every argument"
# every data output is byte-identical across the two runs (b holds the first)
for f in municipalities.geojson municipalities.gpkg municipalities.csv population.gpkg commute_minutes.tif \
         commute_nearest.tif commute_isochrones.gpkg commute_bands.gpkg threat.gpkg threat_agreement.csv \
         fig3_8.png fig3_8.svg fig3_8.pdf commute.png threat.png fee.csv fee.geojson fee.gpkg fee.png \
         site_training.csv site_training_summary.csv site_training.gpkg site_training.png; do
  cmp -s "$TMP/a/$f" "$TMP/b/$f"; ok $? "two runs give the same bytes: $f"
done
run report reports/denmark.ini --dry-run --set data="$DATA" --set out="$TMP/c"
[ "$rc" = 0 ] && grep -q "^step municipalities: gpcov overlay" "$TMP/stdout" && [ ! -e "$TMP/c/manifest.json" ]
ok $? "--dry-run prints the steps and runs nothing"
grep -q "^step commute_minutes: gpcov traveltime --roads $DATA/roads/dk_roads_drivable_osm2021.gpkg --roads-label" "$TMP/stdout"
ok $? "by default, the national road network"
run report reports/denmark.ini --dry-run --set data="$DATA" --set out="$TMP/c" --set roads=
grep -q "^step commute_minutes: gpcov traveltime --straight-line" "$TMP/stdout"; ok $? "with roads empty, the straight-line model"
run report reports/denmark.ini --dry-run --set data="$DATA" --set out="$TMP/c" --set roads=/x/dk.osm.pbf
grep -q "^step commute_minutes: gpcov traveltime --roads /x/dk.osm.pbf --roads-label" "$TMP/stdout"; ok $? "with another extract, the road model (conditions on keys)"

# bad definitions
printf '[report]\nout = %s/d\n[step a]\ncommand = overlay\npolygons = ${nowhere}/k.shp\n' "$TMP" >"$TMP/missing.ini"
expect_fail 1 "missing.ini:5: \${nowhere} is not defined" "" "a missing reference" -- report "$TMP/missing.ini"
printf '[report]\nout = %s/d\na = ${b}\nb = ${a}x\n' "$TMP" >"$TMP/circle.ini"
expect_fail 1 "circle.ini:3: \${b} is defined below at line 4" "" "a reference to a later variable" -- report "$TMP/circle.ini"
printf '[report]\nout = %s/d\n[step a]\ncommand = map\ninput = ${x}\n' "$TMP" >"$TMP/self.ini"
expect_fail 1 "refers to itself (x -> y -> x)" "" "a circular reference" -- report "$TMP/self.ini" --set 'x=${y}' --set 'y=${x}'
printf '[report]\nout = %s/d\n[stage a]\n' "$TMP" >"$TMP/sect.ini"
expect_fail 1 "sect.ini:3: unknown section \[stage a\]" "" "an unknown section" -- report "$TMP/sect.ini"
printf '[report]\nout = %s/d\n[step a]\ncommand = frobnicate\n' "$TMP" >"$TMP/cmd.ini"
expect_fail 1 "cmd.ini:3: step a: unknown command" "" "an unknown command" -- report "$TMP/cmd.ini"
printf '[report]\nout = %s/d\n[step a]\npolygons = x\n' "$TMP" >"$TMP/nocmd.ini"
expect_fail 1 "step a: no 'command = ...'" "" "a step without a command" -- report "$TMP/nocmd.ini"
printf '[report]\nout = %s/d\n[step a]\ncommand = overlay\npolygons = %s/none.shp\ntable = %s/none.csv\nkey = a=b\nfield = x=y\noutput = %s/d/x.csv\n' "$TMP" "$TMP" "$TMP" "$TMP" >"$TMP/fail.ini"
expect_fail 1 "step a: --polygons $TMP/none.shp" "" "a step whose inputs are missing" -- report "$TMP/fail.ini"
[ ! -e "$TMP/d/manifest.json" ] && [ ! -e "$TMP/d/x.csv" ]; ok $? "a failed report leaves no manifest and no output"
# outputs all or none: when a later step fails, what the earlier steps of
# the run replaced is put back byte for byte and what they made is removed
mkdir "$TMP/e"
printf 'komkode,n\nan earlier run\n' >"$TMP/e/k.csv"
cp "$TMP/e/k.csv" "$TMP/k.before"
cat >"$TMP/undo.ini" <<EOF
[report]
out = $TMP/e
[step counts]
command = overlay
polygons = shapefiles/kommuner.shp
polygon-key = code
points = $DATA/training/hoveduddannelse_almen_medicin_2021.csv
agg = n=count()
output = \${out}/k.csv
output = \${out}/k.geojson
[step broken]
command = overlay
polygons = $TMP/broken.geojson
polygon-key = code
points = $DATA/training/hoveduddannelse_almen_medicin_2021.csv
agg = n=count()
output = \${out}/m.csv
EOF
printf 'not a layer\n' >"$TMP/broken.geojson"
run report "$TMP/undo.ini" --overwrite --verbose
[ "$rc" != 0 ] && grep -q '^step counts: gpcov overlay' "$TMP/stdout"
ok $? "a report whose second step fails: exit code $rc, after the first step ran"
printf '%s' "$err" | grep -q "undo.ini:11: step broken (overlay) failed: .*broken.geojson"
ok $? "and it names the failed step"
cmp -s "$TMP/e/k.csv" "$TMP/k.before"; ok $? "the output the first step replaced is back, byte for byte"
left=$(ls -A "$TMP/e" | grep -vx 'k.csv' | head -3 | tr '\n' ' ')
[ -z "$left" ]; ok $? "no output the run made, no manifest and no copy are left ($left)"
printf 'out = x\n' >"$TMP/nosec.ini"
expect_fail 1 "nosec.ini:1: 'out = x' comes before any \[section\]" "" "a key before any section" -- report "$TMP/nosec.ini"
printf '[report]\n[step a]\ncommand = map\n' >"$TMP/noout.ini"
expect_fail 1 "must set out" "" "no output directory" -- report "$TMP/noout.ini"
expect_fail 1 "nosuch.ini: cannot open" "" "a missing definition" -- report "$TMP/nosuch.ini"
expect_fail 2 "a report definition is required" "" "no definition" -- report
echo "1..$n"
