// Before the PostgreSQL runs: the server must answer; CI never skips them (vitest.config.ts).
import pg from 'pg';
import { TEST_DATABASE_URL } from '../../testing';

export default async function requirePostgres(): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.end();
  } catch (e) {
    throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} does not answer (${(e as Error).message}): start it, or set TEST_DATABASE_URL`);
  }
}
