#!/bin/sh
# gpcov traveltime (road network and straight-line models) and gpcov
# isochrone: hand-computed values, the model label in every output, nesting,
# bands, clipping, population, and the error cases.
. "$(dirname "$0")/lib.sh"
OSM="$DATA/osm/copenhagen_universitetsparken_2017-03-10.osm"
px() { gdallocationinfo -valonly -geoloc "$1" "$2" "$3" 2>/dev/null; }

# --- straight line: one source at (705050, 6175050), the centre of a cell
cat >"$TMP/box.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"id":1},"geometry":{"type":"Polygon","coordinates":[[[690000,6160000],[720000,6160000],[720000,6190000],[690000,6190000],[690000,6160000]]]}}]}
G
printf 'id,x,y\n7,705050,6175050\n' >"$TMP/one.csv"
run traveltime --straight-line --speed 60 --detour 1.3 --extent "$TMP/box.geojson" --resolution 100 \
  --sources "$TMP/one.csv" --x x --y y --srs EPSG:25832 --source-id id --output "$TMP/sl.tif" --nearest "$TMP/sln.tif"
[ "$rc" = 0 ]; ok $? "straight line runs ($err)"
v=$(px "$TMP/sl.tif" 715050 6175050)
awk -v v="$v" 'BEGIN { exit !(v > 12.9999 && v < 13.0001) }'; ok $? "10 km east at 60 km/h x 1.3 = 13 min (got $v)"
v=$(px "$TMP/sl.tif" 705050 6175050)
awk -v v="$v" 'BEGIN { exit !(v == 0) }'; ok $? "the source's own cell is 0 min (got $v)"
[ "$(px "$TMP/sln.tif" 691000 6161000)" = 7 ]; ok $? "the nearest raster holds the source id"
gdalinfo "$TMP/sl.tif" | grep -q "GPCOV_MODEL=straight-line model (no road network)"; ok $? "the raster says it is the straight-line model"
run isochrone --traveltime "$TMP/sl.tif" --minutes 6.5,13 --output "$TMP/sl_iso.geojson"
[ "$rc" = 0 ]; ok $? "isochrones from the raster ($err)"
a=$(ogrinfo -ro -q "$TMP/sl_iso.geojson" -sql "SELECT area_km2 FROM sl_iso WHERE minutes = 13" | sed -n 's/.*area_km2 (Real) = //p')
awk -v a="$a" 'BEGIN { exit !(a > 310 && a < 318) }'; ok $? "13 min = 10 km: the disc is about pi x 100 = 314 km2 (got $a)"
grep -q '"model": "straight-line model' "$TMP/sl_iso.geojson"; ok $? "every isochrone feature names the straight-line model"
run isochrone --straight-line --extent "$TMP/box.geojson" --resolution 250 --sources "$TMP/one.csv" --x x --y y \
  --srs EPSG:25832 --minutes 5,10 --clip "$TMP/box.geojson" --bands --output "$TMP/bands.gpkg"
[ "$rc" = 0 ]; ok $? "bands from the model directly ($err)"
n=$(ogrinfo -ro -q "$TMP/bands.gpkg" -sql "SELECT COUNT(*) AS n FROM bands" | sed -n 's/.*n (Integer.*) = //p')
[ "$n" = 3 ]; ok $? "two bands and the rest of the clip area ($n features)"
tot=$(ogrinfo -ro -q "$TMP/bands.gpkg" -sql "SELECT SUM(area_km2) AS s FROM bands" | sed -n 's/.*s (Real) = //p')
awk -v a="$tot" 'BEGIN { exit !(a > 899.99 && a < 900.01) }'; ok $? "the bands tile the 30 x 30 km clip area exactly (got $tot)"

# --- raster values at points (overlay --sample): 10 people at 0 min, 20 at 13 min
cat >"$TMP/people.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"n":10},"geometry":{"type":"Point","coordinates":[705050,6175050]}},
{"type":"Feature","properties":{"n":20},"geometry":{"type":"Point","coordinates":[715050,6175050]}}]}
G
run overlay --polygons "$TMP/box.geojson" --polygon-key id --points "$TMP/people.geojson" \
  --sample "minutes=$TMP/sl.tif" --agg "pop=sum(n)" --agg "far=sum(n) where minutes > 10" \
  --agg "worst=max(minutes)" --output "$TMP/far.csv"
[ "$rc" = 0 ] && grep -q '^0001,.*model.*,30,20,13' "$TMP/far.csv"; ok $? "--sample: minutes at points; 20 of 30 people beyond 10 min, worst 13 ($(tail -1 "$TMP/far.csv"))"
expect_fail 2 "only points sample rasters" "$TMP/far2.csv" "--sample on a table" -- \
  overlay --polygons "$TMP/box.geojson" --table "$TMP/one.csv" --key id=id --sample "m=$TMP/sl.tif" --field x=x --output "$TMP/far2.csv"

