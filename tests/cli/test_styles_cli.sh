#!/bin/sh
# QGIS styles in the GeoPackages (gpcov map --style-into): exit codes,
# messages and nothing changed on failure; on the main job, every
# GeoPackage a map draws carries its styles, one default per layer, with
# the figure's quantile breaks recomputed here from the layer's values and
# its labels; when QGIS's Python bindings are installed, QGIS itself loads
# every layer with its styles and colours each feature by gpcov's classes.
. "$(dirname "$0")/lib.sh"
# the value of a field of the rows an SQL query on a GeoPackage returns
# (a value may run over several lines: a QML)
sql() {
  ogrinfo -q -ro -sql "$2" "$1" 2>/dev/null |
    awk '/^  [^ <][^=]*\) = / { sub(/^  [^ <][^=]*\) = /, ""); print; on = 1; next }
         /^$/ || /^OGRFeature/ { on = 0; next }
         on { print }'
}

cat >"$TMP/sq.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"komkode":"0101","v":1.5,"flag":1},"geometry":{"type":"Polygon","coordinates":[[[500000,6100000],[510000,6100000],[510000,6110000],[500000,6110000],[500000,6100000]]]}},
{"type":"Feature","properties":{"komkode":"0147","v":4.5,"flag":0},"geometry":{"type":"Polygon","coordinates":[[[510000,6100000],[520000,6100000],[520000,6110000],[510000,6110000],[510000,6100000]]]}},
{"type":"Feature","properties":{"komkode":"0151","v":null,"flag":1},"geometry":{"type":"Polygon","coordinates":[[[520000,6100000],[530000,6100000],[530000,6110000],[520000,6110000],[520000,6100000]]]}}]}
G
ogr2ogr -f GPKG "$TMP/sq.gpkg" "$TMP/sq.geojson" -nln sq
ogr2ogr -f GPKG "$TMP/nov.gpkg" "$TMP/sq.geojson" -nln nov -select komkode,flag
P='field=v,breaks=fixed:0,2,5,decimals=0,unit=%'
Q='field=flag,categorical,true=Ja,false=Nej'

run map -q --input "$TMP/sq.gpkg" --panel "$P" --panel "$Q" --output "$TMP/m.png" --style-into "$TMP/sq.gpkg"
[ "$rc" = 0 ]; ok $? "map --style-into exits 0 ($err)"
[ "$(sql "$TMP/sq.gpkg" "select styleName from layer_styles order by id" | tr '\n' ' ')" = "v flag " ]
ok $? "one style per panel, named after its field"
[ "$(sql "$TMP/sq.gpkg" "select count(*) from layer_styles where useAsDefault = 1 and styleName = 'v' and f_table_name = 'sq' and f_geometry_column = 'geom'")" = 1 ]
ok $? "the first panel's style is the one default, on table sq, column geom"
sql "$TMP/sq.gpkg" "select styleQML from layer_styles where styleName = 'v'" >"$TMP/v.qml"
grep -q '<range lower="0" upper="2" symbol="0" label="0 – 2 %"' "$TMP/v.qml" &&
  grep -q '<range lower="2" upper="5" symbol="1" label="2 – 5 %"' "$TMP/v.qml"
ok $? "the QML holds the fixed classes with the legend's labels"
[ "$(sql "$TMP/sq.gpkg" "select data_type from gpkg_contents where table_name = 'layer_styles'")" = attributes ]
ok $? "layer_styles is registered in gpkg_contents as an attributes table"
run map -q --input "$TMP/sq.gpkg" --panel "$P" --output "$TMP/first.png"
[ "$rc" = 0 ]; ok $? "the styled GeoPackage still reads as the map's input (first layer)"

cp "$TMP/sq.gpkg" "$TMP/keep.gpkg"
expect_fail 1 "sq.gpkg: layer 'sq' has a style 'v' already (use --overwrite" "$TMP/again.png" \
  "an existing style without --overwrite" -- \
  map -q --input "$TMP/sq.gpkg" --panel "$P" --output "$TMP/again.png" --style-into "$TMP/sq.gpkg"
cmp -s "$TMP/sq.gpkg" "$TMP/keep.gpkg"; ok $? "... leaves the GeoPackage untouched"
expect_fail 1 "m.png: exists already" "" "an existing map without --overwrite" -- \
  map -q --input "$TMP/sq.gpkg" --panel "$Q" --output "$TMP/m.png" --style-into "$TMP/nov.gpkg"
expect_fail 1 "nov.gpkg: layer 'nov' has no field 'v' to style" "$TMP/nofield.png" "a styled layer without the field" -- \
  map -q --input "$TMP/sq.gpkg" --panel "$P" --output "$TMP/nofield.png" --style-into "$TMP/nov.gpkg"
[ -z "$(sql "$TMP/nov.gpkg" "select name from sqlite_master where name = 'layer_styles'")" ]
ok $? "... and neither failure wrote styles into it"
ls -a "$TMP" | grep -q '\.tmp'; [ $? = 1 ]; ok $? "no temporary copy of a GeoPackage left"
expect_fail 1 "none.gpkg: no such GeoPackage to style" "$TMP/none.png" "a missing GeoPackage" -- \
  map -q --input "$TMP/sq.gpkg" --panel "$P" --output "$TMP/none.png" --style-into "$TMP/none.gpkg"
