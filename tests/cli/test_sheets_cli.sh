#!/bin/sh
# Tables people open as they are: every command that writes a table writes
# .xlsx through the one layer writer (codes text, numbers numeric, a missing
# value an empty cell), --csv danish gives the CSV Danish Excel opens right
# (BOM, semicolons, decimal comma, ="0101"), neither replaces a file without
# --overwrite, and the key is komkode with regionkode and regionnavn beside
# it (overlay --regions, carried by threat and fee).
. "$(dirname "$0")/lib.sh"

CRS='"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}}'
sq() { # sq CODE NAME X0: a 10 km square at x = X0 km
  printf '{"type":"Feature","properties":{"code":"%s","name":"%s"},"geometry":{"type":"Polygon","coordinates":[[[%d,6170000],[%d,6170000],[%d,6180000],[%d,6180000],[%d,6170000]]]}}' \
    "$1" "$2" "$3000" "$(($3 + 10))000" "$(($3 + 10))000" "$3000" "$3000"
}
{ printf '{"type":"FeatureCollection",%s,"features":[\n' "$CRS"
  sq 0101 København 700; printf ',\n'; sq 0147 Frederiksberg 710; printf ',\n'; sq 0825 Læsø 720
  printf ']}\n'; } >"$TMP/munis.geojson"
# two regions: 1084 over the first two squares, 1081 over the third
cat >"$TMP/regions.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"code":"1084","name":"Region Hovedstaden"},"geometry":{"type":"Polygon","coordinates":[[[700000,6170000],[720000,6170000],[720000,6180000],[700000,6180000],[700000,6170000]]]}},
{"type":"Feature","properties":{"code":"1081","name":"Region Nordjylland"},"geometry":{"type":"Polygon","coordinates":[[[720000,6170000],[730000,6170000],[730000,6180000],[720000,6180000],[720000,6170000]]]}}]}
G
# share 2.07 for 0101; 0825 has no patients (missing, not 0)
printf 'kommune,share,patients,designated\n101,2.07,632340,1\n147,-0.5,104305,0\n825,17.5,,1\n' >"$TMP/t.csv"

# xlsx_cell FILE LAYER KEY FIELD: the cell's value as ogrinfo prints it ("" when unset)
xlsx_cell() {
  OGR_XLSX_HEADERS=FORCE ogrinfo -q "$1" -sql "SELECT $4 FROM \"$2\" WHERE komkode = '$3'" 2>/dev/null |
    sed -n "s/^  $4 (.*) = //p"
}
# xlsx_type FILE LAYER FIELD: the field's OGR type
xlsx_type() {
  OGR_XLSX_HEADERS=FORCE ogrinfo -so "$1" "$2" 2>/dev/null | sed -n "s/^$3: \([A-Za-z]*\).*/\1/p"
}

# --- overlay: .xlsx and a Danish CSV, with the region beside the key
run overlay --polygons "$TMP/munis.geojson" --name-field name --regions "$TMP/regions.geojson" \
  --table "$TMP/t.csv" --key code=kommune --field share=share --field patients=patients \
  --field designated=designated \
  --output "$TMP/m.xlsx" --output "$TMP/m.csv" --csv danish -q
[ "$rc" = 0 ]; ok $? "overlay writes .xlsx and a Danish CSV ($err)"
[ "$(xlsx_type "$TMP/m.xlsx" m komkode)" = String ] && [ "$(xlsx_cell "$TMP/m.xlsx" m 0101 komkode)" = 0101 ]
ok $? "xlsx: komkode is text and keeps its zero (0101)"
[ "$(xlsx_type "$TMP/m.xlsx" m share)" = Real ] && [ "$(xlsx_cell "$TMP/m.xlsx" m 0101 share)" = 2.07 ]
ok $? "xlsx: share is a number, 2.07"
[ "$(xlsx_cell "$TMP/m.xlsx" m 0101 patients)" = 632340 ] && [ -z "$(xlsx_cell "$TMP/m.xlsx" m 0825 patients)" ]
ok $? "xlsx: 632340 patients for 0101, an empty cell (not 0) for 0825"
[ "$(xlsx_cell "$TMP/m.xlsx" m 0825 regionkode)" = 1081 ] &&
  [ "$(xlsx_cell "$TMP/m.xlsx" m 0825 regionnavn)" = "Region Nordjylland" ] &&
  [ "$(xlsx_cell "$TMP/m.xlsx" m 0147 regionnavn)" = "Region Hovedstaden" ]
