// The sync engine: makes the socket and the local database follow the connection settings. It keeps
// nothing important in memory: the cursor and data live in Dexie, the state in storage.session, so a
// worker killed at any moment reconnects and catches up on its next start (RECIPES, "MV3 service worker").
import type { Me, SendBody } from '../../domain/types';
import type { ConnectionState, ResolvedSettings } from '../../utils/connection';
import type { AppDB } from '../../utils/db';
import type { ResendTextRequest, SendTextRequest, SendTextResult } from '../../utils/messaging';
import { sendErrorWords } from '../../utils/sendErrors';
import { ApiError, type Api } from './api';
import { applyMessages, applyThreads, claimDb, readCursor, type ApplyResult } from './db';
import { Outbox, type OutboxOutcome } from './outbox';
import type { SocketHandlers, SocketLink } from './socket';

export const SYNC_PAGE = 500;
/** After the server refuses the token, try again at most this often (an admin may fix it server-side). */
const REFUSED_RETRY_MS = 5 * 60_000;
/** Recent threads fetched on connect, for contact names and opt-out state. */
const THREADS_ON_CONNECT = 100;

export interface CachedMe {
  account: string;
  me: Me;
  fetchedAt: string;
}

export interface EngineDeps {
  db: AppDB;
  readSettings(): Promise<ResolvedSettings | null>;
  accountKey(settings: ResolvedSettings): Promise<string>;
  createApi(settings: ResolvedSettings): Api;
  openSocket(settings: ResolvedSettings, handlers: SocketHandlers): SocketLink;
  updateState(patch: Partial<ConnectionState>): Promise<ConnectionState>;
  readMe(): Promise<CachedMe | null>;
  writeMe(value: CachedMe | null): Promise<void>;
  /** Phones whose badge may have changed; 'all' after the account changed. */
  badgesChanged(phones: Set<string> | 'all'): void;
  /** Phones whose conversation (texts, trails, outbox) changed. */
  conversationsChanged?(phones: Set<string>): void;
  log?: (...args: unknown[]) => void;
}

function keyOr(key: string | undefined): string {
  return key ?? globalThis.crypto.randomUUID();
}

export class SyncEngine {
  private settings: ResolvedSettings | null = null;
  private account: string | null = null;
  private api: Api | null = null;
  private link: SocketLink | null = null;
  private status: ConnectionState['status'] = 'not_configured';
  private refusedAt = 0;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private ensuring: Promise<void> = Promise.resolve();
  private firstSync: Promise<void> | null = null;
  private threadsTimer: ReturnType<typeof setTimeout> | null = null;
  readonly outbox: Outbox;

  constructor(private readonly deps: EngineDeps) {
    this.outbox = new Outbox({
      db: deps.db,
      current: () => (this.api && this.account && this.status !== 'token_refused' ? { api: this.api, account: this.account } : null),
      accepted: async (message, account) => this.applied(await applyMessages(deps.db, [message], { owner: account })),
      changed: phone => deps.conversationsChanged?.(new Set([phone])),
    });
  }

  /** Worker start, settings change, alarm: make the connection match the settings. Serialised, idempotent. */
  ensure(): Promise<void> {
    const run = this.ensuring.then(() => this.ensureNow());
    this.ensuring = run.catch(err => this.deps.log?.('ensure failed', err));
    return run;
  }

  /** Resolves once this worker's first catch-up finished (or failed), waiting at most `timeoutMs`. */
  async ready(timeoutMs = 3_000): Promise<void> {
    await this.ensuring;
    if (!this.firstSync) return;
    await Promise.race([this.firstSync.catch(() => undefined), new Promise(r => setTimeout(r, timeoutMs))]);
  }

  get connectionStatus(): ConnectionState['status'] {
    return this.status;
  }

  private async setState(patch: Partial<ConnectionState>): Promise<void> {
    if (patch.status) this.status = patch.status;
    await this.deps.updateState(patch);
  }

  private async ensureNow(): Promise<void> {
    const settings = await this.deps.readSettings();
    if (!settings) {
      this.teardown();
      this.settings = null;
      await this.setState({ status: 'not_configured', serverUrl: null, detail: null });
      return;
    }
    const account = await this.deps.accountKey(settings);
    if (account !== this.account) {
      this.teardown();
      const switched = await claimDb(this.deps.db, account);
      if (switched) {
        await this.deps.writeMe(null);
        this.deps.badgesChanged('all');
      }
      this.account = account;
      this.settings = settings;
      this.api = this.deps.createApi(settings);
      this.refusedAt = 0;
      await this.setState({ status: 'connecting', serverUrl: settings.serverUrl, detail: null });
      this.link = this.deps.openSocket(settings, this.handlers(account));
      // Catch up over HTTP right away: badges are right even before the socket is up.
      this.firstSync = this.catchUp();
      void this.refreshMe().catch(() => undefined);
      return;
    }
    if (this.status === 'token_refused') {
      if (Date.now() - this.refusedAt < REFUSED_RETRY_MS) return;
      this.refusedAt = Date.now();
      this.link?.retry();
      return;
    }
    if (this.link && !this.link.connected) this.link.retry();
    // Periodic catch-up: the cursor moves only with /api/sync pages, so this keeps it close behind.
    await this.catchUp();
    void this.outbox.flush().catch(err => this.deps.log?.('outbox flush failed', err));
  }

