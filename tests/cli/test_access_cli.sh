#!/bin/sh
# gpcov access: the 2SFCA family from the command line on a row of four
# 1 km cells (hand-computed scores, the supply and unit tables, the identity
# sum P*A = sum S for every method), the training scenario on the real data,
# and every error case: exit code, message, and no output left behind.
. "$(dirname "$0")/lib.sh"
px() { gdallocationinfo -valonly -geoloc "$1" "$2" "$3" 2>/dev/null; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= t) }'; }
# the value of COL in row ROW (1-based after the header) of a CSV without quoted commas
col() { awk -F, -v c="$2" -v r="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
  NR == r + 1 { print $k }' "$1"; }

run access --help
if [ "$rc" != 0 ]; then
  echo "ok 1 - # SKIP gpcov access is not registered in tools/commands.c yet"
  echo "1..1"
  exit 0
fi

# --- fixture: cells of 1 km at x = 700-704 km; straight line at 60 km/h with
# detour 1 is 1 minute per km.  Supply A (10) in cell 0, B (6) in cell 3.
# People: 100 in cell 0, 200 in cell 1, a suburb of 1000 in cell 2 (dropped
# by --demand-where), 300 in cell 3.
CRS='"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}}'
cat >"$TMP/row.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"code":"0101","navn":"Vest"},"geometry":{"type":"Polygon","coordinates":[[[700000,6170000],[702000,6170000],[702000,6171000],[700000,6171000],[700000,6170000]]]}},
{"type":"Feature","properties":{"code":"0147","navn":"Øst"},"geometry":{"type":"Polygon","coordinates":[[[702000,6170000],[704000,6170000],[704000,6171000],[702000,6171000],[702000,6170000]]]}}]}
G
cat >"$TMP/people.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"population":100,"place":"town"},"geometry":{"type":"Point","coordinates":[700400,6170400]}},
{"type":"Feature","properties":{"population":200,"place":"town"},"geometry":{"type":"Point","coordinates":[701500,6170500]}},
{"type":"Feature","properties":{"population":1000,"place":"suburb"},"geometry":{"type":"Point","coordinates":[702500,6170500]}},
{"type":"Feature","properties":{"population":300,"place":"village"},"geometry":{"type":"Point","coordinates":[703600,6170600]}}]}
G
printf 'id,x,y,cap\nA,700500,6170500,10\nB,703500,6170500,6\n' >"$TMP/supply.csv"
MODEL="--straight-line --speed 60 --detour 1 --extent $TMP/row.geojson --resolution 1000"
SUP="--supply $TMP/supply.csv --x x --y y --srs EPSG:25832 --supply-id id --capacity-field cap"
DEM="--demand $TMP/people.geojson --demand-where place<>'suburb'"

# 2SFCA, d0 = 1.5 min: A reaches cells 0-1 (300 people), B cells 2-3 (300):
# R_A = 10/300, R_B = 6/300; scores 1/30, 1/30, 1/50, 1/50.
run access $MODEL $SUP $DEM --d0 1.5 --output "$TMP/a.tif" --reciprocal "$TMP/r.tif" \
  --supply-output "$TMP/supply_out.csv" --units "$TMP/row.geojson" --units-key code --units-name navn \
  --units-output "$TMP/units.geojson" -q
