// The badge: a `texttrail-badge` host with an open shadow root holding one pill, written with plain DOM
// calls. The content script runs on every CRM page and a CRM list can show thousands of phones: no
// framework here (React alone is ~70 KB gzip, and reconciling thousands of portals costs milliseconds per
// status change). It says exactly what components/Badge.tsx says in the side panel — the same words,
// colours, accessible names and tooltips (components/badgeText.ts) — but draws its look as the pill's
// background image (pillImage.ts), so that rendering a pill or changing its status is paint alone.
import { STATUS_LOOK, badgeLabel, badgeTitle } from '../../components/badgeText';
import { BADGE_TAG } from '../../adapters';
import type { BadgeInfo } from '../../utils/badges';
import type { ConnectionStatus } from '../../utils/connection';
import { PILL_HEIGHT, canvasMeasure, pillImage, type PillTone } from './pillImage';

/**
 * The host's box, fixed before anything renders inside it: with size containment, no status (and no
 * word, up to "Undelivered") ever makes the page lay out its table again. No layout (or paint)
 * containment: either makes the host a stacking context, painted above the page's sticky headers when its
 * row scrolls under them (and 5,000 of them cost a list's scroll frames more, docs/benchmarks-page.md).
 * `all: initial` keeps page styles out of the box, and out of the shadow root too, which inherits from
 * it; an important inline style beats any page rule.
 */
const HOST_BOX = [
  'all: initial', 'display: inline-block', 'box-sizing: border-box', 'width: 106px', `height: ${PILL_HEIGHT}px`,
  'margin-left: 6px', 'vertical-align: middle', 'contain: size style',
];
export const HOST_STYLE = HOST_BOX.map(d => `${d} !important`).join('; ');

/**
 * The pill fills the host's box and is there from the moment the host is placed, so it is laid out with
 * the row, once. Its look is only a background image, its keyboard focus ring too (pillImage.ts): the
 * browser's outline would surround the whole fixed box, wider than most words.
 */
const PILL_STYLE = [
  'display: block', 'width: 100%', 'height: 100%', 'box-sizing: border-box', 'outline: none',
  'cursor: pointer', 'user-select: none', 'background-repeat: no-repeat', 'background-position: 0 50%',
].join('; ');

export interface PillState {
  info: BadgeInfo | undefined;
  now: number;
  expanded: boolean;
  connection?: ConnectionStatus | null;
  /** Focused from the keyboard (`:focus-visible`): the pill draws its focus ring. */
  focusRing?: boolean;
}

/** While the server is out of reach a badge may be out of date: its name and tooltip say so. */
const RECONNECTING = ' — TextTrail is reconnecting, this may be out of date';

/** A pill's look by tone and word (and focus ring), drawn once per page. */
export type PillPainter = (tone: PillTone, word: string, focused?: boolean) => string;

export function pillPainter(doc: Document): PillPainter {
  const measure = canvasMeasure(doc);
  const images = new Map<string, string>();
  return (tone, word, focused = false) => {
    const key = `${tone}\n${word}\n${focused}`;
    let image = images.get(key);
    if (image === undefined) images.set(key, (image = pillImage(tone, word, measure, focused)));
    return image;
  };
}

/**
 * The host every badge is a copy of: its inline box, `data-status="none"`, and a clonable open shadow
 * root holding the pill in its loading look. One deep clone (a native call) then copies the parsed style,
 * the shadow root and the pill together.
 */
export function hostPrototype(doc: Document, paint: PillPainter): HTMLElement {
  const host = doc.createElement(BADGE_TAG);
  host.setAttribute('style', HOST_STYLE);
  host.setAttribute('data-status', 'none');
  const pill = doc.createElement('span');
  pill.setAttribute('style', PILL_STYLE);
  pill.style.setProperty('background-image', paint('loading', '…'));
  pill.setAttribute('role', 'button');
  pill.setAttribute('tabindex', '0');
  pill.setAttribute('aria-haspopup', 'dialog');
  pill.setAttribute('aria-expanded', 'false');
  pill.setAttribute('aria-label', badgeLabel(undefined, 0));
  pill.setAttribute('title', badgeTitle(undefined, 0));
  host.attachShadow({ mode: 'open', clonable: true } as ShadowRootInit).append(pill);
  return host;
}

/**
 * Whether the browser's deep clone of a prototype carries its shadow root, learned from its first clone:
 * asking each clone for its root costs a wrapper object per host (thousands on a list) in this world.
 */
const clonesRoot = new WeakMap<HTMLElement, boolean>();

/** A new badge host from the prototype (browsers before Chrome 124 do not clone shadow roots: attach one). */
export function cloneHost(prototype: HTMLElement): HTMLElement {
  const host = prototype.cloneNode(true) as HTMLElement;
  let carried = clonesRoot.get(prototype);
  if (carried === undefined) clonesRoot.set(prototype, (carried = !!host.shadowRoot));
  if (!carried) host.attachShadow({ mode: 'open' }).append(prototype.shadowRoot!.firstChild!.cloneNode(true));
  return host;
}

export function pillOf(host: HTMLElement): HTMLElement | null {
  return (host.shadowRoot?.firstElementChild as HTMLElement | null) ?? null;
}

function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** The image each pill shows now, by pill: a render that would draw the same one writes nothing. */
const shownImage = new WeakMap<HTMLElement, string>();

/**
 * Brings a host's pill up to date, touching only what changed. `data-look` names the look drawn (a
 * status, or `loading`); it is absent until the pill first renders.
 */
export function renderPill(host: HTMLElement, state: PillState, paint: PillPainter): HTMLElement | null {
  const pill = pillOf(host);
  if (!pill) return null;
  const look = state.info ? STATUS_LOOK[state.info.status] : null;
  setAttr(pill, 'data-look', state.info ? state.info.status : 'loading');
  const image = look ? paint(look.tone, look.word, state.focusRing) : paint('loading', '…', state.focusRing);
  if (shownImage.get(pill) !== image) {
    shownImage.set(pill, image);
    pill.style.setProperty('background-image', image);
  }
  const stale = state.connection === 'reconnecting' ? RECONNECTING : '';
  setAttr(pill, 'aria-label', badgeLabel(state.info, state.now) + stale);
  setAttr(pill, 'title', badgeTitle(state.info, state.now) + stale);
  setAttr(pill, 'aria-expanded', String(state.expanded));
  return pill;
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
