// Storage contract tests: the same on SQLite and PostgreSQL (the server-postgres project reruns this file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../app';
import { hashToken } from '../auth';
import { createTestDatabase, testBackend } from '../testing';
import type { Connection, Store } from '../store/types';
import { worldSeed } from './helpers/world';

let store: Store;
let drop: () => Promise<void>;
let conn: Connection;
beforeAll(async () => {
  const db = await createTestDatabase(testBackend());
  drop = db.drop;
  store = await openStore(db.url);
  await store.applySeed(worldSeed('http://127.0.0.1:9'), hashToken);
  conn = (await store.connection('tw-north'))!;
});
afterAll(async () => { await store.close(); await drop(); });

const scope = { orgId: 'acme', locationIds: null };
const update = (pmid: string, status: 'sent' | 'delivered' | 'undelivered', eventId?: string) =>
  ({ connectionId: 'tw-north', providerMessageId: pmid, status, errorCode: status === 'undelivered' ? '30003' : null, errorClass: status === 'undelivered' ? 'temporary' as const : null, eventId });

describe(`store contract (${testBackend()})`, () => {
  it('ignores a replayed provider event id, in separate batches and within one', async () => {
    const m = await store.createOutbound({ connection: conn, to: '+14155550801', body: 'x', sentBy: 'ana' });
    await store.recordProviderId(m.message.id, 'SMreplay1');
    const [first] = await store.applyStatuses([update('SMreplay1', 'sent', 'evt-1')]);
    expect(first && first !== 'pending' && first.message.status).toBe('sent');
    // The same event again, even claiming a higher status, is a replay: nothing changes.
    expect(await store.applyStatuses([update('SMreplay1', 'delivered', 'evt-1')])).toEqual([null]);
    const both = await store.applyStatuses([update('SMreplay1', 'undelivered', 'evt-2'), update('SMreplay1', 'delivered', 'evt-2')]);
    expect(both.filter(r => r && r !== 'pending')).toHaveLength(1);
    expect((await store.message(scope, m.message.id))!.status).toBe('undelivered');
    await store.purgeWebhookEvents(new Date(Date.now() + 1000).toISOString());
    expect((await store.applyStatuses([update('SMreplay1', 'delivered', 'evt-1')]))[0]).not.toBeNull();
  });

  it('folds a batch into one event per changed message, with cursors rising in the order the callbacks are answered', async () => {
    const a = await store.createOutbound({ connection: conn, to: '+14155550811', body: 'a', sentBy: 'ana' });
    const b = await store.createOutbound({ connection: conn, to: '+14155550812', body: 'b', sentBy: 'ana' });
    await store.recordProviderId(a.message.id, 'SMfoldA');
    await store.recordProviderId(b.message.id, 'SMfoldB');
    // A changes first and last: its one event answers its last callback, after B's.
    const r = await store.applyStatuses([update('SMfoldA', 'sent'), update('SMfoldB', 'sent'), update('SMfoldA', 'delivered')]);
    expect(r[0]).toBeNull();
    const [eb, ea] = [r[1], r[2]];
    if (!eb || eb === 'pending' || !ea || ea === 'pending') throw new Error(`expected two events, got ${JSON.stringify(r)}`);
    expect([eb.message.id, eb.message.status, ea.message.id, ea.message.status]).toEqual([b.message.id, 'sent', a.message.id, 'delivered']);
    expect(Number(ea.cursor)).toBeGreaterThan(Number(eb.cursor));
  });

  it('keeps a callback for an unknown provider id and applies it when the send is recorded', async () => {
    expect(await store.applyStatuses([update('SMearly1', 'delivered')])).toEqual(['pending']);
    const m = await store.createOutbound({ connection: conn, to: '+14155550802', body: 'x', sentBy: 'ana' });
    const [ev] = await store.recordProviderId(m.message.id, 'SMearly1');
    expect(ev.message).toMatchObject({ status: 'delivered', providerMessageId: 'SMearly1' });
  });

  it('claims a scheduled text once', async () => {
    const m = await store.createOutbound({ connection: conn, to: '+14155550803', body: 'x', sentBy: 'ana', scheduledFor: new Date(Date.now() - 1000).toISOString() });
    const now = new Date().toISOString();
    const [a, b] = await Promise.all([store.claimDueScheduled(now, 10), store.claimDueScheduled(now, 10)]);
    expect([...a, ...b].filter(x => x.id === m.message.id)).toHaveLength(1);
  });

  it('cursors increase and sync pages without gaps', async () => {
    const page = await store.sync(scope, null, 1000);
    const cursors = page.items.map(e => e.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    const half = await store.sync(scope, cursors[1], 1000);
    expect(half.items.map(e => e.cursor)).toEqual(cursors.slice(2));
  });
});
