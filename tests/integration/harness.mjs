// Test harness for the integration tests: starts the real `vikno` binary on a fresh database
// (SQLite in a temporary folder, or a new database in the throwaway PostgreSQL cluster that
// scripts/test.sh started), waits until it serves, and talks HTTP to it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const BIN = process.env.VIKNO_BIN ?? new URL('../../build/release/src/cli/vikno', import.meta.url).pathname;
export const ADMIN_PASSWORD = 'admin-password-for-tests';

// The databases every suite runs on: SQLite always, PostgreSQL when the cluster is there.
export function databases() {
  const out = ['sqlite'];
  if (process.env.VIKNO_TEST_PG_URL) out.push('postgresql');
  return out;
}

// A fresh, empty database of the given kind; returns its URL.
export function freshDatabase(kind, dir) {
  if (kind === 'sqlite') return `sqlite:${join(dir, 'vikno.db')}`;
  const base = process.env.VIKNO_TEST_PG_URL;
  const name = 'it_' + randomBytes(6).toString('hex');
  execFileSync('psql', [base, '-q', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  return base.replace(/\/vikno\?/, `/${name}?`);
}

export class Server {
  // adminPassword: given to the first start through VIKNO_ADMIN_PASSWORD; null lets vikno generate one.
  // prefix: a command that runs vikno (e.g. ['prlimit', '--nofile=200:200']); it must exec it, so
  // that the process is vikno's.
  constructor({ kind = 'sqlite', env = {}, args = [], db, dir, adminPassword = ADMIN_PASSWORD, prefix = [] } = {}) {
    this.kind = kind;
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'vikno-it-'));
    this.adminPassword = adminPassword;
    this.db = db ?? freshDatabase(kind, this.dir);
    this.env = env;
    this.args = args;
    this.prefix = prefix;
    this.output = '';
  }

  async start() {
    this.output = ''; // a restart must wait for its own "serving" line
    // Suites issue tickets from one kiosk far faster than a person takes them: the per-device
    // limit is lifted unless a suite sets it (hardening-data.test.mjs does).
    const env = {
      ...process.env, VIKNO_DEMO: 'false', VIKNO_KIOSK_ISSUES_PER_MINUTE: '1000000', VIKNO_KIOSK_ISSUE_BURST: '1000000',
      ...this.env,
    };
    delete env.VIKNO_ADMIN_PASSWORD;
    if (this.adminPassword !== null) env.VIKNO_ADMIN_PASSWORD = this.adminPassword;
    const command = [...this.prefix, BIN, 'serve', '--db', this.db, '--port', '0', '--static-dir', join(this.dir, 'no-web'), ...this.args];
    this.proc = spawn(command[0], command.slice(1), {
      cwd: this.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.watchers = new Set();
    this.closed = false; // the process ended and all its output is read
    // Only this process's output counts: one killed before a restart may still be closing.
    const proc = this.proc;
    const collect = (chunk) => {
      if (this.proc !== proc) return;
      this.output += chunk.toString();
      for (const w of [...this.watchers]) w();
    };
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    proc.on('close', () => {
      if (this.proc !== proc) return;
      this.closed = true;
      for (const w of [...this.watchers]) w(true);
    });
    try {
      // The demo and argon2 hashing are slow on a loaded machine.
      const m = await this.waitForOutput(/"msg":"serving","url":"(http:\/\/[^"]+)"/, 60000);
      this.url = m[1];
      return this;
    } catch (e) {
      throw new Error(`vikno did not start: ${e.message}`);
    }
  }

  // Resolves with the match as soon as the server's output (stdout and stderr) matches `re`; fails
  // when the process ends first or after timeoutMs. Reacts to each chunk of output, never polls.
  waitForOutput(re, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      let timer;
      const watch = (ended = false) => {
        const m = this.output.match(re);
        if (!m && !ended) return;
        this.watchers.delete(watch);
        clearTimeout(timer);
        if (m) resolve(m);
        else reject(new Error(`vikno ended before printing ${re}:\n${this.output}`));
      };
      timer = setTimeout(() => {
        this.watchers.delete(watch);
        reject(new Error(`vikno printed no ${re} within ${timeoutMs} ms:\n${this.output}`));
      }, timeoutMs);
      this.watchers.add(watch);
      watch(this.closed);
    });
  }

  // SIGTERM and wait; returns {code, signal}.
  async stop() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    const result = await this.exited;
    return result;
  }

  async kill() {
    this.proc.kill('SIGKILL');
    return this.exited;
  }

  cleanup() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  // Runs another vikno subcommand on the same database; returns {status, stdout, stderr}.
  cli(args, env = {}) {
    try {
      const dbArgs = args.includes('--db') ? [] : ['--db', this.db];
      const stdout = execFileSync(BIN, [...dbArgs, ...args], {
        cwd: this.dir, env: { ...process.env, ...env }, stdio: 'pipe', encoding: 'utf8',
      });
      return { status: 0, stdout, stderr: '' };
    } catch (e) {
      return { status: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }
}

// A staff client: keeps the session cookie and the CSRF token like the front end does.
export class Client {
  constructor(server) {
    this.server = server;
    this.cookie = null;
    this.csrf = null;
    this.bearer = null;
  }

  async login(login, password) {
    const res = await this.request('POST', '/api/v1/auth/login', { login, password });
    if (res.status === 200) this.csrf = res.body.csrf_token;
    return res;
  }

  async request(method, path, body, headers = {}) {
    const h = { ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(this.server.url + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body); }
  del(path) { return this.request('DELETE', path); }
}

export async function adminClient(server) {
  const c = new Client(server);
  const res = await c.login('admin', ADMIN_PASSWORD);
  if (res.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(res.body)}`);
  return c;
}
