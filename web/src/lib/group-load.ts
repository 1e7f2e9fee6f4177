// How a service group's load reads to a citizen (the kiosk's buttons, /load). "No queue" must never
// be said of a group that nobody serves now: nobody waits there because nobody is at work for it,
// and a ticket taken now waits for someone to come. Who serves it comes from the group's
// `administrators` (src/queue/service.cpp, loads_json: staff signed in at a window, not on a
// break, with the group among their skills); a server that sends no such figure is read by the
// expected wait alone, which it leaves null when it cannot estimate one.
import type { GroupLoad } from '../api/types';
import { translate, type Lang } from '../i18n';
import { formatWait } from './format';

export type GroupOutlook =
  | { kind: 'nobody_serving'; waiting: number } // nobody at work serves it now
  | { kind: 'no_queue' } // somebody serves it and nobody waits
  | { kind: 'wait'; waiting: number; expectedMs: number | null };

// How many serve the group now; null when the server does not say.
export function servingNow(g: Pick<GroupLoad, 'administrators'>): number | null {
  const n = (g as { administrators?: unknown }).administrators;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

export function groupOutlook(g: Pick<GroupLoad, 'waiting' | 'administrators' | 'expected_wait_ms'>): GroupOutlook {
  const serving = servingNow(g);
  const expected = typeof g.expected_wait_ms === 'number' ? g.expected_wait_ms : null;
  if (serving === 0) return { kind: 'nobody_serving', waiting: g.waiting };
  if (g.waiting === 0 && (serving !== null || expected !== null)) return { kind: 'no_queue' };
  return { kind: 'wait', waiting: g.waiting, expectedMs: expected };
}

// The line under a group's name on the kiosk.
export function kioskGroupLine(lang: Lang, g: Pick<GroupLoad, 'waiting' | 'administrators' | 'expected_wait_ms'>): string {
  const o = groupOutlook(g);
  switch (o.kind) {
    case 'nobody_serving':
      return o.waiting > 0
        ? translate(lang, 'kiosk.group_load', {
            waiting: translate(lang, 'people.waiting', { n: o.waiting }),
            wait: translate(lang, 'load.nobody_serving'),
          })
        : translate(lang, 'load.nobody_serving');
    case 'no_queue':
      return translate(lang, 'kiosk.no_queue');
    case 'wait':
      if (o.waiting === 0) return formatWait(lang, o.expectedMs);
      return translate(lang, 'kiosk.group_load', {
        waiting: translate(lang, 'people.waiting', { n: o.waiting }),
        wait: formatWait(lang, o.expectedMs),
      });
  }
}

// The expected-wait cell of a group on /load.
export function loadWaitCell(lang: Lang, g: Pick<GroupLoad, 'waiting' | 'administrators' | 'expected_wait_ms'>): string {
  return groupOutlook(g).kind === 'nobody_serving' ? translate(lang, 'load.nobody_serving') : formatWait(lang, g.expected_wait_ms);
}
