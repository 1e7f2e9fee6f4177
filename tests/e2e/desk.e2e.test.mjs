// The staff pages in a real browser against the real server: the administrator's console worked
// with the keyboard alone (sign in, choose a window, call, start, finish with an outcome, transfer,
// no-show, a break), two administrators pressing "Наступний" at the same moment, the refusals in
// plain Ukrainian, and the head's live view with the longest wait past the center's target (the
// server's test clock moves on past it: no minute is waited for).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../integration/harness.mjs';
import {
  advanceClock, axeViolations, closeAll, launchBrowser, screenshot, setUpCenter, startServer, watchProblems,
} from './support.mjs';

const DESK_VIEWPORT = { width: 1366, height: 900 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the administrator console and the head view in Chromium', () => {
  let server;
  let browser;
  let setup;
  let q;
  let waitingSince; // when the ticket nobody serves was issued (for the head's view)
  const contexts = [];
  const ok = (r, status = 200) => {
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body;
  };

  async function newPage(options = {}) {
    const context = await browser.newContext({ locale: 'uk-UA', timezoneId: 'Europe/Kyiv', viewport: DESK_VIEWPORT, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    watchProblems(page);
    // Every command the page sends, with its Idempotency-Key.
    page.commands = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/queue/')) {
        page.commands.push({ path: new URL(r.url()).pathname, key: r.headers()['idempotency-key'] });
      }
    });
    return page;
  }

  // The sign-in form, by keyboard: the login field has the focus.
  async function signInByKeyboard(page, login, password) {
    await page.getByRole('heading', { name: 'Вхід для працівників' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'signin-login', 'the login field has the focus');
    await page.keyboard.type(login);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
  }

  const ticketOnScreen = (page) => page.getByTestId('desk-ticket-number');
  const visit = async (id) => ok(await setup.admin.get(q(`/tickets/${id}`)));
  // The id of the ticket a staff member holds now, as the server has it (an issued ticket's public
  // answer carries no id).
  const heldBy = async (name) => ok(await setup.admin.get(q('/state'))).administrators.find((a) => a.name === name)?.ticket;

  before(async () => {
    server = await startServer({}, ['--test-clock']);
    setup = await setUpCenter(server);
    const { admin, center, passports } = setup;
    q = (p) => `/api/v1/centers/${center.id}/queue${p}`;
    // Olena serves passports too; Petro has no group at all; Halyna heads the center.
    for (const [login, name, role] of [
      ['olena', 'Олена Коваль', 'administrator'],
      ['petro', 'Петро Сидоренко', 'administrator'],
      ['halyna', 'Галина Мельник', 'center_head'],
    ]) {
      ok(await admin.post('/api/v1/users', { login, name, role, centers: [center.id], password: `password-${login}` }), 201);
    }
    const olena = ok(await admin.get(`/api/v1/centers/${center.id}/skills`)).staff.find((x) => x.login === 'olena');
    ok(await admin.request('PUT', `/api/v1/centers/${center.id}/staff/${olena.user_id}/skills`, {
      version: olena.version, skills: [{ group_id: passports.id, level: 'primary' }],
    }));
    // A group that nobody at a window serves: its ticket keeps waiting, for the head's view.
    const provider = ok(await admin.post('/api/v1/registry/providers', { code: 'geo', name_uk: 'Держгеокадастр', kind: 'state_body' }), 201);
    const land = ok(await admin.post('/api/v1/registry/groups', {
      code: 'land', name_uk: 'Земельні питання', name_en: 'Land', ticket_letter: 'З', sort_order: 3,
    }), 201);
    ok(await admin.post('/api/v1/registry/services', {
      identifier: 'land-extract', group_id: land.id, provider_id: provider.id, title_uk: 'Витяг', typical_minutes: 15,
    }), 201);
    const fresh = ok(await admin.get(`/api/v1/catalog/centers/${center.id}`));
    ok(await admin.request('PUT', `/api/v1/centers/${center.id}/services`, {
      version: fresh.version, services: ['passport', 'subsidy', 'land-extract'],
    }));
    setup.land = land;
    ok(await setup.kiosk.post(q('/tickets'), { group_id: land.id, purpose: 'consultation' }), 201);
    waitingSince = Date.now();
    browser = await launchBrowser();
  });

  after(() => closeAll({ contexts, browser, server }));

  test('an administrator works with the keyboard alone: window, call, start, finish with an outcome', async () => {
    const menu = ok(await setup.kiosk.get(q('/menu')));
    const priority = menu.priority_categories.includes('war_veteran') ? 'war_veteran' : menu.priority_categories[0];
    assert.ok(priority, 'the center has priority categories');
    const issued = ok(await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'submit_documents', priority }), 201);
    const number = issued.ticket.number;

    const page = await newPage();
    await page.goto(`${server.url}/desk?center=${setup.center.id}`);
    await screenshot(page, 'staff-signin');
    await signInByKeyboard(page, 'ivan', 'password-ivan');

    // The windows; the first free one has the focus; Enter takes it.
    await page.getByRole('heading', { name: 'Оберіть вікно' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Вікно 1\s*вільне/ }).evaluate((b) => b === document.activeElement), true);
    await screenshot(page, 'desk-choose-window');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Вікно 1/ }).waitFor();
    assert.match(await page.getByTestId('desk-status').textContent(), /Приймаєте відвідувачів/);
    const deskApi = new Client(server);
    ok(await deskApi.login('ivan', 'password-ivan'));
    assert.equal(ok(await deskApi.get(q('/desk'))).administrator.window_number, 1, 'the server has Ivan at window 1');
    // The queue of his groups is on the screen.
    assert.match(await page.getByTestId('desk-queues').getByRole('row', { name: /Паспорти/ }).textContent(), /Паспорти\s*1/);
    // The keys are listed on the screen.
    const keys = await page.getByRole('heading', { name: 'Клавіші' }).locator('..').textContent();
    for (const k of ['N', 'Пробіл', 'Enter', 'R', 'S', 'F', 'T', 'X', 'P']) assert.ok(keys.includes(k), `key ${k} is listed`);

    // N: the ticket is called to window 1.
    await page.keyboard.press('n');
    await ticketOnScreen(page).filter({ hasText: number }).waitFor();
    assert.match(await page.getByTestId('desk-ticket-state').textContent(), /Викликано/);
    const card = await page.getByTestId('desk-ticket').textContent();
    assert.match(card, /Паспорти/);
    assert.match(card, /Подати документи/);
    assert.match(await page.getByTestId('desk-ticket-priority').textContent(), /^Поза чергою: /);
    assert.match(await page.getByTestId('desk-notice').textContent(), new RegExp(`Викликано талон ${number}`));
    const firstId = (await heldBy('Іван Петренко')).id;
    let v = await visit(firstId);
    assert.equal(v.ticket.state, 'called');
    assert.equal(v.ticket.window_number, 1);
    // The time since the call counts on by itself.
    const t1 = await page.getByTestId('desk-ticket-with').textContent();
    await page.waitForFunction((t) => document.querySelector('[data-testid="desk-ticket-with"]')?.textContent !== t, t1, { timeout: 5000 });
    assert.equal(await page.getByRole('button', { name: 'Наступний' }).isDisabled(), true, 'no next while holding a ticket');
    await screenshot(page, 'desk-called');

    // S: service starts.
    await page.keyboard.press('s');
    await page.getByTestId('desk-ticket-state').filter({ hasText: 'Обслуговується' }).waitFor();
    assert.equal((await visit(firstId)).ticket.state, 'serving');
    assert.equal(await page.getByRole('button', { name: 'Викликати ще раз' }).isDisabled(), true);

    // F opens the outcomes; Escape closes without finishing; F again, and Enter takes the suggested one.
    await page.keyboard.press('f');
    const dialog = page.getByRole('dialog', { name: `Завершити обслуговування: ${number}` });
    await dialog.waitFor();
    const focused = await page.evaluate(() => [document.activeElement?.textContent, document.activeElement?.getAttribute('aria-keyshortcuts')]);
    assert.match(focused[0], /Зареєстровано заяву/, 'the outcome that fits "submit documents" is focused');
    assert.equal(focused[1], '2', 'and keeps its key: the keys 1-5 always mean the same outcome');
    const order = await dialog.getByRole('listitem').allTextContents();
    assert.deepEqual(order.map((x) => x.replace(/\s*·.*$/, '').trim()), ['1Надано консультацію', '2Зареєстровано заяву', '3Видано результат', '4Відмовлено', '5Інше']);
    await screenshot(page, 'desk-finish-dialog');
    // Tab stays in the dialog.
    for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest('dialog')), true, 'the focus stays in the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await visit(firstId)).ticket.state, 'serving', 'Escape finished nothing');
    await page.keyboard.press('f');
    await dialog.waitFor();
    // Escape and F at once, again and again: the dialog opens every time and stays open (the
    // browser's "close" of the closing before, coming after the F, once closed it again).
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('f');
      await dialog.waitFor();
    }
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-no-ticket').waitFor();
    assert.match(await page.getByTestId('desk-notice').textContent(), new RegExp(`Талон ${number} завершено: Зареєстровано заяву`));
    await page.getByTestId('desk-today').filter({ hasText: /Обслуговано\s*1/ }).waitFor();
    v = await visit(firstId);
    assert.equal(v.ticket.state, 'done');
    assert.equal(v.ticket.outcome, 'application_registered');
    assert.deepEqual(
      v.events.map((e) => e.type).filter((t) => ['ticket_called', 'service_started', 'ticket_finished'].includes(t)),
      ['ticket_called', 'service_started', 'ticket_finished'],
    );

    // It was a consultation after all: the last finish is corrected within minutes, with key 1.
    const correct = page.getByTestId('desk-correct');
    await correct.waitFor();
    assert.match(await correct.textContent(), new RegExp(`Виправити результат талона ${number}`));
    await correct.click();
    const correction = page.getByRole('dialog', { name: `Виправити результат талона ${number}` });
    await correction.waitFor();
    await screenshot(page, 'desk-correct-dialog');
    await page.keyboard.press('1');
    await page.getByTestId('desk-notice').filter({ hasText: `Результат талона ${number} виправлено: Надано консультацію` }).waitFor();
    v = await visit(firstId);
    assert.equal(v.ticket.outcome, 'consultation_given');
    assert.deepEqual(v.events.filter((e) => e.type === 'ticket_finished').map((e) => e.details.outcome), ['application_registered'], 'the finish stays as it was');
    assert.equal(v.events.filter((e) => e.type === 'outcome_corrected').length, 1);

    // Space calls the next; T transfers it to another group (chosen in the dialog by keyboard).
    const second = ok(await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'consultation' }), 201);
    await page.getByTestId('desk-queues').getByRole('row', { name: /Паспорти/ }).filter({ hasText: /Паспорти\s*1/ }).waitFor();
    await page.keyboard.press('Space');
    await ticketOnScreen(page).filter({ hasText: second.ticket.number }).waitFor();
    const secondId = (await heldBy('Іван Петренко')).id;
    await page.keyboard.press('t');
    const transfer = page.getByRole('dialog', { name: `Перевести талон ${second.ticket.number}` });
    await transfer.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'transfer-group');
    assert.match(await transfer.getByLabel('До групи послуг').evaluate((s) => s.selectedOptions[0].textContent), /Соціальні послуги/);
    await screenshot(page, 'desk-transfer-dialog');
    await page.keyboard.press('Tab'); // the colleague: anyone in the group
    await page.keyboard.press('Tab'); // Скасувати
    await page.keyboard.press('Tab'); // Перевести
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-notice').filter({ hasText: `Талон ${second.ticket.number} переведено` }).waitFor();
    v = await visit(secondId);
    assert.equal(v.ticket.state, 'waiting');
    assert.equal(v.ticket.group.id, setup.social.id);
    assert.equal(v.ticket.transfers.length, 1);

    // Ivan serves social services too: N calls the transferred ticket back, with its transfer shown; X: did not come.
    await page.keyboard.press('n');
    await ticketOnScreen(page).filter({ hasText: second.ticket.number }).waitFor();
    assert.match(await page.getByTestId('desk-ticket-transfers').textContent(), /ви → «С · Соціальні послуги»/);
    await page.keyboard.press('x');
    await page.getByTestId('desk-notice').filter({ hasText: "не з'явився" }).waitFor();
    assert.equal((await visit(secondId)).ticket.state, 'no_show');

    // P: a break with a reason (typed in the dialog); N does nothing then; P again: back to work.
    await page.keyboard.press('p');
    await page.getByRole('dialog', { name: 'Перерва' }).waitFor();
    await page.keyboard.type('Обід');
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-status').filter({ hasText: 'Перерва: Обід' }).waitFor();
    assert.equal(ok(await deskApi.get(q('/desk'))).administrator.status, 'paused');
    await screenshot(page, 'desk-paused');
    // N, then P: the keys are handled in order, so a command of N's would be sent before P's.
    const before = page.commands.length;
    await page.keyboard.press('n');
    await page.keyboard.press('p');
    await page.getByTestId('desk-status').filter({ hasText: 'Приймаєте відвідувачів' }).waitFor();
    assert.deepEqual(page.commands.slice(before).map((c) => c.path.split('/').at(-1)), ['resume'], 'N sends nothing during a break');
    assert.equal(ok(await deskApi.get(q('/desk'))).administrator.status, 'available');

    // Every command carried its own Idempotency-Key.
    assert.ok(page.commands.length >= 10, JSON.stringify(page.commands));
    for (const c of page.commands) assert.match(c.key ?? '', UUID, c.path);
    assert.equal(new Set(page.commands.map((c) => c.key)).size, page.commands.length, 'a fresh key per command');
    assert.deepEqual(page.problems, []);
  });

  test('a command whose answer is lost is sent again with the same key and calls one ticket', async () => {
    const issued = ok(await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'consultation' }), 201);
    const page = await newPage();
    await page.goto(`${server.url}/desk?center=${setup.center.id}`);
    // Ivan is still at window 1 (signed in by the test before): the console opens on it.
    await signInByKeyboard(page, 'ivan', 'password-ivan');
    await page.getByRole('heading', { name: /^Вікно 1/ }).waitFor();
    const keys = [];
    let dropped = false;
    await page.route('**/queue/desk/next', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (!dropped) {
        dropped = true;
        await route.fetch(); // the server calls the ticket...
        await route.abort('connectionreset'); // ...and the answer never arrives
        return;
      }
      await route.continue();
    });
    await page.keyboard.press('n');
    await ticketOnScreen(page).filter({ hasText: issued.ticket.number }).waitFor();
    // The retry's answer (the first one, replayed by the server) is what the notice says.
    await page.getByTestId('desk-notice').filter({ hasText: `Викликано талон ${issued.ticket.number}` }).waitFor();
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1], 'the retry carries the same key');
    const state = ok(await setup.admin.get(q('/state')));
    assert.equal(state.administrators.find((a) => a.name === 'Іван Петренко').ticket.number, issued.ticket.number);
    assert.equal(state.waiting.filter((t) => t.group.id === setup.passports.id).length, 0, 'one press, one call');
    await page.keyboard.press('f');
    await page.keyboard.press('Enter');
    await page.getByTestId('desk-no-ticket').waitFor();
    await page.unroute('**/queue/desk/next');
  });

  test('two administrators press "Наступний" at the same moment: each gets a different ticket', async () => {
    const ivan = await newPage();
    const olena = await newPage();
    await ivan.goto(`${server.url}/desk?center=${setup.center.id}`);
    await olena.goto(`${server.url}/desk?center=${setup.center.id}`);
    await signInByKeyboard(ivan, 'ivan', 'password-ivan');
    await signInByKeyboard(olena, 'olena', 'password-olena');
    await ivan.getByRole('heading', { name: /^Вікно 1/ }).waitFor();

    // Olena tries Ivan's window: refused in plain Ukrainian; then takes window 2.
    await olena.getByRole('heading', { name: 'Оберіть вікно' }).waitFor();
    await olena.getByRole('button', { name: /Вікно 1\s*зайняте: Іван Петренко/ }).focus();
    await olena.keyboard.press('Enter');
    await olena.getByRole('alert').filter({ hasText: 'Це вікно вже зайняте іншим працівником. Оберіть інше вікно.' }).waitFor();
    await screenshot(olena, 'desk-window-taken');
    await olena.getByRole('button', { name: /Вікно 2\s*вільне/ }).focus();
    await olena.keyboard.press('Enter');
    await olena.getByRole('heading', { name: /^Вікно 2/ }).waitFor();

    const a = ok(await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'consultation' }), 201);
    const b = ok(await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'consultation' }), 201);
    // Both consoles see two waiting (live, from the center's stream).
    for (const p of [ivan, olena]) {
      await p.getByTestId('desk-queues').getByRole('row', { name: /Паспорти/ }).filter({ hasText: /Паспорти\s*2/ }).waitFor();
    }
    await Promise.all([ivan.keyboard.press('n'), olena.keyboard.press('n')]);
    await ticketOnScreen(ivan).waitFor();
    await ticketOnScreen(olena).waitFor();
    const got = [await ticketOnScreen(ivan).textContent(), await ticketOnScreen(olena).textContent()];
    assert.notEqual(got[0], got[1], 'two different tickets');
    assert.deepEqual([...got].sort(), [a.ticket.number, b.ticket.number].sort());
    const state = ok(await setup.admin.get(q('/state')));
    const held = Object.fromEntries(state.administrators.map((x) => [x.window_number, x.ticket?.number]));
    assert.equal(held[1], got[0], 'the server agrees: window 1');
    assert.equal(held[2], got[1], 'the server agrees: window 2');
    for (const p of [ivan, olena]) {
      await p.keyboard.press('f');
      await p.keyboard.press('Enter');
      await p.getByTestId('desk-no-ticket').waitFor();
    }
  });

  test('a staff member with no service group is told so plainly', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/desk?center=${setup.center.id}`);
    await signInByKeyboard(page, 'petro', 'password-petro');
    await page.getByRole('heading', { name: 'Оберіть вікно' }).waitFor();
    await page.keyboard.press('Enter'); // the first free window
    await page.getByRole('alert').filter({ hasText: 'Ви не обслуговуєте жодної групи послуг у цьому центрі.' }).waitFor();
    await page.getByRole('heading', { name: 'Оберіть вікно' }).waitFor();
  });

  test('wrong password: said plainly, and nothing else opens', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/head`);
    await signInByKeyboard(page, 'halyna', 'not-her-password');
    await page.getByRole('alert').filter({ hasText: 'Неправильний логін або пароль.' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Черга зараз' }).count(), 0);
  });

  test("the head's live view: windows, queues, the longest wait marked past the target; the console and the view pass axe", async () => {
    // The center's target: 1 minute. The ticket in "Земельні питання" has waited since the start of the suite.
    // (The server's clock moves on past it below; the head's page counts on from the server's waits.)
    const settings = ok(await setup.admin.get(q('/settings')));
    ok(await setup.admin.request('PUT', q('/settings'), { ...settings, wait_limit_minutes: 1 }));
    const ivan = await newPage();
    await ivan.goto(`${server.url}/desk?center=${setup.center.id}`);
    await signInByKeyboard(ivan, 'ivan', 'password-ivan');
    await ivan.getByRole('heading', { name: /^Вікно 1/ }).waitFor();
    const called = ok(await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'receive_result' }), 201);
    await ivan.getByTestId('desk-queues').getByRole('row', { name: /Паспорти/ }).filter({ hasText: /Паспорти\s*1/ }).waitFor();
    await ivan.keyboard.press('n');
    await ticketOnScreen(ivan).filter({ hasText: called.ticket.number }).waitFor();

    const head = await newPage({ viewport: { width: 1440, height: 900 } });
    await head.goto(`${server.url}/head`); // Halyna belongs to one center: no ?center= needed
    await signInByKeyboard(head, 'halyna', 'password-halyna');
    await head.getByRole('heading', { name: /^Черга зараз/ }).waitFor();
    const windows = head.getByTestId('head-windows');
    assert.match(await windows.getByRole('row', { name: /Іван Петренко/ }).textContent(), /^1\s*Іван Петренко\s*Викликав\s*П-\d{3}/);
    assert.match(await windows.getByRole('row', { name: /Олена Коваль/ }).textContent(), /^2\s*Олена Коваль\s*Вільний/);
    const groups = head.getByTestId('head-groups');
    assert.match(await groups.getByRole('row', { name: /Земельні питання/ }).textContent(), /Земельні питання\s*1\s*0/);
    assert.match(await groups.getByRole('row', { name: /Паспорти/ }).textContent(), /Паспорти\s*0\s*2/);
    assert.match(await head.getByTestId('head-waiting').textContent(), /З-001/);

    // The server's clock moves on to 62 s after the ticket was issued, so its wait passes the
    // 1-minute target. The head's page learns of it at its next read: the one after Olena's pause.
    const left = waitingSince + 62_000 - Date.now();
    if (left > 0) await advanceClock(setup.admin, left);

    // Live: Olena's status changes on the head's screen without a reload.
    const olena = new Client(server);
    ok(await olena.login('olena', 'password-olena'));
    ok(await olena.post(q('/desk/pause'), { reason: 'Нарада' }));
    await windows.getByRole('row', { name: /Олена Коваль/ }).filter({ hasText: /Перерва\s*Нарада/ }).waitFor();

    const longest = head.getByTestId('head-longest');
    await head.getByTestId('head-longest-verdict').filter({ hasText: 'Понад ціль' }).waitFor();
    assert.match(await longest.textContent(), /Найдовше очікування\s*1:\d\d\s*талон З-001/);
    assert.match(await head.getByTestId('head-longest-verdict').textContent(), /Ціль: очікування не довше 1 хв — ▲ Понад ціль/);
    assert.equal(await longest.evaluate((el) => el.classList.contains('head-longest--over')), true);
    const bg = await longest.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(bg, 'rgb(253, 232, 232)', 'and in colour');
    assert.match(await head.getByTestId('head-waiting').getByRole('row', { name: /З-001/ }).textContent(), /Понад ціль/);
    await screenshot(head, 'head');

    // Nobody serves land questions: the head sends З-001 to Olena by name (she serves passports;
    // the dialog offers only those who serve the chosen group).
    await head.getByTestId('head-waiting').getByRole('row', { name: /З-001/ }).getByRole('button', { name: 'Передати' }).click();
    const move = head.getByRole('dialog', { name: 'Передати талон З-001' });
    await move.waitFor();
    const groupSelect = move.getByLabel('До групи послуг');
    await groupSelect.selectOption(await groupSelect.locator('option', { hasText: 'Паспорти' }).getAttribute('value'));
    const people = await move.getByLabel('Конкретному колезі (необов’язково)').locator('option').allTextContents();
    assert.deepEqual(people, ['Будь-кому з цієї групи', 'Іван Петренко', 'Олена Коваль'], 'no head, nobody without the group');
    await move.getByLabel('Конкретному колезі (необов’язково)').selectOption({ label: 'Олена Коваль' });
    await screenshot(head, 'head-reassign-dialog');
    await move.getByRole('button', { name: 'Передати' }).click();
    await head.getByTestId('head-said').filter({ hasText: 'Талон З-001 передано' }).waitFor();
    await head.getByTestId('head-waiting').getByRole('row', { name: /З-001/ }).filter({ hasText: 'для Олена Коваль' }).waitFor();

    const found = { console: await axeViolations(ivan), head: await axeViolations(head) };
    await ivan.keyboard.press('t');
    await ivan.getByRole('dialog').waitFor();
    found['console, transfer dialog'] = await axeViolations(ivan);
    await ivan.keyboard.press('Escape');
    await ivan.getByRole('dialog').waitFor({ state: 'hidden' });
    await head.getByRole('button', { name: 'English' }).click();
    await head.getByRole('heading', { name: /^The queue now/ }).waitFor();
    await head.getByText('Over target').first().waitFor();
    await screenshot(head, 'head-en');
    assert.deepEqual(found, { console: [], head: [], 'console, transfer dialog': [] });
    for (const p of [ivan, head]) assert.deepEqual(p.problems, []);
    await screenshot(ivan, 'desk-console');
  });
});
