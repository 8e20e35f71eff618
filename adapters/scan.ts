// The scan every adapter shares: tel: links, then the CRM's phone fields, then numbers in visible text, in
// the document and in every open shadow root under it.
import { BADGE_TAG, isBadgeHost, pageShadowRoot } from './badgeTag';
import { deepQuery, deepText } from './fields';
import { maybePhone, parsePhone, phonesInText } from './phones';
import type { FindOptions, PhoneHit } from './types';

/** The tag name of our badge hosts: never scanned, never counted as page text. */
export { BADGE_TAG };

// Text inside these is not visible prose, or belongs to a control where a badge would get in the way;
// or it is hidden, or an editor (a badge inside would become part of what the agent types), or ours. One
// selector, so a check is one native closest()/matches() call instead of a walk in script.
const SKIP_TAG_NAMES = [
  'script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', 'button',
  'svg', 'canvas', 'iframe', 'object', 'head', 'title', BADGE_TAG, 'texttrail-root', 'texttrail-overlay',
];
const SKIP_ATTRIBUTES = [
  '[hidden]', '[aria-hidden="true"]', '[contenteditable]:not([contenteditable="false"])', '[role="textbox"]',
  // Views a single-page app keeps in the page but hides (Pipedrive keeps earlier views as display:none).
  '[style*="display:none"]', '[style*="display: none"]',
].join(',');
export const SKIP = [...SKIP_TAG_NAMES, SKIP_ATTRIBUTES].join(',');
// The same, split for the climb from a phone (standing): a tag is a look-up by name in script,
// the attributes one selector, so each element costs one native call instead of a 24-selector match.
const SKIP_TAGS = new Set(SKIP_TAG_NAMES);
const SKIP_TEXT_PARENTS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA', 'OPTION', 'TITLE']);

/** Texts up to this long are searched before their parent is looked at (collect). */
const SHORT_TEXT = 64;

export const TEL_LINKS = 'a[href^="tel:" i]';

export interface ScanConfig {
  /** The CRM's phone fields, most specific first. */
  fields: readonly string[];
  /** Clipping wrappers (see CrmAdapterConfig.badgeAfter), one selector list; '' for none. */
  badgeAfter: string;
  /** False where the site renders no open shadow roots (CrmAdapterConfig.openShadowRoots): texts only. */
  shadowRoots?: boolean;
}

/** True when `el` or an ancestor in its tree must not be scanned. */
function insideSkipped(el: Element | null): boolean {
  return !!el?.closest(SKIP);
}

// What lies above the piece being scanned, asked once per synchronous run: the rows of a list share every
// ancestor above them, and the page cannot change while this script runs. Forgotten at the next microtask.
// (Measured on 5,000 rows: walking up only to the row and asking about the rest once is half the cost of
// one closest() per phone, which climbs to the document root every time.)
const skippedAboveMemo = new Map<Element, boolean>();
const wrapperAboveMemo = new Map<string, Map<Element, Element | null>>();
let memoClearQueued = false;

function forgetAtNextMicrotask(): void {
  if (memoClearQueued) return;
  memoClearQueued = true;
  queueMicrotask(() => { skippedAboveMemo.clear(); wrapperAboveMemo.clear(); memoClearQueued = false; });
}

function skippedAbove(el: Element | null): boolean {
  if (!el) return false;
  let known = skippedAboveMemo.get(el);
  if (known === undefined) { forgetAtNextMicrotask(); skippedAboveMemo.set(el, (known = insideSkipped(el))); }
  return known;
}