[ "$rc" = 0 ]; ok $? "2sfca runs ($err)"
near "$(px "$TMP/a.tif" 700500 6170500)" 0.0333333 1e-6; ok $? "cell 0: A = 10/300"
near "$(px "$TMP/a.tif" 702500 6170500)" 0.02 1e-6; ok $? "cell 2 (nobody lives there): A = 6/300"
near "$(px "$TMP/r.tif" 703500 6170500)" 50 1e-3; ok $? "cell 3: reciprocal 50 people per unit"
grep -q "sum of people x score = 16.000000" "$TMP/stdout"; ok $? "sum P*A = 16 = 10 + 6 (2sfca)"
gdalinfo "$TMP/a.tif" | grep -q "GPCOV_MODEL=straight-line model (no road network)"; ok $? "the raster names the travel model"
gdalinfo "$TMP/a.tif" | grep -q "GPCOV_METHOD=2SFCA: weight 1 up to 1.5 min"; ok $? "and the method"
[ "$(col "$TMP/supply_out.csv" id 2)" = B ]; ok $? "supply table: row 2 is B"
near "$(col "$TMP/supply_out.csv" demand 2)" 300 1e-9; ok $? "B reaches 300 people"
near "$(col "$TMP/supply_out.csv" ratio 1)" 0.0333333333 1e-9; ok $? "R_A = 10/300"
grep -q '"komkode": "0147", "name": "Øst", "population": 300.0, "access": 0.02' "$TMP/units.geojson"; ok $? "unit 0147: 300 people, mean access 0.02, the key named komkode"
grep -q '"pop_per_capacity": 30.0' "$TMP/units.geojson"; ok $? "unit 0101: 30 people per unit of capacity"

# every method shares out all the capacity
for m in "--method e2sfca" "--method gaussian --d0 2" "--method step --steps 1:1,2:0.5,inf:0.1"; do
  run access $MODEL $SUP $DEM $m --supply-output "$TMP/s.csv" --overwrite -q
  [ "$rc" = 0 ] && grep -q "sum of people x score = 16.000000" "$TMP/stdout"; ok $? "$m: sum P*A = 16 ($err)"
done
# step 1:1,2:0.5,inf:0.1: A: weights 1, 1, 0.5, 0.1 -> D_A = 100 + 200 + 30 = 330
near "$(col "$TMP/s.csv" demand 1)" 330 1e-9; ok $? "step: D_A = 100 + 200 + 0.1 x 300 = 330"

# the same people as a raster of people per cell (gdal_rasterize, summing points)
gdal_rasterize -q -a population -add -init 0 -where "place <> 'suburb'" -tr 1000 1000 \
  -te 700000 6170000 704000 6171000 -ot Float32 "$TMP/people.geojson" "$TMP/people.tif" >/dev/null 2>&1
run access $MODEL $SUP --demand "$TMP/people.tif" --d0 1.5 --output "$TMP/a_r.tif" -q
[ "$rc" = 0 ] && grep -q "sum of people x score = 16.000000" "$TMP/stdout"; ok $? "demand from a raster: sum P*A = 16 ($err)"
near "$(px "$TMP/a_r.tif" 700500 6170500)" 0.0333333 1e-6; ok $? "demand from a raster: cell 0: A = 10/300"

# --- the training scenario on the real data (a coarse grid to stay quick)
if [ -f shapefiles/kommuner.shp ]; then
  run access --scenario training --data "$DATA" --straight-line --extent shapefiles/kommuner.shp --resolution 5000 \
    --demand "$DATA/osm/places_with_population_2019.csv" --demand-where "place <> 'suburb'" \
    --supply-output "$TMP/training.csv" --units shapefiles/regioner.shp --units-key code --units-key-out regionkode --units-name name \
    --units-output "$TMP/regions.csv" -q
  [ "$rc" = 0 ]; r=$?; ok $r "the training scenario runs"
  [ $r = 0 ] || printf '#   stderr: %s\n' "$err"
  grep -q "23 supply points, capacity 350 shared out" "$TMP/stdout"; ok $? "23 training areas, 350 posts (42 + 76 + 78 + 70 + 84)"
  grep -q "sum of people x score = 350.000000" "$TMP/stdout"; ok $? "sum P*A = 350 posts"
  printf '%s' "$err" | grep -q "14 = region_posts_dimensioned 70 for region_code '1085', shared equally among the 5 rows"
  ok $? "it says Region Sjælland's 70 posts are shared among its 5 towns"
  printf '%s' "$err" | grep -q "0.95 up to 60 min (59 + 25 + 11 %"; ok $? "and where the weights come from"
  grep -q '^Roskilde,14,"posts_dimensioned empty: 14 = ' "$TMP/training.csv"; ok $? "the supply table says so per town"
  [ "$(grep -c '^108' "$TMP/regions.csv")" = 5 ] && head -1 "$TMP/regions.csv" | grep -q '^regionkode,name,'; ok $? "five regions, the key named regionkode"
