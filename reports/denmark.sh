#!/bin/sh
# The main job on the embedded default data: the municipality indicator
# layer and the figure 3.8 maps.  Run by `make report`; DATA, OUT and
# GPCOV come from the Makefile.  Set ESUNDHED to an eSundhed table
# (kommune; tilmeldte patienter; lægekapaciteter) to get panel (b) as
# patients per GP capacity instead of the designated municipalities.
set -eu
: "${DATA:=../shared/data}" "${OUT:=reports/out}" "${GPCOV:=build/gpcov}"
mkdir -p "$OUT"

set -- \
  --polygons shapefiles/kommuner.shp --name-field name --keep flag --exempt 0411 \
  --table "$DATA/dst/folk1a_2020q1_area_age_sex.csv" --key code=area_code \
    --where "level in ('kommune', 'other')" \
    --agg "region_code:text=first(region_code)" \
    --agg "pop_2020=sum(total)" \
    --agg "pop80_2020=sum(total) where age >= 80" \
  --table "$DATA/dst/frkm126_kommune_2026_2035_agegroups.csv" --key code=kommune_code \
    --agg "pop_2026=sum(total) where year = 2026" \
    --agg "pop80_2026=sum(a80p) where year = 2026" \
    --agg "pop_2035=sum(total) where year = 2035" \
    --agg "pop80_2035=sum(a80p) where year = 2035" \
  --table "$DATA/plo/laegedaekningstruede_kommuner_2019.csv" --key code=kommune_code \
    --present designated_2019 \
  --points "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" \
    --agg "training_posts=sum(posts_dimensioned)" \
    --agg "training_sites=count()" \
  --derive "share80_2020=pct(pop80_2020, pop_2020)" \
  --derive "share80_2026=pct(pop80_2026, pop_2026)" \
  --derive "share80_2035=pct(pop80_2035, pop_2035)" \
  --derive "growth80_2026_2035=growth(pop80_2026, pop80_2035)"
if [ -n "${ESUNDHED:-}" ]; then
  set -- "$@" --table "$ESUNDHED" --key code=kommune \
    --field "patients=\"tilmeldte patienter\"" --field "capacities=lægekapaciteter" \
    --derive "patients_per_capacity=patients / capacities"
fi
"$GPCOV" overlay -q --overwrite "$@" \
  --output "$OUT/municipalities.geojson" \
  --output "$OUT/municipalities.gpkg" \
  --output "$OUT/municipalities.csv"
echo "wrote $OUT/municipalities.geojson, .gpkg, .csv"

# Figure 3.8: (a) the 80+ share in 2035, (b) patients per GP capacity when
# an eSundhed table is given, else the municipalities with designated
# threatened areas (PLO 2019), titled as such.
if [ -n "${ESUNDHED:-}" ]; then
  panel_b="field=patients_per_capacity,title=Tilmeldte patienter pr. lægekapacitet,unit=patienter pr. kapacitet (norm 1.600),breaks=fixed:-inf,1400,1500,1600,1700,1800,inf,decimals=0,palette=red"
else
  panel_b="field=designated_2019,categorical,title=Kommuner med lægedækningstruede områder (PLO 2019),true=Har lægedækningstruede områder,false=Ikke udpeget,note=Uden eSundhed-tabel vises udpegningen i stedet for patienter pr. lægekapacitet"
fi
"$GPCOV" map -q --overwrite --input "$OUT/municipalities.gpkg" \
  --regions shapefiles/regioner.shp \
  --points "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" --point-xy lon,lat \
  --point-label town --point-legend "Hoveduddannelse i almen medicin (2021)" \
  --panel "field=share80_2035,title=Andel borgere 80+ år i 2035,unit=%,breaks=quantile,classes=5,decimals=1" \
  --panel "$panel_b" \
  --title "Ældre borgere i 2035 og lægedækning, kommuner" --decimal-comma \
  --no-data-label "ingen data (Christiansø)" \
  --attribution "Indeholder data fra Geodatastyrelsen, DAGI, 2014. Kilde: Danmarks Statistik (FOLK1A 2020K1, FRKM126 2026), CC BY 4.0." \
  --attribution "Praktiserende Lægers Organisation 2019 (lægedækningstruede områder). VIVE 2023 (uddannelsessteder); © OpenStreetMap contributors, ODbL." \
  --output "$OUT/fig3_8.png" --output "$OUT/fig3_8.svg" --output "$OUT/fig3_8.pdf"
echo "wrote $OUT/fig3_8.png, .svg, .pdf"

# Commute from the training sites: 59 % of young doctors accept up to one
# hour each way, 25 % up to two.  With ROADS (an OpenStreetMap .osm.pbf, e.g.
# Geofabrik's denmark-latest) the road network model; without, the
# straight-line model, which every output and the map legend name.
if [ -n "${ROADS:-}" ]; then
  set -- --roads "$ROADS"
else
  set -- --straight-line --speed 60 --detour 1.3
fi
"$GPCOV" traveltime -q --overwrite "$@" --extent shapefiles/kommuner.shp --resolution "${RESOLUTION:-250}" \
  --sources "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" \
  --output "$OUT/commute_minutes.tif" --nearest "$OUT/commute_nearest.tif"
"$GPCOV" isochrone -q --overwrite --traveltime "$OUT/commute_minutes.tif" --minutes 30,60,120 \
  --clip shapefiles/kommuner.shp --output "$OUT/commute_isochrones.gpkg"
"$GPCOV" isochrone -q --overwrite --traveltime "$OUT/commute_minutes.tif" --minutes 30,60,120 \
  --clip shapefiles/kommuner.shp --bands --output "$OUT/commute_bands.gpkg"
"$GPCOV" map -q --overwrite --input "$OUT/commute_bands.gpkg" --key '' \
  --regions shapefiles/regioner.shp \
  --points "$DATA/training/hoveduddannelse_almen_medicin_2021.csv" --point-label town \
  --point-legend "Hoveduddannelse i almen medicin (2021)" \
  --panel "field=minutes,title=Rejsetid til nærmeste uddannelsessted,unit=min,breaks=fixed:0,30,60,120,decimals=0,palette=purple,note=meta:GPCOV_MODEL" \
  --no-data-label "over 120 min" --decimal-comma \
  --title "Pendling til hoveduddannelse i almen medicin" \
  --attribution "Indeholder data fra Geodatastyrelsen, DAGI, 2014. VIVE 2023 (uddannelsessteder); © OpenStreetMap contributors, ODbL." \
  --attribution "Lægeforeningen 2025 (n = 1.854): 59 % vil pendle op til 1 time hver vej for den rette hoveduddannelse, 25 % op til 2 timer." \
  --output "$OUT/commute.png" --output "$OUT/commute.svg" --output "$OUT/commute.pdf"
echo "wrote $OUT/commute_minutes.tif, commute_nearest.tif, commute_isochrones.gpkg, commute_bands.gpkg, commute.png/.svg/.pdf"
