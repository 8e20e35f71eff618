// createApp(config) → a running HTTP + socket.io server and a close() that stops it cleanly.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashToken } from './auth';
import { ConfigError, type Config } from './config';
import type { AppDeps } from './http/context';
import { Router } from './http/router';
import { demoPage } from './http/routes/demo';
import { health } from './http/routes/health';
import { me } from './http/routes/me';
import { sendMessage } from './http/routes/messages';
import { resend } from './http/routes/resend';
import { sync } from './http/routes/sync';
import { listThreads, threadCounts, threadMessages } from './http/routes/threads';
import { createTemplate, listTemplates, updateTemplate } from './http/routes/templates';
import { connectionStats, locationStats } from './http/routes/stats';
import { webhook } from './http/routes/webhooks';
import { ConnectionCache } from './ingest/connectionCache';
import { StatusBatcher } from './ingest/statusBatcher';
import { startJobs } from './jobs';
import { createProviders } from './providers';
import type { SimulatorTiming } from './providers/simulator';
import { readSeedFile, type Seed } from './seed';
import { createSocketServer, type IoServer } from './sockets';
import { createPublisher } from './sockets/publish';
import { SqliteStore } from './store/sqlite';
import { PostgresStore } from './store/postgres';
import { attachPostgresAdapter } from './sockets/postgresAdapter';
import type { Store } from './store/types';

export interface App {
  config: Config;
  server: http.Server;
  io: IoServer;
  store: Store;
  /** Where the server listens, e.g. http://127.0.0.1:8787. */
  url: string;
  close(): Promise<void>;
}

export interface AppOptions {
  /** A seed given directly (tests); otherwise config.seedPath is read. */
  seed?: Seed;
  simulatorTiming?: SimulatorTiming;
}

export async function openStore(databaseUrl: string): Promise<Store> {
  if (databaseUrl.startsWith('file:')) return new SqliteStore(databaseUrl.slice('file:'.length));
  try {
    return await PostgresStore.open(databaseUrl);
  } catch (e) {
    throw new ConfigError(`DATABASE_URL: cannot use the PostgreSQL database: ${(e as Error).message}`);
  }
}

function buildRouter(demo: boolean): Router {
  const router = new Router()
    .on('GET', '/healthz', health)
    .on('GET', '/api/me', me)
    .on('POST', '/api/messages', sendMessage)
    .on('POST', '/api/messages/:id/resend', resend)
    .on('GET', '/api/threads', listThreads)
    .on('GET', '/api/threads/counts', threadCounts)
    .on('GET', '/api/templates', listTemplates)
    .on('POST', '/api/templates', createTemplate)
    .on('PATCH', '/api/templates/:id', updateTemplate)
    .on('GET', '/api/stats/locations', locationStats)
    .on('GET', '/api/stats/connections', connectionStats)
    .on('GET', '/api/threads/:id/messages', threadMessages)
    .on('GET', '/api/sync', sync)
    .on('POST', '/webhooks/:provider/:connectionId', webhook);
  if (demo) router.on('GET', '/demo/*', demoPage);
  return router;
}

// The API is called from the extension with a bearer token, never with cookies, so any origin may call it.
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, idempotency-key',
  'access-control-allow-methods': 'GET, POST, PATCH, OPTIONS',
  'access-control-max-age': '86400',
};

export async function createApp(configIn: Config, options: AppOptions = {}): Promise<App> {
  const config = { ...configIn };
  const store = await openStore(config.databaseUrl);
  try {
    const seed = options.seed ?? (config.seedPath ? readSeedFile(config.seedPath) : null);
    if (seed) await store.applySeed(seed, hashToken);
    await store.ping();
  } catch (e) {
    await store.close();
    throw e;
  }

  const router = buildRouter(config.demo);
  const providers = createProviders({ simulatorTiming: options.simulatorTiming });
  let url = '';
  // eslint-disable-next-line prefer-const
  let deps: AppDeps;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/api/')) {
      for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
      if (req.method === 'OPTIONS') { res.writeHead(204).end(); return; }
    }
    void router.handle(req, res, deps);
  });
  server.keepAliveTimeout = 65_000; // above common load balancers' 60 s idle timeout
  // What Node's HTTP parser refuses before any handler runs (a URL or headers over its limit, a broken request
  // line) still gets the JSON error shape, not Node's bare status line.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) { socket.destroy(); return; }
    const [status, code] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'headers_too_large'] : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request_timeout'] : [400, 'bad_request'];
    const body = JSON.stringify({ error: { code, message: status === 431 ? 'the request line or headers are too large' : 'the request is not valid HTTP' } });
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  const io = createSocketServer(server, store);
  // Several processes on one PostgreSQL act as one server: the adapter relays each emit to the others
  // through LISTEN/NOTIFY, so a callback received by one process reaches sockets held by another.
  const clustered = store instanceof PostgresStore;
  const closeAdapter = clustered ? await attachPostgresAdapter(io, config.databaseUrl) : async () => {};
  deps = {
    config, store, providers, publish: createPublisher(io, { localOnly: !clustered }), statuses: new StatusBatcher(store), connections: new ConnectionCache(store),
    internalUrl: () => url,
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  if (config.host === '0.0.0.0') url = `http://127.0.0.1:${port}`;
  if (!config.publicUrlSet) config.publicUrl = url; // PORT=0: the real port is known only now
  const stopJobs = startJobs(deps);

  let closing: Promise<void> | null = null;
  const close = () => (closing ??= (async () => {
    stopJobs();
    providers.dispose();
    io.disconnectSockets(true);
    server.closeAllConnections();
    await new Promise<void>(resolve => io.close(() => resolve()));
    await closeAdapter();
    await store.close();
  })());
  return { config, server, io, store, url, close };
}
