// Failure spikes: a location whose texts start failing together, e.g. three carrier-filtered failures
// within ten minutes usually means a carrier began blocking a wording or a sending number.
import type { ErrorClass } from './errorClass';

export interface FailureEvent {
  messageId: string;
  locationId: string;
  errorClass: ErrorClass | null;
  /** When the text failed. */
  at: string;
}

export interface SpikeRule {
  /** One class, or `any` failure. */
  errorClass: ErrorClass | 'any';
  threshold: number;
  windowMs: number;
}

export interface Spike {
  locationId: string;
  errorClass: ErrorClass | 'any';
  count: number;
  windowMs: number;
  /** The newest failure counted. */
  latest: string;
}

export const SPIKE_RULES: readonly SpikeRule[] = [
  { errorClass: 'filtered', threshold: 3, windowMs: 10 * 60_000 },
  { errorClass: 'any', threshold: 10, windowMs: 10 * 60_000 },
];

/** Spikes now: per rule and location, distinct failed texts in the window ending at `now`. */
export function detectSpikes(events: readonly FailureEvent[], now: number, rules: readonly SpikeRule[] = SPIKE_RULES): Spike[] {
  const out: Spike[] = [];
  for (const rule of rules) {
    const byLocation = new Map<string, Map<string, string>>();
    for (const e of events) {
      const t = Date.parse(e.at);
      if (!(t > now - rule.windowMs && t <= now)) continue;
      if (rule.errorClass !== 'any' && e.errorClass !== rule.errorClass) continue;
      let seen = byLocation.get(e.locationId);
      if (!seen) byLocation.set(e.locationId, (seen = new Map()));
      const prev = seen.get(e.messageId);
      if (!prev || prev < e.at) seen.set(e.messageId, e.at);
    }
    for (const [locationId, seen] of byLocation) {
      if (seen.size < rule.threshold) continue;
      const latest = [...seen.values()].sort().at(-1)!;
      out.push({ locationId, errorClass: rule.errorClass, count: seen.size, windowMs: rule.windowMs, latest });
    }
  }
  // A location with a class-specific spike does not also need the generic one.
  return out.filter(s => s.errorClass !== 'any' || !out.some(o => o.locationId === s.locationId && o.errorClass !== 'any'));
}
