// The canonical status ladder (CONTRACT "Status"). A message's status is the highest-ranked status among
// all callbacks received for it, so applying callbacks is a max() over ranks: any order, any repetition,
// same result.
export const STATUSES = ['queued', 'sending', 'sent', 'canceled', 'failed', 'undelivered', 'delivered', 'read'] as const;
export type Status = (typeof STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<Status> = new Set<Status>(['canceled', 'failed', 'undelivered', 'delivered', 'read']);
export const FAILURE_STATUSES: ReadonlySet<Status> = new Set<Status>(['failed', 'undelivered']);

const RANK: Record<Status, number> = Object.fromEntries(STATUSES.map((s, i) => [s, i])) as Record<Status, number>;

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && value in RANK;
}

export function statusRank(status: Status): number {
  return RANK[status];
}

export function isFinal(status: Status): boolean {
  return FINAL_STATUSES.has(status);
}

export function isFailure(status: Status): boolean {
  return FAILURE_STATUSES.has(status);
}

/** True when `incoming` would move a message currently at `current` (strictly higher rank). */
export function outranks(incoming: Status, current: Status): boolean {
  return RANK[incoming] > RANK[current];
}

/** What a badge shows: a canonical status, `stuck`, or `none` when nothing was sent yet. */
export type BadgeStatus = Status | 'stuck' | 'none';
