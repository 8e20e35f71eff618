// A text's status trail: each status it reached and when (queued 10:02 → sent 10:02 → undelivered 10:03).
// Built from message snapshots (socket events, /api/sync pages, send responses), each the message after
// one change. One step per status: repeated or late snapshots keep the earliest time seen for it, so any
// order and any repetition give the same trail.
import { statusRank, type Status } from './status';
import type { ErrorClass } from './errorClass';
import type { Message } from './types';

export type TrailStepKind = Status | 'stuck';

export interface TrailStep {
  step: TrailStepKind;
  /** When the message reached this step (the snapshot's updatedAt; createdAt for `queued`). */
  at: string;
  errorCode: string | null;
  errorClass: ErrorClass | null;
}

type Snapshot = Pick<Message, 'status' | 'stuck' | 'errorCode' | 'errorClass' | 'updatedAt' | 'createdAt' | 'direction'>;

/** The steps one snapshot proves: its own status (or stuck), and for outbound texts `queued` at creation. */
export function stepsOf(m: Snapshot): TrailStep[] {
  const own: TrailStep = {
    step: m.stuck ? 'stuck' : m.status, at: m.updatedAt,
    errorCode: m.stuck ? null : m.errorCode, errorClass: m.stuck ? null : m.errorClass,
  };
  if (m.direction !== 'outbound') return [own];
  const created: TrailStep = { step: 'queued', at: m.createdAt, errorCode: null, errorClass: null };
  return own.step === 'queued' ? [created] : [created, own];
}

/** Merges steps: one per kind, the earliest time wins (error details from that same snapshot). */
export function mergeSteps(a: readonly TrailStep[], b: readonly TrailStep[]): TrailStep[] {
  const byStep = new Map<TrailStepKind, TrailStep>();
  for (const s of [...a, ...b]) {
    const seen = byStep.get(s.step);
    if (!seen || Date.parse(s.at) < Date.parse(seen.at)) byStep.set(s.step, s);
  }
  return orderTrail([...byStep.values()]);
}

const stepRank = (s: TrailStepKind) => (s === 'stuck' ? statusRank('sent') + 0.5 : statusRank(s));

/** In time order; equal times in ladder order (queued before sent when both carry the same instant). */
export function orderTrail(steps: TrailStep[]): TrailStep[] {
  return [...steps].sort((x, y) => Date.parse(x.at) - Date.parse(y.at) || stepRank(x.step) - stepRank(y.step));
}
