// GET /api/sync?after=CURSOR&limit=N — everything after a cursor, in cursor order (CONTRACT "REST").
import { decodeCursor } from '../../store/ids';
import { badRequest } from '../errors';
import { sendJson } from '../respond';
import { authed } from '../router';

export const sync = authed(async ({ url, res, deps, scope }) => {
  const after = url.searchParams.get('after') || null;
  if (after !== null && decodeCursor(after) === null) throw badRequest('after is not a cursor this server gave out');
  const limitRaw = url.searchParams.get('limit');
  let limit = 500;
  if (limitRaw !== null && limitRaw !== '') {
    if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 1000) throw badRequest('limit must be 1–1000');
    limit = Number(limitRaw);
  }
  const page = await deps.store.sync(scope, after, limit);
  sendJson(res, 200, { events: page.items, cursor: page.cursor, hasMore: page.hasMore });
});
