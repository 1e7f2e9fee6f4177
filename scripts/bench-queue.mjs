#!/usr/bin/env node
// The electronic queue's HTTP benchmarks, run by scripts/bench.sh (`make bench`); node, no npm
// packages, and the busy day's C++ load generator (bench/queue/replay_client.cpp). Every server is the real `vikno serve` on 127.0.0.1 (access log off), on a fresh
// database; every load is bounded and stops by itself; no figure is asserted.
//
//  replay   a busy day over HTTP: one center with 40 windows, 8 groups, 40 administrators with
//           skills and a kiosk; ~2,000 visits of four commands each (issue by the kiosk, next, start,
//           finish by the administrators) as fast as they go: 40 administrator loops and kiosk loops
//           issuing ahead, each a thread of queue_replay_client with its own keep-alive connection
//           (node set up the center and reads its latencies). Commands/s and per-command latency, on SQLite synchronous=FULL, SQLite
//           NORMAL and PostgreSQL (when VIKNO_BENCH_PG_URL names a cluster).
//  paced    open loop on SQLite FULL: commands sent on a fixed schedule (500/s for 10 s) whatever
//           the answers do; latency counted from the scheduled time (no coordinated omission).
//  fanout   5,000 subscribers on one center's live events (half Server-Sent Events on raw sockets,
//           half WebSocket when node has it), then ~20 calls: from sending "next" (the call, its
//           commit and its answer included) to the `ticket_called` event at the last subscriber,
//           beside the same from the HTTP answer; memory per subscriber from VmRSS.
//  startup  `vikno serve` on a SQLite database with 1,000,000 past visits (bulk-inserted with the
//           sqlite3 CLI) and 50 open tickets of today: time to the "serving" line and /readyz,
//           median of 3, next to the same start on the database without visits.
//
// Environment: VIKNO_BIN, VIKNO_BENCH_PG_URL (the throwaway cluster's URL, database "vikno"),
// VIKNO_BENCH_CEILING (hello_server's requests/s measured by bench.sh in the same run),
// VIKNO_BENCH_QUEUE_PARTS (comma list, default "replay,paced,fanout,startup"),
// VIKNO_BENCH_QUEUE_DATABASES (comma list of words of the labels, default all: "FULL,NORMAL,PostgreSQL"), and sizes:
// VIKNO_BENCH_VISITS (2000), VIKNO_BENCH_PACED_RATE (500), VIKNO_BENCH_PACED_SECONDS (10),
// VIKNO_BENCH_SUBSCRIBERS (5000), VIKNO_BENCH_CALLS (20), VIKNO_BENCH_PAST_VISITS (1000000).
// Run node with --experimental-websocket (node 20) for the WebSocket half of the fan-out.
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const BIN = process.env.VIKNO_BIN ?? new URL('../build/release/src/cli/vikno', import.meta.url).pathname;
// The busy day's load generator (bench/queue/replay_client.cpp), built beside the server.
const REPLAY_CLIENT = join(dirname(BIN), '../../bench/queue/queue_replay_client');
const ADMIN_PASSWORD = 'bench-admin-password';
const PG_URL = process.env.VIKNO_BENCH_PG_URL ?? '';
const CEILING = Number(process.env.VIKNO_BENCH_CEILING ?? 0);
const PARTS = new Set((process.env.VIKNO_BENCH_QUEUE_PARTS ?? 'replay,paced,fanout,startup').split(',').map((s) => s.trim()));
const int = (name, fallback) => Number.parseInt(process.env[name] ?? '', 10) || fallback;
const VISITS = int('VIKNO_BENCH_VISITS', 2000);
const PACED_RATE = int('VIKNO_BENCH_PACED_RATE', 500);
const PACED_SECONDS = int('VIKNO_BENCH_PACED_SECONDS', 10);
const SUBSCRIBERS = int('VIKNO_BENCH_SUBSCRIBERS', 5000);
const CALLS = int('VIKNO_BENCH_CALLS', 20);
const PAST_VISITS = int('VIKNO_BENCH_PAST_VISITS', 1000000);
const KIOSK_LOOPS = 16;

const work = mkdtempSync(join(tmpdir(), 'vikno-bench-queue-'));
const children = new Set();
process.on('exit', () => {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* gone */ }
  }
  rmSync(work, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (...a) => console.log(...a);
const fmt = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? '-' : x.toFixed(d));

function percentile(values, q) {
  if (!values.length) return NaN;
  const v = Float64Array.from(values).sort();
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
}
const median = (v) => percentile(v, 0.5);

// --- The server ---------------------------------------------------------------------------------

class Vikno {
  constructor(name, db, env = {}) {
    this.name = name;
    this.db = db;
    this.env = env;
  }

