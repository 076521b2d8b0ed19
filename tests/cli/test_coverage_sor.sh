#!/bin/sh
# gpcov coverage on the practices as registered: the SOR-shaped fixture
# (tests/fixtures/sor: semicolon CSV, Windows-1252, ="..." ids, A_X/A_Y
# with a decimal comma, 'Antal kapaciteter' and 'Tilgang' found by name,
# no field options) on a straight-line model over Denmark at 1 km, with
# demand by each practice's town.  Hand-computed: Nørrebrogade (3 x 1600 =
# 4800) serves 4800 of København's 10000; Østerbro is Lukket and takes no
# one; Ærøskøbing (no capacity) and Læsø (Tilgang empty) are excluded with
# their reasons, so Ærø's 2000 and Læsø's 1500 are unserved with none
# within reach; Skagen (2,5 x 1600 = 4000) serves Skagen's 3000.  Then
# --capacity 1 for every practice, and a bad capacity refused.
. "$(dirname "$0")/lib.sh"
SOR=tests/fixtures/sor/sor_almen_praksis.csv
CRS='"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}}'
cat >"$TMP/dk.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"code":"dk"},"geometry":{"type":"Polygon","coordinates":[[[440000,6040000],[900000,6040000],[900000,6410000],[440000,6410000],[440000,6040000]]]}}]}
G
cat >"$TMP/people.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"population":10000},"geometry":{"type":"Point","coordinates":[723500,6178000]}},
{"type":"Feature","properties":{"population":2000},"geometry":{"type":"Point","coordinates":[590500,6083500]}},
{"type":"Feature","properties":{"population":1500},"geometry":{"type":"Point","coordinates":[620000,6347500]}},
{"type":"Feature","properties":{"population":3000},"geometry":{"type":"Point","coordinates":[594500,6398500]}}]}
G
MODEL="--straight-line --speed 60 --detour 1 --extent $TMP/dk.geojson --resolution 1000"
run coverage $MODEL --practices "$SOR" --demand "$TMP/people.geojson" --max-minutes 10 \
  --practices-output "$TMP/p.csv" --cells-output "$TMP/c.csv" -q
[ "$rc" = 0 ]; ok $? "coverage reads the SOR export with no field options ($err)"
grep -q "5 practices: 2 open, 1 closed, 2 excluded" "$TMP/stdout"; ok $? "5 practices: 2 open, 1 closed, 2 excluded"
grep -q "demand 16500 = served 7800 + unserved 8700 (3500 with no practice with capacity within 10 min)" "$TMP/stdout"
ok $? "demand 16500 = served 7800 + unserved 8700 exactly, 3500 with none within reach"
grep -q "capacity 8800, assigned 7800" "$TMP/stdout"; ok $? "capacity 3 x 1600 + 2,5 x 1600 = 8800, assigned 7800"
grep -q '^486451000016009,3,4800,1,4800,0,100,' "$TMP/p.csv"; ok $? "Nørrebrogade: SorId without =\"\", 3 capacities, 4800 assigned, full"
grep -q '^486461000016006,2,0,0,0,0,,lukket for tilgang (Tilgang),' "$TMP/p.csv"; ok $? "Østerbro: Lukket, takes no one"
grep -q '^486471000016004,,,1,,,,udeladt: ingen kapacitet (Antal kapaciteter tom),' "$TMP/p.csv"
ok $? "Ærøskøbing: no capacity, excluded with its reason, assigned empty (not 0)"
grep -q '^486481000016002,1,,,,,,udeladt: ukendt om åben for tilgang (Tilgang tom),' "$TMP/p.csv"
ok $? "Læsø: Tilgang empty, open unknown (empty, not false), excluded with its reason"
grep -q '^486491000016000,2.5,4000,1,3000,1000,75,' "$TMP/p.csv"; ok $? "Skagen: 2,5 capacities (decimal comma), 3000 of 4000"
awk -F, 'NR > 1 && $5 != "" && $5 + 0 > $3 + 0 { bad++ } END { exit bad > 0 }' "$TMP/p.csv"
ok $? "no practice over its capacity"

run coverage $MODEL --practices "$SOR" --capacity 1 --demand "$TMP/people.geojson" --max-minutes 10 \
  --practices-output "$TMP/p1.csv" -q
[ "$rc" = 0 ]; ok $? "--capacity 1 for every practice ($err)"
grep -q "demand 16500 = served 4800 + unserved 11700" "$TMP/stdout"; ok $? "--capacity 1: Nørrebrogade, Ærøskøbing and Skagen serve 1600 each"
grep -q '^486471000016004,1,1600,1,1600,0,100,' "$TMP/p1.csv"; ok $? "--capacity 1: Ærøskøbing takes 1600"

printf 'SorId;A_X;A_Y;Antal kapaciteter;Tilgang\r\n="1";723134,1;6177681,7;2;\305ben\r\n="2";724909,6;6179278,4;tre;\305ben\r\n' >"$TMP/bad.csv"
expect_fail 1 "bad.csv: line 3 (practice '2'): 'Antal kapaciteter' is 'tre', not a number of GP capacities" \
  "$TMP/x.csv" "a capacity that is no number" -- coverage $MODEL --practices "$TMP/bad.csv" \
  --demand "$TMP/people.geojson" --max-minutes 10 --cells-output "$TMP/x.csv"
printf 'SorId;A_X;A_Y;Tilgang\r\n="1";723134,1;6177681,7;\305ben\r\n' >"$TMP/nocap.csv"
expect_fail 1 "nocap.csv: no column of GP capacities found" "$TMP/y.csv" "no capacity column" -- \
  coverage $MODEL --practices "$TMP/nocap.csv" --demand "$TMP/people.geojson" --max-minutes 10 \
  --cells-output "$TMP/y.csv"
expect_fail 1 "sor_almen_praksis.csv: no column 'nr' (--practice-id; columns: SorId, Enhedsnavn" "$TMP/z.csv" \
  "an unknown --practice-id" -- coverage $MODEL --practices "$SOR" --practice-id nr \
  --demand "$TMP/people.geojson" --max-minutes 10 --cells-output "$TMP/z.csv"
echo "1..$n"
