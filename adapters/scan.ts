// The scan every adapter shares: tel: links, then the CRM's phone fields, then numbers in visible text, in
// the document and in every open shadow root under it.
import { deepQuery, deepText } from './fields';
import { parsePhone, phonesInText } from './phones';
import type { FindOptions, PhoneHit } from './types';

/** The tag name of our badge hosts: never scanned, never counted as page text. */
export const BADGE_TAG = 'texttrail-badge';

// Text inside these is not visible prose, or belongs to a control where a badge would get in the way.
const SKIP_TAGS = new Set([
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'BUTTON',
  'SVG', 'CANVAS', 'IFRAME', 'OBJECT', 'HEAD', 'TITLE', BADGE_TAG.toUpperCase(), 'TEXTTRAIL-ROOT', 'TEXTTRAIL-OVERLAY',
]);

export const TEL_LINKS = 'a[href^="tel:" i]';

export interface ScanConfig {
  /** The CRM's phone fields, most specific first. */
  fields: readonly string[];
  /** Clipping wrappers (see CrmAdapterConfig.badgeAfter), one selector list; '' for none. */
  badgeAfter: string;
}

function isSkipped(el: Element): boolean {
  if (SKIP_TAGS.has(el.tagName.toUpperCase())) return true;
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true;
  const editable = el.getAttribute('contenteditable');
  return (editable !== null && editable !== 'false') || el.getAttribute('role') === 'textbox';
}

/** True when `node` or an ancestor (up to `root`) must not be scanned as text. */
function insideSkipped(node: Node, root: Node): boolean {
  for (let n: Node | null = node; n && n !== root; n = n.parentNode) {
    if (n.nodeType === 1 && isSkipped(n as Element)) return true;
  }
  return false;
}

function within(node: Node, claimed: Set<Node>): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) if (claimed.has(n)) return true;
  return false;
}

/** The outermost clipping wrapper around `node` in its own tree, or null. */
export function outermostWrapper(node: Node, badgeAfter: string): Element | null {
  if (!badgeAfter) return null;
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  let outer: Element | null = null;
  for (let w = el?.closest(badgeAfter) ?? null; w; w = w.parentElement?.closest(badgeAfter) ?? null) outer = w;
  return outer;
}

// A badge host beside one of these would break its parent's content model (a <span> between table cells
// or list items): the badge goes inside, after its last child, instead.
const CELLS = new Set(['td', 'th', 'li', 'dt', 'dd', 'tr', 'caption']);

function isBadgeHost(n: Node): boolean {
  return n.nodeType === 1 && (n as Element).localName === BADGE_TAG;
}

/** Where a badge for a phone at `node` goes: right after `node`, or at the end of a cell's own content. */
export function badgeAnchor(node: Node): Node {
  if (node.nodeType !== 1 || !CELLS.has((node as Element).localName)) return node;
  let last = node.lastChild;
  while (last && isBadgeHost(last)) last = last.previousSibling;
  return last ? badgeAnchor(last) : node;
}

/** Every open shadow root inside `el` (its own included). */
function shadowRootsIn(el: Element, out: ShadowRoot[] = []): ShadowRoot[] {
  const visit = (root: ParentNode) => {
    for (const d of root.querySelectorAll('*')) if (d.shadowRoot) { out.push(d.shadowRoot); visit(d.shadowRoot); }
  };
  if (el.shadowRoot) { out.push(el.shadowRoot); visit(el.shadowRoot); }
  visit(el);
  return out;
}

