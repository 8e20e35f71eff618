import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { eligibility } from '../../domain/eligibility';
import { failureReason } from '../../domain/errorClass';
import type { ResendRefusal } from '../../domain/resend';
import { isFailure } from '../../domain/status';
import type { TrailStep } from '../../domain/trail';
import type { Me, Message } from '../../domain/types';
import { resendsOf, type Conversation, type PendingText } from '../../utils/conversation';
import type { ResendTextRequest, SendTextResult } from '../../utils/messaging';
import { recipientZone } from '../../utils/phone';
import { sendErrorWords } from '../../utils/sendErrors';
import type { TemplateOption } from './draft';
import { STEP_WORDS, clock, dayLabel, memberName } from './format';
import { ResendControl } from './ResendControl';
import { resendView } from './resendView';

export interface ThreadServices {
  resend(request: ResendTextRequest): Promise<SendTextResult>;
  dismiss(key: string): Promise<void>;
}

export interface ThreadViewProps {
  conversation: Conversation;
  me: Me | null;
  now: number;
  templates: TemplateOption[];
  record: Record<string, string | undefined>;
  services: ThreadServices;
  trustedOnly: boolean;
  /** The accessible name of the message log. */
  label: string;
}

const STEP_TONE: Partial<Record<TrailStep['step'], string>> = {
  delivered: 'good', read: 'good', failed: 'bad', undelivered: 'bad', stuck: 'warn', canceled: 'muted',
};

function Trail({ steps }: { steps: TrailStep[] }) {
  return (
    <ol className="tt-trail" aria-label="Status history">
      {steps.map((s, i) => (
        <li key={s.step} className={`tt-step tt-step-${STEP_TONE[s.step] ?? 'plain'}`}>
          {i > 0 && <span className="tt-arrow" aria-hidden="true">→</span>}
          <span className="tt-step-word">{STEP_WORDS[s.step]}</span> <time dateTime={s.at}>{clock(s.at)}</time>
        </li>
      ))}
    </ol>
  );
}

/** The newest outbound text: its resend control may speak of "in progress". */
function newestOutbound(messages: Message[]): Message | null {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].direction === 'outbound') return messages[i];
  return null;
}

