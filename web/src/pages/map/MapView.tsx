// The map itself, drawn as SVG with no map library and no tile server: settlements as dots (area by
// population, colour by distance class), access points as squares, proposed sites as diamonds.
// Pan by dragging or the arrow keys, zoom by the wheel, the +/− buttons or the + and − keys.
//
// 2,850 circles in SVG: measured in headless Chromium (software rendering), re-rendering them on
// every zoom step cost 45-180 ms of Preact diffing; with the dots in world coordinates under one
// transform and their radii in CSS, a zoom or a pan re-renders none of them, and hit-testing,
// classes and the DOM (tests, tooltips) stay as simple as SVG makes them.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import {
  applyKey,
  boundsOf,
  centerOn,
  dotRadius,
  drawOrder,
  fit,
  keyAction,
  pan,
  project,
  tilesFor,
  wheelFactor,
  zoomBoost,
  zoomAt,
  zoomLimits,
  ZOOM_STEP,
  type DistanceClass,
  type Place,
  type ProjectionKind,
  type Size,
  type View,
} from './state';
import type { MapTranslate } from './strings-hook';

export interface Marker {
  id: string;
  name: string;
  lon: number;
  lat: number;
  detail: string; // what the tooltip says under the name (kind of point, "proposed site")
}

export type Hover =
  | { layer: 'place'; index: number }
  | { layer: 'point'; index: number }
  | { layer: 'proposed'; index: number };

export interface FocusRequest {
  index: number;
  seq: number; // a new request for the same place moves the map again
}

interface Props {
  places: readonly Place[];
  classes: readonly DistanceClass[]; // per place
  points: readonly Marker[];
  proposed: readonly Marker[];
  selected: number | null;
  focus: FocusRequest | null;
  tiles: string | null;
  s: MapTranslate;
  onSelect: (index: number) => void;
  tooltip: (hover: Hover) => JSX.Element;
}

const DRAG_THRESHOLD_PX = 4;
const FOCUS_ZOOM = 8; // times the fitted scale, when a settlement is shown from the lists