# --- road network: two sources inside the Copenhagen extract
printf 'id,lon,lat\n1,12.5610,55.7020\n2,12.5700,55.7090\n' >"$TMP/two.csv"
run traveltime --roads "$OSM" --resolution 20 --sources "$TMP/two.csv" --source-id id \
  --output "$TMP/rd.tif" --nearest "$TMP/rdn.tif" --per-source "$TMP/per"
[ "$rc" = 0 ]; ok $? "road network model on the real OSM extract ($err)"
gdalinfo "$TMP/rd.tif" | grep -q "GPCOV_MODEL=road network model"; ok $? "the raster names the road network model"
st=$(gdalinfo -stats "$TMP/rd.tif" 2>/dev/null | sed -n 's/.*STATISTICS_MAXIMUM=//p')
awk -v m="$st" 'BEGIN { exit !(m > 1 && m < 60) }'; ok $? "times across the extract are minutes, not hours (max $st)"
[ -f "$TMP/per/1.tif" ] && [ -f "$TMP/per/2.tif" ]; ok $? "one raster per source"
v1=$(px "$TMP/per/1.tif" 723960 6179000); v=$(px "$TMP/rd.tif" 723960 6179000); v2=$(px "$TMP/per/2.tif" 723960 6179000)
awk -v a="$v" -v b="$v1" -v c="$v2" 'BEGIN { m = b < c ? b : c; exit !(a - m < 1e-4 && m - a < 1e-4) }'
ok $? "the nearest-source time is the smaller of the per-source times ($v = min($v1, $v2))"
run isochrone --roads "$OSM" --resolution 20 --sources "$TMP/two.csv" --source-id id --per-source \
  --minutes 2,4 --output "$TMP/rd_iso.geojson"
[ "$rc" = 0 ]; ok $? "per-source isochrones on roads ($err)"
c=$(grep -c '"type": "Feature"' "$TMP/rd_iso.geojson")
[ "$c" = 4 ]; ok $? "2 sources x 2 limits = 4 features ($c)"

# --- the graph and its node times as CSV (for a peer router on the same graph)
run traveltime --roads "$OSM" --resolution 20 --sources "$TMP/two.csv" --source-id id \
  --output "$TMP/rdx.tif" --network-output "$TMP/edges.csv" --node-output "$TMP/nodes.csv"
[ "$rc" = 0 ]; ok $? "--network-output and --node-output ($err)"
[ "$(head -1 "$TMP/edges.csv")" = "edge,source,target,minutes,metres,x1,y1,x2,y2" ] &&
  [ "$(head -1 "$TMP/nodes.csv")" = "node,x,y,minutes,nearest" ]; ok $? "the CSV headers"
nn=$(gdalinfo "$TMP/rdx.tif" | sed -n 's/.*GPCOV_MODEL=.*(\([0-9]*\) nodes.*/\1/p')
[ "$(($(wc -l <"$TMP/nodes.csv") - 1))" = "$nn" ]; ok $? "one node row per graph node ($nn)"
# every edge: numbered in order, ends in range, metres and minutes agree with
# the coordinates (a 10-130 km/h road or a ferry), the ends' coordinates are
# the node file's
awk -F, -v nn="$nn" 'NR == FNR { if (FNR > 1) { x[$1] = $2; y[$1] = $3 } next }
  FNR > 1 { if ($1 != FNR - 2 || $2 < 0 || $2 >= nn || $3 < 0 || $3 >= nn) bad++
            d = sqrt(($8 - $6)^2 + ($9 - $7)^2); if (d - $5 > 0.02 || $5 - d > 0.02) bad++
            if (x[$2] != $6 || y[$2] != $7 || x[$3] != $8 || y[$3] != $9) bad++
            if (!($4 > 0) || $5 / 1000 / ($4 / 60) > 131) bad++ }
  END { exit bad > 0 || FNR < 100 }' "$TMP/nodes.csv" "$TMP/edges.csv"
ok $? "every edge row is consistent with the node file"
# the node times are a shortest-path solution on the edge file: relaxing
# every edge changes nothing, and every node's time is met by some edge or
# is a source's start (a source joins a road segment and seeds both its
# ends: at most two such nodes per source)
awk -F, 'NR == FNR { if (FNR > 1 && $4 != "") { t[$1] = $4; s[$1] = $5
                       if (!($5 in m) || $4 < m[$5]) { m[$5] = $4; src[$5] = $1 } } next }
  FNR > 1 { if ($2 in t) { c = t[$2] + $4; if (!($3 in t) || c < t[$3] - 1e-9) bad++
                           d = c - t[$3]; if (d < 1e-9 && d > -1e-9) met[$3] = 1 } }
  END { for (i in t) if (!(i in met)) seeds++
        exit bad > 0 || length(src) != 2 || seeds > 4 }' "$TMP/nodes.csv" "$TMP/edges.csv"
