#!/bin/sh
# gpcov compare on two runs of the main job on the real data (the
# straight-line model, to be quick): A with the defaults, B with the
# threat threshold 0.3, the remote rule at 15 % and a budget of 70 mio.
# kr.  Asserts named verdict flips and a rule that starts firing, the fee
# differences summing to the budget change (10 mio. kr., to the øre) for
# the PLO designation and for the rules' designation, Christiansø empty
# with its reason (not 0), the summary lines, the inputs that differ from
# the two manifests, the map, and the refusals: a folder without
# threat.gpkg (named), an existing output, an unknown --field, a map
# format that fails after the table was made, each leaving no output.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

"$GPCOV" report reports/denmark.ini -q --overwrite --set data="$DATA" --set out="$TMP/A" \
  --set roads= >"$TMP/a.log" 2>&1
ok $? "report A (defaults, straight line)"
"$GPCOV" report reports/denmark.ini -q --overwrite --set data="$DATA" --set out="$TMP/B" \
  --set roads= --set threat_threshold=0.3 --set remote_share=15 --set fee_budget=70000000 \
  >"$TMP/b.log" 2>&1
ok $? "report B (threat_threshold=0.3 remote_share=15 fee_budget=70000000)"

mkdir -p "$TMP/out" "$TMP/out2"
run compare "$TMP/A" "$TMP/B" --output "$TMP/out/changes.csv" --map "$TMP/out/changes.png" \
  --regions shapefiles/regioner.shp
[ "$rc" = 0 ]; ok $? "compare: exit 0 ($err)"
c="$TMP/out/changes.csv"
# field of a municipality's row by column name
get() { awk -F, -v k="$1" -v f="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 == k { print $(col[f]) }' "$c"; }
[ "$(get 0741 verdict_change)" = "became threatened" ] && [ "$(get 0155 verdict_change)" = "became threatened" ]
ok $? "Samsø and Dragør become threatened ($(get 0741 verdict_change), $(get 0155 verdict_change))"
[ "$(get 0825 verdict_change)" = unchanged ] && [ "$(get 0825 verdict_b)" = true ]; ok $? "Læsø stays threatened"
[ "$(get 0671 rules_start)" = remote ]; ok $? "Struer: the remote rule starts firing at 15 % ($(get 0671 rules_start))"
[ "$(get 0741 total_dkk_diff)" = 37009.52 ]; ok $? "Samsø's fee: +37009.52 DKK ($(get 0741 total_dkk_diff))"
sum=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  { s += $(col["total_dkk_diff"]); r += $(col["rules_total_dkk_diff"]) } END { printf "%.2f %.2f", s, r }' "$c")
[ "$sum" = "10000000.00 10000000.00" ]; ok $? "the differences sum to the budget change, PLO and rules designation ($sum)"
[ -z "$(get 0411 total_dkk_diff)" ] && [ -z "$(get 0411 verdict_change)" ] &&
  get 0411 compare_reason | grep -q "no fee in B: udeladt (--exclude)"
ok $? "Christiansø: no difference and no verdict change, but the reason ($(get 0411 compare_reason))"
grep -q "^31 municipalities become threatened: Dragør, Gentofte, " "$TMP/stdout"; ok $? "summary: the municipalities that become threatened"
grep -qx "the fee moves 10.00 mio. kr.: most to København (+0.97 mio. kr.); in all 60.00 mio. kr. -> 70.00 mio. kr." "$TMP/stdout"
ok $? "summary: where the fee moves"
grep -qx "the fee by the rules' verdict (fee_rules) moves 19.39 mio. kr.: most to Viborg (+1.25 mio. kr.), most from Esbjerg (-1.41 mio. kr.); in all 60.00 mio. kr. -> 70.00 mio. kr." "$TMP/stdout"
ok $? "summary: where the fee by the rules' verdict moves"
grep -qx "variables: remote_share 25 -> 15, threat_threshold 0.5 -> 0.3, fee_budget 60000000 -> 70000000" "$TMP/stdout"
ok $? "summary: the variables that differ, from the manifests"
grep -q "^steps with other arguments: threat, threat_calibration, threat_map, fee, fee_rules, fee_map, web_map$" "$TMP/stdout"; ok $? "summary: the steps whose arguments differ"
grep -qx "variable,fee_budget,60000000,70000000" "$TMP/out/changes_inputs.csv"; ok $? "changes_inputs.csv: a row per difference"
file "$TMP/out/changes.png" | grep -q "PNG image data"; ok $? "the map is a PNG"

run compare "$TMP/A" "$TMP/B" --output "$TMP/out2/scores.xlsx" --field threat_score
[ "$rc" = 0 ] && [ -s "$TMP/out2/scores.xlsx" ] && [ -s "$TMP/out2/scores_inputs.csv" ]; ok $? "compare --output .xlsx --field threat_score ($err)"

mkdir -p "$TMP/C" && cp "$TMP/B/municipalities.gpkg" "$TMP/B/fee.gpkg" "$TMP/C/"
expect_fail 1 "C/threat.gpkg: missing: a report folder holds municipalities.gpkg, threat.gpkg and fee.gpkg" \
  "$TMP/out2/none.csv" "a folder without threat.gpkg" -- compare "$TMP/A" "$TMP/C" --output "$TMP/out2/none.csv"
expect_fail 1 "changes.csv: exists already" "" "an existing output" -- compare "$TMP/A" "$TMP/B" --output "$TMP/out/changes.csv"
expect_fail 2 "--field share80_2036: not a numeric field" "$TMP/out2/none.csv" "an unknown --field" -- \
  compare "$TMP/A" "$TMP/B" --output "$TMP/out2/none.csv" --field share80_2036
# the map fails after the table was made: neither is left
expect_fail 2 "bad.jpg: unknown map format 'jpg'" "$TMP/out2/bad.csv" "a map format that is not one" -- \
  compare "$TMP/A" "$TMP/B" --output "$TMP/out2/bad.csv" --map "$TMP/out2/bad.jpg"
echo "1..$n"
