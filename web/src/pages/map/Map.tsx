// /map: the regional analyst's map of the network (issue 6, "where it shows"). Every shipped
// Ukrainian settlement with its distance to the nearest access point of the registry, the share of
// the population within 14 km overall and per oblast, the worst served, and a plan of k new sites
// (MCLP, p-median, p-center or LSCP) with the share before and after. Works with no internet: the
// map is drawn here, background tiles only when ?tiles=/path/{z}/{x}/{y}.png names a tile folder on
// this server.
//
// The network API is for signed-in staff: the page uses the session cookie of the staff pages and
// reads the CSRF token from GET /auth/me (POSTs of a session need X-CSRF-Token).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, NetworkError, request, staffApi } from '../../api/client';
import { Header } from '../../components/Header';
import { useTitle } from '../../lib/title';
import { LEGEND_ORDER, MapView, type FocusRequest, type Hover, type Marker } from './MapView';
import {
  accessPointsFromCatalog,
  clampK,
  distanceClass,
  downloadDocument,
  findPlaces,
  FAR_KM,
  formatCount,
  formatKmNumber,
  formatShare,
  K_MAX,
  K_MIN,
  MODELS,
  parseAnalysis,
  parsePlan,
  parseTilesParam,
  pointsOfPlan,
  shares,
  sortGroups,
  type AccessPoint,
  type Analysis,
  type DistanceClass,
  type Model,
  type Plan,
  type SortDir,
  type SortKey,
} from './state';
import type { MapKey } from './strings-hook';
import { useMapStrings, type MapTranslate } from './strings-hook';
import './map.css';

const THRESHOLD_KM = 14;
const ANALYZE_TIMEOUT_MS = 60_000;
const PLAN_TIMEOUT_MS = 180_000;
// LSCP on the server takes at most 3,000,000 settlement x site pairs: its candidates are the largest
// settlements that fit (about a thousand of the 2,850).
const LSCP_MAX_CELLS = 3_000_000;

type Load =
  | { kind: 'loading' }
  | { kind: 'signed_out' }
  | { kind: 'offline' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; csrf: string; analysis: Analysis; points: AccessPoint[] };

type PlanState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'failed'; message: string }
  | { kind: 'done'; plan: Plan; after: Analysis | null };

const analyzeBody = (points: unknown) => ({ settlements: 'builtin', points, threshold_km: THRESHOLD_KM });

async function post(path: string, body: unknown, csrf: string, timeoutMs: number): Promise<unknown> {
  return request<unknown>(path, { method: 'POST', body, csrf, timeoutMs });
}

function errorText(e: unknown, s: MapTranslate): string {
  if (e instanceof NetworkError) return s('map.plan_busy');
  if (e instanceof ApiError) return e.message;
  return String(e);
}

