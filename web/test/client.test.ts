import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, request, urls } from '../src/api/client';
import { newIdempotencyKey } from '../src/lib/ids';

const respond = (status: number, body: unknown) =>
  (async () => new Response(body === null ? null : JSON.stringify(body), { status })) as unknown as typeof fetch;

describe('the API client', () => {
  it('sends the device token, the idempotency key and the JSON body', async () => {
    let seen: { url: string; init: RequestInit } | null = null;
    const fetchImpl = (async (url: string, init: RequestInit) => {
      seen = { url, init };
      return new Response(JSON.stringify({ ok: 1 }), { status: 201 });
    }) as unknown as typeof fetch;
    const out = await request('/centers/1/queue/tickets', { method: 'POST', body: { group_id: 2 }, bearer: 'K', idempotencyKey: 'abc', fetchImpl });
    expect(out).toEqual({ ok: 1 });
    expect(seen!.url).toBe('/api/v1/centers/1/queue/tickets');
    const h = seen!.init.headers as Record<string, string>;
    expect(h.authorization).toBe('Bearer K');
    expect(h['idempotency-key']).toBe('abc');
    expect(h['content-type']).toBe('application/json');
    expect(seen!.init.body).toBe('{"group_id":2}');
  });

  it('an error answer is an ApiError with its code', async () => {
    const err = await request('/queue/tickets/x', {
      fetchImpl: respond(404, { error: { code: 'ticket_not_found', message: 'no ticket', details: {} } }),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'ticket_not_found' });
  });

  it("an error answer keeps its details: a form puts details.fields at its fields", async () => {
    const fields = [{ field: 'applicant.phone', message: 'must be +380XXXXXXXXX' }];
    const err = await request('/centers/1/cases', {
      method: 'POST',
      body: {},
      fetchImpl: respond(400, { error: { code: 'invalid_phone', message: 'bad phone', details: { fields } } }),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'invalid_phone', details: { fields } });
  });

  it('no answer, or a gateway saying the server is down, is a NetworkError', async () => {
    const refused = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(request('/device', { fetchImpl: refused })).rejects.toBeInstanceOf(NetworkError);
    await expect(request('/device', { fetchImpl: respond(502, null) })).rejects.toBeInstanceOf(NetworkError);
    await expect(request('/device', { fetchImpl: respond(503, { error: { code: 'x', message: '' } }) })).rejects.toBeInstanceOf(NetworkError);
  });

  it('a 503 saying the disk is full is an ApiError with its code, not "no connection"', async () => {
    const full = request('/x', { fetchImpl: respond(503, { error: { code: 'disk_full', message: 'the disk is full' } }) });
    await expect(full).rejects.toBeInstanceOf(ApiError);
    await expect(
      request('/x', { fetchImpl: respond(503, { error: { code: 'disk_full', message: '' } }) }),
    ).rejects.toMatchObject({ status: 503, code: 'disk_full' });
  });

  it('a sign-in refused because too many run at once (503 busy) is an ApiError, not "offline"', async () => {
    await expect(
      request('/auth/login', { fetchImpl: respond(503, { error: { code: 'busy', message: 'busy' } }) }),
    ).rejects.toMatchObject({ status: 503, code: 'busy' });
  });

  it('a request that hangs times out as a NetworkError', async () => {
    const hang = ((_u: string, init: RequestInit) =>
      new Promise((_r, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as unknown as typeof fetch;
    await expect(request('/device', { fetchImpl: hang, timeoutMs: 20 })).rejects.toBeInstanceOf(NetworkError);
  });

  it('URLs for EventSource and <audio> carry the device token in the query', () => {
    expect(urls.centerEvents(3, 'a b')).toBe('/api/v1/centers/3/queue/events?access_token=a%20b');
    expect(urls.announcement(3, 'D', 'П-001', 4)).toBe(
      '/api/v1/centers/3/queue/announcement?number=%D0%9F-001&window=4&access_token=D',
    );
  });

  it('an idempotency key is a v4 UUID, also where crypto.randomUUID is missing (plain http on a LAN)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const noRandomUUID = { getRandomValues: <T extends ArrayBufferView | null>(a: T) => crypto.getRandomValues(a as Uint8Array) as unknown as T };
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey(noRandomUUID as Crypto)));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(uuid);
    expect(newIdempotencyKey()).toMatch(uuid);
  });
});