fi

# --- errors: exit code, message, and nothing left in the output directory
e=0
fail_case() {  # CODE PATTERN what -- args (outputs go to $OUT)
  code=$1; pat=$2; what=$3; shift 4
  run "$@"
  [ "$rc" = "$code" ]; ok $? "$what: exit code $code (got $rc)"
  printf '%s' "$err" | grep -q -- "$pat"; r=$?
  ok $r "$what: message matches '$pat'"
  [ $r = 0 ] || printf '#   stderr: %s\n' "$err"
  left=$(ls -A "$OUT")
  [ -z "$left" ]; ok $? "$what: no output or temporary file left ($left)"
}
newout() { e=$((e+1)); OUT="$TMP/err$e"; mkdir -p "$OUT"; OUTS="--output $OUT/a.tif --reciprocal $OUT/r.tif --supply-output $OUT/s.csv --units $TMP/row.geojson --units-key code --units-output $OUT/u.gpkg"; }

printf 'id,x,y,cap\nA,700500,6170500,10\nB,703500,6170500,6\nC,740000,6170500,4\n' >"$TMP/far.csv"
newout; fail_case 1 "far.csv: feature 3 (id 'C'): no demand within reach" "a supply with nobody within reach" -- \
  access $MODEL --supply "$TMP/far.csv" --x x --y y --srs EPSG:25832 --supply-id id --capacity-field cap $DEM --d0 1.5 $OUTS
run access $MODEL --supply "$TMP/far.csv" --x x --y y --srs EPSG:25832 --supply-id id --capacity-field cap $DEM --d0 1.5 \
  --drop-unreachable --supply-output "$TMP/dropped.csv" -q
[ "$rc" = 0 ] && printf '%s' "$err" | grep -q "id 'C'): no demand within reach; dropped"; ok $? "--drop-unreachable drops it with a note"
grep -q "capacity 16 shared out (1 dropped" "$TMP/stdout"; ok $? "and shares out the other 16"

printf 'id,x,y,cap\nA,700500,6170500,ten\n' >"$TMP/nan.csv"
newout; fail_case 1 "nan.csv: feature 1 (id 'A'): capacity cap 'ten' is not a number" "a non-numeric capacity" -- \
  access $MODEL --supply "$TMP/nan.csv" --x x --y y --srs EPSG:25832 --supply-id id --capacity-field cap $DEM $OUTS
printf 'id,x,y,cap\nA,700500,6170500,-2\n' >"$TMP/neg.csv"
newout; fail_case 1 "neg.csv: feature 1 (id 'A'): capacity cap -2 is negative" "a negative capacity" -- \
  access $MODEL --supply "$TMP/neg.csv" --x x --y y --srs EPSG:25832 --supply-id id --capacity-field cap $DEM $OUTS
printf 'id,x,y,cap\nA,700500,6170500,\n' >"$TMP/empty_cap.csv"
newout; fail_case 1 "capacity cap is empty" "an empty capacity" -- \
  access $MODEL --supply "$TMP/empty_cap.csv" --x x --y y --srs EPSG:25832 --capacity-field cap $DEM $OUTS
newout; fail_case 1 "no field 'posts' (--capacity-field; fields: id, x, y, cap)" "an unknown capacity field" -- \
  access $MODEL --supply "$TMP/supply.csv" --x x --y y --srs EPSG:25832 --capacity-field posts $DEM $OUTS
