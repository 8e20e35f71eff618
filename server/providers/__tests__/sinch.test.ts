// Sinch: HMAC-SHA256 over `${body}.${nonce}.${timestamp}` (base64), 5-minute tolerance added; SMS REST
// delivery reports and inbound texts; POST /xms/v1/{servicePlanId}/batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../http/errors';
import { parseSinchWebhook, sinchSignature, verifySinchRequest } from '../sinch';
import { nowSeconds } from '../../__tests__/helpers/providerSigners';
import { CONTACT, OUR_NUMBER, startProviderWorld, webhookRequest, type ProviderWorld } from '../../__tests__/helpers/providerWorld';

// Published vector: sinch/sinch-sdk-java client/src/test/java/com/sinch/sdk/domains/conversation/api/v1/adapters/
// ConversationWebhooksAuthenticationValidationTest.java (also in sinch/sinch-sdk-dotnet's webhook tests) — the
// same x-sinch-webhook-signature scheme the SMS API uses.
const VECTOR = {
  secret: 'foo_secret1234', nonce: '01FJA8B4A7BM43YGWSG9GBV067', timestamp: '1634579353',
  signature: '6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewOE=',
  body: '{"app_id":"","accepted_time":"2021-10-18T17:49:13.813615Z","project_id":"e2df3a34-a71b-4448-9db5-a8d2baad28e4","contact_create_notification":{"contact":{"id":"01FJA8B466Y0R2GNXD78MD9SM1","channel_identities":[{"channel":"SMS","identity":"48123456789","app_id":""}],"display_name":"New Test Contact","email":"new.contact@email.com","external_id":"","metadata":"","language":"EN_US"}},"message_metadata":""}',
};

const headersFor = (secret: string, body: string, timestamp = String(nowSeconds()), nonce = 'nonce-1') => ({
  'content-type': 'application/json', 'x-sinch-webhook-signature': sinchSignature(secret, body, nonce, timestamp),
  'x-sinch-webhook-signature-nonce': nonce, 'x-sinch-webhook-signature-timestamp': timestamp, 'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
});

