import { describe, expect, it } from 'vitest';
import { orderedReads } from '../src/lib/center-feed';

// A read whose answer comes when the test says so.
function pending<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('orderedReads', () => {
  it('never shows an answer over the answer of a read sent after it', async () => {
    const ordered = orderedReads();
    const shown: string[] = [];
    const early = pending<string>();
    const late = pending<string>();
    const first = ordered(() => early.promise, (v) => shown.push(v));
    const second = ordered(() => late.promise, (v) => shown.push(v));
    late.resolve('serving'); // the read sent after the command comes back first
    await second;
    early.resolve('called'); // the refresh sent before it comes back late: dropped
    await first;
    expect(shown).toEqual(['serving']);
  });

  it('shows answers that come back in order, each of them', async () => {
    const ordered = orderedReads();
    const shown: number[] = [];
    await ordered(async () => 1, (v) => shown.push(v));
    await ordered(async () => 2, (v) => shown.push(v));
    expect(shown).toEqual([1, 2]);
  });

  it('lets a failed read fail for its caller and keeps what is shown', async () => {
    const ordered = orderedReads();
    const shown: number[] = [];
    await ordered(async () => 1, (v) => shown.push(v));
    await expect(ordered(() => Promise.reject(new Error('offline')), (v: number) => shown.push(v))).rejects.toThrow('offline');
    expect(shown).toEqual([1]);
  });
});
