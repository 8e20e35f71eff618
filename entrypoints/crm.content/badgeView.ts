// The badge pill, written with plain DOM calls into a host's shadow root. The content script runs on every
// CRM page and a CRM list can show thousands of phones: no framework here (React alone is ~70 KB gzip, and
// reconciling thousands of portals costs milliseconds per status change). It renders exactly what
// components/Badge.tsx renders for the side panel — the same classes, words, accessible names and tooltip
// (components/badgeText.ts) — and a status change rewrites only the hosts of that one phone.
import { STATUS_LOOK, badgeLabel, badgeTitle } from '../../components/badgeText';
import type { BadgeInfo } from '../../utils/badges';
import type { ConnectionStatus } from '../../utils/connection';

/**
 * The host's box, fixed before anything renders inside it: size containment means rendering the pill,
 * or a status change that makes its word longer, never makes the page lay out its table again. The width
 * fits the longest word ("Undelivered"); `all: initial` keeps page styles out (WXT does the same).
 *
 * It is the host's inline style, set when the host is placed: the shadow root (and the pill in it) comes
 * only when the badge first renders, near the viewport. Attaching 5,000 shadow roots while a long list
 * loads cost about a tenth of the content script's time (bench/page.ts); an empty host with an inline box
 * costs the page's layout the same as a rendered one, so rendering later never moves anything.
 */
const HOST_BOX = [
  'all: initial', 'display: inline-block', 'box-sizing: border-box', 'width: 106px', 'height: 20px',
  'margin-left: 6px', 'vertical-align: middle', 'contain: size layout style', 'line-height: 1',
  'font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
];
export const HOST_STYLE = HOST_BOX.map(d => `${d} !important`).join('; ');

/** Inside the shadow root: the same box (a page rule on the host cannot beat an important inline style). */
export const HOST_CSS = `
:host { ${HOST_BOX.join('; ')}; display: inline-block !important; }
.tt-pill { max-width: 106px; overflow: hidden; }
`;

export interface PillState {
  info: BadgeInfo | undefined;
  now: number;
  expanded: boolean;
  connection?: ConnectionStatus | null;
}

/** While the server is out of reach a badge may be out of date: its name and tooltip say so. */
const RECONNECTING = ' — TextTrail is reconnecting, this may be out of date';

interface PillNodes {
  pill: HTMLSpanElement;
  word: HTMLSpanElement;
}

const nodes = new WeakMap<ShadowRoot, PillNodes>();

function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Creates the pill in `root` (first time) or brings it up to date; touches only what changed. */
export function renderPill(root: ShadowRoot, state: PillState): HTMLSpanElement {
  let n = nodes.get(root);
  if (!n) {
    const doc = root.ownerDocument;
    const pill = doc.createElement('span');
    pill.setAttribute('role', 'button');
    pill.setAttribute('tabindex', '0');
    pill.setAttribute('aria-haspopup', 'dialog');
    const dot = doc.createElement('span');
    dot.className = 'tt-dot';
    dot.setAttribute('aria-hidden', 'true');
    const word = doc.createElement('span');
    word.setAttribute('aria-hidden', 'true');
    pill.append(dot, word);
    root.append(pill);
    n = { pill, word };
    nodes.set(root, n);
  }
  const look = state.info ? STATUS_LOOK[state.info.status] : null;
  setAttr(n.pill, 'class', `tt-pill ${look ? `tt-${look.tone}` : 'tt-loading'}`);
  const stale = state.connection === 'reconnecting' ? RECONNECTING : '';
  setAttr(n.pill, 'aria-label', badgeLabel(state.info, state.now) + stale);
  setAttr(n.pill, 'title', badgeTitle(state.info, state.now) + stale);
  setAttr(n.pill, 'aria-expanded', String(state.expanded));
  const text = look ? look.word : '…';
  if (n.word.textContent !== text) n.word.textContent = text;
  return n.pill;
}

export function pillOf(root: ShadowRoot): HTMLSpanElement | null {
  return nodes.get(root)?.pill ?? null;
}

/**
 * Makes a host's pill open its thread, by click or by Enter/Space, without the CRM seeing the event: a
 * row click would otherwise open the CRM's own preview or navigate (listeners are on the host, so they
 * run before the page's listeners on the row).
 */
export function wireHost(host: HTMLElement, activate: () => void, signal: AbortSignal): void {
  const stop = (e: Event) => e.stopPropagation();
  for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup', 'dblclick']) host.addEventListener(type, stop, { signal });
  host.addEventListener('click', e => {
    e.preventDefault();
    e.stopPropagation();
    activate();
  }, { signal });
  host.addEventListener('keydown', e => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    e.stopPropagation();
    activate();
  }, { signal });
}
