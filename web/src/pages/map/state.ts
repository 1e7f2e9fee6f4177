// The pure logic of the network map (/map): reading the server's GeoJSON, the projection and the
// view (fit, pan, zoom about a point), the optional background tiles, the distance classes and the
// dot sizes, the summary's figures and the downloadable GeoJSON. No DOM here: test/map-state.test.ts
// covers it.
import type { Lang } from '../../i18n';

// The Cabinet of Ministers' criterion (methodological recommendations, 2021): a service point within
// 14 km; past 30 km a settlement is counted as far.
export const NEAR_KM = 14;
export const FAR_KM = 30;
// Ukraine lies between 44.4° and 52.4° N: one longitude degree is cos(48.5°) of a latitude degree.
export const REF_LAT = 48.5;
export const K_MIN = 1;
export const K_MAX = 50;

export const MODELS = ['mclp', 'p-median', 'p-center', 'lscp'] as const;
export type Model = (typeof MODELS)[number];

// --- what the server sends ---------------------------------------------------------------------

export interface Place {
  id: string;
  name: string;
  population: number;
  lon: number;
  lat: number;
  nearest: string; // access point id, '' when none is reachable
  km: number | null; // to the nearest point (great circle x detour factor); null when unreachable
}

export interface GroupRow {
  name: string;
  settlements: number;
  population: number;
  covered: number;
  share: number;
  worstKm: number | null;
}

export interface AnalysisSummary {
  thresholdKm: number;
  settlements: number;
  accessPoints: number;
  population: number;
  covered: number;
  share: number;
  worstKm: number | null;
  byOblast: GroupRow[];
  worstServed: string[];
}

export interface Analysis {
  places: Place[];
  summary: AnalysisSummary;
}

export interface AccessPoint {
  id: string;
  nameUk: string;
  nameEn: string;
  kind: string;
  lon: number;
  lat: number;
}

export interface Site {
  id: string;
  name: string;
  lon: number;
  lat: number;
  existing: boolean;
}

export interface PlanSummary {
  model: string;
  k: number;
  newSites: number;
  radiusKm: number;
  population: number;
  coveredBefore: number;
  coveredAfter: number;
  method: string;
}

export interface Plan {
  sites: Site[];
  summary: PlanSummary;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

// [lon, lat] of a GeoJSON Point feature, or null (a feature may have no geometry).
function pointOf(feature: Json): [number, number] | null {
  const g = feature.geometry;
  if (!isObject(g) || g.type !== 'Point' || !Array.isArray(g.coordinates)) return null;
  const [lon, lat] = g.coordinates as unknown[];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  return [lon, lat];
}

function featuresOf(doc: unknown): Json[] {
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new Error('not a GeoJSON FeatureCollection');
  }
  return doc.features.filter(isObject);
}

function groupRows(v: unknown): GroupRow[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((g) => ({
    name: str(g.name),
    settlements: num(g.settlements),
    population: num(g.population),
    covered: num(g.covered_population),
    share: num(g.share),
    worstKm: numOrNull(g.worst_km),
  }));
}

// POST /network/analyze?format=geojson (src/network/report.cpp, render_analysis).
export function parseAnalysis(doc: unknown): Analysis {
  const places: Place[] = [];
  for (const f of featuresOf(doc)) {
    const at = pointOf(f);
    const p = isObject(f.properties) ? f.properties : {};
    if (!at) continue;
    places.push({
      id: str(p.id),
      name: str(p.name),
      population: Math.max(0, num(p.population)),
      lon: at[0],
      lat: at[1],
      nearest: str(p.nearest),
      km: numOrNull(p.distance_km),
    });
  }
  const s = isObject((doc as Json).summary) ? ((doc as Json).summary as Json) : {};
  return {
    places,
    summary: {
      thresholdKm: num(s.threshold_km, NEAR_KM),
      settlements: num(s.settlements, places.length),
      accessPoints: num(s.access_points),
      population: num(s.population),
      covered: num(s.covered_population),
      share: num(s.share),
      worstKm: numOrNull(s.worst_km),
      byOblast: groupRows(s.by_oblast),
      worstServed: Array.isArray(s.worst_served) ? s.worst_served.map(str) : [],
    },
  };
}

