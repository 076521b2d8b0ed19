#!/bin/sh
# gpcov and PostGIS: a throwaway PostgreSQL 15 + PostGIS cluster on a local
# socket (tests/helpers/pgcluster.sh), every command's vector output written
# to it with PG:... tables=NAME, read back with psql and ogrinfo: row
# counts, SRID 25832, column types, the GiST index, UTF-8 names, values equal
# to the same command's file output; no overwrite without --overwrite; a
# failure mid-write leaves no half table and the previous table intact;
# --polygons PG:... reads municipalities back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/pgcluster.sh"

if [ "$(id -u)" != 0 ] || ! pg_available || \
   [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  echo "ok 1 # SKIP needs root and Debian's postgresql-15 and postgresql-15-postgis-3 (make deps-check)"
  echo "1..1"
  exit 0
fi
trap 'pg_stop; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
t0=$(date +%s)
if ! pg_start; then
  echo "not ok 1 - start a PostgreSQL cluster"
  exit 1
fi
pg_psql postgres -c "CREATE DATABASE gp" -c "CREATE DATABASE plain"
pg_psql gp -c "CREATE EXTENSION postgis"
CONN="PG:dbname=gp host=$PG_SOCK user=postgres"
# as root straight to the socket (trust): cheaper than runuser per query
q() { psql -h "$PG_SOCK" -U postgres -X -q -At -c "$1" gp 2>&1; }
# numbers equal within a relative tolerance
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (b < 0 ? -b : b); exit !(a != "" && d <= t * (m > 1 ? m : 1)) }'; }
# two "key,number,..." files equal field by field (text exactly, numbers
# within 1e-9 relative): prints the first difference
same_rows() {
  awk -F'|' 'NR == FNR { a[FNR] = $0; n = FNR; next }
    { if (!(FNR in a)) { print "extra row " FNR ": " $0; bad = 1; exit }
      split(a[FNR], x, "|"); m = split($0, y, "|")
      for (i = 1; i <= m; i++) {
        if (x[i] == y[i]) continue
        if (x[i] ~ /^-?[0-9.eE+-]+$/ && y[i] ~ /^-?[0-9.eE+-]+$/) {
          d = x[i] - y[i]; if (d < 0) d = -d; s = (x[i] < 0 ? -x[i] : x[i]); if (s < 1) s = 1
          if (d <= 1e-9 * s) continue
        }
        print "row " FNR " field " i ": " x[i] " vs " y[i]; bad = 1; exit
      } }
    END { if (!bad && FNR != n) { print FNR " rows vs " n; bad = 1 } exit bad }' "$1" "$2"
}
# a layer of a file as "a|b|c" rows, by an SQL query (OGR SQLite dialect)
ogr_rows() { ogr2ogr -f CSV /vsistdout/ "$1" -dialect sqlite -sql "$2" -lco SEPARATOR=TAB 2>/dev/null | tail -n +2 | tr '\t' '|' | tr -d '"'; }
leftover() { q "SELECT count(*) FROM pg_class WHERE relname LIKE 'gpcov_tmp%'"; }
asan=0; case "$GPCOV" in *asan*) asan=1 ;; esac