  private teardown(): void {
    this.link?.close();
    this.link = null;
    this.account = null;
    this.api = null;
  }

  private handlers(account: string): SocketHandlers {
    const current = () => this.account === account;
    return {
      connected: () => {
        if (!current()) return;
        void this.setState({ status: 'connected', detail: null });
        void this.catchUp();
        void this.refreshThreads().catch(() => undefined);
        // Back online: texts written offline go out now, in the order they were written.
        void this.outbox.flush(true).catch(err => this.deps.log?.('outbox flush failed', err));
      },
      retrying: detail => {
        if (!current()) return;
        const status = this.status === 'connected' || this.status === 'reconnecting' ? 'reconnecting' : 'connecting';
        void this.setState({ status, detail });
      },
      refused: reason => {
        if (!current()) return;
        if (reason === 'unauthorized') {
          this.refusedAt = Date.now();
          void this.setState({ status: 'token_refused', detail: 'the server refused the token' });
        } else {
          void this.setState({ status: 'reconnecting', detail: reason });
          setTimeout(() => { if (current()) this.link?.retry(); }, 3_000);
        }
      },
      event: event => {
        if (!current()) return;
        // Live events are applied at once but never move the cursor: only /api/sync pages do, so a gap
        // (an event lost while the worker died) is always fetched again.
        void applyMessages(this.deps.db, [event.message], { owner: account })
          .then(r => this.applied(r))
          .catch(err => this.deps.log?.('applying event failed', err));
      },
    };
  }

  /** After a write: tell the tabs, and learn the names of contacts seen for the first time. */
  private applied(r: ApplyResult): void {
    if (r.phones.size) this.deps.badgesChanged(r.phones);
    if (r.touched.size) this.deps.conversationsChanged?.(r.touched);
    if (r.newThreads && !this.threadsTimer) {
      this.threadsTimer = setTimeout(() => {
        this.threadsTimer = null;
        void this.refreshThreads().catch(() => undefined);
      }, 500);
    }
  }

