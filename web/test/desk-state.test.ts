import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../src/api/client';
import { OUTCOMES, type AdministratorInfo, type StaffTicket } from '../src/api/types';
import { translate } from '../src/i18n';
import { colleaguesFor } from '../src/lib/colleagues';
import { formatElapsed } from '../src/lib/format';
import {
  actionFor,
  allowedActions,
  errorKey,
  liveMs,
  shortcutOf,
  suggestedOutcome,
  type KeyInput,
} from '../src/pages/desk/state';

const admin = (over: Partial<AdministratorInfo> = {}): AdministratorInfo => ({
  user_id: 7,
  name: 'Іван',
  status: 'available',
  pause_reason: '',
  window_id: 1,
  window_number: 1,
  since: '2026-11-22T10:00:00Z',
  primary_groups: [1],
  secondary_groups: [],
  ticket: null,
  ...over,
});
const ticket = (state: StaffTicket['state']) => ({ id: 5, number: 'П-001', state, purpose: 'consultation' }) as StaffTicket;
const key = (k: Partial<KeyInput>): KeyInput => ({ code: '', key: '', target: 'other', ...k });

describe('the console: keyboard shortcuts', () => {
  it('maps the letters by the physical key, so a Ukrainian layout works the same', () => {
    expect(shortcutOf(key({ code: 'KeyN', key: 'n' }))).toBe('next');
    expect(shortcutOf(key({ code: 'KeyN', key: 'т' }))).toBe('next'); // Ukrainian layout
    expect(shortcutOf(key({ code: 'KeyR', key: 'к' }))).toBe('recall');
    expect(shortcutOf(key({ code: 'KeyS', key: 'S' }))).toBe('start');
    expect(shortcutOf(key({ code: 'KeyF', key: 'f' }))).toBe('finish');
    expect(shortcutOf(key({ code: 'KeyT', key: 't' }))).toBe('transfer');
    expect(shortcutOf(key({ code: 'KeyX', key: 'x' }))).toBe('no_show');
    expect(shortcutOf(key({ code: 'KeyP', key: 'p' }))).toBe('pause');
    expect(shortcutOf(key({ code: '', key: 'N' }))).toBe('next'); // no code: the letter
    expect(shortcutOf(key({ code: 'KeyQ', key: 'q' }))).toBeNull();
  });

  it('Space and Enter call the next ticket, unless a button or link has the focus (its own press)', () => {
    expect(shortcutOf(key({ code: 'Space', key: ' ' }))).toBe('next');
    expect(shortcutOf(key({ code: 'Enter', key: 'Enter' }))).toBe('next');
    expect(shortcutOf(key({ code: 'Space', key: ' ', target: 'control' }))).toBeNull();
    expect(shortcutOf(key({ code: 'Enter', key: 'Enter', target: 'control' }))).toBeNull();
    expect(shortcutOf(key({ code: 'KeyF', key: 'f', target: 'control' }))).toBe('finish');
  });

  it('never while typing in a field, with a modifier, or for a held key', () => {
    expect(shortcutOf(key({ code: 'KeyN', key: 'n', target: 'field' }))).toBeNull();
    expect(shortcutOf(key({ code: 'KeyR', key: 'r', ctrlKey: true }))).toBeNull(); // Ctrl+R reloads
    expect(shortcutOf(key({ code: 'KeyN', key: 'n', altKey: true }))).toBeNull();
    expect(shortcutOf(key({ code: 'KeyN', key: 'n', metaKey: true }))).toBeNull();
    expect(shortcutOf(key({ code: 'KeyN', key: 'n', repeat: true }))).toBeNull();
  });
});

describe('the console: what the moment allows', () => {
  it('no window: nothing; free: next and pause; paused: only resume', () => {
    expect([...allowedActions(null)]).toEqual([]);
    expect([...allowedActions(admin({ status: 'signed_out' }))]).toEqual([]);
    expect([...allowedActions(admin())].sort()).toEqual(['next', 'pause']);
    expect([...allowedActions(admin({ status: 'paused' }))]).toEqual(['resume']);
  });

  it('a called ticket: recall, start, no-show, finish, transfer, but not next', () => {
    expect([...allowedActions(admin({ ticket: ticket('called') }))].sort()).toEqual(['finish', 'no_show', 'recall', 'start', 'transfer']);
  });

  it('a ticket being served: finish or transfer only', () => {
    expect([...allowedActions(admin({ ticket: ticket('serving') }))].sort()).toEqual(['finish', 'transfer']);
  });

  it('P pauses when free, resumes when paused, does nothing while holding a ticket', () => {
    expect(actionFor('pause', admin())).toBe('pause');
    expect(actionFor('pause', admin({ status: 'paused' }))).toBe('resume');
    expect(actionFor('pause', admin({ ticket: ticket('serving') }))).toBeNull();
    expect(actionFor('next', admin({ ticket: ticket('called') }))).toBeNull();
    expect(actionFor('start', admin({ ticket: ticket('serving') }))).toBeNull();
    expect(actionFor('start', admin({ ticket: ticket('called') }))).toBe('start');
  });
});

describe('the console: finishing', () => {
  it('suggests the outcome that fits the purpose; the keys 1-5 keep one meaning whatever is suggested', () => {
    expect(suggestedOutcome('consultation')).toBe('consultation_given');
    expect(suggestedOutcome('submit_documents')).toBe('application_registered');
    expect(suggestedOutcome('receive_result')).toBe('result_issued');
    expect(suggestedOutcome(undefined)).toBe('other');
    // The dialog lists OUTCOMES as they are: key 2 is always «Зареєстровано заяву».
    expect(OUTCOMES[1]).toBe('application_registered');
  });
});

describe('the console: transfer by name', () => {
  it('offers for a group only the colleagues who serve it', () => {
    const colleagues = [
      { user_id: 1, name: 'Марія', group_ids: [2] },
      { user_id: 2, name: 'Петро', group_ids: [1, 2] },
      { user_id: 3, name: 'Без навичок' },
    ];
    expect(colleaguesFor(colleagues, 1).map((c) => c.name)).toEqual(['Петро']);
    expect(colleaguesFor(colleagues, 2).map((c) => c.name)).toEqual(['Марія', 'Петро']);
    expect(colleaguesFor(colleagues, 3)).toEqual([]);
  });
});

describe('the console: refusals in plain words', () => {
  it('names the server codes an administrator meets', () => {
    expect(translate('uk', errorKey(new ApiError(409, 'window_taken', 'window 2 is taken by Олена')))).toBe(
      'Це вікно вже зайняте іншим працівником. Оберіть інше вікно.',
    );
    expect(translate('uk', errorKey(new ApiError(409, 'no_skills', 'x')))).toMatch(/не обслуговуєте жодної групи/);
    expect(errorKey(new ApiError(409, 'holding_ticket', 'x'))).toBe('desk.error.holding_ticket');
    expect(errorKey(new ApiError(403, 'forbidden', 'x'))).toBe('signin.forbidden');
    expect(errorKey(new NetworkError())).toBe('common.offline');
    expect(errorKey(new ApiError(500, 'internal', 'x'))).toBe('common.error');
  });
});

describe('running times', () => {
  it('count on from the figure read, by the time passed since the read', () => {
    expect(liveMs(60_000, 1_000, 31_000)).toBe(90_000);
    expect(liveMs(60_000, 1_000, 500)).toBe(60_000); // a clock that stepped back never counts down
  });

  it('read as a clock', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(9_999)).toBe('0:09');
    expect(formatElapsed(185_000)).toBe('3:05');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(null)).toBe('—');
    expect(formatElapsed(-5)).toBe('—');
  });
});
