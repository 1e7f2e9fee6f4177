import { describe, expect, it } from 'vitest';
import { Announcer, MAX_PENDING, type AnnouncerDeps } from '../src/pages/display/announcer';

class Blocked extends Error {}

function deps(play: (url: string) => Promise<void>, log: string[], blocked: () => void = () => {}): AnnouncerDeps {
  return {
    chime: async () => void log.push('chime'),
    play: async (url) => {
      log.push(`play ${url}`);
      await play(url);
    },
    speak: async (text) => void log.push(`speak ${text}`),
    urlOf: (a) => `${a.number}@${a.window}`,
    textOf: (a) => `${a.number} to ${a.window}`,
    isBlocked: (e) => e instanceof Blocked,
    onBlocked: blocked,
  };
}

describe('the announcer', () => {
  it('says calls one after another: chime, then the recording', async () => {
    const log: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const a = new Announcer(deps((url) => (url.startsWith('П-001') ? first : Promise.resolve()), log));
    const done1 = a.add({ number: 'П-001', window: 1 });
    const done2 = a.add({ number: 'П-002', window: 2 });
    await Promise.resolve();
    expect(log).toEqual(['chime', 'play П-001@1']);
    release();
    await done1;
    await done2;
    expect(log).toEqual(['chime', 'play П-001@1', 'chime', 'play П-002@2']);
  });

  it('falls back to the browser speech when the recording fails', async () => {
    const log: string[] = [];
    const a = new Announcer(deps(() => Promise.reject(new Error('503')), log));
    await a.add({ number: 'П-003', window: 3 });
    expect(log).toEqual(['chime', 'play П-003@3', 'speak П-003 to 3']);
  });

  it('when the browser wants a tap first, drops the queue and says so', async () => {
    const log: string[] = [];
    let told = 0;
    const a = new Announcer(deps(() => Promise.reject(new Blocked()), log, () => told++));
    const p = a.add({ number: 'П-004', window: 4 });
    void a.add({ number: 'П-005', window: 5 });
    await p;
    expect(told).toBe(1);
    expect(a.pending).toBe(0);
    expect(log).toEqual(['chime', 'play П-004@4']);
  });

  it('when calls come faster than they can be said, says the latest ones and forgets the older', async () => {
    const log: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const a = new Announcer(deps((url) => (url.startsWith('П-000') ? first : Promise.resolve()), log));
    const saying = a.add({ number: 'П-000', window: 1 });
    for (let n = 1; n <= 20; n++) void a.add({ number: `П-${String(n).padStart(3, '0')}`, window: 1 });
    expect(a.pending).toBe(MAX_PENDING);
    release();
    await saying;
    const played = log.filter((l) => l.startsWith('play')).map((l) => l.slice(5, 10));
    expect(played).toEqual(['П-000', 'П-017', 'П-018', 'П-019', 'П-020']);
  });
});