/** One contact's texts with their status trails, who sent them, resend controls and texts waiting to send. */
export function ThreadView({ conversation, me, now, templates, record, services, trustedOnly, label }: ThreadViewProps) {
  const { messages, trails, outbox } = conversation;
  const [refusals, setRefusals] = useState<Record<string, ResendRefusal>>({});
  const resends = useMemo(() => resendsOf(messages), [messages]);
  const byId = useMemo(() => new Map(messages.map(m => [m.id, m])), [messages]);
  const newest = newestOutbound(messages);
  const log = useRef<HTMLDivElement>(null);
  const items = useRef(new Map<string, HTMLLIElement>());

  // Open at the newest text, and follow new ones unless the agent scrolled up to read.
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    const el = log.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, outbox.length]);
  useEffect(() => {
    const el = log.current;
    if (!el) return;
    const onScroll = () => { atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40; };
    el.addEventListener('scroll', onScroll);
    // The composer growing (a template's fields) shrinks the log: stay on the newest text.
    const resized = typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => { if (atBottom.current) el.scrollTop = el.scrollHeight; })
      : null;
    resized?.observe(el);
    return () => { el.removeEventListener('scroll', onScroll); resized?.disconnect(); };
  }, []);

  const jumpTo = (id: string) => {
    const el = items.current.get(id);
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    el?.focus({ preventScroll: true });
  };

  const rows: ReactNode[] = [];
  let lastDay = '';
  for (const m of messages) {
    const day = dayLabel(m.createdAt, now);
    if (day !== lastDay) { rows.push(<li key={`day-${m.createdAt}`} className="tt-day"><span>{day}</span></li>); lastDay = day; }
    rows.push(renderMessage(m));
  }
  for (const p of outbox) rows.push(renderPending(p));

  function renderMessage(m: Message) {
    const out = m.direction === 'outbound';
    const resend = resends.get(m.id) ?? null;
    const original = m.resendOf ? byId.get(m.resendOf) ?? null : null;
    const zone = recipientZone(m.to, m.locationId, me);
    const failed = out && isFailure(m.status);
    const showControl = out && (failed || m.stuck || resend !== null || m.id === newest?.id);
    const view = showControl
      ? resendView({
        message: m,
        eligibility: eligibility({ message: m, optedOut: conversation.optedOut, resend, now: new Date(now), zone }),
        serverRefusal: refusals[m.id] ?? null, resend, me, zone,
      })
      : null;
    const who = out ? memberName(me, m.sentBy) : conversation.contactName ?? 'Contact';
    return (
      <li
        key={m.id}
        id={`tt-msg-${m.id}`}
        ref={el => { if (el) items.current.set(m.id, el); else items.current.delete(m.id); }}
        tabIndex={-1}
        className={`tt-msg ${out ? 'tt-out' : 'tt-in'}`}
        data-message={m.id}
        data-status={m.stuck ? 'stuck' : m.status}
        data-attempt={m.attempt}
      >
        <div className="tt-bubble"><p className="tt-body">{m.body}</p></div>
        <div className="tt-meta">
          <span className="tt-who">{who}</span>
          <span aria-hidden="true"> · </span>
          <time dateTime={m.createdAt}>{clock(m.createdAt)}</time>
          {m.attempt > 1 && (
            <>
              <span aria-hidden="true"> · </span>
              <span className="tt-attempt">Attempt {m.attempt}</span>
              {original && (
                <>
                  {', '}
                  <button type="button" className="tt-link" onClick={() => jumpTo(original.id)}>resend of the {clock(original.createdAt)} text</button>
                </>
              )}
            </>
          )}
        </div>
        {out && trails[m.id]?.length ? <Trail steps={trails[m.id]} /> : null}
        {out && m.scheduledFor && m.status === 'queued' && (
          <p className="tt-scheduled">Scheduled for {zone ? `${clock(m.scheduledFor, zone)} recipient's time` : clock(m.scheduledFor)}</p>
        )}
        {failed && (
          <p className="tt-reason">
            <span className="tt-reason-word">{m.status === 'failed' ? 'Failed' : 'Undelivered'}:</span> {failureReason(m.provider, m.errorCode, m.errorClass)}
          </p>
        )}
        {out && m.stuck && <p className="tt-reason tt-reason-warn">Stuck: no delivery report from the carrier since {clock(m.updatedAt)}</p>}
        {view && (
          <ResendControl
            key={m.id}
            message={m}
            view={view}
            templates={templates}
            record={record}
            resend={services.resend}
            onRefusal={code => setRefusals(r => ({ ...r, [m.id]: code }))}
            trustedOnly={trustedOnly}
          />
        )}
      </li>
    );
  }

  function renderPending(p: PendingText) {
    const waiting = p.state === 'waiting';
    return (
      <li key={`out-${p.key}`} className={`tt-msg tt-out tt-outbox${waiting ? '' : ' tt-outbox-bad'}`} data-pending={p.state}>
        <div className="tt-bubble"><p className="tt-body">{p.preview}</p></div>
        <div className="tt-meta">
          <span className="tt-who">{memberName(me, p.sentBy)}</span>
          <span aria-hidden="true"> · </span>
          <time dateTime={p.createdAt}>{clock(p.createdAt)}</time>
          {p.kind === 'resend' && <><span aria-hidden="true"> · </span><span>resend</span></>}
        </div>
        {waiting ? (
          <p className="tt-waiting" role="status"><span className="tt-spinner" aria-hidden="true" />Waiting to send: it goes out when TextTrail is back online</p>
        ) : (
          <div className="tt-resend tt-tone-bad">
            <p className="tt-resend-head">Not sent: {p.error ? sendErrorWords(p.error.code, p.error.message) : 'the server refused it'}</p>
            <div className="tt-actions"><button type="button" className="tt-btn" onClick={() => void services.dismiss(p.key)}>Dismiss</button></div>
          </div>
        )}
      </li>
    );
  }

  return (
    <div className="tt-log" role="log" aria-label={label} tabIndex={0} ref={log}>
      {rows.length === 0
        ? <p className="tt-empty">No texts with this contact yet. Write the first one below.</p>
        : <ol className="tt-msgs">{rows}</ol>}
    </div>
  );
}
