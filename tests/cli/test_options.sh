#!/bin/sh
# The option tables (tools/opt.h): every option a command parses is in its
# table (the checker is shown to catch a planted one), the table is what
# --help and the completion say, every option that names a file has the
# I/O role `gpcov report` reads (read, NAME=FILE, written, updated), an
# unknown option or command is answered with the nearest known one, and a
# choice completes to its values.  Every command has a table, report too;
# gpcov --help lists the command table, and the man pages are made from
# the help texts.
. "$(dirname "$0")/lib.sh"

# sources CMD: the files whose code parses CMD's options
sources() {
  s="tools/cmd_$1.c"
  case $1 in overlay|population) s="$s tools/overlayopts.c" ;; traveltime|isochrone|access) s="$s tools/ttopts.c" ;; map|webmap) s="$s tools/figopts.c" ;; esac
  echo "$s"
}
# unlisted TABLE FILE...: the options the files compare an argument or an
# option's name against that the table (gpcov --dump-options) lacks
unlisted() {
  table=$1; shift
  for o in $(grep -Eho 'strcmp\([a-z>-]+, "-[-a-z0-9]*"\)' "$@" | grep -Eo '"-[-a-z0-9]*"' | tr -d '"' |
             grep -vx -e --help -e -h -e --dump-options | sort -u); do
    cut -f1,2 "$table" | tr '\t' '\n' | grep -qx -- "$o" || printf ' %s' "$o"
  done
}

run --help
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$TMP/stdout")
tabled=""
for c in $cmds; do
  "$GPCOV" --dump-options "$c" >"$TMP/table-$c" 2>/dev/null || continue
  tabled="$tabled $c"
  miss=$(unlisted "$TMP/table-$c" $(sources "$c"))
  [ -z "$miss" ]; ok $? "gpcov $c: every option its code parses is in its table ($miss)"
  "$GPCOV" "$c" --help >"$TMP/help-$c"
  nohelp=""
  for o in $(cut -f1 "$TMP/table-$c"); do
    grep -Eq -- "^  $o( |,|\$)" "$TMP/help-$c" || nohelp="$nohelp $o"
  done
  [ -z "$nohelp" ]; ok $? "gpcov $c --help: one line for each option of the table ($nohelp)"
done
for c in dissolve threat traveltime isochrone overlay population fee access map webmap report; do
  echo "$tabled " | grep -q " $c "; ok $? "gpcov $c has an option table"
done
# the checker catches an option parsed but not declared
printf 'if (!strcmp(a, "--input")) x = 1;\nif (!strcmp(op->name, "--planted")) y = 1;\n' >"$TMP/planted.c"
printf -- '--input\t-\tinput\tSRC\t-\t-\n' >"$TMP/planted-table"
[ "$(unlisted "$TMP/planted-table" "$TMP/planted.c")" = " --planted" ]; ok $? "the table checker flags an option parsed but not in the table"

