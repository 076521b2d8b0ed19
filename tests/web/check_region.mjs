// check_region.mjs: opens a gpcov web map of one region (gpcov webmap
// --where ... --regions ... --points ...) in Debian's headless chromium
// (driven by playwright-core) with every network request failed, and checks
// what a regional analyst does with it: only the selected municipalities
// are there and the view is fitted to them, the legend says so, a metric
// scale bar, the markers with their labels and popups, the region borders,
// the search by name and by code, and the popup's rules.  Prints one line
// per check, "ok|what" or "not ok|what", for tests/cli/test_webmap.sh.
//   node check_region.mjs PAGE.html EXPECT.json SHOT_PREFIX
// EXPECT.json: {"codes": [the selected codes, as ogr2ogr selects them],
// "shown": "legend text of the selection", "points": N, "label": "a
// marker's label", "search": [[typed, code, name], ...], "missing": "a
// name not on the map", "popups": [{"code", "lines": [...]}, ...]}.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [pagePath, expectPath, shotPrefix] = process.argv.slice(2);
const require = createRequire(path.resolve(process.env.WEB_TEST_DIR || 'build/web-test') + '/');
const { chromium } = require('playwright-core');
const expect = JSON.parse(readFileSync(expectPath, 'utf8'));

let failed = 0;
function check(cond, what, detail) {
  console.log(`${cond ? 'ok' : 'not ok'}|${what}${!cond && detail ? ` (${detail})` : ''}`);
  if (!cond) failed++;
}

