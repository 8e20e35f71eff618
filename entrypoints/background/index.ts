// Wiring only: every listener is registered synchronously at start so an event that wakes the worker
// (a tab's port, a message, the alarm, a settings change) is never missed.
import { browser } from 'wxt/browser';
import { CONNECTION_KEY, CONNECTION_STATE_KEY, ME_KEY, type ConnectionState } from '../../utils/connection';
import { getDb } from '../../utils/db';
import { sendMessage, TAB_PORT } from '../../utils/messaging';
import { createApi } from './api';
import { badgesFor } from './db';
import { registerHandlers } from './messaging';
import { accountKey, readSettings } from './settings';
import { openSocket } from './socket';
import { updateState } from './state';
import { startAttention } from './attentionBrowser';
import { startSites } from './sites';
import { startReinjection } from './reinject';
import { SyncEngine, type CachedMe } from './sync';
import { TabRegistry } from './tabs';

const WAKE_ALARM = 'texttrail-wake';

export default defineBackground(() => {
  const db = getDb();
  const tabs = new TabRegistry(
    phones => badgesFor(db, phones),
    (target, badges) => sendMessage('badgesChanged', badges, { tabId: target.tabId, frameId: target.frameId }),
    (target, phone) => sendMessage('conversationChanged', phone, { tabId: target.tabId, frameId: target.frameId }),
  );

  // Coalesce bursts (a catch-up page, a flurry of callbacks) into one lookup and one push per tab.
  let pending: Set<string> | 'all' | null = null;
  // The action icon's count of failed texts, "reconnecting", and notifications of new failures.
  const attention = startAttention(db);
  startSites();
  // Updated or reloaded while CRM tabs are open: the new version takes over those tabs at once.
  startReinjection();

  const badgesChanged = (phones: Set<string> | 'all') => {
    attention.changed(phones);
    const first = pending === null;
    if (phones === 'all' || pending === 'all') pending = 'all';
    else { pending ??= new Set(); phones.forEach(p => (pending as Set<string>).add(p)); }
    if (first) setTimeout(() => { const p = pending!; pending = null; void tabs.changed(p); }, 10);
  };

  const engine = new SyncEngine({
    db,
    readSettings,
    accountKey,
    createApi: s => createApi(s),
    openSocket: (s, handlers) => openSocket(s, handlers),
    updateState,
    readMe: async () => ((await browser.storage.local.get(ME_KEY))[ME_KEY] as CachedMe | undefined) ?? null,
    writeMe: async value => {
      if (value) await browser.storage.local.set({ [ME_KEY]: value });
      else await browser.storage.local.remove(ME_KEY);
    },
    badgesChanged,
    conversationsChanged: phones => void tabs.conversationsChanged(phones),
    log: (...args) => console.warn('[texttrail]', ...args),
  });

  registerHandlers(engine, tabs, db);

  browser.runtime.onConnect.addListener(port => {
    if (port.name !== TAB_PORT || port.sender?.tab?.id == null) return;
    const detach = tabs.attach({ tabId: port.sender.tab.id, frameId: port.sender.frameId ?? 0 });
    port.onDisconnect.addListener(detach);
  });

  browser.storage.onChanged.addListener((changes, area) => {
    if ((area === 'local' && CONNECTION_KEY in changes) || area === 'managed') void engine.ensure();
  });

  // A 30 s alarm wakes a worker Chrome stopped, so it reconnects and catches up even with no tab asking.
  browser.alarms.onAlarm.addListener(alarm => { if (alarm.name === WAKE_ALARM) void engine.ensure(); });
  void browser.alarms.get(WAKE_ALARM).then(a => { if (!a) void browser.alarms.create(WAKE_ALARM, { periodInMinutes: 0.5 }); });

  // The action opens the popup (this site on or off, "Open the inbox"), not the side panel directly.
  void browser.sidePanel?.setPanelBehavior({ openPanelOnActionClick: false }).catch(() => undefined);

  // Tabs learn when the server goes out of reach and comes back: their badges' tooltips say "reconnecting".
  browser.storage.onChanged.addListener((changes, area) => {
    const change = area === 'session' ? changes[CONNECTION_STATE_KEY] : undefined;
    const status = (change?.newValue as { status?: ConnectionState['status'] } | undefined)?.status;
    if (!status || status === (change?.oldValue as { status?: string } | undefined)?.status) return;
    for (const target of tabs.targets()) void sendMessage('connectionChanged', status, { tabId: target.tabId, frameId: target.frameId }).catch(() => undefined);
  });

  void engine.ensure();
});
