#!/bin/sh
# The road model on the national network, where the time goes, and the
# whole main job on it: `gpcov traveltime` from the 23 training sites on
# the drivable network at 250 m (medians of BENCH_REPEAT runs, each phase
# from GPCOV_TIMING), then `gpcov report reports/denmark.ini` once.  The
# goals (issue "Real roads"): traveltime under 5 s, the main job under 60 s
# on 2 cores.  The pgRouting comparison on the same graph is
# bench_roads_pgrouting.sh.
: "${GPCOV:?}" "${DATA:=../shared/data}"
REPEAT=${BENCH_REPEAT:-3}
W=$(mktemp -d "${BENCH_TMP:-/tmp}/gpcov-national.XXXXXX")
[ -n "$BENCH_KEEP" ] || trap 'rm -rf "$W"' EXIT
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ROADS=$DATA/roads/dk_roads_drivable_osm2021.gpkg
echo "== gpcov traveltime, national drivable network, 250 m, 23 sources ($REPEAT runs; load $(cut -d' ' -f1 /proc/loadavg))"
r=1
while [ "$r" -le "$REPEAT" ]; do
  GPCOV_TIMING=1 /usr/bin/time -f "%e %M" -o "$W/t$r" "$GPCOV" traveltime --roads "$ROADS" \
    --sources "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" --extent shapefiles/kommuner.shp \
    --resolution 250 --output "$W/tt.tif" --overwrite -q 2>"$W/e$r" || { echo "bench: traveltime failed"; cat "$W/e$r"; exit 1; }
  r=$((r + 1))
done
wall=$(cat "$W"/t* | cut -d' ' -f1 | median); rss=$(cat "$W"/t* | cut -d' ' -f2 | median)
echo "  whole process: $wall s (median), peak RSS $((rss / 1024)) MiB; goal under 5 s"
for p in "reading roads" noding "ferries and components" graph "road core and index" "joining cells" search cells writing; do
  v=$(grep -h "timing: $p:" "$W"/e* | sed 's/.*: \([0-9.]*\) s/\1/' | median)
  printf '  %-24s %s s\n' "$p" "$v"
done
echo "== the main job (make report) on the national network"
/usr/bin/time -f "%e %M" -o "$W/rep" "$GPCOV" report reports/denmark.ini -q --overwrite --set data="$DATA" \
  --set out="$W/out" >/dev/null 2>"$W/rep.err" || { echo "bench: the main job failed"; tail -5 "$W/rep.err"; exit 1; }
read -r rw rr <"$W/rep"
echo "  whole job: $rw s, peak RSS $((rr / 1024)) MiB; goal under 60 s"