/** insideSkipped(el) for an `el` inside the piece `root`: elements up to the piece one by one, the rest remembered. */
function skippedWithin(el: Element | null, root: Node): boolean {
  return !!el && standing(el, root, '') === SKIPPED;
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

/** outermostWrapper(el), remembered for this synchronous run (see skippedAbove). */
function wrapperAbove(el: Element, badgeAfter: string): Element | null {
  let memo = wrapperAboveMemo.get(badgeAfter);
  if (!memo) wrapperAboveMemo.set(badgeAfter, (memo = new Map()));
  let above = memo.get(el);
  if (above === undefined) { forgetAtNextMicrotask(); memo.set(el, (above = outermostWrapper(el, badgeAfter))); }
  return above;
}

const SKIPPED = Symbol('skipped');
/** The attribute selectors and a site's clipping wrappers in one selector, built once per site. */
const eitherSelectors = new Map<string, string>();

/**
 * For what stands at `el` (an element, or a text's parent) inside the piece `root`: SKIPPED, or the
 * outermost clipping wrapper around it (null for none; none looked for when `badgeAfter` is ''). One climb
 * to the piece with one native call per element, tags looked up by name (a list's 5,000 phones cost ~12
 * ms less than a skip climb and a wrapper climb, measured on the bench page); above the piece, remembered.
 */
function standing(el: Element, root: Node, badgeAfter: string): Element | null | typeof SKIPPED {
  let either = eitherSelectors.get(badgeAfter);
  if (either === undefined) eitherSelectors.set(badgeAfter, (either = badgeAfter ? `${SKIP_ATTRIBUTES},${badgeAfter}` : SKIP_ATTRIBUTES));
  let outer: Element | null = null;
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (SKIP_TAGS.has(e.localName)) return SKIPPED;
    if (e.matches(either)) {
      if (!badgeAfter || e.matches(SKIP_ATTRIBUTES)) return SKIPPED;
      outer = e;
    }
    if (e === root) {
      if (skippedAbove(e.parentElement)) return SKIPPED;
      return (badgeAfter && e.parentElement ? wrapperAbove(e.parentElement, badgeAfter) : null) ?? outer;
    }
  }
  return outer;
}

// A badge host beside one of these would break its parent's content model (a <span> between table cells
// or list items): the badge goes inside, after its last child, instead.
const CELLS = new Set(['td', 'th', 'li', 'dt', 'dd', 'tr', 'caption']);

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
    for (const d of root.querySelectorAll('*')) {
      const shadow = pageShadowRoot(d);
      if (shadow) { out.push(shadow); visit(shadow); }
    }
  };
  if (el.shadowRoot) { out.push(el.shadowRoot); visit(el.shadowRoot); }
  visit(el);
  return out;
}

/** tel: links and a configuration's fields: each selector, and all of them as one, built once per configuration. */
const fieldQueries = new WeakMap<ScanConfig, { each: readonly string[]; all: string }>();
function fieldQueriesOf(cfg: ScanConfig): { each: readonly string[]; all: string } {
  let queries = fieldQueries.get(cfg);
  if (queries === undefined) {
    const each = [TEL_LINKS, ...cfg.fields];
    fieldQueries.set(cfg, (queries = { each, all: each.join(',') }));
  }
  return queries;
}

/**
 * Every tel: link and field under `root`, each once, each selector's in document order: one query per
 * selector. Chrome answers a single selector through its fast paths but matches a list of them element by
 * element: on the 5,000-row bench list the five queries cost 3.7 ms together, the one list 7.5–14 ms
 * (measured in the page). collect() goes through them selector by selector, so no order across them is needed.
 */
function queryEach(root: ParentNode, cfg: ScanConfig): Element[] {
  let out: Element[] = [];
  let several = false;
  for (const selector of fieldQueriesOf(cfg).each) {
    const found = root.querySelectorAll(selector);
    if (!found.length) continue;
    several = out.length > 0;
    out = several ? [...out, ...found] : [...found];
  }
  return several ? [...new Set(out)] : out; // an element two selectors match counts once
}

