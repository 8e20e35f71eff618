// Merge fields from the CRM record on screen ({{firstName}}, {{company}}, …) for the phone the agent
// clicked. Pure reads over the DOM, like phone finding: a record page (a name heading and labelled
// fields) or a list row (cells under named column headers).

export interface ContactFields {
  firstName?: string;
  lastName?: string;
  company?: string;
  owner?: string;
}

export const FIELD_NAMES = ['firstName', 'lastName', 'company', 'owner'] as const;

/** Visible text of an element without its decorations (avatar initials, icons). */
export function textOf(el: Element | null | undefined, skip = '.avatar, [aria-hidden="true"]'): string {
  if (!el) return '';
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll(skip).forEach(n => n.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function splitFullName(name: string): Pick<ContactFields, 'firstName' | 'lastName'> {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return {};
  return parts.length === 1 ? { firstName: parts[0] } : { firstName: parts[0], lastName: parts.slice(1).join(' ') };
}

/** Drops empty values, so a missing field stays missing (and is flagged) instead of becoming "". */
export function compact(fields: Record<string, string | undefined>): ContactFields {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v && v.trim()) out[k] = v.trim();
  return out as ContactFields;
}

/** The element holding `node`, crossing out of shadow roots (a phone inside a field component). */
export function elementOf(node: Node): Element | null {
  let n: Node | null = node;
  while (n && n.nodeType !== 1) n = n.parentNode ?? (n as ShadowRoot).host ?? null;
  return n as Element | null;
}

/** closest() that continues past shadow roots into their hosts. */
export function closestAcross(node: Node, selector: string): Element | null {
  for (let el = elementOf(node); el; ) {
    const found = el.closest(selector);
    if (found) return found;
    el = (el.getRootNode() as ShadowRoot).host ?? null;
  }
  return null;
}

/** A list row: the cells under the columns whose header reads like name, company and owner. */
export function fieldsFromRow(phoneElement: Node, columns: { name: RegExp; company: RegExp; owner: RegExp } = {
  name: /^(contact )?name$/i, company: /^(company|account|organi[sz]ation)( name)?$/i, owner: /^(contact |record )?owner$/i,
}): ContactFields | null {
  const row = closestAcross(phoneElement, 'tr');
  const table = row?.closest('table');
  const headers = table?.querySelectorAll('thead th');
  if (!row || !headers?.length) return null;
  const cells = [...row.children];
  const cellFor = (re: RegExp) => {
    const i = [...headers].findIndex(h => re.test(textOf(h)));
    return i >= 0 ? cells[i] : undefined;
  };
  return compact({
    ...splitFullName(textOf(cellFor(columns.name))),
    company: textOf(cellFor(columns.company)),
    owner: textOf(cellFor(columns.owner)),
  });
}
