#!/bin/sh
# gpcov overlay and dissolve from the command line: exit codes, messages,
# nothing left behind on failure, existing outputs never replaced silently.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/sq.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"KOMKODE":"0101"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}},
{"type":"Feature","properties":{"KOMKODE":"0147"},"geometry":{"type":"Polygon","coordinates":[[[10,0],[20,0],[20,10],[10,10],[10,0]]]}}]}
G
printf 'code,v\n101,1\n147,2\n' >"$TMP/t.csv"
set -- --polygons "$TMP/sq.geojson" --table "$TMP/t.csv" --key KOMKODE=code --field v=v

run overlay "$@" --output "$TMP/ok.geojson"
[ "$rc" = 0 ] && [ -s "$TMP/ok.geojson" ]; ok $? "a good overlay exits 0 and writes its output"
grep -q '"komkode": "0101"' "$TMP/ok.geojson"; ok $? "the output carries the 4-digit key"

cp "$TMP/ok.geojson" "$TMP/keep.geojson"
expect_fail 1 "exists already (use --overwrite" "" "an existing output" -- overlay "$@" --output "$TMP/ok.geojson"
cmp -s "$TMP/ok.geojson" "$TMP/keep.geojson"; ok $? "the existing output is untouched"
run overlay "$@" --output "$TMP/ok.geojson" --overwrite
[ "$rc" = 0 ]; ok $? "--overwrite replaces it"

expect_fail 2 "unknown option '--frob'" "" "an unknown option" -- overlay "$@" --frob --output "$TMP/x.geojson"
expect_fail 2 "required" "" "no --output" -- overlay "$@"
expect_fail 2 "expression" "" "a syntax error in --where" -- overlay "$@" --where "v >" --output "$TMP/x.geojson"
expect_fail 2 "must follow a --table" "" "--agg before any source" -- overlay --polygons "$TMP/sq.geojson" --agg "x=sum(v)" --output "$TMP/x.geojson"

printf 'code,v\n101,1\n147,2\n999,3\n' >"$TMP/extra.csv"
expect_fail 1 "extra.csv:4: key '0999'" "$TMP/out1.geojson" "a key with no polygon" -- \
  overlay --polygons "$TMP/sq.geojson" --table "$TMP/extra.csv" --key KOMKODE=code --field v=v --output "$TMP/out1.geojson"
printf 'code,v\n101,1\n' >"$TMP/short.csv"
expect_fail 1 "no row for 1 polygon.*0147" "$TMP/out2.gpkg" "a polygon with no row" -- \
  overlay --polygons "$TMP/sq.geojson" --table "$TMP/short.csv" --key KOMKODE=code --field v=v --output "$TMP/out2.gpkg"
run overlay --polygons "$TMP/sq.geojson" --table "$TMP/short.csv" --key KOMKODE=code --field v=v --allow-missing --output "$TMP/out2.gpkg"
[ "$rc" = 0 ]; ok $? "--allow-missing lets it through"
printf 'code,v\n101,1\n147,2\n0147,3\n' >"$TMP/dup.csv"
expect_fail 1 "dup.csv:4: key '0147' appears again (first at line 3)" "$TMP/out3.shp" "a duplicated key" -- \
  overlay --polygons "$TMP/sq.geojson" --table "$TMP/dup.csv" --key KOMKODE=code --field v=v --output "$TMP/out3.shp"
expect_fail 1 "no column 'w'" "$TMP/out4.csv" "a missing column" -- \
  overlay --polygons "$TMP/sq.geojson" --table "$TMP/t.csv" --key KOMKODE=code --field v=w --output "$TMP/out4.csv"
printf 'code,v\n101,1\n147,lots\n' >"$TMP/text.csv"
expect_fail 1 "text.csv:3: .*'lots' is not a number" "$TMP/out5.geojson" "a non-numeric value" -- \
  overlay --polygons "$TMP/sq.geojson" --table "$TMP/text.csv" --key KOMKODE=code --agg "v=sum(v)" --output "$TMP/out5.geojson"
: >"$TMP/empty.csv"
expect_fail 1 "empty.csv" "$TMP/out6.geojson" "an empty file" -- \
  overlay --polygons "$TMP/sq.geojson" --table "$TMP/empty.csv" --key KOMKODE=code --field v=v --output "$TMP/out6.geojson"
expect_fail 1 "nosuch.csv: no such file" "$TMP/out7.geojson" "a missing file" -- \
  overlay --polygons "$TMP/sq.geojson" --table "$TMP/nosuch.csv" --key KOMKODE=code --field v=v --output "$TMP/out7.geojson"
printf 'garbage' >"$TMP/bad.geojson"
expect_fail 1 "bad.geojson: cannot open" "$TMP/out8.geojson" "unreadable polygons" -- \
  overlay --polygons "$TMP/bad.geojson" --table "$TMP/t.csv" --key KOMKODE=code --field v=v --output "$TMP/out8.geojson"
mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
if [ "$(id -u)" != 0 ]; then
  expect_fail 1 "cannot write" "$TMP/ro/x.geojson" "an unwritable directory" -- overlay "$@" --output "$TMP/ro/x.geojson"
fi
expect_fail 1 "cannot write into" "" "a directory that does not exist" -- overlay "$@" --output "$TMP/no/such/dir/x.geojson"

# dissolve
run dissolve --input "$DATA/dagi/kommuner.geojson" --key KOMKODE --name KOMNAVN --output "$TMP/k.gpkg"
[ "$rc" = 0 ]; ok $? "dissolve the DAGI municipalities"
[ "$(ogrinfo -ro -so "$TMP/k.gpkg" k | sed -n 's/^Feature Count: //p')" = 99 ]; ok $? "311 parts become 99 features"
expect_fail 1 "no feature has KOMKODE 9999" "$TMP/k2.gpkg" "dissolve: a flag for an unknown code" -- \
  dissolve --input "$DATA/dagi/kommuner.geojson" --key KOMKODE --flag 9999=x --output "$TMP/k2.gpkg"
expect_fail 1 "no field 'KODE'" "$TMP/k3.gpkg" "dissolve: an unknown key field" -- \
  dissolve --input "$DATA/dagi/kommuner.geojson" --key KODE --output "$TMP/k3.gpkg"
run overlay --help
[ "$rc" = 0 ] && grep -q -- "--allow-missing" "$TMP/stdout"; ok $? "overlay --help lists the options"
echo "1..$n"
