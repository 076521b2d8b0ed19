#!/bin/sh
# The national road network (../shared/data/roads, OpenStreetMap 2021):
# noded, its ferries joined, the named ferry islands reached with plausible
# times from the training sites, the islands no ferry in the data reaches
# said by name, and the bad inputs of a road layer.
. "$(dirname "$0")/lib.sh"
ROADS="$DATA/roads/dk_roads_drivable_osm2021.gpkg"
SITES="$DATA/training/hoveduddannelse_almen_medicin_2021.csv"
px() { gdallocationinfo -valonly -wgs84 "$1" "$2" "$3" 2>/dev/null; }
# between LO HI VALUE
between() { awk -v a="$1" -v b="$2" -v v="$3" 'BEGIN { exit !(v != "" && v != "nan" && v >= a && v <= b) }'; }

run traveltime --roads "$ROADS" --sources "$SITES" --extent shapefiles/kommuner.shp \
  --place-names "$DATA/osm/places_with_population_2019.csv" --resolution 250 --output "$TMP/tt.tif"
[ "$rc" = 0 ]; ok $? "traveltime on the national drivable network runs ($(printf '%s' "$err" | tail -1))"
printf '%s' "$err" | grep -q "785 components, 404 after joining 138 of 726 ferry ends"
ok $? "noded into 785 components, 404 once the ferries are joined (138 of 726 ends at a road)"
printf '%s' "$err" | grep -q "the largest has 2095267 nodes"; ok $? "the largest component holds 2,095,267 of 2,128,457 nodes"
# the ferry islands, from the nearest training site (minutes, cited ranges in the README)
for isl in "Rønne 14.70 55.10 0 10" "Nexø 15.13 55.06 15 45" "Tranebjerg_Samsø 10.60 55.83 80 180" \
           "Ærøskøbing 10.41 54.89 80 180" "Byrum_Læsø 11.00 57.25 100 200" "Nordby_Fanø 8.40 55.445 20 70" \
           "Fur 9.01 56.83 40 120" "Anholt 11.55 56.71 150 300" "Skagen 10.58 57.72 30 90"; do
  set -- $isl
  v=$(px "$TMP/tt.tif" "$2" "$3")
  between "$4" "$5" "$v"; ok $? "$1 is reached: $4-$5 min (got $v)"
done
v=$(px "$TMP/tt.tif" 12.57 55.68); between 0 5 "$v"; ok $? "København is a training site: under 5 min (got $v)"
v=$(px "$TMP/tt.tif" 11.54 54.97); [ "$v" = nan ] || [ -z "$v" ]
ok $? "Femø (no ferry in the data) has no time: no connector crosses the water to Lolland (got $v)"
v=$(px "$TMP/tt.tif" 9.4487 56.0673); between 10 120 "$v"
ok $? "a cut-off forest road at Gludsted does not capture the mainland cells beside it (got $v)"
printf '%s' "$err" | grep -q "unreachable: .* cells join .* km of road around .*54.9577 N 11.4618 E in Lolland"
ok $? "Femø and Fejø (no ferry in the data) are said to be unreachable, in Lolland"
printf '%s' "$err" | grep -q "unreachable: 1018 cells join 10.9 km of road around Lyø By, .* in Faaborg-Midtfyn"
ok $? "and Lyø, by the name of its village and its municipality"
printf '%s' "$err" | grep -q "feature [0-9]*: a ferry end at .* joins no road within 300 m"
ok $? "ferry ends that join nothing are named by feature"
md=$(gdalinfo "$TMP/tt.tif")
printf '%s' "$md" | grep -q "GPCOV_MODEL=road network model: dk_roads_drivable_osm2021.gpkg"; ok $? "the raster names the network"
printf '%s' "$md" | grep -q "GPCOV_MODEL_DA=Rejsetid ad vejnettet: .*Hastigheder (km/t): motorvej 110, motortrafikvej og hovedvej 76"; ok $? "and says it in Danish with the speeds"
printf '%s' "$md" | grep -q "GPCOV_FERRIES=feature"; ok $? "and lists the ferry ends and how far each joined"
c=$(printf '%s' "$md" | grep -o "GPCOV_FERRIES=.*" | tr ';' '\n' | grep -c "feature [0-9]* at")
[ "$c" = 726 ]; ok $? "every one of the 726 ferry ends is listed, none cut off (got $c)"

# the default grid covers a vertex on the network's east and south edges
cat >"$TMP/edge.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"class":"minor"},"geometry":{"type":"LineString","coordinates":[[700000,6170000],[701000,6170000],[701000,6169000]]}}]}
G
printf 'id,x,y\n1,700000,6170000\n' >"$TMP/s1.csv"
run traveltime --roads "$TMP/edge.geojson" --sources "$TMP/s1.csv" --x x --y y --srs EPSG:25832 \
  --resolution 100 --output "$TMP/edge.tif"
[ "$rc" = 0 ]; ok $? "a small network with --class-field guessed as class runs ($err)"
v=$(gdallocationinfo -valonly -geoloc "$TMP/edge.tif" 701000 6169000 2>/dev/null)
between 0.5 10 "$v"; ok $? "the vertex on the east and south edges has a cell and a time (got $v)"

# bad inputs: each names the file and what is wrong, and writes nothing
cat >"$TMP/noclass.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"kind":"minor"},"geometry":{"type":"LineString","coordinates":[[700000,6170000],[701000,6170000]]}}]}
G
expect_fail 1 "noclass.geojson: no field 'highway' (or 'class') for road classes" "$TMP/o1.tif" "a line layer with no class field" -- \
  traveltime --roads "$TMP/noclass.geojson" --sources "$TMP/s1.csv" --x x --y y --srs EPSG:25832 --output "$TMP/o1.tif"
sed 's/"kind":"minor"/"class":"gravel"/' "$TMP/noclass.geojson" >"$TMP/gravel.geojson"
expect_fail 1 "gravel.geojson: feature 1: road class 'gravel' (field class) has no speed" "$TMP/o2.tif" "a class with no speed" -- \
  traveltime --roads "$TMP/gravel.geojson" --sources "$TMP/s1.csv" --x x --y y --srs EPSG:25832 --output "$TMP/o2.tif"
printf 'id,x,y\n1,760000,6170000\n' >"$TMP/far.csv"
expect_fail 1 "no road within 5000 m of the source .* in .*edge.geojson" "$TMP/o3.tif" "a source with no road within reach" -- \
  traveltime --roads "$TMP/edge.geojson" --sources "$TMP/far.csv" --x x --y y --srs EPSG:25832 --extent "$TMP/edge.geojson" --output "$TMP/o3.tif"
# a read error inside the road layer stops the run (GDAL's CSV driver gives
# up on a 12 MB field and would otherwise end the layer there)
{ echo 'WKT,highway'; echo '"LINESTRING (12 55,12.01 55)",residential'
  printf '"LINESTRING (12.01 55,12.02 55)",'; head -c 12000000 /dev/zero | tr '\0' 'x'; echo
  echo '"LINESTRING (12.02 55,12.03 55)",residential'; } >"$TMP/big.csv"
printf 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]' >"$TMP/big.prj"
printf 'id,lon,lat\n1,12.005,55\n' >"$TMP/s4.csv"
expect_fail 1 "big.csv: feature 2: cannot read it nor any after it" "$TMP/o4.tif" "a road layer GDAL cannot read to the end" -- \
  traveltime --roads "$TMP/big.csv" --sources "$TMP/s4.csv" --resolution 100 --output "$TMP/o4.tif"
echo "1..$n"