// POST /network/plan?format=geojson (render_plan): the open sites, existing ones included.
export function parsePlan(doc: unknown): Plan {
  const sites: Site[] = [];
  for (const f of featuresOf(doc)) {
    const at = pointOf(f);
    const p = isObject(f.properties) ? f.properties : {};
    if (!at) continue;
    sites.push({ id: str(p.id), name: str(p.name), lon: at[0], lat: at[1], existing: p.existing === true });
  }
  const s = isObject((doc as Json).summary) ? ((doc as Json).summary as Json) : {};
  return {
    sites,
    summary: {
      model: str(s.model),
      k: num(s.k),
      newSites: num(s.new_sites, sites.filter((x) => !x.existing).length),
      radiusKm: num(s.radius_km, NEAR_KM),
      population: num(s.population),
      coveredBefore: num(s.covered_before),
      coveredAfter: num(s.covered_after),
      method: str(s.method),
    },
  };
}

// GET /catalog/centers: the registry's access points the analysis uses ("points": "registry" takes
// the active ones that have coordinates; src/app/app.cpp, access_points).
export function accessPointsFromCatalog(doc: unknown): AccessPoint[] {
  const list = isObject(doc) && Array.isArray(doc.centers) ? doc.centers.filter(isObject) : [];
  const out: AccessPoint[] = [];
  for (const c of list) {
    const lat = numOrNull(c.latitude);
    const lon = numOrNull(c.longitude);
    if (c.status !== 'active' || lat === null || lon === null) continue;
    out.push({ id: str(c.id), nameUk: str(c.name_uk), nameEn: str(c.name_en), kind: str(c.kind), lon, lat });
  }
  return out;
}

// The body of the second analysis, "with the proposed sites": every open site of the plan as a point.
// New sites are settlements, whose ids may meet a registry id: they get a prefix.
export function pointsOfPlan(plan: Plan): { id: string; name: string; lat: number; lon: number }[] {
  return plan.sites.map((s) => ({ id: s.existing ? s.id : `new-${s.id}`, name: s.name, lat: s.lat, lon: s.lon }));
}

// --- distance classes and dot sizes ------------------------------------------------------------

export type DistanceClass = 'near' | 'mid' | 'far' | 'none';
export const CLASSES: readonly DistanceClass[] = ['near', 'mid', 'far', 'none'];

export function distanceClass(km: number | null | undefined, near = NEAR_KM, far = FAR_KM): DistanceClass {
  if (km === null || km === undefined || !Number.isFinite(km)) return 'none';
  if (km <= near) return 'near';
  if (km <= far) return 'mid';
  return 'far';
}

export function countByClass(places: readonly Place[], near = NEAR_KM, far = FAR_KM): Record<DistanceClass, number> {
  const out: Record<DistanceClass, number> = { near: 0, mid: 0, far: 0, none: 0 };
  for (const p of places) out[distanceClass(p.km, near, far)] += 1;
  return out;
}

export const R_MIN = 1.6;
export const R_MAX = 13;

// Area proportional to the population (a square-root scale), between R_MIN and R_MAX pixels; the
// dots grow a little as the map is zoomed in, so that villages can be told apart.
export function dotRadius(population: number, maxPopulation: number, zoom = 1): number {
  const share = maxPopulation > 0 ? Math.min(1, Math.max(0, population) / maxPopulation) : 0;
  return (R_MIN + (R_MAX - R_MIN) * Math.sqrt(share)) * zoomBoost(zoom);
}

// How much the dots grow at `zoom` times the fitted scale: with its square root, at most 2.5 times.
export function zoomBoost(zoom: number): number {
  return Math.min(2.5, Math.max(1, Math.sqrt(zoom)));
}

// The big ones first, so that a village next to a city is drawn on top and can be pointed at.
export function drawOrder(places: readonly Place[]): number[] {
  return places.map((_, i) => i).sort((a, b) => places[b]!.population - places[a]!.population || a - b);
}

// --- projection and view -----------------------------------------------------------------------

