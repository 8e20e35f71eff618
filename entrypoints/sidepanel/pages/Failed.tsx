// Supervisors' failed-threads view: threads whose latest outbound text failed, was undelivered or is stuck,
// filtered on the server with counts per filter value, paged, live (the background's socket events land
// in IndexedDB; a new one refreshes the list), with bulk resend and CSV export.
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BadgePill } from '../../../components/Badge';
import { ago, STATUS_LOOK } from '../../../components/badgeText';
import { personName } from '../../../components/thread/format';
import { ERROR_CLASSES, failureReason } from '../../../domain/errorClass';
import type { Me, Thread } from '../../../domain/types';
import { badgeFromMessage } from '../../../utils/badges';
import { getDb } from '../../../utils/db';
import { formatPhone } from '../../../utils/phone';
import type { Api } from '../../background/api';
import { allThreads, apiFilter, facets, threadsCsv, type Facets } from '../failed';
import { FAILED_STATUSES, usePanel, type RangePreset } from '../store';
import { BulkResend } from './BulkResend';

const PAGE = 25;
const CLASS_WORDS: Record<string, string> = { temporary: 'Temporary', permanent: 'Permanent', opted_out: 'Opted out', filtered: 'Filtered', unknown: 'Unknown' };
const RANGES: [RangePreset, string][] = [['all', 'Any time'], ['1h', 'Last hour'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days'], ['custom', 'Between dates…']];

function Chip({ on, label, count, onClick }: { on: boolean; label: string; count: number | undefined; onClick(): void }) {
  return (
    <button type="button" className={`fchip${on ? ' on' : ''}`} aria-pressed={on} onClick={onClick}>
      {label}<span className="fcount">{count ?? 0}</span>
    </button>
  );
}

function toggleIn(list: string[], v: string): string[] {
  return list.includes(v) ? list.filter(x => x !== v) : [...list, v];
}

export function Failed({ api, me, now }: { api: Api | null; me: Me | null; now: number }) {
  const filter = usePanel(s => s.filter);
  const setFilter = usePanel(s => s.setFilter);
  const resetFilter = usePanel(s => s.resetFilter);
  const selected = usePanel(s => s.selected);
  const toggle = usePanel(s => s.toggle);
  const selectOnly = usePanel(s => s.selectOnly);
  const openConversation = usePanel(s => s.openConversation);

  const [rows, setRows] = useState<Thread[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [counts, setCounts] = useState<Facets | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [bulkOpen, setBulkOpen] = useState(false);
  const [exporting, setExporting] = useState<string | null>(null);
  const [q, setQ] = useState(filter.q);
  const [code, setCode] = useState(filter.errorCode);
  const loaded = useRef(0);
  const seq = useRef(0);
  const openedAt = useRef(Date.now() - 60_000);

  const server = useMemo(() => apiFilter(filter, Date.now()), [filter]);

  /** Page one again (as many rows as are shown, so a live refresh does not shrink the list) and the counts. */
  const refresh = useCallback(async (keep = false) => {
    if (!api) return;
    const mine = ++seq.current;
    setLoading(true);
    try {
      const limit = Math.min(500, Math.max(PAGE, keep ? loaded.current : PAGE));
      const [page, c] = await Promise.all([api.findThreads(server, { limit }), facets(api, server)]);
      if (mine !== seq.current) return;
      setRows(page.threads);
      loaded.current = page.threads.length;
      setCursor(page.cursor);
      setHasMore(page.hasMore);
      setCounts(c);
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(e instanceof Error ? e.message : 'the server did not answer');
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [api, server]);

  useEffect(() => { void refresh(); }, [refresh]);

  // Live: every status step the background stores after this view opened (a new failure, a resend going
  // out) refreshes the list, at most once a second.
  const changes = useLiveQuery(() => getDb().trail.where('at').above(new Date(openedAt.current).toISOString()).count(), []);
  const first = useRef(true);
  useEffect(() => {
    if (changes === undefined) return;
    if (first.current) { first.current = false; return; }
    const t = setTimeout(() => void refresh(true), 1_000);
    return () => clearTimeout(t);
  }, [changes, refresh]);

  // Typing in the search and code boxes filters after a short pause.
  useEffect(() => {
    const t = setTimeout(() => { if (q !== filter.q || code !== filter.errorCode) setFilter({ q, errorCode: code }); }, 350);
    return () => clearTimeout(t);
  }, [q, code]); // eslint-disable-line react-hooks/exhaustive-deps

  const more = async () => {
    if (!api || !cursor) return;
    setLoading(true);
    try {
      const page = await api.findThreads(server, { limit: PAGE, cursor });
      setRows(r => { const seen = new Set(r.map(t => t.id)); const next = [...r, ...page.threads.filter(t => !seen.has(t.id))]; loaded.current = next.length; return next; });
      setCursor(page.cursor);
      setHasMore(page.hasMore);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'the server did not answer');
    } finally {
      setLoading(false);
    }
  };

  const exportCsv = async () => {
    if (!api || exporting) return;
    setExporting('Exporting…');
    try {
      const threads = await allThreads(api, server, n => setExporting(`Exporting… ${n} threads`));
      const blob = new Blob([threadsCsv(threads, me)], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `texttrail-failed-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExporting(`Exported ${threads.length} threads.`);
    } catch (e) {
      setExporting(`Export failed: ${e instanceof Error ? e.message : 'the server did not answer'}`);
    }
  };

  const locations = me?.locations ?? [];
  const agents = (me?.members ?? []).filter(m => m.role === 'agent' || (counts?.agent[m.id] ?? 0) > 0);
  const numbers = (me?.connections ?? []).flatMap(c => c.numbers.map(n => ({ id: c.id, number: n, location: locations.find(l => l.id === c.locationId)?.name })));
  const selectedRows = rows.filter(t => selected.has(t.id));
  const allOnPage = rows.length > 0 && rows.every(t => selected.has(t.id));
  const active = filter.status.length + filter.errorClass.length + (filter.errorCode ? 1 : 0) + (filter.location ? 1 : 0) + (filter.agent ? 1 : 0)
    + (filter.connection ? 1 : 0) + (filter.q ? 1 : 0) + (filter.range !== 'all' ? 1 : 0);

  return (
    <section className="failed" aria-label="Failed texts">
      <div className="toolbar">
        <input type="search" className="search" placeholder="Search name or phone" aria-label="Search failed threads" value={q} onChange={e => setQ(e.target.value)} />
      </div>
      <details className="filters" open>
        <summary>Filters{active ? ` (${active})` : ''}</summary>
        <div className="fgroup" role="group" aria-label="Status">
          {FAILED_STATUSES.map(s => (
            <Chip key={s} on={filter.status.includes(s)} label={STATUS_LOOK[s].word} count={counts?.status[s]} onClick={() => setFilter({ status: toggleIn(filter.status, s) })} />
          ))}
        </div>
        <div className="fgroup" role="group" aria-label="Error class">
          {ERROR_CLASSES.map(c => (
            <Chip key={c} on={filter.errorClass.includes(c)} label={CLASS_WORDS[c]} count={counts?.errorClass[c]} onClick={() => setFilter({ errorClass: toggleIn(filter.errorClass, c) })} />
          ))}
        </div>
        <div className="fgrid">
          <label>Location
            <select value={filter.location} onChange={e => setFilter({ location: e.target.value })}>
              <option value="">All locations</option>
              {locations.map(l => <option key={l.id} value={l.id}>{l.name} ({counts?.location[l.id] ?? 0})</option>)}
            </select>
          </label>
          <label>Agent
            <select value={filter.agent} onChange={e => setFilter({ agent: e.target.value })}>
              <option value="">Everyone</option>
              {agents.map(m => <option key={m.id} value={m.id}>{m.name} ({counts?.agent[m.id] ?? 0})</option>)}
            </select>
          </label>
          <label>Sending number
            <select value={filter.connection} onChange={e => setFilter({ connection: e.target.value })}>
              <option value="">Any number</option>
              {numbers.map(n => <option key={`${n.id}-${n.number}`} value={n.id}>{formatPhone(n.number)}{n.location ? ` · ${n.location}` : ''}</option>)}
            </select>
          </label>
          <label>Error code
            <input value={code} placeholder="e.g. 30006, 30007" onChange={e => setCode(e.target.value)} inputMode="numeric" />
          </label>
          <label>Time
            <select value={filter.range} onChange={e => setFilter({ range: e.target.value as RangePreset })}>
              {RANGES.map(([v, words]) => <option key={v} value={v}>{words}</option>)}
            </select>
          </label>
          {filter.range === 'custom' && (
            <>
              <label>From<input type="date" value={filter.from} onChange={e => setFilter({ from: e.target.value })} /></label>
              <label>To<input type="date" value={filter.to} onChange={e => setFilter({ to: e.target.value })} /></label>
            </>
          )}
        </div>
        {active > 0 && <button type="button" className="linkish" onClick={() => { setQ(''); setCode(''); resetFilter(); }}>Clear filters</button>}
      </details>

      <div className="listbar">
        <label className="selall">
          <input type="checkbox" checked={allOnPage} onChange={e => selectOnly(e.target.checked ? rows.map(t => t.id) : [])} aria-label="Select every thread shown" />
          <span aria-live="polite">{counts ? `${counts.total} ${counts.total === 1 ? 'thread' : 'threads'}` : loading ? 'Loading…' : ''}{selected.size ? ` · ${selected.size} selected` : ''}</span>
        </label>
        <div className="listbar-actions">
          <button type="button" className="tt-btn tt-primary" aria-disabled={!selectedRows.length} onClick={() => selectedRows.length && setBulkOpen(true)}>
            Resend selected{selectedRows.length ? ` (${selectedRows.length})` : ''}
          </button>
          <button type="button" className="tt-btn" aria-disabled={!!exporting && exporting.startsWith('Exporting')} onClick={() => void exportCsv()}>Export CSV</button>
        </div>
      </div>
      {exporting && <p className="note" role="status">{exporting}</p>}
      {error && <p className="note bad" role="alert">Could not load failed threads: {error}</p>}
      {!api && <p className="note">Connect TextTrail in Settings to see your team's failed texts.</p>}

      {rows.length === 0 && !loading && api && !error ? (
        <div className="empty"><strong>Nothing failed</strong>{active ? 'No thread matches these filters.' : 'Every latest text was delivered or is on its way.'}</div>
      ) : (
        <ul className="flist" aria-label="Failed threads" aria-busy={loading}>
          {rows.map(t => {
            const m = t.lastOutbound;
            const name = t.contactName ?? formatPhone(t.contactPhone);
            const location = locations.find(l => l.id === t.locationId)?.name;
            const reason = m && (m.status === 'failed' || m.status === 'undelivered') ? failureReason(m.provider, m.errorCode, m.errorClass) : m?.stuck ? 'no delivery report' : '';
            return (
              <li key={t.id} className={`frow${selected.has(t.id) ? ' sel' : ''}`} data-thread={t.id} data-phone={t.contactPhone} data-status={m ? (m.stuck ? 'stuck' : m.status) : 'none'}>
                <input type="checkbox" checked={selected.has(t.id)} onChange={e => toggle(t.id, e.target.checked)} aria-label={`Select ${name}`} />
                <div className="min">
                  <div className="frow-top">
                    <button type="button" className="fname" onClick={() => openConversation(t.contactPhone)}>{name}</button>
                    <BadgePill info={badgeFromMessage(t.contactPhone, m, { contactName: t.contactName, optedOut: t.optedOut })} now={now} />
                  </div>
                  <div className="fsub">{formatPhone(t.contactPhone)}{location ? ` · ${location}` : ''}{m?.sentBy ? ` · ${personName(me, m.sentBy)}` : ''}{m ? ` · ${ago(m.createdAt, now)}` : ''}</div>
                  {reason && <div className="freason">{reason}{m && m.attempt > 1 ? ` · attempt ${m.attempt}` : ''}</div>}
                  {m && <div className="fbody">{m.body}</div>}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {hasMore && (
        <div className="more"><button type="button" className="tt-btn" onClick={() => void more()} aria-disabled={loading}>{loading ? 'Loading…' : 'Show more'}</button></div>
      )}
      {bulkOpen && (
        <BulkResend
          threads={selectedRows}
          me={me}
          onClose={done => { setBulkOpen(false); if (done) { selectOnly([]); void refresh(true); } }}
        />
      )}
    </section>
  );
}
