#!/bin/sh
# gpcov traveltime (friction model) from the command line: a good run, exit
# codes, messages, nothing left behind on failure, existing outputs kept.
. "$(dirname "$0")/lib.sh"

run traveltime --help
[ "$rc" = 0 ] && grep -q -- "--max-minutes" "$TMP/stdout"
ok $? "gpcov traveltime --help lists the options (register cmd_traveltime in tools/main.c)"
[ "$rc" = 0 ] || { echo "1..$n"; exit 1; }

# asc NAME LINE...: a 5 x 5 grid of 100 m cells at x 600000-600500,
# y 6099500-6100000, made a GeoTIFF in EPSG:25832 (or none with NOCRS=1)
asc() {
  name=$1; shift
  { printf 'ncols 5\nnrows 5\nxllcorner 600000\nyllcorner 6099500\ncellsize 100\nNODATA_value -9999\n'
    for l in "$@"; do echo "$l"; done; } >"$TMP/$name.asc"
  if [ -n "$NOCRS" ]; then
    gdal_translate -q -ot Float32 "$TMP/$name.asc" "$TMP/$name.tif"
  else
    gdal_translate -q -ot Float32 -a_srs EPSG:25832 "$TMP/$name.asc" "$TMP/$name.tif"
  fi
}
row='0.01 0.01 0.01 0.01 0.01'
asc f "$row" "$row" "$row" "$row" "$row"
asc wall "0.01 0.01 -9999 0.01 0.01" "0.01 0.01 -9999 0.01 0.01" "$row" "$row" "$row"
asc neg "$row" "0.01 0.01 0.01 -0.5 0.01" "$row" "$row" "$row"
NOCRS=1 asc nocrs "$row" "$row" "$row" "$row" "$row"
asc nanf "$row" "0.01 nan 0.01 0.01 0.01" "$row" "$row" "$row"
printf 'id,x,y\n40,600050,6099750\n7,600450,6099750\n' >"$TMP/s.csv"
printf 'id,x,y\n40,600050,6099750\n8,700000,6099750\n' >"$TMP/far.csv"
printf 'id,x,y\n40,600250,6099950\n' >"$TMP/onwall.csv"
S="--sources $TMP/s.csv --x x --y y --srs EPSG:25832 --source-id id"

run traveltime --friction "$TMP/f.tif" $S --output "$TMP/t.tif" --nearest "$TMP/n.tif" -q
[ "$rc" = 0 ] && [ -s "$TMP/t.tif" ] && [ -s "$TMP/n.tif" ]; ok $? "a good run exits 0 and writes both rasters"
v=$(gdallocationinfo -valonly "$TMP/t.tif" 2 2)
[ "$v" = 2 ]; ok $? "the middle cell is 2 minutes from both sources (got $v)"
v=$(gdallocationinfo -valonly "$TMP/n.tif" 2 2)
[ "$v" = 40 ]; ok $? "the tie goes to the first source in the file, id 40 (got $v)"
v=$(gdallocationinfo -valonly "$TMP/n.tif" 4 0)
[ "$v" = 7 ]; ok $? "the east corner goes to id 7 (got $v)"
gdalinfo "$TMP/t.tif" | grep -q 'NoData Value=nan'; ok $? "the minutes raster has nodata NaN"

cp "$TMP/t.tif" "$TMP/keep.tif"
expect_fail 1 "t.tif: exists already (use --overwrite" "" "an existing output" -- \
  traveltime --friction "$TMP/f.tif" $S --output "$TMP/t.tif" -q
cmp -s "$TMP/t.tif" "$TMP/keep.tif"; ok $? "the existing output is untouched"
run traveltime --friction "$TMP/f.tif" $S --output "$TMP/t.tif" --overwrite -q
[ "$rc" = 0 ]; ok $? "--overwrite replaces it"

