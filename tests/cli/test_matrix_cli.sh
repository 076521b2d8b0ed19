#!/bin/sh
# gpcov matrix: origins x destinations in long format.  The minutes equal
# gpcov traveltime's raster from the origin alone at each destination's
# cell (friction and straight line on a 5 x 5 grid, hand-computed values
# too; the road model on the national network at every hospital moved to
# its cell centre); --nearest, --max-minutes, the SOR-shaped practices as
# destinations, plausible real pairs (København-Rigshospitalet, the Læsø
# ferry), and bad input (exit code, message, nothing left behind).
. "$(dirname "$0")/lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/sor" && pwd)
ROADS=$DATA/roads/dk_roads_drivable_osm2021.gpkg
HOSP=$DATA/health/gisco_hospitals_dk_2020.geojson

run matrix --help
[ "$rc" = 0 ] && grep -q -- "--destinations" "$TMP/stdout"
ok $? "gpcov matrix --help lists its options"
[ "$rc" = 0 ] || { echo "1..$n"; exit 1; }

# col NAME FILE: the values of column NAME of a CSV, one a line
col() { awk -F, -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$2"; }

# equal RASTER MATRIX.csv DEST.csv: for every row, the matrix minutes and
# the raster at the destination (X, Y of DEST by destination_id); prints
# "compared N bad M"
equal() {
  tail -n +2 "$2" | cut -d, -f3,5 | while IFS=, read -r d m; do
    xy=$(awk -F, -v d="$d" '$1 == d { print $2, $3 }' "$3")
    # shellcheck disable=SC2086
    r=$(gdallocationinfo -valonly -geoloc "$1" $xy)
    echo "$m ${r:-none}"
  done | awk '{ n++; if ($2 == "none" || $2 == "nan") { if ($1 != "") bad++ }
               else if ($1 == "" || ($1 - $2) > 1e-4 || ($2 - $1) > 1e-4) bad++ }
              END { printf "compared %d bad %d\n", n, bad + 0 }'
}

# --- a 5 x 5 grid of 100 m cells at x 600000-600500, y 6099500-6100000
{ printf 'ncols 5\nnrows 5\nxllcorner 600000\nyllcorner 6099500\ncellsize 100\nNODATA_value -9999\n'
  for r in 1 2 3; do echo '0.01 0.01 0.01 0.01 0.01'; done
  echo '0.01 0.01 -9999 -9999 -9999'; echo '0.01 0.01 -9999 0.01 0.01'; } >"$TMP/f.asc"
gdal_translate -q -ot Float32 -a_srs EPSG:25832 "$TMP/f.asc" "$TMP/f.tif"
printf 'id,X,Y\nA,600050,6099750\n' >"$TMP/o.csv"
awk 'BEGIN { print "id,X,Y"; for (r = 0; r < 5; r++) for (c = 0; c < 5; c++)
             printf "c%d%d,%d,%d\n", r, c, 600050 + 100 * c, 6099950 - 100 * r }' >"$TMP/cells.csv"
P="--x X --y Y --srs EPSG:25832"

run traveltime --friction "$TMP/f.tif" --sources "$TMP/o.csv" $P --output "$TMP/tf.tif" -q
run matrix --friction "$TMP/f.tif" --sources "$TMP/o.csv" $P --destinations "$TMP/cells.csv" \
  --output "$TMP/mf.csv" -q
[ "$rc" = 0 ] && [ -s "$TMP/mf.csv" ]; ok $? "friction: a run exits 0 and writes the CSV ($err)"
head -1 "$TMP/mf.csv" | grep -q '^origin_id,origin_name,destination_id,destination_name,minutes,metres,note$'
ok $? "the long format's columns"
v=$(awk -F, '$3 == "c22" { print $5 }' "$TMP/mf.csv")
[ "$v" = 2 ]; ok $? "friction: two cells east at 0.01 min/m x 100 m is 2 minutes (got $v)"
r=$(equal "$TMP/tf.tif" "$TMP/mf.csv" "$TMP/cells.csv")
[ "$r" = "compared 25 bad 0" ]; ok $? "friction: minutes equal the traveltime raster at all 25 cells ($r)"
v=$(awk -F, '$3 == "c44" { print $5 "|" $7 }' "$TMP/mf.csv")
case $v in "|no time: barriers"*) r=0 ;; *) r=1 ;; esac
ok $r "friction: the walled-in cell has no time and says why (got '$v')"
v=$(awk -F, '$3 == "c21" { print $6 "|" $7 }' "$TMP/mf.csv")
case $v in "|no metres"*) r=0 ;; *) r=1 ;; esac
ok $r "friction: metres missing with a note, never 0 (got '$v')"
v=$(awk -F, 'NR > 1 { printf "%s ", $3 }' "$TMP/mf.csv")
case $v in "c20 c10 c21 c30 c11 "*) r=0 ;; *) r=1 ;; esac
ok $r "rows in order of minutes, ties by destination order (got $v)"

printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:25832"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[600000,6099500],[600500,6099500],[600500,6100000],[600000,6100000],[600000,6099500]]]}}]}' >"$TMP/box.geojson"
S="--straight-line --extent $TMP/box.geojson --resolution 100"
run traveltime $S --sources "$TMP/o.csv" $P --output "$TMP/ts.tif" -q
run matrix $S --sources "$TMP/o.csv" $P --destinations "$TMP/cells.csv" --output "$TMP/ms.csv" -q
v=$(awk -F, '$3 == "c22" { printf "%.6f %.3f", $5, $6 }' "$TMP/ms.csv")
[ "$v" = "0.260000 260.000" ]; ok $? "straight line: 200 m x 1.3 at 60 km/h is 0.26 min, 260 m (got $v)"
r=$(equal "$TMP/ts.tif" "$TMP/ms.csv" "$TMP/cells.csv")
[ "$r" = "compared 25 bad 0" ]; ok $? "straight line: minutes equal the raster at all 25 cells ($r)"

run matrix $S --sources "$TMP/o.csv" $P --destinations "$TMP/cells.csv" --nearest 3 \
  --output "$TMP/mk.csv"
v=$(tail -n +2 "$TMP/mk.csv" | cut -d, -f3 | tr '\n' ' ')
[ "$rc" = 0 ] && [ "$v" = "c20 c10 c21 " ]; ok $? "--nearest 3 keeps the three nearest (got $v)"
printf '%s' "$err" | grep -q "22 pairs beyond the 3 nearest left out"
ok $? "the summary counts the pairs --nearest left out ($err)"
run matrix $S --sources "$TMP/o.csv" $P --destinations "$TMP/cells.csv" --max-minutes 0.2 \
  --output "$TMP/mm.csv"
v=$(tail -n +2 "$TMP/mm.csv" | wc -l)
[ "$v" = 6 ] && printf '%s' "$err" | grep -q "19 pairs over 0.2 minutes"
ok $? "--max-minutes 0.2 (154 m crow-fly) keeps the origin's cell, 3 beside it and 2 diagonal, and says 19 are left out (got $v; $err)"

run matrix $S --sources "$TMP/o.csv" $P --destinations "$TMP/cells.csv" --nearest 2 \
  --output "$TMP/mx.xlsx" -q
v=$(ogrinfo -q "$TMP/mx.xlsx" -sql "SELECT destination_id, minutes FROM mx" 2>/dev/null |
    sed -n 's/^ *\(destination_id\|minutes\) ([A-Za-z]*) = //p' | tr '\n' ' ')
[ "$rc" = 0 ] && [ "$v" = "c20 0 c10 0.13 " ] && [ -z "$(ls -a "$TMP" | grep tmp)" ]
ok $? "XLSX: the two nearest as a spreadsheet, no temporary left (got '$v'; $err)"

# --- bad input: exit code, message, nothing left behind; no overwrite
sed 's/^c01,600150/c01,x600150/' "$TMP/cells.csv" >"$TMP/nonnum.csv"
mv "$TMP/nonnum.csv" "$TMP/nonnum_cells.csv"
expect_fail 1 "nonnum_cells.csv: line 3 (practice 'c01'): coordinates are not numbers" \
  "$TMP/bad.csv" "a destination whose x is no number" -- matrix $S --sources "$TMP/o.csv" $P \
  --destinations "$TMP/nonnum_cells.csv" --output "$TMP/bad.csv"
printf 'id,lon,lat\nd1,10.5,56.2\nd2,,56.3\n' >"$TMP/lonlat_gap.csv"
expect_fail 1 "lonlat_gap.csv: feature 2: no coordinates (lon and lat must both hold a number)" \
  "$TMP/bad.csv" "a lon/lat destination with an empty lon" -- matrix $S --sources "$TMP/lonlat_gap.csv" \
  --destinations "$TMP/lonlat_gap.csv" --output "$TMP/bad.csv"
expect_fail 2 "give one of --destinations and --destinations-centroids" "" \
  "no destinations" -- matrix $S --sources "$TMP/o.csv" $P --output "$TMP/bad.csv"
cp "$TMP/ms.csv" "$TMP/keep.csv"
expect_fail 1 "exists" "" "an existing output without --overwrite" -- matrix $S \
  --sources "$TMP/o.csv" $P --destinations "$TMP/cells.csv" --output "$TMP/keep.csv"