# ---------------------------------------------------------------- dissolve
K="$DATA/dagi/kommuner.geojson"
DIS="dissolve --input $K --key KOMKODE --name KOMNAVN --flag 0411=not-a-municipality"
# shellcheck disable=SC2086
run $DIS --output "$CONN tables=kommuner"
[ "$rc" = 0 ]; ok $? "dissolve --output PG:... tables=kommuner ($err)"
# shellcheck disable=SC2086
run $DIS --output "$TMP/kommuner.gpkg"
[ "$rc" = 0 ]; ok $? "the same dissolve to a GeoPackage ($err)"
[ "$(q "SELECT count(*), count(*) FILTER (WHERE flag <> '') FROM kommuner")" = "99|1" ]; ok $? "99 rows: 98 municipalities and Christiansø, flagged"
[ "$(q "SELECT Find_SRID('public', 'kommuner', 'geom')")" = 25832 ]; ok $? "the geometry column is registered with SRID 25832"
[ "$(q "SELECT string_agg(DISTINCT ST_SRID(geom)::text, ',') FROM kommuner")" = 25832 ]; ok $? "every geometry has SRID 25832"
[ "$(q "SELECT type FROM geometry_columns WHERE f_table_name = 'kommuner'")" = MULTIPOLYGON ]; ok $? "geometry type MultiPolygon"
t=$(q "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'kommuner'")
[ "$t" = "fid:integer,code:character varying,name:character varying,flag:character varying,geom:USER-DEFINED" ]; ok $? "column types: fid integer, code/name/flag text ($t)"
[ "$(q "SELECT count(*) FROM pg_indexes WHERE tablename = 'kommuner' AND indexname = 'kommuner_geom_geom_idx' AND indexdef LIKE '%USING gist (geom)%'")" = 1 ]; ok $? "a GiST index on geom, named after the table"
[ "$(q "SELECT name FROM kommuner WHERE code = '0101'")" = "København" ]; ok $? "code '0101' keeps its leading zero"
[ "$(q "SELECT string_agg(name, ',' ORDER BY code) FROM kommuner WHERE code IN ('0169', '0492', '0825', '0760')")" = "Høje Taastrup,Ærø,Ringkøbing-Skjern,Læsø" ]; ok $? "UTF-8 names round-trip: Høje Taastrup, Ærø, Ringkøbing-Skjern, Læsø"
[ "$(q "SELECT encode(convert_to(name, 'UTF8'), 'hex') FROM kommuner WHERE code = '0492'")" = c38672c3b8 ]; ok $? "Ærø is stored as the UTF-8 bytes c3 86 72 c3 b8"
q "SELECT code || '|' || name FROM kommuner ORDER BY code" >"$TMP/names_pg"
ogr_rows "$TMP/kommuner.gpkg" "SELECT code, name FROM kommuner ORDER BY code" >"$TMP/names_file"
cmp -s "$TMP/names_pg" "$TMP/names_file"; ok $? "every code and name equals the GeoPackage's, byte for byte ($(wc -l <"$TMP/names_pg") rows)"
a_pg=$(q "SELECT sum(ST_Area(geom)) FROM kommuner")
a_f=$(ogr_rows "$TMP/kommuner.gpkg" "SELECT sum(ST_Area(geom)) FROM kommuner")
near "$a_pg" "$a_f" 1e-9; ok $? "total area equals the GeoPackage's ($a_pg m2 vs $a_f)"
v=$(ogrinfo -ro -so "$CONN tables=kommuner" kommuner 2>&1)
printf '%s' "$v" | grep -q "Feature Count: 99" && printf '%s' "$v" | grep -q "Geometry: Multi Polygon" &&
  printf '%s' "$v" | grep -q 'ID\["EPSG",25832\]'; ok $? "ogrinfo reads it back: 99 multipolygons in EPSG:25832"
[ "$(ogrinfo -ro -q "$CONN tables=kommuner" -sql "SELECT name FROM kommuner WHERE code = '0825'" | sed -n 's/.*name (String) = //p')" = "Læsø" ]; ok $? "ogrinfo reads Læsø back"

# ---------------------------------------------------------------- no overwrite
oid=$(q "SELECT 'kommuner'::regclass::oid")
# shellcheck disable=SC2086
run $DIS --output "$CONN tables=kommuner"
[ "$rc" = 1 ]; ok $? "an existing table is refused: exit 1 (got $rc)"
printf '%s' "$err" | grep -q "tables=kommuner: table public.kommuner exists already (use --overwrite to replace it)"; ok $? "and says so ($err)"
[ "$(q "SELECT 'kommuner'::regclass::oid || '|' || (SELECT count(*) FROM kommuner)")" = "$oid|99" ]; ok $? "the table is intact (same table, 99 rows)"
[ "$(leftover)" = 0 ]; ok $? "no temporary table left"
# shellcheck disable=SC2086
run $DIS --output "$CONN tables=kommuner" --overwrite
[ "$rc" = 0 ]; ok $? "--overwrite replaces it ($err)"
[ "$(q "SELECT ('kommuner'::regclass::oid <> $oid)::text || '|' || (SELECT count(*) FROM kommuner)")" = "true|99" ]; ok $? "a new table with 99 rows"
[ "$(q "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'kommuner'")" = "kommuner_geom_geom_idx,kommuner_pkey" ]; ok $? "its indexes carry the table's name, not the temporary one"
[ "$(q "SELECT pg_get_serial_sequence('kommuner', 'fid')")" = "public.kommuner_fid_seq" ]; ok $? "and so does its fid sequence"
[ "$(leftover)" = 0 ]; ok $? "no temporary table left after a replace"