expect_fail 2 "required" "" "no --output" -- traveltime --friction "$TMP/f.tif" $S
expect_fail 2 "unknown option '--frob'" "" "an unknown option" -- \
  traveltime --friction "$TMP/f.tif" $S --frob --output "$TMP/x.tif"
expect_fail 2 "'soon' is not a positive number" "" "a bad --max-minutes" -- \
  traveltime --friction "$TMP/f.tif" $S --max-minutes soon --output "$TMP/x.tif"
expect_fail 1 "far.csv: feature 2 (id '8'): (700000.00, 6099750.00) lies outside the raster" \
  "$TMP/out1.tif" "a source outside the raster" -- \
  traveltime --friction "$TMP/f.tif" --sources "$TMP/far.csv" --x x --y y --srs EPSG:25832 \
  --source-id id --output "$TMP/out1.tif"
expect_fail 1 "onwall.csv: feature 1 (id '40'): (600250.00, 6099950.00) lies on a barrier" \
  "$TMP/out2.tif" "a source on a barrier" -- \
  traveltime --friction "$TMP/wall.tif" --sources "$TMP/onwall.csv" --x x --y y \
  --srs EPSG:25832 --source-id id --output "$TMP/out2.tif"
expect_fail 1 "neg.tif: row 1, column 3: friction -0.5 is negative" "$TMP/out3.tif" \
  "a negative friction" -- traveltime --friction "$TMP/neg.tif" $S --output "$TMP/out3.tif"
expect_fail 1 "nocrs.tif: the raster has no CRS" "$TMP/out4.tif" "a friction raster without CRS" -- \
  traveltime --friction "$TMP/nocrs.tif" $S --output "$TMP/out4.tif"
expect_fail 1 "nanf.tif: .*NaN" "$TMP/out4b.tif" "a NaN friction that is not declared nodata" -- \
  traveltime --friction "$TMP/nanf.tif" $S --output "$TMP/out4b.tif"
: >"$TMP/nosrc.csv"
expect_fail 1 "nosrc.csv" "$TMP/out4c.tif" "an empty source layer" -- \
  traveltime --friction "$TMP/f.tif" --sources "$TMP/nosrc.csv" --output "$TMP/out4c.tif"
expect_fail 1 "nosuch.csv" "$TMP/out5.tif" "missing sources" -- \
  traveltime --friction "$TMP/f.tif" --sources "$TMP/nosuch.csv" --output "$TMP/out5.tif"
expect_fail 1 "no field 'ident'" "$TMP/out6.tif" "an unknown --source-id" -- \
  traveltime --friction "$TMP/f.tif" --sources "$TMP/s.csv" --x x --y y --srs EPSG:25832 \
  --source-id ident --output "$TMP/out6.tif"
printf 'id,x,y\n1,600050,6099950\n' >"$TMP/nw.csv"
run traveltime --friction "$TMP/wall.tif" --sources "$TMP/nw.csv" --x x --y y --srs EPSG:25832 \
  --output "$TMP/m.tif" --max-minutes 4 -q
a=$(gdallocationinfo -valonly "$TMP/m.tif" 1 0); b=$(gdallocationinfo -valonly "$TMP/m.tif" 3 0)
[ "$rc" = 0 ] && [ "$a" = 1 ] && [ "$b" = nan ]
ok $? "--max-minutes 4: 1 min beside the source kept, 1+3*sqrt(2) round the wall cut (got $a, $b)"
run traveltime --friction "$TMP/wall.tif" --sources "$TMP/nw.csv" --x x --y y --srs EPSG:25832 \
  --output "$TMP/m2.tif" -q
b=$(gdallocationinfo -valonly "$TMP/m2.tif" 3 0)
[ "$rc" = 0 ] && awk -v v="$b" 'BEGIN { exit !(v > 5.242635 && v < 5.242645) }'; ok $? "without it, round the wall 1+3*sqrt(2) (got $b)"
echo "1..$n"
