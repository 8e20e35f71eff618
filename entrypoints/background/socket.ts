// The live channel: socket.io over WebSocket only (a service worker has no XHR, so no polling — RECIPES).
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SyncEvent } from '../../domain/types';
import type { ConnectionSettings } from '../../utils/connection';

export type TrailSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type SocketFactory = typeof io;

export interface SocketHandlers {
  connected(): void;
  /** Lost or not yet reached; socket.io retries by itself with backoff. */
  retrying(detail: string): void;
  /** The server refused the handshake for good (no automatic retry): `unauthorized` or another reason. */
  refused(reason: string): void;
  event(event: SyncEvent): void;
}

export interface SocketLink {
  close(): void;
  readonly connected: boolean;
  /** Asks a stopped socket to try again (after a refusal or a server-side disconnect). */
  retry(): void;
}

export function openSocket(settings: ConnectionSettings, on: SocketHandlers, factory: SocketFactory = io): SocketLink {
  const socket: TrailSocket = factory(settings.serverUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token: settings.token },
    reconnection: true,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 30_000,
    randomizationFactor: 0.5,
    timeout: 10_000,
  });
  socket.on('connect', () => on.connected());
  socket.on('message:updated', event => on.event(event));
  socket.on('connect_error', err => {
    // Middleware refusals leave the socket inactive (socket.io does not retry them); transport errors keep
    // it active and it reconnects with backoff.
    if (socket.active) on.retrying('server unreachable');
    else on.refused(err.message);
  });
  socket.on('disconnect', reason => {
    if (reason === 'io client disconnect') return;
    if (reason === 'io server disconnect') on.refused('server closed the connection');
    else on.retrying('connection lost');
  });
  return {
    close: () => { socket.removeAllListeners(); socket.disconnect(); },
    get connected() { return socket.connected; },
    retry: () => { if (!socket.active) socket.connect(); },
  };
}
