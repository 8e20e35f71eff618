// The shared inbox: recent conversations from IndexedDB (instant, also offline), newest activity first,
// searchable by name or phone. Opening one shows the conversation page.
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import { BadgePill } from '../../../components/Badge';
import { ago } from '../../../components/badgeText';
import { initials } from '../../../components/thread/format';
import { badgeFromMessage } from '../../../utils/badges';
import { getDb, type ThreadRow } from '../../../utils/db';
import { formatPhone } from '../../../utils/phone';
import { usePanel } from '../store';

const LIMIT = 200;

function matches(t: ThreadRow, q: string): boolean {
  if (!q) return true;
  const digits = q.replace(/\D/g, '');
  return (t.contactName ?? '').toLowerCase().includes(q.toLowerCase()) || (digits.length >= 3 && t.contactPhone.replace(/\D/g, '').includes(digits));
}

function ThreadItem({ thread, now, pending }: { thread: ThreadRow; now: number; pending: number }) {
  const open = usePanel(s => s.openConversation);
  const last = thread.lastMessage;
  const badge = badgeFromMessage(thread.contactPhone, thread.lastOutbound, { contactName: thread.contactName, optedOut: thread.optedOut });
  const name = thread.contactName ?? formatPhone(thread.contactPhone);
  return (
    <li className="thread" data-thread={thread.id} data-phone={thread.contactPhone}>
      <button type="button" className="thread-open" onClick={() => open(thread.contactPhone)} aria-label={`Open the conversation with ${name}`} />
      <span className="av" aria-hidden="true">{initials(thread.contactName)}</span>
      <div className="min">
        <div className="who">
          {name}
          {thread.contactName && <span className="phone">{formatPhone(thread.contactPhone)}</span>}
        </div>
        <div className="last">{last ? `${last.direction === 'outbound' ? 'You: ' : ''}${last.body}` : ''}</div>
      </div>
      <div className="side">
        <BadgePill info={badge} now={now} />
        <span className="when">{pending ? `${pending} waiting to send` : ago(thread.updatedAt, now)}</span>
      </div>
    </li>
  );
}

export function Inbox({ now, configured }: { now: number; configured: boolean }) {
  const [q, setQ] = useState('');
  const threads = useLiveQuery(() => getDb().threads.orderBy('updatedAt').reverse().limit(LIMIT).toArray(), []);
  const outbox = useLiveQuery(() => getDb().outbox.toArray(), []);
  const waiting = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of outbox ?? []) m.set(r.to, (m.get(r.to) ?? 0) + 1);
    return m;
  }, [outbox]);
  const shown = (threads ?? []).filter(t => matches(t, q.trim()));
  if (threads === undefined) return null;
  return (
    <section className="inbox" aria-label="Inbox">
      <div className="toolbar">
        <input type="search" className="search" placeholder="Search name or phone" aria-label="Search conversations" value={q} onChange={e => setQ(e.target.value)} />
      </div>
      {threads.length === 0 ? (
        <div className="empty">
          <strong>No conversations yet</strong>
          {configured ? 'Texts you and your team send show up here, with their delivery status.' : 'Open Settings and connect TextTrail to your server.'}
        </div>
      ) : shown.length === 0 ? (
        <div className="empty"><strong>No match</strong>No conversation matches “{q}”.</div>
      ) : (
        <ul className="list" aria-label="Recent conversations">
          {shown.map(t => <ThreadItem key={t.id} thread={t} now={now} pending={waiting.get(t.contactPhone) ?? 0} />)}
        </ul>
      )}
    </section>
  );
}
