// Telnyx Messaging v2: JSON webhooks signed with Ed25519 over `${telnyx-timestamp}|${raw body}`.
// https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks
// https://developers.telnyx.com/api-reference/callbacks/delivery-update
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { Status } from '../../domain/status';
import { badRequest } from '../http/errors';
import type { Connection } from '../store/types';
import { address, callProviderApi, errorCode, freshTimestamp, getFromProviderApi, highest, isObject, jsonBody, messageId, optionalText, own, retryableStatus } from './common';
import { header } from './signing';
import { ProviderSendError, type ProviderPlugin, type SendRequest, type Verification, type WebhookEvent, type WebhookRequest } from './types';

// A raw 32-byte Ed25519 key wrapped as SubjectPublicKeyInfo (RFC 8410), the form node:crypto takes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keyCache = new Map<string, KeyObject | null>();

function ed25519Key(publicKeyBase64: string): KeyObject | null {
  if (keyCache.has(publicKeyBase64)) return keyCache.get(publicKeyBase64)!;
  const raw = Buffer.from(publicKeyBase64, 'base64');
  let key: KeyObject | null = null;
  if (raw.length === 32) {
    try { key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' }); } catch { key = null; }
  }
  if (keyCache.size > 1000) keyCache.clear();
  keyCache.set(publicKeyBase64, key);
  return key;
}

/** Ed25519 verification of `message` against a base64 signature and a base64 raw public key. */
export function verifyEd25519(publicKeyBase64: string, message: Buffer, signatureBase64: string): boolean {
  const key = ed25519Key(publicKeyBase64);
  const signature = Buffer.from(signatureBase64, 'base64');
  if (!key || signature.length !== 64) return false;
  try { return verifySignature(null, message, key, signature); } catch { return false; }
}

export function verifyTelnyxRequest(req: WebhookRequest, publicKey: string | undefined, nowMs = Date.now()): Verification {
  const signature = header(req.headers, 'telnyx-signature-ed25519');
  const timestamp = header(req.headers, 'telnyx-timestamp');
  if (!signature || !timestamp) return { ok: false, status: 401, reason: 'missing telnyx-signature-ed25519 or telnyx-timestamp' };
  if (!publicKey || !ed25519Key(publicKey)) return { ok: false, status: 403, reason: 'connection has no valid Ed25519 publicKey' };
  // The timestamp is part of what is signed, so checking its age after the signature stops replays.
  const signed = Buffer.concat([Buffer.from(`${timestamp}|`, 'utf8'), req.rawBody]);
  if (!verifyEd25519(publicKey, signed, signature)) return { ok: false, status: 403, reason: 'telnyx-signature-ed25519 does not match' };
  if (!freshTimestamp(timestamp, nowMs)) return { ok: false, status: 403, reason: 'telnyx-timestamp is more than 5 minutes away' };
  return { ok: true };
}

// to[].status values: https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks ("Delivery
// statuses"), also the `status` enum of the Telnyx SDKs' message models.
const STATUS_MAP: Record<string, Status> = {
  scheduled: 'queued', queued: 'queued', sending: 'sending', sent: 'sent',
  delivered: 'delivered',
  // Telnyx could not hand the text to the carrier: it never left, like Twilio's `failed`.
  sending_failed: 'failed',
  // The carrier reported it could not deliver.
  delivery_failed: 'undelivered',
  // No carrier receipt will come: the text left but nobody knows if it arrived. `sent` keeps it honest —
  // it turns `stuck` after STUCK_SENT_MINUTES rather than claiming delivered (CONTRACT "Status").
  delivery_unconfirmed: 'sent',
  cancelled: 'canceled',
  // A scheduled text whose send window passed: it never left.
  expired: 'failed',
};

export function parseTelnyxWebhook(req: WebhookRequest): WebhookEvent[] {
  const body = jsonBody(req, 'Telnyx');
  const data = isObject(body) ? body.data : undefined;
  if (!isObject(data)) throw badRequest('data is missing', 'invalid_callback');
  const eventType = data.event_type;
  if (typeof eventType !== 'string') throw badRequest('data.event_type is missing', 'invalid_callback');
  const eventId = data.id === undefined ? undefined : messageId(data.id, 'data.id');
  const payload = data.payload;
  if (!isObject(payload)) throw badRequest('data.payload is missing', 'invalid_callback');

  if (eventType === 'message.received') {
    const to = Array.isArray(payload.to) ? payload.to[0] : undefined;
    const from = isObject(payload.from) ? payload.from.phone_number : undefined;
    return [{
      kind: 'inbound', providerMessageId: messageId(payload.id, 'data.payload.id'),
      from: address(from, 'data.payload.from.phone_number'),
      to: address(isObject(to) ? to.phone_number : undefined, 'data.payload.to[0].phone_number'),
      body: optionalText(payload.text, 'data.payload.text'), ...(eventId ? { eventId } : {}),
    }];
  }
  if (eventType !== 'message.sent' && eventType !== 'message.finalized') {
    return [{ kind: 'ignored', reason: `Telnyx event ${eventType.slice(0, 60)} carries no message status` }];
  }
  const id = messageId(payload.id, 'data.payload.id');
  if (!Array.isArray(payload.to) || payload.to.length === 0) throw badRequest('data.payload.to is missing', 'invalid_callback');
  const errors = Array.isArray(payload.errors) ? payload.errors : [];
  const code = errors.length > 0 && isObject(errors[0]) ? errorCode(errors[0].code, 'data.payload.errors[0].code') : null;
  // A group text lists a status per recipient. They all describe this one message, and the ladder would keep
  // the highest anyway; one event per webhook keeps the event id meaning "this delivery" for replay checks.
  const statuses = payload.to.map((recipient, i) => {
    const raw = isObject(recipient) ? recipient.status : undefined;
    if (typeof raw !== 'string') throw badRequest(`data.payload.to[${i}].status is missing`, 'invalid_callback');
    const status = own(STATUS_MAP, raw);
    if (!status) throw badRequest(`data.payload.to[${i}].status "${raw.slice(0, 40)}" is not a Telnyx message status`, 'invalid_callback');
    return status;
  });
  const { status } = highest(statuses.map(s => ({ status: s })))!;
  return [{ kind: 'status', providerMessageId: id, status, errorCode: code, ...(eventId ? { eventId } : {}) }];
}

/** POST /v2/messages — https://developers.telnyx.com/api-reference/messages/send-a-message */
export async function sendViaTelnyx(connection: Connection, req: SendRequest): Promise<{ providerMessageId: string }> {
  const { apiKey } = connection.secrets;
  const { status, json } = await callProviderApi('Telnyx', connection.apiBaseUrl ?? 'https://api.telnyx.com', '/v2/messages', {
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
    // webhook_url per message beats the messaging profile's URL, so callbacks reach this connection's webhook.
    body: JSON.stringify({ from: req.from, to: req.to, text: req.body, webhook_url: req.statusCallbackUrl }),
  });
  const data = isObject(json) && isObject(json.data) ? json.data : null;
  if (status >= 200 && status < 300 && data && typeof data.id === 'string') return { providerMessageId: data.id };
  // Errors: {errors: [{code, title, detail}]}, e.g. 40300 "Blocked due to STOP message".
  const first = isObject(json) && Array.isArray(json.errors) && isObject(json.errors[0]) ? json.errors[0] : null;
  const code = first && (typeof first.code === 'string' || typeof first.code === 'number') ? String(first.code) : null;
  const message = first ? String(first.detail ?? first.title ?? '') : '';
  throw new ProviderSendError(code, message || `Telnyx answered ${status}`, retryableStatus(status));
}

/** Reconciliation: GET /v2/messages/{id} — https://developers.telnyx.com/api-reference/messages/retrieve-a-message */
export async function fetchTelnyxStatus(connection: Connection, id: string): Promise<{ status: Status; errorCode: string | null } | null> {
  const json = await getFromProviderApi(connection.apiBaseUrl ?? 'https://api.telnyx.com', `/v2/messages/${encodeURIComponent(id)}`,
    { authorization: `Bearer ${connection.secrets.apiKey}` });
  const data = isObject(json) && isObject(json.data) ? json.data : null;
  if (!data || !Array.isArray(data.to)) return null;
  const best = highest(data.to.flatMap(r => {
    const status = isObject(r) && typeof r.status === 'string' ? own(STATUS_MAP, r.status) : undefined;
    return status ? [{ status }] : [];
  }));
  if (!best) return null;
  const first = Array.isArray(data.errors) && isObject(data.errors[0]) ? data.errors[0] : null;
  const code = first && (typeof first.code === 'string' || typeof first.code === 'number') ? String(first.code) : null;
  return { status: best.status, errorCode: code };
}

export const telnyx: ProviderPlugin = {
  id: 'telnyx',
  verify: (req, connection) => verifyTelnyxRequest(req, connection.secrets.publicKey),
  parse: parseTelnyxWebhook,
  send: (connection, req) => sendViaTelnyx(connection, req),
  fetchStatus: (connection, id) => fetchTelnyxStatus(connection, id),
};
