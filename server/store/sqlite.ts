// SQLite backend: one file, WAL, synchronous=FULL so a commit is on disk before we acknowledge it.
// better-sqlite3 is synchronous, so each method body runs as one uninterrupted transaction in this process.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { isFailure, outranks } from '../../domain/status';
import type { ErrorClass } from '../../domain/errorClass';
import type { Message, Thread } from '../../domain/types';
import type { Seed } from '../seed';
import { decodeCursor, encodeCursor, newId } from './ids';
import { SQLITE_ADDED_COLUMNS, SQLITE_SCHEMA, OVERDUE } from './schema';
import { MESSAGE_COLUMNS, messageFromValues, toConnection, toMessage, type Row } from './rows';
import { THREAD_COLUMNS, countsFrom, dailyStatsQuery, foldCallbacks, scopeSql, threadCountQueries, threadListQuery, threadPage, toDayStats, toTemplate, connectionHealthQuery, toConnectionHealth } from './queries';
import type {
  Connection, InboundText, Location, NewOutbound, Page, Scope, StatusUpdate, Store, StoredEvent, Template,
  ThreadFilter, User, Member, IdempotencyClaim, ThreadCounts, ThreadCountFilter, DayStats, ConnectionHealth,
} from './types';
import { AlreadyResentError } from './types';
import { WalCheckpointer, type WalCheckpointerOptions } from './walCheckpointer';

const now = () => new Date().toISOString();
/** Messages flagged stuck per call at most. */
const STUCK_BATCH = 500;

export class SqliteStore implements Store {
  private db: Database.Database;
  private stmt: Record<string, Database.Statement>;
  /** Checkpoints the WAL off the event loop (file-backed stores); null for ':memory:' and once it has failed. */
  checkpointer: WalCheckpointer | null = null;

