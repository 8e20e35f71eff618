// Bandwidth: Basic-auth callbacks (nothing signed, so no timestamp and no published vector), JSON arrays
// of events, POST /api/v2/users/{accountId}/messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../http/errors';
import { bandwidthFailureStatus, parseBandwidthWebhook, verifyBandwidthRequest } from '../bandwidth';
import { basicCredentials } from '../../__tests__/helpers/fakeProviderApi';
import { CONTACT, OUR_NUMBER, startProviderWorld, webhookRequest, type ProviderWorld } from '../../__tests__/helpers/providerWorld';

const SECRETS = { accountId: '9900000', username: 'api-user', password: 'api-pass', callbackUsername: 'cb-user', callbackPassword: 'cb-pass:with-colon' };
const basic = (user: string, pass: string) => 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');

// Shapes from Bandwidth's webhook docs (Bandwidth/api-docs site/docs/messaging/webhooks.mdx).
const outbound = (type: string, id = '14762070468292kw2fuqty55yp2b2', extra: Record<string, unknown> = {}) => ({
  type, time: '2016-09-14T18:20:16Z', description: 'ok', to: CONTACT,
  message: { id, owner: OUR_NUMBER, applicationId: '93de2206-9669-4e07-948d-329f4b722ee2', time: '2016-09-14T18:20:16Z', segmentCount: 1, direction: 'out', to: [CONTACT], from: OUR_NUMBER, text: '', tag: '' },
  ...extra,
});

