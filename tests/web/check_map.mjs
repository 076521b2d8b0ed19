// check_map.mjs: opens a gpcov web map in Debian's headless chromium
// (driven by playwright-core) with every network request failed, and checks
// it as a reader would: nothing but the file itself was asked for, no
// console error, the map is drawn (colours in the screenshot, the legend's
// colours among them, Bornholm filled), a click on a municipality opens a
// popup with its name and its values, and switching the indicator changes
// the legend and the colours.  Prints one line per check, "ok|what" or
// "not ok|what", for tests/cli/test_webmap.sh to number.
//   node check_map.mjs PAGE.html EXPECT.csv EXPECT.json SHOT_PREFIX
// EXPECT.csv (ogr2ogr, read independently of gpcov): komkode, name, lon,
// lat (a point on the surface) and the indicator fields of the
// municipalities to click.  EXPECT.json: {"indicators": [{"field", "unit",
// "decimals", "categorical", "true", "false"}...], "nodata": "..."} as
// given to gpcov webmap.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [pagePath, csvPath, expectPath, shotPrefix] = process.argv.slice(2);
const require = createRequire(path.resolve(process.env.WEB_TEST_DIR || 'build/web-test') + '/');
const { chromium } = require('playwright-core');

let failed = 0;
function check(cond, what, detail) {
  console.log(`${cond ? 'ok' : 'not ok'}|${what}${!cond && detail ? ` (${detail})` : ''}`);
  if (!cond) failed++;
}

// ------------------------------------------------------------ expectations
function parseCsv(text) {
  const rows = [];
  for (const line of text.split('\n').filter((l) => l.length)) {
    const cells = [];
    let cur = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q) {
        if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
        else if (c === '"') q = false;
        else cur += c;
      } else if (c === '"') q = true;
      else if (c === ',') { cells.push(cur); cur = ''; }
      else cur += c;
    }
    cells.push(cur);
    rows.push(cells);
  }
  const head = rows.shift();
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}
const expectRows = parseCsv(readFileSync(csvPath, 'utf8'));
const expect = JSON.parse(readFileSync(expectPath, 'utf8'));

// Danish numbers by the platform's own formatter (not the page's code)
function danish(v, dec) {
  return new Intl.NumberFormat('da-DK', {
    minimumFractionDigits: dec, maximumFractionDigits: dec, useGrouping: true,
  }).format(v);
}
function expectedText(ind, raw) {
  if (raw === undefined || raw === '') return expect.nodata;
  if (ind.categorical) return Number(raw) === 1 ? ind.true : ind.false;
  const s = danish(Number(raw), ind.decimals);
  return ind.unit ? `${s} ${ind.unit}` : s;
}

