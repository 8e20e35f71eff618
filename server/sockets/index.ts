// socket.io: handshake `auth: {token}`, rooms per org and per location (CONTRACT "Socket.io").
import type http from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../domain/types';
import { authenticate, scopeOf } from '../auth';
import type { Store, User } from '../store/types';
import { locationRoom, orgRoom } from './publish';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { user: User }>;

export function createSocketServer(httpServer: http.Server, store: Store): IoServer {
  const io: IoServer = new Server(httpServer, {
    path: '/socket.io',
    // Chrome ≥ 116 keeps an extension's service worker alive while websocket traffic flows at least every
    // 30 s (RECIPES); a 20 s ping keeps the extension's socket, and so its worker, alive.
    pingInterval: 20_000,
    pingTimeout: 20_000,
    cors: { origin: '*' },
    maxHttpBufferSize: 64 * 1024,
  });
  io.use((socket, next) => {
    const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : null;
    authenticate(store, token).then(user => {
      if (!user) return next(new Error('unauthorized'));
      socket.data.user = user;
      next();
    }, () => next(new Error('unavailable')));
  });
  // Fewer system calls per socket message: engine.io writes each packet of a flush as its own WebSocket frame,
  // one write system call each. Holding a websocket's TCP socket corked until the current tick's work is done
  // sends every frame written meanwhile (all the events of a group-commit batch for that socket, or all the
  // packets engine.io queued while a write was in flight) in one writev. Only for websocket-only connections:
  // there `request.socket` (the upgrade request's) is the websocket's own TCP socket.
  io.engine.on('connection', (conn: { request?: { socket?: { cork(): void; uncork(): void } }; transport?: { name?: string }; upgraded?: boolean; on(event: 'flush', fn: () => void): void }) => {
    const tcp = conn.request?.socket;
    if (!tcp) return;
    conn.on('flush', () => {
      if (conn.transport?.name !== 'websocket' || conn.upgraded) return;
      tcp.cork();
      process.nextTick(() => tcp.uncork());
    });
  });
  io.on('connection', socket => {
    const scope = scopeOf(socket.data.user);
    if (scope.locationIds === null) void socket.join(orgRoom(scope.orgId));
    else void socket.join(scope.locationIds.map(locationRoom));
  });
  return io;
}
