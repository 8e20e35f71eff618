// The early-callback race, concurrently, through the real server (CONTRACT "Webhooks": a callback for a
// provider message id not yet recorded is kept and applied when the send is recorded). 50 sends at once;
// the fake Twilio holds each answer while that message's callbacks are posted: some acknowledged before the
// send's answer goes out (forced early), some racing the answer, duplicates and shuffles included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusRank, type Status } from '../../domain/status';
import type { SyncEvent } from '../../domain/types';
import { TOKENS, eventually, startWorld, statusParams, type World } from './helpers/world';
import { prng } from './helpers/prng';

const SEED = Number(process.env.RACE_SEED) || Date.now() % 1_000_000;

let w: World;
beforeAll(async () => { w = await startWorld(); });
afterAll(async () => { await w?.close(); });

const OUTCOMES: [Status, string | null, string | null][] = [
  ['delivered', null, null], ['read', null, null], ['sent', null, null],
  ['undelivered', '30003', 'temporary'], ['undelivered', '30006', 'permanent'], ['failed', '21610', 'opted_out'],
];

describe('early callbacks under concurrency', () => {
  it(`50 concurrent sends whose callbacks beat the provider's answer all end in the right state (seed ${SEED})`, async () => {
    console.log(`early-callback race: RACE_SEED=${SEED}`);
    const { events } = await w.socket(TOKENS.sue);
    const plans = new Map<string, { final: Status; code: string | null; cls: string | null }>(); // by To
    const racing: Promise<Response>[] = [];
    let early = 0;
    const ackedBefore = new Map<string, Status>(); // by To: the highest status acknowledged before the answer

    w.twilio.beforeAnswer = async send => {
      // One stream per message, so the seed reproduces each plan whatever order the sends arrive in.
      const rand = prng(SEED * 100 + Number(send.params.To.slice(-4)));
      const [final, code, cls] = OUTCOMES[Math.floor(rand() * OUTCOMES.length)];
      plans.set(send.params.To, { final, code, cls });
      // Lower steps and repeats around the outcome, shuffled; the outcome itself at least once.
      const steps: Record<string, string>[] = [statusParams(send.sid, final, code ? { ErrorCode: code } : {})];
      for (const s of ['queued', 'sending', 'sent'] as Status[]) if (statusRank(s) < statusRank(final) && rand() < 0.7) steps.push(statusParams(send.sid, s));
      const n = steps.length;
      for (let k = 0; k < n; k++) if (rand() < 0.4) steps.push(steps[k]);
      steps.sort(() => rand() - 0.5);
      const cut = Math.floor(rand() * (steps.length + 1));
      // Before the answer: acknowledged, so certainly kept as early callbacks.
      const before = await Promise.all(steps.slice(0, cut).map(p => w.callback(p)));
      expect(before.map(r => r.status)).toEqual(before.map(() => 200));
      early += cut;
      const acked = steps.slice(0, cut).map(p => p.MessageStatus as Status);
      ackedBefore.set(send.params.To, acked.reduce<Status>((a, b) => (statusRank(b) > statusRank(a) ? b : a), 'queued'));
      // The rest race the answer and the recording of the provider id.
      for (const p of steps.slice(cut)) racing.push(w.callback(p));
      await new Promise(r => setTimeout(r, rand() * 5));
    };

    const tos = Array.from({ length: 50 }, (_, i) => `+1415555${String(4000 + i)}`);
    const sent = await Promise.all(tos.map(to => w.api('POST', '/api/messages', { to, connectionId: 'tw-north', body: `race ${to}` }, TOKENS.sue)));
    expect(sent.map(s => s.status)).toEqual(tos.map(() => 201));
    const acks = await Promise.all(racing);
    expect(acks.map(r => r.status)).toEqual(acks.map(() => 200));
    expect(early).toBeGreaterThan(25);
    // The send's own answer already carries every callback acknowledged before it (folded in on record).
    for (const s of sent) expect(statusRank(s.json.status), s.json.to).toBeGreaterThanOrEqual(statusRank(ackedBefore.get(s.json.to)!));

    const byId = new Map(sent.map(s => [s.json.id as string, s.json]));
    const log = async () => {
      const all: SyncEvent[] = [];
      let after = '';
      for (;;) {
        const page = (await w.api('GET', `/api/sync?limit=1000${after ? `&after=${after}` : ''}`, undefined, TOKENS.sue)).json;
        all.push(...page.events);
        if (!page.hasMore) return all;
        after = page.cursor;
      }
    };
    const lastState = (list: SyncEvent[]) => {
      const m = new Map<string, SyncEvent['message']>();
      for (const e of [...list].sort((a, b) => (a.cursor < b.cursor ? -1 : 1))) m.set(e.message.id, e.message);
      return m;
    };
    const matches = (m: SyncEvent['message'] | undefined) => {
      const plan = m && plans.get(m.to);
      return !!plan && m!.status === plan.final && m!.errorCode === plan.code && m!.errorClass === plan.cls && !m!.stuck;
    };
    // The store: every message in its final state.
    const synced = await eventually(log, list => { const s = lastState(list); return [...byId.keys()].every(id => matches(s.get(id))); }, 10_000);
    // The socket, ordered by cursor, ends in the same state.
    await eventually(() => lastState(events), s => [...byId.keys()].every(id => matches(s.get(id))), 10_000);
    for (const id of byId.keys()) {
      const trail = synced.filter(e => e.message.id === id).map(e => e.message.status);
      // created, provider id recorded (early callbacks folded in), then only strict increases.
      for (let k = 2; k < trail.length; k++) expect(statusRank(trail[k]), `${id}: ${trail.join(' → ')}`).toBeGreaterThan(statusRank(trail[k - 1]));
      expect(synced.filter(e => e.message.id === id)[1].message.providerMessageId).not.toBeNull();
    }
    const cursors = synced.map(e => e.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect([...cursors].sort()).toEqual(cursors);
    // Threads agree with the log.
    const threads = (await w.api('GET', '/api/threads?limit=500', undefined, TOKENS.sue)).json.threads;
    for (const id of byId.keys()) expect(matches(threads.find((t: any) => t.lastOutbound?.id === id)?.lastOutbound), id).toBe(true);
  });
});
