// Bandwidth Messaging v2: JSON arrays of events, authenticated with HTTP Basic credentials set on the
// Bandwidth application (callbackUsername/callbackPassword). Bandwidth signs nothing, so there is no
// timestamp to check; its events carry no event id either.
// https://dev.bandwidth.com/docs/messaging/webhooks  https://dev.bandwidth.com/docs/messaging/errors
import type { Status } from '../../domain/status';
import { badRequest } from '../http/errors';
import type { Connection } from '../store/types';
import { address, basicAuth, callProviderApi, errorCode, getFromProviderApi, isObject, jsonBody, messageId, optionalText, own, retryableStatus } from './common';
import { header, safeEqual } from './signing';
import { ProviderSendError, type ProviderPlugin, type SendRequest, type Verification, type WebhookEvent, type WebhookRequest } from './types';

export function verifyBandwidthRequest(req: WebhookRequest, secrets: Record<string, string>): Verification {
  const authorization = header(req.headers, 'authorization');
  const encoded = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)$/i)?.[1];
  if (!encoded) return { ok: false, status: 401, reason: 'missing Basic credentials' };
  const { callbackUsername, callbackPassword } = secrets;
  if (!callbackUsername || !callbackPassword) return { ok: false, status: 403, reason: 'connection has no callbackUsername/callbackPassword' };
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  // Both halves are always compared, so the time taken says nothing about which one was wrong.
  const userOk = safeEqual(user, callbackUsername);
  const passwordOk = safeEqual(password, callbackPassword);
  return userOk && passwordOk ? { ok: true } : { ok: false, status: 403, reason: 'Basic credentials do not match' };
}

/**
 * `message-failed` covers both a text Bandwidth never sent and one a carrier refused. The error code's second
 * digit says which (https://dev.bandwidth.com/docs/messaging/errors, "Error Code Schema"): 4[1-4]xx and
 * 5[1-5]xx are Bandwidth's own — the text never left (failed); 47xx and 56xx are carrier refusals and 9xxx
 * downstream failures of unclear cause — it left and did not arrive (undelivered).
 */
export function bandwidthFailureStatus(code: string | null): Status {
  if (!code || !/^\d{4}$/.test(code)) return 'failed';
  const [first, second] = code;
  if (first === '9') return 'undelivered';
  if (first === '4' && second === '7') return 'undelivered';
  if (first === '5' && second === '6') return 'undelivered';
  return 'failed';
}

const STATUS_BY_TYPE: Record<string, Status> = {
  // Sent only for MMS with delivery receipts enabled: accepted by Bandwidth, on its way.
  'message-sending': 'sending',
  'message-delivered': 'delivered',
};

export function parseBandwidthWebhook(req: WebhookRequest): WebhookEvent[] {
  const body = jsonBody(req, 'Bandwidth');
  if (!Array.isArray(body)) throw badRequest('Bandwidth callbacks are a JSON array of events', 'invalid_callback');
  if (body.length === 0) throw badRequest('the callback holds no events', 'invalid_callback');
  return body.map((event, i): WebhookEvent => {
    if (!isObject(event)) throw badRequest(`event ${i} is not an object`, 'invalid_callback');
    const type = event.type;
    if (typeof type !== 'string') throw badRequest(`event ${i} has no type`, 'invalid_callback');
    const message = event.message;
    if (!isObject(message)) throw badRequest(`event ${i} has no message`, 'invalid_callback');
    const id = messageId(message.id, `[${i}].message.id`);
    if (type === 'message-received') {
      // Group texts arrive once per number of ours; `to` (and message.owner) names which one this copy is for.
      return {
        kind: 'inbound', providerMessageId: id, from: address(message.from, `[${i}].message.from`),
        to: address(event.to ?? message.owner, `[${i}].to`), body: optionalText(message.text, `[${i}].message.text`),
      };
    }
    if (type === 'message-failed') {
      const code = errorCode(event.errorCode, `[${i}].errorCode`);
      return { kind: 'status', providerMessageId: id, status: bandwidthFailureStatus(code), errorCode: code };
    }
    const status = own(STATUS_BY_TYPE, type);
    if (!status) return { kind: 'ignored', reason: `Bandwidth event ${type.slice(0, 60)} carries no message status` };
    return { kind: 'status', providerMessageId: id, status, errorCode: null };
  });
}

