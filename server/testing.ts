// Test support: a real server on a free port with its own SQLite file, used by server, e2e and bench.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App, type AppOptions } from './app';
import { loadConfig, type Config } from './config';
import { readSeedFile, type Seed } from './seed';

export const DEMO_SEED_PATH = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'demo/seed.json');

export interface TestServer {
  url: string;
  publicUrl: string;
  dbPath: string;
  app: App;
  config: Config;
  close(): Promise<void>;
}

export async function startTestServer(opts: { seed?: Seed; env?: Record<string, string>; simulatorTiming?: AppOptions['simulatorTiming'] } = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'texttrail-test-'));
  const dbPath = path.join(dir, 'test.db');
  const base = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${dbPath}`, TEXTTRAIL_DEMO: '1', ...opts.env });
  const seed = opts.seed ?? readSeedFile(DEMO_SEED_PATH);
  const app = await createApp(base, { seed, simulatorTiming: opts.simulatorTiming });
  const config = app.config;
  return {
    url: app.url, publicUrl: config.publicUrl, dbPath, app, config,
    close: async () => { await app.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}
