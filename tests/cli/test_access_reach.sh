#!/bin/sh
# gpcov access with searches bounded by the catchment, on the real data:
# the national 250 m grid, 200 places drawn from the census grid as supply
# (and the training posts), the census grid's people as demand; the
# straight line, a friction raster of the municipalities and the national
# road network; every method with a cut-off and one without.  The outputs
# (score raster, reciprocal, supply table, units table) and the printed
# figures are byte-identical to those of the whole-grid searches of before
# (GPCOV_ACCESS_SEARCH=grid) and do not depend on running two supplies at
# once (GPCOV_THREADS=1); a run with a cut-off says it stopped there and
# how few cells it searched.
. "$(dirname "$0")/lib.sh"
[ -f "$DATA/census/census2021_grid1km_dk.csv" ] || { echo "ok 1 - # SKIP no census grid in $DATA"; echo "1..1"; exit 0; }
[ -f shapefiles/kommuner.shp ] || { echo "ok 1 - # SKIP shapefiles/kommuner.shp not built (make shapefiles)"; echo "1..1"; exit 0; }

# friction: the municipalities at 40 km/h on the straight-line model's grid, the sea a barrier
gdal_rasterize -q -burn 0.0015 -init -1 -a_nodata -1 -ot Float32 -te 441500 6049750 893000 6402250 -tr 250 250 \
  -a_srs EPSG:25832 shapefiles/kommuner.shp "$TMP/friction.tif"
# 200 supply points: census cells of people, every 150th, on land in the friction raster
awk -F, 'NR > 1 && $8 > 0 && NR % 150 == 0 { print $4, $5 }' "$DATA/census/census2021_grid1km_dk.csv" |
  gdaltransform -s_srs EPSG:4326 -t_srs EPSG:25832 -output_xy >"$TMP/xy.txt"
gdallocationinfo -valonly -geoloc "$TMP/friction.tif" <"$TMP/xy.txt" >"$TMP/v.txt"
{ echo "id,x,y,gps"; paste -d' ' "$TMP/xy.txt" "$TMP/v.txt" |
    awk '$3 != "" && $3 + 0 > 0 && k < 200 { k++; printf "%d,%.0f,%.0f,%d\n", k, $1, $2, 1 + k % 4 }'; } >"$TMP/supply.csv"
[ "$(wc -l <"$TMP/supply.csv")" = 201 ]; ok $? "200 supply points on land ($(($(wc -l <"$TMP/supply.csv") - 1)))"

STRAIGHT="--straight-line --speed 60 --detour 1.3 --extent shapefiles/kommuner.shp --resolution 250"
FRICTION="--friction $TMP/friction.tif"
OURS="--supply $TMP/supply.csv --x x --y y --srs EPSG:25832 --supply-id id --capacity-field gps"
DEM="--demand $DATA/census/census2021_grid1km_dk.csv --demand-field T"

# both NAME MODEL ARGS...: the run with bounded searches into $TMP/NAME.b,
# the whole-grid run into $TMP/NAME.g; asserts both ran and every output
# and the printed figures are the same bytes
both() {
  name=$1; model=$2; shift 2
  for s in b g; do
    mkdir -p "$TMP/$name.$s"
    o="$TMP/$name.$s"
    # shellcheck disable=SC2086
    if [ $s = g ]; then export GPCOV_ACCESS_SEARCH=grid; else unset GPCOV_ACCESS_SEARCH; fi
    run access $model "$@" --output "$o/a.tif" --reciprocal "$o/r.tif" --supply-output "$o/s.csv" \
      --units shapefiles/kommuner.shp --units-key code --units-output "$o/u.csv"
    cp "$TMP/stdout" "$o/stdout"
    [ "$rc" = 0 ]; ok $? "$name ($s): runs (${err:+$(printf '%s' "$err" | tail -1)})"
  done
  unset GPCOV_ACCESS_SEARCH
  d=""
  for f in a.tif r.tif s.csv u.csv stdout; do
    cmp -s "$TMP/$name.b/$f" "$TMP/$name.g/$f" || d="$d $f"
  done
  [ -z "$d" ]; ok $? "$name: the bounded searches' outputs are byte-identical to the whole grid's (differ:${d:- none})"
}
# the average cells a run searched, from "runs stop at the cut-off, ...: N cells"
cells() { sed -n 's/^access: runs stop at the cut-off, [0-9.]* min: \([0-9]*\) cells within reach a run on average, of \([0-9]*\) in the grid$/\1 \2/p' "$1"; }

