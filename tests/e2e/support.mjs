// Browser tests: the real `vikno` binary serving the built front end (web/dist) on a fresh SQLite
// database, and Debian's Chromium driven by playwright-core (never a downloaded browser).
// playwright-core and axe-core are dev dependencies of web/ (one lockfile), loaded from there.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { Server, Client, adminClient } from '../integration/harness.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const WEB_DIST = join(root, 'web', 'dist');
export const SCREENSHOTS = join(root, 'build', 'e2e-screenshots');
export const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');
export const CHROMIUM = process.env.VIKNO_CHROMIUM ?? '/usr/bin/chromium';

// The flags that keep Chromium quiet on a machine with no network but loopback; playwright gives
// every launch a new empty profile (--user-data-dir) and adds --headless and --no-sandbox.
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // A display board's browser is started so: calls are announced without a tap.
  '--autoplay-policy=no-user-gesture-required',
];

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (scripts/setup.sh installs Debian's chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS });
}

// The server with the built front end. The harness always passes --static-dir <dir>/no-web, so
// that path is made a link to web/dist. `args`: more flags for `vikno serve` (--test-clock).
export async function startServer(env = {}, args = []) {
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('web/dist is not built: run `npm run build` in web/');
  const dir = mkdtempSync(join(tmpdir(), 'vikno-e2e-'));
  symlinkSync(WEB_DIST, join(dir, 'no-web'));
  return new Server({ dir, env, args }).start();
}

// Moves the server's clock on (a server started with --test-clock; `admin` a system admin's
// Client): a wait past a target without waiting for it.
export async function advanceClock(admin, ms) {
  const r = await admin.post('/api/v1/test/clock', { advance_ms: ms });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

// Collects on page.problems every script error and every console error (which includes what the
// Content-Security-Policy refused), except the 401 that /auth/me answers a staff page opened before
// signing in (that is how it learns to show the sign-in form; Chromium logs it).
export function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !(m.location().url.endsWith('/api/v1/auth/me') && m.text().includes('401'))) {
      problems.push(m.text());
    }
  });
  page.problems = problems;
  return page;
}

// Closes what a test file opened: its browser contexts, the browser, then the server.
export async function closeAll({ contexts, browser, server }) {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  if (server) {
    await server.stop();
    server.cleanup();
  }
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// axe-core in the page: the violations that are serious or critical. Evaluated through the
// DevTools protocol, as the pages' Content-Security-Policy refuses inline scripts.
let axeSource;
export async function axeViolations(page) {
  axeSource ??= readFileSync(AXE_SCRIPT, 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}

// A center with two service groups, three windows, an administrator and a kiosk and a display
// board, made over the API as an operator would.
export async function setUpCenter(server) {
  const admin = await adminClient(server);
  const ok = (r, status = 201) => {
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body;
  };
  const provider = ok(await admin.post('/api/v1/registry/providers', { code: 'dmsu', name_uk: 'ДМС', kind: 'state_body' }));
  const passports = ok(await admin.post('/api/v1/registry/groups', {
    code: 'passports', name_uk: 'Паспорти', name_en: 'Passports', ticket_letter: 'П', sort_order: 1,
  }));
  const social = ok(await admin.post('/api/v1/registry/groups', {
    code: 'social', name_uk: 'Соціальні послуги', name_en: 'Social services', ticket_letter: 'С', sort_order: 2,
  }));
  for (const [identifier, group, minutes] of [['passport', passports, 20], ['subsidy', social, 10]]) {
    ok(await admin.post('/api/v1/registry/services', {
      identifier, group_id: group.id, provider_id: provider.id, title_uk: `Послуга ${identifier}`, typical_minutes: minutes,
    }));
  }
  const center = ok(await admin.post('/api/v1/registry/centers', {
    code: 'e2e', name_uk: 'ЦНАП Кропивницький', name_en: 'Kropyvnytskyi ASC',
  }));
  const fresh = ok(await admin.get(`/api/v1/catalog/centers/${center.id}`), 200);
  const w = ok(await admin.request('PUT', `/api/v1/centers/${center.id}/windows`, {
    version: fresh.version, windows: [1, 2, 3].map((n) => ({ number: n, label: `Вікно ${n}` })),
  }), 200);
  ok(await admin.request('PUT', `/api/v1/centers/${center.id}/services`, { version: w.version, services: ['passport', 'subsidy'] }), 200);
  ok(await admin.post('/api/v1/users', {
    login: 'ivan', name: 'Іван Петренко', role: 'administrator', centers: [center.id], password: 'password-ivan',
  }));
  const me = ok(await admin.get(`/api/v1/centers/${center.id}/skills`), 200).staff.find((x) => x.login === 'ivan');
  ok(await admin.request('PUT', `/api/v1/centers/${center.id}/staff/${me.user_id}/skills`, {
    version: me.version, skills: [{ group_id: passports.id, level: 'primary' }, { group_id: social.id, level: 'secondary' }],
  }), 200);
  const device = async (purpose) =>
    ok(await admin.post(`/api/v1/centers/${center.id}/devices`, { purpose, label: `${purpose} e2e` })).token;
  const kiosk = new Client(server);
  kiosk.bearer = await device('kiosk');
  return { admin, center, passports, social, kioskToken: kiosk.bearer, kiosk, displayToken: await device('display') };
}

// Ivan at a window, ready to call.
export async function administratorAt(server, center, windowNumber) {
  const c = new Client(server);
  const r = await c.login('ivan', 'password-ivan');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const q = (p) => `/api/v1/centers/${center.id}/queue${p}`;
  const desk = (await c.get(q('/desk'))).body;
  const w = desk.windows.find((x) => x.number === windowNumber);
  const s = await c.post(q('/desk/sign-in'), { window_id: w.id });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  return { client: c, q };
}

// A TCP relay in front of the server, to cut a browser's connections as a dropped network would
// (every open socket closed, new ones refused) and to bring them back.
export async function relay(targetUrl) {
  const target = new URL(targetUrl);
  const open = new Set();
  let refusing = false;
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    const pair = [client, upstream];
    const end = () => {
      for (const s of pair) {
        s.destroy();
        open.delete(s);
      }
    };
    for (const s of pair) {
      open.add(s);
      s.on('error', end);
      s.on('close', end);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut() {
      refusing = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      refusing = false;
    },
    close() {
      this.cut();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
