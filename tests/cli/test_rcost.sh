#!/bin/sh
# gpcov traveltime against GRASS r.cost, cell by cell: random friction grids
# (square and non-square cells, some nodata barriers, several sources), with
# 8 moves, with knight's moves (-k) and with a maximum cost.  Costs must
# agree to 1e-4 relative in every cell, the same cells must be reachable and
# the nearest source must be the same.  Skipped, without counting as a
# pass, when GRASS is not installed.
#
# r.cost's input is cost per cell width (it multiplies by the distance in
# units of the east-west resolution), so it gets friction x ewres().  Its
# max_cost leaves tentative costs in the cells it had queued when it
# stopped; cells above max_cost in its output count as unreachable.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v grass >/dev/null 2>&1; then
  echo "# SKIP: GRASS r.cost not installed, equality test not run"
  exit 0
fi

run traveltime --help
[ "$rc" = 0 ]; ok $? "gpcov traveltime is a command (register cmd_traveltime in tools/main.c)"
[ "$rc" = 0 ] || { echo "1..$n"; exit 1; }

cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L $(pkg-config --cflags gdal) \
  -o "$TMP/gridtool" "$here/../helpers/gridtool.c" $(pkg-config --libs gdal) -lm
ok $? "the comparison helper builds"

# fixture NAME NX NY DX DY SEED NSRC NNODATA
fixture() {
  "$TMP/gridtool" random "$TMP/$1.tif" "$TMP/$1.csv" "$2" "$3" "$4" "$5" "$6" "$7" "$8"
}
fixture sq 200 150 100 100 1 5 60 && fixture rect 120 90 100 50 2 4 40
ok $? "random friction grids: 200 x 150 (100 m), 120 x 90 (100 x 50 m)"

MAX=40
cat >"$TMP/grass.sh" <<EOF
set -e
for f in sq rect; do
  r.in.gdal --quiet input="$TMP/\$f.tif" output=f_\$f
  g.region raster=f_\$f
  r.mapcalc --quiet "c_\$f = f_\$f * ewres()"
  v.in.ascii --quiet input="$TMP/\$f.csv" output=s_\$f separator=comma skip=1 x=2 y=3 cat=1
  r.cost --quiet input=c_\$f output=a8 nearest=n8 start_points=s_\$f
  r.cost --quiet -k input=c_\$f output=a16 nearest=n16 start_points=s_\$f
  r.cost --quiet input=c_\$f output=am nearest=nm start_points=s_\$f max_cost=$MAX
  for m in a8 a16 am; do
    r.out.gdal --quiet -c input=\$m output="$TMP/\${f}_\${m}_rcost.tif" type=Float64
  done
  for m in n8 n16 nm; do
    r.out.gdal --quiet -c input=\$m output="$TMP/\${f}_\${m}_rcost.tif" type=Int32
  done
  g.remove --quiet -f type=raster name=a8,a16,am,n8,n16,nm
done
EOF
grass --tmp-location EPSG:25832 --exec sh "$TMP/grass.sh" >"$TMP/grass.log" 2>&1
r=$?
ok $r "GRASS r.cost runs (r.cost, r.cost -k, r.cost max_cost=$MAX)"
[ $r = 0 ] || sed 's/^/#   /' "$TMP/grass.log" | tail -20

for f in sq rect; do
  for v in 8 16 m; do
    case $v in
      8) opts= ; what="8 moves" ;;
      16) opts=--knight; what="knight's moves" ;;
      m) opts="--max-minutes $MAX"; what="max $MAX minutes" ;;
    esac
    run traveltime --friction "$TMP/$f.tif" --sources "$TMP/$f.csv" --x x --y y \
      --srs EPSG:25832 --source-id id --output "$TMP/${f}_a${v}.tif" \
      --nearest "$TMP/${f}_n${v}.tif" $opts -q
    [ "$rc" = 0 ]; ok $? "$f, $what: gpcov traveltime runs"
    [ "$rc" = 0 ] || printf '#   %s\n' "$err"
    cmpopts=
    [ $v = m ] && cmpopts="--max-cost $MAX"
    out=$("$TMP/gridtool" compare "$TMP/${f}_a${v}.tif" "$TMP/${f}_a${v}_rcost.tif" \
      --near "$TMP/${f}_n${v}.tif" "$TMP/${f}_n${v}_rcost.tif" $cmpopts 2>&1)
    r=$?
    printf '%s\n' "$out" | sed 's/^# //; s/^/# /'
    ok $r "$f, $what: equal to r.cost in every cell (1e-4 relative), same reach, same nearest"
  done
done
echo "1..$n"