[ ! -e "$TMP/none.gpkg" ]; ok $? "... is not created"
expect_fail 2 "sq.shp: styles go into a GeoPackage (.gpkg)" "$TMP/shp.png" "styles into a shapefile" -- \
  map -q --input "$TMP/sq.gpkg" --panel "$P" --output "$TMP/shp.png" --style-into "$TMP/sq.shp"
run map -q --input "$TMP/sq.gpkg" --panel "$P" --panel "$Q" --output "$TMP/m.png" --style-into "$TMP/sq.gpkg" --overwrite
[ "$rc" = 0 ] && [ "$(sql "$TMP/sq.gpkg" "select count(*) from layer_styles")" = 2 ]
ok $? "--overwrite replaces the styles: still two"

# the main job
run report reports/denmark.ini -q --set data="$DATA" --set out="$TMP/r"
[ "$rc" = 0 ]; ok $? "the main job runs"
[ "$rc" = 0 ] || printf '%s\n' "$err" | sed 's/^/#   /'
for spec in municipalities:share80_2035,designated_2019 commute_bands:minutes access:pop_per_capacity \
            threat:threat_score,verdict fee:total_dkk,dkk_per_patient; do
  layer=${spec%%:*}; styles=${spec#*:}
  g="$TMP/r/$layer.gpkg"
  got=$(sql "$g" "select styleName from layer_styles where f_table_name = '$layer' and f_geometry_column = 'geom' order by id" | tr '\n' ',')
  [ "$got" = "$styles," ]; ok $? "$layer.gpkg: styles $styles on layer $layer (got $got)"
  d=$(sql "$g" "select group_concat(styleName) from layer_styles where useAsDefault = 1")
  [ "$d" = "${styles%%,*}" ]; ok $? "$layer.gpkg: exactly one default, ${styles%%,*} (got $d)"
done
# figure 3.8 (a): quantile breaks (type 7) of share80_2035, recomputed here
sql "$TMP/r/municipalities.gpkg" "select share80_2035 from municipalities where share80_2035 is not null order by share80_2035" >"$TMP/v.txt"
want=$(awk '{x[NR-1]=$1} END {n=NR; for (c=0;c<=5;c++) {h=(n-1)*c/5; lo=int(h); f=h-lo; v=(lo+1<n)?x[lo]+f*(x[lo+1]-x[lo]):x[lo]; printf "%.9g ", v}}' "$TMP/v.txt")
sql "$TMP/r/municipalities.gpkg" "select styleQML from layer_styles where styleName = 'share80_2035'" >"$TMP/s.qml"
got=$(sed -n 's/.*<range lower="\([^"]*\)" upper="\([^"]*\)".*/\1 \2/p' "$TMP/s.qml" |
  awk '{lo[NR]=$1; hi[NR]=$2} END {for (i=1;i<=NR;i++) printf "%.9g ", lo[i]; printf "%.9g ", hi[NR]}')
[ "$got" = "$want" ]; ok $? "figure 3.8 (a): the style's ranges are the 5 quantile classes of share80_2035 ($got)"
labels=$(echo "$want" | awk '{for (c=1;c<=5;c++) {a=sprintf("%.1f",$c); b=sprintf("%.1f",$(c+1)); gsub(/\./,",",a); gsub(/\./,",",b); printf "%s – %s %%|", a, b}}')
got=$(sed -n 's/.*<range [^>]*label="\([^"]*\)".*/\1/p' "$TMP/s.qml" | tr '\n' '|')
[ "$got" = "$labels" ]; ok $? "figure 3.8 (a): the labels are the legend's ($got)"
grep -q '<Option name="color" type="QString" value="' "$TMP/s.qml" && [ "$(grep -c '<Option name="color"' "$TMP/s.qml")" = 5 ]
ok $? "figure 3.8 (a): five fills"
sql "$TMP/r/commute_bands.gpkg" "select styleQML from layer_styles" >"$TMP/b.qml"
grep -q 'type="graduatedSymbol" attr="minutes"' "$TMP/b.qml" && grep -q 'lower="60" upper="120".*label="60 – 120 min"' "$TMP/b.qml" &&
  grep -q 'lower="120" upper="1.79[0-9.e+]*".*label="&gt; 120 min"' "$TMP/b.qml"
ok $? "commute bands: ranges to 30, 60, 120 and '> 120 min' as a class of its own, not no data"
sql "$TMP/r/threat.gpkg" "select styleQML from layer_styles where styleName = 'verdict'" >"$TMP/v.qml"
grep -q 'type="categorizedSymbol" attr="verdict"' "$TMP/v.qml" && grep -q '<val value="true"' "$TMP/v.qml"
ok $? "threat: the verdict style is categorized on the text verdict"

if QT_QPA_PLATFORM=offscreen /usr/bin/python3 -c 'import qgis.core' 2>/dev/null; then
  QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$TMP" /usr/bin/python3 "$(dirname "$0")/../qgis/check_styles.py" \
    "$TMP/r/municipalities.gpkg:municipalities:share80_2035,designated_2019" \
    "$TMP/r/commute_bands.gpkg:commute_bands:minutes" "$TMP/r/access.gpkg:access:pop_per_capacity" \
    "$TMP/r/threat.gpkg:threat:threat_score,verdict" "$TMP/r/fee.gpkg:fee:total_dkk,dkk_per_patient" 2>"$TMP/qgis.err"
  [ $? = 0 ] || { echo "not ok - QGIS check failed"; sed 's/^/#   /' "$TMP/qgis.err"; }
else
  echo "# QGIS's Python bindings (python3-qgis) are not installed: QGIS's own reading not checked"
fi
