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

export function toConnection(r: Row): Connection {
  return {
    id: r.id, orgId: r.org_id, locationId: r.location_id, provider: r.provider, numbers: JSON.parse(r.numbers),
    secrets: JSON.parse(r.secrets), apiBaseUrl: r.api_base_url ?? null,
  };
}

