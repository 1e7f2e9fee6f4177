import { describe, expect, it } from 'vitest';
import type { AdministratorInfo, GroupLoad, QueueState, StaffTicket } from '../src/api/types';
import { headView, overTarget, statusOf } from '../src/pages/head/state';

const MIN = 60_000;
const group = (id: number, letter: string, waiting: number, longest = 0): GroupLoad => ({
  group_id: id,
  letter,
  name_uk: letter,
  name_en: letter,
  waiting,
  administrators: 1,
  expected_wait_ms: null,
  longest_wait_ms: longest,
});
const waitingTicket = (id: number, number: string, groupId: number, waited: number) =>
  ({ id, number, state: 'waiting', group: { id: groupId }, waited_ms: waited, transfers: [] }) as unknown as StaffTicket;
const admin = (over: Partial<AdministratorInfo>): AdministratorInfo => ({
  user_id: 1,
  name: 'Іван',
  status: 'available',
  pause_reason: '',
  window_id: 1,
  window_number: 1,
  since: '2026-11-22T09:50:00Z',
  primary_groups: [],
  secondary_groups: [],
  ticket: null,
  ...over,
});
const state = (over: Partial<QueueState> = {}): QueueState => ({
  center: { id: 1, name_uk: 'ЦНАП', name_en: 'ASC' },
  at: '2026-11-22T10:00:00Z',
  day: '2026-11-22',
  wait_target_ms: 20 * MIN,
  longest_wait_ms: 0,
  administrators: [],
  groups: [],
  waiting: [],
  ...over,
});

describe("the head's view", () => {
  it('a wait is over the target only when longer than it; no target, nothing over', () => {
    expect(overTarget(20 * MIN, 20 * MIN)).toBe(false);
    expect(overTarget(20 * MIN + 1, 20 * MIN)).toBe(true);
    expect(overTarget(99 * MIN, 0)).toBe(false);
  });

  it('the waiting tickets longest first; the longest wait is marked once it passes the target', () => {
    const s = state({
      groups: [group(1, 'П', 2), group(2, 'С', 1)],
      waiting: [waitingTicket(1, 'П-001', 1, 5 * MIN), waitingTicket(2, 'С-001', 2, 19 * MIN), waitingTicket(3, 'П-002', 1, 2 * MIN)],
    });
    const v = headView(s, 1000, 1000);
    expect(v.waiting.map((w) => w.ticket.number)).toEqual(['С-001', 'П-001', 'П-002']);
    expect(v.longestTicket?.number).toBe('С-001');
    expect(v.longestMs).toBe(19 * MIN);
    expect(v.longestOver).toBe(false);
    expect(v.groups.map((g) => [g.group.letter, g.longestMs, g.over])).toEqual([
      ['П', 5 * MIN, false],
      ['С', 19 * MIN, false],
    ]);
    // Two minutes later by the browser's clock, with no new read: С-001 is now past 20 minutes.
    const later = headView(s, 1000, 1000 + 2 * MIN);
    expect(later.longestMs).toBe(21 * MIN);
    expect(later.longestOver).toBe(true);
    expect(later.waiting.filter((w) => w.over).map((w) => w.ticket.number)).toEqual(['С-001']);
    expect(later.groups.find((g) => g.group.letter === 'С')?.over).toBe(true);
    expect(later.groups.find((g) => g.group.letter === 'П')?.over).toBe(false);
  });

  it('nobody waiting: no longest wait and nothing over', () => {
    const v = headView(state({ groups: [group(1, 'П', 0, 0)] }), 0, 99 * MIN);
    expect(v.longestTicket).toBeNull();
    expect(v.longestOver).toBe(false);
    expect(v.groups[0]?.longestMs).toBe(0);
  });

  it('windows in order of their number, with what each is doing and for how long', () => {
    const held = { id: 9, number: 'П-003', state: 'serving', with_ms: 4 * MIN } as StaffTicket;
    const s = state({
      administrators: [
        admin({ user_id: 2, name: 'Олена', window_number: 3, ticket: held }),
        admin({ user_id: 3, name: 'Петро', window_number: 2, status: 'paused', pause_reason: 'Обід' }),
        admin({ user_id: 1, name: 'Іван', window_number: 1 }),
      ],
    });
    const v = headView(s, 5000, 5000 + 30_000);
    expect(v.windows.map((w) => [w.windowNumber, w.name, w.status])).toEqual([
      [1, 'Іван', 'free'],
      [2, 'Петро', 'paused'],
      [3, 'Олена', 'serving'],
    ]);
    expect(v.windows[2]?.withMs).toBe(4 * MIN + 30_000);
    expect(v.windows[0]?.inStatusMs).toBe(10 * MIN + 30_000); // since 09:50 by the server's clock
    expect(v.windows[1]?.pauseReason).toBe('Обід');
  });

  it('status: a called ticket is "calling", a paused administrator is paused', () => {
    expect(statusOf(admin({ ticket: { state: 'called' } as StaffTicket }))).toBe('called');
    expect(statusOf(admin({ status: 'paused' }))).toBe('paused');
    expect(statusOf(admin({}))).toBe('free');
  });
});
