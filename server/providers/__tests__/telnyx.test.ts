// Telnyx: Ed25519 over `${timestamp}|${body}`, 5-minute tolerance; Messaging v2 webhooks; POST /v2/messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../http/errors';
import { parseTelnyxWebhook, verifyEd25519, verifyTelnyxRequest } from '../telnyx';
import { telnyxKeyPair } from '../../__tests__/helpers/providerSigners';
import { CONTACT, OUR_NUMBER, startProviderWorld, webhookRequest, type ProviderWorld } from '../../__tests__/helpers/providerWorld';

const hex = (h: string) => Buffer.from(h, 'hex');
const b64 = (h: string) => hex(h).toString('base64');

function event(eventType: string, payload: Record<string, unknown>, id = '4ee8c3a6-4995-4309-a3c6-38e3db9ea4be') {
  return JSON.stringify({ data: { event_type: eventType, id, occurred_at: '2019-12-09T21:32:14.148+00:00', payload, record_type: 'event' }, meta: { attempt: 1 } });
}
const outbound = (status: string, errors: unknown[] = []) => event('message.finalized', {
  id: '40385f64-5717-4562-b3fc-2c963f66afa6', record_type: 'message', direction: 'outbound', type: 'SMS',
  from: { phone_number: OUR_NUMBER }, to: [{ phone_number: CONTACT, status }], text: 'Hello', errors,
});