newout; fail_case 1 "no field 'name' (--supply-id" "an unknown supply id field" -- \
  access $MODEL --supply "$TMP/supply.csv" --x x --y y --srs EPSG:25832 --supply-id name --capacity-field cap $DEM $OUTS
newout; fail_case 1 "no field 'KOMKODE'" "an unknown units key" -- \
  access $MODEL $SUP $DEM --output "$OUT/a.tif" --units "$TMP/row.geojson" --units-key KOMKODE --units-output "$OUT/u.csv"
newout; fail_case 1 "no field 'pop' with the population" "an unknown demand field" -- \
  access $MODEL $SUP --demand "$TMP/people.geojson" --demand-field pop $OUTS
newout; fail_case 1 "no field 'kind' (used in --demand-where" "an unknown field in --demand-where" -- \
  access $MODEL $SUP --demand "$TMP/people.geojson" --demand-where "kind = 'x'" $OUTS
printf 'id,x,y,cap\n' >"$TMP/none.csv"
newout; fail_case 1 "none.csv: no supply points" "no supply points" -- \
  access $MODEL --supply "$TMP/none.csv" --x x --y y --srs EPSG:25832 --capacity-field cap $DEM $OUTS
newout; fail_case 2 "step 2: upper bound 60 is not above the one before (120): steps must ascend" "steps not ascending" -- \
  access $MODEL $SUP $DEM --method step --steps 120:0.5,60:0.3 $OUTS
newout; fail_case 2 "step 1: weight 1.5 lies outside 0..1" "a weight outside 0..1" -- \
  access $MODEL $SUP $DEM --method step --steps 60:1.5 $OUTS
newout; fail_case 2 "--method step needs --steps" "step without steps" -- access $MODEL $SUP $DEM --method step $OUTS
newout; fail_case 2 "--steps goes with --method e2sfca or step" "steps with 2sfca" -- access $MODEL $SUP $DEM --steps 60:1 $OUTS
newout; fail_case 2 "--method 'fca3'" "an unknown method" -- access $MODEL $SUP $DEM --method fca3 $OUTS
newout; fail_case 2 "give at least one output" "no output" -- access $MODEL $SUP $DEM
newout; fail_case 2 "give exactly one model" "no travel model" -- access $SUP $DEM $OUTS
newout; fail_case 2 "unknown option '--frob'" "an unknown option" -- access $MODEL $SUP $DEM --frob x $OUTS
newout; fail_case 2 "unknown scenario 'commute'" "an unknown scenario" -- access --scenario commute $MODEL $DEM $OUTS
newout; fail_case 2 "--d0: '-5' is not a positive number" "a negative d0" -- access $MODEL $SUP $DEM --d0 -5 $OUTS
newout; fail_case 2 "a GeoTIFF (.tif) is written" "a raster output that is not .tif" -- access $MODEL $SUP $DEM --output "$OUT/a.png"
newout; fail_case 1 "cannot write into $TMP/nodir" "an output in a directory that does not exist" -- \
  access $MODEL $SUP $DEM --output "$OUT/a.tif" --supply-output "$OUT/s.csv" --units-output "$TMP/nodir/u.csv" \
  --units "$TMP/row.geojson" --units-key code
newout; fail_case 2 "a filter applies to points" "--demand-where with a raster" -- \
  access $MODEL $SUP --demand "$TMP/people.tif" --demand-where "place <> 'x'" --d0 1.5 $OUTS
cp "$TMP/a.tif" "$TMP/keep.tif"
expect_fail 1 "exists already (use --overwrite" "" "an existing output" -- access $MODEL $SUP $DEM --d0 1.5 --output "$TMP/a.tif" --supply-output "$TMP/new.csv"
cmp -s "$TMP/a.tif" "$TMP/keep.tif"; ok $? "the existing output is untouched"
[ ! -e "$TMP/new.csv" ]; ok $? "and the other output is not written either"
echo "1..$n"
