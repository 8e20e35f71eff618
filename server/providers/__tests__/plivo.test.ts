// Plivo: V3 signatures (HMAC-SHA256 over URL + sorted params + nonce), form callbacks, POST .../Message/.
// Plivo signs no timestamp, so there is no age to check; the nonce only varies the signature.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../http/errors';
import { parsePlivoWebhook, plivoV3Signature, verifyPlivoRequest } from '../plivo';
import { basicCredentials } from '../../__tests__/helpers/fakeProviderApi';
import { CONTACT, OUR_NUMBER, startProviderWorld, webhookRequest, type ProviderWorld } from '../../__tests__/helpers/providerWorld';

// Published vector: plivo/plivo-go utils_test.go (TestValidateSignatureV3Pass1 and Pass3).
const GO_TOKEN = 'Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4';
const GO_NONCE = '31627761595286130198';
const GO_PARAMS = {
  Direction: 'outbound', From: '19792014278', ALegUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36', CallStatus: 'in-progress',
  BillRate: '0.002', ParentAuthID: 'MANWVLYTK4ZWU1YTY4QA', To: 'sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com',
  ALegRequestUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36', CallUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36',
  RequestUUID: '3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36', 'SIP-H-To': '<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1',
  SessionStart: '2020-04-08 11:34:33.238707', Event: 'StartApp',
};
const GO_URL = 'https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml';

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const signedReq = (url: string, params: Record<string, string>, token: string, nonce = 'n0nce-123', body = form(params)) =>
  webhookRequest({ url, body, contentType: 'application/x-www-form-urlencoded', headers: { 'x-plivo-signature-v3': plivoV3Signature(token, url, params, nonce), 'x-plivo-signature-v3-nonce': nonce } });

