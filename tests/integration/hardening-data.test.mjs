// Hardening of the data paths (issue 14, items 3, 6 and 10), on the real binary over HTTP:
//  - a kiosk token issues at most its limit: beyond it 429 rate_limited with Retry-After, one alert
//    for the center's head (GET /queue/state `alerts`), the tickets before it intact;
//  - a full disk (a small tmpfs this test mounts; root only) answers writes 503 disk_full, logs it
//    once, makes /readyz say writes_failing, and recovers when space is freed, losing nothing;
//  - CSV exports neutralise formulas; links other than http(s) and NUL, control or bidi-override
//    characters in names and labels are refused with the field named, and change nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, adminClient, databases } from './harness.mjs';

const ok = (r, status = 201) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
};

// A provider, a group and a service, a center offering it with two windows, a head, a kiosk.
async function setUpCenter(server, admin, code = 'hard', letter = 'П') {
  const provider = ok(await admin.post('/api/v1/registry/providers', { code: `dmsu-${code}`, name_uk: 'ДМС', kind: 'state_body' }));
  const group = ok(await admin.post('/api/v1/registry/groups', { code: `passports-${code}`, name_uk: 'Паспорти', ticket_letter: letter, sort_order: 1 }));
  ok(await admin.post('/api/v1/registry/services', {
    identifier: `passport-${code}`, group_id: group.id, provider_id: provider.id, title_uk: 'Паспорт', typical_minutes: 15,
  }));
  const center = ok(await admin.post('/api/v1/registry/centers', { code: `center-${code}`, name_uk: `ЦНАП ${code}` }));
  const fresh = ok(await admin.get(`/api/v1/catalog/centers/${center.id}`), 200);
  const w = ok(await admin.request('PUT', `/api/v1/centers/${center.id}/windows`, {
    version: fresh.version, windows: [{ number: 1, label: 'Вікно 1' }, { number: 2, label: 'Вікно 2' }],
  }), 200);
  ok(await admin.request('PUT', `/api/v1/centers/${center.id}/services`, { version: w.version, services: [`passport-${code}`] }), 200);
  ok(await admin.post('/api/v1/users', {
    login: `head-${code}`, name: 'Ольга', role: 'center_head', centers: [center.id], password: `password-head-${code}`,
  }));
  const head = new Client(server);
  ok(await head.login(`head-${code}`, `password-head-${code}`), 200);
  const device = ok(await admin.post(`/api/v1/centers/${center.id}/devices`, { purpose: 'kiosk', label: 'Термінал у холі' }));
  const kiosk = new Client(server);
  kiosk.bearer = device.token;
  const q = (path) => `/api/v1/centers/${center.id}/queue${path}`;
  const issue = () => kiosk.post(q('/tickets'), { group_id: group.id, purpose: 'consultation' });
  return { center, group, head, kiosk, device: device.device, q, issue };
}

