import { useCallback, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

/** Keyboard handling of a modal dialog: Tab and Shift+Tab cycle inside it, Escape calls `onEscape`. */
export function useFocusTrap(ref: RefObject<HTMLElement | null>, onEscape: () => void) {
  return useCallback((e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); onEscape(); return; }
    const root = ref.current;
    if (e.key !== 'Tab' || !root) return;
    const items = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)]
      .filter(el => !el.hasAttribute('disabled') && el.getClientRects().length > 0);
    if (!items.length) return;
    const active = (root.getRootNode() as Document | ShadowRoot).activeElement;
    const first = items[0], last = items[items.length - 1];
    if (e.shiftKey && (active === first || !root.contains(active))) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && (active === last || !root.contains(active))) { e.preventDefault(); first.focus(); }
  }, [ref, onEscape]);
}