// ---------------------------------------------------------------- browser
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
  page.on('request', (r) => { if (r.url() !== fileUrl) requests.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await context.route('**/*', (route) => {
    if (route.request().url() === fileUrl) return route.continue();
    requests.push(route.request().url());
    return route.abort('internetdisconnected');
  });

  await page.goto(fileUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => window.gpcov && window.gpcov.map, null, { timeout: 15000 });
  await page.waitForTimeout(300);
  check(requests.length === 0, 'the page asks for nothing but itself', requests.slice(0, 5).join(' '));
  check(errors.length === 0, 'no console errors', errors.slice(0, 3).join(' / '));

  // where a lon/lat lands on the screen, by the map's own projection
  async function screenPoint(lon, lat) {
    return page.evaluate(([lo, la]) => {
      const m = window.gpcov.map;
      const p = m.latLngToContainerPoint([la, lo]);
      const r = m.getContainer().getBoundingClientRect();
      return { x: Math.round(r.left + p.x), y: Math.round(r.top + p.y) };
    }, [lon, lat]);
  }

  // decodes a screenshot in a blank page (data: URL, nothing fetched) and
  // returns its colour statistics and the colour at the given points
  const scratch = await context.newPage();
  async function analyse(png, points, legend) {
    return scratch.evaluate(async ([b64, pts, leg]) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width; c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      const hits = leg.map(() => 0);
      const rgbOf = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
      const want = leg.map(rgbOf);
      let nonWhite = 0;
      for (let i = 0; i < d.length; i += 4) {
        seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) nonWhite++;
        for (let k = 0; k < want.length; k++)
          if (Math.abs(d[i] - want[k][0]) <= 2 && Math.abs(d[i + 1] - want[k][1]) <= 2 &&
              Math.abs(d[i + 2] - want[k][2]) <= 2) hits[k]++;
      }
      const at = pts.map((p) => {
        const i = (p.y * c.width + p.x) * 4;
        return '#' + [d[i], d[i + 1], d[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('');
      });
      return { colours: seen.size, nonWhite: nonWhite / (c.width * c.height), hits, at };
    }, [png.toString('base64'), points, legend]);
  }

  const cfg = await page.evaluate(() => window.gpcov.config);
  const initial = await page.evaluate(() => [window.gpcov.map.getCenter(), window.gpcov.map.getZoom()]);
  const codes = await page.evaluate(() =>
    JSON.parse(document.getElementById('gpcov-data').textContent).features.map((f) => f.properties.code));
  const near = (a, b) => {
    const x = [1, 3, 5].map((i) => parseInt(a.slice(i, i + 2), 16));
    const y = [1, 3, 5].map((i) => parseInt(b.slice(i, i + 2), 16));
    return x.every((v, i) => Math.abs(v - y[i]) <= 2);
  };
  const where = {};
  for (const r of expectRows) where[r.komkode] = await screenPoint(Number(r.lon), Number(r.lat));

  // ---- the first indicator, as opened
  const shot0 = await page.screenshot({ path: `${shotPrefix}-0.png` });
  const leg0 = cfg.indicators[0].legend;
  const a0 = await analyse(shot0, expectRows.map((r) => where[r.komkode]), leg0.map((r) => r.colour));
  check(a0.colours > 40, `the map is not blank: ${a0.colours} distinct colours`, `${a0.colours}`);
  check(a0.nonWhite > 0.15, `the map fills the page: ${(100 * a0.nonWhite).toFixed(0)} % not white`);
  leg0.forEach((row, k) => {
    const n = Number(String(row.count).replace(/\D/g, ''));
    if (n > 0)
      check(a0.hits[k] > 50, `legend colour ${row.colour} (${row.label}) is drawn: ${a0.hits[k]} px`);
  });
  const legendText0 = await page.locator('.gpcov-legend-body').innerText();
  check(leg0.every((r) => legendText0.includes(r.label)), 'the legend lists every class label');
  const titleText = await page.locator('.gpcov-title').innerText();
  check(titleText.trim() === expect.title, `the title is shown: ${titleText.trim()}`);
  const sources = await page.locator('.gpcov-sources').innerText();
  check(expect.attribution.every((a) => sources.includes(a)), 'every attribution line is shown');
  check(/30 m/.test(sources), 'the page states the simplification tolerance');

  // the colour under each municipality is its class's colour from the legend
  const ind0 = cfg.indicators[0];
  expectRows.forEach((r, k) => {
    const cls = classOf(ind0, r.komkode);
    const row = ind0.legend.find((x) => x.cls === cls);
    check(row && near(a0.at[k], row.colour),
      `${r.name} is filled with its class colour ${row && row.colour} (screen ${a0.at[k]})`);
  });
  function classOf(ind, code) {
    return ind.classes[codes.indexOf(code)];
  }

  // ---- clicks: the popup names the municipality and gives its values
  for (const r of expectRows) {
    // an opened popup pans the map: where is it now
    const p = await screenPoint(Number(r.lon), Number(r.lat));
    await page.mouse.click(p.x, p.y);
    await page.waitForSelector('.leaflet-popup-content .gpcov-name', { timeout: 5000 });
    const name = await page.locator('.leaflet-popup-content .gpcov-name').innerText();
    check(name === r.name, `a click at ${r.name} (${p.x}, ${p.y}) opens its popup`, `got ${name}`);
    for (const ind of expect.indicators) {
      const got = await page.locator(`.leaflet-popup-content td[data-field="${ind.field}"]`).innerText();
      const want = expectedText(ind, r[ind.field]);
      check(got === want, `${r.name}: ${ind.field} reads "${want}"`, `got "${got}"`);
    }
    await page.keyboard.press('Escape');
    await page.evaluate(() => window.gpcov.map.closePopup());
  }

  // ---- switch to the second indicator, in the view as opened (the popups
  // panned the map, clear of the legend, and may have panned a clicked
  // municipality off the screen)
  await page.evaluate(([c, z]) => window.gpcov.map.setView(c, z, { animate: false }), initial);
  await page.selectOption('#gpcov-indicator', '1');
  await page.waitForTimeout(200);
  const legendText1 = await page.locator('.gpcov-legend-body').innerText();
  check(legendText1 !== legendText0, 'switching the indicator changes the legend');
  const leg1 = cfg.indicators[1].legend;
  check(leg1.every((r) => legendText1.includes(r.label)), 'the new legend lists the new class labels');
  for (const r of expectRows) where[r.komkode] = await screenPoint(Number(r.lon), Number(r.lat));
  const shot1 = await page.screenshot({ path: `${shotPrefix}-1.png` });
  const a1 = await analyse(shot1, expectRows.map((r) => where[r.komkode]), leg1.map((r) => r.colour));
  expectRows.forEach((r, k) => {
    const cls = classOf(cfg.indicators[1], r.komkode);
    const row = leg1.find((x) => x.cls === cls);
    check(row && near(a1.at[k], row.colour),
      `after the switch ${r.name} has the colour of its new class ${row && row.colour} (screen ${a1.at[k]})`);
  });
  const changed = expectRows.filter((r, k) => !near(a0.at[k], a1.at[k])).length;
  check(changed > 0, `the colours change with the indicator (${changed} of ${expectRows.length} clicked municipalities)`);
  check(errors.length === 0 && requests.length === 0, 'still no console error and no request at the end',
    errors.concat(requests).slice(0, 3).join(' / '));
} catch (e) {
  check(false, 'the browser check ran to the end', String(e && e.stack || e).split('\n').slice(0, 3).join(' '));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
