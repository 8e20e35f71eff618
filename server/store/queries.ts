// SQL and rules shared by the SQLite and PostgreSQL backends. Queries use `?` placeholders; the PostgreSQL
// backend numbers them.
import { isFailure, outranks, type Status } from '../../domain/status';
import type { ErrorClass } from '../../domain/errorClass';
import type { Thread } from '../../domain/types';
import type { Row } from './rows';
import type { ConnectionHealth, DayStats, Page, Scope, Template, ThreadCountFilter, ThreadCounts, ThreadFilter } from './types';

/** The WHERE part that keeps a query inside the caller's org and locations. */
export function scopeSql(scope: Scope, alias: string): { sql: string; params: unknown[] } {
  if (scope.locationIds === null) return { sql: `${alias}.org_id = ?`, params: [scope.orgId] };
  if (scope.locationIds.length === 0) return { sql: '1 = 0', params: [] };
  return {
    sql: `${alias}.org_id = ? AND ${alias}.location_id IN (${scope.locationIds.map(() => '?').join(', ')})`,
    params: [scope.orgId, ...scope.locationIds],
  };
}

export const THREAD_COLUMNS = `t.*, c.name AS contact_name,
  EXISTS (SELECT 1 FROM opt_outs o JOIN connection_numbers n ON n.number = o.number
          WHERE o.org_id = t.org_id AND o.contact_phone = t.contact_phone AND n.location_id = t.location_id) AS opted_out`;

/** FROM … WHERE for threads: filters apply to the thread's latest outbound message (alias m). */
function threadFromWhere(scope: Scope, f: ThreadCountFilter & { cursor?: string }): { sql: string; params: unknown[] } {
  const s = scopeSql(scope, 't');
  const where = [s.sql];
  const params = [...s.params];
  if (f.locationId) { where.push('t.location_id = ?'); params.push(f.locationId); }
  if (f.statuses?.length) {
    const plain = f.statuses.filter(x => x !== 'stuck');
    const parts: string[] = [];
    if (plain.length) { parts.push(`m.status IN (${plain.map(() => '?').join(', ')})`); params.push(...plain); }
    if (f.statuses.includes('stuck')) parts.push('m.stuck = 1');
    where.push(`(${parts.join(' OR ')})`);
  }
  if (f.errorClasses?.length) { where.push(`m.error_class IN (${f.errorClasses.map(() => '?').join(', ')})`); params.push(...f.errorClasses); }
  if (f.errorCodes?.length) { where.push(`m.error_code IN (${f.errorCodes.map(() => '?').join(', ')})`); params.push(...f.errorCodes); }
  if (f.connectionId) { where.push('m.connection_id = ?'); params.push(f.connectionId); }
  if (f.agent) { where.push('m.sent_by = ?'); params.push(f.agent); }
  if (f.since) { where.push('m.created_at >= ?'); params.push(f.since); }
  if (f.until) { where.push('m.created_at < ?'); params.push(f.until); }
  if (f.q) {
    const digits = f.q.replace(/\D/g, '');
    const parts = ["LOWER(COALESCE(c.name, '')) LIKE ?"];
    params.push(`%${f.q.toLowerCase()}%`);
    if (digits) { parts.push('t.contact_phone LIKE ?'); params.push(`%${digits}%`); }
    where.push(`(${parts.join(' OR ')})`);
  }
  if (f.cursor) {
    const [updatedAt, id] = JSON.parse(Buffer.from(f.cursor, 'base64url').toString('utf8')) as [string, string];
    where.push('(t.updated_at < ? OR (t.updated_at = ? AND t.id < ?))');
    params.push(updatedAt, updatedAt, id);
  }
  const filtersOutbound = !!(f.statuses?.length || f.errorClasses?.length || f.errorCodes?.length || f.connectionId || f.agent || f.since || f.until);
  return {
    sql: `FROM threads t
      ${filtersOutbound ? 'JOIN' : 'LEFT JOIN'} messages m ON m.id = t.last_outbound_id
      LEFT JOIN contacts c ON c.org_id = t.org_id AND c.phone = t.contact_phone
      WHERE ${where.join(' AND ')}`,
    params,
  };
}

/** Threads, newest activity first. Fetches limit + 1 to tell whether there is more. */
export function threadListQuery(scope: Scope, f: ThreadFilter): { sql: string; params: unknown[] } {
  const from = threadFromWhere(scope, f);
  return { sql: `SELECT ${THREAD_COLUMNS} ${from.sql} ORDER BY t.updated_at DESC, t.id DESC LIMIT ?`, params: [...from.params, f.limit + 1] };
}

