// What every provider plug-in needs the same way: reading bodies strictly (anything unexpected is a 400
// naming the field, never a 5xx), checking signed timestamps, and calling a provider's REST API.
import { statusRank, type Status } from '../../domain/status';
import { badRequest } from '../http/errors';
import { ProviderSendError, type WebhookRequest } from './types';

/** CONTRACT "Webhooks": a signed timestamp outside 5 minutes is refused. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/**
 * True when `timestamp` (Unix seconds, as a decimal string or number) is within the tolerance of `nowMs`,
 * in either direction: a clock far ahead is as suspect as a replay from the past.
 */
export function freshTimestamp(timestamp: string | number | undefined, nowMs: number, toleranceSeconds = TIMESTAMP_TOLERANCE_SECONDS): boolean {
  if (timestamp === undefined) return false;
  const text = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(text)) return false;
  return Math.abs(nowMs / 1000 - Number(text)) <= toleranceSeconds;
}

/**
 * `map[key]` for the map's own keys only: a provider status of "constructor" or "__proto__" must be an unknown
 * status (400), not Object.prototype's function.
 */
export function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The body as JSON, or a 400 naming the problem. */
export function jsonBody(req: WebhookRequest, provider: string): unknown {
  if (req.contentType !== 'application/json') {
    throw badRequest(`${provider} webhooks are JSON (application/json)`, 'unsupported_media_type');
  }
  try {
    return JSON.parse(req.text);
  } catch {
    throw badRequest('body is not valid JSON', 'invalid_json');
  }
}

/** The body's form fields in order (repeated keys kept), parsed once per request where the route shares them. */
export function formPairs(req: WebhookRequest): [string, string][] {
  return req.form ? req.form() : [...new URLSearchParams(req.text)];
}

/** The first value of each form field, answered as URLSearchParams.get does (null when absent), from pairs parsed once. */
export function firstValues(pairs: [string, string][]): { get(key: string): string | null } {
  const m = new Map<string, string>();
  for (const [k, v] of pairs) if (!m.has(k)) m.set(k, v);
  return { get: key => m.get(key) ?? null };
}

/** The body as JSON if it is JSON, as form fields if it is a form post; null otherwise. */
export function flatParams(req: WebhookRequest): Record<string, string> | null {
  if (req.contentType === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(formPairs(req));
  }
  if (req.contentType === 'application/json') {
    let value: unknown;
    try { value = JSON.parse(req.text); } catch { return null; }
    if (!isObject(value)) return null;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else if (v !== null) return null; // nested values have no flat form to sign or read
    }
    return out;
  }
  return null;
}

/** A provider's id for a message: letters, digits and a few separators — nothing a path or query could abuse. */
export function messageId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw badRequest(`${field} is missing`, 'invalid_callback');
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(value)) throw badRequest(`${field} is not a message id`, 'invalid_callback');
  return value;
}

/** A provider's error code, kept raw as a string (CONTRACT "Status"); absent, empty or zero means none. */
export function errorCode(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') throw badRequest(`${field} must be a code`, 'invalid_callback');
  const text = String(value).trim();
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(text)) throw badRequest(`${field} is not an error code`, 'invalid_callback');
  return /^0+$/.test(text) ? null : text;
}

/**
 * A phone number or sender as the provider wrote it, normalised to E.164 where it is one: several providers
 * drop the leading "+" (Vonage `msisdn`, Plivo `From`, Sinch `to`), and threads and opt-outs key on E.164.
 * Alphanumeric sender ids (e.g. "AcmeInc") are kept as they are.
 */
export function address(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${field} is missing`, 'invalid_callback');
  const text = value.trim();
  const digits = text.replace(/^(\+|00)/, '');
  if (/^\d{3,15}$/.test(digits)) return '+' + digits;
  if (/^[A-Za-z0-9 ._-]{1,32}$/.test(text)) return text;
  throw badRequest(`${field} is not a phone number`, 'invalid_callback');
}

export function optionalText(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw badRequest(`${field} must be text`, 'invalid_callback');
  return value;
}

export const basicAuth = (user: string, password: string) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

/**
 * One call to a provider's REST API. `apiBaseUrl` (CONTRACT "Seed file") replaces only the origin, so the
 * paths stay the provider's own. Network failures are retryable send errors.
 */
export async function callProviderApi(provider: string, origin: string, path: string, init: { headers: Record<string, string>; body: string }): Promise<{ status: number; json: unknown }> {
  const url = new URL(path, origin);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    throw new ProviderSendError(null, `${provider} could not be reached: ${(e as Error).message}`, true);
  }
  const json = await res.json().catch(() => null);
  return { status: res.status, json };
}

/**
 * A GET on a provider's REST API, for reconciliation. Null when the provider has no answer (4xx/5xx); a network
 * failure throws, and reconciliation tries again later.
 */
export async function getFromProviderApi(origin: string, path: string, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(new URL(path, origin), { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(15_000) });
  if (!res.ok) return null;
  return res.json().catch(() => null);
}

/** The highest-ranked of several statuses of one message (a group text's recipients, a batch's entries). */
export function highest<T extends { status: Status }>(items: T[]): T | null {
  return items.reduce<T | null>((best, it) => (!best || statusRank(it.status) > statusRank(best.status) ? it : best), null);
}

/** Provider outages and rate limits are worth retrying; refusals of the request itself are not. */
export const retryableStatus = (status: number) => status >= 500 || status === 429;
