#!/bin/sh
# gpcov fee from the command line: the hand example of tests/unit/test_fee.c
# end to end (exact øre, the summary, per practice), and every bad input:
# exit code, message, and no output left behind.
. "$(dirname "$0")/lib.sh"

if ! "$GPCOV" fee --help >/dev/null 2>&1; then
  echo "ok 1 # SKIP $GPCOV has no 'fee' command (not registered in tools/main.c yet)"
  echo "1..1"
  exit 0
fi

cat >"$TMP/units.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"komkode":"0101","name":"A","designated_2019":false,"patients":2000,"capacities":1},"geometry":{"type":"Polygon","coordinates":[[[700000,6170000],[710000,6170000],[710000,6180000],[700000,6180000],[700000,6170000]]]}},
{"type":"Feature","properties":{"komkode":"0147","name":"B","designated_2019":true,"patients":3000,"capacities":2},"geometry":{"type":"Polygon","coordinates":[[[710000,6170000],[720000,6170000],[720000,6180000],[710000,6180000],[710000,6170000]]]}},
{"type":"Feature","properties":{"komkode":"0825","name":"C","designated_2019":true,"patients":6000,"capacities":4},"geometry":{"type":"Polygon","coordinates":[[[720000,6170000],[730000,6170000],[730000,6180000],[720000,6180000],[720000,6170000]]]}},
{"type":"Feature","properties":{"komkode":"0860","name":"D","designated_2019":true,"patients":3000,"capacities":2},"geometry":{"type":"Polygon","coordinates":[[[730000,6170000],[740000,6170000],[740000,6180000],[730000,6180000],[730000,6170000]]]}}]}
G
cat >"$TMP/age.csv" <<'C'
area_code,age,men,women
0000,79,450,450
0000,80,50,50
101,79,40,35
101,80,10,15
147,79,50,37
147,80,6,7
825,79,50,50
825,80,0,0
860,79,42,42
860,80,8,8
C
printf 'sex,age_from,age_to,weight\nmen,0,79,1\nwomen,0,79,1\nall,80,,3\n' >"$TMP/w.csv"
printf 'id,name,x,y,patients,capacities\np4,D1,735000,6175000,3000,2\np1,A1,705000,6175000,1200,1\np3,C1,725000,6175000,6000,4\np2,A2,706000,6172000,800,0.5\n' >"$TMP/pr.csv"
set -- fee --units "$TMP/units.geojson" --age-table "$TMP/age.csv" --weights "$TMP/w.csv" \
  --budget 100000.05 --cap-per-capacity 25000

# the sum of a column of a CSV in øre
ore_sum() { awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} {s+=int($k*100+($k<0?-0.5:0.5))} END{printf "%d", s}' "$1"; }

run "$@" --output "$TMP/fee.csv" --output "$TMP/fee.geojson"
[ "$rc" = 0 ] && [ -s "$TMP/fee.csv" ] && [ -s "$TMP/fee.geojson" ]; ok $? "a good run exits 0 and writes CSV and GeoJSON ($err)"
grep -q '^0147,B,1,3000,2,1.05,3150,150,50000,10000.01,11666.68,0,21666.69,7.22,216.67,$' "$TMP/fee.csv"; ok $? "0147: the tie's øre and the raised rate, as computed by hand; 21,666.69 / 3000 patients and / 100 inhabitants"
grep -q '^0101,A,0,2000,1,1.25,2500,500,25000,0,25000,1,25000,12.5,250,$' "$TMP/fee.csv"; ok $? "0101: capped at 25,000 DKK"
grep -q '^0825,C,1,6000,4,0.833333,5000,-1000,100000,20000.01,0,0,20000.01,3.33,200,$' "$TMP/fee.csv"; ok $? "0825: a negative difference is paid nothing"
[ "$(ore_sum "$TMP/fee.csv" total_dkk)" = 10000005 ]; ok $? "total_dkk sums to 100,000.05 DKK exactly"
[ "$(ore_sum "$TMP/fee.csv" designated_dkk)" = 4000002 ]; ok $? "designated_dkk sums to its part, 40,000.02 DKK"
grep -q '"komkode": "0860".*"total_dkk": 33333.35' "$TMP/fee.geojson"; ok $? "the GeoJSON carries the amounts"
[ "$(grep -c '"type": "Feature"' "$TMP/fee.geojson")" = 4 ]; ok $? "one GeoJSON feature per municipality"
grep -q 'budget 100,000.05 DKK' "$TMP/stdout" && grep -q '3.3333 DKK per patient' "$TMP/stdout" &&
  grep -q '77.7778 DKK per weighted patient' "$TMP/stdout" && grep -q 'units paid: 4' "$TMP/stdout"
