/*
 * webmap.js: the script of gpcov's web map (lib/map/webmap.c inlines it
 * after Leaflet).  It reads the JSON blocks of the page: gpcov-config
 * (title, attribution, the selection, the threat rules and, per indicator,
 * its field, title, unit, the legend rows and every municipality's class,
 * all made by the same code that draws the printed maps), gpcov-data (the
 * municipalities as RFC 7946 GeoJSON) and, when given, gpcov-regions (the
 * borders where regions meet) and gpcov-points (markers such as training
 * sites).  It draws them without any tile layer, with a switch of
 * indicator, a legend, a metric scale bar, a municipality search (by name
 * or code, offline), and popups of a clicked municipality's values and the
 * rules that fired, or of a marker's fields.  window.gpcov exposes the map
 * for tests (tests/web/check_map.mjs).
 */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('gpcov-config').textContent);
  var data = JSON.parse(document.getElementById('gpcov-data').textContent);
  function block(id) {
    var e = document.getElementById(id);
    return e ? JSON.parse(e.textContent) : null;
  }
  var regionData = block('gpcov-regions');
  var pointData = block('gpcov-points');
  var da = cfg.lang === 'da';
  var words = da
    ? { indicator: 'Indikator', code: 'Kommunekode', search: 'Find kommune',
        searchHint: 'navn eller kode',
        notFound: 'Ingen kommune på kortet passer til', fired: 'Regler der slår til',
        notFired: 'Regler der ikke slår til', undecided: 'Uafklarede regler', none: 'ingen',
        notJudged: 'Reglerne er ikke vurderet', regions: 'Regionsgrænse',
        shown: function (s) {
          return 'Viser ' + s.shown + ' af ' + s.of + ' kommuner: ' + s.where +
            '. Klasser og antal er beregnet over de viste.';
        },
        left: function (s) {
          return 'Uafklaret og ikke vist (mangler ' + s.missing + '): ' + s.undecidedList;
        } }
    : { indicator: 'Indicator', code: 'Code', search: 'Find municipality',
        searchHint: 'name or code',
        notFound: 'No municipality on the map matches', fired: 'Rules that fire',
        notFired: 'Rules that do not fire', undecided: 'Undecided rules', none: 'none',
        notJudged: 'The rules were not applied', regions: 'Region border',
        shown: function (s) {
          return 'Showing ' + s.shown + ' of ' + s.of + ' municipalities: ' + s.where +
            '. Classes and counts are over those shown.';
        },
        left: function (s) {
          return 'Undecided, not shown (' + s.missing + ' missing): ' + s.undecidedList;
        } };
  var current = 0;
  var selected = null;

  /* v with dec decimals, grouped thousands and a true minus sign, Danish
   * (1.617,5) or English (1,617.5): as render.c's fmt_num */
  function fmtNum(v, dec) {
    var raw = Math.abs(v).toFixed(dec);
    var neg = v < 0 && /[1-9]/.test(raw);
    var parts = raw.split('.');
    var ip = parts[0];
    var out = '';
    for (var i = 0; i < ip.length; i++) {
      if (i > 0 && ip.length >= 4 && (ip.length - i) % 3 === 0) out += da ? '.' : ',';
      out += ip[i];
    }
    if (parts.length > 1) out += (da ? ',' : '.') + parts[1];
    return (neg ? '\u2212' : '') + out;
  }

  function isTrue(v) {
    return v === true || v === 1 || /^\s*(1|true|t|yes|y|ja)\s*$/i.test(String(v));
  }

  /* the value of indicator ind as the popup shows it */
  function valueText(ind, props) {
    var v = props[ind.field];
    if (v === null || v === undefined || String(v).trim() === '') {
      /* missing is its own value, and says why when the layer does */
      var why = ind.reasonField ? props[ind.reasonField] : null;
      return why ? cfg.nodataLabel + ': ' + why : cfg.nodataLabel;
    }
    if (ind.categorical && /^\s*undecided\s*$/i.test(String(v))) return ind.undecidedLabel;
    if (ind.categorical) return isTrue(v) ? ind.trueLabel : ind.falseLabel;
    var s = fmtNum(Number(v), ind.decimals >= 0 ? ind.decimals : 1);
    return ind.unit ? s + ' ' + ind.unit : s;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function colourOf(ind, i) {
    var c = ind.classes[i];
    for (var r = 0; r < ind.legend.length; r++)
      if (ind.legend[r].cls === c) return ind.legend[r].colour;
    return cfg.nodataColour;
  }

  var map = L.map('map', { zoomSnap: 0.25, zoomDelta: 0.5, attributionControl: true });
  map.attributionControl.setPrefix('Leaflet');

  /* the title */
  var TitleControl = L.Control.extend({
    options: { position: 'topleft' },
    onAdd: function () {
      var d = el('div', 'gpcov-title');
      d.appendChild(el('h1', null, cfg.title || ''));
      return d;
    }
  });
  if (cfg.title) map.addControl(new TitleControl());
  map.zoomControl.remove();
  L.control.zoom({ position: 'topleft' }).addTo(map);

  /* the municipalities */
  var layers = [];
  var index = 0;
  var geo = L.geoJSON(data, {
    style: function () { return {}; },
    onEachFeature: function (feature, layer) {
      layer.gpcovIndex = index++;
      layers.push(layer);
      /* panned clear of the legend, which sits above popups at the top right */
      layer.bindPopup(function () { return popupContent(layer); },
        { maxWidth: 400, minWidth: 280, autoPanPaddingTopLeft: L.point(10, 250) });
      layer.on('popupopen', function () { selected = layer; restyle(); });
      layer.on('popupclose', function () { if (selected === layer) selected = null; restyle(); });
    }
  }).addTo(map);

  function styleOf(layer) {
    var ind = cfg.indicators[current];
    var sel = layer === selected;
    return {
      fillColor: colourOf(ind, layer.gpcovIndex),
      fillOpacity: 1,
      color: sel ? '#111111' : '#8c8c8c',
      weight: sel ? 2.5 : 0.6,
      opacity: 1
    };
  }

  function restyle() {
    layers.forEach(function (l) {
      l.setStyle(styleOf(l));
      if (l === selected) l.bringToFront();
    });
  }

  function popupContent(layer) {
    var p = layer.feature.properties;
    var d = el('div', 'gpcov-popup');
    d.appendChild(el('h2', 'gpcov-name', p.name));
    d.appendChild(el('div', 'gpcov-code', words.code + ' ' + p.code));
    var t = el('table');
    cfg.indicators.forEach(function (ind, k) {
      var tr = el('tr', k === current ? 'gpcov-current' : null);
      tr.appendChild(el('th', null, ind.title));
      var td = el('td', null, valueText(ind, p));
      td.setAttribute('data-field', ind.field);
      tr.appendChild(td);
      t.appendChild(tr);
    });
    d.appendChild(t);
    if (cfg.rules && cfg.rules.length) d.appendChild(rulesOf(p));
    return d;
  }

  /* what each threat rule said of a municipality: those that fire, those
   * that do not, and those undecided with the reason; each rule's resolved
   * condition as its tooltip */
  function rulesOf(p) {
    var fired = [], not = [], open = [];
    cfg.rules.forEach(function (r) {
      var v = p['rule_' + r.name];
      if (v === null || v === undefined || String(v).trim() === '') open.push(r);
      else if (isTrue(v)) fired.push(r);
      else not.push(r);
    });
    var d = el('div', 'gpcov-rules');
    var reason = p.threat_reason ? String(p.threat_reason) : '';
    if (open.length === cfg.rules.length && !fired.length && !not.length) {
      d.appendChild(el('div', 'gpcov-rules-none', words.notJudged + (reason ? ': ' + reason : '')));
      return d;
    }
    function line(cls, head, list, tail) {
      var row = el('div', cls);
      row.appendChild(el('span', 'gpcov-rules-head', head + ': '));
      if (!list.length) row.appendChild(el('span', null, words.none));
      list.forEach(function (r, k) {
        if (k) row.appendChild(document.createTextNode(', '));
        var n = el('span', 'gpcov-rule', r.name);
        if (r.text) n.title = r.text;
        row.appendChild(n);
      });
      if (tail) row.appendChild(el('span', 'gpcov-rules-reason', ' (' + tail + ')'));
      d.appendChild(row);
    }
    line('gpcov-rules-fired', words.fired, fired);
    if (not.length) line('gpcov-rules-not', words.notFired, not);
    if (open.length) line('gpcov-rules-open', words.undecided, open, reason);
    return d;
  }

  /* the legend, with the switch of indicator */
  var legendBody;
  var LegendControl = L.Control.extend({
    options: { position: 'topright' },
    onAdd: function () {
      var d = el('div', 'gpcov-legend');
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      var lab = el('label', 'gpcov-switch');
      lab.appendChild(el('span', null, words.indicator + ' '));
      var sel = el('select');
      sel.id = 'gpcov-indicator';
      cfg.indicators.forEach(function (ind, k) {
        var o = el('option', null, ind.title);
        o.value = String(k);
        sel.appendChild(o);
      });
      sel.addEventListener('change', function () { setIndicator(Number(sel.value)); });
      lab.appendChild(sel);
      d.appendChild(lab);
      legendBody = el('div', 'gpcov-legend-body');
      d.appendChild(legendBody);
      return d;
    }
  });
  map.addControl(new LegendControl());

  function drawLegend() {
    var ind = cfg.indicators[current];
    legendBody.textContent = '';
    legendBody.appendChild(el('h3', 'gpcov-legend-title', ind.title));
    if (ind.header) legendBody.appendChild(el('div', 'gpcov-legend-header', ind.header));
    ind.legend.forEach(function (r) {
      var row = el('div', 'gpcov-row');
      row.setAttribute('data-cls', String(r.cls));
      var sw = el('span', r.cls < 0 ? 'gpcov-swatch gpcov-nodata' : 'gpcov-swatch');
      sw.style.backgroundColor = r.colour;
      row.appendChild(sw);
      row.appendChild(el('span', 'gpcov-label', r.label));
      row.appendChild(el('span', 'gpcov-count', r.count));
      legendBody.appendChild(row);
    });
    if (ind.note) legendBody.appendChild(el('div', 'gpcov-note', ind.note));
    if (pointData && cfg.points && cfg.points.legend) {
      var pr = el('div', 'gpcov-row gpcov-points-row');
      pr.appendChild(el('span', 'gpcov-marker-swatch'));
      pr.appendChild(el('span', 'gpcov-label', cfg.points.legend));
      legendBody.appendChild(pr);
    }
    if (regionData) {
      var rr = el('div', 'gpcov-row gpcov-regions-row');
      rr.appendChild(el('span', 'gpcov-region-swatch'));
      rr.appendChild(el('span', 'gpcov-label', words.regions));
      legendBody.appendChild(rr);
    }
    if (cfg.selection) {
      legendBody.appendChild(el('div', 'gpcov-selection', words.shown(cfg.selection)));
      if (cfg.selection.undecided)
        legendBody.appendChild(el('div', 'gpcov-selection-left', words.left(cfg.selection)));
    }
  }

  function setIndicator(k) {
    current = k;
    document.getElementById('gpcov-indicator').value = String(k);
    drawLegend();
    restyle();
    if (selected && selected.isPopupOpen()) selected.setPopupContent(popupContent(selected));
  }

  /* sources and how the borders were drawn */
  var SourceControl = L.Control.extend({
    options: { position: 'bottomleft' },
    onAdd: function () {
      var d = el('div', 'gpcov-sources');
      cfg.attribution.forEach(function (line) { d.appendChild(el('div', null, line)); });
      d.appendChild(el('div', 'gpcov-geometry-note', cfg.geometryNote));
      return d;
    }
  });
  map.addControl(new SourceControl());

  /* the borders where regions meet, over the municipalities (the coast is
   * the municipalities' own border) */
  var regions = regionData ? L.geoJSON(regionData, {
    interactive: false,
    style: function () { return { color: '#262626', weight: 2.2, opacity: 1, fill: false }; }
  }).addTo(map) : null;

  /* the markers, above the municipalities, each with a popup of its fields */
  function plain(v) {
    if (typeof v === 'number')
      return Number.isInteger(v) ? fmtNum(v, 0) : (da ? String(v).replace('.', ',') : String(v));
    return String(v);
  }
  function pointPopup(props) {
    var d = el('div', 'gpcov-popup gpcov-point-popup');
    var lab = cfg.points && cfg.points.label;
    if (lab && props[lab] !== null && props[lab] !== undefined)
      d.appendChild(el('h2', 'gpcov-name', String(props[lab])));
    var t = el('table');
    Object.keys(props).forEach(function (k) {
      var v = props[k];
      if (k === lab || v === null || v === undefined || String(v) === '') return;
      var tr = el('tr');
      tr.appendChild(el('th', null, k));
      tr.appendChild(el('td', null, plain(v)));
      t.appendChild(tr);
    });
    d.appendChild(t);
    return d;
  }
  var points = null;
  if (pointData) {
    map.createPane('gpcov-points').style.zIndex = 450;
    var pointRenderer = L.svg({ pane: 'gpcov-points' });
    points = L.geoJSON(pointData, {
      pane: 'gpcov-points',
      pointToLayer: function (f, ll) {
        return L.circleMarker(ll, { renderer: pointRenderer, pane: 'gpcov-points', radius: 5,
          color: '#ffffff', weight: 1.5, fillColor: '#111111', fillOpacity: 1 });
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(function () { return pointPopup(f.properties); }, { maxWidth: 380 });
        var lab = cfg.points && cfg.points.label;
        if (lab && f.properties[lab] !== null && f.properties[lab] !== undefined)
          layer.bindTooltip(String(f.properties[lab]), { permanent: true, direction: 'right',
            offset: [6, 0], className: 'gpcov-point-label' });
      }
    }).addTo(map);
  }

  /* the markers' labels where they fit: after each zoom, a label that would
   * overlap one kept before it is hidden (in the data's order) */
  function declutter() {
    if (!points) return;
    var kept = [];
    points.eachLayer(function (l) {
      var t = l.getTooltip && l.getTooltip();
      var e = t && t.getElement && t.getElement();
      if (!e) return;
      e.style.visibility = '';
      var r = e.getBoundingClientRect();
      var clash = kept.some(function (k) {
        return r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom;
      });
      if (clash) e.style.visibility = 'hidden';
      else kept.push(r);
    });
  }
  map.on('zoomend', declutter);

  /* a metric scale bar */
  L.control.scale({ position: 'bottomright', metric: true, imperial: false }).addTo(map);

  /* the municipality search: a name (case and æ/ø/å spelled out do not
   * matter, "Kommune" may follow) or a code (825 or 0825) */
  function fold(t) {
    return String(t).toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'oe').replace(/å/g, 'aa')
      .replace(/\s+kommune\s*$/, '').replace(/\s+/g, ' ').trim();
  }
  function findLayer(text) {
    var t = String(text || '').trim();
    var m = /^(\d{1,4})(\s|$)/.exec(t);
    if (m) {
      var byCode = window.gpcov.layerOf(('000' + m[1]).slice(-4));
      if (byCode) return byCode;
      t = t.slice(m[0].length);
    }
    var f = fold(t);
    if (!f) return null;
    var names = layers.map(function (l) { return fold(l.feature.properties.name || ''); });
    var tests = [
      function (n) { return n === f; },
      function (n) { return n === f.replace(/s$/, ''); },
      function (n) { return n.indexOf(f) === 0; },
      function (n) { return n.indexOf(f) >= 0; }
    ];
    for (var k = 0; k < tests.length; k++)
      for (var i = 0; i < names.length; i++)
        if (tests[k](names[i])) return layers[i];
    return null;
  }
  /* where a found municipality's popup points: the centre of its largest
   * part (by extent), not of an islet that happens to come first */
  function anchorOf(layer) {
    var ll = layer.getLatLngs();
    var parts = L.LineUtil.isFlat(ll[0]) ? [ll] : ll;
    var best = null, area = -1;
    parts.forEach(function (poly) {
      var b = L.latLngBounds(poly[0]);
      var a = (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth());
      if (a > area) { area = a; best = poly[0]; }
    });
    return best ? L.PolyUtil.polygonCenter(best, map.options.crs) : layer.getBounds().getCenter();
  }
  var searchMsg;
  function search(text) {
    var l = findLayer(text);
    if (!l) {
      if (searchMsg) searchMsg.textContent = words.notFound + ' \u201c' + String(text).trim() + '\u201d';
      return null;
    }
    if (searchMsg) searchMsg.textContent = '';
    map.fitBounds(l.getBounds(), { maxZoom: 10, padding: [40, 40], animate: false });
    l.openPopup(anchorOf(l));
    return l.feature.properties.code;
  }
  var SearchControl = L.Control.extend({
    options: { position: 'topleft' },
    onAdd: function () {
      var d = el('div', 'gpcov-search');
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      var lab = el('label', null, words.search + ' ');
      var input = el('input');
      input.type = 'search';
      input.id = 'gpcov-search';
      input.placeholder = words.searchHint;
      input.setAttribute('list', 'gpcov-names');
      var list = el('datalist');
      list.id = 'gpcov-names';
      layers.slice().sort(function (a, b) {
        return String(a.feature.properties.name).localeCompare(String(b.feature.properties.name), cfg.lang);
      }).forEach(function (l) {
        var o = el('option');
        o.value = l.feature.properties.code + ' ' + l.feature.properties.name;
        list.appendChild(o);
      });
      input.addEventListener('keydown', function (e) { if (e.key === 'Enter') search(input.value); });
      input.addEventListener('change', function () { if (input.value.trim()) search(input.value); });
      lab.appendChild(input);
      d.appendChild(lab);
      d.appendChild(list);
      searchMsg = el('div', 'gpcov-search-msg');
      d.appendChild(searchMsg);
      return d;
    }
  });
  map.addControl(new SearchControl());

  setIndicator(0);
  /* room for the title above and the sources below the land; the view
   * fits the municipalities shown (the selection), not the markers */
  map.fitBounds(geo.getBounds(), { paddingTopLeft: [8, 56], paddingBottomRight: [8, 64] });
  declutter();

  window.gpcov = {
    map: map,
    config: cfg,
    setIndicator: setIndicator,
    indicator: function () { return current; },
    layerOf: function (code) {
      for (var i = 0; i < layers.length; i++)
        if (layers[i].feature.properties.code === code) return layers[i];
      return null;
    },
    format: valueText,
    search: search,
    popupText: function (code) {
      var l = window.gpcov.layerOf(code);
      return l ? popupContent(l).textContent : null;
    },
    regions: regions,
    points: points
  };
})();
