#!/bin/sh
# gpcov threat --calibrate on the real data: the main job's municipalities
# (MUNI=.../municipalities.gpkg when given, else the report is run), the
# report's rules and the PLO 2019 list.  The agreement before is the one
# `threat` prints without calibrating; the cuts found lie in their ranges
# and give the agreement after when written back into the rules; the units
# said to flip at x 0.9 / x 1.1 are exactly those whose verdict changes when
# the rules are run with that cut; bad uses fail with nothing written.
. "$(dirname "$0")/lib.sh"

if [ -z "${MUNI:-}" ]; then
  run report reports/denmark.ini -q --set data="$DATA" --set out="$TMP/r"
  [ "$rc" = 0 ]; ok $? "the main job runs ($(printf '%s' "$err" | tail -1))"
  MUNI=$TMP/r/municipalities.gpkg
fi
PLO=$DATA/plo/laegedaekningstruede_kommuner_2019.csv

# the report's rules, with the cuts of ageing, remote and recruit as given
rules() {
  set -- --units "$MUNI" --rule 'crowded: patients_per_capacity > 1600' --optional crowded \
    --weight crowded=2 --rule "ageing: share80_2035 > $1" --rule "remote: share_far60 > $2" \
    --rule "recruit: young_per_post > $3" --combine score --threshold "$4" --exclude 0411 \
    --designation "$PLO"
  printf '%s\n' "$@"
}
orig() { rules 'wmean(share80_2035, pop_2035) + 1' 25 'percentile(young_per_post, 75)' 0.5; }
# gp ARGS-FILE OPTION...: gpcov threat with the options and those of the file
gp() { f_=$1; shift; while IFS= read -r a_; do set -- "$@" "$a_"; done <"$f_"; "$GPCOV" threat "$@"; }

# the agreement as `threat` prints it today
orig >"$TMP/args"
gp "$TMP/args" --output "$TMP/t0.csv" >"$TMP/sum0"
rc=$?; [ "$rc" = 0 ]; ok $? "threat runs with the report's rules"
tab() { awk '/^  threatened /{tp=$2; fp=$3} /^  not threatened /{fn=$3; tn=$4} /^  undecided +[0-9]/{u=$2+$3}
  END { print tp, fp, fn, tn, u }' "$1"; }
want=$(tab "$TMP/sum0")

gp "$TMP/args" --output "$TMP/t1.csv" \
  --calibrate ageing=7:11 --calibrate remote=10:40 --calibrate recruit=2000:6000 \
  --calibrate threshold=0.25:0.75 --calibration "$TMP/cal.csv" >"$TMP/sum1"
rc=$?; [ "$rc" = 0 ] && [ -s "$TMP/cal.csv" ]; ok $? "threat --calibrate runs and writes the table (rc $rc)"
# col ITEM FIELD: a cell of the calibration table (its text cells quoted)
col() { awk -v item="$1" -v f="$2" '
  function cells(s,   n, q, c, ch, i) { n = 1; q = 0; c = ""
    for (i = 1; i <= length(s); i++) { ch = substr(s, i, 1)
      if (ch == "\"") q = !q; else if (ch == "," && !q) { v[n++] = c; c = "" } else c = c ch }
    v[n] = c; return n }
  NR == 1 { m = cells($0); for (i = 1; i <= m; i++) k[v[i]] = i; next }
  { cells($0); if (v[1] == item) print v[k[f]] }' "$TMP/cal.csv"; }
got="$(col 'agreement before' tp) $(col 'agreement before' fp) $(col 'agreement before' fn) $(col 'agreement before' tn) $(col 'agreement before' undecided)"
[ -n "$want" ] && [ "$got" = "$want" ]; ok $? "agreement before = threat's own table: TP FP FN TN undecided $got (threat: $want)"
[ "$(col 'agreement before' decided)" = 96 ] && [ "$(col 'agreement before' excluded)" = 1 ]
ok $? "96 decided, 0411 excluded, the undecided counted apart"
k0=$(col 'agreement before' kappa); k1=$(col 'agreement after' kappa)
awk -v a="$k0" -v b="$k1" 'BEGIN { exit !(a > 0.45 && a < 0.46 && b >= a) }'
ok $? "kappa before $k0 (20 4 20 52: (0.75 - 0.5417) / 0.4583), after $k1 no lower"
for p in ageing:7:11 remote:10:40 recruit:2000:6000 threshold:0.25:0.75; do
  IFS=: read -r nm lo hi <<E
$p
E
  f=$(col "$nm" found)
  awk -v f="$f" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(f >= lo && f <= hi) }'
  ok $? "$nm: found $f within $lo:$hi"
done

# the found cuts written back give the agreement after
A=$(col ageing found); M=$(col remote found); Y=$(col recruit found); T=$(col threshold found)
verdicts() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i; next } { print $1, "v=" $(k["verdict"]) }' "$1"; }
runcut() { # runcut OUT AGEING REMOTE RECRUIT THRESHOLD
  o=$1; shift; rules "$@" >"$TMP/cutargs"; gp "$TMP/cutargs" --output "$o" --overwrite >"$o.sum"; }