ok $? "the summary gives the budget, both rates and the units paid"
run "$@" -q --output "$TMP/quiet.csv"
[ "$rc" = 0 ] && [ ! -s "$TMP/stdout" ]; ok $? "-q prints nothing"

# per practice
run "$@" --practices "$TMP/pr.csv" --x x --y y --srs EPSG:25832 \
  --output "$TMP/muni.csv" --practice-output "$TMP/practices.csv" --practice-output "$TMP/practices.gpkg"
[ "$rc" = 0 ]; ok $? "per practice: exits 0 ($err)"
grep -q '^p1,A1,0101,0,1200,1,1.25,1500,300,25000,0,23750.02,0,23750.02,19.79$' "$TMP/practices.csv"; ok $? "p1 wins the tie with p4 by key"
grep -q '^p2,A2,0101,0,800,0.5,1.25,1000,200,12500,0,12500,1,12500,15.63$' "$TMP/practices.csv"; ok $? "p2 capped at 12,500 DKK"
[ "$(ore_sum "$TMP/practices.csv" total_dkk)" = 10000005 ] && [ "$(ore_sum "$TMP/muni.csv" total_dkk)" = 10000005 ]
ok $? "practices and municipalities each sum to the budget"
grep -q '^0147,B,1,0,0,1.05,0,0,0,0,0,0,0,,0,0,$' "$TMP/muni.csv"; ok $? "a municipality without practices gets 0 (0 per inhabitant; none per patient, it has none: $(grep "^0147" "$TMP/muni.csv"))"
[ "$(ogrinfo -ro -so "$TMP/practices.gpkg" practices 2>/dev/null | sed -n 's/^Feature Count: //p')" = 4 ]; ok $? "the practice GeoPackage has 4 points"
ogrinfo -ro -so "$TMP/practices.gpkg" practices 2>/dev/null | grep -q 'GPCOV_FEE_RATE_DKK_PER_WEIGHTED_PATIENT=79.16'
ok $? "its metadata carries the rate per weighted patient"

# one share given: the other is the rest
run "$@" --designated-share 50 --output "$TMP/half.csv"
[ "$rc" = 0 ] && [ "$(ore_sum "$TMP/half.csv" designated_dkk)" = 5000003 ]; ok $? "--designated-share 50 alone: the weight share is 50"

# bad inputs
expect_fail 1 "budget must be a number of DKK >= 0" "$TMP/e1.csv" "a negative budget" -- "$@" --budget -5 --output "$TMP/e1.csv"
expect_fail 1 "must sum to 100 %" "$TMP/e2.csv" "shares that do not sum to 100" -- "$@" --designated-share 30 --weight-share 60 --output "$TMP/e2.csv"
expect_fail 2 "expected a number" "$TMP/e3.csv" "a budget that is not a number" -- "$@" --budget lots --output "$TMP/e3.csv"
expect_fail 1 "units.geojson: no field 'tilmeldte'" "$TMP/e4.csv" "an unknown field" -- "$@" --patients-field tilmeldte --output "$TMP/e4.csv"
grep -v '^825,' "$TMP/age.csv" >"$TMP/age_short.csv"
expect_fail 1 "age_short.csv: no rows for area '0825'" "$TMP/e5.csv" "a municipality missing from the age table" -- \
  fee --units "$TMP/units.geojson" --age-table "$TMP/age_short.csv" --weights "$TMP/w.csv" --output "$TMP/e5.csv"
sed 's/^147,80,6,7$/147,80,six,7/' "$TMP/age.csv" >"$TMP/age_text.csv"
expect_fail 1 "age_text.csv:7: men 'six' is not a number" "$TMP/e6.csv" "a non-numeric count" -- \
  fee --units "$TMP/units.geojson" --age-table "$TMP/age_text.csv" --weights "$TMP/w.csv" --output "$TMP/e6.csv"
printf 'komkode,designated_2019,patients\n101,0,2000\n147,1,3000\n825,1,6000 patients\n860,1,3000\n' >"$TMP/units_text.csv"
expect_fail 1 "komkode 0825: patients '6000 patients' is not a number" "$TMP/e7.csv" "non-numeric patients" -- \
  fee --units "$TMP/units_text.csv" --age-table "$TMP/age.csv" --output "$TMP/e7.csv"
