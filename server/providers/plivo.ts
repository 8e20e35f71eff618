// Plivo: form-encoded message status callbacks and inbound texts, signed with X-Plivo-Signature-V3.
// The V3 algorithm as Plivo's SDKs implement it: plivo/plivo-python plivo/utils/signature_v3.py,
// plivo/plivo-go utils.go. Error codes: https://www.plivo.com/docs/messaging/troubleshooting/error-codes
import { createHmac } from 'node:crypto';
import type { Status } from '../../domain/status';
import { badRequest } from '../http/errors';
import type { Connection } from '../store/types';
import { address, basicAuth, callProviderApi, errorCode, firstValues, formPairs, getFromProviderApi, isObject, messageId, own, retryableStatus } from './common';
import { header, safeEqual } from './signing';
import { ProviderSendError, type ProviderPlugin, type SendRequest, type Verification, type WebhookEvent, type WebhookRequest } from './types';

const byKeyThenValue = ([ak, av]: [string, string], [bk, bv]: [string, string]) =>
  ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0;

/**
 * The V3 signature of a POST, as Plivo's SDKs compute it: the URL without its query, then `?` and the query
 * parameters sorted (`k=v&k=v`) when there are any query or body parameters, a `.` when there are both, then
 * the body parameters sorted and joined as `keyvalue` with no separators; then `.` and the nonce, signed with
 * HMAC-SHA256 keyed by the auth token, base64.
 */
export function plivoV3Signature(authToken: string, url: string, params: [string, string][] | Record<string, string>, nonce: string): string {
  const u = new URL(url);
  const base = `${u.protocol}//${u.host}${u.pathname}`;
  const query = [...u.searchParams].sort(byKeyThenValue).map(([k, v]) => `${k}=${v}`).join('&');
  const body = (Array.isArray(params) ? [...params] : Object.entries(params)).sort(byKeyThenValue).map(([k, v]) => k + v).join('');
  let signed = base;
  if (query || body) signed += '?' + query;
  if (query && body) signed += '.';
  signed += body;
  return createHmac('sha256', authToken).update(`${signed}.${nonce}`, 'utf8').digest('base64');
}

export function verifyPlivoRequest(req: WebhookRequest, authToken: string | undefined): Verification {
  const given = header(req.headers, 'x-plivo-signature-v3');
  const nonce = header(req.headers, 'x-plivo-signature-v3-nonce');
  if (!given || !nonce) return { ok: false, status: 401, reason: 'missing X-Plivo-Signature-V3 or its nonce' };
  if (!authToken) return { ok: false, status: 403, reason: 'connection has no authToken' };
  const params = req.contentType === 'application/x-www-form-urlencoded' ? formPairs(req) : [];
  const expected = plivoV3Signature(authToken, req.url, params, nonce);
  // The header lists one signature per active auth token while a token is being rotated.
  let match = false;
  for (const candidate of given.split(',')) match = safeEqual(candidate.trim(), expected) || match;
  return match ? { ok: true } : { ok: false, status: 403, reason: 'X-Plivo-Signature-V3 does not match' };
}

// Status values: https://www.plivo.com/docs/messaging/api/message#message-object
const STATUS_MAP: Record<string, Status> = {
  queued: 'queued', sent: 'sent', delivered: 'delivered', read: 'read',
  // Plivo could not hand it to a carrier: it never left.
  failed: 'failed',
  // Refused by Plivo before sending (e.g. an opted-out destination): it never left either.
  rejected: 'failed',
  // The carrier could not deliver it.
  undelivered: 'undelivered',
};

export function parsePlivoWebhook(req: WebhookRequest): WebhookEvent[] {
  if (req.contentType !== 'application/x-www-form-urlencoded') {
    throw badRequest('Plivo webhooks are form posts (application/x-www-form-urlencoded)', 'unsupported_media_type');
  }
  const p = firstValues(formPairs(req));
  const id = messageId(p.get('MessageUUID') ?? undefined, 'MessageUUID');
  const raw = p.get('Status');
  if (raw === null) {
    // Inbound: From, To, Text, Type — https://www.plivo.com/docs/messaging/concepts/inbound-message
    return [{ kind: 'inbound', providerMessageId: id, from: address(p.get('From') ?? undefined, 'From'), to: address(p.get('To') ?? undefined, 'To'), body: p.get('Text') ?? '' }];
  }
  const status = own(STATUS_MAP, raw);
  if (!status) throw badRequest(`Status "${raw.slice(0, 40)}" is not a Plivo message status`, 'invalid_callback');
  return [{ kind: 'status', providerMessageId: id, status, errorCode: errorCode(p.get('ErrorCode') ?? undefined, 'ErrorCode') }];
}

/** POST /v1/Account/{auth_id}/Message/ — https://www.plivo.com/docs/messaging/api/message/send-a-message */
export async function sendViaPlivo(connection: Connection, req: SendRequest): Promise<{ providerMessageId: string }> {
  const { authId, authToken } = connection.secrets;
  const { status, json } = await callProviderApi('Plivo', connection.apiBaseUrl ?? 'https://api.plivo.com', `/v1/Account/${encodeURIComponent(authId ?? '')}/Message/`, {
    headers: { authorization: basicAuth(authId ?? '', authToken ?? ''), 'content-type': 'application/json', accept: 'application/json' },
    // `url` receives the status callbacks for this message, POSTed as a form.
    body: JSON.stringify({ src: req.from, dst: req.to, text: req.body, url: req.statusCallbackUrl, method: 'POST' }),
  });
  const uuid = isObject(json) && Array.isArray(json.message_uuid) ? json.message_uuid[0] : undefined;
  if (status >= 200 && status < 300 && typeof uuid === 'string') return { providerMessageId: uuid };
  // Plivo's API errors carry text only ({api_id, error}), no code.
  const message = isObject(json) && typeof json.error === 'string' ? json.error : '';
  throw new ProviderSendError(null, message || `Plivo answered ${status}`, retryableStatus(status));
}

/** Reconciliation: GET /v1/Account/{auth_id}/Message/{message_uuid}/ — https://www.plivo.com/docs/messaging/api/message/retrieve-a-message */
export async function fetchPlivoStatus(connection: Connection, uuid: string): Promise<{ status: Status; errorCode: string | null } | null> {
  const { authId, authToken } = connection.secrets;
  const json = await getFromProviderApi(connection.apiBaseUrl ?? 'https://api.plivo.com',
    `/v1/Account/${encodeURIComponent(authId ?? '')}/Message/${encodeURIComponent(uuid)}/`, { authorization: basicAuth(authId ?? '', authToken ?? '') });
  if (!isObject(json) || typeof json.message_state !== 'string') return null;
  const status = own(STATUS_MAP, json.message_state);
  if (!status) return null;
  const code = json.error_code;
  return { status, errorCode: (typeof code === 'string' || typeof code === 'number') && !/^0*$/.test(String(code)) ? String(code) : null };
}

export const plivo: ProviderPlugin = {
  id: 'plivo',
  verify: (req, connection) => verifyPlivoRequest(req, connection.secrets.authToken),
  parse: parsePlivoWebhook,
  send: (connection, req) => sendViaPlivo(connection, req),
  fetchStatus: (connection, uuid) => fetchPlivoStatus(connection, uuid),
};
