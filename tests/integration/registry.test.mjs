// The registry of centers and services as a client sees it: the public catalog and its search,
// a center head's edits of their own center, the system admin's catalog edits, optimistic
// concurrency (409), bad input (400 with the field path, nothing written); on SQLite and PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, adminClient, databases } from './harness.mjs';

const PASSPORT_TITLE = 'Оформлення паспорта громадянина України для виїзду за кордон';

for (const kind of databases()) {
  describe(`registry on ${kind}`, () => {
    let server;
    let admin;
    let provider;
    let group;
    let service;
    let centerA;
    let centerB;

    before(async () => {
      server = await new Server({ kind }).start();
      admin = await adminClient(server);
      provider = (await admin.post('/api/v1/registry/providers', {
        code: 'dmsu', name_uk: 'Управління ДМС у Кіровоградській області', kind: 'state_body',
      })).body;
      group = (await admin.post('/api/v1/registry/groups', { code: 'passports', name_uk: 'Паспорти', ticket_letter: 'П' })).body;
      const created = await admin.post('/api/v1/registry/services', {
        identifier: 'a1b2c3d4-passport-abroad',
        group_id: group.id,
        provider: 'dmsu',
        title_uk: PASSPORT_TITLE,
        fee: { kopiykas: 85600, payment_details: 'UA00 0000 0000 0000 0000 0000 000' },
        term: { days: 20, unit: 'working_days' },
        documents: [{ name: 'Паспорт громадянина України або свідоцтво про народження', note: 'оригінал' }],
        legal_basis: [{ title: 'Закон України «Про адміністративні послуги»' }],
        channels: ['in_person', { channel: 'online', note: 'https://diia.gov.ua' }],
        purposes: ['consultation', 'submit_documents', 'receive_result'],
        stages: [{ name: 'Прийняття документів', responsible: 'Адміністратор ЦНАП', term: { days: 1, unit: 'working_days' } }],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      service = created.body;
      const mk = async (body) => {
        const r = await admin.post('/api/v1/registry/centers', body);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
      };
      centerA = await mk({
        code: 'center-a', name_uk: 'ЦНАП А', katottg: 'UA35020010010012345', address: 'вул. Велика Перспективна, 41',
        hours: [{ weekday: 1, opens: '08:00', closes: '20:00' }, { weekday: 2, opens: '08:00', closes: '17:00' }],
      });
      centerB = await mk({ code: 'center-b', name_uk: 'ЦНАП Б' });
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    test('a service without a term gets 30 calendar days, not set by law', async () => {
      const r = await admin.post('/api/v1/registry/services', {
        identifier: 'no-term', group: 'passports', provider_id: provider.id, title_uk: 'Довідка без строку у законі',
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual(r.body.term, { days: 30, unit: 'calendar_days', set_by_law: false });
      assert.equal(r.body.fee.free, true);
    });

    test('the public catalog needs no sign-in and finds "паспорт" in any case', async () => {
      const anon = new Client(server);
      for (const q of ['паспорт', 'ПАСПОРТ', 'Паспорти', 'кордон', 'виїзду за кордон']) {
        const r = await anon.get(`/api/v1/catalog/services?q=${encodeURIComponent(q)}`);
        assert.equal(r.status, 200);
        assert.ok(r.body.items.some((s) => s.title_uk === PASSPORT_TITLE), `query ${q}: ${JSON.stringify(r.body)}`);
      }
      const none = await anon.get(`/api/v1/catalog/services?q=${encodeURIComponent('земельна ділянка')}`);
      assert.equal(none.body.total, 0);
      const card = await anon.get(`/api/v1/catalog/services/${service.id}`);
      assert.equal(card.status, 200);
      assert.equal(card.body.fee.kopiykas, 85600);
      assert.equal(card.body.documents.length, 1);
      assert.equal(card.body.stages[0].responsible, 'Адміністратор ЦНАП');
      const center = await anon.get(`/api/v1/catalog/centers/${centerA.id}`);
      assert.equal(center.status, 200);
      assert.equal(center.body.address, 'вул. Велика Перспективна, 41');
      assert.deepEqual(center.body.hours[0], { weekday: 1, opens: '08:00', closes: '20:00' });
      assert.ok((await anon.get('/api/v1/catalog/groups')).body.groups.some((g) => g.ticket_letter === 'П'));
    });

    test('search filters by center, group and life situation and pages', async () => {
      const s2 = await admin.post('/api/v1/registry/services', {
        identifier: 'passport-id-card', group: 'passports', provider: 'dmsu', title_uk: 'Оформлення паспорта громадянина України у формі ID-картки',
        term: { days: 20, unit: 'working_days' },
      });
      assert.equal(s2.status, 201);
      const ls = await admin.post('/api/v1/registry/life-situations', { code: 'lost-docs', name_uk: 'Втрата документів', services: [s2.body.id] });
      assert.equal(ls.status, 201, JSON.stringify(ls.body));
      const fresh = (await admin.get(`/api/v1/catalog/centers/${centerA.id}`)).body;
      const offer = await admin.request('PUT', `/api/v1/centers/${centerA.id}/services`, { version: fresh.version, services: ['a1b2c3d4-passport-abroad'] });
      assert.equal(offer.status, 200, JSON.stringify(offer.body));
      const q = encodeURIComponent('паспорт');
      const all = await admin.get(`/api/v1/catalog/services?q=${q}`);
      assert.equal(all.body.total, 2);
      const inA = await admin.get(`/api/v1/catalog/services?q=${q}&center_id=${centerA.id}`);
      assert.deepEqual(inA.body.items.map((s) => s.id), [service.id]);
      const inLs = await admin.get(`/api/v1/catalog/services?q=${q}&life_situation_id=${ls.body.id}`);
      assert.deepEqual(inLs.body.items.map((s) => s.id), [s2.body.id]);
      const byGroup = await admin.get(`/api/v1/catalog/services?group_id=${group.id}&per_page=1&page=2`);
      assert.equal(byGroup.body.items.length, 1);
      assert.equal(byGroup.body.total, 3);
      const bad = await admin.get('/api/v1/catalog/services?center_id=abc');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.field, 'center_id');
    });

    test('roles: a head of A edits A, not B; anonymous and administrators cannot edit', async () => {
      const mk = async (login, role, centers) => {
        const r = await admin.post('/api/v1/users', { login, name: login, role, centers, password: 'password-' + login });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const c = new Client(server);
        assert.equal((await c.login(login, 'password-' + login)).status, 200);
        return c;
      };
      const headA = await mk('head-a', 'center_head', [centerA.id]);
      const clerk = await mk('clerk-a', 'administrator', [centerA.id]);
      const a = (await headA.get(`/api/v1/catalog/centers/${centerA.id}`)).body;
      const ok = await headA.request('PATCH', `/api/v1/centers/${centerA.id}`, { version: a.version, phone: '+380522000000' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.phone, '+380522000000');
      assert.equal(ok.body.version, a.version + 1);
      const b = (await headA.get(`/api/v1/catalog/centers/${centerB.id}`)).body;
      const denied = await headA.request('PATCH', `/api/v1/centers/${centerB.id}`, { version: b.version, phone: '1' });
      assert.equal(denied.status, 403);
      assert.equal((await headA.request('PUT', `/api/v1/centers/${centerB.id}/windows`, { version: b.version, windows: [] })).status, 403);
      assert.equal((await headA.post('/api/v1/registry/providers', { code: 'x', name_uk: 'x', kind: 'other' })).status, 403);
      assert.equal((await clerk.request('PATCH', `/api/v1/centers/${centerA.id}`, { version: ok.body.version, phone: '2' })).status, 403);
      assert.equal((await new Client(server).request('PATCH', `/api/v1/centers/${centerA.id}`, { version: 1 })).status, 401);
      assert.equal((await admin.get(`/api/v1/catalog/centers/${centerB.id}`)).body.phone, '');

      // Skills: the head sets the clerk's groups in center A.
      const staff = (await headA.get(`/api/v1/centers/${centerA.id}/skills`)).body.staff;
      const me = staff.find((s) => s.login === 'clerk-a');
      const set = await headA.request('PUT', `/api/v1/centers/${centerA.id}/staff/${me.user_id}/skills`,
        { version: me.version, skills: [{ group_id: group.id, level: 'primary' }] });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.deepEqual(set.body.skills, [{ group_id: group.id, level: 'primary' }]);
      const again = await headA.request('PUT', `/api/v1/centers/${centerA.id}/staff/${me.user_id}/skills`, { version: me.version, skills: [] });
      assert.equal(again.status, 409);
    });

    test('a stale version gets 409 version_conflict and changes nothing', async () => {
      const c = (await admin.get(`/api/v1/catalog/centers/${centerB.id}`)).body;
      const first = await admin.request('PATCH', `/api/v1/centers/${centerB.id}`, { version: c.version, address: 'перший' });
      assert.equal(first.status, 200);
      const second = await admin.request('PATCH', `/api/v1/centers/${centerB.id}`, { version: c.version, address: 'другий' });
      assert.equal(second.status, 409);
      assert.equal(second.body.error.code, 'version_conflict');
      assert.equal((await admin.get(`/api/v1/catalog/centers/${centerB.id}`)).body.address, 'перший');

      const s = (await admin.get(`/api/v1/catalog/services/${service.id}`)).body;
      const edit = await admin.request('PATCH', `/api/v1/registry/services/${service.id}`, { version: s.version, fee: { kopiykas: 90000 } });
      assert.equal(edit.status, 200);
      const stale = await admin.request('PATCH', `/api/v1/registry/services/${service.id}`, { version: s.version, fee: { kopiykas: 1 } });
      assert.equal(stale.status, 409);
      const p = (await admin.get('/api/v1/catalog/providers')).body.providers.find((x) => x.code === 'dmsu');
      assert.equal((await admin.request('PATCH', `/api/v1/registry/providers/${p.id}`, { version: p.version + 5, phone: '1' })).status, 409);
      assert.equal((await admin.request('PATCH', `/api/v1/registry/providers/${p.id}`, { phone: '1' })).status, 400);
    });

    test('editing a service makes a new version; the earlier one stays readable', async () => {
      const s = (await admin.get(`/api/v1/catalog/services/${service.id}`)).body;
      const edit = await admin.request('PATCH', `/api/v1/registry/services/${service.id}`, {
        version: s.version, effective_from: '2099-01-01', fee: { kopiykas: 100000 },
      });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      assert.notEqual(edit.body.version_id, s.version_id);
      // Today the old fee is in force; on 2099-01-01 the new one.
      assert.equal((await admin.get(`/api/v1/catalog/services/${service.id}`)).body.fee.kopiykas, s.fee.kopiykas);
      assert.equal((await admin.get(`/api/v1/catalog/services/${service.id}?date=2099-01-02`)).body.fee.kopiykas, 100000);
      const old = await admin.get(`/api/v1/registry/service-versions/${s.version_id}`);
      assert.equal(old.body.fee.kopiykas, s.fee.kopiykas);
      const versions = (await admin.get(`/api/v1/registry/services/${service.id}/versions`)).body.versions;
      assert.ok(versions.length >= 2);
      assert.equal(versions.at(-1).effective_from, '2099-01-01');
    });

    test('bad input: 400 with the field path, nothing written', async () => {
      const before = (await admin.get('/api/v1/catalog/centers')).body.centers.length;
      const servicesBefore = (await admin.get('/api/v1/catalog/services?per_page=100')).body.total;
      const expect400 = async (res, field) => {
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.ok(res.body.error.details.problems.some((p) => p.field === field), `${field}: ${JSON.stringify(res.body)}`);
      };
      await expect400(await admin.post('/api/v1/registry/centers', { name_uk: 'Х', katottg: 'UA123' }), 'katottg');
      await expect400(await admin.post('/api/v1/registry/centers', { name_uk: 'Х', katottg: 'ua35020010010012345' }), 'katottg');
      await expect400(await admin.post('/api/v1/registry/centers', {
        name_uk: 'Х', hours: [{ weekday: 1, opens: '08:00', closes: '13:00' }, { weekday: 1, opens: '12:00', closes: '17:00' }],
      }), 'hours[1]');
      await expect400(await admin.post('/api/v1/registry/centers', { name_uk: 'Х', kind: 'branch', parent: 'no-such-center' }), 'parent');
      assert.equal((await admin.get('/api/v1/catalog/centers')).body.centers.length, before);

      const base = { group: 'passports', provider: 'dmsu', title_uk: 'Нова послуга', term: { days: 5, unit: 'working_days' } };
      await expect400(await admin.post('/api/v1/registry/services', { ...base, identifier: 'neg', fee: { kopiykas: -100 } }), 'fee.kopiykas');
      await expect400(await admin.post('/api/v1/registry/services', { ...base, identifier: 'prov', provider: 'no-such-provider' }), 'provider');
      await expect400(await admin.post('/api/v1/registry/services', { ...base, identifier: 'prov2', provider: undefined, provider_id: 999999 }), 'provider_id');
      await expect400(await admin.post('/api/v1/registry/services', { ...base, identifier: 'unit', term: { days: 5 } }), 'term.unit');
      assert.equal((await admin.get('/api/v1/catalog/services?per_page=100')).body.total, servicesBefore);

      const a = (await admin.get(`/api/v1/catalog/centers/${centerA.id}`)).body;
      await expect400(await admin.request('PUT', `/api/v1/centers/${centerA.id}/windows`, {
        version: a.version, windows: [{ number: 1, label: 'Вікно 1' }, { number: 2 }, { number: 1, label: 'ще раз' }],
      }), 'windows[2].number');
      await expect400(await admin.request('PATCH', `/api/v1/centers/${centerA.id}`, {
        version: a.version, katottg: 'UA1', hours: [{ weekday: 3, opens: '09:00', closes: '18:00' }, { weekday: 3, opens: '17:00', closes: '19:00' }],
      }), 'katottg');
      const after = (await admin.get(`/api/v1/catalog/centers/${centerA.id}`)).body;
      assert.equal(after.version, a.version);
      assert.deepEqual(after.windows, a.windows);
      assert.deepEqual(after.hours, a.hours);
      assert.equal(after.katottg, a.katottg);
    });

    test('windows: numbered, unique, removed ones deactivated', async () => {
      const a = (await admin.get(`/api/v1/catalog/centers/${centerA.id}`)).body;
      const set = await admin.request('PUT', `/api/v1/centers/${centerA.id}/windows`, {
        version: a.version, windows: [{ number: 1, label: 'Вікно 1' }, { number: 2, label: 'Вікно 2' }],
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const cut = await admin.request('PUT', `/api/v1/centers/${centerA.id}/windows`, { version: set.body.version, windows: [{ number: 1, label: 'Вікно 1' }] });
      assert.equal(cut.status, 200);
      assert.deepEqual(cut.body.windows.map((w) => [w.number, w.active]), [[1, true], [2, false]]);
      const pub = (await new Client(server).get(`/api/v1/catalog/centers/${centerA.id}`)).body;
      assert.deepEqual(pub.windows, [{ number: 1, label: 'Вікно 1' }]);
    });

    test('every registry route is described in the OpenAPI document', async () => {
      const spec = (await admin.get('/api/v1/openapi.json')).body;
      for (const [path, method] of [
        ['/api/v1/catalog/services', 'get'], ['/api/v1/catalog/services/{service_id}', 'get'],
        ['/api/v1/catalog/centers/{center_id}', 'get'], ['/api/v1/centers/{center_id}', 'patch'],
        ['/api/v1/centers/{center_id}/windows', 'put'], ['/api/v1/registry/services/{service_id}', 'patch'],
      ]) {
        assert.ok(spec.paths[path]?.[method], `${method} ${path}`);
      }
    });

    test('import: the same file twice changes nothing the second time', async () => {
      const bundle = {
        providers: [{ code: 'pfu', name_uk: 'Головне управління Пенсійного фонду України в Кіровоградській області', kind: 'state_body' }],
        groups: [{ code: 'pension', name_uk: 'Пенсії', ticket_letter: 'Ф', sort_order: 3 }],
        services: [{
          identifier: 'pension-age', group: 'pension', provider: 'pfu', title_uk: 'Призначення пенсії за віком',
          term: { days: 10, unit: 'working_days' }, documents: ['Паспорт', 'Трудова книжка'], channels: ['online', 'in_person'],
          purposes: ['submit_documents', 'consultation'],
        }],
        life_situations: [{ code: 'retirement', name_uk: 'Вихід на пенсію', services: ['pension-age'] }],
        centers: [
          { code: 'imported-center', name_uk: 'ЦНАП з файлу', hours: [{ weekday: 2, opens: '08:00', closes: '17:00' }, { weekday: 1, opens: '08:00', closes: '20:00' }],
            windows: [{ number: 1, label: 'Вікно 1' }], services: ['pension-age'] },
          { code: 'imported-remote', name_uk: 'ВРМ з файлу', kind: 'remote_workplace', parent: 'imported-center', services: ['pension-age'] },
        ],
      };
      const first = await admin.post('/api/v1/registry/import', bundle);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.created, 6);
      const audit = (await admin.get('/api/v1/audit?limit=1000')).body.entries.length;
      const centers = (await admin.get('/api/v1/catalog/centers')).body.centers;
      const second = await admin.post('/api/v1/registry/import', bundle);
      assert.deepEqual(second.body, { created: 0, updated: 0, unchanged: 6 });
      assert.equal((await admin.get('/api/v1/audit?limit=1000')).body.entries.length, audit);
      assert.deepEqual((await admin.get('/api/v1/catalog/centers')).body.centers, centers);
      // The export reads back as the same data: importing it changes nothing either.
      const exported = (await admin.get('/api/v1/registry/export')).body;
      const again = await admin.post('/api/v1/registry/import', exported);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.created + again.body.updated, 0);
      // A changed record is updated, and only it.
      bundle.services[0].fee = { kopiykas: 500 };
      const third = await admin.post('/api/v1/registry/import', bundle);
      assert.deepEqual(third.body, { created: 0, updated: 1, unchanged: 5 });
    });

    test('import CSV: one bad line writes nothing and the error names the line', async () => {
      const before = (await admin.get('/api/v1/catalog/services?per_page=100')).body.total;
      const header = 'identifier,group,provider,title_uk,fee_kopiykas,term_days,term_unit,documents,channels,purposes';
      const good = [
        'csv-1,passports,dmsu,Перша послуга з файлу,0,5,working_days,Паспорт | Заява,in_person,consultation | submit_documents',
        'csv-2,passports,dmsu,"Друга послуга, з комою",1700,,,Паспорт,in_person,consultation',
      ];
      const bad = 'csv-3,passports,dmsu,Третя послуга,-5,10,working_days,Паспорт,in_person,consultation';
      const url = '/api/v1/registry/import?format=csv&table=services';
      const refused = await admin.request('POST', url, [header, good[0], bad, good[1]].join('\n') + '\n', { 'content-type': 'text/csv' });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'import_invalid');
      assert.deepEqual(refused.body.error.details.problems.map((p) => [p.line, p.field]), [[3, 'fee.kopiykas']]);
      assert.equal((await admin.get('/api/v1/catalog/services?per_page=100')).body.total, before);

      const unknownProvider = good[1].replace('dmsu', 'nobody');
      const refused2 = await admin.request('POST', url, [header, good[0], unknownProvider].join('\n'), { 'content-type': 'text/csv' });
      assert.equal(refused2.status, 400);
      assert.deepEqual(refused2.body.error.details.problems.map((p) => [p.line, p.field]), [[3, 'provider']]);

      const ok = await admin.request('POST', url, [header, ...good].join('\r\n'), { 'content-type': 'text/csv' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body, { created: 2, updated: 0, unchanged: 0 });
      const twice = await admin.request('POST', url, [header, ...good].join('\r\n'), { 'content-type': 'text/csv' });
      assert.deepEqual(twice.body, { created: 0, updated: 0, unchanged: 2 });
      const found = (await admin.get(`/api/v1/catalog/services?q=${encodeURIComponent('комою')}`)).body.items;
      assert.equal(found.length, 1);
      assert.deepEqual(found[0].term, { days: 30, unit: 'calendar_days' });
      // The CSV export imports back unchanged.
      for (const table of ['services', 'centers']) {
        const csv = (await admin.get(`/api/v1/registry/export?format=csv&table=${table}`)).body;
        const back = await admin.request('POST', `/api/v1/registry/import?format=csv&table=${table}`, csv, { 'content-type': 'text/csv' });
        assert.equal(back.status, 200, `${table}: ${JSON.stringify(back.body)}`);
        assert.equal(back.body.created + back.body.updated, 0, `${table}: ${JSON.stringify(back.body)}`);
      }
    });

    // Both files answered 500 "internal" (issue 13): a parent given by the id of no center reached
    // the database's foreign key, and an empty item in a CSV list had no first part to read.
    test('import: a parent id of no center and an empty CSV list item are 400 import_invalid and write nothing', async () => {
      const auditCount = async () => (await admin.get('/api/v1/audit?limit=1000')).body.entries.length;
      const catalog = async () => ({
        centers: (await admin.get('/api/v1/catalog/centers')).body.centers,
        services: (await admin.get('/api/v1/catalog/services?per_page=100')).body,
      });
      const audit = await auditCount();
      const before = await catalog();

      const orphan = await admin.post('/api/v1/registry/import', {
        providers: [{ code: 'never-written', name_uk: 'Надавач, якого не буде', kind: 'other' }],
        centers: [{ code: 'orphan-workplace', name_uk: 'ВРМ без ЦНАП', kind: 'remote_workplace', parent_id: 987654 }],
      });
      assert.equal(orphan.status, 400, JSON.stringify(orphan.body));
      assert.equal(orphan.body.error.code, 'import_invalid');
      assert.deepEqual(orphan.body.error.details.problems.map((p) => p.field), ['centers[0].parent_id']);
      assert.match(orphan.body.error.message, /987654/);

      const header = 'identifier,group,provider,title_uk,documents';
      const emptyItem = await admin.request('POST', '/api/v1/registry/import?format=csv&table=services',
        `${header}\nempty-item,passports,dmsu,Послуга з порожнім документом,Паспорт | \n`, { 'content-type': 'text/csv' });
      assert.equal(emptyItem.status, 400, JSON.stringify(emptyItem.body));
      assert.equal(emptyItem.body.error.code, 'import_invalid');
      assert.deepEqual(emptyItem.body.error.details.problems.map((p) => [p.line, p.field]), [[2, 'documents']]);
      const emptyWindow = await admin.request('POST', '/api/v1/registry/import?format=csv&table=centers',
        'code,name_uk,windows\ncenter-a,ЦНАП А,1 |  | 2\n', { 'content-type': 'text/csv' });
      assert.equal(emptyWindow.status, 400, JSON.stringify(emptyWindow.body));
      assert.deepEqual(emptyWindow.body.error.details.problems.map((p) => [p.line, p.field]), [[2, 'windows']]);

      assert.equal(await auditCount(), audit);
      assert.deepEqual(await catalog(), before);

      // A parent given by the id of a center is still taken.
      const adopted = await admin.post('/api/v1/registry/import', {
        centers: [{ code: 'adopted-workplace', name_uk: 'ВРМ при ЦНАП А', kind: 'remote_workplace', parent_id: centerA.id }],
      });
      assert.equal(adopted.status, 200, JSON.stringify(adopted.body));
      assert.deepEqual(adopted.body, { created: 1, updated: 0, unchanged: 0 });
      const workplace = (await admin.get('/api/v1/catalog/centers')).body.centers.find((c) => c.code === 'adopted-workplace');
      assert.equal(workplace.parent_id, centerA.id);
    });

    test('CPSV-AP 3.2.0 export has every required field', async () => {
      const res = await new Client(server).get('/api/v1/catalog/cpsv');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /application\/ld\+json/);
      const doc = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
      assert.ok(doc['@context'].cpsv && doc['@context'].cv && doc['@context'].dct);
      const byId = new Map(doc['@graph'].filter((n) => n['@id']).map((n) => [n['@id'], n]));
      const ofType = (t) => doc['@graph'].filter((n) => n['@type'] === t);
      const nonEmpty = (v) => (Array.isArray(v) ? v.length > 0 && v.every((x) => x['@value'] !== '') : v !== undefined && v !== '');
      const services = ofType('cpsv:PublicService');
      assert.ok(services.length >= 3);
      for (const s of services) {
        for (const f of ['dct:identifier', 'dct:title', 'dct:description', 'cv:hasCompetentAuthority']) {
          assert.ok(nonEmpty(s[f]), `${s['@id']} lacks ${f}`);
        }
        const authority = byId.get(s['cv:hasCompetentAuthority']['@id']);
        assert.equal(authority['@type'], 'cv:PublicOrganisation');
        for (const c of s['cv:hasCost']) assert.equal(byId.get(c['@id'])['@type'], 'cv:Cost');
        for (const c of s['cv:hasChannel']) assert.equal(byId.get(c['@id'])['@type'], 'cv:Channel');
        assert.match(s['cv:processingTime']['@value'], /^P\d+D$/);
      }
      for (const o of ofType('cv:PublicOrganisation')) {
        assert.ok(nonEmpty(o['skos:prefLabel']) && o['dct:spatial'] && nonEmpty(o['dct:identifier']), JSON.stringify(o));
      }
      for (const c of ofType('cv:Channel')) {
        assert.ok(nonEmpty(c['dct:identifier']) && c['dct:type'] && c['cv:ownedBy'], JSON.stringify(c));
      }
      for (const c of ofType('cv:Cost')) {
        assert.ok(nonEmpty(c['dct:identifier']) && /^\d+\.\d\d$/.test(c['cv:value']['@value']) && c['cv:currency']['@id'].endsWith('/UAH'), JSON.stringify(c));
      }
      const passport = services.find((s) => s['dct:identifier'] === 'a1b2c3d4-passport-abroad');
      assert.equal(byId.get(passport['cv:hasCost'][0]['@id'])['cv:value']['@value'], '900.00');
      const cli = server.cli(['export', 'cpsv']);
      assert.equal(cli.status, 0, cli.stderr);
      assert.ok(JSON.parse(cli.stdout)['@graph'].some((n) => n['dct:identifier'] === 'a1b2c3d4-passport-abroad'));
    });

    // Last: it spends this address's search tokens.
    test('the public search is rate-limited per address: 429 rate_limited', async () => {
      const anon = new Client(server);
      const results = await Promise.all(Array.from({ length: 120 }, () => anon.get('/api/v1/catalog/services?q=x')));
      const limited = results.filter((r) => r.status === 429);
      assert.ok(limited.length > 0, 'some requests are refused');
      assert.equal(limited[0].body.error.code, 'rate_limited');
      assert.ok(Number(limited[0].headers.get('retry-after')) >= 1);
    });
  });
}

for (const kind of databases()) {
  describe(`demo on ${kind}`, () => {
    let server;
    before(async () => {
      server = await new Server({ kind, env: { VIKNO_DEMO: 'true' } }).start();
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    test('an empty database gets the demo network, with logins and device links printed', async () => {
      assert.match(server.output, /demo-password/);
      assert.match(server.output, /olena\.kovalenko\s+center_head/);
      const kiosk = server.output.match(/http:\/\/localhost:\d+\/kiosk\?device=([a-z0-9]+)/);
      assert.ok(kiosk, server.output);
      assert.match(server.output, /\/display\?device=[a-z0-9]+/);
      const anon = new Client(server);
      const centers = (await anon.get('/api/v1/catalog/centers')).body.centers;
      const kinds = centers.map((c) => c.kind);
      assert.equal(kinds.filter((k) => k === 'center').length, 2);
      assert.equal(kinds.filter((k) => k === 'branch').length, 2);
      assert.equal(kinds.filter((k) => k === 'remote_workplace').length, 3);
      assert.equal(kinds.filter((k) => k === 'mobile_office').length, 1);
      const main = centers.find((c) => c.code === 'kropyvnytskyi');
      assert.equal(main.windows.length, 20);
      assert.ok(main.service_ids.length >= 60);
      const remote = centers.find((c) => c.kind === 'remote_workplace');
      assert.ok(remote.service_ids.length > 0 && remote.service_ids.length < main.service_ids.length);
      assert.ok((await anon.get('/api/v1/catalog/services?per_page=1')).body.total >= 60);
      assert.equal((await anon.get('/api/v1/catalog/life-situations')).body.life_situations.length, 9);
      const found = (await anon.get(`/api/v1/catalog/services?q=${encodeURIComponent('паспорт')}`)).body.items;
      assert.equal(found[0].title_uk, 'Оформлення паспорта громадянина України для виїзду за кордон');

      const head = new Client(server);
      assert.equal((await head.login('olena.kovalenko', 'demo-password')).status, 200);
      const skills = (await head.get(`/api/v1/centers/${main.id}/skills`)).body.staff;
      assert.ok(skills.length >= 18);
      assert.ok(skills.some((s) => s.skills.some((k) => k.level === 'primary')));
      const device = new Client(server);
      device.bearer = kiosk[1];
      const me = await device.get('/api/v1/device');
      assert.equal(me.status, 200);
      assert.equal(me.body.purpose, 'kiosk');
      assert.equal(me.body.center_id, main.id);
    });

    test('vikno demo refuses a database with data; --reset reloads it', async () => {
      const refused = server.cli(['demo']);
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /--reset/);
      if (kind !== 'sqlite') return; // the PostgreSQL reset drops the schema under the running server
      await server.stop();
      const reset = server.cli(['demo', '--reset'], { VIKNO_ADMIN_PASSWORD: 'admin-password-for-tests' });
      assert.equal(reset.status, 0, reset.stderr);
      assert.match(reset.stdout, /kiosk\?device=/);
      server.output = '';
      await server.start();
      const anon = new Client(server);
      assert.equal((await anon.get('/api/v1/catalog/centers')).body.centers.length, 8);
    });
  });
}
