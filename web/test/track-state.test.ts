import { describe, expect, it } from 'vitest';
import type { PublicTicket } from '../src/api/types';
import { translate } from '../src/i18n';
import { canCancel, isFinal, isNewCall, waitingNotes } from '../src/pages/track/state';

const t = (state: PublicTicket['state'], window: number | null = null, recalls = 0) =>
  ({ number: 'П-001', state, window_number: window, recalls }) as PublicTicket;

describe('the tracking page', () => {
  it('rings on a call, a recall, a move to another window; not on the first reading', () => {
    expect(isNewCall(t('waiting'), t('called', 3))).toBe(true);
    expect(isNewCall(t('called', 3), t('called', 3, 1))).toBe(true);
    expect(isNewCall(t('called', 3), t('called', 4))).toBe(true);
    expect(isNewCall(t('called', 3), t('called', 3))).toBe(false);
    expect(isNewCall(null, t('called', 3))).toBe(false);
    expect(isNewCall(t('called', 3), t('serving', 3))).toBe(false);
  });

  it('only a waiting ticket can be withdrawn; four states are final', () => {
    expect(canCancel(t('waiting'))).toBe(true);
    expect(canCancel(t('called', 1))).toBe(false);
    expect(['waiting', 'called', 'serving', 'done', 'no_show', 'cancelled', 'closed'].filter((s) => isFinal(t(s as PublicTicket['state'])))).toEqual([
      'done',
      'no_show',
      'cancelled',
      'closed',
    ]);
  });

  it('says why the place may change and when nobody serves the group, never promising «next» then', () => {
    const waiting = (over: Partial<PublicTicket>) => ({ ...t('waiting'), ahead: 0, expected_wait_ms: 60_000, ...over }) as PublicTicket;
    expect(waitingNotes(waiting({}))).toEqual([]);
    expect(waitingNotes(waiting({ expected_wait_ms: null })).map((n) => n.key)).toEqual(['track.nobody_serves']);
    const shared = waitingNotes(waiting({ shared_administrators: true, priority_ahead: 2, transferred: true, named_administrator: true }));
    expect(shared.map((n) => n.key)).toEqual(['track.shared', 'track.priority_ahead', 'track.transferred_named']);
    expect(translate('uk', 'track.priority_ahead', { n: 2 })).toBe('Серед них 2 відвідувачі поза чергою (пільгові категорії).');
    expect(waitingNotes({ ...t('called', 2), shared_administrators: true } as PublicTicket)).toEqual([]);
  });
});