/**
 * POST /api/v2/users/{accountId}/messages — https://dev.bandwidth.com/docs/messaging/createMessage
 * Bandwidth sends callbacks to the URL of the Bandwidth *application* the number belongs to, not per message,
 * and wants that application's `applicationId` in every send. The contract's secrets do not hold it: when the
 * connection's secrets carry an extra `applicationId` it is sent, otherwise it is left out and Bandwidth's
 * answer (a 400 naming the field) is recorded as the send failure.
 */
export async function sendViaBandwidth(connection: Connection, req: SendRequest): Promise<{ providerMessageId: string }> {
  const { accountId, username, password, applicationId } = connection.secrets;
  const { status, json } = await callProviderApi('Bandwidth', connection.apiBaseUrl ?? 'https://messaging.bandwidth.com', `/api/v2/users/${encodeURIComponent(accountId ?? '')}/messages`, {
    headers: { authorization: basicAuth(username ?? '', password ?? ''), 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
    body: JSON.stringify({ to: [req.to], from: req.from, text: req.body, ...(applicationId ? { applicationId } : {}) }),
  });
  if (status >= 200 && status < 300 && isObject(json) && typeof json.id === 'string') return { providerMessageId: json.id };
  // Errors: {type, description}; the type is a word (e.g. "request-validation"), not a delivery code.
  const message = isObject(json) ? String(json.description ?? json.message ?? json.type ?? '') : '';
  throw new ProviderSendError(null, message || `Bandwidth answered ${status}`, retryableStatus(status));
}

// messageStatus in the message list API (GET .../messages): https://dev.bandwidth.com/apis/messaging#operation/GetMessages
const LIST_STATUS: Record<string, Status> = { QUEUED: 'queued', SENDING: 'sending', ACCEPTED: 'sent', SENT: 'sent', DELIVERED: 'delivered', UNDELIVERED: 'undelivered' };

/** Reconciliation: GET /api/v2/users/{accountId}/messages?messageId={id} */
export async function fetchBandwidthStatus(connection: Connection, id: string): Promise<{ status: Status; errorCode: string | null } | null> {
  const { accountId, username, password } = connection.secrets;
  const json = await getFromProviderApi(connection.apiBaseUrl ?? 'https://messaging.bandwidth.com',
    `/api/v2/users/${encodeURIComponent(accountId ?? '')}/messages?messageId=${encodeURIComponent(id)}`, { authorization: basicAuth(username ?? '', password ?? '') });
  const found = isObject(json) && Array.isArray(json.messages) ? json.messages.find(m => isObject(m) && m.messageId === id) : undefined;
  if (!isObject(found) || typeof found.messageStatus !== 'string') return null;
  const code = (typeof found.errorCode === 'number' || typeof found.errorCode === 'string') && !/^0*$/.test(String(found.errorCode)) ? String(found.errorCode) : null;
  if (found.messageStatus === 'FAILED') return { status: bandwidthFailureStatus(code), errorCode: code };
  const status = own(LIST_STATUS, found.messageStatus);
  return status ? { status, errorCode: code } : null;
}

export const bandwidth: ProviderPlugin = {
  id: 'bandwidth',
  verify: (req, connection) => verifyBandwidthRequest(req, connection.secrets),
  parse: parseBandwidthWebhook,
  send: (connection, req) => sendViaBandwidth(connection, req),
  fetchStatus: (connection, id) => fetchBandwidthStatus(connection, id),
};
