#!/bin/sh
# gpcov query on a fixture of six municipalities with hand-known values:
# the rows where the condition holds, the count line, the undecided rows
# (a field the condition needs is missing) listed apart, a field taken from
# a --join layer, --sort and --limit, an unknown field (named, with the
# fields there are and the nearest), a bad expression, the output layer's
# rows and geometry, query_undecided with --keep-undecided, and refusing
# to overwrite.
. "$(dirname "$0")/lib.sh"

sq() { # sq KOMKODE NAME REGION SHARE80 FAR60 X: a 10 km square at x = X
  printf '{"type":"Feature","properties":{"komkode":"%s","name":"%s","region_code":"%s","share80_2035":%s,"share_far60":%s},"geometry":{"type":"Polygon","coordinates":[[[%s,6200000],[%s,6200000],[%s,6210000],[%s,6210000],[%s,6200000]]]}}' \
    "$1" "$2" "$3" "$4" "$5" "$6" "$(($6 + 10000))" "$(($6 + 10000))" "$6" "$6"
}
{
  echo '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":['
  sq 0810 Brønderslev 1081 12.0 30 500000; echo ,
  sq 0813 Frederikshavn 1081 11.3 null 520000; echo ,
  sq 0825 Læsø 1081 17.5 100 540000; echo ,
  sq 0851 Aalborg 1081 8.1 5 560000; echo ,
  sq 0101 København 1084 6.0 0 580000; echo ,
  sq 0411 Christiansø 1084 null null 600000
  echo ']}'
} >"$TMP/units.geojson"
printf 'komkode,threat_score\n0810,0.75\n0813,0.5\n0825,1\n0851,0\n0101,0\n' >"$TMP/threat.csv"
q="region_code = '1081' and share80_2035 > 10 and share_far60 > 20"

run query --input "$TMP/units.geojson" --where "$q"
[ "$rc" = 0 ]; ok $? "query: exit 0 ($err)"
sed -n 2,3p "$TMP/stdout" | awk '{print $1}' | tr '\n' ' ' >"$TMP/keys"
[ "$(cat "$TMP/keys")" = "0810 0825 " ] && [ "$(wc -l <"$TMP/stdout")" = 5 ]; ok $? "query: the two rows where it holds, in key order ($(cat "$TMP/keys"))"
head -1 "$TMP/stdout" | grep -Eq '^komkode +name +region_code +share80_2035 +share_far60$'; ok $? "query: key, name and the condition's fields as columns"
grep -Eq '^0825 +Læsø +1081 +17\.50 +100$' "$TMP/stdout"; ok $? "query: an aligned row with its values"
grep -qx "2 of 6 municipalities: $q" "$TMP/stdout"; ok $? "query: the count line"
grep -qx "1 municipality undecided (share_far60 missing): 0813 Frederikshavn" "$TMP/stdout"; ok $? "query: the row it cannot decide listed apart, with the missing field"
! grep -q 0411 "$TMP/stdout"; ok $? "query: a row decided despite a missing field (region false) is not undecided"

run query --input "$TMP/units.geojson" --join "$TMP/threat.csv" --where "threat_score >= 0.75" --fields threat_score
[ "$rc" = 0 ] && grep -qx "2 of 6 municipalities: threat_score >= 0.75" "$TMP/stdout" &&
  head -1 "$TMP/stdout" | grep -Eq '^komkode +name +threat_score$'; ok $? "query --join: a field from the joined layer ($err)"
grep -q "undecided (threat_score missing): 0411 Christiansø" "$TMP/stdout"; ok $? "query --join: a unit the join lacks is undecided"

run query --input "$TMP/units.geojson" --where "share80_2035 > 7" --sort share80_2035:desc --limit 2
[ "$(sed -n 2,3p "$TMP/stdout" | awk '{print $1}' | tr '\n' ' ')" = "0825 0810 " ] &&
  grep -qx "4 of 6 municipalities: share80_2035 > 7 (the first 2 shown)" "$TMP/stdout"; ok $? "query --sort FIELD:desc --limit 2"

expect_fail 2 "unknown field 'share80_2036'; did you mean 'share80_2035'" "" "an unknown field" -- \
  query --input "$TMP/units.geojson" --where "share80_2036 > 10"
printf '%s' "$err" | grep -q "the fields are: komkode, name, region_code, share80_2035, share_far60"; ok $? "an unknown field: the fields there are"
expect_fail 2 "unknown field 'nmae'" "" "an unknown field in --fields" -- \
  query --input "$TMP/units.geojson" --where "share80_2035 > 10" --fields nmae
expect_fail 2 "expression" "" "a bad expression" -- \
  query --input "$TMP/units.geojson" --where "share80_2035 >> 10"

run query --input "$TMP/units.geojson" --where "$q" --output "$TMP/q.gpkg" -q
[ "$rc" = 0 ] && [ ! -s "$TMP/stdout" ]; ok $? "query --output -q: exit 0, nothing printed ($err)"
rows=$(ogrinfo -ro -q "$TMP/q.gpkg" -sql "SELECT komkode || ':' || ST_GeometryType(geom) || ':' || CAST(ST_Area(geom) AS INTEGER) AS r FROM q ORDER BY komkode" | sed -n 's/.*r (String) = //p' | tr '\n' ' ')
[ "$rows" = "0810:MULTIPOLYGON:100000000 0825:MULTIPOLYGON:100000000 " ] ||
  [ "$rows" = "0810:POLYGON:100000000 0825:POLYGON:100000000 " ]; ok $? "the output layer: the selected rows with their geometry ($rows)"
expect_fail 1 "exists already" "" "an existing output without --overwrite" -- \
  query --input "$TMP/units.geojson" --where "share80_2035 > 1" --output "$TMP/q.gpkg"
cnt=$(ogrinfo -ro -q "$TMP/q.gpkg" -sql "SELECT COUNT(*) AS c FROM q" | sed -n "s/.*c (Integer.*) = //p")
[ "$cnt" = 2 ]; ok $? "the existing output is left as it was ($cnt rows)"

run query --input "$TMP/units.geojson" --where "$q" --output "$TMP/q.gpkg" --keep-undecided --overwrite
why=$(ogrinfo -ro -q "$TMP/q.gpkg" -sql "SELECT komkode || '=' || COALESCE(query_undecided, '-') AS r FROM q ORDER BY komkode" | sed -n 's/.*r (String) = //p' | tr '\n' ' ')
[ "$rc" = 0 ] && [ "$why" = "0810=- 0813=share_far60 missing 0825=- " ]; ok $? "--keep-undecided --overwrite: the undecided row written with its reason ($why)"

run query --input "$TMP/units.geojson" --where "$q" --output "$TMP/q.csv"
[ "$rc" = 0 ] && [ "$(head -1 "$TMP/q.csv" | tr -d '\r"')" = "komkode,name,region_code,share80_2035,share_far60" ] &&
  [ "$(wc -l <"$TMP/q.csv")" = 3 ]; ok $? "query --output .csv ($err)"
echo "1..$n"
