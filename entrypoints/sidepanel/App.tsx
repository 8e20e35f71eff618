// The shared inbox in Chrome's side panel: recent threads, newest activity first, each with the status of
// its latest text. Read straight from Dexie with useLiveQuery: the background's writes show up live.
import { useLiveQuery } from 'dexie-react-hooks';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { BadgePill } from '../../components/Badge';
import { ago } from '../../components/badgeText';
import { ConnectionStatus } from '../../components/ConnectionStatus';
import { useConnectionState } from '../../hooks/useConnection';
import { badgeFromMessage } from '../../utils/badges';
import { getDb, type ThreadRow } from '../../utils/db';

const LIMIT = 100;

export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === 'US' || parsed.country === 'CA' ? parsed.formatNational() : parsed.formatInternational();
}

function initials(name: string | null): string {
  if (!name) return '#';
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map(w => w[0]!.toUpperCase()).join('');
}

function ThreadItem({ thread, now }: { thread: ThreadRow; now: number }) {
  const last = thread.lastMessage;
  const badge = badgeFromMessage(thread.contactPhone, thread.lastOutbound, { contactName: thread.contactName, optedOut: thread.optedOut });
  return (
    <li className="thread" data-thread={thread.id} data-phone={thread.contactPhone}>
      <span className="av" aria-hidden="true">{initials(thread.contactName)}</span>
      <div className="min">
        <div className="who">
          {thread.contactName ?? formatPhone(thread.contactPhone)}
          {thread.contactName && <span className="phone">{formatPhone(thread.contactPhone)}</span>}
        </div>
        <div className="last">{last ? `${last.direction === 'outbound' ? 'You: ' : ''}${last.body}` : ''}</div>
      </div>
      <div className="side">
        <BadgePill info={badge} now={now} />
        <span className="when">{ago(thread.updatedAt, now)}</span>
      </div>
    </li>
  );
}

export function SidePanelApp() {
  const state = useConnectionState();
  const threads = useLiveQuery(() => getDb().threads.orderBy('updatedAt').reverse().limit(LIMIT).toArray(), []);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  // Re-render relative times when data changes too.
  useEffect(() => setNow(Date.now()), [threads]);

  return (
    <>
      <header className="head">
        <div className="head-row">
          <span className="brand"><img src="/icon/48.png" alt="" />TextTrail</span>
          <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">Settings</a>
        </div>
        <ConnectionStatus state={state} />
      </header>
      {threads === undefined ? null : threads.length === 0 ? (
        <div className="empty">
          <strong>No conversations yet</strong>
          {state?.status === 'not_configured' || !state
            ? 'Open Settings and connect TextTrail to your server.'
            : 'Texts you and your team send show up here, with their delivery status.'}
        </div>
      ) : (
        <ul className="list" aria-label="Recent conversations">
          {threads.map(t => <ThreadItem key={t.id} thread={t} now={now} />)}
        </ul>
      )}
    </>
  );
}
