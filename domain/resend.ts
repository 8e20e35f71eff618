// Who may resend what (CONTRACT "Resend"): the first refusal that applies, in the contract's order.
import { isFailure } from './status';
import type { Message } from './types';

export type ResendRefusal = 'not_failed' | 'opted_out' | 'permanent_error' | 'needs_edit' | 'already_resent' | 'max_attempts' | 'quiet_hours';

export const MAX_ATTEMPTS = 3;

export interface ResendFacts {
  message: Message;
  contactOptedOut: boolean;
  /** The message already has a resend (queued, scheduled, in flight or finished). */
  hasResend: boolean;
  /** The resend's body differs from the original's. */
  bodyChanged: boolean;
  /** It is quiet hours for the recipient now. */
  quietNow: boolean;
  /** The request asks to schedule for the end of quiet hours instead of refusing. */
  schedule: boolean;
}

export function resendRefusal(f: ResendFacts): ResendRefusal | null {
  const m = f.message;
  if (m.direction !== 'outbound' || !(isFailure(m.status) || m.stuck)) return 'not_failed';
  if (m.errorClass === 'opted_out' || f.contactOptedOut) return 'opted_out';
  if (m.errorClass === 'permanent') return 'permanent_error';
  if (m.errorClass === 'filtered' && !f.bodyChanged) return 'needs_edit';
  if (f.hasResend) return 'already_resent';
  if (m.attempt >= MAX_ATTEMPTS) return 'max_attempts';
  if (f.quietNow && !f.schedule) return 'quiet_hours';
  return null;
}

export const RESEND_REFUSAL_TEXT: Record<ResendRefusal, string> = {
  not_failed: 'only a failed, undelivered or stuck text can be resent',
  opted_out: 'the contact has opted out',
  permanent_error: 'this number cannot receive texts (permanent error)',
  needs_edit: 'the carrier filtered this text: edit it before resending',
  already_resent: 'this text was already resent',
  max_attempts: 'this text was already tried three times',
  quiet_hours: 'it is quiet hours (21:00–08:00) for the recipient: schedule the resend instead',
};