/** Counts of the filtered threads, grouped by each facet a supervisor filters on. */
export function threadCountQueries(scope: Scope, f: ThreadCountFilter): Record<keyof ThreadCounts, { sql: string; params: unknown[] }> {
  const from = threadFromWhere(scope, f);
  const grouped = (expr: string) => ({ sql: `SELECT ${expr} AS k, COUNT(*) AS n ${from.sql} GROUP BY ${expr}`, params: from.params });
  return {
    total: { sql: `SELECT 'all' AS k, COUNT(*) AS n ${from.sql}`, params: from.params },
    byStatus: grouped(`CASE WHEN m.stuck = 1 THEN 'stuck' ELSE m.status END`),
    byErrorClass: grouped('m.error_class'),
    byLocation: grouped('t.location_id'),
    byAgent: grouped('m.sent_by'),
  };
}

export function countsFrom(results: Record<keyof ThreadCounts, Row[]>): ThreadCounts {
  const toMap = (rows: Row[]) => Object.fromEntries(rows.filter(r => r.k !== null).map(r => [String(r.k), Number(r.n)]));
  return {
    total: Number(results.total[0]?.n ?? 0),
    byStatus: toMap(results.byStatus), byErrorClass: toMap(results.byErrorClass),
    byLocation: toMap(results.byLocation), byAgent: toMap(results.byAgent),
  };
}

export function dailyStatsQuery(scope: Scope, sinceIso: string): { sql: string; params: unknown[] } {
  const s = scopeSql(scope, 'm');
  return {
    sql: `SELECT m.location_id, SUBSTR(m.created_at, 1, 10) AS day, m.status, m.stuck, m.error_class, COUNT(*) AS n
      FROM messages m WHERE ${s.sql} AND m.direction = 'outbound' AND m.created_at >= ?
      GROUP BY m.location_id, SUBSTR(m.created_at, 1, 10), m.status, m.stuck, m.error_class`,
    params: [...s.params, sinceIso],
  };
}

export function toDayStats(r: Row): DayStats {
  return { locationId: r.location_id, date: r.day, status: r.status, stuck: r.stuck === 1 || r.stuck === true, errorClass: r.error_class ?? null, count: Number(r.n) };
}

export function toTemplate(r: Row): Template {
  return { id: r.id, orgId: r.org_id, name: r.name, body: r.body, archived: r.archived === 1 || r.archived === true, updatedAt: r.updated_at };
}

export function threadPage(threads: Thread[], limit: number): Page<Thread> {
  const hasMore = threads.length > limit;
  const items = threads.slice(0, limit);
  const last = items[items.length - 1];
  const cursor = hasMore && last ? Buffer.from(JSON.stringify([last.updatedAt, last.id])).toString('base64url') : null;
  return { items, cursor, hasMore };
}

/** Callbacks that beat the send's answer, folded through the ladder onto the message row. */
export function foldCallbacks(row: Row, callbacks: Row[]): { status: Status; errorCode: string | null; errorClass: ErrorClass | null } {
  let status: Status = row.status;
  let errorCode: string | null = row.error_code ?? null;
  let errorClass: ErrorClass | null = row.error_class ?? null;
  for (const cb of callbacks) {
    if (outranks(cb.status, status)) {
      status = cb.status;
      errorCode = isFailure(status) ? cb.error_code : null;
      errorClass = isFailure(status) ? cb.error_class : null;
    }
  }
  return { status, errorCode, errorClass };
}

export function connectionHealthQuery(scope: Scope): { sql: string; params: unknown[] } {
  const s = scopeSql(scope, 'c');
  return {
    sql: `SELECT c.id, c.provider, c.location_id, COALESCE(r.checked, 0) AS checked, COALESCE(r.corrected, 0) AS corrected, r.last_corrected_at
      FROM connections c LEFT JOIN reconciliation_counts r ON r.connection_id = c.id WHERE ${s.sql} ORDER BY c.id`,
    params: s.params,
  };
}

export function toConnectionHealth(r: Row): ConnectionHealth {
  return { connectionId: r.id, provider: r.provider, locationId: r.location_id, checked: Number(r.checked), corrected: Number(r.corrected), lastCorrectedAt: r.last_corrected_at ?? null };
}
