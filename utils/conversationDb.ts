// Reads one contact's conversation from the extension's IndexedDB. The background answers the page with
// it; the side panel runs it under useLiveQuery.
import Dexie from 'dexie';
import { orderTrail, type TrailStep } from '../domain/trail';
import { pendingOf, type Conversation } from './conversation';
import type { AppDB } from './db';

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