function collect(root: ParentNode, cfg: ScanConfig, options: FindOptions, hits: PhoneHit[]): void {
  const claimed = new Set<Node>();
  const rootNode = root as unknown as Node;
  const doc = rootNode.ownerDocument ?? (rootNode as Document);

  // One text node (a changed text, or text between the big children of a list): the same checks, for it alone.
  if (rootNode.nodeType === 3) {
    const parent = rootNode.parentElement;
    if (!parent || parent.closest(TEL_LINKS)) return;
    const wrapper = standing(parent, parent, cfg.badgeAfter);
    if (wrapper === SKIPPED) return;
    const text = rootNode.nodeValue ?? '';
    for (const f of phonesInText(text, options.defaultCountry)) {
      hits.push({ phone: f.phone, anchor: badgeAnchor(wrapper ?? rootNode), source: rootNode, kind: 'text', display: text.slice(f.start, f.end) });
    }
    return;
  }
  // A rescan of a changed subtree may start inside something we never scan (a contenteditable editor).
  const self = rootNode.nodeType === 1 ? (rootNode as Element) : null;
  if (self && skippedAbove(self.parentElement)) return;

  // tel: links and the CRM's fields, one query per selector (a rescan may start at one of them: it counts too).
  const selector = fieldQueriesOf(cfg).all;
  const found = options.noFields ? [] : queryEach(root, cfg);
  const after = options.after && rootNode.contains(options.after) ? options.after : undefined;
  const matched = !options.noFields && self?.matches(selector) && !after ? [self, ...found] : found.length ? found.filter(el => !after || follows(el, after)) : [];
  if (matched.length) {
    const links = matched.filter(el => el.matches(TEL_LINKS));
    for (const a of links) {
      const wrapper = standing(a, rootNode, cfg.badgeAfter);
      if (wrapper === SKIPPED) continue;
      const phone = parsePhone(a.getAttribute('href') ?? '', options.defaultCountry)
        ?? parsePhone(a.textContent ?? '', options.defaultCountry);
      claimed.add(a);
      if (phone) hits.push({ phone, anchor: badgeAnchor(wrapper ?? a), source: a, kind: 'tel', display: (a.textContent ?? '').trim() });
    }
    // Field by field, most specific selector first: a field inside another matching field wins over it.
    const holdsClaimed = new Set<Node>();
    for (const fieldSelector of cfg.fields) {
      for (const el of matched) {
        if (claimed.has(el) || !el.matches(fieldSelector)) continue;
        // Inside a tel: link or a field already taken, or wrapping one: that one has the badge.
        if (within(el, claimed) || holdsClaimed.has(el) || el.querySelector(TEL_LINKS)) continue;
        // A tel input or a phone button (Pipedrive's opens its caller menu) is a control, but it is the
        // CRM's phone field: a badge beside it is expected. What holds the field must still be scannable.
        const isInput = el.tagName === 'INPUT';
        const holder = el.parentElement;
        const above = holder ? standing(holder, el === self ? holder : rootNode, cfg.badgeAfter) : null;
        if (above === SKIPPED || (!isInput && el.tagName !== 'BUTTON' && el.matches(SKIP))) continue;
        // A field component that renders its number in its shadow root (Lightning's lightning-formatted-phone
        // renders an <a href="tel:">): the link says the number exactly, the badge goes beside the component.
        const shadow = pageShadowRoot(el);
        const link = shadow ? deepQuery(shadow, TEL_LINKS) : null;
        const display = (isInput ? (el as HTMLInputElement).value || el.getAttribute('value') || '' : deepText(link ?? el)).replace(/\s+/g, ' ').trim();
        const phone = (link && parsePhone(link.getAttribute('href') ?? '', options.defaultCountry)) || parsePhone(display, options.defaultCountry);
        if (!phone) continue;
        claimed.add(el);
        for (let p = el.parentNode; p && p !== rootNode; p = p.parentNode) holdsClaimed.add(p);
        if (options.onShadowRoot) shadowRootsIn(el).forEach(r => options.onShadowRoot!(r));
        // The outermost clipping wrapper: one around what holds the field, else the field itself if it is one.
        const wrapper = above ?? (cfg.badgeAfter && el.matches(cfg.badgeAfter) ? el : null);
        hits.push({ phone, anchor: badgeAnchor(wrapper ?? el), source: el, kind: 'field', display });
      }
    }
    if (self && claimed.has(self)) return;
  }

  // One walk over elements and texts: texts for numbers, elements for open shadow roots (one walk costs
  // less than a text walk and a second pass over every element). Texts only where the site has no shadow
  // roots: every element a script touches costs a wrapper object in this isolated world, and a list row
  // has two or three elements per text. No script filter: a callback per node costs more than the whole
  // walk. The few texts that hold a phone are then checked for skipped or claimed ancestors.
  const textsOnly = cfg.shadowRoots === false;
  const walker = doc.createTreeWalker(rootNode, textsOnly ? 0x4 : 0x1 | 0x4 /* SHOW_ELEMENT | SHOW_TEXT */);
  const shadowHosts: Element[] = self?.shadowRoot && !after ? [self] : [];
  if (after) walker.currentNode = lastDescendant(after); // the walk goes on right after its subtree
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!textsOnly && n.nodeType === 1) {
      if ((n as Element).shadowRoot && (n as Element).localName !== BADGE_TAG) shadowHosts.push(n as Element);
      continue;
    }
    const text = n.nodeValue ?? '';
    // Most texts of a list row (names, emails, companies) have no seven digits: they cost no more than this.
    if (text.length < 7 || !maybePhone(text)) continue;
    // A short text is searched before its parent is looked at: phonesInText answers a list's repeated texts
    // (its dates) from memory, and most texts with digits hold no phone, so their parents are never touched
    // (each node this isolated world touches costs a wrapper). A long one only outside scripts and styles,
    // whose text can be long and full of digits. (standing() below skips a script's short text.)
    let parent: Element | null = null;
    if (text.length > SHORT_TEXT) {
      parent = n.parentElement;
      if (!parent || SKIP_TEXT_PARENTS.has(parent.tagName)) continue;
    }
    const found = phonesInText(text, options.defaultCountry);
    if (!found.length) continue;
    parent ??= n.parentElement;
    if (!parent || (claimed.size && within(n, claimed))) continue;
    const wrapper = standing(parent, rootNode, cfg.badgeAfter);
    if (wrapper === SKIPPED) continue;
    const anchor = badgeAnchor(wrapper ?? n);
    for (const f of found) hits.push({ phone: f.phone, anchor, source: n, kind: 'text', display: text.slice(f.start, f.end) });
  }

  // Open shadow roots: their hosts, where not skipped or claimed (all of each: `after` is for this tree;
  // `noFields` speaks of the light DOM alone: a shadow root is queried.)
  const inner = after || options.noFields ? { ...options, after: undefined, noFields: undefined } : options;
  for (const host of shadowHosts) {
    if ((host === self ? skippedAbove(host.parentElement) || host.matches(SKIP) : skippedWithin(host, rootNode)) || within(host, claimed)) continue;
    options.onShadowRoot?.(host.shadowRoot!);
    collect(host.shadowRoot!, cfg, inner, hits);
  }
}