  /** Pages through /api/sync from the stored cursor until hasMore is false. Single-flight. */
  catchUp(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        await this.catchUpOnce();
      } while (this.syncAgain);
    })().finally(() => { this.syncing = null; });
    return this.syncing;
  }

  private async catchUpOnce(): Promise<void> {
    const { api, account } = this;
    if (!api || !account) return;
    try {
      let after = await readCursor(this.deps.db);
      for (;;) {
        const page = await api.sync(after, SYNC_PAGE);
        if (this.account !== account) return;
        const next = page.cursor ?? after;
        this.applied(await applyMessages(this.deps.db, page.events.map(e => e.message), { cursor: next, owner: account }));
        if (!page.hasMore || !next || next === after) break;
        after = next;
      }
      await this.deps.updateState({ lastSyncAt: new Date().toISOString() });
    } catch (err) {
      this.handleApiError(err, account);
    }
  }

  private handleApiError(err: unknown, account: string): void {
    if (this.account !== account) return;
    if (err instanceof ApiError && err.refused) {
      this.refusedAt = Date.now();
      void this.setState({ status: 'token_refused', detail: 'the server refused the token' });
    } else {
      this.deps.log?.('sync failed', err);
    }
  }

  private async refreshThreads(): Promise<void> {
    const { api, account } = this;
    if (!api || !account) return;
    const page = await api.threads(THREADS_ON_CONNECT);
    this.applied(await applyThreads(this.deps.db, page.threads, account));
  }

  private async refreshMe(): Promise<Me> {
    const { api, account } = this;
    if (!api || !account) throw new ApiError(0, 'not_configured', 'not configured');
    try {
      const me = await api.me();
      if (this.account === account) await this.deps.writeMe({ account, me, fetchedAt: new Date().toISOString() });
      return me;
    } catch (err) {
      this.handleApiError(err, account);
      throw err;
    }
  }

  /** Who we are: cached for this account, fetched when missing (or when `fresh`, falling back to the cache). */
  async me(fresh = false): Promise<Me | null> {
    await this.ensuring;
    if (!this.account) return null;
    const cached = await this.deps.readMe();
    if (fresh) { try { return await this.refreshMe(); } catch { /* offline: the cached copy below */ } }
    if (cached?.account === this.account) return cached.me;
    try { return await this.refreshMe(); } catch { return null; }
  }

  private fail(code: string, message?: string): SendTextResult {
    return { ok: false, error: { code, message: sendErrorWords(code, message) } };
  }

  private result(outcome: OutboxOutcome, key: string): SendTextResult {
    if (outcome.state === 'sent') return outcome.message ? { ok: true, message: outcome.message } : { ok: true, pending: true, key };
    if (outcome.state === 'waiting') {
      if (outcome.error?.code === 'unauthorized') return this.fail('token_refused');
      return { ok: true, pending: true, key };
    }
    return this.fail(outcome.error.code, outcome.error.message);
  }

  /** Who may send now: configured, and the token not refused (a new token is another account). */
  private sender(): { account: string } | SendTextResult {
    if (!this.api || !this.account) return this.fail('not_configured');
    if (this.status === 'token_refused') return this.fail('token_refused');
    return { account: this.account };
  }

  /** A new text, through the outbox: sent now when online, else when the connection is back. */
  async sendText(req: SendTextRequest): Promise<SendTextResult> {
    await this.ensuring;
    const who = this.sender();
    if ('ok' in who) return who;
    const body = req.body?.trim();
    if (req.templateId === undefined && !body) return this.fail('empty_body', 'the text is empty');
    const me = await this.me();
    const connectionId = req.connectionId ?? (await this.connectionFor(req.to, me));
    const request: SendBody = {
      to: req.to,
      ...(req.templateId !== undefined ? { templateId: req.templateId, vars: req.vars } : { body }),
      ...(connectionId ? { connectionId } : {}),
      ...(req.contactName ? { contactName: req.contactName } : {}),
    };
    const key = keyOr(req.idempotencyKey);
    const outcome = await this.outbox.submit({
      key, account: who.account, kind: 'send', to: req.to, resendOf: null, request: { ...request },
      preview: req.preview ?? body ?? '', sentBy: me?.id ?? null,
    });
    return this.result(outcome, key);
  }

  /** A resend of a failed text (CONTRACT "Resend"); the server's 409 code comes back as the error code. */
  async resendText(req: ResendTextRequest): Promise<SendTextResult> {
    await this.ensuring;
    const who = this.sender();
    if ('ok' in who) return who;
    const original = await this.deps.db.messages.get(req.messageId);
    if (!original) return this.fail('not_found', 'that text is not known here yet: wait for the sync and try again');
    const me = await this.me();
    const request = {
      ...(req.templateId !== undefined ? { templateId: req.templateId, vars: req.vars ?? {} } : {}),
      ...(req.body !== undefined && req.templateId === undefined ? { body: req.body } : {}),
      ...(req.schedule ? { schedule: true } : {}),
    };
    const outcome = await this.outbox.submit({
      key: req.idempotencyKey, account: who.account, kind: 'resend', to: original.to, resendOf: original.id, request,
      preview: req.preview ?? req.body ?? original.body, sentBy: me?.id ?? null,
    });
    // Another agent was first: fetch their resend so the thread can say who resent and when.
    if (outcome.state === 'refused' && outcome.error.code === 'already_resent') void this.refreshConversation(original.to).catch(() => undefined);
    return this.result(outcome, req.idempotencyKey);
  }

  /** The conversation's own sending number when the user may use it, else one of the user's home location. */
  private async connectionFor(phone: string, me: Me | null): Promise<string | undefined> {
    if (!me) return undefined;
    const threads = await this.deps.db.threads.where('contactPhone').equals(phone).toArray();
    const newest = threads.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    const own = newest?.lastOutbound?.connectionId ?? newest?.lastMessage?.connectionId;
    if (own && me.connections.some(c => c.id === own)) return own;
    return pickConnection(me);
  }

  /** Fetches this contact's threads (name, opt-out state) and their full history into the database. */
  async refreshConversation(phone: string): Promise<void> {
    const { api, account } = this;
    if (!api || !account) return;
    const found = await api.findThreads({ q: phone.replace(/\D/g, '') }, { limit: 20 });
    if (this.account !== account) return;
    const mine = found.threads.filter(t => t.contactPhone === phone);
    if (mine.length) this.applied(await applyThreads(this.deps.db, mine, account));
    const threads = await this.deps.db.threads.where('contactPhone').equals(phone).toArray();
    for (const t of threads) {
      const { messages } = await api.threadMessages(t.id);
      if (this.account !== account) return;
      this.applied(await applyMessages(this.deps.db, messages, { owner: account }));
    }
  }
}

/** The sending connection: one of the user's first location (new texts go out from the agent's home clinic). */
export function pickConnection(me: Me): string | undefined {
  const home = me.locations[0]?.id;
  return (me.connections.find(c => c.locationId === home) ?? me.connections[0])?.id;
}
