// A small world for API tests: two orgs, agents in different locations, a Twilio and a simulator connection.
import { io as connect, type Socket } from 'socket.io-client';
import type { Seed } from '../../seed';
import { startTestServer, type TestServer } from '../../testing';
import { twilioSignature } from '../../providers/twilio';
import type { SyncEvent } from '../../../domain/types';
import { startFakeTwilio, type FakeTwilio } from './fakeTwilio';

export const TOKENS = { ana: 'tok-ana-north', ben: 'tok-ben-south', sue: 'tok-sue-super', zed: 'tok-zed-other-org' };
export const AUTH_TOKEN = 'twilio-auth-token-123';
export const ACCOUNT_SID = 'AC' + 'a'.repeat(32);

/**
 * A fixed-offset zone where the local hour is `hour` right now: quiet hours (21:00–08:00) must not decide a
 * test by the time of day CI happens to run it.
 */
export function zoneAtLocalHour(hour: number): string {
  const utcHour = new Date().getUTCHours();
  let offset = hour - utcHour; // local = UTC + offset
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // POSIX-style names invert the sign: Etc/GMT-3 is UTC+3.
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

export function worldSeed(twilioUrl: string): Seed {
  const daytime = zoneAtLocalHour(12);
  return {
    orgs: [
      {
        id: 'acme', name: 'Acme',
        locations: [
          { id: 'north', name: 'North', timezone: daytime, country: 'US' },
          { id: 'south', name: 'South', timezone: daytime, country: 'US' },
        ],
        users: [
          { id: 'ana', name: 'Ana', role: 'agent', locations: ['north'], token: TOKENS.ana },
          { id: 'ben', name: 'Ben', role: 'agent', locations: ['south'], token: TOKENS.ben },
          { id: 'sue', name: 'Sue', role: 'supervisor', locations: ['north'], token: TOKENS.sue },
        ],
        connections: [
          { id: 'tw-north', provider: 'twilio', location: 'north', numbers: ['+12125550100'], secrets: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }, apiBaseUrl: twilioUrl },
          { id: 'sim-south', provider: 'simulator', location: 'south', numbers: ['+13125550100'], secrets: {} },
        ],
        templates: [{ id: 'hello', name: 'Hello', body: 'Hi {{firstName}}, see you {{date}}.' }],
        contacts: [
          { phone: '+14155550134', name: 'Maria Lopez' },
          // It is 23:00 where this contact lives, whatever the hour of the test run.
          { phone: '+14155550999', name: 'Night Owl', timezone: zoneAtLocalHour(23) },
        ],
      },
      {
        id: 'other', name: 'Other Co',
        locations: [{ id: 'other-main', name: 'Main', timezone: 'Europe/London', country: 'GB' }],
        users: [{ id: 'zed', name: 'Zed', role: 'admin', locations: ['other-main'], token: TOKENS.zed }],
        connections: [{ id: 'tw-other', provider: 'twilio', location: 'other-main', numbers: ['+447700900100'], secrets: { accountSid: ACCOUNT_SID, authToken: 'other-token' }, apiBaseUrl: twilioUrl }],
        templates: [],
      },
    ],
  };
}

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

export const statusParams = (sid: string, status: string, extra: Record<string, string> = {}) => ({
  MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: ACCOUNT_SID, From: '+12125550100', To: '+14155550134', ApiVersion: '2010-04-01', ...extra,
});
