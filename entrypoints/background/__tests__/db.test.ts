import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppDB, META_CURSOR } from '../../../utils/db';
import { applyMessages, applyThreads, badgesFor, claimDb, isNewerVersion, readCursor, supersedes } from '../db';
import { at, message, thread } from './factories';

let db: AppDB;
let n = 0;
beforeEach(async () => {
  db = new AppDB(`test-${++n}`);
  await db.open();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('merging message versions', () => {
  it('keeps the newer version whatever order they arrive in', async () => {
    const queued = message({ id: 'm1', status: 'queued', updatedAt: at(0) });
    const sent = { ...queued, status: 'sent' as const, updatedAt: at(1) };
    const delivered = { ...queued, status: 'delivered' as const, updatedAt: at(2) };
    await applyMessages(db, [delivered]);
    await applyMessages(db, [queued, sent]);
    expect((await db.messages.get('m1'))?.status).toBe('delivered');
    expect((await badgesFor(db, ['+14155550134']))['+14155550134'].status).toBe('delivered');
  });

  it('on equal timestamps the higher status wins and a repeat changes nothing', async () => {
    const sent = message({ id: 'm1', status: 'sent', updatedAt: at(5) });
    const delivered = { ...sent, status: 'delivered' as const };
    expect(isNewerVersion(delivered, sent)).toBe(true);
    expect(isNewerVersion(sent, delivered)).toBe(false);
    await applyMessages(db, [delivered]);
    const again = await applyMessages(db, [sent]);
    expect(again.written).toBe(0);
    expect(again.phones.size).toBe(0);
    expect((await db.messages.get('m1'))?.status).toBe('delivered');
  });

  it('a batch holding several versions of one message keeps the newest', async () => {
    const base = message({ id: 'm1' });
    const r = await applyMessages(db, [
      { ...base, status: 'sent', updatedAt: at(2) },
      { ...base, status: 'queued', updatedAt: at(1) },
      { ...base, status: 'delivered', updatedAt: at(3) },
    ]);
    expect(r.written).toBe(1);
    expect((await db.messages.get('m1'))?.status).toBe('delivered');
  });

  it('reports the phones whose badge changed and threads seen for the first time', async () => {
    const r = await applyMessages(db, [message({ to: '+14155550134' }), message({ to: '+12125550188', threadId: 'thr_emma' })]);
    expect([...r.phones].sort()).toEqual(['+12125550188', '+14155550134']);
    expect(r.newThreads).toBe(2);
  });
});

describe('what a badge shows', () => {
  it('the newest outbound text: a resend (newer attempt) replaces the failed original', async () => {
    const failed = message({ id: 'm1', status: 'undelivered', errorCode: '30003', errorClass: 'temporary', createdAt: at(0), updatedAt: at(5) });
    const resend = message({ id: 'm2', status: 'queued', attempt: 2, resendOf: 'm1', createdAt: at(60), updatedAt: at(60) });
    await applyMessages(db, [resend, failed]);
    const badge = (await badgesFor(db, ['+14155550134']))['+14155550134'];
    expect(badge).toMatchObject({ status: 'queued', messageId: 'm2' });
    // A late callback for the original updates it, but the badge stays on the newest attempt.
    await applyMessages(db, [{ ...failed, updatedAt: at(90) }]);
    expect((await badgesFor(db, ['+14155550134']))['+14155550134'].messageId).toBe('m2');
  });

  it('inbound texts do not change the badge, but do move the thread', async () => {
    const out = message({ id: 'm1', status: 'delivered', createdAt: at(0), updatedAt: at(3) });
    const reply = message({ id: 'm2', direction: 'inbound', from: '+14155550134', to: '+12125550100', status: 'delivered', createdAt: at(100), updatedAt: at(100) });
    const r = await applyMessages(db, [out, reply]);
    expect((await badgesFor(db, ['+14155550134']))['+14155550134'].messageId).toBe('m1');
    const t = await db.threads.get('thr_maria');
    expect(t?.lastMessage?.id).toBe('m2');
    expect(t?.updatedAt).toBe(at(100));
    expect(r.phones.has('+14155550134')).toBe(true);
  });

  it('stuck shows as stuck, failures carry their code and class, unknown phones show none', async () => {
    await applyMessages(db, [
      message({ to: '+14155559999', threadId: 't1', status: 'sent', stuck: true }),
      message({ to: '+16465550006', threadId: 't2', status: 'undelivered', errorCode: '30006', errorClass: 'permanent' }),
    ]);
    const b = await badgesFor(db, ['+14155559999', '+16465550006', '+13125550142']);
    expect(b['+14155559999'].status).toBe('stuck');
    expect(b['+16465550006']).toMatchObject({ status: 'undelivered', errorCode: '30006', errorClass: 'permanent', provider: 'simulator' });
    expect(b['+13125550142'].status).toBe('none');
  });

  it('across two locations\' threads with one contact, the newest text wins', async () => {
    await applyMessages(db, [
      message({ id: 'north', threadId: 't-north', status: 'delivered', createdAt: at(0), updatedAt: at(1) }),
      message({ id: 'south', threadId: 't-south', locationId: 'acme-south', status: 'failed', createdAt: at(30), updatedAt: at(31) }),
    ]);
    expect((await badgesFor(db, ['+14155550134']))['+14155550134'].messageId).toBe('south');
    expect(supersedes(message({ createdAt: at(5), attempt: 2 }), message({ createdAt: at(5), attempt: 1 }))).toBe(true);
  });
});

describe('threads, cursor and account', () => {
  it('thread summaries from the server bring names and opt-out state', async () => {
    await applyMessages(db, [message({ id: 'm1' })]);
    const r = await applyThreads(db, [thread({ contactName: 'Maria Lopez', optedOut: true, lastOutbound: message({ id: 'm1', status: 'sent', updatedAt: at(9) }) })]);
    expect(r.phones.has('+14155550134')).toBe(true);
    const b = (await badgesFor(db, ['+14155550134']))['+14155550134'];
    expect(b).toMatchObject({ contactName: 'Maria Lopez', optedOut: true, status: 'sent' });
  });

  it('stores the cursor in the same transaction as the data', async () => {
    expect(await readCursor(db)).toBeNull();
    await applyMessages(db, [message()], { cursor: '0000000000000042' });
    expect(await readCursor(db)).toBe('0000000000000042');
    expect((await db.meta.get(META_CURSOR))?.value).toBe('0000000000000042');
  });

  it('a database claimed by another account is wiped, and late writes for the old account are dropped', async () => {
    expect(await claimDb(db, 'server-a|token-a')).toBe(true);
    await applyMessages(db, [message({ id: 'm1' })], { cursor: '5', owner: 'server-a|token-a' });
    expect(await claimDb(db, 'server-a|token-a')).toBe(false);
    expect(await db.messages.count()).toBe(1);

    expect(await claimDb(db, 'server-b|token-b')).toBe(true);
    expect(await db.messages.count()).toBe(0);
    expect(await readCursor(db)).toBeNull();
    const late = await applyMessages(db, [message({ id: 'm2' })], { cursor: '9', owner: 'server-a|token-a' });
    expect(late.written).toBe(0);
    expect(await db.messages.count()).toBe(0);
    expect(await readCursor(db)).toBeNull();
  });
});
