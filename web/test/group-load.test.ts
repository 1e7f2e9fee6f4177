// What the kiosk and /load say of a group: never "no queue" when nobody serves it now.
import { describe, expect, it } from 'vitest';
import type { GroupLoad } from '../src/api/types';
import { groupOutlook, kioskGroupLine, loadWaitCell, servingNow } from '../src/lib/group-load';

const group = (over: Partial<GroupLoad> = {}): GroupLoad => ({
  group_id: 1,
  letter: 'П',
  name_uk: 'Паспорти',
  name_en: 'Passports',
  waiting: 0,
  administrators: 1,
  expected_wait_ms: 0,
  longest_wait_ms: 0,
  ...over,
});

describe('a group nobody serves now', () => {
  const empty = group({ administrators: 0, expected_wait_ms: null });

  it('is not "no queue" on the kiosk, in either language', () => {
    expect(kioskGroupLine('uk', empty)).toBe('зараз ніхто не приймає');
    expect(kioskGroupLine('en', empty)).toBe('nobody is serving it now');
    expect(kioskGroupLine('uk', empty)).not.toContain('без черги');
  });

  it('with people waiting: how many, and that nobody serves them', () => {
    expect(kioskGroupLine('uk', group({ administrators: 0, waiting: 3, expected_wait_ms: null }))).toBe(
      '3 очікують · зараз ніхто не приймає',
    );
  });

  it('on /load the expected wait says nobody serves it, not a time', () => {
    expect(loadWaitCell('uk', empty)).toBe('зараз ніхто не приймає');
    expect(loadWaitCell('en', group({ administrators: 0, waiting: 2, expected_wait_ms: 600_000 }))).toBe(
      'nobody is serving it now',
    );
  });
});

describe('a group somebody serves', () => {
  it('with nobody waiting: "no queue" on the kiosk, under a minute on /load', () => {
    expect(kioskGroupLine('uk', group())).toBe('без черги');
    expect(loadWaitCell('uk', group())).toBe('менше хвилини');
  });

  it('with people waiting: how many and the expected wait', () => {
    const g = group({ administrators: 2, waiting: 5, expected_wait_ms: 20 * 60_000 });
    expect(kioskGroupLine('uk', g)).toBe('5 очікують · ≈ 20 хвилин');
    expect(loadWaitCell('en', g)).toBe('≈ 20 minutes');
  });
});

describe('a server that does not say who serves a group', () => {
  const without = (over: Partial<GroupLoad>) => {
    const g: Partial<GroupLoad> = group(over);
    delete g.administrators;
    return g as GroupLoad;
  };

  it('is read by the expected wait: none known is not "no queue"', () => {
    expect(servingNow(without({}))).toBeNull();
    expect(groupOutlook(without({ expected_wait_ms: null })).kind).toBe('wait');
    expect(kioskGroupLine('uk', without({ expected_wait_ms: null }))).toBe('уточнюється');
  });

  it('an estimate and nobody waiting is "no queue"', () => {
    expect(kioskGroupLine('uk', without({ expected_wait_ms: 0 }))).toBe('без черги');
  });
});
