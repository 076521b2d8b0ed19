#!/bin/sh
# gpcov vs pgRouting on the real national road network, on exactly the same
# graph: gpcov traveltime writes the graph it searched (--network-output)
# and its node times (--node-output); the edges are loaded into PostgreSQL
# (COPY) and pgRouting's pgr_drivingDistance runs from a virtual source node
# joined to every training site's road node by an edge costing that site's
# connector time (tt_sources prints the nodes and times), which is gpcov's
# multi-source search with start times.  Every node's time must equal
# gpcov's within 1e-6 minutes, and the nodes reached must be the same, or
# the benchmark fails.  Then it times, interleaved, BENCH_REPEAT runs
# (default 3) of gpcov's whole traveltime process (reading the GeoPackage,
# building the graph, joining the cells, searching, writing the raster),
# pgRouting's loading (COPY + ANALYZE) and pgRouting's query alone, and
# prints medians and ratios; and, for the engines alone, gpcov's search
# (gpcov_network_times on the graph in memory, timed by tt_sources) against
# pgRouting's query.
#   usage: sh tests/bench/bench_roads_pgrouting.sh [BUILD]   (make bench runs it)
#   BENCH_ROAD_NETS  which networks (default: "major drivable"), the files
#                    $DATA/roads/dk_roads_NET_osm2021.gpkg
#   BENCH_REPEAT     runs of each timed command (default 3)
#   BENCH_KEEP       set to keep the work directory
set -eu
top=$(pwd)
BUILD=${BUILD:-$top/${1:-build}}
GPCOV=${GPCOV:-$BUILD/gpcov}
DATA=${DATA:-../shared/data}
case $DATA in /*) ;; *) DATA=$top/$DATA ;; esac
NETS=${BENCH_ROAD_NETS:-"major drivable"}
REPEAT=${BENCH_REPEAT:-3}
RES=250
SRC=$DATA/training/hoveduddannelse_almen_medicin_2021.csv
EXTENT=$DATA/dagi/kommuner.geojson # the same box as shapefiles/kommuner.shp
PG_BIN=/usr/lib/postgresql/15/bin
[ -x "$GPCOV" ] || { echo "bench: $GPCOV not built (make all)"; exit 1; }

if [ ! -x "$PG_BIN/postgres" ] || [ ! -f /usr/share/postgresql/15/extension/pgrouting.control ] ||
   [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "# installing postgresql-15, postgresql-15-pgrouting, time"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      postgresql-15 postgresql-15-pgrouting time >/dev/null
  else
    echo "bench: needs postgresql-15, postgresql-15-pgrouting and time (run as root to install)"
    exit 1
  fi
fi

W=$(mktemp -d /tmp/gpcov-bench-roads.XXXXXX)
chmod 755 "$W"
. "$top/tests/helpers/pgcluster.sh"
cleanup() {
  pg_stop
  [ -n "${BENCH_KEEP:-}" ] && echo "# kept $W" || rm -rf "$W"
}
trap cleanup EXIT

CFLAGS="-O2 -std=c11 -D_POSIX_C_SOURCE=200809L -DGEOS_USE_ONLY_R_API -I$top/lib $(pkg-config --cflags gdal geos proj)"
LIBS="$(pkg-config --libs gdal geos proj cairo fontconfig libcrypto) -lm -pthread"
# shellcheck disable=SC2086
cc $CFLAGS "$top/tests/bench/tt_sources.c" "$BUILD/libgpcov.a" $LIBS -o "$W/tt_sources"

# a PostgreSQL of our own, on a socket under /tmp, no TCP
pg_start -c shared_buffers=1GB -c work_mem=512MB -c maintenance_work_mem=1GB
psql() { runuser -u postgres -- /usr/bin/psql -h "$PG_SOCK" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql -c "CREATE DATABASE bench" postgres
psql -c "CREATE EXTENSION pgrouting CASCADE" bench >/dev/null 2>&1 ||
  psql -c "CREATE EXTENSION postgis; CREATE EXTENSION pgrouting" bench
echo "# pgRouting $(psql -t -A -c 'SELECT pgr_version()' bench), PostgreSQL $(psql -t -A -c 'SHOW server_version' bench)"

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
status=0
for net in $NETS; do
  roads=$DATA/roads/dk_roads_${net}_osm2021.gpkg
  d=$W/$net
  mkdir "$d"; chmod 777 "$d" # the server's user writes pgRouting's node times here
  tt="traveltime -q --roads $roads --class-field class --extent $EXTENT --resolution $RES --sources $SRC --source-id town"
  echo "== $net: $roads at $RES m, $(($(wc -l <"$SRC") - 1)) training sites"
  # the graph, the node times and where each source joins the graph
  # shellcheck disable=SC2086
  "$GPCOV" $tt --output "$d/export.tif" --network-output "$d/edges.csv" --node-output "$d/nodes.csv" ||
    { echo "bench: gpcov traveltime with --network-output failed"; status=1; continue; }
  "$W/tt_sources" "$roads" class "$EXTENT" $RES "$SRC" town "$REPEAT" >"$d/sources.csv" 2>"$d/search" ||
    { echo "bench: tt_sources failed"; cat "$d/search"; status=1; continue; }
  gs=$(awk '/^search_s/ { print $2 }' "$d/search" | median)
  chmod 644 "$d"/*.csv
  nn=$(($(wc -l <"$d/nodes.csv") - 1)); ne=$(($(wc -l <"$d/edges.csv") - 1))
  v=$nn # the virtual source: one past the last node
  cat >"$d/load.sql" <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS edges; DROP TABLE IF EXISTS sources;
CREATE TABLE edges (edge bigint, source bigint, target bigint, minutes float8, metres float8,
                    x1 float8, y1 float8, x2 float8, y2 float8);
\\copy edges FROM '$d/edges.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE sources (source text, node bigint, start float8);
\\copy sources FROM '$d/sources.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO edges (edge, source, target, minutes)
  SELECT $ne + row_number() OVER (ORDER BY node) - 1, $v, node, min(start) FROM sources GROUP BY node;
ANALYZE edges;
SQL
  q="pgr_drivingDistance('SELECT edge AS id, source, target, minutes AS cost FROM edges', $v, 1e9, true)"
  : >"$d/times"
  r=1
  while [ "$r" -le "$REPEAT" ]; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %M" -o "$d/g.time" "$GPCOV" $tt --output "$d/t.tif" --overwrite ||
      { echo "bench: gpcov traveltime failed"; status=1; break; }
    t0=$(now)
    psql -f "$d/load.sql" bench
    t1=$(now)
    res=$(psql -t -A -F ' ' -c "SELECT count(*), sum(agg_cost) FROM $q" bench)
    t2=$(now)
    read -r gw grss <"$d/g.time"
    echo "$gw $grss $t0 $t1 $t2 $res" | awk '{ print $1, $2, $4 - $3, $5 - $4, $6, $7 }' >>"$d/times"
    tail -1 "$d/times" | awk -v r="$r" '{ printf "  run %d: gpcov %.2f s (peak RSS %d MiB); pgRouting load %.2f s, query %.2f s (%d nodes reached, sum %.6f min)\n", r, $1, $2 / 1024, $3, $4, $5, $6 }'
    r=$((r + 1))
  done
  [ -s "$d/times" ] || continue
  # every node: the same reachability, the same minutes within 1e-6
  psql -c "\\copy (SELECT node, agg_cost FROM $q WHERE node <> $v) TO '$d/pgr_nodes.csv' WITH (FORMAT csv)" bench
  cmp=$(awk -F, 'NR == FNR { p[$1] = $2; next }
    FNR > 1 { if ($4 == "") { if ($1 in p) extra++; next }
              reached++
              if (!($1 in p)) { miss++; next }
              e = $4 - p[$1]; if (e < 0) e = -e; if (e > w) w = e
              if (e > 1e-6) bad++ }
    END { printf "%d %d %d %d %.3g %d", reached, length(p), miss + 0, extra + 0, w, bad + 0 }' \
    "$d/pgr_nodes.csv" "$d/nodes.csv")
  set -- $cmp
  echo "  $nn nodes, $ne edges (+ $(($(wc -l <"$d/sources.csv") - 1)) virtual source edges):" \
       "gpcov reached $1, pgRouting $2; reached by gpcov only $3, by pgRouting only $4;" \
       "worst difference $5 min, $6 nodes beyond 1e-6"
  if [ "$3" = 0 ] && [ "$4" = 0 ] && [ "$6" = 0 ] && [ "$1" = "$2" ]; then
    echo "  node times agree: all $1 reached nodes within 1e-6 minutes"
  else
    echo "bench: FAIL: gpcov and pgRouting node times differ on the $net network"; status=1
  fi
  gm=$(cut -d' ' -f1 "$d/times" | median); grss=$(cut -d' ' -f2 "$d/times" | median)
  pl=$(cut -d' ' -f3 "$d/times" | median); pq=$(cut -d' ' -f4 "$d/times" | median)
  pt=$(awk '{ print $3 + $4 }' "$d/times" | median)
  awk -v g="$gm" -v rss="$grss" -v l="$pl" -v q="$pq" -v t="$pt" -v s="$gs" -v n="$REPEAT" 'BEGIN {
    printf "  medians of %d interleaved runs: gpcov traveltime (whole process) %.2f s, peak RSS %d MiB;\n", n, g, rss / 1024
    printf "    pgRouting query alone %.2f s, loading %.2f s, load + query %.2f s\n", q, l, t
    printf "    pgRouting query / gpcov whole process = %.2f; pgRouting load + query / gpcov whole process = %.2f\n", q / g, t / g
    printf "    gpcov search alone (gpcov_network_times, median of %d, same process) %.3f s: pgRouting query / gpcov search = %.1f\n", n, s, q / s }'
done
exit $status
