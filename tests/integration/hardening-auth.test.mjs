// Signing in under attack, as the people involved see it (issue 14, items 1, 5, 8 and 11): a guesser
// cannot lock a member of staff out by her login, the heads and the system administrator hear of
// it, a login flood is shed instead of taking the CPU from the queue, the current password of a
// session cannot be guessed at speed, and a page elsewhere cannot sign a browser in.
//
// The attacker and the victim differ by their source address: Linux routes all of 127.0.0.0/8 to
// the loopback, so a request bound to 127.0.0.2 reaches the server on 127.0.0.1 from 127.0.0.2
// (the server does not believe X-Forwarded-For).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Server, Client, adminClient, databases } from './harness.mjs';

// A staff client whose requests leave from `localAddress`; keeps the cookie and the CSRF token.
class ClientFrom {
  constructor(server, localAddress) {
    this.server = server;
    this.localAddress = localAddress;
    this.cookie = null;
    this.csrf = null;
    this.bearer = null;
  }

  request(method, path, body, headers = {}) {
    const url = new URL(this.server.url + path);
    const h = { ...headers };
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (payload !== undefined) {
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
      h['content-length'] = Buffer.byteLength(payload);
    }
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: h,
        localAddress: this.localAddress, agent: false,
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'];
          if (setCookie) this.cookie = setCookie[0].split(';')[0];
          let parsed = null;
          try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
          resolve({ status: res.statusCode, body: parsed, headers: res.headers });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async login(login, password) {
    const res = await this.request('POST', '/api/v1/auth/login', { login, password });
    if (res.status === 200) this.csrf = res.body.csrf_token;
    return res;
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body); }
}

