// The callback path reads a message as an array of values (messageFromValues) where every other read builds a
// row object (toMessage): both must give the same Message, down to the JSON that events and sockets carry.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_SCHEMA } from '../schema';
import { MESSAGE_COLUMNS, messageFromValues, toMessage, type Row } from '../rows';

describe('messageFromValues', () => {
  it('gives what toMessage gives, for full and sparse rows', () => {
    const db = new Database(':memory:');
    db.exec(SQLITE_SCHEMA);
    const insert = db.prepare(`INSERT INTO messages (id, org_id, location_id, thread_id, connection_id, provider, provider_message_id,
      direction, from_number, to_number, body, status, error_code, error_class, stuck, attempt, resend_of, sent_by, scheduled_for,
      created_at, updated_at, status_at) VALUES (@id, 'acme', 'north', 'thr_1', 'tw-north', 'twilio', @pmid, 'outbound', '+12125550100',
      '+14155550100', 'hi', @status, @code, @cls, @stuck, 2, @resendOf, @sentBy, @scheduledFor, '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z')`);
    insert.run({ id: 'msg_full', pmid: 'SM1', status: 'undelivered', code: '30003', cls: 'temporary', stuck: 1, resendOf: 'msg_0', sentBy: 'ana', scheduledFor: '2026-01-03T00:00:00.000Z' });
    insert.run({ id: 'msg_sparse', pmid: null, status: 'queued', code: null, cls: null, stuck: 0, resendOf: null, sentBy: null, scheduledFor: null });
    for (const id of ['msg_full', 'msg_sparse']) {
      const row = db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as Row;
      const values = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`).raw().get(id) as unknown[];
      const fromValues = messageFromValues(values);
      expect(fromValues).toEqual(toMessage(row));
      expect(JSON.stringify(fromValues)).toBe(JSON.stringify(toMessage(row)));
    }
  });
});