# I/O roles (the files `gpcov report` hashes and orders its steps by):
# roleless TABLE: the options whose value names a file (their kind, or a
# meta such as SRC, DST.tif, NAME=SRC.tif, CSV) but that have no I/O role;
# --data (access) is a directory of tables, no file to hash
roleless() {
  awk -F'\t' '$1 != "--data" && $7 == "-" && ($3 == "input" || $3 == "output" ||
      $4 ~ /^(SRC|DST|DIR|CSV|GPKG)(\.|$)|=SRC|\.(tif|csv|gpkg)$/) { printf " %s", $1 }' "$1"
}
# roles TABLE: "OPTION=ROLE" of every option with an I/O role, sorted
roles() {
  awk -F'\t' '$7 != "-" { print $1 "=" $7 }' "$1" | sort | tr '\n' ' '
}
tt_in="--extent=in --friction=in --place-names=in --roads=in --sources=in --speeds=in"
overlay_in="--points=in --polygons=in --regions=in --sample=named --table=in"
for spec in \
  "overlay $overlay_in --output=out" \
  "population $overlay_in --places=in --weights-raster=in --output=out" \
  "dissolve --input=in --output=out" \
  "traveltime $tt_in --output=out --nearest=out --per-source=out --network-output=out --node-output=out" \
  "isochrone $tt_in --traveltime=in --nearest=in --clip=in --population=in --output=out" \
  "access $tt_in --supply=in --demand=in --units=in --output=out --reciprocal=out --supply-output=out --units-output=out" \
  "threat --units=in --grid=named --designation=in --agreement=out --calibration=out --output=out" \
  "fee --units=in --designation=in --age-table=in --weights=in --practices=in --practice-output=out --output=out" \
  "map --input=in --regions=in --points=in --output=out --style-into=update" \
  "webmap --input=in --join=in --regions=in --points=in --output=out"; do
  c=${spec%% *}
  want=$(printf '%s\n' ${spec#* } | sort | tr '\n' ' ')
  [ -s "$TMP/table-$c" ] && [ "$(roles "$TMP/table-$c")" = "$want" ]; ok $? "gpcov $c: the I/O roles of its file options ($(roles "$TMP/table-$c"))"
  miss=$(roleless "$TMP/table-$c")
  [ -s "$TMP/table-$c" ] && [ -z "$miss" ]; ok $? "gpcov $c: every option that names a file has an I/O role ($miss)"
done
printf -- '--grid\t-\tlist\tNAME=SRC.tif\t-\t-\t-\n--key\t-\tstring\tFIELD\t-\t-\t-\n--data\t-\tinput\tDIR\t-\t-\t-\n' >"$TMP/planted-roles"
[ "$(roleless "$TMP/planted-roles")" = " --grid" ]; ok $? "the role checker flags a file option without an I/O role"

# did you mean: an option, a command; nothing far-fetched
run threat --unit u.gpkg --rule 'r: v > 1' --output "$TMP/t.csv"
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q "unknown option '--unit'; did you mean '--units'?"; ok $? "an unknown option names the nearest one ($(echo "$err" | head -1))"
run traveltime --frictoin f.tif
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q "did you mean '--friction'"; ok $? "a transposition is caught too ($(echo "$err" | head -1))"
run report x.ini --dryrun
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q "unknown option or extra argument '--dryrun'; did you mean '--dry-run'?"; ok $? "report names the nearest option too ($(echo "$err" | head -1))"
run report x.ini y.ini
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q "unknown option or extra argument 'y.ini'$"; ok $? "report takes one definition ($(echo "$err" | head -1))"
printf '[report]\nout = %s/self\n[step again]\ncommand = report\n' "$TMP" >"$TMP/self.ini"
run report "$TMP/self.ini"
[ "$rc" = 1 ] && printf '%s' "$err" | grep -q "self.ini:3: step again: unknown command"; ok $? "a report step cannot run report ($(echo "$err" | head -1))"
run dissolve --frobnicate x
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q "unknown option '--frobnicate'" && ! printf '%s' "$err" | grep -q "did you mean"; ok $? "no suggestion for an option like none ($(echo "$err" | head -1))"
run treat --help
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q "unknown command 'treat'; did you mean 'threat'?"; ok $? "an unknown command names the nearest one"
run frobnicate
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q "unknown command 'frobnicate'$"; ok $? "no suggestion for a command like none"
run threat --combine most
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q -- "--combine 'most': all, any or score"; ok $? "a choice names its values ($(echo "$err" | head -1))"
run dissolve --input
[ "$rc" = 2 ] && printf '%s' "$err" | grep -q -- "--input needs a value"; ok $? "a missing value is named ($(echo "$err" | head -1))"
"$GPCOV" threat --help | grep -q -- '--combine all|any|score'; ok $? "the help lists a choice's values"

# completion from the table
if command -v bash >/dev/null; then
  comp() { # comp WORD... : the completions of the last word
    bash -c '. completion/gpcov.bash; COMP_WORDS=("$@"); COMP_CWORD=$(($#-1)); _gpcov; printf "%s\n" "${COMPREPLY[@]}"' _ "$GPCOV" "$@" 2>/dev/null | sort | tr '\n' ' '
  }
  r=$(comp threat --combine ""); [ "$r" = "all any score " ]; ok $? "completion: threat --combine offers all any score ($r)"
  r=$(comp threat --combine s); [ "$r" = "score " ]; ok $? "completion: threat --combine s ($r)"
  r=$(comp threat --thr); [ "$r" = "--threshold " ]; ok $? "completion: threat --thr ($r)"
  r=$(comp population --places-w); [ "$r" = "--places-weight --places-where " ]; ok $? "completion: a command's own and the overlay's options ($r)"
  mkdir -p "$TMP/c" && touch "$TMP/c/kommuner.shp"
  r=$(comp dissolve --input "$TMP/c/kom"); [ "$r" = "$TMP/c/kommuner.shp " ]; ok $? "completion: a file after an option with a value ($r)"
  r=$(comp report --ov); [ "$r" = "--overwrite " ]; ok $? "completion: report --ov, from its table ($r)"
  want=$(printf '%s\n' --set --overwrite --dry-run --verbose --help | sort | tr '\n' ' ')
  r=$(comp report --); [ "$r" = "$want" ]; ok $? "completion: report -- offers its options ($r)"
  r=$(comp report --set ""); [ -n "$r" ] && ! printf "%s" "$r" | grep -q -- "--"; ok $? "completion: report --set takes a value, not an option"
fi

# gpcov --help: every command of the command table (tools/commands.c), one
# line each with its description
"$GPCOV" --help >"$TMP/usage"
sed -n 's/^    {"\([a-z]*\)", cmd_[a-z]*, "\(.*\)",$/\1	\2/p' tools/commands.c >"$TMP/command-table"
listed=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$TMP/usage" | wc -l)
[ "$(wc -l <"$TMP/command-table")" -ge 11 ] && [ "$(wc -l <"$TMP/command-table")" = "$listed" ]
ok $? "gpcov --help lists as many commands as the command table ($listed)"
miss=""
while IFS="$(printf '\t')" read -r c what; do
  grep -qxF "$(printf '  %-11s %s' "$c" "$what")" "$TMP/usage" || miss="$miss $c"
done <"$TMP/command-table"
[ -z "$miss" ]; ok $? "gpcov --help: each command with its one-line description ($miss)"

# the man pages, made from the help texts
if command -v help2man >/dev/null; then
  sh doc/man.sh "$GPCOV" "$TMP/man" >/dev/null 2>&1; ok $? "doc/man.sh generates the man pages"
  m="$TMP/man/gpcov-report.1"
  [ -s "$m" ] && grep -q -- '\\-\\-dry\\-run' "$m" && grep -q -- '\\-\\-set' "$m" &&
    grep -q 'run a whole analysis from one definition file' "$m"
  ok $? "man page gpcov-report.1: its description and options"
  miss=""
  while IFS="$(printf '\t')" read -r c what; do [ -s "$TMP/man/gpcov-$c.1" ] || miss="$miss $c"; done <"$TMP/command-table"
  [ -z "$miss" ]; ok $? "a man page for every command ($miss)"
else
  echo "# SKIP man pages: help2man is not installed"
fi
echo "1..$n"
