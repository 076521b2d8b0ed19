#!/bin/sh
# OpenStreetMap roads at national size (issue 14, item 3).  Generates a
# national-size .osm.pbf (tests/bench/gen_osm.c through `osmium cat`:
# 17 M nodes, 1.33 M highway ways, 40 ferries, 2.5 M buildings, 2.4 M
# address nodes, about 115 MB; cached, see BENCH_OSM_CACHE), then times
#   1. GDAL's OSM driver pass alone (tests/bench/osm_pass.c, the calls
#      gpcov's road reader makes) three ways, as interleaved triples:
#      every layer built (no interest declared), interest in the lines
#      layer with the driver's osmconf.ini, and as gpcov reads (interest,
#      and the lines layer cut to the tags read: network_osmconf.c); all
#      three must give the same number of lines;
#   2. the whole `gpcov traveltime --roads FILE` from the training sites
#      off Bornholm (the generated file has no Bornholm) over the
#      municipalities at 250 m: wall, CPU, peak RSS, phases (GPCOV_TIMING);
#   3. when osm2pgrouting is installed (or installable: root), its import
#      of the same file (converted to OSM XML, which it needs) into a
#      private PostgreSQL with pgRouting, and the ratio to gpcov.
# Goals: the driver pass as gpcov reads <= 6 s, the whole traveltime
# <= 12 s and <= 800 MB.  A goal missed is printed as MISSED with the load
# beside it, and the bench fails.  Medians of BENCH_REPEAT runs (default 3).
#   BENCH_OSM_CACHE   where the generated PBF is kept between runs
#                     (default ${BENCH_TMP:-/tmp}/gpcov-bench-osm-cache)
#   BENCH_OSM_PGR=0   skip osm2pgrouting
#   BENCH_OSM_SIZE    "W H BUILDINGS ADDRESSES" for gen_osm, a smaller file
#                     to try the bench (default: the national size)
: "${GPCOV:?set GPCOV}" "${DATA:=../shared/data}"
top=$(pwd)
here=$top/tests/bench
BUILD=${BUILD:-$(dirname "$GPCOV")}
REPEAT=${BENCH_REPEAT:-3}
CACHE=${BENCH_OSM_CACHE:-${BENCH_TMP:-/tmp}/gpcov-bench-osm-cache}
SEED=14
W=$(mktemp -d "${BENCH_TMP:-/tmp}/gpcov-osm.XXXXXX")
chmod 755 "$W"
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$W"' EXIT
command -v osmium >/dev/null 2>&1 || { echo "bench: osmium-tool missing (apt-get install osmium-tool)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
status=0
goal() { # goal WHAT VALUE LIMIT UNIT
  [ -z "${BENCH_OSM_SIZE:-}" ] || { echo "  ($1: $2 $4; the goal, $3 $4, is for the national size)"; return; }
  if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v <= l) }'; then echo "  goal met: $1 $2 $4 <= $3 $4 (load $(load))"
  else echo "  MISSED: $1 $2 $4 > $3 $4 (load $(load); 2 cores)"; status=1; fi
}

CFLAGS="-O2 -std=c11 $(pkg-config --cflags gdal)"
LIBS="$(pkg-config --libs gdal geos proj cairo fontconfig libcrypto json-c) -lm -pthread"
# shellcheck disable=SC2086
cc $CFLAGS -o "$W/gen_osm" "$here/gen_osm.c" || exit 1
# shellcheck disable=SC2086
cc $CFLAGS -o "$W/osm_pass" "$here/osm_pass.c" "$BUILD/libgpcov.a" $LIBS || exit 1

# --- the national-size file, made once per generator version
mkdir -p "$CACHE"
SIZE=${BENCH_OSM_SIZE:-}
PBF=$CACHE/dk_gen_${SEED}_$(printf '%s' "$SIZE" | tr ' ' x)$(sha1sum "$here/gen_osm.c" | cut -c1-10).osm.pbf
if [ ! -s "$PBF" ]; then
  echo "# generating $PBF (about 40 s)"
  # shellcheck disable=SC2086
  "$W/gen_osm" "$SEED" $SIZE 2>"$W/gen.err" | osmium cat -F opl -f pbf,add_metadata=false -o "$PBF.part" --overwrite ||
    { echo "bench: generating the OSM file failed"; cat "$W/gen.err"; rm -f "$PBF.part"; exit 1; }
  mv "$PBF.part" "$PBF"
fi
echo "# $PBF: $(($(stat -c %s "$PBF") / 1000000)) MB, $(osmium fileinfo -e -g data.count.nodes "$PBF") nodes," \
  "$(osmium fileinfo -e -g data.count.ways "$PBF") ways"

