#!/bin/sh
# Runs that talk: every command ends with one line on stderr saying what it
# did, with values checked against the outputs themselves (travel times on
# the real municipalities: share reached and most minutes against gdalinfo;
# threat: the threatened by name, the undecided and excluded apart; fee:
# the exact sum of the written amounts and the one left out; query,
# isochrone, overlay, dissolve); -q silences it.  A report says each step's
# line prefixed with the step's name, checks every input before the first
# step (all missing ones listed, nothing run or written), and a failed step
# is one line plus the rollback notice (the command lines and the step's
# own error where it happens only with --verbose).
. "$(dirname "$0")/lib.sh"

# the summary line of the last run: the last line of stderr
last() { printf '%s\n' "$err" | tail -1; }

sq() { # sq KOMKODE NAME SHARE_FAR60 X: a 10 km square at x = X
  printf '{"type":"Feature","properties":{"komkode":"%s","name":"%s","share_far60":%s,"patients":%s,"capacities":%s,"designated_2019":%s},"geometry":{"type":"Polygon","coordinates":[[[%s,6200000],[%s,6200000],[%s,6210000],[%s,6210000],[%s,6200000]]]}}' \
    "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$(($7 + 10000))" "$(($7 + 10000))" "$7" "$7"
}
{
  echo '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":['
  sq 0810 Brønderslev 30 2000 1 false 500000; echo ,
  sq 0813 Frederikshavn null 3000 2 true 520000; echo ,
  sq 0825 Læsø 100 6000 4 true 540000; echo ,
  sq 0851 Aalborg 5 3000 2 true 560000; echo ,
  sq 0411 Christiansø null 10 1 false 600000
  echo ']}'
} >"$TMP/u.geojson"

# threat: two threatened by name, one undecided, one excluded
run threat --units "$TMP/u.geojson" --rule 'far: share_far60 > 20' --exclude 0411 --output "$TMP/t.csv"
[ "$(last)" = "gpcov threat: 2 of 4 units threatened: Brønderslev, Læsø (1 undecided: Frederikshavn, 1 excluded)" ]
ok $? "threat: the threatened by name, undecided and excluded apart ($(last))"
run threat --units "$TMP/u.geojson" --rule 'far: share_far60 > 20' --exclude 0411 --output "$TMP/t.csv" --overwrite -q
[ "$rc" = 0 ] && [ -z "$err" ]; ok $? "threat -q: no line ($err)"

# fee: the exact sum of what was written, and the one left out
printf 'area_code,age,men,women\n0000,79,450,450\n0000,80,50,50\n810,79,40,35\n810,80,10,15\n813,79,50,37\n813,80,6,7\n825,79,50,50\n825,80,0,0\n851,79,42,42\n851,80,8,8\n411,79,1,1\n' >"$TMP/age.csv"
run fee --units "$TMP/u.geojson" --age-table "$TMP/age.csv" --budget 100000.05 --exclude 0411 \
  --output "$TMP/fee.csv"
sum=$(awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="total_dkk") k=i; next} $k != "" {s+=int($k*100+0.5); n++} END{printf "%d.%02d %d", s/100, s%100, n}' "$TMP/fee.csv")
[ "$sum" = "100000.05 4" ]; ok $? "fee: the written amounts sum to the budget over 4 units ($sum)"
[ "$(last)" = "gpcov fee: 100,000.05 DKK allocated to 4 municipalities, 1 left out (0411)" ]
ok $? "fee: the line says the exact sum and who is left out ($(last))"

# query: how many, the condition, the undecided
run query --input "$TMP/u.geojson" --where 'share_far60 > 20'
[ "$(last)" = "gpcov query: 2 of 5 municipalities where share_far60 > 20, 2 undecided" ]
ok $? "query: count and undecided ($(last))"

# overlay: units, fields, sources, the numeric fields with empty values
printf 'code,v\n0810,1\n0813,\n0825,3\n0851,4\n0411,\n' >"$TMP/v.csv"
run overlay --polygons "$TMP/u.geojson" --table "$TMP/v.csv" --key komkode=code --field v=v \
  --output "$TMP/ov.csv"
[ "$(last)" = "gpcov overlay: 5 units, 1 fields from 1 sources; 1 numeric fields with empty values: v 2" ]
ok $? "overlay: units, fields and the empty ones ($(last))"

# dissolve: one multipolygon per code of the DAGI file (99, Christiansø too)
run dissolve --input "$DATA/dagi/kommuner.geojson" --key KOMKODE --output "$TMP/k.gpkg"
[ "$(last)" = "gpcov dissolve: 99 units, one multipolygon per KOMKODE, 0 flagged" ]
ok $? "dissolve: units ($(last))"

# traveltime on the real municipalities: share reached and most minutes
# as gdalinfo finds them in the raster written
run traveltime --straight-line --extent shapefiles/kommuner.shp --resolution 5000 \
  --sources "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" --output "$TMP/tt.tif"
