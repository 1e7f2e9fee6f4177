// What the tracking page does when a new state of the ticket arrives.
import { FINAL_STATES, type PublicTicket } from '../../api/types';

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
