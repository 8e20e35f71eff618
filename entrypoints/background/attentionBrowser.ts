// The browser side of attention.ts: the action icon, notifications, storage.session and Dexie.
import { browser } from 'wxt/browser';
import { failureReason } from '../../domain/errorClass';
import { CONNECTION_STATE_KEY, type ConnectionState } from '../../utils/connection';
import type { AppDB, ThreadRow } from '../../utils/db';
import { PANEL_TARGET_KEY, type PanelTarget } from '../../utils/messaging';
import { Attention, needsAttention, NOTIFIED_KEY, threadOfNotification, type Notified } from './attention';

export function startAttention(db: AppDB): Attention {
  const attention = new Attention({
    threads: async phones => (phones === 'all' ? db.threads.toArray() : db.threads.where('contactPhone').anyOf([...phones]).toArray()),
    countNeedingAttention: () => db.threads.filter(t => needsAttention(t)).count(),
    connectionStatus: async () => ((await browser.storage.session.get(CONNECTION_STATE_KEY))[CONNECTION_STATE_KEY] as ConnectionState | undefined)?.status ?? 'not_configured',
    setAction: async look => {
      await Promise.all([
        browser.action.setBadgeText({ text: look.text }),
        browser.action.setBadgeBackgroundColor({ color: look.color }),
        browser.action.setTitle({ title: look.title }),
      ]);
    },
    readNotified: async () => ((await browser.storage.session.get(NOTIFIED_KEY))[NOTIFIED_KEY] as Notified | undefined) ?? {},
    writeNotified: n => browser.storage.session.set({ [NOTIFIED_KEY]: n }),
    notify: async (id, title, message) => {
      await browser.notifications.create(id, { type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message, priority: 1 });
    },
    reason: (t: ThreadRow) => failureReason(t.lastOutbound?.provider ?? '', t.lastOutbound?.errorCode ?? null, t.lastOutbound?.errorClass ?? null),
    now: () => Date.now(),
  });

  // A click on a notification opens that conversation in the side panel (the click is the user gesture
  // sidePanel.open needs); where the panel cannot open, the inbox opens in a tab on it.
  browser.notifications.onClicked.addListener(id => {
    const target = threadOfNotification(id);
    if (!target) return;
    const stored: PanelTarget = { phone: target.phone, at: Date.now() };
    const saving = browser.storage.session.set({ [PANEL_TARGET_KEY]: stored });
    void browser.windows.getLastFocused().then(w => browser.sidePanel.open({ windowId: w.id! }))
      .catch(() => saving.then(() => browser.tabs.create({ url: browser.runtime.getURL('/sidepanel.html') })))
      .finally(() => void browser.notifications.clear(id));
  });

  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && CONNECTION_STATE_KEY in changes) void attention.connectionChanged();
  });
  void attention.refreshIcon().catch(() => undefined);
  return attention;
}
