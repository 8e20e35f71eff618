// What needs the agent's attention, shown outside the CRM page: the action icon counts the failed texts
// (the newest attempt of a conversation failed or undelivered, and a resend still possible), says
// "reconnecting" while the server is out of reach, and a desktop notification tells of a new failure — at
// most one per conversation per 10 minutes — opening that conversation when clicked.
//
// The rules are pure functions; `AttentionDeps` are the browser and database calls, so they are tested
// without a browser. What must survive the worker being stopped (when each conversation was last
// notified) lives in storage.session.
import type { ThreadRow } from '../../utils/db';
import type { ConnectionStatus } from '../../utils/connection';

export const NOTIFY_EVERY_MS = 10 * 60_000;
/** A failure older than this when we learn of it (a catch-up after hours offline) is counted, not notified. */
export const FRESH_FAILURE_MS = 10 * 60_000;
export const NOTIFIED_KEY = 'attentionNotified';
const NOTIFICATION_PREFIX = 'texttrail-failed:';

/** Failed or undelivered, on the newest attempt, and something can still be done (not opted out). */
export function needsAttention(t: Pick<ThreadRow, 'lastOutbound' | 'optedOut'>): boolean {
  const m = t.lastOutbound;
  if (!m || (m.status !== 'failed' && m.status !== 'undelivered')) return false;
  return !t.optedOut && m.errorClass !== 'opted_out';
}

export interface ActionLook {
  text: string;
  color: string;
  title: string;
}

/** The action icon: the count (red), or grey while the connection is down. */
export function actionLook(count: number, status: ConnectionStatus): ActionLook {
  const counted = count > 99 ? '99+' : count ? String(count) : '';
  const failed = count === 1 ? '1 failed text needs attention' : `${count} failed texts need attention`;
  if (status === 'reconnecting' || status === 'connecting') {
    return { text: counted || '…', color: '#7b8794', title: `TextTrail — reconnecting…${count ? ` · ${failed}` : ''}` };
  }
  if (status === 'token_refused') return { text: '!', color: '#b42318', title: 'TextTrail — the server refused the access token' };
  if (status === 'not_configured') return { text: '', color: '#7b8794', title: 'TextTrail — not configured' };
  return { text: counted, color: '#b42318', title: count ? `TextTrail — ${failed}` : 'TextTrail' };
}

export interface Notified { [threadId: string]: { at: number; messageId: string } }

/** The threads to notify about now, and the record of notifications after doing so. */
export function newFailures(threads: ThreadRow[], notified: Notified, now: number): { notify: ThreadRow[]; notified: Notified } {
  const next: Notified = {};
  // Forget what is older than the window: the record stays small.
  for (const [id, n] of Object.entries(notified)) if (now - n.at < NOTIFY_EVERY_MS) next[id] = n;
  const notify: ThreadRow[] = [];
  for (const t of threads) {
    if (!needsAttention(t)) continue;
    const m = t.lastOutbound!;
    if (now - Date.parse(m.updatedAt) > FRESH_FAILURE_MS) continue;
    const last = next[t.id];
    if (last && (last.messageId === m.id || now - last.at < NOTIFY_EVERY_MS)) continue;
    notify.push(t);
    next[t.id] = { at: now, messageId: m.id };
  }
  return { notify, notified: next };
}

export function notificationId(t: Pick<ThreadRow, 'id' | 'contactPhone'>): string {
  return `${NOTIFICATION_PREFIX}${t.id}|${t.contactPhone}`;
}

export function threadOfNotification(id: string): { threadId: string; phone: string } | null {
  if (!id.startsWith(NOTIFICATION_PREFIX)) return null;
  const [threadId, phone] = id.slice(NOTIFICATION_PREFIX.length).split('|');
  return threadId && phone ? { threadId, phone } : null;
}

export interface AttentionDeps {
  /** Threads of these phones (or all of them). */
  threads(phones: Set<string> | 'all'): Promise<ThreadRow[]>;
  countNeedingAttention(): Promise<number>;
  connectionStatus(): Promise<ConnectionStatus>;
  setAction(look: ActionLook): Promise<void>;
  readNotified(): Promise<Notified>;
  writeNotified(n: Notified): Promise<void>;
  notify(id: string, title: string, message: string): Promise<void>;
  /** Words for a failure, e.g. "landline or unreachable carrier (30006)". */
  reason(t: ThreadRow): string;
  now(): number;
}

export class Attention {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending: Set<string> | 'all' | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AttentionDeps, private readonly delayMs = 300) {}

  /** Badges of these phones changed (or all of them): recount and notify, a moment later, once. */
  changed(phones: Set<string> | 'all'): void {
    if (phones === 'all' || this.pending === 'all') this.pending = 'all';
    else { this.pending ??= new Set(); phones.forEach(p => (this.pending as Set<string>).add(p)); }
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = null; void this.flush(); }, this.delayMs);
  }

  /** The connection changed: the icon says so. */
  connectionChanged(): Promise<void> {
    return this.refreshIcon();
  }

  flush(): Promise<void> {
    const phones = this.pending;
    this.pending = null;
    this.running = this.running.then(async () => {
      if (phones) await this.notifyNew(phones);
      await this.refreshIcon();
    }).catch(() => undefined);
    return this.running;
  }

  async refreshIcon(): Promise<void> {
    const [count, status] = await Promise.all([this.deps.countNeedingAttention(), this.deps.connectionStatus()]);
    await this.deps.setAction(actionLook(count, status));
  }

  private async notifyNew(phones: Set<string> | 'all'): Promise<void> {
    const threads = await this.deps.threads(phones);
    const { notify, notified } = newFailures(threads, await this.deps.readNotified(), this.deps.now());
    if (!notify.length) return;
    await this.deps.writeNotified(notified);
    for (const t of notify) {
      const who = t.contactName ?? t.contactPhone;
      const word = t.lastOutbound!.status === 'failed' ? 'failed' : 'was not delivered';
      await this.deps.notify(notificationId(t), `Text to ${who} ${word}`, `${this.deps.reason(t)}. Click to open the conversation.`);
    }
  }
}
