// Per-location delivery over the last 7 days (GET /api/stats/locations): stacked daily bars, the delivery
// rate and the failure mix, drawn as inline SVG, with the numbers in a table for screen readers.
import { useEffect, useState } from 'react';
import { deliveryRate, failureMix, settled, sumDays, type DayStats, type LocationStats, type StatsResponse } from '../../../domain/stats';
import type { Api } from '../../background/api';

const PARTS = [
  { key: 'delivered', label: 'Delivered', color: '#2f9e66' },
  { key: 'undelivered', label: 'Undelivered', color: '#d64545' },
  { key: 'failed', label: 'Failed', color: '#8f1d14' },
  { key: 'stuck', label: 'Stuck', color: '#e8a33d' },
] as const;
const CLASS_COLORS: Record<string, string> = { temporary: '#e8a33d', permanent: '#8f1d14', opted_out: '#7b61c9', filtered: '#d64545', unknown: '#9aa5b1' };
const CLASS_WORDS: Record<string, string> = { temporary: 'Temporary', permanent: 'Permanent', opted_out: 'Opted out', filtered: 'Carrier filtered', unknown: 'Unknown' };

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);
const weekday = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' });

function DayBars({ days, max, titleId }: { days: DayStats[]; max: number; titleId: string }) {
  const W = 320, H = 120, top = 8, bottom = 18, gap = 10;
  const bw = (W - gap * (days.length - 1)) / days.length;
  const scale = (n: number) => (max ? (n / max) * (H - top - bottom) : 0);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="bars" role="img" aria-labelledby={titleId} preserveAspectRatio="none">
      {days.map((d, i) => {
        const x = i * (bw + gap);
        let y = H - bottom;
        const other = Math.max(0, d.total - settled(d));
        return (
          <g key={d.date}>
            <rect x={x} y={top} width={bw} height={H - top - bottom} rx={3} fill="#f3f5f8" />
            {[...PARTS.map(p => ({ n: d[p.key], color: p.color, key: p.key })), { n: other, color: '#c7d0da', key: 'other' }].map(p => {
              const h = scale(p.n);
              y -= h;
              return h > 0 ? <rect key={p.key} x={x} y={y} width={bw} height={h} fill={p.color} /> : null;
            })}
            <text x={x + bw / 2} y={H - 4} textAnchor="middle" className="axis">{weekday(d.date)}</text>
          </g>
        );
      })}
    </svg>
  );
}

function MixBar({ location }: { location: LocationStats }) {
  const mix = failureMix(sumDays(location.days).byErrorClass);
  if (!mix.length) return <p className="mix-none">No failures in 7 days.</p>;
  return (
    <div className="mix">
      <div className="mix-bar" role="img" aria-label={`Failure mix: ${mix.map(m => `${CLASS_WORDS[m.errorClass]} ${m.count}`).join(', ')}`}>
        {mix.map(m => <span key={m.errorClass} style={{ width: `${m.share * 100}%`, background: CLASS_COLORS[m.errorClass] }} />)}
      </div>
      <ul className="legend" aria-hidden="true">
        {mix.map(m => <li key={m.errorClass}><i style={{ background: CLASS_COLORS[m.errorClass] }} />{CLASS_WORDS[m.errorClass]} {m.count}</li>)}
      </ul>
    </div>
  );
}

function LocationCard({ location, max }: { location: LocationStats; max: number }) {
  const total = sumDays(location.days);
  const rate = deliveryRate(total);
  const titleId = `bars-${location.locationId}`;
  const tone = rate === null ? '' : rate >= 0.95 ? 'good' : rate >= 0.85 ? 'warn' : 'bad';
  return (
    <article className="stat-card" aria-labelledby={`${titleId}-h`}>
      <header>
        <h3 id={`${titleId}-h`}>{location.name}</h3>
        <span className={`rate ${tone}`}><strong>{pct(rate)}</strong> delivered</span>
      </header>
      <p className="stat-sub">{total.total} texts · {total.delivered} delivered · {total.undelivered + total.failed} failed · {total.stuck} stuck</p>
      <span id={titleId} className="sr-only">
        {location.name}, texts per day over the last 7 days: {location.days.map(d => `${weekday(d.date)} ${d.total} sent, ${d.delivered} delivered`).join('; ')}
      </span>
      <DayBars days={location.days} max={max} titleId={titleId} />
      <MixBar location={location} />
      <details className="numbers">
        <summary>Numbers</summary>
        <table>
          <caption className="sr-only">{location.name}, per day</caption>
          <thead><tr><th scope="col">Day</th><th scope="col">Sent</th><th scope="col">Delivered</th><th scope="col">Failed</th><th scope="col">Stuck</th><th scope="col">Rate</th></tr></thead>
          <tbody>
            {location.days.map(d => (
              <tr key={d.date}><th scope="row">{weekday(d.date)} {d.date.slice(5)}</th><td>{d.total}</td><td>{d.delivered}</td><td>{d.failed + d.undelivered}</td><td>{d.stuck}</td><td>{pct(deliveryRate(d))}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </article>
  );
}

export function Stats({ api }: { api: Api | null }) {
  const [data, setData] = useState<StatsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!api) return;
    let live = true;
    api.locationStats(7).then(d => { if (live) { setData(d); setError(null); } }).catch(e => live && setError(e instanceof Error ? e.message : 'no answer'));
    return () => { live = false; };
  }, [api]);
  if (error) return <p className="note bad" role="alert">Could not load the figures: {error}</p>;
  if (!data) return <p className="note" role="status">Loading the last 7 days…</p>;
  const max = Math.max(1, ...data.locations.flatMap(l => l.days.map(d => d.total)));
  return (
    <section className="stats" aria-label="Delivery by location, last 7 days">
      <ul className="legend key" aria-label="Colours">
        {PARTS.map(p => <li key={p.key}><i style={{ background: p.color }} />{p.label}</li>)}
        <li><i style={{ background: '#c7d0da' }} />On its way</li>
      </ul>
      {data.locations.map(l => <LocationCard key={l.locationId} location={l} max={max} />)}
      <p className="foot-note">Texts counted on the day they were created (UTC), by how they ended. Rate = delivered ÷ (delivered + failed + stuck).</p>
    </section>
  );
}