describe('the V3 signature', () => {
  it('matches Plivo\'s published POST vectors, with and without a query string', () => {
    expect(plivoV3Signature(GO_TOKEN, `${GO_URL}/?a=b&c=d`, GO_PARAMS, GO_NONCE)).toBe('k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=');
    expect(plivoV3Signature(GO_TOKEN, GO_URL, GO_PARAMS, GO_NONCE)).toBe('iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0=');
  });

  it('accepts the published request as Plivo would post it', () => {
    const req = webhookRequest({
      url: GO_URL, body: form(GO_PARAMS), contentType: 'application/x-www-form-urlencoded',
      headers: { 'x-plivo-signature-v3': 'iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0=', 'x-plivo-signature-v3-nonce': GO_NONCE },
    });
    expect(verifyPlivoRequest(req, GO_TOKEN)).toEqual({ ok: true });
    // During auth-token rotation the header lists one signature per active token.
    const rotated = { ...req, headers: { ...req.headers, 'x-plivo-signature-v3': 'c29tZXRoaW5nIGVsc2U=, iAjE5QqI37mbkYe4w3jTMudqEzbDufdqi7sYwTu64e0=' } };
    expect(verifyPlivoRequest(rotated, GO_TOKEN)).toEqual({ ok: true });
  });

  it('refuses a tampered body, another token, another URL, another nonce (403) and missing headers (401)', () => {
    const url = 'https://texttrail.example/webhooks/plivo/p1';
    const params = { MessageUUID: 'db3ce55a-7f1d-11e1-8ea7-1231380bc196', Status: 'delivered', To: '14155550134', From: '12125550100' };
    const good = signedReq(url, params, 'token-1');
    expect(verifyPlivoRequest(good, 'token-1')).toEqual({ ok: true });
    expect(verifyPlivoRequest({ ...good, text: form({ ...params, Status: 'failed' }), rawBody: Buffer.from(form({ ...params, Status: 'failed' })) }, 'token-1')).toMatchObject({ ok: false, status: 403 });
    expect(verifyPlivoRequest(good, 'token-2')).toMatchObject({ ok: false, status: 403 });
    expect(verifyPlivoRequest({ ...good, url: 'https://evil.example/webhooks/plivo/p1' }, 'token-1')).toMatchObject({ ok: false, status: 403 });
    expect(verifyPlivoRequest({ ...good, headers: { ...good.headers, 'x-plivo-signature-v3-nonce': 'other' } }, 'token-1')).toMatchObject({ ok: false, status: 403 });
    expect(verifyPlivoRequest({ ...good, headers: { 'x-plivo-signature-v3-nonce': 'n' } }, 'token-1')).toMatchObject({ ok: false, status: 401 });
    expect(verifyPlivoRequest({ ...good, headers: { 'x-plivo-signature-v3': 'abc' } }, 'token-1')).toMatchObject({ ok: false, status: 401 });
    expect(verifyPlivoRequest(good, undefined)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('parsePlivoWebhook', () => {
  const parse = (params: Record<string, string>, contentType = 'application/x-www-form-urlencoded') => parsePlivoWebhook(webhookRequest({ body: form(params), contentType }));
  const id = 'db3ce55a-7f1d-11e1-8ea7-1231380bc196';

  it('maps every status, keeping ErrorCode (000 means none)', () => {
    const cases: [string, string][] = [['queued', 'queued'], ['sent', 'sent'], ['delivered', 'delivered'], ['read', 'read'], ['failed', 'failed'], ['rejected', 'failed'], ['undelivered', 'undelivered']];
    for (const [raw, status] of cases) {
      expect(parse({ MessageUUID: id, Status: raw, ErrorCode: '000', To: '14155550134', From: '12125550100' }), raw).toEqual([{ kind: 'status', providerMessageId: id, status, errorCode: null }]);
    }
    expect(parse({ MessageUUID: id, Status: 'undelivered', ErrorCode: '30' })[0]).toMatchObject({ status: 'undelivered', errorCode: '30' });
  });

  it('reads an inbound text (no Status), normalised to E.164', () => {
    expect(parse({ From: '14155550177', To: '12125550100', Text: 'Running late', Type: 'sms', MessageUUID: id }))
      .toEqual([{ kind: 'inbound', providerMessageId: id, from: '+14155550177', to: '+12125550100', body: 'Running late' }]);
  });

  it('refuses malformed bodies with a 400 naming the problem', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => parse({ MessageUUID: id, Status: 'sent' }, 'application/json'), /form posts/],
      [() => parse({ Status: 'sent' }), /MessageUUID/],
      [() => parse({ MessageUUID: id, Status: 'vanished' }), /not a Plivo message status/],
      [() => parse({ MessageUUID: id, Status: 'failed', ErrorCode: '30;x' }), /ErrorCode/],
      [() => parse({ MessageUUID: id, To: '12125550100', Text: 'hi' }), /From/],
    ];
    for (const [run, problem] of cases) {
      let error: unknown;
      try { run(); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).message).toMatch(problem);
    }
  });
});

describe('Plivo through the real server', () => {
  let w: ProviderWorld;
  let n = 0;
  const TOKEN = 'plivo-auth-token';
  beforeAll(async () => {
    w = await startProviderWorld({
      provider: 'plivo', secrets: { authId: 'MAXXXXXXXXXXXXXXXXXX', authToken: TOKEN },
      respond: () => ({ status: 202, json: { api_id: 'api-1', message: 'message(s) queued', message_uuid: [`db3ce55a-7f1d-11e1-8ea7-00000000000${++n}`] } }),
    });
  });
  afterAll(async () => { await w.close(); });

  const post = (params: Record<string, string>, token = TOKEN) => w.webhook(form(params), {
    'content-type': 'application/x-www-form-urlencoded',
    'x-plivo-signature-v3': plivoV3Signature(token, w.webhookUrl, params, 'nonce-42'), 'x-plivo-signature-v3-nonce': 'nonce-42',
  });

  it('sends with Basic auth to the account\'s Message endpoint and applies V3-signed callbacks', async () => {
    const sent = await w.api('POST', '/api/messages', { to: CONTACT, connectionId: w.connectionId, body: 'Reminder' });
    expect(sent.status).toBe(201);
    const call = w.fake.requests[0];
    expect(call).toMatchObject({ method: 'POST', path: '/v1/Account/MAXXXXXXXXXXXXXXXXXX/Message/' });
    expect(basicCredentials(call.headers.authorization as string)).toBe(`MAXXXXXXXXXXXXXXXXXX:${TOKEN}`);
    expect(call.json).toEqual({ src: OUR_NUMBER, dst: CONTACT, text: 'Reminder', url: w.webhookUrl, method: 'POST' });
    const uuid = sent.json.providerMessageId;

    const params = { MessageUUID: uuid, Status: 'undelivered', ErrorCode: '200', To: CONTACT.slice(1), From: OUR_NUMBER.slice(1) };
    expect((await post(params, 'wrong-token')).status).toBe(403);
    expect((await post({ ...params, Status: 'sent', ErrorCode: '' })).status).toBeLessThan(300);
    expect((await w.message(sent.json.id)).status).toBe('sent');
    expect((await post(params)).status).toBeLessThan(300);
    expect(await w.message(sent.json.id)).toMatchObject({ status: 'undelivered', errorCode: '200', errorClass: 'opted_out' });
  });

  it('an inbound STOP opts the contact out: the next send is refused before reaching Plivo', async () => {
    expect((await post({ From: '14155550177', To: OUR_NUMBER.slice(1), Text: 'stop', Type: 'sms', MessageUUID: 'in-0001' })).status).toBeLessThan(300);
    const before = w.fake.requests.length;
    const refused = await w.api('POST', '/api/messages', { to: '+14155550177', connectionId: w.connectionId, body: 'hello?' });
    expect(refused.status).toBe(409);
    expect(w.fake.requests.length).toBe(before);
  });
});
