#!/bin/sh
# Runs each fuzz target given for FUZZ_SECONDS, one after the other, from a
# working corpus in $FUZZ_BUILD/corpus/<target> seeded with
# tests/fuzz/corpus/<target>; a crash, hang, leak or out-of-memory input is
# written to tests/fuzz/crashes/<target>/.  Prints a summary line per target
# and exits non-zero when any target found something new.
#   usage: FUZZ_BUILD=build-fuzz FUZZ_SECONDS=60 sh tests/fuzz/run.sh table expr ...
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_FLAGS=${FUZZ_FLAGS:--timeout=10 -rss_limit_mb=2048}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
summary=""
found=0
for t in "$@"; do
  bin=$FUZZ_BUILD/fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz-build)"; exit 2; }
  work=$FUZZ_BUILD/corpus/$t
  crashes=tests/fuzz/crashes/$t
  log=$FUZZ_BUILD/logs/$t.log
  mkdir -p "$work" "$crashes" "$FUZZ_BUILD/logs"
  before=$(ls "$crashes" | wc -l)
  dict=""
  [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
  echo "fuzz: $t for ${FUZZ_SECONDS}s (log $log)"
  # shellcheck disable=SC2086
  "$bin" $FUZZ_FLAGS $dict -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  after=$(ls "$crashes" | wc -l)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
  new=$((after - before))
  if [ "$new" -gt 0 ] || [ "$rc" -ne 0 ]; then
    found=1
    what=$(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log")
    line="$t: FOUND $new new input(s) in $crashes (exit $rc): $what"
  else
    line="$t: ok, ${execs:-?} runs, ${cov:-?} edges covered, corpus $(ls "$work" | wc -l) files"
  fi
  echo "fuzz: $line"
  summary="$summary
  $line"
done
echo
echo "fuzz summary (${FUZZ_SECONDS}s per target):$summary"
[ "$found" -eq 0 ]
