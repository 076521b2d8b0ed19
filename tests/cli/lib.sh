# Shared helpers for the shell tests: TAP lines, and running gpcov while
# capturing its exit code and stderr.  Source it; set GPCOV and DATA.
: "${GPCOV:?set GPCOV to the gpcov binary}"
: "${DATA:=../shared/data}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gpcov-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
n=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
# run: runs gpcov with the arguments, sets $rc and $err (stderr text)
run() { "$GPCOV" "$@" >"$TMP/stdout" 2>"$TMP/stderr"; rc=$?; err=$(cat "$TMP/stderr"); }
# expect_fail CODE PATTERN OUTPUT what -- args...: asserts exit code, message and no output left
expect_fail() {
  code=$1; pat=$2; out=$3; what=$4; shift 5
  run "$@"
  [ "$rc" = "$code" ]; ok $? "$what: exit code $code (got $rc)"
  printf '%s' "$err" | grep -q -- "$pat"; r=$?
  ok $r "$what: message matches '$pat'"
  [ $r = 0 ] || printf '#   stderr: %s\n' "$err"
  if [ -n "$out" ]; then
    left=$(ls -a "$(dirname "$out")" | grep -F "$(basename "$out" | sed 's/\.[^.]*$//')" | head -3)
    [ -z "$left" ]; ok $? "$what: no output or temporary file left ($left)"
  fi
}
