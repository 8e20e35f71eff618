// Vonage: Messages API webhooks signed with an HS256 JWT (payload_hash, iat), SMS API receipts signed with `sig`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../http/errors';
import { parseVonageWebhook, verifyHs256Jwt, verifyVonageRequest, vonageSmsSignature, type VonageSignatureMethod } from '../vonage';
import { nowSeconds, vonageJwt } from '../../__tests__/helpers/providerSigners';
import { basicCredentials } from '../../__tests__/helpers/fakeProviderApi';
import { CONTACT, OUR_NUMBER, startProviderWorld, webhookRequest, type ProviderWorld } from '../../__tests__/helpers/providerWorld';

const SECRETS = { apiKey: 'abcd1234', apiSecret: 'api-secret', signatureSecret: 'my_secret_key_for_testing' };

// Published vector: Vonage/vonage-ruby-sdk test/vonage/signature_test.rb (an inbound SMS, secret
// "my_secret_key_for_testing", one expected `sig` per signature method).
const RUBY_PARAMS = {
  'message-timestamp': '2013-11-21 15:27:30', messageId: '020000001B0FE827', msisdn: '14843472194',
  text: 'Test again', timestamp: '1385047698', to: '13239877404', type: 'text',
};
const RUBY_SIGS: Record<VonageSignatureMethod, string> = {
  md5hash: 'd2e7b1dc968737c5998ad624e02f90b7',
  md5: 'DDEBD46008C2D4E93CCE578A332A52D5',
  sha1: '27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A',
  sha256: 'DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330',
  sha512: 'E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD9144B5A426B94FE82',
};
const RUBY_TIME_MS = 1385047698 * 1000;

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe('the SMS API `sig`', () => {
  it('matches Vonage\'s published vectors for md5hash, md5, sha1, sha256 and sha512', () => {
    for (const [method, sig] of Object.entries(RUBY_SIGS) as [VonageSignatureMethod, string][]) {
      expect(vonageSmsSignature(RUBY_PARAMS, SECRETS.signatureSecret, method), method).toBe(sig);
    }
    // Same file, test_check_instance_method_replaces_disallowed_characters_with_underscores: "&" and "=" in
    // values sign as "_" (md5hash).
    for (const k of ['_', '&', '=']) expect(vonageSmsSignature({ k }, SECRETS.signatureSecret, 'md5hash')).toBe('c3d6a686ab9c7e7408bb1c0506e9629a');
    // Vonage/vonage-ruby-sdk test/nexmo/signature_test.rb (the same vector is in the Python SDK's tests):
    // {a:1, b:2, timestamp:1461605396}, secret "secret", md5hash.
    expect(vonageSmsSignature({ a: '1', b: '2', timestamp: '1461605396' }, 'secret', 'md5hash')).toBe('6af838ef94998832dbfc29020b564830');
  });

  it('accepts the published requests at their own time, whichever method, as a form or as JSON', () => {
    for (const sig of Object.values(RUBY_SIGS)) {
      const params = { ...RUBY_PARAMS, sig };
      expect(verifyVonageRequest(webhookRequest({ body: form(params), contentType: 'application/x-www-form-urlencoded' }), SECRETS, RUBY_TIME_MS)).toEqual({ ok: true });
      expect(verifyVonageRequest(webhookRequest({ body: JSON.stringify(params), contentType: 'application/json' }), SECRETS, RUBY_TIME_MS)).toEqual({ ok: true });
      // Lower-case hex is the same signature.
      expect(verifyVonageRequest(webhookRequest({ body: form({ ...RUBY_PARAMS, sig: sig.toLowerCase() }), contentType: 'application/x-www-form-urlencoded' }), SECRETS, RUBY_TIME_MS)).toEqual({ ok: true });
    }
  });

  it('refuses a stale timestamp, a tampered parameter, another secret (403) and no signature at all (401)', () => {
    const req = (params: Record<string, string>) => webhookRequest({ body: form(params), contentType: 'application/x-www-form-urlencoded' });
    const signed = { ...RUBY_PARAMS, sig: RUBY_SIGS.sha256 };
    expect(verifyVonageRequest(req(signed), SECRETS, RUBY_TIME_MS + 301_000)).toMatchObject({ ok: false, status: 403, reason: expect.stringMatching(/timestamp/) });
    expect(verifyVonageRequest(req(signed), SECRETS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyVonageRequest(req({ ...signed, text: 'Test agaim' }), SECRETS, RUBY_TIME_MS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyVonageRequest(req(signed), { ...SECRETS, signatureSecret: 'other' }, RUBY_TIME_MS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyVonageRequest(req({ ...signed, sig: 'xxx' }), SECRETS, RUBY_TIME_MS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyVonageRequest(req(RUBY_PARAMS), SECRETS, RUBY_TIME_MS)).toMatchObject({ ok: false, status: 401 });
    expect(verifyVonageRequest(req(signed), { apiKey: 'a', apiSecret: 'b' }, RUBY_TIME_MS)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('the Messages API JWT', () => {
  it('verifies the HS256 tokens published in Vonage\'s SDK tests', () => {
    // Vonage/vonage-python-sdk jwt/tests/test_verify_jwt.py
    const py = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJPbmxpbmUgSldUIEJ1aWxkZXIiLCJpYXQiOjE2OTc2MzQ2ODAsImV4cCI6MzMyNTQ1NDA4MjgsImF1ZCI6IiIsInN1YiI6IiJ9.88vJc3I2HhuqEDixHXVhc9R30tA6U_HQHZTC29y6CGM';
    expect(verifyHs256Jwt(py, 'qwertyuiopasdfghjklzxcvbnm123456')).toMatchObject({ iss: 'Online JWT Builder', iat: 1697634680 });
    expect(verifyHs256Jwt(py, 'asdf')).toBeNull();
    expect(verifyHs256Jwt('asdf', 'qwertyuiopasdfghjklzxcvbnm123456')).toBeNull();
    // Vonage/vonage-java-sdk src/test/java/com/vonage/client/messages/MessagesClientTest.java (testVerifySignature)
    const head = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
    const body = 'eyJzdWIiOiJTaW5hIiwibmFtZSI6IkphdmFfU0RLIiwiaWF0IjoxNjk4NjgwMzkyfQ';
    const secret = 'XsA09z2MhUxYcdbXaUX3aTT7TzGmnCLfkdILf0NIyC9hN9criTEUdlI3OZ5hRjR';
    expect(verifyHs256Jwt(`${head}.${body}.4qJpi46NSYURiLI1xoLIfGRygA8IUI2QSG9P2Kus1Oo`, secret)).toMatchObject({ sub: 'Sina', iat: 1698680392 });
    expect(verifyHs256Jwt(`${head}.${body}.XsaXHXqxe2kfIbPy-JH2J6hfbHnEv8jdWsOhEuvzU98`, secret)).toBeNull();
  });

  it('refuses an unsigned ("alg":"none") token even with an empty signature', () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect(verifyHs256Jwt(`${enc({ alg: 'none' })}.${enc({ iat: nowSeconds() })}.`, 'x')).toBeNull();
  });

  const body = JSON.stringify({ message_uuid: 'aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab', to: '447700900000', from: '447700900001', timestamp: '2020-01-01T14:00:00.000Z', status: 'delivered', channel: 'sms' });
  const req = (token: string | null, b = body) => webhookRequest({ body: b, contentType: 'application/json', headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('accepts a token signed with the signature secret whose payload_hash is the body', () => {
    expect(verifyVonageRequest(req(vonageJwt(SECRETS.signatureSecret, body, { api_key: SECRETS.apiKey })), SECRETS)).toEqual({ ok: true });
  });

  it('refuses a tampered body, another secret, a stale or expired token, another account (403) and none (401)', () => {
    const token = vonageJwt(SECRETS.signatureSecret, body);
    expect(verifyVonageRequest(req(token, body.replace('delivered', 'rejected')), SECRETS)).toMatchObject({ ok: false, status: 403, reason: expect.stringMatching(/payload_hash/) });
    expect(verifyVonageRequest(req(vonageJwt('another-secret', body)), SECRETS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyVonageRequest(req(vonageJwt(SECRETS.signatureSecret, body, { iat: nowSeconds() - 600 })), SECRETS)).toMatchObject({ ok: false, status: 403, reason: expect.stringMatching(/iat/) });
    expect(verifyVonageRequest(req(vonageJwt(SECRETS.signatureSecret, body, { exp: nowSeconds() - 1 })), SECRETS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyVonageRequest(req(vonageJwt(SECRETS.signatureSecret, body, { api_key: 'someone-else' })), SECRETS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyVonageRequest(req(vonageJwt(SECRETS.signatureSecret, body, { payload_hash: undefined })), SECRETS)).toMatchObject({ ok: false, status: 403 });
    expect(verifyVonageRequest(req(null), SECRETS)).toMatchObject({ ok: false, status: 401 });
    expect(verifyVonageRequest(req('not.a.jwt'), SECRETS)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('parseVonageWebhook', () => {
  const json = (v: unknown) => parseVonageWebhook(webhookRequest({ body: JSON.stringify(v), contentType: 'application/json' }));
  const formPost = (v: Record<string, string>) => parseVonageWebhook(webhookRequest({ body: form(v), contentType: 'application/x-www-form-urlencoded' }));
  const uuid = 'aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab';

  it('maps Messages API statuses, taking the code from error.type\'s fragment or a numeric title', () => {
    const cases: [string, string][] = [['submitted', 'sent'], ['delivered', 'delivered'], ['read', 'read'], ['rejected', 'failed'], ['undeliverable', 'undelivered']];
    for (const [raw, status] of cases) {
      expect(json({ message_uuid: uuid, to: '447700900000', from: '447700900001', status: raw, channel: 'sms' }), raw).toEqual([{ kind: 'status', providerMessageId: uuid, status, errorCode: null }]);
    }
    // Example error from Vonage/vonage-java-sdk MessageStatusTest: type ".../messages-olympus#1000", title 1000.
    expect(json({ message_uuid: uuid, status: 'rejected', error: { type: 'https://developer.nexmo.com/api-errors/messages-olympus#1050', title: 'Number barred', detail: 'x' } })[0]).toMatchObject({ status: 'failed', errorCode: '1050' });
    expect(json({ message_uuid: uuid, status: 'rejected', error: { title: '1000', detail: 'Throttled' } })[0]).toMatchObject({ errorCode: '1000' });
  });

  it('maps every SMS API receipt status and keeps err-code (the receipt from Vonage\'s delivery-receipts guide)', () => {
    const dlr = { msisdn: '447700900000', to: 'AcmeInc', 'network-code': '12345', messageId: '0B00000127FDBC63', price: '0.03330000', status: 'delivered', scts: '1810251210', 'err-code': '0', 'message-timestamp': '2018-10-25 12:10:29' };
    const cases: [string, string][] = [['accepted', 'sent'], ['buffered', 'sent'], ['unknown', 'sent'], ['delivered', 'delivered'], ['failed', 'undelivered'], ['rejected', 'undelivered'], ['expired', 'undelivered']];
    for (const [raw, status] of cases) {
      expect(formPost({ ...dlr, status: raw }), raw).toEqual([{ kind: 'status', providerMessageId: '0B00000127FDBC63', status, errorCode: null }]);
    }
    // The opt-out receipt from Vonage's "Messaging Opted-out Numbers" guide, posted as JSON.
    expect(json({ msisdn: '447700900000', to: 'AcmeInc', messageId: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab', status: 'failed', 'err-code': '9', 'api-key': 'abcd1234' })[0])
      .toMatchObject({ status: 'undelivered', errorCode: '9' });
  });

  it('reads inbound texts from both APIs, normalised to E.164', () => {
    expect(formPost({ ...RUBY_PARAMS })).toEqual([{ kind: 'inbound', providerMessageId: '020000001B0FE827', from: '+14843472194', to: '+13239877404', body: 'Test again' }]);
    expect(json({ channel: 'sms', message_uuid: uuid, to: '12125550100', from: '14155550177', timestamp: '2025-01-01T00:00:00Z', text: 'STOP', message_type: 'text' }))
      .toEqual([{ kind: 'inbound', providerMessageId: uuid, from: '+14155550177', to: '+12125550100', body: 'STOP' }]);
  });

  it('refuses malformed bodies with a 400 naming the problem', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => parseVonageWebhook(webhookRequest({ body: '{', contentType: 'application/json' })), /not valid JSON/],
      [() => parseVonageWebhook(webhookRequest({ body: 'x', contentType: 'text/plain' })), /JSON or form/],
      [() => json({ hello: 'world' }), /neither/],
      [() => json({ message_uuid: uuid, status: 'exploded' }), /not a Messages API status/],
      [() => json({ message_uuid: '../../x', status: 'delivered' }), /message_uuid/],
      [() => formPost({ messageId: 'ab', status: 'lost' }), /not a delivery receipt status/],
      [() => formPost({ messageId: 'ab', status: 'failed', 'err-code': '9 OR 1' }), /err-code/],
      [() => formPost({ messageId: 'ab', text: 'hi', to: '12125550100' }), /msisdn/],
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

describe('Vonage through the real server', () => {
  let w: ProviderWorld;
  let n = 0;
  beforeAll(async () => {
    w = await startProviderWorld({ provider: 'vonage', secrets: SECRETS, respond: () => ({ status: 202, json: { message_uuid: `aaaaaaaa-0000-4000-8000-00000000000${++n}` } }) });
  });
  afterAll(async () => { await w.close(); });

  it('sends through the Messages API with Basic auth, then applies JWT-signed status webhooks', async () => {
    const sent = await w.api('POST', '/api/messages', { to: CONTACT, connectionId: w.connectionId, body: 'See you at 3' });
    expect(sent.status).toBe(201);
    const call = w.fake.requests[0];
    expect(call).toMatchObject({ method: 'POST', path: '/v1/messages' });
    expect(basicCredentials(call.headers.authorization as string)).toBe('abcd1234:api-secret');
    expect(call.json).toEqual({ message_type: 'text', channel: 'sms', to: CONTACT.slice(1), from: OUR_NUMBER.slice(1), text: 'See you at 3', webhook_url: w.webhookUrl });
    const uuid = sent.json.providerMessageId;

    const status = (s: string, extra: Record<string, unknown> = {}) => JSON.stringify({ message_uuid: uuid, to: CONTACT.slice(1), from: OUR_NUMBER.slice(1), timestamp: new Date().toISOString(), status: s, channel: 'sms', ...extra });
    const bearer = (b: string, claims: Record<string, unknown> = {}) => ({ 'content-type': 'application/json', authorization: `Bearer ${vonageJwt(SECRETS.signatureSecret, b, { api_key: SECRETS.apiKey, ...claims })}` });
    const submitted = status('submitted');
    expect((await w.webhook(submitted, bearer(submitted))).status).toBeLessThan(300);
    expect((await w.message(sent.json.id)).status).toBe('sent');
    const rejected = status('rejected', { error: { type: 'https://developer.nexmo.com/api-errors/messages-olympus#1050', title: 'Number barred' } });
    expect((await w.webhook(rejected, bearer(rejected, { iat: nowSeconds() - 900 }))).status).toBe(403);
    expect((await w.webhook(rejected, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await w.message(sent.json.id)).status).toBe('sent');
    expect((await w.webhook(rejected, bearer(rejected))).status).toBeLessThan(300);
    expect(await w.message(sent.json.id)).toMatchObject({ status: 'failed', errorCode: '1050', errorClass: 'permanent' });
  });

  it('applies an SMS API delivery receipt signed with `sig`', async () => {
    const sent = await w.api('POST', '/api/messages', { to: '+14155550188', connectionId: w.connectionId, body: 'Hello' });
    const params: Record<string, string> = { msisdn: '14155550188', to: OUR_NUMBER.slice(1), messageId: sent.json.providerMessageId, status: 'failed', 'err-code': '9', 'message-timestamp': '2025-01-01 12:00:00', timestamp: String(nowSeconds()) };
    params.sig = vonageSmsSignature(params, SECRETS.signatureSecret, 'sha256');
    expect((await w.webhook(form({ ...params, status: 'delivered' }), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(403);
    expect((await w.webhook(form(params), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBeLessThan(300);
    expect(await w.message(sent.json.id)).toMatchObject({ status: 'undelivered', errorCode: '9', errorClass: 'opted_out' });
  });
});
