import { useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent, type Ref } from 'react';
import { isQuietHour } from '../../domain/quietHours';
import type { Me } from '../../domain/types';
import type { SendTextRequest, SendTextResult } from '../../utils/messaging';
import { recipientZone } from '../../utils/phone';
import type { Draft, TemplateOption } from './draft';
import { clock, newKey } from './format';
import { TextEditor } from './TextEditor';

export interface ComposerProps {
  phone: string;
  contactName: string | null;
  me: Me | null;
  /** The conversation's location (its sending number's), for the recipient's time zone. */
  locationId: string | null;
  templates: TemplateOption[];
  record: Record<string, string | undefined>;
  optedOut: boolean;
  now: number;
  send(request: SendTextRequest): Promise<SendTextResult>;
  /**
   * Send only on a real click or key press: in a CRM page the shadow root is open (CONTRACT), so the page's
   * own scripts can reach this form; their synthetic events (isTrusted false) must not send texts.
   */
  trustedOnly: boolean;
  autoFocus?: boolean;
  textRef?: Ref<HTMLTextAreaElement>;
}

/** A new text to the contact: the editor, a quiet-hours warning (not a block), and Send. */
export function Composer(p: ComposerProps) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  // One Idempotency-Key per send action, kept while the same text is retried: the server sends it once.
  const key = useRef<string | null>(null);
  // Set synchronously: a second click in the same tick sees it even before React re-renders with `busy`.
  const inFlight = useRef(false);

  const zone = recipientZone(p.phone, p.locationId, p.me);
  const quiet = zone ? isQuietHour(new Date(p.now), zone) : false;

  const submit = async (e: FormEvent | MouseEvent | KeyboardEvent) => {
    e.preventDefault();
    if (p.trustedOnly && 'nativeEvent' in e && !e.nativeEvent.isTrusted) return;
    if (inFlight.current || !draft) return;
    if (p.optedOut) { setError('This contact opted out of texts (they replied STOP). They must reply START first.'); return; }
    if (!draft.text.trim()) { setError('Write a text first.'); return; }
    if (draft.missing.length) { setError('Fill in the missing merge fields first: nothing is sent with an empty field.'); return; }
    inFlight.current = true;
    setBusy(true);
    setError(null);
    setDone(null);
    key.current ??= newKey();
    const content = draft.templateId ? { templateId: draft.templateId, vars: draft.vars } : { body: draft.text };
    try {
      const result = await p.send({ ...content, to: p.phone, contactName: p.contactName ?? undefined, idempotencyKey: key.current, preview: draft.text });
      if (result.ok) {
        setDone(result.pending ? 'Waiting to send: it goes out as soon as TextTrail is back online.' : 'Sent.');
        key.current = null;
        setRound(r => r + 1); // a fresh, empty editor
      } else {
        setError(result.error.message);
        key.current = null;
      }
    } catch {
      // The background did not answer: the same key makes a retry safe.
      setError('TextTrail could not reach its background. Try again.');
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const onChange = (d: Draft) => {
    setDraft(d);
    if (!inFlight.current) key.current = null; // a different text is a different action
    setError(null);
  };

  // Not disabled for an unfinished text: a click says what is missing (a disabled button says nothing).
  const blocked = busy;
  return (
    <form className="tt-composer-form" aria-label="New text" onSubmit={e => e.preventDefault()}>
      {p.optedOut && <p className="tt-note tt-note-bad">This contact opted out of texts (STOP). The server refuses new texts until they reply START.</p>}
      {quiet && zone && (
        <p className="tt-note tt-note-warn" data-testid="quiet-hours">
          It is {clock(new Date(p.now), zone)} for the recipient ({zone.replace(/_/g, ' ')}): quiet hours are 21:00–08:00. You can still send.
        </p>
      )}
      <TextEditor
        key={round}
        templates={p.templates}
        record={p.record}
        label="Message"
        onChange={onChange}
        onShortcut={e => void submit(e)}
        autoFocus={p.autoFocus}
        textRef={p.textRef}
      />
      <div className="tt-composer-foot">
        <span className="tt-hint">Ctrl+Enter sends</span>
        <button type="submit" className="tt-btn tt-primary" aria-disabled={blocked} onClick={e => void submit(e)}>
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      {error && <p className="tt-error" role="alert">{error}</p>}
      {done && <p className="tt-ok" role="status">{done}</p>}
    </form>
  );
}
