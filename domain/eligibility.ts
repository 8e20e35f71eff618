// What the client can tell about resending one text before asking the server (which stays authoritative:
// its 409 code replaces this). Used by the resend control in the thread and by bulk resend's preview.
import { isQuietHour, nextQuietEnd } from './quietHours';
import { resendRefusal, type ResendRefusal } from './resend';
import type { Message } from './types';

export interface EligibilityFacts {
  message: Message;
  /** The contact opted out (thread state). */
  optedOut: boolean;
  /** The resend of this text we know of, if any. */
  resend: Message | null;
  now: Date;
  /** The recipient's zone (recipientTimeZone); null when unknown: quiet hours are left to the server. */
  zone: string | null;
}

export interface Eligibility {
  /** Why resending the original body is refused (quiet hours included), or null when it may go now. */
  refusal: ResendRefusal | null;
  /** The same for an edited body or a template (only needs_edit differs). */
  editedRefusal: ResendRefusal | null;
  /** Set during quiet hours: when a scheduled resend would go (the next 08:00 in the recipient's zone). */
  scheduleAt: Date | null;
}

export function eligibility(f: EligibilityFacts): Eligibility {
  const quietNow = f.zone ? isQuietHour(f.now, f.zone) : false;
  const base = { message: f.message, contactOptedOut: f.optedOut, hasResend: f.resend !== null, quietNow, schedule: false };
  const refusal = resendRefusal({ ...base, bodyChanged: false });
  const editedRefusal = resendRefusal({ ...base, bodyChanged: true });
  return { refusal, editedRefusal, scheduleAt: quietNow && f.zone ? nextQuietEnd(f.now, f.zone) : null };
}

/** Refusals that scheduling or editing can get past: anything else means no resend is offered at all. */
export function canOvercome(refusal: ResendRefusal | null): boolean {
  return refusal === null || refusal === 'quiet_hours' || refusal === 'needs_edit';
}
