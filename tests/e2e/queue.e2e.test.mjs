// The queue's pages in a real browser against the real server: a visitor takes a ticket at the
// kiosk by touch, follows it on a phone, is called to a window by an administrator at the console,
// and the display board shows and announces the call; the kiosk says plainly when the server is gone and
// never shows a ticket that was not issued; the pages pass an axe-core scan.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  administratorAt, axeViolations, closeAll, launchBrowser, relay, screenshot, setUpCenter, startServer, watchProblems,
} from './support.mjs';

const KIOSK_VIEWPORT = { width: 1280, height: 1024 };
const PHONE_VIEWPORT = { width: 390, height: 844 };
const BOARD_VIEWPORT = { width: 1920, height: 1080 };

describe('queue pages in Chromium', () => {
  let server;
  let browser;
  let setup;
  const contexts = [];

  async function newPage(options) {
    const context = await browser.newContext({ locale: 'uk-UA', timezoneId: 'Europe/Kyiv', ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    watchProblems(page);
    return page;
  }

  // A kiosk page; window.print is counted instead of opening the print dialog.
  async function kioskPage() {
    const page = await newPage({ viewport: KIOSK_VIEWPORT, hasTouch: true });
    await page.addInitScript(() => {
      window.__printed = 0;
      window.print = () => {
        window.__printed += 1;
      };
    });
    await page.goto(`${server.url}/kiosk?device=${setup.kioskToken}`);
    await page.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();
    return page;
  }

  // Group -> purpose -> no priority, by touch.
  async function takeTicket(page, group = /Паспорти/) {
    await page.getByRole('button', { name: group }).tap();
    await page.getByRole('button', { name: 'Подати документи' }).tap();
    await page.getByRole('button', { name: 'Ні, звичайна черга' }).tap();
  }

  before(async () => {
    server = await startServer();
    setup = await setUpCenter(server);
    browser = await launchBrowser();
  });

  after(() => closeAll({ contexts, browser, server }));

  test('the server serves the pages: front-end paths get the app, /api/ never does', async () => {
    for (const path of ['/', '/kiosk', '/load', '/t/SOMETOKEN', '/display', '/desk', '/head?center=1']) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type'), /text\/html/, path);
      assert.match(res.headers.get('content-security-policy'), /script-src 'self'/, path);
      assert.match(await res.text(), /<div id="app">/, path);
    }
    assert.equal((await fetch(server.url + '/api/v1/nothing-here')).status, 404);
    assert.equal((await fetch(server.url + '/assets/missing-1234.js')).status, 404);
  });

  test('a whole visit: a ticket at the kiosk by touch, printed, followed on the phone; the console calls it; board and phone show the call; the console finishes it', async () => {
    const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
    // Someone came earlier: our visitor has one person ahead.
    const first = await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'consultation' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.ticket.number, 'П-001');
    // Ivan works at window 3, at his console: the queue has an expected wait.
    const desk = await newPage({ viewport: { width: 1366, height: 900 } });
    await desk.goto(`${server.url}/desk`);
    await desk.getByLabel('Логін').fill('ivan');
    await desk.getByLabel('Пароль').fill('password-ivan');
    await desk.getByRole('button', { name: 'Увійти' }).click();
    await desk.getByRole('button', { name: /Вікно 3\s*вільне/ }).click();
    await desk.getByRole('heading', { name: /^Вікно 3/ }).waitFor();
    const deskTicket = desk.getByTestId('desk-ticket-number');
    const finishAtConsole = async (number) => {
      // Not while the console is still busy with the command before (a key pressed then does nothing).
      await desk.locator('button.desk-action:not([disabled])', { hasText: 'Завершити' }).waitFor();
      await desk.keyboard.press('f');
      await desk.getByRole('dialog', { name: `Завершити обслуговування: ${number}` }).waitFor();
      await desk.getByRole('button', { name: 'Інше' }).click();
      await desk.getByTestId('desk-no-ticket').waitFor();
    };

    const board = await newPage({ viewport: BOARD_VIEWPORT });
    // The spoken calls the board asks the server for; announced(number) resolves at its request.
    const announcements = [];
    const waiters = [];
    board.on('request', (r) => {
      if (!r.url().includes('/queue/announcement')) return;
      const params = new URL(r.url()).searchParams;
      announcements.push(params);
      for (const w of waiters) if (w.number === params.get('number')) w.resolve(params);
    });
    const announced = (number, timeoutMs = 30000) => {
      const seen = announcements.find((p) => p.get('number') === number);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(
          `the board did not announce ${number} (asked for: ${announcements.map((p) => p.get('number'))})`)), timeoutMs);
        waiters.push({ number, resolve: (p) => { clearTimeout(timer); resolve(p); } });
      });
    };
    await board.goto(`${server.url}/display?device=${setup.displayToken}`);
    await board.getByRole('heading', { name: 'ЦНАП Кропивницький' }).waitFor();
    await board.getByText('Зачекайте, будь ласка, на виклик').waitFor();

    const kiosk = await kioskPage();
    await screenshot(kiosk, 'kiosk-start');
    const answer = kiosk.waitForResponse((r) => r.url().endsWith(q('/tickets')) && r.request().method() === 'POST');
    await takeTicket(kiosk);
    const response = await answer;
    assert.equal(response.status(), 201);
    const key = response.request().headers()['idempotency-key'];
    assert.match(key, /^[0-9a-f-]{36}$/, 'each press carries an Idempotency-Key');
    const issued = await response.json();

    const ticket = kiosk.getByTestId('ticket');
    await ticket.waitFor();
    assert.equal(await kiosk.getByTestId('ticket-number').textContent(), 'П-002');
    const text = await ticket.textContent();
    assert.match(text, /Паспорти · Подати документи/);
    assert.match(text, /Перед вами: 1 людина/);
    assert.match(text, /Очікування: ≈ \d+ хвилин/);
    assert.ok(await ticket.getByRole('img', { name: /QR-код/ }).isVisible(), 'the QR code is on the ticket');
    await kiosk.waitForFunction(() => window.__printed === 1);
    await screenshot(kiosk, 'kiosk-ticket');
    // The receipt as the 80 mm printer gets it.
    await kiosk.emulateMedia({ media: 'print' });
    await kiosk.setViewportSize({ width: 302, height: 800 }); // 80 mm at 96 dpi
    await screenshot(kiosk, 'kiosk-receipt-print');
    await kiosk.emulateMedia({ media: 'screen' });
    await kiosk.setViewportSize(KIOSK_VIEWPORT);

    // The phone opens the QR code's link.
    const trackingPath = new URL(issued.tracking_url).pathname;
    assert.match(trackingPath, /^\/t\/[A-Za-z0-9]+$/);
    const phone = await newPage({ viewport: PHONE_VIEWPORT, hasTouch: true, isMobile: true });
    await phone.goto(server.url + trackingPath);
    await phone.getByTestId('track-number').waitFor();
    assert.equal(await phone.getByTestId('track-number').textContent(), 'П-002');
    assert.match(await phone.getByTestId('track-state').textContent(), /Очікуйте на виклик/);
    assert.equal(await phone.getByTestId('track-ahead').textContent(), '1 людина');
    await screenshot(phone, 'track-waiting');

    // Ivan calls (the large button) and serves П-001: the phone sees nobody ahead, live.
    await desk.getByRole('button', { name: 'Наступний' }).click();
    await deskTicket.filter({ hasText: 'П-001' }).waitFor();
    await phone.getByTestId('track-ahead').filter({ hasText: 'Ви наступні' }).waitFor();
    await board.locator('[data-testid="calls"] li[data-number="П-001"]').waitFor();
    await finishAtConsole('П-001');
    await board.locator('[data-testid="calls"] li[data-number="П-001"]').waitFor({ state: 'detached' });

    // Then calls П-002 to window 3 (the N key).
    await desk.keyboard.press('n');
    await deskTicket.filter({ hasText: 'П-002' }).waitFor();
    assert.match(await desk.getByTestId('desk-ticket').textContent(), /Паспорти.*Подати документи/);
    await phone.getByText('Вас запрошено до вікна 3').waitFor();
    assert.match(await phone.title(), /П-002 → Вікно 3/);
    await screenshot(phone, 'track-called');
    const call = board.locator('[data-testid="calls"] li[data-number="П-002"]');
    await call.waitFor();
    assert.match(await call.textContent(), /П-002\s*→\s*Вікно\s*3/);
    assert.match(await board.getByTestId('recent').textContent(), /П-002\s*3/);
    // The board asked the server for the spoken call of each call (П-001's is said first).
    const spoken = await announced('П-002');
    assert.equal(spoken.get('window'), '3');
    assert.equal(spoken.get('access_token'), setup.displayToken);
    await screenshot(board, 'display');
    // The visitor comes: S starts the service; the phone says so; the console finishes it.
    await desk.keyboard.press('s');
    await phone.getByTestId('track-state').filter({ hasText: 'Вас обслуговують' }).waitFor();
    await finishAtConsole('П-002');
    await phone.getByTestId('track-state').filter({ hasText: 'Обслуговування завершено' }).waitFor();
    await screenshot(phone, 'track-done');
    await desk.getByTestId('desk-today').filter({ hasText: /Обслуговано\s*2/ }).waitFor();

    for (const p of [board, kiosk, phone, desk]) assert.deepEqual(p.problems, [], 'no script errors, nothing refused');
  });

  test('the board says when its connection is lost, reconnects by itself and shows the call it missed', async () => {
    const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
    assert.equal((await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'consultation' })).status, 201);
    const link = await relay(server.url);
    try {
      const board = await newPage({ viewport: BOARD_VIEWPORT });
      await board.goto(`${link.url}/display?device=${setup.displayToken}`);
      await board.getByRole('heading', { name: 'ЦНАП Кропивницький' }).waitFor();
      await board.getByRole('heading', { name: 'Очікують у черзі' }).waitFor();
      link.cut();
      await board.getByText("Зв'язок втрачено. Відновлюємо…").waitFor();
      await screenshot(board, 'display-reconnecting');
      const ivan = await administratorAt(server, setup.center, 2);
      const called = await ivan.client.post(q('/desk/next'));
      assert.equal(called.status, 200, JSON.stringify(called.body));
      const number = called.body.ticket.number;
      link.restore();
      await board.locator(`[data-testid="calls"] li[data-number="${number}"]`).waitFor({ timeout: 30000 });
      assert.match(await board.locator(`[data-testid="calls"] li[data-number="${number}"]`).textContent(), /Вікно\s*2/);
      await board.getByText("Зв'язок втрачено. Відновлюємо…").waitFor({ state: 'detached' });
      assert.equal((await ivan.client.post(q(`/tickets/${called.body.ticket.id}/finish`), { outcome: 'other' })).status, 200);
      await ivan.client.post(q('/desk/sign-out'));
    } finally {
      await link.close();
    }
  });

  test('a press whose answer is lost is sent again with the same key and issues one ticket', async () => {
    const kiosk = await kioskPage();
    const keys = [];
    let dropped = false;
    await kiosk.route('**/queue/tickets', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (!dropped) {
        dropped = true;
        await route.fetch(); // the server issues the ticket...
        await route.abort('connectionreset'); // ...and the answer never arrives
        return;
      }
      await route.continue();
    });
    await takeTicket(kiosk, /Соціальні послуги/);
    await kiosk.getByTestId('ticket').waitFor();
    assert.equal(await kiosk.getByTestId('ticket-number').textContent(), 'С-001');
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1], 'the retry carries the same Idempotency-Key');
    const load = await fetch(`${server.url}/api/v1/centers/${setup.center.id}/queue/load`).then((r) => r.json());
    assert.equal(load.groups.find((g) => g.letter === 'С').waiting, 1, 'one press, one ticket');
  });
  test('the kiosk in English, and back to the start in Ukrainian after 30 s without a touch', async () => {
    const page = await newPage({ viewport: KIOSK_VIEWPORT, hasTouch: true });
    await page.clock.install();
    await page.addInitScript(() => {
      window.print = () => {};
    });
    await page.goto(`${server.url}/kiosk?device=${setup.kioskToken}`);
    await page.getByRole('button', { name: 'English' }).tap();
    await page.getByRole('heading', { name: 'Choose a service' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.getByRole('button', { name: /Passports/ }).tap();
    await page.getByRole('button', { name: 'Collect a result' }).tap();
    await page.getByRole('button', { name: 'No, the regular queue' }).tap();
    await page.getByRole('heading', { name: 'Your ticket' }).waitFor();
    assert.match(await page.getByTestId('ticket').textContent(), /Passports · Collect a result/);
    // runFor, not fastForward: the idle timer is armed by an effect that itself waits for the next
    // frame (a fake timer too), and a jump fires only the timers already due.
    await page.clock.runFor(31_000);
    await page.getByRole('heading', { name: 'Оберіть послугу' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Українська' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.getByTestId('ticket').count(), 0);
  });

  test('the tracking page: withdraw a ticket after a confirmation; an unknown token is not found', async () => {
    const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
    const issued = (await setup.kiosk.post(q('/tickets'), { group_id: setup.social.id, purpose: 'consultation' })).body;
    const phone = await newPage({ viewport: PHONE_VIEWPORT, hasTouch: true, isMobile: true });
    await phone.goto(server.url + new URL(issued.tracking_url).pathname);
    await phone.getByTestId('track-number').filter({ hasText: issued.ticket.number }).waitFor();
    await phone.getByRole('button', { name: 'Скасувати талон' }).tap();
    const dialog = phone.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), new RegExp(`Скасувати талон ${issued.ticket.number}\\?`));
    await screenshot(phone, 'track-cancel-confirm');
    await dialog.getByRole('button', { name: 'Ні, залишити' }).tap();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await setup.kiosk.get(`/api/v1/queue/tickets/${issued.ticket.token}`)).body.ticket.state, 'waiting');
    await phone.getByRole('button', { name: 'Скасувати талон' }).tap();
    await phone.getByRole('dialog').getByRole('button', { name: 'Так, скасувати' }).tap();
    await phone.getByTestId('track-state').filter({ hasText: 'Талон скасовано' }).waitFor();
    assert.equal((await setup.kiosk.get(`/api/v1/queue/tickets/${issued.ticket.token}`)).body.ticket.state, 'cancelled');
    assert.equal(await phone.getByRole('button', { name: 'Скасувати талон' }).count(), 0);

    const lost = await newPage({ viewport: PHONE_VIEWPORT });
    await lost.goto(`${server.url}/t/NOSUCHTICKET`);
    await lost.getByRole('heading', { name: 'Талон не знайдено' }).waitFor();
    await screenshot(lost, 'track-not-found');
  });

  test('the load page lists the queues of each center, refreshes every 30 s, and remembers English', async () => {
    const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
    const page = await newPage({ viewport: { width: 1024, height: 768 } });
    await page.clock.install();
    await page.goto(`${server.url}/load`);
    await page.getByRole('heading', { name: 'ЦНАП Кропивницький' }).waitFor();
    const row = (name) => page.getByRole('row', { name: new RegExp(name) });
    const waitingIn = async (name) => Number(await row(name).locator('td').first().textContent());
    const before = await waitingIn('Соціальні послуги');
    await screenshot(page, 'load');
    assert.equal((await setup.kiosk.post(q('/tickets'), { group_id: setup.social.id, purpose: 'consultation' })).status, 201);
    await page.clock.runFor(30_000); // fires the timers armed on the way, as time passing would
    await page.waitForFunction(
      (n) => [...document.querySelectorAll('tr')].some((tr) => tr.textContent.includes('Соціальні послуги') && tr.querySelector('td')?.textContent === String(n)),
      before + 1,
    );
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Center load' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Kropyvnytskyi ASC' }).waitFor();
    assert.equal(await waitingIn('Social services'), before + 1);
    await screenshot(page, 'load-en');
  });

  test('no serious or critical accessibility problems (axe-core): kiosk, ticket, tracking, load, display', async () => {
    const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
    const issued = (await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'consultation' })).body;
    const found = {};
    const kiosk = await kioskPage();
    found['kiosk start'] = await axeViolations(kiosk);
    await takeTicket(kiosk);
    await kiosk.getByTestId('ticket').waitFor();
    found['kiosk ticket'] = await axeViolations(kiosk);
    const phone = await newPage({ viewport: PHONE_VIEWPORT, isMobile: true, hasTouch: true });
    await phone.goto(server.url + new URL(issued.tracking_url).pathname);
    await phone.getByTestId('track-number').waitFor();
    found.tracking = await axeViolations(phone);
    const load = await newPage({ viewport: PHONE_VIEWPORT });
    await load.goto(`${server.url}/load`);
    await load.getByRole('table').first().waitFor();
    found.load = await axeViolations(load);
    const board = await newPage({ viewport: BOARD_VIEWPORT });
    await board.goto(`${server.url}/display?device=${setup.displayToken}`);
    await board.getByRole('heading', { name: 'ЦНАП Кропивницький' }).waitFor();
    found.display = await axeViolations(board);
    assert.deepEqual(found, { 'kiosk start': [], 'kiosk ticket': [], tracking: [], load: [], display: [] });
  });
});