  // Starts and waits for the "serving" line; servingMs: from spawn to that line.
  async start() {
    const env = {
      ...process.env, VIKNO_DEMO: 'false', VIKNO_ADMIN_PASSWORD: ADMIN_PASSWORD, VIKNO_ACCESS_LOG: 'false',
      // Every client here is one address (127.0.0.1): the per-address caps would refuse the fan-out.
      VIKNO_MAX_CONNECTIONS_PER_ADDRESS: '1000000', VIKNO_MAX_STREAMS_PER_ADDRESS: '1000000',
      // One kiosk token stands for a whole day's kiosks at full speed: its per-device limit is
      // lifted (the check itself still runs on every issue, so its cost is measured).
      VIKNO_KIOSK_ISSUES_PER_MINUTE: '1000000', VIKNO_KIOSK_ISSUE_BURST: '1000000', ...this.env,
    };
    this.output = '';
    const t0 = performance.now();
    this.proc = spawn(BIN, ['serve', '--db', this.db, '--listen', '127.0.0.1', '--port', '0',
      '--static-dir', join(work, 'no-web')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(this.proc);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => {
      children.delete(this.proc);
      resolve({ code, signal });
    }));
    let resolveServing;
    const serving = new Promise((r) => { resolveServing = r; });
    const collect = (chunk) => {
      this.output += chunk.toString();
      const m = this.output.match(/"msg":"serving","url":"http:\/\/([^":]+):(\d+)"/);
      if (m && !this.port) {
        this.servingMs = performance.now() - t0;
        this.host = m[1];
        this.port = Number(m[2]);
        resolveServing();
      }
    };
    this.proc.stdout.on('data', collect);
    this.proc.stderr.on('data', collect);
    const timeout = sleep(120000).then(() => 'timeout');
    const r = await Promise.race([serving, this.exited.then(() => 'exited'), timeout]);
    if (r === 'exited' || r === 'timeout') throw new Error(`vikno (${this.name}) did not start:\n${this.output}`);
    // Ready: /readyz answers 200 (a fresh connection each time).
    for (;;) {
      const res = await request(this, 'GET', '/readyz', { agent: false }).catch(() => ({ status: 0 }));
      if (res.status === 200) break;
      await sleep(5);
    }
    this.readyMs = performance.now() - t0;
    return this;
  }

  // CPU seconds used so far (user + system), from /proc/PID/stat.
  cpuSeconds() {
    const fields = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  }

  rssKb() {
    const m = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m);
    return m ? Number(m[1]) : NaN;
  }

  async stop() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    const r = await Promise.race([this.exited, sleep(20000).then(() => null)]);
    if (!r) {
      say(`  (vikno ${this.name} did not stop within 20 s of SIGTERM: killed)`);
      this.proc.kill('SIGKILL');
      await this.exited;
    }
  }
}

// A fresh database for a run: a SQLite file, or a new database in the PostgreSQL cluster.
function freshDatabase(kind, name) {
  if (kind === 'sqlite') return `sqlite:${join(work, name + '.db')}`;
  const db = 'bench_' + randomBytes(5).toString('hex');
  execFileSync('psql', [PG_URL, '-q', '-c', `CREATE DATABASE ${db}`], { stdio: 'pipe' });
  return PG_URL.replace(/\/vikno\?/, `/${db}?`);
}

// --- HTTP ---------------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

