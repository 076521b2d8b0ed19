#!/bin/sh
# gpcov population from the command line: the real run, and its errors.
. "$(dirname "$0")/lib.sh"
T="--polygons shapefiles/kommuner.shp --table $DATA/dst/folk1a_2020q1_area_age_sex.csv --key code=area_code"
W="level in ('kommune','other')"
P="$DATA/osm/places_with_population_2019.csv"
# shellcheck disable=SC2086
run population -q $T --where "$W" --agg "pop=sum(total)" --agg "pop80=sum(total) where age >= 80" \
  --places "$P" --places-where "place <> 'suburb'" --demand "demand=pop + 1.5 * pop80" --output "$TMP/p.gpkg"
[ "$rc" = 0 ]; ok $? "population on the real data ($err)"
s=$(ogrinfo -ro -q "$TMP/p.gpkg" -dialect sqlite -sql "SELECT SUM(pop) AS s, SUM(pop80) AS s80 FROM p" | sed -n 's/.* = //p' | tr '\n' ' ')
[ "$s" = "5822763 272326 " ]; ok $? "Denmark 5,822,763, of whom 272,326 aged 80+ ($s)"
# shellcheck disable=SC2086
expect_fail 2 "required" "" "no places" -- population $T --where "$W" --agg "pop=sum(total)" --output "$TMP/e1.gpkg"
# shellcheck disable=SC2086
expect_fail 2 "'age' is not a group" "$TMP/e2.gpkg" "demand on an unknown group" -- \
  population $T --where "$W" --agg "pop=sum(total)" --places "$P" --demand "d=pop + age" --output "$TMP/e2.gpkg"
# shellcheck disable=SC2086
expect_fail 1 "not a whole number of people" "$TMP/e3.gpkg" "a total that is not whole people" -- \
  population $T --where "$W" --agg "pop=mean(total)" --places "$P" --output "$TMP/e3.gpkg"
# shellcheck disable=SC2086
expect_fail 2 "expression" "$TMP/e4.gpkg" "a bad --places-where" -- \
  population $T --where "$W" --agg "pop=sum(total)" --places "$P" --places-where "place <>" --output "$TMP/e4.gpkg"
# shellcheck disable=SC2086
expect_fail 1 "exists already" "" "an existing output" -- \
  population $T --where "$W" --agg "pop=sum(total)" --places "$P" --output "$TMP/p.gpkg"
# shellcheck disable=SC2086
expect_fail 2 "name it .tif" "$TMP/w.gpkg" "a weight raster's output named .gpkg (was: TIFF bytes in a .gpkg)" -- \
  population $T --where "$W" --agg "pop=sum(total)" --group pop --weights-raster "$TMP/w.tif" --output "$TMP/w.gpkg"
echo "1..$n"