# --- 1. the driver pass alone, interleaved
echo "== GDAL's OSM driver pass ($REPEAT interleaved triples; load $(load))"
r=1
while [ "$r" -le "$REPEAT" ]; do
  for how in all lines gpcov; do
    /usr/bin/time -f "%e %M %U %S" -o "$W/p_${how}_$r" "$W/osm_pass" "$PBF" "$how" >"$W/n_${how}_$r" ||
      { echo "bench: osm_pass $how failed"; exit 1; }
    echo "$(cut -d' ' -f1 "$W/p_${how}_$r") s at load $(cut -d' ' -f1 /proc/loadavg)" >>"$W/load_$how"
  done
  r=$((r + 1))
done
for how in all lines gpcov; do
  wall=$(cat "$W"/p_"$how"_* | cut -d' ' -f1 | median)
  cpu=$(cat "$W"/p_"$how"_* | awk '{ print $3 + $4 }' | median)
  rss=$(cat "$W"/p_"$how"_* | cut -d' ' -f2 | median)
  printf '  %-6s %6.2f s wall (CPU %5.2f s), %4d MiB; %s; runs: %s\n' "$how" "$wall" "$cpu" \
    $((rss / 1024)) "$(cut -d' ' -f1-2 "$W/n_${how}_1")" "$(paste -sd, "$W/load_$how")"
  case $how in all) wall_all=$wall ;; lines) wall_lines=$wall ;; *) wall_gpcov=$wall ;; esac
done
if [ "$(cut -d' ' -f1 "$W/n_all_1")" != "$(cut -d' ' -f1 "$W/n_lines_1")" ] ||
   [ "$(cut -d' ' -f1 "$W/n_all_1")" != "$(cut -d' ' -f1 "$W/n_gpcov_1")" ]; then
  echo "  FAILED: the three ways give different numbers of lines"; status=1
fi
echo "  all / gpcov: $(awk -v a="$wall_all" -v b="$wall_gpcov" 'BEGIN { printf "%.1f", a / b }')x;" \
  "lines / gpcov: $(awk -v a="$wall_lines" -v b="$wall_gpcov" 'BEGIN { printf "%.2f", a / b }')x"
goal "driver pass as gpcov reads" "$wall_gpcov" 6 s

# --- 2. the whole traveltime
SRC=$W/sites.csv
awk -F, 'NR == 1 || $5 < 14' "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" >"$SRC"
EXTENT=$top/shapefiles/kommuner.shp
[ -r "$EXTENT" ] || EXTENT=$DATA/dagi/kommuner.geojson
echo "== gpcov traveltime --roads (generated file), $(($(wc -l <"$SRC") - 1)) training sites, 250 m ($REPEAT runs)"
r=1
while [ "$r" -le "$REPEAT" ]; do
  GPCOV_TIMING=1 /usr/bin/time -f "%e %M %U %S" -o "$W/t$r" "$GPCOV" traveltime --roads "$PBF" \
    --sources "$SRC" --extent "$EXTENT" --resolution 250 --output "$W/tt.tif" --overwrite 2>"$W/e$r" ||
    { echo "bench: traveltime failed"; tail -3 "$W/e$r"; exit 1; }
  echo "  run $r: $(cut -d' ' -f1 "$W/t$r") s (load $(load))"
  r=$((r + 1))
done
wall=$(cat "$W"/t? | cut -d' ' -f1 | median); rss=$(cat "$W"/t? | cut -d' ' -f2 | median)
cpu=$(cat "$W"/t? | awk '{ print $3 + $4 }' | median)
echo "  whole process: $wall s wall (CPU $cpu s), peak RSS $((rss / 1024)) MiB (medians)"
grep -h "lines used" "$W/e1" | sed 's/^gpcov: /  /'
for p in "reading roads" noding "ferries and components" graph "road core, index and land" "joining cells" search cells writing; do
  v=$(grep -h "timing: $p:" "$W"/e? | sed 's/.*: \([0-9.]*\) s/\1/' | median)
  [ -n "$v" ] && printf '    %-28s %s s\n' "$p" "$v"
done
goal "traveltime --roads, wall" "$wall" 12 s
goal "traveltime --roads, peak RSS" "$((rss / 1024))" 800 MiB

# --- 3. osm2pgrouting's import of the same file
# shellcheck source=tests/bench/osm_pgr.sh
[ "${BENCH_OSM_PGR:-1}" = 0 ] || . "$here/osm_pgr.sh"
exit $status
