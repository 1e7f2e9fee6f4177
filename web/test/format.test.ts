import { describe, expect, it } from 'vitest';
import { formatDate, formatTime, formatWait, localName, waitParts } from '../src/lib/format';

describe('waits', () => {
  it('in whole minutes, with under a minute and unknown apart', () => {
    expect(waitParts(null)).toEqual({ kind: 'unknown' });
    expect(waitParts(-5)).toEqual({ kind: 'unknown' });
    expect(waitParts(0)).toEqual({ kind: 'under_minute' });
    expect(waitParts(59_999)).toEqual({ kind: 'under_minute' });
    expect(waitParts(60_000)).toEqual({ kind: 'minutes', minutes: 1 });
    expect(waitParts(90_000)).toEqual({ kind: 'minutes', minutes: 2 });
    expect(waitParts(59 * 60_000)).toEqual({ kind: 'minutes', minutes: 59 });
    expect(waitParts(75 * 60_000)).toEqual({ kind: 'hours', hours: 1, minutes: 15 });
  });

  it('read in Ukrainian and English', () => {
    expect(formatWait('uk', 60_000)).toBe('≈ 1 хвилина');
    expect(formatWait('uk', 3 * 60_000)).toBe('≈ 3 хвилини');
    expect(formatWait('uk', 12 * 60_000)).toBe('≈ 12 хвилин');
    expect(formatWait('uk', 22 * 60_000)).toBe('≈ 22 хвилини');
    expect(formatWait('uk', 120 * 60_000)).toBe('≈ 2 год');
    expect(formatWait('uk', 135 * 60_000)).toBe('≈ 2 год 15 хв');
    expect(formatWait('uk', 10_000)).toBe('менше хвилини');
    expect(formatWait('uk', null)).toBe('уточнюється');
    expect(formatWait('en', 60_000)).toBe('≈ 1 minute');
    expect(formatWait('en', 25 * 60_000)).toBe('≈ 25 minutes');
    expect(formatWait('en', 75 * 60_000)).toBe('≈ 1 h 15 min');
  });
});

describe('times are Kyiv times, whatever the device says', () => {
  it('winter (UTC+2) and summer (UTC+3)', () => {
    expect(formatTime('uk', '2026-11-22T10:05:00.000Z')).toBe('12:05');
    expect(formatTime('uk', '2026-07-01T10:05:00.000Z')).toBe('13:05');
    expect(formatTime('en', '2026-11-22T22:30:00.000Z')).toBe('00:30');
    expect(formatTime('uk', null)).toBe('—');
    expect(formatTime('uk', 'not a time')).toBe('—');
  });

  it('the date in the language', () => {
    expect(formatDate('uk', '2026-11-22T10:05:00Z')).toBe('неділя, 22 листопада');
    expect(formatDate('en', '2026-11-22T10:05:00Z')).toMatch(/Sunday.*22 November/);
    // Late evening in UTC is already the next day in Kyiv.
    expect(formatDate('uk', '2026-11-22T22:30:00Z')).toBe('понеділок, 23 листопада');
  });
});

describe('names in both languages', () => {
  it('English falls back to Ukrainian when it is empty', () => {
    expect(localName('en', { name_uk: 'Паспорти', name_en: 'Passports' })).toBe('Passports');
    expect(localName('en', { name_uk: 'Соціальні послуги', name_en: '' })).toBe('Соціальні послуги');
    expect(localName('uk', { name_uk: 'Паспорти', name_en: 'Passports' })).toBe('Паспорти');
    expect(localName('uk', null)).toBe('');
  });
});