# ---------------------------------------------------------------- failures
# A constraint that PostgreSQL adds to every new table (an event trigger)
# rejects the row of Læsø: the write fails in the middle of the rows.
oid=$(q "SELECT 'kommuner'::regclass::oid")
pg_psql gp <<'SQL'
CREATE FUNCTION no_laeso() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE o record;
BEGIN
  FOR o IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' LOOP
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT no_laeso CHECK (name IS DISTINCT FROM %L)',
                   o.object_identity, 'Læsø');
  END LOOP;
END $$;
CREATE EVENT TRIGGER no_laeso ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION no_laeso();
SQL
# shellcheck disable=SC2086
run $DIS --output "$CONN tables=kommuner" --overwrite
[ "$rc" = 1 ]; ok $? "a row rejected by the database mid-write: exit 1 (got $rc)"
printf '%s' "$err" | grep -q 'tables=kommuner: .*no_laeso'; ok $? "the message names the destination and the database's reason ($err)"
[ "$(q "SELECT 'kommuner'::regclass::oid || '|' || (SELECT count(*) FROM kommuner)")" = "$oid|99" ]; ok $? "the previous table is intact (same table, 99 rows)"
[ "$(leftover)" = 0 ]; ok $? "no half-written table left"
# shellcheck disable=SC2086
run $DIS --output "$CONN tables=fresh"
[ "$rc" = 1 ] && [ "$(q "SELECT to_regclass('fresh') IS NULL")" = t ] && [ "$(leftover)" = 0 ]
ok $? "a failed write of a new table leaves no table at all (exit $rc)"
pg_psql gp -c "DROP EVENT TRIGGER no_laeso"

# A role that may create tables but does not own the one it replaces: the
# rows are written, the final DROP fails, the transaction rolls back.
pg_psql gp -c "CREATE ROLE writer LOGIN" -c "GRANT CREATE ON SCHEMA public TO writer"
# shellcheck disable=SC2086
run $DIS --output "PG:dbname=gp host=$PG_SOCK user=writer tables=kommuner" --overwrite
[ "$rc" = 1 ]; ok $? "replacing a table the role does not own: exit 1 (got $rc)"
printf '%s' "$err" | grep -q "cannot replace public.kommuner: .*must be owner"; ok $? "and says why ($err)"
[ "$(q "SELECT 'kommuner'::regclass::oid || '|' || (SELECT count(*) FROM kommuner)")" = "$oid|99" ]; ok $? "the previous table is intact"
[ "$(leftover)" = 0 ]; ok $? "no temporary table left"

