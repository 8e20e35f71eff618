import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { BadgeInfo } from '../utils/badges';
import type { SendTextRequest, SendTextResult } from '../utils/messaging';
import { badgeLabel } from './badgeText';

export interface ComposerProps {
  phone: string;
  /** The number as the page shows it. */
  display: string;
  info: BadgeInfo | undefined;
  now: number;
  /** Where the pill is: the composer opens below it (fixed, so table cells with overflow never clip it). */
  anchor: () => DOMRect | null;
  send: (request: SendTextRequest) => Promise<SendTextResult>;
  onClose: (sent: boolean) => void;
  /**
   * Send only on a real user's click or key press. The shadow root is open (CONTRACT), so the CRM page's
   * own scripts can reach the composer; their synthetic events (isTrusted false) must not send texts.
   */
  trustedOnly?: boolean;
}

const WIDTH = 320;
/** One SMS segment of plain GSM text; longer texts go out as several parts. */
const SEGMENT = 160;

function place(rect: DOMRect | null): { top: number; left: number } {
  const vw = globalThis.innerWidth || 1024, vh = globalThis.innerHeight || 768;
  if (!rect) return { top: 16, left: 16 };
  const left = Math.max(8, Math.min(rect.left, vw - WIDTH - 8));
  const below = rect.bottom + 6;
  const top = below + 220 > vh && rect.top > 240 ? rect.top - 6 - 220 : below;
  return { top, left };
}

/** A plain composer: one textarea and Send. Message text stays text (React text nodes, never HTML). */
export function Composer({ phone, display, info, now, anchor, send, onClose, trustedOnly = true }: ComposerProps) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pos, setPos] = useState(() => place(anchor()));
  const text = useRef<HTMLTextAreaElement>(null);
  // One key per composer: a retry after a lost answer is the same request to the server (sent once).
  const idempotencyKey = useRef(globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`);
  const titleId = useId();
  const name = info?.contactName;

  useLayoutEffect(() => { text.current?.focus(); }, []);
  useEffect(() => {
    const follow = () => setPos(place(anchor()));
    globalThis.addEventListener('scroll', follow, true);
    globalThis.addEventListener('resize', follow);
    return () => { globalThis.removeEventListener('scroll', follow, true); globalThis.removeEventListener('resize', follow); };
  }, [anchor]);

  // Checked on the click or key press itself: a submit event the browser fires for a scripted click is
  // marked trusted, the scripted click is not.
  const submit = async (e: MouseEvent | KeyboardEvent) => {
    e.preventDefault();
    if (trustedOnly && !e.nativeEvent.isTrusted) return;
    if (busy) return;
    if (!body.trim()) { setError('Write a text first.'); return; }
    setBusy(true);
    setError(null);
    try {
      const result = await send({ to: phone, body, contactName: name ?? undefined, idempotencyKey: idempotencyKey.current });
      if (result.ok) {
        setDone('Sent. The badge follows it live.');
        setBody('');
        idempotencyKey.current = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
        setTimeout(() => onClose(true), 900);
      } else {
        setError(result.error.message);
      }
    } catch {
      setError('TextTrail could not reach its background. Reload the page and try again.');
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation(); // keep the CRM's own keyboard shortcuts out of the composer
    if (e.key === 'Escape') { e.preventDefault(); onClose(false); }
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit(e);
  };

  const segments = Math.max(1, Math.ceil(body.length / SEGMENT));
  return (
    <form
      className="tt-composer"
      role="dialog"
      aria-labelledby={titleId}
      style={{ top: pos.top, left: pos.left }}
      onSubmit={e => e.preventDefault()}
      onKeyDown={onKeyDown}
      onClick={e => e.stopPropagation()}
    >
      <div className="tt-head">
        <span className="tt-title" id={titleId}>Text {name ? `${name} · ${display}` : display}</span>
        <button type="button" className="tt-close" aria-label="Close" onClick={() => onClose(false)}>×</button>
      </div>
      {info && info.status !== 'none' && <div className="tt-last">Last text: {badgeLabel(info, now)}</div>}
      {info?.optedOut && <div className="tt-warning">This contact opted out of texts. The server will refuse a new text.</div>}
      <textarea
        ref={text}
        className="tt-text"
        aria-label="Message"
        placeholder="Write a text…"
        value={body}
        maxLength={1600}
        onChange={e => { setBody(e.target.value); setError(null); setDone(null); }}
      />
      <div className="tt-foot">
        <span className="tt-count">{body.length} chars · {segments} {segments === 1 ? 'part' : 'parts'}</span>
        <button type="submit" className="tt-send" aria-disabled={busy || !body.trim()} onClick={e => void submit(e)}>{busy ? 'Sending…' : 'Send'}</button>
      </div>
      {error && <p className="tt-error" role="alert">{error}</p>}
      {done && <p className="tt-ok" role="status">{done}</p>}
    </form>
  );
}
