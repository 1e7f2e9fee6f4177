// Applications and cases as the center's staff, the provider's employees and the applicant see
// them: registration at the window (idempotent, checked against the service card, nothing written
// on bad input), personal data sealed at rest and every staff read audited, the way through the
// provider and back with moves out of order refused, a life situation opening one case per
// provider, the register, the work lists and the public tracking page; on SQLite and PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Server, Client, adminClient, databases } from './harness.mjs';

const NAME = 'Шевченко Тарас Григорович';
const PHONE = '+380671234567';
const DAY = 24 * 3600 * 1000;

function ok(res, status = 200) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

function refused(res, status, code, field) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code, JSON.stringify(res.body));
  if (field) {
    const fields = (res.body.error.details.problems ?? []).map((p) => p.field).concat(res.body.error.details.field ?? []);
    assert.ok(fields.includes(field), `${field} not among ${JSON.stringify(res.body.error.details)}`);
  }
}

for (const kind of databases()) {
  describe(`cases on ${kind}`, () => {
    let server;
    let admin;
    let front; // administrator of the center
    let dmsu; // provider employee of the migration service
    let social; // provider employee of the social protection department
    let analyst;
    let stranger; // administrator of another center
    let center;
    let passport;
    let subsidy;
    let situation;
    let dmsuId;

    const inventory = () => [
      { name: 'Паспорт громадянина України', from_card: true, form: 'original', medium: 'paper', pages: 2, received: true },
      { name: 'Квитанція про сплату', from_card: true, form: 'copy', medium: 'paper', pages: 1, received: true },
      { name: 'Фотографія 3,5x4,5', from_card: false, form: 'original', medium: 'paper', pages: 1, received: true },
    ];
    const registration = (extra = {}) => ({
      channel: 'in_person',
      applicant: { kind: 'person', name: NAME, phone: '067 123-45-67', email: 'taras@example.com', consent: ['sms', 'email'] },
      services: [{ service_id: passport.id, fee_paid: true, inventory: inventory() }],
      ...extra,
    });
    const register = (client, body, key = crypto.randomUUID()) =>
      client.request('POST', `/api/v1/centers/${center.id}/cases`, body, { 'idempotency-key': key });
    const move = (client, k, body) => client.post(`/api/v1/centers/${center.id}/cases/${k.id}/moves`, body);

    before(async () => {
      server = await new Server({ kind, args: ['--test-clock'] }).start();
      admin = await adminClient(server);
      const p1 = ok(await admin.post('/api/v1/registry/providers', { code: 'dmsu', name_uk: 'Управління ДМС', kind: 'state_body' }), 201);
      const p2 = ok(await admin.post('/api/v1/registry/providers', { code: 'social', name_uk: 'Департамент соціального захисту', kind: 'city_department' }), 201);
      dmsuId = p1.id;
      ok(await admin.post('/api/v1/registry/groups', { code: 'docs', name_uk: 'Документи', ticket_letter: 'Д' }), 201);
      passport = ok(await admin.post('/api/v1/registry/services', {
        identifier: 'passport-abroad', group: 'docs', provider: 'dmsu', title_uk: 'Оформлення паспорта для виїзду за кордон',
        fee: { kopiykas: 85600 }, term: { days: 10, unit: 'working_days' },
        documents: [{ name: 'Паспорт громадянина України' }, { name: 'Квитанція про сплату' }],
        stages: [
          { name: 'Перевірка документів', responsible: 'Відділ оформлення', term: { days: 1, unit: 'working_days' } },
          { name: 'Виготовлення паспорта', responsible: 'Поліграфкомбінат', term: { days: 7, unit: 'working_days' } },
        ],
        case_rules: { clock_stops_when_suspended: true, storage_days: 30 },
      }), 201);
      subsidy = ok(await admin.post('/api/v1/registry/services', {
        identifier: 'birth-aid', group: 'docs', provider_id: p2.id, title_uk: 'Допомога при народженні дитини',
        documents: [{ name: 'Свідоцтво про народження' }],
      }), 201);
      situation = ok(await admin.post('/api/v1/registry/life-situations', {
        code: 'baby', name_uk: 'єМалятко', services: [passport.id, subsidy.id],
      }), 201);
      center = ok(await admin.post('/api/v1/registry/centers', { code: 'kr', name_uk: 'ЦНАП Кривого Рогу', address: 'пр. Миру, 1' }), 201);
      const fresh = ok(await admin.get(`/api/v1/catalog/centers/${center.id}`));
      ok(await admin.request('PUT', `/api/v1/centers/${center.id}/services`, { version: fresh.version, services: ['passport-abroad', 'birth-aid'] }));
      const other = ok(await admin.post('/api/v1/registry/centers', { code: 'other', name_uk: 'Інший ЦНАП' }), 201);
      const user = async (login, role, centers, extra = {}) => {
        ok(await admin.post('/api/v1/users', { login, name: `Користувач ${login}`, role, centers, password: 'long-password-1', ...extra }), 201);
        const c = new Client(server);
        ok(await c.login(login, 'long-password-1'));
        return c;
      };
      front = await user('olena', 'administrator', [center.id]);
      dmsu = await user('ivan', 'provider_employee', [center.id], { provider_id: p1.id });
      social = await user('maria', 'provider_employee', [center.id], { provider_id: p2.id });
      analyst = await user('analyst', 'regional_analyst', [center.id]);
      stranger = await user('petro', 'administrator', [other.id]);
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    test('bad registrations name the field and write nothing', async () => {
      refused(await register(front, registration({ services: [{ service_id: 999999, inventory: [] }] })), 400, 'unknown_service', 'services[0].service_id');
      const swapped = inventory().slice(0, 2).reverse();
      refused(await register(front, registration({ services: [{ service_id: passport.id, inventory: swapped }] })), 400, 'inventory_mismatch', 'services[0].inventory');
      const missing = inventory();
      missing[1].received = false;
      refused(await register(front, registration({ services: [{ service_id: passport.id, inventory: missing }] })), 400, 'missing_reason_required', 'services[0].inventory[1].missing_reason');
      refused(await register(front, registration({ applicant: { name: NAME, phone: '12345' } })), 400, 'invalid_phone', 'applicant.phone');
      refused(await register(front, registration({ applicant: { name: NAME, email: 'not-an-address' } })), 400, 'invalid_email', 'applicant.email');
      refused(await register(front, registration({ applicant: { name: NAME, consent: ['sms'] } })), 400, 'invalid_field', 'applicant.consent');
      refused(await register(front, registration({ ticket_id: 424242 })), 404, 'ticket_not_found');
      refused(await register(dmsu, registration()), 403, 'forbidden');
      assert.equal(ok(await front.get(`/api/v1/centers/${center.id}/cases`)).total, 0);
    });

    test('a registration is one numbered case with the card of the day, idempotent, its applicant sealed and audited', async () => {
      const intake = ok(await front.get(`/api/v1/centers/${center.id}/cases/intake?service_id=${passport.id}`));
      assert.deepEqual(intake.services[0].documents.map((d) => d.name), ['Паспорт громадянина України', 'Квитанція про сплату']);
      const key = crypto.randomUUID();
      const first = await register(front, registration(), key);
      const body = ok(first, 201);
      assert.equal(body.cases.length, 1);
      const k = body.cases[0];
      assert.match(k.number, new RegExp(`^kr-\\d{4}-000001$`));
      assert.equal(k.status, 'registered');
      assert.equal(k.due_on, intake.services[0].due_on);
      assert.equal(k.service_version_id, intake.services[0].service_version_id);
      assert.equal(k.applicant_initials, 'Т. Ш.');
      assert.equal(k.inventory.length, 3);
      assert.equal(k.fee_kopiykas, 85600);
      assert.match(k.tracking_url, /\/c\/[a-z2-7]{20,}$/);

      const again = await register(front, registration(), key);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.body.application_id, body.application_id);
      assert.equal(ok(await front.get(`/api/v1/centers/${center.id}/cases`)).total, 1);

      const read = ok(await front.get(`/api/v1/centers/${center.id}/cases/${k.id}`));
      assert.equal(read.applicant.name, NAME);
      assert.equal(read.applicant.phone, PHONE);
      const audit = ok(await admin.get('/api/v1/audit?limit=1000')).entries;
      assert.ok(audit.some((e) => e.action === 'case.register' && e.object_id === k.id));
      assert.ok(audit.some((e) => e.action === 'case.read_personal' && e.object_id === k.id && e.actor.startsWith('user:')));

      const byPhone = ok(await front.get(`/api/v1/centers/${center.id}/cases?phone=${encodeURIComponent('0671234567')}`));
      assert.deepEqual(byPhone.cases.map((c) => c.id), [k.id]);
      const byNumber = ok(await front.get(`/api/v1/centers/${center.id}/cases?number=${k.number}`));
      assert.equal(byNumber.total, 1);
      assert.equal(byNumber.cases[0].applicant, undefined, 'a list carries no personal data');

      if (kind === 'sqlite') {
        const file = readFileSync(server.db.slice('sqlite:'.length));
        for (const secret of [NAME, PHONE, 'taras@example.com', 'Шевченко']) {
          assert.equal(file.includes(Buffer.from(secret)), false, `${secret} is stored in the clear`);
        }
      }
    });

    test('the way through the provider and back, followed by the applicant; moves out of order are refused', async () => {
      const k0 = ok(await register(front, registration()), 201).cases[0];
      const token = k0.tracking_url.split('/c/')[1];
      const anon = new Client(server);
      const track = async () => ok(await anon.get(`/api/v1/track/cases/${token}`));
      assert.equal((await track()).status, 'registered');

      refused(await move(dmsu, k0, { move: 'accept' }), 409, 'move_not_allowed');
      let k = ok(await move(front, k0, { move: 'hand_over', version: k0.version }));
      assert.equal(k.status, 'handed_over');
      refused(await move(front, k, { move: 'accept' }), 403, 'forbidden');
      refused(await move(social, k, { move: 'accept' }), 403, 'not_your_provider');
      refused(await social.get(`/api/v1/centers/${center.id}/cases/${k.id}`), 403, 'not_your_provider');
      refused(await move(dmsu, k, { move: 'accept', version: k.version - 1 }), 409, 'version_conflict');
      assert.deepEqual(ok(await dmsu.get(`/api/v1/centers/${center.id}/cases/${k.id}`)).allowed_moves.sort(), ['accept', 'return_unreviewed']);
      k = ok(await move(dmsu, k, { move: 'accept' }));
      assert.equal(k.status, 'in_review');
      assert.equal(k.current_stage, 1);
      assert.ok(k.stages.every((s) => /^\d{4}-\d{2}-\d{2}$/.test(s.planned_on)));
      k = ok(await move(dmsu, k, { move: 'finish_stage' }));
      assert.equal(k.stages[0].finished_on, k.moves.at(-1).on_date);

      refused(await move(dmsu, k, { move: 'suspend' }), 400, 'reason_required', 'reason');
      k = ok(await move(dmsu, k, { move: 'suspend', needed_documents: 'Довідка про зміну прізвища' }));
      const waiting = await track();
      assert.equal(waiting.status, 'suspended');
      assert.equal(waiting.needed_from_applicant, 'Довідка про зміну прізвища');
      k = ok(await move(dmsu, k, { move: 'resume' }));
      refused(await move(dmsu, k, { move: 'extend', new_deadline: '2099-01-01' }), 400, 'legal_basis_required', 'legal_basis');
      refused(await move(dmsu, k, { move: 'extend', legal_basis: 'ч. 2 ст. 10', new_deadline: '2000-01-01' }), 400, 'new_deadline_not_later', 'new_deadline');
      k = ok(await move(dmsu, k, { move: 'finish_stage' }));
      k = ok(await move(dmsu, k, { move: 'decide_ready' }));
      assert.equal(k.status, 'result_ready');
      assert.equal(k.due_state, 'done');
      refused(await move(dmsu, k, { move: 'receive_result' }), 403, 'forbidden');
      k = ok(await move(front, k, { move: 'receive_result' }));
      assert.equal(k.status, 'at_center');
      const ready = await track();
      assert.equal(ready.pickup.center_name, 'ЦНАП Кривого Рогу');
      assert.equal(ready.pickup.until, k.pickup_until);
      refused(await move(front, k, { move: 'mark_unclaimed' }), 409, 'storage_term_not_over');
      refused(await move(front, k, { move: 'issue', issue_method: 'in_person' }), 400, 'identity_not_checked', 'identity_checked');
      k = ok(await move(front, k, { move: 'issue', issue_method: 'in_person', identity_checked: true }));
      assert.equal(k.status, 'issued');
      assert.deepEqual(k.allowed_moves, []);

      const done = await track();
      assert.equal(done.status, 'issued');
      assert.deepEqual(done.history.map((h) => h.kind), [
        'registered', 'hand_over', 'accept', 'finish_stage', 'suspend', 'resume', 'finish_stage', 'decide_ready',
        'receive_result', 'issue']);
      assert.equal(done.applicant_initials, 'Т. Ш.');
      const text = JSON.stringify(done);
      for (const secret of ['Шевченко', PHONE, 'taras@example.com', 'Користувач']) assert.equal(text.includes(secret), false, secret);
      refused(await anon.get('/api/v1/track/cases/NOSUCHTOKEN'), 404, 'case_not_found');
    });

    test('who may see cases: another center, an analyst and the anonymous are refused', async () => {
      refused(await stranger.get(`/api/v1/centers/${center.id}/cases`), 403, 'forbidden');
      refused(await analyst.get(`/api/v1/centers/${center.id}/cases`), 403, 'forbidden');
      refused(await new Client(server).get(`/api/v1/centers/${center.id}/cases`), 401, 'unauthenticated');
      refused(await front.get(`/api/v1/centers/${center.id}/worklist`), 403, 'forbidden');
      refused(await front.get(`/api/v1/centers/${center.id}/cases/00000000-0000-7000-8000-000000000000`), 404, 'case_not_found');
    });
    test('a life situation opens one case per service and provider, each with its deadline and work list', async () => {
      const body = registration({
        life_situation_id: situation.id,
        services: [
          { service_id: passport.id, fee_paid: true, inventory: inventory() },
          { service_id: subsidy.id, inventory: [{ name: 'Свідоцтво про народження', from_card: true, pages: 1 }] },
        ],
      });
      const done = ok(await register(front, body), 201);
      assert.equal(done.cases.length, 2);
      const [a, b] = done.cases;
      assert.equal(a.application_id, b.application_id);
      assert.notEqual(a.provider_id, b.provider_id);
      assert.notEqual(a.number, b.number);
      assert.equal(b.term.days, 30);
      assert.equal(b.term.unit, 'calendar_days');
      assert.notEqual(a.due_on, b.due_on);
      for (const k of done.cases) ok(await move(front, k, { move: 'hand_over' }));

      const mine = ok(await social.get(`/api/v1/centers/${center.id}/worklist`));
      assert.ok(mine.cases.length >= 1);
      assert.ok(mine.cases.every((c) => c.provider_name === 'Департамент соціального захисту'));
      refused(await social.get(`/api/v1/centers/${center.id}/cases?provider_id=${dmsuId}`), 403, 'not_your_provider');
      const theirs = ok(await dmsu.get(`/api/v1/centers/${center.id}/worklist`));
      const dues = theirs.cases.map((c) => c.due_on);
      assert.deepEqual(dues, [...dues].sort(), 'a work list is sorted by deadline');
      assert.ok(theirs.cases.every((c) => c.provider_id === dmsuId));

      // Forty days on, the 30-day case is overdue in the provider's list and the register.
      ok(await admin.post('/api/v1/test/clock', { advance_ms: 40 * DAY }));
      // Sessions ended with the days that passed: staff sign in again.
      for (const c of [social, front]) ok(await c.login(c === social ? 'maria' : 'olena', 'long-password-1'));
      const overdue = ok(await social.get(`/api/v1/centers/${center.id}/worklist?due=overdue`));
      const late = overdue.cases.find((c) => c.id === b.id);
      assert.ok(late, 'the overdue case is listed');
      assert.equal(late.due_state, 'overdue');
      assert.ok(late.days_overdue >= 8 && late.days_overdue <= 10, String(late.days_overdue)); // 30 days, moved off a weekend at most
      assert.ok(ok(await front.get(`/api/v1/centers/${center.id}/cases?due=overdue`)).cases.some((c) => c.id === b.id));
    });

  });
}
