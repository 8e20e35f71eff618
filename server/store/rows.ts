// Database rows → the JSON shapes. Column names are the same in SQLite and PostgreSQL.
import type { Message } from '../../domain/types';
import type { Connection } from './types';

export type Row = Record<string, any>;

/** A message's columns in the order of Message's keys (messageFromValues). */
const MESSAGE_COLUMN_NAMES = [
  'id', 'org_id', 'location_id', 'thread_id', 'connection_id', 'provider', 'provider_message_id', 'direction',
  'from_number', 'to_number', 'body', 'status', 'error_code', 'error_class', 'stuck', 'attempt', 'resend_of', 'sent_by',
  'scheduled_for', 'created_at', 'updated_at',
] as const;

/** The same columns as SQL, for reads that take a row as an array (`.raw()`). */
export const MESSAGE_COLUMNS = MESSAGE_COLUMN_NAMES.join(', ');

export function toMessage(r: Row): Message {
  return messageFromValues(MESSAGE_COLUMN_NAMES.map(c => r[c]));
}

/**
 * A row read as MESSAGE_COLUMNS values → a Message (keys in one order, so the same JSON from any read). The
 * one mapping: toMessage names the columns first. The callback path reads values directly (better-sqlite3
 * builds a row object column by column, which cost more than the read).
 */
export function messageFromValues(v: any[]): Message {
  return {
    id: v[0], orgId: v[1], locationId: v[2], threadId: v[3], connectionId: v[4],
    provider: v[5], providerMessageId: v[6] ?? null, direction: v[7],
    from: v[8], to: v[9], body: v[10], status: v[11], errorCode: v[12] ?? null,
    errorClass: v[13] ?? null, stuck: v[14] === 1 || v[14] === true, attempt: v[15], resendOf: v[16] ?? null,
    sentBy: v[17] ?? null, scheduledFor: v[18] ?? null, createdAt: v[19], updatedAt: v[20],
  };
}

export function toConnection(r: Row): Connection {
  return {
    id: r.id, orgId: r.org_id, locationId: r.location_id, provider: r.provider, numbers: JSON.parse(r.numbers),
    secrets: JSON.parse(r.secrets), apiBaseUrl: r.api_base_url ?? null,
  };
}

