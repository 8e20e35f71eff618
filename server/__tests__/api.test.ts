// REST: auth, tenancy and location scoping, input validation, threads, resend rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, eventually, startWorld, statusParams, type World } from './helpers/world';

let w: World;
beforeAll(async () => { w = await startWorld(); });
afterAll(async () => { await w.close(); });

async function failedText(to: string, code: string, status = 'undelivered', body = 'Your appointment is tomorrow') {
  const r = await w.api('POST', '/api/messages', { to, body });
  expect(r.status).toBe(201);
  await w.callback(statusParams(r.json.providerMessageId, status, { ErrorCode: code, To: to }));
  return r.json.id as string;
}

describe('auth and scoping', () => {
  it('401 without or with a bad token, on every API route', async () => {
    for (const [m, p] of [['GET', '/api/me'], ['GET', '/api/threads'], ['GET', '/api/sync'], ['POST', '/api/messages']]) {
      expect((await w.api(m, p, m === 'POST' ? {} : undefined, null)).status).toBe(401);
      expect((await w.api(m, p, m === 'POST' ? {} : undefined, 'wrong')).status).toBe(401);
    }
  });

  it('/api/me shows the user, their locations and connections, never secrets', async () => {
    const me = (await w.api('GET', '/api/me', undefined, TOKENS.ana)).json;
    expect(me).toMatchObject({ id: 'ana', role: 'agent', orgId: 'acme' });
    expect(me.locations.map((l: any) => l.id)).toEqual(['north']);
    expect(JSON.stringify(me)).not.toContain('twilio-auth-token');
  });

  it('agents see their locations only; supervisors the org; nobody another org', async () => {
    const north = await w.api('POST', '/api/messages', { to: '+14155550101', body: 'north' }, TOKENS.ana);
    const south = await w.api('POST', '/api/messages', { to: '+14155550102', body: 'south' }, TOKENS.ben);
    const other = await w.api('POST', '/api/messages', { to: '+447911123456', body: 'uk' }, TOKENS.zed);
    expect([north.status, south.status, other.status]).toEqual([201, 201, 201]);
    const ids = async (tok: string) => (await w.api('GET', '/api/sync?limit=1000', undefined, tok)).json.events.map((e: any) => e.message.id);
    expect(await ids(TOKENS.ana)).toContain(north.json.id);
    expect(await ids(TOKENS.ana)).not.toContain(south.json.id);
    expect(await ids(TOKENS.ben)).not.toContain(north.json.id);
    expect(await ids(TOKENS.sue)).toEqual(expect.arrayContaining([north.json.id, south.json.id]));
    expect(await ids(TOKENS.sue)).not.toContain(other.json.id);
    expect(new Set(await ids(TOKENS.zed))).toEqual(new Set([other.json.id]));
    // Another org's thread or message: 404, its existence not revealed.
    const t = north.json.threadId;
    expect((await w.api('GET', `/api/threads/${t}/messages`, undefined, TOKENS.zed)).status).toBe(404);
    expect((await w.api('GET', `/api/threads/${t}/messages`, undefined, TOKENS.ben)).status).toBe(404);
    expect((await w.api('POST', `/api/messages/${north.json.id}/resend`, {}, TOKENS.zed)).status).toBe(404);
    // An agent filtering on a location not its own: 403; on another org's: 404.
    expect((await w.api('GET', '/api/threads?location=south', undefined, TOKENS.ana)).status).toBe(403);
    expect((await w.api('GET', '/api/threads?location=other-main', undefined, TOKENS.ana)).status).toBe(404);
    // Sending from another location's connection: 403; another org's: 404.
    expect((await w.api('POST', '/api/messages', { to: '+14155550103', connectionId: 'sim-south', body: 'x' }, TOKENS.ana)).status).toBe(403);
    expect((await w.api('POST', '/api/messages', { to: '+14155550103', connectionId: 'tw-other', body: 'x' }, TOKENS.ana)).status).toBe(404);
  });

  it('socket pushes stay inside the org and the agent\'s locations', async () => {
    const ana = await w.socket(TOKENS.ana);
    const ben = await w.socket(TOKENS.ben);
    const sue = await w.socket(TOKENS.sue);
    const zed = await w.socket(TOKENS.zed);
    const r = await w.api('POST', '/api/messages', { to: '+14155550104', body: 'scoped' }, TOKENS.ana);
    await eventually(() => sue.events.length, n => n > 0);
    await eventually(() => ana.events.length, n => n > 0);
    await new Promise(res => setTimeout(res, 200));
    expect(ana.events.every(e => e.message.locationId === 'north')).toBe(true);
    expect(ben.events.some(e => e.message.id === r.json.id)).toBe(false);
    expect(zed.events).toHaveLength(0);
  });
});

