// The failed view's pure parts: filters sent to the server, the CSV export, bulk resend planning and pacing.
import { describe, expect, it, vi } from 'vitest';
import type { Me, Message, Thread } from '../../../domain/types';
import { planBulk, runBulk, summarize } from '../bulk';
import { CSV_HEADER, apiFilter, threadsCsv } from '../failed';
import { EMPTY_FILTER } from '../store';

const ME = {
  id: 'sue', name: 'Sue Sato', role: 'supervisor', orgId: 'o', orgName: 'Acme',
  locations: [{ id: 'north', name: 'North Clinic', timezone: 'America/New_York', country: 'US' }],
  connections: [], templates: [], members: [{ id: 'ana', name: 'Ana Alvarez', role: 'agent' }, { id: 'sue', name: 'Sue Sato', role: 'supervisor' }],
} as Me;
const NOON = new Date('2026-11-20T17:00:00.000Z');
const NIGHT = new Date('2026-11-21T03:30:00.000Z');

function msg(over: Partial<Message> = {}): Message {
  return {
    id: 'm1', orgId: 'o', locationId: 'north', threadId: 't1', connectionId: 'c', provider: 'twilio', providerMessageId: 'SM1',
    direction: 'outbound', from: '+12125550100', to: '+14155550003', body: 'Please call us', status: 'undelivered', errorCode: '30003',
    errorClass: 'temporary', stuck: false, attempt: 1, resendOf: null, sentBy: 'ana', scheduledFor: null,
    createdAt: '2026-11-20T15:02:00.000Z', updatedAt: '2026-11-20T15:03:00.000Z', ...over,
  };
}
function thread(id: string, m: Partial<Message> = {}, over: Partial<Thread> = {}): Thread {
  const last = msg({ id: `m-${id}`, threadId: id, ...m });
  return { id, orgId: 'o', locationId: 'north', contactPhone: last.to, contactName: 'James Carter', optedOut: false, lastMessage: last, lastOutbound: last, updatedAt: last.updatedAt, ...over };
}

describe('failed view filter', () => {
  const now = Date.parse('2026-11-20T17:00:00.000Z');
  it('always stays within failed, undelivered and stuck, and passes every other filter', () => {
    expect(apiFilter(EMPTY_FILTER, now)).toMatchObject({ status: ['failed', 'undelivered', 'stuck'], errorCode: [] });
    const f = apiFilter({ ...EMPTY_FILTER, status: ['stuck'], errorClass: ['filtered'], errorCode: '30007, 30006 ', location: 'north', agent: 'ana', connection: 'c1', q: ' maria ', range: '24h' }, now);
    expect(f).toEqual({
      status: ['stuck'], errorClass: ['filtered'], errorCode: ['30007', '30006'], location: 'north', agent: 'ana', connection: 'c1', q: 'maria',
      since: '2026-11-19T17:00:00.000Z',
    });
  });

  it('turns a custom range of days into [since, until) instants', () => {
    const f = apiFilter({ ...EMPTY_FILTER, range: 'custom', from: '2026-11-01', to: '2026-11-02' }, now);
    expect(Date.parse(f.until!) - Date.parse(f.since!)).toBe(2 * 86_400_000);
  });
});

describe('CSV export', () => {
  it('writes one guarded, escaped row per thread with names, reasons and numbers', () => {
    const csv = threadsCsv([
      thread('t1', {}, { contactName: '=cmd|"/c calc"!A1' }),
      thread('t2', { status: 'sent', stuck: true, errorCode: null, errorClass: null, body: 'Line one\nline "two"' }, { contactName: 'Tom, Jr.' }),
    ], ME);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines[1]).toBe(`"'=cmd|""/c calc""!A1",'+14155550003,North Clinic,undelivered,30003,temporary,handset unreachable — phone off or out of coverage (30003),1,Ana Alvarez,'+12125550100,2026-11-20T15:02:00.000Z,Please call us,t1`);
    expect(csv).toContain('"Tom, Jr."');
    expect(csv).toContain(',stuck,,,no delivery report,');
    expect(csv).toContain('"Line one\nline ""two"""');
  });
});

