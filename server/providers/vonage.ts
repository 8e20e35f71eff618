// Vonage: Messages API webhooks (JSON, signed with an HS256 JWT in `Authorization: Bearer`) and the SMS API's
// delivery receipts and inbound texts (signed with a `sig` parameter). Sends go through the Messages API.
// https://developer.vonage.com/en/messages/concepts/signed-webhooks
// https://developer.vonage.com/en/getting-started/concepts/signing-messages
// https://developer.vonage.com/en/messaging/sms/guides/delivery-receipts
import { createHash, createHmac } from 'node:crypto';
import type { Status } from '../../domain/status';
import { badRequest } from '../http/errors';
import type { Connection } from '../store/types';
import { address, basicAuth, callProviderApi, errorCode, flatParams, freshTimestamp, isObject, messageId, optionalText, own, retryableStatus } from './common';
import { header, safeEqual } from './signing';
import { ProviderSendError, type ProviderPlugin, type SendRequest, type Verification, type WebhookEvent, type WebhookRequest } from './types';

const base64url = (buf: Buffer) => buf.toString('base64url');

function decodeJsonPart(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * An HS256 JWT's claims when its signature holds under `secret`, else null. Only HS256 is accepted: Vonage
 * signs Messages API webhooks with HS256 always, and taking the algorithm from the token would let `none` in.
 */
export function verifyHs256Jwt(token: string, secret: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some(p => !/^[A-Za-z0-9_-]*$/.test(p))) return null;
  const [h, p, s] = parts;
  const head = decodeJsonPart(h);
  if (!head || head.alg !== 'HS256') return null;
  const expected = base64url(createHmac('sha256', secret).update(`${h}.${p}`).digest());
  if (!safeEqual(s, expected)) return null;
  return decodeJsonPart(p);
}

function verifyJwtWebhook(req: WebhookRequest, token: string, secrets: Record<string, string>, nowMs: number): Verification {
  const secret = secrets.signatureSecret;
  if (!secret) return { ok: false, status: 403, reason: 'connection has no signatureSecret' };
  const claims = verifyHs256Jwt(token, secret);
  if (!claims) return { ok: false, status: 403, reason: 'the webhook JWT is not signed with this signatureSecret' };
  // The api_key claim names whose secret signed it; another account's callback must not pass as ours.
  if (claims.api_key !== undefined && secrets.apiKey && !safeEqual(String(claims.api_key), secrets.apiKey)) {
    return { ok: false, status: 403, reason: 'the webhook JWT is for another api_key' };
  }
  const iat = typeof claims.iat === 'number' ? Math.floor(claims.iat) : undefined;
  if (!freshTimestamp(iat, nowMs)) return { ok: false, status: 403, reason: 'the webhook JWT iat is more than 5 minutes away' };
  if (typeof claims.exp === 'number' && claims.exp * 1000 < nowMs) return { ok: false, status: 403, reason: 'the webhook JWT has expired' };
  // payload_hash: SHA-256 of the body, so a body swapped under a valid token is caught.
  const actual = createHash('sha256').update(req.rawBody).digest('hex');
  if (typeof claims.payload_hash !== 'string' || !safeEqual(claims.payload_hash.toLowerCase(), actual)) {
    return { ok: false, status: 403, reason: 'payload_hash does not match the body' };
  }
  return { ok: true };
}

/**
 * The SMS API's `sig`: the parameters other than `sig`, sorted by name, each as `&name=value` with `&` and `=`
 * in values replaced by `_`; then MD5 of that string followed by the secret (`md5hash`), or an HMAC of it keyed
 * by the secret (`md5`, `sha1`, `sha256`, `sha512`; upper-case hex).
 */
export type VonageSignatureMethod = 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512';

