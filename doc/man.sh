#!/bin/sh
# Generates the man pages from the one source of the options: the --help
# text of gpcov and of each command (help2man), plus the exit-code table
# that `gpcov --help` prints.
#   usage: sh doc/man.sh BUILD/gpcov OUTDIR
set -e
gpcov=$(readlink -f "$1"); out=$2
mkdir -p "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
version=$("$gpcov" --version | sed -n '1s/^gpcov //p')
export LC_ALL=C.UTF-8
# the exit-code table as an include file: "  N  meaning" lines after "exit codes:"
{
  echo '[EXIT STATUS]'
  "$gpcov" --help | sed -n '/^exit codes:/,/^$/p' | sed -n 's/^  \([0-9]\)  \(.*\)/.TP\n\\fB\1\\fR\n\2/p'
  echo '[SEE ALSO]'
  echo 'gpcov(1); the README of gpcov, and gpcov <command> --help.'
} >"$tmp/include"
# gpcov(1) itself
help2man -N -L C.UTF-8 --no-discard-stderr --version-string="$version" \
  -n "geospatial coverage analysis for Danish general practice" \
  --include="$tmp/include" -o "$out/gpcov.1" "$gpcov"
# one page per command: a wrapper named gpcov-<command> that help2man can run
"$gpcov" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z]*\) *\(.*\)/\1\t\2/p' |
while IFS="$(printf '\t')" read -r cmd what; do
  printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$gpcov" "$cmd" >"$tmp/gpcov-$cmd"
  chmod +x "$tmp/gpcov-$cmd"
  help2man -N -L C.UTF-8 --no-discard-stderr --version-string="$version" -n "$what" \
    --include="$tmp/include" -o "$out/gpcov-$cmd.1" "$tmp/gpcov-$cmd"
done