  constructor(file: string, options: { walCheckpoint?: WalCheckpointerOptions } = {}) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced at every commit, so an acknowledged change survives a power cut, not only a crash.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SQLITE_SCHEMA);
    for (const [table, column, definition] of SQLITE_ADDED_COLUMNS) {
      const has = (this.db.prepare(`PRAGMA table_info(${table})`).all() as Row[]).some(c => c.name === column);
      if (!has) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
    if (!this.db.memory) {
      // The WAL checkpoint moves to a worker thread (walCheckpointer.ts): inside a commit it blocked the event loop.
      this.checkpointer = new WalCheckpointer(this.db, options.walCheckpoint ?? {}, e => {
        console.error(`${e.message}; back to SQLite's automatic checkpoint`);
        this.checkpointer = null;
      });
    }
    const p = (sql: string) => this.db.prepare(sql);
    this.stmt = {
      messageById: p('SELECT * FROM messages WHERE id = ?'),
      messageByProviderId: p('SELECT * FROM messages WHERE connection_id = ? AND provider_message_id = ?'),
      messageValuesByProviderId: p(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE connection_id = ? AND provider_message_id = ?`).raw(),
      insertEvent: p('INSERT INTO events (org_id, location_id, message_id, message) VALUES (?, ?, ?, ?)'),
      // Threads keep pointers to their newest message and newest outbound: set when a message is added,
      // so a status change only bumps the activity time.
      touchThread: p('UPDATE threads SET updated_at = ? WHERE id = ?'),
      threadGotMessage: p(`UPDATE threads SET updated_at = ?, last_message_id = ?,
        last_outbound_id = CASE WHEN ? = 'outbound' THEN ? ELSE last_outbound_id END WHERE id = ?`),
      threadByPhone: p('SELECT id FROM threads WHERE location_id = ? AND contact_phone = ?'),
      insertThread: p('INSERT INTO threads (id, org_id, location_id, contact_phone, updated_at) VALUES (?, ?, ?, ?, ?)'),
      insertMessage: p(`INSERT INTO messages (id, org_id, location_id, thread_id, connection_id, provider, provider_message_id,
        direction, from_number, to_number, body, status, error_code, error_class, stuck, attempt, resend_of, sent_by,
        scheduled_for, created_at, updated_at, status_at)
        VALUES (@id, @orgId, @locationId, @threadId, @connectionId, @provider, @providerMessageId, @direction, @from, @to,
        @body, @status, @errorCode, @errorClass, 0, @attempt, @resendOf, @sentBy, @scheduledFor, @createdAt, @updatedAt, @statusAt)`),
      setStatus: p(`UPDATE messages SET status = ?, error_code = ?, error_class = ?, stuck = 0, status_at = ?, updated_at = ?
        WHERE id = ?`),
      setProviderId: p('UPDATE messages SET provider_message_id = ?, updated_at = ? WHERE id = ?'),
      // A callback batch commits without the in-commit fsync and is synced before it is acknowledged (applyStatuses).
      synchronousNormal: p('PRAGMA synchronous = NORMAL'),
      synchronousFull: p('PRAGMA synchronous = FULL'),
      earlyCallbacks: p('SELECT * FROM early_callbacks WHERE connection_id = ? AND provider_message_id = ? ORDER BY id'),
      dropEarlyCallbacks: p('DELETE FROM early_callbacks WHERE connection_id = ? AND provider_message_id = ?'),
      insertEarlyCallback: p(`INSERT INTO early_callbacks (connection_id, provider_message_id, status, error_code, error_class, received_at)
        VALUES (?, ?, ?, ?, ?, ?)`),
      upsertContactName: p(`INSERT INTO contacts (org_id, phone, name) VALUES (?, ?, ?)
        ON CONFLICT (org_id, phone) DO UPDATE SET name = excluded.name WHERE contacts.name IS NULL`),
      optOut: p('INSERT INTO opt_outs (org_id, contact_phone, number, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      optIn: p('DELETE FROM opt_outs WHERE org_id = ? AND contact_phone = ? AND number = ?'),
      isOptedOut: p('SELECT 1 FROM opt_outs WHERE org_id = ? AND contact_phone = ? AND number = ?'),
    };
  }

  private statements = new Map<string, Database.Statement>();
  /** Prepares a statement once; the text is the key, so dynamic filters get one statement per shape. */
  private cached(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) { st = this.db.prepare(sql); this.statements.set(sql, st); }
    return st;
  }

  async ping(): Promise<void> {
    this.db.prepare('CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY, at TEXT)').run();
    this.db.prepare('INSERT INTO health (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(now());
    this.db.prepare('SELECT at FROM health WHERE id = 1').get();
  }

  async applySeed(seed: Seed, hashToken: (token: string) => string): Promise<void> {
    const run = this.db.transaction(() => {
      for (const org of seed.orgs) {
        this.db.prepare('INSERT INTO orgs (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name').run(org.id, org.name);
        for (const l of org.locations) {
          this.db.prepare(`INSERT INTO locations (id, org_id, name, timezone, country) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, country = excluded.country`)
            .run(l.id, org.id, l.name, l.timezone, l.country);
        }
        for (const u of org.users) {
          this.db.prepare(`INSERT INTO users (id, org_id, name, role, token_hash, location_ids) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, token_hash = excluded.token_hash,
            location_ids = excluded.location_ids`)
            .run(u.id, org.id, u.name, u.role, hashToken(u.token), JSON.stringify(u.locations));
        }
        for (const c of org.connections) {
          const secrets = { ...c.secrets };
          if (c.provider === 'simulator' && !secrets.authToken) {
            // The simulator signs its callbacks like Twilio; it needs a secret nobody had to configure.
            const existing = this.db.prepare('SELECT secrets FROM connections WHERE id = ?').get(c.id) as Row | undefined;
            secrets.authToken = existing ? JSON.parse(existing.secrets).authToken : randomBytes(24).toString('hex');
          }
          this.db.prepare(`INSERT INTO connections (id, org_id, location_id, provider, numbers, secrets, api_base_url)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET location_id = excluded.location_id,
            provider = excluded.provider, numbers = excluded.numbers, secrets = excluded.secrets, api_base_url = excluded.api_base_url`)
            .run(c.id, org.id, c.location, c.provider, JSON.stringify(c.numbers), JSON.stringify(secrets), c.apiBaseUrl ?? null);
          this.db.prepare('DELETE FROM connection_numbers WHERE connection_id = ?').run(c.id);
          for (const n of c.numbers) {
            this.db.prepare('INSERT INTO connection_numbers (connection_id, location_id, number) VALUES (?, ?, ?)').run(c.id, c.location, n);
          }
        }
        for (const t of org.templates) {
          this.db.prepare(`INSERT INTO templates (id, org_id, name, body, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, body = excluded.body`).run(t.id, org.id, t.name, t.body, now());
        }
        for (const c of org.contacts ?? []) {
          this.db.prepare(`INSERT INTO contacts (org_id, phone, name, timezone) VALUES (?, ?, ?, ?)
            ON CONFLICT (org_id, phone) DO UPDATE SET name = excluded.name, timezone = excluded.timezone`)
            .run(org.id, c.phone, c.name, c.timezone ?? null);
        }
      }
    });
    run();
  }

  async userByTokenHash(tokenHash: string): Promise<User | null> {
    const r = this.cached('SELECT * FROM users WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return r ? { id: r.id, orgId: r.org_id, name: r.name, role: r.role, locationIds: JSON.parse(r.location_ids) } : null;
  }

  async orgName(orgId: string): Promise<string | null> {
    const r = this.cached('SELECT name FROM orgs WHERE id = ?').get(orgId) as Row | undefined;
    return r?.name ?? null;
  }

  async locations(orgId: string): Promise<Location[]> {
    return (this.cached('SELECT * FROM locations WHERE org_id = ? ORDER BY id').all(orgId) as Row[])
      .map(r => ({ id: r.id, orgId: r.org_id, name: r.name, timezone: r.timezone, country: r.country }));
  }

  async location(id: string): Promise<Location | null> {
    const r = this.cached('SELECT * FROM locations WHERE id = ?').get(id) as Row | undefined;
    return r ? { id: r.id, orgId: r.org_id, name: r.name, timezone: r.timezone, country: r.country } : null;
  }

  async connection(id: string): Promise<Connection | null> {
    const r = this.cached('SELECT * FROM connections WHERE id = ?').get(id) as Row | undefined;
    return r ? toConnection(r) : null;
  }

  async connections(orgId: string): Promise<Connection[]> {
    return (this.cached('SELECT * FROM connections WHERE org_id = ? ORDER BY id').all(orgId) as Row[]).map(toConnection);
  }

  async templates(orgId: string, includeArchived = false): Promise<Template[]> {
    return (this.cached(`SELECT * FROM templates WHERE org_id = ? ${includeArchived ? '' : 'AND archived = 0'} ORDER BY name, id`)
      .all(orgId) as Row[]).map(toTemplate);
  }

  async template(orgId: string, id: string): Promise<Template | null> {
    const r = this.cached('SELECT * FROM templates WHERE org_id = ? AND id = ?').get(orgId, id) as Row | undefined;
    return r ? toTemplate(r) : null;
  }

  async createTemplate(orgId: string, name: string, body: string): Promise<Template> {
    const id = newId('tpl');
    this.cached('INSERT INTO templates (id, org_id, name, body, archived, updated_at) VALUES (?, ?, ?, ?, 0, ?)').run(id, orgId, name, body, now());
    return (await this.template(orgId, id))!;
  }

  async updateTemplate(orgId: string, id: string, patch: { name?: string; body?: string; archived?: boolean }): Promise<Template | null> {
    const current = await this.template(orgId, id);
    if (!current) return null;
    this.cached('UPDATE templates SET name = ?, body = ?, archived = ?, updated_at = ? WHERE org_id = ? AND id = ?')
      .run(patch.name ?? current.name, patch.body ?? current.body, (patch.archived ?? current.archived) ? 1 : 0, now(), orgId, id);
    return this.template(orgId, id);
  }

  async members(orgId: string): Promise<Member[]> {
    return (this.cached('SELECT id, name, role FROM users WHERE org_id = ? ORDER BY name').all(orgId) as Row[])
      .map(r => ({ id: r.id, name: r.name, role: r.role }));
  }

  async threadCounts(scope: Scope, f: ThreadCountFilter): Promise<ThreadCounts> {
    const queries = threadCountQueries(scope, f);
    const run = (q: { sql: string; params: unknown[] }) => this.cached(q.sql).all(...q.params) as Row[];
    return countsFrom({ total: run(queries.total), byStatus: run(queries.byStatus), byErrorClass: run(queries.byErrorClass), byLocation: run(queries.byLocation), byAgent: run(queries.byAgent) });
  }

  async dailyStats(scope: Scope, sinceIso: string): Promise<DayStats[]> {
    const q = dailyStatsQuery(scope, sinceIso);
    return (this.cached(q.sql).all(...q.params) as Row[]).map(toDayStats);
  }

  async claimIdempotencyKey(userId: string, key: string, requestHash: string, notBefore: string): Promise<IdempotencyClaim> {
    return this.db.transaction((): IdempotencyClaim => {
      const r = this.cached('SELECT * FROM idempotency_keys WHERE user_id = ? AND key = ?').get(userId, key) as Row | undefined;
      if (r && r.created_at >= notBefore) {
        if (r.request_hash !== requestHash) return { state: 'mismatch' };
        return r.status === null ? { state: 'pending' } : { state: 'done', status: r.status, body: r.body };
      }
      // New, or expired (kept 24 h): take it.
      this.cached(`INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, NULL, NULL, ?)
        ON CONFLICT (user_id, key) DO UPDATE SET request_hash = excluded.request_hash, status = NULL, body = NULL, created_at = excluded.created_at`)
        .run(userId, key, requestHash, now());
      return { state: 'new' };
    })();
  }

  async finishIdempotencyKey(userId: string, key: string, status: number, body: string): Promise<void> {
    this.cached('UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? AND key = ?').run(status, body, userId, key);
  }

  async releaseIdempotencyKey(userId: string, key: string): Promise<void> {
    this.cached('DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status IS NULL').run(userId, key);
  }

  async purgeWebhookEvents(before: string): Promise<void> {
    this.cached('DELETE FROM webhook_events WHERE received_at < ?').run(before);
  }

  async purgeIdempotencyKeys(before: string): Promise<void> {
    this.cached('DELETE FROM idempotency_keys WHERE created_at < ?').run(before);
  }

  async isOptedOut(orgId: string, contactPhone: string, number: string): Promise<boolean> {
    return this.stmt.isOptedOut.get(orgId, contactPhone, number) !== undefined;
  }

  async contactTimeZone(orgId: string, phone: string): Promise<string | null> {
    const r = this.cached('SELECT timezone FROM contacts WHERE org_id = ? AND phone = ?').get(orgId, phone) as Row | undefined;
    return r?.timezone ?? null;
  }

  async hasResend(messageId: string): Promise<boolean> {
    return this.cached('SELECT 1 FROM messages WHERE resend_of = ?').get(messageId) !== undefined;
  }

  async claimDueScheduled(nowIso: string, limit: number): Promise<Message[]> {
    const run = this.db.transaction(() => (this.cached(`UPDATE messages SET claimed_at = ?
      WHERE id IN (SELECT id FROM messages WHERE claimed_at IS NULL AND scheduled_for IS NOT NULL AND scheduled_for <= ?
                   AND status = 'queued' ORDER BY scheduled_for LIMIT ?)
      RETURNING *`).all(nowIso, nowIso, limit) as Row[]).map(toMessage));
    return run();
  }

  /** Appends the message's current state to the event log; the returned cursor orders it within the org. */
  /** `current`: the row as just written, when the caller has it (saves reading it back). */
  private logEvent(messageId: string, added = false, current?: Row): StoredEvent {
    const message = toMessage(current ?? (this.stmt.messageById.get(messageId) as Row));
    const info = this.stmt.insertEvent.run(message.orgId, message.locationId, message.id, JSON.stringify(message));
    if (added) this.stmt.threadGotMessage.run(message.updatedAt, message.id, message.direction, message.id, message.threadId);
    else this.stmt.touchThread.run(message.updatedAt, message.threadId);
    return { cursor: encodeCursor(info.lastInsertRowid), message };
  }

  private threadFor(orgId: string, locationId: string, contactPhone: string, at: string): string {
    const existing = this.stmt.threadByPhone.get(locationId, contactPhone) as Row | undefined;
    if (existing) return existing.id;
    const id = newId('thr');
    this.stmt.insertThread.run(id, orgId, locationId, contactPhone, at);
    return id;
  }

  /**
   * Resolves when the busy write paths (callbacks, sends, inbound texts) may commit: at once, unless the
   * checkpointer copies the WAL's last frames. They wait for it unanswered (a few ms) and the event loop stays
   * free; with no commit meanwhile the checkpoint is complete and SQLite starts the WAL again from its beginning.
   */
  private async writable(): Promise<void> {
    for (let hold = this.checkpointer?.hold; hold; hold = this.checkpointer?.hold) await hold;
  }

  async createOutbound(input: NewOutbound): Promise<StoredEvent> {
    await this.writable();
    try {
      return this.insertOutbound(input);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && input.resendOf) throw new AlreadyResentError();
      throw e;
    }
  }

  private insertOutbound(input: NewOutbound): StoredEvent {
    const run = this.db.transaction((): StoredEvent => {
      const at = now();
      const c = input.connection;
      const threadId = this.threadFor(c.orgId, c.locationId, input.to, at);
      if (input.contactName) this.stmt.upsertContactName.run(c.orgId, input.to, input.contactName);
      const id = newId('msg');
      this.stmt.insertMessage.run({
        id, orgId: c.orgId, locationId: c.locationId, threadId, connectionId: c.id, provider: c.provider,
        providerMessageId: null, direction: 'outbound', from: c.numbers[0], to: input.to, body: input.body,
        status: 'queued', errorCode: null, errorClass: null, attempt: input.attempt ?? 1, resendOf: input.resendOf ?? null,
        sentBy: input.sentBy, scheduledFor: input.scheduledFor ?? null, createdAt: at, updatedAt: at,
        // A scheduled text is not late before its time comes: its stuck clock starts then.
        statusAt: input.scheduledFor ?? at,
      });
      return this.logEvent(id, true);
    });
    return run();
  }

  async recordProviderId(messageId: string, providerMessageId: string): Promise<StoredEvent[]> {
    await this.writable();
    const run = this.db.transaction((): StoredEvent[] => {
      const row = this.stmt.messageById.get(messageId) as Row | undefined;
      if (!row) return [];
      const at = now();
      this.stmt.setProviderId.run(providerMessageId, at, messageId);
      // Callbacks that beat the send's response: fold them through the ladder now, in the same transaction.
      const early = this.stmt.earlyCallbacks.all(row.connection_id, providerMessageId) as Row[];
      const { status, errorCode: code, errorClass: cls } = foldCallbacks(row, early);
      if (status !== row.status) this.stmt.setStatus.run(status, code, cls, at, at, messageId);
      if (early.length) this.stmt.dropEarlyCallbacks.run(row.connection_id, providerMessageId);
      return [this.logEvent(messageId)];
    });
    return run();
  }

  async recordSendFailure(messageId: string, errorCode: string | null, errorClass: ErrorClass): Promise<StoredEvent | null> {
    await this.writable();
    const run = this.db.transaction((): StoredEvent | null => {
      const row = this.stmt.messageById.get(messageId) as Row | undefined;
      if (!row || !outranks('failed', row.status)) return null;
      const at = now();
      this.stmt.setStatus.run('failed', errorCode, errorClass, at, at, messageId);
      return this.logEvent(messageId);
    });
    return run();
  }

  async applyStatus(update: StatusUpdate): Promise<StoredEvent | null | 'pending'> {
    return (await this.applyStatuses([update]))[0];
  }

  /**
   * A batch of callbacks in one transaction, folded as on PostgreSQL: each message is read once, the batch
   * goes through the ladder in memory, and each changed message is written once with one event (its final
   * state, answered to its last changing callback); threads are touched once per batch. Per callback that
   * changes something: one read, one update, one event insert (a replayed provider event id adds its insert).
   *
   * Durability: the commit is written to the WAL without the in-commit fsync (synchronous=NORMAL for this
   * transaction only), and the promise resolves only after the WAL is fdatasync'ed on libuv's thread pool —
   * the same guarantee as synchronous=FULL (nothing is acknowledged before it is on disk), but the event loop
   * parses and verifies the next callbacks while the disk syncs instead of blocking in fsync.
   */
  async applyStatuses(updates: StatusUpdate[]): Promise<(StoredEvent | null | 'pending')[]> {
    await this.writable();
    const results = this.deferredSync(() => this.foldStatuses(updates));
    await this.walDurable();
    return results;
  }

  private foldStatuses(updates: StatusUpdate[]): (StoredEvent | null | 'pending')[] {
    const results: (StoredEvent | null | 'pending')[] = updates.map(() => null);
    const messages = new Map<string, Message | null>(); // connection \0 provider id → message (null: not recorded yet)
    const lastChange = new Map<Message, number>(); // changed message → index of its last changing update
    let at: string | null = null;
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i];
      if (u.eventId && this.cached('INSERT OR IGNORE INTO webhook_events (connection_id, event_id, received_at) VALUES (?, ?, ?)')
        .run(u.connectionId, u.eventId, (at ??= now())).changes === 0) continue; // this very callback was applied before
      const key = u.connectionId + '\0' + u.providerMessageId;
      let message = messages.get(key);
      if (message === undefined) {
        const values = this.stmt.messageValuesByProviderId.get(u.connectionId, u.providerMessageId) as unknown[] | undefined;
        message = values ? messageFromValues(values) : null;
        messages.set(key, message);
      }
      if (!message) {
        this.stmt.insertEarlyCallback.run(u.connectionId, u.providerMessageId, u.status, u.errorCode, u.errorClass, (at ??= now()));
        results[i] = 'pending';
        continue;
      }
      if (!outranks(u.status, message.status)) continue;
      const failure = isFailure(u.status);
      at ??= now();
      message.status = u.status;
      message.errorCode = failure ? u.errorCode ?? null : null;
      message.errorClass = failure ? u.errorClass ?? null : null;
      message.stuck = false;
      message.updatedAt = at;
      // Re-inserted, so the map runs in the order of each message's last change: events are logged (and
      // their cursors given) in the order the callbacks are answered.
      lastChange.delete(message);
      lastChange.set(message, i);
    }
    if (!lastChange.size) return results;
    const threads = new Set<string>();
    for (const [message, i] of lastChange) {
      this.stmt.setStatus.run(message.status, message.errorCode, message.errorClass, at, at, message.id);
      const info = this.stmt.insertEvent.run(message.orgId, message.locationId, message.id, JSON.stringify(message));
      threads.add(message.threadId);
      results[i] = { cursor: encodeCursor(info.lastInsertRowid), message };
    }
    for (const id of threads) this.stmt.touchThread.run(at, id);
    return results;
  }

  /** Runs `fn` as one transaction whose commit does not fsync; the caller must await walDurable() before acknowledging. */
  private deferredSync<T>(fn: () => T): T {
    this.stmt.synchronousNormal.run();
    try {
      return this.db.transaction(fn)();
    } finally {
      this.stmt.synchronousFull.run();
    }
  }

  private syncing: Promise<void> | null = null;
  private syncQueued: Promise<void> | null = null;
  /**
   * The WAL, opened once: SQLite removes or replaces it only when its last connection closes or the journal
   * mode changes, and this store holds its connection open until close().
   */
  private walFd: number | null = null;
  /**
   * Resolves once everything committed before the call is on disk. One fdatasync at a time: callers that
   * arrive while one runs share the next, which starts after it (it may have begun before their commit).
   */
  private walDurable(): Promise<void> {
    if (!this.syncing) return (this.syncing = this.syncWal().finally(() => { this.syncing = null; }));
    return (this.syncQueued ??= this.syncing.catch(() => {}).then(() => { this.syncQueued = null; return this.walDurable(); }));
  }

  private syncWal(): Promise<void> {
    if (this.db.memory) return Promise.resolve();
    if (this.walFd === null) {
      try {
        this.walFd = fs.openSync(this.db.name + '-wal', 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Promise.resolve(); // no WAL yet: nothing written through it
        throw e;
      }
      // Once: the WAL's directory entry, so the file itself survives a power cut (SQLite does the same on FULL).
      const dir = fs.openSync(path.dirname(path.resolve(this.db.name)), 'r');
      try { fs.fsyncSync(dir); } finally { fs.closeSync(dir); }
    }
    const fd = this.walFd;
    return new Promise((resolve, reject) => fs.fdatasync(fd, e => (e ? reject(e) : resolve())));
  }

  async recordInbound(input: InboundText, optOut: 'opt_out' | 'opt_in' | null): Promise<StoredEvent | null> {
    await this.writable();
    const run = this.db.transaction((): StoredEvent | null => {
      const c = input.connection;
      if (this.stmt.messageByProviderId.get(c.id, input.providerMessageId)) return null; // a repeated delivery
      const at = now();
      if (optOut === 'opt_out') this.stmt.optOut.run(c.orgId, input.from, input.to, at);
      if (optOut === 'opt_in') this.stmt.optIn.run(c.orgId, input.from, input.to);
      const threadId = this.threadFor(c.orgId, c.locationId, input.from, at);
      const id = newId('msg');
      this.stmt.insertMessage.run({
        id, orgId: c.orgId, locationId: c.locationId, threadId, connectionId: c.id, provider: c.provider,
        providerMessageId: input.providerMessageId, direction: 'inbound', from: input.from, to: input.to, body: input.body,
        // An inbound text has reached us: for the ladder it is delivered.
        status: 'delivered', errorCode: null, errorClass: null, attempt: 1, resendOf: null, sentBy: null,
        scheduledFor: null, createdAt: at, updatedAt: at, statusAt: at,
      });
      return this.logEvent(id, true);
    });
    return run();
  }

  async reconcileCandidates(recheckBefore: string, limit: number): Promise<Message[]> {
    return (this.cached(`SELECT * FROM messages WHERE stuck = 1 AND provider_message_id IS NOT NULL AND (reconciled_at IS NULL OR reconciled_at < ?) ORDER BY status_at LIMIT ?`).all(recheckBefore, limit) as Row[]).map(toMessage);
  }

  async recordReconciliation(message: Message, corrected: boolean): Promise<void> {
    const at = now();
    this.db.transaction(() => {
      this.cached('UPDATE messages SET reconciled_at = ? WHERE id = ?').run(at, message.id);
      this.cached(`INSERT INTO reconciliation_counts (connection_id, checked, corrected, last_corrected_at) VALUES (?, 1, ?, ?)
        ON CONFLICT (connection_id) DO UPDATE SET checked = reconciliation_counts.checked + 1,
        corrected = reconciliation_counts.corrected + excluded.corrected,
        last_corrected_at = COALESCE(excluded.last_corrected_at, reconciliation_counts.last_corrected_at)`).run(message.connectionId, corrected ? 1 : 0, corrected ? at : null);
    })();
  }

  async connectionHealth(scope: Scope): Promise<ConnectionHealth[]> {
    const q = connectionHealthQuery(scope);
    return (this.cached(q.sql).all(...q.params) as Row[]).map(toConnectionHealth);
  }

  async markStuck(queuedBefore: string, sentBefore: string): Promise<StoredEvent[]> {
    const run = this.db.transaction((): StoredEvent[] => {
      // Bounded per call, so a backlog (a provider outage) is flagged over a few ticks, never in one long lock.
      const rows = this.cached(`UPDATE messages SET stuck = 1, updated_at = ? WHERE id IN (
          SELECT id FROM messages WHERE ${OVERDUE} LIMIT ?)
        RETURNING id`).all(now(), queuedBefore, sentBefore, STUCK_BATCH) as Row[];
      return rows.map(r => this.logEvent(r.id));
    });
    return run();
  }

  async message(scope: Scope, id: string): Promise<Message | null> {
    const s = scopeSql(scope, 'm');
    const r = this.cached(`SELECT * FROM messages m WHERE m.id = ? AND ${s.sql}`).get(id, ...s.params) as Row | undefined;
    return r ? toMessage(r) : null;
  }

  private toThread(r: Row): Thread {
    const msg = (id: string | null) => (id ? toMessage(this.stmt.messageById.get(id) as Row) : null);
    return {
      id: r.id, orgId: r.org_id, locationId: r.location_id, contactPhone: r.contact_phone, contactName: r.contact_name ?? null,
      optedOut: r.opted_out === 1 || r.opted_out === true, lastMessage: msg(r.last_message_id), lastOutbound: msg(r.last_outbound_id), updatedAt: r.updated_at,
    };
  }

  async threads(scope: Scope, f: ThreadFilter): Promise<Page<Thread>> {
    const q = threadListQuery(scope, f);
    const rows = this.cached(q.sql).all(...q.params) as Row[];
    return threadPage(rows.map(r => this.toThread(r)), f.limit);
  }

  async thread(scope: Scope, id: string): Promise<Thread | null> {
    const s = scopeSql(scope, 't');
    const r = this.cached(`SELECT ${THREAD_COLUMNS} FROM threads t
      LEFT JOIN contacts c ON c.org_id = t.org_id AND c.phone = t.contact_phone WHERE t.id = ? AND ${s.sql}`)
      .get(id, ...s.params) as Row | undefined;
    return r ? this.toThread(r) : null;
  }

  async threadMessages(scope: Scope, threadId: string): Promise<Message[]> {
    const s = scopeSql(scope, 'm');
    return (this.cached(`SELECT * FROM messages m WHERE m.thread_id = ? AND ${s.sql} ORDER BY m.created_at, m.id`)
      .all(threadId, ...s.params) as Row[]).map(toMessage);
  }

  async sync(scope: Scope, after: string | null, limit: number): Promise<Page<StoredEvent>> {
    const s = scopeSql(scope, 'e');
    const afterSeq = after === null ? 0 : decodeCursor(after) ?? 0;
    const rows = this.cached(`SELECT e.seq, e.message FROM events e WHERE ${s.sql} AND e.seq > ? ORDER BY e.seq LIMIT ?`)
      .all(...s.params, afterSeq, limit + 1) as Row[];
    const hasMore = rows.length > limit;
    const items = rows.slice(0, limit).map(r => ({ cursor: encodeCursor(r.seq), message: JSON.parse(r.message) as Message }));
    const cursor = items.length ? items[items.length - 1].cursor : after;
    return { items, cursor, hasMore };
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    await this.syncing?.catch(() => {});
    if (this.walFd !== null) { fs.closeSync(this.walFd); this.walFd = null; }
    this.db.close();
  }
}

