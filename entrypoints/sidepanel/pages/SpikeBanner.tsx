// An alert when a location's texts start failing together (domain/spike.ts), computed from the status
// steps the background already stores from live events: no extra request, also between refreshes.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { detectSpikes, type FailureEvent } from '../../../domain/spike';
import type { Me } from '../../../domain/types';
import { getDb } from '../../../utils/db';
import { usePanel } from '../store';

const WINDOW_MS = 10 * 60_000;

export function SpikeBanner({ me, now }: { me: Me | null; now: number }) {
  const setTab = usePanel(s => s.setTab);
  const setFilter = usePanel(s => s.setFilter);
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const since = new Date(Math.floor(now / 60_000) * 60_000 - WINDOW_MS).toISOString();
  const rows = useLiveQuery(() => getDb().trail.where('at').above(since).toArray(), [since]);
  const events: FailureEvent[] = (rows ?? [])
    .filter(r => r.step === 'failed' || r.step === 'undelivered')
    .map(r => ({ messageId: r.messageId, locationId: r.locationId, errorClass: r.errorClass, at: r.at }));
  const spikes = detectSpikes(events, Date.now()).filter(s => !dismissed.has(`${s.locationId}|${s.errorClass}|${s.latest}`));
  if (!spikes.length) return null;
  return (
    <div className="spikes">
      {spikes.map(s => {
        const where = me?.locations.find(l => l.id === s.locationId)?.name ?? s.locationId;
        const what = s.errorClass === 'filtered' ? 'filtered by carriers' : s.errorClass === 'any' ? 'failed' : `failed (${s.errorClass.replace('_', ' ')})`;
        const key = `${s.locationId}|${s.errorClass}|${s.latest}`;
        return (
          <div key={key} className="spike" role="alert">
            <span className="spike-icon" aria-hidden="true">!</span>
            <div className="spike-text">
              <strong>{where}: {s.count} texts {what} in the last {Math.round(s.windowMs / 60_000)} minutes.</strong>
              {s.errorClass === 'filtered' ? ' Carriers may be blocking this wording or sending number.' : ' Check the sending number and recent texts.'}
            </div>
            <button type="button" className="tt-btn" onClick={() => {
              setTab('failed');
              setFilter({ location: s.locationId, errorClass: s.errorClass === 'any' ? [] : [s.errorClass], range: '1h', status: [] });
            }}>Show them</button>
            <button type="button" className="tt-icon-btn" aria-label={`Dismiss the alert for ${where}`} onClick={() => setDismissed(d => new Set(d).add(key))}>✕</button>
          </div>
        );
      })}
    </div>
  );
}
