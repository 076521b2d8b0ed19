#!/bin/sh
# A spreadsheet output: GDAL 3.6's XLSX writer fails to save under a
# directory whose name holds ".xlsx", so the layer writer (io_write.c)
# writes it in /vsimem/ and copies it to its temporary; that one detour
# serves both the private directory beside the output (whatever its name)
# and an output folder whose own name holds ".xlsx".  The rows read back
# as written and nothing temporary is left.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/u.geojson" <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"komkode":"0851","name":"Aalborg","region_code":"1081"},"geometry":{"type":"Polygon","coordinates":[[[9.9,57.0],[10.0,57.0],[10.0,57.1],[9.9,57.1],[9.9,57.0]]]}},
{"type":"Feature","properties":{"komkode":"0101","name":"København","region_code":"1084"},"geometry":{"type":"Polygon","coordinates":[[[12.5,55.6],[12.6,55.6],[12.6,55.7],[12.5,55.7],[12.5,55.6]]]}},
{"type":"Feature","properties":{"komkode":"0849","name":"Jammerbugt","region_code":"1081"},"geometry":{"type":"Polygon","coordinates":[[[9.5,57.1],[9.6,57.1],[9.6,57.2],[9.5,57.2],[9.5,57.1]]]}}]}
JSON

# rows NAME.xlsx: the komkode values of its sheet, space-separated
rows() { ogrinfo -q --config OGR_XLSX_HEADERS FORCE "$1" -sql "SELECT komkode FROM \"$(basename "$1" .xlsx)\"" 2>/dev/null |
           sed -n 's/^ *komkode ([A-Za-z]*) = //p' | tr '\n' ' '; }

for d in "$TMP/plain" "$TMP/saved.xlsx" "$TMP/x.xlsx.ods"; do
  mkdir -p "$d"
  run query -q --input "$TMP/u.geojson" --key komkode --where "region_code = '1081'" \
    --output "$d/nord.xlsx"
  v=$(rows "$d/nord.xlsx")
  [ "$rc" = 0 ] && [ "$v" = "0851 0849 " ] && [ "$(ls -a "$d" | grep -c tmp)" = 0 ]
  ok $? "an .xlsx into $(basename "$d")/: the two rows selected, nothing temporary left (got '$v'; $err)"
done
echo "1..$n"
