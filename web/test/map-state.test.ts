import { describe, expect, it } from 'vitest';
import {
  accessPointsFromCatalog,
  applyKey,
  boundsOf,
  centerOn,
  clampK,
  distanceClass,
  dotRadius,
  downloadDocument,
  drawOrder,
  findPlaces,
  fit,
  formatCount,
  formatKmNumber,
  formatShare,
  keyAction,
  parseAnalysis,
  parsePlan,
  parseTilesParam,
  pointsOfPlan,
  project,
  R_MAX,
  R_MIN,
  shares,
  sortGroups,
  tilesFor,
  toScreen,
  toWorld,
  unproject,
  wheelFactor,
  zoomAt,
  zoomLimits,
  type GroupRow,
  type Place,
} from '../src/pages/map/state';
import { translate } from '../src/i18n';

// A reply of POST /network/analyze?format=geojson as src/network/report.cpp writes it (shortened).
const analysisDoc = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [30.5238, 50.45466] },
      properties: { id: '703448', name: 'Київ', population: 2797553, nearest: '1', distance_km: 0.759, within_threshold: true },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [24.0297, 49.8397] },
      properties: { id: '702550', name: 'Львів', population: 717803, nearest: '2', distance_km: 0.2, within_threshold: true },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [33.5, 44.6] },
      properties: { id: '9', name: 'Завітне', population: 1175, nearest: '1', distance_km: 958.02, within_threshold: false },
    },
    {
      type: 'Feature',
      geometry: null,
      properties: { id: 'x', name: 'nowhere', population: 5, nearest: '', distance_km: null, within_threshold: false },
    },
  ],
  summary: {
    threshold_km: 14,
    settlements: 4,
    access_points: 2,
    population: 3516531,
    covered_population: 3515356,
    share: 0.99966,
    worst_km: 958.02,
    by_hromada: [],
    by_raion: [],
    by_oblast: [
      { name: 'Львівська область', settlements: 1, population: 717803, covered_population: 717803, share: 1, worst_km: 0.2 },
      { name: 'Автономна Республіка Крим', settlements: 1, population: 1175, covered_population: 0, share: 0, worst_km: 958 },
      { name: 'місто Київ', settlements: 1, population: 2797553, covered_population: 2797553, share: 1, worst_km: null },
    ],
    worst_served: ['9', '703448'],
  },
};

const planDoc = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [30.52, 50.45] }, properties: { id: '1', name: 'ЦНАП Київ', existing: true } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [37.9, 48.0] }, properties: { id: '702320', name: 'Макіївка', existing: false } },
  ],
  summary: {
    model: 'mclp',
    k: 1,
    new_sites: 1,
    objective: 7372788,
    method: 'greedy+teitz-bart+2 restarts',
    radius_km: 14,
    population: 32803100,
    covered_before: 3541800,
    covered_after: 7372788,
    unreachable: [],
  },
};

const place = (over: Partial<Place>): Place => ({
  id: 'p',
  name: 'p',
  population: 100,
  lon: 30,
  lat: 50,
  nearest: '1',
  km: 5,
  ...over,
});

describe('reading the server', () => {
  it('takes each settlement with its nearest point and distance, and the summary', () => {
    const a = parseAnalysis(analysisDoc);
    expect(a.places).toHaveLength(3); // the feature without geometry is not drawn
    expect(a.places[0]).toEqual({ id: '703448', name: 'Київ', population: 2797553, lon: 30.5238, lat: 50.45466, nearest: '1', km: 0.759 });
    expect(a.summary.population).toBe(3516531);
    expect(a.summary.share).toBeCloseTo(0.99966);
    expect(a.summary.thresholdKm).toBe(14);
    expect(a.summary.byOblast.map((g) => g.name)).toEqual(['Львівська область', 'Автономна Республіка Крим', 'місто Київ']);
    expect(a.summary.byOblast[2]!.worstKm).toBeNull();
    expect(a.summary.worstServed).toEqual(['9', '703448']);
  });

  it('refuses what is not a FeatureCollection', () => {
    expect(() => parseAnalysis({ summary: {}, settlements: [] })).toThrow(/FeatureCollection/);
    expect(() => parsePlan(null)).toThrow();
  });

  it('takes the plan: existing and new sites apart, coverage before and after', () => {
    const p = parsePlan(planDoc);
    expect(p.sites.map((s) => [s.id, s.existing])).toEqual([
      ['1', true],
      ['702320', false],
    ]);
    expect(p.summary.newSites).toBe(1);
    const sh = shares(p.summary);
    expect(sh.before).toBeCloseTo(3541800 / 32803100);
    expect(sh.after).toBeCloseTo(7372788 / 32803100);
    expect(sh.after).toBeGreaterThan(sh.before);
    expect(shares({ ...p.summary, population: 0 })).toEqual({ before: 0, after: 0 });
  });

  it('the plan as points of a second analysis: new sites get an id that cannot meet a registry id', () => {
    expect(pointsOfPlan(parsePlan(planDoc)).map((x) => x.id)).toEqual(['1', 'new-702320']);
  });

  it('the access points of the catalog are the active ones with coordinates, as the analysis takes them', () => {
    const points = accessPointsFromCatalog({
      centers: [
        { id: 1, name_uk: 'ЦНАП Київ', name_en: '', kind: 'center', status: 'active', latitude: 50.45, longitude: 30.52 },
        { id: 2, name_uk: 'Без координат', kind: 'center', status: 'active', latitude: null, longitude: null },
        { id: 3, name_uk: 'Заплановано', kind: 'branch', status: 'planned', latitude: 49, longitude: 24 },
      ],
    });
    expect(points).toEqual([{ id: '1', nameUk: 'ЦНАП Київ', nameEn: '', kind: 'center', lon: 30.52, lat: 50.45 }]);
    expect(accessPointsFromCatalog({})).toEqual([]);
  });
});

