#!/usr/bin/python3
# make_corpus.py: writes the hostile inputs of tests/bad/ (the committed
# files are what the tests read; this script says how each was made and
# can remake them).  Needs python3-gdal.  Run from the repository root:
#   /usr/bin/python3 tests/bad/make_corpus.py
import os, struct, zipfile, io
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
D = os.path.join(os.path.dirname(os.path.abspath(__file__)))


def w(name, data):
    data = bytes(data) if isinstance(data, bytearray) else data
    mode = 'wb' if isinstance(data, bytes) else 'w'
    with open(os.path.join(D, name), mode, **({} if mode == 'wb' else {'newline': ''})) as f:
        f.write(data)


def utm_square(x0, y0, s=1000.0):
    return [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]]


CRS25832 = '"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},'
# two squares on Zealand (EPSG:25832), codes 0101 and 0147
X0, Y0 = 720000.0, 6170000.0


def fc(features, crs=True):
    return '{"type":"FeatureCollection",' + (CRS25832 if crs else '') + '"features":[\n' + \
        ',\n'.join(features) + ']}\n'


def poly(code, ring):
    return '{"type":"Feature","properties":{"KOMKODE":"%s","v":%d},"geometry":{"type":"Polygon","coordinates":[%s]}}' % (
        code, int(code), str(ring).replace(' ', ''))


good = fc([poly('0101', utm_square(X0, Y0)), poly('0147', utm_square(X0 + 1000, Y0))])
w('polygons_ok.geojson', good)

# ------------------------------------------------------------ tables
w('table_ok.csv', 'code,v\n101,1\n')
w('csv_truncated_quote.csv', 'code,name,v\n101,København,1\n147,"Frederiks')
w('csv_latin1.csv', 'code,navn,v\n101,København,1\n147,Frederiksberg Ø,2\n'.encode('cp1252'))
w('csv_bom.csv', '\ufeffcode,v\n101,1.5\n147,2\n'.encode('utf-8'))
w('csv_excel_semicolon.csv',
  '\ufeffkommune;tilmeldte patienter;lægekapaciteter\r\n101 København;16.500;2,5\r\n147 Frederiksberg;1.234.567;10\r\n'.encode('utf-8'))
w('csv_excel_cp1252.csv',
  'kommune;navn;tilmeldte patienter;lægekapaciteter\r\n101;København;16.500;2,5\r\n147;Frederiksberg;1.790;1,5\r\n'.encode('cp1252'))
