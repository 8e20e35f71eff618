// The outbox: every send and resend the agent makes is stored in IndexedDB with its Idempotency-Key before
// it goes to the server, and leaves only when the server has answered for good. Offline, or with the
// worker stopped mid-request, it waits and goes out on reconnect; a retry carries the same key, so the
// server sends it once however many times it is tried (CONTRACT "Resend", Idempotency-Key).
// All attempts run one at a time: a double click, a flush and a reconnect never race each other.
import type { Message } from '../../domain/types';
import type { AppDB, OutboxError, OutboxRow } from '../../utils/db';
import { ApiError, type Api } from './api';

/** The server keeps keys 24 h: past that a retry could send twice, so an older item is not retried. */
export const OUTBOX_MAX_AGE_MS = 23 * 60 * 60_000;
const BACKOFF_MAX_MS = 60_000;

export type OutboxOutcome =
  | { state: 'sent'; message: Message | null }
  | { state: 'waiting'; error: OutboxError | null }
  | { state: 'refused'; error: OutboxError }
  | { state: 'expired'; error: OutboxError };

export interface OutboxDeps {
  db: AppDB;
  /** The live API and account, or null while not configured. */
  current(): { api: Api; account: string } | null;
  /** Stores the server's answer (the new message) and tells tabs; called before the row is removed. */
  accepted(message: Message, account: string): Promise<void>;
  /** The conversation of this phone changed (a row added, refused or removed). */
  changed(phone: string): void;
  now?: () => number;
}

export type NewOutboxItem = Pick<OutboxRow, 'key' | 'account' | 'kind' | 'to' | 'resendOf' | 'request' | 'preview' | 'sentBy'>;

export class Outbox {
  private chain: Promise<unknown> = Promise.resolve();
  /** Answers of this worker's recent attempts, for a submit whose item a flush already sent. */
  private recent = new Map<string, OutboxOutcome>();

  constructor(private readonly deps: OutboxDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Stores the item (once: a repeated key is the same user action) and tries it now. A refusal the agent
   * sees at once is not kept; a transient failure leaves it waiting.
   */
  async submit(item: NewOutboxItem): Promise<OutboxOutcome> {
    const created = await this.deps.db.transaction('rw', this.deps.db.outbox, async () => {
      if (await this.deps.db.outbox.get(item.key)) return false;
      await this.deps.db.outbox.add({
        ...item, createdAt: new Date(this.now()).toISOString(), state: 'waiting', attempts: 0, nextAt: 0, error: null,
      });
      return true;
    });
    if (created) this.deps.changed(item.to);
    return this.serial(() => this.attempt(item.key, { keepRefused: false }));
  }

  /** Sends waiting items oldest first. `force` ignores backoff (the server just came back). */
  flush(force = false): Promise<{ sent: number; waiting: number; refused: number }> {
    return this.serial(async () => {
      const tally = { sent: 0, waiting: 0, refused: 0 };
      const rows = await this.deps.db.outbox.orderBy('createdAt').toArray();
      for (const row of rows) {
        if (row.state !== 'waiting') continue;
        if (!force && row.nextAt > this.now()) { tally.waiting++; continue; }
        const outcome = await this.attempt(row.key, { keepRefused: true });
        if (outcome.state === 'sent') tally.sent++;
        else if (outcome.state === 'waiting') {
          tally.waiting++;
          // Still offline: the rest would fail the same way; keep their order for the next flush.
          if (outcome.error?.code === 'unreachable') { tally.waiting += rows.filter(r => r.state === 'waiting' && r.createdAt > row.createdAt).length; break; }
        } else tally.refused++;
      }
      return tally;
    });
  }

  /** The agent dismissed a refused or expired item. */
  async dismiss(key: string): Promise<void> {
    await this.serial(async () => {
      const row = await this.deps.db.outbox.get(key);
      if (!row || row.state === 'waiting') return;
      await this.deps.db.outbox.delete(key);
      this.deps.changed(row.to);
    });
  }

  private async attempt(key: string, opts: { keepRefused: boolean }): Promise<OutboxOutcome> {
    const { db } = this.deps;
    const row = await db.outbox.get(key);
    if (!row) return this.recent.get(key) ?? { state: 'sent', message: null };
    if (row.state === 'refused' || row.state === 'expired') return { state: row.state, error: row.error! };
    const ctx = this.deps.current();
    if (!ctx || ctx.account !== row.account) return { state: 'waiting', error: { code: 'not_connected', message: 'not connected' } };
    if (this.now() - Date.parse(row.createdAt) > OUTBOX_MAX_AGE_MS) {
      const error = { code: 'expired', message: 'waited too long to be sent safely: check the conversation and send it again' };
      await db.outbox.update(key, { state: 'expired', error });
      this.deps.changed(row.to);
      return { state: 'expired', error };
    }
    let message: Message;
    try {
      message = row.kind === 'resend'
        ? await ctx.api.resend(row.resendOf!, row.request, row.key)
        : await ctx.api.sendMessage(row.request as never, row.key);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'unreachable', 'cannot reach the TextTrail server');
      const error = { code: e.code, message: e.message };
      if (e.transient || e.refused) {
        const attempts = row.attempts + 1;
        await db.outbox.update(key, { attempts, nextAt: this.now() + Math.min(BACKOFF_MAX_MS, 1000 * 2 ** attempts), error });
        this.deps.changed(row.to);
        return { state: 'waiting', error };
      }
      if (opts.keepRefused) await db.outbox.update(key, { state: 'refused', error });
      else await db.outbox.delete(key);
      this.deps.changed(row.to);
      return this.remember(key, { state: 'refused', error });
    }
    // Store the message first: were the worker to stop between the two, the item is retried with its key
    // and the server answers with the same message instead of sending again.
    await this.deps.accepted(message, row.account);
    await db.outbox.delete(key);
    this.deps.changed(row.to);
    return this.remember(key, { state: 'sent', message });
  }

  private remember(key: string, outcome: OutboxOutcome): OutboxOutcome {
    this.recent.set(key, outcome);
    if (this.recent.size > 200) this.recent.delete(this.recent.keys().next().value!);
    return outcome;
  }
}
