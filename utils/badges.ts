// What a badge shows for one phone: the newest outbound text to it (CONTRACT "The extension's outside").
import type { BadgeStatus } from '../domain/status';
import type { ErrorClass } from '../domain/errorClass';
import type { Message } from '../domain/types';

export interface BadgeInfo {
  phone: string;
  status: BadgeStatus;
  messageId: string | null;
  provider: string | null;
  errorCode: string | null;
  errorClass: ErrorClass | null;
  /** When the shown status was reached (the message's updatedAt). */
  at: string | null;
  contactName: string | null;
  optedOut: boolean;
}

export function noneBadge(phone: string): BadgeInfo {
  return { phone, status: 'none', messageId: null, provider: null, errorCode: null, errorClass: null, at: null, contactName: null, optedOut: false };
}

/** A stuck text shows as stuck, never as failed (CONTRACT "Status"); the server clears stuck on a final status. */
export function badgeStatusOf(message: Pick<Message, 'status' | 'stuck'>): BadgeStatus {
  return message.stuck ? 'stuck' : message.status;
}

export function badgeFromMessage(phone: string, message: Message | null, extra?: { contactName?: string | null; optedOut?: boolean }): BadgeInfo {
  const base = noneBadge(phone);
  base.contactName = extra?.contactName ?? null;
  base.optedOut = extra?.optedOut ?? false;
  if (!message) return base;
  return {
    ...base,
    status: badgeStatusOf(message),
    messageId: message.id,
    provider: message.provider,
    errorCode: message.errorCode,
    errorClass: message.errorClass,
    at: message.updatedAt,
  };
}

export function sameBadge(a: BadgeInfo | undefined, b: BadgeInfo | undefined): boolean {
  if (!a || !b) return a === b;
  return a.status === b.status && a.messageId === b.messageId && a.at === b.at && a.errorCode === b.errorCode
    && a.contactName === b.contactName && a.optedOut === b.optedOut;
}
