/*
 * webmap.js: the script of gpcov's web map (lib/webmap.c inlines it after
 * Leaflet).  It reads two JSON blocks of the page: gpcov-config (title,
 * attribution, and per indicator its field, title, unit, the legend rows
 * and every municipality's class, all made by the same code that draws the
 * printed maps) and gpcov-data (the municipalities as RFC 7946 GeoJSON).
 * It draws them without any tile layer, with a switch of indicator, a
 * legend and a popup of a clicked municipality's values.  window.gpcov
 * exposes the map for tests (tests/web/check_map.mjs).
 */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('gpcov-config').textContent);
  var data = JSON.parse(document.getElementById('gpcov-data').textContent);
  var da = cfg.lang === 'da';
  var words = da
    ? { indicator: 'Indikator', code: 'Kommunekode' }
    : { indicator: 'Indicator', code: 'Code' };
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
      layer.bindPopup(function () { return popupContent(layer); }, { maxWidth: 360 });
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

  setIndicator(0);
  /* room for the title above and the sources below the land */
  map.fitBounds(geo.getBounds(), { paddingTopLeft: [8, 56], paddingBottomRight: [8, 64] });

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
    format: valueText
  };
})();
