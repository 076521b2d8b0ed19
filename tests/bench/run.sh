#!/bin/sh
# Runs every benchmark in tests/bench (bench_*.sh) against one build
# directory.  `make bench` calls it as: sh tests/bench/run.sh build
#   BENCH_TMP   where the generated inputs go (default: a fresh dir in /tmp)
#   BENCH_KEEP  set to keep them afterwards
b=${1:-build}
top=$(pwd)
export GPCOV="$top/$b/gpcov" BUILD="$top/$b"
[ -x "$GPCOV" ] || { echo "bench: $GPCOV not built (make all)"; exit 1; }
status=0
for t in tests/bench/bench_*.sh; do
  [ -f "$t" ] || continue
  echo "== $t"
  sh "$t" || status=1
done
exit $status