export function MapPage() {
  const { lang, s, t } = useMapStrings();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [round, setRound] = useState(0);
  const [planState, setPlanState] = useState<PlanState>({ kind: 'idle' });
  const [model, setModel] = useState<Model>('mclp');
  const [k, setK] = useState('5');
  const [colourAfter, setColourAfter] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'share', dir: 'asc' });
  const [query, setQuery] = useState('');
  const tiles = useMemo(() => parseTilesParam(location.search, location.origin), []);
  useTitle(s('map.title'));

  useEffect(() => {
    let stopped = false;
    setLoad({ kind: 'loading' });
    (async () => {
      try {
        const me = await staffApi.me();
        if (me.kind !== 'user' || !me.csrf_token) {
          if (!stopped) setLoad({ kind: 'signed_out' });
          return;
        }
        const csrf = me.csrf_token;
        const [doc, catalog] = await Promise.all([
          post('/network/analyze?format=geojson', analyzeBody('registry'), csrf, ANALYZE_TIMEOUT_MS),
          request<unknown>('/catalog/centers'),
        ]);
        if (stopped) return;
        setLoad({ kind: 'ready', csrf, analysis: parseAnalysis(doc), points: accessPointsFromCatalog(catalog) });
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) setLoad({ kind: 'signed_out' });
        else if (e instanceof NetworkError) setLoad({ kind: 'offline' });
        else setLoad({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      stopped = true;
    };
  }, [round]);

  const ready = load.kind === 'ready' ? load : null;
  const analysis = ready?.analysis ?? null;
  const plan = planState.kind === 'done' ? planState.plan : null;
  const after = planState.kind === 'done' ? planState.after : null;
  const showAfter = colourAfter && after !== null;

  // Per place: the distance shown (before or after the plan) and its class.
  const afterKm = useMemo(() => {
    if (!analysis || !after) return null;
    const byId = new Map(after.places.map((p) => [p.id, p]));
    return analysis.places.map((p) => byId.get(p.id) ?? null);
  }, [analysis, after]);
  const shown = useMemo(() => {
    if (!analysis) return [];
    return analysis.places.map((p, i) => {
      const a = showAfter ? afterKm?.[i] : null;
      return a ? { km: a.km, nearest: a.nearest } : { km: p.km, nearest: p.nearest };
    });
  }, [analysis, afterKm, showAfter]);
  const classes = useMemo<DistanceClass[]>(() => shown.map((x) => distanceClass(x.km, THRESHOLD_KM, FAR_KM)), [shown]);
  const counts = useMemo(() => {
    const out: Record<DistanceClass, number> = { near: 0, mid: 0, far: 0, none: 0 };
    for (const c of classes) out[c] += 1;
    return out;
  }, [classes]);

  const pointMarkers = useMemo<Marker[]>(
    () =>
      (ready?.points ?? []).map((p) => ({
        id: p.id,
        name: lang === 'en' && p.nameEn ? p.nameEn : p.nameUk,
        lon: p.lon,
        lat: p.lat,
        detail: kindLabel(s, p.kind),
      })),
    [ready?.points, lang],
  );
  const proposedMarkers = useMemo<Marker[]>(
    () =>
      (plan?.sites ?? [])
        .filter((x) => !x.existing)
        .map((x) => ({ id: x.id, name: x.name, lon: x.lon, lat: x.lat, detail: s('map.tip_proposed') })),
    [plan, lang],
  );
  // Names of access points by id, for "nearest point": the registry's, then the plan's new sites.
  const pointNames = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of pointMarkers) m.set(p.id, p.name);
    for (const x of plan?.sites ?? []) m.set(x.existing ? x.id : `new-${x.id}`, x.existing ? (m.get(x.id) ?? x.name) : s('map.proposed_suffix', { name: x.name }));
    return m;
  }, [pointMarkers, plan, lang]);

  const placeIndex = useMemo(() => new Map(analysis?.places.map((p, i) => [p.id, i]) ?? []), [analysis]);

  const show = (index: number) => {
    setSelected(index);
    setFocus((f) => ({ index, seq: (f?.seq ?? 0) + 1 }));
  };

  const km = (value: number) => s('map.km', { km: formatKmNumber(lang, value) });

  const placeLines = (index: number) => {
    const p = analysis?.places[index];
    const d = shown[index];
    if (!p || !d) return null;
    return (
      <>
        <strong>{p.name}</strong>
        <span>{s('map.tip_population', { n: formatCount(lang, p.population) })}</span>
        {d.km === null ? (
          <span>{s('map.tip_unreachable')}</span>
        ) : (
          <>
            <span>{s('map.tip_nearest', { name: pointNames.get(d.nearest) ?? d.nearest })}</span>
            <span>{s('map.tip_distance', { km: km(d.km) })}</span>
          </>
        )}
      </>
    );
  };

  const tooltip = (h: Hover) => {
    if (h.layer === 'place') return <div class="map-tip">{placeLines(h.index)}</div>;
    const m = h.layer === 'point' ? pointMarkers[h.index] : proposedMarkers[h.index];
    return (
      <div class="map-tip">
        <strong>{m?.name}</strong>
        <span>{m?.detail}</span>
      </div>
    );
  };

  const runPlan = async (e: Event) => {
    e.preventDefault();
    if (!ready || planState.kind === 'running') return;
    const kk = clampK(Number(k));
    setK(String(kk));
    setPlanState({ kind: 'running' });
    const body: Record<string, unknown> = {
      settlements: 'builtin',
      points: 'registry',
      model,
      threshold_km: THRESHOLD_KM,
    };
    if (model === 'lscp') {
      const places = ready.analysis.places;
      const fit = Math.max(1, Math.floor(LSCP_MAX_CELLS / Math.max(1, places.length)) - ready.analysis.summary.accessPoints - 2);
      body.candidates = [...places]
        .sort((a, b) => b.population - a.population)
        .slice(0, fit)
        .map((p) => ({ id: p.id, name: p.name, lat: p.lat, lon: p.lon }));
    } else body.k = kk;
    try {
      const result = parsePlan(await post('/network/plan?format=geojson', body, ready.csrf, PLAN_TIMEOUT_MS));
      // The settlements' distances with the new sites, for the "after" colouring.
      let afterAnalysis: Analysis | null = null;
      try {
        afterAnalysis = parseAnalysis(
          await post('/network/analyze?format=geojson', analyzeBody(pointsOfPlan(result)), ready.csrf, ANALYZE_TIMEOUT_MS),
        );
      } catch {
        afterAnalysis = null; // the plan stands; only the recolouring is missing
      }
      setPlanState({ kind: 'done', plan: result, after: afterAnalysis });
      setColourAfter(afterAnalysis !== null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setLoad({ kind: 'signed_out' });
      else setPlanState({ kind: 'failed', message: errorText(err, s) });
    }
  };

  const download = () => {
    if (!analysis || !ready) return;
    const doc = downloadDocument(analysis, ready.points, plan, after);
    const url = URL.createObjectURL(new Blob([JSON.stringify(doc)], { type: 'application/geo+json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = plan ? `vikno-network-${plan.summary.model}-${plan.summary.newSites}.geojson` : 'vikno-network.geojson';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  let body;
  switch (load.kind) {
    case 'loading':
      body = <p role="status">{s('map.loading')}</p>;
      break;
    case 'signed_out':
      body = (
        <div class="map-message" role="alert">
          <p>{s('map.signed_out')}</p>
          <p>
            <a class="button button--primary" href="/desk">
              {s('map.sign_in_link')}
            </a>
          </p>
        </div>
      );
      break;
    case 'offline':
    case 'failed':
      body = (
        <div class="map-message" role="alert">
          <p>{load.kind === 'offline' ? t('common.offline') : s('map.failed', { message: load.message })}</p>
          <button type="button" class="button" onClick={() => setRound((n) => n + 1)}>
            {t('common.retry')}
          </button>
        </div>
      );
      break;
    case 'ready': {
      const sum = load.analysis.summary;
      const before = plan ? shares(plan.summary).before : sum.share;
      const afterShare = plan ? shares(plan.summary).after : null;
      const rows = sortGroups(sum.byOblast, sort.key, sort.dir, lang);
      const afterByOblast = after ? new Map(after.summary.byOblast.map((g) => [g.name, g.share])) : null;
      const found = findPlaces(load.analysis.places, query, 8);
      const sortButton = (key: SortKey, label: string) => {
        const active = sort.key === key;
        return (
          <button
            type="button"
            class="map-sort"
            onClick={() =>
              setSort((cur) => ({ key, dir: cur.key === key ? (cur.dir === 'asc' ? 'desc' : 'asc') : key === 'name' ? 'asc' : 'desc' }))
            }
            aria-label={s('map.sort_by', { column: label })}
          >
            {label}
            <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
          </button>
        );
      };
      const ariaSort = (key: SortKey) => (sort.key === key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined);
      body = (
        <div class="map-layout">
          <section class="map-main" aria-labelledby="map-heading-map">
            <h2 id="map-heading-map" class="visually-hidden">
              {s('map.region_label')}
            </h2>
            <MapView
              places={load.analysis.places}
              classes={classes}
              points={pointMarkers}
              proposed={proposedMarkers}
              selected={selected}
              focus={focus}
              tiles={tiles}
              s={s}
              onSelect={(i) => setSelected(i)}
              tooltip={tooltip}
            />
            <p id="map-hint" class="map-hint">
              {s('map.region_hint')} {tiles ? s('map.tiles_on', { source: tiles }) : s('map.tiles_off')}
            </p>
            <div class="map-selected" aria-live="polite" data-testid="map-selected">
              {selected !== null && placeLines(selected)}
            </div>
            <section class="map-legend" aria-labelledby="map-legend-heading">
              <h3 id="map-legend-heading">{s('map.legend')}</h3>
              <ul>
                {LEGEND_ORDER.map((c) => (
                  <li key={c}>
                    <svg width="18" height="18" aria-hidden="true" class="map-legend__swatch">
                      <circle class={`dot dot--${c}`} cx="9" cy="9" r="7" />
                    </svg>
                    {s('map.settlement_count', { label: legendLabel(s, c), n: formatCount(lang, counts[c]) })}
                  </li>
                ))}
                <li>
                  <svg width="18" height="18" aria-hidden="true" class="map-legend__swatch">
                    <circle class="dot dot--legend" cx="5" cy="13" r="3" />
                    <circle class="dot dot--legend" cx="12" cy="8" r="6" />
                  </svg>
                  {s('map.legend_size')}
                </li>
                <li>
                  <svg width="18" height="18" aria-hidden="true" class="map-legend__swatch">
                    <rect class="marker marker--point" x="4" y="4" width="10" height="10" />
                  </svg>
                  {s('map.legend_point')} ({formatCount(lang, load.points.length)})
                </li>
                <li>
                  <svg width="18" height="18" aria-hidden="true" class="map-legend__swatch">
                    <path class="marker marker--proposed" d="M9 1L17 9L9 17L1 9Z" />
                  </svg>
                  {s('map.legend_proposed')}
                  {plan ? ` (${formatCount(lang, proposedMarkers.length)})` : ''}
                </li>
              </ul>
            </section>
          </section>

          <aside class="map-panel" aria-label={s('map.summary')}>
            <section aria-labelledby="map-summary-heading">
              <h2 id="map-summary-heading">{s('map.summary')}</h2>
              <dl class="map-figures">
                <div>
                  <dt>{s('map.population')}</dt>
                  <dd data-testid="map-population" data-value={sum.population}>
                    {formatCount(lang, sum.population)}
                  </dd>
                </div>
                <div>
                  <dt>{s('map.settlements')}</dt>
                  <dd>{formatCount(lang, sum.settlements)}</dd>
                </div>
                <div>
                  <dt>{s('map.access_points')}</dt>
                  <dd>{formatCount(lang, sum.accessPoints)}</dd>
                </div>
                <div class="map-figures__wide">
                  <dt>{s('map.share_before', { km: sum.thresholdKm })}</dt>
                  <dd data-testid="map-share-before" data-value={before}>
                    <span class="map-share">{formatShare(lang, before)}</span>{' '}
                    <span class="map-people">({formatCount(lang, plan ? plan.summary.coveredBefore : sum.covered)})</span>
                  </dd>
                </div>
                {plan && afterShare !== null && (
                  <div class="map-figures__wide map-figures__after">
                    <dt>{s('map.share_after', { n: plan.summary.newSites })}</dt>
                    <dd data-testid="map-share-after" data-value={afterShare}>
                      <span class="map-share">{formatShare(lang, afterShare)}</span>{' '}
                      <span class="map-people">({formatCount(lang, plan.summary.coveredAfter)})</span>
                    </dd>
                  </div>
                )}
                {sum.worstKm !== null && (
                  <div class="map-figures__wide">
                    <dt>{s('map.worst_km')}</dt>
                    <dd>{km(sum.worstKm)}</dd>
                  </div>
                )}
              </dl>
            </section>

            <section aria-labelledby="map-plan-heading">
              <h2 id="map-plan-heading">{s('map.plan')}</h2>
              <form class="map-plan" onSubmit={runPlan}>
                <label for="map-model">{s('map.model')}</label>
                <select id="map-model" value={model} onChange={(e) => setModel((e.target as HTMLSelectElement).value as Model)}>
                  {MODELS.map((m) => (
                    <option key={m} value={m}>
                      {s(`map.model.${m}` as MapKey)}
                    </option>
                  ))}
                </select>
                <label for="map-k">{s('map.k')}</label>
                <input
                  id="map-k"
                  type="number"
                  inputMode="numeric"
                  min={K_MIN}
                  max={K_MAX}
                  step={1}
                  value={k}
                  disabled={model === 'lscp'}
                  aria-describedby={model === 'lscp' ? 'map-k-lscp' : undefined}
                  onInput={(e) => setK((e.target as HTMLInputElement).value)}
                  onBlur={() => setK(String(clampK(Number(k))))}
                />
                {model === 'lscp' && (
                  <p id="map-k-lscp" class="map-note">
                    {s('map.k_lscp')}
                  </p>
                )}
                <button type="submit" class="button button--primary" disabled={planState.kind === 'running'}>
                  {planState.kind === 'running' ? s('map.planning') : s('map.run_plan')}
                </button>
              </form>
              <div role="status" class="map-plan-status">
                {planState.kind === 'running' && s('map.planning')}
                {planState.kind === 'done' &&
                  s('map.plan_done', {
                    n: planState.plan.summary.newSites,
                    km: THRESHOLD_KM,
                    before: formatShare(lang, shares(planState.plan.summary).before),
                    after: formatShare(lang, shares(planState.plan.summary).after),
                  })}
              </div>
              {planState.kind === 'failed' && (
                <p class="form-error" role="alert">
                  {s('map.plan_failed', { message: planState.message })}
                </p>
              )}
              {plan && (
                <>
                  {after && (
                    <fieldset class="map-colour">
                      <legend>{s('map.colour_by')}</legend>
                      <label>
                        <input type="radio" name="map-colour" checked={!colourAfter} onChange={() => setColourAfter(false)} />{' '}
                        {s('map.colour_before')}
                      </label>
                      <label>
                        <input type="radio" name="map-colour" checked={colourAfter} onChange={() => setColourAfter(true)} />{' '}
                        {s('map.colour_after')}
                      </label>
                    </fieldset>
                  )}
                  <h3>{s('map.proposed')}</h3>
                  <ol class="map-list" data-testid="map-proposed-list">
                    {plan.sites
                      .filter((x) => !x.existing)
                      .map((x) => {
                        const i = placeIndex.get(x.id);
                        return (
                          <li key={x.id}>
                            {i === undefined ? (
                              x.name
                            ) : (
                              <button type="button" class="map-link" onClick={() => show(i)}>
                                {x.name}
                              </button>
                            )}
                          </li>
                        );
                      })}
                  </ol>
                  <button
                    type="button"
                    class="button"
                    onClick={() => {
                      setPlanState({ kind: 'idle' });
                      setColourAfter(false);
                    }}
                  >
                    {s('map.clear_plan')}
                  </button>
                </>
              )}
            </section>

            <section aria-labelledby="map-find-heading">
              <h2 id="map-find-heading">
                <label for="map-find">{s('map.find')}</label>
              </h2>
              <input
                id="map-find"
                type="search"
                autocomplete="off"
                value={query}
                onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
              />
              {query.trim() !== '' && (
                <ul class="map-list" aria-live="polite">
                  {found.length === 0 && <li>{s('map.find_none')}</li>}
                  {found.map((i) => {
                    const p = load.analysis.places[i]!;
                    return (
                      <li key={p.id}>
                        <button type="button" class="map-link" onClick={() => show(i)}>
                          {p.name}
                        </button>{' '}
                        <span class="map-people">{formatCount(lang, p.population)}</span>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>

            <section aria-labelledby="map-worst-heading">
              <h2 id="map-worst-heading">{s('map.worst')}</h2>
              <p class="map-note">{s('map.worst_hint')}</p>
              <ol class="map-list" data-testid="map-worst">
                {sum.worstServed.map((id) => {
                  const i = placeIndex.get(id);
                  const p = i === undefined ? undefined : load.analysis.places[i];
                  if (i === undefined || !p) return null;
                  return (
                    <li key={id}>
                      <button type="button" class="map-link" onClick={() => show(i)}>
                        {p.name}
                      </button>{' '}
                      <span class="map-people">{p.km === null ? s('map.legend_none') : km(p.km)}</span>
                    </li>
                  );
                })}
              </ol>
            </section>

            <section aria-labelledby="map-oblast-heading">
              <h2 id="map-oblast-heading">{s('map.by_oblast')}</h2>
              <table class="map-table" data-testid="map-oblasts">
                <thead>
                  <tr>
                    <th scope="col" aria-sort={ariaSort('name')}>
                      {sortButton('name', s('map.oblast'))}
                    </th>
                    <th scope="col" class="num" aria-sort={ariaSort('population')}>
                      {sortButton('population', s('map.population'))}
                    </th>
                    <th scope="col" class="num" aria-sort={ariaSort('share')}>
                      {sortButton('share', s('map.share_column', { km: sum.thresholdKm }))}
                    </th>
                    {afterByOblast && (
                      <th scope="col" class="num">
                        {s('map.share_after_column')}
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((g) => (
                    <tr key={g.name}>
                      <th scope="row">{g.name || '—'}</th>
                      <td class="num">{formatCount(lang, g.population)}</td>
                      <td class="num">{formatShare(lang, g.share)}</td>
                      {afterByOblast && <td class="num">{formatShare(lang, afterByOblast.get(g.name) ?? g.share)}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>

            <section aria-labelledby="map-download-heading">
              <h2 id="map-download-heading" class="visually-hidden">
                {s('map.download')}
              </h2>
              <button type="button" class="button" onClick={download} aria-describedby="map-download-hint">
                ⤓ {s('map.download')}
              </button>
              <p id="map-download-hint" class="map-note">
                {s('map.download_hint')}
              </p>
            </section>
          </aside>
        </div>
      );
      break;
    }
  }

  return (
    <>
      <Header />
      <main class="page map-page">
        <h1>{s('map.title')}</h1>
        <p class="map-intro">{s('map.intro')}</p>
        {body}
      </main>
    </>
  );
}

function legendLabel(s: MapTranslate, c: DistanceClass): string {
  switch (c) {
    case 'near':
      return s('map.legend_near', { km: THRESHOLD_KM });
    case 'mid':
      return s('map.legend_mid', { km: THRESHOLD_KM, far: FAR_KM });
    case 'far':
      return s('map.legend_far', { far: FAR_KM });
    case 'none':
      return s('map.legend_none');
  }
}

function kindLabel(s: MapTranslate, kind: string): string {
  const key = `map.kind.${kind}` as MapKey;
  return key in KIND_KEYS ? s(key) : s('map.tip_point');
}

const KIND_KEYS: Record<string, true> = {
  'map.kind.center': true,
  'map.kind.branch': true,
  'map.kind.remote_workplace': true,
  'map.kind.mobile_office': true,
  'map.kind.mobile_case': true,
};

// The lazy loader of src/main.tsx takes a default export.
export default MapPage;
