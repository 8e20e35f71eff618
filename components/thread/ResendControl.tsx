import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { RESEND_REFUSAL_TEXT, type ResendRefusal } from '../../domain/resend';
import type { Message } from '../../domain/types';
import type { ResendTextRequest, SendTextResult } from '../../utils/messaging';
import type { Draft, TemplateOption } from './draft';
import { newKey } from './format';
import { upperFirst, type ResendView } from './resendView';
import { TextEditor } from './TextEditor';

export interface ResendControlProps {
  message: Message;
  view: ResendView;
  templates: TemplateOption[];
  record: Record<string, string | undefined>;
  resend(request: ResendTextRequest): Promise<SendTextResult>;
  /** The server refused with a resend code: the thread shows its words from now on. */
  onRefusal(code: ResendRefusal): void;
  trustedOnly: boolean;
}

const isRefusal = (code: string): code is ResendRefusal => code in RESEND_REFUSAL_TEXT;

/** Under a failed text: why it cannot be resent, or how (as it was, edited, with a template, scheduled). */
export function ResendControl({ message, view, templates, record, resend, onRefusal, trustedOnly }: ResendControlProps) {
  const [mode, setMode] = useState<null | 'edit' | 'template'>(view.openEdit ? 'edit' : null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // One key per resend action (kept for a retry of the same action), so a double click resends once.
  const key = useRef<string | null>(null);
  // Set synchronously: a second click in the same tick sees it even before React re-renders with `busy`.
  const inFlight = useRef(false);
  const schedule = view.schedule;
  // The server may answer needs_edit for what the client thought resendable: open the edit box then.
  useEffect(() => { if (view.openEdit) setMode(m => m ?? 'edit'); }, [view.openEdit]);

  const go = async (e: MouseEvent, how: 'original' | 'edit' | 'template') => {
    e.preventDefault();
    if (trustedOnly && !e.nativeEvent.isTrusted) return;
    if (inFlight.current) return;
    const request: ResendTextRequest = { messageId: message.id, idempotencyKey: '', ...(schedule ? { schedule: true } : {}) };
    if (how !== 'original') {
      if (!draft?.ready) { setError(draft?.missing.length ? 'Fill in the missing merge fields first.' : 'Write the text first.'); return; }
      if (how === 'edit' && view.refusal === 'needs_edit' && draft.text.trim() === message.body.trim()) {
        setError('Change the wording first: the carrier blocked this text as it is.');
        return;
      }
      if (draft.templateId) { request.templateId = draft.templateId; request.vars = draft.vars; } else request.body = draft.text;
      request.preview = draft.text;
    }
    key.current ??= newKey();
    request.idempotencyKey = key.current;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const result = await resend(request);
      key.current = null;
      if (result.ok) {
        setMode(null);
        setDone(result.pending
          ? 'Resend waiting to send: it goes out as soon as TextTrail is back online.'
          : schedule ? `Scheduled: it goes out at 08:00 recipient time.` : `Resent: attempt ${result.message.attempt} is on its way.`);
      } else if (isRefusal(result.error.code)) {
        setError(`Not resent: ${RESEND_REFUSAL_TEXT[result.error.code]}.`);
        if (result.error.code === 'needs_edit') setMode('edit');
        onRefusal(result.error.code);
      } else {
        setError(result.error.message);
      }
    } catch {
      setError('TextTrail could not reach its background. Try again.');
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  const primary = schedule ? schedule.label : 'Resend';
  return (
    <div className={`tt-resend tt-tone-${view.tone}`} role="group" aria-label="Resend" data-refusal={view.refusal ?? 'none'}>
      <p className="tt-resend-head">{view.headline}</p>
      {view.offers.length > 0 && mode === null && !done && (
        <div className="tt-actions">
          {view.offers.includes('original') && (
            <button type="button" className="tt-btn tt-primary" aria-disabled={busy} onClick={e => void go(e, 'original')}>
              {busy ? 'Resending…' : primary}
            </button>
          )}
          {view.offers.includes('edit') && <button type="button" className="tt-btn" onClick={() => setMode('edit')}>Edit and resend</button>}
          {view.offers.includes('template') && templates.length > 0 && (
            <button type="button" className="tt-btn" onClick={() => setMode('template')}>Resend with a template</button>
          )}
        </div>
      )}
      {mode !== null && (
        <div className="tt-resend-edit">
          <TextEditor
            key={mode}
            templates={mode === 'template' ? templates : []}
            allowFree={mode === 'edit'}
            record={record}
            initialSource={mode === 'edit' ? message.body : ''}
            label="Edited text"
            onChange={setDraft}
            autoFocus
          />
          <div className="tt-actions">
            <button type="button" className="tt-btn tt-primary" aria-disabled={busy} onClick={e => void go(e, mode)}>
              {busy ? 'Resending…' : schedule ? `${mode === 'edit' ? 'Schedule edited text' : 'Schedule template'} for 08:00` : mode === 'edit' ? 'Resend edited text' : 'Resend with this template'}
            </button>
            {view.refusal !== 'needs_edit'
              ? <button type="button" className="tt-btn" onClick={() => { setMode(null); setError(null); }}>Cancel</button>
              : mode === 'edit'
                ? templates.length > 0 && <button type="button" className="tt-btn" onClick={() => setMode('template')}>Use a template instead</button>
                : <button type="button" className="tt-btn" onClick={() => setMode('edit')}>Edit the text instead</button>}
          </div>
        </div>
      )}
      {error && <p className="tt-error" role="alert">{upperFirst(error)}</p>}
      {done && <p className="tt-ok" role="status">{done}</p>}
    </div>
  );
}
