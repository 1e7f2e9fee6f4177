// Network planning as an analyst sees it: POST /api/v1/network/analyze and /plan on a tiny
// hand-made instance whose answers can be worked out on paper, the GeoJSON and CSV renderings,
// the built-in Ukrainian settlements, bad input and the limits; and `vikno network analyze|plan`
// on CSV files. On SQLite and PostgreSQL (the routes do not touch the database, but they are
// composed into the same server).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, adminClient, databases, BIN } from './harness.mjs';

const SETTLEMENTS_FILE = new URL('../../data/geo/ua-settlements.csv', import.meta.url).pathname;

// Five settlements on paper (great-circle km, detour factor 1): A and B 7.2 km apart, C and D
// 7.2 km apart and ~72 km east of A, E ~66 km from A and C. One access point sits in A.
const settlements = [
  { id: 'A', name: 'Alpha', population: 1000, lat: 50.0, lon: 30.0, oblast: 'West' },
  { id: 'B', name: 'Beta', population: 500, lat: 50.0, lon: 30.1, oblast: 'West' },
  { id: 'C', name: 'Gamma', population: 2000, lat: 50.0, lon: 31.0, oblast: 'East' },
  { id: 'D', name: 'Delta', population: 300, lat: 50.0, lon: 31.1, oblast: 'East' },
  { id: 'E', name: 'Epsilon', population: 100, lat: 50.5, lon: 30.5, oblast: 'North' },
];
const points = [{ id: 'P1', name: 'ЦНАП Alpha', lat: 50.0, lon: 30.0, windows: 4 }];
const byId = Object.fromEntries(settlements.map((s) => [s.id, s]));