both straight_2sfca "$STRAIGHT" $OURS $DEM --d0 30
set -- $(cells "$TMP/straight_2sfca.b/stdout")
[ -n "$1" ] && [ "$2" = 2546460 ] && [ "$1" -gt 20000 ] && [ "$1" -lt 40000 ]
ok $? "straight line, 30 min: a run searches the cells within 23 km, about 26,600 of the grid's 2,546,460 (got $1 of $2)"
grep -q 'sum of people x score = 500.000000' "$TMP/straight_2sfca.b/stdout"; ok $? "and all 500 GPs are shared out"

both straight_gauss "$STRAIGHT" $OURS $DEM --method gaussian --d0 20
both straight_e2sfca "$STRAIGHT" $OURS $DEM --method e2sfca
both friction_2sfca "$FRICTION" $OURS $DEM --d0 30 --drop-unreachable
set -- $(cells "$TMP/friction_2sfca.b/stdout")
[ -n "$1" ] && [ "$1" -gt 5000 ] && [ "$1" -lt 30000 ]
ok $? "friction, 30 min at 40 km/h: a run searches the cells within reach, not the grid (got $1 of $2)"
# one run at a time (GPCOV_THREADS=1) instead of two: the same bytes
mkdir -p "$TMP/one"
GPCOV_THREADS=1 "$GPCOV" access $FRICTION $OURS $DEM --d0 30 --drop-unreachable --output "$TMP/one/a.tif" \
  --reciprocal "$TMP/one/r.tif" --supply-output "$TMP/one/s.csv" --units shapefiles/kommuner.shp --units-key code \
  --units-output "$TMP/one/u.csv" >/dev/null 2>&1
cmp -s "$TMP/one/a.tif" "$TMP/friction_2sfca.b/a.tif" && cmp -s "$TMP/one/s.csv" "$TMP/friction_2sfca.b/s.csv" &&
  cmp -s "$TMP/one/u.csv" "$TMP/friction_2sfca.b/u.csv"
ok $? "friction, one run at a time (GPCOV_THREADS=1): the same bytes as two at once"
both friction_step "$FRICTION" $OURS $DEM --method step --steps 10:1,25:0.4 --drop-unreachable --cache-mb 1
if [ -f "$DATA/roads/dk_roads_drivable_osm2021.gpkg" ]; then
  both roads_2sfca "--roads $DATA/roads/dk_roads_drivable_osm2021.gpkg --extent shapefiles/kommuner.shp --resolution 250" \
    $OURS $DEM --d0 20 --drop-unreachable
  set -- $(cells "$TMP/roads_2sfca.b/stdout")
  [ -n "$1" ] && [ "$1" -gt 5000 ] && [ "$1" -lt 200000 ]
  ok $? "roads, 20 min: a run times the cells on the roads it reached, not the grid (got $1 of $2)"
  # the main job's run: the training scenario on the roads, no cut-off
  both training_roads "--roads $DATA/roads/dk_roads_drivable_osm2021.gpkg --extent shapefiles/kommuner.shp --resolution 250" \
    --scenario training $DEM
fi
both training_none "$STRAIGHT" --scenario training $DEM
grep -q "no cut-off (the weight stays above 0 at any time): every run covers the grid's 2546460 cells" \
  "$TMP/training_none.b/stdout"; ok $? "without a cut-off (the training scenario's 'inf' step) a run covers the whole grid, and says so"
echo "1..$n"
