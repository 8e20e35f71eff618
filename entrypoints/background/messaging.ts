// Handlers for the typed protocol (utils/messaging.ts) on the background side.
import { onMessage } from '../../utils/messaging';
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
    onMessage('getConnectionState', () => readState()),
    onMessage('getMe', () => engine.me()),
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