export function vonageSmsSignature(params: Record<string, string>, secret: string, method: VonageSignatureMethod): string {
  const signed = Object.keys(params).filter(k => k !== 'sig').sort()
    .map(k => `&${k}=${params[k].replace(/[&=]/g, '_')}`).join('');
  if (method === 'md5hash') return createHash('md5').update(signed + secret, 'utf8').digest('hex');
  return createHmac(method, secret).update(signed, 'utf8').digest('hex').toUpperCase();
}

// The connection's secrets do not say which method the account uses; the digest length does (MD5 32, SHA-1 40,
// SHA-256 64, SHA-512 128 hex digits) — only MD5 has two candidates, and both are compared in constant time.
const METHODS_BY_LENGTH: Record<string, VonageSignatureMethod[]> = { 32: ['md5hash', 'md5'], 40: ['sha1'], 64: ['sha256'], 128: ['sha512'] };

function verifySigWebhook(params: Record<string, string>, secrets: Record<string, string>, nowMs: number): Verification {
  const secret = secrets.signatureSecret;
  if (!secret) return { ok: false, status: 403, reason: 'connection has no signatureSecret' };
  const given = params.sig.toLowerCase();
  const methods = own(METHODS_BY_LENGTH, String(given.length)) ?? [];
  let match = false;
  for (const m of methods) match = safeEqual(given, vonageSmsSignature(params, secret, m).toLowerCase()) || match;
  if (!match) return { ok: false, status: 403, reason: 'sig does not match' };
  // `timestamp` is among the signed parameters; it bounds how long a captured request can be replayed.
  if (!freshTimestamp(params.timestamp, nowMs)) return { ok: false, status: 403, reason: 'timestamp is missing or more than 5 minutes away' };
  return { ok: true };
}

export function verifyVonageRequest(req: WebhookRequest, secrets: Record<string, string>, nowMs = Date.now()): Verification {
  const authorization = header(req.headers, 'authorization');
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return verifyJwtWebhook(req, bearer, secrets, nowMs);
  const params = flatParams(req);
  if (params?.sig) return verifySigWebhook(params, secrets, nowMs);
  return { ok: false, status: 401, reason: 'missing the Authorization Bearer JWT or the sig parameter' };
}

// Messages API statuses: https://developer.vonage.com/en/messages/concepts/messages-status-callbacks
const MESSAGES_STATUS: Record<string, Status> = {
  // Handed to the carrier; for SMS the last status before delivered/rejected.
  submitted: 'sent',
  delivered: 'delivered',
  read: 'read',
  // Refused by Vonage or the provider before reaching the handset (invalid params, TTL expired, ...).
  rejected: 'failed',
  // Could not be delivered. Ranked undelivered: for SMS it carries the carrier's failure.
  undeliverable: 'undelivered',
};

// SMS API delivery receipt statuses: https://developer.vonage.com/en/messaging/sms/guides/delivery-receipts
const DLR_STATUS: Record<string, Status> = {
  // Accepted or buffered by the carrier: left Vonage, not yet on the handset.
  accepted: 'sent', buffered: 'sent',
  // No usable receipt yet; not final, so it turns stuck rather than pretending either way.
  unknown: 'sent',
  delivered: 'delivered',
  // Receipts come from the downstream carrier, so every failing receipt is a carrier refusal: undelivered.
  failed: 'undelivered', rejected: 'undelivered', expired: 'undelivered',
};

