// The SQLite store's WAL checkpoint runs on a worker thread (walCheckpointer.ts), not inside commits on the
// event loop: SQLite's own checkpoint is off, the worker copies the WAL into the database file, the WAL starts
// again from its beginning while callbacks keep coming, nothing racing a checkpoint is lost, and the worker
// neither outlives close() nor keeps a process alive. SQLite only (the PostgreSQL project skips this file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../auth';
import { SqliteStore } from '../sqlite';
import { StatusBatcher } from '../../ingest/statusBatcher';
import { spawnNode } from '../../testing/serverProcess';
import { testBackend } from '../../testing';
import { worldSeed } from '../../__tests__/helpers/world';
import type { WalCheckpointerOptions } from '../walCheckpointer';
import type { Status } from '../../../domain/status';

const PAGE = 4096;
/** Frames the WAL file has room for (a 32-byte header, then a 24-byte header and a page per frame). */
const walFrames = (file: string) => (fs.existsSync(file + '-wal') ? Math.max(0, Math.floor((fs.statSync(file + '-wal').size - 32) / (PAGE + 24))) : 0);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => {});
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh store on a file with the world seeded and `count` sent messages whose provider ids are SMwal0…. */
async function storeWithMessages(count: number, walCheckpoint: WalCheckpointerOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-wal-'));
  dirs.push(dir);
  const file = path.join(dir, 'test.db');
  const store = new SqliteStore(file, { walCheckpoint });
  stores.push(store);
  await store.applySeed(worldSeed('http://127.0.0.1:9'), hashToken);
  const connection = (await store.connection('tw-north'))!;
  for (let i = 0; i < count; i++) {
    const m = await store.createOutbound({ connection, to: `+1415555${String(1000 + (i % 500)).padStart(4, '0')}`, body: `wal ${i}`, sentBy: 'ana' });
    await store.recordProviderId(m.message.id, `SMwal${i}`);
  }
  return { store, file };
}

const callback = (i: number, status: Status) => ({ connectionId: 'tw-north', providerMessageId: `SMwal${i}`, status, errorCode: null, errorClass: null });

