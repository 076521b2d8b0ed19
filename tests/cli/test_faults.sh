#!/bin/sh
# Fault injection: an output directory gpcov may not write into, a full disk
# (a file-size limit, and a small tmpfs when mounting is allowed), and a run
# killed mid-write (SIGKILL, SIGTERM, SIGINT).  After each: the exit code and
# message, no partial output under the real name, an existing output byte
# for byte as it was, and no temporary file left (after SIGKILL: removed by
# the next run).
. "$(dirname "$0")/lib.sh"
# the small tmpfs below must not outlive a test that stops half-way
trap 'umount "$TMP/small" 2>/dev/null; rm -rf "$TMP"' EXIT
top=$(pwd)
S=$top/shapefiles
PLO=$DATA/plo/laegedaekningstruede_kommuner_2019.csv
SITES=$DATA/training/hoveduddannelse_almen_medicin_2021.csv
skip() { n=$((n+1)); echo "ok $n - $1 # SKIP $2"; }
# only the real output and nothing else in a directory
only() { left=$(ls -A "$1" | grep -vxF "$2" | head -3 | tr '\n' ' '); [ -z "$left" ]; }

# an overlay whose output is a few hundred kB (polygons with geometry)
ovl() {
  "$GPCOV" overlay --polygons "$S/kommuner.shp" --polygon-key code --name-field name \
    --table "$PLO" --key code=kommune_code --present designated --allow-missing --output "$@"
}

# ------------------------------------------------ 1. an unwritable directory
# root ignores permission bits, so this runs as nobody
mkdir -p "$TMP/ro"
chmod 755 "$TMP" "$TMP/ro"
echo 'old output' >"$TMP/ro/x.geojson"
chmod 644 "$TMP/ro/x.geojson"
as_nobody=""
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  as_nobody="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
elif [ "$(id -u)" != 0 ]; then
  chmod 555 "$TMP/ro"
fi
if [ "$(id -u)" = 0 ] && [ -z "$as_nobody" ]; then
  skip "an unwritable directory" "neither setpriv nor a non-root user"
elif ! $as_nobody test -x "$GPCOV" || ! $as_nobody test -r "$S/kommuner.shp" || ! $as_nobody test -r "$PLO"; then
  skip "an unwritable directory" "nobody cannot read gpcov or the data here"
else
  for o in y.geojson y.gpkg y.tif; do
    case $o in
      *.tif) $as_nobody "$GPCOV" traveltime --straight-line --extent "$S/kommuner.shp" --resolution 5000 \
               --sources "$SITES" --output "$TMP/ro/$o" >/dev/null 2>"$TMP/err.txt" ;;
      *) $as_nobody "$GPCOV" overlay --polygons "$S/kommuner.shp" --polygon-key code --table "$PLO" \
           --key code=kommune_code --present d --allow-missing --output "$TMP/ro/$o" >/dev/null 2>"$TMP/err.txt" ;;
    esac
    rc=$?
    [ "$rc" = 1 ]; ok $? "unwritable directory, $o: exit code 1 (got $rc)"
    grep -q "$TMP/ro/$o: cannot write into $TMP/ro: Permission denied" "$TMP/err.txt"
    ok $? "unwritable directory, $o: the message names the output and the directory"
    [ $? = 0 ] || sed 's/^/#   /' "$TMP/err.txt"
  done
  $as_nobody "$GPCOV" overlay --polygons "$S/kommuner.shp" --polygon-key code --table "$PLO" \
    --key code=kommune_code --present d --allow-missing --output "$TMP/ro/x.geojson" --overwrite >/dev/null 2>&1
  rc=$?
  [ "$rc" = 1 ] && [ "$(cat "$TMP/ro/x.geojson")" = 'old output' ]
  ok $? "unwritable directory, --overwrite: exit 1, the existing output untouched"
  only "$TMP/ro" x.geojson; ok $? "unwritable directory: nothing left beside it ($left)"
fi
chmod 700 "$TMP"

# ------------------------------------------------ 2. a full disk
# ulimit -f: writes beyond the limit fail with EFBIG (gpcov ignores SIGXFSZ)
mkdir "$TMP/full"
for o in x.geojson x.gpkg x.shp x.csv.big t.tif m.png m.pdf; do
  rm -rf "$TMP/full"; mkdir "$TMP/full"
  case $o in
    t.tif) cmd="traveltime --straight-line --extent $S/kommuner.shp --resolution 1000 --sources $SITES --output" ;;
    m.png|m.pdf) ovl "$TMP/m.gpkg" --overwrite >/dev/null 2>&1
                 cmd="map --input $TMP/m.gpkg --panel field=designated,categorical --output" ;;
    *) cmd="" ;;
  esac
  if [ "$o" = x.csv.big ]; then
    # a CSV too big for 20 kB: the population points, one line each
    o=p.csv
    cmd="population --polygons $S/kommuner.shp --table $DATA/dst/folk1a_2020q1_area_age_sex.csv --key code=area_code --where level='kommune' --exempt 0411 --agg pop=sum(total) --places $DATA/osm/places_with_population_2019.csv --output"
  fi
  echo "old output" >"$TMP/full/$o"
  # shellcheck disable=SC2086
  if [ -n "$cmd" ]; then
    (ulimit -f 40; exec "$GPCOV" $cmd "$TMP/full/$o" --overwrite) >/dev/null 2>"$TMP/err.txt"
  else
    (ulimit -f 40; ovl "$TMP/full/$o" --overwrite) >/dev/null 2>"$TMP/err.txt"
  fi
  rc=$?
  [ "$rc" = 1 ]; ok $? "file-size limit, $o: exit code 1, not killed by SIGXFSZ (got $rc)"
  grep -q "gpcov: $TMP/full/$o: .*\(too large\|read back whole\|cannot write\)" "$TMP/err.txt"
  r=$?; ok $r "file-size limit, $o: the message names the output"
  [ $r = 0 ] || sed 's/^/#   /' "$TMP/err.txt"
  [ "$(cat "$TMP/full/$o")" = "old output" ]; ok $? "file-size limit, $o: the existing output untouched"
  only "$TMP/full" "$o"; ok $? "file-size limit, $o: no temporary or partial file left ($left)"