/** The Messages API error code: the number after `#` in `error.type`, else a numeric `error.title`. */
function messagesErrorCode(error: unknown): string | null {
  if (!isObject(error)) return null;
  const fromType = typeof error.type === 'string' ? error.type.match(/#(\d{1,10})$/)?.[1] : undefined;
  if (fromType) return fromType;
  if (typeof error.title === 'number' || (typeof error.title === 'string' && /^\d{1,10}$/.test(error.title))) return String(error.title);
  return null;
}

function parseMessagesApi(body: Record<string, unknown>): WebhookEvent[] {
  const id = messageId(body.message_uuid, 'message_uuid');
  if (body.status !== undefined) {
    if (typeof body.status !== 'string') throw badRequest('status must be text', 'invalid_callback');
    const status = own(MESSAGES_STATUS, body.status);
    if (!status) throw badRequest(`status "${body.status.slice(0, 40)}" is not a Messages API status`, 'invalid_callback');
    return [{ kind: 'status', providerMessageId: id, status, errorCode: messagesErrorCode(body.error) }];
  }
  if (body.message_type !== 'text') return [{ kind: 'ignored', reason: 'inbound message that is not text' }];
  return [{ kind: 'inbound', providerMessageId: id, from: address(body.from, 'from'), to: address(body.to, 'to'), body: optionalText(body.text, 'text') }];
}

function parseSmsApi(params: Record<string, string>): WebhookEvent[] {
  const id = messageId(params.messageId, 'messageId');
  if (params.status !== undefined) {
    const status = own(DLR_STATUS, params.status);
    if (!status) throw badRequest(`status "${params.status.slice(0, 40)}" is not a delivery receipt status`, 'invalid_callback');
    return [{ kind: 'status', providerMessageId: id, status, errorCode: errorCode(params['err-code'], 'err-code') }];
  }
  // Inbound SMS: msisdn is the sender, to our number. https://developer.vonage.com/en/messaging/sms/guides/inbound-sms
  if (params.type !== undefined && params.type !== 'text' && params.type !== 'unicode') {
    return [{ kind: 'ignored', reason: `inbound SMS of type ${params.type.slice(0, 20)}` }];
  }
  return [{ kind: 'inbound', providerMessageId: id, from: address(params.msisdn, 'msisdn'), to: address(params.to, 'to'), body: params.text ?? '' }];
}

export function parseVonageWebhook(req: WebhookRequest): WebhookEvent[] {
  if (req.contentType !== 'application/json' && req.contentType !== 'application/x-www-form-urlencoded') {
    throw badRequest('Vonage webhooks are JSON or form posts', 'unsupported_media_type');
  }
  if (req.contentType === 'application/json') {
    let body: unknown;
    try { body = JSON.parse(req.text); } catch { throw badRequest('body is not valid JSON', 'invalid_json'); }
    if (!isObject(body)) throw badRequest('body must be a JSON object', 'invalid_json');
    if ('message_uuid' in body) return parseMessagesApi(body);
  }
  const params = flatParams(req);
  if (params && 'messageId' in params) return parseSmsApi(params);
  throw badRequest('neither a Messages API callback (message_uuid) nor an SMS API one (messageId)', 'invalid_callback');
}

/** POST /v1/messages — https://developer.vonage.com/en/api/messages#SendMessage */
export async function sendViaVonage(connection: Connection, req: SendRequest): Promise<{ providerMessageId: string }> {
  const { apiKey, apiSecret } = connection.secrets;
  // Vonage wants E.164 without the leading "+".
  const bare = (n: string) => n.replace(/^\+/, '');
  const { status, json } = await callProviderApi('Vonage', connection.apiBaseUrl ?? 'https://api.nexmo.com', '/v1/messages', {
    headers: { authorization: basicAuth(apiKey ?? '', apiSecret ?? ''), 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ message_type: 'text', channel: 'sms', to: bare(req.to), from: bare(req.from), text: req.body, webhook_url: req.statusCallbackUrl }),
  });
  if (status >= 200 && status < 300 && isObject(json) && typeof json.message_uuid === 'string') return { providerMessageId: json.message_uuid };
  // RFC 7807 errors, e.g. type ".../messages-olympus#1120" — https://developer.vonage.com/en/api-errors/messages
  const code = messagesErrorCode(json);
  const message = isObject(json) ? String(json.detail ?? json.title ?? '') : '';
  throw new ProviderSendError(code, message || `Vonage answered ${status}`, retryableStatus(status));
}

export const vonage: ProviderPlugin = {
  id: 'vonage',
  verify: (req, connection) => verifyVonageRequest(req, connection.secrets),
  parse: parseVonageWebhook,
  send: (connection, req) => sendViaVonage(connection, req),
};
