// The pages at the sizes they are used at, on the demo center (its real names are long: 11 service
// groups, a center called "Центр надання адміністративних послуг у форматі «Прозорий офіс» міста
// Кропивницького"), with five administrators at windows: the head's view never scrolls sideways
// and its two tables never run into each other; the display board shows whole rows only, and a
// recalled ticket once; what the kiosk, /load and the console say (a group that nobody serves now
// is not "без черги"; the console's feedback follows the language; the head of center at /desk is
// sent to her own page). Screenshots of each page at each size: build/e2e-screenshots/layout-*.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../integration/harness.mjs';
import { closeAll, launchBrowser, screenshot, startServer, watchProblems } from './support.mjs';

const SIZES = {
  phone: { width: 390, height: 844 },
  small: { width: 1024, height: 768 },
  wide: { width: 1280, height: 800 },
  laptop: { width: 1366, height: 768 },
  portrait: { width: 1080, height: 1920 },
};
const PASSWORD = 'demo-password';
const ADMINS = ['andrii.bondarenko', 'iryna.tkachenko', 'serhii.kravchenko', 'natalia.shevchenko', 'oksana.melnyk'];

describe('the pages at the sizes they are used at (the demo center)', () => {
  let server;
  let browser;
  let kioskToken;
  let displayToken;
  let held; // a ticket called and still at its window, and the administrator who holds it
  const contexts = [];
  const center = 1;
  const q = (p) => `/api/v1/centers/${center}/queue${p}`;
  const ok = (r, status = 200) => {
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body;
  };

  async function newPage(viewport, options = {}) {
    const context = await browser.newContext({ locale: 'uk-UA', timezoneId: 'Europe/Kyiv', viewport, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    watchProblems(page);
    return page;
  }

  async function signIn(page, login) {
    await page.getByRole('heading', { name: 'Вхід для працівників' }).waitFor();
    await page.locator('#signin-login').fill(login);
    await page.locator('#signin-password').fill(PASSWORD);
    await page.keyboard.press('Enter');
  }

  const sidewaysScroll = (page) =>
    page.evaluate(() => ({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth }));

  before(async () => {
    server = await startServer({ VIKNO_DEMO: 'true' });
    const token = (kind) => server.output.match(new RegExp(`kropyvnytskyi ${kind} [^\\n]*\\?device=([a-z0-9]+)`))?.[1];
    kioskToken = token('kiosk');
    displayToken = token('display');
    assert.ok(kioskToken && displayToken, `the demo's device links:\n${server.output}`);
    browser = await launchBrowser();

    // Tickets in the first three groups, then five administrators at windows calling them: three
    // each, served and finished (the first recalled once: the server's list of calls has it
    // twice), then one more that stays called.
    const kiosk = new Client(server);
    kiosk.bearer = kioskToken;
    const menu = ok(await kiosk.get(q('/menu')));
    for (let i = 0; i < 30; i++) {
      ok(await kiosk.post(q('/tickets'), { group_id: menu.groups[i % 3].group_id, purpose: 'submit_documents' }), 201);
    }
    for (const login of ADMINS) {
      const c = new Client(server);
      ok(await c.login(login, PASSWORD));
      const desk = ok(await c.get(q('/desk')));
      const free = desk.windows.find((w) => !w.taken_by);
      ok(await c.post(q('/desk/sign-in'), { window_id: free.id }));
      for (let k = 0; k < 3; k++) {
        const t = ok(await c.post(q('/desk/next'), {})).ticket;
        if (!t) break; // this administrator's groups have nobody waiting
        if (k === 0) ok(await c.post(q(`/tickets/${t.id}/recall`), {}));
        ok(await c.post(q(`/tickets/${t.id}/start`), {}));
        ok(await c.post(q(`/tickets/${t.id}/finish`), { outcome: 'other' }));
      }
      const last = ok(await c.post(q('/desk/next'), {})).ticket;
      if (last) held = { ticket: last, client: c };
    }
    assert.ok(held, 'a ticket is held at a window');
    const board = new Client(server);
    board.bearer = displayToken;
    const calls = ok(await board.get(q('/display'))).recent_calls;
    assert.ok(calls.length >= 6, `enough calls to fill the board's list: ${JSON.stringify(calls)}`);
  });

  after(() => closeAll({ contexts, browser, server }));

  test("the head's view: no sideways scroll at any size; windows and queues never overlap", async () => {
    const page = await newPage(SIZES.small);
    await page.goto(`${server.url}/head?center=${center}`);
    await signIn(page, 'olena.kovalenko');
    const wrong = []; // every size is looked at before the test says what was wrong
    for (const [name, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      await page.getByTestId('head-windows').waitFor();
      await page.getByText('Оксана Мельник').waitFor();
      const m = await sidewaysScroll(page);
      if (m.scrollWidth > m.innerWidth) wrong.push(`${name}: the page scrolls sideways (${m.scrollWidth} > ${m.innerWidth})`);
      if (viewport.width >= 1024) {
        const box = (id) => page.getByTestId(id).boundingBox();
        const [w, g] = [await box('head-windows'), await box('head-groups')];
        const apart = w.x + w.width <= g.x + 1 || g.x + g.width <= w.x + 1 || w.y + w.height <= g.y + 1 || g.y + g.height <= w.y + 1;
        if (!apart) wrong.push(`${name}: the windows table runs into the queues table`);
        if ([w, g].some((b) => b.x + b.width > viewport.width)) wrong.push(`${name}: a table goes past the screen's edge`);
      }
      await screenshot(page, `layout-head-${name}`);
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual(page.problems, []);
  });

  test('the display board: every row of its lists whole on the screen; a recalled ticket listed once', async () => {
    // The server's list, which a board reads at the start: each ticket once.
    const board = new Client(server);
    board.bearer = displayToken;
    const listed = ok(await board.get(q('/display'))).recent_calls.map((c) => c.number);
    assert.equal(new Set(listed).size, listed.length, `the display's recent_calls, each ticket once: ${JSON.stringify(listed)}`);

    const page = await newPage(SIZES.laptop);
    await page.goto(`${server.url}/display?device=${displayToken}`);
    await page.getByTestId('recent').locator('tbody tr').first().waitFor();
    const checkBoard = async (name, recalled) => {
      // The lists are fitted to the board as laid out: after the next two frames.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const rows = await page.evaluate(() => {
        const rect = (e) => e.getBoundingClientRect();
        const within = (r, box) => r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
        const screen = { top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth };
        const lists = [
          ['recent', document.querySelectorAll('[data-testid="recent"] tbody tr'), document.querySelector('.board-side')],
          ['calls', document.querySelectorAll('[data-testid="calls"] li'), document.querySelector('.board-calls')],
        ];
        return lists.flatMap(([list, items, box]) =>
          [...items].map((e) => ({ list, text: e.textContent, whole: within(rect(e), rect(box)) && within(rect(e), screen) })),
        );
      });
      const recent = await page.getByTestId('recent').locator('tbody tr td:first-child').allTextContents();
      assert.deepEqual(
        {
          cut: rows.filter((r) => !r.whole).map((r) => `${r.list}: ${r.text}`),
          twice: recent.filter((n, i) => recent.indexOf(n) !== i),
          top: recalled ? recent[0] : undefined,
        },
        { cut: [], twice: [], top: recalled },
        `${name}: rows cut by the edge of their part of the board, tickets listed twice, the last recall not on top`,
      );
      assert.ok(rows.some((r) => r.list === 'recent'), `${name}: the board shows some recent calls`);
    };

    // The snapshot: tickets recalled before the board opened (each twice in the server's list).
    await checkBoard('laptop, from the snapshot');
    // A recall while the board watches: the live event moves the ticket up, listed once.
    const { ticket, client } = held;
    ok(await client.post(q(`/tickets/${ticket.id}/recall`), {}));
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="recent"] tbody tr td')?.textContent === n,
      ticket.number,
    );
    await checkBoard('laptop, after a recall', ticket.number);
    await screenshot(page, 'layout-display-laptop');
    // And so after a reload (the snapshot again, now with that recall).
    await page.reload();
    await page.getByTestId('recent').locator('tbody tr').first().waitFor();
    await checkBoard('laptop, reloaded', ticket.number);
    for (const [name, viewport] of Object.entries(SIZES)) {
      if (name === 'phone') continue; // a board is a screen in a hall
      await page.setViewportSize(viewport);
      await page.getByTestId('recent').locator('tbody tr').first().waitFor();
      await checkBoard(name, ticket.number);
      if (name === 'portrait') {
        // Room for everything: every current call and every recent one, as the server has them.
        const d = ok(await board.get(q('/display')));
        assert.equal(await page.getByTestId('calls').locator('li').count(), d.calls.length, 'portrait: every current call');
        assert.equal(await page.getByTestId('recent').locator('tbody tr').count(), d.recent_calls.length, 'portrait: every recent call');
      }
      await screenshot(page, `layout-display-${name}`);
    }
    assert.deepEqual(page.problems, []);
  });

  test('the kiosk and /load: a group nobody serves now says so, not «без черги»', async () => {
    const kiosk = new Client(server);
    kiosk.bearer = kioskToken;
    const groups = ok(await kiosk.get(q('/menu'))).groups;
    const unserved = groups.find((g) => g.administrators === 0 && g.waiting === 0);
    const served = groups.find((g) => g.administrators > 0 && g.waiting === 0);
    assert.ok(unserved && served, `the demo has both kinds of group now: ${JSON.stringify(groups)}`);

    for (const [name, viewport] of Object.entries(SIZES)) {
      const page = await newPage(viewport, { hasTouch: true });
      await page.goto(`${server.url}/kiosk?device=${kioskToken}`);
      const line = (g) => page.getByRole('button', { name: new RegExp(g.name_uk) }).locator('.kiosk-choice__meta');
      assert.equal(await line(unserved).textContent(), 'зараз ніхто не приймає', `${name}: ${unserved.name_uk}`);
      assert.equal(await line(served).textContent(), 'без черги', `${name}: ${served.name_uk}`);
      const m = await sidewaysScroll(page);
      assert.ok(m.scrollWidth <= m.innerWidth, `${name}: the kiosk scrolls sideways (${m.scrollWidth} > ${m.innerWidth})`);
      await screenshot(page, `layout-kiosk-${name}`);
      if (name === 'small') {
        await page.getByRole('button', { name: 'English' }).tap();
        assert.equal(await line({ name_uk: unserved.name_en }).textContent(), 'nobody is serving it now');
      }
      assert.deepEqual(page.problems, []);
    }

    for (const [name, viewport] of Object.entries(SIZES)) {
      const page = await newPage(viewport);
      await page.goto(`${server.url}/load`);
      const table = page.locator('section', { has: page.getByRole('heading', { name: /Кропивницького$/ }) }).locator('.load-table');
      const row = table.getByRole('row', { name: new RegExp(unserved.name_uk) });
      assert.match(await row.locator('td').last().textContent(), /^зараз ніхто не приймає$/, `${name}: /load`);
      const m = await sidewaysScroll(page);
      assert.ok(m.scrollWidth <= m.innerWidth, `${name}: /load scrolls sideways (${m.scrollWidth} > ${m.innerWidth})`);
      await screenshot(page, `layout-load-${name}`);
      assert.deepEqual(page.problems, []);
    }
  });

  test("the console's feedback line follows a switch to English", async () => {
    const page = await newPage(SIZES.laptop);
    await page.goto(`${server.url}/desk?center=${center}`);
    await signIn(page, 'tetiana.boiko');
    await page.getByRole('heading', { name: 'Оберіть вікно' }).waitFor();
    await page.keyboard.press('Enter'); // the first free window
    const notice = page.getByTestId('desk-notice');
    await notice.filter({ hasText: /^Ви працюєте у вікні \d+\.$/ }).waitFor();
    const number = (await notice.textContent()).match(/\d+/)[0];
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: `Window ${number}` }).waitFor();
    assert.equal(await notice.textContent(), `You work at window ${number}.`);
    await page.getByRole('button', { name: 'Українська' }).click();
    assert.equal(await notice.textContent(), `Ви працюєте у вікні ${number}.`);
    assert.deepEqual(page.problems, []);
  });

  test('the head of center at /desk, with no service group of her own, is sent to her view', async () => {
    const page = await newPage(SIZES.small);
    await page.goto(`${server.url}/desk?center=${center}`);
    await signIn(page, 'olena.kovalenko');
    const note = page.getByTestId('desk-head-note');
    await note.waitFor();
    assert.match(await note.textContent(), /Ви — керівник центру/);
    assert.doesNotMatch(await page.locator('main').textContent(), /Зверніться до керівника/);
    assert.equal(await page.getByRole('button', { name: /Вікно \d/ }).count(), 0, 'no window to choose');
    await screenshot(page, 'layout-desk-head');
    await page.getByRole('link', { name: 'Відкрити «Черга зараз»' }).click();
    await page.getByRole('heading', { name: /Черга зараз/ }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/head');
    assert.deepEqual(page.problems, []);
  });
});