ok $? "regionkode and regionnavn beside komkode (0825 in 1081 Region Nordjylland)"
want=$(printf '\357\273\277"komkode";"name";"regionkode";"regionnavn";"share";"patients";"designated"\r\n="0101";"København";="1084";"Region Hovedstaden";2,07;632340;1\r\n="0147";"Frederiksberg";="1084";"Region Hovedstaden";-0,5;104305;0\r\n="0825";"Læsø";="1081";"Region Nordjylland";17,5;;1\r\nx')
[ "$(cat "$TMP/m.csv"; printf x)" = "$want" ]
ok $? "Danish CSV: BOM, semicolons, decimal comma, codes as =\"0101\", empty for missing, CRLF"
[ $? = 0 ] || od -c "$TMP/m.csv" | head -12 | sed 's/^/#   /'

# gpcov reads its own Danish CSV back: ="0101" is 0101, 2,07 is 2.07
run overlay --polygons "$TMP/munis.geojson" --table "$TMP/m.csv" --key code=komkode --field share=share \
  --field r=regionkode --output "$TMP/back.csv" -q
[ "$rc" = 0 ] && [ "$(sed -n 2p "$TMP/back.csv")" = "0101,2.07,1084" ] && [ "$(sed -n 4p "$TMP/back.csv")" = "0825,17.5,1081" ]
ok $? "the Danish CSV reads back into gpcov: codes, decimal comma ($err$(sed -n 2p "$TMP/back.csv"))"

# --- an existing .xlsx is not replaced without --overwrite
sum=$(cksum <"$TMP/m.xlsx")
run overlay --polygons "$TMP/munis.geojson" --table "$TMP/t.csv" --key code=kommune --field share=share \
  --output "$TMP/m.xlsx" -q
[ "$rc" = 1 ] && printf '%s' "$err" | grep -q "m.xlsx: exists already (use --overwrite" &&
  [ "$(cksum <"$TMP/m.xlsx")" = "$sum" ]
ok $? "an existing .xlsx is refused and left as it was ($err)"
run overlay --polygons "$TMP/munis.geojson" --table "$TMP/t.csv" --key code=kommune --field share=share \
  --output "$TMP/m.xlsx" --overwrite -q
[ "$rc" = 0 ] && [ -z "$(xlsx_cell "$TMP/m.xlsx" m 0101 regionkode)" ] && [ "$(xlsx_cell "$TMP/m.xlsx" m 0101 share)" = 2.07 ]
ok $? "and replaced with --overwrite"
run overlay --polygons "$TMP/munis.geojson" --table "$TMP/t.csv" --key code=kommune --field share=share \
  --output "$TMP/m.csv" --csv excel -q
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q -- "--csv 'excel': plain or danish"; ok $? "--csv excel: a usage error"

# --- threat: the layer and the agreement as .xlsx, the region carried
run overlay --polygons "$TMP/munis.geojson" --name-field name --regions "$TMP/regions.geojson" \
  --table "$TMP/t.csv" --key code=kommune --field share=share --field patients=patients \
  --field capacities=patients --field designated_2019=designated --output "$TMP/u.gpkg" -q
printf 'kommune_code\n0101\n0825\n' >"$TMP/plo.csv"
run threat --units "$TMP/u.gpkg" --rule 'old: share > 10' --designation "$TMP/plo.csv" \
  --agreement "$TMP/agr.xlsx" --output "$TMP/threat.xlsx" -q