describe('distance classes and dots', () => {
  it('within 14 km, 14-30 km, over 30 km, and unreachable', () => {
    expect(distanceClass(0)).toBe('near');
    expect(distanceClass(14)).toBe('near');
    expect(distanceClass(14.01)).toBe('mid');
    expect(distanceClass(30)).toBe('mid');
    expect(distanceClass(30.5)).toBe('far');
    expect(distanceClass(null)).toBe('none');
    expect(distanceClass(undefined)).toBe('none');
    expect(distanceClass(Infinity)).toBe('none');
  });

  it('dot area grows with population (square root), within the limits', () => {
    expect(dotRadius(0, 1000)).toBe(R_MIN);
    expect(dotRadius(1000, 1000)).toBe(R_MAX);
    const quarter = dotRadius(250, 1000) - R_MIN;
    expect(quarter).toBeCloseTo((R_MAX - R_MIN) / 2); // a quarter of the people, half the radius
    expect(dotRadius(5000, 1000)).toBe(R_MAX);
    expect(dotRadius(10, 0)).toBe(R_MIN);
    expect(dotRadius(1000, 1000, 4)).toBeCloseTo(R_MAX * 2); // zoomed in 4x: twice as big
    expect(dotRadius(1000, 1000, 100)).toBeCloseTo(R_MAX * 2.5); // and no more than 2.5x
  });

  it('big settlements are drawn first, so small ones stay on top', () => {
    const places = [place({ population: 5 }), place({ population: 500 }), place({ population: 50 })];
    expect(drawOrder(places)).toEqual([1, 2, 0]);
  });
});

