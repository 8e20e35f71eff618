// Schema for PostgreSQL: the shared tables (./schema.ts) with a per-org cursor counter and events keyed by
// (org, seq) instead of one global autoincrement, plus what only this backend needs.
import { ADDED_COLUMNS, schemaFor, type SchemaDialect } from './schema';

const POSTGRES: SchemaDialect = {
  autoIncrementKey: 'BIGSERIAL PRIMARY KEY',
  eventLog: `
CREATE TABLE IF NOT EXISTS org_cursors (org_id TEXT PRIMARY KEY REFERENCES orgs(id), seq BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  org_id TEXT NOT NULL, seq BIGINT NOT NULL, location_id TEXT NOT NULL, message_id TEXT NOT NULL, message TEXT NOT NULL,
  PRIMARY KEY (org_id, seq));`,
};

const addedColumns = ADDED_COLUMNS
  .map(([table, column, definition]) => `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} ${definition};`)
  .join('\n');

export const POSTGRES_SCHEMA = `
-- ping() writes a row here: a read-only or full database fails the health check, not the first send.
CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY, at TEXT);
${schemaFor(POSTGRES).trim()}
-- columns added after the first release
${addedColumns}
-- socket.io's PostgreSQL adapter keeps payloads over NOTIFY's 8000-byte limit here.
CREATE TABLE IF NOT EXISTS socket_io_attachments (id BIGSERIAL UNIQUE, created_at TIMESTAMPTZ DEFAULT NOW(), payload BYTEA);
`;
