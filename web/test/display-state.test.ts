import { describe, expect, it } from 'vitest';
import type { CenterEvent, DisplaySnapshot, GroupLoad, PublicTicket } from '../src/api/types';
import { announcementFor, boardReducer, emptyBoard, RECENT_CALLS, spokenNumber } from '../src/pages/display/state';

const queues = (waiting: number): GroupLoad[] => [
  { group_id: 1, letter: 'П', name_uk: 'Паспорти', name_en: '', waiting, administrators: 1, expected_wait_ms: null, longest_wait_ms: 0 },
];
const snapshot: DisplaySnapshot = {
  center: { id: 1, name_uk: 'ЦНАП', name_en: 'ASC' },
  at: '2026-11-22T10:00:00Z',
  calls: [
    { number: 'П-001', window_number: 1, called_at: '2026-11-22T09:58:00Z', recalls: 0 },
    { number: 'П-002', window_number: 2, called_at: '2026-11-22T09:59:00Z', recalls: 0 },
  ],
  recent_calls: [
    { number: 'П-002', window_number: 2, called_at: '2026-11-22T09:59:00Z' },
    { number: 'П-001', window_number: 1, called_at: '2026-11-22T09:58:00Z' },
  ],
  groups: queues(4),
  last_event_id: 10,
};
const ticket = (number: string, state: PublicTicket['state'], window: number | null, recalls = 0) =>
  ({ number, state, window_number: window, called_at: '2026-11-22T10:01:00Z', recalls }) as PublicTicket;
const event = (t: Partial<CenterEvent>): CenterEvent => ({ at: '2026-11-22T10:01:00Z', queues: queues(3), details: {}, ...t });

