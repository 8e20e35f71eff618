// Test support: a real server on a free port with its own database — a fresh SQLite file, or a fresh
// PostgreSQL database on TEST_DATABASE_URL — used by server, e2e and bench.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp, type App, type AppOptions } from '../app';
import { loadConfig, type Config } from '../config';
import { readSeedFile, type Seed } from '../seed';

export const DEMO_SEED_PATH = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../demo/seed.json');
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://root@127.0.0.1:5432/test';
export type Backend = 'sqlite' | 'postgres';

/** Which backend the server tests run on: the `server-postgres` test project sets it. */
export function testBackend(): Backend {
  return process.env.TEXTTRAIL_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
}

/** A fresh database for one test server, so runs never see each other's rows. */
export async function createTestDatabase(backend: Backend): Promise<{ url: string; drop(): Promise<void> }> {
  if (backend === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-test-'));
    return { url: `file:${path.join(dir, 'test.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `texttrail_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try { await admin.query(`CREATE DATABASE ${name}`); } finally { await admin.end(); }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try { await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } finally { await c.end(); }
    },
  };
}

export interface TestServer {
  url: string;
  publicUrl: string;
  databaseUrl: string;
  /** The SQLite file, for the SQLite backend. */
  dbPath: string;
  app: App;
  config: Config;
  close(): Promise<void>;
}

export async function startTestServer(opts: {
  seed?: Seed; env?: Record<string, string>; simulatorTiming?: AppOptions['simulatorTiming']; backend?: Backend;
} = {}): Promise<TestServer> {
  const db = await createTestDatabase(opts.backend ?? testBackend());
  const base = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: db.url, TEXTTRAIL_DEMO: '1', ...opts.env });
  const seed = opts.seed ?? readSeedFile(DEMO_SEED_PATH);
  const app = await createApp(base, { seed, simulatorTiming: opts.simulatorTiming });
  return {
    url: app.url, publicUrl: app.config.publicUrl, databaseUrl: db.url, dbPath: db.url.replace(/^file:/, ''), app, config: app.config,
    close: async () => { await app.close(); await db.drop(); },
  };
}