describe('the kiosk without the server', () => {
  let server;
  let browser;
  let setup;

  before(async () => {
    server = await startServer();
    setup = await setUpCenter(server);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server.stop();
    server.cleanup();
  });

  test('says plainly that there is no connection, and shows no ticket', async () => {
    const context = await browser.newContext({ viewport: KIOSK_VIEWPORT, hasTouch: true, locale: 'uk-UA' });
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    await page.addInitScript(() => {
      window.__printed = 0;
      window.print = () => {
        window.__printed += 1;
      };
    });
    await page.goto(`${server.url}/kiosk?device=${setup.kioskToken}`);
    await page.getByRole('button', { name: /Паспорти/ }).tap();
    await page.getByRole('button', { name: 'Отримати результат' }).tap();
    await server.stop();
    await page.getByRole('button', { name: 'Ні, звичайна черга' }).tap();
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: "Немає зв'язку з сервером. Спробуйте ще раз за хвилину." }).waitFor();
    assert.equal(await page.getByTestId('ticket').count(), 0, 'no ticket on the screen');
    assert.equal(await page.getByTestId('ticket-number').count(), 0);
    assert.equal(await page.evaluate(() => window.__printed), 0, 'nothing printed');
    assert.ok(await page.getByRole('button', { name: 'Спробувати ще раз' }).isVisible());
    await screenshot(page, 'kiosk-offline');
    await context.close();
  });
});

