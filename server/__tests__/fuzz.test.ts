// Fuzz: thousands of malformed requests at the webhooks and the REST API of a real server on loopback
// (CONTRACT "Webhooks", "REST"): never a 5xx; every 4xx is JSON {error: {code, message}}; and no webhook
// request here — unsigned, badly signed, signed but malformed, unknown provider or connection, path tricks —
// stores anything. Seeded: FUZZ_SEED=<seed printed> reproduces a run; FUZZ_COUNT scales it.
import net from 'node:net';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../providers/twilio';
import { testBackend } from '../testing';
import { between, pick, prng } from './helpers/prng';
import { AUTH_TOKEN, TOKENS, startWorld, statusParams, type World } from './helpers/world';

const SEED = Number(process.env.FUZZ_SEED) || Date.now() % 1_000_000;
const COUNT = Number(process.env.FUZZ_COUNT) || 2500; // per surface
const TIME_BUDGET_MS = 25_000; // per surface: stop early rather than run long on a slow machine
const CONCURRENCY = 16;

let w: World;
let simSecret: string;
let msgId: string;
let otherMsgId: string;
let threadId: string;
beforeAll(async () => {
  w = await startWorld();
  simSecret = (await w.server.app.store.connection('sim-south'))!.secrets.authToken;
  const m = await w.api('POST', '/api/messages', { to: '+14155550134', connectionId: 'tw-north', body: 'fuzz target' });
  msgId = m.json.id;
  threadId = m.json.threadId;
  await w.callback(statusParams(m.json.providerMessageId, 'undelivered', { ErrorCode: '30003' }));
  otherMsgId = (await w.api('POST', '/api/messages', { to: '+447700900123', body: 'other org' }, TOKENS.zed)).json.id;
});
afterAll(async () => { await w?.close(); });

interface FuzzRequest { note: string; method: string; path: string; headers: Record<string, string>; body?: Buffer }

