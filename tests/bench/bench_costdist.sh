#!/bin/sh
# Friction travel time: gpcov against GRASS r.cost and against a yardstick,
# on the same inputs in the same run.  Two kinds of grid gpcov was not tuned
# on, generated here (tests/helpers/gridtool.c; seeds below): random gamma
# friction with barriers ("gamma"), and a road-like grid with lakes
# ("roadlake"); 100 m cells; at 1 M cells (for the scaling), 4 M and 16 M;
# with 3 and 25 sources; 8 moves.
#
# Each setting runs BENCH_REPEAT rounds (default 3), each round one run of
# every contender, one after the other (interleaved pairs: the machine's
# load changes from minute to minute), and the load average is read at the
# start of each round.  A ratio is the median over the rounds of the ratio
# within a round:
#   - gpcov's default (`gpcov traveltime`, the whole command: reading the
#     GeoTIFF and the CSV, searching on two threads from 4 M cells, writing
#     two compressed GeoTIFFs) against the whole GRASS run (r.in.gdal,
#     r.mapcalc, v.in.ascii, r.cost, two r.out.gdal, in `grass --exec`) and
#     against r.cost alone (memory=$RCOST_MEM MB, never swapping segments);
#   - gpcov's one-thread search alone (tests/bench/cost_search.c:
#     gpcov_costdist on the raster in memory) against the yardstick
#     (tests/bench/dial_yardstick.c: a plain exact one-thread Dial bucket
#     queue written apart from gpcov), over the same span, in CPU seconds
#     (steadier under load than wall seconds, which are printed too).
# Peak RSS of gpcov's command and of r.cost.
#
# Results are checked before any time is reported, and the bench exits 1
# when they differ: gpcov against r.cost (every cell within 1e-6
# relative, the same reach, the same nearest source), gpcov's one thread
# against its two (the GeoTIFFs byte-identical), and the yardstick against
# gpcov (within one float32 step, the same nearest source).
# The targets (at 4 M and 16 M cells): gpcov's default >= 8x the whole
# GRASS run and >= 6x r.cost alone, its one-thread search within 1.3x of
# the yardstick, its peak RSS below r.cost's and at most 460 MiB at 16 M
# cells.  A missed target is printed as "MISSED" and fails the bench
# unless BENCH_TARGETS=report.
#
#   BENCH_SIZES   "NXxNY ..." (default "1000x1000 2000x2000 4000x4000")
#   BENCH_KINDS   (default "gamma roadlake")
#   BENCH_SOURCES (default "3 25")
#   BENCH_REPEAT  rounds (default 3)
#   RCOST_MEM     r.cost memory= in MB (default 6000)
: "${GPCOV:?set GPCOV}" "${BUILD:?set BUILD}"
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
SIZES=${BENCH_SIZES:-"1000x1000 2000x2000 4000x4000"}
KINDS=${BENCH_KINDS:-"gamma roadlake"}
NSRCS=${BENCH_SOURCES:-"3 25"}
REPEAT=${BENCH_REPEAT:-3}
RCOST_MEM=${RCOST_MEM:-6000}
seed() { case $1 in gamma) echo 4101 ;; roadlake) echo 7207 ;; *) echo 1 ;; esac; }

install_pkg() { # install_pkg COMMAND PACKAGE: apt-get install when missing, as root
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "# installing $2"
    apt-get update -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1
  fi
  command -v "$1" >/dev/null 2>&1
}
[ -x /usr/bin/time ] || install_pkg /usr/bin/time time || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 1; }
install_pkg grass grass-core || { echo "bench: GRASS missing (apt-get install grass-core): r.cost cannot be run"; exit 1; }

