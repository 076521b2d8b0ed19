#!/bin/sh
# Runs every test program and script for each build directory given
# (normal build, sanitizer build), prints their TAP output, and closes with
# "N passed, N failed".  Exits non-zero when anything failed.
#   usage: DATA=../shared/data sh tests/run.sh build [build-asan ...]
# Each test writes its own log and is judged on it alone: its "ok" and
# "not ok" lines count, and a test that exits non-zero or prints no "ok"
# line at all (a crash before its first check) is one more failure, unless
# it printed "not ok" lines already.  A test that skips itself whole says
# so on a "# SKIP" line and counts neither way.
DATA=${DATA:-../shared/data}
export DATA
top=$(pwd)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pass=0 fail=0 i=0

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

# one NAME CMD...: runs one test into its own log and judges it
one() {
  name=$1; shift
  i=$((i + 1)); log=$(printf '%s/%04d.log' "$logs" "$i")
  "$@" >"$log" 2>&1; rc=$?
  judge "$name" "$rc" "$log"
}

for b in "$@"; do
  export GPCOV="$top/$b/gpcov" BUILD="$top/$b"
  # sanitizer runs: GDAL keeps some caches to the end of the process
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  for t in "$b"/tests/test_*; do
    [ -x "$t" ] || continue
    echo "# $t"
    one "$t" "$t"
  done
  for t in tests/cli/test_*.sh tests/e2e/test_*.sh; do
    [ -f "$t" ] || continue
    echo "# $t ($b)"
    one "$t" sh "$t"
  done
done
for log in "$logs"/*.log; do
  [ -f "$log" ] && cat "$log"
done
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
