// Writes into the extension's Dexie database: merging message versions that arrive in any order (socket
// pushes, /api/sync pages, send responses), keeping per-thread summaries, and answering badge lookups.
import { statusRank } from '../../domain/status';
import { stepsOf } from '../../domain/trail';
import type { Message, Thread } from '../../domain/types';
import { badgeFromMessage, type BadgeInfo } from '../../utils/badges';
import { META_CURSOR, META_SERVER, type AppDB, type ThreadRow, type TrailRow } from '../../utils/db';

const time = (iso: string) => Date.parse(iso);

/** True when `incoming` is a newer version of the same message than `existing`. Status never moves down on
 *  the server, so on equal timestamps the higher rank wins and an equal one is an idempotent overwrite. */
export function isNewerVersion(incoming: Message, existing: Message | null | undefined): boolean {
  if (!existing) return true;
  const a = time(incoming.updatedAt), b = time(existing.updatedAt);
  if (a !== b) return a > b;
  return statusRank(incoming.status) >= statusRank(existing.status);
}

/** True when `candidate` should replace `current` as the thread's newest message: the same message in a
 *  newer version, or a later message (createdAt, then attempt, then id for a total order). */
export function supersedes(candidate: Message, current: Message | null | undefined): boolean {
  if (!current) return true;
  if (candidate.id === current.id) return isNewerVersion(candidate, current);
  const a = time(candidate.createdAt), b = time(current.createdAt);
  if (a !== b) return a > b;
  if (candidate.attempt !== current.attempt) return candidate.attempt > current.attempt;
  return candidate.id > current.id;
}

export const contactPhoneOf = (m: Message) => (m.direction === 'outbound' ? m.to : m.from);

function laterIso(a: string, b: string): string {
  return time(a) >= time(b) ? a : b;
}

function threadFromMessage(m: Message): ThreadRow {
  return {
    id: m.threadId, locationId: m.locationId, contactPhone: contactPhoneOf(m), contactName: null, optedOut: false,
    lastMessage: null, lastOutbound: null, updatedAt: m.updatedAt,
  };
}

/** Folds a message into a thread summary; returns whether the badge-relevant part changed. */
function foldMessage(thread: ThreadRow, m: Message): { changed: boolean; badgeChanged: boolean } {
  let changed = false, badgeChanged = false;
  if (supersedes(m, thread.lastMessage)) { thread.lastMessage = m; changed = true; }
  if (m.direction === 'outbound' && supersedes(m, thread.lastOutbound)) { thread.lastOutbound = m; changed = badgeChanged = true; }
  const updated = laterIso(thread.updatedAt, m.updatedAt);
  if (updated !== thread.updatedAt) { thread.updatedAt = updated; changed = true; }
  return { changed, badgeChanged };
}

export interface ApplyResult {
  /** Contact phones whose badge may have changed. */
  phones: Set<string>;
  /** Contact phones whose conversation changed (any text or trail step): open thread views refresh. */
  touched: Set<string>;
  /** Messages actually written (newer than what we had). */
  written: number;
  /** Threads seen for the first time: their contact's name is not known yet (GET /api/threads has it). */
  newThreads: number;
}

export interface ApplyOptions {
  /** Stored with the messages, in the same transaction. */
  cursor?: string | null;
  /** Write only if the database still belongs to this account (see claimDb). */
  owner?: string;
}

/**
 * Merges messages into the database in one transaction. `cursor`, when given, is stored in the same
 * transaction: the stored cursor never gets ahead of the data written.
 */
export async function applyMessages(db: AppDB, messages: Message[], opts: ApplyOptions = {}): Promise<ApplyResult> {
  const phones = new Set<string>();
  const touched = new Set<string>();
  let written = 0, newThreads = 0;
  await db.transaction('rw', [db.messages, db.threads, db.meta, db.trail], async () => {
    // Settings may have switched accounts while this page was in flight: never mix accounts' rows.
    if (opts.owner !== undefined && (await db.meta.get(META_SERVER))?.value !== opts.owner) return;
    const ids = [...new Set(messages.map(m => m.id))];
    const stored = await db.messages.bulkGet(ids);
    const current = new Map<string, Message>();
    ids.forEach((id, i) => { const m = stored[i]; if (m) current.set(id, m); });

    const toWrite = new Map<string, Message>();
    for (const m of messages) {
      if (!isNewerVersion(m, current.get(m.id))) continue;
      current.set(m.id, m);
      toWrite.set(m.id, m);
    }
    if (toWrite.size) {
      await db.messages.bulkPut([...toWrite.values()]);
      written = toWrite.size;

      const threadIds = [...new Set([...toWrite.values()].map(m => m.threadId))];
      const threads = await db.threads.bulkGet(threadIds);
      const byId = new Map<string, ThreadRow>();
      threadIds.forEach((id, i) => { const t = threads[i]; if (t) byId.set(id, t); });
      const dirty = new Set<string>();
      for (const m of toWrite.values()) {
        let t = byId.get(m.threadId);
        if (!t) { t = threadFromMessage(m); byId.set(m.threadId, t); dirty.add(m.threadId); newThreads++; }
        const { changed, badgeChanged } = foldMessage(t, m);
        if (changed) dirty.add(m.threadId);
        if (badgeChanged) phones.add(t.contactPhone);
      }
      if (dirty.size) await db.threads.bulkPut([...dirty].map(id => byId.get(id)!));
    }
    // Every snapshot, even one older than what we hold, may prove a step of the trail (a late `sent`).
    const trailChanged = await recordTrail(db, messages);
    for (const m of [...toWrite.values(), ...trailChanged]) touched.add(contactPhoneOf(m));
    if (opts.cursor) await db.meta.put({ key: META_CURSOR, value: opts.cursor });
  });
  return { phones, touched, written, newThreads };
}