// ——— building blocks ———
type Rand = () => number;
const chance = (r: Rand, p: number) => r() < p;
const UNICODE = ['é', 'ß', '中文', '😀', '\u202e', '\ufeff', '\u0000', '\u0001', '\n', '\r\n', '\t', '%', '%00', '%zz', '&', '=', '+', '"', "'", '\\', '<script>', '${x}', '{{x}}'];
function randomText(r: Rand, max = 40): string {
  const n = between(r, 0, max);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += chance(r, 0.15) ? pick(r, UNICODE) : String.fromCharCode(between(r, 0x20, 0x7e));
  }
  return s;
}
function randomBytes(r: Rand, max = 400): Buffer {
  return Buffer.from(Array.from({ length: between(r, 0, max) }, () => between(r, 0, 255)));
}
const INVALID_UTF8 = [
  [0xff], [0xfe, 0xff], [0xc3, 0x28], [0xa0, 0xa1], [0xe2, 0x28, 0xa1], [0xe2, 0x82, 0x28], [0xf0, 0x28, 0x8c, 0xbc],
  [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80],
].map(b => Buffer.from(b));
/** Valid text with a broken UTF-8 sequence spliced in. */
function withInvalidUtf8(r: Rand, text: string): Buffer {
  const buf = Buffer.from(text, 'utf8');
  const at = between(r, 0, buf.length);
  return Buffer.concat([buf.subarray(0, at), pick(r, INVALID_UTF8), buf.subarray(at)]);
}
const NUMBERS = [0, -1, 1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, 1e21, 5e-324, 999999999999];
function randomJson(r: Rand, depth = 0, keys: string[] = []): unknown {
  const k = between(r, 0, depth > 3 ? 4 : 6);
  switch (k) {
    case 0: return null;
    case 1: return chance(r, 0.5);
    case 2: return pick(r, NUMBERS);
    case 3: return randomText(r, chance(r, 0.05) ? 3000 : 30);
    case 4: return chance(r, 0.5) ? pick(r, ['+14155550134', '4155550134', '+1', '+999999999999999999', '', ' ', 'tw-north', 'sim-south', 'tw-other', 'hello', 'reminder', 'north']) : randomText(r, 12);
    case 5: return Array.from({ length: between(r, 0, 4) }, () => randomJson(r, depth + 1, keys));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = between(r, 0, 5); i > 0; i--) o[chance(r, 0.7) && keys.length ? pick(r, keys) : randomText(r, 10)] = randomJson(r, depth + 1, keys);
      return o;
    }
  }
}
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const QUERY_VALUES = [
  '-1', '0', '1', '500', '501', '1000', '1001', '1e309', '1e3', '0x10', '99999999999999999999', 'abc', '', ' 5', '5 ', '1.5', 'NaN', 'Infinity',
  '%00', '%zz', '%', '%E0%A4%A', '%C0%AF', '%ED%A0%80', 'x'.repeat(5000), "' OR 1=1 --", '"', '\\', '中文', '😀',
  b64('["a","b"]'), b64('[1,2]'), b64('{}'), b64('null'), b64('["2024-01-01T00:00:00.000Z","thr_x"]'), b64('["a"'), 'garbage', '0000000000000001', '9999999999999999', '99999999999999999',
  '2024-02-30', '2024-01-01T25:00:00Z', '0000-01-01', '9999-12-31T23:59:59.999Z', '2024-01-01T00:00:00+99:00', '2024-01-01', '275760-09-13T00:00:00Z', '-271821-04-20',
  'delivered', 'delivered,stuck', 'delivered,,', ',', 'stuck', 'permanent,nope', 'opted_out', 'north', 'south', 'other-main', 'nope', 'ana', 'zed', '30003', '30003,abc', 'tw-north', 'tw-other',
];
const QUERY_KEYS = ['limit', 'cursor', 'after', 'since', 'until', 'status', 'errorClass', 'errorCode', 'location', 'agent', 'q', 'connection', 'days', 'archived', 'x', ''];
function randomQuery(r: Rand): string {
  if (chance(r, 0.1)) return '';
  const parts: string[] = [];
  for (let i = between(r, 1, 5); i > 0; i--) {
    const key = pick(r, QUERY_KEYS);
    const value = chance(r, 0.85) ? pick(r, QUERY_VALUES) : randomText(r, 20);
    // Mostly encoded as a client would; sometimes raw, so broken percent-escapes reach the server.
    parts.push(chance(r, 0.7) ? `${encodeURIComponent(key)}=${encodeURIComponent(value)}` : `${key}=${value.replace(/[#\s]/g, '')}`);
  }
  return '?' + parts.join(chance(r, 0.9) ? '&' : pick(r, ['&&', ';', '&=&']));
}
const CONTENT_TYPES = ['application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=utf-16',
  'application/json; charset=latin1', 'APPLICATION/JSON', 'a/b/c', '', 'text/xml', 'application/octet-stream'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const ID_TRICKS = ['nope', '', '..%2f..%2fetc', '..%2F..%2Fetc%2Fpasswd', '%00', 'tw-north%00', '%2e%2e', '%ff', '%', '%zz', 'tw-north%2f', '%F0%9F%98%80', "'%20OR%201=1%20--",
  '%0d%0aX-Injected:%20yes', 'tw-north;x', 'TW-NORTH', 'tw-north%20', '%E0%A4%A', 'con', 'sim-south%00', '%2500'];
const longId = (r: Rand) => 'x'.repeat(between(r, 200, 20_000));

// ——— webhooks ———
const PROVIDERS = ['twilio', 'simulator', 'telnyx', 'vonage', 'plivo', 'bandwidth', 'sinch', 'nope', 'TWILIO', '%00', '..', 'twilio%00', 'twilio%2f..'];
const FORM_KEYS = ['AccountSid', 'From', 'To', 'Body', 'ApiVersion', 'NumMedia', 'SmsMessageSid', 'Price', 'RawDlrDoneDate', 'ChannelPrefix', 'x', '', '__proto__', 'constructor'];
const SIDS = ['SMabc', 'SM' + 'a'.repeat(32), 'SM' + 'f'.repeat(64)];

/** Twilio params that no parser may accept: each breaks a rule the webhook must enforce. */
function malformedTwilioParams(r: Rand): [string, string][] {
  const sid = pick(r, SIDS);
  const goodStatus = pick(r, ['queued', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled', 'accepted']);
  const base: [string, string][] = [];
  for (let i = between(r, 0, 5); i > 0; i--) base.push([pick(r, FORM_KEYS), randomText(r, 20)]);
  const breakage = between(r, 0, 6);
  switch (breakage) {
    case 0: return [...base, ['MessageStatus', goodStatus]]; // no message id
    case 1: return [...base, ['MessageSid', pick(r, ['', '../../etc/passwd', 'SM abc', 'SM\u0000', 'x'.repeat(65), 'SM😀', 'SM%00', 'SM;DROP'])], ['MessageStatus', goodStatus]];
    case 2: return [...base, ['MessageSid', sid]]; // no status
    case 3: return [...base, ['MessageSid', sid], ['MessageStatus', pick(r, ['', 'exploded', 'DELIVERED', 'delivered ', 'constructor', '__proto__', 'toString', 'hasOwnProperty', randomText(r, 12) + 'z'])]];
    case 4: return [...base, ['MessageSid', sid], ['MessageStatus', pick(r, ['undelivered', 'failed', 'delivered'])], ['ErrorCode', pick(r, ['abc', '30003; DROP TABLE', '1'.repeat(11), '-1', '3.5', ' 30003', '30003\u0000', '0x10'])]];
    case 5: return [['MessageSid', sid], ['MessageStatus', 'received'], ...(chance(r, 0.5) ? [['From', '+14155550134'] as [string, string]] : [['To', '+12125550100'] as [string, string]]), ['Body', randomText(r)]];
    default: return [['MessageSid', ''], ['SmsSid', sid], ['MessageStatus', goodStatus]]; // an empty MessageSid wins over SmsSid
  }
}

function webhookRequest(r: Rand, publicUrl: string): FuzzRequest {
  const kind = between(r, 0, 9);
  const conn = pick(r, ['tw-north', 'sim-south'] as const);
  const provider = conn === 'tw-north' ? 'twilio' : 'simulator';
  const secret = conn === 'tw-north' ? AUTH_TOKEN : simSecret;
  const hook = `/webhooks/${provider}/${conn}`;
  const form = (pairs: [string, string][]) => Buffer.from(new URLSearchParams(pairs).toString());
  switch (kind) {
    case 0: case 1: case 2: { // signed with the right secret, but malformed
      const pairs = malformedTwilioParams(r);
      const path = hook + (chance(r, 0.2) ? randomQuery(r) : '');
      const ct = chance(r, 0.8) ? 'application/x-www-form-urlencoded' : pick(r, ['text/plain', 'multipart/form-data; boundary=x', '']);
      return { note: `signed malformed ${JSON.stringify(pairs).slice(0, 200)}`, method: 'POST', path, headers: { ...(ct ? { 'content-type': ct } : {}), 'x-twilio-signature': twilioSignature(secret, publicUrl + path, pairs) }, body: form(pairs) };
    }
    case 3: { // signed JSON (bodySHA256), which Twilio never uses for message callbacks
      const body = Buffer.from(JSON.stringify(randomJson(r, 0, ['MessageSid', 'MessageStatus', 'ErrorCode'])));
      const path = `${hook}?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
      return { note: 'signed JSON', method: 'POST', path, headers: { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature(secret, publicUrl + path, []) }, body };
    }
    case 4: { // a well-formed callback, unsigned or badly signed
      const pairs = Object.entries(statusParams(pick(r, SIDS), pick(r, ['delivered', 'read', 'undelivered']), { ErrorCode: '30003' }));
      const sig = pick(r, [null, '', 'AAAA', 'x'.repeat(5000), twilioSignature(secret, 'https://evil.example' + hook, pairs), twilioSignature('wrong', publicUrl + hook, pairs), twilioSignature(secret, publicUrl + hook, pairs.slice(1))]);
      return { note: `bad signature ${String(sig).slice(0, 20)}`, method: 'POST', path: hook, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(sig !== null ? { 'x-twilio-signature': sig } : {}) }, body: form(pairs) };
    }
    case 5: { // invalid UTF-8, signed over what the bytes would mean
      const pairs = Object.entries(statusParams(pick(r, SIDS), 'delivered'));
      const body = withInvalidUtf8(r, new URLSearchParams(pairs).toString());
      return { note: 'invalid UTF-8', method: 'POST', path: hook, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(secret, publicUrl + hook, [...new URLSearchParams(body.toString('latin1'))]) }, body };
    }
    case 6: { // unknown providers and connections, path tricks
      const p = pick(r, PROVIDERS);
      const id = chance(r, 0.15) ? longId(r) : pick(r, [...ID_TRICKS, 'tw-north', 'sim-south', 'tw-other']);
      const shape = between(r, 0, 6);
      const path = [`/webhooks/${p}/${id}`, `/webhooks/${p}/${id}/extra`, `/webhooks/${p}`, '/webhooks', '/webhooks/', `//webhooks/${p}/${id}`, `/webhooks/${p}/${id}/`][shape];
      const real = (p === 'twilio' && (id === 'tw-north' || id === 'tw-other')) || (p === 'simulator' && id === 'sim-south');
      const pairs = Object.entries(statusParams(pick(r, SIDS), 'delivered'));
      // Never a correct signature for a real hook: that would be a valid callback.
      const sig = real && shape !== 1 && shape !== 2 && shape !== 3 && shape !== 4 ? 'bad' : twilioSignature(secret, publicUrl + path, pairs);
      return { note: `path ${path.slice(0, 80)}`, method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig }, body: form(pairs) };
    }
    case 7: { // wrong methods
      const method = pick(r, METHODS.filter(m => m !== 'POST'));
      return { note: `${method} webhook`, method, path: hook, headers: {}, body: method === 'GET' || method === 'HEAD' ? undefined : form(Object.entries(statusParams('SMabc', 'delivered'))) };
    }
    case 8: { // random bytes, random content types, oversized bodies
      const huge = chance(r, 0.03);
      const body = huge ? Buffer.alloc(between(r, 256 * 1024 + 1, 600 * 1024), 0x61) : randomBytes(r);
      const headers: Record<string, string> = {};
      const ct = pick(r, CONTENT_TYPES);
      if (ct) headers['content-type'] = ct;
      if (chance(r, 0.5)) headers['x-twilio-signature'] = pick(r, ['AAAA', twilioSignature(secret, publicUrl + hook, [...new URLSearchParams(body.toString('latin1'))])]);
      return { note: huge ? `huge body ${body.length}` : 'random bytes', method: 'POST', path: hook, headers, body };
    }
    default: { // other providers' formats at our hooks, signed the Twilio way over nothing useful
      const body = Buffer.from(JSON.stringify(randomJson(r, 0, ['data', 'event_type', 'payload', 'message_uuid', 'status', 'MessageUUID', 'type', 'id'])));
      return { note: 'foreign JSON', method: 'POST', path: pick(r, [hook, '/webhooks/telnyx/tw-north', '/webhooks/vonage/sim-south', '/webhooks/sinch/nope']), headers: { 'content-type': 'application/json', 'x-twilio-signature': 'AAAA' }, body };
    }
  }
}

// ——— REST ———
const BODY_KEYS = ['to', 'body', 'connectionId', 'templateId', 'vars', 'schedule', 'contactName', 'name', 'archived', '__proto__', 'constructor', 'prototype'];
const TOKEN_LIST = [TOKENS.ana, TOKENS.ben, TOKENS.sue, TOKENS.zed];
function restRequest(r: Rand): FuzzRequest {
  const id = () => chance(r, 0.1) ? longId(r) : pick(r, [msgId, otherMsgId, threadId, 'hello', ...ID_TRICKS]);
  const routes: [string, string][] = [
    ['GET', '/api/me'], ['POST', '/api/messages'], ['POST', `/api/messages/${id()}/resend`], ['GET', '/api/threads'], ['GET', '/api/threads/counts'],
    ['GET', `/api/threads/${id()}/messages`], ['GET', '/api/sync'], ['GET', '/api/templates'], ['POST', '/api/templates'], ['PATCH', `/api/templates/${id()}`],
    ['GET', '/api/stats/locations'], ['GET', '/api/stats/connections'], ['GET', `/api/${randomText(r, 8).replace(/[?#]/g, '')}`], ['GET', '/api/messages/../../etc/passwd'], ['GET', '/api/threads/%2e%2e/messages'],
  ];
  let [method, path] = pick(r, routes);
  if (chance(r, 0.08)) method = pick(r, METHODS);
  if (method === 'GET' || chance(r, 0.2)) path += randomQuery(r);
  const headers: Record<string, string> = {};
  const auth = between(r, 0, 19);
  if (auth < 17) headers.authorization = `Bearer ${pick(r, TOKEN_LIST)}`;
  else if (auth === 17) headers.authorization = pick(r, ['Bearer', 'Bearer ', 'Basic YTpi', `Bearer ${'x'.repeat(3000)}`, 'Bearer a b', 'bearer tok-ana-north extra']);
  if (chance(r, 0.1)) headers['idempotency-key'] = pick(r, ['k1', 'k2', '', ' ', 'x'.repeat(300), 'é', 'a b']);
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const form = between(r, 0, 9);
    if (form <= 4) {
      // Mostly-valid shapes with random values, so validation deep inside each route gets exercised.
      body = Buffer.from(JSON.stringify(randomJson(r, 0, BODY_KEYS) ?? null));
    } else if (form === 5) body = withInvalidUtf8(r, JSON.stringify({ to: '+14155550134', body: 'hi' }));
    else if (form === 6) body = Buffer.from(pick(r, ['{', '{"to":', '[]', '"str"', '1', 'null', 'true', '{"to":"+14155550134","body":"x"}{}', '\ufeff{}', '{"a":1,"a":2}']));
    else if (form === 7) body = Buffer.from(chance(r, 0.5) ? '['.repeat(between(r, 1000, 200_000)) : '{"a":'.repeat(between(r, 1000, 40_000)));
    else if (form === 8) body = chance(r, 0.2) ? Buffer.alloc(between(r, 256 * 1024 + 1, 400 * 1024), 0x20) : randomBytes(r);
    if (body) headers['content-type'] = chance(r, 0.8) ? 'application/json' : pick(r, CONTENT_TYPES);
  }
  return { note: `${method} ${path.slice(0, 120)}`, method, path, headers, body };
}

// ——— running and judging ———
interface Verdict { status: number; problem: string | null }

async function send(base: string, q: FuzzRequest): Promise<Verdict> {
  let res: Response;
  try {
    res = await fetch(base + q.path, { method: q.method, headers: q.headers, body: q.body as RequestInit['body'] ?? undefined, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    // An oversized body may be cut off once the 413 is out; nothing else may fail at the transport level.
    if (q.body && q.body.length > 256 * 1024) return { status: 413, problem: null };
    return { status: 0, problem: `transport error: ${(e as Error).message} ${(e as { cause?: Error }).cause?.message ?? ''}` };
  }
  const text = await res.text();
  if (res.status >= 500) return { status: res.status, problem: `${res.status}: ${text.slice(0, 200)}` };
  if (res.status >= 400 && q.method !== 'HEAD') {
    let json: any;
    try { json = JSON.parse(text); } catch { return { status: res.status, problem: `${res.status} body is not JSON: ${text.slice(0, 100)}` }; }
    if (!/^application\/json/.test(res.headers.get('content-type') ?? '')) return { status: res.status, problem: `${res.status} content-type ${res.headers.get('content-type')}` };
    if (typeof json?.error?.code !== 'string' || typeof json?.error?.message !== 'string') return { status: res.status, problem: `${res.status} body is not {error:{code,message}}: ${text.slice(0, 100)}` };
  }
  return { status: res.status, problem: null };
}

async function runAll(base: string, make: (i: number) => FuzzRequest, count: number): Promise<{ done: number; statuses: Map<number, number>; failures: string[] }> {
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const deadline = Date.now() + TIME_BUDGET_MS;
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count && Date.now() < deadline) {
      const i = next++;
      const q = make(i);
      const v = await send(base, q);
      statuses.set(v.status, (statuses.get(v.status) ?? 0) + 1);
      if (v.problem && failures.length < 25) failures.push(`#${i} ${q.note} → ${v.problem}`);
    }
  }));
  return { done: next, statuses, failures };
}

