// The display board's state, kept from the center's live stream: a "snapshot" replaces it, every
// other event changes it (calls come and go, queue lengths arrive with each event).
import type { CenterEvent, CenterRef, DisplayCall, DisplaySnapshot, GroupLoad, RecentCall } from '../../api/types';

export const RECENT_CALLS = 8;

export interface BoardState {
  center: CenterRef | null;
  calls: DisplayCall[]; // called and not yet at the window, newest first
  recent: RecentCall[]; // the last calls, newest first
  groups: GroupLoad[];
}

export const emptyBoard: BoardState = { center: null, calls: [], recent: [], groups: [] };

export interface Announcement {
  number: string;
  window: number;
}

// Events after which the ticket is no longer waiting at the board for its holder.
const LEAVES_THE_BOARD = new Set([
  'service_started',
  'ticket_finished',
  'ticket_no_show',
  'ticket_cancelled',
  'ticket_transferred',
]);

const newestFirst = (a: { called_at: string }, b: { called_at: string }) => b.called_at.localeCompare(a.called_at);

// The last calls, a ticket once (at its latest call): a recalled ticket is one row, moved up.
export function latestCalls(calls: readonly RecentCall[]): RecentCall[] {
  const seen = new Set<string>();
  return calls.filter((c) => !seen.has(c.number) && seen.add(c.number)).slice(0, RECENT_CALLS);
}

export function fromSnapshot(s: DisplaySnapshot): BoardState {
  return {
    center: s.center,
    calls: [...s.calls].sort(newestFirst),
    recent: latestCalls(s.recent_calls),
    groups: s.groups,
  };
}

export function boardReducer(state: BoardState, type: string, data: unknown): BoardState {
  if (type === 'snapshot') return fromSnapshot(data as DisplaySnapshot);
  const e = data as CenterEvent;
  const groups = Array.isArray(e.queues) ? e.queues : state.groups;
  const number = e.ticket?.number ?? (typeof e.details?.number === 'string' ? e.details.number : undefined);
  let { calls, recent } = state;
  if ((type === 'ticket_called' || type === 'ticket_recalled') && number) {
    const window = e.ticket?.window_number ?? Number(e.details?.window_number ?? 0);
    const calledAt = e.ticket?.called_at ?? e.at;
    const call: DisplayCall = {
      number,
      window_number: window,
      called_at: type === 'ticket_recalled' ? e.at : calledAt,
      recalls: e.ticket?.recalls ?? Number(e.details?.recalls ?? 0),
    };
    calls = [call, ...calls.filter((c) => c.number !== number)];
    recent = latestCalls([{ number, window_number: window, called_at: call.called_at }, ...recent]);
  } else if (type === 'day_closed') {
    calls = [];
  } else if (number && LEAVES_THE_BOARD.has(type)) {
    // Not by e.ticket.state: for a ticket that ended, the server may attach its copy from the call.
    calls = calls.filter((c) => c.number !== number);
  }
  return { ...state, calls, recent, groups };
}

// What the board says aloud for an event: only a call or a recall, never a snapshot.
export function announcementFor(type: string, data: unknown): Announcement | null {
  if (type !== 'ticket_called' && type !== 'ticket_recalled') return null;
  const e = data as CenterEvent;
  const number = e.ticket?.number ?? e.details?.number;
  const window = e.ticket?.window_number ?? e.details?.window_number;
  if (typeof number !== 'string' || typeof window !== 'number' || window <= 0) return null;
  return { number, window };
}

// "П-007" read by the browser's speech as "П 7".
export function spokenNumber(number: string): string {
  const m = /^(.*?)-0*(\d+)$/.exec(number);
  return m ? `${m[1]} ${m[2]}` : number;
}