function collect(root: ParentNode, cfg: ScanConfig, options: FindOptions, hits: PhoneHit[]): void {
  const claimed = new Set<Node>();
  const rootNode = root as unknown as Node;
  const doc = rootNode.ownerDocument ?? (rootNode as Document);
  // A rescan of a changed subtree may start inside something we never scan (a contenteditable editor).
  if (rootNode.nodeType === 1 && insideSkipped(rootNode, doc)) return;
  const anchorFor = (node: Node) => badgeAnchor(outermostWrapper(node, cfg.badgeAfter) ?? node);

  // A rescan may start at the field or link itself (its text changed): it counts as well as those below it.
  const self = rootNode.nodeType === 1 ? (rootNode as Element) : null;
  const selfAnd = (selector: string): Element[] => [...(self?.matches(selector) ? [self] : []), ...root.querySelectorAll(selector)];

  for (const a of selfAnd(TEL_LINKS)) {
    if (insideSkipped(a, rootNode)) continue;
    const phone = parsePhone(a.getAttribute('href') ?? '', options.defaultCountry)
      ?? parsePhone(a.textContent ?? '', options.defaultCountry);
    claimed.add(a);
    if (phone) hits.push({ phone, anchor: anchorFor(a), source: a, kind: 'tel', display: (a.textContent ?? '').trim() });
  }

  // Selector by selector, most specific first: a field inside another matching field wins over it.
  const holdsClaimed = new Set<Node>();
  for (const selector of cfg.fields) {
    for (const el of selfAnd(selector)) {
      // Inside a tel: link or a field already taken, or wrapping one: that one has the badge.
      if (within(el, claimed) || holdsClaimed.has(el) || el.querySelector(TEL_LINKS)) continue;
      // A tel input or a phone button (Pipedrive's opens its caller menu) is a control, but it is the CRM's
      // phone field: a badge beside it is expected. What holds the field must still be scannable.
      const isInput = el.tagName === 'INPUT';
      if ((el.parentNode && insideSkipped(el.parentNode, rootNode)) || (!isInput && el.tagName !== 'BUTTON' && isSkipped(el))) continue;
      // A field component that renders its number in its shadow root (Lightning's lightning-formatted-phone
      // renders an <a href="tel:">): the link says the number exactly, the badge goes beside the component.
      const link = el.shadowRoot ? deepQuery(el.shadowRoot, TEL_LINKS) : null;
      const display = (isInput ? (el as HTMLInputElement).value || el.getAttribute('value') || '' : deepText(link ?? el)).replace(/\s+/g, ' ').trim();
      const phone = (link && parsePhone(link.getAttribute('href') ?? '', options.defaultCountry)) || parsePhone(display, options.defaultCountry);
      if (!phone) continue;
      claimed.add(el);
      for (let p = el.parentNode; p && p !== rootNode; p = p.parentNode) holdsClaimed.add(p);
      if (options.onShadowRoot) shadowRootsIn(el).forEach(r => options.onShadowRoot!(r));
      hits.push({ phone, anchor: anchorFor(el), source: el, kind: 'field', display });
    }
  }

  if (self && claimed.has(self)) return;
  const shadowHosts: Element[] = [];
  if (self?.shadowRoot) shadowHosts.push(self);
  const walker = doc.createTreeWalker(rootNode, 0x1 | 0x4 /* SHOW_ELEMENT | SHOW_TEXT */, {
    acceptNode(node) {
      if (node.nodeType === 1) {
        const el = node as Element;
        if (isSkipped(el) || claimed.has(el)) return 2; // FILTER_REJECT: skip the subtree
        if (el.shadowRoot) shadowHosts.push(el);
        return 3; // FILTER_SKIP: look inside
      }
      return 1; // FILTER_ACCEPT
    },
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue ?? '';
    if (text.length < 7) continue;
    const found = phonesInText(text, options.defaultCountry);
    if (!found.length) continue;
    const anchor = anchorFor(n);
    for (const f of found) hits.push({ phone: f.phone, anchor, source: n, kind: 'text', display: text.slice(f.start, f.end) });
  }

  for (const host of shadowHosts) {
    options.onShadowRoot?.(host.shadowRoot!);
    collect(host.shadowRoot!, cfg, options, hits);
  }
}

/** Every phone under `root` (document, element or shadow root), in document order per kind. */
export function findPhonesIn(root: ParentNode, cfg: ScanConfig, options: FindOptions): PhoneHit[] {
  const hits: PhoneHit[] = [];
  collect(root, cfg, options, hits);
  return hits;
}
