// The colleagues a ticket may be transferred to by name in a group: those who serve it (the
// server lists only the staff who work at a window of the center).
import type { Colleague } from '../api/types';

export function colleaguesFor(colleagues: readonly Colleague[], groupId: number): Colleague[] {
  return colleagues.filter((c) => (c.group_ids ?? []).includes(groupId));
}
