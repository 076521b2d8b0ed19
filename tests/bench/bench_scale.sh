#!/bin/sh
# Scale: the main job and every command at ten times the embedded data, a
# million population points and a national 50 m grid (9,000 x 7,000 cells),
# on this machine.  Prints, per step of the main job, the wall time and peak
# RSS, and checks what must still hold at that size: every municipality's
# people sum to Statistics Denmark's total, and the outputs exist.  Progress:
# the traveltime step is also run on a pseudo-terminal and its progress
# lines are counted.
#
#   SCALE_RES    grid resolution in metres (default 50)
#   SCALE_CELL   spacing of the million places in metres (default 200)
: "${GPCOV:?set GPCOV}"
RES=${SCALE_RES:-50}
CELL=${SCALE_CELL:-200}
DATA=${DATA:-../shared/data}
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 1; }
W=${BENCH_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/gpcov-scale.XXXXXX")}
mkdir -p "$W"
[ -n "$BENCH_KEEP" ] || trap 'rm -rf "$W"' EXIT
fail=0
check() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "FAILED - $2"; fail=1; fi; }

# a million places: the land cells of a 200 m grid, each weighted by its
# share of its municipality's people (gpcov population on a uniform raster),
# as a CSV with lon/lat like the OSM places
ext=$(ogrinfo -so -al shapefiles/kommuner.shp | sed -n 's/^Extent: (\([0-9.]*\), \([0-9.]*\)) - (\([0-9.]*\), \([0-9.]*\))/\1 \2 \3 \4/p')
set -- $ext
x0=$(awk -v v="$1" -v c="$CELL" 'BEGIN{printf "%d", int(v/c)*c}')
y1=$(awk -v v="$4" -v c="$CELL" 'BEGIN{printf "%d", int(v/c+1)*c}')
nx=$(awk -v a="$x0" -v b="$3" -v c="$CELL" 'BEGIN{printf "%d", int((b-a)/c)+1}')
ny=$(awk -v a="$2" -v b="$y1" -v c="$CELL" 'BEGIN{printf "%d", int((b-a)/c)+1}')
gdal_create -q -of GTiff -ot Byte -outsize "$nx" "$ny" -a_srs EPSG:25832 \
  -a_ullr "$x0" "$y1" "$((x0 + nx * CELL))" "$((y1 - ny * CELL))" -burn 1 "$W/uniform.tif" || exit 1
"$GPCOV" population -q --polygons shapefiles/kommuner.shp \
  --table "$DATA/dst/folk1a_2020q1_area_age_sex.csv" --key code=area_code \
  --where "level in ('kommune','other')" --agg "pop=sum(total)" --group pop \
  --weights-raster "$W/uniform.tif" --output "$W/people.tif" || exit 1
gdal_translate -q -of XYZ "$W/people.tif" "$W/people.xyz" || exit 1
awk '$3 != "nan" && $3 + 0 > 0 {print $1, $2}' "$W/people.xyz" |
  gdaltransform -s_srs EPSG:25832 -t_srs EPSG:4326 -output_xy >"$W/ll.txt" || exit 1
{
  echo "osm_node_id,lat,lon,name,place,population"
  awk '{printf "%d,%.6f,%.6f,cell %d,cell,1\n", NR, $2, $1, NR}' "$W/ll.txt"
} >"$W/places.csv"
rm -f "$W/people.xyz"
np=$(($(wc -l <"$W/places.csv") - 1))
echo "# places: $np points ($CELL m land cells); the embedded OSM places: $(($(wc -l <"$DATA/osm/places_with_population_2019.csv") - 1))"
[ "$np" -ge 1000000 ]; check $? "a million places or more ($np)"

# the main job's steps, each timed, at 10x: the million places and a 50 m grid
"$GPCOV" report reports/denmark.ini --dry-run --set data="$DATA" --set out="$W/out" \
  --set places="$W/places.csv" --set resolution="$RES" >"$W/steps.txt" || exit 1
mkdir -p "$W/out"
printf '%-20s %10s %12s\n' step "wall (s)" "peak RSS MB"
total=0
while IFS= read -r line; do
  case "$line" in "step "*) ;; *) continue ;; esac
  name=${line#step }; name=${name%%:*}
  cmd=${line#*: gpcov }
  eval "/usr/bin/time -f '%e %M' -o '$W/t' '$GPCOV' $cmd -q" >"$W/$name.out" 2>"$W/$name.err"
  rc=$?
  read -r t m <"$W/t" 2>/dev/null || { t=?; m=0; }
  tail -1 "$W/t" | grep -q '^[0-9]' && read -r t m <<EOT
$(tail -1 "$W/t")
EOT
  printf '%-20s %10s %12d\n' "$name" "$t" "$((m / 1024))"
  [ "$rc" = 0 ] || { echo "FAILED - step $name exited $rc: $(tail -3 "$W/$name.err")"; fail=1; }
  total=$(awk -v a="$total" -v b="$t" 'BEGIN{print a + b}')
done <"$W/steps.txt"
echo "# main job at 10x: $total s in all"

# what must hold at that size
ogrinfo -q -sql "SELECT SUM(pop) AS s, COUNT(*) AS n FROM population" "$W/out/population.gpkg" >"$W/sum.txt" 2>&1
s=$(sed -n 's/^  s ([A-Za-z0-9]*) = //p' "$W/sum.txt" | head -1)
n=$(sed -n 's/^  n ([A-Za-z0-9]*) = //p' "$W/sum.txt" | head -1)
[ "${s%.*}" = 5822763 ]; check $? "the million places hold Denmark's 5,822,763 people exactly ($s over $n points)"
[ "${n:-0}" -ge 1000000 ]; check $? "a million population points or more ($n)"
sz=$(gdalinfo "$W/out/commute_minutes.tif" | sed -n 's/^Size is //p')
echo "# commute grid: $sz cells at $RES m"
for f in municipalities.gpkg commute_isochrones.gpkg access.gpkg threat.gpkg fee.csv fig3_8.png; do
  [ -s "$W/out/$f" ]; check $? "written at 10x: $f"
done

# the tenth command, dissolve, on ten times DAGI's 311 municipality parts
rm -f "$W/parts.gpkg"
for i in 1 2 3 4 5 6 7 8 9 10; do
  ogr2ogr -q -append -nln parts -f GPKG "$W/parts.gpkg" "$DATA/dagi/kommuner.geojson" || exit 1
done
/usr/bin/time -f '%e %M' -o "$W/t" "$GPCOV" dissolve -q --input "$W/parts.gpkg" --key KOMKODE \
  --name KOMNAVN --output "$W/k.gpkg"
rc=$?; read -r t m <"$W/t"
printf '%-20s %10s %12d\n' "dissolve (3,110)" "$t" "$((m / 1024))"
n=$(ogrinfo -so -al "$W/k.gpkg" | sed -n 's/^Feature Count: //p')
[ "$rc" = 0 ] && [ "$n" = 99 ]; check $? "dissolve: 3,110 parts into 99 municipalities"

# progress on a terminal, at 10x: the traveltime step on a pseudo-terminal
if command -v script >/dev/null; then
  tt=$(grep '^step commute_minutes: ' "$W/steps.txt" | sed 's/^step commute_minutes: gpcov //; s/ -q$//; s#'"$W"'/out/commute_#'"$W"'/pty_#g')
  script -qec "$GPCOV $tt --overwrite" /dev/null >"$W/pty.txt" 2>&1
  k=$(tr '\r' '\n' <"$W/pty.txt" | grep -c '%')
  [ "$k" -ge 5 ]; check $? "progress shown on a terminal ($k progress updates)"
fi
exit $fail
