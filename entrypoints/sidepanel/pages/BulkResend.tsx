// Bulk resend of the selected failed threads: a preview (what each would send, or why it is skipped),
// then one send every few seconds, cancellable, and a summary (queued / skipped / failed).
import { useEffect, useMemo, useRef, useState } from 'react';
import { newKey } from '../../../components/thread/format';
import type { Me, Thread } from '../../../domain/types';
import { useFocusTrap } from '../../../hooks/useFocusTrap';
import { sendMessage } from '../../../utils/messaging';
import { formatPhone } from '../../../utils/phone';
import { planBulk, runBulk, summarize, type BulkOutcome } from '../bulk';

const PACES = [[2_000, 'One every 2 seconds'], [5_000, 'One every 5 seconds'], [10_000, 'One every 10 seconds']] as const;

export function BulkResend({ threads: selected, me, onClose }: { threads: Thread[]; me: Me | null; onClose(done: boolean): void }) {
  // The selection as it was when the agent opened the dialog: the live list changes under it as resends go out.
  const [threads] = useState(selected);
  const [templateId, setTemplateId] = useState('');
  const [schedule, setSchedule] = useState(true);
  const [pace, setPace] = useState<number>(2_000);
  const [phase, setPhase] = useState<'plan' | 'run' | 'done'>('plan');
  const [outcomes, setOutcomes] = useState<BulkOutcome[]>([]);
  const abort = useRef<AbortController | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const templates = me?.templates ?? [];
  const template = templates.find(t => t.id === templateId) ?? null;
  // Planned once per option change; "now" is when the agent looks at the preview.
  const items = useMemo(() => planBulk(threads, { template, schedule }, me, new Date()), [threads, template, schedule, me]);
  const sending = items.filter(i => i.plan.send).length;

  const close = () => {
    if (phase === 'run') { abort.current?.abort(); return; }
    onClose(phase === 'done');
  };
  const onKeyDown = useFocusTrap(dialog, close);
  useEffect(() => { dialog.current?.querySelector<HTMLElement>('select, button')?.focus(); }, [phase]);

  const start = async () => {
    if (!sending) return;
    setPhase('run');
    setOutcomes([]);
    abort.current = new AbortController();
    const result = await runBulk(items, {
      intervalMs: pace,
      resend: request => sendMessage('resendText', request),
      key: newKey,
      signal: abort.current.signal,
      onOutcome: o => setOutcomes(list => [...list, o]),
    });
    setOutcomes(result);
    setPhase('done');
  };

  const sum = summarize(outcomes);
  const name = (t: Thread) => t.contactName ?? formatPhone(t.contactPhone);

  return (
    <div className="modal-wrap">
      <div className="modal-backdrop" aria-hidden="true" onClick={close} />
      <div className="modal tt-surface" role="dialog" aria-modal="true" aria-labelledby="bulk-title" ref={dialog} onKeyDown={onKeyDown}>
        <h2 id="bulk-title">Resend {threads.length} {threads.length === 1 ? 'text' : 'texts'}</h2>
        {phase === 'plan' && (
          <>
            <div className="bulk-options">
              <label>Text
                <select value={templateId} onChange={e => setTemplateId(e.target.value)}>
                  <option value="">Each text as it was</option>
                  {templates.map(t => <option key={t.id} value={t.id}>Template: {t.name}</option>)}
                </select>
              </label>
              <label>Pace
                <select value={pace} onChange={e => setPace(Number(e.target.value))}>
                  {PACES.map(([ms, words]) => <option key={ms} value={ms}>{words}</option>)}
                </select>
              </label>
              <label className="check"><input type="checkbox" checked={schedule} onChange={e => setSchedule(e.target.checked)} />During the recipient's quiet hours (21:00–08:00), schedule for 08:00 their time</label>
            </div>
            <p className="bulk-sum"><strong>{sending}</strong> will be resent · <strong>{threads.length - sending}</strong> skipped</p>
            <ul className="plan" aria-label="Preview">
              {items.map(({ thread, plan }) => (
                <li key={thread.id} className={plan.send ? 'go' : 'skip'}>
                  <span className="plan-who">{name(thread)}</span>
                  {plan.send
                    ? <span className="plan-what">{plan.scheduled ? 'Scheduled for 08:00: ' : 'Sends: '}<q>{plan.preview}</q></span>
                    : <span className="plan-what">Skipped: {plan.reason}</span>}
                </li>
              ))}
            </ul>
            <div className="modal-foot">
              <button type="button" className="tt-btn" onClick={() => onClose(false)}>Cancel</button>
              <button type="button" className="tt-btn tt-primary" aria-disabled={!sending} onClick={() => void start()}>
                Send {sending} {sending === 1 ? 'text' : 'texts'}
              </button>
            </div>
          </>
        )}
        {phase !== 'plan' && (
          <>
            <div className="progress" role="progressbar" aria-label="Resending" aria-valuemin={0} aria-valuemax={threads.length} aria-valuenow={outcomes.length}>
              <span style={{ width: `${(outcomes.length / Math.max(1, threads.length)) * 100}%` }} />
            </div>
            <p className="bulk-sum" role="status">
              {phase === 'run' ? `Resending… ${outcomes.length} of ${threads.length} done` : 'Done.'}{' '}
              Queued {sum.queued} · Skipped {sum.skipped} · Failed {sum.failed}{sum.canceled ? ` · Not sent ${sum.canceled}` : ''}
            </p>
            <ul className="plan" aria-label="Results">
              {outcomes.map(o => (
                <li key={o.thread.id} className={o.result === 'queued' ? 'go' : 'skip'} data-result={o.result}>
                  <span className="plan-who">{name(o.thread)}</span>
                  <span className="plan-what">
                    {o.result === 'queued' ? (o.scheduled ? 'Scheduled for 08:00' : 'Queued')
                      : o.result === 'canceled' ? 'Not sent (stopped)' : `${o.result === 'skipped' ? 'Skipped' : 'Failed'}: ${o.reason}`}
                  </span>
                </li>
              ))}
            </ul>
            <div className="modal-foot">
              {phase === 'run'
                ? <button type="button" className="tt-btn tt-danger" onClick={() => abort.current?.abort()}>Stop</button>
                : <button type="button" className="tt-btn tt-primary" onClick={() => onClose(true)}>Close</button>}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
