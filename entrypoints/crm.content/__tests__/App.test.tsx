import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { noneBadge } from '../../../utils/badges';
import type { SendTextRequest, SendTextResult } from '../../../utils/messaging';
import { App } from '../App';
import { createPageStore, type PageStore, type RenderedHost } from '../store';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let store: PageStore;
let root: Root;
let send: ReturnType<typeof vi.fn<(r: SendTextRequest) => Promise<SendTextResult>>>;

function host(key: number, phone: string): RenderedHost {
  const el = document.createElement('texttrail-badge');
  document.body.append(el);
  return { key, phone, display: '(415) 555-0134', host: el, root: el.attachShadow({ mode: 'open' }) };
}

beforeEach(async () => {
  document.body.innerHTML = '';
  store = createPageStore();
  send = vi.fn();
  const container = document.createElement('texttrail-root');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => root.render(<App services={{ store, send, composerClosed: () => undefined, trustedOnly: false }} />));
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

  it('opens the composer with Enter, sends, and shows a refusal in words', async () => {
    const a = host(1, '+14155551610');
    store.getState().mergeBadges({ '+14155551610': { ...noneBadge('+14155551610'), contactName: '<img src=x onerror=alert(1)>' } });
    await act(async () => store.getState().setVisible([a], []));
    await act(async () => { pill(a).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); });
    const dialog = a.root.querySelector('[role="dialog"]')!;
    expect(dialog).not.toBeNull();
    expect(pill(a).getAttribute('aria-expanded')).toBe('true');
    // Names are text, never markup.
    expect(dialog.querySelector('img')).toBeNull();
    expect(dialog.textContent).toContain('<img src=x onerror=alert(1)>');

    const textarea = dialog.querySelector('textarea')!;
    send.mockResolvedValueOnce({ ok: false, error: { code: 'opted_out', message: 'This contact has opted out of texts.' } });
    await act(async () => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
      setValue.call(textarea, 'Hello <b>there</b>');
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => { (dialog.querySelector('button[type="submit"]') as HTMLElement).click(); });
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ to: '+14155551610', body: 'Hello <b>there</b>' }));
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe('This contact has opted out of texts.');
  });

  it('ignores a send the page scripted (untrusted events) when trustedOnly', async () => {
    await act(async () => root.render(<App services={{ store, send, composerClosed: () => undefined }} />));
    const a = host(1, '+14155550134');
    await act(async () => store.getState().setVisible([a], []));
    await act(async () => { pill(a).click(); });
    const dialog = a.root.querySelector('[role="dialog"]')!;
    await act(async () => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
      setValue.call(dialog.querySelector('textarea')!, 'Sent by the page, not the agent');
      dialog.querySelector('textarea')!.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => { (dialog.querySelector('button[type="submit"]') as HTMLElement).click(); });
    expect(send).not.toHaveBeenCalled();
  });

  it('says so when the text is empty, and Escape closes the composer', async () => {
    const a = host(1, '+14155550134');
    await act(async () => store.getState().setVisible([a], []));
    await act(async () => { pill(a).click(); });
    const dialog = a.root.querySelector('[role="dialog"]')!;
    await act(async () => { (dialog.querySelector('button[type="submit"]') as HTMLElement).click(); });
    expect(send).not.toHaveBeenCalled();
    expect(dialog.querySelector('[role="alert"]')?.textContent).toBe('Write a text first.');
    await act(async () => { dialog.querySelector('textarea')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); });
    expect(a.root.querySelector('[role="dialog"]')).toBeNull();
  });
});
