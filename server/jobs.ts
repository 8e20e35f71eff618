// Background work on a timer: flag stuck messages, look them up at their provider (reconciliation), send
// scheduled texts when their time comes, and forget expired idempotency keys and provider event ids.
import type { AppDeps } from './http/context';
import { sendQueued } from './messaging/dispatch';
import { reconcileStuck } from './ingest/reconcile';
import { IDEMPOTENCY_TTL_MS } from './http/idempotency';

/** Provider event ids are remembered a week: providers retry for hours, not days. */
const WEBHOOK_EVENT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function startJobs(deps: AppDeps): () => void {
  const { stuckQueuedMs, stuckSentMs } = deps.config;
  // Check often enough that a message is flagged within a quarter of the shorter threshold (≤ 15 s).
  const every = Math.min(15_000, Math.max(250, Math.min(stuckQueuedMs, stuckSentMs) / 4));
  // A stuck message is looked up at once, then again after a while (not on every tick).
  const recheckAfter = Math.min(5 * 60_000, Math.max(10_000, Math.min(stuckQueuedMs, stuckSentMs)));
  let running = false;
  let lastPurge = 0;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const now = Date.now();
      deps.publish(await deps.store.markStuck(new Date(now - stuckQueuedMs).toISOString(), new Date(now - stuckSentMs).toISOString()));
      if (now - lastPurge > 10 * 60_000) {
        lastPurge = now;
        await deps.store.purgeIdempotencyKeys(new Date(now - IDEMPOTENCY_TTL_MS).toISOString());
        await deps.store.purgeWebhookEvents(new Date(now - WEBHOOK_EVENT_TTL_MS).toISOString());
      }
      await reconcileStuck(deps, recheckAfter);
      for (const message of await deps.store.claimDueScheduled(new Date(now).toISOString(), 100)) {
        await sendQueued(deps, message);
      }
    } catch (e) {
      console.error('background job failed (will retry):', (e as Error).message);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), every);
  timer.unref();
  return () => clearInterval(timer);
}
