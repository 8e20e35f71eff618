import { timingSafeEqual, createHmac } from 'node:crypto';

/** Constant-time comparison of two strings; unequal lengths compare as false without early exit on content. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab); // keep the time spent independent of where the strings differ
    return false;
  }
  return timingSafeEqual(ab, bb);
}

export function hmacBase64(algorithm: 'sha1' | 'sha256', key: string, data: string): string {
  return createHmac(algorithm, key).update(data, 'utf8').digest('base64');
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
