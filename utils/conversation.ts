// One contact's conversation as the thread view shows it, read from the extension's IndexedDB: every text
// with that phone (over all threads: a contact may have texted two clinics), their status trails, and the
// texts still waiting in the outbox. Pure reads: the background answers the page with it, the side panel
// runs it under useLiveQuery.
import Dexie from 'dexie';
import { orderTrail, type TrailStep } from '../domain/trail';
import type { Message } from '../domain/types';
import type { AppDB, OutboxRow, ThreadRow } from './db';

export interface Conversation {
  phone: string;
  threads: ThreadRow[];
  contactName: string | null;
  optedOut: boolean;
  /** Oldest first. */
  messages: Message[];
  trails: Record<string, TrailStep[]>;
  /** Sends and resends not yet accepted by the server, oldest first. */
  outbox: PendingText[];
}

/** An outbox item as views show it: no account key, no raw request. */
export type PendingText = Pick<OutboxRow, 'key' | 'kind' | 'to' | 'resendOf' | 'preview' | 'sentBy' | 'createdAt' | 'state' | 'error'>;

export function pendingOf(r: OutboxRow): PendingText {
  return { key: r.key, kind: r.kind, to: r.to, resendOf: r.resendOf, preview: r.preview, sentBy: r.sentBy, createdAt: r.createdAt, state: r.state, error: r.error };
}

export async function loadConversation(db: AppDB, phone: string): Promise<Conversation> {
  const threads = await db.threads.where('contactPhone').equals(phone).toArray();
  const perThread = await Promise.all(threads.map(t =>
    db.messages.where('[threadId+createdAt]').between([t.id, Dexie.minKey], [t.id, Dexie.maxKey]).toArray()));
  const messages = perThread.flat().sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.attempt - b.attempt);
  const ids = messages.map(m => m.id);
  const rows = ids.length ? await db.trail.where('messageId').anyOf(ids).toArray() : [];
  const grouped: Record<string, TrailStep[]> = {};
  for (const r of rows) (grouped[r.messageId] ??= []).push({ step: r.step, at: r.at, errorCode: r.errorCode, errorClass: r.errorClass });
  const trails: Record<string, TrailStep[]> = {};
  for (const [id, steps] of Object.entries(grouped)) trails[id] = orderTrail(steps);
  const outbox = (await db.outbox.where('to').equals(phone).toArray()).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(pendingOf);
  const named = threads.find(t => t.contactName);
  const newest = [...threads].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  return {
    phone, threads, messages, trails, outbox,
    contactName: named?.contactName ?? null,
    optedOut: newest?.optedOut ?? false,
  };
}

/** The resend of each text, by the resent text's id (the newest when, oddly, there are several). */
export function resendsOf(messages: readonly Message[]): Map<string, Message> {
  const out = new Map<string, Message>();
  for (const m of messages) {
    if (!m.resendOf) continue;
    const seen = out.get(m.resendOf);
    if (!seen || seen.createdAt < m.createdAt) out.set(m.resendOf, m);
  }
  return out;
}