function request(server, method, path, { body, headers = {}, agent: a = agent } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const h = { ...headers, 'content-length': Buffer.byteLength(data) };
    if (body !== undefined) h['content-type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path, headers: h, agent: a }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

// A client with a session (cookie + CSRF token) or a bearer token, like the front end and devices.
class Session {
  constructor(server) {
    this.server = server;
    this.cookie = null;
    this.csrf = null;
    this.bearer = null;
  }

  async req(method, path, body) {
    const headers = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await request(this.server, method, path, { body, headers });
    const setCookie = res.headers['set-cookie'];
    if (setCookie?.length) this.cookie = setCookie[0].split(';')[0];
    let parsed = null;
    try { parsed = res.text ? JSON.parse(res.text) : null; } catch { parsed = res.text; }
    return { status: res.status, body: parsed };
  }

  async login(login, password) {
    const r = await this.req('POST', '/api/v1/auth/login', { login, password });
    if (r.status !== 200) throw new Error(`login ${login}: ${r.status} ${JSON.stringify(r.body)}`);
    this.csrf = r.body.csrf_token;
    return this;
  }

  async must(method, path, body, status = [200, 201]) {
    const r = await this.req(method, path, body);
    if (!status.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

// Runs fn over items with at most `n` at a time.
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

// --- One center, as the integration tests set it up ---------------------------------------------

const LETTERS = ['П', 'С', 'З', 'Р', 'В', 'Д', 'М', 'К'];
const TYPICAL_MINUTES = [20, 10, 30, 15, 12, 25, 8, 15];
const POPULARITY = [25, 20, 5, 12, 15, 5, 10, 8]; // % of visitors per group

function pickWeighted(weights, random = Math.random) {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

// A deterministic generator for the center's shape (skills), so every run builds the same center.
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

async function setUpCenter(server, { groups = 8, windows = 40, administrators = 40 } = {}) {
  const admin = await new Session(server).login('admin', ADMIN_PASSWORD);
  const provider = await admin.must('POST', '/api/v1/registry/providers', { code: 'bench', name_uk: 'Надавач', kind: 'state_body' });
  const gs = [];
  const identifiers = [];
  for (let g = 0; g < groups; g++) {
    const group = await admin.must('POST', '/api/v1/registry/groups', {
      code: `bench-${g}`, name_uk: `Напрям ${g + 1}`, ticket_letter: LETTERS[g], sort_order: g + 1,
    });
    const services = [];
    for (let k = 0; k < 2; k++) {
      const identifier = `bench-${g}-${k}`;
      const s = await admin.must('POST', '/api/v1/registry/services', {
        identifier, group_id: group.id, provider_id: provider.id, title_uk: `Послуга ${g + 1}.${k + 1}`,
        typical_minutes: TYPICAL_MINUTES[g] + (k === 0 ? -2 : 2),
      });
      services.push(s.id);
      identifiers.push(identifier);
    }
    gs.push({ id: group.id, letter: LETTERS[g], services });
  }
  const center = await admin.must('POST', '/api/v1/registry/centers', { code: 'bench-center', name_uk: 'ЦНАП для вимірювань' });
  const fresh = await admin.must('GET', `/api/v1/catalog/centers/${center.id}`);
  const w = await admin.must('PUT', `/api/v1/centers/${center.id}/windows`, {
    version: fresh.version, windows: Array.from({ length: windows }, (_, i) => ({ number: i + 1, label: `Вікно ${i + 1}` })),
  });
  await admin.must('PUT', `/api/v1/centers/${center.id}/services`, { version: w.version, services: identifiers });
  const people = Array.from({ length: administrators }, (_, i) => ({ login: `adm${i + 1}`, password: `password-adm${i + 1}` }));
  await pool(people, 4, (p) => admin.must('POST', '/api/v1/users', {
    login: p.login, name: `Адміністратор ${p.login}`, role: 'administrator', centers: [center.id], password: p.password,
  }));
  const list = (await admin.must('GET', `/api/v1/centers/${center.id}/skills`)).staff;
  const random = lcg(4042026);
  await pool(people, 4, async (p, i) => {
    const me = list.find((x) => x.login === p.login);
    p.id = me.user_id;
    // 1-3 primary groups (administrator i has group i % groups among them), 0-2 secondary.
    const order = gs.map((g) => g.id).sort(() => random() - 0.5);
    const own = gs[i % groups].id;
    order.splice(order.indexOf(own), 1);
    order.unshift(own);
    const primary = 1 + Math.floor(random() * 3);
    const secondary = Math.floor(random() * 3);
    const skills = [
      ...order.slice(0, primary).map((id) => ({ group_id: id, level: 'primary' })),
      ...order.slice(primary, primary + secondary).map((id) => ({ group_id: id, level: 'secondary' })),
    ];
    await admin.must('PUT', `/api/v1/centers/${center.id}/staff/${me.user_id}/skills`, { version: me.version, skills });
  });
  const device = async (purpose) => (await admin.must('POST', `/api/v1/centers/${center.id}/devices`, { purpose, label: purpose })).token;
  return { admin, center, groups: gs, people, kioskToken: await device('kiosk'), displayToken: await device('display') };
}

// Signs the administrators in (a session each) at windows 1..n.
async function signIn(server, setup) {
  const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
  return pool(setup.people, 4, async (p, i) => {
    const s = await new Session(server).login(p.login, p.password);
    const desk = await s.must('GET', q('/desk'));
    const window = desk.windows.find((x) => x.number === i + 1);
    await s.must('POST', q('/desk/sign-in'), { window_id: window.id });
    return s;
  });
}

// --- Latency bookkeeping ------------------------------------------------------------------------

class Recorder {
  constructor() {
    this.latency = { issue: [], next: [], next_empty: [], start: [], finish: [] };
    this.errors = new Map();
  }

  record(kind, ms) { this.latency[kind].push(ms); }

  error(kind, r) {
    const key = `${kind} ${r.status} ${r.body?.error?.code ?? (typeof r.body === 'string' ? r.body.slice(0, 60) : '')}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  all() { return Object.values(this.latency).flat(); }
  count() { return this.all().length; }
  errorCount() { return [...this.errors.values()].reduce((a, b) => a + b, 0); }
  describeErrors() { return [...this.errors].map(([k, n]) => `${k} x${n}`).join('; ') || 'none'; }
}

// --- Part 2: the busy day, closed loop ----------------------------------------------------------

// Runs the C++ load generator with the center's set-up; resolves with its JSON answer.
function replayClient(setup) {
  const file = join(work, 'replay-setup.json');
  writeFileSync(file, JSON.stringify(setup));
  return new Promise((resolve, reject) => {
    const child = spawn(REPLAY_CLIENT, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${REPLAY_CLIENT} exited with ${code}`));
      else resolve(JSON.parse(Buffer.concat(chunks).toString()));
    });
  });
}

async function replay(label, kind, synchronous, trackEvery = 0) {
  const env = synchronous ? { VIKNO_SQLITE_SYNCHRONOUS: synchronous } : {};
  const server = await new Vikno(label, freshDatabase(kind, label.replace(/\W+/g, '_')), env).start();
  try {
    const setupStart = performance.now();
    const setup = await setUpCenter(server);
    const desks = await signIn(server, setup);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
    say(`  ${label}: set up, replaying (server pid ${server.proc.pid})`);
    const commits = async () => {
      const text = (await request(server, 'GET', '/metrics')).text;
      const read = (name) => Number(text.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1] ?? NaN);
      return { commits: read('vikno_db_commits_total'), writes: read('vikno_db_writes_total') };
    };
    const commits0 = await commits();
    const cpu0 = server.cpuSeconds();
    const run = await replayClient({
      port: server.port, center_id: setup.center.id, visits: VISITS, kiosk_loops: KIOSK_LOOPS, ahead: 100,
      seed: 20261123, kiosk_token: setup.kioskToken, groups: setup.groups.map((g) => g.id), popularity: POPULARITY,
      desks: desks.map((d) => ({ cookie: d.cookie, csrf: d.csrf })), track_every: trackEvery,
    });
    const seconds = run.seconds;
    const cpu = [server.cpuSeconds() - cpu0, run.cpu_seconds];
    const commits1 = await commits();
    const rec = new Recorder();
    rec.latency = run.latency;
    rec.errors = new Map(Object.entries(run.errors));
    const finished = rec.latency.finish.length;
    if (run.followers) {
      say(`  ${label}: ${run.followers.streams} citizens followed their tickets (${run.followers.refused} streams refused), ` +
        `~${run.followers.events} live events reached them`);
    }
    const load = await new Session(server).must('GET', q('/load'));
    const all = rec.all();
    const writesPerCommit = (commits1.writes - commits0.writes) / (commits1.commits - commits0.commits);
    const visitCommands = rec.latency.issue.length + rec.latency.next.length + rec.latency.start.length + rec.latency.finish.length;
    const out = {
      label, seconds, visits: finished, visitCommands, emptyNext: rec.latency.next_empty.length,
      rate: all.length / seconds, visitRate: visitCommands / seconds,
      p50: median(all), p99: percentile(all, 0.99), max: Math.max(...all),
      perKind: Object.fromEntries(Object.entries(rec.latency).map(([k, v]) => [k, { n: v.length, p50: median(v), p99: percentile(v, 0.99) }])),
      errors: rec.describeErrors(), waitingAfter: load.waiting ?? load.groups?.reduce?.((a, g) => a + g.waiting, 0),
      rssMb: server.rssKb() / 1024, serverCpu: cpu[0] / seconds, clientCpu: cpu[1] / seconds, writesPerCommit,
    };
    say(`  ${label.padEnd(22)} ${fmt(out.visitRate, 0).padStart(7)} visit commands/s (${fmt(out.rate, 0)}/s with the empty "next") ` +
      `p50 ${fmt(out.p50, 2)} ms  p99 ${fmt(out.p99, 2)} ms  max ${fmt(out.max, 1)} ms | ${out.visits} visits, ` +
      `${out.visitCommands} visit commands + ${out.emptyNext} empty "next" in ${fmt(seconds, 1)} s ` +
      `(set-up before: ${fmt(setupSeconds, 1)} s); errors: ${out.errors}`);
    say(`  ${''.padEnd(22)} per command p50/p99 ms: ` + Object.entries(out.perKind)
      .map(([k, v]) => `${k} ${fmt(v.p50, 2)}/${fmt(v.p99, 2)} (n=${v.n})`).join(', ') +
      `; waiting after: ${out.waitingAfter ?? '?'}; server RSS ${fmt(out.rssMb, 0)} MB; CPU cores busy: ` +
      `server ${fmt(out.serverCpu, 2)}, client ${fmt(out.clientCpu, 2)} (of ${cpus().length}); ` +
      `writes per commit (group commit): ${fmt(out.writesPerCommit, 1)}`);
    return { out, server, setup, desks };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

// What one durable commit costs at least on this disk: a small write and fdatasync, as SQLite's
// WAL does at each commit with synchronous=FULL.
function fsyncAnchor(n = 200) {
  const fd = openSync(join(work, 'fsync-anchor'), 'w');
  const block = Buffer.alloc(4096, 1);
  const times = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      writeSync(fd, block, 0, block.length, (i % 64) * 4096);
      fdatasyncSync(fd);
      times.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
  }
  return { n, p50: median(times), p99: percentile(times, 0.99), max: Math.max(...times) };
}

// --- Part 2b: open loop at a fixed rate ---------------------------------------------------------

async function paced(label, server, setup, desks) {
  const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
  const kiosk = new Session(server);
  kiosk.bearer = setup.kioskToken;
  const rec = new Recorder();
  const total = PACED_RATE * PACED_SECONDS;
  const interval = 1000 / PACED_RATE;
  const random = lcg(77);
  // Per administrator: 'idle' (next), 'called' (start), 'serving' (finish); one command in flight.
  const admins = desks.map((s) => ({ s, state: 'idle', ticket: null, busy: false }));
  let waiting = 0; // issued and not yet called, as the client knows it
  let inflight = 0;
  let rr = 0;
  const latencies = [];
  let lateness = 0;
  const send = (due, kind, fn, after) => {
    inflight++;
    fn().then((r) => {
      const ms = performance.now() - due;
      latencies.push(ms);
      if (r.status >= 300) rec.error(kind, r);
      else rec.record(kind === 'next' && !r.body?.ticket ? 'next_empty' : kind, ms);
      after(r);
    }, (e) => rec.error(kind, { status: 0, body: String(e) })).finally(() => { inflight--; });
  };
  const choose = (i) => {
    if (i % 4 !== 0) {
      // Progress a visit under way first, then call the next waiting ticket.
      for (let k = 0; k < admins.length; k++) {
        const a = admins[(rr + k) % admins.length];
        if (!a.busy && a.state !== 'idle') { rr = (rr + k + 1) % admins.length; return a; }
      }
      if (waiting > 0) {
        for (let k = 0; k < admins.length; k++) {
          const a = admins[(rr + k) % admins.length];
          if (!a.busy) { rr = (rr + k + 1) % admins.length; return a; }
        }
      }
    }
    return null; // the kiosk issues
  };
  const t0 = performance.now() + 50;
  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait - 0.5);
    while (performance.now() < due) { /* the last half millisecond */ }
    lateness = Math.max(lateness, performance.now() - due);
    const a = choose(i);
    if (!a) {
      const g = pickWeighted(POPULARITY, random);
      send(due, 'issue', () => kiosk.req('POST', q('/tickets'), { group_id: setup.groups[g].id, purpose: 'consultation' }), (r) => {
        if (r.status === 201) waiting++;
      });
      continue;
    }
    a.busy = true;
    if (a.state === 'idle') {
      send(due, 'next', () => a.s.req('POST', q('/desk/next')), (r) => {
        a.busy = false;
        if (r.status === 200 && r.body.ticket) {
          a.ticket = r.body.ticket.id;
          a.state = 'called';
          waiting--;
        }
      });
    } else if (a.state === 'called') {
      send(due, 'start', () => a.s.req('POST', q(`/tickets/${a.ticket}/start`)), (r) => {
        a.busy = false;
        if (r.status === 200) a.state = 'serving';
      });
    } else {
      send(due, 'finish', () => a.s.req('POST', q(`/tickets/${a.ticket}/finish`), { outcome: 'consultation_given' }), (r) => {
        a.busy = false;
        if (r.status === 200) { a.state = 'idle'; a.ticket = null; }
      });
    }
  }
  const sentSeconds = (performance.now() - t0) / 1000;
  while (inflight > 0) await sleep(5);
  const out = {
    rate: total / sentSeconds, n: latencies.length, p50: median(latencies), p99: percentile(latencies, 0.99),
    max: Math.max(...latencies), errors: rec.describeErrors(), lateness,
    perKind: Object.fromEntries(Object.entries(rec.latency).map(([k, v]) => [k, v.length])),
  };
  say(`  paced ${PACED_RATE}/s, ${label.padEnd(13)} sent ${out.n} commands at ${fmt(out.rate, 0)}/s: p50 ${fmt(out.p50, 2)} ms  ` +
    `p99 ${fmt(out.p99, 2)} ms  max ${fmt(out.max, 1)} ms (from the scheduled time; the client was at most ` +
    `${fmt(lateness, 1)} ms late) | ${Object.entries(out.perKind).map(([k, v]) => `${k} ${v}`).join(', ')}; errors: ${out.errors}`);
  return out;
}

