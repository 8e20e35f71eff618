// Our badge element, known to every part that walks the page: a badge's shadow root holds our pill, never
// page content, so walks that look inside open shadow roots for phones or fields pass it by (a list of
// 5,000 rows has 5,000 of them).
export const BADGE_TAG = 'texttrail-badge';

/** Whether `n` is one of our badge hosts. */
export function isBadgeHost(n: Node | null): boolean {
  return n?.nodeType === 1 && (n as Element).localName === BADGE_TAG;
}

/** The element's open shadow root, unless the element is one of our badges. */
export function pageShadowRoot(el: Element): ShadowRoot | null {
  return el.localName === BADGE_TAG ? null : el.shadowRoot;
}