const fileUrl = pathToFileURL(path.resolve(pagePath)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await context.route('**/*', (route) => {
    if (route.request().url() === fileUrl) return route.continue();
    requests.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  // a closed popup fades out before it leaves the page
  const closed = () => page.waitForSelector('.leaflet-popup', { state: 'detached', timeout: 5000 }).catch(() => {});
  await page.goto(fileUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => window.gpcov && window.gpcov.map, null, { timeout: 15000 });
  await page.waitForTimeout(300);
  check(requests.length === 0, 'the page asks for nothing but itself', requests.slice(0, 5).join(' '));
  check(errors.length === 0, 'no console errors', errors.slice(0, 3).join(' / '));
  await page.screenshot({ path: `${shotPrefix}-0.png` });

  // ---- exactly the selected municipalities, the view fitted to them
  const codes = await page.evaluate(() =>
    JSON.parse(document.getElementById('gpcov-data').textContent).features.map((f) => f.properties.code));
  const want = expect.codes.slice().sort();
  check(JSON.stringify(codes.slice().sort()) === JSON.stringify(want),
    `the page holds exactly the ${want.length} selected municipalities`, `got ${codes.join(',')}`);
  const view = await page.evaluate(() => {
    const m = window.gpcov.map;
    const sel = L.latLngBounds([]);
    m.eachLayer((l) => { if (l.feature && l.feature.properties && l.feature.properties.code) sel.extend(l.getBounds()); });
    const denmark = L.latLngBounds([54.55, 8.07], [57.76, 15.2]);
    return { zoom: m.getZoom(), zoomDenmark: m.getBoundsZoom(denmark, false, L.point(16, 120)),
             contains: m.getBounds().contains(sel) };
  });
  check(view.contains, 'the first view shows every selected municipality');
  check(view.zoom > view.zoomDenmark,
    `the first view is zoomed in on them (zoom ${view.zoom}, all of Denmark ${view.zoomDenmark})`);
  const legend = await page.locator('.gpcov-legend-body').innerText();
  check(legend.includes(expect.shown), `the legend says what is shown: "${expect.shown}"`, legend.replace(/\n/g, ' | '));

  // ---- a metric scale bar, nothing imperial
  const scales = await page.locator('.leaflet-control-scale-line').allInnerTexts();
  check(scales.length === 1 && /^\d+ (m|km)$/.test(scales[0].trim()), `one metric scale bar: ${scales.join(' / ')}`);

  // ---- markers, labels and their popups; region borders
  const nPoints = await page.evaluate(() => window.gpcov.points ? window.gpcov.points.getLayers().length : 0);
  check(nPoints === expect.points, `${expect.points} markers (${nPoints})`);
  const labels = await page.locator('.gpcov-point-label').allInnerTexts();
  check(labels.includes(expect.label), `the marker of ${expect.label} is labelled`, labels.join(','));
  const at = await page.evaluate((name) => {
    const m = window.gpcov.map;
    let ll = null;
    window.gpcov.points.eachLayer((l) => { if (l.getTooltip() && l.getTooltip().getContent() === name) ll = l.getLatLng(); });
    const p = ll && m.latLngToContainerPoint(ll);
    const r = m.getContainer().getBoundingClientRect();
    return p && { x: Math.round(r.left + p.x), y: Math.round(r.top + p.y) };
  }, expect.label);
  if (at) {
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('.leaflet-popup-content .gpcov-point-popup', { timeout: 5000 }).catch(() => {});
  }
  const pname = at ? await page.locator('.leaflet-popup-content .gpcov-name').innerText().catch(() => '') : '';
  check(pname === expect.label, `a click on the marker of ${expect.label} opens its popup`, `got "${pname}"`);
  await page.evaluate(() => window.gpcov.map.closePopup());
  await closed();
  const regions = await page.evaluate(() => {
    const r = window.gpcov.regions;
    let drawn = 0;
    if (r) r.eachLayer((l) => { if (l._path && l._path.getAttribute('stroke') === '#262626' && l._path.getAttribute('d').length > 20) drawn++; });
    return drawn;
  });
  check(regions > 0, `the region borders are drawn (${regions} path)`);
  const legendRows = await page.locator('.gpcov-points-row, .gpcov-regions-row').allInnerTexts();
  check(legendRows.length === 2 && legendRows[0].includes(expect.pointLegend),
    'the legend has the markers and the region border', legendRows.join(' | '));

  // ---- the search: by name and by code, and a name not on the map
  const initial = await page.evaluate(() => [window.gpcov.map.getCenter(), window.gpcov.map.getZoom()]);
  for (const [typed, code, name] of expect.search) {
    await page.evaluate(([c, z]) => { window.gpcov.map.closePopup(); window.gpcov.map.setView(c, z, { animate: false }); }, initial);
    await closed();
    await page.fill('#gpcov-search', typed);
    await page.press('#gpcov-search', 'Enter');
    await page.waitForSelector('.leaflet-popup-content .gpcov-name', { timeout: 5000 }).catch(() => {});
    const got = await page.locator('.leaflet-popup-content .gpcov-name').innerText().catch(() => '');
    const inView = await page.evaluate((c) => {
      const l = window.gpcov.layerOf(c);
      const m = window.gpcov.map;
      return !!l && m.getBounds().contains(l.getBounds()) && m.getZoom() > 0;
    }, code);
    const zoom = await page.evaluate(() => window.gpcov.map.getZoom());
    check(got === name && inView && zoom > initial[1],
      `searching "${typed}" zooms to ${code} ${name} and opens its popup`, `popup "${got}", in view ${inView}, zoom ${zoom}`);
    if (typed === expect.search[0][0]) await page.screenshot({ path: `${shotPrefix}-1.png` });
  }
  await page.evaluate(() => window.gpcov.map.closePopup());
  await closed();
  await page.fill('#gpcov-search', expect.missing);
  await page.press('#gpcov-search', 'Enter');
  const msg = await page.locator('.gpcov-search-msg').innerText();
  const open = await page.locator('.leaflet-popup-content').count();
  check(open === 0 && msg.includes(expect.missing), `"${expect.missing}", not on the map, is not found: ${msg}`);

  // ---- the popup lists the rules that fired, and the undecided ones with why
  for (const p of expect.popups) {
    await page.evaluate(() => window.gpcov.map.closePopup());
    await closed();
    await page.fill('#gpcov-search', p.code);
    await page.press('#gpcov-search', 'Enter');
    await page.waitForSelector('.leaflet-popup-content .gpcov-rules', { timeout: 5000 }).catch(() => {});
    const text = await page.locator('.leaflet-popup-content').innerText().catch(() => '');
    for (const line of p.lines)
      check(text.split('\n').map((s) => s.trim()).includes(line), `${p.code}'s popup reads "${line}"`, text.replace(/\n/g, ' | '));
  }
  check(errors.length === 0 && requests.length === 0, 'still no console error and no request at the end',
    errors.concat(requests).slice(0, 3).join(' / '));
} catch (e) {
  check(false, 'the browser check ran to the end', String(e && e.stack || e).split('\n').slice(0, 3).join(' '));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
