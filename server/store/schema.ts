// The tables both storage backends create, written once. SQL is kept to what SQLite and PostgreSQL both speak
// (TEXT ISO times, integer flags); the few places where they differ are a dialect's slots.

/** What one database writes differently. */
export interface SchemaDialect {
  /** An integer primary key the database numbers itself. */
  autoIncrementKey: string;
  /**
   * The change log that /api/sync pages through (`seq` makes the cursor). SQLite numbers it with one
   * autoincrement (it has a single writer); PostgreSQL numbers each org's events from a counter row that every
   * writing transaction locks, so several server processes still number them in commit order (postgres.ts).
   */
  eventLog: string;
}

/**
 * Messages that can still become stuck (CONTRACT, "Stuck"): the stuck index's WHERE, which the stuck scan's
 * own WHERE repeats word for word, since a partial index serves a query only when its terms appear in it.
 */
export const UNSETTLED = "stuck = 0 AND status IN ('queued', 'sending', 'sent')";

/** The stuck scan's WHERE: unsettled messages queued or sending since before ?1, or sent since before ?2. */
export const OVERDUE = `${UNSETTLED} AND ((status IN ('queued', 'sending') AND status_at < ?) OR (status = 'sent' AND status_at < ?))`;

/** The schema in a dialect: every statement is `IF NOT EXISTS`, so it runs at each start on old databases too. */
export function schemaFor(d: SchemaDialect): string {
  return `
CREATE TABLE IF NOT EXISTS orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS locations (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), name TEXT NOT NULL,
  timezone TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), name TEXT NOT NULL, role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE, location_ids TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS connections (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), location_id TEXT NOT NULL REFERENCES locations(id),
  provider TEXT NOT NULL, numbers TEXT NOT NULL, secrets TEXT NOT NULL, api_base_url TEXT);
CREATE TABLE IF NOT EXISTS connection_numbers (
  connection_id TEXT NOT NULL REFERENCES connections(id), location_id TEXT NOT NULL, number TEXT NOT NULL,
  PRIMARY KEY (connection_id, number));
CREATE INDEX IF NOT EXISTS connection_numbers_by_location ON connection_numbers (location_id, number);
CREATE TABLE IF NOT EXISTS templates (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), name TEXT NOT NULL, body TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z');
CREATE TABLE IF NOT EXISTS reconciliation_counts (
  connection_id TEXT PRIMARY KEY, checked INTEGER NOT NULL DEFAULT 0, corrected INTEGER NOT NULL DEFAULT 0, last_corrected_at TEXT);
CREATE TABLE IF NOT EXISTS webhook_events (
  connection_id TEXT NOT NULL, event_id TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (connection_id, event_id));
CREATE TABLE IF NOT EXISTS idempotency_keys (
  user_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER, body TEXT,
  created_at TEXT NOT NULL, PRIMARY KEY (user_id, key));
CREATE TABLE IF NOT EXISTS contacts (
  org_id TEXT NOT NULL, phone TEXT NOT NULL, name TEXT, timezone TEXT, PRIMARY KEY (org_id, phone));
CREATE TABLE IF NOT EXISTS opt_outs (
  org_id TEXT NOT NULL, contact_phone TEXT NOT NULL, number TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (org_id, contact_phone, number));
CREATE TABLE IF NOT EXISTS threads (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, location_id TEXT NOT NULL, contact_phone TEXT NOT NULL,
  last_message_id TEXT, last_outbound_id TEXT, updated_at TEXT NOT NULL,
  UNIQUE (location_id, contact_phone));
CREATE INDEX IF NOT EXISTS threads_by_activity ON threads (org_id, updated_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, location_id TEXT NOT NULL, thread_id TEXT NOT NULL,
  connection_id TEXT NOT NULL, provider TEXT NOT NULL, provider_message_id TEXT,
  direction TEXT NOT NULL, from_number TEXT NOT NULL, to_number TEXT NOT NULL, body TEXT NOT NULL,
  status TEXT NOT NULL, error_code TEXT, error_class TEXT, stuck INTEGER NOT NULL DEFAULT 0,
  attempt INTEGER NOT NULL DEFAULT 1, resend_of TEXT, sent_by TEXT, scheduled_for TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  -- when the message entered its current status: the clock for stuck detection
  status_at TEXT NOT NULL,
  -- set when a scheduled text is taken for sending, so it goes out once
  claimed_at TEXT,
  -- last look-up through the provider's API (reconciliation)
  reconciled_at TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_provider_id ON messages (connection_id, provider_message_id);
-- one resend per message: two agents resending at once produce one new message
CREATE UNIQUE INDEX IF NOT EXISTS messages_one_resend ON messages (resend_of) WHERE resend_of IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_scheduled ON messages (scheduled_for) WHERE claimed_at IS NULL AND scheduled_for IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_by_thread ON messages (thread_id, created_at);
-- the stuck scan's: only messages that can still become stuck (a final status leaves it, so a delivery
-- report writes no index page); messages_unfinished, its first form, held every message not yet stuck
DROP INDEX IF EXISTS messages_unfinished;
CREATE INDEX IF NOT EXISTS messages_unsettled ON messages (status, status_at) WHERE ${UNSETTLED};
${d.eventLog.trim()}
CREATE TABLE IF NOT EXISTS early_callbacks (
  id ${d.autoIncrementKey}, connection_id TEXT NOT NULL, provider_message_id TEXT NOT NULL,
  status TEXT NOT NULL, error_code TEXT, error_class TEXT, received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS early_callbacks_by_id ON early_callbacks (connection_id, provider_message_id);
`;
}

/** Columns added after the first release, for databases created before them: [table, column, definition]. */
export const ADDED_COLUMNS: [string, string, string][] = [
  ['templates', 'archived', "INTEGER NOT NULL DEFAULT 0"],
  ['templates', 'updated_at', "TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z'"],
  ['messages', 'reconciled_at', 'TEXT'],
];

const SQLITE: SchemaDialect = {
  autoIncrementKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  eventLog: `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, org_id TEXT NOT NULL, location_id TEXT NOT NULL,
  message_id TEXT NOT NULL, message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_org ON events (org_id, seq);`,
};

export const SQLITE_SCHEMA = schemaFor(SQLITE);

/** SQLite has no `ADD COLUMN IF NOT EXISTS`: the store checks each column before adding it. */
export const SQLITE_ADDED_COLUMNS = ADDED_COLUMNS;