// 'plain': equirectangular, x = lon * cos(48.5°), y = -lat (degrees), for the map without tiles.
// 'mercator': Web Mercator on the unit square, the projection of the usual {z}/{x}/{y} tiles.
export type ProjectionKind = 'plain' | 'mercator';

const RAD = Math.PI / 180;
const COS_REF = Math.cos(REF_LAT * RAD);
const MERCATOR_MAX_LAT = 85.05112878;

export function project(kind: ProjectionKind, lon: number, lat: number): [number, number] {
  if (kind === 'plain') return [lon * COS_REF, -lat];
  const phi = Math.max(-MERCATOR_MAX_LAT, Math.min(MERCATOR_MAX_LAT, lat)) * RAD;
  return [(lon + 180) / 360, (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2];
}

export function unproject(kind: ProjectionKind, x: number, y: number): [number, number] {
  if (kind === 'plain') return [x / COS_REF, -y];
  const lon = x * 360 - 180;
  const lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) / RAD;
  return [lon, lat];
}

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function boundsOf(points: Iterable<readonly [number, number]>): Bounds | null {
  let b: Bounds | null = null;
  for (const [x, y] of points) {
    if (!b) b = { minX: x, minY: y, maxX: x, maxY: y };
    else {
      b.minX = Math.min(b.minX, x);
      b.minY = Math.min(b.minY, y);
      b.maxX = Math.max(b.maxX, x);
      b.maxY = Math.max(b.maxY, y);
    }
  }
  return b;
}

// screen = world * k + (x, y)
export interface View {
  k: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

// The whole bounding box in the middle of the screen, `padding` pixels from the edges.
export function fit(b: Bounds, size: Size, padding = 24): View {
  const w = Math.max(1, size.width - 2 * padding);
  const h = Math.max(1, size.height - 2 * padding);
  // One point (or a line) has no extent: show about a degree around it.
  const bw = Math.max(b.maxX - b.minX, 1e-9);
  const bh = Math.max(b.maxY - b.minY, 1e-9);
  const k = b.maxX - b.minX < 1e-9 && b.maxY - b.minY < 1e-9 ? Math.min(w, h) : Math.min(w / bw, h / bh);
  const cx = (b.minX + b.maxX) / 2;
  const cy = (b.minY + b.maxY) / 2;
  return { k, x: size.width / 2 - cx * k, y: size.height / 2 - cy * k };
}

export interface ZoomLimits {
  min: number;
  max: number;
}

// From half the fitted scale (a little room around the country) to 64 times it (a hromada).
export function zoomLimits(fitted: View): ZoomLimits {
  return { min: fitted.k / 2, max: fitted.k * 64 };
}

// Zoom by `factor` keeping the screen point (sx, sy) where it is: the point under the cursor stays
// under the cursor.
export function zoomAt(v: View, factor: number, sx: number, sy: number, limits: ZoomLimits): View {
  const k = Math.min(limits.max, Math.max(limits.min, v.k * factor));
  const f = k / v.k;
  return { k, x: sx - (sx - v.x) * f, y: sy - (sy - v.y) * f };
}

export function pan(v: View, dx: number, dy: number): View {
  return { k: v.k, x: v.x + dx, y: v.y + dy };
}

// The world point (wx, wy) in the middle of the screen, at scale k (the current one by default).
export function centerOn(v: View, wx: number, wy: number, size: Size, k = v.k): View {
  return { k, x: size.width / 2 - wx * k, y: size.height / 2 - wy * k };
}

export function toScreen(v: View, wx: number, wy: number): [number, number] {
  return [wx * v.k + v.x, wy * v.k + v.y];
}

export function toWorld(v: View, sx: number, sy: number): [number, number] {
  return [(sx - v.x) / v.k, (sy - v.y) / v.k];
}

export type KeyAction = 'left' | 'right' | 'up' | 'down' | 'in' | 'out' | 'reset';

// The keys of the focused map. Arrows move the view (the map moves the other way, as a drag does).
export function keyAction(key: string): KeyAction | null {
  switch (key) {
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case '+':
    case '=':
    case 'Add':
      return 'in';
    case '-':
    case '_':
    case 'Subtract':
      return 'out';
    case '0':
    case 'Home':
      return 'reset';
    default:
      return null;
  }
}

export const KEY_PAN_PX = 80;
export const ZOOM_STEP = 1.5;

export function applyKey(v: View, action: Exclude<KeyAction, 'reset'>, size: Size, limits: ZoomLimits): View {
  switch (action) {
    case 'left':
      return pan(v, KEY_PAN_PX, 0);
    case 'right':
      return pan(v, -KEY_PAN_PX, 0);
    case 'up':
      return pan(v, 0, KEY_PAN_PX);
    case 'down':
      return pan(v, 0, -KEY_PAN_PX);
    case 'in':
      return zoomAt(v, ZOOM_STEP, size.width / 2, size.height / 2, limits);
    case 'out':
      return zoomAt(v, 1 / ZOOM_STEP, size.width / 2, size.height / 2, limits);
  }
}

// The wheel: one notch (100 px of deltaY) zooms by 1.25; trackpads send smaller deltas.
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.pow(1.25, -Math.max(-5, Math.min(5, px / 100)));
}

