// The analyst's network map (/map) in a real browser against the real server with the shipped
// Ukrainian settlements: two centers with coordinates in the registry, the summary of the whole
// country, the dots and the access points drawn, a plan of 3 new sites that raises the share within
// 14 km, the keyboard, the language switch, the sign-in message, and an axe-core scan.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { adminClient } from '../integration/harness.mjs';
import { axeViolations, closeAll, launchBrowser, screenshot, startServer, watchProblems } from './support.mjs';

const SETTLEMENTS_FILE = new URL('../../data/geo/ua-settlements.csv', import.meta.url).pathname;
const VIEWPORT = { width: 1440, height: 1000 };

// One CSV line, with "quoted, fields".
function csvFields(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

// What the shipped file holds: settlements and their total population.
function shipped() {
  const [head, ...lines] = readFileSync(SETTLEMENTS_FILE, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const col = csvFields(head).indexOf('population');
  assert.ok(col >= 0, 'the settlements file has a population column');
  return { count: lines.length, population: lines.reduce((sum, l) => sum + Number(csvFields(l)[col] || 0), 0) };
}

describe('the network map in Chromium', () => {
  let server;
  let browser;
  let admin;
  const contexts = [];
  const file = shipped();

  async function newPage({ signedIn = true } = {}) {
    const context = await browser.newContext({ locale: 'uk-UA', timezoneId: 'Europe/Kyiv', viewport: VIEWPORT });
    contexts.push(context);
    if (signedIn) {
      // The admin's session from the API client, as the browser would hold it after signing in.
      const [name, ...rest] = admin.cookie.split('=');
      await context.addCookies([{ name, value: rest.join('='), url: server.url }]);
    }
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    watchProblems(page);
    return page;
  }

  before(async () => {
    server = await startServer({ VIKNO_NETWORK_SETTLEMENTS: SETTLEMENTS_FILE });
    admin = await adminClient(server);
    for (const [code, name_uk, latitude, longitude] of [
      ['kyiv', 'ЦНАП Київ', 50.45, 30.52],
      ['lviv', 'ЦНАП Львів', 49.84, 24.03],
    ]) {
      const r = await admin.post('/api/v1/registry/centers', { code, name_uk, latitude, longitude });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    browser = await launchBrowser();
  });

  after(() => closeAll({ contexts, browser, server }));

  test('signed out: the page says the map is for staff and links to the sign-in', async () => {
    const page = await newPage({ signedIn: false });
    await page.goto(`${server.url}/map`);
    await page.getByRole('heading', { name: 'Мапа мережі ЦНАП' }).waitFor();
    await page.getByText('Мапа мережі доступна лише працівникам').waitFor();
    assert.equal(await page.getByRole('link', { name: /Увійти/ }).getAttribute('href'), '/desk');
  });

  test('the whole country against two centers; a plan of 3 new sites raises the share within 14 km', async () => {
    const page = await newPage();
    const analyses = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/network/')) analyses.push({ url: r.url(), csrf: r.headers()['x-csrf-token'], body: r.postDataJSON() });
    });
    await page.goto(`${server.url}/map`);
    const population = page.getByTestId('map-population');
    await population.waitFor();

    // The request the page sends: the built-in settlements against the registry, with the CSRF token.
    assert.match(analyses[0].url, /\/api\/v1\/network\/analyze\?format=geojson$/);
    assert.deepEqual(analyses[0].body, { settlements: 'builtin', points: 'registry', threshold_km: 14 });
    assert.match(analyses[0].csrf ?? '', /.+/);

    // The summary: the population of the shipped file, and a share within 14 km.
    assert.equal(Number(await population.getAttribute('data-value')), file.population);
    assert.equal((await population.textContent()).replace(/\s/g, ''), String(file.population));
    const before = page.getByTestId('map-share-before');
    const beforeShare = Number(await before.getAttribute('data-value'));
    assert.ok(beforeShare > 0 && beforeShare < 0.5, `share before ${beforeShare}`);
    assert.match(await before.textContent(), /\d+,\d\s?%/);

    // Every settlement is a dot; the two centers are access-point markers; no proposed site yet.
    await page.waitForFunction((n) => document.querySelectorAll('.map-dots circle.dot').length === n, file.count); // drawn after the summary
    assert.equal(await page.locator('.map-markers rect.marker--point').count(), 2);
    assert.equal(await page.locator('.map-markers path.marker--proposed').count(), 0);
    // Kyiv is within 14 km of its center: a "near" dot; most of the country is far.
    assert.ok((await page.locator('.map-dots circle.dot--near').count()) >= 2);
    assert.ok((await page.locator('.map-dots circle.dot--far').count()) > file.count / 2);
    // The legend names the classes in words, not only in colour.
    const legend = await page.locator('.map-legend').textContent();
    assert.match(legend, /до 14 км/);
    assert.match(legend, /понад 30 км/);

    // Hovering an access point names it.
    await page.locator('.map-markers rect.marker--point').first().hover({ force: true });
    await page.locator('.map-tooltip').getByText(/ЦНАП (Київ|Львів)/).waitFor();

    // The keyboard: + zooms in (the dots' group scale grows), 0 shows everything again.
    const scale = async () => Number(/matrix\(([\d.e-]+)/.exec(await page.locator('.map-dots').getAttribute('transform'))[1]);
    const fitted = await scale();
    await page.getByTestId('map-canvas').focus();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    assert.ok((await scale()) > fitted * 2, 'two + presses zoom in');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('0');
    assert.equal(await scale(), fitted);

    // The worst-served list centres the map on a settlement and says what it is.
    const worst = page.getByTestId('map-worst').getByRole('button').first();
    const worstName = await worst.textContent();
    await worst.click();
    await page.getByTestId('map-selected').getByText(worstName).waitFor();
    assert.ok((await scale()) > fitted * 4, 'the map zooms to the settlement');
    await page.getByRole('button', { name: 'Показати всю мапу' }).click();

    // The plan: MCLP, 3 new sites.
    await page.getByLabel('Модель').selectOption('mclp');
    await page.getByLabel('Скільки нових місць (1–50)').fill('3');
    await page.getByRole('button', { name: 'Розрахувати план' }).click();
    const afterShare = page.getByTestId('map-share-after');
    await afterShare.waitFor({ timeout: 120000 });
    const plan = analyses.find((a) => a.url.includes('/network/plan'));
    assert.deepEqual(plan.body, { settlements: 'builtin', points: 'registry', model: 'mclp', threshold_km: 14, k: 3 });
    assert.equal(await page.locator('.map-markers path.marker--proposed').count(), 3);
    assert.equal(await page.getByTestId('map-proposed-list').getByRole('listitem').count(), 3);
    const shareBefore = Number(await page.getByTestId('map-share-before').getAttribute('data-value'));
    const shareAfter = Number(await afterShare.getAttribute('data-value'));
    assert.ok(shareAfter > shareBefore, `after ${shareAfter} > before ${shareBefore}`);
    assert.ok(Math.abs(shareBefore - beforeShare) < 1e-9, 'the plan counts the same coverage before');
    await page.getByRole('status').getByText(/Запропоновано нових місць: 3/).waitFor();
    // The settlements are recoloured with the new sites: more of them are near.
    await page.getByLabel('з запропонованими місцями').waitFor();
    assert.ok(await page.getByLabel('з запропонованими місцями').isChecked());

    // The download is a GeoJSON FeatureCollection with the three layers.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Завантажити GeoJSON/ }).click()]);
    assert.match(download.suggestedFilename(), /\.geojson$/);
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(doc.type, 'FeatureCollection');
    const layers = doc.features.reduce((m, f) => ({ ...m, [f.properties.layer]: (m[f.properties.layer] ?? 0) + 1 }), {});
    assert.deepEqual(layers, { settlement: file.count, access_point: 2, proposed_site: 3 });

    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    // The whole country with the plan, from the top of the page.
    await page.getByTestId('map-canvas').focus();
    await page.keyboard.press('0');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'map');

    // English through the header's switch.
    await page.getByRole('button', { name: 'ENG' }).click();
    await page.getByRole('heading', { name: 'Service center network map' }).waitFor();
    await page.getByText('After the plan (new sites: 3)').waitFor();
    assert.deepEqual(page.problems, []);
  });
});
