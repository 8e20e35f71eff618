import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { countSegments } from '../../domain/segments';
import { buildDraft, fieldLabel, previewParts, type Draft, type TemplateOption } from './draft';

export interface TextEditorProps {
  templates: TemplateOption[];
  /** Merge-field values from the CRM record (or the contact's name). */
  record: Record<string, string | undefined>;
  initialSource?: string;
  initialTemplateId?: string | null;
  /** False: a template must be chosen (resend with a template). */
  allowFree?: boolean;
  /** The accessible name of the text box. */
  label: string;
  placeholder?: string;
  onChange(draft: Draft): void;
  /** Ctrl/Cmd+Enter. */
  onShortcut?(e: KeyboardEvent): void;
  autoFocus?: boolean;
  textRef?: Ref<HTMLTextAreaElement>;
}

/** The SMS cost as the agent types: characters against the part size, parts, and the encoding with its cause. */
export function SegmentMeter({ text, id }: { text: string; id?: string }) {
  const c = countSegments(text);
  const capacity = c.segments <= 1 ? c.perSegment : c.perSegment * c.segments;
  const parts = c.segments === 0 ? 'no SMS yet' : c.segments === 1 ? '1 SMS' : `${c.segments} SMS parts`;
  const why = c.nonGsm.length ? ` because of ${c.nonGsm.slice(0, 3).map(ch => `“${ch}”`).join(' ')}` : '';
  return (
    <p className={`tt-count${c.encoding === 'UCS-2' ? ' tt-count-ucs' : ''}`} id={id} data-encoding={c.encoding} data-segments={c.segments}>
      <span>{c.units}/{capacity}</span>
      <span aria-hidden="true"> · </span>
      <span>{parts}</span>
      <span aria-hidden="true"> · </span>
      <span title={c.encoding === 'UCS-2' ? '70 characters per SMS (67 when split)' : '160 characters per SMS (153 when split); € [ ] { } ~ ^ | \\ count as two'}>
        {c.encoding}{why}
      </span>
    </p>
  );
}

/** Free text or an approved template, merge fields, a preview and the segment meter. Text stays text. */
export function TextEditor({
  templates, record, initialSource = '', initialTemplateId = null, allowFree = true, label, placeholder, onChange, onShortcut, autoFocus, textRef,
}: TextEditorProps) {
  const base = useId();
  const [templateId, setTemplateId] = useState<string | null>(initialTemplateId ?? (allowFree ? null : templates[0]?.id ?? null));
  const [free, setFree] = useState(initialSource);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const template = templates.find(t => t.id === templateId) ?? null;
  const source = template ? template.body : free;
  const draft = useMemo(() => buildDraft({ source, templateId: template?.id ?? null, typed, record }), [source, template, typed, record]);
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => { changed.current(draft); }, [draft]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onShortcut?.(e);
  };
  const meterId = `${base}-meter`;
  const showPreview = template !== null || draft.fields.length > 0;

  return (
    <div className="tt-editor" onKeyDown={onKeyDown}>
      {(templates.length > 0 || !allowFree) && (
        <div className="tt-field-row">
          <label htmlFor={`${base}-tpl`}>Template</label>
          <select
            id={`${base}-tpl`}
            value={templateId ?? ''}
            onChange={e => setTemplateId(e.target.value || null)}
          >
            {allowFree && <option value="">None: write your own</option>}
            {templates.map(t => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </div>
      )}
      {template === null && (
        <textarea
          ref={textRef}
          className="tt-text"
          aria-label={label}
          aria-describedby={meterId}
          placeholder={placeholder ?? 'Write a text…'}
          value={free}
          maxLength={1600}
          autoFocus={autoFocus}
          onChange={e => setFree(e.target.value)}
        />
      )}
      {draft.fields.length > 0 && (
        <fieldset className="tt-fields">
          <legend>Merge fields</legend>
          {draft.fields.map(f => {
            const missing = draft.missing.includes(f);
            const id = `${base}-f-${f}`;
            return (
              <div className="tt-merge" key={f}>
                <label htmlFor={id}>{fieldLabel(f)}</label>
                <input
                  id={id}
                  value={typed[f] ?? record[f] ?? ''}
                  aria-invalid={missing || undefined}
                  aria-describedby={missing ? `${id}-miss` : undefined}
                  onChange={e => setTyped(t => ({ ...t, [f]: e.target.value }))}
                />
                {missing && <span className="tt-missing" id={`${id}-miss`}>Missing: fill it in</span>}
              </div>
            );
          })}
        </fieldset>
      )}
      {showPreview && (
        <div className="tt-preview" aria-label="Preview" role="group">
          <span className="tt-preview-label" aria-hidden="true">Preview</span>
          <p className="tt-preview-text">
            {previewParts(source, draft.vars).map((p, i) => p.missing
              ? <mark key={i} className="tt-miss">[{p.text} missing]</mark>
              : <span key={i} className={p.field ? 'tt-filled' : undefined}>{p.text}</span>)}
          </p>
        </div>
      )}
      <SegmentMeter text={draft.text} id={meterId} />
    </div>
  );
}
