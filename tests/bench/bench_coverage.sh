#!/bin/sh
# Capacity-constrained coverage at national size: `gpcov coverage` with
# BENCH_PRACTICES (2,000) synthetic practices on the national drivable
# network at 250 m, demand the census-grid population (38,760 points of
# 1 km), limit BENCH_MINUTES (30).  The practices are placed at cells of the
# population drawn with probability proportional to their people (awk's
# srand(1), so the same practices every run), 1.5 GP capacities each.
# Goal (issue 13, item 6): under a minute on 2 cores.  Prints wall time and
# peak RSS (GNU time), the phases (GPCOV_TIMING) and the totals.
: "${GPCOV:?}" "${DATA:=../shared/data}"
NP=${BENCH_PRACTICES:-2000}
MIN=${BENCH_MINUTES:-30}
W=$(mktemp -d "${BENCH_TMP:-/tmp}/gpcov-coverage.XXXXXX")
[ -n "$BENCH_KEEP" ] || trap 'rm -rf "$W"' EXIT
POP=${POP:-$W/population.gpkg}
if [ ! -f "$POP" ]; then
  "$GPCOV" population --polygons shapefiles/kommuner.shp --table "$DATA/dst/folk1a_2020q1_area_age_sex.csv" \
    --key code=area_code --where "level in ('kommune', 'other')" --agg "pop=sum(total)" \
    --agg "pop80=sum(total) where age >= 80" --places "$DATA/census/census2021_grid1km_dk.csv" \
    --places-weight T --demand "demand=pop + 1.5 * pop80" --output "$POP" -q ||
    { echo "bench: population failed"; exit 1; }
fi
ogr2ogr -f CSV "$W/pop.csv" "$POP" -lco GEOMETRY=AS_XY -lco STRING_QUOTING=IF_NEEDED -select pop
# NP draws, each a cell with probability pop / total (inverse CDF, binary search)
awk -F, -v np="$NP" '{ gsub(/"/, "") } NR > 1 && $3 > 0 { n++; x[n] = $1; y[n] = $2; c[n] = (tot += $3) }
  END { srand(1); print "id,x,y"
        for (k = 1; k <= np; k++) { u = rand() * tot; lo = 1; hi = n
          while (lo < hi) { m = int((lo + hi) / 2); if (c[m] < u) lo = m + 1; else hi = m }
          printf "%d,%.0f,%.0f\n", k, x[lo] + 250 * (rand() - 0.5), y[lo] + 250 * (rand() - 0.5) } }' \
  "$W/pop.csv" >"$W/practices.csv"
echo "== gpcov coverage, $NP practices, national drivable network, 250 m, $MIN min (load $(cut -d' ' -f1 /proc/loadavg))"
GPCOV_TIMING=1 /usr/bin/time -f "%e %M %U %S" -o "$W/t" "$GPCOV" coverage \
  --roads "$DATA/roads/dk_roads_drivable_osm2021.gpkg" --extent shapefiles/kommuner.shp --resolution 250 \
  --practices "$W/practices.csv" --x x --y y --srs EPSG:25832 --practice-id id --capacity 1.5 \
  --practices-note "synthetic: $NP points drawn by population, not GP practices" \
  --demand "$POP" --demand-field demand --max-minutes "$MIN" \
  --units shapefiles/kommuner.shp --units-key code --units-output "$W/units.csv" \
  --practices-output "$W/practices_out.csv" --unserved "$W/unserved.tif" -q >"$W/out" 2>"$W/err" ||
  { echo "bench: coverage failed"; grep -v "ferry end" "$W/err" | tail -5; exit 1; }
read -r wall rss usr sys <"$W/t"
echo "  whole process: $wall s wall ($usr s user, $sys s system CPU), peak RSS $((rss / 1024)) MiB;"
echo "  goal under 60 s wall on 2 cores; load now $(cut -d' ' -f1 /proc/loadavg)"
grep "timing:" "$W/err" | sed 's/^gpcov: /  /'
sed 's/^/  /' "$W/out"
