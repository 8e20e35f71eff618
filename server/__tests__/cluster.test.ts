// Several server processes on one PostgreSQL act as one server (CONTRACT "Storage"): a callback received by
// process A reaches a socket held by process B; cursors stay totally ordered per org; sync from any
// process returns exactly what was missed. Real processes, real PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../providers/twilio';
import { createTestDatabase } from '../testing';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess';
import type { SyncEvent } from '../../domain/types';
import { startFakeTwilio, type FakeTwilio } from '../testing/fakeTwilio';
import { AUTH_TOKEN, TOKENS, eventually, statusParams, worldSeed } from './helpers/world';

let db: { url: string; drop(): Promise<void> };
let twilio: FakeTwilio;
let a: ServerProcess;
let b: ServerProcess;
beforeAll(async () => {
  db = await createTestDatabase('postgres');
  twilio = await startFakeTwilio();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-cluster-'));
  fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(worldSeed(twilio.url)));
  // Both processes sign-check against one PUBLIC_URL, as behind a load balancer.
  const env = { PORT: '0', DATABASE_URL: db.url, SEED: path.join(dir, 'seed.json'), PUBLIC_URL: 'https://texttrail.example' };
  a = await startServerProcess(env);
  b = await startServerProcess(env);
});
afterAll(async () => {
  for (const p of [a, b]) await p?.stop();
  await twilio?.close();
  await db?.drop();
});

const api = async (base: string, method: string, p: string, body?: unknown) => {
  const r = await fetch(base + p, { method, headers: { authorization: `Bearer ${TOKENS.sue}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json() as any };
};
const callback = (base: string, params: Record<string, string>) => {
  const sig = twilioSignature(AUTH_TOKEN, 'https://texttrail.example/webhooks/twilio/tw-north', params);
  return fetch(`${base}/webhooks/twilio/tw-north`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig }, body: new URLSearchParams(params).toString() });
};

describe('two server processes on one PostgreSQL', () => {
  it('a callback received by A reaches a socket on B; cursors stay ordered; sync agrees on both', async () => {
    const socket = connect(b.url, { auth: { token: TOKENS.sue }, transports: ['websocket'], reconnection: false });
    const events: SyncEvent[] = [];
    socket.on('message:updated', e => events.push(e));
    await new Promise<void>((resolve, reject) => { socket.on('connect', () => resolve()); socket.on('connect_error', reject); });

    // Sends split across both processes, callbacks too, interleaved and concurrent.
    const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => api(i % 2 ? a.url : b.url, 'POST', '/api/messages', { to: `+1415555${String(2000 + i)}`, connectionId: 'tw-north', body: `m${i}` })));
    expect(sent.every(s => s.status === 201)).toBe(true);
    const results = await Promise.all(sent.flatMap((s, i) => [
      callback(i % 2 ? b.url : a.url, statusParams(s.json.providerMessageId, 'sent')),
      callback(i % 2 ? a.url : b.url, statusParams(s.json.providerMessageId, 'delivered')),
    ]));
    expect(results.every(r => r.status === 200)).toBe(true);

    const ids = new Set(sent.map(s => s.json.id));
    await eventually(() => new Set(events.filter(e => e.message.status === 'delivered').map(e => e.message.id)).size, n => n === ids.size, 10_000);
    socket.close();

    // Every event the socket saw is in sync, in the same cursor order, with no gap and no duplicate.
    const fromA = (await api(a.url, 'GET', '/api/sync?limit=1000')).json.events as SyncEvent[];
    const fromB = (await api(b.url, 'GET', '/api/sync?limit=1000')).json.events as SyncEvent[];
    expect(fromA.map(e => e.cursor)).toEqual(fromB.map(e => e.cursor));
    const cursors = fromA.map(e => e.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(cursors.map(Number)).toEqual(cursors.map((_, i) => i + 1)); // per-org and gapless
    const pushed = [...new Set(events.map(e => e.cursor))];
    expect(pushed.every(c => cursors.includes(c))).toBe(true);
    // Every message delivered, in the store as on the socket.
    const last = new Map(fromA.map(e => [e.message.id, e.message.status]));
    for (const id of ids) expect(last.get(id)).toBe('delivered');
  });
});
