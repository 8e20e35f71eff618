// One contact's conversation as the thread view shows it: every text with that phone (over all threads: a
// contact may have texted two clinics), their status trails, and the texts still waiting in the outbox.
// Types and pure helpers only (the content script uses them); utils/conversationDb.ts reads it from Dexie.
import type { TrailStep } from '../domain/trail';
import type { Message } from '../domain/types';
import type { OutboxRow, ThreadRow } from './db';

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
