// The outbox sends each text exactly once: offline texts wait in IndexedDB (fake-indexeddb here) and go out
// on reconnect; a lost answer is retried with the same Idempotency-Key and the (fake) server, which keeps
// keys like the real one, does not send it again; a double submit, a flush racing a submit and a restarted
// worker all end in one provider send.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../domain/types';
import { AppDB } from '../../../utils/db';
import { ApiError, type Api } from '../api';
import { applyMessages } from '../db';
import { OUTBOX_MAX_AGE_MS, Outbox, type NewOutboxItem } from '../outbox';
import { message } from './factories';

type Mode = 'up' | 'offline' | 'lose-answer' | 'overloaded';

/** A server that remembers Idempotency-Keys: a repeated key gets the first answer, and nothing is sent again. */
function fakeServer() {
  const byKey = new Map<string, { ok: boolean; value: Message | ApiError }>();
  const state = { mode: 'up' as Mode, providerSends: 0, requests: 0, refuse: null as null | { status: number; code: string } };
  const handle = async (key: string | undefined, build: () => Message): Promise<Message> => {
    state.requests++;
    if (state.mode === 'offline') throw new ApiError(0, 'unreachable', 'cannot reach the TextTrail server');
    if (state.mode === 'overloaded') throw new ApiError(503, 'http_503', 'try later');
    const seen = key ? byKey.get(key) : undefined;
    let outcome = seen;
    if (!outcome) {
      if (state.refuse) outcome = { ok: false, value: new ApiError(state.refuse.status, state.refuse.code, state.refuse.code) };
      else { state.providerSends++; outcome = { ok: true, value: build() }; }
      if (key) byKey.set(key, outcome);
    }
    // The server did the work, but the answer never reaches the extension.
    if (state.mode === 'lose-answer') throw new ApiError(0, 'unreachable', 'cannot reach the TextTrail server');
    if (!outcome.ok) throw outcome.value;
    return outcome.value as Message;
  };
  let seq = 0;
  const api = {
    sendMessage: (body: { to: string; body?: string }, key?: string) =>
      handle(key, () => message({ id: `srv_${++seq}`, to: body.to, body: body.body ?? '', threadId: 'thr_x' })),
    resend: (id: string, body: { body?: string }, key?: string) =>
      handle(key, () => message({ id: `srv_${++seq}`, resendOf: id, attempt: 2, body: body.body ?? 'again', threadId: 'thr_x' })),
  } as unknown as Api;
  return { api, state };
}

let db: AppDB;
let n = 0;
let server: ReturnType<typeof fakeServer>;
let connected: boolean;
let clock: number;
let changed: string[];

function outbox(): Outbox {
  return new Outbox({
    db,
    current: () => (connected ? { api: server.api, account: 'acct' } : null),
    accepted: async m => { await applyMessages(db, [m]); },
    changed: phone => changed.push(phone),
    now: () => clock,
  });
}

const item = (key: string, over: Partial<NewOutboxItem> = {}): NewOutboxItem => ({
  key, account: 'acct', kind: 'send', to: '+14155550134', resendOf: null,
  request: { to: '+14155550134', body: `text ${key}` }, preview: `text ${key}`, sentBy: 'ana', ...over,
});

