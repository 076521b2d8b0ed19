#!/bin/sh
# Network model vs pgRouting, in one run on the same generated network:
# gpcov_network_times vs pgr_drivingDistance, per source, with identical
# travel times checked (per-source reached count and sum for every source,
# every node's time for the first source), wall time per source, peak RSS,
# and growth from 1 M to 4 M nodes.
#   usage: sh tests/bench/bench_network.sh BUILD [SIDE...]   (SIDE: 1000 2000)
set -eu
BUILD=${1:-build}; shift || true
SIDES=${*:-1000 2000}
top=$(pwd)
W=$(mktemp -d /tmp/gpcov-bench-net.XXXXXX)
chmod 755 "$W"
PG=/usr/lib/postgresql/15/bin
. "$top/tests/helpers/pgcluster.sh"
cleanup() {
  pg_stop
  rm -rf "$W"
}
trap cleanup EXIT

if [ ! -x "$PG/postgres" ] || [ ! -f /usr/share/postgresql/15/extension/pgrouting.control ] || [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-15-pgrouting time >/dev/null
  else
    echo "bench: needs postgresql-15, postgresql-15-pgrouting and time (run as root to install)"; exit 1
  fi
fi
CFLAGS="-O2 -std=c11 -D_POSIX_C_SOURCE=200809L -DGEOS_USE_ONLY_R_API -I$top/lib $(pkg-config --cflags gdal geos)"
LIBS="$(pkg-config --libs gdal geos proj cairo) -lm"
# shellcheck disable=SC2086
cc $CFLAGS tests/bench/gen_roads.c $LIBS -o "$W/gen_roads"
# shellcheck disable=SC2086
cc $CFLAGS tests/bench/bench_network.c "$top/$BUILD/libgpcov.a" $LIBS -o "$W/bench_network"

# a PostgreSQL of our own, on a socket in the work directory
pg_start -c shared_buffers=1GB -c work_mem=512MB
psql() { runuser -u postgres -- /usr/bin/psql -h "$PG_SOCK" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -c "CREATE DATABASE bench" postgres
psql -c "CREATE EXTENSION pgrouting CASCADE" bench 2>/dev/null || psql -c "CREATE EXTENSION postgis; CREATE EXTENSION pgrouting" bench

echo "network model: gpcov vs pgRouting pgr_drivingDistance (per source, same network)"
for side in $SIDES; do
  d="$W/n$side"; mkdir "$d"; chmod 777 "$d"
  "$W/gen_roads" "$side" "$side" "$d" 2>&1 | sed 's/^/  /'
  n=$((side * side))
  # 25 sources spread over the grid (generator ids)
  srcs=""; k=0
  while [ $k -lt 25 ]; do
    r=$(( (k / 5) * side / 5 + side / 10 )); c=$(( (k % 5) * side / 5 + side / 10 ))
    srcs="$srcs $((r * side + c + 1))"; k=$((k + 1))
  done
  # gpcov
  /usr/bin/time -v "$W/bench_network" "$d" $srcs >"$d/gpcov.txt" 2>"$d/gpcov.time"
  g_rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$d/gpcov.time")
  g_load=$(awk '/load_s/ {print $3}' "$d/gpcov.txt")
  g_per=$(awk '/source/ {s += $5; k++} END {printf "%.4f", s / k}' "$d/gpcov.txt")
  # pgRouting: the edges in a table, then one pgr_drivingDistance per source
  psql bench -c "DROP TABLE IF EXISTS edges; CREATE TABLE edges (id bigint, source bigint, target bigint, cost float8, reverse_cost float8)"
  t0=$(date +%s.%N)
  psql bench -c "\\copy edges FROM '$d/edges.csv' WITH (FORMAT csv, HEADER true)"
  psql bench -c "ANALYZE edges"
  p_load=$(echo "$(date +%s.%N) - $t0" | bc)
  : >"$d/pgr.txt"
  # peak RSS of PostgreSQL's processes, sampled while the queries run
  ( peak=0; while [ ! -f "$d/stop" ]; do
      r=$(ps -o rss= -u postgres | sort -n | tail -1); [ "${r:-0}" -gt "$peak" ] && peak=$r
      echo "$peak" >"$d/pg_peak"; sleep 0.2; done ) &
  sampler=$!
  for s in $srcs; do
    t1=$(date +%s.%N)
    res=$(psql bench -t -A -F ' ' -c "SELECT count(*), sum(agg_cost) FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM edges', $s, 1e9, true)")
    echo "$s $(echo "$(date +%s.%N) - $t1" | bc) $res" >>"$d/pgr.txt"
  done
  touch "$d/stop"; wait $sampler 2>/dev/null || true
  p_rss=$(cat "$d/pg_peak")
  p_per=$(awk '{s += $2; k++} END {printf "%.4f", s / k}' "$d/pgr.txt")
  # identical travel times: reached count and sum per source, and every node of the first
  first=$(echo $srcs | cut -d' ' -f1)
  psql bench -c "\\copy (SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM edges', $first, 1e9, true)) TO '$d/pgr_s1.csv' WITH (FORMAT csv)"
  worst=$(awk -F, 'NR == FNR {g[$1] = $2; next} { if (!($1 in g)) {miss++; next} d = g[$1] - $2; if (d < 0) d = -d; r = d / ($2 > 1 ? $2 : 1); if (r > w) w = r } END {printf "%.2e %d", w, miss + 0}' "$d/gpcov_s1.csv" "$d/pgr_s1.csv")
  nd=$(wc -l <"$d/gpcov_s1.csv")
  np=$(wc -l <"$d/pgr_s1.csv")
  grep 'gpcov source' "$d/gpcov.txt" >"$d/g2.txt"
  # pgr.txt: src seconds count sum; g2.txt: gpcov source ID seconds T reached N sum S
  agree=$(paste -d' ' "$d/pgr.txt" "$d/g2.txt" | awk 'BEGIN{ok=1} { if ($1 != $7 || $3 != $11) ok = 0; r = $4 - $13; if (r < 0) r = -r; if (r / $4 > 1e-9) ok = 0 } END {print ok ? "yes" : "NO"}')
  echo "  $n grid nodes: gpcov $g_per s/source (load $g_load s, peak RSS $((g_rss / 1024)) MiB);" \
       "pgRouting $p_per s/source (load $p_load s, peak RSS of its largest process $((p_rss / 1024)) MiB)"
  echo "  ratio pgRouting/gpcov per source: $(echo "scale=1; $p_per / $g_per" | bc)x;" \
       "25 sources agree (reached count, sum of times within 1e-9): $agree;" \
       "source $first, all $np nodes: worst relative difference $worst missing (gpcov reached $nd)"
  echo "$side $n $g_per $p_per" >>"$W/growth.txt"
done
if [ "$(wc -l <"$W/growth.txt")" -gt 1 ]; then
  awk 'NR == 1 {n0 = $2; g0 = $3; p0 = $4} END {printf "  growth %d -> %d nodes (x%.1f): gpcov x%.2f, pgRouting x%.2f per source\n", n0, $2, $2 / n0, $3 / g0, $4 / p0}' "$W/growth.txt"
fi
