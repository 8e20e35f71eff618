// The scan every adapter shares: tel: links, then the CRM's phone fields, then numbers in visible text, in
// the document and in every open shadow root under it.
import { parsePhone, phonesInText } from './phones';
import type { FindOptions, PhoneHit } from './types';

/** The tag name of our badge hosts: never scanned, never counted as page text. */
export const BADGE_TAG = 'texttrail-badge';

// Text inside these is not visible prose, or belongs to a control where a badge would get in the way.
const SKIP_TAGS = new Set([
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'BUTTON',
  'SVG', 'CANVAS', 'IFRAME', 'OBJECT', 'HEAD', 'TITLE', BADGE_TAG.toUpperCase(), 'TEXTTRAIL-ROOT', 'TEXTTRAIL-OVERLAY',
]);

const TEL_LINKS = 'a[href^="tel:" i]';

function isSkipped(el: Element): boolean {
  if (SKIP_TAGS.has(el.tagName.toUpperCase())) return true;
  if (el.hasAttribute('hidden')) return true;
  const editable = el.getAttribute('contenteditable');
  return editable !== null && editable !== 'false';
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

function fieldValue(el: Element): string {
  if (el.tagName === 'INPUT') return (el as HTMLInputElement).value || el.getAttribute('value') || '';
  return el.textContent ?? '';
}

function collect(root: ParentNode, fieldSelectors: string[], options: FindOptions, hits: PhoneHit[]): void {
  const claimed = new Set<Node>();
  const rootNode = root as unknown as Node;
  const doc = rootNode.ownerDocument ?? (rootNode as Document);
  // A rescan of a changed subtree may start inside something we never scan (a contenteditable editor).
  if (rootNode.nodeType === 1 && insideSkipped(rootNode, doc)) return;

  // A rescan may start at the field or link itself (its text changed): it counts as well as those below it.
  const self = rootNode.nodeType === 1 ? (rootNode as Element) : null;
  const selfAnd = (selector: string): Element[] => [...(self?.matches(selector) ? [self] : []), ...root.querySelectorAll(selector)];

  for (const a of selfAnd(TEL_LINKS)) {
    if (insideSkipped(a, rootNode)) continue;
    const phone = parsePhone(a.getAttribute('href') ?? '', options.defaultCountry)
      ?? parsePhone(a.textContent ?? '', options.defaultCountry);
    claimed.add(a);
    if (phone) hits.push({ phone, anchor: a, kind: 'tel', display: (a.textContent ?? '').trim() });
  }

  if (fieldSelectors.length) {
    for (const el of selfAnd(fieldSelectors.join(','))) {
      // Inside a tel: link, or wrapping one (Lightning's formatted phone renders an <a href="tel:">): the
      // link already has the badge.
      if (within(el, claimed) || el.querySelector(TEL_LINKS)) continue;
      // A tel input is a control, but it is the CRM's phone field: a badge beside it is expected.
      if (el.tagName !== 'INPUT' && insideSkipped(el, rootNode)) continue;
      const display = fieldValue(el).trim();
      const phone = parsePhone(display, options.defaultCountry);
      if (!phone) continue;
      claimed.add(el);
      hits.push({ phone, anchor: el, kind: 'field', display });
    }
  }

  if (self && claimed.has(self)) return;
  const shadowHosts: Element[] = [];
  if (rootNode.nodeType === 1 && (rootNode as Element).shadowRoot) shadowHosts.push(rootNode as Element);
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
    for (const found of phonesInText(text, options.defaultCountry)) {
      hits.push({ phone: found.phone, anchor: n, kind: 'text', display: text.slice(found.start, found.end) });
    }
  }

  for (const host of shadowHosts) {
    options.onShadowRoot?.(host.shadowRoot!);
    collect(host.shadowRoot!, fieldSelectors, options, hits);
  }
}

/** Every phone under `root` (document, element or shadow root), in document order per kind. */
export function findPhonesIn(root: ParentNode, fieldSelectors: string[], options: FindOptions): PhoneHit[] {
  const hits: PhoneHit[] = [];
  collect(root, fieldSelectors, options, hits);
  return hits;
}
