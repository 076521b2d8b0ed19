#!/bin/sh
# Runs every test program and script for each build directory given
# (normal build, sanitizer build), prints their TAP output, and closes with
# "N passed, N failed".  Exits non-zero when anything failed.
#   usage: DATA=../shared/data sh tests/run.sh build [build-asan ...]
DATA=${DATA:-../shared/data}
export DATA
top=$(pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for b in "$@"; do
  export GPCOV="$top/$b/gpcov" BUILD="$top/$b"
  # sanitizer runs: GDAL keeps some caches to the end of the process
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  for t in "$b"/tests/test_*; do
    [ -x "$t" ] || continue
    echo "# $t"
    "$t" >>"$log" 2>&1; rc=$?
    if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; then
      echo "not ok - $t exited with $rc" >>"$log"
    fi
  done
  for t in tests/cli/test_*.sh tests/e2e/test_*.sh; do
    [ -f "$t" ] || continue
    echo "# $t ($b)"
    sh "$t" >>"$log" 2>&1 || { rc=$?; grep -q '^not ok' "$log" || echo "not ok - $t exited with $rc" >>"$log"; }
  done
done
cat "$log"
pass=$(grep -c '^ok ' "$log")
fail=$(grep -c '^not ok' "$log")
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
