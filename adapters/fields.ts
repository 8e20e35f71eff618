// Merge fields from the CRM record on screen ({{firstName}}, {{company}}, …) for the phone the agent
// clicked. Pure reads over the DOM, like phone finding: a record page (a name heading and labelled
// fields) or a list row (cells under named column headers). Both read through open shadow roots.
import { splitFullName } from '../domain/contactName';
import { BADGE_TAG, pageShadowRoot } from './badgeTag';
import type { ListFieldsConfig, RecordFieldsConfig, Selectors } from './types';

export interface ContactFields {
  firstName?: string;
  lastName?: string;
  company?: string;
  owner?: string;
}

export const FIELD_NAMES = ['firstName', 'lastName', 'company', 'owner'] as const;

/** Text of a node as the page shows it: open shadow roots included (a web component's text lives there),
 *  scripts, styles, our own badges and `skip` (decorations: avatar initials, icons) left out. */
export function deepText(node: Node | null | undefined, skip?: string): string {
  if (!node) return '';
  if (node.nodeType === 3) return node.nodeValue ?? '';
  if (node.nodeType !== 1 && node.nodeType !== 11) return '';
  let children: NodeListOf<ChildNode> = node.childNodes;
  if (node.nodeType === 1) {
    const el = node as Element;
    if (SILENT.has(el.localName) || el.getAttribute('aria-hidden') === 'true' || (skip && el.matches(skip))) return '';
    if (el.localName === 'slot') {
      // Slotted children show through the <slot> (its own children are only the fallback).
      const assigned = (el as HTMLSlotElement).assignedNodes?.() ?? [];
      if (assigned.length) return assigned.map(a => deepText(a, skip)).join('');
    }
    if (el.shadowRoot) children = el.shadowRoot.childNodes;
  }
  let out = '';
  children.forEach(c => { out += deepText(c, skip); });
  return out;
}

const SILENT = new Set(['script', 'style', 'template', 'noscript', BADGE_TAG]);

/** Visible text of an element without its decorations (avatar initials, icons), spaces squashed. */
export function textOf(el: Element | null | undefined, skip = '.avatar'): string {
  return el ? squash(deepText(el, skip)) : '';
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What CRMs show in an empty cell. */
const EMPTY = /^\s*(?:-+|—|–)?\s*$/;

/** Drops empty values, so a missing field stays missing (and is flagged) instead of becoming "". */
export function compact(fields: Record<string, string | undefined>): ContactFields {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v && !EMPTY.test(v)) out[k] = v.trim();
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

/** querySelector() that also looks inside every open shadow root under `root`. */
export function deepQuery(root: ParentNode, selector: string): Element | null {
  const direct = root.querySelector(selector);
  if (direct) return direct;
  for (const el of root.querySelectorAll('*')) {
    const shadow = pageShadowRoot(el);
    if (!shadow) continue;
    const inside = deepQuery(shadow, selector);
    if (inside) return inside;
  }
  return null;
}

/** querySelectorAll() that also looks inside every open shadow root under `root`, in document order per root. */
export function deepQueryAll(root: ParentNode, selector: string, out: Element[] = []): Element[] {
  out.push(...root.querySelectorAll(selector));
  for (const el of root.querySelectorAll('*')) {
    const shadow = pageShadowRoot(el);
    if (shadow) deepQueryAll(shadow, selector, out);
  }
  return out;
}

/** The first of `selectors` that matches under `root` (shadow roots included). */
export function firstMatch(root: ParentNode, selectors: Selectors | undefined): Element | null {
  for (const s of selectors ?? []) {
    const found = deepQuery(root, s);
    if (found) return found;
  }
  return null;
}

/** A record page: the name heading and the labelled fields of the record the phone sits in. */
export function fieldsFromRecord(root: ParentNode, phoneElement: Node, config: RecordFieldsConfig): ContactFields | null {
  let scope: ParentNode | null = null;
  for (const s of config.scope ?? []) scope ??= closestAcross(phoneElement, s);
  scope ??= config.scope ? firstMatch(root, config.scope) : root;
  if (!scope) return null;
  const read = (selectors: Selectors | undefined) => textOf(firstMatch(scope!, selectors));
  const name = splitFullName(read(config.name));
  const fields = compact({
    firstName: read(config.firstName) || name.firstName,
    lastName: read(config.lastName) || name.lastName,
    company: read(config.company),
    owner: read(config.owner),
  });
  return Object.keys(fields).length ? fields : null;
}

/** The header text of each column of a list, in order. */
function columnNames(table: Element, config: Pick<ListFieldsConfig, 'header'>): string[] {
  for (const s of config.header) {
    const headers = deepQueryAll(table, s);
    if (headers.length) return headers.map(h => textOf(h));
  }
  return [];
}

/** A list row: the cells under the columns whose header (or own label) reads like name, company and owner. */
export function fieldsFromList(phoneElement: Node, config: ListFieldsConfig): ContactFields | null {
  let row: Element | null = null;
  for (const s of config.row) row ??= closestAcross(phoneElement, s);
  if (!row) return null;
  let table: Element | null = null;
  for (const s of config.table) table ??= closestAcross(row, s);
  const names = table ? columnNames(table, config) : [];
  const cells = config.cell ? [...row.querySelectorAll(config.cell)] : [...row.children];
  const label = (cell: Element, i: number) => (config.cellLabel && cell.getAttribute(config.cellLabel)) || names[i] || '';
  const cellFor = (re: RegExp | undefined) => {
    if (!re) return undefined;
    const i = cells.findIndex((c, k) => re.test(label(c, k).trim()));
    return i >= 0 ? cells[i] : undefined;
  };
  const { columns } = config;
  const name = splitFullName(textOf(cellFor(columns.name)));
  const fields = compact({
    firstName: textOf(cellFor(columns.firstName)) || name.firstName,
    lastName: textOf(cellFor(columns.lastName)) || name.lastName,
    company: textOf(cellFor(columns.company)),
    owner: textOf(cellFor(columns.owner)),
  });
  return Object.keys(fields).length ? fields : null;
}

/** Any HTML table: the generic adapter's and every CRM's last resort. */
export const PLAIN_TABLE: ListFieldsConfig = {
  row: ['tr'],
  table: ['table'],
  header: ['thead th', 'tr:first-child > th'],
  columns: {
    name: /^(contact |full |person |lead )?name$/i,
    firstName: /^first name$/i,
    lastName: /^last name$/i,
    company: /^(company|account|organi[sz]ation)( name)?$/i,
    owner: /^(contact |record |lead |account )?owner( name| alias)?$/i,
  },
};

/** Kept for callers of the first version: the cells of the phone's table row under named headers. */
export function fieldsFromRow(phoneElement: Node): ContactFields | null {
  return fieldsFromList(phoneElement, PLAIN_TABLE);
}