describe('projection and view', () => {
  it('equirectangular with longitude scaled by cos 48.5°; north is up', () => {
    const [x, y] = project('plain', 30, 50);
    expect(x).toBeCloseTo(30 * Math.cos((48.5 * Math.PI) / 180));
    expect(y).toBe(-50);
    expect(unproject('plain', x, y)).toEqual([expect.closeTo(30, 9), 50]);
    // Kyiv is north of Odesa: a smaller y on screen.
    expect(project('plain', 30.5, 50.45)[1]).toBeLessThan(project('plain', 30.7, 46.48)[1]);
  });

  it('Web Mercator on the unit square when tiles are used, and back', () => {
    expect(project('mercator', 0, 0)).toEqual([0.5, expect.closeTo(0.5, 12)]);
    const [x, y] = project('mercator', 30.52, 50.45);
    const [lon, lat] = unproject('mercator', x, y);
    expect(lon).toBeCloseTo(30.52, 9);
    expect(lat).toBeCloseTo(50.45, 9);
  });

  it('fits the bounding box in the middle of the screen, keeping the aspect ratio', () => {
    const b = boundsOf([
      [0, 0],
      [10, 5],
    ])!;
    const v = fit(b, { width: 600, height: 400 }, 50);
    expect(v.k).toBe(50); // 500 px / 10 wide; 300 px / 5 high would allow 60
    expect(toScreen(v, 5, 2.5)).toEqual([300, 200]); // the middle of the box in the middle of the screen
    const [left] = toScreen(v, 0, 0);
    expect(left).toBe(50);
    expect(boundsOf([])).toBeNull();
    // One point alone still gets a usable scale.
    const one = fit(boundsOf([[3, 4]])!, { width: 200, height: 100 }, 0);
    expect(Number.isFinite(one.k) && one.k > 0).toBe(true);
    expect(toScreen(one, 3, 4)).toEqual([100, 50]);
  });

  it('zooms about the pointer: the point under it stays under it; within the limits', () => {
    const v = { k: 10, x: 20, y: 30 };
    const limits = { min: 5, max: 40 };
    const before = toWorld(v, 123, 77);
    const z = zoomAt(v, 2, 123, 77, limits);
    expect(z.k).toBe(20);
    const after = toWorld(z, 123, 77);
    expect(after[0]).toBeCloseTo(before[0]);
    expect(after[1]).toBeCloseTo(before[1]);
    expect(zoomAt(v, 100, 0, 0, limits).k).toBe(40);
    expect(zoomAt(v, 0.01, 0, 0, limits).k).toBe(5);
    expect(zoomLimits({ k: 8, x: 0, y: 0 })).toEqual({ min: 4, max: 512 });
  });

  it('centres a settlement', () => {
    const v = centerOn({ k: 10, x: 0, y: 0 }, 3, -4, { width: 400, height: 300 }, 20);
    expect(toScreen(v, 3, -4)).toEqual([200, 150]);
    expect(v.k).toBe(20);
  });

  it('keys: arrows pan (the map follows as a drag would), + and − zoom about the middle, 0 resets', () => {
    expect(keyAction('ArrowLeft')).toBe('left');
    expect(keyAction('+')).toBe('in');
    expect(keyAction('=')).toBe('in');
    expect(keyAction('-')).toBe('out');
    expect(keyAction('0')).toBe('reset');
    expect(keyAction('a')).toBeNull();
    const size = { width: 400, height: 300 };
    const limits = { min: 1, max: 100 };
    const v = { k: 10, x: 0, y: 0 };
    expect(applyKey(v, 'left', size, limits).x).toBeGreaterThan(0);
    expect(applyKey(v, 'down', size, limits).y).toBeLessThan(0);
    const middle = toWorld(v, 200, 150);
    const zin = applyKey(v, 'in', size, limits);
    expect(zin.k).toBeGreaterThan(10);
    expect(toWorld(zin, 200, 150)[0]).toBeCloseTo(middle[0]);
    expect(applyKey(v, 'out', size, limits).k).toBeLessThan(10);
  });

  it('the wheel: down zooms out, up zooms in, a flood of deltas is bounded', () => {
    expect(wheelFactor(-100)).toBeCloseTo(1.25);
    expect(wheelFactor(100)).toBeCloseTo(0.8);
    expect(wheelFactor(-3, 1)).toBeGreaterThan(1); // lines
    expect(wheelFactor(-100000)).toBeCloseTo(1.25 ** 5);
  });
});

describe('background tiles', () => {
  it('are off unless a same-origin template with {z}, {x}, {y} is given', () => {
    const origin = 'http://vikno.local:8080';
    expect(parseTilesParam('', origin)).toBeNull();
    expect(parseTilesParam('?tiles=/tiles/{z}/{x}/{y}.png', origin)).toBe('/tiles/{z}/{x}/{y}.png');
    expect(parseTilesParam(`?tiles=${encodeURIComponent('http://vikno.local:8080/t/{z}/{x}/{y}.png')}`, origin)).toBe(
      'http://vikno.local:8080/t/{z}/{x}/{y}.png',
    );
    // Another server: refused (the page's CSP would refuse it too, and nothing leaves unasked).
    expect(parseTilesParam('?tiles=https://tile.openstreetmap.org/{z}/{x}/{y}.png', origin)).toBeNull();
    expect(parseTilesParam('?tiles=//evil.example/{z}/{x}/{y}.png', origin)).toBeNull();
    expect(parseTilesParam('?tiles=/tiles/{z}/{x}.png', origin)).toBeNull();
  });

  it('cover the screen at the zoom level whose tiles are about 256 px', () => {
    // The whole world (unit square) as 512 px: zoom 1, four tiles of 256 px.
    const tiles = tilesFor({ k: 512, x: 0, y: 0 }, { width: 512, height: 512 }, '/t/{z}/{x}/{y}.png');
    expect(tiles.map((t) => t.url).sort()).toEqual(['/t/1/0/0.png', '/t/1/0/1.png', '/t/1/1/0.png', '/t/1/1/1.png']);
    expect(tiles.every((t) => t.size === 256)).toBe(true);
    // Shifted left by half a tile: the column to the right wraps around the antimeridian.
    const shifted = tilesFor({ k: 512, x: -128, y: 0 }, { width: 512, height: 256 }, '/t/{z}/{x}/{y}.png');
    expect(shifted.map((t) => t.url)).toEqual(['/t/1/0/0.png', '/t/1/1/0.png', '/t/1/0/0.png']);
    expect(shifted[0]!.x).toBe(-128);
  });
});