describe('verifySinchRequest', () => {
  const vectorReq = (headers: Record<string, string> = {}, body = VECTOR.body) => webhookRequest({
    body, contentType: 'application/json',
    headers: { 'x-sinch-webhook-signature': VECTOR.signature, 'x-sinch-webhook-signature-nonce': VECTOR.nonce, 'x-sinch-webhook-signature-timestamp': VECTOR.timestamp, 'x-sinch-webhook-signature-algorithm': 'HmacSHA256', ...headers },
  });

  it('matches Sinch\'s published vector, and accepts it at its own time', () => {
    expect(sinchSignature(VECTOR.secret, VECTOR.body, VECTOR.nonce, VECTOR.timestamp)).toBe(VECTOR.signature);
    expect(verifySinchRequest(vectorReq(), VECTOR.secret, Number(VECTOR.timestamp) * 1000)).toEqual({ ok: true });
  });

  it('refuses it now (stale), tampered, with another secret, nonce or algorithm (403) and without headers (401)', () => {
    const at = Number(VECTOR.timestamp) * 1000;
    expect(verifySinchRequest(vectorReq(), VECTOR.secret)).toMatchObject({ ok: false, status: 403, reason: expect.stringMatching(/5 minutes/) });
    expect(verifySinchRequest(vectorReq(), VECTOR.secret, at + 301_000)).toMatchObject({ ok: false, status: 403 });
    expect(verifySinchRequest(vectorReq(), VECTOR.secret, at - 301_000)).toMatchObject({ ok: false, status: 403 });
    expect(verifySinchRequest(vectorReq({}, VECTOR.body.replace('New Test', 'Old Test')), VECTOR.secret, at)).toMatchObject({ ok: false, status: 403 });
    expect(verifySinchRequest(vectorReq(), 'not expected secret', at)).toMatchObject({ ok: false, status: 403 });
    expect(verifySinchRequest(vectorReq({ 'x-sinch-webhook-signature-nonce': '01FJA8B4A7BM43YGWSG9GBV068' }), VECTOR.secret, at)).toMatchObject({ ok: false, status: 403 });
    expect(verifySinchRequest(vectorReq({ 'x-sinch-webhook-signature-algorithm': 'HmacSHA1' }), VECTOR.secret, at)).toMatchObject({ ok: false, status: 403 });
    for (const h of ['x-sinch-webhook-signature', 'x-sinch-webhook-signature-nonce', 'x-sinch-webhook-signature-timestamp']) {
      const req = vectorReq();
      delete req.headers[h];
      expect(verifySinchRequest(req, VECTOR.secret, at), h).toMatchObject({ ok: false, status: 401 });
    }
    expect(verifySinchRequest(vectorReq(), undefined, at)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('parseSinchWebhook', () => {
  const parse = (v: unknown, contentType = 'application/json') => parseSinchWebhook(webhookRequest({ body: JSON.stringify(v), contentType }));
  // Shapes from sinch/sinch-sdk-java openapi-contracts test resources (DeliveryReportRecipientSMSDto.json,
  // deliveryreports/BatchDeliveryReportSMSDto.json, inbounds/MOTextDto.json).
  const recipient = (status: string, code: number) => ({
    type: 'recipient_delivery_report_sms', batch_id: '01FC66621XXXXX119Z8PMV1QPQ', recipient: '+44231235674', code, status,
    at: '2022-08-30T08:16:08.930Z', operator_status_at: '2022-08-30T08:16:08.150Z', client_reference: 'client reference',
  });

  it('maps every delivery status, keeping the code (0 means none)', () => {
    const cases: [string, string, number][] = [
      ['Queued', 'queued', 400], ['Dispatched', 'sent', 401], ['Aborted', 'failed', 412], ['Rejected', 'failed', 408],
      ['Expired', 'failed', 406], ['Cancelled', 'canceled', 407], ['Deleted', 'undelivered', 0], ['Failed', 'undelivered', 404],
      ['Delivered', 'delivered', 0], ['Unknown', 'sent', 0],
    ];
    for (const [raw, status, code] of cases) {
      expect(parse(recipient(raw, code)), raw).toEqual([{ kind: 'status', providerMessageId: '01FC66621XXXXX119Z8PMV1QPQ', status, errorCode: code ? String(code) : null }]);
    }
  });

  it('reads a batch delivery report (one event per status entry)', () => {
    const batch = { type: 'delivery_report_sms', batch_id: '01FC66621XXXXX119Z8PMV1QPQ', statuses: [{ code: 0, count: 1, recipients: ['44231235674'], status: 'Delivered' }], total_message_count: 1, client_reference: 'a client reference' };
    expect(parse(batch)).toEqual([{ kind: 'status', providerMessageId: '01FC66621XXXXX119Z8PMV1QPQ', status: 'delivered', errorCode: null }]);
  });

  it('reads mo_text as an inbound text, normalised to E.164', () => {
    const mo = { body: 'a body', client_reference: 'a client reference', from: '+11203494390', id: '01FC66621XXXXX119Z8PMV1QPA', operator_id: '35000', received_at: '2019-08-24T14:17:22Z', sent_at: '2019-08-24T14:15:22Z', to: '11203453453', type: 'mo_text' };
    expect(parse(mo)).toEqual([{ kind: 'inbound', providerMessageId: '01FC66621XXXXX119Z8PMV1QPA', from: '+11203494390', to: '+11203453453', body: 'a body' }]);
  });

  it('acknowledges callback types that carry no text or status', () => {
    expect(parse({ type: 'mo_binary', id: 'x' })).toEqual([{ kind: 'ignored', reason: expect.any(String) }]);
  });

  it('refuses malformed bodies with a 400 naming the problem', () => {
    const cases: [unknown, RegExp, string?][] = [
      [{ batch_id: 'a' }, /type is missing/],
      [[recipient('Delivered', 0)], /type is missing/],
      [{ ...recipient('Delivered', 0), batch_id: undefined }, /batch_id/],
      [recipient('Evaporated', 0), /not a Sinch delivery status/],
      [{ ...recipient('Failed', 0), code: '404 OR 1' }, /code/],
      [{ type: 'delivery_report_sms', batch_id: 'a' }, /statuses/],
      [{ type: 'mo_text', id: 'a', to: '123' }, /from/],
      [recipient('Delivered', 0), /JSON/, 'application/x-www-form-urlencoded'],
    ];
    for (const [body, problem, type] of cases) {
      let error: unknown;
      try { parse(body, type); } catch (e) { error = e; }
      expect(error, JSON.stringify(body)).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).message).toMatch(problem);
    }
  });
});

describe('Sinch through the real server', () => {
  const SECRET = 'sinch-webhook-secret';
  let w: ProviderWorld;
  let n = 0;
  beforeAll(async () => {
    w = await startProviderWorld({
      provider: 'sinch', secrets: { servicePlanId: 'plan123', apiToken: 'tok-sinch', webhookSecret: SECRET },
      respond: req => ({ status: 201, json: { id: `01W4FFL35P4NC4K35SMSBATC${++n}`, to: (req.json as any).to, from: OUR_NUMBER, canceled: false, body: (req.json as any).body, type: 'mt_text' } }),
    });
  });
  afterAll(async () => { await w.close(); });

  it('sends a one-recipient batch with per-recipient reports to our webhook, then applies signed reports', async () => {
    const sent = await w.api('POST', '/api/messages', { to: CONTACT, connectionId: w.connectionId, body: 'Appointment confirmed' });
    expect(sent.status).toBe(201);
    const call = w.fake.requests[0];
    expect(call).toMatchObject({ method: 'POST', path: '/xms/v1/plan123/batches' });
    expect(call.headers.authorization).toBe('Bearer tok-sinch');
    expect(call.json).toEqual({ from: OUR_NUMBER, to: [CONTACT], body: 'Appointment confirmed', delivery_report: 'per_recipient', callback_url: w.webhookUrl });
    const batch = sent.json.providerMessageId;

    const report = (status: string, code: number) => JSON.stringify({ type: 'recipient_delivery_report_sms', batch_id: batch, recipient: CONTACT, code, status, at: new Date().toISOString() });
    const dispatched = report('Dispatched', 401);
    expect((await w.webhook(dispatched, headersFor(SECRET, dispatched))).status).toBeLessThan(300);
    expect((await w.message(sent.json.id)).status).toBe('sent');
    const failed = report('Failed', 402);
    expect((await w.webhook(failed, headersFor(SECRET, failed, String(nowSeconds() - 400)))).status).toBe(403);
    expect((await w.webhook(failed, headersFor('wrong', failed))).status).toBe(403);
    expect((await w.message(sent.json.id)).status).toBe('sent');
    expect((await w.webhook(failed, headersFor(SECRET, failed))).status).toBeLessThan(300);
    expect(await w.message(sent.json.id)).toMatchObject({ status: 'undelivered', errorCode: '402', errorClass: 'permanent' });
  });
});