/** Whether a tel: link or a field of `cfg` is under `root`: a query per selector, each stopping at its first match. */
export function anyFieldIn(root: ParentNode, cfg: ScanConfig): boolean {
  for (const selector of fieldQueriesOf(cfg).each) if (root.querySelector(selector)) return true;
  return false;
}

/** True when `el` comes after `node` in document order and is not inside it. */
export function follows(el: Node, node: Node): boolean {
  const position = node.compareDocumentPosition(el);
  return (position & 4 /* FOLLOWING */) !== 0 && (position & 16 /* CONTAINED_BY */) === 0;
}

function lastDescendant(node: Node): Node {
  let n = node;
  while (n.lastChild) n = n.lastChild;
  return n;
}

/** Every phone under `root` (document, element or shadow root), in document order per kind. */
export function findPhonesIn(root: ParentNode, cfg: ScanConfig, options: FindOptions): PhoneHit[] {
  const hits: PhoneHit[] = [];
  collect(root, cfg, options, hits);
  return hits;
}

/** A text known to hold a list's phone, and where its badge goes (learned from the list's other rows). */
export interface KnownPlace {
  text: Text;
  anchor: Node;
}

/**
 * The phones of texts whose place is already known, without the checks a scan makes around them (skipped
 * ancestors, clipping wrappers, tel: links and fields): for a long list's rows at DOMContentLoaded, whose
 * shape the rows before them showed (RowShape in the content script). Their rows are scanned whole later.
 */
export function phonesAt(places: readonly KnownPlace[], options: FindOptions): PhoneHit[] {
  const hits: PhoneHit[] = [];
  for (const { text: source, anchor } of places) {
    const text = source.nodeValue ?? '';
    if (text.length < 7 || !maybePhone(text)) continue;
    for (const f of phonesInText(text, options.defaultCountry)) {
      hits.push({ phone: f.phone, anchor, source, kind: 'text', display: text.slice(f.start, f.end) });
    }
  }
  return hits;
}