async function makeCenter(admin, name) {
  const r = await admin.post('/api/v1/centers', { name_uk: name });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function makeUser(admin, login, role, centers) {
  const r = await admin.post('/api/v1/users', { login, name: login, role, centers, password: 'password-' + login });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.user;
}

for (const kind of databases()) {
  describe(`signing in under attack on ${kind}`, () => {
    let server;
    let admin;
    before(async () => {
      server = await new Server({ kind, args: ['--test-clock'] }).start();
      admin = await adminClient(server);
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    test('wrong passwords for her login elsewhere do not lock a member of staff out; her head and the admin are told', async () => {
      const center = await makeCenter(admin, 'ЦНАП під атакою');
      const otherCenter = await makeCenter(admin, 'ЦНАП сусідній');
      const head = await makeUser(admin, 'head', 'center_head', [center.id]);
      await makeUser(admin, 'other-head', 'center_head', [otherCenter.id]);

      // Five wrong passwords from one address: that address, for that login, now waits.
      const attacker = new ClientFrom(server, '127.0.0.2');
      for (let i = 0; i < 5; i++) {
        const r = await attacker.login('head', `wrong-guess-${i}`);
        assert.equal(r.status, 401, `attempt ${i + 1}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, 'invalid_credentials');
      }
      const slowed = await attacker.login('head', 'wrong-guess-5');
      assert.equal(slowed.status, 429);
      assert.equal(slowed.body.error.code, 'too_many_attempts');
      assert.ok(Number(slowed.headers['retry-after']) >= 1, slowed.headers['retry-after']);
      // Even the right password is refused from there: the throttle says nothing about passwords.
      assert.equal((await attacker.login('head', 'password-head')).status, 429);

      // Five more from a second address make ten for the login: an alert, and still no lock-out.
      const accomplice = new ClientFrom(server, '127.0.0.4');
      for (let i = 0; i < 5; i++) {
        assert.equal((await accomplice.login('head', `other-guess-${i}`)).status, 401);
      }
      const victim = new ClientFrom(server, '127.0.0.3');
      const signedIn = await victim.login('head', 'password-head');
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      assert.equal(signedIn.body.user.login, 'head');

      const all = (await admin.get('/api/v1/alerts')).body.alerts;
      const alert = all.find((a) => a.code === 'login_failures' && a.subject === `user:${head.id}`);
      assert.ok(alert, JSON.stringify(all));
      assert.ok(alert.count >= 1);
      assert.deepEqual(alert.centers, [center.id]);
      assert.match(alert.message_uk, /10/);
      assert.doesNotMatch(alert.message_uk + alert.message_en, /head/); // the typed login is not repeated
      assert.match(server.output, /"level":"warn","msg":"many failed sign-ins for one login","subject":"user:\d+","failures":10/);
      assert.doesNotMatch(server.output, /wrong-guess|other-guess/); // passwords are never logged

      // The head of her center sees it on her center's alerts; the head of another center does not.
      const own = await victim.get(`/api/v1/centers/${center.id}/alerts`);
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.ok(own.body.alerts.some((a) => a.code === 'login_failures' && a.subject === `user:${head.id}`), JSON.stringify(own.body));
      const neighbour = new ClientFrom(server, '127.0.0.3');
      assert.equal((await neighbour.login('other-head', 'password-other-head')).status, 200);
      assert.equal((await neighbour.get(`/api/v1/centers/${center.id}/alerts`)).status, 403);
      assert.deepEqual((await neighbour.get(`/api/v1/centers/${otherCenter.id}/alerts`)).body.alerts, []);
    });

    test('guesses of a login that does not exist raise an alert that names no login', async () => {
      const guesser = new ClientFrom(server, '127.0.0.5');
      const guesser2 = new ClientFrom(server, '127.0.0.6');
      for (let i = 0; i < 5; i++) {
        assert.equal((await guesser.login('no-such-person', `x-${i}`)).status, 401);
        assert.equal((await guesser2.login('no-such-person', `y-${i}`)).status, 401);
      }
      const all = (await admin.get('/api/v1/alerts')).body.alerts;
      const alert = all.find((a) => a.code === 'login_failures' && a.subject === 'login');
      assert.ok(alert, JSON.stringify(all));
      assert.deepEqual(alert.centers, []); // the system administrator's only
      assert.doesNotMatch(JSON.stringify(alert), /no-such-person/);
      assert.doesNotMatch(server.output, /no-such-person/);
    });

    test('wrong current passwords from a session get 429 with Retry-After; the right one works after the wait', async () => {
      const center = await makeCenter(admin, 'ЦНАП паролів');
      await makeUser(admin, 'changer', 'administrator', [center.id]);
      const c = new ClientFrom(server, '127.0.0.7');
      assert.equal((await c.login('changer', 'password-changer')).status, 200);
      const change = (current) => c.post('/api/v1/auth/password', { current_password: current, new_password: 'a brand new password' });
      for (let i = 0; i < 5; i++) {
        const r = await change(`not-it-${i}`);
        assert.equal(r.status, 403, `attempt ${i + 1}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, 'wrong_password');
      }
      // The wait after the fifth failure is 1 s and doubles; on a slow machine one more guess may
      // still be checked before it, so keep guessing until refused.
      let refused = null;
      for (let i = 5; i < 10 && !refused; i++) {
        const r = await change(`not-it-${i}`);
        if (r.status === 429) refused = r;
        else assert.equal(r.status, 403);
      }
      assert.ok(refused, 'no 429 within 10 wrong current passwords');
      assert.equal(refused.body.error.code, 'too_many_attempts');
      assert.ok(Number(refused.headers['retry-after']) >= 1);

      // After the wait (the server's clock moved on) the right password changes it.
      assert.equal((await admin.post('/api/v1/test/clock', { advance_ms: 16 * 60_000 })).status, 200);
      const ok = await change('password-changer');
      assert.equal(ok.status, 204, JSON.stringify(ok.body));
      assert.equal((await new ClientFrom(server, '127.0.0.7').login('changer', 'a brand new password')).status, 200);
    });

    test('login and the password change take only application/json: a text/plain form from another site signs nobody in', async () => {
      const url = server.url + '/api/v1/auth/login';
      const credentials = JSON.stringify({ login: 'admin', password: server.adminPassword });
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: credentials });
        assert.equal(res.status, 415, type);
        assert.equal((await res.json()).error.code, 'unsupported_media_type');
        assert.equal(res.headers.get('set-cookie'), null, type);
      }
      const none = await fetch(url, { method: 'POST', body: new Blob([credentials]) }); // no Content-Type at all
      assert.equal(none.status, 415);
      const withCharset = await fetch(url, { method: 'POST', headers: { 'content-type': 'Application/JSON; charset=utf-8' }, body: credentials });
      assert.equal(withCharset.status, 200);
      // Served over http here: the cookie has no Secure flag (the browser would not send it back).
      assert.doesNotMatch(withCharset.headers.get('set-cookie'), /Secure/);

      const c = new ClientFrom(server, '127.0.0.8');
      assert.equal((await c.login('admin', server.adminPassword)).status, 200);
      const plain = await c.request('POST', '/api/v1/auth/password',
        JSON.stringify({ current_password: server.adminPassword, new_password: 'whatever password' }), { 'content-type': 'text/plain' });
      assert.equal(plain.status, 415);
      assert.equal(plain.body.error.code, 'unsupported_media_type');
      assert.equal((await new Client(server).login('admin', server.adminPassword)).status, 200); // unchanged
    });
  });
}

