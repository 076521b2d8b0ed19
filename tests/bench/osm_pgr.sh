# osm_pgr.sh: part 3 of bench_osm.sh (sourced by it, with $PBF, $W,
# $wall and status set): the peer's import of the same OpenStreetMap file,
# osmium + osm2pgrouting (Debian's osm2pgrouting, installed here when run
# as root), into a private PostgreSQL 15 with PostGIS and pgRouting
# (tests/helpers/pgcluster.sh).  osm2pgrouting reads OSM XML only and
# holds the whole file in memory (given the whole generated file it passed
# 17 GB while still parsing, and was stopped), so osmium first keeps the
# ways for cars and ferries and their nodes (`osmium tags-filter
# w/highway w/route=ferry`, written as XML), as its documentation advises
# for large extracts; both steps are timed, then osm2pgrouting with the
# car configuration (mapconfig_for_cars.xml).  The import alone is what a
# pgRouting user runs before the first query; gpcov's figure beside it is
# its whole traveltime (read, graph, search, raster).
#   BENCH_OSM_PGR_LIMIT  seconds before the import is given up (default 3600)
#   BENCH_OSM_PGR_MEM    its address-space limit in MB (default 10000), so
#                        that a shared machine is not run out of memory
# shellcheck shell=sh disable=SC2154
if ! command -v osm2pgrouting >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "# installing osm2pgrouting"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq osm2pgrouting >/dev/null 2>&1
fi
. "$top/tests/helpers/pgcluster.sh"
if ! command -v osm2pgrouting >/dev/null 2>&1 || ! pg_available ||
   [ ! -f /usr/share/postgresql/15/extension/pgrouting.control ]; then
  echo "== osm2pgrouting: skipped (needs osm2pgrouting, postgresql-15, postgresql-15-pgrouting)"
else
  echo "== osmium + osm2pgrouting import of the same file (load $(load))"
  pg_start -c shared_buffers=1GB -c maintenance_work_mem=1GB -c synchronous_commit=off || exit 1
  trap 'pg_stop; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT
  pg_psql postgres -c "CREATE DATABASE bench"
  pg_psql bench -c "CREATE EXTENSION postgis; CREATE EXTENSION pgrouting"
  /usr/bin/time -f "%e %M" -o "$W/pgr_xml" osmium tags-filter "$PBF" w/highway w/route=ferry \
    -o "$W/dk.osm" --overwrite || { echo "bench: osmium tags-filter to XML failed"; exit 1; }
  chmod 644 "$W/dk.osm"
  (ulimit -v $((${BENCH_OSM_PGR_MEM:-10000} * 1024))
   /usr/bin/time -f "%e %M" -o "$W/pgr_imp" timeout "${BENCH_OSM_PGR_LIMIT:-3600}" osm2pgrouting \
    -f "$W/dk.osm" -c /usr/share/osm2pgrouting/mapconfig_for_cars.xml -d bench -U postgres \
    -h "$PG_SOCK" --clean >"$W/pgr.log" 2>&1)
  rc=$?
  rm -f "$W/dk.osm"
  read -r xs xm <"$W/pgr_xml"; read -r is im <"$(printf '%s' "$W/pgr_imp")"
  if [ "$rc" != 0 ]; then
    echo "  osm2pgrouting failed or was stopped after $is s (exit $rc); last lines:"; tail -3 "$W/pgr.log"
  else
    n=$(pg_psql bench -t -A -c "SELECT count(*) FROM ways")
    v=$(pg_psql bench -t -A -c "SELECT count(*) FROM ways_vertices_pgr")
    tot=$(awk -v a="$xs" -v b="$is" 'BEGIN { print a + b }')
    echo "  osmium tags-filter to XML: $xs s, $((xm / 1024)) MiB; osm2pgrouting: $is s, $((im / 1024)) MiB"
    echo "  imported: $n edges, $v vertices (ways split at crossings)"
    echo "  peer import / gpcov whole traveltime: $tot s / $wall s =" \
      "$(awk -v a="$tot" -v b="$wall" 'BEGIN { printf "%.1f", a / b }')x"
  fi
  pg_stop
fi
