// Handlers for the typed protocol (utils/messaging.ts) on the background side.
import { browser } from 'wxt/browser';
import { loadConversation } from '../../utils/conversationDb';
import { onMessage, PANEL_TARGET_KEY, type PanelTarget } from '../../utils/messaging';
import type { AppDB } from '../../utils/db';
import { badgesFor } from './db';
import { readState } from './state';
import type { SyncEngine } from './sync';
import type { TabRegistry } from './tabs';

const E164 = /^\+[1-9]\d{6,14}$/;
/** A page may show thousands of phones; one request answers at most this many. */
const MAX_PHONES = 5_000;

export function registerHandlers(engine: SyncEngine, tabs: TabRegistry, db: AppDB): () => void {
  const removers = [
    onMessage('getBadges', async ({ data, sender }) => {
      const phones = (Array.isArray(data) ? data : []).filter(p => typeof p === 'string' && E164.test(p)).slice(0, MAX_PHONES);
      if (sender.tab?.id != null) tabs.register({ tabId: sender.tab.id, frameId: sender.frameId ?? 0 }, phones);
      // A worker woken by this request answers after its first catch-up, so a badge is not shown stale.
      await engine.ready();
      return badgesFor(db, phones);
    }),
    onMessage('sendText', ({ data }) => engine.sendText(data)),
    onMessage('resendText', ({ data }) => engine.resendText(data)),
    onMessage('getConversation', async ({ data, sender }) => {
      const phone = typeof data?.phone === 'string' && E164.test(data.phone) ? data.phone : '';
      if (sender.tab?.id != null && data?.watch) tabs.watch({ tabId: sender.tab.id, frameId: sender.frameId ?? 0 }, phone || null);
      await engine.ready(1_000);
      return loadConversation(db, phone);
    }),
    onMessage('unwatchConversation', ({ sender }) => {
      if (sender.tab?.id != null) tabs.watch({ tabId: sender.tab.id, frameId: sender.frameId ?? 0 }, null);
    }),
    onMessage('refreshConversation', async ({ data }) => {
      if (typeof data === 'string' && E164.test(data)) await engine.refreshConversation(data).catch(() => undefined);
    }),
    onMessage('dismissOutbox', ({ data }) => engine.outbox.dismiss(String(data))),
    onMessage('openSidePanel', ({ data, sender }) => {
      // Chrome lets sidePanel.open() run only while the click's user gesture lasts: call it before any await.
      const tabId = sender.tab?.id;
      const opening = tabId != null && browser.sidePanel?.open ? browser.sidePanel.open({ tabId }) : Promise.reject(new Error('no side panel'));
      const target: PanelTarget = { phone: typeof data?.phone === 'string' ? data.phone : '', at: Date.now() };
      const stored = browser.storage.session.set({ [PANEL_TARGET_KEY]: target });
      return opening.then(() => stored).then(() => ({ opened: true }), () => stored.then(() => ({ opened: false })));
    }),
    onMessage('getConnectionState', () => readState()),
    onMessage('getMe', () => engine.me()),
    onMessage('refreshMe', () => engine.me(true)),
    onMessage('getPageConfig', async () => {
      await engine.ready(0);
      const me = await engine.me();
      return {
        defaultCountry: me?.locations[0]?.country ?? 'US',
        configured: engine.connectionStatus !== 'not_configured',
      };
    }),
  ];
  return () => removers.forEach(r => r());
}
