// JSON shapes of the product's outside (CONTRACT "JSON shapes", "REST", "Socket.io"). Shared by server and extension.
import type { Status } from './status';
import type { ErrorClass } from './errorClass';

export type Direction = 'outbound' | 'inbound';
export type Role = 'agent' | 'supervisor' | 'admin';

export interface Message {
  id: string;
  orgId: string;
  locationId: string;
  threadId: string;
  connectionId: string;
  provider: string;
  providerMessageId: string | null;
  direction: Direction;
  from: string;
  to: string;
  body: string;
  status: Status;
  errorCode: string | null;
  errorClass: ErrorClass | null;
  stuck: boolean;
  attempt: number;
  resendOf: string | null;
  sentBy: string | null;
  scheduledFor: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Thread {
  id: string;
  orgId: string;
  locationId: string;
  contactPhone: string;
  contactName: string | null;
  optedOut: boolean;
  lastMessage: Message | null;
  lastOutbound: Message | null;
  updatedAt: string;
}

export interface SyncEvent {
  cursor: string;
  message: Message;
}

export interface SyncPage {
  events: SyncEvent[];
  cursor: string | null;
  hasMore: boolean;
}

export interface ThreadPage {
  threads: Thread[];
  cursor: string | null;
  hasMore: boolean;
}

export interface Me {
  id: string;
  name: string;
  role: Role;
  orgId: string;
  orgName: string;
  locations: { id: string; name: string; timezone: string; country: string }[];
  connections: { id: string; provider: string; locationId: string; numbers: string[] }[];
  templates: { id: string; name: string; body: string }[];
  /** The org's users, to say who sent or resent a text. */
  members: { id: string; name: string; role: Role }[];
}

/** POST /api/messages: a free body, or a template with its merge-field values (CONTRACT "REST"). */
export interface SendBody {
  to: string;
  connectionId?: string;
  body?: string;
  templateId?: string;
  vars?: Record<string, string>;
  contactName?: string;
}

/** POST /api/messages/{id}/resend (CONTRACT "Resend"). */
export interface ResendBody {
  body?: string;
  templateId?: string;
  vars?: Record<string, string>;
  schedule?: boolean;
}

/** GET /api/threads/counts: the threads a filter matches, in all and per facet value. */
export interface ThreadCounts {
  total: number;
  byStatus: Record<string, number>;
  byErrorClass: Record<string, number>;
  byLocation: Record<string, number>;
  byAgent: Record<string, number>;
}

/** A template as /api/templates lists, creates and updates it (the server adds its merge `fields`). */
export interface TemplateRow {
  id: string;
  name: string;
  body: string;
  archived: boolean;
  updatedAt: string;
}

/** PATCH /api/templates/{id}: what an admin may change; absent fields stay as they are. */
export interface TemplatePatch {
  name?: string;
  body?: string;
  archived?: boolean;
}

export interface ApiError {
  error: { code: string; message: string };
}

/** socket.io events, typed once for the server and the extension's background. */
export interface ServerToClientEvents {
  'message:updated': (event: SyncEvent) => void;
}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientToServerEvents {}
