// The shared inbox's server side: Idempotency-Key, templates, counts, stats, members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Seed } from '../seed';
import { TOKENS, startWorld, statusParams, type World } from './helpers/world';

let w: World;
beforeAll(async () => { w = await startWorld(); });
afterAll(async () => { await w.close(); });

async function failed(to: string, code = '30003') {
  const r = await w.api('POST', '/api/messages', { to, body: 'See you tomorrow' });
  await w.callback(statusParams(r.json.providerMessageId, 'undelivered', { ErrorCode: code, To: to }));
  return r.json.id as string;
}

describe('Idempotency-Key', () => {
  it('a retry returns the same status and body and sends once', async () => {
    const sends = w.twilio.sends.length;
    const body = { to: '+14155550601', body: 'only once' };
    const first = await w.api('POST', '/api/messages', body, TOKENS.ana, { 'idempotency-key': 'k-send-1' });
    const again = await w.api('POST', '/api/messages', body, TOKENS.ana, { 'idempotency-key': 'k-send-1' });
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(w.twilio.sends.length).toBe(sends + 1);
    // The same key from another user is another key.
    const other = await w.api('POST', '/api/messages', body, TOKENS.sue, { 'idempotency-key': 'k-send-1' });
    expect(other.json.id).not.toBe(first.json.id);
  });

  it('the same key with a different body → 422 idempotency_mismatch, nothing sent', async () => {
    const sends = w.twilio.sends.length;
    await w.api('POST', '/api/messages', { to: '+14155550602', body: 'a' }, TOKENS.ana, { 'idempotency-key': 'k-send-2' });
    const r = await w.api('POST', '/api/messages', { to: '+14155550602', body: 'b' }, TOKENS.ana, { 'idempotency-key': 'k-send-2' });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('idempotency_mismatch');
    expect(w.twilio.sends.length).toBe(sends + 1);
  });

  it('remembers refusals too, and concurrent retries of one resend send once', async () => {
    const id = await failed('+14155550603');
    const sends = w.twilio.sends.length;
    const tries = await Promise.all([1, 2, 3, 4, 5].map(() => w.api('POST', `/api/messages/${id}/resend`, { schedule: true }, TOKENS.ana, { 'idempotency-key': 'k-resend-1' })));
    expect(new Set(tries.map(t => t.status))).toEqual(new Set([201]));
    expect(new Set(tries.map(t => t.json.id)).size).toBe(1);
    expect(w.twilio.sends.length).toBe(sends + 1);
    const landline = await failed('+14155550604', '30006');
    const a = await w.api('POST', `/api/messages/${landline}/resend`, {}, TOKENS.ana, { 'idempotency-key': 'k-resend-2' });
    const b = await w.api('POST', `/api/messages/${landline}/resend`, {}, TOKENS.ana, { 'idempotency-key': 'k-resend-2' });
    expect([a.status, a.json.error.code]).toEqual([409, 'permanent_error']);
    expect(b).toEqual(a);
  });

  it('refuses a malformed key', async () => {
    const r = await w.api('POST', '/api/messages', { to: '+14155550605', body: 'x' }, TOKENS.ana, { 'idempotency-key': 'has spaces' });
    expect(r.status).toBe(400);
  });
});

describe('templates', () => {
  it('admins create, edit and archive; agents use the active ones; nobody touches another org\'s', async () => {
    const seed: Seed = { orgs: [{ id: 'acme', name: 'Acme', locations: [{ id: 'north', name: 'North', timezone: 'America/New_York', country: 'US' }],
      users: [{ id: 'ada', name: 'Ada Admin', role: 'admin', locations: ['north'], token: 'tok-ada-admin' }], connections: [], templates: [] }] };
    await w.server.app.store.applySeed(seed, (await import('../auth')).hashToken);
    const ada = 'tok-ada-admin';
    expect((await w.api('POST', '/api/templates', { name: 'X', body: 'y' }, TOKENS.ana)).status).toBe(403);
    expect((await w.api('POST', '/api/templates', { name: 'Bad', body: 'Hi {{first name}}' }, ada)).status).toBe(400);
    const created = await w.api('POST', '/api/templates', { name: 'Recall', body: 'Hi {{firstName}}, time for a check-up.' }, ada);
    expect(created.status).toBe(201);
    expect(created.json.fields).toEqual(['firstName']);
    const me = async () => (await w.api('GET', '/api/me', undefined, TOKENS.ana)).json;
    expect((await me()).templates.map((t: any) => t.name)).toContain('Recall');
    expect((await w.api('PATCH', `/api/templates/${created.json.id}`, { archived: true }, ada)).json.archived).toBe(true);
    expect((await me()).templates.map((t: any) => t.name)).not.toContain('Recall');
    const all = (await w.api('GET', '/api/templates?archived=1', undefined, ada)).json.templates;
    expect(all.find((t: any) => t.id === created.json.id).archived).toBe(true);
    expect((await w.api('PATCH', `/api/templates/${created.json.id}`, { name: 'x' }, TOKENS.zed)).status).toBe(404); // another org's: not revealed
    expect((await me()).members.map((m: any) => m.name)).toEqual(expect.arrayContaining(['Ana', 'Ben', 'Sue']));
  });
});

describe('supervisor views', () => {
  it('counts per facet and filters by error code and sending number', async () => {
    const landline = await failed('+14155550701', '30006');
    await failed('+14155550702', '30003');
    const counts = (await w.api('GET', '/api/threads/counts?status=failed,undelivered', undefined, TOKENS.sue)).json;
    expect(counts.total).toBeGreaterThanOrEqual(2);
    expect(counts.byErrorClass.permanent).toBeGreaterThanOrEqual(1);
    expect(counts.byLocation.north).toBe(counts.total);
    expect(counts.byAgent.ana).toBe(counts.total);
    const byCode = (await w.api('GET', '/api/threads?errorCode=30006', undefined, TOKENS.sue)).json.threads;
    expect(byCode.map((t: any) => t.lastOutbound.id)).toContain(landline);
    expect(byCode.every((t: any) => t.lastOutbound.errorCode === '30006')).toBe(true);
    expect((await w.api('GET', '/api/threads?connection=sim-south&status=undelivered', undefined, TOKENS.sue)).json.threads).toHaveLength(0);
    expect((await w.api('GET', '/api/threads?errorCode=30006;x', undefined, TOKENS.sue)).status).toBe(400);
  });

  it('daily stats per location', async () => {
    const stats = (await w.api('GET', '/api/stats/locations?days=7', undefined, TOKENS.sue)).json;
    expect(stats.days).toHaveLength(7);
    const north = stats.locations.find((l: any) => l.locationId === 'north');
    const today = north.days.at(-1);
    expect(today.total).toBeGreaterThan(0);
    expect(today.undelivered).toBeGreaterThan(0);
    expect(today.byErrorClass.permanent).toBeGreaterThan(0);
    const agentView = (await w.api('GET', '/api/stats/locations', undefined, TOKENS.ben)).json;
    expect(agentView.locations.map((l: any) => l.locationId)).toEqual(['south']);
    expect((await w.api('GET', '/api/stats/locations?days=0', undefined, TOKENS.sue)).status).toBe(400);
  });
});
