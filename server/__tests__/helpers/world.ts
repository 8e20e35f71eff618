// A small world for API tests: the seed world (server/testing/world.ts) on a test server, with helpers to call
// its API and webhooks and to hold sockets.
import { io as connect, type Socket } from 'socket.io-client';
import { startTestServer, type TestServer } from '../../testing';
import { twilioSignature } from '../../providers/twilio';
import type { SyncEvent } from '../../../domain/types';
import { startFakeTwilio, type FakeTwilio } from '../../testing/fakeTwilio';
import { AUTH_TOKEN, TOKENS, worldSeed } from '../../testing/world';

export { ACCOUNT_SID, AUTH_TOKEN, TOKENS, statusParams, worldSeed, zoneAtLocalHour } from '../../testing/world';

export interface World {
  server: TestServer;
  twilio: FakeTwilio;
  api(method: string, path: string, body?: unknown, token?: string | null, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  callback(params: Record<string, string>, opts?: { connectionId?: string; signature?: string | null; authToken?: string }): Promise<Response>;
  socket(token: string): Promise<{ socket: Socket; events: SyncEvent[] }>;
  close(): Promise<void>;
}

export async function startWorld(env: Record<string, string> = {}): Promise<World> {
  const twilio = await startFakeTwilio();
  const server = await startTestServer({ seed: worldSeed(twilio.url), env });
  const sockets: Socket[] = [];
  return {
    server, twilio,
    async api(method, path, body, token = TOKENS.ana, headers = {}) {
      const res = await fetch(server.url + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json: any = null;
      try { json = JSON.parse(text); } catch { json = text; }
      return { status: res.status, json };
    },
    callback(params, opts = {}) {
      const url = `${server.publicUrl}/webhooks/twilio/${opts.connectionId ?? 'tw-north'}`;
      const signature = opts.signature === undefined ? twilioSignature(opts.authToken ?? AUTH_TOKEN, url, params) : opts.signature;
      return fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
        body: new URLSearchParams(params).toString(),
      });
    },
    async socket(token) {
      const socket = connect(server.url, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      const events: SyncEvent[] = [];
      socket.on('message:updated', e => events.push(e));
      await new Promise<void>((resolve, reject) => { socket.on('connect', () => resolve()); socket.on('connect_error', reject); });
      return { socket, events };
    },
    async close() {
      sockets.forEach(s => s.close());
      await server.close();
      await twilio.close();
    },
  };
}

export async function eventually<T>(fn: () => T | Promise<T>, check: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!check(last)) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)?.slice(0, 400)}`);
    await new Promise(r => setTimeout(r, 25));
    last = await fn();
  }
  return last;
}
