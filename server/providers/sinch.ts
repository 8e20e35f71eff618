// Sinch SMS REST API (xms): JSON delivery reports and inbound texts, signed with HMAC-SHA256 over
// `${raw body}.${nonce}.${timestamp}` (x-sinch-webhook-signature*, base64). Sinch puts no age limit on the
// timestamp; we add the contract's 5 minutes. There is no event id: a report is identified by what it says.
// https://developers.sinch.com/docs/sms/api-reference/sms/tag/Delivery-reports/
// Signing scheme as Sinch's SDKs check it: sinch/sinch-sdk-java ConversationWebhooksAuthenticationValidation,
// sinch/sinch-sdk-python webhooks signature helpers.
import { createHmac } from 'node:crypto';
import type { Status } from '../../domain/status';
import { badRequest } from '../http/errors';
import type { Connection } from '../store/types';
import { address, callProviderApi, errorCode, freshTimestamp, getFromProviderApi, highest, isObject, jsonBody, messageId, optionalText, own, retryableStatus } from './common';
import { header, safeEqual } from './signing';
import { ProviderSendError, type ProviderPlugin, type SendRequest, type Verification, type WebhookEvent, type WebhookRequest } from './types';

export function sinchSignature(secret: string, rawBody: Buffer | string, nonce: string, timestamp: string): string {
  return createHmac('sha256', secret).update(rawBody).update(`.${nonce}.${timestamp}`, 'utf8').digest('base64');
}

export function verifySinchRequest(req: WebhookRequest, secret: string | undefined, nowMs = Date.now()): Verification {
  const given = header(req.headers, 'x-sinch-webhook-signature');
  const nonce = header(req.headers, 'x-sinch-webhook-signature-nonce');
  const timestamp = header(req.headers, 'x-sinch-webhook-signature-timestamp');
  if (!given || !nonce || !timestamp) return { ok: false, status: 401, reason: 'missing x-sinch-webhook-signature, -nonce or -timestamp' };
  if (!secret) return { ok: false, status: 403, reason: 'connection has no webhookSecret' };
  const algorithm = header(req.headers, 'x-sinch-webhook-signature-algorithm');
  if (algorithm !== undefined && algorithm !== 'HmacSHA256') return { ok: false, status: 403, reason: `signature algorithm ${algorithm.slice(0, 20)} is not HmacSHA256` };
  if (!safeEqual(given, sinchSignature(secret, req.rawBody, nonce, timestamp))) return { ok: false, status: 403, reason: 'x-sinch-webhook-signature does not match' };
  if (!freshTimestamp(timestamp, nowMs)) return { ok: false, status: 403, reason: 'x-sinch-webhook-signature-timestamp is more than 5 minutes away' };
  return { ok: true };
}

// Delivery report statuses: https://developers.sinch.com/docs/sms/api-reference/sms/tag/Delivery-reports/
const STATUS_MAP: Record<string, Status> = {
  Queued: 'queued',
  // Accepted for delivery by the SMSC: it left Sinch.
  Dispatched: 'sent',
  // Aborted, rejected by the SMSC, or expired before reaching it: it never left (Sinch's own descriptions).
  Aborted: 'failed', Rejected: 'failed', Expired: 'failed',
  Cancelled: 'canceled',
  // Deleted by a remote SMSC (invalid number or opted-out subscriber), or failed to be delivered.
  Deleted: 'undelivered', Failed: 'undelivered',
  Delivered: 'delivered',
  // At the SMSC with no usable receipt: not final, so it turns stuck rather than guessing.
  Unknown: 'sent',
};

function status(raw: unknown, field: string): Status {
  if (typeof raw !== 'string') throw badRequest(`${field} is missing`, 'invalid_callback');
  const s = own(STATUS_MAP, raw);
  if (!s) throw badRequest(`${field} "${raw.slice(0, 40)}" is not a Sinch delivery status`, 'invalid_callback');
  return s;
}

