// A staff command (call the next ticket, finish, transfer...) sent once with a fresh
// Idempotency-Key and, when the server could not be reached, sent again with the same key: the
// server answers a repeated key with the first answer, so a lost answer never calls two tickets.
import { NetworkError } from '../api/client';
import { newIdempotencyKey } from './ids';

export const RETRY_DELAYS_MS: readonly number[] = [500, 1500, 3000];

export interface RetryOptions {
  delays?: readonly number[];
  newKey?: () => string;
  sleep?: (ms: number) => Promise<void>;
}

export async function sendCommand<T>(send: (key: string) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const key = (options.newKey ?? newIdempotencyKey)();
  const delays = options.delays ?? RETRY_DELAYS_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send(key);
    } catch (e) {
      if (!(e instanceof NetworkError) || attempt >= delays.length) throw e;
      await sleep(delays[attempt]!);
    }
  }
}
