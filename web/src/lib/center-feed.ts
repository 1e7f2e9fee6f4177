// Keeps a staff page's view of one center current: loads it now, again shortly after each live
// event of the center (several events in a burst make one load), every `pollMs` in case the stream
// is down, and ticks the page's clock every second (times waited, time with a ticket).
import { useEffect } from 'preact/hooks';
import { urls } from '../api/client';
import { CENTER_EVENT_TYPES } from '../api/types';
import { openStream, type LinkState } from './sse';

const REFRESH_DEBOUNCE_MS = 250;

// Reads of the same view that overlap (a refresh after a live event, another after a command) may
// come back in any order; an answer is shown only if no read sent after it was shown already, so
// the screen never goes back to an older state (a ticket just started showing as called again).
export function orderedReads(): <T>(read: () => Promise<T>, show: (value: T) => void) => Promise<void> {
  let sent = 0;
  let shown = 0;
  return async (read, show) => {
    const n = ++sent;
    const value = await read();
    if (n < shown) return;
    shown = n;
    show(value);
  };
}

export function useCenterFeed(
  centerId: number,
  load: () => Promise<void>,
  pollMs: number,
  onLink: (state: LinkState) => void,
  onTick: (now: number) => void,
): void {
  useEffect(() => {
    void load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), REFRESH_DEBOUNCE_MS);
    };
    const events: Record<string, () => void> = { snapshot: soon };
    for (const type of CENTER_EVENT_TYPES) events[type] = soon;
    const stream = openStream({ url: urls.staffCenterEvents(centerId), events, onState: onLink });
    const poll = setInterval(() => void load(), pollMs);
    const tick = setInterval(() => onTick(Date.now()), 1000);
    return () => {
      stream.close();
      clearTimeout(timer);
      clearInterval(poll);
      clearInterval(tick);
    };
  }, [centerId, load]); // onLink and onTick are state setters: they never change
}
