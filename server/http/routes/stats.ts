// GET /api/stats/locations?days=7 — per location and UTC day: outbound texts and how they ended.
import { ERROR_CLASSES, type ErrorClass } from '../../../domain/errorClass';
import type { StatsResponse } from '../../../domain/stats';
import { canSeeLocation } from '../../auth';
import { badRequest } from '../errors';
import { sendJson } from '../respond';
import { authed } from '../router';

export const locationStats = authed(async ({ url, res, deps, user, scope }) => {
  const raw = url.searchParams.get('days') ?? '7';
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 90) throw badRequest('days must be 1–90');
  const dayCount = Number(raw);
  const today = new Date();
  const days = Array.from({ length: dayCount }, (_, i) =>
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (dayCount - 1 - i))).toISOString().slice(0, 10));
  const rows = await deps.store.dailyStats(scope, `${days[0]}T00:00:00.000Z`);
  const locations = (await deps.store.locations(user.orgId)).filter(l => canSeeLocation(scope, l.id));
  const body: StatsResponse = {
    days,
    locations: locations.map(l => ({
      locationId: l.id, name: l.name,
      days: days.map(date => {
        const mine = rows.filter(r => r.locationId === l.id && r.date === date);
        const sum = (pick: (r: (typeof mine)[number]) => boolean) => mine.filter(pick).reduce((n, r) => n + r.count, 0);
        return {
          date, total: sum(() => true),
          delivered: sum(r => r.status === 'delivered' || r.status === 'read'),
          failed: sum(r => r.status === 'failed'), undelivered: sum(r => r.status === 'undelivered'), stuck: sum(r => r.stuck),
          byErrorClass: Object.fromEntries(ERROR_CLASSES.map(c => [c, sum(r => r.errorClass === c)])) as Record<ErrorClass, number>,
        };
      }),
    })),
  };
  sendJson(res, 200, body);
});

/** GET /api/stats/connections — per connection: stuck texts looked up at the provider, and how many it corrected. */
export const connectionStats = authed(async ({ res, deps, scope }) => {
  sendJson(res, 200, { connections: await deps.store.connectionHealth(scope) });
});
