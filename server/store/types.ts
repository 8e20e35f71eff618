// The storage interface. Every backend (SQLite now, PostgreSQL next) implements it and passes the same
// contract tests. Methods are async so a networked backend fits; each state change is one transaction and
// resolves only once it is durable.
import type { ErrorClass } from '../../domain/errorClass';
import type { Status } from '../../domain/status';
import type { Message, Role, TemplatePatch, TemplateRow, Thread, ThreadCounts } from '../../domain/types';
import type { Seed } from '../seed';

/** Who is asking, and what they may see. `locationIds: null` = the whole org (supervisor, admin). */
export interface Scope {
  orgId: string;
  locationIds: string[] | null;
}

export interface User {
  id: string;
  orgId: string;
  name: string;
  role: Role;
  locationIds: string[];
}

export interface Location {
  id: string;
  orgId: string;
  name: string;
  timezone: string;
  country: string;
}

export interface Connection {
  id: string;
  orgId: string;
  locationId: string;
  provider: string;
  numbers: string[];
  secrets: Record<string, string>;
  apiBaseUrl: string | null;
}

export interface Template extends TemplateRow {
  orgId: string;
}

export interface Member {
  id: string;
  name: string;
  role: Role;
}

/** The outcome stored under an Idempotency-Key, or what stands in its way. */
export type IdempotencyClaim =
  | { state: 'new' }
  | { state: 'done'; status: number; body: string }
  | { state: 'mismatch' }
  | { state: 'pending' };

// The store answers /api/threads/counts as it is sent.
export type { ThreadCounts };

export interface ConnectionHealth {
  connectionId: string;
  provider: string;
  locationId: string;
  /** Stuck messages looked up through the provider's API. */
  checked: number;
  /** Of those, how many the provider knew better than our callbacks: lost callbacks. */
  corrected: number;
  lastCorrectedAt: string | null;
}

export interface DayStats {
  locationId: string;
  date: string;
  status: string;
  stuck: boolean;
  errorClass: string | null;
  count: number;
}

/** A change to a message, as it is logged and pushed. */
export interface StoredEvent {
  cursor: string;
  message: Message;
}

export interface NewOutbound {
  connection: Connection;
  to: string;
  body: string;
  sentBy: string;
  contactName?: string | null;
  attempt?: number;
  resendOf?: string | null;
  scheduledFor?: string | null;
}

export interface StatusUpdate {
  connectionId: string;
  providerMessageId: string;
  /** The provider's own id for this callback, where it sends one: a repeat of it is ignored (replay). */
  eventId?: string | null;
  status: Status;
  errorCode: string | null;
  errorClass: ErrorClass | null;
}

export interface InboundText {
  connection: Connection;
  providerMessageId: string;
  from: string;
  to: string;
  body: string;
}

export interface ThreadFilter {
  statuses?: string[];
  errorClasses?: string[];
  errorCodes?: string[];
  connectionId?: string;
  locationId?: string;
  agent?: string;
  q?: string;
  since?: string;
  until?: string;
  limit: number;
  cursor?: string;
}

export type ThreadCountFilter = Omit<ThreadFilter, 'limit' | 'cursor'>;

export interface Page<T> {
  items: T[];
  cursor: string | null;
  hasMore: boolean;
}

/** A second resend of the same message was refused by the store (the one-resend rule). */
export class AlreadyResentError extends Error {
  constructor() { super('this message already has a resend'); }
}

export interface Store {
  /** Reads and writes once; throws when the database cannot be used. */
  ping(): Promise<void>;
  applySeed(seed: Seed, hashToken: (token: string) => string): Promise<void>;

  userByTokenHash(tokenHash: string): Promise<User | null>;
  orgName(orgId: string): Promise<string | null>;
  locations(orgId: string): Promise<Location[]>;
  location(id: string): Promise<Location | null>;
  connection(id: string): Promise<Connection | null>;
  connections(orgId: string): Promise<Connection[]>;
  /** Active templates, or all of them with `includeArchived`. */
  templates(orgId: string, includeArchived?: boolean): Promise<Template[]>;
  createTemplate(orgId: string, name: string, body: string): Promise<Template>;
  updateTemplate(orgId: string, id: string, patch: TemplatePatch): Promise<Template | null>;
  members(orgId: string): Promise<Member[]>;
  template(orgId: string, id: string): Promise<Template | null>;
  isOptedOut(orgId: string, contactPhone: string, number: string): Promise<boolean>;
  contactTimeZone(orgId: string, phone: string): Promise<string | null>;
  hasResend(messageId: string): Promise<boolean>;

  /** Records a new outbound text as queued (before the provider is called). Throws AlreadyResentError. */
  createOutbound(input: NewOutbound): Promise<StoredEvent>;
  /** The provider accepted the send: record its id and apply callbacks that arrived before it. */
  recordProviderId(messageId: string, providerMessageId: string): Promise<StoredEvent[]>;
  /** The provider refused the send outright. */
  recordSendFailure(messageId: string, errorCode: string | null, errorClass: ErrorClass): Promise<StoredEvent | null>;
  /**
   * Applies one status callback through the ladder. Returns the event when the message changed, null when it
   * changed nothing, and 'pending' when no message has that provider id yet (kept, applied on record).
   */
  applyStatus(update: StatusUpdate): Promise<StoredEvent | null | 'pending'>;
  applyStatuses(updates: StatusUpdate[]): Promise<(StoredEvent | null | 'pending')[]>;
  recordInbound(input: InboundText, optOut: 'opt_out' | 'opt_in' | null): Promise<StoredEvent | null>;
  /** Takes scheduled texts whose time has come, each exactly once. */
  claimDueScheduled(nowIso: string, limit: number): Promise<Message[]>;
  /** Stuck messages with a provider id, not looked up since `recheckBefore`. */
  reconcileCandidates(recheckBefore: string, limit: number): Promise<Message[]>;
  /** Records a look-up: when, and whether it corrected the message (counted per connection). */
  recordReconciliation(message: Message, corrected: boolean): Promise<void>;
  connectionHealth(scope: Scope): Promise<ConnectionHealth[]>;
  /** Flags messages that crossed the stuck thresholds; returns their events. */
  markStuck(queuedBefore: string, sentBefore: string): Promise<StoredEvent[]>;

  message(scope: Scope, id: string): Promise<Message | null>;
  threads(scope: Scope, filter: ThreadFilter): Promise<Page<Thread>>;
  thread(scope: Scope, id: string): Promise<Thread | null>;
  threadMessages(scope: Scope, threadId: string): Promise<Message[]>;
  sync(scope: Scope, after: string | null, limit: number): Promise<Page<StoredEvent>>;
  threadCounts(scope: Scope, filter: ThreadCountFilter): Promise<ThreadCounts>;
  /** Outbound texts created since `sinceIso`, counted per location, UTC day and current state. */
  dailyStats(scope: Scope, sinceIso: string): Promise<DayStats[]>;

  /** Claims an Idempotency-Key for a request (by the hash of its method, path and body). */
  claimIdempotencyKey(userId: string, key: string, requestHash: string, notBefore: string): Promise<IdempotencyClaim>;
  finishIdempotencyKey(userId: string, key: string, status: number, body: string): Promise<void>;
  releaseIdempotencyKey(userId: string, key: string): Promise<void>;
  purgeIdempotencyKeys(before: string): Promise<void>;
  /** Forgets provider event ids older than `before` (providers stop retrying long before). */
  purgeWebhookEvents(before: string): Promise<void>;

  close(): Promise<void>;
}
