// GET /api/threads and GET /api/threads/{id}/messages (CONTRACT "REST").
import { ERROR_CLASSES } from '../../../domain/errorClass';
import { STATUSES } from '../../../domain/status';
import { canSeeLocation } from '../../auth';
import { badRequest, forbidden, notFound } from '../errors';
import { sendJson } from '../respond';
import { authed } from '../router';
import type { AuthedContext } from '../context';
import type { ThreadCountFilter } from '../../store/types';

function list(url: URL, name: string, allowed: readonly string[]): string[] | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const values = raw.split(',').map(s => s.trim()).filter(Boolean);
  const bad = values.filter(v => !allowed.includes(v));
  if (bad.length) throw badRequest(`${name}: unknown value "${bad[0]}" (allowed: ${allowed.join(', ')})`);
  return values;
}

function instant(url: URL, name: string): string | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(t)) throw badRequest(`${name} must be an ISO-8601 time`);
  return new Date(t).toISOString();
}

/** The filters shared by the list and the counts. */
async function readFilter(url: URL, deps: AuthedContext['deps'], scope: AuthedContext['scope']): Promise<ThreadCountFilter> {
  const locationId = url.searchParams.get('location') || undefined;
  if (locationId) {
    const location = await deps.store.location(locationId);
    if (!location || location.orgId !== scope.orgId) throw notFound('location');
    if (!canSeeLocation(scope, locationId)) throw forbidden('that location is not one of yours');
  }
  const codes = url.searchParams.get('errorCode');
  const errorCodes = codes ? codes.split(',').map(c => c.trim()).filter(Boolean) : undefined;
  if (errorCodes?.some(c => !/^[A-Za-z0-9_.-]{1,32}$/.test(c))) throw badRequest('errorCode: a provider error code is letters, digits, _ . -');
  return {
    statuses: list(url, 'status', [...STATUSES, 'stuck']),
    errorClasses: list(url, 'errorClass', ERROR_CLASSES),
    errorCodes,
    connectionId: url.searchParams.get('connection') || undefined,
    locationId, agent: url.searchParams.get('agent') || undefined, q: url.searchParams.get('q')?.slice(0, 100) || undefined,
    since: instant(url, 'since'), until: instant(url, 'until'),
  };
}

export const threadCounts = authed(async ({ url, res, deps, scope }) => {
  sendJson(res, 200, await deps.store.threadCounts(scope, await readFilter(url, deps, scope)));
});

export const listThreads = authed(async ({ url, res, deps, scope }) => {
  const limitRaw = url.searchParams.get('limit');
  let limit = 50;
  if (limitRaw !== null && limitRaw !== '') {
    if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 500) throw badRequest('limit must be 1–500');
    limit = Number(limitRaw);
  }
  const cursor = url.searchParams.get('cursor') || undefined;
  if (cursor) {
    try {
      const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every(x => typeof x === 'string')) throw new Error();
    } catch { throw badRequest('cursor is not one this server gave out'); }
  }
  const page = await deps.store.threads(scope, { ...(await readFilter(url, deps, scope)), limit, cursor });
  sendJson(res, 200, { threads: page.items, cursor: page.cursor, hasMore: page.hasMore });
});

export const threadMessages = authed(async ({ params, res, deps, scope }) => {
  const thread = await deps.store.thread(scope, params.id);
  if (!thread) throw notFound('thread');
  sendJson(res, 200, { messages: await deps.store.threadMessages(scope, thread.id) });
});
