// The failed-threads view's pure parts: the API filter from the panel's filter, faceted counts, CSV rows.
import { toCsv } from '../../domain/csv';
import { failureReason } from '../../domain/errorClass';
import type { Me, Thread } from '../../domain/types';
import type { Api, ThreadFilter } from '../background/api';
import { personName } from '../../components/thread/format';
import { FAILED_STATUSES, type FailedFilter } from './store';

const RANGE_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;

/** Local midnight of a YYYY-MM-DD date, as ISO. */
function localDay(date: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString();
}

/** The server filter: always within failed, undelivered and stuck (the view's base). */
export function apiFilter(f: FailedFilter, now: number): ThreadFilter {
  const out: ThreadFilter = {
    status: f.status.length ? f.status : [...FAILED_STATUSES],
    errorClass: f.errorClass,
    errorCode: f.errorCode.split(/[\s,]+/).map(c => c.trim()).filter(Boolean),
    location: f.location || undefined,
    agent: f.agent || undefined,
    connection: f.connection || undefined,
    q: f.q.trim() || undefined,
  };
  if (f.range === 'custom') {
    out.since = f.from ? localDay(f.from) : undefined;
    out.until = f.to ? localDay(f.to, 1) : undefined;
  } else if (f.range !== 'all') {
    out.since = new Date(now - RANGE_MS[f.range]).toISOString();
  }
  return out;
}

export interface Facets {
  total: number;
  status: Record<string, number>;
  errorClass: Record<string, number>;
  location: Record<string, number>;
  agent: Record<string, number>;
}

/**
 * Counts per filter value, each with every other filter applied (faceted): how many threads picking that
 * value would show. One request per dimension, run together.
 */
export async function facets(api: Api, filter: ThreadFilter): Promise<Facets> {
  const without = (k: keyof ThreadFilter): ThreadFilter => ({ ...filter, [k]: undefined });
  const [all, byStatus, byClass, byLocation, byAgent] = await Promise.all([
    api.threadCounts(filter),
    api.threadCounts({ ...without('status'), status: [...FAILED_STATUSES] }),
    api.threadCounts(without('errorClass')),
    api.threadCounts(without('location')),
    api.threadCounts(without('agent')),
  ]);
  return { total: all.total, status: byStatus.byStatus, errorClass: byClass.byErrorClass, location: byLocation.byLocation, agent: byAgent.byAgent };
}

export const CSV_HEADER = [
  'Contact', 'Phone', 'Location', 'Status', 'Error code', 'Error class', 'Reason', 'Attempt', 'Sent by', 'Sending number', 'Sent at (UTC)', 'Text', 'Thread',
];

/** One CSV row per thread, from its latest outbound text. Cells are escaped and formula-guarded by toCsv. */
export function csvRow(t: Thread, me: Me | null): unknown[] {
  const m = t.lastOutbound;
  const location = me?.locations.find(l => l.id === t.locationId)?.name ?? t.locationId;
  return [
    t.contactName ?? '', t.contactPhone, location,
    m ? (m.stuck ? 'stuck' : m.status) : '', m?.errorCode ?? '', m?.errorClass ?? '',
    m && (m.status === 'failed' || m.status === 'undelivered') ? failureReason(m.provider, m.errorCode, m.errorClass) : m?.stuck ? 'no delivery report' : '',
    m?.attempt ?? '', m?.sentBy ? personName(me, m.sentBy) : '', m?.from ?? '', m?.createdAt ?? '', m?.body ?? '', t.id,
  ];
}

export function threadsCsv(threads: readonly Thread[], me: Me | null): string {
  return toCsv(CSV_HEADER, threads.map(t => csvRow(t, me)));
}

/** Every page of the filtered threads (500 a request), for the export. */
export async function allThreads(api: Api, filter: ThreadFilter, onProgress?: (n: number) => void, signal?: AbortSignal): Promise<Thread[]> {
  const out: Thread[] = [];
  let cursor: string | null = null;
  for (;;) {
    if (signal?.aborted) throw new DOMException('export canceled', 'AbortError');
    const page = await api.findThreads(filter, { limit: 500, cursor });
    out.push(...page.threads);
    onProgress?.(out.length);
    if (!page.hasMore || !page.cursor || page.cursor === cursor) return out;
    cursor = page.cursor;
  }
}
