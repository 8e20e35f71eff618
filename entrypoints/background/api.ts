// The server's REST API as the background uses it (CONTRACT "REST"). Every call carries the Bearer token;
// the server answers CORS for /api/*, so no host permission is needed.
import type { Me, Message, SyncPage, ThreadPage } from '../../domain/types';
import type { ConnectionSettings } from '../../utils/connection';

const REQUEST_TIMEOUT_MS = 20_000;

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
  /** The token was refused: stop retrying until the settings change. */
  get refused(): boolean { return this.status === 401; }
}

export interface Api {
  me(): Promise<Me>;
  sync(after: string | null, limit: number): Promise<SyncPage>;
  threads(limit: number): Promise<ThreadPage>;
  sendMessage(body: { to: string; body: string; connectionId?: string }, idempotencyKey?: string): Promise<Message>;
}

export function createApi(settings: ConnectionSettings, fetchImpl: typeof fetch = (...a) => fetch(...a)): Api {
  async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(`${settings.serverUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${settings.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A hung request would hold the single-flight catch-up forever; the next wake-up retries.
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch {
      throw new ApiError(0, 'unreachable', 'cannot reach the TextTrail server');
    }
    let json: unknown = null;
    try { json = await res.json(); } catch { /* non-JSON body: handled below */ }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `the server answered ${res.status}`);
    }
    if (json === null) throw new ApiError(res.status, 'bad_response', 'the server sent an unreadable answer');
    return json as T;
  }
  return {
    me: () => request<Me>('GET', '/api/me'),
    sync: (after, limit) => {
      const q = new URLSearchParams({ limit: String(limit) });
      if (after) q.set('after', after);
      return request<SyncPage>('GET', `/api/sync?${q}`);
    },
    threads: limit => request<ThreadPage>('GET', `/api/threads?limit=${limit}`),
    sendMessage: (body, key) => request<Message>('POST', '/api/messages', body, key ? { 'Idempotency-Key': key } : {}),
  };
}