for (const kind of databases()) {
  describe(`a kiosk token's limit on ${kind}`, () => {
    let server;
    let admin;
    let c;

    before(async () => {
      // 3 at once, then 1 a minute: the fourth issue within a minute is refused.
      server = await new Server({ kind, env: { VIKNO_KIOSK_ISSUE_BURST: '3', VIKNO_KIOSK_ISSUES_PER_MINUTE: '1' } }).start();
      admin = await adminClient(server);
      c = await setUpCenter(server, admin);
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    test('a burst beyond the limit gets 429 rate_limited with Retry-After; the head sees one alert; the tickets before it stand', async () => {
      const issued = [];
      for (let i = 0; i < 3; i++) issued.push(ok(await c.issue()).ticket.number);
      const burst = await Promise.all(Array.from({ length: 8 }, () => c.issue()));
      for (const r of burst) {
        assert.equal(r.status, 429, JSON.stringify(r.body));
        assert.equal(r.body.error.code, 'rate_limited');
        const after = Number(r.headers.get('retry-after'));
        assert.ok(Number.isInteger(after) && after >= 1 && after <= 60, `Retry-After: ${r.headers.get('retry-after')}`);
      }

      const state = ok(await c.head.get(c.q('/state')), 200);
      assert.deepEqual(state.waiting.map((t) => t.number).sort(), [...issued].sort(), 'the real tickets are all there, and only they');
      const alerts = state.alerts.filter((a) => a.code === 'kiosk_rate_limited');
      assert.equal(alerts.length, 1, JSON.stringify(state.alerts));
      assert.equal(alerts[0].subject, `device:${c.device.id}`);
      assert.equal(alerts[0].count, 8);
      assert.deepEqual(alerts[0].centers, [c.center.id]);
      assert.match(alerts[0].message_uk, /Термінал у холі/);
      assert.match(alerts[0].message_en, /Термінал у холі/);
      // One warn line for the flood, not one per refused request.
      const warned = server.output.split('\n').filter((l) => l.includes('a kiosk issues tickets beyond its limit'));
      assert.equal(warned.length, 1, server.output);

      // Staff at a desk issue for visitors without the kiosk's limit.
      const desk = ok(await admin.post(c.q('/desk/tickets'), { group_id: c.group.id, purpose: 'consultation' }));
      assert.match(desk.ticket.number, /^П-/);
    });
  });
}

describe('a full disk (SQLite on a small tmpfs)', () => {
  let mnt;
  let mounted = false;
  let server;
  let skip = null;

  before(() => {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
      skip = 'not root: cannot mount a small tmpfs to fill';
      return;
    }
    mnt = mkdtempSync(join(tmpdir(), 'vikno-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt], { stdio: 'pipe' });
      mounted = true;
    } catch (e) {
      skip = `cannot mount a tmpfs here (${String(e.stderr ?? e.message).trim()})`;
    }
  });

  after(async () => {
    if (server) {
      await server.stop();
      server.cleanup();
    }
    if (mounted) {
      try {
        execFileSync('umount', [mnt], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', mnt], { stdio: 'pipe' });
      }
    }
    if (mnt) rmdirSync(mnt);
  });

  const fill = () => {
    // dd stops with "No space left on device" (exit 1): the disk is full then. Then the last pages.
    for (const bs of ['1M', '4k']) {
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(mnt, `filler-${bs}`)}`, `bs=${bs}`], { stdio: 'pipe' });
      } catch {
        // full, as meant
      }
    }
  };
  const unfill = () => {
    for (const bs of ['1M', '4k']) rmSync(join(mnt, `filler-${bs}`), { force: true });
  };
  const diskFullLines = () => server.output.split('\n').filter((l) => l.includes('"level":"error"') && l.includes('disk_full'));

  test('writes answer 503 disk_full, logged once; /readyz says writes_failing; freed space heals it; nothing committed is lost', async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    server = await new Server({ db: `sqlite:${join(mnt, 'vikno.db')}` }).start();
    const admin = await adminClient(server);
    const c = await setUpCenter(server, admin);
    const committed = [];
    for (let i = 0; i < 3; i++) committed.push(ok(await c.issue()).ticket.number);
    ok(await new Client(server).get('/readyz'), 200);

    t.after(unfill); // whatever happens, the next test has its disk back
    fill();
    // The database's log may still have room for a few writes; the first refused one says why.
    let refused = null;
    for (let i = 0; i < 400 && !refused; i++) {
      const r = await c.issue();
      if (r.status === 201) committed.push(r.body.ticket.number);
      else refused = r;
    }
    assert.ok(refused, 'a write was refused once the disk was full');
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'disk_full');
    assert.match(refused.body.error.message, /на диску сервера закінчилося місце/);
    for (let i = 0; i < 4; i++) {
      const r = await c.issue();
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'disk_full');
    }
    // A staff member's command meets the same answer.
    const call = await c.head.post(c.q('/close-day'));
    assert.equal(call.status, 503, JSON.stringify(call.body));
    assert.equal(call.body.error.code, 'disk_full');

    const ready = await new Client(server).get('/readyz');
    assert.equal(ready.status, 503, JSON.stringify(ready.body));
    assert.equal(ready.body.error.code, 'writes_failing');
    assert.equal(diskFullLines().length, 1, `one error line for the full disk, not one per write:\n${diskFullLines().join('\n')}`);

    unfill();
    committed.push(ok(await c.issue()).ticket.number);
    ok(await new Client(server).get('/readyz'), 200);

    // After a restart every ticket that was answered 201 is there.
    await server.stop();
    await server.start();
    const head = new Client(server);
    ok(await head.login('head-hard', 'password-head-hard'), 200);
    const state = ok(await head.get(c.q('/state')), 200);
    assert.deepEqual(state.waiting.map((x) => x.number).sort(), [...committed].sort());
    assert.equal(diskFullLines().length, 0, 'the restarted server has nothing to say about the disk');
  });

  test('a disk that fills again after writes succeeded in between is logged again', async (t) => {
    if (skip || !server) {
      t.skip(skip ?? 'the first test did not run');
      return;
    }
    const admin = await adminClient(server);
    const c = await setUpCenter(server, admin, 'again', 'А');
    t.after(unfill);
    const refuseOnceFull = async () => {
      fill();
      let refused = null;
      for (let i = 0; i < 400 && !refused; i++) {
        const r = await c.issue();
        if (r.status !== 201) refused = r;
      }
      assert.equal(refused?.body?.error?.code, 'disk_full', JSON.stringify(refused?.body));
      ok(await c.issue(), 503); // still full: nothing more in the log
    };
    await refuseOnceFull();
    assert.equal(diskFullLines().length, 1);
    unfill();
    ok(await c.issue());
    await refuseOnceFull();
    assert.equal(diskFullLines().length, 2, 'a new episode after a success is a new line');
    unfill();
    ok(await c.issue());
  });
});

for (const kind of databases()) {
  describe(`links, characters and CSV cells on ${kind}`, () => {
    let server;
    let admin;
    let c;

    before(async () => {
      server = await new Server({ kind }).start();
      admin = await adminClient(server);
      c = await setUpCenter(server, admin, 'data');
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    const fieldsOf = (r) => (r.body?.error?.details?.problems ?? []).map((p) => p.field);

    test('a center website and a legal-basis link must be http(s): javascript:, data:, vbscript: are refused, naming the field, changing nothing', async () => {
      const before = ok(await admin.get(`/api/v1/catalog/centers/${c.center.id}`), 200);
      for (const website of ['javascript:alert(1)', 'JavaScript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>',
        'vbscript:msgbox(1)', ' javascript:alert(1)', 'https://', '//evil.example']) {
        const r = await admin.request('PATCH', `/api/v1/centers/${c.center.id}`, { version: before.version, website });
        assert.equal(r.status, 400, `${website}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, 'invalid_field');
        assert.deepEqual(fieldsOf(r), ['website'], website);
      }
      const created = await admin.post('/api/v1/registry/centers', { code: 'evil', name_uk: 'ЦНАП', website: 'javascript:alert(1)' });
      assert.equal(created.status, 400);
      assert.deepEqual(fieldsOf(created), ['website']);
      const same = ok(await admin.get(`/api/v1/catalog/centers/${c.center.id}`), 200);
      assert.equal(same.version, before.version);
      assert.equal(same.website ?? '', before.website ?? '');
      const good = await admin.request('PATCH', `/api/v1/centers/${c.center.id}`, { version: before.version, website: 'https://cnap.example.gov.ua/' });
      assert.equal(good.status, 200, JSON.stringify(good.body));

      const group = ok(await admin.get('/api/v1/catalog/groups'), 200);
      const provider = ok(await admin.get('/api/v1/catalog/providers'), 200);
      const card = (url) => ({
        identifier: 'law-link', group_id: (group.groups ?? group.items ?? group)[0].id, provider_id: (provider.providers ?? provider.items ?? provider)[0].id,
        title_uk: 'Послуга', typical_minutes: 10, legal_basis: [{ title: 'Закон', url }],
      });
      const bad = await admin.post('/api/v1/registry/services', card('javascript:alert(1)'));
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.deepEqual(fieldsOf(bad), ['legal_basis[0].url']);
      ok(await admin.post('/api/v1/registry/services', card('https://zakon.rada.gov.ua/laws/show/1234-15')));
    });

    test('NUL, control and bidi-override characters in names and labels are refused with the field named', async () => {
      const fresh = ok(await admin.get(`/api/v1/catalog/centers/${c.center.id}`), 200);
      const cases = [
        [{ name_uk: 'ЦНАП\u0000 прихований' }, 'name_uk'],
        [{ name_uk: 'ЦНАП \u202Eлопаз' }, 'name_uk'],
        [{ name_en: 'Center \u2066x\u2069' }, 'name_en'],
        [{ address: 'вул. Миру, 1\u0007' }, 'address'],
        [{ name_uk: 'два\nрядки' }, 'name_uk'],
      ];
      for (const [change, field] of cases) {
        const r = await admin.request('PATCH', `/api/v1/centers/${c.center.id}`, { version: fresh.version, ...change });
        assert.equal(r.status, 400, `${JSON.stringify(change)}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, 'invalid_field');
        assert.deepEqual(fieldsOf(r), [field], JSON.stringify(change));
      }
      const windows = await admin.request('PUT', `/api/v1/centers/${c.center.id}/windows`, {
        version: fresh.version, windows: [{ number: 1, label: 'Вікно \u202E1' }],
      });
      assert.equal(windows.status, 400, JSON.stringify(windows.body));
      assert.deepEqual(fieldsOf(windows), ['windows[0].label']);
      const same = ok(await admin.get(`/api/v1/catalog/centers/${c.center.id}`), 200);
      assert.equal(same.version, fresh.version, 'nothing changed');
      assert.equal(same.name_uk, fresh.name_uk);
      assert.deepEqual(same.windows.map((w) => w.label), fresh.windows.map((w) => w.label));

      // A description may have line breaks; a bidi override is refused there too.
      const groups = ok(await admin.get('/api/v1/catalog/groups'), 200);
      const list = groups.groups ?? groups.items ?? groups;
      const providers = ok(await admin.get('/api/v1/catalog/providers'), 200);
      const plist = providers.providers ?? providers.items ?? providers;
      const base = { group_id: list[0].id, provider_id: plist[0].id, title_uk: 'Послуга', typical_minutes: 10 };
      ok(await admin.post('/api/v1/registry/services', { ...base, identifier: 'multi-line', description: 'Перший рядок.\nДругий рядок.' }));
      const rlo = await admin.post('/api/v1/registry/services', { ...base, identifier: 'rlo', description: 'текст \u202E' });
      assert.equal(rlo.status, 400);
      assert.deepEqual(fieldsOf(rlo), ['description']);

      // Device labels and user names (auth) take the same check.
      const device = await admin.post(`/api/v1/centers/${c.center.id}/devices`, { purpose: 'kiosk', label: 'Термінал\u202E' });
      assert.equal(device.status, 400, JSON.stringify(device.body));
      assert.deepEqual(fieldsOf(device), ['label']);
      const user = await admin.post('/api/v1/users', { login: 'nul', name: 'Ім\u0000я', role: 'administrator', centers: [c.center.id], password: 'password-nul-1' });
      assert.equal(user.status, 400, JSON.stringify(user.body));
      assert.deepEqual(fieldsOf(user), ['name']);
    });

    test('the CSV import reports the line of a javascript: website or a bidi override, and writes nothing', async () => {
      const before = ok(await admin.get('/api/v1/catalog/centers'), 200);
      const csv = [
        'code,name_uk,website',
        'csv-good,ЦНАП з файлу,https://cnap.example/',
        'csv-evil,ЦНАП злий,javascript:alert(1)',
        'csv-bidi,ЦНАП \u202Eнечесний,',
      ].join('\n');
      const r = await admin.request('POST', '/api/v1/registry/import?format=csv&table=centers', csv, { 'content-type': 'text/csv' });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.deepEqual(r.body.error.details.problems.map((p) => [p.line, p.field]), [[3, 'website'], [4, 'name_uk']]);
      const after = ok(await admin.get('/api/v1/catalog/centers'), 200);
      assert.deepEqual(after, before);
    });

    test('a CSV export neutralises cells that a spreadsheet would run as formulas, keeps numbers, and imports back to the same', async () => {
      const names = ['=HYPERLINK("http://evil.example","Click")', '+1+1', '-2+3', '@SUM(A1)'];
      for (const [i, name_uk] of names.entries()) {
        ok(await admin.post('/api/v1/registry/centers', { code: `formula-${i}`, name_uk, latitude: -33.5, longitude: 151.25 }));
      }
      const res = await admin.get('/api/v1/registry/export?format=csv&table=centers');
      assert.equal(res.status, 200);
      const csv = res.body;
      assert.ok(!/(^|,)"?[=+\-@]/m.test(csv.replace(/(^|,)-?\d+(\.\d+)?(?=,|$)/gm, '$1')), `a cell starts with a formula character:\n${csv}`);
      assert.match(csv, /,"'=HYPERLINK\(""http:\/\/evil.example"",""Click""\)",/);
      assert.match(csv, /,'\+1\+1,/);
      assert.match(csv, /,'-2\+3,/);
      assert.match(csv, /,'@SUM\(A1\),/);
      assert.match(csv, /,-33\.5,151\.25,/, 'a negative number stays a number');
      // Imported back, the names are what they were (the apostrophe is the writer's, not the data's).
      const back = await admin.request('POST', '/api/v1/registry/import?format=csv&table=centers', csv, { 'content-type': 'text/csv' });
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal(back.body.updated, 0, JSON.stringify(back.body));
      const centers = ok(await admin.get('/api/v1/catalog/centers'), 200);
      const list = centers.centers ?? centers.items ?? centers;
      for (const name of names) assert.ok(list.some((x) => x.name_uk === name), `${name} is kept as it was`);
    });
  });
}
