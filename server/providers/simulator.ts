// The simulated carrier (CONTRACT "Simulated carrier"): accepts sends and, after short delays, posts
// Twilio-format callbacks, signed with the connection's generated secret, to the server's own webhook, so
// they pass through exactly the checks real traffic does.
import { randomBytes } from 'node:crypto';
import { twilio, twilioSignature } from './twilio';
import type { ProviderContext, ProviderPlugin, SendRequest } from './types';
import type { Connection } from '../store/types';

interface Outcome { status: 'delivered' | 'undelivered' | 'failed' | null; errorCode?: string }

/** The outcome is chosen by the destination's last four digits. */
export function simulatedOutcome(to: string): Outcome {
  switch (to.slice(-4)) {
    case '0003': return { status: 'undelivered', errorCode: '30003' };
    case '0006': return { status: 'undelivered', errorCode: '30006' };
    case '0007': return { status: 'undelivered', errorCode: '30007' };
    case '1610': return { status: 'failed', errorCode: '21610' };
    case '9999': return { status: null }; // stays sent, until it counts as stuck
    default: return { status: 'delivered' };
  }
}

export interface SimulatorTiming {
  /** Delay before `sent`, then before the final status, in ms (each step within 2 s of the one before). */
  sentAfterMs: [number, number];
  finalAfterMs: [number, number];
}

const DEFAULT_TIMING: SimulatorTiming = { sentAfterMs: [300, 900], finalAfterMs: [500, 1500] };

export function createSimulator(timing: SimulatorTiming = DEFAULT_TIMING): ProviderPlugin & { dispose(): void } {
  const timers = new Set<NodeJS.Timeout>();
  const between = ([lo, hi]: [number, number]) => lo + Math.random() * (hi - lo);
  const later = (ms: number, fn: () => Promise<void>) => new Promise<void>(resolve => {
    const t = setTimeout(() => { timers.delete(t); fn().finally(resolve); }, ms);
    timers.add(t);
  });

  async function post(connection: Connection, ctx: ProviderContext, params: Record<string, string>): Promise<void> {
    const path = `/webhooks/simulator/${encodeURIComponent(connection.id)}`;
    const signature = twilioSignature(connection.secrets.authToken ?? '', ctx.publicUrl + path, params);
    try {
      await fetch(ctx.internalUrl() + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      // The server is shutting down; a real carrier's callback would be lost the same way (stuck covers it).
    }
  }

  async function play(connection: Connection, req: SendRequest, sid: string, ctx: ProviderContext): Promise<void> {
    const base = { MessageSid: sid, SmsSid: sid, AccountSid: 'ACsimulator', From: req.from, To: req.to, ApiVersion: '2010-04-01' };
    await later(between(timing.sentAfterMs), () => post(connection, ctx, { ...base, MessageStatus: 'sent', SmsStatus: 'sent' }));
    const outcome = simulatedOutcome(req.to);
    if (!outcome.status) return;
    const final: Record<string, string> = { ...base, MessageStatus: outcome.status, SmsStatus: outcome.status };
    if (outcome.errorCode) final.ErrorCode = outcome.errorCode;
    await later(between(timing.finalAfterMs), () => post(connection, ctx, final));
  }

  // What the simulated carrier "knows" about each message it took, for reconciliation.
  const known = new Map<string, string>();

  return {
    id: 'simulator',
    async fetchStatus(_connection, sid) {
      const to = known.get(sid);
      if (!to) return null;
      const outcome = simulatedOutcome(to);
      return outcome.status ? { status: outcome.status, errorCode: outcome.errorCode ?? null } : { status: 'sent', errorCode: null };
    },
    verify: twilio.verify,
    parse: twilio.parse,
    acknowledgement: twilio.acknowledgement,
    async send(connection, req, ctx) {
      const sid = 'SM' + randomBytes(16).toString('hex');
      if (known.size > 100_000) known.clear();
      known.set(sid, req.to);
      void play(connection, req, sid, ctx);
      return { providerMessageId: sid };
    },
    dispose() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
