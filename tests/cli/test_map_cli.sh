#!/bin/sh
# gpcov map from the command line: panels, outputs, exit codes, messages,
# nothing left behind on failure, existing outputs never replaced silently.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/sq.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"komkode":"0101","v":1.5,"flag":1,"n":2},"geometry":{"type":"Polygon","coordinates":[[[500000,6100000],[510000,6100000],[510000,6110000],[500000,6110000],[500000,6100000]]]}},
{"type":"Feature","properties":{"komkode":"0147","v":4.5,"flag":0,"n":0},"geometry":{"type":"Polygon","coordinates":[[[510000,6100000],[520000,6100000],[520000,6110000],[510000,6110000],[510000,6100000]]]}},
{"type":"Feature","properties":{"komkode":"0151","v":null,"flag":1,"n":1},"geometry":{"type":"Polygon","coordinates":[[[520000,6100000],[530000,6100000],[530000,6110000],[520000,6110000],[520000,6100000]]]}}]}
G
P='field=v,title=Værdi, målt i procent,unit=%,breaks=equal,classes=2'

run map --help
[ "$rc" = 0 ]; ok $? "--help exits 0"
missing=""
for o in --input --layer --key --regions --points --point-xy --point-srs --point-label \
         --point-legend --panel --title --attribution --no-data-label --inset-label \
         --decimal-comma --dpi --no-inset --output --overwrite -q,; do
  grep -q -- "^ *$o " "$TMP/stdout" || missing="$missing $o"
done
[ -z "$missing" ]; ok $? "--help lists every option ($missing)"
n_default=$(grep -c "default" "$TMP/stdout")
[ "$n_default" -ge 20 ]; ok $? "--help states the defaults ($n_default)"

run map -q --input "$TMP/sq.geojson" --panel "$P" --panel 'field=flag,categorical,true=Ja,false=Nej' \
  --title "Prøve" --attribution "Kilde: test" --output "$TMP/m.png" --output "$TMP/m.svg" --output "$TMP/m.pdf"
[ "$rc" = 0 ]; ok $? "two panels to PNG, SVG and PDF exit 0 ($err)"
head -c 8 "$TMP/m.png" | od -c | grep -q 'P   N   G'; ok $? "the PNG is a PNG"
grep -q '<svg' "$TMP/m.svg"; ok $? "the SVG is an SVG"
head -c 5 "$TMP/m.pdf" | grep -q '%PDF-'; ok $? "the PDF is a PDF"
cp "$TMP/m.png" "$TMP/keep.png"
run map -q --input "$TMP/sq.geojson" --panel "$P" --panel 'field=flag,categorical,true=Ja,false=Nej' \
  --title "Prøve" --attribution "Kilde: test" --output "$TMP/m2.png"
cmp -s "$TMP/m2.png" "$TMP/keep.png"; ok $? "a second run gives the same PNG bytes"

expect_fail 1 "m.png: exists already (use --overwrite" "" "an existing output" -- \
  map -q --input "$TMP/sq.geojson" --panel "$P" --output "$TMP/m.png"
cmp -s "$TMP/m.png" "$TMP/keep.png"; ok $? "the existing output is untouched"
expect_fail 1 "exists already" "$TMP/fresh.png" "two outputs, one existing: the new one is not written either" -- \
  map -q --input "$TMP/sq.geojson" --panel "$P" --output "$TMP/fresh.png" --output "$TMP/m.pdf"
run map -q --input "$TMP/sq.geojson" --panel "$P" --output "$TMP/m.png" --overwrite
[ "$rc" = 0 ]; ok $? "--overwrite replaces it"

expect_fail 1 "sq.geojson: no field 'nosuch' for panel (a)" "$TMP/f1.png" "an unknown panel field" -- \
  map --input "$TMP/sq.geojson" --panel field=nosuch --output "$TMP/f1.png"
expect_fail 1 "categorical field 'n' holds 2" "$TMP/f2.png" "a categorical field holding 2" -- \
  map --input "$TMP/sq.geojson" --panel field=n,categorical --output "$TMP/f2.png"
expect_fail 1 "only 2 distinct values" "$TMP/f3.png" "more jenks classes than values" -- \
  map --input "$TMP/sq.geojson" --panel field=v,breaks=jenks,classes=4 --output "$TMP/f3.png"
expect_fail 1 "outside the fixed breaks" "$TMP/f4.png" "a value outside fixed breaks" -- \
  map --input "$TMP/sq.geojson" --panel 'field=v,breaks=fixed:2,3,5' --output "$TMP/f4.png"