describe('verifyBandwidthRequest', () => {
  const req = (authorization?: string) => webhookRequest({ body: '[]', contentType: 'application/json', headers: authorization ? { authorization } : {} });

  it('accepts the connection\'s callback credentials (a colon in the password included)', () => {
    expect(verifyBandwidthRequest(req(basic('cb-user', 'cb-pass:with-colon')), SECRETS)).toEqual({ ok: true });
  });

  it('refuses wrong credentials (403) and missing ones (401)', () => {
    expect(verifyBandwidthRequest(req(basic('cb-user', 'cb-pass')), SECRETS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyBandwidthRequest(req(basic('api-user', 'cb-pass:with-colon')), SECRETS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyBandwidthRequest(req(basic('api-user', 'api-pass')), SECRETS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyBandwidthRequest(req('Basic ' + Buffer.from('cb-user').toString('base64')), SECRETS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyBandwidthRequest(req(), SECRETS)).toMatchObject({ ok: false, status: 401 });
    expect(verifyBandwidthRequest(req('Bearer abc'), SECRETS)).toMatchObject({ ok: false, status: 401 });
    expect(verifyBandwidthRequest(req(basic('cb-user', 'cb-pass:with-colon')), { accountId: 'x' })).toMatchObject({ ok: false, status: 403 });
  });
});

describe('parseBandwidthWebhook', () => {
  const parse = (v: unknown) => parseBandwidthWebhook(webhookRequest({ body: JSON.stringify(v), contentType: 'application/json' }));

  it('maps message-sending, message-delivered and message-failed (failed or undelivered by the code)', () => {
    expect(parse([outbound('message-sending')])).toEqual([{ kind: 'status', providerMessageId: '14762070468292kw2fuqty55yp2b2', status: 'sending', errorCode: null }]);
    expect(parse([outbound('message-delivered')])[0]).toMatchObject({ status: 'delivered', errorCode: null });
    expect(parse([outbound('message-failed', 'm1', { errorCode: 4720, description: 'invalid-destination-address' })])[0]).toMatchObject({ status: 'undelivered', errorCode: '4720' });
    expect(parse([outbound('message-failed', 'm1', { errorCode: 4470 })])[0]).toMatchObject({ status: 'failed', errorCode: '4470' });
    // Several events in one callback.
    expect(parse([outbound('message-sending', 'a1'), outbound('message-delivered', 'a2')]).map(e => e.kind === 'status' && e.providerMessageId)).toEqual(['a1', 'a2']);
  });

  it('classifies failure codes by Bandwidth\'s error-code schema', () => {
    const cases: [string | null, string][] = [
      ['4301', 'failed'], ['4470', 'failed'], ['4432', 'failed'], ['4720', 'undelivered'], ['4775', 'undelivered'],
      ['5100', 'failed'], ['5201', 'failed'], ['5500', 'failed'], ['5600', 'undelivered'], ['9902', 'undelivered'], [null, 'failed'],
    ];
    for (const [code, status] of cases) expect(bandwidthFailureStatus(code), String(code)).toBe(status);
  });

  it('reads message-received as an inbound text (the inbound SMS example from the docs)', () => {
    const inbound = {
      type: 'message-received', time: '2016-09-14T18:20:16Z', description: 'Incoming message received', to: '+12345678902',
      message: { id: '14762070468292kw2fuqty55yp2b2', time: '2016-09-14T18:20:16Z', to: ['+12345678902'], from: '+12345678901', text: 'Hey, check this out!', applicationId: '93de2206-9669-4e07-948d-329f4b722ee2', media: [], owner: '+12345678902', direction: 'in', segmentCount: 1 },
    };
    expect(parse([inbound])).toEqual([{ kind: 'inbound', providerMessageId: '14762070468292kw2fuqty55yp2b2', from: '+12345678901', to: '+12345678902', body: 'Hey, check this out!' }]);
  });

  it('acknowledges event types that carry no status', () => {
    expect(parse([outbound('message-read-receipt')])).toEqual([{ kind: 'ignored', reason: expect.any(String) }]);
  });

  it('refuses malformed bodies with a 400 naming the problem', () => {
    const cases: [unknown, RegExp, string?][] = [
      [{ type: 'message-delivered' }, /JSON array/],
      [[], /no events/],
      [[1], /not an object/],
      [[{ message: { id: 'a' } }], /no type/],
      [[{ type: 'message-delivered' }], /no message/],
      [[outbound('message-delivered', '../x')], /message\.id/],
      [[outbound('message-failed', 'a', { errorCode: 'DROP TABLE' })], /errorCode/],
      [[outbound('message-delivered')], /JSON/, 'text/plain'],
    ];
    for (const [body, problem, type] of cases) {
      let error: unknown;
      try { parseBandwidthWebhook(webhookRequest({ body: JSON.stringify(body), contentType: type ?? 'application/json' })); } catch (e) { error = e; }
      expect(error, JSON.stringify(body)).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).message).toMatch(problem);
    }
    let error: unknown;
    try { parseBandwidthWebhook(webhookRequest({ body: '[{', contentType: 'application/json' })); } catch (e) { error = e; }
    expect((error as HttpError).status).toBe(400);
  });
});

describe('Bandwidth through the real server', () => {
  let w: ProviderWorld;
  let n = 0;
  beforeAll(async () => {
    w = await startProviderWorld({
      provider: 'bandwidth', secrets: { ...SECRETS, applicationId: '93de2206-9669-4e07-948d-329f4b722ee2' },
      respond: req => ({ status: 202, json: { id: `bw-${++n}`, owner: OUR_NUMBER, applicationId: (req.json as any).applicationId, direction: 'out', to: (req.json as any).to, from: OUR_NUMBER, text: (req.json as any).text } }),
    });
  });
  afterAll(async () => { await w.close(); });

  it('sends with the API credentials to the account\'s messages endpoint and applies Basic-auth callbacks', async () => {
    const sent = await w.api('POST', '/api/messages', { to: CONTACT, connectionId: w.connectionId, body: 'Your order shipped' });
    expect(sent.status).toBe(201);
    const call = w.fake.requests[0];
    expect(call).toMatchObject({ method: 'POST', path: '/api/v2/users/9900000/messages' });
    expect(basicCredentials(call.headers.authorization as string)).toBe('api-user:api-pass');
    expect(call.json).toEqual({ to: [CONTACT], from: OUR_NUMBER, text: 'Your order shipped', applicationId: '93de2206-9669-4e07-948d-329f4b722ee2' });
    const id = sent.json.providerMessageId;

    const failed = JSON.stringify([outbound('message-failed', id, { errorCode: 4775, description: 'destination-rejected-due-to-user-opt-out' })]);
    expect((await w.webhook(failed, { 'content-type': 'application/json', authorization: basic('api-user', 'api-pass') })).status).toBe(403);
    expect((await w.webhook(failed, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await w.message(sent.json.id)).status).toBe('queued');
    expect((await w.webhook(failed, { 'content-type': 'application/json', authorization: basic('cb-user', 'cb-pass:with-colon') })).status).toBeLessThan(300);
    expect(await w.message(sent.json.id)).toMatchObject({ status: 'undelivered', errorCode: '4775', errorClass: 'opted_out' });
  });

  it('without an applicationId in the secrets, sends without one and records Bandwidth\'s refusal', async () => {
    const bare = await startProviderWorld({
      provider: 'bandwidth', secrets: SECRETS,
      respond: req => ((req.json as any).applicationId ? { status: 202, json: { id: 'x' } } : { status: 400, json: { type: 'request-validation', description: 'applicationId is required' } }),
    });
    try {
      const sent = await bare.api('POST', '/api/messages', { to: CONTACT, connectionId: bare.connectionId, body: 'hi' });
      expect(bare.fake.requests[0].json).not.toHaveProperty('applicationId');
      expect(sent.json).toMatchObject({ status: 'failed', errorCode: null, errorClass: 'unknown' });
    } finally {
      await bare.close();
    }
  });
});
