import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStream, withLastEventId, type LinkState } from '../src/lib/sse';

// An EventSource that the test drives.
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static made: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((e: unknown) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  addEventListener(name: string, fn: (e: unknown) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  emit(name: string, data: unknown, id = '') {
    for (const fn of this.listeners.get(name) ?? []) fn({ data: JSON.stringify(data), lastEventId: id });
  }
  drop(closed: boolean) {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.();
  }
}

describe('the live stream', () => {
  beforeEach(() => {
    FakeEventSource.made = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('adds or replaces last_event_id in a URL', () => {
    expect(withLastEventId('/api/v1/x/events?access_token=T', '42')).toBe('/api/v1/x/events?access_token=T&last_event_id=42');
    expect(withLastEventId('/api/v1/x/events?last_event_id=1&a=b', '42')).toBe('/api/v1/x/events?last_event_id=42&a=b');
    expect(withLastEventId('/api/v1/x/events', '')).toBe('/api/v1/x/events');
  });

  it('passes events on, says when the link is down, and opens a new stream from the last id when the browser gives up', () => {
    const states: LinkState[] = [];
    const got: unknown[] = [];
    const stream = openStream({
      url: '/events?access_token=T',
      events: { ticket_called: (d) => got.push(d) },
      onState: (s) => states.push(s),
      retryDelaysMs: [1000, 5000],
      EventSourceImpl: FakeEventSource as unknown as typeof EventSource,
    });
    const first = FakeEventSource.made[0]!;
    first.open();
    first.emit('ticket_called', { number: 'П-001' }, '7');
    expect(got).toEqual([{ number: 'П-001' }]);

    // A dropped connection that the browser retries by itself: no new EventSource.
    first.drop(false);
    expect(states).toEqual(['connecting', 'open', 'reconnecting']);
    first.open();
    expect(FakeEventSource.made).toHaveLength(1);

    // The browser gave up (an error status while the server restarts): a new one after a pause.
    first.drop(true);
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.made).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.made[1]!.url).toBe('/events?access_token=T&last_event_id=7');
    FakeEventSource.made[1]!.drop(true);
    vi.advanceTimersByTime(4999);
    expect(FakeEventSource.made).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.made).toHaveLength(3);
    FakeEventSource.made[2]!.open();
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open', 'reconnecting', 'open']);

    stream.close();
    expect(FakeEventSource.made[2]!.closed).toBe(true);
  });

  it('opens nothing more once closed', () => {
    const stream = openStream({ url: '/e', events: {}, EventSourceImpl: FakeEventSource as unknown as typeof EventSource });
    FakeEventSource.made[0]!.drop(true);
    stream.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.made).toHaveLength(1);
  });

  it('ignores data that is not JSON', () => {
    const got: unknown[] = [];
    openStream({ url: '/e', events: { x: (d) => got.push(d) }, EventSourceImpl: FakeEventSource as unknown as typeof EventSource });
    const es = FakeEventSource.made[0]!;
    for (const fn of (es as unknown as { listeners: Map<string, ((e: unknown) => void)[]> }).listeners.get('x')!) {
      fn({ data: 'not json', lastEventId: '' });
    }
    expect(got).toEqual([]);
  });
});
