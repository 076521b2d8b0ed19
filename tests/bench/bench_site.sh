#!/bin/sh
# Site choice (gpcov_site_solve) on seeded random instances of national
# size (tests/bench/bench_site.c: 45,000 1 km cells, 1,600 existing
# practices): the wall time as candidates, k and the pairs grow, for each
# objective.  No peer: the point is the growth and the target (k = 10 of
# 1,000 candidates in seconds, not minutes).
#   usage: sh tests/bench/bench_site.sh [BUILD]
set -eu
BUILD=${1:-${BUILD:-build}}
top=$(pwd)
W=$(mktemp -d /tmp/gpcov-bench-site.XXXXXX)
trap 'rm -rf "$W"' EXIT
CFLAGS="-O2 -std=c11 -D_POSIX_C_SOURCE=200809L -DGEOS_USE_ONLY_R_API -I$top/lib $(pkg-config --cflags gdal geos)"
LIBS="$(pkg-config --libs gdal geos proj cairo fontconfig libcrypto json-c) -lm -pthread"
# shellcheck disable=SC2086
cc $CFLAGS tests/bench/bench_site.c "$BUILD/libgpcov.a" $LIBS -o "$W/bench_site"
# COVER with 100 existing sites (with 1,600 all are covered already)
for obj in "cover 100" "median 1600"; do
  set -- $obj
  for m in 30 60; do
    for nc in 250 500 1000 2000; do "$W/bench_site" $nc 10 $m $1 $2; done
    for k in 5 20 40; do "$W/bench_site" 1000 $k $m $1 $2; done
  done
done
for nc in 250 1000; do "$W/bench_site" $nc 10 30 capacity; done
"$W/bench_site" 1000 20 30 capacity
# exact (AUTO under 1e6 sets): k = 2 of 1,000 and k = 3 of 150
"$W/bench_site" 1000 2 60 median
"$W/bench_site" 150 3 60 cover 10
