// How the providers sign their callbacks, from the sender's side, for tests that post callbacks at the server.
import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';

/** A Telnyx-style Ed25519 key pair: the public key as the raw 32 bytes in base64, as Telnyx's portal shows it. */
export function telnyxKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    publicKey: raw.toString('base64'),
    /** Headers for a body signed at `timestamp` (Unix seconds). */
    headers(body: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
      const signed = Buffer.concat([Buffer.from(`${timestamp}|`), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
      return {
        'content-type': 'application/json',
        'telnyx-signature-ed25519': sign(null, signed, privateKey).toString('base64'),
        'telnyx-timestamp': String(timestamp),
      };
    },
  };
}

/** An HS256 JWT as Vonage signs Messages API webhooks, with payload_hash over `body`. */
export function vonageJwt(secret: string, body: string | Buffer, claims: Record<string, unknown> = {}): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const payload = {
    iat: Math.floor(Date.now() / 1000), jti: Math.random().toString(36).slice(2), iss: 'Vonage',
    payload_hash: createHash('sha256').update(body).digest('hex'), ...claims,
  };
  const unsigned = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
