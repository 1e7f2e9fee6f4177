import { describe, expect, it } from 'vitest';
import type { PublicTicket } from '../src/api/types';
import { canCancel, isFinal, isNewCall } from '../src/pages/track/state';

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
});
