// Property: any order, any repetition and any batching of status callbacks converges to the ladder's max
// (CONTRACT "Status"), straight on a real Store (SQLite file, or a fresh PostgreSQL database in the
// server-postgres project). Each generated history: messages in two orgs (provider ids collide across the
// orgs' connections on purpose), each with a random multiset of Twilio statuses, every callback duplicated
// 1–3 times, shuffled, cut into random group-commit batches; each send recorded at a random point, so some
// callbacks take the early path (Store.applyStatuses → 'pending', then recordProviderId), and a few sends
// are never recorded at all.
//
// Reproduce a failure: FC_SEED=<seed printed by fast-check> [FC_PATH=<path>] npx vitest run --project server convergence
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../app';
import { hashToken } from '../auth';
import { createTestDatabase, testBackend } from '../testing';
import { classifyError, type ErrorClass } from '../../domain/errorClass';
import { isFailure, statusRank, type Status } from '../../domain/status';
import type { Seed } from '../seed';
import type { Connection, Scope, StatusUpdate, Store, StoredEvent } from '../store/types';

const backend = testBackend();
// SQLite: thousands of histories. PostgreSQL: each history costs network round trips, so fewer.
const NUM_RUNS = Number(process.env.FC_RUNS) || (backend === 'postgres' ? 60 : 2000);

const CALLBACK_STATUSES: Status[] = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled'];
// Twilio codes across every class, plus one no table knows (→ unknown).
const CODES = ['30003', '30005', '30006', '30007', '30008', '21610', '21211', '424242'];

const ORGS = ['pa', 'pb'] as const;
const seed: Seed = {
  orgs: ORGS.map(org => ({
    id: org, name: `Prop ${org}`,
    locations: [{ id: `${org}-loc`, name: 'Loc', timezone: 'America/New_York', country: 'US' }],
    users: [{ id: `${org}-sup`, name: 'Sup', role: 'supervisor' as const, locations: [`${org}-loc`], token: `tok-${org}-prop` }],
    connections: [{ id: `${org}-tw`, provider: 'twilio', location: `${org}-loc`, numbers: [org === 'pa' ? '+12125550170' : '+12125550171'], secrets: { accountSid: 'AC' + '0'.repeat(32), authToken: 'x' } }],
    templates: [],
  })),
};

interface GenMessage {
  org: 0 | 1;
  /** The callbacks the provider sends, before duplication. */
  callbacks: Status[];
  /** How many times each callback arrives (1–3), index-aligned with `callbacks`. */
  copies: number[];
  /** Where each copy lands in the arrival order (sort keys). */
  positions: number[];
  /** Where the send's provider id gets recorded; null: never (the send was lost). */
  recordAt: number | null;
  /** The provider's error code for this message's failed / undelivered (a provider gives one per outcome)… */
  failedCode: string;
  undeliveredCode: string;
  /** …unless it contradicts itself: then each callback has its own code (index-aligned with `callbacks`),
   * and the code is the one of the callback that set the status: the first of the top rank to arrive. */
  contradicts: boolean;
  codes: string[];
}

const arbMessage: fc.Arbitrary<GenMessage> = fc.record({
  org: fc.constantFrom(0 as const, 1 as const),
  callbacks: fc.array(fc.constantFrom(...CALLBACK_STATUSES), { minLength: 0, maxLength: 7 }),
  copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 7, maxLength: 7 }),
  positions: fc.array(fc.nat(1000), { minLength: 21, maxLength: 21 }),
  recordAt: fc.option(fc.nat(1000), { freq: 12 }),
  failedCode: fc.constantFrom(...CODES),
  undeliveredCode: fc.constantFrom(...CODES),
  contradicts: fc.integer({ min: 0, max: 4 }).map(n => n === 0), // one message in five
  codes: fc.array(fc.constantFrom(...CODES), { minLength: 7, maxLength: 7 }),
});

