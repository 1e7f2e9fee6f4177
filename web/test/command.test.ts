import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../src/api/client';
import { sendCommand } from '../src/lib/command';
import { pickCenter } from '../src/lib/session';

const noSleep = async () => {};

describe('a staff command', () => {
  it('is sent again with the same Idempotency-Key after a network error', async () => {
    const keys: string[] = [];
    let calls = 0;
    const answer = await sendCommand(
      async (key) => {
        keys.push(key);
        calls += 1;
        if (calls < 3) throw new NetworkError();
        return 'ok';
      },
      { newKey: () => 'key-1', sleep: noSleep },
    );
    expect(answer).toBe('ok');
    expect(keys).toEqual(['key-1', 'key-1', 'key-1']);
  });

  it('gives up after the last retry, and never retries what the server refused', async () => {
    let calls = 0;
    await expect(
      sendCommand(
        async () => {
          calls += 1;
          throw new NetworkError();
        },
        { delays: [1, 1], sleep: noSleep },
      ),
    ).rejects.toBeInstanceOf(NetworkError);
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      sendCommand(
        async () => {
          calls += 1;
          throw new ApiError(409, 'holding_ticket', 'x');
        },
        { sleep: noSleep },
      ),
    ).rejects.toBeInstanceOf(ApiError);
    expect(calls).toBe(1);
  });

  it('each command gets a fresh key', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) await sendCommand(async (key) => seen.add(key));
    expect(seen.size).toBe(5);
  });
});

describe('the center of a staff page', () => {
  it('the one asked for, else the only one, else a choice', () => {
    expect(pickCenter({ centers: [3, 4] }, 4)).toBe(4);
    expect(pickCenter({ centers: [3] }, null)).toBe(3);
    expect(pickCenter({ centers: [3, 4] }, null)).toBe('choose');
    expect(pickCenter({ centers: [], role: 'system_admin' }, null)).toBe('choose');
    expect(pickCenter({ centers: [], role: 'administrator' }, null)).toBeNull();
  });
});