beforeEach(async () => {
  db = new AppDB(`outbox-${++n}`);
  await db.open();
  server = fakeServer();
  connected = true;
  clock = Date.parse('2026-11-20T15:00:00.000Z');
  changed = [];
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('outbox', () => {
  it('sends online at once and keeps nothing behind', async () => {
    const box = outbox();
    const out = await box.submit(item('k1'));
    expect(out).toMatchObject({ state: 'sent', message: { id: 'srv_1' } });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.messages.get('srv_1')).toBeTruthy();
    expect(server.state.providerSends).toBe(1);
    expect(changed).toContain('+14155550134');
  });

  it('keeps an offline text waiting with its key and sends it once on reconnect, in order', async () => {
    const box = outbox();
    server.state.mode = 'offline';
    expect(await box.submit(item('k1'))).toMatchObject({ state: 'waiting', error: { code: 'unreachable' } });
    clock += 1;
    expect((await box.submit(item('k2'))).state).toBe('waiting');
    expect((await db.outbox.toArray()).map(r => [r.key, r.state])).toEqual([['k1', 'waiting'], ['k2', 'waiting']]);

    // Still offline: a flush tries the oldest, then stops (the rest would fail the same way).
    const before = server.state.requests;
    expect(await box.flush(true)).toEqual({ sent: 0, waiting: 2, refused: 0 });
    expect(server.state.requests - before).toBe(1);

    server.state.mode = 'up';
    const [a, b] = await Promise.all([box.flush(true), box.flush(true)]); // a reconnect and an alarm at once
    expect(a.sent + b.sent).toBe(2);
    expect(server.state.providerSends).toBe(2);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.messages.toArray()).map(m => m.body).sort()).toEqual(['text k1', 'text k2']);
  });

  it('retries a lost answer with the same key: the server does not send it again', async () => {
    const box = outbox();
    server.state.mode = 'lose-answer';
    expect((await box.submit(item('k1'))).state).toBe('waiting');
    expect(server.state.providerSends).toBe(1);
    server.state.mode = 'up';
    await box.flush(true);
    expect(server.state.providerSends).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.messages.count()).toBe(1);
  });

  it('sends a double-clicked submit once and answers both clicks with the same message', async () => {
    const box = outbox();
    const [a, b] = await Promise.all([box.submit(item('k1')), box.submit(item('k1'))]);
    expect(server.state.providerSends).toBe(1);
    expect(server.state.requests).toBe(1);
    expect(a).toEqual(b);
  });

  it('goes on after the worker restarts: a new outbox on the same database sends what waited', async () => {
    server.state.mode = 'offline';
    await outbox().submit(item('k1'));
    server.state.mode = 'up';
    const fresh = outbox(); // a new worker: nothing in memory
    expect(await fresh.flush()).toMatchObject({ sent: 0, waiting: 1 }); // backoff still running
    clock += 60_000;
    expect(await fresh.flush()).toMatchObject({ sent: 1 });
    expect(server.state.providerSends).toBe(1);
  });

  it('waits while not connected and for a server in trouble, with growing backoff', async () => {
    connected = false;
    const box = outbox();
    expect(await box.submit(item('k1'))).toMatchObject({ state: 'waiting' });
    expect(server.state.requests).toBe(0);
    connected = true;
    server.state.mode = 'overloaded';
    await box.flush(true);
    await box.flush(true);
    const row = await db.outbox.get('k1');
    expect(row).toMatchObject({ state: 'waiting', attempts: 2 });
    expect(row!.nextAt - clock).toBe(4_000);
  });

  it('drops a refusal the agent sees at once, keeps one found later until dismissed, and never retries it', async () => {
    const box = outbox();
    server.state.refuse = { status: 409, code: 'opted_out' };
    expect(await box.submit(item('k1'))).toMatchObject({ state: 'refused', error: { code: 'opted_out' } });
    expect(await db.outbox.count()).toBe(0);

    server.state.mode = 'offline';
    await box.submit(item('k2'));
    server.state.mode = 'up';
    expect(await box.flush(true)).toMatchObject({ refused: 1 });
    expect(await db.outbox.get('k2')).toMatchObject({ state: 'refused', error: { code: 'opted_out' } });
    const requests = server.state.requests;
    await box.flush(true);
    expect(server.state.requests).toBe(requests);
    await box.dismiss('k2');
    expect(await db.outbox.count()).toBe(0);
  });

  it('resends through the resend endpoint with the original id', async () => {
    const box = outbox();
    const out = await box.submit(item('r1', { kind: 'resend', resendOf: 'msg_orig', request: { body: 'edited' } }));
    expect(out).toMatchObject({ state: 'sent', message: { resendOf: 'msg_orig', attempt: 2, body: 'edited' } });
  });

  it('does not retry an item older than the server keeps keys: it could send twice', async () => {
    const box = outbox();
    server.state.mode = 'offline';
    await box.submit(item('k1'));
    server.state.mode = 'up';
    clock += OUTBOX_MAX_AGE_MS + 1;
    expect(await box.flush(true)).toMatchObject({ refused: 1 });
    expect(await db.outbox.get('k1')).toMatchObject({ state: 'expired' });
    expect(server.state.providerSends).toBe(0);
  });

  it('never sends another account\'s waiting text', async () => {
    const box = outbox();
    connected = false;
    await box.submit(item('k1', { account: 'someone-else' }));
    connected = true;
    await box.flush(true);
    expect(server.state.requests).toBe(0);
  });
});
