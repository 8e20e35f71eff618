// The sync engine: makes the socket and the local database follow the connection settings. It keeps
// nothing important in memory: the cursor and data live in Dexie, the state in storage.session, so a
// worker killed at any moment reconnects and catches up on its next start (RECIPES, "MV3 service worker").
import type { Me } from '../../domain/types';
import type { ConnectionState, ResolvedSettings } from '../../utils/connection';
import type { AppDB } from '../../utils/db';
import type { SendTextRequest, SendTextResult } from '../../utils/messaging';
import { sendErrorWords } from '../../utils/sendErrors';
import { ApiError, type Api } from './api';
import { applyMessages, applyThreads, claimDb, readCursor, type ApplyResult } from './db';
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
  log?: (...args: unknown[]) => void;
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

  constructor(private readonly deps: EngineDeps) {}

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
    const r = await applyThreads(this.deps.db, page.threads, account);
    if (r.phones.size) this.deps.badgesChanged(r.phones);
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

  /** Who we are: cached for this account, fetched when missing. */
  async me(): Promise<Me | null> {
    await this.ensuring;
    if (!this.account) return null;
    const cached = await this.deps.readMe();
    if (cached?.account === this.account) return cached.me;
    try { return await this.refreshMe(); } catch { return null; }
  }

  async sendText(req: SendTextRequest): Promise<SendTextResult> {
    await this.ensuring;
    const { api, account } = this;
    const fail = (code: string, message?: string): SendTextResult => ({ ok: false, error: { code, message: sendErrorWords(code, message) } });
    if (!api || !account) return fail('not_configured');
    if (this.status === 'token_refused') return fail('token_refused');
    const body = req.body.trim();
    if (!body) return fail('empty_body', 'the text is empty');
    try {
      const me = await this.me();
      const connectionId = me ? pickConnection(me) : undefined;
      const message = await api.sendMessage({ to: req.to, body, ...(connectionId ? { connectionId } : {}) }, req.idempotencyKey);
      this.applied(await applyMessages(this.deps.db, [message], { owner: account }));
      return { ok: true, message };
    } catch (err) {
      if (err instanceof ApiError) {
        this.handleApiError(err, account);
        return fail(err.refused ? 'token_refused' : err.code, err.message);
      }
      return fail('unreachable');
    }
  }
}

/** The sending connection: one of the user's first location (new texts go out from the agent's home clinic). */
export function pickConnection(me: Me): string | undefined {
  const home = me.locations[0]?.id;
  return (me.connections.find(c => c.locationId === home) ?? me.connections[0])?.id;
}
