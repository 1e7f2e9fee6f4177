// The platform as a client sees it: health, errors, limits, sign-in, CSRF, roles x centers,
// device tokens, the audit chain and the console commands; on SQLite and on PostgreSQL.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, adminClient, databases, ADMIN_PASSWORD, BIN } from './harness.mjs';

for (const kind of databases()) {
  describe(`platform on ${kind}`, () => {
    let server;
    let admin;
    before(async () => {
      server = await new Server({ kind }).start();
      admin = await adminClient(server);
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    test('health, readiness, metrics and the API description are served', async () => {
      const c = new Client(server);
      assert.deepEqual((await c.get('/healthz')).body, { status: 'ok' });
      assert.deepEqual((await c.get('/readyz')).body, { status: 'ready' });
      const spec = await c.get('/api/v1/openapi.json');
      assert.equal(spec.status, 200);
      assert.equal(spec.body.openapi, '3.1.0');
      assert.ok(spec.body.paths['/api/v1/auth/login'].post);
      const metrics = await c.get('/metrics');
      assert.match(metrics.body, /vikno_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
      assert.match(metrics.body, /vikno_http_request_duration_seconds_bucket/);
      assert.match(metrics.body, /vikno_db_connections\{state="open"\}/);
    });

    test('errors have one shape and the right status', async () => {
      const c = new Client(server);
      const missing = await c.get('/api/v1/no-such-thing');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'not_found');
      assert.equal(typeof missing.body.error.message, 'string');
      assert.deepEqual(missing.body.error.details, {});

      const wrongMethod = await c.request('DELETE', '/healthz');
      assert.equal(wrongMethod.status, 405);
      assert.equal(wrongMethod.body.error.code, 'method_not_allowed');
      assert.equal(wrongMethod.headers.get('allow'), 'GET');

      const badJson = await c.post('/api/v1/auth/login', '{"login": ');
      assert.equal(badJson.status, 400);
      assert.equal(badJson.body.error.code, 'invalid_json');

      const wrongType = await c.post('/api/v1/auth/login', { login: 5, password: 'x' });
      assert.equal(wrongType.status, 400);
      assert.equal(wrongType.body.error.code, 'invalid_field');
      assert.equal(wrongType.body.error.details.field, 'login');

      const absent = await c.post('/api/v1/auth/login', { login: 'admin' });
      assert.equal(absent.status, 400);
      assert.equal(absent.body.error.details.field, 'password');
    });

    test('bodies over the limit get 413 and change nothing', async () => {
      const big = await admin.post('/api/v1/centers', { name_uk: 'x'.repeat(70 * 1024) });
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'body_too_large');
      // The login route has a smaller limit of its own.
      const c = new Client(server);
      const login = await c.post('/api/v1/auth/login', { login: 'admin', password: 'p'.repeat(5000) });
      assert.equal(login.status, 413);
      const centers = await admin.get('/api/v1/centers');
      assert.ok(!centers.body.centers.some((x) => x.name_uk.startsWith('xxxx')));
    });

    // The same address then waits even with the right password; another address does not
    // (hardening-auth.test.mjs).
    test('sign-in: wrong password 401, repeated failures from one address 429 with Retry-After', async () => {
      const create = await admin.post('/api/v1/users', { login: 'guessed', name: 'Target', role: 'system_admin', password: 'correct-horse-1' });
      assert.equal(create.status, 201);
      const c = new Client(server);
      for (let i = 0; i < 5; i++) {
        const r = await c.login('guessed', 'wrong-password');
        assert.equal(r.status, 401, `attempt ${i + 1}`);
        assert.equal(r.body.error.code, 'invalid_credentials');
      }
      const throttled = await c.login('guessed', 'correct-horse-1');
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body.error.code, 'too_many_attempts');
      assert.ok(Number(throttled.headers.get('retry-after')) >= 1);
      // An unknown login is refused the same way as a wrong password.
      const unknown = await new Client(server).login('nobody-here', 'whatever-password');
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.error.code, 'invalid_credentials');
    });

    test('the session cookie is HttpOnly and SameSite=Strict; state changes need the CSRF token', async () => {
      const c = new Client(server);
      const res = await c.login('admin', ADMIN_PASSWORD);
      const cookie = res.headers.get('set-cookie');
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      const token = c.csrf;
      c.csrf = null;
      const refused = await c.post('/api/v1/centers', { name_uk: 'Без токена' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'csrf_failed');
      c.csrf = token;
      const ok = await c.post('/api/v1/centers', { name_uk: 'З токеном' });
      assert.equal(ok.status, 201);
      const out = await c.post('/api/v1/auth/logout');
      assert.equal(out.status, 204);
      assert.equal((await c.get('/api/v1/auth/me')).status, 401);
    });

    test('roles x centers: a head of center A cannot read or change center B', async () => {
      const a = (await admin.post('/api/v1/centers', { name_uk: 'ЦНАП А' })).body.id;
      const b = (await admin.post('/api/v1/centers', { name_uk: 'ЦНАП Б' })).body.id;
      const mk = async (login, role, centers) => {
        const r = await admin.post('/api/v1/users', { login, name: login, role, centers, password: 'password-' + login });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        const c = new Client(server);
        assert.equal((await c.login(login, 'password-' + login)).status, 200);
        return c;
      };
      const headA = await mk('head-a', 'center_head', [a]);
      const operatorA = await mk('operator-a', 'administrator', [a]);
      const analyst = await mk('analyst-ab', 'regional_analyst', [a, b]);
      const anonymous = new Client(server);

      const expectations = [
        // [client, method, path, body, status]
        [headA, 'GET', `/api/v1/centers/${a}/staff`, undefined, 200],
        [headA, 'GET', `/api/v1/centers/${b}/staff`, undefined, 403],
        [headA, 'POST', `/api/v1/centers/${a}/devices`, { purpose: 'kiosk', label: 'Кіоск 1' }, 201],
        [headA, 'POST', `/api/v1/centers/${b}/devices`, { purpose: 'kiosk', label: 'Кіоск 1' }, 403],
        [headA, 'GET', '/api/v1/users', undefined, 403],
        [operatorA, 'GET', `/api/v1/centers/${a}/staff`, undefined, 200],
        [operatorA, 'POST', `/api/v1/centers/${a}/devices`, { purpose: 'display', label: 'Табло' }, 403],
        [analyst, 'GET', `/api/v1/centers/${a}/staff`, undefined, 200],
        [analyst, 'GET', `/api/v1/centers/${b}/staff`, undefined, 200],
        [analyst, 'POST', `/api/v1/centers/${b}/devices`, { purpose: 'kiosk', label: 'K' }, 403],
        [anonymous, 'GET', `/api/v1/centers/${a}/staff`, undefined, 401],
        [admin, 'GET', `/api/v1/centers/${b}/staff`, undefined, 200],
      ];
      for (const [client, method, path, body, status] of expectations) {
        const r = await client.request(method, path, body);
        assert.equal(r.status, status, `${method} ${path} as ${client === anonymous ? 'anonymous' : client.cookie?.slice(0, 20)}: ${JSON.stringify(r.body)}`);
      }
      const centers = await headA.get('/api/v1/centers');
      assert.deepEqual(centers.body.centers.map((c) => c.id), [a]);
    });

    test('device tokens act in one center for one purpose, until revoked', async () => {
      const center = (await admin.post('/api/v1/centers', { name_uk: 'ЦНАП з кіоском' })).body.id;
      const created = await admin.post(`/api/v1/centers/${center}/devices`, { purpose: 'kiosk', label: 'Кіоск у холі' });
      assert.equal(created.status, 201);
      assert.match(created.body.token, /^[a-z2-7]{26}$/);
      const kiosk = new Client(server);
      kiosk.bearer = created.body.token;
      const me = await kiosk.get('/api/v1/device');
      assert.equal(me.status, 200);
      assert.equal(me.body.center_id, center);
      assert.equal(me.body.purpose, 'kiosk');
      assert.equal((await kiosk.get('/api/v1/users')).status, 403);
      assert.equal((await kiosk.get(`/api/v1/centers/${center}/staff`)).status, 403);
      const bad = await admin.post(`/api/v1/centers/${center}/devices`, { purpose: 'toaster', label: 'x' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.field, 'purpose');
      assert.equal((await admin.del(`/api/v1/centers/${center}/devices/${created.body.device.id}`)).status, 204);
      assert.equal((await kiosk.get('/api/v1/device')).status, 401);
    });

    test('API tokens for integrations are read-only analysts when created so', async () => {
      const center = (await admin.post('/api/v1/centers', { name_uk: 'ЦНАП для інтеграції' })).body.id;
      const created = await admin.post('/api/v1/api-tokens', { label: 'Звітність ОДА', role: 'regional_analyst', centers: [center] });
      assert.equal(created.status, 201);
      const integration = new Client(server);
      integration.bearer = created.body.token;
      assert.equal((await integration.get(`/api/v1/centers/${center}/staff`)).status, 200);
      assert.equal((await integration.post(`/api/v1/centers/${center}/devices`, { purpose: 'kiosk', label: 'x' })).status, 403);
    });

    test('users: validation names the field, a taken login is 409, nothing half-written', async () => {
      const before = (await admin.get('/api/v1/users')).body.users.length;
      const badRole = await admin.post('/api/v1/users', { login: 'someone', name: 'S', role: 'king', centers: [] });
      assert.equal(badRole.status, 400);
      assert.equal(badRole.body.error.details.field, 'role');
      const noCenter = await admin.post('/api/v1/users', { login: 'someone', name: 'S', role: 'administrator', centers: [999999] });
      assert.equal(noCenter.status, 400);
      assert.equal(noCenter.body.error.details.field, 'centers[0]');
      const taken = await admin.post('/api/v1/users', { login: 'admin', name: 'Again', role: 'system_admin' });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error.code, 'login_taken');
      assert.equal((await admin.get('/api/v1/users')).body.users.length, before);
      const generated = await admin.post('/api/v1/users', { login: 'fresh-user', name: 'Нова людина', role: 'system_admin' });
      assert.equal(generated.status, 201);
      assert.equal(generated.body.user.must_change_password, true);
      const c = new Client(server);
      assert.equal((await c.login('fresh-user', generated.body.password)).status, 200);
    });

    test('every change is in the audit log and the chain verifies', async () => {
      const page = await admin.get('/api/v1/audit?limit=1000');
      assert.equal(page.status, 200);
      const actions = page.body.entries.map((e) => e.action);
      for (const a of ['user.create', 'session.create', 'center.create', 'device.create', 'device.revoke']) {
        assert.ok(actions.includes(a), `audit has ${a}`);
      }
      const verify = await admin.get('/api/v1/audit/verify');
      assert.equal(verify.body.ok, true);
      assert.ok(verify.body.entries >= actions.length);
      const cli = server.cli(['audit', 'verify']);
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stdout, /intact/);
    });

    test('a query parameter that is not a number in its range gets 400 naming it, never a silent default', async () => {
      assert.equal((await admin.post('/api/v1/centers', { name_uk: 'ЦНАП, що пише в журнал' })).status, 201);
      const all = (await admin.get('/api/v1/audit?limit=1000')).body.entries;
      assert.ok(all.length >= 3, `${all.length} entries`);
      for (const [query, field] of [
        ['limit=abc', 'limit'], ['limit=10x', 'limit'], ['limit=0', 'limit'], ['limit=1001', 'limit'],
        ['limit=-5', 'limit'], ['limit=99999999999999999999', 'limit'], ['limit=%2B5', 'limit'], ['limit=1.5', 'limit'],
        ['after_id=-1', 'after_id'], ['after_id=x', 'after_id'], ['after_id=99999999999999999999', 'after_id'],
      ]) {
        const res = await admin.get(`/api/v1/audit?${query}`);
        assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'invalid_field', query);
        assert.equal(res.body.error.details.field, field, query);
        assert.match(res.body.error.message, new RegExp(field), query);
      }
      // Good values still page as before; an empty one is as if absent.
      const two = await admin.get(`/api/v1/audit?limit=2&after_id=${all[0].id}`);
      assert.equal(two.status, 200);
      assert.deepEqual(two.body.entries.map((e) => e.id), all.slice(1, 3).map((e) => e.id));
      assert.equal((await admin.get('/api/v1/audit?limit=')).body.entries.length, Math.min(all.length, 100));
      // The public catalog's paging, through the same helper.
      for (const query of ['per_page=101', 'page=0', 'page=2x', 'center_id=abc']) {
        const res = await new Client(server).get(`/api/v1/catalog/services?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error.details.field, query.split('=')[0], query);
      }
    });

    test('the test clock is not there unless the server was started with --test-clock', async () => {
      const res = await admin.post('/api/v1/test/clock', { advance_ms: 60000 });
      assert.equal(res.status, 404);
      assert.doesNotMatch(server.output, /test clock on/);
    });

    test('a client that sends half a request and stalls is cut off', async () => {
      const slow = await new Server({ kind, env: { VIKNO_REQUEST_TIMEOUT_MS: '500' } }).start();
      try {
        const { port, hostname } = new URL(slow.url);
        const started = Date.now();
        const closed = await new Promise((resolve) => {
          const socket = net.connect(Number(port), hostname, () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
          socket.on('close', () => resolve(Date.now() - started));
          socket.on('error', () => {});
          setTimeout(() => { socket.destroy(); resolve(-1); }, 10000);
        });
        assert.ok(closed > 0 && closed < 5000, `closed after ${closed} ms`);
        assert.deepEqual((await new Client(slow).get('/healthz')).body, { status: 'ok' });
      } finally {
        await slow.stop();
        slow.cleanup();
      }
    });
  });
}

describe('the clock for tests: --clock-offset and --test-clock (SQLite)', () => {
  const within = (iso, expected, slackMs = 60000) => {
    const t = Date.parse(iso);
    assert.ok(Math.abs(t - expected) < slackMs, `${iso}, expected about ${new Date(expected).toISOString()}`);
  };

  test('a server started 3 hours behind works 3 hours behind; a system admin moves its clock on', async () => {
    const server = await new Server({ args: ['--clock-offset=-3h', '--test-clock'] }).start();
    try {
      assert.match(server.output, /"level":"warn","msg":"the clock is shifted from the real time \(for tests\)","offset_ms":-10800000/);
      assert.match(server.output, /"level":"warn","msg":"test clock on: .*never use --test-clock in production/);
      const admin = await adminClient(server);
      // What the server writes carries its own time: the audit entry of the admin's sign-in.
      const entries = (await admin.get('/api/v1/audit')).body.entries;
      within(entries.at(-1).at, Date.now() - 3 * 3600_000);
      // Anonymous or a staff member who is not a system admin may not move it.
      assert.equal((await new Client(server).post('/api/v1/test/clock', { advance_ms: 1000 })).status, 401);
      const center = (await admin.post('/api/v1/centers', { name_uk: 'ЦНАП' })).body.id;
      const head = await admin.post('/api/v1/users', { login: 'head', name: 'Керівник', role: 'center_head', centers: [center], password: 'password-head' });
      assert.equal(head.status, 201, JSON.stringify(head.body));
      const staff = new Client(server);
      assert.equal((await staff.login('head', 'password-head')).status, 200);
      assert.equal((await staff.post('/api/v1/test/clock', { advance_ms: 1000 })).status, 403);
      // Forwards only, by a whole number of milliseconds.
      for (const advance_ms of [0, -1000, '1h', null]) {
        const bad = await admin.post('/api/v1/test/clock', { advance_ms });
        assert.equal(bad.status, 400, JSON.stringify(advance_ms));
        assert.equal(bad.body.error.details.field, 'advance_ms');
      }
      const moved = await admin.post('/api/v1/test/clock', { advance_ms: 2 * 3600_000 });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.offset_ms, -3600_000);
      within(moved.body.at, Date.now() - 3600_000);
      // Every service follows: the next sign-in's audit entry is an hour behind now, no longer three.
      await adminClient(server);
      within((await admin.get('/api/v1/audit')).body.entries.at(-1).at, Date.now() - 3600_000);
    } finally {
      await server.stop();
      server.cleanup();
    }
  });

  test('VIKNO_CLOCK_OFFSET_MS shifts the clock too; a bad offset stops the start with a clear message', async () => {
    const server = await new Server({ env: { VIKNO_CLOCK_OFFSET_MS: String(90 * 60_000) } }).start();
    try {
      const admin = await adminClient(server);
      within((await admin.get('/api/v1/audit')).body.entries.at(-1).at, Date.now() + 90 * 60_000);
      assert.equal((await admin.post('/api/v1/test/clock', { advance_ms: 1000 })).status, 404, 'no test clock without its flag');
    } finally {
      await server.stop();
      server.cleanup();
    }
    const dir = mkdtempSync(join(tmpdir(), 'vikno-it-'));
    try {
      for (const [args, env, said] of [
        [['--clock-offset=90'], {}, /--clock-offset: '90' is not a duration/],
        [['--clock-offset=soon'], {}, /--clock-offset: 'soon' is not a duration/],
        [[], { VIKNO_CLOCK_OFFSET_MS: '3h' }, /VIKNO_CLOCK_OFFSET_MS: must be a whole number of milliseconds/],
      ]) {
        const run = spawnSync(BIN, ['serve', '--db', `sqlite:${join(dir, 'x.db')}`, '--port', '0', ...args], {
          cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30000,
        });
        assert.equal(run.status, 2, `${args} ${JSON.stringify(env)}: ${run.stdout}${run.stderr}`);
        assert.match(run.stderr, said);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('console commands and restarts (SQLite)', () => {
  test('first start prints the admin password once; restart keeps the data; SIGTERM exits cleanly', async () => {
    const first = await new Server({ adminPassword: null }).start();
    const m = first.output.match(/password: ([a-z2-7]{16})/);
    assert.ok(m, first.output);
    const c = new Client(first);
    assert.equal((await c.login('admin', m[1])).status, 200);
    const center = await c.post('/api/v1/centers', { name_uk: 'Збережений ЦНАП' });
    assert.equal(center.status, 201);
    const stopped = await first.stop();
    assert.equal(stopped.code, 0);
    assert.match(first.output, /"msg":"stopped"/);

    const again = await new Server({ db: first.db, dir: first.dir, adminPassword: null }).start();
    assert.doesNotMatch(again.output, /password: /);
    const c2 = new Client(again);
    assert.equal((await c2.login('admin', m[1])).status, 200);
    assert.ok((await c2.get('/api/v1/centers')).body.centers.some((x) => x.name_uk === 'Збережений ЦНАП'));

    // vikno user add, then that user signs in.
    const add = again.cli(['user', 'add', '--login', 'olena', '--name', 'Олена Коваль', '--role', 'center_head', '--center', String(center.body.id)]);
    assert.equal(add.status, 0, add.stderr);
    const pw = add.stdout.match(/password: (\S+)/)[1];
    assert.equal((await new Client(again).login('olena', pw)).status, 200);

    // vikno backup: a consistent copy of the live database that verifies on its own.
    const copy = join(again.dir, 'copy.db');
    const backup = again.cli(['backup', copy]);
    assert.equal(backup.status, 0, backup.stderr);
    assert.ok(existsSync(copy));
    const verifyCopy = again.cli(['--db', `sqlite:${copy}`, 'audit', 'verify']);
    assert.equal(verifyCopy.status, 0, verifyCopy.stdout + verifyCopy.stderr);
    assert.notEqual(again.cli(['backup', copy]).status, 0, 'a backup never overwrites');
    await again.stop();

    // Someone edits the audit log behind the server's back: verify names the entry.
    const dbPath = first.db.slice('sqlite:'.length);
    execFileSync('sqlite3', [dbPath, 'DROP TRIGGER IF EXISTS audit_log_no_update; ' +
      "UPDATE audit_log SET actor = 'user:99' WHERE id = 2;"]);
    const broken = again.cli(['audit', 'verify']);
    assert.equal(broken.status, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, /entry 2\b/);
    first.cleanup();
  });
});

const pgDir = process.env.VIKNO_TEST_PG_DIR;
describe('PostgreSQL stopped while the server runs', { skip: !pgDir && 'no throwaway cluster' }, () => {
  test('requests get 503, /readyz fails, and the server serves again when PostgreSQL is back', async () => {
    const server = await new Server({ kind: 'postgresql' }).start();
    const pgctl = (cmd) => execFileSync(new URL('../../scripts/pg-throwaway.sh', import.meta.url).pathname, [cmd, pgDir], { stdio: 'pipe' });
    try {
      const admin = await adminClient(server);
      assert.equal((await admin.get('/api/v1/users')).status, 200);
      pgctl('stop');
      const during = await admin.get('/api/v1/users');
      assert.equal(during.status, 503);
      assert.equal(during.body.error.code, 'database_unavailable');
      assert.equal((await admin.get('/readyz')).status, 503);
      assert.equal((await admin.get('/healthz')).status, 200);
      pgctl('start');
      let ready = 0;
      for (let i = 0; i < 50 && ready !== 200; i++) {
        ready = (await admin.get('/readyz')).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(ready, 200);
      assert.equal((await admin.get('/api/v1/users')).status, 200);
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
