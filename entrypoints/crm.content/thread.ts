// Opening a badge's thread overlay. The overlay module is imported only on the first click (the content
// script runs on every CRM page; most page views never open a thread). Its data comes from the background
// (the extension's IndexedDB is not reachable from the page's origin), pushed again when it changes.
import type { CrmAdapter } from '../../adapters';
import type { OverlayServices } from '../../components/overlay/Overlay';
import type { OverlayHandle } from '../../components/overlay/mount';
import { browser } from 'wxt/browser';
import { onMessage, sendMessage } from '../../utils/messaging';
import { OVERLAY_MODULE_KEY, OVERLAY_SCRIPT } from '../../utils/overlayModule';
import type { PageStore, RenderedHost } from './store';

export type OverlayModule = Pick<typeof import('../../components/overlay/mount'), 'openOverlay'>;

let loading: Promise<OverlayModule> | null = null;

/**
 * Imports overlay.js from the extension (web-accessible to CRM origins only) into this isolated world. It
 * carries its own copy of React: about 100 KB gzip read from disk once, on the first click, instead of
 * making every CRM page load bigger.
 */
export function loadOverlayScript(): Promise<OverlayModule> {
  loading ??= import(/* @vite-ignore */ browser.runtime.getURL(OVERLAY_SCRIPT)).then(() => {
    const mod = (globalThis as Record<string, unknown>)[OVERLAY_MODULE_KEY] as OverlayModule | undefined;
    if (!mod) throw new Error('overlay.js did not register');
    return mod;
  });
  loading.catch(() => { loading = null; });
  return loading;
}

export interface ThreadOpenerOptions {
  doc: Document;
  store: PageStore;
  adapter: CrmAdapter;
  load: () => Promise<OverlayModule>;
  overlayClosed: (key: number) => void;
  services?: OverlayServices;
}

/** The overlay's line to the background, through the one typed protocol. */
export function backgroundServices(): OverlayServices & { rewatch(): void; stop(): void } {
  const listeners = new Map<string, Set<() => void>>();
  const remove = onMessage('conversationChanged', ({ data }) => { listeners.get(data)?.forEach(fn => fn()); });
  return {
    load: phone => sendMessage('getConversation', { phone, watch: true }),
    subscribe(phone, onChange) {
      let set = listeners.get(phone);
      if (!set) listeners.set(phone, (set = new Set()));
      set.add(onChange);
      return () => {
        set!.delete(onChange);
        if (!set!.size) listeners.delete(phone);
        if (!listeners.size) void sendMessage('unwatchConversation').catch(() => undefined);
      };
    },
    /** A restarted worker forgot what this tab watches: read again, which registers the watch again. */
    rewatch() { for (const set of listeners.values()) set.forEach(fn => fn()); },
    me: () => sendMessage('getMe'),
    send: request => sendMessage('sendText', request),
    resend: request => sendMessage('resendText', request),
    dismiss: key => sendMessage('dismissOutbox', key),
    openSidePanel: phone => sendMessage('openSidePanel', { phone }),
    refresh: phone => { void sendMessage('refreshConversation', phone).catch(() => undefined); },
    stop: remove,
  };
}

export class ThreadOpener {
  private handle: OverlayHandle | null = null;
  private opening = 0;

  constructor(private readonly opts: ThreadOpenerOptions & { services: OverlayServices }) {}

  async open(entry: RenderedHost, focusBadge: () => void): Promise<void> {
    const { store, adapter, doc } = this.opts;
    this.close();
    const ticket = ++this.opening;
    store.getState().openOverlay(entry.key);
    let mod: OverlayModule;
    try {
      mod = await this.opts.load();
    } catch (err) {
      // A site where overlay.js is not web-accessible (one the user enabled): the side panel shows the
      // same thread. The click's user activation is still fresh enough for Chrome to open it.
      console.warn('[texttrail] the thread overlay did not load; opening the side panel instead', err);
      store.getState().closeOverlay();
      void this.opts.services.openSidePanel(entry.phone).catch(() => undefined);
      return;
    }
    if (ticket !== this.opening || store.getState().overlay !== entry.key) return;
    const info = store.getState().badges[entry.phone];
    this.handle = mod.openOverlay(doc, {
      phone: entry.phone,
      contactName: info?.contactName ?? null,
      record: adapter.contactFields(doc, entry.host),
      services: this.opts.services,
      trustedOnly: true,
      onClosed: () => {
        this.handle = null;
        if (store.getState().overlay === entry.key) store.getState().closeOverlay();
        this.opts.overlayClosed(entry.key);
        focusBadge();
      },
    });
  }

  close(): void {
    this.opening++;
    this.handle?.close();
    this.handle = null;
  }
}
