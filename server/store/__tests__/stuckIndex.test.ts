// The stuck scan's index holds only messages that can still become stuck, and the scan uses it: a delivery
// report then writes no index page (docs/benchmarks.md, session 7). Runs on SQLite, and on PostgreSQL in the
// server-postgres project.
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../app';
import { createTestDatabase, testBackend } from '../../testing';
import { OVERDUE } from '../schema';

const backend = testBackend();
let drop: (() => Promise<void>) | null = null;
afterEach(async () => { await drop?.(); drop = null; });

/** Runs each statement in turn on the database at `url`, through a connection of its own; returns the last one's rows. */
async function query(url: string, ...statements: string[]): Promise<Record<string, unknown>[]> {
  let rows: Record<string, unknown>[] = [];
  if (backend === 'sqlite') {
    const db = new Database(url.slice('file:'.length));
    try {
      for (const sql of statements) {
        const stmt = db.prepare(sql);
        rows = stmt.reader ? (stmt.all() as Record<string, unknown>[]) : (stmt.run(), []);
      }
    } finally { db.close(); }
    return rows;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of statements) rows = (await client.query(sql)).rows;
  } finally { await client.end(); }
  return rows;
}

const indexNames = async (url: string) => (backend === 'sqlite'
  ? await query(url, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'")
  : await query(url, "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'messages'")).map(r => r.name);

describe(`the stuck scan's index (${backend})`, () => {
  it('holds unsettled messages only, serves the stuck scan, and replaces the first form on an old database', async () => {
    const db = await createTestDatabase(backend);
    drop = db.drop;
    // A database from before: the first form of the index, over every message not yet stuck.
    await (await openStore(db.url)).close();
    await query(db.url, 'DROP INDEX messages_unsettled');
    await query(db.url, 'CREATE INDEX messages_unfinished ON messages (status, status_at) WHERE stuck = 0');

    await (await openStore(db.url)).close();
    const names = await indexNames(db.url);
    expect(names).toContain('messages_unsettled');
    expect(names).not.toContain('messages_unfinished');

    const scan = `SELECT id FROM messages WHERE ${OVERDUE.replace(/\?/g, "'2026-01-01T00:00:00.000Z'")}`;
    const plan = backend === 'sqlite'
      ? (await query(db.url, `EXPLAIN QUERY PLAN ${scan}`)).map(r => String(r.detail)).join('\n')
      // The table is empty: without this PostgreSQL would rightly read it whole, and the test would not tell.
      : (await query(db.url, 'SET enable_seqscan = off', `EXPLAIN ${scan}`)).map(r => String(r['QUERY PLAN'])).join('\n');
    expect(plan).toMatch(/messages_unsettled/);
  });
});