export function MapView({ places, classes, points, proposed, selected, focus, tiles, s, onSelect, tooltip }: Props) {
  const kind: ProjectionKind = tiles ? 'mercator' : 'plain';
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState<Size | null>(null);
  const [view, setView] = useState<View | null>(null);
  const [hover, setHover] = useState<{ what: Hover; sx: number; sy: number } | null>(null);
  const drag = useRef<{ id: number; sx: number; sy: number; view: View; moved: boolean; target: Element | null } | null>(
    null,
  );

  // World coordinates of everything, once per data set (each layer apart: a new plan must not move
  // the settlements' array, on which the view's effects depend).
  const placesXY = useMemo(() => places.map((p) => project(kind, p.lon, p.lat)), [places, kind]);
  const pointsXY = useMemo(() => points.map((p) => project(kind, p.lon, p.lat)), [points, kind]);
  const proposedXY = useMemo(() => proposed.map((p) => project(kind, p.lon, p.lat)), [proposed, kind]);
  const world = { places: placesXY, points: pointsXY, proposed: proposedXY };
  const order = useMemo(() => drawOrder(places), [places]);
  const maxPopulation = useMemo(() => places.reduce((m, p) => Math.max(m, p.population), 0), [places]);
  const bounds = useMemo(() => boundsOf([...placesXY, ...pointsXY]), [placesXY, pointsXY]);
  const fitted = useMemo(() => (bounds && size ? fit(bounds, size) : null), [bounds, size]);
  const limits = fitted ? zoomLimits(fitted) : { min: 1e-9, max: 1e9 };

  // The size of the box, and the first fit once both the size and the data are known.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) setSize({ width: Math.round(r.width), height: Math.round(r.height) });
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    if (fitted && !view) setView(fitted);
  }, [fitted, view]);

  // Show a settlement asked for from the lists (each request once, whatever re-runs the effect).
  const focusDone = useRef(0);
  useEffect(() => {
    if (!focus || !size || !fitted || focus.seq === focusDone.current) return;
    focusDone.current = focus.seq;
    const at = world.places[focus.index];
    if (!at) return;
    setView((v) => centerOn(v ?? fitted, at[0], at[1], size, Math.max((v ?? fitted).k, fitted.k * FOCUS_ZOOM)));
  }, [focus, size, fitted, placesXY]);

  // The wheel must not scroll the page while it zooms the map: a non-passive listener.
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const factor = wheelFactor(e.deltaY, e.deltaMode);
      setView((v) => (v && fitted ? zoomAt(v, factor, e.clientX - r.left, e.clientY - r.top, zoomLimits(fitted)) : v));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [fitted, size]);

  const k = view?.k ?? 1;
  const zoom = fitted ? k / fitted.k : 1;

  // The dots in world coordinates under one transform; each circle's radius is its own --r (pixels
  // at the fitted scale) times the group's --s (the zoom boost over the scale), in CSS. So neither a
  // pan nor a zoom re-renders the 2,850 circles: only the group's transform and --s change.
  const dots = useMemo(
    () =>
      order.map((i) => {
        const [x, y] = world.places[i]!;
        return (
          <circle
            key={i}
            class={`dot dot--${classes[i] ?? 'none'}`}
            cx={x}
            cy={y}
            style={{ '--r': dotRadius(places[i]!.population, maxPopulation) }}
            data-i={i}
          />
        );
      }),
    [order, placesXY, classes, places, maxPopulation],
  );

  const pointSize = 9 * Math.min(1.6, Math.max(1, Math.sqrt(zoom)));
  const markers = useMemo(
    () => (
      <>
        {world.points.map(([x, y], i) => (
          <rect
            key={`p${i}`}
            class="marker marker--point"
            x={x * k - pointSize / 2}
            y={y * k - pointSize / 2}
            width={pointSize}
            height={pointSize}
            data-p={i}
          />
        ))}
        {world.proposed.map(([x, y], i) => {
          const r = pointSize * 0.95;
          const cx = x * k;
          const cy = y * k;
          return (
            <path
              key={`n${i}`}
              class="marker marker--proposed"
              d={`M${cx} ${cy - r}L${cx + r} ${cy}L${cx} ${cy + r}L${cx - r} ${cy}Z`}
              data-n={i}
            />
          );
        })}
      </>
    ),
    [pointsXY, proposedXY, k, pointSize],
  );

  const hit = (target: EventTarget | null): Hover | null => {
    if (!(target instanceof Element)) return null;
    const i = target.getAttribute('data-i');
    if (i !== null) return { layer: 'place', index: Number(i) };
    const p = target.getAttribute('data-p');
    if (p !== null) return { layer: 'point', index: Number(p) };
    const n = target.getAttribute('data-n');
    if (n !== null) return { layer: 'proposed', index: Number(n) };
    return null;
  };

  const local = (e: { clientX: number; clientY: number }): [number, number] => {
    const r = svg.current!.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };

  const onPointerDown = (e: PointerEvent) => {
    if (!view || e.button !== 0) return;
    svg.current?.setPointerCapture(e.pointerId);
    drag.current = { id: e.pointerId, sx: e.clientX, sy: e.clientY, view, moved: false, target: e.target as Element };
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (d && d.id === e.pointerId) {
      const dx = e.clientX - d.sx;
      const dy = e.clientY - d.sy;
      if (!d.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
      d.moved = true;
      setHover(null);
      setView(pan(d.view, dx, dy));
      return;
    }
    const what = hit(e.target);
    if (!what) {
      if (hover) setHover(null);
      return;
    }
    const [sx, sy] = local(e);
    setHover({ what, sx, sy });
  };
  const onPointerUp = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    drag.current = null;
    svg.current?.releasePointerCapture(e.pointerId);
    if (!d.moved) {
      const what = hit(d.target);
      if (what?.layer === 'place') onSelect(what.index);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!view || !size || !fitted || e.altKey || e.ctrlKey || e.metaKey) return;
    const action = keyAction(e.key);
    if (!action) return;
    e.preventDefault();
    setView(action === 'reset' ? fitted : applyKey(view, action, size, limits));
  };

  const zoomBy = (factor: number) => {
    if (view && size) setView(zoomAt(view, factor, size.width / 2, size.height / 2, limits));
  };

  const selectedRing = (() => {
    if (selected === null || !view) return null;
    const at = world.places[selected];
    const place = places[selected];
    if (!at || !place) return null;
    return (
      <circle
        class="dot-selected"
        cx={at[0] * k}
        cy={at[1] * k}
        r={dotRadius(place.population, maxPopulation, zoom) + 5}
      />
    );
  })();

  const tileImages = tiles && view && size ? tilesFor(view, size, tiles) : [];

  return (
    <div class="map-box" ref={box}>
      <div
        class="map-canvas"
        tabIndex={0}
        role="application"
        aria-label={s('map.region_label')}
        aria-describedby="map-hint"
        onKeyDown={onKeyDown}
        data-testid="map-canvas"
      >
        {size && (
          <svg
            ref={svg}
            width={size.width}
            height={size.height}
            viewBox={`0 0 ${size.width} ${size.height}`}
            aria-hidden="true"
            class={drag.current?.moved ? 'map-svg map-svg--dragging' : 'map-svg'}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
            onPointerLeave={() => setHover(null)}
          >
            {tileImages.length > 0 && (
              <g class="map-tiles">
                {tileImages.map((t) => (
                  <image key={t.key} href={t.url} x={t.x} y={t.y} width={t.size + 0.5} height={t.size + 0.5} />
                ))}
              </g>
            )}
            {view && (
              <>
                <g
                  class="map-dots"
                  transform={`matrix(${k} 0 0 ${k} ${view.x} ${view.y})`}
                  style={{ '--s': zoomBoost(zoom) / k }}
                >
                  {dots}
                </g>
                <g transform={`translate(${view.x} ${view.y})`}>
                  {selectedRing}
                  <g class="map-markers">{markers}</g>
                </g>
              </>
            )}
          </svg>
        )}
        {hover && size && (
          <div
            class="map-tooltip"
            aria-hidden="true"
            style={{
              left: `${Math.min(hover.sx + 14, size.width - 250)}px`,
              top: `${Math.max(4, Math.min(hover.sy + 14, size.height - 110))}px`,
            }}
          >
            {tooltip(hover.what)}
          </div>
        )}
      </div>
      <div class="map-zoom" role="group" aria-label={s('map.zoom')}>
        <button type="button" class="map-zoom__button" onClick={() => zoomBy(ZOOM_STEP)} aria-label={s('map.zoom_in')} title={s('map.zoom_in')}>
          +
        </button>
        <button type="button" class="map-zoom__button" onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label={s('map.zoom_out')} title={s('map.zoom_out')}>
          −
        </button>
        <button
          type="button"
          class="map-zoom__button"
          onClick={() => fitted && setView(fitted)}
          aria-label={s('map.zoom_reset')}
          title={s('map.zoom_reset')}
        >
          ⤢
        </button>
      </div>
    </div>
  );
}

// Exported for the page: the classes' order in the legend.
export const LEGEND_ORDER: readonly DistanceClass[] = ['near', 'mid', 'far', 'none'];
