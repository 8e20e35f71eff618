// socket.io's PostgreSQL adapter (an existing engine: @socket.io/postgres-adapter), on a pool of its own so
// its long-lived LISTEN connection never holds up the store's pool at shutdown.
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { IoServer } from '.';

export async function attachPostgresAdapter(io: IoServer, connectionString: string): Promise<() => Promise<void>> {
  const pool = new pg.Pool({ connectionString, max: 4 });
  pool.on('error', e => console.error('socket.io adapter pool:', e.message));
  io.adapter(createAdapter(pool, { errorHandler: e => console.error('socket.io adapter:', e.message) }));
  // The adapter acquires its LISTEN connection in the background; wait for it, so that an event published
  // by another process right after start is not missed, and so that close() finds it to release.
  // (Reads the adapter's private PubSubClient; if that shape changes we only lose the wait.)
  const adapter = io.of('/').adapter as unknown as { client?: { client?: unknown } };
  for (let i = 0; i < 100 && adapter.client && !adapter.client.client; i++) await new Promise(r => setTimeout(r, 50));
  return async () => {
    await Promise.race([pool.end(), new Promise(r => setTimeout(r, 2000))]);
  };
}