# bad destinations: exit code, message, nothing created
tables() { q "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"; }
before=$(tables)
expect_fail 2 "names its table: PG:<connection> tables=NAME" "" "no tables=" -- $DIS --output "$CONN"
[ "$(tables)" = "$before" ]; ok $? "no tables=: nothing created"
expect_fail 2 "table 'Kommuner-2': use \[schema.\]name in lower-case" "" "a table name that needs quoting" -- $DIS --output "$CONN tables=Kommuner-2"
[ "$(tables)" = "$before" ]; ok $? "bad name: nothing created"
expect_fail 1 "the database has no PostGIS (CREATE EXTENSION postgis)" "" "a database without PostGIS" -- $DIS --output "PG:dbname=plain host=$PG_SOCK user=postgres tables=k"
[ "$(pg_psql plain -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ]; ok $? "no PostGIS: nothing created there"
expect_fail 1 "cannot connect" "" "no server at that socket" -- $DIS --output "PG:dbname=gp host=$TMP/nosock user=postgres tables=k"
expect_fail 1 "tables=kommuner: table public.kommuner exists already" "" "overlay refuses an existing table before any work" -- \
  overlay --polygons "$TMP/kommuner.gpkg" --table "$DATA/dst/folk1a_2020q1_area_age_sex.csv" --key code=area_code \
  --agg "pop=sum(total)" --output "$CONN tables=kommuner"

# a schema of its own
pg_psql gp -c "CREATE SCHEMA gis"
# shellcheck disable=SC2086
run $DIS --output "$CONN tables=gis.kommuner"
[ "$rc" = 0 ] && [ "$(q "SELECT count(*) FROM gis.kommuner") $(q "SELECT Find_SRID('gis', 'kommuner', 'geom')")" = "99 25832" ]
ok $? "tables=gis.kommuner writes into schema gis ($err)"

# ---------------------------------------------------------------- reading
OV() {
  "$GPCOV" overlay -q --polygons "$1" --name-field name --keep flag --exempt 0411 \
    --table "$DATA/dst/folk1a_2020q1_area_age_sex.csv" --key code=area_code --where "level in ('kommune', 'other')" \
    --agg "pop_2020=sum(total)" --agg "pop80_2020=sum(total) where age >= 80" \
    --table "$DATA/plo/laegedaekningstruede_kommuner_2019.csv" --key code=kommune_code --present designated_2019 \
    --derive "share80_2020=pct(pop80_2020, pop_2020)" --output "$2" --output "$3" ${4:+"$4"} 2>"$TMP/stderr"
}
OV "$CONN tables=kommuner" "$CONN tables=muni" "$TMP/muni_pg.csv"; rc=$?
[ "$rc" = 0 ]; ok $? "overlay --polygons PG:... tables=kommuner --output PG:... tables=muni ($(cat "$TMP/stderr"))"
# the same table as input and output: refused before anything is written,
# with and without the schema, by another user of the same database
before=$(q "SELECT count(*), sum(pop_2020), sum(share80_2020) FROM muni")
OV "$CONN tables=muni" "$CONN tables=muni" "$TMP/muni_self.csv" 2>/dev/null; rc=$?
[ "$rc" = 1 ] && grep -q "tables=muni: table public.muni exists already" "$TMP/stderr" && [ ! -e "$TMP/muni_self.csv" ]
ok $? "the input table muni as the output: exit 1, named, no CSV ($rc: $(cat "$TMP/stderr"))"
kbefore=$(q "SELECT count(*), string_agg(code || name, ',' ORDER BY code), sum(ST_Area(geom)) FROM kommuner" | md5sum)
OV "$CONN tables=kommuner" "$CONN tables=public.kommuner" "$TMP/muni_self.csv" --overwrite; rc=$?
[ "$rc" = 1 ] && grep -q "tables=public.kommuner: table public.kommuner is also an input of this run (PG:.*tables=kommuner): an input is never replaced" "$TMP/stderr" && [ ! -e "$TMP/muni_self.csv" ]
ok $? "the input kommuner as public.kommuner, with --overwrite: refused as an input ($rc: $(cat "$TMP/stderr"))"
[ "$(q "SELECT count(*), sum(pop_2020), sum(share80_2020) FROM muni")" = "$before" ] &&
  [ "$(q "SELECT count(*), string_agg(code || name, ',' ORDER BY code), sum(ST_Area(geom)) FROM kommuner" | md5sum)" = "$kbefore" ]
ok $? "... and both tables are untouched ($before)"
OV "$TMP/kommuner.gpkg" "$TMP/muni.gpkg" "$TMP/muni_file.csv"; rc=$?
[ "$rc" = 0 ]; ok $? "the same overlay from the GeoPackage"
cmp -s "$TMP/muni_pg.csv" "$TMP/muni_file.csv"; ok $? "municipalities read from PostGIS give the same result as from the file"
[ "$(q "SELECT count(*), sum(pop_2020) FROM muni")" = "99|5822763" ]; ok $? "muni: 99 rows, 5,822,763 people"
t=$(q "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'muni'")
[ "$t" = "fid:integer,komkode:character varying,name:character varying,flag:character varying,pop_2020:integer,pop80_2020:integer,designated_2019:boolean,share80_2020:double precision,geom:USER-DEFINED" ]
ok $? "muni column types: text code, integer counts, boolean, double precision ($t)"
q "SELECT komkode, name, pop_2020, pop80_2020, designated_2019, share80_2020 FROM muni ORDER BY komkode" |
  sed 's/|t|/|1|/; s/|f|/|0|/' >"$TMP/muni_pg"
ogr_rows "$TMP/muni.gpkg" "SELECT komkode, name, pop_2020, pop80_2020, designated_2019, share80_2020 FROM muni ORDER BY komkode" >"$TMP/muni_gpkg"
d=$(same_rows "$TMP/muni_gpkg" "$TMP/muni_pg"); ok $? "every value equals the GeoPackage's (share80 within 1e-9) $d"
[ "$(q "SELECT komkode FROM muni WHERE name = 'Ærø'")" = 0492 ]; ok $? "muni: Ærø is 0492"

# ---------------------------------------------------------------- isochrone
cat >"$TMP/box.geojson" <<'G'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
{"type":"Feature","properties":{"id":1},"geometry":{"type":"Polygon","coordinates":[[[690000,6160000],[720000,6160000],[720000,6190000],[690000,6190000],[690000,6160000]]]}}]}
G
printf 'id,x,y\n7,705050,6175050\n' >"$TMP/one.csv"
ISO="isochrone --straight-line --extent $TMP/box.geojson --resolution 250 --sources $TMP/one.csv --x x --y y --srs EPSG:25832 --minutes 5,10 --clip $TMP/box.geojson --bands"
# shellcheck disable=SC2086
run $ISO --output "$CONN tables=bands"
[ "$rc" = 0 ]; ok $? "isochrone bands to PostGIS ($err)"
# shellcheck disable=SC2086
run $ISO --output "$TMP/bands.geojson"
[ "$rc" = 0 ]; ok $? "and to GeoJSON"
[ "$(q "SELECT type || ' ' || srid FROM geometry_columns WHERE f_table_name = 'bands'")" = "MULTIPOLYGON 25832" ]; ok $? "bands: MultiPolygon in EPSG:25832, though the GeoJSON is in lon/lat"
grep -q '"coordinates": \[ \[ \[ 12\.[0-9]*, 55\.' "$TMP/bands.geojson"; ok $? "(the GeoJSON has lon/lat coordinates)"
q "SELECT minutes, area_km2, from_minutes FROM bands ORDER BY fid" >"$TMP/b_pg"
ogr_rows "$TMP/bands.geojson" "SELECT minutes, area_km2, from_minutes FROM bands" >"$TMP/b_file"
d=$(same_rows "$TMP/b_file" "$TMP/b_pg"); ok $? "bands: minutes and areas equal the GeoJSON's $d"
a=$(q "SELECT round((sum(ST_Area(geom)) / 1e6)::numeric, 6) FROM bands")
near "$a" 900 1e-9; ok $? "the bands' geometries tile the 30 x 30 km box in metres ($a km2)"
[ "$(q "SELECT count(*) FROM pg_indexes WHERE tablename = 'bands' AND indexdef LIKE '%USING gist%'")" = 1 ]; ok $? "bands: GiST index"

