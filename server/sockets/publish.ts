import type { Server } from 'socket.io';
import type { ServerToClientEvents } from '../../domain/types';
import type { StoredEvent } from '../store/types';

// Rooms: agents join `loc:{id}` for each of their locations; supervisors and admins join `org:{id}`.
// One emit to both rooms reaches each socket once, and never a socket of another org or location.
export const locationRoom = (id: string) => `loc:${id}`;
export const orgRoom = (id: string) => `org:${id}`;

export type Publish = (events: StoredEvent[]) => void;

export interface PublisherOptions {
  /**
   * Every socket is held by this process (no cluster adapter relays emits to other processes). Then an event
   * whose rooms hold no socket reaches nobody and is skipped: socket.io encodes a broadcast (JSON and a binary
   * scan) before it looks for receivers, which was most of the emit's cost per callback with nobody watching.
   */
  localOnly: boolean;
}

export function createPublisher(io: Server<Record<string, never>, ServerToClientEvents>, { localOnly }: PublisherOptions): Publish {
  // Looked up per call: a cluster adapter attached after start replaces the namespace's adapter.
  const hasSockets = (room: string) => (io.of('/').adapter.rooms.get(room)?.size ?? 0) > 0;
  return events => {
    for (const event of events) {
      const rooms = [locationRoom(event.message.locationId), orgRoom(event.message.orgId)];
      if (localOnly && !hasSockets(rooms[0]) && !hasSockets(rooms[1])) continue;
      io.to(rooms).emit('message:updated', event);
    }
  };
}
