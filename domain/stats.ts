// Delivery figures per location (GET /api/stats/locations): the shapes the supervisor chart draws.
import { ERROR_CLASSES, type ErrorClass } from './errorClass';

export interface DayStats {
  date: string;
  total: number;
  delivered: number;
  failed: number;
  undelivered: number;
  stuck: number;
  byErrorClass: Record<ErrorClass, number>;
}

export interface LocationStats {
  locationId: string;
  name: string;
  days: DayStats[];
}

export interface StatsResponse {
  days: string[];
  locations: LocationStats[];
}

/** Texts with an outcome: delivered, failed, undelivered, or stuck (no report in time counts as not delivered). */
export function settled(d: Pick<DayStats, 'delivered' | 'failed' | 'undelivered' | 'stuck'>): number {
  return d.delivered + d.failed + d.undelivered + d.stuck;
}

/** Delivered share of settled texts, or null when nothing settled (in-flight texts do not lower the rate). */
export function deliveryRate(d: Pick<DayStats, 'delivered' | 'failed' | 'undelivered' | 'stuck'>): number | null {
  const n = settled(d);
  return n ? d.delivered / n : null;
}

export function sumDays(days: readonly DayStats[]): Omit<DayStats, 'date'> {
  const zero = Object.fromEntries(ERROR_CLASSES.map(c => [c, 0])) as Record<ErrorClass, number>;
  return days.reduce((acc, d) => ({
    total: acc.total + d.total,
    delivered: acc.delivered + d.delivered,
    failed: acc.failed + d.failed,
    undelivered: acc.undelivered + d.undelivered,
    stuck: acc.stuck + d.stuck,
    byErrorClass: Object.fromEntries(ERROR_CLASSES.map(c => [c, acc.byErrorClass[c] + (d.byErrorClass?.[c] ?? 0)])) as Record<ErrorClass, number>,
  }), { total: 0, delivered: 0, failed: 0, undelivered: 0, stuck: 0, byErrorClass: zero });
}

/** The failure mix: each error class's share of all classified failures, biggest first, zero classes left out. */
export function failureMix(byErrorClass: Record<ErrorClass, number>): { errorClass: ErrorClass; count: number; share: number }[] {
  const total = ERROR_CLASSES.reduce((n, c) => n + (byErrorClass[c] ?? 0), 0);
  if (!total) return [];
  return ERROR_CLASSES.map(c => ({ errorClass: c, count: byErrorClass[c] ?? 0, share: (byErrorClass[c] ?? 0) / total }))
    .filter(x => x.count > 0)
    .sort((a, b) => b.count - a.count);
}
