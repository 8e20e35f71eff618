// Templates, managed by admins (create, edit, archive); agents pick the active ones in the composer.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { SegmentMeter } from '../../../components/thread/TextEditor';
import { fieldLabel } from '../../../components/thread/draft';
import { templateFields } from '../../../domain/templates';
import type { TemplateRow } from '../../../domain/types';
import { sendMessage } from '../../../utils/messaging';
import { ApiError, type Api } from '../../background/api';

function words(e: unknown): string {
  if (e instanceof ApiError && e.code === 'forbidden') return 'Only administrators can manage templates.';
  return e instanceof Error ? e.message : 'the server did not answer';
}

function TemplateForm({ initial, submitLabel, onSubmit, onCancel }: {
  initial?: { name: string; body: string }; submitLabel: string;
  onSubmit(v: { name: string; body: string }): Promise<void>; onCancel?(): void;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [body, setBody] = useState(initial?.body ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fields = templateFields(body);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !body.trim()) { setError('A template needs a name and a text.'); return; }
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ name: name.trim(), body });
      if (!initial) { setName(''); setBody(''); }
    } catch (err) {
      setError(words(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="tform" onSubmit={submit}>
      <label>Name<input value={name} onChange={e => setName(e.target.value)} maxLength={120} /></label>
      <label>Text<textarea value={body} onChange={e => setBody(e.target.value)} rows={3} placeholder="Hi {{firstName}}, …" /></label>
      <div className="tform-meta">
        <SegmentMeter text={body.replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g, 'xxxxxxxx')} />
        {fields.length > 0 && <span className="tfields">Merge fields: {fields.map(f => <code key={f}>{fieldLabel(f)}</code>)}</span>}
      </div>
      {error && <p className="tt-error" role="alert">{error}</p>}
      <div className="tt-actions">
        <button type="submit" className="tt-btn tt-primary" aria-disabled={busy}>{busy ? 'Saving…' : submitLabel}</button>
        {onCancel && <button type="button" className="tt-btn" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}

export function Templates({ api }: { api: Api | null }) {
  const [list, setList] = useState<TemplateRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!api) return;
    try {
      setList((await api.templates(true)).templates);
      setError(null);
    } catch (e) {
      setError(words(e));
    }
  }, [api]);
  useEffect(() => { void load(); }, [load]);

  // Agents' composers read templates from /api/me, cached by the background: refresh it after a change.
  const changed = async (what: string) => {
    setDone(what);
    await load();
    void sendMessage('refreshMe').catch(() => undefined);
  };

  if (!api) return <p className="note">Connect TextTrail in Settings first.</p>;
  const active = (list ?? []).filter(t => !t.archived);
  const archived = (list ?? []).filter(t => t.archived);
  const row = (t: TemplateRow) => (
    <li key={t.id} className={`tcard${t.archived ? ' archived' : ''}`} data-template={t.id}>
      {editing === t.id ? (
        <TemplateForm
          initial={t}
          submitLabel="Save"
          onCancel={() => setEditing(null)}
          onSubmit={async v => { await api.updateTemplate(t.id, v); setEditing(null); await changed(`Saved “${v.name}”.`); }}
        />
      ) : (
        <>
          <div className="tcard-head">
            <h3>{t.name}</h3>
            {t.archived && <span className="tt-chip">Archived</span>}
          </div>
          <p className="tbody">{t.body}</p>
          <div className="tt-actions">
            {!t.archived && <button type="button" className="tt-btn" onClick={() => setEditing(t.id)} aria-label={`Edit ${t.name}`}>Edit</button>}
            <button
              type="button"
              className="tt-btn"
              aria-label={`${t.archived ? 'Restore' : 'Archive'} ${t.name}`}
              onClick={async () => {
                try { await api.updateTemplate(t.id, { archived: !t.archived }); await changed(`${t.archived ? 'Restored' : 'Archived'} “${t.name}”.`); } catch (e) { setError(words(e)); }
              }}
            >{t.archived ? 'Restore' : 'Archive'}</button>
          </div>
        </>
      )}
    </li>
  );
  return (
    <section className="templates" aria-label="Templates">
      <h2 className="section-h">New template</h2>
      <TemplateForm submitLabel="Create template" onSubmit={async v => { await api.createTemplate(v); await changed(`Created “${v.name}”.`); }} />
      {done && <p className="tt-ok" role="status">{done}</p>}
      {error && <p className="note bad" role="alert">{error}</p>}
      <h2 className="section-h">Approved templates ({active.length})</h2>
      <ul className="tlist" aria-label="Approved templates">{active.map(row)}</ul>
      {archived.length > 0 && (
        <>
          <h2 className="section-h">Archived ({archived.length})</h2>
          <ul className="tlist" aria-label="Archived templates">{archived.map(row)}</ul>
        </>
      )}
    </section>
  );
}