// --- Part 3: fan-out ----------------------------------------------------------------------------

const SSE_MARK = Buffer.from('event: ticket_called\n');

// One Server-Sent Events subscriber on a raw socket: counts `ticket_called` events, noting the time
// of each and whether it carried the expected number. Resolves once the snapshot has arrived.
function sseSubscriber(server, path, expected) {
  return new Promise((resolve, reject) => {
    const sub = { kind: 'sse', times: [], wrong: 0, socket: null };
    const socket = net.connect(server.port, '127.0.0.1');
    sub.socket = socket;
    let ready = false;
    let head = '';
    let carry = Buffer.alloc(0);
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('SSE subscriber: no snapshot in 60 s')); }, 60000);
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`));
    socket.on('data', (chunk) => {
      const now = performance.now();
      if (!ready) {
        head += chunk.toString('latin1');
        if (!head.startsWith('HTTP/1.1 200')) {
          if (head.includes('\r\n')) { clearTimeout(timer); socket.destroy(); reject(new Error(`SSE: ${head.split('\r\n')[0]}`)); }
          return;
        }
        if (head.includes('event: snapshot') && /event: snapshot\n[^]*?\n\n/.test(head)) {
          ready = true;
          clearTimeout(timer);
          head = '';
          resolve(sub);
        }
        return;
      }
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let at = buf.indexOf(SSE_MARK);
      while (at >= 0) {
        const number = expected[sub.times.length];
        sub.times.push(now);
        const end = buf.indexOf('\n\n', at);
        if (number && buf.subarray(at, end < 0 ? buf.length : end).indexOf(number) < 0) sub.wrong++;
        at = buf.indexOf(SSE_MARK, at + SSE_MARK.length);
      }
      carry = buf.subarray(Math.max(0, buf.length - SSE_MARK.length + 1));
    });
    socket.on('error', () => {});
    socket.on('close', () => { sub.closed = true; });
  });
}

function wsSubscriber(server, path, expected) {
  return new Promise((resolve, reject) => {
    const sub = { kind: 'ws', times: [], wrong: 0 };
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`);
    sub.ws = ws;
    let ready = false;
    const timer = setTimeout(() => { ws.close(); reject(new Error('WebSocket subscriber: no snapshot in 60 s')); }, 60000);
    ws.onmessage = (m) => {
      const now = performance.now();
      const data = typeof m.data === 'string' ? m.data : '';
      if (!ready) {
        if (data.includes('"type":"snapshot"')) { ready = true; clearTimeout(timer); resolve(sub); }
        return;
      }
      const at = data.indexOf('"type":"ticket_called"');
      if (at >= 0 && at < 40) {
        const number = expected[sub.times.length];
        sub.times.push(now);
        if (number && !data.includes(number)) sub.wrong++;
      }
    };
    ws.onerror = () => { if (!ready) { clearTimeout(timer); reject(new Error('WebSocket subscriber: error')); } };
    ws.onclose = () => { sub.closed = true; };
  });
}

