#!/bin/sh
# check.sh: the house rule on lengths.  Measures every function (with
# lengths.awk) and every .c file under the directories given, recursively,
# and fails when a function is over 80 lines or a file over 900, unless the
# allow-list names it, and when the allow-list names something that is no
# longer over (so the list only shrinks).  The allow-list has one
# "NAME reason" a line, NAME a function's name or a file's path as given
# here (lib/map/render.c); "#" lines and blank lines are comments.
#   usage: sh tests/house/check.sh ALLOW-LIST DIR...
here=$(dirname "$0")
allow=$1; shift
[ -r "$allow" ] || { echo "# check.sh: cannot read the allow-list $allow"; exit 2; }
list=$(find -H "$@" -name '*.c' -type f | sort)
[ -n "$list" ] || { echo "# check.sh: no .c file under $*"; exit 2; }
{
  for f in $list; do echo "file $(wc -l <"$f") $f $f"; done
  # shellcheck disable=SC2086
  awk -f "$here/lengths.awk" $list | awk '{ print "function", $1, $3, $2 }'
} | awk -v max_function=80 -v max_file=900 '
  FNR == NR { if ($0 !~ /^[ \t]*(#|$)/) allowed[$1] = $0; next }
  {
    kind = $1; n = $2; name = $3; where = $4
    limit = kind == "file" ? max_file : max_function
    if (n + 0 <= limit) next
    over[name] = 1
    if (name in allowed) next
    printf "# %s %s (%s): %d lines, over %d\n", kind, name, where, n, limit
    bad = 1
  }
  END {
    for (a in allowed) if (!(a in over)) {
      printf "# allow-list: %s is no longer over its limit: take it off\n", a
      bad = 1
    }
    exit bad
  }' "$allow" -
