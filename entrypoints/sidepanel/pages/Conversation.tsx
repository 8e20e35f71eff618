// One conversation in the side panel: the same thread view and composer as the overlay in the page, read
// live from IndexedDB (the background's writes show at once, also offline).
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef } from 'react';
import { Composer } from '../../../components/thread/Composer';
import { ContactHeading } from '../../../components/thread/ContactHeading';
import { ThreadView } from '../../../components/thread/ThreadView';
import { useConversationView, type ConversationServices } from '../../../components/thread/useConversationView';
import type { Me } from '../../../domain/types';
import { loadConversation } from '../../../utils/conversationDb';
import { getDb } from '../../../utils/db';
import { sendMessage } from '../../../utils/messaging';
import { usePanel } from '../store';

// Sends and resends go through the background: its outbox makes them exactly-once, also offline.
const services: ConversationServices = {
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

  const view = useConversationView({ phone, conversation, me, now, services, trustedOnly: false });

  return (
    <section className="conversation tt-surface" aria-labelledby="conv-title">
      <header className="tt-head">
        <button type="button" className="tt-icon-btn back" onClick={close} ref={back} aria-label="Back to the list">←</button>
        <ContactHeading phone={phone} view={view} titleId="conv-title" />
      </header>
      {conversation && (
        <ThreadView conversation={conversation} {...view.threadView} />
      )}
      <div className="tt-compose">
        <Composer {...view.composer} />
      </div>
    </section>
  );
}
