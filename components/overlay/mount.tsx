// Puts the overlay in the page: its own host element with an open shadow root (CONTRACT: our UI in pages
// lives in open shadow roots), one stylesheet, its own React root. Kept apart from the badges' root so the
// whole overlay can be loaded only when a badge is first clicked.
import { createRoot } from 'react-dom/client';
import threadCss from '../thread/thread.css?inline';
import overlayCss from './overlay.css?inline';
import { Overlay, type OverlayProps } from './Overlay';

export const OVERLAY_TAG = 'texttrail-overlay';

export interface OverlayHandle {
  close(): void;
}

export function openOverlay(doc: Document, props: Omit<OverlayProps, 'onClose'> & { onClosed(): void }): OverlayHandle {
  const host = doc.createElement(OVERLAY_TAG);
  const root = host.attachShadow({ mode: 'open' });
  const css = `${threadCss}\n${overlayCss}`;
  try {
    const sheet = new (doc.defaultView ?? globalThis).CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = doc.createElement('style');
    style.textContent = css;
    root.append(style);
  }
  const container = doc.createElement('div');
  root.append(container);
  doc.documentElement.append(host);
  const react = createRoot(container);
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    // Not from inside the root's own event handler: unmount after it returns.
    queueMicrotask(() => {
      react.unmount();
      host.remove();
      props.onClosed();
    });
  };
  const { onClosed: _closed, ...rest } = props;
  react.render(<Overlay {...rest} onClose={close} />);
  return { close };
}