max=$(gdalinfo -stats "$TMP/tt.tif" 2>/dev/null | sed -n 's/.*STATISTICS_MAXIMUM=//p' | awk '{printf "%.0f", $1}')
cells=$(gdalinfo "$TMP/tt.tif" | sed -n 's/^Size is \([0-9]*\), \([0-9]*\)/\1 \2/p' | awk '{print $1 * $2}')
nsrc=$(($(wc -l <"$DATA/training/hoveduddannelse_almen_medicin_2021.csv") - 1))
[ "$(last)" = "gpcov traveltime: 100.0 % of $cells cells in the grid reached, max $max min, $nsrc sources, straight-line model" ]
ok $? "traveltime: share, max $max min, $nsrc sources as in the raster ($(last))"
run traveltime --straight-line --extent shapefiles/kommuner.shp --resolution 5000 --max-minutes 30 \
  --sources "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" --output "$TMP/tt30.tif" -q
valid=$(gdalinfo -stats "$TMP/tt30.tif" 2>/dev/null | sed -n 's/.*STATISTICS_VALID_PERCENT=//p')
run traveltime --straight-line --extent shapefiles/kommuner.shp --resolution 5000 --max-minutes 30 \
  --sources "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" --output "$TMP/tt30.tif" --overwrite
share=$(last | sed -n 's/^gpcov traveltime: \([0-9.]*\) % .*/\1/p')
awk -v a="$share" -v b="$valid" 'BEGIN { exit !(a != "" && a < 100 && (a - b) ^ 2 < 0.01) }'
ok $? "traveltime --max-minutes 30: $share % reached, as gdalinfo's valid percent $valid"

# isochrone: the area within each limit, as written
run isochrone --traveltime "$TMP/tt.tif" --minutes 30,60 --output "$TMP/iso.csv"
a30=$(awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="area_km2") k=i; next} NR==2{printf "%.0f", $k}' "$TMP/iso.csv")
printf '%s\n' "$(last)" | grep -q "^gpcov isochrone: within 30 min $a30 km2; within 60 min [0-9]* km2$"
ok $? "isochrone: the area within 30 min as written, $a30 km2 ($(last))"

# a report: each step's line prefixed with its name
cat >"$TMP/two.ini" <<EOF
[report]
out = $TMP/r
[step far]
command = threat
units = $TMP/u.geojson
rule = far: share_far60 > 20
exclude = 0411
output = \${out}/t.csv
[step money]
command = fee
units = $TMP/u.geojson
age-table = $TMP/age.csv
budget = 100000.05
exclude = 0411
output = \${out}/fee.csv
EOF
mkdir -p "$TMP/r"
run report "$TMP/two.ini"
[ "$rc" = 0 ] && [ "$err" = "step far: 2 of 4 units threatened: Brønderslev, Læsø (1 undecided: Frederikshavn, 1 excluded)
step money: 100,000.05 DKK allocated to 4 municipalities, 1 left out (0411)" ]
ok $? "report: one line per step, named ($err)"
! grep -q "gpcov threat --units" "$TMP/stdout"; ok $? "report: no command lines without --verbose"
run report "$TMP/two.ini" --overwrite -q
[ "$rc" = 0 ] && [ -z "$err" ] && [ ! -s "$TMP/stdout" ]; ok $? "report -q: nothing said ($err)"

# a report with missing inputs: all listed, nothing run, nothing written
sed -e "s|units = $TMP/u.geojson|units = $TMP/none.geojson|" -e "s|age-table = .*|age-table = /nonexistent/age.csv|" \
  -e "s|out = $TMP/r|out = $TMP/m|" "$TMP/two.ini" >"$TMP/miss.ini"
mkdir "$TMP/m"
run report "$TMP/miss.ini"
[ "$rc" = 1 ] && [ "$err" = "gpcov report: 3 inputs missing, no step run:
  step far: --units $TMP/none.geojson
  step money: --units $TMP/none.geojson
  step money: --age-table /nonexistent/age.csv" ]
ok $? "report: every missing input by step, option and path ($err)"
[ -z "$(ls -A "$TMP/m")" ]; ok $? "report: nothing written when inputs are missing"

# a failing step: one line (and the rollback notice); details with --verbose
printf 'area_code,age\n101,80\n' >"$TMP/bad_age.csv"
sed -e "s|age-table = .*|age-table = $TMP/bad_age.csv|" -e "s|out = $TMP/r|out = $TMP/f|" "$TMP/two.ini" >"$TMP/fail.ini"
mkdir "$TMP/f"
run report "$TMP/fail.ini"
line() { printf '%s\n' "$err" | sed -n "$1p"; }
[ "$rc" = 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 3 ] && line 1 | grep -q '^step far: 2 of 4'
ok $? "report: a failed step: the first step's line, the failure, the notice ($(printf '%s\n' "$err" | wc -l) lines)"
[ "$(line 2)" = "gpcov report: step money (fee) failed: $TMP/bad_age.csv: no column 'men' (men per age, --men-field; columns: area_code, age)" ]
ok $? "report: the failure in one line naming step, command and the command's own error ($(line 2))"
line 3 | grep -q "^gpcov report: nothing written: every output is as it was"; ok $? "report: and the rollback notice"
[ -z "$(ls -A "$TMP/f")" ]; ok $? "report: nothing written by the failed run"
run report "$TMP/fail.ini" --verbose
grep -q "^step money: gpcov fee --units" "$TMP/stdout" &&
  printf '%s\n' "$err" | grep -q "fail.ini:[0-9]*: step money (fee) failed: " &&
  printf '%s\n' "$err" | grep -q "^gpcov: .*bad_age.csv"
ok $? "report --verbose: the command line, the definition's line, the step's error as it happened"
echo "1..$n"
