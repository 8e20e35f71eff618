// The extension's IndexedDB (Dexie). Written only by the background: IndexedDB is per origin, so a content
// script would open the CRM's database, not ours. Extension pages (side panel) read it with useLiveQuery.
import Dexie, { type EntityTable } from 'dexie';
import type { Message } from '../domain/types';

/** One conversation with one contact at one location, summarised for lists and badges. */
export interface ThreadRow {
  id: string;
  locationId: string;
  contactPhone: string;
  contactName: string | null;
  optedOut: boolean;
  lastMessage: Message | null;
  /** The newest outbound text (the newest attempt of a resend chain): what the badge shows. */
  lastOutbound: Message | null;
  updatedAt: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export const DB_NAME = 'texttrail';

export class AppDB extends Dexie {
  messages!: EntityTable<Message, 'id'>;
  threads!: EntityTable<ThreadRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  constructor(name = DB_NAME) {
    super(name);
    // Index only what we query: messages by thread (conversation view), threads by phone (badges) and by
    // activity (recent list). Versions only move forward.
    this.version(1).stores({
      messages: 'id, [threadId+createdAt]',
      threads: 'id, contactPhone, updatedAt',
      meta: 'key',
    });
  }
}

let shared: AppDB | null = null;
export function getDb(): AppDB {
  shared ??= new AppDB();
  return shared;
}

/** Meta keys. The cursor moves only with /api/sync pages (see entrypoints/background/db.ts). */
export const META_CURSOR = 'syncCursor';
export const META_SERVER = 'server';