# ---------------------------------------------------------------- access
CRS='"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}}'
cat >"$TMP/row.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"code":"0101","navn":"Vest"},"geometry":{"type":"Polygon","coordinates":[[[700000,6170000],[702000,6170000],[702000,6171000],[700000,6171000],[700000,6170000]]]}},
{"type":"Feature","properties":{"code":"0147","navn":"Øst"},"geometry":{"type":"Polygon","coordinates":[[[702000,6170000],[704000,6170000],[704000,6171000],[702000,6171000],[702000,6170000]]]}}]}
G
cat >"$TMP/people.geojson" <<G
{"type":"FeatureCollection",$CRS,"features":[
{"type":"Feature","properties":{"population":100},"geometry":{"type":"Point","coordinates":[700400,6170400]}},
{"type":"Feature","properties":{"population":200},"geometry":{"type":"Point","coordinates":[701500,6170500]}},
{"type":"Feature","properties":{"population":300},"geometry":{"type":"Point","coordinates":[703600,6170600]}}]}
G
printf 'id,x,y,cap\nA,700500,6170500,10\nB,703500,6170500,6\n' >"$TMP/supply.csv"
ACC="access --straight-line --speed 60 --detour 1 --extent $TMP/row.geojson --resolution 1000 --supply $TMP/supply.csv --x x --y y --srs EPSG:25832 --supply-id id --capacity-field cap --demand $TMP/people.geojson --d0 1.5 --units $TMP/row.geojson --units-key code --units-name navn -q"
# shellcheck disable=SC2086
run $ACC --supply-output "$CONN tables=supply" --units-output "$CONN tables=units"
[ "$rc" = 0 ]; ok $? "access: supply and unit tables to PostGIS ($err)"
# shellcheck disable=SC2086
run $ACC --supply-output "$TMP/supply.gpkg" --units-output "$TMP/units.gpkg"
[ "$rc" = 0 ]; ok $? "and to GeoPackages"
[ "$(q "SELECT string_agg(id || ':' || ratio, ',' ORDER BY id) FROM supply")" = "A:0.0333333333333333,B:0.02" ]; ok $? "supply: R_A = 10/300, R_B = 6/300"
[ "$(q "SELECT type || ' ' || srid FROM geometry_columns WHERE f_table_name = 'supply'")" = "POINT 25832" ]; ok $? "supply: points in EPSG:25832"
q "SELECT komkode, name, population, access, pop_per_capacity FROM units ORDER BY komkode" >"$TMP/u_pg"
ogr_rows "$TMP/units.gpkg" "SELECT komkode, name, population, access, pop_per_capacity FROM units ORDER BY komkode" >"$TMP/u_file"
d=$(same_rows "$TMP/u_file" "$TMP/u_pg"); ok $? "units: values equal the GeoPackage's (Øst included) $d"
[ "$(leftover)" = 0 ]; ok $? "access: no temporary table left"
expect_fail 1 "tables=units: table public.units exists already" "" "access refuses an existing table" -- \
  $ACC --units-output "$CONN tables=units"

