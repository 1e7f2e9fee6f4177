// The head's live view, its pure part: from GET /queue/state (read at some moment) and the time
// now, every window's row, the queues, the waiting tickets longest first, and which waits have
// passed the center's target.
import type { AdministratorInfo, GroupLoad, QueueState, StaffTicket } from '../../api/types';
import { liveMs } from '../desk/state';

export type WindowStatus = 'free' | 'called' | 'serving' | 'paused';

export interface WindowRow {
  userId: number;
  name: string;
  windowNumber: number | null;
  status: WindowStatus;
  pauseReason: string;
  ticket: StaffTicket | null;
  withMs: number | null; // since the call of the ticket held
  inStatusMs: number | null; // since the last change of status
}

export interface WaitingRow {
  ticket: StaffTicket;
  waitedMs: number;
  over: boolean;
}

export interface GroupRow {
  group: GroupLoad;
  longestMs: number;
  over: boolean;
}

export interface HeadView {
  targetMs: number;
  longestMs: number;
  longestOver: boolean;
  longestTicket: StaffTicket | null;
  windows: WindowRow[];
  groups: GroupRow[];
  waiting: WaitingRow[];
}

// Over the target: strictly longer than it; a center without a target (0) has nothing over it.
export function overTarget(ms: number, targetMs: number): boolean {
  return targetMs > 0 && ms > targetMs;
}

export function statusOf(a: AdministratorInfo): WindowStatus {
  if (a.status === 'paused') return 'paused';
  if (a.ticket?.state === 'serving') return 'serving';
  if (a.ticket) return 'called';
  return 'free';
}

// readAt: when the state was read, by this browser's clock; the server's own "at" is the zero of
// its times, so a browser whose clock is off still counts right.
export function headView(s: QueueState, readAt: number, now: number): HeadView {
  const serverNow = Date.parse(s.at);
  const since = (iso: string | null): number | null => {
    if (!iso || !Number.isFinite(serverNow)) return null;
    const t = Date.parse(iso);
    return Number.isFinite(t) ? liveMs(serverNow - t, readAt, now) : null;
  };
  const windows = s.administrators
    .filter((a) => a.status !== 'signed_out')
    .map<WindowRow>((a) => ({
      userId: a.user_id,
      name: a.name,
      windowNumber: a.window_number,
      status: statusOf(a),
      pauseReason: a.pause_reason,
      ticket: a.ticket,
      withMs: a.ticket ? liveMs(a.ticket.with_ms ?? 0, readAt, now) : null,
      inStatusMs: since(a.since),
    }))
    .sort((x, y) => (x.windowNumber ?? 1e9) - (y.windowNumber ?? 1e9) || x.name.localeCompare(y.name));
  const waiting = s.waiting
    .filter((t) => t.state === 'waiting')
    .map<WaitingRow>((t) => {
      const waitedMs = liveMs(t.waited_ms, readAt, now);
      return { ticket: t, waitedMs, over: overTarget(waitedMs, s.wait_target_ms) };
    })
    .sort((x, y) => y.waitedMs - x.waitedMs || x.ticket.number.localeCompare(y.ticket.number));
  const longestByGroup = new Map<number, number>();
  for (const w of waiting) {
    longestByGroup.set(w.ticket.group.id, Math.max(longestByGroup.get(w.ticket.group.id) ?? 0, w.waitedMs));
  }
  const groups = s.groups.map<GroupRow>((g) => {
    const longestMs = g.waiting > 0 ? (longestByGroup.get(g.group_id) ?? liveMs(g.longest_wait_ms, readAt, now)) : 0;
    return { group: g, longestMs, over: overTarget(longestMs, s.wait_target_ms) };
  });
  const first = waiting[0] ?? null;
  const longestMs = first ? first.waitedMs : 0;
  return {
    targetMs: s.wait_target_ms,
    longestMs,
    longestOver: overTarget(longestMs, s.wait_target_ms),
    longestTicket: first?.ticket ?? null,
    windows,
    groups,
    waiting,
  };
}
