// What a badge says: the word, the tone (colour), the accessible name and the tooltip. Pure, so the
// content script and the side panel say the same thing.
import { failureReason } from '../domain/errorClass';
import type { BadgeStatus } from '../domain/status';
import type { BadgeInfo } from '../utils/badges';

export type Tone = 'good' | 'info' | 'pending' | 'warn' | 'bad' | 'muted';

export const STATUS_LOOK: Record<BadgeStatus, { word: string; tone: Tone }> = {
  none: { word: 'No texts', tone: 'muted' },
  queued: { word: 'Queued', tone: 'pending' },
  sending: { word: 'Sending', tone: 'pending' },
  sent: { word: 'Sent', tone: 'info' },
  canceled: { word: 'Canceled', tone: 'muted' },
  failed: { word: 'Failed', tone: 'bad' },
  undelivered: { word: 'Undelivered', tone: 'bad' },
  delivered: { word: 'Delivered', tone: 'good' },
  read: { word: 'Read', tone: 'good' },
  stuck: { word: 'Stuck', tone: 'warn' },
};

/** "just now", "2 min ago", "3 h ago", "yesterday", "4 days ago", then a date. */
export function ago(iso: string | null, now: number): string {
  if (!iso) return '';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 7) return `${d} days ago`;
  return `on ${new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' })}`;
}

/** The plain-words reason of a failed text, or null when the badge is not a failure. */
export function reasonOf(info: BadgeInfo): string | null {
  if (info.status !== 'failed' && info.status !== 'undelivered') return null;
  return failureReason(info.provider ?? '', info.errorCode, info.errorClass);
}

/** The accessible name, e.g. "Delivered 2 min ago" or "Undelivered: landline or unreachable carrier — … (30006)". */
export function badgeLabel(info: BadgeInfo | undefined, now: number): string {
  if (!info) return 'Text status loading';
  const { word } = STATUS_LOOK[info.status];
  const reason = reasonOf(info);
  if (reason) return `${word}: ${reason}`;
  if (info.status === 'none') return 'No texts yet';
  if (info.status === 'stuck') return `Stuck: no delivery report, last change ${ago(info.at, now)}`;
  return `${word} ${ago(info.at, now)}`.trim();
}

/** The tooltip: the label, and what clicking does. */
export function badgeTitle(info: BadgeInfo | undefined, now: number): string {
  const label = badgeLabel(info, now);
  const optedOut = info?.optedOut ? ' · This contact opted out of texts.' : '';
  return `${label}${optedOut} — click to open the conversation`;
}
