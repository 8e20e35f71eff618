// What the resend control under a failed text says and offers, from what the client knows (domain
// eligibility) or, once it has answered, from the server's 409 code, which wins. Pure and tested.
import type { Eligibility } from '../../domain/eligibility';
import { RESEND_REFUSAL_TEXT, type ResendRefusal } from '../../domain/resend';
import { isFinal } from '../../domain/status';
import type { Me, Message } from '../../domain/types';
import { clock, memberName } from './format';

export interface ResendView {
  tone: 'bad' | 'warn' | 'muted' | 'info';
  /** One line: the state, or why no resend is possible. */
  headline: string;
  /** Resend as it was / with an edited body / with a template. Empty: nothing is offered. */
  offers: ('original' | 'edit' | 'template')[];
  /** Every offer sends with schedule:true (quiet hours); the label says when. */
  schedule: { label: string; at: Date } | null;
  /** The carrier filtered it: open the edit box at once. */
  openEdit: boolean;
  /** The refusal shown, for tests and data attributes. */
  refusal: ResendRefusal | null;
}

export const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface ResendViewInput {
  message: Message;
  eligibility: Eligibility;
  /** The server's answer to the last attempt: authoritative. */
  serverRefusal: ResendRefusal | null;
  /** The resend of this text, when one exists. */
  resend: Message | null;
  me: Me | null;
  /** The recipient's zone, for the scheduled time. */
  zone: string | null;
}

/** Null when there is nothing to say (a delivered text, an inbound one). */
export function resendView(v: ResendViewInput): ResendView | null {
  const m = v.message;
  if (m.direction !== 'outbound') return null;
  const none = (tone: ResendView['tone'], headline: string, refusal: ResendRefusal | null): ResendView =>
    ({ tone, headline, offers: [], schedule: null, openEdit: false, refusal });

  if (v.resend) {
    const who = memberName(v.me, v.resend.sentBy);
    const when = clock(v.resend.createdAt);
    return none('info', who === 'You' ? `You resent it at ${when}` : `Resent by ${who} at ${when}`, 'already_resent');
  }
  const refusal = v.serverRefusal ?? v.eligibility.refusal;
  const scheduleAt = v.eligibility.scheduleAt;
  const schedule = (r: ResendRefusal | null) => (r === 'quiet_hours'
    ? { label: `Schedule for 08:00 (recipient's time${v.zone ? `, ${v.zone.replace(/_/g, ' ')}` : ''})`, at: scheduleAt ?? new Date(Date.now() + 3_600_000) }
    : null);

  switch (refusal) {
    case null:
      return { tone: 'warn', headline: 'You can resend this text', offers: ['original', 'edit', 'template'], schedule: null, openEdit: false, refusal };
    case 'not_failed':
      if (m.status === 'delivered' || m.status === 'read') return null;
      if (!isFinal(m.status)) return none('muted', `Still on its way: ${RESEND_REFUSAL_TEXT.not_failed}`, refusal);
      return none('muted', upperFirst(RESEND_REFUSAL_TEXT.not_failed), refusal);
    case 'quiet_hours':
      return {
        tone: 'warn', headline: upperFirst(RESEND_REFUSAL_TEXT.quiet_hours), offers: ['original', 'edit', 'template'],
        schedule: schedule('quiet_hours'), openEdit: false, refusal,
      };
    case 'needs_edit': {
      // Once edited, quiet hours may still apply: the edited resend is then scheduled.
      const after = v.eligibility.editedRefusal;
      return {
        tone: 'warn', headline: upperFirst(RESEND_REFUSAL_TEXT.needs_edit), offers: ['edit', 'template'],
        schedule: schedule(after), openEdit: true, refusal,
      };
    }
    default:
      return none('bad', `No resend: ${RESEND_REFUSAL_TEXT[refusal]}`, refusal);
  }
}
