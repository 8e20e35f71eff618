// PostgreSQL backend: the same model as SQLite, safe for several server processes sharing one database.
// What SQLite gets from being single-writer, PostgreSQL gets from one lock per org: every writing
// transaction first locks its org's counter row (orgs in sorted order when it touches several) and holds it
// until commit. So, across all processes:
// - an org's events are numbered in commit order: a reader never sees seq N+1 before N;
// - two callbacks for one message, or "record the provider id" and "a callback for that id" (the early-
//   callback race), run one after the other, never interleaved;
// - with a single lock order (org counter first, then rows) transactions cannot deadlock.
// Throughput per org is that of one writer, as on SQLite; group commit makes it cheap.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { isFailure, outranks } from '../../domain/status';
import type { ErrorClass } from '../../domain/errorClass';
import type { Message, Thread } from '../../domain/types';
import type { Seed } from '../seed';
import { decodeCursor, encodeCursor, newId } from './ids';
import { THREAD_COLUMNS, countsFrom, dailyStatsQuery, foldCallbacks, scopeSql, threadCountQueries, threadListQuery, threadPage, toDayStats, toTemplate, connectionHealthQuery, toConnectionHealth } from './queries';
import { toConnection, toMessage, type Row } from './rows';
import { POSTGRES_SCHEMA } from './postgresSchema';
import { OVERDUE } from './schema';
import {
  AlreadyResentError,
  type Connection, type InboundText, type Location, type NewOutbound, type Page, type Scope, type StatusUpdate, type Store,
  type StoredEvent, type Template, type ThreadFilter, type User, type Member, type IdempotencyClaim, type ThreadCounts,
  type ThreadCountFilter, type DayStats, type ConnectionHealth,
} from './types';

type Client = pg.PoolClient;
const now = () => new Date().toISOString();

/** `?` placeholders → `$1, $2, …` so the shared queries run here too. */
function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

// An arbitrary constant: the advisory lock that serializes schema creation between processes starting together.
const MIGRATION_LOCK = 727_270_001;

