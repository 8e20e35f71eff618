// The one typed protocol between the background, content scripts, options page and side panel.
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { BadgeInfo } from './badges';
import type { ConnectionState } from './connection';
import type { Me, Message } from '../domain/types';

export interface SendTextRequest {
  to: string;
  body: string;
  contactName?: string;
  /** Same key on a retry of the same send: the server sends once (CONTRACT "Resend", Idempotency-Key). */
  idempotencyKey?: string;
}

export type SendTextError = {
  /** Server error codes (opted_out, invalid_phone, …) plus our own: not_configured, token_refused, unreachable, no_connection. */
  code: string;
  /** Plain words for the agent. */
  message: string;
};

export type SendTextResult = { ok: true; message: Message } | { ok: false; error: SendTextError };

export interface PageConfig {
  /** Country for national-format numbers: the user's first location's (CONTRACT), US until we know. */
  defaultCountry: string;
  configured: boolean;
}

export interface ProtocolMap {
  /** Content script → background: badges for these E.164 phones; also registers them for pushes. */
  getBadges(phones: string[]): Record<string, BadgeInfo>;
  sendText(request: SendTextRequest): SendTextResult;
  getConnectionState(): ConnectionState;
  getMe(): Me | null;
  getPageConfig(): PageConfig;
  /** Background → tab: these badges changed. */
  badgesChanged(badges: Record<string, BadgeInfo>): void;
}

export const messenger = defineExtensionMessaging<ProtocolMap>({ logger: undefined });
export const { sendMessage, onMessage } = messenger;

/** Name of the runtime Port a tab keeps open: its disconnect tells the tab the worker restarted. */
export const TAB_PORT = 'texttrail-tab';
