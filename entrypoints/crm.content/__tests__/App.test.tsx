import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { noneBadge } from '../../../utils/badges';
import { App, type PageServices } from '../App';
import { createPageStore, type PageStore, type RenderedHost } from '../store';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let store: PageStore;
let root: Root;
let openThread: ReturnType<typeof vi.fn<PageServices['openThread']>>;
let closeThread: ReturnType<typeof vi.fn<() => void>>;

function host(key: number, phone: string): RenderedHost {
  const el = document.createElement('texttrail-badge');
  document.body.append(el);
  return { key, phone, display: '(415) 555-0134', host: el, root: el.attachShadow({ mode: 'open' }) };
}

beforeEach(async () => {
  document.body.innerHTML = '';
  store = createPageStore();
  openThread = vi.fn((entry: RenderedHost) => store.getState().openOverlay(entry.key));
  closeThread = vi.fn(() => store.getState().closeOverlay());
  const container = document.createElement('texttrail-root');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => root.render(<App services={{ store, openThread, closeThread }} />));
});
afterEach(async () => {
  await act(async () => root.unmount());
});

const pill = (h: RenderedHost) => h.root.querySelector('[role="button"]') as HTMLElement;

describe('the page\'s single React root', () => {
  it('renders a pill into each rendered host\'s shadow root, and nothing elsewhere', async () => {
    const a = host(1, '+14155550134');
    const b = host(2, '+12125550188');
    await act(async () => store.getState().setVisible([a], []));
    expect(pill(a).getAttribute('aria-label')).toBe('Text status loading');
    expect(b.root.childNodes).toHaveLength(0);
    await act(async () => { store.getState().mergeBadges({ '+14155550134': { ...noneBadge('+14155550134'), status: 'undelivered', provider: 'simulator', errorCode: '30003', errorClass: 'temporary' } }); });
    expect(pill(a).getAttribute('aria-label')).toBe('Undelivered: handset unreachable — phone off or out of coverage (30003)');
    expect(pill(a).textContent).toBe('Undelivered');
  });

  it('opens the thread with Enter or a click, says it is open, and closes it on a second activation', async () => {
    const a = host(1, '+14155551610');
    await act(async () => store.getState().setVisible([a], []));
    expect(pill(a).getAttribute('aria-haspopup')).toBe('dialog');
    await act(async () => { pill(a).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); });
    expect(openThread).toHaveBeenCalledWith(expect.objectContaining({ key: 1, phone: '+14155551610' }), expect.any(Function));
    expect(pill(a).getAttribute('aria-expanded')).toBe('true');
    // The focus-back callback focuses this very pill.
    openThread.mock.calls[0][1]();
    expect(a.root.activeElement).toBe(pill(a));
    await act(async () => { pill(a).click(); });
    expect(closeThread).toHaveBeenCalledTimes(1);
    expect(pill(a).getAttribute('aria-expanded')).toBe('false');
  });
});