describe('figures', () => {
  it('population, shares and kilometres read as in each language', () => {
    expect(formatCount('uk', 32803100).replace(/\s/g, ' ')).toBe('32 803 100');
    expect(formatCount('en', 32803100)).toBe('32,803,100');
    // ICU versions differ on the space before % in Ukrainian.
    expect(formatShare('uk', 0.107971502693343).replace(/\s/g, '')).toBe('10,8%');
    expect(formatShare('en', 0.2247588)).toBe('22.5%');
    expect(formatShare('en', NaN)).toBe('—');
    expect(formatKmNumber('uk', 13.96)).toBe('14,0');
    expect(formatKmNumber('en', 958.02)).toBe('958');
  });

  it('oblasts sort by share (worst first by default), by population, by name; ties by name', () => {
    const rows: GroupRow[] = [
      { name: 'Б', settlements: 1, population: 10, covered: 5, share: 0.5, worstKm: 1 },
      { name: 'А', settlements: 1, population: 30, covered: 15, share: 0.5, worstKm: 1 },
      { name: 'В', settlements: 1, population: 20, covered: 0, share: 0, worstKm: 1 },
    ];
    expect(sortGroups(rows, 'share', 'asc').map((r) => r.name)).toEqual(['В', 'А', 'Б']);
    expect(sortGroups(rows, 'share', 'desc').map((r) => r.name)).toEqual(['А', 'Б', 'В']);
    expect(sortGroups(rows, 'population', 'desc').map((r) => r.name)).toEqual(['А', 'В', 'Б']);
    expect(sortGroups(rows, 'name', 'asc').map((r) => r.name)).toEqual(['А', 'Б', 'В']);
    expect(rows.map((r) => r.name)).toEqual(['Б', 'А', 'В']); // the input is not reordered
  });

  it('k is a whole number from 1 to 50', () => {
    expect(clampK(3)).toBe(3);
    expect(clampK(0)).toBe(1);
    expect(clampK(99)).toBe(50);
    expect(clampK(2.6)).toBe(3);
    expect(clampK(NaN)).toBe(1);
  });

  it('finds settlements by the start of the name first, any apostrophe alike', () => {
    const places = [
      place({ name: 'Мар’їнка', population: 9000 }),
      place({ name: 'Нова Маріупольська', population: 10 }),
      place({ name: 'Маріуполь', population: 400000 }),
    ];
    expect(findPlaces(places, 'мар')).toEqual([2, 0, 1]);
    expect(findPlaces(places, "мар'ї")).toEqual([0]);
    expect(findPlaces(places, '  ')).toEqual([]);
  });
});

describe('the download', () => {
  it('one FeatureCollection with settlements (before and after), access points and proposed sites', () => {
    const a = parseAnalysis(analysisDoc);
    const plan = parsePlan(planDoc);
    const after = parseAnalysis({
      ...analysisDoc,
      features: [{ ...analysisDoc.features[2]!, properties: { ...analysisDoc.features[2]!.properties, distance_km: 20, nearest: 'new-702320' } }],
    });
    const points = accessPointsFromCatalog({
      centers: [{ id: 1, name_uk: 'ЦНАП Київ', kind: 'center', status: 'active', latitude: 50.45, longitude: 30.52 }],
    });
    const doc = downloadDocument(a, points, plan, after) as { type: string; features: { properties: Record<string, unknown> }[]; plan: unknown };
    expect(doc.type).toBe('FeatureCollection');
    const layers = doc.features.map((f) => f.properties.layer);
    expect(layers).toEqual(['settlement', 'settlement', 'settlement', 'access_point', 'proposed_site']);
    const far = doc.features[2]!.properties;
    expect(far).toMatchObject({ name: 'Завітне', distance_class: 'far', distance_km_after: 20, distance_class_after: 'mid' });
    expect(doc.plan).toMatchObject({ model: 'mclp', new_sites: 1 });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc); // plain JSON
  });
});

describe('the strings of the map', () => {
  it('fill their placeholders in the chosen language', () => {
    expect(translate('uk', 'map.share_after', { n: 3 })).toBe('Після плану (нових місць: 3)');
    expect(translate('en', 'map.share_after', { n: 3 })).toBe('After the plan (new sites: 3)');
  });
});
