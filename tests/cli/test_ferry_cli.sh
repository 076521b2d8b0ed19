#!/bin/sh
# Trips from a small island on the road model: Læsø's harbour (Vesterø
# Havn) has only its exit lane in the national network's 2021 tiles, so the
# island could be reached but never left.  A point in Byrum (57.25 N,
# 11.00 E) and one in Frederikshavn, both directions: each has a time, and
# they differ by minutes (one-way streets, the harbour's join), not hours.
. "$(dirname "$0")/lib.sh"
ROADS=$DATA/roads/dk_roads_drivable_osm2021.gpkg
[ -r "$ROADS" ] || { echo "# no $ROADS: skipped"; echo "1..0"; exit 0; }
printf 'id,lon,lat\nBYRUM,11.00,57.25\n' >"$TMP/laeso.csv"
printf 'id,lon,lat\nFRH,10.53329,57.44646\n' >"$TMP/frh.csv"

run matrix --roads "$ROADS" --sources "$TMP/laeso.csv" --destinations "$TMP/frh.csv" \
  --output "$TMP/out.csv" -q
out=$(awk -F, 'NR == 2 { print $5, $6 }' "$TMP/out.csv")
run matrix --roads "$ROADS" --sources "$TMP/frh.csv" --destinations "$TMP/laeso.csv" \
  --output "$TMP/back.csv" -q
back=$(awk -F, 'NR == 2 { print $5, $6 }' "$TMP/back.csv")

awk -v v="$out" 'BEGIN { split(v, a, " "); exit !(a[1] > 90 && a[1] < 200 && a[2] > 20000) }'
ok $? "Byrum on Læsø to Frederikshavn has a time: the ferry with its wait, 90-200 min, over 20 km (got ${out:-none}; $(tail -1 "$TMP/out.csv" | cut -d, -f7))"
awk -v v="$back" 'BEGIN { split(v, a, " "); exit !(a[1] > 90 && a[1] < 200 && a[2] > 20000) }'
ok $? "Frederikshavn to Byrum: 90-200 min, over 20 km (got ${back:-none})"
awk -v o="$out" -v b="$back" 'BEGIN { split(o, x, " "); split(b, y, " ")
  d = x[1] - y[1]; m = x[2] - y[2]; exit !(x[1] != "" && d < 5 && d > -5 && m < 2000 && m > -2000) }'
ok $? "the two directions differ by less than 5 min and 2 km (${out:-none} vs ${back:-none})"

echo "1..$n"