// --- background tiles (off unless ?tiles=... names a same-origin template) -----------------------

// The pages' Content-Security-Policy lets images come from the server itself only (img-src 'self'),
// and nothing may leave the machine unasked: a template is taken when it is a path on this server
// (or a full URL of this origin) with {z}, {x} and {y}.
export function parseTilesParam(search: string, origin: string): string | null {
  const raw = new URLSearchParams(search).get('tiles');
  if (!raw || !/\{z\}/.test(raw) || !/\{x\}/.test(raw) || !/\{y\}/.test(raw)) return null;
  if (raw.startsWith('/') && !raw.startsWith('//')) return raw;
  try {
    const u = new URL(raw.replace(/[{}]/g, '_'));
    return u.origin === origin ? raw : null;
  } catch {
    return null;
  }
}

export interface Tile {
  key: string;
  url: string;
  x: number; // screen position and size, px
  y: number;
  size: number;
}

export const TILE_PX = 256;
const MAX_TILE_Z = 19;
const MAX_TILES = 96;

export function tileUrl(template: string, z: number, x: number, y: number): string {
  return template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
}

// The tiles that cover the screen, for a view in the 'mercator' projection.
export function tilesFor(v: View, size: Size, template: string): Tile[] {
  const z = Math.max(0, Math.min(MAX_TILE_Z, Math.round(Math.log2(v.k / TILE_PX))));
  const n = 2 ** z;
  const px = v.k / n; // a tile's size on screen
  const [wx0, wy0] = toWorld(v, 0, 0);
  const [wx1, wy1] = toWorld(v, size.width, size.height);
  // The tiles the screen touches: a right or bottom edge that falls on a tile border needs no more.
  const x0 = Math.floor(wx0 * n);
  const x1 = Math.ceil(wx1 * n) - 1;
  const y0 = Math.max(0, Math.floor(wy0 * n));
  const y1 = Math.min(n - 1, Math.ceil(wy1 * n) - 1);
  const out: Tile[] = [];
  for (let ty = y0; ty <= y1; ty++) {
    for (let tx = x0; tx <= x1; tx++) {
      if (out.length >= MAX_TILES) return out;
      const wrapped = ((tx % n) + n) % n;
      out.push({
        key: `${z}/${tx}/${ty}`,
        url: tileUrl(template, z, wrapped, ty),
        x: tx * px + v.x,
        y: ty * px + v.y,
        size: px,
      });
    }
  }
  return out;
}

// --- figures -------------------------------------------------------------------------------------

const LOCALES: Record<Lang, string> = { uk: 'uk-UA', en: 'en-GB' };

export function formatCount(lang: Lang, n: number): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 }).format(Math.round(n));
}

// 0.10797 -> "10,8 %" / "10.8%".
export function formatShare(lang: Lang, share: number): string {
  if (!Number.isFinite(share)) return '—';
  return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    share,
  );
}