# ---------------------------------------------------------------- threat, fee
run threat --units "$CONN tables=muni" --rule 'old: share80_2020 > wmean(share80_2020, pop_2020) + 1' \
  --exclude 0411 --output "$CONN tables=threat" -q
[ "$rc" = 0 ]; ok $? "threat reads units from PostGIS and writes there ($err)"
run threat --units "$TMP/muni.gpkg" --rule 'old: share80_2020 > wmean(share80_2020, pop_2020) + 1' \
  --exclude 0411 --output "$TMP/threat.csv" -q
[ "$rc" = 0 ]; ok $? "the same threat from the GeoPackage to CSV"
n_file=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "threatened") k = i; next } $k == 1 || $k == "true" { n++ } END { print n + 0 }' "$TMP/threat.csv")
n_pg=$(q "SELECT count(*) FROM threat WHERE threatened")
[ "$n_pg" = "$n_file" ] && [ "$n_pg" -gt 0 ]; ok $? "threat: the same municipalities threatened ($n_pg)"
[ "$(q "SELECT data_type FROM information_schema.columns WHERE table_name = 'threat' AND column_name = 'threatened'")" = boolean ]; ok $? "threatened is a boolean column"
run fee --units "$CONN tables=muni" --age-table "$DATA/dst/folk1a_2020q1_area_age_sex.csv" \
  --output "$CONN tables=fee" --output "$TMP/fee.csv" -q
[ "$rc" = 0 ]; ok $? "fee to PostGIS and CSV ($err)"
[ "$(q "SELECT round(sum(total_dkk)::numeric, 2) FROM fee")" = "60000000.00" ]; ok $? "fee: the amounts sum to 60,000,000.00 DKK"
q "SELECT komkode, total_dkk FROM fee ORDER BY komkode" >"$TMP/f_pg"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "komkode") a = i; if ($i == "total_dkk") b = i } next } { print $a "|" $b }' "$TMP/fee.csv" | sort >"$TMP/f_file"
d=$(same_rows "$TMP/f_file" "$TMP/f_pg"); ok $? "fee: every amount equals the CSV's $d"

# ---------------------------------------------------------------- population
if [ "$asan" = 1 ]; then
  echo "ok $((n+1)) # SKIP population points on the real data under the sanitizers (the normal build runs it)"
  n=$((n+1))
else
  POP="population -q --polygons $TMP/kommuner.gpkg --table $DATA/dst/folk1a_2020q1_area_age_sex.csv --key code=area_code --agg pop=sum(total) --places $DATA/osm/places_with_population_2019.csv"
  # shellcheck disable=SC2086
  "$GPCOV" $POP --where "level in ('kommune','other')" --output "$CONN tables=people" 2>"$TMP/stderr"; rc=$?
  [ "$rc" = 0 ]; ok $? "population points to PostGIS ($(cat "$TMP/stderr"))"
  # shellcheck disable=SC2086
  "$GPCOV" $POP --where "level in ('kommune','other')" --output "$TMP/people.gpkg" 2>/dev/null
  [ "$(q "SELECT type || ' ' || srid FROM geometry_columns WHERE f_table_name = 'people'")" = "POINT 25832" ]; ok $? "people: points in EPSG:25832"
  c_pg=$(q "SELECT count(*) || '|' || sum(pop) FROM people")
  c_f=$(ogr_rows "$TMP/people.gpkg" "SELECT count(*), sum(pop) FROM people")
  [ "$c_pg" = "$c_f" ] && [ "${c_pg#*|}" = 5822763 ]; ok $? "people: as many points and people as the GeoPackage ($c_pg)"
fi

[ "$(leftover)" = 0 ]; ok $? "no temporary table left at the end"
echo "# postgis test took $(( $(date +%s) - t0 )) s"
echo "1..$n"
