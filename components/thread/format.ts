// Words and times the thread view shows. Pure: the overlay in the page and the side panel say the same.
import type { TrailStepKind } from '../../domain/trail';
import type { Me } from '../../domain/types';

export const STEP_WORDS: Record<TrailStepKind, string> = {
  queued: 'Queued', sending: 'Sending', sent: 'Sent', canceled: 'Canceled', failed: 'Failed',
  undelivered: 'Undelivered', delivered: 'Delivered', read: 'Read', stuck: 'Stuck',
};

/** "10:02" in the viewer's zone, or in `timeZone` (the recipient's, for scheduled sends). */
export function clock(iso: string | Date, timeZone?: string): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
}

/** "Today", "Yesterday" or "Mon, Nov 16" for day separators. */
export function dayLabel(iso: string, now: number): string {
  const d = new Date(iso);
  const key = (x: Date) => `${x.getFullYear()}-${x.getMonth()}-${x.getDate()}`;
  const today = new Date(now);
  const yesterday = new Date(now - 86_400_000);
  if (key(d) === key(today)) return 'Today';
  if (key(d) === key(yesterday)) return 'Yesterday';
  return d.toLocaleDateString('en-US', { weekday: 'short', month: 'short', day: 'numeric', ...(d.getFullYear() !== today.getFullYear() ? { year: 'numeric' } : {}) });
}

/** Who a user id is: "You", a teammate's name from /api/me's members, or "A teammate". */
export function memberName(me: Pick<Me, 'id'> & { members?: Me['members'] } | null, id: string | null): string {
  if (!id) return 'Someone';
  if (me && id === me.id) return 'You';
  return me?.members?.find(m => m.id === id)?.name ?? 'A teammate';
}

/** A user's own name (never "You"), for exports and filters; the id when unknown. */
export function personName(me: Pick<Me, 'id' | 'name'> & { members?: Me['members'] } | null, id: string): string {
  return me?.members?.find(m => m.id === id)?.name ?? (me && id === me.id ? me.name : id);
}

/** Up to two initials for a contact avatar; "#" when there is no name. */
export function initials(name: string | null): string {
  if (!name) return '#';
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map(w => w[0]!.toUpperCase()).join('');
}

export function newKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