describe.skipIf(testBackend() === 'postgres')('the WAL checkpoint on a worker thread', () => {
  it('is the only checkpoint: with the worker idle, the WAL grows past the 1,000 pages of SQLite\'s own', async () => {
    const { file } = await storeWithMessages(300, { thresholdFrames: 1_000_000 });
    expect(walFrames(file)).toBeGreaterThan(1500);
  });

  it('leaves SQLite\'s own checkpoint as a backstop, for writes the worker cannot hold', async () => {
    const { file } = await storeWithMessages(300, { thresholdFrames: 1_000_000, backstopFrames: 300 });
    expect(walFrames(file)).toBeLessThan(400);
  });

  it('copies the WAL into the database file and lets SQLite start the WAL again', async () => {
    /** How many frames the WAL file grows by while 240 sends commit, in rounds with pauses between them. */
    const growth = async (walCheckpoint: WalCheckpointerOptions) => {
      const { store, file } = await storeWithMessages(10, walCheckpoint);
      const [framesBefore, dbBefore] = [walFrames(file), fs.statSync(file).size];
      for (let round = 0; round < 12; round++) {
        for (let i = 0; i < 20; i++) await store.createOutbound({ connection: (await store.connection('tw-north'))!, to: '+14155550999', body: `more ${round} ${i}`, sentBy: 'ana' });
        await sleep(30);
      }
      return { store, frames: walFrames(file) - framesBefore, dbGrew: fs.statSync(file).size > dbBefore };
    };
    // SQLite's own checkpoint out of the way in both: only the worker can start the WAL again. The same
    // commits without it show how far the WAL file grows when nothing does (the seed's big commit sizes the
    // file at first, so the growth, not the size, tells).
    const idle = await growth({ thresholdFrames: 1_000_000, backstopFrames: 1_000_000 });
    const working = await growth({ thresholdFrames: 100, pollMs: 2, backstopFrames: 1_000_000 });
    expect(idle.frames).toBeGreaterThan(500);
    expect(working.store.checkpointer!.stats.restartable).toBeGreaterThan(0);
    expect(working.frames).toBeLessThan(idle.frames / 2);
    expect(working.dbGrew).toBe(true);
  });

  it('keeps the WAL bounded while callbacks commit back to back, holding them only briefly', async () => {
    const { store, file } = await storeWithMessages(400, { thresholdFrames: 200, pollMs: 2 });
    // The callbacks' WAL alone: from an empty one.
    const other = new Database(file);
    other.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    expect(walFrames(file)).toBe(0);
    const batcher = new StatusBatcher(store);
    let maxFrames = 0;
    const sampler = setInterval(() => { maxFrames = Math.max(maxFrames, walFrames(file)); }, 5);
    const statuses: Status[] = ['sent', 'delivered', 'read'];
    const started = performance.now();
    for (const status of statuses) {
      // 4 in flight: a commit is always waiting, so a checkpoint never ends between two commits by chance.
      for (let i = 0; i < 400; i += 4) await Promise.all([i, i + 1, i + 2, i + 3].map(j => batcher.apply(callback(j, status))));
    }
    clearInterval(sampler);
    const stats = store.checkpointer!.stats;
    expect(stats.paused).toBeGreaterThan(0);
    // Held, the last round sees no commit land: every cycle ends with the whole WAL in the database file (a
    // hold cut short by maxHoldMs on a starved machine may miss it, hence not all; unheld, hardly any does).
    expect(stats.restartable).toBeGreaterThanOrEqual(0.5 * stats.cycles);
    expect(maxFrames).toBeLessThan(1000);
    // Capped at 50 ms (maxHoldMs); on a loaded machine (CI runs the test projects side by side) its timer fires late.
    expect(stats.maxHeldMs).toBeLessThan(250);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('loses no commit that races a checkpoint', async () => {
    const count = 600;
    const { store, file } = await storeWithMessages(count, { thresholdFrames: 30, pollMs: 1, finalFrames: 8 });
    const batcher = new StatusBatcher(store);
    const answered: unknown[] = [];
    for (const status of ['sent', 'delivered'] as Status[]) {
      // 32 in flight, like a provider's retries: commits land before, during and after checkpoint rounds.
      for (let i = 0; i < count; i += 32) {
        const batch = Array.from({ length: Math.min(32, count - i) }, (_, k) => batcher.apply(callback(i + k, status)));
        answered.push(...(await Promise.all(batch)));
      }
    }
    expect(answered.filter(r => r && r !== 'pending')).toHaveLength(2 * count);
    expect(store.checkpointer!.stats.cycles).toBeGreaterThan(5);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const delivered = db.prepare("SELECT count(*) AS n FROM messages WHERE provider_message_id LIKE 'SMwal%' AND status = 'delivered'").get() as { n: number };
      expect(delivered.n).toBe(count);
    } finally {
      db.close();
    }
  });

  it('ends with close(): the worker thread ends, and the last close removes the WAL', async () => {
    const { store, file } = await storeWithMessages(20, { thresholdFrames: 50, pollMs: 2 });
    const checkpointer = store.checkpointer!;
    expect(fs.existsSync(file + '-wal')).toBe(true);
    await store.close();
    expect(await Promise.race([checkpointer.exited.then(() => 'ended'), sleep(1000).then(() => 'running')])).toBe('ended');
    expect(fs.existsSync(file + '-wal')).toBe(false);
  });

  it('does not keep a process alive that never closes its store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-wal-exit-'));
    dirs.push(dir);
    const script = path.join(dir, 'open.mts');
    fs.writeFileSync(script, `import { SqliteStore } from ${JSON.stringify(path.resolve(__dirname, '../sqlite.ts'))};
const store = new SqliteStore(${JSON.stringify(path.join(dir, 'x.db'))});
await store.ping();
console.log('opened', store.checkpointer !== null);
`);
    const p = spawnNode(['--import', 'tsx', script]);
    const code = await Promise.race([p.exited, sleep(15_000).then(() => 'still running')]);
    if (code === 'still running') p.proc.kill('SIGKILL');
    expect(p.output()).toContain('opened true');
    expect(code).toBe(0);
  });
});
