// Status trails are kept from every snapshot, and a contact's conversation reads back from IndexedDB with
// its trails and waiting texts, over all its threads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppDB } from '../../../utils/db';
import { resendsOf } from '../../../utils/conversation';
import { loadConversation } from '../../../utils/conversationDb';
import { applyMessages, claimDb } from '../db';
import { at, message } from './factories';

let db: AppDB;
let n = 0;
beforeEach(async () => {
  db = new AppDB(`conversation-${++n}`);
  await db.open();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('conversation from IndexedDB', () => {
  it('keeps each status step with its time, also from snapshots that arrive late or twice', async () => {
    const queued = message({ id: 'm1', createdAt: at(0), updatedAt: at(0) });
    const sent = { ...queued, status: 'sent' as const, updatedAt: at(2) };
    const failed = { ...queued, status: 'undelivered' as const, errorCode: '30003', errorClass: 'temporary' as const, updatedAt: at(65) };
    const r1 = await applyMessages(db, [queued]);
    expect([...r1.touched]).toEqual(['+14155550134']);
    await applyMessages(db, [failed]);
    const late = await applyMessages(db, [sent, sent]); // older than what is stored, yet a step we had not seen
    expect(late.written).toBe(0);
    expect([...late.touched]).toEqual(['+14155550134']);
    expect((await applyMessages(db, [sent])).touched.size).toBe(0);

    const c = await loadConversation(db, '+14155550134');
    expect(c.messages.map(m => [m.id, m.status])).toEqual([['m1', 'undelivered']]);
    expect(c.trails.m1.map(s => [s.step, s.at, s.errorCode])).toEqual([
      ['queued', at(0), null], ['sent', at(2), null], ['undelivered', at(65), '30003'],
    ]);
  });

  it('gathers the texts of every thread with the phone, oldest first, with resends linked and waiting texts', async () => {
    const first = message({ id: 'a', threadId: 'north', createdAt: at(0), updatedAt: at(0), status: 'undelivered', errorClass: 'temporary' });
    const reply = message({ id: 'b', threadId: 'south', locationId: 'acme-south', direction: 'inbound', from: '+14155550134', to: '+13125550100', createdAt: at(30), updatedAt: at(30), status: 'delivered' });
    const again = message({ id: 'c', threadId: 'north', createdAt: at(60), updatedAt: at(60), attempt: 2, resendOf: 'a', sentBy: 'ben' });
    await applyMessages(db, [again, first, reply]);
    await applyMessages(db, [message({ id: 'other', to: '+12125550188', threadId: 'emma' })]);
    await db.outbox.add({
      key: 'k', account: 'x', kind: 'send', to: '+14155550134', resendOf: null, request: { body: 'secret request' }, preview: 'See you soon',
      sentBy: 'ana', createdAt: at(90), state: 'waiting', attempts: 1, nextAt: 0, error: null,
    });
    const c = await loadConversation(db, '+14155550134');
    expect(c.messages.map(m => m.id)).toEqual(['a', 'b', 'c']);
    expect(c.threads.map(t => t.id).sort()).toEqual(['north', 'south']);
    expect(resendsOf(c.messages).get('a')?.sentBy).toBe('ben');
    expect(c.outbox).toEqual([expect.objectContaining({ key: 'k', preview: 'See you soon', state: 'waiting' })]);
    // What goes to a page never carries the account key or the raw request.
    expect(c.outbox[0]).not.toHaveProperty('account');
    expect(c.outbox[0]).not.toHaveProperty('request');
  });

  it('forgets trails and unsent texts with the rest when the account changes', async () => {
    await claimDb(db, 'one');
    await applyMessages(db, [message({ id: 'm1' })], { owner: 'one' });
    await db.outbox.add({
      key: 'k', account: 'one', kind: 'send', to: '+14155550134', resendOf: null, request: {}, preview: '', sentBy: null,
      createdAt: at(0), state: 'waiting', attempts: 0, nextAt: 0, error: null,
    });
    expect(await claimDb(db, 'two')).toBe(true);
    expect(await db.trail.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });
});
