import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi } from '../api';

function respond(status: number, body: unknown) {
  return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

describe('createApi', () => {
  const settings = { serverUrl: 'http://server.test', token: 'secret' };

  it('sends the bearer token and builds the sync query', async () => {
    const fetch = respond(200, { events: [], cursor: '5', hasMore: false });
    const api = createApi(settings, fetch as unknown as typeof globalThis.fetch);
    await api.sync('0000000000000004', 500);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://server.test/api/sync?limit=500&after=0000000000000004');
    expect((init!.headers as Record<string, string>).Authorization).toBe('Bearer secret');
    await api.sync(null, 10);
    expect(fetch.mock.calls[1][0]).toBe('http://server.test/api/sync?limit=10');
  });

  it('posts a text with its idempotency key', async () => {
    const fetch = respond(201, { id: 'm1' });
    const api = createApi(settings, fetch as unknown as typeof globalThis.fetch);
    expect(await api.sendMessage({ to: '+14155550134', body: 'Hi', connectionId: 'c1' }, 'key-1')).toEqual({ id: 'm1' });
    const init = fetch.mock.calls[0][1]!;
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ to: '+14155550134', body: 'Hi', connectionId: 'c1' });
    expect((init.headers as Record<string, string>)['Idempotency-Key']).toBe('key-1');
  });

  it('turns error answers into ApiError with the server\'s code', async () => {
    const api = createApi(settings, respond(409, { error: { code: 'opted_out', message: 'the contact has opted out' } }) as unknown as typeof fetch);
    await expect(api.sendMessage({ to: '+14155551610', body: 'x' })).rejects.toMatchObject({ status: 409, code: 'opted_out', refused: false });
    const refused = createApi(settings, respond(401, { error: { code: 'unauthorized', message: 'no' } }) as unknown as typeof fetch);
    await expect(refused.me()).rejects.toMatchObject({ refused: true });
  });

  it('a network failure is "unreachable"', async () => {
    const api = createApi(settings, (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch);
    const err = await api.me().catch(e => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('unreachable');
  });
});
