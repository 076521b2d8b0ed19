#!/bin/sh
# Runs every test program and script for each build directory given
# (normal build, sanitizer build), prints their TAP output, and closes with
# "N passed, N failed".  Exits non-zero when anything failed.
#   usage: DATA=../shared/data sh tests/run.sh build [build-asan ...]
# JOBS workers (default 2) share the tests of all the build directories,
# each test into its own log, and every test is judged on its log
# alone: its "ok" and "not ok" lines count, and a test that exits non-zero
# or prints no "ok" line at all (a crash before its first check) is one
# more failure, unless it printed "not ok" lines already.  A test that
# skips itself whole says so on a "# SKIP" line and counts neither way.
# The slowest tests and their seconds are listed above the closing line.
DATA=${DATA:-../shared/data}
JOBS=${JOBS:-2}
export DATA
top=$(pwd)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pass=0 fail=0

# judge NAME RC LOG: adds the test's counts to pass and fail; the failure
# of a test that reported none itself goes into its log as a "not ok" line
judge() {
  p=$(grep -c '^ok\( \|$\)' "$3") f=$(grep -c '^not ok' "$3")
  if [ "$f" -eq 0 ] && [ "$2" -ne 0 ]; then
    echo "not ok - $1 exited with $2" >>"$3"; f=1
  elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && ! grep -q '^# SKIP' "$3"; then
    echo "not ok - $1 printed no \"ok\" line" >>"$3"; f=1
  fi
  pass=$((pass + p)) fail=$((fail + f))
}

# The jobs, one line each: "BUILD<TAB>KIND<TAB>TEST", listed longest
# first so that two workers finish together: the scripts known to take
# minutes, then the other scripts of the sanitizer builds (slower), then
# the other scripts, then the unit test programs (seconds each).
SLOW="test_bad_inputs.sh test_valgrind_report.sh test_access_reach.sh test_e2e_real test_report_cli.sh test_national_roads.sh"
jobs() {
  for s in $SLOW; do for b in $(asan_first "$@"); do
    for t in "$b"/tests/$s tests/cli/$s tests/e2e/$s; do
      [ -f "$t" ] || continue
      case $t in *.sh) printf '%s\tsh\t%s\n' "$b" "$t" ;; *) printf '%s\tx\t%s\n' "$b" "$t" ;; esac
    done; done; done
  for b in $(asan_first "$@"); do scripts "$b"; done
  for b in $(asan_first "$@"); do for t in "$b"/tests/test_*; do
    [ -x "$t" ] && ! slow "$t" && printf '%s\tx\t%s\n' "$b" "$t"; done; done
}
asan_first() {
  for b in "$@"; do case $b in *asan*) echo "$b" ;; esac; done
  for b in "$@"; do case $b in *asan*) ;; *) echo "$b" ;; esac; done
}
slow() { case " $SLOW " in *" ${1##*/} "*) return 0 ;; esac; return 1; }
scripts() {
  for t in tests/cli/test_*.sh tests/e2e/test_*.sh; do
    [ -f "$t" ] && ! slow "$t" && printf '%s\tsh\t%s\n' "$1" "$t"; done
}

# one N BUILD KIND TEST: runs job N into logs/NNNN.log; its name, exit code
# and seconds go to logs/NNNN.res, for judging once all have run
one() {
  base=$(printf '%s/%04d' "$logs" "$1") b=$2
  export GPCOV="$top/$b/gpcov" BUILD="$top/$b"
  if [ "$3" = sh ]; then name="$4 ($b)"; set -- sh "$4"; else name=$4; set -- "$4"; fi
  t0=$(date +%s)
  "$@" >"$base.log" 2>&1 </dev/null; rc=$?
  printf '%s\n%s\n%s\n' "$name" "$rc" "$(($(date +%s) - t0))" >"$base.res"
}

# worker: takes the jobs in order, each one that no other worker has
# claimed yet (mkdir is atomic), until the list ends
worker() {
  n=0
  while IFS="$(printf '\t')" read -r b kind t; do
    n=$((n + 1))
    mkdir "$logs/claim.$n" 2>/dev/null || continue
    one "$n" "$b" "$kind" "$t"
  done <"$logs/jobs"
}

# sanitizer runs: GDAL keeps some caches to the end of the process
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
jobs "$@" >"$logs/jobs"
w=0
while [ "$w" -lt "$JOBS" ]; do w=$((w + 1)); worker & done
wait
for res in "$logs"/*.res; do
  [ -f "$res" ] || continue
  { read -r name; read -r rc; read -r secs; } <"$res"
  log=${res%.res}.log
  echo "# $name"
  judge "$name" "$rc" "$log"
  cat "$log"
  printf '%6d %s\n' "$secs" "$name" >>"$logs/times"
done
echo
echo "# slowest tests (seconds):"
sort -rn "$logs/times" 2>/dev/null | head -8 | sed 's/^/#/'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
