// Issue 14, the HTTP server's part: what an attacker or a hostile environment could do to the
// server itself. Trusted proxies and X-Forwarded-For, descriptor exhaustion and the connection and
// stream caps, ambiguous request framing, the access log (valid JSON and UTF-8, no tracking
// tokens), the WebSocket Origin check and who may read /metrics.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { Server, Client, adminClient, ADMIN_PASSWORD } from './harness.mjs';

const port = (server) => Number(new URL(server.url).port);

// Sends `text` on a new socket and collects everything until the server closes it. Resolves with
// the bytes as text and whether the server ended the connection (FIN or reset).
function exchange(server, text, { localAddress } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: port(server), localAddress });
    let data = '';
    let ended = false;
    socket.on('data', (chunk) => { data += chunk.toString('latin1'); });
    socket.on('end', () => { ended = true; });
    socket.on('error', () => { ended = true; });
    socket.on('close', () => resolve({ data, ended }));
    socket.write(text);
  });
}

// Opens a socket and resolves once it is connected (the kernel's handshake; the server may not
// have accepted it yet).
function openSocket(server, { localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: port(server), localAddress });
    socket.on('error', () => {});
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

// A GET through node:http, which (unlike fetch) can pick the source address and send any header.
function get(server, path, { headers = {}, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: port(server), path, headers, localAddress, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const statusLines = (text) => (text.match(/HTTP\/1\.[01] \d{3}/g) ?? []);
const followUp = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

// A failed login for a login nobody has, from the client X-Forwarded-For names.
async function failLogin(server, forwardedFor, i) {
  const c = new Client(server);
  return c.request('POST', '/api/v1/auth/login', { login: `nobody-${i}`, password: 'wrong-password' },
    { 'x-forwarded-for': forwardedFor });
}

// Fails logins (each for another login, so only the per-address throttle counts) until one is
// refused with 429; returns how many it took, or 0 when none was refused in `max`.
async function throttleAddress(server, forwardedFor, max = 60) {
  for (let i = 1; i <= max; i += 1) {
    const res = await failLogin(server, typeof forwardedFor === 'function' ? forwardedFor(i) : forwardedFor, i);
    if (res.status === 429) return i;
    assert.equal(res.status, 401);
  }
  return 0;
}

describe('trusted proxies and X-Forwarded-For', () => {
  let proxied;
  let direct;
  before(async () => {
    proxied = await new Server({ env: { VIKNO_TRUSTED_PROXIES: '127.0.0.1, ::1' } }).start();
    direct = await new Server().start();
  });
  after(async () => {
    for (const s of [proxied, direct]) {
      await s?.stop();
      s?.cleanup();
    }
  });

  test('behind a trusted proxy, one client is throttled and another still signs in', async () => {
    assert.ok(await throttleAddress(proxied, '10.0.0.1') > 0, 'failed logins from 10.0.0.1 were never throttled');
    // Asked at once (a refusal hashes nothing), before the other client's sign-in, whose password
    // hash can take longer than the throttle's first pause on a loaded machine.
    const same = await new Client(proxied).request('POST', '/api/v1/auth/login',
      { login: 'admin', password: ADMIN_PASSWORD }, { 'x-forwarded-for': '10.0.0.1' });
    assert.equal(same.status, 429);
    const other = new Client(proxied);
    const ok = await other.request('POST', '/api/v1/auth/login', { login: 'admin', password: ADMIN_PASSWORD },
      { 'x-forwarded-for': '10.0.0.2' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    // The client, not the proxy, is what the access log records; a chain's right-most untrusted
    // address is the client (everything left of it is what the client claimed).
    await get(proxied, '/healthz', { headers: { 'x-forwarded-for': '1.1.1.1, 10.0.0.3, 127.0.0.1' } });
    await proxied.waitForOutput(/"type":"access","method":"GET","path":"\/healthz"[^\n]*"ip":"10\.0\.0\.3"/);
  });

  test('X-Forwarded-For from a peer that is not a trusted proxy is ignored', async () => {
    await get(proxied, '/readyz', { headers: { 'x-forwarded-for': '10.9.9.9' }, localAddress: '127.0.0.5' });
    await proxied.waitForOutput(/"path":"\/readyz"[^\n]*"ip":"127\.0\.0\.5"/);
    // A malformed chain from a trusted proxy leaves the proxy as the client.
    await get(proxied, '/api/v1/openapi.json', { headers: { 'x-forwarded-for': '10.0.0.4, not-an-address' } });
    await proxied.waitForOutput(/"path":"\/api\/v1\/openapi\.json"[^\n]*"ip":"127\.0\.0\.1"/);
  });

  test('without trusted proxies an attacker cannot dodge the per-address limit by sending the header', async () => {
    assert.ok(await throttleAddress(direct, (i) => `10.1.0.${i}`) > 0, 'a new X-Forwarded-For each time dodged the throttle');
    const ok = await new Client(direct).request('POST', '/api/v1/auth/login', { login: 'admin', password: ADMIN_PASSWORD },
      { 'x-forwarded-for': '10.0.0.2' });
    assert.equal(ok.status, 429);
  });
});

describe('descriptors', () => {
  // CPU seconds the process has used (user + system), from /proc/<pid>/stat.
  const cpuSeconds = (pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  };

  test('260 connections on a 200-descriptor limit: no spinning, /healthz still answers', async () => {
    // Soft and hard limit both 200, so raising the soft limit to the hard one at start changes nothing.
    const server = await new Server({ prefix: ['prlimit', '--nofile=200:200'] }).start();
    const sockets = [];
    try {
      for (let i = 0; i < 260; i += 1) sockets.push(await openSocket(server));
      const before = cpuSeconds(server.proc.pid);
      await new Promise((r) => setTimeout(r, 1000)); // the idle second being measured
      const used = cpuSeconds(server.proc.pid) - before;
      // Idle, the server uses next to nothing; an accept loop that spins takes whatever the
      // scheduler gives it (a whole core on an idle machine, half of one on a busy 2-core one).
      assert.ok(used < 0.2, `the server used ${used} s of CPU in an idle second with ${sockets.length} connections open`);
      const res = await fetch(`${server.url}/healthz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
      // Printed before "serving": the limit in force, and the connection cap held below it.
      assert.match(server.output, /"msg":"descriptor limit","nofile":200,"max_connections":\d+/);
    } finally {
      for (const s of sockets) s.destroy();
      await server.stop();
      server.cleanup();
    }
  });

  test('beyond the per-address connection cap: 503 too_many_connections, other addresses unaffected', async () => {
    const server = await new Server({ env: { VIKNO_MAX_CONNECTIONS_PER_ADDRESS: '3' } }).start();
    const sockets = [];
    try {
      for (let i = 0; i < 3; i += 1) sockets.push(await openSocket(server, { localAddress: '127.0.0.2' }));
      const over = await exchange(server, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', { localAddress: '127.0.0.2' });
      assert.match(over.data, /^HTTP\/1\.1 503 /);
      assert.match(over.data, /"code":"too_many_connections"/);
      assert.ok(over.ended);
      const other = await get(server, '/healthz', { localAddress: '127.0.0.3' });
      assert.equal(other.status, 200);
    } finally {
      for (const s of sockets) s.destroy();
      await server.stop();
      server.cleanup();
    }
  });
});

describe('request framing (RFC 9112 section 6.3)', () => {
  let server;
  before(async () => { server = await new Server().start(); });
  after(async () => { await server?.stop(); server?.cleanup(); });

  // Each request is followed on the same connection by a second one: a server that frames the
  // first by its Content-Length and keeps the connection would answer both.
  const cases = {
    'a Transfer-Encoding not ending in chunked, with Content-Length':
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nContent-Length: 2\r\n\r\n{}',
    'Content-Length, then a Transfer-Encoding not ending in chunked':
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked, gzip\r\n\r\n{}',
    'a Transfer-Encoding not ending in chunked, without a length':
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n',
    'HTTP/1.1 without Host': 'GET /healthz HTTP/1.1\r\n\r\n',
    'two Host headers': 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
  };
  for (const [name, request] of Object.entries(cases)) {
    test(`${name}: 400 and the server closes the connection`, async () => {
      const { data, ended } = await exchange(server, request + followUp);
      assert.match(data, /^HTTP\/1\.1 400 /, data);
      assert.deepEqual(statusLines(data).length, 1, `the connection went on after the refused request:\n${data}`);
      assert.match(data, /[Cc]onnection: close/);
      assert.ok(ended);
    });
  }

  test('well-framed requests still work: chunked, HTTP/1.0 without Host', async () => {
    const chunked = await exchange(server,
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n' +
      'Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
    assert.match(chunked.data, /^HTTP\/1\.1 4\d\d /); // the login's own answer to {} (fields missing)
    assert.doesNotMatch(chunked.data, /bad_transfer_encoding|conflicting_length|bad_host/);
    const old = await exchange(server, 'GET /healthz HTTP/1.0\r\n\r\n');
    assert.match(old.data, /^HTTP\/1\.0 200 /);
  });
});

describe('access log', () => {
  let server;
  let raw;
  before(async () => {
    server = await new Server().start();
    raw = [];
    server.proc.stdout.on('data', (chunk) => raw.push(chunk));
  });
  after(async () => { await server?.stop(); server?.cleanup(); });

  test('every line is JSON in valid UTF-8, and tracking tokens are never written', async () => {
    const token = 'SeCrEtTrAcKiNgToKeN42';
    await get(server, '/%ff%fe/%c3');
    await get(server, `/api/v1/queue/tickets/${token}`);
    await get(server, `/api/v1/queue/tickets/${token}-2/events`);
    await new Client(server).request('DELETE', `/api/v1/queue/tickets/${token}-3`);
    await get(server, `/t/${token}-4`);
    await get(server, `/t/${token}-5?x=1`);
    await get(server, '/healthz?end-of-log-test');
    await server.waitForOutput(/"path":"\/healthz"/);
    await server.waitForOutput(/(?:"type":"access"[^]*?){7}/);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(raw)); // throws on invalid UTF-8
    const lines = text.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(lines.length >= 7);
    for (const line of lines) JSON.parse(line);
    assert.ok(!text.includes(token), `a tracking token is in the log:\n${text}`);
    const paths = lines.map((l) => JSON.parse(l)).filter((l) => l.type === 'access').map((l) => l.path);
    assert.ok(paths.includes('/api/v1/queue/tickets/…'), paths.join('\n'));
    assert.ok(paths.includes('/api/v1/queue/tickets/…/events'), paths.join('\n'));
    assert.ok(paths.includes('/t/…'), paths.join('\n'));
  });
});

describe('WebSocket Origin and /metrics', () => {
  let server;
  let admin;
  let center;
  const metricsToken = 'metrics-token-for-tests-0123456789';
  before(async () => {
    server = await new Server({ env: { VIKNO_TRUSTED_PROXIES: '127.0.0.1', VIKNO_METRICS_TOKEN: metricsToken } }).start();
    admin = await adminClient(server);
    center = (await admin.post('/api/v1/centers', { name_uk: 'ЦНАП для потоків' })).body.id;
  });
  after(async () => { await server?.stop(); server?.cleanup(); });

  const upgrade = (origin) => [
    `GET /api/v1/centers/${center}/queue/events HTTP/1.1`,
    `Host: 127.0.0.1:${port(server)}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    `Cookie: ${admin.cookie}`,
    ...(origin ? [`Origin: ${origin}`] : []),
    '', '',
  ].join('\r\n');

  // The first answer to an upgrade: the status line and, for a refusal, the body.
  const firstAnswer = (origin) => new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: port(server) });
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (/^HTTP\/1\.1 101 /.test(data) || /\r\n\r\n[^]*\}$/.test(data)) { socket.destroy(); resolve(data); }
    });
    socket.on('close', () => resolve(data));
    socket.write(upgrade(origin));
  });

  test('a WebSocket from a foreign Origin is 403 origin_not_allowed; own origin and no Origin are accepted', async () => {
    const foreign = await firstAnswer('https://evil.example');
    assert.match(foreign, /^HTTP\/1\.1 403 /);
    assert.match(foreign, /"code":"origin_not_allowed"/);
    assert.match(await firstAnswer(`http://127.0.0.1:${port(server)}`), /^HTTP\/1\.1 101 /);
    assert.match(await firstAnswer(null), /^HTTP\/1\.1 101 /);
  });

  test('/metrics: loopback reads it; anyone else only with the metrics token', async () => {
    assert.equal((await get(server, '/metrics')).status, 200);
    const outside = { 'x-forwarded-for': '203.0.113.7' };
    const refused = await get(server, '/metrics', { headers: outside });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /"code":"metrics_forbidden"/);
    const wrong = await get(server, '/metrics', { headers: { ...outside, authorization: 'Bearer wrong' } });
    assert.equal(wrong.status, 403);
    const ok = await get(server, '/metrics', { headers: { ...outside, authorization: `Bearer ${metricsToken}` } });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /vikno_http_requests_total|# TYPE/);
  });

  test('beyond the per-address stream cap: 503 too_many_streams', async () => {
    // Its own server, with a cap of one stream per address.
    const s = await new Server({ env: { VIKNO_MAX_STREAMS_PER_ADDRESS: '1' } }).start();
    const a = await adminClient(s);
    const id = (await a.post('/api/v1/centers', { name_uk: 'ЦНАП' })).body.id;
    const open = [];
    // Resolves with the status once the response's header is in (a stream's body never ends),
    // and for anything but a stream, with its body too.
    const subscribe = () => new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: port(s), path: `/api/v1/centers/${id}/queue/events`, headers: { cookie: a.cookie }, agent: false },
        (res) => {
          open.push(req);
          if (res.statusCode === 200) { resolve({ status: 200 }); return; }
          let body = '';
          res.on('data', (c) => { body += c; });
          res.on('end', () => resolve({ status: res.statusCode, body }));
        });
      req.on('error', reject);
    });
    try {
      assert.equal((await subscribe()).status, 200);
      const second = await subscribe();
      assert.equal(second.status, 503);
      assert.match(second.body, /"code":"too_many_streams"/);
    } finally {
      for (const r of open) r.destroy();
      await s.stop();
      s.cleanup();
    }
  });
});
