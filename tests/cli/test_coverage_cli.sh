#!/bin/sh
# gpcov coverage: capacity-constrained coverage from the command line.  A row
# of four 1 km cells with hand-computed assignments (a closed and an
# excluded practice, capacity exhausted, demand beyond the limit) and every
# refusal (exit code, message, no output left); then the real data: the
# GISCO hospitals as a stand-in for GP practices (labelled so in every
# output), the census-grid population of `gpcov population`, the national
# road network at 250 m: exact totals per cell and per practice, and every
# served cell's minutes equal to `gpcov traveltime --per-source`.
. "$(dirname "$0")/lib.sh"
num_eq() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t) }'; }

run coverage --help
if [ "$rc" != 0 ]; then
  echo "not ok 1 - gpcov coverage is not a command"
  echo "1..1"
  exit 1
fi

# --- the row: 1 min per km.  A (0.1 capacities x norm 1000 = 100) in cell
# 0, D (50) in cell 1, B (capacity empty) and C (closed) in cell 3; people
# 100, 200, -, 300; limit 1.5 min.  A takes cell 0's 100, D 50 of cell 1's
# 200; cell 3 is 2 min from D and 3 from A: unserved, none within reach.
CRS='"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}}'
cat >"$TMP/row.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"code":"0101","navn":"Vest"},"geometry":{"type":"Polygon","coordinates":[[[700000,6170000],[702000,6170000],[702000,6171000],[700000,6171000],[700000,6170000]]]}},
{"type":"Feature","properties":{"code":"0147","navn":"Øst"},"geometry":{"type":"Polygon","coordinates":[[[702000,6170000],[704000,6170000],[704000,6171000],[702000,6171000],[702000,6170000]]]}}]}
G
cat >"$TMP/people.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"population":100},"geometry":{"type":"Point","coordinates":[700400,6170400]}},
{"type":"Feature","properties":{"population":200},"geometry":{"type":"Point","coordinates":[701500,6170500]}},
{"type":"Feature","properties":{"population":300},"geometry":{"type":"Point","coordinates":[703600,6170600]}}]}
G
printf 'id,x,y,caps,open\nA,700500,6170500,0.1,ja\nB,703500,6170500,,ja\nC,703500,6170500,0.2,nej\nD,701500,6170500,0.05,1\n' >"$TMP/prac.csv"
MODEL="--straight-line --speed 60 --detour 1 --extent $TMP/row.geojson --resolution 1000"
PRAC="--practices $TMP/prac.csv --x x --y y --srs EPSG:25832 --practice-id id"
run coverage $MODEL $PRAC --capacity-field caps --open-field open --norm 1000 \
  --demand "$TMP/people.geojson" --max-minutes 1.5 --practices-output "$TMP/p.csv" \
  --units "$TMP/row.geojson" --units-key code --units-name navn --units-output "$TMP/u.csv" \
  --cells-output "$TMP/c.csv" -q
[ "$rc" = 0 ]; ok $? "the row runs ($err)"
grep -q "demand 600 = served 150 + unserved 450 (300 with no practice with capacity within 1.5 min)" "$TMP/stdout"
ok $? "demand 600 = served 150 + unserved 450, 300 of it with none within reach"
grep -q "4 practices: 2 open, 1 closed, 1 excluded" "$TMP/stdout"; ok $? "2 open, 1 closed, 1 excluded"
grep -q '^A,0.1,100,1,100,0,100,' "$TMP/p.csv"; ok $? "A: 0.1 capacities, 100 patients, open, 100 assigned, 0 left, 100 %"
grep -q '^B,,,1,,,,udeladt: ingen kapacitet (caps tom)' "$TMP/p.csv"; ok $? "B: capacity empty, excluded with its reason, assigned empty (not 0)"
grep -q '^C,0.2,0,0,0,0,,lukket for tilgang (open)' "$TMP/p.csv"; ok $? "C: closed, takes no one"
[ "$(head -c 13 "$TMP/u.csv")" = "komkode,name," ]; ok $? "the units' key is komkode, whatever the units layer calls it (code)"
grep -q '^0101,Vest,300,150,150,50,0,' "$TMP/u.csv"; ok $? "0101: 300 = 150 + 150, 50 % unserved, for want of capacity"
grep -q '^0147,Øst,300,0,300,100,300,' "$TMP/u.csv"; ok $? "0147: all 300 unserved, none within reach"
grep -q '^1,200,50,150,D,0,praksis inden for 1.5 min er fuldt belagt' "$TMP/c.csv"; ok $? "cell 1: 50 from D at 0 min, 150 unserved: full"

