// The electronic queue as its users see it, over HTTP on SQLite and PostgreSQL: a kiosk issues
// tickets, administrators call and serve them, the display board and a citizen's phone follow
// live, commands are idempotent and serialized per center, and a killed server loses nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Server, Client, adminClient, databases } from './harness.mjs';

// Reads a Server-Sent Events stream until `until(events)` is true (or the deadline passes).
// `onFirst` is called when the first event has arrived.
async function readEvents(url, { headers = {}, until, timeoutMs = 10000, onFirst = () => {} }) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events = [];
  try {
    const res = await fetch(url, { headers, signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/event-stream/);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const e = {};
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) e.id = Number(line.slice(4));
          else if (line.startsWith('event: ')) e.type = line.slice(7);
          else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
        }
        if (e.type) {
          events.push(e);
          if (events.length === 1) onFirst();
        }
        if (until(events)) return events;
      }
    }
  } catch (e) {
    if (e.name !== 'AbortError') throw e;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

// Subscribes to a stream and resolves once its first event (a center's snapshot, a ticket's state)
// has arrived: the subscription exists then, so whatever happens next reaches it. `.events` then
// resolves to all that `readEvents` read.
async function follow(url, options) {
  let subscribed;
  const first = new Promise((resolve) => { subscribed = resolve; });
  const events = readEvents(url, { ...options, onFirst: () => subscribed() });
  await Promise.race([first, events]); // a stream that ends or fails at once does not hang here
  return { events };
}

for (const kind of databases()) {
  describe(`queue on ${kind}`, () => {
    let server;
    let admin;
    let center;
    let other;
    let passports; // group П
    let social;    // group С
    const staff = {};
    let kiosk;
    let otherKiosk;
    let displayToken;

    const q = (path) => `/api/v1/centers/${center.id}/queue${path}`;
    const issue = (body, client = kiosk, headers = {}) => client.request('POST', q('/tickets'), body, headers);

    async function staffClient(login) {
      const c = new Client(server);
      const r = await c.login(login, 'password-' + login);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return c;
    }

    async function setUp() {
      admin = await adminClient(server);
      const provider = (await admin.post('/api/v1/registry/providers', { code: 'dmsu', name_uk: 'ДМС', kind: 'state_body' })).body;
      passports = (await admin.post('/api/v1/registry/groups', { code: 'passports', name_uk: 'Паспорти', name_en: 'Passports', ticket_letter: 'П', sort_order: 1 })).body;
      social = (await admin.post('/api/v1/registry/groups', { code: 'social', name_uk: 'Соціальні послуги', ticket_letter: 'С', sort_order: 2 })).body;
      const svc = async (identifier, group, minutes) => {
        const r = await admin.post('/api/v1/registry/services', {
          identifier, group_id: group.id, provider_id: provider.id, title_uk: `Послуга ${identifier}`, typical_minutes: minutes,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
      };
      await svc('passport', passports, 20);
      await svc('subsidy', social, 10);
      const mk = async (code) => (await admin.post('/api/v1/registry/centers', { code, name_uk: `ЦНАП ${code}` })).body;
      center = await mk('queue-a');
      other = await mk('queue-b');
      for (const c of [center, other]) {
        let fresh = (await admin.get(`/api/v1/catalog/centers/${c.id}`)).body;
        const w = await admin.request('PUT', `/api/v1/centers/${c.id}/windows`, {
          version: fresh.version, windows: [1, 2, 3, 4, 5, 6].map((n) => ({ number: n, label: `Вікно ${n}` })),
        });
        assert.equal(w.status, 200, JSON.stringify(w.body));
        const s = await admin.request('PUT', `/api/v1/centers/${c.id}/services`, { version: w.body.version, services: ['passport', 'subsidy'] });
        assert.equal(s.status, 200, JSON.stringify(s.body));
      }
      const people = [
        ['olha', 'center_head', []],
        ['ivan', 'administrator', [[passports, 'primary'], [social, 'secondary']]],
        ['maria', 'administrator', [[social, 'primary']]],
        ['petro', 'administrator', [[passports, 'primary']]],
        ['anna', 'administrator', [[passports, 'primary']]],
        ['taras', 'administrator', [[passports, 'primary']]],
        ['halyna', 'provider_employee', [[passports, 'primary']]], // a provider's employee: never at a window
      ];
      for (const [login, role] of people) {
        const r = await admin.post('/api/v1/users', { login, name: login, role, centers: [center.id], password: 'password-' + login });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      const list = (await admin.get(`/api/v1/centers/${center.id}/skills`)).body.staff;
      for (const [login, , skills] of people) {
        const me = list.find((x) => x.login === login);
        staff[login] = { id: me.user_id };
        if (skills.length) {
          const r = await admin.request('PUT', `/api/v1/centers/${center.id}/staff/${me.user_id}/skills`, {
            version: me.version, skills: skills.map(([g, level]) => ({ group_id: g.id, level })),
          });
          assert.equal(r.status, 200, JSON.stringify(r.body));
        }
      }
      const device = async (c, purpose) => {
        const r = await admin.post(`/api/v1/centers/${c.id}/devices`, { purpose, label: purpose });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const client = new Client(server);
        client.bearer = r.body.token;
        return client;
      };
      kiosk = await device(center, 'kiosk');
      otherKiosk = await device(other, 'kiosk');
      displayToken = (await device(center, 'display')).bearer;
    }

    before(async () => {
      server = await new Server({ kind, env: { VIKNO_QUEUE_SWEEP_SECONDS: '1' } }).start();
      await setUp();
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    async function signIn(login, windowNumber) {
      const c = await staffClient(login);
      const desk = (await c.get(q('/desk'))).body;
      assert.ok(Math.abs(Date.parse(desk.at) - Date.now()) < 60_000, desk.at); // the server's time
      const w = desk.windows.find((x) => x.number === windowNumber);
      const r = await c.post(q('/desk/sign-in'), { window_id: w.id });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return c;
    }

    test('the kiosk offers the groups, issues numbered tickets with position, estimate, tracking link and QR', async () => {
      const menu = await new Client(server).get(q('/menu'));
      assert.equal(menu.status, 200);
      assert.deepEqual(menu.body.groups.map((g) => g.letter), ['П', 'С']);
      assert.ok(menu.body.priority_categories.includes('war_veteran'));
      const first = await issue({ group_id: passports.id, purpose: 'submit_documents' });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const second = await issue({ group_id: passports.id, purpose: 'consultation' });
      assert.match(first.body.ticket.number, /^П-\d{3}$/);
      assert.equal(Number(second.body.ticket.number.slice(2)), Number(first.body.ticket.number.slice(2)) + 1);
      assert.equal(second.body.ticket.ahead, first.body.ticket.ahead + 1);
      assert.match(first.body.ticket.token, /^[a-z2-7]{26}$/);
      assert.equal(first.body.tracking_url, `${server.url}/t/${first.body.ticket.token}`);
      assert.match(first.body.qr_svg, /^<svg[\s\S]*<\/svg>\s*$/);
      const tracked = await new Client(server).get(`/api/v1/queue/tickets/${first.body.ticket.token}`);
      assert.equal(tracked.status, 200);
      assert.equal(tracked.body.ticket.number, first.body.ticket.number);
      assert.equal(tracked.body.ticket.state, 'waiting');
      // Clean up for the next tests: the visitors leave.
      for (const t of [first, second]) {
        assert.equal((await new Client(server).del(`/api/v1/queue/tickets/${t.body.ticket.token}`)).status, 200);
      }
      assert.equal((await new Client(server).get(`/api/v1/queue/tickets/${first.body.ticket.token}`)).body.ticket.state, 'cancelled');
    });

    test('bad kiosk input is refused and issues nothing; another center’s kiosk gets 403; unknown tokens 404', async () => {
      const before = (await new Client(server).get(q('/load'))).body.waiting;
      const unknownGroup = await issue({ group_id: 999999, purpose: 'consultation' });
      assert.equal(unknownGroup.status, 400);
      assert.equal(unknownGroup.body.error.code, 'unknown_group');
      const unknownPurpose = await issue({ group_id: passports.id, purpose: 'chat' });
      assert.equal(unknownPurpose.status, 400);
      assert.equal(unknownPurpose.body.error.code, 'unknown_purpose');
      const unknownPriority = await issue({ group_id: passports.id, priority: 'vip' });
      assert.equal(unknownPriority.body.error.code, 'unknown_priority');
      const foreign = await issue({ group_id: passports.id }, otherKiosk);
      assert.equal(foreign.status, 403);
      assert.equal((await issue({ group_id: passports.id }, new Client(server))).status, 401);
      assert.equal((await new Client(server).get(q('/load'))).body.waiting, before);
      const missing = await new Client(server).get('/api/v1/queue/tickets/aaaaaaaaaaaaaaaaaaaaaaaaaa');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'ticket_not_found');
      assert.deepEqual(Object.keys(missing.body.error.details ?? {}), []);
    });

    test('a whole visit: call by the routing policy, display and phone follow, recall, start, finish; the visit record explains it', async () => {
      const ivan = await signIn('ivan', 1);
      const socialTicket = (await issue({ group_id: social.id })).body.ticket;
      const passport = (await issue({ group_id: passports.id, purpose: 'submit_documents' })).body.ticket;
      // Ivan serves passports first (primary), social second.
      const next = await ivan.post(q('/desk/next'));
      assert.equal(next.status, 200, JSON.stringify(next.body));
      assert.equal(next.body.ticket.number, passport.number);
      assert.equal(next.body.ticket.rule, 'primary_skill');
      assert.equal(next.body.ticket.window_number, 1);
      const phone = (await new Client(server).get(`/api/v1/queue/tickets/${passport.token}`)).body.ticket;
      assert.equal(phone.state, 'called');
      assert.equal(phone.window_number, 1);
      const display = new Client(server);
      display.bearer = displayToken;
      const board = (await display.get(q('/display'))).body;
      assert.ok(board.calls.some((c) => c.number === passport.number && c.window_number === 1));
      assert.equal(board.recent_calls[0].number, passport.number);
      // Someone else cannot finish Ivan's ticket.
      const petro = await signIn('petro', 2);
      const theft = await petro.post(q(`/tickets/${next.body.ticket.id}/finish`), { outcome: 'other' });
      assert.equal(theft.status, 409);
      assert.equal(theft.body.error.code, 'not_your_ticket');
      assert.equal((await ivan.post(q(`/tickets/${next.body.ticket.id}/recall`))).body.ticket.recalls, 1);
      assert.equal((await ivan.post(q(`/tickets/${next.body.ticket.id}/start`))).body.ticket.state, 'serving');
      const badOutcome = await ivan.post(q(`/tickets/${next.body.ticket.id}/finish`), { outcome: 'great' });
      assert.equal(badOutcome.status, 400);
      const done = await ivan.post(q(`/tickets/${next.body.ticket.id}/finish`), { outcome: 'application_registered' });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.ticket.state, 'done');
      assert.equal(done.body.ticket.outcome, 'application_registered');
      const head = await staffClient('olha');
      const record = (await head.get(q(`/tickets/${next.body.ticket.id}`))).body;
      assert.deepEqual(record.events.map((e) => e.type),
        ['ticket_issued', 'ticket_called', 'ticket_recalled', 'service_started', 'ticket_finished']);
      assert.equal(record.events[1].details.rule, 'primary_skill');
      assert.equal(record.ticket.user_id, staff.ivan.id);
      // Then the social ticket, by his secondary skill; Petro (passports only) has nothing.
      const empty = await petro.post(q('/desk/next'));
      assert.equal(empty.status, 200);
      assert.equal(empty.body.ticket, null);
      const second = await ivan.post(q('/desk/next'));
      assert.equal(second.body.ticket.number, socialTicket.number);
      assert.equal(second.body.ticket.rule, 'secondary_skill');
      const gone = await ivan.post(q(`/tickets/${second.body.ticket.id}/no-show`));
      assert.equal(gone.body.ticket.state, 'no_show');
      const desk = (await ivan.get(q('/desk'))).body;
      assert.equal(desk.today.served, 1);
      assert.equal(desk.administrator.window_number, 1);
      for (const c of [ivan, petro]) assert.equal((await c.post(q('/desk/sign-out'))).status, 200);
    });

    test('a transfer to a named colleague keeps the issue time, and only that colleague calls it', async () => {
      const ivan = await signIn('ivan', 1);
      const maria = await signIn('maria', 3);
      const t = (await issue({ group_id: passports.id })).body.ticket;
      const later = (await issue({ group_id: social.id })).body.ticket;
      const called = (await ivan.post(q('/desk/next'))).body.ticket;
      assert.equal(called.number, t.number);
      const moved = await ivan.post(q(`/tickets/${called.id}/transfer`), { to_group_id: social.id, to_user_id: staff.maria.id });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.ticket.state, 'waiting');
      assert.equal(moved.body.ticket.issued_at, called.issued_at);
      assert.equal(moved.body.ticket.transfers.length, 1);
      const byName = (await maria.post(q('/desk/next'))).body.ticket;
      assert.equal(byName.number, t.number);
      assert.equal(byName.rule, 'transfer');
      await maria.post(q(`/tickets/${byName.id}/finish`), { outcome: 'consultation_given' });
      assert.equal((await maria.post(q('/desk/next'))).body.ticket.number, later.number);
      await maria.post(q(`/tickets/${(await maria.get(q('/desk'))).body.administrator.ticket.id}/finish`), { outcome: 'other' });
      for (const c of [ivan, maria]) assert.equal((await c.post(q('/desk/sign-out'))).status, 200);
    });

    test('a transfer by name offers and accepts only colleagues at a window who serve the group; the ticket stays counted and the head reassigns it', async () => {
      const ivan = await signIn('ivan', 1);
      const desk = (await ivan.get(q('/desk'))).body;
      const names = desk.colleagues.map((c) => c.name).sort();
      assert.deepEqual(names, ['anna', 'maria', 'petro', 'taras'], 'no provider employee, no head without skills, not oneself');
      assert.deepEqual(desk.colleagues.find((c) => c.name === 'maria').group_ids, [social.id]);
      assert.equal(desk.colleagues.find((c) => c.name === 'petro').status, 'signed_out');
      const t = (await issue({ group_id: passports.id })).body.ticket;
      let called = (await ivan.post(q('/desk/next'))).body.ticket;
      while (called.number !== t.number) { // tickets left by earlier tests go first
        await ivan.post(q(`/tickets/${called.id}/finish`), { outcome: 'other' });
        called = (await ivan.post(q('/desk/next'))).body.ticket;
      }
      const toProvider = await ivan.post(q(`/tickets/${called.id}/transfer`), { to_group_id: passports.id, to_user_id: staff.halyna.id });
      assert.equal(toProvider.status, 400, JSON.stringify(toProvider.body));
      assert.equal(toProvider.body.error.code, 'unknown_administrator');
      const notInGroup = await ivan.post(q(`/tickets/${called.id}/transfer`), { to_group_id: passports.id, to_user_id: staff.maria.id });
      assert.equal(notInGroup.body.error.code, 'administrator_not_in_group');
      assert.equal((await ivan.get(q('/desk'))).body.administrator.ticket.number, t.number, 'a refused transfer changes nothing');
      // Petro serves passports but is not at work: the ticket waits for him, and every count holds it.
      const moved = await ivan.post(q(`/tickets/${called.id}/transfer`), { to_group_id: passports.id, to_user_id: staff.petro.id });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      const load = (await new Client(server).get(q('/load'))).body;
      assert.equal(load.groups.reduce((n, g) => n + g.waiting, 0), load.waiting);
      const head = await staffClient('olha');
      const state = (await head.get(q('/state'))).body;
      const row = state.groups.find((g) => g.group_id === passports.id);
      assert.equal(row.waiting, state.waiting.filter((w) => w.group.id === passports.id).length);
      const stuck = state.waiting.find((w) => w.number === t.number);
      assert.deepEqual(stuck.target_user, { id: staff.petro.id, name: 'petro', status: 'signed_out' });
      const tracked = (await new Client(server).get(`/api/v1/queue/tickets/${t.token}`)).body.ticket;
      assert.equal(tracked.transferred, true);
      // The head sends it back to anyone of the group; Ivan calls it.
      const back = await head.post(q(`/tickets/${stuck.id}/reassign`), { to_group_id: passports.id });
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal(back.body.ticket.target_user, null);
      assert.equal((await ivan.post(q('/desk/next'))).body.ticket.number, t.number);
      await ivan.post(q(`/tickets/${called.id}/finish`), { outcome: 'other' });
      await ivan.post(q('/desk/sign-out'));
    });

    test('an administrator corrects the outcome of the visit just finished; the visit record keeps both', async () => {
      const ivan = await signIn('ivan', 1);
      const t = (await issue({ group_id: passports.id, purpose: 'consultation' })).body.ticket;
      let called = (await ivan.post(q('/desk/next'))).body.ticket;
      while (called.number !== t.number) {
        await ivan.post(q(`/tickets/${called.id}/finish`), { outcome: 'other' });
        called = (await ivan.post(q('/desk/next'))).body.ticket;
      }
      await ivan.post(q(`/tickets/${called.id}/finish`), { outcome: 'application_registered' });
      const desk = (await ivan.get(q('/desk'))).body;
      assert.equal(desk.correctable.ticket_id, called.id);
      assert.equal(desk.correctable.outcome, 'application_registered');
      const maria = await signIn('maria', 3);
      const notHers = await maria.post(q(`/tickets/${called.id}/outcome`), { outcome: 'other' });
      assert.equal(notHers.status, 409);
      assert.equal(notHers.body.error.code, 'not_your_last_visit');
      const bad = await ivan.post(q(`/tickets/${called.id}/outcome`), { outcome: 'nonsense' });
      assert.equal(bad.body.error.code, 'unknown_outcome');
      const fixed = await ivan.post(q(`/tickets/${called.id}/outcome`), { outcome: 'consultation_given' });
      assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
      assert.equal(fixed.body.ticket.outcome, 'consultation_given');
      const head = await staffClient('olha');
      const visit = (await head.get(q(`/tickets/${called.id}`))).body;
      assert.equal(visit.ticket.outcome, 'consultation_given');
      const types = visit.events.map((e) => e.type);
      assert.ok(types.includes('ticket_finished') && types.indexOf('ticket_finished') < types.indexOf('outcome_corrected'), types.join());
      assert.equal(visit.events.find((e) => e.type === 'ticket_finished').details.outcome, 'application_registered');
      assert.deepEqual(
        (({ from, outcome }) => ({ from, outcome }))(visit.events.find((e) => e.type === 'outcome_corrected').details),
        { from: 'application_registered', outcome: 'consultation_given' });
      for (const c of [ivan, maria]) await c.post(q('/desk/sign-out'));
    });

    test('a ticket\u2019s place counts what the routing calls first: later tickets of a group its administrators prefer', async () => {
      const ivan = await signIn('ivan', 1); // passports first, social second
      const mine = (await issue({ group_id: social.id })).body.ticket;
      const track = async () => (await new Client(server).get(`/api/v1/queue/tickets/${mine.token}`)).body.ticket;
      const before = await track();
      assert.equal(before.shared_administrators, true);
      const numbers = [mine.number];
      for (const body of [{ group_id: passports.id }, { group_id: passports.id }]) numbers.push((await issue(body)).body.ticket.number);
      const after = await track();
      assert.equal(after.ahead, before.ahead + 2, 'two later passport tickets go before it');
      numbers.push((await issue({ group_id: passports.id, priority: 'war_veteran' })).body.ticket.number);
      const third = await track();
      assert.equal(third.ahead, before.ahead + 3);
      assert.equal(third.priority_ahead, before.priority_ahead + 1);
      // The routing agrees: Ivan calls the three before the social ticket.
      const calls = [];
      for (;;) {
        const next = (await ivan.post(q('/desk/next'))).body.ticket;
        calls.push(next.number);
        await ivan.post(q(`/tickets/${next.id}/finish`), { outcome: 'other' });
        if (next.number === mine.number) break;
      }
      assert.equal(calls.length, before.ahead + 4, calls.join());
      assert.deepEqual(numbers.slice(1).every((n) => calls.includes(n)), true);
      await ivan.post(q('/desk/sign-out'));
    });

    test('tracking links on a loopback address are flagged at start and to the head, since the center has kiosks', async () => {
      // The kiosks were made after this server started: a restart sees them and warns once.
      await server.stop();
      await server.start();
      admin = await adminClient(server);
      assert.match(server.output, /"level":"warn","msg":"tracking links on tickets point at a loopback address/);
      const head = await staffClient('olha');
      const state = (await head.get(q('/state'))).body;
      assert.deepEqual(state.warnings.map((w) => w.code), ['tracking_url_loopback']);
      assert.match(state.warnings[0].public_url, /^http:\/\/(127\.0\.0\.1|localhost):\d+$/);
    });

    test('a retried command with the same Idempotency-Key acts once', async () => {
      const key = { 'idempotency-key': `issue-${kind}-1` };
      const a = await issue({ group_id: passports.id }, kiosk, key);
      const b = await issue({ group_id: passports.id }, kiosk, key);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal(b.body.ticket.number, a.body.ticket.number);
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
      const c = await issue({ group_id: passports.id });
      assert.notEqual(c.body.ticket.number, a.body.ticket.number);
      const ivan = await signIn('ivan', 1);
      const n1 = await ivan.request('POST', q('/desk/next'), undefined, { 'idempotency-key': `next-${kind}-1` });
      const n2 = await ivan.request('POST', q('/desk/next'), undefined, { 'idempotency-key': `next-${kind}-1` });
      assert.equal(n2.body.ticket.id, n1.body.ticket.id);
      assert.equal(n1.body.ticket.number, a.body.ticket.number);
      const state = (await (await staffClient('olha')).get(q('/state'))).body;
      assert.ok(state.waiting.some((t) => t.number === c.body.ticket.number)); // the second ticket still waits
      await ivan.post(q(`/tickets/${n1.body.ticket.id}/finish`), { outcome: 'other' });
      const tooLong = await ivan.request('POST', q('/desk/next'), undefined, { 'idempotency-key': 'x'.repeat(200) });
      assert.equal(tooLong.status, 400);
      await ivan.post(q('/desk/sign-out'));
    });

    test('administrators pressing "next" at the same instant never get the same ticket', async () => {
      const logins = ['ivan', 'petro', 'anna', 'taras'];
      const clients = [];
      for (const [i, login] of logins.entries()) clients.push(await signIn(login, i + 1));
      for (let i = 0; i < 24; i++) assert.equal((await issue({ group_id: passports.id })).status, 201);
      const called = [];
      for (let round = 0; round < 8; round++) {
        const results = await Promise.all(clients.map((c) => c.post(q('/desk/next'))));
        for (const [i, r] of results.entries()) {
          assert.equal(r.status, 200, JSON.stringify(r.body));
          if (r.body.ticket) {
            called.push(r.body.ticket.number);
            const done = await clients[i].post(q(`/tickets/${r.body.ticket.id}/finish`), { outcome: 'other' });
            assert.equal(done.status, 200);
          }
        }
      }
      assert.ok(called.length >= 24, `called ${called.length}`);
      assert.equal(new Set(called).size, called.length, 'a ticket was called twice');
      for (const c of clients) await c.post(q('/desk/sign-out'));
    });

    test('the display follows live over SSE and a reconnect with Last-Event-ID gets what it missed', async () => {
      const ivan = await signIn('ivan', 1);
      const url = `${server.url}${q('/events')}?access_token=${displayToken}`;
      const t1 = (await issue({ group_id: passports.id })).body.ticket;
      const first = await follow(url, { until: (ev) => ev.some((e) => e.type === 'ticket_called') });
      const called = (await ivan.post(q('/desk/next'))).body.ticket;
      assert.equal(called.number, t1.number);
      const seen = await first.events;
      assert.equal(seen[0].type, 'snapshot');
      const call = seen.find((e) => e.type === 'ticket_called');
      assert.ok(call, JSON.stringify(seen));
      assert.equal(call.data.ticket.number, t1.number);
      assert.equal(call.data.ticket.window_number, 1);
      assert.ok(Array.isArray(call.data.queues));
      // While the display is away: a finish and a new ticket. It comes back with the last id it saw.
      await ivan.post(q(`/tickets/${called.id}/finish`), { outcome: 'other' });
      const t2 = (await issue({ group_id: passports.id })).body.ticket;
      const missed = await readEvents(url, {
        headers: { 'last-event-id': String(call.id) },
        until: (ev) => ev.some((e) => e.type === 'ticket_issued'),
      });
      assert.deepEqual(missed.map((e) => e.type), ['ticket_finished', 'ticket_issued']);
      assert.equal(missed[0].data.ticket.state, 'done'); // the event carries the ticket as the command left it
      assert.equal(missed[1].data.ticket.number, t2.number);
      assert.ok(missed[0].id > call.id);
      // The citizen's phone: the state first, then "called to window 1".
      const phone = await follow(`${server.url}/api/v1/queue/tickets/${t2.token}/events`, {
        until: (ev) => ev.some((e) => e.data?.state === 'called'),
      });
      const c2 = (await ivan.post(q('/desk/next'))).body.ticket;
      const updates = await phone.events;
      assert.equal(updates[0].data.state, 'waiting');
      assert.equal(updates.at(-1).data.state, 'called');
      assert.equal(updates.at(-1).data.window_number, 1);
      await ivan.post(q(`/tickets/${c2.id}/finish`), { outcome: 'other' });
      await ivan.post(q('/desk/sign-out'));
      // A kiosk of another center may not watch this one.
      assert.equal((await fetch(`${server.url}${q('/events')}?access_token=${otherKiosk.bearer}`)).status, 403);
      // A WebSocket client's ?last_event_id= that is not a number is refused, not read as "from the start".
      for (const bad of ['abc', '12x', '-1']) {
        const res = await fetch(`${url}&last_event_id=${bad}`);
        assert.equal(res.status, 400, bad);
        const body = await res.json();
        assert.equal(body.error.code, 'invalid_field');
        assert.equal(body.error.details.field, 'last_event_id');
      }
    });

    test('a phone following its ticket hears of what it shows (position, wait in minutes, the call), not of every change', async () => {
      const ivan = await signIn('ivan', 1);
      const t1 = (await issue({ group_id: passports.id })).body.ticket;
      const t2 = (await issue({ group_id: passports.id })).body.ticket;
      const phone = await follow(`${server.url}/api/v1/queue/tickets/${t2.token}/events`, {
        until: (ev) => ev.some((e) => e.data?.state === 'called'),
      });
      // A later ticket of another group changes nothing this citizen sees: no update for it. (Had
      // it sent one, it would come before the call's, in the stream's order, and repeat the last.)
      const other = (await issue({ group_id: social.id })).body.ticket;
      const c1 = (await ivan.post(q('/desk/next'))).body.ticket;
      assert.equal(c1.number, t1.number);
      await ivan.post(q(`/tickets/${c1.id}/finish`), { outcome: 'other' });
      const c2 = (await ivan.post(q('/desk/next'))).body.ticket;
      assert.equal(c2.number, t2.number);
      const updates = await phone.events;
      const shown = updates.map((e) => {
        const ms = e.data.expected_wait_ms;
        const minutes = ms === null ? null : ms < 60000 ? -1 : Math.round(ms / 60000);
        return JSON.stringify([e.data.state, e.data.ahead, minutes, e.data.window_number]);
      });
      assert.equal(updates[0].data.ahead, 1);
      assert.ok(updates.some((e) => e.data.state === 'waiting' && e.data.ahead === 0), shown.join(' '));
      assert.equal(updates.at(-1).data.window_number, 1);
      for (let i = 1; i < shown.length; i++) assert.notEqual(shown[i], shown[i - 1], `update ${i} shows nothing new: ${shown.join(' ')}`);
      await ivan.post(q(`/tickets/${c2.id}/finish`), { outcome: 'other' });
      assert.equal((await new Client(server).del(`/api/v1/queue/tickets/${other.token}`)).status, 200); // that visitor leaves
      await ivan.post(q('/desk/sign-out'));
    });

    test('the spoken call is a Ukrainian WAV for the display', async () => {
      const number = encodeURIComponent('П-015');
      const res = await fetch(`${server.url}${q('/announcement')}?number=${number}&window=3&access_token=${displayToken}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'audio/wav');
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(bytes.subarray(0, 4).toString(), 'RIFF');
      assert.ok(bytes.length > 20000, `${bytes.length} bytes`);
      const bad = await fetch(`${server.url}${q('/announcement')}?number=${number}&window=0&access_token=${displayToken}`);
      assert.equal(bad.status, 400);
    });

    test('the head closes the day: waiting tickets are closed with a reason and counted', async () => {
      const waitingBefore = (await new Client(server).get(q('/load'))).body.waiting;
      await issue({ group_id: social.id });
      await issue({ group_id: passports.id });
      const head = await staffClient('olha');
      const ivan = await staffClient('ivan');
      assert.equal((await ivan.post(q('/close-day'))).status, 403);
      const closed = await head.post(q('/close-day'));
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      assert.equal(closed.body.closed, waitingBefore + 2);
      assert.equal((await new Client(server).get(q('/load'))).body.waiting, 0);
    });

    test('when a center’s opening hours are over, its waiting tickets are closed by themselves', async () => {
      // A server of its own whose clock says noon in Kyiv, whenever this runs: a center open
      // 00:00-00:01 every day is then closed (its 10-minute grace too) on the same date.
      const [h, m] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Kyiv', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .format(new Date()).split(':').map(Number);
      const toNoon = (12 * 60 - (h * 60 + m)) * 60;
      const midday = await new Server({ kind, env: { VIKNO_QUEUE_SWEEP_SECONDS: '1' }, args: [`--clock-offset=${toNoon}s`] }).start();
      try {
        const root = await adminClient(midday);
        const provider = (await root.post('/api/v1/registry/providers', { code: 'dmsu', name_uk: 'ДМС', kind: 'state_body' })).body;
        const group = (await root.post('/api/v1/registry/groups', { code: 'passports', name_uk: 'Паспорти', ticket_letter: 'П', sort_order: 1 })).body;
        const svc = await root.post('/api/v1/registry/services', {
          identifier: 'passport', group_id: group.id, provider_id: provider.id, title_uk: 'Паспорт', typical_minutes: 20,
        });
        assert.equal(svc.status, 201, JSON.stringify(svc.body));
        const early = (await root.post('/api/v1/registry/centers', {
          code: 'queue-early', name_uk: 'ЦНАП, що рано зачиняється',
          hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:01' })),
        })).body;
        const fresh = (await root.get(`/api/v1/catalog/centers/${early.id}`)).body;
        const w = await root.request('PUT', `/api/v1/centers/${early.id}/windows`, { version: fresh.version, windows: [{ number: 1, label: 'Вікно 1' }] });
        assert.equal((await root.request('PUT', `/api/v1/centers/${early.id}/services`, { version: w.body.version, services: ['passport'] })).status, 200);
        const device = await root.post(`/api/v1/centers/${early.id}/devices`, { purpose: 'kiosk', label: 'kiosk' });
        const late = new Client(midday);
        late.bearer = device.body.token;
        const issued = await late.post(`/api/v1/centers/${early.id}/queue/tickets`, { group_id: group.id });
        assert.equal(issued.status, 201, JSON.stringify(issued.body));
        // The server's day is at noon: the ticket's issue time says so.
        assert.match(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Kyiv', hour: '2-digit', hourCycle: 'h23' })
          .format(new Date(issued.body.ticket.issued_at)), /^12$/);
        // The citizen's phone follows the ticket until the sweep closes it.
        const phone = await follow(`${midday.url}/api/v1/queue/tickets/${issued.body.ticket.token}/events`, {
          until: (ev) => ev.some((e) => e.data?.state === 'closed'), timeoutMs: 15000,
        });
        const updates = await phone.events;
        assert.equal(updates[0].data.state, 'waiting');
        assert.equal(updates.at(-1)?.data.state, 'closed', JSON.stringify(updates.map((e) => e.data.state)));
        assert.equal((await new Client(midday).get(`/api/v1/queue/tickets/${issued.body.ticket.token}`)).body.ticket.state, 'closed');
        await midday.waitForOutput(/"msg":"queue closed after hours","tickets":1/);
      } finally {
        await midday.stop();
        midday.cleanup();
      }
    });

    test('the head reassigns a waiting ticket to a named administrator', async () => {
      const head = await staffClient('olha');
      const maria = await signIn('maria', 3);
      const t = (await issue({ group_id: passports.id })).body.ticket;
      const state = (await head.get(q('/state'))).body;
      const waiting = state.waiting.find((x) => x.number === t.number);
      const moved = await head.post(q(`/tickets/${waiting.id}/reassign`), { to_group_id: social.id, to_user_id: staff.maria.id });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.ticket.target_user_id, staff.maria.id);
      const unknown = await head.post(q(`/tickets/${waiting.id}/reassign`), { to_group_id: social.id, to_user_id: 999999 });
      assert.equal(unknown.status, 400);
      const ivan = await staffClient('ivan');
      assert.equal((await ivan.post(q(`/tickets/${waiting.id}/reassign`), { to_group_id: social.id })).status, 403);
      const called = (await maria.post(q('/desk/next'))).body.ticket;
      assert.equal(called.number, t.number);
      assert.equal(called.rule, 'transfer');
      await maria.post(q(`/tickets/${called.id}/finish`), { outcome: 'other' });
      await maria.post(q('/desk/sign-out'));
    });

    test('guessing tracking tokens at speed gets 429 with Retry-After (the next test restarts the server)', async () => {
      let limited = null;
      for (let i = 0; i < 200 && !limited; i++) {
        const r = await new Client(server).get(`/api/v1/queue/tickets/guess${String(i).padStart(21, '0')}`);
        if (r.status === 429) limited = r;
        else assert.equal(r.status, 404);
      }
      assert.ok(limited, 'no limit after 200 guesses');
      assert.equal(limited.body.error.code, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    });

    test('killed with SIGKILL in the middle of a burst, every acknowledged ticket survives and numbering continues', async () => {
      const ivan = await signIn('ivan', 1);
      const first = (await issue({ group_id: passports.id, purpose: 'consultation' })).body.ticket;
      const held = (await ivan.post(q('/desk/next'))).body.ticket;
      assert.equal(held.number, first.number);
      // A burst of kiosk presses; the server dies while they are in flight.
      const acked = [];
      const burst = [];
      let tenAcked;
      const ten = new Promise((resolve) => { tenAcked = resolve; });
      for (let i = 0; i < 60; i++) {
        burst.push(issue({ group_id: passports.id }).then((r) => {
          if (r.status === 201) acked.push(r.body.ticket);
          if (acked.length === 10) tenAcked();
        }, () => {}));
      }
      await Promise.race([ten, Promise.allSettled(burst)]); // the tenth answer, or all of them if fewer came
      await server.kill();
      await Promise.allSettled(burst);
      assert.ok(acked.length >= 10, `only ${acked.length} acknowledged before the kill`);
      await server.start();
      const head = await staffClient('olha');
      const after = (await head.get(q('/state'))).body;
      const numbers = after.waiting.map((t) => t.number);
      assert.equal(new Set(numbers).size, numbers.length, 'a number appears twice');
      for (const t of acked) {
        assert.ok(numbers.includes(t.number), `${t.number} was acknowledged but is gone`);
        const tracked = await new Client(server).get(`/api/v1/queue/tickets/${t.token}`);
        assert.equal(tracked.body.ticket.number, t.number);
      }
      // The queue keeps its order (issue time) and Ivan still holds his ticket.
      const issuedAt = after.waiting.map((t) => t.issued_at);
      assert.deepEqual(issuedAt, [...issuedAt].sort());
      const ivan2 = await staffClient('ivan');
      assert.equal((await ivan2.get(q('/desk'))).body.administrator.ticket.number, held.number);
      const max = Math.max(...numbers.map((n) => Number(n.slice(2))));
      const next = (await issue({ group_id: passports.id })).body.ticket;
      assert.equal(Number(next.number.slice(2)), max + 1);
      await ivan2.post(q(`/tickets/${held.id}/finish`), { outcome: 'other' });
      await head.post(q('/close-day'));
      await ivan2.post(q('/desk/sign-out'));
    });

    // Tickets and visit events get their ids from the process (blocks of a PostgreSQL sequence), so
    // a region's instances on one database never give the same id: a duplicate would fail the write.
    test('two instances on one database, each serving its own center, issue tickets at once without a clash', { skip: kind !== 'postgresql' && 'SQLite has one process per file' }, async () => {
      // A second instance on the same database shares the first one's audit key files (docs/security.md).
      const audit = join(server.dir, 'var');
      const second = await new Server({ kind, db: server.db, env: {
        VIKNO_AUDIT_KEY_FILE: join(audit, 'audit.key'),
        VIKNO_AUDIT_SIGNING_KEY_FILE: join(audit, 'audit-signing.key'),
        VIKNO_AUDIT_CHECKPOINT_DIR: join(audit, 'audit-checkpoints'),
      } }).start();
      try {
        const there = new Client(second);
        there.bearer = otherKiosk.bearer;
        const presses = [];
        for (let i = 0; i < 40; i++) {
          presses.push(issue({ group_id: passports.id }));
          presses.push(there.request('POST', `/api/v1/centers/${other.id}/queue/tickets`, { group_id: social.id }));
        }
        const answers = await Promise.all(presses);
        for (const r of answers) assert.equal(r.status, 201, JSON.stringify(r.body));
        // Each instance follows its own tickets, and the other instance reads them from the database.
        for (const r of answers.slice(0, 4)) {
          const t = r.body.ticket;
          for (const s of [server, second]) {
            const tracked = await new Client(s).get(`/api/v1/queue/tickets/${t.token}`);
            assert.equal(tracked.status, 200, JSON.stringify(tracked.body));
            assert.equal(tracked.body.ticket.number, t.number);
          }
        }
        const numbers = answers.map((r) => r.body.ticket.number);
        assert.equal(new Set(numbers).size, numbers.length, 'a number appears twice');
      } finally {
        await second.stop();
        second.cleanup();
      }
      const head = await staffClient('olha');
      await head.post(q('/close-day'));
    });

    // A command's rows are written after it left the center (by the database's writer): when they
    // cannot be written, the command fails, nothing of it stays, and the queue goes on from the
    // database. The fault: a trigger that refuses the call's visit event.
    test('a call whose rows cannot be written fails and changes nothing; the next press calls the same ticket', { skip: kind !== 'sqlite' && 'the fault is put in with the sqlite3 tool' }, async () => {
      const ivan = await signIn('ivan', 1);
      const ticket = (await issue({ group_id: passports.id })).body.ticket;
      const file = server.db.replace(/^sqlite:/, '');
      const sql = (text) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', file, text], { stdio: 'pipe' });
      sql(`CREATE TRIGGER test_refuses_calls BEFORE INSERT ON queue_events WHEN NEW.type = 'ticket_called'
           BEGIN SELECT RAISE(ABORT, 'injected fault'); END;`);
      const head = await staffClient('olha');
      try {
        const refused = await ivan.post(q('/desk/next'));
        assert.ok(refused.status >= 500, `${refused.status} ${JSON.stringify(refused.body)}`);
        const state = (await head.get(q('/state'))).body;
        assert.deepEqual(state.waiting.map((t) => t.number), [ticket.number], 'the ticket still waits');
        assert.equal(state.administrators.find((a) => a.name === 'ivan').ticket ?? null, null, 'nobody holds it');
        const tracked = await new Client(server).get(`/api/v1/queue/tickets/${ticket.token}`);
        assert.equal(tracked.body.ticket.state, 'waiting');
      } finally {
        sql('DROP TRIGGER test_refuses_calls');
      }
      const called = await ivan.post(q('/desk/next'));
      assert.equal(called.status, 200, JSON.stringify(called.body));
      assert.equal(called.body.ticket.number, ticket.number);
      const events = (await head.get(q(`/tickets/${called.body.ticket.id}`))).body.events.map((e) => e.type);
      assert.deepEqual(events, ['ticket_issued', 'ticket_called'], 'one call in the visit record');
      await ivan.post(q(`/tickets/${called.body.ticket.id}/finish`), { outcome: 'other' });
      await ivan.post(q('/desk/sign-out'));
    });
  });
}
