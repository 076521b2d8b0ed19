#!/bin/sh
# gpcov traveltime on a friction grid shaped like a national one (coast,
# lakes, roads, motorways: many cells of equal friction, so many near and
# exact ties) with 25 sources, searched by one thread and by two competing
# wavefronts (GPCOV_THREADS): the minutes must be equal bit for bit in
# every cell and the nearest sources equal, with 8 moves, with knight's
# moves and with --max-minutes; and the written GeoTIFFs byte-identical.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L $(pkg-config --cflags gdal) \
  -o "$TMP/gridtool" "$here/../helpers/gridtool.c" $(pkg-config --libs gdal) -lm
ok $? "the grid helper builds"
"$TMP/gridtool" denmark "$TMP/g.tif" "$TMP/g.csv" 700 560 100 3 25 >/dev/null
ok $? "a 700 x 560 land-and-sea friction grid, 25 sources"

for v in 8 16 m; do
  case $v in
    8) opts= ; what="8 moves" ;;
    16) opts=--knight; what="knight's moves" ;;
    m) opts="--max-minutes 40"; what="max 40 minutes" ;;
  esac
  for t in 1 2; do
    GPCOV_THREADS=$t run traveltime --friction "$TMP/g.tif" --sources "$TMP/g.csv" --x x --y y \
      --srs EPSG:25832 --source-id id --output "$TMP/a${v}_$t.tif" --nearest "$TMP/n${v}_$t.tif" $opts -q
    [ "$rc" = 0 ]; ok $? "$what, $t thread(s): runs"
    [ "$rc" = 0 ] || printf '#   %s\n' "$err"
  done
  out=$("$TMP/gridtool" compare "$TMP/a${v}_1.tif" "$TMP/a${v}_2.tif" --rtol 0 \
    --near "$TMP/n${v}_1.tif" "$TMP/n${v}_2.tif" 2>&1)
  r=$?
  printf '%s\n' "$out" | sed 's/^# //; s/^/# /'
  ok $r "$what: 1 and 2 threads equal in every cell (difference 0), same reach, same nearest"
  reach=$(printf '%s' "$out" | sed -n 's/.*reachable in both \([0-9]*\),.*/\1/p')
  [ "${reach:-0}" -gt 100000 ]; ok $? "$what: $reach cells reached"
  cmp -s "$TMP/a${v}_1.tif" "$TMP/a${v}_2.tif" && cmp -s "$TMP/n${v}_1.tif" "$TMP/n${v}_2.tif"
  ok $? "$what: the GeoTIFFs written are byte-identical"
done
# --max-minutes cuts off: fewer cells than without
a=$("$TMP/gridtool" compare "$TMP/a8_2.tif" "$TMP/a8_2.tif" | sed -n 's/.*reachable in both \([0-9]*\),.*/\1/p')
b=$("$TMP/gridtool" compare "$TMP/am_2.tif" "$TMP/am_2.tif" | sed -n 's/.*reachable in both \([0-9]*\),.*/\1/p')
[ "${b:-0}" -gt 0 ] && [ "${b:-0}" -lt "${a:-0}" ]; ok $? "--max-minutes 40 reaches fewer cells ($b) than no limit ($a)"
echo "1..$n"
