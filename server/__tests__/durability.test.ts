// "A server killed with SIGKILL in the middle of a callback stream loses no acknowledged callback" (issue 3),
// on SQLite and on PostgreSQL (this file runs in both server projects). The server runs as a real process;
// signed Twilio callbacks stream in with 32 in flight; after some hundreds are acknowledged the process is
// SIGKILLed mid-stream; restarted on the same database, every callback that got a 2xx must show in
// /api/sync (the message's status at least that callback's rank). Then the whole stream is replayed, as
// providers retry what they saw fail, and every message converges to the ladder's max.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../providers/twilio';
import { createTestDatabase, testBackend } from '../testing';
import { statusRank, type Status } from '../../domain/status';
import type { Message, SyncEvent } from '../../domain/types';
import { startFakeTwilio, type FakeTwilio } from '../testing/fakeTwilio';
import { between, pick, prng } from './helpers/prng';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess';
import { AUTH_TOKEN, TOKENS, statusParams, worldSeed } from './helpers/world';

const SEED = Number(process.env.KILL_SEED) || Date.now() % 1_000_000;
const MESSAGES = 150;
const IN_FLIGHT = 32;
const PUBLIC_URL = 'https://texttrail.example'; // fixed, so signatures hold across restarts on new ports
const HOOK = `${PUBLIC_URL}/webhooks/twilio/tw-north`;

let db: { url: string; drop(): Promise<void> };
let twilio: FakeTwilio;
let env: Record<string, string>;
const procs: ServerProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase(testBackend());
  twilio = await startFakeTwilio();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-kill-'));
  fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(worldSeed(twilio.url)));
  env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: db.url, SEED: path.join(dir, 'seed.json'), PUBLIC_URL };
});
afterAll(async () => {
  for (const p of procs) await p.kill();
  await twilio?.close();
  await db?.drop();
});

async function start(): Promise<ServerProcess> {
  const p = await startServerProcess(env);
  procs.push(p);
  return p;
}

const api = async (base: string, method: string, p: string, body?: unknown) => {
  const r = await fetch(base + p, { method, headers: { authorization: `Bearer ${TOKENS.sue}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json() as any };
};

async function syncAll(base: string): Promise<SyncEvent[]> {
  const all: SyncEvent[] = [];
  let after = '';
  for (;;) {
    const page = (await api(base, 'GET', `/api/sync?limit=1000${after ? `&after=${after}` : ''}`)).json;
    all.push(...page.events);
    if (!page.hasMore) return all;
    after = page.cursor;
  }
}

interface Callback { sid: string; status: Status; params: Record<string, string> }

/** Posts callbacks with `inFlight` at once; stops issuing when `stop()` says so. Returns what got a 2xx. */
async function stream(base: string, list: Callback[], inFlight: number, onAck: (acked: number) => void, stop: () => boolean) {
  const acked: Callback[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < list.length && !stop()) {
      const cb = list[next++];
      try {
        const r = await fetch(`${base}/webhooks/twilio/tw-north`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, HOOK, cb.params) },
          body: new URLSearchParams(cb.params).toString(),
        });
        await r.arrayBuffer();
        if (r.status >= 200 && r.status < 300) { acked.push(cb); onAck(acked.length); } else failed++;
      } catch {
        failed++; // the process died with this request in flight: not acknowledged
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { acked, failed, issued: next };
}

describe(`SIGKILL mid-stream (${testBackend()})`, () => {
  it(`loses no acknowledged callback (seed ${SEED})`, async () => {
    console.log(`SIGKILL durability: KILL_SEED=${SEED}`);
    const rand = prng(SEED);
    const a = await start();

    // Messages to call back about, sent through the fake Twilio.
    const sent: Message[] = [];
    for (let i = 0; i < MESSAGES; i += 25) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, MESSAGES - i) }, (_, k) =>
        api(a.url, 'POST', '/api/messages', { to: `+1415556${String(1000 + i + k)}`, connectionId: 'tw-north', body: `kill ${i + k}` })));
      for (const r of batch) { expect(r.status).toBe(201); sent.push(r.json); }
    }

    // The stream: for each message 6–14 callbacks of random statuses (repeats included), interleaved.
    const statuses: Status[] = ['queued', 'sending', 'sent', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled'];
    const list: Callback[] = [];
    for (const m of sent) {
      const n = between(rand, 6, 14);
      for (let k = 0; k < n; k++) {
        const status = pick(rand, statuses);
        const code = status === 'undelivered' ? '30003' : status === 'failed' ? '30006' : null;
        list.push({ sid: m.providerMessageId!, status, params: statusParams(m.providerMessageId!, status, code ? { ErrorCode: code } : {}) });
      }
    }
    for (let k = list.length - 1; k > 0; k--) { const j = Math.floor(rand() * (k + 1)); [list[k], list[j]] = [list[j], list[k]]; }

    // Kill once some hundreds are acknowledged, with the stream still flowing.
    const killAfter = between(rand, 300, 700);
    let killed = false;
    const first = await stream(a.url, list, IN_FLIGHT, n => {
      if (!killed && n >= killAfter) { killed = true; a.proc.kill('SIGKILL'); }
    }, () => killed);
    await a.exited;
    expect(killed).toBe(true);
    expect(a.proc.signalCode).toBe('SIGKILL');
    console.log(`killed after ${first.acked.length} acknowledged (threshold ${killAfter}), ${first.failed} failed in flight, ${list.length - first.issued} never sent`);
    expect(first.acked.length).toBeGreaterThanOrEqual(killAfter);
    expect(first.issued).toBeLessThan(list.length); // really mid-stream

    // Restarted on the same database: every acknowledged callback is reflected.
    // The killed process is gone for real: nothing answers on its port any more.
    await expect(fetch(a.url + '/healthz')).rejects.toThrow();
    const b = await start();
    expect((await fetch(b.url + '/healthz')).status).toBe(200);
    const events = await syncAll(b.url);
    const cursors = events.map(e => e.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect([...cursors].sort()).toEqual(cursors);
    const state = new Map<string, Message>();
    for (const e of events) state.set(e.message.providerMessageId ?? e.message.id, e.message);
    const lost = first.acked.filter(cb => statusRank(state.get(cb.sid)?.status ?? 'queued') < statusRank(cb.status));
    expect(lost.map(cb => `${cb.sid} ${cb.status} (stored: ${state.get(cb.sid)?.status})`)).toEqual([]);

    // Providers retry: the whole stream again, on the restarted server; everything converges.
    const second = await stream(b.url, list, IN_FLIGHT, () => {}, () => false);
    expect(second.failed).toBe(0);
    const final = new Map<string, Message>();
    for (const e of await syncAll(b.url)) final.set(e.message.id, e.message);
    for (const m of sent) {
      const mine = list.filter(cb => cb.sid === m.providerMessageId).map(cb => cb.status);
      const top = mine.reduce<Status>((x, y) => (statusRank(y) > statusRank(x) ? y : x), 'queued');
      const got = final.get(m.id)!;
      expect(got.status, m.id).toBe(top);
      expect(got.errorCode).toBe(top === 'undelivered' ? '30003' : top === 'failed' ? '30006' : null);
    }
    await b.stop();
  }, 60_000);
});
