import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { Me } from '../../domain/types';
import { useFocusTrap } from '../../hooks/useFocusTrap';
import type { ContactFields } from '../../adapters/fields';
import type { Conversation } from '../../utils/conversation';
import { Composer } from '../thread/Composer';
import { ContactHeading } from '../thread/ContactHeading';
import { ThreadView } from '../thread/ThreadView';
import { useConversationView, type ConversationServices } from '../thread/useConversationView';

export interface OverlayServices extends ConversationServices {
  load(phone: string): Promise<Conversation>;
  /** Calls back when the conversation changes; the returned function stops it. */
  subscribe(phone: string, onChange: () => void): () => void;
  me(): Promise<Me | null>;
  /** Must be called from the click itself: Chrome opens the side panel only during a user gesture. */
  openSidePanel(phone: string): Promise<{ opened: boolean }>;
  /** Fetch the contact's full history from the server (when online). */
  refresh(phone: string): void;
}

export interface OverlayProps {
  phone: string;
  /** The contact's name as the badge knows it (from the server's threads). */
  contactName: string | null;
  /** Merge fields from the CRM record on screen. */
  record: ContactFields;
  services: OverlayServices;
  trustedOnly: boolean;
  onClose(): void;
}

/** The contact's thread as a modal dialog beside the CRM page: history, resend, composer. */
export function Overlay({ phone, contactName, record, services, trustedOnly, onClose }: OverlayProps) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [now, setNow] = useState(Date.now());
  const [panelError, setPanelError] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const text = useRef<HTMLTextAreaElement>(null);
  const titleId = useId();

  useEffect(() => {
    let live = true;
    let queued = false;
    const load = () => {
      // Bursts of changes (a flurry of callbacks) cost one read.
      if (queued) return;
      queued = true;
      setTimeout(() => {
        queued = false;
        services.load(phone).then(c => { if (live) { setConversation(c); setNow(Date.now()); } }).catch(() => undefined);
      }, 30);
    };
    services.load(phone).then(c => { if (live) setConversation(c); }).catch(() => live && setConversation(emptyConversation(phone)));
    services.me().then(m => { if (live) setMe(m); }).catch(() => undefined);
    const stop = services.subscribe(phone, load);
    services.refresh(phone);
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    return () => { live = false; stop(); clearInterval(tick); };
  }, [phone, services]);

  // Escape closes the dialog even when focus wandered outside it (a click on the page behind).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } };
    const doc = dialog.current?.ownerDocument ?? document;
    doc.addEventListener('keydown', onKey, true);
    return () => doc.removeEventListener('keydown', onKey, true);
  }, [onClose]);

  useLayoutEffect(() => {
    (text.current ?? dialog.current?.querySelector<HTMLElement>('button'))?.focus();
  }, [conversation === null]); // eslint-disable-line react-hooks/exhaustive-deps

  const trap = useFocusTrap(dialog, onClose);
  const onKeyDown = (e: KeyboardEvent) => {
    // The CRM's own shortcuts must not fire while the agent types here.
    e.stopPropagation();
    trap(e);
  };

  const openPanel = (e: MouseEvent) => {
    if (trustedOnly && !e.nativeEvent.isTrusted) return;
    setPanelError(null);
    services.openSidePanel(phone).then(r => {
      if (r.opened) onClose();
      else setPanelError('Chrome did not open the side panel. Use the TextTrail button in the toolbar.');
    }).catch(() => setPanelError('TextTrail could not reach its background. Try again.'));
  };

  const view = useConversationView({ phone, conversation, me, now, knownName: contactName, record, services, trustedOnly });

  return (
    <>
      <div className="tt-backdrop" aria-hidden="true" onPointerDown={e => { e.preventDefault(); onClose(); }} />
      <div
        className="tt-dialog tt-surface"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={dialog}
        onKeyDown={onKeyDown}
        onKeyUp={e => e.stopPropagation()}
        onKeyPress={e => e.stopPropagation()}
        onClick={e => e.stopPropagation()}
      >
        <header className="tt-head">
          <ContactHeading phone={phone} view={view} titleId={titleId} />
          <button type="button" className="tt-icon-btn" onClick={openPanel}>Open in side panel</button>
          <button type="button" className="tt-icon-btn" aria-label="Close" onClick={onClose}>✕</button>
        </header>
        {panelError && <p className="tt-panel-error" role="alert">{panelError}</p>}
        {conversation === null ? (
          <div className="tt-overlay-loading" role="status">Loading the conversation…</div>
        ) : (
          <ThreadView conversation={conversation} {...view.threadView} />
        )}
        <div className="tt-compose">
          <Composer {...view.composer} textRef={text} />
        </div>
      </div>
    </>
  );
}

function emptyConversation(phone: string): Conversation {
  return { phone, threads: [], contactName: null, optedOut: false, messages: [], trails: {}, outbox: [] };
}
