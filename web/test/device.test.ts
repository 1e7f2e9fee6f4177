import { describe, expect, it } from 'vitest';
import { rememberDevice } from '../src/lib/device';

function memory() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

function fakeHistory() {
  const calls: string[] = [];
  return { calls, state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void calls.push(String(url)) };
}

describe('the device token of a kiosk or a display board', () => {
  it('is taken out of the address after the first load, and kept for the next', () => {
    const storage = memory();
    const hist = fakeHistory();
    expect(rememberDevice('kiosk', 'SECRET', storage, { href: 'http://h/kiosk?device=SECRET&lang=en#x' }, hist)).toBe('SECRET');
    expect(hist.calls).toEqual(['/kiosk?lang=en#x']);
    const later = fakeHistory();
    expect(rememberDevice('kiosk', null, storage, { href: 'http://h/kiosk' }, later)).toBe('SECRET');
    expect(later.calls).toEqual([]);
    expect(rememberDevice('display', null, storage, { href: 'http://h/display' }, later)).toBeNull();
  });

  it('a new token in the address replaces the kept one; no storage still works', () => {
    const storage = memory();
    rememberDevice('kiosk', 'OLD', storage, { href: 'http://h/kiosk?device=OLD' }, fakeHistory());
    rememberDevice('kiosk', 'NEW', storage, { href: 'http://h/kiosk?device=NEW' }, fakeHistory());
    expect(rememberDevice('kiosk', null, storage, { href: 'http://h/kiosk' }, fakeHistory())).toBe('NEW');
    expect(rememberDevice('kiosk', 'T', null, { href: 'http://h/kiosk?device=T' }, fakeHistory())).toBe('T');
    expect(rememberDevice('kiosk', null, null, { href: 'http://h/kiosk' }, fakeHistory())).toBeNull();
  });
});
