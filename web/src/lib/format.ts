// How numbers and times read on the pages: waits in minutes, times of day in the center's zone.
import { translate, type Lang } from '../i18n';

// Every center is in Ukraine; older ICU data knows the zone only by its former name.
export const TIME_ZONE = pickZone();

function pickZone(): string {
  for (const zone of ['Europe/Kyiv', 'Europe/Kiev']) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone;
    } catch {
      /* unknown to this ICU: try the next name */
    }
  }
  return 'UTC';
}

const locales: Record<Lang, string> = { uk: 'uk-UA', en: 'en-GB' };

export type WaitParts =
  | { kind: 'unknown' }
  | { kind: 'under_minute' }
  | { kind: 'minutes'; minutes: number }
  | { kind: 'hours'; hours: number; minutes: number };

// A wait in whole minutes, rounded to the nearest; under a minute and unknown (null) apart.
export function waitParts(ms: number | null | undefined): WaitParts {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return { kind: 'unknown' };
  if (ms < 60_000) return { kind: 'under_minute' };
  const total = Math.round(ms / 60_000);
  if (total < 60) return { kind: 'minutes', minutes: total };
  return { kind: 'hours', hours: Math.floor(total / 60), minutes: total % 60 };
}

export function formatWait(lang: Lang, ms: number | null | undefined): string {
  const p = waitParts(ms);
  switch (p.kind) {
    case 'unknown':
      return translate(lang, 'common.minutes_unknown');
    case 'under_minute':
      return translate(lang, 'common.less_than_minute');
    case 'minutes':
      return translate(lang, 'wait.minutes', { n: p.minutes });
    case 'hours':
      return p.minutes === 0
        ? translate(lang, 'wait.hours', { h: p.hours })
        : translate(lang, 'wait.hours_minutes', { h: p.hours, m: p.minutes });
  }
}

export function formatPeople(lang: Lang, n: number): string {
  return translate(lang, 'people.ahead', { n });
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function cached(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = lang + JSON.stringify(options);
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locales[lang], { timeZone: TIME_ZONE, ...options });
    timeFormats.set(key, f);
  }
  return f;
}

function toDate(at: string | number | Date): Date | null {
  const d = at instanceof Date ? at : new Date(at);
  return Number.isNaN(d.getTime()) ? null : d;
}

// 14:05, in Kyiv whatever the device's zone.
export function formatTime(lang: Lang, at: string | number | Date | null | undefined): string {
  const d = at === null || at === undefined ? null : toDate(at);
  if (!d) return '—';
  return cached(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

// 14:05:09, for the display board's clock.
export function formatClock(lang: Lang, at: Date): string {
  return cached(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(at);
}

// "середа, 12 листопада" / "Wednesday 12 November".
export function formatDate(lang: Lang, at: string | number | Date): string {
  const d = toDate(at);
  if (!d) return '';
  return cached(lang, { weekday: 'long', day: 'numeric', month: 'long' }).format(d);
}

// A name the server gives in both languages; English falls back to Ukrainian when it is empty.
export function localName(lang: Lang, named: { name_uk?: string; name_en?: string } | null | undefined): string {
  if (!named) return '';
  if (lang === 'en' && named.name_en) return named.name_en;
  return named.name_uk ?? named.name_en ?? '';
}

// A running time as a clock shows it: 0:09, 3:05, 1:02:03 (same in every language).
export function formatElapsed(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}