describe('bulk resend', () => {
  const followUp = { id: 'follow-up', name: 'Follow-up', body: 'Hi {{firstName}}, please call us back.' };
  const withDate = { id: 'reminder', name: 'Reminder', body: 'Hi {{firstName}}, see you {{date}}.' };

  it('plans each thread: resend, or skip with the contract\'s reason', () => {
    const items = planBulk([
      thread('ok'),
      thread('landline', { errorCode: '30006', errorClass: 'permanent' }),
      thread('stop', {}, { optedOut: true }),
      thread('filtered', { errorCode: '30007', errorClass: 'filtered' }),
      thread('third', { attempt: 3 }),
    ], { template: null, schedule: true }, ME, NOON);
    expect(items.map(i => (i.plan.send ? 'send' : i.plan.reason))).toEqual([
      'send',
      'this number cannot receive texts (permanent error)',
      'the contact has opted out',
      'the carrier filtered this text: edit it before resending',
      'this text was already tried three times',
    ]);
  });

  it('with a template, fills names from the contact, sends filtered ones, skips a missing field', () => {
    const [filtered] = planBulk([thread('f', { errorClass: 'filtered' })], { template: followUp, schedule: false }, ME, NOON);
    expect(filtered.plan).toMatchObject({ send: true, preview: 'Hi James, please call us back.', request: { templateId: 'follow-up', vars: { firstName: 'James' } } });
    const [missing] = planBulk([thread('m')], { template: withDate, schedule: false }, ME, NOON);
    expect(missing.plan).toEqual({ send: false, reason: 'no value for date' });
  });

  it('schedules quiet-hour resends for 08:00 when asked, skips them otherwise', () => {
    expect(planBulk([thread('q')], { template: null, schedule: true }, ME, NIGHT)[0].plan).toMatchObject({ send: true, scheduled: true, request: { schedule: true } });
    expect(planBulk([thread('q')], { template: null, schedule: false }, ME, NIGHT)[0].plan).toMatchObject({ send: false, reason: expect.stringContaining('quiet hours') });
  });

  it('sends one at a time with a pause between, reports skips at once, stops when canceled', async () => {
    const items = planBulk([thread('a'), thread('b', { errorClass: 'permanent' }), thread('c'), thread('d'), thread('e')], { template: null, schedule: true }, ME, NOON);
    const sleeps: number[] = [];
    const controller = new AbortController();
    let calls = 0;
    const resend = vi.fn(async (r: { messageId: string; idempotencyKey: string }) => {
      calls++;
      if (r.messageId === 'm-c') return { ok: false as const, error: { code: 'already_resent', message: 'x' } };
      if (r.messageId === 'm-d') { controller.abort(); return { ok: false as const, error: { code: 'unreachable', message: 'Cannot reach' } }; }
      return { ok: true as const, message: msg({ id: `new-${r.messageId}` }) };
    });
    let k = 0;
    const outcomes = await runBulk(items, {
      intervalMs: 2_000, resend, key: () => `key-${++k}`, signal: controller.signal,
      sleep: async ms => { sleeps.push(ms); },
    });
    expect(outcomes.map(o => [o.thread.id, o.result])).toEqual([['b', 'skipped'], ['a', 'queued'], ['c', 'skipped'], ['d', 'failed'], ['e', 'canceled']]);
    expect(sleeps).toEqual([2_000, 2_000, 2_000]);
    expect(calls).toBe(3);
    expect(new Set(resend.mock.calls.map(c => c[0].idempotencyKey)).size).toBe(3);
    expect(summarize(outcomes)).toEqual({ queued: 1, skipped: 2, failed: 1, canceled: 1 });
  });
});

describe('export paging', () => {
  it('follows the cursor through every page', async () => {
    const { allThreads } = await import('../failed');
    const pages = [
      { threads: [thread('a'), thread('b')], cursor: 'c1', hasMore: true },
      { threads: [thread('c')], cursor: 'c2', hasMore: false },
    ];
    const seen: (string | null | undefined)[] = [];
    const api = { findThreads: vi.fn(async (_f: unknown, p: { limit: number; cursor?: string | null }) => { seen.push(p.cursor); return pages.shift()!; }) };
    const progress: number[] = [];
    const all = await allThreads(api as never, { status: ['failed'] }, n => progress.push(n));
    expect(all.map(t => t.id)).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual([null, 'c1']);
    expect(api.findThreads.mock.calls.every(c => c[1].limit === 500)).toBe(true);
    expect(progress).toEqual([2, 3]);
  });
});