const arbHistory = fc.record({
  messages: fc.array(arbMessage, { minLength: 1, maxLength: 6 }),
  /** For each arrival, whether a batch ends after it (a group commit flushes). */
  cuts: fc.array(fc.boolean(), { minLength: 130, maxLength: 130 }),
});

type Op =
  | { kind: 'record'; msg: number; pos: number; tie: number }
  | { kind: 'callback'; msg: number; status: Status; code: string | null; pos: number; tie: number };

function codeOf(m: GenMessage, j: number): string | null {
  const status = m.callbacks[j];
  if (!isFailure(status)) return null;
  if (m.contradicts) return m.codes[j];
  return status === 'failed' ? m.failedCode : m.undeliveredCode;
}

/**
 * The ladder's max over a message's callbacks, computed without regard to order; the error code is the one
 * of the first arrival of that status (order matters only when the provider contradicts itself).
 */
function expectedFinal(m: GenMessage, arrivals: Extract<Op, { kind: 'callback' }>[]): { status: Status; errorCode: string | null; errorClass: ErrorClass | null } {
  if (m.recordAt === null) return { status: 'queued', errorCode: null, errorClass: null };
  const status = m.callbacks.reduce<Status>((best, s) => (statusRank(s) > statusRank(best) ? s : best), 'queued');
  const code = isFailure(status) ? arrivals.find(a => a.status === status)!.code : null;
  if (!m.contradicts && isFailure(status)) expect(code).toBe(status === 'failed' ? m.failedCode : m.undeliveredCode);
  return { status, errorCode: code, errorClass: code === null ? null : classifyError('twilio', code) };
}