async function fanout() {
  const server = await new Vikno('fan-out', freshDatabase('sqlite', 'fanout')).start();
  const subs = [];
  try {
    const setup = await setUpCenter(server, { groups: 1, windows: 2, administrators: 1 });
    const [desk] = await signIn(server, setup);
    const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
    const kiosk = new Session(server);
    kiosk.bearer = setup.kioskToken;
    // The tickets to call, issued before anyone subscribes: the calls take them in this order.
    const expected = [];
    for (let i = 0; i < CALLS; i++) {
      const t = await kiosk.must('POST', q('/tickets'), { group_id: setup.groups[0].id });
      expected.push(t.ticket.number);
    }
    const expectedBytes = expected.map((n) => Buffer.from(n));
    await sleep(500);
    const rssBefore = server.rssKb();
    const path = `${q('/events')}?access_token=${setup.displayToken}`;
    const withWs = typeof WebSocket === 'function';
    const wsCount = withWs ? Math.floor(SUBSCRIBERS / 2) : 0;
    const kinds = Array.from({ length: SUBSCRIBERS }, (_, i) => (i < SUBSCRIBERS - wsCount ? 'sse' : 'ws'));
    const t0 = performance.now();
    let failures = 0;
    let firstError = '';
    await pool(kinds, 200, async (k) => {
      try {
        subs.push(await (k === 'sse' ? sseSubscriber(server, path, expectedBytes) : wsSubscriber(server, path, expected)));
      } catch (e) {
        failures++;
        firstError ||= e.message;
      }
    });
    const openSeconds = (performance.now() - t0) / 1000;
    await sleep(1000);
    const rssAfter = server.rssKb();
    const metrics = (await request(server, 'GET', '/metrics')).text;
    const gauge = Number(metrics.match(/^vikno_live_subscribers (\d+)/m)?.[1] ?? NaN);
    say(`  opened ${subs.length} subscribers (${subs.length - subs.filter((s) => s.kind === 'ws').length} SSE, ` +
      `${subs.filter((s) => s.kind === 'ws').length} WebSocket${withWs ? '' : ': node without WebSocket, SSE only'}) ` +
      `in ${fmt(openSeconds, 1)} s; ${failures} failed${firstError ? ` (${firstError})` : ''}; the server counts ${gauge}`);
    const toLast = [];
    const fromSend = [];
    const medianSub = [];
    let missing = 0;
    for (let k = 0; k < CALLS; k++) {
      const sent = performance.now();
      const r = await desk.req('POST', q('/desk/next'));
      const answered = performance.now();
      if (r.status !== 200 || !r.body.ticket) throw new Error(`next: ${r.status} ${JSON.stringify(r.body)}`);
      if (r.body.ticket.number !== expected[k]) throw new Error(`next called ${r.body.ticket.number}, expected ${expected[k]}`);
      const deadline = performance.now() + 10000;
      while (subs.some((s) => s.times.length <= k && !s.closed) && performance.now() < deadline) await sleep(2);
      const times = subs.filter((s) => s.times.length > k).map((s) => s.times[k]);
      missing += subs.length - times.length;
      const last = Math.max(...times);
      toLast.push(last - answered);
      fromSend.push(last - sent);
      medianSub.push(median(times) - answered);
      const id = r.body.ticket.id;
      await desk.must('POST', q(`/tickets/${id}/start`));
      await desk.must('POST', q(`/tickets/${id}/finish`), { outcome: 'consultation_given' });
      await sleep(200);
    }
    const wrong = subs.reduce((a, s) => a + s.wrong, 0);
    const perSubscriberKb = (rssAfter - rssBefore) / Math.max(1, subs.length);
    const out = {
      subscribers: subs.length, p50: median(toLast), p99: percentile(toLast, 0.99), max: Math.max(...toLast),
      p50FromSend: median(fromSend), p99FromSend: percentile(fromSend, 0.99), medianSubscriber: median(medianSub),
      rssBeforeMb: rssBefore / 1024, rssAfterMb: rssAfter / 1024, perSubscriberKb, missing, wrong, withWs,
    };
    say(`  ${CALLS} calls to ${subs.length} subscribers, answer of "next" -> ticket_called at the last subscriber: ` +
      `p50 ${fmt(out.p50, 1)} ms  p99 ${fmt(out.p99, 1)} ms  max ${fmt(out.max, 1)} ms ` +
      `(at the median subscriber ${fmt(out.medianSubscriber, 1)} ms; from sending "next": p50 ${fmt(out.p50FromSend, 1)} ms, ` +
      `p99 ${fmt(out.p99FromSend, 1)} ms); missed ${missing}, wrong number ${wrong}`);
    say(`  server VmRSS ${fmt(out.rssBeforeMb, 1)} MB before, ${fmt(out.rssAfterMb, 1)} MB with ${subs.length} subscribers: ` +
      `${fmt(perSubscriberKb, 1)} KB per subscriber`);
    return out;
  } finally {
    for (const s of subs) {
      if (s.socket) s.socket.destroy();
      if (s.ws) s.ws.close();
    }
    await server.stop();
  }
}

