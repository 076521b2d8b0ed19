# check_styles.py: loads GeoPackage layers in QGIS (headless) the way an
# analyst opens them, with their default style from layer_styles, then every
# other stored style, and prints TAP lines: QGIS read the renderer gpcov
# wrote (type, field, classes) and gives every feature the colour of the
# class gpcov's rule puts it in (lo < v <= hi, the first class also lo;
# categories by value; no value: the no-data category, or nothing for a
# graduated renderer, which has no class for it).
#   usage: /usr/bin/python3 check_styles.py FILE.gpkg:LAYER:STYLE[,STYLE...] ...
#   (the first STYLE is the one expected as default)
import sys
from qgis.core import QgsApplication, QgsVectorLayer, QgsRenderContext
from qgis.PyQt.QtXml import QDomDocument

app = QgsApplication([], False)
app.initQgis()
n = 0


def ok(cond, what):
    global n
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, what))


def same_value(v, x):
    try:
        return float(x) == float(v)
    except (TypeError, ValueError):
        return str(x).lower() == str(v).lower()


def expected_colour(r, v):
    if r.type() == "graduatedSymbol":
        if v is None:
            return None
        for i, rg in enumerate(r.ranges()):
            lo, hi = rg.lowerValue(), rg.upperValue()
            if (lo < v or (i == 0 and lo == v)) and v <= hi:
                return rg.symbol().color().name()
        return "outside"
    for c in r.categories():
        vals = c.value() if isinstance(c.value(), list) else [c.value()]
        if v is None and vals == [""]:
            return c.symbol().color().name()
        if v is not None and any(same_value(v, x) for x in vals):
            return c.symbol().color().name()
    return None


for arg in sys.argv[1:]:
    path, layer, styles = arg.split(":")
    styles = styles.split(",")
    lyr = QgsVectorLayer(path + "|layername=" + layer, layer, "ogr")
    ok(lyr.isValid(), "%s: QGIS opens layer %s" % (path, layer))
    cnt, ids, names, descs, err = lyr.listStylesInDatabase()
    ok(cnt == len(styles) and names[:cnt] == styles,
       "%s: QGIS lists the styles %s (got %s)" % (layer, styles, names[:cnt]))
    for k, name in enumerate(styles):
        if k > 0:
            qml, err = lyr.getStyleFromDatabase(ids[names.index(name)])
            doc = QDomDocument()
            doc.setContent(qml)
            lyr.importNamedStyle(doc)
        r = lyr.renderer()
        what = "%s/%s%s" % (layer, name, " (default)" if k == 0 else "")
        ok(r.classAttribute() == name.split(" ")[0],
           "%s: QGIS's renderer (%s) classes field %s" % (what, r.type(), r.classAttribute()))
        nclass = len(r.ranges()) if r.type() == "graduatedSymbol" else len(r.categories())
        ok(nclass >= 2, "%s: %d classes" % (what, nclass))
        ctx = QgsRenderContext()
        r.startRender(ctx, lyr.fields())
        bad, total = [], 0
        for f in lyr.getFeatures():
            v = f[r.classAttribute()]
            v = None if v is None or (hasattr(v, "isNull") and v.isNull()) else v
            if isinstance(v, bool):
                v = int(v)
            s = r.symbolForFeature(f, ctx)
            got = s.color().name() if s else None
            want = expected_colour(r, v)
            total += 1
            if got != want:
                bad.append((v, got, want))
        r.stopRender(ctx)
        ok(not bad and total > 0, "%s: every one of %d features has its class's colour %s"
           % (what, total, bad[:3]))
print("1..%d" % n)