# --- refusals
expect_fail 2 "max-minutes is required" "" "no limit" -- coverage $MODEL $PRAC --capacity 1 \
  --demand "$TMP/people.geojson" --cells-output "$TMP/x1.csv"
expect_fail 2 "one of --capacity-field and --capacity" "" "both capacities" -- coverage $MODEL $PRAC \
  --capacity 1 --capacity-field caps --demand "$TMP/people.geojson" --max-minutes 5 --cells-output "$TMP/x2.csv"
expect_fail 1 "prac.csv: no column 'kap' (--capacity-field; columns: id, x, y, caps, open)" "$TMP/x3.csv" \
  "unknown capacity field" -- coverage $MODEL $PRAC --capacity-field kap --demand "$TMP/people.geojson" \
  --max-minutes 5 --cells-output "$TMP/x3.csv"
printf 'id,x,y,caps\nA,700500,6170500,-2\n' >"$TMP/neg.csv"
expect_fail 1 "neg.csv: line 2 (practice 'A'): 'caps' is '-2', not a number of GP capacities" "$TMP/x4.csv" \
  "negative capacity" -- coverage $MODEL --practices "$TMP/neg.csv" --x x --y y --srs EPSG:25832 \
  --practice-id id --capacity-field caps --demand "$TMP/people.geojson" --max-minutes 5 --cells-output "$TMP/x4.csv"
cp "$TMP/c.csv" "$TMP/c.before"
expect_fail 1 "c.csv: exists already" "" "an existing output" -- coverage $MODEL $PRAC --capacity 1 \
  --demand "$TMP/people.geojson" --max-minutes 5 --cells-output "$TMP/c.csv"
cmp -s "$TMP/c.csv" "$TMP/c.before"; ok $? "an existing output: left as it was"

# --- the real data: hospitals as a stand-in for practices, the road network
if [ ! -f shapefiles/kommuner.shp ] || [ ! -f "$DATA/roads/dk_roads_drivable_osm2021.gpkg" ]; then
  echo "ok $((n+1)) - # SKIP no shapefiles/kommuner.shp or no road network"; n=$((n+1))
  echo "1..$n"; exit 0
fi
POP=${POP:-$TMP/population.gpkg}
if [ ! -f "$POP" ]; then
  run population --polygons shapefiles/kommuner.shp --table "$DATA/dst/folk1a_2020q1_area_age_sex.csv" \
    --key code=area_code --where "level in ('kommune', 'other')" --agg "pop=sum(total)" \
    --agg "pop80=sum(total) where age >= 80" --places "$DATA/census/census2021_grid1km_dk.csv" \
    --places-weight T --demand "demand=pop + 1.5 * pop80" --output "$POP" -q
  [ "$rc" = 0 ]; ok $? "the population on the census grid ($err)"
fi
HOSP="$DATA/health/gisco_hospitals_dk_2020.geojson"
ROADS="--roads $DATA/roads/dk_roads_drivable_osm2021.gpkg --extent shapefiles/kommuner.shp --resolution 250"
NOTE="stand-in: GISCO hospitals 2020, not GP practices"
run coverage $ROADS --practices "$HOSP" --practice-id id --capacity 40 --practices-note "$NOTE" \
  --demand "$POP" --demand-field demand --max-minutes 30 --cells-output "$TMP/cells.gpkg" \
  --unserved "$TMP/unserved.tif" --unserved-output "$TMP/unserved.gpkg" --practices-output "$TMP/hosp.csv" \
  --units shapefiles/kommuner.shp --units-key code --units-name name --units-output "$TMP/kom.csv" -q
