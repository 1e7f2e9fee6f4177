import { describe, expect, it } from 'vitest';
import type { GroupLoad, IssueResponse } from '../src/api/types';
import { idleResets, initialKiosk, kioskReducer, type KioskAction, type KioskState } from '../src/pages/kiosk/state';

const group: GroupLoad = {
  group_id: 1,
  letter: 'П',
  name_uk: 'Паспорти',
  name_en: 'Passports',
  waiting: 2,
  administrators: 1,
  expected_wait_ms: 600_000,
  longest_wait_ms: 0,
};
const issued = { ticket: { number: 'П-001' }, tracking_url: 'http://x/t/T', qr_svg: null } as unknown as IssueResponse;
const run = (actions: KioskAction[], from: KioskState = initialKiosk) => actions.reduce(kioskReducer, from);

describe('the kiosk steps', () => {
  it('group, purpose, priority, then one key for the press', () => {
    const s = run([
      { type: 'group', group },
      { type: 'purpose', purpose: 'submit_documents', categories: ['war_veteran'], key: 'unused' },
      { type: 'priority', priority: 'war_veteran', key: 'k1' },
    ]);
    expect(s).toEqual({
      step: 'issuing',
      choice: { group, purpose: 'submit_documents', priority: 'war_veteran' },
      key: 'k1',
    });
  });

  it('skips the priority question when the center has no categories', () => {
    const s = run([
      { type: 'group', group },
      { type: 'purpose', purpose: 'consultation', categories: [], key: 'k2' },
    ]);
    expect(s).toMatchObject({ step: 'issuing', key: 'k2', choice: { priority: null } });
  });

  it('shows a ticket only from the answer to the press being issued', () => {
    const issuing = run([
      { type: 'group', group },
      { type: 'purpose', purpose: 'consultation', categories: [], key: 'k3' },
    ]);
    expect(kioskReducer(issuing, { type: 'issued', key: 'other', issued })).toBe(issuing);
    expect(kioskReducer(issuing, { type: 'issued', key: 'k3', issued })).toEqual({ step: 'ticket', issued });
    // A late answer after "start over" is dropped.
    expect(kioskReducer(initialKiosk, { type: 'issued', key: 'k3', issued })).toBe(initialKiosk);
  });

  it('after a lost connection, a retry sends the same key; a refusal cannot be retried', () => {
    const issuing = run([
      { type: 'group', group },
      { type: 'purpose', purpose: 'consultation', categories: [], key: 'k4' },
    ]);
    const failed = kioskReducer(issuing, { type: 'failed', key: 'k4', reason: 'offline' });
    expect(failed).toMatchObject({ step: 'failed', reason: 'offline', key: 'k4' });
    expect(kioskReducer(failed, { type: 'retry' })).toEqual(issuing);
    const refused = kioskReducer(issuing, { type: 'failed', key: 'k4', reason: 'rejected' });
    expect(kioskReducer(refused, { type: 'retry' })).toBe(refused);
  });

  it('a kiosk told to slow down (429) may try again with the same key', () => {
    const issuing = run([
      { type: 'group', group },
      { type: 'purpose', purpose: 'consultation', categories: [], key: 'k5' },
    ]);
    const busy = kioskReducer(issuing, { type: 'failed', key: 'k5', reason: 'busy' });
    expect(busy).toMatchObject({ step: 'failed', reason: 'busy', key: 'k5' });
    expect(kioskReducer(busy, { type: 'retry' })).toEqual(issuing);
  });

  it('back goes one step back; reset goes to the start', () => {
    const purpose = run([{ type: 'group', group }]);
    const priority = run([{ type: 'purpose', purpose: 'consultation', categories: ['pregnant'], key: 'k' }], purpose);
    expect(kioskReducer(priority, { type: 'back' })).toEqual(purpose);
    expect(kioskReducer(purpose, { type: 'back' })).toEqual(initialKiosk);
    expect(kioskReducer(priority, { type: 'reset' })).toEqual(initialKiosk);
  });

  it('the idle return applies everywhere but the start and while issuing', () => {
    expect(idleResets(initialKiosk)).toBe(false);
    expect(idleResets(run([{ type: 'group', group }]))).toBe(true);
    expect(idleResets({ step: 'ticket', issued })).toBe(true);
    expect(
      idleResets(run([{ type: 'group', group }, { type: 'purpose', purpose: 'consultation', categories: [], key: 'k' }])),
    ).toBe(false);
  });
});
