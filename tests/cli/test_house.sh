#!/bin/sh
# The house rule on lengths (tests/house/check.sh): no function over 80
# lines and no .c file over 900 in lib/, tools/ and tests/unit/, but for
# the allow-list tests/house/allow.txt, which may only shrink.  First the
# checker itself: it fails on a planted 81-line function and 901-line file,
# passes 80 and 900, and lengths.awk measures tricky C right; then the tree.
top=$(cd "$(dirname "$0")/../.." && pwd)
house="$top/tests/house"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gpcov-house.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
n=0
ok() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
# fn NAME LINES: a function of LINES lines, its signature to its "}"
fn() {
  echo "static int $1(int x)"; echo "{"
  i=3; while [ $i -lt "$2" ]; do echo "    x++;"; i=$((i+1)); done
  echo "}"
}
# lines N: N comment lines
lines() { i=0; while [ $i -lt "$1" ]; do echo "/* $i */"; i=$((i+1)); done; }
# check DIR [ALLOW-LINE]: runs the checker on DIR with that allow-list
check() {
  printf '%s\n' "# allow-list" ${2:+"$2"} >"$TMP/allow.txt"
  sh "$house/check.sh" "$TMP/allow.txt" "$1" >"$TMP/out" 2>&1
}

mkdir -p "$TMP/f80/sub" "$TMP/f81/sub" "$TMP/l900" "$TMP/l901"
fn eighty 80 >"$TMP/f80/sub/a.c"
fn eightyone 81 >"$TMP/f81/sub/a.c"
lines 900 >"$TMP/l900/a.c"
lines 901 >"$TMP/l901/a.c"
check "$TMP/f80"; ok $? "an 80-line function passes"
check "$TMP/f81"; [ $? = 1 ] && grep -q 'eightyone.*81 lines' "$TMP/out"
ok $? "an 81-line function in a subfolder fails, and is named ($(cat "$TMP/out"))"
check "$TMP/l900"; ok $? "a 900-line file passes"
check "$TMP/l901"; [ $? = 1 ] && grep -q 'a.c.*901 lines' "$TMP/out"
ok $? "a 901-line file fails, and is named ($(cat "$TMP/out"))"
check "$TMP/f81" "eightyone being split"; ok $? "an allowed 81-line function passes"
check "$TMP/l901" "$TMP/l901/a.c being split"; ok $? "an allowed 901-line file passes"
check "$TMP/f80" "eighty being split"; [ $? = 1 ] && grep -q 'eighty is no longer over' "$TMP/out"
ok $? "an allow-list entry no longer over its limit fails ($(cat "$TMP/out"))"

# lengths.awk on C written every way: return type on its own line, a
# signature over two lines, old-style parameters, one-line static inline,
# a function-like macro, struct initialisers at column 0, braces in strings
# and comments
cat >"$TMP/tricky.c" <<'C'
#define MAX(a, b) \
    ((a) > (b) ? (a) : (b))
static int
knr(int a,
    int b)
{
    return a + b;
}
static inline int inl(int x) { return x; }
struct pt tab[] = {
    {1, 2},
};
static const struct cmd cmds[] =
{
    {"a", f},
};
int oldstyle(a, b)
    int a;
    char *b;
{
    return a;
}
static const char *s = "} {";
static int two(int a,
               int b) {
    /* } */
    char c = '}';
    return a + c;
}
void (*getfn(void))(int)
{
    return 0;
}
int proto(int a,
          int b);
C
awk -f "$house/lengths.awk" "$TMP/tricky.c" | sed "s|$TMP/||" >"$TMP/got"
cat >"$TMP/want" <<'W'
5 tricky.c:4 knr
1 tricky.c:9 inl
6 tricky.c:17 oldstyle
6 tricky.c:24 two
4 tricky.c:30 getfn
W
cmp -s "$TMP/got" "$TMP/want"; ok $? "lengths.awk measures tricky C right ($(tr '\n' ';' <"$TMP/got"))"

# the tree
cd "$top" && sh "$house/check.sh" "$house/allow.txt" lib tools tests/unit >"$TMP/out" 2>&1
r=$?; cat "$TMP/out"
ok $r "lib/, tools/ and tests/unit/ keep the house lengths (but for tests/house/allow.txt)"
# the headers: each stage's public header compiles on its own, and the
# includes among lib/'s headers form no loop (tsort names one if any)
cflags=$(pkg-config --cflags gdal geos 2>/dev/null)
bad=""
for h in lib/*/gpcov_*.h; do
  # shellcheck disable=SC2086
  printf '#include "%s"\n' "${h#lib/}" | ${CC:-cc} -std=c11 -Wall -Werror -Ilib $cflags \
    -DGEOS_USE_ONLY_R_API -x c -fsyntax-only - 2>>"$TMP/hdr" || bad="$bad $h"
done
[ -z "$bad" ]; ok $? "every stage header compiles on its own ($(ls lib/*/gpcov_*.h | wc -l) headers;$bad)"
for h in lib/*.h lib/*/*.h; do
  echo "$h $h"
  sed -n 's/^#include "\(.*\)"/\1/p' "$h" | while read -r i; do
    d=$(dirname "$h")
    if [ -f "$d/$i" ]; then echo "$d/$i $h"; elif [ -f "lib/$i" ]; then echo "lib/$i $h"; fi
  done
done | sed 's|/\./|/|g' >"$TMP/edges"
tsort "$TMP/edges" >/dev/null 2>"$TMP/loops"
[ ! -s "$TMP/loops" ]; ok $? "no include loop among lib/'s headers ($(wc -l <"$TMP/edges") edges$(head -3 "$TMP/loops" | tr '\n' ' '))"
# a planted loop is caught
printf 'a.h b.h\nb.h a.h\n' | tsort >/dev/null 2>"$TMP/loops2"
[ -s "$TMP/loops2" ]; ok $? "a planted include loop is caught"
echo "1..$n"