describe('input validation', () => {
  it('400 with a named problem, nothing sent', async () => {
    const sends = w.twilio.sends.length;
    const cases: [unknown, string][] = [
      [{ body: 'x' }, 'to is required'],
      [{ to: 'not a phone', body: 'x' }, 'not a valid phone number'],
      [{ to: '+1415555', body: 'x' }, 'not a valid phone number'],
      [{ to: '+14155550134' }, 'body or templateId is required'],
      [{ to: '+14155550134', body: '   ' }, 'body is empty'],
      [{ to: '+14155550134', body: 'x'.repeat(1601) }, 'longer than 1600'],
      [{ to: 12, body: 'x' }, 'to must be a string'],
      [{ to: '+14155550134', templateId: 'hello', vars: { firstName: 'Maria' } }, 'date'],
    ];
    for (const [body, problem] of cases) {
      const r = await w.api('POST', '/api/messages', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.message).toContain(problem);
    }
    const notJson = await fetch(w.server.url + '/api/messages', { method: 'POST', headers: { authorization: `Bearer ${TOKENS.ana}`, 'content-type': 'application/json' }, body: '{"to":' });
    expect(notJson.status).toBe(400);
    expect((await w.api('GET', '/api/threads?status=lost')).status).toBe(400);
    expect((await w.api('GET', '/api/threads?limit=501')).status).toBe(400);
    expect((await w.api('GET', '/api/threads?since=yesterday')).status).toBe(400);
    expect((await w.api('GET', '/api/sync?after=abc')).status).toBe(400);
    expect(w.twilio.sends.length).toBe(sends);
  });

  it('fills templates', async () => {
    const r = await w.api('POST', '/api/messages', { to: '+14155550134', templateId: 'hello', vars: { firstName: 'Maria', date: 'Tuesday' } });
    expect(r.status).toBe(201);
    expect(r.json.body).toBe('Hi Maria, see you Tuesday.');
  });
});

describe('threads', () => {
  it('lists newest activity first, filters on the latest outbound, pages with a cursor', async () => {
    const failedId = await failedText('+14155550201', '30003');
    // North only: the south's simulated carrier keeps calling back in the background and reorders threads.
    const all = (await w.api('GET', '/api/threads?location=north', undefined, TOKENS.sue)).json;
    expect(all.threads[0].lastOutbound.id).toBe(failedId);
    const failed = (await w.api('GET', '/api/threads?status=failed,undelivered&errorClass=temporary', undefined, TOKENS.sue)).json.threads;
    expect(failed.map((t: any) => t.lastOutbound.id)).toContain(failedId);
    expect(failed.every((t: any) => ['failed', 'undelivered'].includes(t.lastOutbound.status))).toBe(true);
    const named = (await w.api('GET', '/api/threads?q=maria')).json.threads;
    expect(named.map((t: any) => t.contactName)).toEqual(['Maria Lopez']);
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 50; i++) {
      const page = (await w.api('GET', `/api/threads?location=north&limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, TOKENS.sue)).json;
      seen.push(...page.threads.map((t: any) => t.id));
      if (!page.hasMore) break;
      cursor = page.cursor;
    }
    expect(seen).toEqual(all.threads.map((t: any) => t.id));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('resend rules', () => {
  it('refuses in the contract\'s order and links a new attempt', async () => {
    const temporary = await failedText('+14155550301', '30003');
    const landline = await failedText('+14155550302', '30006');
    const filtered = await failedText('+14155550303', '30007');
    const optedOut = await failedText('+14155550304', '21610', 'failed');
    const code = async (id: string, body: unknown = {}) => {
      const r = await w.api('POST', `/api/messages/${id}/resend`, body);
      return r.status === 201 ? 'created' : r.json.error.code;
    };
    expect(await code(landline)).toBe('permanent_error');
    expect(await code(optedOut)).toBe('opted_out');
    expect(await code(filtered)).toBe('needs_edit');
    const r = await w.api('POST', `/api/messages/${temporary}/resend`, { schedule: true });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ attempt: 2, resendOf: temporary, status: 'queued' });
    expect(await code(temporary)).toBe('already_resent');
  });

  it('quiet hours in the recipient\'s zone: refused, or scheduled for 08:00 there and sent then', async () => {
    const id = await failedText('+14155550999', '30003');
    const refused = await w.api('POST', `/api/messages/${id}/resend`, {});
    expect([refused.status, refused.json.error.code]).toEqual([409, 'quiet_hours']);
    const sends = w.twilio.sends.length;
    const scheduled = await w.api('POST', `/api/messages/${id}/resend`, { schedule: true });
    expect(scheduled.status).toBe(201);
    expect(scheduled.json).toMatchObject({ status: 'queued', attempt: 2, resendOf: id });
    const at = new Date(scheduled.json.scheduledFor).getTime();
    expect(at - Date.now()).toBeGreaterThan(8 * 3600_000); // 23:xx → 08:00 next day is 8–9 h away
    expect(at - Date.now()).toBeLessThanOrEqual(9 * 3600_000);
    await new Promise(r => setTimeout(r, 300));
    expect(w.twilio.sends.length).toBe(sends); // nothing goes out before its time
  });

  it('two agents resending the same message at the same moment produce one new message', async () => {
    const id = await failedText('+14155550401', '30003');
    const results = await Promise.all([1, 2, 3, 4].map(() => w.api('POST', `/api/messages/${id}/resend`, { schedule: true }, TOKENS.sue)));
    expect(results.filter(r => r.status === 201)).toHaveLength(1);
    expect(results.filter(r => r.status === 409).map(r => r.json.error.code)).toEqual(['already_resent', 'already_resent', 'already_resent']);
  });
});
