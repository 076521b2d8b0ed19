#!/bin/sh
# gpcov map for one region and the threat map's rules: --where draws only
# the units an expression selects (and says how many of how many), an
# empty selection or an unknown field is an error naming the expression
# and leaves nothing behind; a threat layer's rules and their resolved
# thresholds go under the map in readable Danish.
. "$(dirname "$0")/lib.sh"

# two units in region 1081, one in 1084 and one east of 800 km (a Bornholm)
sq() { # key name region value x0 y0
  printf '{"type":"Feature","properties":{"komkode":"%s","name":"%s","region_code":"%s","v":%s,"pop":100},"geometry":{"type":"Polygon","coordinates":[[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]}}' \
    "$1" "$2" "$3" "$4" "$5" "$6" $(($5+30000)) "$6" $(($5+30000)) $(($6+30000)) "$5" $(($6+30000)) "$5" "$6"
}
{
  printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[\n'
  sq 0851 Aalborg 1081 10 540000 6300000; printf ',\n'
  sq 0849 Jammerbugt 1081 12 510000 6300000; printf ',\n'
  sq 0101 København 1084 5 700000 6150000; printf ',\n'
  sq 0400 Bornholm 1084 20 870000 6120000; printf '\n]}\n'
} >"$TMP/u.geojson"
P='field=v,title=Værdi,breaks=quantile,classes=2'

run map --input "$TMP/u.geojson" --where "region_code = '1081'" --panel "$P" --decimal-comma \
  --output "$TMP/nord.png" --output "$TMP/nord.svg"
[ "$rc" = 0 ] && [ -s "$TMP/nord.png" ]; ok $? "--where: exits 0 and writes the map ($err)"
printf '%s' "$err" | grep -q "drew 2 of 4 units, where region_code = '1081'"
ok $? "--where: says it drew 2 of the 4 units ($err)"
run map -q --input "$TMP/u.geojson" --panel "$P" --output "$TMP/all.png"
# the PNG's height (IHDR bytes 20-23): two units side by side make a wide,
# low map; all four, with a Bornholm box, a taller one
h() { od -An -tu1 -j20 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'; }
[ "$(h "$TMP/nord.png")" -lt "$(h "$TMP/all.png")" ]
ok $? "--where zooms to the selection: the page is lower ($(h "$TMP/nord.png") < $(h "$TMP/all.png") px)"

expect_fail 1 "u.geojson: --where 'region_code = '9999'' selects none of the 4 features" \
  "$TMP/none.png" "an empty selection" -- \
  map -q --input "$TMP/u.geojson" --where "region_code = '9999'" --panel "$P" --output "$TMP/none.png"
expect_fail 2 "unknown field 'regoin_code'; did you mean 'region_code'?" "$TMP/typo.png" \
  "a field the layer lacks" -- \
  map -q --input "$TMP/u.geojson" --where "regoin_code = '1081'" --panel "$P" --output "$TMP/typo.png"
expect_fail 2 "--labels: .* has no text field 'navn'" "$TMP/nolab.png" "--labels without the field" -- \
  map -q --input "$TMP/u.geojson" --labels --label-field navn --panel "$P" --output "$TMP/nolab.png"

# the threat map: rules and resolved thresholds under the map.  The
# weighted mean of v is (10 + 12 + 5 + 20) / 4 = 11.75; + 1 = 12.75
run threat --units "$TMP/u.geojson" --rule 'ageing: v > wmean(v, pop) + 1' \
  --rule 'crowded: patients_per_capacity > 1600' --optional crowded --weight crowded=2 \
  --rule 'big: pop > 1600' --combine score --threshold 0.5 --output "$TMP/threat.gpkg"
[ "$rc" = 0 ]; ok $? "threat on the fixture ($err)"
run map --input "$TMP/threat.gpkg" --panel 'field=threat_score,breaks=fixed:0,0.5,1' --decimal-comma \
  --rule-label ageing=aldring --rule-label 'v=andel 80+ i 2035|%' --rule-label crowded=overfyldt \
  --output "$TMP/threat.png"
[ "$rc" = 0 ]; ok $? "the threat map exits 0 ($err)"
want="under the map: Regler: aldring: andel 80+ i 2035 > 12,75 % (vægtet gennemsnit + 1); overfyldt: ikke brugt, patients_per_capacity mangler; big: pop > 1.600. Truet når de regler, der slår til, bærer mindst halvdelen af vægten."
printf '%s\n' "$err" | grep -qxF "$want"; ok $? "the rules in Danish, thresholds resolved ($err)"
run map -q --input "$TMP/threat.gpkg" --panel 'field=threat_score,breaks=fixed:0,0.5,1' \
  --no-rules-note --output "$TMP/threat2.png"
cmp -s "$TMP/threat.png" "$TMP/threat2.png"; [ $? != 0 ]
ok $? "--no-rules-note draws a different map (without the paragraph)"
echo "1..$n"
