// A live stream of Server-Sent Events that keeps itself connected. EventSource reconnects by
// itself (sending Last-Event-ID) after a dropped connection; when it gives up (the server answered
// with an error while restarting, say) a new one is opened after a pause, resuming with
// ?last_event_id= from the last event seen. The caller is told whether the link is up.

export type LinkState = 'connecting' | 'open' | 'reconnecting';

export interface StreamOptions {
  url: string;
  // Handlers by event name; data is the parsed JSON of the event.
  events: Record<string, (data: unknown, id: string) => void>;
  onState?: (state: LinkState) => void;
  // Pauses before a new EventSource, growing to the last one.
  retryDelaysMs?: readonly number[];
  EventSourceImpl?: typeof EventSource;
}

export interface Stream {
  close(): void;
}

const DEFAULT_DELAYS = [1000, 2000, 5000, 10000, 15000];

export function withLastEventId(url: string, id: string): string {
  if (!id) return url;
  const u = new URL(url, 'http://relative.invalid');
  u.searchParams.set('last_event_id', id);
  return u.origin === 'http://relative.invalid' ? u.pathname + u.search : u.toString();
}

export function openStream(options: StreamOptions): Stream {
  const Impl = options.EventSourceImpl ?? EventSource;
  const delays = options.retryDelaysMs ?? DEFAULT_DELAYS;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastId = '';
  let failures = 0;
  let closed = false;
  let state: LinkState | null = null;

  const report = (s: LinkState) => {
    if (s === state) return;
    state = s;
    options.onState?.(s);
  };

  const connect = () => {
    timer = null;
    if (closed) return;
    const es = new Impl(withLastEventId(options.url, lastId));
    source = es;
    es.onopen = () => {
      failures = 0;
      report('open');
    };
    es.onerror = () => {
      if (closed || source !== es) return;
      report('reconnecting');
      if (es.readyState === Impl.CLOSED) {
        es.close();
        source = null;
        const delay = delays[Math.min(failures, delays.length - 1)] ?? 5000;
        failures += 1;
        timer = setTimeout(connect, delay);
      }
    };
    for (const [name, handler] of Object.entries(options.events)) {
      es.addEventListener(name, (e: Event) => {
        const m = e as MessageEvent<string>;
        if (m.lastEventId) lastId = m.lastEventId;
        let data: unknown;
        try {
          data = JSON.parse(m.data);
        } catch {
          return; // not ours
        }
        handler(data, m.lastEventId);
      });
    }
  };

  report('connecting');
  connect();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      source?.close();
      source = null;
    },
  };
}
