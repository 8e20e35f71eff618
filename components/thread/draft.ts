// A text being written: free text or an approved template, with merge fields filled from the CRM record
// and by hand. Pure, so what the preview shows is exactly what is checked and sent.
import { renderTemplate, templateFields } from '../../domain/templates';

export interface TemplateOption {
  id: string;
  name: string;
  body: string;
}

export interface DraftInput {
  /** Free text (it may hold {{fields}} too), or the chosen template's body. */
  source: string;
  templateId: string | null;
  /** Values typed by the agent; they win over the record's. */
  typed: Record<string, string>;
  /** From the CRM record on screen, or the contact's name. */
  record: Record<string, string | undefined>;
}

export interface Draft {
  templateId: string | null;
  /** The merge fields the source uses, in order. */
  fields: string[];
  /** Each field's value (typed, else from the record), trimmed; missing ones absent. */
  vars: Record<string, string>;
  /** Fields with no value: the text cannot go until they are filled. Never sent as {{field}}. */
  missing: string[];
  /** The text as it will be sent (missing fields left empty: shown, never sent). */
  text: string;
  ready: boolean;
}

export function buildDraft(input: DraftInput): Draft {
  const fields = templateFields(input.source);
  const vars: Record<string, string> = {};
  for (const f of fields) {
    const v = (input.typed[f] ?? input.record[f] ?? '').trim();
    if (v) vars[f] = v;
  }
  const { text, missing } = renderTemplate(input.source, vars);
  return { templateId: input.templateId, fields, vars, missing, text, ready: text.trim().length > 0 && missing.length === 0 };
}

/** "firstName" → "First name". */
export function fieldLabel(name: string): string {
  const words = name.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The parts of the preview: literal text and fields (missing ones flagged). */
export function previewParts(source: string, vars: Record<string, string>): { text: string; field?: string; missing?: boolean }[] {
  const out: { text: string; field?: string; missing?: boolean }[] = [];
  const re = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
  let last = 0;
  for (const m of source.matchAll(re)) {
    if (m.index! > last) out.push({ text: source.slice(last, m.index) });
    const value = vars[m[1]];
    out.push(value ? { text: value, field: m[1] } : { text: fieldLabel(m[1]), field: m[1], missing: true });
    last = m.index! + m[0].length;
  }
  if (last < source.length) out.push({ text: source.slice(last) });
  return out;
}
