#!/bin/sh
# gpcov overlay on tables as analysts save them from eSundhed and Statistics
# Denmark: title rows above the header, capitalised headers with units,
# municipalities by name, national, regional and total rows, a Windows-1252
# semicolon CSV whose path has spaces and Danish letters, an XLSX (written
# by ogr2ogr) with a title row; line numbers after blank lines, and
# --skip-rows over title lines with spaces.  The joined values were checked by hand
# against the fixtures in tests/fixtures/tables_as_saved/.
. "$(dirname "$0")/lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/tables_as_saved" && pwd)
POLY="$DATA/dagi/kommuner.geojson"
set -- --polygons "$POLY" --polygon-key KOMKODE --name-field KOMNAVN --allow-missing
# row CSV CODE: the output row of municipality CODE
row() { grep "^$2," "$1"; }

# 1. Windows-1252 semicolon CSV, two title rows (one with a comma), units in
#    the headers, names instead of codes, a total and a region row
T="$FIX/Nøgletal almen praksis 2023.csv"
run overlay "$@" --table "$T" --key KOMKODE=Kommune --field patienter=tilmeldte_patienter \
  --field 'borgere="Borgere pr. læge"' --output "$TMP/n.csv"
[ "$rc" = 0 ]; ok $? "Nøgletal: joins without edits (rc $rc)"
printf '%s' "$err" | grep -q "Nøgletal almen praksis 2023.csv: header on line 3 (2 title lines skipped)"
ok $? "Nøgletal: a notice names the header line and the title lines skipped"
printf '%s' "$err" | grep -q "3 national, regional or total rows set aside, not joined: Hele landet, Region Nordjylland, I alt"
ok $? "Nøgletal: one notice lists the national, regional and total rows set aside"
[ "$(row "$TMP/n.csv" 0825)" = "0825,Læsø,1834,1834" ]; ok $? "Nøgletal: Læsø by name"
[ "$(row "$TMP/n.csv" 0101)" = "0101,København,650123,1480.2" ]; ok $? "Nøgletal: 'Københavns Kommune' is København"
[ "$(row "$TMP/n.csv" 0751)" = "0751,Aarhus,360500,1590" ]; ok $? "Nøgletal: Aarhus by name"
[ "$(row "$TMP/n.csv" 0851)" = "0851,Aalborg,221407,1650.7" ]; ok $? "Nøgletal: '851 Aalborg' by its code"
[ "$(row "$TMP/n.csv" 0169)" = "0169,Høje Taastrup,51210,1890.4" ]; ok $? "Nøgletal: 'Høje-Taastrup' is Høje Taastrup"
[ "$(row "$TMP/n.csv" 0461)" = "0461,Odense,," ]; ok $? "Nøgletal: a municipality without a row stays empty"

# 2. StatBank's LABY27 saved as a comma CSV: a title with a comma, a blank
#    line, the header found by the key column's name, "825 Læsø" keys
run overlay --polygons "$POLY" --polygon-key KOMKODE --allow-missing --table "$FIX/LABY27.csv" \
  --key KOMKODE=område --field 'b="borgere pr. læge"' --output "$TMP/l.csv"
[ "$rc" = 0 ]; ok $? "LABY27: joins without edits (rc $rc)"
printf '%s' "$err" | grep -q "LABY27.csv: header on line 3 (2 title lines skipped)"
ok $? "LABY27: the header notice"
[ "$(row "$TMP/l.csv" 0825)" = "0825,1834" ] && [ "$(row "$TMP/l.csv" 0101)" = "0101,1480" ] &&
  [ "$(row "$TMP/l.csv" 0751)" = "0751,1590" ]
ok $? "LABY27: Læsø, København and Aarhus joined"

# 3. An XLSX written by ogr2ogr with a title row and a blank row
run overlay "$@" --table "$FIX/Lægedækning titel.xlsx" --key KOMKODE=Kommune \
  --field 'p="tilmeldte patienter"' --field l=læger --output "$TMP/x.csv"
[ "$rc" = 0 ]; ok $? "XLSX: joins without edits (rc $rc)"
printf '%s' "$err" | grep -q "Lægedækning titel.xlsx: header on row 3 (2 title rows skipped)"
ok $? "XLSX: the header notice"
printf '%s' "$err" | grep -q "2 national, regional or total rows set aside, not joined: Region Midtjylland, Total"
ok $? "XLSX: the region and total rows set aside"
[ "$(row "$TMP/x.csv" 0825)" = "0825,Læsø,1834,1" ] && [ "$(row "$TMP/x.csv" 0101)" = "0101,København,650123,439" ] &&
  [ "$(row "$TMP/x.csv" 0751)" = "0751,Aarhus,360500,227" ]
ok $? "XLSX: Læsø, København and Aarhus joined"

# 4. An unknown name: an error with the nearest name, and no output
run overlay "$@" --table "$FIX/unknown name.csv" --key KOMKODE=Kommune --field p=Tilmeldte_Patienter \
  --output "$TMP/unknown.csv"
[ "$rc" = 1 ] && [ ! -e "$TMP/unknown.csv" ] && printf '%s' "$err" |
  grep -q "unknown name.csv:4: no municipality named 'Lesø' in .*kommuner.geojson (did you mean 0825 Læsø?)"
ok $? "an unknown name: exit 1, no output, the nearest name suggested"

# 5. A declared name that matches two columns: an error naming both
run overlay "$@" --table "$FIX/two patienter.csv" --key KOMKODE=Kommune --field p=PATIENTER \
  --output "$TMP/ambiguous.csv"
[ "$rc" = 2 ] && [ ! -e "$TMP/ambiguous.csv" ] && printf '%s' "$err" |
  grep -q "'PATIENTER' matches two columns, 'Patienter (antal)' and 'patienter'"
ok $? "an ambiguous column name: exit 2, no output, both columns named"

# 7. line numbers in messages count every line of the file, blank ones too
#    (OGR skips them), as an editor shows them
printf 'kode,v\n0101,1\n\n\n0147,1\n0147,2\n' >"$TMP/blank.csv"
run overlay "$@" --table "$TMP/blank.csv" --key KOMKODE=kode --field v=v --output "$TMP/blank.out.csv"
[ "$rc" = 1 ] && printf '%s' "$err" | grep -q "blank.csv:6: key '0147' appears again (first at line 5)"
ok $? "after blank lines, a row's line is the file's line ($err)"

# 8. --skip-rows over title lines without a separator: the separator is
#    judged from the rows below them, not taken as a space
printf 'Borgere pr læge 2023\nKilde eSundhed udtrukket marts 2024\nKommune;Tilmeldte patienter;Læger\n0825;1834;1\n0101;650123;400\n' >"$TMP/skip.csv"
run overlay --polygons "$POLY" --polygon-key KOMKODE --allow-missing --table "$TMP/skip.csv" \
  --skip-rows 2 --key KOMKODE=Kommune --field 'p="Tilmeldte patienter"' --field l=Læger --output "$TMP/skip.out.csv"
[ "$rc" = 0 ] && [ "$(row "$TMP/skip.out.csv" 0825)" = "0825,1834,1" ] && [ "$(row "$TMP/skip.out.csv" 0101)" = "0101,650123,400" ]
ok $? "--skip-rows 2 over title lines with spaces: the semicolon columns ($err)"
echo "1..$n"
