#!/bin/sh
# Missing data must never look like a value: travel times beyond a
# --max-minutes cut or unknown, sampled by overlay, and the model that made
# them written beside the indicators.  Two squares 0101 (near the source)
# and 0825 (about 90 km away); one person each.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/sq.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"KOMKODE":"0101"},"geometry":{"type":"Polygon","coordinates":[[[600000,6200000],[610000,6200000],[610000,6210000],[600000,6210000],[600000,6200000]]]}},
{"type":"Feature","properties":{"KOMKODE":"0825"},"geometry":{"type":"Polygon","coordinates":[[[690000,6200000],[700000,6200000],[700000,6210000],[690000,6210000],[690000,6200000]]]}}]}
G
printf 'name,x,y\nsite,605000,6205000\n' >"$TMP/src.csv"
printf 'x,y,pop\n605500,6205500,10\n695500,6205500,7\n' >"$TMP/pts.csv"
printf 'code,pop\n101,10\n825,7\n' >"$TMP/t.csv"
tt() { run traveltime --straight-line --speed 60 --detour 1 --extent "$TMP/sq.geojson" --resolution 1000 \
  --sources "$TMP/src.csv" --x x --y y --srs EPSG:25832 "$@"; }
tt --output "$TMP/all.tif"
[ "$rc" = 0 ]; ok $? "traveltime without a cut ($err)"
tt --max-minutes 60 --output "$TMP/cut.tif"
[ "$rc" = 0 ]; ok $? "traveltime cut at 60 min ($err)"
gdalinfo "$TMP/cut.tif" 2>/dev/null | grep -q 'GPCOV_MAX_MINUTES=60'; ok $? "the cut raster says where it was cut"

ov() { run overlay --polygons "$TMP/sq.geojson" --table "$TMP/t.csv" --key KOMKODE=code --field pop=pop \
  --points "$TMP/pts.csv" --x x --y y --srs EPSG:25832 --sample "minutes=$1" \
  --agg "far60=sum(pop) where minutes > 60" --agg "far120=sum(pop) where minutes > 120" \
  --agg "near=count() where minutes <= 30" --derive "share_far60=pct(far60, pop)" --output "$2"; }
ov "$TMP/all.tif" "$TMP/all.csv"
[ "$rc" = 0 ]; ok $? "overlay samples the uncut raster ($err)"
grep -q '^0825,7,.*,7,0,0,100$' "$TMP/all.csv"; ok $? "uncut: 0825 is 90 min away: far60 7, far120 0, share 100 ($(grep 0825 "$TMP/all.csv"))"
ov "$TMP/cut.tif" "$TMP/cut.csv"
[ "$rc" = 0 ]; ok $? "overlay samples the cut raster ($err)"
grep -q '^0825,7,.*,7,,0,100$' "$TMP/cut.csv"
ok $? "cut at 60: 0825's far60 is still 7 (100 %), not 0; far120 unknown, not 0; none within 30 min ($(grep 0825 "$TMP/cut.csv"))"
grep -q '^0101,10,.*,0,0,1,0$' "$TMP/cut.csv"; ok $? "cut at 60: 0101, all within the cut, is known ($(grep 0101 "$TMP/cut.csv"))"
printf '%s' "$err" | grep -q 'far120 is empty (unknown) for 1 unit.*0825'; ok $? "a notice names the unit whose far120 is unknown ($err)"

# a travel time that is simply unknown (outside the raster): the sum is unknown
printf 'x,y,pop\n605500,6205500,10\n695500,6205500,7\n699990,6209990,1\n' >"$TMP/pts.csv"
printf 'code,pop\n101,10\n825,8\n' >"$TMP/t.csv"
gdal_translate -q -srcwin 0 0 99 10 "$TMP/all.tif" "$TMP/part.tif" 2>/dev/null
ov "$TMP/part.tif" "$TMP/part.csv"
grep -q '^0825,8,.*,,,,$' "$TMP/part.csv"; ok $? "a point with no travel time makes far60 unknown, not 7 of 8 ($(grep 0825 "$TMP/part.csv"))"

# provenance: the model that made the minutes, in a column that survives into CSV
head -1 "$TMP/cut.csv" | grep -q 'minutes_model'; ok $? "a minutes_model column beside the indicators"
grep '^0825' "$TMP/cut.csv" | grep -q 'straight-line model.*cut at 60 min'; ok $? "it names the straight-line model and the cut"
# a table a travel model made (GPCOV_MODEL in its metadata) says so too
ogr2ogr -q -f GPKG "$TMP/acc.gpkg" "$TMP/t.csv" -nln acc -mo "GPCOV_MODEL=road network (test)" 2>/dev/null
run overlay --polygons "$TMP/sq.geojson" --table "$TMP/acc.gpkg" --key KOMKODE=code --field reach=pop --output "$TMP/acc.csv"
[ "$rc" = 0 ] && head -1 "$TMP/acc.csv" | grep -q 'acc_model' && grep -q '^0101,.*road network (test)' "$TMP/acc.csv"
ok $? "fields from a model's table carry acc_model ($err$(head -2 "$TMP/acc.csv" | tr '\n' ' '))"
echo "1..$n"
