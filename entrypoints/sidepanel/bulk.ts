// Bulk resend: which selected threads would be resent and with what (or why not), then the sends, spread
// out over time (carriers throttle, and a burst of identical texts looks like spam), cancellable.
import { buildDraft, type TemplateOption } from '../../components/thread/draft';
import { fieldLabel } from '../../components/thread/draft';
import { splitFullName } from '../../domain/contactName';
import { eligibility } from '../../domain/eligibility';
import { RESEND_REFUSAL_TEXT, type ResendRefusal } from '../../domain/resend';
import type { Me, Message, Thread } from '../../domain/types';
import type { ResendTextRequest, SendTextResult } from '../../utils/messaging';
import { recipientZone } from '../../utils/phone';

export interface BulkOptions {
  /** Null: each text's own body. */
  template: TemplateOption | null;
  /** During the recipient's quiet hours, schedule for 08:00 instead of skipping. */
  schedule: boolean;
}

export type BulkPlan =
  | { send: true; message: Message; request: Omit<ResendTextRequest, 'idempotencyKey'>; preview: string; scheduled: boolean }
  | { send: false; reason: string };

export interface BulkItem {
  thread: Thread;
  plan: BulkPlan;
}

export function planBulk(threads: readonly Thread[], opts: BulkOptions, me: Me | null, now: Date): BulkItem[] {
  return threads.map(thread => ({ thread, plan: planOne(thread, opts, me, now) }));
}

function planOne(thread: Thread, opts: BulkOptions, me: Me | null, now: Date): BulkPlan {
  const m = thread.lastOutbound;
  if (!m) return { send: false, reason: 'no text to resend' };
  const zone = recipientZone(m.to, m.locationId, me);
  const e = eligibility({ message: m, optedOut: thread.optedOut, resend: null, now, zone });
  let preview = m.body;
  let refusal: ResendRefusal | null = e.refusal;
  const request: Omit<ResendTextRequest, 'idempotencyKey'> = { messageId: m.id };
  if (opts.template) {
    const draft = buildDraft({ source: opts.template.body, templateId: opts.template.id, typed: {}, record: splitFullName(thread.contactName) });
    if (draft.missing.length) return { send: false, reason: `no value for ${draft.missing.map(fieldLabel).join(', ').toLowerCase()}` };
    refusal = e.editedRefusal;
    preview = draft.text;
    request.templateId = opts.template.id;
    request.vars = draft.vars;
  }
  let scheduled = false;
  if (refusal === 'quiet_hours' && opts.schedule) { scheduled = true; refusal = null; request.schedule = true; }
  if (refusal) return { send: false, reason: RESEND_REFUSAL_TEXT[refusal] };
  return { send: true, message: m, request: { ...request, preview }, preview, scheduled };
}

export type BulkOutcome =
  | { thread: Thread; result: 'queued'; message: Message | null; scheduled: boolean }
  | { thread: Thread; result: 'skipped'; reason: string }
  | { thread: Thread; result: 'failed'; reason: string }
  | { thread: Thread; result: 'canceled' };

export interface RunOptions {
  intervalMs: number;
  resend(request: ResendTextRequest): Promise<SendTextResult>;
  key(): string;
  onOutcome?(outcome: BulkOutcome, done: number, total: number): void;
  signal?: AbortSignal;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

const sleepFor = (ms: number, signal?: AbortSignal) => new Promise<void>(resolve => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/** Sends the planned resends one at a time, `intervalMs` apart; skipped ones are reported at once. */
export async function runBulk(items: readonly BulkItem[], o: RunOptions): Promise<BulkOutcome[]> {
  const sleep = o.sleep ?? sleepFor;
  const outcomes: BulkOutcome[] = [];
  const report = (x: BulkOutcome) => { outcomes.push(x); o.onOutcome?.(x, outcomes.length, items.length); };
  for (const item of items) if (!item.plan.send) report({ thread: item.thread, result: 'skipped', reason: item.plan.reason });
  let first = true;
  for (const item of items) {
    const plan = item.plan;
    if (!plan.send) continue;
    if (!first) await sleep(o.intervalMs, o.signal);
    first = false;
    if (o.signal?.aborted) { report({ thread: item.thread, result: 'canceled' }); continue; }
    try {
      const r = await o.resend({ ...plan.request, idempotencyKey: o.key() });
      if (r.ok) report({ thread: item.thread, result: 'queued', message: r.message ?? null, scheduled: plan.scheduled });
      else if (r.error.code in RESEND_REFUSAL_TEXT) report({ thread: item.thread, result: 'skipped', reason: RESEND_REFUSAL_TEXT[r.error.code as ResendRefusal] });
      else report({ thread: item.thread, result: 'failed', reason: r.error.message });
    } catch {
      report({ thread: item.thread, result: 'failed', reason: 'TextTrail could not reach its background' });
    }
  }
  return outcomes;
}

export function summarize(outcomes: readonly BulkOutcome[]): { queued: number; skipped: number; failed: number; canceled: number } {
  const n = { queued: 0, skipped: 0, failed: 0, canceled: 0 };
  for (const o of outcomes) n[o.result]++;
  return n;
}