[ "$rc" = 0 ]; ok $? "61 hospitals, 40 capacities each, 30 min by road: runs"
sed 's/^/#   /' "$TMP/stdout"
want=$(ogrinfo -q -sql "SELECT SUM(demand) AS s FROM population" "$POP" | awk '/s \(Real\) =/ { print $NF }')
got=$(sed -n 's/^coverage: demand \([0-9.e+]*\) = served \([0-9.e+]*\) + unserved \([0-9.e+]*\).*/\1 \2 \3/p' "$TMP/stdout")
set -- $got
num_eq "$1" "$want" 1e-6; ok $? "the demand is population.gpkg's weighted demand ($1, $want)"
num_eq "$(awk -v s="$2" -v u="$3" 'BEGIN { printf "%.17g", s + u }')" "$1" 1e-6; ok $? "served $2 + unserved $3 = demand"
awk -F, 'NR > 1 { if ($5 + 0 > $3 + 0 || $6 < 0) bad++; sum += $5 } END { print sum > "/dev/stderr"; exit bad > 0 || NR != 62 }' \
  "$TMP/hosp.csv" 2>"$TMP/assigned"; ok $? "61 practices, none over its 64,000 patients"
num_eq "$(cat "$TMP/assigned")" "$2" 1e-3; ok $? "their assigned patients sum to the served ($(cat "$TMP/assigned"))"
ogr2ogr -f CSV "$TMP/cells.csv" "$TMP/cells.gpkg" -lco GEOMETRY=AS_XY -lco STRING_QUOTING=IF_NEEDED
awk -F, 'NR > 1 { d = $4 - $5 - $6; if (d < 0) d = -d; if (d > 1e-9 * $4) bad++ } END { exit bad > 0 || NR < 30000 }' \
  "$TMP/cells.csv"; ok $? "every cell: served + unserved = demand ($(($(wc -l <"$TMP/cells.csv") - 1)) cells)"
n_uns=$(ogrinfo -q -sql "SELECT COUNT(*) AS c FROM unserved" "$TMP/unserved.gpkg" | awk '/c \(Integer/ { print $NF }')
n_pos=$(awk -F, 'NR > 1 && $6 > 0' "$TMP/cells.csv" | wc -l)
[ "$n_uns" = "$n_pos" ] && [ "$n_pos" -gt 0 ]; ok $? "the unserved layer holds the $n_pos cells with unserved demand ($n_uns)"
gdalinfo "$TMP/unserved.tif" | grep -q "GPCOV_PRACTICES_NOTE=$NOTE"; ok $? "the raster says the practices are a stand-in"
gdalinfo "$TMP/unserved.tif" | grep -q "GPCOV_ORDER=nearest first over all (cell, practice) pairs within 30 min"; ok $? "and states the processing order"
grep -c "$NOTE" "$TMP/hosp.csv" | grep -qx 61; ok $? "every practice row says stand-in"
[ "$(awk -F, 'NR > 1' "$TMP/kom.csv" | wc -l)" = 99 ]; ok $? "99 units (98 municipalities and Christiansø)"
# the minutes of three practices' cells against their per-source rasters
run traveltime $ROADS --sources "$HOSP" --source-id id --max-minutes 30 --per-source "$TMP/ps" -q
[ "$rc" = 0 ]; ok $? "traveltime --per-source runs"
bad=0; cnt=0
for p in 1 17 45; do
  awk -F, -v p="$p" 'NR > 1 && $7 == p { print $1, $2, $8 }' "$TMP/cells.csv" >"$TMP/mine.txt"
  cut -d' ' -f1,2 "$TMP/mine.txt" | gdallocationinfo -valonly -geoloc "$TMP/ps/$p.tif" >"$TMP/theirs.txt"
  r=$(paste -d' ' "$TMP/mine.txt" "$TMP/theirs.txt" | awk '{ d = $3 - $4; if (d < 0) d = -d; if ($4 == "" || d > 1e-4) b++ } END { print NR, b + 0 }')
  cnt=$((cnt + ${r% *})); bad=$((bad + ${r#* }))
done
[ "$bad" = 0 ] && [ "$cnt" -gt 100 ]; ok $? "$cnt served cells of practices 1, 17, 45: minutes as traveltime --per-source gives ($bad differ)"
echo "1..$n"
