// The one typed protocol between the background, content scripts, options page and side panel.
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { BadgeInfo } from './badges';
import type { ConnectionState } from './connection';
import type { Conversation } from './conversation';
import type { Me, Message } from '../domain/types';

/** What a text says: free text, or an approved template with its merge fields (the server renders it). */
export type TextContent =
  | { body: string; templateId?: undefined; vars?: undefined }
  | { body?: undefined; templateId: string; vars: Record<string, string> };

export type SendTextRequest = TextContent & {
  to: string;
  /** The sending connection; default: the conversation's own, else one of the user's home location. */
  connectionId?: string;
  contactName?: string;
  /** One per user action, kept across retries: the server sends once (CONTRACT "Resend", Idempotency-Key). */
  idempotencyKey?: string;
  /** The text as the agent previewed it, shown while it waits in the outbox. */
  preview?: string;
};

export type ResendTextRequest = {
  /** The text to resend (the newest attempt of its chain). */
  messageId: string;
  /** Without body or template: the original body. */
  body?: string;
  templateId?: string;
  vars?: Record<string, string>;
  /** During quiet hours: keep it queued until 08:00 in the recipient's time (CONTRACT "Resend"). */
  schedule?: boolean;
  idempotencyKey: string;
  preview?: string;
};

export type SendTextError = {
  /** Server error codes (opted_out, invalid_phone, quiet_hours, …) plus our own: not_configured, token_refused, unreachable, no_connection. */
  code: string;
  /** Plain words for the agent. */
  message: string;
};

export type SendTextResult =
  | { ok: true; message: Message; pending?: undefined }
  /** Not reached the server yet (offline): it waits in the outbox and goes out on reconnect. */
  | { ok: true; pending: true; key: string; message?: undefined }
  | { ok: false; error: SendTextError };

export interface PageConfig {
  /** Country for national-format numbers: the user's first location's (CONTRACT), US until we know. */
  defaultCountry: string;
  configured: boolean;
}

export interface ProtocolMap {
  /** Content script → background: badges for these E.164 phones; also registers them for pushes. */
  getBadges(phones: string[]): Record<string, BadgeInfo>;
  sendText(request: SendTextRequest): SendTextResult;
  resendText(request: ResendTextRequest): SendTextResult;
  getConnectionState(): ConnectionState;
  getMe(): Me | null;
  /** Fetch /api/me again (templates changed) and cache it. */
  refreshMe(): Me | null;
  getPageConfig(): PageConfig;
  /** One contact's conversation from IndexedDB (works offline); `watch` pushes conversationChanged to this tab. */
  getConversation(request: { phone: string; watch: boolean }): Conversation;
  /** The tab's overlay closed: stop pushing. */
  unwatchConversation(): void;
  /** Fetch the contact's threads from the server into IndexedDB (older history, another agent's resend). */
  refreshConversation(phone: string): void;
  /** Remove a refused or expired outbox item the agent has read. */
  dismissOutbox(key: string): void;
  /** Open the side panel on this contact; sent from a click so Chrome sees the user gesture. */
  openSidePanel(request: { phone: string }): { opened: boolean };
  /** Background → tab: these badges changed. */
  badgesChanged(badges: Record<string, BadgeInfo>): void;
  /** Background → tab: the watched conversation changed; ask for it again. */
  conversationChanged(phone: string): void;
  /** Background → tab: the connection to the server changed (badges say "reconnecting" while it is down). */
  connectionChanged(status: ConnectionState['status']): void;
}

export const messenger = defineExtensionMessaging<ProtocolMap>({ logger: undefined });
export const { sendMessage, onMessage } = messenger;

/** Name of the runtime Port a tab keeps open: its disconnect tells the tab the worker restarted. */
export const TAB_PORT = 'texttrail-tab';

/** storage.session key: the conversation the side panel should show (set when "Open in side panel" is used). */
export const PANEL_TARGET_KEY = 'panelTarget';
export interface PanelTarget {
  phone: string;
  at: number;
}
