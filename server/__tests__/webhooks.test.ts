// Webhook input that must be refused: signature, connection, body. Nothing may be stored, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../providers/twilio';
import { AUTH_TOKEN, TOKENS, startWorld, statusParams, type World } from './helpers/world';

let w: World;
let sid: string;
let msgId: string;
beforeAll(async () => {
  w = await startWorld();
  const r = await w.api('POST', '/api/messages', { to: '+14155550134', body: 'hi' });
  sid = r.json.providerMessageId;
  msgId = r.json.id;
});
afterAll(async () => { await w.close(); });

const eventCount = async () => (await w.api('GET', '/api/sync?limit=1000', undefined, TOKENS.sue)).json.events.length;
const currentStatus = async () => (await w.api('GET', '/api/sync?limit=1000', undefined, TOKENS.sue)).json.events.filter((e: any) => e.message.id === msgId).at(-1).message.status;

async function raw(path: string, body: string | Uint8Array, headers: Record<string, string>) {
  const r = await fetch(w.server.url + path, { method: 'POST', headers, body: body as RequestInit['body'] });
  return { status: r.status, json: (await r.json().catch(() => null)) as any };
}

describe('Twilio signature (X-Twilio-Signature)', () => {
  it('matches Twilio\'s published example', () => {
    // https://www.twilio.com/docs/usage/webhooks/webhooks-security — the worked example.
    const sig = twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2',
      { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' });
    expect(sig).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('refuses a missing signature (401), a wrong one (403), a tampered body (403), another connection\'s secret (403)', async () => {
    const before = await eventCount();
    const p = statusParams(sid, 'undelivered', { ErrorCode: '30003' });
    expect((await w.callback(p, { signature: null })).status).toBe(401);
    expect((await w.callback(p, { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' })).status).toBe(403);
    const signedOther = twilioSignature(AUTH_TOKEN, `${w.server.publicUrl}/webhooks/twilio/tw-north`, statusParams(sid, 'sent'));
    expect((await w.callback(p, { signature: signedOther })).status).toBe(403);
    expect((await w.callback(p, { authToken: 'other-token' })).status).toBe(403);
    expect(await eventCount()).toBe(before);
    expect(await currentStatus()).toBe('queued');
  });

  it('signs against PUBLIC_URL, so a signature for another host fails', async () => {
    const p = statusParams(sid, 'sent');
    const elsewhere = twilioSignature(AUTH_TOKEN, 'https://evil.example/webhooks/twilio/tw-north', p);
    expect((await w.callback(p, { signature: elsewhere })).status).toBe(403);
  });
});

describe('malformed and unknown', () => {
  const hook = '/webhooks/twilio/tw-north';
  const signed = (params: Record<string, string>) => ({
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilioSignature(AUTH_TOKEN, w.server.publicUrl + hook, params),
  });

  it('unknown connection or provider mismatch → 404 JSON', async () => {
    expect((await w.callback(statusParams(sid, 'sent'), { connectionId: 'nope' })).status).toBe(404);
    const r = await raw('/webhooks/telnyx/tw-north', '{}', { 'content-type': 'application/json' });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('not_found');
  });

  it('signed but malformed → 400 naming the problem, nothing stored', async () => {
    const before = await eventCount();
    const cases: [Record<string, string>, RegExp][] = [
      [{ MessageStatus: 'delivered' }, /MessageSid/],
      [{ MessageSid: sid }, /MessageStatus/],
      [{ MessageSid: sid, MessageStatus: 'exploded' }, /not a Twilio message status/],
      [{ MessageSid: sid, MessageStatus: 'failed', ErrorCode: '30003; DROP TABLE' }, /ErrorCode/],
      [{ MessageSid: '../../etc/passwd', MessageStatus: 'sent' }, /MessageSid/],
    ];
    for (const [params, problem] of cases) {
      const r = await raw(hook, new URLSearchParams(params).toString(), signed(params));
      expect(r.status, JSON.stringify(params)).toBe(400);
      expect(r.json.error.message).toMatch(problem);
    }
    expect(await eventCount()).toBe(before);
  });

  it('wrong content type → 400, invalid UTF-8 → 400, oversized → 413, never 5xx', async () => {
    const json = await raw(hook, '{"MessageSid":"x"}', { 'content-type': 'application/json', 'x-twilio-signature': 'x' });
    expect([400, 403]).toContain(json.status);
    const params = statusParams(sid, 'sent');
    const body = Buffer.concat([Buffer.from(new URLSearchParams(params).toString() + '&Body='), Buffer.from([0xff, 0xfe])]);
    const bad = await raw(hook, body, signed(params));
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_encoding');
    const big = await raw(hook, 'a='.padEnd(300 * 1024, 'x'), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(big.status).toBe(413);
  });

  it('a duplicate callback changes nothing and creates no event', async () => {
    const p = statusParams(sid, 'sent');
    expect((await w.callback(p)).status).toBe(200);
    const after1 = await eventCount();
    expect((await w.callback(p)).status).toBe(200);
    expect(await eventCount()).toBe(after1);
  });
});

describe('inbound texts and opt-out', () => {
  const inbound = (body: string, id: string) => ({ MessageSid: id, SmsSid: id, SmsStatus: 'received', AccountSid: 'AC', From: '+14155550177', To: '+12125550100', Body: body, NumMedia: '0' });

  it('records a reply in the thread, once, and answers with empty TwiML', async () => {
    const r = await w.callback(inbound('Running late, sorry!', 'SMin1'));
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<Response>');
    await w.callback(inbound('Running late, sorry!', 'SMin1'));
    const threads = (await w.api('GET', '/api/threads?q=4155550177')).json.threads;
    expect(threads).toHaveLength(1);
    const msgs = (await w.api('GET', `/api/threads/${threads[0].id}/messages`)).json.messages;
    expect(msgs.map((m: any) => [m.direction, m.body])).toEqual([['inbound', 'Running late, sorry!']]);
  });

  it('STOP opts out (sends refused before the provider), START opts back in', async () => {
    await w.callback(inbound('  stop ', 'SMin2'));
    const sendsBefore = w.twilio.sends.length;
    const refused = await w.api('POST', '/api/messages', { to: '+14155550177', body: 'hello?' });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('opted_out');
    expect(w.twilio.sends.length).toBe(sendsBefore);
    const t = (await w.api('GET', '/api/threads?q=4155550177')).json.threads[0];
    expect(t.optedOut).toBe(true);
    await w.callback(inbound('START', 'SMin3'));
    expect((await w.api('POST', '/api/messages', { to: '+14155550177', body: 'welcome back' })).status).toBe(201);
  });
});
