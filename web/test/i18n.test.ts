import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { uk } from '../src/i18n/uk';
import { label, translate } from '../src/i18n';
import type { Plural } from '../src/i18n/types';

const placeholders = (m: string | Plural) =>
  [...new Set((typeof m === 'string' ? [m] : Object.values(m)).join(' ').match(/\{\w+\}/g) ?? [])].sort();

describe('the strings', () => {
  it('uk and en have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(uk).sort());
  });

  it('every message names the same placeholders in both languages', () => {
    for (const key of Object.keys(uk) as (keyof typeof uk)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(uk[key]));
    }
  });

  it('no message is empty, and plural messages have the forms their language needs', () => {
    for (const [lang, dict, forms] of [
      ['uk', uk, ['one', 'few', 'many', 'other']],
      ['en', en, ['one', 'other']],
    ] as const) {
      for (const [key, m] of Object.entries(dict)) {
        if (typeof m === 'string') {
          expect(m.trim(), `${lang} ${key}`).not.toBe('');
        } else {
          for (const f of forms) expect((m as unknown as Record<string, string>)[f], `${lang} ${key} ${f}`).toBeTruthy();
        }
      }
    }
  });

  it('Ukrainian plurals agree with the number', () => {
    expect(translate('uk', 'people.ahead', { n: 1 })).toBe('1 людина');
    expect(translate('uk', 'people.ahead', { n: 3 })).toBe('3 людини');
    expect(translate('uk', 'people.ahead', { n: 5 })).toBe('5 людей');
    expect(translate('uk', 'people.ahead', { n: 11 })).toBe('11 людей');
    expect(translate('uk', 'people.ahead', { n: 21 })).toBe('21 людина');
    expect(translate('uk', 'people.ahead', { n: 0 })).toBe('0 людей');
    expect(translate('en', 'people.ahead', { n: 1 })).toBe('1 person');
    expect(translate('en', 'people.ahead', { n: 2 })).toBe('2 people');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('uk', 'track.called', { window: 3 })).toBe('Вас запрошено до вікна 3');
    expect(translate('en', 'track.called', { window: 3 })).toBe('Please go to window 3');
    expect(translate('uk', 'track.called')).toBe('Вас запрошено до вікна {window}');
  });

  it('codes from the server read as words, unknown codes as they are', () => {
    expect(label('uk', 'purpose', 'submit_documents')).toBe('Подати документи');
    expect(label('en', 'priority', 'war_veteran')).toBe('War veteran');
    expect(label('uk', 'priority', 'chornobyl_liquidator')).toBe('chornobyl_liquidator');
  });
});
