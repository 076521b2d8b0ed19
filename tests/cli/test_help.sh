#!/bin/sh
# The conventions of the trade: --help for gpcov and every command (every
# option the parser takes is listed, every option with a value states its
# default), --version with the libraries' versions, one exit-code table
# (gpcov --help = README = man pages), man pages generated from the help
# texts, and bash completion driven by them.
. "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
run --help
[ "$rc" = 0 ] && grep -q "^commands:" "$TMP/stdout"; ok $? "gpcov --help exits 0 and lists the commands on stdout"
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$TMP/stdout")
[ "$(echo $cmds | wc -w)" -ge 10 ]; ok $? "ten commands or more: $(echo $cmds)"
for c in $cmds; do
  run "$c" --help
  [ "$rc" = 0 ] && [ -s "$TMP/stdout" ] && [ ! -s "$TMP/stderr" ]; ok $? "gpcov $c --help: exit 0, on stdout"
  cp "$TMP/stdout" "$TMP/help-$c"
  missing=$(awk -f "$here/helpcheck.awk" "$TMP/help-$c" | tr '\n' ' ')
  [ -z "$missing" ]; ok $? "gpcov $c --help: every option with a value states its default ($missing)"
  # every option the command's parser compares against is in its help
  src="tools/cmd_$c.c"
  case $c in overlay|population) src="$src tools/overlayopts.c" ;; traveltime|isochrone|access) src="$src tools/ttopts.c" ;; map|webmap) src="$src tools/figopts.c" ;; esac
  undoc=""
  for o in $(grep -ho 'strcmp(a, "-[-a-z0-9]*")' $src | sed 's/.*"\(.*\)")/\1/' | grep -vx -e --help -e -h | sort -u); do
    grep -Eq -- "(^| |\[)$o([ =,]|\$)" "$TMP/help-$c" || undoc="$undoc $o"
  done
  [ -z "$undoc" ]; ok $? "gpcov $c --help lists every option its parser takes ($undoc)"
done
# the checker can fail: an option with a value and no default is caught
printf '  --good N   a number (default: 3)\n  --bad FILE  a file\n  --flag      a switch\n' >"$TMP/h"
[ "$(awk -f "$here/helpcheck.awk" "$TMP/h")" = "--bad" ]; ok $? "the default checker flags an option without a default"

run --version
v=$(cat "$TMP/stdout")
[ "$rc" = 0 ] && echo "$v" | grep -Eq '^gpcov [0-9]+\.[0-9]+\.[0-9]+$'; ok $? "--version: gpcov's version"
echo "$v" | grep -qx "GDAL $(gdal-config --version 2>/dev/null || pkg-config --modversion gdal)"; ok $? "--version: GDAL's version ($(echo "$v" | grep GDAL))"
echo "$v" | grep -q "^GEOS $(pkg-config --modversion geos)"; ok $? "--version: GEOS's version ($(echo "$v" | grep GEOS))"
echo "$v" | grep -qx "PROJ $(pkg-config --modversion proj)"; ok $? "--version: PROJ's version ($(echo "$v" | grep PROJ))"

# one exit-code table: gpcov --help's rows are the README's rows
"$GPCOV" --help | sed -n '/^exit codes:/,/^$/s/^  \([0-9]\)  \(.*\)/\1|\2/p' >"$TMP/codes"
grep -E '^\| [0-9] \|' README.md | sed 's/^| \([0-9]\) | \(.*\) |$/\1|\2/' >"$TMP/readme-codes"
[ "$(wc -l <"$TMP/codes")" = 5 ] && cmp -s "$TMP/codes" "$TMP/readme-codes"; ok $? "the README's exit-code table is gpcov --help's"
[ $? = 0 ] || diff "$TMP/codes" "$TMP/readme-codes" | sed 's/^/#   /'
grep -q "EXIT_CANCEL, \"cancelled" tools/common.c; ok $? "the table names the codes of tools/cmd.h"

# man pages, generated from the help texts
if command -v help2man >/dev/null; then
  sh doc/man.sh "$GPCOV" "$TMP/man" >/dev/null 2>&1; ok $? "doc/man.sh generates the man pages"
  for c in $cmds; do
    m="$TMP/man/gpcov-$c.1"
    miss=""
    for o in $(grep -Eo '^  --[a-z0-9-]+' "$TMP/help-$c"); do
      grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$m" || miss="$miss $o"
    done
    [ -s "$m" ] && [ -z "$miss" ] && grep -q '^\.SH "EXIT STATUS"' "$m"
    ok $? "man page gpcov-$c.1: every option and the exit status ($miss)"
  done
  grep -q 'Danmarks\|øre\|Læge' "$TMP/man/gpcov-fee.1"; ok $? "man pages keep UTF-8 (øre)"
  grep -q '^\.SH "EXIT STATUS"' "$TMP/man/gpcov.1" && grep -q 'cancelled' "$TMP/man/gpcov.1"; ok $? "gpcov.1 has the exit-code table"
else
  echo "not ok - help2man is not installed (make deps-check installs it)"
fi

# bash completion, driven by the help texts
if command -v bash >/dev/null; then
  comp() { # comp WORD... : the completions of the last word
    bash -c '. completion/gpcov.bash; COMP_WORDS=("$@"); COMP_CWORD=$(($#-1)); _gpcov; printf "%s\n" "${COMPREPLY[@]}"' _ "$GPCOV" "$@" 2>/dev/null | sort | tr '\n' ' '
  }
  r=$(comp tr); [ "$r" = "traveltime " ]; ok $? "completion: 'gpcov tr' gives traveltime ($r)"
  r=$(comp overlay --pol); [ "$r" = "--polygon-key --polygon-layer --polygons " ]; ok $? "completion: overlay --pol ($r)"
  r=$(comp traveltime --fr); [ "$r" = "--friction " ]; ok $? "completion: traveltime --fr ($r)"
  r=$(comp isochrone --kn); [ "$r" = "--knight " ]; ok $? "completion: isochrone takes the model options too ($r)"
  r=$(comp traveltime --y); [ "$r" = "--y " ]; ok $? "completion: an option written after another on one help line ($r)"
  mkdir -p "$TMP/c" && touch "$TMP/c/kommuner.shp"
  r=$(comp map --input "$TMP/c/kom"); [ "$r" = "$TMP/c/kommuner.shp " ]; ok $? "completion: a file after an option with a value ($r)"
fi
