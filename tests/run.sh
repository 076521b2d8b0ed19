#!/bin/sh
# Runs every test program and script for each build directory given
# (normal build, sanitizer build), prints their TAP output, and closes with
# "N passed, N failed".  Exits non-zero when anything failed.
#   usage: DATA=../shared/data sh tests/run.sh build [build-asan ...]
# The build directories run side by side (one after the other with
# JOBS=1), each test into its own log, and every test is judged on its log
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

# one DIR NAME CMD...: runs one test into DIR/NNNN.log; its name, exit
# code and seconds go to DIR/NNNN.res, for judging once all have run
one() {
  dir=$1 name=$2; shift 2
  i=$((i + 1)); base=$(printf '%s/%04d' "$dir" "$i")
  t0=$(date +%s)
  "$@" >"$base.log" 2>&1; rc=$?
  printf '%s\n%s\n%s\n' "$name" "$rc" "$(($(date +%s) - t0))" >"$base.res"
}

# suite BUILD DIR: every test of one build directory, logs into DIR
suite() {
  b=$1 dir=$2 i=0
  export GPCOV="$top/$b/gpcov" BUILD="$top/$b"
  # sanitizer runs: GDAL keeps some caches to the end of the process
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  for t in "$b"/tests/test_*; do
    [ -x "$t" ] || continue
    one "$dir" "$t" "$t"
  done
  for t in tests/cli/test_*.sh tests/e2e/test_*.sh; do
    [ -f "$t" ] || continue
    one "$dir" "$t ($b)" sh "$t"
  done
}

k=0
for b in "$@"; do
  k=$((k + 1)); mkdir "$logs/$k"
  if [ "$JOBS" -gt 1 ]; then suite "$b" "$logs/$k" & else suite "$b" "$logs/$k"; fi
done
wait
for res in "$logs"/*/*.res; do
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