describe('the display board', () => {
  it('a snapshot replaces everything; calls newest first', () => {
    const s = boardReducer({ ...emptyBoard, calls: [{ number: 'X-9', window_number: 9, called_at: '', recalls: 0 }] }, 'snapshot', snapshot);
    expect(s.calls.map((c) => c.number)).toEqual(['П-002', 'П-001']);
    expect(s.recent).toHaveLength(2);
    expect(s.center?.name_uk).toBe('ЦНАП');
    expect(s.groups[0]?.waiting).toBe(4);
  });

  it('a call goes on top of the calls and of the recent calls; the queues come with every event', () => {
    let s = boardReducer(emptyBoard, 'snapshot', snapshot);
    s = boardReducer(s, 'ticket_called', event({ ticket: ticket('П-003', 'called', 3), details: { number: 'П-003', window_number: 3 } }));
    expect(s.calls[0]).toMatchObject({ number: 'П-003', window_number: 3 });
    expect(s.recent[0]).toMatchObject({ number: 'П-003', window_number: 3 });
    expect(s.groups[0]?.waiting).toBe(3);
  });

  it('a recall moves the call up again, and up the recent calls, listed once', () => {
    let s = boardReducer(emptyBoard, 'snapshot', snapshot);
    s = boardReducer(
      s,
      'ticket_recalled',
      event({ at: '2026-11-22T10:02:00Z', ticket: ticket('П-001', 'called', 1, 1), details: { number: 'П-001', window_number: 1, recalls: 1 } }),
    );
    expect(s.calls.map((c) => c.number)).toEqual(['П-001', 'П-002']);
    expect(s.calls[0]?.recalls).toBe(1);
    expect(s.recent.map((c) => c.number)).toEqual(['П-001', 'П-002']);
    expect(s.recent[0]?.called_at).toBe('2026-11-22T10:02:00Z');
  });

  it('a snapshot that lists a recalled ticket twice shows it once, at its latest call', () => {
    const s = boardReducer(emptyBoard, 'snapshot', {
      ...snapshot,
      recent_calls: [
        { number: 'П-001', window_number: 1, called_at: '2026-11-22T10:02:00Z' },
        { number: 'П-002', window_number: 2, called_at: '2026-11-22T09:59:00Z' },
        { number: 'П-001', window_number: 1, called_at: '2026-11-22T09:58:00Z' },
      ],
    });
    expect(s.recent.map((c) => `${c.number} ${c.called_at}`)).toEqual(['П-001 2026-11-22T10:02:00Z', 'П-002 2026-11-22T09:59:00Z']);
  });

  it('the recent calls keep the last RECENT_CALLS tickets, each once', () => {
    let s = boardReducer(emptyBoard, 'snapshot', snapshot);
    for (let i = 3; i < 3 + RECENT_CALLS + 2; i++) {
      const number = `П-${String(i).padStart(3, '0')}`;
      s = boardReducer(s, 'ticket_called', event({ ticket: ticket(number, 'called', 1), details: { number, window_number: 1 } }));
      s = boardReducer(s, 'ticket_recalled', event({ ticket: ticket(number, 'called', 1, 1), details: { number, window_number: 1, recalls: 1 } }));
    }
    expect(s.recent).toHaveLength(RECENT_CALLS);
    expect(new Set(s.recent.map((c) => c.number)).size).toBe(RECENT_CALLS);
  });

  it('a ticket leaves the calls when served, finished, absent, cancelled or transferred', () => {
    for (const type of ['service_started', 'ticket_finished', 'ticket_no_show', 'ticket_cancelled', 'ticket_transferred']) {
      const s = boardReducer(boardReducer(emptyBoard, 'snapshot', snapshot), type, event({ details: { number: 'П-001' } }));
      expect(s.calls.map((c) => c.number), type).toEqual(['П-002']);
      expect(s.recent, type).toHaveLength(2);
    }
    // The server may attach the ticket as it was at its call (state "called") to a finish.
    const s = boardReducer(
      boardReducer(emptyBoard, 'snapshot', snapshot),
      'ticket_finished',
      event({ ticket: ticket('П-002', 'called', 2), details: { number: 'П-002' } }),
    );
    expect(s.calls.map((c) => c.number)).toEqual(['П-001']);
  });

  it('the end of the day clears the calls; other events change only the queues', () => {
    const base = boardReducer(emptyBoard, 'snapshot', snapshot);
    expect(boardReducer(base, 'day_closed', event({ details: { closed: 2 } })).calls).toEqual([]);
    const issued = boardReducer(base, 'ticket_issued', event({ ticket: ticket('П-009', 'waiting', null), details: { number: 'П-009' } }));
    expect(issued.calls).toEqual(base.calls);
    expect(issued.recent).toEqual(base.recent);
    expect(issued.groups[0]?.waiting).toBe(3);
  });

  it('keeps the last 8 calls', () => {
    let s = emptyBoard;
    for (let i = 1; i <= 12; i++) {
      const n = `П-${String(i).padStart(3, '0')}`;
      s = boardReducer(s, 'ticket_called', event({ ticket: ticket(n, 'called', 1), details: { number: n, window_number: 1 } }));
    }
    expect(s.recent).toHaveLength(RECENT_CALLS);
    expect(s.recent[0]?.number).toBe('П-012');
  });

  it('says calls and recalls aloud, nothing else', () => {
    const e = event({ ticket: ticket('П-003', 'called', 3), details: { number: 'П-003', window_number: 3 } });
    expect(announcementFor('ticket_called', e)).toEqual({ number: 'П-003', window: 3 });
    expect(announcementFor('ticket_recalled', event({ details: { number: 'П-004', window_number: 2 } }))).toEqual({
      number: 'П-004',
      window: 2,
    });
    expect(announcementFor('snapshot', snapshot)).toBeNull();
    expect(announcementFor('ticket_issued', e)).toBeNull();
    expect(spokenNumber('П-007')).toBe('П 7');
    expect(spokenNumber('ВП-120')).toBe('ВП 120');
    expect(spokenNumber('weird')).toBe('weird');
  });
});
