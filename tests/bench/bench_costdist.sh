#!/bin/sh
# Friction travel time: gpcov traveltime against GRASS r.cost on the same
# inputs in the same run.  Generates land-and-sea friction grids shaped like
# a national one (coast, lakes, fields, forest, roads, two motorways with
# bridges; 100 m cells) with 25 sources at 1 M and 4 M cells, the national
# size (4,500 x 3,700) and four times that; runs both; checks that every
# cell agrees (1e-4 relative, same reach, same nearest source); prints wall
# time and peak RSS of each and the ratio r.cost / gpcov.
#
# What is timed: gpcov traveltime as a user runs it (reads the GeoTIFF and
# the CSV, computes, writes two compressed GeoTIFFs); r.cost alone, on a map
# already imported into GRASS, its outputs left in GRASS's own format, with
# memory=$RCOST_MEM MB so that it never swaps segments to disk.  Both use
# 8 moves, and the knight's move on the national grid.  gpcov runs twice:
# with one thread (GPCOV_THREADS=1) and with two competing wavefronts
# (GPCOV_THREADS=2, lib/travel/costdist_par.c: the default on two cores from 4 M
# cells up).  Every command runs BENCH_REPEAT times (default 3); the median
# run is reported.
#
#   BENCH_SIZES  "NXxNY ..." (default "1000x1000 2000x2000 4500x3700 9000x7400")
#   RCOST_MEM    r.cost memory= in MB (default 6000)
: "${GPCOV:?set GPCOV}"
here=$(cd "$(dirname "$0")" && pwd)
SIZES=${BENCH_SIZES:-"1000x1000 2000x2000 4500x3700 9000x7400"}
RCOST_MEM=${RCOST_MEM:-6000}

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
have_grass=1
install_pkg grass grass-core || { have_grass=0; echo "# GRASS not installed and not root: r.cost not run"; }