describe('the session cookie behind https', () => {
  test('with an https public URL the session cookie is Secure', async () => {
    const server = await new Server({ env: { VIKNO_PUBLIC_URL: 'https://cnap.example.ua' } }).start();
    try {
      const res = await new Client(server).login('admin', server.adminPassword);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('set-cookie'), /; Secure/);
      assert.match(res.headers.get('set-cookie'), /HttpOnly/);
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});

describe('a login flood', () => {
  let server;
  let admin;
  let kiosk;
  let groupId;
  before(async () => {
    // One hash at a time (the default on a 2-core machine), whatever machine runs the test.
    server = await new Server({ env: { VIKNO_MAX_CONCURRENT_HASHES: '1', VIKNO_ACCESS_LOG: 'false' } }).start();
    admin = await adminClient(server);
    const provider = (await admin.post('/api/v1/registry/providers', { code: 'dmsu', name_uk: 'ДМС', kind: 'state_body' })).body;
    const group = (await admin.post('/api/v1/registry/groups', { code: 'passports', name_uk: 'Паспорти', ticket_letter: 'П', sort_order: 1 })).body;
    groupId = group.id;
    const svc = await admin.post('/api/v1/registry/services', {
      identifier: 'passport', group_id: group.id, provider_id: provider.id, title_uk: 'Паспорт', typical_minutes: 20,
    });
    assert.equal(svc.status, 201, JSON.stringify(svc.body));
    const center = (await admin.post('/api/v1/registry/centers', { code: 'flood', name_uk: 'ЦНАП повені' })).body;
    const fresh = (await admin.get(`/api/v1/catalog/centers/${center.id}`)).body;
    const w = await admin.request('PUT', `/api/v1/centers/${center.id}/windows`, { version: fresh.version, windows: [{ number: 1, label: 'Вікно 1' }] });
    assert.equal(w.status, 200, JSON.stringify(w.body));
    const s = await admin.request('PUT', `/api/v1/centers/${center.id}/services`, { version: w.body.version, services: ['passport'] });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const device = await admin.post(`/api/v1/centers/${center.id}/devices`, { purpose: 'kiosk', label: 'Кіоск' });
    assert.equal(device.status, 201, JSON.stringify(device.body));
    kiosk = new Client(server);
    kiosk.bearer = device.body.token;
    kiosk.path = `/api/v1/centers/${center.id}/queue/tickets`;
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  test('40 concurrent wrong logins: the extra hashes are shed with 503 busy, and the queue and /healthz keep answering', async (t) => {
    const flood = [];
    for (let i = 0; i < 40; i++) {
      const from = new ClientFrom(server, `127.0.0.${10 + (i % 8)}`);
      flood.push(from.login(`flood-${i}`, 'wrong-password'));
    }
    // While the flood is in flight, a kiosk issues a ticket and the health check answers.
    const [health, ticket] = await Promise.all([new Client(server).get('/healthz'), kiosk.request('POST', kiosk.path, { group_id: groupId, purpose: 'consultation' })]);
    assert.equal(health.status, 200);
    assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
    const answers = await Promise.all(flood);
    const shed = answers.filter((r) => r.status === 503);
    t.diagnostic(`${shed.length} of 40 shed`);
    assert.ok(shed.length > 0, `no login was shed: ${answers.map((r) => r.status).join(',')}`);
    for (const r of shed) {
      assert.equal(r.body.error.code, 'busy');
      assert.ok(Number(r.headers['retry-after']) >= 1);
    }
    assert.ok(answers.some((r) => r.status === 401), 'some logins were checked');
    assert.ok(answers.every((r) => r.status === 401 || r.status === 503), answers.map((r) => r.status).join(','));
    assert.equal((await new Client(server).get('/healthz')).status, 200); // still up
    assert.equal((await admin.get('/api/v1/auth/me')).status, 200);
  });
});
