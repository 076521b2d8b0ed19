#!/bin/sh
# Outputs: all or none, never someone else's, never an input.  A command
# with several outputs that fails at a later one leaves every earlier
# output byte for byte as it was (overlay, fee, traveltime); an output that
# appears while gpcov computes is not replaced without --overwrite; a
# symlink planted at the name a temporary would get is not followed; an
# output name near the file system's limit works and one over it is
# refused before anything is made; an input given as the output is
# refused, even with --overwrite.  Each case checks the exit code, the
# message, the bytes of what was there, and that no temporary is left.
. "$(dirname "$0")/lib.sh"
top=$(pwd)
B=$top/tests/bad
S=$top/shapefiles
SITES=$DATA/training/hoveduddannelse_almen_medicin_2021.csv
# only the given names and nothing else in a directory
only() {
  d=$1; shift
  left=$(ls -A "$d" | while read -r f; do
    keep=0; for k; do [ "$f" = "$k" ] && keep=1; done
    [ $keep = 1 ] || echo "$f"
  done | head -3 | tr '\n' ' ')
  [ -z "$left" ]
}
ovl() {
  "$GPCOV" overlay --polygons "$B/polygons_ok.geojson" --allow-missing --table "$B/table_ok.csv" \
    --key KOMKODE=code --field v=v "$@"
}

# ------------------------------------------------ 1. one output set
# the second output cannot be written (its directory is missing): the first,
# which exists, must stay as it was
mkdir "$TMP/set"
echo precious >"$TMP/set/x.geojson"
ovl --output "$TMP/set/x.geojson" --output "$TMP/set/nodir/y.csv" --overwrite >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 1 ]; ok $? "overlay, second output fails: exit code 1 (got $rc)"
grep -q "nodir/y.csv: cannot write into" "$TMP/err"; ok $? "overlay, second output fails: the message names it"
[ "$(cat "$TMP/set/x.geojson")" = precious ]; ok $? "overlay, second output fails: the first output untouched"
only "$TMP/set" x.geojson; ok $? "overlay, second output fails: no temporary left ($left)"

# a new shapefile first, then an output that fails: no part of it stays
"$GPCOV" fee --units "$B/units_ok.geojson" --age-table "$B/age_ok.csv" --cap-per-capacity 100000000 \
  --output "$TMP/set/g.shp" --output "$TMP/set/nodir/f.csv" >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 1 ]; ok $? "fee, second output fails: exit code 1 (got $rc)"
grep -q "nodir/f.csv: cannot write into" "$TMP/err"; ok $? "fee, second output fails: the message names it"
only "$TMP/set" x.geojson; ok $? "fee, second output fails: no part of the first (a shapefile) and no temporary left ($left)"

echo precious >"$TMP/set/t.tif"
"$GPCOV" traveltime --straight-line --extent "$B/polygons_ok.geojson" --resolution 500 \
  --sources "$B/supply_ok.csv" --output "$TMP/set/t.tif" --nearest "$TMP/set/nodir/n.tif" \
  --overwrite >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 1 ]; ok $? "traveltime, the nearest raster fails: exit code 1 (got $rc)"
[ -f "$TMP/set/t.tif" ] && [ "$(cat "$TMP/set/t.tif")" = precious ]
ok $? "traveltime, the nearest raster fails: the existing output kept, untouched"
only "$TMP/set" x.geojson t.tif; ok $? "traveltime, the nearest raster fails: no temporary left ($left)"

# ------------------------------------------------ 2. an output that appears meanwhile
# a national 100 m raster takes about half a second to write: the output is
# made by someone else as soon as gpcov's temporary has data in it
mkdir "$TMP/race"
( exec "$GPCOV" traveltime --straight-line --extent "$S/kommuner.shp" --resolution 100 \
    --sources "$SITES" --output "$TMP/race/t.tif" ) >/dev/null 2>"$TMP/err" &
