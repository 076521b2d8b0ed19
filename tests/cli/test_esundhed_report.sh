#!/bin/sh
# The README's eSundhed command as an analyst types it: `make report-run
# ESUNDHED="/path/Nøgletal almen praksis 2023.xlsx"` with spaces, Danish
# letters and a quote in the path, on an XLSX as saved (title rows,
# "Tilmeldte patienter (antal)", municipalities by name and as "851
# Aalborg", national, regional and total rows), the straight-line model for
# speed.  The report definition is used unedited; patients per capacity
# comes through for the municipalities in the table and stays empty for
# the others; the steps' closing lines (population, access, the figure,
# the travel times) say values the inputs give, and no command lines.
. "$(dirname "$0")/lib.sh"

dir="$TMP/Region Nordjylland's tal/Lægedækning"
mkdir -p "$dir"
# an XLSX with a title row (written by ogr2ogr: the first CSV line is the
# sheet's first row), a blank row, the header, the national and regional
# rows, then every municipality but Odense (0461) by name ("Københavns
# Kommune", "851 Aalborg"): patients the 2026 population, capacities
# patients / (1500 + code / 10) to one decimal, and a total row
awk -F, 'BEGIN { print "Nøgletal for almen praksis - kommuner 2023; ;  "; print " ; ; "
  print "Kommune;Tilmeldte patienter (antal);Lægekapaciteter (antal)"
  print "Hele landet;5932654;3680.5"; print "Region Nordjylland;589755;346.4" }
  NR > 1 && $4 == 2026 && $1 != "0461" {
    n = $1 == "0101" ? "Københavns Kommune" : $1 == "0851" ? "851 Aalborg" : $2
    printf "%s;%d;%.1f\n", n, $5, $5 / (1500 + $1 / 10); s += $5 }
  END { printf "I alt;%d;3600.0\n", s }' "$DATA/dst/frkm126_kommune_2026_2035_agegroups.csv" >"$TMP/es.csv"
ES="$dir/Nøgletal almen praksis 2023.xlsx"
ogr2ogr -f XLSX "$ES" "$TMP/es.csv" -oo AUTODETECT_TYPE=NO 2>/dev/null
[ -s "$ES" ]; ok $? "an eSundhed XLSX under a path with spaces, Danish letters and a quote"

# make report-run as the README says, the binary and shapefiles as they
# are (and nothing of an outer make's command line, when make check runs it)
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -o "$GPCOV" -o shapefiles/kommuner.shp -o shapefiles/regioner.shp \
  report-run GPCOV="$GPCOV" DATA="$DATA" OUT="$TMP/out" MODEL=straight ESUNDHED="$ES" \
  >"$TMP/stdout" 2>"$TMP/stderr"
rc=$?
[ "$rc" = 0 ]; ok $? "make report-run ESUNDHED=\"$ES\" runs (rc $rc)"
[ "$rc" = 0 ] || tail -3 "$TMP/stderr" | sed 's/^/#   /'
grep -q "Nøgletal almen praksis 2023.xlsx: header on row 3 (2 title rows skipped)" "$TMP/stderr"
ok $? "the header is found below the title rows"
grep -q "3 national, regional or total rows set aside, not joined: Hele landet, Region Nordjylland, I alt" "$TMP/stderr"
ok $? "the national, regional and total rows are set aside"

# patients per capacity per municipality, from the indicator layer
ppc() { awk -F, -v k="$1" 'NR==1{for(i=1;i<=NF;i++) if($i=="patients_per_capacity") c=i; next} $1==k{print $c}' "$TMP/out/municipalities.csv"; }
# the expected value from the table as written: patients / capacities
want() { awk -F';' -v k="$1" '$1 == k { printf "%.6f", $2 / $3 }' "$TMP/es.csv"; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && (a - b) ^ 2 < 1e-8) }'; }
near "$(ppc 0825)" "$(want Læsø)"; ok $? "Læsø by name: $(ppc 0825) patients per capacity ($(want Læsø))"
near "$(ppc 0101)" "$(want 'Københavns Kommune')"
ok $? "'Københavns Kommune' is 0101: $(ppc 0101) ($(want 'Københavns Kommune'))"
near "$(ppc 0851)" "$(want '851 Aalborg')"; ok $? "'851 Aalborg' is 0851: $(ppc 0851) ($(want '851 Aalborg'))"
[ -z "$(ppc 0461)" ]; ok $? "Odense, not in the table: empty, not 0 ($(ppc 0461))"
grep -q '"esundhed": "[^"]*Nøgletal almen praksis 2023.xlsx"' "$TMP/out/manifest.json"
ok $? "the manifest records the path as given"

# the steps' closing lines, on values from the inputs: FOLK1A's people,
# the training areas and their posts (the region totals), the figure
pop=$(awk -F, 'NR > 1 && ($3 == "kommune" || $3 == "other") { s += $8 } END { print s }' \
  "$DATA/dst/folk1a_2020q1_area_age_sex.csv")
grep -q "^step population: $pop people (pop) of 99 municipalities spread over [0-9]* places" "$TMP/stderr"
ok $? "step population: the $pop people of FOLK1A"
T=$DATA/training/hoveduddannelse_almen_medicin_2021.csv
ns=$(($(wc -l <"$T") - 1))
posts=$(awk -F, 'NR > 1 && !seen[$1]++ { s += $8 } END { print s }' "$T")
grep -q "^step access_training: $ns supply points, capacity $posts shared out over [0-9]* people; sum of people x score = $posts.000000$" "$TMP/stderr"
ok $? "step access_training: $ns training areas, $posts posts shared out"
grep -q "^step fig3_8: wrote $TMP/out/fig3_8.png, $TMP/out/fig3_8.svg, $TMP/out/fig3_8.pdf: 2 panels" "$TMP/stderr"
ok $? "step fig3_8: the three files and two panels"
grep -q "^step commute_minutes: 100.0 % of [0-9]* cells in the grid reached, max [0-9]* min, $ns sources, straight-line model$" "$TMP/stderr"
ok $? "step commute_minutes: the straight-line model from $ns sources"
! grep -q "^step [a-z_]*: gpcov " "$TMP/stderr" "$TMP/stdout"; ok $? "no command lines without --verbose"
echo "1..$n"
