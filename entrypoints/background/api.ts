// The server's REST API as the background uses it (CONTRACT "REST"). Every call carries the Bearer token;
// the server answers CORS for /api/*, so no host permission is needed.
import type { StatsResponse } from '../../domain/stats';
import type { Me, Message, ResendBody, SendBody, SyncPage, TemplatePatch, TemplateRow, ThreadCounts, ThreadPage } from '../../domain/types';
import type { ConnectionSettings } from '../../utils/connection';

const REQUEST_TIMEOUT_MS = 20_000;

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
  /** The token was refused: stop retrying until the settings change. */
  get refused(): boolean { return this.status === 401; }

  /** The server did not refuse the request itself: offline, timeout, overload. Worth retrying with the same key. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500 || this.code === 'idempotency_in_progress';
  }
}

/** GET /api/threads and /api/threads/counts filters (CONTRACT "REST", plus errorCode and connection). */
export interface ThreadFilter {
  status?: string[];
  errorClass?: string[];
  errorCode?: string[];
  location?: string;
  agent?: string;
  connection?: string;
  q?: string;
  since?: string;
  until?: string;
}

export interface Api {
  me(): Promise<Me>;
  sync(after: string | null, limit: number): Promise<SyncPage>;
  threads(limit: number): Promise<ThreadPage>;
  sendMessage(body: SendBody, idempotencyKey?: string): Promise<Message>;
  resend(messageId: string, body: ResendBody, idempotencyKey?: string): Promise<Message>;
  threadMessages(threadId: string): Promise<{ messages: Message[] }>;
  findThreads(filter: ThreadFilter, page: { limit: number; cursor?: string | null }): Promise<ThreadPage>;
  threadCounts(filter: ThreadFilter): Promise<ThreadCounts>;
  locationStats(days: number): Promise<StatsResponse>;
  templates(includeArchived: boolean): Promise<{ templates: TemplateRow[] }>;
  createTemplate(input: { name: string; body: string }): Promise<TemplateRow>;
  updateTemplate(id: string, patch: TemplatePatch): Promise<TemplateRow>;
}

export function filterQuery(filter: ThreadFilter): URLSearchParams {
  const q = new URLSearchParams();
  const list = (name: string, v?: string[]) => { if (v?.length) q.set(name, v.join(',')); };
  list('status', filter.status);
  list('errorClass', filter.errorClass);
  list('errorCode', filter.errorCode);
  for (const k of ['location', 'agent', 'connection', 'q', 'since', 'until'] as const) {
    const v = filter[k]?.trim();
    if (v) q.set(k, v);
  }
  return q;
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
    resend: (id, body, key) => request<Message>('POST', `/api/messages/${encodeURIComponent(id)}/resend`, body, key ? { 'Idempotency-Key': key } : {}),
    threadMessages: id => request<{ messages: Message[] }>('GET', `/api/threads/${encodeURIComponent(id)}/messages`),
    findThreads: (filter, page) => {
      const q = filterQuery(filter);
      q.set('limit', String(page.limit));
      if (page.cursor) q.set('cursor', page.cursor);
      return request<ThreadPage>('GET', `/api/threads?${q}`);
    },
    threadCounts: filter => request<ThreadCounts>('GET', `/api/threads/counts?${filterQuery(filter)}`),
    locationStats: days => request<StatsResponse>('GET', `/api/stats/locations?days=${days}`),
    templates: all => request<{ templates: TemplateRow[] }>('GET', `/api/templates${all ? '?archived=1' : ''}`),
    createTemplate: input => request<TemplateRow>('POST', '/api/templates', input),
    updateTemplate: (id, patch) => request<TemplateRow>('PATCH', `/api/templates/${encodeURIComponent(id)}`, patch),
  };
}
