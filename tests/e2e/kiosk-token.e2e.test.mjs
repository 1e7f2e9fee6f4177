// The kiosk's device token and its limit in a real browser: the token given once in the address
// leaves the address bar and still works after a reload without it; a kiosk that issues beyond its
// limit tells the citizen to wait a minute (no crash, no ticket), and the head sees the alert on
// /head. The server runs with a small limit (2 at once, then 1 a minute) so the third ticket is refused.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, launchBrowser, screenshot, setUpCenter, startServer, watchProblems } from './support.mjs';

describe('the kiosk token and its limit in Chromium', () => {
  let server;
  let browser;
  let setup;
  const contexts = [];

  before(async () => {
    server = await startServer({ VIKNO_KIOSK_ISSUE_BURST: '2', VIKNO_KIOSK_ISSUES_PER_MINUTE: '1' });
    setup = await setUpCenter(server);
    const r = await setup.admin.post('/api/v1/users', {
      login: 'olha', name: 'Ольга Коваль', role: 'center_head', centers: [setup.center.id], password: 'password-olha',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    browser = await launchBrowser();
  });

  after(() => closeAll({ contexts, browser, server }));

  async function newPage(options = {}) {
    const context = await browser.newContext({ locale: 'uk-UA', timezoneId: 'Europe/Kyiv', viewport: { width: 1280, height: 1024 }, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    watchProblems(page);
    await page.addInitScript(() => {
      window.print = () => {};
    });
    return page;
  }

  // Group -> purpose -> no priority; resolves with the answer to the issue request.
  async function press(page) {
    const answer = page.waitForResponse((r) => r.url().endsWith('/queue/tickets') && r.request().method() === 'POST');
    await page.getByRole('button', { name: /Паспорти/ }).tap();
    await page.getByRole('button', { name: 'Подати документи' }).tap();
    await page.getByRole('button', { name: 'Ні, звичайна черга' }).tap();
    return answer;
  }

  test('the token leaves the address after the first load; a reload without it still issues; the third press within the minute is told to wait, and the head sees why', async () => {
    const kiosk = await newPage({ hasTouch: true });
    await kiosk.goto(`${server.url}/kiosk?device=${setup.kioskToken}`);
    await kiosk.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();
    assert.ok(!kiosk.url().includes(setup.kioskToken), `the address still shows the token: ${kiosk.url()}`);
    assert.equal(new URL(kiosk.url()).pathname, '/kiosk');

    assert.equal((await press(kiosk)).status(), 201);
    await kiosk.getByTestId('ticket').waitFor();

    // The kiosk's browser restarts: the page opens with no token in the address.
    await kiosk.goto(`${server.url}/kiosk`);
    await kiosk.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();
    assert.equal((await press(kiosk)).status(), 201);
    await kiosk.getByTestId('ticket').waitFor();
    await kiosk.getByRole('button', { name: 'Готово' }).tap();
    await kiosk.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();

    // Beyond its limit: a plain "wait a minute", no ticket, no script error.
    assert.equal((await press(kiosk)).status(), 429);
    const failure = kiosk.getByTestId('kiosk-failure');
    await failure.waitFor();
    assert.match(await failure.textContent(), /Зачекайте хвилинку/);
    assert.equal(await kiosk.getByTestId('ticket').count(), 0);
    assert.deepEqual(kiosk.problems.filter((p) => !p.includes('429')), []);
    await kiosk.setViewportSize({ width: 1080, height: 1920 }); // a portrait kiosk
    await screenshot(kiosk, 'kiosk-rate-limited');

    // The head of the center sees the alert on /head, with the kiosk's label.
    const head = await newPage();
    await head.goto(`${server.url}/head`);
    await head.getByRole('heading', { name: 'Вхід для працівників' }).waitFor();
    await head.getByLabel('Логін').fill('olha');
    await head.getByLabel('Пароль').fill('password-olha');
    await head.getByRole('button', { name: 'Увійти' }).click();
    const alerts = head.getByTestId('head-alerts');
    await alerts.waitFor();
    const text = await alerts.textContent();
    assert.match(text, /Сповіщення/);
    assert.match(text, /Термінал «kiosk e2e» видає талони частіше, ніж дозволено/);
    assert.match(text, /Разів: 1/);
    await screenshot(head, 'head-alert');
    await head.setViewportSize({ width: 390, height: 844 }); // a phone
    await alerts.waitFor();
    await screenshot(head, 'head-alert-phone');
  });
});
