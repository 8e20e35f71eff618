// Request bodies: read with a size limit, decoded strictly (invalid UTF-8 is refused, never replaced).
import type { IncomingMessage } from 'node:http';
import { HttpError, badRequest } from './errors';

/** 256 KiB: far above any provider callback (Twilio's largest are a few KiB) and any text we send. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * The whole body, with plain stream events rather than `for await`: the async iterator (and the end-of-stream
 * watcher behind it) cost more per request than reading a callback's few hundred bytes does. Same outcomes as
 * the iterator: over the limit → 413 and the request is destroyed; cut off or broken → 400 incomplete_body.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new HttpError(413, 'body_too_large', `body over ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // Errors are built only when they are the outcome: 'close' follows every 'end', and an Error's stack is dear.
    const fail = (error: () => HttpError) => { if (!settled) { settled = true; reject(error()); } };
    // The client went away or sent a broken body (e.g. a bad chunk): its fault, not a server failure.
    const cutOff = () => fail(() => badRequest('the request body was cut off or malformed', 'incomplete_body'));
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        fail(() => new HttpError(413, 'body_too_large', `body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!settled) { settled = true; resolve(Buffer.concat(chunks, size)); } });
    req.on('error', cutOff);
    req.on('close', cutOff); // closed before 'end' (after it, settled already)
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
export function decodeUtf8(buf: Buffer): string {
  try { return utf8.decode(buf); } catch { throw badRequest('body is not valid UTF-8', 'invalid_encoding'); }
}

/**
 * Whether a value holds a NUL character anywhere (strings, keys, nested). PostgreSQL text cannot store one,
 * and no id, phone number or code has one: input carrying it is refused before it reaches the store.
 */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([k, v]) => k.includes('\0') || containsNul(v));
  return false;
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const buf = await readBody(req);
  if (buf.length === 0) return {};
  if (mediaType(req) !== 'application/json') throw new HttpError(415, 'unsupported_media_type', 'send JSON with content-type application/json');
  let value: unknown;
  try { value = JSON.parse(decodeUtf8(buf)); } catch (e) {
    if (e instanceof HttpError) throw e;
    throw badRequest('body is not valid JSON', 'invalid_json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('body must be a JSON object', 'invalid_json');
  if (containsNul(value)) throw badRequest('text must not contain NUL characters (\\u0000)', 'invalid_json');
  return value as Record<string, unknown>;
}

/** Form posts (Twilio): key/value pairs; repeated keys keep every value, in order. */
export function parseForm(text: string): [string, string][] {
  return [...new URLSearchParams(text)];
}
