#!/usr/bin/env node
// The web front end's figures (part of `make bench`, VIKNO_BENCH_ONLY=web), node only:
//  1. what each page loads on a first visit, gzip-compressed, from web/dist's Vite manifest (the
//     entry, the page's own chunk and every chunk either imports, with their CSS), next to the
//     150 KB budget of the kiosk and the tracking page;
//  2. the display board's JavaScript heap over "an hour" of calls, one a second, simulated quickly:
//     the real server (tests/integration/harness.mjs, a fresh SQLite database, 127.0.0.1 only),
//     Debian's Chromium on /display?device=TOKEN, ~3,600 calls made through the API (issue, next,
//     finish by two administrators), the heap measured after a forced GC (DevTools protocol) every
//     ~300 calls; it says whether the heap keeps growing (the median of the last third against the
//     first third's). No figure is asserted. VIKNO_BENCH_WEB_CALLS changes the number of calls;
//     VIKNO_BIN the server binary (default build/release/src/cli/vikno).
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'web', 'dist');
const BUDGET_KB = 150;
const BUDGETED = new Set(['kiosk', 'track']);

// --- 1. bytes per page -----------------------------------------------------------------------------
function pageSizes() {
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error('web/dist is not built (cd web && npm run build)');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  const closure = (key, seen = new Set()) => {
    if (seen.has(key) || !manifest[key]) return seen;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) closure(dep, seen);
    return seen;
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  const rows = [];
  for (const key of Object.keys(manifest).filter((k) => manifest[k].isDynamicEntry)) {
    const files = new Set();
    for (const k of new Set([...closure(entry), ...closure(key)])) {
      files.add(manifest[k].file);
      for (const css of manifest[k].css ?? []) files.add(css);
    }
    const sum = (ext) => [...files].filter((f) => f.endsWith(ext)).reduce((n, f) => n + gz(f), 0);
    const name = key.replace(/^src\/pages\//, '').replace(/\.tsx$/, '').split('/').pop().toLowerCase();
    rows.push({ name, js: sum('.js'), css: sum('.css') });
  }
  rows.sort((a, b) => a.name.localeCompare(b.name));
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
  console.log('=== web: bytes a first visit loads (gzip -9), from web/dist ===');
  console.log(`${'page'.padEnd(12)} ${'JS'.padStart(9)} ${'CSS'.padStart(9)} ${'total'.padStart(9)}  budget`);
  for (const r of rows) {
    const total = r.js + r.css;
    const budget = BUDGETED.has(r.name) ? `< ${BUDGET_KB} KB: ${total < BUDGET_KB * 1024 ? 'ok' : 'ABOVE'}` : '';
    console.log(`${r.name.padEnd(12)} ${kb(r.js)} ${kb(r.css)} ${kb(total)}  ${budget}`);
  }
}

// --- 2. the display board's memory over an hour of calls ------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function displayMemory() {
  const calls = Number(process.env.VIKNO_BENCH_WEB_CALLS ?? 3600);
  const every = Math.max(1, Math.round(calls / 12));
  const { launchBrowser, setUpCenter, startServer, administratorAt } = await import('../tests/e2e/support.mjs');
  const server = await startServer({ VIKNO_LISTEN: '127.0.0.1' }); // loopback only
  let browser;
  try {
    const setup = await setUpCenter(server);
    const q = (p) => `/api/v1/centers/${setup.center.id}/queue${p}`;
    browser = await launchBrowser();
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    // The board asks the server for each call's recording; that is the server's work, not the page's.
    await page.route('**/queue/announcement*', (route) => route.fulfill({ status: 204 }));
    await page.goto(`${server.url}/display?device=${setup.displayToken}`);
    await page.waitForSelector('.board-main', { timeout: 20000 });
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const ivan = await administratorAt(server, setup.center, 1);
    const samples = [{ calls: 0, bytes: await heap() }];
    const started = Date.now();
    console.log(`\n=== web: the display board's JS heap over ${calls} calls (after a forced GC) ===`);
    console.log(`${'calls'.padStart(6)} ${'heap'.padStart(10)} ${'DOM nodes'.padStart(10)}`);
    const show = async (s) => {
      const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
      console.log(`${String(s.calls).padStart(6)} ${(s.bytes / 1024 / 1024).toFixed(2).padStart(7)} MB ${String(nodes).padStart(10)}`);
    };
    await show(samples[0]);
    for (let i = 1; i <= calls; i++) {
      const issued = await setup.kiosk.post(q('/tickets'), { group_id: setup.passports.id, purpose: 'consultation' });
      if (issued.status !== 201) throw new Error(`issue: ${issued.status} ${JSON.stringify(issued.body)}`);
      const called = await ivan.client.post(q('/desk/next'));
      if (called.status !== 200 || !called.body.ticket) throw new Error(`next: ${called.status} ${JSON.stringify(called.body)}`);
      const done = await ivan.client.post(q(`/tickets/${called.body.ticket.id}/finish`), { outcome: 'other' });
      if (done.status !== 200) throw new Error(`finish: ${done.status}`);
      if (i % every === 0 || i === calls) {
        // The board has seen the last call before it is measured.
        await page.waitForSelector(`[data-testid="recent"] td:text-is("${called.body.ticket.number}")`, { timeout: 20000 }).catch(() => {});
        const s = { calls: i, bytes: await heap() };
        samples.push(s);
        await show(s);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const third = Math.max(1, Math.floor(samples.length / 3));
    const first = median(samples.slice(0, third).map((s) => s.bytes));
    const last = median(samples.slice(-third).map((s) => s.bytes));
    const growth = (last - first) / first;
    console.log(
      `${calls} calls in ${seconds.toFixed(0)} s; heap median first third ${(first / 1048576).toFixed(2)} MB, ` +
        `last third ${(last / 1048576).toFixed(2)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%): ` +
        (growth > 0.2 ? 'KEEPS GROWING' : 'flat (no growth beyond 20%)'),
    );
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
    server.cleanup();
  }
}

pageSizes();
if (process.env.VIKNO_BENCH_WEB_SKIP_MEMORY) process.exit(0);
await displayMemory();
