// Database rows → the JSON shapes. Column names are the same in SQLite and PostgreSQL.
import type { Message } from '../../domain/types';
import type { Connection } from './types';

export type Row = Record<string, any>;

export function toMessage(r: Row): Message {
  return {
    id: r.id, orgId: r.org_id, locationId: r.location_id, threadId: r.thread_id, connectionId: r.connection_id,
    provider: r.provider, providerMessageId: r.provider_message_id ?? null, direction: r.direction,
    from: r.from_number, to: r.to_number, body: r.body, status: r.status, errorCode: r.error_code ?? null,
    errorClass: r.error_class ?? null, stuck: r.stuck === 1 || r.stuck === true, attempt: r.attempt, resendOf: r.resend_of ?? null,
    sentBy: r.sent_by ?? null, scheduledFor: r.scheduled_for ?? null, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** A message's columns in the order of Message's keys, for reads that take a row as an array (`.raw()`). */
export const MESSAGE_COLUMNS = `id, org_id, location_id, thread_id, connection_id, provider, provider_message_id, direction,
  from_number, to_number, body, status, error_code, error_class, stuck, attempt, resend_of, sent_by, scheduled_for,
  created_at, updated_at`;

/**
 * A row read as MESSAGE_COLUMNS values → the same Message as toMessage (same keys, same order, so the same JSON).
 * On the callback path: better-sqlite3 builds a row object column by column, which cost more than the read.
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

