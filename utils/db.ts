// The extension's IndexedDB (Dexie). Written only by the background: IndexedDB is per origin, so a content
// script would open the CRM's database, not ours. Extension pages (side panel) read it with useLiveQuery.
import Dexie, { type EntityTable } from 'dexie';
import type { TrailStep } from '../domain/trail';
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

/** One step of a text's status trail (domain/trail.ts), kept from the snapshots the background receives. */
export interface TrailRow extends TrailStep {
  /** `${messageId}|${step}`: one row per step, so repeated snapshots overwrite instead of piling up. */
  id: string;
  messageId: string;
  threadId: string;
  locationId: string;
}

export interface OutboxError {
  code: string;
  message: string;
}

/**
 * A send or resend the agent made that the server has not answered yet: offline, or in flight when the
 * worker stopped. Keyed by its Idempotency-Key, so however often it is retried the server sends it once.
 */
export interface OutboxRow {
  key: string;
  /** The account (settings) it belongs to: never sent under another account. */
  account: string;
  kind: 'send' | 'resend';
  /** The contact's phone (E.164): the conversation it shows in. */
  to: string;
  /** For a resend: the text it resends. */
  resendOf: string | null;
  /** The request body as it goes to the server. */
  request: Record<string, unknown>;
  /** The text as the agent saw it (a template rendered locally), to show while it waits. */
  preview: string;
  sentBy: string | null;
  createdAt: string;
  /** waiting: will be sent on reconnect; refused: the server said no (shown until dismissed); expired: too old to retry safely. */
  state: 'waiting' | 'refused' | 'expired';
  attempts: number;
  /** Not retried before this time (ms since the epoch): backoff after a failed try. */
  nextAt: number;
  error: OutboxError | null;
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
  trail!: EntityTable<TrailRow, 'id'>;
  outbox!: EntityTable<OutboxRow, 'key'>;

  constructor(name = DB_NAME) {
    super(name);
    // Index only what we query: messages by thread (conversation view), threads by phone (badges) and by
    // activity (recent list). Versions only move forward.
    this.version(1).stores({
      messages: 'id, [threadId+createdAt]',
      threads: 'id, contactPhone, updatedAt',
      meta: 'key',
    });
    // Status trails (by message for the thread view, by time for live failures and spikes) and the outbox
    // of unsent texts (by contact for the thread view, by age to send in order).
    this.version(2).stores({
      trail: 'id, messageId, at',
      outbox: 'key, to, createdAt',
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