run map -q --input "$TMP/sq.geojson" --panel 'field=v,breaks=fixed:-inf,2,inf' --output "$TMP/f5.png"
[ "$rc" = 0 ]; ok $? "open fixed breaks -inf,2,inf take every value"
expect_fail 1 "no metadata item 'MODEL'" "$TMP/f6.png" "a note from a missing metadata item" -- \
  map --input "$TMP/sq.geojson" --panel field=v,note=meta:MODEL --output "$TMP/f6.png"
printf 'name,east,north\nÅrhus,575000,6223000\n' >"$TMP/pts_en.csv"
expect_fail 1 "pts_en.csv: none of the 1 features has a point.*--point-xy" "$TMP/f8.png" "points from a table without --point-xy" -- \
  map --input "$TMP/sq.geojson" --panel field=v,classes=2 --points "$TMP/pts_en.csv" --output "$TMP/f8.png"
printf 'name,lon,lat\nÅrhus,10.2,56.15\n' >"$TMP/pts.csv"
run map -q --input "$TMP/sq.geojson" --panel field=v,classes=2 --points "$TMP/pts.csv" --output "$TMP/f8b.png"
[ "$rc" = 0 ]; ok $? "points from a CSV with lon/lat columns need no --point-xy (WGS84 assumed)"
run map -q --input "$TMP/sq.geojson" --panel field=v,classes=2 --points "$TMP/pts.csv" --point-xy lon,lat \
  --point-label name --point-legend "Byer" --output "$TMP/f9.png"
[ "$rc" = 0 ]; ok $? "points from a table with --point-xy ($err)"
expect_fail 1 "pts.csv: no field 'town' for point labels" "$TMP/f10.png" "an unknown point label field" -- \
  map --input "$TMP/sq.geojson" --panel field=v,classes=2 --points "$TMP/pts.csv" --point-xy lon,lat \
  --point-label town --output "$TMP/f10.png"
expect_fail 1 "nosuch.gpkg" "$TMP/f7.png" "a missing input" -- \
  map --input "$TMP/nosuch.gpkg" --panel field=v --output "$TMP/f7.png"
expect_fail 1 "cannot write into" "" "a directory that does not exist" -- \
  map --input "$TMP/sq.geojson" --panel field=v,classes=2 --output "$TMP/no/such/m.png"

expect_fail 2 "unknown option: '--frob'" "" "an unknown option" -- \
  map --input "$TMP/sq.geojson" --panel field=v --frob --output "$TMP/u1.png"
expect_fail 2 "--input is required" "" "no --input" -- map --panel field=v --output "$TMP/u2.png"
expect_fail 2 "at least one --panel" "" "no --panel" -- map --input "$TMP/sq.geojson" --output "$TMP/u3.png"
expect_fail 2 "at least one --output" "" "no --output" -- map --input "$TMP/sq.geojson" --panel field=v
expect_fail 2 "unknown item 'colour'" "" "an unknown panel item" -- \
  map --input "$TMP/sq.geojson" --panel field=v,colour=red --output "$TMP/u4.png"
expect_fail 2 "no field=NAME" "" "a panel without a field" -- \
  map --input "$TMP/sq.geojson" --panel title=x --output "$TMP/u5.png"
expect_fail 2 "breaks=fixed:1,x" "" "a bad fixed edge" -- \
  map --input "$TMP/sq.geojson" --panel 'field=v,breaks=fixed:1,x' --output "$TMP/u6.png"
expect_fail 2 "classes=3 but 3 fixed edges" "" "classes that disagree with the edges" -- \
  map --input "$TMP/sq.geojson" --panel 'field=v,breaks=fixed:0,2,5,classes=3' --output "$TMP/u7.png"
expect_fail 2 "breaks=natural" "" "an unknown breaks method" -- \
  map --input "$TMP/sq.geojson" --panel field=v,breaks=natural --output "$TMP/u8.png"
expect_fail 2 "classes=12" "" "too many classes" -- \
  map --input "$TMP/sq.geojson" --panel field=v,classes=12 --output "$TMP/u9.png"
expect_fail 2 "unknown map format 'jpg'" "$TMP/u10.jpg" "a .jpg output" -- \
  map --input "$TMP/sq.geojson" --panel field=v --output "$TMP/u10.jpg"
expect_fail 2 "--dpi 5" "" "a silly resolution" -- \
  map --input "$TMP/sq.geojson" --panel field=v --dpi 5 --output "$TMP/u11.png"
expect_fail 2 "more than 4 --panel" "" "five panels" -- \
  map --input "$TMP/sq.geojson" --panel field=v --panel field=v --panel field=v \
  --panel field=v --panel field=v --output "$TMP/u12.png"

left=$(ls -a "$TMP" | grep -c '\.tmp')
[ "$left" = 0 ]; ok $? "no temporary file left in the directory ($left)"
echo "1..$n"