printf 'komkode,designated_2019,patients\n101,0,2000\n147,0,3000\n825,0,6000\n860,0,3000\n' >"$TMP/units_nodes.csv"
expect_fail 1 "no unit is designated" "$TMP/e8.csv" "no designated units" -- \
  fee --units "$TMP/units_nodes.csv" --age-table "$TMP/age.csv" --output "$TMP/e8.csv"
expect_fail 1 "caps are too tight.*short by 35,000.03 DKK" "$TMP/e9.csv" "caps too tight" -- "$@" --cap-per-capacity 5000 --output "$TMP/e9.csv"
printf 'sex,age_from,age_to,weight\nall,0,,1\nmen,80,,2\n' >"$TMP/w_overlap.csv"
expect_fail 1 "w_overlap.csv:3: the row covers men aged 80, which line 2 covers already" "$TMP/e10.csv" "overlapping weights" -- \
  fee --units "$TMP/units.geojson" --age-table "$TMP/age.csv" --weights "$TMP/w_overlap.csv" --output "$TMP/e10.csv"
printf 'id,x,y,patients\nq1,705000,6175000,100\nq2,795000,6175000,100\n' >"$TMP/pr_out.csv"
expect_fail 1 "pr_out.csv:3 (id 'q2'): the practice .* lies in no municipality" "$TMP/e11.csv" "a practice outside every municipality" -- \
  "$@" --practices "$TMP/pr_out.csv" --x x --y y --srs EPSG:25832 --output "$TMP/e11.csv" --practice-output "$TMP/e11p.csv"
[ ! -e "$TMP/e11p.csv" ]; ok $? "a practice outside: no practice output either"
cp "$TMP/fee.csv" "$TMP/keep.csv"
expect_fail 1 "fee.csv: exists already (use --overwrite" "" "an existing output" -- "$@" --output "$TMP/fee.csv"
cmp -s "$TMP/fee.csv" "$TMP/keep.csv"; ok $? "the existing output is untouched"
run "$@" --output "$TMP/fee.csv" --overwrite
[ "$rc" = 0 ]; ok $? "--overwrite replaces it"
expect_fail 2 "unknown output format" "$TMP/e12.csv" "a bad second output leaves no first one" -- "$@" --output "$TMP/e12.csv" --output "$TMP/e12b.xyz"
expect_fail 2 "unknown option '--frob'" "" "an unknown option" -- "$@" --frob x --output "$TMP/e13.csv"
expect_fail 2 "are required" "" "no --output" -- "$@"
expect_fail 2 "needs --practices" "" "--practice-output without --practices" -- "$@" --output "$TMP/e14.csv" --practice-output "$TMP/e14p.csv"

run fee --help
[ "$rc" = 0 ] && grep -q "(default 100000)" "$TMP/stdout" && grep -q -- "--cap-per-capacity" "$TMP/stdout" && grep -q "ASSUMPTION" "$TMP/stdout"
ok $? "fee --help lists the options with defaults and states the weight assumption"
# the designation from the threat layer's verdict: an undecided unit (empty
# 'threatened') gets an empty amount and the reason, not 0 DKK
printf 'komkode,threatened\n0101,0\n0147,1\n0825,\n0860,1\n' >"$TMP/threat.csv"
run "$@" --designation "$TMP/threat.csv" --designated-field threatened --output "$TMP/rules.csv"
[ "$rc" = 0 ]; ok $? "--designation takes the designation from the threat layer ($err)"
grep -q '^0825,C,,,,,,,,,,,,,,udeladt: ingen værdi for threatened$' "$TMP/rules.csv"
ok $? "an undecided verdict: empty amounts and the reason ($(grep '^0825' "$TMP/rules.csv"))"
printf '%s' "$err" | grep -q '0825 C left out of the fee: udeladt: ingen værdi for threatened'
ok $? "a notice names the unit left out"
[ "$(ore_sum "$TMP/rules.csv" total_dkk)" = 10000005 ]; ok $? "the others share the budget exactly"
run "$@" --exclude 0825 --output "$TMP/excl.csv"
grep -q '^0825,C,.*,,"\?udeladt (--exclude)"\?$' "$TMP/excl.csv" && ! grep -q '^0825.*,0,' "$TMP/excl.csv"
ok $? "--exclude: empty amounts, not 0 DKK, and the reason ($(grep '^0825' "$TMP/excl.csv"))"
echo "1..$n"