runcut "$TMP/tf.csv" "$A" "$M" "$Y" "$T"
want="$(col 'agreement after' tp) $(col 'agreement after' fp) $(col 'agreement after' fn) $(col 'agreement after' tn) $(col 'agreement after' undecided)"
[ -n "$A" ] && [ "$(tab "$TMP/tf.csv.sum")" = "$want" ]; ok $? "the found cuts run as rules: $(tab "$TMP/tf.csv.sum") = after $want"

# the flips of recruit and ageing at x 0.9 and x 1.1, by running the rules
verdicts "$TMP/tf.csv" >"$TMP/vf"
for p in recruit ageing; do
  for s in minus10 plus10; do
    c=$(col "$p" "cut_$s")
    case $p in recruit) runcut "$TMP/tp.csv" "$A" "$M" "$c" "$T" ;;
               ageing) runcut "$TMP/tp.csv" "$c" "$M" "$Y" "$T" ;; esac
    verdicts "$TMP/tp.csv" | paste -d' ' "$TMP/vf" - | awk '$2 != $4 { print $1 }' | sort >"$TMP/flip"
    col "$p" "units_$s" | tr ';' '\n' | sed 's/^ *//; s/ .*//' | grep . | sort >"$TMP/said"
    [ -n "$c" ] && [ "$(col "$p" "flips_$s")" = "$(wc -l <"$TMP/flip")" ] && cmp -s "$TMP/flip" "$TMP/said"
    ok $? "$p $s (cut $c): the $(wc -l <"$TMP/said") units said to flip are those that do ($(tr '\n' ' ' <"$TMP/flip"))"
  done
done
grep -q "^calibration against .*Cohen's kappa" "$TMP/sum1" && grep -q '^  stability' "$TMP/sum1"
ok $? "the terminal summary: the measure, the table, the stability"

# bad uses: nothing written
gp "$TMP/args" --output "$TMP/b.csv" --calibrate remote=40:10 \
  --calibration "$TMP/b_cal.csv" 2>"$TMP/err"
rc=$?; [ "$rc" = 2 ] && grep -q "LO < HI" "$TMP/err" && [ ! -e "$TMP/b.csv" ] && [ ! -e "$TMP/b_cal.csv" ]
ok $? "--calibrate remote=40:10: usage error, nothing written ($(cat "$TMP/err"))"
gp "$TMP/args" --output "$TMP/b.csv" --calibrate crowded=1000:2000 2>"$TMP/err"
rc=$?; [ "$rc" = 1 ] && grep -q "crowded: the rule was skipped" "$TMP/err" && [ ! -e "$TMP/b.csv" ]
ok $? "a skipped rule has no cut: rc $rc ($(cat "$TMP/err"))"
gp "$TMP/args" --output "$TMP/b.csv" --calibrate remote=10:40 \
  --calibration "$TMP/cal.csv" 2>"$TMP/err"
rc=$?; [ "$rc" = 1 ] && grep -q "cal.csv: exists already" "$TMP/err" && [ ! -e "$TMP/b.csv" ]
ok $? "an existing calibration table is refused without --overwrite ($(cat "$TMP/err"))"
echo "1..$n"
