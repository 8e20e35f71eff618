// How the cost grows with stored history: bulk-load N messages (with threads and events) into an SQLite
// file, start the server on it, and measure ingest of signed callbacks for a sample of those messages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { hashToken } from '../server/auth';
import { twilioSignature } from '../server/providers/twilio';
import { SqliteStore } from '../server/store/sqlite';
import { ACCOUNT_SID, AUTH_TOKEN, worldSeed } from '../server/testing/world';
import { startServerProcess } from '../server/testing/serverProcess';
import { blast, percentile, rssMiB, type LoadRequest } from './lib';

/** History is delivered; every `stride`-th message is still queued (recently), the ones the bench calls back about. */
export async function bulkLoad(file: string, count: number, stride: number): Promise<void> {
  const store = new SqliteStore(file);
  await store.applySeed(worldSeed('http://127.0.0.1:9'), hashToken);
  await store.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // loading only; the server reopens with FULL
  const msg = db.prepare(`INSERT INTO messages (id, org_id, location_id, thread_id, connection_id, provider, provider_message_id, direction,
    from_number, to_number, body, status, stuck, attempt, sent_by, created_at, updated_at, status_at)
    VALUES (?, 'acme', 'north', ?, 'tw-north', 'twilio', ?, 'outbound', '+12125550100', ?, 'history', ?, 0, 1, 'ana', ?, ?, ?)`);
  const thread = db.prepare(`INSERT INTO threads (id, org_id, location_id, contact_phone, last_message_id, last_outbound_id, updated_at)
    VALUES (?, 'acme', 'north', ?, ?, ?, ?) ON CONFLICT (location_id, contact_phone) DO UPDATE SET last_message_id = excluded.last_message_id,
    last_outbound_id = excluded.last_outbound_id, updated_at = excluded.updated_at`);
  const event = db.prepare(`INSERT INTO events (org_id, location_id, message_id, message) VALUES ('acme', 'north', ?, ?)`);
  const base = Date.now() - count * 10;
  const load = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const at = new Date(base + i * 10).toISOString();
      const phone = `+1415${String(2000000 + (i % 200000)).padStart(7, '0')}`;
      const id = `msg_bulk${i}`;
      const threadId = `thr_bulk${i % 200000}`;
      const pending = i % stride === 0;
      msg.run(id, threadId, `SMbulk${i}`, phone, pending ? 'queued' : 'delivered', at, at, pending ? new Date().toISOString() : at);
      thread.run(threadId, phone, id, id, at);
      event.run(id, `{"id":"${id}","status":"queued"}`);
    }
  });
  for (let i = 0; i < count; i += 50_000) load(i, Math.min(count, i + 50_000));
  db.close();
}

export async function measureGrowth(root: string, sizes: number[], sample: number, concurrency: number) {
  const results = [];
  for (const size of sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-growth-'));
    const file = path.join(dir, 'growth.db');
    const t0 = performance.now();
    const stride = Math.max(1, Math.floor(size / Math.min(sample, size)));
    await bulkLoad(file, size, stride);
    const loadSeconds = (performance.now() - t0) / 1000;
    const server = await startServerProcess({ PORT: '0', DATABASE_URL: `file:${file}`, PUBLIC_URL: '' }, { root });
    const hook = '/webhooks/twilio/tw-north';
    const picks = Array.from({ length: Math.ceil(size / stride) }, (_, k) => k * stride);
    const reqs: LoadRequest[] = ['sent', 'delivered'].flatMap(status => picks.map(i => {
      const params = { MessageSid: `SMbulk${i}`, MessageStatus: status, AccountSid: ACCOUNT_SID, From: '+12125550100', To: '+14155550000' };
      return { path: hook, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, server.url + hook, params) }, body: new URLSearchParams(params).toString() };
    }));
    const r = await blast(server.url, reqs, concurrency);
    const rss = rssMiB(server.proc.pid!);
    const syncStart = performance.now();
    await fetch(`${server.url}/api/threads?limit=50&status=delivered`, { headers: { authorization: 'Bearer tok-sue-super' } });
    const threadsMs = performance.now() - syncStart;
    await server.stop();
    const dbMiB = fs.statSync(file).size / 2 ** 20;
    fs.rmSync(dir, { recursive: true, force: true });
    results.push({ stored: size, loadSeconds: +loadSeconds.toFixed(1), callbacks: reqs.length, perSecond: Math.round(r.perSecond), p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), errors: r.errors, serverRssMiB: rss, dbMiB: Math.round(dbMiB), threadsQueryMs: +threadsMs.toFixed(1) });
  }
  return results;
}