const eventCounts = async () => {
  const count = async (token: string) => {
    let n = 0;
    let after = '';
    for (;;) {
      const page = (await w.api('GET', `/api/sync?limit=1000${after ? `&after=${after}` : ''}`, undefined, token)).json;
      n += page.events.length;
      if (!page.hasMore) return n;
      after = page.cursor;
    }
  };
  return { acme: await count(TOKENS.sue), other: await count(TOKENS.zed) };
};

describe(`fuzz (${testBackend()}, seed ${SEED})`, () => {
  it('webhooks: never a 5xx, 4xx are JSON errors, and nothing is stored', async () => {
    console.log(`fuzz webhooks: FUZZ_SEED=${SEED}`);
    const before = await eventCounts();
    const threadsBefore = (await w.api('GET', '/api/threads/counts', undefined, TOKENS.sue)).json;
    // One stream per request index, so a request reproduces from the seed whatever the concurrency.
    const result = await runAll(w.server.url, i => webhookRequest(prng(SEED * 7919 + i), w.server.publicUrl), COUNT);
    console.log(`fuzz webhooks: ${result.done} requests, statuses ${JSON.stringify(Object.fromEntries(result.statuses))}`);
    expect(result.failures, `FUZZ_SEED=${SEED}`).toEqual([]);
    expect(result.done).toBeGreaterThanOrEqual(Math.min(COUNT, 1000));
    expect(await eventCounts()).toEqual(before);
    expect((await w.api('GET', '/api/threads/counts', undefined, TOKENS.sue)).json).toEqual(threadsBefore);
    // The message the fuzz aimed at is as it was.
    const m = (await w.api('GET', `/api/threads/${threadId}/messages`, undefined, TOKENS.sue)).json.messages.find((x: any) => x.id === msgId);
    expect(m).toMatchObject({ status: 'undelivered', errorCode: '30003' });
  }, 60_000);

  it('REST API: never a 5xx, and every 4xx is a JSON error', async () => {
    console.log(`fuzz REST: FUZZ_SEED=${SEED}`);
    const result = await runAll(w.server.url, i => restRequest(prng(SEED * 104729 + i)), COUNT);
    console.log(`fuzz REST: ${result.done} requests, statuses ${JSON.stringify(Object.fromEntries(result.statuses))}`);
    expect(result.failures, `FUZZ_SEED=${SEED}`).toEqual([]);
    expect(result.done).toBeGreaterThanOrEqual(Math.min(COUNT, 1000));
  }, 60_000);

  it('raw HTTP the client libraries would never send: dot segments, control bytes, bad request lines, huge URLs', async () => {
    const port = Number(new URL(w.server.url).port);
    const raw = (request: string) => new Promise<string>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(request, 'latin1'));
      let out = '';
      s.on('data', d => { out += d.toString('latin1'); });
      s.on('end', () => resolve(out));
      s.on('close', () => resolve(out));
      s.on('error', reject);
      s.setTimeout(5000, () => { s.destroy(); resolve(out); });
    });
    const body = 'MessageSid=SMabc&MessageStatus=delivered';
    const tail = `Host: 127.0.0.1\r\nAuthorization: Bearer ${TOKENS.ana}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
    const requests = [
      'POST /webhooks/twilio/../../etc/passwd HTTP/1.1',
      'POST /webhooks/twilio/..%2f..%2fetc%2fpasswd HTTP/1.1',
      'POST /webhooks/twilio/tw-north%00 HTTP/1.1',
      'POST /webhooks/twilio/%%%% HTTP/1.1',
      'POST /webhooks/twilio/tw-north/../../../api/me HTTP/1.1',
      'GET /api/threads?limit=%zz&cursor=%ff HTTP/1.1',
      'GET /api/threads?q=%00 HTTP/1.1',
      'GET /api/sync?after=../../etc HTTP/1.1',
      'POST http://evil.example/webhooks/twilio/tw-north HTTP/1.1',
      'POST * HTTP/1.1',
      'POST /webhooks/twilio/tw-north\u0000 HTTP/1.1', // a raw NUL: Node's parser refuses the line
      'POST /webhooks/twilio/tw north HTTP/1.1',
      'GARBAGE',
      'POST /webhooks/twilio/tw-north HTTP/9.9',
      `GET /api/threads/${'x'.repeat(20_000)}/messages HTTP/1.1`, // over Node's header limit
    ].map(line => `${line}\r\n${tail}`);
    requests.push(`POST /webhooks/twilio/tw-north HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`);
    requests.push(`POST /webhooks/twilio/tw-north HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`);
    for (const request of requests) {
      const line = request.slice(0, 80).split('\r\n')[0];
      const answer = await raw(request);
      const status = Number(answer.match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
      expect(status, `${line} → ${answer.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(status, line).toBeLessThan(500);
      const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      expect(typeof json.error.code, line).toBe('string');
      expect(typeof json.error.message, line).toBe('string');
    }
  });

  it('NUL characters: refused in ids, numbers, codes and JSON; replaced in an inbound text\'s body (never a 5xx)', async () => {
    const before = await eventCounts();
    const hook = `${w.server.publicUrl}/webhooks/twilio/tw-north`;
    const post = (params: Record<string, string>) => fetch(hook.replace(w.server.publicUrl, w.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, hook, params) },
      body: new URLSearchParams(params).toString(),
    });
    const inbound = (extra: Record<string, string>) => ({ MessageSid: 'SMnul' + Math.random().toString(36).slice(2), MessageStatus: 'received', AccountSid: 'AC' + 'a'.repeat(32), From: '+14155550177', To: '+12125550100', Body: 'hi', ...extra });
    expect((await post(inbound({ From: '+1415555\u00000177' }))).status).toBe(400);
    expect((await post(inbound({ To: '\u0000' }))).status).toBe(400);
    expect(await eventCounts()).toEqual(before);
    // A gateway that maps GSM '@' to 0x00: the text is kept, the NUL shown as U+FFFD.
    expect((await post(inbound({ Body: 'meet me \u0000 5' }))).status).toBe(200);
    const thread = (await w.api('GET', '/api/threads?q=0177', undefined, TOKENS.sue)).json.threads[0];
    expect(thread.lastMessage.body).toBe('meet me \ufffd 5');
    for (const body of [{ to: '+14155550134', body: 'a\u0000b' }, { to: '+1415555\u00000134', body: 'x' }, { 'to\u0000': 1 }]) {
      const r = await w.api('POST', '/api/messages', body);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('invalid_json');
    }
    for (const path of ['/api/threads/%00/messages', '/api/messages/%00/resend', '/api/threads?q=%00', '/api/threads?agent=a%00', '/api/sync?after=%00']) {
      const r = await w.api(path.includes('resend') ? 'POST' : 'GET', path, path.includes('resend') ? {} : undefined);
      expect([400, 404], path).toContain(r.status);
      expect(typeof r.json.error.code).toBe('string');
    }
  });
});