export class PostgresStore implements Store {
  readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  static async open(connectionString: string): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString, max: 10 });
    pool.on('error', e => console.error('postgres pool error:', e.message));
    const store = new PostgresStore(pool);
    try {
      const c = await pool.connect();
      try {
        await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await c.query(POSTGRES_SCHEMA);
      } finally {
        await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        c.release();
      }
    } catch (e) {
      await pool.end();
      throw e;
    }
    return store;
  }

  private async q(sql: string, params: unknown[] = [], client: pg.Pool | Client = this.pool): Promise<Row[]> {
    return (await client.query(numbered(sql), params)).rows;
  }

  /** A transaction holding the counter locks of `orgIds` (none for seed and claims). */
  private async tx<T>(orgIds: string[], fn: (c: Client) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      // BEGIN and the locks in one round trip: a simple query may hold several statements but no parameters,
      // so the ids go in as escaped literals.
      const locks = [...new Set(orgIds)].sort().map(id => c.escapeLiteral(id));
      await c.query(locks.length ? `BEGIN; SELECT seq FROM org_cursors WHERE org_id IN (${locks.join(', ')}) ORDER BY org_id FOR UPDATE` : 'BEGIN');
      const result = await fn(c);
      await c.query('COMMIT');
      return result;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  async ping(): Promise<void> {
    await this.q(`INSERT INTO health (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at`, [now()]);
  }

  async applySeed(seed: Seed, hashToken: (token: string) => string): Promise<void> {
    await this.tx([], async c => {
      for (const org of seed.orgs) {
        await this.q('INSERT INTO orgs (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [org.id, org.name], c);
        await this.q('INSERT INTO org_cursors (org_id, seq) VALUES (?, 0) ON CONFLICT DO NOTHING', [org.id], c);
        for (const l of org.locations) {
          await this.q(`INSERT INTO locations (id, org_id, name, timezone, country) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, country = excluded.country`,
          [l.id, org.id, l.name, l.timezone, l.country], c);
        }
        for (const u of org.users) {
          await this.q(`INSERT INTO users (id, org_id, name, role, token_hash, location_ids) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, token_hash = excluded.token_hash,
            location_ids = excluded.location_ids`, [u.id, org.id, u.name, u.role, hashToken(u.token), JSON.stringify(u.locations)], c);
        }
        for (const conn of org.connections) {
          const secrets = { ...conn.secrets };
          if (conn.provider === 'simulator' && !secrets.authToken) {
            const [existing] = await this.q('SELECT secrets FROM connections WHERE id = ?', [conn.id], c);
            secrets.authToken = existing ? JSON.parse(existing.secrets).authToken : randomBytes(24).toString('hex');
          }
          await this.q(`INSERT INTO connections (id, org_id, location_id, provider, numbers, secrets, api_base_url)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET location_id = excluded.location_id,
            provider = excluded.provider, numbers = excluded.numbers, secrets = excluded.secrets, api_base_url = excluded.api_base_url`,
          [conn.id, org.id, conn.location, conn.provider, JSON.stringify(conn.numbers), JSON.stringify(secrets), conn.apiBaseUrl ?? null], c);
          await this.q('DELETE FROM connection_numbers WHERE connection_id = ?', [conn.id], c);
          for (const n of conn.numbers) {
            await this.q('INSERT INTO connection_numbers (connection_id, location_id, number) VALUES (?, ?, ?)', [conn.id, conn.location, n], c);
          }
        }
        for (const t of org.templates) {
          await this.q(`INSERT INTO templates (id, org_id, name, body, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, body = excluded.body`, [t.id, org.id, t.name, t.body, now()], c);
        }
        for (const ct of org.contacts ?? []) {
          await this.q(`INSERT INTO contacts (org_id, phone, name, timezone) VALUES (?, ?, ?, ?)
            ON CONFLICT (org_id, phone) DO UPDATE SET name = excluded.name, timezone = excluded.timezone`,
          [org.id, ct.phone, ct.name, ct.timezone ?? null], c);
        }
      }
    });
  }

  async userByTokenHash(tokenHash: string): Promise<User | null> {
    const [r] = await this.q('SELECT * FROM users WHERE token_hash = ?', [tokenHash]);
    return r ? { id: r.id, orgId: r.org_id, name: r.name, role: r.role, locationIds: JSON.parse(r.location_ids) } : null;
  }

  async orgName(orgId: string): Promise<string | null> {
    const [r] = await this.q('SELECT name FROM orgs WHERE id = ?', [orgId]);
    return r?.name ?? null;
  }

  async locations(orgId: string): Promise<Location[]> {
    return (await this.q('SELECT * FROM locations WHERE org_id = ? ORDER BY id', [orgId]))
      .map(r => ({ id: r.id, orgId: r.org_id, name: r.name, timezone: r.timezone, country: r.country }));
  }

  async location(id: string): Promise<Location | null> {
    const [r] = await this.q('SELECT * FROM locations WHERE id = ?', [id]);
    return r ? { id: r.id, orgId: r.org_id, name: r.name, timezone: r.timezone, country: r.country } : null;
  }

  async connection(id: string): Promise<Connection | null> {
    const [r] = await this.q('SELECT * FROM connections WHERE id = ?', [id]);
    return r ? toConnection(r) : null;
  }

  async connections(orgId: string): Promise<Connection[]> {
    return (await this.q('SELECT * FROM connections WHERE org_id = ? ORDER BY id', [orgId])).map(toConnection);
  }

  async templates(orgId: string, includeArchived = false): Promise<Template[]> {
    return (await this.q(`SELECT * FROM templates WHERE org_id = ? ${includeArchived ? '' : 'AND archived = 0'} ORDER BY name, id`, [orgId])).map(toTemplate);
  }

  async template(orgId: string, id: string): Promise<Template | null> {
    const [r] = await this.q('SELECT * FROM templates WHERE org_id = ? AND id = ?', [orgId, id]);
    return r ? toTemplate(r) : null;
  }

  async createTemplate(orgId: string, name: string, body: string): Promise<Template> {
    const [r] = await this.q('INSERT INTO templates (id, org_id, name, body, archived, updated_at) VALUES (?, ?, ?, ?, 0, ?) RETURNING *',
      [newId('tpl'), orgId, name, body, now()]);
    return toTemplate(r);
  }

  async updateTemplate(orgId: string, id: string, patch: { name?: string; body?: string; archived?: boolean }): Promise<Template | null> {
    const [r] = await this.q(`UPDATE templates SET name = COALESCE(?, name), body = COALESCE(?, body),
      archived = COALESCE(?, archived), updated_at = ? WHERE org_id = ? AND id = ? RETURNING *`,
    [patch.name ?? null, patch.body ?? null, patch.archived === undefined ? null : patch.archived ? 1 : 0, now(), orgId, id]);
    return r ? toTemplate(r) : null;
  }

  async members(orgId: string): Promise<Member[]> {
    return (await this.q('SELECT id, name, role FROM users WHERE org_id = ? ORDER BY name', [orgId])).map(r => ({ id: r.id, name: r.name, role: r.role }));
  }

  async threadCounts(scope: Scope, f: ThreadCountFilter): Promise<ThreadCounts> {
    const queries = threadCountQueries(scope, f);
    const [total, byStatus, byErrorClass, byLocation, byAgent] = await Promise.all(
      [queries.total, queries.byStatus, queries.byErrorClass, queries.byLocation, queries.byAgent].map(q => this.q(q.sql, q.params)));
    return countsFrom({ total, byStatus, byErrorClass, byLocation, byAgent });
  }

  async dailyStats(scope: Scope, sinceIso: string): Promise<DayStats[]> {
    const q = dailyStatsQuery(scope, sinceIso);
    return (await this.q(q.sql, q.params)).map(toDayStats);
  }

  async claimIdempotencyKey(userId: string, key: string, requestHash: string, notBefore: string): Promise<IdempotencyClaim> {
    // Insert, or take over an expired row; a live row is left alone and read back.
    const taken = await this.q(`INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, NULL, NULL, ?)
      ON CONFLICT (user_id, key) DO UPDATE SET request_hash = excluded.request_hash, status = NULL, body = NULL, created_at = excluded.created_at
        WHERE idempotency_keys.created_at < ?
      RETURNING 1`, [userId, key, requestHash, now(), notBefore]);
    if (taken.length) return { state: 'new' };
    const [r] = await this.q('SELECT * FROM idempotency_keys WHERE user_id = ? AND key = ?', [userId, key]);
    if (!r) return this.claimIdempotencyKey(userId, key, requestHash, notBefore); // purged in between
    if (r.request_hash !== requestHash) return { state: 'mismatch' };
    return r.status === null ? { state: 'pending' } : { state: 'done', status: r.status, body: r.body };
  }

  async finishIdempotencyKey(userId: string, key: string, status: number, body: string): Promise<void> {
    await this.q('UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? AND key = ?', [status, body, userId, key]);
  }

  async releaseIdempotencyKey(userId: string, key: string): Promise<void> {
    await this.q('DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status IS NULL', [userId, key]);
  }

  async purgeWebhookEvents(before: string): Promise<void> {
    await this.q('DELETE FROM webhook_events WHERE received_at < ?', [before]);
  }

  async purgeIdempotencyKeys(before: string): Promise<void> {
    await this.q('DELETE FROM idempotency_keys WHERE created_at < ?', [before]);
  }

  async isOptedOut(orgId: string, contactPhone: string, number: string): Promise<boolean> {
    return (await this.q('SELECT 1 FROM opt_outs WHERE org_id = ? AND contact_phone = ? AND number = ?', [orgId, contactPhone, number])).length > 0;
  }

  async contactTimeZone(orgId: string, phone: string): Promise<string | null> {
    const [r] = await this.q('SELECT timezone FROM contacts WHERE org_id = ? AND phone = ?', [orgId, phone]);
    return r?.timezone ?? null;
  }

  async hasResend(messageId: string): Promise<boolean> {
    return (await this.q('SELECT 1 FROM messages WHERE resend_of = ?', [messageId])).length > 0;
  }

  /** Appends the message's state to its org's log; the caller's transaction holds the org's counter lock. */
  private async logEvent(c: Client, messageId: string, added = false): Promise<StoredEvent> {
    const [row] = await this.q('SELECT * FROM messages WHERE id = ?', [messageId], c);
    const message = toMessage(row);
    const [{ seq }] = await this.q('UPDATE org_cursors SET seq = seq + 1 WHERE org_id = ? RETURNING seq', [message.orgId], c);
    await this.q('INSERT INTO events (org_id, seq, location_id, message_id, message) VALUES (?, ?, ?, ?, ?)',
      [message.orgId, seq, message.locationId, message.id, JSON.stringify(message)], c);
    if (added) {
      await this.q(`UPDATE threads SET updated_at = ?, last_message_id = ?,
        last_outbound_id = CASE WHEN ? = 'outbound' THEN ? ELSE last_outbound_id END WHERE id = ?`,
      [message.updatedAt, message.id, message.direction, message.id, message.threadId], c);
    } else {
      await this.q('UPDATE threads SET updated_at = ? WHERE id = ?', [message.updatedAt, message.threadId], c);
    }
    return { cursor: encodeCursor(seq), message };
  }

  private async threadFor(c: Client, orgId: string, locationId: string, contactPhone: string, at: string): Promise<string> {
    await this.q(`INSERT INTO threads (id, org_id, location_id, contact_phone, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (location_id, contact_phone) DO NOTHING`, [newId('thr'), orgId, locationId, contactPhone, at], c);
    const [r] = await this.q('SELECT id FROM threads WHERE location_id = ? AND contact_phone = ?', [locationId, contactPhone], c);
    return r.id;
  }

  private async insertMessage(c: Client, m: Omit<Message, 'stuck' | 'errorCode' | 'errorClass'> & { statusAt: string }): Promise<void> {
    await this.q(`INSERT INTO messages (id, org_id, location_id, thread_id, connection_id, provider, provider_message_id,
      direction, from_number, to_number, body, status, error_code, error_class, stuck, attempt, resend_of, sent_by,
      scheduled_for, created_at, updated_at, status_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?, ?, ?, ?, ?, ?, ?)`,
    [m.id, m.orgId, m.locationId, m.threadId, m.connectionId, m.provider, m.providerMessageId, m.direction, m.from, m.to,
      m.body, m.status, m.attempt, m.resendOf, m.sentBy, m.scheduledFor, m.createdAt, m.updatedAt, m.statusAt], c);
  }

  private async orgOf(messageId: string): Promise<string | null> {
    const [r] = await this.q('SELECT org_id FROM messages WHERE id = ?', [messageId]);
    return r?.org_id ?? null;
  }

  async createOutbound(input: NewOutbound): Promise<StoredEvent> {
    try {
      return await this.tx([input.connection.orgId], async c => {
        const at = now();
        const conn = input.connection;
        const threadId = await this.threadFor(c, conn.orgId, conn.locationId, input.to, at);
        if (input.contactName) {
          await this.q(`INSERT INTO contacts (org_id, phone, name) VALUES (?, ?, ?)
            ON CONFLICT (org_id, phone) DO UPDATE SET name = excluded.name WHERE contacts.name IS NULL`, [conn.orgId, input.to, input.contactName], c);
        }
        const id = newId('msg');
        await this.insertMessage(c, {
          id, orgId: conn.orgId, locationId: conn.locationId, threadId, connectionId: conn.id, provider: conn.provider,
          providerMessageId: null, direction: 'outbound', from: conn.numbers[0], to: input.to, body: input.body, status: 'queued',
          attempt: input.attempt ?? 1, resendOf: input.resendOf ?? null, sentBy: input.sentBy, scheduledFor: input.scheduledFor ?? null,
          createdAt: at, updatedAt: at, statusAt: input.scheduledFor ?? at,
        });
        return this.logEvent(c, id, true);
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505' && input.resendOf && /resend/.test((e as { constraint?: string }).constraint ?? '')) {
        throw new AlreadyResentError();
      }
      throw e;
    }
  }

  async recordProviderId(messageId: string, providerMessageId: string): Promise<StoredEvent[]> {
    const orgId = await this.orgOf(messageId);
    if (!orgId) return [];
    return this.tx([orgId], async c => {
      const [row] = await this.q('SELECT * FROM messages WHERE id = ? FOR UPDATE', [messageId], c);
      const at = now();
      await this.q('UPDATE messages SET provider_message_id = ?, updated_at = ? WHERE id = ?', [providerMessageId, at, messageId], c);
      const early = await this.q('SELECT * FROM early_callbacks WHERE connection_id = ? AND provider_message_id = ? ORDER BY id',
        [row.connection_id, providerMessageId], c);
      const folded = foldCallbacks(row, early);
      if (folded.status !== row.status) {
        await this.q(`UPDATE messages SET status = ?, error_code = ?, error_class = ?, stuck = 0, status_at = ?, updated_at = ? WHERE id = ?`,
          [folded.status, folded.errorCode, folded.errorClass, at, at, messageId], c);
      }
      if (early.length) await this.q('DELETE FROM early_callbacks WHERE connection_id = ? AND provider_message_id = ?', [row.connection_id, providerMessageId], c);
      return [await this.logEvent(c, messageId)];
    });
  }

  async recordSendFailure(messageId: string, errorCode: string | null, errorClass: ErrorClass): Promise<StoredEvent | null> {
    const orgId = await this.orgOf(messageId);
    if (!orgId) return null;
    return this.tx([orgId], async c => {
      const [row] = await this.q('SELECT * FROM messages WHERE id = ? FOR UPDATE', [messageId], c);
      if (!row || !outranks('failed', row.status)) return null;
      const at = now();
      await this.q(`UPDATE messages SET status = 'failed', error_code = ?, error_class = ?, stuck = 0, status_at = ?, updated_at = ? WHERE id = ?`,
        [errorCode, errorClass, at, at, messageId], c);
      return this.logEvent(c, messageId);
    });
  }

  async applyStatus(update: StatusUpdate): Promise<StoredEvent | null | 'pending'> {
    return (await this.applyStatuses([update]))[0];
  }

  /** Each connection's org, asked once: a connection never changes org (the seed updates everything else). */
  private readonly orgOfConnection = new Map<string, string>();

  private async orgsOf(connectionIds: string[]): Promise<string[]> {
    const unknown = connectionIds.filter(id => !this.orgOfConnection.has(id));
    if (unknown.length) {
      for (const r of await this.q('SELECT id, org_id FROM connections WHERE id = ANY(?)', [unknown])) this.orgOfConnection.set(r.id as string, r.org_id as string);
    }
    return connectionIds.flatMap(id => this.orgOfConnection.get(id) ?? []);
  }

  /**
   * A batch of callbacks in a constant number of round trips: lock every message concerned, fold the batch
   * through the ladder in memory, then write messages, early callbacks, events and threads set-wise. A
   * message changed twice in one batch gets one event, with its final state (the answer to its last change).
   */
  async applyStatuses(updates: StatusUpdate[]): Promise<(StoredEvent | null | 'pending')[]> {
    const orgIds = await this.orgsOf([...new Set(updates.map(u => u.connectionId))]);
    return this.tx(orgIds, async c => {
      // Replays: a callback whose provider event id was seen before is acknowledged and changes nothing.
      const withIds = updates.filter(u => u.eventId);
      const fresh = new Set<string>();
      if (withIds.length) {
        for (const r of await this.q(`INSERT INTO webhook_events (connection_id, event_id, received_at)
            SELECT DISTINCT *, ? FROM unnest(?::text[], ?::text[]) ON CONFLICT DO NOTHING RETURNING connection_id, event_id`,
          [now(), withIds.map(u => u.connectionId), withIds.map(u => u.eventId)], c)) fresh.add(`${r.connection_id}\u0000${r.event_id}`);
      }
      const seenFirst = new Set<string>();
      const replayed = (u: StatusUpdate) => {
        if (!u.eventId) return false;
        const k = `${u.connectionId}\u0000${u.eventId}`;
        if (!fresh.has(k) || seenFirst.has(k)) return true; // seen before, or twice in this batch
        seenFirst.add(k);
        return false;
      };
      const rows = await this.q(`SELECT * FROM messages
        WHERE (connection_id, provider_message_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))
        ORDER BY id FOR UPDATE`, [updates.map(u => u.connectionId), updates.map(u => u.providerMessageId)], c);
      const byKey = new Map(rows.map(r => [`${r.connection_id}\u0000${r.provider_message_id}`, r]));
      const at = now();
      const results: (StoredEvent | null | 'pending')[] = updates.map(() => null);
      const lastChange = new Map<string, number>(); // message id → index of its last changing update
      const early: StatusUpdate[] = [];
      updates.forEach((u, i) => {
        if (replayed(u)) return;
        const row = byKey.get(`${u.connectionId}\u0000${u.providerMessageId}`);
        if (!row) { early.push(u); results[i] = 'pending'; return; }
        if (!outranks(u.status, row.status)) return;
        const failure = isFailure(u.status);
        Object.assign(row, { status: u.status, error_code: failure ? u.errorCode : null, error_class: failure ? u.errorClass : null, stuck: 0, status_at: at, updated_at: at });
        // Re-inserted, so the map runs in the order of each message's last change: events are numbered (and
        // their cursors given) in the order the callbacks are answered, as on SQLite.
        lastChange.delete(row.id);
        lastChange.set(row.id, i);
      });
      if (early.length) {
        await this.q(`INSERT INTO early_callbacks (connection_id, provider_message_id, status, error_code, error_class, received_at)
          SELECT *, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])`,
        [at, early.map(u => u.connectionId), early.map(u => u.providerMessageId), early.map(u => u.status), early.map(u => u.errorCode), early.map(u => u.errorClass)], c);
      }
      const byId = new Map(rows.map(r => [r.id as string, r]));
      const changed = [...lastChange.keys()].map(id => byId.get(id)!);
      if (!changed.length) return results;
      // One statement writes the rest: the messages, each org's counter moved by its count (under the lock this
      // transaction holds), the events numbered from it in the order of the map, and the threads' activity.
      // Each round trip costs the server a socket write and a read, which were most of its CPU per callback.
      const messages = changed.map(toMessage);
      const written = await this.q(`WITH v AS (
          SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
            WITH ORDINALITY AS v(id, status, error_code, error_class, org_id, location_id, thread_id, message, k)),
        updated AS (UPDATE messages m SET status = v.status, error_code = v.error_code, error_class = v.error_class, stuck = 0,
            status_at = ?, updated_at = ? FROM v WHERE m.id = v.id),
        counts AS (SELECT org_id, count(*) AS n FROM v GROUP BY org_id),
        moved AS (UPDATE org_cursors o SET seq = o.seq + counts.n FROM counts WHERE o.org_id = counts.org_id RETURNING o.org_id, o.seq, counts.n),
        inserted AS (INSERT INTO events (org_id, seq, location_id, message_id, message)
          SELECT v.org_id, moved.seq - moved.n + row_number() OVER (PARTITION BY v.org_id ORDER BY v.k), v.location_id, v.id, v.message
          FROM v JOIN moved ON moved.org_id = v.org_id RETURNING message_id, seq),
        touched AS (UPDATE threads SET updated_at = ? WHERE id IN (SELECT thread_id FROM v))
        SELECT message_id, seq FROM inserted`,
      [changed.map(r => r.id), changed.map(r => r.status), changed.map(r => r.error_code), changed.map(r => r.error_class),
        messages.map(m => m.orgId), messages.map(m => m.locationId), messages.map(m => m.threadId), messages.map(m => JSON.stringify(m)), at, at, at], c);
      const seqOf = new Map(written.map(r => [r.message_id as string, Number(r.seq)]));
      messages.forEach(m => { results[lastChange.get(m.id)!] = { cursor: encodeCursor(seqOf.get(m.id)!), message: m }; });
      return results;
    });
  }

  async recordInbound(input: InboundText, optOut: 'opt_out' | 'opt_in' | null): Promise<StoredEvent | null> {
    return this.tx([input.connection.orgId], async c => {
      const conn = input.connection;
      const dup = await this.q('SELECT 1 FROM messages WHERE connection_id = ? AND provider_message_id = ?', [conn.id, input.providerMessageId], c);
      if (dup.length) return null;
      const at = now();
      if (optOut === 'opt_out') {
        await this.q('INSERT INTO opt_outs (org_id, contact_phone, number, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [conn.orgId, input.from, input.to, at], c);
      }
      if (optOut === 'opt_in') await this.q('DELETE FROM opt_outs WHERE org_id = ? AND contact_phone = ? AND number = ?', [conn.orgId, input.from, input.to], c);
      const threadId = await this.threadFor(c, conn.orgId, conn.locationId, input.from, at);
      const id = newId('msg');
      await this.insertMessage(c, {
        id, orgId: conn.orgId, locationId: conn.locationId, threadId, connectionId: conn.id, provider: conn.provider,
        providerMessageId: input.providerMessageId, direction: 'inbound', from: input.from, to: input.to, body: input.body,
        status: 'delivered', attempt: 1, resendOf: null, sentBy: null, scheduledFor: null, createdAt: at, updatedAt: at, statusAt: at,
      });
      return this.logEvent(c, id, true);
    });
  }

  async claimDueScheduled(nowIso: string, limit: number): Promise<Message[]> {
    return (await this.q(`UPDATE messages SET claimed_at = ? WHERE id IN (
        SELECT id FROM messages WHERE claimed_at IS NULL AND scheduled_for IS NOT NULL AND scheduled_for <= ? AND status = 'queued'
        ORDER BY scheduled_for LIMIT ? FOR UPDATE SKIP LOCKED)
      RETURNING *`, [nowIso, nowIso, limit])).map(toMessage);
  }

  async reconcileCandidates(recheckBefore: string, limit: number): Promise<Message[]> {
    return (await this.q(`SELECT * FROM messages WHERE stuck = 1 AND provider_message_id IS NOT NULL AND (reconciled_at IS NULL OR reconciled_at < ?) ORDER BY status_at LIMIT ?`, [recheckBefore, limit])).map(toMessage);
  }

  async recordReconciliation(message: Message, corrected: boolean): Promise<void> {
    const at = now();
    await this.tx([], async c => {
      await this.q('UPDATE messages SET reconciled_at = ? WHERE id = ?', [at, message.id], c);
      await this.q(`INSERT INTO reconciliation_counts (connection_id, checked, corrected, last_corrected_at) VALUES (?, 1, ?, ?)
        ON CONFLICT (connection_id) DO UPDATE SET checked = reconciliation_counts.checked + 1,
        corrected = reconciliation_counts.corrected + excluded.corrected,
        last_corrected_at = COALESCE(excluded.last_corrected_at, reconciliation_counts.last_corrected_at)`, [message.connectionId, corrected ? 1 : 0, corrected ? at : null], c);
    });
  }

  async connectionHealth(scope: Scope): Promise<ConnectionHealth[]> {
    const q = connectionHealthQuery(scope);
    return (await this.q(q.sql, q.params)).map(toConnectionHealth);
  }

  async markStuck(queuedBefore: string, sentBefore: string): Promise<StoredEvent[]> {
    // Bounded per call, so a backlog (a provider outage) is flagged over a few ticks, never in one long lock.
    const candidates = await this.q(`SELECT id, org_id FROM messages WHERE ${OVERDUE} LIMIT 500`, [queuedBefore, sentBefore]);
    const byOrg = new Map<string, string[]>();
    for (const r of candidates) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r.id]);
    const events: StoredEvent[] = [];
    for (const [orgId, ids] of byOrg) {
      // Re-checked under the org's lock: a final status may have arrived since the look-up.
      events.push(...await this.tx([orgId], async c => {
        const rows = await this.q(`UPDATE messages SET stuck = 1, updated_at = ? WHERE id = ANY(?) AND ${OVERDUE} RETURNING id`,
          [now(), ids, queuedBefore, sentBefore], c);
        const out: StoredEvent[] = [];
        for (const r of rows) out.push(await this.logEvent(c, r.id));
        return out;
      }));
    }
    return events;
  }

  async message(scope: Scope, id: string): Promise<Message | null> {
    const s = scopeSql(scope, 'm');
    const [r] = await this.q(`SELECT * FROM messages m WHERE m.id = ? AND ${s.sql}`, [id, ...s.params]);
    return r ? toMessage(r) : null;
  }

  private async toThreads(rows: Row[]): Promise<Thread[]> {
    const ids = [...new Set(rows.flatMap(r => [r.last_message_id, r.last_outbound_id]).filter(Boolean))];
    const messages = new Map<string, Message>();
    if (ids.length) for (const m of await this.q('SELECT * FROM messages WHERE id = ANY(?)', [ids])) messages.set(m.id, toMessage(m));
    return rows.map(r => ({
      id: r.id, orgId: r.org_id, locationId: r.location_id, contactPhone: r.contact_phone, contactName: r.contact_name ?? null,
      optedOut: r.opted_out === true || r.opted_out === 1,
      lastMessage: messages.get(r.last_message_id) ?? null, lastOutbound: messages.get(r.last_outbound_id) ?? null, updatedAt: r.updated_at,
    }));
  }

  async threads(scope: Scope, f: ThreadFilter): Promise<Page<Thread>> {
    const q = threadListQuery(scope, f);
    return threadPage(await this.toThreads(await this.q(q.sql, q.params)), f.limit);
  }

  async thread(scope: Scope, id: string): Promise<Thread | null> {
    const s = scopeSql(scope, 't');
    const rows = await this.q(`SELECT ${THREAD_COLUMNS} FROM threads t
      LEFT JOIN contacts c ON c.org_id = t.org_id AND c.phone = t.contact_phone WHERE t.id = ? AND ${s.sql}`, [id, ...s.params]);
    return (await this.toThreads(rows))[0] ?? null;
  }

  async threadMessages(scope: Scope, threadId: string): Promise<Message[]> {
    const s = scopeSql(scope, 'm');
    return (await this.q(`SELECT * FROM messages m WHERE m.thread_id = ? AND ${s.sql} ORDER BY m.created_at, m.id`, [threadId, ...s.params])).map(toMessage);
  }

  async sync(scope: Scope, after: string | null, limit: number): Promise<Page<StoredEvent>> {
    const s = scopeSql(scope, 'e');
    const afterSeq = after === null ? 0 : decodeCursor(after) ?? 0;
    const rows = await this.q(`SELECT e.seq, e.message FROM events e WHERE ${s.sql} AND e.seq > ? ORDER BY e.seq LIMIT ?`,
      [...s.params, afterSeq, limit + 1]);
    const hasMore = rows.length > limit;
    const items = rows.slice(0, limit).map(r => ({ cursor: encodeCursor(r.seq), message: JSON.parse(r.message) as Message }));
    return { items, cursor: items.length ? items[items.length - 1].cursor : after, hasMore };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
