#!/bin/sh
# gpcov site: where k new sites do the most good, from the command line.  A
# row of 1 km cells, 1 min per km, where the answer is worked out by hand
# (the greedy choice is not the best pair); every refusal (exit code,
# message, nothing written); then the real data: the GISCO hospitals as
# candidates beside the 23 training sites, people aged 20-34 on the census
# grid, the national road network, 60 minutes.
. "$(dirname "$0")/lib.sh"
num_eq() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t) }'; }
# col FILE NAME [ROW]: the value of column NAME in row ROW (1: the first
# data row) of a CSV (quoted fields with commas read as one)
col() { python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
r = int(sys.argv[3]) - 1
print(rows[r][sys.argv[2]] if r < len(rows) else "")' "$1" "$2" "${3:-1}"; }

run site --help
if [ "$rc" != 0 ]; then
  echo "not ok 1 - gpcov site is not a command"
  echo "1..1"
  exit 1
fi

# --- the row (x in km from 500 km; one row of cells at 6,200.5 km):
#   people  A1 30 @0.5  A2 30 @2.5  X 10 @4.5  B1 30 @6.5  B2 30 @8.5
#           E1 25 @14.5 F 15 @19.5
#   existing site E @14.5; candidates a @1.5, m @4.5, b @7.5; limit 2.5 min.
# a reaches A1, A2 (60); b reaches B1, B2 (60); m reaches A2, X, B1 (70);
# E reaches E1 (25); nothing reaches F.  Greedy takes m first (70) and then
# a or b (+30): 125 within reach; the best pair is {a, b}: 25 + 120 = 145.
# Units: 0001 (0-10 km: A1..B2, 130 people), 0002 (10-20 km: E1, F, 40),
# 0003 (20-21 km: nobody).
CRS='"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}}'
poly() { echo "{\"type\":\"Feature\",\"properties\":{\"code\":\"$1\",\"name\":\"$2\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[$3,6200000],[$4,6200000],[$4,6201000],[$3,6201000],[$3,6200000]]]}}"; }
{ echo "{\"type\":\"FeatureCollection\",$CRS,\"features\":["
  poly 0001 Vest 500000 510000; echo ","; poly 0002 Øst 510000 520000; echo ","
  poly 0003 Tom 520000 521000; echo "]}"; } >"$TMP/units.geojson"
pt() { echo "{\"type\":\"Feature\",\"properties\":{\"population\":$1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[$2,6200500]}}"; }
{ echo "{\"type\":\"FeatureCollection\",$CRS,\"features\":["
  pt 30 500500; echo ","; pt 30 502500; echo ","; pt 10 504500; echo ","; pt 30 506500; echo ","
  pt 30 508500; echo ","; pt 25 514500; echo ","; pt 15 519500; echo "]}"; } >"$TMP/people.geojson"
printf 'id,name,x,y,capacity\na,Alfa,501500,6200500,1\nm,Midt,504500,6200500,3\nb,Beta,507500,6200500,2\n' >"$TMP/cand.csv"
printf 'id,name,x,y,capacity\nE,Eksisterende,514500,6200500,2\n' >"$TMP/exist.csv"
MODEL="--straight-line --speed 60 --detour 1 --extent $TMP/units.geojson --resolution 1000 --x x --y y --srs EPSG:25832"
SITES="--candidates $TMP/cand.csv --existing $TMP/exist.csv"
UNITS="--units $TMP/units.geojson --units-key code --units-name name"
run site $MODEL $SITES --demand "$TMP/people.geojson" --k 2 --max-minutes 2.5 --method exact $UNITS \
  --output "$TMP/s.csv" --summary "$TMP/sum.csv" --units-output "$TMP/u.csv" --map "$TMP/m.png"
[ "$rc" = 0 ]; ok $? "the row, cover, k = 2, exact: runs ($err)"
[ "$(col "$TMP/s.csv" id 1),$(col "$TMP/s.csv" id 2)" = "a,b" ]; ok $? "exact: a then b, not greedy's m ($(col "$TMP/s.csv" id 1),$(col "$TMP/s.csv" id 2))"
[ "$(col "$TMP/s.csv" gain 1),$(col "$TMP/s.csv" gain 2)" = "60,60" ]; ok $? "each adds 60 people"
[ "$(col "$TMP/s.csv" objective_after 2)" = 145 ]; ok $? "145 within reach after"
[ "$(head -c 13 "$TMP/u.csv")" = "komkode,name," ]; ok $? "the units' key is komkode, whatever the units layer calls it (code)"
[ "$(col "$TMP/s.csv" komkode 1),$(col "$TMP/s.csv" name 2)" = "0001,Beta" ]; ok $? "the chosen sites' unit and name"
s="$(col "$TMP/sum.csv" before),$(col "$TMP/sum.csv" after),$(col "$TMP/sum.csv" demand),$(col "$TMP/sum.csv" reachable),$(col "$TMP/sum.csv" exact)"
[ "$s" = "25,145,170,155,1" ]; ok $? "summary: before 25, after 145, demand 170, reachable 155, exact ($s)"
[ "$(col "$TMP/sum.csv" gap_pct)" = 0 ]; ok $? "an exact answer has a gap of 0"
grep -q '^0001,Vest,130,0,120,120,0,92.307' "$TMP/u.csv"; ok $? "unit 0001: 130 people, 0 before, 120 after"
grep -q '^0002,Øst,40,25,25,0,62.5,62.5,0,' "$TMP/u.csv"; ok $? "unit 0002: 25 of 40 before and after"
grep -q '^0003,Tom,,,,,,,,ingen efterspørgsel' "$TMP/u.csv"; ok $? "unit 0003 without people: empty, with its reason, not 0"
[ -s "$TMP/m.png" ]; ok $? "the map is written"
printf '%s' "$err" | grep -q 'gpcov site: 2 sites chosen among 3 candidates: +120 people within 2.5 min (from 25 to 145'
ok $? "the closing line says what was chosen and gained"

mkdir -p "$TMP/again"
run site $MODEL $SITES --demand "$TMP/people.geojson" --k 2 --max-minutes 2.5 --method exact $UNITS \
  --output "$TMP/again/s.csv" --summary "$TMP/again/sum.csv" --units-output "$TMP/again/u.csv" --map "$TMP/again/m.png"
for f in s.csv sum.csv u.csv m.png; do cmp -s "$TMP/$f" "$TMP/again/$f"; ok $? "two runs give the same bytes: $f"; done
for t in 1 2; do
  GPCOV_THREADS=$t "$GPCOV" site $MODEL --candidate-grid 1000 --existing "$TMP/exist.csv" \
    --demand "$TMP/people.geojson" --k 3 --max-minutes 2.5 --summary "$TMP/thr$t.csv" --output "$TMP/thrs$t.csv" -q
done
cmp -s "$TMP/thr1.csv" "$TMP/thr2.csv" && cmp -s "$TMP/thrs1.csv" "$TMP/thrs2.csv"
ok $? "one search thread or two: the same pairs, the same choice"

run site $MODEL $SITES --demand "$TMP/people.geojson" --k 2 --max-minutes 2.5 --method heuristic \
  --summary "$TMP/h.csv"
[ "$rc" = 0 ] && [ "$(col "$TMP/h.csv" after)" = 145 ]; ok $? "heuristic: greedy then swaps reach the same 145 ($(col "$TMP/h.csv" method))"
run site $MODEL $SITES --demand "$TMP/people.geojson" --k 1 --max-minutes 2.5 --output "$TMP/k1.csv"
[ "$(col "$TMP/k1.csv" id),$(col "$TMP/k1.csv" gain)" = "m,70" ]; ok $? "k = 1: m, the single best (70)"

# p-median, penalty = the limit (2.5 min) for people no site reaches:
# before 145 x 2.5 = 362.5 (E1 at 0 min); {a, b}: A1, A2, B1, B2 at 1 min
# (120), X and F unreached (25 x 2.5): 182.5; {a, m}: 232.5.
run site $MODEL $SITES --demand "$TMP/people.geojson" --k 2 --max-minutes 2.5 --objective median \
  --method exact --summary "$TMP/med.csv" --output "$TMP/meds.csv" $UNITS --units-output "$TMP/medu.csv"
s="$(col "$TMP/med.csv" before),$(col "$TMP/med.csv" after),$(col "$TMP/meds.csv" id 1)$(col "$TMP/meds.csv" id 2)"
[ "$rc" = 0 ] && { [ "$s" = "362.5,182.5,ab" ] || [ "$s" = "362.5,182.5,ba" ]; }; ok $? "median: 362.5 before, 182.5 after with a and b ($s)"
# unit 0001: nobody within reach before (2.5 min each, as the objective
# counts them), after (4 x 30 x 1 + 10 x 2.5) / 130 = 1.1154 min; 0 % then
# 92.3 % within reach
grep -q '^0001,Vest,130,2.5,1.11538[0-9]*,1.38461[0-9]*,0,92.307[0-9]*,92.307[0-9]*,,median' "$TMP/medu.csv"
ok $? "median: unit 0001 from 2.5 min a person (the limit) to 1.12, 0 % to 92 % within reach"
grep -q '^0003,Tom,,,,,,,,ingen efterspørgsel' "$TMP/medu.csv"; ok $? "median: the unit without people stays empty, with its reason"

# capacity: capacities x 20: a 20, m 60, b 40, E 40 (E1 25): k = 1 takes m (60)
run site $MODEL $SITES --demand "$TMP/people.geojson" --k 1 --max-minutes 2.5 --objective capacity \
  --norm 20 --output "$TMP/cap.csv" --summary "$TMP/capsum.csv"
s="$(col "$TMP/cap.csv" id),$(col "$TMP/capsum.csv" before),$(col "$TMP/capsum.csv" after)"
[ "$rc" = 0 ] && [ "$s" = "m,25,85" ]; ok $? "capacity: m serves 60, 25 before, 85 after ($s)"

# candidates on a 2 km grid over the extent, where there are people
run site $MODEL --candidate-grid 2000 --existing "$TMP/exist.csv" --demand "$TMP/people.geojson" \
  --k 2 --max-minutes 2.5 --method exact --summary "$TMP/g.csv" --output "$TMP/gs.csv"
[ "$rc" = 0 ] && [ "$(col "$TMP/g.csv" candidates)" = 7 ]; ok $? "grid: 7 of the 2 km cells hold people ($(col "$TMP/g.csv" candidates))"
[ "$(col "$TMP/g.csv" after)" = 145 ]; ok $? "grid: two cell centres reach 145 ($(col "$TMP/g.csv" after); $(col "$TMP/gs.csv" id 1) $(col "$TMP/gs.csv" id 2))"
run site $MODEL $SITES --candidate-mask "$TMP/units.geojson" --candidate-where "code = '0001'" \
  --demand "$TMP/people.geojson" --k 1 --max-minutes 2.5 --summary "$TMP/mask.csv"
[ "$rc" = 0 ] && [ "$(col "$TMP/mask.csv" candidates)" = 3 ]; ok $? "mask: the 3 candidates lie in unit 0001"

# --- refusals: exit code, message, nothing written
OUT="$TMP/bad/out.csv"
mkdir -p "$TMP/bad"
expect_fail 2 "only 3 candidates" "$OUT" "k > candidates" -- site $MODEL $SITES \
  --demand "$TMP/people.geojson" --k 4 --max-minutes 2.5 --output "$OUT"
expect_fail 2 "objective.*maximal" "$OUT" "an unknown objective" -- site $MODEL $SITES \
  --demand "$TMP/people.geojson" --k 1 --max-minutes 2.5 --objective maximal --output "$OUT"
printf 'id,name,east,north\na,Alfa,501500,6200500\n' >"$TMP/nocol.csv"
expect_fail 1 "nocol.csv" "$OUT" "candidates without coordinate columns" -- site $MODEL \
  --candidates "$TMP/nocol.csv" --demand "$TMP/people.geojson" --k 1 --max-minutes 2.5 --output "$OUT"
printf 'id,name,x,y\na,Alfa,501500,6200500\n' >"$TMP/nocap.csv"
expect_fail 1 "nocap.csv: no column of GP capacities" "$OUT" "capacity without a capacity column" -- site \
  $MODEL --candidates "$TMP/nocap.csv" --demand "$TMP/people.geojson" --k 1 --max-minutes 2.5 \
  --objective capacity --output "$OUT"
expect_fail 1 "no candidate left inside" "$OUT" "a mask holding no candidate" -- site $MODEL $SITES \
  --candidate-mask "$TMP/units.geojson" --candidate-where "code = '0003'" \
  --demand "$TMP/people.geojson" --k 1 --max-minutes 2.5 --output "$OUT"
expect_fail 1 "units.geojson: --where 'code = '9999'' selects none of the 3 features" "$OUT" "a mask condition that selects nothing" -- site $MODEL $SITES \
  --candidate-mask "$TMP/units.geojson" --candidate-where "code = '9999'" \
  --demand "$TMP/people.geojson" --k 1 --max-minutes 2.5 --output "$OUT"
cp "$TMP/s.csv" "$TMP/s.before"
expect_fail 1 "s.csv: exists already" "" "an existing output" -- site $MODEL $SITES \
  --demand "$TMP/people.geojson" --k 1 --max-minutes 2.5 --output "$TMP/s.csv" --summary "$TMP/new.csv"
cmp -s "$TMP/s.csv" "$TMP/s.before" && [ ! -e "$TMP/new.csv" ]; ok $? "an existing output: left as it was, and no other written"

# --- the real data: training posts, 60 min by road, people aged 20-34
if [ ! -f shapefiles/kommuner.shp ] || [ ! -f "$DATA/roads/dk_roads_drivable_osm2021.gpkg" ]; then
  echo "ok $((n+1)) - # SKIP no shapefiles/kommuner.shp or no road network"; n=$((n+1))
  echo "1..$n"; exit 0
fi
POP=${POP:-$TMP/population.gpkg}
if [ ! -f "$POP" ]; then
  run population --polygons shapefiles/kommuner.shp --table "$DATA/dst/folk1a_2020q1_area_age_sex.csv" \
    --key code=area_code --where "level in ('kommune', 'other')" --agg "pop=sum(total)" \
    --agg "pop2034=sum(total) where age between 20 and 34" --places "$DATA/census/census2021_grid1km_dk.csv" \
    --places-weight T --demand none --output "$POP" -q
  [ "$rc" = 0 ]; ok $? "people aged 20-34 on the census grid ($err)"
fi
ROADS="--roads $DATA/roads/dk_roads_drivable_osm2021.gpkg --extent shapefiles/kommuner.shp --resolution 250"
REAL="--candidates $DATA/health/gisco_hospitals_dk_2020.geojson --candidate-id id --candidate-name hospital_name
  --existing $DATA/training/hoveduddannelse_almen_medicin_2021.csv --existing-name town
  --demand $POP --demand-field pop2034 --max-minutes 60
  --units shapefiles/kommuner.shp --units-key code --units-name name"
run site $ROADS $REAL --k 3 --output "$TMP/r.csv" --summary "$TMP/rs.csv" --units-output "$TMP/ru.csv"
[ "$rc" = 0 ]; ok $? "61 hospitals beside 23 training sites, 60 min by road: runs"
printf '%s\n' "$err" | grep '^gpcov site' | sed 's/^/#   /'
nounit=$(printf '%s\n' "$err" | sed -n "s/^gpcov site: note: .*: \([0-9.e+]*\) of the demand lies in cells of no unit.*/\1/p")
[ "$(col "$TMP/r.csv" name 1)" = "Hospitalsenheden Vest – Holstebro" ]; ok $? "the first choice is Holstebro ($(col "$TMP/r.csv" name 1))"
want=$(ogrinfo -q -sql "SELECT SUM(pop2034) AS s FROM population" "$POP" | awk '/s \(Real\) =|s \(Integer.*\) =/ { print $NF }')
num_eq "$(col "$TMP/rs.csv" demand)" "$want" 1; ok $? "the demand is the 20-34-year-olds of population.gpkg ($(col "$TMP/rs.csv" demand), $want)"
b=$(col "$TMP/rs.csv" before); a=$(col "$TMP/rs.csv" after); r=$(col "$TMP/rs.csv" reachable); bd=$(col "$TMP/rs.csv" bound)
awk -v b="$b" -v a="$a" -v r="$r" -v d="$bd" 'BEGIN { exit !(a > b && a <= r && a <= d + 1e-6 && b > 1.1e6) }'
ok $? "before $b < after $a <= bound $bd, and <= reachable $r"
s=$(awk -F, 'NR > 1 { g += $6 } END { print g }' "$TMP/r.csv")
num_eq "$s" "$(awk -v a="$a" -v b="$b" 'BEGIN { print a - b }')" 1e-6; ok $? "the gains sum to after - before ($s)"
[ "$(wc -l <"$TMP/ru.csv")" = 100 ]; ok $? "99 units (98 municipalities and Christiansø) and a header"
d=$(awk -F, -v x="${nounit:-0}" 'NR > 1 { d += $3 } END { printf "%.17g", d + x }' "$TMP/ru.csv")
num_eq "$d" "$(col "$TMP/rs.csv" demand)" 1e-6; ok $? "the units' demand and the $nounit in no unit sum to the demand ($d)"
awk -F, 'NR > 1 && !($4 <= $5 && $5 <= $3 + 1e-9) { bad++ } END { exit bad > 0 }' "$TMP/ru.csv"
ok $? "in every unit before <= after <= demand"
grep -q '^0661,Holstebro,[0-9.]*,[0-9.]*,[0-9.]*,[1-9]' "$TMP/ru.csv"; ok $? "Holstebro gains"

run site $ROADS $REAL --k 1 --objective median --units-output "$TMP/rm.csv" -q
grep -q '^0411,Christiansø,[0-9.]*,60,60,0,0,0,0,,median' "$TMP/rm.csv"; ok $? "median: Christiansø, which no road reaches, at the limit (60 min), 0 % within reach"
echo "1..$n"