function km(a, b) {
  const r = 6371.0088;
  const rad = Math.PI / 180;
  const dlat = (b.lat - a.lat) * rad;
  const dlon = (b.lon - a.lon) * rad;
  const h = Math.sin(dlat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dlon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

const tiny = { settlements, points, detour_factor: 1, threshold_km: 14 };

for (const kind of databases()) {
  describe(`network planning API on ${kind}`, () => {
    let server;
    let admin;
    before(async () => {
      server = await new Server({ kind, env: { VIKNO_NETWORK_SETTLEMENTS: SETTLEMENTS_FILE } }).start();
      admin = await adminClient(server);
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    test('analyze: nearest point, share within 14 km, per-oblast shares, worst served', async () => {
      const res = await admin.post('/api/v1/network/analyze', tiny);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { summary } = res.body;
      assert.equal(summary.population, 3900);
      assert.equal(summary.covered_population, 1500); // A and B
      assert.ok(Math.abs(summary.share - 1500 / 3900) < 1e-9);
      assert.equal(summary.worst_served[0], 'D'); // the farthest from A
      assert.ok(Math.abs(summary.worst_km - km(byId.D, byId.A)) < 0.01);
      const oblasts = Object.fromEntries(summary.by_oblast.map((g) => [g.name, g]));
      assert.equal(oblasts.West.share, 1);
      assert.equal(oblasts.East.share, 0);
      const rows = Object.fromEntries(res.body.settlements.map((s) => [s.id, s]));
      assert.equal(rows.B.nearest, 'P1');
      assert.ok(Math.abs(rows.B.distance_km - km(byId.A, byId.B)) < 0.01);
      assert.equal(rows.B.within_threshold, true);
      assert.equal(rows.C.within_threshold, false);
      // 4 windows for the 1,500 people in the catchment: 2SFCA = 4 / 1500 per person.
      assert.ok(Math.abs(rows.A.access_2sfca_per_10k - (4 / 1500) * 1e4) < 1e-6);
      assert.equal(rows.C.access_2sfca_per_10k, 0);
    });

    test('the registry\'s centers as access points: active ones with coordinates, windows as capacity', async () => {
      const mk = async (body) => {
        const r = await admin.post('/api/v1/registry/centers', body);
        assert.equal(r.status, 201, JSON.stringify(r.body));
        return r.body;
      };
      const gamma = await mk({ code: 'net-gamma', name_uk: 'ЦНАП Гамма', latitude: 50.0, longitude: 31.0 });
      await mk({ code: 'net-nowhere', name_uk: 'ЦНАП без координат' }); // not an access point
      await mk({ code: 'net-planned', name_uk: 'ЦНАП майбутній', latitude: 50.0, longitude: 30.0, status: 'planned' });
      const windows = await admin.request('PUT', `/api/v1/centers/${gamma.id}/windows`, {
        version: gamma.version, windows: [{ number: 1 }, { number: 2 }, { number: 3 }],
      });
      assert.equal(windows.status, 200, JSON.stringify(windows.body));
      const res = await admin.post('/api/v1/network/analyze', { ...tiny, points: 'registry' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const rows = Object.fromEntries(res.body.settlements.map((s) => [s.id, s]));
      // Only Gamma counts (the planned one in Alpha does not): C and D are covered, A and B are not.
      assert.equal(rows.C.nearest, String(gamma.id));
      assert.equal(rows.A.nearest, String(gamma.id));
      assert.equal(rows.A.within_threshold, false);
      assert.equal(res.body.summary.covered_population, 2300);
      // 3 windows for the 2,300 people within reach of Gamma.
      assert.ok(Math.abs(rows.C.access_2sfca_per_10k - (3 / 2300) * 1e4) < 1e-6);
      const plan = await admin.post('/api/v1/network/plan', { ...tiny, points: 'registry', model: 'mclp', k: 1 });
      assert.equal(plan.status, 200, JSON.stringify(plan.body));
      assert.equal(plan.body.summary.covered_before, 2300);
      assert.equal(plan.body.summary.covered_after, 3800); // a site in Alpha or Beta adds both
      assert.ok(plan.body.sites.some((s) => s.id === String(gamma.id) && s.existing));
    });

    test('analyze as GeoJSON and CSV: map features and one row per settlement', async () => {
      const geo = await admin.post('/api/v1/network/analyze?format=geojson', tiny);
      assert.equal(geo.status, 200);
      assert.match(geo.headers.get('content-type'), /application\/geo\+json/);
      assert.equal(geo.body.type, 'FeatureCollection');
      assert.equal(geo.body.features.length, 5);
      const c = geo.body.features.find((f) => f.properties.id === 'C');
      assert.deepEqual(c.geometry, { type: 'Point', coordinates: [31.0, 50.0] }); // lon, lat
      assert.equal(c.properties.within_threshold, false);
      assert.equal(geo.body.summary.covered_population, 1500);

      const csv = await admin.post('/api/v1/network/analyze?format=csv', tiny);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type'), /text\/csv/);
      const lines = csv.body.trim().split('\n');
      assert.equal(lines[0], 'id,name,population,nearest,distance_km,within_threshold,access_2sfca,access_e2sfca');
      assert.equal(lines.length, 6);
      assert.match(lines.find((l) => l.startsWith('B,')), /^B,Beta,500,P1,7\.1\d\d,1,/);
    });

    test('plan: MCLP, p-median, p-center and LSCP give the answers worked out by hand', async () => {
      const mclp = await admin.post('/api/v1/network/plan', { ...tiny, model: 'mclp', k: 1 });
      assert.equal(mclp.status, 200, JSON.stringify(mclp.body));
      assert.equal(mclp.body.summary.covered_before, 1500);
      assert.equal(mclp.body.summary.covered_after, 3800); // C or D reaches both of them
      assert.equal(mclp.body.summary.objective, 3800);
      const added = mclp.body.sites.filter((s) => !s.existing).map((s) => s.id);
      assert.equal(added.length, 1);
      assert.ok(['C', 'D'].includes(added[0]), added[0]);
      assert.ok(mclp.body.sites.some((s) => s.id === 'P1' && s.existing));

      const two = await admin.post('/api/v1/network/plan', { ...tiny, model: 'mclp', k: 2 });
      assert.equal(two.body.summary.covered_after, 3900);

      // p-median: C, not D, since C's 2,000 people would otherwise travel the 7.2 km.
      const median = await admin.post('/api/v1/network/plan', { ...tiny, model: 'p-median', k: 1 });
      assert.equal(median.status, 200);
      assert.deepEqual(median.body.sites.filter((s) => !s.existing).map((s) => s.id), ['C']);

      // p-center: with C (or D) open, the worst served is E, as far from A as it was.
      const center = await admin.post('/api/v1/network/plan', { ...tiny, model: 'p-center', k: 1 });
      assert.equal(center.status, 200);
      assert.ok(Math.abs(center.body.summary.objective - km(byId.E, byId.A)) < 0.01);

      // LSCP: C-or-D and E need a point each.
      const lscp = await admin.post('/api/v1/network/plan', { ...tiny, model: 'lscp' });
      assert.equal(lscp.status, 200);
      assert.equal(lscp.body.summary.new_sites, 2);
      assert.equal(lscp.body.summary.covered_population, 3900);

      const exact = await admin.post('/api/v1/network/plan', { ...tiny, model: 'mclp', k: 1, exact: true });
      assert.equal(exact.status, 200, JSON.stringify(exact.body));
      assert.equal(exact.body.summary.objective, 3800);
      assert.match(exact.body.summary.method, /glpk/);
    });

    test('plan as GeoJSON places the proposed sites; CSV lists them', async () => {
      const geo = await admin.post('/api/v1/network/plan?format=geojson', { ...tiny, model: 'p-median', k: 1 });
      assert.equal(geo.status, 200);
      assert.equal(geo.body.type, 'FeatureCollection');
      const proposed = geo.body.features.filter((f) => !f.properties.existing);
      assert.equal(proposed.length, 1);
      assert.deepEqual(proposed[0].geometry.coordinates, [31.0, 50.0]);
      assert.equal(proposed[0].properties.name, 'Gamma');

      const csv = await admin.post('/api/v1/network/plan?format=csv', { ...tiny, model: 'p-median', k: 1 });
      assert.deepEqual(csv.body.trim().split('\n'), [
        'site,name,existing,new,lat,lon',
        'P1,ЦНАП Alpha,1,0,50.00000,30.00000',
        'C,Gamma,0,1,50.00000,31.00000',
      ]);
    });

    test('built-in settlements: all of Ukraine against one point in Kyiv', async () => {
      const res = await admin.post('/api/v1/network/analyze', {
        settlements: 'builtin',
        points: [{ id: 'kyiv', name: 'Київ', lat: 50.4547, lon: 30.5238 }],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
      assert.ok(res.body.summary.settlements > 2500);
      assert.ok(res.body.summary.covered_population > 2.7e6); // Kyiv itself
      assert.ok(res.body.summary.share < 0.25);
      const plan = await admin.post('/api/v1/network/plan', {
        settlements: 'builtin', points: [], model: 'mclp', k: 5, restarts: 0,
      });
      assert.equal(plan.status, 200, JSON.stringify(plan.body).slice(0, 500));
      // Five cities of a million or more (or nearly) are each one site.
      assert.ok(plan.body.summary.covered_after > 7e6, plan.body.summary.covered_after);
    });

    test('bad input: every problem by field or line, 400, nothing computed', async () => {
      const noCoords = await admin.post('/api/v1/network/analyze', {
        settlements: [settlements[0], { id: 'X', population: 10, lat: 50 }, { id: 'Y', population: -1, lat: 50, lon: 30 }],
        points,
      });
      assert.equal(noCoords.status, 400);
      assert.equal(noCoords.body.error.code, 'invalid_network_input');
      const problems = noCoords.body.error.details.problems;
      assert.ok(problems.some((p) => p.field === 'settlements[1].lon' && /without coordinates/.test(p.problem)));
      assert.ok(problems.some((p) => p.field === 'settlements[2].population' && /negative/.test(p.problem)));

      const csv = await admin.post('/api/v1/network/analyze', {
        settlements: 'id,name,population,lat,lon\nA,ok,10,50,30\nB,bad,-5,50,30\nC,nowhere,5,,\n',
        points: 'id,name,lat,lon\nP,p,50,30\n',
      });
      assert.equal(csv.status, 400);
      const lines = csv.body.error.details.problems.map((p) => [p.field, p.line]);
      assert.deepEqual(lines, [['settlements.population', 3], ['settlements.lat', 4]]);

      const tooMany = await admin.post('/api/v1/network/plan', {
        ...tiny, candidates: [{ id: 'c1', lat: 50, lon: 31 }, { id: 'c2', lat: 50, lon: 32 }], k: 3,
      });
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.body.error.code, 'k_exceeds_candidates');

      const capped = await admin.post('/api/v1/network/plan', { ...tiny, k: 500 });
      assert.equal(capped.status, 400);
      assert.match(capped.body.error.message, /k.*from 0 to 100/);

      const typo = await admin.post('/api/v1/network/analyze', { ...tiny, treshold_km: 10 });
      assert.equal(typo.status, 400);
      assert.equal(typo.body.error.details.problems[0].field, 'treshold_km');

      const format = await admin.post('/api/v1/network/analyze?format=xml', tiny);
      assert.equal(format.status, 400);

      const noPoints = await admin.post('/api/v1/network/analyze', { settlements });
      assert.equal(noPoints.status, 400);
      assert.equal(noPoints.body.error.details.problems[0].field, 'points');
    });

    test('limits: an instance too large for the server is refused with the limit named', async () => {
      const res = await admin.post('/api/v1/network/plan', { settlements: 'builtin', model: 'lscp' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'network_input_too_large');
      assert.match(res.body.error.message, /at most 3000000/);
      const exact = await admin.post('/api/v1/network/plan', { settlements: 'builtin', k: 1, exact: true });
      assert.equal(exact.status, 400);
      assert.match(exact.body.error.message, /exact mclp plan takes at most 250000/);
    });

    test('only signed-in staff may call the network API', async () => {
      const anonymous = new Client(server);
      assert.equal((await anonymous.post('/api/v1/network/analyze', tiny)).status, 401);
      assert.equal((await anonymous.post('/api/v1/network/plan', tiny)).status, 401);
    });
  });
}

describe('network planning API without the settlements file', () => {
  let server;
  before(async () => {
    server = await new Server({ env: { VIKNO_NETWORK_SETTLEMENTS: '/nonexistent/settlements.csv' } }).start();
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  test('"builtin" is a clear 404 while inline settlements still work', async () => {
    const admin = await adminClient(server);
    const res = await admin.post('/api/v1/network/analyze', { settlements: 'builtin', points });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'builtin_settlements_missing');
    assert.equal((await admin.post('/api/v1/network/analyze', tiny)).status, 200);
  });
});

describe('vikno network analyze and plan on CSV files', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vikno-network-'));
    const rows = settlements.map((s) => [s.id, s.name, s.population, s.lat, s.lon, s.oblast].join(','));
    writeFileSync(join(dir, 'settlements.csv'), ['id,name,population,lat,lon,oblast', ...rows].join('\n') + '\n');
    writeFileSync(join(dir, 'points.csv'), 'id,name,lat,lon,windows\nP1,Alpha,50,30,4\n');
    writeFileSync(join(dir, 'bad.csv'), 'id,name,population,lat,lon\nA,ok,10,50,30\nB,bad,-5,50,30\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args) => execFileSync(BIN, ['network', ...args], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });

  test('analyze prints the coverage summary and writes CSV', () => {
    const out = JSON.parse(run(['analyze', '--settlements', 'settlements.csv', '--points', 'points.csv', '--detour', '1']));
    assert.equal(out.summary.covered_population, 1500);
    assert.equal(out.summary.worst_served[0], 'D');
    run(['analyze', '--settlements', 'settlements.csv', '--points', 'points.csv', '--detour', '1', '--format', 'csv',
      '--out', 'analysis.csv']);
    const lines = readFileSync(join(dir, 'analysis.csv'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 6);
    assert.match(lines[3], /^C,Gamma,2000,P1,71\.\d+,0,/);
  });

  test('plan picks the site worked out by hand, as GeoJSON too', () => {
    const common = ['plan', '--settlements', 'settlements.csv', '--points', 'points.csv', '--candidates', 'settlements.csv',
      '--detour', '1'];
    const median = JSON.parse(run([...common, '--model', 'p-median', '-k', '1']));
    assert.deepEqual(median.sites.filter((s) => !s.existing).map((s) => s.id), ['C']);
    const mclp = JSON.parse(run([...common, '--model', 'mclp', '-k', '1', '--format', 'geojson']));
    assert.equal(mclp.type, 'FeatureCollection');
    assert.equal(mclp.summary.covered_after, 3800);
    const exact = JSON.parse(run([...common, '--model', 'lscp', '--exact']));
    assert.equal(exact.summary.new_sites, 2);
  });

  test('a bad file fails with its line numbers and no output', () => {
    let error;
    try {
      run(['analyze', '--settlements', 'bad.csv', '--points', 'points.csv']);
    } catch (e) {
      error = e;
    }
    assert.ok(error, 'the command should fail');
    assert.equal(error.status, 2);
    assert.equal(error.stdout, '');
    assert.match(error.stderr, /line 3: population: negative population/);
  });
});
