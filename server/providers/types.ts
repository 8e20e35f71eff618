// One plug-in per SMS provider: verify a webhook's signature, parse it into the canonical model, send a text.
import type { Status } from '../../domain/status';
import type { Connection } from '../store/types';

export interface WebhookRequest {
  /** The URL the provider called, rebuilt from PUBLIC_URL: URL-bound signatures are checked against it. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** The body decoded as UTF-8 (invalid UTF-8 is refused before a plug-in sees it). */
  text: string;
  contentType: string;
  /**
   * The body's form fields (application/x-www-form-urlencoded), parsed once per request and shared by verify
   * and parse. Optional: a request built without it is parsed from `text` (see `formPairs`).
   */
  form?: () => [string, string][];
}

export type Verification = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/**
 * `eventId`: the provider's own id for this webhook delivery, where it sends one (Telnyx `data.id`), so the
 * store can drop a replayed delivery. Optional: most providers send none.
 */
export type WebhookEvent =
  | { kind: 'status'; providerMessageId: string; status: Status; errorCode: string | null; eventId?: string }
  | { kind: 'inbound'; providerMessageId: string; from: string; to: string; body: string; eventId?: string }
  /** A webhook the provider sends that carries nothing we track: acknowledged, nothing stored. */
  | { kind: 'ignored'; reason: string };

export interface SendRequest {
  from: string;
  to: string;
  body: string;
  statusCallbackUrl: string;
}

/** The provider refused or could not take the send. `code` is the provider's own error code, when it gave one. */
export class ProviderSendError extends Error {
  constructor(readonly code: string | null, message: string, readonly retryable: boolean) {
    super(message);
  }
}

export interface ProviderContext {
  /** The server's own PUBLIC_URL, where providers post callbacks. */
  publicUrl: string;
  /** Where the server really listens (the simulator posts here, signing with the public URL). */
  internalUrl: () => string;
}

export interface ProviderPlugin {
  id: string;
  verify(req: WebhookRequest, connection: Connection): Verification;
  /** Throws HttpError 400 naming the problem when the body is malformed. */
  parse(req: WebhookRequest): WebhookEvent[];
  send(connection: Connection, req: SendRequest, ctx: ProviderContext): Promise<{ providerMessageId: string }>;
  /**
   * Reconciliation: asks the provider's API what became of a message (callbacks get lost). Returns the
   * status as the provider reports it now, or null when the provider cannot say.
   */
  fetchStatus?(connection: Connection, providerMessageId: string, ctx: ProviderContext): Promise<{ status: Status; errorCode: string | null } | null>;
  /** The body the provider expects in the 2xx answer. */
  acknowledgement?: { contentType: string; body: string };
}
