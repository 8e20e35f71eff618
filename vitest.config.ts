import { spawnSync } from 'node:child_process';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// PostgreSQL answers? In CI it must (the globalSetup fails loudly otherwise); elsewhere its runs are skipped
// with a loud note, so a newcomer without PostgreSQL still gets a green run of everything else.
const testDatabaseUrl = process.env.TEST_DATABASE_URL || 'postgres://root@127.0.0.1:5432/test';
const postgresUp = spawnSync('pg_isready', ['-d', testDatabaseUrl, '-t', '3']).status === 0;
if (!postgresUp && !process.env.CI) {
  console.warn(`\n!!! SKIPPING the server-postgres tests: PostgreSQL does not answer at ${testDatabaseUrl}.\n!!! Start it or set TEST_DATABASE_URL to run them.\n`);
}

// Four projects: extension units (WXT's fake browser, happy-dom, fake-indexeddb), server integration
// (real servers on free ports, real SQLite/PostgreSQL), and real-Chromium end-to-end tests.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['{domain,adapters,components,hooks,utils,entrypoints,scripts,bench}/**/__tests__/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      {
        test: {
          name: 'server',
          include: ['server/**/__tests__/**/*.test.ts'],
          exclude: ['server/**/__tests__/cluster.test.ts'], // PostgreSQL only
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      ...(postgresUp || process.env.CI ? [{
        // The same server tests again, on a fresh PostgreSQL database per server (TEST_DATABASE_URL).
        test: {
          name: 'server-postgres',
          include: ['server/**/__tests__/**/*.test.ts'],
          exclude: ['server/**/__tests__/process.test.ts'],
          environment: 'node' as const,
          env: { TEXTTRAIL_TEST_BACKEND: 'postgres' },
          globalSetup: ['server/__tests__/helpers/requirePostgres.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      }] : []),
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