cmp -s "$TMP/ms.csv" "$TMP/keep.csv"; ok $? "the existing output is kept byte for byte"

# --- the SOR-shaped practices as destinations (straight line, kommuner box)
run matrix --straight-line --extent "$HOSP" --resolution 1000 --sources "$HOSP" \
  --source-id id --destinations "$FIX/sor_almen_praksis.csv" --nearest 1 --output "$TMP/sor.csv" -q
[ "$rc" = 0 ]; ok $? "the SOR export shape reads as destinations ($err)"
v=$(awk -F, '$1 == "12" { print $3 "|" $4 }' "$TMP/sor.csv")
[ "$v" = "486451000016009|Lægerne Nørrebrogade" ]
ok $? "Rigshospitalet's nearest practice: the SOR id without =\"\", the name in UTF-8 (got $v)"

# --- the road model on the national network
[ -r "$ROADS" ] || { echo "# no $ROADS: road checks skipped"; echo "1..$n"; exit 0; }
printf 'id,X,Y\nKBH,724376,6175910\n' >"$TMP/kbh.csv"
run traveltime --roads "$ROADS" --sources "$TMP/kbh.csv" $P --resolution 1000 \
  --output "$TMP/tr.tif" -q
o=$(gdalinfo "$TMP/tr.tif" | sed -n 's/^Origin = (\([-0-9.]*\),\([-0-9.]*\)).*/\1 \2/p')
ogr2ogr -f CSV -t_srs EPSG:25832 -lco GEOMETRY=AS_XY -select id "$TMP/h.csv" "$HOSP"
awk -F, -v o="$o" 'BEGIN { split(o, g, " "); print "id,X,Y" }
  NR > 1 { gsub(/"/, ""); x = g[1] + (int(($1 - g[1]) / 1000) + 0.5) * 1000
           y = g[2] - (int((g[2] - $2) / 1000) + 0.5) * 1000; printf "%s,%d,%d\n", $3, x, y }' \
  "$TMP/h.csv" >"$TMP/hc.csv"
run matrix --roads "$ROADS" --sources "$TMP/kbh.csv" $P --resolution 1000 \
  --destinations "$TMP/hc.csv" --output "$TMP/mr.csv"
[ "$rc" = 0 ]; ok $? "roads: a run on the national network exits 0 ($(printf '%s' "$err" | tail -1))"
r=$(equal "$TMP/tr.tif" "$TMP/mr.csv" "$TMP/hc.csv")
[ "$r" = "compared 61 bad 0" ]
ok $? "roads: minutes equal the traveltime raster at all 61 hospitals' cell centres ($r)"

run matrix --roads "$ROADS" --sources "$TMP/kbh.csv" $P --resolution 1000 \
  --destinations "$TMP/hc.csv" --nearest 3 --output "$TMP/mr3.csv"
[ "$rc" = 0 ] && [ "$(head -4 "$TMP/mr.csv")" = "$(cat "$TMP/mr3.csv")" ] &&
  printf '%s' "$err" | grep -q "58 pairs beyond the 3 nearest left out"
ok $? "roads: --nearest 3 stops early and gives the full matrix's first three rows ($(printf '%s' "$err" | tail -1))"

printf 'id,X,Y\nKBH,724376,6175910\nFRH,%s\n' \
  "$(echo 10.53329 57.44646 | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:25832 -output_xy | tr ' ' ',')" \
  >"$TMP/two.csv"
run matrix --roads "$ROADS" --sources "$TMP/two.csv" $P --destinations "$HOSP" \
  --destination-name hospital_name --output "$TMP/real.csv" -q
v=$(awk -F, '$1 == "KBH" && $3 == "12" { print $5 }' "$TMP/real.csv")
awk -v v="$v" 'BEGIN { exit !(v > 2 && v < 15) }'
ok $? "roads: København centre to Rigshospitalet under 15 minutes (got $v)"
printf 'id,lon,lat\nFRH,10.53329,57.44646\n' >"$TMP/frh.csv"
run matrix --roads "$ROADS" --sources "$TMP/frh.csv" --destinations "$FIX/sor_almen_praksis.csv" \
  --output "$TMP/laeso.csv" -q
v=$(awk -F, '$1 == "FRH" && $3 == "486481000016002" { print $5, $6 }' "$TMP/laeso.csv")
awk -v v="$v" 'BEGIN { split(v, a, " "); exit !(a[1] > 90 && a[1] < 200 && a[2] > 20000) }'
ok $? "roads: Frederikshavn to Læsø takes the ferry with its 30-minute wait, 90-200 min, over 20 km (got $v)"

echo "1..$n"