W=${BENCH_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/gpcov-bench.XXXXXX")}
mkdir -p "$W"
[ -n "$BENCH_KEEP" ] || trap 'rm -rf "$W"' EXIT
cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L $(pkg-config --cflags gdal) \
  -o "$W/gridtool" "$here/../helpers/gridtool.c" $(pkg-config --libs gdal) -lm || exit 1

# timed OUTFILE CMD...: runs CMD $REPEAT times under /usr/bin/time; OUTFILE
# gets the median run's "seconds KB" (single runs vary by 10-20 % here)
REPEAT=${BENCH_REPEAT:-3}
median() { sort -n "$1" | sed -n "$(( ($(wc -l <"$1") + 1) / 2 ))p"; }
timed() {
  o=$1; shift; : >"$o.all"; i=0
  while [ $i -lt "$REPEAT" ]; do
    /usr/bin/time -f "%e %M" -o "$o.1" "$@" || return 1
    cat "$o.1" >>"$o.all"; i=$((i + 1))
  done
  median "$o.all" >"$o"
}

status=0
results="$W/results"
: >"$results"
for size in $SIZES; do
  nx=${size%x*} ny=${size#*x}
  cells=$((nx * ny))
  name="g$size"
  printf '\n# %s cells (%s), 25 sources: ' "$cells" "$size"
  "$W/gridtool" denmark "$W/$name.tif" "$W/$name.csv" "$nx" "$ny" 100 7 25 || exit 1
  runs=8
  [ "$size" = 4500x3700 ] && runs="8 16"
  for moves in $runs; do
    k=; [ "$moves" = 16 ] && k=-k
    kk=; [ "$moves" = 16 ] && kk=--knight
    GPCOV_THREADS=2 timed "$W/t_gpcov1" "$GPCOV" traveltime --friction "$W/$name.tif" --sources "$W/$name.csv" \
      --x x --y y --srs EPSG:25832 --source-id id $kk \
      --output "$W/${name}_$moves.tif" --nearest "$W/${name}_${moves}_n.tif" --overwrite -q \
      || { echo "bench: gpcov traveltime (2 threads) failed"; status=1; continue; }
    read -r gt1 gm1 <"$W/t_gpcov1"
    GPCOV_THREADS=1 timed "$W/t_gpcov" "$GPCOV" traveltime --friction "$W/$name.tif" --sources "$W/$name.csv" \
      --x x --y y --srs EPSG:25832 --source-id id $kk \
      --output "$W/${name}_$moves.tif" --nearest "$W/${name}_${moves}_n.tif" --overwrite -q \
      || { echo "bench: gpcov traveltime failed"; status=1; continue; }
    read -r gt gm <"$W/t_gpcov"
    rt=- rm=- pt=- agree="not compared"
    if [ $have_grass = 1 ]; then
      cat >"$W/grass.sh" <<EOF
r.in.gdal --quiet input="$W/$name.tif" output=f
g.region raster=f
r.mapcalc --quiet "c = f * ewres()"
v.in.ascii --quiet input="$W/$name.csv" output=s separator=comma skip=1 x=2 y=3 cat=1
/usr/bin/time -a -f "%e %M" -o "$W/t_rcost_all" r.cost --quiet $k input=c output=a nearest=n start_points=s memory=$RCOST_MEM
r.out.gdal --quiet --overwrite -c input=a output="$W/${name}_${moves}_rcost.tif" type=Float64 createopt=COMPRESS=DEFLATE,BIGTIFF=IF_SAFER
r.out.gdal --quiet --overwrite -c input=n output="$W/${name}_${moves}_rcost_n.tif" type=Int32 createopt=COMPRESS=DEFLATE,BIGTIFF=IF_SAFER
EOF
      rm -f "$W/t_rcost_all"
      if timed "$W/t_grass" grass --tmp-location EPSG:25832 --exec sh "$W/grass.sh" >"$W/grass.log" 2>&1 &&
         [ -s "$W/t_rcost_all" ] && median "$W/t_rcost_all" >"$W/t_rcost"; then
        read -r rt rm <"$W/t_rcost"
        read -r pt pm <"$W/t_grass"
        if agree=$("$W/gridtool" compare "$W/${name}_$moves.tif" "$W/${name}_${moves}_rcost.tif" \
             --near "$W/${name}_${moves}_n.tif" "$W/${name}_${moves}_rcost_n.tif"); then
          agree="equal to r.cost: $agree"
        else
          status=1
          agree="DIFFERENT: $agree"
        fi
      else
        echo "bench: r.cost failed:"; tail -5 "$W/grass.log"; status=1
      fi
      rm -f "$W/${name}_${moves}_rcost.tif" "$W/${name}_${moves}_rcost_n.tif" "$W/t_rcost"
    fi
    echo "$cells $size $moves $gt $gm $rt $rm $gt1 $gm1" >>"$results"
    echo
    printf '  %2s moves  gpcov, 1 thread %7.2f s %7.0f MB' "$moves" "$gt" "$(echo "$gm" | awk '{print $1/1024}')"
    if [ "$rt" != - ]; then
      printf '   r.cost %7.2f s %7.0f MB   r.cost/gpcov time %.1fx, RSS %.1fx' "$rt" \
        "$(echo "$rm" | awk '{print $1/1024}')" "$(echo "$rt $gt" | awk '{print $1/$2}')" \
        "$(echo "$rm $gm" | awk '{print $1/$2}')"
    fi
    printf '\n           gpcov, 2 threads (the default on 2 cores) %7.2f s %7.0f MB' "$gt1" "$(echo "$gm1" | awk '{print $1/1024}')"
    [ "$rt" != - ] && printf ': r.cost/gpcov time %.1fx, whole GRASS run %.1fx' \
      "$(echo "$rt $gt1" | awk '{print $1/$2}')" "$(echo "$pt $gt1" | awk '{print $1/$2}')"
    if [ "$pt" != - ]; then
      printf '\n           whole GRASS run (import, r.cost, export) %7.2f s: %.1fx the whole gpcov command' \
        "$pt" "$(echo "$pt $gt" | awk '{print $1/$2}')"
    fi
    printf '\n  %s\n' "$agree" | sed 's/^  # /  /'
    rm -f "$W/${name}_$moves.tif" "$W/${name}_${moves}_n.tif"
  done
  rm -f "$W/$name.tif"
done

# growth with size, 8 moves: seconds per million cells, and the 1 M -> 4 M factor
echo
echo "# time per million cells (8 moves):"
awk '$3 == 8 { printf "  %9d cells  gpcov (1 thread) %.2f s/Mcell", $1, $4 / ($1 / 1e6);
               if ($6 != "-") printf "   r.cost %.2f s/Mcell", $6 / ($1 / 1e6); print "" }' "$results"
awk '$3 == 8 && $1 == 1000000 { g1 = $4; r1 = $6 } $3 == 8 && $1 == 4000000 { g4 = $4; r4 = $6 }
     END { if (g1 && g4) { printf "# 1 M -> 4 M cells: gpcov (1 thread) time x%.2f", g4 / g1;
                           if (r1 != "-" && r4 != "-" && r1 > 0) printf ", r.cost x%.2f", r4 / r1;
                           print " (x4 would be linear)" } }' "$results"
exit $status