W=${BENCH_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/gpcov-bench.XXXXXX")}
mkdir -p "$W"
[ -n "$BENCH_KEEP" ] || trap 'rm -rf "$W"' EXIT
GDAL_C=$(pkg-config --cflags gdal) GDAL_L=$(pkg-config --libs gdal)
CFLAGS="-O2 -std=c11 -D_POSIX_C_SOURCE=200809L -DGEOS_USE_ONLY_R_API -I$top/lib $(pkg-config --cflags gdal geos proj)"
LIBS="$(pkg-config --libs gdal geos proj cairo fontconfig libcrypto) -lm -pthread"
# shellcheck disable=SC2086
{ cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L $GDAL_C -o "$W/gridtool" "$top/tests/helpers/gridtool.c" $GDAL_L -lm &&
  cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L $GDAL_C -o "$W/yardstick" "$here/dial_yardstick.c" $GDAL_L -lm &&
  cc $CFLAGS -o "$W/cost_search" "$here/cost_search.c" "$BUILD/libgpcov.a" $LIBS; } || exit 1

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
field() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$1"; }

status=0
results="$W/results"
: >"$results"
tt() { # tt OUT.tif NEAR.tif: gpcov traveltime on $grid
  "$GPCOV" traveltime --friction "$W/$grid.tif" --sources "$W/$grid.csv" --x x --y y \
    --srs EPSG:25832 --source-id id --output "$1" --nearest "$2" --overwrite -q
}

# check WHAT CMD...: a result check; a difference fails the bench
check() {
  what=$1; shift
  if out=$("$@" 2>&1); then echo "  equal: $what: $(printf '%s' "$out" | tail -1)"
  else echo "  DIFFERENT: $what:"; printf '%s\n' "$out" | sed 's/^/    /'; status=1; fi
}

# one round: every contender once, interleaved; appends to $W/rounds
round() {
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %M" -o "$W/t_g" "$GPCOV" traveltime --friction "$W/$grid.tif" \
    --sources "$W/$grid.csv" --x x --y y --srs EPSG:25832 --source-id id \
    --output "$W/a.tif" --nearest "$W/a_n.tif" --overwrite -q || { echo "bench: gpcov failed"; return 1; }
  rm -f "$W/t_rcost"
  /usr/bin/time -f "%e %M" -o "$W/t_p" grass --tmp-location EPSG:25832 --exec sh "$W/grass.sh" \
    >"$W/grass.log" 2>&1 && [ -s "$W/t_rcost" ] || { echo "bench: GRASS failed:"; tail -5 "$W/grass.log"; return 1; }
  GPCOV_THREADS=1 "$W/cost_search" "$W/$grid.tif" "$W/$grid.csv" 1 >"$W/t_s" || return 1
  "$W/yardstick" "$W/$grid.tif" "$W/$grid.csv" 1 $yout >"$W/t_y" || return 1
  read -r gt gm <"$W/t_g"; read -r pt pm <"$W/t_p"; read -r rt rm <"$W/t_rcost"
  echo "load $load gpcov $gt gpcov_kb $gm grass $pt rcost $rt rcost_kb $rm" \
       "search $(field "$W/t_s" search_s) search_cpu $(field "$W/t_s" cpu_s)" \
       "yard $(field "$W/t_y" search_s) yard_cpu $(field "$W/t_y" cpu_s)" >>"$W/rounds"
}

# med KEY / ratio A B: the median over the rounds of a value / of A / B
med() { field "$W/rounds" "$1" | median; }
ratio() { awk -v a="$1" -v b="$2" '{ for (i = 1; i < NF; i++) { v[$i] = $(i + 1) } print v[a] / v[b] }' "$W/rounds" | median; }

setting() { # setting KIND NSRC NXxNY
  kind=$1 nsrc=$2 size=$3 nx=${3%x*} ny=${3#*x}
  cells=$((nx * ny)) grid="${kind}_${nsrc}_$size"
  printf '\n# %s, %s cells (%s), %s sources, seed %s\n' "$kind" "$cells" "$size" "$nsrc" "$(seed "$kind")"
  "$W/gridtool" "$kind" "$W/$grid.tif" "$W/$grid.csv" "$nx" "$ny" 100 "$(seed "$kind")" "$nsrc" >/dev/null || return 1
  cat >"$W/grass.sh" <<EOG
r.in.gdal --quiet input="$W/$grid.tif" output=f
g.region raster=f
r.mapcalc --quiet "c = f * ewres()"
v.in.ascii --quiet input="$W/$grid.csv" output=s separator=comma skip=1 x=2 y=3 cat=1
/usr/bin/time -f "%e %M" -o "$W/t_rcost" r.cost --quiet input=c output=a nearest=n start_points=s memory=$RCOST_MEM
r.out.gdal --quiet --overwrite -c input=a output="$W/r.tif" type=Float64 createopt=COMPRESS=DEFLATE,BIGTIFF=IF_SAFER
r.out.gdal --quiet --overwrite -c input=n output="$W/r_n.tif" type=Int32 createopt=COMPRESS=DEFLATE,BIGTIFF=IF_SAFER
EOG
  : >"$W/rounds"
  i=0
  while [ $i -lt "$REPEAT" ]; do
    yout=; [ $i = 0 ] && yout="$W/y.tif $W/y_n.tif"
    round || { status=1; return 1; }
    i=$((i + 1))
  done
  # the results, before any time
  check "gpcov and r.cost, every cell within 1e-6" \
    "$W/gridtool" compare "$W/a.tif" "$W/r.tif" --rtol 1e-6 --near "$W/a_n.tif" "$W/r_n.tif"
  check "gpcov's yardstick and gpcov, within one float32 step" \
    "$W/gridtool" compare "$W/a.tif" "$W/y.tif" --rtol 1.2e-7 --near "$W/a_n.tif" "$W/y_n.tif"
  GPCOV_THREADS=1 tt "$W/a1.tif" "$W/a1_n.tif" && GPCOV_THREADS=2 tt "$W/a2.tif" "$W/a2_n.tif" ||
    { echo "bench: gpcov failed"; status=1; return 1; }
  check "gpcov, 1 and 2 threads, the GeoTIFFs byte for byte" \
    sh -c "cmp '$W/a1.tif' '$W/a2.tif' && cmp '$W/a1_n.tif' '$W/a2_n.tif' && echo identical"
  report
  rm -f "$W/$grid.tif" "$W"/a*.tif "$W"/r*.tif "$W"/y*.tif
}

miss() { # miss WHAT: a target missed
  echo "  MISSED: $1"
  [ "${BENCH_TARGETS:-assert}" = report ] || status=1
}
atleast() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

report() {
  loads=$(field "$W/rounds" load | sort -g | tr '\n' ' ')
  gt=$(med gpcov) pt=$(med grass) rt=$(med rcost) st=$(med search) sc=$(med search_cpu)
  yt=$(med yard) yc=$(med yard_cpu)
  gm=$(med gpcov_kb | awk '{ printf "%.0f", $1 / 1024 }') rm=$(med rcost_kb | awk '{ printf "%.0f", $1 / 1024 }')
  whole=$(ratio grass gpcov) alone=$(ratio rcost gpcov) yw=$(ratio search yard) ycpu=$(ratio search_cpu yard_cpu)
  echo "  load (1-minute average at each round): $loads"
  printf '  gpcov traveltime (default) %6.2f s %5s MiB | whole GRASS run %6.2f s: %5.1fx | r.cost alone %6.2f s %5s MiB: %5.1fx\n' \
    "$gt" "$gm" "$pt" "$whole" "$rt" "$rm" "$alone"
  printf '  gpcov search, 1 thread %6.2f s (%.2f s CPU) | yardstick %6.2f s (%.2f s CPU): %.2fx the yardstick in CPU, %.2fx in wall time\n' \
    "$st" "$sc" "$yt" "$yc" "$ycpu" "$yw"
  echo "$kind $nsrc $cells $gt $rt $sc $yc $pt" >>"$results"
  [ "$cells" -ge 4000000 ] || return 0
  atleast "$whole" 8 || miss "gpcov $whole x the whole GRASS run, target 8x"
  atleast "$alone" 6 || miss "gpcov $alone x r.cost alone, target 6x"
  atleast 1.3 "$ycpu" || miss "gpcov's one-thread search $ycpu x the yardstick, target within 1.3x"
  atleast "$rm" "$gm" || miss "gpcov's peak RSS $gm MiB above r.cost's $rm MiB"
  [ "$cells" -lt 16000000 ] || atleast 460 "$gm" || miss "gpcov's peak RSS $gm MiB above 460 MiB"
}

for kind in $KINDS; do
  for size in $SIZES; do
    for nsrc in $NSRCS; do
      setting "$kind" "$nsrc" "$size"
    done
  done
done

# scaling from the smallest to the largest size: t ~ cells^e
echo
echo "# scaling exponents, t ~ cells^e, from the smallest to the largest size:"
awk '{ k = $1 " " $2; if (!(k in c0) || $3 < c0[k]) { c0[k] = $3; for (i = 4; i <= 8; i++) a[k, i] = $i }
       if (!(k in c1) || $3 > c1[k]) { c1[k] = $3; for (i = 4; i <= 8; i++) b[k, i] = $i } }
     END { split("gpcov_default r.cost gpcov_search_1t yardstick whole_GRASS", nm, " ")
           for (k in c0) if (c1[k] > c0[k]) { printf "  %s sources, %d -> %d cells:", k, c0[k], c1[k]
             for (i = 4; i <= 8; i++) printf " %s %.2f", nm[i - 3], log(b[k, i] / a[k, i]) / log(c1[k] / c0[k])
             print "" } }' "$results"
[ $status = 0 ] || echo "# bench_costdist: FAILED (a result differs, or a target was missed)"
exit $status
