// A list on the board shows only the rows that fit whole in the box that clips it: a row cut in
// half reads as a different number from across the hall. The rows are measured as laid out (their
// height and pitch depend on the board's size, the font grows with the width); the count is
// measured again whenever the box changes size and after every change of the list.
import type { RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface RowGeometry {
  boxBottom: number; // where the clipping box ends (its content edge)
  listTop: number; // where the first row starts
  rowHeight: number; // one row, without the gap after it
  pitch: number; // from one row's top to the next one's (rowHeight + gap)
}

// How many rows fit whole: the first takes rowHeight, each further one pitch.
export function rowsThatFit({ boxBottom, listTop, rowHeight, pitch }: RowGeometry): number {
  const room = boxBottom - listTop;
  if (rowHeight <= 0 || room < rowHeight - 0.5) return 0;
  return 1 + Math.floor((room - rowHeight + 0.5) / Math.max(pitch, rowHeight));
}

// How many of `total` rows of `list` (each child element a row) to show so that each is whole
// inside `box`. Before the first measure, all of them.
export function useRowsThatFit(box: RefObject<HTMLElement | null>, list: RefObject<HTMLElement | null>, total: number): number {
  const [fit, setFit] = useState(Number.POSITIVE_INFINITY);
  const row = useRef({ height: 0, pitch: 0 });
  const measure = useRef(() => {});
  measure.current = () => {
    const b = box.current;
    const l = list.current;
    if (!b || !l) return;
    const rows = l.children;
    const first = rows[0]?.getBoundingClientRect();
    if (first) {
      const second = rows[1]?.getBoundingClientRect();
      const margin = parseFloat(getComputedStyle(rows[0]!).marginBottom) || 0;
      row.current = { height: first.height, pitch: second ? second.top - first.top : first.height + margin };
    }
    if (row.current.height === 0) return; // nothing measured yet: show what there is
    const boxRect = b.getBoundingClientRect();
    const padding = parseFloat(getComputedStyle(b).paddingBottom) || 0;
    const n = rowsThatFit({
      boxBottom: boxRect.bottom - padding,
      listTop: first ? first.top : l.getBoundingClientRect().top,
      rowHeight: row.current.height,
      pitch: row.current.pitch,
    });
    setFit((prev) => (prev === n ? prev : n));
  };
  // Rows measured at the old size are not the rows at the new one: on a resize, show them all and
  // measure again. The box is observed once it is there (the board renders it only when ready).
  const observer = useRef<{ ro: ResizeObserver; box: HTMLElement | null } | null>(null);
  useLayoutEffect(() => {
    if (typeof ResizeObserver !== 'undefined') {
      observer.current ??= { ro: new ResizeObserver(() => setFit(Number.POSITIVE_INFINITY)), box: null };
      const o = observer.current;
      if (o.box !== box.current) {
        o.ro.disconnect();
        if (box.current) o.ro.observe(box.current);
        o.box = box.current;
      }
    }
    measure.current();
  });
  useLayoutEffect(() => () => observer.current?.ro.disconnect(), []);
  return Math.min(total, fit);
}
