// The kiosk's steps: group -> purpose -> priority (when the center has categories) -> issuing ->
// the ticket. A press that issues carries one Idempotency-Key; a retry after a lost connection
// sends the same key, so the server never issues two tickets for one press. A ticket is shown only
// from the server's answer.
import type { GroupLoad, IssueResponse, Purpose } from '../../api/types';

// offline: no answer (retry with the same key); busy: the kiosk issued too many tickets in a row
// (429: wait a minute and try again); rejected: the server refused the ticket.
export type FailReason = 'offline' | 'busy' | 'rejected';

export interface Choice {
  group: GroupLoad;
  purpose: Purpose;
  priority: string | null;
}

export type KioskState =
  | { step: 'group' }
  | { step: 'purpose'; group: GroupLoad }
  | { step: 'priority'; group: GroupLoad; purpose: Purpose }
  | { step: 'issuing'; choice: Choice; key: string }
  | { step: 'failed'; choice: Choice; key: string; reason: FailReason }
  | { step: 'ticket'; issued: IssueResponse };

export type KioskAction =
  | { type: 'group'; group: GroupLoad }
  | { type: 'purpose'; purpose: Purpose; categories: readonly string[]; key: string }
  | { type: 'priority'; priority: string | null; key: string }
  | { type: 'issued'; key: string; issued: IssueResponse }
  | { type: 'failed'; key: string; reason: FailReason }
  | { type: 'retry' }
  | { type: 'back' }
  | { type: 'reset' };

export const initialKiosk: KioskState = { step: 'group' };

export function kioskReducer(state: KioskState, action: KioskAction): KioskState {
  switch (action.type) {
    case 'reset':
      return initialKiosk;
    case 'group':
      return state.step === 'group' ? { step: 'purpose', group: action.group } : state;
    case 'purpose':
      if (state.step !== 'purpose') return state;
      if (action.categories.length > 0) return { step: 'priority', group: state.group, purpose: action.purpose };
      return {
        step: 'issuing',
        choice: { group: state.group, purpose: action.purpose, priority: null },
        key: action.key,
      };
    case 'priority':
      if (state.step !== 'priority') return state;
      return {
        step: 'issuing',
        choice: { group: state.group, purpose: state.purpose, priority: action.priority },
        key: action.key,
      };
    case 'issued':
      // Only the answer to the press being issued: a late answer after "start over" is dropped.
      return state.step === 'issuing' && state.key === action.key ? { step: 'ticket', issued: action.issued } : state;
    case 'failed':
      return state.step === 'issuing' && state.key === action.key
        ? { step: 'failed', choice: state.choice, key: state.key, reason: action.reason }
        : state;
    case 'retry':
      // The same key: if the first try did issue a ticket, the server answers with that ticket.
      return state.step === 'failed' && (state.reason === 'offline' || state.reason === 'busy')
        ? { step: 'issuing', choice: state.choice, key: state.key }
        : state;
    case 'back':
      switch (state.step) {
        case 'purpose':
          return initialKiosk;
        case 'priority':
          return { step: 'purpose', group: state.group };
        case 'failed':
          return initialKiosk;
        default:
          return state;
      }
  }
}

// Whether the 30-second idle return to the start applies (never while a ticket is being issued).
export function idleResets(state: KioskState): boolean {
  return state.step !== 'group' && state.step !== 'issuing';
}