// --- Part 4: start-up with a million past visits -------------------------------------------------

function kyivToday() {
  for (const timeZone of ['Europe/Kyiv', 'Europe/Kiev']) {
    try {
      return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    } catch { /* try the older name */ }
  }
  return new Date().toISOString().slice(0, 10);
}

async function timeStarts(label, file, n = 3) {
  const serving = [];
  const ready = [];
  let waiting = null;
  for (let i = 0; i < n; i++) {
    const server = await new Vikno(label, `sqlite:${file}`).start();
    serving.push(server.servingMs);
    ready.push(server.readyMs);
    if (i === 0) {
      const r = await request(server, 'GET', '/api/v1/queue/load');
      try { waiting = JSON.parse(r.text).centers?.reduce((a, c) => a + (c.waiting ?? 0), 0); } catch { /* leave null */ }
    }
    await server.stop();
  }
  return { serving: median(serving), ready: median(ready), all: serving, waiting };
}

async function startup() {
  const file = join(work, 'past.db');
  // The center, its staff and windows, through the API (the first start also creates the admin).
  let server = await new Vikno('startup-setup', `sqlite:${file}`).start();
  const setup = await setUpCenter(server, { groups: 8, windows: 10, administrators: 10 });
  const windows = (await setup.admin.must('GET', `/api/v1/catalog/centers/${setup.center.id}`)).windows ?? [];
  await server.stop();
  execFileSync('sqlite3', [file, 'PRAGMA wal_checkpoint(TRUNCATE);'], { stdio: 'pipe' });
  const empty = join(work, 'empty.db');
  copyFileSync(file, empty);

  const today = kyivToday();
  const center = setup.center.id;
  const groupRows = setup.groups.map((g, k) => `(${k}, ${g.id}, '${g.letter}', ${g.services[0]})`).join(', ');
  const userRows = setup.people.map((p, k) => {
    const w = windows[k % Math.max(1, windows.length)];
    return `(${k}, ${p.id}, ${w?.id ?? 'NULL'}, ${w?.number ?? k + 1})`;
  }).join(', ');
  const perDay = 2000; // visits a day: 500 past days for a million
  const sql = `
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE bg(k INTEGER PRIMARY KEY, id INTEGER, letter TEXT, service INTEGER);
INSERT INTO bg VALUES ${groupRows};
CREATE TEMP TABLE bu(k INTEGER PRIMARY KEY, id INTEGER, window_id INTEGER, window_number INTEGER);
INSERT INTO bu VALUES ${userRows};
INSERT INTO queue_tickets (center_id, day, letter, seq, number, token, group_id, purpose, service_id, priority, source,
  state, issued_at_ms, user_id, window_id, window_number, called_at_ms, started_at_ms, finished_at_ms, pick_rule, outcome)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${PAST_VISITS - 1}),
v AS (SELECT i, date('${today}', '-' || (1 + i / ${perDay}) || ' days') AS day, (i % ${perDay}) / 8 + 1 AS seq,
             i % 8 AS gk, i % ${setup.people.length} AS uk, i % ${perDay} AS slot FROM n)
SELECT ${center}, v.day, bg.letter, v.seq, bg.letter || '-' || printf('%03d', v.seq), printf('p%025d', v.i), bg.id,
       CASE WHEN v.i % 5 < 3 THEN 'consultation' ELSE 'submit_documents' END, bg.service,
       CASE WHEN v.i % 40 = 0 THEN 'war_veteran' ELSE '' END, 'kiosk', 'done',
       (strftime('%s', v.day) + 6 * 3600) * 1000 + v.slot * 15000, bu.id, bu.window_id, bu.window_number,
       (strftime('%s', v.day) + 6 * 3600) * 1000 + v.slot * 15000 + 600000,
       (strftime('%s', v.day) + 6 * 3600) * 1000 + v.slot * 15000 + 630000,
       (strftime('%s', v.day) + 6 * 3600) * 1000 + v.slot * 15000 + 1200000, 'primary_skill', 'consultation_given'
FROM v JOIN bg ON bg.k = v.gk JOIN bu ON bu.k = v.uk;
INSERT INTO queue_events (center_id, ticket_id, at_ms, type, user_id, window_number, details)
SELECT center_id, id, issued_at_ms, 'ticket_issued', NULL, 0, '{"number":"' || number || '","source":"kiosk"}'
FROM queue_tickets WHERE center_id = ${center} AND state = 'done';
INSERT INTO queue_events (center_id, ticket_id, at_ms, type, user_id, window_number, details)
SELECT center_id, id, called_at_ms, 'ticket_called', user_id, window_number, '{"rule":"primary_skill"}'
FROM queue_tickets WHERE center_id = ${center} AND state = 'done';
INSERT INTO queue_events (center_id, ticket_id, at_ms, type, user_id, window_number, details)
SELECT center_id, id, started_at_ms, 'service_started', user_id, window_number, '{}'
FROM queue_tickets WHERE center_id = ${center} AND state = 'done';
INSERT INTO queue_events (center_id, ticket_id, at_ms, type, user_id, window_number, details)
SELECT center_id, id, finished_at_ms, 'ticket_finished', user_id, window_number, '{"outcome":"consultation_given"}'
FROM queue_tickets WHERE center_id = ${center} AND state = 'done';
INSERT INTO queue_tickets (center_id, day, letter, seq, number, token, group_id, purpose, source, state, issued_at_ms)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49)
SELECT ${center}, '${today}', bg.letter, n.i / 8 + 1, bg.letter || '-' || printf('%03d', n.i / 8 + 1),
       printf('t%025d', n.i), bg.id, 'consultation', 'kiosk', 'waiting', ${Date.now()} - (50 - n.i) * 60000
FROM n JOIN bg ON bg.k = n.i % 8;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SELECT (SELECT COUNT(*) FROM queue_tickets), (SELECT COUNT(*) FROM queue_events);
`;
  const t0 = performance.now();
  const counts = execFileSync('sqlite3', [file], { input: sql, encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').pop();
  const insertSeconds = (performance.now() - t0) / 1000;
  const [tickets, events] = counts.split('|').map(Number);
  const sizeMb = Number(execFileSync('stat', ['-c', '%s', file], { encoding: 'utf8' })) / 1048576;
  say(`  bulk insert: ${tickets} tickets and ${events} visit events in ${fmt(insertSeconds, 1)} s (sqlite3 CLI, ` +
    `recursive CTE); database ${fmt(sizeMb, 0)} MB`);
  const anchor = await timeStarts('startup-empty', empty);
  const full = await timeStarts('startup-1m', file);
  say(`  start to "serving" (median of 3): ${fmt(full.serving, 0)} ms with ${tickets} visits ` +
    `(${full.all.map((x) => fmt(x, 0)).join(', ')}), /readyz 200 at ${fmt(full.ready, 0)} ms, ${full.waiting} open tickets ` +
    `loaded | anchor, no visits: ${fmt(anchor.serving, 0)} ms (${anchor.all.map((x) => fmt(x, 0)).join(', ')}), ` +
    `/readyz at ${fmt(anchor.ready, 0)} ms`);
  return { tickets, events, insertSeconds, sizeMb, full, anchor };
}

// --- Main ---------------------------------------------------------------------------------------

const results = {};
const ceilingText = CEILING ? `${fmt(CEILING, 0)} req/s` : 'not measured';
const ofCeiling = (x) => (CEILING ? `${fmt((100 * x) / CEILING, 0)}%` : '-');

say(`=== queue over HTTP on 127.0.0.1 (vikno: ${BIN}; hello_server ceiling in this run: ${ceilingText}) ===`);
if (PARTS.has('replay') || PARTS.has('paced')) {
  say(`busy day: ${VISITS} visits x 4 commands, 40 administrator loops + ${KIOSK_LOOPS} kiosk loops (at most 100 waiting), ` +
    `40 windows, 8 groups`);
  results.fsync = fsyncAnchor();
  say(`  anchor: this disk's write(4 KB) + fdatasync in the work folder, ${results.fsync.n} times: ` +
    `p50 ${fmt(results.fsync.p50, 2)} ms  p99 ${fmt(results.fsync.p99, 2)} ms  max ${fmt(results.fsync.max, 1)} ms`);
  // The same day with every second citizen following their ticket from a phone (live updates of
  // position and estimate): the anchor is the plain NORMAL run.
  const configs = [['SQLite FULL', 'sqlite', 'FULL'], ['SQLite NORMAL', 'sqlite', 'NORMAL'],
    ['SQLite NORMAL, half followed', 'sqlite', 'NORMAL', 2]];
  if (PG_URL) configs.push(['PostgreSQL', 'postgresql', null]);
  const only = process.env.VIKNO_BENCH_QUEUE_DATABASES; // e.g. "NORMAL" or "FULL,PostgreSQL"
  for (const [label, kind, sync, trackEvery] of configs) {
    if (only && !only.split(',').some((w) => label.includes(w.trim()))) continue;
    if (!PARTS.has('replay') && (!label.startsWith('SQLite') || trackEvery)) continue;
    const { out, server, setup, desks } = await replay(label, kind, sync, trackEvery);
    results[label] = out;
    if (label.startsWith('SQLite') && !trackEvery && PARTS.has('paced')) {
      results[`paced ${label}`] = await paced(label, server, setup, desks);
    }
    await server.stop();
  }
  if (!PG_URL) say('  PostgreSQL: skipped (no VIKNO_BENCH_PG_URL)');
}
if (PARTS.has('fanout')) {
  say(`fan-out: ${SUBSCRIBERS} subscribers on one center's live events, ${CALLS} calls`);
  results.fanout = await fanout();
}
if (PARTS.has('startup')) {
  say(`start-up: ${PAST_VISITS} past visits on SQLite`);
  results.startup = await startup();
}

say('\n=== queue summary ===');
const row = (name, value, anchor, target) => say(`${name.padEnd(40)} ${value.padEnd(34)} ${anchor.padEnd(34)} ${target}`);
row('figure', 'value', 'anchor (same run)', 'target');
for (const label of ['SQLite FULL', 'SQLite NORMAL', 'PostgreSQL']) {
  const r = results[label];
  if (!r) continue;
  const target = label === 'SQLite NORMAL' ? `>= 5,000 commands/s: ${r.visitRate >= 5000 ? 'ok' : 'BELOW'}` : '';
  row(`busy day, ${label}`, `${fmt(r.visitRate, 0)} cmd/s, p50 ${fmt(r.p50, 1)} p99 ${fmt(r.p99, 1)} ms`,
    `ceiling ${ceilingText} (${ofCeiling(r.visitRate)})`, target);
}
if (results['SQLite NORMAL, half followed']) {
  const r = results['SQLite NORMAL, half followed'];
  const plain = results['SQLite NORMAL'];
  row('busy day, NORMAL, half followed', `${fmt(r.visitRate, 0)} cmd/s, p99 ${fmt(r.p99, 1)} ms`,
    `not followed: ${fmt(plain?.visitRate, 0)} cmd/s (${plain ? fmt((100 * r.visitRate) / plain.visitRate, 0) : '-'}%)`, '');
}
if (results['paced SQLite FULL']) {
  const r = results['paced SQLite FULL'];
  const normal = results['paced SQLite NORMAL'];
  row(`${PACED_RATE} cmd/s open loop, SQLite FULL`, `p99 ${fmt(r.p99, 1)} ms (p50 ${fmt(r.p50, 1)})`,
    `ceiling ${ceilingText}`, `p99 < 20 ms: ${r.p99 < 20 ? 'ok' : 'ABOVE'}`);
  row('', '', `same load on NORMAL: p99 ${fmt(normal?.p99, 1)} ms`, '');
  row('', '', `FULL closed loop: ${fmt(results['SQLite FULL']?.visitRate, 0)} cmd/s`, '');
  row('', '', `disk fdatasync: p50 ${fmt(results.fsync?.p50, 1)} p99 ${fmt(results.fsync?.p99, 1)} ms`, '');
}
if (results.fanout) {
  const r = results.fanout;
  row(`fan-out to ${r.subscribers} subscribers`, `p99 ${fmt(r.p99FromSend, 1)} ms (p50 ${fmt(r.p50FromSend, 1)}) from "next"`,
    `from its answer: p99 ${fmt(r.p99, 1)} ms`, `p99 < 250 ms: ${r.p99FromSend < 250 ? 'ok' : 'ABOVE'}`);
  row('memory per subscriber', `${fmt(r.perSubscriberKb, 1)} KB`, `idle server ${fmt(r.rssBeforeMb, 1)} MB`, '');
}
if (results.startup) {
  const r = results.startup;
  row(`start-up, ${r.tickets} visits`, `${fmt(r.full.serving, 0)} ms to serving`, `no visits: ${fmt(r.anchor.serving, 0)} ms`,
    `< 2 s: ${r.full.serving < 2000 ? 'ok' : 'ABOVE'}`);
}
process.exit(0);