w('csv_utf16.csv', 'code\tv\r\n101\t1\r\n'.encode('utf-16'))
w('csv_dup_codes.csv', 'code,v\n101,1\n147,2\n"0101",3\n')
w('csv_unknown_code.csv', 'code,v\n101,1\n9999,2\n')
w('csv_header_only.csv', 'code,v\n')
w('csv_empty.csv', '')
w('csv_binary.csv', b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10' + bytes(range(256)))
w('csv_dst_dots.csv', 'code,v\n101,12\n147,..\n')
w('csv_formula.csv', 'code,navn,v\n101,=1+2,-5\n147,-2+3,+3\n')
w('csv_sum_overflow.csv', 'code,v\n101,1e308\n147,1\n101,1e308\n')
w('csv_nul.csv', b'code,v\n101,1\n147,\x002\n')
w('csv_comma_decimal.csv', 'code,v\n101,1\n147,2,5\n')

# XLSX: a real one made by GDAL, then cut; and a CSV saved as .xlsx
tmpx = '/vsimem/t.xlsx'
ds = gdal.GetDriverByName('XLSX').Create(tmpx, 0, 0, 0, gdal.GDT_Unknown)
lyr = ds.CreateLayer('Ark1', geom_type=ogr.wkbNone)
lyr.CreateField(ogr.FieldDefn('code', ogr.OFTString))
lyr.CreateField(ogr.FieldDefn('v', ogr.OFTString))
for c, v in (('101', '1'), ('147', '2')):
    f = ogr.Feature(lyr.GetLayerDefn()); f['code'] = c; f['v'] = v; lyr.CreateFeature(f)
ds = None
f = gdal.VSIFOpenL(tmpx, 'rb'); gdal.VSIFSeekL(f, 0, 2); n = gdal.VSIFTellL(f); gdal.VSIFSeekL(f, 0, 0)
xlsx = gdal.VSIFReadL(1, n, f); gdal.VSIFCloseL(f)
w('xlsx_truncated.xlsx', xlsx[: len(xlsx) // 2])
w('xlsx_not_zip.xlsx', 'code,v\n101,1\n')

# ------------------------------------------------------------ polygons
w('geojson_truncated.geojson', good[: len(good) * 2 // 3])
w('geojson_empty.geojson', fc([]))
bow = [[X0, Y0], [X0 + 1000, Y0 + 1000], [X0 + 1000, Y0], [X0, Y0 + 1000], [X0, Y0]]
w('geojson_bowtie.geojson', fc([poly('0101', bow)]))
flat = [[X0, Y0], [X0 + 500, Y0], [X0 + 1000, Y0], [X0, Y0]]
w('geojson_zero_area.geojson', fc([poly('0101', utm_square(X0 + 5000, Y0)), poly('0147', flat)]))
w('geojson_utm_no_crs.geojson', fc([poly('0101', utm_square(X0, Y0))], crs=False))
w('geojson_lines.geojson', fc(['{"type":"Feature","properties":{"KOMKODE":"0101"},"geometry":{"type":"LineString","coordinates":[[%f,%f],[%f,%f]]}}' % (X0, Y0, X0 + 1000, Y0)]))
w('geojson_null_geometry.geojson', fc(['{"type":"Feature","properties":{"KOMKODE":"0101"},"geometry":null}']))


def shp(name, parts=('shp', 'shx', 'dbf', 'prj')):
    p = '/vsimem/s/%s.shp' % name
    src = gdal.OpenEx(os.path.join(D, 'polygons_ok.geojson'), gdal.OF_VECTOR)
    gdal.VectorTranslate(p, src, format='ESRI Shapefile')
    src = None
    out = {}
    for ext in ('shp', 'shx', 'dbf', 'prj'):
        f = gdal.VSIFOpenL('/vsimem/s/%s.%s' % (name, ext), 'rb')
        gdal.VSIFSeekL(f, 0, 2); n = gdal.VSIFTellL(f); gdal.VSIFSeekL(f, 0, 0)
        out[ext] = gdal.VSIFReadL(1, n, f); gdal.VSIFCloseL(f)
    return out


s = shp('shp_no_dbf')
for ext in ('shp', 'shx', 'prj'):
    w('shp_no_dbf.' + ext, s[ext])
s = shp('shp_no_shx')
for ext in ('shp', 'dbf', 'prj'):
    w('shp_no_shx.' + ext, s[ext])
s = shp('shp_truncated')
w('shp_truncated.shp', s['shp'][:150])
for ext in ('shx', 'dbf', 'prj'):
    w('shp_truncated.' + ext, s[ext])
# the index claims 100 million records and a 1 GB main file
s = shp('shp_claims_huge')
shx = bytearray(s['shx']); shpb = bytearray(s['shp'])
struct.pack_into('>i', shx, 24, (100 + 8 * 100000000) // 2)
struct.pack_into('>i', shpb, 24, (1 << 30) // 2)
w('shp_claims_huge.shx', bytes(shx)); w('shp_claims_huge.shp', bytes(shpb))
for ext in ('dbf', 'prj'):
    w('shp_claims_huge.' + ext, s[ext])

gp = os.path.join(D, 'gpkg_empty_layer.gpkg')
if os.path.exists(gp):
    os.remove(gp)
ds = ogr.GetDriverByName('GPKG').CreateDataSource(gp)
srs = osr.SpatialReference(); srs.ImportFromEPSG(25832)
lyr = ds.CreateLayer('kommuner', srs, ogr.wkbMultiPolygon)
lyr.CreateField(ogr.FieldDefn('KOMKODE', ogr.OFTString))
lyr.CreateField(ogr.FieldDefn('v', ogr.OFTReal))
ds = None
gdal.VectorTranslate('/vsimem/full.gpkg', os.path.join(D, 'polygons_ok.geojson'), format='GPKG')
f = gdal.VSIFOpenL('/vsimem/full.gpkg', 'rb'); gdal.VSIFSeekL(f, 0, 2); n = gdal.VSIFTellL(f); gdal.VSIFSeekL(f, 0, 0)
g = gdal.VSIFReadL(1, n, f); gdal.VSIFCloseL(f)
w('gpkg_truncated.gpkg', g[:8192])

# ------------------------------------------------------------ points (lon/lat CSV)
w('points_swapped.csv', 'id,lon,lat,posts\nKbh,55.6867,12.5701,5\n')
w('points_one_swapped.csv', 'id,lon,lat\nA,12.1,55.7\nB,55.7,12.1\n')
w('points_outside.csv', 'id,lon,lat,posts\nKbh,12.5701,55.6867,5\nMalmö,13.0038,55.6050,3\n')
w('points_no_coords.csv', 'id,lon,lat,posts\nKbh,12.5701,55.6867,5\nAarhus,10.2134,,4\n')
w('points_decimal_comma.csv', 'id;lon;lat;posts\nKbh;12,5701;55,6867;5\nAarhus;10,2134;56,1496;4\n')
w('places_negative.csv', 'lat,lon,name,place,population\n55.6867,12.5701,København,city,613288\n55.6786,12.5635,Vesterbro,suburb,-5\n')
w('places_latin1.csv', 'lat,lon,name,place,population\n55.6867,12.5701,København,city,613288\n57.2667,11.0167,Læsø By,village,900\n'.encode('cp1252'))
w('places_header_only.csv', 'lat,lon,name,place,population\n')

# ------------------------------------------------------------ rasters
def tif(name, nx=20, ny=20, val=0.001, srs_epsg=25832, gt=None, fill=None, dtype=gdal.GDT_Float32):
    path = os.path.join(D, name)
    ds = gdal.GetDriverByName('GTiff').Create(path, nx, ny, 1, dtype, ['COMPRESS=DEFLATE'])
    ds.SetGeoTransform(gt or (X0 - 5000, 500, 0, Y0 + 5000, 0, -500))
    if srs_epsg:
        s = osr.SpatialReference(); s.ImportFromEPSG(srs_epsg); ds.SetSpatialRef(s)
    b = ds.GetRasterBand(1)
    b.Fill(val)
    if fill:
        fill(b)
    ds = None
    return path


tif('friction_ok.tif')
tif('raster_no_crs.tif', srs_epsg=None)
tif('raster_rotated.tif', gt=(X0 - 5000, 433.0, 250.0, Y0 + 5000, 250.0, -433.0))
tif('raster_lonlat.tif', srs_epsg=4326, gt=(12.0, 0.01, 0, 56.0, 0, -0.01))


def nan_neg(b):
    import array
    row = array.array('f', [0.001] * 20)
    row[7] = -0.5
    b.WriteRaster(0, 4, 20, 1, row.tobytes())


tif('friction_negative.tif', fill=nan_neg)


def nan_only(b):
    import array
    row = array.array('f', [0.001] * 20)
    row[3] = float('nan')
    b.WriteRaster(0, 4, 20, 1, row.tobytes())


tif('friction_nan.tif', fill=nan_only)
p = tif('/tmp/_full.tif', nx=60, ny=60)
with open(p, 'rb') as f:
    full = f.read()
w('raster_truncated.tif', full[: len(full) // 3])
os.remove(p)
w('raster_not_tiff.tif', 'this is a text file saved as .tif\n')
w('sources_ok.csv', 'id,lon,lat\nA,12.1,55.7\n')
src_fc = '{"type":"FeatureCollection","features":[]}\n'
w('sources_empty.geojson', src_fc)
w('sources_outside_grid.csv', 'id,lon,lat\nA,12.1,55.7\nSkagen,10.5833,57.7167\n')

# roads
w('roads_truncated.osm', '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n <node id="1" lat="55.70" lon="12.10"/>\n <node id="2" lat="55.71" lon="12.11"/>\n <way id="10">\n  <nd ref="1"/>\n  <nd re')
w('roads_points.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"Point","coordinates":[12.1,55.7]}}]}\n')
w('speeds_text.csv', 'class,kmh\nmotorway,110\nprimary,fast\n')
w('speeds_negative.csv', 'class,kmh\nmotorway,110\nprimary,-70\n')

# ------------------------------------------------------------ access
w('supply_ok.csv', 'id,lon,lat,cap\nA,12.5,55.7,3\n')
w('supply_negative.csv', 'id,lon,lat,cap\nA,12.1,55.7,3\nB,12.2,55.75,-2\n')
w('supply_text.csv', 'id,lon,lat,cap\nA,12.1,55.7,3\nB,12.2,55.75,tre\n')
w('demand_ok.csv', 'lon,lat,population\n12.1,55.7,100\n12.15,55.72,50\n')

# ------------------------------------------------------------ threat / fee
units = '{"type":"FeatureCollection",' + CRS25832 + '"features":[' + ','.join(
    '{"type":"Feature","properties":{"komkode":"%s","v":%d,"pop_2020":%d,"designated_2019":%s},"geometry":{"type":"Polygon","coordinates":[%s]}}' % (
        c, v, p, d, str(utm_square(X0 + i * 1000, Y0)).replace(' ', ''))
    for i, (c, v, p, d) in enumerate((('0101', 1, 1000, 'true'), ('0147', 3, 2000, 'false')))) + ']}\n'
w('units_ok.geojson', units)
# weights that sum to 0 (a wmean over them has no value)
w('units_zero_weights.geojson', units.replace('"v":', '"w":0,"v":'))
# a name that a spreadsheet would run as a formula
w('units_formula_name.geojson', units.replace('"v":1,', '"v":1,"name":"=1+2",')
  .replace('"v":3,', '"v":3,"name":"Frederiksberg",'))
w('designation_ok.csv', 'kommune_code,kommune_name\n0101,København\n')
# counts beyond any real municipality (the øre arithmetic would overflow)
w('units_patients_huge.geojson', units.replace('"pop_2020":2000', '"pop_2020":1e12,"capacities":1')
  .replace('"pop_2020":1000', '"pop_2020":1000,"capacities":1'))
w('designation_unknown_code.csv', 'kommune_code,kommune_name\n0101,København\n0999,Atlantis\n')
w('designation_empty.csv', 'kommune_code,kommune_name\n')
w('age_ok.csv', 'area_code,age,men,women\n0101,30,400,400\n0101,85,100,100\n0147,30,900,900\n0147,85,100,100\n')
w('weights_overlap.csv', 'sex,age_from,age_to,weight\nall,0,79,1.0\nall,70,125,2.7\n')
w('weights_negative.csv', 'sex,age_from,age_to,weight\nall,0,79,1.0\nall,80,125,-2.7\n')
w('weights_text.csv', 'sex,age_from,age_to,weight\nall,0,79,1.0\nall,80,125,høj\n')

# ------------------------------------------------------------ map
w('map_no_field.geojson', units.replace('"v":', '"w":'))

# ------------------------------------------------------------ report definitions
w('ini_circular.ini', '[report]\nout = ${a}/x\na = ${b}\nb = ${a}\n\n[step s]\ncommand = overlay\noutput = ${out}/x.csv\n')
w('ini_missing_ref.ini', '[report]\nout = /tmp\n\n[step s]\ncommand = overlay\npolygons = ${data}/kommuner.shp\noutput = ${out}/x.csv\n')
w('ini_unknown_key.ini', '[report]\n\n[step s]\ncommand = overlay\npolygons = tests/bad/polygons_ok.geojson\ntable = tests/bad/table_ok.csv\nkey = KOMKODE=code\nfield = v=v\nallow-missing =\ncolour = red\noutput = ${out}/x.csv\n')
w('ini_duplicate_section.ini', '[report]\n\n[step s]\ncommand = overlay\npolygons = tests/bad/polygons_ok.geojson\ntable = tests/bad/table_ok.csv\nkey = KOMKODE=code\nfield = v=v\nallow-missing =\noutput = ${out}/x.csv\n\n[step s]\ncommand = overlay\npolygons = tests/bad/polygons_ok.geojson\noutput = ${out}/y.csv\n')
w('ini_missing_file.ini', '[report]\n\n[step s]\ncommand = overlay\npolygons = tests/bad/polygons_ok.geojson\ntable = tests/bad/no_such_table.csv\nkey = KOMKODE=code\nfield = v=v\noutput = ${out}/x.csv\n')
w('ini_step_cycle.ini', '[report]\n\n[step a]\ncommand = overlay\npolygons = ${out}/b.gpkg\ntable = tests/bad/table_ok.csv\nkey = KOMKODE=code\nfield = v=v\nallow-missing =\noutput = ${out}/a.gpkg\n\n[step b]\ncommand = overlay\npolygons = ${out}/a.gpkg\npolygon-key = komkode\ntable = tests/bad/table_ok.csv\nkey = komkode=code\nfield = w=v\nallow-missing =\noutput = ${out}/b.gpkg\n')
w('ini_unknown_command.ini', '[report]\n\n[step s]\ncommand = frobnicate\noutput = ${out}/x.csv\n')
w('ini_bom_crlf.ini', '\ufeff[report]\r\n# saved by Notepad\r\n\r\n[step s]\r\ncommand = overlay\r\npolygons = tests/bad/polygons_ok.geojson\r\ntable = tests/bad/table_ok.csv\r\nkey = KOMKODE=code\r\nfield = v=v\r\nallow-missing =\r\noutput = ${out}/x.csv\r\n'.encode('utf-8'))
w('ini_no_sections.ini', 'command = overlay\noutput = x.csv\n')
