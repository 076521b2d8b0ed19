#!/bin/sh
# The hostile-input corpus: runs every case of tests/bad/cases.tsv and
# asserts its exit code, its message (file and line or feature), that a
# refused run leaves no output and no temporary file, that a refused run
# with --overwrite leaves an existing output byte for byte as it was, and
# for the inputs that must work, a value read from the output.
#
# cases.tsv, tab-separated: name, exit code, message fragments (fixed text
# looked for in stderr, several joined by ' && '; '-' for none), output file name ('-' for none),
# value check ('has:TEXT': the output holds TEXT; '-' for none), and the
# arguments.  In the arguments $B is tests/bad, $S shapefiles/, $D the data,
# $T the files made here (too big to commit, or not files at all), $DIR the
# case's own empty directory and $OUT the output in it.  A pipe as a table
# is the one case outside cases.tsv: it runs under a timeout.
. "$(dirname "$0")/lib.sh"
top=$(pwd)
B=$top/tests/bad
S=$top/shapefiles
D=$DATA
# a GeoJSON that claims 1 GB: a real opening, then a sparse hole of zeros
# (never committed: made here, it takes no disk space)
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"KOMKODE":"0101"},' >"$TMP/huge.geojson"
truncate -s 1G "$TMP/huge.geojson"
# a CSV with a 12 MB field on line 4 (over GDAL's 10 MB line limit), as a
# table and as points; and a CSV with 3001 columns (GDAL's CSV driver keeps
# 2000 unless told otherwise)
big=$(head -c 12582912 /dev/zero | tr '\0' x)
printf 'code,v\n101,1\n147,2\n151,%s\n153,4\n155,5\n' "$big" >"$TMP/long_line.csv"
printf 'lon,lat,v\n12.5,55.6,1\n12.5,55.6,2\n12.5,55.6,%s\n12.5,55.6,4\n' "$big" >"$TMP/long_points.csv"
unset big
# a one-column list of codes whose third line is 2 MB long (spaces, then
# the code): gpcov's own line readers have no length limit
sp=$(head -c 2097152 /dev/zero | tr '\0' ' ')
printf 'code\n101\n%s147\n' "$sp" >"$TMP/one_column_long.csv"
unset sp
awk 'BEGIN { h = "code"; r = "101"; for (i = 0; i < 3000; i++) { h = h ",c" i; r = r "," i }
             print h; print r }' >"$TMP/wide.csv"
mkdir "$TMP/dir.csv"
T=$TMP

tab=$(printf '\t')
while IFS="$tab" read -r name code msg outname check args; do
  case $name in ''|'#'*) continue ;; esac
  # ONLY=REGEX runs the matching cases alone (when working on them)
  if [ -n "${ONLY:-}" ]; then printf '%s\n' "$name" | grep -qE -- "$ONLY" || continue; fi
  DIR=$TMP/case_$name
  mkdir -p "$DIR"
  OUT=$DIR/$outname
  eval "set -- $args"
  run "$@"
  [ -z "$VERBOSE" ] || printf "# %s stderr: %s\n" "$name" "$err"
  [ "$rc" = "$code" ]; ok $? "$name: exit code $code (got $rc)"
  [ "$rc" = "$code" ] || printf '#   stderr: %s\n' "$err" | head -5
  if [ "$msg" != - ]; then
    # fragments joined by ' && ' must all be there
    r=0; rest=$msg
    while [ -n "$rest" ]; do
      frag=${rest%%' && '*}
      case $rest in *' && '*) rest=${rest#*' && '} ;; *) rest= ;; esac
      printf '%s' "$err" | grep -qF -- "$frag" || r=1
    done
    ok $r "$name: message has '$msg'"
    [ $r = 0 ] || printf '#   stderr: %s\n' "$err" | head -5
  fi
  if [ "$code" != 0 ]; then
    left=$(ls -A "$DIR" | head -3 | tr '\n' ' ')
    [ -z "$left" ]; ok $? "$name: no output or temporary file left ($left)"
    if [ "$outname" != - ]; then
      # the same run with --overwrite must leave an existing output intact
      printf 'precious %s\n' "$name" >"$OUT"
      before=$(cksum <"$OUT")
      run "$@" --overwrite
      after=$(cksum <"$OUT")
      [ "$rc" = "$code" ] && [ "$before" = "$after" ]
      ok $? "$name: with --overwrite, exit $code and the existing output untouched"
      left=$(ls -A "$DIR" | grep -vxF "$outname" | head -3 | tr '\n' ' ')
      [ -z "$left" ]; ok $? "$name: with --overwrite, no temporary file left ($left)"
    fi
  else
    case $check in
      has:*)
        want=${check#has:}
        grep -qF -- "$want" "$OUT" 2>/dev/null; r=$?
        ok $r "$name: the output holds '$want'"
        [ $r = 0 ] || { echo "#   output:"; sed 's/^/#   /' "$OUT" 2>/dev/null | head -5; } ;;
      -) [ "$outname" = - ] || { [ -s "$OUT" ]; ok $? "$name: the output was written"; } ;;
    esac
  fi
done <"$B/cases.tsv"

# a pipe as a table: refused before GDAL blocks on it waiting for a writer
# (a timeout, so that a regression fails instead of hanging the tests)
mkfifo "$TMP/fifo.csv"
mkdir "$TMP/case_fifo"
timeout 60 "$GPCOV" overlay --polygons "$B/polygons_ok.geojson" --allow-missing \
  --output "$TMP/case_fifo/x.csv" --table "$TMP/fifo.csv" --key KOMKODE=code --field v=v \
  >/dev/null 2>"$TMP/stderr"
rc=$?
[ "$rc" = 1 ]; ok $? "table_fifo: exit code 1 (got $rc)"
grep -qF "fifo.csv: a pipe (FIFO), not a file" "$TMP/stderr"; ok $? "table_fifo: the message says it is a pipe"
[ -z "$(ls -A "$TMP/case_fifo")" ]; ok $? "table_fifo: no output or temporary file left"
