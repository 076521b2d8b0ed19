#!/bin/sh
# The command at national size (bench_site.sh times the solver alone):
# `gpcov site` choosing BENCH_K (10) new sites among BENCH_CANDIDATES
# (1,000) synthetic candidates, the 23 training sites kept, on the national
# drivable network at 250 m, demand the census grid (38,760 cells of 1 km,
# T), maximal covering within BENCH_MINUTES (30 and 60).  The candidates
# are spread over Denmark's land: census cells drawn uniformly (each cell
# with people is land), jittered within their kilometre (awk's srand(1),
# so the same candidates every run).
# Goal (issue 13, item 6): under a minute on 2 cores.  Prints wall time and
# peak RSS (GNU time), the phases (GPCOV_TIMING) and the closing line.
: "${GPCOV:?}" "${DATA:=../shared/data}"
NC=${BENCH_CANDIDATES:-1000}
K=${BENCH_K:-10}
W=$(mktemp -d "${BENCH_TMP:-/tmp}/gpcov-site.XXXXXX")
[ -n "$BENCH_KEEP" ] || trap 'rm -rf "$W"' EXIT
CENSUS="$DATA/census/census2021_grid1km_dk.csv"
awk -F, -v nc="$NC" 'NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); c[$i] = i }; next }
  { gsub(/"/, "") } $c["T"] > 0 { n++; lon[n] = $c["lon"]; lat[n] = $c["lat"] }
  END { srand(1); print "id,lon,lat"
        for (k = 1; k <= nc; k++) { i = 1 + int(rand() * n)
          printf "c%d,%.6f,%.6f\n", k, lon[i] + 0.016 * (rand() - 0.5), lat[i] + 0.009 * (rand() - 0.5) } }' \
  "$CENSUS" >"$W/candidates.csv"
status=0
for MIN in ${BENCH_MINUTES:-30 60}; do
  echo "== gpcov site, k = $K among $NC candidates + 23 training sites, national drivable network, 250 m, $MIN min (load $(cut -d' ' -f1 /proc/loadavg))"
  GPCOV_TIMING=1 /usr/bin/time -v -o "$W/t" "$GPCOV" site \
    --roads "$DATA/roads/dk_roads_drivable_osm2021.gpkg" --extent shapefiles/kommuner.shp --resolution 250 \
    --candidates "$W/candidates.csv" --candidate-id id \
    --existing "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" --existing-name town \
    --demand "$CENSUS" --demand-field T --k "$K" --max-minutes "$MIN" \
    --summary "$W/summary_$MIN.csv" --output "$W/sites_$MIN.csv" -q 2>"$W/err" ||
    { echo "bench: site failed"; grep -v "ferry end" "$W/err" | tail -5; status=1; continue; }
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$W/t")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$W/t")
  usr=$(sed -n 's/.*User time (seconds): //p' "$W/t")
  sys=$(sed -n 's/.*System time (seconds): //p' "$W/t")
  echo "  whole process: $wall wall ($usr s user, $sys s system CPU), peak RSS $((rss / 1024)) MiB;"
  echo "  goal under 60 s wall on 2 cores; load now $(cut -d' ' -f1 /proc/loadavg)"
  grep "timing:" "$W/err" | sed 's/^gpcov: /  /'
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
    { printf "  pairs %s, demand %s, reachable %s, before %s, after %s, bound %s\n", $6, $7, $8, $9, $10, $12 }' \
    "$W/summary_$MIN.csv"
done
exit $status
