#!/bin/sh
# Scenarios of the main job (reports/denmark.ini) without running it:
# every rule threshold, weight and the fee's numbers are [report]
# variables; --set changes the command lines and the map titles that print
# them (Danish numbers through ${name:da} and ${name:mio}), the defaults
# print what they always printed, an unknown --set name is an error naming
# the nearest variable, a format of a value that is no number is refused,
# and make report SET="..." passes each as --set.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

run report reports/denmark.ini --dry-run --set data="$DATA" --set out="$TMP/d"
[ "$rc" = 0 ]; ok $? "dry run with the defaults ($err)"
grep -q "score ≥ 0,5)" "$TMP/stdout" && grep -q "'Fordeling af 60 mio. kr. (OK18): 40 % pr. patient i udpegede områder, 60 % efter patientvægt'" "$TMP/stdout" &&
  grep -q "kapaciteter = patienter / 1.600, når" "$TMP/stdout" && grep -q "pr. kommune (60 mio. kr.)" "$TMP/stdout"
ok $? "defaults: the titles print 0,5, 60 mio. kr., 40 %, 60 % and 1.600 as before"
grep -q -- "--rule 'remote: share_far60 > 25' --rule 'recruit: young_per_post > percentile(young_per_post, 75)'" "$TMP/stdout" &&
  grep -q -- "--threshold 0.5 " "$TMP/stdout" && grep -q -- "--budget 60000000 --designated-share 40 --weight-share 60 --cap-per-capacity 100000 --norm 1600" "$TMP/stdout"
ok $? "defaults: the rules and the fee as before"

run report reports/denmark.ini --dry-run --set data="$DATA" --set out="$TMP/d" --set remote_share=20 \
  --set threat_threshold=0.75 --set fee_budget=62500000 --set designated_share=37.5 --set weight_share=62.5 \
  --set cap_per_capacity=150000 --set recruit_percentile=90 --set crowded_weight=3 --set ageing_points=1.5
[ "$rc" = 0 ]; ok $? "dry run with a scenario ($err)"
grep -q -- "--rule 'remote: share_far60 > 20' --rule 'recruit: young_per_post > percentile(young_per_post, 90)'" "$TMP/stdout" &&
  grep -q -- "--weight crowded=3 " "$TMP/stdout" && grep -q "wmean(share80_2035, pop_2035) + 1.5'" "$TMP/stdout" &&
  grep -q -- "--threshold 0.75 " "$TMP/stdout"
ok $? "scenario: the rules take the variables"
[ "$(grep -c -- "--budget 62500000 --designated-share 37.5 --weight-share 62.5 --cap-per-capacity 150000" "$TMP/stdout")" = 2 ]
ok $? "scenario: both fee steps take the variables"
grep -q "'Fordeling af 62,5 mio. kr. (OK18): 37,5 % pr. patient i udpegede områder, 62,5 % efter patientvægt'" "$TMP/stdout" &&
  [ "$(grep -c "score ≥ 0,75)" "$TMP/stdout")" = 2 ] && grep -q "pr. kommune (62,5 mio. kr.)" "$TMP/stdout"
ok $? "scenario: the map titles print the scenario's numbers in Danish"

expect_fail 2 "--set remote_shar: reports/denmark.ini has no variable remote_shar; did you mean remote_share?" "" \
  "an unknown --set name" -- report reports/denmark.ini --dry-run --set out="$TMP/d" --set remote_shar=20
expect_fail 1 "threat_threshold:da}: 'half' is not a plain number" "" "a number format of a value that is no number" -- \
  report reports/denmark.ini --dry-run --set out="$TMP/d" --set threat_threshold=half

# -n: the commands printed, none run
make -s -n -C "$top" report-run SET="fee_budget=70000000 remote_share=20" OUT="$TMP/s" 2>&1 |
  tr '\\\n' '  ' | tr -d "'" >"$TMP/make.out"
grep -q -- "report reports/denmark.ini --overwrite --set data=[^ ]* *--set out=$TMP/s .*--set fee_budget=70000000 --set remote_share=20" "$TMP/make.out"
ok $? "make report SET=\"...\" OUT=...: each a --set, into its own folder"
echo "1..$n"