export function parseSinchWebhook(req: WebhookRequest): WebhookEvent[] {
  const body = jsonBody(req, 'Sinch');
  if (!isObject(body) || typeof body.type !== 'string') throw badRequest('type is missing', 'invalid_callback');
  switch (body.type) {
    case 'recipient_delivery_report_sms':
      return [{ kind: 'status', providerMessageId: messageId(body.batch_id, 'batch_id'), status: status(body.status, 'status'), errorCode: errorCode(body.code, 'code') }];
    case 'delivery_report_sms': {
      // A batch summary: one entry per status. We send one recipient per batch, so each entry is this text's.
      const id = messageId(body.batch_id, 'batch_id');
      if (!Array.isArray(body.statuses)) throw badRequest('statuses is missing', 'invalid_callback');
      return body.statuses.map((entry, i) => {
        if (!isObject(entry)) throw badRequest(`statuses[${i}] is not an object`, 'invalid_callback');
        return { kind: 'status' as const, providerMessageId: id, status: status(entry.status, `statuses[${i}].status`), errorCode: errorCode(entry.code, `statuses[${i}].code`) };
      });
    }
    case 'mo_text':
      return [{ kind: 'inbound', providerMessageId: messageId(body.id, 'id'), from: address(body.from, 'from'), to: address(body.to, 'to'), body: optionalText(body.body, 'body') }];
    default:
      return [{ kind: 'ignored', reason: `Sinch callback ${body.type.slice(0, 60)} carries no text or status` }];
  }
}

/**
 * POST /xms/v1/{service_plan_id}/batches — https://developers.sinch.com/docs/sms/api-reference/sms/tag/Batches/
 * One recipient per batch, so the batch id is the message id. The default origin is Sinch's US region; a plan
 * in another region sets apiBaseUrl (e.g. https://eu.sms.api.sinch.com).
 */
export async function sendViaSinch(connection: Connection, req: SendRequest): Promise<{ providerMessageId: string }> {
  const { servicePlanId, apiToken } = connection.secrets;
  const { status, json } = await callProviderApi('Sinch', connection.apiBaseUrl ?? 'https://us.sms.api.sinch.com', `/xms/v1/${encodeURIComponent(servicePlanId ?? '')}/batches`, {
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ from: req.from, to: [req.to], body: req.body, delivery_report: 'per_recipient', callback_url: req.statusCallbackUrl }),
  });
  if (status >= 200 && status < 300 && isObject(json) && typeof json.id === 'string') return { providerMessageId: json.id };
  // Errors: {code, text}; the code is a word (e.g. "syntax_invalid_parameter_format"), not a delivery code.
  const message = isObject(json) ? String(json.text ?? json.code ?? '') : '';
  throw new ProviderSendError(null, message || `Sinch answered ${status}`, retryableStatus(status));
}

/** Reconciliation: GET /xms/v1/{service_plan_id}/batches/{batch_id}/delivery_report (the batch summary). */
export async function fetchSinchStatus(connection: Connection, batchId: string): Promise<{ status: Status; errorCode: string | null } | null> {
  const { servicePlanId, apiToken } = connection.secrets;
  const json = await getFromProviderApi(connection.apiBaseUrl ?? 'https://us.sms.api.sinch.com',
    `/xms/v1/${encodeURIComponent(servicePlanId ?? '')}/batches/${encodeURIComponent(batchId)}/delivery_report`, { authorization: `Bearer ${apiToken}` });
  if (!isObject(json) || !Array.isArray(json.statuses)) return null;
  const best = highest(json.statuses.flatMap(e => {
    const status = isObject(e) && typeof e.status === 'string' ? own(STATUS_MAP, e.status) : undefined;
    const code = isObject(e) && (typeof e.code === 'number' || typeof e.code === 'string') && !/^0*$/.test(String(e.code)) ? String(e.code) : null;
    return status ? [{ status, errorCode: code }] : [];
  }));
  return best;
}

export const sinch: ProviderPlugin = {
  id: 'sinch',
  verify: (req, connection) => verifySinchRequest(req, connection.secrets.webhookSecret),
  parse: parseSinchWebhook,
  send: (connection, req) => sendViaSinch(connection, req),
  fetchStatus: (connection, batchId) => fetchSinchStatus(connection, batchId),
};