function shmSqlite(): { url: string; drop(): Promise<void> } {
  const dir = fs.mkdtempSync('/dev/shm/texttrail-prop-');
  return { url: `file:${path.join(dir, 'prop.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

let store: Store;
let drop: () => Promise<void>;
const connections: Connection[] = [];
const scopes: Scope[] = ORGS.map(orgId => ({ orgId, locationIds: null }));
const lastCursor: (string | null)[] = [null, null];
let runNo = 0;

beforeAll(async () => {
  // SQLite on tmpfs where there is one: the store is the same (WAL, synchronous=FULL), but an fsync costs
  // nothing there, so thousands of histories fit in seconds. Durability itself is the SIGKILL test's job.
  const db = backend === 'sqlite' && fs.existsSync('/dev/shm') ? shmSqlite() : await createTestDatabase(backend);
  drop = db.drop;
  store = await openStore(db.url);
  await store.applySeed(seed, hashToken);
  for (const org of ORGS) connections.push((await store.connection(`${org}-tw`))!);
});
afterAll(async () => { await store?.close(); await drop?.(); });

async function syncAll(org: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (;;) {
    const page = await store.sync(scopes[org], lastCursor[org], 1000);
    out.push(...page.items);
    lastCursor[org] = page.cursor;
    if (!page.hasMore) return out;
  }
}

async function runHistory(h: { messages: GenMessage[]; cuts: boolean[] }): Promise<void> {
  const run = ++runNo;
  // Start from the log's end, so a failed run (or its shrinking) never leaks events into the next one.
  for (const org of [0, 1]) await syncAll(org);
  const sidCounter = [0, 0];
  // Provider ids count per connection, so the two orgs' connections share ids: keys are (connection, id).
  const sids = h.messages.map(m => `SMp${run}x${sidCounter[m.org]++}`);
  const connOf = (i: number) => connections[h.messages[i].org];

  // Every send is recorded as queued before anything else (as createAndSend does).
  const returned: StoredEvent[][] = [[], []]; // per org, in the order the store answered
  const ids: string[] = [];
  for (const [i, m] of h.messages.entries()) {
    const created = await store.createOutbound({ connection: connOf(i), to: `+1646555${String(run % 10000).padStart(4, '0')}`, body: `run ${run} #${i}`, sentBy: `${ORGS[m.org]}-sup` });
    expect(created.message).toMatchObject({ status: 'queued', providerMessageId: null });
    returned[m.org].push(created);
    ids.push(created.message.id);
  }

  // The arrival order: every copy of every callback, and each recordProviderId, sorted by generated position.
  const ops: Op[] = [];
  let tie = 0;
  h.messages.forEach((m, i) => {
    let k = 0;
    m.callbacks.forEach((status, j) => {
      for (let c = 0; c < m.copies[j]; c++) ops.push({ kind: 'callback', msg: i, status, code: codeOf(m, j), pos: m.positions[k++ % m.positions.length], tie: tie++ });
    });
    if (m.recordAt !== null) ops.push({ kind: 'record', msg: i, pos: m.recordAt, tie: tie++ });
  });
  ops.sort((a, b) => a.pos - b.pos || a.tie - b.tie);

  // The model, updated the way the ladder says, to predict each answer.
  const state = h.messages.map(() => ({ status: 'queued' as Status, recorded: false }));
  const pendingStatuses: Status[][] = h.messages.map(() => []);
  let batch: Extract<Op, { kind: 'callback' }>[] = [];

  const flush = async () => {
    if (!batch.length) return;
    const updates: StatusUpdate[] = batch.map(op => ({
      connectionId: connOf(op.msg).id, providerMessageId: sids[op.msg], status: op.status,
      errorCode: op.code, errorClass: op.code === null ? null : classifyError('twilio', op.code),
    }));
    const results = await store.applyStatuses(updates);
    expect(results).toHaveLength(updates.length);
    // Per message: the sequential ladder tells which arrivals change it; the store answers with an event at
    // one or more of those (a backend may fold several changes of one transaction into one event), none
    // elsewhere, and the last event carries the state after the batch.
    const byMsg = new Map<number, { increases: number; events: StoredEvent[] }>();
    batch.forEach((op, k) => {
      const s = state[op.msg];
      const r = results[k];
      const entry = byMsg.get(op.msg) ?? { increases: 0, events: [] };
      byMsg.set(op.msg, entry);
      if (!s.recorded) {
        expect(r, `callback before the send is recorded → pending (msg ${op.msg} ${op.status})`).toBe('pending');
        pendingStatuses[op.msg].push(op.status);
        return;
      }
      const changes = statusRank(op.status) > statusRank(s.status);
      if (changes) { s.status = op.status; entry.increases++; }
      expect(r, `pending for a recorded send (msg ${op.msg})`).not.toBe('pending');
      if (r !== null && r !== 'pending') {
        expect(changes, `an event for a callback that changed nothing (msg ${op.msg} ${op.status})`).toBe(true);
        expect(r.message.id).toBe(ids[op.msg]);
        entry.events.push(r);
        returned[h.messages[op.msg].org].push(r);
      }
    });
    for (const [i, e] of byMsg) {
      if (!state[i].recorded) { expect(e.events).toHaveLength(0); continue; }
      if (e.increases === 0) expect(e.events).toHaveLength(0);
      else {
        expect(e.events.length).toBeGreaterThanOrEqual(1);
        expect(e.events.length).toBeLessThanOrEqual(e.increases);
        // Both backends fold a batch: one event per changed message, with its state after the batch
        // (sqlite.ts and postgres.ts applyStatuses).
        expect(e.events.length).toBe(1);
        expect(e.events.at(-1)!.message.status).toBe(state[i].status);
      }
    }
    batch = [];
  };

  for (const [n, op] of ops.entries()) {
    if (op.kind === 'callback') {
      batch.push(op);
      if (h.cuts[n % h.cuts.length]) await flush();
      continue;
    }
    await flush();
    const events = await store.recordProviderId(ids[op.msg], sids[op.msg]);
    const s = state[op.msg];
    s.recorded = true;
    for (const p of pendingStatuses[op.msg]) if (statusRank(p) > statusRank(s.status)) s.status = p;
    expect(events, 'recordProviderId logs one event').toHaveLength(1);
    expect(events[0].message).toMatchObject({ id: ids[op.msg], providerMessageId: sids[op.msg], status: s.status });
    returned[h.messages[op.msg].org].push(...events);
  }
  await flush();

  // Cursors strictly increase within each org, and the log holds exactly what the store answered: no
  // hidden event for a duplicate, nothing missing, the same order.
  for (const org of [0, 1]) {
    const cursors = returned[org].map(e => e.cursor);
    for (let k = 1; k < cursors.length; k++) {
      expect(cursors[k] > cursors[k - 1], `cursor ${cursors[k]} after ${cursors[k - 1]}`).toBe(true);
      expect(Number(cursors[k])).toBeGreaterThan(Number(cursors[k - 1]));
    }
    const logged = await syncAll(org);
    expect(logged.map(e => e.cursor)).toEqual(cursors);
    expect(logged.map(e => e.message)).toEqual(returned[org].map(e => e.message));
  }

  for (const [i, m] of h.messages.entries()) {
    const want = expectedFinal(m, ops.filter((o): o is Extract<Op, { kind: 'callback' }> => o.kind === 'callback' && o.msg === i));
    // The order-free max agrees with the step-by-step model, and with the store.
    expect(state[i].status).toBe(want.status);
    const got = await store.message(scopes[m.org], ids[i]);
    expect(got, `message ${i}`).toMatchObject({ ...want, stuck: false, providerMessageId: m.recordAt === null ? null : sids[i] });
    const last = returned[m.org].filter(e => e.message.id === ids[i]).at(-1)!.message;
    expect(last).toMatchObject({ ...want, stuck: false });
    // Events of a message: its creation, its provider id, then only strict rank increases.
    const mine = returned[m.org].filter(e => e.message.id === ids[i]).map(e => e.message.status);
    const afterRecord = mine.slice(2);
    for (let k = 1; k < afterRecord.length; k++) expect(statusRank(afterRecord[k])).toBeGreaterThan(statusRank(afterRecord[k - 1]));
    if (mine.length > 2) expect(statusRank(afterRecord[0])).toBeGreaterThan(statusRank(mine[1]));
    if (isFailure(want.status)) expect(got!.errorCode).not.toBeNull();
  }
}

