// Twilio: form-encoded status callbacks and inbound texts, signed with X-Twilio-Signature.
// https://www.twilio.com/docs/usage/webhooks/webhooks-security
// https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
import { createHash } from 'node:crypto';
import type { Status } from '../../domain/status';
import { badRequest } from '../http/errors';
import { firstValues, formPairs } from './common';
import { header, hmacBase64, safeEqual } from './signing';
import { ProviderSendError, type ProviderPlugin, type SendRequest, type Verification, type WebhookEvent, type WebhookRequest } from './types';
import type { Connection } from '../store/types';

/**
 * The signature Twilio computes: base64(HMAC-SHA1(authToken, url + each POST param's key and value, sorted
 * by key)). Pairs are sorted by key, then value, so repeated keys sign the same on both sides.
 */
export function twilioSignature(authToken: string, url: string, params: [string, string][] | Record<string, string>): string {
  const pairs = Array.isArray(params) ? [...params] : Object.entries(params);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return hmacBase64('sha1', authToken, url + pairs.map(([k, v]) => k + v).join(''));
}

// MessageStatus values: https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
const STATUS_MAP: Record<string, Status> = {
  accepted: 'queued', scheduled: 'queued', queued: 'queued', sending: 'sending', sent: 'sent',
  delivered: 'delivered', undelivered: 'undelivered', failed: 'failed', read: 'read', canceled: 'canceled',
  // Only part of a multi-segment text arrived: the handset has it, so it ranks as delivered.
  partially_delivered: 'delivered',
};

export function verifyTwilioRequest(req: WebhookRequest, authToken: string | undefined): Verification {
  const given = header(req.headers, 'x-twilio-signature');
  if (!given) return { ok: false, status: 401, reason: 'missing X-Twilio-Signature' };
  if (!authToken) return { ok: false, status: 403, reason: 'connection has no authToken' };
  let expected: string;
  if (req.contentType === 'application/json') {
    // JSON webhooks sign the URL alone and carry the body's SHA-256 in the bodySHA256 query parameter.
    const url = new URL(req.url);
    const bodyHash = url.searchParams.get('bodySHA256') ?? '';
    const actual = createHash('sha256').update(req.rawBody).digest('hex');
    if (!safeEqual(bodyHash, actual)) return { ok: false, status: 403, reason: 'bodySHA256 does not match the body' };
    expected = twilioSignature(authToken, req.url, []);
  } else {
    expected = twilioSignature(authToken, req.url, formPairs(req));
  }
  return safeEqual(given, expected) ? { ok: true } : { ok: false, status: 403, reason: 'X-Twilio-Signature does not match' };
}

export function parseTwilioWebhook(req: WebhookRequest): WebhookEvent[] {
  if (req.contentType !== 'application/x-www-form-urlencoded') {
    throw badRequest('Twilio webhooks are form posts (application/x-www-form-urlencoded)', 'unsupported_media_type');
  }
  const p = firstValues(formPairs(req));
  const sid = p.get('MessageSid') ?? p.get('SmsSid');
  if (!sid) throw badRequest('MessageSid is missing', 'invalid_callback');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(sid)) throw badRequest('MessageSid is not a message id', 'invalid_callback');
  const raw = p.get('MessageStatus') ?? p.get('SmsStatus');
  if (!raw) throw badRequest('MessageStatus is missing', 'invalid_callback');
  if (raw === 'received' || raw === 'receiving') {
    const from = p.get('From');
    const to = p.get('To');
    if (!from || !to) throw badRequest('an inbound text needs From and To', 'invalid_callback');
    if (raw === 'receiving') return [{ kind: 'ignored', reason: 'inbound text still arriving' }];
    return [{ kind: 'inbound', providerMessageId: sid, from, to, body: p.get('Body') ?? '' }];
  }
  // Own keys only: "constructor" is not a Twilio status, whatever Object.prototype says.
  const status = Object.hasOwn(STATUS_MAP, raw) ? STATUS_MAP[raw] : undefined;
  if (!status) throw badRequest(`MessageStatus "${raw.slice(0, 40)}" is not a Twilio message status`, 'invalid_callback');
  const code = p.get('ErrorCode');
  if (code !== null && code !== '' && !/^\d{1,10}$/.test(code)) throw badRequest('ErrorCode must be numeric', 'invalid_callback');
  return [{ kind: 'status', providerMessageId: sid, status, errorCode: code || null }];
}

/** POST /2010-04-01/Accounts/{AccountSid}/Messages.json — https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource */
export async function sendViaTwilio(connection: Connection, req: SendRequest): Promise<{ providerMessageId: string }> {
  const { accountSid, authToken } = connection.secrets;
  const origin = connection.apiBaseUrl ?? 'https://api.twilio.com';
  const url = new URL(`/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, origin);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: req.to, From: req.from, Body: req.body, StatusCallback: req.statusCallbackUrl }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    throw new ProviderSendError(null, `Twilio could not be reached: ${(e as Error).message}`, true);
  }
  const json = (await res.json().catch(() => null)) as { sid?: string; code?: number; message?: string } | null;
  if (res.ok && json?.sid) return { providerMessageId: json.sid };
  // Twilio's REST errors carry its error code, e.g. 21211 invalid To, 21610 unsubscribed recipient.
  throw new ProviderSendError(json?.code != null ? String(json.code) : null,
    json?.message ?? `Twilio answered ${res.status}`, res.status >= 500 || res.status === 429);
}

/** GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json — https://www.twilio.com/docs/messaging/api/message-resource#fetch-a-message-resource */
export async function fetchTwilioStatus(connection: Connection, sid: string): Promise<{ status: Status; errorCode: string | null } | null> {
  const { accountSid, authToken } = connection.secrets;
  const url = new URL(`/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages/${encodeURIComponent(sid)}.json`, connection.apiBaseUrl ?? 'https://api.twilio.com');
  const res = await fetch(url, {
    headers: { authorization: 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64') },
    signal: AbortSignal.timeout(15_000),
  });
  if (!res.ok) return null;
  const json = (await res.json().catch(() => null)) as { status?: string; error_code?: number | string | null } | null;
  const status = json?.status && Object.hasOwn(STATUS_MAP, json.status) ? STATUS_MAP[json.status] : undefined;
  if (!status) return null;
  return { status, errorCode: json?.error_code != null ? String(json.error_code) : null };
}

export const twilio: ProviderPlugin = {
  id: 'twilio',
  verify: (req, connection) => verifyTwilioRequest(req, connection.secrets.authToken),
  parse: parseTwilioWebhook,
  send: (connection, req) => sendViaTwilio(connection, req),
  fetchStatus: (connection, sid) => fetchTwilioStatus(connection, sid),
  // Twilio reads the answer to an inbound text as TwiML: an empty <Response/> replies nothing.
  acknowledgement: { contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' },
};