pid=$!
seen=1 i=0
while [ $i -lt 6000 ]; do
  for f in "$TMP"/race/.t.tif.tmp* "$TMP"/race/.t.tif.tmp*/*; do
    [ -f "$f" ] && [ -s "$f" ] && seen=0
  done
  [ $seen = 0 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.005; i=$((i+1))
done
if [ $seen = 0 ]; then
  echo "someone else's" >"$TMP/race/t.tif"
  wait $pid; rc=$?
  [ "$rc" = 1 ]; ok $? "an output that appeared meanwhile: exit code 1 (got $rc)"
  grep -q "t.tif: appeared while gpcov was computing; not replaced" "$TMP/err"
  r=$?; ok $r "an output that appeared meanwhile: the message says so"
  [ $r = 0 ] || sed 's/^/#   /' "$TMP/err"
  [ "$(cat "$TMP/race/t.tif")" = "someone else's" ]; ok $? "an output that appeared meanwhile: not replaced"
  only "$TMP/race" t.tif; ok $? "an output that appeared meanwhile: no temporary left ($left)"
else
  wait $pid
  n=$((n+1)); echo "ok $n - an output that appeared meanwhile # SKIP the write ended before its temporary was seen"
fi

# ------------------------------------------------ 3. temporaries
# a symlink planted where a temporary of this process would have been named
# (.NAME.tmpPID-0.EXT; exec keeps the shell's pid) must not be followed
mkdir "$TMP/plant"
sh -c 'ln -s "$1/victim.csv" "$1/.x.csv.tmp$$-0.csv"; shift; exec "$@"' sh "$TMP/plant" \
  "$GPCOV" overlay --polygons "$B/polygons_ok.geojson" --allow-missing --table "$B/table_ok.csv" \
  --key KOMKODE=code --field v=v --output "$TMP/plant/x.csv" >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 0 ]; ok $? "a planted symlink: the run succeeds (got $rc)"
[ ! -e "$TMP/plant/victim.csv" ]; ok $? "a planted symlink: its target was not written"
[ -f "$TMP/plant/x.csv" ] && [ ! -L "$TMP/plant/x.csv" ] && grep -q '^0101,1' "$TMP/plant/x.csv"
ok $? "a planted symlink: the output is a regular file with the data"

# a name of 250 bytes (a temporary named after it would be over 255)
mkdir "$TMP/long"
long=$(printf '%0246d' 0 | tr 0 n).csv
ovl --output "$TMP/long/$long" >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 0 ] && grep -q '^0101,1' "$TMP/long/$long"; ok $? "a 250-byte output name: written (exit $rc)"
[ $rc = 0 ] || sed 's/^/#   /' "$TMP/err"
only "$TMP/long" "$long"; ok $? "a 250-byte output name: no temporary left ($left)"
# a name of 300 bytes: refused before anything is made
toolong=$(printf '%0296d' 0 | tr 0 n).csv
mkdir "$TMP/toolong"
ovl --output "$TMP/toolong/$toolong" >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 1 ]; ok $? "a 300-byte output name: exit code 1 (got $rc)"
grep -q "the name is 300 bytes, longer than the file system allows (255)" "$TMP/err"
r=$?; ok $r "a 300-byte output name: the message says why"
[ $r = 0 ] || sed 's/^/#   /' "$TMP/err"
[ -z "$(ls -A "$TMP/toolong")" ]; ok $? "a 300-byte output name: nothing made"

# ------------------------------------------------ 4. an input as the output
mkdir "$TMP/inp"
cp "$B/table_ok.csv" "$TMP/inp/t.csv"
sum0=$(cksum <"$TMP/inp/t.csv")
"$GPCOV" overlay --polygons "$B/polygons_ok.geojson" --allow-missing --table "$TMP/inp/t.csv" \
  --key KOMKODE=code --field v=v --output "$TMP/inp/t.csv" --overwrite >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 1 ]; ok $? "the input as the output: exit code 1 (got $rc)"
grep -q "t.csv: is also an input of this run" "$TMP/err"; ok $? "the input as the output: the message says so"
[ "$(cksum <"$TMP/inp/t.csv")" = "$sum0" ]; ok $? "the input as the output: the input untouched"
# the same file under another name (a hard link)
ln "$TMP/inp/t.csv" "$TMP/inp/alias.csv"
"$GPCOV" overlay --polygons "$B/polygons_ok.geojson" --allow-missing --table "$TMP/inp/t.csv" \
  --key KOMKODE=code --field v=v --output "$TMP/inp/alias.csv" --overwrite >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" = 1 ] && grep -q "alias.csv: is also an input of this run (.*t.csv)" "$TMP/err"
ok $? "the input under another name: refused (exit $rc)"
[ "$(cksum <"$TMP/inp/t.csv")" = "$sum0" ]; ok $? "the input under another name: untouched"
only "$TMP/inp" t.csv alias.csv; ok $? "the input as the output: no temporary left ($left)"
