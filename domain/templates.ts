// Templates: `{{field}}` merge fields. A field with no value is reported, never sent as "{{field}}".
const FIELD = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export function templateFields(body: string): string[] {
  return [...new Set([...body.matchAll(FIELD)].map(m => m[1]))];
}

export function renderTemplate(body: string, vars: Record<string, unknown>): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = body.replace(FIELD, (_, name: string) => {
    const v = vars[name];
    if (v === undefined || v === null || String(v).trim() === '') { missing.add(name); return ''; }
    return String(v);
  });
  return { text, missing: [...missing] };
}