// Kilometres: one decimal under 100 km, whole ones above.
export function formatKmNumber(lang: Lang, km: number): string {
  const digits = km < 100 ? 1 : 0;
  return new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(km);
}

export function shares(plan: PlanSummary): { before: number; after: number } {
  if (!(plan.population > 0)) return { before: 0, after: 0 };
  return { before: plan.coveredBefore / plan.population, after: plan.coveredAfter / plan.population };
}

export type SortKey = 'name' | 'population' | 'share';
export type SortDir = 'asc' | 'desc';

export function sortGroups(rows: readonly GroupRow[], key: SortKey, dir: SortDir, lang: Lang = 'uk'): GroupRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const byName = (a: GroupRow, b: GroupRow) => a.name.localeCompare(b.name, LOCALES[lang]);
  return [...rows].sort((a, b) => {
    const d = key === 'name' ? byName(a, b) : key === 'population' ? a.population - b.population : a.share - b.share;
    return d !== 0 ? sign * d : byName(a, b);
  });
}

// The settlement search: names that start with the query first, then names that contain it;
// apostrophes of every kind are the same letter.
const fold = (s: string) => s.toLocaleLowerCase('uk').replace(/[ʼ’'`]/g, "'").replace(/ё/g, 'е').trim();

export function findPlaces(places: readonly Place[], query: string, limit = 8): number[] {
  const q = fold(query);
  if (!q) return [];
  const starts: number[] = [];
  const contains: number[] = [];
  places.forEach((p, i) => {
    const name = fold(p.name);
    if (name.startsWith(q)) starts.push(i);
    else if (name.includes(q)) contains.push(i);
  });
  const byPop = (a: number, b: number) => places[b]!.population - places[a]!.population;
  return [...starts.sort(byPop), ...contains.sort(byPop)].slice(0, limit);
}

// --- the download ----------------------------------------------------------------------------------

// One FeatureCollection an analyst opens in QGIS: the settlements with their distance and class, the
// existing access points and the proposed sites (a "layer" property tells them apart), and the
// summaries of the analysis and of the plan.
export function downloadDocument(
  analysis: Analysis,
  points: readonly AccessPoint[],
  plan: Plan | null,
  after: Analysis | null,
): Record<string, unknown> {
  const t = analysis.summary.thresholdKm;
  const afterById = new Map(after?.places.map((p) => [p.id, p]) ?? []);
  const feature = (lon: number, lat: number, properties: Record<string, unknown>) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties,
  });
  const features = [
    ...analysis.places.map((p) => {
      const a = afterById.get(p.id);
      return feature(p.lon, p.lat, {
        layer: 'settlement',
        id: p.id,
        name: p.name,
        population: p.population,
        nearest: p.nearest || null,
        distance_km: p.km,
        distance_class: distanceClass(p.km, t),
        ...(a ? { distance_km_after: a.km, distance_class_after: distanceClass(a.km, t) } : {}),
      });
    }),
    ...points.map((p) => feature(p.lon, p.lat, { layer: 'access_point', id: p.id, name: p.nameUk, kind: p.kind })),
    ...(plan?.sites ?? [])
      .filter((s) => !s.existing)
      .map((s) => feature(s.lon, s.lat, { layer: 'proposed_site', id: s.id, name: s.name })),
  ];
  const s = analysis.summary;
  return {
    type: 'FeatureCollection',
    features,
    summary: {
      threshold_km: s.thresholdKm,
      settlements: s.settlements,
      access_points: s.accessPoints,
      population: s.population,
      covered_population: s.covered,
      share: s.share,
      worst_km: s.worstKm,
    },
    ...(plan
      ? {
          plan: {
            model: plan.summary.model,
            k: plan.summary.k,
            new_sites: plan.summary.newSites,
            radius_km: plan.summary.radiusKm,
            population: plan.summary.population,
            covered_before: plan.summary.coveredBefore,
            covered_after: plan.summary.coveredAfter,
            method: plan.summary.method,
          },
        }
      : {}),
  };
}

export function clampK(value: number): number {
  if (!Number.isFinite(value)) return K_MIN;
  return Math.min(K_MAX, Math.max(K_MIN, Math.round(value)));
}
