// The administrator's console, its pure part: which commands the moment allows, the keyboard
// shortcuts, the outcome to suggest, the words for the server's refusals.
import { ApiError, NetworkError } from '../../api/client';
import type { AdministratorInfo, Outcome, Purpose } from '../../api/types';
import type { MessageKey } from '../../i18n';

export type DeskAction = 'next' | 'recall' | 'start' | 'finish' | 'transfer' | 'no_show' | 'pause' | 'resume';

// A shortcut names what the key means; P is "pause or resume", whichever the moment allows.
// "register" opens the registration of an application for the ticket at hand (a page, not a command).
export type Shortcut = Exclude<DeskAction, 'resume'> | 'register';

// By the physical key (KeyboardEvent.code), so the shortcuts work the same on a Ukrainian layout
// (where the N key types "т"); the typed letter is the fallback for keyboards without codes.
const BY_CODE: Record<string, Shortcut> = {
  KeyN: 'next',
  Space: 'next',
  Enter: 'next',
  NumpadEnter: 'next',
  KeyR: 'recall',
  KeyS: 'start',
  KeyF: 'finish',
  KeyT: 'transfer',
  KeyX: 'no_show',
  KeyP: 'pause',
  KeyA: 'register',
};
const BY_KEY: Record<string, Shortcut> = {
  n: 'next',
  ' ': 'next',
  Enter: 'next',
  r: 'recall',
  s: 'start',
  f: 'finish',
  t: 'transfer',
  x: 'no_show',
  p: 'pause',
  a: 'register',
};

// The keys as the screen lists them, in this order.
export const SHORTCUTS: readonly { keys: readonly string[]; action: Shortcut }[] = [
  { keys: ['N', 'Space', 'Enter'], action: 'next' },
  { keys: ['R'], action: 'recall' },
  { keys: ['S'], action: 'start' },
  { keys: ['F'], action: 'finish' },
  { keys: ['T'], action: 'transfer' },
  { keys: ['X'], action: 'no_show' },
  { keys: ['P'], action: 'pause' },
  { keys: ['A'], action: 'register' },
];

export interface KeyInput {
  code: string;
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  repeat?: boolean;
  // What has the focus: a field takes every key, a button or a link takes Space and Enter.
  target: 'field' | 'control' | 'other';
}

export function shortcutOf(e: KeyInput): Shortcut | null {
  if (e.ctrlKey || e.altKey || e.metaKey || e.repeat || e.target === 'field') return null;
  const s = BY_CODE[e.code] ?? BY_KEY[e.key.length === 1 ? e.key.toLowerCase() : e.key] ?? null;
  if (s === 'next' && e.target === 'control' && (e.code === 'Space' || e.code === 'Enter' || e.code === 'NumpadEnter' || e.key === ' ' || e.key === 'Enter')) {
    return null; // the focused button's own press
  }
  return s;
}

// What the administrator may do now (the server decides in the end; this keeps the screen honest).
export function allowedActions(a: AdministratorInfo | null): Set<DeskAction> {
  const out = new Set<DeskAction>();
  if (!a || a.status === 'signed_out') return out;
  const t = a.ticket;
  if (a.status === 'paused') {
    out.add('resume');
    return out;
  }
  if (!t) {
    out.add('next');
    out.add('pause');
    return out;
  }
  if (t.state === 'called') {
    out.add('recall');
    out.add('start');
    out.add('no_show');
  }
  if (t.state === 'called' || t.state === 'serving') {
    out.add('finish');
    out.add('transfer');
  }
  return out;
}

// The command a shortcut runs now, or null when it does nothing at this moment.
export function actionFor(shortcut: Shortcut, a: AdministratorInfo | null): DeskAction | null {
  if (shortcut === 'register') return null;
  const allowed = allowedActions(a);
  if (shortcut === 'pause') return allowed.has('pause') ? 'pause' : allowed.has('resume') ? 'resume' : null;
  return allowed.has(shortcut) ? shortcut : null;
}

// An application may be registered for the ticket being served (or called): its id, else null.
export function registrableTicket(a: AdministratorInfo | null): number | null {
  const t = a && a.status !== 'signed_out' ? a.ticket : null;
  return t && (t.state === 'called' || t.state === 'serving') ? t.id : null;
}

// The registration page for a ticket (or without one).
export function registrationHref(centerId: number, ticketId: number | null): string {
  return ticketId ? `/cases/new?center=${centerId}&ticket=${ticketId}` : `/cases/new?center=${centerId}`;
}

// The outcome the finish dialog offers first, from what the visitor came for.
export function suggestedOutcome(purpose: Purpose | undefined): Outcome {
  switch (purpose) {
    case 'consultation':
      return 'consultation_given';
    case 'submit_documents':
      return 'application_registered';
    case 'receive_result':
      return 'result_issued';
    default:
      return 'other';
  }
}



const KNOWN_CODES: Record<string, MessageKey> = {
  window_taken: 'desk.error.window_taken',
  no_skills: 'desk.error.no_skills',
  holding_ticket: 'desk.error.holding_ticket',
  paused: 'desk.error.paused',
  not_signed_in: 'desk.error.not_signed_in',
  not_your_ticket: 'desk.error.not_your_ticket',
  wrong_state: 'desk.error.wrong_state',
  ticket_not_found: 'desk.error.not_your_ticket',
  unknown_group: 'desk.error.unknown_group',
  unknown_window: 'desk.error.unknown_window',
  unknown_administrator: 'desk.error.unknown_administrator',
  administrator_not_in_group: 'desk.error.administrator_not_in_group',
  not_your_last_visit: 'desk.error.not_your_last_visit',
  correction_expired: 'desk.error.correction_expired',
  disk_full: 'common.disk_full',
};

// The words for a failed command: the server's code in plain Ukrainian (or English).
export function errorKey(e: unknown): MessageKey {
  if (e instanceof NetworkError) return 'common.offline';
  if (e instanceof ApiError) {
    const known = KNOWN_CODES[e.code];
    if (known) return known;
    if (e.status === 403) return 'signin.forbidden';
    if (e.status === 401) return 'signin.expired';
  }
  return 'common.error';
}

// A time on the screen that keeps counting: the server's figure when it was read, plus the time
// since by this browser's clock (which may be off from the server's; the difference is not).
export function liveMs(msAtRead: number, readAt: number, now: number): number {
  return Math.max(0, msAtRead + Math.max(0, now - readAt));
}