describe(`callback convergence, property-based (${backend})`, () => {
  it(`any order, repetition and batching ends at the ladder's max, with one event per change at most (${NUM_RUNS} histories)`, async () => {
    const params: fc.Parameters<[{ messages: GenMessage[]; cuts: boolean[] }]> = {
      numRuns: NUM_RUNS,
      ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
      ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
    };
    // On failure fast-check's message names the seed and the path of the shrunk counterexample.
    await fc.assert(fc.asyncProperty(arbHistory, runHistory), params);
  }, 120_000);

  it('a duplicate of a callback already applied creates no event, in a batch of its own or beside others', async () => {
    const c = connections[0];
    const m = await store.createOutbound({ connection: c, to: '+16465559001', body: 'dup', sentBy: 'pa-sup' });
    await store.recordProviderId(m.message.id, 'SMdup-fixed');
    const u = (status: Status): StatusUpdate => ({ connectionId: c.id, providerMessageId: 'SMdup-fixed', status, errorCode: null, errorClass: null });
    await syncAll(0); // from here on, count what is new
    const [first] = await store.applyStatuses([u('delivered')]);
    expect(first && first !== 'pending' && first.message.status).toBe('delivered');
    expect(await store.applyStatuses([u('delivered')])).toEqual([null]);
    expect(await store.applyStatuses([u('delivered'), u('sent'), u('delivered')])).toEqual([null, null, null]);
    expect(await store.applyStatus(u('queued'))).toBeNull();
    expect((await syncAll(0)).map(e => e.message.status)).toEqual(['delivered']);
  });
});