/** Adds the trail steps these snapshots prove (earliest time per step); returns the messages whose trail changed. */
async function recordTrail(db: AppDB, messages: Message[]): Promise<Message[]> {
  const candidates = new Map<string, { row: TrailRow; message: Message }>();
  for (const m of messages) {
    for (const step of stepsOf(m)) {
      const id = `${m.id}|${step.step}`;
      const seen = candidates.get(id);
      if (seen && time(seen.row.at) <= time(step.at)) continue;
      candidates.set(id, { row: { ...step, id, messageId: m.id, threadId: m.threadId, locationId: m.locationId }, message: m });
    }
  }
  if (!candidates.size) return [];
  const ids = [...candidates.keys()];
  const stored = await db.trail.bulkGet(ids);
  const put: TrailRow[] = [];
  const changed = new Map<string, Message>();
  ids.forEach((id, i) => {
    const existing = stored[i];
    const { row, message } = candidates.get(id)!;
    if (existing && time(existing.at) <= time(row.at)) return;
    put.push(row);
    changed.set(message.id, message);
  });
  if (put.length) await db.trail.bulkPut(put);
  return [...changed.values()];
}

/** Merges thread summaries from GET /api/threads (they carry contact names and opt-out state). */
export async function applyThreads(db: AppDB, threads: Thread[], owner?: string): Promise<ApplyResult> {
  const phones = new Set<string>();
  const messages = threads.flatMap(t => [t.lastMessage, t.lastOutbound]).filter((m): m is Message => m != null);
  const result = await applyMessages(db, messages, { owner });
  result.phones.forEach(p => phones.add(p));
  const touched = new Set(result.touched);
  await db.transaction('rw', db.threads, db.meta, async () => {
    if (owner !== undefined && (await db.meta.get(META_SERVER))?.value !== owner) return;
    const rows = await db.threads.bulkGet(threads.map(t => t.id));
    const out: ThreadRow[] = [];
    threads.forEach((t, i) => {
      const row: ThreadRow = rows[i] ?? {
        id: t.id, locationId: t.locationId, contactPhone: t.contactPhone, contactName: null, optedOut: false,
        lastMessage: null, lastOutbound: null, updatedAt: t.updatedAt,
      };
      if (row.contactName !== t.contactName || row.optedOut !== t.optedOut) { phones.add(t.contactPhone); touched.add(t.contactPhone); }
      row.contactName = t.contactName;
      row.optedOut = t.optedOut;
      row.updatedAt = laterIso(row.updatedAt, t.updatedAt);
      out.push(row);
    });
    await db.threads.bulkPut(out);
  });
  return { phones, touched, written: result.written, newThreads: 0 };
}

/** Badges for phones: per phone, the newest outbound text over all threads with that contact. */
export async function badgesFor(db: AppDB, phones: string[]): Promise<Record<string, BadgeInfo>> {
  const unique = [...new Set(phones)];
  const rows = unique.length ? await db.threads.where('contactPhone').anyOf(unique).toArray() : [];
  const byPhone = new Map<string, ThreadRow[]>();
  for (const r of rows) {
    const list = byPhone.get(r.contactPhone) ?? [];
    list.push(r);
    byPhone.set(r.contactPhone, list);
  }
  const out: Record<string, BadgeInfo> = {};
  for (const phone of unique) {
    const threads = byPhone.get(phone) ?? [];
    let best: ThreadRow | null = null;
    for (const t of threads) {
      if (t.lastOutbound && (!best?.lastOutbound || supersedes(t.lastOutbound, best.lastOutbound))) best = t;
    }
    const named = threads.find(t => t.contactName);
    out[phone] = badgeFromMessage(phone, best?.lastOutbound ?? null, {
      contactName: named?.contactName ?? null,
      optedOut: (best ?? threads[0])?.optedOut ?? false,
    });
  }
  return out;
}

export async function readCursor(db: AppDB): Promise<string | null> {
  const row = await db.meta.get(META_CURSOR);
  return typeof row?.value === 'string' ? row.value : null;
}

/**
 * The database holds one account's data. When the server or token changes to another account, the old
 * rows (and their cursor) must go: another org's texts must never show, and its cursor means nothing here.
 */
export async function claimDb(db: AppDB, owner: string): Promise<boolean> {
  return db.transaction('rw', [db.messages, db.threads, db.meta, db.trail, db.outbox], async () => {
    const row = await db.meta.get(META_SERVER);
    if (row?.value === owner) return false;
    // The outbox too: another account's unsent texts must never go out under this one.
    await Promise.all([db.messages.clear(), db.threads.clear(), db.meta.clear(), db.trail.clear(), db.outbox.clear()]);
    await db.meta.put({ key: META_SERVER, value: owner });
    return true;
  });
}