done

# a small tmpfs, when this container may mount one
mkdir "$TMP/small"
if mount -t tmpfs -o size=64k gpcov-test "$TMP/small" 2>/dev/null; then
  echo "old output" >"$TMP/small/x.geojson"
  ovl "$TMP/small/x.geojson" --overwrite >/dev/null 2>"$TMP/err.txt"; rc=$?
  [ "$rc" = 1 ]; ok $? "full tmpfs: exit code 1 (got $rc)"
  grep -q "gpcov: $TMP/small/x.geojson: " "$TMP/err.txt"; ok $? "full tmpfs: the message names the output"
  [ "$(cat "$TMP/small/x.geojson")" = "old output" ]; ok $? "full tmpfs: the existing output untouched"
  only "$TMP/small" x.geojson; ok $? "full tmpfs: no temporary or partial file left ($left)"
  umount "$TMP/small"
else
  skip "a full tmpfs" "mount is not permitted here"
fi

# ------------------------------------------------ 3. killed mid-write
# a national 100 m raster takes about half a second to write: the signal is
# sent as soon as its temporary file appears
mkdir "$TMP/kill"
# a background job starts with SIGINT ignored, which gpcov respects (as for
# nohup); env --default-signal gives it SIGINT back, as a terminal would
dflt=""
env --default-signal=INT true 2>/dev/null && dflt="env --default-signal=INT"
tt() {
  exec $dflt "$GPCOV" traveltime --straight-line --extent "$S/kommuner.shp" --resolution 100 \
    --sources "$SITES" --output "$TMP/kill/t.tif" --overwrite
}
"$GPCOV" traveltime --straight-line --extent "$S/kommuner.shp" --resolution 5000 \
  --sources "$SITES" --output "$TMP/kill/t.tif" >/dev/null 2>&1
sum0=$(cksum <"$TMP/kill/t.tif")
# waits for a temporary of t.tif with data in it; 0 if seen while pid runs
wait_tmp() {
  i=0
  while [ $i -lt 6000 ]; do
    for f in "$TMP"/kill/.t.tif.tmp*/*; do
      [ -s "$f" ] && return 0
    done
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.005
    i=$((i+1))
  done
  return 1
}
for sig in KILL TERM INT; do
  if [ $sig = INT ] && [ -z "$dflt" ]; then
    skip "SIGINT mid-write" "env --default-signal is missing (coreutils < 8.31)"
    continue
  fi
  ( tt ) >/dev/null 2>"$TMP/err.txt" &
  pid=$!
  if wait_tmp $pid; then
    kill -s $sig $pid
    wait $pid; rc=$?
    [ "$(cksum <"$TMP/kill/t.tif")" = "$sum0" ]; ok $? "SIG$sig mid-write: the existing output is intact (same checksum)"
    case $sig in
      KILL)
        [ "$rc" = 137 ]; ok $? "SIGKILL: killed (status $rc)"
        stale=$(ls -A "$TMP/kill" | grep -c '^\.t\.tif\.tmp')
        [ "$stale" -ge 1 ]; ok $? "SIGKILL: its temporary is left, hidden ($stale file)"
        # the next run for the same output removes it
        "$GPCOV" traveltime --straight-line --extent "$S/kommuner.shp" --resolution 5000 \
          --sources "$SITES" --output "$TMP/kill/t.tif" --overwrite >/dev/null 2>&1
        only "$TMP/kill" t.tif; ok $? "SIGKILL: the next run removes the stale temporary ($left)"
        sum0=$(cksum <"$TMP/kill/t.tif") ;;
      *)
        [ "$rc" = 4 ]; ok $? "SIG$sig: exit code 4, cancelled (got $rc)"
        grep -q "gpcov: cancelled by a signal" "$TMP/err.txt"; ok $? "SIG$sig: says it was cancelled"
        only "$TMP/kill" t.tif; ok $? "SIG$sig: no temporary left ($left)" ;;
    esac
  else
    wait $pid
    skip "SIG$sig mid-write" "the write ended before its temporary was seen"
  fi
done

# a report interrupted in its first step writes no manifest
cat >"$TMP/r.ini" <<EOF
[report]
out = $TMP/rep
[step tt]
command = traveltime
straight-line =
extent = $S/kommuner.shp
resolution = 100
sources = $SITES
output = \${out}/t.tif
EOF
mkdir "$TMP/rep"
( exec "$GPCOV" report "$TMP/r.ini" ) >/dev/null 2>"$TMP/err.txt" &
pid=$!
i=0
while [ $i -lt 6000 ] && ! ls -A "$TMP/rep" | grep -q '^\.t\.tif\.tmp' && kill -0 $pid 2>/dev/null; do
  sleep 0.005; i=$((i+1))
done
kill -s TERM $pid; wait $pid; rc=$?
if [ "$rc" = 4 ]; then
  left=$(ls -A "$TMP/rep" | head -3 | tr '\n' ' ')
  [ -z "$left" ]; ok $? "SIGTERM in a report: no manifest, output or temporary left ($left)"
else
  skip "SIGTERM in a report" "the report ended (status $rc) before the signal"
fi
