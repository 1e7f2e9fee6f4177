// What each page costs a browser on its first visit: the entry, the page's own chunk and every
// chunk they import, with their CSS, gzipped. Reads dist/.vite/manifest.json (npm run build).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key].imports ?? []) closure(dep, seen);
  return seen;
}

const entry = 'index.html';
const pages = Object.keys(manifest).filter((k) => manifest[k].isDynamicEntry);
const rows = [];
for (const page of pages) {
  const files = new Set();
  for (const key of new Set([...closure(entry), ...closure(page)])) {
    files.add(manifest[key].file);
    for (const css of manifest[key].css ?? []) files.add(css);
  }
  const js = [...files].filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(f), 0);
  const css = [...files].filter((f) => f.endsWith('.css')).reduce((n, f) => n + gz(f), 0);
  rows.push([page.replace(/^src\/pages\//, ''), js, css]);
}
const kb = (n) => (n / 1024).toFixed(1).padStart(6) + ' kB';
console.log('page (gzip, first visit)            JS       CSS     total');
for (const [name, js, css] of rows.sort()) console.log(`${name.padEnd(30)} ${kb(js)} ${kb(css)} ${kb(js + css)}`);