[ "$rc" = 0 ] && [ "$(xlsx_cell "$TMP/threat.xlsx" threat 0825 threatened)" = 1 ] &&
  [ "$(xlsx_cell "$TMP/threat.xlsx" threat 0825 regionnavn)" = "Region Nordjylland" ]
ok $? "threat: .xlsx with the verdict and regionnavn beside the key ($err)"
[ "$(xlsx_cell "$TMP/agr.xlsx" agr 0101 side)" = "designation only" ] &&
  [ "$(xlsx_cell "$TMP/agr.xlsx" agr 0101 threatened)" = 0 ]
ok $? "threat --agreement: .xlsx, 0101 on the designation's side only"

# --- fee: .xlsx and a Danish CSV, the region carried
printf 'area_code,age,men,women\n0000,79,450,450\n101,79,40,35\n147,79,50,37\n825,79,50,50\n' >"$TMP/age.csv"
run fee --units "$TMP/u.gpkg" --age-table "$TMP/age.csv" --budget 1000 --designated-share 100 \
  --weight-share 0 --exclude 0825 \
  --output "$TMP/fee.xlsx" --output "$TMP/fee.csv" --csv danish -q
[ "$rc" = 0 ]; ok $? "fee writes .xlsx and a Danish CSV ($err)"
t=$(xlsx_cell "$TMP/fee.xlsx" fee 0101 total_dkk)
[ "$t" = 1000 ] && [ -z "$(xlsx_cell "$TMP/fee.xlsx" fee 0825 total_dkk)" ] &&
  [ -n "$(xlsx_cell "$TMP/fee.xlsx" fee 0825 fee_reason)" ]
ok $? "fee.xlsx: the whole 1000 DKK to 0101 ($t), empty with a reason for the excluded 0825"
sed -n 2p "$TMP/fee.csv" | grep -q '^="0101";"København";="1084";"Region Hovedstaden";' &&
  sed -n 4p "$TMP/fee.csv" | grep -q '^="0825";"Læsø";="1081";'
ok $? "fee.csv (Danish): key, name, regionkode, regionnavn as text"

# --- query and access: the same writer
run query --input "$TMP/u.gpkg" --where "share > 0" --output "$TMP/q.xlsx" -q
[ "$rc" = 0 ] && [ "$(xlsx_cell "$TMP/q.xlsx" q 0825 share)" = 17.5 ] && [ -z "$(xlsx_cell "$TMP/q.xlsx" q 0147 share)" ]
ok $? "query --output .xlsx: the units where the condition holds ($err)"
printf 'id,x,y,cap\nA,705000,6175000,10\n' >"$TMP/supply.csv"
cat >"$TMP/people.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"pop":100},"geometry":{"type":"Point","coordinates":[705000,6175000]}},
{"type":"Feature","properties":{"pop":50},"geometry":{"type":"Point","coordinates":[725000,6175000]}}]}
G
run access --straight-line --speed 60 --detour 1 --extent "$TMP/munis.geojson" --resolution 5000 \
  --supply "$TMP/supply.csv" --x x --y y --srs EPSG:25832 --supply-id id --capacity-field cap \
  --demand "$TMP/people.geojson" --demand-field pop --d0 100 \
  --supply-output "$TMP/s.xlsx" --units "$TMP/munis.geojson" --units-key code --units-name name \
  --units-output "$TMP/units.xlsx" -q
[ "$rc" = 0 ] && [ "$(xlsx_cell "$TMP/units.xlsx" units 0101 name)" = "København" ] &&
  OGR_XLSX_HEADERS=FORCE ogrinfo -q "$TMP/s.xlsx" s 2>/dev/null | grep -q '^  capacity (Integer) = 10$'
ok $? "access: the supply and units tables as .xlsx, the units' key named komkode ($err)"
echo "1..$n"
