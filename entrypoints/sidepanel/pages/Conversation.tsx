// One conversation in the side panel: the same thread view and composer as the overlay in the page, read
// live from IndexedDB (the background's writes show at once, also offline).
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useRef } from 'react';
import { Composer } from '../../../components/thread/Composer';
import { initials, splitName } from '../../../components/thread/format';
import { ThreadView, type ThreadServices } from '../../../components/thread/ThreadView';
import type { Me } from '../../../domain/types';
import { loadConversation } from '../../../utils/conversationDb';
import { getDb } from '../../../utils/db';
import { sendMessage, type SendTextRequest, type SendTextResult } from '../../../utils/messaging';
import { formatPhone } from '../../../utils/phone';
import { usePanel } from '../store';

// Sends and resends go through the background: its outbox makes them exactly-once, also offline.
const services: ThreadServices & { send(request: SendTextRequest): Promise<SendTextResult> } = {
  resend: request => sendMessage('resendText', request),
  dismiss: key => sendMessage('dismissOutbox', key),
  send: request => sendMessage('sendText', request),
};

export function Conversation({ phone, me, now }: { phone: string; me: Me | null; now: number }) {
  const close = usePanel(s => s.closeConversation);
  const conversation = useLiveQuery(() => loadConversation(getDb(), phone), [phone]);
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    void sendMessage('refreshConversation', phone).catch(() => undefined);
    back.current?.focus();
  }, [phone]);

  const name = conversation?.contactName ?? null;
  const thread = conversation?.threads[0] ?? null;
  const location = me?.locations.find(l => l.id === thread?.locationId);
  const record = useMemo(() => ({ ...splitName(name) }), [name]);
  const templates = me?.templates ?? [];

  return (
    <section className="conversation tt-surface" aria-labelledby="conv-title">
      <header className="tt-head">
        <button type="button" className="tt-icon-btn back" onClick={close} ref={back} aria-label="Back to the list">←</button>
        <span className="tt-avatar" aria-hidden="true">{initials(name)}</span>
        <div className="tt-head-text">
          <h2 className="tt-head-title" id="conv-title">{name ?? formatPhone(phone)}</h2>
          <div className="tt-head-sub">
            <span>{formatPhone(phone)}</span>
            {location && <span className="tt-chip">{location.name}</span>}
            {conversation?.optedOut && <span className="tt-chip tt-chip-bad">Opted out</span>}
          </div>
        </div>
      </header>
      {conversation && (
        <ThreadView
          conversation={conversation}
          me={me}
          now={now}
          templates={templates}
          record={record}
          services={services}
          trustedOnly={false}
          label={`Texts with ${name ?? formatPhone(phone)}`}
        />
      )}
      <div className="tt-compose">
        <Composer
          phone={phone}
          contactName={name}
          me={me}
          locationId={thread?.locationId ?? null}
          templates={templates}
          record={record}
          optedOut={conversation?.optedOut ?? false}
          now={now}
          send={services.send}
          trustedOnly={false}
        />
      </div>
    </section>
  );
}