describe('Ed25519 (the primitive Telnyx signs with)', () => {
  // Telnyx publishes no fixed webhook vector: its SDKs' own tests (team-telnyx/telnyx-node test/Webhook.spec.js,
  // team-telnyx/telnyx-python tests/test_webhook.py, team-telnyx/telnyx-ruby test/telnyx/lib/webhooks_ed25519_test.rb)
  // sign with a key pair generated per run. The primitive is checked against RFC 8032's published vectors.
  it('verifies RFC 8032 §7.1 TEST 1 (empty message) and TEST 2 (one byte)', () => {
    // https://www.rfc-editor.org/rfc/rfc8032#section-7.1 — TEST 1
    const pub1 = b64('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const sig1 = b64('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
    expect(verifyEd25519(pub1, Buffer.alloc(0), sig1)).toBe(true);
    // TEST 2: message 0x72
    const pub2 = b64('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
    const sig2 = b64('92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00');
    expect(verifyEd25519(pub2, hex('72'), sig2)).toBe(true);
    // Same vectors, crossed or altered: refused.
    expect(verifyEd25519(pub1, hex('72'), sig2)).toBe(false);
    expect(verifyEd25519(pub2, hex('73'), sig2)).toBe(false);
    expect(verifyEd25519('not-a-key', hex('72'), sig2)).toBe(false);
  });
});

describe('verifyTelnyxRequest', () => {
  const keys = telnyxKeyPair();
  const other = telnyxKeyPair();
  const body = outbound('delivered');
  const req = (headers: Record<string, string>, b: string = body) => webhookRequest({ body: b, contentType: 'application/json', headers });

  it('accepts a request signed over `${timestamp}|${body}` with the connection key', () => {
    expect(verifyTelnyxRequest(req(keys.headers(body)), keys.publicKey)).toEqual({ ok: true });
  });

  it('refuses a tampered body, another key, a stale or far-future timestamp (403) and a missing signature (401)', () => {
    const h = keys.headers(body);
    expect(verifyTelnyxRequest(req(h, body.replace('delivered', 'sent')), keys.publicKey)).toMatchObject({ ok: false, status: 403 });
    expect(verifyTelnyxRequest(req(h), other.publicKey)).toMatchObject({ ok: false, status: 403 });
    // The timestamp is signed, so changing it alone breaks the signature...
    expect(verifyTelnyxRequest(req({ ...h, 'telnyx-timestamp': String(Number(h['telnyx-timestamp']) + 1) }), keys.publicKey)).toMatchObject({ ok: false, status: 403 });
    // ...and a correctly signed old or future one is refused for its age.
    const now = Math.floor(Date.now() / 1000);
    expect(verifyTelnyxRequest(req(keys.headers(body, now - 301)), keys.publicKey)).toMatchObject({ ok: false, status: 403, reason: expect.stringMatching(/5 minutes/) });
    expect(verifyTelnyxRequest(req(keys.headers(body, now + 301)), keys.publicKey)).toMatchObject({ ok: false, status: 403 });
    expect(verifyTelnyxRequest(req(keys.headers(body, now - 299)), keys.publicKey)).toEqual({ ok: true });
    const { 'telnyx-signature-ed25519': _s, ...noSignature } = h;
    expect(verifyTelnyxRequest(req(noSignature), keys.publicKey)).toMatchObject({ ok: false, status: 401 });
    const { 'telnyx-timestamp': _t, ...noTimestamp } = h;
    expect(verifyTelnyxRequest(req(noTimestamp), keys.publicKey)).toMatchObject({ ok: false, status: 401 });
    expect(verifyTelnyxRequest(req({ ...h, 'telnyx-signature-ed25519': 'AAAA' }), keys.publicKey)).toMatchObject({ ok: false, status: 403 });
    expect(verifyTelnyxRequest(req(h), undefined)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('parseTelnyxWebhook', () => {
  const parse = (body: string, contentType = 'application/json') => parseTelnyxWebhook(webhookRequest({ body, contentType }));

  it('maps every to[].status onto the ladder, with the event id and the first error code', () => {
    const cases: [string, string][] = [
      ['scheduled', 'queued'], ['queued', 'queued'], ['sending', 'sending'], ['sent', 'sent'], ['delivered', 'delivered'],
      ['sending_failed', 'failed'], ['delivery_failed', 'undelivered'], ['delivery_unconfirmed', 'sent'],
      ['cancelled', 'canceled'], ['expired', 'failed'],
    ];
    for (const [raw, status] of cases) {
      expect(parse(outbound(raw)), raw).toEqual([{ kind: 'status', providerMessageId: '40385f64-5717-4562-b3fc-2c963f66afa6', status, errorCode: null, eventId: '4ee8c3a6-4995-4309-a3c6-38e3db9ea4be' }]);
    }
    const failed = parse(outbound('delivery_failed', [{ code: '40001', title: 'Not routable', detail: 'landline' }]));
    expect(failed[0]).toMatchObject({ status: 'undelivered', errorCode: '40001' });
    const sent = parse(event('message.sent', { id: 'abc-1', to: [{ phone_number: CONTACT, status: 'sent' }] }));
    expect(sent[0]).toMatchObject({ providerMessageId: 'abc-1', status: 'sent' });
    // A group text: one event for the message, at its recipients' highest status.
    const group = parse(event('message.finalized', { id: 'abc-2', to: [{ status: 'delivery_failed' }, { status: 'delivered' }, { status: 'sent' }] }));
    expect(group).toEqual([expect.objectContaining({ providerMessageId: 'abc-2', status: 'delivered' })]);
  });

  it('reads message.received as an inbound text, normalised to E.164', () => {
    const body = event('message.received', {
      id: 'b301ed3f-1490-491f-995f-6e64e69674d4', direction: 'inbound', text: 'STOP',
      from: { phone_number: '+14155550177', carrier: 'T-Mobile' }, to: [{ phone_number: OUR_NUMBER, status: 'webhook_delivered' }],
    }, 'evt-in-1');
    expect(parse(body)).toEqual([{ kind: 'inbound', providerMessageId: 'b301ed3f-1490-491f-995f-6e64e69674d4', from: '+14155550177', to: OUR_NUMBER, body: 'STOP', eventId: 'evt-in-1' }]);
  });

  it('acknowledges events that carry no status (nothing stored)', () => {
    expect(parse(event('number_order.complete', { id: 'x' }))).toEqual([{ kind: 'ignored', reason: expect.any(String) }]);
  });

  it('refuses malformed bodies with a 400 naming the problem', () => {
    const cases: [string, RegExp, string?][] = [
      ['{not json', /not valid JSON/],
      ['{"data":1}', /data is missing/],
      ['{"data":{"payload":{}}}', /event_type/],
      [event('message.finalized', { to: [{ status: 'sent' }] }), /payload\.id/],
      [event('message.finalized', { id: '../etc', to: [{ status: 'sent' }] }), /not a message id/],
      [event('message.finalized', { id: 'a1', to: [] }), /payload\.to/],
      [outbound('exploded'), /not a Telnyx message status/],
      [outbound('delivery_failed', [{ code: '4; DROP' }]), /error code/],
      [event('message.received', { id: 'a1', to: [{}], from: { phone_number: '+1415' } }), /to\[0\]/],
      [outbound('sent'), /JSON/, 'application/x-www-form-urlencoded'],
    ];
    for (const [body, problem, type] of cases) {
      let error: unknown;
      try { parse(body, type); } catch (e) { error = e; }
      expect(error, body).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).message).toMatch(problem);
    }
  });
});

describe('Telnyx through the real server', () => {
  const keys = telnyxKeyPair();
  let w: ProviderWorld;
  beforeAll(async () => {
    w = await startProviderWorld({
      provider: 'telnyx', secrets: { apiKey: 'KEY0123', publicKey: keys.publicKey },
      respond: req => ({ status: 200, json: { data: { id: `tx-${w.fake.requests.length}`, record_type: 'message', to: [{ phone_number: (req.json as any).to, status: 'queued' }] } } }),
    });
  });
  afterAll(async () => { await w.close(); });

  it('sends with the API key to /v2/messages with the webhook URL, then applies signed callbacks', async () => {
    const sent = await w.api('POST', '/api/messages', { to: CONTACT, connectionId: w.connectionId, body: 'Your table is ready' });
    expect(sent.status).toBe(201);
    const call = w.fake.requests[0];
    expect(call).toMatchObject({ method: 'POST', path: '/v2/messages' });
    expect(call.headers.authorization).toBe('Bearer KEY0123');
    expect(call.json).toEqual({ from: OUR_NUMBER, to: CONTACT, text: 'Your table is ready', webhook_url: w.webhookUrl });
    expect(sent.json.providerMessageId).toBe('tx-1');

    const finalized = event('message.finalized', { id: 'tx-1', to: [{ phone_number: CONTACT, status: 'delivery_failed' }], errors: [{ code: '40300', title: 'Blocked due to STOP message' }] });
    // A stale signature is refused and changes nothing.
    const stale = await w.webhook(finalized, keys.headers(finalized, Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(403);
    expect((await w.message(sent.json.id)).status).toBe('queued');

    const sending = event('message.sent', { id: 'tx-1', to: [{ phone_number: CONTACT, status: 'sent' }] }, 'evt-sent');
    expect((await w.webhook(sending, keys.headers(sending))).status).toBeLessThan(300);
    expect((await w.message(sent.json.id)).status).toBe('sent');
    expect((await w.webhook(finalized, keys.headers(finalized))).status).toBeLessThan(300);
    expect(await w.message(sent.json.id)).toMatchObject({ status: 'undelivered', errorCode: '40300', errorClass: 'opted_out' });
  });

  it('passes data.id through as the event id: a delivery already applied is not applied again', async () => {
    const sent = await w.api('POST', '/api/messages', { to: '+14155550142', connectionId: w.connectionId, body: 'once' });
    const id = sent.json.providerMessageId;
    const first = event('message.sent', { id, to: [{ phone_number: '+14155550142', status: 'sent' }] }, 'evt-replay-1');
    expect((await w.webhook(first, keys.headers(first))).status).toBeLessThan(300);
    // Same event id, different content: the store treats it as the same delivery and ignores it.
    const replay = event('message.finalized', { id, to: [{ phone_number: '+14155550142', status: 'delivered' }] }, 'evt-replay-1');
    expect((await w.webhook(replay, keys.headers(replay))).status).toBeLessThan(300);
    expect((await w.message(sent.json.id)).status).toBe('sent');
  });

  it('records a refused send with Telnyx\'s own error code', async () => {
    w.fake.respond = () => ({ status: 422, json: { errors: [{ code: '40300', title: 'Blocked due to STOP message', detail: 'Messages cannot be sent from x to y' }] } });
    const sent = await w.api('POST', '/api/messages', { to: '+14155550199', connectionId: w.connectionId, body: 'hi' });
    expect(sent.json).toMatchObject({ status: 'failed', errorCode: '40300', errorClass: 'opted_out' });
  });
});