ok $? "the node times are shortest paths over the edge file from the two sources"
v=$(px "$TMP/rdx.tif" 723960 6179000)
[ "$v" = "$(px "$TMP/rd.tif" 723960 6179000)" ]; ok $? "the raster is unchanged by the CSV outputs ($v)"
expect_fail 2 "need --roads" "$TMP/e9.csv" "--node-output without the road model" -- traveltime \
  --straight-line --extent "$TMP/box.geojson" --sources "$TMP/one.csv" --x x --y y --srs EPSG:25832 \
  --output "$TMP/e9.tif" --node-output "$TMP/e9.csv"
expect_fail 1 "exists already" "" "an existing node output" -- traveltime --roads "$OSM" \
  --resolution 20 --sources "$TMP/two.csv" --output "$TMP/e10.tif" --node-output "$TMP/nodes.csv"
[ ! -e "$TMP/e10.tif" ]; ok $? "and nothing was written"

# --- the same extract as OSM PBF (the format of Geofabrik's national extract)
if command -v osmium >/dev/null 2>&1; then
  osmium cat "$OSM" -o "$TMP/cph.osm.pbf" --overwrite 2>/dev/null
  run traveltime --roads "$TMP/cph.osm.pbf" --resolution 20 --sources "$TMP/two.csv" --source-id id --output "$TMP/pbf.tif"
  [ "$rc" = 0 ]; ok $? "the road model reads OSM PBF ($err)"
  a=$(gdalinfo "$TMP/rd.tif" | grep GPCOV_MODEL= | sed -n 's/.*(\([0-9]* nodes, [0-9]* lines\).*/\1/p')
  b=$(gdalinfo "$TMP/pbf.tif" | grep GPCOV_MODEL= | sed -n 's/.*(\([0-9]* nodes, [0-9]* lines\).*/\1/p')
  [ -n "$a" ] && [ "$a" = "$b" ]; ok $? "PBF and XML give the same graph ($a / $b)"
  gdalinfo -stats "$TMP/rd.tif" >/dev/null 2>&1; gdalinfo -stats "$TMP/pbf.tif" >/dev/null 2>&1
  sa=$(gdalinfo "$TMP/rd.tif" | grep STATISTICS_MEAN); sb=$(gdalinfo "$TMP/pbf.tif" | grep STATISTICS_MEAN)
  [ -n "$sa" ] && [ "$sa" = "$sb" ]; ok $? "and the same travel times ($sa)"
else
  echo "# SKIP: osmium-tool not installed, OSM PBF not tested"
fi

# --- errors
expect_fail 2 "exactly one model" "$TMP/e1.tif" "no model" -- traveltime --sources "$TMP/two.csv" --output "$TMP/e1.tif"
expect_fail 2 "exactly one model" "$TMP/e2.tif" "two models" -- traveltime --straight-line --roads "$OSM" --sources "$TMP/two.csv" --output "$TMP/e2.tif"
expect_fail 2 "needs --extent" "$TMP/e3.tif" "straight line without extent" -- traveltime --straight-line --sources "$TMP/two.csv" --output "$TMP/e3.tif"
printf 'id,lon,lat\n1,10.0,56.0\n' >"$TMP/far.csv"
expect_fail 1 "far.csv: feature 1: no road within 5000 m" "$TMP/e4.tif" "a source far from any road" -- traveltime --roads "$OSM" --sources "$TMP/far.csv" --output "$TMP/e4.tif"
expect_fail 1 "exists already" "" "an existing output" -- traveltime --roads "$OSM" --sources "$TMP/two.csv" --output "$TMP/rd.tif"
expect_fail 2 "needs --nearest" "$TMP/e5.geojson" "per-source from a raster without --nearest" -- isochrone --traveltime "$TMP/sl.tif" --per-source --minutes 5 --output "$TMP/e5.geojson"
expect_fail 2 "ascending" "$TMP/e6.geojson" "limits out of order" -- isochrone --traveltime "$TMP/sl.tif" --minutes 60,30 --output "$TMP/e6.geojson"
: >"$TMP/empty.csv"
expect_fail 1 "empty.csv" "$TMP/e7.tif" "an empty source file" -- traveltime --straight-line --extent "$TMP/box.geojson" --sources "$TMP/empty.csv" --output "$TMP/e7.tif"
cat >"$TMP/jylland.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"id":1},"geometry":{"type":"Polygon","coordinates":[[[500000,6200000],[510000,6200000],[510000,6210000],[500000,6210000],[500000,6200000]]]}}]}
G
expect_fail 1 "no roads that cars use within the extent" "$TMP/e8.tif" "no roads within the extent" -- \
  traveltime --roads "$OSM" --extent "$TMP/jylland.geojson" --sources "$TMP/two.csv" --output "$TMP/e8.tif"
echo "1..$n"
