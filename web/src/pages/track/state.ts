// What the tracking page does when a new state of the ticket arrives.
import { FINAL_STATES, type PublicTicket } from '../../api/types';
import type { MessageKey } from '../../i18n';

// A call the holder must notice now: the ticket became called, was called again, or was sent to
// another window. Not on the first state the page reads (the holder is looking at it already).
export function isNewCall(prev: PublicTicket | null, next: PublicTicket): boolean {
  if (!prev || next.state !== 'called') return false;
  return prev.state !== 'called' || next.recalls > prev.recalls || next.window_number !== prev.window_number;
}

export function isFinal(t: PublicTicket): boolean {
  return FINAL_STATES.includes(t.state);
}

// Only a waiting ticket can be withdrawn by its holder (the server says 409 otherwise).
export function canCancel(t: PublicTicket): boolean {
  return t.state === 'waiting';
}

// What the page says under "ahead" of a waiting ticket, so that the number is not read as a
// promise: nobody serves the group now; the administrators serve other groups too (their later
// visitors may go first); priority visitors go first; the ticket was transferred.
export function waitingNotes(t: PublicTicket): { key: MessageKey; n?: number }[] {
  if (t.state !== 'waiting') return [];
  const notes: { key: MessageKey; n?: number }[] = [];
  if (t.expected_wait_ms === null) notes.push({ key: 'track.nobody_serves' });
  else if (t.shared_administrators) notes.push({ key: 'track.shared' });
  if ((t.priority_ahead ?? 0) > 0) notes.push({ key: 'track.priority_ahead', n: t.priority_ahead ?? 0 });
  if (t.transferred) notes.push({ key: t.named_administrator ? 'track.transferred_named' : 'track.transferred' });
  return notes;
}
