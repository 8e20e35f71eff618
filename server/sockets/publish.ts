import type { Server } from 'socket.io';
import type { ServerToClientEvents } from '../../domain/types';
import type { StoredEvent } from '../store/types';

// Rooms: agents join `loc:{id}` for each of their locations; supervisors and admins join `org:{id}`.
// One emit to both rooms reaches each socket once, and never a socket of another org or location.
export const locationRoom = (id: string) => `loc:${id}`;
export const orgRoom = (id: string) => `org:${id}`;

export type Publish = (events: StoredEvent[]) => void;

export function createPublisher(io: Server<Record<string, never>, ServerToClientEvents>): Publish {
  return events => {
    for (const event of events) {
      io.to([locationRoom(event.message.locationId), orgRoom(event.message.orgId)]).emit('message:updated', event);
    }
  };
}
